"""coreutils 9.1's tools over two sorted files and checksums: `comm` (the lines only
in one, only in the other, in both), `join` (lines paired by a field) and `cksum`
(the POSIX CRC, and -a's other digests), as scripts compare two lists of interfaces,
addresses or routes.

Followed: coreutils src/comm.c (compare_files(), writeline(), check_order()),
src/join.c (main(), join(), prjoin(), get_line(), check_order(), decode_field_spec()),
src/cksum.c (cksum_slice8's CRC, output_crc()), src/sum.c (bsd_sum_stream(),
sysv_sum_stream()), src/digest.c (output_file()). The locale is C.UTF-8: lines
compare as bytes."""
from __future__ import annotations

import hashlib

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input


def main(ctx: ToolContext, argv: list[str]):
    return COMMANDS[argv[0].rsplit("/", 1)[-1]](ctx, argv)


def _info(ctx: ToolContext, tool: str, opts: list[tuple[str, str]]) -> int | None:
    """--help or --version, whichever came first (the rest is not looked at)."""
    from ipemu.tools.runwrap import gnu_info
    for flag, _ in opts:
        if flag in ("--help", "--version"):
            return gnu_info(ctx, tool, flag)
    return None


def _missing(tool: str, operands: list[str]) -> None:
    """Two file operands: `missing operand [after ‘X’]`, `extra operand ‘X’`."""
    if len(operands) < 2:
        after = f" after ‘{operands[0]}’" if operands else ""
        raise CommandError(f"{tool}: missing operand{after}\n" + gnuopt.try_help(tool), 1)
    if len(operands) > 2:
        raise gnuopt.extra_operand(tool, operands[2])


def _read(ctx: ToolContext, tool: str, name: str) -> str:
    try:
        return read_input(ctx, name)
    except OSError as err:
        raise CommandError(f"{tool}: {name}: {err.strerror}\n", 1) from None


def _lines(text: str, eol: str) -> list[str]:
    lines = text.split(eol)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# --------------------------------------------------------------------- comm
COMM_LONGS = {"check-order": "--check-order", "nocheck-order": "--nocheck-order",
              "output-delimiter=": "--output-delimiter", "total": "--total",
              "zero-terminated": "z", "help": "--help", "version": "--version"}


def comm(ctx: ToolContext, argv: list[str]) -> int:
    opts, operands = gnuopt.parse(argv[1:], "123z", COMM_LONGS, "comm")
    info = _info(ctx, "comm", opts)
    if info is not None:
        return info
    flags = {flag for flag, _ in opts}
    check = "--check-order" if "--check-order" in flags else \
        "--nocheck-order" if "--nocheck-order" in flags else "default"
    for flag, _ in opts:
        if flag in ("--check-order", "--nocheck-order"):
            check = flag
    delim = "\t"
    for flag, value in opts:
        if flag == "--output-delimiter":
            delim = value or "\0"
    _missing("comm", operands)
    eol = "\0" if "z" in flags else "\n"
    files = [_lines(_read(ctx, "comm", name), eol) for name in operands]
    show = ["1" not in flags, "2" not in flags, "3" not in flags]
    prefix = [0, int(show[0]), int(show[0]) + int(show[1])]
    pos, totals, warned, unpairable = [0, 0], [0, 0, 0], [False, False], False
    out = []

    def step(i: int) -> None:
        pos[i] += 1
        lines = files[i]
        if pos[i] < len(lines) and check != "--nocheck-order" and \
                (check == "--check-order" or unpairable) and not warned[i] and \
                lines[pos[i] - 1].encode() > lines[pos[i]].encode():
            ctx.term.out("".join(out))
            out.clear()
            if check == "--check-order":
                raise CommandError(f"comm: file {i + 1} is not in sorted order\n", 1)
            ctx.term.err(f"comm: file {i + 1} is not in sorted order\n")
            warned[i] = True

    while pos[0] < len(files[0]) or pos[1] < len(files[1]):
        a = files[0][pos[0]] if pos[0] < len(files[0]) else None
        b = files[1][pos[1]] if pos[1] < len(files[1]) else None
        order = 1 if a is None else -1 if b is None else \
            (a.encode() > b.encode()) - (a.encode() < b.encode())
        column, line = (2, a) if order == 0 else (1, b) if order > 0 else (0, a)
        totals[column] += 1
        if column < 2:
            unpairable = True
        if show[column]:
            out.append(delim * prefix[column] + line + eol)
        if order <= 0:
            step(0)
        if order >= 0:
            step(1)
    if "--total" in flags:
        out.append(f"{totals[0]}{delim}{totals[1]}{delim}{totals[2]}{delim}total{eol}")
    ctx.term.out("".join(out))
    if any(warned):
        raise CommandError("comm: input is not in sorted order\n", 1)
    return 0


