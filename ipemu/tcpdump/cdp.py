"""Cisco Discovery Protocol as tcpdump 4.99.3 prints it (print-cdp.c cdp_print() and its
TLV printers): the Device-ID without -v (other TLVs' bytes in hex, as cdp_print() does
for TLVs it does not cover then), every TLV decoded under -v."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, bittok2str
from ipemu.tcpdump.util import fn_print_char, nd_printn, print_invalid

CAPABILITIES = [(0x01, "Router"), (0x02, "Transparent Bridge"), (0x04, "Source Route Bridge"),
                (0x08, "L2 Switch"), (0x10, "L3 capable"), (0x20, "IGMP snooping"),
                (0x40, "L1 capable")]
HEADER_LEN = TLV_HEADER_LEN = 4


class _Invalid(Exception):
    """cdp_print()'s `goto invalid`."""


def _string(d: Dissector, cp: int, n: int) -> None:
    d.p("'")
    nd_printn(d, cp, n)
    d.p("'")


def _version(d: Dissector, cp: int, n: int) -> None:
    d.p("\n\t  ")
    for i in range(n):
        c = d.u8(cp + i)
        d.p("\n\t  " if c == 0x0A else fn_print_char(c))


def _power(d: Dissector, cp: int, n: int) -> None:
    val = {1: lambda: d.u8(cp), 2: lambda: d.u16(cp),
           3: lambda: d.u8(cp) << 16 | d.u16(cp + 1)}.get(n, lambda: 0)()
    d.p(f"{val / 1000.0:1.2f}W")


def _capability(d: Dissector, cp: int, n: int) -> None:
    val = d.u32(cp)
    d.p(f"(0x{val:08x}): {bittok2str(CAPABILITIES, 'none', val)}")


def _ata186(d: Dissector, cp: int, n: int) -> None:
    d.p(f"unknown 0x{d.u16(cp):04x}" if n == 2 else f"app {d.u8(cp)}, vlan {d.u16(cp + 1)}")


def _phys_loc(d: Dissector, cp: int, n: int) -> None:
    d.p(f"0x{d.u8(cp):02x}")
    if n > 1:
        d.p("/")
        nd_printn(d, cp + 1, n - 1)


def _addr(d: Dissector, p: int, left: int) -> None:
    """cdp_print_addr(): IPv4 and IPv6 addresses, others as raw protocol and address."""
    if left < 4:
        d.p(" (not enough space for num)")
        d.need(p, left)
        return
    num = d.u32(p)
    p, left = p + 4, left - 4
    while num:
        if left < 2:
            d.p(" (not enough space for PT+PL)")
            d.need(p, left)
            return
        pt, pl = d.u8(p), d.u8(p + 1)
        p, left = p + 2, left - 2
        if left < pl + 2:
            d.p(" (not enough space for P+AL)")
            d.need(p, left)
            return
        al = d.u16(p + pl)
        if pt == 1 and pl == 1 and d.u8(p) == 0xCC and al == 4:
            kind, text = "IPv4", lambda at: d.ipaddr_string(at)
        elif pt == 2 and pl == 8 and d.bytes_(p, 8) == bytes.fromhex("aaaa0300000086dd") \
                and al == 16:
            kind, text = "IPv6", lambda at: d.ip6addr_string(at)
        else:
            kind = None
        if kind:
            p, left = p + pl + 2, left - pl - 2
            if left < al:
                d.p(" (not enough space for A)")
                d.need(p, left)
                return
            d.p(f"{kind} ({num}) {text(p)}")
        else:
            d.p(f"pt=0x{pt:02x}, pl={pl}, pb=")
            for _ in range(pl):
                d.p(f" {d.u8(p):02x}")
                p, left = p + 1, left - 1
            d.p(f", al={al}, a=")
            p, left = p + 2, left - 2
            if left < al:
                d.p(" (not enough space for A)")
                d.need(p, left)
                return
            for _ in range(al):
                d.p(f" {d.u8(p):02x}")
                p, left = p + 1, left - 1
            al = 0
        p, left = p + al, left - al
        num -= 1
        if num:
            d.p(" ")
    if left:
        d.p(f" ({left} bytes of stray data)")


def _prefixes(d: Dissector, p: int, left: int) -> None:
    if left % 5:
        d.p(f" [length {left} is not a multiple of 5]")
        d.need(p, left)
        return
    d.p(f" IPv4 Prefixes ({left // 5}):")
    while left > 0:
        d.p(" " + ".".join(str(d.u8(p + i)) for i in range(4)) + f"/{d.u8(p + 4)}")
        p, left = p + 5, left - 5


