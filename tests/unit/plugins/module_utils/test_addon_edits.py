"""The runbook's manifest edits on our own manifests shaped like the upstream ones."""

import json

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import addon_edits as edits

NET_CONF = '{\n  "Network": "10.244.0.0/16",\n  "EnableNFTables": false,\n  "Backend": {\n    "Type": "vxlan"\n  }\n}\n'


def flannel(per_arch=False):
    objects = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kube-flannel-cfg", "namespace": "kube-flannel"},
                "data": {"cni-conf.json": "{}", "net-conf.json": NET_CONF}}]
    for arch in (edits.ARCHITECTURES if per_arch else ("",)):
        objects.append({"apiVersion": "apps/v1", "kind": "DaemonSet",
                        "metadata": {"name": "kube-flannel-ds" + ("-" + arch if arch else ""), "namespace": "kube-flannel"},
                        "spec": {"template": {"spec": {"containers": [{"name": "f", "image": "x/flannel:v1-" + arch}]}}}})
    return objects


def test_net_conf_is_edited_as_json_and_the_rest_kept():
    before = flannel()
    after = edits.flannel_net_conf(before, "10.32.0.0/12", "host-gw")
    conf = json.loads(after[0]["data"]["net-conf.json"])
    assert conf == {"Network": "10.32.0.0/12", "EnableNFTables": False, "Backend": {"Type": "host-gw"}}
    assert list(conf) == ["Network", "EnableNFTables", "Backend"]
    assert after[0]["data"]["cni-conf.json"] == "{}" and after[1] == before[1]
    assert before[0]["data"]["net-conf.json"] == NET_CONF
    # the same input gives the same text: a re-run changes nothing
    assert edits.flannel_net_conf(before, "10.32.0.0/12", "host-gw") == after


def test_a_flannel_manifest_without_its_config_is_refused():
    with pytest.raises(edits.EditError, match="no ConfigMap kube-flannel-cfg"):
        edits.flannel_net_conf(flannel()[1:], "10.244.0.0/16")


def test_only_the_inventory_architectures_of_an_old_release_are_kept():
    kept = edits.flannel_architectures(flannel(per_arch=True), ["amd64", "arm64"])
    assert [o["metadata"]["name"] for o in kept] == ["kube-flannel-cfg", "kube-flannel-ds-amd64", "kube-flannel-ds-arm64"]
    assert edits.flannel_architectures(flannel(), ["amd64"]) == flannel()
    with pytest.raises(edits.EditError):
        edits.flannel_architectures(flannel(), ["x86_64"])


def test_fact_architectures_map_to_kubernetes_names():
    assert edits.kube_architectures(["x86_64", "aarch64", "x86_64"]) == ["amd64", "arm64"]
    with pytest.raises(edits.EditError, match="'mips64'"):
        edits.kube_architectures(["mips64"])


def ingress():
    labels = {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"}
    return [
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx"},
         "spec": {"selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels}, "spec": {
             "dnsPolicy": "ClusterFirst", "nodeSelector": {"kubernetes.io/os": "linux"},
             "containers": [{"name": "controller", "image": "r/controller:v1"}]}}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx"},
         "spec": {"type": "NodePort", "selector": labels, "ports": [{"name": "http", "port": 80}]}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ingress-nginx-controller-admission", "namespace": "ingress-nginx"},
         "spec": {"type": "ClusterIP", "selector": labels, "ports": [{"name": "https-webhook", "port": 443}]}},
        {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "ingress-nginx-admission-create", "namespace": "ingress-nginx"},
         "spec": {"template": {"spec": {"containers": [{"name": "create", "image": "r/certgen:v1"}]}}}},
    ]


def test_host_network_placement():
    after = edits.ingress_host_network(ingress(), {"ingress": "true", "node-role.kubernetes.io/edge": None})
    pod = after[0]["spec"]["template"]["spec"]
    assert pod["hostNetwork"] is True and pod["dnsPolicy"] == "ClusterFirstWithHostNet"
    assert pod["nodeSelector"] == {"kubernetes.io/os": "linux", "ingress": "true", "node-role.kubernetes.io/edge": ""}
    assert [o["metadata"]["name"] for o in after] == ["ingress-nginx-controller", "ingress-nginx-controller-admission",
                                                      "ingress-nginx-admission-create"]


