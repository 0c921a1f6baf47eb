"""Filters fronting images, bundle, network_checks, node_meta and runtimes, and the test plugin
(controller side, so they live apart from module_utils tests); every filter has its sidecar docs."""

import os

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.helmsman.kubeadm.plugins import filter as filter_pkg
from ansible_collections.helmsman.kubeadm.plugins.filter import bundle, images, network_checks, node_meta, runtimes

FILTERS = {}
for _plugin in (bundle, images, network_checks, node_meta, runtimes):
    FILTERS.update(_plugin.FilterModule().filters())


def test_registry_push_plan():
    entries = [{"path": "images/pause.tar", "image": "registry.k8s.io/pause:3.10.1"},
               {"path": "images/g.tar", "image": "grafana/grafana:12.0.1"}]
    assert FILTERS["registry_push_plan"](entries, "reg:5000", "/var/lib/helmsman/images/") == [
        {"archive": "/var/lib/helmsman/images/pause.tar", "name": "reg:5000/pause:3.10.1"},
        {"archive": "/var/lib/helmsman/images/g.tar", "name": "reg:5000/grafana/grafana:12.0.1"}]


def test_mirror_image_errors_are_filter_errors():
    with pytest.raises(AnsibleFilterError, match="host\\[:port\\]"):
        FILTERS["mirror_image"]("nginx", "http://reg:5000")


def test_bundle_mismatches():
    entries = [{"path": "debs/a.deb", "sha256": "1" * 64}, {"path": "debs/b.deb", "sha256": "2" * 64},
               {"path": "debs/c.deb", "sha256": "3" * 64}]
    found = [{"path": "/srv/pool/a.deb", "checksum": "1" * 64}, {"path": "/srv/pool/b.deb", "checksum": "9" * 64}]
    assert [e["path"] for e in FILTERS["bundle_mismatches"](entries, found)] == ["debs/b.deb", "debs/c.deb"]
    assert FILTERS["bundle_mismatches"](entries, None) == entries


def test_filters_registered():
    assert set(FILTERS) == {
        "mirror_image", "subnet_problems", "host_addresses", "registry_push_plan", "bundle_mismatches",
        "node_metadata_patch", "node_metadata_problems", "inventory_problems", "hosts_block", "recall_hosts_block", "kube_runtime", "kube_needs_cri_dockerd",
        "kube_cri_socket"}


def test_each_filter_file_fronts_the_module_utils_file_of_its_name_and_every_filter_has_docs():
    folder = os.path.dirname(filter_pkg.__file__) if filter_pkg.__file__ else filter_pkg.__path__[0]
    utils = os.path.join(os.path.dirname(folder), "module_utils")
    plugins = sorted(f[:-3] for f in os.listdir(folder) if f.endswith(".py") and f != "__init__.py")
    assert plugins and all(os.path.exists(os.path.join(utils, name + ".py")) for name in plugins), plugins
    docs = set(f[:-4] for f in os.listdir(folder) if f.endswith(".yml"))
    registered = set()
    for name in plugins:
        module = __import__("ansible_collections.helmsman.kubeadm.plugins.filter." + name, fromlist=["FilterModule"])
        registered |= set(module.FilterModule().filters())
    assert registered == docs


def test_registry_address_is_a_test_plugin():
    from ansible_collections.helmsman.kubeadm.plugins.test import images as image_tests
    test = image_tests.TestModule().tests()["registry_address"]
    assert test("registry:5000") and test("10.0.0.5") and not test("http://registry:5000") and not test("r:99999")


def test_one_decorator_maps_module_utils_errors():
    from ansible_collections.helmsman.kubeadm.plugins.filter import kube_versions, kubeadm_config
    with pytest.raises(AnsibleFilterError, match="^kubeadm_init_documents: "):
        kubeadm_config.FilterModule().filters()["kubeadm_init_documents"]("1.36.4", {})
    with pytest.raises(AnsibleFilterError, match="1.16.3"):
        kube_versions.FilterModule().filters()["kube_images"]("1.16.3")
    with pytest.raises(AnsibleFilterError, match="^cluster_kubernetes_version: 'latest'"):
        FILTERS["kube_runtime"]("auto", "latest")
