"""The prometheus role over the API emulator with its controllers and a kubelet double whose
runtime knows every image of the kube-prometheus stand-in (tests/bundle/kube_prometheus.py), read
from a bundle: the CRDs over 256 KiB and the file PyYAML cannot load applied server-side, Go
templates arriving byte for byte, Grafana's NodePort, NetworkPolicy and admin Secret, the
password file, the operator's StatefulSets, the metrics.k8s.io owner, and a second run and
check mode that change nothing."""

import base64
import hashlib
import json
import os
import stat
import sys

import pytest

from tests import runner
from tests.emulator import Emulator
from tests.integration.test_workload_status import FakeRuntime, node, run_kubelets

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "simulator"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bundle"))
import kube_prometheus  # noqa: E402
from podsync import PodSync  # noqa: E402
from simlib import API  # noqa: E402

from ansible_collections.helmsman.kubeadm.plugins.module_utils import images, manifests  # noqa: E402

pytestmark = pytest.mark.slow
VERSION = "v0.18.0"
REGISTRY = "registry:5000"


def write_bundle(folder, version=VERSION):
    """A bundle in ``folder`` (a pathlib.Path) carrying the stand-in of kube-prometheus ``version``:
    (folder, the stand-in's objects)."""
    entries, objects = [], []
    for name, text in kube_prometheus.files(version).items():
        path = "manifests/kube-prometheus/%s/%s" % (version, name)
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)
        entries.append({"path": path, "type": "manifest", "sha256": hashlib.sha256(text.encode()).hexdigest(),
                        "source": "https://manifests.lab.invalid/" + path})
        objects += manifests.k8s_documents(text, name)
    (folder / "manifest.yaml").write_text(json.dumps({"apiVersion": "helmsman.kubeadm/v1", "kind": "Bundle", "files": entries}))
    return str(folder), objects


def start_cluster(folder, objects, version="1.36.4"):
    """The API emulator with its controllers, two worker Nodes and a kubelet double on each whose
    runtime knows every image of ``objects`` (mirrored): (emulator, kubeconfig, inventory,
    runtime, stop), ``stop()`` ending it all; the API serves Kubernetes ``version``."""
    emu = Emulator(controllers=True, version=version).start()
    known = [images.mirror_ref(ref, REGISTRY) for ref in manifests.manifest_images(objects)] + [REGISTRY + "/pause:3.10.1"]
    runtime = FakeRuntime(known)
    kubeconfig = str(folder / "admin.conf")
    kubelets = []
    for index, (name, address) in enumerate((("worker1", "10.0.0.7"), ("worker2", "10.0.0.8"))):
        worker = node(name)
        worker["spec"]["podCIDR"] = "10.244.%d.0/24" % index  # node IPAM's: Pods get addresses, Services endpoints
        emu.put_object(worker)
        kubelets.append(PodSync(API.from_kubeconfig(emu.kubeconfig(path=kubeconfig)), name, address,
                                runtime, str(folder / name), log=lambda *_: None))
    stop_kubelets = run_kubelets(kubelets)
    inventory = folder / "hosts"
    inventory.write_text("[masters]\nlocalhost ansible_connection=local\n")

    def stop():
        stop_kubelets()
        emu.stop()
    return emu, kubeconfig, str(inventory), runtime, stop


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return write_bundle(tmp_path_factory.mktemp("bundle"))


@pytest.fixture
def cluster(tmp_path, bundle):
    *started, stop = start_cluster(tmp_path, bundle[1])
    yield tuple(started)
    stop()


def run(cluster, bundle, tmp_path, *args, **extra):
    _emu, kubeconfig, inventory, _runtime = cluster
    variables = {"cluster_kubernetes_version": "1.36.4", "cluster_registry": REGISTRY, "cluster_bundle_dir": bundle[0],
                 "cluster_api_kubeconfig_controller": kubeconfig, "cluster_addon_required": {},
                 "ansible_python_interpreter": sys.executable, "prometheus_timeout": 300,
                 "prometheus_grafana_password_file": str(tmp_path / "grafana.password")}
    variables.update(extra)
    return runner.ansible_playbook("tests/integration/playbooks/prometheus.yml", inventory, "-e", json.dumps(variables), *args)


