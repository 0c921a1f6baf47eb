"""Make the collection importable as ansible_collections.helmsman.kubeadm when pytest runs
from a plain checkout (ansible-test does the same with its own copy)."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _collection_root():
    parts = ROOT.split(os.sep)
    if len(parts) >= 3 and parts[-3] == "ansible_collections":
        return os.sep.join(parts[:-3])  # already inside an ansible_collections tree
    base = os.path.join(ROOT, ".cache", "collections")
    link = os.path.join(base, "ansible_collections", "helmsman", "kubeadm")
    if not os.path.lexists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        try:
            os.symlink(os.path.join("..", "..", "..", ".."), link)
        except FileExistsError:  # another pytest (the suite's other lane) made it meanwhile
            pass
    return base


for path in (_collection_root(), ROOT):
    if path not in sys.path:
        sys.path.insert(0, path)


import pytest  # noqa: E402  (after the path set-up above)


@pytest.fixture
def ansible_playbook():
    """tests.runner.ansible_playbook: the one way tests run ansible-playbook."""
    from tests import runner
    return runner.ansible_playbook
