"""Where add-on manifests come from: user files, the bundle (with the pinned-source rule), downloads."""

import hashlib

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import addon_sources as sources
from ansible_collections.helmsman.kubeadm.plugins.module_utils import addons

PINNED = addons.ADDONS["flannel"]["v0.28.9"]["files"][0]


def entry(path, sha, source):
    return {"path": path, "type": "manifest", "sha256": sha, "source": source, "src": "/bundle/" + path}


def test_user_files_win_and_are_taken_as_given():
    plan = sources.plan("flannel", "v0.28.9", [entry("x", "0" * 64, "https://a")], ["/tmp/a.yml", "/tmp/b.yml"])
    assert [(p["name"], p["origin"], p["sha256"]) for p in plan] == [("a.yml", "user", None), ("b.yml", "user", None)]
    with pytest.raises(sources.SourceError, match="flannel_manifest_files"):
        sources.plan("flannel", "v0.28.9", None, [""], variable="flannel_manifest_files")


def test_bundle_entries_at_the_conventional_path():
    path = sources.bundle_path("flannel", "v0.28.9", "kube-flannel.yml")
    assert path == "manifests/flannel/v0.28.9/kube-flannel.yml"
    plan = sources.plan("flannel", "v0.28.9", [entry(path, "a" * 64, "https://mirror.example/kube-flannel.yml")])
    assert plan == [{"name": "kube-flannel.yml", "origin": "bundle", "path": "/bundle/" + path, "sha256": "a" * 64,
                     "source": "https://mirror.example/kube-flannel.yml"}]


def test_a_bundle_without_the_file_is_refused_naming_the_path():
    with pytest.raises(sources.SourceError, match="manifests/ingress-nginx/0.30.0/mandatory.yaml"):
        sources.plan("ingress-nginx", "0.30.0", [], variable="ingress_manifest_files")


def test_a_bundle_file_claiming_the_upstream_url_must_have_the_pinned_checksum():
    path = sources.bundle_path("flannel", "v0.28.9", "kube-flannel.yml")
    with pytest.raises(sources.SourceError, match="is not the pinned"):
        sources.plan("flannel", "v0.28.9", [entry(path, "b" * 64, PINNED["url"])])
    assert sources.plan("flannel", "v0.28.9", [entry(path, PINNED["sha256"], PINNED["url"])])[0]["origin"] == "bundle"


def test_online_plan_downloads_the_pinned_url_with_its_checksum():
    plan = sources.plan("ingress-nginx", "0.30.0")
    assert [p["origin"] for p in plan] == ["download", "download"]
    assert [p["name"] for p in plan] == ["mandatory.yaml", "service-nodeport.yaml"]
    assert plan[0]["sha256"] == addons.ADDONS["ingress-nginx"]["0.30.0"]["files"][0]["sha256"]
    with pytest.raises(addons.AddonError, match="not a version"):
        sources.plan("flannel", "v9")


def test_verify():
    data = b"kind: Namespace\n"
    good = hashlib.sha256(data).hexdigest()
    assert sources.verify(data, good, "x") == good
    assert sources.verify(data, None, "x") == good
    with pytest.raises(sources.SourceError, match="refusing to apply"):
        sources.verify(data + b" ", good, "https://example.invalid/a.yml")
    assert sources.cache_path("/c", "flannel", "v1", "a.yml") == "/c/flannel/v1/a.yml"
