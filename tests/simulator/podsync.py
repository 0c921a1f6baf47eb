"""The kubelet double's Pod work: for each Pod bound to this node, pull its images with the node's
real container runtime, and report the Pod's status from what the runtime said. Test equipment.

What is real: every image (init containers, containers, and the runtime's sandbox image) is pulled
by the node's containerd (``ctr`` in the ``k8s.io`` namespace with the CRI plugin's registry
``config_path``, so the same hosts.toml, CA and credentials the kubelet's pulls use) or docker
(``docker --config /var/lib/kubelet``: the credentials file the kubelet passes to dockershim);
the ``imageID`` in the status is the digest the runtime reports; a failed pull is
``ErrImagePull`` with the runtime's own error, then ``ImagePullBackOff`` with the kubelet's
back-off (10 s doubling to 300 s).

What is not: containers are not started (the test images are a tiny root file system without a
program). A Pod whose images are all present is reported Running and Ready, or Succeeded when its
restartPolicy is Never or OnFailure (a Job's Pod). One container command is carried out because the
network add-on's correctness depends on it: an init container running ``cp [-f] SRC DST`` (or
flannel's ``install-conf SRC DST``) whose
SRC is in a ConfigMap volume and DST in a hostPath volume (flannel's ``install-cni``, which writes
the CNI configuration that makes the node Ready) copies the ConfigMap key to the host path.
"""

import ipaddress
import json
import os
import re
import subprocess
import time

try:
    import tomllib
except ImportError:  # Python < 3.11 on the host: no sandbox image from the containerd config
    tomllib = None

BACKOFF_START, BACKOFF_MAX = 10, 300


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Runtime:
    """Pulls through the node's container runtime, as the kubelet's CRI calls would."""

    def __init__(self, endpoint, root=""):
        self.root = root
        self.kind = "docker" if (not endpoint or "docker" in endpoint) else "containerd"
        self.hosts_dir, self.sandbox = None, None
        if self.kind == "containerd":
            self._read_containerd_config(root + "/etc/containerd/config.toml")

    def _read_containerd_config(self, path):
        if tomllib is None or not os.path.exists(path):
            return
        with open(path, "rb") as handle:
            config = tomllib.load(handle)
        plugins = config.get("plugins") or {}
        cri = plugins.get("io.containerd.grpc.v1.cri") or {}
        images = plugins.get("io.containerd.cri.v1.images") or {}
        registry = images.get("registry") or cri.get("registry") or {}
        self.hosts_dir = registry.get("config_path")
        self.sandbox = (images.get("pinned_images") or {}).get("sandbox") or cri.get("sandbox_image")

    def _run(self, argv, timeout=180):
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return 1, str(exc)
        return proc.returncode, (proc.stdout + proc.stderr).strip()

    def image_id(self, ref):
        """The runtime's digest for a present image, or None."""
        if self.kind == "docker":
            code, out = self._run(["docker", "image", "inspect", "--format", "{{json .RepoDigests}}", ref], 30)
            if code != 0:
                return None
            digests = json.loads(out or "[]") or []
            return "docker-pullable://" + digests[0] if digests else "docker://" + ref
        code, out = self._run(["ctr", "--namespace", "k8s.io", "images", "ls", "name==" + ref], 30)
        if code != 0:
            return None
        for line in out.splitlines()[1:]:
            fields = line.split()
            if fields and fields[0] == ref:
                digest = next((f for f in fields if f.startswith("sha256:")), None)
                return "%s@%s" % (ref.rsplit(":", 1)[0] if "@" not in ref else ref.split("@")[0], digest)
        return None

    def pull(self, ref):
        """-> (image_id, None) or (None, the runtime's error)."""
        if self.kind == "docker":
            code, out = self._run(["docker", "--config", self.root + "/var/lib/kubelet", "pull", ref])
        else:
            argv = ["ctr", "--namespace", "k8s.io", "images", "pull"]
            if self.hosts_dir:
                argv += ["--hosts-dir", self.hosts_dir]
            code, out = self._run(argv + [ref])
        if code != 0:
            last = [line for line in out.splitlines() if line.strip()][-1:] or ["exit status %d" % code]
            return None, 'failed to pull and unpack image "%s": %s' % (ref, last[0])
        return self.image_id(ref), None


def pull_policy(container):
    policy = container.get("imagePullPolicy")
    if policy:
        return policy
    image = container.get("image", "")
    return "Always" if image.rsplit("/", 1)[-1].count(":") == 0 and "@" not in image or \
        image.endswith(":latest") else "IfNotPresent"


def _volume_path(pod, container, path):
    """-> (volume, path inside it) for a path in the container, through its volumeMounts."""
    volumes = {v["name"]: v for v in (pod.get("spec") or {}).get("volumes") or []}
    best = None
    for mount in container.get("volumeMounts") or []:
        mount_path = mount["mountPath"].rstrip("/")
        if path == mount_path or path.startswith(mount_path + "/"):
            if best is None or len(mount_path) > len(best[1]):
                best = (mount, mount_path)
    if best is None or best[0]["name"] not in volumes:
        return None, None
    rest = path[len(best[1]):].lstrip("/")
    sub = best[0].get("subPath")
    return volumes[best[0]["name"]], (sub + "/" + rest if sub and rest else sub or rest)