# cdptlvs[]: type -> (name, printer or None, minimum length, maximum length); -1: none
TLVS = {
    0x01: ("Device-ID", _string, -1, -1), 0x02: ("Address", _addr, -1, -1),
    0x03: ("Port-ID", _string, -1, -1), 0x04: ("Capability", _capability, 4, 4),
    0x05: ("Version String", _version, -1, -1), 0x06: ("Platform", _string, -1, -1),
    0x07: ("Prefixes", _prefixes, -1, -1), 0x08: ("Protocol-Hello option", None, -1, -1),
    0x09: ("VTP Management Domain", _string, -1, -1),
    0x0A: ("Native VLAN ID", lambda d, cp, n: d.p(str(d.u16(cp))), 2, 2),
    0x0B: ("Duplex", lambda d, cp, n: d.p("full" if d.u8(cp) else "half"), 1, 1),
    0x0E: ("ATA-186 VoIP VLAN assignment", _ata186, 3, 3),
    0x0F: ("ATA-186 VoIP VLAN request", _ata186, 2, 3),
    0x10: ("power consumption", _power, 1, 3),
    0x11: ("MTU", lambda d, cp, n: d.p(f"{d.u32(cp)} bytes"), 4, 4),
    0x12: ("AVVID trust bitmap", lambda d, cp, n: d.p(f"0x{d.u8(cp):02x}"), 1, 1),
    0x13: ("AVVID untrusted ports CoS", lambda d, cp, n: d.p(f"0x{d.u8(cp):02x}"), 1, 1),
    0x14: ("System Name", _string, -1, -1),
    0x15: ("System Object ID (not decoded)", None, -1, -1),
    0x16: ("Management Addresses", _addr, 4, -1), 0x17: ("Physical Location", _phys_loc, 1, -1),
}
T_MAX = 0x17


def cdp_print(d: Dissector, tptr: int, length: int) -> None:
    """cdp_print()."""
    d.protocol = "cdp"
    orig_length = length
    try:
        if length < HEADER_LEN:
            d.p(f" (packet length {length} < {HEADER_LEN})")
            raise _Invalid()
        d.p(f"CDPv{d.u8(tptr)}, ttl: {d.u8(tptr + 1)}s")
        if d.opts.vflag:
            d.p(f", checksum: 0x{d.u16(tptr + 2):04x} (unverified), length {orig_length}")
        tptr, length = tptr + HEADER_LEN, length - HEADER_LEN
        while length:
            tptr, length = _tlv(d, tptr, length)
    except _Invalid:
        print_invalid(d)
        d.need(tptr, length)
        return
    if d.opts.vflag < 1:
        d.p(f", length {orig_length}")


def _tlv(d: Dissector, tptr: int, length: int) -> tuple[int, int]:
    if length < TLV_HEADER_LEN:
        d.p(f" (remaining packet length {length} < {TLV_HEADER_LEN})")
        raise _Invalid()
    kind, tlen = d.u16(tptr), d.u16(tptr + 2)
    info = TLVS.get(kind) if kind <= T_MAX else None
    name = info[0] if info else "unknown field type"
    if tlen < TLV_HEADER_LEN:
        if d.opts.vflag:
            d.p(f"\n\t{name} (0x{kind:02x}), TLV length: {tlen} byte{'' if tlen == 1 else 's'}"
                " (too short)")
        else:
            d.p(f", {name} TLV length {tlen} too short")
        raise _Invalid()
    if tlen > length:
        d.p(f" (TLV length {tlen} > {length})")
        raise _Invalid()
    tptr, length, tlen = tptr + TLV_HEADER_LEN, length - TLV_HEADER_LEN, tlen - TLV_HEADER_LEN
    if not d.opts.vflag and kind == 0x01:
        d.p(", Device-ID ")
    elif d.opts.vflag:
        d.p(f"\n\t{name} (0x{kind:02x}), value length: {tlen} byte{'' if tlen == 1 else 's'}: ")
    covered = False
    if info:
        _, printer, min_len, max_len = info
        if (min_len > 0 and tlen < min_len) or (max_len > 0 and tlen > max_len):
            d.p(" (malformed TLV)")
        elif d.opts.vflag or kind == 0x01:
            if printer:
                printer(d, tptr, tlen)
            else:
                d.need(tptr, tlen)
            covered = True
    if not covered:
        d.need(tptr, tlen)
        d.print_unknown_data(tptr, "\n\t  ", tlen)
    return tptr + tlen, length - tlen
