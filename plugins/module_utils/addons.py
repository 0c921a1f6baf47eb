# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Facts per add-on release: the upstream files (URL at a tag or commit and the sha256 of what
that URL serves), the order they are applied in, the Kubernetes releases the version works with
(``supported``; outside it the add-on is refused) and those upstream tests (``tested``; outside
it a warning), the images its manifests pull, and retirement notes. Also the API versions each
Kubernetes release stopped serving, to refuse manifests that use them.

flannel v0.28.9: upstream installs a kustomize-built release asset that is not in git, so no
checksum can be pinned for it; the table pins the git copy at the tag (Documentation/
kube-flannel.yml) instead. The two differ in the DaemonSet selector (the asset adds
``k8s-app: flannel``), which is immutable: a cluster installed from the asset cannot be switched
to this file in place (delete the DaemonSet first).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import kube_versions

RAW = "https://raw.githubusercontent.com/"

ADDONS = {
    "flannel": {
        "v0.12.0": {
            "released": "2020-03-12",
            "supported": (17, 21),  # rbac v1beta1 and PodSecurityPolicy
            "tested": (17, 21),
            "files": [
                {"name": "kube-flannel.yml", "sha256": "c5b33d9bdf5b9bdb1eb8aca3d565748694077ed23770008a79b3c248a34f2432",
                 "url": RAW + "flannel-io/flannel/v0.12.0/Documentation/kube-flannel.yml"},
            ],
            "images": ["quay.io/coreos/flannel:v0.12.0-%s" % arch for arch in ("amd64", "arm64", "arm", "ppc64le", "s390x")],
            "per_arch_daemonsets": True,
        },
        "v0.28.9": {
            "released": "2026-08-07",
            "supported": (17, None),
            "tested": (17, 36),
            "files": [
                {"name": "kube-flannel.yml", "sha256": "e875824be2f552b45711dbda91af81b17eb961d00025d914d9fef18fad8f09c0",
                 "url": RAW + "flannel-io/flannel/v0.28.9/Documentation/kube-flannel.yml"},
            ],
            "images": ["ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3", "ghcr.io/flannel-io/flannel:v0.28.9"],
        },
    },
    "ingress-nginx": {
        "0.30.0": {
            "released": "2020-02-24",
            "supported": (17, 21),  # rbac v1beta1
            "tested": (17, 17),
            "files": [
                {"name": "mandatory.yaml", "sha256": "11ebef783c9053339d073222b306a31168196551d678318528436c6007f55d63",
                 "url": RAW + "kubernetes/ingress-nginx/f1f90ef4954effb122412d9cd2d48e02063038a4/deploy/static/mandatory.yaml"},
                {"name": "service-nodeport.yaml",
                 "sha256": "fc652b7bbf8a5a806533f9fb556dc1782e0c183f4b64f51e45c3cdb97a766c18",
                 "url": RAW + "kubernetes/ingress-nginx/f1f90ef4954effb122412d9cd2d48e02063038a4/deploy/static/provider/"
                              "baremetal/service-nodeport.yaml"},
            ],
            "images": ["quay.io/kubernetes-ingress-controller/nginx-ingress-controller:0.30.0"],
        },
        "v1.15.1": {
            "released": "2026-03-19",
            "supported": (19, None),  # networking.k8s.io/v1 Ingress and IngressClass
            "tested": (31, 35),
            "files": [
                {"name": "deploy.yaml", "sha256": "16b9b62df45b8ed8f1ecaed0341d583b3360e4b63c41fe00413f6a1fa2f95bec",
                 "url": RAW + "kubernetes/ingress-nginx/controller-v1.15.1/deploy/static/provider/baremetal/deploy.yaml"},
            ],
            "images": [
                "registry.k8s.io/ingress-nginx/controller:v1.15.1@sha256:"
                "594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1",
                "registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.9@sha256:"
                "01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd",
            ],
            "retired": "ingress-nginx was retired upstream in March 2026: v1.15.1 is its last release and gets no "
                       "fixes, security fixes included; plan a move to a Gateway API implementation",
        },
    },
    "metrics-server": {
        "v0.3.6": {
            "released": "2019-10-14",
            "supported": (8, 21),  # rbac v1beta1 bindings, apiregistration v1beta1
            "tested": (8, 21),
            "files": [
                {"name": name, "sha256": sha, "url": RAW + "kubernetes-sigs/metrics-server/v0.3.6/deploy/1.8+/" + name}
                for name, sha in (
                    ("aggregated-metrics-reader.yaml", "63b058ebe88b8179b459777318be49b591fefe629d9258b10974aeed224b5530"),
                    ("auth-delegator.yaml", "2edfcc0541faf8962edbc9d4650571a165ba354631a79d6089c7cd44d43f4a51"),
                    ("auth-reader.yaml", "b8741ebac029d8b361843281e363e149edaa884739f7cf0450602e1413cfbb18"),
                    ("metrics-apiservice.yaml", "1da5c25e2942752e5097ccb99c72c4b3cc09f9d6f293f440e76b50eaae602ea7"),
                    ("metrics-server-deployment.yaml", "653ca40a9284330d51b3d6f34e1e5974a7527d912682952621728ebe2ef15f8d"),
                    ("metrics-server-service.yaml", "a1094393cb98af24b838dfe3c2dac8ede058cb0af4569fe9b23a807127da1130"),
                    ("resource-reader.yaml", "bc497d3288944f46ff890f8377b4c1f794796ef3e5a33935c0092d26587e36ea"),
                )
            ],
            "images": ["k8s.gcr.io/metrics-server-amd64:v0.3.6"],
            # The image's defaults: secure port 443, certificates written under the working
            # directory (the manifest mounts an emptyDir at /tmp for them).
            "args": ["--cert-dir=/tmp"],
        },
        "v0.9.0": {
            "released": "2026-07-13",
            "supported": (19, None),  # v1 APIs only; upstream's matrix lists 1.34 and later
            "tested": (34, 36),
            # The release asset components.yaml is built by kustomize and not in git, so no
            # checksum can be pinned for it: the git base at the tag is pinned instead, with what
            # the release overlay adds that matters to the API (the image in place of the base's
            # placeholder, the kube-system namespace where a base file leaves it out).
            "files": [
                {"name": name, "sha256": sha, "url": RAW + "kubernetes-sigs/metrics-server/v0.9.0/manifests/base/" + name}
                for name, sha in (
                    ("rbac.yaml", "510be174d47ae7d05ae6908ccb7ca7111008f18b5d1a920ebc6de6582c23b854"),
                    ("service.yaml", "1ce19a57f4769906255c3410a38a01fb0f803e21976ce160f506a90638cbb5c7"),
                    ("deployment.yaml", "18970227f17d0c6cb8e7a4a1cdde847117703afd3b0777badf8a006cfea252c2"),
                    ("apiservice.yaml", "03266df7891b56dfffebb855a031b524ed20c6736846417ccd491dd91c6c0ec3"),
                )
            ],
            "images": ["registry.k8s.io/metrics-server/metrics-server:v0.9.0"],
            "image_overrides": {"gcr.io/k8s-staging-metrics-server/metrics-server:master":
                                "registry.k8s.io/metrics-server/metrics-server:v0.9.0"},
            "namespace": "kube-system",
        },
    },
    "dashboard": {
        "v2.0.0": {
            "released": "2020-04-21",
            "supported": (17, 21),  # client-go 0.18
            "tested": (17, 18),
            "files": [
                {"name": "recommended.yaml", "sha256": "d8b96dfa27da511d5116fc3583281dd1da709c3c6e07b033e4f3424bc2ab64c8",
                 "url": RAW + "kubernetes/dashboard/v2.0.0/aio/deploy/recommended.yaml"},
            ],
            "images": ["docker.io/kubernetesui/dashboard:v2.0.0", "docker.io/kubernetesui/metrics-scraper:v1.0.4"],
            "retired": "the Kubernetes Dashboard was archived upstream in January 2026 and gets no fixes, security fixes "
                       "included; Headlamp (dashboard_ui: headlamp) is its recommended successor",
        },
        "v2.7.0": {
            "released": "2022-09-16",
            "supported": (19, None),
            "tested": (25, 25),
            "files": [
                {"name": "recommended.yaml", "sha256": "943ae40251f1ba64ef012c53271bf6766d1883dd024093e854567b56443764b8",
                 "url": RAW + "kubernetes/dashboard/v2.7.0/aio/deploy/recommended.yaml"},
            ],
            "images": ["docker.io/kubernetesui/dashboard:v2.7.0", "docker.io/kubernetesui/metrics-scraper:v1.0.8"],
            "retired": "the Kubernetes Dashboard was archived upstream in January 2026: v2.7.0 is its last manifest "
                       "release, targets Kubernetes 1.25 and gets no fixes, security fixes included; Headlamp "
                       "(dashboard_ui: headlamp) is its recommended successor",
        },
    },
    "headlamp": {
        "v0.45.0": {
            "released": "2026-08-21",
            "supported": (24, None),
            "tested": (36, 36),  # no matrix upstream; its backend is built with client-go 0.36
            "files": [
                {"name": "kubernetes-headlamp.yaml",
                 "sha256": "9a893b6ce1f14660f76c5d79848e64979944125406e762f76278143cd2b863a2",
                 "url": RAW + "kubernetes-sigs/headlamp/v0.45.0/kubernetes-headlamp.yaml"},
            ],
            "images": ["ghcr.io/headlamp-k8s/headlamp:v0.45.0"],
            # Upstream's plain manifest runs the floating :latest tag: pin it to the release.
            "image_overrides": {"ghcr.io/headlamp-k8s/headlamp:latest": "ghcr.io/headlamp-k8s/headlamp:v0.45.0"},
        },
    },
}

