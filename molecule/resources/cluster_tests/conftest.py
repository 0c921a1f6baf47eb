"""Shared by the cluster scenarios' tests: what the scenario converged (its inventory says which
add-ons; the cluster scenario runs real Kubernetes, cluster_1_17 the simulator)."""

import os

import testinfra


def inventory_variables():
    master = testinfra.get_host("ansible://master", ansible_inventory=os.environ["MOLECULE_INVENTORY_FILE"])
    return master.ansible.get_variables()


def enabled_addons():
    return list(inventory_variables().get("cluster_addons") or [])


def runs_examples():
    """playbooks/examples.yml is part of cluster_1_17's converge only: its workloads need the
    example images to run, which the real cluster does not have yet."""
    return os.environ.get("MOLECULE_SCENARIO_NAME") == "cluster_1_17"


def simulated(host):
    """The control plane is the simulator (its packages install /usr/lib/kubeadm-sim)."""
    return host.file("/usr/lib/kubeadm-sim").exists
