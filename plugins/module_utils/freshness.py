# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Is what runs (a service) or what was generated (an index) older than what it is made from?

A handler carries the effect of a configuration change: the file is written in one task, the
service restarted at the end of the play. A run that dies in between leaves the new file on disk
and the service on the old one, and the next run, finding the file as wanted, notifies nothing.
Comparing times closes that gap without any state of our own: a service that entered its active
state before one of its configuration files was last modified runs an older configuration.

systemd reports ``ActiveEnterTimestampMonotonic`` (microseconds of CLOCK_MONOTONIC); file times
are wall-clock. Both are brought to the monotonic clock with the current offset between the two,
so wall-clock steps between the service start and now do not matter, only those between the file
write and now (a clock stepped back by more than the time since the write hides that write).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time


def newest_change(paths, stat=os.stat):
    """(mtime, path) of the most recently modified existing path, or (None, None). A folder
    counts by its own mtime, which changes when an entry is added, removed or replaced."""
    newest, which = None, None
    for path in paths:
        try:
            mtime = stat(path).st_mtime
        except OSError:
            continue
        if newest is None or mtime > newest:
            newest, which = mtime, path
    return newest, which


def parse_systemctl_show(text):
    """``systemctl show --property=...`` output (KEY=value lines) as a dict."""
    values = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip()
    return values


def service_started_wall(show, wall_now, monotonic_now):
    """Wall-clock time the service became active, from ``systemctl show`` values; None when it is
    not active (nothing runs an old configuration then)."""
    if show.get("ActiveState") not in ("active", "reloading"):
        return None
    try:
        entered = int(show.get("ActiveEnterTimestampMonotonic") or 0)
    except ValueError:
        return None
    if entered <= 0:
        return None
    return wall_now - (monotonic_now - entered / 1e6)


def judge(reference_time, newest_time, newest_path, what):
    """The result: ``changed`` (a restart or rebuild is due) with a sentence saying why."""
    if reference_time is None:
        return {"changed": False, "pending": False, "msg": "%s is not running or does not exist: nothing to refresh" % what}
    if newest_time is None:
        return {"changed": False, "pending": False, "msg": "none of the source files of %s exists" % what}
    pending = newest_time > reference_time
    if pending:
        msg = "%s is older than %s (modified %.3f s after it): a refresh is due" % (
            what, newest_path, newest_time - reference_time)
    else:
        msg = "%s is newer than every source file" % what
    return {"changed": pending, "pending": pending, "msg": msg, "source": newest_path}


def check_service(unit, sources, run_show, stat=os.stat, clock=time.time, monotonic=time.monotonic):
    """Whether ``unit`` runs a configuration older than ``sources``. ``run_show(unit)`` returns the
    output of ``systemctl show --property=ActiveState,ActiveEnterTimestampMonotonic <unit>``."""
    show = parse_systemctl_show(run_show(unit))
    started = service_started_wall(show, clock(), monotonic())
    newest, which = newest_change(sources, stat)
    return judge(started, newest, which, "service %s" % unit)


def check_target(target, sources, stat=os.stat):
    """Whether the generated file ``target`` is older than ``sources`` (or missing while a source exists)."""
    try:
        reference = stat(target).st_mtime
    except OSError:
        reference = None
    newest, which = newest_change(sources, stat)
    if reference is None and newest is not None:
        return {"changed": True, "pending": True, "source": which,
                "msg": "%s does not exist while its sources do: a rebuild is due" % target}
    return judge(reference, newest, which, target)
