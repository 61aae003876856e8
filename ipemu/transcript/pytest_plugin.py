"""pytest plugin: transcripts as test items.

Installed with ipemu (entry point `pytest11`). It collects nothing until asked: name
the directories in the ini file,

    [tool.pytest.ini_options]
    ipemu_transcripts = ["transcripts"]

or on the command line (`--ipemu-transcripts=DIR`). Every `*.txt` (and cram/prysk
`*.t`) under them is one item (node id `path/to/case.txt::transcript`); a failure
shows the unified diff of the first command whose output differs. A transcript whose header says
`needs: ...` is expected to fail (xfail) until that work lands.

Documents (`ipemu doc`) the same way: `ipemu_docs = ["docs"]` or `--ipemu-docs=DIR`;
every `*.md` and cram `*.t` under them is one item (`path/to/page.md::doc`) that fails
with the diff `ipemu doc --check` prints when an output is stale.

Shell scripts: the fixture `ipemu_shim` gives a test a shim directory (fake `ip`,
`ping`, `tcpdump`, ... first on PATH) and a fresh host of its own, stopped after the
test (ipemu/shim/fixture.py); `@pytest.mark.ipemu_shim(scenario="bare", profile="el7")`
picks the host.
"""
from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addini("ipemu_transcripts", "directories whose *.txt are ipemu transcripts",
                  type="args", default=[])
    parser.addoption("--ipemu-transcripts", action="append", default=[], metavar="DIR",
                     help="collect ipemu transcripts (*.txt) under DIR")
    parser.addini("ipemu_docs", "directories whose *.md and *.t are ipemu documents",
                  type="args", default=[])
    parser.addoption("--ipemu-docs", action="append", default=[], metavar="DIR",
                     help="check ipemu documents (*.md, *.t) under DIR")


def pytest_configure(config):
    config.addinivalue_line("markers", "ipemu_shim(scenario='default', profile='default'): "
                            "the host the ipemu_shim fixture starts")


@pytest.fixture
def ipemu_shim(tmp_path, request):
    """A shim directory on PATH and a fresh ipemu host behind it (ShimHost: .run(),
    .run_script(), .dir, .cwd, .env, .name)."""
    from ipemu.shim.fixture import ShimHost
    marker = request.node.get_closest_marker("ipemu_shim")
    host = ShimHost.create(tmp_path, **(marker.kwargs if marker else {}))
    try:
        yield host
    finally:
        host.stop()


_ROOTS = pytest.StashKey[dict]()      # config -> key -> its directories, resolved


def _roots(config, key: str = "ipemu_transcripts") -> list[Path]:
    """The directories named for `key`, worked out once a run (not once a file)."""
    known = config.stash.setdefault(_ROOTS, {})
    if key not in known:
        names = list(config.getini(key)) + list(config.getoption(key) or [])
        base = Path(str(config.rootpath))
        known[key] = [(base / n).resolve() for n in names]
    return known[key]


def _under(file_path: Path, roots: list[Path]) -> bool:
    if not roots:
        return False
    resolved = file_path.resolve()
    return any(resolved == root or root in resolved.parents for root in roots)


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix in (".txt", ".t") and _under(file_path, _roots(parent.config)):
        return TranscriptFile.from_parent(parent, path=file_path)
    if file_path.suffix in (".md", ".t") and \
            _under(file_path, _roots(parent.config, "ipemu_docs")):
        return DocFile.from_parent(parent, path=file_path)
    return None


class TranscriptFile(pytest.File):
    def collect(self):
        yield TranscriptItem.from_parent(self, name="transcript")


class TranscriptFailure(Exception):
    pass


class TranscriptItem(pytest.Item):
    def setup(self):
        if self.path.suffix == ".t":
            return
        from ipemu.transcript.format import parse
        needs = parse(self.path.read_text(encoding="utf-8")).header.get("needs")
        if needs:
            self.add_marker(pytest.mark.xfail(reason=f"needs {needs}", strict=False))

    def runtest(self):
        if self.path.suffix == ".t":
            return self._run_cram()
        from ipemu.transcript.check import check_transcript
        result = check_transcript(self.path)
        if not result.ok:
            m = result.mismatch
            raise TranscriptFailure(f"command {m.index}: {m.command}\n{m.diff}")

    def _run_cram(self):
        """A cram/prysk `.t` recorded on a real host: compared as transcripts are."""
        from ipemu.doc.document import DocError, parse
        from ipemu.doc.run import compare_as_transcript, run
        try:
            doc = parse(self.path.read_text(encoding="utf-8"), str(self.path))
            diff = compare_as_transcript(doc, run(doc))
        except DocError as err:
            raise TranscriptFailure(f"{self.path}:{err.line}: {err.message}") from None
        if diff is not None:
            raise TranscriptFailure(diff)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, TranscriptFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"transcript {self.path.name}"


class DocFile(pytest.File):
    def collect(self):
        yield DocItem.from_parent(self, name="doc")


class DocItem(pytest.Item):
    """`ipemu doc --check` of one document."""

    def runtest(self):
        from ipemu.doc.document import DocError
        from ipemu.doc.main import process
        try:
            outcome = process(self.path)
        except DocError as err:
            raise TranscriptFailure(f"{self.path}:{err.line}: {err.message}") from None
        if not outcome.ok:
            raise TranscriptFailure("stale outputs (ipemu doc --check):\n" + outcome.diff())

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, TranscriptFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"doc {self.path.name}"
