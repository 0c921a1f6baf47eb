# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a dict as TOML (for containerd's config.toml and hosts.toml).

Supports what those files use: tables and sub-tables, strings, booleans, integers, floats and
lists of scalars. Scalars come before sub-tables, keys in the order given; keys that are not bare
(e.g. ``io.containerd.grpc.v1.cri``) are quoted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


class TomlError(TypeError):
    pass


def _key(key):
    key = str(key)
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _value(value, where):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v, where) for v in value) + "]"
    raise TomlError("cannot write %s of type %s as a TOML value" % (where, type(value).__name__))


def to_toml(data):
    if not isinstance(data, dict):
        raise TomlError("the top of a TOML document must be a mapping")
    lines = []

    def emit(table, path):
        scalars = [(k, v) for k, v in table.items() if not isinstance(v, dict)]
        tables = [(k, v) for k, v in table.items() if isinstance(v, dict)]
        if path and (scalars or not tables):
            if lines:
                lines.append("")
            lines.append("[%s]" % ".".join(_key(p) for p in path))
        for key, value in scalars:
            if value is None:
                continue
            lines.append("%s = %s" % (_key(key), _value(value, ".".join(path + [str(key)]))))
        for key, value in tables:
            emit(value, path + [str(key)])

    emit(data, [])
    return "\n".join(lines) + "\n"
