"""coreutils 9.1's shuf: the lines of a file or of standard input (or -e's words, or
-i's numbers) in a random order, as scripts pick a random port, address or peer
(`shuf -i 1024-65535 -n 1`, `shuf -n 1 peers.txt`).

With --random-source=FILE the order is the one the real shuf makes from FILE's
bytes, byte for byte: gnulib's randint_genmax() takes the bytes big-endian as
it needs them and keeps the remainder's randomness; randperm_new() is a
Fisher-Yates over the first H positions; -n from a pipe is reservoir sampling
(shuf.c read_input_reservoir_sampling(): input_size() of a pipe is unknown).
Without a source the host's seeded generator stands in for getrandom().

Followed: coreutils src/shuf.c (main(), read_input(), write_*()), gl/lib/randint.c,
gl/lib/randperm.c, gl/lib/randread.c (randread_error())."""
from __future__ import annotations

import random

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input

UCHAR_MAX = 255
RANDINT_MASK = (1 << 64) - 1        # randint is uintmax_t
SIZE_MAX = (1 << 64) - 1
LONGS = {"echo": "e", "input-range=": "i", "head-count=": "n", "output=": "o",
         "random-source=": "--random-source", "repeat": "r", "zero-terminated": "z",
         "help": "--help", "version": "--version"}


class RandomSource:
    """randint_source over randread: bytes from a file in order (`FILE: end of
    file` when they run out), or the host's generator."""

    def __init__(self, data: bytes | None, name: str, rng: random.Random) -> None:
        self.data, self.name, self.rng = data, name, rng
        self.pos = 0
        self.randnum = 0
        self.randmax = 0

    def read(self, count: int) -> bytes:
        if self.data is None:
            return bytes(self.rng.randrange(256) for _ in range(count))
        if self.pos + count > len(self.data):
            # randread_error(): errno is 0 at end of file
            raise CommandError(f"shuf: ‘{self.name}’: end of file\n", 1)
        chunk = self.data[self.pos:self.pos + count]
        self.pos += count
        return chunk

    def genmax(self, genmax: int) -> int:
        """randint_genmax(): a number in 0..genmax."""
        randnum, randmax = self.randnum, self.randmax
        choices = genmax + 1
        while True:
            if randmax < genmax:
                rmax, count = randmax, 0
                while True:
                    rmax = ((rmax << 8) + UCHAR_MAX) & RANDINT_MASK
                    count += 1
                    if rmax >= genmax:
                        break
                buf = self.read(count)
                i = 0
                while True:
                    randnum = ((randnum << 8) + buf[i]) & RANDINT_MASK
                    randmax = ((randmax << 8) + UCHAR_MAX) & RANDINT_MASK
                    i += 1
                    if randmax >= genmax:
                        break
            if randmax == genmax:
                self.randnum = self.randmax = 0
                return randnum
            excess = randmax - genmax
            unusable = excess % choices
            last_usable = randmax - unusable
            reduced = randnum % choices
            if randnum <= last_usable:
                self.randnum = randnum // choices
                self.randmax = excess // choices
                return reduced
            randnum, randmax = reduced, unusable - 1

    def choose(self, n: int) -> int:
        """randint_choose(): 0..n-1."""
        return self.genmax(n - 1)


def randperm(source: RandomSource, h: int, n: int) -> list[int]:
    """randperm_new(): the first H of a random permutation of N (sparse or not, the
    same swaps)."""
    if h == 0:
        return []
    if h == 1:
        return [source.choose(n)]
    v: dict[int, int] = {}
    out = []
    for i in range(h):
        j = i + source.choose(n - i)
        vi, vj = v.get(i, i), v.get(j, j)
        v[i], v[j] = vj, vi
        out.append(vj)
    return out


def _decimal(text: str) -> int | None:
    """xdectoumax()'s accepted form: digits (leading blanks and `+` allowed)."""
    word = text.lstrip(" \t\n")
    word = word[1:] if word.startswith("+") else word
    return int(word) if word.isdigit() else None


