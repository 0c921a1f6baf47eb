"""The repository is real: served by nginx, signed, and the worker installs from it alone."""

import pytest


def test_nginx_serves_the_signed_index(host):
    if host.backend.get_hostname() != "registry":
        pytest.skip("registry host check")
    assert host.service("nginx").is_running
    assert host.socket("tcp://0.0.0.0:8080").is_listening
    index = host.file("/srv/helmsman/repo/debian/Packages").content_string
    assert "Package: helmsman-hello" in index and "Package: ipvsadm" in index
    assert "-----BEGIN PGP SIGNATURE-----" in host.file("/srv/helmsman/repo/debian/InRelease").content_string
    gnupg = host.file("/etc/helmsman/repo-gnupg")
    assert gnupg.mode == 0o700


def test_worker_has_only_the_offline_source(host):
    if host.backend.get_hostname() != "node":
        pytest.skip("worker check")
    sources = host.run("grep -rhsE '^(deb |URIs:)' /etc/apt/sources.list /etc/apt/sources.list.d/").stdout.split("\n")
    sources = [s for s in sources if s.strip()]
    assert sources == ["URIs: http://registry:8080/debian"]
    assert "trusted=yes" not in host.run("cat /etc/apt/sources.list.d/*").stdout


def test_package_installed_from_the_repository(host):
    if host.backend.get_hostname() != "node":
        pytest.skip("worker check")
    assert host.package("helmsman-hello").is_installed
    assert host.package("helmsman-base").is_installed  # resolved as a dependency from the repository
    assert host.file("/usr/share/helmsman-hello/hello.txt").content_string == "hello from the offline repository\n"
    policy = host.check_output("apt-cache policy helmsman-hello")
    assert "http://registry:8080/debian ./ Packages" in policy


def test_signature_is_enforced(host):
    if host.backend.get_hostname() != "node":
        pytest.skip("worker check")
    # With another key, the same repository must be refused.
    cmd = ("gpg --batch --homedir /tmp/hk-gpg-x --passphrase '' --quick-gen-key other rsa2048 sign never >/dev/null 2>&1 && "
           "gpg --batch --homedir /tmp/hk-gpg-x --armor --export other > /tmp/other.asc && "
           "apt-get update -o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts=/tmp/hk-src "
           "-o Dir::State::Lists=/tmp/hk-lists 2>&1; true")
    host.run("mkdir -p /tmp/hk-src /tmp/hk-lists/partial && "
             "sed 's#Signed-By: .*#Signed-By: /tmp/other.asc#' /etc/apt/sources.list.d/helmsman-offline.sources"
             " > /tmp/hk-src/x.sources")
    out = host.run(cmd).stdout
    assert "NO_PUBKEY" in out or "not signed" in out or "is not signed" in out or "EXPKEYSIG" in out or \
        "The following signatures couldn't be verified" in out
