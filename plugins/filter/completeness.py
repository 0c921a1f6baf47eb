# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.completeness (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import completeness, images
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


def required_images(addon_objects, control_plane_images=None):
    return completeness.required_images(addon_objects, control_plane_images or ())


def missing_images(required, registry, missing_private, expected_digests=None):
    """``missing_private``: the private references the registry reported missing."""
    present = dict((images.mirror_ref(ref, registry), None) for ref in required
                   if images.mirror_ref(ref, registry) not in set(missing_private or []))
    return completeness.missing_images(required, registry, present, expected_digests)


class FilterModule(object):
    def filters(self):
        return {
            "required_images": filter_errors(required_images),
            "missing_images": filter_errors(missing_images),
        }
