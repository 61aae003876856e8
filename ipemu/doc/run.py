"""Run a document's commands on one simulated host, in virtual time, as the transcript
replay does (ipemu/transcript/check.py): one Session, `think` seconds before each
command, blocks typed in other terminals started with `Session.start_elsewhere` where
check.py's `terminals()` says and stopped with ^C where the document shows them.
"""
from __future__ import annotations

import codecs
import re

from ipemu.doc.document import Block, DocError, Document, Setup
from ipemu.plainclass import dataclass, field
from ipemu.transcript.check import terminals
from ipemu.transcript.format import Step, Transcript


@dataclass
class Entry:
    """One command to run: a visible one (its slot) or a hidden setup line."""

    command: str
    line: int
    slot: int | None = None
    block: Block | None = None

    @property
    def terminal(self) -> bool:
        return self.block is not None and self.block.terminal


@dataclass
class Timing:
    """When a visible command was typed and when its output was complete (virtual
    seconds since the document's host was booted)."""

    slot: int
    typed_at: float
    done_at: float


@dataclass
class Run:
    session: object
    entries: list[Entry]
    outputs: dict[int, str] = field(default_factory=dict)   # slot -> what it printed
    statuses: dict[int, int] = field(default_factory=dict)
    timings: list[Timing] = field(default_factory=list)     # in the order they ran


# ------------------------------------------------------------------ the plan
def plan(doc: Document) -> tuple[list[Entry], dict[int, list[int]]]:
    """The commands in the order they run, and check.py's `terminals()` map (steps
    typed elsewhere just before step M, 1-based)."""
    entries: list[Entry] = []
    own: dict[int, list[Entry]] = {}            # id(block) -> its entries
    named: dict[str, Block] = {}
    for item in doc.items:
        if isinstance(item, Setup):
            entries += [Entry(c, item.line) for c in item.commands]
            continue
        if item.skip:
            continue
        if item.id is not None:
            if item.id in named:
                raise DocError(item.line, f"two blocks have id={item.id}")
            named[item.id] = item
        mine = [Entry(doc.slots[s].command, doc.slots[s].line, s, item)
                for s in item.slots if doc.slots[s].command]
        own[id(item)] = mine
        entries += mine
    starts: list[tuple[Block, Entry]] = []
    for block in doc.blocks():
        if block.terminal and own.get(id(block)):
            starts.append((block, _start_anchor(block, entries, own, named)))
    for block, _ in starts:
        if block.stop is not None:
            entries = _move_after(entries, own[id(block)], _entries_of(block.stop, block,
                                                                       own, named)[-1])
    header = []
    for block, anchor in starts:
        first = entries.index(own[id(block)][0])
        where = _index(entries, anchor)
        if where >= first:
            raise DocError(block.line, "this terminal block is stopped before it starts: "
                           "start=ID names a block before it, stop=ID one after it")
        numbers = " ".join(str(_index(entries, e) + 1) for e in own[id(block)])
        header.append(("terminal", f"{numbers} before {where + 1}"))
    tr = Transcript(repeated=header, steps=[Step(e.command, "") for e in entries])
    return entries, terminals(tr)


def _index(entries: list[Entry], entry: Entry) -> int:
    return next(i for i, e in enumerate(entries) if e is entry)


def _entries_of(name: str, block: Block, own: dict, named: dict) -> list[Entry]:
    other = named.get(name)
    if other is None:
        raise DocError(block.line, f"no block has id={name}")
    if not own.get(id(other)):
        raise DocError(block.line, f"block id={name} has no command")
    return own[id(other)]


def _start_anchor(block: Block, entries: list[Entry], own: dict, named: dict) -> Entry:
    """The command just before which the block's commands are typed elsewhere: the
    first of block `start=ID`, or else the one that follows the block."""
    if block.start is not None:
        return _entries_of(block.start, block, own, named)[0]
    last = _index(entries, own[id(block)][-1])
    if block.stop is None or last + 1 >= len(entries):
        raise DocError(block.line, "a terminal block runs beside other commands: give "
                       "start=ID (a block before it) or stop=ID (a block after it)")
    return entries[last + 1]


def _move_after(entries: list[Entry], moving: list[Entry], anchor: Entry) -> list[Entry]:
    rest = [e for e in entries if not any(e is m for m in moving)]
    at = _index(rest, anchor) + 1
    return rest[:at] + moving + rest[at:]


# ------------------------------------------------------------------ running
def _session(doc: Document):
    from ipemu.errors import CommandError
    from ipemu.scenarios import available
    from ipemu.session import Session
    settings = doc.settings
    scenario = settings.get("scenario") or (
        doc.hostname if doc.hostname in available() else "bare")
    try:
        return Session.create(settings.get("profile", "default"), scenario,
                              settings.get("hostname") or doc.hostname,
                              int(settings.get("seed", "0")))
    except CommandError as err:
        raise DocError(0, err.message.strip().removeprefix("ipemu: ")) from None
    except KeyError as err:
        raise DocError(0, f"unknown profile {err}") from None


def _check_elsewhere(entry: Entry) -> None:
    """Another terminal runs one simple command (what `Session.start_elsewhere` takes)."""
    from ipemu.errors import CommandError
    from ipemu.shell_line import parse_line
    try:
        parsed = parse_line(entry.command)
    except CommandError as err:
        raise DocError(entry.line, err.message.rstrip()) from None
    if parsed is None or len(parsed.items) != 1 or len(parsed.items[0][1].commands) != 1 \
            or parsed.background:
        raise DocError(entry.line, "a terminal block runs one simple command per prompt")


# seconds between the end of the block a terminal block runs beside and its Ctrl-C
REACTION = 0.2


