import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import node_meta

NODE = {"metadata": {"name": "worker1", "labels": {"kubernetes.io/hostname": "worker1", "role": "edge"}},
        "spec": {"taints": [{"key": "dedicated", "value": "edge", "effect": "NoSchedule"}]}}


def test_nothing_to_do_when_the_node_has_it_all():
    assert node_meta.changes(NODE, {"role": "edge"}, [{"key": "dedicated", "value": "edge", "effect": "NoSchedule"}]) == \
        {"label": [], "taint": []}


def test_missing_and_changed_values_only():
    todo = node_meta.changes(NODE, {"role": "core", "zone": "a", "kubernetes.io/hostname": "worker1"},
                             [{"key": "dedicated", "value": "edge", "effect": "NoSchedule"},
                              {"key": "gpu", "effect": "NoExecute"}, {"key": "dedicated", "value": "x", "effect": "NoSchedule"}])
    assert todo == {"label": ["role=core", "zone=a"], "taint": ["gpu:NoExecute", "dedicated=x:NoSchedule"]}


def test_fresh_node_without_spec():
    assert node_meta.changes({"metadata": {"name": "w"}}, {"a": True, "b": 3}, []) == {"label": ["a=true", "b=3"], "taint": []}


@pytest.mark.parametrize("labels,taints,fragment", [
    ({"bad key!": "x"}, [], "'bad key!' is not a valid label key"),
    ({"ok": "no spaces allowed"}, [], "is not a valid label value"),
    ({}, [{"key": "a", "effect": "Sometimes"}], "effect of a must be one of NoSchedule"),
    ({}, [{"effect": "NoSchedule"}], "needs at least key and effect"),
    ([], [], "node_labels must be a mapping"),
])
def test_problems_name_the_variable(labels, taints, fragment):
    found = node_meta.problems(labels, taints)
    assert found and fragment in " ".join(found)


def test_good_metadata_has_no_problems():
    assert node_meta.problems({"node-role.kubernetes.io/edge": "", "example.com/tier": "web"},
                              [{"key": "dedicated", "value": "edge", "effect": "NoSchedule"}]) == []
