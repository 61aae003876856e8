"""The fixes round 43's second pass over traffic control tutorials led to (their cases,
tutorials43c_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE`
on a pty: Linux 6.18, iproute2 6.1), twice, the two recordings alike under diff.py's
masks."""
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


CASES = Path(__file__).resolve().parent / "oracle_cases"


def _case_until(name: str, command: str):
    """A shell that ran the case's lines before `command` (its first occurrence)."""
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in (CASES / f"{name}.cmds").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line == command:
            return shell
        shell.run_line(line)
    raise AssertionError(f"{command!r} not in {name}")


VETH = ("ip link add eth0 address 02:00:00:00:43:01 type veth peer name eth1 "
        "address 02:00:00:00:43:02",
        "sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1",
        "sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1",
        "ip addr add 192.0.2.1/24 dev eth0", "ip addr add 192.0.2.2/24 dev eth1",
        "ip link set eth0 up", "ip link set eth1 up")


# --- sch_fifo.c: pfifo_head_drop is a fifo of packets the recording kernel has

def test_pfifo_head_drop_under_an_htb_class():
    shell = _shell(*VETH, "tc qdisc add dev eth0 root handle 1: htb default 30",
                   "tc class add dev eth0 parent 1: classid 1:30 htb rate 1mbit")
    assert _run(shell, "tc qdisc add dev eth0 parent 1:30 handle 30: pfifo_head_drop "
                       "limit 50") == ("", 0)
    out, _ = _run(shell, "tc qdisc show dev eth0")
    assert out.splitlines()[1] == "qdisc pfifo_head_drop 30: parent 1:30 limit 50p"
    out, _ = _run(shell, "tc class show dev eth0")
    assert out == ("class htb 1:30 root leaf 30: prio 0 rate 1Mbit ceil 1Mbit burst "
                   "1600b cburst 1600b \n")


# --- tc_stab.c and sch_api.c's size tables

def test_stab_is_shown_under_details_only():
    shell = _shell(*VETH)
    assert _run(shell, "tc qdisc add dev eth0 root handle 1: stab overhead 10 linklayer "
                       "atm tbf rate 1mbit burst 10k latency 50ms") == ("", 0)
    assert _run(shell, "tc qdisc show dev eth0")[0] == \
        "qdisc tbf 1: root refcnt 3 rate 1Mbit burst 10Kb lat 50ms \n"
    assert _run(shell, "tc -d qdisc show dev eth0")[0] == (
        "qdisc tbf 1: root refcnt 3 rate 1Mbit burst 10Kb/1 mpu 0b lat 50ms linklayer "
        "ethernet \n linklayer atm overhead 10 mtu 2047 tsize 512 \n")
    assert _run(shell, "tc -j -d qdisc show dev eth0")[0].endswith(
        '"stab":{"linklayer":"atm","overhead":10,"mtu":2047,"tsize":512}}]\n')


def test_stab_sizes_are_what_the_qdisc_counts():
    # two 98-byte echo requests: 98 + 10 in 48-byte cells is 3 cells of 53 bytes each
    shell = _case_until("tutorials43c_man7_tc_stab", "tc -s qdisc show dev ppp0")
    out, _ = _run(shell, "tc -s qdisc show dev ppp0")
    assert out.splitlines()[1] == \
        " Sent 318 bytes 2 pkt (dropped 0, overlimits 0 requeues 0) "
    # mpu 128 on ethernet: three 62-byte requests count 128 each
    shell = _case_until("tutorials43c_man7_tc_stab",
                        "tc qdisc replace dev ppp0 root handle 4: stab linklayer adsl "
                        "overhead 40 tsize 64 pfifo")
    out, _ = _run(shell, "tc -s qdisc show dev ppp0")
    assert out.splitlines()[1] == \
        " Sent 384 bytes 3 pkt (dropped 0, overlimits 0 requeues 0) "


