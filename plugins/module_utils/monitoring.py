# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kube-prometheus' objects as data: Grafana's NetworkPolicy opened to the NodePort's sources,
Grafana's admin login from a Secret, the pre-provisioned data sources checked against the
Services they name, and the StatefulSets the Prometheus operator generates (to wait for them).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

from ansible_collections.helmsman.kubeadm.plugins.module_utils import addon_edits

try:
    import yaml
except ImportError:  # pragma: no cover (the controller has PyYAML: ansible-core needs it)
    yaml = None

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover (Python 2)
    from urlparse import urlsplit  # pylint: disable=import-error

OPERATOR_GROUP = "monitoring.coreos.com"
# The StatefulSet the operator generates for each resource: its name is the prefix and the
# resource's name (prometheus-k8s, alertmanager-main).
GENERATED = {"Prometheus": "prometheus-", "Alertmanager": "alertmanager-", "ThanosRuler": "thanos-ruler-"}
ADMIN_USER_KEY = "admin-user"
ADMIN_PASSWORD_KEY = "admin-password"
CHECKSUM_ANNOTATION = "helmsman.kubeadm/grafana-admin-checksum"


class MonitoringError(ValueError):
    pass


def _one(objects, kind, namespace, name):
    found = [o for o in objects if o.get("kind") == kind and (o.get("metadata") or {}).get("name") == name
             and (o.get("metadata") or {}).get("namespace", namespace) == namespace]
    return found[0] if len(found) == 1 else None


def network_policy_admit(objects, namespace, name, port, cidrs):
    """NetworkPolicy ``namespace/name`` with one more ingress rule: TCP ``port`` from the
    ``cidrs`` (ipBlocks). Objects without that policy come back unchanged (release-0.4 ships
    none); an empty ``cidrs`` adds nothing."""
    result = addon_edits.copy_matching(objects, "NetworkPolicy", name, namespace)
    policy = _one(result, "NetworkPolicy", namespace, name)
    if policy is None or not cidrs:
        return result
    rule = {"from": [{"ipBlock": {"cidr": str(cidr)}} for cidr in cidrs], "ports": [{"port": port, "protocol": "TCP"}]}
    spec = policy.setdefault("spec", {})
    ingress = spec.setdefault("ingress", [])
    if rule not in ingress:
        ingress.append(rule)
    return result


def grafana_admin(objects, namespace, deployment, secret, checksum, container="grafana"):
    """Grafana's Deployment with its admin user and password from Secret ``secret`` (keys
    admin-user, admin-password, as GF_SECURITY_ADMIN_USER/PASSWORD, which Grafana reads when it
    creates its admin on an empty database), and ``checksum`` (of the password) as a pod
    template annotation, so that a new password rolls the Pods."""
    result = addon_edits.copy_matching(objects, "Deployment", deployment, namespace)
    found = _one(result, "Deployment", namespace, deployment)
    if found is None:
        raise MonitoringError("the manifest has no Deployment %s/%s" % (namespace, deployment))
    template = found.setdefault("spec", {}).setdefault("template", {})
    containers = (template.setdefault("spec", {}).get("containers") or [])
    target = [c for c in containers if c.get("name") == container]
    if not target:
        raise MonitoringError("Deployment %s/%s has no container %s" % (namespace, deployment, container))
    env = [e for e in target[0].get("env") or [] if e.get("name") not in ("GF_SECURITY_ADMIN_USER", "GF_SECURITY_ADMIN_PASSWORD")]
    for var, key in (("GF_SECURITY_ADMIN_USER", ADMIN_USER_KEY), ("GF_SECURITY_ADMIN_PASSWORD", ADMIN_PASSWORD_KEY)):
        env.append({"name": var, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}})
    target[0]["env"] = env
    template.setdefault("metadata", {}).setdefault("annotations", {})[CHECKSUM_ANNOTATION] = checksum
    return result


def _secret_text(secret, key):
    if key in (secret.get("stringData") or {}):
        return secret["stringData"][key]
    if key in (secret.get("data") or {}):
        return base64.b64decode(secret["data"][key]).decode("utf-8")
    return None


def grafana_datasources(objects, namespace="monitoring", secret="grafana-datasources"):
    """The data sources pre-provisioned in Secret ``namespace/secret`` (every key, YAML or
    JSON), as dicts with name, type and url."""
    found = _one(objects, "Secret", namespace, secret)
    if found is None:
        raise MonitoringError("the objects have no Secret %s/%s (Grafana's data sources)" % (namespace, secret))
    sources = []
    keys = sorted(set(found.get("stringData") or {}) | set(found.get("data") or {}))
    for key in keys:
        text = _secret_text(found, key)
        try:
            doc = json.loads(text)
        except ValueError:
            doc = yaml.safe_load(text) if yaml else None
        for source in (doc or {}).get("datasources") or []:
            sources.append({"name": source.get("name"), "type": source.get("type"), "url": source.get("url")})
    return sources


def datasource_problems(objects, namespace="monitoring", secret="grafana-datasources", expected=None):
    """What is wrong with Grafana's Prometheus data sources: each must name a Service of
    ``objects`` (``http://<service>.<namespace>.svc[.<domain>]:<port>``) that has that port, and,
    when ``expected`` is given, be that URL. An empty list when all is well."""
    problems = []
    sources = [s for s in grafana_datasources(objects, namespace, secret) if s.get("type") == "prometheus"]
    if not sources:
        problems.append("Secret %s/%s provisions no Prometheus data source" % (namespace, secret))
    for source in sources:
        url = source.get("url") or ""
        if expected and url.rstrip("/") != expected.rstrip("/"):
            problems.append("data source %s points at %s, not %s" % (source.get("name"), url or "nothing", expected))
            continue
        parts = urlsplit(url)
        labels = (parts.hostname or "").split(".")
        if len(labels) < 3 or labels[2] != "svc":
            problems.append("data source %s: %s does not name a Service (<service>.<namespace>.svc)" % (source.get("name"), url))
            continue
        service = _one(objects, "Service", labels[1], labels[0])
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if service is None:
            problems.append("data source %s: Service %s/%s does not exist" % (source.get("name"), labels[1], labels[0]))
        elif port not in [p.get("port") for p in (service.get("spec") or {}).get("ports") or []]:
            problems.append("data source %s: Service %s/%s has no port %d" % (source.get("name"), labels[1], labels[0], port))
    return problems


def operator_workloads(objects):
    """The StatefulSets the Prometheus operator generates for the Prometheus, Alertmanager and
    ThanosRuler resources in ``objects``: dicts with kind, namespace and name."""
    found = []
    for obj in objects:
        prefix = GENERATED.get(obj.get("kind"))
        if prefix and str(obj.get("apiVersion", "")).startswith(OPERATOR_GROUP + "/"):
            meta = obj.get("metadata") or {}
            found.append({"kind": "StatefulSet", "namespace": meta.get("namespace", "default"),
                          "name": prefix + meta.get("name", "")})
    return found
