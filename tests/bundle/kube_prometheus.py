"""Our own stand-in for kube-prometheus' manifests/ folder (not upstream's files): the same file
names, object kinds and counts, sizes and traps the prometheus role has to handle, generated.

What is reproduced (facts from the upstream release, see tests/README.md):
  - setup/: the monitoring Namespace and the monitoring.coreos.com CRDs, six of them over the
    256 KiB annotation limit as compact JSON (client-side apply cannot carry them), and
    AlertmanagerConfig's with a bare ``=`` enum value PyYAML cannot construct;
  - Go templates and Grafana legends (``{{ $labels.pod }}``, ``{{ printf "%.2f" $value }}``,
    ``{{instance}}``) in PrometheusRules and dashboards;
  - a ConfigMapList of dashboards, a RoleList and a RoleBindingList;
  - images where upstream has them: containers, the operator's ``--prometheus-config-reloader=``
    arg (the image the operator injects into the pods it makes), and ``spec.image`` of the
    Prometheus and Alertmanager resources (whose StatefulSets the operator generates);
  - Grafana's ClusterIP Service (port ``http`` 3000), its NetworkPolicy admitting only
    Prometheus, its pre-provisioned data source Secret, and prometheus-adapter's APIService
    ``v1beta1.metrics.k8s.io``.

    files(version) -> {file name under manifests/: text}
"""

import base64
import json

import yaml

NS = "monitoring"
GROUP = "monitoring.coreos.com"
WORDS = ("the operator reconciles this field into the generated configuration of every replica it manages "
         "and validates it against the schema before anything is rolled out to the cluster").split()

PROFILES = {
    "v0.18.0": {
        "crds": [  # file stem, plural, kind, version, target size as compact JSON (upstream's, to within 1 %)
            ("alertmanagerConfig", "alertmanagerconfigs", "AlertmanagerConfig", "v1alpha1", 359230),
            ("alertmanager", "alertmanagers", "Alertmanager", "v1", 351214),
            ("podmonitor", "podmonitors", "PodMonitor", "v1", 41600),
            ("probe", "probes", "Probe", "v1", 40200),
            ("prometheus", "prometheuses", "Prometheus", "v1", 482019),
            ("prometheusagent", "prometheusagents", "PrometheusAgent", "v1alpha1", 411628),
            ("prometheusrule", "prometheusrules", "PrometheusRule", "v1", 7400),
            ("scrapeconfig", "scrapeconfigs", "ScrapeConfig", "v1alpha1", 375718),
            ("servicemonitor", "servicemonitors", "ServiceMonitor", "v1", 42100),
            ("thanosruler", "thanosrulers", "ThanosRuler", "v1", 345525),
        ],
        "crd_file": "setup/0%sCustomResourceDefinition.yaml",
        "namespace_file": "setup/namespace.yaml",
        "style": "camel",
        "images": {
            "operator": "quay.io/prometheus-operator/prometheus-operator:v0.92.0",
            "reloader": "quay.io/prometheus-operator/prometheus-config-reloader:v0.92.0",
            "rbac_proxy": "quay.io/brancz/kube-rbac-proxy:v0.22.0",
            "grafana": "grafana/grafana:13.0.2",
            "ksm": "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.19.0",
            "node_exporter": "quay.io/prometheus/node-exporter:v1.11.1",
            "blackbox": "quay.io/prometheus/blackbox-exporter:v0.28.0",
            "configmap_reload": "ghcr.io/jimmidyson/configmap-reload:v0.15.0",
            "adapter": "registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.12.0",
            "prometheus": "quay.io/prometheus/prometheus:v3.12.0",
            "alertmanager": "quay.io/prometheus/alertmanager:v0.33.0",
        },
        "dashboards": 33,
        "network_policies": True,
    },
}
PROFILES["release-0.4"] = {
    "images": {
        "operator": "quay.io/coreos/prometheus-operator:v0.35.1",
        "reloader": "quay.io/coreos/prometheus-config-reloader:v0.35.1",
        "configmap_reload": "jimmidyson/configmap-reload:v0.3.0",  # a short name, only in the operator's flag
        "rbac_proxy": "quay.io/coreos/kube-rbac-proxy:v0.4.1",
        "grafana": "grafana/grafana:6.4.3",
        "ksm": "quay.io/coreos/kube-state-metrics:v1.9.2",
        "node_exporter": "quay.io/prometheus/node-exporter:v0.18.1",
        "adapter": "quay.io/coreos/k8s-prometheus-adapter-amd64:v0.5.0",
        "prometheus": "quay.io/prometheus/prometheus:v2.11.0",
        "alertmanager": "quay.io/prometheus/alertmanager:v0.18.0",
    },
}
COMPONENTS_018 = {  # file prefix -> (app.kubernetes.io/name, component)
    "alertmanager": ("alertmanager", "alert-router"),
    "blackboxExporter": ("blackbox-exporter", "exporter"),
    "grafana": ("grafana", "grafana"),
    "kubeStateMetrics": ("kube-state-metrics", "exporter"),
    "nodeExporter": ("node-exporter", "exporter"),
    "prometheus": ("prometheus", "prometheus"),
    "prometheusAdapter": ("prometheus-adapter", "metrics-adapter"),
    "prometheusOperator": ("prometheus-operator", "controller"),
}


# release-0.4 (operator v0.35.1) labels its objects by component in the older style.
LABELS_04 = {
    "alertmanager": {"alertmanager": "main"},
    "grafana": {"app": "grafana"},
    "kube-state-metrics": {"app": "kube-state-metrics"},
    "node-exporter": {"app": "node-exporter"},
    "prometheus-adapter": {"name": "prometheus-adapter"},
    "prometheus": {"prometheus": "k8s"},
    "prometheus-operator": {"app.kubernetes.io/component": "controller", "app.kubernetes.io/name": "prometheus-operator",
                            "app.kubernetes.io/version": "v0.35.1"},
}


def _labels(prefix):
    """A component's labels: ``prefix`` a v0.18.0 file prefix, or ``04:<component>`` for release-0.4."""
    if prefix.startswith("04:"):
        return dict(LABELS_04[prefix[3:]])
    name, component = COMPONENTS_018[prefix]
    return {"app.kubernetes.io/component": component, "app.kubernetes.io/name": name,
            "app.kubernetes.io/part-of": "kube-prometheus"}


