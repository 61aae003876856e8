"""pytest plugin: transcripts as test items.

Installed with ipemu (entry point `pytest11`). It collects nothing until asked: name
the directories in the ini file,

    [tool.pytest.ini_options]
    ipemu_transcripts = ["transcripts"]

or on the command line (`--ipemu-transcripts=DIR`). Every `*.txt` under them is one
item (node id `path/to/case.txt::transcript`); a failure shows the unified diff of
the first command whose output differs. A transcript whose header says
`needs: ...` is expected to fail (xfail) until that work lands.
"""
from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addini("ipemu_transcripts", "directories whose *.txt are ipemu transcripts",
                  type="args", default=[])
    parser.addoption("--ipemu-transcripts", action="append", default=[], metavar="DIR",
                     help="collect ipemu transcripts (*.txt) under DIR")


def _roots(config) -> list[Path]:
    names = list(config.getini("ipemu_transcripts")) + list(
        config.getoption("ipemu_transcripts") or [])
    base = Path(str(config.rootpath))
    return [(base / n).resolve() for n in names]


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix != ".txt":
        return None
    resolved = file_path.resolve()
    for root in _roots(parent.config):
        if resolved == root or root in resolved.parents:
            return TranscriptFile.from_parent(parent, path=file_path)
    return None


class TranscriptFile(pytest.File):
    def collect(self):
        yield TranscriptItem.from_parent(self, name="transcript")


class TranscriptFailure(Exception):
    pass


class TranscriptItem(pytest.Item):
    def setup(self):
        from ipemu.transcript.format import parse
        needs = parse(self.path.read_text(encoding="utf-8")).header.get("needs")
        if needs:
            self.add_marker(pytest.mark.xfail(reason=f"needs {needs}", strict=False))

    def runtest(self):
        from ipemu.transcript.check import check_transcript
        result = check_transcript(self.path)
        if not result.ok:
            m = result.mismatch
            raise TranscriptFailure(f"command {m.index}: {m.command}\n{m.diff}")

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, TranscriptFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"transcript {self.path.name}"
