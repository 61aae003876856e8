"""coreutils 9.1's split and csplit: a file (or standard input) cut into pieces by
lines, bytes, chunks or patterns, as scripts cut a list of hosts or a capture's text
into parts (`split -l 100 hosts part_`, `split -n l/4 -d list`, `csplit log '/^--/'
'{*}'`).

Followed: coreutils src/split.c (main(), set_suffix_length(), next_file_name(),
cwrite(), lines_split(), bytes_split(), line_bytes_split(), lines_chunk_split(),
bytes_chunk_extract(), lines_rr()) and src/csplit.c (main(), parse_patterns(),
process_regexp(), process_line_count(), split_file(), create_output_file())."""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input

LOWER = "abcdefghijklmnopqrstuvwxyz"
ERANGE = "Numerical result out of range"
# xstrtoumax()'s suffixes split accepts ("bEGKkMmPTYZ0"): powers of 1024, of 1000
# with B (KB), of 1024 with iB (KiB)
POWERS = {"K": 1, "k": 1, "M": 2, "m": 2, "G": 3, "T": 4, "P": 5, "E": 6, "Z": 7, "Y": 8}


def number(text: str, tool: str, what: str, low: int = 1, high: int = (1 << 64) - 1,
           sizes: bool = False) -> int:
    """xdectoumax(): a decimal (with size suffixes when `sizes`); `WHAT: ‘X’` when it
    is not one, `: Numerical result out of range` outside LOW..HIGH."""
    match = re.fullmatch(r"\s*\+?(\d+)([A-Za-z]*)", text)
    value = None
    if match:
        value = int(match.group(1))
        suffix = match.group(2)
        if suffix:
            if not sizes:
                value = None
            elif suffix == "b":
                value *= 512
            elif suffix[0] in POWERS and suffix[1:] in ("", "B", "iB"):
                value *= (1000 if suffix[1:] == "B" else 1024) ** POWERS[suffix[0]]
            else:
                value = None
    if value is None:
        raise CommandError(f"{tool}: {what}: ‘{text}’\n", 1)
    if not low <= value <= high:
        raise CommandError(f"{tool}: {what}: ‘{text}’: {ERANGE}\n", 1)
    return value


def _write(ctx: ToolContext, tool: str, name: str, data: bytes, append: bool = False) -> None:
    fs = ctx.session.fs
    try:
        fs.write(fs.resolve(name, ctx.session.cwd), data, append=append)
    except OSError as err:
        raise CommandError(f"{tool}: {name}: {err.strerror}\n", 1) from None


# -------------------------------------------------------------------- split
# split.c's longopts, in its order (an ambiguous prefix lists them so)
SPLIT_LONGS = {"bytes=": "b", "lines=": "l", "line-bytes=": "C", "number=": "n",
               "elide-empty-files": "e", "unbuffered": "u", "suffix-length=": "a",
               "additional-suffix=": "--additional-suffix", "numeric-suffixes=": "d",
               "hex-suffixes=": "x", "filter=": "--filter", "verbose": "--verbose",
               "separator=": "t", "-io-blksize=": "--io-blksize",
               "help": "--help", "version": "--version"}


class Names:
    """next_file_name(): PREFIX + a suffix counted in the alphabet; without -a and a
    file count, the suffix widens (xyz, then xzaaa) rather than running out."""

    def __init__(self, base: str, alphabet: str, length: int, auto: bool,
                 start: str | None, extra: str) -> None:
        self.base, self.alphabet, self.length, self.auto = base, alphabet, length, auto
        self.extra = extra
        self.index: list[int] | None = None
        self.start = start

    def next(self) -> str:
        if self.index is None:
            self.index = [0] * self.length
            if self.start:
                digits = [self.alphabet.index(c) for c in self.start]
                self.index[self.length - len(digits):] = digits
            return self.name()
        i = self.length
        while i:
            i -= 1
            self.index[i] += 1
            if self.auto and i == 0 and self.index[0] + 1 == len(self.alphabet):
                # widen: the last letter joins the prefix, the suffix grows by one
                self.base += self.alphabet[self.index[0]]
                self.length += 1
                self.index = [0] * self.length
                return self.name()
            if self.index[i] < len(self.alphabet):
                return self.name()
            self.index[i] = 0
        raise CommandError("split: output file suffixes exhausted\n", 1)

    def name(self) -> str:
        return self.base + "".join(self.alphabet[i] for i in self.index) + self.extra


