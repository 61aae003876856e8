"""The fixes round 41b's course labs led to (their cases, tutorials41d_, are replayed
whole by test_rounds.py). Every expected text was recorded on the project's Debian 12
machine with the oracle's recorder (record.py, `bash -c LINE` on a pty; iproute2 6.1,
tcpdump 4.99.3, iputils 20221126, glibc 2.36), twice, the two recordings alike under
diff.py's masks, except where a test says which value was random."""
from __future__ import annotations

import re
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


# --- tcpdump's names through a router that has no route to the nameserver
# (ciscoittech/containerlab-free-labs, linux-network-namespaces exercise 7:
# `tcpdump -i eth1 -c 5` on host1 beside `ping -c 3 10.0.1.1`)

CLAB = ("ip netns add host1", "ip netns add router",
        "ip netns exec host1 sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
        "ip netns exec router sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
        "ip link add eth1 netns host1 type veth peer name eth1 netns router",
        "ip -n host1 addr add 10.0.1.10/24 dev eth1",
        "ip -n router addr add 10.0.1.1/24 dev eth1",
        "ip -n host1 link set eth1 up", "ip -n router link set eth1 up",
        "ip -n host1 route add default via 10.0.1.1", "sleep 2",
        "ip netns exec router sysctl -qw net.ipv4.ip_forward=1",
        "ip netns exec host1 ping -c 1 10.0.1.1 > /dev/null")

# recorded (the timestamps, ping's id, the query id and the source ports were random;
# the query id was the same in both queries):
#   IP 10.0.1.10 > 10.0.1.1: ICMP echo request, id 21121, seq 1, length 64
#   IP 10.0.1.1 > 10.0.1.10: ICMP echo reply, id 21121, seq 1, length 64
#   IP 10.0.1.10.41684 > 10.255.255.53.domain: 34891+ PTR? 1.1.0.10.in-addr.arpa. (39)
#   IP 10.0.1.1 > 10.0.1.10: ICMP net 10.255.255.53 unreachable, length 75
#   IP 10.0.1.10.54171 > 10.255.255.53.domain: 34891+ PTR? 1.1.0.10.in-addr.arpa. (39)
#   5 packets captured


def test_tcpdump_names_the_destination_first_and_a_retry_keeps_the_query_id():
    shell = _shell(*CLAB)
    shell.run_line("ip netns exec host1 tcpdump -i eth1 -c 5 &")
    shell.run_line("sleep 1")
    shell.run_line("ip netns exec host1 ping -c 3 10.0.1.1")
    out, _ = _run(shell, "wait")
    lines = [line for line in out.splitlines() if re.match(r"\d\d:", line)]
    body = [line.split(" ", 1)[1] for line in lines]
    assert body[0].startswith("IP 10.0.1.10 > 10.0.1.1: ICMP echo request")
    assert body[1].startswith("IP 10.0.1.1 > 10.0.1.10: ICMP echo reply")
    # the first name asked is the destination's: ND_PRINT("%s > %s: ", src, dst)
    # evaluates its last argument first
    first = re.fullmatch(r"IP 10\.0\.1\.10\.\d+ > 10\.255\.255\.53\.domain: (\d+)\+ "
                         r"PTR\? 1\.1\.0\.10\.in-addr\.arpa\. \(39\)", body[2])
    assert first, body[2]
    assert body[3] == "IP 10.0.1.1 > 10.0.1.10: ICMP net 10.255.255.53 unreachable, length 75"
    # the second try (a new socket after the ICMP error) resends the same query
    second = re.fullmatch(r"IP 10\.0\.1\.10\.(\d+) > 10\.255\.255\.53\.domain: (\d+)\+ "
                          r"PTR\? 1\.1\.0\.10\.in-addr\.arpa\. \(39\)", body[4])
    assert second, body[4]
    assert second.group(2) == first.group(1)
    assert len(body) == 5


# --- traceroute's options of MIT 6.033's traceroute hands-on, in namespaces: h1 reaches
# h2 through r1, h2 answers through r2 and r3 (tutorials41d_mit_traceroute_back)

