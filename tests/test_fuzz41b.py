"""Round 41c's fuzzing with round 41's families (send41, routeget41) and the older ones,
seeds 495000 upward, and what it found. The golden texts are the cases
tests/oracle_cases/fuzz41b_* (recorded twice on the project's Debian 12 machine, Linux
6.18, iproute2 6.1, iputils 20221126; replayed whole by tests/test_rounds.py); the
tests here pin one fix each."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


_case = test_bash_c_lines.replay_case
_shell = test_bash_c_lines.oracle_shell
_run = test_bash_c_lines.output


def test_ping_oif_without_an_ipv4_address_keeps_saddr_zero():
    """ip_route_output_key_hash_rcu()'s on-link guess through an oif with no IPv4
    address: inet_select_addr() finds none, the flow keeps 0.0.0.0 (was `from None`)."""
    s = _shell()
    for line in ("ip link add v0 type veth peer name v1", "ip link set v0 up",
                 "ip rule flush", "ip rule add priority 200 lookup local"):
        _run(s, line)
    assert "from 0.0.0.0 v0: 56(84) bytes" in _run(s, "ping -c 1 -W 1 -I v0 10.0.1.2")


def test_ipv6_gateway_through_a_reject_route_is_ehostunreach():
    """ip6_route_check_nh(): a gateway whose longest match is a reject route or a route
    through a gateway says EHOSTUNREACH with no message (was "Nexthop has invalid
    gateway", IPv4's fib_check_nh_v4_gw() text)."""
    s = _shell()
    for line in ("ip link add v0 type veth peer name v1", "ip addr add 2001:db8::1/64 dev v0 nodad",
                 "ip link set v0 up", "ip -6 route add unreachable 2001:db8:6::/64",
                 "ip -6 route add 2001:db8:5::/64 via 2001:db8::2"):
        _run(s, line)
    for gw in ("2001:db8:6::1", "2001:db8:5::1"):
        assert _run(s, f"ip -6 route add 2001:db8:9::/64 via {gw}") == \
            "RTNETLINK answers: No route to host\n"


def test_input_broadcast_and_multicast_gets_have_no_table():
    """brd_input and ip_route_input_mc() leave res.table NULL: RTA_TABLE 0, no `table
    main` under -d; a link-local group from 0.0.0.0 passes ip_mc_validate_source()."""
    s = _shell()
    for line in ("ip link add v0 type veth peer name v1", "ip addr add 10.0.0.1/24 dev v0",
                 "ip link set v0 up", "ip link set lo up"):
        _run(s, line)
    assert _run(s, "ip -d route get 0.0.0.0 iif lo") == \
        "broadcast 0.0.0.0 dev lo \n    cache <local,brd> iif lo \n"
    assert _run(s, "ip -d route get 224.0.0.1 iif v0") == \
        "multicast 224.0.0.1 dev lo rt_offload_failed \n    cache <local,mc> iif v0 \n"
    assert "table main" in _run(s, "ip -d route get 10.0.0.1 from 10.0.0.2 iif v0")


def test_ping6_without_a_source_on_its_device_sends_nothing():
    """ip6_dst_lookup_tail(): ipv6_dev_get_saddr() finds no address on the bound device
    (no carrier yet: no link-local): EADDRNOTAVAIL, counted, no dot (was 3 dots)."""
    s = _shell()
    for line in ("ip link add v0 type veth peer name v1", "ip link set v0 up"):
        _run(s, line)
    out = _run(s, "ping -c 3 -f -W 1 -6 ff02::1%v0")
    assert "\n\n--- ff02::1%v0 ping statistics ---\n3 packets transmitted, 0 received" in out
    assert "." not in out.split("bytes")[1].split("---")[0]


def test_the_cases():
    for name in ("fuzz41b_ping_oif_nosource", "fuzz41b_route6_gw_reject",
                 "fuzz41b_route_get_input_notable", "fuzz41b_ping6_flood_nosource"):
        _case(name)
