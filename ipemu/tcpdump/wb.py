"""The LBL whiteboard's protocol (wb, UDP port 4567 as a destination, -T wb) as
tcpdump 4.99.3's print-wb.c prints it: session announcements, repair requests and
replies, draw operations (-v lists them), page vector requests and replies."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector
from ipemu.tcpdump.util import nd_printjnp

DOPS = {2: "RECT", 3: "LINE", 4: "ML", 5: "DEL", 6: "XFORM", 7: "ELL", 8: "CHAR", 9: "STR",
        10: "NOP", 11: "PSCODE", 12: "PSCOMP", 13: "REF", 14: "SKIP", 15: "HOLE"}


def _page(d: Dissector, at: int) -> str:
    return f"{d.ipaddr_string(at)}:{d.u32(at + 4)}"


def _id(d: Dissector, p: int, length: int) -> bool:
    d.p(" wb-id:")
    if length < 28:
        return False
    length -= 28
    d.p(f" {d.u32(p + 12)}/{_page(d, p + 16)} (max {d.u32(p)}/{_page(d, p + 4)}) ")
    d.need(p, 28)
    nid = d.u16(p + 24)
    if length < 8 * nid:
        return False
    length -= 8 * nid
    io = p + 28
    c = "<"
    for _ in range(nid):
        d.p(f"{c}{d.ipaddr_string(io)}:{d.u32(io + 4)}")
        c = ","
        io += 8
    d.p('> "')
    nd_printjnp(d, io, length)
    d.p('"')
    return True


def _dops(d: Dissector, dop: int, ss: int, es: int) -> None:
    dh = dop + 16
    d.p(" <")
    while ss <= es:
        t = d.u8(dh + 7)
        d.p(" " + DOPS.get(t, f"dop-{t}!"))
        if t in (14, 15):
            ts = d.u32(dh)
            d.p(str((ts - ss + 1) & 0xFFFFFFFF))
            if ss > ts or ts > es:
                d.p("[|]")
                if ts < ss:
                    return
            ss = ts
        dh += (d.u16(dh + 4) + 8 + 3) & ~3
        ss = (ss + 1) & 0xFFFFFFFF
    d.p(" >")


def wb_print(d: Dissector, hdr: int, length: int) -> None:
    d.protocol = "wb"
    if length < 12:
        d.p(" (invalid)")
        return
    d.need(hdr, 12)
    length -= 12
    if d.u8(hdr + 11):
        d.p("*")
    kind = d.u8(hdr + 10)
    p = hdr + 12
    ok = True
    if kind == 4:
        d.p(" wb-kill")
        return
    if kind == 1:
        ok = _id(d, p, length)
    elif kind == 2:
        d.p(" wb-rreq:")
        ok = length >= 20
        if ok:
            d.p(f" please repair {d.ipaddr_string(p)} {_page(d, p + 4)}"
                f"<{d.u32(p + 12)}:{d.u32(p + 16)}>")
    elif kind in (3, 0):
        d.p(" wb-rrep:" if kind == 3 else " wb-dop:")
        size = 20 if kind == 3 else 16
        ok = length >= size
        if ok:
            dop = p + 4 if kind == 3 else p
            if kind == 3:
                d.p(f" for {d.ipaddr_string(p)} {_page(d, dop)}<{d.u32(dop + 8)}:{d.u32(dop + 12)}>")
            else:
                d.p(f" {_page(d, dop)}<{d.u32(dop + 8)}:{d.u32(dop + 12)}>")
            if d.opts.vflag:
                _dops(d, dop, d.u32(dop + 8), d.u32(dop + 12))
    elif kind == 5:
        d.p(" wb-preq:")
        ok = length >= 16
        if ok:
            d.p(f" need {d.u32(p + 8)}/{_page(d, p)}")
            d.need(p, 16)
    elif kind == 7:
        d.p(" wb-prep:")
        ok = length >= 4
        if ok:
            n = d.u32(p)
            ps = p + 4
            while n != 0:
                d.p(f" {d.u32(ps)}/{_page(d, ps + 4)}")
                d.need(ps, 16)
                io = ps + 16
                c = "<"
                for _ in range(d.u8(ps + 12)):
                    d.p(f"{c}{d.ipaddr_string(io)}:{d.u32(io + 4)}")
                    c = ","
                    io += 8
                d.p(">")
                ps = io
                n -= 1
    else:
        d.p(f" wb-{kind}!")
        ok = False
    if not ok:
        d.p(" (invalid)")
