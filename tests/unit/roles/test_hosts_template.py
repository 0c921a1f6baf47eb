"""base_prep's /etc/hosts block: one line per cluster host, in an order that does not depend on the
inventory's (a static and the dynamic inventory with the same hosts give the same block)."""

import os
import re

import jinja2

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TEMPLATE = os.path.join(ROOT, "roles", "base_prep", "templates", "hosts.j2")


def render(groups, hostvars):
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=False, extensions=["jinja2.ext.do"])
    env.tests["match"] = lambda value, pattern: re.match(pattern, value) is not None
    with open(TEMPLATE) as handle:
        template = env.from_string(handle.read())
    return template.render(groups=groups, hostvars=hostvars, base_prep_hosts_groups=["registry", "masters", "nodes"],
                           base_prep_host_address_var="ansible_host")


HOSTVARS = {"registry": {"ansible_host": "10.0.0.10"}, "master": {"ansible_host": "10.0.0.20"},
            "worker1": {"ansible_host": "10.0.0.31"}, "worker2": {"ansible_host": "10.0.0.32"}}


def test_block_does_not_follow_inventory_order():
    one = render({"registry": ["registry"], "masters": ["master"], "nodes": ["worker1", "worker2"]}, HOSTVARS)
    other = render({"registry": ["registry"], "masters": ["master"], "nodes": ["worker2", "worker1"]}, HOSTVARS)
    assert one == other
    assert one.split() == ["10.0.0.20", "master", "10.0.0.10", "registry", "10.0.0.31", "worker1",
                           "10.0.0.32", "worker2"]


def test_host_in_two_groups_listed_once():
    text = render({"registry": ["master"], "masters": ["master"], "nodes": ["worker1"]}, HOSTVARS)
    assert text.split().count("master") == 1
