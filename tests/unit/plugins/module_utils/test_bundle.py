import hashlib
import os

import pytest
import yaml

from ansible_collections.helmsman.kubeadm.plugins.module_utils import bundle


def make_bundle(tmp_path, entries=None, files=None):
    files = files if files is not None else {"debs/a_1_all.deb": b"deb-bytes", "images/pause.tar": b"tar-bytes"}
    for rel, data in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    if entries is None:
        entries = [{"path": "debs/a_1_all.deb", "type": "deb", "sha256": hashlib.sha256(b"deb-bytes").hexdigest()},
                   {"path": "images/pause.tar", "type": "image", "sha256": hashlib.sha256(b"tar-bytes").hexdigest(),
                    "image": "registry.k8s.io/pause:3.10.1"}]
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump({"apiVersion": bundle.API_VERSION, "kind": "Bundle",
                                                            "files": entries}))
    return tmp_path


def test_good_bundle(tmp_path):
    entries = bundle.load(str(make_bundle(tmp_path)))
    assert [e["type"] for e in entries] == ["deb", "image"]
    assert entries[1]["src"] == str(tmp_path / "images/pause.tar")


def test_manifest_entries_carry_their_source(tmp_path):
    text = b"apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-flannel}\n"
    entry = {"path": "manifests/flannel/v0.28.9/kube-flannel.yml", "type": "manifest",
             "sha256": hashlib.sha256(text).hexdigest(),
             "source": "https://raw.githubusercontent.com/flannel-io/flannel/v0.28.9/Documentation/kube-flannel.yml"}
    entries = bundle.load(str(make_bundle(tmp_path, [entry], {entry["path"]: text})))
    assert entries[0]["type"] == "manifest" and entries[0]["source"] == entry["source"]


def test_missing_manifest_names_the_variable(tmp_path):
    with pytest.raises(bundle.BundleError, match="^cluster_bundle_dir: .* has no manifest.yaml"):
        bundle.load(str(tmp_path))
    with pytest.raises(bundle.BundleError, match="^my_var: .* is not a directory"):
        bundle.load(str(tmp_path / "nope"), variable="my_var")


def test_checksum_mismatch(tmp_path):
    make_bundle(tmp_path)
    (tmp_path / "images/pause.tar").write_bytes(b"tampered")
    with pytest.raises(bundle.BundleError, match="checksum mismatch for images/pause.tar"):
        bundle.load(str(tmp_path))
    assert len(bundle.load(str(tmp_path), verify=False)) == 2


@pytest.mark.parametrize("entry,message", [
    ({"path": "../etc/passwd", "type": "deb", "sha256": "a" * 64}, "stay inside"),
    ({"path": "/etc/passwd", "type": "deb", "sha256": "a" * 64}, "stay inside"),
    ({"path": "x.deb", "type": "zip", "sha256": "a" * 64}, "type 'zip'"),
    ({"path": "x.deb", "type": "deb", "sha256": "ABC"}, "sha256 must be"),
    ({"path": "x.tar", "type": "image", "sha256": "a" * 64, "image": "Bad:ref:"}, "image reference"),
    ({"path": "m/flannel.yml", "type": "manifest", "sha256": "a" * 64}, "a manifest needs source"),
    ({"path": "m/flannel.yml", "type": "manifest", "sha256": "a" * 64, "source": "ftp://x/f.yml"}, "a manifest needs source"),
    ({"path": "missing.deb", "type": "deb", "sha256": "a" * 64}, "listed in manifest.yaml but missing"),
])
def test_bad_entries(tmp_path, entry, message):
    make_bundle(tmp_path, entries=[entry], files={"x.deb": b"", "x.tar": b""})
    with pytest.raises(bundle.BundleError, match=message):
        bundle.load(str(tmp_path))


def _secret(tmp_path):
    outside = tmp_path / "controller"
    outside.mkdir()
    secret = outside / "id_rsa"
    secret.write_bytes(b"secret")
    secret.chmod(0o600)
    return secret


def _listing(path, data):
    return [{"path": path, "type": "deb", "sha256": hashlib.sha256(data).hexdigest()}]


def test_symlinked_file_refused(tmp_path):
    secret = _secret(tmp_path)
    folder = tmp_path / "bundle"
    (folder / "debs").mkdir(parents=True)
    (folder / "debs" / "x.deb").symlink_to(secret)
    make_bundle(folder, entries=_listing("debs/x.deb", b"secret"), files={})
    with pytest.raises(bundle.BundleError, match="^cluster_bundle_dir: debs/x.deb is a symbolic link"):
        bundle.load(str(folder))


def test_symlinked_folder_refused(tmp_path):
    secret = _secret(tmp_path)
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "debs").symlink_to(secret.parent)
    make_bundle(folder, entries=_listing("debs/id_rsa", b"secret"), files={})
    with pytest.raises(bundle.BundleError, match=r"debs/id_rsa is a symbolic link \(debs\)"):
        bundle.load(str(folder))


def test_hard_link_refused(tmp_path):
    secret = _secret(tmp_path)
    folder = tmp_path / "bundle"
    (folder / "debs").mkdir(parents=True)
    os.link(str(secret), str(folder / "debs" / "x.deb"))
    make_bundle(folder, entries=_listing("debs/x.deb", b"secret"), files={})
    with pytest.raises(bundle.BundleError, match="debs/x.deb has 2 hard links"):
        bundle.load(str(folder))


def test_fifo_refused(tmp_path):
    (tmp_path / "debs").mkdir()
    os.mkfifo(str(tmp_path / "debs" / "x.deb"))
    make_bundle(tmp_path, entries=_listing("debs/x.deb", b""), files={})
    with pytest.raises(bundle.BundleError, match="debs/x.deb is not a regular file"):
        bundle.load(str(tmp_path))


def test_bundle_folder_itself_may_be_a_symlink(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    make_bundle(real)
    (tmp_path / "link").symlink_to(real)
    assert len(bundle.load(str(tmp_path / "link"))) == 2


def test_wrong_kind(tmp_path):
    (tmp_path / "manifest.yaml").write_text("apiVersion: v1\nkind: List\nfiles: []\n")
    with pytest.raises(bundle.BundleError, match="apiVersion helmsman.kubeadm/v1"):
        bundle.load(str(tmp_path))
