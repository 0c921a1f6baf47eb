# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kubeadm's answer file, built as native dicts in kubeadm's own terms.

``init_documents`` returns InitConfiguration, ClusterConfiguration, KubeletConfiguration and
KubeProxyConfiguration for the configuration API the release reads (v1beta2 up to 1.21, v1beta3
1.22-1.30, v1beta4 from 1.31). Differences handled: extra arguments are a map before v1beta4 and
a ``[{name, value}]`` list from v1beta4. Users extend any document with a dict in kubeadm's own
field names (``extra``), merged recursively over what is generated.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

from ansible_collections.helmsman.kubeadm.plugins.module_utils import kube_versions

KUBELET_API = "kubelet.config.k8s.io/v1beta1"
KUBE_PROXY_API = "kubeproxy.config.k8s.io/v1alpha1"
PROXY_MODES = ("ipvs", "iptables", "nftables")
REQUIRED = ("advertise_address", "cri_socket", "pod_subnet", "service_subnet")


class ConfigError(ValueError):
    pass


def merge(base, extra):
    """Recursive dict merge; lists and scalars in ``extra`` replace those in ``base``."""
    result = copy.deepcopy(base)
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def extra_args(api, mapping):
    """kubeadm extra arguments in the form ``api`` expects (map, or name/value list from v1beta4)."""
    mapping = mapping or {}
    if api.endswith("v1beta4"):
        return [{"name": str(k), "value": str(v)} for k, v in sorted(mapping.items())]
    return dict((str(k), str(v)) for k, v in sorted(mapping.items()))


def node_registration(api, settings):
    """nodeRegistration: CRI socket, name, kubelet extra args (in the API's form), taints."""
    registration = {"criSocket": settings["cri_socket"]}
    if settings.get("node_name"):
        registration["name"] = settings["node_name"]
    if settings.get("kubelet_extra_args"):
        registration["kubeletExtraArgs"] = extra_args(api, settings["kubelet_extra_args"])
    if settings.get("taints") is not None:
        registration["taints"] = settings["taints"]
    return registration


def choose_api(version, forced=None, variable="master_kubeadm_api_version"):
    accepted = kube_versions.accepted_apis(version)
    if forced:
        if forced not in accepted:
            raise ConfigError("%s: kubeadm %s does not read %s (it reads %s)"
                              % (variable, version, forced, ", ".join(accepted) or "none of ours"))
        return forced
    return kube_versions.config_api(version)


def coredns_repository(version, image_repository):
    """The ``dns.imageRepository`` a private ``image_repository`` needs, or None.

    kubeadm pulls CoreDNS from ``<imageRepository>/coredns:<tag>`` unless imageRepository is its
    own default, for which it adds the ``coredns/`` path upstream moved the image to (1.21 on).
    A private registry mirrors that image by its upstream path (``<registry>/coredns/coredns``),
    so kubeadm must be told the folder, or CoreDNS never pulls (seen on a real kubeadm 1.36)."""
    images = kube_versions.images(version)
    if not images["coredns"].startswith("coredns/coredns:"):
        return None
    if image_repository.rstrip("/") == kube_versions.default_image_repository(version):
        return None
    return image_repository.rstrip("/") + "/coredns"


# The add-ons kubeadm init's addon phase installs, with what each leaves (kube-system).
INIT_ADDONS = (("coredns", "dns", "/apis/apps/v1/namespaces/kube-system/deployments/coredns"),
               ("kube-proxy", "proxy", "/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy"))


def init_addons(documents):
    """``[{name, path}]``: the add-ons ``kubeadm init`` installs with these init documents (its
    addon phase), each with the API path of what it leaves. An add-on is left out as kubeadm
    leaves it out: InitConfiguration ``skipPhases`` naming ``addon`` or ``addon/<name>``, or
    ClusterConfiguration ``dns.disabled``/``proxy.disabled`` (v1beta4)."""
    skipped, disabled = set(), set()
    for document in documents or []:
        if document.get("kind") == "InitConfiguration":
            skipped.update(document.get("skipPhases") or [])
        elif document.get("kind") == "ClusterConfiguration":
            disabled.update(key for key in ("dns", "proxy") if (document.get(key) or {}).get("disabled") is True)
    return [{"name": name, "path": path} for name, key, path in INIT_ADDONS
            if "addon" not in skipped and "addon/" + name not in skipped and key not in disabled]


