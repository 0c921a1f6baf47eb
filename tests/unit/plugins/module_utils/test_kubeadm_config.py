import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import kubeadm_config as kc

BASE = {"advertise_address": "192.168.1.21", "cri_socket": "unix:///var/run/containerd/containerd.sock",
        "pod_subnet": "10.244.0.0/16", "service_subnet": "10.254.0.0/16", "image_repository": "192.168.1.100:5000",
        "apiserver_extra_args": {"enable-aggregator-routing": "true"}}


def docs_by_kind(version, **overrides):
    settings = dict(BASE, **overrides)
    return {d["kind"]: d for d in kc.init_documents(version, settings)}


def test_runbook_profile_v1beta2():
    docs = docs_by_kind("1.17.6", cri_socket="/var/run/dockershim.sock")
    assert docs["InitConfiguration"]["apiVersion"] == "kubeadm.k8s.io/v1beta2"
    cluster = docs["ClusterConfiguration"]
    assert cluster["kubernetesVersion"] == "v1.17.6"
    assert cluster["imageRepository"] == "192.168.1.100:5000"
    assert cluster["networking"] == {"podSubnet": "10.244.0.0/16", "serviceSubnet": "10.254.0.0/16", "dnsDomain": "cluster.local"}
    assert cluster["apiServer"]["extraArgs"] == {"enable-aggregator-routing": "true"}
    assert docs["KubeProxyConfiguration"]["mode"] == "ipvs"
    assert docs["KubeletConfiguration"]["cgroupDriver"] == "systemd"
    assert docs["KubeletConfiguration"]["serverTLSBootstrap"] is True


def test_v1beta4_uses_name_value_lists():
    docs = docs_by_kind("1.36.4", kubelet_extra_args={"v": 4, "node-ip": "192.168.1.21"})
    assert docs["ClusterConfiguration"]["apiVersion"] == "kubeadm.k8s.io/v1beta4"
    assert docs["ClusterConfiguration"]["apiServer"]["extraArgs"] == [{"name": "enable-aggregator-routing", "value": "true"}]
    assert docs["InitConfiguration"]["nodeRegistration"]["kubeletExtraArgs"] == [
        {"name": "node-ip", "value": "192.168.1.21"}, {"name": "v", "value": "4"}]


@pytest.mark.parametrize("version,api", [("1.21.0", "kubeadm.k8s.io/v1beta2"), ("1.22.0", "kubeadm.k8s.io/v1beta3"),
                                         ("1.30.9", "kubeadm.k8s.io/v1beta3"), ("1.31.0", "kubeadm.k8s.io/v1beta4")])
def test_api_per_version(version, api):
    assert docs_by_kind(version)["InitConfiguration"]["apiVersion"] == api


def test_forced_api_must_be_read_by_the_version():
    assert docs_by_kind("1.33.0", api_version="kubeadm.k8s.io/v1beta3")["ClusterConfiguration"]["apiServer"]["extraArgs"] == {
        "enable-aggregator-routing": "true"}
    with pytest.raises(kc.ConfigError, match="master_kubeadm_api_version: kubeadm 1.37.1 does not read kubeadm.k8s.io/v1beta3"):
        docs_by_kind("1.37.1", api_version="kubeadm.k8s.io/v1beta3")


def test_user_extension_in_kubeadm_terms():
    docs = docs_by_kind("1.36.4", extra={"ClusterConfiguration": {"networking": {"dnsDomain": "corp.local"},
                                                                  "etcd": {"local": {"dataDir": "/data/etcd"}}},
                                         "KubeletConfiguration": {"maxPods": 200}})
    assert docs["ClusterConfiguration"]["networking"]["dnsDomain"] == "corp.local"
    assert docs["ClusterConfiguration"]["networking"]["podSubnet"] == "10.244.0.0/16"
    assert docs["ClusterConfiguration"]["etcd"] == {"local": {"dataDir": "/data/etcd"}}
    assert docs["KubeletConfiguration"]["maxPods"] == 200
    with pytest.raises(kc.ConfigError, match="JoinConfiguration"):
        docs_by_kind("1.36.4", extra={"JoinConfiguration": {}})


def test_taints_none_means_kubeadm_default_and_empty_means_none():
    assert "taints" not in docs_by_kind("1.36.4")["InitConfiguration"]["nodeRegistration"]
    assert docs_by_kind("1.36.4", taints=[])["InitConfiguration"]["nodeRegistration"]["taints"] == []


