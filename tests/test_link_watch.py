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
