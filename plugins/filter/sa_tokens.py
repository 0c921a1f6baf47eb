# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.sa_tokens (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import sa_tokens
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


def duration_problems(value, variable="duration"):
    try:
        sa_tokens.parse_duration(value, variable)
    except sa_tokens.TokenError as exc:
        return [str(exc)]
    return []


class FilterModule(object):
    def filters(self):
        return {"duration_problems": filter_errors(duration_problems)}
