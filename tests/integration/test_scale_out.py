"""The site on the lab (real Kubernetes, tests/kubernetes), from a bundle built by playbooks/bundle.yml (the round trip: the builder's
stand-in sources are taken down first, so the lab converges from that bundle alone; see
test_bundle_round_trip.py), through faults, scale-out and reset. Uses its own lab (containers
hk-scale-*), removed at the end.

1. Faults during the first converge (registry, master, one worker): the run is killed at random
   points (SIGKILL to ansible-playbook: a controller that crashed) in the host layer, the
   runtime, kubeadm init, kubeadm join, the pod network's apply and the NFS server, and the
   registry is restarted while it is being seeded. The next run converges and the run after
   reports changed=0. The seed is printed (HK_FAULT_SEED=<n> replays the same points).
2. Scale-out: a second worker in the inventory; playbooks/scale.yml prepares and joins it and
   changes nothing on any other host but the new host's line in every /etc/hosts (the runbook's
   "every cluster host in /etc/hosts") and the NFS export's clients.
3. Reset: playbooks/reset.yml (confirmed, limited to that worker, after a Pod ran there) resets it.
4. kubeadm init that stopped half-way: kubeadm-config and cluster-info deleted (what init's
   phases after the control plane answers leave); the next run finishes those phases on the
   master alone (and the exclusive join-token step deletes the token init's phase made).
5. A worker down during the join run (the same run as 4): site.yml with that worker paused reports it (failed or
   unreachable) and finishes on every other host, changing nothing there: they keep its
   /etc/hosts line and its NFS export client (recalled from the block an earlier run wrote). The
   next site.yml joins it and changes nothing on the other hosts, and a Pod starts on it (its new
   pod CIDR on a fresh bridge).
After each step the registry's content, a file on the NFS export and the bootstrap token are
what they were: nothing lost, the token reused, never re-minted."""

import hashlib
import json
import os
import random
import subprocess
import sys
import threading

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
sys.path.insert(0, os.path.join(ROOT, "tests", "bundle"))
import lab  # noqa: E402  (the one lab definition)
import sources  # noqa: E402  (the bundle builder's stand-in sources)
from tests import runner  # noqa: E402
from ansible_collections.helmsman.kubeadm.plugins.module_utils import images, kube_versions  # noqa: E402

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
    # the lab's settings, real Kubernetes included (the round trip's bundle is built for it)
    (tmp_path / "group_vars" / "all").mkdir(parents=True)
    for name in ("main.yml", "real_kubernetes.yml"):
        os.symlink(os.path.join(ROOT, "inventory", "lab", "group_vars", "all", name), str(tmp_path / "group_vars" / "all" / name))
    sources.down()  # from the bundle alone
    lab.down(LAB)
    found = Inventory(str(tmp_path))
    found.bundle = built_bundle["dir"]
    yield found
    lab.down(LAB)


# Where the first converge is killed, in this order, each at a random task of its part (the
# run is killed some seconds after that task starts): (part, task name prefix, at most how many
# of the part's tasks to let start before, seconds after).
KILL_POINTS = [
    ("host layer", "helmsman.kubeadm.base_prep : ", 12, 2.0),
    ("container runtime", "helmsman.kubeadm.container_runtime : ", 8, 2.0),
    ("kubeadm init", "helmsman.kubeadm.master : Run kubeadm init", 1, 4.0),
    ("kubeadm join", "helmsman.kubeadm.node : Run kubeadm join", 1, 3.0),
    ("pod network apply", "helmsman.kubeadm.cluster : Apply the other objects (server-side apply) of flannel", 1, 1.0),
    ("NFS server", "helmsman.kubeadm.nfs_pv : ", 10, 1.0),
]
FINISH_TASK = "helmsman.kubeadm.master : Finish the kubeadm init that stopped half-way (its last phases)"
JOIN_TOKEN_TASK = "helmsman.kubeadm.master : Ensure the bootstrap token for joining nodes"
SEED_TASK = "helmsman.kubeadm.docker_registry : Push the images the registry does not have yet"


def docker_exec(host, *argv):
    done = subprocess.run(["docker", "exec", lab.container_name(LAB, host)] + list(argv), capture_output=True, text=True, check=False)
    assert done.returncode == 0, "%s on %s: rc=%d\n%s%s" % (" ".join(argv), host, done.returncode, done.stdout, done.stderr)
    return done.stdout


