"""metrics-server and the UI on a converged cluster (scenarios cluster and cluster_1_17).

cluster (1.36): metrics-server v0.9.0 reaching kubelets by InternalIP with verified TLS (every
node's serving certificate checked with OpenSSL against the cluster CA), its APIService Available
as the aggregator reports it; Headlamp on its NodePort with a TokenRequest token. cluster_1_17:
metrics-server v0.3.6 (no args upstream: the role's list) with the serving certificates approved
through certificates.k8s.io/v1beta1, the Dashboard v2.0.0 with the token of its generated Secret.
In both, the token file is 0600 on the controller, the API authenticates it as the admin
ServiceAccount (the real kubectl with --token), and it is in no Ansible log."""

import json
import os
import stat

import pytest
import testinfra

from conftest import enabled_addons


@pytest.fixture(autouse=True)
def _addons_of_this_scenario():
    missing = [n for n in ("metrics", "dashboard") if n not in enabled_addons()]
    if missing:
        pytest.skip("not in this scenario's cluster_addons: %s" % ", ".join(missing))


testinfra_hosts = ["master"]
KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin.conf "
OLD = os.environ.get("MOLECULE_SCENARIO_NAME") == "cluster_1_17"
# What each scenario's inventory chose (molecule.yml): the UI, its namespace, Service and admin.
UI = ({"name": "dashboard", "namespace": "kubernetes-dashboard", "service": "kubernetes-dashboard", "admin": "admin-user"}
      if OLD else {"name": "headlamp", "namespace": "kube-system", "service": "headlamp", "admin": "headlamp-admin"})


def get(host, what):
    return json.loads(host.check_output(KUBECTL + "get %s -o json" % what))


def node_host(host, name):
    return testinfra.get_host("ansible://%s" % name, ansible_inventory=host.backend.ansible_inventory)


