"""Round 43's differential fuzzing (fuzz43: the families policy43, sysctl43 and addr43
of ipemu/fuzz/families.py, seeds 550000 up) and what it found. The golden texts are
the cases tests/oracle_cases/fuzz43_* (recorded twice on the project's Debian 12
machine, Linux 6.18, iproute2 6.1, iputils 20221126; replayed whole by
tests/test_rounds.py); the tests here pin one fix each."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


_case = test_bash_c_lines.replay_case
_shell = test_bash_c_lines.oracle_shell
_run = test_bash_c_lines.output


def test_the_rules_see_pings_tos_and_protocol():
    """fib4_rule_match() on ping's flows: the probe connect() is a UDP flow to port
    1025 with the socket's IP_TOS (ip_route_connect_init()), each echo an ICMP flow
    whose type and code sit in the port fields (raw_probe_proto_opt(): dport 0x0800).
    A `tos 0x10` rule takes `ping -Q 0x10` (and 0x11: IPTOS_RT_MASK), an `ipproto udp
    dport 1000-2000 prohibit` rule refuses the connect (EACCES: the broadcast advice),
    `ipproto icmp prohibit` only the echoes. ipemu looked the flows up without TOS,
    protocol or ports. Recorded: fuzz43_ping_rule_flow."""
    _case("fuzz43_ping_rule_flow")
    s = _shell()
    for line in ("sysctl -q -w net.ipv6.conf.default.disable_ipv6=1",
                 "ip link add v0 type veth peer name v1", "ip link set v0 up",
                 "ip link set v1 up", "ip addr add 10.0.0.1/24 dev v0",
                 "ip route add 10.9.9.9 dev v0 table 200",
                 "ip rule add tos 0x10 table 200"):
        _run(s, line)
    assert "connect: Network is unreachable" in _run(s, "ping -c 1 -W 1 10.9.9.9")
    assert "1 packets transmitted" in _run(s, "ping -c 1 -W 1 -Q 0x10 10.9.9.9")
    _run(s, "ip rule add pref 10 ipproto udp dport 1000-2000 prohibit")
    assert _run(s, "ping -c 1 -W 1 -Q 0x10 10.9.9.9").startswith(
        "ping: Do you want to ping broadcast?")


def test_host_unreachable_about_our_own_datagram_comes_from_its_local_route():
    """__icmp_send() about a datagram of ours whose neighbour never answered: the
    route is not RTCF_LOCAL, so saddr 0, and icmp_route_lookup()'s route back to the
    sender (our own address) is a local route whose prefsrc is the source: the bound
    address on lo (not the failing device's), a secondary's primary, a local route's
    `src`. ipemu took the failing device's address. Recorded:
    fuzz43_icmp_error_own_source (seed 550127)."""
    _case("fuzz43_icmp_error_own_source")


def test_the_ipv6_rules_see_ping6s_flows():
    """fib6_rule_match() on ping -6's flows: the probe connect() is UDP (an `ipproto
    udp prohibit` rule refuses it: connect: Permission denied), with no traffic class
    (a `tos 0x10` rule does not take -Q 0x10); each echo is ICMPv6 with its type in
    the port field (dport 0x8000); an echo a `from ADDR unreachable` rule refuses
    counts Ip6OutNoRoutes (ip6_dst_lookup_tail()). Recorded: fuzz43_ping6_rule_flow."""
    _case("fuzz43_ping6_rule_flow")


def test_deleting_an_incomplete_entry_reports_its_queue_unreachable():
    """__neigh_update() taking an INCOMPLETE (or PROBE) entry to FAILED calls
    neigh_invalidate(): each packet in its arp_queue gets error_report() at once, the
    ICMP host unreachable that the probes' end would give. `ip neigh flush`, `ip neigh
    del` (neigh_delete()) and `ip neigh change ... nud failed` all do; ipemu dropped
    the queue silently (the ping under them waited its -W out). Recorded:
    fuzz43_neigh_flush_unreachable."""
    _case("fuzz43_neigh_flush_unreachable")


def test_local_and_main_are_one_trie_before_any_rule():
    """fib_new_table() makes the local table an alias of main's trie until
    fib_unmerge() (the first custom IPv4 rule): fib_lookup() is one longest-prefix
    match over both, a prefix both hold answering with local's alias first
    (fib_find_alias(): larger tb_id first). A /32 to 127.0.0.5 in main beats local's
    127.0.0.0/8 (the echo leaves by v0) until a rule is added; ipemu looked local up
    first. Recorded: fuzz43_merged_trie_lpm, fuzz43_forwarding_localnet (red's echo
    to 127.0.0.5 reaches the host, which drops the martian destination unless
    route_localnet, then answers net unreachable)."""
    _case("fuzz43_merged_trie_lpm")
    _case("fuzz43_forwarding_localnet")
    s = _shell()
    for line in ("ip link add v0 type veth peer name v1", "ip link set lo up",
                 "ip link set v0 up", "ip addr add 10.0.0.1/24 dev v0",
                 "ip route add 127.0.0.5 via 10.0.0.2"):
        _run(s, line)
    assert _run(s, "ip route get 127.0.0.5").startswith("127.0.0.5 via 10.0.0.2 dev v0")
    assert _run(s, "ip route get 127.0.0.6").startswith("local 127.0.0.6 dev lo")
    _run(s, "ip rule add pref 100 lookup main")
    assert _run(s, "ip route get 127.0.0.5").startswith("local 127.0.0.5 dev lo table local")
