"""The little text filters people pipe `ip` into: grep, head, tail, wc, cat. Each
reads its FILE operands (through `read`: the session's files and /proc/sys) or else
its standard input."""
from __future__ import annotations

import re
from typing import Callable

from ipemu.tools.context import Terminal

Reader = Callable[[str], "str | None"]


class _Missing(Exception):
    pass


def _input(tool: str, files: list[str], stdin: str, read: Reader, term: Terminal) -> str:
    """The operands' text, or stdin without operands; a missing file is reported as
    coreutils does and the rest still read (the exit status is then 1/2)."""
    if not files:
        return stdin
    parts = []
    missing = False
    for name in files:
        text = read(name)
        if text is None:
            term.err(f"{tool}: {name}: No such file or directory\n")
            missing = True
        else:
            parts.append(text)
    if missing and not parts:
        raise _Missing()
    return "".join(parts)


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


def _grep(argv: list[str], stdin: str, term: Terminal, read: Reader) -> int:
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
        pattern = re.compile(args[0] if extended else _bre(args[0]),
                             re.IGNORECASE if ignore else 0)
    except re.error as err:
        term.err("grep: Unmatched ( or \\(\n" if err.msg.startswith("missing )") else
                 "grep: Unmatched ) or \\)\n" if "unbalanced parenthesis" in err.msg else
                 "grep: Invalid regular expression\n")
        return 2
    try:
        stdin = _input("grep", args[1:], stdin, read, term)
    except _Missing:
        return 2
    lines = [ln for ln in stdin.splitlines(keepends=True)
             if bool(pattern.search(ln)) != invert]
    term.out(f"{len(lines)}\n" if count else "".join(lines))
    return 0 if lines else 1


def _head_tail(argv: list[str], stdin: str, term: Terminal, read: Reader) -> int:
    n = 10
    args = argv[1:]
    if args and args[0] == "-n" and len(args) > 1 and args[1].isdigit():
        n = int(args[1])
        args = args[2:]
    elif args and args[0].startswith("-") and args[0][1:].isdigit():
        n = int(args.pop(0)[1:])
    try:
        stdin = _input(argv[0], args, stdin, read, term)
    except _Missing:
        return 1
    lines = stdin.splitlines(keepends=True)
    term.out("".join(lines[:n] if argv[0] == "head" else lines[-n:] if n else []))
    return 0


def _wc(argv: list[str], stdin: str, term: Terminal, read: Reader) -> int:
    """Lines, words, bytes (or those of -l -w -c). coreutils pads to 7 columns for
    standard input, to the digits of the files' total size for files, and not at
    all when it prints a single count."""
    letters = "".join(a[1:] for a in argv[1:] if a.startswith("-") and len(a) > 1)
    shown = [c for c in "lwc" if c in letters] or ["l", "w", "c"]
    files = [a for a in argv[1:] if not a.startswith("-") or a == "-"]
    inputs: list[tuple[str, str | None]] = []
    status = 0
    for name in files or ["-"]:
        text = stdin if name == "-" else read(name)
        if text is None:
            term.err(f"wc: {name}: No such file or directory\n")
            status = 1
        else:
            inputs.append((name if files else "", text))

    def counts(text: str) -> dict[str, int]:
        return {"l": text.count("\n"), "w": len(text.split()), "c": len(text.encode())}

    rows = [(name, counts(text)) for name, text in inputs]
    if len(files) > 1:
        rows.append(("total", {c: sum(r[1][c] for r in rows) for c in "lwc"}))
    if len(shown) == 1:
        width = 1
    elif not files or "-" in files:
        width = 7
    else:
        width = len(str(sum(len(t.encode()) for _, t in inputs))) or 1
    for name, numbers in rows:
        line = " ".join(f"{numbers[c]:>{width}}" for c in shown)
        term.out(f"{line} {name}\n" if name else f"{line}\n")
    return status


def _cat(argv: list[str], stdin: str, term: Terminal, read: Reader) -> int:
    status = 0
    for name in argv[1:] or ["-"]:
        text = stdin if name == "-" else read(name)
        if text is None:
            term.err(f"cat: {name}: No such file or directory\n")
            status = 1
        else:
            term.out(text)
    return status


TEXT_TOOLS = {"grep": _grep, "head": _head_tail, "tail": _head_tail, "wc": _wc, "cat": _cat}
