"""tools34: the small host tools network scripts call (killall, yes, nice, setsid,
sync, logger, flock, ...). Every expected output was taken from the recording machine
(Debian 12: psmisc 23.6, coreutils 9.1, util-linux 2.38.1, procps-ng 4.0.2), run in
`unshare -n -p -f --mount-proc` (so killall saw only the recording's processes)."""
from __future__ import annotations

import pytest

from ipemu.session import Session

KILLALL_SIGNALS = (
    "HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT\n"
    "CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS\n")


def run(session: Session, line: str) -> tuple[str, int]:
    term, status = session.run_line(line)
    return term.text(), status


@pytest.fixture()
def session(tmp_path, monkeypatch) -> Session:
    monkeypatch.chdir(tmp_path)
    return Session.create()


@pytest.mark.parametrize("line, expected", [
    ("yes | head -n 3", "y\ny\ny\n"),
    ("yes hello world | head -2", "hello world\nhello world\n"),
    ("yes a b -- c | head -1", "a b c\n"),
    ("yes -x | head -2; echo \"rc ${PIPESTATUS[0]}\"",
     "yes: invalid option -- 'x'\nTry 'yes --help' for more information.\nrc 1\n"),
    ("nice; nice -n 10 echo hi; echo \"rc $?\"; nice -n 5 nice; nice -10 nice",
     "0\nhi\nrc 0\n5\n10\n"),
    ("nice --10 nice; nice -n 30 nice; nice -n -30 nice; nice -+3 nice", "-10\n19\n-20\n3\n"),
    ("nice -n x echo; echo \"rc $?\"; nice nothere; echo \"rc $?\"",
     "nice: invalid adjustment ‘x’\nrc 125\nnice: ‘nothere’: No such file or directory\n"
     "rc 127\n"),
    ("nice -n; echo \"rc $?\"; nice --adjustment=3 nice",
     "nice: option requires an argument -- 'n'\nTry 'nice --help' for more information.\n"
     "rc 125\n3\n"),
    ("setsid echo hi; echo \"rc $?\"; setsid nothere; echo \"rc $?\"; setsid; echo \"rc $?\"",
     "hi\nrc 0\nsetsid: failed to execute nothere: No such file or directory\nrc 127\n"
     "setsid: no command specified\nTry 'setsid --help' for more information.\nrc 1\n"),
    ("setsid -w sh -c 'exit 3'; echo \"rc $?\"; setsid -f true; echo \"rc $?\"",
     "rc 3\nrc 0\n"),
    ("sync; echo \"rc $?\"; sync x; echo \"rc $?\"",
     "rc 0\nsync: error opening 'x': No such file or directory\nrc 1\n"),
    ("logger hello; echo \"rc $?\"; logger -t tag msg; echo \"rc $?\"; logger -s stderr msg;"
     " echo \"rc $?\"",
     "rc 0\nrc 0\nlogger: socket /dev/log: No such file or directory\nrc 1\n"),
    ("flock lock -c 'echo in'; echo \"rc $?\"; flock lock echo hi; echo \"rc $?\"",
     "in\nrc 0\nhi\nrc 0\n"),
    ("flock; echo \"rc $?\"; flock lock; echo \"rc $?\"; flock /nonexist/x true; echo \"rc $?\"",
     "flock: not enough arguments\nTry 'flock --help' for more information.\nrc 64\n"
     "flock: bad file descriptor: 'lock'\nrc 64\n"
     "flock: cannot open lock file /nonexist/x: No such file or directory\nrc 66\n"),
    ("killall tcpdump; echo \"rc $?\"; killall -q tcpdump; echo \"rc $?\"",
     "tcpdump: no process found\nrc 1\nrc 1\n"),
    ("killall -l", KILLALL_SIGNALS),
    ("killall -L; echo \"rc $?\"; killall -s FOO sleep; echo \"rc $?\"",
     "L: unknown signal; killall -l lists signals.\nrc 1\n"
     "FOO: unknown signal; killall -l lists signals.\nrc 1\n"),
    ("killall -u nouser nothere; echo \"rc $?\"", "Cannot find user nouser\nrc 1\n"),
    ("killall -V 2>&1 | head -2",
     "killall (PSmisc) 23.6\nCopyright (C) 1993-2022 Werner Almesberger and Craig Small\n"),
])
def test_recorded(session: Session, line: str, expected: str) -> None:
    assert run(session, line)[0] == expected


