#!/usr/bin/env bash
# The whole suite (what `make test` and CI run). Every stage runs even when an earlier one fails;
# the table at the end says which failed, and the last line is pytest's own summary.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
export PATH="$PWD/.venv/bin:$PATH"
export ANSIBLE_HOME="$PWD/.cache/ansible-home"
export ANSIBLE_COLLECTIONS_PATH="$PWD/.cache/collections"
export ANSIBLE_NOCOLOR=1 PY_COLORS=0 NO_COLOR=1
logs=.cache/suite-logs
rm -rf "$logs" && mkdir -p "$logs"

results=()
failed=0
stage() {
  local name=$1; shift
  local start; start=$(date +%s)
  echo "=== $name: $*"
  if "$@" 2>&1 | tee "$logs/$name.log"; then status=ok; else status=FAILED; failed=1; fi
  results+=("$(printf '%-14s %-6s %4d s' "$name" "$status" $(( $(date +%s) - start )))")
}

stage lint bash -c 'yamllint -s . && ansible-lint --profile production && shellcheck scripts/*.sh .ci/run'
stage sanity scripts/ansible-test.sh sanity --venv --python 3.11
stage units-compat scripts/ansible-test.sh units --venv --python 3.11
stage build scripts/check-build.sh
stage molecule scripts/molecule.sh all
stage pytest pytest -q -rfE tests/unit tests/integration

echo
echo "=== suite summary"
printf '%s\n' "${results[@]}"
summary=$(grep -E '^[0-9]+ (passed|failed)|^=+ .*(passed|failed)' "$logs/pytest.log" | tail -1)
echo "pytest: ${summary:-no summary (pytest did not run)}"
exit $failed