def test_proxy_modes_and_warnings():
    assert docs_by_kind("1.36.4", proxy_mode="nftables")["KubeProxyConfiguration"]["mode"] == "nftables"
    with pytest.raises(kc.ConfigError):
        docs_by_kind("1.36.4", proxy_mode="userspace")
    assert any("IPVS mode is deprecated" in w for w in kc.warnings("1.35.0", BASE))
    assert kc.warnings("1.34.0", BASE) == []
    assert any("v1beta3 is deprecated" in w for w in kc.warnings("1.32.0", dict(BASE, api_version="kubeadm.k8s.io/v1beta3")))


JOIN = {"api_server_endpoint": "192.168.1.21:6443", "token": "abcdef.0123456789abcdef",
        "ca_cert_hashes": ["sha256:" + "a" * 64], "cri_socket": "unix:///var/run/containerd/containerd.sock"}


@pytest.mark.parametrize("version,api", [("1.17.6", "kubeadm.k8s.io/v1beta2"), ("1.36.4", "kubeadm.k8s.io/v1beta4")])
def test_join_document_is_pinned_for_the_release(version, api):
    (doc,) = kc.join_documents(version, dict(JOIN, node_name="worker1"))
    assert doc["apiVersion"] == api and doc["kind"] == "JoinConfiguration"
    boot = doc["discovery"]["bootstrapToken"]
    assert boot["caCertHashes"] == JOIN["ca_cert_hashes"] and boot["unsafeSkipCAVerification"] is False
    assert boot["apiServerEndpoint"] == "192.168.1.21:6443" and doc["nodeRegistration"]["name"] == "worker1"


def test_join_kubelet_args_follow_the_api():
    old = kc.join_documents("1.17.6", dict(JOIN, kubelet_extra_args={"node-ip": "10.0.0.5"}))[0]
    new = kc.join_documents("1.36.4", dict(JOIN, kubelet_extra_args={"node-ip": "10.0.0.5"}))[0]
    assert old["nodeRegistration"]["kubeletExtraArgs"] == {"node-ip": "10.0.0.5"}
    assert new["nodeRegistration"]["kubeletExtraArgs"] == [{"name": "node-ip", "value": "10.0.0.5"}]


@pytest.mark.parametrize("change,message", [
    ({"ca_cert_hashes": []}, "ca_cert_hashes"),
    ({"ca_cert_hashes": ["sha256:xyz"]}, "sha256:<64 hex>"),
    ({"token": ""}, "token"),
    ({"extra": {"discovery": {"bootstrapToken": {"unsafeSkipCAVerification": True}}}}, "unsafeSkipCAVerification"),
    ({"api_version": "kubeadm.k8s.io/v1beta4"}, "node_kubeadm_api_version"),
])
def test_join_refuses_unsafe_or_incomplete_settings(change, message):
    with pytest.raises(kc.ConfigError) as err:
        kc.join_documents("1.17.6", dict(JOIN, **change))
    assert message in str(err.value)


def _stored(**changes):
    base = {"kubernetesVersion": "v1.36.4", "controlPlaneEndpoint": "",
            "networking": {"podSubnet": "10.244.0.0/16", "serviceSubnet": "10.254.0.0/16", "dnsDomain": "cluster.local"}}
    base.update(changes)
    return base


def _wanted(version="1.36.4", **settings):
    base = dict(advertise_address="10.0.0.5", node_name="master", cri_socket="unix:///var/run/containerd/containerd.sock",
                image_repository="registry:5000", pod_subnet="10.244.0.0/16", service_subnet="10.254.0.0/16",
                dns_domain="cluster.local")
    base.update(settings)
    return kc.init_documents(version, base)


def test_unchanged_cluster_has_no_immutable_changes():
    import yaml
    assert kc.immutable_changes(_stored(), _wanted()) == []
    assert kc.immutable_changes(yaml.safe_dump(_stored()), _wanted()) == []
    assert kc.immutable_changes(_stored(), _wanted("1.37.0")) == []  # an upgrade is not refused here


