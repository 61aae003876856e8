"""Byte dumps: `od` (coreutils 9.1 od.c), `xxd` (vim 9.0's xxd.c) and `hexdump`
(util-linux 2.38 hexdump: its -C, -c, -x, -b, -d, -o and default formats)."""
from __future__ import annotations

from ipemu.output import encode
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input


def main(ctx: ToolContext, argv: list[str]) -> int:
    return COMMANDS[argv[0]](ctx, argv)


def _read_all(ctx: ToolContext, tool: str, names: list[str]) -> tuple[bytes, bool, bool]:
    """The operands' bytes in turn (standard input without any): (data, any failed,
    all failed), each failure reported as `TOOL: NAME: REASON`."""
    data = b""
    failed = 0
    for name in names or ["-"]:
        try:
            data += encode(read_input(ctx, name))
        except OSError as err:
            why = "Is a directory" if isinstance(err, IsADirectoryError) else err.strerror
            ctx.term.err(f"{tool}: {name}: {why}\n")
            failed += 1
    return data, failed > 0, failed == len(names or ["-"])


def _number(text: str) -> int | None:
    """xstrtoumax() with od's suffixes: 0x hex, leading 0 octal, b/k/m multipliers."""
    mult = 1
    for suffix, factor in (("b", 512), ("k", 1024), ("m", 1024 * 1024)):
        if text.endswith(suffix) and not text.lower().startswith("0x"):
            text, mult = text[:-1], factor
    try:
        base = 16 if text.lower().startswith("0x") else 8 if len(text) > 1 and \
            text.startswith("0") else 10
        return int(text, base) * mult
    except ValueError:
        return None


# ------------------------------------------------------------------------ od
# od.c's named characters for -t a (the low 7 bits)
_NAMES = ("nul soh stx etx eot enq ack bel bs ht nl vt ff cr so si dle dc1 dc2 dc3 dc4 "
          "nak syn etb can em sub esc fs gs rs us sp").split()
_ESCAPES = {0: "\\0", 7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t",
            11: "\\v"}
# the field width of each integer type and size (od.c's width_bytes and formats)
_WIDTHS = {("d", 1): 4, ("u", 1): 3, ("x", 1): 2, ("o", 1): 3,
           ("d", 2): 6, ("u", 2): 5, ("x", 2): 4, ("o", 2): 6,
           ("d", 4): 11, ("u", 4): 10, ("x", 4): 8, ("o", 4): 11,
           ("d", 8): 20, ("u", 8): 20, ("x", 8): 16, ("o", 8): 22}
_SIZES = {"C": 1, "S": 2, "I": 4, "L": 8}


def _od_spec(text: str) -> list[tuple[str, int, bool]] | str:
    """decode_format_string(): (kind, size, z) for each type in a -t string, or the
    error od prints for it."""
    out = []
    i = 0
    while i < len(text):
        kind = text[i]
        i += 1
        if kind in "ac":
            size = 1
        elif kind in "doux":
            size = 4
            if i < len(text) and text[i] in _SIZES:
                size = _SIZES[text[i]]
                i += 1
            elif i < len(text) and text[i].isdigit():
                j = i
                while j < len(text) and text[j].isdigit():
                    j += 1
                size = int(text[i:j])
                i = j
                if size not in (1, 2, 4, 8):
                    return (f"od: invalid type string ‘{text}’;\n"
                            f"this system doesn't provide a {size}-byte integral type\n")
        else:
            return f"od: invalid character '{kind}' in type string ‘{text}’\n"
        z = i < len(text) and text[i] == "z"
        if z:
            i += 1
        out.append((kind, size, z))
    return out


def _od_char(byte: int) -> str:
    """-t c of a byte: a printable ASCII character, an escape, or octal.
    coreutils 9.1's print_ascii() reads one byte at a time, so a UTF-8 sequence is
    its bytes in octal even in C.UTF-8 (`303 251` for é)."""
    if byte in _ESCAPES:
        return _ESCAPES[byte]
    if 0x20 <= byte < 0x7F:
        return chr(byte)
    return f"{byte:03o}"


