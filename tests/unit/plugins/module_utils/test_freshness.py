"""freshness: a service started before its configuration was written runs an older one."""

import os

from ansible_collections.helmsman.kubeadm.plugins.module_utils import freshness


def show(state="active", entered_us=0):
    return lambda unit: "ActiveState=%s\nActiveEnterTimestampMonotonic=%d\n" % (state, entered_us)


def test_service_started_before_the_config_was_written_is_due(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("x")
    os.utime(str(config), (1000.0, 1000.0))
    # now: wall 2000 / monotonic 500; the service entered active at monotonic 400 = wall 1900
    result = freshness.check_service("containerd", [str(config)], show(entered_us=400 * 10**6),
                                     clock=lambda: 2000.0, monotonic=lambda: 500.0)
    assert result["changed"] is False and result["pending"] is False
    # the config written at wall 1950, after the start: due
    os.utime(str(config), (1950.0, 1950.0))
    result = freshness.check_service("containerd", [str(config)], show(entered_us=400 * 10**6),
                                     clock=lambda: 2000.0, monotonic=lambda: 500.0)
    assert result["changed"] is True and result["source"] == str(config)
    assert "service containerd is older than %s" % config in result["msg"]


def test_inactive_service_and_missing_sources_are_not_due(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("x")
    assert freshness.check_service("x", [str(config)], show("inactive", 0))["changed"] is False
    assert freshness.check_service("x", [str(config)], show("active", 0))["changed"] is False
    assert freshness.check_service("x", [str(tmp_path / "nope")], show("active", 10**6))["changed"] is False


def test_newest_of_several_sources_counts(tmp_path):
    old, new = tmp_path / "a", tmp_path / "b"
    old.write_text("a")
    new.write_text("b")
    os.utime(str(old), (100.0, 100.0))
    os.utime(str(new), (300.0, 300.0))
    assert freshness.newest_change([str(old), str(new), str(tmp_path / "missing")]) == (300.0, str(new))


def test_target_older_than_a_source_or_missing_is_due(tmp_path):
    pool = tmp_path / "pool"
    pool.mkdir()
    index = tmp_path / "InRelease"
    assert freshness.check_target(str(index), [str(pool)])["changed"] is True
    index.write_text("signed")
    os.utime(str(index), (500.0, 500.0))
    os.utime(str(pool), (400.0, 400.0))
    assert freshness.check_target(str(index), [str(pool)])["changed"] is False
    (pool / "new.deb").write_bytes(b"deb")  # adding a package moves the folder's mtime to now
    assert freshness.check_target(str(index), [str(pool)])["changed"] is True


def test_systemctl_show_parsing():
    assert freshness.parse_systemctl_show("ActiveState=active\nActiveEnterTimestampMonotonic=5\nnoise\n") == {
        "ActiveState": "active", "ActiveEnterTimestampMonotonic": "5"}
