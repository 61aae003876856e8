"""coreutils 9.1's numfmt: numbers to and from human units (`--to=iec 2048` is 2.0K),
with --from/--to/--suffix/--format/--padding/--round/--field/--header/--invalid, in
numfmt.c's ways: its own number reader (simple_strtod_human(): no sign but `-`, no
exponent, one suffix letter of KMGTPEZY), rounding away from zero by default, one
decimal shown below 10 of a unit, and its errors (status 2 for a number it cannot
convert, stopping there unless --invalid says otherwise; 1 for bad options).
Arithmetic is exact (fractions) where numfmt.c uses long double."""
from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input

SUFFIXES = "KMGTPEZY"          # 9.1: no k, R or Q
MAX_UNSCALED_DIGITS = 18        # LDBL_DIG
MAX_ACCEPTABLE_DIGITS = 27      # 999Y
SCALES_FROM = ["none", "auto", "si", "iec", "iec-i"]
SCALES_TO = ["none", "si", "iec", "iec-i"]
ROUNDS = ["up", "down", "from-zero", "towards-zero", "nearest"]
INVALIDS = ["abort", "fail", "warn", "ignore"]
LONGS = {"from=": "--from", "from-unit=": "--from-unit", "to=": "--to",
         "to-unit=": "--to-unit", "round=": "--round", "padding=": "--padding",
         "suffix=": "--suffix", "grouping": "--grouping", "delimiter=": "d",
         "field=": "--field", "debug": "--debug", "header": "--header",
         "format=": "--format", "invalid=": "--invalid", "zero-terminated": "z",
         "help": "--help", "version": "--version"}


class Conversion(Exception):
    """A number numfmt cannot convert: its message (status 2 unless --invalid)."""


class Abort(Exception):
    pass


def _q(text: str) -> str:
    return f"‘{text}’"


def _argmatch(option: str, value: str, choices: list[str]) -> str:
    """argmatch.c: an exact name, or the one name the value begins."""
    if value in choices:
        return value
    found = [c for c in choices if c.startswith(value)]
    if len(found) == 1:
        return found[0]
    kind = "ambiguous" if found else "invalid"
    valid = "".join(f"\n  - {_q(c)}" for c in choices)
    raise CommandError(f"numfmt: {kind} argument {_q(value)} for {_q(option)}\n"
                       f"Valid arguments are:{valid}\n" + gnuopt.try_help("numfmt"), 1)


