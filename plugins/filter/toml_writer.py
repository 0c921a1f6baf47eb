# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.toml_writer (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import toml_writer
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


class FilterModule(object):
    def filters(self):
        return {"to_toml": filter_errors(toml_writer.to_toml)}
