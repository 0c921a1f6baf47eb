"""What kube-controller-manager and kube-scheduler do for the objects the add-ons create, run in
the emulator (``--controllers``) once a second. Test equipment only.

Nothing here invents a result a node would report: Pods are created and scheduled here, but
whether a Pod runs is what the kubelet on its node says (tests/simulator/kubelet pulls the images
with the node's real container runtime and writes the Pod's status). From those Pod statuses the
workload controllers derive the status clients wait on, with the fields the real controllers set:

* DaemonSet: one Pod per node the Pod template fits (nodeSelector, required node affinity,
  taints tolerated; the DaemonSet controller's own tolerations for not-ready and unreachable
  nodes), replaced when the template changes; ``desiredNumberScheduled``, ``numberReady``,
  ``numberAvailable``, ``updatedNumberScheduled``, ``observedGeneration``.
* Deployment -> ReplicaSet (``<name>-<pod-template-hash>``) -> Pods; old ReplicaSets scaled to
  0; ``replicas``, ``updatedReplicas``, ``readyReplicas``, ``availableReplicas``, the
  ``Available`` and ``Progressing`` conditions.
* Job: Pods until ``completions`` have Succeeded; ``active``, ``succeeded``, ``Complete``.
* scheduler: a Pod without ``nodeName`` is bound to the fitting Ready node with the fewest Pods,
  or marked ``PodScheduled=False/Unschedulable`` with the scheduler's message.
* garbage collector: Pods and ReplicaSets whose owner is gone are deleted.
* token controller: a ``kubernetes.io/service-account-token`` Secret gets ``token``, ``ca.crt``
  and ``namespace`` for the ServiceAccount its annotation names, or is deleted when that
  ServiceAccount does not exist; before Kubernetes 1.24 every ServiceAccount also gets one
  (``<name>-token-<5 chars>``, listed in its ``secrets``), from 1.24 none
  (LegacyServiceAccountTokenNoAutoGeneration).
* APIService availability (kube-aggregator's available controller, the part a client can see
  without a backend): a local APIService (no ``spec.service``) is Available/Local; otherwise the
  Service must exist and expose ``spec.service.port`` (default 443), and its endpoints (the
  Ready Pods its selector matches, as the endpoints controller lists them) must have an address
  for that port's name; the conditions carry the aggregator's reasons and messages. The
  aggregator's last check, a discovery request to the backend, cannot be made here (nothing
  runs behind the Pods): a Ready Pod counts as answering. Nothing here serves metrics.
* PV controller: a Pending PVC is bound to an Available PV with its class, access modes and at
  least the requested capacity (or the PV it names); both become ``Bound``.
"""

import hashlib
import ipaddress
import json
import re
import threading
import time
import uuid

