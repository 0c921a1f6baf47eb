#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: kubeadm_token_info
short_description: List kubeadm bootstrap tokens without their secrets
version_added: "0.1.0"
description:
  - Runs C(kubeadm token list -o json) on a control-plane host and returns every token's id,
    description, usages, groups and expiry, never its secret.
  - Reads every output API version kubeadm has used (C(output.kubeadm.k8s.io/v1alpha1) to C(v1alpha3)).
author:
  - helmsman.kubeadm contributors (@helmsman)
requirements:
  - kubeadm on the target host.
options:
  kubeconfig:
    description:
      - Kubeconfig kubeadm uses to reach the API server.
    type: path
    default: /etc/kubernetes/admin.conf
  kubeadm_path:
    description:
      - Path of the kubeadm binary; looked up in E(PATH) when omitted.
    type: path
extends_documentation_fragment:
  - helmsman.kubeadm.attributes
seealso:
  - module: helmsman.kubeadm.kubeadm_token
"""

EXAMPLES = r"""
- name: List bootstrap tokens
  helmsman.kubeadm.kubeadm_token_info:
  register: tokens

- name: Fail when a token never expires
  ansible.builtin.assert:
    that: tokens.tokens | selectattr('expires', 'none') | list | length == 0
"""

RETURN = r"""
tokens:
  description: Every token kubeadm lists, without secrets.
  returned: always
  type: list
  elements: dict
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
    ttl_seconds:
      description: Seconds left, null when the token never expires.
      type: int
    expired:
      description: Whether the token has expired.
      type: bool
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.helmsman.kubeadm.plugins.module_utils import bootstrap_token as bt
from ansible_collections.helmsman.kubeadm.plugins.module_utils.kubeadm_cli import KubeadmRunner, find_kubeadm, redact


def main():
    module = AnsibleModule(
        argument_spec=dict(
            kubeconfig=dict(type="path", default="/etc/kubernetes/admin.conf"),
            kubeadm_path=dict(type="path"),
        ),
        supports_check_mode=True,
    )
    runner = KubeadmRunner(module, find_kubeadm(module, module.params["kubeadm_path"]), module.params["kubeconfig"])
    now = bt.utcnow()
    try:
        tokens = runner.list_tokens()
    except bt.TokenError as exc:
        module.fail_json(msg=redact(str(exc)))
    module.exit_json(changed=False, tokens=[bt.public_view(t, now) for t in tokens])


if __name__ == "__main__":
    main()
