"""util-print.c's helpers that payload printers share: printable strings, relative
times, ` (invalid)` and ` [|proto]`, the hex of data a printer does not decode."""
from __future__ import annotations


TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector


def fn_print_char(c: int) -> str:
    """fn_print_char(): M- for the high bit, ^X for control characters."""
    text = ""
    if c & 0x80:
        c &= 0x7F
        text = "M-"
    if not 0x20 <= c <= 0x7E:
        c ^= 0x40
        text += "^"
    return text + chr(c)


def nd_printn(d: Dissector, off: int, n: int, stop_at_snapend: bool = False) -> bool:
    """nd_printn(): n characters; with an end pointer it stops there and says True
    (truncated), without one a missing byte ends the packet's printing."""
    while n > 0 and (not stop_at_snapend or off < d.snapend):
        n -= 1
        d.p(fn_print_char(d.u8(off)))
        off += 1
    return n != 0


def nd_printjnp(d: Dissector, off: int, n: int) -> None:
    """nd_printjnp(): at most n characters, ending at a NUL."""
    while n > 0:
        c = d.u8(off)
        if c == 0:
            break
        d.p(fn_print_char(c))
        n -= 1
        off += 1


def nd_printjn(d: Dissector, off: int, n: int) -> None:
    """nd_printjn(): exactly n characters."""
    for i in range(n):
        d.p(fn_print_char(d.u8(off + i)))


def nd_printztn(d: Dissector, off: int, n: int, stop_at_snapend: bool) -> int:
    """nd_printztn(): a NUL-terminated string in at most n bytes; its length with the
    NUL, or 0 when no NUL came before n bytes (or the snapshot end)."""
    count = 0
    while True:
        if n == 0 or (stop_at_snapend and off >= d.snapend):
            return 0
        c = d.u8(off)
        off += 1
        count += 1
        n -= 1
        if c == 0:
            return count
        d.p(fn_print_char(c))


def unsigned_relts(secs: int) -> str:
    """unsigned_relts_print(): 1h2m3s."""
    if secs == 0:
        return "0s"
    out = []
    for unit, size in (("y", 31536000), ("w", 604800), ("d", 86400), ("h", 3600),
                       ("m", 60), ("s", 1)):
        if secs >= size:
            out.append(f"{secs // size}{unit}")
            secs %= size
    return "".join(out)


def signed_relts(secs: int) -> str:
    """signed_relts_print() of a signed 32-bit value."""
    if secs < 0:
        return "-" + unsigned_relts(-secs)
    return unsigned_relts(secs)


def print_invalid(d: Dissector) -> None:
    """nd_print_invalid()."""
    d.p(" (invalid)")


def print_trunc(d: Dissector) -> None:
    """nd_print_trunc(): ` [|proto]`, and printing goes on (unlike a longjmp)."""
    d.p(f" [|{d.protocol}]")


def tcheck(d: Dissector, off: int, n: int) -> bool:
    """ND_TTEST_LEN()."""
    return d.ttest(off, n)
