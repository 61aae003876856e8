"""Bridge and bridge-port STP timers as `ip -d link`, `ip -j -d link` and sysfs show
them (kernel/bridge.py br_port_timers(), br_bridge_timers(): br_timer_value()).
Recorded on Linux 6.18: tests/oracle_cases/linkstate35_br_port_timers (no STP: the
forward_delay_timer br_make_forwarding() arms though the port forwards at once) and
linkstate35_br_stp_timers (kernel STP). Commands take no virtual time here, so the
values are exact."""
from __future__ import annotations

import re

import pytest

from ipemu.session import Session


@pytest.fixture(autouse=True)
def _commands_take_no_time(monkeypatch):
    monkeypatch.setattr("ipemu.session.EXEC_TIME", 0.0)


def run(s: Session, line: str) -> str:
    term, status = s.run_line(line)
    assert status == 0, (line, term.text())
    return term.stream("stdout")


def timer(s: Session, dev: str, name: str) -> str:
    found = re.search(name + r" +(\d+\.\d\d) ", run(s, f"ip -d link show {dev}"))
    assert found, (dev, name)
    return found.group(1)


def bridge(stp: int = 0) -> Session:
    s = Session.create("default", "bare")
    for line in (f"ip link add br0 type bridge stp_state {stp}",
                 "ip link add v0 type veth peer name v1", "ip link set v0 master br0",
                 "ip link set br0 up", "ip link set v1 up"):
        run(s, line)
    return s


def test_a_port_without_stp_forwards_with_its_forward_delay_timer_running():
    s = bridge()
    assert timer(s, "v0", "forward_delay_timer") == "0.00"      # not enabled yet
    run(s, "ip link set v0 up")
    assert "state forwarding" in run(s, "ip -d link show v0")
    assert timer(s, "v0", "forward_delay_timer") == "15.00"
    assert run(s, "cat /sys/class/net/br0/brif/v0/forward_delay_timer") == "1500\n"
    assert timer(s, "br0", "hello_timer") == "0.00"
    run(s, "sleep 3")
    assert timer(s, "v0", "forward_delay_timer") == "12.00"
    # a forward delay set now leaves the running timer alone; a new port gets it
    run(s, "ip link set br0 type bridge forward_delay 500")
    assert timer(s, "v0", "forward_delay_timer") == "12.00"
    for line in ("ip link add v2 type veth peer name v3", "ip link set v3 up",
                 "ip link set v2 up", "ip link set v2 master br0"):
        run(s, line)
    assert timer(s, "v2", "forward_delay_timer") == "5.00"
    run(s, "sleep 12")
    assert timer(s, "v0", "forward_delay_timer") == "0.00"     # expired
    assert "state forwarding" in run(s, "ip -d link show v0")


def test_a_disabled_port_has_its_timer_deleted():
    s = bridge()
    run(s, "ip link set v0 up")
    run(s, "ip link set v1 down")                   # the port loses its carrier
    assert timer(s, "v0", "forward_delay_timer") == "0.00"
    assert '"hold_timer":0.00,"message_age_timer":0.00,"forward_delay_timer":0.00' in \
        run(s, "ip -j -d link show v0")
    run(s, "ip link set v1 up")
    assert timer(s, "v0", "forward_delay_timer") == "15.00"
    run(s, "sleep 2")
    run(s, "ip link set br0 down")                  # br_stp_disable_bridge()
    assert timer(s, "v0", "forward_delay_timer") == "0.00"
    assert timer(s, "br0", "gc_timer") == "0.00"
    run(s, "ip link set br0 up")
    assert timer(s, "v0", "forward_delay_timer") == "15.00"


def test_the_gc_work_runs_a_tenth_of_a_second_after_the_bridge_opens():
    s = bridge()
    assert timer(s, "br0", "gc_timer") == "0.10"
    run(s, "sleep 3")
    assert timer(s, "br0", "gc_timer") == "297.10"
    assert run(s, "cat /sys/class/net/br0/bridge/gc_timer") == "29710\n"


def test_kernel_stp_timers_are_its_own():
    s = bridge(stp=1)
    run(s, "ip link set v0 up")
    assert "state listening" in run(s, "ip -d link show v0")
    assert timer(s, "v0", "forward_delay_timer") == "15.00"
    assert timer(s, "br0", "hello_timer") != "0.00"
    run(s, "sleep 15")
    assert "state learning" in run(s, "ip -d link show v0")
    assert timer(s, "v0", "forward_delay_timer") == "15.00"
    run(s, "sleep 15")
    assert "state forwarding" in run(s, "ip -d link show v0")
    assert timer(s, "v0", "forward_delay_timer") == "0.00"
    # the root detects the topology change: forward delay + max age
    assert timer(s, "br0", "topology_change_timer") == "35.00"
    assert run(s, "cat /sys/class/net/br0/bridge/topology_change_timer") == "3500\n"


def test_turning_stp_on_keeps_the_running_forward_delay_timer():
    s = bridge()
    run(s, "ip link set v0 up")
    run(s, "sleep 5")
    run(s, "ip link set br0 type bridge stp_state 1")
    assert "state forwarding" in run(s, "ip -d link show v0")
    assert timer(s, "v0", "forward_delay_timer") == "10.00"


def test_the_timers_survive_save_and_restore():
    from ipemu.state import dumps, loads
    s = bridge()
    run(s, "ip link set v0 up")
    s = loads(dumps(s))
    run(s, "sleep 1")
    assert timer(s, "v0", "forward_delay_timer") == "14.00"
    assert timer(s, "br0", "gc_timer") == "299.10"


def test_a_running_timer_is_masked_a_stopped_one_kept():
    from ipemu.transcript.mask import mask_rtt
    text = ("hold_timer    0.00 message_age_timer    0.00 forward_delay_timer   11.93 "
            '"hello_timer":2.06,"tcn_timer":0.00,"gc_timer":297.51')
    assert mask_rtt(text) == ("hold_timer    0.00 message_age_timer    0.00 "
                              'forward_delay_timer <T> "hello_timer":<T>,"tcn_timer":0.00,'
                              '"gc_timer":<T>')


def test_a_root_port_shows_what_the_root_bridge_sent():
    """linkstate35_br_stp_two_bridges: br_port_fill_attrs()'s designated ids are the
    port's (from the root's BPDUs), not its bridge's."""
    s = Session.create("default", "bare")
    for line in ("ip link add br0 type bridge stp_state 1 priority 4096",
                 "ip link add br1 type bridge stp_state 1 priority 8192",
                 "ip link add a0 type veth peer name a1",
                 "ip link set a0 address 02:00:00:00:00:a0",
                 "ip link set a1 address 02:00:00:00:00:a1",
                 "ip link set a0 master br0", "ip link set a1 master br1",
                 "ip link set br0 up", "ip link set br1 up", "ip link set a0 up",
                 "ip link set a1 up", "sleep 5"):
        run(s, line)
    out = run(s, "ip -d link show a1")
    assert "designated_bridge 1000.2:0:0:0:0:a0 designated_root 1000.2:0:0:0:0:a0" in out
    assert run(s, "cat /sys/class/net/br1/brif/a1/designated_bridge") == \
        "1000.0200000000a0\n"
    assert "root_port 1 root_path_cost 2" in run(s, "ip -d link show br1")
