# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cluster network sanity: subnets that overlap each other or the hosts' own addresses."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress


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
                ip = ipaddress.ip_address(str(address))
            except ValueError:
                continue
            for var, net in sorted(nets.items()):
                if ip in net:
                    problems.append("%s %s contains the address %s of host %s" % (var, net, ip, host))
    return problems


def host_addresses(hostvars, hosts):
    """Host name to the addresses Ansible knows for it (ansible_host, default IPv4/IPv6)."""
    result = {}
    for host in hosts:
        hv = hostvars[host]
        found = []
        facts = hv.get("ansible_facts") or {}
        for value in (hv.get("ansible_host"),
                      (hv.get("ansible_default_ipv4") or facts.get("default_ipv4") or {}).get("address"),
                      (hv.get("ansible_default_ipv6") or facts.get("default_ipv6") or {}).get("address")):
            if value and str(value) not in found:
                found.append(str(value))
        result[host] = found
    return result
