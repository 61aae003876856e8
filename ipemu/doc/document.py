"""A document as `ipemu doc` reads it: the text that stays as written, and one output
slot under each command.

Markdown: a ```` ```console ```` fence holds prompt lines (`[root@HOST ~]# CMD`,
`# CMD` or `$ CMD`); the lines after a prompt, up to the next prompt or the closing
fence, are that command's output. Directives are HTML comments (invisible when
rendered), or an `ipemu:` line in the front matter:

    <!-- ipemu: scenario=huzhi-code profile=el7 seed=0 think=10 -->   the document's host
    <!-- ipemu: id=ping terminal start=ID stop=ID cut=N skip nostatus mask=RE with=TEXT -->
                                                      options of the next console block
    <!-- ipemu setup
    ip link add veth0 type veth peer name veth1       hidden commands, run at this point
    -->

cram/prysk `.t`: `  $ CMD` lines, output indented by two spaces, `[N]` for a
non-zero status; every other line is a comment (and may hold the same directives).
"""
from __future__ import annotations

import re
import shlex

from ipemu.plainclass import dataclass, field
from ipemu.transcript.format import PROMPT_RE

SETTINGS = ("scenario", "profile", "seed", "hostname", "think")
BLOCK_FLAGS = ("terminal", "skip", "nostatus")
BLOCK_KEYS = ("id", "start", "stop", "cut", "mask", "with")
MASK_DEFAULT = "..."

FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
SIMPLE_PROMPT_RE = re.compile(r"^[#$](?: |$)")
DIRECTIVE_RE = re.compile(r"^ {0,3}<!--\s*ipemu(?=[\s:])")
CRAM_COMMAND = "  $ "


class DocError(Exception):
    """A document ipemu cannot run: a wrong directive, a failed setup command."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Mask:
    pattern: re.Pattern
    replacement: str = MASK_DEFAULT

    def apply(self, text: str) -> str:
        return self.pattern.sub(self.replacement, text)


@dataclass
class Slot:
    """One command and its output as the file holds it."""

    prompt: str          # as written: "[root@host ~]# ", "# ", "$ "
    command: str
    output: str          # the file's lines under the prompt, indent included
    indent: str          # what each output line starts with (the fence's indent, "  ")
    line: int            # 1-based line of the prompt
    pad_empty: bool = False   # cram writes the indent on empty lines too

    def lines(self) -> list[str]:
        """The output's lines without indent or newline."""
        out = []
        for raw in self.output.splitlines():
            out.append(raw[len(self.indent):] if raw.startswith(self.indent)
                       else raw.lstrip(" "))
        return out

    def format(self, text: str) -> str:
        """`text` (lines ending in newlines) as this slot writes it in the file."""
        return "".join((self.indent + ln if ln or self.pad_empty else "") + "\n"
                       for ln in text.splitlines())


@dataclass
class Block:
    """A console fence (or a run of cram commands) and its directive options."""

    line: int
    slots: list[int] = field(default_factory=list)
    id: str | None = None
    terminal: bool = False
    start: str | None = None
    stop: str | None = None
    cut: int | None = None
    skip: bool = False
    nostatus: bool = False       # no `[N]` line under a command that fails
    masks: list[Mask] = field(default_factory=list)


@dataclass
class Setup:
    """Hidden commands: run where they stand, their output never shown."""

    line: int
    commands: list[str]


@dataclass
class Document:
    path: str
    parts: list[str | int] = field(default_factory=list)   # literal text or a slot index
    slots: list[Slot] = field(default_factory=list)
    items: list[Block | Setup] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    masks: list[Mask] = field(default_factory=list)
    hostname: str | None = None      # from the first `[user@HOST dir]#` prompt

    def render(self, outputs: dict[int, str] | None = None) -> str:
        """The file with `outputs` (slot -> text in file form) in place of the ones
        written; every other byte as it was."""
        outputs = outputs or {}
        return "".join(p if isinstance(p, str) else outputs.get(p, self.slots[p].output)
                       for p in self.parts)

    def blocks(self) -> list[Block]:
        return [item for item in self.items if isinstance(item, Block)]


# ------------------------------------------------------------------ directives
def _words(body: str, line: int) -> list[tuple[str, str | None]]:
    try:
        words = shlex.split(body)
    except ValueError as err:
        raise DocError(line, f"directive: {err}") from None
    out = []
    for word in words:
        key, eq, value = word.partition("=")
        out.append((key, value if eq else None))
    return out


