# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.runtimes (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.helmsman.kubeadm.plugins.module_utils import kube_versions, runtimes


def _filter_errors(function):
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (runtimes.RuntimeError_, kube_versions.VersionError) as exc:
            raise AnsibleFilterError(str(exc))
    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper


class FilterModule(object):
    def filters(self):
        return {
            "kube_runtime": _filter_errors(runtimes.runtime_for),
            "kube_needs_cri_dockerd": _filter_errors(runtimes.needs_cri_dockerd),
            "kube_cri_socket": _filter_errors(runtimes.cri_socket),
        }
