import base64
import json

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import addon_edits, monitoring

POLICY = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "grafana", "namespace": "monitoring"},
          "spec": {"ingress": [{"from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}}}],
                                "ports": [{"port": 3000, "protocol": "TCP"}]}]}}
GRAFANA = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "grafana", "namespace": "monitoring"},
           "spec": {"template": {"spec": {"containers": [
               {"name": "grafana", "image": "grafana/grafana:13.0.2", "env": [{"name": "GF_SECURITY_ADMIN_PASSWORD", "value": "admin"}]},
               {"name": "sidecar", "image": "busybox:1.36"}]}}}}
SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "prometheus-k8s", "namespace": "monitoring"},
           "spec": {"ports": [{"name": "web", "port": 9090}]}}


def datasources(url, how="stringData", key="datasources.yaml"):
    text = json.dumps({"apiVersion": 1, "datasources": [{"name": "prometheus", "type": "prometheus", "url": url}]})
    if how == "data":
        return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "grafana-datasources", "namespace": "monitoring"},
                "data": {key: base64.b64encode(text.encode()).decode()}}
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "grafana-datasources", "namespace": "monitoring"},
            "stringData": {key: text}}


def test_network_policy_admit_adds_one_rule_once():
    once = monitoring.network_policy_admit([POLICY], "monitoring", "grafana", 3000, ["10.0.0.0/24", "192.0.2.7/32"])
    rules = once[0]["spec"]["ingress"]
    assert len(rules) == 2 and rules[0] == POLICY["spec"]["ingress"][0]
    assert rules[1] == {"from": [{"ipBlock": {"cidr": "10.0.0.0/24"}}, {"ipBlock": {"cidr": "192.0.2.7/32"}}],
                        "ports": [{"port": 3000, "protocol": "TCP"}]}
    twice = monitoring.network_policy_admit(once, "monitoring", "grafana", 3000, ["10.0.0.0/24", "192.0.2.7/32"])
    assert twice == once
    assert len(POLICY["spec"]["ingress"]) == 1  # the input is not changed


def test_network_policy_admit_without_policy_or_sources_changes_nothing():
    assert monitoring.network_policy_admit([SERVICE], "monitoring", "grafana", 3000, ["0.0.0.0/0"]) == [SERVICE]
    assert monitoring.network_policy_admit([POLICY], "monitoring", "grafana", 3000, []) == [POLICY]


def test_grafana_admin_replaces_the_password_env_with_the_secret():
    edited = monitoring.grafana_admin([GRAFANA, SERVICE], "monitoring", "grafana", "grafana-admin", "c" * 64)
    template = edited[0]["spec"]["template"]
    env = template["spec"]["containers"][0]["env"]
    assert env == [{"name": "GF_SECURITY_ADMIN_USER", "valueFrom": {"secretKeyRef": {"name": "grafana-admin", "key": "admin-user"}}},
                   {"name": "GF_SECURITY_ADMIN_PASSWORD",
                    "valueFrom": {"secretKeyRef": {"name": "grafana-admin", "key": "admin-password"}}}]
    assert "env" not in template["spec"]["containers"][1]
    assert template["metadata"]["annotations"] == {"helmsman.kubeadm/grafana-admin-checksum": "c" * 64}
    assert edited[1] == SERVICE


def test_grafana_admin_refuses_a_manifest_without_grafana():
    with pytest.raises(monitoring.MonitoringError, match="no Deployment monitoring/grafana"):
        monitoring.grafana_admin([SERVICE], "monitoring", "grafana", "grafana-admin", "x")
    with pytest.raises(monitoring.MonitoringError, match="has no container web"):
        monitoring.grafana_admin([GRAFANA], "monitoring", "grafana", "grafana-admin", "x", container="web")


@pytest.mark.parametrize("how", ["stringData", "data"])
def test_datasources_read_from_string_data_or_base64_data(how):
    found = monitoring.grafana_datasources([datasources("http://prometheus-k8s.monitoring.svc:9090", how)])
    assert found == [{"name": "prometheus", "type": "prometheus", "url": "http://prometheus-k8s.monitoring.svc:9090"}]