def run(doc: Document) -> Run:
    """Every command of the document, on a fresh host."""
    from ipemu.process import SIGINT
    from ipemu.tools.context import Terminal
    entries, starts = plan(doc)
    for entry in entries:
        if entry.terminal:
            _check_elsewhere(entry)
    think = float(doc.settings.get("think", "0"))
    session = _session(doc)
    clock = session.host.clock
    origin = clock.now
    result = Run(session, entries)
    elsewhere: dict[int, tuple[object, float]] = {}
    last_shown: int | None = None
    for number, entry in enumerate(entries, 1):
        if think and entry.slot is not None:
            session.host.sleep(think)
        for other in starts.get(number, []):
            elsewhere[other] = (session.start_elsewhere(entries[other - 1].command),
                                clock.now - origin)
        typed = clock.now - origin
        if number in elsewhere:
            job, typed = elsewhere.pop(number)
            text = job.term.text()
            if job.proc is not None and not job.proc.done:
                # the reader presses Ctrl-C after the other block's output: a moment
                # later, when a capture has read what its ring held (tcpdump's block
                # on a terminal is retired every 100 ms)
                if getattr(job.proc, "ring_pending", None):
                    session.host.sleep(REACTION)
                    text = job.term.text()
                shown = len(text)
                job.proc.signal(SIGINT)
                text = job.term.text()
                text = text[:shown] + "^C" + text[shown:]   # the terminal echoes the key
            status = job.exit_status
        else:
            term, status = session.run_line(entry.command)
            text = term.text()
        if text and not text.endswith("\n"):
            text += "\n"
        if entry.slot is None:
            if status != 0:
                raise DocError(entry.line, f"setup command failed with status {status}: "
                               f"{entry.command}\n{text}")
            continue
        result.outputs[entry.slot] = text
        result.statuses[entry.slot] = status
        result.timings.append(Timing(entry.slot, typed, clock.now - origin))
        last_shown = entry.slot
    if session.jobs and last_shown is not None:
        rest = Terminal()
        session.collect_jobs(rest)      # background output under the last command
        result.outputs[last_shown] += rest.text()
        result.timings[-1].done_at = clock.now - origin
    return result


# ------------------------------------------------------------------ writing back
def shown_text(doc: Document, block: Block, text: str, status: int) -> str:
    """What the document shows for one command: masked, cut, then `[N]` as cram
    writes a non-zero status."""
    for mask in doc.masks + block.masks:
        text = mask.apply(text)
    if block.cut is not None:
        text = "".join(text.splitlines(keepends=True)[:block.cut])
    if status != 0 and not block.nostatus:
        text += f"[{status}]\n"
    return text


def new_outputs(doc: Document, result: Run | None) -> dict[int, str]:
    """The outputs that change (slot -> file form); `result` None blanks them all."""
    changed: dict[int, str] = {}
    for block in doc.blocks():
        if block.skip:
            continue
        for s in block.slots:
            slot = doc.slots[s]
            if result is None:
                text = ""
            else:
                text = shown_text(doc, block, result.outputs.get(s, ""),
                                  result.statuses.get(s, 0))
            if not matches(slot.lines(), text.splitlines()):
                changed[s] = slot.format(text)
    return changed


def matches(expected: list[str], got: list[str]) -> bool:
    """Lines equal, or matched as cram matches `(re)`, `(glob)`, `(esc)` lines."""
    return len(expected) == len(got) and all(_line_matches(e, g)
                                            for e, g in zip(expected, got))


def _line_matches(expected: str, got: str) -> bool:
    if expected == got:
        return True
    if expected.endswith(" (re)"):
        try:
            return re.fullmatch(expected[:-5], got) is not None
        except re.error:
            return False
    if expected.endswith(" (glob)"):
        return re.fullmatch(_glob(expected[:-7]), got) is not None
    if expected.endswith(" (esc)"):
        return codecs.decode(expected[:-6], "unicode_escape") == got
    if expected.endswith(" (no-eol)"):
        return expected[:-9] == got
    return False


def _glob(pattern: str) -> str:
    """cram's glob: `*` and `?` are wild, a backslash escapes them."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern) and pattern[i + 1] in "*?\\":
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "*" else "." if c == "?" else re.escape(c))
        i += 1
    return "".join(out)


# ------------------------------------------------------------------ as a transcript
def compare_as_transcript(doc: Document, result: Run) -> str | None:
    """A recorded document (a cram `.t` from a real host) compared as transcripts
    are: outputs after mask.py's rules for what is random on a real host. The diff
    of the first command that differs, or None."""
    import difflib

    from ipemu.transcript.check import normalize
    slots = [s for b in doc.blocks() if not b.skip for s in b.slots]
    commands = [doc.slots[s].command for s in slots]
    shown = [shown_text(doc, _block_of(doc, s), result.outputs.get(s, ""),
                        result.statuses.get(s, 0)) for s in slots]
    written = ["".join(ln + "\n" for ln in doc.slots[s].lines()) for s in slots]
    want, got = normalize(written, commands), normalize(shown, commands)
    for s, w, g, raw_w, raw_g in zip(slots, want, got, written, shown):
        if w != g and not matches(raw_w.splitlines(), raw_g.splitlines()):
            slot = doc.slots[s]
            return f"line {slot.line}: {slot.command}\n" + "".join(difflib.unified_diff(
                w.splitlines(keepends=True), g.splitlines(keepends=True),
                "expected (recorded)", "ipemu"))
    return None


def _block_of(doc: Document, slot: int) -> Block:
    return next(b for b in doc.blocks() if slot in b.slots)
