import os

import pytest
import yaml

from ansible_collections.helmsman.kubeadm.plugins.module_utils import addons, bundle_build as bb, kube_versions

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
SHA = "a" * 64


def test_pinned_files_fetched_from_the_longest_matching_mirror_keep_their_pinned_source_and_sha256():
    pinned = addons.release("flannel", "v0.28.9")["files"][0]
    mirrors = {"https://raw.githubusercontent.com/": "http://m.example/raw/",
               "https://raw.githubusercontent.com/flannel-io/": "http://m.example/flannel/"}
    plan = bb.manifest_plan({"flannel": "v0.28.9"}, mirrors=mirrors)
    assert plan == [{"addon": "flannel", "version": "v0.28.9", "name": pinned["name"],
                     "path": "manifests/flannel/v0.28.9/" + pinned["name"], "source": pinned["url"], "sha256": pinned["sha256"],
                     "url": "http://m.example/flannel/" + pinned["url"][len("https://raw.githubusercontent.com/flannel-io/"):]}]


def test_own_files_replace_the_pinned_ones_under_their_names_and_are_checked():
    names = [f["name"] for f in addons.release("metrics-server", "v0.9.0")["files"]]
    own = [{"name": n, "url": "http://x.example/" + n, "sha256": SHA} for n in names]
    plan = bb.manifest_plan({"metrics-server": "v0.9.0"}, overrides={"metrics-server": own})
    assert [p["source"] for p in plan] == [o["url"] for o in own] and all(p["sha256"] == SHA for p in plan)
    with pytest.raises(bb.BuildError, match=r"bundle_manifest_files.metrics-server: give exactly the files"):
        bb.manifest_plan({"metrics-server": "v0.9.0"}, overrides={"metrics-server": own[:1]})
    with pytest.raises(bb.BuildError, match=r"sha256 must be 64"):
        bb.manifest_plan({"metrics-server": "v0.9.0"}, overrides={"metrics-server": [dict(own[0], sha256="x")] + own[1:]})
    with pytest.raises(bb.BuildError, match=r"url must be an http"):
        bb.manifest_plan({"metrics-server": "v0.9.0"}, overrides={"metrics-server": [dict(own[0], url="ftp://x/y")] + own[1:]})
    with pytest.raises(bb.BuildError, match=r"names add-ons this bundle does not carry: flannel"):
        bb.manifest_plan({"metrics-server": "v0.9.0"}, overrides={"flannel": own})
    with pytest.raises(bb.BuildError, match=r"bundle_manifest_mirrors"):
        bb.manifest_plan({"metrics-server": "v0.9.0"}, mirrors=["http://x"])


def test_source_refs_follow_the_registry_mirrors():
    mirrors = {"docker.io": "m.example:5000/hub/", "registry.k8s.io": "m.example:5000/k8s"}
    assert bb.source_ref("grafana/grafana:13.0.2", mirrors) == "m.example:5000/hub/grafana/grafana:13.0.2"
    assert bb.source_ref("nginx:1.27", mirrors) == "m.example:5000/hub/library/nginx:1.27"
    assert bb.source_ref("registry.k8s.io/a/b:v1@sha256:" + SHA, mirrors) == "m.example:5000/k8s/a/b@sha256:" + SHA
    assert bb.source_ref("quay.io/x/y:1", mirrors) == "quay.io/x/y:1"
    assert bb.archive_path("registry.k8s.io/a/b:v1@sha256:" + SHA) == "images/registry.k8s.io_a_b_v1_sha256_%s.tar" % SHA


def test_media_types_and_archive_formats():
    assert bb.media_type({"mediaType": "application/vnd.docker.distribution.manifest.v2+json"}).endswith("v2+json")
    assert bb.media_type({"config": {"mediaType": "application/vnd.oci.image.config.v1+json"}}) == bb.OCI_TYPES[0]
    assert bb.media_type({"manifests": []}) == bb.OCI_TYPES[1]
    assert bb.archive_transport(bb.OCI_TYPES[0]) == "oci-archive"
    assert bb.archive_transport("application/vnd.docker.distribution.manifest.v2+json") == "docker-archive"


def test_apt_outputs_are_read():
    madison = ("   kubeadm | 1.36.4-1.1 | http://m/ ./ Packages\n   kubeadm | 1.36.3-1.1 | http://m/ ./ Packages\n"
               "   kubeadm |  1.17.6-00 | http://m/ ./ Packages\n")
    versions = bb.madison_versions(madison)
    assert versions == ["1.36.4-1.1", "1.36.3-1.1", "1.17.6-00"]
    assert bb.pick_version("kubeadm", "1.36.*", versions) == "1.36.4-1.1"
    assert bb.pick_version("kubeadm", "1.17.6-*", versions) == "1.17.6-00"
    with pytest.raises(bb.BuildError, match=r"kubeadm: no version matching 1.35.1-\* .*1.36.4-1.1"):
        bb.pick_version("kubeadm", "1.35.1-*", versions)
    uris = ("'http://m/./ipvsadm_1%253a1.31-1%2bb1_amd64.deb' ipvsadm_1%3a1.31-1+b1_amd64.deb 41584 \n"
            "'http://m/pool/k/kubeadm_1.36.4-1.1_all.deb' kubeadm_1.36.4-1.1_all.deb 15688 SHA256:" + SHA + "\n"
            "Reading package lists...\n")
    found = bb.print_uris(uris)
    assert [u["file"] for u in found] == ["ipvsadm_1%3a1.31-1+b1_amd64.deb", "kubeadm_1.36.4-1.1_all.deb"]
    assert bb.deb_request(found[0]["file"]) == "ipvsadm=1:1.31-1+b1"
    show = "Package: ipvsadm\nVersion: 1:1.31-1+b1\nDescription: x\n more\nSHA256: %s\n\nPackage: y\nVersion: 1\n" % SHA.upper()
    assert bb.index_hashes(show) == {"ipvsadm=1:1.31-1+b1": SHA}
    status = ("Package: libc6\nStatus: install ok installed\n\nPackage: gone\nStatus: deinstall ok config-files\n\n"
              "Package: held\nStatus: hold ok installed\n")
    assert bb.installed(status) == {"libc6", "held"}