def _meta(name, prefix, namespace=NS, **extra):
    meta = {"labels": _labels(prefix), "name": name}
    if namespace:
        meta["namespace"] = namespace
    meta.update(extra)
    return meta


def _text(count, seed):
    return " ".join(WORDS[(seed + i) % len(WORDS)] for i in range(count))


def _crd(plural, kind, version, target):
    spec_props = {}
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"annotations": {"controller-gen.kubebuilder.io/version": "v0.19.0",
                                     "operator.prometheus.io/version": "0.92.0"},
                     "name": "%s.%s" % (plural, GROUP)},
        "spec": {"group": GROUP, "names": {"categories": ["prometheus-operator"], "kind": kind,
                                           "listKind": kind + "List", "plural": plural, "singular": kind.lower()},
                 "scope": "Namespaced",
                 "versions": [{"name": version, "served": True, "storage": True,
                               "subresources": {"status": {}},
                               "schema": {"openAPIV3Schema": {
                                   "description": "%s defines a %s deployment." % (kind, kind), "type": "object",
                                   "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                                                  "metadata": {"type": "object"},
                                                  "spec": {"type": "object", "properties": spec_props},
                                                  "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
                                   "required": ["spec"]}}}]}}
    if kind == "AlertmanagerConfig":
        matcher = {"type": "object", "properties": {
            "matchType": {"description": "Match operation.", "enum": ["!=", "=", "=~", "!~"], "type": "string"},
            "name": {"type": "string"}, "value": {"type": "string"}}}
        spec_props["inhibitRules"] = {"type": "array", "items": {"type": "object", "properties": {
            "sourceMatch": {"type": "array", "items": matcher}, "targetMatch": {"type": "array", "items": matcher}}}}
    if kind in ("Prometheus", "Alertmanager", "PrometheusAgent", "ThanosRuler"):
        spec_props["image"] = {"description": "Image to run; has precedence over baseImage, tag and sha.", "type": "string"}
        spec_props["replicas"] = {"format": "int32", "type": "integer"}
    size, number = len(json.dumps(crd, separators=(",", ":"))), 0
    while size < target:
        key, value = "field%04d" % number, {"description": _text(30, number), "type": "string"}
        spec_props[key] = value
        size += len(json.dumps({key: value}, separators=(",", ":"))) - 1  # less the braces, plus a comma
        number += 1
    return crd


def _dump(objects):
    text = "\n---\n".join(yaml.safe_dump(o, sort_keys=False, width=1000) for o in objects)
    # The bare enum value upstream's generated YAML has (PyYAML dumps it quoted).
    return text.replace("- '='\n", "- =\n")


def _container(name, image, **extra):
    found = {"name": name, "image": image}
    found.update(extra)
    return found


def _rbac_proxy(image, port_name="https", upstream="http://127.0.0.1:8080/", name="kube-rbac-proxy"):
    return _container(name, image, args=["--secure-listen-address=:8443", "--upstream=" + upstream],
                      ports=[{"containerPort": 8443, "name": port_name}])


def _deployment(name, prefix, containers, replicas=1, volumes=None, sa=None):
    selector = _labels(prefix)
    spec = {"serviceAccountName": sa or name, "containers": containers, "nodeSelector": {"kubernetes.io/os": "linux"}}
    if volumes:
        spec["volumes"] = volumes
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": _meta(name, prefix),
            "spec": {"replicas": replicas, "selector": {"matchLabels": selector},
                     "template": {"metadata": {"labels": _labels(prefix)}, "spec": spec}}}


def _service(name, prefix, ports, **extra):
    spec = {"ports": ports, "selector": _labels(prefix)}
    spec.update(extra)
    return {"apiVersion": "v1", "kind": "Service", "metadata": _meta(name, prefix), "spec": spec}


def _sa(name, prefix):
    return {"apiVersion": "v1", "kind": "ServiceAccount", "automountServiceAccountToken": False, "metadata": _meta(name, prefix)}


def _cluster_role(name, prefix, rules):
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": _meta(name, prefix, None),
            "rules": rules}


def _binding(kind, name, prefix, role, subject, namespace=None, role_kind=None):
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": _meta(name, prefix, namespace),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind or kind.replace("Binding", ""), "name": role},
            "subjects": [{"kind": "ServiceAccount", "name": subject, "namespace": NS}]}


def _service_monitor(name, prefix, port="https"):
    return {"apiVersion": GROUP + "/v1", "kind": "ServiceMonitor", "metadata": _meta(name, prefix),
            "spec": {"endpoints": [{"port": port, "interval": "30s", "scheme": "https",
                                    "tlsConfig": {"insecureSkipVerify": True}}],
                     "selector": {"matchLabels": _labels(prefix)}}}


def _network_policy(name, prefix, ingress):
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": _meta(name, prefix),
            "spec": {"egress": [{}], "ingress": ingress, "podSelector": {"matchLabels": _labels(prefix)},
                     "policyTypes": ["Egress", "Ingress"]}}


def _from_pods(name, ports):
    return {"from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": name}}}],
            "ports": [{"port": p, "protocol": "TCP"} for p in ports]}


def _pdb(name, prefix):
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": _meta(name, prefix),
            "spec": {"maxUnavailable": 1, "selector": {"matchLabels": _labels(prefix)}}}


def _rule(name, prefix, alerts):
    rules = []
    for number in range(alerts):
        rules.append({"alert": "%s%03d" % (prefix[0].upper() + prefix[1:], number),
                      "annotations": {"description": "{{ $labels.namespace }}/{{ $labels.pod }} (%s) has been at "
                                                     "{{ printf \"%%.2f\" $value }}%% for 15 minutes. %s"
                                                     % (prefix, _text(12, number)),
                                      "runbook_url": "https://runbooks.prometheus-operator.dev/runbooks/%s/%d" % (prefix, number),
                                      "summary": "{{ $labels.job }} is degraded."},
                      "expr": "sum by (namespace, pod) (rate(%s_errors_total{job=\"%s\"}[5m])) > %d" % (prefix, prefix, number),
                      "for": "15m", "labels": {"severity": "warning"}})
    return {"apiVersion": GROUP + "/v1", "kind": "PrometheusRule",
            "metadata": _meta("%s-rules" % COMPONENTS_018[prefix][0], prefix, prometheus="k8s", role="alert-rules"),
            "spec": {"groups": [{"name": prefix + ".rules", "rules": rules}]}}