# API versions a release no longer serves: (first minor without it, apiVersion, kinds or None for
# every kind, replacement). From the Kubernetes deprecated API migration guide.
REMOVED_APIS = [
    (16, "extensions/v1beta1", ("DaemonSet", "Deployment", "ReplicaSet", "NetworkPolicy", "PodSecurityPolicy"),
     "apps/v1 (networking.k8s.io/v1 for NetworkPolicy, policy/v1beta1 for PodSecurityPolicy)"),
    (16, "apps/v1beta1", None, "apps/v1"),
    (16, "apps/v1beta2", None, "apps/v1"),
    (22, "admissionregistration.k8s.io/v1beta1", None, "admissionregistration.k8s.io/v1"),
    (22, "apiextensions.k8s.io/v1beta1", None, "apiextensions.k8s.io/v1"),
    (22, "apiregistration.k8s.io/v1beta1", None, "apiregistration.k8s.io/v1"),
    (22, "authentication.k8s.io/v1beta1", None, "authentication.k8s.io/v1"),
    (22, "authorization.k8s.io/v1beta1", None, "authorization.k8s.io/v1"),
    (22, "certificates.k8s.io/v1beta1", None, "certificates.k8s.io/v1"),
    (22, "coordination.k8s.io/v1beta1", None, "coordination.k8s.io/v1"),
    (22, "extensions/v1beta1", ("Ingress",), "networking.k8s.io/v1"),
    (22, "networking.k8s.io/v1beta1", ("Ingress", "IngressClass"), "networking.k8s.io/v1"),
    (22, "rbac.authorization.k8s.io/v1beta1", None, "rbac.authorization.k8s.io/v1"),
    (22, "scheduling.k8s.io/v1beta1", None, "scheduling.k8s.io/v1"),
    (22, "storage.k8s.io/v1beta1", ("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"), "storage.k8s.io/v1"),
    (25, "batch/v1beta1", ("CronJob",), "batch/v1"),
    (25, "discovery.k8s.io/v1beta1", ("EndpointSlice",), "discovery.k8s.io/v1"),
    (25, "events.k8s.io/v1beta1", ("Event",), "events.k8s.io/v1"),
    (25, "autoscaling/v2beta1", ("HorizontalPodAutoscaler",), "autoscaling/v2"),
    (25, "policy/v1beta1", ("PodDisruptionBudget",), "policy/v1"),
    (25, "policy/v1beta1", ("PodSecurityPolicy",), "Pod Security Admission (PodSecurityPolicy has no successor API)"),
    (25, "node.k8s.io/v1beta1", ("RuntimeClass",), "node.k8s.io/v1"),
    (26, "flowcontrol.apiserver.k8s.io/v1beta1", None, "flowcontrol.apiserver.k8s.io/v1"),
    (26, "autoscaling/v2beta2", ("HorizontalPodAutoscaler",), "autoscaling/v2"),
    (27, "storage.k8s.io/v1beta1", ("CSIStorageCapacity",), "storage.k8s.io/v1"),
    (29, "flowcontrol.apiserver.k8s.io/v1beta2", None, "flowcontrol.apiserver.k8s.io/v1"),
    (32, "flowcontrol.apiserver.k8s.io/v1beta3", None, "flowcontrol.apiserver.k8s.io/v1"),
]


