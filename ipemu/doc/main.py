"""`ipemu doc [--check | --update | --clean] [--cast FILE] FILE.md|FILE.t|DIR...`

--update (the default) writes each command's output back under it; --check changes
nothing, prints a unified diff of each stale document and exits 1; --clean blanks the
outputs. A capture written by `tcpdump -w NAME` is kept beside the document.
"""
from __future__ import annotations

import difflib
import shlex
import sys
from pathlib import Path

from ipemu.doc.document import DocError, Document, parse
from ipemu.doc.run import Run, new_outputs, run
from ipemu.plainclass import dataclass, field

SUFFIXES = (".md", ".t")


@dataclass
class Outcome:
    """A document and what ipemu makes of it."""

    path: Path
    old: str
    new: str
    captures: dict[str, bytes] = field(default_factory=dict)  # name beside the document
    result: Run | None = None
    doc: Document | None = None

    @property
    def stale_captures(self) -> list[str]:
        return [name for name, data in self.captures.items()
                if _read_bytes(self.path.parent / name) != data]

    @property
    def ok(self) -> bool:
        return self.old == self.new and not self.stale_captures

    def diff(self) -> str:
        text = "".join(difflib.unified_diff(
            self.old.splitlines(keepends=True), self.new.splitlines(keepends=True),
            f"{self.path} (document)", f"{self.path} (ipemu)"))
        return text + "".join(f"capture {self.path.parent / n} is stale or missing\n"
                              for n in self.stale_captures)


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files += sorted(f for f in path.rglob("*") if f.suffix in SUFFIXES and f.is_file())
        else:
            files.append(path)
    return files


def process(path: Path, clean: bool = False) -> Outcome:
    """The document at `path` with its outputs regenerated (or blanked); DocError and
    OSError as they come."""
    text = path.read_text(encoding="utf-8")
    doc = parse(text, str(path))
    if clean:
        return Outcome(path, text, doc.render(new_outputs(doc, None)), doc=doc)
    if not doc.items and not doc.settings:
        return Outcome(path, text, text, doc=doc)       # nothing to run: no host booted
    result = run(doc)
    return Outcome(path, text, doc.render(new_outputs(doc, result)), captures(result),
                   result, doc)


def captures(result: Run) -> dict[str, bytes]:
    """Files written by `tcpdump -w NAME` (a plain relative name), as the host holds
    them: kept beside the document so a reader can open them in Wireshark."""
    found: dict[str, bytes] = {}
    for entry in result.entries:
        name = _capture_name(entry.command)
        if name is None:
            continue
        data = result.session.read_file(name)
        if data is not None:
            found[name] = data
    return found


def _capture_name(command: str) -> str | None:
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if not words or words[0] != "tcpdump":
        return None
    for i, word in enumerate(words):
        name = None
        if word == "-w" and i + 1 < len(words):
            name = words[i + 1]
        elif word.startswith("-w") and len(word) > 2:
            name = word[2:]
        if name and name != "-" and "/" not in name and not name.startswith("."):
            return name
    return None


def main(paths: list[str], mode: str = "update", cast: str | None = None) -> int:
    files = collect(paths)
    if cast is not None and (len(files) != 1 or mode == "clean"):
        sys.stderr.write("ipemu doc: --cast records one document's session "
                         "(one FILE, not with --clean)\n")
        return 2
    passed = failed = 0
    status = 0
    for path in files:
        sys.stdout.flush()      # messages on stderr in order with the PASS/FAIL lines
        try:
            outcome = process(path, clean=(mode == "clean"))
        except OSError as err:
            sys.stderr.write(f"ipemu doc: {path}: {err.strerror}\n")
            status = 2
            continue
        except UnicodeDecodeError:
            sys.stderr.write(f"ipemu doc: {path}: not UTF-8 text\n")
            status = 2
            continue
        except DocError as err:
            where = f"{path}:{err.line}" if err.line else f"{path}"
            sys.stderr.write(f"ipemu doc: {where}: {err.message.rstrip()}\n")
            failed += 1
            status = max(status, 1)
            continue
        if cast is not None:
            from ipemu.doc.cast import write_cast
            write_cast(outcome, cast)
        if mode == "check":
            if outcome.ok:
                passed += 1
                print(f"PASS {path}")
            else:
                failed += 1
                print(f"FAIL {path}")
                sys.stdout.write(outcome.diff())
                status = max(status, 1)
            continue
        _write(outcome, mode)
        passed += 1
    if mode == "check":
        print(f"{passed} passed, {failed} failed")
    return status


def _write(outcome: Outcome, mode: str) -> None:
    changed = outcome.old != outcome.new
    if changed:
        outcome.path.write_text(outcome.new, encoding="utf-8")
    for name in outcome.stale_captures:
        (outcome.path.parent / name).write_bytes(outcome.captures[name])
        print(f"wrote {outcome.path.parent / name}")
    verb = "cleaned" if mode == "clean" else "updated"
    print(f"{verb} {outcome.path}" if changed else f"unchanged {outcome.path}")
