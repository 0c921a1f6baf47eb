"""Filters of plugins/filter/cluster.py (controller side, so they live apart from module_utils tests)."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.helmsman.kubeadm.plugins.filter import cluster


def test_registry_push_plan():
    entries = [{"path": "images/pause.tar", "image": "registry.k8s.io/pause:3.10.1"},
               {"path": "images/g.tar", "image": "grafana/grafana:12.0.1"}]
    assert cluster.registry_push_plan(entries, "reg:5000", "/var/lib/helmsman/images/") == [
        {"archive": "/var/lib/helmsman/images/pause.tar", "name": "reg:5000/pause:3.10.1"},
        {"archive": "/var/lib/helmsman/images/g.tar", "name": "reg:5000/grafana/grafana:12.0.1"}]


def test_mirror_image_errors_are_filter_errors():
    with pytest.raises(AnsibleFilterError, match="host\\[:port\\]"):
        cluster.mirror_image("nginx", "http://reg:5000")


def test_bundle_mismatches():
    entries = [{"path": "debs/a.deb", "sha256": "1" * 64}, {"path": "debs/b.deb", "sha256": "2" * 64},
               {"path": "debs/c.deb", "sha256": "3" * 64}]
    found = [{"path": "/srv/pool/a.deb", "checksum": "1" * 64}, {"path": "/srv/pool/b.deb", "checksum": "9" * 64}]
    assert [e["path"] for e in cluster.bundle_mismatches(entries, found)] == ["debs/b.deb", "debs/c.deb"]
    assert cluster.bundle_mismatches(entries, None) == entries


def test_filters_registered():
    assert set(cluster.FilterModule().filters()) == {
        "mirror_image", "subnet_problems", "host_addresses", "registry_push_plan",
        "bundle_mismatches", "node_metadata_patch", "node_metadata_problems", "inventory_problems"}


def test_registry_address_is_a_test_plugin():
    from ansible_collections.helmsman.kubeadm.plugins.test import registry
    test = registry.TestModule().tests()["registry_address"]
    assert test("registry:5000") and test("10.0.0.5") and not test("http://registry:5000") and not test("r:99999")


def test_one_decorator_maps_module_utils_errors():
    from ansible_collections.helmsman.kubeadm.plugins.filter import kubeadm, runtime
    with pytest.raises(AnsibleFilterError, match="^kubeadm_init_documents: "):
        kubeadm.kubeadm_init_documents("1.36.4", {})
    with pytest.raises(AnsibleFilterError, match="1.16.3"):
        kubeadm.kube_images("1.16.3")
    with pytest.raises(AnsibleFilterError, match="^cluster_kubernetes_version: 'latest'"):
        runtime.FilterModule().filters()["kube_runtime"]("auto", "latest")