def test_stab_change_without_stab_drops_it():
    shell = _shell(*VETH, "tc qdisc add dev eth0 root handle 1: stab overhead 10 "
                          "linklayer atm tbf rate 1mbit burst 10k latency 50ms")
    _run(shell, "tc qdisc change dev eth0 root handle 1: tbf rate 1mbit burst 10k "
                "latency 50ms")
    assert _run(shell, "tc -d qdisc show dev eth0")[0] == (
        "qdisc tbf 1: root refcnt 3 rate 1Mbit burst 10Kb/1 mpu 0b lat 50ms linklayer "
        "ethernet \n")


def test_stab_errors():
    shell = _shell(*VETH)
    assert _run(shell, "tc qdisc add dev eth0 root stab mtu 2048 tsize 512 pfifo") == \
        ("", 255)           # check_size_table_opts(): nothing to do, -1 in silence
    assert _run(shell, "tc qdisc add dev eth0 root stab") == \
        ('Command line is not complete. Try option "help"\n', 255)
    assert _run(shell, "tc qdisc add dev eth0 root stab linklayer dsl pfifo") == \
        ('Error: argument "invalid linklayer" is wrong: linklayer\n', 255)
    assert _run(shell, "tc qdisc add dev eth0 root stab tsize x linklayer atm pfifo") == \
        ('Error: argument "invalid table size" is wrong: tsize\n', 255)
    assert _run(shell, "tc qdisc add dev eth0 root stab overhead 10 overhead 20 pfifo") \
        == ('Error: duplicate "overhead": "20" is the second value.\n', 255)
    out, status = _run(shell, "tc qdisc add dev eth0 root stab help")
    assert status == 255 and out.startswith("Usage: ... stab [ mtu BYTES ]")


# --- cls_bpf.c with classic programs, f_bpf.c's parsing and printing

HTB = ("tc qdisc add dev eth0 root handle 1: htb default 20",
       "tc class add dev eth0 parent 1: classid 1:1 htb rate 10mbit",
       "tc class add dev eth0 parent 1: classid 1:10 htb rate 10mbit",
       "tc class add dev eth0 parent 1: classid 1:20 htb rate 10mbit")


def test_bpf_programs_are_listed_newest_first_with_their_handles():
    shell = _shell(*VETH, *HTB,
                   "tc filter add dev eth0 parent 1: prio 5 bpf bytecode "
                   "'4,40 0 0 12,21 0 1 2048,6 0 0 65552,6 0 0 0'",
                   "tc filter add dev eth0 parent 1: prio 5 bpf bytecode "
                   "'1,6 0 0 4294967295' flowid 1:20")
    assert _run(shell, "tc filter show dev eth0 prio 5") == (
        "filter parent 1: protocol all bpf chain 0 \n"
        "filter parent 1: protocol all bpf chain 0 handle 0x2 flowid 1:20 not_in_hw "
        "bytecode '1,6 0 0 4294967295'\n"
        "filter parent 1: protocol all bpf chain 0 handle 0x1 not_in_hw bytecode "
        "'4,40 0 0 12,21 0 1 2048,6 0 0 65552,6 0 0 0'\n", 0)
    out, _ = _run(shell, "tc -j filter show dev eth0 prio 5")
    assert '"options":{"handle":"0x2","flowid":"1:20","not_in_hw":true,"bytecode":' \
        '{"length":1,"insns":[{"code":6,"jt":0,"jf":0,"k":4294967295}]}}' in out


def test_bpf_return_values_pick_classes():
    # -1: the filter's flowid; another value: that class id (0x10010 is 1:10); the
    # snapshot length tcpdump -ddd returns (262144) is no class: the default one
    case = "tutorials43c_manbpf_cbpf_bytecode"
    shell = _case_until(case, "tc filter add dev em1 parent 1: prio 5 bpf bytecode "
                              "'1,6 0 0 4294967295' flowid 1:20")
    out, _ = _run(shell, "tc -s class show dev em1")
    sent = [line for line in out.splitlines() if line.startswith(" Sent")]
    assert sent == [" Sent 196 bytes 2 pkt (dropped 0, overlimits 0 requeues 0) ",
                    " Sent 294 bytes 3 pkt (dropped 0, overlimits 0 requeues 0) ",
                    " Sent 196 bytes 2 pkt (dropped 0, overlimits 0 requeues 0) "]


