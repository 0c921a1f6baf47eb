# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.addons (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import addons
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


def addon_release(version, addon, variable=None):
    return addons.release(addon, version, variable)


def addon_default_version(kubernetes_version, addon):
    return addons.default_version(addon, kubernetes_version)


def addon_support(version, addon, kubernetes_version, variable=None):
    problems, warnings = addons.support(addon, version, kubernetes_version, variable)
    return {"problems": problems, "warnings": warnings}


class FilterModule(object):
    def filters(self):
        return {
            "addon_release": filter_errors(addon_release),
            "addon_default_version": filter_errors(addon_default_version),
            "addon_support": filter_errors(addon_support),
            "removed_api_problems": filter_errors(addons.removed_api_problems),
        }
