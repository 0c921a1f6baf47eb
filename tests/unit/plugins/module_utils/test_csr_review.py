"""csr_review: the approval loop over a fake API, and the parameter checks."""

import pytest

from ansible_collections.helmsman.kubeadm.plugins.module_utils import csr_policy, csr_review
from tests import csr_cases


class FakeAPI(object):
    def __init__(self, csrs, issue=True):
        self.csrs = {c["metadata"]["name"]: c for c in csrs}
        self.issue = issue
        self.updates = []

    def list_csrs(self):
        return list(self.csrs.values())

    def list_nodes(self):
        return [csr_cases.node_object(name) for name in sorted(csr_cases.NODES)]

    def update_approval(self, csr):
        self.updates.append(csr["metadata"]["name"])
        if self.issue and csr["status"]["conditions"][-1]["type"] == "Approved":
            csr = dict(csr, status=dict(csr["status"], certificate="LS0tLS1CRUdJTi0tLS0t"))
        self.csrs[csr["metadata"]["name"]] = csr
        return csr


PARAMS = dict(nodes=csr_cases.ALLOWED, node_addresses={}, max_expiration_seconds=csr_policy.DEFAULT_MAX_EXPIRATION_SECONDS,
              deny=False, wait_for_nodes=[], wait_timeout=5, poll_interval=0)


def stored(name):
    return csr_cases.as_stored(next(c for c in csr_cases.FORGED + csr_cases.GENUINE if c["name"] == name))


def test_genuine_approved_forged_skipped_and_check_mode_writes_nothing():
    api = FakeAPI([stored("genuine-worker1-ecdsa"), stored("ip-san-of-another-node")])
    preview = csr_review.run(PARAMS, api, check_mode=True)
    assert preview["approved"] == ["csr-genuine-worker1-ecdsa"] and api.updates == []
    result = csr_review.run(PARAMS, api, check_mode=False)
    assert result["approved"] == ["csr-genuine-worker1-ecdsa"] and result["issued_nodes"] == ["worker1"]
    assert {e["name"]: e["action"] for e in result["csrs"]}["csr-ip-san-of-another-node"] == "skipped"
    assert csr_review.run(PARAMS, api, check_mode=False)["changed"] is False


def test_waiting_times_out_naming_the_missing_nodes():
    api = FakeAPI([stored("genuine-worker1-ecdsa")], issue=False)
    ticks = iter(range(100))
    with pytest.raises(csr_review.ReviewError, match="waiting for kubelet serving certificates of: worker1") as err:
        csr_review.run(dict(PARAMS, wait_for_nodes=["worker1"]), api, check_mode=False,
                       clock=lambda: next(ticks), sleep=lambda _s: None)
    assert err.value.result["approved"] == ["csr-genuine-worker1-ecdsa"]


def test_parameter_problems():
    assert csr_review.parameter_problems(PARAMS) == []
    assert csr_review.parameter_problems(dict(PARAMS, node_addresses={"worker1": "10.0.0.11"})) == [
        "node_addresses['worker1'] must be a list of strings"]
    assert "worker3" in csr_review.parameter_problems(dict(PARAMS, wait_for_nodes=["worker3"]))[0]


@pytest.mark.parametrize("versions,expected", [
    (["v1"], "v1"),
    (["v1", "v1beta1"], "v1"),  # 1.19 to 1.21 serve both
    (["v1beta1"], "v1beta1"),  # before 1.19
])
def test_pick_version(versions, expected):
    group = {"kind": "APIGroup", "name": "certificates.k8s.io", "versions": [{"version": v} for v in versions]}
    assert csr_review.pick_version(group) == expected


def test_pick_version_names_what_is_served_when_nothing_fits():
    with pytest.raises(ValueError, match="v2alpha1"):
        csr_review.pick_version({"versions": [{"version": "v2alpha1"}]})
