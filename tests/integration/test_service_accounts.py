"""The emulator's service-account tokens (token controller and TokenRequest, signed with the
cluster's key) and the APIService availability the aggregator reports, over real HTTPS."""

import base64
import json
import os
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.emulator.apiserver import Emulator
from tests.emulator.controllers import Controllers

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "simulator"))
from simlib import API, Fail as SimAPIError  # noqa: E402


def _emulator(minor):
    emu = Emulator(sa_key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
                   version="1.%d.0" % minor).start()
    emu.put_object({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kubernetes-dashboard"}})
    return emu


@pytest.fixture(params=[17, 36], ids=["1.17", "1.36"])
def sa_cluster(request, tmp_path):
    emu = _emulator(request.param)
    yield emu, request.param, Controllers(emu), API.from_kubeconfig(emu.kubeconfig(path=str(tmp_path / "admin.conf")))
    emu.stop()


def whoami(emu, token):
    api = API(emu.url, ca_pem=open(emu.ca_file, "rb").read(), token=token)
    answer = api.call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                      {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})
    return answer["status"]["userInfo"]


def sa(emu, name="admin-user", ns="kubernetes-dashboard"):
    return emu.put_object({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name, "namespace": ns}})


def token_secrets(emu, ns="kubernetes-dashboard"):
    return [s for s in emu.list_objects("secrets", ns) if s.get("type") == "kubernetes.io/service-account-token"]


def test_legacy_secrets_are_generated_only_before_1_24(sa_cluster):
    emu, minor, controllers, _api = sa_cluster
    sa(emu)
    controllers.sync()
    secrets = token_secrets(emu)
    if minor >= 24:
        assert secrets == []
        return
    assert len(secrets) == 1 and secrets[0]["metadata"]["name"].startswith("admin-user-token-")
    assert emu.get_object("serviceaccounts", "admin-user", "kubernetes-dashboard")["secrets"] == [
        {"name": secrets[0]["metadata"]["name"]}]
    token = base64.b64decode(secrets[0]["data"]["token"]).decode()
    assert whoami(emu, token)["username"] == "system:serviceaccount:kubernetes-dashboard:admin-user"
    controllers.sync()
    assert len(token_secrets(emu)) == 1  # not one per pass


def test_a_token_secret_is_filled_for_its_service_account_and_deleted_without_one(sa_cluster):
    emu, _minor, controllers, _api = sa_cluster
    account = sa(emu)
    for name, owner in (("admin-user-token", "admin-user"), ("orphan-token", "nobody")):
        emu.put_object({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                        "metadata": {"name": name, "namespace": "kubernetes-dashboard",
                                     "annotations": {"kubernetes.io/service-account.name": owner}}})
    controllers.sync()
    assert emu.get_object("secrets", "orphan-token", "kubernetes-dashboard") is None
    secret = emu.get_object("secrets", "admin-user-token", "kubernetes-dashboard")
    assert secret["metadata"]["annotations"]["kubernetes.io/service-account.uid"] == account["metadata"]["uid"]
    assert base64.b64decode(secret["data"]["namespace"]) == b"kubernetes-dashboard"
    assert b"BEGIN CERTIFICATE" in base64.b64decode(secret["data"]["ca.crt"])
    token = base64.b64decode(secret["data"]["token"]).decode()
    user = whoami(emu, token)
    assert user["username"] == "system:serviceaccount:kubernetes-dashboard:admin-user"
    assert "system:serviceaccounts:kubernetes-dashboard" in user["groups"]
    # deleting the Secret revokes the token
    emu.delete(emu.registry.by_group_plural("", "secrets"), "kubernetes-dashboard", "admin-user-token")
    with pytest.raises(SimAPIError) as err:
        whoami(emu, token)
    assert err.value.code == 401


