"""csr_policy.evaluate on the forged-CSR table: no forgery passes, every genuine request does."""

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import csr_policy
from tests import csr_cases


def judge(c, **overrides):
    """The case judged as csr_approve judges it, with the default expiry cap."""
    nodes = csr_cases.node_objects(c)
    node = next((n for n in nodes if n["metadata"]["name"] == c["node"]), None)
    inventory = csr_cases.inventory(c)
    kwargs = dict(node_obj=node, allowed_nodes=csr_cases.ALLOWED, extra_addresses=inventory.get(c["node"]),
                  others=csr_policy.claims_of_others(c["node"], nodes, inventory))
    kwargs.update(overrides)
    return csr_policy.evaluate(csr_cases.as_stored(c), **kwargs)


def test_table_is_big_enough():
    assert len(csr_cases.FORGED) >= 10
    assert len(csr_cases.GENUINE) >= 2


@pytest.mark.parametrize("c", csr_cases.FORGED, ids=lambda c: c["name"])
def test_forged_requests_are_never_approved(c):
    decision, _node, reasons = judge(c)
    assert decision != csr_policy.APPROVE
    assert decision == {"deny": csr_policy.DENY, "skip": csr_policy.SKIP}[c["expect"]]
    assert reasons, "a refusal must say why"


@pytest.mark.parametrize("c", csr_cases.GENUINE, ids=lambda c: c["name"])
def test_genuine_requests_are_approved(c):
    decision, node, reasons = judge(c)
    assert (decision, reasons) == (csr_policy.APPROVE, [])
    assert node == c["node"]


@pytest.mark.parametrize("name,fragment", [
    ("cn-names-another-node", "subject CN"),
    ("dns-san-of-another-node", "DNS SAN 'worker2'"),
    ("ip-san-of-another-node", "IP SAN 10.0.0.12"),
    ("email-san", "email SAN"),
    ("uri-san", "URI SAN"),
    ("wrong-organization", "subject O"),
    ("missing-server-auth", "lack 'server auth'"),
    ("client-auth-only", "lack 'server auth'"),
    ("server-and-client-auth", "not an allowed kubelet serving set"),
    ("excessive-expiry", "exceeds the cap"),
    ("node-outside-allowed-list", "not in the nodes judged here"),
    ("requester-not-a-node", "is not a node"),
    ("requester-not-in-system-nodes", "not in group system:nodes"),
    ("no-subject-alt-names", "no DNS or IP subjectAltName"),
    ("ghost-node-without-node-object", "has no Node object"),
    ("wrong-signer-client-kubelet", "is not kubernetes.io/kubelet-serving"),
    ("ip-of-another-node-written-into-own-status", "IP SAN 10.0.0.11 is not an address of node 'worker2'"),
    ("ip-written-into-own-status-with-inventory", "IP SAN 10.0.0.77 is not an address of node 'worker2'"),
    ("ip-of-another-node-written-into-own-status-with-inventory", "IP SAN 10.0.0.11 is not an address"),
    ("name-of-another-node-written-into-own-status", "DNS SAN 'worker1' does not belong to node 'worker2'"),
    ("asks-for-a-ca", "asks for a CA certificate"),
    ("asks-for-certificate-signing", "certificate or CRL signing"),
    ("asks-for-client-auth-extension", "beyond server auth"),
    ("expiry-zero", "below the minimum of 600"),
    ("expiry-negative", "below the minimum of 600"),
    ("expiry-below-the-minimum", "below the minimum of 600"),
    ("ten-year-expiry-with-the-default-cap", "exceeds the cap of 31708800"),
])
def test_reasons_name_the_failed_check(name, fragment):
    c = next(x for x in csr_cases.FORGED if x["name"] == name)
    _decision, _node, reasons = judge(c)
    assert any(fragment in r for r in reasons), reasons


def test_addresses_given_by_the_caller_count_as_owned():
    c = csr_cases.case("ip-from-inventory", ips=["10.0.0.11", "192.168.1.31"], expect="approve")
    assert judge(c)[0] == csr_policy.DENY
    decision, _node, reasons = judge(c, extra_addresses=["10.0.0.11", "192.168.1.31"])
    assert (decision, reasons) == (csr_policy.APPROVE, [])


