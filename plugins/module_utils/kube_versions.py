# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Facts per Kubernetes release: the kubeadm configuration API it reads and the images it uses.

kubeadm.k8s.io/v1beta2: 1.15 .. 1.26 (deprecated from 1.24); v1beta3: 1.22 .. 1.36 (deprecated
from 1.31, removed in 1.37); v1beta4: from 1.31. The collection writes the newest one a minor
reads (v1beta2 up to 1.21, v1beta3 for 1.22 to 1.30, v1beta4 from 1.31).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

MIN_MINOR = 17
MAX_MINOR = 37
# (first minor, last minor or None) per API version kubeadm reads.
ACCEPTED = {
    "kubeadm.k8s.io/v1beta2": (15, 26),
    "kubeadm.k8s.io/v1beta3": (22, 36),
    "kubeadm.k8s.io/v1beta4": (31, None),
}


class VersionError(ValueError):
    pass


def minor_of(version):
    """``1.36.4``, ``v1.17.6``, ``1.36`` -> 36; anything else is refused."""
    match = re.match(r"^v?1\.(\d+)(?:\.(\d+))?(?:[-+][0-9A-Za-z.-]+)?$", str(version).strip())
    if not match:
        raise VersionError("%r is not a Kubernetes version such as 1.36.4" % (version,))
    return int(match.group(1))


def supported(version):
    return MIN_MINOR <= minor_of(version) <= MAX_MINOR


def accepted_apis(version):
    minor = minor_of(version)
    return [api for api, (first, last) in sorted(ACCEPTED.items()) if first <= minor and (last is None or minor <= last)]


def config_api(version):
    """The kubeadm config apiVersion to write for ``version``."""
    minor = minor_of(version)
    if not supported(version):
        raise VersionError("Kubernetes %s is outside the supported range 1.%d to 1.%d" % (version, MIN_MINOR, MAX_MINOR))
    if minor <= 21:
        return "kubeadm.k8s.io/v1beta2"
    if minor <= 30:
        return "kubeadm.k8s.io/v1beta3"
    return "kubeadm.k8s.io/v1beta4"


# Images kubeadm uses, per minor: (first release with these values, CoreDNS path:tag relative to
# the image repository, etcd tag, pause tag). Source: `kubeadm config images list` of each
# released kubeadm (as collected by minikube's generator); 1.37 GA is taken to keep beta.0's values.
_IMAGES = {
    17: [("v1.17.0", "coredns:1.6.5", "3.4.3-0", "3.1")],
    18: [("v1.18.0", "coredns:1.6.7", "3.4.3-0", "3.2")],
    19: [("v1.19.0", "coredns:1.7.0", "3.4.9-1", "3.2"), ("v1.19.1", "coredns:1.7.0", "3.4.13-0", "3.2")],
    20: [("v1.20.0", "coredns:1.7.0", "3.4.13-0", "3.2")],
    21: [("v1.21.0", "coredns/coredns:v1.8.0", "3.4.13-0", "3.4.1")],
    22: [("v1.22.0", "coredns/coredns:v1.8.4", "3.5.0-0", "3.5"), ("v1.22.17", "coredns/coredns:v1.8.4", "3.5.6-0", "3.5")],
    23: [("v1.23.0", "coredns/coredns:v1.8.6", "3.5.1-0", "3.6"), ("v1.23.14", "coredns/coredns:v1.8.6", "3.5.5-0", "3.6"),
         ("v1.23.15", "coredns/coredns:v1.8.6", "3.5.6-0", "3.6")],
    24: [("v1.24.0", "coredns/coredns:v1.8.6", "3.5.3-0", "3.7"), ("v1.24.8", "coredns/coredns:v1.8.6", "3.5.5-0", "3.7"),
         ("v1.24.9", "coredns/coredns:v1.8.6", "3.5.6-0", "3.7")],
    25: [("v1.25.0", "coredns/coredns:v1.9.3", "3.5.4-0", "3.8"), ("v1.25.4", "coredns/coredns:v1.9.3", "3.5.5-0", "3.8"),
         ("v1.25.5", "coredns/coredns:v1.9.3", "3.5.6-0", "3.8"), ("v1.25.15", "coredns/coredns:v1.9.3", "3.5.9-0", "3.8")],
    26: [("v1.26.0", "coredns/coredns:v1.9.3", "3.5.6-0", "3.9"), ("v1.26.10", "coredns/coredns:v1.9.3", "3.5.9-0", "3.9"),
         ("v1.26.13", "coredns/coredns:v1.9.3", "3.5.10-0", "3.9")],
    27: [("v1.27.0", "coredns/coredns:v1.10.1", "3.5.7-0", "3.9"), ("v1.27.7", "coredns/coredns:v1.10.1", "3.5.9-0", "3.9"),
         ("v1.27.10", "coredns/coredns:v1.10.1", "3.5.10-0", "3.9"), ("v1.27.12", "coredns/coredns:v1.10.1", "3.5.12-0", "3.9")],
    28: [("v1.28.0", "coredns/coredns:v1.10.1", "3.5.9-0", "3.9"), ("v1.28.6", "coredns/coredns:v1.10.1", "3.5.10-0", "3.9"),
         ("v1.28.8", "coredns/coredns:v1.10.1", "3.5.12-0", "3.9"), ("v1.28.14", "coredns/coredns:v1.10.1", "3.5.15-0", "3.9")],
    29: [("v1.29.0", "coredns/coredns:v1.11.1", "3.5.10-0", "3.9"), ("v1.29.3", "coredns/coredns:v1.11.1", "3.5.12-0", "3.9"),
         ("v1.29.9", "coredns/coredns:v1.11.1", "3.5.15-0", "3.9"), ("v1.29.11", "coredns/coredns:v1.11.1", "3.5.16-0", "3.9")],
    30: [("v1.30.0", "coredns/coredns:v1.11.1", "3.5.12-0", "3.9"), ("v1.30.5", "coredns/coredns:v1.11.3", "3.5.15-0", "3.9")],
    31: [("v1.31.0", "coredns/coredns:v1.11.1", "3.5.15-0", "3.10"), ("v1.31.1", "coredns/coredns:v1.11.3", "3.5.15-0", "3.10"),
         ("v1.31.14", "coredns/coredns:v1.11.3", "3.5.24-0", "3.10")],
    32: [("v1.32.0", "coredns/coredns:v1.11.3", "3.5.16-0", "3.10"), ("v1.32.10", "coredns/coredns:v1.11.3", "3.5.24-0", "3.10")],
    33: [("v1.33.0", "coredns/coredns:v1.12.0", "3.5.21-0", "3.10"), ("v1.33.6", "coredns/coredns:v1.12.0", "3.5.24-0", "3.10")],
    34: [("v1.34.0", "coredns/coredns:v1.12.1", "3.6.4-0", "3.10.1"), ("v1.34.2", "coredns/coredns:v1.12.1", "3.6.5-0", "3.10.1")],
    35: [("v1.35.0", "coredns/coredns:v1.13.1", "3.6.6-0", "3.10.1")],
    36: [("v1.36.0", "coredns/coredns:v1.14.2", "3.6.8-0", "3.10.2")],
    37: [("v1.37.0", "coredns/coredns:v1.14.6", "3.7.0-0", "3.10.2")],
}
# First patch of each minor that defaults to registry.k8s.io (k8s.gcr.io before; from 1.25 always).
_REGISTRY_K8S_IO_FROM = {22: 17, 23: 15, 24: 9}


