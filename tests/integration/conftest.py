"""Shared fixtures: a running API emulator and the kubeadm double pointed at it."""

import json
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


@pytest.fixture(scope="session")
def built_bundle(tmp_path_factory):
    """A bundle built by playbooks/bundle.yml from the stand-in sources (tests/bundle/sources.py):
    {dir, vars (the builder's extra variables), output (the first build's)}. The stand-ins stay
    up until the session ends (a test that must not reach them calls sources.down())."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "bundle"))
    import build  # pylint: disable=import-outside-toplevel
    import sources  # pylint: disable=import-outside-toplevel
    from tests import runner  # pylint: disable=import-outside-toplevel
    work = tmp_path_factory.mktemp("hk-bundle-build")
    extra = sources.up(build.build_locked(os.path.join(ROOT, ".cache", "bundle")), str(work))
    extra["bundle_dir"] = str(work / "bundle")
    vars_file = work / "sources.json"
    vars_file.write_text(json.dumps(extra))
    result = runner.ansible_playbook("playbooks/bundle.yml", "localhost,", "-e", "@%s" % vars_file)
    assert result.rc == 0, result.output[-5000:]
    yield {"dir": extra["bundle_dir"], "vars": extra, "vars_file": str(vars_file), "output": result.output}
    sources.down()