def test_kube_prometheus_converges_once_and_then_changes_nothing(cluster, bundle, tmp_path):
    emu, _kubeconfig, _inventory, runtime = cluster
    first = run(cluster, bundle, tmp_path)
    assert first.rc == 0, first.output[-4000:]
    # CRDs over the annotation limit, one of them the file PyYAML cannot construct, applied server-side
    crd = emu.get_object("customresourcedefinitions", "alertmanagerconfigs.monitoring.coreos.com")
    assert len(json.dumps(crd["spec"], separators=(",", ":"))) > 262144
    enum = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["inhibitRules"]
    assert enum["items"]["properties"]["sourceMatch"]["items"]["properties"]["matchType"]["enum"] == ["!=", "=", "=~", "!~"]
    assert "kubectl.kubernetes.io/last-applied-configuration" not in (crd["metadata"].get("annotations") or {})
    # Go templates byte for byte
    rule = emu.get_object("prometheusrules", "kubernetes-monitoring-rules", "monitoring")
    assert rule["spec"]["groups"][0]["rules"][0]["annotations"]["summary"] == "{{ $labels.job }} is degraded."
    # Grafana: NodePort, NetworkPolicy opened on 3000, admin from the Secret, password file 0600
    service = emu.get_object("services", "grafana", "monitoring")
    assert service["spec"]["type"] == "NodePort" and service["spec"]["ports"][0]["nodePort"] == 30002
    policy = emu.get_object("networkpolicies", "grafana", "monitoring")
    assert {"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"port": 3000, "protocol": "TCP"}]} in policy["spec"]["ingress"]
    password_file = tmp_path / "grafana.password"
    assert stat.S_IMODE(os.stat(password_file).st_mode) == 0o600
    password = password_file.read_text().strip()
    assert len(password) == 32 and password != "admin"
    assert password not in first.output
    secret = emu.get_object("secrets", "grafana-admin", "monitoring")
    assert base64.b64decode(secret["data"]["admin-password"]).decode() == password
    env = emu.get_object("deployments", "grafana", "monitoring")["spec"]["template"]["spec"]["containers"][0]["env"]
    assert {"name": "GF_SECURITY_ADMIN_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "grafana-admin", "key": "admin-password"}}} in env
    # images moved to the private registry: containers, the operator's flag, the resources
    args = emu.get_object("deployments", "prometheus-operator", "monitoring")["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "--prometheus-config-reloader=%s/prometheus-operator/prometheus-config-reloader:v0.92.0" % REGISTRY in args
    assert emu.get_object("prometheuses", "k8s", "monitoring")["spec"]["image"] == REGISTRY + "/prometheus/prometheus:v3.12.0"
    # the operator's StatefulSets ran, so the node's runtime pulled Prometheus' and the reloader's images
    assert emu.get_object("statefulsets", "prometheus-k8s", "monitoring")["status"]["readyReplicas"] == 2
    assert emu.get_object("statefulsets", "alertmanager-main", "monitoring")["status"]["readyReplicas"] == 3
    assert REGISTRY + "/prometheus/prometheus:v3.12.0" in runtime.pulls
    assert REGISTRY + "/prometheus-operator/prometheus-config-reloader:v0.92.0" in runtime.pulls
    # metrics is in cluster_addons by default: the adapter's APIService and aggregating ClusterRole
    # are left to metrics-server
    assert emu.get_object("apiservices", "v1beta1.metrics.k8s.io") is None
    assert emu.get_object("clusterroles", "system:aggregated-metrics-reader") is None
    assert emu.get_object("clusterroles", "prometheus-adapter") is not None
    assert "Grafana at http://<any node>:30002/" in first.output
    again = run(cluster, bundle, tmp_path, "--diff")
    assert again.rc == 0 and not any(runner.changed_tasks(again.output).values()), again.output[-6000:]
    check = run(cluster, bundle, tmp_path, "--check", "--diff")
    assert check.rc == 0 and not any(runner.changed_tasks(check.output).values()), check.output[-4000:]
    assert password not in again.output + check.output


def test_without_metrics_the_adapter_owns_the_metrics_api_and_the_policy_can_be_dropped(cluster, bundle, tmp_path):
    emu = cluster[0]
    result = run(cluster, bundle, tmp_path, cluster_addons=["flannel", "prometheus"], prometheus_grafana_network_policy="drop")
    assert result.rc == 0, result.output[-4000:]
    api = emu.get_object("apiservices", "v1beta1.metrics.k8s.io")
    assert api["spec"]["service"] == {"name": "prometheus-adapter", "namespace": "monitoring"}
    assert [c["status"] for c in api["status"]["conditions"] if c["type"] == "Available"] == ["True"]
    assert emu.get_object("clusterroles", "system:aggregated-metrics-reader") is not None
    assert emu.get_object("networkpolicies", "grafana", "monitoring") is None
    assert emu.get_object("networkpolicies", "prometheus-k8s", "monitoring") is not None


@pytest.fixture(scope="module")
def bundle_04(tmp_path_factory):
    return write_bundle(tmp_path_factory.mktemp("bundle-04"), "release-0.4")


def test_the_runbooks_release_0_4_on_1_17(bundle_04, tmp_path):
    """release-0.4 on the runbook's 1.17: v1beta1 CRDs, Prometheus and Alertmanager by baseImage
    and version, the operator's two image flags, no NetworkPolicy, the data source as base64
    data; without metrics-server the adapter serves the metrics API."""
    *started, stop = start_cluster(tmp_path, bundle_04[1], "1.17.6")
    try:
        emu, _kubeconfig, _inventory, runtime = started
        settings = {"cluster_kubernetes_version": "1.17.6", "cluster_addons": ["flannel", "dashboard", "prometheus"]}
        first = run(started, bundle_04, tmp_path, **settings)
        assert first.rc == 0, first.output[-4000:]
        crd = emu.get_object("customresourcedefinitions", "prometheuses.monitoring.coreos.com")
        assert crd["apiVersion"] == "apiextensions.k8s.io/v1beta1" and crd["spec"]["version"] == "v1"
        prometheus = emu.get_object("prometheuses", "k8s", "monitoring")["spec"]
        assert (prometheus["baseImage"], prometheus["version"]) == (REGISTRY + "/prometheus/prometheus", "v2.11.0")
        assert "image" not in prometheus
        args = emu.get_object("deployments", "prometheus-operator", "monitoring")["spec"]["template"]["spec"]["containers"][0]["args"]
        assert "--config-reloader-image=%s/jimmidyson/configmap-reload:v0.3.0" % REGISTRY in args
        assert "--prometheus-config-reloader=%s/coreos/prometheus-config-reloader:v0.35.1" % REGISTRY in args
        # the operator's StatefulSets ran: the node's runtime pulled what the flags and resources name
        assert emu.get_object("statefulsets", "prometheus-k8s", "monitoring")["status"]["readyReplicas"] == 2
        assert emu.get_object("statefulsets", "alertmanager-main", "monitoring")["status"]["readyReplicas"] == 3
        for image in ("prometheus/prometheus:v2.11.0", "prometheus/alertmanager:v0.18.0", "jimmidyson/configmap-reload:v0.3.0",
                      "coreos/prometheus-config-reloader:v0.35.1"):
            assert REGISTRY + "/" + image in runtime.pulls, image
        service = emu.get_object("services", "grafana", "monitoring")
        assert service["spec"]["selector"] == {"app": "grafana"} and service["spec"]["ports"][0]["nodePort"] == 30002
        assert emu.list_objects("networkpolicies", "monitoring") == []
        api = emu.get_object("apiservices", "v1beta1.metrics.k8s.io")
        assert api["spec"]["service"]["name"] == "prometheus-adapter"
        assert [c["status"] for c in api["status"]["conditions"] if c["type"] == "Available"] == ["True"]
        again = run(started, bundle_04, tmp_path, "--diff", **settings)
        assert again.rc == 0 and not any(runner.changed_tasks(again.output).values()), again.output[-6000:]
    finally:
        stop()
