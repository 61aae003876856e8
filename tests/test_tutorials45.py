"""The fixes round 45's network namespace tutorials led to (their cases, tutorials45_,
are replayed whole by test_rounds.py). Every expected text was recorded on the
project's Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE` on a
pty: Linux 6.18, iproute2 6.1, coreutils 9.1, diffutils 3.8)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        shell.run_line(line)
    return shell


def _out(shell, line: str) -> str:
    term, _ = shell.run_line(line)
    return term.text()


def test_all_netns_exec_of_a_missing_program_says_exec_failed():
    # on_netns_exec() -> cmd_exec(): the child's failed execvp(), in each namespace
    shell = _shell("ip netns add alpha", "ip netns add beta")
    assert _out(shell, "ip -all netns exec /nonexistent") == (
        '\nnetns: beta\nexec of "/nonexistent" failed: No such file or directory\n'
        '\nnetns: alpha\nexec of "/nonexistent" failed: No such file or directory\n')


def test_ls_classify_marks_directories_scripts_and_links():
    shell = _shell("mkdir sub && touch plain && printf '#!/bin/sh\\necho hi\\n' > run.sh"
                   " && chmod +x run.sh && ln -s sub tosub && ln -s plain toplain")
    assert _out(shell, "ls -F") == "plain  run.sh*\tsub/  toplain@\ttosub@\n"
    assert _out(shell, "ls -lF | awk '{print $1, $NF}'") == (
        "total 8\n-rw-r--r-- plain\n-rwxr-xr-x run.sh*\ndrwxr-xr-x sub/\n"
        "lrwxrwxrwx plain\nlrwxrwxrwx sub/\n")
    # -F does not follow a command-line link (DEREF_NEVER), a trailing slash does
    assert _out(shell, "ls -F sub tosub plain") == "plain  tosub@\n\nsub:\n"


def test_ls_classify_of_the_netns_directory():
    shell = _shell("ip netns add red", "ip netns add blue")
    assert _out(shell, "ls -F /var/run/netns/") == "blue  red\n"
    assert _out(shell, "ls -alF /run/netns/ | awk '{print $1, $2, $3, $4, $5, $NF}'") == (
        "total 0    0\ndrwxr-xr-x 2 root root 80 ./\ndrwxr-xr-x 3 root root 60 ../\n"
        "-r--r--r-- 1 root root 0 blue\n-r--r--r-- 1 root root 0 red\n")
    assert _out(shell, "ls -lF /var/run | awk '{print $1, $(NF-2), $(NF-1), $NF}'") == \
        "lrwxrwxrwx /var/run -> /run/\n"


def test_cmp_messages_and_statuses():
    shell = _shell("printf 'abc\\ndef\\n' > a", "printf 'abc\\ndxf\\n' > b",
                   "printf 'abc\\n' > c", ": > e", "printf 'abc' > c1")
    assert _out(shell, "cmp a a; echo $?") == "0\n"
    assert _out(shell, "cmp a b; echo $?") == "a b differ: byte 6, line 2\n1\n"
    assert _out(shell, "cmp a c; echo $?") == "cmp: EOF on c after byte 4, line 1\n1\n"
    assert _out(shell, "cmp c1 a") == "cmp: EOF on c1 after byte 3, in line 1\n"
    assert _out(shell, "cmp -l c1 a") == "cmp: EOF on c1 after byte 3\n"
    assert _out(shell, "cmp e a") == "cmp: EOF on e which is empty\n"
    assert _out(shell, "cmp -s a b; echo $?") == "1\n"
    assert _out(shell, "cmp -b a b") == "a b differ: byte 6, line 2 is 145 e 170 x\n"
    assert _out(shell, "cmp -l a b") == "6 145 170\n"
    assert _out(shell, "cmp -i 1 a b") == "a b differ: byte 5, line 2\n"
    assert _out(shell, "cmp -n 3 a b; echo $?") == "0\n"
    assert _out(shell, "cmp a nosuch; echo $?") == \
        "cmp: nosuch: No such file or directory\n2\n"
    assert _out(shell, "cmp; echo $?") == (
        "cmp: missing operand after 'cmp'\ncmp: Try 'cmp --help' for more information.\n2\n")
    assert _out(shell, "cat b | cmp a") == "a - differ: byte 6, line 2\n"


def test_proc_self_ns_lists_the_namespace_links():
    shell = _shell()
    assert _out(shell, "ls /proc/self/ns | sort") == (
        "cgroup\nipc\nmnt\nnet\npid\npid_for_children\ntime\ntime_for_children\nuser\n"
        "uts\n")


def test_ls_long_of_proc_self_ns_shows_the_magic_links():
    # proc_ns_dir_operations: links of size 0 to TYPE:[INODE]; the *_for_children
    # entries lead to pid: and time: ones
    shell = _shell()
    out = _out(shell, "ls -l /proc/self/ns | sed 's/\\[[0-9]*\\]/[N]/; "
                      "s/ [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* / DATE /'")
    assert out.splitlines()[:5] == [
        "total 0", "lrwxrwxrwx 1 root root 0 DATE cgroup -> cgroup:[N]",
        "lrwxrwxrwx 1 root root 0 DATE ipc -> ipc:[N]",
        "lrwxrwxrwx 1 root root 0 DATE mnt -> mnt:[N]",
        "lrwxrwxrwx 1 root root 0 DATE net -> net:[N]"]
    assert "lrwxrwxrwx 1 root root 0 DATE pid_for_children -> pid:[N]" in out
    assert _out(shell, "ls -l /proc/$$/ns/net | sed 's/\\[[0-9]*\\]/[N]/; "
                       "s/ [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* / DATE /; "
                       "s/[0-9]\\+\\/ns/PID\\/ns/'") == \
        "lrwxrwxrwx 1 root root 0 DATE /proc/PID/ns/net -> net:[N]\n"


def test_curl_write_out_ports_of_a_refused_transfer_are_0():
    shell = _shell("ip link set lo up")
    assert _out(shell, "curl -s -o /dev/null -w '%{http_code} %{remote_ip}:%{remote_port} "
                       "%{local_port}\\n' http://127.0.0.1:8081/") == "000 :0 0\n"


def test_ls_long_on_a_terminal_quotes_a_links_target():
    # recorded on the pty: `/proc/self/ns/net -> 'net:[4026532462]'`; through a pipe
    # the target is bare
    from ipemu.tools.ls_long import shell_escape
    assert shell_escape("net:[4026532462]") == "'net:[4026532462]'"
    assert shell_escape("../../devices/virtual/net/lo") == "../../devices/virtual/net/lo"
    assert shell_escape("a'b") == '"a\'b"'
    shell = _shell()
    term, _ = shell.run_line("ls -l /proc/self/ns/net")
    assert term.text().endswith(" /proc/self/ns/net -> 'net:[%d]'\n"
                                % shell.host.ns_inum(shell.host.init_ns))
