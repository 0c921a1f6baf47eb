"""The lab: local systemd containers that stand in for the cluster's machines.

This file is the one definition of a lab host. The README's main command, the benchmarks and
every Molecule scenario (through its create/destroy playbooks) start hosts through it, so they
all boot the same image with the same container settings.

    lab.py image                       build the systemd base image if it is absent
    lab.py up   [--lab NAME] [--workers N] [--host NAME:GROUP ...]
    lab.py down [--lab NAME]
    lab.py ls   [--lab NAME]
    lab.py media                       build the installation-media stand-in if it is absent

The lab is air-gapped: its network is an internal docker network (no route out), and every host
loses the base image's OS package source at start. The registry host (and a host given as
NAME:GROUP:media) gets the installation-media stand-in instead: a local APT folder, mounted
read-only, holding the registry host's own tools with their dependencies (what a site's
installation DVD gives it). Everything else the cluster hosts install comes from the bundle.

Hosts carry the labels ``helmsman-kubeadm.lab=<lab>`` and ``helmsman-kubeadm.group=<group>``;
``inventory/lab/docker.yml`` (community.docker.docker_containers) turns them into an inventory.
Every container, network and volume is named with the ``hk-`` prefix.
"""

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

PREFIX = "hk-"
LABEL_LAB = "helmsman-kubeadm.lab"
LABEL_GROUP = "helmsman-kubeadm.group"
SUITE = "bookworm"
# What the base image holds beyond debootstrap's minbase: systemd as PID 1, Python for Ansible
# (python3-apt so the apt module does not install it on every fresh host), and the tools the
# roles expect on any server (kmod for modprobe, iproute2, procps, CA certificates, gnupg).
PACKAGES = [
    "systemd", "systemd-sysv", "dbus", "python3", "python3-apt", "kmod", "iproute2",
    "procps", "ca-certificates", "gnupg", "iptables", "less",
    # module dependencies of this collection on managed hosts (ca_hash, kubeadm_token)
    "python3-cryptography", "python3-cffi-backend", "python3-yaml",
]
# The installation-media stand-in: the registry host's own tools (package_repo, docker_registry),
# and what the base_prep scenario installs on a site without a bundle (IPVS tools, ufw).
MEDIA_PACKAGES = ["nginx-light", "apt-utils", "docker-registry", "skopeo", "python3-passlib",
                  "ipvsadm", "ipset", "ufw"]
MEDIA_MOUNT = "/srv/install-media"

# docker 20.10 cannot grant CAP_SYS_RESOURCE here, so --privileged fails: add every other one.
CAPABILITIES = [
    "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "CHOWN", "DAC_OVERRIDE",
    "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
    "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE",
    "NET_BROADCAST", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYSLOG", "SYS_ADMIN",
    "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO",
    "SYS_TIME", "SYS_TTY_CONFIG", "WAKE_ALARM",
]
# Before systemd starts (we hold CAP_SYS_ADMIN):
# - docker mounts parts of /proc read-only: unmount them, so that net.* sysctls can be written;
# - the host runs cgroup v1 and each host has a private cgroup namespace (with the host's, the
#   kubelet and systemd disagree on where kubepods.slice is): docker mounts the hierarchies
#   read-only, so remount them read-write, and hide the ones the docker host itself does not
#   mount (hugetlb, perf_event, net_cls/net_prio, rdma, misc), so that no Pod cgroup leaks there;
# - make / rshared, so that the kubelet's and the CSI/volume mounts propagate into containers;
# - give the kubelet a resolv.conf pods can use: the host's own names docker's embedded DNS at
#   127.0.0.11, which CoreDNS (handed the kubelet's file) would forward to itself and stop on its
#   loop plugin. The lab is air-gapped, so there is no upstream resolver to name: the file names a
#   documentation address (RFC 5737) that nothing answers, so external names fail at once and
#   cluster names are answered by CoreDNS. The lab inventory points the kubelet at it
#   (resolvConf); a real site has a real resolver.
KUBELET_RESOLV_CONF = "/etc/kubelet-lab-resolv.conf"
ENTRYPOINT = (
    "umount /proc/sys /proc/fs /proc/bus /proc/irq /proc/sysrq-trigger /proc/acpi /proc/kcore "
    "/proc/keys /proc/timer_list /proc/scsi /sys/firmware 2>/dev/null; "
    "mount -o remount,bind,rw /sys/fs/cgroup 2>/dev/null; "
    "for h in hugetlb perf_event net_cls net_prio net_cls,net_prio rdma misc; do "
    "umount /sys/fs/cgroup/$h 2>/dev/null; rmdir /sys/fs/cgroup/$h 2>/dev/null; done; "
    "for d in /sys/fs/cgroup/*; do mountpoint -q $d && mount -o remount,bind,rw $d; done; "
    "mount --make-rshared /; "
    "printf '# helmsman.kubeadm lab: no upstream resolver on the air-gapped network\n"
    "nameserver 192.0.2.53\n' > " + KUBELET_RESOLV_CONF + "; "
    "exec /lib/systemd/systemd"
)