def split(ctx: ToolContext, argv: list[str]) -> int:
    # getopt's "0123456789C:a:b:del:n:t:ux" with -d/-x taking an optional value in
    # their long forms (--numeric-suffixes=FROM); -N (digits) is -l N
    args = [_optional_value(arg) for arg in argv[1:]]
    opts, operands = gnuopt.parse(args, "0123456789C:a:b:del:n:t:ux", SPLIT_LONGS, "split")
    kind = None
    units, k_units = 0, 0
    suffix_length = None
    alphabet, start, extra = LOWER, None, ""
    elide = verbose = False
    eol = None
    previous = ""
    for flag, value in opts:
        if flag in ("--help", "--version"):
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "split", flag)
        if flag.isdigit():
            if kind is None:
                kind, units = "digits", 0
            if kind != "digits":
                raise CommandError("split: cannot split in more than one way\n"
                                   + gnuopt.try_help("split"), 1)
            if not previous.isdigit():
                units = 0       # another -N: the digits start again
            units = units * 10 + int(flag)
            previous = flag
            continue
        previous = flag
        if flag in ("b", "l", "C", "n"):
            if kind is not None:
                raise CommandError("split: cannot split in more than one way\n"
                                   + gnuopt.try_help("split"), 1)
        if flag == "a":
            suffix_length = number(value, "split", "invalid suffix length", low=0)
        elif flag == "--additional-suffix":
            if "/" in value:
                raise CommandError(f"split: invalid suffix ‘{value}’, contains directory "
                                   "separator\n" + gnuopt.try_help("split"), 1)
            extra = value
        elif flag == "b":
            kind, units = "bytes", number(value, "split", "invalid number of bytes", sizes=True)
        elif flag == "l":
            kind, units = "lines", number(value, "split", "invalid number of lines")
        elif flag == "C":
            kind, units = "byteslines", number(value, "split", "invalid number of bytes",
                                               sizes=True)
        elif flag == "n":
            spec = value.lstrip()
            kind = "chunk_bytes"
            if spec.startswith("r/"):
                kind, spec = "rr", spec[2:]
            elif spec.startswith("l/"):
                kind, spec = "chunk_lines", spec[2:]
            if "/" in spec:
                k_text, _, n_text = spec.partition("/")
                units = number(n_text, "split", "invalid number of chunks")
                k_units = number(k_text, "split", "invalid chunk number", high=units)
            else:
                units = number(spec, "split", "invalid number of chunks")
        elif flag in ("d", "x"):
            alphabet = "0123456789" if flag == "d" else "0123456789abcdef"
            if value:
                if value.strip(alphabet):
                    what = "numerical" if flag == "d" else "hexadecimal"
                    raise CommandError(f"split: ‘{value}’: invalid start value for {what} "
                                       "suffix\n" + gnuopt.try_help("split"), 1)
                start = value.lstrip("0") or "0"
        elif flag == "e":
            elide = True
        elif flag == "t":
            new = value[:1]
            if not value:
                raise CommandError("split: empty record separator\n", 1)
            if len(value) > 1:
                if value != "\\0":
                    raise CommandError(f"split: multi-character separator ‘{value}’\n", 1)
                new = "\0"
            if eol is not None and new != eol:
                raise CommandError("split: multiple separator characters specified\n", 1)
            eol = new
        elif flag == "--verbose":
            verbose = True
        elif flag == "--filter":
            raise CommandError("split: --filter: not available here\n", 1)
    if kind is None:
        kind, units = "lines", 1000
    if units == 0:
        raise CommandError("split: invalid number of lines: ‘0’\n"
                           + gnuopt.try_help("split"), 1)
    eol = eol or "\n"
    # set_suffix_length(): a file count fixes the width it needs
    auto = start is None
    needed = 0
    if kind in ("chunk_bytes", "chunk_lines", "rr"):
        end = units - 1
        if start is not None and int(start) < units:
            end += int(start)
        needed = 1
        while end >= len(alphabet):
            end //= len(alphabet)
            needed += 1
        auto = False
    if suffix_length:
        if suffix_length < needed:
            raise CommandError(f"split: the suffix length needs to be at least {needed}\n", 1)
        auto = False
    else:
        suffix_length = max(2, needed)
    infile = operands[0] if operands else "-"
    base = operands[1] if len(operands) > 1 else "x"
    if len(operands) > 2:
        raise gnuopt.extra_operand("split", operands[2])
    if start is not None and len(start) > suffix_length:
        raise CommandError("split: numerical suffix start value is too large for the suffix "
                           "length\n" + gnuopt.try_help("split"), 1)
    try:
        data = read_input(ctx, infile).encode("utf-8", "surrogateescape")
    except IsADirectoryError as err:
        raise CommandError(f"split: {infile}: {err.strerror}\n", 1) from None
    except OSError as err:
        raise CommandError(f"split: cannot open '{infile}' for reading: {err.strerror}\n",
                           1) from None
    names = Names(base, alphabet, suffix_length, auto, start, extra)
    writer = _Writer(ctx, names, verbose, elide)
    sep = eol.encode()
    if kind in ("lines", "digits"):
        pieces = _records(data, sep)
        for i in range(0, len(pieces), units):
            writer.new(b"".join(pieces[i:i + units]))
    elif kind == "bytes":
        for i in range(0, len(data), units):
            writer.new(data[i:i + units])
    elif kind == "byteslines":
        _line_bytes(writer, data, sep, units)
    elif kind == "chunk_bytes":
        size = max(len(data), units)
        chunk = size // units
        if k_units:
            begin = (k_units - 1) * chunk
            ctx.term.out(data[begin:size if k_units == units else k_units * chunk]
                         .decode("utf-8", "surrogateescape"))
            return 0
        for i in range(units):
            part = data[i * chunk:(i + 1) * chunk if i < units - 1 else len(data)]
            writer.new(part) if part else writer.empty()
    elif kind == "chunk_lines":
        parts = _line_chunks(data, sep, units)
        if k_units:
            ctx.term.out(parts[k_units - 1].decode("utf-8", "surrogateescape"))
            return 0
        for part in parts:
            writer.new(part) if part else writer.empty()
    else:
        pieces = _records(data, sep)
        if k_units:
            ctx.term.out(b"".join(pieces[k_units - 1::units]).decode("utf-8",
                                                                     "surrogateescape"))
            return 0
        files = [b"".join(pieces[i::units]) for i in range(units)]
        for part in files:
            writer.new(part) if part or not elide else None
    return 0


