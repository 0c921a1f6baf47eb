import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import images


@pytest.mark.parametrize("ref,expected", [
    ("registry.k8s.io/pause:3.10.1", "reg:5000/pause:3.10.1"),
    ("registry.k8s.io/coredns/coredns:v1.12.0", "reg:5000/coredns/coredns:v1.12.0"),
    ("k8s.gcr.io/coredns:1.6.5", "reg:5000/coredns:1.6.5"),
    ("quay.io/coreos/flannel:v0.12.0-amd64", "reg:5000/coreos/flannel:v0.12.0-amd64"),
    ("grafana/grafana:12.0.1", "reg:5000/grafana/grafana:12.0.1"),
    ("docker.io/grafana/grafana:12.0.1", "reg:5000/grafana/grafana:12.0.1"),
    ("index.docker.io/grafana/grafana", "reg:5000/grafana/grafana:latest"),
    ("nginx", "reg:5000/library/nginx:latest"),
    ("nginx:1.27", "reg:5000/library/nginx:1.27"),
    ("localhost/team/app:1", "reg:5000/team/app:1"),
    ("myreg:5000/team/app:1", "reg:5000/team/app:1"),
    ("registry.k8s.io/ingress-nginx/controller:v1.12.1@sha256:" + "a" * 64, "reg:5000/ingress-nginx/controller:v1.12.1"),
    ("quay.io/prometheus/prometheus@sha256:" + "0123456789abcdef" * 4, "reg:5000/prometheus/prometheus:sha256-0123456789abcdef"),
])
def test_mirror_rule(ref, expected):
    assert images.mirror_ref(ref, "reg:5000") == expected


@pytest.mark.parametrize("ref", ["", " nginx", "Nginx:1", "registry.k8s.io/pause:", "a/b:c@sha256:xyz", "a//b:1",
                                 "registry.k8s.io/pause:bad tag"])
def test_bad_references(ref):
    with pytest.raises(images.ImageRefError):
        images.mirror_ref(ref, "reg:5000")


@pytest.mark.parametrize("value,ok", [
    ("registry", True), ("registry:5000", True), ("192.168.1.100:5000", True), ("[fd00::1]:5000", True),
    ("reg.example.com", True), ("hk-lab-registry:5000", True),
    ("http://registry:5000", False), ("registry:5000/v2", False), ("registry:0", False), ("registry:70000", False),
    ("", False), ("reg istry", False), ("-bad:5000", False), (None, False), ("user@registry", False),
])
def test_registry_address(value, ok):
    assert images.valid_registry_address(value) is ok


def test_mirror_refuses_bad_registry():
    with pytest.raises(images.ImageRefError, match="host\\[:port\\]"):
        images.mirror_ref("nginx", "http://reg")