def image_name():
    digest = hashlib.sha256(json.dumps([SUITE, PACKAGES, 3]).encode()).hexdigest()[:10]
    return "%sbase/debian-systemd:%s-%s" % (PREFIX, SUITE, digest)


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "helmsman-kubeadm")


def docker(*args, check=True, capture=True):
    proc = subprocess.run(["docker"] + list(args), check=False, text=True,
                          stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.PIPE if capture else None)
    if check and proc.returncode != 0:
        raise SystemExit("docker %s failed: %s" % (" ".join(args[:2]), (proc.stderr or "").strip()))
    return proc


def ensure_image():
    """Build the base image once (debootstrap, docker import) and cache the rootfs tarball."""
    with cache_lock("base-image"):
        return _ensure_image()


def _ensure_image():
    name = image_name()
    if docker("image", "inspect", name, check=False).returncode == 0:
        return name
    tarball = os.path.join(cache_dir(), name.replace("/", "_").replace(":", "_") + ".tar")
    if not os.path.exists(tarball):
        os.makedirs(cache_dir(), exist_ok=True)
        root = tempfile.mkdtemp(prefix="hk-rootfs-")
        started = time.time()
        print("[lab] debootstrap %s (%d extra packages), a few minutes the first time" % (SUITE, len(PACKAGES)))
        subprocess.run(["debootstrap", "--variant=minbase", "--include=" + ",".join(PACKAGES), SUITE, root],
                       check=True, stdout=subprocess.DEVNULL)
        # Per-container identity is created at boot; downloaded .debs are not part of the image.
        # The package lists stay: apt's cache_valid_time then has a real index to trust.
        with open(os.path.join(root, "etc/machine-id"), "w", encoding="ascii"):
            pass
        archives = os.path.join(root, "var/cache/apt/archives")
        for entry in os.listdir(archives):
            if entry.endswith(".deb"):
                os.unlink(os.path.join(archives, entry))
        # Units that only make sense on real hardware.
        for unit in ("getty@tty1.service", "systemd-udevd.service", "systemd-modules-load.service"):
            os.symlink("/dev/null", os.path.join(root, "etc/systemd/system", unit))
        subprocess.run(["tar", "-C", root, "-cf", tarball + ".part", "."], check=True)
        os.rename(tarball + ".part", tarball)
        shutil.rmtree(root, ignore_errors=True)
        print("[lab] rootfs built in %.0f s, cached at %s" % (time.time() - started, tarball))
    docker("import", "--change", 'CMD ["/lib/systemd/systemd"]', "--change", "ENV container=docker",
           tarball, name)
    print("[lab] imported %s" % name)
    return name


def apt_closure(packages, outdir, index=False):
    """Download ``packages`` and every dependency the base image lacks, as apt resolves them in a
    throwaway base-image container (on docker's default network, with the image's own sources),
    into ``outdir``; with ``index``, also write an APT flat-repository index (Packages)."""
    image = ensure_image()
    os.makedirs(outdir, exist_ok=True)
    script = ["set -e", "apt-get update -qq",
              "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --download-only --no-install-recommends %s >/dev/null"
              % " ".join(packages),
              "cp /var/cache/apt/archives/*.deb /out/"]
    if index:
        script += ["DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends apt-utils >/dev/null",
                   "cd /out && apt-ftparchive packages . > Packages"]
    name = "%sapt-closure-%d" % (PREFIX, os.getpid())
    before = set(os.listdir(outdir))
    docker("run", "--rm", "--name", name, "-v", "%s:/out" % os.path.abspath(outdir), image, "sh", "-c", " && ".join(script))
    return sorted(os.path.join(outdir, f) for f in os.listdir(outdir) if f.endswith(".deb") and f not in before)


