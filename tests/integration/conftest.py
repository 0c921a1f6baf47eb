"""Shared fixtures: a running API emulator and the kubeadm double pointed at it."""

import os
import sys

import pytest

from tests.emulator import Emulator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KUBEADM = os.path.join(ROOT, "tests", "simulator", "kubeadm")


@pytest.fixture
def emulator():
    emu = Emulator().start()
    yield emu
    emu.stop()


@pytest.fixture
def admin_kubeconfig(emulator, tmp_path):
    return emulator.kubeconfig(path=str(tmp_path / "admin.conf"))


@pytest.fixture
def kubeadm(tmp_path, monkeypatch):
    """A kubeadm on PATH that runs the double with this interpreter (which has every test dependency)."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    wrapper = bindir / "kubeadm"
    wrapper.write_text("#!/bin/sh\nexec %s %s \"$@\"\n" % (sys.executable, KUBEADM))
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", "%s:%s" % (bindir, os.environ.get("PATH", "")))
    return str(wrapper)
