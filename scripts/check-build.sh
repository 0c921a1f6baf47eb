#!/usr/bin/env bash
# Build the collection artifact, check what it ships, install it offline into a scratch path, and
# render the documentation of every plugin and role from that install (what a user gets from
# `ansible-galaxy collection build`). The plugin list comes from the files themselves and from
# `ansible-doc --list`, so a new plugin cannot go undocumented.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
ansible-galaxy collection build --force --output-path "$out" .
tarball=$(ls "$out"/helmsman-kubeadm-*.tar.gz)

# No test equipment, scenarios, benchmarks or development scripts in the artifact.
listing=$(tar -tzf "$tarball")
if grep -E '^(tests|molecule|benchmarks|scripts|inventory/lab|\.config)/' <<<"$listing"; then
  echo "the artifact ships the files above, which build_ignore in galaxy.yml should leave out" >&2
  exit 1
fi
for wanted in site.yml playbooks/reset.yml roles/cluster/meta/argument_specs.yml plugins/modules/kubeadm_token.py; do
  grep -qx "$wanted" <<<"$listing" || { echo "the artifact lacks $wanted" >&2; exit 1; }
done

ansible-galaxy collection install --force --offline --no-deps -p "$out/installed" "$tarball" >/dev/null
export ANSIBLE_COLLECTIONS_PATH="$out/installed"
installed="$out/installed/ansible_collections/helmsman/kubeadm"

python - "$installed" <<'PY'
"""Every module, lookup, filter, test and role on disk is listed and documented by ansible-doc."""
import glob
import importlib
import json
import os
import subprocess
import sys

root = sys.argv[1]
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(root))))


def listed(kind):
    proc = subprocess.run(["ansible-doc", "-t", kind, "--list", "--json", "helmsman.kubeadm"],
                          check=True, capture_output=True, text=True)
    return set(json.loads(proc.stdout or "{}"))


def names(pattern):
    return {"helmsman.kubeadm." + os.path.basename(p)[:-3] for p in glob.glob(os.path.join(root, pattern))
            if not os.path.basename(p).startswith("__")}


def registered(kind, cls):
    found = set()
    for path in glob.glob(os.path.join(root, "plugins", kind, "*.py")):
        module = importlib.import_module("ansible_collections.helmsman.kubeadm.plugins.%s.%s"
                                         % (kind, os.path.basename(path)[:-3]))
        found |= {"helmsman.kubeadm." + n for n in getattr(module, cls)().__getattribute__(kind + "s")()}
    return found


expected = {
    "module": names("plugins/modules/*.py"),
    "lookup": names("plugins/lookup/*.py"),
    "filter": registered("filter", "FilterModule"),
    "test": registered("test", "TestModule"),
    "role": {"helmsman.kubeadm." + os.path.basename(p) for p in glob.glob(os.path.join(root, "roles", "*"))},
}
problems = []
for kind, want in sorted(expected.items()):
    have = listed(kind)
    for name in sorted(want - have):
        problems.append("%s %s is not listed by ansible-doc (undocumented?)" % (kind, name))
    for name in sorted(want & have):
        proc = subprocess.run(["ansible-doc", "-t", kind, "--json", name], capture_output=True, text=True)
        doc = json.loads(proc.stdout or "{}").get(name, {}) if proc.returncode == 0 else {}
        short = name.split(".")[-1]
        if not doc or (kind != "role" and not doc.get("doc", {}).get("description")):
            problems.append("%s %s: ansible-doc renders no description (%s)" % (kind, name, proc.stderr.strip()[:200]))
        elif kind != "role" and doc["doc"].get("name", doc["doc"].get("module")) != short:
            # a filter file's DOCUMENTATION stands in for every undocumented filter of that file
            problems.append("%s %s: ansible-doc shows the documentation of %s (no docs of its own)"
                            % (kind, name, doc["doc"].get("name", doc["doc"].get("module"))))
    print("%-7s %2d documented: %s" % (kind, len(want & have), ", ".join(sorted(n.split(".")[-1] for n in want & have))))
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
PY
echo "built, checked, installed offline and documented: $(basename "$tarball")"
