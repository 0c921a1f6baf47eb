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
    from cryptography.exceptions import InvalidSignature
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
# Lifetimes: the API's own minimum for spec.expirationSeconds, and the default cap (the one
# kubelet-csr-approver uses: 367 days).
MIN_EXPIRATION_SECONDS = 600
DEFAULT_MAX_EXPIRATION_SECONDS = 367 * 86400
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


def signer_of(csr):
    """The signer a CSR asks for (None when it names none and is not a kubelet's serving request).

    A ``certificates.k8s.io/v1beta1`` request made to an API server before 1.18 has no
    ``spec.signerName`` (the field came with 1.18), and kube-controller-manager then signed every
    approved request with the cluster CA. Such a request asking for ``server auth`` from a node
    identity, or for a ``system:node:`` subject, is what the kubelet sends for its serving
    certificate (a 1.18+ API server defaults it to kubernetes.io/kubelet-serving), so it is judged
    as one: approved only when it passes every check, denied as forged otherwise."""
    spec = csr.get("spec") or {}
    if spec.get("signerName"):
        return spec["signerName"]
    if "server auth" not in (spec.get("usages") or []):
        return None
    if node_of(csr):
        return SIGNER
    try:
        names = [a.value for a in decode_request(csr).subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    except ValueError:
        return None
    return SIGNER if any(n.startswith(NODE_USER_PREFIX) for n in names) else None


def node_identities(node_obj, extra=None, trust_status=True):
    """(ip set, dns-name set) a node claims: its name, its Node status addresses (unless
    ``trust_status`` is False) and the addresses given by the caller."""
    ips, names = set(), set()
    entries = []
    if node_obj:
        if trust_status:
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


def claims_of_others(node, node_objs, addresses_by_node=None):
    """(ip set, dns-name set) that nodes other than ``node`` claim: their names, the addresses their
    Node objects report and the addresses the caller gives them (the inventory)."""
    ips, names = set(), set()
    addresses_by_node = addresses_by_node or {}
    others = set(n for n in addresses_by_node if n != node)
    by_name = {}
    for obj in node_objs or []:
        name = (obj.get("metadata") or {}).get("name")
        if name and name != node:
            by_name[name] = obj
            others.add(name)
    for name in others:
        found_ips, found_names = node_identities(by_name.get(name, {"metadata": {"name": name}}),
                                                 addresses_by_node.get(name))
        ips |= found_ips
        names |= found_names
    return ips, names


def owned_identities(node, node_obj, extra_addresses=None, others=None):
    """(ip set, dns-name set) that ``node`` may have in its serving certificate.

    A node can write its own Node status (NodeRestriction allows it), so what the status says is
    trusted only where nothing better is known: with addresses from the caller (the inventory)
    for this node, those and the node's name are all it owns; without them, its status addresses
    count unless another node claims them (``others``, from claims_of_others)."""
    if extra_addresses:
        ips, names = node_identities(node_obj, extra_addresses, trust_status=False)
    else:
        ips, names = node_identities(node_obj)
        other_ips, other_names = others or (set(), set())
        ips -= other_ips
        names -= other_names
    names.add(node.lower())
    return ips, names


def extension_problems(request):
    """Reasons a request asks for more than a serving certificate: a CA, or certificate signing."""
    reasons = []
    for extension in request.extensions:
        value = extension.value
        if isinstance(value, x509.BasicConstraints) and value.ca:
            reasons.append("request asks for a CA certificate (basicConstraints CA:TRUE)")
        elif isinstance(value, x509.KeyUsage) and (value.key_cert_sign or value.crl_sign):
            reasons.append("request asks for certificate or CRL signing key usage")
        elif isinstance(value, x509.ExtendedKeyUsage):
            extra = [u.dotted_string for u in value if u != x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]
            if extra:
                reasons.append("request asks for extended key usages beyond server auth: %s" % extra)
    return reasons


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


def evaluate(csr, node_obj=None, extra_addresses=None, allowed_nodes=None,
             max_expiration_seconds=DEFAULT_MAX_EXPIRATION_SECONDS, others=None):
    """Return ``(decision, node, reasons)`` for one CSR.

    ``others``: (ips, names) claimed by the other nodes (claims_of_others); ``extra_addresses``:
    the addresses the inventory gives this node (then its Node status is not trusted).

    ``decision`` is APPROVE only when every check passes; DENY when the CSR is a kubelet-serving
    request from a node identity that fails a check, or from an identity that is not a node; SKIP
    when the CSR is not ours to judge (another signer, already decided, or a node outside
    ``allowed_nodes``). ``reasons`` lists every failed check
    (or why it was skipped).
    """
    spec = csr.get("spec") or {}
    state = csr_state(csr)
    node = node_of(csr)
    if state != "pending":
        return SKIP, node, ["already %s" % state]
    if signer_of(csr) != SIGNER:
        return SKIP, node, ["signer %r is not %s" % (spec.get("signerName"), SIGNER)]
    if node is None:
        return DENY, None, ["requester %r is not a node (expected %s<name>)" % (spec.get("username"), NODE_USER_PREFIX)]

    if allowed_nodes is not None and node not in allowed_nodes:
        # Another run (or another tool) judges the other nodes: denying here would deny their
        # genuine requests too.
        return SKIP, node, ["node %r is not in the nodes judged here" % node]

    reasons = []
    if NODES_GROUP not in (spec.get("groups") or []):
        reasons.append("requester is not in group %s" % NODES_GROUP)

    usages = frozenset(spec.get("usages") or [])
    if "server auth" not in usages:
        reasons.append("usages %s lack 'server auth'" % sorted(usages))
    elif usages not in ALLOWED_USAGE_SETS:
        reasons.append("usages %s are not an allowed kubelet serving set" % sorted(usages))

    expiration = spec.get("expirationSeconds")
    if expiration is not None:
        try:
            expiration = int(expiration)
        except (TypeError, ValueError):
            reasons.append("expirationSeconds %r is not a number" % (expiration,))
            expiration = None
    if expiration is not None and expiration < MIN_EXPIRATION_SECONDS:
        reasons.append("expirationSeconds %s is below the minimum of %d" % (expiration, MIN_EXPIRATION_SECONDS))
    if max_expiration_seconds is not None and expiration is not None and expiration > max_expiration_seconds:
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
    others_attrs = [a.oid.dotted_string for a in request.subject
                    if a.oid not in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME)]
    if others_attrs:
        reasons.append("subject carries unexpected attributes %s" % others_attrs)
    reasons.extend(extension_problems(request))

    try:
        san = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        san = None
    if san is None or not list(san):
        reasons.append("no DNS or IP subjectAltName")
    else:
        owned_ips, owned_names = owned_identities(node, node_obj, extra_addresses, others)
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
    return set(node_of(c) for c in csrs if signer_of(c) == SIGNER and csr_state(c) == "issued" and node_of(c))


