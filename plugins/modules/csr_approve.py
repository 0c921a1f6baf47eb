#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: csr_approve
short_description: Approve kubelet serving certificate requests only when they are provably genuine
version_added: "0.1.0"
description:
  - With C(serverTLSBootstrap) enabled each kubelet asks for its serving certificate through a
    C(certificates.k8s.io/v1) CertificateSigningRequest with signer C(kubernetes.io/kubelet-serving),
    which Kubernetes never approves on its own.
  - The module uses C(certificates.k8s.io/v1) where the API server serves it (1.19 and later) and
    C(certificates.k8s.io/v1beta1) before. A v1beta1 request made before 1.18 names no signer
    (the field came with 1.18) and kube-controller-manager signed every approved request with the
    cluster CA; such a request asking for C(server auth) from a node, or for a C(system:node:)
    subject, is judged as a kubelet serving request.
  - This module approves a pending request only when every check passes. The signer is
    C(kubernetes.io/kubelet-serving). C(spec.username) is C(system:node:<name>) and
    C(spec.groups) contains C(system:nodes). The request's subject CN equals the username and
    its O is exactly C(system:nodes). The usages are one of the two sets the signer permits and
    include C(server auth). There are no email, URI or other SANs, and at least one DNS or IP
    SAN, and no CA or certificate-signing extension. DNS SANs are only the node's own names and
    IP SANs only the node's own addresses, and the node is in O(nodes) when that list is given.
  - A node can write its own Node status, so what it reports there is not proof. When
    O(node_addresses) gives addresses for the node, those (and the node's name) are all it owns;
    otherwise the addresses of its Node object's C(.status.addresses) count, except any that
    another Node reports or O(node_addresses) gives to another node.
  - C(spec.expirationSeconds), when set, is at least 600 (the API's minimum) and at most
    O(max_expiration_seconds).
  - Requests already approved, denied or issued, and requests for other signers, are left alone.
  - With O(deny=true) kubelet-serving requests that fail a check are denied, so they stop
    showing as pending; otherwise they are skipped and reported.
  - With O(wait_for_nodes) the module keeps approving genuine requests as they arrive until every
    named node holds an issued serving certificate, or fails after O(wait_timeout) seconds.
author:
  - helmsman.kubeadm contributors (@helmsman)
requirements:
  - kubernetes (Python client) and cryptography on the host that runs the module.
options:
  kubeconfig:
    description:
      - Kubeconfig of an identity allowed to list CSRs, read Nodes and update
        C(certificatesigningrequests/approval) for signer C(kubernetes.io/kubelet-serving).
    type: path
    default: /etc/kubernetes/admin.conf
  context:
    description:
      - Kubeconfig context to use instead of the current one.
    type: str
  nodes:
    description:
      - When given, only requests from these node names are judged (approved, or denied with
        O(deny=true)); kubelet-serving requests of other nodes are skipped, so that reviews run
        for different nodes at the same time never deny each other's genuine requests.
    type: list
    elements: str
  node_addresses:
    description:
      - The addresses (IPs or DNS names) that belong to a node, by node name, for instance the
        inventory's C(ansible_host). For a node listed here they replace what its Node object
        reports (which the node itself can write); they also count as claimed by that node
        when another node reports them.
    type: dict
    default: {}
  max_expiration_seconds:
    description:
      - Refuse requests that ask for a longer lifetime (C(spec.expirationSeconds)). The default
        is 367 days, as kubelet-csr-approver's.
    type: int
    default: 31708800
  deny:
    description:
      - Deny kubelet-serving requests from node identities that fail a check.
    type: bool
    default: false
  wait_for_nodes:
    description:
      - Node names that must end up with an issued serving certificate.
    type: list
    elements: str
    default: []
  wait_timeout:
    description:
      - Seconds to wait for O(wait_for_nodes).
    type: int
    default: 120
  poll_interval:
    description:
      - Seconds between two looks at the CSR list while waiting.
    type: float
    default: 2
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying target.
    support: full
    details: In check mode nothing is approved or denied and O(wait_for_nodes) is not waited for.
extends_documentation_fragment:
  - helmsman.kubeadm.attributes
seealso:
  - name: Kubernetes signers
    description: What the kubelet-serving signer permits.
    link: https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#kubernetes-signers
"""

EXAMPLES = r"""
- name: Approve genuine kubelet serving CSRs of the inventory's nodes and wait for their certificates
  helmsman.kubeadm.csr_approve:
    nodes: "{{ groups['masters'] + groups['nodes'] }}"
    node_addresses:
      node1: [192.168.1.31]
    wait_for_nodes: "{{ groups['masters'] + groups['nodes'] }}"
    wait_timeout: 300

- name: Deny forged requests too, and cap the lifetime at one year
  helmsman.kubeadm.csr_approve:
    deny: true
    max_expiration_seconds: 31536000
"""

RETURN = r"""
csrs:
  description: One entry per CSR looked at.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: CSR name.
      type: str
    node:
      description: Node the requester claims to be, or null.
      type: str
    action:
      description: V(approved), V(denied), V(skipped), or in check mode V(would_approve) / V(would_deny).
      type: str
    reasons:
      description: Why the request failed a check or was skipped; empty when approved.
      type: list
      elements: str
approved:
  description: Names of the CSRs approved (or that would be, in check mode).
  returned: always
  type: list
  elements: str
denied:
  description: Names of the CSRs denied (or that would be, in check mode).
  returned: always
  type: list
  elements: str
issued_nodes:
  description: Nodes that hold an issued kubelet serving certificate at the end.
  returned: always
  type: list
  elements: str
api_version:
  description: The CertificateSigningRequest API version the module used.
  returned: success
  type: str
  sample: certificates.k8s.io/v1
"""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.helmsman.kubeadm.plugins.module_utils import csr_policy, csr_review


def main():
    module = AnsibleModule(
        argument_spec=dict(
            kubeconfig=dict(type="path", default="/etc/kubernetes/admin.conf"),
            context=dict(type="str"),
            nodes=dict(type="list", elements="str"),
            node_addresses=dict(type="dict", default={}),
            max_expiration_seconds=dict(type="int", default=csr_policy.DEFAULT_MAX_EXPIRATION_SECONDS),
            deny=dict(type="bool", default=False),
            wait_for_nodes=dict(type="list", elements="str", default=[]),
            wait_timeout=dict(type="int", default=120),
            poll_interval=dict(type="float", default=2),
        ),
        supports_check_mode=True,
    )
    if not csr_review.HAS_KUBERNETES:
        module.fail_json(msg=missing_required_lib("kubernetes"))
    if not csr_policy.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib("cryptography"), exception=str(csr_policy.CRYPTOGRAPHY_IMPORT_ERROR))
    problems = csr_review.parameter_problems(module.params)
    if problems:
        module.fail_json(msg="; ".join(problems))
    try:
        client = csr_review.CSRClient(module.params["kubeconfig"], module.params["context"])
        result = csr_review.run(module.params, client, module.check_mode)
        result["api_version"] = "certificates.k8s.io/" + client.version
    except csr_review.ReviewError as exc:
        module.fail_json(msg=str(exc), **exc.result)
    except csr_review.ApiException as exc:
        module.fail_json(msg="Kubernetes API error %s: %s" % (exc.status, exc.reason), body=exc.body,
                         **csr_review.empty_result())
    except Exception as exc:  # kubeconfig problems, connection errors
        module.fail_json(msg="%s: %s" % (type(exc).__name__, exc), exception=traceback.format_exc(),
                         **csr_review.empty_result())
    module.exit_json(**result)


if __name__ == "__main__":
    main()
