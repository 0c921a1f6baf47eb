"""Bad settings are refused by playbooks/checks.yml (the first play of the host layer, before any
change), each with a message naming the variable to fix. Hosts are local: the checks only read."""

import hashlib
import os
import sys

import pytest
import yaml

from tests import runner

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
pytestmark = pytest.mark.slow


LOCAL = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}


def ansible_playbook(tmp_path, inventory, playbook, *args, env=None):
    """tests.runner.ansible_playbook on ``inventory`` (a dict written as hosts.yml); (rc, output)."""
    (tmp_path / "hosts.yml").write_text(yaml.safe_dump(inventory))
    result = runner.ansible_playbook(playbook, tmp_path / "hosts.yml", *args, env=env)
    return result.rc, result.output


def run_checks(tmp_path, extra_vars, host_vars=None, masters=("master",)):
    children = {"registry": {"hosts": {"registry": {}}}, "nodes": {"hosts": {"node": {}}}}
    if masters:
        children["masters"] = {"hosts": {m: host_vars or {} for m in masters}}
    (tmp_path / "vars.yml").write_text(yaml.safe_dump(extra_vars))
    return ansible_playbook(tmp_path, {"all": {"vars": LOCAL, "children": children}},
                            os.path.join(ROOT, "playbooks", "checks.yml"), "-e", "@" + str(tmp_path / "vars.yml"))


def bundle(tmp_path, with_manifest=True, tamper=False, extra_debs=()):
    folder = tmp_path / "bundle"
    (folder / "debs").mkdir(parents=True)
    entries = []
    for name in ("helmsman-x_1_all.deb",) + tuple(extra_debs):
        (folder / "debs" / name).write_bytes(name.encode())
        entries.append({"path": "debs/" + name, "type": "deb", "sha256": hashlib.sha256(name.encode()).hexdigest()})
    if with_manifest:
        (folder / "manifest.yaml").write_text(yaml.safe_dump({"apiVersion": "helmsman.kubeadm/v1", "kind": "Bundle",
                                                              "files": entries}))
    if tamper:
        (folder / "debs" / "helmsman-x_1_all.deb").write_bytes(b"changed")
    return str(folder)


def test_good_settings_pass(tmp_path):
    rc, out = run_checks(tmp_path, {"cluster_bundle_dir": bundle(tmp_path)})
    assert rc == 0, out


@pytest.mark.parametrize("extra,fragment", [
    ({"cluster_registry": "http://registry:5000"}, "cluster_registry: http://registry:5000 is not host[:port]"),
    ({"cluster_registry_port": 99999}, "cluster_registry: registry:99999 is not host[:port]"),
    ({"cluster_pod_subnet": "10.254.0.0/16"}, "cluster_pod_subnet 10.254.0.0/16 overlaps cluster_service_subnet"),
    ({"cluster_service_subnet": "10.254.0.1/16"}, "cluster_service_subnet: '10.254.0.1/16' is not a network"),
    ({"cluster_kubernetes_version": "1.16.3"}, "cluster_kubernetes_version: 1.16.3 is not a supported release"),
    ({"cluster_container_runtime": "podman"}, "value of cluster_container_runtime must be one of: auto, containerd, docker, got: podman"),
    ({"cluster_container_runtime": "docker", "cluster_kubernetes_version": "1.36.4"}, "cluster_container_runtime: docker"),
    ({"cluster_kubernetes_version": "1.38.0"}, "cluster_kubernetes_version: 1.38.0 is not a supported release"),
    ({"cluster_kubernetes_version": "1.17.6", "master_kubeadm_api_version": "kubeadm.k8s.io/v1beta4"},
     "master_kubeadm_api_version: kubeadm 1.17.6 does not read kubeadm.k8s.io/v1beta4 (it reads kubeadm.k8s.io/v1beta2)"),
    ({"master_kubeadm_api_version": "kubeadm.k8s.io/v1beta2"},
     "master_kubeadm_api_version: kubeadm 1.36.4 does not read kubeadm.k8s.io/v1beta2"),
    ({"master_advertise_address": "203.0.113.9"}, "master_advertise_address: 203.0.113.9 is not an address of master"),
    ({"master_proxy_mode": "userspace"}, "value of master_proxy_mode must be one of: ipvs, nftables, iptables, got: userspace"),
    ({"node_labels": {"bad key!": "x"}}, "node_labels: 'bad key!' is not a valid label key"),
    ({"node_taints": [{"key": "dedicated", "effect": "Never"}]}, "node_taints: effect of dedicated must be one of"),
    ({"cluster_kubernetes_version": "latest"}, "cluster_kubernetes_version: 'latest' is not a Kubernetes version"),
    ({"master_join_token_min_ttl": "24h"}, "master_join_token_min_ttl / master_join_token_ttl: min_ttl (24h0m0s) must be shorter"),
    ({"master_join_token_ttl": "forever"}, "master_join_token_ttl: ttl 'forever' is not a duration"),
    ({"node_kubeadm_api_version": "kubeadm.k8s.io/v1"}, "node_kubeadm_api_version: kubeadm 1.36.4 does not read kubeadm.k8s.io/v1"),
])
def test_bad_settings_name_the_variable(tmp_path, extra, fragment):
    rc, out = run_checks(tmp_path, extra)
    assert rc != 0
    assert fragment in " ".join(out.split()), out[-2500:]


