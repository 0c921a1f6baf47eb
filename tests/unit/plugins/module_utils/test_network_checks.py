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


HOSTVARS = {"registry": {"ansible_host": "10.0.0.10"}, "master": {"ansible_host": "10.0.0.20"},
            "worker1": {"ansible_host": "10.0.0.31"}, "worker2": {"ansible_host": "10.0.0.32"}}


def test_hosts_block_does_not_follow_inventory_order():
    one = network_checks.hosts_block(HOSTVARS, ["registry", "master", "worker1", "worker2"])
    other = network_checks.hosts_block(HOSTVARS, ["worker2", "registry", "worker1", "master"])
    assert one == other
    assert one.split() == ["10.0.0.20", "master", "10.0.0.10", "registry", "10.0.0.31", "worker1",
                           "10.0.0.32", "worker2"]


def test_hosts_block_lists_a_host_in_two_groups_once():
    text = network_checks.hosts_block(HOSTVARS, ["master", "master", "worker1"])
    assert text.split().count("master") == 1


def test_hosts_block_addresses_from_facts_and_short_names():
    hostvars = {"w1": {"ansible_host": "hk-lab-w1", "ansible_facts": {"default_ipv4": {"address": "172.18.0.4"},
                                                                      "hostname": "box1"}},
                "w2": {"ansible_host": "hk-lab-w2", "ansible_default_ipv4": {"address": "172.18.0.5"},
                       "ansible_hostname": "w2"},
                "w3": {"ansible_host": "hk-lab-w3"}}
    assert network_checks.hosts_block(hostvars, ["w1", "w2", "w3"]) == "172.18.0.4 w1 box1\n172.18.0.5 w2\n"
    assert network_checks.hosts_block({"w3": {}}, ["w3"]) == ""


ETC_HOSTS = """127.0.0.1 localhost
10.9.9.9 w2
# BEGIN helmsman.kubeadm cluster hosts
172.18.0.3 master
172.18.0.4 w1 box1
172.18.0.5 w2
# END helmsman.kubeadm cluster hosts
10.9.9.8 w3
"""


def test_recall_reads_only_the_block_and_the_hosts_asked():
    assert network_checks.recall_hosts_block(ETC_HOSTS, ["w1", "w2", "w3"]) == {
        "w1": {"address": "172.18.0.4", "aliases": ["box1"]}, "w2": {"address": "172.18.0.5", "aliases": []}}
    assert network_checks.recall_hosts_block("127.0.0.1 localhost\n", ["w1"]) == {}
    assert network_checks.recall_hosts_block(ETC_HOSTS.replace("172.18.0.4", "not-an-ip"), ["w1"]) == {}


def test_a_host_that_did_not_answer_keeps_its_line():
    """The block written while w1 is down (its facts not gathered, its line recalled) is the block
    written when it answered."""
    answered = {"master": {"ansible_facts": {"default_ipv4": {"address": "172.18.0.3"}, "hostname": "master"}},
                "w1": {"ansible_facts": {"default_ipv4": {"address": "172.18.0.4"}, "hostname": "box1"}}}
    before = network_checks.hosts_block(answered, ["master", "w1"])
    text = "# BEGIN %s\n%s# END %s\n" % (network_checks.HOSTS_BLOCK, before, network_checks.HOSTS_BLOCK)
    down = {"master": answered["master"],
            "w1": {"ansible_host": "hk-w1", network_checks.RECALLED_FACT: network_checks.recall_hosts_block(text, ["w1"])["w1"]}}
    assert network_checks.hosts_block(down, ["master", "w1"]) == before
    assert network_checks.host_address(down["w1"]) == "172.18.0.4"
    # facts gathered this run win over what was recalled
    moved = dict(down["w1"], ansible_facts={"default_ipv4": {"address": "172.18.0.9"}})
    assert network_checks.host_address(moved) == "172.18.0.9"
    # and an IP address in ansible_host over both
    assert network_checks.host_address(dict(moved, ansible_host="10.1.1.1")) == "10.1.1.1"
    assert network_checks.host_address({"ansible_host": "hk-w1"}) is None


def test_base_prep_writes_the_block_recall_reads():
    """The marker base_prep's blockinfile writes is the one recall_hosts_block looks for."""
    import os
    import yaml
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
    with open(os.path.join(root, "roles", "base_prep", "tasks", "etc_hosts.yml")) as handle:
        task = yaml.safe_load(handle)[0]
    marker = task["ansible.builtin.blockinfile"]["marker"]
    assert marker.replace("{mark}", "BEGIN") == "# BEGIN " + network_checks.HOSTS_BLOCK
    assert marker.replace("{mark}", "END") == "# END " + network_checks.HOSTS_BLOCK
