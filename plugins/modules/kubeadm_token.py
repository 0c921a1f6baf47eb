#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: kubeadm_token
short_description: Ensure, delete or list kubeadm bootstrap tokens without minting one on every run
version_added: "0.1.0"
description:
  - Wraps C(kubeadm token list|create|delete) on a control-plane host.
  - With O(state=present) a valid token made for the same purpose (same O(description),
    O(groups) and O(usages)) that still has at least O(min_ttl) left is reused; a new token is
    created only when none qualifies, so a second run reports no change and returns the same token.
  - O(ttl=0) asks for a token that never expires (what the classic runbook does); only a
    never-expiring token is then reused, and a never-expiring token is never reused for a
    bounded O(ttl).
  - O(state=absent) deletes a token by id; a token that is already gone is not an error.
  - The token secret is returned only inside RV(secret). Set C(no_log) on the task and register
    its result; the registered variable keeps the value while logs and C(-vvv) output do not.
  - Reads C(kubeadm token list -o json) in every output API version kubeadm has used
    (C(output.kubeadm.k8s.io/v1alpha1), C(v1alpha2), C(v1alpha3)).
author:
  - helmsman.kubeadm contributors (@helmsman)
requirements:
  - kubeadm on the target host, and a kubeconfig with rights on bootstrap token Secrets.
  - PyYAML and cryptography on the target host when O(join_command=true).
options:
  state:
    description:
      - V(present) ensures a usable token exists, V(absent) deletes O(token_id).
      - To only list tokens use M(helmsman.kubeadm.kubeadm_token_info).
    type: str
    choices: [present, absent]
    default: present
  token:
    description:
      - An explicit token value C(<6 chars>.<16 chars>) of C([a-z0-9]) to create or keep.
      - When omitted with O(state=present), kubeadm generates one.
      - With O(state=absent), the token to delete (its id is used).
    type: str
  token_id:
    description:
      - The id (first six characters) of the token to delete with O(state=absent).
    type: str
  ttl:
    description:
      - Lifetime of a created token as a Go duration (V(24h), V(1h30m), V(90s)) or seconds.
      - V(0) makes a token that never expires.
    type: raw
    default: 24h
  min_ttl:
    description:
      - A bounded token is reused only while it has at least this much time left.
      - Must be shorter than O(ttl). Ignored when O(ttl=0).
    type: raw
    default: 1h
  description:
    description:
      - Human-readable description stored with the token; part of what identifies a reusable token.
    type: str
    default: helmsman.kubeadm node join
  groups:
    description:
      - Extra groups the token authenticates as; each must match C(system:bootstrappers:[a-z0-9:-]*[a-z0-9]).
    type: list
    elements: str
    default: [system:bootstrappers:kubeadm:default-node-token]
  usages:
    description:
      - Ways the token may be used.
    type: list
    elements: str
    choices: [signing, authentication]
    default: [signing, authentication]
  kubeconfig:
    description:
      - Kubeconfig kubeadm uses to reach the API server.
    type: path
    default: /etc/kubernetes/admin.conf
  kubeadm_path:
    description:
      - Path of the kubeadm binary; looked up in E(PATH) when omitted.
    type: path
  join_command:
    description:
      - Also return the worker join command in RV(secret.join_command), pinned to every CA
        certificate of the kubeconfig's cluster (C(--discovery-token-ca-cert-hash)).
    type: bool
    default: false
  control_plane_endpoint:
    description:
      - C(host:port) to put in the join command instead of the kubeconfig's server address.
    type: str
  exclusive:
    description:
      - With O(state=present), delete every other bootstrap token that can authenticate a
        joining node (usage C(authentication)), so that the token this task manages is the only
        way to join. This removes the 24-hour token C(kubeadm init) creates, tokens left by
        earlier runs with another description, and tokens made by hand.
    type: bool
    default: false
extends_documentation_fragment:
  - helmsman.kubeadm.attributes
notes:
  - Tokens are compared on description, groups and usages; a token created by hand with another
    description is listed but never reused or deleted by O(state=present).
seealso:
  - module: helmsman.kubeadm.kubeadm_token_info
  - module: helmsman.kubeadm.ca_hash
"""

EXAMPLES = r"""
- name: Ensure a join token (reused while it has 1h left)
  helmsman.kubeadm.kubeadm_token:
    state: present
    ttl: 24h
    join_command: true
  register: join_token
  no_log: true

