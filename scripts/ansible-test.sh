#!/usr/bin/env bash
# Run ansible-test on a copy of this checkout laid out as ansible_collections/helmsman/kubeadm,
# offline: the get-pip download ansible-test wants is replaced by scripts/get_pip_offline.py.
#   scripts/ansible-test.sh sanity --venv --python 3.11
#   scripts/ansible-test.sh units --venv --python 3.11
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/.venv/bin:$PATH"
pip_version=$(python -c 'import re, ansible_test, os; src = open(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")).read(); print(re.search(r"pip=.([0-9.]+).", src).group(1))')
mkdir -p "$HOME/.ansible/test/cache"
cp scripts/get_pip_offline.py "$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"

# Outside the checkout: inside it, git would report the copy as ignored and ansible-test would skip it.
work=${TMPDIR:-/tmp}/helmsman-kubeadm-ansible-test/ansible_collections/helmsman/kubeadm
mkdir -p "$work"
rsync -a --delete --exclude .git --exclude .venv --exclude .cache --exclude .ansible --exclude .lab \
  --exclude tests/output --exclude __pycache__ --exclude '*.tar.gz' ./ "$work/"
cd "$work"
ansible-test "$@"
