"""Round 36's public tutorials replayed whole, as a learner types them (each case names
its page on its first line): tutorials36_ (iproute2 tutorials), tutorials36b_ (more
tutorials, man-page examples and course labs), tutorials36c_ (in languages other than
English), tutorials36d_ (the host tools around iproute2: ping, tracepath, tcpdump,
sysctl, netstat). Every expected text was recorded on the project's Debian 12 machine
with the oracle's recorder (record.py, `bash -c LINE` on a pty), twice, the two
recordings alike under diff.py's masks. The suite's slice of the corpus holds only
some of them: these, every run."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

PREFIXES = ("tutorials36_", "tutorials36b_", "tutorials36c_", "tutorials36d_")
CASES = [p for p in corpus.oracle_cases() if p.stem.startswith(PREFIXES)]


def test_each_round_has_its_cases():
    for prefix in PREFIXES:
        assert any(p.stem.startswith(prefix) for p in CASES), prefix


@pytest.mark.parametrize("cmds", CASES, ids=lambda p: p.stem)
def test_the_tutorials36_cases_replay_whole(cmds):
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(cmds)
