"""The lab's real Kubernetes build (tests/kubernetes/build_kubernetes.py): cold and warm.

    python benchmarks/kubernetes_build.py           warm: the cached build (a cache hit), then a
                                                    rebuild of every binary with Go's caches warm
    python benchmarks/kubernetes_build.py --cold    also a cold build: empty Go module and build
                                                    caches in a temporary folder (downloads
                                                    everything again; about 7 GB while it runs)

Prints wall time per step, the peak memory of the largest build, and the sizes. Figures only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "tests", "kubernetes", "build_kubernetes.py")


def du(path):
    out = subprocess.run(["du", "-sb", path], check=False, text=True, stdout=subprocess.PIPE).stdout.split()
    return int(out[0]) if out else 0


def run(env, label):
    started = time.time()
    proc = subprocess.run([sys.executable, SCRIPT], env=env, check=True, text=True, stdout=subprocess.PIPE)
    folder = proc.stdout.strip().splitlines()[-1]
    wall = time.time() - started
    with open(os.path.join(folder, "built.json"), encoding="ascii") as handle:
        record = json.load(handle)
    print("%-34s %7.1f s   binaries %4d MB" % (label, wall, du(folder) // 2 ** 20))
    return folder, record, wall


def show(record):
    for name, seconds in record["seconds"].items():
        print("    %-30s %7.1f s" % (name, seconds))
    print("    peak memory of one build: %d MB" % record["peak_rss_mb"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--cold", action="store_true")
    args = parser.parse_args()
    _folder, _record, _wall = run(dict(os.environ), "cached build (cache hit)")

    with tempfile.TemporaryDirectory(prefix="hk-bench-k8s-") as tmp:
        # a fresh output cache, Go's own caches as they are: every binary compiled from cache and linked
        _folder, record, _wall = run(dict(os.environ, XDG_CACHE_HOME=tmp), "rebuild, Go caches warm")
        show(record)
    if args.cold:
        with tempfile.TemporaryDirectory(prefix="hk-bench-k8s-cold-") as tmp:
            env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "out"), GOCACHE=os.path.join(tmp, "go-build"),
                       GOMODCACHE=os.path.join(tmp, "mod"))
            _folder, record, _wall = run(env, "cold build (empty Go caches)")
            show(record)
            sizes = (du(env["GOMODCACHE"]) // 2 ** 20, du(env["GOCACHE"]) // 2 ** 20)
            print("    Go module cache %d MB, build cache %d MB" % sizes)
            # module caches are read-only on disk; make them removable
            subprocess.run(["chmod", "-R", "u+w", tmp], check=False)
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
