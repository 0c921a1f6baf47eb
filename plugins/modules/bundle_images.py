#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: bundle_images
short_description: Copy images from their registries into an offline bundle's archives
version_added: "0.4.0"
description:
  - For the bundle builder (C(playbooks/bundle.yml)) on a connected machine. Each image is
    inspected first and copied by that digest with C(skopeo), so the archive holds exactly the
    manifest whose digest the bundle records, even when the tag moves meanwhile.
  - An OCI manifest is kept in an OCI archive with its digest (the registry role's push keeps it);
    a Docker manifest goes to a docker-archive, which keeps the image ID (config digest) but not
    the manifest digest.
  - From a multi-architecture index, only the image for the one architecture in
    O(architectures) is kept; with several architectures the whole index is kept (OCI archive).
  - An archive whose image, digest and sha256 match the bundle's current C(manifest.yaml) is left
    alone, so a second run reports no change.
author:
  - helmsman.kubeadm contributors (@helmsman)
requirements:
  - skopeo on the host that builds the bundle.
options:
  images:
    description: The images to carry.
    type: list
    elements: dict
    required: true
    suboptions:
      image:
        description: The upstream reference the site's manifests name (recorded in C(manifest.yaml)).
        type: str
        required: true
      source:
        description: Where to pull it from (the upstream reference, or its path on your mirror).
        type: str
        required: true
  dest:
    description: The bundle folder; archives go to its C(images/) folder.
    type: path
    required: true
  architectures:
    description: The cluster hosts' architectures (Go names, C(amd64), C(arm64)).
    type: list
    elements: str
    default: [amd64]
  insecure_registries:
    description: Source registries (host[:port]) pulled over plain HTTP or without TLS verification.
    type: list
    elements: str
    default: []
  prune:
    description: Remove archives in C(images/) that are not in O(images).
    type: bool
    default: true
  variable:
    description: The variable the images' sources come from, for error messages.
    type: str
    default: bundle_image_mirrors
  skopeo_path:
    description: Path of skopeo; looked up in E(PATH) when omitted.
    type: path
extends_documentation_fragment:
  - helmsman.kubeadm.attributes
"""

EXAMPLES = r"""
- name: Carry the pause image, pulled from a mirror
  helmsman.kubeadm.bundle_images:
    images:
      - image: registry.k8s.io/pause:3.10.1
        source: mirror.example:5000/registry.k8s.io/pause:3.10.1
    dest: /srv/bundle
"""

RETURN = r"""
entries:
  description: The bundle entries (C(manifest.yaml) C(files) items) of the archives.
  returned: always
  type: list
  elements: dict
  sample:
    - path: images/registry.k8s.io_pause_3.10.1.tar
      type: image
      image: registry.k8s.io/pause:3.10.1
      digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      digest_preserved: true
      sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
fetched:
  description: The images copied this run.
  returned: always
  type: list
  elements: str
pruned:
  description: Archives removed (not in O(images)).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.helmsman.kubeadm.plugins.module_utils import bundle_fetch


def main():
    module = AnsibleModule(
        argument_spec=dict(
            images=dict(type="list", elements="dict", required=True, options=dict(
                image=dict(type="str", required=True),
                source=dict(type="str", required=True),
            )),
            dest=dict(type="path", required=True),
            architectures=dict(type="list", elements="str", default=["amd64"]),
            insecure_registries=dict(type="list", elements="str", default=[]),
            prune=dict(type="bool", default=True),
            variable=dict(type="str", default="bundle_image_mirrors"),
            skopeo_path=dict(type="path"),
        ),
        supports_check_mode=True,
    )
    params = dict(module.params, skopeo=module.params["skopeo_path"] or module.get_bin_path("skopeo", required=True))
    try:
        result = bundle_fetch.fetch_images(params, module.run_command, module.check_mode)
    except bundle_fetch.FetchError as exc:
        module.fail_json(msg=str(exc), **exc.result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
