"""Round 46's scripts (transcripts/scripts/scripts46_*: public network scripts' shapes,
each header naming what it was modelled on) given to `ipemu run` a line at a time, and
the shell behaviours they brought, each with golden text recorded on the real machine
(Debian 12: bash 5.2.15, dash 0.5.12)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

import shlex  # noqa: E402

CASES = test_scripts.round_cases("scripts46_")


def test_round46_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 6


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts46_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


def _c(line: str) -> str:
    """What `bash -c LINE; echo "rc=$?"` prints (stdout and stderr)."""
    return test_scripts.output_of(f'bash -c {shlex.quote(line)}; echo "rc=$?"')


@pytest.mark.parametrize("line, expected", [
    # flags.c shell_flags[]: a b e f h i k m n p r t u v x, then B C E H I P T; c last
    ("set -Eeuo pipefail; echo $-", "ehuBEc\n"),
    ("set -ETPkbpm 2>/dev/null; echo $-", "bhkmpBEPTc\n"),
    ("set -v; echo $- 2>/dev/null", "hvBc\n"),
    ("set -T; f() { echo $-; }; f", "hBTc\n"),
    # variables.c: OPTERR=1 in every new bash (scripts46_getopts_long's
    # `[ "$OPTERR" = 1 ] && [ "${optspec:0:1}" != ":" ]`), none in dash
    ('echo "[$OPTERR] [$OPTIND]"; set | grep -E "^OPT"', "[1] [1]\nOPTERR=1\nOPTIND=1\n"),
    ("sh -c 'echo \"[$OPTERR]\"'", "[]\n"),
    # redir.c: {a[1]}>FILE stores the descriptor in an array element, {a[1]}>&- closes it
    ("a=(); exec {a[1]}>/tmp/x46; declare -p a; exec {a[1]}>&-; echo ok",
     'declare -a a=([1]="11")\nok\n'),
    ("declare -A m; exec {m[k]}>/tmp/x46; echo x >&${m[k]}; exec {m[k]}>&-; cat /tmp/x46",
     "x\n"),
])
def test_flags_and_named_descriptors(line, expected):
    assert _c(line) == expected + "rc=0\n"


@pytest.mark.parametrize("line, err, status", [
    # an unbound variable ends `bash -c` with 127, or 1 under set -e (recorded)
    ('set -u; echo "$zz"; echo no', "bash: line 1: zz: unbound variable\n", 127),
    ('set -eu; echo "$zz"; echo no', "bash: line 1: zz: unbound variable\n", 1),
    ('set -euo pipefail; arr=(); echo "${arr[0]}"; echo no',
     "bash: line 1: arr[0]: unbound variable\n", 1),
    ('set -e; set +e; set -u; echo $zz', "bash: line 1: zz: unbound variable\n", 127),
    ("set -e; echo \"${zz:?}\"; echo no", "bash: line 1: zz: parameter null or not set\n", 1),
    # failglob: `no match`, status 1, the rest of the line discarded; before nullglob
    ("shopt -s failglob; echo /nonexist/* 2>&1; echo $?",
     "bash: line 1: no match: /nonexist/*\n", 1),
    ("shopt -s failglob nullglob; echo /none/*; echo $?", "bash: line 1: no match: /none/*\n",
     1),
])
def test_fatal_expansions(line, err, status):
    assert _c(line) == err + f"rc={status}\n"


def test_unbound_from_a_pipe_ends_with_1():
    # recorded: `echo 'set -u; echo "$PEER"; echo no' | bash; echo "exit $?"`
    assert test_scripts.output_of(
        "echo 'set -u; echo \"$PEER\"; echo no' | bash; echo \"exit $?\"") == \
        'bash: line 1: PEER: unbound variable\nexit 1\n'


def test_failglob_in_a_script():
    # recorded: without -e the next line runs (1 in $?); a function's failed glob
    # discards the whole line that called it; under set -e report_error() exits
    text = ("shopt -s failglob\\necho /nonexist/*; echo same-line\\necho next $?\\n"
            "for f in /nonexist/*.conf; do echo $f; done\\necho after-for $?\\n"
            "f() { ls /none/*; echo in-f; }\\nf; echo after-f $?\\n")    # printf's \\n
    out = test_scripts.output_of(
        f"printf '{text}' > fg.sh; bash fg.sh; echo rc=$?; "
        f"(echo set -e; cat fg.sh) > fge.sh; bash fge.sh; echo rc=$?")
    assert out == ("fg.sh: line 2: no match: /nonexist/*\nnext 1\n"
                   "fg.sh: line 4: no match: /nonexist/*.conf\nafter-for 1\n"
                   "fg.sh: line 6: no match: /none/*\nrc=1\n"
                   "fge.sh: line 3: no match: /nonexist/*\nrc=1\n")


@pytest.mark.parametrize("line, expected", [
    # dash: $- is optlist[] from the last letter down (recorded on Debian 12's dash 0.5.12)
    ("sh -c 'set -efCavu; echo $-; set +a; set -x; echo $-' 2>/dev/null", "uaCvfe\nuCvxfe\n"),
    ("echo 'echo $-; set -e; echo $-' | sh", "s\nse\n"),
    ("sh -c 'echo $-; set -eu; echo $-'", "\nue\n"),
    # dash's getoptscmd(): OPTIND past the arguments given starts over
    ("sh -c 'getopts ab: o -b v; echo \"$o $OPTARG $OPTIND\"; getopts ab: o -z; "
     "echo \"$o [$OPTARG] $?\"'", "b v 3\nIllegal option -z\n? [] 0\n"),
])
def test_dash_flags_and_getopts(line, expected):
    assert test_scripts.output_of(line) == expected
