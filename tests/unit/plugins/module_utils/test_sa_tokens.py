"""The login-token logic of sa_token against a fake API: secret and request sources, reuse of a
held token, durations."""

import base64
import json

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import sa_tokens

NOW = 1_800_000_000


def jwt(claims):
    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return "%s.%s.sig" % (part({"alg": "RS256"}), part(claims))


def bound(exp, sub="system:serviceaccount:kubernetes-dashboard:admin-user"):
    return jwt({"sub": sub, "exp": exp, "iat": NOW - 10})


class FakeAPI:
    def __init__(self, secrets=(), sa=True, accepted=()):
        self.secrets = list(secrets)
        self.sa = sa
        self.accepted = set(accepted)
        self.requests = []

    def get_service_account(self, namespace, name):
        return {"metadata": {"name": name, "namespace": namespace}} if self.sa else None

    def list_secrets(self, namespace):
        return self.secrets

    def review(self, token):
        if token in self.accepted:
            return {"authenticated": True, "user": {"username": sa_tokens.claims(token)["sub"]}}
        return {"authenticated": False, "error": "invalid bearer token"}

    def request(self, namespace, name, seconds):
        self.requests.append(seconds)
        return bound(NOW + seconds), "2027-01-15T08:00:00Z"


def params(**over):
    base = {"namespace": "kubernetes-dashboard", "service_account": "admin-user", "source": "request",
            "secret_name": None, "duration": "24h", "renew_before": 3600, "current": None, "wait_timeout": 0,
            "poll_interval": 0}
    base.update(over)
    return base


def token_secret(name, sa, token=None):
    secret = {"type": sa_tokens.TOKEN_TYPE,
              "metadata": {"name": name, "annotations": {sa_tokens.SA_ANNOTATION: sa}}}
    if token:
        secret["data"] = {"token": base64.b64encode(token.encode()).decode()}
    return secret


@pytest.mark.parametrize("value,seconds", [(3600, 3600), ("3600", 3600), ("90m", 5400), ("24h", 86400),
                                           ("1h30m", 5400), ("7d", 604800)])
def test_durations(value, seconds):
    assert sa_tokens.parse_duration(value) == seconds


@pytest.mark.parametrize("value,needle", [("1 day", "not a duration"), ("5m", "less than the API's minimum"),
                                          (True, "not a duration"), ("-1h", "not a duration")])
def test_bad_durations_name_the_variable(value, needle):
    with pytest.raises(sa_tokens.TokenError, match=needle) as info:
        sa_tokens.parse_duration(value, "dashboard_token_duration")
    assert str(info.value).startswith("dashboard_token_duration: ")


def test_a_valid_held_token_is_kept_and_nothing_minted():
    held = bound(NOW + 20000)
    api = FakeAPI(accepted=[held])
    result = sa_tokens.run(params(current=held), api, False, clock=lambda: NOW)
    assert result["kept"] and "token" not in result and not result["changed"] and api.requests == []


@pytest.mark.parametrize("held,accepted,reason", [
    (bound(NOW + 600), True, "expires in 600 s"),
    (bound(NOW + 20000), False, "no longer accepts it"),
    (bound(NOW + 20000, sub="system:serviceaccount:kube-system:other"), True, "authenticates as"),
    ("not-a-jwt", False, "not a JWT"),
    (None, False, "no token held"),
])
def test_a_held_token_that_cannot_be_kept_is_replaced(held, accepted, reason):
    api = FakeAPI(accepted=[held] if accepted else [])
    result = sa_tokens.run(params(current=held), api, False, clock=lambda: NOW)
    assert result["changed"] and result["minted"] and api.requests == [86400]
    assert any(reason in r for r in result["reasons"]), result["reasons"]
    assert sa_tokens.claims(result["token"])["exp"] == NOW + 86400


def test_check_mode_mints_nothing():
    api = FakeAPI()
    result = sa_tokens.run(params(), api, True, clock=lambda: NOW)
    assert result["changed"] and result["token"] is None and api.requests == []


def test_secret_source_reads_the_filled_secret():
    api = FakeAPI(secrets=[token_secret("other-token", "other", "x.y.z"), token_secret("admin-user-token", "admin-user", "a.b.c")])
    result = sa_tokens.run(params(source="secret", secret_name="admin-user-token"), api, False)
    assert result["token"] == "a.b.c" and result["secret"] == "admin-user-token" and not result["changed"]


def test_secret_source_finds_the_generated_secret_before_1_24():
    api = FakeAPI(secrets=[token_secret("admin-user-token-x7k2p", "admin-user", "a.b.c")])
    assert sa_tokens.run(params(source="secret"), api, False)["secret"] == "admin-user-token-x7k2p"


def test_an_unfilled_secret_times_out_saying_what_it_waited_for():
    api = FakeAPI(secrets=[token_secret("admin-user-token", "admin-user")])
    with pytest.raises(sa_tokens.TokenError, match="no filled token Secret admin-user-token for ServiceAccount "
                                                   "kubernetes-dashboard/admin-user after 0 s"):
        sa_tokens.run(params(source="secret", secret_name="admin-user-token"), api, False, clock=lambda: NOW)


def test_a_missing_service_account_is_refused():
    with pytest.raises(sa_tokens.TokenError, match="ServiceAccount kubernetes-dashboard/admin-user does not exist"):
        sa_tokens.run(params(), FakeAPI(sa=False), False)
