"""GNU coreutils 9.1 filters scripts pipe `ip` through, as they print in Debian 12's
C.UTF-8 locale: cut, sort, uniq, tr, head, tail, seq, tee, cat (with -n -A -E -T -v
-s -b), basename, dirname. Each reads its operands or standard input
(textio.read_input) and reports errors in coreutils' words and quotes."""
from __future__ import annotations

import functools
import re

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import getopt, read_input, split_lines
from ipemu.tools.textutils import quotef


def _try(tool: str) -> str:
    return f"Try '{tool} --help' for more information.\n"


def _inputs(ctx: ToolContext, tool: str, names: list[str]):
    """(name, text) of each operand that opens; errors printed, status in .failed."""
    for name in names or ["-"]:
        try:
            yield name, read_input(ctx, name)
        except IsADirectoryError as err:
            ctx.term.err(f"{tool}: {name}: {err.strerror}\n")
            _inputs.failed = True
        except OSError as err:
            ctx.term.err(f"{tool}: {name}: {err.strerror}\n")
            _inputs.failed = True


def _read_all(ctx: ToolContext, tool: str, names: list[str]) -> tuple[str, int]:
    _inputs.failed = False
    text = "".join(t if t.endswith("\n") or not t else t + "\n"
                   for _, t in _inputs(ctx, tool, names))
    return text, 1 if _inputs.failed else 0


# long options as coreutils 9.1's longopts[] tables name them (the ones with a letter)
CUT_LONGS = {"bytes=": "b", "characters=": "c", "delimiter=": "d", "fields=": "f",
             "only-delimited": "s", "zero-terminated": "z", "complement": "",
             "output-delimiter=": ""}
SORT_LONGS = {"ignore-leading-blanks": "b", "check": "c", "dictionary-order": "d",
              "ignore-case": "f", "general-numeric-sort": "g", "human-numeric-sort": "h",
              "ignore-nonprinting": "i", "key=": "k", "merge": "m", "month-sort": "M",
              "numeric-sort": "n", "output=": "o", "random-sort": "R", "reverse": "r",
              "stable": "s", "buffer-size=": "S", "field-separator=": "t",
              "temporary-directory=": "T", "unique": "u", "version-sort": "V",
              "zero-terminated": "z", "sort=": "W"}
# sort.c's sort_args/sort_types: --sort=WORD names one of the ordering options
SORT_WORDS = {"general-numeric": "g", "human-numeric": "h", "month": "M", "numeric": "n",
              "random": "R", "version": "V"}
UNIQ_LONGS = {"count": "c", "repeated": "d", "all-repeated": "D", "skip-fields=": "f",
              "ignore-case": "i", "skip-chars=": "s", "unique": "u", "check-chars=": "w",
              "zero-terminated": "z"}


# ---------------------------------------------------------------------- cut
def _ranges(spec: str, what: str) -> list[tuple[int, int]]:
    """set_fields(): N, N-M, N-, -M, separated by commas."""
    out = []
    for part in spec.split(","):
        m = re.fullmatch(r"(\d*)(-?)(\d*)", part)
        if not m or part in ("", "-"):
            raise CommandError(f"cut: invalid {what} range\n" if part == "-" else
                               f"cut: invalid {what} value '{part}'\n" + _try("cut"), 1)
        low = int(m.group(1)) if m.group(1) else 1
        high = int(m.group(3)) if m.group(3) else (low if not m.group(2) else 1 << 62)
        if (m.group(1) and low == 0) or (m.group(3) and high == 0):
            raise CommandError(f"cut: {what}s are numbered from 1\n" + _try("cut"), 1)
        if high < low:
            raise CommandError("cut: invalid decreasing range\n" + _try("cut"), 1)
        out.append((low, high))
    return out


def _merged(ranges: list[tuple[int, int]], complement: bool) -> list[tuple[int, int]]:
    """set_fields(): the ranges sorted, overlapping ones merged; with --complement,
    the gaps between them instead."""
    out: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if out and out[-1][1] >= low:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    if not complement:
        return out
    gaps, next_low = [], 1
    for low, high in out:
        if low > next_low:
            gaps.append((next_low, low - 1))
        next_low = high + 1
    if next_low < 1 << 62:
        gaps.append((next_low, 1 << 62))
    return gaps


