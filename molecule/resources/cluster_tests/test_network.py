"""The pod network, cluster DNS, Services and NodePorts of a real cluster (scenario cluster),
proven with traffic: two probe Pods (tests/kubernetes/netcheck, an HTTP server and client), one on
each worker; the client reaches the other Pod by its IP across nodes (flannel's vxlan), resolves
kubernetes.default.svc.cluster.local and a Service's names through CoreDNS, reaches the Service's
ClusterIP (kube-proxy), and the registry host, outside the cluster, reaches the NodePort on every
node. The simulator has no data plane: skipped there."""

import json
import os

import pytest
import testinfra

from conftest import simulated

testinfra_hosts = ["master"]
KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin.conf "
NS = "hk-netcheck"


def objects(registry):
    def pod(name, node):
        return {"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": name, "namespace": NS, "labels": {"app": "netcheck", "side": name}},
                "spec": {"nodeName": node, "terminationGracePeriodSeconds": 1,
                         "containers": [{"name": "netcheck", "image": registry + "/netcheck:v1", "args": ["serve"],
                                         "readinessProbe": {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 1}}]}}

    def service(name, kind):
        return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": NS},
                "spec": {"type": kind, "selector": {"side": "b"}, "ports": [{"port": 80, "targetPort": 8080}]}}
    items = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}},
             pod("a", "worker1"), pod("b", "worker2"), service("b", "ClusterIP"), service("b-nodeport", "NodePort")]
    return {"apiVersion": "v1", "kind": "List", "items": items}


@pytest.fixture(scope="module")
def probes(host):
    if simulated(host):
        pytest.skip("the simulator has no data plane")
    proxy = json.loads(host.check_output(KUBECTL + "-n kube-system get daemonset kube-proxy -o json"))
    registry = proxy["spec"]["template"]["spec"]["containers"][0]["image"].rsplit("/", 1)[0]
    applied = host.run("echo '%s' | " % json.dumps(objects(registry)) + KUBECTL + "apply -f -")
    assert applied.rc == 0, applied.stderr
    ready = host.run(KUBECTL + "-n %s wait --for=condition=Ready pod/a pod/b --timeout=180s" % NS)
    assert ready.rc == 0, ready.stdout + ready.stderr + host.run(KUBECTL + "-n %s describe pods" % NS).stdout
    yield registry
    host.run(KUBECTL + "delete namespace %s --wait=false" % NS)


def in_a(host, *args):
    out = host.run(KUBECTL + "-n %s exec a -- /netcheck %s" % (NS, " ".join(args)))
    assert out.rc == 0, out.stdout + out.stderr
    return out.stdout


def pod_ip(host, name):
    return json.loads(host.check_output(KUBECTL + "-n %s get pod %s -o json" % (NS, name)))["status"]["podIP"]


def test_probes_run_on_two_nodes_from_the_private_registry(host, probes):
    pods = json.loads(host.check_output(KUBECTL + "-n %s get pods -o json" % NS))["items"]
    assert sorted(p["spec"]["nodeName"] for p in pods) == ["worker1", "worker2"]
    for p in pods:
        assert p["status"]["containerStatuses"][0]["imageID"].startswith(probes + "/netcheck@sha256:")


def test_pod_to_pod_across_nodes(host, probes):
    answer = in_a(host, "get", "http://%s:8080/" % pod_ip(host, "b"))
    # b answers, and sees a's own Pod address: no NAT between Pods
    assert answer.split() == ["netcheck", "b", answer.split()[2]]
    assert answer.split()[2].rsplit(":", 1)[0] == pod_ip(host, "a")


def test_cluster_dns(host, probes):
    service_ip = json.loads(host.check_output(KUBECTL + "get service kubernetes -n default -o json"))["spec"]["clusterIP"]
    assert in_a(host, "resolve", "kubernetes.default.svc.cluster.local").split() == [service_ip]
    b_ip = json.loads(host.check_output(KUBECTL + "-n %s get service b -o json" % NS))["spec"]["clusterIP"]
    assert in_a(host, "resolve", "b.%s.svc.cluster.local" % NS).split() == [b_ip]
    assert in_a(host, "resolve", "b").split() == [b_ip]  # the Pod's search path


def test_service_by_name(host, probes):
    assert in_a(host, "get", "http://b.%s.svc.cluster.local/" % NS).split()[:2] == ["netcheck", "b"]


def test_node_port_from_outside_the_cluster(host, probes):
    port = json.loads(host.check_output(KUBECTL + "-n %s get service b-nodeport -o json" % NS))["spec"]["ports"][0]["nodePort"]
    registry = testinfra.get_host("ansible://registry", ansible_inventory=os.environ["MOLECULE_INVENTORY_FILE"])
    for node in ("master", "worker1", "worker2"):
        body = registry.check_output(
            "python3 -c 'import urllib.request; print(urllib.request.urlopen(\"http://%s:%d/\", timeout=10).read().decode())'"
            % (node, port))
        assert body.split()[:2] == ["netcheck", "b"], (node, body)
