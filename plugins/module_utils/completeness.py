# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Air-gap completeness: which images a site needs (every enabled add-on's, from its objects as
they will be applied, plus the control plane's), and which of them the private registry lacks.
The site checks this before its first apply; the bundle builder uses the same list to decide
what a bundle must carry."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import images, manifests


def required_images(addon_objects, control_plane_images=()):
    """``{upstream image: [who needs it]}`` for ``addon_objects`` (add-on name -> its objects,
    before mirroring) and the control plane's images (needed by ``control plane``)."""
    needed = {}
    for addon in sorted(addon_objects):
        for ref in manifests.manifest_images(addon_objects[addon]):
            needed.setdefault(ref, []).append(addon)
    for ref in control_plane_images:
        needed.setdefault(ref, []).append("control plane")
    return dict((ref, sorted(set(who))) for ref, who in needed.items())


def missing_images(required, registry, present, expected_digests=None):
    """One sentence per required image the private ``registry`` lacks, or holds with another
    digest than ``expected_digests`` (upstream ref -> digest, e.g. from the bundle) says.
    ``present``: private reference -> the digest the registry reports for it (None if unknown)."""
    problems = []
    for ref in sorted(required):
        private = images.mirror_ref(ref, registry)
        who = ", ".join(required[ref])
        if private not in present:
            problems.append("%s (needed by %s) is not in the private registry as %s" % (ref, who, private))
            continue
        want = (expected_digests or {}).get(ref)
        have = present[private]
        if want and have and want != have:
            problems.append("%s (needed by %s) is in the private registry as %s with digest %s, expected %s"
                            % (ref, who, private, have, want))
    return problems
