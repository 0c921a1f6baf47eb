"""docker with the systemd cgroup driver pulls from the plain-HTTP private registry."""

import json

testinfra_hosts = ["node"]


def test_docker_running(host):
    assert host.service("docker").is_running and host.service("docker").is_enabled


def test_daemon_json(host):
    daemon = json.loads(host.file("/etc/docker/daemon.json").content_string)
    assert daemon["exec-opts"] == ["native.cgroupdriver=systemd"]
    assert daemon["insecure-registries"] == ["registry:5000"]
    assert daemon["log-driver"] == "json-file"


def test_docker_reports_systemd_cgroup_driver(host):
    assert host.check_output("docker info --format '{{.CgroupDriver}}'").strip() == "systemd"


def test_pull_from_the_private_registry_with_the_kubelets_credentials(host):
    """The registry requires users (cluster_registry_users); the kubelet's credential file, which
    it pulls with, is what docker is given here too."""
    creds = host.file("/var/lib/kubelet/config.json")
    assert creds.mode == 0o600 and creds.user == "root"
    assert list(json.loads(creds.content_string)["auths"]) == ["registry:5000"]
    out = host.run("docker --config /var/lib/kubelet pull registry:5000/pause:3.1")
    assert out.rc == 0, out.stderr
    assert host.check_output("docker image inspect registry:5000/pause:3.1 --format '{{.Id}}'").startswith("sha256:")


def test_pull_without_credentials_is_refused(host):
    out = host.run("docker --config /tmp/hk-no-creds pull registry:5000/coredns/coredns:v1.12.0")
    assert out.rc != 0 and ("unauthorized" in out.stderr.lower() or "no basic auth" in out.stderr.lower()), out.stderr
