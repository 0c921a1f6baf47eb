"""The runtime rules, in their one place."""

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import runtimes


@pytest.mark.parametrize("choice,version,runtime,socket,cri_dockerd", [
    ("auto", "1.36.4", "containerd", "unix:///var/run/containerd/containerd.sock", False),
    ("auto", "1.24.0", "containerd", "unix:///var/run/containerd/containerd.sock", False),
    ("auto", "1.23.17", "docker", "/var/run/dockershim.sock", False),
    ("auto", "1.17.6", "docker", "/var/run/dockershim.sock", False),
    ("docker", "1.36.4", "docker", "unix:///var/run/cri-dockerd.sock", True),
    ("containerd", "1.17.6", "containerd", "unix:///var/run/containerd/containerd.sock", False),
])
def test_runtime_socket_and_cri_dockerd(choice, version, runtime, socket, cri_dockerd):
    assert runtimes.runtime_for(choice, version) == runtime
    assert runtimes.cri_socket(runtime, version) == socket
    assert runtimes.needs_cri_dockerd(runtime, version) is cri_dockerd


def test_bad_input_is_left_to_the_spec_or_names_the_variable():
    # an unknown choice is passed through for the argument spec's choices to refuse by name
    assert runtimes.runtime_for("podman", "1.36.4") == "podman"
    assert runtimes.cri_socket("podman", "1.36.4") == ""
    with pytest.raises(runtimes.RuntimeError_, match="^cluster_kubernetes_version: 'latest' is not"):
        runtimes.runtime_for("auto", "latest")
