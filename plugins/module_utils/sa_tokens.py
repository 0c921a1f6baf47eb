# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What helmsman.kubeadm.sa_token does: a login token for a ServiceAccount, from one of three
sources, and whether a token already held can be kept.

- ``secret``: the ``data.token`` of a ``kubernetes.io/service-account-token`` Secret the token
  controller fills (a Secret you created for the ServiceAccount, from 1.24; before 1.24 the one
  the controller generated, found through the ServiceAccount's ``secrets`` or the Secret's
  ``kubernetes.io/service-account.name`` annotation). Long-lived: valid while the Secret exists.
- ``request``: a TokenRequest (``POST .../serviceaccounts/NAME/token``), time-limited. A token
  already held is kept while the API still accepts it as this ServiceAccount (TokenReview) and it
  has more than ``renew_before`` seconds left, so re-runs mint nothing.

``TokenClient`` is the only part that talks to Kubernetes; ``run`` takes any object with the same
methods, so it is unit-tested with a fake API. Tokens are never logged: the module declares them
``no_log`` and the roles' tasks are ``no_log``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import re
import time

try:
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config
    from kubernetes.client.rest import ApiException
    HAS_KUBERNETES = True
except ImportError:  # pragma: no cover
    HAS_KUBERNETES = False

    class ApiException(Exception):  # noqa: N818  (the kubernetes client's name)
        status = None
        reason = None
        body = None

TOKEN_TYPE = "kubernetes.io/service-account-token"
SA_ANNOTATION = "kubernetes.io/service-account.name"
MIN_DURATION = 600  # the API's minimum for spec.expirationSeconds
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class TokenError(Exception):
    pass


def parse_duration(value, variable="duration"):
    """Seconds of a duration given as a number of seconds or as Go-like text (``90m``,
    ``24h``, ``1h30m``, ``7d``); at least 600 (the API's minimum)."""
    if isinstance(value, bool):
        raise TokenError("%s: %r is not a duration (e.g. 3600, 90m, 24h)" % (variable, value))
    if isinstance(value, int):
        seconds = value
    else:
        text = str(value).strip()
        if re.match(r"^[0-9]+$", text):
            seconds = int(text)
        elif re.match(r"^([0-9]+[smhd])+$", text):
            seconds = sum(int(n) * DURATION_UNITS[u] for n, u in re.findall(r"([0-9]+)([smhd])", text))
        else:
            raise TokenError("%s: %r is not a duration (e.g. 3600, 90m, 24h)" % (variable, value))
    if seconds < MIN_DURATION:
        raise TokenError("%s: %s is %d s, less than the API's minimum of %d s (10m)" % (variable, value, seconds, MIN_DURATION))
    return seconds


def claims(token):
    """The payload of a JWT, unverified (only to read its expiry and subject; the API verifies)."""
    parts = (token or "").split(".")
    if len(parts) != 3:
        return None
    try:
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        found = json.loads(base64.urlsafe_b64decode(payload.encode()).decode())
    except (ValueError, TypeError):
        return None
    return found if isinstance(found, dict) else None


def username(namespace, name):
    return "system:serviceaccount:%s:%s" % (namespace, name)


def keep_problems(token, namespace, name, review, now, renew_before):
    """Why a token held cannot be kept (empty: keep it). ``review`` is the TokenReview status."""
    if not token:
        return ["no token held"]
    found = claims(token)
    if found is None:
        return ["the token held is not a JWT"]
    problems = []
    if not review.get("authenticated"):
        problems.append("the API no longer accepts it (%s)" % (review.get("error") or "not authenticated"))
    elif (review.get("user") or {}).get("username") != username(namespace, name):
        actual = (review.get("user") or {}).get("username")
        problems.append("it authenticates as %s, not %s" % (actual, username(namespace, name)))
    exp = found.get("exp")
    if exp is not None and float(exp) - now <= renew_before:
        problems.append("it expires in %d s (renewed when less than %d s are left)" % (max(0, float(exp) - now), renew_before))
    return problems


