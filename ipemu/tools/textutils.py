"""The little text filters people pipe `ip` into: grep, head, tail, wc, cat. Each
reads its FILE operands (through `read`: the host's files and /proc/sys) or else
its standard input, and reports a file it cannot read in its own words."""
from __future__ import annotations

import re
from collections.abc import Callable

from ipemu.output import encode
from ipemu.tools.grepre import compile_search
from ipemu.tools.context import Terminal

# a file's text by name (the host's files and /proc/sys); raises OSError
Reader = Callable[[str], str]
# whether a file operand is the file standard output is written to
IsOutput = Callable[[str], bool]


def _no_output(name: str) -> bool:
    return False


class DirectoryInput(str):
    """Standard input redirected from a directory: bash opens it, reading it fails
    with EISDIR (an empty string to code that only wants text)."""

    strerror = "Is a directory"


class ReadErrorInput(DirectoryInput):
    """Standard input that opened but whose first read fails with `strerror` (a
    connect()ed /dev/udp socket an ICMP port unreachable answered: ECONNREFUSED)."""

    def __new__(cls, strerror: str) -> "ReadErrorInput":
        made = super().__new__(cls, "")
        made.strerror = strerror
        return made


# the names of standard input a program opens as a file (/dev/stdin is a link to
# /proc/self/fd/0: `stdin=`cat /dev/stdin`` in a CNI plugin reads what the caller piped)
STDIN_NAMES = ("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")


def _open(name: str, stdin: str, read: Reader) -> str:
    """The text of one operand (`-` or /dev/stdin is standard input); raises OSError."""
    if name == "-" or name in STDIN_NAMES:
        if isinstance(stdin, DirectoryInput):
            raise IsADirectoryError(21, stdin.strerror, "-")
        return stdin
    return read(name)


