"""bootstrap_token: kubeadm's output formats, durations and the reuse decision."""

import datetime

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import bootstrap_token as bt

NOW = datetime.datetime(2026, 11, 25, 20, 0, 0, tzinfo=bt.UTC)

# The real `kubeadm token list -o json` shape: pretty-printed objects back to back, 4-space indent.
V1ALPHA3_TWO = """{
    "kind": "BootstrapToken",
    "apiVersion": "output.kubeadm.k8s.io/v1alpha3",
    "token": "abcdef.1234567890123456",
    "description": "valid bootstrap tooken",
    "usages": [
        "signing",
        "authentication"
    ],
    "groups": [
        "system:bootstrappers:kubeadm:default-node-token"
    ]
}
{
    "kind": "BootstrapToken",
    "apiVersion": "output.kubeadm.k8s.io/v1alpha3",
    "token": "k9x2pq.0123456789abcdef",
    "description": "helmsman.kubeadm node join",
    "expires": "2026-11-26T19:00:00Z",
    "usages": [
        "authentication",
        "signing"
    ],
    "groups": [
        "system:bootstrappers:kubeadm:default-node-token"
    ]
}
"""
V1ALPHA1 = ('{\n    "kind": "BootstrapToken",\n    "apiVersion": "output.kubeadm.k8s.io/v1alpha1",\n'
            '    "creationTimestamp": null,\n    "token": "7vg8cr.pks5g06s84aisb27",\n'
            '    "description": "x",\n    "expires": "2019-06-05T14:13:55Z",\n'
            '    "usages": ["signing", "authentication"],\n'
            '    "groups": ["system:bootstrappers:kubeadm:default-node-token"]\n}\n')
V1ALPHA2 = V1ALPHA1.replace("v1alpha1", "v1alpha2").replace("2019-06-05T14:13:55Z", "2026-11-25T21:00:00+01:00")


def token(tid="aaaaaa", expires=None, description="helmsman.kubeadm node join", groups=None, usages=None):
    return {"id": tid, "token": tid + ".0123456789abcdef", "description": description,
            "groups": groups or list(bt.DEFAULT_GROUPS), "usages": usages or list(bt.DEFAULT_USAGES),
            "expires": expires}


def test_parse_stream_of_objects():
    tokens = bt.parse_token_list(V1ALPHA3_TWO)
    assert [t["id"] for t in tokens] == ["abcdef", "k9x2pq"]
    assert tokens[0]["expires"] is None
    assert tokens[1]["expires"] == datetime.datetime(2026, 11, 26, 19, 0, tzinfo=bt.UTC)
    assert tokens[1]["description"] == "helmsman.kubeadm node join"


def test_parse_empty_output_means_no_tokens():
    assert bt.parse_token_list("") == []
    assert bt.parse_token_list("\n") == []


@pytest.mark.parametrize("text,version", [(V1ALPHA1, "v1alpha1"), (V1ALPHA2, "v1alpha2")])
def test_parse_older_output_versions(text, version):
    tokens = bt.parse_token_list(text)
    assert len(tokens) == 1 and tokens[0]["id"] == "7vg8cr"
    assert tokens[0]["expires"].tzinfo is not None, version


def test_offset_timestamps_are_normalised_to_utc():
    tokens = bt.parse_token_list(V1ALPHA2)
    assert tokens[0]["expires"] == datetime.datetime(2026, 11, 25, 20, 0, tzinfo=bt.UTC)


@pytest.mark.parametrize("text,message", [
    ('{"kind": "Secret", "apiVersion": "v1"}', "unexpected object"),
    ('{"kind": "BootstrapToken", "apiVersion": "output.kubeadm.k8s.io/v9", "token": "abcdef.0123456789abcdef"}',
     "unsupported kubeadm output API version"),
    ('{"kind": "BootstrapToken", "apiVersion": "output.kubeadm.k8s.io/v1alpha3", "token": "ABCDEF.0123456789abcdef"}',
     "not of the form"),
    ("TOKEN  TTL  EXPIRES\nabcdef.0123456789abcdef  23h  ...", "cannot parse"),
    ('{"kind": "BootstrapToken", ', "cannot parse"),
])
def test_parse_refuses_what_it_does_not_understand(text, message):
    with pytest.raises(bt.TokenError, match=message):
        bt.parse_token_list(text)


