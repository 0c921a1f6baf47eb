"""csr_approve against the API emulator over real HTTPS with the Python kubernetes client.

Each CSR is submitted by the identity in the case table (a client certificate signed by the
cluster CA), so spec.username/groups are what the API server records, not what the test wrote.
"""

import base64
import threading
import time

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from ansible_collections.helmsman.kubeadm.plugins.modules import csr_approve
from tests import csr_cases, module_harness
from tests.emulator import Emulator


@pytest.fixture
def cluster(emulator, tmp_path):
    for name in csr_cases.NODES:
        emulator.put_object(csr_cases.node_object(name))
    return emulator


def submit(emulator, c, tmp_path):
    """POST the CSR as the case's identity; returns the stored name."""
    kubeconfig = emulator.kubeconfig(c["submit_as"], c["groups"], path=str(tmp_path / ("%s.conf" % c["name"])))
    from kubernetes import client, config
    cfg = client.Configuration()
    config.load_kube_config(config_file=kubeconfig, client_configuration=cfg)
    api = client.CertificatesV1Api(client.ApiClient(cfg))
    body = csr_cases.csr_object(c)
    created = api.create_certificate_signing_request(body)
    return created.metadata.name


def run(kubeconfig, check_mode=False, **args):
    args.setdefault("kubeconfig", kubeconfig)
    args.setdefault("poll_interval", 0.2)
    return module_harness.run(csr_approve, args, check_mode=check_mode)


def by_name(result):
    return {e["name"]: e for e in result["csrs"]}


SHARED_FORGED = [c for c in csr_cases.FORGED if csr_cases.in_shared_cluster(c)]
SHARED_GENUINE = [c for c in csr_cases.GENUINE if csr_cases.in_shared_cluster(c)]


def test_no_forgery_is_approved_and_every_genuine_one_is(cluster, admin_kubeconfig, tmp_path):
    for c in SHARED_FORGED + SHARED_GENUINE:
        submit(cluster, c, tmp_path)
    result = run(admin_kubeconfig, nodes=csr_cases.ALLOWED, node_addresses={})
    entries = by_name(result)
    forged = ["csr-" + c["name"] for c in SHARED_FORGED]
    genuine = ["csr-" + c["name"] for c in SHARED_GENUINE if c["node"] in csr_cases.ALLOWED]
    assert sorted(result["approved"]) == sorted(genuine)
    assert not set(result["approved"]) & set(forged)
    for name in forged:
        assert entries[name]["action"] == "skipped" and entries[name]["reasons"], name
        stored = cluster.get_object("certificatesigningrequests", name)
        assert not stored["status"].get("conditions") and not stored["status"].get("certificate"), name
    for name in genuine:
        stored = cluster.get_object("certificatesigningrequests", name)
        assert [c["type"] for c in stored["status"]["conditions"]] == ["Approved"]
        cert = x509.load_pem_x509_certificate(base64.b64decode(stored["status"]["certificate"]))
        assert ExtendedKeyUsageOID.SERVER_AUTH in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert result["issued_nodes"] == ["worker1", "worker2"]
    assert result["changed"] is True


@pytest.mark.parametrize("c", [c for c in csr_cases.FORGED + csr_cases.GENUINE if not csr_cases.in_shared_cluster(c)],
                         ids=lambda c: c["name"])
def test_forged_status_inventory_and_lifetime_cases(emulator, admin_kubeconfig, tmp_path, c):
    """Each in a cluster of its own: the Nodes as the case has them (a forger's status included),
    the inventory addresses when the case has them; the API refuses lifetimes below 600 s."""
    for node in csr_cases.node_objects(c):
        emulator.put_object(node)
    if not csr_cases.api_accepts(c):
        with pytest.raises(Exception, match="422"):
            submit(emulator, c, tmp_path)
        return
    submit(emulator, c, tmp_path)
    result = run(admin_kubeconfig, nodes=csr_cases.ALLOWED, node_addresses=csr_cases.inventory(c))
    if c["expect"] == "approve":
        assert result["approved"] == ["csr-" + c["name"]], result["csrs"]
    else:
        assert result["approved"] == [] and by_name(result)["csr-" + c["name"]]["reasons"], result["csrs"]