def serving_cert_problems(certs, ca_pem, now=None):
    """One sentence per node whose kubelet serving certificate metrics-server could not verify.

    ``certs``: node name -> the PEM of its kubelet's current serving certificate, or None when
    it has none. A certificate passes when the cluster CA ``ca_pem`` signed it (its signature
    checked with the CA's key), it is valid now (``now``: an aware datetime, default the current
    time) and its subject is ``system:node:<node>``."""
    import datetime
    ca = x509.load_pem_x509_certificate(ca_pem.encode() if not isinstance(ca_pem, bytes) else ca_pem)
    moment = now or datetime.datetime.now(datetime.timezone.utc)
    problems = []
    for node in sorted(certs):
        pem = certs[node]
        if not pem:
            problems.append("%s has no kubelet serving certificate yet" % node)
            continue
        try:
            cert = x509.load_pem_x509_certificates(pem.encode() if not isinstance(pem, bytes) else pem)[0]
        except ValueError as exc:
            problems.append("%s: its serving certificate cannot be read (%s)" % (node, exc))
            continue
        try:
            cert.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature):
            problems.append("%s: its serving certificate was not signed by the cluster CA (issuer %s)"
                            % (node, cert.issuer.rfc4514_string()))
            continue
        if not cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc:
            problems.append("%s: its serving certificate is not valid now (%s to %s)"
                            % (node, cert.not_valid_before_utc.isoformat(), cert.not_valid_after_utc.isoformat()))
        names = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
        if names != [NODE_USER_PREFIX + node]:
            problems.append("%s: its serving certificate is for %s, not %s%s" % (node, names, NODE_USER_PREFIX, node))
    return problems
