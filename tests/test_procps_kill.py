"""procps-ng 4.0.2's /usr/bin/kill (ipemu/tools/procps_kill.py): what runs for `kill`
when it is a program (a path, env, xargs, sudo, ...), not bash's builtin. The texts
were recorded on the machine in a pid namespace of its own (`unshare -p -f
--mount-proc -n bash cases.sh`; tests/data/procps_kill/): each case's stdout, stderr
and status, `/bin/kill` by its path."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipemu.session import Session

DATA = Path(__file__).resolve().parent / "data" / "procps_kill"


def _recorded() -> list[tuple[str, str, str, int]]:
    text = (DATA / "recorded.txt").read_text(errors="surrogateescape")
    cases = []
    for block in text.split("=== kill ")[1:]:
        m = re.match(r"(.*)\n--- out\n(.*?)--- err\n(.*?)--- st (\d+)\n", block, re.S)
        assert m, block
        cases.append((m[1], m[2], m[3], int(m[4])))
    return cases


CASES = _recorded()


@pytest.mark.parametrize("args,out,err,status", CASES, ids=[c[0] for c in CASES])
def test_bin_kill_prints_what_procps_printed(args, out, err, status):
    session = Session.create("default", "bare")
    session.bash_c = True
    term, got = session.run_line(f"/bin/kill {args}")
    assert (term.stream("stdout"), term.stream("stderr"), got) == (out, err, status)


def test_the_recording_has_its_cases():
    assert len(CASES) == 68


@pytest.mark.parametrize("line,err,status", [
    ("echo 999999 | xargs kill", "kill: (999999): No such process\n", 123),
    ("env kill 999999", "kill: (999999): No such process\n", 1),
    ("/usr/bin/kill -s TERM 999999", "/usr/bin/kill: (999999): No such process\n", 1),
    ("timeout 5 kill 999999", "kill: (999999): No such process\n", 1),
    ("bash -c 'exec kill 999999'", "kill: (999999): No such process\n", 1),
    ("env kill abc", "kill: failed to parse argument: 'abc'\n", 1),
    # bash's own builtin, as the word, `command` and `builtin` run it
    ("kill 999999", "bash: line 1: kill: (999999) - No such process\n", 1),
    ("command kill 999999", "bash: line 1: kill: (999999) - No such process\n", 1),
    ("builtin kill 999999", "bash: line 1: kill: (999999) - No such process\n", 1),
])
def test_kill_as_a_program_and_as_the_builtin(line, err, status):
    """Recorded: tests/oracle_cases/lead44_kill_program (the same lines)."""
    session = Session.create("default", "bare")
    session.bash_c = True
    term, got = session.run_line(line)
    assert (term.stream("stderr"), got) == (err, status)


def test_a_program_kill_signals_a_job():
    session = Session.create("default", "bare")
    session.bash_c = True
    term, status = session.run_line("sleep 30 & env kill -9 $!; wait $!; echo $?")
    assert term.stream("stdout") == "137\n"
