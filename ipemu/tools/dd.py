"""coreutils 9.1's dd: blocks copied from if= (or stdin) to of= (or stdout), as a
script makes a test file (`dd if=/dev/zero of=f bs=1k count=4`) or a payload for a
transfer, with its three-line summary on stderr (`4+0 records in`, `4+0 records out`,
`4096 bytes (4.1 kB, 4.0 KiB) copied, T s, R MB/s`).

Followed: coreutils src/dd.c (scanargs(), parse_integer(), dd_copy(),
print_xfer_stats(), print_stats()) and lib/human.c for the sizes. The last line's time
and rate are the simulated copy's (a start-up and a memory rate: the real ones vary
from run to run)."""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input

TRY = "Try 'dd --help' for more information.\n"
# parse_integer()'s suffixes (xstrtoumax with "bcEGkKMPTwYZ0" and the B/iB forms)
UNITS = {"c": 1, "w": 2, "b": 512, "K": 1024, "k": 1024}
POWERS = "KMGTPEZY"
START = 2.5e-05         # seconds dd spends before its first block (recorded: 2e-05..6e-05)
RATE = 1.0e9            # bytes a second through memory (/dev/zero to a pipe)
# the endless devices without a count: what a person lets run before Ctrl-C (seq inf
# and yes stop the same way); with one, at most what memory should hold
ENDLESS_LIMIT = 1024 * 1024
COUNT_LIMIT = 256 * 1024 * 1024
ENDLESS = ("/dev/zero", "/dev/urandom", "/dev/random")
FLAGS_CONV = ("ascii", "ebcdic", "ibm", "block", "unblock", "lcase", "ucase", "sparse",
              "swab", "sync", "excl", "nocreat", "notrunc", "noerror", "fdatasync", "fsync")
STATUS = ("none", "noxfer", "progress")


def _number(text: str) -> int:
    """parse_integer(): NUMBER[SUFFIX], products by `x`."""
    value = 1
    for part in text.split("x"):
        m = re.fullmatch(r"(\d+)([cwbkKMGTPEZY]?)(B|iB)?", part)
        if m is None or (m.group(3) and m.group(2) in ("", "c", "w", "b")):
            raise CommandError(f"dd: invalid number: ‘{text}’\n", 1)
        digits, unit, tail = m.groups()
        n = int(digits)
        if unit in ("c", "w", "b"):
            n *= UNITS[unit]
        elif unit:
            base = 1000 if tail == "B" else 1024
            n *= base ** (POWERS.index(unit.upper()) + 1)
        value *= n
    return value


def _human(amount: float, base: int) -> str:
    """human_readable() with autoscale, round to nearest, a space and B: one decimal
    below 10 of a unit."""
    prefixes = "kMGTPEZY" if base == 1000 else "KMGTPEZY"
    if amount < base:
        return f"{amount:.0f} B"
    power = 0
    while amount >= base and power < len(prefixes):
        amount /= base
        power += 1
    text = f"{amount:.1f}" if amount < 10 else f"{amount:.0f}"
    if float(text) >= base and power < len(prefixes):
        amount, power = float(text) / base, power + 1
        text = f"{amount:.1f}"
    unit = prefixes[power - 1] + ("iB" if base == 1024 else "B")
    return f"{text} {unit}"


def _rate(amount: float) -> str:
    """human_readable()'s inexact path (the rate is a quotient): one decimal while
    `%.1f` takes at most 4 characters (recorded: 9.2, 68.5 kB/s, 101, 123 MB/s)."""
    power = 0
    while round(amount) >= 1000 and power < 8:     # 999.96 kB shows as 1.0 MB
        amount /= 1000
        power += 1
    text = f"{amount:.1f}"
    if len(text) > 4:
        text = f"{amount:.0f}"
    return f"{text} {'kMGTPEZY'[power - 1] + 'B' if power else 'B'}"


def _stats(n_bytes: int, seconds: float) -> str:
    """print_xfer_stats(): bytes, in SI and IEC units where they have a prefix."""
    si, iec = _human(n_bytes, 1000), _human(n_bytes, 1024)
    if not si[-2:-1].isalpha() or si.endswith(" B"):
        size = f"{n_bytes} byte{'' if n_bytes == 1 else 's'}"
    elif iec.endswith(" B"):
        size = f"{n_bytes} bytes ({si})"
    else:
        size = f"{n_bytes} bytes ({si}, {iec})"
    rate = _rate(n_bytes / seconds) if n_bytes else "0.0 kB"
    return f"{size} copied, {seconds:g} s, {rate}/s\n"


def _read_source(ctx: ToolContext, name: str | None, limit: int | None) -> bytes:
    if name is None:
        text = ctx.stdin or ""
        return text.encode("utf-8", "surrogateescape")
    if name in ENDLESS:
        size = ENDLESS_LIMIT if limit is None else min(limit, COUNT_LIMIT)
        if name == "/dev/zero":
            return bytes(size)
        import os
        return os.urandom(size)
    fs = ctx.session.fs
    path = fs.resolve(name, ctx.session.cwd)
    try:
        if fs.exists(path) and not fs.is_dir(path):
            return fs.read(path)
        return read_input(ctx, name).encode("utf-8", "surrogateescape")
    except IsADirectoryError:
        raise
    except OSError as err:
        raise CommandError(f"dd: failed to open '{name}': {err.strerror}\n", 1) from None


