# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.manifests (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import manifests
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


def k8s_documents(text, source="<manifest>"):
    return manifests.k8s_documents(str(text), source)


class FilterModule(object):
    def filters(self):
        return {
            "k8s_documents": filter_errors(k8s_documents),
            "manifest_images": filter_errors(manifests.manifest_images),
            "mirror_manifest": filter_errors(manifests.mirror_manifest),
            "override_images": filter_errors(manifests.override_images),
        }
