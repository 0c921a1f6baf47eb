#!/usr/bin/env bash
# Prepare this machine for the lab and the test suite; every step is skipped when already done.
#   - Debian packages: docker.io (engine), debootstrap (base image), openssl (tests compare against it),
#     skopeo (playbooks/bundle.yml copies images with it)
#   - dockerd started when none answers; fs.inotify.max_user_instances raised for many lab hosts
#   - a virtualenv in .venv with requirements.txt
#   - the offline systemd base image (debootstrap + docker import), cached
# Usage: scripts/bootstrap.sh        (idempotent; safe to run before every make target)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[bootstrap] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
command -v openssl >/dev/null 2>&1 || need_pkgs+=(openssl)
command -v rsync >/dev/null 2>&1 || need_pkgs+=(rsync)
command -v shellcheck >/dev/null 2>&1 || need_pkgs+=(shellcheck)
command -v skopeo >/dev/null 2>&1 || need_pkgs+=(skopeo)  # the bundle builder and its stand-in registry
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  log "installing Debian packages: ${need_pkgs[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# The lab's Kubernetes is built from source (tests/kubernetes/build_kubernetes.py): Go 1.26 or later.
if ! go_version=$(go env GOVERSION 2>/dev/null) || [[ ! "$go_version" =~ ^go1\.(2[6-9]|[3-9][0-9]) ]]; then
  log "Go 1.26 or later is needed to build the lab's Kubernetes (found: ${go_version:-none})"
  exit 1
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  as_root mkdir -p /var/log
  as_root sh -c 'nohup dockerd >/var/log/dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { log "dockerd did not start; see /var/log/dockerd.log"; exit 1; }
fi

# Every lab host runs systemd, which takes about eight inotify instances; they all count against
# root's fs.inotify.max_user_instances (128 by default), so that the suite's labs at once (or a
# benchmark lab of 16 workers) would leave a new host unable to boot.
if [ "$(cat /proc/sys/fs/inotify/max_user_instances 2>/dev/null || echo 1024)" -lt 1024 ]; then
  log "raising fs.inotify.max_user_instances to 1024 (one systemd per lab host)"
  as_root sysctl -q -w fs.inotify.max_user_instances=1024 || log "could not raise it; labs of more than about 14 hosts may not boot"
fi

# The lab's kubelets run with protectKernelDefaults (they must not change the host's kernel from a
# container) and refuse to start unless the kernel already has the values they would set.
for setting in vm.overcommit_memory=1 vm.panic_on_oom=0 kernel.panic=10 kernel.panic_on_oops=1; do
  if [ "$(sysctl -n "${setting%%=*}" 2>/dev/null)" != "${setting#*=}" ]; then
    log "setting $setting (what a kubelet expects of its kernel)"
    as_root sysctl -q -w "$setting" || log "could not set $setting; the lab's kubelets will not start"
  fi
done

venv=.venv
stamp="$venv/.requirements.sha256"
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "creating $venv from requirements.txt"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q -r requirements.txt
  echo "$want" >"$stamp"
fi

"$venv/bin/python" tests/lab/lab.py image
log "ready"
