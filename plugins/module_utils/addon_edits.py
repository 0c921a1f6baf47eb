# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runbook's edits to upstream add-on manifests, on the objects (never on the text): each
function returns edited copies and leaves its input alone, and refuses a manifest that does not
have what it edits (an upstream change must not be applied half-edited).

- flannel: ``net-conf.json`` of ConfigMap ``kube-flannel-cfg`` edited as JSON (``Network``, the
  backend ``Type``); of the per-architecture DaemonSets of old releases
  (``kube-flannel-ds-<arch>``) only the architectures given are kept.
- ingress-nginx: the controller on the host network of chosen nodes (``hostNetwork``,
  ``dnsPolicy: ClusterFirstWithHostNet``, the nodeSelector extended) and its NodePort Service
  dropped, as upstream's bare-metal guide says for that placement.
- any Service: type NodePort, optionally with a fixed port (the Dashboard, Grafana on 30002).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

ARCHITECTURES = ("amd64", "arm64", "arm", "ppc64le", "s390x")
# Ansible's ansible_facts.architecture -> the Kubernetes (GOARCH) name.
FACT_ARCHITECTURES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64", "armv7l": "arm",
                      "armv6l": "arm", "ppc64le": "ppc64le", "s390x": "s390x"}


class EditError(ValueError):
    pass


def _find(objects, kind, name=None, namespace=None):
    return [o for o in objects if o.get("kind") == kind
            and (name is None or (o.get("metadata") or {}).get("name") == name)
            and (namespace is None or (o.get("metadata") or {}).get("namespace") == namespace)]


def kube_architectures(fact_architectures):
    """Ansible architecture facts (x86_64, aarch64, ...) to Kubernetes names, sorted and unique."""
    found = set()
    for fact in fact_architectures:
        if fact not in FACT_ARCHITECTURES:
            raise EditError("architecture %r of a host has no Kubernetes image (known: %s)"
                            % (fact, ", ".join(sorted(FACT_ARCHITECTURES))))
        found.add(FACT_ARCHITECTURES[fact])
    return sorted(found)


def flannel_net_conf(objects, network, backend_type="vxlan"):
    """Set ``Network`` and ``Backend.Type`` in net-conf.json of ConfigMap kube-flannel-cfg."""
    result = copy.deepcopy(objects)
    maps = _find(result, "ConfigMap", "kube-flannel-cfg")
    if len(maps) != 1 or "net-conf.json" not in (maps[0].get("data") or {}):
        raise EditError("the flannel manifest has no ConfigMap kube-flannel-cfg with net-conf.json")
    try:
        conf = json.loads(maps[0]["data"]["net-conf.json"])
    except ValueError as exc:
        raise EditError("net-conf.json of kube-flannel-cfg is not JSON: %s" % exc)
    conf["Network"] = network
    conf.setdefault("Backend", {})["Type"] = backend_type
    maps[0]["data"]["net-conf.json"] = json.dumps(conf, indent=2) + "\n"
    return result


def flannel_architectures(objects, architectures):
    """Keep only the per-architecture DaemonSets (``kube-flannel-ds-<arch>``) of ``architectures``;
    a manifest with one multi-architecture DaemonSet is returned as it is."""
    unknown = sorted(set(architectures) - set(ARCHITECTURES))
    if unknown or not architectures:
        raise EditError("architectures %s: expected some of %s" % (list(architectures), ", ".join(ARCHITECTURES)))
    result = []
    for obj in objects:
        name = (obj.get("metadata") or {}).get("name", "")
        arch = name.rsplit("-", 1)[-1]
        if obj.get("kind") == "DaemonSet" and name.startswith("kube-flannel-ds-") and arch in ARCHITECTURES \
                and arch not in architectures:
            continue
        result.append(copy.deepcopy(obj))
    return result


