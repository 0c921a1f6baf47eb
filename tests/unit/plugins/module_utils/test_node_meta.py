import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import node_meta

NODE = {"metadata": {"name": "worker1", "labels": {"kubernetes.io/hostname": "worker1", "role": "edge"}},
        "spec": {"taints": [{"key": "dedicated", "value": "edge", "effect": "NoSchedule"}]}}


def test_nothing_to_do_when_the_node_has_it_all():
    assert node_meta.patch(NODE, {"role": "edge"}, [{"key": "dedicated", "value": "edge", "effect": "NoSchedule"}]) == {}


def test_missing_and_changed_values_only():
    todo = node_meta.patch(NODE, {"role": "core", "zone": "a", "kubernetes.io/hostname": "worker1"},
                           [{"key": "dedicated", "value": "edge", "effect": "NoSchedule"},
                            {"key": "gpu", "effect": "NoExecute"}])
    assert todo == {"apiVersion": "v1", "kind": "Node",
                    "metadata": {"name": "worker1", "labels": {"role": "core", "zone": "a"}},
                    "spec": {"taints": [{"key": "dedicated", "value": "edge", "effect": "NoSchedule"},
                                        {"key": "gpu", "effect": "NoExecute"}]}}


def test_a_taint_of_the_same_key_and_effect_gets_the_new_value_and_others_stay():
    node = {"metadata": {"name": "w"}, "spec": {"taints": [
        {"key": "dedicated", "value": "edge", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/not-ready", "effect": "NoExecute", "timeAdded": "2026-12-01T00:00:00Z"}]}}
    todo = node_meta.patch(node, {}, [{"key": "dedicated", "value": "batch", "effect": "NoSchedule"}])
    assert todo["spec"]["taints"] == [{"key": "dedicated", "value": "batch", "effect": "NoSchedule"},
                                      node["spec"]["taints"][1]]
    assert "labels" not in todo["metadata"]
    todo = node_meta.patch(node, {}, [{"key": "dedicated", "effect": "NoSchedule"}])
    assert todo["spec"]["taints"][0] == {"key": "dedicated", "effect": "NoSchedule"}


def test_fresh_node_without_spec():
    assert node_meta.patch({"metadata": {"name": "w"}}, {"a": True, "b": 3}, []) == \
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "w", "labels": {"a": "true", "b": "3"}}}


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
