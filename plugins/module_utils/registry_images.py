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
