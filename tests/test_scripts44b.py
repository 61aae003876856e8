"""Round 44b's scripts (transcripts/scripts/scripts44b_*: health checks, diagnostics and
start/stop scripts written for ipemu in the shape of public ones, each header naming what
it was modelled on) and the behaviours they brought, each with golden text recorded on the
real machine (Debian 12: bash 5.2, lsof 4.95; the recording kernel 6.18)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of

CASES = test_scripts.round_cases("scripts44b_")


def test_round44b_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 1


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts44b_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


_SERVER = "ip link set lo up\ntimeout 20 python3 -m http.server 8080 > /dev/null 2>&1 & sleep 1.5; "


@pytest.mark.parametrize("line, expected", [
    # lsof -i lists the namespace's TCP sockets of the box's programs (lsof 4.95 on the
    # recording machine; PID and DEVICE cut: they are the machine's); -n keeps numbers,
    # -P port numbers, the any address is `*` (gethostnm(), lkup_port())
    ("lsof -i | awk '{print $1, $3, $4, $5, $7, $8, $9, $10}'",
     "COMMAND USER FD TYPE SIZE/OFF NODE NAME \npython3 root 3u IPv4 0t0 TCP *:http-alt (LISTEN)\n"),
    ("lsof -nPi :8080 | awk 'NR>1 {print $9, $10}'", "*:8080 (LISTEN)\n"),
    # -t: the PIDs alone; -sTCP:STATE and ^STATE select by state (enter_state_spec())
    ("lsof -tiTCP:8080 -sTCP:LISTEN | wc -l; lsof -ti :8080 -sTCP:^LISTEN; echo $?",
     "1\n1\n"),
    # nothing selected: nothing said, status 1 (a UDP, an IPv6 or another port's -i)
    ("lsof -i UDP; echo $?; lsof -i6; echo $?; lsof -i :22; echo $?", "1\n1\n1\n"),
    ("lsof -i tcp:8000-8090 -P | awk 'NR>1 {print $1, $9}'; lsof -i :http-alt -t | wc -l",
     "python3 *:8080\n1\n"),
])
def test_lsof_lists_the_listening_sockets(line, expected):
    assert _lines(_SERVER + line + "\nwait\n") == expected


def test_lsof_columns():
    """print_file()'s columns (recorded: `python3  19 root    3u  IPv4 10262676      0t0
    TCP localhost:http-alt (LISTEN)` under `COMMAND PID USER   FD   TYPE   DEVICE SIZE/OFF
    NODE NAME`): COMMAND and USER left, the rest right, the descriptor four wide."""
    out = _lines("ip link set lo up\ntimeout 20 python3 -m http.server 8080 --bind 127.0.0.1 "
                 "> /dev/null 2>&1 & sleep 1.5; lsof -i :8080\nwait\n").splitlines()
    pid, dev = re.match(r"python3 (\d+) root    3u  IPv4 (\d+)", out[1]).groups()
    pw, dw = max(3, len(pid)), max(6, len(dev))
    assert out[0] == (f"COMMAND {'PID':>{pw}} USER   FD   TYPE {'DEVICE':>{dw}} SIZE/OFF "
                      "NODE NAME")
    assert out[1] == (f"python3 {pid:>{pw}} root    3u  IPv4 {dev:>{dw}}      0t0  TCP "
                      "localhost:http-alt (LISTEN)")


@pytest.mark.parametrize("line, expected", [
    # base-files' /etc/os-release is a relative link to /usr/lib/os-release: lstat() sees
    # the link (21 bytes), -L and readers its target (recorded, coreutils 9.1)
    ("stat -c '%n %s %F %a' /etc/os-release; stat -L -c '%n %s %F' /etc/os-release; "
     "readlink /etc/os-release; ls /etc/*-release",
     "/etc/os-release 21 symbolic link 777\n/etc/os-release 267 regular file\n"
     "../usr/lib/os-release\n/etc/os-release\n"),
    ("cat /etc/*-release | grep PRETTY_NAME | sed 's/PRETTY_NAME=//g' | sed 's/\"//g'",
     "Debian GNU/Linux 12 (bookworm)\n"),
    # glob(3) reads the directory: links are names too, dangling or not, and a directory
    # reached through a link lists its target's names
    ("d=$(mktemp -d); ln -s /etc/hostname $d/host.lnk; ln -s nowhere $d/dangling; "
     "mkdir $d/sub; touch $d/sub/a.conf; ln -s sub $d/subl; echo $d/* | sed \"s|$d|D|g\"; "
     "echo $d/subl/* | sed \"s|$d|D|g\"; for f in $d/*.lnk; do [ -L \"$f\" ] && "
     "echo \"link ${f##*/} -> $(readlink $f)\"; done; stat -c '%F %s' $d/dangling; rm -r $d",
     "D/dangling D/host.lnk D/sub D/subl\nD/subl/a.conf\nlink host.lnk -> /etc/hostname\n"
     "symbolic link 7\n"),
])
def test_links_are_listed_and_lstat_sees_them(line, expected):
    assert _lines(line + "\n") == expected


def test_timeout_forks_its_command():
    """timeout.c: timeout takes its PID first and forks the command, which has it as
    parent (recorded: `ps -ef` lists bash -c, timeout, python3 in that order; qwq713's
    stop.sh reads `ps -o ppid= -p $pid`); pgrep -P and ps --ppid select by parent."""
    out = _lines("ip link set lo up\ntimeout 6 python3 -m http.server 8080 > /dev/null 2>&1 "
                 "& sleep 1.5; ps -ef | grep [h]ttp.server | awk '{print $1, $8, $9, $10, $11}';"
                 " [ \"$(ps -o ppid= -p $(pgrep -x python3) | tr -d ' ')\" = "
                 "\"$(pgrep -x timeout)\" ] && echo \"parent is timeout\"; "
                 "[ $(pgrep -x timeout) -lt $(pgrep -x python3) ] && echo \"timeout first\"; "
                 "ps -o comm= -p $(ps -o ppid= -p $(pgrep -x python3)); wait\n"
                 "timeout 3 sleep 2 & sleep 0.5; ps -o comm= --ppid $(pgrep -x timeout); "
                 "pgrep -P $(pgrep -x timeout) -l | sed 's/^[0-9]* //'; wait\n")
    assert out.endswith("root timeout 6 python3 -m\nroot python3 -m http.server 8080\n"
                        "parent is timeout\ntimeout first\ntimeout\nsleep\nsleep\n")


def test_nohup_job_is_its_command():
    """`nohup CMD > log 2>&1 & echo $! > pidfile` (start scripts): the job's forked
    shell execs nohup, which execs CMD: $! is python3's PID (`ps -o comm=` says so), the
    shell its parent; python's stdout into the log stays block-buffered under nohup, so
    a SIGTERM loses the banner (recorded: the log is empty)."""
    out = _lines("ip link set lo up\nnohup python3 -m http.server 8080 > srv.log 2>&1 & "
                 "echo $! > srv.pid; sleep 1.5; ps -p $(cat srv.pid) > /dev/null && "
                 "echo running; ps -o comm= -p $(cat srv.pid); [ \"$(ps -o ppid= -p "
                 "$(cat srv.pid) | tr -d ' ')\" = \"$$\" ] && echo \"child of the shell\"; "
                 "kill $(cat srv.pid); wait; echo \"wait=$?\"; ps -p $(cat srv.pid) "
                 ">/dev/null || echo stopped; cat srv.log | head -1; rm -f srv.pid srv.log\n")
    assert out == "running\npython3\nchild of the shell\nwait=0\nstopped\n"
