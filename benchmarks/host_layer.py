"""Host layer cost on the lab: converge from fresh containers, the no-op re-run, and how both
grow with the number of workers. Prints a table; asserts nothing.

    .venv/bin/python benchmarks/host_layer.py [--workers 2 4 8]

Uses its own lab (containers hk-bench-*), removed at the end.
"""

import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
import lab  # noqa: E402  (the one lab definition)

LAB = "bench"


def playbook(inventory, *extra):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               HELMSMAN_BUNDLE_DIR=os.path.join(ROOT, ".cache", "bundle"))
    started = time.time()
    proc = subprocess.run([os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), "-i", inventory,
                           os.path.join(ROOT, "site.yml")] + list(extra),
                          env=env, capture_output=True, text=True, check=False, cwd=ROOT)
    elapsed = time.time() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-2000:])
        raise SystemExit("site.yml failed")
    changed = sum(int(n) for n in re.findall(r"changed=(\d+)", proc.stdout.split("PLAY RECAP")[-1]))
    return elapsed, changed


def inventory_file(path):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(open(os.path.join(ROOT, "inventory", "lab", "docker.yml"), encoding="utf-8").read()
                     .replace("== 'lab'", "== '%s'" % LAB))
    group_vars = os.path.join(os.path.dirname(path), "group_vars")
    if not os.path.exists(group_vars):
        os.symlink(os.path.join(ROOT, "inventory", "lab", "group_vars"), group_vars)
    return os.path.dirname(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4, 8])
    args = parser.parse_args()
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "bundle", "build.py")], check=True,
                   stdout=subprocess.DEVNULL)
    inv_dir = os.path.join(ROOT, ".cache", "bench-inventory")
    os.makedirs(inv_dir, exist_ok=True)
    inventory = inventory_file(os.path.join(inv_dir, "docker.yml"))
    rows = []
    try:
        for workers in args.workers:
            lab.down(LAB)
            started = time.time()
            lab.up(LAB, lab.plan(workers, []))
            boot = time.time() - started
            converge, changed_first = playbook(inventory)
            rerun, changed_second = playbook(inventory)
            rows.append((workers, boot, converge, changed_first, rerun, changed_second))
    finally:
        lab.down(LAB)
    print("\nhost layer on the lab (registry + master + N workers), %d cores, %s" % (os.cpu_count(), lab.image_name()))
    header = ("workers", "boot s", "converge s", "changed", "re-run s", "changed", "converge/host")
    print("%8s %10s %12s %9s %10s %9s %14s" % header)
    for workers, boot, converge, ch1, rerun, ch2 in rows:
        per_host = converge / (workers + 2)
        print("%8d %10.1f %12.1f %9d %10.1f %9d %14.1f" % (workers, boot, converge, ch1, rerun, ch2, per_host))


if __name__ == "__main__":
    main()
