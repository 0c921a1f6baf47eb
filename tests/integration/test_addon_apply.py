"""The add-on apply (cluster role, entry point addon) through kubernetes.core against the emulator
with its controllers, and a kubelet double for one node whose runtime knows some images: CRDs
before their resources, one server-side apply, rollout waits, a second run and check mode change
nothing, and a rollout that cannot finish is explained (workload, Pod, node, image)."""

import json
import os
import sys

import pytest

from tests import runner
from tests.emulator import Emulator

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "simulator"))
from podsync import PodSync  # noqa: E402
from simlib import API  # noqa: E402

from tests.integration.test_workload_status import FakeRuntime, node, run_kubelets  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK = os.path.join(ROOT, "tests", "integration", "playbooks", "addon.yml")
pytestmark = pytest.mark.slow


@pytest.fixture
def cluster(tmp_path):
    emu = Emulator(controllers=True).start()
    emu.put_object(node("worker1"))
    kubeconfig = emu.kubeconfig(path=str(tmp_path / "admin.conf"))
    kubelet = PodSync(API.from_kubeconfig(kubeconfig), "worker1", "10.0.0.7",
                      FakeRuntime(["registry:5000/good:1", "registry:5000/pause:3.10.1"]), str(tmp_path / "w1"),
                      log=lambda *_: None)
    stop = run_kubelets([kubelet])
    yield emu, kubeconfig
    stop()
    emu.stop()


def objects(image):
    return [
        {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
         "metadata": {"name": "widgets.example.com"},
         "spec": {"group": "example.com", "scope": "Namespaced",
                  "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                  "versions": [{"name": "v1", "served": True, "storage": True,
                                "schema": {"openAPIV3Schema": {"type": "object"}}}]}},
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "apps"},
         "spec": {"template": "{{ .Values.x }}"}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "apps"},
         "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}},
                  "spec": {"containers": [{"name": "web", "image": image}]}}}},
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "apps"}},
    ]


def run(tmp_path, kubeconfig, image, *args):
    path = tmp_path / "objects.json"
    path.write_text(json.dumps(objects(image)))
    return runner.ansible_playbook(PLAYBOOK, "localhost,", "-e", "test_kubeconfig=%s" % kubeconfig,
                                   "-e", "test_objects=%s" % path, "-e", "test_timeout=20", *args)


def test_apply_waits_and_a_second_run_changes_nothing(cluster, tmp_path):
    emu, kubeconfig = cluster
    first = run(tmp_path, kubeconfig, "registry:5000/good:1")
    assert first.rc == 0, first.output[-3000:]
    widget = emu.get_object("widgets", "w", "apps")
    assert widget["spec"]["template"] == "{{ .Values.x }}"  # byte for byte, never templated
    assert {(m["manager"], m["operation"]) for m in widget["metadata"]["managedFields"]} == {("helmsman-kubeadm", "Apply")}
    assert emu.get_object("deployments", "web", "apps")["status"]["availableReplicas"] == 1
    again = run(tmp_path, kubeconfig, "registry:5000/good:1", "--diff")
    assert again.rc == 0 and not any(runner.changed_tasks(again.output).values()), again.output[-6000:]
    check = run(tmp_path, kubeconfig, "registry:5000/good:1", "--check", "--diff")
    assert check.rc == 0 and not any(runner.changed_tasks(check.output).values()), check.output[-3000:]