def cut(ctx: ToolContext, argv: list[str]) -> int:
    opts, files = getopt(argv[1:], "b:c:d:f:nsz", "cut", _try("cut"), CUT_LONGS)
    mode = spec = out_delim = None
    delim = "\t"
    only_delimited = complement = False
    for letter, value in opts:
        if letter == "--complement":
            complement = True
        elif letter == "--output-delimiter":
            out_delim = value
        if letter in "bcf":
            if mode is not None:
                raise CommandError("cut: only one type of list may be specified\n"
                                   + _try("cut"), 1)
            mode, spec = letter, value
        elif letter == "d":
            if len(value) != 1:
                raise CommandError("cut: the delimiter must be a single character\n"
                                   + _try("cut"), 1)
            delim = value
        elif letter == "s":
            only_delimited = True
    if mode is None:
        raise CommandError("cut: you must specify a list of bytes, characters, or fields\n"
                           + _try("cut"), 1)
    ranges = _merged(_ranges(spec, "field" if mode == "f" else "byte/character"), complement)
    starts = {low for low, _ in ranges}

    def wanted(i: int) -> bool:
        return any(low <= i <= high for low, high in ranges)

    text, status = _read_all(ctx, "cut", files)
    out = []
    for line in split_lines(text):
        if mode == "f":
            if delim not in line:
                if not only_delimited:
                    out.append(line + "\n")
                continue
            parts = line.split(delim)
            joiner = delim if out_delim is None else out_delim
            out.append(joiner.join(p for i, p in enumerate(parts, 1) if wanted(i)) + "\n")
        else:
            # cut_bytes(): --output-delimiter goes before each range after the first;
            # -c is -b in coreutils 9.1 (no multibyte support): positions are bytes
            picked = []
            raw = line.encode("utf-8", "surrogateescape")
            for i, byte in enumerate(raw, 1):
                if wanted(i):
                    if out_delim is not None and i in starts and picked:
                        picked.append(out_delim.encode("utf-8", "surrogateescape"))
                    picked.append(bytes((byte,)))
            out.append(b"".join(picked).decode("utf-8", "surrogateescape") + "\n")
    ctx.term.out("".join(out))
    return status


# --------------------------------------------------------------------- sort
def _num(text: str) -> float:
    """sort -n: leading blanks, a sign, digits and a decimal point; else 0."""
    m = re.match(r"\s*(-?\d*\.?\d*)", text)
    value = m.group(1) if m else ""
    try:
        return float(value) if value not in ("", "-", ".", "-.") else 0.0
    except ValueError:
        return 0.0


def _order(s: str, pos: int) -> int:
    """gnulib filevercmp.c order(): ~ first, then the end, digits, letters, others."""
    if pos >= len(s):
        return -1
    c = s[pos]
    if c.isascii() and c.isdigit():
        return 0
    if c.isascii() and c.isalpha():
        return ord(c)
    if c == "~":
        return -2           # before the end: 1.0~rc1 sorts before 1.0
    return ord(c) + 256


def _verrevcmp(s1: str, s2: str) -> int:
    """gnulib filevercmp.c verrevcmp(): non-digit runs by order(), digit runs as
    numbers (leading zeros skipped)."""
    def digit(s: str, pos: int) -> bool:
        return pos < len(s) and "0" <= s[pos] <= "9"
    p1 = p2 = 0
    while p1 < len(s1) or p2 < len(s2):
        first_diff = 0
        while (p1 < len(s1) and not digit(s1, p1)) or (p2 < len(s2) and not digit(s2, p2)):
            c1, c2 = _order(s1, p1), _order(s2, p2)
            if c1 != c2:
                return c1 - c2
            p1 += 1
            p2 += 1
        while p1 < len(s1) and s1[p1] == "0":
            p1 += 1
        while p2 < len(s2) and s2[p2] == "0":
            p2 += 1
        while digit(s1, p1) and digit(s2, p2):
            if not first_diff:
                first_diff = ord(s1[p1]) - ord(s2[p2])
            p1 += 1
            p2 += 1
        if digit(s1, p1):
            return 1
        if digit(s2, p2):
            return -1
        if first_diff:
            return first_diff
    return 0


_SUFFIX = re.compile(r"(?:\.[A-Za-z~][A-Za-z0-9~]*)*$")


def _prefixlen(s: str) -> int:
    """gnulib file_prefixlen(): the name without its suffix, the dotted words
    matching _SUFFIX, which never takes the first character."""
    m = _SUFFIX.search(s, 1) if s else None
    return m.start() if m else len(s)


def filevercmp(a: str, b: str) -> int:
    """gnulib filevercmp() as sort -V calls it (coreutils 9.1)."""
    if not a:
        return -(1 if b else 0)
    if not b:
        return 1
    if a[0] == ".":
        if b[0] != ".":
            return -1
        for special in (".", ".."):
            if a == special or b == special:
                return 0 if a == b else (-1 if a == special else 1)
    elif b[0] == ".":
        return 1
    alen, blen = _prefixlen(a), _prefixlen(b)
    result = _verrevcmp(a[:alen], b[:blen])
    if result or (alen == len(a) and blen == len(b)):
        return result
    return _verrevcmp(a, b)


@functools.total_ordering
class _Version:
    """A key compared as sort -V compares it."""
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __lt__(self, other):
        return filevercmp(self.text, other.text) < 0

    def __eq__(self, other):
        return filevercmp(self.text, other.text) == 0


@functools.total_ordering
class _Rev:
    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return other.value < self.value

    def __eq__(self, other):
        return self.value == other.value


