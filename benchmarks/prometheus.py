"""The prometheus role at kube-prometheus' size: our stand-in of v0.18.0 (95 files, 131 objects,
six CRDs over 256 KiB; tests/bundle/kube_prometheus.py) applied by the role to the API emulator
with its controllers and a kubelet double on each of two Nodes (the operator double generates the
StatefulSets, the kubelets report the Pods): a fresh cluster's converge, the no-op re-run and
check mode, each timed whole and with its slowest tasks. Figures are printed; nothing is asserted.

    python benchmarks/prometheus.py [--repeat 1] [--tasks 6]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, ".cache", "collections"))
os.chdir(ROOT)

from tests import runner  # noqa: E402
from tests.integration import test_prometheus_role as lab  # noqa: E402


def once(bundle, tasks):
    folder = Path(tempfile.mkdtemp(prefix="hk-bench-prometheus-"))
    emu, kubeconfig, inventory, runtime, stop = lab.start_cluster(folder, bundle[1])
    cluster = (emu, kubeconfig, inventory, runtime)
    figures = {}
    try:
        for step, args in (("converge", ()), ("no-op re-run", ()), ("check mode", ("--check", "--diff"))):
            start = time.monotonic()
            result = lab.run(cluster, bundle, folder, *args)
            figures[step] = time.monotonic() - start
            if result.rc != 0:
                raise SystemExit("%s failed:\n%s" % (step, result.output[-3000:]))
            print("  %-13s %6.1f s  changed=%d" % (step, figures[step], runner.recap(result.output)["localhost"]["changed"]))
            for seconds, task in runner.slowest(result.output, tasks):
                print("      %6.1f s  %s" % (seconds, task))
    finally:
        stop()
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--tasks", type=int, default=6, help="slowest tasks shown per run")
    options = parser.parse_args()
    bundle = lab.write_bundle(Path(tempfile.mkdtemp(prefix="hk-bench-bundle-")))
    size = sum(len(str(o)) for o in bundle[1])
    print("kube-prometheus %s stand-in: %d objects, %.1f MB as Python text" % (lab.VERSION, len(bundle[1]), size / 1e6))
    runs = []
    for index in range(options.repeat):
        print("run %d" % (index + 1))
        runs.append(once(bundle, options.tasks))
    if options.repeat > 1:
        for step in runs[0]:
            values = [r[step] for r in runs]
            print("%-13s median %6.1f s  min %6.1f s  max %6.1f s" % (step, statistics.median(values), min(values), max(values)))


if __name__ == "__main__":
    main()
