"""The fixes round 43b's ping/traceroute/tracepath option tutorials led to (their
cases, tutorials43b_, are replayed whole by test_rounds.py): traceroute 2.1.2's other
methods (raw, udplite, tcpconn, dccp), its per-module -O options, -A, --fwmark, the
packetlen checks and -w 0, and Debian's tcptraceroute wrapper. Every expected text was
recorded on the project's Debian 12 machine (traceroute 2.1.2, Linux 6.18) with the
oracle's recorder, twice, alike under diff.py's masks."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

CHAIN = (
    "ip netns add r", "ip netns add b",
    "ip link add eth0 type veth peer name r0 netns r",
    "ip -n r link add r1 type veth peer name eth0 netns b",
    "ip addr add 10.0.1.2/24 dev eth0", "ip link set eth0 up",
    "ip -n r addr add 10.0.1.1/24 dev r0", "ip -n r addr add 10.0.2.1/24 dev r1",
    "ip -n r link set r0 up", "ip -n r link set r1 up",
    "ip -n b addr add 10.0.2.2/24 dev eth0", "ip -n b link set eth0 up",
    "ip route add default via 10.0.1.1", "ip -n b route add default via 10.0.2.1",
    "ip netns exec r sysctl -qw net.ipv4.ip_forward=1")


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        assert shell.run_line(line)[1] == 0, line
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return re.sub(r"\d+\.\d{3} ms", "T ms", term.text()), status


# --- -O: each module's own options, parsed after the command line (argc: the word's
# place among the -O words, after the module's name)

@pytest.mark.parametrize("line, text, status", [
    ("traceroute -O help 10.0.2.2", "No options for module `default'\n", 0),
    ("traceroute -M tcpconn -O help 10.0.2.2", "No options for module `tcpconn'\n", 0),
    ("traceroute -P 47 -O help 10.0.2.2",
     "  protocol=PROT               Use protocol PROT (default is 253)\n", 0),
    ("traceroute -T -O syn,ack,foo 10.0.2.2", "`foo' (argc 3): arguments are not allowed\n", 2),
    ("traceroute -P 47 -O foo 10.0.2.2", "`foo' (argc 2): arguments are not allowed\n", 2),
    ("traceroute -T -O mss=big 10.0.2.2", "Cannot handle `mss' keyword with arg `big' (argc 1)\n", 2),
    ("traceroute -P xyz 10.0.2.2", "Cannot handle `protocol' keyword with arg `xyz' (argc 1)\n", 2),
    ("traceroute -I -O raw,dgram 10.0.2.2",
     "Keyword `dgram' (argc 2): Only one of:\n    raw | dgram\nmay be specified.\n", 2),
    ("traceroute -n 10.0.2.2 65001", "too big packetlen 65001 specified\n", 2),
    ("traceroute -n 10.0.2.2 60 70", "Extra arg `70' (position 3, argc 4)\n", 2),
    ("traceroute -n -q 1 --fwmark=x 10.0.2.2",
     "Cannot handle `--fwmark' option with arg `x' (argc 4)\n", 2),
])
def test_module_options_and_command_line_checks(line, text, status):
    assert _run(_shell(), line) == (text, status)


def test_module_help_lists_the_tcp_options_from_the_recorded_text():
    text, status = _run(_shell(), "traceroute -T -O help 10.0.2.2")
    assert status == 0 and text.startswith("  syn                         Set tcp flag SYN")
    assert text.endswith("application listens the port etc.\n")


def test_a_method_without_options_ignores_them():
    shell = _shell(*CHAIN)
    assert _run(shell, "traceroute -n -q 1 -U -O whatever 10.0.2.2") == (
        "traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets\n"
        " 1  10.0.1.1  T ms\n 2  10.0.2.2  T ms\n", 0)


# --- the raw, udplite, dccp and tcpconn methods

def test_raw_probes_end_with_a_protocol_unreachable_at_the_target():
    shell = _shell(*CHAIN)
    assert _run(shell, "traceroute -n -q 1 -P 47 10.0.2.2") == (
        "traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets\n"
        " 1  10.0.1.1  T ms\n 2  10.0.2.2  T ms !P\n", 0)


def test_udplite_is_answered_with_a_port_unreachable():
    shell = _shell(*CHAIN)
    assert _run(shell, "traceroute -n -q 1 -UL 10.0.2.2") == (
        "traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets\n"
        " 1  10.0.1.1  T ms\n 2  10.0.2.2  T ms\n", 0)


def test_dccp_fails_after_the_header_on_this_kernel():
    shell = _shell(*CHAIN)
    assert _run(shell, "traceroute -n -q 1 -D 10.0.2.2") == (
        "traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 40 byte packets\n"
        "socket: Socket type not supported\n", 1)


def test_tcpconn_probes_are_60_bytes_and_end_at_the_target():
    shell = _shell(*CHAIN)
    assert _run(shell, "traceroute -n -q 1 -M tcpconn 10.0.2.2") == (
        "traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets\n"
        " 1  10.0.1.1  T ms\n 2  10.0.2.2  T ms\n", 0)


def test_icmp_dgram_is_refused_by_the_default_ping_group_range():
    shell = _shell(*CHAIN)
    assert _run(shell, "traceroute -n -q 1 -I -O dgram 10.0.2.2") == (
        "\nsocket: Permission denied\n", 1)


# --- -A, --fwmark, -w 0

def test_as_lookups_fail_without_dns_after_the_first_address():
    shell = _shell(*CHAIN)
    assert _run(shell, "traceroute -n -A -q 1 10.0.2.2") == (
        "traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets\n"
        "whois.radb.net/nicname: Temporary failure in name resolution\n 1  10.0.1.1", 2)


def test_fwmark_routes_the_probes_by_the_marks_rule():
    shell = _shell(*CHAIN, "ip rule add fwmark 7 table 7",
                   "ip route add unreachable 10.0.2.0/24 table 7")
    assert _run(shell, "traceroute -n -q 1 --fwmark=7 10.0.2.2") == (
        "traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets\n"
        "connect: No route to host\n", 1)


def test_no_wait_still_reads_what_came_during_the_first_batch():
    shell = _shell(*CHAIN)
    text, status = _run(shell, "traceroute -n -w 0 -q 1 -m 3 10.0.2.2")
    # the first hop's answer came while the batch was sent (recorded through two
    # routers: tutorials43b_chedong_traceroute_misc_opts); the rest are given up
    assert text.splitlines()[1] == " 1  10.0.1.1  T ms" and text.endswith(" 3  *\n")


# --- tcptraceroute

def test_tcptraceroute_says_what_it_runs():
    shell = _shell(*CHAIN)
    assert _run(shell, "tcptraceroute -n -q 1 -p 4000 10.0.2.2 443") == (
        "Running:\n\ttraceroute -T -O info -n -q 1 --sport=4000 -p 443 10.0.2.2 \n"
        "traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets\n"
        " 1  10.0.1.1  T ms\n 2  10.0.2.2 <rst,ack>  T ms\n", 0)
    assert _run(shell, "tcptraceroute -x 10.0.2.2") == (
        "getopt: invalid option -- 'x'\n", 2)


# --- tracepath: a name of the other family goes on to DNS

@pytest.mark.parametrize("line, text", [
    ("tracepath -6 -n localhost", "tracepath: localhost: Temporary failure in name resolution\n"),
    ("tracepath -6 -n 127.0.0.1",
     "tracepath: 127.0.0.1: Address family for hostname not supported\n"),
])
def test_tracepath_name_of_the_other_family(line, text):
    assert _run(_shell(), line) == (text, 1)


# --- -g: a loose source route every router here drops (accept_source_route 0)

def test_gateway_probes_are_dropped_by_every_router():
    shell = _shell(*CHAIN)
    assert _run(shell, "traceroute -n -q 1 -w 1 -m 2 -g 10.0.1.1 10.0.2.2") == (
        "traceroute to 10.0.2.2 (10.0.2.2), 2 hops max, 72 byte packets\n"
        " 1  *\n 2  *\n", 0)
    assert _run(shell, "traceroute -n -q 1 -g ::1 10.0.2.2") == (
        "::1: Address family for hostname not supported\n\n", 2)
    assert _run(shell, "traceroute -n -q 1 -g 1,2,3,4,5,6,7,8,9 10.0.2.2") == (
        "Too many gateways specified. No more than 8\n", 2)


# --- IPv6: an unknown next header earns a parameter problem, which the raw method reads

CHAIN6 = (
    "ip netns add r", "ip netns add b",
    "ip link add eth0 type veth peer name r0 netns r",
    "ip -n r link add r1 type veth peer name eth0 netns b",
    "ip addr add 2001:db8:1::2/64 dev eth0 nodad", "ip link set eth0 up",
    "ip -n r addr add 2001:db8:1::1/64 dev r0 nodad",
    "ip -n r addr add 2001:db8:2::1/64 dev r1 nodad",
    "ip -n r link set r0 up", "ip -n r link set r1 up",
    "ip -n b addr add 2001:db8:2::2/64 dev eth0 nodad", "ip -n b link set eth0 up",
    "ip -6 route add default via 2001:db8:1::1",
    "ip -n b -6 route add default via 2001:db8:2::1",
    "ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1", "sleep 2")


def test_ipv6_raw_probes_end_with_a_parameter_problem():
    shell = _shell(*CHAIN6)
    assert _run(shell, "traceroute -6 -n -q 1 -P 253 -m 3 -w 1 2001:db8:2::2") == (
        "traceroute to 2001:db8:2::2 (2001:db8:2::2), 3 hops max, 80 byte packets\n"
        " 1  2001:db8:1::1  T ms\n 2  2001:db8:2::2  T ms !<4-1>\n", 0)
    # 59, "no next header", is an extension header's number: its errors are lost
    assert _run(shell, "traceroute -6 -n -q 1 -P 59 -m 2 -w 1 2001:db8:2::2") == (
        "traceroute to 2001:db8:2::2 (2001:db8:2::2), 2 hops max, 80 byte packets\n"
        " 1  *\n 2  *\n", 0)


@pytest.mark.parametrize("line, text", [
    ("traceroute -6 -n localhost", "localhost: Temporary failure in name resolution\n"
     "Cannot handle \"host\" cmdline arg `localhost' on position 1 (argc 3)\n"),
    ("traceroute6 -n localhost", "localhost: Temporary failure in name resolution\n"
     "Cannot handle \"host\" cmdline arg `localhost' on position 1 (argc 2)\n"),
    ("traceroute -6 -n 127.0.0.1", "127.0.0.1: Address family for hostname not supported\n"
     "Cannot handle \"host\" cmdline arg `127.0.0.1' on position 1 (argc 3)\n"),
])
def test_traceroute_name_of_the_other_family(line, text):
    assert _run(_shell(), line) == (text, 2)
