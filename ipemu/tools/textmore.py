"""More of the filters and path tools scripts use, as Debian 12 prints them: coreutils
9.1's paste, tac, nl, fold, base64, md5sum/sha1sum/sha256sum, expr, readlink,
realpath and mktemp, and util-linux 2.38's rev. Each reads its operands or standard
input (textio.read_input) and reports errors in the tool's own words and quotes."""
from __future__ import annotations

import errno
import re

from ipemu.errors import CommandError
from ipemu.output import decode, encode
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input, split_lines


def main(ctx: ToolContext, argv: list[str]) -> int:
    return COMMANDS[argv[0]](ctx, argv)


def _read(ctx: ToolContext, name: str, failure: str) -> str | None:
    """An operand's text, or None after printing `failure` (with {name}, {why})."""
    try:
        return read_input(ctx, name)
    except OSError as err:
        why = "Is a directory" if isinstance(err, IsADirectoryError) else err.strerror
        ctx.term.err(failure.format(name=name, why=why))
        return None


def _texts(ctx: ToolContext, names: list[str], failure: str, failed: list[str]):
    """(name, text) of each operand (standard input without any) that opens; one that
    does not is reported with `failure` and added to `failed` (the status is then 1),
    in turn with the others' output."""
    for name in names or ["-"]:
        text = _read(ctx, name, failure)
        if text is None:
            failed.append(name)
        else:
            yield name, text


# --------------------------------------------------------------------- paste
def _delims(text: str) -> list[str]:
    """paste.c collapse_escapes(): \\n \\t \\\\ and \\0 (the empty string)."""
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            i += 1
            char = {"n": "\n", "t": "\t", "\\": "\\", "0": "", "b": "\b", "f": "\f",
                    "r": "\r", "v": "\v"}.get(text[i], text[i])
        out.append(char)
        i += 1
    return out or [""]


