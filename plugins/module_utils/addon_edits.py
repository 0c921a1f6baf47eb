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
- metrics-server: its container's args (created when the manifest has none) with the address
  types to reach kubelets by, never ``--kubelet-insecure-tls``; and the namespace a kustomize
  base leaves out.
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


def copy_matching(objects, kind, name=None, namespace=None):
    """A new list of ``objects`` in which only those ``kind``/``name`` (in ``namespace``) are
    deep copies, so that they can be edited without touching the input: copying a whole
    kube-prometheus (4 MB) for one edit costs seconds in Ansible."""
    return [copy.deepcopy(o) if _find([o], kind, name, namespace) else o for o in objects]


def service_node_port(objects, namespace, name, node_port=None, port_index=0):
    """Service ``namespace/name`` as type NodePort, with ``node_port`` on ports[port_index] when given."""
    result = copy_matching(objects, "Service", name, namespace)
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


# Kinds that are not namespaced (the ones add-on manifests carry).
CLUSTER_KINDS = ("Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "APIService",
                 "CustomResourceDefinition", "StorageClass", "IngressClass", "PriorityClass", "CSIDriver",
                 "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "PodSecurityPolicy",
                 "RuntimeClass")


def default_namespace(objects, namespace):
    """``namespace`` on every namespaced object without one, on ServiceAccount subjects of
    bindings and on APIService Services without one (kustomize's ``namespace:``, but never
    overriding a namespace the file sets)."""
    result = copy.deepcopy(objects)
    for obj in result:
        meta = obj.setdefault("metadata", {})
        if obj.get("kind") not in CLUSTER_KINDS and not meta.get("namespace"):
            meta["namespace"] = namespace
        if obj.get("kind") in ("RoleBinding", "ClusterRoleBinding"):
            for subject in obj.get("subjects") or []:
                if subject.get("kind") == "ServiceAccount" and not subject.get("namespace"):
                    subject["namespace"] = namespace
        if obj.get("kind") == "APIService":
            service = (obj.get("spec") or {}).get("service")
            if isinstance(service, dict) and not service.get("namespace"):
                service["namespace"] = namespace
    return result


INSECURE_TLS = "--kubelet-insecure-tls"
ADDRESS_TYPES = ("Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP")
ADDRESS_FLAG = "--kubelet-preferred-address-types"


def _flag_name(arg):
    return str(arg).split("=", 1)[0]


def metrics_args_problems(extra_args, address_types, args_variable="metrics_extra_args",
                          types_variable="metrics_address_types"):
    """Sentences naming the variable for extra args metrics-server must not get and address
    types it does not know."""
    problems = []
    if not isinstance(extra_args, list) or not all(isinstance(a, str) for a in extra_args):
        return ["%s: a list of flags such as --metric-resolution=30s" % args_variable]
    for arg in extra_args:
        if _flag_name(arg) == INSECURE_TLS:
            problems.append("%s: %s is refused: every kubelet has a serving certificate signed by the cluster CA "
                            "(serverTLSBootstrap, approved by the cluster role), which metrics-server verifies by "
                            "default; the flag would turn that verification off" % (args_variable, INSECURE_TLS))
        elif not arg.startswith("--"):
            problems.append("%s: %r is not a flag (--name=value)" % (args_variable, arg))
        elif _flag_name(arg) == ADDRESS_FLAG:
            problems.append("%s: set the address types with %s, not %s" % (args_variable, types_variable, ADDRESS_FLAG))
    if not isinstance(address_types, list) or not address_types:
        problems.append("%s: a non-empty list of %s" % (types_variable, ", ".join(ADDRESS_TYPES)))
    else:
        unknown = [t for t in address_types if t not in ADDRESS_TYPES]
        if unknown:
            problems.append("%s: unknown address types %s (known: %s)" % (types_variable, ", ".join(map(str, unknown)),
                                                                          ", ".join(ADDRESS_TYPES)))
        elif len(set(address_types)) != len(address_types):
            problems.append("%s: %s lists a type twice" % (types_variable, ", ".join(address_types)))
    return problems


def metrics_server_args(objects, address_types, extra_args=(), base_args=(), namespace="kube-system",
                        name="metrics-server"):
    """The metrics-server container of Deployment ``namespace/name`` with its args list (created
    when the manifest has none): ``--kubelet-preferred-address-types`` first, from
    ``address_types``, then upstream's args, ``base_args`` and ``extra_args``; a later flag replaces
    an earlier one of the same name. A manifest that already passes ``--kubelet-insecure-tls`` is
    refused."""
    problems = metrics_args_problems(list(extra_args), list(address_types))
    if problems:
        raise EditError("; ".join(problems))
    result = copy.deepcopy(objects)
    deployments = _find(result, "Deployment", name, namespace)
    if len(deployments) != 1:
        raise EditError("the manifest has no Deployment %s/%s" % (namespace, name))
    containers = ((deployments[0].get("spec") or {}).get("template") or {}).get("spec", {}).get("containers") or []
    own = [c for c in containers if c.get("name") == name] or containers[:1]
    if not own:
        raise EditError("Deployment %s/%s has no container" % (namespace, name))
    container = own[0]
    merged = {}
    for arg in list(container.get("args") or []) + list(base_args) + list(extra_args):
        if _flag_name(arg) == INSECURE_TLS:
            raise EditError("Deployment %s/%s passes %s: the manifest turns off the verification of kubelet serving "
                            "certificates; use one that does not" % (namespace, name, INSECURE_TLS))
        if _flag_name(arg) != ADDRESS_FLAG:
            merged.pop(_flag_name(arg), None)
            merged[_flag_name(arg)] = arg
    container["args"] = ["%s=%s" % (ADDRESS_FLAG, ",".join(address_types))] + list(merged.values())
    return result


def drop_objects(objects, refs):
    """``objects`` without those ``refs`` name (dicts with kind, name and, for namespaced
    objects, namespace); a ref that matches nothing is not an error (another release may not
    ship it)."""
    wanted = [(r.get("kind"), r.get("name"), r.get("namespace")) for r in refs or []]

    def named(obj):
        meta = obj.get("metadata") or {}
        return any(kind == obj.get("kind") and name == meta.get("name") and (namespace is None or namespace == meta.get("namespace"))
                   for kind, name, namespace in wanted)
    return [o for o in objects if not named(o)]