def test_with_inventory_addresses_the_node_status_is_not_trusted():
    c = csr_cases.case("status-ip-only", ips=["10.0.0.11"], expect="deny")
    decision, _node, reasons = judge(c, extra_addresses=["192.168.1.31"])
    assert decision == csr_policy.DENY and any("IP SAN 10.0.0.11" in r for r in reasons)


def test_an_address_another_node_claims_belongs_to_neither():
    """worker2 wrote worker1's address into its status: worker1 cannot get it either until the
    inventory says whose it is (a denial, never a wrong approval)."""
    forged = next(x for x in csr_cases.FORGED if x["name"] == "ip-of-another-node-written-into-own-status")
    genuine = csr_cases.case("worker1-beside-a-forger", statuses=forged["statuses"], expect="approve")
    assert judge(genuine)[0] == csr_policy.DENY
    assert judge(dict(genuine, inventory=True))[0] == csr_policy.APPROVE


def test_explicit_cap_still_applies():
    c = csr_cases.case("one-year", expiration=365 * 86400, expect="approve")
    assert judge(c)[0] == csr_policy.APPROVE
    assert judge(c, max_expiration_seconds=30 * 86400)[0] == csr_policy.DENY


def test_ghost_node_can_be_vouched_for_by_caller_addresses():
    c = csr_cases.case("ghost", node="worker9", dns=["worker9"], ips=["10.0.0.99"], expect="approve")
    decision, _node, reasons = judge(c, node_obj=None, allowed_nodes=None, extra_addresses=["10.0.0.99"])
    assert (decision, reasons) == (csr_policy.APPROVE, [])


def test_no_allowed_list_means_any_registered_node():
    c = next(x for x in csr_cases.FORGED if x["name"] == "node-outside-allowed-list")
    assert judge(c, allowed_nodes=None)[0] == csr_policy.APPROVE


def test_tampered_request_signature_is_refused():
    c = csr_cases.GENUINE[0]
    obj = csr_cases.as_stored(c)
    import base64
    pem = base64.b64decode(obj["spec"]["request"])
    # Re-encode with a flipped byte inside the signature: the CSR still parses but no longer verifies.
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    der = bytearray(x509.load_pem_x509_csr(pem).public_bytes(serialization.Encoding.DER))
    der[-5] ^= 0x01
    tampered = b"-----BEGIN CERTIFICATE REQUEST-----\n" + base64.encodebytes(bytes(der)) + b"-----END CERTIFICATE REQUEST-----\n"
    obj["spec"]["request"] = base64.b64encode(tampered).decode()
    decision, _node, reasons = csr_policy.evaluate(obj, node_obj=csr_cases.node_object("worker1"))
    assert decision == csr_policy.DENY
    assert any("signature" in r or "cannot be parsed" in r for r in reasons), reasons


@pytest.mark.parametrize("status,state", [
    ({}, "pending"),
    ({"conditions": [{"type": "Approved", "status": "True"}]}, "approved"),
    ({"conditions": [{"type": "Approved", "status": "True"}], "certificate": "LS0t"}, "issued"),
    ({"conditions": [{"type": "Denied", "status": "True"}]}, "denied"),
    ({"conditions": [{"type": "Approved", "status": "True"}, {"type": "Failed", "status": "True"}]}, "failed"),
])
def test_decided_requests_are_left_alone(status, state):
    obj = csr_cases.as_stored(csr_cases.GENUINE[0])
    obj["status"] = status
    assert csr_policy.csr_state(obj) == state
    decision, _node, reasons = csr_policy.evaluate(obj, node_obj=csr_cases.node_object("worker1"))
    if state == "pending":
        assert decision == csr_policy.APPROVE
    else:
        assert decision == csr_policy.SKIP and reasons == ["already %s" % state]


def test_with_condition_does_not_mutate_and_appends():
    obj = csr_cases.as_stored(csr_cases.GENUINE[0])
    cond = csr_policy.condition("Approved", "R", "M", "2026-11-25T20:00:00Z")
    updated = csr_policy.with_condition(obj, cond)
    assert obj["status"] == {}
    assert updated["status"]["conditions"] == [cond]


