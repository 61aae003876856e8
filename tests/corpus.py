"""The recorded transcripts as the tests read them, each parsed at most once in a
process. parse() runs the shell's parser over every command line (is it complete?),
and parsing the corpus was most of the suite's collection time, paid again by every
test module that read it and in every xdist worker: collection now reads headers only
(the lines before the first prompt) and a transcript's steps are parsed when a test
first needs them."""
from __future__ import annotations

import functools
from pathlib import Path

from ipemu.transcript.check import read_transcript
from ipemu.transcript.format import PROMPT_RE, Transcript, parse

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTS = ROOT / "transcripts"


@functools.cache
def paths() -> tuple[Path, ...]:
    """Every recorded transcript, sorted."""
    return tuple(sorted(TRANSCRIPTS.rglob("*.txt")))


@functools.cache
def transcript(path: Path) -> Transcript:
    return parse(read_transcript(path))


@functools.cache
def header(path: Path) -> dict[str, str]:
    """The header keys, as parse() reads them (it stops at the first prompt too)."""
    head = []
    for line in read_transcript(path).splitlines(keepends=True):
        if PROMPT_RE.match(line):
            break
        head.append(line)
    return parse("".join(head)).header


def needs_later_work(path: Path) -> bool:
    """The header says `needs:`: the transcript is expected to fail for now."""
    return bool(header(path).get("needs"))
