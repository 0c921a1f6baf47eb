# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What helmsman.kubeadm.csr_approve does: the API calls it needs and the review loop.

``CSRClient`` is the only part that talks to Kubernetes (the official Python client); ``run``
takes any object with the same four methods, so the loop is unit-tested with a fake API.
Judging one CSR is csr_policy.evaluate.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.helmsman.kubeadm.plugins.module_utils import csr_policy

try:
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config
    from kubernetes.client.rest import ApiException
    from kubernetes.dynamic import DynamicClient
    HAS_KUBERNETES = True
except ImportError:  # pragma: no cover
    HAS_KUBERNETES = False

    class ApiException(Exception):  # noqa: N818  (the kubernetes client's name)
        status = None

APPROVE_REASON = "HelmsmanKubeadmApprove"
APPROVE_MESSAGE = "kubelet serving CSR passed helmsman.kubeadm.csr_approve checks"
DENY_REASON = "HelmsmanKubeadmDeny"


class ReviewError(Exception):
    """A failure to report, with the result so far."""

    def __init__(self, msg, result):
        super(ReviewError, self).__init__(msg)
        self.result = result


def pick_version(group):
    """The certificates.k8s.io version to use from the API group's discovery document: v1 where
    served (1.19+), else v1beta1 (served up to 1.21, the only one before 1.19)."""
    served = [v.get("version") for v in (group or {}).get("versions") or []]
    for version in ("v1", "v1beta1"):
        if version in served:
            return version
    raise ValueError("the API server serves no CertificateSigningRequest version this module knows "
                     "(certificates.k8s.io serves %s)" % (", ".join(served) or "nothing"))


class CSRClient(object):
    """The API calls the module needs, on plain dicts, in the CSR API version the server serves
    (the client's typed CSR API is v1 only, so the calls go through its dynamic client)."""

    def __init__(self, kubeconfig, context=None):
        configuration = k8s_client.Configuration()
        k8s_config.load_kube_config(config_file=kubeconfig, context=context, client_configuration=configuration)
        self.client = DynamicClient(k8s_client.ApiClient(configuration))
        self.version = pick_version(self._call("get", "/apis/certificates.k8s.io"))
        self.path = "/apis/certificates.k8s.io/%s/certificatesigningrequests" % self.version

    def _call(self, method, path, body=None):
        return self.client.request(method, path, body=body, serializer=lambda _client, data: data)

    def list_csrs(self):
        return self._call("get", self.path).get("items") or []

    def list_nodes(self):
        return self._call("get", "/api/v1/nodes").get("items") or []

    def update_approval(self, csr):
        return self._call("put", "%s/%s/approval" % (self.path, csr["metadata"]["name"]), csr)


def now_text():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def parameter_problems(params):
    """Messages (empty when fine) about parameters the argument spec cannot check."""
    problems = []
    for node, addresses in sorted((params.get("node_addresses") or {}).items()):
        if not isinstance(addresses, list) or not all(isinstance(a, str) for a in addresses):
            problems.append("node_addresses[%r] must be a list of strings" % node)
    if params.get("nodes") is not None:
        outside = sorted(set(params.get("wait_for_nodes") or []) - set(params["nodes"]))
        if outside:
            problems.append("wait_for_nodes names nodes that are not in nodes, which could never be approved: %s"
                            % ", ".join(outside))
    return problems


def review(params, api, csrs, result, check_mode):
    """Judge every CSR once; approve/deny what qualifies. Returns True when something was written."""
    wrote = False
    seen = set(entry["name"] for entry in result["csrs"])
    node_objs = api.list_nodes()
    by_name = dict(((n.get("metadata") or {}).get("name"), n) for n in node_objs)
    inventory = params.get("node_addresses") or {}
    for csr in sorted(csrs, key=lambda c: c["metadata"]["name"]):
        name = csr["metadata"]["name"]
        claimed = csr_policy.node_of(csr)
        decision, node, reasons = csr_policy.evaluate(
            csr,
            node_obj=by_name.get(claimed) if claimed else None,
            extra_addresses=inventory.get(claimed) if claimed else None,
            allowed_nodes=params.get("nodes"),
            max_expiration_seconds=params.get("max_expiration_seconds"),
            others=csr_policy.claims_of_others(claimed, node_objs, inventory) if claimed else None,
        )
        if decision == csr_policy.SKIP or (decision == csr_policy.DENY and not params.get("deny")):
            if name not in seen:
                result["csrs"].append(dict(name=name, node=node, action="skipped", reasons=reasons))
            continue
        approve = decision == csr_policy.APPROVE
        action = "approved" if approve else "denied"
        if check_mode:
            action = "would_approve" if approve else "would_deny"
        else:
            cond = csr_policy.condition(
                "Approved" if approve else "Denied",
                APPROVE_REASON if approve else DENY_REASON,
                APPROVE_MESSAGE if approve else "; ".join(reasons)[:1000],
                now_text())
            try:
                api.update_approval(csr_policy.with_condition(csr, cond))
            except ApiException as exc:
                if exc.status == 409:  # changed under us: judge it again on the next pass
                    continue
                raise
            wrote = True
        result["csrs"] = [e for e in result["csrs"] if e["name"] != name]
        result["csrs"].append(dict(name=name, node=node, action=action, reasons=reasons))
        result["approved" if approve else "denied"].append(name)
        result["changed"] = True
    return wrote


def empty_result():
    return dict(changed=False, csrs=[], approved=[], denied=[], issued_nodes=[])


def run(params, api, check_mode, clock=time.time, sleep=time.sleep):
    """Review the CSRs, then (with wait_for_nodes, not in check mode) keep approving genuine ones
    until every named node holds an issued serving certificate. Returns the result; raises
    ReviewError on a timeout."""
    result = empty_result()
    csrs = api.list_csrs()
    review(params, api, csrs, result, check_mode)
    waiting = set(params.get("wait_for_nodes") or [])
    if waiting and not check_mode:
        deadline = clock() + params["wait_timeout"]
        while True:
            csrs = api.list_csrs()
            missing = waiting - csr_policy.issued_nodes(csrs)
            if not missing:
                break
            if review(params, api, csrs, result, check_mode):
                continue
            if clock() >= deadline:
                result["issued_nodes"] = sorted(csr_policy.issued_nodes(csrs))
                raise ReviewError("timed out after %ds waiting for kubelet serving certificates of: %s"
                                  % (params["wait_timeout"], ", ".join(sorted(missing))), result)
            sleep(params["poll_interval"])
    result["issued_nodes"] = sorted(csr_policy.issued_nodes(csrs if not result["changed"] else api.list_csrs()))
    return result
