"""Round 47's scripts (transcripts/scripts/scripts47_*: public network scripts' shapes,
each header naming what it was modelled on) given to `ipemu run` a line at a time, and
the shell behaviours they brought, each with golden text recorded on the real machine
(Debian 12: bash 5.2.15)."""
from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

CASES = test_scripts.round_cases("scripts47_")


def test_round47_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 6


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts47_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


def _c(line: str) -> str:
    """What `bash -c LINE; echo "rc=$?"` prints (stdout and stderr)."""
    return test_scripts.output_of(f'bash -c {shlex.quote(line)}; echo "rc=$?"')


def test_wait_pid_of_a_job_that_ended_meanwhile_takes_it_off_the_table():
    # jobs.c wait_for_single_pid(): the job is still in a script's table (dead, not
    # notified: startup_state 0); waiting for it marks it J_NOTIFIED, so `jobs` no
    # longer lists it (scripts47_parallel_ping's `wait "${pids[$ip]}"` loop)
    script = ["false & p=$!; false & q=$!; sleep 0.2 & r=$!",
              'wait $p; echo "p $?"; jobs -l | wc -l',
              'wait $q; echo "q $?"; jobs | wc -l',
              "wait $r; jobs; echo end",
              "false & wait; jobs; echo end2",
              "false & s=$!; sleep 0.1; jobs"]
    text = f"printf '%s\\n' {' '.join(map(shlex.quote, script))} > w.sh\nbash w.sh\n"
    assert test_scripts.output_of(text) == (
        "p 1\n2\nq 1\n1\nend\nend2\n[1]+  Exit 1                  false\n")


@pytest.mark.parametrize("line, expected", [
    # execute_in_subshell()'s without_job_control(): ( ), a compound command or a
    # function in a pipeline, an async list forget the parent's jobs;
    # execute_subshell_builtin_or_function() keeps them for the `jobs` builtin itself
    # in a pipeline ("Allow the output of `jobs' to be piped"), and a $( ) keeps them
    ("sleep 1 & (jobs); echo a; { jobs; } | cat; echo b; jobs | cat; echo c; "
     'echo "$(jobs)"; echo d; ( jobs; echo in ) | cat; echo "$( (jobs) )"; kill %1',
     "a\nb\n[1]+  Running                 sleep 1 &\nc\n"
     "[1]+  Running                 sleep 1 &\nd\nin\n\n"),
    ('sleep 1 & f() { jobs; }; echo "1[$(f)]"; echo "2[$(jobs; echo x)]"; '
     'echo "3[$({ jobs; })]"; jobs | cat | cat; echo 5; cat /dev/null | jobs; echo 6; '
     "f & wait $!; echo 7; { jobs; } & wait $!; f | cat; (f); kill %1",
     "1[[1]+  Running                 sleep 1 &]\n"
     "2[[1]+  Running                 sleep 1 &\nx]\n"
     "3[[1]+  Running                 sleep 1 &]\n"
     "[1]+  Running                 sleep 1 &\n5\n"
     "[1]+  Running                 sleep 1 &\n6\n7\n"),
])
def test_subshells_forget_the_parents_jobs(line, expected):
    assert _c(line) == expected + "rc=0\n"


def test_exported_functions_are_in_the_environment():
    # variables.c make_func_export_array(): BASH_FUNC_NAME%%=() {  BODY after the
    # variables and before `_`, in FUNCTIONS_HASH_BUCKETS (512) order; the body as
    # named_function_string() prints it without FUNC_MULTILINE (recorded, bash 5.2.15)
    line = ("f() { echo \"in $1\"; local x=1; if true; then echo y; fi; }; export -f f; "
            "g() { :; }; export -f g; export Z=1; env | sed -n '/^Z=/,$p'; "
            "printenv 'BASH_FUNC_g%%'; export -nf f; env | grep -c '^BASH_FUNC'")
    out = _c(line)
    tail = out[out.index("BASH_FUNC_g%%"):]
    assert tail == ("BASH_FUNC_g%%=() {  :\n}\n"
                    "BASH_FUNC_f%%=() {  echo \"in $1\";\n local x=1;\n if true; then\n"
                    " echo y;\n fi\n}\n_=/usr/bin/env\n"
                    "() {  :\n}\n1\nrc=0\n")


@pytest.mark.parametrize("line, expected", [
    # execute_cmd.c bind_lastarg(): VUNSETATTR(att_exported) on `_` after a simple
    # command the shell ran itself (a builtin, a program, assignments alone), so
    # put_command_name_into_env() appends it; a pipeline's or ( )'s does not
    ("env", "PWD=/root _=/usr/bin/env A=1 SHLVL=0 "),
    ("true; env", "PWD=/root A=1 SHLVL=0 _=/usr/bin/env "),
    ("/bin/true; env", "PWD=/root A=1 SHLVL=0 _=/usr/bin/env "),
    ("x=1; env", "PWD=/root A=1 SHLVL=0 _=/usr/bin/env "),
    ("echo | cat; env", " PWD=/root _=/usr/bin/env A=1 SHLVL=0 "),
    ("(true); env", "PWD=/root _=/usr/bin/env A=1 SHLVL=0 "),
])
def test_underscore_leaves_the_environment_order_after_a_command(line, expected):
    out = test_scripts.output_of(f"env -i _=x A=1 bash -c {shlex.quote(line)} | tr '\\n' ' '")
    assert out.rstrip("\n") == expected