def test_immutable_changes_name_the_variable_and_the_built_value():
    problems = kc.immutable_changes(_stored(), _wanted(service_subnet="10.96.0.0/12"))
    assert problems == ["cluster_service_subnet: the cluster was built with networking.serviceSubnet 10.254.0.0/16, "
                        "this run asks for 10.96.0.0/12; it cannot change on an initialised cluster (reset and "
                        "rebuild it, or set the variable back)"]
    assert kc.immutable_changes(_stored(), _wanted(pod_subnet="10.32.0.0/16"))[0].startswith("cluster_pod_subnet:")
    assert kc.immutable_changes(_stored(), _wanted(dns_domain="k8s.internal"))[0].startswith("master_dns_domain:")
    endpoint = kc.immutable_changes(_stored(), _wanted(control_plane_endpoint="api.example.internal:6443"))
    assert endpoint[0].startswith('master_control_plane_endpoint: the cluster was built with controlPlaneEndpoint ""')


def test_downgrade_is_refused():
    problems = kc.immutable_changes(_stored(), _wanted("1.35.2"))
    assert problems == ["cluster_kubernetes_version: the cluster runs v1.36.4, this run asks for v1.35.2; "
                        "kubeadm does not downgrade a cluster"]


def kubeadm_dns_image(cluster, default_repository, tag):
    """kubeadm's own rule (cmd/kubeadm/app/images GetDNSImage, 1.21 on): dns.imageRepository, else
    imageRepository, with "/coredns" added only when that is kubeadm's default repository."""
    repo = cluster.get("dns", {}).get("imageRepository") or cluster["imageRepository"]
    if repo == default_repository:
        repo += "/coredns"
    return "%s/coredns:%s" % (repo, tag)


@pytest.mark.parametrize("version", ["1.21.0", "1.30.5", "1.36.3", "1.37.0"])
def test_coredns_pulls_from_where_the_registry_mirrors_it(version):
    # A private registry holds registry.k8s.io/coredns/coredns:<tag> as <registry>/coredns/coredns:<tag>;
    # without dns.imageRepository a real kubeadm 1.36 asked for <registry>/coredns:<tag>, which is not there.
    from ansible_collections.helmsman.kubeadm.plugins.module_utils import images, kube_versions
    cluster = docs_by_kind(version)["ClusterConfiguration"]
    upstream = "registry.k8s.io/" + kube_versions.images(version)["coredns"]
    tag = upstream.rsplit(":", 1)[1]
    assert kubeadm_dns_image(cluster, "registry.k8s.io", tag) == images.mirror_ref(upstream, "192.168.1.100:5000")


def test_coredns_default_repository_and_old_releases_left_to_kubeadm():
    assert "dns" not in docs_by_kind("1.36.3", image_repository="registry.k8s.io")["ClusterConfiguration"]
    # 1.17 to 1.20: the image is <repo>/coredns:<tag> upstream too, which is how the registry mirrors it
    assert "dns" not in docs_by_kind("1.17.6")["ClusterConfiguration"]
    # the user's own dns settings win (extra is merged over what is generated)
    extra = {"ClusterConfiguration": {"dns": {"imageRepository": "mirror:5000/other", "imageTag": "v1.14.3"}}}
    assert docs_by_kind("1.36.3", extra=extra)["ClusterConfiguration"]["dns"] == {
        "imageRepository": "mirror:5000/other", "imageTag": "v1.14.3"}


def test_init_addons_as_kubeadm_leaves_them_out():
    documents = kc.init_documents("1.36.3", dict(BASE))
    assert kc.init_addons(documents) == [
        {"name": "coredns", "path": "/apis/apps/v1/namespaces/kube-system/deployments/coredns"},
        {"name": "kube-proxy", "path": "/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy"}]
    # skipPhases (a CNI that replaces kube-proxy), whole or per add-on
    skipped = kc.init_documents("1.36.3", dict(BASE, extra={"InitConfiguration": {"skipPhases": ["addon/kube-proxy"]}}))
    assert [a["name"] for a in kc.init_addons(skipped)] == ["coredns"]
    assert kc.init_addons(kc.init_documents("1.36.3", dict(BASE, extra={"InitConfiguration": {"skipPhases": ["addon"]}}))) == []
    # v1beta4's disabled flags
    disabled = kc.init_documents("1.36.3", dict(BASE, extra={"ClusterConfiguration": {"dns": {"disabled": True}}}))
    assert [a["name"] for a in kc.init_addons(disabled)] == ["kube-proxy"]
