"""diffutils 3.8's cmp: two files compared byte by byte, as tutorials compare two
namespace inode numbers or two captures (`stat -L -c %i ... | cmp - saved`).

Followed: diffutils src/cmp.c (main(), cmp(), the `differ: byte N, line M` and the
`EOF on FILE ...` messages, -l's `%*d %3o %3o` lines, -b's sprintc()). Recorded on
the machine (tutorials45): `cmp: EOF on c after byte 4, line 1` when the shorter file
ends with a newline, `..., in line 1` when it does not, `... which is empty`, and
only `after byte N` with -l; status 0 same, 1 different, 2 trouble."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input

LONGS = {"print-bytes": "b", "ignore-initial=": "i", "verbose": "l", "bytes=": "n",
         "quiet": "s", "silent": "s", "help": "--help", "version": "--version"}
TRY = "cmp: Try 'cmp --help' for more information.\n"


def _number(text: str, what: str) -> int:
    if not text.isdigit():
        raise CommandError(f"cmp: invalid --{what} value '{text}'\n{TRY}", 2)
    return int(text)


def _read(ctx: ToolContext, name: str) -> bytes:
    try:
        return read_input(ctx, name).encode("utf-8", "surrogateescape")
    except OSError as err:
        raise CommandError(f"cmp: {name}: {err.strerror}\n", 2) from None


def sprintc(byte: int) -> str:
    """cmp.c sprintc(): a byte as -b shows it (M- for the high bit, ^X for controls)."""
    text = ""
    if byte >= 128:
        text, byte = "M-", byte - 128
    if byte < 32:
        return f"{text}^{chr(byte + 64)}"
    if byte == 127:
        return f"{text}^?"
    return text + chr(byte)


def main(ctx: ToolContext, argv: list[str]) -> int:
    opts, operands = gnuopt.parse(argv[1:], "bi:ln:s", LONGS, "cmp", status=2, usage=TRY)
    for flag, _ in opts:
        if flag in ("--help", "--version"):
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "cmp", flag)
    silent = verbose = show_bytes = False
    limit = None
    skips = [0, 0]
    for flag, value in opts:
        silent |= flag == "s"
        verbose |= flag == "l"
        show_bytes |= flag == "b"
        if flag == "n":
            limit = _number(value, "bytes")
        if flag == "i":
            first, _, second = value.partition(":")
            skips = [_number(first, "ignore-initial")] * 2
            if second:
                skips[1] = _number(second, "ignore-initial")
    if not operands:
        raise CommandError(f"cmp: missing operand after 'cmp'\n{TRY}", 2)
    if len(operands) > 4:
        raise CommandError(f"cmp: extra operand '{operands[4]}'\n{TRY}", 2)
    names = (operands + ["-"])[:2]
    for i, extra in enumerate(operands[2:4]):
        skips[i] = _number(extra, "ignore-initial")
    data = [_read(ctx, name)[skip:] for name, skip in zip(names, skips)]
    if limit is not None:
        data = [d[:limit] for d in data]
    smaller = min(len(d) for d in data)
    width = len(str(smaller if limit is None else min(limit, smaller) or 1))
    status = 0
    lines = 1
    out = []
    for index in range(smaller):
        a, b = data[0][index], data[1][index]
        if a != b:
            status = 1
            if silent:
                break
            if not verbose:
                tail = (f" is {a:3o} {sprintc(a)} {b:3o} {sprintc(b)}" if show_bytes
                        else "")
                out.append(f"{names[0]} {names[1]} differ: byte {index + 1}, "
                           f"line {lines}{tail}\n")
                break
            out.append(f"{index + 1:{width}} {a:3o} {b:3o}\n" if not show_bytes else
                       f"{index + 1:{width}} {a:3o} {sprintc(a):<4} {b:3o} {sprintc(b)}\n")
        if a == 10:
            lines += 1
    ctx.term.out("".join(out))
    if len(data[0]) != len(data[1]) and (verbose or status == 0):
        status = 1
        if not silent:
            short = names[0] if len(data[0]) < len(data[1]) else names[1]
            prefix = data[0][:smaller]
            if not smaller:
                ctx.term.err(f"cmp: EOF on {short} which is empty\n")
            elif verbose:
                ctx.term.err(f"cmp: EOF on {short} after byte {smaller}\n")
            elif prefix.endswith(b"\n"):
                ctx.term.err(f"cmp: EOF on {short} after byte {smaller}, line "
                             f"{prefix.count(10)}\n")
            else:
                ctx.term.err(f"cmp: EOF on {short} after byte {smaller}, in line "
                             f"{prefix.count(10) + 1}\n")
    return status
