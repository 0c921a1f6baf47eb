"""kubeadm_token end to end against the kubeadm double and the API emulator (real HTTPS)."""

import base64
import datetime
import json
import subprocess

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import ca_pin
from ansible_collections.helmsman.kubeadm.plugins.modules import kubeadm_token, kubeadm_token_info
from tests import module_harness


def run(kubeconfig, check_mode=False, **args):
    args.setdefault("kubeconfig", kubeconfig)
    return module_harness.run(kubeadm_token, args, check_mode=check_mode)


def token_secrets(emulator):
    return {s["metadata"]["name"]: s for s in emulator.list_objects("secrets", "kube-system")
            if s.get("type") == "bootstrap.kubernetes.io/token"}


def put_token(emulator, tid, secret, expires, description="helmsman.kubeadm node join"):
    data = {"token-id": tid, "token-secret": secret, "description": description,
            "usage-bootstrap-signing": "true", "usage-bootstrap-authentication": "true",
            "auth-extra-groups": "system:bootstrappers:kubeadm:default-node-token"}
    if expires is not None:
        data["expiration"] = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    emulator.put_object({"apiVersion": "v1", "kind": "Secret", "type": "bootstrap.kubernetes.io/token",
                         "metadata": {"name": "bootstrap-token-" + tid, "namespace": "kube-system"},
                         "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}})


def utc(**delta):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(**delta)


def test_second_run_reuses_the_same_token(emulator, admin_kubeconfig, kubeadm):
    first = run(admin_kubeconfig)
    assert first["changed"] is True and first["reused"] is False
    second = run(admin_kubeconfig)
    assert second["changed"] is False and second["reused"] is True
    assert second["secret"]["token"] == first["secret"]["token"]
    assert list(token_secrets(emulator)) == ["bootstrap-token-" + first["token"]["id"]]
    assert 23 * 3600 < first["token"]["ttl_seconds"] <= 24 * 3600


def test_results_carry_the_secret_only_under_secret(emulator, admin_kubeconfig, kubeadm):
    result = run(admin_kubeconfig)
    secret_part = result["secret"]["token"].split(".")[1]
    public = {k: v for k, v in result.items() if k != "secret"}
    assert secret_part not in json.dumps(public)
    listed = module_harness.run(kubeadm_token_info, {"kubeconfig": admin_kubeconfig}, check_mode=True)
    assert listed["changed"] is False and secret_part not in json.dumps(listed)
    assert [t["id"] for t in listed["tokens"]] == [result["token"]["id"]]


def test_never_expiring_token_like_the_runbook(emulator, admin_kubeconfig, kubeadm):
    first = run(admin_kubeconfig, ttl=0, description="runbook")
    assert first["changed"] and first["token"]["expires"] is None and first["token"]["ttl_seconds"] is None
    data = token_secrets(emulator)["bootstrap-token-" + first["token"]["id"]]["data"]
    assert "expiration" not in data
    again = run(admin_kubeconfig, ttl=0, description="runbook")
    assert again["changed"] is False and again["secret"]["token"] == first["secret"]["token"]
    bounded = run(admin_kubeconfig, ttl="2h", description="runbook")
    assert bounded["changed"] is True and bounded["token"]["id"] != first["token"]["id"]


def test_expired_token_is_replaced_not_reused(emulator, admin_kubeconfig, kubeadm):
    put_token(emulator, "old111", "0123456789abcdef", utc(minutes=-5))
    result = run(admin_kubeconfig)
    assert result["changed"] is True and result["token"]["id"] != "old111"
    assert any(t["id"] == "old111" and t["expired"] for t in result["tokens"])


def test_token_close_to_expiry_is_replaced(emulator, admin_kubeconfig, kubeadm):
    put_token(emulator, "near11", "0123456789abcdef", utc(minutes=30))
    put_token(emulator, "good11", "0123456789abcdef", utc(hours=5))
    assert run(admin_kubeconfig, min_ttl="1h")["secret"]["token"] == "good11.0123456789abcdef"
    assert run(admin_kubeconfig, min_ttl="6h")["changed"] is True


def test_check_mode_creates_nothing(emulator, admin_kubeconfig, kubeadm):
    result = run(admin_kubeconfig, check_mode=True)
    assert result["changed"] is True and "secret" not in result
    assert token_secrets(emulator) == {}


def test_absent_deletes_and_is_idempotent(emulator, admin_kubeconfig, kubeadm):
    created = run(admin_kubeconfig)
    tid = created["token"]["id"]
    assert run(admin_kubeconfig, state="absent", token_id=tid, check_mode=True)["changed"] is True
    assert token_secrets(emulator)
    gone = run(admin_kubeconfig, state="absent", token_id=tid)
    assert gone["changed"] is True and gone["deleted"] == tid and token_secrets(emulator) == {}
    assert run(admin_kubeconfig, state="absent", token_id=tid)["changed"] is False
    assert run(admin_kubeconfig, state="absent", token=created["secret"]["token"])["changed"] is False


def test_explicit_token_value(emulator, admin_kubeconfig, kubeadm):
    value = "abcdef.0123456789abcdef"
    first = run(admin_kubeconfig, token=value)
    assert first["changed"] and first["secret"]["token"] == value
    assert run(admin_kubeconfig, token=value)["changed"] is False
    clash = run(admin_kubeconfig, token="abcdef.fedcba9876543210")
    assert clash["failed"] and "different secret" in clash["msg"] and "fedcba9876543210" not in clash["msg"]


def test_join_command_pins_the_cluster_ca(emulator, admin_kubeconfig, kubeadm):
    result = run(admin_kubeconfig, join_command=True)
    words = result["secret"]["join_command"].split()
    assert words[:5] == ["kubeadm", "join", emulator.url.replace("https://", ""), "--token", result["secret"]["token"]]
    assert words[5:] == ["--discovery-token-ca-cert-hash", ca_pin.spki_pin(emulator.ca_cert)]
    reused = run(admin_kubeconfig, join_command=True, control_plane_endpoint="cp.example:6443")
    assert reused["changed"] is False and reused["secret"]["join_command"].split()[2] == "cp.example:6443"


def test_module_join_command_matches_kubeadms_own(emulator, admin_kubeconfig, kubeadm):
    printed = subprocess.run([kubeadm, "token", "create", "--print-join-command", "--kubeconfig", admin_kubeconfig,
                              "--description", "helmsman.kubeadm node join"],
                             check=True, capture_output=True, text=True).stdout
    ours = run(admin_kubeconfig, join_command=True)
    assert ours["changed"] is False
    assert ours["secret"]["join_command"].split() == printed.split()


@pytest.mark.parametrize("version,api", [("1.17.6", "v1alpha1"), ("1.28.2", "v1alpha2"), ("1.36.4", "v1alpha3")])
def test_every_output_api_version(emulator, admin_kubeconfig, kubeadm, monkeypatch, version, api):
    monkeypatch.setenv("KUBEADM_SIM_VERSION", version)
    out = subprocess.run([kubeadm, "token", "list", "-o", "json", "--kubeconfig", admin_kubeconfig],
                         check=True, capture_output=True, text=True).stdout
    assert out == ""  # no tokens: kubeadm prints nothing at all
    first = run(admin_kubeconfig)
    out = subprocess.run([kubeadm, "token", "list", "-o", "json", "--kubeconfig", admin_kubeconfig],
                         check=True, capture_output=True, text=True).stdout
    assert '"apiVersion": "output.kubeadm.k8s.io/%s"' % api in out
    assert run(admin_kubeconfig)["secret"]["token"] == first["secret"]["token"]


def test_bad_input_is_refused_before_kubeadm_runs(admin_kubeconfig, tmp_path):
    missing = str(tmp_path / "no-kubeadm")
    for args, fragment in [
        ({"ttl": "1d"}, "is not a duration"),
        ({"ttl": "1h", "min_ttl": "2h"}, "must be shorter than ttl"),
        ({"groups": ["system:masters"]}, "does not match"),
        ({"token": "ABCDEF.0123456789abcdef"}, "not of the form"),
        ({"state": "absent"}, "state is absent but any of the following are missing: token, token_id"),
        ({"usages": ["encryption"]}, "value of usages must be one or more of"),
    ]:
        result = run(admin_kubeconfig, kubeadm_path=missing, **args)
        assert result["failed"] and fragment in result["msg"], (args, result["msg"])
    result = run(admin_kubeconfig, kubeadm_path=missing)
    assert result["failed"] and "is not an executable file" in result["msg"]


def test_kubeadm_failure_is_reported(tmp_path, kubeadm):
    result = run(str(tmp_path / "missing.conf"))
    assert result["failed"] and "kubeadm token list failed" in result["msg"] and "missing.conf" in result["msg"]
