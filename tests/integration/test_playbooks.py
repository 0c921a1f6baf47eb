"""The modules through ansible-playbook (AnsiballZ, no_log, -vvv), as the roles will run them."""

import os
import re
import sys

import pytest

from tests import csr_cases, runner
from tests.integration.test_csr_approve_api import submit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOKS = os.path.join(ROOT, "tests", "integration", "playbooks")
pytestmark = pytest.mark.slow


def playbook(name, extra_vars, *flags):
    args = ["-e", "ansible_python_interpreter=%s" % sys.executable]
    for key, value in extra_vars.items():
        args += ["-e", "%s=%s" % (key, value)]
    result = runner.ansible_playbook(os.path.join(PLAYBOOKS, name), "localhost,", *(args + list(flags)))
    assert result.rc == 0, result.output[-6000:]
    return result.output


def recap(output):
    match = re.search(r"localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", output)
    return {"ok": int(match.group(1)), "changed": int(match.group(2)), "failed": int(match.group(4))}


def test_token_twice_with_vvv_never_prints_the_secret(emulator, admin_kubeconfig, kubeadm, tmp_path):
    out = tmp_path / "join.txt"
    extra = {"test_kubeconfig": admin_kubeconfig, "test_kubeadm": kubeadm, "test_out": str(out)}
    first = playbook("token.yml", extra, "-vvv")
    command = out.read_text()
    token = command.split()[4]
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    second = playbook("token.yml", extra, "-vvv")
    assert recap(first)["changed"] == 2 and recap(second)["changed"] == 0
    assert out.read_text() == command, "the second run must return the same token"
    secret = token.split(".")[1]
    for output in (first, second):
        assert secret not in output
        assert token.split(".")[0] in output  # the public id is shown: the check above is not vacuous
    assert "--discovery-token-ca-cert-hash sha256:" in command


def test_csr_approve_through_ansible(cluster_with_csrs, admin_kubeconfig):
    extra = {"test_kubeconfig": admin_kubeconfig}
    first = playbook("csr.yml", extra)
    second = playbook("csr.yml", extra, "--check")
    third = playbook("csr.yml", extra)
    assert recap(first)["changed"] == 1
    assert recap(second)["changed"] == 0 and recap(third)["changed"] == 0
    issued = [c for c in cluster_with_csrs.list_objects("certificatesigningrequests") if c["status"].get("certificate")]
    assert sorted(c["spec"]["username"] for c in issued) == ["system:node:worker1", "system:node:worker2"]


def test_node_labels_and_taints_through_kubernetes_core(emulator, admin_kubeconfig):
    """--check --diff is a server-side dry run (the Node is untouched, the diff shows the change),
    the real run patches only what is missing (other labels and taints stay), the next changes nothing."""
    emulator.put_object({"apiVersion": "v1", "kind": "Node",
                         "metadata": {"name": "worker1", "labels": {"kubernetes.io/hostname": "worker1", "tier": "db"}},
                         "spec": {"taints": [{"key": "dedicated", "value": "old", "effect": "NoSchedule"},
                                             {"key": "gpu", "effect": "NoExecute"}]}})
    before = emulator.get_object("nodes", "worker1")
    extra = {"test_kubeconfig": admin_kubeconfig}
    checked = playbook("node_labels.yml", extra, "--check", "--diff")
    assert recap(checked)["changed"] == 1
    assert emulator.get_object("nodes", "worker1") == before
    assert re.search(r'^\+\s+"tier": "web"', checked, re.M) and re.search(r'^-\s+"tier": "db"', checked, re.M), checked[-3000:]
    assert playbook("node_labels.yml", extra)
    node = emulator.get_object("nodes", "worker1")
    assert node["metadata"]["labels"] == {"kubernetes.io/hostname": "worker1", "tier": "web", "node-role.kubernetes.io/edge": ""}
    assert node["spec"]["taints"] == [{"key": "dedicated", "value": "edge", "effect": "NoSchedule"},
                                      {"key": "gpu", "effect": "NoExecute"}]
    assert recap(playbook("node_labels.yml", extra))["changed"] == 0


@pytest.fixture
def cluster_with_csrs(emulator, tmp_path):
    for name in csr_cases.NODES:
        emulator.put_object(csr_cases.node_object(name))
    for c in csr_cases.GENUINE[:2] + [c for c in csr_cases.FORGED if csr_cases.in_shared_cluster(c)]:
        submit(emulator, c, tmp_path)
    return emulator
