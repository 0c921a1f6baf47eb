#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: sa_token
short_description: A ServiceAccount's login token, from its token Secret or a TokenRequest, kept while valid
version_added: "0.1.0"
description:
  - With O(source=secret), returns the C(data.token) of the ServiceAccount's
    C(kubernetes.io/service-account-token) Secret once the token controller has filled it, waiting
    up to O(wait_timeout). Before Kubernetes 1.24 the controller generates that Secret for every
    ServiceAccount; from 1.24 create one yourself (annotated C(kubernetes.io/service-account.name))
    after the ServiceAccount exists. Such a token is valid while the Secret exists.
  - With O(source=request), returns a time-limited token from a TokenRequest of O(duration).
    The token given as O(current) is kept when the API still authenticates it as this
    ServiceAccount (a TokenReview) and it has more than O(renew_before) seconds left; then nothing
    is minted, the result is unchanged and RV(kept) is true (RV(token) is not returned, since O(current)
    is a secret parameter, which Ansible masks in every result).
  - The token is returned in RV(token); run the task with C(no_log) and write it with mode 0600.
author:
  - helmsman.kubeadm contributors (@helmsman)
requirements:
  - kubernetes (Python client) on the host that runs the module.
options:
  kubeconfig:
    description: Kubeconfig with the right to read Secrets, create TokenReviews and TokenRequests.
    type: path
    default: /etc/kubernetes/admin.conf
  context:
    description: Kubeconfig context.
    type: str
  namespace:
    description: The ServiceAccount's namespace.
    type: str
    required: true
  service_account:
    description: The ServiceAccount's name; it must exist.
    type: str
    required: true
  source:
    description: Where the token comes from.
    type: str
    choices: [secret, request]
    default: secret
  secret_name:
    description: With O(source=secret), the Secret to read (default the ServiceAccount's first token Secret by name).
    type: str
  duration:
    description: With O(source=request), the token's lifetime, in seconds or as C(90m), C(24h), C(7d); at least 10 minutes.
    type: str
    default: 24h
  renew_before:
    description: With O(source=request), mint a new token when the one held has this many seconds or fewer left.
    type: int
    default: 3600
  current:
    description: With O(source=request), the token held (for example the file written by the last run).
    type: str
  wait_timeout:
    description: With O(source=secret), seconds to wait for the token controller to fill the Secret.
    type: int
    default: 60
  poll_interval:
    description: Seconds between reads while waiting.
    type: float
    default: 1
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying target.
    support: full
    details: A token that would be minted is not (RV(token) is empty, C(changed) true).
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
"""

EXAMPLES = r"""
- name: The Dashboard admin's token from its long-lived Secret
  helmsman.kubeadm.sa_token:
    namespace: kubernetes-dashboard
    service_account: admin-user
    secret_name: admin-user-token
  no_log: true
  register: admin_token

- name: A 24-hour token, kept across runs while it has more than an hour left
  helmsman.kubeadm.sa_token:
    namespace: kubernetes-dashboard
    service_account: admin-user
    source: request
    duration: 24h
    current: "{{ lookup('ansible.builtin.file', token_path, errors='ignore') | default('', true) }}"
  no_log: true
  register: admin_token

- name: Write a new token (a kept one is already in the file)
  ansible.builtin.copy:
    content: "{{ admin_token.token }}"
    dest: "{{ token_path }}"
    mode: "0600"
  no_log: true
  when: not admin_token.kept and admin_token.token
"""

RETURN = r"""
token:
  description: The token (empty in check mode when one would be minted).
  returned: success, unless RV(kept)
  type: str
kept:
  description: With O(source=request), the token given as O(current) is still good and was kept.
  returned: always
  type: bool
source:
  description: O(source).
  returned: always
  type: str
minted:
  description: Whether a TokenRequest was (or, in check mode, would be) made.
  returned: always
  type: bool
reasons:
  description: Why the token held was not kept.
  returned: always
  type: list
  elements: str
secret:
  description: The Secret the token was read from (O(source=secret)).
  returned: success
  type: str
expires:
  description: The minted token's expiry (RFC 3339).
  returned: when minted
  type: str
service_account:
  description: The user name the token authenticates as.
  returned: always
  type: str
"""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.helmsman.kubeadm.plugins.module_utils import sa_tokens


def main():
    module = AnsibleModule(
        argument_spec=dict(
            kubeconfig=dict(type="path", default="/etc/kubernetes/admin.conf"),
            context=dict(type="str"),
            namespace=dict(type="str", required=True),
            service_account=dict(type="str", required=True),
            source=dict(type="str", choices=["secret", "request"], default="secret"),
            secret_name=dict(type="str"),
            duration=dict(type="str", default="24h"),
            renew_before=dict(type="int", default=3600),
            current=dict(type="str", no_log=True),
            wait_timeout=dict(type="int", default=60),
            poll_interval=dict(type="float", default=1),
        ),
        supports_check_mode=True,
    )
    if not sa_tokens.HAS_KUBERNETES:
        module.fail_json(msg=missing_required_lib("kubernetes"))
    try:
        if module.params["source"] == "request":
            sa_tokens.parse_duration(module.params["duration"], "duration")
        result = sa_tokens.run(module.params, sa_tokens.TokenClient(module.params["kubeconfig"], module.params["context"]),
                               module.check_mode)
    except sa_tokens.TokenError as exc:
        module.fail_json(msg=str(exc))
    except sa_tokens.ApiException as exc:
        module.fail_json(msg="Kubernetes API error %s: %s" % (exc.status, exc.reason), body=exc.body)
    except Exception as exc:  # kubeconfig problems, connection errors
        module.fail_json(msg="%s: %s" % (type(exc).__name__, exc), exception=traceback.format_exc())
    module.exit_json(**result)


if __name__ == "__main__":
    main()
