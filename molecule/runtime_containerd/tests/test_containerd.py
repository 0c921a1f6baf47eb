"""containerd pulls from the private registry over TLS and runs with the systemd cgroup driver."""

import tomllib

import pytest

testinfra_hosts = ["node"]


def test_containerd_running(host):
    assert host.service("containerd").is_running and host.service("containerd").is_enabled


def test_config_uses_systemd_cgroup_and_private_sandbox(host):
    config = tomllib.loads(host.file("/etc/containerd/config.toml").content_string)
    cri = config["plugins"]["io.containerd.grpc.v1.cri"]  # Debian bookworm ships containerd 1.6
    assert config["version"] == 2
    assert cri["containerd"]["runtimes"]["runc"]["options"]["SystemdCgroup"] is True
    assert cri["sandbox_image"] == "registry:5000/pause:3.10.2"
    assert cri["registry"]["config_path"] == "/etc/containerd/certs.d"


def test_running_containerd_reports_the_config(host):
    dump = host.check_output("containerd config dump")
    assert "SystemdCgroup = true" in dump
    assert 'sandbox_image = "registry:5000/pause:3.10.2"' in dump


def test_hosts_toml_trusts_the_registry_ca(host):
    hosts = tomllib.loads(host.file("/etc/containerd/certs.d/registry:5000/hosts.toml").content_string)
    assert hosts["server"] == "https://registry:5000"
    assert hosts["host"]["https://registry:5000"]["ca"] == "/etc/containerd/certs.d/registry:5000/ca.crt"
    assert "BEGIN CERTIFICATE" in host.file("/etc/containerd/certs.d/registry:5000/ca.crt").content_string


def test_pull_credentials_are_private(host):
    hosts = host.file("/etc/containerd/certs.d/registry:5000/hosts.toml")
    assert hosts.mode == 0o600 and hosts.user == "root"
    entry = tomllib.loads(hosts.content_string)["host"]["https://registry:5000"]
    assert entry["header"]["Authorization"][0].startswith("Basic ")


def test_pull_without_credentials_is_refused(host):
    host.run("mkdir -p /tmp/hk-no-creds/registry:5000 && cp /etc/containerd/certs.d/registry:5000/ca.crt /tmp/hk-no-creds/registry:5000/")
    out = host.run("ctr --namespace k8s.io images pull --hosts-dir /tmp/hk-no-creds registry:5000/pause:3.10.1")
    err = out.stderr.lower()
    assert out.rc != 0 and ("401" in err or "unauthorized" in err or "authorization" in err), out.stderr


@pytest.mark.parametrize("image", ["registry:5000/pause:3.10.2", "registry:5000/coredns/coredns:v1.12.0"])
def test_pull_through_the_runtime(host, image):
    out = host.run("ctr --namespace k8s.io images pull --hosts-dir /etc/containerd/certs.d %s", image)
    assert out.rc == 0, out.stderr
    assert image in host.check_output("ctr --namespace k8s.io images ls -q")


def test_pull_without_the_ca_fails(host):
    out = host.run("ctr --namespace k8s.io images pull registry:5000/pause:3.10.1")
    assert out.rc != 0 and ("certificate" in out.stderr or "x509" in out.stderr)
