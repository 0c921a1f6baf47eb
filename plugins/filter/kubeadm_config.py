# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.kubeadm_config (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import kubeadm_config
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


class FilterModule(object):
    def filters(self):
        return {
            "kubeadm_init_documents": filter_errors(kubeadm_config.init_documents, prefix="kubeadm_init_documents"),
            "kubeadm_join_documents": filter_errors(kubeadm_config.join_documents, prefix="kubeadm_join_documents"),
            "kubeadm_config_warnings": filter_errors(kubeadm_config.warnings, prefix="kubeadm_config_warnings"),
            "kubeadm_immutable_changes": filter_errors(kubeadm_config.immutable_changes),
            "kubeadm_init_addons": filter_errors(kubeadm_config.init_addons),
        }