@pytest.mark.parametrize("extra,spec,variable", [
    ({"master_bind_port": "https"}, "checks", "master_bind_port"),
    ({"master_preflight_dry_run": "sometimes"}, "checks", "master_preflight_dry_run"),
    ({"node_taints": {"key": "dedicated"}}, "checks", "node_taints"),
    ({"node_labels": ["tier=web"]}, "checks", "node_labels"),
])
def test_wrong_types_fail_the_entry_points_validation(tmp_path, extra, spec, variable):
    """The checks entry points are named as Ansible matches them, so their specs really run."""
    rc, out = run_checks(tmp_path, extra)
    text = " ".join(out.split())
    assert rc != 0 and "Validating arguments against arg spec '%s'" % spec in text and variable in text, out[-2500:]


@pytest.mark.parametrize("tasks_from,variables,variable", [
    ("kube_packages", {"cluster_kube_packages": {"kubeadm": True}}, "cluster_kube_packages"),
    ("serving_cert", {"cluster_serving_cert_node": "w1", "cluster_serving_cert_timeout": "soon"},
     "cluster_serving_cert_timeout"),
    ("serving_cert", {"cluster_serving_cert_node": "w1", "cluster_serving_cert_addresses": {"w1": "10.0.0.11"}},
     "cluster_serving_cert_addresses"),
    ("serving_cert", {}, "cluster_serving_cert_node"),
    ("sync_bundle", {"cluster_sync_files": "all", "cluster_sync_dest": "/srv"}, "cluster_sync_files"),
])
def test_wrong_types_fail_the_cluster_entry_points(tmp_path, tasks_from, variables, variable):
    """Each entry point of the cluster role that takes variables validates them before any task."""
    playbook = tmp_path / "entry_point.yml"
    playbook.write_text(yaml.safe_dump([{"name": "Entry point", "hosts": "node", "gather_facts": False, "tasks": [
        {"name": "Include", "ansible.builtin.include_role": {"name": "helmsman.kubeadm.cluster", "tasks_from": tasks_from},
         "vars": variables}]}]))
    rc, out = ansible_playbook(tmp_path, {"all": {"vars": LOCAL, "children": {"nodes": {"hosts": {"node": {}}}}}},
                               playbook, "--check")
    text = " ".join(out.split())
    assert rc != 0 and "Validating arguments against arg spec '%s'" % tasks_from in text, text[-2500:]
    assert variable in text


def test_checks_pass_without_a_masters_group(tmp_path):
    """The host layer alone (registry and workers, as in the runtime scenarios): the node entry
    point's validation must not need a master."""
    rc, out = run_checks(tmp_path, {}, masters=())
    assert rc == 0, out[-2500:]


def test_two_masters_need_a_control_plane_endpoint(tmp_path):
    rc, out = run_checks(tmp_path, {}, masters=("master1", "master2"))
    assert rc != 0 and "master_control_plane_endpoint: the masters group has 2 hosts" in " ".join(out.split()), out[-2500:]
    rc, out = run_checks(tmp_path, {"master_control_plane_endpoint": "k8s-api.example.internal:6443"},
                         masters=("master1", "master2"))
    assert rc != 0 and "does not yet join others to it (kubeadm join --control-plane)" in " ".join(out.split()), out[-2500:]


