# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bundle builder's plain functions (playbooks/bundle.yml): which add-on files, images and
packages a bundle must carry for a site, where to fetch each from (the operator's mirrors), what
apt and skopeo print, and the refusal of a bundle that misses anything.

The image list is the site's own: the same parsing, edits and completeness function the add-on
roles run before their first apply, so a bundle carries exactly what those checks will ask for.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch
import re

from ansible_collections.helmsman.kubeadm.plugins.module_utils import (
    addon_edits, addon_sources, addons, completeness, images, kube_versions, manifests)


class BuildError(ValueError):
    pass


def manifest_plan(addon_versions, overrides=None, mirrors=None, variable="bundle_manifest_files",
                  mirrors_variable="bundle_manifest_mirrors"):
    """The add-on files to fetch: dicts with ``addon``, ``version``, ``name``, ``path`` (in the
    bundle), ``url`` (fetched from), ``source`` (recorded in manifest.yaml) and ``sha256``.

    ``addon_versions``: add-on name -> release. ``mirrors``: URL prefix -> the prefix to fetch
    from instead (the same bytes, so the pinned sha256 still holds and ``source`` stays the
    pinned URL). ``overrides``: add-on name -> [{name, url, sha256}], files you pin yourself
    (a newer build, or your own copies) under the pinned file names."""
    mirrors = mirrors or {}
    overrides = overrides or {}
    if not isinstance(mirrors, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mirrors.items()):
        raise BuildError("%s: a mapping of URL prefix to mirror URL prefix" % mirrors_variable)
    if not isinstance(overrides, dict):
        raise BuildError("%s: a mapping of add-on name to a list of {name, url, sha256}" % variable)
    unknown = sorted(set(overrides) - set(addon_versions))
    if unknown:
        raise BuildError("%s names add-ons this bundle does not carry: %s" % (variable, ", ".join(unknown)))
    plan = []
    for addon in sorted(addon_versions):
        version = addon_versions[addon]
        pinned = addons.release(addon, version)["files"]
        own = overrides.get(addon)
        if own is not None:
            by_name = _override_files(own, "%s.%s" % (variable, addon))
            names = [f["name"] for f in pinned]
            if sorted(by_name) != sorted(names):
                raise BuildError("%s.%s: give exactly the files of %s %s (%s); got %s"
                                 % (variable, addon, addon, version, ", ".join(names), ", ".join(sorted(by_name))))
            for name in names:
                entry = by_name[name]
                plan.append({"addon": addon, "version": version, "name": name,
                             "path": addon_sources.bundle_path(addon, version, name),
                             "url": entry["url"], "source": entry["url"], "sha256": entry["sha256"]})
            continue
        for pinned_file in pinned:
            plan.append({"addon": addon, "version": version, "name": pinned_file["name"],
                         "path": addon_sources.bundle_path(addon, version, pinned_file["name"]),
                         "url": rewrite_url(pinned_file["url"], mirrors), "source": pinned_file["url"],
                         "sha256": pinned_file["sha256"]})
    return plan


def _override_files(files, where):
    if not isinstance(files, list):
        raise BuildError("%s: a list of {name, url, sha256}" % where)
    by_name = {}
    for index, entry in enumerate(files):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) and entry.get(k)
                                                  for k in ("name", "url", "sha256")):
            raise BuildError("%s[%d]: needs name, url and sha256" % (where, index))
        if not re.match(r"^[0-9a-f]{64}$", entry["sha256"]):
            raise BuildError("%s[%d]: sha256 must be 64 lowercase hex characters" % (where, index))
        if not re.match(r"^https?://", entry["url"]):
            raise BuildError("%s[%d]: url must be an http(s) URL" % (where, index))
        by_name[entry["name"]] = entry
    return by_name


def rewrite_url(url, mirrors):
    """``url`` with its longest matching prefix in ``mirrors`` replaced."""
    for prefix in sorted(mirrors, key=len, reverse=True):
        if url.startswith(prefix):
            return mirrors[prefix] + url[len(prefix):]
    return url


def addon_objects(addon, version, texts, architectures):
    """The add-on's objects from its files' ``texts`` (name -> text, in any order), as the
    add-on roles read them before mirroring: parsed losslessly, flannel's DaemonSets kept for
    ``architectures``, the release's image overrides applied."""
    release = addons.release(addon, version)
    objects = []
    for pinned in release["files"]:
        if pinned["name"] not in texts:
            raise BuildError("%s %s: file %s was not fetched" % (addon, version, pinned["name"]))
        objects.extend(manifests.k8s_documents(texts[pinned["name"]], "%s/%s" % (addon, pinned["name"])))
    if addon == "flannel":
        objects = addon_edits.flannel_architectures(objects, architectures)
    overrides = release.get("image_overrides") or {}
    if overrides:
        found = manifests.manifest_images(objects)
        objects = manifests.override_images(objects, dict((k, v) for k, v in overrides.items() if k in found))
    return objects


def site_images(kubernetes_version, addon_objects_by_name, extra=(), cluster_configuration=None):
    """``{upstream image: [who needs it]}``: every enabled add-on's images, the control plane's
    (as ``kubeadm config images list`` names them for the release, from its default repository,
    with the CoreDNS and etcd tags ``cluster_configuration`` sets) and ``extra`` (other workloads
    you run from the private registry, e.g. the examples')."""
    needed = completeness.required_images(addon_objects_by_name,
                                          kube_versions.control_plane_images(kubernetes_version,
                                                                             cluster_configuration=cluster_configuration))
    for ref in extra:
        images.parse(ref)
        needed.setdefault(ref, []).append("extra")
    return needed