def _dashboards(count):
    items = []
    for number in range(count):
        panels = [{"id": p, "title": "Panel %d" % p, "type": "timeseries",
                   "targets": [{"expr": "sum(rate(container_cpu_usage_seconds_total{cluster=\"$cluster\", "
                                        "namespace=\"$namespace\"}[5m])) by (pod)",
                                "legendFormat": "{{pod}} on {{instance}}"}],
                   "description": _text(40, p)} for p in range(36)]
        board = {"title": "Kubernetes / Stand-in %02d" % number, "uid": "standin%02d" % number, "panels": panels,
                 "templating": {"list": [{"name": "cluster", "query": "label_values(up, cluster)"}]}}
        items.append({"apiVersion": "v1", "kind": "ConfigMap",
                      "metadata": _meta("grafana-dashboard-standin-%02d" % number, "grafana"),
                      "data": {"standin-%02d.json" % number: json.dumps(board, indent=4)}})
    return {"apiVersion": "v1", "kind": "ConfigMapList", "items": items}


def _grafana_volumes(dashboards):
    """Grafana's volume mounts and volumes: its storage (emptyDir), the data source Secret and
    one ConfigMap per dashboard."""
    mounts = [{"mountPath": "/var/lib/grafana", "name": "grafana-storage"},
              {"mountPath": "/etc/grafana/provisioning/datasources", "name": "grafana-datasources"}]
    volumes = [{"emptyDir": {}, "name": "grafana-storage"},
               {"name": "grafana-datasources", "secret": {"secretName": "grafana-datasources"}}]
    for item in dashboards["items"]:
        name = item["metadata"]["name"]
        mounts.append({"mountPath": "/grafana-dashboard-definitions/0/" + name[len("grafana-dashboard-"):], "name": name})
        volumes.append({"configMap": {"name": name}, "name": name})
    return mounts, volumes


def _crd_v1beta1(plural, kind, target):
    """A CRD as operator v0.35.1's controller-gen wrote them: apiextensions.k8s.io/v1beta1, one
    schema for all versions under spec.validation, no status subresource."""
    crd = _crd(plural, kind, "v1", target)
    version = crd["spec"].pop("versions")[0]
    crd["apiVersion"] = "apiextensions.k8s.io/v1beta1"
    crd["metadata"]["annotations"] = {"controller-gen.kubebuilder.io/version": "v0.2.4"}
    del crd["spec"]["names"]["categories"]
    crd["spec"].update({"validation": version["schema"], "version": "v1",
                        "versions": [{"name": "v1", "served": True, "storage": True}]})
    return crd


