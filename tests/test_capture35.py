"""capture35: tcpdump of the traffic tutorials make between namespaces (tests/oracle_cases/
capture35_*, recorded on the real machine: Debian 12, tcpdump 4.99.3, iputils 20221126),
replayed whole, and the behaviours they showed, each on its own: ping -e (a fixed echo
identifier), ping -p's fill() (one copy of the pattern when the data is shorter than
the pattern plus 8), net.ipv6.auto_flowlabels=0 (no flow label), and the window a
connect()ed TCP socket advertises once established (rcv_ssthresh, ALIGN()ed: `win 63`)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

from ipemu.kernel.stack import _pattern_fill
from ipemu.session import Session
from ipemu.transcript.runner import ORACLE_PROFILE

CASES = [p for p in corpus.oracle_cases() if p.stem.startswith("capture35_")]


@pytest.mark.parametrize("cmds", CASES, ids=lambda p: p.stem)
def test_capture35_cases(cmds):
    # the suite's slice of the corpus holds only some of them: these, every run
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(cmds)


def test_the_cases_are_there():
    assert len(CASES) >= 9


# ping_common.c fill(): recorded `ping -6 -s 8 -p 41` sends 41 00 00 00 00 00 00 00,
# `-s 8 -p 6162636465666768` abcdefgh, `-s 12 -p 41` twelve 0x41 bytes
@pytest.mark.parametrize("pattern, size, data", [
    (b"A", 8, b"A" + bytes(7)),
    (b"abcdefgh", 8, b"abcdefgh"),
    (b"A", 12, b"A" * 12),
    (b"AB", 9, b"AB" + bytes(7)),
    (b"AB", 10, b"AB" * 5),
    (b"AB", 20, b"AB" * 10),
    (b"A", 9, b"A" * 9),
])
def test_ping_pattern_fill(pattern, size, data):
    assert _pattern_fill(pattern, size) == data


@pytest.fixture()
def session(tmp_path, monkeypatch) -> Session:
    monkeypatch.chdir(tmp_path)
    return Session.create(ORACLE_PROFILE, "bare", "oracle")


def run(session: Session, line: str) -> str:
    term, _ = session.run_line(line)
    return term.text()


def test_ping_identifier_errors(session):
    # strtoul_or_err(optarg, "invalid argument", 0, IDENTIFIER_MAX), recorded
    assert run(session, "ping -c 1 -e 65536 2001:db8::2; echo $?") == (
        "ping: invalid argument: '65536': out of range: 0 <= value <= 65535\n1\n")
    assert run(session, "ping -c 1 -e abc 2001:db8::2; echo $?") == (
        "ping: invalid argument: 'abc'\n1\n")


def test_ping_pattern_after_the_options(session):
    # fill() runs after the options and the destination check: -q anywhere hides
    # PATTERN, a missing destination is reported first (recorded)
    assert run(session, "ping -p 41; echo $?") == (
        "ping: usage error: Destination address required\n1\n")
    assert run(session, "ping -p 4x -c 1 2001:db8::2; echo $?") == (
        "ping: patterns must be specified as hex digits: x\n2\n")


def test_ping_identifier_on_the_wire(session):
    for line in ("ip link set lo up", "sysctl -q -w net.ipv6.auto_flowlabels=0",
                 "timeout 3 tcpdump -i lo -nn -x -c 1 icmp6 > cap.txt 2>/dev/null &",
                 "sleep 1", "ping -6 -c 1 -e 4660 -s 8 -p 41 ::1 > /dev/null", "wait"):
        run(session, line)
    out = run(session, "cat cap.txt")
    assert "ICMP6, echo request, id 4660, seq 1, length 16" in out
    # version 6, no flow label; the data one 0x41 and seven zeros
    assert "\t0x0000:  6000 0000 0010 3a40" in out
    assert "0x0030:  4100 0000 0000 0000" in out
