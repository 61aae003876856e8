"""DVMRP inside IGMP type 0x13 as tcpdump 4.99.3 prints it (print-dvmrp.c dvmrp_print()):
the message type, a probe's generation id and neighbours, a report's routes (-vv), the
neighbour lists that mrinfo's queries bring back, prune and graft source/group pairs."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector
from ipemu.tcpdump.util import unsigned_relts

TYPES = {1: "Probe", 2: "Report", 3: "Ask-neighbors(old)", 4: "Neighbors(old)",
         5: "Ask-neighbors2", 6: "Neighbors2", 7: "Prune", 8: "Graft", 9: "Graft-ACK"}
NEIGHBOR_FLAGS = ((0x01, "/tunnel"), (0x02, "/srcrt"), (0x40, "/querier"),
                  (0x20, "/disabled"), (0x10, "/down"))


class _Invalid(Exception):
    """A printer's `goto invalid`."""


def _intoa(addr: int) -> str:
    return ".".join(str((addr >> s) & 0xFF) for s in (24, 16, 8, 0))


def dvmrp_print(d: Dissector, bp: int, length: int) -> None:
    """dvmrp_print()."""
    d.protocol = "dvmrp"
    try:
        if length < 8:
            d.p(f" [length {length} < 8]")
            raise _Invalid()
        kind = d.u8(bp + 1)
        minor, major = d.u8(bp + 6), d.u8(bp + 7)
        bp, length = bp + 8, length - 8
        d.p(f" {TYPES.get(kind, f'[type {kind}]')}")
        if kind == 1:
            if d.opts.vflag:
                _probe(d, bp, length)
        elif kind == 2:
            if d.opts.vflag > 1:
                _report(d, bp, length)
        elif kind == 4:
            _neighbors(d, bp, length)
        elif kind == 6:
            _neighbors2(d, bp, length, major, minor)
        elif kind == 7:
            d.p(f" src {d.ipaddr_string(bp)} grp {d.ipaddr_string(bp + 4)} timer "
                f"{unsigned_relts(d.u32(bp + 8))}")
        elif kind in (8, 9):
            d.p(f" src {d.ipaddr_string(bp)} grp {d.ipaddr_string(bp + 4)}")
    except _Invalid:
        d.p(" (invalid)")


def _report(d: Dissector, bp: int, length: int) -> None:
    """print_report(): a mask, then origins of its width with their metrics."""
    while length > 0:
        if length < 3:
            d.p(f" [length {length} < 3]")
            raise _Invalid()
        b0, b1, b2 = d.u8(bp), d.u8(bp + 1), d.u8(bp + 2)
        mask = 0xFF << 24 | b0 << 16 | b1 << 8 | b2
        width = 4 if b2 else 3 if b1 else 2 if b0 else 1
        d.p(f"\n\tMask {_intoa(mask)}")
        bp, length = bp + 3, length - 3
        while True:
            if length < width + 1:
                d.p("\n\t  [Truncated Report]")
                raise _Invalid()
            origin = 0
            for _ in range(width):
                origin = origin << 8 | d.u8(bp)
                bp += 1
            origin <<= 8 * (4 - width)
            metric = d.u8(bp)
            bp += 1
            d.p(f"\n\t  {_intoa(origin)} metric {metric & 0x7F}")
            length -= width + 1
            if metric & 0x80:
                break


def _probe(d: Dissector, bp: int, length: int) -> None:
    """print_probe()."""
    if length < 4:
        d.p(f" [full length {length} < 4]")
        raise _Invalid()
    d.p(("\n\t" if d.opts.vflag > 1 else " ") + f"genid {d.u32(bp)}")
    if d.opts.vflag < 2:
        return
    bp, length = bp + 4, length - 4
    while length > 0:
        if length < 4:
            d.p(f"[remaining length {length} < 4]")
            raise _Invalid()
        d.p(f"\n\tneighbor {d.ipaddr_string(bp)}")
        bp, length = bp + 4, length - 4


def _neighbors(d: Dissector, bp: int, length: int) -> None:
    """print_neighbors()."""
    while length > 0:
        if length < 7:
            d.p(f" [length {length} < 7]")
            raise _Invalid()
        laddr, metric, thresh, ncount = bp, d.u8(bp + 4), d.u8(bp + 5), d.u8(bp + 6)
        bp, length = bp + 7, length - 7
        while ncount > 0:
            ncount -= 1
            if length < 4:
                d.p(f" [length {length} < 4]")
                raise _Invalid()
            d.p(f" [{d.ipaddr_string(laddr)} -> {d.ipaddr_string(bp)}, ({metric}/{thresh})]")
            bp, length = bp + 4, length - 4


def _neighbors2(d: Dissector, bp: int, length: int, major: int, minor: int) -> None:
    """print_neighbors2(): the version from the IGMP group field, then the neighbours
    with their flags."""
    d.p(f" (v {major}.{minor}):")
    while length > 0:
        if length < 8:
            d.p(f" [length {length} < 8]")
            raise _Invalid()
        laddr, metric, thresh = bp, d.u8(bp + 4), d.u8(bp + 5)
        flags, ncount = d.u8(bp + 6), d.u8(bp + 7)
        bp, length = bp + 8, length - 8
        while True:
            ncount -= 1
            if ncount < 0 or length <= 0:
                break
            if length < 4:
                d.p(f" [length {length} < 4]")
                raise _Invalid()
            d.p(f" [{d.ipaddr_string(laddr)} -> {d.ipaddr_string(bp)} ({metric}/{thresh}"
                + "".join(text for bit, text in NEIGHBOR_FLAGS if flags & bit) + ")]")
            bp, length = bp + 4, length - 4
        if ncount != -1:
            d.p(" [invalid ncount]")
            raise _Invalid()
