"""NFS exports for both servers and the PersistentVolumes on them."""

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import nfs

EXPORTS = [{"path": "/srv/nfs/data", "clients": ["10.0.0.0/24", "master"], "options": ["rw", "sync", "no_root_squash"]}]


def test_exports_file_lists_every_client_with_the_options():
    text = nfs.exports_file(EXPORTS)
    assert text.splitlines()[1] == "/srv/nfs/data 10.0.0.0/24(rw,sync,no_root_squash) master(rw,sync,no_root_squash)"


def test_ganesha_conf_is_nfs4_only_without_rpcbind_and_pseudo_equals_path():
    text = nfs.ganesha_conf(EXPORTS)
    assert "    Protocols = 4;\n    Enable_NLM = false;\n    Enable_UDP = false;\n    Enable_RQUOTA = false;" in text
    assert "Graceless = false;" in text and "Graceless = true;" in nfs.ganesha_conf(EXPORTS, graceless=True)
    assert "    Path = /srv/nfs/data;\n    Pseudo = /srv/nfs/data;" in text
    assert "        Clients = 10.0.0.0/24, master;\n        Access_Type = RW;\n        Squash = No_Root_Squash;" in text
    assert "    FSAL {\n        Name = VFS;\n    }" in text
    assert text.count("{") == text.count("}") == 5
    ro = nfs.ganesha_conf([{"path": "/e", "clients": ["*"], "options": ["ro"]}])
    assert "Access_Type = RO;" in ro and "Squash = Root_Squash;" in ro and "Export_Id = 1;" in ro


@pytest.mark.parametrize("exports,fragment", [
    ([], "non-empty list"),
    ([{"path": "srv", "clients": ["a"]}], "nfs_pv_exports[0].path: 'srv' is not an absolute path"),
    ([{"path": "/srv/../etc", "clients": ["a"]}], "is not an absolute path"),
    ([{"path": "/srv/", "clients": ["a"]}], "trailing"),
    ([{"path": "/srv", "clients": []}], "nfs_pv_exports[0].clients"),
    ([{"path": "/srv", "clients": ["a b"]}], "'a b' is not a host name"),
    ([{"path": "/srv", "clients": ["a"], "options": ["rw;rm"]}], "not an exports(5) option"),
    ([{"path": "/srv", "clients": ["a"]}, {"path": "/srv", "clients": ["b"]}], "exported twice"),
])
def test_bad_exports_are_named(exports, fragment):
    problems = nfs.export_problems(exports)
    assert any(fragment in p for p in problems), problems
    with pytest.raises(nfs.NfsError):
        nfs.exports_file(exports)


def test_volume_objects_pre_bind_the_claim():
    volumes = [{"name": "nfs-pv", "export": "/srv/nfs/data", "capacity": "10Gi",
                "claim": {"name": "nfs-pvc", "namespace": "apps"}}]
    objects = nfs.volume_objects(volumes, "192.0.2.10", EXPORTS)
    assert [o["kind"] for o in objects] == ["Namespace", "PersistentVolume", "PersistentVolumeClaim"]
    pv, pvc = objects[1], objects[2]
    assert pv["spec"]["nfs"] == {"server": "192.0.2.10", "path": "/srv/nfs/data"}
    assert pv["spec"]["accessModes"] == ["ReadWriteMany"] and pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert pv["spec"]["mountOptions"] == ["nfsvers=4.1"] and pv["spec"]["storageClassName"] == ""
    assert pv["spec"]["claimRef"]["name"] == "nfs-pvc" and pvc["spec"]["volumeName"] == "nfs-pv"
    assert pvc["spec"]["resources"]["requests"]["storage"] == "10Gi" and pvc["spec"]["storageClassName"] == ""
    plain = nfs.volume_objects([{"name": "v", "export": "/srv/nfs/data", "capacity": "1Gi", "mount_options": []}],
                               "nfs", EXPORTS)
    assert [o["kind"] for o in plain] == ["PersistentVolume"] and "mountOptions" not in plain[0]["spec"]


@pytest.mark.parametrize("volume,fragment", [
    ({"name": "v", "export": "/srv/nfs/data", "capacity": "ten gigs"}, "nfs_pv_volumes[0].capacity: 'ten gigs'"),
    ({"name": "v", "export": "/elsewhere", "capacity": "1Gi"}, "nfs_pv_volumes[0].export: '/elsewhere'"),
    ({"name": "V_1", "export": "/srv/nfs/data", "capacity": "1Gi"}, "is not a Kubernetes object name"),
    ({"name": "v", "export": "/srv/nfs/data", "capacity": "1Gi", "access_modes": ["RWX"]}, "'RWX' is not one of"),
    ({"name": "v", "export": "/srv/nfs/data", "capacity": "1Gi", "reclaim_policy": "Keep"}, "reclaim_policy"),
    ({"name": "v", "export": "/srv/nfs/data", "capacity": "1Gi", "claim": {"name": "c"}}, "claim"),
])
def test_bad_volumes_are_named(volume, fragment):
    problems = nfs.volume_problems([volume], EXPORTS)
    assert any(fragment in p for p in problems), problems
    with pytest.raises(nfs.NfsError):
        nfs.volume_objects([volume], "nfs", EXPORTS)


def test_quantities():
    for good in ("10Gi", "500Mi", "1.5Ti", "100", "2G"):
        assert not nfs.volume_problems([{"name": "v", "export": "/e", "capacity": good}], [{"path": "/e"}])
