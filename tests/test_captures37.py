"""Round 37's captures: tcpdump as tutorials and cheat sheets use it (their option and
filter combinations), on traffic each case makes itself between namespaces and veths
(curl and python3 -m http.server, traceroute -U/-I/-T through a router on IPv4 and
IPv6, ping -M do/dont over a smaller MTU and the fragments, ping -Q, -b and to
multicast groups, arping -D/-U/-A and arp_ignore/arp_announce, ping -6 and neighbour
discovery, TCP's options under the tcp_* sysctls and ECN, bash's /dev/udp and a
python3 UDP socket to well-known ports, macvlan, VXLAN, VLAN tags made by a
vlan-filtering bridge, small snaplens, tcpdump -l into pipelines, UDP fragments on
one link and through a router, arp_notify/ndisc_notify announcements, traceroute -T's
-O options, and what waits for the recording host's unreachable nameserver behind a
default route: http.server's start, ping/curl/wget of a name). Each case names its page on its first
line. Every expected text was recorded on the project's Debian 12 machine with the
oracle's recorder (record.py), twice, the two recordings alike under the masks."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

CASES = [p for p in corpus.oracle_cases() if p.stem.startswith("captures37_")]


def test_the_round_has_its_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("cmds", CASES, ids=lambda p: p.stem)
def test_the_captures37_cases_replay_whole(cmds):
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(cmds)
