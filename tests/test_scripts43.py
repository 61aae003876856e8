"""Round 43's scripts (transcripts/scripts/scripts43_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) given to `ipemu run`
a line at a time, and the behaviours they brought, each with golden text recorded on
the real machine (Debian 12: bash 5.2, coreutils 9.1, iproute2 6.1; the recording
kernel 6.18)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of

CASES = test_scripts.round_cases("scripts43_")


def test_round43_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 4


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts43_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n")


def test_proc_sys_kernel_random_uuid_is_a_new_version_4_uuid_at_each_read():
    # drivers/char/random.c proc_do_uuid(): `uuid` is generate_random_uuid() at each
    # read, `boot_id` one kept from boot (scripts43_uuid_netns; recorded)
    out = _lines("cat /proc/sys/kernel/random/uuid\ncat /proc/sys/kernel/random/uuid\n"
                 "cat /proc/sys/kernel/random/boot_id\nsysctl -n kernel.random.boot_id\n")
    first, second, boot, boot2 = out.splitlines(keepends=True)
    assert all(UUID4.fullmatch(x) for x in (first, second, boot))
    assert first != second and boot == boot2


@pytest.mark.parametrize("command, expected", [
    # random_table[]'s constants, the readdir order of its directory (recorded)
    ("sysctl kernel.random.poolsize kernel.random.entropy_avail"
     " kernel.random.urandom_min_reseed_secs kernel.random.write_wakeup_threshold",
     "kernel.random.poolsize = 256\nkernel.random.entropy_avail = 256\n"
     "kernel.random.urandom_min_reseed_secs = 60\n"
     "kernel.random.write_wakeup_threshold = 256\n"),
    ("ls /proc/sys/kernel/random | cat",
     "boot_id\nentropy_avail\npoolsize\nurandom_min_reseed_secs\nuuid\n"
     "write_wakeup_threshold\n"),
    ("sysctl kernel.random | cut -d' ' -f1",
     "kernel.random.boot_id\nkernel.random.entropy_avail\nkernel.random.poolsize\n"
     "kernel.random.urandom_min_reseed_secs\nkernel.random.uuid\n"
     "kernel.random.write_wakeup_threshold\n"),
    # the 0444 files refuse a write at open (proc_sys_permission()); sysctl -w warns
    # and goes on with status 0
    ("stat -c '%A %n' /proc/sys/kernel/random/uuid /proc/sys/kernel/random/"
     "write_wakeup_threshold; echo x > /proc/sys/kernel/random/uuid; echo \"status $?\";"
     " sysctl -w kernel.random.boot_id=1; echo \"status $?\"",
     "-r--r--r-- /proc/sys/kernel/random/uuid\n"
     "-rw-r--r-- /proc/sys/kernel/random/write_wakeup_threshold\n"
     "bash: /proc/sys/kernel/random/uuid: Permission denied\nstatus 1\n"
     "sysctl: setting key \"kernel.random.boot_id\": Invalid argument\nstatus 0\n"),
])
def test_proc_sys_kernel_random(command, expected):
    assert _lines(command + "\n") == expected


@pytest.mark.parametrize("command, expected", [
    # coreutils 9.1 mkfifo: 0666 less the umask; -m set whole (symbolic from 0666);
    # its errors and status 1, the other names still made (recorded)
    ("mkfifo p1; echo \"status $?\"; mkfifo p1 p2; echo \"status $?\"; "
     "ls -l p1 p2 | cut -c1-10; stat -c '%F %a %s' p1",
     "status 0\nmkfifo: cannot create fifo 'p1': File exists\nstatus 1\n"
     "prw-r--r--\nprw-r--r--\nfifo 644 0\n"),
    ("mkfifo -m 600 p3; stat -c %a p3; mkfifo -m g+w p4; stat -c %a p4; "
     "mkfifo -m 1777 p5; echo \"status $?\"; mkfifo -m z p6; echo \"status $?\"; "
     "mkfifo; echo \"status $?\"; mkfifo no/such/p7; echo \"status $?\"",
     "600\n666\nmkfifo: mode must specify only file permission bits\nstatus 1\n"
     "mkfifo: invalid mode\nstatus 1\nmkfifo: missing operand\n"
     "Try 'mkfifo --help' for more information.\nstatus 1\n"
     "mkfifo: cannot create fifo 'no/such/p7': No such file or directory\nstatus 1\n"),
    # test -p, -f, -s of a pipe; find -type p; rm takes it away
    ("mkfifo p1; [ -p p1 ] && echo pipe; [ -f p1 ] || echo 'no regular file'; "
     "[ -s p1 ] || echo 'size 0'; find . -type p; rm p1; ls p1",
     "pipe\nno regular file\nsize 0\n./p1\n"
     "ls: cannot access 'p1': No such file or directory\n"),
    # a reader of the pipe waits for the writers (a list `&` started, in a subshell
    # too) and reads until the last one closes it; `exec 3<>` never waits
    ("mkfifo q1; (echo hello > q1 &); read -r line < q1; echo \"read: $line\"",
     "read: hello\n"),
    ("mkfifo q2; { echo one; echo two; } > q2 & while read -r l; do echo \"<$l>\";"
     " done < q2; wait", "<one>\n<two>\n"),
    ("mkfifo q3; (printf 'a\\nb\\nc\\n' > q3 &); head -n 1 < q3; "
     "printf 'x\\ny\\n' > q3 & cat q3 | wc -l; wait", "a\n2\n"),
    ("mkfifo q4; exec 3<> q4; echo 'through the pipe' >&3; read -r -u 3 got; "
     "echo \"got: $got\"; exec 3>&-", "got: through the pipe\n"),
])
def test_mkfifo_and_named_pipes(command, expected):
    assert _lines(command + "\n") == expected


def test_a_pipes_reader_waits_for_a_program_that_writes_over_time():
    # `ping ... > FIFO &` then a loop reading the pipe: every line comes, the loop
    # ends when ping exits (scripts43_fifo_ping; recorded)
    out = _lines("ip link set lo up\nmkfifo f\n"
                 "ping -c 3 -i 0.2 127.0.0.1 > f & grep -c 'bytes from' < f; wait\n")
    assert out == "3\n"


@pytest.mark.parametrize("command, expected", [
    # python3's sys.stdout into a file or a pipe is a BufferedWriter: the banner is
    # written when the interpreter exits (SIGINT: KeyboardInterrupt, its message,
    # the exit's flush) and lost when a SIGTERM kills it; the access log is stderr's
    # (scripts43_httptest; recorded)
    ("timeout -s INT 2 python3 -m http.server -b 127.0.0.1 8001 > int.log 2>&1;"
     " echo \"status $?\"; cat int.log", "status 124\nServing HTTP on 127.0.0.1 port 8001"
     " (http://127.0.0.1:8001/) ...\n\nKeyboard interrupt received, exiting.\n"),
    ("timeout 2 python3 -m http.server 8002 > term.log 2>&1; echo \"status $?\";"
     " wc -c < term.log", "status 124\n0\n"),
    ("timeout 2 python3 -m http.server 8004 | cat; echo \"status ${PIPESTATUS[0]}\"",
     "status 124\n"),
    ("timeout -s INT 2 python3 -m http.server -b 127.0.0.1 8003 | cat",
     "Serving HTTP on 127.0.0.1 port 8003 (http://127.0.0.1:8003/) ...\n\n"
     "Keyboard interrupt received, exiting.\n"),
])
def test_http_server_stdout_is_block_buffered_off_a_terminal(command, expected):
    assert _lines(command + "\n") == expected


@pytest.mark.parametrize("command, expected", [
    # under set -x every stage of a pipeline writes its trace line as it starts,
    # before it can write anything: a filter's output never comes ahead of its
    # trace, whatever was previewed (recorded)
    ("bash -c 'set -x; ip -br link show lo | cut -c1-4; ip -br link | grep -c lo' 2>&1",
     "+ ip -br link show lo\n+ cut -c1-4\nlo  \n+ ip -br link\n+ grep -c lo\n1\n"),
    ("ip link set lo up; bash -c 'set -x; ping -c 5 -i 0.3 127.0.0.1 | head -n 2 | "
     "cut -c1-30; echo \"st ${PIPESTATUS[*]}\"' 2>&1",
     "+ ping -c 5 -i 0.3 127.0.0.1\n+ head -n 2\n+ cut -c1-30\n"
     "PING 127.0.0.1 (127.0.0.1) 56(\n64 bytes from 127.0.0.1: icmp_\n"
     "+ echo 'st 141 0 0'\nst 141 0 0\n"),
    ("ip link set lo up; bash -c 'set -x; ping -c 3 -i 0.3 127.0.0.1 | "
     "grep -o \"icmp_seq=[0-9]*\"' 2>&1",
     "+ ping -c 3 -i 0.3 127.0.0.1\n+ grep -o 'icmp_seq=[0-9]*'\n"
     "icmp_seq=1\nicmp_seq=2\nicmp_seq=3\n"),
])
def test_xtrace_of_a_pipeline_comes_before_its_filters_output(command, expected):
    assert _lines(command + "\n") == expected
