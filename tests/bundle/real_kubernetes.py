"""Real Kubernetes in the test bundle: the binaries tests/kubernetes/build_kubernetes.py builds from the Go
module proxy, packaged as a real site gets them.

- .debs named and versioned as the community repositories name them (``kubeadm``, ``kubelet``,
  ``kubectl`` ``<release>-1.1``, ``kubernetes-cni``), with the kubelet's systemd unit and kubeadm's
  ``10-kubeadm.conf`` drop-in where the upstream packages put them, so that the product installs
  them through its unchanged apt path.
- images under the names kubeadm derives from ``imageRepository`` (registry.k8s.io/...), and
  flannel's under the names kube-flannel.yml uses, built without pulling anything (``docker build``
  FROM scratch, or FROM the lab's base image where the program needs a userland: kube-proxy and
  flanneld run iptables, the flannel CNI plugin's init container runs ``cp``). Each carries
  ``org.opencontainers.image.title``/``version``/``source`` labels saying what was built from which
  module version; the ones that are not upstream's program (pause, the flannel CNI plugin) say so.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "kubernetes"))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
import build_kubernetes as kube_build  # noqa: E402  pylint: disable=wrong-import-position
import lab  # noqa: E402  pylint: disable=wrong-import-position

RELEASE = kube_build.RELEASE
PACKAGE_VERSION = RELEASE + "-1.1"
CNI_PACKAGE_VERSION = kube_build.CNI_PLUGINS.lstrip("v") + "-1.1"
K8S_SOURCE = "k8s.io/kubernetes v%s (Go module proxy)" % RELEASE
NETCHECK_IMAGE = "lab.helmsman.invalid/netcheck:v1"
PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# ref -> (base: "scratch" | "lab" | "lab+nftables", {binary in the build folder: path in the image}, entrypoint,
#         title, version string, source)
IMAGE_SPECS = {
    "registry.k8s.io/kube-apiserver:v%s" % RELEASE:
        ("scratch", {"kube-apiserver": "/usr/local/bin/kube-apiserver"}, None, "kube-apiserver", "v" + RELEASE, K8S_SOURCE),
    "registry.k8s.io/kube-controller-manager:v%s" % RELEASE:
        ("scratch", {"kube-controller-manager": "/usr/local/bin/kube-controller-manager"}, None,
         "kube-controller-manager", "v" + RELEASE, K8S_SOURCE),
    "registry.k8s.io/kube-scheduler:v%s" % RELEASE:
        ("scratch", {"kube-scheduler": "/usr/local/bin/kube-scheduler"}, None, "kube-scheduler", "v" + RELEASE, K8S_SOURCE),
    "registry.k8s.io/kube-proxy:v%s" % RELEASE:
        ("lab+nftables", {"kube-proxy": "/usr/local/bin/kube-proxy"}, None, "kube-proxy", "v" + RELEASE,
         K8S_SOURCE + "; iptables and nftables from Debian bookworm"),
    "registry.k8s.io/etcd:%s" % kube_build.ETCD_IMAGE_TAG:
        ("scratch", {"etcd": "/usr/local/bin/etcd"}, None, "etcd", kube_build.ETCD,
         "go.etcd.io/etcd/server/v3 v%s (etcdmain)" % kube_build.ETCD),
    "registry.k8s.io/coredns/coredns:%s" % kube_build.COREDNS:
        ("scratch", {"coredns": "/coredns"}, ["/coredns"], "coredns", kube_build.COREDNS,
         "github.com/coredns/coredns %s" % kube_build.COREDNS),
    "registry.k8s.io/pause:%s" % kube_build.PAUSE:
        ("scratch", {"pause": "/pause"}, ["/pause"], "pause (helmsman.kubeadm lab stand-in, not upstream's program)",
         "%s-helmsman-lab" % kube_build.PAUSE, "tests/kubernetes/pause"),
    "ghcr.io/flannel-io/flannel:%s" % kube_build.FLANNEL:
        ("lab", {"flanneld": "/opt/bin/flanneld", "install-conf": "/opt/bin/install-conf"}, ["/opt/bin/flanneld"],
         "flannel", kube_build.FLANNEL, "github.com/flannel-io/flannel %s (Tencent VPC SDK stubbed); Debian userland"
         % kube_build.FLANNEL),
    "ghcr.io/flannel-io/flannel-cni-plugin:%s" % kube_build.FLANNEL_CNI_PLUGIN_TAG:
        ("lab", {"cni-flannel": "/flannel"}, None,
         "flannel CNI plugin (helmsman.kubeadm lab stand-in: the legacy meta plugin, not flannel-io/cni-plugin)",
         "%s-helmsman-lab" % kube_build.FLANNEL_CNI_PLUGIN_TAG, kube_build.FLANNEL_CNI_SOURCE),
    # the lab's tests' network probe (tests/kubernetes/netcheck), not an upstream image
    NETCHECK_IMAGE:
        ("scratch", {"netcheck": "/netcheck"}, ["/netcheck"], "netcheck (helmsman.kubeadm lab test probe)", "v1",
         "tests/kubernetes/netcheck"),
}
IMAGES = sorted(IMAGE_SPECS)


def stamp():
    """What the bundle's rebuild stamp must cover: the build's cache key."""
    return kube_build.source_key()


def debs(binaries, unit, dropin):
    """{package: spec} for tests/bundle/build.py's build_deb."""
    cni = {"opt/cni/bin/%s" % name: ("file", os.path.join(binaries, "cni", name))
           for name in sorted(os.listdir(os.path.join(binaries, "cni")))}
    return {
        "kubelet": {"version": PACKAGE_VERSION, "arch": "amd64", "depends": "iptables, iproute2, mount",
                    "files": {"usr/bin/kubelet": ("file", os.path.join(binaries, "kubelet")),
                              "usr/lib/systemd/system/kubelet.service": unit},
                    "dirs": ["etc/kubernetes/manifests"], "modes": {"usr/bin/kubelet": 0o755}},
        "kubeadm": {"version": PACKAGE_VERSION, "arch": "amd64",
                    "depends": "kubelet (>= %s), kubernetes-cni (>= 1.2.0)" % RELEASE,
                    "files": {"usr/bin/kubeadm": ("file", os.path.join(binaries, "kubeadm")),
                              "usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf": dropin},
                    "modes": {"usr/bin/kubeadm": 0o755}},
        "kubectl": {"version": PACKAGE_VERSION, "arch": "amd64", "depends": None,
                    "files": {"usr/bin/kubectl": ("file", os.path.join(binaries, "kubectl"))},
                    "modes": {"usr/bin/kubectl": 0o755}},
        "kubernetes-cni": {"version": CNI_PACKAGE_VERSION, "arch": "amd64", "depends": None, "files": cni,
                           "modes": dict((path, 0o755) for path in cni)},
    }