def test_bpf_parse_and_kernel_errors():
    shell = _shell(*VETH, *HTB)
    assert _run(shell, "tc filter add dev eth0 parent 1: prio 12 bpf bytecode '2,6 0 0 0' "
                       "classid 1:10") == (
        "Parsed program length is less than encoded length parameter!\n"
        "Unable to parse bpf command line\n", 1)
    assert _run(shell, "tc filter add dev eth0 parent 1: prio 13 bpf bytecode '1,6 0 0' "
                       "classid 1:10") == \
        ("Error at instruction 0!\nUnable to parse bpf command line\n", 1)
    assert _run(shell, "tc filter add dev eth0 parent 1: prio 14 bpf classid 1:10") == (
        "RTNETLINK answers: Invalid argument\nWe have an error talking to the kernel\n", 2)
    # bpf_check_classic(): no return at the end, a jump out of the program
    for prog in ("1,40 0 0 12", "2,21 0 5 2048,6 0 0 0"):
        assert _run(shell, f"tc filter add dev eth0 parent 1: bpf bytecode '{prog}'")[1] == 2
    assert _run(shell, "tc filter add dev eth0 parent 1: bpf foo") == \
        ('What mode is "foo"?\nUnable to parse bpf command line\n', 1)
    assert _run(shell, "tc filter add dev eth0 parent 1: prio 18 bpf bytecode-file "
                       "/nonexistent classid 1:10") == \
        ("Cannot fopen: No such file or directory\nUnable to parse bpf command line\n", 1)


def test_bpf_direct_action_is_printed():
    shell = _shell(*VETH, *HTB, "tc filter add dev eth0 parent 1: prio 20 bpf bytecode "
                                "'1,6 0 0 0' classid 1:10 da")
    assert _run(shell, "tc filter show dev eth0")[0].splitlines()[1] == (
        "filter parent 1: protocol all pref 20 bpf chain 0 handle 0x1 flowid 1:10 "
        "direct-action not_in_hw bytecode '1,6 0 0 0'")


# --- gen_estimator.c and tc_estimator.c

def test_an_estimator_adds_the_rate_line_and_decays_to_zero():
    case = "tutorials43c_ipfire_police_estimator"
    shell = _case_until(case, "tc -s qdisc show dev eth0")
    out, _ = _run(shell, "tc -s qdisc show dev eth0")
    assert out.splitlines()[2] == " rate 0bit 0pps backlog 0b 0p requeues 0"
    shell = _case_until(case, "sleep 6")
    out, _ = _run(shell, "tc -s class show dev eth0 classid 1:10")
    assert not out.splitlines()[2].startswith(" rate 0bit 0pps")   # 10 pings in 0.5 s
    _run(shell, "sleep 6")
    out, _ = _run(shell, "tc -s class show dev eth0 classid 1:10")
    assert out.splitlines()[2] == " rate 0bit 0pps backlog 0b 0p requeues 0"


def test_estimator_errors():
    shell = _shell(*VETH)
    assert _run(shell, "tc qdisc add dev eth0 root estimator 8sec 1ms pfifo") == \
        ("Error: estimator parameters are out of range.\n", 255)
    assert _run(shell, "tc qdisc add dev eth0 root estimator 1sec 8ss pfifo") == \
        ('Error: argument "invalid estimator time constant" is wrong: estimator\n', 255)
    assert _run(shell, "tc qdisc add dev eth0 root estimator 1sec 8sec estimator 1sec "
                       "8sec pfifo") == \
        ('Error: duplicate "estimator": "1sec" is the second value.\n', 255)


