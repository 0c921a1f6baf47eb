# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The container runtime a cluster uses, and what follows from it: the one place these rules live.

* ``auto`` is containerd from Kubernetes 1.24 (dockershim left the kubelet in 1.24), docker before.
* docker from 1.24 needs cri-dockerd (Mirantis), whose socket is ``unix:///var/run/cri-dockerd.sock``.
* before 1.24 the kubelet talks to docker through dockershim; kubeadm's own default socket for it
  was ``/var/run/dockershim.sock`` (``DefaultDockerCRISocket``, a path without scheme).
* containerd: ``unix:///var/run/containerd/containerd.sock``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import kube_versions

RUNTIMES = ("containerd", "docker")
CHOICES = ("auto",) + RUNTIMES
DOCKERSHIM_REMOVED_MINOR = 24
SOCKETS = {
    "containerd": "unix:///var/run/containerd/containerd.sock",
    "cri-dockerd": "unix:///var/run/cri-dockerd.sock",
    "dockershim": "/var/run/dockershim.sock",
}


class RuntimeError_(ValueError):
    pass


def _minor(version):
    try:
        return kube_versions.minor_of(version)
    except kube_versions.VersionError as exc:
        raise RuntimeError_("cluster_kubernetes_version: %s (1.17.0 to 1.37.x)" % exc)


def runtime_for(choice, version):
    """``auto``, ``containerd`` or ``docker`` and a Kubernetes version -> the runtime used. Any
    other choice is returned as it is, for the role's argument spec to refuse by name."""
    if choice != "auto":
        return choice
    return "containerd" if _minor(version) >= DOCKERSHIM_REMOVED_MINOR else "docker"


def needs_cri_dockerd(runtime, version):
    """docker with a kubelet that no longer has dockershim."""
    return runtime == "docker" and _minor(version) >= DOCKERSHIM_REMOVED_MINOR


def cri_socket(runtime, version):
    """The CRI socket kubeadm and the kubelet use for ``runtime`` at ``version``."""
    if runtime not in RUNTIMES:  # refused by name by the argument specs; no socket to derive
        return ""
    if runtime == "containerd":
        return SOCKETS["containerd"]
    return SOCKETS["cri-dockerd"] if needs_cri_dockerd(runtime, version) else SOCKETS["dockershim"]
