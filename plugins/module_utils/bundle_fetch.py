# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bundle builder's fetching, behind the bundle_images and bundle_packages modules: images
copied into archives with skopeo, pinned to the digest inspected first; OS packages resolved by
apt against the hosts' own package state and downloaded with apt's checksums. ``run(argv)``
returns ``(rc, stdout, stderr)``; ``fetch(url, dest)`` downloads one file."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
import shutil
import tempfile

from ansible_collections.helmsman.kubeadm.plugins.module_utils import bundle_build, images
from ansible_collections.helmsman.kubeadm.plugins.module_utils.bundle import sha256_of


class FetchError(Exception):
    def __init__(self, msg, result=None):
        super(FetchError, self).__init__(msg)
        self.result = result or {}


def download(open_url, url, target, timeout=60):
    """Stream ``url`` into ``target`` with ``open_url`` (ansible.module_utils.urls')."""
    response = open_url(url, timeout=timeout)
    with open(target, "wb") as handle:
        for block in iter(lambda: response.read(1 << 20), b""):
            handle.write(block)


def previous_entries(bundle_dir):
    """The entries of the bundle's current manifest.yaml, by path ({} when there is none)."""
    path = os.path.join(bundle_dir, "manifest.yaml")
    if not os.path.exists(path):
        return {}
    import yaml  # pylint: disable=import-outside-toplevel
    with open(path, "r") as handle:
        data = yaml.safe_load(handle) or {}
    return dict((e.get("path"), e) for e in data.get("files") or [] if isinstance(e, dict))


def _platform_manifest(index, architecture):
    for entry in index.get("manifests") or []:
        platform = entry.get("platform") or {}
        if platform.get("architecture") == architecture and platform.get("os", "linux") == "linux":
            return entry.get("digest")
    return None


def _tls(ref, insecure):
    registry = ref.split("/", 1)[0]
    return ["--src-tls-verify=false"] if registry in insecure else []


def image_entry(item, params, run, check_mode, previous):
    """Fetch one image (``item``: {image, source}); returns (entry, changed)."""
    ref, source = item["image"], item["source"]
    tls = _tls(source, params["insecure_registries"])
    inspect_tls = [a.replace("--src-", "--") for a in tls]
    rc, out, err = run([params["skopeo"], "inspect", "--raw"] + inspect_tls + ["docker://" + source])
    if rc != 0:
        raise FetchError("%s: cannot read %s from its source %s: %s" % (params["variable"], ref, source, err.strip()))
    raw = out.encode("utf-8") if not isinstance(out, bytes) else out
    manifest = json.loads(raw)
    digest = "sha256:" + hashlib.sha256(raw).hexdigest()
    media_type = bundle_build.media_type(manifest)
    archs = params["architectures"]
    copy_args = []
    pulled = digest
    if "manifests" in manifest:
        if len(archs) == 1:
            pulled = _platform_manifest(manifest, archs[0])
            if not pulled:
                raise FetchError("%s: %s has no linux/%s image" % (params["variable"], ref, archs[0]))
            rc, out, err = run([params["skopeo"], "inspect", "--raw"] + inspect_tls
                               + ["docker://%s@%s" % (source.rsplit(":", 1)[0] if "@" not in source else source.split("@")[0], pulled)])
            if rc != 0:
                raise FetchError("%s: cannot read %s for %s: %s" % (params["variable"], ref, archs[0], err.strip()))
            media_type = bundle_build.media_type(json.loads(out))
            digest = pulled
        else:
            copy_args = ["--multi-arch", "all"]
    transport = bundle_build.archive_transport(media_type)
    if copy_args:
        transport = "oci-archive"
    path = bundle_build.archive_path(ref)
    target = os.path.join(params["dest"], path)
    old = previous.get(path) or {}
    if old.get("image") == ref and old.get("digest") == digest and os.path.exists(target) and sha256_of(target) == old.get("sha256"):
        return old, False
    entry = {"path": path, "type": "image", "image": ref, "digest": digest,
             "digest_preserved": transport == "oci-archive" and media_type in bundle_build.OCI_TYPES}
    if check_mode:
        entry["sha256"] = old.get("sha256") or "0" * 64
        return entry, True
    repo = source.split("@")[0]
    if ":" in repo.rsplit("/", 1)[-1]:
        repo = repo.rsplit(":", 1)[0]
    registry, upstream_path, tag, _digest = images.parse(ref)
    tmp = target + ".part"
    if os.path.exists(tmp):
        os.unlink(tmp)
    dest_ref = "%s/%s:%s" % (registry, upstream_path, tag or "latest")
    argv = [params["skopeo"], "copy", "--quiet"] + tls + copy_args
    if entry["digest_preserved"]:
        argv.append("--preserve-digests")
    argv += ["docker://%s@%s" % (repo, pulled),
             "%s:%s:%s" % (transport, tmp, dest_ref if transport == "docker-archive" else (tag or "latest"))]
    rc, out, err = run(argv)
    if rc != 0:
        raise FetchError("%s: copying %s from %s failed: %s" % (params["variable"], ref, source, err.strip()))
    os.rename(tmp, target)
    entry["sha256"] = sha256_of(target)
    return entry, True