def test_a_changed_htb_class_keeps_its_first_tokens():
    shell = _shell(*VETH, "tc qdisc add dev eth0 root handle 1: htb",
                   "tc class add dev eth0 parent 1: classid 1:20 htb rate 10mbit",
                   "tc class change dev eth0 parent 1: classid 1:20 htb rate 20mbit")
    out, _ = _run(shell, "tc -s class show dev eth0 classid 1:20")
    assert " tokens: 20000 ctokens: 20000" in out.splitlines()


# --- q_codel.c, q_pie.c, q_fq.c, q_cake.c, q_hfsc.c, q_dsmark.c: tc refuses first

def test_aqm_parsers_refuse_before_the_kernel_answers():
    # (up: a percentage of fq's maxrate reads the device's speed)
    shell = _shell("ip link add eth0 type veth peer name eth1", "ip link set eth0 up")
    out, status = _run(shell, "tc qdisc add dev eth0 root cake foo")
    assert status == 1 and out.startswith(
        'What is "foo"?\nUsage: ... cake [ bandwidth RATE | unlimited* | autorate-ingress ]\n')
    assert _run(shell, "tc qdisc add dev eth0 root cake bandwidth 1mbit overhead 300") == \
        ('Illegal "overhead", valid range is -64 to 256\\n', 1)
    assert _run(shell, "tc qdisc add dev eth0 root cake memlimit lots") == \
        ('Illegal value for "memlimit": "lots"\n', 1)
    assert _run(shell, "tc qdisc add dev eth0 root codel limit many") == \
        ('Illegal "limit"\n', 1)
    assert _run(shell, "tc qdisc add dev eth0 root pie alpha 40") == ('Illegal "alpha"\n', 1)
    assert _run(shell, "tc qdisc add dev eth0 root fq orphan_mask x") == \
        ('Illegal "initial_quantum"\n', 1)
    assert _run(shell, "tc qdisc add dev eth0 root fq maxrate 50%") == \
        ("Error: Specified qdisc kind is unknown.\n", 2)
    assert _run(shell, "tc qdisc add dev eth0 root handle 1: hfsc default 10 default 20") \
        == ('HFSC: Double "default"\n', 1)
    assert _run(shell, "tc qdisc add dev eth0 root handle 1: dsmark indices 0") == \
        ("Usage: dsmark indices INDICES [ default_index DEFAULT_INDEX ] [ set_tc_index ]\n",
         1)
    # words they all take: the kernel has none of them
    for line in ("cake bandwidth 95Mbit diffserv4 dual-dsthost nat",
                 "codel target 5ms interval 100ms ecn", "hfsc default 10",
                 "dsmark indices 64 default_index 0 set_tc_index"):
        assert _run(shell, f"tc qdisc add dev eth0 root handle 1: {line}") == \
            ("Error: Specified qdisc kind is unknown.\n", 2)


def test_a_changed_class_charges_from_its_first_tokens():
    # 95mbit's 1600-byte bucket (about 0.13 ms) plus the time since the class was
    # made: the second 1042-byte ping at 16kbit waits about 0.3 s, the third stays
    # queued past ping's end (recorded through ifb0)
    case = "tutorials43c_serverdev_ifb_policing"
    shell = _case_until(case, "tc -s class show dev ifb0 classid 1:10 | head -3")
    out, _ = _run(shell, "tc -s class show dev ifb0 classid 1:10 | head -3")
    assert out.splitlines()[1:] == [
        " Sent 2084 bytes 2 pkt (dropped 0, overlimits 2 requeues 0) ",
        " backlog 1042b 1p requeues 0"]


def test_bpf_filter_get_change_and_monitor_events():
    case = "tutorials43c_man7bpf_monitor_replace"
    shell = _case_until(case, "tc filter show dev eth0")
    assert _run(shell, "tc filter get dev eth0 parent 1: prio 3 handle 5 protocol all "
                       "bpf") == ("filter parent 1: protocol all pref 3 bpf chain 0 "
                                  "handle 0x5 not_in_hw bytecode '1,6 0 0 65546'\n", 0)
    assert _run(shell, "tc filter add dev eth0 parent 1: prio 7 bpf bytecode '1,6 0 0 1' "
                       "skip_sw") == ("RTNETLINK answers: Operation not supported\n"
                                      "We have an error talking to the kernel\n", 2)
    # a change without a flowid: the new program has none (cls_bpf_change() makes a
    # new one); tc monitor showed the new program for replace and change
    out, _ = _run(shell, "tc filter show dev eth0 prio 3")
    assert out.splitlines()[-1] == ("filter parent 1: protocol all bpf chain 0 handle 0x1 "
                                    "not_in_hw bytecode '1,6 0 0 65546'")


