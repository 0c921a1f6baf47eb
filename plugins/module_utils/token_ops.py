# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What helmsman.kubeadm.kubeadm_token does, as functions of its parameters and a runner.

The runner runs kubeadm (``run(argv, what, allow_absent=False)``, ``list_tokens()``,
``kubeadm``, ``kubeconfig``); the module gives it one bound to AnsibleModule, the unit tests a
fake. Failures are raised as ``bootstrap_token.TokenError`` with messages that carry no secret.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os

from ansible_collections.helmsman.kubeadm.plugins.module_utils import bootstrap_token as bt
from ansible_collections.helmsman.kubeadm.plugins.module_utils import ca_pin


def validate(params):
    """Refuse bad parameters before kubeadm runs."""
    bt.validate_ttls(bt.parse_duration(params["ttl"]), bt.parse_duration(params["min_ttl"]))
    bt.validate_groups(params["groups"])
    bt.validate_usages(params["usages"])
    if params.get("token"):
        bt.split_token(params["token"])
    if params.get("token_id"):
        bt.token_id_of(params["token_id"])


def join_details(kubeconfig, endpoint_override=None):
    """(endpoint, CA pins) for a join command, from the kubeconfig's cluster."""
    import yaml  # the module checks that PyYAML is there before calling this
    try:
        with open(kubeconfig, "rb") as handle:
            config = yaml.safe_load(handle)
    except (IOError, OSError, yaml.YAMLError) as exc:
        raise bt.TokenError("cannot read kubeconfig %s: %s" % (kubeconfig, exc))
    server, ca_data, ca_file = bt.cluster_from_kubeconfig(config)
    if ca_data:
        pem = base64.b64decode(ca_data)
        source = "certificate-authority-data of %s" % kubeconfig
    elif ca_file:
        path = ca_file if os.path.isabs(ca_file) else os.path.join(os.path.dirname(kubeconfig), ca_file)
        with open(path, "rb") as handle:
            pem = handle.read()
        source = path
    else:
        raise bt.TokenError("kubeconfig %s has no CA for its cluster: a join command could not pin it" % kubeconfig)
    try:
        pins = [d["hash"] for d in ca_pin.ca_pins(pem, source=source, require_ca=True)]
    except ca_pin.CAPinError as exc:
        raise bt.TokenError(str(exc))
    return endpoint_override or bt.endpoint_from_server(server), pins


def _wanted_token(params, tokens, now):
    """The existing token to keep (an explicit one, or a reusable one), or None to create one."""
    wanted = params.get("token")
    if not wanted:
        return bt.choose_reusable(tokens, params["description"], params["groups"], params["usages"],
                                  bt.parse_duration(params["ttl"]), bt.parse_duration(params["min_ttl"]), now)
    want_id, _secret = bt.split_token(wanted)
    same_id = [t for t in tokens if t["id"] == want_id]
    if not same_id:
        return None
    if same_id[0]["token"] != wanted:
        raise bt.TokenError("a token with id %r already exists with a different secret" % want_id)
    left = bt.remaining_seconds(same_id[0], now)
    if left is not None and left <= 0:
        raise bt.TokenError("token %r exists but has expired; delete it or pass another token" % want_id)
    return same_id[0]


def _create(params, runner):
    argv = bt.create_command(runner.kubeadm, runner.kubeconfig, bt.parse_duration(params["ttl"]),
                             params["description"], params["groups"], params["usages"], token=params.get("token"))
    _rc, out, _err = runner.run(argv, "token create")
    created_id, _secret = bt.split_token(out.strip().splitlines()[-1].strip() if out.strip() else "")
    tokens = runner.list_tokens()
    if not any(t["id"] == created_id for t in tokens):
        raise bt.TokenError("kubeadm created token %r but does not list it" % created_id)
    return [t for t in tokens if t["id"] == created_id][0], tokens


def _delete(runner, token_id):
    runner.run(bt.delete_command(runner.kubeadm, runner.kubeconfig, token_id), "token delete", allow_absent=True)


def ensure_present(params, runner, tokens, now, check_mode):
    """Keep or create the token (and with ``exclusive`` delete every other joining token)."""
    result = {"changed": False, "tokens": [bt.public_view(t, now) for t in tokens]}
    chosen = _wanted_token(params, tokens, now)
    result["reused"] = chosen is not None
    if chosen is None:
        result["changed"] = True
        if not check_mode:
            chosen, tokens = _create(params, runner)
            result["tokens"] = [bt.public_view(t, now) for t in tokens]
    if params.get("exclusive"):
        others = bt.other_join_tokens(tokens, chosen["id"] if chosen else None)
        result["deleted_others"] = others
        if others:
            result["changed"] = True
            if not check_mode:
                for token_id in others:
                    _delete(runner, token_id)
                result["tokens"] = [t for t in result["tokens"] if t["id"] not in others]
    if chosen is None:  # check mode: a token would be created
        return result
    result["token"] = bt.public_view(chosen, now)
    result["secret"] = {"token": chosen["token"]}
    if params.get("join_command"):
        endpoint, pins = join_details(runner.kubeconfig, params.get("control_plane_endpoint"))
        result["secret"]["join_command"] = bt.join_command(endpoint, chosen["token"], pins)
        result["secret"]["ca_cert_hashes"] = pins
    return result


def ensure_absent(params, runner, tokens, now, check_mode):
    """Delete the token named by ``token_id`` or ``token`` when it exists."""
    result = {"changed": False, "tokens": [bt.public_view(t, now) for t in tokens]}
    token_id = bt.token_id_of(params.get("token_id") or params.get("token"))
    if not any(t["id"] == token_id for t in tokens):
        return result
    result.update(changed=True, deleted=token_id)
    if not check_mode:
        _delete(runner, token_id)
        result["tokens"] = [t for t in result["tokens"] if t["id"] != token_id]
    return result


def ensure(params, runner, check_mode, now=None):
    """The module's whole run after validation: list the tokens, then present or absent."""
    now = now or bt.utcnow()
    tokens = runner.list_tokens()
    action = ensure_present if params["state"] == "present" else ensure_absent
    return action(params, runner, tokens, now, check_mode)