def test_host_network_placement_needs_a_selector_and_one_controller():
    with pytest.raises(edits.EditError, match="needs a nodeSelector"):
        edits.ingress_host_network(ingress(), {})
    with pytest.raises(edits.EditError, match="expected one ingress controller Deployment named other, found 0"):
        edits.ingress_host_network(ingress(), {"a": "b"}, "other")


def test_service_node_port():
    objects = [{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "grafana", "namespace": "monitoring"},
                "spec": {"ports": [{"name": "http", "port": 3000, "targetPort": "http"}]}}]
    after = edits.service_node_port(objects, "monitoring", "grafana", 30002)
    assert after[0]["spec"] == {"type": "NodePort", "ports": [{"name": "http", "port": 3000, "targetPort": "http", "nodePort": 30002}]}
    assert "type" not in objects[0]["spec"]
    assert edits.service_node_port(objects, "monitoring", "grafana")[0]["spec"]["type"] == "NodePort"
    with pytest.raises(edits.EditError, match="outside the default range"):
        edits.service_node_port(objects, "monitoring", "grafana", 8080)
    with pytest.raises(edits.EditError, match="no Service monitoring/prometheus"):
        edits.service_node_port(objects, "monitoring", "prometheus", 30000)


def test_host_network_placement_adds_tolerations_once():
    toleration = {"key": "dedicated", "operator": "Equal", "value": "edge", "effect": "NoSchedule"}
    after = edits.ingress_host_network(ingress(), {"tier": "web"}, tolerations=[toleration])
    pod = [o for o in after if o["kind"] == "Deployment"][0]["spec"]["template"]["spec"]
    assert pod["tolerations"] == [toleration]
    again = edits.ingress_host_network(after, {"tier": "web"}, tolerations=[toleration])
    assert [o for o in again if o["kind"] == "Deployment"][0]["spec"]["template"]["spec"]["tolerations"] == [toleration]
    with pytest.raises(edits.EditError, match="tolerations"):
        edits.ingress_host_network(ingress(), {"tier": "web"}, tolerations=["dedicated"])


def test_node_selector_hosts():
    labels = {"worker1": {"tier": "web", "kubernetes.io/hostname": "worker1"}, "worker2": {"tier": "batch"},
              "edge": {"node-role.kubernetes.io/edge": ""}}
    assert edits.node_selector_hosts(labels, {"tier": "web"}) == ["worker1"]
    assert edits.node_selector_hosts(labels, {"node-role.kubernetes.io/edge": None}) == ["edge"]
    assert edits.node_selector_hosts(labels, {"tier": "web", "kubernetes.io/hostname": "worker2"}) == []
    assert edits.node_selector_hosts(labels, {}) == ["edge", "worker1", "worker2"]
    with pytest.raises(edits.EditError):
        edits.node_selector_hosts(labels, ["tier=web"])


def test_ingress_class_added_marked_default_and_checked():
    objects = [{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "c", "namespace": "n"}}]
    added = edits.ingress_class(objects, "nginx", "k8s.io/ingress-nginx")
    assert added[-1] == {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "nginx"},
                         "spec": {"controller": "k8s.io/ingress-nginx"}}
    assert edits.ingress_class(objects, "nginx", "k8s.io/ingress-nginx", add=False) == objects
    default = edits.ingress_class(added, "nginx", "k8s.io/ingress-nginx", default=True)
    assert default[-1]["metadata"]["annotations"] == {edits.DEFAULT_CLASS: "true"}
    assert len(default) == 2 and "annotations" not in added[-1]["metadata"]
    with pytest.raises(edits.EditError, match="for controller"):
        edits.ingress_class(added, "nginx", "example.com/other")


