"""Round 49's scripts (transcripts/scripts/scripts49_*: public network scripts' shapes,
each header naming what it was modelled on) given to `ipemu run` a line at a time, and
the behaviours they brought, each with golden text recorded on the real machine
(Debian 12: bash 5.2.15, dash 0.5.12, coreutils 9.1)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

CASES = test_scripts.round_cases("scripts49_")


def test_round49_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 3


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts49_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


# each line run by the real bash (in a fresh network namespace, files in its working
# directory) and by ipemu at its prompt
GOLDEN = [
    ('{ printf \'echo in-lib\\nfalse\\n\' > l1.sh; printf \'echo in-l2; return 5\\n\' > l2.sh; bash -c \'trap "echo R \\$? \\${FUNCNAME[*]} \\$BASH_COMMAND" RETURN; . ./l1.sh; echo "after $?"; . ./l2.sh; echo "after $?"; f() { . ./l1.sh; }; f; set -T; f; . ./nosuch; echo "missing $?"; . ; echo "usage $?"\'; } 2>&1',
     'in-lib\nR 1 . ./l1.sh\nafter 1\nin-l2\nR 0 . ./l2.sh\nafter 5\nin-lib\nin-lib\nR 1 f . ./l1.sh\nR 1 f . ./l1.sh\nbash: line 1: ./nosuch: No such file or directory\nR 1 . ./nosuch\nmissing 1\nbash: line 1: .: filename argument required\n.: usage: . filename [arguments]\nusage 2\n'),
    ('{ printf \'trap "echo set-inside \\\\$?" RETURN\\necho l3\\n\' > l3.sh; bash -c \'. ./l3.sh; . ./l3.sh; trap -p RETURN; g() { trap "echo FR" RETURN; . ./l3.sh; }; g\'; } 2>&1',
     "l3\nset-inside 0\nl3\nset-inside 0\ntrap -- 'echo set-inside $?' RETURN\nl3\nset-inside 0\nset-inside 0\n"),
    ('{ for s in \'declare -a a; echo ${#a[@]}\' \'declare -A m; echo ${#m[*]}\' \'a=(); echo ${#a[@]} ${#a[0]} ${#a[5]}\' \'x=abc; echo ${#x[0]}\' \'declare -n r=nothing; echo ${#r[@]}\' \'echo ${#2}\' \'declare -A m; m[k]=v; echo ${#m[@]}\'; do bash -c "set -u; $s; echo ok" 2>&1; echo "rc=$?"; done; } 2>&1',
     'bash: line 1: a: unbound variable\nrc=1\nbash: line 1: m: unbound variable\nrc=1\n0 0 0\nok\nrc=0\nbash: line 1: x: unbound variable\nrc=1\nbash: line 1: r: unbound variable\nrc=1\nbash: line 1: 2: unbound variable\nrc=127\n1\nok\nrc=0\n'),
    ('{ for e in \'\' \'-e\'; do printf \'set -u %s\\ndeclare -a a\\necho "${#a[@]}"\\necho "next $?"\\nx="a b"; echo ${!x}\\necho "next $?"\\n\' "$e" > nu.sh; bash nu.sh 2>&1; echo "rc=$?"; done; } 2>&1',
     'nu.sh: line 3: a: unbound variable\nnext 1\nnu.sh: line 5: a b: invalid variable name\nnext 1\nrc=0\nnu.sh: line 3: a: unbound variable\nrc=1\n'),
    ('{ bash -c \'getopts; echo $?; getopts a; echo $?; set -- -a -b; getopts ab 1x; echo "$? $OPTIND"; getopts ab 2y; echo "$? $OPTIND"\' 2>&1; sh -c \'getopts; echo $?\' 2>&1; } 2>&1',
     "getopts: usage: getopts optstring name [arg ...]\n2\ngetopts: usage: getopts optstring name [arg ...]\n2\nbash: line 1: getopts: `1x': not a valid identifier\n1 2\nbash: line 1: getopts: `2y': not a valid identifier\n1 3\nsh: 1: getopts: Usage: getopts optstring var [arg...]\n2\n"),
    ('{ timeout -vs KILL 0.1 sleep 1 2>&1 | cat; timeout --pre 0.1 sleep 1; echo $?; timeout --bogus 1 true; echo $?; timeout -k; echo $?; timeout --signal; echo $?; timeout --p 1 true; echo $?; timeout --verbose=1 1 true; echo $?; } 2>&1',
     "timeout: sending signal KILL to command ‘sleep’\n143\ntimeout: unrecognized option '--bogus'\nTry 'timeout --help' for more information.\n125\ntimeout: option requires an argument -- 'k'\nTry 'timeout --help' for more information.\n125\ntimeout: option '--signal' requires an argument\nTry 'timeout --help' for more information.\n125\n0\ntimeout: option '--verbose' doesn't allow an argument\nTry 'timeout --help' for more information.\n125\n"),
    ('{ timeout -v -k 0.2 0.1 bash -c \'trap "" TERM; sleep 1\' 2>&1 | cat; timeout --version | head -1; timeout --help | tail -2; } 2>&1',
     "timeout: sending signal TERM to command ‘bash’\ntimeout: sending signal KILL to command ‘bash’\ntimeout (GNU coreutils) 9.1\nFull documentation <https://www.gnu.org/software/coreutils/timeout>\nor available locally via: info '(coreutils) timeout invocation'\n"),
    ('{ set --; declare -A m; for w in "${@+x}" "${@:+x}" "${*+x}" "${m[*]+x}" "${m[@]:+x}" "${m[@]+x}" "${s+x}" "${m[0]+x}"; do printf "<%s>" "$w"; done; echo; set -- "${m[@]+x}"; echo $#; } 2>&1',
     '<><><><>\n0\n'),
]
IDS = ["source_return_trap", "return_trap_set_inside_source", "array_length_nounset",
       "report_error_under_set_e", "getopts_usage_and_bad_name", "timeout_options",
       "timeout_verbose_kill_after",
       "quoted_at_plus_is_no_word"]


@pytest.mark.parametrize("line, expected", GOLDEN, ids=IDS)
def test_behaviour_matches_the_recording(line, expected):
    # source.def: the RETURN trap at the end of . and source (a missing file too, not
    # the usage error; a function without set -T has none); arrayfunc.c
    # array_length_reference(): ${#NAME[@]} of an unset, valueless or scalar NAME is
    # unbound under set -u (status 1; ${#N} says N, 127); error.c report_error() ends
    # a script under set -e; getopts.def builtin_usage()/sh_invalidid(); timeout.c's
    # getopt_long("+k:s:v") and cleanup()'s -v message; subst.c: a quoted "${@+x}" or
    # "${a[@]+x}" that is not set leaves no word
    assert test_scripts.output_of(line) == expected