ASYMMETRIC = (
    "ip netns add h1", "ip netns add h2", "ip netns add r1", "ip netns add r2",
    "ip netns add r3",
    "for n in h1 h2 r1 r2 r3; do ip netns exec $n sysctl -qw "
    "net.ipv6.conf.default.disable_ipv6=1; ip -n $n link set lo up; done",
    "ip link add lan1 type bridge", "ip link set lan1 up",
    "ip link add eth0 netns h1 type veth peer name p-h1",
    "ip link add eth0 netns r1 type veth peer name p-r1",
    "ip link add eth0 netns r3 type veth peer name p-r3",
    "for p in p-h1 p-r1 p-r3; do ip link set $p master lan1; ip link set $p up; done",
    "ip link add eth1 netns r1 type veth peer name eth0 netns h2",
    "ip link add eth1 netns h2 type veth peer name eth0 netns r2",
    "ip link add eth1 netns r2 type veth peer name eth1 netns r3",
    "ip -n h1 addr add 10.1.1.10/24 dev eth0", "ip -n r1 addr add 10.1.1.1/24 dev eth0",
    "ip -n r3 addr add 10.1.1.3/24 dev eth0", "ip -n r1 addr add 10.2.2.1/24 dev eth1",
    "ip -n h2 addr add 10.2.2.20/24 dev eth0", "ip -n h2 addr add 10.3.3.20/24 dev eth1",
    "ip -n r2 addr add 10.3.3.2/24 dev eth0", "ip -n r2 addr add 10.4.4.2/24 dev eth1",
    "ip -n r3 addr add 10.4.4.3/24 dev eth1",
    "for n in h1 h2 r1 r2 r3; do for d in eth0 eth1; do ip -n $n link set $d up "
    "2>/dev/null; done; done",
    "ip -n h1 route add default via 10.1.1.1", "ip -n h2 route add default via 10.3.3.2",
    "ip -n r2 route add 10.1.1.0/24 via 10.4.4.3",
    "for n in r1 r2 r3; do ip netns exec $n sysctl -qw net.ipv4.ip_forward=1; done",
    "sleep 2")


def _masked(text: str) -> str:
    return re.sub(r"\d+\.\d{3} ms", "T ms", text)


HEADER = "traceroute to 10.2.2.20 (10.2.2.20), 30 hops max, 60 byte packets\n"


def test_traceroute_back_guesses_the_backward_hops_of_each_method():
    shell = _shell(*ASYMMETRIC)
    # recorded: the port unreachable comes back with TTL 62 (three hops), the time
    # exceeded of r1 with 64 (one: nothing printed)
    for line in ("ip netns exec h1 traceroute -n --back 10.2.2.20",
                 "ip netns exec h1 traceroute -n -I --back 10.2.2.20"):
        out, status = _run(shell, line)
        assert (_masked(out), status) == (
            HEADER + " 1  10.1.1.1  T ms  T ms  T ms\n"
            " 2  10.2.2.20 '-3'  T ms  T ms  T ms\n", 0), line
        shell.run_line("sleep 6")
    out, status = _run(shell, "ip netns exec h1 traceroute -n -M tcp --back -q 1 10.2.2.20")
    assert (_masked(out), status) == (
        HEADER + " 1  10.1.1.1  T ms\n 2  10.2.2.20 '-3'  T ms\n", 0)


def test_traceroute_debug_and_extensions_print_as_without_them():
    shell = _shell(*ASYMMETRIC)
    for line in ("ip netns exec h1 traceroute -n -e 10.2.2.20",
                 "ip netns exec h1 traceroute --ex -d -n 10.2.2.20",
                 "ip netns exec h1 traceroute --debug --dont -n 10.2.2.20"):
        out, status = _run(shell, line)
        assert (_masked(out), status) == (
            HEADER + " 1  10.1.1.1  T ms  T ms  T ms\n"
            " 2  10.2.2.20  T ms  T ms  T ms\n", 0), line
        shell.run_line("sleep 6")


def test_traceroute_module_names_and_abbreviations():
    shell = _shell(*ASYMMETRIC)
    # recorded: main() looks the module up once CLIF_parse() is done, before the
    # hop and probe checks; CLIF_ABBREV takes two letters or more
    assert _run(shell, "ip netns exec h1 traceroute -n -M icpm 10.2.2.20") == (
        "Unknown traceroute module icpm\n", 2)
    assert _run(shell, "ip netns exec h1 traceroute -n -M foo -f 40 10.2.2.20") == (
        "Unknown traceroute module foo\n", 2)
    assert _run(shell, "ip netns exec h1 traceroute -n -M 10.2.2.20") == (
        'Specify "host" missing argument.\n', 2)
    assert _run(shell, "ip netns exec h1 traceroute -n --e 10.2.2.20") == (
        "Bad option `--e' (argc 2)\n", 2)
    assert _run(shell, "ip netns exec h1 traceroute -n --d 10.2.2.20") == (
        "Bad option `--d' (argc 2)\n", 2)
    assert _run(shell, "ip netns exec h1 traceroute -n --extensionsx 10.2.2.20") == (
        "Bad option `--extensionsx' (argc 2)\n", 2)
    out, status = _run(shell, "ip netns exec h1 traceroute -n -M icmp 10.2.2.20")
    assert (_masked(out), status) == (
        HEADER + " 1  10.1.1.1  T ms  T ms  T ms\n 2  10.2.2.20  T ms  T ms  T ms\n", 0)
