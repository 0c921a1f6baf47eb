"""The add-on pipeline at kube-prometheus' size: the manifest filters on a synthetic set of about
100 objects (one CRD of 1 MiB, others over 256 KiB, with ``- =`` entries; dashboards full of
``{{ }}``; operator resources): time and peak memory of parse, images and mirror; then server-side
apply through kubernetes.core against the API emulator for 25, 50, 100 and 200 objects (first
apply, then the no-op re-apply). Figures are printed.

    python benchmarks/addons.py [--objects 25 50 100 200] [--repeat 5]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, ".cache", "collections"))

from ansible_collections.helmsman.kubeadm.plugins.module_utils import manifests  # noqa: E402
from tests import runner  # noqa: E402
from tests.emulator import Emulator  # noqa: E402
from tests.integration.test_workload_status import FakeRuntime, node  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
from podsync import PodSync  # noqa: E402
from simlib import API  # noqa: E402


def big_crd(index, kib):
    props = {"field%04d" % i: {"type": "string", "description": "x" * 200,
                               "enum": ["=", "!=", "=~", "!~"]} for i in range(kib * 1024 // 260)}
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "things%d.bench.example.com" % index},
            "spec": {"group": "bench.example.com", "scope": "Namespaced",
                     "names": {"plural": "things%d" % index, "singular": "thing%d" % index, "kind": "Thing%d" % index},
                     "versions": [{"name": "v1", "served": True, "storage": True,
                                   "schema": {"openAPIV3Schema": {"type": "object", "properties": props}}}]}}


def synthetic(count=100):
    """About kube-prometheus: CRDs (one over 256 KiB), a namespace, rules and dashboards with
    templates, workloads with operator args, Prometheus and Alertmanager resources."""
    objects = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "monitoring"}},
               big_crd(0, 1024), big_crd(1, 300), big_crd(2, 40),
               {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": {"name": "prometheuses.monitoring.coreos.com"},
                "spec": {"group": "monitoring.coreos.com", "scope": "Namespaced",
                         "names": {"plural": "prometheuses", "singular": "prometheus", "kind": "Prometheus"},
                         "versions": [{"name": "v1", "served": True, "storage": True,
                                       "schema": {"openAPIV3Schema": {"type": "object"}}}]}}]
    objects.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "operator", "namespace": "monitoring"},
                    "spec": {"selector": {"matchLabels": {"app": "op"}}, "template": {"metadata": {"labels": {"app": "op"}},
                             "spec": {"containers": [{"name": "op", "image": "quay.io/prometheus-operator/prometheus-operator:v0.80.0",
                                                      "args": ["--prometheus-config-reloader=quay.io/prometheus-operator/"
                                                               "prometheus-config-reloader:v0.80.0"]}]}}}})
    objects.append({"apiVersion": "monitoring.coreos.com/v1", "kind": "Prometheus",
                    "metadata": {"name": "k8s", "namespace": "monitoring"},
                    "spec": {"image": "quay.io/prometheus/prometheus:v3.1.0", "replicas": 2}})
    while len(objects) < count:
        i = len(objects)
        if i % 3 == 0:
            objects.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "dashboard-%d" % i, "namespace": "monitoring"},
                            "data": {"d.json": json.dumps({"panels": [{"title": "{{ instance }}", "expr": 'sum(rate(x{job="a"}[5m]))'}] * 40})}})
        elif i % 3 == 1:
            objects.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "app-%d" % i, "namespace": "monitoring"},
                            "spec": {"selector": {"matchLabels": {"app": "a%d" % i}}, "template": {"metadata": {"labels": {"app": "a%d" % i}},
                                     "spec": {"containers": [{"name": "c", "image": "registry.k8s.io/app-%d:v1.%d" % (i % 7, i % 5)}]}}}})
        else:
            objects.append({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "sa-%d" % i, "namespace": "monitoring"}})
    return objects


def timed(function, repeat):
    """(median seconds, peak traced MiB of one more call, result)."""
    samples = []
    for _sample in range(repeat):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1] / 2.0 ** 20
    tracemalloc.stop()
    return statistics.median(samples), peak, result


def filters(repeat):
    objects = synthetic(100)
    text = "".join("---\n" + yaml.safe_dump(o, sort_keys=False) for o in objects)
    seconds, peak, parsed = timed(lambda: manifests.k8s_documents(text, "bench.yaml"), repeat)
    print("k8s_documents: %d objects, %.0f KiB of YAML (largest CRD %.0f KiB as JSON): %.0f ms, peak %.1f MiB"
          % (len(parsed), len(text) / 1024.0, len(json.dumps(objects[1])) / 1024.0, seconds * 1000, peak))
    seconds, peak, found = timed(lambda: manifests.manifest_images(parsed), repeat)
    print("manifest_images: %d images: %.1f ms, peak %.2f MiB" % (len(found), seconds * 1000, peak))
    seconds, peak, _mirrored = timed(lambda: manifests.mirror_manifest(parsed, "registry:5000"), repeat)
    print("mirror_manifest: %.1f ms, peak %.1f MiB" % (seconds * 1000, peak))


def apply(counts):
    """The cluster role's addon entry point (CRDs first, then one apply, rollout waits) against
    the emulator with its controllers and a kubelet double whose runtime has every image."""
    playbook = os.path.join(ROOT, "tests", "integration", "playbooks", "addon.yml")
    for count in counts:
        emu = Emulator(controllers=True).start()
        stop = threading.Event()
        try:
            work = tempfile.mkdtemp(prefix="hk-bench-")
            kubeconfig = emu.kubeconfig(path=os.path.join(work, "admin.conf"))
            objects = synthetic(count)
            emu.put_object(node("worker1"))
            runtime = FakeRuntime(manifests.manifest_images(objects) + [FakeRuntime.sandbox])
            kubelet = PodSync(API.from_kubeconfig(kubeconfig), "worker1", "10.0.0.7", runtime, work, log=lambda *_: None)
            threading.Thread(target=_loop, args=(kubelet, stop), daemon=True).start()
            path = os.path.join(work, "objects.json")
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(objects, handle)
            args = ["-e", "test_kubeconfig=%s" % kubeconfig, "-e", "test_objects=%s" % path, "-e", "test_timeout=120"]
            first = runner.ansible_playbook(playbook, "localhost,", *args)
            again = runner.ansible_playbook(playbook, "localhost,", *args)
            print("apply %3d objects: first %.1f s (rc %d), no-op re-apply %.1f s (changed tasks %d)"
                  % (count, first.elapsed, first.rc, again.elapsed, sum(len(v) for v in runner.changed_tasks(again.output).values())))
        finally:
            stop.set()
            emu.stop()


def _loop(kubelet, stop):
    while not stop.wait(0.5):
        try:
            kubelet.sync()
        except Exception:  # the API may be busy; the next round retries
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, nargs="+", default=[25, 50, 100, 200])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    filters(args.repeat)
    apply(args.objects)


if __name__ == "__main__":
    main()
