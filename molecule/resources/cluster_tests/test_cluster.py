"""A converged cluster (scenario cluster: real Kubernetes; cluster_1_17: the control-plane simulator):
both workers are Nodes with their inventory labels and taints, the answer file is one the release's
kubeadm decodes, secrets are 0600, and no bootstrap-token secret reached a log."""

import json
import os

import pytest

from conftest import enabled_addons, simulated

testinfra_hosts = ["master", "worker1", "worker2"]
KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin.conf "


def master(host):
    return host.backend.get_hostname() == "master"


@pytest.fixture()
def nodes(host):
    if not master(host):
        pytest.skip("asked on the master")
    return {n["metadata"]["name"]: n for n in json.loads(host.check_output(KUBECTL + "get nodes -o json"))["items"]}


def test_every_host_is_a_node(nodes):
    assert set(nodes) == {"master", "worker1", "worker2"}
    for node in nodes.values():
        addresses = {a["type"]: a["address"] for a in node["status"]["addresses"]}
        assert addresses["Hostname"] == node["metadata"]["name"] and addresses["InternalIP"]


def test_labels_and_taints_from_inventory(nodes):
    worker1, worker2 = nodes["worker1"], nodes["worker2"]
    assert worker1["metadata"]["labels"]["node-role.kubernetes.io/edge"] == ""
    assert worker1["metadata"]["labels"]["tier"] == "web"
    assert {"key": "dedicated", "value": "edge", "effect": "NoSchedule"} in worker1["spec"]["taints"]
    assert worker2["metadata"]["labels"]["tier"] == "batch"
    assert not worker2["spec"].get("taints")


def test_control_plane_is_marked(nodes):
    labels = nodes["master"]["metadata"]["labels"]
    assert any(k in labels for k in ("node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master"))
    assert any(t["effect"] == "NoSchedule" for t in nodes["master"]["spec"]["taints"])


def test_answer_file_decodes_for_the_release(host):
    if not master(host):
        pytest.skip("master only")
    if not simulated(host):
        # the real kubeadm's own validation of the answer file it was given
        out = host.run("kubeadm config validate --config /etc/kubernetes/kubeadm-init.yaml")
        assert out.rc == 0, out.stdout + out.stderr
        assert "kubeadm.k8s.io/v1beta4" in host.file("/etc/kubernetes/kubeadm-init.yaml").content_string
        return
    script = ("import sys; sys.path.insert(0, '/usr/lib/kubeadm-sim'); import kubeadm_phases, simlib; "
              "docs = kubeadm_phases.load_config('/etc/kubernetes/kubeadm-init.yaml', ()); "
              "print(simlib.release(), docs['ClusterConfiguration']['apiVersion'], docs['ClusterConfiguration']['kubernetesVersion'])")
    release, api, version = host.check_output("python3 -c \"%s\"" % script).split()
    assert version == "v" + release
    assert api == ("kubeadm.k8s.io/v1beta2" if release.startswith("1.17.") else "kubeadm.k8s.io/v1beta4")


def test_apiserver_manifest_uses_the_private_registry_and_extra_args(host):
    if not master(host):
        pytest.skip("master only")
    manifest = host.file("/etc/kubernetes/manifests/kube-apiserver.yaml").content_string
    assert "image: registry:5000/kube-apiserver:v" in manifest
    assert "--enable-aggregator-routing=true" in manifest


def test_packages_are_pinned_and_held(host):
    release = host.check_output("kubeadm version -o short").lstrip("v")
    names = ["kubeadm", "kubelet"] + (["kubectl"] if master(host) else [])
    held = host.check_output("apt-mark showhold").split()
    for name in names:
        assert host.package(name).version.startswith(release + "-")
        assert name in held


@pytest.mark.parametrize("path", ["/etc/kubernetes/kubeadm-init.yaml", "/etc/kubernetes/admin.conf",
                                  "/root/.kube/config", "/etc/kubernetes/pki/ca.key", "/etc/kubernetes/pki/sa.key"])
def test_master_secrets_are_private(host, path):
    if not master(host):
        pytest.skip("master only")
    assert host.file(path).mode == 0o600


