"""The bundle builder's fetching (module_utils.bundle_fetch), with apt, skopeo and the network faked."""

import hashlib
import json
import os
import re

import pytest
import yaml

from ansible_collections.helmsman.kubeadm.plugins.module_utils import bundle_build as bb, bundle_fetch as bf


def fake_skopeo(manifests, calls, fail=()):
    """``manifests``: docker:// reference -> raw manifest (bytes)."""
    def run(argv):
        calls.append(argv)
        if argv[1] == "inspect":
            ref = argv[-1][len("docker://"):]
            if ref in fail or ref not in manifests:
                return 1, "", "manifest unknown"
            return 0, manifests[ref].decode(), ""
        if argv[1] == "copy":
            target = argv[-1].split(":", 2)[1]
            with open(target, "wb") as handle:
                handle.write(argv[-2].encode())
            return 0, "", ""
        raise AssertionError(argv)
    return run


def image_params(tmp_path, images, **kw):
    return dict(dict(images=images, dest=str(tmp_path), architectures=["amd64"], insecure_registries=["m:5000"],
                     skopeo="skopeo", variable="bundle_image_mirrors", prune=True), **kw)


def test_images_are_copied_by_the_digest_inspected_and_kept_when_unchanged(tmp_path):
    docker = json.dumps({"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "config": {}}).encode()
    oci_one = json.dumps({"mediaType": bb.OCI_TYPES[0], "config": {}}).encode()
    one_digest = "sha256:" + hashlib.sha256(oci_one).hexdigest()
    index = json.dumps({"mediaType": bb.OCI_TYPES[1], "manifests": [
        {"digest": "sha256:" + "1" * 64, "platform": {"architecture": "arm64", "os": "linux"}},
        {"digest": one_digest, "platform": {"architecture": "amd64", "os": "linux"}}]}).encode()
    manifests = {"m:5000/docker.io/library/nginx:1.27": docker, "m:5000/registry.k8s.io/pause:3.10.2": index,
                 "m:5000/registry.k8s.io/pause@" + one_digest: oci_one}
    items = [{"image": "docker.io/library/nginx:1.27", "source": "m:5000/docker.io/library/nginx:1.27"},
             {"image": "registry.k8s.io/pause:3.10.2", "source": "m:5000/registry.k8s.io/pause:3.10.2"}]
    calls = []
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "stale.tar").write_text("old")
    result = bf.fetch_images(image_params(tmp_path, items), fake_skopeo(manifests, calls), False)
    nginx, pause = result["entries"]
    assert nginx["digest"] == "sha256:" + hashlib.sha256(docker).hexdigest() and nginx["digest_preserved"] is False
    assert pause["digest"] == one_digest and pause["digest_preserved"] is True  # the amd64 image of the index
    copies = [c for c in calls if c[1] == "copy"]
    assert copies[0][-2] == "docker://m:5000/docker.io/library/nginx@" + nginx["digest"]
    assert copies[0][-1].startswith("docker-archive:") and copies[0][-1].endswith(":docker.io/library/nginx:1.27")
    assert "--src-tls-verify=false" in copies[0]
    assert copies[1][-2] == "docker://m:5000/registry.k8s.io/pause@" + one_digest
    assert copies[1][-1].startswith("oci-archive:") and "--preserve-digests" in copies[1]
    assert result["pruned"] == ["images/stale.tar"] and not (tmp_path / "images" / "stale.tar").exists()
    for entry in result["entries"]:
        assert entry["sha256"] == bf.sha256_of(str(tmp_path / entry["path"]))
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump({"files": result["entries"]}))
    calls[:] = []
    again = bf.fetch_images(image_params(tmp_path, items), fake_skopeo(manifests, calls), False)
    assert again["changed"] is False and not [c for c in calls if c[1] == "copy"]
    # the tag moved upstream: fetched again
    manifests["m:5000/docker.io/library/nginx:1.27"] = docker + b" "
    moved = bf.fetch_images(image_params(tmp_path, items), fake_skopeo(manifests, calls), False)
    assert moved["fetched"] == ["docker.io/library/nginx:1.27"]


def test_an_image_its_source_lacks_fails_naming_the_variable(tmp_path):
    items = [{"image": "quay.io/x/y:1", "source": "m:5000/quay.io/x/y:1"}]
    with pytest.raises(bf.FetchError, match=r"bundle_image_mirrors: cannot read quay.io/x/y:1 from its source m:5000/quay.io/x/y:1"):
        bf.fetch_images(image_params(tmp_path, items), fake_skopeo({}, []), False)
    index = json.dumps({"manifests": [{"digest": "sha256:" + "1" * 64, "platform": {"architecture": "arm64"}}]}).encode()
    with pytest.raises(bf.FetchError, match=r"has no linux/amd64 image"):
        bf.fetch_images(image_params(tmp_path, items), fake_skopeo({"m:5000/quay.io/x/y:1": index}, []), False)


