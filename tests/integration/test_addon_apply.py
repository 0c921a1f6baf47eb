"""The add-on apply (cluster role, entry point addon) through kubernetes.core against the emulator
with its controllers, and a kubelet double for one node whose runtime knows some images: CRDs
before their resources, one server-side apply, rollout waits, a second run and check mode change
nothing, and a rollout that cannot finish is explained (workload, Pod, node, image)."""

import json
import os
import sys
import threading

import pytest

from tests import runner
from tests.emulator import Emulator

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "simulator"))
from podsync import PodSync  # noqa: E402
from simlib import API  # noqa: E402

from tests.integration.test_workload_status import FakeRuntime, node  # noqa: E402

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
    stop = threading.Event()

    def loop():
        while not stop.wait(0.5):
            try:
                kubelet.sync()
            except Exception:  # the API may be busy; the next round retries
                pass

    threading.Thread(target=loop, daemon=True).start()
    yield emu, kubeconfig
    stop.set()
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
