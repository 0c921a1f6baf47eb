"""playbooks/bundle.yml against the stand-in sources of its test (tests/bundle/sources.py: an APT
repository, a registry with the test images under upstream names, an HTTP server with the
stand-in manifests): a fresh build, a no-op rebuild and a check-mode run, with what each fetched.
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bundle.py

Uses its own stand-in container (hk-bundlesrc-sources), removed at the end.
"""

import json
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "bundle"))
sys.path.insert(0, ROOT)
import build  # noqa: E402  pylint: disable=wrong-import-position
import sources  # noqa: E402  pylint: disable=wrong-import-position
from tests import runner  # noqa: E402  pylint: disable=wrong-import-position


def main():
    work = tempfile.mkdtemp(prefix="hk-bench-bundle-")
    try:
        extra = sources.up(build.build_locked(os.path.join(ROOT, ".cache", "bundle")), work)
        extra["bundle_dir"] = os.path.join(work, "bundle")
        vars_file = os.path.join(work, "vars.json")
        with open(vars_file, "w", encoding="utf-8") as handle:
            json.dump(extra, handle)
        print("%-22s %8s %8s" % ("run", "time s", "changed"))
        for label, args in (("fresh build", []), ("no-op rebuild", []), ("check mode", ["--check", "--diff"])):
            result = runner.ansible_playbook("playbooks/bundle.yml", "localhost,", "-e", "@" + vars_file, *args)
            if result.rc != 0:
                raise SystemExit(result.output[-4000:])
            print("%-22s %8.1f %8d" % (label, result.elapsed, runner.recap(result.output)["localhost"]["changed"]), flush=True)
        with open(os.path.join(extra["bundle_dir"], "manifest.yaml"), encoding="utf-8") as handle:
            import yaml  # pylint: disable=import-outside-toplevel
            entries = yaml.safe_load(handle)["files"]
        kinds = {}
        for entry in entries:
            kinds[entry["type"]] = kinds.get(entry["type"], 0) + 1
        size = sum(os.path.getsize(os.path.join(extra["bundle_dir"], e["path"])) for e in entries)
        print("bundle: %s; %.1f MiB; %d images kept with their digest" % (
            ", ".join("%d %s" % (n, k) for k, n in sorted(kinds.items())), size / 1048576.0,
            len([e for e in entries if e.get("digest_preserved")])))
    finally:
        sources.down()


if __name__ == "__main__":
    main()
