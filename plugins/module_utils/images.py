# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Image references and the private-registry mapping rule.

Rule: the source registry host is dropped and the repository path kept, so
``registry.k8s.io/coredns/coredns:v1.12.0`` becomes ``<registry>/coredns/coredns:v1.12.0`` (the
layout kubeadm's ``imageRepository`` expects), ``quay.io/coreos/flannel:v0.12.0`` becomes
``<registry>/coreos/flannel:v0.12.0``. Docker Hub names are normalised first the way docker does:
``grafana/grafana`` is ``docker.io/grafana/grafana`` and ``nginx`` is ``docker.io/library/nginx``.
A missing tag means ``latest``. ``name:tag@sha256:...`` keeps the tag (a re-push from an archive
changes the manifest digest, so the digest cannot be kept); a digest-only reference gets the tag
``sha256-<first 16 hex>``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

DOCKER_HUB = ("docker.io", "index.docker.io", "registry-1.docker.io")
_COMPONENT_RE = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_DIGEST_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
_HOST_RE = re.compile(
    r"^(?:\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)"
    r"(?::(\d{1,5}))?$")


class ImageRefError(ValueError):
    pass


def valid_registry_address(value):
    """``host``, ``host:port``, ``10.0.0.1:5000`` or ``[fd00::1]:5000``; no scheme, path or user."""
    if not isinstance(value, str) or not value:
        return False
    match = _HOST_RE.match(value)
    if not match:
        return False
    port = match.group(1)
    return port is None or 0 < int(port) < 65536


def parse(ref):
    """Split a reference into (registry, path, tag, digest), normalising Docker Hub names."""
    if not isinstance(ref, str) or not ref or ref != ref.strip():
        raise ImageRefError("image reference %r is empty or has surrounding spaces" % (ref,))
    name, digest = ref, None
    if "@" in ref:
        name, digest = ref.split("@", 1)
        if not _DIGEST_RE.match(digest):
            raise ImageRefError("image reference %r has a malformed digest" % ref)
    tag = None
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = name.rsplit(":", 1)
        if not _TAG_RE.match(tag):
            raise ImageRefError("image reference %r has a malformed tag" % ref)
    parts = name.split("/")
    first = parts[0]
    if len(parts) > 1 and ("." in first or ":" in first or first == "localhost"):
        registry, path_parts = first, parts[1:]
    else:
        registry, path_parts = "docker.io", parts
    if registry in DOCKER_HUB:
        registry = "docker.io"
        if len(path_parts) == 1:
            path_parts = ["library"] + path_parts
    for part in path_parts:
        if not _COMPONENT_RE.match(part):
            raise ImageRefError("image reference %r has an invalid path component %r" % (ref, part))
    if tag is None and digest is None:
        tag = "latest"
    return registry, "/".join(path_parts), tag, digest


def mirror_ref(ref, registry):
    """Where ``ref`` lives in the private ``registry`` (see the module docstring for the rule)."""
    if not valid_registry_address(registry):
        raise ImageRefError("registry address %r is not host[:port]" % (registry,))
    _source, path, tag, digest = parse(ref)
    if tag is None:
        tag = "sha256-" + digest.split(":", 1)[1][:16]
    return "%s/%s:%s" % (registry, path, tag)
