"""Round 37's Q&A answers and cheat sheets replayed whole (tutorials37b_: Stack
Exchange answers and their mirrors, net-tools to iproute2 cheat sheets, the one-liners
that pull an address out of ifconfig and ip, the sysfs and /proc views, ip's output
options -br -o -j -s -h -d), each case naming its page on its first line. Every
expected text was recorded on the project's Debian 12 machine with the oracle's
recorder (record.py, `bash -c LINE` on a pty), twice, the two recordings alike under
diff.py's masks; these are replayed every run, as round 36's are."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

CASES = [p for p in corpus.oracle_cases() if p.stem.startswith("tutorials37b_")]


def test_the_round_has_its_cases():
    assert len(CASES) >= 12


@pytest.mark.parametrize("cmds", CASES, ids=lambda p: p.stem)
def test_the_tutorials37b_cases_replay_whole(cmds):
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(cmds)
