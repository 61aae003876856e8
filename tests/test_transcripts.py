"""Every transcript in transcripts/ (recorded from the real kernel) replays in ipemu and
matches, command by command, after the masking rules of ipemu/transcript/mask.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from ipemu.transcript.check import check_transcript
from ipemu.transcript.format import parse

ROOT = Path(__file__).resolve().parent.parent / "transcripts"
FILES = sorted(ROOT.rglob("*.txt"))


def test_transcripts_exist():
    assert len(FILES) >= 30


def _params():
    """A transcript whose header says `needs: ...` records behaviour of a later issue:
    it runs, and is expected to fail until that work lands."""
    out = []
    for path in FILES:
        needs = parse(path.read_text(encoding="utf-8")).header.get("needs")
        marks = [pytest.mark.xfail(reason=f"needs {needs}", strict=False)] if needs else []
        out.append(pytest.param(path, marks=marks, id=str(path.relative_to(ROOT))))
    return out


@pytest.mark.parametrize("path", _params())
def test_transcript(path: Path):
    result = check_transcript(path)
    if not result.ok:
        m = result.mismatch
        pytest.fail(f"command {m.index}: {m.command}\n{m.diff}", pytrace=False)
