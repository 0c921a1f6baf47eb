# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where an add-on's manifests come from, and the checks on them before anything is parsed.

Three origins, chosen in this order:

* ``user``: the operator's own files (the role's ``<role>_manifest_files``), taken as given.
* ``bundle``: the offline bundle's ``manifests/<add-on>/<version>/<file name>`` entries, verified
  against the bundle's manifest.yaml. An entry whose ``source`` is the pinned upstream URL must
  also carry the pinned sha256: a bundle cannot pass off another file as upstream's.
* ``download``: the pinned upstream URL, verified against the pinned sha256 (on the controller).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os

from ansible_collections.helmsman.kubeadm.plugins.module_utils import addons


class SourceError(ValueError):
    pass


def bundle_path(addon, version, name):
    return "manifests/%s/%s/%s" % (addon, version, name)


def plan(addon, version, bundle_entries=None, user_files=None, variable=None, bundle_variable="cluster_bundle_dir"):
    """The files to read, in apply order: dicts with ``name``, ``origin`` (user, bundle or
    download), ``path`` (user and bundle) or ``url`` (download), and ``sha256`` (None for user
    files). ``bundle_entries``: the bundle's entries (None when there is no bundle)."""
    if user_files:
        if not isinstance(user_files, list) or not all(isinstance(f, str) and f for f in user_files):
            raise SourceError("%s: a list of manifest file paths on the controller" % (variable or "manifest files"))
        return [{"name": os.path.basename(f), "origin": "user", "path": f, "sha256": None} for f in user_files]
    entry = addons.release(addon, version)
    files = []
    if bundle_entries is not None:
        by_path = dict((e.get("path"), e) for e in bundle_entries if e.get("type") == "manifest")
        for pinned in entry["files"]:
            path = bundle_path(addon, version, pinned["name"])
            found = by_path.get(path)
            if found is None:
                raise SourceError("%s: the bundle has no %s (%s %s); add it to the bundle, or point %s at your own files"
                                  % (bundle_variable, path, addon, version, variable or "the add-on's manifest files"))
            if found.get("source") == pinned["url"] and found.get("sha256") != pinned["sha256"]:
                raise SourceError("%s: %s claims to be %s but its sha256 %s is not the pinned %s; refusing to apply it"
                                  % (bundle_variable, path, pinned["url"], found.get("sha256"), pinned["sha256"]))
            files.append({"name": pinned["name"], "origin": "bundle", "path": found["src"], "sha256": found["sha256"],
                          "source": found.get("source")})
        return files
    for pinned in entry["files"]:
        files.append({"name": pinned["name"], "origin": "download", "url": pinned["url"], "sha256": pinned["sha256"]})
    return files


def verify(data, expected, where):
    """Refuse ``data`` whose sha256 is not ``expected`` (None: nothing to compare)."""
    actual = hashlib.sha256(data).hexdigest()
    if expected and actual != expected:
        raise SourceError("%s has sha256 %s, expected %s; refusing to apply it" % (where, actual, expected))
    return actual


def cache_path(cache_dir, addon, version, name):
    return os.path.join(cache_dir, addon, version, name)
