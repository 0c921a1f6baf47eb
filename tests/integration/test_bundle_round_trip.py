"""The bundle builder (playbooks/bundle.yml) against stand-in sources on their own network
(tests/bundle/sources.py: an APT repository, a registry holding the test images under upstream
names, an HTTP server with the stand-in manifests). The build is checked here; the converge of a
fresh lab from that bundle alone (its sources taken down first) is test_scale_out's first run."""

import copy
import hashlib
import json
import os
import subprocess
import sys

import pytest
import yaml

from tests import runner

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "bundle"))
import sources  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.helmsman.kubeadm.plugins.module_utils import (  # noqa: E402  pylint: disable=wrong-import-position
    addons, bundle, bundle_build, images, kube_versions)

pytestmark = [pytest.mark.slow, pytest.mark.lab]


def build(built, *extra):
    return runner.ansible_playbook("playbooks/bundle.yml", "localhost,", "-e", "@" + built["vars_file"], *extra)


def registry_digest(addr, ref):
    """The digest the stand-in registry serves for upstream ``ref``."""
    registry, path, tag, _digest = images.parse(ref)
    raw = subprocess.run(["skopeo", "inspect", "--raw", "--tls-verify=false", "docker://%s:5000/%s/%s:%s" % (addr, registry, path, tag)],
                         check=True, capture_output=True).stdout
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def test_the_bundle_carries_what_the_site_needs_and_nothing_the_hosts_have(built_bundle):
    entries = bundle.load(built_bundle["dir"])  # manifest.yaml valid, every file's sha256 verified
    by_type = {}
    for entry in entries:
        by_type.setdefault(entry["type"], []).append(entry)
    carried = dict((e["image"], e) for e in by_type["image"])
    # the control plane's images for the release, as kubeadm names them (with the CoreDNS tag the
    # lab gives kubeadm: the one built here; not the one kubeadm would pull by default)
    control_plane = kube_versions.control_plane_images(sources.KUBERNETES, cluster_configuration=sources.CLUSTER_CONFIGURATION)
    for ref in control_plane:
        assert ref in carried, ref
    # the add-ons' images as their manifests name them (a digest-pinned one pulled by that digest)
    ingress = [r for r in carried if r.startswith("registry.k8s.io/ingress-nginx/controller:")]
    assert len(ingress) == 1 and "@sha256:" in ingress[0]
    assert carried[ingress[0]]["digest"] == ingress[0].split("@")[1]
    assert "docker.io/library/nginx:1.27" in carried  # the examples'
    assert not [r for r in carried if "v0.35.1" in r or "1.17.6" in r]  # nothing of the 1.17 profile
    # OCI manifests keep their digest (the stand-in serves the control plane's as OCI), Docker ones
    # are carried as docker-archives
    addr = sources.address()
    assert "registry.k8s.io/coredns/coredns:%s" % kube_versions.images(sources.KUBERNETES)["coredns"].rsplit(":", 1)[1] not in carried
    for ref in control_plane:
        assert carried[ref]["digest_preserved"] is True, ref
        assert carried[ref]["digest"] == registry_digest(addr, ref)
    assert carried["docker.io/library/nginx:1.27"]["digest_preserved"] is False
    debs = set(os.path.basename(e["path"]) for e in by_type["deb"])
    package = sources.KUBERNETES + "-1.1_amd64.deb"
    assert {"kubeadm_" + package, "kubelet_" + package, "kubectl_" + package} <= debs
    assert any(d.startswith("kubernetes-cni_") for d in debs)  # kubeadm's dependency
    assert not any("1.36.4" in d for d in debs)  # the other release the stand-in repository serves
    assert any(d.startswith("containerd_") for d in debs) and not any(d.startswith("docker.io_") for d in debs)
    assert any(d.startswith("ipvsadm_") for d in debs) and any(d.startswith("nfs-ganesha_") for d in debs)
    assert any(d.startswith("libnl-3-200_") for d in debs)  # a dependency the hosts lack
    assert not any(d.startswith(("libc6_", "python3_", "systemd_")) for d in debs)  # the hosts have these
    assert not any("1.17.6" in d for d in debs)
    manifests = dict((e["path"], e) for e in by_type["manifest"])
    assert "manifests/flannel/v0.28.10/kube-flannel.yml" in manifests
    assert manifests["manifests/flannel/v0.28.10/kube-flannel.yml"]["source"].startswith("http://%s:8080/" % addr)
    assert "Kubernetes %s (containerd)" % sources.KUBERNETES in built_bundle["output"]


