# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NFS export and the volumes on it, from plain data:

* ``export_problems``: what is wrong with the exports, naming the variable;
* ``exports_file``: ``/etc/exports`` for the kernel server (``path client(options) ...``);
* ``ganesha_conf``: ``ganesha.conf`` for nfs-ganesha, the userspace server used where the kernel
  has no nfsd: NFSv4 only over TCP, with NLM, UDP and RQUOTA off (so it needs no rpcbind), each
  export's pseudo path equal to its path (so a PV's ``nfs.path`` is the same for both servers);
* ``volume_objects``: the PersistentVolumes (and their claims) for the exports.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

QUANTITY_RE = re.compile(r"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
OPTION_RE = re.compile(r"^[a-z_]+(=[A-Za-z0-9_.:/-]+)?$")
CLIENT_RE = re.compile(r"^[A-Za-z0-9.:*?/_-]+$")
ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")
RECLAIM = ("Retain", "Delete", "Recycle")


class NfsError(ValueError):
    pass


def export_problems(exports, variable="nfs_pv_exports"):
    """Sentences about ``exports`` (list of {path, clients, options}); empty when fine."""
    if not isinstance(exports, list) or not exports:
        return ["%s: a non-empty list of exports ({path, clients, options})" % variable]
    problems, seen = [], set()
    for index, export in enumerate(exports):
        where = "%s[%d]" % (variable, index)
        if not isinstance(export, dict):
            problems.append("%s: an export is a mapping with path, clients and options" % where)
            continue
        path = export.get("path")
        if not isinstance(path, str) or not path.startswith("/") or path != path.rstrip("/") or \
                any(part in ("", ".", "..") for part in path.split("/")[1:]) or re.search(r"\s", path):
            problems.append("%s.path: %r is not an absolute path without spaces, '.', '..' or a trailing /" % (where, path))
        elif path in seen:
            problems.append("%s.path: %s is exported twice" % (where, path))
        seen.add(path)
        clients = export.get("clients")
        if not isinstance(clients, list) or not clients:
            problems.append("%s.clients: the hosts or networks that may mount it (at least one)" % where)
        else:
            for client in clients:
                if not isinstance(client, str) or not CLIENT_RE.match(client):
                    problems.append("%s.clients: %r is not a host name, address or network" % (where, client))
        for option in export.get("options") or []:
            if not isinstance(option, str) or not OPTION_RE.match(option):
                problems.append("%s.options: %r is not an exports(5) option" % (where, option))
    return problems


def _check(exports):
    problems = export_problems(exports)
    if problems:
        raise NfsError("; ".join(problems))


def exports_file(exports):
    """The kernel server's /etc/exports text."""
    _check(exports)
    lines = ["# Managed by helmsman.kubeadm (nfs_pv_exports); changes here are overwritten."]
    for export in exports:
        options = ",".join(export.get("options") or [])
        lines.append("%s %s" % (export["path"], " ".join("%s(%s)" % (c, options) for c in export["clients"])))
    return "\n".join(lines) + "\n"


def _squash(options):
    if "no_root_squash" in options:
        return "No_Root_Squash"
    if "all_squash" in options:
        return "All_Squash"
    return "Root_Squash"


def _ganesha_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(_ganesha_value(v) for v in value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return text if re.match(r"^[A-Za-z0-9_./:*-]+$", text) else '"%s"' % text.replace('"', '\\"')


def _ganesha_block(name, body, indent=0):
    pad = " " * indent
    lines = ["%s%s {" % (pad, name)]
    for key, value in body:
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            lines.extend(_ganesha_block(key, value, indent + 4))
        else:
            lines.append("%s    %s = %s;" % (pad, key, _ganesha_value(value)))
    lines.append("%s}" % pad)
    return lines


def ganesha_conf(exports, graceless=False):
    """nfs-ganesha's configuration for ``exports`` (NFSv4 only, TCP, no NLM/RQUOTA/rpcbind)."""
    _check(exports)
    lines = ["# Managed by helmsman.kubeadm (nfs_pv_exports); changes here are overwritten."]
    lines += _ganesha_block("NFS_CORE_PARAM", [("Protocols", 4), ("Enable_NLM", False), ("Enable_UDP", False),
                                               ("Enable_RQUOTA", False)])
    lines += _ganesha_block("NFSV4", [("Graceless", bool(graceless))])
    for number, export in enumerate(exports, start=1):
        options = export.get("options") or []
        access = "RO" if "ro" in options else "RW"
        lines += _ganesha_block("EXPORT", [
            ("Export_Id", number), ("Path", export["path"]), ("Pseudo", export["path"]), ("Protocols", 4),
            ("Transports", "TCP"), ("SecType", "sys"), ("Access_Type", "None"),
            ("CLIENT", [("Clients", list(export["clients"])), ("Access_Type", access), ("Squash", _squash(options))]),
            ("FSAL", [("Name", "VFS")])])
    return "\n".join(lines) + "\n"


def volume_problems(volumes, exports, variable="nfs_pv_volumes"):
    """Sentences about ``volumes`` (list of {name, export, capacity, ...}); empty when fine."""
    if not isinstance(volumes, list):
        return ["%s: a list of volumes" % variable]
    paths = [e.get("path") for e in exports or [] if isinstance(e, dict)]
    problems, names = [], set()
    for index, volume in enumerate(volumes):
        where = "%s[%d]" % (variable, index)
        if not isinstance(volume, dict):
            problems.append("%s: a volume is a mapping (name, export, capacity, ...)" % where)
            continue
        name = volume.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name) or len(name) > 63:
            problems.append("%s.name: %r is not a Kubernetes object name (lower case, digits, '-')" % (where, name))
        elif name in names:
            problems.append("%s.name: %s is used twice" % (where, name))
        names.add(name)
        if volume.get("export") not in paths:
            exported = ", ".join(map(str, paths))
            problems.append("%s.export: %r is not one of the exported paths (%s)" % (where, volume.get("export"), exported))
        capacity = volume.get("capacity")
        if not isinstance(capacity, str) or not QUANTITY_RE.match(capacity):
            problems.append("%s.capacity: %r is not a Kubernetes quantity such as 10Gi or 500Mi" % (where, capacity))
        for mode in volume.get("access_modes") or ["ReadWriteMany"]:
            if mode not in ACCESS_MODES:
                problems.append("%s.access_modes: %r is not one of %s" % (where, mode, ", ".join(ACCESS_MODES)))
        if volume.get("reclaim_policy", "Retain") not in RECLAIM:
            problems.append("%s.reclaim_policy: %r is not one of %s" % (where, volume.get("reclaim_policy"), ", ".join(RECLAIM)))
        claim = volume.get("claim")
        if claim is not None:
            if not isinstance(claim, dict) or not all(isinstance(claim.get(k), str) and NAME_RE.match(claim.get(k) or "")
                                                      for k in ("name", "namespace")):
                problems.append("%s.claim: {name, namespace}, both Kubernetes names" % where)
    return problems


def volume_objects(volumes, server, exports):
    """PersistentVolumes on ``server`` for ``volumes`` and, for those with a ``claim``, the
    PersistentVolumeClaims pre-bound to them (``volumeName``; ``storageClassName: ""`` so no
    default StorageClass takes them over)."""
    problems = volume_problems(volumes, exports)
    if problems:
        raise NfsError("; ".join(problems))
    objects = []
    for volume in volumes:
        modes = list(volume.get("access_modes") or ["ReadWriteMany"])
        spec = {"capacity": {"storage": volume["capacity"]}, "accessModes": modes,
                "persistentVolumeReclaimPolicy": volume.get("reclaim_policy", "Retain"),
                "storageClassName": volume.get("storage_class", ""),
                "nfs": {"server": server, "path": volume["export"]}}
        if volume.get("mount_options", ["nfsvers=4.1"]):
            spec["mountOptions"] = list(volume.get("mount_options", ["nfsvers=4.1"]))
        pv = {"apiVersion": "v1", "kind": "PersistentVolume",
              "metadata": {"name": volume["name"], "labels": {"app.kubernetes.io/managed-by": "helmsman-kubeadm"}},
              "spec": spec}
        claim = volume.get("claim")
        if claim:
            spec["claimRef"] = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": claim["namespace"],
                                "name": claim["name"]}
        objects.append(pv)
        if claim and claim["namespace"] not in ("default", "kube-system", "kube-public") and \
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": claim["namespace"]}} not in objects:
            objects.insert(0, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": claim["namespace"]}})
        if claim:
            objects.append({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                            "metadata": {"name": claim["name"], "namespace": claim["namespace"]},
                            "spec": {"accessModes": modes, "storageClassName": spec["storageClassName"],
                                     "volumeName": volume["name"],
                                     "resources": {"requests": {"storage": volume["capacity"]}}}})
    return objects