def paste(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = gnuopt.parse(argv[1:], "d:sz", {"delimiters=": "d", "serial": "s",
                                                  "zero-terminated": "z"}, "paste")
    delims = ["\t"]
    serial = False
    for letter, value in opts:
        if letter == "d":
            if value.endswith("\\") and not value.endswith("\\\\"):
                raise CommandError(f"paste: delimiter list ends with an unescaped "
                                   f"backslash: {value}\n", 1)
            delims = _delims(value)
        elif letter == "s":
            serial = True
    names = names or ["-"]
    texts = []
    stdin_lines: list[str] | None = None
    for name in names:
        text = _read(ctx, name, "paste: {name}: {why}\n")
        if text is None:
            return 1
        texts.append(text)
    if serial:
        for text in texts:
            lines = split_lines(text)
            out = ""
            for i, line in enumerate(lines):
                out += line + (delims[i % len(delims)] if i < len(lines) - 1 else "")
            ctx.term.out(out + "\n")
        return 0
    # `-` more than once reads standard input's lines in turn (paste - -)
    columns: list[list[str]] = []
    for name, text in zip(names, texts):
        if name == "-":
            if stdin_lines is None:
                stdin_lines = split_lines(text)
            columns.append(stdin_lines)
        else:
            columns.append(list(split_lines(text)))
    shared = [i for i, name in enumerate(names) if name == "-"]
    if len(shared) > 1:
        lines = stdin_lines or []
        rows = (len(lines) + len(shared) - 1) // len(shared)
        for k, column in enumerate(shared):
            columns[column] = [lines[r * len(shared) + k] if r * len(shared) + k < len(lines)
                               else "" for r in range(rows)]
    height = max((len(c) for c in columns), default=0)
    for row in range(height):
        out = ""
        for k, column in enumerate(columns):
            out += column[row] if row < len(column) else ""
            if k < len(columns) - 1:
                out += delims[k % len(delims)]
        ctx.term.out(out + "\n")
    return 0


# ------------------------------------------------------------------ rev, tac
def rev(ctx: ToolContext, argv: list[str]) -> int:
    _, names = gnuopt.parse(argv[1:], "0", {"zero": "0"}, "rev")
    failed: list[str] = []
    for name, text in _texts(ctx, names, "rev: cannot open {name}: {why}\n", failed):
        for line in text.splitlines(keepends=True):
            body = line.rstrip("\n")
            ctx.term.out(body[::-1] + line[len(body):])
    return 1 if failed else 0


def tac(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = gnuopt.parse(argv[1:], "brs:", {"before": "b", "regex": "r",
                                                  "separator=": "s"}, "tac")
    failed: list[str] = []
    for name, text in _texts(ctx, names, "tac: failed to open '{name}' for reading: {why}\n", failed):
        lines = text.split("\n")
        last = lines.pop()          # what follows the last newline (no newline)
        ctx.term.out(last + "".join(line + "\n" for line in reversed(lines)))
    return 1 if failed else 0


# ------------------------------------------------------------------------ nl
def nl(ctx: ToolContext, argv: list[str]) -> int:
    """nl.c with its defaults: body lines numbered when not empty (-b t), width 6,
    right aligned (-n rn), a tab after the number (-s); an unnumbered line gets the
    width plus the separator's length in blanks."""
    opts, names = gnuopt.parse(argv[1:], "b:d:f:h:i:l:n:ps:v:w:", {
        "body-numbering=": "b", "number-separator=": "s", "number-width=": "w",
        "number-format=": "n", "starting-line-number=": "v", "line-increment=": "i"}, "nl")
    style, sep, width, fmt, number, step = "t", "\t", 6, "rn", 1, 1
    for letter, value in opts:
        if letter == "b":
            if value not in ("a", "t", "n"):
                raise CommandError(f"nl: invalid body numbering style: ‘{value}’\n"
                                   + gnuopt.try_help("nl"), 1)
            style = value
        elif letter == "s":
            sep = value
        elif letter == "w":
            width = _positive(value, "nl", "line number field width")
        elif letter == "n":
            if value not in ("ln", "rn", "rz"):
                raise CommandError(f"nl: invalid line numbering format: ‘{value}’\n", 1)
            fmt = value
        elif letter == "v":
            number = _number(value, "starting line number")
        elif letter == "i":
            step = _number(value, "line number increment")
    failed: list[str] = []
    for name, text in _texts(ctx, names, "nl: {name}: {why}\n", failed):
        for line in split_lines(text):
            numbered = style == "a" or (style == "t" and line != "")
            if not numbered:
                ctx.term.out(" " * (width + len(sep)) + line + "\n")
                continue
            digits = str(number)
            field = digits.ljust(width) if fmt == "ln" else (
                digits.zfill(width) if fmt == "rz" else digits.rjust(width))
            ctx.term.out(field + sep + line + "\n")
            number += step
    return 1 if failed else 0


def _number(value: str, what: str) -> int:
    if not re.fullmatch(r"[-+]?\d+", value):
        raise CommandError(f"nl: invalid {what}: ‘{value}’\n", 1)
    return int(value)


def _positive(value: str, tool: str, what: str) -> int:
    if not value.isdigit() or int(value) == 0:
        raise CommandError(f"{tool}: invalid {what}: ‘{value}’\n", 1)
    return int(value)


# ---------------------------------------------------------------------- fold
def fold(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = gnuopt.parse(argv[1:], "bsw:", {"bytes": "b", "spaces": "s",
                                                  "width=": "w"}, "fold")
    width, spaces = 80, False
    for letter, value in opts:
        if letter == "w":
            if not value.isdigit() or int(value) == 0:
                raise CommandError(f"fold: invalid number of columns: ‘{value}’: "
                                   "Numerical result out of range\n" if value.isdigit() else
                                   f"fold: invalid number of columns: ‘{value}’\n", 1)
            width = int(value)
        elif letter == "s":
            spaces = True
    failed: list[str] = []
    for name, text in _texts(ctx, names, "fold: {name}: {why}\n", failed):
        for line in text.splitlines(keepends=True):
            body = line.rstrip("\n")
            # columns are bytes (coreutils 9.1's fold has no multibyte support)
            raw = body.encode("utf-8", "surrogateescape").decode("latin-1")
            folded = "".join(_fold(raw, width, spaces)).encode("latin-1")
            ctx.term.out(folded.decode("utf-8", "surrogateescape") + line[len(body):])
    return 1 if failed else 0


def _fold(line: str, width: int, spaces: bool):
    """fold_file(): break after `width` columns; with -s after the last blank
    within them, when there is one."""
    while len(line) > width:
        cut = width
        if spaces:
            blank = line.rfind(" ", 0, width)
            if blank >= 0:
                cut = blank + 1
        yield line[:cut] + "\n"
        line = line[cut:]
    yield line


# -------------------------------------------------------------------- base64
def base64(ctx: ToolContext, argv: list[str]) -> int:
    import binascii
    opts, names = gnuopt.parse(argv[1:], "diw:", {"decode": "d", "ignore-garbage": "i",
                                                  "wrap=": "w"}, "base64")
    if len(names) > 1:
        raise gnuopt.extra_operand("base64", names[1])
    letters = dict(opts)
    text = _read(ctx, names[0] if names else "-", "base64: {name}: {why}\n")
    if text is None:
        return 1
    data = encode(text)
    if "d" in letters:
        clean = re.sub(rb"[^A-Za-z0-9+/=]", b"", data) if "i" in letters else \
            data.replace(b"\n", b"")
        try:
            ctx.term.out(decode(binascii.a2b_base64(clean, strict_mode=True)))
        except binascii.Error:
            ctx.term.err("base64: invalid input\n")
            return 1
        return 0
    wrap = int(letters.get("w", "76") or 0)
    out = binascii.b2a_base64(data, newline=False).decode()
    if wrap:
        out = "".join(out[i:i + wrap] + "\n" for i in range(0, len(out), wrap))
    elif out:
        out += "\n"
    ctx.term.out(out)
    return 0


# ------------------------------------------------------------------ checksums
def checksum(ctx: ToolContext, argv: list[str]) -> int:
    """md5sum.c: `DIGEST  NAME` per operand (`-` for standard input)."""
    import hashlib
    tool = argv[0]
    algorithm = tool[:-3]
    _, names = gnuopt.parse(argv[1:], "bctwz", {"binary": "b", "check": "c", "text": "t",
                                                "warn": "w", "zero": "z", "tag": "--tag",
                                                "quiet": "--quiet", "status": "--status",
                                                "strict": "--strict"}, tool)
    failed: list[str] = []
    for name, text in _texts(ctx, names, tool + ": {name}: {why}\n", failed):
        digest = hashlib.new(algorithm, encode(text)).hexdigest()
        ctx.term.out(f"{digest}  {name}\n")
    return 1 if failed else 0


# ---------------------------------------------------------------------- expr
class _ExprError(Exception):
    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def _integer(value: str) -> int | None:
    """toarith(): an optional `-` and digits (no `+`, no blanks), C's digits only
    (recorded: `expr １ + 1` is a non-integer argument)."""
    return int(value) if re.fullmatch(r"(?a)-?\d+", value) else None


class _Expr:
    """expr.c's recursive descent: eval (|) > eval1 (&) > eval2 (comparisons) >
    eval3 (+ -) > eval4 (* / %) > eval5 (:) > eval6 (match, substr, index, length,
    + TOKEN) > eval7 (parentheses, a string)."""

    def __init__(self, args: list[str]) -> None:
        self.args, self.i = args, 0

    def _peek(self, word: str) -> bool:
        if self.i < len(self.args) and self.args[self.i] == word:
            self.i += 1
            return True
        return False

    def _end(self) -> bool:
        return self.i >= len(self.args)

    def eval(self) -> str:
        left = self.eval1()
        while self._peek("|"):
            right = self.eval1()
            if _null(left):
                left = right if not _null(right) else "0"
        return left

    def eval1(self) -> str:
        left = self.eval2()
        while self._peek("&"):
            right = self.eval2()
            if _null(left) or _null(right):
                left = "0"
        return left

    def eval2(self) -> str:
        left = self.eval3()
        while True:
            for op in ("<", "<=", "=", "==", "!=", ">=", ">"):
                if self._peek(op):
                    break
            else:
                return left
            right = self.eval3()
            a, b = _integer(left), _integer(right)
            if a is not None and b is not None:
                cmp = (a > b) - (a < b)
            else:
                cmp = (left > right) - (left < right)
            result = {"<": cmp < 0, "<=": cmp <= 0, "=": cmp == 0, "==": cmp == 0,
                      "!=": cmp != 0, ">=": cmp >= 0, ">": cmp > 0}[op]
            left = "1" if result else "0"

    def eval3(self) -> str:
        left = self.eval4()
        while True:
            if self._peek("+"):
                op = "+"
            elif self._peek("-"):
                op = "-"
            else:
                return left
            right = self.eval4()
            a, b = _integer(left), _integer(right)
            if a is None or b is None:
                raise _ExprError("expr: non-integer argument\n")
            left = str(a + b if op == "+" else a - b)

    def eval4(self) -> str:
        left = self.eval5()
        while True:
            for op in ("*", "/", "%"):
                if self._peek(op):
                    break
            else:
                return left
            right = self.eval5()
            a, b = _integer(left), _integer(right)
            if a is None or b is None:
                raise _ExprError("expr: non-integer argument\n")
            if op != "*" and b == 0:
                raise _ExprError("expr: division by zero\n")
            if op == "*":
                left = str(a * b)
            else:
                q = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
                left = str(q if op == "/" else a - q * b)

    def eval5(self) -> str:
        left = self.eval6()
        while self._peek(":"):
            right = self.eval6()
            left = _match(left, right)
        return left

    def eval6(self) -> str:
        if self._peek("+"):
            return self._token()
        if self._peek("length"):
            return str(len(self.eval6()))
        if self._peek("match"):
            text = self.eval6()
            return _match(text, self.eval6())
        if self._peek("index"):
            text, chars = self.eval6(), self.eval6()
            return str(next((i + 1 for i, c in enumerate(text) if c in chars), 0))
        if self._peek("substr"):
            text, pos, size = self.eval6(), self.eval6(), self.eval6()
            p, n = _integer(pos), _integer(size)
            if p is None or n is None or p <= 0 or n <= 0:
                return ""
            return text[p - 1:p - 1 + n]
        return self.eval7()

    def _token(self) -> str:
        if self._end():
            raise _ExprError(f"expr: syntax error: missing argument after "
                             f"‘{self.args[self.i - 1]}’\n")
        self.i += 1
        return self.args[self.i - 1]

    def eval7(self) -> str:
        if self._end():
            raise _ExprError(f"expr: syntax error: missing argument after "
                             f"‘{self.args[self.i - 1]}’\n")
        if self._peek("("):
            value = self.eval()
            if self._end():
                raise _ExprError(f"expr: syntax error: expecting ')' after "
                                 f"‘{self.args[self.i - 1]}’\n")
            if not self._peek(")"):
                raise _ExprError(f"expr: syntax error: expecting ')' instead of "
                                 f"‘{self.args[self.i]}’\n")
            return value
        if self.args[self.i] == ")":
            raise _ExprError("expr: syntax error: unexpected ')'\n")
        return self._token()


def _null(value: str) -> bool:
    """expr.c null(): the empty string, or an integer equal to 0 (`00`, `-0`)."""
    return value == "" or (_integer(value) == 0)


def _match(text: str, pattern: str) -> str:
    """docolon(): a BRE anchored at the start; the first group's text, else the
    length of the match (0 when none)."""
    from ipemu.tools import posixre
    try:
        regex = posixre.compile(pattern, extended=False)
    except posixre.RegexError as err:
        raise _ExprError(f"expr: {err}\n") from None
    found = regex.match(text)
    if regex.groups:
        return (found.group(1) or "") if found else ""
    return str(found.end()) if found else "0"


def expr(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        raise CommandError("expr: missing operand\n" + gnuopt.try_help("expr"), 2)
    parser = _Expr(args)
    try:
        value = parser.eval()
        if not parser._end():
            raise _ExprError(f"expr: syntax error: unexpected argument "
                             f"‘{args[parser.i]}’\n")
    except _ExprError as err:
        raise CommandError(err.message, err.status) from None
    ctx.term.out(value + "\n")
    return 1 if _null(value) else 0


# -------------------------------------------------------- readlink, realpath
def _kind(ctx: ToolContext, path: str) -> str | None:
    """"d" for a directory, "f" for another file, None when nothing is there (the
    simulated tree, then the /proc and /sys views of the command's namespace)."""
    from ipemu import procfs
    from ipemu.tools import progfiles
    fs = ctx.session.fs
    if fs.is_dir(path) or procfs.is_view_dir(ctx.host, ctx.netns, path) or \
            procfs.VIRTUAL_NET.startswith(path + "/") or path in progfiles.DIRS:
        return "d"      # /sys/devices/virtual; /usr/bin and the other merged ones
    if fs.exists(path) or progfiles.is_program_file(path):
        return "f"
    try:
        return "f" if procfs.read(ctx.host, ctx.netns, path) is not None else None
    except OSError as err:
        return "d" if err.errno == errno.EISDIR else None


def _canonical(ctx: ToolContext, name: str, mode: str) -> str | None:
    """canonicalize_filename_mode(): the absolute path with `.`/`..` folded and the
    views' symbolic links followed (/var/run, /sys/class/net/NAME...). mode `e`:
    every part must exist; `f`: all but the last; `m`: none need to."""
    from ipemu import procfs
    if not name:
        return None
    start = name if name.startswith("/") else f"{ctx.session.cwd}/{name}"
    todo = [part for part in start.split("/") if part]
    done, links = "", 0
    while todo:
        part = todo.pop(0)
        if part == ".":
            continue
        if part == "..":
            done = done.rsplit("/", 1)[0]
            continue
        path = f"{done}/{part}"
        target = ctx.session.fs.links.get(path) or procfs.link_target(ctx.netns, path) \
            or _program_link(path)
        if target is not None:
            links += 1
            if links > 40:          # ELOOP
                return None
            if target.startswith("/"):
                done = ""
            todo[:0] = [p for p in target.split("/") if p]
            continue
        kind = _kind(ctx, path)
        last = not todo
        if mode != "m" and (kind is None and (mode == "e" or not last)
                            or kind == "f" and not last):
            return None             # ENOENT, or ENOTDIR for a file in the middle
        done = path
    if mode == "f" and name.endswith("/") and _kind(ctx, done or "/") != "d":
        return None
    return done or "/"


def _link(ctx: ToolContext, name: str) -> str | None:
    """readlink(2) of `name`: its directories followed, its last part a link."""
    from ipemu import procfs
    path = ctx.session.fs.resolve(name, ctx.session.cwd)
    ns_link = _ns_link(ctx, path)
    if ns_link is not None:
        return ns_link
    parent, _, base = path.rpartition("/")
    where = _canonical(ctx, parent or "/", "e")
    if where is None or not base:
        return None
    path = f"{where.rstrip('/')}/{base}"
    return ctx.session.fs.links.get(path) or procfs.link_target(ctx.netns, path) or \
        _program_link(path)


def _ns_link(ctx: ToolContext, path: str) -> str | None:
    """/proc/PID/ns/net (self: the reading process): proc_ns_readlink()'s
    `net:[INODE]` of the namespace the process runs in."""
    import re
    found = re.fullmatch(r"/proc/(self|thread-self|\d+)/ns/net", path)
    if found is None:
        return None
    if found.group(1) in ("self", "thread-self"):
        ns = ctx.netns
    else:
        from ipemu.tools.ip_netns import _process_netns
        ns = _process_netns(ctx, int(found.group(1)))
    if ns is None:
        return None
    return f"net:[{ctx.host.ns_inum(ns)}]"


def _program_link(path: str) -> str | None:
    """A link of the box's program files (/bin -> usr/bin, /usr/bin/sh -> dash)."""
    from ipemu.tools import progfiles
    return progfiles.link_target(path)


def readlink(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = gnuopt.parse(argv[1:], "efmnqsvz", {
        "canonicalize": "f", "canonicalize-existing": "e", "canonicalize-missing": "m",
        "no-newline": "n", "quiet": "q", "silent": "s", "verbose": "v", "zero": "z"},
        "readlink")
    if not names:
        raise CommandError("readlink: missing operand\n" + gnuopt.try_help("readlink"), 1)
    mode = next((letter for letter, _ in reversed(opts) if letter in "efm"), None)
    newline = "" if any(letter == "n" for letter, _ in opts) and len(names) == 1 else "\n"
    status = 0
    for name in names:
        # without -f/-e/-m: the target of a symbolic link (only the views have any)
        found = _canonical(ctx, name, mode) if mode else _link(ctx, name)
        if found is None:
            status = 1
            continue
        ctx.term.out(found + newline)
    return status


def realpath(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = gnuopt.parse(argv[1:], "eLmPqsz", {
        "canonicalize-existing": "e", "canonicalize-missing": "m", "logical": "L",
        "physical": "P", "quiet": "q", "strip": "s", "no-symlinks": "s", "zero": "z",
        "relative-to=": "--relative-to", "relative-base=": "--relative-base"}, "realpath")
    if not names:
        raise CommandError("realpath: missing operand\n" + gnuopt.try_help("realpath"), 1)
    mode = next((letter for letter, _ in reversed(opts) if letter in "em"), "f")
    quiet = any(letter == "q" for letter, _ in opts)
    status = 0
    for name in names:
        found = _canonical(ctx, name, mode)
        if found is None:
            if not quiet:
                ctx.term.err(f"realpath: {name}: No such file or directory\n")
            status = 1
            continue
        ctx.term.out(found + "\n")
    return status


# -------------------------------------------------------------------- mktemp
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def mktemp(ctx: ToolContext, argv: list[str]) -> int:
    """mktemp.c: TEMPLATE (default tmp.XXXXXXXXXX in $TMPDIR or /tmp with -t/-p or no
    template), its trailing X's replaced by random letters and digits; -d a
    directory, -u only the name."""
    opts, names = gnuopt.parse(argv[1:], "dp:qtuV", {
        "directory": "d", "dry-run": "u", "quiet": "q", "suffix=": "--suffix",
        "tmpdir=": "p"}, "mktemp")
    if len(names) > 1:
        raise gnuopt.extra_operand("mktemp", names[1])
    letters = {letter for letter, _ in opts}
    tmpdir = next((value for letter, value in opts if letter == "p"), None)
    template = names[0] if names else "tmp.XXXXXXXXXX"
    if not names or "t" in letters or tmpdir is not None:
        if "/" not in template or not names:
            template = f"{(tmpdir or '/tmp').rstrip('/')}/{template}"
    x_count = len(template) - len(template.rstrip("X"))
    if x_count < 3:
        raise CommandError(f"mktemp: too few X's in template ‘{template}’\n", 1)
    # gen_tempname(): random letters, tried again while the name is taken; drawn from
    # a generator of their own (the kernel's draws stay where a real host has them)
    import random
    fs = ctx.session.fs
    prefix = template[:len(template) - x_count]
    for attempt in range(100):
        rng = random.Random(f"{ctx.host.seed}:{ctx.host.clock.now!r}:{template}:{attempt}")
        name = prefix + "".join(rng.choice(LETTERS) for _ in range(x_count))
        path = fs.resolve(name, ctx.session.cwd)
        if not fs.exists(path):
            break
    if "u" not in letters:
        try:
            if "d" in letters:
                fs.make_dir(path)
            else:
                fs.write(path, b"")
        except OSError as err:
            if "q" not in letters:
                what = "directory" if "d" in letters else "file"
                ctx.term.err(f"mktemp: failed to create {what} via template ‘{template}’: "
                             f"{err.strerror}\n")
            return 1
    ctx.term.out(name + "\n")
    return 0


COMMANDS = {"paste": paste, "rev": rev, "tac": tac, "nl": nl, "fold": fold,
            "base64": base64, "md5sum": checksum, "sha1sum": checksum,
            "sha256sum": checksum, "sha512sum": checksum, "expr": expr,
            "readlink": readlink, "realpath": realpath, "mktemp": mktemp}