def init_documents(version, settings):
    """The documents of ``kubeadm init --config`` for ``version``.

    settings: advertise_address, bind_port (6443), node_name, cri_socket, control_plane_endpoint,
    image_repository, pod_subnet, service_subnet, dns_domain, apiserver_extra_args,
    apiserver_cert_sans, kubelet_extra_args, taints (None = kubeadm's default), proxy_mode,
    bootstrap_tokens, api_version (forced), extra ({kind: dict}).
    """
    missing = [name for name in REQUIRED if not settings.get(name)]
    if missing:
        raise ConfigError("settings missing: %s" % ", ".join(missing))
    api = choose_api(version, settings.get("api_version"))
    proxy_mode = settings.get("proxy_mode", "ipvs")
    if proxy_mode not in PROXY_MODES:
        raise ConfigError("proxy mode %r is not one of %s" % (proxy_mode, ", ".join(PROXY_MODES)))
    registration = node_registration(api, settings)
    init = {"apiVersion": api, "kind": "InitConfiguration",
            "localAPIEndpoint": {"advertiseAddress": settings["advertise_address"],
                                 "bindPort": int(settings.get("bind_port", 6443))},
            "nodeRegistration": registration}
    if settings.get("bootstrap_tokens"):
        init["bootstrapTokens"] = settings["bootstrap_tokens"]
    cluster = {"apiVersion": api, "kind": "ClusterConfiguration",
               "kubernetesVersion": "v" + str(version).lstrip("v"),
               "imageRepository": settings.get("image_repository") or kube_versions.default_image_repository(version),
               "networking": {"podSubnet": settings["pod_subnet"], "serviceSubnet": settings["service_subnet"],
                              "dnsDomain": settings.get("dns_domain", "cluster.local")},
               "apiServer": {}}
    dns_repository = coredns_repository(version, cluster["imageRepository"])
    if dns_repository:
        cluster["dns"] = {"imageRepository": dns_repository}
    if settings.get("control_plane_endpoint"):
        cluster["controlPlaneEndpoint"] = settings["control_plane_endpoint"]
    if settings.get("apiserver_extra_args"):
        cluster["apiServer"]["extraArgs"] = extra_args(api, settings["apiserver_extra_args"])
    if settings.get("apiserver_cert_sans"):
        cluster["apiServer"]["certSANs"] = list(settings["apiserver_cert_sans"])
    kubelet = {"apiVersion": KUBELET_API, "kind": "KubeletConfiguration", "cgroupDriver": "systemd",
               "serverTLSBootstrap": True, "rotateCertificates": True}
    proxy = {"apiVersion": KUBE_PROXY_API, "kind": "KubeProxyConfiguration", "mode": proxy_mode}
    docs = [init, cluster, kubelet, proxy]
    extra = settings.get("extra") or {}
    unknown = sorted(set(extra) - set(d["kind"] for d in docs))
    if unknown:
        raise ConfigError("extra names kinds kubeadm init does not take here: %s" % ", ".join(unknown))
    return [merge(doc, extra.get(doc["kind"])) for doc in docs]


JOIN_REQUIRED = ("api_server_endpoint", "token", "ca_cert_hashes", "cri_socket")


