# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters fronting module_utils.csr_policy (documented in the sidecar files of the same names)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

from ansible_collections.helmsman.kubeadm.plugins.module_utils import csr_policy
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


def _node_name(hostvars, host):
    """A host's Node name: its node_name from the inventory, else its gathered nodename, else the
    inventory name (as the master and node roles name it)."""
    if hostvars is None or host not in hostvars:
        return host
    own = hostvars[host]
    facts = own.get("ansible_facts") or {}
    return own.get("node_name") or (facts.get("nodename") or "").lower() or host


def serving_cert_problems(certs, ca_pem, hostvars=None):
    """``certs``: node -> PEM, or the results of a slurp looped over hosts (``item`` the host,
    ``content`` base64, absent when the file is missing), named by ``hostvars``."""
    if isinstance(certs, list):
        found = {}
        for result in certs:
            content = result.get("content")
            found[_node_name(hostvars, result["item"])] = base64.b64decode(content).decode() if content else None
        certs = found
    return csr_policy.serving_cert_problems(certs, ca_pem)


class FilterModule(object):
    def filters(self):
        return {"serving_cert_problems": filter_errors(serving_cert_problems)}
