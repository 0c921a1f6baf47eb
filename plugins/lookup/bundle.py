# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
name: bundle
short_description: Read and verify an offline bundle on the controller
version_added: "0.1.0"
description:
  - Reads C(manifest.yaml) of a bundle folder, checks its structure, that every listed file exists
    and, unless O(verify=false), that its sha256 matches the manifest.
  - Returns one entry per file with C(path), C(type), C(sha256), C(image) for images and C(src),
    the absolute path on the controller.
  - Errors name the variable given in O(variable), so an operator knows what to fix.
options:
  _terms:
    description: The bundle folder.
    required: true
  verify:
    description: Verify every file's sha256.
    type: bool
    default: true
  variable:
    description: Variable name used in error messages.
    type: str
    default: cluster_bundle_dir
  type:
    description: Only return entries of this type.
    type: str
    choices: [deb, rpm, image, manifest]
author:
  - helmsman.kubeadm contributors (@helmsman)
"""

EXAMPLES = r"""
- name: Every image archive in the bundle
  ansible.builtin.debug:
    msg: "{{ item.image }} from {{ item.src }}"
  loop: "{{ lookup('helmsman.kubeadm.bundle', cluster_bundle_dir, type='image', wantlist=True) }}"
"""

RETURN = r"""
_raw:
  description: The bundle's entries.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible_collections.helmsman.kubeadm.plugins.module_utils import bundle


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        result = []
        for term in terms:
            try:
                entries = bundle.load(term, variable=self.get_option("variable"), verify=self.get_option("verify"))
            except bundle.BundleError as exc:
                raise AnsibleLookupError(str(exc))
            wanted = self.get_option("type")
            result.extend(e for e in entries if wanted is None or e["type"] == wanted)
        return result