def _fields(line: str, sep: str | None) -> list[tuple[int, int]]:
    """Each field's (start, end): with -t split at SEP; else a field starts with
    the blanks before it (begfield()/limfield())."""
    spans = []
    if sep is not None:
        start = 0
        for i, ch in enumerate(line):
            if ch == sep:
                spans.append((start, i))
                start = i + 1
        spans.append((start, len(line)))
        return spans
    for m in re.finditer(r"[ \t]*[^ \t]+", line):
        spans.append((m.start(), m.end()))
    return spans or [(0, len(line))]


def _key_text(line: str, key: dict, sep: str | None) -> str:
    spans = _fields(line, sep)
    f1, c1 = key["start"]
    if f1 - 1 >= len(spans):
        return ""
    begin = spans[f1 - 1][0]
    if key["b"] or (sep is None and False):
        while begin < len(line) and line[begin] in " \t":
            begin += 1
    begin += c1 - 1 if c1 else 0
    if key["end"] is None:
        end = len(line)
    else:
        f2, c2 = key["end"]
        if f2 - 1 >= len(spans):
            end = len(line)
        elif c2:
            end = spans[f2 - 1][0] + c2
            if sep is None:
                field_start = spans[f2 - 1][0]
                while field_start < len(line) and line[field_start] in " \t":
                    field_start += 1
                end = field_start + c2
        else:
            end = spans[f2 - 1][1]
    return line[begin:max(begin, end)]


_COUNT = re.compile(r"\s*\+?(\d+)")
_ORDERING = re.compile(r"[bdfgiMhnRrV]*")


def _field_count(spec: str, at: int, msgid: str) -> tuple[int, int]:
    """sort.c parse_field_count(): the number at AT (xstrtoumax()) and where it ends."""
    m = _COUNT.match(spec, at)
    if not m:
        raise CommandError(f"sort: {msgid}: invalid count at start of ‘{spec[at:]}’\n", 2)
    return int(m.group(1)), m.end()


def _bad_field(spec: str, msgid: str) -> CommandError:
    return CommandError(f"sort: {msgid}: invalid field specification ‘{spec}’\n", 2)


def _parse_key(spec: str) -> dict:
    """sort.c main()'s case 'k': POS1[,POS2], each FIELD[.CHAR][OPTS]."""
    f1, at = _field_count(spec, 0, "invalid number at field start")
    if not f1:
        raise _bad_field(spec, "field number is zero")
    c1 = 0
    if spec.startswith(".", at):
        c1, at = _field_count(spec, at + 1, "invalid number after '.'")
        if not c1:
            raise _bad_field(spec, "character offset is zero")
    flags = _ORDERING.match(spec, at).group()
    at += len(flags)
    end = None
    if spec.startswith(",", at):
        f2, at = _field_count(spec, at + 1, "invalid number after ','")
        if not f2:
            raise _bad_field(spec, "field number is zero")
        c2 = 0
        if spec.startswith(".", at):
            c2, at = _field_count(spec, at + 1, "invalid number after '.'")
        more = _ORDERING.match(spec, at).group()
        flags += more
        at += len(more)
        end = (f2, c2)
    if at != len(spec):
        raise _bad_field(spec, "stray character in field spec")
    return {"start": (f1, c1), "end": end,
            "n": "n" in flags or "g" in flags or "h" in flags, "h": "h" in flags,
            "r": "r" in flags,
            "b": "b" in flags, "f": "f" in flags, "v": "V" in flags, "own": bool(flags),
            "letters": flags}


def _ordering_opts(letters: str) -> str:
    """sort.c key_to_opts() of a key's ordering options, the blanks and -r left out
    (check_ordering_compatibility() clears them); -d and -i share one field, where
    -i never replaces -d (set_ordering())."""
    drop = "i" if "d" in letters else ""
    return "".join(c for c in "dfghiMnRV" if c in letters and c != drop)


def _check_ordering(letters: str) -> None:
    """sort.c check_ordering_compatibility(): at most one of -n, -g, -h, -M and
    (-V, -R, -d or -i)."""
    opts = _ordering_opts(letters)
    kinds = sum(c in opts for c in "nghM") + any(c in opts for c in "VRdi")
    if kinds > 1:
        raise CommandError(f"sort: options '-{opts}' are incompatible\n", 2)


def _sort_inputs(ctx: ToolContext, names: list[str]) -> str:
    """sort.c's fillbuf()/xfopen(): the first file that does not open or read ends sort
    (status 2: `cannot read: NAME: ERROR`, `read failed: NAME: Is a directory`)."""
    parts = []
    for name in names or ["-"]:
        try:
            text = read_input(ctx, name)
        except IsADirectoryError:
            raise CommandError(f"sort: read failed: {quotef(name)}: Is a directory\n", 2) \
                from None
        except OSError as err:
            raise CommandError(f"sort: cannot read: {quotef(name)}: {err.strerror}\n", 2) \
                from None
        parts.append(text if text.endswith("\n") or not text else text + "\n")
    return "".join(parts)


