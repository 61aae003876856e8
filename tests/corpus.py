"""The recorded transcripts as the tests read them, each parsed at most once in a
process. parse() runs the shell's parser over every command line (is it complete?),
and parsing the corpus was most of the suite's collection time, paid again by every
test module that read it and in every xdist worker: collection now reads headers only
(the lines before the first prompt) and a transcript's steps are parsed when a test
first needs them."""
from __future__ import annotations

import functools
import hashlib
import heapq
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from ipemu.transcript.check import read_transcript
from ipemu.transcript.format import PROMPT_RE, Transcript, parse

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTS = ROOT / "transcripts"
LONG = os.environ.get("IPEMU_LONG") == "1"      # the suite's long run (README "Testing")


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


def commands(path: Path) -> list[str]:
    """A transcript's commands (its steps' command lines), as parse() finds them."""
    found = _all_commands().get(path)
    return found if found is not None else [s.command for s in transcript(path).steps]


@functools.cache
def _all_commands() -> dict[Path, list[str]]:
    """Every transcript's commands, kept (kept_value()) under a digest of the
    transcripts and of the code that splits them into steps (the transcript format
    and the shell's parser, which says where a command ends). Parsing the corpus is
    half a second of CPU, and many cross-checks in different xdist workers read only
    its command lines; the replays parse afresh."""
    code = [_CHECK, *sorted((ROOT / "ipemu" / "bash").glob("*.py")),
            *sorted((ROOT / "ipemu" / "parsers").glob("shell*.py"))]
    return kept_value(
        "commands", paths(), code,
        lambda: {p: [s.command for s in transcript(p).steps] for p in paths()},
        dump=lambda found: {p.relative_to(ROOT).as_posix(): v for p, v in found.items()},
        load=lambda names: {ROOT / name: v for name, v in names.items()})


def needs_later_work(path: Path) -> bool:
    """The header says `needs:`: the transcript is expected to fail for now."""
    return bool(header(path).get("needs"))


# ------------------------------------------------- the cross-checks' bounded slices
# A cross-check that replays transcripts once more (a fast path against its full path,
# the host saved and restored between commands) runs in the suite on a slice of the
# corpus: the fewest transcripts that hold every kind of line the checked path takes.
# The golden replays add a fixed sample of the rest. The long run (IPEMU_LONG=1)
# replays every one.
SAMPLE_EVERY = 25


def sampled(item: Path | str, every: int | None = SAMPLE_EVERY) -> bool:
    """One transcript (or line) in `every` (none for None), fixed by its name (the
    same ones every run)."""
    if not every:
        return False
    name = item.relative_to(ROOT).as_posix() if isinstance(item, Path) else item
    return zlib.crc32(name.encode()) % every == 0


def covering(items: Iterable, kinds: Callable[[object], set[str]],
             cost: Callable[[object], int] = lambda item: 1) -> list:
    """Greedy set cover: items that together hold every kind any item holds, each pick
    the item adding the most kinds still missing (the cheaper, then the earlier one
    on a tie: the same picks every run), in the items' order. Lazily: an item's gain
    only shrinks as kinds are covered, so a gain worked out earlier bounds it, and an
    item whose fresh gain still leads every bound is the pick the full scan makes."""
    items = list(items)
    held = [frozenset(kinds(item)) for item in items]
    left = set().union(*held)
    heap = [(-len(h), cost(item), i) for i, (item, h) in enumerate(zip(items, held)) if h]
    heapq.heapify(heap)
    chosen: set[int] = set()
    while left and heap:
        _, c, i = heapq.heappop(heap)
        fresh = (-len(held[i] & left), c, i)
        if fresh[0] == 0:
            continue
        if heap and fresh > heap[0]:
            heapq.heappush(heap, fresh)
            continue
        chosen.add(i)
        left -= held[i]
    return [item for i, item in enumerate(items) if i in chosen]


def cross_check_slice(paths: Iterable[Path], kinds: Callable[[Path], set[str]],
                      every: int | None = None) -> list[Path]:
    """The transcripts a cross-check replays in the suite (every one in the long run):
    a cover of the line kinds `kinds` finds in each (and one in `every` of the rest,
    if given)."""
    paths = list(paths)
    if LONG:
        return paths
    chosen = set(covering(paths, kinds, lambda p: len(commands(p))))
    return [p for p in paths if p in chosen or sampled(p, every)]


