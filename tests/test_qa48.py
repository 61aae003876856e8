"""The fixes round 48's Q&A cases led to (its cases, qa48_, are replayed whole by
test_rounds.py): the magic check of `ip route/addr/rule restore` on a stream shorter
than the magic. Every expected text was recorded on the project's Debian 12 machine
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