def test_one_master_with_a_control_plane_endpoint_passes(tmp_path):
    rc, out = run_checks(tmp_path, {"master_control_plane_endpoint": "k8s-api.example.internal:6443"})
    assert rc == 0, out[-2500:]


def test_pod_subnet_containing_a_host(tmp_path):
    rc, out = run_checks(tmp_path, {}, host_vars={"ansible_host": "10.244.3.7"})
    assert rc != 0 and "cluster_pod_subnet 10.244.0.0/16 contains the address 10.244.3.7 of host master" in out


def test_service_subnet_overlapping_a_host_network(tmp_path):
    facts = {"ansible_default_ipv4": {"address": "10.250.3.7", "prefix": "12"}}
    rc, out = run_checks(tmp_path, {}, host_vars=facts)
    assert rc != 0 and "cluster_service_subnet 10.254.0.0/16 overlaps the network 10.240.0.0/12 of host master" in out


def test_host_in_masters_and_nodes(tmp_path):
    rc, out = run_checks(tmp_path, {}, masters=("node",))
    assert rc != 0 and "inventory: node is in both groups masters and nodes" in out, out[-2500:]


def test_inventory_name_that_is_not_a_node_name(tmp_path):
    rc, out = run_checks(tmp_path, {}, masters=("Worker_1",))
    assert rc != 0 and "inventory: host name Worker_1 is not a valid node name" in out, out[-2500:]


def test_bundle_without_manifest(tmp_path):
    rc, out = run_checks(tmp_path, {"cluster_bundle_dir": bundle(tmp_path, with_manifest=False)})
    assert rc != 0 and "cluster_bundle_dir:" in out and "has no manifest.yaml" in out


def test_bundle_checksum_mismatch(tmp_path):
    rc, out = run_checks(tmp_path, {"cluster_bundle_dir": bundle(tmp_path, tamper=True)})
    assert rc != 0 and "cluster_bundle_dir: checksum mismatch for debs/helmsman-x_1_all.deb" in out


def test_bundle_symlink_to_a_controller_file(tmp_path):
    secret = tmp_path / "secret.key"
    secret.write_bytes(b"controller secret")
    secret.chmod(0o600)
    folder = bundle(tmp_path)
    os.symlink(str(secret), os.path.join(folder, "debs", "x.deb"))
    with open(os.path.join(folder, "manifest.yaml")) as handle:
        manifest = yaml.safe_load(handle)
    manifest["files"].append({"path": "debs/x.deb", "type": "deb",
                              "sha256": hashlib.sha256(b"controller secret").hexdigest()})
    with open(os.path.join(folder, "manifest.yaml"), "w") as handle:
        yaml.safe_dump(manifest, handle)
    rc, out = run_checks(tmp_path, {"cluster_bundle_dir": folder})
    assert rc != 0 and "cluster_bundle_dir: debs/x.deb is a symbolic link" in out, out[-2500:]


def test_docker_with_cri_dockerd_in_the_bundle_passes(tmp_path):
    folder = bundle(tmp_path, extra_debs=("cri-dockerd_0.3.16.3-0.debian-bookworm_amd64.deb",))
    rc, out = run_checks(tmp_path, {"cluster_container_runtime": "docker", "cluster_kubernetes_version": "1.36.4",
                                    "cluster_bundle_dir": folder})
    assert rc == 0, out[-2500:]


@pytest.mark.parametrize("args", [
    [],
    ["-e", "reset_confirm=no"],
    ["--limit", "node"],
    ["--limit", "master", "--check"],
    ["--limit", "node", "--tags", "never-a-tag"],
    ["--limit", "node", "--skip-tags", "always"],
], ids=["plain", "confirm-no", "limit", "limit-check", "limit-tags", "skip-always"])
def test_reset_refuses_without_confirmation(tmp_path, args):
    # The hosts are unreachable (port 1 refuses at once): a task that tried to touch one would show
    # up as UNREACHABLE; only the confirmation (no connection needed) may run.
    inventory = {"all": {"vars": {"ansible_connection": "ssh", "ansible_host": "127.0.0.1", "ansible_port": 1},
                         "children": {"masters": {"hosts": {"master": {}}}, "nodes": {"hosts": {"node": {}}}}}}
    rc, out = ansible_playbook(tmp_path, inventory, os.path.join(ROOT, "playbooks", "reset.yml"), *args)
    out = " ".join(out.split())
    assert "UNREACHABLE!" not in out and "unreachable=1" not in out, out[-2000:]
    if "always" in args:  # the confirmation itself skipped: every destructive task skipped too
        # every task of the play on the node skipped: the worker's leave (2) and the host reset (its include)
        assert rc == 0 and "node : ok=0 changed=0 unreachable=0 failed=0 skipped=3" in out, out[-2000:]
    else:
        assert rc != 0
        assert "reset_confirm: this playbook wipes Kubernetes from" in out, out[-2000:]