def kept(tag: str, inputs: Iterable[Path], code: Iterable[str | Path],
         compute: Callable[[], list[Path]]) -> list[Path]:
    """compute()'s list of files (a slice of the corpus: a function of the inputs' text
    and of the code deciding), worked out once and kept (kept_value()). Every xdist
    worker collects the tests and so asked for every slice: up to half a second of
    CPU each, for the same answer."""
    if LONG:
        return compute()
    return kept_value(tag, inputs, code, compute,
                      dump=lambda chosen: [p.relative_to(ROOT).as_posix() for p in chosen],
                      load=lambda names: [ROOT / name for name in names])


def kept_value(tag: str, inputs: Iterable[Path], code: Iterable[str | Path],
               compute: Callable[[], object], dump: Callable = lambda v: v,
               load: Callable = lambda v: v):
    """compute()'s value, kept in pytest's cache directory as JSON (dump() and load()
    between the two) under a digest of the input files' bytes, the source files
    `code` names, this file's and the transcript format's: worked out again when any
    of them changes."""
    digest = hashlib.sha256(tag.encode())
    for name in (__file__, _FORMAT, _CHECK, *code):
        digest.update(Path(name).read_bytes())
    for path in inputs:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    keep = _SLICES / f"{tag}-{digest.hexdigest()[:32]}.json"
    try:
        return load(json.loads(keep.read_text()))
    except (OSError, ValueError):
        pass
    value = compute()
    try:
        keep.parent.mkdir(parents=True, exist_ok=True)
        for old in sorted(keep.parent.glob(f"{tag}-*.json"),
                          key=lambda f: f.stat().st_mtime)[:-4]:
            old.unlink()                # the values of earlier corpora
        keep.write_text(json.dumps(dump(value)))
    except OSError:
        pass
    return value


# where kept_value() keeps its values (pytest's cache directory), and the code every
# value hangs on: the transcript format and read_transcript()
_SLICES = ROOT / ".pytest_cache" / "d" / "golden-slices"
_FORMAT = ROOT / "ipemu" / "transcript" / "format.py"
_CHECK = ROOT / "ipemu" / "transcript" / "check.py"      # read_transcript()


# ------------------------------------------------------ the golden replays' slice
# The recorded corpora (transcripts/, tests/oracle_cases/) are replayed whole by the
# long run (IPEMU_LONG=1) and by `ipemu check transcripts/`; the suite replays a slice
# of each: the fewest cases that together hold every kind of command line (a tool, each
# option it is given, its object and command words: command_kinds()) that two or more
# cases hold (the transcripts and the oracle-format cases as one corpus:
# golden_replayed()), the cheaper case first, and one in SAMPLE_EVERY of the rest. A
# kind only one case holds is mostly a name (a namespace, a file), and that case runs
# in the long run. The same cases every run: the slice is a function of the corpus's
# text.
_PARTS = re.compile(r"\n|;|&&|\|\||\||&|\$\(|`|\(|\)")
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*(\[[^]]*\])?\+?=")


def command_kinds(command: str) -> set[str]:
    """The kinds of line `command` holds: for each simple command in it, its tool
    (`ip`), each option word (`ip -br`) and its first two plain words when they are
    lower-case words (`ip link`, `ip link add`), the object and command of iproute2,
    tc and bridge (for other tools, a first argument or a keyword)."""
    out: set[str] = set()
    for part in _PARTS.split(command):
        words = part.split()
        while words and _ASSIGNMENT.match(words[0]):
            words = words[1:]
        if not words:
            continue
        tool = words[0].rsplit("/", 1)[-1]
        out.add(tool)
        out.update(f"{tool} {w}" for w in words[1:]
                   if w.startswith("-") and _KIND_WORD.match(w))
        plain = [w for w in words[1:] if not w.startswith("-")][:2]
        if plain and _KIND_WORD.match(plain[0]):
            out.add(f"{tool} {plain[0]}")
            if len(plain) > 1 and _KIND_WORD.match(plain[1]):
                out.add(f"{tool} {plain[0]} {plain[1]}")
    return out