def _optional_value(arg: str) -> str:
    """--numeric-suffixes and --hex-suffixes take an optional value: alone, an empty
    one (getopt's optional_argument)."""
    if arg == "--" or len(arg) <= 2 or not arg.startswith("--") or "=" in arg:
        return arg
    found = [key for key in SPLIT_LONGS if key.startswith(arg[2:])]
    exact = [key for key in found if key.rstrip("=") == arg[2:]]
    found = exact or found
    if len(found) == 1 and found[0] in ("numeric-suffixes=", "hex-suffixes="):
        return "--" + found[0]
    return arg


class _Writer:
    """cwrite(): each new piece opens the next name (`creating file 'X'` with
    --verbose); -e skips the empty ones."""

    def __init__(self, ctx: ToolContext, names: Names, verbose: bool, elide: bool) -> None:
        self.ctx, self.names, self.verbose, self.elide = ctx, names, verbose, elide

    def new(self, data: bytes) -> None:
        name = self.names.next()
        if self.verbose:
            self.ctx.term.out(f"creating file {_quoteaf(name)}\n")
        _write(self.ctx, "split", name, data)

    def empty(self) -> None:
        if not self.elide:
            self.new(b"")


def _quoteaf(name: str) -> str:
    """quoteaf() in shell-escape style: plain names in '', a name with ' as 'a'\\''b'."""
    return "'" + name.replace("'", "'\\''") + "'"


