"""The fixes round 47's traffic control tutorials led to (their cases, tutorials47d_,
are replayed whole by test_rounds.py). Every expected text was recorded on the
project's Debian 12 machine (Linux 6.18, iproute2 6.1) in a fresh network namespace
(`unshare -n` or the oracle's recorder)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


_shell = test_bash_c_lines.shell_after
_run = test_bash_c_lines.text_and_status

_VETH = "ip link add veth0 type veth peer name veth1"
_TALK = "We have an error talking to the kernel\n"


# --- tc_filter.c get_filter_kind(): an unknown kind's parse_noqopt() takes no words,
# and with none the request reaches the kernel (net/sched/cls_api.c)

def test_unknown_filter_kind_without_options_reaches_the_kernel():
    shell = _shell(_VETH, "tc qdisc add dev veth0 root handle 1: htb")
    assert _run(shell, "tc filter add dev veth0 parent 1: protocol ip prio 1 foo; "
                       "echo $?") == ("Error: TC classifier not found.\n" + _TALK + "2\n", 0)
    assert _run(shell, "tc filter add dev veth0 parent 1: protocol ip prio 2 foo bar; "
                       "echo $?") == (
        'Unknown filter "foo", hence option "bar" is unparsable\n1\n', 0)
    _run(shell, "tc filter add dev veth0 parent 1: protocol ip prio 1 u32 "
                "match ip dst 10.0.0.1 flowid 1:1")
    mismatch = "Error: Specified filter kind does not match existing one.\n" + _TALK + "2\n"
    assert _run(shell, "tc filter add dev veth0 parent 1: protocol ip prio 1 foo; "
                       "echo $?") == (mismatch, 0)


def test_filter_delete_naming_another_kind_is_refused():
    # tc_del_tfilter(): TCA_KIND must name the proto found at that priority
    shell = _shell(_VETH, "tc qdisc add dev veth0 root handle 1: htb",
                   "tc filter add dev veth0 parent 1: protocol ip prio 1 u32 "
                   "match ip dst 10.0.0.1 flowid 1:1")
    assert _run(shell, "tc filter del dev veth0 parent 1: protocol ip prio 1 foo; "
                       "echo $?") == (
        "Error: Specified filter kind does not match existing one.\n" + _TALK + "2\n", 0)
    assert _run(shell, "tc filter show dev veth0 | wc -l") == ("4\n", 0)


# --- q_tbf.c tbf_parse_opt(): the limit from rate * latency is stored in a __u32

def test_tbf_limit_from_a_huge_rate_wraps_to_32_bits():
    shell = _shell(_VETH, "tc qdisc add dev veth0 root handle 1: tbf rate 100gbit "
                          "burst 1mb latency 1s")
    assert _run(shell, "tc qdisc show dev veth0 invisible") == (
        "qdisc tbf 1: root refcnt 3 rate 100Gbit burst 1037500b lat 313ms \n"
        "qdisc bfifo 0: parent 1:1 limit 3911113984b\n", 0)


# --- TCA_DUMP_INVISIBLE: the default fifos qdisc_hash_add(q, true) hid

def test_invisible_dump_shows_htb_leaf_pfifos_newest_first():
    shell = _shell(_VETH, "tc qdisc add dev veth0 root handle 1: htb default 10",
                   "tc class add dev veth0 parent 1: classid 1:1 htb rate 10mbit",
                   "tc class add dev veth0 parent 1:1 classid 1:10 htb rate 1mbit",
                   "tc class add dev veth0 parent 1:1 classid 1:20 htb rate 1mbit",
                   "tc class add dev veth0 parent 1: classid 1:2 htb rate 1mbit",
                   "tc qdisc add dev veth0 parent 1:20 handle 20: bfifo")
    htb = "qdisc htb 1: root refcnt 3 r2q 10 default 0x10 direct_packets_stat 0 " \
          "direct_qlen 1000\n"
    assert _run(shell, "tc qdisc show dev veth0") == (
        htb + "qdisc bfifo 20: parent 1:20 limit 1514000b\n", 0)
    assert _run(shell, "tc qdisc show dev veth0 invisible") == (
        htb + "qdisc pfifo 0: parent 1:2 limit 1000p\nqdisc pfifo 0: parent 1:10 limit "
        "1000p\nqdisc bfifo 20: parent 1:20 limit 1514000b\n", 0)
    # a leaf's pfifo takes the txqueuelen of its time; an explicit qdisc deleted
    # leaves an unhashed one (htb_graft()), which no dump shows
    _run(shell, "tc qdisc del dev veth0 parent 1:20")
    _run(shell, "ip link set veth0 txqueuelen 5")
    _run(shell, "tc class add dev veth0 parent 1: classid 1:3 htb rate 1mbit")
    _run(shell, "tc class del dev veth0 classid 1:10")
    assert _run(shell, "tc qdisc show dev veth0 invisible") == (
        htb + "qdisc pfifo 0: parent 1:3 limit 5p\nqdisc pfifo 0: parent 1:2 limit "
        "1000p\n", 0)