# --------------------------------------------------------------------- join
JOIN_LONGS = {"ignore-case": "i", "check-order": "--check-order",
              "nocheck-order": "--nocheck-order", "zero-terminated": "z",
              "header": "--header", "help": "--help", "version": "--version"}


def _field_number(text: str) -> int:
    """string_to_join_field(): a positive number, else `invalid field number`."""
    if not text.isdigit() or int(text) == 0:
        raise CommandError(f"join: invalid field number: ‘{text}’\n", 1)
    return int(text) - 1


def _output_spec(text: str) -> list[tuple[int, int]] | str:
    """decode_field_spec(): `0`, `1.N`, `2.N`, by commas or blanks; `auto`."""
    if text == "auto":
        return "auto"
    if not text.replace(",", " ").split():
        raise CommandError(f"join: invalid file number in field spec: ‘{text}’\n", 1)
    spec = []
    for item in text.replace(",", " ").split():
        if item == "0":
            spec.append((0, 0))
            continue
        file, dot, field = item.partition(".")
        if file not in ("1", "2") or not dot:
            if file in ("1", "2"):
                raise CommandError(f"join: invalid field specifier: ‘{item}’\n", 1)
            raise CommandError(f"join: invalid file number in field spec: ‘{item}’\n", 1)
        spec.append((int(file), _field_number(field)))
    return spec


class _Join:
    def __init__(self, ctx: ToolContext, opts: list[tuple[str, str]]) -> None:
        self.ctx = ctx
        self.keys = [0, 0]
        self.tab: str | None = None
        self.unpaired = [False, False]
        self.only_unpaired = False
        self.empty: str | None = None
        self.spec: list | str | None = None
        self.ignore_case = False
        self.check = "default"
        self.header = False
        self.eol = "\n"
        for flag, value in opts:
            self.option(flag, value)

    def option(self, flag: str, value: str) -> None:
        if flag in ("a", "v"):
            if value not in ("1", "2"):
                raise CommandError(f"join: invalid field number: ‘{value}’\n", 1)
            self.unpaired[int(value) - 1] = True
            self.only_unpaired = self.only_unpaired or flag == "v"
        elif flag == "e":
            self.empty = value
        elif flag in ("1", "2"):
            self.keys[int(flag) - 1] = _field_number(value)
        elif flag == "j":
            self.keys = [_field_number(value)] * 2
        elif flag == "o":
            self.spec = _output_spec(value)
        elif flag == "t":
            if len(value) > 1 and value != "\\0":
                raise CommandError(f"join: multi-character tab ‘{value}’\n", 1)
            self.tab = "\0" if value == "\\0" else value or "\n"
        elif flag == "i":
            self.ignore_case = True
        elif flag in ("--check-order", "--nocheck-order"):
            self.check = flag
        elif flag == "--header":
            self.header = True
        elif flag == "z":
            self.eol = "\0"

    def fields(self, line: str) -> list[str]:
        """xfields(): by the tab character, else by runs of blanks (leading ignored)."""
        if self.tab is None:
            return line.split()
        if self.tab == "\n":
            return [line]
        return line.split(self.tab)

    def key(self, fields: list[str], which: int) -> str:
        n = self.keys[which]
        value = fields[n] if n < len(fields) else ""
        return value.lower() if self.ignore_case else value

    def line(self, f1: list[str] | None, f2: list[str] | None) -> str:
        """prjoin(): the join field, file 1's other fields, file 2's; or -o's list."""
        sep = " " if self.tab is None or self.tab == "\n" else self.tab
        spec = self.spec
        if spec == "auto":
            spec = [(0, 0)] + [(1, i) for i in range(len(self.first[0]))
                               if i != self.keys[0]] + \
                [(2, i) for i in range(len(self.first[1])) if i != self.keys[1]]
        if spec is None:
            join_from = f1 if f1 is not None else f2
            which = 0 if f1 is not None else 1
            out = [join_from[self.keys[which]] if self.keys[which] < len(join_from) else ""]
            for i, fields in enumerate((f1, f2)):
                if fields is not None:
                    out += [v for n, v in enumerate(fields) if n != self.keys[i]]
            return sep.join(out) + self.eol
        out = []
        for file, field in spec:
            if file == 0:
                fields, which = (f1, 0) if f1 is not None else (f2, 1)
                field = self.keys[which]
            else:
                fields = f1 if file == 1 else f2
            if fields is not None and field < len(fields):
                out.append(fields[field])
            else:
                out.append(self.empty or "")
        return sep.join(out) + self.eol