def _records(data: bytes, sep: bytes) -> list[bytes]:
    """The records with their separator (a last one without keeps none)."""
    parts = data.split(sep)
    out = [p + sep for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def _line_bytes(writer: _Writer, data: bytes, sep: bytes, size: int) -> None:
    """line_bytes_split(): at most SIZE bytes a file, whole records where they fit;
    a record longer than SIZE is cut in SIZE pieces."""
    current = b""
    for record in _records(data, sep):
        if current and len(current) + len(record) > size:
            writer.new(current)
            current = b""
        while len(record) > size:
            room = size - len(current)
            current += record[:room]
            record = record[room:]
            writer.new(current)
            current = b""
        current += record
    if current:
        writer.new(current)


def _line_chunks(data: bytes, sep: bytes, n: int) -> list[bytes]:
    """lines_chunk_split(): chunk i ends at the first separator at or after byte
    i*size-1 (size = file_size / n); a long record leaves the chunks it covers empty."""
    size = max(len(data), n) // n
    parts = [b""] * n
    chunk, end, pos = 0, size - 1, 0
    while pos < len(data):
        cut = data.find(sep, max(pos, end))
        stop = len(data) if cut < 0 else cut + 1
        parts[chunk] += data[pos:stop]
        pos = stop
        while chunk < n - 1 and end <= pos - 1:
            chunk += 1
            end = max(len(data), n) - 1 if chunk == n - 1 else end + size
    return parts


# ------------------------------------------------------------------- csplit
# csplit.c's longopts, in its order
CSPLIT_LONGS = {"digits=": "n", "quiet": "s", "silent": "s", "keep-files": "k",
                "elide-empty-files": "z", "prefix=": "f", "suffix-format=": "b",
                "suppress-matched": "--suppress-matched", "help": "--help",
                "version": "--version"}


class _Die(Exception):
    """die(): exit 1 at once, the files left as they are."""


class _Fatal(Exception):
    """cleanup_fatal(): the message is out; close, delete, exit 1."""


class _Csplit:
    """csplit.c's state: the input's lines (numbered from 1), the first line not yet
    taken (first_available), current_line, the files made and the one open."""

    def __init__(self, ctx: ToolContext, lines: list[str], prefix: str, fmt: str | None,
                 digits: int, quiet: bool, elide: bool, keep: bool,
                 suppress: bool, argv: list[str]) -> None:
        self.ctx, self.lines = ctx, lines
        self.prefix, self.fmt, self.digits = prefix, fmt, digits
        self.quiet, self.elide, self.keep, self.suppress = quiet, elide, keep, suppress
        self.argv = argv
        self.first, self.current = 1, 0
        self.created = 0
        self.out: list[str] | None = None
        self.name = ""

    # the input (remove_line(), find_line(), no_more_lines())
    def remove_line(self) -> str | None:
        if self.first > len(self.lines):
            return None
        self.current = max(self.current, self.first)
        self.first += 1
        return self.lines[self.first - 2]

    def find_line(self, number: int) -> str | None:
        if self.first > len(self.lines) or not 1 <= number <= len(self.lines):
            return None
        return self.lines[number - 1]

    def no_more_lines(self) -> bool:
        return self.find_line(self.current + 1) is None

    # the files (create_output_file(), close_output_file(), cleanup())
    def filename(self, num: int) -> str:
        if self.fmt is not None:
            return self.prefix + _c_format(self.fmt, num)
        return f"{self.prefix}{num:0{self.digits}d}"

    def create(self) -> None:
        self.name = self.filename(self.created)
        try:
            _write(self.ctx, "csplit", self.name, b"")
        except CommandError as err:
            self.ctx.term.err(err.message)
            raise _Fatal() from None
        self.created += 1
        self.out = []

    def close(self) -> None:
        if self.out is None:
            return
        data = "".join(self.out).encode("utf-8", "surrogateescape")
        self.out = None
        if not data and self.elide:
            self.created -= 1
            fs = self.ctx.session.fs
            fs.unlink(fs.resolve(self.name, self.ctx.session.cwd))
            return
        _write(self.ctx, "csplit", self.name, data)
        if not self.quiet:
            self.ctx.term.out(f"{len(data)}\n")

    def save(self, line: str) -> None:
        if self.out is not None:
            self.out.append(line)

    def dump_rest(self) -> None:
        while (line := self.remove_line()) is not None:
            self.save(line)

    def fatal(self, message: str) -> None:
        self.ctx.term.err(f"csplit: {message}\n")
        raise _Fatal()

    # the patterns (process_line_count(), process_regexp(), write_to_file())
    def line_count(self, required: int, argnum: int, repetition: int) -> None:
        last = required * (repetition + 1)
        self.create()

        def error() -> None:
            again = f" on repetition {repetition}" if repetition else ""
            self.fatal(f"‘{required}’: line number out of range{again}")
        if self.no_more_lines() and self.suppress:
            error()
        if self.first > len(self.lines):
            # get_first_line_in_buffer(): no line left to load; die() leaves the files
            self.ctx.term.err("csplit: input disappeared\n")
            raise _Die()
        number = self.first
        while number < last:
            number += 1
            line = self.remove_line()
            if line is None:
                error()
            self.save(line)
        self.close()
        if self.suppress:
            self.remove_line()
        if self.no_more_lines() and not self.suppress:
            error()

    def regexp(self, control: dict, repetition: int) -> bool:
        """False when {*} ran out of input (the rest dumped: exit 0)."""
        ignore = control["ignore"]
        if not ignore:
            self.create()
        while True:
            self.current += 1
            line = self.find_line(self.current)
            if line is None:
                if control["forever"]:
                    if not ignore:
                        self.dump_rest()
                        self.close()
                    return False
                again = f" on repetition {repetition}" if repetition else ""
                self.ctx.term.err(f"csplit: ‘{self.argv[control['argnum']]}’: match not "
                                  f"found{again}\n")
                if not ignore:
                    self.dump_rest()
                    self.close()
                raise _Fatal()
            text = line[:-1] if line.endswith("\n") else line
            if control["re"].search(text):
                break
            if control["offset"] >= 0:
                taken = self.remove_line()
                if not ignore:
                    self.save(taken)
        break_line = self.current + control["offset"]
        arg = self.argv[control["argnum"]]
        if self.first > break_line:
            self.fatal(f"‘{arg}’: line number out of range")
        for _ in range(break_line - self.first):
            line = self.remove_line()
            if line is None:
                self.fatal(f"‘{arg}’: line number out of range")
            if not ignore:
                self.save(line)
        if not ignore:
            self.close()
        if control["offset"] > 0:
            self.current = break_line
        if self.suppress:
            self.remove_line()
        return True

    def cleanup(self) -> None:
        self.close()
        if not self.keep:
            fs = self.ctx.session.fs
            for num in range(self.created):
                try:
                    fs.unlink(fs.resolve(self.filename(num), self.ctx.session.cwd))
                except OSError:
                    pass


def check_suffix(fmt: str) -> None:
    """max_out() and check_format_conv_type(): exactly one %d/%i/%u/%o/%x/%X, with
    the flags each allows (' for the decimal ones, # for the others)."""
    percent = False
    i = 0
    while i < len(fmt):
        if fmt[i] == "%":
            i += 1
            if i < len(fmt) and fmt[i] == "%":
                i += 1
                continue
            if percent:
                raise CommandError("csplit: too many % conversion specifications in suffix\n", 1)
            percent = True
            flags = ""
            while i < len(fmt) and fmt[i] in "-+ #0'":
                flags += fmt[i]
                i += 1
            while i < len(fmt) and fmt[i].isdigit():
                i += 1
            if i < len(fmt) and fmt[i] == ".":
                i += 1
                while i < len(fmt) and fmt[i].isdigit():
                    i += 1
            ch = fmt[i] if i < len(fmt) else ""
            if not ch:
                raise CommandError("csplit: missing conversion specifier in suffix\n", 1)
            if ch not in "diuoxX":
                shown = ch if ch.isprintable() else "\\%03o" % ord(ch)
                raise CommandError(f"csplit: invalid conversion specifier in suffix: {shown}\n",
                                   1)
            wrong = "#" if ch in "diu" else "'"
            if wrong in flags:
                raise CommandError(f"csplit: invalid flags in conversion specification: "
                                   f"%{wrong}{ch}\n", 1)
        i += 1
    if not percent:
        raise CommandError("csplit: missing % conversion specification in suffix\n", 1)


def _c_format(fmt: str, num: int) -> str:
    """-b's printf format with its one integer conversion (%d, %02d, %x, %o, %u)."""
    match = re.search(r"%([-0 +#']*\d*)([diuoxX])", fmt)
    if not match:
        return fmt
    conv = match.group(2).replace("i", "d").replace("u", "d")
    return fmt[:match.start()] + ("%" + match.group(1).replace("'", "") + conv) % num + \
        fmt[match.end():]


def _parse_patterns(args: list[str], start: int, warnings: list[str]) -> list[dict]:
    """parse_patterns(): /RE/[OFFSET], %RE%[OFFSET], LINE, each maybe with {N} or {*}
    (a repeated line number is a warning, added to `warnings`)."""
    from ipemu.tools.posixre import RegexError, compile as re_compile
    controls: list[dict] = []
    last = 0
    i = start
    while i < len(args):
        arg = args[i]
        control = {"argnum": i, "repeat": 0, "forever": False, "offset": 0,
                   "re": None, "ignore": False, "lines": 0}
        if arg[:1] in ("/", "%"):
            delim = arg[0]
            close = arg.rfind(delim, 1)
            if close < 1:
                raise CommandError(f"csplit: {arg}: closing delimiter '{delim}' missing\n", 1)
            try:
                control["re"] = re_compile(arg[1:close], False)
            except RegexError as err:
                raise CommandError(f"csplit: ‘{arg}’: invalid regular expression: "
                                   f"{err}\n", 1) from None
            control["ignore"] = delim == "%"
            rest = arg[close + 1:]
            if rest:
                if not re.fullmatch(r"\s*[-+]?\d+", rest):
                    raise CommandError(f"csplit: ‘{arg}’: integer expected after "
                                       "delimiter\n", 1)
                control["offset"] = int(rest)
        else:
            if not re.fullmatch(r"\s*\+?\d+", arg):
                raise CommandError(f"csplit: ‘{arg}’: invalid pattern\n", 1)
            value = int(arg)
            if value == 0:
                raise CommandError(f"csplit: {arg}: line number must be greater than "
                                   "zero\n", 1)
            if value < last:
                raise CommandError(f"csplit: line number ‘{arg}’ is smaller than preceding "
                                   f"line number, {last}\n", 1)
            if value == last:
                warnings.append(f"csplit: warning: line number ‘{arg}’ is the same as "
                                "preceding line number\n")
            last = value
            control["lines"] = value
        if i + 1 < len(args) and args[i + 1].startswith("{"):
            i += 1
            word = args[i]
            if not word.endswith("}"):
                raise CommandError(f"csplit: ‘{word}’: '}}' is required in repeat count\n", 1)
            inner = word[1:-1]
            if inner == "*":
                control["forever"] = True
            elif re.fullmatch(r"\s*\+?\d+", inner):
                control["repeat"] = int(inner)
            else:
                raise CommandError(f"csplit: ‘{word[:-1]}’}}: integer required between "
                                   "'{' and '}'\n", 1)
        controls.append(control)
        i += 1
    return controls


def csplit(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    opts, operands = gnuopt.parse(args, "f:b:kn:sqz", CSPLIT_LONGS, "csplit")
    prefix, fmt, digits = "xx", None, 2
    keep = quiet = elide = suppress = False
    for flag, value in opts:
        if flag in ("--help", "--version"):
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "csplit", flag)
        if flag == "f":
            prefix = value
        elif flag == "b":
            check_suffix(value)
            fmt = value
        elif flag == "k":
            keep = True
        elif flag == "n":
            digits = number(value, "csplit", "invalid number", low=0, high=1 << 31)
        elif flag in ("s", "q"):
            quiet = True
        elif flag == "z":
            elide = True
        elif flag == "--suppress-matched":
            suppress = True
    if len(operands) < 2:
        after = f" after ‘{operands[0]}’" if operands else ""
        raise CommandError(f"csplit: missing operand{after}\n" + gnuopt.try_help("csplit"), 1)
    warnings: list[str] = []
    try:
        controls = _parse_patterns(operands, 1, warnings)
    finally:
        ctx.term.err("".join(warnings))
    name = operands[0]
    read_error = None
    try:
        text = read_input(ctx, name)
    except IsADirectoryError as err:
        # it opens; load_buffer()'s read fails once the first pattern wants a line
        text, read_error = "", err.strerror
    except OSError as err:
        raise CommandError(f"csplit: cannot open '{name}' for reading: {err.strerror}\n",
                           1) from None
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    state = _Csplit(ctx, lines, prefix, fmt, digits, quiet, elide, keep, suppress, operands)
    if read_error is not None:
        state.create()
        ctx.term.err(f"csplit: read error: {read_error}\n")
        state.cleanup()
        return 1
    try:
        for control in controls:
            j = 0
            while control["forever"] or j <= control["repeat"]:
                if control["re"] is not None:
                    if not state.regexp(control, j):
                        return 0
                else:
                    state.line_count(control["lines"], control["argnum"], j)
                j += 1
        state.create()
        state.dump_rest()
        state.close()
    except _Fatal:
        state.cleanup()
        return 1
    except _Die:
        return 1
    return 0


COMMANDS = {"split": split, "csplit": csplit}


def main(ctx: ToolContext, argv: list[str]) -> int:
    return COMMANDS[argv[0].rsplit("/", 1)[-1]](ctx, argv)
