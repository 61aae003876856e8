"""tutorials36d: public material on the host tools around iproute2 (ping, tracepath,
tcpdump, sysctl, netstat) replayed whole as a learner types it (each case
names its page on its first line). Every expected text was recorded on the project's
Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE` on a pty),
twice, the two recordings alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

CASES = [p for p in corpus.oracle_cases() if p.stem.startswith("tutorials36d_")]


@pytest.mark.parametrize("cmds", CASES, ids=lambda p: p.stem)
def test_the_tutorials36d_cases_replay_whole(cmds):
    # the suite's slice of the corpus holds only some of them: these, every run
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(cmds)
