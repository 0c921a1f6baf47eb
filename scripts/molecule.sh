#!/usr/bin/env bash
# Run Molecule scenarios from the collection root: scripts/molecule.sh [scenario ...|all]
# Scenario containers are lab hosts named hk-molecule-<scenario>-<host>; each run removes them.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export ANSIBLE_HOME="$PWD/.cache/ansible-home"
export ANSIBLE_COLLECTIONS_PATH="$PWD/.cache/collections"
export ANSIBLE_NOCOLOR=1 PY_COLORS=0 NO_COLOR=1
mkdir -p "$ANSIBLE_HOME"
# A copy of the collection an earlier Molecule prerun installed would shadow this checkout.
rm -rf "$ANSIBLE_HOME/collections/ansible_collections/helmsman"
# Scenarios read the test bundle (debs and image archives) from .cache/bundle.
python tests/bundle/build.py .cache/bundle >/dev/null

scenarios=("$@")
if [ "${#scenarios[@]}" -eq 0 ] || [ "${scenarios[0]}" = all ]; then
  mapfile -t scenarios < <(find molecule -mindepth 2 -maxdepth 2 -name molecule.yml -printf '%h\n' | xargs -n1 basename | sort)
fi
rc=0
mkdir -p .cache/molecule-logs
for s in "${scenarios[@]}"; do
  start=$(date +%s)
  rm -f ".cache/molecule-logs/$s.log"  # the cluster scenarios search their Ansible log for secrets
  out=".cache/molecule-logs/$s.out"
  if molecule test -s "$s" 2>&1 | tee "$out"; then
    echo "[molecule] scenario $s passed in $(( $(date +%s) - start )) s"
  else
    # the first error the scenario printed (a task's fatal, a test's assertion), on the line the
    # suite's summary repeats
    first=$(grep -m1 -E '^fatal: |^failed: |^E +[A-Za-z]+Error|^ERROR +|CRITICAL ' "$out" | cut -c1-300)
    echo "[molecule] scenario $s FAILED after $(( $(date +%s) - start )) s: ${first:-see $out}"
    rc=1
  fi
done
exit $rc