def source_ref(ref, mirrors):
    """Where to pull upstream ``ref`` from: ``mirrors`` maps a registry host (``docker.io`` for
    Docker Hub) to a mirror prefix (``mirror.example:5000/dockerhub``) holding the same paths."""
    registry, path, tag, digest = images.parse(ref)
    base = mirrors.get(registry)
    name = "%s/%s" % (base.rstrip("/") if base else registry, path)
    if digest:
        return "%s@%s" % (name, digest)
    return "%s:%s" % (name, tag)


def archive_path(ref):
    """The bundle path of ``ref``'s archive (the test bundle's naming: ``/`` and ``:`` -> ``_``)."""
    return "images/%s.tar" % re.sub(r"[/:@]", "_", ref)


OCI_TYPES = ("application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json")


def media_type(manifest):
    """A manifest's media type; OCI manifests may leave the field out (their config says it)."""
    if manifest.get("mediaType"):
        return manifest["mediaType"]
    if "manifests" in manifest:
        return OCI_TYPES[1]
    config = manifest.get("config") or {}
    if str(config.get("mediaType", "")).startswith("application/vnd.oci."):
        return OCI_TYPES[0]
    return ""


def archive_transport(media_type):
    """An OCI manifest keeps its digest in an OCI archive; a Docker one cannot be stored unchanged
    in either archive format (docker-archive rewrites it), so it goes to a docker-archive."""
    return "oci-archive" if media_type in OCI_TYPES else "docker-archive"


def madison_versions(output):
    """Versions from ``apt-cache madison`` output, in apt's order (newest first)."""
    found = []
    for line in output.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) >= 3 and parts[1] and parts[1] not in found:
            found.append(parts[1])
    return found


def pick_version(name, pattern, versions):
    """The newest of ``versions`` matching the apt-style ``pattern`` (``1.36.4-*``)."""
    for version in versions:
        if fnmatch.fnmatchcase(version, pattern):
            return version
    raise BuildError("%s: no version matching %s in the package sources (they have: %s)"
                     % (name, pattern, ", ".join(versions) or "none"))


_URI_RE = re.compile(r"^'(?P<url>[^']+)' (?P<file>\S+) (?P<size>\d+)(?: (?P<hash>\S+))?$")


def print_uris(output):
    """``apt-get install --print-uris`` lines -> [{url, file, size}] (apt prints a hash only for
    some sources; the SHA256 is taken from the package index instead, see ``index_hashes``)."""
    found = []
    for line in output.splitlines():
        match = _URI_RE.match(line.strip())
        if match:
            found.append({"url": match.group("url"), "file": match.group("file"), "size": int(match.group("size"))})
    return found


def paragraphs(text):
    """Debian control-file paragraphs (Packages, dpkg status, apt-cache show) -> dicts."""
    found, current, key = [], {}, None
    for line in text.splitlines():
        if not line.strip():
            if current:
                found.append(current)
            current, key = {}, None
        elif line[0] in " \t" and key:
            current[key] += "\n" + line.strip()
        elif ":" in line:
            key, _sep, value = line.partition(":")
            current[key] = value.strip()
    if current:
        found.append(current)
    return found


def index_hashes(show_output):
    """``apt-cache show`` output -> {"name=version": SHA256}."""
    return dict(("%s=%s" % (p["Package"], p["Version"]), p["SHA256"].lower()) for p in paragraphs(show_output)
                if p.get("Package") and p.get("Version") and p.get("SHA256"))


def deb_request(file_name):
    """``name=version`` of the .deb file name apt downloads to (``ipvsadm_1%3a1.31-1+b1_amd64.deb``:
    apt writes a version's epoch colon as %3a)."""
    name, version, _arch = file_name[:-len(".deb")].split("_")
    return "%s=%s" % (name, version.replace("%3a", ":"))


def installed(status_text):
    """Package names a dpkg status file has installed."""
    return set(p["Package"] for p in paragraphs(status_text)
               if p.get("Package") and p.get("Status", "").endswith(" installed"))


def problems(required_images, image_entries, manifest_plan_entries, manifest_entries, packages, deb_names):
    """What the bundle misses, one sentence each: an image the site needs without an archive, a
    planned add-on file not fetched (or with another checksum), a requested package without its
    .deb. ``deb_names``: package names of the carried .debs."""
    found = []
    carried = dict((e.get("image"), e) for e in image_entries)
    for ref in sorted(required_images):
        if ref not in carried:
            found.append("image %s (needed by %s) has no archive" % (ref, ", ".join(required_images[ref])))
    fetched = dict((e.get("path"), e) for e in manifest_entries)
    for planned in manifest_plan_entries:
        entry = fetched.get(planned["path"])
        if entry is None:
            found.append("%s (%s %s) was not fetched from %s" % (planned["path"], planned["addon"], planned["version"], planned["url"]))
        elif entry.get("sha256") != planned["sha256"]:
            found.append("%s has sha256 %s, expected %s" % (planned["path"], entry.get("sha256"), planned["sha256"]))
    for name in packages:
        if name.split("=", 1)[0] not in deb_names:
            found.append("package %s has no .deb" % name)
    return found


def document(entries):
    """manifest.yaml's content."""
    order = {"deb": 0, "rpm": 1, "image": 2, "manifest": 3}
    files = sorted(entries, key=lambda e: (order.get(e.get("type"), 9), e.get("path")))
    return {"apiVersion": "helmsman.kubeadm/v1", "kind": "Bundle", "files": files}
