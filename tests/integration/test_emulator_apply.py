"""Server-side apply as the add-on roles will use it (kubernetes.core, apply + server_side_apply,
one task for a whole manifest), against the API emulator: create, no-op re-apply (changed=0 and no
new resourceVersion), check mode as a server-side dry run, CRDs Established and their resources
served in the same task, conflicts with another manager refused unless forced, and fields the
manager stopped applying removed."""

import json
import sys
import time

import pytest

from tests import runner
from tests.emulator import Emulator

pytestmark = pytest.mark.slow

CRD = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
       "metadata": {"name": "widgets.example.com"},
       "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wdg"]},
                "versions": [{"name": "v1", "served": True, "storage": True,
                              "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
                              "subresources": {"status": {}}}]}}


def objects(replicas=1, data=None):
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "demo"}},
        CRD,
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "demo"},
         "data": data if data is not None else {"a": "1", "b": "{{ $labels.namespace }}"}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "demo"},
         "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}},
                               "spec": {"containers": [{"name": "web", "image": "r:5000/library/nginx:1.27"}]}}}},
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "demo"},
         "spec": {"size": 3}},
    ]


def apply(tmp_path, kubeconfig, objs, *flags, **extra):
    path = tmp_path / ("objects-%d.json" % len(list(tmp_path.iterdir())))
    path.write_text(json.dumps(objs))
    args = ["-e", "ansible_python_interpreter=%s" % sys.executable, "-e", "test_kubeconfig=%s" % kubeconfig,
            "-e", "test_objects=%s" % path]
    for key, value in extra.items():
        args += ["-e", "%s=%s" % (key, value)]
    return runner.ansible_playbook("tests/integration/playbooks/apply.yml", "localhost,", *(args + list(flags)))


def versions(emulator):
    return {(o["kind"], o["metadata"]["name"]): o["metadata"]["resourceVersion"]
            for plural in ("namespaces", "configmaps", "deployments", "customresourcedefinitions", "widgets")
            for o in emulator.list_objects(plural)}


def test_create_then_no_op_then_dry_run(emulator, admin_kubeconfig, tmp_path):
    first = apply(tmp_path, admin_kubeconfig, objects())
    assert first.rc == 0 and runner.recap(first.output)["localhost"]["changed"] == 1, first.output[-3000:]
    crd = emulator.get_object("customresourcedefinitions", "widgets.example.com")
    assert {c["type"]: c["status"] for c in crd["status"]["conditions"]} == {"NamesAccepted": "True", "Established": "True"}
    assert emulator.get_object("widgets", "w", "demo")["spec"] == {"size": 3}
    cm = emulator.get_object("configmaps", "settings", "demo")
    assert cm["data"]["b"] == "{{ $labels.namespace }}"
    assert [m["manager"] for m in cm["metadata"]["managedFields"]] == ["helmsman.kubeadm"]
    before = versions(emulator)

    second = apply(tmp_path, admin_kubeconfig, objects())
    assert second.rc == 0 and runner.recap(second.output)["localhost"]["changed"] == 0, second.output[-3000:]
    assert versions(emulator) == before

    checked = apply(tmp_path, admin_kubeconfig, objects(replicas=2), "--check", "--diff")
    assert checked.rc == 0 and runner.recap(checked.output)["localhost"]["changed"] == 1, checked.output[-3000:]
    assert versions(emulator) == before
    assert emulator.get_object("deployments", "web", "demo")["spec"]["replicas"] == 1