def test_second_run_changes_nothing(cluster, admin_kubeconfig, tmp_path):
    submit(cluster, csr_cases.GENUINE[0], tmp_path)
    submit(cluster, csr_cases.FORGED[0], tmp_path)
    assert run(admin_kubeconfig)["changed"] is True
    again = run(admin_kubeconfig)
    assert again["changed"] is False and again["approved"] == []
    assert by_name(again)["csr-genuine-worker1-ecdsa"]["reasons"] == ["already issued"]


def test_check_mode_reports_and_writes_nothing(cluster, admin_kubeconfig, tmp_path):
    submit(cluster, csr_cases.GENUINE[0], tmp_path)
    submit(cluster, csr_cases.FORGED[0], tmp_path)
    result = run(admin_kubeconfig, check_mode=True, deny=True)
    assert result["changed"] is True
    assert by_name(result)["csr-genuine-worker1-ecdsa"]["action"] == "would_approve"
    assert by_name(result)["csr-" + csr_cases.FORGED[0]["name"]]["action"] == "would_deny"
    for obj in cluster.list_objects("certificatesigningrequests"):
        assert obj["status"] == {}


def test_deny_marks_forgeries_denied(cluster, admin_kubeconfig, tmp_path):
    forged = [c for c in csr_cases.FORGED if c["expect"] == "deny"][:4]
    for c in forged:
        submit(cluster, c, tmp_path)
    wrong_signer = next(c for c in csr_cases.FORGED if c["expect"] == "skip")
    submit(cluster, wrong_signer, tmp_path)
    result = run(admin_kubeconfig, deny=True, nodes=csr_cases.ALLOWED)
    assert sorted(result["denied"]) == sorted("csr-" + c["name"] for c in forged)
    for c in forged:
        cond = cluster.get_object("certificatesigningrequests", "csr-" + c["name"])["status"]["conditions"]
        assert [x["type"] for x in cond] == ["Denied"] and cond[0]["message"]
    # another signer's request is not ours to deny
    assert cluster.get_object("certificatesigningrequests", "csr-" + wrong_signer["name"])["status"] == {}


def test_deny_judges_only_the_named_nodes(cluster, admin_kubeconfig, tmp_path):
    """The roles run one review per host (nodes: [that node], deny: true) in parallel: a genuine
    request of another node must stay pending for that node's own review, not be denied."""
    worker2 = next(c for c in csr_cases.GENUINE if c["node"] == "worker2")
    worker1_forged = next(c for c in csr_cases.FORGED if c["name"] == "ip-san-of-another-node")
    submit(cluster, worker2, tmp_path)
    submit(cluster, worker1_forged, tmp_path)
    result = run(admin_kubeconfig, deny=True, nodes=["worker1"])
    assert result["denied"] == ["csr-" + worker1_forged["name"]] and result["approved"] == []
    assert by_name(result)["csr-" + worker2["name"]]["action"] == "skipped"
    assert cluster.get_object("certificatesigningrequests", "csr-" + worker2["name"])["status"] == {}
    assert run(admin_kubeconfig, deny=True, nodes=["worker2"])["approved"] == ["csr-" + worker2["name"]]


def test_node_addresses_from_the_caller(cluster, admin_kubeconfig, tmp_path):
    c = csr_cases.case("with-public-ip", ips=["10.0.0.11", "203.0.113.7"], expect="approve")
    submit(cluster, c, tmp_path)
    assert run(admin_kubeconfig)["approved"] == []
    result = run(admin_kubeconfig, node_addresses={"worker1": ["10.0.0.11", "203.0.113.7"]})
    assert result["approved"] == ["csr-with-public-ip"]


def test_wait_for_a_csr_that_arrives_later(cluster, admin_kubeconfig, tmp_path):
    late = csr_cases.GENUINE[1]
    timer = threading.Timer(1.0, submit, args=(cluster, late, tmp_path))
    timer.start()
    started = time.time()
    result = run(admin_kubeconfig, wait_for_nodes=["worker2"], wait_timeout=30)
    timer.join()
    assert result.get("failed") is not True, result
    assert result["approved"] == ["csr-" + late["name"]] and result["issued_nodes"] == ["worker2"]
    assert time.time() - started >= 1.0


def test_wait_times_out_naming_the_missing_nodes(cluster, admin_kubeconfig, tmp_path):
    submit(cluster, csr_cases.GENUINE[0], tmp_path)
    result = run(admin_kubeconfig, wait_for_nodes=["worker1", "worker2"], wait_timeout=1)
    assert result["failed"] and "worker2" in result["msg"] and "worker1" not in result["msg"].split(":")[-1]
    assert result["approved"] == ["csr-genuine-worker1-ecdsa"]


