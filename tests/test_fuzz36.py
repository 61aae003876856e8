"""fuzz36: what the widened differential fuzzer (ipemu/fuzz/families.py: nexthop
objects and groups, neighbour depth, address flags and lifetimes, more link kinds,
listings, tunnels, maddress, netconf, tc) found ipemu doing otherwise than the real
kernel. Each case (tests/oracle_cases/fuzz36_*) is a generated sequence cut down,
recorded on the project's Debian 12 machine with ../shared/oracle/record.py; the
suite's slice of the corpus holds only some of them: these replay every run."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

CASES = [p for p in corpus.oracle_cases() if p.stem.startswith("fuzz36_")]


@pytest.mark.parametrize("cmds", CASES, ids=lambda p: p.stem)
def test_the_fuzz36_cases_replay_whole(cmds):
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(cmds)


def test_there_are_the_cases():
    assert len(CASES) >= 1
