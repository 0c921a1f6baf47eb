import re

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import addons, images


def test_every_entry_is_complete_and_pinned():
    for addon, versions in addons.ADDONS.items():
        for version, entry in versions.items():
            assert entry["files"], (addon, version)
            for item in entry["files"]:
                assert re.match(r"^[0-9a-f]{64}$", item["sha256"]), (addon, version, item)
                # pinned: the URL names the version's tag or a commit
                assert item["url"].startswith("https://") and (version in item["url"] or re.search(r"/[0-9a-f]{40}/", item["url"]))
            for ref in entry["images"]:
                images.parse(ref)  # a valid reference
            assert entry["supported"][0] <= entry["tested"][0]


@pytest.mark.parametrize("addon,kubernetes,version", [
    ("flannel", "1.36.4", "v0.28.10"), ("flannel", "1.17.6", "v0.28.10"),
    ("ingress-nginx", "1.36.4", "v1.15.1"), ("ingress-nginx", "1.17.6", "0.30.0"), ("ingress-nginx", "1.21.0", "v1.15.1"),
    ("kube-prometheus", "1.36.4", "v0.18.0"), ("kube-prometheus", "1.33.0", "v0.18.0"), ("kube-prometheus", "1.17.6", "release-0.4"),
])
def test_default_is_the_newest_that_supports_the_release(addon, kubernetes, version):
    assert addons.default_version(addon, kubernetes) == version


def test_unknown_version_names_the_variable():
    with pytest.raises(addons.AddonError, match=r"^flannel_version: flannel 'v9\.9\.9' is not a version .* v0\.12\.0, v0\.28\.9, v0\.28\.10\)$"):
        addons.release("flannel", "v9.9.9", "flannel_version")


def test_unsupported_release_is_a_problem_untested_one_a_warning():
    problems, warnings = addons.support("flannel", "v0.12.0", "1.36.4", "flannel_version")
    assert problems == ["flannel_version: flannel v0.12.0 works with Kubernetes 1.17 to 1.21, not 1.36.4"]
    problems, warnings = addons.support("ingress-nginx", "v1.15.1", "1.36.4")
    assert problems == []
    assert "tested upstream with Kubernetes 1.31 to 1.35, not 1.36.4" in warnings[0]
    assert "retired upstream in March 2026" in warnings[1]
    assert addons.support("flannel", "v0.28.9", "1.36.4") == ([], [])


def obj(api, kind, name, namespace=None):
    meta = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    return {"apiVersion": api, "kind": kind, "metadata": meta}


def test_removed_apis_are_named_with_the_replacement():
    objects = [obj("rbac.authorization.k8s.io/v1beta1", "ClusterRole", "flannel"),
               obj("policy/v1beta1", "PodSecurityPolicy", "psp.flannel.unprivileged"),
               obj("policy/v1beta1", "PodDisruptionBudget", "metrics-server", "kube-system"),
               obj("apps/v1", "DaemonSet", "kube-flannel-ds", "kube-flannel"),
               obj("networking.k8s.io/v1", "Ingress", "web", "default")]
    assert addons.removed_api_problems(objects, "1.21.14", "kube-flannel.yml") == []
    found = addons.removed_api_problems(objects, "1.25.0", "kube-flannel.yml")
    assert found == [
        "kube-flannel.yml: ClusterRole flannel uses rbac.authorization.k8s.io/v1beta1, which Kubernetes 1.25.0 no longer "
        "serves (removed in 1.22; use rbac.authorization.k8s.io/v1)",
        "kube-flannel.yml: PodSecurityPolicy psp.flannel.unprivileged uses policy/v1beta1, which Kubernetes 1.25.0 no longer "
        "serves (removed in 1.25; use Pod Security Admission (PodSecurityPolicy has no successor API))",
        "kube-flannel.yml: PodDisruptionBudget kube-system/metrics-server uses policy/v1beta1, which Kubernetes 1.25.0 no "
        "longer serves (removed in 1.25; use policy/v1)"]
    assert len(addons.removed_api_problems(objects, "1.22.0")) == 1


def test_kube_prometheus_between_its_ranges_has_no_release():
    # release-0.4 ends with the v1beta1 CRDs (1.21), v0.18.0 starts at 1.33
    with pytest.raises(addons.AddonError, match="no known kube-prometheus release supports Kubernetes 1.25.0"):
        addons.default_version("kube-prometheus", "1.25.0")
    problems, _warnings = addons.support("kube-prometheus", "v0.18.0", "1.32.3", "prometheus_version")
    assert problems == ["prometheus_version: kube-prometheus v0.18.0 works with Kubernetes 1.33 and later, not 1.32.3"]


def test_kube_prometheus_files_keep_setup_first():
    for version in ("release-0.4", "v0.18.0"):
        names = [f["name"] for f in addons.ADDONS["kube-prometheus"][version]["files"]]
        setup = [n for n in names if n.startswith("setup/")]
        assert names[:len(setup)] == setup and len(setup) == 11
