# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.images (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import images
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors

mirror_image = filter_errors(images.mirror_ref)


def registry_push_plan(entries, registry, archive_dir):
    """Bundle image entries -> [{archive, name}] for helmsman.kubeadm.registry_images."""
    plan = []
    for entry in entries:
        plan.append({"archive": "%s/%s" % (archive_dir.rstrip("/"), entry["path"].rsplit("/", 1)[-1]),
                     "name": mirror_image(entry["image"], registry)})
    return plan


class FilterModule(object):
    def filters(self):
        return {"mirror_image": mirror_image, "registry_push_plan": registry_push_plan}
