# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.nfs (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import network_checks, nfs
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


def nfs_problems(exports, volumes=None, exports_variable="nfs_pv_exports", volumes_variable="nfs_pv_volumes"):
    return nfs.export_problems(exports, exports_variable) + nfs.volume_problems(volumes or [], exports, volumes_variable)


def nfs_client_addresses(hostvars, hosts):
    """Each host's address (network_checks.host_address: ansible_host when it is an IP address, else
    the default IPv4 address from the facts, else the one recalled for a host that did not answer),
    else its name (resolved by the server through /etc/hosts)."""
    found = []
    for host in hosts:
        address = network_checks.host_address(hostvars[host]) or host
        if address not in found:
            found.append(address)
    return found


class FilterModule(object):
    def filters(self):
        return {
            "nfs_problems": filter_errors(nfs_problems),
            "nfs_exports": filter_errors(nfs.exports_file),
            "ganesha_conf": filter_errors(nfs.ganesha_conf),
            "nfs_volume_objects": filter_errors(nfs.volume_objects),
            "nfs_client_addresses": filter_errors(nfs_client_addresses),
        }
