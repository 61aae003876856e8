"""The fixes round 45's policy-routing and nexthop-object tutorials led to (their
cases, tutorials45b_, are replayed whole by test_rounds.py). Every expected text was
recorded on the project's Debian 12 machine (Linux 6.18, iproute2 6.1) in a fresh
network namespace (`unshare -n` or the oracle's recorder, twice)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        _, status = shell.run_line(line)
        assert status == 0, line
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


_V6_SETUP = ("ip link add eth0 type veth peer name eth1", "ip link set eth0 up",
             "ip link set eth1 up", "ip -6 addr add 2001:db8:1::10/64 dev eth0 nodad",
             "ip nexthop add id 1 via fe80::1 dev eth0",
             "ip nexthop add id 2 via 2001:db8:1::2 dev eth0")


# --- rt6_fill_node_nexthop(): a group is RTA_MULTIPATH for IPv6 whatever its size

def test_an_ipv6_route_through_a_group_of_one_lists_its_nexthop():
    shell = _shell(*_V6_SETUP, "ip nexthop add id 13 group 1,4",
                   "ip nexthop add id 14 group 1 type resilient buckets 8",
                   "ip -6 route add 2001:db8:400::/64 nhid 13",
                   "ip -6 route add 2001:db8:500::/64 nhid 14",
                   "ip route add 10.0.0.0/8 nhid 13")
    assert _run(shell, "ip -6 route show 2001:db8:400::/64") == (
        "2001:db8:400::/64 nhid 13 metric 1024 pref medium\n"
        "\tnexthop via fe80::1 dev eth0 weight 4 \n", 0)
    assert _run(shell, "ip -6 route show 2001:db8:500::/64") == (
        "2001:db8:500::/64 nhid 14 metric 1024 pref medium\n"
        "\tnexthop via fe80::1 dev eth0 weight 1 \n", 0)
    assert _run(shell, "ip -j -6 route show 2001:db8:400::/64") == (
        '[{"dst":"2001:db8:400::/64","nhid":13,"metric":1024,"flags":[],"pref":"medium",'
        '"nexthops":[{"gateway":"fe80::1","dev":"eth0","weight":4,"flags":[]}]}]\n', 0)
    # IPv4 counts the paths: one, no RTA_MULTIPATH
    assert _run(shell, "ip route show 10.0.0.0/8") == (
        "10.0.0.0/8 nhid 13 via inet6 fe80::1 dev eth0 \n", 0)


def test_a_group_left_with_one_member_stays_multipath_for_ipv6():
    shell = _shell(*_V6_SETUP, "ip nexthop add id 10 group 1/2",
                   "ip -6 route add 2001:db8:100::/64 nhid 10", "ip nexthop del id 2")
    assert _run(shell, "ip -6 route show 2001:db8:100::/64") == (
        "2001:db8:100::/64 nhid 10 metric 1024 pref medium\n"
        "\tnexthop via fe80::1 dev eth0 weight 1 \n", 0)


# --- rt6_get_pcpu_route(): a nexthop's pcpu route is shared by the routes through it

def test_route_get_shows_the_route_whose_lookup_made_the_nexthops_pcpu_route():
    shell = _shell(*_V6_SETUP, "ip nexthop add id 12 group 1/2",
                   "ip -6 route add 2001:db8:200::/64 nhid 12 metric 50",
                   "ip -6 route add 2001:db8:300::/64 nhid 1 metric 50",
                   "ip -6 route add 2001:db8:500::/64 via fe80::1 dev eth0 metric 7",
                   "ip -6 route add 2001:db8:700::/64 nhid 12 metric 2000")
    assert _run(shell, "ip -6 route get 2001:db8:200::1") == (
        "2001:db8:200::1 from :: via fe80::1 dev eth0 src 2001:db8:1::10 metric 50 "
        "pref medium\n", 0)
    # nexthop 1's pcpu route is 200::/64's now: 300::/64 (metric 50 too) and 700::/64
    # (metric 2000) answer with its metric, fibmatch with its entry
    assert _run(shell, "ip -6 route get 2001:db8:700::1") == (
        "2001:db8:700::1 from :: via fe80::1 dev eth0 src 2001:db8:1::10 metric 50 "
        "pref medium\n", 0)
    assert _run(shell, "ip -6 route get fibmatch 2001:db8:300::1") == (
        "2001:db8:200::/64 nhid 12 metric 50 pref medium\n"
        "\tnexthop via fe80::1 dev eth0 weight 1 \n"
        "\tnexthop via 2001:db8:1::2 dev eth0 weight 1 \n", 0)
    # a route without a nexthop object has its own pcpu route
    assert _run(shell, "ip -6 route get 2001:db8:500::1") == (
        "2001:db8:500::1 from :: via fe80::1 dev eth0 src 2001:db8:1::10 metric 7 "
        "pref medium\n", 0)
    # any change of the IPv6 tables (fib6_sernum) stales it: the next lookup's route
    # makes it anew (the recording machine's two CPUs each hold one: which route a
    # later lookup finds there depends on the CPU the process ran on; ipemu is one CPU)
    _run(shell, "ip -6 route add 2001:db8:800::/64 dev eth0")
    assert _run(shell, "ip -6 route get 2001:db8:700::1") == (
        "2001:db8:700::1 from :: via fe80::1 dev eth0 src 2001:db8:1::10 metric 2000 "
        "pref medium\n", 0)


# --- fib4_rule_fill(): FRA_FLOW goes into the dump, so ip rule save keeps realms

def test_ip_rule_save_and_restore_keep_a_rules_realms():
    shell = _shell("ip rule add pref 250 from 10.0.0.1 lookup 10 realms 2/3")
    # the saved bytes (recorded): ... FRA_SRC 10.0.0.1, then FRA_FLOW 0x00020003
    out, _ = _run(shell, "ip rule save | od -An -tx1 | sed -n 8p")
    assert out == " fa 00 00 00 08 00 02 00 0a 00 00 01 08 00 0b 00\n"
    for line in ("ip rule save > rules.bin", "ip rule flush", "ip rule restore < rules.bin"):
        assert _run(shell, line) == ("", 0)
    assert _run(shell, "ip rule show pref 250") == (
        "250:\tfrom 10.0.0.1 lookup 10 realms 2/3\n", 0)


# --- fib_check_nh_v4_gw(): the gateway's lookup is bound to the nexthop's device

def test_a_gateway_that_is_our_address_on_another_device_stays_a_gateway():
    shell = _shell("ip link add eth0 type veth peer name eth1", "ip link set eth0 up",
                   "ip link set eth1 up", "ip addr add 192.168.1.10/24 dev eth0",
                   "ip addr add 192.168.1.1/24 dev eth1",
                   "ip nexthop add id 2 via 192.168.1.1 dev eth0",
                   "ip nexthop add id 4 via 192.168.1.10 dev eth0",
                   "ip route add 10.2.0.0/16 nhid 2", "ip route add 10.4.0.0/16 nhid 4",
                   "ip route add 10.3.0.0/16 via 192.168.1.1 dev eth0",
                   "ip route add 10.5.0.0/16 via 192.168.1.10 dev eth0")
    assert _run(shell, "ip nexthop show") == (
        "id 2 via 192.168.1.1 dev eth0 scope link \n"
        "id 4 via 192.168.1.10 dev eth0 scope host \n", 0)
    for net, via in (("10.2", "via 192.168.1.1 "), ("10.4", ""),
                     ("10.3", "via 192.168.1.1 "), ("10.5", "")):
        assert _run(shell, f"ip route get {net}.0.1") == (
            f"{net}.0.1 {via}dev eth0 src 192.168.1.10 uid 0 \n    cache \n", 0)
