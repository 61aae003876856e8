"""The fixes round 39's Q&A answers on errors and troubleshooting led to (their cases,
tutorials39c_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: Linux 6.18, iproute2 6.1, iputils 20221126), twice, the two recordings
alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        shell.run_line(line)
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


NO_SOURCE = ("ping: connect: Cannot assign requested address\n", 2)


# --- no IPv6 source anywhere (Red Hat's "disable IPv6": tutorials39c_redhat8709_*)

def test_ping6_without_any_ipv6_address_cannot_pick_a_source():
    # ip6_dst_lookup_tail(): ip6_route_get_saddr() -> ipv6_dev_get_saddr() over every
    # device comes before the route's error: EADDRNOTAVAIL for any destination, with
    # -I too; once an address is usable somewhere, the route's ENETUNREACH
    shell = _shell("ip link add eth0 type veth peer name eth0p",
                   "ip link set eth0p up", "ip link set eth0 up",
                   "sleep 2.5")
    assert _run(shell, "ping -6 -c 1 2001:db8::2") == (
        "ping: connect: Network is unreachable\n", 2)
    shell.run_line("sysctl -qw net.ipv6.conf.all.disable_ipv6=1")
    assert _run(shell, "ping -6 -c 1 2001:db8::2") == NO_SOURCE
    assert _run(shell, "ping -6 -c 1 -I eth0 2001:db8::2") == NO_SOURCE
    text, status = _run(shell, "traceroute -6 -n 2001:db8::2")
    assert text.endswith("connect: Cannot assign requested address\n")


def test_ping6_while_every_address_is_tentative():
    # right after link-up only tentative link-locals exist (lo down): a global
    # destination has no source; a link-scope one is not refused, ping6_run()'s
    # probe connect() to it has no sin6_family
    shell = _shell("ip link add eth0 type veth peer name eth0p",
                   "ip link set eth0p up", "ip link set eth0 up")
    assert _run(shell, "ping -6 -c 1 2001:db8::2") == NO_SOURCE
    assert _run(shell, "ping -6 -c 1 fe80::1") == (
        "PING fe80::1(fe80::1) 56 data bytes\n\n"
        "--- fe80::1 ping statistics ---\n"
        "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n", 1)


# --- disable_ipv6 is any value but 0 (recorded beside tutorials39c_redhat8709_*)

def test_disable_ipv6_other_than_1_disables_too():
    # addrconf_sysctl_disable(): proc_dointvec, no range; addrconf_disable_change()
    # and the checks test the value for non-zero
    shell = _shell("ip link add eth0 type veth peer name eth0p",
                   "ip link set eth0p up", "ip link set eth0 up",
                   "ip -6 addr add 2001:db8::1/64 dev eth0 nodad")
    assert _run(shell, "sysctl -w net.ipv6.conf.all.disable_ipv6=2") == (
        "net.ipv6.conf.all.disable_ipv6 = 2\n", 0)
    assert _run(shell, "ip -6 addr show") == ("", 0)
    assert _run(shell, "ip -6 addr add 2001:db8::1/64 dev eth0 nodad") == (
        "Error: ipv6: IPv6 is disabled on this device.\n", 2)
    shell.run_line("sysctl -w net.ipv6.conf.eth0.disable_ipv6=0")
    assert _run(shell, "ip -6 addr add 2001:db8::1/64 dev eth0 nodad") == ("", 0)
    assert _run(shell, "sysctl -w net.ipv6.conf.eth0.disable_ipv6=-1") == (
        "net.ipv6.conf.eth0.disable_ipv6 = -1\n", 0)
    assert _run(shell, "ip -6 addr show dev eth0") == ("", 0)


# --- ip_nonlocal_bind (http-proxy-ipv6-pool: tutorials39c_ipv6pool10_local_route)

def test_ping_binds_a_foreign_source_with_ip_nonlocal_bind():
    # raw_bind() (inet_addr_valid_or_nonlocal()) and rawv6_bind()
    # (ipv6_can_nonlocal_bind()); the echo goes out, its reply has no route back
    shell = _shell("ip link set lo up", "ip link add eth0 type veth peer name eth0p",
                   "ip link set eth0p up", "ip link set eth0 up",
                   "ip addr add 10.0.0.1/24 dev eth0",
                   "ip -6 addr add 2001:db8::1/64 dev eth0 nodad")
    assert _run(shell, "ping -c 1 -W 1 -I 10.9.9.9 10.0.0.1") == (
        "ping: bind: Cannot assign requested address\n", 2)
    assert _run(shell, "ping -6 -c 1 -W 1 -I 2001:db8:9::1 2001:db8::1") == (
        "ping: bind icmp socket: Cannot assign requested address\n", 2)
    shell.run_line("sysctl -qw net.ipv4.ip_nonlocal_bind=1")
    shell.run_line("sysctl -qw net.ipv6.ip_nonlocal_bind=1")
    assert _run(shell, "ping -c 1 -W 1 -I 10.9.9.9 10.0.0.1") == (
        "PING 10.0.0.1 (10.0.0.1) from 10.9.9.9 : 56(84) bytes of data.\n\n"
        "--- 10.0.0.1 ping statistics ---\n"
        "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n", 1)
    assert _run(shell, "ping -6 -c 1 -W 1 -I 2001:db8:9::1 2001:db8::1") == (
        "PING 2001:db8::1(2001:db8::1) from 2001:db8:9::1 : 56 data bytes\n\n"
        "--- 2001:db8::1 ping statistics ---\n"
        "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n", 1)


# --- a dadfailed address (metallb#1592: tutorials39c_metallb1592_dadfailed)

def test_address_unreachable_about_our_dadfailed_address_comes_from_the_link_local():
    # icmp6_send(): ipv6_chk_addr() bans the tentative (dadfailed) destination as the
    # error's source; the error is chosen a source for its own destination (the echo's
    # link-local source) and arrives, as a reply would, on the device holding it
    shell = _shell("ip link set lo up", "ip netns add peer",
                   "ip link add eth0 address 02:00:00:00:00:01 type veth peer name eth0 "
                   "netns peer",
                   "ip -n peer link set eth0 up",
                   "ip -n peer addr add 2001:db8::5/64 dev eth0 nodad",
                   "ip link set eth0 up", "sleep 2.5",
                   "ip -6 addr add 2001:db8::5/64 dev eth0", "sleep 2.5")
    text, status = _run(shell, "ip -6 addr show dev eth0 dadfailed")
    assert "inet6 2001:db8::5/64 scope global dadfailed tentative \n" in text
    text, status = _run(shell, "ping -6 -c 1 2001:db8::5")
    assert text.splitlines()[1] == ("From fe80::ff:fe00:1%eth0 icmp_seq=1 Destination "
                                    "unreachable: Address unreachable")
    assert status == 1


# --- a route's IPv6 src (resource-agents#560, systemd#24389:
#     tutorials39c_resourceagents560_ipv6_source)

def test_ip6_route_get_shows_the_routes_prefsrc_even_when_deprecated():
    # rt6_fill_node(): ip6_route_get_saddr() answers fib6_prefsrc before any address
    # rule (rule 3 would avoid the deprecated address)
    shell = _shell("ip link set lo up", "ip link add eth0 type veth peer name eth0p",
                   "ip link set eth0p up", "ip link set eth0 up",
                   "ip -6 addr add fd00:172:20:25::10/64 dev eth0 nodad",
                   "ip -6 addr add fd00:172:20:25::243/64 dev eth0 nodad preferred_lft 0",
                   "ip -6 route add default via fd00:172:20:25::1 dev eth0 "
                   "src fd00:172:20:25::243")
    assert _run(shell, "ip -6 route get 2001:db8::1") == (
        "2001:db8::1 from :: via fd00:172:20:25::1 dev eth0 src fd00:172:20:25::243 "
        "metric 1024 pref medium\n", 0)
    shell.run_line("ip -6 route replace default via fd00:172:20:25::1 dev eth0")
    assert _run(shell, "ip -6 route get 2001:db8::1") == (
        "2001:db8::1 from :: via fd00:172:20:25::1 dev eth0 src fd00:172:20:25::10 "
        "metric 1024 pref medium\n", 0)


def test_deleting_an_ipv6_routes_src_address_keeps_the_route_without_src():
    # rt6_remove_prefsrc() at RTM_DELADDR (IPv4's fib_sync_down_addr() deletes instead)
    shell = _shell("ip link set lo up", "ip link add eth0 type veth peer name eth0p",
                   "ip link set eth0p up", "ip link set eth0 up",
                   "ip -6 addr add 2001:db8::10/64 dev eth0 nodad",
                   "ip -6 addr add 2001:db8::20/64 dev eth0 nodad",
                   "ip -6 route add 2001:db9::/64 via 2001:db8::1 src 2001:db8::20",
                   "ip -6 addr del 2001:db8::20/64 dev eth0")
    assert _run(shell, "ip -6 route show 2001:db9::/64") == (
        "2001:db9::/64 via 2001:db8::1 dev eth0 metric 1024 pref medium\n", 0)
    text, _ = _run(shell, "ip -6 route get 2001:db9::1")
    assert " src 2001:db8::10 " in text
    # whatever the route's device (the recording kernel): a `dev lo` route too
    shell.run_line("ip -6 route add 2001:dbb::/64 dev lo src 2001:db8::10")
    shell.run_line("ip -6 addr flush dev eth0 scope global")
    assert _run(shell, "ip -6 route show dev lo") == (
        "2001:dbb::/64 metric 1024 pref medium\n", 0)
