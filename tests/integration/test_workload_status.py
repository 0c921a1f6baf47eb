"""The emulator's controllers and the kubelet double's Pod sync, together over real HTTPS: Pods
created for workloads, scheduled by the rules the scheduler uses, and workload status derived from
what each node's runtime reports. The runtime here is a stand-in that knows a set of images (the
Molecule cluster scenarios pull for real with containerd and docker)."""

import os
import sys
import threading

import pytest

from tests.emulator.controllers import Controllers, misfit, quantity

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "simulator"))
from podsync import PodSync, copy_command  # noqa: E402
from simlib import API  # noqa: E402


class FakeRuntime:
    sandbox = "registry:5000/pause:3.10.1"

    def __init__(self, images):
        self.images = set(images)
        self.present = set()
        self.pulls = []

    def image_id(self, ref):
        return "%s@sha256:%s" % (ref.rsplit(":", 1)[0], "a" * 64) if ref in self.present else None

    def pull(self, ref):
        self.pulls.append(ref)
        if ref not in self.images:
            return None, 'failed to pull and unpack image "%s": %s: not found' % (ref, ref)
        self.present.add(ref)
        return self.image_id(ref), None


def run_kubelets(kubelets, interval=0.5):
    """Sync each kubelet double (PodSync) every ``interval`` seconds in a thread, as a kubelet
    would; returns the function that stops them."""
    stopped = threading.Event()

    def loop():
        while not stopped.wait(interval):
            for kubelet in kubelets:
                try:
                    kubelet.sync()
                except Exception:  # the API may be busy; the next round retries
                    pass

    threading.Thread(target=loop, daemon=True).start()
    return stopped.set


def node(name, ready=True, labels=None, taints=None):
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": dict({"kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                                                       "kubernetes.io/arch": "amd64"}, **(labels or {}))},
            "spec": {"taints": taints} if taints else {},
            "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.%d" % (len(name))}],
                       "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}}


def pod_template(image, **spec):
    return {"metadata": {"labels": {"app": "x"}},
            "spec": dict({"containers": [{"name": "main", "image": image}]}, **spec)}


@pytest.fixture
def cluster(emulator, tmp_path):
    api = API.from_kubeconfig(emulator.kubeconfig(path=str(tmp_path / "admin.conf")))
    emulator.put_object(node("master", labels={"node-role.kubernetes.io/control-plane": ""},
                             taints=[{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]))
    emulator.put_object(node("worker1", labels={"tier": "web"}))
    emulator.put_object(node("worker2", ready=False))
    emulator.put_object({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "apps"}})
    runtime = FakeRuntime(["registry:5000/good:1", "registry:5000/pause:3.10.1", "registry:5000/init:1"])
    kubelets = {n: PodSync(api, n, "10.0.0.%d" % len(n), runtime, str(tmp_path / n), log=lambda *_: None)
                for n in ("master", "worker1", "worker2")}
    controllers = Controllers(emulator)

    def settle(rounds=4):
        for _round in range(rounds):
            controllers.sync()
            for kubelet in kubelets.values():
                kubelet.sync()
        controllers.sync()

    return emulator, api, runtime, settle, tmp_path


def create(emulator, kind, name, spec, api_version="apps/v1", namespace="apps"):
    return emulator.put_object({"apiVersion": api_version, "kind": kind,
                                "metadata": {"name": name, "namespace": namespace}, "spec": spec})


def test_daemonset_runs_on_every_node_it_tolerates(cluster):
    emulator, _api, _runtime, settle, _tmp = cluster
    create(emulator, "DaemonSet", "agent", {"selector": {"matchLabels": {"app": "x"}},
                                            "template": pod_template("registry:5000/good:1")})
    # flannel's toleration: every NoSchedule taint, so also the control plane and NotReady nodes
    create(emulator, "DaemonSet", "cni", {"selector": {"matchLabels": {"app": "x"}}, "template": pod_template(
        "registry:5000/good:1", tolerations=[{"operator": "Exists", "effect": "NoSchedule"}])})
    settle()
    agent = emulator.get_object("daemonsets", "agent", "apps")
    # no toleration: the control-plane taint and the not-ready taint keep it off master and worker2
    assert agent["status"]["desiredNumberScheduled"] == 1
    assert agent["status"]["numberAvailable"] == 1
    assert agent["status"]["observedGeneration"] == 1
    cni = emulator.get_object("daemonsets", "cni", "apps")
    assert cni["status"]["desiredNumberScheduled"] == cni["status"]["numberAvailable"] == 3
    nodes = sorted(p["spec"]["nodeName"] for p in emulator.list_objects("pods", "apps"))
    assert nodes == ["master", "worker1", "worker1", "worker2"]


