"""Filters fronting addons, addon_edits and manifests: registered, argument order as documented
(input first), module_utils errors as filter errors."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.helmsman.kubeadm.plugins.filter import addon_edits, addons, manifests

FILTERS = {}
for _plugin in (addon_edits, addons, manifests):
    FILTERS.update(_plugin.FilterModule().filters())


def test_registered():
    assert set(FILTERS) == {"addon_release", "addon_default_version", "addon_support", "removed_api_problems",
                            "flannel_net_conf", "flannel_architectures", "kube_architectures", "ingress_host_network",
                            "service_node_port", "k8s_documents", "manifest_images", "mirror_manifest"}


def test_addon_filters_take_the_input_first():
    assert FILTERS["addon_release"]("v0.28.9", "flannel")["files"][0]["name"] == "kube-flannel.yml"
    assert FILTERS["addon_default_version"]("1.36.4", "ingress-nginx") == "v1.15.1"
    support = FILTERS["addon_support"]("v0.12.0", "flannel", "1.36.4", "flannel_version")
    assert support["problems"] and support["problems"][0].startswith("flannel_version: ") and support["warnings"] == []


@pytest.mark.parametrize("name,args,fragment", [
    ("addon_release", ("v9", "flannel", "flannel_version"), "flannel_version: flannel 'v9'"),
    ("k8s_documents", ("a: [\n", "x.yml"), "x.yml: line"),
    ("kube_architectures", (["mips"],), "'mips'"),
    ("service_node_port", ([], "monitoring", "grafana"), "no Service monitoring/grafana"),
])
def test_errors_are_filter_errors(name, args, fragment):
    with pytest.raises(AnsibleFilterError, match=fragment):
        FILTERS[name](*args)
