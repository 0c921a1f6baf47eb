# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Node labels and taints from inventory: what is wrong with them, and the patch a Node object
still needs so that it carries them (nothing when it does)."""

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


def patch(node, labels, taints):
    """The Node patch (for kubernetes.core.k8s ``state: patched``) that makes ``node`` carry the
    labels and taints, or ``{}`` when it already does.

    A label is missing when the Node lacks it or has another value; only those go into
    ``metadata.labels`` (a merge patch, so other labels stay). ``spec.taints`` has no merge key in
    the API, so a patch replaces the whole list: the list sent is the Node's own, with the value of
    a taint of the same key and effect replaced (as ``kubectl taint --overwrite`` does) and the
    others appended. Labels and taints the inventory does not mention are left alone.
    """
    metadata = (node or {}).get("metadata") or {}
    current_labels = metadata.get("labels") or {}
    current_taints = ((node or {}).get("spec") or {}).get("taints") or []
    missing = dict((k, _text(v)) for k, v in sorted(labels.items()) if current_labels.get(k) != _text(v))
    merged = [dict(t) for t in current_taints]
    for taint in taints:
        wanted = dict(key=taint["key"], effect=taint["effect"])
        if _text(taint.get("value")):
            wanted["value"] = _text(taint.get("value"))
        same = [t for t in merged if (t.get("key"), t.get("effect")) == (wanted["key"], wanted["effect"])]
        if not same:
            merged.append(wanted)
        elif (same[0].get("value") or "") != wanted.get("value", ""):
            merged[merged.index(same[0])] = dict(same[0], **wanted) if "value" in wanted else \
                dict((k, v) for k, v in same[0].items() if k != "value")
    result = {}
    if missing:
        result.setdefault("metadata", {})["labels"] = missing
    if merged != current_taints:
        result["spec"] = {"taints": merged}
    if result:
        result = dict(apiVersion="v1", kind="Node", **result)
        result.setdefault("metadata", {})["name"] = metadata.get("name")
    return result
