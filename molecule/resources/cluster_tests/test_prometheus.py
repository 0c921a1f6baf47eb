"""kube-prometheus on a converged cluster: v0.18.0 in the cluster scenario (1.36, with
metrics-server), release-0.4 in cluster_1_17 (the runbook's; apiextensions v1beta1 CRDs, no
NetworkPolicies). The release's CRDs Established and serving; Grafana on its
NodePort with its NetworkPolicy (where the release has one) opened to the NodePort's sources,
its data source Prometheus' Service, its admin password 0600 on the controller, in the cluster
only as a Secret and in no Ansible log; the StatefulSets the operator generated running from the
private registry; and one owner of v1beta1.metrics.k8s.io."""

import base64
import json
import os
import stat

import pytest
import yaml

from conftest import enabled_addons


@pytest.fixture(autouse=True)
def _addons_of_this_scenario():
    missing = [n for n in ("prometheus",) if n not in enabled_addons()]
    if missing:
        pytest.skip("not in this scenario's cluster_addons: %s" % ", ".join(missing))


testinfra_hosts = ["master"]
KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin.conf "
OLD = os.environ.get("MOLECULE_SCENARIO_NAME") == "cluster_1_17"
# What each release runs, as the private registry serves it
IMAGES = ({"prometheus": "registry:5000/prometheus/prometheus:v2.11.0",
           "alertmanager": "registry:5000/prometheus/alertmanager:v0.18.0",
           "reloaders": ["registry:5000/coreos/prometheus-config-reloader:v0.35.1",
                         "registry:5000/jimmidyson/configmap-reload:v0.3.0"]}
          if OLD else
          {"prometheus": "registry:5000/prometheus/prometheus:v3.12.0",
           "alertmanager": "registry:5000/prometheus/alertmanager:v0.33.0",
           "reloaders": ["registry:5000/prometheus-operator/prometheus-config-reloader:v0.92.0"]})


def get(host, what):
    return json.loads(host.check_output(KUBECTL + "get %s -o json" % what))