@pytest.mark.parametrize("value,seconds", [
    ("24h", 86400), ("24h0m0s", 86400), ("1h30m", 5400), ("90s", 90), ("0", 0), (0, 0), ("3600", 3600),
    (7200, 7200), ("1.5h", 5400), ("500ms", 0),
])
def test_parse_duration(value, seconds):
    assert bt.parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["", "1d", "24 h", "h", "-1h", True, -5, "1h 30m"])
def test_parse_duration_refuses(value):
    with pytest.raises(bt.TokenError):
        bt.parse_duration(value)


@pytest.mark.parametrize("seconds,text", [(86400, "24h0m0s"), (0, "0s"), (90, "1m30s"), (59, "59s"), (3661, "1h1m1s")])
def test_format_duration_like_go(seconds, text):
    assert bt.format_duration(seconds) == text


def test_token_formats():
    assert bt.split_token("abcdef.0123456789abcdef") == ("abcdef", "0123456789abcdef")
    for bad in ("abcdef.0123456789abcde", "abcdefg.0123456789abcdef", "ABCDEF.0123456789abcdef", "abcdef", "",
                "abcdef:0123456789abcdef", " abcdef.0123456789abcdef"):
        with pytest.raises(bt.TokenError):
            bt.split_token(bad)
    assert bt.token_id_of("abcdef") == "abcdef"
    assert bt.token_id_of("abcdef.0123456789abcdef") == "abcdef"
    with pytest.raises(bt.TokenError) as err:
        bt.token_id_of("abcdef.0123456789abcdeX")
    assert "0123456789" not in str(err.value)  # never echo a secret-looking value


def test_reuse_bounded_token_with_enough_time_left():
    fresh = token("aaaaaa", NOW + datetime.timedelta(hours=20))
    fresher = token("bbbbbb", NOW + datetime.timedelta(hours=23))
    chosen = bt.choose_reusable([fresh, fresher], "helmsman.kubeadm node join", bt.DEFAULT_GROUPS,
                                bt.DEFAULT_USAGES, 86400, 3600, NOW)
    assert chosen["id"] == "bbbbbb"


def test_no_reuse_when_too_little_time_left_or_expired():
    nearly = token("aaaaaa", NOW + datetime.timedelta(minutes=30))
    expired = token("bbbbbb", NOW - datetime.timedelta(minutes=1))
    assert bt.choose_reusable([nearly, expired], "helmsman.kubeadm node join", bt.DEFAULT_GROUPS,
                              bt.DEFAULT_USAGES, 86400, 3600, NOW) is None


def test_forever_and_bounded_never_stand_in_for_each_other():
    forever = token("aaaaaa", None)
    bounded = token("bbbbbb", NOW + datetime.timedelta(hours=23))
    args = ("helmsman.kubeadm node join", bt.DEFAULT_GROUPS, bt.DEFAULT_USAGES)
    assert bt.choose_reusable([forever], *args, ttl_seconds=86400, min_ttl_seconds=3600, now=NOW) is None
    assert bt.choose_reusable([bounded], *args, ttl_seconds=0, min_ttl_seconds=3600, now=NOW) is None
    assert bt.choose_reusable([forever, bounded], *args, ttl_seconds=0, min_ttl_seconds=0, now=NOW)["id"] == "aaaaaa"


@pytest.mark.parametrize("other", [
    {"description": "someone else's token"},
    {"groups": ["system:bootstrappers:other"]},
    {"usages": ["authentication"]},
])
def test_tokens_for_another_purpose_are_not_reused(other):
    candidate = token("aaaaaa", NOW + datetime.timedelta(hours=23), **other)
    assert bt.choose_reusable([candidate], "helmsman.kubeadm node join", bt.DEFAULT_GROUPS, bt.DEFAULT_USAGES,
                              86400, 3600, NOW) is None


def test_usage_order_does_not_matter():
    candidate = token("aaaaaa", NOW + datetime.timedelta(hours=23), usages=["authentication", "signing"])
    assert bt.choose_reusable([candidate], "helmsman.kubeadm node join", bt.DEFAULT_GROUPS,
                              ["signing", "authentication"], 86400, 3600, NOW) is candidate


def test_public_view_has_no_secret():
    view = bt.public_view(token("aaaaaa", NOW + datetime.timedelta(hours=1)), NOW)
    assert "0123456789abcdef" not in repr(view)
    assert view == {"id": "aaaaaa", "description": "helmsman.kubeadm node join", "usages": ["authentication", "signing"],
                    "groups": bt.DEFAULT_GROUPS, "expires": "2026-11-25T21:00:00Z", "ttl_seconds": 3600,
                    "expired": False}
    assert bt.public_view(token("aaaaaa", NOW - datetime.timedelta(seconds=5)), NOW)["expired"] is True


