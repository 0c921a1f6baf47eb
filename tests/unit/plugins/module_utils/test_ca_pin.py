"""ca_pin against OpenSSL on the same files: the pipeline the runbook uses for RSA, pkey for EC."""

import subprocess

import pytest
from cryptography.hazmat.primitives import serialization

from ansible_collections.helmsman.kubeadm.plugins.module_utils import ca_pin
from tests.emulator import pki


def openssl_pin(path, key_type):
    """sha256:<hex> the way an operator computes it with OpenSSL."""
    pubkey = subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in", str(path)],
                            check=True, capture_output=True).stdout
    converter = ["openssl", "rsa", "-pubin", "-outform", "der"] if key_type.startswith("rsa") else \
        ["openssl", "pkey", "-pubin", "-outform", "der"]
    der = subprocess.run(converter, input=pubkey, check=True, capture_output=True).stdout
    digest = subprocess.run(["openssl", "dgst", "-sha256", "-hex"], input=der, check=True, capture_output=True).stdout
    return "sha256:" + digest.decode().strip().split(" ")[-1]


@pytest.fixture(scope="module", params=["rsa2048", "rsa4096", "p256", "p384"])
def ca_file(request, tmp_path_factory):
    key, cert = pki.make_ca("kubernetes", request.param)
    path = tmp_path_factory.mktemp(request.param) / "ca.crt"
    path.write_bytes(pki.cert_pem(cert))
    return request.param, path, cert, key


def test_pin_equals_openssl(ca_file):
    key_type, path, _cert, _key = ca_file
    got = ca_pin.ca_pins(path.read_bytes(), str(path))[0]["hash"]
    assert ca_pin.is_valid_pin(got)
    assert got == openssl_pin(path, key_type)


def test_der_input_gives_the_same_pin(ca_file):
    _key_type, path, cert, _key = ca_file
    der = cert.public_bytes(serialization.Encoding.DER)
    assert ca_pin.ca_pins(der)[0]["hash"] == ca_pin.ca_pins(path.read_bytes())[0]["hash"]


def test_key_description(ca_file):
    key_type, path, _cert, _key = ca_file
    expected = {"rsa2048": "RSA-2048", "rsa4096": "RSA-4096", "p256": "ECDSA-P256", "p384": "ECDSA-P384"}[key_type]
    assert ca_pin.ca_pins(path.read_bytes())[0]["key_type"] == expected


def test_pin_depends_on_key_only():
    key, cert_a = pki.make_ca("kubernetes", "p256")
    _key, cert_b = pki.make_ca("renewed-ca", key=key)
    _other_key, cert_c = pki.make_ca("kubernetes", "p256")
    assert ca_pin.spki_pin(cert_a) == ca_pin.spki_pin(cert_b)
    assert ca_pin.spki_pin(cert_a) != ca_pin.spki_pin(cert_c)


def test_bundle_gives_one_pin_per_ca():
    _k1, c1 = pki.make_ca("ca-one", "rsa2048")
    _k2, c2 = pki.make_ca("ca-two", "p384")
    pins = ca_pin.ca_pins(pki.cert_pem(c1) + b"\n" + pki.cert_pem(c2))
    assert [p["hash"] for p in pins] == [ca_pin.spki_pin(c1), ca_pin.spki_pin(c2)]
    assert [p["subject"] for p in pins] == ["CN=ca-one", "CN=ca-two"]


def test_leaf_certificate_refused_unless_allowed():
    ca_key, ca_cert = pki.make_ca()
    _key, leaf = pki.issue(ca_key, ca_cert, "kube-apiserver", dns=["kubernetes"])
    with pytest.raises(ca_pin.CAPinError, match="not a CA certificate"):
        ca_pin.ca_pins(pki.cert_pem(leaf))
    assert ca_pin.ca_pins(pki.cert_pem(leaf), require_ca=False)[0]["is_ca"] is False


def test_self_signed_without_basic_constraints_is_not_a_ca():
    _key, cert = pki.make_ca("plain", is_ca=False)
    with pytest.raises(ca_pin.CAPinError, match="CA:TRUE"):
        ca_pin.ca_pins(pki.cert_pem(cert))


@pytest.mark.parametrize("data,message", [
    (b"", "is empty"),
    (b"   \n", "is empty"),
    (b"hello world, not a certificate", "neither a PEM nor a DER"),
    (b"\x30\x82\x01\x00garbage", "neither a PEM nor a DER"),
    (b"-----BEGIN CERTIFICATE-----\nAAAA", "truncated or malformed"),
    (b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "cannot be parsed"),
    (b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "no CERTIFICATE block"),
])
def test_garbage_is_refused_clearly(data, message):
    with pytest.raises(ca_pin.CAPinError, match=message):
        ca_pin.ca_pins(data, "ca.crt")


@pytest.mark.parametrize("key_type", ["rsa2048", "p256"])
def test_private_key_passed_by_mistake(key_type):
    key = pki.new_key(key_type)
    for fmt in (serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL):
        pem = key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
        with pytest.raises(ca_pin.CAPinError, match="private key"):
            ca_pin.ca_pins(pem, "/etc/kubernetes/pki/ca.key")


def test_key_and_cert_in_one_file_is_refused():
    key, cert = pki.make_ca()
    with pytest.raises(ca_pin.CAPinError, match="private key"):
        ca_pin.ca_pins(pki.cert_pem(cert) + pki.key_pem(key))


@pytest.mark.parametrize("value,ok", [
    ("sha256:" + "a" * 64, True),
    ("sha256:" + "A" * 64, False),
    ("sha256:" + "a" * 63, False),
    ("sha1:" + "a" * 40, False),
    ("a" * 64, False),
])
def test_is_valid_pin(value, ok):
    assert ca_pin.is_valid_pin(value) is ok