def test_token_request_is_bound_to_the_account_and_expires(sa_cluster):
    emu, _minor, _controllers, api = sa_cluster
    sa(emu)
    answer = api.call("POST", "/api/v1/namespaces/kubernetes-dashboard/serviceaccounts/admin-user/token",
                      {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                       "spec": {"expirationSeconds": 7200}})
    assert answer["kind"] == "TokenRequest" and answer["spec"]["expirationSeconds"] == 7200
    token = answer["status"]["token"]
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert payload["exp"] - payload["iat"] == 7200
    assert payload["kubernetes.io"]["serviceaccount"]["name"] == "admin-user"
    assert whoami(emu, token)["username"] == "system:serviceaccount:kubernetes-dashboard:admin-user"
    with pytest.raises(SimAPIError) as err:
        api.call("POST", "/api/v1/namespaces/kubernetes-dashboard/serviceaccounts/admin-user/token",
                 {"spec": {"expirationSeconds": 60}})
    assert err.value.code == 422
    # a recreated ServiceAccount (new uid) does not accept the old token
    emu.delete(emu.registry.by_group_plural("", "serviceaccounts"), "kubernetes-dashboard", "admin-user")
    sa(emu)
    with pytest.raises(SimAPIError):
        whoami(emu, token)


def test_a_token_signed_by_another_key_is_refused(sa_cluster):
    emu, _minor, _controllers, _api = sa_cluster
    other = _emulator(36)
    try:
        sa(other)
        sa(emu)
        token = other.token_request("kubernetes-dashboard", "admin-user", {})["status"]["token"]
        with pytest.raises(SimAPIError) as err:
            whoami(emu, token)
        assert err.value.code == 401
    finally:
        other.stop()


def test_apiservice_available_follows_the_pods_behind_its_service(sa_cluster):
    emu, _minor, controllers, _api = sa_cluster
    emu.put_object({"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
                    "metadata": {"name": "v1beta1.metrics.k8s.io"},
                    "spec": {"group": "metrics.k8s.io", "version": "v1beta1", "insecureSkipTLSVerify": True,
                             "groupPriorityMinimum": 100, "versionPriority": 100,
                             "service": {"name": "metrics-server", "namespace": "kube-system"}}})

    def available():
        controllers.apiservices()
        cond = emu.get_object("apiservices", "v1beta1.metrics.k8s.io")["status"]["conditions"][0]
        return cond["status"], cond["reason"], cond["message"]

    assert available() == ("False", "ServiceNotFound", 'service/metrics-server in "kube-system" is not present')
    emu.put_object({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "metrics-server", "namespace": "kube-system"},
                    "spec": {"selector": {"k8s-app": "metrics-server"},
                             "ports": [{"name": "https", "port": 443, "targetPort": "https"}]}})
    assert available() == ("False", "MissingEndpoints",
                           'endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"')
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "metrics-server-1", "namespace": "kube-system", "labels": {"k8s-app": "metrics-server"}},
           "spec": {"containers": [{"name": "metrics-server", "image": "x"}]},
           "status": {"phase": "Running", "podIP": "10.244.1.5",
                      "conditions": [{"type": "Ready", "status": "False"}]}}
    emu.put_object(pod)
    assert available()[1] == "MissingEndpoints"  # a Pod that is not Ready is no endpoint
    stored = emu.get_object("pods", "metrics-server-1", "kube-system")
    stored["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
    del stored["metadata"]["resourceVersion"]
    emu.replace(emu.registry.by_group_plural("", "pods"), "kube-system", "metrics-server-1", "status", stored)
    assert available() == ("True", "Passed", "all checks passed")


def test_secrets_are_selected_by_type_and_an_unsupported_field_is_refused(sa_cluster):
    """As the API server: a Secret's type is a field selector (what `kubectl get secrets
    --field-selector type=bootstrap.kubernetes.io/token` sends), an unknown field label a 400."""
    emu, _minor, _controllers, api = sa_cluster
    emu.put_object({"apiVersion": "v1", "kind": "Secret", "type": "bootstrap.kubernetes.io/token",
                    "metadata": {"name": "bootstrap-token-abcdef", "namespace": "kube-system"}})
    emu.put_object({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "plain", "namespace": "kube-system"}})
    found = api.call("GET", "/api/v1/namespaces/kube-system/secrets?fieldSelector=type%3Dbootstrap.kubernetes.io%2Ftoken")
    assert [s["metadata"]["name"] for s in found["items"]] == ["bootstrap-token-abcdef"]
    opaque = api.call("GET", "/api/v1/namespaces/kube-system/secrets?fieldSelector=type%3DOpaque")
    assert "plain" in [s["metadata"]["name"] for s in opaque["items"]]
    with pytest.raises(SimAPIError, match="field label not supported: data.token"):
        api.call("GET", "/api/v1/namespaces/kube-system/secrets?fieldSelector=data.token%3Dx")
