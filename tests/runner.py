"""The one ansible-playbook runner of the tests and benchmarks: this checkout's ansible.cfg and
collection link, no colour, the venv's ansible-playbook; the fixture ``ansible_playbook``
(tests/conftest.py) hands it to tests."""

import collections
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

Result = collections.namedtuple("Result", "rc output elapsed")


def environment(**extra):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".cache", "collections"), ANSIBLE_LOCALHOST_WARNING="0")
    env.update(extra)
    return env


def ansible_playbook(playbook, inventory, *args, env=None):
    """Run ``playbook`` (a path, or a name relative to the checkout) on ``inventory`` (a path or
    a host list such as ``localhost,``) from the checkout; returns Result(rc, stdout+stderr, seconds)."""
    import time
    argv = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(inventory),
            os.path.join(ROOT, str(playbook))] + [str(a) for a in args]
    started = time.time()
    proc = subprocess.run(argv, env=environment(**(env or {})), capture_output=True, text=True, check=False, cwd=ROOT)
    return Result(proc.returncode, proc.stdout + proc.stderr, time.time() - started)


def changed_tasks(output):
    """{host: [names of the tasks that reported changed on it]} from ansible-playbook's output."""
    found, task = {}, None
    for line in output.splitlines():
        match = re.match(r"^TASK \[(.+)\] \*+", line)
        if match:
            task = match.group(1)
            continue
        match = re.match(r"^changed: \[([^\]]+?)(?: -> [^\]]+)?\]", line)
        if match and task not in found.setdefault(match.group(1), []):
            found[match.group(1)].append(task)
    for host in recap(output):
        found.setdefault(host, [])
    return found


def recap(output):
    """{host: {ok, changed, unreachable, failed, ...}} from the PLAY RECAP."""
    text = output.split("PLAY RECAP")[-1]
    return {host: dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", counts))
            for host, counts in re.findall(r"^(\S+)\s+: (ok=.*)$", text, re.M)}


def slowest(output, count):
    """The ``count`` slowest tasks from profile_tasks' TASKS RECAP: [(seconds, task)]."""
    text = output.split("TASKS RECAP")[-1]
    rows = [(float(sec), name.strip()) for name, sec in re.findall(r"^(.+?) -{3,} (\d+\.\d+)s$", text, re.M)]
    return sorted(rows, reverse=True)[:count]


def ansible_playbook_watched(playbook, inventory, *args, env=None, watch=None):
    """ansible_playbook, reading the output as it comes: ``watch(task)`` is called with each task's
    name as it starts and may return seconds after which the whole run is killed (SIGKILL to its
    process group: a controller that crashed). Returns Result(rc, output, seconds); rc is -9 for a
    killed run."""
    import signal
    import threading
    import time
    argv = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(inventory),
            os.path.join(ROOT, str(playbook))] + [str(a) for a in args]
    started = time.time()
    proc = subprocess.Popen(argv, env=environment(**(env or {})), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, cwd=ROOT, start_new_session=True)
    lines, timer = [], None
    for line in proc.stdout:
        lines.append(line)
        match = re.match(r"^TASK \[(.+)\] \*+", line)
        if match and watch and timer is None:
            delay = watch(match.group(1))
            if delay is not None:
                timer = threading.Timer(delay, os.killpg, (proc.pid, signal.SIGKILL))
                timer.start()
    proc.wait()
    if timer:
        timer.cancel()
    return Result(proc.returncode, "".join(lines), time.time() - started)
