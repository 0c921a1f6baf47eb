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