- name: Join a worker with it
  ansible.builtin.command:
    argv: "{{ join_token.secret.join_command.split() }}"
    creates: /etc/kubernetes/kubelet.conf
  no_log: true

- name: A token that never expires, as the runbook makes
  helmsman.kubeadm.kubeadm_token:
    ttl: 0
    description: runbook join token
  register: forever_token
  no_log: true

- name: Delete a token by id
  helmsman.kubeadm.kubeadm_token:
    state: absent
    token_id: abcdef
"""

RETURN = r"""
token:
  description: The token that was kept or created, without its secret.
  returned: when O(state=present) and a token exists or was created (not in check mode for a new one)
  type: dict
  contains:
    id:
      description: Token id.
      type: str
      sample: abcdef
    description:
      description: Stored description.
      type: str
    usages:
      description: Allowed usages.
      type: list
      elements: str
    groups:
      description: Extra groups.
      type: list
      elements: str
    expires:
      description: Expiry time in RFC 3339 UTC, or null for a token that never expires.
      type: str
      sample: "2026-11-26T20:19:43Z"
    ttl_seconds:
      description: Seconds left, null when the token never expires.
      type: int
    expired:
      description: Whether the token has expired.
      type: bool
reused:
  description: Whether an existing token was reused instead of creating one.
  returned: when O(state=present)
  type: bool
secret:
  description:
    - B(Secret values.) Use C(no_log) on the task.
  returned: when O(state=present) and a token exists or was created
  type: dict
  contains:
    token:
      description: The full bootstrap token C(id.secret).
      type: str
    join_command:
      description: C(kubeadm join <endpoint> --token ... --discovery-token-ca-cert-hash sha256:...).
      type: str
      returned: when O(join_command=true)
    ca_cert_hashes:
      description: The CA pins used in the join command (not secret; repeated here for convenience).
      type: list
      elements: str
      returned: when O(join_command=true)
tokens:
  description: All tokens kubeadm lists, without secrets.
  returned: always
  type: list
  elements: dict
deleted:
  description: Id of the token deleted, when one was.
  returned: when O(state=absent)
  type: str
deleted_others:
  description: Ids of the other tokens deleted (or that would be, in check mode) by O(exclusive=true).
  returned: when O(state=present) and O(exclusive=true)
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.helmsman.kubeadm.plugins.module_utils import bootstrap_token as bt
from ansible_collections.helmsman.kubeadm.plugins.module_utils import ca_pin, token_ops
from ansible_collections.helmsman.kubeadm.plugins.module_utils.kubeadm_cli import KubeadmRunner, find_kubeadm, redact

try:
    import yaml
    HAS_YAML = yaml is not None  # join_details reads the kubeconfig with it
except ImportError:  # pragma: no cover
    HAS_YAML = False


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type="str", default="present", choices=["present", "absent"]),
            token=dict(type="str", no_log=True),
            token_id=dict(type="str"),
            ttl=dict(type="raw", default="24h"),
            min_ttl=dict(type="raw", default="1h"),
            description=dict(type="str", default="helmsman.kubeadm node join"),
            groups=dict(type="list", elements="str", default=list(bt.DEFAULT_GROUPS)),
            usages=dict(type="list", elements="str", default=list(bt.DEFAULT_USAGES),
                        choices=list(bt.KNOWN_USAGES)),
            kubeconfig=dict(type="path", default="/etc/kubernetes/admin.conf"),
            kubeadm_path=dict(type="path"),
            join_command=dict(type="bool", default=False),
            control_plane_endpoint=dict(type="str"),
            exclusive=dict(type="bool", default=False),
        ),
        mutually_exclusive=[["token", "token_id"]],
        required_if=[["state", "absent", ["token", "token_id"], True]],
        supports_check_mode=True,
    )
    if module.params["join_command"] and not HAS_YAML:
        module.fail_json(msg=missing_required_lib("PyYAML"))
    if module.params["join_command"] and not ca_pin.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib("cryptography"), exception=str(ca_pin.CRYPTOGRAPHY_IMPORT_ERROR))
    try:
        token_ops.validate(module.params)
        runner = KubeadmRunner(module, find_kubeadm(module, module.params["kubeadm_path"]), module.params["kubeconfig"])
        result = token_ops.ensure(module.params, runner, module.check_mode)
    except bt.TokenError as exc:
        module.fail_json(msg=redact(str(exc)))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
