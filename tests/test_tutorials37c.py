"""Round 37's tutorials in languages other than English (tutorials37c_), replayed whole
as a learner types them (each case names its page on its first line: Chinese, Japanese,
Korean, Russian, French, Turkish, Vietnamese, Italian). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE`
on a pty), twice, the two recordings alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

CASES = [p for p in corpus.oracle_cases() if p.stem.startswith("tutorials37c_")]


def test_the_round_has_its_cases():
    assert len(CASES) >= 12


@pytest.mark.parametrize("cmds", CASES, ids=lambda p: p.stem)
def test_the_tutorials37c_cases_replay_whole(cmds):
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(cmds)
