"""Scale-out and reset on the lab: a converged cluster (registry, master, one worker) gets a second
worker in the inventory; playbooks/scale.yml prepares and joins that worker and changes nothing on
any other host but the new host's line in every host's /etc/hosts (the runbook's "every cluster
host in /etc/hosts") and the NFS export's clients. Then playbooks/reset.yml (confirmed, limited to
that worker) resets it, and site.yml joins it again and changes nothing on the other hosts, so the
two paths agree. Uses its own lab (containers hk-scale-*), removed at the end."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
import lab  # noqa: E402  (the one lab definition)
from tests import runner  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.lab]
LAB = "scale"
HOSTS_TASK = "helmsman.kubeadm.base_prep : Cluster hosts in /etc/hosts"
# What the NFS server must learn about a new node: its address among the export's clients.
NFS_TASKS = ["helmsman.kubeadm.nfs_pv : Write ganesha.conf (NFSv4 over TCP only, no NLM, UDP or RQUOTA, so no rpcbind)",
             "helmsman.kubeadm.nfs_pv : Apply a changed configuration now",  # flush_handlers: the restart
             "helmsman.kubeadm.nfs_pv : Restart nfs-ganesha"]


# The add-ons whose hosts a new worker concerns: the pod network and NFS (its export's clients);
# the others run on the cluster, not on hosts, and the cluster scenarios test them.
ADDONS = json.dumps({"cluster_addons": ["flannel", "nfs_pv"]})


def site(inventory_dir, playbook="site.yml", *extra):
    result = runner.ansible_playbook(playbook, inventory_dir, "-e", ADDONS, *extra,
                                     env={"HELMSMAN_BUNDLE_DIR": os.path.join(ROOT, ".cache", "bundle")})
    assert result.rc == 0, result.output[-7000:]
    return runner.changed_tasks(result.output)


@pytest.fixture()
def inventory_dir(tmp_path):
    with open(os.path.join(ROOT, "inventory", "lab", "docker.yml"), encoding="utf-8") as handle:
        (tmp_path / "docker.yml").write_text(handle.read().replace("== 'lab'", "== '%s'" % LAB))
    os.symlink(os.path.join(ROOT, "inventory", "lab", "group_vars"), str(tmp_path / "group_vars"))
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "bundle", "build.py")], check=True, stdout=subprocess.DEVNULL)
    lab.down(LAB)
    yield str(tmp_path)
    lab.down(LAB)


def test_adding_a_worker_joins_only_that_worker(inventory_dir):
    lab.up(LAB, lab.plan(1, []))
    first = site(inventory_dir)
    assert first[lab.container_name(LAB, "worker1")]
    lab.up(LAB, lab.plan(2, []))
    new = lab.container_name(LAB, "worker2")
    second = site(inventory_dir, "playbooks/scale.yml", "-e", "scale_nodes=" + new)
    assert "helmsman.kubeadm.node : Run kubeadm join" in second.pop(new)
    assert "localhost" not in second or second.pop("localhost") == []
    registry = lab.container_name(LAB, "registry")
    assert set(second.pop(registry)) <= set([HOSTS_TASK] + NFS_TASKS)
    assert second and all(tasks in ([], [HOSTS_TASK]) for tasks in second.values()), second
    assert second[lab.container_name(LAB, "master")] == [HOSTS_TASK]  # the new host's name must resolve there
    nodes = subprocess.run(["docker", "exec", lab.container_name(LAB, "master"), "kubectl", "get", "nodes", "-o", "name"],
                           capture_output=True, text=True, check=True).stdout.split()
    assert sorted(nodes) == ["node/master", "node/worker1", "node/worker2"]

    reset = site(inventory_dir, "playbooks/reset.yml", "-e", "reset_confirm=yes", "--limit", new)
    assert "Run kubeadm reset" in reset[new]
    for path in ("/etc/kubernetes/kubelet.conf", "/etc/kubernetes/pki/ca.crt", "/etc/cni/net.d"):
        assert subprocess.run(["docker", "exec", new, "test", "-e", path], check=False).returncode == 1, path
    master_state = subprocess.run(["docker", "exec", lab.container_name(LAB, "master"), "test", "-e",
                                   "/etc/kubernetes/admin.conf"], check=False)
    assert master_state.returncode == 0  # --limit kept the reset to the worker
    # site.yml re-joins it and finds nothing to change on the other hosts, so it agrees with what
    # scale.yml wrote there (/etc/hosts, the NFS export's clients)
    again = site(inventory_dir)
    assert "helmsman.kubeadm.node : Run kubeadm join" in again.pop(new)
    assert all(tasks == [] for tasks in again.values()), again