def test_deployment_is_available_only_when_its_image_pulls(cluster):
    emulator, _api, _runtime, settle, _tmp = cluster
    create(emulator, "Deployment", "web", {"replicas": 1, "selector": {"matchLabels": {"app": "x"}},
                                           "template": pod_template("registry:5000/missing:1")})
    settle()
    dep = emulator.get_object("deployments", "web", "apps")
    assert dep["status"].get("availableReplicas", 0) == 0
    available = [c for c in dep["status"]["conditions"] if c["type"] == "Available"][0]
    assert available["status"] == "False"
    pod = emulator.list_objects("pods", "apps")[0]
    assert pod["spec"]["nodeName"] == "worker1"  # the only Ready node without an untolerated taint
    waiting = pod["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting["reason"] in ("ErrImagePull", "ImagePullBackOff")
    assert "registry:5000/missing:1" in waiting["message"]


def test_deployment_rollout_replaces_its_replicaset(cluster):
    emulator, _api, _runtime, settle, _tmp = cluster
    dep = create(emulator, "Deployment", "web", {"replicas": 1, "selector": {"matchLabels": {"app": "x"}},
                                                 "template": pod_template("registry:5000/good:1")})
    settle()
    status = emulator.get_object("deployments", "web", "apps")["status"]
    assert status["availableReplicas"] == 1 and status["updatedReplicas"] == 1
    assert {c["type"]: c["reason"] for c in status["conditions"]}["Progressing"] == "NewReplicaSetAvailable"
    pod = emulator.list_objects("pods", "apps")[0]
    assert pod["status"]["containerStatuses"][0]["imageID"].startswith("registry:5000/good@sha256:")
    dep = emulator.get_object("deployments", "web", "apps")
    dep["spec"]["template"]["spec"]["containers"][0]["image"] = "registry:5000/missing:2"
    res = emulator.registry.for_object(dep)
    emulator.replace(res, "apps", "web", None, dep)
    settle()
    status = emulator.get_object("deployments", "web", "apps")["status"]
    assert status["observedGeneration"] == 2
    assert status.get("availableReplicas", 0) == 0
    replicasets = emulator.list_objects("replicasets", "apps")
    assert sorted(r["spec"]["replicas"] for r in replicasets) == [0, 1]


def test_node_selector_that_matches_no_node_is_unschedulable(cluster):
    emulator, _api, _runtime, settle, _tmp = cluster
    create(emulator, "Deployment", "edge", {"selector": {"matchLabels": {"app": "x"}},
                                            "template": pod_template("registry:5000/good:1",
                                                                     nodeSelector={"tier": "nowhere"})})
    settle()
    pod = emulator.list_objects("pods", "apps")[0]
    assert "nodeName" not in pod["spec"]
    cond = pod["status"]["conditions"][0]
    assert cond["reason"] == "Unschedulable"
    assert cond["message"] == ("0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, "
                               "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
                               "1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: "
                               "0/3 nodes are available: 3 Preemption is not helpful for scheduling.")


def test_job_completes_when_its_images_pull(cluster):
    emulator, _api, runtime, settle, _tmp = cluster
    create(emulator, "Job", "once", {"template": pod_template(
        "registry:5000/good:1", restartPolicy="Never",
        initContainers=[{"name": "prep", "image": "registry:5000/init:1"}])}, api_version="batch/v1")
    settle()
    job = emulator.get_object("jobs", "once", "apps")
    assert job["status"]["succeeded"] == 1
    assert [c["type"] for c in job["status"]["conditions"]] == ["Complete"]
    assert {"registry:5000/init:1", "registry:5000/good:1", "registry:5000/pause:3.10.1"} <= set(runtime.pulls)


def test_a_missing_sandbox_image_blocks_every_pod(cluster):
    emulator, _api, runtime, settle, _tmp = cluster
    runtime.images.discard("registry:5000/pause:3.10.1")
    create(emulator, "Deployment", "web", {"selector": {"matchLabels": {"app": "x"}},
                                           "template": pod_template("registry:5000/good:1")})
    settle()
    pod = emulator.list_objects("pods", "apps")[0]
    assert pod["status"]["phase"] == "Pending"
    assert "Failed to create pod sandbox" in pod["status"]["message"]
    assert "registry:5000/pause:3.10.1" in pod["status"]["message"]


def test_owner_deleted_pods_collected(cluster):
    emulator, _api, _runtime, settle, _tmp = cluster
    ds = create(emulator, "DaemonSet", "agent", {"selector": {"matchLabels": {"app": "x"}},
                                                 "template": pod_template("registry:5000/good:1")})
    settle()
    assert emulator.list_objects("pods", "apps")
    emulator.delete(emulator.registry.for_object(ds), "apps", "agent")
    settle(1)
    assert emulator.list_objects("pods", "apps") == []


def test_install_cni_copy_writes_the_configmap_key_to_the_host(cluster):
    emulator, api, _runtime, _settle, tmp = cluster
    emulator.put_object({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "apps"},
                         "data": {"cni-conf.json": '{"name": "cbr0"}'}})
    pod = {"metadata": {"namespace": "apps", "name": "p"},
           "spec": {"volumes": [{"name": "cni", "hostPath": {"path": "/etc/cni/net.d"}},
                                {"name": "cfg", "configMap": {"name": "cfg"}}]}}
    container = {"name": "install-cni", "image": "x", "command": ["cp"],
                 "args": ["-f", "/etc/kube-flannel/cni-conf.json", "/etc/cni/net.d/10-flannel.conflist"],
                 "volumeMounts": [{"name": "cni", "mountPath": "/etc/cni/net.d"},
                                  {"name": "cfg", "mountPath": "/etc/kube-flannel/"}]}
    assert copy_command(api, pod, container, str(tmp / "worker1"))
    assert (tmp / "worker1/etc/cni/net.d/10-flannel.conflist").read_text() == '{"name": "cbr0"}'
    container["command"] = ["sh", "-c"]
    assert not copy_command(api, pod, container, str(tmp / "worker1"))
    # flannel v0.28.10's install-cni: /opt/bin/install-conf SRC DST
    (tmp / "worker1/etc/cni/net.d/10-flannel.conflist").unlink()
    container["command"], container["args"] = ["/opt/bin/install-conf"], container["args"][1:]
    assert copy_command(api, pod, container, str(tmp / "worker1"))
    assert (tmp / "worker1/etc/cni/net.d/10-flannel.conflist").read_text() == '{"name": "cbr0"}'


