"""The runbook's workloads (playbooks/examples.yml) on a converged cluster (scenarios cluster and
cluster_1_17), read through the API: placement by nodeName, by the inventory's labels and on the
node whose inventory taint a Pod tolerates; the Deployment scaled to three; the DaemonSet on every
node; the Job complete; the CronJob, the Services and the Ingress with two host rules in the
release's API versions (the HPA's: test_metrics_dashboard.py); the nginx configuration from a
ConfigMap; the NFS claim Bound and mounted. That their images came from the private registry and were pulled by the nodes' real
runtimes is test_addons.py's check (its Pod list includes these)."""

import json
import os

import pytest

from conftest import runs_examples

testinfra_hosts = ["master"]
KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin.conf "
OLD = os.environ.get("MOLECULE_SCENARIO_NAME") == "cluster_1_17"


@pytest.fixture(autouse=True)
def _examples_converged():
    if not runs_examples():
        pytest.skip("playbooks/examples.yml is not part of this scenario's converge")


def get(host, what):
    return json.loads(host.check_output(KUBECTL + "get %s -o json" % what))


def pod(host, name):
    return get(host, "pod %s -n default" % name)


def running(obj):
    return obj["status"]["phase"] == "Running" and all(s["ready"] for s in obj["status"]["containerStatuses"])


def test_placement_by_node_name_labels_and_a_tolerated_taint(host):
    # molecule.yml: worker1 carries dedicated=edge:NoSchedule and tier=web, worker2 tier=batch
    by_name = pod(host, "examples-nodename")
    assert by_name["spec"]["nodeName"] == "worker2" and running(by_name)
    selected = pod(host, "examples-nodeselector")
    assert selected["spec"]["nodeSelector"] == {"tier": "batch"}
    assert selected["spec"]["nodeName"] == "worker2" and running(selected)
    tolerating = pod(host, "examples-toleration")
    assert {"key": "dedicated", "operator": "Equal", "value": "edge", "effect": "NoSchedule"} in tolerating["spec"]["tolerations"]
    assert tolerating["spec"]["nodeName"] == "worker1" and running(tolerating)
    # the taint keeps everything else off worker1: the Deployment's Pods are all elsewhere
    web = get(host, "pods -n default -l app=examples-web")["items"]
    assert len(web) == 3 and "worker1" not in {p["spec"]["nodeName"] for p in web}


def test_the_deployment_was_scaled_to_three_by_the_scale_subresource(host):
    deployment = get(host, "deployment examples-web -n default --show-managed-fields")
    assert deployment["spec"]["replicas"] == 3 and deployment["status"]["readyReplicas"] == 3
    applied = [m for m in deployment["metadata"]["managedFields"] if m["manager"] == "helmsman-kubeadm" and m["operation"] == "Apply"]
    assert applied and "f:replicas" not in json.dumps(applied), "the apply must leave replicas to the scale"


def test_daemonset_job_and_cronjob(host):
    daemonset = get(host, "daemonset examples-daemon -n default")["status"]
    assert daemonset["desiredNumberScheduled"] == daemonset["numberReady"] == 3
    assert get(host, "job examples-job -n default")["status"].get("succeeded") == 1
    cron = get(host, "cronjob examples-cron -n default")
    assert cron["apiVersion"] == ("batch/v1beta1" if OLD else "batch/v1") and cron["spec"]["schedule"] == "*/10 * * * *"


def test_services_of_three_kinds_and_an_ingress_with_two_hosts(host):
    assert get(host, "service examples-web -n default")["spec"]["type"] == "ClusterIP"
    node_port = get(host, "service examples-web-nodeport -n default")["spec"]
    assert node_port["type"] == "NodePort" and node_port["ports"][0]["nodePort"] == 30090
    assert get(host, "service examples-web-headless -n default")["spec"]["clusterIP"] == "None"
    ingress = get(host, "ingress examples-ingress -n default")
    hosts = [r["host"] for r in ingress["spec"]["rules"]]
    assert hosts == ["web.example.test", "nodeport.example.test"]
    if OLD:
        assert ingress["metadata"]["annotations"]["kubernetes.io/ingress.class"] == "nginx"
    else:
        assert ingress["spec"]["ingressClassName"] == "nginx"


def test_nginx_configuration_from_a_config_map_and_the_volumes(host):
    web = pod(host, "examples-pod")
    assert running(web)
    volumes = {v["name"]: v for v in web["spec"]["volumes"]}
    assert volumes["conf"]["configMap"]["name"] == "examples-nginx-conf"
    assert "emptyDir" in volumes["cache"] and volumes["logs"]["hostPath"]["path"] == "/var/log/examples-nginx"
    mounts = {m["name"]: m["mountPath"] for m in web["spec"]["containers"][0]["volumeMounts"]}
    assert mounts["conf"] == "/etc/nginx/conf.d"
    assert "listen 80;" in get(host, "configmap examples-nginx-conf -n default")["data"]["default.conf"]


def test_a_pod_mounts_the_nfs_claim(host):
    assert get(host, "pvc nfs-pvc -n default")["status"]["phase"] == "Bound"
    nfs = pod(host, "examples-nfs")
    assert nfs["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"] == "nfs-pvc" and running(nfs)
