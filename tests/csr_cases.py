"""The forged and genuine kubelet serving CSRs every csr_approve test runs through.

Cluster in these cases: worker1 (10.0.0.11), worker2 (10.0.0.12) and worker3 (10.0.0.13) are
registered Nodes; the nodes judged are worker1, worker2 and worker9 (which has no Node object). Each case names the identity that
submits the CSR (what the API server puts into spec.username/groups) and the request itself.
"""

import base64

from cryptography import x509
from cryptography.x509.oid import NameOID

from tests.emulator import pki

SERVING = "kubernetes.io/kubelet-serving"
EC_USAGES = ["digital signature", "server auth"]
RSA_USAGES = ["key encipherment", "digital signature", "server auth"]
NODES = {"worker1": "10.0.0.11", "worker2": "10.0.0.12", "worker3": "10.0.0.13"}
ALLOWED = ["worker1", "worker2", "worker9"]  # worker9: judged, but has no Node object
MAX_EXPIRATION = 365 * 86400


def node_object(name, extra_status=()):
    """A registered Node; ``extra_status``: (type, address) pairs the node wrote into its own status."""
    addresses = [{"type": "InternalIP", "address": NODES[name]}, {"type": "Hostname", "address": name}]
    addresses += [{"type": kind, "address": value} for kind, value in extra_status]
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
            "status": {"addresses": addresses}}


def node_objects(c):
    """Every Node of the case's cluster, with what the case's nodes wrote into their own status."""
    return [node_object(name, c["statuses"].get(name, ())) for name in sorted(NODES)]


def inventory(c):
    """The addresses the inventory gives the nodes when the case is judged with one, else {}."""
    return dict((name, [address]) for name, address in NODES.items()) if c["inventory"] else {}


def case(name, node="worker1", submit_as=None, groups=("system:nodes",), cn=None, orgs=("system:nodes",),
         dns=None, ips=None, emails=(), uris=(), signer=SERVING, usages=None, expiration=None, key_type="p256",
         extra_subject=(), extensions=(), statuses=None, with_inventory=False, expect="deny"):
    return dict(name=name, node=node, submit_as=submit_as or "system:node:%s" % node, groups=list(groups),
                cn=cn if cn is not None else "system:node:%s" % node, orgs=list(orgs),
                dns=[node] if dns is None else list(dns), ips=[NODES.get(node, "10.0.0.99")] if ips is None else list(ips),
                emails=list(emails), uris=list(uris), signer=signer,
                usages=usages or (RSA_USAGES if key_type.startswith("rsa") else EC_USAGES),
                expiration=expiration, key_type=key_type, extra_subject=list(extra_subject),
                extensions=list(extensions), statuses=dict(statuses or {}), inventory=with_inventory, expect=expect)