def test_wait_for_nodes_outside_allowed_list_is_refused(admin_kubeconfig):
    result = run(admin_kubeconfig, nodes=["worker1"], wait_for_nodes=["worker3"])
    assert result["failed"] and "worker3" in result["msg"]


def test_signer_refuses_what_policy_would_refuse_anyway(cluster, admin_kubeconfig, tmp_path):
    """The emulator's signer marks a rule-breaking approved CSR Failed, like the real signer."""
    c = next(x for x in csr_cases.FORGED if x["name"] == "wrong-organization")
    name = submit(cluster, c, tmp_path)
    stored = cluster.get_object("certificatesigningrequests", name)
    stored["status"]["conditions"] = [{"type": "Approved", "status": "True", "reason": "manual", "message": "x"}]
    csr_resource = cluster.registry.by_group_plural("certificates.k8s.io", "certificatesigningrequests")
    cluster.replace(csr_resource, None, name, "approval", stored)
    after = cluster.get_object("certificatesigningrequests", name)
    assert [x["type"] for x in after["status"]["conditions"]] == ["Approved", "Failed"]
    assert "certificate" not in after["status"]


def test_unreachable_api_fails_cleanly(tmp_path):
    emu = Emulator()
    kubeconfig = emu.kubeconfig(path=str(tmp_path / "admin.conf"))
    emu.httpd.server_close()  # never started: the port is closed
    result = run(kubeconfig)
    assert result["failed"] and result["csrs"] == []


@pytest.mark.parametrize("version", ["1.17.6", "1.18.20"])
def test_v1beta1_releases_before_1_19(version, tmp_path):
    """certificates.k8s.io/v1 is not served before 1.19: the module reviews through v1beta1. On
    1.17 the requests name no signer (the field came with 1.18) and kube-controller-manager signs
    whatever is approved, so a forged request approved here would be issued."""
    emu = Emulator(version=version).start()
    try:
        for name in csr_cases.NODES:
            emu.put_object(csr_cases.node_object(name))
        from kubernetes import client, config
        from kubernetes.dynamic import DynamicClient
        for c in SHARED_FORGED + SHARED_GENUINE:
            cfg = client.Configuration()
            config.load_kube_config(config_file=emu.kubeconfig(c["submit_as"], c["groups"],
                                                               path=str(tmp_path / ("%s.conf" % c["name"]))),
                                    client_configuration=cfg)
            body = csr_cases.csr_object(c)
            body["apiVersion"] = "certificates.k8s.io/v1beta1"
            if version.startswith("1.17."):
                del body["spec"]["signerName"]
            DynamicClient(client.ApiClient(cfg)).request(
                "post", "/apis/certificates.k8s.io/v1beta1/certificatesigningrequests", body=body)
        admin = emu.kubeconfig(path=str(tmp_path / "admin.conf"))
        result = run(admin, nodes=csr_cases.ALLOWED, node_addresses={}, deny=True)
        assert result["api_version"] == "certificates.k8s.io/v1beta1"
        # on 1.17 a request whose only fault was its signer name is a genuine serving request
        # (the name is dropped): judged, and approved
        signer_only = [c for c in SHARED_FORGED if version.startswith("1.17.") and c["signer"] != csr_cases.SERVING
                       and "server auth" in c["usages"]]
        genuine = sorted("csr-" + c["name"] for c in SHARED_GENUINE + signer_only if c["node"] in csr_cases.ALLOWED)
        assert sorted(result["approved"]) == genuine
        assert result["issued_nodes"] == ["worker1", "worker2"]
        for c in [c for c in SHARED_FORGED if c not in signer_only]:
            stored = emu.get_object("certificatesigningrequests", "csr-" + c["name"])
            assert "Approved" not in [x["type"] for x in stored["status"].get("conditions") or []], c["name"]
            assert not stored["status"].get("certificate"), c["name"]
        # forged requests a node sent for server auth are denied, not left pending
        denied = [c for c in SHARED_FORGED if c["expect"] == "deny" and "server auth" in c["usages"]
                  and c["submit_as"].startswith("system:node:")]
        assert denied and set("csr-" + c["name"] for c in denied) <= set(result["denied"])
        assert run(admin, nodes=csr_cases.ALLOWED, node_addresses={}, deny=True)["changed"] is False
    finally:
        emu.stop()
