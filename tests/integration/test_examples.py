"""playbooks/examples.yml over the API emulator with its controllers and a kubelet double on each
node: the runbook's workloads placed where they must be (nodeName, nodeSelector, a tolerated
taint), the Deployment scaled from one replica to three, the DaemonSet on every node, the Job
complete, the Services, the Ingress with two host rules and the HPA; a second run and check mode
change nothing; examples_state=absent removes all of it. The older releases' API versions are
the cluster_1_17 scenario's (molecule/resources/cluster_tests/test_examples.py)."""

import json
import os
import sys

import pytest

from tests import runner
from tests.emulator import Emulator
from tests.integration.test_workload_status import FakeRuntime, node, run_kubelets

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "simulator"))
from podsync import PodSync  # noqa: E402
from simlib import API  # noqa: E402

pytestmark = pytest.mark.slow
REGISTRY = "registry:5000"
IMAGES = [REGISTRY + "/library/nginx:1.27", REGISTRY + "/library/busybox:1.36", REGISTRY + "/pause:3.10.1"]
TAINT = {"key": "dedicated", "value": "edge", "effect": "NoSchedule"}
NAMES = [("ConfigMap", "configmaps", "examples-nginx-conf"), ("Pod", "pods", "examples-pod"),
         ("Deployment", "deployments", "examples-web"), ("DaemonSet", "daemonsets", "examples-daemon"),
         ("Job", "jobs", "examples-job"), ("CronJob", "cronjobs", "examples-cron"),
         ("Service", "services", "examples-web-headless"), ("Ingress", "ingresses", "examples-ingress"),
         ("Pod", "pods", "examples-nfs"), ("HorizontalPodAutoscaler", "horizontalpodautoscalers", "php-apache")]


def start(tmp_path, version):
    """The emulator (controllers on) with a master and two workers (worker1 tainted as the
    inventory says), a kubelet double on each, the NFS volume and its claim bound as the nfs_pv
    role leaves them: (emulator, inventory, stop)."""
    emu = Emulator(controllers=True, version=version).start()
    kubeconfig = str(tmp_path / "admin.conf")
    api = API.from_kubeconfig(emu.kubeconfig(path=kubeconfig))
    runtime = FakeRuntime(IMAGES)
    kubelets = []
    control_plane = [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
    for index, (name, taints) in enumerate((("master", control_plane), ("worker1", [TAINT]), ("worker2", None))):
        obj = node(name, taints=taints)
        obj["spec"]["podCIDR"] = "10.244.%d.0/24" % index
        emu.put_object(obj)
        kubelets.append(PodSync(api, name, "10.0.0.%d" % (index + 2), runtime, str(tmp_path / name), log=lambda *_: None))
    emu.put_object({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "nfs-pv"},
                    "spec": {"capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteMany"],
                             "nfs": {"server": "10.0.0.9", "path": "/srv/nfs/k8s"},
                             "claimRef": {"name": "nfs-pvc", "namespace": "default"}}})
    emu.put_object({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                    "metadata": {"name": "nfs-pvc", "namespace": "default"},
                    "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "10Gi"}},
                             "volumeName": "nfs-pv", "storageClassName": ""}})
    stop_kubelets = run_kubelets(kubelets)
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(json.dumps({"all": {"children": {
        "masters": {"hosts": {"localhost": {"ansible_connection": "local", "master_node_name": "master"}}},
        "nodes": {"hosts": {"worker1": {"node_taints": [TAINT]}, "worker2": {}}}}}}))

    def stop():
        stop_kubelets()
        emu.stop()
    return emu, kubeconfig, str(inventory), stop


def run(kubeconfig, inventory, version, *args, **extra):
    variables = {"cluster_kubernetes_version": version, "cluster_registry": REGISTRY,
                 "cluster_api_kubeconfig_controller": kubeconfig, "cluster_addon_required": {},
                 "ansible_python_interpreter": sys.executable, "examples_timeout": 120}
    variables.update(extra)
    return runner.ansible_playbook("playbooks/examples.yml", inventory, "-e", json.dumps(variables), *args)


def get(emu, plural, name, namespace="default"):
    return emu.get_object(plural, name, namespace)


def test_the_runbook_workloads_converge_once_and_are_removed(tmp_path):
    emu, kubeconfig, inventory, stop = start(tmp_path, "1.36.4")
    try:
        first = run(kubeconfig, inventory, "1.36.4")
        assert first.rc == 0, first.output[-5000:]
        # placement: nodeName, nodeSelector (the untainted worker), the tolerated taint (worker1)
        assert get(emu, "pods", "examples-nodename")["spec"]["nodeName"] == "worker2"
        assert get(emu, "pods", "examples-nodeselector")["spec"]["nodeName"] == "worker2"
        tolerating = get(emu, "pods", "examples-toleration")
        assert tolerating["spec"]["nodeName"] == "worker1"
        assert {"key": "dedicated", "operator": "Equal", "value": "edge", "effect": "NoSchedule"} in \
            tolerating["spec"]["tolerations"]
        # the Deployment scaled from one to three, and the field is not ours (a re-run keeps it)
        deployment = get(emu, "deployments", "examples-web")
        assert deployment["spec"]["replicas"] == 3 and deployment["status"]["readyReplicas"] == 3
        # the DaemonSet on every node, tainted ones included; the Job complete
        assert get(emu, "daemonsets", "examples-daemon")["status"]["numberReady"] == 3
        assert get(emu, "jobs", "examples-job")["status"].get("succeeded") == 1
        # every image from the private registry, pulled by the nodes
        pod = get(emu, "pods", "examples-pod")
        assert pod["spec"]["containers"][0]["image"] == REGISTRY + "/library/nginx:1.27"
        assert pod["status"]["phase"] == "Running"
        volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
        assert volumes["conf"]["configMap"]["name"] == "examples-nginx-conf" and "emptyDir" in volumes["cache"]
        assert volumes["logs"]["hostPath"]["path"] == "/var/log/examples-nginx"
        assert "server {" in get(emu, "configmaps", "examples-nginx-conf")["data"]["default.conf"]
        # Services of three kinds, the Ingress with two host rules, the PVC the NFS Pod mounts
        assert get(emu, "services", "examples-web-nodeport")["spec"]["ports"][0]["nodePort"] == 30090
        assert get(emu, "services", "examples-web-headless")["spec"]["clusterIP"] == "None"
        ingress = get(emu, "ingresses", "examples-ingress")
        assert ingress["apiVersion"] == "networking.k8s.io/v1"
        assert [r["host"] for r in ingress["spec"]["rules"]] == ["web.example.test", "nodeport.example.test"]
        nfs = get(emu, "pods", "examples-nfs")
        assert nfs["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"] == "nfs-pvc"
        assert get(emu, "horizontalpodautoscalers", "php-apache")["apiVersion"] == "autoscaling/v2"

        again = run(kubeconfig, inventory, "1.36.4", "--diff")
        assert again.rc == 0 and runner.recap(again.output)["localhost"]["changed"] == 0, again.output[-5000:]
        check = run(kubeconfig, inventory, "1.36.4", "--check", "--diff")
        assert check.rc == 0 and runner.recap(check.output)["localhost"]["changed"] == 0, check.output[-5000:]

        removed = run(kubeconfig, inventory, "1.36.4", examples_state="absent")
        assert removed.rc == 0, removed.output[-5000:]
        for _kind, plural, name in NAMES:
            assert emu.get_object(plural, name, "default") is None, name
        # what was not ours stays: the claim and its volume
        assert get(emu, "persistentvolumeclaims", "nfs-pvc") is not None
    finally:
        stop()
