import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import kubeadm_cli


class Failed(Exception):
    pass


class FakeModule:
    """What kubeadm_cli needs of an AnsibleModule: run_command, get_bin_path, fail_json."""

    def __init__(self, answers=None, bin_path=None):
        self.answers = list(answers or [])
        self.calls = []
        self.bin_path = bin_path

    def run_command(self, argv, environ_update=None):
        self.calls.append((argv, environ_update))
        return self.answers.pop(0)

    def get_bin_path(self, name, required=False):
        return self.bin_path

    def fail_json(self, **kwargs):
        raise Failed(kwargs)


def test_redact_keeps_the_id_and_hides_the_secret():
    text = "token abcdef.0123456789abcdef is invalid; id abcdef"
    assert kubeadm_cli.redact(text) == "token abcdef.<redacted> is invalid; id abcdef"
    assert kubeadm_cli.redact(None) == ""


def test_find_kubeadm_refuses_a_path_that_is_not_executable(tmp_path):
    path = tmp_path / "kubeadm"
    path.write_text("#!/bin/sh\n")
    path.chmod(0o644)
    with pytest.raises(Failed, match="is not an executable file"):
        kubeadm_cli.find_kubeadm(FakeModule(), str(path))
    path.chmod(0o755)
    assert kubeadm_cli.find_kubeadm(FakeModule(), str(path)) == str(path)


def test_a_failure_is_reported_without_the_secret_and_with_the_c_locale():
    module = FakeModule([(1, "", "could not create token abcdef.0123456789abcdef\n")])
    runner = kubeadm_cli.KubeadmRunner(module, "/usr/bin/kubeadm", "/etc/kubernetes/admin.conf")
    with pytest.raises(Failed) as failed:
        runner.run(["kubeadm", "token", "create"], "token create")
    msg = failed.value.args[0]["msg"]
    assert "0123456789abcdef" not in msg and "abcdef.<redacted>" in msg and "rc=1" in msg
    assert module.calls[0][1] == {"LC_ALL": "C"}