class Numfmt:
    def __init__(self) -> None:
        self.scale_from = "none"
        self.scale_to = "none"
        self.round = "from-zero"
        self.invalid = "abort"
        self.suffix: str | None = None
        self.from_unit = 1
        self.to_unit = 1
        self.grouping = False
        self.padding = 0
        self.zero_width = 0
        self.precision = -1
        self.prefix = ""
        self.fmt_suffix = ""
        self.delimiter: str | None = None
        self.fields: list[tuple[int, int]] | None = None
        self.header = 0
        self.auto_padding = False

    # ------------------------------------------------------------- reading
    def parse_number(self, text: str) -> tuple[Fraction, int]:
        """simple_strtod_human() and parse_human_number(): the value and the
        number of digits after the point."""
        m = re.match(r"(-?)(\d*)", text)
        sign, digits = m.group(1), m.group(2)
        rest = text[m.end():]
        if not digits and not rest.startswith("."):
            raise Conversion(f"invalid number: {_q(text)}")
        if len(digits.lstrip("0")) > MAX_ACCEPTABLE_DIGITS:
            raise Conversion(f"value too large to be converted: {_q(text)}")
        value = Fraction(int(digits or "0"))
        precision = 0
        if rest.startswith("."):
            frac = re.match(r"-?\d*", rest[1:]).group(0)
            # simple_strtod_int() of the fraction: no digit is wrong unless a
            # second point follows ("1..2" fails later, on its suffix)
            if not frac.lstrip("-") and not rest[1 + len(frac):].startswith("."):
                raise Conversion(f"invalid number: {_q(text)}")
            if frac.startswith("-"):
                raise Conversion(f"invalid number: {_q(text)}")
            value += Fraction(int(frac or "0"), 10 ** len(frac))
            precision = len(frac)
            rest = rest[1 + len(frac):]
        if sign:
            value = -value
        if rest:
            rest = rest.lstrip(" \t")
            if not rest or rest[0] not in SUFFIXES:
                raise Conversion(f"invalid suffix in input: {_q(text)}")
            if self.scale_from == "none":
                raise Conversion(f"rejecting suffix in input: {_q(text)} (consider "
                                 "using --from)")
            power = SUFFIXES.index(rest[0]) + 1
            base = 1024 if self.scale_from in ("iec", "iec-i") else 1000
            rest = rest[1:]
            if self.scale_from == "auto" and rest.startswith("i"):
                base, rest = 1024, rest[1:]
            elif self.scale_from == "iec-i":
                if not rest.startswith("i"):
                    raise Conversion(f"missing 'i' suffix in input: {_q(text)} (e.g "
                                     "Ki/Mi/Gi)")
                rest = rest[1:]
            precision = 0
            value *= base ** power
            if rest:
                raise Conversion(f"invalid suffix in input {_q(text)}: {_q(rest)}")
        return value, precision

    # ------------------------------------------------------------- printing
    def rounded(self, value: Fraction) -> int:
        """simple_round(): to an integer by the --round method."""
        if self.round == "up":
            return math.ceil(value)
        if self.round == "down":
            return math.floor(value)
        if self.round == "towards-zero":
            return math.trunc(value)
        if self.round == "nearest":
            return math.trunc(value - Fraction(1, 2) if value < 0 else value + Fraction(1, 2))
        return math.floor(value) if value < 0 else math.ceil(value)

    def _fixed(self, value: Fraction, precision: int, negative_zero: bool = False) -> str:
        """printf's %0W.PLf of value (long double's digits are exact here)."""
        text = format(Decimal(value.numerator) / Decimal(value.denominator), f".{precision}f") \
            if value.denominator != 1 else format(Decimal(value.numerator), f".{precision}f")
        if negative_zero and not text.startswith("-"):
            text = "-" + text
        if self.zero_width:
            sign = "-" if text.startswith("-") else ""
            text = sign + text[len(sign):].rjust(self.zero_width - len(sign), "0")
        return text

    def human(self, value: Fraction, precision: int) -> str:
        """double_to_human()."""
        suffix = self.suffix or ""
        if self.scale_to == "none":
            scale = 10 ** precision
            value = Fraction(self.rounded(value * scale), scale)
            return self._fixed(value, precision) + suffix
        base = 1024 if self.scale_to in ("iec", "iec-i") else 1000
        power = 0
        while abs(value) >= base:
            value /= base
            power += 1
        if self.precision != -1:
            adjust = min(power * 3, self.precision)
        else:
            adjust = 1 if abs(value) < 10 else 0
        unrounded = value
        value = Fraction(self.rounded(value * 10 ** adjust), 10 ** adjust)
        if abs(value) >= base:
            value /= base
            power += 1
        show_point = value != 0 and abs(value) < 10 and power > 0
        prec = self.precision if self.precision != -1 else int(show_point)
        # a value that rounded to 0 from below keeps its sign: printf's "-0"
        text = self._fixed(value, prec, negative_zero=value == 0 and unrounded < 0)
        letter = SUFFIXES[power - 1] if power else ""
        i = "i" if self.scale_to == "iec-i" and power > 0 else ""
        return text + letter + i + suffix

    def padded(self, value: Fraction, precision: int) -> str:
        """prepare_padded_number() and print_padded_number()."""
        used = precision if self.precision == -1 else self.precision
        digits = 0
        magnitude = abs(float(value))     # expld(val, 10) in floating point
        while magnitude >= 10:
            magnitude /= 10
            digits += 1
        if self.scale_to == "none" and digits + used > MAX_UNSCALED_DIGITS:
            shown = _g(value)
            if used:
                raise Conversion(f"value/precision too large to be printed: '{shown}/"
                                 f"{used}' (consider using --to)")
            raise Conversion(f"value too large to be printed: '{shown}' (consider using "
                             "--to)")
        if digits > MAX_ACCEPTABLE_DIGITS - 1:
            raise Conversion(f"value too large to be printed: '{_g(value)}' (cannot "
                             "handle values > 999Y)")
        text = self.human(value, used)
        pad = 0
        if self.padding < 0 and self.padding < -len(text):
            pad = self.padding + len(text)
        elif self.padding > 0 and len(text) < self.padding:
            pad = self.padding - len(text)
        return self.prefix + " " * max(pad, 0) + text + " " * max(-pad, 0) + self.fmt_suffix

    # ------------------------------------------------------------- lines
    def included(self, field: int) -> bool:
        if self.fields is None:
            return field == 1
        return any(lo <= field <= hi for lo, hi in self.fields)

    def field_text(self, text: str, field: int) -> str:
        """process_field(): the converted number, or the text as it was."""
        if not self.included(field):
            return text
        body = text
        if self.suffix and len(body) > len(self.suffix) and body.endswith(self.suffix):
            body = body[:-len(self.suffix)]
        stripped = body.lstrip(" \t")
        if self.auto_padding:
            self.padding = len(body) if (len(stripped) < len(body) or field > 1) else 0
        value, precision = self.parse_number(stripped)
        value = value * self.from_unit / self.to_unit
        return self.padded(value, precision)

    def line(self, ctx: ToolContext, text: str, newline: str | None) -> bool:
        """process_line(): each field in turn, joined by the delimiter (a blank)."""
        ok = True
        out: list[str] = []
        fields = _split_fields(text, self.delimiter)
        for index, (field, sep) in enumerate(fields, start=1):
            try:
                out.append(self.field_text(field, index))
            except Conversion as err:
                ok = False
                if self.invalid == "abort":
                    ctx.term.err(f"numfmt: {err}\n")
                    ctx.term.out("".join(out))   # the partial line, flushed at exit
                    raise Abort() from None
                if self.invalid != "ignore":
                    ctx.term.err(f"numfmt: {err}\n")
                out.append(field)
            out.append(sep)
        ctx.term.out("".join(out) + (newline or ""))
        return ok


