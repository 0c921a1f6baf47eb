# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.runtimes (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import runtimes
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


class FilterModule(object):
    def filters(self):
        return {
            "kube_runtime": filter_errors(runtimes.runtime_for),
            "kube_needs_cri_dockerd": filter_errors(runtimes.needs_cri_dockerd),
            "kube_cri_socket": filter_errors(runtimes.cri_socket),
        }
