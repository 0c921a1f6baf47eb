"""site.yml on the lab (host layer, control plane and the lab's add-ons on the lab's release, real
Kubernetes from inventory/lab/group_vars, the same as make lab): converge
from fresh containers, the no-op re-run, and adding one worker to a lab of N workers, for each N:
with playbooks/scale.yml (the new host's work plus what the others must know: the time should not
grow with N) and, with --add-with site, by re-running site.yml. Prints a table and the slope of
the add time over N; asserts nothing.

    .venv/bin/python benchmarks/site.py [--workers 2 4 8] [--no-add] [--add-with scale|site] [--profile 10]

--no-add leaves out adding a worker; --profile N prints the N slowest tasks of each no-op re-run
(ansible.posix.profile_tasks, which ansible.cfg enables), i.e. where a re-run's time goes.

Uses its own lab (containers hk-bench-*), removed at the end.
"""

import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
sys.path.insert(0, ROOT)
import lab  # noqa: E402  (the one lab definition)
from tests import runner  # noqa: E402  (the one ansible-playbook runner)

LAB = "bench"


def playbook(inventory, *extra, path="site.yml"):
    result = runner.ansible_playbook(path, inventory, *extra,
                                     env={"HELMSMAN_BUNDLE_DIR": os.path.join(ROOT, ".cache", "bundle")})
    if result.rc != 0:
        sys.stderr.write(result.output[-6000:])
        raise SystemExit("%s failed" % path)
    changed = {host: counts.get("changed", 0) for host, counts in runner.recap(result.output).items()}
    return result.elapsed, changed, result.output


def inventory_file(path):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(open(os.path.join(ROOT, "inventory", "lab", "docker.yml"), encoding="utf-8").read()
                     .replace("== 'lab'", "== '%s'" % LAB))
    group_vars = os.path.join(os.path.dirname(path), "group_vars")
    if not os.path.exists(group_vars):
        os.symlink(os.path.join(ROOT, "inventory", "lab", "group_vars"), group_vars)
    return os.path.dirname(path)


def prepare(doc):
    """Parse --workers, build the bundle, write the benchmark lab's inventory; (args, inventory)."""
    parser = argparse.ArgumentParser(description=doc.split("\n", maxsplit=1)[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4, 8])
    parser.add_argument("--no-add", action="store_true", help="do not measure adding a worker")
    parser.add_argument("--add-with", choices=["scale", "site"], default="scale",
                        help="add the worker with playbooks/scale.yml (default) or by re-running site.yml")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the N slowest tasks of each re-run")
    args = parser.parse_args()
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "bundle", "build.py")], check=True,
                   stdout=subprocess.DEVNULL)
    inv_dir = os.path.join(ROOT, ".cache", "bench-inventory")
    os.makedirs(inv_dir, exist_ok=True)
    return args, inventory_file(os.path.join(inv_dir, "docker.yml"))


def main():
    args, inventory = prepare(__doc__)
    rows, profiles = [], []
    try:
        for workers in args.workers:
            lab.down(LAB)
            started = time.time()
            lab.up(LAB, lab.plan(workers, []))
            boot = time.time() - started
            converge, changed_first, _out = playbook(inventory)
            rerun, changed_rerun, out = playbook(inventory)
            profiles.append((workers, runner.slowest(out, args.profile)))
            added = new = others = float("nan")
            if not args.no_add:
                lab.up(LAB, lab.plan(workers + 1, []))
                name = lab.container_name(LAB, "worker%d" % (workers + 1))
                if args.add_with == "scale":
                    added, changed_add, _out = playbook(inventory, "-e", "scale_nodes=" + name, path="playbooks/scale.yml")
                else:
                    added, changed_add, _out = playbook(inventory)
                changed_add.pop("localhost", None)
                new = changed_add.pop(name, 0)
                others = sum(changed_add.values())
            rows.append((workers, boot, converge, sum(changed_first.values()), rerun, sum(changed_rerun.values()),
                         added, new, others))
            # each row as it comes: a later worker count that fails does not lose this one
            print("workers %d: boot %.1f s, converge %.1f s (%d changed), re-run %.1f s (%d changed), add one %.1f s "
                  "(new host %s changed, others %s)" % (rows[-1][:6] + (added, new, others)), flush=True)
    finally:
        lab.down(LAB)
    print("\nsite.yml on the lab (registry + master + N workers), %d cores, %s" % (os.cpu_count(), lab.image_name()))
    header = ("workers", "boot s", "converge s", "changed", "re-run s", "changed", "add one s", "new host chg", "others chg")
    print("adding one worker with %s" % ("playbooks/scale.yml" if args.add_with == "scale" else "site.yml"))
    print("%8s %8s %11s %8s %9s %8s %10s %13s %11s" % header)
    for row in rows:
        print("%8d %8.1f %11.1f %8d %9.1f %8d %10.1f %13.0f %11.0f" % row)
    added = [(row[0], row[6]) for row in rows if row[6] == row[6]]
    if len(added) >= 2:  # least-squares slope of the add time over the number of workers
        counts, times = [n for n, t in added], [t for n, t in added]
        mean_n, mean_t = sum(counts) / len(counts), sum(times) / len(times)
        slope = sum((n - mean_n) * (t - mean_t) for n, t in added) / sum((n - mean_n) ** 2 for n in counts)
        print("slope of 'add one': %.2f s per existing worker" % slope)
    for workers, top in profiles:
        if top:
            print("\nslowest tasks of the no-op re-run, %d workers (profile_tasks):" % workers)
            for seconds, task in top:
                print("%8.2f s  %s" % (seconds, task))


if __name__ == "__main__":
    main()
