"""Stand-ins for what a connected machine reaches, so that playbooks/bundle.yml is tested for real:
one container (hk-bundlesrc-sources, on its own internal network, reached from the controller by
its address) serving
  * an APT repository (http://ADDR:8080/debian, flat, with Packages and Release) holding the test
    bundle's .debs: the real Debian packages with their dependencies, the lab's real kubeadm,
    kubelet, kubectl and kubernetes-cni (tests/kubernetes) and the simulator's packages for the
    other releases, under their upstream package names and versions;
  * a registry (Debian's docker-registry from the lab's installation media, http://ADDR:5000)
    seeded with the test images under upstream names (ADDR:5000/<registry host>/<path>:<tag>), the
    control plane's images as OCI manifests and the others as Docker ones;
  * the stand-in manifests (http://ADDR:8080/manifests/...).
The builder is pointed at them through its source variables (extra_vars()). Nothing here is
upstream's: the packages come from the test bundle, the images are tiny `docker import`s and the
manifests are our own stand-ins (tests/bundle/manifests), except flannel's, which is upstream's.
The release is the lab's real one, with the ClusterConfiguration the lab gives kubeadm (its
CoreDNS tag), read from inventory/lab/group_vars/all/real_kubernetes.yml.

    python tests/bundle/sources.py up|down
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, ".cache", "collections"))
import build  # noqa: E402  pylint: disable=wrong-import-position
import lab  # noqa: E402  pylint: disable=wrong-import-position

LAB = "bundlesrc"
HOST = "sources"
with open(os.path.join(ROOT, "inventory", "lab", "group_vars", "all", "real_kubernetes.yml"), encoding="utf-8") as _handle:
    REAL = yaml.safe_load(_handle)
KUBERNETES = REAL["cluster_kubernetes_version"]
CLUSTER_CONFIGURATION = REAL["master_kubeadm_config_extra"]["ClusterConfiguration"]
# the upstream registries the test images are named after, each mirrored under its own prefix
REGISTRY_CONFIG = """version: 0.1
storage:
  filesystem:
    rootdirectory: /var/lib/docker-registry
http:
  addr: :5000
"""
REGISTRIES = ["registry.k8s.io", "k8s.gcr.io", "quay.io", "ghcr.io", "docker.io"]


def name():
    return lab.container_name(LAB, HOST)


def _exec(*argv, **kwargs):
    flags = ["-i"] if "input" in kwargs else []
    return subprocess.run(["docker", "exec"] + flags + [name()] + list(argv), check=True, capture_output=True, text=True, **kwargs)


def address():
    out = subprocess.run(["docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", name()],
                         check=True, capture_output=True, text=True).stdout
    return out.strip()


def baseline_status(path):
    """The dpkg status of a freshly installed lab host (the base image)."""
    with open(path, "w", encoding="utf-8") as handle:
        subprocess.run(["docker", "run", "--rm", lab.ensure_image(), "cat", "/var/lib/dpkg/status"],
                       check=True, stdout=handle)
    return path


def apt_index(folder):
    """Packages and Release of a flat repository holding the .debs in ``folder``."""
    paragraphs = []
    for deb in sorted(f for f in os.listdir(folder) if f.endswith(".deb")):
        path = os.path.join(folder, deb)
        control = subprocess.run(["dpkg-deb", "-f", path], check=True, capture_output=True, text=True).stdout.rstrip("\n")
        paragraphs.append("%s\nFilename: ./%s\nSize: %d\nSHA256: %s\n"
                          % (control, deb, os.path.getsize(path), build.sha256(path)))
    packages = "\n".join(paragraphs)
    with open(os.path.join(folder, "Packages"), "w", encoding="utf-8") as handle:
        handle.write(packages)
    data = packages.encode()
    release = ("Origin: helmsman.kubeadm tests\nLabel: stand-in\nDate: %s\nSHA256:\n %s %d Packages\n"
               % (time.strftime("%a, %d %b %Y %H:%M:%S UTC", time.gmtime()), hashlib.sha256(data).hexdigest(), len(data)))
    with open(os.path.join(folder, "Release"), "w", encoding="utf-8") as handle:
        handle.write(release)


def control_plane_archives(outdir):
    """Tiny images for the control plane's images the test bundle does not carry."""
    from ansible_collections.helmsman.kubeadm.plugins.module_utils import kube_versions  # pylint: disable=import-outside-toplevel
    carried = set(build.IMAGES + build.real_kubernetes.IMAGES)
    found = {}
    for ref in kube_versions.control_plane_images(KUBERNETES, cluster_configuration=CLUSTER_CONFIGURATION):
        found[ref] = (None if ref in carried else build.build_image(ref, outdir))
    return found


def _wait_http(url, timeout=60):
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=3):
                return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.5)