def secret_token(secrets, service_account, secret_name=None):
    """(name, token) of the filled token Secret of ``service_account`` among ``secrets`` (the
    named one, else the first by name); token None while the controller has not filled it."""
    own = [s for s in secrets if s.get("type") == TOKEN_TYPE
           and ((s.get("metadata") or {}).get("annotations") or {}).get(SA_ANNOTATION) == service_account
           and (secret_name is None or s["metadata"]["name"] == secret_name)]
    if not own:
        return None, None
    chosen = sorted(own, key=lambda s: s["metadata"]["name"])[0]
    data = (chosen.get("data") or {}).get("token")
    return chosen["metadata"]["name"], base64.b64decode(data).decode() if data else None


class TokenClient(object):
    """The API calls the module needs, on plain dicts."""

    def __init__(self, kubeconfig, context=None):
        configuration = k8s_client.Configuration()
        k8s_config.load_kube_config(config_file=kubeconfig, context=context, client_configuration=configuration)
        self.api = k8s_client.ApiClient(configuration)
        self.core = k8s_client.CoreV1Api(self.api)
        self.auth = k8s_client.AuthenticationV1Api(self.api)

    @staticmethod
    def _json(response):
        return json.loads(response.data)

    def get_service_account(self, namespace, name):
        try:
            return self._json(self.core.read_namespaced_service_account(name, namespace, _preload_content=False))
        except ApiException as exc:
            if exc.status == 404:
                return None
            raise

    def list_secrets(self, namespace):
        return self._json(self.core.list_namespaced_secret(namespace, _preload_content=False)).get("items") or []

    def review(self, token):
        body = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": token}}
        return self._json(self.auth.create_token_review(body, _preload_content=False)).get("status") or {}

    def request(self, namespace, name, seconds):
        body = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {"expirationSeconds": seconds}}
        response = self.core.create_namespaced_service_account_token(name, namespace, body, _preload_content=False)
        created = self._json(response)
        return created["status"]["token"], created["status"].get("expirationTimestamp")


def run(params, api, check_mode, clock=time.time, sleep=time.sleep):
    """The module's result: ``token`` (None in check mode when one would be minted; absent when the
    held token is kept: the module's no_log parameter ``current`` would mask it anyway), ``kept``,
    ``source``, ``minted``, ``secret`` (the Secret read), ``reasons`` (why a held token was not kept)."""
    namespace, name = params["namespace"], params["service_account"]
    if api.get_service_account(namespace, name) is None:
        raise TokenError("ServiceAccount %s/%s does not exist" % (namespace, name))
    result = {"changed": False, "source": params["source"], "minted": False, "kept": False, "secret": None,
              "reasons": [], "service_account": username(namespace, name)}
    if params["source"] == "secret":
        deadline = clock() + params["wait_timeout"]
        while True:
            secret, token = secret_token(api.list_secrets(namespace), name, params.get("secret_name"))
            if token:
                result.update(token=token, secret=secret)
                return result
            if clock() >= deadline:
                raise TokenError("no filled token Secret %sfor ServiceAccount %s/%s after %d s (the token controller "
                                 "fills a Secret of type %s annotated %s=%s; from 1.24 it creates none by itself)"
                                 % ("%s " % params["secret_name"] if params.get("secret_name") else "", namespace, name,
                                    params["wait_timeout"], TOKEN_TYPE, SA_ANNOTATION, name))
            sleep(params["poll_interval"])
    seconds = parse_duration(params["duration"], "duration")
    held = params.get("current") or ""
    if held:
        reasons = keep_problems(held, namespace, name, api.review(held), clock(), params["renew_before"])
        if not reasons:
            result["kept"] = True
            return result
        result["reasons"] = reasons
    else:
        result["reasons"] = ["no token held"]
    result.update(changed=True, minted=True)
    if check_mode:
        result["token"] = None
        return result
    token, expires = api.request(namespace, name, seconds)
    result.update(token=token, expires=expires)
    return result
