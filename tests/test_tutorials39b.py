"""The fixes round 39's traffic control tutorials led to (their cases, tutorials39b_,
are replayed whole by test_rounds.py). Every expected text was recorded on the
project's Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE` on a
pty: Linux 6.18 without netem, prio, sfq, fq_codel or act_police; iproute2 6.1, iputils
20221126), twice, the two recordings alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

FILTER = "tc filter add dev eth0 parent ffff: protocol ip prio 1 u32 match ip src 0.0.0.0/0 "


def _shell(static_neigh: bool = False):
    """eth0 (02:00:00:00:06:01, 172.16.6.1) to eth0 in namespace far (.2), IPv6 off;
    with `static_neigh` permanent neighbours both ways (no ARP in the counters)."""
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in ("ip netns add far",
                 "ip link add eth0 address 02:00:00:00:06:01 type veth peer name eth0 "
                 "address 02:00:00:00:06:02 netns far",
                 "sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1",
                 "ip netns exec far sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1",
                 "ip addr add 172.16.6.1/24 dev eth0",
                 "ip -n far addr add 172.16.6.2/24 dev eth0",
                 "ip link set eth0 up", "ip -n far link set eth0 up"):
        assert shell.run_line(line)[1] == 0, line
    if static_neigh:
        for line in ("ip neigh add 172.16.6.2 lladdr 02:00:00:00:06:02 dev eth0 nud permanent",
                     "ip -n far neigh add 172.16.6.1 lladdr 02:00:00:00:06:01 dev eth0 "
                     "nud permanent"):
            assert shell.run_line(line)[1] == 0, line
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


# --- act_parse_police() (stevedoria's and oneuptime's ingress policing pages)

def test_police_reads_conform_exceed_and_the_kernel_lacks_the_action():
    shell = _shell()
    assert _run(shell, "tc qdisc add dev eth0 ingress") == ("", 0)
    assert _run(shell, FILTER + "police rate 5mbit burst 50kb conform-exceed "
                "reclassify/pipe flowid :1") == (
        "Error: Failed to load TC action module.\nWe have an error talking to the kernel\n", 2)
    # parse_action_control_slash(): a bad word alone says so, one beside a slash does not
    assert _run(shell, FILTER + "police rate 5mbit burst 50kb conform-exceed foo "
                "flowid :1") == ('Bad action type foo\nIllegal "police"\n', 1)
    assert _run(shell, FILTER + "police rate 5mbit burst 50kb conform-exceed drop/foo "
                "flowid :1") == ('Illegal "police"\n', 1)
    assert _run(shell, FILTER + "police rate 5mbit burst 50kb burst 3k") == (
        'Error: duplicate "buffer/burst": "3k" is the second value.\n', 255)
    assert _run(shell, FILTER + "police rate 5mbit burst 50kb peakrate 6mbit flowid :1") == (
        "'mtu' is required, if 'peakrate' is requested.\nIllegal \"police\"\n", 1)
    assert _run(shell, FILTER + "police rate 5mbit burst 50kb goto chain x flowid :1") == (
        'Illegal "chain index"\nIllegal "police"\n', 1)
    text, status = _run(shell, FILTER + "police help")
    assert status == 255 and text.startswith("Usage: ... police [ rate BPS burst BYTES[/BYTES] ] \n")


def test_sizes_keep_the_floor_of_a_fraction_and_the_device_comes_first():
    # get_size(): `*size = sz` truncates, only an overflow fails (burst .4m is 419430)
    shell = _shell()
    assert _run(shell, "tc qdisc add dev eth0 handle ffff: ingress") == ("", 0)
    assert _run(shell, FILTER + "police rate 4mbit burst .4m drop flowid :1")[1] == 2
    # tc_filter_modify() looks the device up before the kind parses its options
    assert _run(shell, "tc filter add dev bond0 parent ffff: protocol ip prio 50 u32 "
                "match ip src police rate 4mbit flowid :1") == ('Cannot find device "bond0"\n', 1)
    # tbf's explain1() names the word typed; get_size_and_cell() wants a power of two
    assert _run(shell, "tc qdisc add dev eth0 root tbf rate 1mbit burst 1.7k/3 latency 10ms") \
        == ('tbf: illegal value for "burst": "1.7k/3"\n', 1)
    assert _run(shell, "tc qdisc add dev eth0 root tbf rate 1mbit bur -0.3 latency 10ms") \
        == ('tbf: illegal value for "bur": "-0.3"\n', 1)


# --- htb_classify() (besthub's per-IP page: default 1 names an inner class)

def test_htb_default_inner_class_sends_to_the_direct_queue():
    shell = _shell()
    for line in ("tc qdisc add dev eth0 root handle 1: htb default 1",
                 "tc class add dev eth0 parent 1:0 classid 1:1 htb rate 6MBps burst 15k",
                 "tc class add dev eth0 parent 1:1 classid 1:10 htb rate 6MBps ceil 10MBps "
                 "burst 15k",
                 "tc filter add dev eth0 protocol ip parent 1:0 prio 1 u32 match ip dst "
                 "172.16.6.2/32 flowid 1:10"):
        assert _run(shell, line)[1] == 0, line       # (quantum warnings)
    _run(shell, "ping -c 4 -i 0.2 -q 172.16.6.2")
    text = _run(shell, "tc -s class show dev eth0 classid 1:1")[0]
    assert " Sent 392 bytes 4 pkt " in text          # the ARP request went direct
    assert "direct_packets_stat 1 " in _run(shell, "tc qdisc show dev eth0")[0]


# --- pfifo_enqueue()/bfifo_enqueue() drops and ping's ENOBUFS (tc-pfifo(8))

def test_a_pfifo_of_limit_0_drops_and_ping_retries_a_whole_interval_later():
    shell = _shell(static_neigh=True)
    assert _run(shell, "tc qdisc add dev eth0 root handle 1: pfifo limit 0") == ("", 0)
    assert _run(shell, "ping -c 1 -W 1 172.16.6.2") == (
        "PING 172.16.6.2 (172.16.6.2) 56(84) bytes of data.\n"
        "ping: sendmsg: No buffer space available\n\n"
        "--- 172.16.6.2 ping statistics ---\n"
        "1 packets transmitted, 0 received, 100% packet loss, time 1000ms\n\n", 1)
    assert _run(shell, "tc -s qdisc show dev eth0") == (
        "qdisc pfifo 1: root refcnt 3 limit 0p\n"
        " Sent 0 bytes 0 pkt (dropped 2, overlimits 0 requeues 0) \n"
        " backlog 0b 0p requeues 0\n", 0)
    # a bfifo smaller than the frame drops it too; one that holds it sends it
    assert _run(shell, "tc qdisc del dev eth0 root; tc qdisc add dev eth0 root handle 1: "
                "bfifo limit 1000") == ("", 0)
    assert "0 received" in _run(shell, "ping -c 1 -W 1 -s 1000 -q 172.16.6.2")[0]
    assert "1 received" in _run(shell, "ping -c 1 -W 1 -q 172.16.6.2")[0]


# --- tbf (tc-tbf(8)'s example, then a rate that makes pings wait)

def test_tbf_change_refills_the_bucket_and_counts_overlimits_per_failed_dequeue():
    shell = _shell(static_neigh=True)
    assert _run(shell, "tc qdisc add dev eth0 handle 10: root tbf rate 8kbit burst 1600 "
                "latency 5s") == ("", 0)
    _run(shell, "ping -c 2 -i 0.2 -s 1400 -W 3 -q 172.16.6.2")
    assert _run(shell, "sleep 2; tc qdisc change dev eth0 handle 10: root tbf rate 8kbit "
                "burst 1600 latency 5s") == ("", 0)
    # a full bucket again: the first of three passes at once, two wait; each release
    # with one behind counts two overlimits on this two-queue veth
    text = _run(shell, "ping -c 3 -i 0.2 -s 1400 -q 172.16.6.2")[0]
    assert "1 received" in text
    _run(shell, "sleep 4")
    assert _run(shell, "tc -s qdisc show dev eth0")[0].splitlines()[1] == (
        " Sent 7210 bytes 5 pkt (dropped 0, overlimits 5 requeues 0) ")


def test_tbf_drops_a_packet_longer_than_its_burst_and_ping_says_so():
    shell = _shell(static_neigh=True)
    assert _run(shell, "tc qdisc add dev eth0 handle 10: root tbf rate 8kbit burst 1000 "
                "latency 5s") == ("", 0)
    text, status = _run(shell, "ping -c 2 -i 0.2 -s 1400 -W 1 172.16.6.2")
    assert text.count("ping: sendmsg: No buffer space available\n") == 2 and status == 1
    assert "(dropped 11, overlimits 0 requeues 0)" in _run(shell, "tc -s qdisc show dev eth0")[0]


# --- ll_proto_a2n()/ll_proto_n2a(), -p, -j -p and -j -g (tc(8)'s options)

def test_filter_protocols_are_llproto_names_or_numbers():
    shell = _shell()
    assert _run(shell, "tc qdisc add dev eth0 root handle 1: htb") == ("", 0)
    for proto, prio in (("0x1234", 1), ("802.1Q", 2), ("802_3", 3), ("0x88cc", 4)):
        assert _run(shell, f"tc filter add dev eth0 parent 1: protocol {proto} prio {prio} "
                    "u32 match u32 0 0 flowid 1:1") == ("", 0)
    text = _run(shell, "tc filter show dev eth0 | grep -v fh")[0]
    assert [line.split()[4] for line in text.splitlines()[::2]] == [
        "[4660]", "802.1Q", "802_3", "LLDP"]
    text = _run(shell, "tc -N filter show dev eth0 | grep -v fh")[0]
    assert [line.split()[4] for line in text.splitlines()[::2]] == [
        "[4660]", "[33024]", "[1]", "[35020]"]


def test_pretty_decodes_ip_keys_and_json_pretty_aborts():
    shell = _shell()
    for line in ("tc qdisc add dev eth0 root handle 1: htb",
                 "tc filter add dev eth0 parent 1: protocol ip prio 5 u32 match ip dst "
                 "10.1.1.0/24 flowid 1:10",
                 "tc filter add dev eth0 parent 1: protocol ip prio 6 u32 match ip dport 22 "
                 "0xffff match ip tos 0x10 0xff flowid 1:10"):
        assert _run(shell, line) == ("", 0), line
    assert _run(shell, "tc -p filter show dev eth0 prio 5")[0].endswith(
        "*flowid 1:10 not_in_hw \n  match IP dst 10.1.1.0/24\n")
    # print_ipv4(): a dport has no print_nl(); a dsfield is %#x
    assert _run(shell, "tc -p filter show dev eth0 prio 6")[0].endswith(
        "*flowid 1:10 not_in_hw match dport 22\n  match IP dsfield 0x10\n")
    text, status = _run(shell, "tc -p -j filter show dev eth0 prio 5")
    assert status == 134
    assert text.endswith('            "match": {\n'
                         '                "dst": {\n'
                         '                    "address": "10.1.1.0",\n'
                         '                    "prefixlen": 24\n'
                         '                }\n'
                         '            }\n'
                         "        }tc: json_writer.c:107: jsonw_destroy: Assertion "
                         "`self->depth == 0' failed.\n")
    # without -p the keys stay raw and the JSON whole
    assert _run(shell, "tc -j filter show dev eth0 prio 5")[1] == 0


def test_json_with_graph_prints_the_graph():
    shell = _shell()
    for line in ("tc qdisc add dev eth0 root handle 1: htb default 10",
                 "tc class add dev eth0 parent 1: classid 1:1 htb rate 10mbit",
                 "tc class add dev eth0 parent 1:1 classid 1:10 htb rate 5mbit ceil 10mbit"):
        assert _run(shell, line) == ("", 0), line
    assert _run(shell, "tc -j -g class show dev eth0") == _run(shell, "tc -g class show dev eth0")
    assert _run(shell, "tc -g class show dev eth0")[0].startswith("+---(1:1) htb rate 10Mbit")


# --- tc -batch, -netns, -oneline (tc(8)'s OPTIONS; linuxcommandlibrary's tc page)

def test_batch_stops_at_a_failed_line_unless_forced():
    shell = _shell()
    assert _run(shell, "printf 'qdisc add dev eth0 root handle 1: htb\\nclass add dev eth0 "
                "parent 1: classid 1:1 htb rate 1mbit\\n# a comment\\nclass add dev eth0 "
                "parent 1: classid 1:1 htb rate 1mbit\\nclass show dev eth0\\n' > b") == ("", 0)
    assert _run(shell, "tc -batch b") == (
        "RTNETLINK answers: File exists\nCommand failed b:4\n", 1)
    text, status = _run(shell, "tc -force -b b")
    assert status == 1 and text.endswith(
        "Command failed b:4\nclass htb 1:1 root prio 0 rate 1Mbit ceil 1Mbit burst 1600b "
        "cburst 1600b \n")
    # an htb option's explain1() returns (a failed line); invarg() exits: the batch
    # ends there, -force or not, with exit(-1)'s status
    text, status = _run(shell, "printf 'class add dev eth0 parent 1: classid 1:2 htb rate "
                         "x\\nfilter add dev eth0 parent 1: prio abc u32 match u32 0 0\\n"
                         "qdisc show dev eth0\\n' | tc -force -batch -")
    assert status == 255 and text.startswith('Illegal "rate"\n')
    assert text.endswith("TC HTB version 3.3\nCommand failed -:1\n"
                         'Error: argument "abc" is wrong: invalid priority value\n')
    assert _run(shell, "tc -batch nothing")[0] == (
        'Cannot open file "nothing" for reading: No such file or directory\n')


def test_netns_option_switches_and_names_the_missing_one():
    shell = _shell()
    assert _run(shell, "tc -n far qdisc show dev eth0")[1] == 0
    assert _run(shell, "tc -n qdisc show") == (
        'Cannot open network namespace "qdisc": No such file or directory\n', 255)
    assert _run(shell, "tc -n") == (
        'Cannot open network namespace "(null)": No such file or directory\n', 255)


def test_oneline_turns_print_nl_into_backslashes():
    shell = _shell()
    assert _run(shell, "tc qdisc add dev eth0 root handle 1: tbf rate 20mbit burst 32kbit "
                "latency 50ms") == ("", 0)
    assert _run(shell, "tc -o qdisc show dev eth0") == (
        "qdisc tbf 1: root refcnt 3 rate 20Mbit burst 4Kb lat 50ms \\", 0)
    assert _run(shell, "tc -o -s qdisc show dev eth0")[0] == (
        "qdisc tbf 1: root refcnt 3 rate 20Mbit burst 4Kb lat 50ms \\ Sent 0 bytes 0 pkt "
        "(dropped 0, overlimits 0 requeues 0) \\ backlog 0b 0p requeues 0\\")


# --- tbf on lo (timesinker's loopback post)

def test_lo_qdisc_counts_the_mac_header_and_refuses_a_ping_longer_than_its_burst():
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in ("sysctl -qw net.ipv6.conf.lo.disable_ipv6=1", "ip link set lo up",
                 "tc qdisc add dev lo root handle 1: tbf rate 10Mbit burst 10kb latency 5ms"):
        assert _run(shell, line) == ("", 0), line
    _run(shell, "ping -c 3 -i 0.2 -q 127.0.0.1")
    # skb->len at the qdisc holds the MAC header loopback_xmit() pulls later
    assert " Sent 588 bytes 6 pkt " in _run(shell, "tc -s qdisc show dev lo")[0]
    text, status = _run(shell, "ping -c 2 -i 0.2 -s 20000 -W 1 127.0.0.1")
    assert text.count("ping: sendmsg: No buffer space available\n") == 2 and status == 1
    # one tx queue: a release with one behind counts one overlimit (TCQ_F_ONETXQUEUE)
    assert _run(shell, "tc q c dev lo root handle 1: tbf rate 8kbit burst 1600 "
                "latency 5s") == ("", 0)
    _run(shell, "ping -c 3 -i 0.2 -s 1400 -W 9 -q 127.0.0.1")
    # (a change keeps the counters: 588 bytes and 11 drops before)
    assert " Sent 9240 bytes 12 pkt (dropped 11, overlimits 9 requeues 0) " in _run(
        shell, "tc -s qdisc show dev lo")[0]


# --- tc monitor (tc(8)'s MONITOR; ipemu/kernel/sch_notify.py)

def test_monitor_prints_the_kernels_tc_notifications_in_its_order():
    shell = _shell()
    lines = ("timeout 1 tc monitor &", "sleep 0.1",
             "tc qdisc add dev eth0 root handle 1: htb default 10",
             "tc class add dev eth0 parent 1: classid 1:10 htb rate 1mbit",
             "tc filter add dev eth0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.1 "
             "flowid 1:10",
             "tc filter del dev eth0 parent 1: prio 1",
             "tc qdisc add dev eth0 ingress", "tc qdisc del dev eth0 ingress",
             "tc qdisc del dev eth0 root")
    for line in lines:
        shell.run_line(line)
    assert _run(shell, "wait")[0] == (
        # the device's first noqueue says refcnt 2; htb has ->attach: told at refcnt 1
        "deleted qdisc noqueue 0: dev eth0 root refcnt 2 \n"
        "qdisc htb 1: dev eth0 root r2q 10 default 0x10 direct_packets_stat 0 "
        "direct_qlen 1000\n"
        "class htb 1:10 dev eth0 root prio 0 rate 1Mbit ceil 1Mbit burst 1600b "
        "cburst 1600b \n"
        "added chain dev eth0 parent 1: chain 0 \n"
        "added filter dev eth0 parent 1: protocol ip pref 1 u32 chain 0 fh 800::800 "
        "order 2048 key ht 800 bkt 0 *flowid 1:10 not_in_hw \n"
        "  match 0a000001/ffffffff at 16\n"
        "deleted filter dev eth0 parent 1: protocol ip pref 1 u32 chain 0 \n"
        "deleted chain dev eth0 parent 1: chain 0 \n"
        "qdisc ingress ffff: dev eth0 parent ffff:fff1 ---------------- \n"
        "deleted qdisc ingress ffff: dev eth0 parent ffff:fff1 refcnt 0 ---------------- \n"
        "deleted qdisc htb 1: dev eth0 root r2q 10 default 0x10 direct_packets_stat 0 "
        "direct_qlen 1000\n")
    assert _run(shell, "tc monitor foo") == (
        'Argument "foo" is unknown, try "tc monitor help".\n', 255)


# --- htb_charge_class() at dequeue (codetd's per-address htb limit)

def test_htb_counts_lends_and_cant_send_overlimits_when_a_packet_leaves():
    shell = _shell(static_neigh=True)
    for line in ("tc qdisc add dev eth0 root handle 1: htb default 30",
                 "tc class add dev eth0 parent 1: classid 1:1 htb rate 100mbit",
                 "tc class add dev eth0 parent 1:1 classid 1:10 htb rate 8kbit ceil 8kbit "
                 "burst 1200 cburst 1200",
                 "tc filter add dev eth0 protocol ip parent 1:0 prio 1 u32 match ip dst "
                 "172.16.6.2/32 flowid 1:10"):
        assert _run(shell, line)[1] == 0, line
    # the second ping leaves at once and empties the class (HTB_CANT_SEND: an overlimit),
    # the third waits: not yet lent, not yet counted
    _run(shell, "ping -c 3 -i 0.2 -s 1000 -W 5 -q 172.16.6.2")
    assert _run(shell, "tc -s class show dev eth0 classid 1:10 | head -4")[0] == (
        "class htb 1:10 parent 1:1 prio 0 rate 8Kbit ceil 8Kbit burst 1200b cburst 1200b \n"
        " Sent 2084 bytes 2 pkt (dropped 0, overlimits 1 requeues 0) \n"
        " backlog 1042b 1p requeues 0\n"
        " lended: 2 borrowed: 0 giants: 0\n")
    _run(shell, "sleep 3")
    text = _run(shell, "tc -s class show dev eth0 classid 1:10 | head -4")[0]
    assert " Sent 3126 bytes 3 pkt (dropped 0, overlimits 2 requeues 0) " in text
    assert " lended: 3 borrowed: 0 giants: 0\n" in text
    assert "(dropped 0, overlimits 2 requeues 0)" in _run(shell, "tc -s qdisc show dev eth0")[0]


def test_json_stats_of_a_mirred_action_carry_its_counters():
    # print_tcstats2_attr()'s JSON names under "stats" (recorded with tc -s -j on the
    # oracle; print_tm()'s ages show only once they are not zero ticks)
    import json
    shell = _shell()
    for line in ("ip link add ifb0 type ifb", "ip link set ifb0 up",
                 "tc qdisc add dev eth0 handle ffff: ingress",
                 "tc filter add dev eth0 parent ffff: protocol ip u32 match u32 0 0 action "
                 "mirred egress redirect dev ifb0"):
        assert _run(shell, line) == ("", 0), line
    _run(shell, "ip netns exec far ping -c 2 -i 0.2 -q 172.16.6.1")
    text, status = _run(shell, "tc -s -j filter show dev eth0 parent ffff:")
    assert status == 0
    action = json.loads(text)[2]["options"]["actions"][0]
    assert action["to_dev"] == "ifb0" and action["bind"] == 1
    assert action["stats"] == {"bytes": 168, "packets": 2, "drops": 0, "overlimits": 0,
                               "requeues": 0, "backlog": 0, "qlen": 0}


def test_monitor_tells_actions_ifb_roots_and_clsact_egress_chains():
    shell = _shell()
    for line in ("ip link add ifb0 type ifb", "ip link set ifb0 up",
                 "timeout 1 tc monitor &", "sleep 0.1",
                 "tc qdisc add dev eth0 handle ffff: ingress",
                 "tc filter add dev eth0 parent ffff: protocol ip u32 match u32 0 0 action "
                 "mirred egress redirect dev ifb0",
                 "tc qdisc add dev ifb0 root handle 1: tbf rate 1mbit burst 10k latency 10ms",
                 "tc qdisc del dev eth0 ingress", "tc qdisc add dev eth0 clsact",
                 "tc filter add dev eth0 egress protocol ip u32 match ip dst 10.0.0.1/32 "
                 "action mirred egress mirror dev ifb0",
                 "tc qdisc del dev eth0 clsact"):
        shell.run_line(line)
    # (recorded; the second action's index was 2 there: the first one, gone with its
    # qdisc, is freed by a deferred work the next request may or may not follow)
    import re
    assert re.sub(r"\tindex \d+ ", "\tindex 1 ", _run(shell, "wait")[0]) == (
        "qdisc ingress ffff: dev eth0 parent ffff:fff1 ---------------- \n"
        "added chain dev eth0 parent ffff: chain 0 \n"
        "added filter dev eth0 parent ffff: protocol ip pref 49152 u32 chain 0 fh 800::800 "
        "order 2048 key ht 800 bkt 0 terminal flowid not_in_hw \n"
        "  match 00000000/00000000 at 0\n"
        "\taction order 1: mirred (Egress Redirect to device ifb0) stolen\n"
        "\tindex 1 ref 1 bind 1\n\n"
        # ifb's default pfifo_fast (no ->attach to its tbf: refcnt 2, its one queue's)
        "deleted qdisc pfifo_fast 0: dev ifb0 root bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 "
        "1 1 1 1 1\n"
        "qdisc tbf 1: dev ifb0 root refcnt 2 rate 1Mbit burst 10Kb lat 10ms \n"
        "deleted qdisc ingress ffff: dev eth0 parent ffff:fff1 refcnt 0 ---------------- \n"
        "deleted chain dev eth0 parent ffff: chain 0 \n"
        "qdisc clsact ffff: dev eth0 parent ffff:fff1 \n"
        "added chain dev eth0 parent ffff: chain 0 \n"
        "added filter dev eth0 egress protocol ip pref 49152 u32 chain 0 fh 800::800 "
        "order 2048 key ht 800 bkt 0 terminal flowid not_in_hw \n"
        "  match 0a000001/ffffffff at 16\n"
        "\taction order 1: mirred (Egress Mirror to device ifb0) pipe\n"
        "\tindex 1 ref 1 bind 1\n\n"
        "deleted qdisc clsact ffff: dev eth0 parent ffff:fff1 refcnt 0 \n"
        "deleted chain dev eth0 parent ffff: chain 0 \n")
