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


def test_only_the_repository_is_served(host):
    if host.backend.get_hostname() != "registry":
        pytest.skip("registry host check")
    assert not host.file("/etc/nginx/sites-enabled/default").exists
    assert not host.socket("tcp://0.0.0.0:80").is_listening
    assert not host.socket("tcp://:::80").is_listening


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


APT_WITH = ("apt-get update -o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts=/tmp/hk-src-{name} "
            "-o Dir::State::Lists=/tmp/hk-lists-{name} 2>&1")


def apt_update_with_key(host, name, keyfile):
    host.run_expect([0], "rm -rf /tmp/hk-src-{n} /tmp/hk-lists-{n} && mkdir -p /tmp/hk-src-{n} /tmp/hk-lists-{n}/partial && "
                         "sed 's#^Signed-By: .*#Signed-By: {k}#' /etc/apt/sources.list.d/helmsman-offline.sources "
                         "> /tmp/hk-src-{n}/x.sources".format(n=name, k=keyfile))
    return host.run(APT_WITH.format(name=name))


def test_signature_is_enforced(host):
    if host.backend.get_hostname() != "node":
        pytest.skip("worker check")
    good = apt_update_with_key(host, "good", "/etc/apt/keyrings/helmsman-offline.asc")
    assert good.rc == 0 and "W:" not in good.stdout and "InRelease" in good.stdout, good.stdout
    host.run_expect([0], "rm -rf /tmp/hk-gpg && mkdir -m 700 /tmp/hk-gpg && "
                         "gpg --batch --homedir /tmp/hk-gpg --passphrase '' --quick-gen-key other rsa2048 sign never && "
                         "gpg --batch --homedir /tmp/hk-gpg --armor --export other > /tmp/other.asc")
    bad = apt_update_with_key(host, "bad", "/tmp/other.asc")
    assert "NO_PUBKEY" in bad.stdout or "not signed" in bad.stdout, bad.stdout