def _sort_word(value: str) -> str:
    """XARGMATCH("--sort", ...): a word or an unambiguous prefix of one."""
    found = [w for w in SORT_WORDS if w.startswith(value)]
    if value in SORT_WORDS or len(found) == 1:
        return SORT_WORDS[value if value in SORT_WORDS else found[0]]
    kind = "ambiguous" if found else "invalid"
    valid = "".join(f"  - ‘{w}’\n" for w in SORT_WORDS)
    raise CommandError(f"sort: {kind} argument ‘{value}’ for ‘--sort’\n"
                       f"Valid arguments are:\n{valid}{_try('sort')}", 1)


def _sort_options(argv: list[str]) -> tuple:
    """sort.c main()'s option loop, the keys' inheritance of the global options and
    check_ordering_compatibility(): what sort knows before it reads anything."""
    opts, files = getopt(argv[1:], "bcdfghik:mMno:rRsS:t:T:uVz", "sort", _try("sort"),
                         SORT_LONGS)
    opts = [(_sort_word(value), "") if letter == "W" else (letter, value)
            for letter, value in opts]
    numeric = reverse = unique = fold = blanks = stable = version = False
    keys: list[dict] = []
    sep: str | None = None
    output = None
    for letter, value in opts:
        if letter in "ngh":
            numeric = True
        elif letter == "r":
            reverse = True
        elif letter == "u":
            unique = True
        elif letter == "f":
            fold = True
        elif letter == "b":
            blanks = True
        elif letter == "s":
            stable = True
        elif letter == "k":
            keys.append(_parse_key(value))
        elif letter == "t":
            if len(value) != 1:
                raise CommandError("sort: multi-character tab " f"‘{value}’\n", 2)
            sep = value
        elif letter == "o":
            output = value
        elif letter == "V":
            version = True
    ordering = "".join(letter for letter, _ in opts if letter in "dfghiMnRV")
    for key in keys:
        if not key["own"]:
            key.update(n=numeric, r=reverse, f=fold, v=version, b=key["b"] or blanks,
                       letters=ordering, h="h" in ordering)
    # main(): the keys after inheriting the global options, or the global key alone
    for letters in [key["letters"] for key in keys] or [ordering]:
        _check_ordering(letters)
    return (files, keys, sep, output, numeric, reverse, unique, fold, stable, version)


# sort.c's unit_order[]: the SI suffix of a -h number (none 0, K 1 ... Q 10)
_UNITS = {"K": 1, "k": 1, "M": 2, "G": 3, "T": 4, "P": 5, "E": 6, "Z": 7, "Y": 8, "R": 9,
          "Q": 10}


def _unit_order(text: str) -> int:
    """find_unit_order(): the suffix after the number's digits (negative for a
    negative number); human_numcompare() compares it before the number."""
    m = re.match(r"[ \t]*(-?)[0-9.,]*(.?)", text)
    order = _UNITS.get(m.group(2), 0)
    return -order if m.group(1) else order


def _sort_letters(argv: list[str]) -> list[str]:
    opts, _ = getopt(argv[1:], "bcdfghik:mMno:rRsS:t:T:uVz", "sort", _try("sort"),
                     SORT_LONGS)
    return [_sort_word(value) if letter == "W" else letter for letter, value in opts]


def sort_refuses(argv: list[str]) -> bool:
    """Whether sort stops at its options, before it reads its input."""
    try:
        _sort_options(argv)
    except CommandError:
        return True
    return False


def sort(ctx: ToolContext, argv: list[str]) -> int:
    files, keys, sep, output, numeric, reverse, unique, fold, stable, version = \
        _sort_options(argv)
    text, status = _sort_inputs(ctx, files), 0
    if status:
        return 2
    lines = split_lines(text)

    human = any(letter == "h" for letter in _sort_letters(argv))

    def one(value: str, is_num: bool, folded: bool, is_version: bool = False,
            is_human: bool = False):
        if is_num and is_human:
            return (_unit_order(value), _num(value))
        if is_num:
            return _num(value)
        if is_version:
            return _Version(value)
        return value.upper() if folded else value

    def key_of(line: str):
        parts = []
        for key in keys:
            value = one(_key_text(line, key, sep), key["n"], key["f"], key["v"], key["h"])
            parts.append(_Rev(value) if key["r"] else value)
        if not keys:
            value = one(line, numeric, fold, version, human)
            parts.append(_Rev(value) if reverse else value)
        if not stable and not unique:
            # the last-resort comparison of whole lines (reversed by -r)
            parts.append(_Rev(line) if reverse else line)
        return tuple(parts)

    def unique_key(line: str):
        return key_of(line)[:len(keys) or 1]

    ordered = sorted(lines, key=key_of)
    if unique:
        seen = []
        last = object()
        for line in ordered:
            k = unique_key(line)
            if k != last:
                seen.append(line)
                last = k
        ordered = seen
    result = "".join(line + "\n" for line in ordered)
    return _output(ctx, "sort", output if output is not None else "-", result)