FORGED = [
    case("cn-names-another-node", cn="system:node:worker2"),
    case("dns-san-of-another-node", dns=["worker1", "worker2"]),
    case("ip-san-of-another-node", ips=["10.0.0.11", "10.0.0.12"]),
    case("ip-san-not-owned-by-anyone", ips=["10.0.0.99"]),
    case("email-san", emails=["admin@example.com"]),
    case("uri-san", uris=["spiffe://cluster.local/ns/kube-system/sa/admin"]),
    case("wrong-signer-client-kubelet", signer="kubernetes.io/kube-apiserver-client-kubelet",
         usages=["digital signature", "client auth"], expect="skip"),
    case("wrong-signer-legacy-unknown", signer="example.com/anything", expect="skip"),
    case("wrong-organization", orgs=["system:masters"]),
    case("extra-organization", orgs=["system:nodes", "system:masters"]),
    case("missing-organization", orgs=[]),
    case("missing-server-auth", usages=["digital signature", "key encipherment"]),
    case("client-auth-only", usages=["digital signature", "client auth"]),
    case("server-and-client-auth", usages=["digital signature", "server auth", "client auth"]),
    case("excessive-expiry", expiration=10 * 365 * 86400),
    case("username-cn-mismatch", cn="worker1"),
    case("node-outside-allowed-list", node="worker3", expect="skip"),
    case("requester-not-a-node", submit_as="kubernetes-admin", groups=["kubeadm:cluster-admins"]),
    case("requester-not-in-system-nodes", groups=[]),
    case("no-subject-alt-names", dns=[], ips=[]),
    case("ghost-node-without-node-object", node="worker9", dns=["worker9"], ips=["10.0.0.99"]),
    case("extra-subject-attribute", extra_subject=[(NameOID.ORGANIZATIONAL_UNIT_NAME, "ops")]),
    # A node may write its own Node status: claiming another node's address or name there gains nothing.
    case("ip-of-another-node-written-into-own-status", node="worker2", ips=["10.0.0.12", "10.0.0.11"],
         statuses={"worker2": [("InternalIP", "10.0.0.11")]}),
    case("ip-written-into-own-status-with-inventory", node="worker2", ips=["10.0.0.12", "10.0.0.77"],
         statuses={"worker2": [("ExternalIP", "10.0.0.77")]}, with_inventory=True),
    case("ip-of-another-node-written-into-own-status-with-inventory", node="worker2", ips=["10.0.0.11"],
         statuses={"worker2": [("InternalIP", "10.0.0.11")]}, with_inventory=True),
    case("name-of-another-node-written-into-own-status", node="worker2", dns=["worker2", "worker1"],
         statuses={"worker2": [("Hostname", "worker1")]}),
    # More than a serving certificate.
    case("asks-for-a-ca", extensions=[(x509.BasicConstraints(ca=True, path_length=None), True)]),
    case("asks-for-certificate-signing", extensions=[(x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False), True)]),
    case("asks-for-client-auth-extension", extensions=[(x509.ExtendedKeyUsage(
        [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH, x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), False)]),
    # Lifetimes the API would not take, or longer than the cap.
    case("expiry-zero", expiration=0),
    case("expiry-negative", expiration=-3600),
    case("expiry-below-the-minimum", expiration=599),
    case("ten-year-expiry-with-the-default-cap", expiration=10 * 365 * 86400),
]

GENUINE = [
    case("genuine-worker1-ecdsa", expect="approve"),
    case("genuine-worker2-ip-only", node="worker2", dns=[], expect="approve"),
    case("genuine-worker2-rsa", node="worker2", key_type="rsa2048", expect="approve"),
    case("genuine-worker1-short-expiry", expiration=3600, expect="approve"),
    case("genuine-worker1-with-inventory", with_inventory=True, expect="approve"),
    case("genuine-worker1-minimum-expiry", expiration=600, expect="approve"),
]


def api_accepts(c):
    """The API server itself refuses spec.expirationSeconds below 600 (the policy refuses them too)."""
    return c["expiration"] is None or c["expiration"] >= 600


def in_shared_cluster(c):
    """Cases that can be submitted side by side to one cluster of plain Nodes: neither a forged
    Node status nor inventory addresses, and accepted by the API."""
    return not c["statuses"] and not c["inventory"] and api_accepts(c)


def build_request(c):
    key = pki.new_key(c["key_type"])
    _key, pem = pki.make_csr(c["cn"], c["orgs"], c["dns"], c["ips"], c["emails"], c["uris"], key=key,
                             extra_subject=c["extra_subject"], extensions=c["extensions"])
    return pem


def csr_object(c, pem=None):
    """The CSR as a client submits it (spec.username/groups are filled in by the API server)."""
    spec = {"request": base64.b64encode(pem or build_request(c)).decode(), "signerName": c["signer"],
            "usages": c["usages"]}
    if c["expiration"] is not None:
        spec["expirationSeconds"] = c["expiration"]
    return {"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest",
            "metadata": {"name": "csr-" + c["name"]}, "spec": spec}


def as_stored(c):
    """The CSR as the API server stores it after admission."""
    obj = csr_object(c)
    obj["spec"]["username"] = c["submit_as"]
    obj["spec"]["groups"] = c["groups"] + ["system:authenticated"]
    obj["status"] = {}
    return obj
