#!/usr/bin/env bash
# Build the collection artifact, install it offline into a scratch path, and render every
# plugin's documentation from that install (what a user gets from `ansible-galaxy collection build`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
ansible-galaxy collection build --force --output-path "$out" .
ANSIBLE_COLLECTIONS_PATH="$out/installed" ansible-galaxy collection install --force --offline --no-deps -p "$out/installed" "$out"/helmsman-kubeadm-*.tar.gz
export ANSIBLE_COLLECTIONS_PATH="$out/installed"
for m in ca_hash kubeadm_token kubeadm_token_info csr_approve registry_images pending_refresh; do
  ansible-doc -t module "helmsman.kubeadm.$m" >/dev/null
done
for f in kubeadm_config_api kubeadm_config_apis; do
  ansible-doc -t filter "helmsman.kubeadm.$f" >/dev/null
done
echo "built, installed offline and documented: $(basename "$out"/helmsman-kubeadm-*.tar.gz)"