def converge_through_faults(inventory_dir):
    """Kill the converge at each KILL_POINTS part (a random task of it, a random delay), restart
    the registry during the seeding; returns the kill points hit, as (part, task)."""
    seed = int(os.environ.get("HK_FAULT_SEED") or random.SystemRandom().randrange(1 << 30))
    print("fault seed: HK_FAULT_SEED=%d" % seed)
    rng = random.Random(seed)
    pending = [(part, prefix, rng.randint(1, most), rng.uniform(0, most_delay)) for part, prefix, most, most_delay in KILL_POINTS]
    hit, restarted = [], []
    for _attempt in range(len(KILL_POINTS) + 3):
        if not pending:
            break
        seen = {}

        def watch(task):
            if task == SEED_TASK and not restarted:
                # the registry and its seeding instance restart while the push runs
                delay = rng.uniform(0.5, 2.0)
                threading.Timer(delay, docker_exec, ("registry", "systemctl", "restart", "docker-registry",
                                                     "helmsman-registry-seed")).start()
                restarted.append(delay)
            part, prefix, nth, delay = pending[0]
            if task.startswith(prefix):
                seen[part] = seen.get(part, 0) + 1
                if seen[part] == nth:
                    hit.append((part, task))
                    pending.pop(0)
                    return delay
            return None
        result = runner.ansible_playbook_watched("site.yml", inventory_dir, "-e", ADDONS, watch=watch,
                                                 env={"HELMSMAN_BUNDLE_DIR": inventory_dir.bundle})
        if result.rc == 0:
            pending = []  # the run got through before the next point was reached
        elif result.rc != -9:
            # a failure caused by the restarted registry is reported, and the next run goes on
            assert restarted and "registry" in result.output.lower(), result.output[-6000:]
    assert restarted, "the seeding never ran"
    assert len(hit) >= 5, hit
    return hit


def state(inventory_dir):
    """What must survive every step: the registry's repositories, the NFS file, the bootstrap tokens."""
    catalog = json.loads(docker_exec("registry", "python3", "-c", "import urllib.request; print(urllib.request.urlopen("
                                     "'http://127.0.0.1:5000/v2/_catalog?n=1000').read().decode())"))["repositories"]
    nfs = docker_exec("registry", "cat", "/srv/nfs/k8s/hk-fault-marker")
    tokens = docker_exec("master", "kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf", "-n", "kube-system", "get", "secrets",
                         "--field-selector", "type=bootstrap.kubernetes.io/token", "-o", "name").split()
    return {"catalog": sorted(catalog), "nfs": nfs, "tokens": sorted(tokens)}


def run_pod_on(node):
    """A Pod pinned to ``node`` (the sandbox image from the private registry, which only waits)
    until it is Ready: its sandbox is on the pod network (flannel's bridge on that node). Deleted
    again after."""
    kubectl = ["kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf", "-n", "default"]
    proxy = docker_exec("master", *kubectl[:3], "-n", "kube-system", "get", "daemonset", "kube-proxy",
                        "-o=jsonpath={.spec.template.spec.containers[0].image}")
    image = "%s/pause:%s" % (proxy.rsplit("/", 1)[0], kube_versions.pause_tag(sources.KUBERNETES))
    docker_exec("master", *kubectl, "run", "hk-probe", "--restart=Never", "--image=" + image,
                "--overrides=" + json.dumps({"apiVersion": "v1", "spec": {"nodeName": node}}))
    try:
        docker_exec("master", *kubectl, "wait", "--for=condition=Ready", "pod/hk-probe", "--timeout=180s")
    finally:
        docker_exec("master", *kubectl, "delete", "pod", "hk-probe", "--wait=true")


