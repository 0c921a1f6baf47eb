#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ca_hash
short_description: Compute the CA public-key pin for kubeadm join
version_added: "0.1.0"
description:
  - Returns C(sha256:<64 lowercase hex>) over the DER SubjectPublicKeyInfo of a CA certificate,
    the value C(kubeadm join --discovery-token-ca-cert-hash) expects.
  - Works for any key type (RSA, ECDSA P-256/P-384, Ed25519); the pin covers only the public key.
  - Refuses a certificate that is not a CA (no basicConstraints CA:TRUE) unless O(require_ca=false),
    and gives a clear error for a missing file, a private key passed by mistake, or garbage.
  - A bundle with several certificates gives one pin per certificate in RV(hashes), as kubeadm
    prints one C(--discovery-token-ca-cert-hash) per CA.
author:
  - helmsman.kubeadm contributors (@helmsman)
requirements:
  - cryptography on the host that runs the module.
options:
  path:
    description:
      - Path of the CA certificate (PEM or DER) on the target host.
      - Mutually exclusive with O(content).
    type: path
  content:
    description:
      - The CA certificate itself, PEM text.
    type: str
  require_ca:
    description:
      - Refuse certificates without basicConstraints CA:TRUE.
    type: bool
    default: true
extends_documentation_fragment:
  - helmsman.kubeadm.attributes
seealso:
  - module: helmsman.kubeadm.kubeadm_token
"""

EXAMPLES = r"""
- name: Pin the cluster CA
  helmsman.kubeadm.ca_hash:
    path: /etc/kubernetes/pki/ca.crt
  register: ca

- name: Show it
  ansible.builtin.debug:
    msg: "kubeadm join ... --discovery-token-ca-cert-hash {{ ca.hash }}"

- name: Pin a CA given as text
  helmsman.kubeadm.ca_hash:
    content: "{{ lookup('ansible.builtin.file', 'ca.crt') }}"
  delegate_to: localhost
"""

RETURN = r"""
hash:
  description: Pin of the first certificate.
  returned: success
  type: str
  sample: sha256:7a3c6f0f2b1d4e5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c
hashes:
  description: Pins of every certificate in the input, in order.
  returned: success
  type: list
  elements: str
certificates:
  description: What was pinned, one entry per certificate.
  returned: success
  type: list
  elements: dict
  contains:
    hash:
      description: The pin.
      type: str
    subject:
      description: Subject in RFC 4514 form.
      type: str
      sample: CN=kubernetes
    key_type:
      description: Public key type and size.
      type: str
      sample: RSA-2048
    is_ca:
      description: Whether basicConstraints says CA:TRUE.
      type: bool
    not_after:
      description: Expiry, RFC 3339 UTC.
      type: str
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.helmsman.kubeadm.plugins.module_utils import ca_pin


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path"),
            content=dict(type="str"),
            require_ca=dict(type="bool", default=True),
        ),
        mutually_exclusive=[["path", "content"]],
        required_one_of=[["path", "content"]],
        supports_check_mode=True,
    )
    if not ca_pin.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib("cryptography"), exception=str(ca_pin.CRYPTOGRAPHY_IMPORT_ERROR))
    path = module.params["path"]
    if path:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except (IOError, OSError) as exc:
            module.fail_json(msg="cannot read CA certificate %s: %s" % (path, exc.strerror or exc))
        source = path
    else:
        data = module.params["content"]
        source = "content"
    try:
        certs = ca_pin.ca_pins(data, source=source, require_ca=module.params["require_ca"])
    except ca_pin.CAPinError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=False, hash=certs[0]["hash"], hashes=[c["hash"] for c in certs], certificates=certs)


if __name__ == "__main__":
    main()
