"""Fidelity of the control-plane simulator where the roles depend on it: the config decoder
accepts what the collection renders for every supported release and refuses what the release's
kubeadm refuses; token discovery refuses a wrong CA pin and unknown or expired tokens."""

import base64
import datetime
import os
import sys

import pytest
import yaml

from ansible_collections.helmsman.kubeadm.plugins.module_utils import kube_versions, kubeadm_config
from tests.emulator import Emulator

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "simulator"))
import kubeadm_phases  # noqa: E402
from simlib import Fail  # noqa: E402

SETTINGS = {"advertise_address": "192.168.1.21", "cri_socket": "unix:///var/run/containerd/containerd.sock",
            "pod_subnet": "10.244.0.0/16", "service_subnet": "10.254.0.0/16", "image_repository": "192.168.1.100:5000",
            "apiserver_extra_args": {"enable-aggregator-routing": "true"}, "kubelet_extra_args": {"node-ip": "192.168.1.21"}}


def write_docs(tmp_path, docs):
    path = tmp_path / "kubeadm.yaml"
    path.write_text("---\n".join(yaml.safe_dump(d) for d in docs))
    return str(path)


@pytest.mark.parametrize("minor", range(kube_versions.MIN_MINOR, kube_versions.MAX_MINOR + 1))
def test_what_the_collection_renders_decodes_for_every_release(tmp_path, monkeypatch, minor):
    version = "1.%d.0" % minor
    monkeypatch.setenv("KUBEADM_SIM_VERSION", version)
    init = kubeadm_config.init_documents(version, SETTINGS)
    docs = kubeadm_phases.load_config(write_docs(tmp_path, init), ())
    assert set(docs) == {"InitConfiguration", "ClusterConfiguration", "KubeletConfiguration", "KubeProxyConfiguration"}
    join = kubeadm_config.join_documents(version, {"api_server_endpoint": "192.168.1.21:6443", "token": "abcdef.0123456789abcdef",
                                                   "ca_cert_hashes": ["sha256:" + "a" * 64], "cri_socket": SETTINGS["cri_socket"],
                                                   "kubelet_extra_args": {"node-ip": "192.168.1.31"}})
    assert set(kubeadm_phases.load_config(write_docs(tmp_path, join), ("JoinConfiguration",))) == {"JoinConfiguration"}


@pytest.mark.parametrize("release,api,fragment", [
    ("1.36.4", "kubeadm.k8s.io/v1beta2", 'your configuration file uses an old API spec: "kubeadm.k8s.io/v1beta2"'),
    ("1.37.0", "kubeadm.k8s.io/v1beta3", "Please use kubeadm v1.36 instead and run 'kubeadm config migrate"),
    ("1.17.6", "kubeadm.k8s.io/v1beta4", 'no kind "InitConfiguration" is registered for version "kubeadm.k8s.io/v1beta4"'),
    ("1.21.0", "kubeadm.k8s.io/v1beta3", 'no kind "InitConfiguration" is registered for version "kubeadm.k8s.io/v1beta3"'),
])
def test_an_api_the_release_does_not_read_is_refused(tmp_path, monkeypatch, release, api, fragment):
    monkeypatch.setenv("KUBEADM_SIM_VERSION", release)
    docs = [{"apiVersion": api, "kind": "InitConfiguration"}]
    with pytest.raises(Fail) as err:
        kubeadm_phases.load_config(write_docs(tmp_path, docs), ())
    assert fragment in str(err.value)


def test_unknown_fields_and_wrong_extra_args_form_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("KUBEADM_SIM_VERSION", "1.36.4")
    docs = kubeadm_config.init_documents("1.36.4", dict(SETTINGS, extra={"ClusterConfiguration": {"apiServr": {}}}))
    with pytest.raises(Fail, match='strict decoding error: unknown field "apiServr"'):
        kubeadm_phases.load_config(write_docs(tmp_path, docs), ())
    docs = kubeadm_config.init_documents("1.36.4", SETTINGS)
    docs[1]["apiServer"]["extraArgs"] = {"enable-aggregator-routing": "true"}
    with pytest.raises(Fail, match=r"cannot unmarshal object into Go struct field APIServer.apiServer.extraArgs of type \[\]v1beta4.Arg"):
        kubeadm_phases.load_config(write_docs(tmp_path, docs), ())


def test_preflight_lists_every_error_and_honours_ignores(capsys):
    checks = [("Swap", "running with swap on is not supported. Please disable swap"), ("Port-6443", "Port 6443 is in use")]
    with pytest.raises(Fail) as err:
        kubeadm_phases.preflight(checks, [])
    assert "\t[ERROR Swap]: running with swap on is not supported" in str(err.value)
    assert "\t[ERROR Port-6443]: Port 6443 is in use" in str(err.value)
    kubeadm_phases.preflight(checks, ["swap", "Port-6443"])
    assert "[WARNING Swap]" in capsys.readouterr().out


