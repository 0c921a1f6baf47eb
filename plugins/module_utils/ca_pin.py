# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CA public-key pins in the form kubeadm's ``--discovery-token-ca-cert-hash`` expects.

kubeadm pins a CA by ``sha256:`` + the lowercase hex SHA-256 of the certificate's DER
SubjectPublicKeyInfo. The digest covers only the public key, so it does not depend on the key
algorithm (RSA, ECDSA, Ed25519) nor change when the CA certificate is re-issued for the same key.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import hashlib
import re

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised only where cryptography is absent
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = exc

PIN_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
_PEM_BLOCK_RE = re.compile(
    r"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END \1-----", re.DOTALL)


class CAPinError(Exception):
    """Raised with a message fit for an operator when no pin can be computed."""


def spki_pin(certificate):
    """Return ``sha256:<hex>`` over the DER SubjectPublicKeyInfo of a cryptography certificate."""
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return "sha256:" + hashlib.sha256(spki).hexdigest()


def is_valid_pin(value):
    """True when ``value`` has the exact form kubeadm prints (lowercase hex)."""
    return bool(PIN_RE.match(value or ""))


def _to_text(data):
    if isinstance(data, bytes):
        return data.decode("ascii", errors="replace")
    return data


def load_certificates(data, source="the input"):
    """Parse every certificate in PEM (one or more blocks) or DER ``data``.

    Raises CAPinError for empty input, private keys, other PEM objects and garbage.
    """
    if data is None or (not data.strip() if isinstance(data, (bytes, str)) else True):
        raise CAPinError("%s is empty: expected a PEM or DER encoded CA certificate" % source)
    raw = data.encode("ascii", errors="replace") if isinstance(data, str) else data
    text = _to_text(raw)
    blocks = _PEM_BLOCK_RE.findall(text)
    if blocks:
        labels = [label for label, _body in blocks]
        if any("PRIVATE KEY" in label for label in labels):
            raise CAPinError(
                "%s holds a private key (%s), not a CA certificate; pass the certificate "
                "(for kubeadm: /etc/kubernetes/pki/ca.crt, never ca.key)"
                % (source, ", ".join(sorted(set(l for l in labels if "PRIVATE KEY" in l)))))
        certs = []
        for label, body in blocks:
            if label != "CERTIFICATE":
                continue
            try:
                der = base64.b64decode("".join(body.split()), validate=True)
                certs.append(x509.load_der_x509_certificate(der))
            except (ValueError, binascii.Error) as exc:
                raise CAPinError("%s has a CERTIFICATE block that cannot be parsed: %s" % (source, exc))
        if not certs:
            raise CAPinError("%s holds no CERTIFICATE block (found: %s)" % (source, ", ".join(labels)))
        return certs
    if "-----BEGIN" in text:
        raise CAPinError("%s has a truncated or malformed PEM block" % source)
    try:
        return [x509.load_der_x509_certificate(raw)]
    except ValueError:
        raise CAPinError("%s is neither a PEM nor a DER encoded X.509 certificate" % source)


def is_ca(certificate):
    """True when the certificate carries BasicConstraints with CA:TRUE."""
    try:
        ext = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return False
    return bool(ext.value.ca)


def key_description(certificate):
    """A short human name of the public key, e.g. ``RSA-2048`` or ``ECDSA-P256``."""
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA-%d" % key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        names = {"secp256r1": "P256", "secp384r1": "P384", "secp521r1": "P521"}
        return "ECDSA-%s" % names.get(key.curve.name, key.curve.name)
    return type(key).__name__.replace("PublicKey", "").lstrip("_")


def describe(certificate):
    """The facts a pin result reports next to the pin itself."""
    try:
        not_after = certificate.not_valid_after_utc
    except AttributeError:  # cryptography < 42
        not_after = certificate.not_valid_after
    return {
        "hash": spki_pin(certificate),
        "subject": certificate.subject.rfc4514_string(),
        "key_type": key_description(certificate),
        "is_ca": is_ca(certificate),
        "not_after": not_after.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def ca_pins(data, source="the input", require_ca=True):
    """Describe every certificate in ``data`` and return the list; the first is the primary CA.

    With ``require_ca`` a certificate without CA:TRUE is refused: pinning a leaf certificate
    (e.g. apiserver.crt by mistake) would make every join fail or, worse, trust the wrong key.
    """
    certs = load_certificates(data, source)
    described = [describe(cert) for cert in certs]
    if require_ca:
        leaves = [d["subject"] for d in described if not d["is_ca"]]
        if leaves:
            raise CAPinError(
                "%s is not a CA certificate (no basicConstraints CA:TRUE): %s; pass the cluster CA "
                "(/etc/kubernetes/pki/ca.crt) or set require_ca=false" % (source, "; ".join(leaves)))
    return described
