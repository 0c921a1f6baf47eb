"""Rollout failures explained: workload, Pod, image."""

from ansible_collections.helmsman.kubeadm.plugins.module_utils import rollout

LABELS = {"app": "flannel"}


def daemonset(ready=1, desired=3):
    return {"kind": "DaemonSet", "metadata": {"name": "kube-flannel-ds", "namespace": "kube-flannel"},
            "spec": {"selector": {"matchLabels": LABELS}},
            "status": {"numberReady": ready, "desiredNumberScheduled": desired}}


def pod(name, node=None, waiting=None, init_waiting=None, conditions=(), labels=None, message=None):
    labels = LABELS if labels is None else labels
    status = {"conditions": list(conditions)}
    if waiting:
        status["containerStatuses"] = [{"name": "main", "image": "registry:5000/flannel:v1", "state": {"waiting": waiting}}]
    if init_waiting:
        status["initContainerStatuses"] = [{"name": "init", "image": "registry:5000/cni:v1",
                                            "state": {"waiting": init_waiting}}]
    if message:
        status["message"] = message
    spec = {"nodeName": node} if node else {}
    return {"metadata": {"name": name, "namespace": "kube-flannel", "labels": labels}, "spec": spec, "status": status}


def test_workloads_in_order_with_default_namespace():
    objects = [{"kind": "ConfigMap", "metadata": {"name": "c"}}, {"kind": "Job", "metadata": {"name": "j"}},
               {"kind": "DaemonSet", "metadata": {"name": "d", "namespace": "n"}}]
    assert rollout.workloads(objects) == [("Job", "default", "j"), ("DaemonSet", "n", "d")]


def test_pull_failures_name_pod_node_and_image():
    pods = [pod("a", "worker1", waiting={"reason": "ImagePullBackOff", "message": 'Back-off pulling image "x"'}),
            pod("b", "worker2", init_waiting={"reason": "ErrImagePull", "message": "not found"}),
            pod("other", "worker2", waiting={"reason": "ErrImagePull"}, labels={"app": "other"})]
    text = rollout.rollout_problems(daemonset(), pods)
    assert text.startswith("DaemonSet kube-flannel/kube-flannel-ds did not finish rolling out (1 of 3 Pods ready): ")
    assert "Pod kube-flannel/a on worker1: image registry:5000/flannel:v1 could not be pulled (ImagePullBackOff)" in text
    assert "Pod kube-flannel/b on worker2: image registry:5000/cni:v1 could not be pulled (ErrImagePull): not found" in text
    assert "other" not in text


def test_unschedulable_and_sandbox_problems():
    pods = [pod("a", conditions=[{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                  "message": "0/3 nodes are available"}]),
            pod("b", "w", message="Failed to create pod sandbox: pause missing")]
    text = rollout.rollout_problems(daemonset(), pods)
    assert "Pod kube-flannel/a is not scheduled (Unschedulable): 0/3 nodes are available" in text
    assert "Pod kube-flannel/b on w: Failed to create pod sandbox: pause missing" in text


def test_jobs_by_job_name_and_no_pods():
    job = {"kind": "Job", "metadata": {"name": "create", "namespace": "kube-flannel"}, "spec": {"completions": 1},
           "status": {}}
    mine = pod("create-x", "w", waiting={"reason": "ErrImagePull", "message": "m"}, labels={"job-name": "create"})
    assert "(0 of 1 completions)" in rollout.rollout_problems(job, [mine])
    assert "image registry:5000/flannel:v1" in rollout.rollout_problems(job, [mine])
    deployment = {"kind": "Deployment", "metadata": {"name": "web", "namespace": "kube-flannel"},
                  "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}}, "status": {}}
    assert rollout.rollout_problems(deployment, []).endswith("(0 of 2 replicas available): no Pod was created for it")
    running = pod("web-1", "w", labels={"app": "web"})
    assert "still starting" in rollout.rollout_problems(deployment, [running])


def test_match_expressions_select():
    ds = daemonset()
    ds["spec"]["selector"] = {"matchExpressions": [{"key": "app", "operator": "In", "values": ["flannel"]}]}
    assert "Pod kube-flannel/a" in rollout.rollout_problems(ds, [pod("a", "w", waiting={"reason": "ErrImagePull"})])


def test_apply_results_for_one_and_many_objects():
    results = [{"changed": True, "diff": {"before": 1}, "result": {"kind": "A"}},
               {"changed": False, "diff": {}, "result": {"kind": "B"}}]
    many = {"changed": True, "result": {"results": results}}
    assert [r["result"]["kind"] for r in rollout.apply_results(many)] == ["A", "B"]
    one = {"changed": True, "diff": {"after": 2}, "result": {"kind": "C"}}
    assert rollout.apply_results(one) == [{"changed": True, "diff": {"after": 2}, "result": {"kind": "C"}}]
    assert rollout.apply_results({"skipped": True, "changed": False}) == []
    assert rollout.apply_results({}) == []


def test_ready_and_pending_by_kubernetes_core_rules():
    meta = {"name": "x", "namespace": "n", "generation": 2}
    deployment = {"kind": "Deployment", "metadata": meta, "spec": {"replicas": 2},
                  "status": {"observedGeneration": 2, "replicas": 2, "availableReplicas": 2}}
    assert rollout.ready(deployment)
    stale = dict(deployment, status=dict(deployment["status"], observedGeneration=1))
    assert not rollout.ready(stale)
    assert not rollout.ready(dict(deployment, status={}))
    ds = {"kind": "DaemonSet", "metadata": meta,
          "status": {"observedGeneration": 2, "desiredNumberScheduled": 3, "updatedNumberScheduled": 3, "numberReady": 3}}
    assert rollout.ready(ds) and not rollout.ready(dict(ds, status=dict(ds["status"], numberReady=2)))
    job = {"kind": "Job", "metadata": meta, "status": {"conditions": [{"type": "Complete", "status": "True"}]}}
    crd = {"kind": "CustomResourceDefinition", "metadata": {"name": "c"}, "status": {}}
    assert rollout.ready(job) and not rollout.ready(crd)
    assert rollout.pending([deployment, stale, ds, job, crd, {"kind": "ConfigMap", "metadata": meta}]) == \
        [{"kind": "Deployment", "namespace": "n", "name": "x"}]
    expected = [{"kind": "CustomResourceDefinition", "namespace": "default", "name": "c"}]
    assert rollout.pending([crd], ("CustomResourceDefinition",)) == expected