def token_file():
    return os.path.join(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"], "%s-admin.token" % UI["name"])


def test_metrics_server_reaches_kubelets_by_internal_ip_and_verifies_them(host):
    deployment = get(host, "deployment metrics-server -n kube-system")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["args"][0] == "--kubelet-preferred-address-types=InternalIP"
    assert not [a for a in container["args"] if a.startswith("--kubelet-insecure-tls")]
    # the release's image (v0.9.0: not the base's placeholder)
    assert container["image"] == ("registry:5000/metrics-server-amd64:v0.3.6" if OLD
                                  else "registry:5000/metrics-server/metrics-server:v0.9.0")
    if OLD:  # the image's defaults made explicit where the role created the list
        assert container["args"][1:] == ["--cert-dir=/tmp"]
    assert deployment["status"]["readyReplicas"] == 1


def test_one_metrics_api_and_it_is_available(host):
    services = [a for a in get(host, "apiservices")["items"] if a["spec"].get("group") == "metrics.k8s.io"]
    assert [a["metadata"]["name"] for a in services] == ["v1beta1.metrics.k8s.io"]
    available = [c for c in services[0]["status"]["conditions"] if c["type"] == "Available"][0]
    assert (available["status"], available["reason"]) == ("True", "Passed")
    service = services[0]["spec"]["service"]
    # port: the API server defaults it to 443; the emulator leaves it out
    assert (service["name"], service["namespace"], service.get("port", 443)) == ("metrics-server", "kube-system", 443)


@pytest.mark.parametrize("node", ["master", "worker1", "worker2"])
def test_every_kubelet_serving_certificate_is_signed_by_the_cluster_ca(host, node):
    target = node_host(host, node)
    check = target.run("openssl verify -CAfile /etc/kubernetes/pki/ca.crt /var/lib/kubelet/pki/kubelet-server-current.pem")
    assert check.rc == 0 and check.stdout.strip().endswith(": OK"), check.stdout + check.stderr
    subject = target.check_output("openssl x509 -noout -subject -in /var/lib/kubelet/pki/kubelet-server-current.pem")
    assert "CN = system:node:%s" % node in subject or "CN=system:node:%s" % node in subject, subject


def test_the_ui_service_is_on_its_node_port(host):
    service = get(host, "service %s -n %s" % (UI["service"], UI["namespace"]))
    assert service["spec"]["type"] == "NodePort" and service["spec"]["ports"][0]["nodePort"] == 30001


def test_the_ui_runs_from_the_private_registry_at_a_pinned_tag(host):
    pods = [p for p in get(host, "pods -n %s" % UI["namespace"])["items"]
            if any(c["name"] in ("headlamp", "kubernetes-dashboard") for c in p["spec"]["containers"])]
    assert len(pods) == 1 and pods[0]["status"]["phase"] == "Running"
    image = pods[0]["spec"]["containers"][0]["image"]
    assert image == ("registry:5000/kubernetesui/dashboard:v2.0.0" if OLD else "registry:5000/headlamp-k8s/headlamp:v0.45.0")


def test_the_admin_service_account_is_bound_to_cluster_admin(host):
    binding = get(host, "clusterrolebinding %s" % UI["admin"])
    assert binding["roleRef"]["name"] == "cluster-admin"
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": UI["admin"], "namespace": UI["namespace"]}]


def test_the_token_file_is_private_and_the_api_takes_it_as_the_admin(host):
    mode = stat.S_IMODE(os.stat(token_file()).st_mode)
    assert mode == 0o600, oct(mode)
    with open(token_file(), encoding="utf-8") as handle:
        token = handle.read().strip()
    assert token.count(".") == 2
    server = host.check_output(KUBECTL + "config view -o jsonpath='{.clusters[0].cluster.server}'")
    call = "kubectl --server %s --certificate-authority /etc/kubernetes/pki/ca.crt --token %s " % (server, token)
    expected = "system:serviceaccount:%s:%s" % (UI["namespace"], UI["admin"])
    if OLD:
        # 1.17 serves no SelfSubjectReview: a request with the token, then who the API says it is
        assert host.run(call + "get --raw /version").rc == 0
        review = json.loads(host.check_output(
            "echo '%s' | " % json.dumps({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                                         "spec": {"token": token}})
            + KUBECTL + "create --raw /apis/authentication.k8s.io/v1/tokenreviews -f -"))
        assert review["status"]["authenticated"] is True and review["status"]["user"]["username"] == expected
    else:
        whoami = json.loads(host.check_output(call + "auth whoami -o json"))
        assert whoami["status"]["userInfo"]["username"] == expected
    assert host.run(call.replace(token, token[:-4] + "AAAA") + "get --raw /version").rc != 0  # a tampered one is not


def test_the_token_is_in_no_ansible_log():
    log = os.path.join(os.environ["MOLECULE_PROJECT_DIRECTORY"], ".cache", "molecule-logs",
                       os.environ["MOLECULE_SCENARIO_NAME"] + ".log")
    with open(log, encoding="utf-8") as handle:
        text = handle.read()
    with open(token_file(), encoding="utf-8") as handle:
        token = handle.read().strip()
    assert "log in with the token in %s" % token_file() in text  # the closing message is in this log
    assert token not in text and token.split(".")[2] not in text


def test_the_hpa_example_uses_the_releases_api(host):
    version = "autoscaling/v1" if OLD else "autoscaling/v2"
    hpa = json.loads(host.check_output(KUBECTL + "get horizontalpodautoscalers.%s.autoscaling php-apache -n default -o json"
                                       % version.split("/")[1]))
    assert hpa["apiVersion"] == version
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (1, 10)
    if OLD:
        assert hpa["spec"]["targetCPUUtilizationPercentage"] == 50
    else:
        assert hpa["spec"]["metrics"][0]["resource"]["target"] == {"type": "Utilization", "averageUtilization": 50}
    deployment = get(host, "deployment php-apache -n default")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["resources"]["requests"]["cpu"] == "200m" and container["image"] == "registry:5000/library/nginx:1.27"
    assert deployment["status"]["readyReplicas"] == 1