def test_fetched_admin_kubeconfig_is_private_on_the_controller(host):
    if not master(host):
        pytest.skip("fetched from the master")
    path = os.path.join(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"], "admin.conf")
    assert os.stat(path).st_mode & 0o777 == 0o600
    with open(path, encoding="utf-8") as handle:
        assert handle.read() == host.file("/etc/kubernetes/admin.conf").content_string


def test_worker_files(host):
    if master(host):
        pytest.skip("workers only")
    assert host.file("/etc/kubernetes/kubelet.conf").mode == 0o600
    assert not host.file("/etc/kubernetes/kubeadm-join.yaml").exists
    assert host.service("kubelet").is_running and host.service("kubelet").is_enabled


def test_kubelet_serving_certificate(host):
    """The roles approved every kubelet's serving CSR (csr_approve, cluster entry point
    serving_cert): the certificate is installed, signed by the cluster CA, for the node's own name
    and address (on 1.17 through certificates.k8s.io/v1beta1)."""
    name = host.backend.get_hostname()
    current = host.file("/var/lib/kubelet/pki/kubelet-server-current.pem")
    assert current.is_symlink and host.file(current.linked_to).mode == 0o600
    text = host.check_output("openssl x509 -noout -subject -issuer -ext subjectAltName -in %s" % current.linked_to)
    assert "CN = system:node:%s" % name in text and "O = system:nodes" in text
    assert "issuer=CN = kubernetes" in text
    assert "DNS:%s" % name in text
    ips = [part.split(":", 1)[1] for part in text.replace(",", " ").split() if part.startswith("Address:")]
    assert ips and set(ips) <= set(host.check_output("hostname -I").split()), ips
    verify = host.run("openssl verify -CAfile /etc/kubernetes/pki/ca.crt %s" % current.linked_to)
    assert verify.rc == 0, verify.stdout + verify.stderr


def test_serving_csrs_were_approved_by_the_roles(host, nodes):
    """Every node's serving CSR carries csr_approve's approval, none was approved by anyone else,
    and the forgery of the side effect is denied without a certificate. On 1.17 (v1beta1, no
    signerName yet) a serving request is one asking for server auth."""
    csrs = json.loads(host.check_output(KUBECTL + "get csr -o json"))["items"]
    if os.environ.get("MOLECULE_SCENARIO_NAME") == "cluster_1_17":
        assert {c["apiVersion"] for c in csrs} == {"certificates.k8s.io/v1beta1"}
        assert not [c for c in csrs if "signerName" in c["spec"]]
        serving = [c for c in csrs if "server auth" in c["spec"]["usages"]]
    else:
        serving = [c for c in csrs if c["spec"]["signerName"] == "kubernetes.io/kubelet-serving"]
    approved = {c["spec"]["username"] for c in serving
                if [x["reason"] for x in c["status"].get("conditions", []) if x["type"] == "Approved"] == ["HelmsmanKubeadmApprove"]}
    assert approved == {"system:node:" + n for n in nodes}
    assert all(x["reason"] == "HelmsmanKubeadmApprove" for c in serving for x in c["status"].get("conditions", [])
               if x["type"] == "Approved")
    forged = [c for c in serving if c["metadata"]["name"] == "forged-worker1"]
    assert forged and [x["type"] for x in forged[0]["status"]["conditions"]] == ["Denied"]
    assert "certificate" not in forged[0]["status"]


def token_secrets():
    """The secret halves of every bootstrap token the cluster has, read on the master."""
    import testinfra
    master_host = testinfra.get_host("ansible://master", ansible_inventory=os.environ["MOLECULE_INVENTORY_FILE"])
    out = master_host.check_output("kubeadm token list -o json")
    tokens = [json.loads(chunk) for chunk in out.replace("}\n{", "}\x00{").split("\x00") if chunk.strip()]
    assert tokens, "the cluster has no bootstrap token"
    return [t["token"].split(".")[1] for t in tokens]


def test_only_the_managed_join_token_remains(host):
    """kubeadm init's own 24-hour token (and any other) is deleted: one token, the role's."""
    if not master(host):
        pytest.skip("once is enough")
    out = host.check_output("kubeadm token list -o json")
    tokens = [json.loads(chunk) for chunk in out.replace("}\n{", "}\x00{").split("\x00") if chunk.strip()]
    assert [t.get("description") for t in tokens] == ["helmsman.kubeadm node join"], tokens and [
        (t["token"].split(".")[0], t.get("description")) for t in tokens]


def test_no_token_secret_in_the_ansible_log(host):
    if not master(host):
        pytest.skip("once is enough")
    log = os.path.join(os.environ["MOLECULE_PROJECT_DIRECTORY"], ".cache", "molecule-logs",
                       os.environ["MOLECULE_SCENARIO_NAME"] + ".log")
    with open(log, encoding="utf-8") as handle:
        text = handle.read()
    assert "replaced by" in text, "the side effect's output is not in %s" % log
    for secret in token_secrets():
        assert secret not in text, "a token secret is in %s" % log


def converge_summary():
    """The lines of the first "Say where everything is" in the scenario's Ansible log (the
    converge's summary: site.yml's last play)."""
    log = os.path.join(os.environ["MOLECULE_PROJECT_DIRECTORY"], ".cache", "molecule-logs",
                       os.environ["MOLECULE_SCENARIO_NAME"] + ".log")
    with open(log, encoding="utf-8") as handle:
        text = handle.read()
    start = text.index("TASK [Say where everything is]")
    body = text[text.index("=> {", start) + 3:]
    return json.JSONDecoder().raw_decode(body)[0]["msg"]


def test_the_summary_says_where_everything_is_and_what_to_mind(host):
    if not master(host):
        pytest.skip("once is enough")
    old = os.environ["MOLECULE_SCENARIO_NAME"] == "cluster_1_17"
    lines = converge_summary()
    text = "\n".join(lines)
    assert lines[0].startswith("Control plane ") and "admin.conf" in lines[0]
    addons = enabled_addons()
    expected = {"ingress": ["IngressClass nginx"], "nfs_pv": ["claim default/nfs-pvc"],
                "metrics": ["the metrics API v1beta1.metrics.k8s.io is served"],
                "dashboard": [":30001/", "dashboard-admin.token" if old else "headlamp-admin.token"],
                "prometheus": ["Grafana at http://<any node>:30002/", "grafana-admin.password"]}
    for addon, texts in expected.items():
        for line in texts:
            assert (line in text) == (addon in addons), (addon, line)
    # the warnings: the retired add-on of the scenario (the Dashboard on 1.17, ingress-nginx on 1.36)
    warnings = [line for line in lines if line.startswith("Warnings: ")]
    retired = "dashboard" if old else "ingress"
    if retired in addons:
        assert len(warnings) == 1 and ("Dashboard was archived" if old else "ingress-nginx was retired") in warnings[0]
    else:
        assert not warnings, warnings
    # paths, never what is in them
    ephemeral = os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]
    secrets = (["dashboard-admin.token" if old else "headlamp-admin.token"] if "dashboard" in addons else []) + (
        ["grafana-admin.password"] if "prometheus" in addons else [])
    for name in secrets:
        with open(os.path.join(ephemeral, name), encoding="utf-8") as handle:
            secret = handle.read().strip()
        assert len(secret) >= 32 and secret not in text, name


