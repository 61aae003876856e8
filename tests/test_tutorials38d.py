"""The fixes round 38's tutorials on routing and neighbours led to (their cases,
tutorials38d_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: Linux 6.18, iproute2 6.1, iputils 20221126), twice, the two recordings
alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell():
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    shell.run_line("sysctl -qw net.ipv6.conf.default.disable_ipv6=1")
    shell.run_line("ip link add eth0 type veth peer name eth0p")
    shell.run_line("ip addr add 10.5.0.1/24 dev eth0; ip link set eth0 up; "
                   "ip link set eth0p up")
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


# --- route types (IP Command Reference: tutorials38d_linuxip_route_types)

def test_route_get_of_a_broadcast_route_added_without_src_selects_one():
    # fib_select_path(): FIB_RES_PREFSRC() is the route's prefsrc, else
    # inet_select_addr(dev, 0, scope link) (iproute2 gives a broadcast route scope link)
    shell = _shell()
    assert _run(shell, "ip route add broadcast 10.11.0.255 dev eth0 table local") == ("", 0)
    assert _run(shell, "ip route get 10.11.0.255") == (
        "broadcast 10.11.0.255 dev eth0 src 10.5.0.1 uid 0 \n"
        "    cache <local,brd> \n", 0)
    # the kernel's own broadcast route keeps its prefsrc
    assert _run(shell, "ip route get 10.5.0.255")[0] == (
        "broadcast 10.5.0.255 dev eth0 src 10.5.0.1 uid 0 \n"
        "    cache <local,brd> \n")
    # a device without an address: inet_select_addr() falls back to the namespace's
    assert _run(shell, "ip route add broadcast 10.12.0.255 dev eth0p table local") == ("", 0)
    assert _run(shell, "ip route get 10.12.0.255")[0] == (
        "broadcast 10.12.0.255 dev eth0p src 10.5.0.1 uid 0 \n"
        "    cache <local,brd> \n")


# --- IPv6 ECMP (oneuptime's IPv6 ECMP page: tutorials38d_oneuptime_ipv6_ecmp)

def test_ipv6_sibling_stays_dead_until_its_device_has_carrier():
    # addrconf_notify(NETDEV_UP) without addrconf_link_ready() breaks before
    # rt6_sync_up(dev, RTNH_F_DEAD); the carrier's NETDEV_CHANGE clears it; a route
    # added meanwhile is only linkdown (fib6_nh_init())
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in ("ip netns add p1", "ip link add eth0 type veth peer name eth0p",
                 "ip link add eth1 type veth peer name up netns p1",
                 "ip link set eth0 up", "ip link set eth0p up", "ip link set eth1 up",
                 "ip -n p1 link set dev up up", "sleep 1",
                 "ip -6 route add 2001:db8:5::/48 nexthop via fe80::1 dev eth0 "
                 "nexthop via fe80::2 dev eth1",
                 "ip -n p1 link set dev up down", "ip link set eth1 down"):
        assert _run(shell, line)[1] == 0, line
    dead = ("2001:db8:5::/48 metric 1024 pref medium\n"
            "\tnexthop via fe80::1 dev eth0 weight 1 \n"
            "\tnexthop via fe80::2 dev eth1 weight 1 dead linkdown \n")
    assert _run(shell, "ip -6 route show 2001:db8:5::/48") == (dead, 0)
    assert _run(shell, "ip link set eth1 up") == ("", 0)
    assert _run(shell, "ip -6 route show 2001:db8:5::/48") == (dead, 0)
    assert _run(shell, "ip -6 route add 2001:db8:7::/48 nexthop via fe80::1 dev eth0 "
                       "nexthop via fe80::2 dev eth1") == ("", 0)
    assert _run(shell, "ip -6 route show 2001:db8:7::/48")[0] == (
        "2001:db8:7::/48 metric 1024 pref medium\n"
        "\tnexthop via fe80::1 dev eth0 weight 1 \n"
        "\tnexthop via fe80::2 dev eth1 weight 1 linkdown \n")
    _run(shell, "ip -n p1 link set dev up up")
    _run(shell, "sleep 1")
    assert _run(shell, "ip -6 route show 2001:db8:5::/48")[0] == (
        "2001:db8:5::/48 metric 1024 pref medium\n"
        "\tnexthop via fe80::1 dev eth0 weight 1 \n"
        "\tnexthop via fe80::2 dev eth1 weight 1 \n")


# --- ip route get ... iif (ip-route(8) copy: tutorials38d_kill9_route_get)

def test_route_get_iif_applies_rp_filter():
    # ip_route_input_slow() -> fib_validate_source(): strict (1) wants the route back
    # through iif, loose (2) any unicast route back; the drop reason comes back from
    # inet_rtm_getroute() as EINVAL; forwarding off still answers EHOSTUNREACH first
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
                 "ip link add eth0 type veth peer name eth0p",
                 "ip link add eth1 type veth peer name eth1p",
                 "ip addr add 10.50.0.1/24 dev eth0", "ip addr add 10.51.0.1/24 dev eth1",
                 "ip link set eth0 up", "ip link set eth0p up", "ip link set eth1 up",
                 "ip link set eth1p up", "ip route add 172.16.0.0/16 via 10.51.0.2",
                 "sysctl -qw net.ipv4.ip_forward=1",
                 "sysctl -qw net.ipv4.conf.eth0.rp_filter=1"):
        assert _run(shell, line)[1] == 0, line
    einval = ("RTNETLINK answers: Invalid argument\n", 2)
    assert _run(shell, "ip route get 172.16.5.5 from 10.50.0.7 iif eth0") == (
        "172.16.5.5 from 10.50.0.7 via 10.51.0.2 dev eth1 \n    cache iif eth0 \n", 0)
    assert _run(shell, "ip route get 172.16.5.5 from 10.51.0.7 iif eth0") == einval
    assert _run(shell, "ip route get 10.50.0.1 from 10.51.0.7 iif eth0") == einval
    assert _run(shell, "ip route get 10.50.0.1 from 10.50.0.9 iif eth0") == (
        "local 10.50.0.1 from 10.50.0.9 dev lo \n    cache <local> iif eth0 \n", 0)
    assert _run(shell, "ip route get 172.16.5.5 from 172.16.0.9 iif eth0") == einval
    _run(shell, "sysctl -qw net.ipv4.conf.eth0.rp_filter=2")
    assert _run(shell, "ip route get 172.16.5.5 from 10.51.0.7 iif eth0") == (
        "172.16.5.5 from 10.51.0.7 via 10.51.0.2 dev eth1 \n    cache iif eth0 \n", 0)
    assert _run(shell, "ip route get 10.50.0.1 from 198.51.100.1 iif eth0") == einval
    _run(shell, "ip route add blackhole 198.51.100.0/24")
    assert _run(shell, "ip route get 10.50.0.1 from 198.51.100.1 iif eth0") == einval
    _run(shell, "sysctl -qw net.ipv4.ip_forward=0")
    assert _run(shell, "ip route get 172.16.5.5 from 198.51.100.1 iif eth0") == (
        "RTNETLINK answers: No route to host\n", 2)