# --- sch_handle_egress(): clsact's egress filters act; tcf_mirred_act()'s nest limit

def test_clsact_egress_mirror_counts_from_the_mac_header():
    case = "tutorials43c_huschi_mirred_span"
    shell = _case_until(case, "tc -s qdisc show dev eth0")
    out, _ = _run(shell, "tc -s filter show dev eth0 egress")
    # two 98-byte echo requests: skb->len on egress has the MAC header
    assert "\tSent 196 bytes 2 pkt (dropped 0, overlimits 0 requeues 0) " in out.splitlines()
    out, _ = _run(shell, "tc -s filter show dev eth0 ingress")
    assert "\tSent 168 bytes 2 pkt (dropped 0, overlimits 0 requeues 0) " in out.splitlines()


def test_a_mirror_to_its_own_device_stops_at_the_nest_limit():
    shell = _shell(
        "ip netns add peer",
        "ip link add eth0 address 02:00:00:00:43:61 type veth peer name eth0 address "
        "02:00:00:00:43:62 netns peer",
        "sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1",
        "ip netns exec peer sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1",
        "ip addr add 10.43.6.1/24 dev eth0", "ip -n peer addr add 10.43.6.2/24 dev eth0",
        "ip neigh add 10.43.6.2 lladdr 02:00:00:00:43:62 dev eth0 nud permanent",
        "ip -n peer neigh add 10.43.6.1 lladdr 02:00:00:00:43:61 dev eth0 nud permanent",
        "ip link set eth0 up", "ip -n peer link set eth0 up", "tc qdisc add dev eth0 clsact",
        "tc filter add dev eth0 egress protocol ip prio 1 u32 match ip dst 10.43.6.2/32 "
        "match ip protocol 1 0xff action mirred egress mirror dev eth0")
    out, _ = _run(shell, "ping -c 2 -i 0.2 -q 10.43.6.2")
    # recorded: four copies deep, the fifth shot (an overlimit, a drop of clsact's)
    assert "2 packets transmitted, 2 received, +3 duplicates, 0% packet loss" in out
    out, _ = _run(shell, "tc -s filter show dev eth0 egress")
    assert "\tSent 784 bytes 8 pkt (dropped 0, overlimits 2 requeues 0) " in out.splitlines()
    out, _ = _run(shell, "tc -s qdisc show dev eth0")
    assert "(dropped 2, overlimits 0 requeues 0)" in out.splitlines()[4]


def test_htb_offload_needs_hardware():
    shell = _shell("ip link add eth0 type veth peer name eth1")
    assert _run(shell, "tc qdisc add dev eth0 root handle 1: htb default 2 direct_qlen 10 "
                       "offload") == \
        ("Error: hw-tc-offload ethtool feature flag must be on.\n", 2)


# --- htb_classify(): an inner class's own filters pick among its children

def test_filters_of_an_inner_class_classify_on():
    case = "tutorials43c_man7htb_class_filters"
    shell = _case_until(case, "tc filter del dev eth0 parent 1:1 prio 2")
    out, _ = _run(shell, "tc -s class show dev eth0")
    sent = {line.split()[2]: next_line for line, next_line in
            zip(out.splitlines(), out.splitlines()[1:]) if line.startswith("class")}
    assert sent["1:10"].startswith(" Sent 196 bytes 2 pkt")     # 1:1's u32 filter
    assert sent["1:20"].startswith(" Sent 294 bytes 3 pkt")     # 1:1's bpf filter
    assert sent["1:30"].startswith(" Sent 0 bytes 0 pkt")       # the default: unused