def test_a_rebuild_changes_nothing_and_check_mode_is_clean(built_bundle):
    for extra in ([], ["--check", "--diff"]):
        result = build(built_bundle, *extra)
        assert result.rc == 0, result.output[-4000:]
        assert runner.recap(result.output)["localhost"]["changed"] == 0, runner.changed_tasks(result.output)


def manifest_text(built):
    with open(os.path.join(built["dir"], "manifest.yaml"), encoding="utf-8") as handle:
        return handle.read()


@pytest.mark.parametrize("case", ["mirror_with_other_bytes", "image_missing", "no_bundle_dir", "package_missing"])
def test_an_incomplete_or_forged_bundle_is_refused_and_the_last_good_one_kept(built_bundle, case, tmp_path):
    before = manifest_text(built_bundle)
    addr = sources.address()
    extra = copy.deepcopy(built_bundle["vars"])
    if case == "mirror_with_other_bytes":
        # ingress-nginx from a "mirror" of its pinned URL that serves other bytes (our stand-in;
        # flannel's file in the bundle is upstream's own now, which a mirror would not replace)
        version = addons.default_version("ingress-nginx", sources.KUBERNETES)
        pinned = addons.ADDONS["ingress-nginx"][version]["files"][0]["url"]
        del extra["bundle_manifest_files"]["ingress-nginx"]
        extra["bundle_manifest_mirrors"] = {pinned.rsplit("/", 1)[0] + "/":
                                            "http://%s:8080/manifests/ingress-nginx/%s/" % (addr, version)}
        expect = "refusing it"
    elif case == "image_missing":
        extra["bundle_extra_images"] = ["quay.io/example/not-there:1.0"]
        expect = "quay.io/example/not-there:1.0"
    elif case == "package_missing":
        extra["bundle_extra_packages"] = ["helmsman-not-there"]
        expect = "helmsman-not-there"
    else:
        extra["bundle_dir"] = ""
        expect = "bundle_dir: name the folder"
    (tmp_path / "vars.json").write_text(json.dumps(extra))
    result = runner.ansible_playbook("playbooks/bundle.yml", "localhost,", "-e", "@%s" % (tmp_path / "vars.json"))
    assert result.rc != 0
    assert expect in result.output, result.output[-3000:]
    assert manifest_text(built_bundle) == before
    bundle.load(built_bundle["dir"])  # the last good bundle still verifies


def test_the_image_plan_is_the_sites_own(built_bundle):
    """The builder's image list is the completeness function's over the bundle's manifests."""
    with open(os.path.join(built_bundle["dir"], "manifest.yaml"), encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)["files"]
    texts = {}
    for entry in entries:
        if entry["type"] == "manifest":
            _m, addon, version, name = entry["path"].split("/", 3)
            with open(os.path.join(built_bundle["dir"], entry["path"]), encoding="utf-8") as handle:
                texts.setdefault((addon, version), {})[name] = handle.read()
    objects = dict((addon, bundle_build.addon_objects(addon, version, files, ["amd64"])) for (addon, version), files in texts.items())
    required = bundle_build.site_images(sources.KUBERNETES, objects, ["docker.io/library/nginx:1.27", "docker.io/library/busybox:1.36"],
                                        sources.CLUSTER_CONFIGURATION)
    assert sorted(required) == sorted(e["image"] for e in entries if e["type"] == "image")