def join(ctx: ToolContext, argv: list[str]) -> int:
    opts, operands = gnuopt.parse(argv[1:], "a:e:i1:2:j:o:t:v:z", JOIN_LONGS, "join")
    info = _info(ctx, "join", opts)
    if info is not None:
        return info
    state = _Join(ctx, opts)
    _missing("join", operands)
    files = [[state.fields(line) for line in
              _lines(_read(ctx, "join", name), state.eol)] for name in operands]
    texts = [_lines(_read(ctx, "join", name), state.eol) for name in operands]
    state.first = [f[0] if f else [] for f in files]
    out: list[str] = []
    if state.header and files[0] and files[1]:
        out.append(state.line(files[0][0], files[1][0]))
        files = [f[1:] for f in files]
        texts = [t[1:] for t in texts]
    pos = [0, 0]
    warned = [False, False]
    unpairable = False

    def advance(i: int) -> None:
        """get_line() and check_order(): the next line, its key held to the last's."""
        pos[i] += 1
        if pos[i] < len(files[i]) and state.check != "--nocheck-order" and \
                (state.check == "--check-order" or unpairable) and not warned[i]:
            last, now = state.key(files[i][pos[i] - 1], i), state.key(files[i][pos[i]], i)
            if last.encode() > now.encode():
                ctx.term.out("".join(out))
                out.clear()
                message = (f"join: {operands[i]}:{pos[i] + 1 + state.header}: is not "
                           f"sorted: {texts[i][pos[i]]}\n")
                if state.check == "--check-order":
                    raise CommandError(message, 1)
                ctx.term.err(message)
                warned[i] = True

    while pos[0] < len(files[0]) and pos[1] < len(files[1]):
        k1, k2 = state.key(files[0][pos[0]], 0), state.key(files[1][pos[1]], 1)
        diff = (k1.encode() > k2.encode()) - (k1.encode() < k2.encode())
        if diff:
            which = 0 if diff < 0 else 1
            if state.unpaired[which]:
                out.append(state.line(files[0][pos[0]], None) if which == 0
                           else state.line(None, files[1][pos[1]]))
            unpairable = True
            advance(which)
            continue
        groups = []
        for i, k in enumerate((k1, k2)):
            start = pos[i]
            advance(i)
            while pos[i] < len(files[i]) and state.key(files[i][pos[i]], i) == k:
                advance(i)
            groups.append(files[i][start:pos[i]])
        if not state.only_unpaired:
            out += [state.line(a, b) for a in groups[0] for b in groups[1]]
    for i in (0, 1):
        while pos[i] < len(files[i]):
            unpairable = True
            if state.unpaired[i]:
                out.append(state.line(files[0][pos[0]], None) if i == 0
                           else state.line(None, files[1][pos[1]]))
            advance(i)
    ctx.term.out("".join(out))
    if any(warned):
        raise CommandError("join: input is not in sorted order\n", 1)
    return 0


