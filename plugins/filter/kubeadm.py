# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.helmsman.kubeadm.plugins.module_utils import bootstrap_token, kube_versions, kubeadm_config, toml_writer
from ansible_collections.helmsman.kubeadm.plugins.plugin_utils.filter_errors import filter_errors


def kube_minor(version, variable=None):
    try:
        return kube_versions.minor_of(version)
    except kube_versions.VersionError as exc:
        raise AnsibleFilterError("%s: %s (1.17.0 to 1.37.x)" % (variable, exc) if variable else str(exc))


@filter_errors
def kube_pause_image(version):
    return "registry.k8s.io/pause:" + kube_versions.pause_tag(version)


kubeadm_config_api = filter_errors(kube_versions.config_api)
kubeadm_config_apis = filter_errors(kube_versions.accepted_apis)
kube_images = filter_errors(kube_versions.control_plane_images)
kubeadm_init_documents = filter_errors(kubeadm_config.init_documents, prefix="kubeadm_init_documents")
kubeadm_join_documents = filter_errors(kubeadm_config.join_documents, prefix="kubeadm_join_documents")
kubeadm_config_warnings = filter_errors(kubeadm_config.warnings, prefix="kubeadm_config_warnings")
kubeadm_immutable_changes = filter_errors(kubeadm_config.immutable_changes)
token_ttl_problems = bootstrap_token.ttl_problems
to_toml = filter_errors(toml_writer.to_toml)


class FilterModule(object):
    def filters(self):
        return {
            "kubeadm_config_api": kubeadm_config_api,
            "kubeadm_config_apis": kubeadm_config_apis,
            "kube_minor": kube_minor,
            "token_ttl_problems": token_ttl_problems,
            "kubeadm_immutable_changes": kubeadm_immutable_changes,
            "kube_pause_image": kube_pause_image,
            "kube_images": kube_images,
            "kubeadm_init_documents": kubeadm_init_documents,
            "kubeadm_join_documents": kubeadm_join_documents,
            "kubeadm_config_warnings": kubeadm_config_warnings,
            "to_toml": to_toml,
        }