def test_serving_certificates_are_checked_against_the_cluster_ca():
    import datetime
    from tests.emulator import pki
    ca_key, ca = pki.make_ca()
    other_key, other_ca = pki.make_ca("someone-else")
    good = pki.cert_pem(pki.issue(ca_key, ca, "system:node:worker1", ["system:nodes"], ips=["10.0.0.11"])[1])
    forged = pki.cert_pem(pki.issue(other_key, other_ca, "system:node:worker2", ["system:nodes"])[1])
    misnamed = pki.cert_pem(pki.issue(ca_key, ca, "system:node:worker1", ["system:nodes"])[1])
    short = pki.cert_pem(pki.issue(ca_key, ca, "system:node:worker4", ["system:nodes"], seconds=60)[1])
    certs = {"worker1": good, "worker2": forged, "worker3": misnamed, "worker4": short, "master": None}
    problems = csr_policy.serving_cert_problems(certs, pki.cert_pem(ca))
    assert problems[0] == "master has no kubelet serving certificate yet"
    assert "worker2: its serving certificate was not signed by the cluster CA (issuer CN=someone-else)" in problems
    assert any(p.startswith("worker3: its serving certificate is for ['system:node:worker1']") for p in problems)
    assert not any(p.startswith(("worker1", "worker4")) for p in problems)
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    assert any(p.startswith("worker4: its serving certificate is not valid now")
               for p in csr_policy.serving_cert_problems(certs, pki.cert_pem(ca), now=later))
    assert csr_policy.serving_cert_problems({"worker1": good}, pki.cert_pem(ca)) == []


def without_signer(c):
    """The case as a 1.17 API server stores it: v1beta1 had no spec.signerName yet."""
    stored = csr_cases.as_stored(c)
    stored["apiVersion"] = "certificates.k8s.io/v1beta1"
    del stored["spec"]["signerName"]
    return stored


@pytest.mark.parametrize("c", csr_cases.GENUINE, ids=lambda c: c["name"])
def test_a_serving_request_without_signer_name_is_judged_as_one(c):
    assert csr_policy.signer_of(without_signer(c)) == csr_policy.SIGNER
    nodes = csr_cases.node_objects(c)
    node = next(n for n in nodes if n["metadata"]["name"] == c["node"])
    decision, _node, reasons = csr_policy.evaluate(without_signer(c), node_obj=node, allowed_nodes=csr_cases.ALLOWED,
                                                   others=csr_policy.claims_of_others(c["node"], nodes))
    assert (decision, reasons) == (csr_policy.APPROVE, [])


@pytest.mark.parametrize("name,expected", [
    ("cn-names-another-node", csr_policy.SIGNER),  # a node asking for server auth: judged (and denied)
    ("requester-not-a-node", csr_policy.SIGNER),  # an admin asking for a system:node: subject: judged
    ("wrong-signer-client-kubelet", None),  # a kubelet client request: not ours
    ("client-auth-only", None),
])
def test_signer_of_a_request_without_signer_name(name, expected):
    c = next(c for c in csr_cases.FORGED if c["name"] == name)
    assert csr_policy.signer_of(without_signer(c)) == expected


def test_signer_of_a_non_node_server_request_without_signer_name_is_none():
    c = dict(next(c for c in csr_cases.FORGED if c["name"] == "requester-not-a-node"), cn="webhook.example.svc",
             orgs=[])
    assert csr_policy.signer_of(without_signer(c)) is None
    decision, _node, _reasons = csr_policy.evaluate(without_signer(c))
    assert decision == csr_policy.SKIP


def test_a_forged_request_without_signer_name_is_denied():
    c = next(c for c in csr_cases.FORGED if c["name"] == "ip-san-of-another-node")
    nodes = csr_cases.node_objects(c)
    decision, _node, reasons = csr_policy.evaluate(without_signer(c), node_obj=nodes[0], allowed_nodes=csr_cases.ALLOWED,
                                                   others=csr_policy.claims_of_others(c["node"], nodes))
    assert decision == csr_policy.DENY and reasons