# --------------------------------------------------------------------- uniq
def uniq(ctx: ToolContext, argv: list[str]) -> int:
    opts, files = getopt(argv[1:], "cdDf:is:uw:z", "uniq", _try("uniq"), UNIQ_LONGS)
    letters = {letter for letter, _ in opts}
    numbers = {}
    for letter, what in (("f", "fields to skip"), ("s", "bytes to skip"),
                         ("w", "bytes to compare")):
        value = dict(opts).get(letter, "0")
        if not value.isdigit():
            raise CommandError(f"uniq: {value}: invalid number of {what}\n", 1)
        numbers[letter] = int(value)
    skip_fields, skip_chars = numbers["f"], numbers["s"]
    text, status = _read_all(ctx, "uniq", files[:1])
    if status:
        return 1

    def compare_key(line: str) -> str:
        rest = line
        for _ in range(skip_fields):
            rest = re.sub(r"^[ \t]*[^ \t]*", "", rest, count=1)
        rest = rest[skip_chars:]
        if "w" in letters:
            rest = rest[:numbers["w"]]      # -w: check_chars, after the skips
        return rest.lower() if "i" in letters else rest

    groups: list[list[str]] = []
    for line in split_lines(text):
        if groups and compare_key(groups[-1][0]) == compare_key(line):
            groups[-1].append(line)
        else:
            groups.append([line])
    out = []
    for group in groups:
        if "d" in letters and len(group) < 2:
            continue
        if "u" in letters and len(group) > 1:
            continue
        if "D" in letters:
            out.extend(line + "\n" for line in group)
            continue
        out.append((f"{len(group):>7} " if "c" in letters else "") + group[0] + "\n")
    result = "".join(out)
    return _output(ctx, "uniq", files[1] if len(files) > 1 else "-", result)


def _output(ctx: ToolContext, tool: str, name: str, text: str) -> int:
    """Standard output, or the output file named (`-` is standard output)."""
    if name == "-":
        ctx.term.out(text)
        return 0
    try:
        ctx.session.write_file(name, text.encode("utf-8", "surrogateescape"))
    except OSError as err:
        ctx.term.err(f"{tool}: {name}: {err.strerror}\n")
        return 1 if tool == "uniq" else 2
    return 0


# ----------------------------------------------------------------------- tr
TR_CLASSES = {
    "lower": "abcdefghijklmnopqrstuvwxyz", "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "digit": "0123456789", "alpha": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "alnum": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "space": "\t\n\v\f\r ", "blank": "\t ", "punct": "".join(
        chr(c) for c in range(33, 127) if not chr(c).isalnum()),
    "xdigit": "0123456789ABCDEFabcdef", "cntrl": "".join(chr(c) for c in range(32)) + "\x7f",
    "print": "".join(chr(c) for c in range(32, 127)),
    "graph": "".join(chr(c) for c in range(33, 127)),
}


def _tr_set(spec: str) -> str:
    """A tr SET: escapes, ranges a-z, [:class:], [c*n]."""
    chars: list[str] = []
    i = 0

    def one(j: int) -> tuple[str, int]:
        if spec[j] == "\\" and j + 1 < len(spec):
            c = spec[j + 1]
            m = re.match(r"[0-7]{1,3}", spec[j + 1:])
            if m:
                return chr(int(m.group(0), 8)), j + 1 + len(m.group(0))
            return {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
                    "v": "\v", "\\": "\\"}.get(c, c), j + 2
        return spec[j], j + 1

    while i < len(spec):
        m = re.match(r"\[:(\w+):\]", spec[i:])
        if m:
            if m.group(1) not in TR_CLASSES:
                raise CommandError(f"tr: invalid character class ‘{m.group(1)}’\n", 1)
            chars.extend(TR_CLASSES[m.group(1)])
            i += len(m.group(0))
            continue
        m = re.match(r"\[(.)\*(\d*)\]", spec[i:])
        if m:
            chars.extend(m.group(1) * (int(m.group(2)) if m.group(2) else 1))
            i += len(m.group(0))
            continue
        c, j = one(i)
        if j < len(spec) - 1 and spec[j] == "-":
            d, k = one(j + 1)
            if ord(d) < ord(c):
                raise CommandError(f"tr: range-endpoints of ‘{_chars_as_bytes(c + '-' + d)}’ "
                                   "are in reverse collating sequence order\n", 1)
            chars.extend(chr(x) for x in range(ord(c), ord(d) + 1))
            i = k
            continue
        chars.append(c)
        i = j
    return "".join(chars)


