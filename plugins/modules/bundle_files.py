#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: bundle_files
short_description: Download files into an offline bundle, each checked against its sha256
version_added: "0.4.0"
description:
  - For the bundle builder (C(playbooks/bundle.yml)), the add-on manifests in one task.
  - Each file is downloaded beside its target and moved into place only when its sha256 is the
    expected one; a mismatch fails, naming the URL, and leaves the target as it was.
  - A file already there with the expected sha256 is not downloaded again, so a second run
    reports no change.
author:
  - helmsman.kubeadm contributors (@helmsman)
options:
  files:
    description: The files.
    type: list
    elements: dict
    required: true
    suboptions:
      url:
        description: Where to download it from (http, https or file).
        type: str
        required: true
      path:
        description: Its path in O(dest).
        type: str
        required: true
      sha256:
        description: The sha256 it must have.
        type: str
        required: true
  dest:
    description: The bundle folder.
    type: path
    required: true
  timeout:
    description: Seconds to wait for each server's answer.
    type: int
    default: 60
  variable:
    description: The variable the files come from, for error messages.
    type: str
    default: bundle_manifest_files
extends_documentation_fragment:
  - helmsman.kubeadm.attributes
"""

EXAMPLES = r"""
- name: Download flannel's manifest
  helmsman.kubeadm.bundle_files:
    files:
      - url: https://raw.githubusercontent.com/flannel-io/flannel/v0.28.9/Documentation/kube-flannel.yml
        path: manifests/flannel/v0.28.9/kube-flannel.yml
        sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    dest: /srv/bundle
"""

RETURN = r"""
fetched:
  description: The paths downloaded this run (in check mode, those that would be).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.urls import open_url
from ansible_collections.helmsman.kubeadm.plugins.module_utils import bundle_fetch


def main():
    module = AnsibleModule(
        argument_spec=dict(
            files=dict(type="list", elements="dict", required=True, options=dict(
                url=dict(type="str", required=True),
                path=dict(type="str", required=True),
                sha256=dict(type="str", required=True),
            )),
            dest=dict(type="path", required=True),
            timeout=dict(type="int", default=60),
            variable=dict(type="str", default="bundle_manifest_files"),
        ),
        supports_check_mode=True,
    )

    def fetch(url, target):
        bundle_fetch.download(open_url, url, target, module.params["timeout"])

    try:
        result = bundle_fetch.fetch_files(module.params, fetch, module.check_mode)
    except bundle_fetch.FetchError as exc:
        module.fail_json(msg=str(exc), **exc.result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