def _od_fields(block: bytes, kind: str, size: int) -> list[str]:
    if kind == "c":
        return [f" {_od_char(byte):>3}" for byte in block]
    if kind == "a":
        out = []
        for byte in block:
            low = byte & 0x7F
            name = _NAMES[low] if low < len(_NAMES) else "del" if low == 0x7F else chr(low)
            out.append(f" {name:>3}")
        return out
    width = _WIDTHS[kind, size]
    padded = block + bytes(-len(block) % size)
    out = []
    for i in range(0, len(padded), size):
        value = int.from_bytes(padded[i:i + size], "little", signed=kind == "d")
        text = {"d": str(value), "u": str(value), "x": f"{value:0{width}x}",
                "o": f"{value:0{width}o}"}[kind]
        out.append(f" {text:>{width}}")
    return out


def od(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = gnuopt.parse(argv[1:], "A:j:N:t:vw::abcdfilosx",
                               {"address-radix=": "A", "skip-bytes=": "j",
                                "read-bytes=": "N", "format=": "t",
                                "output-duplicates": "v", "width=": "w"}, "od")
    radix, skip, limit, verbose, width = "o", 0, None, False, 16
    specs: list[tuple[str, int, bool]] = []
    for letter, value in opts:
        if letter == "A":
            if value not in ("d", "o", "x", "n"):
                ctx.term.err(f"od: invalid output address radix '{value}'; it must be one "
                             "character from [doxn]\n")
                return 1
            radix = value
        elif letter in "jN":
            number = _number(value)
            if number is None:
                ctx.term.err(f"od: invalid -{letter} argument '{value}'\n")
                return 1
            if letter == "j":
                skip = number
            else:
                limit = number
        elif letter == "t":
            found = _od_spec(value)
            if isinstance(found, str):
                ctx.term.err(found)
                return 1
            specs += found
        elif letter == "v":
            verbose = True
        elif letter == "w":
            width = int(value) if value else 32
        else:
            specs.append({"a": ("a", 1, False), "b": ("o", 1, False), "c": ("c", 1, False),
                          "d": ("u", 2, False), "i": ("d", 4, False), "l": ("d", 8, False),
                          "o": ("o", 2, False), "s": ("d", 2, False),
                          "x": ("x", 2, False), "f": ("x", 4, False)}[letter])
    specs = specs or [("o", 2, False)]
    data, failed, all_failed = _read_all(ctx, "od", names)
    if all_failed:
        return 1
    data = data[skip:]
    if limit is not None:
        data = data[:limit]
    address = {"o": "{:07o}", "d": "{:07d}", "x": "{:06x}", "n": ""}[radix]
    out = []
    previous = None
    squeezed = False
    for at in range(0, len(data), width):
        block = data[at:at + width]
        if block == previous and len(block) == width and not verbose:
            if not squeezed:
                out.append("*\n")
                squeezed = True
            continue
        previous, squeezed = block, False
        for n, (kind, size, z) in enumerate(specs):
            head = address.format(skip + at) if n == 0 else " " * len(address.format(0))
            fields = _od_fields(block, kind, size)
            line = head + "".join(fields)
            if z:
                full = (width // size) * (_field_width(kind, size) + 1)
                line += " " * (full - len("".join(fields)))
                line += "  >" + "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in block) + "<"
            out.append(line + "\n")
    if radix != "n":
        out.append(address.format(skip + len(data)) + "\n")
    ctx.term.out("".join(out))
    return 1 if failed else 0


def _field_width(kind: str, size: int) -> int:
    return 3 if kind in "ac" else _WIDTHS[kind, size]


# ----------------------------------------------------------------------- xxd
def _xxd_usage_error(ctx: ToolContext) -> int:
    """usage(): the whole summary on stderr, exit 1 (-h too)."""
    ctx.term.err(ctx.profile.usage("xxd_usage"))
    return 1


def xxd(ctx: ToolContext, argv: list[str]) -> int:
    """xxd.c: the hex dump (-c columns, -g group size, -u, -l, -s), -p plain, -i a C
    include file, -a autoskip of all-zero lines."""
    cols = group = None
    length = None
    seek = 0
    upper = plain = include = autoskip = False
    names = []
    args = list(argv[1:])
    while args:
        arg = args.pop(0)
        if arg in ("-c", "-cols", "-g", "-groupsize", "-l", "-len", "-s", "-seek"):
            if not args:
                return _xxd_usage_error(ctx)
            value = _number(args.pop(0).lstrip("+")) or 0
            if arg in ("-c", "-cols"):
                cols = value
            elif arg in ("-g", "-groupsize"):
                group = value
            elif arg in ("-l", "-len"):
                length = value
            else:
                seek = value
        elif arg[:2] in ("-c", "-g", "-l", "-s") and len(arg) > 2 and arg[2].isdigit():
            value = _number(arg[2:]) or 0
            if arg[1] == "c":
                cols = value
            elif arg[1] == "g":
                group = value
            elif arg[1] == "l":
                length = value
            else:
                seek = value
        elif arg in ("-u", "-uppercase"):
            upper = True
        elif arg in ("-p", "-ps", "-postscript", "-plain"):
            plain = True
        elif arg in ("-i", "-include"):
            include = True
        elif arg in ("-a", "-autoskip"):
            autoskip = True
        elif arg in ("-v", "-version"):
            ctx.term.out("xxd 2022-01-14 by Juergen Weigert et al.\n")
            return 0
        elif arg.startswith("-") and arg != "-":
            return _xxd_usage_error(ctx)        # -h and any option it does not know
        else:
            names.append(arg)
    name = names[0] if names else "-"
    try:
        data = encode(read_input(ctx, name))
    except OSError as err:
        ctx.term.err(f"xxd: {name}: {err.strerror}\n")
        return 2
    data = data[seek:]
    if length is not None:
        data = data[:length]
    hexdigits = "{:02X}" if upper else "{:02x}"
    if plain:
        cols = cols or 30
        text = "".join(hexdigits.format(b) for b in data)
        ctx.term.out("".join(text[i:i + cols * 2] + "\n" for i in range(0, len(text), cols * 2)))
        return 0
    if include:
        cols = cols or 12
        out = []
        var = None
        if name != "-":
            var = ("__" if name[:1].isdigit() else "") + \
                "".join(c if c.isalnum() else "_" for c in name)
            out.append(f"unsigned char {var}[] = {{\n")
        items = [("0x" + hexdigits.format(b)) for b in data]
        lines = [", ".join(items[i:i + cols]) for i in range(0, len(items), cols)]
        out.append(",\n".join("  " + line for line in lines) + ("\n" if lines else ""))
        if var is not None:
            out.append(f"}};\nunsigned int {var}_len = {len(data)};\n")
        ctx.term.out("".join(out))
        return 0
    cols = cols or 16
    group = 2 if group is None else group or cols
    ascii_at = cols * 2 + (cols + group - 1) // group + 1
    out = []
    zero_run = 0
    for at in range(0, len(data), cols):
        row = data[at:at + cols]
        if autoskip and row == bytes(cols):
            zero_run += 1
            if zero_run == 2:
                out.append("*\n")
            if zero_run >= 2 and at + cols < len(data):
                continue
        else:
            zero_run = 0
        hexpart = ""
        for i, byte in enumerate(row):
            hexpart += hexdigits.format(byte)
            if (i + 1) % group == 0:
                hexpart += " "
        text = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in row)
        out.append(f"{seek + at:08x}: " + hexpart.ljust(ascii_at) + text + "\n")
    ctx.term.out("".join(out))
    return 0


# ------------------------------------------------------------------- hexdump
def _hd_char(byte: int) -> str:
    """%_c: a printable byte, an escape, or three octal digits."""
    if byte in _ESCAPES:
        return _ESCAPES[byte]
    if 0x20 <= byte < 0x7F:
        return chr(byte)
    return f"{byte:03o}"


# each format: (address width, unit size, per-unit format, unit width with its
# trailing blanks) for `"%0N.N_ax " COUNT/SIZE "FMT"` lines
_HD_FORMATS = {
    "": (7, 2, lambda v: f"{v:04x} ", 5),
    "x": (7, 2, lambda v: f"   {v:04x} ", 8),
    "d": (7, 2, lambda v: f"   {v:05d} ", 8),
    "o": (7, 2, lambda v: f"  {v:06o} ", 8),
    "b": (7, 1, lambda v: f" {v:03o}", 4),
    "c": (7, 1, lambda v: f"{_hd_char(v):>3} ", 4),
}


def hexdump(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = gnuopt.parse(argv[1:], "bcCdon:s:vx",
                               {"one-byte-octal": "b", "one-byte-char": "c",
                                "canonical": "C", "two-bytes-decimal": "d",
                                "two-bytes-octal": "o", "length=": "n", "skip=": "s",
                                "no-squeezing": "v", "two-bytes-hex": "x"}, "hexdump")
    style, length, skip, verbose = "", None, 0, False
    for letter, value in opts:
        if letter in "bcCdox":
            style = letter
        elif letter == "n":
            length = _number(value)
        elif letter == "s":
            skip = _number(value) or 0
        elif letter == "v":
            verbose = True
    data, failed, all_failed = _read_all(ctx, "hexdump", names)
    if all_failed:
        ctx.term.err("hexdump: all input file arguments failed\n")
        return 1
    data = data[skip:]
    if length is not None:
        data = data[:length]
    out = []
    previous = None
    squeezed = False
    for at in range(0, len(data), 16):
        row = data[at:at + 16]
        if row == previous and len(row) == 16 and not verbose:
            if not squeezed:
                out.append("*\n")
                squeezed = True
            continue
        previous, squeezed = row, False
        out.append(_hd_canonical(skip + at, row) if style == "C" else
                   _hd_line(skip + at, row, _HD_FORMATS[style]))
    if data or not failed:
        width = 8 if style == "C" else 7
        out.append(f"{skip + len(data):0{width}x}\n")
    ctx.term.out("".join(out))
    return 1 if failed else 0


def _hd_line(address: int, row: bytes, fmt) -> str:
    """One line of a `COUNT/SIZE "FMT"` format: the units there are, blanks for the
    ones past the end; the last unit's trailing blank is not printed (rewrite():
    a repeated unit's last iteration has no trailing whitespace)."""
    width, size, unit, unit_width = fmt
    padded = row + bytes(-len(row) % size)
    units = [unit(int.from_bytes(padded[i:i + size], "little"))
             for i in range(0, len(padded), size)]
    units += [" " * unit_width] * (16 // size - len(units))
    units[-1] = units[-1].rstrip(" ") if len(units[-1].strip()) else \
        units[-1][:len(units[-1].rstrip(" ")) or unit_width - 1]
    return f"{address:0{width}x} " + "".join(units) + "\n"


def _hd_canonical(address: int, row: bytes) -> str:
    """-C: `%08.8_ax  ` 8/1 `%02x ` `  ` 8/1 `%02x `, then `  |` and the bytes as
    text (%_p, none past the end) and `|`."""
    cells = [f"{b:02x}" for b in row] + ["  "] * (16 - len(row))
    hexpart = " ".join(cells[:8]) + "  " + " ".join(cells[8:])
    text = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in row)
    return f"{address:08x}  {hexpart}  |{text}|\n"


COMMANDS = {"od": od, "xxd": xxd, "hexdump": hexdump}
