"""Every transcript in transcripts/ (recorded from the real kernel) replays in ipemu and
matches, command by command, after the masking rules of ipemu/transcript/mask.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from ipemu.transcript.check import check_transcript

ROOT = Path(__file__).resolve().parent.parent / "transcripts"
FILES = sorted(ROOT.rglob("*.txt"))


def test_transcripts_exist():
    assert len(FILES) >= 30


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_transcript(path: Path):
    result = check_transcript(path)
    if not result.ok:
        m = result.mismatch
        pytest.fail(f"command {m.index}: {m.command}\n{m.diff}", pytrace=False)
