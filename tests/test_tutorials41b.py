"""The fixes round 41's statistics and monitoring tutorials led to (their cases,
tutorials41b_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty; iproute2 6.1, coreutils 9.1), twice, the two recordings alike under
diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        assert shell.run_line(line)[1] == 0, line
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


# --- /proc/net/dev_snmp6 (the Linux IPv6 HOWTO's /proc/net entries)

def _pinged():
    return _shell(
        "ip link set lo up", "ip netns add ns1",
        "ip link add veth0 address 02:00:00:00:41:41 type veth peer name veth1 "
        "address 02:00:00:00:41:42",
        "ip link set veth1 netns ns1",
        "ip addr add 2001:db8:41::1/64 dev veth0 nodad",
        "ip -n ns1 addr add 2001:db8:41::2/64 dev veth1 nodad",
        "ip link set veth0 up", "ip -n ns1 link set veth1 up", "sleep 3",
        "ping -6 -c 3 -i 0.2 -q 2001:db8:41::2", "ping -6 -c 2 -i 0.2 -q 2001:db8:41::1",
        "ping -6 -c 1 -q ::1")


def test_dev_snmp6_counts_each_packet_on_its_inet6_dev():
    shell = _pinged()
    assert _run(shell, "ls /proc/net/dev_snmp6") == ("lo  veth0\n", 0)
    pick = "grep -E '^(ifIndex|Ip6InReceives|Ip6InDelivers|Ip6OutRequests|Icmp6InEchos|" \
        "Icmp6InEchoReplies|Icmp6OutEchoReplies) '"
    # the pings of our own address go out on veth0's inet6_dev (the local route's)
    # and come in on lo's; their delivery and ICMPv6 count on veth0 again
    assert _run(shell, f"{pick} /proc/net/dev_snmp6/veth0") == (
        "ifIndex                         \t3\n"
        "Ip6InReceives                   \t10\n"
        "Ip6InDelivers                   \t8\n"
        "Ip6OutRequests                  \t14\n"
        "Icmp6InEchos                    \t2\n"
        "Icmp6InEchoReplies              \t5\n"
        "Icmp6OutEchoReplies             \t2\n", 0)
    assert _run(shell, f"{pick} /proc/net/dev_snmp6/lo") == (
        "ifIndex                         \t1\n"
        "Ip6InReceives                   \t6\n"
        "Ip6InDelivers                   \t2\n"
        "Ip6OutRequests                  \t2\n"
        "Icmp6InEchos                    \t1\n"
        "Icmp6InEchoReplies              \t1\n"
        "Icmp6OutEchoReplies             \t1\n", 0)
    assert _run(shell, "ip netns exec ns1 grep -E '^Icmp6(In|Out)(Echos|EchoReplies|"
                "NeighborSolicits) ' /proc/net/dev_snmp6/veth1") == (
        "Icmp6InEchos                    \t3\n"
        "Icmp6InEchoReplies              \t0\n"
        "Icmp6InNeighborSolicits         \t1\n"
        "Icmp6OutEchos                   \t0\n"
        "Icmp6OutEchoReplies             \t3\n"
        "Icmp6OutNeighborSolicits        \t1\n", 0)


def test_dev_snmp6_layout_and_missing_device():
    shell = _pinged()
    # 73 lines: ifIndex, 33 Ip6 rows, 5 Icmp6 rows (no OutRateLimitHost, which
    # /proc/net/snmp6 has), 30 named types, 4 numbered ones
    assert _run(shell, "wc -l /proc/net/dev_snmp6/lo /proc/net/snmp6") == (
        "73 /proc/net/dev_snmp6/lo\n94 /proc/net/snmp6\n167 total\n", 0)
    assert _run(shell, "grep -c RateLimit /proc/net/dev_snmp6/veth0") == ("0\n", 1)
    assert _run(shell, "cat /proc/net/dev_snmp6/veth1") == (
        "cat: /proc/net/dev_snmp6/veth1: No such file or directory\n", 1)
    assert _run(shell, "ip netns exec ns1 ls /proc/net/dev_snmp6") == ("lo  veth1\n", 0)


# --- ip neigh flush (ip-monitor(8) beside it)

def test_neigh_flush_announces_each_entry_failed_then_deleted():
    shell = _shell(
        "ip link add veth0 address 02:00:00:00:41:b1 type veth peer name veth1 "
        "address 02:00:00:00:41:b2",
        "ip addr add 10.41.11.1/24 dev veth0", "ip link set veth0 up",
        "ip neigh add 10.41.11.7 lladdr 02:00:00:00:41:07 dev veth0",
        "ip neigh add 10.41.11.8 lladdr 02:00:00:00:41:07 dev veth0 nud reachable",
        "ip neigh add 10.41.11.9 lladdr 02:00:00:00:41:07 dev veth0 nud stale",
        "timeout 2 ip monitor neigh > m.log &", "sleep 0.5",
        "ip neigh del 10.41.11.9 dev veth0", "ip neigh flush dev veth0", "wait")
    assert _run(shell, "cat m.log") == (
        "10.41.11.9 dev veth0 FAILED \nDeleted 10.41.11.9 dev veth0 FAILED \n"
        "10.41.11.8 dev veth0 FAILED \nDeleted 10.41.11.8 dev veth0 FAILED \n", 0)
    assert _run(shell, "ip neigh") == (
        "10.41.11.7 dev veth0 lladdr 02:00:00:00:41:07 PERMANENT \n", 0)


# --- bridge monitor of a veth pair being made

def test_bridge_monitor_shows_the_first_veth_half_at_none():
    shell = _shell("timeout 1 bridge monitor link > b.log &", "sleep 0.5",
                   "ip link add veth0 type veth peer name veth1", "wait")
    text, _ = _run(shell, "cut -d' ' -f1-2 b.log")
    assert text == "2: veth1@NONE:\n3: veth0@veth1:\n"
