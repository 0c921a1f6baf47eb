import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import network_checks


def test_subnets_fine():
    assert network_checks.subnet_problems("10.244.0.0/16", "10.254.0.0/16", {"master": "192.168.1.21"}) == []


def test_subnet_overlap_and_host_inside():
    problems = network_checks.subnet_problems("10.0.0.0/8", "10.254.0.0/16", {"master": "10.1.2.3"})
    assert problems[0] == "cluster_pod_subnet 10.0.0.0/8 overlaps cluster_service_subnet 10.254.0.0/16"
    assert "cluster_pod_subnet 10.0.0.0/8 contains the address 10.1.2.3 of host master" in problems


def test_subnet_not_cidr():
    problems = network_checks.subnet_problems("10.244.0.1/16", "banana", {})
    assert len(problems) == 2 and problems[0].startswith("cluster_pod_subnet:") and problems[1].startswith("cluster_service_subnet:")


def test_host_addresses_from_hostvars():
    hostvars = {"a": {"ansible_host": "10.0.0.1", "ansible_default_ipv4": {"address": "10.0.0.1", "prefix": ""}},
                "b": {"ansible_facts": {"default_ipv4": {"address": "172.18.0.3"}}},
                "c": {}}
    assert network_checks.host_addresses(hostvars, ["a", "b", "c"]) == {"a": ["10.0.0.1"], "b": ["172.18.0.3"], "c": []}
    problems = network_checks.subnet_problems("172.18.0.0/16", "10.254.0.0/16",
                                              network_checks.host_addresses(hostvars, ["a", "b"]))
    assert problems == ["cluster_pod_subnet 172.18.0.0/16 contains the address 172.18.0.3 of host b"]


def test_subnet_overlapping_a_host_network_without_its_address():
    hostvars = {"master": {"ansible_default_ipv4": {"address": "10.250.3.7", "prefix": "12"}}}
    addresses = network_checks.host_addresses(hostvars, ["master"])
    assert addresses == {"master": ["10.250.3.7/12"]}
    problems = network_checks.subnet_problems("10.244.0.0/16", "10.254.0.0/16", addresses)
    assert problems == ["cluster_pod_subnet 10.244.0.0/16 overlaps the network 10.240.0.0/12 of host master",
                        "cluster_service_subnet 10.254.0.0/16 overlaps the network 10.240.0.0/12 of host master"]
    assert network_checks.subnet_problems("10.244.0.0/16", "10.96.0.0/12",
                                          {"master": ["192.168.1.21/24"]}) == []


def test_inventory_host_in_masters_and_nodes():
    problems = network_checks.inventory_problems({"masters": ["m1"], "nodes": ["m1", "w1"], "registry": ["r"]})
    assert problems == ["inventory: m1 is in both groups masters and nodes; a host is a master or a node, not both"]


@pytest.mark.parametrize("name", ["Worker_1", "Worker1", "-w1", "w1-", "a" * 64, "w1..x", "w 1"])
def test_inventory_names_that_cannot_be_node_names(name):
    problems = network_checks.inventory_problems({"masters": ["m1"], "nodes": [name], "registry": ["r"]})
    assert len(problems) == 1 and problems[0].startswith("inventory: host name %s is not a valid node name" % name)


@pytest.mark.parametrize("name", ["worker-1", "w1.example.internal", "10-0-0-5", "a" * 63])
def test_inventory_names_that_are_node_names(name):
    assert network_checks.inventory_problems({"masters": ["m1"], "nodes": [name], "registry": ["r"]}) == []
