"""The fixes round 42d's non-English tutorials led to (their cases, tutorials42d_, are
replayed whole by test_rounds.py): names pasted from CJK and typeset pages, as glibc
2.36's getaddrinfo() (AI_IDN through libidn2's TR46 checks, nss_files' case-insensitive
/etc/hosts) and iputils 20221126's ping (rts->hostname from ai_canonname) take them.
Every expected text was recorded on the project's Debian 12 machine with the oracle's
recorder (record.py, `bash -c LINE` on a pty, LANG=C.UTF-8, the recording host's
/etc/hosts: localhost, runsc and vm on 127.0.0.1), twice, alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        assert shell.run_line(line)[1] == 0, line
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


# --- /etc/hosts is read case-insensitively, and ping shows the line's own name

@pytest.mark.parametrize("typed, shown", [
    ("localhost", "localhost"), ("LOCALHOST", "localhost"), ("Localhost", "localhost"),
    ("ｌｏｃａｌｈｏｓｔ", "localhost"),    # UTS #46 maps full-width letters first
    ("VM", "vm"), ("RunSC", "runsc"),
    ("１２７.０.０.１", "127.0.0.1"), ("127。0。0。1", "127.0.0.1"),
    ("127．0．0．1", "127.0.0.1"), ("⑫7.0.0.1", "127.0.0.1")])
def test_ping_shows_the_canonical_name_of_a_name_it_looked_up(typed, shown):
    shell = _shell("ip link set lo up")
    out, status = _run(shell, f"ping -c 1 {typed}")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == f"PING {shown} (127.0.0.1) 56(84) bytes of data."
    # not an inet_aton() literal as typed: the reply's source is looked up
    assert lines[1].startswith("64 bytes from localhost (127.0.0.1): icmp_seq=1 ttl=64 ")
    assert f"--- {shown} ping statistics ---" in lines


def test_a_name_of_an_ipv4_line_asked_for_ipv6():
    shell = _shell("ip link set lo up")
    assert _run(shell, "ping -6 -c 1 LOCALHOST") == (
        "ping: LOCALHOST: Address family for hostname not supported\n", 2)


def test_the_other_tools_find_an_upper_case_name():
    shell = _shell("ip link set lo up")
    out, status = _run(shell, "tracepath -n LOCALHOST | cut -c1-30")
    assert (out, status) == (" 1:  127.0.0.1                \n"
                             "     Resume: pmtu 65535 hops 1\n", 0)
    assert _run(shell, "arping -c 1 LOCALHOST") == ('Interface "lo" is not ARPable\n', 2)
    assert _run(shell, "getent hosts VM") == ("127.0.0.1       vm\n", 0)
    assert _run(shell, "ssh -o ConnectTimeout=1 LOCALHOST") == (
        "ssh: connect to host localhost port 22: Connection refused\r\n", 255)


# --- lookup.c _tr46(): every label of the mapped name is checked, ASCII ones too

@pytest.mark.parametrize("typed, error", [
    ("－c", "Parameter string not correctly encoded"),        # maps to -c: hyphen first
    ("ｘ－", "Parameter string not correctly encoded"),       # x-: hyphen last
    ("ä.-b", "Parameter string not correctly encoded"),      # an ASCII label tested too
    ("äb--cd", "Parameter string not correctly encoded"),    # -- in places 3 and 4
    ("\u0301a", "Parameter string not correctly encoded"),   # a combining mark first
    ("ａ－ｂ", "Temporary failure in name resolution"),       # a-b is a fine name
    ("ab--cd", "Temporary failure in name resolution"),      # ASCII: not converted
    ("bücher", "Temporary failure in name resolution"),
    ("ß", "Temporary failure in name resolution"),
    ("ﬁle", "Temporary failure in name resolution"),
    ("ａ ｂ", "Name or service not known")])
def test_pasted_names_that_libidn2_refuses_or_takes(typed, error):
    shell = _shell("ip link set lo up")
    assert _run(shell, f"ping -c 1 '{typed}'") == (f"ping: {typed}: {error}\n", 2)


# --- C's digits: full-width numbers are not numbers to strtol(), strtod(), atoi()

@pytest.mark.parametrize("line, expected, status", [
    ("ip link set eth0 mtu １５００",
     'Error: argument "１５００" is wrong: Invalid "mtu" value\n\n', 255),
    ("ip link set eth0 group ５", 'Error: argument "５" is wrong: Invalid "group" value\n\n', 255),
    ("ip link set eth0 mtu ' 1400'", "", 0),          # strtoul() skips leading blanks
    ("ip addr add １０.0.0.1/24 dev eth0",
     'Error: any valid prefix is expected rather than "１０.0.0.1/24".\n', 1),
    ("ip route get １２７.０.０.１",
     'Error: any valid prefix is expected rather than "１２７.０.０.１".\n', 1),
    ("route add -net 10.1.0.0 netmask 255.255.0.0 gw LOCALHOST", "", 0),
    ("arp -s LOCALHOST 02:00:00:00:00:09", "SIOCSARP: Invalid argument\n", 255),
    ("tc qdisc add dev eth0 root pfifo limit １００",
     'pfifo: Illegal value for "limit": "１００"\n', 1),
    ("traceroute -m ５ 127.0.0.1", "Cannot handle `-m' option with arg `５' (argc 2)\n", 2),
    ("tracepath -m ５ 127.0.0.1", "tracepath: invalid argument: '５'\n", 1),
    ("arping -c １ -I eth0 10.0.0.2", "arping: invalid argument: '１'\n", 1),
    ("sleep １", "sleep: invalid time interval ‘１’\nTry 'sleep --help' for more information.\n", 1),
    ("seq １ 3", "seq: invalid floating point argument: ‘１’\n"
                 "Try 'seq --help' for more information.\n", 1),
    ("head -n ２ /etc/hosts", "head: invalid number of lines: ‘２’\n", 1),
    ("ssh -o ConnectTimeout=1 ｌｏｃａｌｈｏｓｔ",
     "ssh: Could not resolve hostname \\357\\275\\214\\357\\275\\217\\357\\275\\203\\357\\275"
     "\\201\\357\\275\\214\\357\\275\\210\\357\\275\\217\\357\\275\\223\\357\\275\\224: Name or "
     "service not known\r\n", 255),
    ("python3 -c \"import socket; print(socket.gethostbyname('ｌｏｃａｌｈｏｓｔ'))\"",
     "127.0.0.1\n", 0)])
def test_full_width_numbers_and_names_as_the_c_tools_read_them(line, expected, status):
    shell = _shell("ip link add eth0 type veth peer name eth0p", "ip link set lo up")
    assert _run(shell, line) == (expected, status)


def test_ping_strtod_reads_no_full_width_digit():
    shell = _shell("ip link set lo up")
    out, status = _run(shell, "ping -c 1 -W １ 127.0.0.1")
    assert status == 0
    assert out.startswith("ping: option argument contains garbage: １\n"
                          "ping: this will become fatal error in the future\n"
                          "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n")


def test_wget_shows_the_host_lowercased_and_idn_encoded():
    shell = _shell("ip link set lo up")
    for url in ("http://LOCALHOST:1/", "http://ｌｏｃａｌｈｏｓｔ:1/"):
        out, status = _run(shell, f"wget -T 1 -t 1 {url}")
        assert status == 4
        lines = out.splitlines()
        assert lines[0].endswith("--  http://localhost:1/")
        assert lines[1:3] == [
            "Resolving localhost (localhost)... 127.0.0.1",
            "Connecting to localhost (localhost)|127.0.0.1|:1... failed: Connection refused."]


# --- the text tools: expr's integers and grep -P's classes are C's and PCRE2's (no UCP)

def test_expr_and_grep_perl_classes_take_no_full_width_digit():
    shell = _shell()
    assert _run(shell, "expr １ + 1") == ("expr: non-integer argument\n", 2)
    assert _run(shell, "echo '１２３' | grep -cP '\\d'") == ("0\n", 1)
    shell.run_line("printf '10.0.0.1 a_b\\n１２３ x\\n\\tz y\\n' > f.txt")
    assert _run(shell, "grep -cP '[\\d.]+' f.txt") == ("1\n", 0)
    assert _run(shell, "grep -oP '\\d+(\\.\\d+){3}' f.txt") == ("10.0.0.1\n", 0)
