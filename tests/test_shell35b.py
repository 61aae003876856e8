"""oracle35b: the shell as scripts use it. bash 5.2's notices for jobs and programs a
signal killed (jobs.c notify_of_job_status()), wait's statuses, the call-stack arrays,
printf -v into elements, and the /proc files scripts read. Every expected text was
recorded on the project's Debian 12 machine (bash 5.2.15, record.py's `bash -c LINE`
on a pty); a pid the recording had is matched by its format only (`%5d`)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from ipemu.session import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

CASES = [p for p in corpus.oracle_cases() if p.stem.startswith("oracle35b_")]


@pytest.mark.parametrize("cmds", CASES, ids=lambda p: p.stem)
def test_the_oracle35b_cases_replay_whole(cmds):
    # the suite's slice of the corpus holds only some of them: these, every run
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(cmds)


def test_there_are_the_cases():
    assert len(CASES) == 22


def run(line: str) -> tuple[str, int]:
    session = Session.create(scenario="bare")
    session.bash_c = True           # each line as the recorders run it, `bash -c LINE`
    term, status = session.run_line(line)
    return term.text(), status


def _pids(text: str) -> list[int]:
    return [int(m) for m in re.findall(r"^(?:bash: line \d+: |     ) *(\d+) ", text, re.M)]


# recorded in `unshare -pf --mount-proc bash -c '...'` (pids 2, 3, 4 there)
@pytest.mark.parametrize("line, recorded", [
    ("sleep 5 & kill -9 $!; wait $!; echo $?",
     "bash: line 1:     2 Killed                  sleep 5\n137\n"),
    ("sleep 5 | sleep 6 | sleep 7 & kill -9 %1; sleep 0.5; echo a",
     "bash: line 1:     2 Killed                  sleep 5\n"
     "         3                       | sleep 6\n"
     "         4                       | sleep 7\na\n"),
    ("sleep 5 & kill -s SEGV $!; sleep 0.1; echo after",
     "bash: line 1:     2 Segmentation fault      sleep 5\nafter\n"),
])
def test_a_killed_job_is_noticed_with_its_pid_in_five_columns(line, recorded):
    text, _ = run(line)
    pids = _pids(text)
    assert pids, text
    want = recorded
    for number, pid in zip((2, 3, 4), pids):
        want = re.sub(rf"(?m)^(bash: line 1: |     ) *{number} ",
                      lambda m, pid=pid: f"{m.group(1)}{pid:5d} ", want)
    assert text == want


@pytest.mark.parametrize("line, expected", [
    # SIGTERM and SIGINT (Debian's DONT_REPORT_SIGTERM, and bash's own rule), SIGPIPE
    ("sleep 5 & kill $!; wait $!; echo $?", "143\n"),
    ("sleep 5 & kill -PIPE $!; wait $!; echo $?", "141\n"),
    # a foreground program: SIGTERM's name alone, nothing in a pipeline or a $( )
    ("bash -c 'kill -TERM $$'; echo $?", "Terminated\n143\n"),
    ("bash -c 'kill -9 $$' | cat; echo ${PIPESTATUS[*]}", "137 0\n"),
    ("x=$(bash -c 'kill -9 $$'); echo $?", "137\n"),
    ("trap 'echo t' USR1; bash -c 'kill -USR1 $$'; echo $?", "User defined signal 1\n138\n"),
    # the -c string's last command is exec'd in the shell's place: nobody reaps
    ("sleep 5 | sleep 6 | sleep 7 & kill -9 %1; sleep 0.5", ""),
    ("sleep 5 & kill -9 $!; sleep 0.1", ""),
    # `jobs` before anything reaped it: Running, and no notice after
    ("sleep 5 & kill -9 $!; jobs; echo x", "[1]+  Running                 sleep 5 &\nx\n"),
    # a job a subshell started is the subshell's: its parent says nothing of it
    ("( sleep 5 & kill -9 $!; echo in ); sleep 0.1; echo out", "in\nout\n"),
])
def test_what_says_nothing_or_the_name_alone(line, expected):
    assert run(line)[0] == expected


def test_a_foreground_program_killed_is_noticed():
    text, status = run("bash -c 'kill -9 $$'; echo $?")
    pid = _pids(text)[0]
    assert text == f"bash: line 1: {pid:5d} Killed                  bash -c 'kill -9 $$'\n137\n"
    text, _ = run("timeout -s KILL 1 sleep 5; echo $?")
    pid = _pids(text)[0]
    assert text == f"bash: line 1: {pid:5d} Killed                  timeout -s KILL 1 sleep 5\n137\n"


def test_a_pipeline_job_killed_later_leaves_the_shell_as_it_was():
    # its stages unwind in the job's own state: the shell's stays its own
    text, _ = run("x=1; sleep 5 | sleep 6 & sleep 0.2; kill -9 %1; sleep 0.2; "
                  "echo \"x=$x $BASH_SUBSHELL\"")
    pids = _pids(text)
    assert text == (f"bash: line 1: {pids[0]:5d} Killed                  sleep 5\n"
                    f"     {pids[1]:5d}                       | sleep 6\nx=1 0\n")


def test_wait_pid_twice_keeps_the_status():
    assert run("(exit 5) & p=$!; wait $p; echo $?; wait $p; echo $?")[0] == "5\n5\n"


def test_proc_meminfo_as_the_kernel_lays_it_out():
    text, _ = run("cat /proc/meminfo")
    lines = text.splitlines()
    assert len(lines) == 54
    # recorded: fixed 16-column labels, 8-column values, the HugePages_ counts
    assert re.fullmatch(r"MemTotal: {7}[ \d]{8} kB", lines[0])
    assert [line.split(":")[0] for line in lines[:5]] == \
        ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached"]
    assert "HugePages_Total:       0" in lines
    assert "Hugepagesize:       2048 kB" in lines
    assert "VmallocTotal:   34359738367 kB" in lines


def test_proc_loadavg_and_uptime_formats():
    loadavg, _ = run("cat /proc/loadavg")
    assert re.fullmatch(r"\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+\n", loadavg)
    uptime, _ = run("sleep 2.5; cat /proc/uptime")
    assert re.fullmatch(r"\d+\.\d\d \d+\.\d\d\n", uptime)
    up, idle = map(float, uptime.split())
    assert up >= 2.5 and idle >= up


@pytest.mark.parametrize("line, expected", [
    ("set -u; a=(); echo \"${a[0]}\"", "bash: line 1: a[0]: unbound variable\n"),
    ("set -u; declare -A m; echo \"${m[k]}\"", "bash: line 1: m[k]: unbound variable\n"),
    ("printf -v arr[2] '%s' hi; declare -p arr", "declare -a arr=([2]=\"hi\")\n"),
    ("declare -A h; h[a b]=1; declare -p h", "declare -A h=([\"a b\"]=\"1\" )\n"),
    ("a[1 2]; echo $?", "bash: line 1: a[1 2]: command not found\n127\n"),
    ("printf -v 'x y' hi", "bash: line 1: printf: `x y': not a valid identifier\n"),
    ("bash -c \"printf -v 'x y' hi\"", "bash: line 1: printf: `x y': not a valid identifier\n"),
    ("f() { echo ${BASH_LINENO[*]}; }; g() { f; }; g", "1 1\n"),
    ("caller; echo $?; f() { caller; caller 0; echo $?; }; f", "1\n1 NULL\n1\n"),
    ("echo 5 | awk '{printf \"%d\\n\", $1 >= 0}'; echo $?",
     "awk: line 1: syntax error at or near =\n2\n"),
])
def test_small_recorded_forms(line, expected):
    assert run(line)[0] == expected


def test_jobs_l_lists_a_pipeline_a_line_per_process():
    # recorded in `unshare -pf --mount-proc bash -c 'sleep 1 | sleep 2 & jobs -l'`
    recorded = "[1]+     2 Running                 sleep 1\n         3                       | sleep 2 &\n"
    text, _ = run("sleep 1 | sleep 2 & jobs -l; kill %1")
    pid = int(text.split()[1])
    assert text == recorded.replace("    2 ", f"{pid:5d} ").replace("    3 ", f"{pid + 1:5d} ")
