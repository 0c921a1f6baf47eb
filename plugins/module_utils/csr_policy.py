# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decide whether a kubelet serving CSR may be approved.

The kube-controller-manager never approves ``kubernetes.io/kubelet-serving`` CSRs, because
nothing in the request proves that the requesting node owns the names it asks for. An approver
that signs blindly lets any node (or anyone holding a node credential) obtain a serving
certificate for another node's name or address, and so impersonate its kubelet to the API server
and to metrics scrapers. Every check below must pass; a CSR failing one is never approved.

The functions take and return plain dicts in the Kubernetes JSON form (camelCase), so they are
tested without an API server.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import ipaddress

try:
    from cryptography import x509
    from cryptography.x509.oid import NameOID
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = exc

SIGNER = "kubernetes.io/kubelet-serving"
NODE_USER_PREFIX = "system:node:"
NODES_GROUP = "system:nodes"
# The two usage sets the kubelet-serving signer permits (RSA keys add key encipherment).
ALLOWED_USAGE_SETS = (
    frozenset(["digital signature", "server auth"]),
    frozenset(["key encipherment", "digital signature", "server auth"]),
)
IP_ADDRESS_TYPES = ("InternalIP", "ExternalIP")
DNS_ADDRESS_TYPES = ("Hostname", "InternalDNS", "ExternalDNS")

APPROVE = "approve"
DENY = "deny"
SKIP = "skip"


def csr_state(csr):
    """``pending``, ``approved`` (not yet signed), ``issued``, ``denied`` or ``failed``."""
    status = csr.get("status") or {}
    types = set(c.get("type") for c in status.get("conditions") or [] if c.get("status", "True") == "True")
    if "Denied" in types:
        return "denied"
    if "Failed" in types:
        return "failed"
    if status.get("certificate"):
        return "issued"
    if "Approved" in types:
        return "approved"
    return "pending"


def node_of(csr):
    """The node name a CSR's requester claims (``system:node:<name>``), or None."""
    username = (csr.get("spec") or {}).get("username") or ""
    if username.startswith(NODE_USER_PREFIX) and len(username) > len(NODE_USER_PREFIX):
        return username[len(NODE_USER_PREFIX):]
    return None


def node_identities(node_obj, extra=None):
    """(ip set, dns-name set) a node owns: its Node status addresses plus addresses given by the caller."""
    ips, names = set(), set()
    entries = []
    if node_obj:
        entries += [(a.get("type"), a.get("address")) for a in (node_obj.get("status") or {}).get("addresses") or []]
        if (node_obj.get("metadata") or {}).get("name"):
            names.add(node_obj["metadata"]["name"].lower())
    for value in extra or []:
        entries.append((None, value))
    for kind, value in entries:
        if not value:
            continue
        try:
            ips.add(ipaddress.ip_address(value))
            continue
        except ValueError:
            pass
        if kind is None or kind in DNS_ADDRESS_TYPES:
            names.add(value.lower().rstrip("."))
    return ips, names


def decode_request(csr):
    """spec.request (base64 of a PEM CERTIFICATE REQUEST) -> cryptography CSR object."""
    raw = (csr.get("spec") or {}).get("request")
    if not raw:
        raise ValueError("spec.request is empty")
    if isinstance(raw, str):
        try:
            raw = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raw = raw.encode("ascii", errors="replace")
    if b"-----BEGIN CERTIFICATE REQUEST-----" not in raw:
        raise ValueError("spec.request is not a PEM CERTIFICATE REQUEST")
    return x509.load_pem_x509_csr(raw)


