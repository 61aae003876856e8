"""The shell language (ipemu/bash/): expansion and quoting edge cases, errors as bash
5.2 prints them (each expected text was printed by `bash -c` on the recording
machine), loops that run as steps under the live driver, and multi-line input.
Whole families are recorded in transcripts/shell/."""
from __future__ import annotations

from pathlib import Path

import pytest

from ipemu.bash.parser import incomplete
from ipemu.session import Session
from ipemu.transcript.runner import script_lines

from tests.test_live import Live


@pytest.fixture(scope="module")
def shell() -> Session:
    return Session.create()


def run(shell: Session, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


@pytest.mark.parametrize("line, out", [
    # quoting
    (r"""echo 'a  b' "c  d" e\ \ f""", "a  b c  d e  f\n"),
    (r"""echo "\$x \"q\" \\ \a" '\n'""", '$x "q" \\ \\a \\n\n'),
    (r"""echo $'a\tb' $'\x41\101' $'it\'s'""", "a\tb AA it's\n"),
    ('echo "$(echo "in "quotes"")"', "in quotes\n"),
    ("echo `echo a` \"`echo b`\"", "a b\n"),
    ('echo "" x "" | wc -w', "1\n"),
    ("echo a#b #c", "a#b\n"),
    # parameters
    ("v=veth0.conf; echo ${v%.*} ${v#v} ${v##*e} ${v%%e*} ${v/e/E} ${v//e/E}",
     "veth0 eth0.conf th0.conf v vEth0.conf vEth0.conf\n"),
    ("s=abcdef; echo ${s:1:3} ${s: -2} ${#s} ${s^^}", "bcd ef 6 ABCDEF\n"),
    ('x=; echo "[${x:-a}][${x-b}][${x:+c}][${x+d}]"', "[a][][][d]\n"),
    ('unset u; echo "[${u:=set}]" $u', "[set] set\n"),
    ("set -- a 'b c' d; echo $#; for w in \"$@\"; do echo \"<$w>\"; done",
     "3\n<a>\n<b c>\n<d>\n"),
    ('set -- a b; IFS=:; echo "$*"; unset IFS', "a:b\n"),
    ("IFS=:; v=a:b::c; for f in $v; do echo \"[$f]\"; done; unset IFS",
     "[a]\n[b]\n[]\n[c]\n"),
    ('a="1  2"; echo $a "$a"', "1 2 1  2\n"),
    # arithmetic
    ("echo $((1+2*3)) $((-7/2)) $((-7%3)) $((2**10)) $((0x10)) $((010)) $((2#101))",
     "7 -3 -1 1024 16 8 5\n"),
    ("i=0; ((i++)); ((i+=4)); echo $i $((i>3?1:0))", "5 1\n"),
    ("echo $((9223372036854775807 + 1))", "-9223372036854775808\n"),
    # compound commands
    ("for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done", "1\n3\n"),
    ("for a in x y; do for b in 1 2; do [ $b = 2 ] && break 2; echo $a$b; done; done",
     "x1\n"),
    ("case eth0 in lo) echo l;; eth*|en*) echo e;; esac", "e\n"),
    ("case a in a) echo 1;& b) echo 2;; c) echo 3;; esac", "1\n2\n"),
    ("x=1; (x=2); echo $x; { x=3; }; echo $x", "1\n3\n"),
    ("f() { local x=in; echo $x; }; x=out; f; echo $x", "in\nout\n"),
    ("echo a b | { read x y; echo $y $x; }", "b a\n"),
    ("echo x | read piped; echo \"[$piped]\"", "[]\n"),
    ("IFS=: read -r a b <<< 'x:y:z'; echo \"$a|$b\"", "x|y:z\n"),
    ("[[ eth0 =~ ^eth[0-9]$ && ! -z x ]] && echo m", "m\n"),
    ('[[ abc == "a*" ]]; echo $?', "1\n"),
    ("while read l; do echo \"<$l>\"; done <<EOF\none\ntwo\nEOF", "<one>\n<two>\n"),
    ("cat <<'EOF'\n$x `y`\nEOF", "$x `y`\n"),
    ("cat <<-EOF\n\tindented $((1+1))\n\tEOF", "indented 2\n"),
    # process substitution, one-by-one assignments, arrays
    ("echo <(true); while read l; do echo \"got $l\"; done < <(echo a; echo b)",
     "/dev/fd/63\ngot a\ngot b\n"),
    ("echo $(cat <(echo x) <(echo y))", "x y\n"),
    ("x=1 y=$x; echo \"[$y]\"", "[1]\n"),
    ("a=(1 2 3); unset 'a[1]'; echo ${a[@]} ${#a[@]} ${!a[@]}", "1 3 2 0 2\n"),
    ("a=([2]=x [0]=y); b=(a b); echo ${a[@]} \"${b[@]/a/X}\" \"${b[@]^^}\"", "y x X b A B\n"),
    ("echo {a,b} a{1,2}b {1..3} {05..10..2} {c..a} \"{a,b}\" {a} a{b,}c",
     "a b a1b a2b 1 2 3 05 07 09 c b a {a,b} {a} abc ac\n"),
    ("set -- a b c d e; echo ${@:2:2} ${*: -1}", "b c e\n"),
    ("echo hi > pf; x=$(< pf); echo \"[$x]\"", "[hi]\n"),
    ("x=$(case a in a) echo y;; esac); echo $x", "y\n"),
    ("x=$(echo a # comment )\n); echo $x", "a\n"),
    ("x=$(cat <<EOF\nin heredoc\nEOF\n); echo $x", "in heredoc\n"),
    ("shopt -s nullglob; echo /nonexist*; shopt -u nullglob; echo /nonexist*",
     "\n/nonexist*\n"),
    ("true | false | true; echo ${PIPESTATUS[@]}; false; echo ${PIPESTATUS[@]}", "0 1 0\n1\n"),
    ("bash -c 'exec >/tmp/exec.out; echo hidden; exec 2>&1; nocmd'; cat /tmp/exec.out; "
     "bash -c 'exec echo replaced; echo never'; (exec >/dev/null; echo gone); echo back",
     "hidden\nbash: line 1: nocmd: command not found\nreplaced\nback\n"),
])
def test_expansion_and_quoting_as_bash(shell, line, out):
    assert run(shell, line)[0] == out


@pytest.mark.parametrize("line, out, status", [
    ("nocmd", "bash: nocmd: command not found\n", 127),
    ("echo ${x!}; echo after", "bash: ${x!}: bad substitution\n", 1),
    ("(set -u; echo $zz; echo after)", "bash: zz: unbound variable\n", 1),
    ("echo $((1/0)); echo after", 'bash: 1/0: division by 0 (error token is "0")\n', 1),
    ("((1/0)); echo after $?", 'bash: ((: 1/0: division by 0 (error token is "0")\nafter 1\n', 0),
    ("for; do", "bash: syntax error near unexpected token `;'\n", 2),
    ("if true; then", "bash: syntax error: unexpected end of file\n", 2),
    ("echo 'abc", "bash: unexpected EOF while looking for matching `''\n", 2),
    ("bash -c 'for; do'", "bash: -c: line 1: syntax error near unexpected token `;'\n"
     "bash: -c: line 1: `for; do'\n", 2),
    ("bash -c $'true\\nnocmd'", "bash: line 2: nocmd: command not found\n", 127),
    # /bin/sh is dash on Debian 12: its own message form, no brace expansion
    ("sh -c 'echo {a,b}; nocmd' myname", "{a,b}\nmyname: 1: nocmd: not found\n", 127),
    ("break; echo $?", "bash: break: only meaningful in a `for', `while', or `until' loop\n0\n",
     0),
    ("return", "bash: return: can only `return' from a function or sourced script\n", 2),
    ("shift x", "bash: shift: x: numeric argument required\n", 1),
    ("[ 1 -eq a ]", "bash: [: a: integer expression expected\n", 2),
    ("[ a", "bash: [: missing `]'\n", 2),
    ("test 1 -gt", "bash: test: 1: unary operator expected\n", 2),
    ("local x=1", "bash: local: can only be used in a function\n", 1),
    ("export 1a=2", "bash: export: `1a=2': not a valid identifier\n", 1),
    ("(readonly r=1; r=2; echo no)", "bash: r: readonly variable\n", 1),
    ("(set -e; false; echo no)", "", 1),
    ("(set -o pipefail; false | true; echo $?)", "1\n", 0),
    ("(exit 3); echo $?", "3\n", 0),
])
def test_errors_as_bash_prints_them(shell, line, out, status):
    assert run(shell, line) == (out, status)


def test_a_script_file_names_itself_in_its_errors(shell):
    run(shell, "echo $'echo \"$0 $# $1\"\\nnosuch\\necho $((1/0))\\necho last' > e.sh")
    assert run(shell, "bash e.sh x y") == (
        "e.sh 2 x\ne.sh: line 2: nosuch: command not found\n"
        'e.sh: line 3: 1/0: division by 0 (error token is "0")\nlast\n', 0)


def test_source_runs_in_this_shell_and_exit_ends_only_the_line(shell):
    run(shell, "echo 'SOURCED=yes; f_src() { echo from-source; }' > lib.sh")
    assert run(shell, ". ./lib.sh; echo $SOURCED; f_src") == ("yes\nfrom-source\n", 0)
    assert run(shell, "exit 4; echo no") == ("", 4)
    assert run(shell, "echo still here")[0] == "still here\n"


def test_bash_c_under_ip_netns_exec_runs_in_that_namespace():
    shell = Session.create()
    run(shell, "ip netns add red; ip -n red link add d0 type dummy")
    out, status = run(shell, "ip netns exec red bash -c 'ip -br link | while read d rest; "
                             "do echo \"dev $d\"; done'")
    assert (out, status) == ("dev lo\ndev d0\n", 0)


def test_redirections_of_compound_commands_and_fd_duplication(shell):
    assert run(shell, "{ echo out; echo err >&2; } > both.txt 2>&1; cat both.txt") == \
        ("out\nerr\n", 0)
    assert run(shell, "for i in 1 2; do echo $i; done > loop.txt; wc -l < loop.txt") == \
        ("2\n", 0)
    assert run(shell, "nocmd &> /dev/null; echo $?") == ("127\n", 0)
    assert run(shell, "echo x > $undefined_target") == \
        ("bash: $undefined_target: ambiguous redirect\n", 1)


def test_globs_over_the_simulated_files(shell):
    run(shell, "mkdir_files() { for f in a1 a2 b1; do echo > /tmp/g_$f; done; }; mkdir_files")
    assert run(shell, "echo /tmp/g_a*; echo /tmp/g_?1; echo /tmp/nomatch*; echo '/tmp/g_*'")[0] \
        == "/tmp/g_a1 /tmp/g_a2\n/tmp/g_a1 /tmp/g_b1\n/tmp/nomatch*\n/tmp/g_*\n"


def test_a_reversed_range_in_a_bracket_matches_nothing(shell):
    # bash 5.2 (recorded by hand on the real bash): strmatch's RANGECMP finds no
    # character in [i-1]; the word stays as written, a case arm never matches, and
    # the rest of the bracket still counts (Python's re refused such a range)
    run(shell, "echo > /tmp/b1")
    out = run(shell, "echo /tmp/b[i-1] /tmp/b[0-9]; case i in [z-a]) echo no;; "
                     "[a-z]) echo yes;; esac; case i in [!z-a]) echo neg;; esac; "
                     "x=abc; echo ${x#[c-a]}")[0]
    assert out == "/tmp/b[i-1] /tmp/b1\nyes\nneg\nabc\n"


# ------------------------------------------------------------- steps, live
def test_a_loop_lets_the_live_driver_poll_between_its_pings():
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("for i in 1 2; do ping -c 2 127.0.0.1 | tail -1; echo \"done $i\"; done")
    live.run_for(1.5)
    assert "done 1" in screen.text() and "done 2" not in screen.text() and shell.busy
    live.run_for(2.0)
    assert "done 2" in screen.text() and not shell.busy


def test_ctrl_c_in_a_loop_kills_sleep_and_ends_the_loop():
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("for i in 1 2 3; do sleep 5; echo \"after $i\"; done; echo end")
    live.run_for(0.5)
    shell.interrupt()
    live.run_for(0.1)
    assert screen.text() == "\n" and shell.last_status == 130 and not shell.busy


def test_ctrl_c_reaches_ping_and_the_loop_goes_on():
    # ping catches SIGINT and exits normally: bash goes on with the loop
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("for i in 1 2; do ping -q -c 30 127.0.0.1 >/dev/null; echo \"st $?\"; done")
    live.run_for(1.5)
    shell.interrupt()
    live.run_for(0.2)
    assert screen.text() == "st 0\n" and shell.busy
    shell.interrupt()
    live.run_for(0.2)
    assert screen.text() == "st 0\nst 0\n" and not shell.busy


def test_background_lists_run_as_their_own_process():
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("(sleep 1; echo later) &")
    assert not shell.busy and screen.text().startswith("[1] ")
    live.run_for(1.5)
    assert screen.text().endswith("later\n")
    assert shell.notices() == "[1]+  Done                    ( sleep 1; echo later )\n"


# ---------------------------------------------------------- multi-line input
@pytest.mark.parametrize("text, more", [
    ("for i in 1 2", True), ("for i in 1 2; do", True), ("for i in 1 2; do echo; done", False),
    ("f() {", True), ("echo 'open", True), ('echo "$(ls', True), ("cat <<EOF", True),
    ("cat <<EOF\nbody", True), ("cat <<EOF\nbody\nEOF", False), ("echo a |", True),
    ("echo a &&", True), ("echo a \\", True), ("echo a # b \\", False),
    ("echo a \\\\", False), ("if true; then echo; fi", False),
    ("case x in", True), ("done", False), ("echo a >", False),
])
def test_incomplete_input_asks_for_more(text, more):
    assert incomplete(text) is more


def test_scripts_are_read_as_whole_commands():
    text = "# comment\nfor i in 1 2; do\n  echo $i\ndone\necho end\ncat <<EOF\nx\nEOF\n"
    assert script_lines(text) == ["for i in 1 2; do\n  echo $i\ndone", "echo end",
                                  "cat <<EOF\nx\nEOF"]


@pytest.mark.parametrize("line", [
    "echo ${", "echo $((", "echo $(( 1 +", "((", "[[ ]]", "[[ a", "case", "for x in",
    "f() ", "x=(a b)", "echo ${x:-${y", "<<", "> ", "|", ";;", "((1 ++ ))", "${#}",
    "echo $((x=))", "[[ -z ]]", "echo ${!}", "a=${b/", "}", "{ }", "function", "!",
    "time", "select x in a; do :; done", "echo $'\\", "coproc x", "case a in (a) ;; esac",
])
def test_no_input_shows_a_traceback(shell, line):
    out, status = run(shell, line)
    assert "Traceback" not in out and "internal error" not in out


def test_the_live_shell_reads_continuation_lines_with_ps2(capfd):
    import asyncio

    from ipemu.shell.live import _complete_line
    prompts = []
    typed = iter(["do echo $i", "done"])

    async def read_line(prompt: str) -> str:
        prompts.append(prompt)
        return next(typed)

    line = asyncio.run(_complete_line(read_line, "for i in 1 2"))
    assert line == "for i in 1 2\ndo echo $i\ndone" and prompts == ["> ", "> "]

    async def ctrl_d(prompt: str) -> str:
        raise EOFError

    assert asyncio.run(_complete_line(ctrl_d, "if true; then")) is None
    assert capfd.readouterr().out == "bash: syntax error: unexpected end of file\n"


def test_getopts_and_time(shell):
    line = ('f() { local OPTIND o; while getopts "ab:c" o; do case $o in a) echo A;; '
            'b) echo "B=$OPTARG";; ?) echo "bad $o";; esac; done; shift $((OPTIND-1)); '
            'echo "rest: $*"; }; f -a -b val -x -c file1 file2; f -b')
    assert run(shell, line) == (
        "A\nB=val\nbash: illegal option -- x\nbad ?\nbad c\nrest: file1 file2\n"
        "bash: option requires an argument -- b\nbad ?\nrest: \n", 0)
    # sleep's 0.25 s after its start (session.EXEC_TIME: 4 ms, as a real `time sleep
    # 0.25` shows 0m0.25Xs)
    assert run(shell, "time sleep 0.25") == (
        "\nreal\t0m0.254s\nuser\t0m0.000s\nsys\t0m0.000s\n", 0)


def test_the_shell_state_is_saved_with_the_host():
    from ipemu.state import roundtrip
    shell = Session.create()
    run(shell, "f() { cat <<EOF\nhi $1\nEOF\n}; a=(1 2); export X=1; set -u")
    run(shell, "(sleep 5; echo never) &")
    shell = roundtrip(shell)
    assert run(shell, "f there; echo ${a[1]} $X $-") == ("hi there\n2 1 huBc\n", 0)
    # a running shell job's place in its text is not data: restored, it has ended
    assert run(shell, "jobs") == ("[1]+  Hangup                  ( sleep 5; echo never )\n", 0)


def test_standard_input_runs_constructs_whole(capsys):
    import io

    from ipemu.shell.repl import run_lines_from
    shell = Session.create()
    text = "for i in 1 2\ndo\n  echo $i\ndone\ncat <<EOF\nx\nEOF\necho end\n"
    assert run_lines_from(shell, io.StringIO(text)) == 0
    assert capsys.readouterr().out == "1\n2\nx\nend\n"


def test_arithmetic_keeps_the_quotes_of_the_substitutions_it_holds():
    """bash reads (( )) and $(( )) as if within double quotes: their `"` go, but a
    command substitution inside keeps its own (the bc idiom). Recorded with bash
    5.2.15 and bc 1.07.1 on Debian 12."""
    shell = Session.create()
    script = Path(__file__).parent / "data" / "arith_quotes.sh"
    out = "".join(run(shell, line)[0] for line in script.read_text().splitlines())
    assert out == "yes\n1\n3\n10\nok2\n5\n6\n3\n"