def test_datasources_in_yaml():
    secret = {"kind": "Secret", "metadata": {"name": "grafana-datasources", "namespace": "monitoring"},
              "stringData": {"ds.yaml": "apiVersion: 1\ndatasources:\n- name: p\n  type: prometheus\n  url: http://x.monitoring.svc:1\n"}}
    assert monitoring.grafana_datasources([secret])[0]["url"] == "http://x.monitoring.svc:1"


def test_datasource_problems():
    good = "http://prometheus-k8s.monitoring.svc:9090"
    assert monitoring.datasource_problems([datasources(good), SERVICE], expected=good) == []
    assert monitoring.datasource_problems([datasources(good + "/"), SERVICE], expected=good) == []
    assert monitoring.datasource_problems([datasources(good)]) == [
        "data source prometheus: Service monitoring/prometheus-k8s does not exist"]
    assert monitoring.datasource_problems([datasources("http://prometheus-k8s.monitoring.svc:9091"), SERVICE]) == [
        "data source prometheus: Service monitoring/prometheus-k8s has no port 9091"]
    assert monitoring.datasource_problems([datasources("http://prometheus.example:9090"), SERVICE], expected=good) == [
        "data source prometheus points at http://prometheus.example:9090, not " + good]
    assert monitoring.datasource_problems([datasources("http://prometheus.example:9090"), SERVICE]) == [
        "data source prometheus: http://prometheus.example:9090 does not name a Service (<service>.<namespace>.svc)"]
    empty = {"kind": "Secret", "metadata": {"name": "grafana-datasources", "namespace": "monitoring"}, "stringData": {"a": "{}"}}
    assert monitoring.datasource_problems([empty]) == ["Secret monitoring/grafana-datasources provisions no Prometheus data source"]


def test_operator_workloads_are_the_generated_statefulsets():
    objects = [{"apiVersion": "monitoring.coreos.com/v1", "kind": "Prometheus", "metadata": {"name": "k8s", "namespace": "monitoring"}},
               {"apiVersion": "monitoring.coreos.com/v1", "kind": "Alertmanager", "metadata": {"name": "main", "namespace": "monitoring"}},
               {"apiVersion": "example.com/v1", "kind": "Prometheus", "metadata": {"name": "other"}},
               {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": {"name": "s"}}]
    assert monitoring.operator_workloads(objects) == [
        {"kind": "StatefulSet", "namespace": "monitoring", "name": "prometheus-k8s"},
        {"kind": "StatefulSet", "namespace": "monitoring", "name": "alertmanager-main"}]


def test_drop_objects_by_kind_name_and_namespace():
    api = {"kind": "APIService", "metadata": {"name": "v1beta1.metrics.k8s.io"}}
    objects = [api, SERVICE, POLICY]
    assert addon_edits.drop_objects(objects, [{"kind": "APIService", "name": "v1beta1.metrics.k8s.io"}]) == [SERVICE, POLICY]
    assert addon_edits.drop_objects(objects, [{"kind": "Service", "name": "prometheus-k8s", "namespace": "default"}]) == objects
    assert addon_edits.drop_objects(objects, []) == objects


def test_edits_copy_only_the_object_they_change():
    """A kube-prometheus is 4 MB of objects: each edit deep-copies the one object it changes and
    shares the others (never edits them), so a chain of edits costs no copy of the whole."""
    objects = [GRAFANA, SERVICE, POLICY, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "grafana", "namespace": "monitoring"},
                                          "spec": {"ports": [{"name": "http", "port": 3000}]}}]
    before = json.dumps(objects, sort_keys=True)
    admitted = monitoring.network_policy_admit(objects, "monitoring", "grafana", 3000, ["0.0.0.0/0"])
    assert [a is b for a, b in zip(admitted, objects)] == [True, True, False, True]
    logged_in = monitoring.grafana_admin(objects, "monitoring", "grafana", "grafana-admin", "c" * 64)
    assert [a is b for a, b in zip(logged_in, objects)] == [False, True, True, True]
    exposed = addon_edits.service_node_port(objects, "monitoring", "grafana", 30002)
    assert [a is b for a, b in zip(exposed, objects)] == [True, True, True, False]
    assert [o is POLICY for o in addon_edits.drop_objects(objects, [{"kind": "Deployment", "name": "grafana"}])] == [False, True, False]
    assert json.dumps(objects, sort_keys=True) == before  # no edit reached the input