def _masks(pairs: list[tuple[str, str | None]], line: int) -> list[Mask]:
    masks: list[Mask] = []
    for key, value in pairs:
        if key == "mask":
            try:
                masks.append(Mask(re.compile(value or "", re.M)))
            except re.error as err:
                raise DocError(line, f"mask {value!r}: {err}") from None
        elif key == "with":
            if not masks:
                raise DocError(line, "'with' without a 'mask' before it")
            masks[-1].replacement = value or ""
    return masks


class _Directives:
    """Directive comments as they are read: settings go to the document at once,
    block options wait for the next console block."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.pending: list[tuple[int, list[tuple[str, str | None]]]] = []

    def read(self, body: str, line: int) -> Setup | None:
        first, _, rest = body.partition("\n")
        head = first.strip().removeprefix(":").strip()
        if head.split()[:1] == ["setup"]:
            commands = [c.strip() for c in (head[len("setup"):] + "\n" + rest).splitlines()]
            return Setup(line, [c for c in commands if c and not c.startswith("#")])
        pairs = _words(body.removeprefix(":"), line)
        if any(k in SETTINGS for k, _ in pairs):
            self._settings(pairs, line)
        else:
            for key, value in pairs:
                if key not in BLOCK_FLAGS + BLOCK_KEYS:
                    raise DocError(line, f"unknown directive '{key}'")
            self.pending.append((line, pairs))
        return None

    def _settings(self, pairs: list[tuple[str, str | None]], line: int) -> None:
        for key, value in pairs:
            if key in SETTINGS:
                if not value:
                    raise DocError(line, f"'{key}' needs a value ({key}=...)")
                if key == "seed" and not value.isdigit():
                    raise DocError(line, f"seed '{value}' is not a number")
                if key == "think" and not _seconds(value):
                    raise DocError(line, f"think={value}: not a number of seconds")
                self.doc.settings[key] = value
            elif key not in ("mask", "with"):
                raise DocError(line, f"'{key}' is a block option: put it in a comment of "
                               "its own before the block")
        self.doc.masks += _masks(pairs, line)

    def attach(self, block: Block) -> None:
        for line, pairs in self.pending:
            for key, value in pairs:
                if key in BLOCK_FLAGS:
                    setattr(block, key, True)
                elif key in ("id", "start", "stop"):
                    if not value:
                        raise DocError(line, f"'{key}' needs a value ({key}=NAME)")
                    setattr(block, key, value)
                elif key == "cut":
                    if not value or not value.isdigit():
                        raise DocError(line, "cut needs a number of lines (cut=N)")
                    block.cut = int(value)
            block.masks += _masks(pairs, line)
        self.pending = []

    def finish(self) -> None:
        if self.pending:
            raise DocError(self.pending[0][0], "directive before no console block")


def _seconds(text: str) -> bool:
    try:
        return 0 <= float(text) < 86400
    except ValueError:
        return False


def _comment(lines: list[str], i: int) -> tuple[str, int]:
    """The body of the comment starting at lines[i] (after `<!-- ipemu`, before
    `-->`) and the index of its last line."""
    first = DIRECTIVE_RE.match(lines[i])
    text = lines[i][first.end():]
    j = i
    while "-->" not in text and j + 1 < len(lines):
        j += 1
        text += lines[j]
    if "-->" not in text:
        raise DocError(i + 1, "directive comment is not closed with -->")
    return text[:text.index("-->")].rstrip(), j


# ------------------------------------------------------------------ Markdown
def _prompt(text: str) -> tuple[str, str] | None:
    """(prompt, command) when `text` is a prompt line."""
    m = PROMPT_RE.match(text) or SIMPLE_PROMPT_RE.match(text)
    if not m:
        return None
    return text[:m.end()], text[m.end():].rstrip("\n").rstrip()


class _Builder:
    def __init__(self, path: str):
        self.doc = Document(path)
        self.literal: list[str] = []
        self.slot: Slot | None = None

    def text(self, line: str) -> None:
        if self.slot is not None:
            self.slot.output += line
        else:
            self.literal.append(line)

    def prompt(self, line: str, prompt: str, command: str, indent: str, number: int,
               block: Block, pad_empty: bool = False) -> None:
        self.end_slot()
        self.literal.append(line)
        self.doc.parts.append("".join(self.literal))
        self.literal = []
        self.slot = Slot(prompt, command, "", indent, number, pad_empty)
        block.slots.append(len(self.doc.slots))
        self.doc.parts.append(len(self.doc.slots))
        self.doc.slots.append(self.slot)
        m = PROMPT_RE.match(prompt)
        if m and self.doc.hostname is None:
            self.doc.hostname = m.group(2)

    def end_slot(self) -> None:
        self.slot = None

    def finish(self) -> Document:
        self.end_slot()
        if self.literal:
            self.doc.parts.append("".join(self.literal))
        return self.doc


def _front_matter(lines: list[str], directives: _Directives, b: _Builder) -> int:
    """Front matter (`---` ... `---`): an `ipemu:` line holds directive words."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for j in range(1, len(lines)):
        if lines[j].rstrip() in ("---", "..."):
            for k in range(1, j):
                if lines[k].startswith("ipemu:"):
                    directives.read(lines[k][len("ipemu:"):], k + 1)
            for k in range(j + 1):
                b.text(lines[k])
            return j + 1
    return 0


