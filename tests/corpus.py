"""The recorded transcripts as the tests read them, each parsed at most once in a
process. parse() runs the shell's parser over every command line (is it complete?),
and parsing the corpus was most of the suite's collection time, paid again by every
test module that read it and in every xdist worker: collection now reads headers only
(the lines before the first prompt) and a transcript's steps are parsed when a test
first needs them."""
from __future__ import annotations

import functools
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


def needs_later_work(path: Path) -> bool:
    """The header says `needs:`: the transcript is expected to fail for now."""
    return bool(header(path).get("needs"))


# ------------------------------------------------- the cross-checks' bounded slices
# A cross-check that replays transcripts once more (a fast path against its full path,
# the host saved and restored between commands) runs in the suite on a slice of the
# corpus: the fewest transcripts that hold every kind of line the checked path takes,
# and a fixed sample of the rest. The long run (IPEMU_LONG=1) replays every one.
SAMPLE_EVERY = 10


def sampled(item: Path | str, every: int = SAMPLE_EVERY) -> bool:
    """One transcript (or line) in `every`, fixed by its name (the same ones every
    run)."""
    name = item.relative_to(ROOT).as_posix() if isinstance(item, Path) else item
    return zlib.crc32(name.encode()) % every == 0


def covering(items: Iterable, kinds: Callable[[object], set[str]],
             cost: Callable[[object], int] = lambda item: 1) -> list:
    """Greedy set cover: items that together hold every kind any item holds, each pick
    the item adding the most kinds still missing (the cheaper, then the earlier one
    on a tie: the same picks every run), in the items' order."""
    items = list(items)
    held = [frozenset(kinds(item)) for item in items]
    costs = [cost(item) for item in items]
    left = set().union(*held)
    chosen: set[int] = set()
    while left:
        best = max(range(len(items)), key=lambda i: (len(held[i] & left), -costs[i], -i))
        chosen.add(best)
        left -= held[best]
    return [item for i, item in enumerate(items) if i in chosen]


def cross_check_slice(paths: Iterable[Path], kinds: Callable[[Path], set[str]],
                      every: int = SAMPLE_EVERY) -> list[Path]:
    """The transcripts a cross-check replays in the suite (every one in the long run):
    a cover of the line kinds `kinds` finds in each, and one in `every` of the rest."""
    paths = list(paths)
    if LONG:
        return paths
    chosen = set(covering(paths, kinds, lambda p: len(transcript(p).steps)))
    return [p for p in paths if p in chosen or sampled(p, every)]


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
    for step in transcript(path).steps:
        out |= line_words(step.command, line)
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