def test_check_mode_of_a_change_leaves_the_cluster_alone(cluster, tmp_path):
    emu, kubeconfig = cluster
    assert run(tmp_path, kubeconfig, "registry:5000/good:1").rc == 0
    check = run(tmp_path, kubeconfig, "registry:5000/other:2", "--check", "--diff")
    assert check.rc == 0, check.output[-3000:]
    assert "registry:5000/other:2" in check.output  # the diff shows the change
    image = emu.get_object("deployments", "web", "apps")["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "registry:5000/good:1"


def test_a_rollout_that_cannot_finish_names_the_pod_and_the_image(cluster, tmp_path):
    _emu, kubeconfig = cluster
    result = run(tmp_path, kubeconfig, "registry:5000/missing:1")
    text = " ".join(result.output.split())
    assert result.rc != 0
    assert "test add-on did not come up within cluster_addon_timeout (20 s)" in text, text[-3000:]
    assert "Deployment apps/web did not finish rolling out (0 of 1 replicas available)" in text
    assert "on worker1: image registry:5000/missing:1 could not be pulled" in text
    assert 'failed to pull and unpack image "registry:5000/missing:1"' in text


def lookup_playbook(tmp_path, bundle_dir):
    playbook = tmp_path / "lookup.yml"
    playbook.write_text(json.dumps([{"name": "Read", "hosts": "localhost", "gather_facts": False,
                                     "vars": {"ansible_connection": "local"},
                                     "tasks": [{"name": "Read flannel", "ansible.builtin.debug": {
                                         "msg": "{{ lookup('helmsman.kubeadm.addon_manifests', 'flannel', version='v0.28.9', "
                                                "bundle_dir='%s', wantlist=True) | map(attribute='kind') | list }}" % bundle_dir}}]}]))
    return runner.ansible_playbook(str(playbook), "localhost,")


def manifest_bundle(tmp_path, text, source, recorded=None):
    import hashlib
    folder = tmp_path / "bundle"
    path = folder / "manifests" / "flannel" / "v0.28.9" / "kube-flannel.yml"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    sha = recorded or hashlib.sha256(text.encode()).hexdigest()
    (folder / "manifest.yaml").write_text(json.dumps({"apiVersion": "helmsman.kubeadm/v1", "kind": "Bundle", "files": [
        {"path": "manifests/flannel/v0.28.9/kube-flannel.yml", "type": "manifest", "sha256": sha, "source": source}]}))
    return str(folder)


def test_bundle_manifests_are_read_and_tampered_ones_refused(tmp_path):
    text = "kind: Namespace\napiVersion: v1\nmetadata: {name: kube-flannel}\n---\n# only a comment\n"
    good = lookup_playbook(tmp_path, manifest_bundle(tmp_path, text, "https://mirror.example.invalid/kube-flannel.yml"))
    assert good.rc == 0 and '"Namespace"' in good.output, good.output[-2000:]
    tampered = tmp_path / "t"
    tampered.mkdir()
    bad = lookup_playbook(tampered, manifest_bundle(tampered, text, "https://mirror.example.invalid/kube-flannel.yml",
                                                    recorded="0" * 64))
    assert bad.rc != 0 and "expected " + "0" * 64 + "; refusing to apply it" in " ".join(bad.output.split())


def test_a_bundle_copy_claiming_upstreams_url_must_be_upstreams_file(tmp_path):
    from ansible_collections.helmsman.kubeadm.plugins.module_utils import addons
    pinned = addons.ADDONS["flannel"]["v0.28.9"]["files"][0]
    result = lookup_playbook(tmp_path, manifest_bundle(tmp_path, "kind: Namespace\n", pinned["url"]))
    assert result.rc != 0 and "is not the pinned %s; refusing to apply it" % pinned["sha256"] in " ".join(result.output.split())


def test_an_unreachable_api_is_named_and_the_next_run_converges(tmp_path):
    """The API server down during the apply: the failure names the endpoint and the reason; once
    it is back (same address, same CA), the next run applies everything."""
    from tests.emulator import pki
    ca_key, ca_cert = pki.make_ca("kubernetes", "rsa2048")
    emu = Emulator(ca_key=ca_key, ca_cert=ca_cert).start()
    port = emu.port
    kubeconfig = emu.kubeconfig(path=str(tmp_path / "admin.conf"))
    emu.stop()
    down = run(tmp_path, kubeconfig, "registry:5000/good:1")
    text = " ".join(down.output.split())
    assert down.rc != 0
    assert ("test add-on: the Kubernetes API at https://127.0.0.1:%d did not answer (Connection refused) from localhost, "
            'so the apply stopped at "Apply the Namespaces and CRDs (server-side apply) of test add-on"' % port) in text, text[-3000:]
    back = Emulator(port=port, ca_key=ca_key, ca_cert=ca_cert, controllers=True).start()
    back.put_object(node("worker1"))
    kubelet = PodSync(API.from_kubeconfig(kubeconfig), "worker1", "10.0.0.7",
                      FakeRuntime(["registry:5000/good:1", "registry:5000/pause:3.10.1"]), str(tmp_path / "w1"),
                      log=lambda *_: None)
    stop = run_kubelets([kubelet])
    try:
        up = run(tmp_path, kubeconfig, "registry:5000/good:1")
        assert up.rc == 0, up.output[-3000:]
        assert back.get_object("widgets", "w", "apps") is not None
        assert back.get_object("deployments", "web", "apps")["status"]["availableReplicas"] == 1
    finally:
        stop()
        back.stop()
