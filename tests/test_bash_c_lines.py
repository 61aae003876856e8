"""`ipemu run` prints each line as the oracle's recorder runs it, `bash -c LINE`: its
messages (`bash: line 1: `, `bash: -c: line 1: ` syntax errors) and a new shell per
line. Checked against cases recorded by ../shared/oracle/record.py (tests/oracle_cases),
with the masking `ipemu check` uses (random MACs) and nothing else."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from ipemu.session import Session
from ipemu.transcript.check import normalize, replay
from ipemu.transcript.format import parse
from ipemu.transcript.runner import ORACLE_PROFILE, as_oracle, as_read, case_lines, run_lines

ALL_CASES = corpus.oracle_cases()
# the suite's slice of them (every one in the long run, IPEMU_LONG=1): corpus.py
CASES = [p for p in ALL_CASES if p in corpus.golden_replayed()]


def _run(cmds: Path) -> tuple[str, list[int]]:
    session = as_oracle(Session.create(ORACLE_PROFILE, "bare", "oracle"))
    return run_lines(session, case_lines(cmds.read_text()), "oracle")


@pytest.mark.parametrize("cmds", CASES, ids=lambda p: p.stem)
def test_lines_print_what_the_oracles_recorder_recorded(cmds):
    text, statuses = _run(cmds)
    text = as_read(text)                 # what `ipemu run` prints
    # read as the oracle's diff.py reads a recording: text mode, universal newlines
    want = parse(cmds.with_suffix(".out").read_text())
    got = parse(text)
    commands = [s.command for s in want.steps]
    assert commands == [s.command for s in got.steps]
    expected = normalize([s.output for s in want.steps], commands, raw_bash_c=True)
    actual = normalize([s.output for s in got.steps], commands, raw_bash_c=True)
    for command, e, a in zip(commands, expected, actual):
        assert a == e, command
    # the statuses, a background line's its job's final one (as `ipemu check` has them:
    # a case with no such line is not replayed again, its statuses are `ipemu run`'s)
    if any(backgrounded(c) for c in commands):
        want.header["profile"] = ORACLE_PROFILE     # as `ipemu run` takes it
        _, statuses = replay(want)
    assert statuses == [int(x) for x in cmds.with_suffix(".rc").read_text().split()]


def backgrounded(command: str) -> bool:
    """replay()'s test for a line whose status is its job's final one."""
    command = command.rstrip()
    return command.endswith("&") and not command.endswith("&&")


def test_the_cases_hold_the_raw_forms():
    text = "".join(c.with_suffix(".out").read_text() for c in ALL_CASES)
    assert "bash: line 1: iptables: command not found" in text
    assert "bash: -c: line 1: syntax error near unexpected token `then'" in text
    raw = b"".join(c.with_suffix(".out").read_bytes() for c in ALL_CASES)
    assert b"Can't operate.\x1b[0m\r\n" in raw      # systemd's console line, as written


def test_ipemu_run_gives_carriage_returns_as_the_checker_reads_them():
    assert as_read("a\r\nb\rc\n") == "a\nb\nc\n"


def test_a_prompt_keeps_its_shell_and_says_bash():
    """The live shell, docs and labs: one interactive bash for every line."""
    session = Session.create("default", "bare", "oracle")
    term, _ = session.run_line("X=5; alias ll='ls -d'; cd /tmp; ll /")
    # an alias is for the lines after the one that defines it (bash reads a whole line)
    assert term.text() == "bash: ll: command not found\n"
    term, status = session.run_line('echo "$X $PWD"; ll /; nosuch')
    assert term.text() == "5 /tmp\n/\nbash: nosuch: command not found\n"
    assert status == 127


def test_aliases_at_a_prompt_expand_as_bash_does():
    """Recorded with bash 5.2 (`shopt -s expand_aliases`, each line read after the
    last ran): command positions after `;`, `&&`, `||`, `(`, `then`; an alias ending
    in a blank makes the next word one, the same alias again included."""
    session = Session.create("default", "bare", "oracle")
    for line in ("alias ll='echo LL'", "alias s='echo S '"):
        session.run_line(line)
    lines = ("ll /; echo ll; ll x", "s ll", "(ll)", "true && ll || ll", "s s ll",
             '"ll" x 2>/dev/null; echo q', "if true; then ll y; fi")
    got = "".join(session.run_line(line)[0].text() for line in lines)
    assert got == ("LL /\nll\nLL x\nS echo LL\nLL\nLL\nS echo S echo LL\nq\nLL y\n")


# ----------------------------------------------------------- the round tests' helpers
def replay_case(name: str) -> None:
    """The oracle case tests/oracle_cases/NAME replayed whole, as the test above does."""
    test_lines_print_what_the_oracles_recorder_recorded(
        next(p for p in corpus.oracle_cases() if p.stem == name))


def oracle_shell():
    """A bare host of the recording machine's profile, named as the recorder's."""
    return Session.create(ORACLE_PROFILE, "bare", "oracle")


def shell_after(*lines: str):
    """oracle_shell() after `lines`, each of which must succeed."""
    session = oracle_shell()
    for line in lines:
        _, status = session.run_line(line)
        assert status == 0, line
    return session


def text_and_status(session, line: str) -> tuple[str, int]:
    """What one line prints and its status."""
    term, status = session.run_line(line)
    return term.text(), status


def output(session, line: str) -> str:
    """What one line prints (stdout and stderr, as a terminal shows them)."""
    term, _ = session.run_line(line)
    return term.text()
