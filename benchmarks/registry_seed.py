"""Registry seeding vs the physical floor: time to push a bundle's image archives into the
registry (helmsman.kubeadm.registry_images, skopeo) against a raw copy of the same tarball bytes
on the same disk (cp + sync). Prints the figures and the ratio; asserts nothing.

    .venv/bin/python benchmarks/registry_seed.py [--images 3] [--mib 64]

Builds large throwaway images (random content, docker import + docker save), starts one lab host
(hk-seedbench-registry) with the docker_registry role, and removes everything at the end.
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

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
import lab  # noqa: E402

LAB = "seedbench"
HOST = lab.container_name(LAB, "registry")


def sh(*argv, **kwargs):
    return subprocess.run(list(argv), check=True, capture_output=True, text=True, **kwargs).stdout


def build_bundle(folder, count, mib):
    os.makedirs(os.path.join(folder, "images"))
    entries = []
    for index in range(count):
        ref = "registry.k8s.io/bench/image%d:v1" % index
        root = tempfile.mkdtemp(prefix="hk-bench-rootfs-")
        with open(os.path.join(root, "blob"), "wb") as handle:
            handle.write(os.urandom(mib * 1024 * 1024))
        subprocess.run("tar -C %s -c . | docker import - %s" % (root, ref), shell=True, check=True,
                       stdout=subprocess.DEVNULL)
        shutil.rmtree(root)
        path = os.path.join(folder, "images", "image%d.tar" % index)
        sh("docker", "save", "-o", path, ref)
        sh("docker", "rmi", ref)
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
        entries.append({"path": "images/image%d.tar" % index, "type": "image", "sha256": digest, "image": ref})
    with open(os.path.join(folder, "manifest.yaml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump({"apiVersion": "helmsman.kubeadm/v1", "kind": "Bundle", "files": entries}, handle)
    return entries


def ansible(args):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    return subprocess.run([os.path.join(ROOT, ".venv", "bin", "ansible")] + args, env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--images", type=int, default=3)
    parser.add_argument("--mib", type=int, default=64)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="hk-seedbench-")
    try:
        entries = build_bundle(os.path.join(work, "bundle"), args.images, args.mib)
        total = sum(os.path.getsize(os.path.join(work, "bundle", e["path"])) for e in entries)
        lab.down(LAB)
        lab.up(LAB, [("registry", "registry", True)])
        inventory = os.path.join(work, "hosts.yml")
        with open(inventory, "w", encoding="utf-8") as handle:
            yaml.safe_dump({"all": {"children": {"registry": {"hosts": {HOST: {
                "ansible_connection": "community.docker.docker", "ansible_python_interpreter": "/usr/bin/python3"}}}}}},
                handle)
        # Install and start the registry (no bundle yet), then place the archives on the host.
        setup = subprocess.run([os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), "-i", inventory, "/dev/stdin"],
                               input=yaml.safe_dump([{"name": "Registry", "hosts": "registry", "roles": [
                                   {"role": "helmsman.kubeadm.docker_registry",
                                    "vars": {"cluster_registry_host": "localhost"}}]}]),
                               env=dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg")),
                               capture_output=True, text=True, cwd=ROOT, check=False)
        if setup.returncode != 0:
            raise SystemExit(setup.stdout[-3000:])
        sh("docker", "exec", HOST, "mkdir", "-p", "/var/lib/bench/archives", "/var/lib/bench/raw")
        for entry in entries:
            sh("docker", "cp", os.path.join(work, "bundle", entry["path"]), HOST + ":/var/lib/bench/archives/")
        sh("docker", "exec", HOST, "sync")

        started = time.time()
        sh("docker", "exec", HOST, "sh", "-c", "cp /var/lib/bench/archives/*.tar /var/lib/bench/raw/ && sync")
        raw = time.time() - started

        images = [{"archive": "/var/lib/bench/archives/" + os.path.basename(e["path"]),
                   "name": "localhost:5000/bench/%s" % e["image"].split("/bench/")[1]} for e in entries]
        started = time.time()
        result = ansible(["all", "-i", inventory, "-m", "helmsman.kubeadm.registry_images",
                          "-a", json.dumps({"images": images, "tls_verify": False})])
        sh("docker", "exec", HOST, "sync")
        seed = time.time() - started
        if result.returncode != 0:
            raise SystemExit(result.stdout[-3000:])
        started = time.time()
        again = ansible(["all", "-i", inventory, "-m", "helmsman.kubeadm.registry_images",
                         "-a", json.dumps({"images": images, "tls_verify": False})])
        noop = time.time() - started
        print("\nregistry seeding, %d images, %.0f MiB in all, %d cores" % (len(entries), total / 2 ** 20, os.cpu_count()))
        print("%-36s %8.2f s  %7.1f MiB/s" % ("raw copy of the tarballs (cp+sync)", raw, total / 2 ** 20 / raw))
        print("%-36s %8.2f s  %7.1f MiB/s" % ("seed with registry_images (skopeo)", seed, total / 2 ** 20 / seed))
        print("%-36s %8.2f" % ("ratio seed / raw copy", seed / raw))
        print("%-36s %8.2f s  (%s)" % ("second seed (all present, no push)", noop,
                                       "changed" if '"changed": true' in again.stdout else "unchanged"))
    finally:
        lab.down(LAB)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