def golden_slice(items: Iterable[Path], commands: Callable[[Path], list[str]],
                 every: int = SAMPLE_EVERY, code: Iterable[str | Path] = ()) -> list[Path]:
    """The cases of a corpus the suite replays (every one in the long run), in their
    order: a cover of the kinds (command_kinds()) two or more cases hold, and one in
    `every` of the rest (sampled()); kept (kept()) under the cases' bytes and `code`,
    the files of the code reading their commands."""
    items = list(items)
    if LONG:
        return items
    return kept(f"golden{every}", items, code,
                lambda: _golden_slice(items, {p: commands(p) for p in items}, every))


def _golden_slice(items: list[Path], texts: dict[Path, list[str]], every: int) -> list[Path]:
    held = {p: set().union(*map(command_kinds, texts[p])) for p in items}
    count: dict[str, int] = {}
    for kinds in held.values():
        for kind in kinds:
            count[kind] = count.get(kind, 0) + 1
    shared = {p: {k for k in kinds if count[k] > 1} for p, kinds in held.items()}
    chosen = set(covering(items, shared.__getitem__, lambda p: len(texts[p])))
    return [p for p in items if p in chosen or sampled(p, every)]


@functools.cache
def prompt_commands(path: Path) -> list[str]:
    """A transcript's command lines, read off its prompts (no parse: the first line
    of a command written over several)."""
    out = []
    for line in read_transcript(path).splitlines():
        if (m := PROMPT_RE.match(line)):
            out.append(line[m.end():])
    return out


ORACLE_CASES = ROOT / "tests" / "oracle_cases"


@functools.cache
def oracle_cases() -> tuple[Path, ...]:
    """Every oracle-format case (its .cmds file), sorted."""
    return tuple(sorted(ORACLE_CASES.glob("*.cmds")))


def oracle_case_lines(path: Path) -> list[str]:
    """An oracle-format case's command lines."""
    from ipemu.transcript.runner import case_lines
    return case_lines(path.read_text())


@functools.cache
def golden_replayed() -> frozenset[Path]:
    """The transcripts and oracle-format cases the suite replays (all of them in the
    long run): one slice of the two corpora together, since a kind of command line is
    the same kind whichever corpus holds it (each still has its own sample)."""
    def commands(path: Path) -> list[str]:
        return prompt_commands(path) if path.suffix == ".txt" else oracle_case_lines(path)
    # kept under the files' bytes (with the code reading their commands): no case is
    # read for its commands while the slice is kept
    return frozenset(golden_slice([*paths(), *oracle_cases()], commands,
                                  code=[ROOT / "ipemu" / "transcript" / "runner.py"]))


def transcripts_replayed() -> frozenset[Path]:
    """The transcripts the suite replays (all of them in the long run)."""
    return frozenset(p for p in golden_replayed() if p.suffix == ".txt")


_SEPARATOR = re.compile(r"\n|;|&&|\|\||\||&")
_KIND_WORD = re.compile(r"^(-{1,2}[A-Za-z][\w-]*|-\d|[a-z]+)$")


def line_words(command: str, line: re.Pattern) -> set[str]:
    """The option words and keywords (lower-case letters only: no names, addresses or
    numbers) of each simple command of `command` that `line` finds, from its match on:
    the kinds of line a fast path for such lines takes."""
    out: set[str] = set()
    for part in _SEPARATOR.split(command):
        if (m := line.search(part)):
            out.update(w for w in part[m.start():].split() if _KIND_WORD.match(w))
    return out


def transcript_words(path: Path, line: re.Pattern) -> set[str]:
    """line_words() over every step of the transcript."""
    out: set[str] = set()
    for command in commands(path):
        out |= line_words(command, line)
    return out


def one_per_token_shape(lines: list[str]) -> list[str]:
    """The first line of each sequence of token types ipemu/bash's lexer makes of it
    (which runs before and apart from the parser), and every line it cannot lex. Both
    parsers are LALR over the same grammar, fed the same tokens: each step they take,
    and so the tree's shape, is a function of the token types alone (the values ride
    along into the tree), and chunks() ends a command where the types say so
    (accepts_end()): 15,000 lines are about 1,000 shapes. For the checks of the
    shell parser's own steps against the full ones."""
    from ipemu.bash.lexer import Lexer
    shapes: dict[tuple, str] = {}
    for line in lines:
        try:
            key = tuple(tok.type for tok in Lexer(line, 1).tokens())
        except Exception:              # noqa: BLE001 - an error is its own shape
            key = ("error", line)
        shapes.setdefault(key, line)
    return list(shapes.values())
