"""GNU sed 4.9 as scripts use it (sed/compile.c, sed/execute.c): -n, -e, -f, -E/-r,
-i[SUFFIX], -s; addresses (N, $, /re/ and \\cREc with I, first~step, ranges with N,
/re/ and +N, `!`); the commands s (g p N I and & \\1..\\9 \\n in the replacement), y,
p P d D q Q n N g G h H x = a i c b t T : { } and #; the error texts of compile.c."""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.plainclass import dataclass, field
from ipemu.tools.context import ToolContext
from ipemu.tools.posixre import RegexError, translate
from ipemu.tools.textio import read_input

USAGE = """\
Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
"""



# convert_number() and normalize_text(TEXT_REGEX) of GNU sed's compile.c run before
# regcomp() and know nothing of brackets: `[ \t]` holds a tab, `[\n]` a newline,
# `[\x41]` an A, where a backslash before any other character stays for regcomp(),
# which takes it literally inside a bracket (recorded: userland/sed_bracket_escapes)
_SED_CHAR_ESCAPES = {"t": "\t", "n": "\n", "f": "\f", "v": "\v", "r": "\r", "a": "\a"}


def _bracket_escapes(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "\\" or i + 1 >= len(text):
            out.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt in _SED_CHAR_ESCAPES:
            out.append(_SED_CHAR_ESCAPES[nxt])
            i += 2
            continue
        number = _sed_number(text, i + 1)
        if number is not None:
            out.append(number[0])
            i = number[1]
            continue
        out.append(text[i:i + 2])
        i += 2
    return "".join(out)


def _sed_number(text: str, i: int) -> tuple[str, int] | None:
    """convert_number(): `\\dNNN` decimal, `\\oNNN` octal, `\\xHH` hex (at most
    3, 3 and 2 digits); None when no digit follows."""
    base, digits, width = {"d": (10, "0123456789", 3), "o": (8, "01234567", 3),
                           "x": (16, "0123456789abcdefABCDEF", 2)}.get(text[i], (0, "", 0))
    j = i + 1
    while j < len(text) and j - i - 1 < width and text[j] in digits:
        j += 1
    if not base or j == i + 1:
        return None
    return chr(int(text[i + 1:j], base) & 0xff), j

class SedError(Exception):
    pass


@dataclass
class Address:
    kind: str                  # "line", "last", "re", "step", "plus"
    value: object = None
    step: int = 0


@dataclass
class Command:
    name: str
    addr1: Address | None = None
    addr2: Address | None = None
    negate: bool = False
    args: dict = field(default_factory=dict)
    # a range's state: active, and the line it ends on (numbers, +N)
    active: bool = False
    end_line: int = 0


class _Script:
    """compile.c: the text of one -e expression turned into commands."""

    def __init__(self, text: str, number: int, extended: bool, commands: list[Command],
                 blocks: list[int]):
        self.text = text
        self.pos = 0
        self.number = number
        self.extended = extended
        self.commands = commands
        self.blocks = blocks

    def fail(self, message: str) -> SedError:
        return SedError(f"sed: -e expression #{self.number}, char {self.pos}: {message}\n")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def get(self) -> str:
        ch = self.peek()
        self.pos += 1 if ch else 0
        return ch

    def skip_space(self) -> None:
        while self.peek() in (" ", "\t"):
            self.pos += 1

    def regex(self, delim: str) -> str:
        """Up to the closing delimiter (`\\delim` is the delimiter itself, `\\n` a
        newline); raises 'unterminated address regex' to the caller's text."""
        out = []
        while True:
            ch = self.get()
            if ch == "":
                raise EOFError
            if ch == "\\":
                nxt = self.get()
                if nxt == "":
                    raise EOFError
                if nxt == delim and delim != "\n":
                    out.append(delim if delim not in ".*[]^$\\+?(){}|" else "\\" + delim)
                elif nxt == "n":
                    out.append("\n")
                else:
                    out.append("\\" + nxt)
                continue
            if ch == "[":
                # a bracket expression may hold the delimiter
                j = self.pos
                if self.text[j:j + 1] == "^":
                    j += 1
                if self.text[j:j + 1] == "]":
                    j += 1
                close = self.text.find("]", j)
                if close >= 0 and "\n" not in self.text[self.pos:close]:
                    out.append(_bracket_escapes(self.text[self.pos - 1:close + 1]))
                    self.pos = close + 1
                    continue
            if ch == delim:
                return "".join(out)
            out.append(ch)

    def compile_re(self, pattern: str, flags: str) -> re.Pattern | None:
        if pattern == "":
            return None        # the last regex used
        try:
            return re.compile(translate(pattern, self.extended, unicode=True),
                              re.IGNORECASE if "I" in flags else 0)
        except (RegexError, re.error) as err:
            raise self.fail(str(err) if isinstance(err, RegexError) else
                            "Invalid regular expression")

    def address(self) -> Address | None:
        ch = self.peek()
        if ch.isdigit():
            m = re.match(r"\d+", self.text[self.pos:])
            self.pos += len(m.group(0))
            if self.peek() == "~":
                self.pos += 1
                s = re.match(r"\d*", self.text[self.pos:]).group(0)
                self.pos += len(s)
                return Address("step", int(m.group(0)), int(s or 0))
            return Address("line", int(m.group(0)))
        if ch == "$":
            self.pos += 1
            return Address("last")
        if ch in ("/", "\\"):
            self.pos += 1
            delim = "/" if ch == "/" else self.get()
            try:
                pattern = self.regex(delim)
            except EOFError:
                raise self.fail("unterminated address regex")
            flags = ""
            while self.peek() in ("I", "M"):
                flags += self.get()
            return Address("re", self.compile_re(pattern, flags))
        return None

    def text_arg(self) -> str:
        """a/i/c text: `a\\` then the next line, or GNU's one-liner `a text`."""
        self.skip_space()
        if self.peek() == "\\":
            self.pos += 1
            if self.peek() == "\n":
                self.pos += 1
            else:
                self.skip_space()
        out = []
        while self.pos < len(self.text):
            ch = self.get()
            if ch == "\\":
                nxt = self.get()
                out.append(nxt)
                continue
            if ch == "\n":
                break
            out.append(ch)
        return "".join(out)

    def filename(self) -> str:
        """r/R/w/W FILE (and s///w FILE): the rest of the line, `;` and all."""
        self.skip_space()
        m = re.match(r"[^\n]*", self.text[self.pos:])
        self.pos += len(m.group(0))
        if self.peek() == "\n":
            self.pos += 1
        if not m.group(0):
            raise self.fail("missing filename in r/R/w/W commands")
        return m.group(0)

    def label(self) -> str:
        self.skip_space()
        m = re.match(r"[^;\n]*", self.text[self.pos:])
        self.pos += len(m.group(0))
        return m.group(0).strip()

    def end_of_command(self) -> None:
        self.skip_space()
        ch = self.peek()
        if ch in ("", "\n", ";"):
            self.pos += 1 if ch else 0
            return
        if ch in ("}", "#"):
            return
        self.pos += 1
        raise self.fail(f"extra characters after command")

    def parse(self) -> None:
        while True:
            while self.peek() in (" ", "\t", "\n", ";"):
                self.pos += 1
            if self.pos >= len(self.text):
                return
            cmd = Command("")
            cmd.addr1 = self.address()
            if cmd.addr1 is not None:
                self.skip_space()
                if self.peek() == ",":
                    self.pos += 1
                    self.skip_space()
                    if self.peek() == "+":
                        self.pos += 1
                        m = re.match(r"\d+", self.text[self.pos:])
                        if not m:
                            raise self.fail("expected newer version of sed")
                        self.pos += len(m.group(0))
                        cmd.addr2 = Address("plus", int(m.group(0)))
                    else:
                        cmd.addr2 = self.address()
                        if cmd.addr2 is None:
                            self.pos += 1
                            raise self.fail("unexpected `,'")
            self.skip_space()
            while self.peek() == "!":
                self.pos += 1
                cmd.negate = True
                self.skip_space()
            name = self.get()
            cmd.name = name
            if name == "":
                raise self.fail("missing command")
            if name == "#":
                while self.peek() not in ("", "\n"):
                    self.pos += 1
                continue
            if name == "{":
                self.blocks.append(len(self.commands))
                self.commands.append(cmd)
                continue
            if name == "}":
                if cmd.addr1 is not None:
                    raise self.fail("} doesn't want any addresses")
                if not self.blocks:
                    raise self.fail("unexpected `}'")
                self.commands[self.blocks.pop()].args["end"] = len(self.commands) + 1
                self.commands.append(cmd)
                self.end_of_command()
                continue
            if name in ("a", "i", "c"):
                cmd.args["text"] = self.text_arg()
            elif name in (":",):
                if cmd.addr1 is not None:
                    raise self.fail(": doesn't want any addresses")
                cmd.args["label"] = self.label()
                if not cmd.args["label"]:
                    raise self.fail("\":\" lacks a label")
                if self.peek() == ";":
                    self.pos += 1
            elif name in ("b", "t", "T"):
                cmd.args["label"] = self.label()
                if self.peek() == ";":
                    self.pos += 1
            elif name in ("q", "Q", "l", "L"):
                # q/Q take an exit status, l a line length (compile.c in_integer())
                self.skip_space()
                m = re.match(r"\d*", self.text[self.pos:])
                self.pos += len(m.group(0))
                cmd.args["status"] = int(m.group(0) or 0)
                cmd.args["width"] = int(m.group(0)) if m.group(0) else None
                self.end_of_command()
            elif name in ("r", "R", "w", "W"):
                cmd.args["file"] = self.filename()
            elif name == "s":
                self.substitute(cmd)
            elif name == "y":
                self.transliterate(cmd)
            elif name in "=dDgGhHlnNpPxz":
                self.end_of_command()
            else:
                raise self.fail(f"unknown command: `{name}'")
            self.commands.append(cmd)

    def substitute(self, cmd: Command) -> None:
        delim = self.get()
        if delim in ("", "\n", "\\"):
            raise self.fail("unterminated `s' command")
        try:
            pattern = self.regex(delim)
        except EOFError:
            raise self.fail("unterminated `s' command")
        replacement = []
        while True:
            ch = self.get()
            if ch == "":
                raise self.fail("unterminated `s' command")
            if ch == "\\":
                nxt = self.get()
                if nxt == "":
                    raise self.fail("unterminated `s' command")
                replacement.append(("lit", delim) if nxt == delim else
                                   ("lit", "\n") if nxt in ("n", "\n") else
                                   ("lit", "\t") if nxt == "t" else
                                   ("group", int(nxt)) if nxt.isdigit() else
                                   ("lit", "&") if nxt == "&" else ("lit", nxt))
                continue
            if ch == delim:
                break
            replacement.append(("group", 0) if ch == "&" else ("lit", ch))
        flags = {"g": False, "p": False, "n": 1, "I": False}
        while True:
            ch = self.peek()
            if ch == "g":
                flags["g"] = True
            elif ch == "p":
                flags["p"] = True
            elif ch in ("i", "I"):
                flags["I"] = True
            elif ch.isdigit():
                m = re.match(r"\d+", self.text[self.pos:])
                flags["n"] = int(m.group(0))
                if flags["n"] == 0:
                    self.pos += len(m.group(0))
                    raise self.fail("number option to `s' command may not be zero")
                self.pos += len(m.group(0)) - 1
            elif ch in ("m", "M", "e"):
                pass
            elif ch == "w":
                self.pos += 1
                cmd.args["file"] = self.filename()
                break
            elif ch in ("", "\n", ";", " ", "\t", "}", "#"):
                break
            else:
                self.pos += 1
                raise self.fail("unknown option to `s'")
            self.pos += 1
        if "file" not in cmd.args:
            self.end_of_command()
        cmd.args.update(regex=self.compile_re(pattern, "I" if flags["I"] else ""),
                        replacement=replacement, **flags)
        # the highest group the replacement names must exist in the regex
        groups = max((v for k, v in replacement if k == "group"), default=0)
        regex = cmd.args["regex"]
        if regex is not None and groups > regex.groups:
            raise self.fail(f"invalid reference \\{groups} on `s' command's RHS")

    def transliterate(self, cmd: Command) -> None:
        delim = self.get()
        parts = []
        for _ in range(2):
            out = []
            while True:
                ch = self.get()
                if ch == "":
                    raise self.fail("unterminated `y' command")
                if ch == "\\":
                    nxt = self.get()
                    out.append("\n" if nxt == "n" else nxt)
                    continue
                if ch == delim:
                    break
                out.append(ch)
            parts.append("".join(out))
        if len(parts[0]) != len(parts[1]):
            raise self.fail("strings for `y' command are different lengths")
        self.end_of_command()
        cmd.args["table"] = str.maketrans(parts[0], parts[1])


@dataclass
class _Quit(Exception):
    status: int
    print_space: bool


class _Runner:
    """execute.c: the cycle over the input lines."""

    def __init__(self, ctx: ToolContext, commands: list[Command], quiet: bool,
                 inputs: list[tuple[str, list[str]]], sep: str = "\n",
                 chomped: bool = True, width: int = 70):
        self.ctx = ctx
        self.sep = sep              # -z: records end in NUL (buffer_delimiter)
        self.chomped = chomped      # the last record had its delimiter
        self.width = width          # -l N: where `l` wraps
        self.unterminated = -1      # out's length after the last record's own print
        self.commands = commands
        self.quiet = quiet
        self.lines = [ln for _, lines in inputs for ln in lines]
        self.index = 0
        self.line_no = 0
        self.hold = ""
        self.last_regex: re.Pattern | None = None
        self.out: list[str] = []
        self.append_queue: list = []      # a/r/R text to write after the cycle
        self.read_files: dict[str, list[str]] = {}   # R: the lines left of each file
        self.labels = {c.args["label"]: i for i, c in enumerate(commands) if c.name == ":"}

    def regex(self, regex: re.Pattern | None) -> re.Pattern:
        if regex is None:
            if self.last_regex is None:
                raise SedError("sed: no previous regular expression\n")
            return self.last_regex
        self.last_regex = regex
        return regex

    def is_last(self) -> bool:
        return self.index >= len(self.lines)

    def match_one(self, addr: Address, space: str) -> bool:
        if addr.kind == "line":
            return self.line_no == addr.value
        if addr.kind == "last":
            return self.is_last()
        if addr.kind == "step":
            if addr.step <= 0:
                return self.line_no == addr.value
            return self.line_no >= addr.value and (self.line_no - addr.value) % addr.step == 0
        return bool(self.regex(addr.value).search(space))

    def selected(self, cmd: Command, space: str) -> bool:
        if cmd.addr1 is None:
            return not cmd.negate
        if cmd.addr2 is None:
            return self.match_one(cmd.addr1, space) != cmd.negate
        if cmd.active:
            end = cmd.addr2
            if end.kind in ("line", "plus"):
                if self.line_no >= cmd.end_line:
                    cmd.active = False
                hit = self.line_no <= cmd.end_line or True
            else:
                if self.match_one(end, space):
                    cmd.active = False
                hit = True
            return hit != cmd.negate
        if self.match_one(cmd.addr1, space):
            end = cmd.addr2
            if end.kind == "line":
                cmd.active = end.value > self.line_no
                cmd.end_line = end.value
            elif end.kind == "plus":
                cmd.end_line = self.line_no + end.value
                cmd.active = end.value > 0
            elif end.kind == "last":
                cmd.active = not self.is_last()
            else:
                cmd.active = True
            return not cmd.negate
        return cmd.negate

    def emit(self, text: str, space_print: bool = True) -> None:
        self.out.append(text + self.sep)
        if space_print and not self.chomped and self.index == len(self.lines):
            self.unterminated = len(self.out)

    def finish(self) -> str:
        """output_missing_newline(): the last record printed without the delimiter it
        lacked, unless something was written after it."""
        if self.unterminated == len(self.out) and self.out:
            self.out[-1] = self.out[-1][:-len(self.sep)]
        return "".join(self.out)

    def flush_appends(self) -> None:
        if self.append_queue:
            self.unterminated = -1      # dump_append()'s output_missing_newline()
        for item in self.append_queue:
            self.out.append(item[1] if isinstance(item, tuple) else item + "\n")
        self.append_queue = []

    def write_file(self, name: str, text: str) -> None:
        """w FILE: the line goes out at once (/dev/stdout and /dev/stderr are GNU's)."""
        if name == "/dev/stdout":
            self.out.append(text + "\n")
        elif name == "/dev/stderr":
            self.ctx.term.err(text + "\n")
        else:
            self.ctx.session.write_file(name, (text + "\n").encode(), append=True)

    def _file_text(self, name: str) -> str | None:
        try:
            return read_input(self.ctx, name) if name != "/dev/stdin" else None
        except OSError:
            return None                 # r of a file that is not there reads nothing

    def run(self) -> int:
        while not self.is_last():
            space = self.lines[self.index]
            self.index += 1
            self.line_no += 1
            try:
                space, printed = self.cycle(space)
            except _Quit as quit:
                if quit.print_space and not self.quiet:
                    # q's print always ends in the delimiter (execute.c case 'q')
                    self.emit(self.space, space_print=False)
                self.flush_appends()
                return quit.status
            if printed and not self.quiet:
                self.emit(space)
            self.flush_appends()
        return 0

    def cycle(self, space: str) -> tuple[str, bool]:
        """Run the script on one pattern space; returns it and whether autoprint
        applies (False after d/D)."""
        pc = 0
        replaced = False
        commands = self.commands
        while pc < len(commands):
            cmd = commands[pc]
            self.space = space
            if cmd.name == "}" or cmd.name == ":":
                pc += 1
                continue
            if not self.selected(cmd, space):
                pc = cmd.args.get("end", pc + 1) if cmd.name == "{" else pc + 1
                continue
            name = cmd.name
            pc += 1
            if name == "{":
                continue
            if name == "s":
                space, did = self.substitute(cmd, space)
                replaced |= did
            elif name == "y":
                space = space.translate(cmd.args["table"])
            elif name == "p":
                self.emit(space)
            elif name == "P":
                # P of a space with no newline prints it as the cycle's print would
                self.emit(space.split("\n", 1)[0], space_print="\n" not in space)
            elif name == "d":
                return space, False
            elif name == "D":
                if "\n" not in space:
                    return space, False
                space = space.split("\n", 1)[1]
                pc = 0
                continue
            elif name == "=":
                self.out.append(f"{self.line_no}\n")
            elif name == "a":
                self.append_queue.append(cmd.args["text"])
            elif name == "r":
                text = self._file_text(cmd.args["file"])
                if text:
                    self.append_queue.append(("raw", text))
            elif name == "R":
                name_ = cmd.args["file"]
                if name_ not in self.read_files:
                    text = self._file_text(name_) or ""
                    self.read_files[name_] = text.split("\n")[:-1] if text.endswith("\n") \
                        else text.split("\n") if text else []
                if self.read_files[name_]:
                    self.append_queue.append(self.read_files[name_].pop(0))
            elif name == "w":
                self.write_file(cmd.args["file"], space)
            elif name == "W":
                self.write_file(cmd.args["file"], space.split("\n", 1)[0])
            elif name == "i":
                self.emit(cmd.args["text"])
            elif name == "c":
                if cmd.addr2 is None or not cmd.active or cmd.negate:
                    self.emit(cmd.args["text"])
                return space, False
            elif name in ("q", "Q"):
                self.space = space
                raise _Quit(cmd.args["status"], name == "q")
            elif name == "n":
                if self.is_last():
                    return space, True
                if not self.quiet:
                    self.emit(space)
                self.flush_appends()
                space = self.lines[self.index]
                self.index += 1
                self.line_no += 1
            elif name == "N":
                if self.is_last():
                    return space, True      # GNU prints the pattern space
                space += "\n" + self.lines[self.index]
                self.index += 1
                self.line_no += 1
            elif name == "g":
                space = self.hold
            elif name == "G":
                space += "\n" + self.hold
            elif name == "h":
                self.hold = space
            elif name == "H":
                self.hold += "\n" + space
            elif name == "x":
                space, self.hold = self.hold, space
            elif name == "z":
                space = ""
            elif name == "l":
                width = cmd.args.get("width")
                self.out.append(_wrapped(_visible(space), self.width if width is None
                                         else width))
            elif name in ("b", "t", "T"):
                jump = name == "b" or (name == "t" and replaced) or (name == "T" and not replaced)
                if name in ("t", "T"):
                    replaced = False
                if jump:
                    label = cmd.args["label"]
                    if not label:
                        return space, True
                    pc = self.labels[label]
        return space, True

    def substitute(self, cmd: Command, space: str) -> tuple[str, bool]:
        regex = self.regex(cmd.args["regex"])
        out = []
        pos = 0
        count = 0
        done = False
        for m in regex.finditer(space):
            count += 1
            if count < cmd.args["n"]:
                continue
            out.append(space[pos:m.start()])
            out.append("".join(value if kind == "lit" else (m.group(value) or "")
                               for kind, value in cmd.args["replacement"]))
            pos = m.end()
            done = True
            if not cmd.args["g"]:
                break
        if not done:
            return space, False
        out.append(space[pos:])
        space = "".join(out)
        if cmd.args["p"]:
            self.emit(space)
        if "file" in cmd.args:
            self.write_file(cmd.args["file"], space)
        return space, True


def _wrapped(text: str, width: int) -> str:
    """output_line() of `l`: lines of width-1 characters ending in a backslash
    (0: no wrapping); an escape is never cut."""
    if width == 0:
        return text + "\n"
    out, line = [], ""
    pieces = re.findall(r"\\[0-7]{3}|\\.|.", text[:-1], re.S) + ["$"]
    for piece in pieces:
        if len(line) + len(piece) > width - 1 and piece != "$":
            out.append(line + "\\\n")
            line = ""
        line += piece
    out.append(line + "\n")
    return "".join(out)


def _visible(text: str) -> str:
    """The `l` command's unambiguous form."""
    out = []
    for ch in text:
        out.append({"\\": "\\\\", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n",
                    "\r": "\\r", "\t": "\\t", "\v": "\\v"}.get(
            ch, ch if ch.isprintable() else "\\%03o" % ord(ch)))
    return "".join(out) + "$"


def main(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    scripts: list[str] = []
    files: list[str] = []
    quiet = extended = separate = False
    in_place: str | None = None
    sep, width = "\n", 70
    while args:
        arg = args.pop(0)
        if arg == "--":
            files.extend(args)
            break
        if arg in ("--help",):
            ctx.term.out(USAGE)
            return 0
        if arg.startswith("--"):
            long_opts = {"--quiet": "n", "--silent": "n", "--regexp-extended": "E",
                         "--separate": "s", "--in-place": "i", "--debug": "", "--posix": "",
                         "--sandbox": "", "--unbuffered": "", "--follow-symlinks": "",
                         "--null-data": "z", "--zero-terminated": "z"}
            name, eq, value = arg.partition("=")
            if name in ("--expression", "--file", "--line-length"):
                if not eq:
                    if not args:
                        ctx.term.err(f"sed: option '{name}' requires an argument\n" + USAGE)
                        return 1
                    value = args.pop(0)
                if name == "--expression":
                    scripts.append(value)
                elif name == "--line-length":
                    width = int(value) if value.isdigit() else width
                else:
                    try:
                        scripts.append(read_input(ctx, value).rstrip("\n"))
                    except OSError as err:
                        ctx.term.err(f"sed: couldn't open file {value}: {err.strerror}\n")
                        return 1
                continue
            if name not in long_opts:
                ctx.term.err(f"sed: unrecognized option '{arg}'\n" + USAGE)
                return 1
            letter = long_opts[name]
            quiet |= letter == "n"
            extended |= letter == "E"
            separate |= letter == "s"
            if letter == "z":
                sep = "\0"
            if letter == "i":
                in_place = value
            continue
        if not arg.startswith("-") or arg == "-":
            files.append(arg)
            continue
        i = 1
        while i < len(arg):
            letter = arg[i]
            if letter == "n":
                quiet = True
            elif letter in "Er":
                extended = True
            elif letter == "s":
                separate = True
            elif letter == "u":
                pass
            elif letter == "z":
                sep = "\0"
            elif letter == "l":
                value = arg[i + 1:] or (args.pop(0) if args else "")
                width = int(value) if value.isdigit() else width
                break
            elif letter == "i":
                in_place = arg[i + 1:]
                break
            elif letter in "ef":
                value = arg[i + 1:] or (args.pop(0) if args else None)
                if value is None:
                    ctx.term.err(f"sed: option requires an argument -- '{letter}'\n" + USAGE)
                    return 1
                if letter == "e":
                    scripts.append(value)
                else:
                    try:
                        scripts.append(read_input(ctx, value).rstrip("\n"))
                    except OSError as err:
                        ctx.term.err(f"sed: couldn't open file {value}: {err.strerror}\n")
                        return 1
                break
            else:
                ctx.term.err(f"sed: invalid option -- '{letter}'\n" + USAGE)
                return 1
            i += 1
    if not scripts:
        if not files:
            ctx.term.err(USAGE)
            return 1
        scripts.append(files.pop(0))
    commands: list[Command] = []
    blocks: list[int] = []
    try:
        for number, text in enumerate(scripts, 1):
            _Script(text, number, extended, commands, blocks).parse()
        if blocks:
            raise SedError(f"sed: -e expression #{len(scripts)}, char 0: unmatched `{{'\n")
        for cmd in commands:
            label = cmd.args.get("label")
            if cmd.name in "btT" and label and label not in \
                    {c.args["label"] for c in commands if c.name == ":"}:
                raise SedError(f"sed: can't find label for jump to `{label}'\n")
    except SedError as err:
        raise CommandError(str(err), 1)
    return _run(ctx, commands, quiet, files, in_place, separate, sep, width)


def _run(ctx: ToolContext, commands: list[Command], quiet: bool, files: list[str],
         in_place: str | None, separate: bool, sep: str = "\n", width: int = 70) -> int:
    # compile.c opens every w file (truncating it) before any input is read
    for cmd in commands:
        name = cmd.args.get("file")
        if cmd.name in ("w", "W", "s") and name and name not in ("/dev/stdout", "/dev/stderr"):
            try:
                ctx.session.write_file(name, b"")
            except OSError as err:
                raise CommandError(f"sed: couldn't open file {name}: {err.strerror}\n", 4)
    status = 0
    inputs: list[tuple[str, list[str]]] = []
    chomped: dict[str, bool] = {}
    for name in files or ["-"]:
        try:
            text = read_input(ctx, name)
        except IsADirectoryError:
            ctx.term.err(f"sed: couldn't edit {name}: not a regular file\n" if in_place
                         is not None else f"sed: read error on {name}: Is a directory\n")
            status = 2 if in_place is None else 4
            continue
        except OSError as err:
            ctx.term.err(f"sed: can't read {name}: {err.strerror}\n")
            status = 2
            continue
        inputs.append((name, text.split(sep)[:-1] if text.endswith(sep)
                       else text.split(sep) if text else []))
        chomped[name] = text.endswith(sep) or not text
    try:
        if in_place is not None:
            for name, lines in inputs:
                runner = _Runner(ctx, commands, quiet, [(name, lines)])
                result = runner.run()
                if in_place:
                    ctx.session.write_file(name + in_place, "\n".join(lines).encode()
                                           + (b"\n" if lines else b""))
                ctx.session.write_file(name, "".join(runner.out).encode())
                for cmd in commands:
                    cmd.active = False
            return status
        groups = [[i] for i in inputs] if separate else [inputs]
        for group in groups:
            runner = _Runner(ctx, commands, quiet, group, sep,
                             chomped.get(group[-1][0], True) if group else True, width)
            result = runner.run()
            ctx.term.out(runner.finish())
            if result:
                return result
    except SedError as err:
        raise CommandError(str(err), 4)
    return status