def test_cluster_checks_run_once_per_run(tmp_path):
    """Every role depends on cluster; its checks (and the bundle's checksums) run in the first
    play only, while the settings stay the same; a changed setting is checked again."""
    playbook = tmp_path / "twice.yml"
    play = {"hosts": "registry:masters:nodes", "gather_facts": False, "roles": ["helmsman.kubeadm.cluster"]}
    changed = dict(play, vars={"cluster_service_subnet": "10.96.0.0/12"})
    playbook.write_text(yaml.safe_dump([dict(play, name="First"), dict(play, name="Second"), dict(changed, name="Third")]))
    inventory = {"all": {"vars": LOCAL, "children": {"registry": {"hosts": {"registry": {}}},
                                                     "masters": {"hosts": {"master": {}}},
                                                     "nodes": {"hosts": {"node": {}}}}}}
    (tmp_path / "vars.yml").write_text(yaml.safe_dump({"cluster_bundle_dir": bundle(tmp_path)}))
    rc, out = ansible_playbook(tmp_path, inventory, playbook, "-e", "@" + str(tmp_path / "vars.yml"),
                               env={"ANSIBLE_DISPLAY_SKIPPED_HOSTS": "false"})
    assert rc == 0, out[-2500:]
    # the third play changed a setting: checked again
    assert out.count("TASK [helmsman.kubeadm.cluster : Check the bundle (manifest and checksums)]") == 2, out[-4000:]
    assert out.count("TASK [helmsman.kubeadm.cluster : Check the pod and service subnets]") == 2