@contextlib.contextmanager
def cache_lock(name):
    """An exclusive lock on the cache entry ``name``: labs brought up at once (the suite's
    Molecule lanes) build a missing entry once, the others wait for it."""
    os.makedirs(cache_dir(), exist_ok=True)
    with open(os.path.join(cache_dir(), name + ".lock"), "w", encoding="ascii") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_media():
    """The installation-media stand-in folder (cached; rebuilt when MEDIA_PACKAGES change)."""
    digest = hashlib.sha256(json.dumps([image_name(), MEDIA_PACKAGES]).encode()).hexdigest()[:10]
    with cache_lock("install-media-%s" % digest):
        return _ensure_media(os.path.join(cache_dir(), "install-media-%s" % digest))


def _ensure_media(folder):
    if not os.path.exists(os.path.join(folder, "Packages")):
        shutil.rmtree(folder + ".part", ignore_errors=True)
        started = time.time()
        apt_closure(MEDIA_PACKAGES, folder + ".part", index=True)
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(folder + ".part", folder)
        print("[lab] installation media built in %.0f s at %s" % (time.time() - started, folder))
    return folder


def network_name(lab):
    return "%s%s-net" % (PREFIX, lab)


def container_name(lab, host):
    return "%s%s-%s" % (PREFIX, lab, host)


def run_args(lab, host, group, image, media=None):
    """The docker run arguments of one lab host (the single definition used everywhere)."""
    args = ["run", "-d", "--name", container_name(lab, host), "--hostname", host,
            "--network", network_name(lab), "--network-alias", host,
            "--label", "%s=%s" % (LABEL_LAB, lab), "--label", "%s=%s" % (LABEL_GROUP, group),
            "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
            "--tmpfs", "/run", "--tmpfs", "/run/lock", "--tmpfs", "/tmp",
            "--cgroupns=private", "--device", "/dev/kmsg",
            "--stop-signal", "SIGRTMIN+3", "--env", "container=docker",
            # Container runtimes need a non-overlay filesystem for their own overlay snapshots:
            # anonymous volumes, removed with the container (docker rm -v).
            "-v", "/var/lib/docker", "-v", "/var/lib/containerd", "-v", "/var/lib/kubelet", "-v", "/var/lib/etcd",
            # and NFS exports (nfs-ganesha cannot export a folder on overlayfs)
            "-v", "/srv/nfs"]
    if media:
        args += ["-v", "%s:%s:ro" % (media, MEDIA_MOUNT)]
    for cap in CAPABILITIES:
        args += ["--cap-add", cap]
    args += [image, "/bin/sh", "-c", ENTRYPOINT]
    return args


def plan(workers, extra):
    """[(name, group, media)]: the registry host always has the installation media."""
    hosts = [("registry", "registry", True), ("master", "masters", False)]
    hosts += [("worker%d" % i, "nodes", False) for i in range(1, workers + 1)]
    for item in extra or []:
        name, _sep, rest = item.partition(":")
        group, _sep, flag = rest.partition(":")
        group = group or "ungrouped"
        hosts.append((name, group, flag == "media" or group == "registry"))
    return hosts


def air_gap(name, media):
    """Take the base image's OS package sources away (probing that their host cannot be
    reached), and give the host the installation media when it has it."""
    sources = docker("exec", name, "sh", "-c", "cat /etc/apt/sources.list 2>/dev/null || true").stdout
    mirrors = sorted(set(line.split()[1].split("/")[2] for line in sources.splitlines()
                         if line.startswith("deb ") and "://" in line))
    for mirror in mirrors:
        probe = docker("exec", name, "python3", "-c",
                       "import socket; socket.create_connection((%r, 80), timeout=3)" % mirror, check=False)
        if probe.returncode == 0:
            raise SystemExit("lab host %s reaches %s: the lab network is not air-gapped" % (name, mirror))
    setup = ["mv /etc/apt/sources.list /etc/apt/sources.list.lab-offline 2>/dev/null || true",
             "rm -rf /var/lib/apt/lists/* && mkdir -p /var/lib/apt/lists/partial"]
    if media:
        setup += ["echo 'deb [trusted=yes] file:%s ./' > /etc/apt/sources.list.d/install-media.list" % MEDIA_MOUNT,
                  "apt-get update -qq"]
    docker("exec", name, "sh", "-c", " && ".join(setup))


