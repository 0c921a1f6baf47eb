#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: bundle_packages
short_description: Download OS packages with their dependency closure into an offline bundle
version_added: "0.4.0"
description:
  - For the bundle builder (C(playbooks/bundle.yml)) on a connected machine. apt resolves the
    packages against the package sources you give and the package state of your hosts (a dpkg
    status file of a freshly installed host), in a private apt state that leaves the building
    machine's own apt configuration alone; every C(.deb) the hosts would download is fetched
    and checked against the SHA256 of the sources' index.
  - A version pattern (C(kubeadm=1.36.4-*)) is resolved to the newest matching version, as the
    roles' C(apt) tasks do.
  - A C(.deb) already in the bundle with the expected SHA256 is not downloaded again, so a second
    run reports no change.
author:
  - helmsman.kubeadm contributors (@helmsman)
requirements:
  - apt (apt-get, apt-cache) on the host that builds the bundle.
options:
  sources:
    description: sources.list lines (one-line style) of the package sources for the hosts' release.
    type: list
    elements: str
    required: true
  packages:
    description: Package names, optionally with C(=version) (an apt version or glob pattern).
    type: list
    elements: str
    required: true
  architecture:
    description: The hosts' Debian architecture.
    type: str
    default: amd64
  baseline_status:
    description:
      - A dpkg status file (C(/var/lib/dpkg/status)) of a freshly installed host; what is already
        installed there is not carried. Empty carries the whole dependency closure.
    type: path
    default: ""
  dest:
    description: The bundle folder; packages go to its C(debs/) folder.
    type: path
    required: true
  prune:
    description: Remove C(.deb) files in C(debs/) that are not in the closure.
    type: bool
    default: true
  variable:
    description: The variable the sources come from, for error messages.
    type: str
    default: bundle_apt_sources
extends_documentation_fragment:
  - helmsman.kubeadm.attributes
"""

EXAMPLES = r"""
- name: Carry the IPVS tools and kubeadm 1.36.4
  helmsman.kubeadm.bundle_packages:
    sources:
      - deb [signed-by=/etc/apt/keyrings/debian.gpg] http://mirror.example/debian bookworm main
      - deb [signed-by=/etc/apt/keyrings/kubernetes.gpg] http://mirror.example/kubernetes/v1.36/deb/ /
    packages: [ipvsadm, ipset, kubeadm=1.36.4-*]
    baseline_status: files/bookworm-minimal.status
    dest: /srv/bundle
"""

RETURN = r"""
entries:
  description: The bundle entries (C(manifest.yaml) C(files) items) of the packages.
  returned: always
  type: list
  elements: dict
  sample:
    - path: debs/ipset_7.17-1_amd64.deb
      type: deb
      sha256: 4bcc86f6658ca92fe2e21a6a7d4fd162d3b94ec3cdc709a9cf05f0a8ad9c7725
      package: ipset
resolved:
  description: The requests as apt was given them (patterns resolved to versions).
  returned: success
  type: list
  elements: str
fetched:
  description: The C(.deb) files downloaded this run.
  returned: always
  type: list
  elements: str
pruned:
  description: C(.deb) files removed (not in the closure).
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
            sources=dict(type="list", elements="str", required=True),
            packages=dict(type="list", elements="str", required=True),
            architecture=dict(type="str", default="amd64"),
            baseline_status=dict(type="path", default=""),
            dest=dict(type="path", required=True),
            prune=dict(type="bool", default=True),
            variable=dict(type="str", default="bundle_apt_sources"),
        ),
        supports_check_mode=True,
    )
    params = dict(module.params, apt_get=module.get_bin_path("apt-get", required=True),
                  apt_cache=module.get_bin_path("apt-cache", required=True))

    def fetch(url, target):
        bundle_fetch.download(open_url, url, target, 60)

    try:
        result = bundle_fetch.fetch_packages(params, module.run_command, fetch, module.check_mode)
    except bundle_fetch.FetchError as exc:
        module.fail_json(msg=str(exc), **exc.result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