def test_files_are_checked_before_they_replace_anything(tmp_path):
    good, bad = b"kind: A\n", b"kind: B\n"
    served = {"http://u/a": good, "http://u/b": bad}

    def fetch(url, target):
        with open(target, "wb") as handle:
            handle.write(served[url])
    files = [{"url": "http://u/a", "path": "m/a.yaml", "sha256": hashlib.sha256(good).hexdigest()}]
    params = {"files": files, "dest": str(tmp_path), "variable": "bundle_manifest_files"}
    assert bf.fetch_files(params, fetch, True) == {"changed": True, "fetched": ["m/a.yaml"]}
    assert not (tmp_path / "m").exists()  # check mode
    assert bf.fetch_files(params, fetch, False)["fetched"] == ["m/a.yaml"]
    assert bf.fetch_files(params, fetch, False) == {"changed": False, "fetched": []}
    params["files"] = [dict(files[0], url="http://u/b")]
    (tmp_path / "m" / "a.yaml").write_bytes(b"changed locally")
    with pytest.raises(bf.FetchError, match=r"bundle_manifest_files: m/a.yaml from http://u/b has sha256 .* refusing it"):
        bf.fetch_files(params, fetch, False)
    assert (tmp_path / "m" / "a.yaml").read_bytes() == b"changed locally" and not (tmp_path / "m" / "a.yaml.part").exists()


def fake_apt(uris, show, calls, update_err=""):
    def run(argv):
        calls.append(argv)
        if argv[1:3] == ["-q", "update"]:
            return (100 if update_err else 0), "", update_err
        if argv[1] == "madison":
            return 0, " kubeadm | 1.36.4-1.1 | http://m ./ Packages\n kubeadm | 1.17.6-00 | http://m ./ Packages\n", ""
        if "--print-uris" in argv:
            return 0, uris, ""
        if argv[1] == "show":
            return 0, show, ""
        raise AssertionError(argv)
    return run


def package_params(tmp_path, packages, status=""):
    return {"sources": ["deb [trusted=yes] http://m ./"], "packages": packages, "architecture": "amd64",
            "baseline_status": status, "dest": str(tmp_path), "apt_get": "apt-get", "apt_cache": "apt-cache",
            "variable": "bundle_apt_sources", "prune": True}


def test_packages_resolve_patterns_and_download_what_the_hosts_lack(tmp_path):
    data = {"kubeadm_1.36.4-1.1_all.deb": b"kubeadm", "libx_1%3a2.0_amd64.deb": b"libx"}
    uris = "".join("'http://m/%s' %s %d \n" % (name, name, len(body)) for name, body in data.items())
    show = ("Package: kubeadm\nVersion: 1.36.4-1.1\nSHA256: %s\n\nPackage: libx\nVersion: 1:2.0\nSHA256: %s\n"
            % (hashlib.sha256(b"kubeadm").hexdigest(), hashlib.sha256(b"libx").hexdigest()))
    status = tmp_path / "status"
    status.write_text("Package: ipset\nStatus: install ok installed\n")
    fetched = []

    def fetch(url, target):
        fetched.append(url)
        with open(target, "wb") as handle:
            handle.write(data[url.rsplit("/", 1)[1]])
    calls = []
    result = bf.fetch_packages(package_params(tmp_path, ["kubeadm=1.36.4-*", "ipset"], str(status)), fake_apt(uris, show, calls), fetch, False)
    install = [c for c in calls if "--print-uris" in c][0]
    assert install[-2:] == ["kubeadm=1.36.4-1.1", "ipset"] and "Dir::State::status=" in " ".join(install)
    assert sorted(e["package"] for e in result["entries"]) == ["kubeadm", "libx"]
    assert result["resolved"] == ["kubeadm=1.36.4-1.1", "ipset"] and len(fetched) == 2
    again = bf.fetch_packages(package_params(tmp_path, ["kubeadm=1.36.4-*", "ipset"], str(status)), fake_apt(uris, show, []), fetch, False)
    assert again["changed"] is False and len(fetched) == 2
    # a package neither downloaded nor on the hosts
    with pytest.raises(bf.FetchError, match=r"neither a download nor an installed package for nfs-common"):
        bf.fetch_packages(package_params(tmp_path, ["kubeadm=1.36.4-*", "nfs-common"], str(status)), fake_apt(uris, show, []), fetch, False)
    # the index says another sha256 than what the mirror serves
    data["libx_1%3a2.0_amd64.deb"] = b"forged"
    os.unlink(str(tmp_path / "debs" / "libx_1%3a2.0_amd64.deb"))
    with pytest.raises(bf.FetchError, match=r"has sha256 .* the package index says"):
        bf.fetch_packages(package_params(tmp_path, ["kubeadm=1.36.4-*"], str(status)), fake_apt(uris, show, []), fetch, False)
    assert not [f for f in os.listdir(str(tmp_path / "debs")) if f.startswith("libx")]
    with pytest.raises(bf.FetchError, match=r"bundle_apt_sources: apt could not read the package sources: E: boom"):
        bf.fetch_packages(package_params(tmp_path, ["x"]), fake_apt("", "", [], update_err="E: boom"), fetch, False)


def test_no_apt_option_leaves_the_private_root():
    opts = bf.apt_options("/tmp/root", "arm64", "/tmp/root/status")
    for value in opts[1::2]:
        key, _sep, path = value.partition("=")
        if key.startswith("Dir::"):
            assert path.startswith("/tmp/root"), value
    assert "APT::Architecture=arm64" in opts and re.search(r"Debug::NoLocking=1", " ".join(opts))


def test_download_streams_the_answer_into_the_target(tmp_path):
    import io
    asked = []

    def open_url(url, timeout):
        asked.append((url, timeout))
        return io.BytesIO(b"x" * 3000000)
    bf.download(open_url, "http://u/f", str(tmp_path / "f"), 7)
    assert asked == [("http://u/f", 7)] and (tmp_path / "f").read_bytes() == b"x" * 3000000
