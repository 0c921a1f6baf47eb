"""Build real Kubernetes for the lab from the Go module proxy (test equipment; product code never
refers to it).

    python tests/kubernetes/build_kubernetes.py         build what is missing, print the folder of binaries

What is built, each from the Go module in the folder of the same name beside this file (its own
go.mod and go.sum pin every module):

    k8s/          kubeadm kubelet kube-apiserver kube-controller-manager kube-scheduler kube-proxy
                  kubectl, from k8s.io/kubernetes at RELEASE (staging modules replaced by their
                  published v0.X.Y, as any consumer of k8s.io/kubernetes must), CGO_ENABLED=0,
                  -trimpath, the release build tags, the version stamped as hack/lib/version.sh does
    etcd/         etcd from go.etcd.io/etcd/server/v3 at the version kubeadm RELEASE expects
    coredns/      CoreDNS (kubeadm 1.36 expects v1.14.2, which is not served: the nearest served patch)
    flannel/      flanneld and install-conf (cgo: the udp backend), Tencent's VPC SDK stubbed
    cni-flannel/  the flannel CNI plugin (the legacy meta plugin; see its go.mod)
    cni-plugins/  bridge, host-local, loopback, portmap (the lab's kubernetes-cni package)
    pause/        the lab's own pause (prints a version and exits 0 on -v)
    netcheck/     the lab's network probe (HTTP server and client, DNS lookups) for its tests

Binaries go to ~/.cache/helmsman-kubeadm/kubernetes/<key>/, where the key is the release and a
digest of these folders and of this file, so a warm machine rebuilds nothing; Go's own module
and build caches (~/go/pkg/mod, ~/.cache/go-build) are outside the work tree too. Cold, on 2
cores: about 17 minutes and 8 GB of Go caches.
"""

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RELEASE = "1.36.3"
# What kubeadm RELEASE expects (cmd/kubeadm/app/constants) and what is built instead where the
# module proxy does not serve that version.
ETCD = "3.6.8"            # kubeadm 1.36: DefaultEtcdVersion 3.6.8-0
ETCD_IMAGE_TAG = "3.6.8-0"
COREDNS = "v1.14.3"       # kubeadm 1.36: CoreDNSVersion v1.14.2, not served here
PAUSE = "3.10.2"          # kubeadm 1.36: PauseVersion
FLANNEL = "v0.28.10"
FLANNEL_CNI_PLUGIN_TAG = "v1.9.1-flannel3"  # the tag kube-flannel.yml v0.28.10 names
CNI_PLUGINS = "v1.9.1"
FLANNEL_CNI_SOURCE = "github.com/containernetworking/plugins v0.9.1 plugins/meta/flannel (cni v1.1.2)"
KUBE_COMMANDS = ["kubeadm", "kubelet", "kube-apiserver", "kube-controller-manager", "kube-scheduler",
                 "kube-proxy", "kubectl"]
MODULES = ["k8s", "etcd", "coredns", "flannel", "cni-flannel", "cni-plugins", "pause", "netcheck"]


def cache_root():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "helmsman-kubeadm", "kubernetes")


def source_key():
    digest = hashlib.sha256()
    paths = [os.path.abspath(__file__)]
    for module in MODULES:
        for folder, _dirs, files in os.walk(os.path.join(HERE, module)):
            paths += [os.path.join(folder, name) for name in files]
    for path in sorted(paths):
        with open(path, "rb") as handle:
            digest.update(os.path.relpath(path, HERE).encode() + b"\0" + handle.read())
    return "v%s-%s" % (RELEASE, digest.hexdigest()[:12])


def output_dir():
    return os.path.join(cache_root(), source_key())