def files_04():
    """The release-0.4 (kube-prometheus at eeb5ed7b, operator v0.35.1) stand-in: the operator in
    setup/ beside the Namespace and five apiextensions v1beta1 CRDs (the two largest 157 K and
    200 K as JSON: client-side apply would fit), Prometheus and Alertmanager resources with
    baseImage and version (no spec.image), the operator's two image flags, Docker Hub short
    names, the adapter's -amd64 image, Grafana's data source as base64 data, no NetworkPolicies."""
    img = PROFILES["release-0.4"]["images"]
    out = {"setup/0namespace-namespace.yaml": _dump([{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}}])}
    for plural, kind, target in (("alertmanagers", "Alertmanager", 157000), ("podmonitors", "PodMonitor", 21000),
                                 ("prometheuses", "Prometheus", 200000), ("prometheusrules", "PrometheusRule", 6000),
                                 ("servicemonitors", "ServiceMonitor", 24000)):
        out["setup/prometheus-operator-0%sCustomResourceDefinition.yaml" % kind.lower()] = _dump([_crd_v1beta1(plural, kind, target)])

    def put(name, *objects):
        out[name + ".yaml"] = _dump(list(objects))

    def meta(name, component, namespace=NS):
        return _meta(name, "04:" + component, namespace)

    operator = "04:prometheus-operator"
    put("setup/prometheus-operator-clusterRole", _cluster_role("prometheus-operator", operator, [
        {"apiGroups": [GROUP], "resources": ["*"], "verbs": ["*"]},
        {"apiGroups": ["apps"], "resources": ["statefulsets"], "verbs": ["*"]}]))
    put("setup/prometheus-operator-clusterRoleBinding", _binding("ClusterRoleBinding", "prometheus-operator", operator,
                                                                 "prometheus-operator", "prometheus-operator"))
    put("setup/prometheus-operator-deployment", _deployment("prometheus-operator", operator, [
        _container("prometheus-operator", img["operator"],
                   args=["--kubelet-service=kube-system/kubelet", "--logtostderr=true",
                         "--config-reloader-image=" + img["configmap_reload"],
                         "--prometheus-config-reloader=" + img["reloader"]],
                   ports=[{"containerPort": 8080, "name": "http"}])]))
    put("setup/prometheus-operator-service", _service("prometheus-operator", operator,
                                                      [{"name": "http", "port": 8080, "targetPort": "http"}], clusterIP="None"))
    put("setup/prometheus-operator-serviceAccount", _sa("prometheus-operator", operator))
    # Alertmanager
    put("alertmanager-alertmanager", {
        "apiVersion": GROUP + "/v1", "kind": "Alertmanager", "metadata": meta("main", "alertmanager"),
        "spec": {"baseImage": img["alertmanager"].rsplit(":", 1)[0], "version": img["alertmanager"].rsplit(":", 1)[1],
                 "replicas": 3, "serviceAccountName": "alertmanager-main", "nodeSelector": {"kubernetes.io/os": "linux"}}})
    put("alertmanager-secret", {"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": {"name": "alertmanager-main",
                                                                                                     "namespace": NS},
                                "data": {"alertmanager.yaml": base64.b64encode(b"route:\n  receiver: 'null'\nreceivers:\n"
                                                                               b"- name: 'null'\n").decode()}})
    service = _service("alertmanager-main", "04:alertmanager", [{"name": "web", "port": 9093, "targetPort": "web"}])
    service["spec"]["selector"]["app"] = "alertmanager"
    put("alertmanager-service", service)
    put("alertmanager-serviceAccount", _sa("alertmanager-main", "04:alertmanager"))
    put("alertmanager-serviceMonitor", _service_monitor("alertmanager", "04:alertmanager", "web"))
    # Grafana
    put("grafana-dashboardDatasources", {
        "apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": {"name": "grafana-datasources", "namespace": NS},
        "data": {"datasources.yaml": base64.b64encode(json.dumps({"apiVersion": 1, "datasources": [{
            "access": "proxy", "editable": False, "name": "prometheus", "orgId": 1, "type": "prometheus",
            "url": "http://prometheus-k8s.monitoring.svc:9090", "version": 1}]}, indent=4).encode()).decode()}})
    dashboards = _dashboards(24)
    for item in dashboards["items"]:
        item["metadata"] = {"name": item["metadata"]["name"], "namespace": NS}
    put("grafana-dashboardDefinitions", dashboards)
    put("grafana-dashboardSources", {"apiVersion": "v1", "kind": "ConfigMap",
                                     "metadata": {"name": "grafana-dashboards", "namespace": NS},
                                     "data": {"dashboards.yaml": json.dumps({"apiVersion": 1, "providers": [{
                                         "folder": "", "name": "0", "options": {"path": "/grafana-dashboard-definitions/0"},
                                         "orgId": 1, "type": "file"}]}, indent=4)}})
    mounts, volumes = _grafana_volumes(dashboards)
    put("grafana-deployment", _deployment("grafana", "04:grafana", [
        _container("grafana", img["grafana"], ports=[{"containerPort": 3000, "name": "http"}],
                   readinessProbe={"httpGet": {"path": "/api/health", "port": "http"}}, volumeMounts=mounts)], volumes=volumes))
    put("grafana-service", _service("grafana", "04:grafana", [{"name": "http", "port": 3000, "targetPort": "http"}]))
    put("grafana-serviceAccount", _sa("grafana", "04:grafana"))
    put("grafana-serviceMonitor", _service_monitor("grafana", "04:grafana", "http"))
    # kube-state-metrics
    ksm = "04:kube-state-metrics"
    put("kube-state-metrics-clusterRole", _cluster_role("kube-state-metrics", ksm, [
        {"apiGroups": [""], "resources": ["pods", "nodes", "services"], "verbs": ["list", "watch"]}]))
    put("kube-state-metrics-clusterRoleBinding", _binding("ClusterRoleBinding", "kube-state-metrics", ksm, "kube-state-metrics",
                                                          "kube-state-metrics"))
    put("kube-state-metrics-deployment", _deployment("kube-state-metrics", ksm, [
        _rbac_proxy(img["rbac_proxy"], "https-main", "http://127.0.0.1:8081/", "kube-rbac-proxy-main"),
        _rbac_proxy(img["rbac_proxy"], "https-self", "http://127.0.0.1:8082/", "kube-rbac-proxy-self"),
        _container("kube-state-metrics", img["ksm"], args=["--host=127.0.0.1", "--port=8081"])]))
    role = _cluster_role("kube-state-metrics", ksm, [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}])
    role["kind"], role["metadata"]["namespace"] = "Role", NS
    put("kube-state-metrics-role", role)
    put("kube-state-metrics-roleBinding", _binding("RoleBinding", "kube-state-metrics", ksm, "kube-state-metrics",
                                                   "kube-state-metrics", NS))
    put("kube-state-metrics-service", _service("kube-state-metrics", ksm, [
        {"name": "https-main", "port": 8443, "targetPort": "https-main"},
        {"name": "https-self", "port": 9443, "targetPort": "https-self"}], clusterIP="None"))
    put("kube-state-metrics-serviceAccount", _sa("kube-state-metrics", ksm))
    put("kube-state-metrics-serviceMonitor", _service_monitor("kube-state-metrics", ksm, "https-main"))
    # node-exporter
    exporter = "04:node-exporter"
    put("node-exporter-clusterRole", _cluster_role("node-exporter", exporter, [
        {"apiGroups": ["authentication.k8s.io"], "resources": ["tokenreviews"], "verbs": ["create"]}]))
    put("node-exporter-clusterRoleBinding", _binding("ClusterRoleBinding", "node-exporter", exporter, "node-exporter",
                                                     "node-exporter"))
    daemonset = _deployment("node-exporter", exporter, [
        _container("node-exporter", img["node_exporter"], args=["--web.listen-address=127.0.0.1:9100", "--path.sysfs=/host/sys"]),
        _rbac_proxy(img["rbac_proxy"], upstream="http://127.0.0.1:9100/")])
    daemonset["kind"] = "DaemonSet"
    del daemonset["spec"]["replicas"]
    daemonset["spec"]["template"]["spec"].update({"hostNetwork": True, "hostPID": True,
                                                  "tolerations": [{"operator": "Exists"}]})
    put("node-exporter-daemonset", daemonset)
    put("node-exporter-service", _service("node-exporter", exporter, [{"name": "https", "port": 9100, "targetPort": "https"}],
                                          clusterIP="None"))
    put("node-exporter-serviceAccount", _sa("node-exporter", exporter))
    put("node-exporter-serviceMonitor", _service_monitor("node-exporter", exporter))
    # prometheus-adapter
    adapter = "04:prometheus-adapter"
    put("prometheus-adapter-apiService", {
        "apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService", "metadata": {"name": "v1beta1.metrics.k8s.io"},
        "spec": {"group": "metrics.k8s.io", "groupPriorityMinimum": 100, "insecureSkipTLSVerify": True,
                 "service": {"name": "prometheus-adapter", "namespace": NS}, "version": "v1beta1", "versionPriority": 100}})
    put("prometheus-adapter-clusterRole", _cluster_role("prometheus-adapter", adapter, [
        {"apiGroups": [""], "resources": ["nodes", "namespaces", "pods", "services"], "verbs": ["get", "list", "watch"]}]))
    reader = _cluster_role("system:aggregated-metrics-reader", adapter, [
        {"apiGroups": ["metrics.k8s.io"], "resources": ["pods", "nodes"], "verbs": ["get", "list", "watch"]}])
    reader["metadata"]["labels"].update({"rbac.authorization.k8s.io/aggregate-to-view": "true"})
    put("prometheus-adapter-clusterRoleAggregatedMetricsReader", reader)
    put("prometheus-adapter-clusterRoleBinding", _binding("ClusterRoleBinding", "prometheus-adapter", adapter,
                                                          "prometheus-adapter", "prometheus-adapter"))
    put("prometheus-adapter-clusterRoleBindingDelegator", _binding("ClusterRoleBinding", "resource-metrics:system:auth-delegator",
                                                                   adapter, "system:auth-delegator", "prometheus-adapter"))
    put("prometheus-adapter-clusterRoleServerResources", _cluster_role("resource-metrics-server-resources", adapter, [
        {"apiGroups": ["metrics.k8s.io"], "resources": ["*"], "verbs": ["*"]}]))
    put("prometheus-adapter-configMap", {"apiVersion": "v1", "kind": "ConfigMap",
                                         "metadata": {"name": "adapter-config", "namespace": NS},
                                         "data": {"config.yaml": "resourceRules:\n  cpu:\n    containerQuery: sum(rate("
                                                                 "container_cpu_usage_seconds_total{<<.LabelMatchers>>}[1m]))"
                                                                 " by (<<.GroupBy>>)\n"}})
    put("prometheus-adapter-deployment", _deployment("prometheus-adapter", adapter, [
        _container("prometheus-adapter", img["adapter"], args=["--config=/etc/adapter/config.yaml", "--secure-port=6443",
                                                               "--prometheus-url=http://prometheus-k8s.monitoring.svc:9090/"],
                   ports=[{"containerPort": 6443}])],
        volumes=[{"name": "config", "configMap": {"name": "adapter-config"}}]))
    put("prometheus-adapter-roleBindingAuthReader", _binding("RoleBinding", "resource-metrics-auth-reader", adapter,
                                                             "extension-apiserver-authentication-reader", "prometheus-adapter",
                                                             "kube-system", "Role"))
    put("prometheus-adapter-service", _service("prometheus-adapter", adapter, [{"name": "https", "port": 443, "targetPort": 6443}]))
    put("prometheus-adapter-serviceAccount", _sa("prometheus-adapter", adapter))
    # Prometheus
    prom = "04:prometheus"
    put("prometheus-clusterRole", _cluster_role("prometheus-k8s", prom, [
        {"apiGroups": [""], "resources": ["nodes/metrics"], "verbs": ["get"]}, {"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]))
    put("prometheus-clusterRoleBinding", _binding("ClusterRoleBinding", "prometheus-k8s", prom, "prometheus-k8s", "prometheus-k8s"))
    put("prometheus-operator-serviceMonitor", _service_monitor("prometheus-operator", operator, "http"))
    put("prometheus-prometheus", {
        "apiVersion": GROUP + "/v1", "kind": "Prometheus", "metadata": meta("k8s", "prometheus"),
        "spec": {"baseImage": img["prometheus"].rsplit(":", 1)[0], "version": img["prometheus"].rsplit(":", 1)[1], "replicas": 2,
                 "serviceAccountName": "prometheus-k8s", "nodeSelector": {"kubernetes.io/os": "linux"},
                 "alerting": {"alertmanagers": [{"name": "alertmanager-main", "namespace": NS, "port": "web"}]},
                 "ruleSelector": {"matchLabels": {"prometheus": "k8s", "role": "alert-rules"}},
                 "serviceMonitorSelector": {}, "podMonitorSelector": {}, "serviceMonitorNamespaceSelector": {}}})
    put("prometheus-roleBindingConfig", _binding("RoleBinding", "prometheus-k8s-config", prom, "prometheus-k8s-config",
                                                 "prometheus-k8s", NS))
    roles, bindings = [], []
    for namespace in ("default", "kube-system", NS):
        role = _cluster_role("prometheus-k8s", prom, [
            {"apiGroups": [""], "resources": ["services", "endpoints", "pods"], "verbs": ["get", "list", "watch"]}])
        role["kind"], role["metadata"]["namespace"] = "Role", namespace
        roles.append(role)
        bindings.append(_binding("RoleBinding", "prometheus-k8s", prom, "prometheus-k8s", "prometheus-k8s", namespace))
    put("prometheus-roleBindingSpecificNamespaces", {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBindingList",
                                                     "items": bindings})
    put("prometheus-roleConfig", {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                                  "metadata": meta("prometheus-k8s-config", "prometheus"),
                                  "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]})
    put("prometheus-roleSpecificNamespaces", {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleList", "items": roles})
    rules = _rule("prometheus", "prometheus", 173)
    rules["metadata"] = {"labels": {"prometheus": "k8s", "role": "alert-rules"}, "name": "prometheus-k8s-rules", "namespace": NS}
    put("prometheus-rules", rules)
    service = _service("prometheus-k8s", prom, [{"name": "web", "port": 9090, "targetPort": "web"}])
    service["spec"]["selector"]["app"] = "prometheus"
    put("prometheus-service", service)
    put("prometheus-serviceAccount", _sa("prometheus-k8s", prom))
    put("prometheus-serviceMonitor", _service_monitor("prometheus", prom, "web"))
    for part, namespace in (("Apiserver", "default"), ("CoreDNS", "kube-system"), ("KubeControllerManager", "kube-system"),
                            ("KubeScheduler", "kube-system"), ("Kubelet", "kube-system")):
        monitor = _service_monitor(part.lower(), prom)
        monitor["spec"]["namespaceSelector"] = {"matchNames": [namespace]}
        put("prometheus-serviceMonitor" + part, monitor)
    return out


def files(version):
    if version == "release-0.4":
        return files_04()
    profile = PROFILES[version]
    img = profile["images"]
    out = {}
    out[profile["namespace_file"]] = _dump([{"apiVersion": "v1", "kind": "Namespace", "metadata": {
        "labels": {"pod-security.kubernetes.io/warn": "privileged", "pod-security.kubernetes.io/warn-version": "latest"},
        "name": NS}}])
    for stem, plural, kind, api_version, target in profile["crds"]:
        out[profile["crd_file"] % stem] = _dump([_crd(plural, kind, api_version, target)])

    def put(name, *objects):
        out[name + ".yaml"] = _dump(list(objects))

    # Alertmanager
    put("alertmanager-alertmanager", {
        "apiVersion": GROUP + "/v1", "kind": "Alertmanager", "metadata": _meta("main", "alertmanager"),
        "spec": {"image": img["alertmanager"], "replicas": 3, "version": img["alertmanager"].rsplit(":v", 1)[1],
                 "serviceAccountName": "alertmanager-main", "nodeSelector": {"kubernetes.io/os": "linux"},
                 "podMetadata": {"labels": _labels("alertmanager")}}})
    put("alertmanager-networkPolicy", _network_policy("alertmanager-main", "alertmanager", [
        _from_pods("prometheus", [9093, 8080]), _from_pods("alertmanager", [9094])]))
    put("alertmanager-podDisruptionBudget", _pdb("alertmanager-main", "alertmanager"))
    put("alertmanager-prometheusRule", _rule("alertmanager", "alertmanager", 8))
    put("alertmanager-secret", {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                                "metadata": _meta("alertmanager-main", "alertmanager"),
                                "stringData": {"alertmanager.yaml": "route:\n  receiver: Default\nreceivers:\n- name: Default\n"}})
    put("alertmanager-service", _service("alertmanager-main", "alertmanager", [
        {"name": "web", "port": 9093, "targetPort": "web"}, {"name": "reloader-web", "port": 8080, "targetPort": "reloader-web"}]))
    put("alertmanager-serviceAccount", _sa("alertmanager-main", "alertmanager"))
    put("alertmanager-serviceMonitor", _service_monitor("alertmanager-main", "alertmanager", "web"))
    # blackbox exporter
    put("blackboxExporter-clusterRole", _cluster_role("blackbox-exporter", "blackboxExporter", [
        {"apiGroups": ["authentication.k8s.io"], "resources": ["tokenreviews"], "verbs": ["create"]}]))
    put("blackboxExporter-clusterRoleBinding", _binding("ClusterRoleBinding", "blackbox-exporter", "blackboxExporter",
                                                        "blackbox-exporter", "blackbox-exporter"))
    put("blackboxExporter-configuration", {"apiVersion": "v1", "kind": "ConfigMap",
                                           "metadata": _meta("blackbox-exporter-configuration", "blackboxExporter"),
                                           "data": {"config.yml": "modules:\n  http_2xx:\n    prober: http\n"}})
    put("blackboxExporter-deployment", _deployment("blackbox-exporter", "blackboxExporter", [
        _container("blackbox-exporter", img["blackbox"], args=["--config.file=/etc/blackbox_exporter/config.yml"]),
        _container("module-configmap-reloader", img["configmap_reload"], args=["--webhook-url=http://localhost:19115/-/reload"]),
        _rbac_proxy(img["rbac_proxy"], upstream="http://127.0.0.1:19115/")],
        volumes=[{"name": "config", "configMap": {"name": "blackbox-exporter-configuration"}}]))
    put("blackboxExporter-networkPolicy", _network_policy("blackbox-exporter", "blackboxExporter",
                                                          [_from_pods("prometheus", [9115, 19115])]))
    put("blackboxExporter-service", _service("blackbox-exporter", "blackboxExporter", [
        {"name": "https", "port": 9115, "targetPort": "https"}, {"name": "probe", "port": 19115, "targetPort": "http"}]))
    put("blackboxExporter-serviceAccount", _sa("blackbox-exporter", "blackboxExporter"))
    put("blackboxExporter-serviceMonitor", _service_monitor("blackbox-exporter", "blackboxExporter"))
    # Grafana
    put("grafana-config", {"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": _meta("grafana-config", "grafana"),
                           "stringData": {"grafana.ini": "[date_formats]\ndefault_timezone = UTC\n"}})
    put("grafana-dashboardDatasources", {
        "apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": _meta("grafana-datasources", "grafana"),
        "stringData": {"datasources.yaml": json.dumps({"apiVersion": 1, "datasources": [{
            "access": "proxy", "editable": False, "name": "prometheus", "orgId": 1, "type": "prometheus",
            "url": "http://prometheus-k8s.monitoring.svc:9090", "version": 1}]}, indent=4)}})
    dashboards = _dashboards(profile["dashboards"])
    put("grafana-dashboardDefinitions", dashboards)
    put("grafana-dashboardSources", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta("grafana-dashboards", "grafana"),
                                     "data": {"dashboards.yaml": json.dumps({"apiVersion": 1, "providers": [{
                                         "folder": "Default", "name": "0", "options": {"path": "/grafana-dashboard-definitions/0"},
                                         "type": "file"}]}, indent=4)}})
    mounts, volumes = _grafana_volumes(dashboards)
    put("grafana-deployment", _deployment("grafana", "grafana", [
        _container("grafana", img["grafana"], env=[], ports=[{"containerPort": 3000, "name": "http"}],
                   readinessProbe={"httpGet": {"path": "/api/health", "port": "http"}}, volumeMounts=mounts)], volumes=volumes))
    put("grafana-networkPolicy", _network_policy("grafana", "grafana", [_from_pods("prometheus", [3000])]))
    put("grafana-prometheusRule", _rule("grafana", "grafana", 2))
    put("grafana-service", _service("grafana", "grafana", [{"name": "http", "port": 3000, "targetPort": "http"}]))
    put("grafana-serviceAccount", _sa("grafana", "grafana"))
    put("grafana-serviceMonitor", _service_monitor("grafana", "grafana", "http"))
    put("kubePrometheus-prometheusRule", _rule("prometheus", "prometheus", 6))
    # kube-state-metrics
    put("kubeStateMetrics-clusterRole", _cluster_role("kube-state-metrics", "kubeStateMetrics", [
        {"apiGroups": [""], "resources": ["pods", "nodes", "services"], "verbs": ["list", "watch"]}]))
    put("kubeStateMetrics-clusterRoleBinding", _binding("ClusterRoleBinding", "kube-state-metrics", "kubeStateMetrics",
                                                        "kube-state-metrics", "kube-state-metrics"))
    put("kubeStateMetrics-deployment", _deployment("kube-state-metrics", "kubeStateMetrics", [
        _container("kube-state-metrics", img["ksm"], args=["--host=127.0.0.1", "--port=8081"]),
        _rbac_proxy(img["rbac_proxy"], "https-main", "http://127.0.0.1:8081/", "kube-rbac-proxy-main"),
        _rbac_proxy(img["rbac_proxy"], "https-self", "http://127.0.0.1:8082/", "kube-rbac-proxy-self")]))
    put("kubeStateMetrics-networkPolicy", _network_policy("kube-state-metrics", "kubeStateMetrics",
                                                          [_from_pods("prometheus", [8443, 9443])]))
    put("kubeStateMetrics-prometheusRule", _rule("kubeStateMetrics", "kubeStateMetrics", 4))
    put("kubeStateMetrics-service", _service("kube-state-metrics", "kubeStateMetrics", [
        {"name": "https-main", "port": 8443, "targetPort": "https-main"}], clusterIP="None"))
    put("kubeStateMetrics-serviceAccount", _sa("kube-state-metrics", "kubeStateMetrics"))
    put("kubeStateMetrics-serviceMonitor", _service_monitor("kube-state-metrics", "kubeStateMetrics", "https-main"))
    put("kubernetesControlPlane-prometheusRule", _rule("prometheus", "prometheus", 140))
    out["kubernetesControlPlane-prometheusRule.yaml"] = out["kubernetesControlPlane-prometheusRule.yaml"].replace(
        "name: prometheus-rules", "name: kubernetes-monitoring-rules", 1)
    for part in ("Apiserver", "CoreDNS", "KubeControllerManager", "KubeScheduler", "Kubelet"):
        monitor = _service_monitor(part.lower(), "prometheus")
        monitor["spec"]["namespaceSelector"] = {"matchNames": ["kube-system" if part != "Apiserver" else "default"]}
        monitor["spec"]["endpoints"] *= 3
        put("kubernetesControlPlane-serviceMonitor" + part, monitor)
    # node exporter
    put("nodeExporter-clusterRole", _cluster_role("node-exporter", "nodeExporter", [
        {"apiGroups": ["authentication.k8s.io"], "resources": ["tokenreviews"], "verbs": ["create"]}]))
    put("nodeExporter-clusterRoleBinding", _binding("ClusterRoleBinding", "node-exporter", "nodeExporter", "node-exporter",
                                                    "node-exporter"))
    daemonset = _deployment("node-exporter", "nodeExporter", [
        _container("node-exporter", img["node_exporter"], args=["--web.listen-address=127.0.0.1:9101", "--path.sysfs=/host/sys"]),
        _rbac_proxy(img["rbac_proxy"], upstream="http://127.0.0.1:9101/")])
    daemonset["kind"] = "DaemonSet"
    del daemonset["spec"]["replicas"]
    daemonset["spec"]["template"]["spec"].update({"hostNetwork": True, "hostPID": True,
                                                  "tolerations": [{"operator": "Exists"}]})
    put("nodeExporter-daemonset", daemonset)
    put("nodeExporter-networkPolicy", _network_policy("node-exporter", "nodeExporter", [_from_pods("prometheus", [9100])]))
    put("nodeExporter-prometheusRule", _rule("nodeExporter", "nodeExporter", 34))
    put("nodeExporter-service", _service("node-exporter", "nodeExporter", [{"name": "https", "port": 9100, "targetPort": "https"}],
                                         clusterIP="None"))
    put("nodeExporter-serviceAccount", _sa("node-exporter", "nodeExporter"))
    put("nodeExporter-serviceMonitor", _service_monitor("node-exporter", "nodeExporter"))
    # Prometheus
    put("prometheus-clusterRole", _cluster_role("prometheus-k8s", "prometheus", [
        {"apiGroups": [""], "resources": ["nodes/metrics"], "verbs": ["get"]}, {"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]))
    put("prometheus-clusterRoleBinding", _binding("ClusterRoleBinding", "prometheus-k8s", "prometheus", "prometheus-k8s",
                                                  "prometheus-k8s"))
    put("prometheus-networkPolicy", _network_policy("prometheus-k8s", "prometheus", [
        _from_pods("prometheus", [9090, 8080]), _from_pods("prometheus-adapter", [9090]), _from_pods("grafana", [9090])]))
    put("prometheus-podDisruptionBudget", _pdb("prometheus-k8s", "prometheus"))
    put("prometheus-prometheus", {
        "apiVersion": GROUP + "/v1", "kind": "Prometheus", "metadata": _meta("k8s", "prometheus"),
        "spec": {"image": img["prometheus"], "replicas": 2, "version": img["prometheus"].rsplit(":v", 1)[1],
                 "serviceAccountName": "prometheus-k8s", "nodeSelector": {"kubernetes.io/os": "linux"},
                 "alerting": {"alertmanagers": [{"apiVersion": "v2", "name": "alertmanager-main", "namespace": NS,
                                                 "port": "web"}]},
                 "podMetadata": {"labels": _labels("prometheus")},
                 "ruleSelector": {}, "serviceMonitorSelector": {}, "podMonitorSelector": {}, "probeSelector": {}}})
    put("prometheus-prometheusRule", _rule("prometheus", "prometheus", 28))
    out["prometheus-prometheusRule.yaml"] = out["prometheus-prometheusRule.yaml"].replace(
        "name: prometheus-rules", "name: prometheus-k8s-prometheus-rules", 1)
    put("prometheus-roleBindingConfig", _binding("RoleBinding", "prometheus-k8s-config", "prometheus", "prometheus-k8s-config",
                                                 "prometheus-k8s", NS))
    roles, bindings = [], []
    for namespace in ("default", "kube-system", NS):
        role = _cluster_role("prometheus-k8s", "prometheus", [
            {"apiGroups": [""], "resources": ["services", "endpoints", "pods"], "verbs": ["get", "list", "watch"]}])
        role["kind"], role["metadata"]["namespace"] = "Role", namespace
        roles.append(role)
        bindings.append(_binding("RoleBinding", "prometheus-k8s", "prometheus", "prometheus-k8s", "prometheus-k8s", namespace))
    put("prometheus-roleBindingSpecificNamespaces", {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBindingList",
                                                     "items": bindings})
    put("prometheus-roleConfig", {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                                  "metadata": _meta("prometheus-k8s-config", "prometheus"),
                                  "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]})
    put("prometheus-roleSpecificNamespaces", {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleList", "items": roles})
    service = _service("prometheus-k8s", "prometheus", [{"name": "web", "port": 9090, "targetPort": "web"},
                                                        {"name": "reloader-web", "port": 8080, "targetPort": "reloader-web"}],
                       sessionAffinity="ClientIP")
    service["spec"]["selector"]["prometheus"] = "k8s"
    put("prometheus-service", service)
    put("prometheus-serviceAccount", _sa("prometheus-k8s", "prometheus"))
    put("prometheus-serviceMonitor", _service_monitor("prometheus-k8s", "prometheus", "web"))
    # prometheus-adapter
    put("prometheusAdapter-apiService", {
        "apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService", "metadata": _meta("v1beta1.metrics.k8s.io",
                                                                                           "prometheusAdapter", None),
        "spec": {"group": "metrics.k8s.io", "groupPriorityMinimum": 100, "insecureSkipTLSVerify": True,
                 "service": {"name": "prometheus-adapter", "namespace": NS}, "version": "v1beta1", "versionPriority": 100}})
    put("prometheusAdapter-clusterRole", _cluster_role("prometheus-adapter", "prometheusAdapter", [
        {"apiGroups": [""], "resources": ["nodes", "namespaces", "pods", "services"], "verbs": ["get", "list", "watch"]}]))
    reader = _cluster_role("system:aggregated-metrics-reader", "prometheusAdapter", [
        {"apiGroups": ["metrics.k8s.io"], "resources": ["pods", "nodes"], "verbs": ["get", "list", "watch"]}])
    reader["metadata"]["labels"].update({"rbac.authorization.k8s.io/aggregate-to-view": "true"})
    put("prometheusAdapter-clusterRoleAggregatedMetricsReader", reader)
    put("prometheusAdapter-clusterRoleBinding", _binding("ClusterRoleBinding", "prometheus-adapter", "prometheusAdapter",
                                                         "prometheus-adapter", "prometheus-adapter"))
    put("prometheusAdapter-clusterRoleBindingDelegator", _binding("ClusterRoleBinding", "resource-metrics:system:auth-delegator",
                                                                  "prometheusAdapter", "system:auth-delegator",
                                                                  "prometheus-adapter"))
    put("prometheusAdapter-clusterRoleServerResources", _cluster_role("resource-metrics-server-resources", "prometheusAdapter", [
        {"apiGroups": ["metrics.k8s.io"], "resources": ["*"], "verbs": ["*"]}]))
    put("prometheusAdapter-configMap", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta("adapter-config", "prometheusAdapter"),
                                        "data": {"config.yaml": "resourceRules:\n  cpu:\n    containerQuery: |\n"
                                                                "      sum by (<<.GroupBy>>) (irate(container_cpu_usage_seconds_total"
                                                                "{<<.LabelMatchers>>}[2m]))\n"}})
    put("prometheusAdapter-deployment", _deployment("prometheus-adapter", "prometheusAdapter", [
        _container("prometheus-adapter", img["adapter"], args=["--config=/etc/adapter/config.yaml", "--secure-port=6443",
                                                               "--prometheus-url=http://prometheus-k8s.monitoring.svc:9090/"],
                   ports=[{"containerPort": 6443, "name": "https"}])], replicas=2,
        volumes=[{"name": "config", "configMap": {"name": "adapter-config"}}]))
    put("prometheusAdapter-networkPolicy", _network_policy("prometheus-adapter", "prometheusAdapter", [{}]))
    put("prometheusAdapter-podDisruptionBudget", _pdb("prometheus-adapter", "prometheusAdapter"))
    put("prometheusAdapter-roleBindingAuthReader", _binding("RoleBinding", "resource-metrics-auth-reader", "prometheusAdapter",
                                                            "extension-apiserver-authentication-reader", "prometheus-adapter",
                                                            "kube-system", "Role"))
    put("prometheusAdapter-service", _service("prometheus-adapter", "prometheusAdapter",
                                              [{"name": "https", "port": 443, "targetPort": 6443}]))
    put("prometheusAdapter-serviceAccount", _sa("prometheus-adapter", "prometheusAdapter"))
    put("prometheusAdapter-serviceMonitor", _service_monitor("prometheus-adapter", "prometheusAdapter"))
    # the operator
    put("prometheusOperator-clusterRole", _cluster_role("prometheus-operator", "prometheusOperator", [
        {"apiGroups": [GROUP], "resources": ["*"], "verbs": ["*"]},
        {"apiGroups": ["apps"], "resources": ["statefulsets"], "verbs": ["*"]}]))
    put("prometheusOperator-clusterRoleBinding", _binding("ClusterRoleBinding", "prometheus-operator", "prometheusOperator",
                                                          "prometheus-operator", "prometheus-operator"))
    put("prometheusOperator-deployment", _deployment("prometheus-operator", "prometheusOperator", [
        _container("prometheus-operator", img["operator"], args=["--kubelet-service=kube-system/kubelet",
                                                                 "--prometheus-config-reloader=" + img["reloader"]],
                   ports=[{"containerPort": 8080, "name": "http"}]),
        _rbac_proxy(img["rbac_proxy"])]))
    put("prometheusOperator-networkPolicy", _network_policy("prometheus-operator", "prometheusOperator",
                                                            [_from_pods("prometheus", [8443])]))
    put("prometheusOperator-prometheusRule", _rule("prometheusOperator", "prometheusOperator", 10))
    put("prometheusOperator-service", _service("prometheus-operator", "prometheusOperator",
                                               [{"name": "https", "port": 8443, "targetPort": "https"}], clusterIP="None"))
    put("prometheusOperator-serviceAccount", _sa("prometheus-operator", "prometheusOperator"))
    put("prometheusOperator-serviceMonitor", _service_monitor("prometheus-operator", "prometheusOperator"))
    return out


if __name__ == "__main__":
    import sys
    for name, text in sorted(files(sys.argv[1] if len(sys.argv) > 1 else "v0.18.0").items()):
        print("%9d %s" % (len(text), name))
