import io
import json
import tarfile

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import registry_images as ri


def tarball(tmp_path, name, members):
    path = tmp_path / name
    with tarfile.open(path, "w") as tar:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return str(path)


def test_transport_detection(tmp_path):
    assert ri.archive_transport(tarball(tmp_path, "d.tar", {"manifest.json": b"[]"})) == "docker-archive"
    assert ri.archive_transport(tarball(tmp_path, "o.tar", {"oci-layout": b"{}", "index.json": b"{}"})) == "oci-archive"
    assert ri.archive_transport(tarball(tmp_path, "o2.tar", {"./oci-layout": b"{}"})) == "oci-archive"
    with pytest.raises(ValueError, match="neither"):
        ri.archive_transport(tarball(tmp_path, "x.tar", {"hello": b"x"}))


def test_digests():
    raw = b'{"architecture":"amd64"}'
    assert ri.config_digest(raw) == "sha256:" + __import__("hashlib").sha256(raw).hexdigest()
    assert ri.config_digest(raw.decode()) == ri.config_digest(raw)
    manifest = json.dumps({"schemaVersion": 2, "config": {"digest": "sha256:abc"}})
    assert ri.manifest_config_digest(manifest) == "sha256:abc"
    assert ri.manifest_config_digest(json.dumps({"schemaVersion": 2, "manifests": []})) is None


def test_commands():
    assert ri.copy_command("skopeo", "docker-archive", "/a.tar", "reg:5000/pause:3.10", False, None) == [
        "skopeo", "copy", "--quiet", "--dest-tls-verify=false", "docker-archive:/a.tar", "docker://reg:5000/pause:3.10"]
    assert ri.inspect_remote_command("skopeo", "reg/x:1", True, "/etc/docker/certs.d/reg", "u:p") == [
        "skopeo", "inspect", "--raw", "--tls-verify=true", "--cert-dir=/etc/docker/certs.d/reg", "--creds=u:p", "docker://reg/x:1"]


@pytest.mark.parametrize("stderr,missing", [
    ('time="..." level=fatal msg="Error reading manifest 1.0 in reg/x: manifest unknown: manifest unknown"', True),
    ("Error reading manifest: name unknown: repository name not known to registry", True),
    ("pinging container registry reg:5000: connection refused", False),
])
def test_missing_detection(stderr, missing):
    assert ri.is_missing(1, stderr) is missing
    assert ri.is_missing(0, stderr) is False


class FakeSkopeo(object):
    """skopeo against an in-memory registry: inspect answers from it, copy fills it."""

    def __init__(self, configs):
        self.configs = configs  # archive path -> raw config bytes
        self.registry = {}      # name -> config digest
        self.copies = []

    def __call__(self, argv, binary=False):
        if argv[1:4] == ["inspect", "--config", "--raw"]:
            return 0, self.configs[argv[4].split(":", 1)[1]], b""
        if argv[1:3] == ["inspect", "--raw"]:
            name = argv[-1][len("docker://"):]
            if name not in self.registry:
                return 1, "", "manifest unknown"
            return 0, json.dumps({"config": {"digest": self.registry[name]}}), ""
        if argv[1] == "copy":
            archive, name = argv[-2].split(":", 1)[1], argv[-1][len("docker://"):]
            self.registry[name] = ri.config_digest(self.configs[archive])
            self.copies.append(name)
            return 0, "", ""
        raise AssertionError(argv)


def _archive(tmp_path, name):
    path = tmp_path / name
    with tarfile.open(str(path), "w") as tar:
        data = b"[]"
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return str(path)


def test_sync_pushes_what_is_missing_once(tmp_path):
    pause = _archive(tmp_path, "pause.tar")
    skopeo = FakeSkopeo({pause: b'{"config": "pause"}'})
    params = dict(skopeo="skopeo", tls_verify=False, images=[{"archive": pause, "name": "r:5000/pause:3.10"}],
                  required=["r:5000/pause:3.10"])
    preview = ri.sync(params, skopeo, check_mode=True)
    assert preview["changed"] is True and preview["images"][0]["action"] == "would_push" and skopeo.copies == []
    first = ri.sync(params, skopeo, check_mode=False)
    assert first["images"][0]["action"] == "pushed" and skopeo.copies == ["r:5000/pause:3.10"]
    again = ri.sync(params, skopeo, check_mode=False)
    assert again["changed"] is False and again["images"][0]["action"] == "present"


def test_sync_lists_missing_required_images(tmp_path):
    skopeo = FakeSkopeo({})
    with pytest.raises(ri.SyncError, match="lacks 2 required image") as err:
        ri.sync(dict(skopeo="skopeo", tls_verify=True, required=["r/a:1", "r/b:2"]), skopeo, check_mode=False)
    assert err.value.result["missing"] == ["r/a:1", "r/b:2"]
