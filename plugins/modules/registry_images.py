#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: registry_images
short_description: Seed a registry from image archives and check that required images are there
version_added: "0.1.0"
description:
  - Copies images from docker-archive or OCI archive tarballs into a registry with C(skopeo),
    without a container engine.
  - An image already in the registry with the same config digest (image ID) is left alone, so a
    second run reports no change.
  - O(required) lists images that must be in the registry; the module fails, naming every missing
    one, when any is absent.
author:
  - helmsman.kubeadm contributors (@helmsman)
requirements:
  - skopeo on the target host.
options:
  images:
    description: Archives to push.
    type: list
    elements: dict
    default: []
    suboptions:
      archive:
        description: Path of the tarball on the target host.
        type: path
        required: true
      name:
        description: Destination reference, C(<registry>/<path>:<tag>).
        type: str
        required: true
  required:
    description: Destination references that must exist after seeding.
    type: list
    elements: str
    default: []
  tls_verify:
    description: Verify the registry's TLS certificate; V(false) also allows plain HTTP.
    type: bool
    default: true
  cert_dir:
    description: Folder with C(ca.crt) (and client certificates) for the registry.
    type: path
  username:
    description: Registry user.
    type: str
  password:
    description: Registry password.
    type: str
  skopeo_path:
    description: Path of skopeo; looked up in E(PATH) when omitted.
    type: path
extends_documentation_fragment:
  - helmsman.kubeadm.attributes
"""

EXAMPLES = r"""
- name: Seed the registry
  helmsman.kubeadm.registry_images:
    images:
      - archive: /var/lib/helmsman/images/pause_3.10.1.tar
        name: 192.168.1.100:5000/pause:3.10.1
    tls_verify: false

- name: Fail when an image the cluster needs is missing
  helmsman.kubeadm.registry_images:
    required:
      - 192.168.1.100:5000/pause:3.10.1
      - 192.168.1.100:5000/coredns/coredns:v1.12.0
    tls_verify: false
"""

RETURN = r"""
images:
  description: One entry per archive.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Destination reference.
      type: str
    action:
      description: V(present) (same config digest already there), V(pushed), or V(would_push) in check mode.
      type: str
    config_digest:
      description: Config digest (image ID) of the archive's image.
      type: str
missing:
  description: Required images the registry does not have (the module fails when non-empty).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.helmsman.kubeadm.plugins.module_utils import registry_images as ri


def main():
    module = AnsibleModule(
        argument_spec=dict(
            images=dict(type="list", elements="dict", default=[], options=dict(
                archive=dict(type="path", required=True),
                name=dict(type="str", required=True),
            )),
            required=dict(type="list", elements="str", default=[]),
            tls_verify=dict(type="bool", default=True),
            cert_dir=dict(type="path"),
            username=dict(type="str"),
            password=dict(type="str", no_log=True),
            skopeo_path=dict(type="path"),
        ),
        required_together=[["username", "password"]],
        supports_check_mode=True,
    )
    params = dict(module.params, skopeo=module.params["skopeo_path"] or module.get_bin_path("skopeo", required=True))

    def run(argv, binary=False):
        return module.run_command(argv, encoding=None) if binary else module.run_command(argv)

    try:
        result = ri.sync(params, run, module.check_mode)
    except ri.SyncError as exc:
        module.fail_json(msg=str(exc), **exc.result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
