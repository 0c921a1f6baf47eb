# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running kubeadm from a module: locale, failures turned into module failures, secrets redacted."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.helmsman.kubeadm.plugins.module_utils import bootstrap_token as bt

_SECRET_RE = re.compile(r"\b([a-z0-9]{6})\.[a-z0-9]{16}\b")


def redact(text):
    """Keep token ids, hide token secrets, in anything that may reach a log."""
    return _SECRET_RE.sub(r"\1.<redacted>", text or "")


def find_kubeadm(module, path=None):
    """The kubeadm to run: ``path`` when given (must be executable), else the one on PATH."""
    kubeadm = path or module.get_bin_path("kubeadm", required=True)
    if not (os.path.isfile(kubeadm) and os.access(kubeadm, os.X_OK)):
        module.fail_json(msg="kubeadm_path %s is not an executable file" % kubeadm)
    return kubeadm


class KubeadmRunner(object):
    """Runs kubeadm subcommands for a module."""

    def __init__(self, module, kubeadm, kubeconfig):
        self.module = module
        self.kubeadm = kubeadm
        self.kubeconfig = kubeconfig

    def run(self, argv, what, allow_absent=False):
        rc, out, err = self.module.run_command(argv, environ_update={"LC_ALL": "C"})
        if rc != 0 and not (allow_absent and bt.delete_reports_absent(rc, err)):
            self.module.fail_json(msg="kubeadm %s failed (rc=%d): %s" % (what, rc, redact(err.strip() or out.strip())),
                                  rc=rc)
        return rc, out, err

    def list_tokens(self):
        _rc, out, _err = self.run(bt.list_command(self.kubeadm, self.kubeconfig), "token list")
        return bt.parse_token_list(out)
