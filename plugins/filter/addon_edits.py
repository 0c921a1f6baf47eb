# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.addon_edits (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import addon_edits
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


def node_selector_hosts(hostvars, hosts, node_selector):
    labels = {}
    for host in hosts:
        variables = hostvars[host]
        own = dict(variables.get("node_labels") or {})
        own.setdefault("kubernetes.io/hostname", variables.get("node_name") or host)
        own.setdefault("kubernetes.io/os", "linux")
        labels[host] = own
    return addon_edits.node_selector_hosts(labels, node_selector)


def metrics_server_args(objects, address_types, extra_args=None, base_args=None):
    return addon_edits.metrics_server_args(objects, address_types, extra_args or [], base_args or [])


class FilterModule(object):
    def filters(self):
        return {
            "flannel_net_conf": filter_errors(addon_edits.flannel_net_conf),
            "flannel_architectures": filter_errors(addon_edits.flannel_architectures),
            "kube_architectures": filter_errors(addon_edits.kube_architectures),
            "ingress_host_network": filter_errors(addon_edits.ingress_host_network),
            "service_node_port": filter_errors(addon_edits.service_node_port),
            "node_selector_hosts": filter_errors(node_selector_hosts),
            "ingress_class": filter_errors(addon_edits.ingress_class),
            "default_namespace": filter_errors(addon_edits.default_namespace),
            "metrics_server_args": filter_errors(metrics_server_args),
            "metrics_args_problems": filter_errors(addon_edits.metrics_args_problems),
            "drop_objects": filter_errors(addon_edits.drop_objects),
        }