def tr(ctx: ToolContext, argv: list[str]) -> int:
    opts, sets = getopt(argv[1:], "cCdst", "tr", _try("tr"))
    letters = {letter for letter, _ in opts}
    complement = bool(letters & {"c", "C"})
    delete, squeeze = "d" in letters, "s" in letters
    need = 2 if (not delete and not squeeze) or (delete and squeeze) else 1
    if not sets:
        raise CommandError("tr: missing operand\n" + _try("tr"), 1)
    if len(sets) < need:
        why = ("Two strings must be given when translating.\n" if not delete else
               "Two strings must be given when both deleting and squeezing repeats.\n")
        raise CommandError(f"tr: missing operand after ‘{sets[-1]}’\n{why}" + _try("tr"), 1)
    if len(sets) > need and not (need == 1 and squeeze and len(sets) == 2):
        raise CommandError(f"tr: extra operand ‘{sets[need]}’\n" + _try("tr"), 1)
    # GNU tr works on bytes: a UTF-8 character is its bytes in both sets and the input
    # (`tr 网 X` turns each of its three bytes into X). Each byte stands as one character
    # here (Latin-1) and the output goes back to UTF-8.
    text = _bytes_as_chars(ctx.stdin or "")
    set1 = _tr_set(_bytes_as_chars(sets[0]))
    set2 = _tr_set(_bytes_as_chars(sets[1])) if len(sets) > 1 else ""

    def in1(ch: str) -> bool:
        return (ch in set1) != complement

    if delete:
        text = "".join(ch for ch in text if not in1(ch))
        squeeze_set = set2
    elif len(sets) > 1:
        if complement:
            last = set2[-1:] or ""
            text = "".join(last if in1(ch) else ch for ch in text)
        else:
            if not set2:
                raise CommandError("tr: when not truncating set1, string2 must be non-empty\n", 1)
            padded = set2 + set2[-1] * max(0, len(set1) - len(set2))
            table = {}
            for a, b in zip(set1, padded):
                table[ord(a)] = b
            text = text.translate(table)
        squeeze_set = set2
    else:
        squeeze_set = None
    if squeeze:
        out = []
        for ch in text:
            member = (ch in squeeze_set) if squeeze_set is not None else in1(ch)
            if out and out[-1] == ch and member:
                continue
            out.append(ch)
        text = "".join(out)
    ctx.term.out(_chars_as_bytes(text))
    return 0


