"""fuzz37: what the differential fuzzer's round-37 families (ipemu/fuzz/families.py:
ip route and ip rule depth, IPv6 addresses and routes, arp/netstat/ss, sysctls,
bridge mdb and ip vrf, ip -batch -) found ipemu doing otherwise than the real kernel.
Each case (tests/oracle_cases/fuzz37_*) is a generated sequence cut down, recorded on
the project's Debian 12 machine with ../shared/oracle/record.py; these replay every
run."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

CASES = [p for p in corpus.oracle_cases() if p.stem.startswith("fuzz37_")]


@pytest.mark.parametrize("cmds", CASES, ids=lambda p: p.stem)
def test_the_fuzz37_cases_replay_whole(cmds):
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(cmds)


def test_there_are_the_cases():
    assert len(CASES) >= 1