def password_file():
    return os.path.join(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"], "grafana-admin.password")


def test_the_releases_crds_are_established_and_serve_their_resources(host):
    # (that the CRDs came first is the API's own rule: a resource of a kind not yet served is
    # refused, and the converge would have failed; nothing here could show it again)
    crds = [c for c in get(host, "customresourcedefinitions")["items"] if c["spec"]["group"] == "monitoring.coreos.com"]
    assert len(crds) == (5 if OLD else 10)
    assert {c["apiVersion"] for c in crds} == {"apiextensions.k8s.io/v1beta1" if OLD else "apiextensions.k8s.io/v1"}
    for crd in crds:
        established = [c for c in crd["status"]["conditions"] if c["type"] == "Established"]
        assert established and established[0]["status"] == "True", crd["metadata"]["name"]
    assert get(host, "prometheusrules -A")["items"] and get(host, "servicemonitors -A")["items"]


def test_grafana_is_on_its_node_port(host):
    service = get(host, "service grafana -n monitoring")
    assert service["spec"]["type"] == "NodePort"
    assert (service["spec"]["ports"][0]["port"], service["spec"]["ports"][0]["nodePort"]) == (3000, 30002)


@pytest.mark.skipif(OLD, reason="release-0.4 ships no NetworkPolicy")
def test_grafanas_network_policy_admits_the_node_port(host):
    policy = get(host, "networkpolicy grafana -n monitoring")
    rules = policy["spec"]["ingress"]
    # upstream's rule (Prometheus' Pods) kept, one rule added for the NodePort's sources
    assert any(p.get("podSelector", {}).get("matchLabels") == {"app.kubernetes.io/name": "prometheus"}
               for r in rules for p in r.get("from", []))
    assert {"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"port": 3000, "protocol": "TCP"}]} in rules


def test_grafanas_data_source_is_prometheus_service(host):
    secret = get(host, "secret grafana-datasources -n monitoring")
    sources = yaml.safe_load(base64.b64decode(secret["data"]["datasources.yaml"]))["datasources"]
    assert [s["url"] for s in sources if s["type"] == "prometheus"] == ["http://prometheus-k8s.monitoring.svc:9090"]
    service = get(host, "service prometheus-k8s -n monitoring")
    assert 9090 in [p["port"] for p in service["spec"]["ports"]]


def test_grafanas_admin_password_is_private_generated_and_in_the_secret(host):
    mode = stat.S_IMODE(os.stat(password_file()).st_mode)
    assert mode == 0o600, oct(mode)
    with open(password_file(), encoding="utf-8") as handle:
        password = handle.read().strip()
    assert len(password) == 32 and password != "admin"
    secret = get(host, "secret grafana-admin -n monitoring")
    assert base64.b64decode(secret["data"]["admin-password"]).decode() == password
    container = [c for c in get(host, "deployment grafana -n monitoring")["spec"]["template"]["spec"]["containers"]
                 if c["name"] == "grafana"][0]
    env = {e["name"]: e for e in container.get("env", [])}
    assert env["GF_SECURITY_ADMIN_PASSWORD"] == {"name": "GF_SECURITY_ADMIN_PASSWORD",
                                                 "valueFrom": {"secretKeyRef": {"name": "grafana-admin", "key": "admin-password"}}}
    assert password not in json.dumps(get(host, "deployment grafana -n monitoring"))


def test_grafanas_password_is_in_no_ansible_log():
    log = os.path.join(os.environ["MOLECULE_PROJECT_DIRECTORY"], ".cache", "molecule-logs",
                       os.environ["MOLECULE_SCENARIO_NAME"] + ".log")
    with open(log, encoding="utf-8") as handle:
        text = handle.read()
    with open(password_file(), encoding="utf-8") as handle:
        password = handle.read().strip()
    assert "with the password in %s" % password_file() in " ".join(text.split())  # the closing message is in this log
    assert password not in text


@pytest.mark.parametrize("name,replicas,component", [("prometheus-k8s", 2, "prometheus"), ("alertmanager-main", 3, "alertmanager")])
def test_the_operators_statefulsets_run_from_the_private_registry(host, name, replicas, component):
    statefulset = get(host, "statefulset %s -n monitoring" % name)
    assert statefulset["status"].get("readyReplicas") == replicas
    images = [c["image"] for c in statefulset["spec"]["template"]["spec"]["containers"]]
    assert IMAGES[component] in images
    assert set(images) - {IMAGES[component]} <= set(IMAGES["reloaders"]) and len(images) > 1, images


def test_one_owner_of_the_metrics_api(host):
    services = [a for a in get(host, "apiservices")["items"] if a["metadata"]["name"] == "v1beta1.metrics.k8s.io"]
    # both scenarios install metrics-server, which keeps it (the adapter owning it without
    # metrics-server is tests/integration/test_prometheus_role.py's)
    assert [a["spec"]["service"]["name"] for a in services] == ["metrics-server"]
    available = [c for c in services[0]["status"]["conditions"] if c["type"] == "Available"][0]
    assert available["status"] == "True", available
    # the ClusterRole aggregating metrics.k8s.io reads into view/edit/admin has the same owner
    reader = get(host, "clusterrole system:aggregated-metrics-reader")
    owners = {m["manager"] for m in get(host, "clusterrole system:aggregated-metrics-reader --show-managed-fields")
              ["metadata"]["managedFields"]}
    assert owners == {"helmsman-kubeadm"}
    assert reader["metadata"]["labels"].get("rbac.authorization.k8s.io/aggregate-to-view") == "true"
    assert "prometheus-adapter" not in json.dumps(reader["metadata"]["labels"])
    # the adapter runs either way
    assert get(host, "deployment prometheus-adapter -n monitoring")["status"].get("readyReplicas") == (1 if OLD else 2)