def _bre(pattern: str) -> str:
    """A POSIX basic regular expression as Python's: ( ) { } | + ? are literal
    unless escaped (GNU's \\| \\+ \\? included)."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append(nxt if nxt in "(){}|+?" else ch + nxt)
            i += 2
            continue
        out.append("\\" + ch if ch in "(){}|+?" else ch)
        i += 1
    return "".join(out)


def _grep(argv: list[str], stdin: str, term: Terminal, read: Reader,
          is_output: IsOutput = _no_output) -> int:
    args = argv[1:]
    invert = ignore = count = extended = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        for ch in args.pop(0)[1:]:
            invert |= ch == "v"
            ignore |= ch == "i"
            count |= ch == "c"
            extended |= ch == "E"
    if not args:
        term.err("Usage: grep [OPTION]... PATTERNS [FILE]...\n"
                 "Try 'grep --help' for more information.\n")
        return 2
    try:
        search = compile_search(args[0] if extended else _bre(args[0]),
                                re.IGNORECASE if ignore else 0)
    except re.error as err:
        term.err("grep: Unmatched ( or \\(\n" if err.msg.startswith("missing )") else
                 "grep: Unmatched ) or \\)\n" if "unbalanced parenthesis" in err.msg else
                 "grep: Invalid regular expression\n")
        return 2
    names = args[1:] or ["-"]
    found = error = False
    for name in names:
        try:
            text = _open(name, stdin, read)
        except OSError as err:
            label = "(standard input)" if name == "-" else name
            term.err(f"grep: {label}: {err.strerror}\n")
            error = True
            if not isinstance(err, IsADirectoryError) or not count:
                continue
            text = ""
        if text and name != "-" and is_output(name):
            term.err(f"grep: {name}: input file is also the output\n")     # grep.c grepdesc()
            error = True
            continue
        # grep names each line's file when it was given more than one
        prefix = ("(standard input)" if name == "-" else name) + ":" if len(names) > 1 else ""
        lines = [ln for ln in text.splitlines(keepends=True)
                 if search(ln) != invert]
        term.out(f"{prefix}{len(lines)}\n" if count else "".join(prefix + ln for ln in lines))
        found |= bool(lines)
    return 2 if error else 0 if found else 1


def _head_tail(argv: list[str], stdin: str, term: Terminal, read: Reader,
               is_output: IsOutput = _no_output) -> int:
    n = 10
    args = argv[1:]
    if args and args[0] == "-n" and len(args) > 1 and args[1].isdigit():
        n = int(args[1])
        args = args[2:]
    elif args and args[0].startswith("-") and args[0][1:].isdigit():
        n = int(args.pop(0)[1:])
    status = 0
    shown = 0
    for name in args or ["-"]:
        label = "standard input" if name == "-" else name
        try:
            text = _open(name, stdin, read)
        except IsADirectoryError:
            text = None       # it opens; reading it fails (after the header)
        except OSError as err:
            term.err(f"{argv[0]}: cannot open '{label}' for reading: {err.strerror}\n")
            status = 1
            continue
        if len(args) > 1:     # coreutils heads each of several files
            term.out(("\n" if shown else "") + f"==> {name} <==\n")
        shown += 1
        if text is None:
            term.err(f"{argv[0]}: error reading '{label}': Is a directory\n")
            status = 1
            continue
        lines = text.splitlines(keepends=True)
        term.out("".join(lines[:n] if argv[0] == "head" else lines[-n:] if n else []))
    return status


def _wc(argv: list[str], stdin: str, term: Terminal, read: Reader,
        is_output: IsOutput = _no_output) -> int:
    """Lines, words, bytes (or those of -l -w -c). coreutils pads to 7 columns for
    standard input, to the digits of the files' total size for files, and not at
    all when it prints a single count of a single input."""
    longs = {"--lines": "l", "--words": "w", "--chars": "m", "--bytes": "c",
             "--max-line-length": "L"}
    letters = "".join(longs.get(a, "") if a.startswith("--") else a[1:]
                      for a in argv[1:] if a.startswith("-") and len(a) > 1)
    # wc.c's order: lines, words, characters (-m), bytes, the longest line (-L)
    shown = [c for c in "lwmcL" if c in letters] or ["l", "w", "c"]
    files = [a for a in argv[1:] if not a.startswith("-") or a == "-"]
    inputs: list[tuple[str, str | None]] = []
    status = 0
    odd = False          # an input that is not a regular file: 7 columns at least
    for name in files or ["-"]:
        try:
            text = _open(name, stdin, read)
        except IsADirectoryError:
            label = "'standard input'" if name == "-" else name
            term.err(f"wc: {label}: Is a directory\n")
            status, text, odd = 1, "", True
        except OSError as err:
            term.err(f"wc: {name}: {err.strerror}\n")
            status = 1
            continue
        inputs.append((name if files else "", text))

    def counts(text: str) -> dict[str, int]:
        data = encode(text)
        return {"l": text.count("\n"), "w": _words(text), "c": len(data),
                # characters: the text's UTF-8 sequences (an invalid byte is none)
                "m": len(data.decode("utf-8", "ignore")),
                "L": max((_line_width(line) for line in text.split("\n")), default=0)}

    rows = [(name, counts(text)) for name, text in inputs]
    if len(files) > 1:
        total = {c: sum(r[1][c] for r in rows) for c in "lwcm"}
        total["L"] = max((r[1]["L"] for r in rows), default=0)
        rows.append(("total", total))
    if len(shown) == 1 and len(files) <= 1:
        width = 1           # get_input_fstatus(): one count of one input needs no width
    elif not files or "-" in files or odd:
        width = 7
    else:
        # compute_number_width(): the files' st_size, which is 0 for a /proc file and
        # 4096 for a sysfs attribute, whatever they hold (recorded: `wc -l
        # /proc/net/snmp6 ...` pads nothing)
        width = len(str(sum(_st_size(name, t) for name, t in inputs))) or 1
    for name, numbers in rows:
        line = " ".join(f"{numbers[c]:>{width}}" for c in shown)
        term.out(f"{line} {name}\n" if name else f"{line}\n")
    return status


def _st_size(name: str, text: str) -> int:
    """A file's size as fstat() gives it: the kernel's views have none of their own."""
    if name.startswith("/proc/"):
        return 0
    if name.startswith("/sys/"):
        return 4096
    return len(encode(text))


def _words(text: str) -> int:
    """wc's words in a UTF-8 locale: runs between spaces with a printable character
    (a byte that is not UTF-8 or a control character starts none: `$'\\xff'` is 0)."""
    return sum(1 for word in text.split() if any(ch.isprintable() for ch in word))


# characters quotearg's shell_escape style quotes (quotearg.c's
# quotearg_buffer_restyled(): shell specials, and `:` for quotef()'s colon style);
# `#` and `~` only at the start, `{` and `}` only alone
_SHELL_SPECIAL = set(" !\"$&()*;<=>[^`|\\':")
_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
            "\t": "\\t", "\v": "\\v"}


def quotef(name: str) -> str:
    """coreutils' quotef(): a file name in an error message, in single quotes when
    the shell would need them (`cat: '': No such file or directory`), a control
    character as $'\\t' between quoted runs (`'tab'$'\\t''x'`)."""
    if any(not c.isprintable() for c in name):
        out, run = [], ""
        for c in name:
            if c.isprintable():
                run += c
                continue
            if run:
                out.append("'" + run.replace("'", "'\\''") + "'")
                run = ""
            code = _ESCAPES.get(c, "\\%03o" % ord(c))
            if out and out[-1].startswith("$'"):
                out[-1] = out[-1][:-1] + code + "'"
            else:
                out.append("$'" + code + "'")
        if run:
            out.append("'" + run.replace("'", "'\\''") + "'")
        return "".join(out)
    special = not name or any(c in _SHELL_SPECIAL for c in name) or name[0] in "#~" \
        or name in ("{", "}")
    if not special:
        return name
    if "'" in name and not any(c in "\\\"`$" for c in name):
        return '"' + name + '"'     # a lone ' reads better in double quotes
    return "'" + name.replace("'", "'\\''") + "'"


def _cat(argv: list[str], stdin: str, term: Terminal, read: Reader,
         is_output: IsOutput = _no_output) -> int:
    status = 0
    for name in argv[1:] or ["-"]:
        try:
            text = _open(name, stdin, read)
        except OSError as err:
            term.err(f"cat: {quotef(name)}: {err.strerror}\n")
            status = 1
            continue
        if text and name != "-" and is_output(name):
            # cat.c: a regular input that is the output, not read to its end
            term.err(f"cat: {quotef(name)}: input file is output file\n")
            status = 1
            continue
        term.out(text)
    return status


def _line_width(line: str) -> int:
    """wc.c's -L: the columns a line takes on the screen, a tab to the next multiple of
    8, \\r and \\f back to the start, a printable character its wcwidth() (a CJK one
    two), other control characters none."""
    if line.isascii() and line.isprintable():
        return len(line)
    from ipemu.tools.textcols import _wcwidth
    longest = pos = 0
    for ch in line:
        if ch == "\t":
            pos = (pos // 8 + 1) * 8
        elif ch in "\r\f":
            longest, pos = max(longest, pos), 0
        elif ch.isprintable():
            pos += _wcwidth(ch)
    return max(longest, pos)


TEXT_TOOLS = {"grep": _grep, "head": _head_tail, "tail": _head_tail, "wc": _wc, "cat": _cat}
