"""The add-ons on a converged cluster (scenarios cluster and cluster_1_17): flannel, ingress-nginx
and the NFS volume, applied server-side with every image from the private registry and pulled by
each node's real container runtime (the kubelet double pulls them; see tests/README.md)."""

import json

import pytest
import testinfra

from conftest import enabled_addons

testinfra_hosts = ["master"]
KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin.conf "


def get(host, what):
    return json.loads(host.check_output(KUBECTL + "get %s -o json" % what))


def release(host):
    return host.check_output("kubeadm version -o short").lstrip("v")


def old(host):
    return release(host).startswith("1.17.")


@pytest.fixture(scope="module")
def pods(host):
    # the add-ons' Pods, and the examples' (playbooks/examples.yml: bare Pods among them)
    return [p for p in get(host, "pods -A")["items"]
            if p["metadata"]["namespace"] in ("kube-flannel", "kube-system", "ingress-nginx", "kubernetes-dashboard", "monitoring")
            and p["metadata"].get("ownerReferences")
            or p["metadata"]["namespace"] == "default" and p["metadata"]["name"].startswith(("examples-", "php-apache"))]


def test_flannel_runs_on_every_node_and_the_nodes_are_ready(host):
    namespace = "kube-system" if old(host) else "kube-flannel"
    daemonsets = get(host, "daemonsets -n %s" % namespace)["items"]
    names = sorted(d["metadata"]["name"] for d in daemonsets if d["metadata"]["name"].startswith("kube-flannel-ds"))
    # the runbook's v0.12.0 has a DaemonSet per architecture: only the Nodes' (amd64) is applied
    assert names == (["kube-flannel-ds-amd64"] if old(host) else ["kube-flannel-ds"])
    status = daemonsets[0]["status"] if len(daemonsets) == 1 else \
        [d for d in daemonsets if d["metadata"]["name"] == names[0]][0]["status"]
    assert status["desiredNumberScheduled"] == status["numberReady"] == 3
    for node in get(host, "nodes")["items"]:
        ready = [c for c in node["status"]["conditions"] if c["type"] == "Ready"][0]
        assert ready["status"] == "True", node["metadata"]["name"]


def test_flannel_network_is_the_pod_subnet_and_its_cni_config_reached_every_node(host):
    namespace = "kube-system" if old(host) else "kube-flannel"
    config = get(host, "configmap kube-flannel-cfg -n %s" % namespace)["data"]
    net_conf = json.loads(config["net-conf.json"])
    assert net_conf["Network"] == "10.244.0.0/16" and net_conf["Backend"]["Type"] == "vxlan"
    # install-cni copied cni-conf.json from the ConfigMap to the host: that made the node Ready
    assert host.file("/etc/cni/net.d/10-flannel.conflist").content_string == config["cni-conf.json"]


def test_applied_server_side_by_our_field_manager(host):
    namespace = "kube-system" if old(host) else "kube-flannel"
    cm = get(host, "configmap kube-flannel-cfg -n %s --show-managed-fields" % namespace)
    managers = {(m["manager"], m["operation"]) for m in cm["metadata"]["managedFields"]}
    assert ("helmsman-kubeadm", "Apply") in managers
    assert "kubectl.kubernetes.io/last-applied-configuration" not in (cm["metadata"].get("annotations") or {})


def test_every_add_on_pod_pulled_its_images_from_the_private_registry(host, pods):
    assert pods
    for pod in pods:
        statuses = pod["status"].get("initContainerStatuses", []) + pod["status"].get("containerStatuses", [])
        assert statuses, pod["metadata"]["name"]
        for status in statuses:
            assert status["image"].startswith("registry:5000/"), status["image"]
            # the digest the node's runtime reported after the pull
            assert "@sha256:" in status["imageID"] or status["imageID"].startswith("docker"), status


@pytest.mark.parametrize("node", ["master", "worker1", "worker2"])
def test_the_nodes_runtime_holds_every_image_its_pods_use(host, pods, node):
    node_host = testinfra.get_host("ansible://%s" % node, ansible_inventory=host.backend.ansible_inventory)
    images = sorted({c["image"] for p in pods if p["spec"].get("nodeName") == node
                     for c in p["spec"].get("initContainers", []) + p["spec"]["containers"]})
    assert images, "no add-on Pod on %s" % node
    for image in images:
        if old(host):
            assert node_host.run("docker image inspect %s" % image).rc == 0, image
        else:
            assert image in node_host.check_output("ctr --namespace k8s.io images ls -q"), image


def test_ingress_controller_placement(host, pods):
    if "ingress" not in enabled_addons():
        pytest.skip("ingress is not in this scenario's cluster_addons")
    controllers = [p for p in pods if p["metadata"]["namespace"] == "ingress-nginx"
                   and any(c["name"] in ("controller", "nginx-ingress-controller") for c in p["spec"]["containers"])]
    assert len(controllers) == 1
    pod = controllers[0]
    assert pod["status"]["phase"] == "Running"
    services = {s["metadata"]["name"]: s for s in get(host, "services -n ingress-nginx")["items"]}
    if old(host):
        # NodePort placement with the ports from the inventory
        ports = {p["name"]: p["nodePort"] for p in services["ingress-nginx"]["spec"]["ports"]}
        assert services["ingress-nginx"]["spec"]["type"] == "NodePort" and ports == {"http": 30080, "https": 30443}
    else:
        # the runbook's host network on the nodes labelled tier=web (worker1, tainted dedicated=edge)
        assert pod["spec"]["hostNetwork"] is True and pod["spec"]["nodeSelector"]["tier"] == "web"
        assert pod["spec"]["nodeName"] == "worker1"
        assert "ingress-nginx-controller" not in services
        assert services["ingress-nginx-controller-admission"]["spec"]["type"] == "ClusterIP"


def test_ingress_class_and_admission_jobs(host):
    if "ingress" not in enabled_addons():
        pytest.skip("ingress is not in this scenario's cluster_addons")
    if old(host):
        # IngressClass came with 1.18: none is added for 1.17 (the emulator serves the kind anyway)
        assert get(host, "ingressclass")["items"] == []
        return
    klass = get(host, "ingressclass nginx")
    assert klass["spec"]["controller"] == "k8s.io/ingress-nginx"
    for job in ("ingress-nginx-admission-create", "ingress-nginx-admission-patch"):
        status = get(host, "job %s -n ingress-nginx" % job)["status"]
        assert [c["type"] for c in status["conditions"]] == ["Complete"] and status["succeeded"] == 1


def test_nfs_volume_and_claim_are_bound(host):
    if "nfs_pv" not in enabled_addons():
        pytest.skip("nfs_pv is not in this scenario's cluster_addons")
    pv = get(host, "pv nfs-pv")
    pvc = get(host, "pvc nfs-pvc -n default")
    assert pv["status"]["phase"] == "Bound" and pvc["status"]["phase"] == "Bound"
    assert pvc["spec"]["volumeName"] == "nfs-pv"
    assert pv["spec"]["nfs"]["path"] == "/srv/nfs/k8s" and pv["spec"]["accessModes"] == ["ReadWriteMany"]