class AddonError(ValueError):
    pass


def _range_text(first, last):
    return "1.%d%s" % (first, (" to 1.%d" % last) if last else " and later")


def release(addon, version, variable=None):
    """The table entry of ``addon`` at ``version``; an unknown one is refused naming the variable."""
    label = variable or "%s version" % addon
    if addon not in ADDONS:
        raise AddonError("%s: unknown add-on %r (known: %s)" % (label, addon, ", ".join(sorted(ADDONS))))
    if version not in ADDONS[addon]:
        raise AddonError("%s: %s %r is not a version this collection knows (known: %s)"
                         % (label, addon, version, ", ".join(sorted(ADDONS[addon]))))
    return dict(ADDONS[addon][version], addon=addon, version=version)


def default_version(addon, kubernetes_version):
    """The newest known release of ``addon`` that supports ``kubernetes_version``."""
    minor = kube_versions.minor_of(kubernetes_version)
    fitting = [(entry["released"], version) for version, entry in ADDONS[addon].items()
               if entry["supported"][0] <= minor and (entry["supported"][1] is None or minor <= entry["supported"][1])]
    if not fitting:
        raise AddonError("no known %s release supports Kubernetes %s" % (addon, kubernetes_version))
    return max(fitting)[1]


def support(addon, version, kubernetes_version, variable=None):
    """(problems, warnings) of running ``addon`` ``version`` on ``kubernetes_version``: outside
    the supported range is a problem, outside the tested one (or retired upstream) a warning."""
    entry = release(addon, version, variable)
    minor = kube_versions.minor_of(kubernetes_version)
    label = variable or "%s version" % addon
    problems, warnings = [], []
    first, last = entry["supported"]
    if minor < first or (last is not None and minor > last):
        problems.append("%s: %s %s works with Kubernetes %s, not %s" % (label, addon, version, _range_text(first, last),
                                                                        kubernetes_version))
    else:
        first, last = entry["tested"]
        if minor < first or (last is not None and minor > last):
            tested = _range_text(first, last)
            warnings.append("%s %s is tested upstream with Kubernetes %s, not %s" % (addon, version, tested, kubernetes_version))
    if entry.get("retired"):
        warnings.append(entry["retired"])
    return problems, warnings


def removed_api_problems(objects, kubernetes_version, source="manifest"):
    """One sentence per object whose apiVersion ``kubernetes_version`` no longer serves, naming
    the object and the replacement."""
    minor = kube_versions.minor_of(kubernetes_version)
    found = []
    for obj in objects:
        api, kind = obj.get("apiVersion"), obj.get("kind")
        for first, removed, kinds, replacement in REMOVED_APIS:
            if minor >= first and api == removed and (kinds is None or kind in kinds):
                meta = obj.get("metadata") or {}
                name = "%s/%s" % (meta["namespace"], meta.get("name")) if meta.get("namespace") else meta.get("name")
                found.append("%s: %s %s uses %s, which Kubernetes %s no longer serves (removed in 1.%d; use %s)"
                             % (source, kind, name, api, kubernetes_version, first, replacement))
                break
    return found
