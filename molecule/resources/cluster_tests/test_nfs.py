"""The NFS server the nfs_pv role set up, read and written over the NFS protocol from a worker.
The lab's kernel has no NFS (neither nfsd nor a client), so the server is nfs-ganesha and the
client is libnfs' userspace nfs-cp/nfs-ls/nfs-cat (from the offline repository); a Pod mount needs
a real kernel (tests/README.md)."""

import pytest

testinfra_hosts = ["registry", "worker1"]
EXPORT = "/srv/nfs/k8s"


def is_registry(host):
    return host.backend.get_hostname() == "registry"


def test_ganesha_serves_nfs4_only_without_rpcbind(host):
    if not is_registry(host):
        pytest.skip("on the NFS server")
    assert host.service("nfs-ganesha").is_running and host.service("nfs-ganesha").is_enabled
    conf = host.file("/etc/ganesha/ganesha.conf").content_string
    assert "Enable_RQUOTA = false;" in conf and "Protocols = 4;" in conf
    assert "Pseudo = %s;" % EXPORT in conf
    assert host.socket("tcp://0.0.0.0:2049").is_listening or host.socket("tcp://:::2049").is_listening


def test_a_worker_writes_and_reads_the_export_over_nfs(host):
    if is_registry(host):
        pytest.skip("from a worker")
    host.run_expect([0], "apt-get install -y -q libnfs-utils")
    url = "nfs://registry%s/hk-probe-%s.txt?version=4" % (EXPORT, host.backend.get_hostname())
    host.run_expect([0], "printf 'written over NFS\\n' > /tmp/hk-probe.txt")
    copy = host.run("nfs-cp /tmp/hk-probe.txt '%s'" % url)
    assert copy.rc == 0, copy.stderr
    assert host.check_output("nfs-cat '%s'" % url) == "written over NFS"
    listing = host.check_output("nfs-ls 'nfs://registry%s?version=4'" % EXPORT)
    assert "hk-probe-worker1.txt" in listing
    # NFSv3 (and its MOUNT protocol) is off: ganesha serves NFSv4 only
    assert host.run("nfs-ls 'nfs://registry%s'" % EXPORT).rc != 0


def test_the_file_written_before_the_re_run_and_restart_is_still_there(host):
    """The side effect wrote hk-survivor.txt over NFS, re-ran the nfs_pv role and restarted
    nfs-ganesha: the file is on the export's disk and still readable over NFS."""
    if is_registry(host):
        assert host.file(EXPORT + "/hk-survivor.txt").content_string == "kept across re-runs and restarts\n"
        return
    out = host.run("nfs-cat 'nfs://registry%s/hk-survivor.txt?version=4'" % EXPORT)
    assert out.rc == 0 and out.stdout == "kept across re-runs and restarts\n", out.stderr
