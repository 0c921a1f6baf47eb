"""The layout rules the README promises: one unit test file per module_utils file."""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def names(folder, prefix=""):
    return {f[len(prefix):-3] for f in os.listdir(os.path.join(ROOT, folder))
            if f.endswith(".py") and f.startswith(prefix) and f != "__init__.py"}


def test_every_module_utils_file_has_its_unit_test_file():
    missing = names("plugins/module_utils") - names("tests/unit/plugins/module_utils", "test_")
    assert not missing, "module_utils without tests/unit/plugins/module_utils/test_<name>.py: %s" % sorted(missing)
