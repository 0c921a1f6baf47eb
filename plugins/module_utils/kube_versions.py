# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which kubeadm configuration API each Kubernetes minor reads.

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


# pause image tag kubeadm uses per minor (kubeadm config images list).
_PAUSE = [(17, "3.1"), (18, "3.2"), (21, "3.4.1"), (22, "3.5"), (23, "3.6"), (24, "3.7"), (25, "3.8"),
          (26, "3.9"), (31, "3.10"), (34, "3.10.1"), (36, "3.10.2")]


def pause_tag(version):
    minor = minor_of(version)
    tag = None
    for first, value in _PAUSE:
        if minor >= first:
            tag = value
    if tag is None:
        raise VersionError("no pause image known for Kubernetes %s" % version)
    return tag
