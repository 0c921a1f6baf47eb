# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The offline bundle: one folder with ``manifest.yaml``, OS packages and image archives.

manifest.yaml::

    apiVersion: helmsman.kubeadm/v1
    kind: Bundle
    files:
      - path: debs/ipvsadm_1.31-1+b1_amd64.deb
        type: deb
        sha256: <64 hex>
      - path: images/pause_3.10.1.tar
        type: image                       # docker-archive or OCI archive
        sha256: <64 hex>
        image: registry.k8s.io/pause:3.10.1
      - path: manifests/flannel/v0.28.9/kube-flannel.yml
        type: manifest                    # an add-on manifest, as downloaded
        sha256: <64 hex>
        source: https://raw.githubusercontent.com/flannel-io/flannel/v0.28.9/Documentation/kube-flannel.yml

Types: ``deb``, ``rpm`` (accepted and verified, not yet published: EL hosts are not supported),
``image`` and ``manifest`` (its ``source`` is the http(s) URL it was downloaded from).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import re
import stat

from ansible_collections.helmsman.kubeadm.plugins.module_utils import images

API_VERSION = "helmsman.kubeadm/v1"
TYPES = ("deb", "rpm", "image", "manifest")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


class BundleError(Exception):
    pass


def sha256_of(path, chunk=1024 * 1024):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while True:
            block = handle.read(chunk)
            if not block:
                break
            digest.update(block)
    return digest.hexdigest()


def validate(manifest, variable="cluster_bundle_dir"):
    """Check the manifest's structure; returns the file entries."""
    if not isinstance(manifest, dict):
        raise BundleError("%s: manifest.yaml is not a mapping" % variable)
    if manifest.get("apiVersion") != API_VERSION or manifest.get("kind") != "Bundle":
        raise BundleError("%s: manifest.yaml must have apiVersion %s and kind Bundle" % (variable, API_VERSION))
    files = manifest.get("files")
    if not isinstance(files, list):
        raise BundleError("%s: manifest.yaml has no files list" % variable)
    seen = set()
    for index, entry in enumerate(files):
        where = "%s: manifest.yaml files[%d]" % (variable, index)
        if not isinstance(entry, dict):
            raise BundleError("%s is not a mapping" % where)
        path = entry.get("path")
        if not isinstance(path, str) or not path or os.path.isabs(path) or ".." in path.split("/"):
            raise BundleError("%s: path %r must be relative to the bundle and stay inside it" % (where, path))
        if path in seen:
            raise BundleError("%s: path %s is listed twice" % (where, path))
        seen.add(path)
        if entry.get("type") not in TYPES:
            raise BundleError("%s: type %r is not one of %s" % (where, entry.get("type"), ", ".join(TYPES)))
        if not _SHA_RE.match(str(entry.get("sha256", ""))):
            raise BundleError("%s: sha256 must be 64 lowercase hex characters" % where)
        if entry["type"] == "image":
            try:
                images.parse(entry.get("image"))
            except images.ImageRefError as exc:
                raise BundleError("%s: %s" % (where, exc))
        if entry["type"] == "manifest" and not re.match(r"^https?://", str(entry.get("source", ""))):
            raise BundleError("%s: a manifest needs source, the http(s) URL it was downloaded from" % where)
    return files


def check_regular(directory, path, variable="cluster_bundle_dir"):
    """Refuse a listed file that is not a plain file of the bundle's own: a symlink (at the file or
    any folder on its way), a device, FIFO or socket, or a file with other hard links (which may
    be a controller file outside the bundle). Such a file would be copied to the registry host and
    served to every host. Returns the file's absolute path."""
    root = os.path.realpath(directory)
    current = root
    parts = path.split("/")
    for index, part in enumerate(parts):
        current = os.path.join(current, part)
        try:
            info = os.lstat(current)
        except OSError:
            raise BundleError("%s: %s is listed in manifest.yaml but missing" % (variable, path))
        if stat.S_ISLNK(info.st_mode):
            raise BundleError("%s: %s is a symbolic link (%s); the bundle must hold the file itself"
                              % (variable, path, "/".join(parts[:index + 1])))
        last = index == len(parts) - 1
        if not last and not stat.S_ISDIR(info.st_mode):
            raise BundleError("%s: %s is listed in manifest.yaml but missing" % (variable, path))
    if not stat.S_ISREG(info.st_mode):
        raise BundleError("%s: %s is not a regular file" % (variable, path))
    if info.st_nlink > 1:
        raise BundleError("%s: %s has %d hard links; the bundle must hold its own copy of the file"
                          % (variable, path, info.st_nlink))
    if os.path.commonpath([root, os.path.realpath(current)]) != root:
        raise BundleError("%s: %s resolves outside the bundle" % (variable, path))
    return current


def load(directory, variable="cluster_bundle_dir", verify=True, loader=None):
    """Read and check a bundle folder; every file's sha256 is verified unless ``verify`` is False.

    Returns the entries with ``src`` (absolute path) added.
    """
    if not directory or not os.path.isdir(directory):
        raise BundleError("%s: %r is not a directory" % (variable, directory))
    manifest_path = os.path.join(directory, "manifest.yaml")
    if not os.path.isfile(manifest_path):
        raise BundleError("%s: %s has no manifest.yaml" % (variable, directory))
    with open(manifest_path, "rb") as handle:
        text = handle.read()
    if loader is None:
        import yaml
        loader = yaml.safe_load
    try:
        manifest = loader(text)
    except Exception as exc:  # any YAML error
        raise BundleError("%s: manifest.yaml is not valid YAML: %s" % (variable, exc))
    entries = []
    for entry in validate(manifest, variable):
        src = check_regular(directory, entry["path"], variable)
        if verify:
            actual = sha256_of(src)
            if actual != entry["sha256"]:
                raise BundleError("%s: checksum mismatch for %s: manifest says %s, file has %s"
                                  % (variable, entry["path"], entry["sha256"], actual))
        item = dict(entry)
        item["src"] = os.path.abspath(src)
        entries.append(item)
    return entries


def remote_mismatches(entries, found_files):
    """Entries whose file is absent from ``found_files`` (ansible.builtin.find results with
    sha256 checksums) or has another checksum there; matched by file name."""
    present = {}
    for item in found_files or []:
        present[item["path"].rsplit("/", 1)[-1]] = item.get("checksum")
    return [e for e in entries if present.get(e["path"].rsplit("/", 1)[-1]) != e["sha256"]]
