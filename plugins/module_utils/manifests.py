# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Add-on manifests as data: multi-document YAML read without loss, the images a node would pull
for a set of objects, and the same objects with every one of those images moved to the private
registry. Manifests are never templated: upstream files carry Go templates and ``{{ }}``.

Where images are (``image_locations``):
  - ``image`` of containers, initContainers and ephemeralContainers of a Pod, of the pod template
    of Deployment, DaemonSet, StatefulSet, ReplicaSet, ReplicationController and Job, and of
    CronJob's job template;
  - container args of known operators that pass an image as a flag
    (``--prometheus-config-reloader=<image>``, ``--config-reloader-image=<image>``, also as two
    list items);
  - Prometheus, PrometheusAgent, Alertmanager and ThanosRuler resources (monitoring.coreos.com):
    ``spec.image``, or, without it, ``spec.baseImage`` with ``spec.sha``, ``spec.tag`` or
    ``spec.version`` (the operator's precedence), since the operator generates their StatefulSets.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.helmsman.kubeadm.plugins.module_utils import images

try:
    import yaml
except ImportError:  # pragma: no cover (the controller has PyYAML: ansible-core needs it)
    yaml = None

IMAGE_FLAGS = ("--prometheus-config-reloader", "--config-reloader-image")
POD_TEMPLATE_KINDS = ("Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "ReplicationController", "Job")
OPERATOR_KINDS = ("Prometheus", "PrometheusAgent", "Alertmanager", "ThanosRuler")
OPERATOR_GROUP = "monitoring.coreos.com"
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


class ManifestError(ValueError):
    pass


_LOADER = []


def _loader():
    """A SafeLoader that keeps what Kubernetes' own YAML reading keeps as strings: a bare ``=``
    (YAML 1.1's value tag, which PyYAML cannot construct) and timestamps (JSON has none)."""
    if not _LOADER:
        # libyaml's parser where PyYAML has it (about ten times faster on kube-prometheus' CRDs);
        # the constructors and resolvers, and so the result, are the same Python ones.
        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class Loader(base):  # pylint: disable=too-many-ancestors
            pass

        def as_text(loader, node):
            return loader.construct_scalar(node)

        Loader.add_constructor("tag:yaml.org,2002:value", as_text)
        Loader.add_constructor("tag:yaml.org,2002:timestamp", as_text)
        _LOADER.append(Loader)
    return _LOADER[0]


def k8s_documents(text, source="<manifest>"):
    """Multi-document YAML ``text`` to a list of Kubernetes objects (dicts).

    Empty and comment-only documents are dropped; ``*List`` kinds with ``items`` are expanded
    into their items (recursively); strings come back as written. A document that is not a
    mapping with ``apiVersion`` and ``kind`` is refused, as is YAML that does not parse, naming
    ``source`` and the line.
    """
    if not isinstance(text, str):
        raise ManifestError("%s: expected YAML text, got %s" % (source, type(text).__name__))
    if yaml is None:
        raise ManifestError("%s: reading manifests needs PyYAML" % source)
    objects = []
    try:
        for number, doc in enumerate(yaml.load_all(text, Loader=_loader()), start=1):  # nosec B506: a SafeLoader
            if doc is None:
                continue
            objects.extend(_expand(doc, source, number))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = " line %d, column %d" % (mark.line + 1, mark.column + 1) if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ManifestError("%s:%s: not valid YAML: %s" % (source, where, problem))
    return objects


def _expand(doc, source, number):
    if not isinstance(doc, dict) or not doc.get("apiVersion") or not doc.get("kind"):
        raise ManifestError("%s: document %d is not a Kubernetes object (needs apiVersion and kind)" % (source, number))
    if str(doc["kind"]).endswith("List") and isinstance(doc.get("items"), list):
        found = []
        for item in doc["items"]:
            found.extend(_expand(item, source, number))
        return found
    return [doc]


def _pod_spec(obj):
    kind, spec = obj.get("kind"), obj.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind in POD_TEMPLATE_KINDS:
        return (spec.get("template") or {}).get("spec")
    if kind == "CronJob":
        return (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec")
    return None


def _is_operator_resource(obj):
    return obj.get("kind") in OPERATOR_KINDS and str(obj.get("apiVersion", "")).startswith(OPERATOR_GROUP + "/")


def operator_image(spec):
    """The image the operator runs for a Prometheus-like resource's ``spec`` (None if none set)."""
    if spec.get("image"):
        return spec["image"]
    base = spec.get("baseImage")
    if not base:
        return None
    if spec.get("sha"):
        return "%s@sha256:%s" % (base, spec["sha"])
    if spec.get("tag"):
        return "%s:%s" % (base, spec["tag"])
    if spec.get("version"):
        return "%s:%s" % (base, spec["version"])
    return base


def _locations(obj):
    """(getter, setter) pairs, one per image reference in ``obj``."""
    found = []
    pod = _pod_spec(obj)
    if isinstance(pod, dict):
        for key in CONTAINER_LISTS:
            for container in pod.get(key) or []:
                if container.get("image"):
                    found.append(_field(container, "image"))
                args = container.get("args") or []
                for index, arg in enumerate(args):
                    if not isinstance(arg, str):
                        continue
                    for flag in IMAGE_FLAGS:
                        if arg.startswith(flag + "="):
                            found.append(_flag(args, index, flag))
                        elif arg == flag and index + 1 < len(args):
                            found.append(_field(args, index + 1))
    if _is_operator_resource(obj):
        spec = obj.get("spec") or {}
        if operator_image(spec):
            found.append(_operator(spec))
    return found


def _field(container, key):
    def get():
        return container[key]

    def put(value):
        container[key] = value
    return get, put


def _flag(args, index, flag):
    def get():
        return args[index].split("=", 1)[1]

    def put(value):
        args[index] = "%s=%s" % (flag, value)
    return get, put


def _operator(spec):
    def get():
        return operator_image(spec)

    def put(value):
        if spec.get("image") or spec.get("sha"):
            spec["image"] = value  # spec.image has precedence; a re-pushed digest differs anyway
        else:  # keep the operator's own form: the repository here, the tag or version where it was
            spec["baseImage"] = value.rsplit(":", 1)[0] if ":" in value.rsplit("/", 1)[-1] else value
    return get, put


def manifest_images(objects):
    """Every image reference a node would pull for ``objects``, sorted and unique, as written."""
    found = set()
    for obj in objects:
        for get, _put in _locations(obj):
            found.add(get())
    return sorted(found)


def mirror_manifest(objects, registry):
    """Copies of ``objects`` with every image reference moved to ``registry`` by images.mirror_ref,
    nothing else changed. Two different upstream images that map to one private name are refused."""
    result = copy.deepcopy(objects)
    owners = {}
    for obj in result:
        for get, put in _locations(obj):
            original = get()
            try:
                mirrored = images.mirror_ref(original, registry)
            except images.ImageRefError as exc:
                raise ManifestError("%s %s: %s" % (obj.get("kind"), _name(obj), exc))
            if owners.setdefault(mirrored, original) != original:
                other = owners[mirrored]
                if images.parse(other) != images.parse(original):
                    raise ManifestError("images %s and %s would both be %s in the private registry"
                                        % (other, original, mirrored))
            put(mirrored)
    return result


def override_images(objects, overrides):
    """Copies of ``objects`` with each image reference that is a key of ``overrides`` replaced by
    its value (what kustomize's ``images:`` does for a release overlay, and how a floating tag is
    pinned); the other references are left alone. An override that matches nothing is refused:
    the upstream file changed."""
    result = copy.deepcopy(objects)
    used = set()
    for obj in result:
        for get, put in _locations(obj):
            original = get()
            if original in overrides:
                put(overrides[original])
                used.add(original)
    unused = sorted(set(overrides) - used)
    if unused:
        raise ManifestError("no image of the manifest is %s" % ", ".join(unused))
    return result


def _name(obj):
    meta = obj.get("metadata") or {}
    return "%s/%s" % (meta["namespace"], meta.get("name")) if meta.get("namespace") else str(meta.get("name"))
