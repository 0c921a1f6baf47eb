"""ca_hash module: file and content input, errors, check mode."""

from ansible_collections.helmsman.kubeadm.plugins.module_utils import ca_pin
from ansible_collections.helmsman.kubeadm.plugins.modules import ca_hash
from tests import module_harness
from tests.emulator import pki


def test_path_and_content_agree(tmp_path):
    _key, cert = pki.make_ca("kubernetes", "p384")
    path = tmp_path / "ca.crt"
    path.write_bytes(pki.cert_pem(cert))
    by_path = module_harness.run(ca_hash, {"path": str(path)})
    by_content = module_harness.run(ca_hash, {"content": pki.cert_pem(cert).decode()}, check_mode=True)
    assert by_path["hash"] == by_content["hash"] == ca_pin.spki_pin(cert)
    assert by_path["changed"] is False and by_path["hashes"] == [by_path["hash"]]
    assert by_path["certificates"][0]["key_type"] == "ECDSA-P384"


def test_missing_file(tmp_path):
    result = module_harness.run(ca_hash, {"path": str(tmp_path / "nope.crt")})
    assert result["failed"] and "cannot read CA certificate" in result["msg"] and "No such file" in result["msg"]


def test_private_key_and_leaf(tmp_path):
    key, cert = pki.make_ca()
    result = module_harness.run(ca_hash, {"content": pki.key_pem(key).decode()})
    assert result["failed"] and "private key" in result["msg"]
    _leaf_key, leaf = pki.issue(key, cert, "kube-apiserver")
    result = module_harness.run(ca_hash, {"content": pki.cert_pem(leaf).decode()})
    assert result["failed"] and "not a CA" in result["msg"]
    result = module_harness.run(ca_hash, {"content": pki.cert_pem(leaf).decode(), "require_ca": False})
    assert result["hash"] == ca_pin.spki_pin(leaf)


def test_needs_exactly_one_source():
    assert "one of the following is required" in module_harness.run(ca_hash, {})["msg"]
    assert "mutually exclusive" in module_harness.run(ca_hash, {"path": "/x", "content": "y"})["msg"]
