# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cluster network sanity: subnets that overlap each other or the hosts' own addresses."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

# A Kubernetes node name (and a name in /etc/hosts): an RFC 1123 subdomain, lowercase.
_LABEL = r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"
_NODE_NAME_RE = re.compile(r"^%s(\.%s)*$" % (_LABEL, _LABEL))

# The name of base_prep's block in /etc/hosts (blockinfile's "# BEGIN <name>" ... "# END <name>").
HOSTS_BLOCK = "helmsman.kubeadm cluster hosts"
# The fact cluster's recall entry point sets on a host that did not answer: {address, aliases}.
RECALLED_FACT = "cluster_recalled_host"


def subnet_problems(pod_subnet, service_subnet, host_addresses, pod_var="cluster_pod_subnet",
                    service_var="cluster_service_subnet"):
    """List of messages (empty when fine), each naming the variable at fault."""
    problems = []
    nets = {}
    for var, value in ((pod_var, pod_subnet), (service_var, service_subnet)):
        try:
            nets[var] = ipaddress.ip_network(str(value), strict=True)
        except ValueError as exc:
            problems.append("%s: %r is not a network in CIDR form (%s)" % (var, value, exc))
    if len(nets) == 2 and nets[pod_var].version == nets[service_var].version and nets[pod_var].overlaps(nets[service_var]):
        problems.append("%s %s overlaps %s %s" % (pod_var, nets[pod_var], service_var, nets[service_var]))
    for host, addresses in sorted((host_addresses or {}).items()):
        for address in addresses if isinstance(addresses, (list, tuple)) else [addresses]:
            try:
                iface = ipaddress.ip_interface(str(address))
            except ValueError:
                continue
            for var, net in sorted(nets.items()):
                if iface.ip in net:
                    problems.append("%s %s contains the address %s of host %s" % (var, net, iface.ip, host))
                elif "/" in str(address) and iface.network.version == net.version and iface.network.overlaps(net):
                    problems.append("%s %s overlaps the network %s of host %s" % (var, net, iface.network, host))
    return problems


def inventory_problems(groups, node_groups=("masters", "nodes"), all_groups=("registry", "masters", "nodes")):
    """Messages (empty when fine) about the inventory's shape: a host in more than one of the node
    groups, and host names that cannot be node names (they go into every /etc/hosts)."""
    problems = []
    seen = {}
    for group in node_groups:
        for host in groups.get(group) or []:
            seen.setdefault(host, []).append(group)
    for host, found in sorted(seen.items()):
        if len(found) > 1:
            problems.append("inventory: %s is in both groups %s; a host is a master or a node, not both"
                            % (host, " and ".join(found)))
    names = sorted(set(h for g in all_groups for h in (groups.get(g) or [])))
    for host in names:
        problem = node_name_problem(host)
        if problem:
            problems.append("inventory: host name %s %s" % (host, problem))
    return problems


def node_name_problem(name):
    """Why ``name`` cannot be a Kubernetes node name, or None."""
    text = str(name)
    if len(text) > 253 or not _NODE_NAME_RE.match(text):
        return ("is not a valid node name (lowercase letters, digits, '-' and '.', each part starting and "
                "ending with a letter or digit, at most 63 characters per part: RFC 1123)")
    return None


def host_addresses(hostvars, hosts):
    """Host name to the addresses Ansible knows for it (ansible_host, default IPv4/IPv6); the
    default addresses carry their prefix (``10.0.0.5/24``) when the facts give it, so that a
    subnet overlapping the host's network is caught too."""
    result = {}
    for host in hosts:
        hv = hostvars[host]
        found = []
        values = [hv.get("ansible_host")]
        for key in ("default_ipv4", "default_ipv6"):
            fact = _facts(hv, key) or {}
            address, prefix = fact.get("address"), fact.get("prefix")
            if address and prefix not in (None, ""):
                values.append("%s/%s" % (address, prefix))
            else:
                values.append(address)
        for value in values:
            if value and str(value) not in found:
                found.append(str(value))
        result[host] = found
    return result


def is_address(text):
    """An IPv4 or IPv6 address (no network, no name)."""
    try:
        ipaddress.ip_address(str(text))
        return True
    except ValueError:
        return False


def _facts(variables, key):
    facts = variables.get("ansible_facts") or {}
    return variables.get("ansible_" + key) or facts.get(key)


def host_address(variables, address_var="ansible_host"):
    """The address a host is known by: ``address_var`` when it is an IP address, else the default
    IPv4 address from the host's facts, else the address an earlier run wrote for it in the cluster
    hosts block (the fact RECALLED_FACT, set for a host that did not answer this run), else None."""
    given = str(variables.get(address_var) or "")
    if is_address(given):
        return given
    address = (_facts(variables, "default_ipv4") or {}).get("address")
    if address:
        return address
    return (variables.get(RECALLED_FACT) or {}).get("address") or None


def hosts_block(hostvars, hosts, address_var="ansible_host"):
    """base_prep's /etc/hosts block: ``address name [short name]`` per host (once, sorted by name, so
    the block does not follow the inventory's order or source). The short name is the host's own
    (its facts' hostname, else the one recalled with its address) when it differs from its name. A
    host with no known address is left out."""
    lines = []
    for host in sorted(set(hosts)):
        variables = hostvars[host]
        address = host_address(variables, address_var)
        if not address:
            continue
        own = _facts(variables, "hostname")
        recalled = variables.get(RECALLED_FACT) or {}
        aliases = [own] if own else list(recalled.get("aliases") or [])
        lines.append(" ".join([address, host] + [alias for alias in aliases if alias and alias != host]))
    return "\n".join(lines) + ("\n" if lines else "")


def recall_hosts_block(text, hosts):
    """From the text of an /etc/hosts holding the cluster hosts block, each of ``hosts`` found in the
    block: host name to {address, aliases}. Lines outside the block are not read: only what an
    earlier run wrote is trusted."""
    begin, end = "# BEGIN %s" % HOSTS_BLOCK, "# END %s" % HOSTS_BLOCK
    wanted = set(hosts)
    found = {}
    inside = False
    for line in (text or "").splitlines():
        stripped = line.strip()
        if stripped == begin:
            inside = True
        elif stripped == end:
            inside = False
        elif inside and stripped and not stripped.startswith("#"):
            fields = stripped.split()
            if len(fields) >= 2 and fields[1] in wanted and is_address(fields[0]):
                found[fields[1]] = {"address": fields[0], "aliases": fields[2:]}
    return found