def _blocks(data: bytes, size: int) -> tuple[list[bytes], int, int]:
    """The blocks of `size` (the last one short), and how many were full and partial."""
    chunks = [data[i:i + size] for i in range(0, len(data), size)]
    full = sum(1 for c in chunks if len(c) == size)
    return chunks, full, len(chunks) - full


def main(ctx: ToolContext, argv: list[str]) -> int:
    ops: dict[str, str] = {}
    for arg in argv[1:]:
        if arg in ("--help", "--version"):
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "dd", arg)
        key, eq, value = arg.partition("=")
        if not eq or key not in ("if", "of", "bs", "ibs", "obs", "cbs", "count", "skip",
                                 "seek", "iseek", "oseek", "conv", "status", "iflag",
                                 "oflag"):
            raise CommandError(f"dd: unrecognized operand ‘{arg}’\n" + TRY, 1)
        ops[key] = value
    status = ops.get("status")
    if status is not None and status not in STATUS:
        raise CommandError(f"dd: invalid status level: ‘{status}’\n" + TRY, 1)
    sizes = {}
    for key in ("bs", "ibs", "obs", "cbs"):
        if key in ops:
            sizes[key] = _number(ops[key])
            if sizes[key] == 0:
                raise CommandError(f"dd: invalid number: ‘{ops[key]}’\n", 1)
    counts = {key: _number(ops[key]) for key in ("count", "skip", "seek", "iseek", "oseek")
              if key in ops}
    conv = ops["conv"].split(",") if "conv" in ops else []
    for c in conv:
        if c not in FLAGS_CONV:
            raise CommandError(f"dd: invalid conversion: ‘{c}’\n" + TRY, 1)
    ibs = sizes.get("bs", sizes.get("ibs", 512))
    obs = sizes.get("bs", sizes.get("obs", 512))
    skip = counts.get("skip", counts.get("iseek", 0))
    count = counts.get("count")
    byte_counts = "count_bytes" in ops.get("iflag", "")
    source = ops.get("if")
    if source in ENDLESS:
        # an endless device reads the same after any skip (/dev/zero seeks)
        limit = None if count is None else (count if byte_counts else count * ibs)
        data = _read_source(ctx, source, limit)
    else:
        try:
            data = _read_source(ctx, source, None)[skip * ibs:]
        except IsADirectoryError:
            # dd opens a directory but read(2) fails: its error, then the summary
            ctx.term.err(f"dd: error reading '{source}': Is a directory\n")
            if status != "none":
                ctx.term.err("0+0 records in\n0+0 records out\n" +
                             ("" if status == "noxfer" else _stats(0, START)))
            return 1
    if count is not None:
        data = data[:count if byte_counts else count * ibs]
    blocks, full_in, part_in = _blocks(data, ibs)
    if "sync" in conv:
        blocks = [b.ljust(ibs, b"\0") for b in blocks]
    out = b"".join(blocks)
    if "ucase" in conv:
        out = out.upper()
    elif "lcase" in conv:
        out = out.lower()
    if "swab" in conv:
        out = b"".join(out[i + 1:i + 2] + out[i:i + 1] for i in range(0, len(out) - 1, 2)) \
            + (out[-1:] if len(out) % 2 else b"")
    if "bs" in sizes:           # bs=: each block read is written as it is
        full_out, part_out = sum(1 for b in blocks if len(b) == ibs), \
            sum(1 for b in blocks if len(b) != ibs)
    else:
        _, full_out, part_out = _blocks(out, obs)
    _write(ctx, ops.get("of"), out, counts.get("seek", counts.get("oseek", 0)) * obs,
           "notrunc" in conv)
    if status != "none":
        summary = f"{full_in}+{part_in} records in\n{full_out}+{part_out} records out\n"
        if status != "noxfer":
            summary += _stats(len(out), START + len(out) / RATE)
        ctx.term.err(summary)
    return 0


def _write(ctx: ToolContext, name: str | None, data: bytes, offset: int,
           notrunc: bool) -> None:
    """of=: the file (created, truncated at the seek point unless notrunc) or stdout."""
    if name is None:
        ctx.term.out(data.decode("utf-8", "surrogateescape"))
        return
    if name == "/dev/null":
        return
    fs = ctx.session.fs
    path = fs.resolve(name, ctx.session.cwd)
    try:
        old = fs.read(path) if fs.exists(path) and (offset or notrunc) else b""
        head = old[:offset].ljust(offset, b"\0")
        tail = old[offset + len(data):] if notrunc else b""
        fs.write(path, head + data + tail)
    except OSError as err:
        raise CommandError(f"dd: failed to open '{name}': {err.strerror}\n", 1) from None
