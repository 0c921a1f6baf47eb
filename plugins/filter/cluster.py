# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.helmsman.kubeadm.plugins.module_utils import bundle, images, network_checks, node_meta
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors

mirror_image = filter_errors(images.mirror_ref)


def subnet_problems(pod_subnet, service_subnet, host_addresses=None):
    return network_checks.subnet_problems(pod_subnet, service_subnet, host_addresses or {})


def registry_push_plan(entries, registry, archive_dir):
    """Bundle image entries -> [{archive, name}] for helmsman.kubeadm.registry_images."""
    plan = []
    for entry in entries:
        plan.append({"archive": "%s/%s" % (archive_dir.rstrip("/"), entry["path"].rsplit("/", 1)[-1]),
                     "name": mirror_image(entry["image"], registry)})
    return plan


def bundle_mismatches(entries, found_files):
    return bundle.remote_mismatches(entries, found_files)


def inventory_problems(groups):
    return network_checks.inventory_problems(groups)


def host_addresses(hostvars, hosts):
    return network_checks.host_addresses(hostvars, hosts)


def node_metadata_patch(node, labels, taints):
    found = node_meta.problems(labels, taints)
    if found:
        raise AnsibleFilterError("; ".join(found))
    return node_meta.patch(node, labels, taints)


def node_metadata_problems(labels, taints):
    return node_meta.problems(labels, taints)


class FilterModule(object):
    def filters(self):
        return {
            "mirror_image": mirror_image,
            "subnet_problems": subnet_problems,
            "host_addresses": host_addresses,
            "inventory_problems": inventory_problems,
            "registry_push_plan": registry_push_plan,
            "bundle_mismatches": bundle_mismatches,
            "node_metadata_patch": node_metadata_patch,
            "node_metadata_problems": node_metadata_problems,
        }
