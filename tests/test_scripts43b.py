"""Round 43b's scripts (transcripts/scripts/scripts43b_*: scripts with heavier shell written
for ipemu in the shape of public ones, each header naming what it was modelled on) and the
behaviours they brought, each with golden text recorded on the real machine (Debian 12:
bash 5.2; the recording kernel 6.18)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of

CASES = test_scripts.round_cases("scripts43b_")


def test_round43b_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 1


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts43b_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


def _script(text: str) -> str:
    """What `bash s.sh` prints, s.sh holding `text` (its lines)."""
    made = text.replace("\\", "\\\\").replace("%", "%%").replace("\n", "\\n") \
        .replace("'", "'\\''")
    return _lines(f"printf '{made}\\n' > s.sh\nbash s.sh\n")


@pytest.mark.parametrize("text, expected", [
    # each operand of [[ ]] is expanded once (cond_expand_word()): ipemu expanded the
    # pattern of ==/!= twice (once for set -x) and moved `b` twice (scripts43b_ipcalc_lib,
    # tagd-tagd/ipbash's ENTRYIP)
    ("a=25 b=7; [[ $(( a >>= 1 )) != $(( b >>= 1 )) ]] && echo ne; echo $a $b", "ne\n12 3\n"),
    ("i=0; [[ $((i++)) -eq $((i++)) ]]; echo $i; [[ x == $((i++)) ]]; echo $i", "2\n3\n"),
    # set -x shows a tilde's expansion as quoted text
    ("set -x; [[ ~ == ~ ]]", "+ [[ /root == \\/\\r\\o\\o\\t ]]\n"),
])
def test_cond_operands_expand_once(text, expected):
    assert _script(text) == expected


@pytest.mark.parametrize("line, expected", [
    # bash's getintmax()/getfloatmax() warn with sh_invalidnum(): a leading 0 or 0x
    # names the number octal or hex; strtold() reads a hex float (recorded, bash 5.2)
    ("printf '%d\\n' 08 0xg 12a 0x", "bash: printf: 08: invalid octal number\n0\n"
     "bash: printf: 0xg: invalid hex number\n0\nbash: printf: 12a: invalid number\n12\n"
     "bash: printf: 0x: invalid hex number\n0\n"),
    ("printf '%f\\n' 0x1g 0x1.8p1 09.5", "bash: printf: 0x1g: invalid hex number\n1.000000\n"
     "3.000000\n9.500000\n"),
    # dash's check_conversion(): nothing read, or not read whole
    ("sh -c \"printf '%d\\n' 08 x\"; echo $?", "sh: 1: printf: 08: not completely converted\n0\n"
     "sh: 1: printf: x: expected numeric value\n0\n1\n"),
])
def test_printf_invalid_numbers(line, expected):
    assert _lines(line + "\n") == expected


@pytest.mark.parametrize("text, expected", [
    # a DEBUG trap a function sets for itself runs there (execute_function() only
    # takes the caller's away), and stays after it; the caller's comes back when the
    # function set none (maybe_set_debug_trap()); ipemu ran no DEBUG trap in a
    # function without set -T (recorded, bash 5.2)
    ("dbg() { trap 'echo \"DEBUG: $BASH_COMMAND\"' DEBUG; x=1; trap - DEBUG; }; dbg; echo end",
     "DEBUG: x=1\nDEBUG: trap - DEBUG\nend\n"),
    ("trap 'echo D1 $BASH_COMMAND' DEBUG; f() { trap 'echo D2 $BASH_COMMAND' DEBUG; :; }; f; "
     "echo after", "D1 f\nD2 :\nD2 echo after\nafter\n"),
    ("trap 'echo D1 $BASH_COMMAND' DEBUG; f() { trap - DEBUG; :; }; f; echo after",
     "D1 f\nD1 echo after\nafter\n"),
])
def test_debug_trap_set_in_a_function(text, expected):
    assert _script(text) == expected


@pytest.mark.parametrize("text, expected", [
    # declare -ft gives a function the trace attribute: it keeps the caller's DEBUG and
    # RETURN traps (execute_function()), and the DEBUG trap runs once more as it starts,
    # $LINENO its definition's line; declare -F shows the attribute (recorded, bash 5.2)
    ("f() { echo in f; }\ndeclare -f -t f\ndeclare -F\n"
     "trap 'echo \"D $LINENO $BASH_COMMAND\"' DEBUG\nf\ntrap - DEBUG",
     "declare -ft f\nD 5 f\nD 1 f\nD 1 echo in f\nin f\nD 6 trap - DEBUG\n"),
    ("f() { :; }; g() { :; }; declare -ft f; export -f g; declare -tf g; declare -F; "
     "declare -fx", "declare -ft f\ndeclare -ftx g\ng () \n{ \n    :\n}\ndeclare -ftx g\n"),
    # the DEBUG trap runs inside the other traps (EXIT here: the idiom that reports the
    # command set -e stopped at), not in ( ) or $( ) without set -T
    ("set -e\ntrap 'last=$cur; cur=$BASH_COMMAND' DEBUG\n"
     "trap 'echo \"\\\"$last\\\" exited $?\"' EXIT\nx=$(echo hi)\n( true )\nfalse\necho no",
     "\"false\" exited 1\n"),
    # set -e ending the shell inside a function: the EXIT trap runs before the
    # function's unwind-protects, so the DEBUG trap it took away is not back there
    # (scripts43b_debug_trap: the report names the command before the call)
    ("set -e\ntrap 'last=$cur; cur=$BASH_COMMAND' DEBUG\n"
     "trap 'echo \"\\\"$last\\\" exited $?\"' EXIT\nf() { false; }\ntrue\nf\necho no",
     "\"true\" exited 1\n"),
])
def test_function_trace_attribute_and_debug_trap(text, expected):
    assert _script(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a command substitution has the shell's descriptors above 2 (`exec 3>>LOG` then
    # `v=$(log ...; echo value)`); ipemu said `3: Bad file descriptor` (recorded)
    ("log() { echo \"log: $*\" >&3; }; exec 3>>log.txt; v=$(log one; echo value); "
     "echo \"v=$v\"; cat log.txt", "v=value\nlog: one\n"),
    ("exec 5>&1; y=$(echo direct >&5; echo cap); echo \"y=$y\"", "direct\ny=cap\n"),
    # BASH_XTRACEFD: the trace goes to that descriptor
    ("exec {BASH_XTRACEFD}>>trace.log; set -x; x=$(echo hi); set +x; echo \"x=$x\"; "
     "cat trace.log", "x=hi\n++ echo hi\n+ x=hi\n+ set +x\n"),
])
def test_descriptors_in_command_substitutions(text, expected):
    assert _script(text) == expected


@pytest.mark.parametrize("text, expected", [
    # ${!ref} whose value names an array element or the whole array (arrays passed
    # by name: `f arr[@]` then `local a=("${!1}")`, valid_brace_expansion_word());
    # ipemu said `arr[@]: invalid indirect expansion` (recorded, bash 5.2)
    ("arr=(x \"y z\" w); f() { local a=(\"${!1}\"); echo \"${#a[@]}: ${a[1]}\"; }; f arr[@]; "
     "i=2; t=\"arr[$i]\"; echo \"${!t}\"", "3: y z\nw\n"),
    # an unset variable names itself, a bad value is an invalid variable name
    # (either ends the script, as any bad substitution does)
    ("echo \"${!x}\"; echo after", "s.sh: line 1: x: invalid indirect expansion\n"),
    ("x=a-b; echo \"${!x}\"; echo after", "s.sh: line 1: a-b: invalid variable name\n"),
    # unset of a caller's local removes it: the variable it hid is seen again
    # (dynamic scope, localvar_unset off); a local of the same function stays local
    ("g=global; f1() { local g=inner; f2; echo \"f1 after: ${g-unset}\"; }; "
     "f2() { unset g; echo \"f2: ${g-unset}\"; }; f1; "
     "h() { local g=mine; unset g; echo \"h: ${g-unset}\"; }; h",
     "f2: global\nf1 after: global\nh: unset\n"),
])
def test_indirection_and_dynamic_scope(text, expected):
    assert _script(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a function's `local -n x=x`: bash 5.2 warns twice and x goes on meaning the
    # variable of the scope before, each use warning again (an element's or the whole
    # array's twice); ipemu refused it as a self reference, which is the global
    # scope's error only (scripts43b_iface_by_name: CCDC-Scripts' interface_up called
    # with `interfaces` itself; recorded)
    ("f() {\n  local -n x=x\n  echo \"[${x[*]}]\"\n  x[1]=B\n  echo \"${#x[@]} $x\"\n}\n"
     "x=(a b c)\nf\necho \"after: ${x[*]}\"",
     "s.sh: line 2: local: warning: x: circular name reference\n"
     "s.sh: line 2: warning: x: circular name reference\n"
     "s.sh: line 3: warning: x: circular name reference\n"
     "s.sh: line 3: warning: x: circular name reference\n[a b c]\n"
     "s.sh: line 4: warning: x: circular name reference\n"
     "s.sh: line 4: warning: x: circular name reference\n"
     "s.sh: line 5: warning: x: circular name reference\n"
     "s.sh: line 5: warning: x: circular name reference\n3 a\nafter: a B c\n"),
    ("declare -n x=x; echo \"rc $?\"",
     "s.sh: line 1: declare: x: nameref variable self references not allowed\nrc 1\n"),
])
def test_local_nameref_to_itself(text, expected):
    assert _script(text) == expected


@pytest.mark.parametrize("text, expected", [
    # /dev/stdout, /dev/fd/N in a redirection reach what that descriptor has open
    # (hfuchs/tinylog.sh's io.sh: `exec >> LOG` then `>> /dev/stdout` writes LOG,
    # `> /dev/fd/3` after `exec 3<&1` the terminal); ipemu wrote /dev/stdout to the
    # terminal and said `/dev/fd/3: No such file or directory` (recorded)
    ("exec 3<&1\nexec >> my.log\necho 1\necho 2 >> /dev/stdout\necho 3 > /dev/fd/3\n"
     "exec 1>&3 3>&-\ncat my.log", "3\n1\n2\n"),
    # printf -v's warnings name the script's line as printf's do
    ("printf -v n '%d' 08; echo \"n=$n\"", "s.sh: line 1: printf: 08: invalid octal number\nn=0\n"),
])
def test_dev_fd_paths_and_printf_v(text, expected):
    assert _script(text) == expected