def _bytes_as_chars(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("latin-1")


def _chars_as_bytes(text: str) -> str:
    return text.encode("latin-1").decode("utf-8", "surrogateescape")


# --------------------------------------------------------------- head, tail
def _count_arg(tool: str, value: str, what: str) -> tuple[int, str]:
    """-n/-c's value: [+|-]N with coreutils' suffixes (b, K, M...)."""
    m = re.fullmatch(r"(?a)([-+]?)(\d+)([bkKmMgG]?B?|KiB|MiB)?", value)
    if not m:
        raise CommandError(f"{tool}: invalid number of {what}: ‘{value}’\n", 1)
    mult = {"": 1, "b": 512, "k": 1024, "K": 1024, "KB": 1000, "KiB": 1024, "m": 1 << 20,
            "M": 1 << 20, "MB": 10 ** 6, "MiB": 1 << 20, "g": 1 << 30, "G": 1 << 30}
    return int(m.group(2)) * mult.get(m.group(3) or "", 1), m.group(1)


def head_tail(ctx: ToolContext, argv: list[str]) -> int:
    tool = argv[0]
    args = list(argv[1:])
    if args and re.fullmatch(r"[-+]\d+[cbkmlqv]*", args[0]) and \
            not (tool == "head" and args[0].startswith("+")):
        m = re.fullmatch(r"([-+])(\d+)([a-z]*)", args.pop(0))
        unit = "c" if "c" in m.group(3) else "n"
        args = [f"-{unit}", ("+" if m.group(1) == "+" else "") + m.group(2)] + args
    longs = {"lines=": "n", "bytes=": "c", "quiet": "q", "silent": "q", "verbose": "v",
             "zero-terminated": "z"}
    if tool == "tail":
        longs.update({"follow": "f", "retry": "--retry"})
    opts, files = getopt(args, "c:n:qvzfF", tool, _try(tool), longs)
    lines_mode, count, sign = True, 10, ""
    quiet = verbose = False
    for letter, value in opts:
        if letter in "cn":
            lines_mode = letter == "n"
            count, sign = _count_arg(tool, value, "lines" if lines_mode else "bytes")
        elif letter == "q":
            quiet = True
        elif letter == "v":
            verbose = True
    status = 0
    names = files or ["-"]
    shown = 0
    for name in names:
        label = "standard input" if name == "-" else name
        why = ""
        try:
            text = _endless_head(ctx, name, tool, lines_mode, count, sign)
            if text is None:
                text = read_input(ctx, name)
        except IsADirectoryError as err:
            text, why = None, err.strerror
        except OSError as err:
            ctx.term.err(f"{tool}: cannot open '{label}' for reading: {err.strerror}\n")
            status = 1
            continue
        if (len(names) > 1 and not quiet) or verbose:
            ctx.term.out(("\n" if shown else "") + f"==> {label} <==\n")
        shown += 1
        if text is None:
            ctx.term.err(f"{tool}: error reading '{label}': {why}\n")
            status = 1
            continue
        ctx.term.out(_slice(text, tool, lines_mode, count, sign))
    return status


# the character devices that never end: head reads what it needs of them and stops
ENDLESS_DEVICES = ("/dev/zero", "/dev/urandom", "/dev/random")


def _endless_head(ctx: ToolContext, name: str, tool: str, lines_mode: bool, count: int,
                  sign: str) -> str | None:
    """head of /dev/zero (NUL bytes) or /dev/urandom (/dev/random): the first COUNT
    bytes (-c), or random bytes up to the COUNT-th newline (`head /dev/urandom | tr
    -dc A-Za-z0-9`); the bytes as the text's surrogate escapes. None for another file
    (or a form that reads forever: lines of /dev/zero, tail, head -c -N)."""
    if tool != "head" or name not in ENDLESS_DEVICES or sign:
        return None
    zero = name == "/dev/zero"
    if lines_mode:
        if zero:
            return None
        rng, out, lines = ctx.host.rng, bytearray(), 0
        while lines < count:
            chunk = rng.randbytes(256)
            for i, byte in enumerate(chunk):
                if byte == 10:
                    lines += 1
                    if lines == count:
                        chunk = chunk[:i + 1]
                        break
            out += chunk
        data = bytes(out)
    else:
        data = bytes(count) if zero else ctx.host.rng.randbytes(count)
    return data.decode("utf-8", "surrogateescape")


def _slice(text: str, tool: str, lines_mode: bool, count: int, sign: str) -> str:
    if lines_mode:
        # lines end at "\n" only (str.splitlines() would also cut at \r, \f, \x1c...)
        items = text.split("\n")
        items = [item + "\n" for item in items[:-1]] + ([items[-1]] if items[-1] else [])
    else:
        data = text.encode("utf-8", "surrogateescape")
        items = [data[i:i + 1] for i in range(len(data))]
    if tool == "head":
        picked = items[:len(items) - count] if sign == "-" else items[:count]
    elif sign == "+":
        picked = items[max(count - 1, 0):]
    else:
        picked = items[len(items) - count:] if count else []
    if lines_mode:
        return "".join(picked)
    return b"".join(picked).decode("utf-8", "surrogateescape")


# ---------------------------------------------------------------------- seq
SEQ_LIMIT = 1_000_000
def seq(ctx: ToolContext, argv: list[str]) -> int:
    args = list(argv[1:])
    sep, fmt, width = "\n", None, False
    operands = []
    while args:
        arg = args.pop(0)
        if re.fullmatch(r"-\d.*|-\.\d.*", arg) or not arg.startswith("-") or arg == "-":
            operands.append(arg)
            operands.extend(args)
            break
        if arg == "--":
            operands.extend(args)
            break
        letter, value = arg[1], arg[2:]
        if letter in "sf" and not value:
            if not args:
                raise CommandError(f"seq: option requires an argument -- '{letter}'\n"
                                   + _try("seq"), 1)
            value = args.pop(0)
        if letter == "s":
            sep = value
        elif letter == "f":
            fmt = value
        elif letter == "w":
            width = True
        else:
            raise CommandError(f"seq: invalid option -- '{letter}'\n" + _try("seq"), 1)
    if not operands:
        raise CommandError("seq: missing operand\n" + _try("seq"), 1)
    if len(operands) > 3:
        raise CommandError(f"seq: extra operand ‘{operands[3]}’\n" + _try("seq"), 1)
    numbers = []
    for op in operands:
        try:
            numbers.append(float(op))
            if not re.fullmatch(r"(?a)\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|[-+]?inf|nan",
                                op):
                raise ValueError
        except ValueError:
            raise CommandError(f"seq: invalid floating point argument: ‘{op}’\n"
                               + _try("seq"), 1)
    first, step, last = 1.0, 1.0, numbers[-1]
    if len(numbers) >= 2:
        first = numbers[0]
    if len(numbers) == 3:
        step = numbers[1]
    if step == 0:
        raise CommandError(f"seq: invalid Zero increment value: ‘{operands[1]}’\n"
                           + _try("seq"), 1)
    # the precision the operands were written with (seq.c: scan_arg())
    decimals = max((len(op.split(".")[1]) if "." in op and "e" not in op.lower() else 0)
                   for op in operands[:2] if op) if operands else 0
    if len(operands) == 1:
        decimals = 0
    values = []
    i = 0
    # an endless or huge sequence (seq inf) stops where a person would have
    # interrupted it: ipemu has no screen to fill forever
    while i < SEQ_LIMIT:
        value = first + i * step
        if (step > 0 and value > last + 1e-12) or (step < 0 and value < last - 1e-12):
            break
        values.append(value)
        i += 1
    if fmt is not None:
        texts = [fmt % v if "%" in fmt else fmt for v in values]
    else:
        texts = [f"{v:.{decimals}f}" for v in values]
        if width:
            size = max(len(f"{v:.{decimals}f}") for v in (first, last))
            texts = [t.zfill(size) if not t.startswith("-") else "-" + t[1:].zfill(size - 1)
                     for t in texts]
    if texts:
        ctx.term.out(sep.join(texts) + "\n")
    return 0


# ---------------------------------------------------------------------- tee
def tee(ctx: ToolContext, argv: list[str]) -> int:
    opts, files = getopt(argv[1:], "aip", "tee", _try("tee"))
    append = any(letter == "a" for letter, _ in opts)
    text = ctx.stdin or ""
    status = 0
    for name in files:
        try:
            _write(ctx, name, text, append)
        except OSError as err:
            ctx.term.err(f"tee: {name}: {err.strerror}\n")
            status = 1
    ctx.term.out(text)
    return status


def _write(ctx: ToolContext, name: str, text: str, append: bool) -> None:
    """A file written by a command: /proc/sys sets the namespace's sysctl (as
    `echo 1 | tee /proc/sys/net/ipv4/ip_forward` does), else the session's files."""
    session = ctx.session
    path = session.fs.resolve(name, session.cwd)
    if path.startswith("/proc/sys/"):
        from ipemu.tools.sysctl import lookup
        key = path[len("/proc/sys/"):].replace("/", ".")
        if lookup(ctx.netns, key) is None:
            raise FileNotFoundError(2, "No such file or directory", name)
        ctx.netns.set_sysctl(key, text.strip())
        return
    session.write_file(name, text.encode("utf-8", "surrogateescape"), append=append,
                       netns=ctx.netns)


# ---------------------------------------------------------------------- cat
def is_output(ctx: ToolContext, name: str) -> bool:
    """`name` is the file standard output is redirected to (GNU cat and grep refuse
    to read it: it would never end)."""
    return name != "-" and ctx.output is not None and ctx.session._path(name) == ctx.output


def cat(ctx: ToolContext, argv: list[str]) -> int:
    opts, files = getopt(argv[1:], "AbeEnstTuv", "cat", _try("cat"))
    letters = "".join(letter for letter, _ in opts)
    if "A" in letters:
        letters += "vET"
    if "e" in letters:
        letters += "vE"
    if "t" in letters:
        letters += "vT"
    status = 0
    number = 0
    out = []
    blank_run = False
    for name in files or ["-"]:
        try:
            text = read_input(ctx, name)
        except OSError as err:
            ctx.term.out("".join(out))      # what came before reaches the screen first
            out = []
            ctx.term.err(f"cat: {quotef(name)}: {err.strerror}\n")
            status = 1
            continue
        if text and is_output(ctx, name):
            # cat.c: a regular input that is the output, not read to its end
            ctx.term.out("".join(out))
            out = []
            ctx.term.err(f"cat: {quotef(name)}: input file is output file\n")
            status = 1
            continue
        if not set(letters) & set("bEnsTv"):
            out.append(text)
            continue
        for line in text.splitlines(keepends=True):
            body, nl = (line[:-1], "\n") if line.endswith("\n") else (line, "")
            if "s" in letters:
                if body == "" and blank_run:
                    continue
                blank_run = body == ""
            if "v" in letters:
                body = "".join(_caret(ch) for ch in body)
            if "T" in letters:
                body = body.replace("\t", "^I")
            if "b" in letters:
                if body:
                    number += 1
                    body = f"{number:>6}\t" + body
            elif "n" in letters:
                number += 1
                body = f"{number:>6}\t" + body
            out.append(body + ("$" if "E" in letters and nl else "") + nl)
    ctx.term.out("".join(out))
    return status


def _caret(ch: str) -> str:
    """cat -v: control characters as ^X, DEL as ^?, high bytes as M-..."""
    code = ord(ch)
    if ch == "\t":
        return ch
    if code < 32:
        return "^" + chr(code + 64)
    if code == 127:
        return "^?"
    if code > 127:
        data = ch.encode("utf-8", "surrogateescape")
        return "".join("M-" + _caret(chr(b - 128)) if b >= 128 else chr(b) for b in data)
    return ch


# --------------------------------------------------------- basename, dirname
def basename(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = getopt(argv[1:], "as:z", "basename", _try("basename"))
    multiple = any(letter in "as" for letter, _ in opts)
    suffix = next((value for letter, value in opts if letter == "s"), "")
    if not names:
        raise CommandError("basename: missing operand\n" + _try("basename"), 1)
    if not multiple:
        if len(names) > 2:
            raise CommandError(f"basename: extra operand ‘{names[2]}’\n" + _try("basename"), 1)
        if len(names) == 2:
            suffix = names[1]
        names = names[:1]
    for name in names:
        base = name.rstrip("/")
        base = base.rsplit("/", 1)[-1] if base else ("/" if name else "")
        if suffix and base.endswith(suffix) and base != suffix:
            base = base[:-len(suffix)]
        ctx.term.out(base + "\n")
    return 0


def dirname(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = getopt(argv[1:], "z", "dirname", _try("dirname"))
    if not names:
        raise CommandError("dirname: missing operand\n" + _try("dirname"), 1)
    for name in names:
        path = name.rstrip("/")
        if "/" not in path:
            result = "/" if name.startswith("/") else "."
        else:
            result = path.rsplit("/", 1)[0].rstrip("/") or "/"
        ctx.term.out(result + "\n")
    return 0


COMMANDS = {"cut": cut, "sort": sort, "uniq": uniq, "tr": tr, "head": head_tail,
            "tail": head_tail, "seq": seq, "tee": tee, "cat": cat, "basename": basename,
            "dirname": dirname}


def main(ctx: ToolContext, argv: list[str]) -> int:
    return COMMANDS[argv[0]](ctx, argv)