# Commands that copy SRC to DST: cp, and flannel's install-conf (v0.28.10 on: SRC DST, written
# atomically, cmd/install_conf).
COPY_COMMANDS = ("cp", "install-conf")


def copy_command(api, pod, container, root=""):
    """Carry out ``cp [-f] SRC DST`` (or ``install-conf SRC DST``) from a ConfigMap volume to a
    hostPath volume; True if done."""
    argv = list(container.get("command") or []) + list(container.get("args") or [])
    if not argv or os.path.basename(argv[0]) not in COPY_COMMANDS:
        return False
    words = [w for w in argv[1:] if not w.startswith("-")]
    if len(words) != 2:
        return False
    src_volume, src_rel = _volume_path(pod, container, words[0])
    dst_volume, dst_rel = _volume_path(pod, container, words[1])
    if not src_volume or "configMap" not in src_volume or not dst_volume or "hostPath" not in dst_volume:
        return False
    items = {i["path"]: i["key"] for i in src_volume["configMap"].get("items") or []}
    key = items.get(src_rel, src_rel) if items else src_rel
    configmap = api.call("GET", "/api/v1/namespaces/%s/configmaps/%s" % (
        pod["metadata"]["namespace"], src_volume["configMap"]["name"]))
    if key not in (configmap.get("data") or {}):
        return False
    target = root + os.path.join(dst_volume["hostPath"]["path"], dst_rel)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(configmap["data"][key])
    return True


