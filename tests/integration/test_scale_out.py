"""Scale-out and reset on the lab, on a bundle built by playbooks/bundle.yml (the round trip: the
builder's stand-in sources are taken down first, so the lab converges from that bundle alone;
see test_bundle_round_trip.py): a converged cluster (registry, master, one worker) gets a second
worker in the inventory; playbooks/scale.yml prepares and joins that worker and changes nothing on
any other host but the new host's line in every host's /etc/hosts (the runbook's "every cluster
host in /etc/hosts") and the NFS export's clients. Then playbooks/reset.yml (confirmed, limited to
that worker) resets it, and site.yml joins it again and changes nothing on the other hosts, so the
two paths agree. Uses its own lab (containers hk-scale-*), removed at the end."""

import hashlib
import json
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
sys.path.insert(0, os.path.join(ROOT, "tests", "bundle"))
import lab  # noqa: E402  (the one lab definition)
import sources  # noqa: E402  (the bundle builder's stand-in sources)
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
                                     env={"HELMSMAN_BUNDLE_DIR": inventory_dir.bundle})
    assert result.rc == 0, result.output[-7000:]
    return runner.changed_tasks(result.output)


class Inventory(str):
    """The inventory folder, with the bundle the lab converges from."""
    bundle = None


@pytest.fixture()
def inventory_dir(tmp_path, built_bundle):
    with open(os.path.join(ROOT, "inventory", "lab", "docker.yml"), encoding="utf-8") as handle:
        (tmp_path / "docker.yml").write_text(handle.read().replace("== 'lab'", "== '%s'" % LAB))
    os.symlink(os.path.join(ROOT, "inventory", "lab", "group_vars"), str(tmp_path / "group_vars"))
    sources.down()  # from the bundle alone
    lab.down(LAB)
    found = Inventory(str(tmp_path))
    found.bundle = built_bundle["dir"]
    yield found
    lab.down(LAB)


def test_adding_a_worker_joins_only_that_worker(inventory_dir):
    lab.up(LAB, lab.plan(1, []))
    first = site(inventory_dir)
    assert first[lab.container_name(LAB, "worker1")]
    # the private registry serves an image the builder kept as an OCI archive with the digest the
    # bundle recorded (the push kept it)
    with open(os.path.join(inventory_dir.bundle, "manifest.yaml"), encoding="utf-8") as handle:
        kept = [e for e in yaml.safe_load(handle)["files"] if e.get("digest_preserved")]
    pause = [e for e in kept if e["image"].startswith("registry.k8s.io/pause:")][0]
    raw = subprocess.run(["docker", "exec", lab.container_name(LAB, "registry"), "skopeo", "inspect", "--raw", "--tls-verify=false",
                          "docker://127.0.0.1:5000/" + pause["image"].split("/", 1)[1]], check=True, capture_output=True).stdout
    assert "sha256:" + hashlib.sha256(raw).hexdigest() == pause["digest"]
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
