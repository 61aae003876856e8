"""The little text filters people pipe `ip` into: grep, head, tail, wc, cat."""
from __future__ import annotations

import re

from ipemu.tools.context import Terminal


def _grep(argv: list[str], stdin: str, term: Terminal) -> int:
    args = argv[1:]
    invert = ignore = count = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        for ch in args.pop(0)[1:]:
            invert |= ch == "v"
            ignore |= ch == "i"
            count |= ch == "c"
    if not args:
        term.err("Usage: grep [OPTION]... PATTERNS [FILE]...\n"
                 "Try 'grep --help' for more information.\n")
        return 2
    pattern = re.compile(args[0], re.IGNORECASE if ignore else 0)
    lines = [ln for ln in stdin.splitlines(keepends=True)
             if bool(pattern.search(ln)) != invert]
    term.out(f"{len(lines)}\n" if count else "".join(lines))
    return 0 if lines else 1


def _head_tail(argv: list[str], stdin: str, term: Terminal) -> int:
    n = 10
    args = argv[1:]
    if args and args[0] == "-n" and len(args) > 1:
        n = int(args[1])
    elif args and args[0].startswith("-") and args[0][1:].isdigit():
        n = int(args[0][1:])
    lines = stdin.splitlines(keepends=True)
    term.out("".join(lines[:n] if argv[0] == "head" else lines[-n:] if n else []))
    return 0


def _wc(argv: list[str], stdin: str, term: Terminal) -> int:
    if "-l" in argv:
        term.out(f"{stdin.count(chr(10))}\n")
    else:
        term.out(f"{stdin.count(chr(10)):>7} {len(stdin.split()):>7} {len(stdin.encode()):>7}\n")
    return 0


def _cat(argv: list[str], stdin: str, term: Terminal) -> int:
    term.out(stdin)
    return 0


TEXT_TOOLS = {"grep": _grep, "head": _head_tail, "tail": _head_tail, "wc": _wc, "cat": _cat}


def run_pipeline(session, commands, term: Terminal) -> int:
    """Each command's stdout feeds the next; stderr goes straight to the terminal."""
    data = None
    status = 0
    for cmd in commands:
        inner = Terminal()
        status = session.run_command(cmd, inner, stdin=data)
        data = inner.stream("stdout")
        for stream, text in inner.chunks:
            if stream == "stderr":
                term.err(text)
    term.out(data or "")
    return status
