"""module_utils.manifests on our own manifests that reproduce the upstream structures and traps
(written for these tests; no upstream file is copied)."""

import json

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import manifests

REG = "10.0.0.5:5000"

TRAPS = """\
# A comment block before the first document, as some upstream files have.
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: routes.example.com
spec:
  group: example.com
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          properties:
            matchType:
              enum:
                - '!='
                - =
                - =~
              type: string
---
# a comment-only document
---
apiVersion: v1
kind: ConfigMapList
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: dashboard-a, namespace: monitoring}
    data:
      a.json: '{"legend": "{{ $labels.namespace }} {{instance}}"}'
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: dashboard-b, namespace: monitoring}
    data:
      when: 2026-12-01T00:00:00Z
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleList
items:
  - {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: r, namespace: default}}
  - {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: r, namespace: kube-system}}
---
"""


def test_documents_keep_every_string_and_expand_lists():
    objects = manifests.k8s_documents(TRAPS, "traps.yaml")
    assert [o["kind"] for o in objects] == ["CustomResourceDefinition", "ConfigMap", "ConfigMap", "Role", "Role"]
    enum = objects[0]["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["matchType"]["enum"]
    assert enum == ["!=", "=", "=~"]
    assert objects[1]["data"]["a.json"] == '{"legend": "{{ $labels.namespace }} {{instance}}"}'
    assert objects[2]["data"]["when"] == "2026-12-01T00:00:00Z"
    json.dumps(objects)  # everything is JSON data, ready for the API


def test_bad_yaml_names_the_file_and_line():
    with pytest.raises(manifests.ManifestError, match=r"^mine\.yaml: line 3, column \d+: not valid YAML"):
        manifests.k8s_documents("apiVersion: v1\nkind: ConfigMap\n  data: [\n", "mine.yaml")


@pytest.mark.parametrize("text", ["resources: [deployment.yaml]\n", "- a\n- b\n", "apiVersion: v1\n"])
def test_a_document_that_is_not_an_object_is_refused(text):
    with pytest.raises(manifests.ManifestError, match="document 1 is not a Kubernetes object"):
        manifests.k8s_documents(text, "kustomization.yaml")


def workload(kind, pod_spec, api="apps/v1"):
    spec = {"template": {"spec": pod_spec}}
    if kind == "CronJob":
        spec = {"jobTemplate": {"spec": spec}}
        api = "batch/v1"
    if kind == "Pod":
        spec = pod_spec
        api = "v1"
    return {"apiVersion": api, "kind": kind, "metadata": {"name": kind.lower(), "namespace": "x"}, "spec": spec}


OPERATOR = workload("Deployment", {"containers": [{"name": "operator", "image": "quay.io/acme/operator:v1.0.0", "args": [
    "--kubelet-service=kube-system/kubelet",
    "--prometheus-config-reloader=quay.io/acme/config-reloader:v1.0.0",
    "--config-reloader-image", "acme/configmap-reload:v0.3.0"]}]})
OBJECTS = [
    workload("DaemonSet", {"initContainers": [{"name": "cni", "image": "ghcr.io/acme/cni-plugin:v1.9.1"}],
                           "containers": [{"name": "agent", "image": "ghcr.io/acme/agent:v0.28.9"}]}),
    workload("Deployment", {"containers": [
        {"name": "c", "image": "registry.k8s.io/acme/controller:v1.15.1@sha256:" + "a" * 64}]}),
    workload("Job", {"containers": [{"name": "certgen", "image": "registry.k8s.io/acme/certgen:v1.6.9"}]}, "batch/v1"),
    workload("CronJob", {"containers": [{"name": "j", "image": "busybox"}]}),
    workload("StatefulSet", {"containers": [{"name": "s", "image": "grafana/grafana:13.0.2"}]}),
    workload("Pod", {"containers": [{"name": "p", "image": "nginx:1.27"}],
                     "ephemeralContainers": [{"name": "debug", "image": "docker.io/library/busybox:1.36"}]}),
    OPERATOR,
    {"apiVersion": "monitoring.coreos.com/v1", "kind": "Prometheus", "metadata": {"name": "k8s", "namespace": "monitoring"},
     "spec": {"baseImage": "quay.io/prometheus/prometheus", "version": "v2.11.0"}},
    {"apiVersion": "monitoring.coreos.com/v1", "kind": "Alertmanager", "metadata": {"name": "main", "namespace": "monitoring"},
     "spec": {"image": "quay.io/prometheus/alertmanager:v0.33.0", "version": "0.33.0"}},
    {"apiVersion": "example.com/v1", "kind": "Prometheus", "metadata": {"name": "not-the-operator"},
     "spec": {"image": "example.com/not/pulled:v1"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"image": "not/an-image:v1"}},
]


def test_every_image_a_node_would_pull_as_written():
    assert manifests.manifest_images(OBJECTS) == sorted([
        "ghcr.io/acme/cni-plugin:v1.9.1", "ghcr.io/acme/agent:v0.28.9",
        "registry.k8s.io/acme/controller:v1.15.1@sha256:" + "a" * 64, "registry.k8s.io/acme/certgen:v1.6.9",
        "busybox", "grafana/grafana:13.0.2", "nginx:1.27", "docker.io/library/busybox:1.36",
        "quay.io/acme/operator:v1.0.0", "quay.io/acme/config-reloader:v1.0.0", "acme/configmap-reload:v0.3.0",
        "quay.io/prometheus/prometheus:v2.11.0", "quay.io/prometheus/alertmanager:v0.33.0"])


def test_operator_image_precedence():
    assert manifests.operator_image({"image": "a/b:1", "baseImage": "c/d", "version": "v2"}) == "a/b:1"
    assert manifests.operator_image({"baseImage": "c/d", "sha": "f" * 64, "tag": "t", "version": "v"}) == "c/d@sha256:" + "f" * 64
    assert manifests.operator_image({"baseImage": "c/d", "tag": "t", "version": "v"}) == "c/d:t"
    assert manifests.operator_image({"version": "v2"}) is None


def test_mirror_moves_every_reference_and_nothing_else():
    mirrored = manifests.mirror_manifest(OBJECTS, REG)
    assert all(ref.startswith(REG + "/") for ref in manifests.manifest_images(mirrored)), manifests.manifest_images(mirrored)
    assert manifests.manifest_images(mirrored) == sorted(
        __import__("ansible_collections.helmsman.kubeadm.plugins.module_utils.images", fromlist=["x"]).mirror_ref(r, REG)
        for r in manifests.manifest_images(OBJECTS))
    args = mirrored[6]["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args == ["--kubelet-service=kube-system/kubelet",
                    "--prometheus-config-reloader=%s/acme/config-reloader:v1.0.0" % REG,
                    "--config-reloader-image", "%s/acme/configmap-reload:v0.3.0" % REG]
    assert mirrored[7]["spec"] == {"baseImage": REG + "/prometheus/prometheus", "version": "v2.11.0"}
    assert mirrored[1]["spec"]["template"]["spec"]["containers"][0]["image"] == REG + "/acme/controller:v1.15.1"
    assert mirrored[9] == OBJECTS[9] and mirrored[10] == OBJECTS[10]
    assert OBJECTS[0]["spec"]["template"]["spec"]["containers"][0]["image"] == "ghcr.io/acme/agent:v0.28.9"  # input untouched


def test_two_upstream_images_with_one_private_name_are_refused():
    clash = [workload("Pod", {"containers": [{"name": "a", "image": "quay.io/acme/tool:v1"},
                                             {"name": "b", "image": "ghcr.io/acme/tool:v1"}]})]
    with pytest.raises(manifests.ManifestError, match="quay.io/acme/tool:v1 and ghcr.io/acme/tool:v1 would both be"):
        manifests.mirror_manifest(clash, REG)
    same = [workload("Pod", {"containers": [{"name": "a", "image": "nginx:1.27"},
                                            {"name": "b", "image": "docker.io/library/nginx:1.27"}]})]
    assert len(manifests.manifest_images(manifests.mirror_manifest(same, REG))) == 1


def test_a_bad_reference_names_the_object():
    bad = [workload("Deployment", {"containers": [{"name": "a", "image": "Bad/Name:v1"}]})]
    with pytest.raises(manifests.ManifestError, match="^Deployment x/deployment: "):
        manifests.mirror_manifest(bad, REG)


def test_override_images_replaces_only_the_named_references():
    after = manifests.override_images(OBJECTS, {"busybox": "docker.io/library/busybox:1.37",
                                                "quay.io/acme/config-reloader:v1.0.0": "quay.io/acme/config-reloader:v1.1.0"})
    found = manifests.manifest_images(after)
    assert "docker.io/library/busybox:1.37" in found and "busybox" not in found
    assert "quay.io/acme/config-reloader:v1.1.0" in found and "quay.io/acme/config-reloader:v1.0.0" not in found
    assert "nginx:1.27" in found
    assert "busybox" in manifests.manifest_images(OBJECTS)  # the input is left alone


def test_an_override_that_matches_nothing_is_refused():
    with pytest.raises(manifests.ManifestError, match="no image of the manifest is ghcr.io/x/y:latest"):
        manifests.override_images(OBJECTS, {"ghcr.io/x/y:latest": "ghcr.io/x/y:v1"})