def _g(value: Fraction) -> str:
    return "%g" % float(value)


def _split_fields(text: str, delimiter: str | None) -> list[tuple[str, str]]:
    """next_field(): with blanks, a field is its leading blanks and the word; the one
    blank after it is the separator printed back (as a space)."""
    if delimiter is not None:
        parts = text.split(delimiter)
        return [(p, delimiter) for p in parts[:-1]] + [(parts[-1], "")]
    fields = []
    i = 0
    while True:
        start = i
        while i < len(text) and text[i] in " \t\n":
            i += 1
        while i < len(text) and text[i] not in " \t\n":
            i += 1
        if i < len(text):
            fields.append((text[start:i], " "))
            i += 1
        else:
            fields.append((text[start:i], ""))
            return fields


def _fields(spec: str) -> list[tuple[int, int]]:
    """set_fields() with SETFLD_ALLOW_DASH: N, N-, N-M, -M, - and commas."""
    ranges = []
    for part in spec.split(","):
        m = re.fullmatch(r"(\d*)(-?)(\d*)", part)
        if not m or (not part):
            raise CommandError(f"numfmt: invalid field value {_q(part)}\n"
                               + gnuopt.try_help("numfmt"), 1)
        lo, dash, hi = m.groups()
        if not dash:
            if int(lo) == 0:
                raise CommandError("numfmt: fields are numbered from 1\n"
                                   + gnuopt.try_help("numfmt"), 1)
            ranges.append((int(lo), int(lo)))
        else:
            low = int(lo) if lo else 1
            high = int(hi) if hi else 1 << 62
            if lo and int(lo) == 0:
                raise CommandError("numfmt: fields are numbered from 1\n"
                                   + gnuopt.try_help("numfmt"), 1)
            if high < low:
                raise CommandError("numfmt: invalid decreasing range\n"
                                   + gnuopt.try_help("numfmt"), 1)
            ranges.append((low, high))
    return ranges


def _unit(text: str) -> int:
    """unit_to_umax(): N with an optional K/M... (1000s) or Ki/Mi... (1024s)."""
    m = re.fullmatch(r"(\d+)(?:([KMGTPEZY])(i?))?", text)
    if not m or int(m.group(1)) == 0:
        raise CommandError(f"numfmt: invalid unit size: {_q(text)}\n", 1)
    n = int(m.group(1))
    if m.group(2):
        n *= (1024 if m.group(3) else 1000) ** (SUFFIXES.index(m.group(2)) + 1)
    return n