@pytest.mark.parametrize("extra,fragment", [
    ({"flannel_version": "v0.99.0"}, "flannel_version: flannel 'v0.99.0' is not a version this collection knows"),
    ({"flannel_version": "v0.12.0"}, "flannel_version: flannel v0.12.0 works with Kubernetes 1.17 to 1.21, not 1.36.4"),
    ({"ingress_version": "0.30.0"}, "ingress_version: ingress-nginx 0.30.0 works with Kubernetes 1.17 to 1.21, not 1.36.4"),
    ({"flannel_architectures": ["x86_64"]}, "flannel_architectures: x86_64 is not a Kubernetes architecture name"),
    ({"flannel_manifest_files": ["/nonexistent/kube-flannel.yml"]},
     "flannel_manifest_files: no such file on the controller: /nonexistent/kube-flannel.yml"),
    ({"ingress_placement": "host_network", "ingress_node_selector": {"tier": "edge"}},
     'ingress_node_selector: {"tier": "edge"} selects no host of the masters and nodes groups'),
    ({"ingress_placement": "host_network"}, "ingress_node_selector: {} selects no host"),
    ({"ingress_http_node_port": 80}, "ingress_http_node_port and ingress_https_node_port must be distinct ports"),
    ({"ingress_http_node_port": 30080, "ingress_https_node_port": 30080}, "must be distinct ports of the service node port range"),
    ({"nfs_pv_exports": [{"path": "srv/nfs", "clients": ["node"]}]}, "nfs_pv_exports[0].path: 'srv/nfs' is not an absolute path"),
    ({"nfs_pv_exports": [{"path": "/srv/nfs", "clients": []}], "nfs_pv_volumes": []}, "nfs_pv_exports[0].clients"),
    ({"nfs_pv_volumes": [{"name": "v", "export": "/srv/nfs/k8s", "capacity": "lots"}]},
     "nfs_pv_volumes[0].capacity: 'lots' is not a Kubernetes quantity"),
    ({"nfs_pv_volumes": [{"name": "v", "export": "/elsewhere", "capacity": "1Gi"}]},
     "nfs_pv_volumes[0].export: '/elsewhere' is not one of the exported paths"),
    ({"metrics_extra_args": ["--kubelet-insecure-tls"]},
     "metrics_extra_args: --kubelet-insecure-tls is refused: every kubelet has a serving certificate signed by the cluster CA"),
    ({"metrics_address_types": ["InternalIp"]}, "metrics_address_types: unknown address types InternalIp"),
    ({"metrics_version": "v0.3.6"}, "metrics_version: metrics-server v0.3.6 works with Kubernetes 1.8 to 1.21, not 1.36.4"),
    ({"dashboard_ui": "lens"}, "dashboard_ui: lens is not one of dashboard, headlamp"),
    ({"dashboard_node_port": 8443}, "dashboard_node_port: 8443 is not a port of the service node port range 30000-32767"),
    ({"dashboard_node_port": 30080, "ingress_http_node_port": 30080},
     "two add-ons ask for the same NodePort (a port serves one Service): ingress_http_node_port and dashboard_node_port = 30080"),
    ({"dashboard_token_source": "request", "dashboard_token_duration": "a day"},
     "dashboard_token_duration: 'a day' is not a duration (e.g. 3600, 90m, 24h)"),
    ({"dashboard_token_source": "request", "dashboard_token_duration": "5m"},
     "dashboard_token_duration: 5m is 300 s, less than the API's minimum of 600 s"),
    ({"dashboard_token_file": "/nonexistent/admin.token"},
     "dashboard_token_file: the folder /nonexistent does not exist on the controller"),
    ({"dashboard_version": "v2.0.0"}, "dashboard_version: dashboard v2.0.0 works with Kubernetes 1.17 to 1.21, not 1.36.4"),
    ({"prometheus_version": "release-0.4"},
     "prometheus_version: kube-prometheus release-0.4 works with Kubernetes 1.16 to 1.21, not 1.36.4"),
    ({"prometheus_grafana_node_port": 3000},
     "prometheus_grafana_node_port: 3000 is not a port of the service node port range 30000-32767"),
    ({"prometheus_grafana_node_port": 30001},
     "two add-ons ask for the same NodePort (a port serves one Service): dashboard_node_port and prometheus_grafana_node_port = 30001"),
    ({"prometheus_grafana_network_policy": "open"},
     "prometheus_grafana_network_policy: open is not extend, upstream or drop"),
    ({"prometheus_grafana_sources": ["10.0.0.0/8", "my laptop"]},
     "prometheus_grafana_sources: not in CIDR form (address/prefix length): my laptop"),
    ({"prometheus_grafana_password_file": "/nonexistent/grafana.password"},
     "prometheus_grafana_password_file: the folder /nonexistent does not exist on the controller"),
    ({"prometheus_manifest_files": ["/nonexistent/setup.yaml"]},
     "prometheus_manifest_files: no such file on the controller: /nonexistent/setup.yaml"),
])
def test_bad_add_on_settings_are_refused_before_anything_changes(tmp_path, extra, fragment):
    rc, out = run_checks(tmp_path, extra)
    assert rc != 0
    assert fragment in " ".join(out.split()), out[-2500:]


def test_host_network_selector_matching_an_inventory_label_passes(tmp_path):
    rc, out = run_checks(tmp_path, {"ingress_placement": "host_network", "ingress_node_selector": {"tier": "web"},
                                    "node_labels": {"tier": "web"}})
    assert rc == 0, out[-2500:]


def test_own_manifests_that_do_not_parse_or_use_removed_apis_are_refused(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("kind: ConfigMap\nmetadata: {name: a\n")
    rc, out = run_checks(tmp_path, {"ingress_manifest_files": [str(broken)]})
    text = " ".join(out.split())
    assert rc != 0 and "ingress_manifest_files: %s: line" % broken in text, text[-2500:]
    old = tmp_path / "old.yml"
    old.write_text("apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRole\nmetadata: {name: flannel}\n")
    rc, out = run_checks(tmp_path, {"flannel_manifest_files": [str(old)]})
    text = " ".join(out.split())
    assert rc != 0 and "ClusterRole flannel uses rbac.authorization.k8s.io/v1beta1, which Kubernetes 1.36.4 no longer serves" \
        in text, text[-2500:]