class PodSync:
    def __init__(self, api, node, address, runtime, root="", log=print):
        self.api, self.node, self.address, self.runtime, self.root, self.log = api, node, address, runtime, root, log
        self.done = set()  # uids whose status is final here
        self.backoff = {}  # (uid, image) -> (next attempt, delay)
        self.failures = {}  # (uid, image) -> error
        self.pod_cidr = None  # the Node's spec.podCIDR (node IPAM), once assigned
        self.pod_ips = {}  # uid -> address in it (the CNI's allocation)

    def sync(self):
        pods = self.api.call("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3D" + self.node)["items"]
        live = {p["metadata"]["uid"] for p in pods}
        self.done &= live
        self.pod_ips = dict((uid, ip) for uid, ip in self.pod_ips.items() if uid in live)
        for pod in pods:
            if pod["metadata"]["uid"] not in self.done:
                self.sync_pod(pod)

    def _image(self, uid, container, pulled):
        ref = container["image"]
        if ref in pulled:
            return pulled[ref]
        key = (uid, ref)
        present = self.runtime.image_id(ref) if pull_policy(container) != "Always" or key in self.failures else None
        if present:
            pulled[ref] = (present, None)
            return pulled[ref]
        next_try, delay = self.backoff.get(key, (0, BACKOFF_START / 2))
        if time.time() < next_try:
            pulled[ref] = (None, "ImagePullBackOff")
            return pulled[ref]
        image_id, error = self.runtime.pull(ref)
        if error:
            delay = min(delay * 2, BACKOFF_MAX)
            self.backoff[key] = (time.time() + delay, delay)
            self.failures[key] = error
            self.log('Failed to pull image "%s": %s' % (ref, error))
            pulled[ref] = (None, "ErrImagePull")
        else:
            self.backoff.pop(key, None)
            self.failures.pop(key, None)
            self.log('Successfully pulled image "%s"' % ref)
            pulled[ref] = (image_id, None)
        return pulled[ref]

    def sync_pod(self, pod):
        uid, spec = pod["metadata"]["uid"], pod.get("spec") or {}
        pulled = {}
        if self.runtime.sandbox:
            sandbox = self._image(uid, {"image": self.runtime.sandbox, "imagePullPolicy": "IfNotPresent"}, pulled)
            if sandbox[1]:
                return self._report(pod, self._waiting_sandbox(pod, self.runtime.sandbox, sandbox[1]), final=False)
        init_statuses, blocked = [], False
        for container in spec.get("initContainers") or []:
            if blocked:
                init_statuses.append(self._waiting(container, "PodInitializing", None))
                continue
            image_id, problem = self._image(uid, container, pulled)
            if problem:
                init_statuses.append(self._waiting(container, problem, self._message(uid, container["image"], problem)))
                blocked = True
                continue
            try:
                copy_command(self.api, pod, container, self.root)
            except Exception as exc:  # the ConfigMap may not exist yet: retried next round
                self.log("init container %s: %s" % (container["name"], exc))
                return None
            init_statuses.append(self._terminated(container, image_id))
        statuses = []
        for container in spec.get("containers") or []:
            if blocked:
                statuses.append(self._waiting(container, "PodInitializing", None))
                continue
            image_id, problem = self._image(uid, container, pulled)
            if problem:
                statuses.append(self._waiting(container, problem, self._message(uid, container["image"], problem)))
            else:
                statuses.append(self._running(container, image_id) if spec.get("restartPolicy", "Always") == "Always"
                                else self._terminated(container, image_id))
        waiting = [s for s in init_statuses + statuses if "waiting" in s["state"]]
        completes = spec.get("restartPolicy", "Always") != "Always"
        phase = "Pending" if waiting else ("Succeeded" if completes else "Running")
        ready = "True" if phase == "Running" else "False"
        stamp = now()
        status = {
            "phase": phase, "hostIP": self.address, "hostIPs": [{"ip": self.address}],
            "startTime": (pod.get("status") or {}).get("startTime") or stamp,
            "conditions": [
                {"type": "Initialized", "status": "False" if blocked else "True"},
                {"type": "Ready", "status": ready},
                {"type": "ContainersReady", "status": ready},
                {"type": "PodScheduled", "status": "True"}],
            "containerStatuses": statuses}
        if init_statuses:
            status["initContainerStatuses"] = init_statuses
        if spec.get("hostNetwork"):
            status["podIP"], status["podIPs"] = self.address, [{"ip": self.address}]
        elif not blocked:
            address = self._pod_ip(pod)
            if address:
                status["podIP"], status["podIPs"] = address, [{"ip": address}]
        if phase == "Succeeded":
            for cond in status["conditions"][1:3]:
                cond["reason"] = "PodCompleted"
        elif waiting:
            for cond in status["conditions"][1:3]:
                cond["reason"] = "ContainersNotReady"
                cond["message"] = "containers with unready status: [%s]" % " ".join(
                    s["name"] for s in statuses if not s["ready"])
        return self._report(pod, status, final=not waiting)

    def _pod_ip(self, pod):
        """The Pod's address in the Node's podCIDR, as the CNI plugin hands them out (kept once
        given; none while the Node has no podCIDR)."""
        uid = pod["metadata"]["uid"]
        held = (pod.get("status") or {}).get("podIP")
        if held and held != self.address:
            self.pod_ips.setdefault(uid, held)
        if uid in self.pod_ips:
            return self.pod_ips[uid]
        if self.pod_cidr is None:
            self.pod_cidr = (self.api.call("GET", "/api/v1/nodes/" + self.node).get("spec") or {}).get("podCIDR")
            if not self.pod_cidr:
                self.pod_cidr = None
                return None
        taken = set(self.pod_ips.values())
        hosts = ipaddress.ip_network(self.pod_cidr).hosts()
        next(hosts)  # .1 is the node's bridge
        for candidate in hosts:
            if str(candidate) not in taken:
                self.pod_ips[uid] = str(candidate)
                return str(candidate)
        return None

    def _message(self, uid, ref, problem):
        if problem == "ImagePullBackOff":  # recent kubelets append the last pull error
            last = self.failures.get((uid, ref))
            return 'Back-off pulling image "%s"%s' % (ref, ": ErrImagePull: " + last if last else "")
        return self.failures.get((uid, ref))

    @staticmethod
    def _waiting(container, reason, message):
        state = {"reason": reason}
        if message:
            state["message"] = message
        return {"name": container["name"], "image": container["image"], "imageID": "", "ready": False,
                "started": False, "restartCount": 0, "state": {"waiting": state}}

    def _waiting_sandbox(self, pod, ref, problem):
        message = self._message(pod["metadata"]["uid"], ref, problem) or problem
        return {"phase": "Pending", "hostIP": self.address, "conditions": [
            {"type": "PodReadyToStartContainers", "status": "False"},
            {"type": "Ready", "status": "False", "reason": "ContainersNotReady"},
            {"type": "PodScheduled", "status": "True"}],
            "containerStatuses": [self._waiting(c, "ContainerCreating", None)
                                  for c in (pod.get("spec") or {}).get("containers") or []],
            "message": "Failed to create pod sandbox: %s" % message}

    @staticmethod
    def _running(container, image_id):
        return {"name": container["name"], "image": container["image"], "imageID": image_id, "ready": True,
                "started": True, "restartCount": 0, "state": {"running": {"startedAt": now()}}}

    @staticmethod
    def _terminated(container, image_id):
        stamp = now()
        return {"name": container["name"], "image": container["image"], "imageID": image_id, "ready": False,
                "started": False, "restartCount": 0,
                "state": {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": stamp, "finishedAt": stamp}}}

    def _report(self, pod, status, final):
        old = pod.get("status") or {}

        def comparable(value):
            return json.loads(re.sub(r'"(startedAt|finishedAt|startTime)": "[^"]*"', r'"\1": ""', json.dumps(value)))

        if comparable(old) != comparable(status):
            body = dict(pod, status=status)
            body["metadata"] = {k: v for k, v in pod["metadata"].items() if k != "resourceVersion"}
            self.api.call("PUT", "/api/v1/namespaces/%s/pods/%s/status" % (
                pod["metadata"]["namespace"], pod["metadata"]["name"]), body)
            self.log("pod %s/%s: %s" % (pod["metadata"]["namespace"], pod["metadata"]["name"], status["phase"]))
        if final:
            self.done.add(pod["metadata"]["uid"])
        return status