def metrics_deployment(args=None, namespace="kube-system"):
    container = {"name": "metrics-server", "image": "k8s.gcr.io/metrics-server-amd64:v0.3.6"}
    if args is not None:
        container["args"] = list(args)
    meta = {"name": "metrics-server"}
    if namespace:
        meta["namespace"] = namespace
    return [{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
             "spec": {"template": {"spec": {"containers": [container]}}}}]


def metrics_args(objects):
    return objects[0]["spec"]["template"]["spec"]["containers"][0]["args"]


def test_metrics_args_list_is_created_when_the_manifest_has_none():
    before = metrics_deployment()
    after = edits.metrics_server_args(before, ["InternalIP"], [], ["--cert-dir=/tmp"])
    assert metrics_args(after) == ["--kubelet-preferred-address-types=InternalIP", "--cert-dir=/tmp"]
    assert "args" not in before[0]["spec"]["template"]["spec"]["containers"][0]


def test_metrics_address_types_replace_upstreams_and_come_first():
    before = metrics_deployment(["--cert-dir=/tmp", "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
                                 "--metric-resolution=15s"])
    after = edits.metrics_server_args(before, ["InternalIP", "Hostname"], ["--metric-resolution=30s"])
    assert metrics_args(after) == ["--kubelet-preferred-address-types=InternalIP,Hostname", "--cert-dir=/tmp",
                                   "--metric-resolution=30s"]


@pytest.mark.parametrize("extra", [["--kubelet-insecure-tls"], ["--kubelet-insecure-tls=true"]])
def test_metrics_insecure_tls_is_refused_with_the_reason(extra):
    problems = edits.metrics_args_problems(extra, ["InternalIP"])
    assert problems and "metrics_extra_args" in problems[0] and "signed by the cluster CA" in problems[0]
    with pytest.raises(edits.EditError, match="kubelet-insecure-tls"):
        edits.metrics_server_args(metrics_deployment(), ["InternalIP"], extra)


def test_a_manifest_passing_insecure_tls_is_refused():
    with pytest.raises(edits.EditError, match="turns off the verification"):
        edits.metrics_server_args(metrics_deployment(["--kubelet-insecure-tls"]), ["InternalIP"])


@pytest.mark.parametrize("extra,types,needle", [
    (["metric-resolution=30s"], ["InternalIP"], "is not a flag"),
    (["--kubelet-preferred-address-types=Hostname"], ["InternalIP"], "metrics_address_types, not"),
    ([], ["InternalIp"], "unknown address types InternalIp"),
    ([], [], "non-empty list"),
    ([], ["InternalIP", "InternalIP"], "twice"),
    ("--x", ["InternalIP"], "a list of flags"),
])
def test_metrics_bad_input_names_the_variable(extra, types, needle):
    problems = edits.metrics_args_problems(extra, types)
    assert any(needle in p for p in problems), problems
    assert all(p.startswith(("metrics_extra_args", "metrics_address_types")) for p in problems)


def test_metrics_without_its_deployment_is_refused():
    with pytest.raises(edits.EditError, match="no Deployment kube-system/metrics-server"):
        edits.metrics_server_args(metrics_deployment(namespace="monitoring"), ["InternalIP"])


def test_default_namespace_fills_only_what_is_missing():
    objects = [
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "metrics-server"}},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "other", "namespace": "elsewhere"}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "b"},
         "subjects": [{"kind": "ServiceAccount", "name": "metrics-server"}, {"kind": "User", "name": "u"}]},
        {"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService", "metadata": {"name": "v1beta1.metrics.k8s.io"},
         "spec": {"service": {"name": "metrics-server"}}},
    ]
    after = edits.default_namespace(objects, "kube-system")
    assert after[0]["metadata"]["namespace"] == "kube-system"
    assert after[1]["metadata"]["namespace"] == "elsewhere"
    assert "namespace" not in after[2]["metadata"]
    assert after[3]["subjects"] == [{"kind": "ServiceAccount", "name": "metrics-server", "namespace": "kube-system"},
                                    {"kind": "User", "name": "u"}]
    assert "namespace" not in after[3]["metadata"] and after[4]["spec"]["service"]["namespace"] == "kube-system"
    assert "namespace" not in objects[0]["metadata"]
