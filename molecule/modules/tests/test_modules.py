"""Verify the modules scenario on the host itself, with the host's own tools."""

import json

import pytest

testinfra_hosts = ["master"]


def tokens(host):
    out = host.check_output("kubeadm token list -o json")
    decoder, pos, found = json.JSONDecoder(), 0, []
    while pos < len(out):
        obj, end = decoder.raw_decode(out, pos)
        found.append(obj)
        pos = end
        while pos < len(out) and out[pos].isspace():
            pos += 1
    return found


def test_exactly_the_two_tokens_exist(host):
    listed = tokens(host)
    assert sorted(t.get("description") for t in listed) == ["helmsman.kubeadm node join", "runbook token"]
    forever = [t for t in listed if t["description"] == "runbook token"][0]
    assert "expires" not in forever
    assert all(t["apiVersion"] == "output.kubeadm.k8s.io/v1alpha3" for t in listed)


def test_join_command_file_is_private_and_valid(host):
    f = host.file("/root/join-command")
    assert f.mode == 0o600 and f.user == "root"
    words = f.content_string.split()
    assert words[:2] == ["kubeadm", "join"] and words[3] == "--token"
    node_token = [t["token"] for t in tokens(host) if t["description"] == "helmsman.kubeadm node join"]
    assert words[4] == node_token[0]


@pytest.mark.parametrize("pipeline", [
    "openssl x509 -pubkey -noout -in /etc/kubernetes/pki/ca.crt | openssl rsa -pubin -outform der 2>/dev/null"
    " | openssl dgst -sha256 -hex | sed 's/^.* //'",
])
def test_ca_pin_matches_openssl_on_the_host(host, pipeline):
    expected = "sha256:" + host.check_output(pipeline).strip()
    assert host.file("/root/ca-pin").content_string.strip() == expected
    assert host.file("/root/join-command").content_string.split()[-1] == expected


def test_ca_key_is_private(host):
    assert host.file("/etc/kubernetes/pki/ca.key").mode == 0o600
    assert host.file("/etc/kubernetes/admin.conf").mode == 0o600
