import tomllib

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import toml_writer


def test_containerd_v2_layout_round_trips():
    config = {"version": 2, "plugins": {"io.containerd.grpc.v1.cri": {
        "sandbox_image": "reg:5000/pause:3.7",
        "registry": {"config_path": "/etc/containerd/certs.d"},
        "containerd": {"runtimes": {"runc": {
            "runtime_type": "io.containerd.runc.v2", "options": {"SystemdCgroup": True}}}}}}}
    text = toml_writer.to_toml(config)
    assert tomllib.loads(text) == config
    assert '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]\nSystemdCgroup = true' in text


def test_hosts_toml():
    data = {"server": "http://reg:5000", "host": {"http://reg:5000": {"capabilities": ["pull", "resolve"], "skip_verify": False}}}
    assert tomllib.loads(toml_writer.to_toml(data)) == data


def test_refuses_unrenderable():
    with pytest.raises(toml_writer.TomlError):
        toml_writer.to_toml({"a": object()})
    with pytest.raises(toml_writer.TomlError):
        toml_writer.to_toml(["x"])