@pytest.fixture()
def cluster():
    """An emulator holding kube-public/cluster-info and one valid and one expired token."""
    emu = Emulator(controllers=True).start()
    server = emu.url
    info = yaml.safe_dump({"apiVersion": "v1", "kind": "Config", "clusters": [{"name": "", "cluster": {
        "certificate-authority-data": base64.b64encode(open(emu.ca_file, "rb").read()).decode(), "server": server}}]})
    emu.put_object({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cluster-info", "namespace": "kube-public"},
                    "data": {"kubeconfig": info}})
    now = datetime.datetime.now(datetime.timezone.utc)
    for tid, delta in (("abcdef", 3600), ("oldone", -60)):
        data = {"token-id": tid, "token-secret": "0123456789abcdef", "usage-bootstrap-signing": "true",
                "usage-bootstrap-authentication": "true",
                "expiration": (now + datetime.timedelta(seconds=delta)).strftime("%Y-%m-%dT%H:%M:%SZ")}
        emu.put_object({"apiVersion": "v1", "kind": "Secret", "type": "bootstrap.kubernetes.io/token",
                        "metadata": {"name": "bootstrap-token-" + tid, "namespace": "kube-system"},
                        "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}})
    yield emu, server.split("//", 1)[1], kubeadm_phases.ca_pin(emu.ca_cert)
    emu.stop()


def test_discovery_with_the_right_pin(cluster):
    emu, endpoint, pin = cluster
    server, ca_pem = kubeadm_phases.discover(endpoint, "abcdef.0123456789abcdef", [pin], False)
    assert server == emu.url and ca_pem == open(emu.ca_file, "rb").read()


def test_discovery_refuses_a_wrong_pin(cluster):
    _emu, endpoint, pin = cluster
    with pytest.raises(Fail) as err:
        kubeadm_phases.discover(endpoint, "abcdef.0123456789abcdef", ["sha256:" + "0" * 64], False)
    assert 'none of the public keys "%s" are pinned' % pin in str(err.value)


def test_discovery_needs_a_pin_unless_told_to_skip(cluster):
    _emu, endpoint, _pin = cluster
    with pytest.raises(Fail, match="using token-based discovery without caCertHashes can be unsafe"):
        kubeadm_phases.discover(endpoint, "abcdef.0123456789abcdef", [], False)


@pytest.mark.parametrize("token", ["oldone.0123456789abcdef", "zzzzzz.0123456789abcdef"])
def test_discovery_refuses_expired_and_unknown_tokens(cluster, token):
    _emu, endpoint, pin = cluster
    with pytest.raises(Fail, match='could not find a JWS signature in the cluster-info ConfigMap for token ID "%s"' % token[:6]):
        kubeadm_phases.discover(endpoint, token, [pin], False)


def test_discovery_refuses_a_token_whose_secret_does_not_match(cluster):
    _emu, endpoint, pin = cluster
    with pytest.raises(Fail, match="failed to verify JWS signature"):
        kubeadm_phases.discover(endpoint, "abcdef.ffffffffffffffff", [pin], False)


def test_init_phases_finish_an_init_that_stopped_half_way(tmp_path, monkeypatch):
    """`kubeadm init phase <phase> --config` for the phases after the control plane answers: each
    writes what init writes at that step, and nothing of the others."""
    emu = Emulator(controllers=True).start()
    try:
        etc = tmp_path / "etc" / "kubernetes"
        (etc / "pki").mkdir(parents=True)
        (etc / "pki" / "ca.crt").write_bytes(open(emu.ca_file, "rb").read())
        emu.kubeconfig(path=str(etc / "admin.conf"))
        monkeypatch.setattr(kubeadm_phases, "ETC", str(etc))
        monkeypatch.setattr(kubeadm_phases, "PKI", str(etc / "pki"))
        monkeypatch.setenv("KUBEADM_SIM_VERSION", "1.36.4")
        emu.put_object({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "master"}})
        config = write_docs(tmp_path, kubeadm_config.init_documents("1.36.4", dict(SETTINGS, node_name="master")))

        kubeadm_phases.init_phase("upload-config", config)
        stored = yaml.safe_load(emu.get_object("configmaps", "kubeadm-config", "kube-system")["data"]["ClusterConfiguration"])
        assert stored["networking"]["podSubnet"] == "10.244.0.0/16"
        assert emu.get_object("configmaps", "kubelet-config", "kube-system")
        assert emu.get_object("configmaps", "cluster-info", "kube-public") is None
        assert emu.list_objects("secrets", "kube-system") == []

        kubeadm_phases.init_phase("bootstrap-token", config, skip_token_print=True)
        info = yaml.safe_load(emu.get_object("configmaps", "cluster-info", "kube-public")["data"]["kubeconfig"])
        assert info["clusters"][0]["cluster"]["server"] == "https://192.168.1.21:6443"
        assert [s["type"] for s in emu.list_objects("secrets", "kube-system")] == ["bootstrap.kubernetes.io/token"]

        kubeadm_phases.init_phase("mark-control-plane", config)
        node = emu.get_object("nodes", "master")
        assert node["spec"]["taints"] == [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
        assert "node-role.kubernetes.io/control-plane" in node["metadata"]["labels"]

        with pytest.raises(Fail, match="only for"):
            kubeadm_phases.init_phase("certs", config)
        (etc / "admin.conf").unlink()
        with pytest.raises(Fail, match="admin.conf: no such file or directory"):
            kubeadm_phases.init_phase("addon", config)
    finally:
        emu.stop()


def test_init_phase_command_line_names_the_phase_and_the_config(tmp_path):
    """The kubeadm script hands `init phase <phase> all --config <file>` to init_phase: an
    unsimulated phase is named in the refusal, a simulated one reads the given config."""
    import subprocess
    script = os.path.join(os.path.dirname(kubeadm_phases.__file__), "kubeadm")
    other = subprocess.run([sys.executable, script, "init", "phase", "certs", "all", "--config", "/x.yaml"],
                           capture_output=True, text=True, check=False)
    assert other.returncode == 1 and 'not "certs"' in other.stderr
    missing = str(tmp_path / "absent.yaml")
    ours = subprocess.run([sys.executable, script, "init", "phase", "upload-config", "all", "--config=" + missing],
                          capture_output=True, text=True, check=False)
    assert ours.returncode == 1 and 'unable to read config from "%s"' % missing in ours.stderr
