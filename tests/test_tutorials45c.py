"""The fixes round 45's third pass over traffic control tutorials led to (their cases,
tutorials45c_, are replayed whole by test_rounds.py). Every expected text was recorded
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


def test_u32_flowid_with_action_is_starred():
    """f_u32.c sets TC_U32_TERMINAL for a flowid as for an action, and u32_print_opt()
    stars a classid whenever the selector is terminal: a filter with both prints
    `*flowid` (iproute2's doc/actions/mirred-usage example, recorded in
    tutorials45c_mirredusage_lo_redirect)."""
    shell = _shell("ip link add eth0 type veth peer name eth0b",
                   "tc qdisc add dev lo ingress",
                   "tc filter add dev lo parent ffff: protocol ip prio 10 u32 match u32 0 0 "
                   "flowid 1:2 action mirred egress redirect dev eth0")
    text, status = _run(shell, "tc filter show dev lo parent ffff:")
    assert status == 0
    assert text.splitlines()[2] == (
        "filter protocol ip pref 10 u32 chain 0 fh 800::800 order 2048 key ht 800 bkt 0 "
        "*flowid 1:2 not_in_hw ")
    # an action without a classid: "terminal flowid" (recorded in tutorials43c_huschi_mirred_span)
    shell.run_line("tc filter add dev lo parent ffff: protocol ip prio 11 u32 match u32 0 0 "
                   "action mirred egress mirror dev eth0")
    text, _ = _run(shell, "tc filter show dev lo parent ffff: prio 11")
    assert "bkt 0 terminal flowid not_in_hw " in text


_FAR = ("ip netns add far",
        "ip link add eth0 address 02:00:00:00:45:b3 type veth peer name eth0 "
        "address 02:00:00:00:45:b4 netns far",
        "sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1",
        "ip netns exec far sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1",
        "ip addr add 10.45.4.1/24 dev eth0",
        "ip -n far addr add 10.45.4.2/24 dev eth0",
        "ip neigh add 10.45.4.2 lladdr 02:00:00:00:45:b4 dev eth0 nud permanent",
        "ip -n far neigh add 10.45.4.1 lladdr 02:00:00:00:45:b3 dev eth0 nud permanent",
        "ip link set eth0 up",
        "ip -n far link set eth0 up")


def test_mirred_redirect_to_a_down_device_counts_overlimits():
    """tcf_mirred_to_dev(): a target down is err_cant_do: an overlimit (not a drop),
    and the redirect shoots the packet; a target deleted is dumped as ifindex 0, which
    tc prints `device *` (recorded in tutorials45c_ifb_htb_ingress_counters)."""
    shell = _shell(*_FAR, "ip link add ifb0 type ifb",
                   "tc qdisc add dev eth0 handle ffff: ingress",
                   "tc filter add dev eth0 parent ffff: u32 match u32 0 0 "
                   "action mirred egress redirect dev ifb0")
    text, _ = _run(shell, "ip netns exec far ping -c 2 -i 0.2 -W 1 -q 10.45.4.1")
    assert "2 packets transmitted, 0 received, 100% packet loss" in text
    text, _ = _run(shell, "tc -s filter show dev eth0 parent ffff:")
    assert "\tSent 168 bytes 2 pkt (dropped 0, overlimits 2 requeues 0) \n" in text
    shell.run_line("ip link del ifb0")
    text, _ = _run(shell, "tc filter show dev eth0 parent ffff:")
    assert "\taction order 1: mirred (Egress Redirect to device *) stolen\n" in text


def test_tbf_change_lets_the_held_packet_go_with_the_next_enqueue():
    """tbf_change() refills the bucket but leaves the queue; the next enqueue's dequeue
    sends the held packet and the new one at once (recorded in
    tutorials45c_tldr_tbf_counters: 4 pings with no `pipe 2`, 7 packets sent)."""
    shell = _shell(*_FAR, "tc qdisc add dev eth0 root handle 1: tbf rate 8kbit burst 1600 limit 1600",
                   "ping -c 3 -i 0.2 -W 1 -s 1000 -q 10.45.4.2",
                   "tc qdisc change dev eth0 root tbf rate 8kbit burst 1600 limit 3000",
                   "tc qdisc replace dev eth0 root handle 1: tbf rate 1mbit burst 10kb latency 50ms")
    text, _ = _run(shell, "tc -s qdisc show dev eth0")
    assert " backlog 1042b 1p requeues 0\n" in text
    text, _ = _run(shell, "ping -c 4 -i 0.2 -W 1 -q 10.45.4.2")
    assert "4 packets transmitted, 4 received, 0% packet loss" in text
    assert "pipe" not in text
    text, _ = _run(shell, "tc -s qdisc show dev eth0")
    assert text.splitlines()[1] == " Sent 3518 bytes 7 pkt (dropped 1, overlimits 3 requeues 0) "
