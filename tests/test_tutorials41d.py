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
