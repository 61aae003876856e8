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


# --- PACKET_OTHERHOST drops (serveraide.com's ifconfig counters, adapted)

def test_frames_to_another_mac_count_as_otherhost_in_s_s_only():
    shell = _shell(
        "sysctl -qw net.ipv6.conf.all.disable_ipv6=1",
        "sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
        "ip link add veth0 address 02:00:00:00:41:c1 type veth peer name veth1 "
        "address 02:00:00:00:41:c2",
        "ip addr add 10.41.12.1/24 dev veth0", "ip addr add 10.41.12.2/24 dev veth1",
        "ip link set veth0 up", "ip link set veth1 up",
        "ip neigh add 10.41.12.9 lladdr 02:00:00:00:41:99 dev veth0",
        "ip route add 10.41.99.0/24 via 10.41.12.9")
    # veth0 sends to 02:..:99, veth1 hands the frames to IP, which drops them first
    # thing (ip_rcv_core(): no IpInReceives)
    shell.run_line("ping -c 2 -i 0.2 -W 1 -q 10.41.99.1")
    assert _run(shell, "ip -s -s link show veth1 | sed -n '3,6p'") == (
        "    RX:  bytes packets errors dropped  missed   mcast           \n"
        "           196       2      0       0       0       0 \n"
        "    RX errors:  length    crc   frame    fifo overrun otherhost\n"
        "                     0      0       0       0       0         2 \n", 0)
    assert _run(shell, "ip -j -s -s link show veth1 | jq -M -c '.[0].stats64.rx'") == (
        '{"bytes":196,"packets":2,"errors":0,"dropped":0,"over_errors":0,"multicast":0,'
        '"length_errors":0,"crc_errors":0,"frame_errors":0,"fifo_errors":0,'
        '"missed_errors":0,"otherhost":2}\n', 0)
    assert _run(shell, "ip -j -s link show veth1 | jq -M -c '.[0].stats64.rx'") == (
        '{"bytes":196,"packets":2,"errors":0,"dropped":0,"over_errors":0,'
        '"multicast":0}\n', 0)
    assert _run(shell, "nstat -az IpInReceives") == (
        "#kernel\nIpInReceives                    0                  0.0\n", 0)
    assert _run(shell, "cat /sys/class/net/veth1/statistics/rx_otherhost_dropped") == (
        "cat: /sys/class/net/veth1/statistics/rx_otherhost_dropped: "
        "No such file or directory\n", 1)


def test_wc_pads_proc_files_as_empty_and_sysfs_files_as_a_page():
    shell = _shell("ip link add veth0 type veth peer name veth1")
    # compute_number_width(): st_size 4096 for sysfs attributes, 0 for /proc files
    assert _run(shell, "wc -l /sys/class/net/veth0/mtu /sys/class/net/veth0/address") == (
        "   1 /sys/class/net/veth0/mtu\n   1 /sys/class/net/veth0/address\n   2 total\n", 0)
    text, _ = _run(shell, "wc -c /sys/class/net/veth0/mtu /proc/net/dev")
    assert text.splitlines()[0] == "   5 /sys/class/net/veth0/mtu"
    text, _ = _run(shell, "wc -l /proc/net/sockstat /proc/net/netstat")
    assert text == "6 /proc/net/sockstat\n6 /proc/net/netstat\n12 total\n"


# --- tc -t / -ts monitor (tc(8))

def test_tc_monitor_prints_timestamps_as_print_timestamp_does():
    shell = _shell("ip link add veth0 type veth peer name veth1",
                   "timeout 1 tc -ts monitor > a.log &", "timeout 1 tc -t monitor > b.log &",
                   "sleep 0.5", "tc qdisc add dev veth0 root handle 1: pfifo",
                   "tc qdisc del dev veth0 root", "wait")
    assert _run(shell, "sed -E 's/^\\[[0-9T:.-]+\\]/[TS]/' a.log") == (
        "[TS] qdisc pfifo 1: dev veth0 root refcnt 3 limit 1000p\n"
        "[TS] deleted qdisc pfifo 1: dev veth0 root limit 1000p\n", 0)
    assert _run(shell, "sed -E 's/^Timestamp: .* usec$/Timestamp: X/' b.log") == (
        "Timestamp: X\nqdisc pfifo 1: dev veth0 root refcnt 3 limit 1000p\n"
        "Timestamp: X\ndeleted qdisc pfifo 1: dev veth0 root limit 1000p\n", 0)
    # the stamp's shape: asctime() and the microseconds
    text, _ = _run(shell, "head -1 b.log")
    import re
    assert re.fullmatch(r"Timestamp: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \d+ usec\n", text)


# --- nstat's history file (nstat(8))

def test_nstat_makes_its_history_file_mode_0600_and_keeps_a_mode_it_finds():
    shell = _shell("NSTAT_HISTORY=./h.nstat nstat -n")
    assert _run(shell, "ls -l h.nstat | cut -c1-10") == ("-rw-------\n", 0)
    shell.run_line("chmod 644 h.nstat")
    shell.run_line("NSTAT_HISTORY=./h.nstat nstat -n")
    assert _run(shell, "ls -l h.nstat | cut -c1-10") == ("-rw-r--r--\n", 0)


# --- TCP's ACK counters (snmp_counter.rst: TcpExtTCPPureAcks, TcpExtTCPHPAcks)

def test_a_curl_over_lo_counts_pure_and_predicted_acks():
    shell = _shell("ip link set lo up",
                   "timeout 5 python3 -m http.server 8041 > /dev/null 2>&1 &", "sleep 1",
                   "nstat -n")
    assert _run(shell, "curl -s -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:8041/") \
        == ("200\n", 0)
    # the server's handshake ACK and the client's first ACK (no prediction yet with
    # a window scale) and its last (LAST_ACK) take the slow path: pure ACKs; the
    # client's ACKs of the two data segments are predicted; GET, header, body and
    # the two FINs are new data; their ACKs and the SYN's deliver 6
    assert _run(shell, "nstat -z TcpExtTW TcpExtTCPPureAcks TcpExtTCPHPAcks "
                "TcpExtTCPOrigDataSent TcpExtTCPDelivered") == (
        "#kernel\n"
        "TcpExtTW                        1                  0.0\n"
        "TcpExtTCPPureAcks               3                  0.0\n"
        "TcpExtTCPHPAcks                 2                  0.0\n"
        "TcpExtTCPOrigDataSent           5                  0.0\n"
        "TcpExtTCPDelivered              6                  0.0\n", 0)


# --- IPv6 InMcastPkts (ip6_mc_input())

def test_multicast_dropped_before_its_route_is_not_counted_as_multicast_in():
    shell = _shell("ip link add veth0 type veth peer name veth1",
                   "sysctl -qw net.ipv6.conf.veth1.disable_ipv6=1",
                   "ip link set veth0 up", "ip link set veth1 up", "sleep 3")
    # veth0's MLD reports and router solicitation reach veth1, whose IPv6 is off:
    # received and discarded, never routed, so no InMcastPkts
    text, _ = _run(shell, "grep -E '^Ip6(InReceives|InDiscards|InMcastPkts) ' "
                   "/proc/net/dev_snmp6/veth1")
    rows = dict(line.split() for line in text.splitlines())
    assert int(rows["Ip6InReceives"]) > 0
    assert rows["Ip6InDiscards"] == rows["Ip6InReceives"]
    assert rows["Ip6InMcastPkts"] == "0"