def evaluate(csr, node_obj=None, extra_addresses=None, allowed_nodes=None, max_expiration_seconds=None):
    """Return ``(decision, node, reasons)`` for one CSR.

    ``decision`` is APPROVE only when every check passes; DENY when the CSR is a kubelet-serving
    request from a node identity that fails a check; SKIP when the CSR is not ours to judge
    (another signer, already decided, or not from a node). ``reasons`` lists every failed check
    (or why it was skipped).
    """
    spec = csr.get("spec") or {}
    state = csr_state(csr)
    node = node_of(csr)
    if state != "pending":
        return SKIP, node, ["already %s" % state]
    if spec.get("signerName") != SIGNER:
        return SKIP, node, ["signer %r is not %s" % (spec.get("signerName"), SIGNER)]
    if node is None:
        return DENY, None, ["requester %r is not a node (expected %s<name>)" % (spec.get("username"), NODE_USER_PREFIX)]

    reasons = []
    if NODES_GROUP not in (spec.get("groups") or []):
        reasons.append("requester is not in group %s" % NODES_GROUP)
    if allowed_nodes is not None and node not in allowed_nodes:
        reasons.append("node %r is not in the allowed node list" % node)

    usages = frozenset(spec.get("usages") or [])
    if "server auth" not in usages:
        reasons.append("usages %s lack 'server auth'" % sorted(usages))
    elif usages not in ALLOWED_USAGE_SETS:
        reasons.append("usages %s are not an allowed kubelet serving set" % sorted(usages))

    expiration = spec.get("expirationSeconds")
    if max_expiration_seconds is not None and expiration is not None and int(expiration) > max_expiration_seconds:
        reasons.append("expirationSeconds %s exceeds the cap of %d" % (expiration, max_expiration_seconds))

    try:
        request = decode_request(csr)
    except ValueError as exc:
        reasons.append("request cannot be parsed: %s" % exc)
        return DENY, node, reasons
    if not request.is_signature_valid:
        reasons.append("request signature is invalid")

    username = spec.get("username")
    common_names = [a.value for a in request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    organizations = [a.value for a in request.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    if common_names != [username]:
        reasons.append("subject CN %s does not equal the requester %r" % (common_names or "(none)", username))
    if organizations != [NODES_GROUP]:
        reasons.append("subject O %s is not exactly [%r]" % (organizations or "(none)", NODES_GROUP))
    others = [a.oid.dotted_string for a in request.subject
              if a.oid not in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME)]
    if others:
        reasons.append("subject carries unexpected attributes %s" % others)

    try:
        san = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        san = None
    if san is None or not list(san):
        reasons.append("no DNS or IP subjectAltName")
    else:
        owned_ips, owned_names = node_identities(node_obj, extra_addresses)
        owned_names.add(node.lower())
        if node_obj is None and not extra_addresses:
            reasons.append("node %r has no Node object and no addresses were given for it" % node)
        for name in san:
            if isinstance(name, x509.DNSName):
                if name.value.lower().rstrip(".") not in owned_names:
                    reasons.append("DNS SAN %r does not belong to node %r" % (name.value, node))
            elif isinstance(name, x509.IPAddress):
                if name.value not in owned_ips:
                    reasons.append("IP SAN %s is not an address of node %r" % (name.value, node))
            elif isinstance(name, x509.RFC822Name):
                reasons.append("email SAN %r is forbidden" % name.value)
            elif isinstance(name, x509.UniformResourceIdentifier):
                reasons.append("URI SAN %r is forbidden" % name.value)
            else:
                reasons.append("SAN of type %s is forbidden" % type(name).__name__)

    return (DENY if reasons else APPROVE), node, reasons


def condition(kind, reason, message, now_text):
    """A CSR status condition as the API stores it."""
    return {
        "type": kind,
        "status": "True",
        "reason": reason,
        "message": message,
        "lastUpdateTime": now_text,
        "lastTransitionTime": now_text,
    }


def with_condition(csr, cond):
    """A copy of the CSR with ``cond`` appended, ready for PUT .../approval."""
    updated = dict(csr)
    status = dict(updated.get("status") or {})
    status["conditions"] = list(status.get("conditions") or []) + [cond]
    updated["status"] = status
    return updated


def issued_nodes(csrs):
    """Nodes that hold an issued kubelet serving certificate."""
    return set(node_of(c) for c in csrs
               if (c.get("spec") or {}).get("signerName") == SIGNER and csr_state(c) == "issued" and node_of(c))