# --- f_flower.c, f_fw.c: tc refuses before the kernel (which lacks them) answers

def test_flower_and_fw_refuse_their_own_mistakes():
    shell = _shell("ip link add eth0 type veth peer name eth1", "tc qdisc add dev eth0 clsact")
    add = "tc filter add dev eth0 ingress "
    assert _run(shell, add + "protocol ip flower dst_port 80 action drop") == \
        ('Illegal "dst_port"\n', 1)
    assert _run(shell, add + "flower ip_proto tcp action drop") == \
        ('Illegal "eth_type" for ip proto\nIllegal "ip_proto"\n', 1)
    assert _run(shell, add + "protocol ip flower dst_ip 10.0.0.300 action drop") == \
        ('Error: inet prefix is expected rather than "10.0.0.300".\n', 1)
    assert _run(shell, add + "protocol ip flower src_mac zz:00:00:00:00:01 action drop") \
        == ('"zz" is invalid lladdr.\nIllegal "src_mac"\n', 1)
    assert _run(shell, add + "protocol ip flower vlan_id 10 action drop") == (
        'Can\'t set "vlan_id" if ethertype isn\'t 802.1Q or 802.1AD and num_of_vlans is '
        '0\n', 1)
    out, status = _run(shell, add + "fw foo")
    assert status == 1 and out.startswith('What is "foo"?\nUsage: ... fw [ classid CLASSID ]')
    assert _run(shell, add + "protocol ip flower ip_proto tcp dst_port 80 action drop") == \
        ("Error: TC classifier not found.\nWe have an error talking to the kernel\n", 2)
    assert _run(shell, add + "tcindex mask 0xfc shift 2") == \
        ("Error: TC classifier not found.\nWe have an error talking to the kernel\n", 2)


def test_netem_time_too_large_for_ticks():
    shell = _shell("ip link add eth0 type veth peer name eth1")
    # get_ticks(): -10ms wraps to an unsigned 4294957296 us, past 32 bits of ticks
    assert _run(shell, "tc qdisc add dev eth0 root netem delay -10ms") == \
        ('Illegal 4294957296 time (too large)\nIllegal "latency"\n', 1)


def test_a_direct_action_program_shoots_at_ingress():
    shell = _shell(
        "ip netns add peer",
        "ip link add eth0 address 02:00:00:00:43:c1 type veth peer name eth0 address "
        "02:00:00:00:43:c2 netns peer",
        "sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1",
        "ip netns exec peer sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1",
        "ip addr add 10.43.12.1/24 dev eth0", "ip -n peer addr add 10.43.12.2/24 dev eth0",
        "ip neigh add 10.43.12.2 lladdr 02:00:00:00:43:c2 dev eth0 nud permanent",
        "ip -n peer neigh add 10.43.12.1 lladdr 02:00:00:00:43:c1 dev eth0 nud permanent",
        "ip link set eth0 up", "ip -n peer link set eth0 up", "tc qdisc add dev eth0 clsact",
        "tc filter add dev eth0 ingress bpf da bytecode '1,6 0 0 2'")
    out, _ = _run(shell, "ping -c 2 -i 0.2 -W 1 -q 10.43.12.2")
    assert "2 packets transmitted, 0 received, 100% packet loss" in out
    # recorded: the replies counted by clsact and dropped (TC_ACT_SHOT)
    out, _ = _run(shell, "tc -s qdisc show dev eth0")
    assert out.splitlines()[4] == " Sent 168 bytes 2 pkt (dropped 2, overlimits 0 requeues 0) "


def test_an_existing_handle_cannot_move_to_another_parent():
    shell = _shell("ip link add eth0 type veth peer name eth1",
                   "tc qdisc add dev eth0 root handle ffff: pfifo")
    assert _run(shell, "tc qdisc add dev eth0 ingress handle 5:") == \
        ("Error: Cannot move an existing qdisc to a different parent.\n", 2)
