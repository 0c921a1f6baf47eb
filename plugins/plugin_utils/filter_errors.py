# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One way for filters to report module_utils errors: as AnsibleFilterError, optionally prefixed."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

from ansible.errors import AnsibleFilterError
from ansible_collections.helmsman.kubeadm.plugins.module_utils import (addon_edits, addons, bootstrap_token, bundle, bundle_build, images,
                                                                       kube_versions, kubeadm_config, manifests, monitoring, nfs,
                                                                       runtimes,
                                                                       toml_writer)

# Every error a module_utils function raises for bad input.
ERRORS = (addon_edits.EditError, addons.AddonError, bootstrap_token.TokenError, bundle.BundleError, bundle_build.BuildError,
          images.ImageRefError,
          kube_versions.VersionError, kubeadm_config.ConfigError, manifests.ManifestError, monitoring.MonitoringError,
          nfs.NfsError,
          runtimes.RuntimeError_,
          toml_writer.TomlError)


def filter_errors(function=None, prefix=None):
    """Decorate a filter so that a module_utils error becomes an AnsibleFilterError
    (``prefix: message`` when a prefix is given)."""
    def decorate(inner):
        @functools.wraps(inner)
        def wrapper(*args, **kwargs):
            try:
                return inner(*args, **kwargs)
            except ERRORS as exc:
                raise AnsibleFilterError("%s: %s" % (prefix, exc) if prefix else str(exc))
        return wrapper
    return decorate(function) if function is not None else decorate