def test_conflicts_are_refused_unless_forced(emulator, admin_kubeconfig, tmp_path):
    assert apply(tmp_path, admin_kubeconfig, objects()).rc == 0
    other = apply(tmp_path, admin_kubeconfig, [objects(replicas=3)[3]], test_manager="an-operator")
    assert other.rc != 0 and 'conflict with \\"helmsman.kubeadm\\"' in other.output.replace('\\\\', '\\'), other.output[-3000:]
    forced = apply(tmp_path, admin_kubeconfig, [objects(replicas=3)[3]], test_manager="an-operator", test_force="true")
    assert forced.rc == 0, forced.output[-3000:]
    deployment = emulator.get_object("deployments", "web", "demo")
    assert deployment["spec"]["replicas"] == 3 and deployment["metadata"]["generation"] == 2
    owners = {m["manager"]: m["fieldsV1"] for m in deployment["metadata"]["managedFields"]}
    assert "f:replicas" in owners["an-operator"]["f:spec"] and "f:replicas" not in owners["helmsman.kubeadm"]["f:spec"]
    # our next apply of replicas: 1 now conflicts the other way, and says with whom
    ours = apply(tmp_path, admin_kubeconfig, objects())
    assert ours.rc != 0 and "an-operator" in ours.output and ".spec.replicas" in ours.output


def test_fields_no_longer_applied_are_removed(emulator, admin_kubeconfig, tmp_path):
    assert apply(tmp_path, admin_kubeconfig, objects(data={"a": "1", "b": "2"})).rc == 0
    assert apply(tmp_path, admin_kubeconfig, objects(data={"a": "1"})).rc == 0
    assert emulator.get_object("configmaps", "settings", "demo")["data"] == {"a": "1"}


def test_an_updated_crd_stays_established_since_its_first_transition(emulator, admin_kubeconfig, tmp_path):
    assert apply(tmp_path, admin_kubeconfig, objects()[:2]).rc == 0
    first = emulator.get_object("customresourcedefinitions", "widgets.example.com")["status"]["conditions"]
    time.sleep(1.1)  # timestamps have whole seconds
    changed = json.loads(json.dumps(CRD))
    changed["spec"]["names"]["shortNames"] = ["wdg", "wd"]
    assert apply(tmp_path, admin_kubeconfig, [changed]).rc == 0
    crd = emulator.get_object("customresourcedefinitions", "widgets.example.com")
    assert crd["spec"]["names"]["shortNames"] == ["wdg", "wd"]
    assert crd["status"]["conditions"] == first


def test_before_1_22_a_v1beta1_crd_is_served_and_defines_its_resources(tmp_path):
    """apiextensions.k8s.io/v1beta1 (kube-prometheus release-0.4's CRDs): served by 1.17, one
    version in spec.version and the schema in spec.validation; gone from 1.22."""
    old_style = {"apiVersion": "apiextensions.k8s.io/v1beta1", "kind": "CustomResourceDefinition",
                 "metadata": {"name": "widgets.example.com"},
                 "spec": {"group": "example.com", "scope": "Namespaced", "version": "v1",
                          "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                          "validation": {"openAPIV3Schema": {"type": "object"}}}}
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "default"}, "spec": {}}
    emulator = Emulator(version="1.17.6").start()
    try:
        kubeconfig = emulator.kubeconfig(path=str(tmp_path / "admin.conf"))
        first = apply(tmp_path, kubeconfig, [old_style, widget])
        assert first.rc == 0, first.output[-3000:]
        crd = emulator.get_object("customresourcedefinitions", "widgets.example.com")
        assert crd["apiVersion"] == "apiextensions.k8s.io/v1beta1"
        assert {c["type"]: c["status"] for c in crd["status"]["conditions"]} == {"NamesAccepted": "True", "Established": "True"}
        assert crd["status"]["storedVersions"] == ["v1"]
        assert emulator.get_object("widgets", "w", "default") is not None
        again = apply(tmp_path, kubeconfig, [old_style, widget])
        assert again.rc == 0 and runner.recap(again.output)["localhost"]["changed"] == 0, again.output[-3000:]
    finally:
        emulator.stop()
    current = Emulator(version="1.36.4").start()
    try:
        refused = apply(tmp_path, current.kubeconfig(path=str(tmp_path / "admin-136.conf")), [old_style])
        assert refused.rc != 0 and "apiextensions.k8s.io/v1beta1" in refused.output
    finally:
        current.stop()
