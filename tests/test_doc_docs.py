"""The project's own docs/: each is checked as a pytest item (pyproject `ipemu_docs`);
here, that a blanked page comes back byte for byte, and that the seed's re-created
tutorial shows the outputs the seed published (after the transcript masking rules)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipemu.doc.document import parse
from ipemu.doc.main import process
from ipemu.doc.run import new_outputs
from ipemu.transcript.check import _pasted, normalize
from ipemu.transcript.format import parse as parse_transcript

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").rglob("*.md"))


def test_docs_exist():
    names = {p.name for p in DOCS}
    assert {"index.md", "transcripts.md", "seed-veth.md", "writing-docs.md",
                     "lab-bridge.md"} <= names


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_blanked_page_is_regenerated_byte_for_byte(path, tmp_path):
    text = path.read_text(encoding="utf-8")
    doc = parse(text, str(path))
    blank = doc.render(new_outputs(doc, None))
    assert blank != text or not doc.slots
    copy = tmp_path / path.name
    copy.write_text(blank, encoding="utf-8")
    assert process(copy).new == text


def test_seed_page_shows_the_published_outputs():
    doc = parse((ROOT / "docs/seed-veth.md").read_text(encoding="utf-8"))
    seed = parse_transcript((ROOT / "transcripts/seed/seed-veth-el7.txt").read_text())
    commands = [s.command for s in doc.slots]
    assert commands == [s.command for s in seed.steps]
    # what the page shows, less the ^C a terminal echoes, against the published log
    shown = [re.sub(r"^\^C\n", "", "\n".join(s.lines()) + "\n" if s.lines() else "",
                    flags=re.M) for s in doc.slots]
    got = [_pasted(t) for t in normalize(shown, commands)]
    want = [_pasted(t) for t in normalize([s.output for s in seed.steps], commands)]
    for command, w, g in zip(commands, want, got):
        assert g == w, command
