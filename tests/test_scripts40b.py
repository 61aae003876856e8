"""Round 40b's scripts (transcripts/scripts/scripts40b_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) given to `ipemu run`
a line at a time, and the behaviours they brought, each with golden text recorded on
the real machine (Debian 12: iproute2 6.1, bash 5.2)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of


CASES = test_scripts.round_cases("scripts40b_")


def test_round40b_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 3


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts40b_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


def test_coproc_named_compound_reads_waits_and_unsets():
    # scripts40b_coproc: execute_coproc() puts the read end on 63 and the write end on
    # 60, NAME_PID is $!, `wait $NAME_PID` returns the coproc's status and coproc_reap()
    # unsets NAME (recorded; ipemu said `syntax error near unexpected token `}'`)
    out = _lines('coproc P { echo hi; echo there; exit 3; }; echo "${P[@]} ${#P[@]}"; '
                 'echo "pid=$([ "$!" = "$P_PID" ] && echo same)"; read -u ${P[0]} l; echo "$l"; '
                 'read -u ${P[0]} l; echo "$l"; wait $P_PID; echo rc=$?; '
                 'echo "after: ${P[@]} ${P_PID:-unset}"\n')
    assert out == "63 60 2\npid=same\nhi\nthere\nrc=3\nafter:  unset\n"


def test_coproc_default_name_and_simple_command():
    # `coproc { ...; }` and `coproc CMD ARGS` are named COPROC (recorded)
    out = _lines('coproc { echo a; sleep 0.3; }; read -u ${COPROC[0]} x; echo "$x ${COPROC[*]}"; '
                 'wait $COPROC_PID; echo "rc=$? [${COPROC[*]}]"\n'
                 'coproc ip -br link show lo; read -u ${COPROC[0]} x; echo "${x%% *}"\n')
    assert out == "a 63 60\nrc=0 []\nlo\n"


def test_coproc_word_then_reserved_word_is_a_syntax_error():
    # parse.y reads reserved words after `coproc WORD` (the word may be a NAME):
    # `coproc echo if;` is an if without its list (recorded: bash -c says
    # "syntax error near unexpected token `;'", status 2)
    out = _lines("coproc echo if; echo x\n")
    assert "syntax error near unexpected token `;'" in out and "x\n" not in out
    out = _lines("coproc W while read x; do echo $x; done; echo ${W[@]}\n")
    assert out == "63 60\n"


def test_a_second_coproc_warns_and_takes_other_descriptors():
    # bash keeps one coproc: a second one while the first is there warns (with the
    # first's pid), gets 62 and 58, and the first is no longer followed: its NAME
    # stays after `wait` (recorded: `63 60 62 58`, `a`, `rc=0 63 60-`)
    out = _lines('coproc W { echo a; sleep 0.3; }; coproc V { sleep 0.3; }; '
                 'echo "${W[@]} ${V[@]}"; read -u ${W[0]} l; echo $l; wait $W_PID $V_PID; '
                 'echo rc=$? ${W[@]}-\n')
    assert "warning: execute_coproc: coproc [" in out and ":W] still exists\n" in out
    assert out.endswith("63 60 62 58\na\nrc=0 63 60-\n") or "63 60 62 58\na\nrc=0 63 60-\n" in out


def test_prompt_transform_decodes_the_escapes():
    # ${x@P}: decode_prompt_string() (recorded under bash 5.2.15 in /root, host vm:
    # \s is the shell's name, `bash`, in a script too; \[ \] give nothing; an unknown
    # escape stays; $HOME is expanded, promptvars on; ipemu gave the value as it was)
    from ipemu.session import Session
    from ipemu.transcript.runner import run_lines
    session = Session.create("default", "bare", "vm", 0, None)
    text = ("x='\\u@\\h:\\w \\W \\s \\v \\V \\$ \\\\ [\\H] \\101 \\j'; echo \"${x@P}\"\n"
            "y='\\[a\\]'; echo \"${y@P}\"\n"
            "cd /tmp; z='\\w|\\W'; echo \"${z@P}\"; q='\\q\\y'; echo \"${q@P}\"; "
            "h='$HOME'; echo \"${h@P}\"\n")
    transcript, _ = run_lines(session, text.splitlines(), "vm")
    out = "".join(line for line in transcript.splitlines(keepends=True)
                  if not line.startswith("[root@vm"))
    assert out == ("root@vm:~ ~ bash 5.2 5.2.15 # \\ [vm] A 0\n"
                   "a\n"
                   "/tmp|tmp\n\\q\\y\n/root\n")


def test_stat_of_the_sysfs_class_links():
    # /sys/class/net/DEV is a link (device_add_class_symlinks()), -L a directory,
    # /sys/class/net a directory (recorded: transcripts/userland/scripts40b_stat_class_links;
    # ipemu said `cannot statx`)
    out = _lines('ip link add va type veth peer name vb\n'
                 'stat -c "%F %N %a" /sys/class/net/va /sys/class/net\n'
                 'stat -L -c %F /sys/class/net/va\n')
    assert out == ("symbolic link '/sys/class/net/va' -> '../../devices/virtual/net/va' 777\n"
                   "directory '/sys/class/net' 755\n"
                   "directory\n")


def test_find_printf_directives():
    # print.c's -printf: %f %h %P %d %y, escapes, no newline of its own (recorded:
    # transcripts/userland/scripts40b_find_printf; ipemu said `unknown predicate`)
    out = _lines("ip link add va type veth peer name vb\n"
                 "find /sys/class/net -maxdepth 1 -type l -printf '%f|%h|%P|%d|%y\\n' | sort\n"
                 "find /sys/class/net -maxdepth 0 -printf '%f %h %P %d %y\\n'\n"
                 "find /sys/class/net/ -maxdepth 1 -name 'v*' -printf '%d %P\\t%%\\n' | sort\n"
                 "find /sys/class/net -maxdepth 1 -name lo -printf '%f'; echo '<'\n")
    assert out == ("lo|/sys/class/net|lo|1|l\nva|/sys/class/net|va|1|l\nvb|/sys/class/net|vb|1|l\n"
                   "net /sys/class  0 d\n"
                   "1 va\t%\n1 vb\t%\n"
                   "lo<\n")