def _format(nf: Numfmt, fmt: str) -> None:
    """parse_format_string(): one %[0]['][-][N][.P]f with text around it."""
    i = 0
    prefix = []
    while not (fmt[i:i + 1] == "%" and fmt[i + 1:i + 2] != "%"):
        if i >= len(fmt):
            raise CommandError(f"numfmt: format {_q(fmt)} has no % directive\n", 1)
        prefix.append(fmt[i])
        i += 2 if fmt[i] == "%" else 1
    i += 1
    while True:
        skip = len(fmt[i:]) - len(fmt[i:].lstrip(" "))
        i += skip
        if fmt[i:i + 1] == "'":
            nf.grouping = True
            i += 1
        elif fmt[i:i + 1] == "0":
            i += 1
            nf.zero_width = -1
        elif not skip:
            break
    m = re.match(r"[-+]?\d*", fmt[i:])
    pad = int(m.group(0)) if m.group(0).lstrip("+-") else 0
    if pad:
        if pad < 0:
            nf.padding = pad
        elif nf.zero_width == -1:
            nf.zero_width = pad
        else:
            nf.padding = pad
    if nf.zero_width == -1:
        nf.zero_width = 0
    i += len(m.group(0))
    if i >= len(fmt):
        raise CommandError(f"numfmt: format {_q(fmt)} ends in %\n", 1)
    if fmt[i] == ".":
        i += 1
        m = re.match(r"\d*", fmt[i:])
        if fmt[i:i + 1] in (" ", "\t", "+", "-"):
            raise CommandError(f"numfmt: invalid precision in format {_q(fmt)}\n", 1)
        nf.precision = int(m.group(0) or "0")
        i += len(m.group(0))
    if fmt[i:i + 1] != "f":
        raise CommandError(f"numfmt: invalid format {_q(fmt)}, directive must be "
                           "%[0]['][-][N][.][N]f\n", 1)
    i += 1
    rest = fmt[i:]
    j = 0
    while j < len(rest):
        if rest[j] == "%" and rest[j + 1:j + 2] != "%":
            raise CommandError(f"numfmt: format {_q(fmt)} has too many % directives\n", 1)
        j += 2 if rest[j] == "%" else 1
    nf.prefix = "".join(prefix)
    nf.fmt_suffix = rest


def main(ctx: ToolContext, argv: list[str]) -> int:
    nf = Numfmt()
    args, header = [], None
    for arg in argv[1:]:
        if arg == "--header":
            header = "1"
        elif arg.startswith("--header="):
            header = arg.partition("=")[2]
            if not header.isdigit() or int(header) == 0:
                raise CommandError(f"numfmt: invalid header value {_q(header)}\n", 1)
        else:
            args.append(arg)
    opts, operands = gnuopt.parse(args, "d:z", LONGS, "numfmt")
    fmt = None
    for opt, value in opts:
        if opt == "--from":
            nf.scale_from = _argmatch("--from", value, SCALES_FROM)
        elif opt == "--to":
            nf.scale_to = _argmatch("--to", value, SCALES_TO)
        elif opt == "--round":
            nf.round = _argmatch("--round", value, ROUNDS)
        elif opt == "--invalid":
            nf.invalid = _argmatch("--invalid", value, INVALIDS)
        elif opt == "--from-unit":
            nf.from_unit = _unit(value)
        elif opt == "--to-unit":
            nf.to_unit = _unit(value)
        elif opt == "--grouping":
            nf.grouping = True
        elif opt == "--padding":
            if not re.fullmatch(r"\s*[-+]?\d+", value) or int(value) == 0:
                raise CommandError(f"numfmt: invalid padding value {_q(value)}\n", 1)
            nf.padding = int(value)
        elif opt == "--field":
            if nf.fields is not None:
                raise CommandError("numfmt: multiple field specifications\n", 1)
            nf.fields = _fields(value)
        elif opt == "d":
            if len(value) > 1:
                raise CommandError("numfmt: the delimiter must be a single character\n", 1)
            nf.delimiter = value or "\0"
        elif opt == "--suffix":
            nf.suffix = value
        elif opt == "--format":
            fmt = value
        elif opt == "--help":
            ctx.term.out("Usage: numfmt [OPTION]... [NUMBER]...\n")
            return 0
        elif opt == "--version":
            ctx.term.out("numfmt (GNU coreutils) 9.1\n")
            return 0
    if fmt is not None and nf.grouping:
        raise CommandError("numfmt: --grouping cannot be combined with --format\n", 1)
    if fmt is not None:
        _format(nf, fmt)
    if nf.grouping and nf.scale_to != "none":
        raise CommandError("numfmt: grouping cannot be combined with --to\n", 1)
    nf.auto_padding = nf.padding == 0 and nf.delimiter is None
    ok = True
    try:
        if operands:
            for operand in operands:
                ok &= nf.line(ctx, operand, "\n")
        else:
            text = read_input(ctx, "-")
            lines = text.split("\n")
            last = lines.pop()
            count = int(header or 0)
            for index, line in enumerate(lines + ([last] if last else [])):
                newline = "\n" if index < len(lines) else None
                if index < count:
                    ctx.term.out(line + (newline or ""))
                    continue
                ok &= nf.line(ctx, line, newline)
    except Abort:
        return 2
    return 0 if ok or nf.invalid in ("warn", "ignore") else 2
