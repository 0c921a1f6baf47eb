# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.network_checks (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import network_checks


def subnet_problems(pod_subnet, service_subnet, host_addresses=None):
    return network_checks.subnet_problems(pod_subnet, service_subnet, host_addresses or {})


class FilterModule(object):
    def filters(self):
        return {
            "subnet_problems": subnet_problems,
            "host_addresses": network_checks.host_addresses,
            "inventory_problems": network_checks.inventory_problems,
            "hosts_block": network_checks.hosts_block,
            "recall_hosts_block": network_checks.recall_hosts_block,
        }
