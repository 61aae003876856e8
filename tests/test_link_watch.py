"""Linkwatch's once-a-second limit (ipemu/kernel/link_watch.py, net/core/link_watch.c):
held events, the delayed work on the virtual clock, RTM_GETLINK's sync, and a held
event across a save and restore. The recorded behaviour is in transcripts/kernel/
linkwatch_*.txt; these pin the model's state."""
from __future__ import annotations

import pytest

from ipemu.session import Session


@pytest.fixture(autouse=True)
def _commands_take_no_time(monkeypatch):
    """These pin the model's instants (1.0, 2.0): commands here take no virtual time
    (session.EXEC_TIME, which the transcripts' replay charges per program, is 0)."""
    monkeypatch.setattr("ipemu.session.EXEC_TIME", 0.0)


def run(s: Session, line: str) -> str:
    term, status = s.run_line(line)
    assert status == 0, (line, term.text())
    return term.stream("stdout")


def held_pair() -> Session:
    """eth0 and eth1 share ifindex 2 (eth1 in namespace peer): eth1's carrier-on is
    not urgent and comes within a second of the pair's creation (a full run)."""
    s = Session.create("default", "bare")
    for line in ("ip netns add peer",
                 "ip link add eth0 type veth peer name eth1 netns peer",
                 "ip link set eth0 up", "ip -n peer link set eth1 up"):
        run(s, line)
    return s


def test_a_non_urgent_event_waits_for_the_delayed_work():
    s = held_pair()
    lw = s.host.linkwatch
    eth1 = s.host.namespaces["peer"].by_name("eth1")
    assert lw.waiting == [eth1] and lw.work_when == 1.0
    assert "eth1@if2         DOWN" in run(s, "ip -n peer -br link")
    # its peer's event was urgent (carrier while its qdisc waited): at once
    assert "eth0@if2         UP" in run(s, "ip -br link")
    run(s, "sleep 1")
    assert lw.waiting == [] and lw.nextevent == 2.0
    assert "eth1@if2         UP" in run(s, "ip -n peer -br link")


def test_ip_link_show_dev_runs_the_held_event_a_dump_does_not():
    s = held_pair()
    assert "state DOWN" not in run(s, "ip -n peer link show eth1")
    assert s.host.linkwatch.waiting == []
    assert s.host.linkwatch.nextevent == 1.0     # linkwatch_sync_dev() leaves it


def test_a_held_event_survives_save_and_restore():
    from ipemu.state import dumps, loads
    s = loads(dumps(held_pair()))
    assert len(s.host.linkwatch.waiting) == 1
    run(s, "sleep 1")
    assert "eth1@if2         UP" in run(s, "ip -n peer -br link")


class _Unscannable(list):
    def __contains__(self, item):
        raise AssertionError("held membership scanned the list")


def test_held_membership_is_the_devices_pending_mark_not_a_scan():
    """__LINK_STATE_LINKWATCH_PENDING: whether a device's event is held is its
    lw_held, set exactly while it is in `waiting` (a list thousands long after a batch
    of `link add`s: a scan each event was quadratic). The first pair's events run at
    once (a full run); the next pairs', within the second, stay held; each end's up is
    urgent and takes its own out at once."""
    s = Session.create("default", "bare")
    lw = s.host.linkwatch
    for i in range(3):
        run(s, f"ip link add va{i} type veth peer name vb{i}")
    assert [d.name for d in lw.waiting] == ["vb1", "va1", "vb2", "va2"]
    # (the operstate each had: a new device's IF_OPER_UNKNOWN)
    assert all(d.lw_held == "UNKNOWN" for d in lw.waiting)
    lw.waiting = _Unscannable(lw.waiting)
    run(s, "ip link set va1 up")
    run(s, "ip link set vb1 up")
    assert [d.name for d in lw.waiting] == ["vb2", "va2"]
    ns = s.host.init_ns
    assert not ns.by_name("va1").lw_held and not ns.by_name("vb1").lw_held
    assert ns.by_name("va2").lw_held == "UNKNOWN"
    assert "state UP" in run(s, "ip link show va1")
