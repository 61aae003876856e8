"""Route metrics as iproute_modify() stores them and print_rta_metrics() prints them,
and multipath nexthops through a device that is down (RTNH_F_DEAD): the facts the
oracle26b cases recorded (tests/oracle_cases/oracle26b_*), checked on their own."""
from __future__ import annotations

import pytest

from ipemu.session import Session
from ipemu.tools.ip_route import get_time_rtt


@pytest.mark.parametrize("text, want", [("5ms", (5, False)), ("200", (200, True)),
                                        ("1.5s", (1500, False)), ("0.5", (1, True)),
                                        ("1.0001s", (1001, False)), ("0x10", (16, True))])
def test_get_time_rtt_rounds_up_and_says_whether_raw(text, want):
    assert get_time_rtt(text) == want


def _session(lines: str) -> Session:
    s = Session.create("default", "bare", "h", 0)
    for line in lines.strip().splitlines():
        assert s.run_line(line)[1] == 0, line
    return s


def test_rtt_is_kept_in_its_kernel_units_and_printed_back_in_ms():
    s = _session("""
ip link add eth0 type veth peer name peer0
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip link set peer0 up
ip route add 10.5.0.0/16 via 10.0.0.1 rtt 2000 rttvar 4s rto_min 0.5 congctl lock cubic
""")
    term, _ = s.run_line("ip route show 10.5.0.0/16")
    # a raw rtt is in 1/8 ms (2000 -> 250ms), rttvar 4s times 4 back to 4s, rto_min locked
    assert term.text() == ("10.5.0.0/16 via 10.0.0.1 dev eth0 rtt 250ms rttvar 4s "
                           "rto_min lock 1ms congctl lock cubic \n")


@pytest.mark.parametrize("down", ["if1", "if2"])
def test_a_multipath_route_outlives_one_dead_nexthop_and_lookups_avoid_it(down):
    s = _session("""
ip link add if1 type veth peer name p1
ip link add if2 type veth peer name p2
ip addr add 10.1.1.2/24 dev if1
ip addr add 10.2.2.2/24 dev if2
ip link set if1 up
ip link set if2 up
ip link set p1 up
ip link set p2 up
ip route add default nexthop via 10.1.1.1 dev if1 nexthop via 10.2.2.1 dev if2
""")
    s.run_line(f"ip link set {down} down")
    shown = s.run_line("ip route show default")[0].text()
    assert f"dev {down} weight 1 dead linkdown" in shown
    alive = "if2" if down == "if1" else "if1"
    assert f"dev {alive} " in s.run_line("ip route get 8.8.8.8")[0].text()
    s.run_line(f"ip link set {alive} down")
    assert s.run_line("ip route show default")[0].text() == ""
