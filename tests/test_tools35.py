"""tools35: more small host tools scripts call (shuf, fmt, pr, split, csplit, install,
envsubst, renice, fuser, dmesg, watch). Every expected output was taken from the
recording machine (Debian 12: coreutils 9.1, gettext-base 0.21, util-linux 2.38.1,
psmisc 23.6, procps-ng 4.0.2)."""
from __future__ import annotations

import pytest

from ipemu.session import Session

# the random source the shuf goldens were made with (printf of these bytes; seq 1000)
SRC = "printf '\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x09\\x0a\\xff\\xfe\\xfd\\x80" \
      "\\x7f\\x10\\x20\\x30\\x40\\x50\\x60\\x70\\x90\\xa0\\xb0\\xc0\\xd0\\xe0\\xf0' > src; " \
      "seq 1 1000 | tr -d '\\n' > src2; "


def run(session: Session, line: str) -> tuple[str, int]:
    term, status = session.run_line(line)
    return term.text(), status


@pytest.fixture()
def session(tmp_path, monkeypatch) -> Session:
    monkeypatch.chdir(tmp_path)
    return Session.create()


@pytest.mark.parametrize("line, expected", [
    # randint_genmax()'s bytes, randperm_new()'s swaps
    ("shuf -i 1-10 --random-source=src", "2\n1\n5\n4\n3\n9\n7\n8\n6\n10\n"),
    ("seq 5 | shuf --random-source=src", "2\n1\n3\n4\n5\n"),
    # -n from a pipe: reservoir sampling
    ("seq 10 | shuf -n 3 --random-source=src2", "10\n6\n9\n"),
    ("shuf -n 3 -i 1-100 --random-source=src2", "50\n52\n54\n"),
    ("shuf -e a b c d --random-source=src2", "b\na\nc\nd\n"),
    ("shuf -r -n 5 -e x y z --random-source=src2", "y\ny\nz\ny\nx\n"),
    ("shuf -i 1-1000 -n 2 --random-source=src", "259\n5\n"),
    ("shuf -i 1-10 --random-source=/dev/null; echo \"rc $?\"",
     "shuf: ‘/dev/null’: end of file\nrc 1\n"),
    ("shuf -i 1-10 --random-source=nothere; echo \"rc $?\"",
     "shuf: nothere: No such file or directory\nrc 1\n"),
    ("shuf -i a-5; shuf -i 5-b; shuf -i 5; shuf -i 5-3; shuf -i 5-4; echo \"rc $?\"",
     "shuf: invalid input range: ‘a’\nshuf: invalid input range: ‘b’\n"
     "shuf: invalid input range: ‘5’\nshuf: invalid input range: ‘5-3’\nrc 0\n"),
    ("shuf -i 1-3 -i 2-4; shuf -n x -e a; shuf -n -1 -e a",
     "shuf: multiple -i options specified\nshuf: invalid line count: ‘x’\n"
     "shuf: invalid line count: ‘-1’\n"),
    ("shuf -e -i 1-2; shuf -i 1-3 x; shuf a b",
     "shuf: cannot combine -e and -i options\nTry 'shuf --help' for more information.\n"
     "shuf: extra operand ‘x’\nTry 'shuf --help' for more information.\n"
     "shuf: extra operand ‘b’\nTry 'shuf --help' for more information.\n"),
    ("shuf -r </dev/null; echo \"rc $?\"; shuf -n 0 -r nothere; echo \"rc $?\"",
     "shuf: no lines to repeat\nrc 1\nrc 0\n"),
    ("shuf -z -e a b --random-source=src | od -c", "0000000   b  \\0   a  \\0\n0000004\n"),
    ("shuf -n 99999999999999999999999 -e a", "a\n"),
    ("shuf -o out -e a -o o2; shuf --random-source=a --random-source=b -e a",
     "shuf: multiple output files specified\nshuf: multiple random sources specified\n"),
])
def test_shuf(session: Session, line: str, expected: str) -> None:
    assert run(session, SRC + line)[0] == expected


def test_shuf_without_source_keeps_the_lines(session: Session) -> None:
    text, status = run(session, "seq 20 | shuf | sort -n | tr '\\n' ' '; shuf -i 1-50 -n 5 | wc -l")
    assert (text, status) == (" ".join(str(i) for i in range(1, 21)) + " 5\n", 0)
