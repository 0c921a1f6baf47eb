# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.bundle_build for playbooks/bundle.yml (documented in the sidecar
files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import bundle_build
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


def bundle_manifest_plan(addon_versions, overrides=None, mirrors=None):
    return bundle_build.manifest_plan(addon_versions, overrides, mirrors)


def bundle_site_images(texts, addon_versions, kubernetes_version, architectures, extra=None, cluster_configuration=None):
    """``texts``: add-on -> {file name: text}."""
    plain = dict((addon, dict((name, str(text)) for name, text in (files or {}).items())) for addon, files in texts.items())
    objects = dict((addon, bundle_build.addon_objects(addon, addon_versions[addon], plain.get(addon) or {}, architectures))
                   for addon in addon_versions)
    return bundle_build.site_images(kubernetes_version, objects, extra or (), cluster_configuration or {})


def bundle_image_sources(required, mirrors=None):
    return [{"image": ref, "source": bundle_build.source_ref(ref, mirrors or {})} for ref in sorted(required)]


def bundle_problems(required, image_entries, plan, manifest_entries):
    return bundle_build.problems(required, image_entries, plan, manifest_entries, [], set())


def bundle_document(entries):
    return bundle_build.document(entries)


class FilterModule(object):
    def filters(self):
        return {
            "bundle_manifest_plan": filter_errors(bundle_manifest_plan),
            "bundle_site_images": filter_errors(bundle_site_images),
            "bundle_image_sources": filter_errors(bundle_image_sources),
            "bundle_problems": filter_errors(bundle_problems),
            "bundle_document": filter_errors(bundle_document),
        }