def test_no_token_secret_in_the_host_journal(host):
    journal = host.check_output("journalctl --no-pager -q -o cat")
    assert "kubeadm" in journal  # module invocations are logged there, so the search means something
    for secret in token_secrets():
        assert secret not in journal


PUSH_PROBE = r"""
import base64, ssl, sys, urllib.request, urllib.error
scheme = sys.argv[1]
request = urllib.request.Request(scheme + "://registry:5000/v2/evil/pause/blobs/uploads/", method="POST", data=b"")
try:
    urllib.request.urlopen(request, context=ssl._create_unverified_context(), timeout=10)
    print(202)
except urllib.error.HTTPError as exc:
    print(exc.code)
"""


def test_anonymous_push_from_a_worker_is_refused(host):
    """Any host on the network could otherwise replace the images every node pulls."""
    if host.backend.get_hostname() != "worker1":
        pytest.skip("one worker is enough")
    scheme = "http" if host.exists("docker") else "https"  # the 1.17 docker profile uses a plain-HTTP registry
    code = host.check_output("python3 -c '%s' %s" % (PUSH_PROBE.replace("'", "\"") , scheme)).strip()
    assert code == "405", code


def test_a_worker_pulls_from_the_registry_without_credentials(host):
    """With the default settings (no registry users) pulls need no credentials: a real pull by
    the worker's runtime."""
    if host.backend.get_hostname() != "worker1":
        pytest.skip("one worker is enough")
    if host.exists("docker"):
        out = host.run("docker pull registry:5000/coredns/coredns:v1.12.0")
    else:
        out = host.run("ctr --namespace k8s.io images pull --hosts-dir /etc/containerd/certs.d registry:5000/coredns/coredns:v1.12.0")
    assert out.rc == 0, out.stdout + out.stderr