def build_image(ref, spec, binaries, outdir):
    """docker build of one image (nothing pulled), saved as a docker-archive; returns its path."""
    base, files, entrypoint, title, version, source = spec
    context = tempfile.mkdtemp(prefix="hk-image-")
    try:
        lines = ["FROM %s" % ("scratch" if base == "scratch" else lab.ensure_image())]
        if base == "lab+nftables":
            # kube-proxy's nftables mode runs nft (the lab base has iptables only); apt reaches
            # Debian's packages from docker's default network while the image is built
            lines.append("RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                         "--no-install-recommends nftables >/dev/null && rm -rf /var/lib/apt/lists/*")
        for name, target in sorted(files.items()):
            shutil.copy2(os.path.join(binaries, name), os.path.join(context, name))
            lines.append("COPY %s %s" % (name, target))
        lines.append("ENV PATH=%s" % PATH_ENV)
        if base != "scratch":
            lines.append("CMD []")  # the base image's CMD boots systemd: never in a Pod
        if entrypoint:
            lines.append("ENTRYPOINT %s" % json.dumps(entrypoint))
        labels = {"org.opencontainers.image.title": title, "org.opencontainers.image.version": version,
                  "org.opencontainers.image.source": source,
                  "org.opencontainers.image.vendor": "helmsman.kubeadm lab (built from source, not upstream's image)"}
        lines.append("LABEL " + " ".join("%s=%s" % (k, json.dumps(v)) for k, v in sorted(labels.items())))
        with open(os.path.join(context, "Dockerfile"), "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        # the legacy builder: BuildKit is not in Debian's docker.io here
        proc = subprocess.run(["docker", "build", "-q", "-t", ref, context], check=False, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ, DOCKER_BUILDKIT="0"))
        if proc.returncode != 0:
            raise SystemExit("docker build of %s failed:\n%s" % (ref, proc.stdout))
        out = os.path.join(outdir, ref.replace("/", "_").replace(":", "_") + ".tar")
        subprocess.run(["docker", "save", "-o", out, ref], check=True)
        subprocess.run(["docker", "rmi", ref], check=True, stdout=subprocess.DEVNULL)
        return out
    finally:
        shutil.rmtree(context, ignore_errors=True)


def build(debdir, imagedir, build_deb, unit, dropin):
    """Build (or reuse) the binaries, then the packages and image archives: ([deb paths], [(ref, path)])."""
    binaries = kube_build.ensure()
    packages = [build_deb(name, spec, debdir) for name, spec in sorted(debs(binaries, unit, dropin).items())]
    archives = [(ref, build_image(ref, IMAGE_SPECS[ref], binaries, imagedir)) for ref in IMAGES]
    return packages, archives


# Upstream manifests taken from a served Go module's zip in the module cache (never committed):
# bundle path -> (Go module folder under tests/kubernetes, module path, file in the module, the URL
# the collection's catalog pins for it).
UPSTREAM_MANIFESTS = {
    "manifests/flannel/%s/kube-flannel.yml" % kube_build.FLANNEL:
        ("flannel", "github.com/flannel-io/flannel", "Documentation/kube-flannel.yml",
         "https://raw.githubusercontent.com/flannel-io/flannel/%s/Documentation/kube-flannel.yml" % kube_build.FLANNEL),
}


def upstream_manifests():
    """{bundle path: (text, source URL)} of the upstream manifests read from the module cache."""
    found = {}
    for path, (folder, module, name, url) in UPSTREAM_MANIFESTS.items():
        # go mod download names the module's folder in the cache (downloading it when absent)
        proc = subprocess.run(["go", "mod", "download", "-json", module], cwd=os.path.join(kube_build.HERE, folder),
                              check=True, text=True, stdout=subprocess.PIPE)
        info = json.loads(proc.stdout)
        with open(os.path.join(info["Dir"], name), encoding="utf-8") as handle:
            found[path] = (handle.read(), url)
    return found