def fetch_images(params, run, check_mode):
    """params: images [{image, source}], dest, architectures, insecure_registries, skopeo,
    variable, prune. Returns the module result."""
    if not check_mode:
        os.makedirs(os.path.join(params["dest"], "images"), exist_ok=True)
    previous = previous_entries(params["dest"])
    entries, fetched = [], []
    for item in params["images"]:
        entry, changed = image_entry(item, params, run, check_mode, previous)
        entries.append(entry)
        if changed:
            fetched.append(item["image"])
    pruned = _prune(params["dest"], "images", [e["path"] for e in entries], ".tar", check_mode) if params["prune"] else []
    return {"changed": bool(fetched or pruned), "entries": entries, "fetched": fetched, "pruned": pruned}


def _prune(dest, folder, keep, suffix, check_mode):
    keep = set(os.path.basename(p) for p in keep)
    removed = []
    if not os.path.isdir(os.path.join(dest, folder)):
        return removed
    for name in sorted(os.listdir(os.path.join(dest, folder))):
        if (name.endswith(suffix) or name.endswith(".part")) and name not in keep:
            removed.append("%s/%s" % (folder, name))
            if not check_mode:
                os.unlink(os.path.join(dest, folder, name))
    return removed


def apt_options(root, architecture, status):
    return ["-o", "Dir::Etc::SourceList=%s/sources.list" % root,
            "-o", "Dir::Etc::SourceParts=%s/sources.list.d" % root,
            "-o", "Dir::Etc::Preferences=%s/preferences" % root,
            "-o", "Dir::Etc::PreferencesParts=%s/preferences.d" % root,
            "-o", "Dir::State=%s/state" % root,
            "-o", "Dir::State::status=%s" % status,
            "-o", "Dir::Cache=%s/cache" % root,
            "-o", "Dir::Cache::archives=%s/archives" % root,
            "-o", "APT::Architecture=%s" % architecture,
            "-o", "APT::Architectures::=%s" % architecture,
            "-o", "Debug::NoLocking=1",
            "-o", "APT::Sandbox::User=%s" % _user(),
            "-o", "APT::Install-Recommends=false"]


def _user():
    import pwd  # pylint: disable=import-outside-toplevel
    return pwd.getpwuid(os.getuid()).pw_name


