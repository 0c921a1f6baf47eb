from ansible_collections.helmsman.kubeadm.plugins.module_utils import completeness

REG = "10.0.0.5:5000"


def pod(name, *refs):
    return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": name, "namespace": "x"},
            "spec": {"template": {"spec": {"containers": [{"name": "c%d" % i, "image": r} for i, r in enumerate(refs)]}}}}


ADDONS = {
    "flannel": [pod("flannel", "ghcr.io/acme/flannel:v0.28.9", "ghcr.io/acme/cni:v1.9.1")],
    "ingress": [pod("controller", "registry.k8s.io/acme/controller:v1.15.1@sha256:" + "a" * 64),
                pod("certgen", "registry.k8s.io/acme/certgen:v1.6.9")],
    "extra": [pod("shares-an-image", "ghcr.io/acme/cni:v1.9.1")],
}


def test_required_images_name_who_needs_them():
    needed = completeness.required_images(ADDONS, ["registry.k8s.io/pause:3.10.1"])
    assert needed == {
        "ghcr.io/acme/flannel:v0.28.9": ["flannel"],
        "ghcr.io/acme/cni:v1.9.1": ["extra", "flannel"],
        "registry.k8s.io/acme/controller:v1.15.1@sha256:" + "a" * 64: ["ingress"],
        "registry.k8s.io/acme/certgen:v1.6.9": ["ingress"],
        "registry.k8s.io/pause:3.10.1": ["control plane"],
    }


def test_every_missing_image_is_named_with_its_add_on():
    needed = completeness.required_images(ADDONS, ["registry.k8s.io/pause:3.10.1"])
    present = {REG + "/acme/flannel:v0.28.9": "sha256:" + "1" * 64, REG + "/acme/cni:v1.9.1": None,
               REG + "/pause:3.10.1": "sha256:" + "2" * 64, REG + "/acme/controller:v1.15.1": "sha256:" + "3" * 64}
    problems = completeness.missing_images(needed, REG, present,
                                           {"registry.k8s.io/pause:3.10.1": "sha256:" + "9" * 64})
    assert problems == [
        "registry.k8s.io/acme/certgen:v1.6.9 (needed by ingress) is not in the private registry as "
        + REG + "/acme/certgen:v1.6.9",
        "registry.k8s.io/pause:3.10.1 (needed by control plane) is in the private registry as " + REG
        + "/pause:3.10.1 with digest sha256:" + "2" * 64 + ", expected sha256:" + "9" * 64,
    ]
    present[REG + "/acme/certgen:v1.6.9"] = None
    assert completeness.missing_images(needed, REG, present) == []
