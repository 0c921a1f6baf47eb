"""base_prep on a container host: what is applied, what is persisted, what is left to the host."""

import pytest

MODULES = ["overlay", "br_netfilter", "ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh", "nf_conntrack"]


def test_modules_persisted(host):
    f = host.file("/etc/modules-load.d/kubernetes.conf")
    assert f.mode == 0o644
    assert [line for line in f.content_string.splitlines() if not line.startswith("#")] == MODULES


def test_sysctls_persisted(host):
    content = host.file("/etc/sysctl.d/90-kubernetes.conf").content_string
    for key in ("net.ipv4.ip_forward = 1", "net.bridge.bridge-nf-call-iptables = 1",
                "net.bridge.bridge-nf-call-ip6tables = 1"):
        assert key in content


def test_ip_forward_applied_in_the_container_namespace(host):
    assert host.sysctl("net.ipv4.ip_forward") == 1


def test_every_cluster_host_in_etc_hosts(host):
    hosts = host.file("/etc/hosts").content_string
    block = hosts.split("# BEGIN helmsman.kubeadm cluster hosts")[1].split("# END helmsman.kubeadm cluster hosts")[0]
    names = sorted(line.split()[1] for line in block.strip().splitlines())
    assert names == ["master", "node"]
    for line in block.strip().splitlines():
        address = line.split()[0]
        assert address.count(".") == 3 and not address.startswith("127.")


def test_own_line_carries_the_hosts_real_address(host):
    # docker DNS would resolve the names anyway; what base_prep must get right is the address.
    block = host.file("/etc/hosts").content_string.split("# BEGIN helmsman.kubeadm cluster hosts")[1]
    lines = dict((line.split()[1], line.split()[0]) for line in
                 block.split("# END helmsman.kubeadm cluster hosts")[0].strip().splitlines())
    me = host.backend.get_hostname()
    assert lines[me] in host.interface("eth0").addresses


@pytest.mark.parametrize("package", ["ipvsadm", "ipset"])
def test_ipvs_tools_installed(host, package):
    assert host.package(package).is_installed


def test_swap_and_fstab_left_alone_in_a_container(host):
    fstab = host.file("/etc/fstab").content_string
    assert "disabled by helmsman.kubeadm" not in fstab


def test_firewall_service_stopped_and_disabled(host):
    if host.backend.get_hostname() != "node":
        pytest.skip("ufw is installed on the worker only")
    ufw = host.service("ufw")
    assert not ufw.is_running and not ufw.is_enabled