def test_faults_scale_out_and_reset(inventory_dir):
    lab.up(LAB, lab.plan(1, []))
    hit = converge_through_faults(inventory_dir)
    print("killed at: %s" % "; ".join("%s (%s)" % point for point in hit))
    site(inventory_dir)  # converges (site() asserts the run succeeded)
    again = site(inventory_dir)
    assert all(tasks == [] for tasks in again.values()), again  # changed=0 after the faults
    nodes = docker_exec("master", "kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf", "get", "nodes", "-o", "name").split()
    assert sorted(nodes) == ["node/master", "node/worker1"]
    docker_exec("registry", "sh", "-c", "echo kept > /srv/nfs/k8s/hk-fault-marker")
    before = state(inventory_dir)
    with open(os.path.join(inventory_dir.bundle, "manifest.yaml"), encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)["files"]
    # every image of the bundle is in the registry, under its path without the source registry
    assert sorted(set(images.parse(e["image"])[1] for e in entries if e["type"] == "image")) == before["catalog"]
    assert before["nfs"] == "kept\n" and before["tokens"]
    # the private registry serves an image the builder kept as an OCI archive with the digest the
    # bundle recorded (the push kept it)
    pause = [e for e in entries if e.get("digest_preserved") and e["image"].startswith("registry.k8s.io/pause:")][0]
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
    nodes = docker_exec("master", "kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf", "get", "nodes", "-o", "name").split()
    assert sorted(nodes) == ["node/master", "node/worker1", "node/worker2"]
    assert state(inventory_dir) == before
    run_pod_on("worker2")  # its pod network bridge now exists, with this Node's pod CIDR

    reset = site(inventory_dir, "playbooks/reset.yml", "-e", "reset_confirm=yes", "--limit", new)
    assert "Run kubeadm reset" in reset[new]
    for path in ("/etc/kubernetes/kubelet.conf", "/etc/kubernetes/pki/ca.crt", "/etc/cni/net.d/10-flannel.conflist"):
        assert subprocess.run(["docker", "exec", new, "test", "-e", path], check=False).returncode == 1, path
    # the CNI folder stays, emptied: the container runtime watches it (reset.yml)
    cni = subprocess.run(["docker", "exec", new, "ls", "-A", "/etc/cni/net.d"], check=False, capture_output=True, text=True)
    assert cni.returncode == 0 and cni.stdout == "", cni
    # and the pod network's bridge and vxlan device, which kubeadm reset leaves, are gone
    for link in ("cni0", "flannel.1"):
        assert subprocess.run(["docker", "exec", new, "ip", "link", "show", link], check=False, capture_output=True).returncode != 0, link
    master_state = subprocess.run(["docker", "exec", lab.container_name(LAB, "master"), "test", "-e",
                                   "/etc/kubernetes/admin.conf"], check=False)
    assert master_state.returncode == 0  # --limit kept the reset to the worker

    # kubeadm init that stopped half-way (after the control plane answered, before its last
    # phases: over SSH the remote init can die with the controller's session): what those phases
    # leave is gone, and the next run (below) runs them, on the master alone
    kubectl = ["kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf"]
    docker_exec("master", *kubectl, "-n", "kube-system", "delete", "configmap", "kubeadm-config")
    docker_exec("master", *kubectl, "-n", "kube-public", "delete", "configmap", "cluster-info")

    # the worker is down during the join run: reported, and every other host finishes
    subprocess.run(["docker", "pause", new], check=True)
    try:
        down = runner.ansible_playbook("site.yml", inventory_dir, "-e", ADDONS, env={"HELMSMAN_BUNDLE_DIR": inventory_dir.bundle})
    finally:
        subprocess.run(["docker", "unpause", new], check=True)
    counts = runner.recap(down.output)
    # (over SSH a host that is down is UNREACHABLE; over the lab's docker connection the first task
    # on a paused container fails)
    assert down.rc != 0 and counts[new]["unreachable"] + counts[new]["failed"] >= 1, down.output[-4000:]
    assert "fatal: [%s]" % new in down.output or "UNREACHABLE" in down.output
    assert all(c["failed"] == 0 and c["unreachable"] == 0 for host, c in counts.items() if host != new), (counts, down.output[-8000:])
    assert "TASK [Say where everything is]" in down.output  # the closing summary still comes
    assert "Did not answer this run: %s." % new in down.output  # and names it
    # the master finished init's last phases; the others kept the down worker (its /etc/hosts line
    # and its NFS client entry): nothing else changed
    kept = runner.changed_tasks(down.output)
    # (init's bootstrap-token phase makes init's own 24-hour token; the join-token step, exclusive
    # by default, deletes it again and keeps the collection's)
    assert kept.pop(lab.container_name(LAB, "master")) == [FINISH_TASK, JOIN_TOKEN_TASK], down.output[-4000:]
    assert all(tasks == [] for host, tasks in kept.items() if host != new), kept
    for namespace, name in (("kube-system", "kubeadm-config"), ("kube-public", "cluster-info")):
        docker_exec("master", *kubectl, "-n", namespace, "get", "configmap", name)
    assert state(inventory_dir) == before
    address = subprocess.run(["docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", new],
                             check=True, capture_output=True, text=True).stdout.strip()
    assert "%s %s" % (address, new) in docker_exec("master", "cat", "/etc/hosts")
    assert address in docker_exec("registry", "cat", "/etc/ganesha/ganesha.conf")
    # the next site.yml joins it and changes nothing on the other hosts
    again = site(inventory_dir)
    assert "helmsman.kubeadm.node : Run kubeadm join" in again.pop(new)
    assert all(tasks == [] for tasks in again.values()), again
    # the re-joined Node has another pod CIDR, and Pods start there (reset.yml deleted the bridge
    # that carried the old one)
    run_pod_on("worker2")
    assert state(inventory_dir) == before
    # and the run after changes nothing anywhere
    assert all(tasks == [] for tasks in site(inventory_dir).values())
