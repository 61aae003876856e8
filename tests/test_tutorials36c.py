"""tutorials36c's fixes, each what a recorded case showed (the cases themselves are
replayed by test_rounds.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def test_a_second_classifier_at_a_u32_prio_is_refused_for_its_kind():
    # tc_new_tfilter(): the proto found at (protocol, prio) is compared by kind before any
    # classifier module is looked up (recorded: tutorials36c_ecom_htb_sfq_eth1)
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    term, status = shell.run_line(
        "ip link add eth1 type veth peer name p1; tc qdisc add dev eth1 root handle 1: htb; "
        "tc filter add dev eth1 protocol ip parent 1:0 prio 1 u32 match ip dport 80 0xffff "
        "flowid 1:2; tc filter add dev eth1 protocol ip parent 1:0 prio 1 handle 6 fw "
        "flowid 1:3; tc filter add dev eth1 protocol ip parent 1:0 prio 2 handle 6 fw "
        "flowid 1:3")
    assert term.text() == ("Error: Specified filter kind does not match existing one.\n"
                           "We have an error talking to the kernel\n"
                           "Error: TC classifier not found.\n"
                           "We have an error talking to the kernel\n")


def test_u32_ht_puts_the_key_node_in_that_tables_bucket():
    # u32_change() with TCA_U32_HASH: the table must exist, the node goes to its
    # bucket with ids from 800 there; f_u32.c prints HTID:BUCKET:NODE (recorded on
    # this machine in a fresh namespace: `unshare -n`, kernel 6.18, iproute2 6.1)
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    term, _ = shell.run_line(
        "ip link add eth0 type veth peer name p; tc qdisc add dev eth0 root handle 1: htb; "
        "tc filter add dev eth0 parent 1: protocol ip prio 3 u32 ht 1:6: match ip dst "
        "1.2.3.4 flowid 1:2; tc filter add dev eth0 parent 1: protocol ip prio 3 handle 1: "
        "u32 divisor 256; tc filter add dev eth0 parent 1: protocol ip prio 3 u32 ht 1:6: "
        "match ip dst 1.2.3.4 flowid 1:2; tc filter show dev eth0; tc filter add dev eth0 "
        "parent 1: protocol ip prio 3 u32 ht 1:6 link 1:2:3; tc filter add dev eth0 parent "
        "1: protocol ip prio 3 handle 1:2:3 u32 ht 1:6:5; tc filter add dev eth0 parent 1: "
        "protocol ip prio 3 u32 ht zz")
    assert term.text() == (
        "Error: cls_u32: Specified hash table not found.\n"
        "We have an error talking to the kernel\n"
        "filter parent 1: protocol ip pref 3 u32 chain 0 \n"
        "filter parent 1: protocol ip pref 3 u32 chain 0 fh 1: ht divisor 256 \n"
        "filter parent 1: protocol ip pref 3 u32 chain 0 fh 1:6:800 order 2048 key ht 1 "
        "bkt 6 *flowid 1:2 not_in_hw \n"
        "  match 01020304/ffffffff at 16\n"
        "filter parent 1: protocol ip pref 3 u32 chain 0 fh 800: ht divisor 1 \n"
        '"link" must be a hash table.\n'
        '"ht" must be a hash table.\n'
        'Illegal "ht"\n')


def test_an_unknown_u32_word_prints_f_u32s_usage():
    from ipemu.session import Session
    from ipemu.tools.tc_parse import U32_USAGE
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    term, status = shell.run_line("ip link add eth0 type veth peer name p; tc qdisc add dev "
                                  "eth0 root handle 1: htb; tc filter add dev eth0 parent "
                                  "1: u32 bogus")
    assert (term.text(), status) == ('What is "bogus"?\n' + U32_USAGE, 1)


@pytest.mark.parametrize("line, text, status", [
    # recorded in a fresh `unshare -n` namespace (iproute2 6.1, Linux 6.18: no cbq)
    ("cbq rate 1mbit", 'CBQ: "allot" is required to set WRR parameters.\n', 1),
    ("cbq maxburst 8 rate 1mbit allot 1500", "CBQ: avpkt is required for max/minburst.\n", 1),
    ("cbq maxburst 8 rate 1mbit allot 1500 avpkt 1000",
     "CBQ: bandwidth&rate are required for max/minburst.\n", 1),
    ('cbq prio 9', '"prio" must be number in the range 1...8\n', 1),
    ("cbq prio 0 avpkt 1000", "RTNETLINK answers: No such file or directory\n", 2),
    ("cbq cell 3 allot 1500", "cell must be 2^n\n", 1),
    ("cbq ewma 40 allot 1500", "ewma_log must be < 32\n", 1),
    ("cbq defmap zz allot 1500", "Invalid defmap, should be MASK32[/MASK]\n", 1),
    ("cbq split zz allot 1500", "Invalid split node ID.\n", 1),
    ("cbq rate 1zz allot 1500", 'Illegal "rate"\n', 1),
])
def test_cbq_class_options_are_read_as_q_cbq_reads_them(line, text, status):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    shell.run_line("ip link add eth0 type veth peer name p")
    term, got = shell.run_line(f"tc class add dev eth0 parent 1: classid 1:1 {line}")
    assert (term.text(), got) == (text, status)


def test_cbq_class_attributes_fail_htbs_policy():
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    term, status = shell.run_line(
        "ip link add eth0 type veth peer name p; tc qdisc add dev eth0 root handle 1: htb; "
        "tc class add dev eth0 parent 1: classid 1:1 cbq allot 1500 rate 1mbit; "
        "tc class change dev eth0 parent 1: classid 1:1 cbq weight 1 rate 1mbit")
    assert term.text() == ("Error: Attribute failed policy validation.\n"
                           'CBQ: "allot" is required to set WRR parameters.\n')


def test_a_bridge_port_disabled_by_hand_stays_so_until_it_goes_down():
    # br_set_port_state() -> br_set_state() + br_port_state_selection(): without STP a
    # blocking port forwards again at once, a disabled one stays disabled, also when
    # STP is turned on (recorded: tutorials36c_nskhuman_bridge_link); a port going
    # down and up is enabled again (br_stp_disable_port()/br_stp_enable_port())
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    shell.run_line("ip link add br0 type bridge; ip link add p1 type veth peer name q1; "
                   "ip link set p1 master br0; ip link set br0 up; ip link set p1 up; "
                   "ip link set q1 up")
    states = []
    for line in ("bridge link set dev p1 state 4", "bridge link set dev p1 state 0",
                 "ip link set br0 type bridge stp_state 1",
                 "ip link set br0 type bridge stp_state 0",
                 "ip link set p1 down; ip link set p1 up"):
        shell.run_line(line)
        term, _ = shell.run_line("bridge link show dev p1")
        states.append(term.text().split(" state ")[1].split()[0])
    # recorded in a fresh `unshare -n` namespace, the same lines
    assert states == ["forwarding", "disabled", "disabled", "disabled", "forwarding"]
