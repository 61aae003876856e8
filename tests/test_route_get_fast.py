"""The fast paths of `ip route get` and the route printer (issue 19) answer exactly
as the full paths they stand for: fib_lookup() without custom rules against the rule
walk, the printer's compiled records against one call per field, and the get's own
shortcuts against the general code. Every transcript with an `ip ... route` line is
replayed both ways and must give the same bytes and statuses."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipemu.transcript.check import read_transcript, replay
from ipemu.transcript.format import parse

ROOT = Path(__file__).resolve().parent.parent
# `ip [OPTIONS] route|ro|r ...`, `ip monitor`, `ip -batch` (a batch may hold route lines)
_ROUTE_LINE = re.compile(r"\bip\s+(-\S+\s+)*(r|ro|rou|rout|route|mo\w*|monitor)\b|-batch|"
                         r"\bip\s+-b\b")


def _route_transcripts() -> list[Path]:
    out = []
    for path in sorted((ROOT / "transcripts").rglob("*")):
        if not path.is_file():
            continue
        try:
            steps = parse(read_transcript(path)).steps
        except (UnicodeDecodeError, ValueError):
            continue
        if any(_ROUTE_LINE.search(s.command) for s in steps):
            out.append(path)
    return out


def full_paths(monkeypatch) -> None:
    """Every fast path of the route get and print path off."""
    from ipemu.kernel import fib_rules
    from ipemu.render import printer
    from ipemu.tools import ip_route
    monkeypatch.setattr(fib_rules, "FAST_LOOKUP", False)
    monkeypatch.setattr(printer, "COMPILED", False)
    monkeypatch.setattr(ip_route, "FAST_GET", False)


PATHS = _route_transcripts()


def test_enough_route_transcripts():
    assert len(PATHS) > 150


@pytest.mark.parametrize("path", PATHS, ids=[str(p.relative_to(ROOT / "transcripts"))
                                              for p in PATHS])
def test_fast_and_full_paths_print_the_same(path, monkeypatch):
    tr = parse(read_transcript(path))
    fast = replay(tr)
    with monkeypatch.context() as m:
        full_paths(m)
        full = replay(tr)
    assert fast == full
