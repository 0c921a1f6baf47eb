#!/usr/bin/env bash
# The whole suite (what `make test` and CI run), in four lanes at once: a Molecule run spends much
# of its time waiting on containers, services and API polls (the CPUs idle 40 to 90 % of it on 2
# cores), so the other lanes' work fills that time. The two cluster scenarios (cluster: real
# Kubernetes; cluster_1_17: the simulator) are the longest, so each leads a Molecule lane:
#   lane 1: the cluster scenario, then runtime_docker, package_repo, base_prep;
#   lane 2: the cluster_1_17 scenario, then runtime_containerd, docker_registry, modules;
#   lane 3: lint, sanity, units-compat, build, pytest (all but the lab tests);
#   lane 4: pytest's lab tests (the bundle round trip, faults, scale-out: mostly waiting on
#           containers, so they overlap the others' CPU time instead of adding to lane 3's).
# A scenario missing from both lists runs at the end of lane 2. Every stage runs even when an
# earlier one fails. Each stage's output goes to .cache/suite-logs/<stage>.log; a failed stage's
# last lines are printed at the end, then the table of stages, and the last line is pytest's own
# summary.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
export PATH="$PWD/.venv/bin:$PATH"
export ANSIBLE_HOME="$PWD/.cache/ansible-home"
export ANSIBLE_COLLECTIONS_PATH="$PWD/.cache/collections"
export ANSIBLE_NOCOLOR=1 PY_COLORS=0 NO_COLOR=1
logs=.cache/suite-logs
rm -rf "$logs" && mkdir -p "$logs"

stage() {
  local name=$1; shift
  local start status; start=$(date +%s)
  echo "=== $(date +%H:%M:%S) $name: $*"
  if "$@" >"$logs/$name.log" 2>&1; then status=ok; else status=FAILED; fi
  printf '%-16s %-6s %4d s\n' "$name" "$status" $(( $(date +%s) - start )) >"$logs/$name.result"
  echo "=== $(date +%H:%M:%S) $name: $status after $(( $(date +%s) - start )) s"
}

# No stale copy of the collection may shadow this checkout (see scripts/molecule.sh).
rm -rf "$ANSIBLE_HOME/collections/ansible_collections/helmsman"
# Both lanes read the test bundle: build it once, before they start (with the lab's real
# Kubernetes: tests/kubernetes/build_kubernetes.py, about 8 min on a machine without Go caches).
python tests/bundle/build.py .cache/bundle >/dev/null || { echo "cannot build the test bundle"; exit 2; }

lane_one=(cluster runtime_docker package_repo base_prep)
lane_two=(cluster_1_17 runtime_containerd docker_registry modules)
mapfile -t every < <(find molecule -mindepth 2 -maxdepth 2 -name molecule.yml -printf '%h\n' | xargs -n1 basename | sort)
for scenario in "${every[@]}"; do
  [[ " ${lane_one[*]} ${lane_two[*]} " == *" $scenario "* ]] || lane_two+=("$scenario")
done
(
  stage molecule-1 scripts/molecule.sh "${lane_one[@]}"
) &
one=$!
(
  stage molecule-2 scripts/molecule.sh "${lane_two[@]}"
) &
three=$!
(
  # ansible-lint installs the collection under its ANSIBLE_HOME: its own, not the scenarios'
  stage lint env ANSIBLE_HOME="$PWD/.cache/ansible-home-lint" \
    bash -c 'yamllint -s . && ansible-lint --profile production && shellcheck scripts/*.sh .ci/run'
  stage sanity scripts/ansible-test.sh sanity --venv --python 3.11
  stage units-compat scripts/ansible-test.sh units --venv --python 3.11
  stage build scripts/check-build.sh
  stage pytest pytest -q -rfE -m "not lab" tests/unit tests/integration
) &
two=$!
(
  stage pytest-lab pytest -q -rfE -m lab tests/integration
) &
four=$!
wait "$one" "$two" "$three" "$four"

failed=0
for name in lint sanity units-compat build molecule-1 molecule-2 pytest pytest-lab; do
  if ! grep -q ' ok ' "$logs/$name.result" 2>/dev/null; then
    failed=1
    echo
    echo "=== $name failed: the last lines of $logs/$name.log"
    tail -n 150 "$logs/$name.log" 2>/dev/null
  fi
done
echo
echo "=== suite summary"
for name in lint sanity units-compat build molecule-1 molecule-2 pytest pytest-lab; do
  cat "$logs/$name.result" 2>/dev/null || printf '%-16s %-6s\n' "$name" "did not run"
done
grep -h '\[molecule\] scenario' "$logs"/molecule-*.log 2>/dev/null
lab_summary=$(grep -E '^[0-9]+ (passed|failed)|^=+ .*(passed|failed)' "$logs/pytest-lab.log" 2>/dev/null | tail -1)
echo "pytest (lab tests): ${lab_summary:-no summary (pytest did not run)}"
summary=$(grep -E '^[0-9]+ (passed|failed)|^=+ .*(passed|failed)' "$logs/pytest.log" 2>/dev/null | tail -1)
echo "pytest: ${summary:-no summary (pytest did not run)}"
exit $failed