def test_commands():
    assert bt.create_command("kubeadm", "/etc/kubernetes/admin.conf", 0, "d", bt.DEFAULT_GROUPS, ["signing"]) == [
        "kubeadm", "token", "create", "--kubeconfig", "/etc/kubernetes/admin.conf", "--ttl", "0s",
        "--groups", "system:bootstrappers:kubeadm:default-node-token", "--usages", "signing", "--description", "d"]
    assert bt.create_command("k", "c", 60, "", ["system:bootstrappers:a"], ["signing"], token="abcdef.0123456789abcdef")[3] == \
        "abcdef.0123456789abcdef"
    assert bt.list_command("k", "c") == ["k", "token", "list", "-o", "json", "--kubeconfig", "c"]
    assert bt.delete_command("k", "c", "abcdef") == ["k", "token", "delete", "abcdef", "--kubeconfig", "c"]


def test_delete_not_found_means_absent():
    err = 'failed to delete bootstrap token "abcdef": secrets "bootstrap-token-abcdef" not found\n'
    assert bt.delete_reports_absent(1, err)
    assert not bt.delete_reports_absent(1, "Unauthorized")
    assert not bt.delete_reports_absent(0, "")


def test_join_command_pins_every_ca():
    cmd = bt.join_command("192.168.1.21:6443", "abcdef.0123456789abcdef", ["sha256:" + "a" * 64, "sha256:" + "b" * 64])
    assert cmd.split() == ["kubeadm", "join", "192.168.1.21:6443", "--token", "abcdef.0123456789abcdef",
                           "--discovery-token-ca-cert-hash", "sha256:" + "a" * 64,
                           "--discovery-token-ca-cert-hash", "sha256:" + "b" * 64]
    with pytest.raises(bt.TokenError, match="would not pin"):
        bt.join_command("h:6443", "abcdef.0123456789abcdef", [])


def test_kubeconfig_cluster_lookup():
    config = {"clusters": [{"name": "a", "cluster": {"server": "https://10.0.0.1:6443", "certificate-authority-data": "QQ=="}},
                           {"name": "b", "cluster": {"server": "https://10.0.0.2:6443"}}],
              "contexts": [{"name": "ctx", "context": {"cluster": "b"}}], "current-context": "ctx"}
    assert bt.cluster_from_kubeconfig(config) == ("https://10.0.0.2:6443", None, None)
    del config["current-context"]
    with pytest.raises(bt.TokenError, match="2 clusters"):
        bt.cluster_from_kubeconfig(config)
    assert bt.endpoint_from_server("https://10.0.0.1:6443/") == "10.0.0.1:6443"
    assert bt.endpoint_from_server("https://[fd00::1]:6443") == "[fd00::1]:6443"


def test_group_and_usage_validation():
    bt.validate_groups(["system:bootstrappers:kubeadm:default-node-token"])
    for bad in (["system:masters"], ["system:bootstrappers:"], ["system:bootstrappers:UPPER"]):
        with pytest.raises(bt.TokenError):
            bt.validate_groups(bad)
    with pytest.raises(bt.TokenError, match="unknown usage"):
        bt.validate_usages(["signing", "encryption"])
    with pytest.raises(bt.TokenError, match="at least one"):
        bt.validate_usages([])


def test_min_ttl_must_be_shorter_than_ttl():
    bt.validate_ttls(86400, 3600)
    bt.validate_ttls(0, 999999)  # never-expiring tokens ignore min_ttl
    for ttl, min_ttl in ((3600, 3600), (3600, 7200)):
        with pytest.raises(bt.TokenError, match="must be shorter than ttl"):
            bt.validate_ttls(ttl, min_ttl)


def test_other_join_tokens_are_those_that_authenticate():
    tokens = [{"id": "ours00", "usages": ["signing", "authentication"]},
              {"id": "kinit0", "usages": ["signing", "authentication"]},
              {"id": "sign00", "usages": ["signing"]}]
    assert bt.other_join_tokens(tokens, "ours00") == ["kinit0"]
    assert bt.other_join_tokens(tokens, None) == ["kinit0", "ours00"]