def test_pvc_binds_to_a_fitting_pv(cluster):
    emulator, _api, _runtime, settle, _tmp = cluster
    for name, size, modes in (("small", "1Gi", ["ReadWriteMany"]), ("big", "10Gi", ["ReadWriteOnce"]),
                              ("nfs", "10Gi", ["ReadWriteMany"])):
        emulator.put_object({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name},
                             "spec": {"capacity": {"storage": size}, "accessModes": modes,
                                      "nfs": {"server": "10.0.0.1", "path": "/data"}}})
    emulator.put_object({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                         "metadata": {"name": "data", "namespace": "apps"},
                         "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "5Gi"}}}})
    settle(1)
    pvc = emulator.get_object("persistentvolumeclaims", "data", "apps")
    assert pvc["status"]["phase"] == "Bound" and pvc["spec"]["volumeName"] == "nfs"
    pv = emulator.get_object("persistentvolumes", "nfs")
    assert pv["status"]["phase"] == "Bound" and pv["spec"]["claimRef"]["name"] == "data"
    assert emulator.get_object("persistentvolumes", "small")["status"]["phase"] == "Available"


def test_scheduling_rules():
    n = node("w", labels={"tier": "web"}, taints=[{"key": "dedicated", "value": "edge", "effect": "NoSchedule"}])
    assert misfit(n, {"nodeSelector": {"tier": "web"}}) == "node(s) had untolerated taint {dedicated: edge}"
    assert misfit(n, {"tolerations": [{"key": "dedicated", "operator": "Equal", "value": "edge"}]}) is None
    assert misfit(n, {"tolerations": [{"operator": "Exists"}]}) is None
    assert misfit(n, {"tolerations": [{"key": "dedicated", "value": "other"}]}) is not None
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "kubernetes.io/arch", "operator": "In", "values": ["arm64"]}]}]}}}
    assert misfit(n, {"affinity": affinity, "tolerations": [{"operator": "Exists"}]}) == \
        "node(s) didn't match Pod's node affinity/selector"
    assert quantity("10Gi") == 10 * 2 ** 30 and quantity("500M") == 5e8
    with pytest.raises(ValueError):
        quantity("ten")