def ingress_host_network(objects, node_selector, controller=None, tolerations=None):
    """The ingress controller Deployment on the host network of the nodes ``node_selector``
    matches (added to its own selector), tolerating ``tolerations`` (for example the taint that
    reserves those nodes), its NodePort Service dropped. ``controller``: the Deployment's name
    (default: the only Deployment in the manifest)."""
    if not isinstance(node_selector, dict) or not node_selector:
        raise EditError("the host-network placement needs a nodeSelector (labels of the chosen nodes)")
    result = copy.deepcopy(objects)
    deployments = _find(result, "Deployment", controller)
    if len(deployments) != 1:
        raise EditError("expected one ingress controller Deployment%s, found %d"
                        % (" named %s" % controller if controller else "", len(deployments)))
    deployment = deployments[0]
    pod = ((deployment.get("spec") or {}).get("template") or {}).get("spec")
    if not isinstance(pod, dict):
        raise EditError("Deployment %s has no pod template" % deployment["metadata"].get("name"))
    pod["hostNetwork"] = True
    pod["dnsPolicy"] = "ClusterFirstWithHostNet"
    selector = dict(pod.get("nodeSelector") or {})
    selector.update(dict((str(k), "" if v is None else str(v)) for k, v in node_selector.items()))
    pod["nodeSelector"] = selector
    if tolerations:
        if not isinstance(tolerations, list) or not all(isinstance(t, dict) for t in tolerations):
            raise EditError("tolerations: a list of Kubernetes tolerations (key, operator, value, effect)")
        pod["tolerations"] = list(pod.get("tolerations") or []) + [t for t in tolerations if t not in (pod.get("tolerations") or [])]
    labels = (((deployment.get("spec") or {}).get("selector") or {}).get("matchLabels")) or {}
    namespace = deployment["metadata"].get("namespace")
    return [o for o in result if not (
        o.get("kind") == "Service" and (o.get("metadata") or {}).get("namespace") == namespace
        and (o.get("spec") or {}).get("type") == "NodePort"
        and labels and all((o.get("spec") or {}).get("selector", {}).get(k) == v for k, v in labels.items()))]


def service_node_port(objects, namespace, name, node_port=None, port_index=0):
    """Service ``namespace/name`` as type NodePort, with ``node_port`` on ports[port_index] when given."""
    result = copy.deepcopy(objects)
    services = _find(result, "Service", name, namespace)
    if len(services) != 1:
        raise EditError("the manifest has no Service %s/%s" % (namespace, name))
    spec = services[0].setdefault("spec", {})
    spec["type"] = "NodePort"
    if node_port is not None:
        ports = spec.get("ports") or []
        if port_index >= len(ports):
            raise EditError("Service %s/%s has no port %d" % (namespace, name, port_index))
        if not 30000 <= int(node_port) <= 32767:
            raise EditError("node port %s of Service %s/%s is outside the default range 30000-32767"
                            % (node_port, namespace, name))
        ports[port_index]["nodePort"] = int(node_port)
    return result


def node_selector_hosts(host_labels, node_selector):
    """The hosts (name -> their node labels, including kubernetes.io/hostname) a nodeSelector
    selects, sorted."""
    if not isinstance(node_selector, dict):
        raise EditError("a nodeSelector is a mapping of label to value")
    wanted = dict((str(k), "" if v is None else str(v)) for k, v in node_selector.items())
    return sorted(host for host, labels in host_labels.items()
                  if all(str((labels or {}).get(k, "\0")) == v for k, v in wanted.items()))


DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class"


def ingress_class(objects, name, controller, default=False, add=True):
    """The IngressClass ``name`` of ``controller``: added (networking.k8s.io/v1) when the
    manifest has none and ``add``; marked as the cluster's default class when ``default``."""
    result = copy.deepcopy(objects)
    classes = _find(result, "IngressClass", name)
    if not classes and add:
        classes = [{"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": name},
                    "spec": {"controller": controller}}]
        result.extend(classes)
    for klass in classes:
        theirs = (klass.get("spec") or {}).get("controller")
        if theirs != controller:
            raise EditError("IngressClass %s is for controller %s, not %s" % (name, theirs, controller))
        if default:
            klass["metadata"].setdefault("annotations", {})[DEFAULT_CLASS] = "true"
    return result
