"""Round 42c's scripts (transcripts/scripts/scripts42c_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) and the behaviours they
brought, each with golden text recorded on the real machine (Debian 12: bash 5.2)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of

CASES = test_scripts.round_cases("scripts42c_")


def test_round42c_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 5


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts42c_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


def _files_then(files: dict[str, str], command: str) -> str:
    """What `command` prints after `printf` wrote each of `files`."""
    made = "".join("printf '" + text.replace("\\", "\\\\").replace("%", "%%")
                   .replace("\n", "\\n").replace("'", "'\\''") + f"' > {name}\n"
                   for name, text in files.items())
    return _lines(made + command + "\n")


@pytest.mark.parametrize("files, command, expected", [
    # set -v (BurlyLuo/wcni-kind's setup scripts): every line read after it is
    # written to stderr before it runs, blank and comment lines too, a
    # here-document's body with its command, a last line without its newline
    # with one (shell_getc()'s echo_input_at_read; recorded)
    ({"t.sh": "set -v\necho a\ncat <<X\nh\nX\n#tail\n\n"}, "bash t.sh 2>&1",
     "echo a\na\ncat <<X\nh\nX\nh\n#tail\n\n"),
    ({"t.sh": "set -v\nif true; then\n  set +v\n  echo in\nfi\necho after\n"},
     "bash t.sh 2>&1", "if true; then\n  set +v\n  echo in\nfi\nin\nafter\n"),
    ({"t.sh": "#!/bin/bash\nset -v\necho a\n# trailing"}, "bash t.sh 2>&1",
     "echo a\na\n# trailing\n"),
    ({"t.sh": "set -v\necho only >&2\n"}, "bash t.sh 2>/dev/null", ""),
    # `-c` text is read a line at a time too; a sourced file's lines and eval's text
    # are echoed as they are read, a function's body once (at its definition)
    ({"src.sh": "echo s1\n#c\n"},
     "bash -c $'set -v\\n. ./src.sh\\neval \"echo ev\\necho ev2\"\\nf() {\\n echo f\\n}\\n"
     "f\\n# end\\n\\n' 2>&1",
     ". ./src.sh\necho s1\ns1\n#c\neval \"echo ev\necho ev2\"\necho ev\nev\necho ev2\n"
     "ev2\nf() {\n echo f\n}\nf\nf\n# end\n\n"),
    # the lines of a $( ) or <( ) after its first are read by parse_comsub(), which
    # echoes nothing; a backquoted or quoted text's are echoed (recorded)
    ({}, "bash -c $'set -v\\nx=`echo d\\necho e`\\ny=$( echo f\\n  echo g\\n)\\n"
         "cat <(echo h\\necho i)\\necho \"a\\nb\"\\nz=\"$(echo j\\necho k)\"; "
         "echo \"$z\"\\n' 2>&1",
     "x=`echo d\necho e`\ny=$( echo f\ncat <(echo h\nh\ni\necho \"a\nb\"\na\nb\n"
     "z=\"$(echo j\nj\nk\n"),
    # the line set -v is on was read before it ran
    ({}, "bash -c 'set -v; echo one; echo two' 2>&1", "one\ntwo\n"),
])
def test_set_v_echoes_lines_as_read(files, command, expected):
    assert _files_then(files, command) == expected


_X = "set -x\necho a\nsleep 0.2\ntrue\nsleep 0.1\n"


@pytest.mark.parametrize("script, command, expected", [
    # set -x's trace is the shell's own write: once the reader has exited, the next
    # trace line kills the shell with SIGPIPE (gw fanout's `bash fanout.sh 2>&1 |
    # head -n 12`: 141, recorded)
    (_X, "bash x.sh 2>&1 | head -n 2", "+ echo a\na\n141 0\n"),
    (_X, "bash -x x.sh 2>&1 | grep -m1 sleep", "+ sleep 0.2\n141 0\n"),
    # SIGPIPE ignored: the trace's failed writes go unnoticed
    ("trap \"\" PIPE\n" + _X, "bash x.sh 2>&1 | head -n 3",
     "+ echo a\na\n+ sleep 0.2\n0 0\n"),
    # echo's write after the trace's (`echo end >&2` in the pipe)
    ("set -x\necho a\nsleep 0.2\ntrue\necho end >&2\n", "bash x.sh 2>&1 | head -n 1",
     "+ echo a\n141 0\n"),
    # traced elsewhere: the pipe's writes end with the script
    ("set -x\necho a\nsleep 0.2\ntrue\necho end >&2\n", "bash x.sh 2>/dev/null | head -n 1",
     "a\n0 0\n"),
    ("trap \"\" PIPE\nset -x\necho a\nsleep 0.2\ntrue\necho end >&2\n",
     "bash x.sh 2>&1 | head -n 3", "+ echo a\na\n+ sleep 0.2\n1 0\n"),
])
def test_xtrace_on_a_broken_pipe(script, command, expected):
    assert _files_then({"x.sh": script}, command + '; echo "${PIPESTATUS[*]}"') == expected
