# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.rollout (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import rollout
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


def rollout_workloads(objects):
    return [{"kind": k, "namespace": ns, "name": n} for k, ns, n in rollout.workloads(objects)]


def rollout_pending(objects, kinds=None):
    return rollout.pending(objects, tuple(kinds) if kinds else rollout.WORKLOAD_KINDS)


class FilterModule(object):
    def filters(self):
        return {
            "rollout_workloads": filter_errors(rollout_workloads),
            "rollout_problems": filter_errors(rollout.rollout_problems),
            "apply_results": filter_errors(rollout.apply_results),
            "rollout_pending": filter_errors(rollout_pending),
        }