def main(ctx: ToolContext, argv: list[str]) -> int:
    opts, operands = gnuopt.parse(argv[1:], "ei:n:o:rz", LONGS, "shuf")
    echo = repeat = False
    lo = hi = None
    head = SIZE_MAX
    outfile = source_name = None
    eol = "\n"
    for flag, value in opts:
        if flag in ("--help", "--version"):
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "shuf", flag)
        if flag == "e":
            echo = True
        elif flag == "i":
            if lo is not None:
                raise CommandError("shuf: multiple -i options specified\n", 1)
            low, dash, high = value.partition("-")
            # xdectoumax() quotes the part it could not read; the range check, all
            for part in ([low] if dash else []) + [high if dash else value]:
                if _decimal(part) is None:
                    raise CommandError(f"shuf: invalid input range: ‘{part}’\n", 1)
            lo, hi = (_decimal(low) if dash else 0), _decimal(high if dash else value)
            if not dash or lo > hi + 1:
                raise CommandError(f"shuf: invalid input range: ‘{value}’\n", 1)
        elif flag == "n":
            count = _decimal(value)
            if count is None:
                raise CommandError(f"shuf: invalid line count: ‘{value}’\n", 1)
            head = min(head, count)
        elif flag == "o":
            if outfile is not None and outfile != value:
                raise CommandError("shuf: multiple output files specified\n", 1)
            outfile = value
        elif flag == "--random-source":
            if source_name is not None and source_name != value:
                raise CommandError("shuf: multiple random sources specified\n", 1)
            source_name = value
        elif flag == "r":
            repeat = True
        elif flag == "z":
            eol = "\0"
    ranged = lo is not None
    if echo and ranged:
        raise CommandError("shuf: cannot combine -e and -i options\n"
                           + gnuopt.try_help("shuf"), 1)
    if (len(operands) > 0) if ranged else (not echo and len(operands) > 1):
        raise gnuopt.extra_operand("shuf", operands[0 if ranged else 1])
    lines: list[str] = []
    reservoir = False
    if head == 0:
        n_lines = 0
    elif echo:
        lines = [word + eol for word in operands]
        n_lines = len(lines)
    elif ranged:
        n_lines = hi - lo + 1
    else:
        name = operands[0] if operands else "-"
        try:
            text = read_input(ctx, name)
        except IsADirectoryError as err:
            # a directory opens; fread_file() fails
            raise CommandError(f"shuf: read error: {err.strerror}\n", 1) from None
        except OSError as err:
            raise CommandError(f"shuf: {name}: {err.strerror}\n", 1) from None
        if text and not text.endswith(eol):
            text += eol
        lines = [part + eol for part in text.split(eol)[:-1]] if text else []
        n_lines = len(lines)
        # input_size() of a pipe is unknown: -n without -r samples a reservoir
        reservoir = name == "-" and not repeat and head != SIZE_MAX
    ahead = head if repeat or head < n_lines else n_lines
    source = _source(ctx, source_name)
    if reservoir:
        lines = _reservoir(source, lines, ahead)
        n_lines = ahead = len(lines)
    out: list[str] = []
    if repeat:
        if head:
            if n_lines == 0:
                raise CommandError("shuf: no lines to repeat\n", 1)
            for _ in range(ahead):
                j = source.choose(n_lines)
                out.append(f"{lo + j}{eol}" if ranged else lines[j])
    else:
        for j in randperm(source, ahead, n_lines):
            out.append(f"{lo + j}{eol}" if ranged else lines[j])
    if outfile is not None:
        try:
            ctx.session.fs.write(ctx.session.fs.resolve(outfile, ctx.session.cwd),
                                 "".join(out).encode())
        except OSError as err:
            raise CommandError(f"shuf: {outfile}: {err.strerror}\n", 1) from None
        return 0
    ctx.term.out("".join(out))
    return 0


def _source(ctx: ToolContext, name: str | None) -> RandomSource:
    # getrandom(): a new draw each run (from the host's seed and a count of the runs,
    # so a replay draws the same, and the kernel's own generator is left alone)
    runs = getattr(ctx.session, "shuf_runs", 0) + 1
    ctx.session.shuf_runs = runs
    rng = random.Random(f"{ctx.host.seed}/{runs}")
    if name is None:
        return RandomSource(None, "getrandom", rng)
    try:
        data = read_input(ctx, name).encode("utf-8", "surrogateescape") \
            if name == "-" else ctx.session.fs.read(ctx.session.fs.resolve(name, ctx.session.cwd))
    except IsADirectoryError as err:
        # randread_error(): the source opened, its read failed
        raise CommandError(f"shuf: ‘{name}’: read error: {err.strerror}\n", 1) from None
    except OSError as err:
        raise CommandError(f"shuf: {name}: {err.strerror}\n", 1) from None
    return RandomSource(data, name, rng)


def _reservoir(source: RandomSource, lines: list[str], k: int) -> list[str]:
    """read_input_reservoir_sampling(): the first K lines fill it; each later line
    takes slot j = randint_choose(n + 1) if j < K."""
    kept = lines[:k]
    n = len(kept)
    if n < k or n == len(lines):
        # the loop still asks once after the K-th line when more input may follow
        if n == k and k:
            source.choose(n + 1)
        return kept
    for line in lines[k:]:
        j = source.choose(n + 1)
        if j < k:
            kept[j] = line
        n += 1
    source.choose(n + 1)        # the draw for the read that finds the end
    return kept
