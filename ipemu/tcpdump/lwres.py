"""BIND 9's lightweight resolver protocol (UDP port 921, either way) as tcpdump 4.99.3's
print-lwres.c prints it: the opcode and `?` of a query, -vv's serial, result and
receive length (-vvv's flags and authentication fields), each opcode's names and
addresses, then ` [len: N != M]` and `[extra]` against the packet's own length."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector
from ipemu.tcpdump.dns import NS_CLASSES, NS_TYPES
from ipemu.tcpdump.util import nd_printn, unsigned_relts

OPCODES = {0x00000000: "noop", 0x00010001: "getaddrsbyname", 0x00010002: "getnamebyaddr",
           0x00010003: "getrdatabyname"}
LWRES_HEADER = 28


def _printname(d: Dissector, length: int, p: int) -> int:
    """lwres_printname()."""
    d.p(" ")
    nd_printn(d, p, length)
    if d.u8(p + length):
        d.p(" (not NUL-terminated!)")
    return length + 1


def _printnamelen(d: Dissector, p: int) -> int:
    return 2 + _printname(d, d.u16(p), p + 2)


def _printbinlen(d: Dissector, p: int) -> int:
    n = d.u16(p)
    d.p("".join(f"{d.u8(p + 2 + i):02x}" for i in range(n)))
    return 2 + n


def _printaddr(d: Dissector, p0: int) -> int:
    """lwres_printaddr(): -1 when the length is short for the family."""
    n = d.u16(p0 + 4)
    p = p0 + 6
    d.need(p, n)
    family = d.u32(p0)
    if family == 1:
        if n < 4:
            return -1
        d.p(" " + d.ipaddr_string(p))
        p += 4
    elif family == 2:
        if n < 16:
            return -1
        d.p(" " + d.ip6addr_string(p))
        p += 16
    else:
        d.p(f" {family}/" + "".join(f"{d.u8(p + i):02x}" for i in range(n)))
        p += n
    return p - p0


def _type_class(d: Dissector, p: int) -> None:
    d.p(" " + NS_TYPES.get(d.u16(p + 6), f"Type{d.u16(p + 6)}"))
    rdclass = d.u16(p + 4)
    if rdclass != 1:
        d.p(" " + NS_CLASSES.get(rdclass, f"Class{rdclass}"))


def _flags(d: Dissector, p: int) -> None:
    if d.opts.vflag > 2:
        d.p(f" flags:0x{d.u32(p):x}")


def lwres_print(d: Dissector, bp: int, length: int) -> None:
    d.protocol = "lwres"
    d.need(bp + 26, 2)
    d.p(" lwres")
    v = d.u16(bp + 4)
    if d.opts.vflag or v != 0:
        d.p(f" v{v}")
    unsupported = False
    if v != 0:
        s = bp + d.u32(bp)
    else:
        pktflags = d.u16(bp + 6)
        response = pktflags & 1
        op = d.u32(bp + 12)
        d.p(f" {OPCODES.get(op, f'#0x{op:x}')}{'' if response else '?'}")
        if pktflags & ~1:
            d.p(f"[0x{pktflags:x}]")
        if d.opts.vflag > 1:
            d.p(f" (serial:0x{d.u32(bp + 8):x} result:0x{d.u32(bp + 16):x}"
                f" recvlen:{d.u32(bp + 20)}")
            if d.opts.vflag > 2:
                d.p(f" authtype:0x{d.u16(bp + 24):x} authlen:{d.u16(bp + 26)}")
            d.p(")")
        p = bp + LWRES_HEADER
        s = p
        if not response:
            if op == 0x00010001:
                d.need(p + 8, 2)
                _flags(d, p)
                v = d.u32(p + 4)
                d.p({1: " IPv4", 2: " IPv6", 3: " IPv4/6"}.get(v & 3, ""))
                if v & ~3:
                    d.p(f"[0x{v:x}]")
                s = p + 10
                s += _printname(d, d.u16(p + 8), s)
            elif op == 0x00010002:
                d.need(p, 4)
                _flags(d, p)
                s = p + 4
                advance = _printaddr(d, s)
                if advance < 0:
                    d.p(" (invalid)")
                    return
                s += advance
            elif op == 0x00010003:
                d.need(p + 8, 2)
                _flags(d, p)
                _type_class(d, p)
                s = p + 10
                s += _printname(d, d.u16(p + 8), s)
            elif op != 0:
                unsupported = True
        else:
            if op == 0x00010001:
                d.need(p + 8, 2)
                _flags(d, p)
                naliases, naddrs = d.u16(p + 4), d.u16(p + 6)
                d.p(f" {naliases}/{naddrs}")
                s = p + 10
                s += _printname(d, d.u16(p + 8), s)
                for _ in range(d.u16(p + 4)):
                    s += _printnamelen(d, s)
                for _ in range(d.u16(p + 6)):
                    advance = _printaddr(d, s)
                    if advance < 0:
                        d.p(" (invalid)")
                        return
                    s += advance
            elif op == 0x00010002:
                d.need(p + 6, 2)
                _flags(d, p)
                d.p(f" {d.u16(p + 4)}")
                s = p + 8
                s += _printname(d, d.u16(p + 6), s)
                for _ in range(d.u16(p + 4)):
                    s += _printnamelen(d, s)
            elif op == 0x00010003:
                d.need(p + 14, 2)
                _flags(d, p)
                _type_class(d, p)
                d.p(" TTL " + unsigned_relts(d.u32(p + 8)))
                d.p(f" {d.u16(p + 12)}/{d.u16(p + 14)}")
                s = p + 16
                s += _printnamelen(d, s)
                for _ in range(d.u16(p + 12)):
                    s += _printbinlen(d, s)
                for _ in range(d.u16(p + 14)):
                    s += _printbinlen(d, s)
            elif op != 0:
                unsupported = True
    plen = d.u32(bp)
    if plen != length:
        d.p(f" [len: {plen} != {length}]")
    if not unsupported and ((s - bp) & 0xFFFFFFFF) < plen:
        d.p("[extra]")
