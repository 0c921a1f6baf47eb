"""Service-account tokens as kube-apiserver and kube-controller-manager issue and check them.
Test equipment only.

* Tokens are JWTs signed RS256 with the cluster's service-account key (kubeadm's ``sa.key``);
  the header's ``kid`` is the unpadded base64url sha256 of the public key's DER
  (SubjectPublicKeyInfo), as the API server derives it.
* Legacy tokens (the token controller's, written into ``kubernetes.io/service-account-token``
  Secrets): issuer ``kubernetes/serviceaccount`` and the ``kubernetes.io/serviceaccount/*``
  claims. They stay valid while the Secret and the ServiceAccount exist.
* Bound tokens (TokenRequest, ``POST .../serviceaccounts/NAME/token``): issuer and audience from
  ``--service-account-issuer``, ``exp``/``iat``/``nbf``, the ``kubernetes.io`` claim naming the
  namespace and the ServiceAccount's name and uid; ``expirationSeconds`` defaults to 3600 and is
  at least 600. Valid until ``exp`` while the ServiceAccount (same uid) exists.
* A valid token authenticates as ``system:serviceaccount:<ns>:<name>`` in the groups
  ``system:serviceaccounts`` and ``system:serviceaccounts:<ns>``.
"""

import base64
import hashlib
import json
import time
import uuid

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

LEGACY_ISSUER = "kubernetes/serviceaccount"
DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local"
TOKEN_SECRET = "kubernetes.io/service-account-token"


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(public_key):
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return _b64(hashlib.sha256(der).digest())


def sign(private_key, claims):
    header = {"alg": "RS256", "kid": key_id(private_key.public_key())}
    signing_input = "%s.%s" % (_b64(json.dumps(header, separators=(",", ":")).encode()),
                               _b64(json.dumps(claims, separators=(",", ":")).encode()))
    signature = private_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + _b64(signature)


def verified_claims(public_key, token):
    """The claims of ``token`` when its signature is the key's, else None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_unb64(parts[0]))
        if header.get("alg") != "RS256":
            return None
        public_key.verify(_unb64(parts[2]), ("%s.%s" % (parts[0], parts[1])).encode(), padding.PKCS1v15(),
                          hashes.SHA256())
        return json.loads(_unb64(parts[1]))
    except (ValueError, InvalidSignature):
        return None


def legacy_claims(namespace, sa_name, sa_uid, secret_name):
    return {"iss": LEGACY_ISSUER,
            "kubernetes.io/serviceaccount/namespace": namespace,
            "kubernetes.io/serviceaccount/secret.name": secret_name,
            "kubernetes.io/serviceaccount/service-account.name": sa_name,
            "kubernetes.io/serviceaccount/service-account.uid": sa_uid,
            "sub": "system:serviceaccount:%s:%s" % (namespace, sa_name)}


def bound_claims(issuer, audiences, namespace, sa_name, sa_uid, seconds, now=None):
    now = int(now if now is not None else time.time())
    return {"aud": list(audiences) or [issuer], "exp": now + int(seconds), "iat": now, "nbf": now, "iss": issuer,
            "jti": str(uuid.uuid4()),
            "kubernetes.io": {"namespace": namespace, "serviceaccount": {"name": sa_name, "uid": sa_uid}},
            "sub": "system:serviceaccount:%s:%s" % (namespace, sa_name)}


def identity(claims):
    namespace, name = claims_subject(claims)
    return ("system:serviceaccount:%s:%s" % (namespace, name),
            ["system:serviceaccounts", "system:serviceaccounts:%s" % namespace, "system:authenticated"])


def claims_subject(claims):
    """(namespace, ServiceAccount name) the claims are about."""
    if claims.get("iss") == LEGACY_ISSUER:
        return (claims.get("kubernetes.io/serviceaccount/namespace"),
                claims.get("kubernetes.io/serviceaccount/service-account.name"))
    scope = claims.get("kubernetes.io") or {}
    return scope.get("namespace"), (scope.get("serviceaccount") or {}).get("name")


def claims_uid(claims):
    if claims.get("iss") == LEGACY_ISSUER:
        return claims.get("kubernetes.io/serviceaccount/service-account.uid")
    return ((claims.get("kubernetes.io") or {}).get("serviceaccount") or {}).get("uid")
