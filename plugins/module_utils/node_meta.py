# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Node labels and taints from inventory: what is wrong with them, and what `kubectl label` /
`kubectl taint` must still do to a Node object so that it carries them (nothing when it does)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
# Qualified name: optional DNS-subdomain prefix and "/", then 1-63 alphanumerics, "-", "_", ".".
_NAME = r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
_KEY_RE = re.compile(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?%s$" % _NAME)
_VALUE_RE = re.compile(r"^(%s)?$" % _NAME)


def problems(labels, taints, variable="node"):
    """Sentences naming what is invalid; empty when labels (dict) and taints (list) are usable."""
    found = []
    if not isinstance(labels, dict):
        return ["%s_labels must be a mapping of label key to value" % variable]
    if not isinstance(taints, list):
        return ["%s_taints must be a list of {key, value, effect}" % variable]
    for key, value in labels.items():
        if not _KEY_RE.match(str(key)):
            found.append("%s_labels: %r is not a valid label key" % (variable, key))
        if not _VALUE_RE.match("" if value is None else str(value)):
            found.append("%s_labels: value %r of %s is not a valid label value" % (variable, value, key))
    for taint in taints:
        if not isinstance(taint, dict) or not taint.get("key"):
            found.append("%s_taints: %r needs at least key and effect" % (variable, taint))
            continue
        if not _KEY_RE.match(str(taint["key"])):
            found.append("%s_taints: %r is not a valid taint key" % (variable, taint["key"]))
        if taint.get("effect") not in EFFECTS:
            found.append("%s_taints: effect of %s must be one of %s, got %r"
                         % (variable, taint["key"], ", ".join(EFFECTS), taint.get("effect")))
        if not _VALUE_RE.match(str(taint.get("value") or "")):
            found.append("%s_taints: value %r of %s is not valid" % (variable, taint.get("value"), taint["key"]))
    return found


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def changes(node, labels, taints):
    """{'label': ['k=v', ...], 'taint': ['k=v:Effect', ...]}: the kubectl arguments still needed.

    A label is missing when the Node lacks it or has another value; a taint when no taint with the
    same key, value and effect is there (``kubectl taint --overwrite`` replaces the value of a
    taint with the same key and effect). Labels and taints the inventory does not mention are left
    alone.
    """
    current_labels = ((node or {}).get("metadata") or {}).get("labels") or {}
    current_taints = ((node or {}).get("spec") or {}).get("taints") or []
    label_args = ["%s=%s" % (k, _text(v)) for k, v in sorted(labels.items()) if current_labels.get(k) != _text(v)]
    have = set((t.get("key"), t.get("value") or "", t.get("effect")) for t in current_taints)
    taint_args = []
    for taint in taints:
        wanted = (taint["key"], _text(taint.get("value")), taint["effect"])
        if wanted not in have:
            taint_args.append("%s%s:%s" % (wanted[0], ("=" + wanted[1]) if wanted[1] else "", wanted[2]))
    return {"label": label_args, "taint": taint_args}
