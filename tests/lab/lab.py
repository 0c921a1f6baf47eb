"""The lab: local systemd containers that stand in for the cluster's machines.

This file is the one definition of a lab host. The README's main command, the benchmarks and
every Molecule scenario (through its create/destroy playbooks) start hosts through it, so they
all boot the same image with the same container settings.

    lab.py image                       build the systemd base image if it is absent
    lab.py up   [--lab NAME] [--workers N] [--host NAME:GROUP ...]
    lab.py down [--lab NAME]
    lab.py ls   [--lab NAME]

Hosts carry the labels ``helmsman-kubeadm.lab=<lab>`` and ``helmsman-kubeadm.group=<group>``;
``inventory/lab/docker.yml`` (community.docker.docker_containers) turns them into an inventory.
Every container, network and volume is named with the ``hk-`` prefix.
"""

import argparse
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
# docker 20.10 cannot grant CAP_SYS_RESOURCE here, so --privileged fails: add every other one.
CAPABILITIES = [
    "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "CHOWN", "DAC_OVERRIDE",
    "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
    "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE",
    "NET_BROADCAST", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYSLOG", "SYS_ADMIN",
    "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO",
    "SYS_TIME", "SYS_TTY_CONFIG", "WAKE_ALARM",
]
# Docker mounts parts of /proc read-only; unmount them (we hold CAP_SYS_ADMIN) so that
# net.* sysctls can be written, then hand PID 1 to systemd.
ENTRYPOINT = (
    "umount /proc/sys /proc/fs /proc/bus /proc/irq /proc/sysrq-trigger /proc/acpi /proc/kcore "
    "/proc/keys /proc/timer_list /proc/scsi /sys/firmware 2>/dev/null; exec /lib/systemd/systemd"
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


def network_name(lab):
    return "%s%s-net" % (PREFIX, lab)


def container_name(lab, host):
    return "%s%s-%s" % (PREFIX, lab, host)


def run_args(lab, host, group, image):
    """The docker run arguments of one lab host (the single definition used everywhere)."""
    args = ["run", "-d", "--name", container_name(lab, host), "--hostname", host,
            "--network", network_name(lab), "--network-alias", host,
            "--label", "%s=%s" % (LABEL_LAB, lab), "--label", "%s=%s" % (LABEL_GROUP, group),
            "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
            "--tmpfs", "/run", "--tmpfs", "/run/lock", "--tmpfs", "/tmp",
            "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--cgroupns=host",
            "--stop-signal", "SIGRTMIN+3", "--env", "container=docker",
            # Container runtimes need a non-overlay filesystem for their own overlay snapshots:
            # anonymous volumes, removed with the container (docker rm -v).
            "-v", "/var/lib/docker", "-v", "/var/lib/containerd"]
    for cap in CAPABILITIES:
        args += ["--cap-add", cap]
    args += [image, "/bin/sh", "-c", ENTRYPOINT]
    return args


def plan(workers, extra):
    hosts = [("registry", "registry"), ("master", "masters")]
    hosts += [("worker%d" % i, "nodes") for i in range(1, workers + 1)]
    for item in extra or []:
        name, _sep, group = item.partition(":")
        hosts.append((name, group or "ungrouped"))
    return hosts


def wait_running(names, timeout=60):
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
        raise SystemExit("systemd did not finish booting in: %s" % ", ".join(pending))


def up(lab, hosts):
    image = ensure_image()
    if docker("network", "inspect", network_name(lab), check=False).returncode != 0:
        docker("network", "create", "--label", "%s=%s" % (LABEL_LAB, lab), network_name(lab))
    for host, group in hosts:
        name = container_name(lab, host)
        state = docker("inspect", "-f", "{{.State.Running}} {{.Config.Image}}", name, check=False)
        if state.returncode == 0 and state.stdout.split() == ["true", image]:
            continue  # running on the current base image: keep it (a re-run must change nothing)
        if state.returncode == 0:
            docker("rm", "-f", "-v", name)
        docker(*run_args(lab, host, group, image))
    names = [container_name(lab, host) for host, _group in hosts]
    wait_running(names)
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
    p_up = sub.add_parser("up", help="start the lab hosts (already running ones are kept)")
    p_up.add_argument("--lab", default="lab")
    p_up.add_argument("--workers", type=int, default=2)
    p_up.add_argument("--host", action="append", metavar="NAME:GROUP",
                      help="extra host; with --only, the complete host list")
    p_up.add_argument("--only", action="store_true", help="start only the --host entries")
    p_down = sub.add_parser("down", help="remove the lab's containers, volumes and network")
    p_down.add_argument("--lab", default="lab")
    p_ls = sub.add_parser("ls", help="list the lab's containers")
    p_ls.add_argument("--lab", default="lab")
    args = parser.parse_args(argv)

    if args.cmd == "image":
        print(ensure_image())
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
