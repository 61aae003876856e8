"""The raw-byte dumps of tcpdump's -x/-xx and -X/-XX (print-ascii.c), and the hex
lines that -vv adds under some options (print_unknown_data)."""
from __future__ import annotations

BYTES_PER_LINE = 16
HEXSTUFF_PER_LINE = 5 * (BYTES_PER_LINE // 2)


def _isgraph(byte: int) -> bool:
    return 0x21 <= byte <= 0x7E


def hex_print(data: bytes, ident: str = "\n\t", offset: int = 0) -> str:
    """`-x`: `IDENT0x0000:  4500 0054 ...`, eight 16-bit groups a line."""
    parts: list[str] = []
    pairs = len(data) // 2
    i = 0
    for n in range(pairs):
        if i % 8 == 0:
            parts.append(f"{ident}0x{offset:04x}: ")
            offset += BYTES_PER_LINE
        i += 1
        parts.append(f" {data[2 * n]:02x}{data[2 * n + 1]:02x}")
    if len(data) & 1:
        if i % 8 == 0:
            parts.append(f"{ident}0x{offset:04x}: ")
        parts.append(f" {data[-1]:02x}")
    return "".join(parts)


def hex_and_ascii_print(data: bytes, ident: str = "\n\t", offset: int = 0) -> str:
    """`-X`: the hex groups padded to 40 columns, two blanks, then printable bytes."""
    parts: list[str] = []
    for start in range(0, len(data), BYTES_PER_LINE):
        chunk = data[start:start + BYTES_PER_LINE]
        hexstuff = "".join(
            f" {chunk[k]:02x}{chunk[k + 1]:02x}" if k + 1 < len(chunk) else f" {chunk[k]:02x}"
            for k in range(0, len(chunk), 2))
        ascii_ = "".join(chr(b) if _isgraph(b) else "." for b in chunk)
        parts.append(f"{ident}0x{offset + start:04x}: {hexstuff:<{HEXSTUFF_PER_LINE}}  {ascii_}")
    return "".join(parts)


def ascii_print(data: bytes) -> str:
    """`-A`: a newline, then the bytes with non-printables as dots (CR dropped before LF)."""
    out = ["\n"]
    n = len(data)
    for i, b in enumerate(data):
        left = n - i - 1
        if b == 0x0D:
            if left > 1 and data[i + 1] != 0x0A:
                out.append(".")
        elif not _isgraph(b) and b not in (0x09, 0x20, 0x0A):
            out.append(".")
        else:
            out.append(chr(b))
    return "".join(out)
