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


def test_pull_from_the_private_registry(host):
    out = host.run("docker pull registry:5000/pause:3.1")
    assert out.rc == 0, out.stderr
    assert host.check_output("docker image inspect registry:5000/pause:3.1 --format '{{.Id}}'").startswith("sha256:")
