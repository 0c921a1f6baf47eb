"""How far a no-op site.yml is from the floor: the time of the no-op re-run on a converged lab,
divided by the time of a playbook that runs the same number of tasks per host doing nothing, over
the same connection (the lab's docker connection, pipelining on). Prints a table; asserts nothing.

    .venv/bin/python benchmarks/floor.py [--workers 2] [--mitogen]

The floor is given two ways, from the re-run's own recap (per host: ok+changed tasks, skipped
tasks): "remote" runs one ansible.builtin.ping (a module round trip) per ok task, "controller" one
ansible.builtin.debug (no connection); skipped tasks are skipped in both. site.yml's ok tasks are
a mix of the two kinds (set_fact, assert and include tasks run on the controller), so its true
floor lies between them.

--mitogen runs the re-run and both floors again with Mitogen's strategy (mitogen_linear), if
the mitogen package is installed in this Python and works with this ansible-core; otherwise it
says why not.

Uses its own lab (containers hk-floor-*), removed at the end.
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
sys.path.insert(0, ROOT)
import lab  # noqa: E402  (the one lab definition)
from tests import runner  # noqa: E402  (the one ansible-playbook runner)

LAB = "floor"


def inventory_dir(mitogen=False):
    """The lab's dynamic inventory, pointed at this benchmark's containers. For Mitogen the hosts'
    connection is named ``docker``, the name its strategy redirects to its own docker transport
    (community.docker.docker, the name the inventory plugin sets, is not redirected)."""
    folder = os.path.join(ROOT, ".cache", "floor-inventory" + ("-mitogen" if mitogen else ""))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(ROOT, "inventory", "lab", "docker.yml"), encoding="utf-8") as handle:
        text = handle.read().replace("== 'lab'", "== '%s'" % LAB)
    if mitogen:
        text = text.replace("compose:\n", "compose:\n  ansible_connection: \"'docker'\"\n")
    with open(os.path.join(folder, "docker.yml"), "w", encoding="utf-8") as handle:
        handle.write(text)
    group_vars = os.path.join(folder, "group_vars")
    if not os.path.exists(group_vars):
        os.symlink(os.path.join(ROOT, "inventory", "lab", "group_vars"), group_vars)
    return folder


def run(playbook, inventory, env=None, *args):
    result = runner.ansible_playbook(playbook, inventory, *args,
                                     env=dict({"HELMSMAN_BUNDLE_DIR": os.path.join(ROOT, ".cache", "bundle")}, **(env or {})))
    if result.rc != 0:
        sys.stderr.write(result.output[-5000:])
        raise SystemExit("%s failed" % playbook)
    return result


def floor_playbook(counts, remote):
    """A playbook with, per host, as many do-nothing tasks as the re-run ran there (``counts``:
    {host: (ok, skipped)}), each one a ping (``remote``) or a debug, then the skipped ones."""
    most_ok = max(pair[0] for pair in counts.values())
    most_skipped = max(pair[1] for pair in counts.values())
    action = {"ansible.builtin.ping": {}} if remote else {"ansible.builtin.debug": {"msg": "floor"}}
    tasks = [dict({"name": "floor %d" % i, "when": "floor_counts[inventory_hostname][0] > %d" % i}, **action)
             for i in range(most_ok)]
    tasks += [{"name": "skipped %d" % i, "ansible.builtin.debug": {"msg": "never"}, "when": "floor_counts[inventory_hostname][1] < 0"}
              for i in range(most_skipped)]
    play = {"name": "floor", "hosts": ",".join(sorted(counts)), "gather_facts": False,
            "vars": {"floor_counts": {h: list(c) for h, c in counts.items()}}, "tasks": tasks}
    handle = tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False, dir=os.path.join(ROOT, ".cache"))
    json.dump([play], handle)
    handle.close()
    return handle.name


def mitogen_env():
    """The environment selecting Mitogen's strategy, or (None, why not)."""
    spec = importlib.util.find_spec("ansible_mitogen")
    if spec is None:
        return None, "the mitogen package is not installed in this Python (pip install mitogen)"
    strategy = os.path.join(os.path.dirname(spec.origin), "plugins", "strategy")
    return {"ANSIBLE_STRATEGY_PLUGINS": strategy, "ANSIBLE_STRATEGY": "mitogen_linear"}, None


def measure(inventory, env, label):
    rerun = run("site.yml", inventory, env)
    print("%s site.yml no-op: %.1f s" % (label, rerun.elapsed), flush=True)
    counts = {host: (c.get("ok", 0), c.get("skipped", 0)) for host, c in runner.recap(rerun.output).items()}
    changed = sum(c.get("changed", 0) for c in runner.recap(rerun.output).values())
    oks, skips = sum(pair[0] for pair in counts.values()), sum(pair[1] for pair in counts.values())
    rows = [(label + " site.yml no-op", rerun.elapsed, changed, oks, skips)]
    for remote in (True, False):
        path = floor_playbook(counts, remote)
        try:
            floor = run(path, inventory, env)
        finally:
            os.unlink(path)
        rows.append((label + " floor, " + ("remote (ping)" if remote else "controller (debug)"), floor.elapsed, 0, oks, skips))
        print("%s: %.1f s" % (rows[-1][0], floor.elapsed), flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mitogen", action="store_true", help="also with Mitogen's strategy")
    args = parser.parse_args()
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "bundle", "build.py")], check=True, stdout=subprocess.DEVNULL)
    inventory = inventory_dir()
    rows, notes = [], []
    try:
        lab.down(LAB)
        lab.up(LAB, lab.plan(args.workers, []))
        run("site.yml", inventory)  # converge
        rows += measure(inventory, None, "linear:")
        if args.mitogen:
            env, why = mitogen_env()
            if env is None:
                notes.append("Mitogen: " + why)
            else:
                try:
                    rows += measure(inventory_dir(mitogen=True), env, "mitogen:")
                except SystemExit as exc:
                    notes.append("Mitogen: %s with this ansible-core and the docker connection" % exc)
    finally:
        lab.down(LAB)
    print("\nno-op site.yml against the floor; registry + master + %d workers, %d cores" % (args.workers, os.cpu_count()))
    print("%-40s %9s %8s %9s %9s %7s" % ("run", "time s", "changed", "ok tasks", "skipped", "ratio"))
    base = {}
    for label, seconds, changed, ok, skipped in rows:
        strategy = label.split()[0]
        if "site.yml" in label:
            base[strategy] = seconds
        ratio = base[strategy] / seconds if "floor" in label else float("nan")
        print("%-40s %9.1f %8d %9d %9d %7.2f" % (label, seconds, changed, ok, skipped, ratio))
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