def test_pods_get_addresses_in_their_nodes_pod_cidr_and_apiservices_follow_them(cluster):
    """Node IPAM (kube-controller-manager's --allocate-node-cidrs) gives each Node a /24 of the
    cluster CIDR; the kubelet double hands Pod addresses out of it (host-network Pods get the
    node's); an APIService becomes Available once a Ready Pod with an address backs its Service."""
    emulator, _api, _runtime, settle, _tmp = cluster
    emulator.cluster_cidr = "10.244.0.0/16"
    create(emulator, "Deployment", "metrics", {"replicas": 1, "selector": {"matchLabels": {"app": "x"}},
                                               "template": pod_template("registry:5000/good:1")})
    create(emulator, "Service", "metrics", {"selector": {"app": "x"}, "ports": [{"name": "https", "port": 443}]},
           api_version="v1")
    emulator.put_object({"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
                         "metadata": {"name": "v1beta1.metrics.k8s.io"},
                         "spec": {"group": "metrics.k8s.io", "version": "v1beta1",
                                  "service": {"name": "metrics", "namespace": "apps", "port": 443}}})
    settle()
    cidrs = {n["metadata"]["name"]: n["spec"]["podCIDR"] for n in emulator.list_objects("nodes")}
    assert sorted(cidrs.values()) == ["10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"]
    pod = emulator.list_objects("pods", "apps")[0]
    assert pod["status"]["podIP"] == cidrs[pod["spec"]["nodeName"]].replace(".0/24", ".2")
    api = emulator.get_object("apiservices", "v1beta1.metrics.k8s.io")
    assert [(c["type"], c["status"], c["reason"]) for c in api["status"]["conditions"]] == [("Available", "True", "Passed")]


def _prometheus_crd():
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "prometheuses.monitoring.coreos.com"},
            "spec": {"group": "monitoring.coreos.com", "scope": "Namespaced",
                     "names": {"kind": "Prometheus", "plural": "prometheuses", "singular": "prometheus", "listKind": "PrometheusList"},
                     "versions": [{"name": "v1", "served": True, "storage": True, "subresources": {"status": {}},
                                   "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}]}}


def test_operator_double_runs_the_resources_image_once_the_operator_is_available(cluster):
    emulator, _api, runtime, settle, _tmp = cluster
    emulator.put_object(_prometheus_crd())
    emulator.put_object({"apiVersion": "monitoring.coreos.com/v1", "kind": "Prometheus",
                         "metadata": {"name": "k8s", "namespace": "apps"},
                         "spec": {"image": "registry:5000/good:1", "replicas": 2}})
    # no operator running yet: nothing generated
    settle()
    assert emulator.get_object("statefulsets", "prometheus-k8s", "apps") is None
    # the operator's Deployment, with the reloader image it injects
    operator = pod_template("registry:5000/init:1")
    operator["spec"]["containers"][0]["args"] = ["--prometheus-config-reloader=registry:5000/good:1"]
    create(emulator, "Deployment", "prometheus-operator", {"replicas": 1, "selector": {"matchLabels": {"app": "x"}},
                                                           "template": operator})
    settle(6)
    sts = emulator.get_object("statefulsets", "prometheus-k8s", "apps")
    assert sts["spec"]["updateStrategy"] == {"type": "RollingUpdate"}
    assert [c["image"] for c in sts["spec"]["template"]["spec"]["containers"]] == ["registry:5000/good:1"] * 2
    assert sts["status"]["readyReplicas"] == 2 and sts["status"]["currentRevision"] == sts["status"]["updateRevision"]
    pods = sorted(p["metadata"]["name"] for p in emulator.list_objects("pods", "apps") if p["metadata"]["name"].startswith("prometheus-k8s"))
    assert pods == ["prometheus-k8s-0", "prometheus-k8s-1"]
    status = emulator.get_object("prometheuses", "k8s", "apps")["status"]
    assert status["availableReplicas"] == 2 and status["conditions"][0]["status"] == "True"
    # an image the registry lacks: the generated Pods do not become ready, nor does the resource
    res = emulator.get_object("prometheuses", "k8s", "apps")
    res["spec"]["image"] = "registry:5000/missing:3"
    emulator.replace(emulator.registry.for_object(res), "apps", "k8s", None, res)
    settle(6)
    assert emulator.get_object("statefulsets", "prometheus-k8s", "apps")["status"]["readyReplicas"] == 0
    assert "registry:5000/missing:3" in runtime.pulls
    assert emulator.get_object("prometheuses", "k8s", "apps")["status"]["conditions"][0]["status"] == "False"