def _patch_of(version):
    match = re.match(r"^v?1\.\d+\.(\d+)", str(version).strip())
    return int(match.group(1)) if match else 0


def images(version):
    """{coredns, etcd, pause} kubeadm uses for ``version`` (``1.36.4``)."""
    minor = minor_of(version)
    if minor not in _IMAGES:
        raise VersionError("no image facts for Kubernetes %s (supported: 1.%d to 1.%d)" % (version, MIN_MINOR, MAX_MINOR))
    chosen = _IMAGES[minor][0]
    for row in _IMAGES[minor]:
        if _patch_of(version) >= _patch_of(row[0]):
            chosen = row
    return {"coredns": chosen[1], "etcd": chosen[2], "pause": chosen[3]}


def pause_tag(version):
    return images(version)["pause"]


def default_image_repository(version):
    """The repository kubeadm pulls from by default for ``version``."""
    minor = minor_of(version)
    if minor <= 21 or (minor in _REGISTRY_K8S_IO_FROM and _patch_of(version) < _REGISTRY_K8S_IO_FROM[minor]):
        return "k8s.gcr.io"
    return "registry.k8s.io"


def control_plane_images(version, repository=None, cluster_configuration=None):
    """Every image ``kubeadm config images list`` names for ``version``, from ``repository``.

    ``cluster_configuration`` (a ClusterConfiguration's fields, or part of them) changes the tags
    as kubeadm does: ``dns.imageTag`` for CoreDNS and ``etcd.local.imageTag`` for etcd (a site
    that builds or mirrors a patch kubeadm does not expect names it there)."""
    repo = (repository or default_image_repository(version)).rstrip("/")
    tag = "v" + str(version).lstrip("v")
    facts = images(version)
    config = cluster_configuration or {}
    dns_tag = (config.get("dns") or {}).get("imageTag")
    etcd_tag = ((config.get("etcd") or {}).get("local") or {}).get("imageTag")
    coredns = facts["coredns"] if not dns_tag else "%s:%s" % (facts["coredns"].rsplit(":", 1)[0], dns_tag)
    names = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy"]
    return (["%s/%s:%s" % (repo, name, tag) for name in names]
            + ["%s/pause:%s" % (repo, facts["pause"]), "%s/etcd:%s" % (repo, etcd_tag or facts["etcd"]),
               "%s/%s" % (repo, coredns)])