def test_the_site_images_are_the_completeness_functions_plus_the_control_plane_and_extras():
    objects = {"x": [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                      "spec": {"containers": [{"name": "c", "image": "quay.io/a/b:1"}]}}]}
    needed = bb.site_images("1.36.4", objects, ["docker.io/library/nginx:1.27"])
    assert needed["quay.io/a/b:1"] == ["x"] and needed["docker.io/library/nginx:1.27"] == ["extra"]
    assert set(kube_versions.control_plane_images("1.36.4")) <= set(needed)
    # the CoreDNS tag the site gives kubeadm is the one carried
    tagged = bb.site_images("1.36.3", objects, [], {"dns": {"imageTag": "v1.14.3"}})
    assert "registry.k8s.io/coredns/coredns:v1.14.3" in tagged and "registry.k8s.io/coredns/coredns:v1.14.2" not in tagged
    with pytest.raises(Exception, match="invalid|malformed"):
        bb.site_images("1.36.4", {}, ["Bad Ref"])


def test_problems_name_every_gap():
    plan = [{"path": "manifests/a/1/x.yaml", "addon": "a", "version": "1", "url": "http://u/x.yaml", "sha256": SHA}]
    assert bb.problems({"quay.io/a/b:1": ["x"]}, [{"image": "quay.io/a/b:1"}], plan,
                       [{"path": "manifests/a/1/x.yaml", "sha256": SHA}], [], set()) == []
    found = bb.problems({"quay.io/a/b:1": ["x"]}, [], plan, [{"path": "manifests/a/1/x.yaml", "sha256": "b" * 64}],
                        ["kubeadm=1.36.4-1.1"], set())
    assert found == ["image quay.io/a/b:1 (needed by x) has no archive",
                     "manifests/a/1/x.yaml has sha256 %s, expected %s" % ("b" * 64, SHA),
                     "package kubeadm=1.36.4-1.1 has no .deb"]
    assert "was not fetched from http://u/x.yaml" in bb.problems({}, [], plan, [], [], set())[0]
    doc = bb.document([{"type": "manifest", "path": "m"}, {"type": "image", "path": "i"}, {"type": "deb", "path": "d"}])
    assert [e["type"] for e in doc["files"]] == ["deb", "image", "manifest"] and doc["kind"] == "Bundle"


def test_the_builders_defaults_are_the_roles():
    """playbooks/bundle.yml falls back to literals where the roles' defaults are not in scope:
    they must be the roles' own defaults."""
    with open(os.path.join(ROOT, "playbooks", "bundle.yml"), encoding="utf-8") as handle:
        text = handle.read()
    play_vars = yaml.safe_load(text)[0]["vars"]

    def default(role, name):
        with open(os.path.join(ROOT, "roles", role, "defaults", "main.yml"), encoding="utf-8") as handle:
            return yaml.safe_load(handle)[name]

    def literal(value):
        return "default(%s)" % (repr(value) if not isinstance(value, list) else "[%s]" % ", ".join(repr(v) for v in value))

    for role, name in [("base_prep", "base_prep_packages"), ("container_runtime", "container_runtime_containerd_packages"),
                       ("container_runtime", "container_runtime_docker_packages"),
                       ("container_runtime", "container_runtime_cri_dockerd_package"), ("master", "master_packages"),
                       ("node", "node_packages"), ("cluster", "cluster_kubernetes_version"), ("cluster", "cluster_container_runtime"),
                       ("cluster", "cluster_addons"), ("nfs_pv", "nfs_pv_server")]:
        assert "%s | %s" % (name, literal(default(role, name))) in text, name
    with open(os.path.join(ROOT, "roles", "nfs_pv", "vars", "main.yml"), encoding="utf-8") as handle:
        assert "nfs_pv_ganesha_packages | %s" % literal(yaml.safe_load(handle)["nfs_pv_ganesha_packages"]) in text
    with open(os.path.join(ROOT, "playbooks", "examples.yml"), encoding="utf-8") as handle:
        examples = yaml.safe_load(handle)[0]["vars"]
    assert sorted(play_vars["bundle_examples_images"]) == sorted(
        {examples["examples_image"], examples["examples_busybox_image"], examples["examples_hpa_image"], examples["examples_hpa_load_image"]})