def kube_ldflags():
    """-X flags for k8s.io/component-base/version and k8s.io/client-go/pkg/version, as
    hack/lib/version.sh sets them (gitCommit is not known from a module: all zeros, tree clean)."""
    major, minor, _patch = RELEASE.split(".")
    values = {"gitVersion": "v" + RELEASE, "gitMajor": major, "gitMinor": minor,
              "gitCommit": "0" * 40, "gitTreeState": "clean",
              "buildDate": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    flags = ["-s", "-w"]
    for package in ("k8s.io/client-go/pkg/version", "k8s.io/component-base/version"):
        flags += ["-X %s.%s=%s" % (package, key, value) for key, value in sorted(values.items())]
    return " ".join(flags)


def steps(out):
    """(name, module folder, env, go build arguments) in build order."""
    static = {"CGO_ENABLED": "0"}
    return [
        ("kubernetes v%s" % RELEASE, "k8s", static,
         ["-p", "2", "-trimpath", "-tags", "selinux,notest,grpcnotrace", "-ldflags", kube_ldflags(), "-o", out + "/"]
         + ["k8s.io/kubernetes/cmd/%s" % c for c in KUBE_COMMANDS]),
        ("etcd v%s" % ETCD, "etcd", static,
         ["-trimpath", "-ldflags", "-s -w", "-o", os.path.join(out, "etcd"), "."]),
        ("coredns %s" % COREDNS, "coredns", static,
         ["-trimpath", "-ldflags", "-s -w", "-o", os.path.join(out, "coredns"), "github.com/coredns/coredns"]),
        ("flanneld %s" % FLANNEL, "flannel", {"CGO_ENABLED": "1"},
         ["-trimpath", "-ldflags", "-s -w -X github.com/flannel-io/flannel/pkg/version.Version=%s" % FLANNEL,
          "-o", os.path.join(out, "flanneld"), "github.com/flannel-io/flannel"]),
        ("install-conf %s" % FLANNEL, "flannel", static,
         ["-trimpath", "-ldflags", "-s -w", "-o", os.path.join(out, "install-conf"),
          "github.com/flannel-io/flannel/cmd/install_conf"]),
        ("flannel CNI plugin", "cni-flannel", static,
         ["-trimpath", "-ldflags", "-s -w", "-o", os.path.join(out, "cni-flannel"),
          "github.com/containernetworking/plugins/plugins/meta/flannel"]),
        ("CNI plugins %s" % CNI_PLUGINS, "cni-plugins", static,
         ["-trimpath", "-ldflags", "-s -w", "-o", os.path.join(out, "cni") + "/"]
         + ["github.com/containernetworking/plugins/plugins/%s" % p
            for p in ("main/bridge", "ipam/host-local", "main/loopback", "meta/portmap")]),
        ("pause %s" % PAUSE, "pause", static,
         ["-trimpath", "-ldflags", "-s -w -X main.version=%s" % PAUSE, "-o", os.path.join(out, "pause"), "."]),
        ("netcheck", "netcheck", static, ["-trimpath", "-ldflags", "-s -w", "-o", os.path.join(out, "netcheck"), "."]),
    ]


def go_build(module, env, args):
    proc = subprocess.run(["go", "build"] + args, cwd=os.path.join(HERE, module),
                          env=dict(os.environ, GOFLAGS="-mod=readonly", **env), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    if proc.returncode != 0:
        raise SystemExit("[kubernetes] go build in tests/kubernetes/%s failed:\n%s" % (module, proc.stdout[-4000:]))


def ensure():
    """Build into the cache when absent; return the folder of binaries."""
    out = output_dir()
    if os.path.exists(os.path.join(out, "built.json")):
        return out
    if shutil.which("go") is None:
        raise SystemExit("[kubernetes] Go is needed to build the lab's Kubernetes (go 1.26 or later)")
    partial = out + ".part"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(os.path.join(partial, "cni"))
    print("[kubernetes] building Kubernetes v%s and its companions into %s (cold: 7 to 17 min, 7 GB of Go "
          "caches; warm: seconds)" % (RELEASE, out), flush=True)
    started = time.time()
    timings = {}
    for name, module, env, args in steps(partial):
        began = time.time()
        print("[kubernetes] %s ..." % name, flush=True)
        go_build(module, env, args)
        timings[name] = round(time.time() - began, 1)
        print("[kubernetes] %s built in %.0f s" % (name, timings[name]), flush=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    record = {"release": RELEASE, "etcd": ETCD, "coredns": COREDNS, "flannel": FLANNEL, "cni_plugins": CNI_PLUGINS,
              "pause": PAUSE, "seconds": timings, "total_seconds": round(time.time() - started, 1),
              "peak_rss_mb": round(peak / 1024.0)}
    with open(os.path.join(partial, "built.json"), "w", encoding="ascii") as handle:
        json.dump(record, handle, indent=2)
    shutil.rmtree(out, ignore_errors=True)
    os.rename(partial, out)
    print("[kubernetes] built in %.0f s (peak memory of one build %d MB)" % (record["total_seconds"], record["peak_rss_mb"]),
          flush=True)
    return out


def built_record(folder):
    with open(os.path.join(folder, "built.json"), encoding="ascii") as handle:
        return json.load(handle)


if __name__ == "__main__":
    print(ensure())
    sys.exit(0)
