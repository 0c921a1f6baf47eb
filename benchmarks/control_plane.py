"""Control plane on the lab (over the control-plane simulator): full converge of site.yml from
fresh containers, the no-op re-run, and adding one worker to a lab of N workers (the time to add
one should not grow with N; every host but the new one should report changed=0). Prints a table;
asserts nothing.

    .venv/bin/python benchmarks/control_plane.py [--workers 2 4 8]

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
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
import lab  # noqa: E402  (the one lab definition)
from host_layer import LAB, inventory_file  # noqa: E402


def site(inventory):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               HELMSMAN_BUNDLE_DIR=os.path.join(ROOT, ".cache", "bundle"))
    started = time.time()
    proc = subprocess.run([os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), "-i", inventory,
                           os.path.join(ROOT, "site.yml")], env=env, capture_output=True, text=True, check=False, cwd=ROOT)
    elapsed = time.time() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-2000:])
        raise SystemExit("site.yml failed")
    recap = proc.stdout.split("PLAY RECAP")[-1]
    changed = {host: int(n) for host, n in re.findall(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)", recap, re.M)}
    return elapsed, changed


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
            lab.up(LAB, lab.plan(workers, []))
            converge = site(inventory)[0]
            rerun, changed_rerun = site(inventory)
            lab.up(LAB, lab.plan(workers + 1, []))
            added, changed_add = site(inventory)
            new = "worker%d" % (workers + 1)
            others = sum(n for host, n in changed_add.items() if host != new)
            rows.append((workers, converge, rerun, sum(changed_rerun.values()), added, changed_add.get(new, 0), others))
    finally:
        lab.down(LAB)
    print("\nsite.yml (host layer + control plane) on the lab, %d cores, %s" % (os.cpu_count(), lab.image_name()))
    header = ("workers", "converge s", "re-run s", "changed", "add one s", "new host chg", "others chg")
    print("%8s %11s %9s %8s %10s %13s %11s" % header)
    for row in rows:
        print("%8d %11.1f %9.1f %8d %10.1f %13d %11d" % row)


if __name__ == "__main__":
    main()
