# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plain functions behind registry_images: archive transports, digests, skopeo command lines.

An image in an archive and an image in a registry are "the same" when their config blobs have
the same digest (the image ID): manifests differ between a docker-archive and a registry, but a
copy never changes the config.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import tarfile


def archive_transport(path):
    """``oci-archive`` for an OCI image layout tarball, ``docker-archive`` for ``docker save`` output."""
    with tarfile.open(path) as tar:
        names = set(n.lstrip("./") for n in tar.getnames())
    if "oci-layout" in names:
        return "oci-archive"
    if "manifest.json" in names:
        return "docker-archive"
    raise ValueError("%s is neither a docker-archive (manifest.json) nor an OCI archive (oci-layout)" % path)


def config_digest(raw_config):
    """Digest of a raw config blob as skopeo prints it with ``inspect --config --raw``."""
    if isinstance(raw_config, str):
        raw_config = raw_config.encode("utf-8")
    return "sha256:" + hashlib.sha256(raw_config).hexdigest()


def manifest_config_digest(raw_manifest):
    """``config.digest`` of a single-image manifest; None for an index/manifest list."""
    manifest = json.loads(raw_manifest)
    config = manifest.get("config")
    if isinstance(config, dict):
        return config.get("digest")
    return None


def tls_args(prefix, tls_verify, cert_dir):
    args = ["--%stls-verify=%s" % (prefix, "true" if tls_verify else "false")]
    if cert_dir:
        args.append("--%scert-dir=%s" % (prefix, cert_dir))
    return args


def inspect_remote_command(skopeo, name, tls_verify, cert_dir, creds=None):
    argv = [skopeo, "inspect", "--raw"] + tls_args("", tls_verify, cert_dir)
    if creds:
        argv.append("--creds=%s" % creds)
    return argv + ["docker://" + name]


def inspect_archive_config_command(skopeo, transport, archive):
    return [skopeo, "inspect", "--config", "--raw", "%s:%s" % (transport, archive)]


def copy_command(skopeo, transport, archive, name, tls_verify, cert_dir, creds=None):
    argv = [skopeo, "copy", "--quiet"] + tls_args("dest-", tls_verify, cert_dir)
    if creds:
        argv.append("--dest-creds=%s" % creds)
    return argv + ["%s:%s" % (transport, archive), "docker://" + name]


def is_missing(rc, stderr):
    """skopeo's answer for a tag or repository the registry does not have."""
    text = (stderr or "").lower()
    return rc != 0 and ("manifest unknown" in text or "name unknown" in text or "not found" in text)


class SyncError(Exception):
    """A failure to report, with the result so far."""

    def __init__(self, msg, result):
        super(SyncError, self).__init__(msg)
        self.result = result


def sync(params, run, check_mode):
    """Push every archive whose image the registry lacks (by config digest), then check that the
    required images are there. ``run(argv, binary=False)`` returns (rc, stdout, stderr), with
    bytes stdout when ``binary``. Returns the result; raises SyncError."""
    skopeo, tls, cert_dir = params["skopeo"], params["tls_verify"], params.get("cert_dir")
    creds = "%s:%s" % (params["username"], params["password"]) if params.get("username") else None
    result = dict(changed=False, images=[], missing=[])

    def remote_config_digest(name):
        rc, out, err = run(inspect_remote_command(skopeo, name, tls, cert_dir, creds))
        if rc == 0:
            return manifest_config_digest(out) or "index"
        if is_missing(rc, err):
            return None
        raise SyncError("cannot inspect %s: %s" % (name, err.strip()), result)

    for image in params.get("images") or []:
        try:
            transport = archive_transport(image["archive"])
        except (ValueError, IOError, OSError) as exc:
            raise SyncError(str(exc), result)
        rc, out, err = run(inspect_archive_config_command(skopeo, transport, image["archive"]), binary=True)
        if rc != 0:
            raise SyncError("cannot read %s: %s" % (image["archive"], err.strip()), result)
        wanted = config_digest(out)
        entry = dict(name=image["name"], config_digest=wanted, action="present")
        if remote_config_digest(image["name"]) != wanted:
            result["changed"] = True
            entry["action"] = "would_push"
            if not check_mode:
                rc, out, err = run(copy_command(skopeo, transport, image["archive"], image["name"], tls, cert_dir, creds))
                if rc != 0:
                    raise SyncError("pushing %s failed: %s" % (image["name"], err.strip()), result)
                entry["action"] = "pushed"
        result["images"].append(entry)

    for name in params.get("required") or []:
        if remote_config_digest(name) is None:
            pushed_in_check = check_mode and any(i["name"] == name for i in result["images"])
            if not pushed_in_check:
                result["missing"].append(name)
    if result["missing"]:
        raise SyncError("the registry lacks %d required image(s): %s"
                        % (len(result["missing"]), ", ".join(result["missing"])), result)
    return result