def test_killall_usage(session: Session) -> None:
    text, status = run(session, "killall")
    assert status == 1
    assert text.startswith("Usage: killall [OPTION]... [--] NAME...\n")
    assert text.endswith("                      (must precede other arguments)\n\n")


def test_killall_ends_a_background_job(session: Session) -> None:
    """`sleep 50 &` then `killall -v sleep`: recorded `Killed sleep(PID) with signal
    15`, status 0; a second killall finds none; a mixed list fails (status 1)."""
    run(session, "sleep 50 &")
    text, status = run(session, "killall -v sleep")
    assert status == 0
    assert text.startswith("Killed sleep(") and text.endswith(") with signal 15\n")
    assert run(session, "killall sleep") == ("sleep: no process found\n", 1)
    run(session, "sleep 50 &")
    assert run(session, "killall sleep nothere") == ("nothere: no process found\n", 1)
    run(session, "sleep 50 &")
    assert run(session, "killall -9 /usr/bin/sleep")[1] == 0


FILES = ("printf 'apple\\nbanana\\ncherry\\n' > s1; printf 'banana\\ncherry\\ndate\\n' > s2; "
         "printf 'b\\na\\nc\\n' > u1; printf 'a\\nb\\n' > u2; "
         "printf 'eth0 10.0.0.1\\neth1 10.0.1.1\\nlo 127.0.0.1\\n' > j1; "
         "printf 'eth0 up\\neth2 down\\nlo up\\n' > j2; printf 'x 1\\nx 2\\n' > m1; "
         "printf 'x a\\nx b\\n' > m2")


@pytest.mark.parametrize("line, expected", [
    ("comm s1 s2", "apple\n\t\tbanana\n\t\tcherry\n\tdate\n"),
    ("comm -12 s1 s2; comm -3 s1 s2", "banana\ncherry\napple\n\tdate\n"),
    ("comm --output-delimiter=: s1 s2", "apple\n::banana\n::cherry\n:date\n"),
    ("comm --total -3 s1 s2", "apple\n\tdate\n1\t1\t2\ttotal\n"),
    # a pty's order: stdout is line-buffered, the warning comes as the line is read
    ("comm u1 u2; echo \"rc $?\"",
     "\ta\n\t\tb\ncomm: file 1 is not in sorted order\na\nc\n"
     "comm: input is not in sorted order\nrc 1\n"),
    ("comm --nocheck-order u1 u2; echo \"rc $?\"", "\ta\n\t\tb\na\nc\nrc 0\n"),
    ("comm --check-order u1 u2; echo \"rc $?\"",
     "\ta\n\t\tb\ncomm: file 1 is not in sorted order\nrc 1\n"),
    ("comm; comm s1", "comm: missing operand\nTry 'comm --help' for more information.\n"
     "comm: missing operand after ‘s1’\nTry 'comm --help' for more information.\n"),
    ("join j1 j2; join -a2 j1 j2",
     "eth0 10.0.0.1 up\nlo 127.0.0.1 up\neth0 10.0.0.1 up\neth2 down\nlo 127.0.0.1 up\n"),
    ("join -v1 j1 j2; join -o 0,2.2,1.2 j1 j2",
     "eth1 10.0.1.1\neth0 up 10.0.0.1\nlo up 127.0.0.1\n"),
    ("join -e NA -a1 -o 0,2.2 j1 j2", "eth0 up\neth1 NA\nlo up\n"),
    ("join u1 u2; echo \"rc $?\"",
     "join: u1:2: is not sorted: a\nb\njoin: input is not in sorted order\nrc 1\n"),
    ("join m1 m2; join -t, m1 m2", "x 1 a\nx 1 b\nx 2 a\nx 2 b\n"),
    ("join -o 3.1 j1 j2; join -a 3 j1 j2; join -j x j1 j2",
     "join: invalid file number in field spec: ‘3.1’\njoin: invalid field number: ‘3’\n"
     "join: invalid field number: ‘x’\n"),
    ("cksum s1; echo hello | cksum; printf '' | cksum",
     "4267296084 20 s1\n3015617425 6\n4294967295 0\n"),
    ("cksum -a md5 s1; cksum --untagged -a md5 s1",
     "MD5 (s1) = e010d6feef1f45c753f750f94af6e9c5\ne010d6feef1f45c753f750f94af6e9c5  s1\n"),
    ("echo hi | cksum -a sha256",
     "SHA256 (-) = 98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4\n"),
    ("cksum -a sysv s1; cksum -a bsd s1; cksum /; cksum -a md5 /",
     "1822 1 s1\n22875     1 s1\n4294967295 0 /\ncksum: /: Is a directory\n"),
])
def test_two_files(session: Session, line: str, expected: str) -> None:
    run(session, FILES)
    assert run(session, line)[0] == expected


