"""Filters fronting addons, addon_edits and manifests: registered, argument order as documented
(input first), module_utils errors as filter errors."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.helmsman.kubeadm.plugins.filter import (addon_edits, addons, completeness, csr_policy, manifests,
                                                                 monitoring, nfs, rollout, sa_tokens)

FILTERS = {}
for _plugin in (addon_edits, addons, completeness, csr_policy, manifests, monitoring, nfs, rollout, sa_tokens):
    FILTERS.update(_plugin.FilterModule().filters())


def test_registered():
    assert set(FILTERS) == {"addon_release", "addon_default_version", "addon_support", "removed_api_problems",
                            "flannel_net_conf", "flannel_architectures", "kube_architectures", "ingress_host_network",
                            "service_node_port", "k8s_documents", "manifest_images", "mirror_manifest",
                            "node_selector_hosts", "ingress_class", "required_images", "missing_images",
                            "rollout_workloads", "rollout_problems", "apply_results", "rollout_pending", "nfs_problems", "nfs_exports", "ganesha_conf",
                            "nfs_volume_objects", "nfs_client_addresses", "override_images", "default_namespace",
                            "metrics_server_args", "metrics_args_problems", "serving_cert_problems", "duration_problems",
                            "drop_objects", "network_policy_admit", "grafana_admin", "datasource_problems",
                            "operator_workloads"}


def test_nfs_client_addresses_prefer_ip_addresses():
    hostvars = {"m": {"ansible_host": "10.0.0.1"}, "w1": {"ansible_host": "hk-w1", "ansible_facts": {
        "default_ipv4": {"address": "10.0.0.2"}}}, "w2": {"ansible_host": "hk-w2"}, "w3": {"ansible_host": "10.0.0.1"}}
    assert FILTERS["nfs_client_addresses"](hostvars, ["m", "w1", "w2", "w3"]) == ["10.0.0.1", "10.0.0.2", "w2"]


def test_node_selector_hosts_reads_inventory_labels():
    hostvars = {"worker1": {"node_labels": {"tier": "web"}}, "worker2": {"node_name": "w2"}, "master": {}}
    hosts = ["master", "worker1", "worker2"]
    assert FILTERS["node_selector_hosts"](hostvars, hosts, {"tier": "web"}) == ["worker1"]
    assert FILTERS["node_selector_hosts"](hostvars, hosts, {"kubernetes.io/hostname": "w2"}) == ["worker2"]
    assert FILTERS["node_selector_hosts"](hostvars, hosts, {"kubernetes.io/os": "linux"}) == hosts


def test_completeness_filters_name_who_needs_the_missing_image():
    objects = {"flannel": [{"kind": "DaemonSet", "metadata": {"name": "f"}, "spec": {"template": {"spec": {
        "containers": [{"name": "f", "image": "ghcr.io/flannel-io/flannel:v0.28.9"}],
        "initContainers": [{"name": "c", "image": "ghcr.io/flannel-io/flannel-cni-plugin:v1"}]}}}}]}
    required = FILTERS["required_images"](objects, ["registry.k8s.io/pause:3.10.1"])
    assert required == {"ghcr.io/flannel-io/flannel:v0.28.9": ["flannel"],
                        "ghcr.io/flannel-io/flannel-cni-plugin:v1": ["flannel"],
                        "registry.k8s.io/pause:3.10.1": ["control plane"]}
    missing = FILTERS["missing_images"](required, "registry:5000", ["registry:5000/flannel-io/flannel-cni-plugin:v1"])
    assert missing == ["ghcr.io/flannel-io/flannel-cni-plugin:v1 (needed by flannel) is not in the private registry as "
                       "registry:5000/flannel-io/flannel-cni-plugin:v1"]
    assert FILTERS["missing_images"](required, "registry:5000", []) == []


def test_rollout_workloads_as_dicts():
    assert FILTERS["rollout_workloads"]([{"kind": "Job", "metadata": {"name": "j", "namespace": "n"}}]) == \
        [{"kind": "Job", "namespace": "n", "name": "j"}]


def test_addon_filters_take_the_input_first():
    assert FILTERS["addon_release"]("v0.28.9", "flannel")["files"][0]["name"] == "kube-flannel.yml"
    assert FILTERS["addon_default_version"]("1.36.4", "ingress-nginx") == "v1.15.1"
    support = FILTERS["addon_support"]("v0.12.0", "flannel", "1.36.4", "flannel_version")
    assert support["problems"] and support["problems"][0].startswith("flannel_version: ") and support["warnings"] == []


@pytest.mark.parametrize("name,args,fragment", [
    ("addon_release", ("v9", "flannel", "flannel_version"), "flannel_version: flannel 'v9'"),
    ("k8s_documents", ("a: [\n", "x.yml"), "x.yml: line"),
    ("kube_architectures", (["mips"],), "'mips'"),
    ("service_node_port", ([], "monitoring", "grafana"), "no Service monitoring/grafana"),
])
def test_errors_are_filter_errors(name, args, fragment):
    with pytest.raises(AnsibleFilterError, match=fragment):
        FILTERS[name](*args)


def test_serving_cert_problems_reads_slurp_results_and_names_nodes_as_the_roles_do():
    import base64
    from tests.emulator import pki
    ca_key, ca = pki.make_ca()
    pem = pki.cert_pem(pki.issue(ca_key, ca, "system:node:worker-1.lab", ["system:nodes"])[1])
    results = [{"item": "worker1", "content": base64.b64encode(pem).decode()},
               {"item": "master", "failed": True, "msg": "file not found"}]
    hostvars = {"worker1": {"ansible_facts": {"nodename": "Worker-1.lab"}}, "master": {"node_name": "cp-1"}}
    assert FILTERS["serving_cert_problems"](results, pki.cert_pem(ca).decode(), hostvars) == [
        "cp-1 has no kubelet serving certificate yet"]


def test_duration_problems():
    assert FILTERS["duration_problems"]("24h", "dashboard_token_duration") == []
    assert FILTERS["duration_problems"]("soon", "dashboard_token_duration")[0].startswith("dashboard_token_duration: ")


def test_monitoring_filter_errors_are_filter_errors():
    with pytest.raises(AnsibleFilterError, match="no Deployment monitoring/grafana"):
        FILTERS["grafana_admin"]([], "monitoring", "grafana", "grafana-admin", "0" * 64)
    with pytest.raises(AnsibleFilterError, match="no Secret monitoring/grafana-datasources"):
        FILTERS["datasource_problems"]([])
