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


@pytest.mark.parametrize("command, expected", [
    # dash's own test (src/bltin/test.c, recorded with Debian 12's dash): numbers
    # are atomax10()'s (blanks around and a sign allowed, `Illegal number: TEXT`
    # otherwise, out of range too), a binary operator without its right operand
    # names the operator, a word left over after the expression names the word
    # where the parse stopped, a missing expression is false
    ("test 1 -eq x", "sh: 1: test: Illegal number: x\n2\n"),
    ("[ '' -eq 1 ]", "sh: 1: [: Illegal number: \n2\n"),
    ("[ ' 3 ' -eq 3 ]", "0\n"),
    ("[ +3 -eq 3 ]", "0\n"),
    ("[ 3x -gt 1 ]", "sh: 1: [: Illegal number: 3x\n2\n"),
    ("[ 1 -lt 99999999999999999999 ]", "sh: 1: [: Illegal number: 99999999999999999999\n2\n"),
    ("[ 1 -gt ]", "sh: 1: [: -gt: argument expected\n2\n"),
    ("[ 1 = ]", "sh: 1: [: =: argument expected\n2\n"),
    ("[ -f ]", "0\n"),
    ("[ a b ]", "sh: 1: [: a: unexpected operator\n2\n"),
    ("[ -q x ]", "sh: 1: [: -q: unexpected operator\n2\n"),
    ("[ a -foo c ]", "sh: 1: [: a: unexpected operator\n2\n"),
    ("[ a = b c ]", "sh: 1: [: b: unexpected operator\n2\n"),
    ("[ a = b -a ]", "1\n"),
    ("[ a = b -a c = d e ]", "sh: 1: [: d: unexpected operator\n2\n"),
    ("[ '(' a ]", "sh: 1: [: closing paren expected\n2\n"),
    ("[ '(' a ')' b ]", "sh: 1: [: ): unexpected operator\n2\n"),
    ("[ 1 -eq 1 -a 2 -eq x ]", "sh: 1: [: Illegal number: x\n2\n"),
    ("[ a", "sh: 1: [: missing ]\n2\n"),
    ("[ a == a ]", "sh: 1: [: a: unexpected operator\n2\n"),
    ("[ ! a = b ]", "0\n"),
    ("[ x = x -a ! y = z ]", "0\n"),
    ("[ -z -z ]", "1\n"),
])
def test_dash_test_builtin(command, expected):
    quoted = command.replace("'", "'\\''")
    assert _lines(f"sh -c '{quoted}'; echo $?") == expected


def test_dash_pipe_amp_is_a_syntax_error():
    # dash has no `|&`: `|` then `&` where a command must come; the commands
    # before it on earlier lines have run (recorded)
    script = "echo a\\necho x |& cat\\necho after\\n"
    assert _lines(f"printf '{script}' > c7.sh; sh c7.sh; echo $?") == \
        'a\nc7.sh: 2: Syntax error: "&" unexpected\n2\n'
    assert _lines("sh -c 'echo x |& cat'; echo $?") == 'sh: 1: Syntax error: "&" unexpected\n2\n'