@pytest.mark.parametrize("line, expected", [
    ("dd if=/dev/zero bs=1k count=4 status=none | wc -c", "4096\n"),
    ("dd if=/dev/zero of=z bs=512 count=3 status=none; ls -l z | cut -d' ' -f5", "1536\n"),
    ("echo hello | dd 2>/dev/null; echo hello | dd conv=ucase status=none", "hello\nHELLO\n"),
    ("dd if=nothere; echo \"rc $?\"; dd bs=x; echo \"rc $?\"",
     "dd: failed to open 'nothere': No such file or directory\nrc 1\n"
     "dd: invalid number: ‘x’\nrc 1\n"),
    ("dd foo=1; echo \"rc $?\"; dd status=bad",
     "dd: unrecognized operand ‘foo=1’\nTry 'dd --help' for more information.\nrc 1\n"
     "dd: invalid status level: ‘bad’\nTry 'dd --help' for more information.\n"),
    ("echo hello | dd 2>&1 | head -3 | sed 's/,.*//'",
     "hello\n0+1 records in\n0+1 records out\n"),
    ("printf 'x\\n' | dd bs=1 count=1 status=noxfer", "x1+0 records in\n1+0 records out\n"),
    ("printf 'abcdefgh' | dd bs=2 skip=1 count=2 2>/dev/null", "cdef"),
    ("printf 'abcdefgh' | dd ibs=3 obs=2 2>&1 >/dev/null | head -2",
     "2+1 records in\n4+0 records out\n"),
    ("dd if=/dev/zero bs=1 count=1000 2>&1 >/dev/null | sed 's/,.*//'",
     "1000+0 records in\n1000+0 records out\n1000 bytes (1.0 kB) copied\n"),
    ("dd if=/dev/zero bs=1024 count=1024 2>&1 >/dev/null | sed 's/ copied.*//'",
     "1024+0 records in\n1024+0 records out\n1048576 bytes (1.0 MB, 1.0 MiB)\n"),
    ("dd if=/dev/zero bs=1k count=4 2>&1 >/dev/null | sed 's/ copied.*//'",
     "4+0 records in\n4+0 records out\n4096 bytes (4.1 kB, 4.0 KiB)\n"),
    # the host's users, as the recorder's pty (no utmp entry) shows them
    ("who; who -q; who -H",
     "\n# users=0\nNAME     LINE         TIME             COMMENT\n"),
    ("w -h; w | tail -1", "USER     TTY      FROM             LOGIN@   IDLE   JCPU   PCPU WHAT\n"),
    ("w -s | tail -1", "USER     TTY      FROM              IDLE WHAT\n"),
    ("uptime -V; free -V; w -V", "uptime from procps-ng 4.0.2\nfree from procps-ng 4.0.2\n"
     "w from procps-ng 4.0.2\n"),
    ("free | head -1; free -w | head -1",
     "               total        used        free      shared  buff/cache   available\n"
     "               total        used        free      shared     buffers       cache"
     "   available\n"),
    ("free -t | cut -c1-20",
     "               total\nMem:        24684096\nSwap:              0\nTotal:      24684096\n"),
    ("free -h | awk '{print $1, $2}'; free --si -h | awk 'NR == 2 {print $2}'",
     "total used\nMem: 23Gi\nSwap: 0B\n25G\n"),
])
def test_dd_and_health(session: Session, line: str, expected: str) -> None:
    assert run(session, line)[0] == expected


