# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.monitoring (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import monitoring
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


class FilterModule(object):
    def filters(self):
        return {
            "network_policy_admit": filter_errors(monitoring.network_policy_admit),
            "grafana_admin": filter_errors(monitoring.grafana_admin),
            "datasource_problems": filter_errors(monitoring.datasource_problems),
            "operator_workloads": filter_errors(monitoring.operator_workloads),
        }
