"""The fixes round 45's IPv6 tutorials led to (their cases, tutorials45e_, are replayed
whole by test_rounds.py). Every expected text was recorded on the project's Debian 12
machine with the oracle's recorder (record.py, `bash -c LINE` on a pty: Linux 6.18,
iproute2 6.1), twice, the two recordings alike under diff.py's masks."""
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


def _out(shell, line: str) -> str:
    quoted = "'" + line.replace("'", "'\\''") + "'"
    term, _ = shell.run_line(f"bash -c {quoted}")
    return term.text()


def test_main_listing_passes_no_ipv6_local_route():
    # tutorials45e_local_route_in_main: filter_nlmsg()'s ip6_multiple_tables is never
    # set by a dump of main, so its RTN_LOCAL routes are not listed, saved or flushed
    shell = _shell("ip link set lo up",
                   "ip -6 route add local 2001:db8:f1:1::/64 dev lo table main",
                   "ip -6 route add local 2001:db8:f1:2::/64 dev lo table 200")
    assert _out(shell, "ip -6 route") == ""
    assert _out(shell, "ip -6 route show type local") == ""
    assert _out(shell, "ip -6 -j route show type local") == "[]\n"
    assert _out(shell, "ip -6 route show table 200") == \
        "local 2001:db8:f1:2::/64 dev lo metric 1024 pref medium\n"
    _out(shell, "ip -6 route flush table main dev lo")
    assert _out(shell, "ip -6 route show table all type local") == (
        "local 2001:db8:f1:2::/64 dev lo table 200 metric 1024 pref medium\n"
        "local 2001:db8:f1:1::/64 dev lo metric 1024 pref medium\n"
        "local ::1 dev lo table local proto kernel metric 0 pref medium\n")


def test_proc_anycast6_and_igmp6_noreport():
    # tutorials45e_proc_net_ipv6_files: a forwarding device's subnet-router anycast
    # addresses in /proc/net/anycast6 (ac_list, newest first), and ff01::2 is
    # MAF_NOREPORT as every node-local group
    shell = _shell("ip link add eth0 address 02:00:00:45:ed:01 type veth peer name eth0p",
                   "ip link set lo up", "ip link set eth0 up", "ip link set eth0p up",
                   "ip -6 addr add 2001:db8:ed::1/64 dev eth0 nodad", "sleep 2")
    assert _out(shell, "cat /proc/net/anycast6") == ""
    _out(shell, "sysctl -qw net.ipv6.conf.all.forwarding=1")
    assert _out(shell, "cat /proc/net/anycast6") == (
        "2    eth0p           fe800000000000000000000000000000     1\n"
        "3    eth0            fe800000000000000000000000000000     1\n"
        "3    eth0            20010db800ed00000000000000000000     1\n")
    assert "3    eth0            ff010000000000000000000000000002     1 00000008 0\n" in \
        _out(shell, "cat /proc/net/igmp6")
    _out(shell, "ip -6 addr add 2001:db8:ed::5/64 dev eth0 nodad")
    assert "3    eth0            20010db800ed00000000000000000000     2\n" in _out(shell, "cat /proc/net/anycast6")
    _out(shell, "sysctl -qw net.ipv6.conf.all.forwarding=0")
    assert _out(shell, "cat /proc/net/anycast6") == ""