@pytest.mark.parametrize("kb, human, si, exponent, expected", [
    # one reading of the recording machine: free, free -m, -g, -b, -h, --si -h
    (24684096, False, False, 0, "24684096"), (24684096, False, False, 3, "24105"),
    (24684096, False, False, 4, "23"), (24684096, False, False, 1, "25276514304"),
    (24684096, True, False, 0, "23Gi"), (2175792, True, False, 0, "2.1Gi"),
    (8788, True, False, 0, "8.6Mi"), (0, True, False, 0, "0B"),
    (24684096, True, True, 0, "25G"), (8788, True, True, 0, "9.0M"),
])
def test_free_scale_size(kb: int, human: bool, si: bool, exponent: int, expected: str) -> None:
    from ipemu.tools.procinfo import scale_size
    assert scale_size(kb, human, si, exponent) == expected


def test_uptime_line_shape(session: Session) -> None:
    """procps' layout (recorded: ` 01:54:28 up 1 day, 52 min,  0 user,  load average:
    10.50, 8.44, 8.47`), here at boot plus the virtual seconds of the session."""
    import re
    text = run(session, "uptime")[0]
    assert re.fullmatch(r" \d\d:\d\d:\d\d up (\d+ min|[ \d]\d:\d\d),  0 user,  load average: "
                        r"\d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n", text), text
    from ipemu.tools.procinfo import _pretty
    assert _pretty(89540.85) == "up 1 day, 52 minutes"
    assert _pretty(30) == "up 0 minutes"


@pytest.mark.parametrize("line, expected", [
    # the real tools' --help and --version through cksum (the texts are
    # tools/usage/TOOL_help.txt, TOOL_version.txt, written by the tools themselves)
    ("yes --help | cksum; yes --version | cksum", "2043771197 472\n3340126367 304\n"),
    ("nice --help | cksum; nice --version | cksum", "3348792386 963\n1465448983 305\n"),
    ("sync --help | cksum; sync --version | cksum", "1223802669 673\n2617194973 324\n"),
    ("dd --help | cksum; dd --version | cksum", "2129039270 3367\n4184735831 328\n"),
    ("comm --help | cksum; comm --version | cksum", "2361415356 1507\n1455017135 329\n"),
    ("join --help | cksum; join --version | cksum", "695566608 2602\n1724285463 302\n"),
    ("cksum --help | cksum; cksum --version | cksum", "668852527 2236\n731810663 321\n"),
    ("who --help | cksum; who --version | cksum", "1303621939 1612\n1638644654 341\n"),
    ("setsid --help | cksum; setsid --version | cksum", "3847440689 348\n192687031 30\n"),
    ("flock --help | cksum; flock --version | cksum", "1240900804 897\n2159052058 29\n"),
])
def test_help_texts(session: Session, line: str, expected: str) -> None:
    assert run(session, line)[0] == expected


@pytest.mark.parametrize("line, expected", [
    # option and operand errors, recorded (record.py inside a PID namespace)
    ("dd conv=; echo \"rc $?\"",
     "dd: invalid conversion: ‘’\nTry 'dd --help' for more information.\nrc 1\n"),
    ("dd if=/ count=1 2>&1 | head -3; dd if=/ 2>/dev/null; echo \"rc $?\"",
     "dd: error reading '/': Is a directory\n0+0 records in\n0+0 records out\nrc 1\n"),
    ("dd skip=9999 if=/dev/zero count=1 status=none | wc -c", "512\n"),
    ("join -o '' a b", "join: invalid file number in field spec: ‘’\n"),
    ("cksum -a s 2>&1 | head -1; cksum -a md 2>&1 | head -1",
     "cksum: invalid argument ‘s’ for ‘--algorithm’\n"
     "cksum: invalid argument ‘md’ for ‘--algorithm’\n"),
    ("killall -r '(' x; echo \"rc $?\"", "killall: Bad regular expression: (\nrc 1\n"),
    ("flock -w; flock -c; echo \"rc $?\"",
     "flock: option requires an argument -- 'w'\nTry 'flock --help' for more information.\n"
     "flock: invalid option -- 'c'\nTry 'flock --help' for more information.\nrc 64\n"),
    ("flock x -c; flock x -c a b; echo \"rc $?\"",
     "flock: -c requires exactly one command argument\n"
     "flock: -c requires exactly one command argument\nrc 64\n"),
    ("touch x; sync -- x; echo \"rc $?\"", "rc 0\n"),
    ("free -c x; free -s x; free -s 0 -c 1; free -c 0; echo \"rc $?\"",
     "free: failed to parse count argument: 'x'\n"
     "free: seconds argument failed: 'x': Invalid argument\n"
     "free: seconds argument `0' is not positive number\n"
     "free: failed to parse count argument: '0': Numerical result out of range\nrc 1\n"),
    ("free -c 2 | cut -c1-4", "    \nMem:\nSwap\n\n    \nMem:\nSwap\n"),
    ("uptime -ps | grep -c '^20'", "1\n"),
])
def test_errors(session: Session, line: str, expected: str) -> None:
    assert run(session, line)[0] == expected