def wait_running(names, timeout=180):
    """Wait until systemd in every container has finished booting."""
    deadline = time.time() + timeout
    pending = list(names)
    while pending and time.time() < deadline:
        for name in list(pending):
            proc = docker("exec", name, "systemctl", "is-system-running", check=False)
            if proc.stdout.strip() in ("running", "degraded"):
                pending.remove(name)
        if pending:
            time.sleep(0.3)
    if pending:
        raise SystemExit("systemd did not finish booting in: %s (many lab hosts at once need fs.inotify.max_user_instances "
                         "above its default 128: scripts/bootstrap.sh raises it)" % ", ".join(pending))


def up(lab, hosts):
    image = ensure_image()
    media = ensure_media() if any(flag for _host, _group, flag in hosts) else None
    net = docker("network", "inspect", "-f", "{{.Internal}}", network_name(lab), check=False)
    if net.returncode == 0 and net.stdout.strip() != "true":
        down(lab)  # a lab from before the air gap: rebuild it on an internal network
        net = docker("network", "inspect", "-f", "{{.Internal}}", network_name(lab), check=False)
    if net.returncode != 0:
        docker("network", "create", "--internal", "--label", "%s=%s" % (LABEL_LAB, lab), network_name(lab))
    started = []
    for host, group, flag in hosts:
        name = container_name(lab, host)
        state = docker("inspect", "-f", "{{.State.Running}} {{.Config.Image}}", name, check=False)
        if state.returncode == 0 and state.stdout.split() == ["true", image]:
            continue  # running on the current base image: keep it (a re-run must change nothing)
        if state.returncode == 0:
            docker("rm", "-f", "-v", name)
        docker(*run_args(lab, host, group, image, media if flag else None))
        started.append((name, flag))
    names = [container_name(lab, host) for host, _group, _flag in hosts]
    wait_running(names)
    for name, flag in started:
        air_gap(name, flag)
    return names


def members(lab):
    out = docker("ps", "-a", "--filter", "label=%s=%s" % (LABEL_LAB, lab), "--format", "{{.Names}}").stdout
    return sorted(n for n in out.split() if n)


def down(lab):
    names = members(lab)
    if names:
        docker("rm", "-f", "-v", *names)
    if docker("network", "inspect", network_name(lab), check=False).returncode == 0:
        docker("network", "rm", network_name(lab))
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("image", help="build the base image when absent and print its name")
    sub.add_parser("media", help="build the installation-media stand-in when absent and print its folder")
    p_up = sub.add_parser("up", help="start the lab hosts (already running ones are kept)")
    p_up.add_argument("--lab", default="lab")
    p_up.add_argument("--workers", type=int, default=2)
    p_up.add_argument("--host", action="append", metavar="NAME:GROUP[:media]",
                      help="extra host; with --only, the complete host list")
    p_up.add_argument("--only", action="store_true", help="start only the --host entries")
    p_down = sub.add_parser("down", help="remove the lab's containers, volumes and network")
    p_down.add_argument("--lab", default="lab")
    p_ls = sub.add_parser("ls", help="list the lab's containers")
    p_ls.add_argument("--lab", default="lab")
    args = parser.parse_args(argv)

    if args.cmd == "image":
        print(ensure_image())
    elif args.cmd == "media":
        print(ensure_media())
    elif args.cmd == "up":
        if args.only:
            hosts = plan(0, args.host)[2:]
        else:
            hosts = plan(args.workers, args.host)
        print("\n".join(up(args.lab, hosts)))
    elif args.cmd == "down":
        removed = down(args.lab)
        print("removed: %s" % (", ".join(removed) or "nothing"))
    elif args.cmd == "ls":
        print("\n".join(members(args.lab)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