def fetch_packages(params, run, fetch, check_mode):
    """params: sources (sources.list lines), packages (name or name=apt version pattern),
    architecture, baseline_status (a dpkg status file of a freshly installed host, or ""),
    dest, apt_get, apt_cache, variable, prune. Returns the module result."""
    debs_dir = os.path.join(params["dest"], "debs")
    if not check_mode:
        os.makedirs(debs_dir, exist_ok=True)
    root = tempfile.mkdtemp(prefix="hk-bundle-apt-")
    try:
        for sub in ("sources.list.d", "preferences.d", "state/lists/partial", "cache", "archives/partial"):
            os.makedirs(os.path.join(root, sub))
        with open(os.path.join(root, "sources.list"), "w") as handle:
            handle.write("\n".join(params["sources"]) + "\n")
        status = os.path.join(root, "status")
        if params["baseline_status"]:
            shutil.copyfile(params["baseline_status"], status)
        else:
            open(status, "w").close()
        opts = apt_options(root, params["architecture"], status)
        rc, out, err = run([params["apt_get"], "-q", "update"] + opts)
        if rc != 0 or "\nE: " in "\n" + err or "\nW: Failed to fetch" in "\n" + err:
            raise FetchError("%s: apt could not read the package sources: %s" % (params["variable"], (err or out).strip()))
        wanted = []
        for request in params["packages"]:
            name, _sep, pattern = request.partition("=")
            if pattern and any(c in pattern for c in "*?["):
                rc, out, err = run([params["apt_cache"], "madison", name] + opts)
                pattern = bundle_build.pick_version(name, pattern, bundle_build.madison_versions(out))
            wanted.append("%s=%s" % (name, pattern) if pattern else name)
        rc, out, err = run([params["apt_get"], "-q", "-y", "install", "--download-only", "--print-uris"] + opts + wanted)
        if rc != 0:
            raise FetchError("%s: apt cannot resolve %s: %s" % (params["variable"], " ".join(wanted), (err or out).strip()))
        uris = bundle_build.print_uris(out)
        hashes = {}
        if uris:
            rc, out, err = run([params["apt_cache"], "show", "--no-all-versions"] + opts + [bundle_build.deb_request(u["file"]) for u in uris])
            if rc != 0:
                raise FetchError("%s: apt-cache show failed: %s" % (params["variable"], (err or out).strip()))
            hashes = bundle_build.index_hashes(out)
        with open(status, "r") as handle:
            baseline = bundle_build.installed(handle.read())
    finally:
        shutil.rmtree(root, ignore_errors=True)
    carried = set(u["file"].split("_", 1)[0] for u in uris)
    lost = [r for r in wanted if r.split("=", 1)[0] not in carried | baseline]
    if lost:
        raise FetchError("%s: apt resolved neither a download nor an installed package for %s"
                         % (params["variable"], ", ".join(lost)))
    entries, fetched = [], []
    for item in uris:
        target = os.path.join(debs_dir, item["file"])
        item["sha256"] = hashes.get(bundle_build.deb_request(item["file"]))
        if not item["sha256"]:
            raise FetchError("%s: the package index gives no SHA256 for %s" % (params["variable"], item["file"]))
        if not (os.path.exists(target) and sha256_of(target) == item["sha256"]):
            fetched.append(item["file"])
            if not check_mode:
                fetch(item["url"], target + ".part")
                actual = sha256_of(target + ".part")
                if actual != item["sha256"]:
                    os.unlink(target + ".part")
                    raise FetchError("%s: %s has sha256 %s, the package index says %s"
                                     % (params["variable"], item["url"], actual, item["sha256"]))
                os.rename(target + ".part", target)
        entries.append({"path": "debs/" + item["file"], "type": "deb", "sha256": item["sha256"],
                        "package": item["file"].split("_", 1)[0]})
    pruned = _prune(params["dest"], "debs", [e["path"] for e in entries], ".deb", check_mode) if params["prune"] else []
    return {"changed": bool(fetched or pruned), "entries": entries, "fetched": fetched, "pruned": pruned,
            "resolved": wanted}


def fetch_files(params, fetch, check_mode):
    """params: files [{url, path, sha256}] (path relative to dest), dest, variable. Each file is
    downloaded beside its target, checked against its sha256 and then moved into place; one that
    is already there with that sha256 is left alone."""
    fetched = []
    for item in params["files"]:
        target = os.path.join(params["dest"], item["path"])
        if os.path.exists(target) and sha256_of(target) == item["sha256"]:
            continue
        fetched.append(item["path"])
        if check_mode:
            continue
        if not os.path.isdir(os.path.dirname(target)):
            os.makedirs(os.path.dirname(target))
        try:
            fetch(item["url"], target + ".part")
        except Exception as exc:  # pylint: disable=broad-except
            raise FetchError("%s: %s could not be downloaded from %s: %s" % (params["variable"], item["path"], item["url"], exc),
                             {"fetched": fetched[:-1]})
        actual = sha256_of(target + ".part")
        if actual != item["sha256"]:
            os.unlink(target + ".part")
            raise FetchError("%s: %s from %s has sha256 %s, expected %s; refusing it"
                             % (params["variable"], item["path"], item["url"], actual, item["sha256"]), {"fetched": fetched[:-1]})
        os.chmod(target + ".part", 0o644)
        os.rename(target + ".part", target)
    return {"changed": bool(fetched), "fetched": fetched}
