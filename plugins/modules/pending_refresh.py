#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: pending_refresh
short_description: Whether a service or a generated file is older than the files it is made from
version_added: "0.1.0"
description:
  - Reports C(changed) when a restart (or rebuild) is due, so that a task using it can
    C(notify) the handler that carries it. Nothing is changed on the host.
  - With O(service), a restart is due when the systemd unit became active before one of
    O(sources) was last modified, that is, when it runs an older configuration than the one on
    disk. This happens when a run dies after writing the configuration and before its handler;
    the next run finds the file as wanted and would otherwise never restart the service.
  - With O(target), a rebuild is due when the file is older than one of O(sources), or missing
    while a source exists.
  - A folder in O(sources) counts by its own modification time, which changes when an entry is
    added, removed or replaced.
author:
  - helmsman.kubeadm contributors (@helmsman)
options:
  service:
    description:
      - systemd unit whose running configuration is judged. An inactive or unknown unit is not
        due (it reads the files when it starts).
    type: str
  target:
    description:
      - Generated file whose freshness is judged.
    type: path
  sources:
    description:
      - Files (or folders) the service reads at start, or the target is made from. Missing ones
        are ignored.
    type: list
    elements: path
    required: true
extends_documentation_fragment:
  - helmsman.kubeadm.attributes
notes:
  - A reload (C(systemctl reload)) does not change when a unit became active, so use a restart
    handler with O(service).
"""

EXAMPLES = r"""
- name: Restart containerd if it runs an older configuration than on disk
  helmsman.kubeadm.pending_refresh:
    service: containerd
    sources: [/etc/containerd/config.toml]
  notify: Restart containerd

- name: Re-index the repository if a package is newer than its index
  helmsman.kubeadm.pending_refresh:
    target: /srv/repo/debian/InRelease
    sources: [/srv/repo/debian/pool]
  notify: Index the APT repository
"""

RETURN = r"""
pending:
  description: Whether a restart or rebuild is due (the same as C(changed)).
  returned: always
  type: bool
source:
  description: The newest source file.
  returned: when a source exists
  type: str
msg:
  description: What was found, in a sentence.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.helmsman.kubeadm.plugins.module_utils import freshness


def main():
    module = AnsibleModule(
        argument_spec=dict(service=dict(type="str"), target=dict(type="path"),
                           sources=dict(type="list", elements="path", required=True)),
        required_one_of=[["service", "target"]],
        mutually_exclusive=[["service", "target"]],
        supports_check_mode=True,
    )
    params = module.params
    if params["service"]:
        systemctl = module.get_bin_path("systemctl", required=True)

        def run_show(unit):
            _rc, out, _err = module.run_command(
                [systemctl, "show", "--property=ActiveState,ActiveEnterTimestampMonotonic", unit], check_rc=True)
            return out

        result = freshness.check_service(params["service"], params["sources"], run_show)
    else:
        result = freshness.check_target(params["target"], params["sources"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