@pytest.mark.parametrize("rate, text", [
    # dd's rate, recorded: 101 kB/s, 9.2 MB/s, 68.5 kB/s, 123 MB/s, 82.6 MB/s, 65.0 MB/s
    (100843, "101 kB"), (9.2e6, "9.2 MB"), (68.5e3, "68.5 kB"), (123e6, "123 MB"),
    (82.6e6, "82.6 MB"), (65.0e6, "65.0 MB"),
])
def test_dd_rate(rate: float, text: str) -> None:
    from ipemu.tools.dd import _rate
    assert _rate(rate) == text


def test_lscpu(session: Session) -> None:
    """The recording machine's lscpu into a pipe (flat; on a pty it is a tree)."""
    assert run(session, "lscpu | head -5")[0] == (
        "Architecture:                            x86_64\n"
        "CPU op-mode(s):                          32-bit, 64-bit\n"
        "Address sizes:                           48 bits physical, 48 bits virtual\n"
        "Byte Order:                              Little Endian\n"
        "CPU(s):                                  2\n")
    assert run(session, "lscpu x; echo \"rc $?\"")[0] == (
        "lscpu: bad usage\nTry 'lscpu --help' for more information.\nrc 1\n")


@pytest.mark.parametrize("data, text", [
    # file 5.44 on the recording machine
    (b"", "empty"), (b"hello\n", "ASCII text"), ("héllo\n".encode(), "Unicode text, UTF-8 text"),
    (b"#!/bin/bash\necho hi\n", "Bourne-Again shell script, ASCII text executable"),
    (b"#!/usr/bin/env python3\nprint(1)\n", "Python script, ASCII text executable"),
    (b"#!/usr/bin/perl\n", "Perl script text executable"),
    (b'{"a": 1}\n', "JSON text data"), (b"{bad\n", "ASCII text"),
    (b"no newline", "ASCII text, with no line terminators"),
    (b"a\r\nb\n", "ASCII text, with CRLF, LF line terminators"),
    (b"x" * 301 + b"\n", "ASCII text, with very long lines (301)"),
    (b"x" * 300 + b"\n", "ASCII text"), (b"\x00\x01\x02", "data"),
    (bytes.fromhex("d4c3b2a1020004000000000000000000ffff000071000000"),
     "pcap capture file, microsecond ts (little-endian) - version 2.4 (Linux cooked v1, "
     "capture length 65535)"),
    (bytes.fromhex("4d3cb2a1020004000000000000000000000004000100000000"),
     "pcap capture file, nanosecond ts (little-endian) - version 2.4 (Ethernet, "
     "capture length 262144)"),
])
def test_file_classify(data: bytes, text: str) -> None:
    from ipemu.tools.filetype import classify
    assert classify(data)[0] == text


def test_file_names(session: Session) -> None:
    run(session, "printf 'hello\\n' > a.txt")
    assert run(session, "file a.txt / /dev/null nothere; echo \"rc $?\"")[0] == (
        "a.txt:     ASCII text\n/:         directory\n/dev/null: character special (1/3)\n"
        "nothere:   cannot open `nothere' (No such file or directory)\nrc 0\n")
    assert run(session, "file -i a.txt; file --mime-type a.txt; file -b a.txt")[0] == (
        "a.txt: text/plain; charset=us-ascii\na.txt: text/plain\nASCII text\n")


def test_killall_signal_words(session: Session) -> None:
    """killall.c's getopt cases 'I' and 'V': `-I` alone is --ignore-case, `-INT` the
    signal (recorded: `killall -INT ping` ends a ping with its statistics, status 0)."""
    run(session, "sleep 50 &")
    assert run(session, "killall -I SLEEP; echo \"rc $?\"")[0] == "rc 0\n"
    run(session, "sleep 50 &")
    assert run(session, "killall -INT -v sleep")[0].endswith(") with signal 2\n")
    assert run(session, "killall -VTALRM nothere")[0] == "nothere: no process found\n"