# -------------------------------------------------------------------- cksum
CKSUM_ALGORITHMS = ["bsd", "sysv", "crc", "md5", "sha1", "sha224", "sha256", "sha384",
                    "sha512", "blake2b", "sm3"]
CKSUM_LONGS = {"algorithm=": "a", "base64": "--base64", "check": "c", "length=": "l",
               "raw": "--raw", "tag": "--tag", "untagged": "--untagged",
               "zero": "z", "debug": "--debug", "help": "--help", "version": "--version"}


def _crc_table() -> list[int]:
    table = []
    for i in range(256):
        crc = i << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return table


_CRC = _crc_table()


def posix_crc(data: bytes) -> int:
    """cksum.c: the CRC of the bytes, then of the length's bytes (low first)."""
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _CRC[(crc >> 24) ^ byte]
    n = len(data)
    while n:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _CRC[((crc >> 24) ^ n) & 0xFF]
        n >>= 8
    return ~crc & 0xFFFFFFFF


def _sum_line(algorithm: str, data: bytes, name: str | None, tag: bool) -> str:
    label = f" {name}" if name is not None else ""
    if algorithm == "crc":
        return f"{posix_crc(data)} {len(data)}{label}\n"
    if algorithm == "sysv":
        s = sum(data) & 0xFFFFFFFF
        r = (s & 0xFFFF) + (s >> 16)
        return f"{(r & 0xFFFF) + (r >> 16)} {(len(data) + 511) // 512}{label}\n"
    if algorithm == "bsd":
        ck = 0
        for byte in data:
            ck = ((ck >> 1) + ((ck & 1) << 15) + byte) & 0xFFFF
        return f"{ck:05d} {(len(data) + 1023) // 1024:5d}{label}\n"
    digest = hashlib.new(algorithm, data).hexdigest()
    shown = name if name is not None else "-"
    if not tag:
        return f"{digest}  {shown}\n"
    upper = "BLAKE2b" if algorithm == "blake2b" else algorithm.upper()
    return f"{upper} ({shown}) = {digest}\n"


def cksum(ctx: ToolContext, argv: list[str]) -> int:
    opts, operands = gnuopt.parse(argv[1:], "a:cl:wz", CKSUM_LONGS, "cksum")
    info = _info(ctx, "cksum", opts)
    if info is not None:
        return info
    algorithm, tag = "crc", True
    for flag, value in opts:
        if flag == "a":
            # cksum.c: XARGMATCH over exact names only (no abbreviations)
            if value not in CKSUM_ALGORITHMS or value == "sm3":
                kind = "invalid"
                valid = "".join(f"\n  - ‘{a}’" for a in CKSUM_ALGORITHMS)
                raise CommandError(f"cksum: {kind} argument ‘{value}’ for ‘--algorithm’\n"
                                   f"Valid arguments are:{valid}\n"
                                   + gnuopt.try_help("cksum"), 1)
            algorithm = value
        elif flag == "--untagged":
            tag = False
        elif flag == "--tag":
            tag = True
    status = 0
    out = []
    for name in operands or ["-"]:
        try:
            data = _bytes(ctx, name)
        except IsADirectoryError as err:
            if algorithm != "crc":
                ctx.term.out("".join(out))
                out = []
                ctx.term.err(f"cksum: {name}: {err.strerror}\n")
                status = 1
                continue
            data = b""      # cksum.c's own read loop takes a directory as empty
        except OSError as err:
            ctx.term.out("".join(out))
            out = []
            ctx.term.err(f"cksum: {name}: {err.strerror}\n")
            status = 1
            continue
        out.append(_sum_line(algorithm, data, name if operands else None, tag))
    ctx.term.out("".join(out))
    return status


def _bytes(ctx: ToolContext, name: str) -> bytes:
    """The operand's bytes (the shell's text as UTF-8; a file's own bytes)."""
    if name != "-":
        fs = ctx.session.fs
        path = fs.resolve(name, ctx.session.cwd)
        if fs.exists(path) and not fs.is_dir(path):
            try:
                return fs.read(path)
            except OSError:
                pass
    return read_input(ctx, name).encode("utf-8", "surrogateescape")


COMMANDS = {"comm": comm, "join": join, "cksum": cksum}
