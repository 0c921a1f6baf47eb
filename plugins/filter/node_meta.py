# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.node_meta (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.helmsman.kubeadm.plugins.module_utils import node_meta


def node_metadata_patch(node, labels, taints):
    found = node_meta.problems(labels, taints)
    if found:
        raise AnsibleFilterError("; ".join(found))
    return node_meta.patch(node, labels, taints)


class FilterModule(object):
    def filters(self):
        return {"node_metadata_patch": node_metadata_patch, "node_metadata_problems": node_meta.problems}
