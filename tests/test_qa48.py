"""The fixes round 48's Q&A cases led to (its cases, qa48_, are replayed whole by
test_rounds.py): the magic check of `ip route/addr/rule restore` on a stream shorter
than the magic, and `ip route restore`'s ftell() failing on a pipe. Every expected text was recorded on the project's Debian 12 machine
with the oracle's recorder (record.py, `bash -c LINE` on a pty: Linux 6.18, iproute2
6.1), twice, the two recordings alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _run(line: str) -> str:
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    term, _ = shell.run_line(line)
    return term.text()


@pytest.mark.parametrize("line, expected", [
    # route_dump_check_magic(): fread(&magic, 4, 1, stdin) counts no element for a
    # short stream but leaves its bytes in the zeroed magic (glibc's partial copy)
    ("printf 'vm\\n' | ip route restore; echo rc=$?",
     "Magic mismatch (0 elems, a6d76 magic)\nrc=1\n"),
    ("printf 'ab' | ip addr restore; echo rc=$?",
     "Magic mismatch (0 elems, 6261 magic)\nrc=255\n"),
    ("printf 'x' | ip rule restore; echo rc=$?",
     "Magic mismatch (0 elems, 78 magic)\nrc=255\n"),
    ("ip route restore < /dev/null",
     "Magic mismatch (0 elems, 0 magic)\n"),
    ("echo 'default via 10.0.0.1' | ip route restore",
     "Magic mismatch (1 elems, 61666564 magic)\n"),
])
def test_restore_of_a_stream_shorter_than_the_magic_shows_the_bytes_read(line, expected):
    assert _run(line) == expected


def test_route_restore_from_a_pipe_fails_at_ftell():
    # iproute_restore(): pos = ftell(stdin) for the fseek() back before each of the
    # three passes; a pipe has no position (ESPIPE), a `<` file has one
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in ("ip link add eth0 address 02:00:00:48:17:01 type veth peer name eth0p "
                 "address 02:00:00:48:17:02", "ip link set eth0 up",
                 "ip addr add 10.48.17.1/24 dev eth0", "ip route save > r.bin",
                 "ip addr save dev eth0 > a.bin"):
        shell.run_line(line)
    term, _ = shell.run_line("head -c 4 r.bin | ip route restore; echo rc=$?")
    assert term.text() == "Failed to restore: ftell: Illegal seek\nrc=1\n"
    # ip addr restore reads the stream once (ipadd_restore(): no ftell)
    term, _ = shell.run_line("head -c 4 a.bin | ip addr restore; echo rc=$?")
    assert term.text() == "rc=0\n"
    term, _ = shell.run_line("ip route restore < r.bin; echo rc=$?")
    # a file has a position: the passes run (the saved route is linkdown: its peer is down)
    assert term.text() == ("Error: Invalid rtm_flags - can not contain DEAD or LINKDOWN.\n"
                           "rc=2\n")
