"""coreutils 9.1 stdbuf (src/stdbuf.c): a program run with other stdio buffering
(`ping ... | stdbuf -oL awk ...`, `stdbuf -oL tcpdump -l ...`). ipemu's programs
write as they go, so the modes are only checked, as stdbuf checks them before it
sets LD_PRELOAD and execs the program."""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext

TRY = "Try 'stdbuf --help' for more information.\n"
_LONG = {"--input": "i", "--output": "o", "--error": "e"}
# parse_size(): xstrtoumax(str, NULL, 10, &size, "EGkKMPTYZ0"): a power of 1024 per
# letter, of 1000 with a B after it (KB), 1024 with iB (KiB)
_POWERS = "KMGTPEZY"


def _size(mode: str) -> int | None:
    """parse_size(): a number with an optional suffix; None when it is not one."""
    m = re.fullmatch(r"(?a)(\d+)(?:([EGkKMPTYZ])(B|iB)?)?", mode)
    if m is None:
        return None
    number, letter, unit = int(m.group(1)), m.group(2), m.group(3)
    if letter is None:
        return number
    base = 1000 if unit == "B" else 1024
    return number * base ** (_POWERS.index(letter.upper()) + 1)


def _check_mode(stream: str, mode: str) -> None:
    if mode == "L":
        if stream == "i":
            raise CommandError("stdbuf: line buffering stdin is meaningless\n" + TRY, 125)
        return
    if mode == "0":
        return
    size = _size(mode)
    if size is None:
        raise CommandError(f"stdbuf: invalid mode ‘{mode}’\n", 125)
    if size > 0xFFFFFFFFFFFFFFFF:
        raise CommandError(f"stdbuf: invalid mode ‘{mode}’: Value too large for defined "
                           "data type\n", 125)


def main(ctx: ToolContext, argv: list[str]):
    args = argv[1:]
    modes: dict[str, str] = {}
    # getopt_long("+i:o:e:"): options stop at the command
    while args and args[0].startswith("-") and args[0] != "-":
        arg = args.pop(0)
        if arg == "--":
            break
        if arg == "--help":
            ctx.term.out(ctx.profile.usage("stdbuf_help"))
            return 0
        if arg == "--version":
            ctx.term.out(ctx.profile.usage("stdbuf_version"))
            return 0
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            letter = _LONG.get(name)
            if letter is None:
                raise CommandError(f"stdbuf: unrecognized option '{arg}'\n" + TRY, 125)
            if not eq:
                if not args:
                    raise CommandError(f"stdbuf: option '{name}' requires an argument\n"
                                       + TRY, 125)
                value = args.pop(0)
            _check_mode(letter, value)
            modes[letter] = value
            continue
        letter = arg[1]
        if letter not in "ioe":
            raise CommandError(f"stdbuf: invalid option -- '{letter}'\n" + TRY, 125)
        value = arg[2:]
        if not value:
            if not args:
                raise CommandError(f"stdbuf: option requires an argument -- '{letter}'\n"
                                   + TRY, 125)
            value = args.pop(0)
        _check_mode(letter, value)
        modes[letter] = value
    if not args:
        raise CommandError("stdbuf: missing operand\n" + TRY, 125)
    if not modes:
        raise CommandError("stdbuf: you must specify a buffering mode option\n" + TRY, 125)
    from ipemu.tools.xargs import _exec_error
    if "/" in args[0] and _exec_error(ctx, args[0]) == "Permission denied":
        raise CommandError(f"stdbuf: failed to run command ‘{args[0]}’: Permission denied\n",
                           126)
    # _STDBUF_O for the program's stdio: a program that keeps its output until
    # it flushes (ip netns monitor) reads it when it starts
    ctx.term.stdbuf_out = modes.get("o")
    try:
        return ctx.session.dispatch(
            args, ctx.term, netns=ctx.netns, stdin=ctx.stdin,
            not_found=("stdbuf: failed to run command ‘{name}’: No such file or "
                       "directory\n", 127))
    finally:
        del ctx.term.stdbuf_out
