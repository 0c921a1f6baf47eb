"""Build the test bundle: small .deb packages (dpkg-deb), real Debian packages the host layer
installs (apt-get download), small real images (docker import of a tiny rootfs, tagged with real
upstream names, docker save), and manifest.yaml with every file's sha256.

    python tests/bundle/build.py [OUTPUT_DIR]     (default .cache/bundle; rebuilt when this file changes)
"""

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Our own packages: helmsman-hello depends on helmsman-base, so apt must resolve from the repo.
OWN_DEBS = {
    "helmsman-base": {"version": "1.0", "depends": None, "files": {"usr/share/helmsman-base/README": "base\n"}},
    "helmsman-hello": {"version": "1.2", "depends": "helmsman-base (>= 1.0)",
                       "files": {"usr/share/helmsman-hello/hello.txt": "hello from the offline repository\n"}},
}
# Real Debian packages base_prep installs (IPVS tools) with their dependencies, so a host whose only
# package source is the offline repository can install them.
DEBIAN_DEBS = ["ipvsadm", "ipset", "libipset13", "libnl-3-200", "libnl-genl-3-200", "libpopt0", "libmnl0", "lsb-base"]
# Images named as upstream names them: registry.k8s.io paths, a quay.io path, Docker Hub short names.
IMAGES = [
    "registry.k8s.io/pause:3.10.1",
    "registry.k8s.io/pause:3.1",
    "registry.k8s.io/pause:3.10.2",
    "registry.k8s.io/coredns/coredns:v1.12.0",
    "quay.io/coreos/flannel:v0.12.0-amd64",
    "grafana/grafana:12.0.1",
]


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_deb(name, spec, outdir):
    work = tempfile.mkdtemp(prefix="hk-deb-")
    try:
        os.makedirs(os.path.join(work, "DEBIAN"))
        control = ["Package: %s" % name, "Version: %s" % spec["version"], "Architecture: all",
                   "Maintainer: helmsman.kubeadm tests <tests@example.invalid>",
                   "Description: helmsman.kubeadm test package %s" % name]
        if spec["depends"]:
            control.insert(3, "Depends: %s" % spec["depends"])
        with open(os.path.join(work, "DEBIAN", "control"), "w", encoding="ascii") as handle:
            handle.write("\n".join(control) + "\n")
        for rel, content in spec["files"].items():
            path = os.path.join(work, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="ascii") as handle:
                handle.write(content)
        out = os.path.join(outdir, "%s_%s_all.deb" % (name, spec["version"]))
        subprocess.run(["dpkg-deb", "--root-owner-group", "--build", work, out], check=True, stdout=subprocess.DEVNULL)
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def download_debian(names, outdir):
    subprocess.run(["apt-get", "download"] + names, cwd=outdir, check=True, stdout=subprocess.DEVNULL)
    return sorted(os.path.join(outdir, f) for f in os.listdir(outdir) if f.split("_")[0] in names)


def build_image(ref, outdir):
    """docker import of a rootfs holding one file naming the image, saved as a docker-archive."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        data = ("%s\n" % ref).encode()
        info = tarfile.TarInfo("etc/helmsman-image")
        info.size, info.mtime = len(data), 0
        tar.addfile(info, io.BytesIO(data))
    subprocess.run(["docker", "import", "-", ref], input=buf.getvalue(), check=True, stdout=subprocess.DEVNULL)
    name = ref.replace("/", "_").replace(":", "_") + ".tar"
    out = os.path.join(outdir, name)
    subprocess.run(["docker", "save", "-o", out, ref], check=True)
    subprocess.run(["docker", "rmi", ref], check=True, stdout=subprocess.DEVNULL)
    return out


def build(outdir):
    stamp = hashlib.sha256(open(__file__, "rb").read()).hexdigest()
    stamp_file = os.path.join(outdir, ".built-from")
    if os.path.exists(stamp_file) and open(stamp_file).read() == stamp:
        return outdir
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    for sub in ("debs", "images"):
        os.makedirs(os.path.join(outdir, sub))
    entries = []
    debs = [build_deb(n, s, os.path.join(outdir, "debs")) for n, s in sorted(OWN_DEBS.items())]
    debs += download_debian(DEBIAN_DEBS, os.path.join(outdir, "debs"))
    for path in debs:
        entries.append({"path": os.path.relpath(path, outdir), "type": "deb", "sha256": sha256(path)})
    for ref in IMAGES:
        path = build_image(ref, os.path.join(outdir, "images"))
        entries.append({"path": os.path.relpath(path, outdir), "type": "image", "sha256": sha256(path), "image": ref})
    with open(os.path.join(outdir, "manifest.yaml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump({"apiVersion": "helmsman.kubeadm/v1", "kind": "Bundle", "files": entries}, handle, sort_keys=False)
    with open(stamp_file, "w", encoding="ascii") as handle:
        handle.write(stamp)
    return outdir


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".cache", "bundle")
    print(build(os.path.abspath(target)))