def up(bundle_dir, work):
    """Start the stand-ins, seeded from the test bundle in ``bundle_dir``; returns the builder's
    extra variables (``work`` holds the files the variables name)."""
    lab.down(LAB)
    lab.up(LAB, [(HOST, "sources", True)])
    _exec("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-registry >/dev/null")
    # an open registry, as a public one is to pullers (Debian's configuration asks for htpasswd users)
    _exec("sh", "-c", "cat > /etc/docker/registry/config.yml && systemctl restart docker-registry", input=REGISTRY_CONFIG)
    addr = address()
    _wait_http("http://%s:5000/v2/" % addr)
    seed(addr, bundle_dir, work)
    site = os.path.join(work, "site")
    os.makedirs(os.path.join(site, "debian"))
    for deb in os.listdir(os.path.join(bundle_dir, "debs")):
        shutil.copyfile(os.path.join(bundle_dir, "debs", deb), os.path.join(site, "debian", deb))
    apt_index(os.path.join(site, "debian"))
    texts = dict((path, repin(text, addr)) for path, text in build.manifest_texts().items())
    for path, text in texts.items():
        target = os.path.join(site, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
    subprocess.run(["docker", "cp", site, "%s:/srv/" % name()], check=True)
    _exec("systemd-run", "--unit", "hk-stand-in-http", "python3", "-m", "http.server", "8080", "--directory", "/srv/site")
    _wait_http("http://%s:8080/debian/Release" % addr)
    return extra_vars(addr, texts, os.path.join(work, "baseline.status"))


def seed(addr, bundle_dir, work):
    """Every test image under its upstream name; the control plane's as OCI manifests."""
    from ansible_collections.helmsman.kubeadm.plugins.module_utils import images  # pylint: disable=import-outside-toplevel
    with open(os.path.join(bundle_dir, "manifest.yaml"), encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)["files"]
    archives = dict((e["image"], os.path.join(bundle_dir, e["path"])) for e in entries if e["type"] == "image")
    oci = set()
    for ref, archive in control_plane_archives(tempfile.mkdtemp(prefix="hk-cp-images-", dir=work)).items():
        oci.add(ref)
        if archive:
            archives[ref] = archive
    for ref, archive in sorted(archives.items()):
        registry, path, tag, _digest = images.parse(ref)
        argv = ["skopeo", "copy", "--quiet", "--dest-tls-verify=false"]
        if ref in oci:
            argv += ["--format", "oci"]
        subprocess.run(argv + ["docker-archive:" + archive, "docker://%s:5000/%s/%s:%s" % (addr, registry, path, tag)], check=True)


def repin(text, addr):
    """A stand-in manifest that pins an image by digest (as ingress-nginx's does) names upstream's
    digest, which the stand-in registry cannot serve: pin the test image's digest there instead,
    so that the builder's pull by digest is exercised."""
    from ansible_collections.helmsman.kubeadm.plugins.module_utils import images  # pylint: disable=import-outside-toplevel
    for ref in sorted(set(re.findall(r"[\w./:-]+@sha256:[0-9a-f]{64}", text))):
        registry, path, tag, _digest = images.parse(ref)
        raw = subprocess.run(["skopeo", "inspect", "--raw", "--tls-verify=false",
                              "docker://%s:5000/%s/%s:%s" % (addr, registry, path, tag)],
                             check=True, capture_output=True).stdout
        text = text.replace(ref, "%s@sha256:%s" % (ref.split("@")[0], hashlib.sha256(raw).hexdigest()))
    return text


def manifest_files(texts, base):
    """bundle_manifest_files for the add-on releases the default release uses: each stand-in with
    its URL on the stand-in server and its sha256."""
    from ansible_collections.helmsman.kubeadm.plugins.module_utils import addons  # pylint: disable=import-outside-toplevel
    found = {}
    for addon in ("flannel", "ingress-nginx", "metrics-server", "dashboard", "kube-prometheus"):
        version = addons.default_version(addon, KUBERNETES)
        prefix = "manifests/%s/%s/" % (addon, version)
        found[addon] = [{"name": path[len(prefix):], "url": base + path,
                         "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
                        for path, text in sorted(texts.items()) if path.startswith(prefix)]
    return found


def extra_vars(addr, texts, status_path):
    return {
        "bundle_kubernetes_version": KUBERNETES,
        "master_kubeadm_config_extra": {"ClusterConfiguration": CLUSTER_CONFIGURATION},
        "bundle_apt_sources": ["deb [trusted=yes] http://%s:8080/debian ./" % addr],
        "bundle_os_baseline_status": baseline_status(status_path),
        "bundle_image_mirrors": dict((r, "%s:5000/%s" % (addr, r)) for r in REGISTRIES),
        "bundle_insecure_registries": ["%s:5000" % addr],
        "bundle_manifest_files": manifest_files(texts, "http://%s:8080/" % addr),
        # the lab's NFS server is nfs-ganesha (its kernel has no nfsd)
        "nfs_pv_server": "ganesha",
    }


def down():
    return lab.down(LAB)


if __name__ == "__main__":
    if sys.argv[1:] == ["up"]:
        WORK = tempfile.mkdtemp(prefix="hk-sources-")
        print(json.dumps(up(build.build_locked(os.path.join(ROOT, ".cache", "bundle")), WORK), indent=2))
    else:
        down()