NOT_READY_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
]
_UNITS = {"": 1, "k": 10 ** 3, "M": 10 ** 6, "G": 10 ** 9, "T": 10 ** 12, "P": 10 ** 15,
          "Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50}


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def quantity(text):
    """A Kubernetes quantity (``10Gi``, ``500M``, ``1.5Gi``) in bytes."""
    match = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(text).strip())
    if not match or match.group(2) not in _UNITS:
        raise ValueError("not a quantity: %r" % text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def template_hash(template):
    return hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest()[:10]


def _expression_matches(labels, expr):
    key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
    if op == "In":
        return labels.get(key) in values
    if op == "NotIn":
        return labels.get(key) not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    return False


def tolerated(taint, tolerations):
    for tol in tolerations or []:
        if tol.get("effect") and tol["effect"] != taint.get("effect"):
            continue
        if tol.get("operator") == "Exists" and not tol.get("key"):
            return True
        if tol.get("key") != taint.get("key"):
            continue
        if tol.get("operator") == "Exists" or tol.get("value", "") == taint.get("value", ""):
            return True
    return False


def misfit(node, pod_spec):
    """Why a Pod with ``pod_spec`` cannot go to ``node`` (the scheduler's wording), or None."""
    labels = node["metadata"].get("labels") or {}
    taints = list((node.get("spec") or {}).get("taints") or [])
    if not node_ready(node):  # the node lifecycle controller's taint
        taints.append({"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"})
    for taint in taints:  # the scheduler's filters in order: taints, then node affinity
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not tolerated(taint, pod_spec.get("tolerations")):
            return "node(s) had untolerated taint {%s: %s}" % (taint["key"], taint.get("value", ""))
    for key, value in (pod_spec.get("nodeSelector") or {}).items():
        if labels.get(key) != value:
            return "node(s) didn't match Pod's node affinity/selector"
    required = ((pod_spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution")
    if required:
        terms = required.get("nodeSelectorTerms") or []
        if not any(all(_expression_matches(labels, e) for e in t.get("matchExpressions") or []) for t in terms):
            return "node(s) didn't match Pod's node affinity/selector"
    return None


def node_ready(node):
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (node.get("status") or {}).get("conditions") or [])


def pod_ready(pod):
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [])


def owned_by(obj, owner):
    return any(ref.get("uid") == owner["metadata"]["uid"] for ref in obj["metadata"].get("ownerReferences") or [])


def owner_ref(owner):
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
            "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}


OPERATOR_GROUP = "monitoring.coreos.com"


class Controllers:
    """Reconciles the emulator's store; ``start()`` runs it in a thread, ``sync()`` once."""

    def __init__(self, emulator, interval=1.0):
        self.emu = emulator
        self.interval = interval
        self._stop = threading.Event()

    def start(self):
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        return self

    def stop(self):
        self._stop.set()

    def _run(self):
        while not self._stop.wait(self.interval):
            try:
                self.sync()
            except Exception as exc:  # a controller keeps going, as the real ones do
                print("controllers: %s" % exc, flush=True)

    # -- store access -------------------------------------------------------------------------
    def _res(self, group, plural):
        return self.emu.registry.by_group_plural(group, plural)

    def _all(self, group, plural):
        res = self._res(group, plural)
        with self.emu.store.lock:
            return [json.loads(json.dumps(o)) for (p, g, _ns, _n), o in sorted(self.emu.store.objects.items())
                    if p == res.plural and g == res.group]

    def _create(self, group, plural, namespace, obj):
        return self.emu.create(self._res(group, plural), namespace, obj, ("system:kube-controller-manager", []),
                               "kube-controller-manager")

    def _status(self, group, plural, obj, status):
        if obj.get("status") == status:
            return
        body = dict(obj, status=status)
        body["metadata"] = dict(obj["metadata"])
        body["metadata"].pop("resourceVersion", None)
        self.emu.replace(self._res(group, plural), obj["metadata"].get("namespace"), obj["metadata"]["name"],
                         "status", body, "kube-controller-manager")

    def _replace(self, group, plural, obj):
        body = json.loads(json.dumps(obj))
        body["metadata"].pop("resourceVersion", None)
        self.emu.replace(self._res(group, plural), obj["metadata"].get("namespace"), obj["metadata"]["name"],
                         None, body, "kube-controller-manager")

    def _delete(self, group, plural, obj):
        self.emu.delete(self._res(group, plural), obj["metadata"].get("namespace"), obj["metadata"]["name"])

    def _new_pod(self, owner, template, name, node=None, extra_labels=None, tolerations=()):
        spec = json.loads(json.dumps(template.get("spec") or {}))
        if node:
            spec["nodeName"] = node
        if tolerations:
            own = list(spec.get("tolerations") or [])
            spec["tolerations"] = own + [t for t in tolerations if t not in own]
        spec.setdefault("restartPolicy", "Always")
        meta = json.loads(json.dumps(template.get("metadata") or {}))
        meta["labels"] = dict(meta.get("labels") or {}, **(extra_labels or {}))
        meta.update(name=name, ownerReferences=[owner_ref(owner)])
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec,
               "status": {"phase": "Pending", "conditions": []}}
        return self._create("", "pods", owner["metadata"]["namespace"], pod)

    # -- reconcile ----------------------------------------------------------------------------
    def sync(self):
        self.node_ipam()
        self.garbage_collect()
        self.daemonsets()
        self.prometheus_operator()
        self.statefulsets()
        self.deployments()
        self.replicasets()
        self.jobs()
        self.schedule()
        self.volumes()
        self.tokens()
        self.apiservices()

    def node_ipam(self):
        """kube-controller-manager's node IPAM (--allocate-node-cidrs, which kubeadm sets with a pod
        subnet): each Node without spec.podCIDR gets the first free /24 of the cluster CIDR."""
        if not self.emu.cluster_cidr:
            return
        nodes = self._all("", "nodes")
        used = {(n.get("spec") or {}).get("podCIDR") for n in nodes}
        free = (str(net) for net in ipaddress.ip_network(self.emu.cluster_cidr).subnets(new_prefix=24) if str(net) not in used)
        for node in nodes:
            if (node.get("spec") or {}).get("podCIDR"):
                continue
            cidr = next(free, None)
            if cidr is None:
                return
            node.setdefault("spec", {}).update(podCIDR=cidr, podCIDRs=[cidr])
            self._replace("", "nodes", node)

    def tokens(self):
        legacy = int(self.emu.version.get("minor", "36")) < 24
        secrets = self._all("", "secrets")
        for secret in secrets:
            if secret.get("type") != "kubernetes.io/service-account-token" or (secret.get("data") or {}).get("token"):
                continue
            filled = self.emu.populate_token_secret(secret)
            if filled is None:
                self._delete("", "secrets", secret)
            else:
                self._replace("", "secrets", filled)
        if not legacy:
            return
        for sa in self._all("", "serviceaccounts"):
            meta = sa["metadata"]
            if any(s.get("type") == "kubernetes.io/service-account-token" and s["metadata"]["namespace"] == meta["namespace"]
                   and (s["metadata"].get("annotations") or {}).get("kubernetes.io/service-account.name") == meta["name"]
                   for s in secrets):
                continue
            name = "%s-token-%s" % (meta["name"], uuid.uuid4().hex[:5])
            secret = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                      "metadata": {"name": name, "namespace": meta["namespace"],
                                   "annotations": {"kubernetes.io/service-account.name": meta["name"]}}}
            filled = self.emu.populate_token_secret(secret)
            if filled is None:
                continue
            self._create("", "secrets", meta["namespace"], filled)
            sa["secrets"] = list(sa.get("secrets") or []) + [{"name": name}]
            self._replace("", "serviceaccounts", sa)

    def apiservices(self):
        for api in self._all("apiregistration.k8s.io", "apiservices"):
            condition = dict(type="Available", **self.apiservice_availability(api))
            old = [c for c in (api.get("status") or {}).get("conditions") or [] if c.get("type") == "Available"]
            if old and all(old[0].get(k) == condition[k] for k in ("status", "reason", "message")):
                continue
            condition["lastTransitionTime"] = now()
            self._status("apiregistration.k8s.io", "apiservices", api, {"conditions": [condition]})

    def apiservice_availability(self, api):
        ref = (api.get("spec") or {}).get("service")
        if not ref:
            return {"status": "True", "reason": "Local", "message": "Local APIServices are always available"}
        name, namespace, port = ref.get("name"), ref.get("namespace"), int(ref.get("port") or 443)
        service = self.emu.get_object("services", name, namespace)
        if service is None:
            return {"status": "False", "reason": "ServiceNotFound",
                    "message": 'service/%s in "%s" is not present' % (name, namespace)}
        ports = [p for p in (service.get("spec") or {}).get("ports") or [] if int(p.get("port", 0)) == port]
        if not ports:
            return {"status": "False", "reason": "ServicePortError",
                    "message": 'service/%s in "%s" is not listening on port %d' % (name, namespace, port)}
        port_name = ports[0].get("name", "")
        selector = (service.get("spec") or {}).get("selector") or {}
        ready = [p for p in self._all("", "pods") if p["metadata"].get("namespace") == namespace and selector
                 and all((p["metadata"].get("labels") or {}).get(k) == v for k, v in selector.items())
                 and pod_ready(p) and (p.get("status") or {}).get("podIP")]
        if not ready:
            return {"status": "False", "reason": "MissingEndpoints",
                    "message": 'endpoints for service/%s in "%s" have no addresses with port name "%s"'
                               % (name, namespace, port_name)}
        return {"status": "True", "reason": "Passed", "message": "all checks passed"}

    def garbage_collect(self):
        uids = set()
        for group, plural in (("apps", "daemonsets"), ("apps", "deployments"), ("apps", "replicasets"),
                              ("apps", "statefulsets"), ("batch", "jobs")):
            uids |= {o["metadata"]["uid"] for o in self._all(group, plural)}
        for group, plural in (("apps", "replicasets"), ("", "pods")):
            for obj in self._all(group, plural):
                refs = [r for r in obj["metadata"].get("ownerReferences") or [] if r.get("controller")
                        and r.get("kind") in ("DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "Job")]
                if refs and refs[0]["uid"] not in uids:
                    self._delete(group, plural, obj)

    def daemonsets(self):
        nodes = self._all("", "nodes")
        pods = self._all("", "pods")
        for ds in self._all("apps", "daemonsets"):
            template = (ds.get("spec") or {}).get("template") or {}
            revision = template_hash(template)
            spec = dict(template.get("spec") or {})
            spec["tolerations"] = list(spec.get("tolerations") or []) + NOT_READY_TOLERATIONS
            wanted = {n["metadata"]["name"] for n in nodes if misfit(n, spec) is None}
            mine = [p for p in pods if owned_by(p, ds)]
            for pod in mine:
                node = pod["spec"].get("nodeName")
                if node not in wanted or (pod["metadata"].get("labels") or {}).get("controller-revision-hash") != revision:
                    self._delete("", "pods", pod)
            current = {p["spec"].get("nodeName"): p for p in mine
                       if p["spec"].get("nodeName") in wanted and
                       (p["metadata"].get("labels") or {}).get("controller-revision-hash") == revision}
            for node in sorted(wanted - set(current)):
                self._new_pod(ds, template, "%s-%s" % (ds["metadata"]["name"], uuid.uuid4().hex[:5]), node,
                              {"controller-revision-hash": revision}, NOT_READY_TOLERATIONS)
            ready = sum(1 for p in current.values() if pod_ready(p))
            status = {"currentNumberScheduled": len(current), "desiredNumberScheduled": len(wanted),
                      "numberMisscheduled": 0, "numberReady": ready, "numberAvailable": ready,
                      "updatedNumberScheduled": len(current),
                      "observedGeneration": ds["metadata"].get("generation", 1)}
            if len(wanted) - ready:
                status["numberUnavailable"] = len(wanted) - ready
            self._status("apps", "daemonsets", ds, status)

    def prometheus_operator(self):
        """What the Prometheus operator does for Prometheus and Alertmanager resources, while a
        Deployment running it (a container with ``--prometheus-config-reloader=<image>``, the
        image it injects) has an available replica: a StatefulSet ``prometheus-<name>`` /
        ``alertmanager-<name>`` running ``spec.image`` and the reloader, with the resource's
        replicas; the resource's status from it. Nothing else of the operator is emulated."""
        reloader = configmap_reload = None
        for dep in self._all("apps", "deployments"):
            if not (dep.get("status") or {}).get("availableReplicas"):
                continue
            for container in ((dep.get("spec") or {}).get("template") or {}).get("spec", {}).get("containers") or []:
                for arg in container.get("args") or []:
                    if str(arg).startswith("--prometheus-config-reloader="):
                        reloader = str(arg).split("=", 1)[1]
                    if str(arg).startswith("--config-reloader-image="):
                        configmap_reload = str(arg).split("=", 1)[1]
        if reloader is None:
            return
        # Operators before v0.38 (--config-reloader-image) ran configmap-reload beside Prometheus
        # (rules) and in Alertmanager's Pods; later ones run their own reloader in both.
        sidecars = {"prometheus": [{"name": "prometheus-config-reloader", "image": reloader},
                                   {"name": "rules-configmap-reloader", "image": configmap_reload}]
                    if configmap_reload else [{"name": "config-reloader", "image": reloader}],
                    "alertmanager": [{"name": "config-reloader", "image": configmap_reload or reloader}]}
        statefulsets = self._all("apps", "statefulsets")
        for plural, prefix, port in (("prometheuses", "prometheus", 9090), ("alertmanagers", "alertmanager", 9093)):
            if self._res(OPERATOR_GROUP, plural) is None:
                continue
            for res in self._all(OPERATOR_GROUP, plural):
                spec, name = res.get("spec") or {}, res["metadata"]["name"]
                # the operator's precedence: image, else baseImage with sha, tag or version
                image = spec.get("image") or (spec.get("baseImage") and "%s%s%s" % (
                    spec["baseImage"], "@sha256:" if spec.get("sha") else ":",
                    spec.get("sha") or spec.get("tag") or spec.get("version") or "latest"))
                if not image:
                    continue
                labels = dict((spec.get("podMetadata") or {}).get("labels") or {}, **{prefix: name})
                wanted = {"replicas": spec.get("replicas", 1), "serviceName": prefix + "-operated",
                          "selector": {"matchLabels": {prefix: name}},
                          "updateStrategy": {"type": "RollingUpdate"},
                          "template": {"metadata": {"labels": labels},
                                       "spec": {"serviceAccountName": spec.get("serviceAccountName", "default"),
                                                "nodeSelector": spec.get("nodeSelector") or {},
                                                "containers": [
                                                    {"name": prefix, "image": image,
                                                     "ports": [{"name": "web", "containerPort": port}]}]
                                                + sidecars[prefix]}}}
                sts_name = "%s-%s" % (prefix, name)
                current = next((x for x in statefulsets if x["metadata"]["name"] == sts_name
                                and x["metadata"].get("namespace") == res["metadata"].get("namespace")), None)
                if current is None:
                    current = self._create("apps", "statefulsets", res["metadata"]["namespace"], {
                        "apiVersion": "apps/v1", "kind": "StatefulSet",
                        "metadata": {"name": sts_name, "labels": {prefix: name}, "ownerReferences": [owner_ref(res)]},
                        "spec": wanted})
                elif current.get("spec") != wanted:
                    current["spec"] = wanted
                    self._replace("apps", "statefulsets", current)
                status = current.get("status") or {}
                ready = status.get("readyReplicas", 0) >= wanted["replicas"]
                if "status" not in self._res(OPERATOR_GROUP, plural).subresources:
                    continue  # operator v0.35.1's CRDs (release-0.4) have no status subresource
                self._status(OPERATOR_GROUP, plural, res, {
                    "replicas": status.get("replicas", 0), "availableReplicas": status.get("readyReplicas", 0),
                    "conditions": [{"type": "Available", "status": "True" if ready else "False",
                                    "observedGeneration": res["metadata"].get("generation", 1)}]})

    def statefulsets(self):
        pods = self._all("", "pods")
        for sts in self._all("apps", "statefulsets"):
            spec = sts.get("spec") or {}
            template = spec.get("template") or {}
            revision = "%s-%s" % (sts["metadata"]["name"], template_hash(template))
            replicas = spec.get("replicas", 1)
            mine = {p["metadata"]["name"]: p for p in pods if owned_by(p, sts)}
            for name, pod in sorted(mine.items()):
                ordinal = name.rsplit("-", 1)[-1]
                if (not ordinal.isdigit() or int(ordinal) >= replicas
                        or (pod["metadata"].get("labels") or {}).get("controller-revision-hash") != revision):
                    self._delete("", "pods", pod)
                    del mine[name]
            for ordinal in range(replicas):
                name = "%s-%d" % (sts["metadata"]["name"], ordinal)
                if name not in mine:
                    mine[name] = self._new_pod(sts, template, name, None, {
                        "controller-revision-hash": revision, "statefulset.kubernetes.io/pod-name": name})
            ready = sum(1 for p in mine.values() if pod_ready(p))
            status = {"observedGeneration": sts["metadata"].get("generation", 1), "replicas": len(mine),
                      "currentReplicas": len(mine), "updatedReplicas": len(mine), "readyReplicas": ready,
                      "availableReplicas": ready, "currentRevision": revision, "updateRevision": revision}
            self._status("apps", "statefulsets", sts, status)

    def deployments(self):
        replicasets = self._all("apps", "replicasets")
        for dep in self._all("apps", "deployments"):
            spec = dep.get("spec") or {}
            template = spec.get("template") or {}
            revision = template_hash(template)
            replicas = spec.get("replicas", 1)
            name = "%s-%s" % (dep["metadata"]["name"], revision)
            mine = [r for r in replicasets if owned_by(r, dep)]
            new = next((r for r in mine if r["metadata"]["name"] == name), None)
            for old in mine:
                if old is not new and (old.get("spec") or {}).get("replicas", 1) != 0:
                    old["spec"]["replicas"] = 0
                    self._replace("apps", "replicasets", old)
            if new is None:
                tmpl = json.loads(json.dumps(template))
                tmpl.setdefault("metadata", {}).setdefault("labels", {})["pod-template-hash"] = revision
                selector = json.loads(json.dumps(spec.get("selector") or {}))
                selector.setdefault("matchLabels", {})["pod-template-hash"] = revision
                new = self._create("apps", "replicasets", dep["metadata"]["namespace"], {
                    "apiVersion": "apps/v1", "kind": "ReplicaSet",
                    "metadata": {"name": name, "labels": dict(tmpl["metadata"]["labels"]),
                                 "ownerReferences": [owner_ref(dep)]},
                    "spec": {"replicas": replicas, "selector": selector, "template": tmpl}})
            elif new["spec"].get("replicas") != replicas:
                new["spec"]["replicas"] = replicas
                self._replace("apps", "replicasets", new)
            rs_status = new.get("status") or {}
            available = rs_status.get("availableReplicas", 0)
            old_pods = sum((r.get("status") or {}).get("replicas", 0) for r in mine if r is not new)
            stamp = now()
            done = available >= replicas and old_pods == 0
            conditions = [
                {"type": "Available", "status": "True" if available >= replicas else "False",
                 "reason": "MinimumReplicasAvailable" if available >= replicas else "MinimumReplicasUnavailable",
                 "message": "Deployment has minimum availability." if available >= replicas
                 else "Deployment does not have minimum availability."},
                {"type": "Progressing", "status": "True",
                 "reason": "NewReplicaSetAvailable" if done else "ReplicaSetUpdated",
                 "message": 'ReplicaSet "%s" has %s.' % (name, "successfully progressed" if done else "is progressing")}]
            old_conditions = {c["type"]: c for c in (dep.get("status") or {}).get("conditions") or []}
            for cond in conditions:
                previous = old_conditions.get(cond["type"])
                same = previous and all(previous.get(k) == cond[k] for k in ("status", "reason", "message"))
                cond["lastUpdateTime"] = previous["lastUpdateTime"] if same else stamp
                cond["lastTransitionTime"] = previous["lastTransitionTime"] if same else stamp
            status = {"observedGeneration": dep["metadata"].get("generation", 1),
                      "replicas": rs_status.get("replicas", 0) + old_pods,
                      "updatedReplicas": rs_status.get("replicas", 0),
                      "readyReplicas": rs_status.get("readyReplicas", 0), "availableReplicas": available,
                      "conditions": conditions}
            if replicas - available > 0:
                status["unavailableReplicas"] = replicas - available
            for key in ("readyReplicas", "availableReplicas"):
                if not status[key]:
                    del status[key]
            self._status("apps", "deployments", dep, status)

    def replicasets(self):
        pods = self._all("", "pods")
        for rs in self._all("apps", "replicasets"):
            replicas = (rs.get("spec") or {}).get("replicas", 1)
            mine = [p for p in pods if owned_by(p, rs)]
            for pod in mine[replicas:]:
                self._delete("", "pods", pod)
            mine = mine[:replicas]
            for _missing in range(replicas - len(mine)):
                mine.append(self._new_pod(rs, rs["spec"]["template"],
                                          "%s-%s" % (rs["metadata"]["name"], uuid.uuid4().hex[:5])))
            ready = sum(1 for p in mine if pod_ready(p))
            status = {"replicas": len(mine), "fullyLabeledReplicas": len(mine),
                      "observedGeneration": rs["metadata"].get("generation", 1)}
            if ready:
                status.update(readyReplicas=ready, availableReplicas=ready)
            self._status("apps", "replicasets", rs, status)

    def jobs(self):
        pods = self._all("", "pods")
        for job in self._all("batch", "jobs"):
            spec = job.get("spec") or {}
            completions = spec.get("completions", 1)
            mine = [p for p in pods if owned_by(p, job)]
            succeeded = sum(1 for p in mine if (p.get("status") or {}).get("phase") == "Succeeded")
            failed = sum(1 for p in mine if (p.get("status") or {}).get("phase") == "Failed")
            active = [p for p in mine if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
            status = dict(job.get("status") or {})
            if succeeded < completions and not active:
                labels = {"job-name": job["metadata"]["name"], "controller-uid": job["metadata"]["uid"],
                          "batch.kubernetes.io/job-name": job["metadata"]["name"],
                          "batch.kubernetes.io/controller-uid": job["metadata"]["uid"]}
                active = [self._new_pod(job, spec.get("template") or {},
                                        "%s-%s" % (job["metadata"]["name"], uuid.uuid4().hex[:5]), None, labels)]
            status.setdefault("startTime", now())
            status.pop("active", None)
            if active and succeeded < completions:
                status["active"] = len(active)
            status.update({k: v for k, v in (("succeeded", succeeded), ("failed", failed)) if v})
            if succeeded >= completions and not any(c["type"] == "Complete" for c in status.get("conditions") or []):
                stamp = now()
                status["completionTime"] = stamp
                status["conditions"] = [{"type": "Complete", "status": "True", "lastProbeTime": stamp,
                                         "lastTransitionTime": stamp}]
            self._status("batch", "jobs", job, status)

    def schedule(self):
        nodes = self._all("", "nodes")
        pods = self._all("", "pods")
        load = {}
        for pod in pods:
            if pod["spec"].get("nodeName"):
                load[pod["spec"]["nodeName"]] = load.get(pod["spec"]["nodeName"], 0) + 1
        for pod in pods:
            if pod["spec"].get("nodeName"):
                continue
            reasons = {}
            fits = []
            for node in nodes:
                why = misfit(node, pod["spec"])
                if why:
                    reasons[why] = reasons.get(why, 0) + 1
                else:
                    fits.append(node["metadata"]["name"])
            if fits:
                target = min(fits, key=lambda n: (load.get(n, 0), n))
                load[target] = load.get(target, 0) + 1
                pod["spec"]["nodeName"] = target
                pod["status"] = {"phase": "Pending", "conditions": [
                    {"type": "PodScheduled", "status": "True", "lastTransitionTime": now()}]}
                self._replace("", "pods", pod)
                self._status("", "pods", self.emu.get_object("pods", pod["metadata"]["name"],
                                                             pod["metadata"]["namespace"]), pod["status"])
                continue
            message = "0/%d nodes are available: %s. preemption: 0/%d nodes are available: %d Preemption is not " \
                "helpful for scheduling." % (len(nodes), ", ".join(
                    "%d %s" % (count, why) for why, count in sorted(reasons.items())), len(nodes), len(nodes))
            self._status("", "pods", pod, {"phase": "Pending", "conditions": [
                {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message,
                 "lastTransitionTime": ((pod.get("status") or {}).get("conditions") or [{}])[0].get(
                     "lastTransitionTime") or now()}]})

    def volumes(self):
        pvs = self._all("", "persistentvolumes")
        for pv in pvs:
            if not (pv.get("status") or {}).get("phase"):
                self._status("", "persistentvolumes", pv, {"phase": "Available"})
                pv["status"] = {"phase": "Available"}
        for pvc in self._all("", "persistentvolumeclaims"):
            if (pvc.get("status") or {}).get("phase") == "Bound":
                continue
            spec = pvc.get("spec") or {}
            wanted = quantity(((spec.get("resources") or {}).get("requests") or {}).get("storage", "0"))
            klass = spec.get("storageClassName") or ""
            match = None
            for pv in pvs:
                pv_spec = pv.get("spec") or {}
                if (pv.get("status") or {}).get("phase") != "Available":
                    continue
                if spec.get("volumeName") and spec["volumeName"] != pv["metadata"]["name"]:
                    continue
                if (pv_spec.get("storageClassName") or "") != klass:
                    continue
                if not set(spec.get("accessModes") or []) <= set(pv_spec.get("accessModes") or []):
                    continue
                if quantity((pv_spec.get("capacity") or {}).get("storage", "0")) < wanted:
                    continue
                selector = (spec.get("selector") or {}).get("matchLabels") or {}
                if any((pv["metadata"].get("labels") or {}).get(k) != v for k, v in selector.items()):
                    continue
                match = pv
                break
            if match is None:
                self._status("", "persistentvolumeclaims", pvc, {"phase": "Pending"})
                continue
            match["spec"]["claimRef"] = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                                         "namespace": pvc["metadata"]["namespace"], "name": pvc["metadata"]["name"],
                                         "uid": pvc["metadata"]["uid"]}
            self._replace("", "persistentvolumes", match)
            self._status("", "persistentvolumes", self.emu.get_object("persistentvolumes", match["metadata"]["name"]),
                         {"phase": "Bound"})
            match["status"] = {"phase": "Bound"}
            pvc["spec"]["volumeName"] = match["metadata"]["name"]
            self._replace("", "persistentvolumeclaims", pvc)
            self._status("", "persistentvolumeclaims",
                         self.emu.get_object("persistentvolumeclaims", pvc["metadata"]["name"],
                                             pvc["metadata"]["namespace"]),
                         {"phase": "Bound", "accessModes": list(match["spec"].get("accessModes") or []),
                          "capacity": dict(match["spec"].get("capacity") or {})})
