# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.kube_versions (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.helmsman.kubeadm.plugins.module_utils import kube_versions
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


def kube_minor(version, variable=None):
    try:
        return kube_versions.minor_of(version)
    except kube_versions.VersionError as exc:
        raise AnsibleFilterError("%s: %s (1.17.0 to 1.37.x)" % (variable, exc) if variable else str(exc))


@filter_errors
def kube_pause_image(version):
    return "registry.k8s.io/pause:" + kube_versions.pause_tag(version)


class FilterModule(object):
    def filters(self):
        return {
            "kube_minor": kube_minor,
            "kube_pause_image": kube_pause_image,
            "kube_images": filter_errors(kube_versions.control_plane_images),
            "kubeadm_config_api": filter_errors(kube_versions.config_api),
            "kubeadm_config_apis": filter_errors(kube_versions.accepted_apis),
        }
