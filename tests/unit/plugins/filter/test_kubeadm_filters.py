import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.helmsman.kubeadm.plugins.filter import bootstrap_token, kube_versions, kubeadm_config, toml_writer

FILTERS = {}
for _plugin in (bootstrap_token, kube_versions, kubeadm_config, toml_writer):
    FILTERS.update(_plugin.FilterModule().filters())


@pytest.mark.parametrize("version,api", [
    ("1.17.6", "kubeadm.k8s.io/v1beta2"), ("v1.21.14", "kubeadm.k8s.io/v1beta2"),
    ("1.22.0", "kubeadm.k8s.io/v1beta3"), ("1.30", "kubeadm.k8s.io/v1beta3"),
    ("1.31.1", "kubeadm.k8s.io/v1beta4"), ("1.36.4", "kubeadm.k8s.io/v1beta4"), ("1.37.0-rc.0", "kubeadm.k8s.io/v1beta4"),
])
def test_config_api(version, api):
    assert FILTERS["kubeadm_config_api"](version) == api
    assert api in FILTERS["kubeadm_config_apis"](version)


@pytest.mark.parametrize("version,apis", [
    ("1.17.6", ["kubeadm.k8s.io/v1beta2"]),
    ("1.24.17", ["kubeadm.k8s.io/v1beta2", "kubeadm.k8s.io/v1beta3"]),
    ("1.28.0", ["kubeadm.k8s.io/v1beta3"]),
    ("1.33.0", ["kubeadm.k8s.io/v1beta3", "kubeadm.k8s.io/v1beta4"]),
    ("1.37.1", ["kubeadm.k8s.io/v1beta4"]),
])
def test_accepted(version, apis):
    assert FILTERS["kubeadm_config_apis"](version) == apis


@pytest.mark.parametrize("version", ["1.16.0", "1.38.0", "2.0.0", "latest", "", "1.x"])
def test_refused(version):
    with pytest.raises(AnsibleFilterError):
        FILTERS["kubeadm_config_api"](version)


def test_filters_registered():
    assert set(FILTERS) == {"kubeadm_config_api", "kubeadm_config_apis", "kube_minor", "kube_pause_image", "kube_images",
                            "kubeadm_init_documents", "kubeadm_join_documents", "kubeadm_config_warnings", "to_toml",
                            "token_ttl_problems", "kubeadm_immutable_changes", "kubeadm_init_addons"}


def test_kube_images_runbook_profile():
    assert FILTERS["kube_images"]("1.17.6") == [
        "k8s.gcr.io/kube-apiserver:v1.17.6", "k8s.gcr.io/kube-controller-manager:v1.17.6",
        "k8s.gcr.io/kube-scheduler:v1.17.6", "k8s.gcr.io/kube-proxy:v1.17.6",
        "k8s.gcr.io/pause:3.1", "k8s.gcr.io/etcd:3.4.3-0", "k8s.gcr.io/coredns:1.6.5"]


def test_kube_images_default_and_private_repository():
    assert FILTERS["kube_images"]("1.36.4")[-3:] == [
        "registry.k8s.io/pause:3.10.2", "registry.k8s.io/etcd:3.6.8-0", "registry.k8s.io/coredns/coredns:v1.14.2"]
    assert FILTERS["kube_images"]("1.36.4", "192.168.1.100:5000")[0] == "192.168.1.100:5000/kube-apiserver:v1.36.4"


def test_kubeadm_init_documents_errors_are_filter_errors():
    with pytest.raises(AnsibleFilterError, match="settings missing: advertise_address, cri_socket, pod_subnet, service_subnet"):
        FILTERS["kubeadm_init_documents"]("1.36.4", {})
    docs = FILTERS["kubeadm_init_documents"]("1.36.4", {
        "advertise_address": "10.0.0.1", "cri_socket": "unix:///x.sock",
        "pod_subnet": "10.244.0.0/16", "service_subnet": "10.254.0.0/16"})
    assert [d["kind"] for d in docs] == ["InitConfiguration", "ClusterConfiguration", "KubeletConfiguration",
                                         "KubeProxyConfiguration"]


def test_join_filter_names_the_problem():
    with pytest.raises(AnsibleFilterError, match="kubeadm_join_documents: .*unsafeSkipCAVerification"):
        FILTERS["kubeadm_join_documents"]("1.36.4", {
            "api_server_endpoint": "m:6443", "token": "abcdef.0123456789abcdef", "ca_cert_hashes": ["sha256:" + "0" * 64],
            "cri_socket": "unix:///run/containerd/containerd.sock",
            "extra": {"discovery": {"bootstrapToken": {"unsafeSkipCAVerification": True}}}})


def test_warnings_filter_flags_ipvs_from_1_35():
    assert FILTERS["kubeadm_config_warnings"]("1.34.2", {"proxy_mode": "ipvs"}) == []
    assert "IPVS" in FILTERS["kubeadm_config_warnings"]("1.36.4", {"proxy_mode": "ipvs"})[0]
    assert FILTERS["kubeadm_config_warnings"]("1.36.4", {"proxy_mode": "nftables"}) == []


def test_token_ttl_problems_name_the_variables():
    assert FILTERS["token_ttl_problems"]("24h", "1h") == []
    assert FILTERS["token_ttl_problems"](0, "1h") == []
    assert FILTERS["token_ttl_problems"]("2h", "2h") == [
        "master_join_token_min_ttl / master_join_token_ttl: min_ttl (2h0m0s) must be shorter than ttl (2h0m0s), "
        "or a new token would be created on every run"]
    assert FILTERS["token_ttl_problems"]("soon", "1h")[0].startswith("master_join_token_ttl: ttl 'soon'")


def test_kube_minor_names_the_variable():
    with pytest.raises(AnsibleFilterError, match="^cluster_kubernetes_version: 'latest' is not"):
        FILTERS["kube_minor"]("latest", "cluster_kubernetes_version")