def parse_markdown(text: str, path: str = "<document>") -> Document:
    lines = text.splitlines(keepends=True)
    b = _Builder(path)
    directives = _Directives(b.doc)
    i = _front_matter(lines, directives, b)
    while i < len(lines):
        line = lines[i]
        fence = FENCE_RE.match(line.rstrip("\n"))
        if fence and not (fence.group(2)[0] == "`" and "`" in fence.group(3)):
            i = _fence(lines, i, fence, b, directives)
            continue
        if DIRECTIVE_RE.match(line):
            body, end = _comment(lines, i)
            setup = directives.read(body, i + 1)
            if setup is not None:
                b.doc.items.append(setup)
            for k in range(i, end + 1):
                b.text(lines[k])
            i = end + 1
            continue
        b.text(line)
        i += 1
    directives.finish()
    return b.finish()


def _closes(line: str, marker: str) -> bool:
    m = FENCE_RE.match(line.rstrip("\n"))
    return bool(m) and m.group(2)[0] == marker[0] and len(m.group(2)) >= len(marker) \
        and not m.group(3).strip()


def _fence(lines: list[str], i: int, fence: re.Match, b: _Builder,
           directives: _Directives) -> int:
    """Read the fenced block opening at lines[i]; returns the index after it."""
    indent, marker, info = fence.group(1), fence.group(2), fence.group(3).strip()
    console = info.split()[:1] == ["console"]
    block = Block(i + 1)
    if console:
        directives.attach(block)
        b.doc.items.append(block)
    b.text(lines[i])
    j = i + 1
    while j < len(lines) and not _closes(lines[j], marker):
        line = lines[j]
        found = _prompt(_dedent(line, len(indent))) if console and not block.skip else None
        if found:
            b.prompt(line, found[0], found[1], indent, j + 1, block)
        else:
            b.text(line)
        j += 1
    b.end_slot()
    if j < len(lines):
        b.text(lines[j])
    return j + 1


def _dedent(line: str, width: int) -> str:
    """A fenced line without the fence's indent (CommonMark strips up to that many)."""
    k = 0
    while k < width and k < len(line) and line[k] == " ":
        k += 1
    return line[k:]


# ------------------------------------------------------------------ cram
def parse_cram(text: str, path: str = "<document>") -> Document:
    """A cram/prysk test: `  $ CMD`, two-space output, comments elsewhere. A run of
    commands not broken by a comment line is one block."""
    lines = text.splitlines(keepends=True)
    b = _Builder(path)
    directives = _Directives(b.doc)
    block: Block | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(CRAM_COMMAND):
            if block is None:
                block = Block(i + 1)
                directives.attach(block)
                b.doc.items.append(block)
            b.prompt(line, "$ ", line[len(CRAM_COMMAND):].rstrip("\n").rstrip(), "  ",
                     i + 1, block, pad_empty=True)
        elif line.startswith("  ") and b.slot is not None:
            b.text(line)
        elif DIRECTIVE_RE.match(line):
            b.end_slot()
            block = None
            body, end = _comment(lines, i)
            setup = directives.read(body, i + 1)
            if setup is not None:
                b.doc.items.append(setup)
            for k in range(i, end + 1):
                b.text(lines[k])
            i = end + 1
            continue
        else:
            b.end_slot()
            block = None
            b.text(line)
        i += 1
    directives.finish()
    return b.finish()


def parse(text: str, path: str = "<document>") -> Document:
    if str(path).endswith(".t"):
        return parse_cram(text, path)
    return parse_markdown(text, path)
