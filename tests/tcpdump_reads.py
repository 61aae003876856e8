"""A directory of recorded `tcpdump -r` runs (tests/data/public, tests/data/captures41):
cases.txt (CAPTURE<TAB>FLAGS a line), what the real tcpdump printed for line N
(out/N.out: standard output; out/N.err: standard error and `[exit STATUS]`), and
craft.py, which makes the crafted captures beside them with struct alone."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from ipemu.session import Session


def cases(data: Path) -> list[tuple[int, str, str]]:
    lines = (data / "cases.txt").read_text().splitlines()
    return [(n, *line.split("\t")) for n, line in enumerate(lines, 1)]


@contextmanager
def utc_session(data: Path):
    """A bare host whose home is the directory, under TZ=UTC (the recordings')."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield Session.create(scenario="bare", home=str(data))
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


def check_read(session: Session, data: Path, n: int, capture: str, flags: str) -> None:
    term, status = session.run_line(f"tcpdump -r {capture} {flags}")
    assert term.stream("stdout") == (data / "out" / f"{n}.out").read_text()
    assert term.stream("stderr") + f"[exit {status}]\n" == (data / "out" / f"{n}.err").read_text()


def check_crafted(data: Path, tmp_path: Path) -> None:
    """The checked-in crafted captures are craft.py's output (record.sh made both)."""
    subprocess.run([sys.executable, str(data / "craft.py"), str(tmp_path)], check=True)
    for made in tmp_path.iterdir():
        assert made.read_bytes() == (data / made.name).read_bytes(), made.name
