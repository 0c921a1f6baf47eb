# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Why a rollout did not finish, in words an operator can act on: which workload, which of its
Pods, and what that Pod's status says (an image that could not be pulled, a Pod no node takes,
a sandbox that could not be created)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

WORKLOAD_KINDS = ("DaemonSet", "Deployment", "StatefulSet", "Job")
PULL_REASONS = ("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull")


def workloads(objects):
    """The objects whose rollout is waited for: ``(kind, namespace, name)`` in manifest order."""
    return [(o["kind"], (o.get("metadata") or {}).get("namespace") or "default", o["metadata"]["name"])
            for o in objects if o.get("kind") in WORKLOAD_KINDS]


def _selects(selector, labels):
    match = (selector or {}).get("matchLabels") or {}
    if not match and not (selector or {}).get("matchExpressions"):
        return False
    for key, value in match.items():
        if labels.get(key) != value:
            return False
    for expr in (selector or {}).get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if op == "In" and labels.get(key) not in values or op == "NotIn" and labels.get(key) in values \
                or op == "Exists" and key not in labels or op == "DoesNotExist" and key in labels:
            return False
    return True


def pod_problems(pod):
    """Sentences about one Pod that is not running as it should."""
    meta, status = pod.get("metadata") or {}, pod.get("status") or {}
    where = "Pod %s/%s" % (meta.get("namespace"), meta.get("name"))
    node = (pod.get("spec") or {}).get("nodeName")
    if node:
        where += " on %s" % node
    found = []
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("status") == "False":
            found.append("%s is not scheduled (%s): %s" % (where, cond.get("reason"), cond.get("message")))
    if status.get("message"):
        found.append("%s: %s" % (where, status["message"]))
    for key in ("initContainerStatuses", "containerStatuses"):
        for container in status.get(key) or []:
            waiting = (container.get("state") or {}).get("waiting") or {}
            if waiting.get("reason") in PULL_REASONS:
                found.append("%s: image %s could not be pulled (%s): %s" % (
                    where, container.get("image"), waiting["reason"], waiting.get("message") or ""))
            elif waiting.get("reason") == "CrashLoopBackOff":
                found.append("%s: container %s keeps failing (CrashLoopBackOff): %s"
                             % (where, container.get("name"), waiting.get("message") or ""))
    return found


def rollout_problems(workload, pods):
    """One message for a ``workload`` object (as read from the API) that did not finish rolling
    out, with the problems of the Pods its selector (or its Job) selects among ``pods``."""
    kind, meta = workload.get("kind"), workload.get("metadata") or {}
    spec, status = workload.get("spec") or {}, workload.get("status") or {}
    name = "%s %s/%s" % (kind, meta.get("namespace"), meta.get("name"))
    if kind == "Job":
        mine = [p for p in pods if ((p.get("metadata") or {}).get("labels") or {}).get("job-name") == meta.get("name")]
    else:
        mine = [p for p in pods if _selects(spec.get("selector"), (p.get("metadata") or {}).get("labels") or {})]
    mine = [p for p in mine if (p.get("metadata") or {}).get("namespace") == meta.get("namespace")]
    if kind == "DaemonSet":
        summary = "%s of %s Pods ready" % (status.get("numberReady", 0), status.get("desiredNumberScheduled", "?"))
    elif kind == "Job":
        summary = "%s of %s completions" % (status.get("succeeded", 0), spec.get("completions", 1))
    else:
        summary = "%s of %s replicas available" % (status.get("availableReplicas", 0), spec.get("replicas", 1))
    details = [problem for pod in mine for problem in pod_problems(pod)]
    if not mine:
        details = ["no Pod was created for it"]
    elif not details:
        details = ["its Pods report no error yet (still starting?)"]
    return "%s did not finish rolling out (%s): %s" % (name, summary, "; ".join(details))


def apply_results(registered):
    """The per-object results (``changed``, ``diff``, ``result``) of a kubernetes.core ``k8s``
    task: a multi-object apply nests them under ``result.results``, a single object is the
    registered result itself."""
    result = (registered or {}).get("result") or {}
    if isinstance(result, dict) and isinstance(result.get("results"), list):
        return list(result["results"])
    if not registered or registered.get("skipped"):
        return []
    return [{"changed": bool(registered.get("changed")), "diff": registered.get("diff") or {}, "result": result}]


def _condition(obj, kind):
    return any(c.get("type") == kind and c.get("status") == "True"
               for c in (obj.get("status") or {}).get("conditions") or [])


def ready(obj):
    """Whether an object as the API returned it has finished rolling out, by the rules
    kubernetes.core's waits use (CRD Established, Job Complete; workloads: every replica updated
    and available for the current generation)."""
    kind, meta = obj.get("kind"), obj.get("metadata") or {}
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    current = status.get("observedGeneration") == meta.get("generation")
    if kind == "CustomResourceDefinition":
        return _condition(obj, "Established")
    if kind == "Job":
        return _condition(obj, "Complete")
    if kind == "Deployment":
        return bool(status) and current and spec.get("replicas", 1) == (status.get("replicas") or 0) \
            and status.get("availableReplicas") == status.get("replicas") and not status.get("unavailableReplicas")
    if kind == "DaemonSet":
        desired = status.get("desiredNumberScheduled")
        return desired is not None and current and (status.get("updatedNumberScheduled") or 0) == desired \
            and status.get("numberReady") == desired and not status.get("numberUnavailable")
    if kind == "StatefulSet":
        replicas = spec.get("replicas", 1)
        return current and (status.get("updatedReplicas") or 0) == replicas and (status.get("readyReplicas") or 0) == replicas
    return True


def pending(objects, kinds=WORKLOAD_KINDS):
    """``{kind, namespace, name}`` of the objects of ``kinds`` that have not finished rolling out
    (so a run that changed nothing waits for nothing)."""
    return [{"kind": o["kind"], "namespace": (o.get("metadata") or {}).get("namespace") or "default",
             "name": o["metadata"]["name"]}
            for o in objects or [] if isinstance(o, dict) and o.get("kind") in kinds and not ready(o)]
