import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import kube_versions as kv


@pytest.mark.parametrize("version,repo", [
    ("1.17.6", "k8s.gcr.io"), ("1.21.14", "k8s.gcr.io"), ("1.22.16", "k8s.gcr.io"), ("1.22.17", "registry.k8s.io"),
    ("1.23.14", "k8s.gcr.io"), ("1.23.15", "registry.k8s.io"), ("1.24.8", "k8s.gcr.io"), ("1.24.9", "registry.k8s.io"),
    ("1.25.0", "registry.k8s.io"), ("1.36.4", "registry.k8s.io"),
])
def test_default_repository(version, repo):
    assert kv.default_image_repository(version) == repo


@pytest.mark.parametrize("version,etcd,coredns", [
    ("1.19.0", "3.4.9-1", "coredns:1.7.0"), ("1.19.5", "3.4.13-0", "coredns:1.7.0"),
    ("1.21.3", "3.4.13-0", "coredns/coredns:v1.8.0"),
    ("1.30.4", "3.5.12-0", "coredns/coredns:v1.11.1"), ("1.30.5", "3.5.15-0", "coredns/coredns:v1.11.3"),
    ("1.34.1", "3.6.4-0", "coredns/coredns:v1.12.1"), ("1.34.2", "3.6.5-0", "coredns/coredns:v1.12.1"),
])
def test_patch_level_image_changes(version, etcd, coredns):
    facts = kv.images(version)
    assert (facts["etcd"], facts["coredns"]) == (etcd, coredns)


def test_every_supported_minor_has_facts():
    for minor in range(kv.MIN_MINOR, kv.MAX_MINOR + 1):
        version = "1.%d.0" % minor
        assert kv.images(version)["pause"]
        assert kv.config_api(version) in kv.accepted_apis(version)
        assert len(kv.control_plane_images(version)) == 7


def test_outside_the_table():
    with pytest.raises(kv.VersionError):
        kv.images("1.16.3")


@pytest.mark.parametrize("version,tag", [("1.17.6", "3.1"), ("1.20.15", "3.2"), ("1.24.17", "3.7"), ("1.30.1", "3.9"),
                                         ("1.33.0", "3.10"), ("1.35.1", "3.10.1"), ("1.36.4", "3.10.2")])
def test_pause_tag(version, tag):
    assert kv.pause_tag(version) == tag


def test_the_cluster_configurations_dns_and_etcd_tags_name_the_images_kubeadm_pulls():
    """kubeadm's GetDNSImage and GetEtcdImage: dns.imageTag and etcd.local.imageTag replace the
    release's tags, on the same repository paths; nothing else changes."""
    plain = kv.control_plane_images("1.36.3")
    assert "registry.k8s.io/coredns/coredns:v1.14.2" in plain
    tags = {"dns": {"imageTag": "v1.14.3"}, "etcd": {"local": {"imageTag": "3.6.9-0"}}}
    changed = kv.control_plane_images("1.36.3", cluster_configuration=tags)
    assert set(plain) ^ set(changed) == {"registry.k8s.io/coredns/coredns:v1.14.2", "registry.k8s.io/coredns/coredns:v1.14.3",
                                         "registry.k8s.io/etcd:%s" % kv.images("1.36.3")["etcd"], "registry.k8s.io/etcd:3.6.9-0"}
    # the runbook profile's CoreDNS path has no coredns/ folder
    assert "k8s.gcr.io/coredns:1.6.9" in kv.control_plane_images("1.17.6", cluster_configuration={"dns": {"imageTag": "1.6.9"}})
    assert kv.control_plane_images("1.36.3", cluster_configuration={"dns": {}, "etcd": {"external": {}}}) == plain