def join_documents(version, settings):
    """The JoinConfiguration of ``kubeadm join --config`` for ``version``.

    settings: api_server_endpoint (host:port), token, ca_cert_hashes (list of sha256:<hex>),
    node_name, cri_socket, kubelet_extra_args, taints (None = none), api_version (forced),
    extra (dict merged over the document). Discovery is always CA-pinned: there is no way to ask
    for ``unsafeSkipCAVerification`` here, and ``extra`` may not switch it on either.
    """
    missing = [name for name in JOIN_REQUIRED if not settings.get(name)]
    if missing:
        raise ConfigError("settings missing: %s" % ", ".join(missing))
    hashes = list(settings["ca_cert_hashes"])
    bad = [h for h in hashes if not re.match(r"^sha256:[0-9a-f]{64}$", str(h))]
    if bad:
        raise ConfigError("CA pins must be sha256:<64 hex>: %s" % ", ".join(str(b) for b in bad))
    api = choose_api(version, settings.get("api_version"), variable="node_kubeadm_api_version")
    registration = node_registration(api, settings)
    doc = {"apiVersion": api, "kind": "JoinConfiguration",
           "discovery": {"bootstrapToken": {"apiServerEndpoint": settings["api_server_endpoint"],
                                            "token": settings["token"], "caCertHashes": hashes,
                                            "unsafeSkipCAVerification": False}},
           "nodeRegistration": registration}
    doc = merge(doc, settings.get("extra"))
    if doc["discovery"].get("bootstrapToken", {}).get("unsafeSkipCAVerification"):
        raise ConfigError("unsafeSkipCAVerification is refused: joins are always pinned to the cluster CA")
    return [doc]


def warnings(version, settings):
    """Operator-facing warnings about the chosen settings."""
    found = []
    if settings.get("proxy_mode", "ipvs") == "ipvs" and kube_versions.minor_of(version) >= 35:
        found.append("kube-proxy IPVS mode is deprecated from Kubernetes 1.35; consider nftables (GA since 1.33)")
    api = choose_api(version, settings.get("api_version"))
    if api == "kubeadm.k8s.io/v1beta3" and kube_versions.minor_of(version) >= 31:
        found.append("kubeadm.k8s.io/v1beta3 is deprecated from 1.31 and removed in 1.37")
    return found


# Settings kubeadm fixes at init: changing them in the answer file does nothing to a running
# cluster (kubeadm init does not run again), so a change must be refused, not written silently.
# (ClusterConfiguration path, variable to name).
IMMUTABLE = (
    (("networking", "podSubnet"), "cluster_pod_subnet"),
    (("networking", "serviceSubnet"), "cluster_service_subnet"),
    (("networking", "dnsDomain"), "master_dns_domain"),
    (("controlPlaneEndpoint",), "master_control_plane_endpoint"),
)


def _dig(document, path):
    for key in path:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def _version_tuple(text):
    match = re.match(r"^v?(\d+)\.(\d+)\.(\d+)", str(text or "").strip())
    return tuple(int(x) for x in match.groups()) if match else None


def immutable_changes(running, wanted_documents):
    """Messages (empty when fine) for settings that differ between the cluster's stored
    ClusterConfiguration (``running``, a dict or the YAML text of the kubeadm-config ConfigMap)
    and the ClusterConfiguration in ``wanted_documents`` (init_documents' output), for the settings
    that cannot change on an initialised cluster, and for a Kubernetes version below the running
    one (kubeadm does not downgrade)."""
    if isinstance(running, str):
        import yaml
        running = yaml.safe_load(running) or {}
    wanted = next((d for d in wanted_documents if d.get("kind") == "ClusterConfiguration"), {})
    problems = []
    for path, variable in IMMUTABLE:
        have = _dig(running, path) or ""
        want = _dig(wanted, path) or ""
        if str(have) != str(want):
            problems.append("%s: the cluster was built with %s %s, this run asks for %s; it cannot change on an "
                            "initialised cluster (reset and rebuild it, or set the variable back)"
                            % (variable, ".".join(path), have or '""', want or '""'))
    have_version = _version_tuple(running.get("kubernetesVersion"))
    want_version = _version_tuple(wanted.get("kubernetesVersion"))
    if have_version and want_version and want_version < have_version:
        problems.append("cluster_kubernetes_version: the cluster runs %s, this run asks for %s; kubeadm does not "
                        "downgrade a cluster" % (running.get("kubernetesVersion"), wanted.get("kubernetesVersion")))
    return problems
