# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
name: addon_manifests
short_description: An add-on's objects from its pinned manifests (bundle, download or your own files)
version_added: "0.2.0"
description:
  - Returns the Kubernetes objects of one add-on release, in apply order, read with
    P(helmsman.kubeadm.k8s_documents#filter) (lossless, never templated).
  - "The files come from, in this order: O(files) (your own manifests, taken as given); the offline
    bundle O(bundle_dir) (its C(manifests/<add-on>/<version>/<file>) entries, verified against the
    bundle's C(manifest.yaml); an entry that names the pinned upstream URL as its source must have
    the pinned sha256); or a download of the pinned upstream URL on the controller, verified
    against the pinned sha256 and kept in O(cache_dir), so later runs do not download again."
  - A checksum mismatch fails before any object is returned, so nothing is applied.
options:
  _terms:
    description: The add-on (a name from the collection's version table, for example C(flannel)).
    required: true
  version:
    description: The add-on release.
    type: str
    required: true
  bundle_dir:
    description: The offline bundle folder; empty for an online install.
    type: str
    default: ""
  files:
    description: Your own manifest files on the controller, in apply order (replace the pinned ones).
    type: list
    elements: str
    default: []
  variable:
    description: The variable O(files) came from, for error messages.
    type: str
  cache_dir:
    description: Where downloaded manifests are kept on the controller.
    type: str
    default: ~/.cache/helmsman-kubeadm/manifests
  timeout:
    description: Download timeout in seconds.
    type: int
    default: 60
author:
  - helmsman.kubeadm contributors (@helmsman)
"""

EXAMPLES = r"""
- name: Read flannel's objects
  ansible.builtin.set_fact:
    flannel_objects: >-
      {{ lookup('helmsman.kubeadm.addon_manifests', 'flannel', version='v0.28.9',
                bundle_dir=cluster_bundle_dir, wantlist=True) }}
"""

RETURN = r"""
_raw:
  description: The add-on's objects, in the order of its files.
  type: list
  elements: dict
"""

import os

from ansible.errors import AnsibleLookupError
from ansible.module_utils.urls import open_url
from ansible.plugins.lookup import LookupBase
from ansible_collections.helmsman.kubeadm.plugins.module_utils import addon_sources, addons, bundle, manifests


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        result = []
        for addon in terms:
            try:
                result.extend(self._objects(addon))
            except (addon_sources.SourceError, addons.AddonError, bundle.BundleError, manifests.ManifestError) as exc:
                raise AnsibleLookupError(str(exc))
        return result

    def _objects(self, addon):
        version = self.get_option("version")
        bundle_dir = self.get_option("bundle_dir")
        entries = bundle.load(bundle_dir, verify=False) if bundle_dir and not self.get_option("files") else None
        objects = []
        for item in addon_sources.plan(addon, version, entries, self.get_option("files"), self.get_option("variable")):
            data = self._read(addon, version, item)
            try:
                objects.extend(manifests.k8s_documents(data.decode("utf-8", "replace"), item.get("path") or item["url"]))
            except manifests.ManifestError as exc:
                if item["origin"] != "user":
                    raise
                raise manifests.ManifestError("%s: %s" % (self.get_option("variable") or "files", exc))
        return objects

    def _read(self, addon, version, item):
        if item["origin"] in ("user", "bundle"):
            path = os.path.expanduser(item["path"])
            if not os.path.isfile(path):
                raise addon_sources.SourceError("%s: no such file %s" % (self.get_option("variable") or addon, path))
            with open(path, "rb") as handle:
                data = handle.read()
            addon_sources.verify(data, item["sha256"], path)
            return data
        cached = addon_sources.cache_path(os.path.expanduser(self.get_option("cache_dir")), addon, version, item["name"])
        if os.path.isfile(cached):
            with open(cached, "rb") as handle:
                data = handle.read()
            try:
                addon_sources.verify(data, item["sha256"], cached)
                return data
            except addon_sources.SourceError:
                pass  # a damaged cache entry: download again
        try:
            data = open_url(item["url"], timeout=self.get_option("timeout")).read()
        except Exception as exc:  # every network error ends the same way
            raise addon_sources.SourceError("cannot download %s (%s %s): %s; offline, set cluster_bundle_dir"
                                            % (item["url"], addon, version, exc))
        addon_sources.verify(data, item["sha256"], item["url"])
        os.makedirs(os.path.dirname(cached), mode=0o755, exist_ok=True)
        with open(cached + ".tmp", "wb") as handle:
            handle.write(data)
        os.replace(cached + ".tmp", cached)
        return data
