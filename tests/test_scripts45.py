"""Round 45's scripts (transcripts/scripts/scripts45_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) given to `ipemu run`
a line at a time, and the behaviours they brought, each with golden text recorded on
the real machine (Debian 12: bash 5.2, dash 0.5.12, iproute2 6.1)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of

CASES = test_scripts.round_cases("scripts45_")


def test_round45_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 4


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts45_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


@pytest.mark.parametrize("command, expected", [
    # dash's readtoken1()/synexpect() when the input ends inside a construct: the
    # line where it ended, and what it was reading (recorded: scripts45_live_wrapper's
    # `$EXEC $1` of "sh -c 'echo hi'" splits into sh -c "'echo" "hi'")
    ("sh -c \"'echo\" \"hi'\"", "hi': 1: Syntax error: Unterminated quoted string\n2\n"),
    ("sh -c 'echo \"a'", "sh: 1: Syntax error: Unterminated quoted string\n2\n"),
    ("sh -c 'echo $((1+'", "sh: 1: Syntax error: Missing '))'\n2\n"),
    ("sh -c 'echo $(ls'", 'sh: 1: Syntax error: end of file unexpected (expecting ")")\n2\n'),
    ("sh -c 'echo `ls'", "sh: 1: Syntax error: EOF in backquote substitution\n2\n"),
    ("sh -c 'echo ${a'", "sh: 1: Syntax error: Missing '}'\n2\n"),
    ("sh -c 'if true; then echo'",
     'sh: 1: Syntax error: end of file unexpected (expecting "fi")\n2\n'),
    ("sh -c 'if true'", 'sh: 1: Syntax error: end of file unexpected (expecting "then")\n2\n'),
    ("sh -c 'echo a; if'",
     'sh: 1: Syntax error: end of file unexpected (expecting "then")\n2\n'),
    ("sh -c 'while true'", 'sh: 1: Syntax error: end of file unexpected (expecting "do")\n2\n'),
    ("sh -c 'for i in 1; do echo'",
     'sh: 1: Syntax error: end of file unexpected (expecting "done")\n2\n'),
    ("sh -c 'for i'", 'sh: 1: Syntax error: end of file unexpected (expecting "do")\n2\n'),
    ("sh -c 'for i in'", "sh: 1: Syntax error: end of file unexpected\n2\n"),
    ("sh -c '{ ( echo'", 'sh: 1: Syntax error: end of file unexpected (expecting ")")\n2\n'),
    ("sh -c 'case a'", 'sh: 1: Syntax error: end of file unexpected (expecting "in")\n2\n'),
    ("sh -c 'case a in'", 'sh: 1: Syntax error: end of file unexpected (expecting ")")\n2\n'),
    ("sh -c 'case a in a) echo'",
     'sh: 1: Syntax error: end of file unexpected (expecting ";;")\n2\n'),
    ("sh -c 'case a in a) echo ;;'",
     'sh: 1: Syntax error: end of file unexpected (expecting ")")\n2\n'),
    ("sh -c 'echo a &&'", "sh: 1: Syntax error: end of file unexpected\n2\n"),
    ("sh -c 'echo \"$(echo a'",
     'sh: 1: Syntax error: end of file unexpected (expecting ")")\n2\n'),
    ("sh -c 'x=$(echo \"a)'", "sh: 1: Syntax error: Unterminated quoted string\n2\n"),
    ("sh -c \"echo 'a\" arg0name", "arg0name: 1: Syntax error: Unterminated quoted string\n2\n"),
])
def test_dash_says_what_its_input_ended_inside(command, expected):
    assert _lines(command + "; echo $?") == expected


@pytest.mark.parametrize("script, expected", [
    # the line is the one where the input ended: a file ending in a newline one past
    # its last line; the commands before the broken one have run (dash parses a
    # command at a time)
    ("echo one\necho \"two\necho three\n",
     "one\nq.sh: 4: Syntax error: Unterminated quoted string\n2\n"),
    ("echo one\nif true; then\necho x\n",
     'one\nq.sh: 4: Syntax error: end of file unexpected (expecting "fi")\n2\n'),
    ("echo one\necho $(( 1 +\n", "one\nq.sh: 3: Syntax error: Missing '))'\n2\n"),
])
def test_dash_script_ending_inside_a_construct(script, expected):
    text = "printf '" + script.replace("\n", "\\n") + "' > q.sh; sh q.sh; echo $?"
    assert _lines(text) == expected
