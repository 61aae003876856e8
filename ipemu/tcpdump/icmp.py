"""ICMP as tcpdump 4.99.3 prints it (print-icmp.c): echo, unreachables (with the
quoted datagram under -v), time exceeded, redirects, extensions. ICMPv6 is icmp6.py."""
from __future__ import annotations

from ipemu.tcpdump.dissect import (
    IPPROTO_TCP, IPPROTO_UDP, Dissector, in_cksum,
    in_cksum_shouldbe)

ICMP_SIMPLE = {0: "echo reply", 4: "source quench", 8: "echo request", 10: "router solicitation",
               13: "time stamp request", 14: "time stamp reply", 15: "information request",
               16: "information reply", 17: "address mask request"}
ICMP_ERRTYPES = (3, 4, 5, 11, 12)
ICMP_MULTIPART_TYPES = (3, 11, 12)
ICMP_EXTD_MINLEN = 156 - 20

# Destination-unreachable codes: (text with {dst}).
ICMP_UNREACH = {
    0: "net {dst} unreachable", 1: "host {dst} unreachable",
    5: "{dst} unreachable - source route failed", 6: "net {dst} unreachable - unknown",
    7: "host {dst} unreachable - unknown", 8: "{dst} unreachable - source host isolated",
    9: "net {dst} unreachable - admin prohibited", 10: "host {dst} unreachable - admin prohibited",
    11: "net {dst} unreachable - tos prohibited", 12: "host {dst} unreachable - tos prohibited",
    13: "host {dst} unreachable - admin prohibited filter",
    14: "host {dst} unreachable - host precedence violation",
    15: "host {dst} unreachable - precedence cutoff",
}


def icmp_print(d: Dissector, off: int, plen: int, iph: int, fragmented: bool) -> None:
    d.protocol = "icmp"
    icmp_type, code = d.u8(off), d.u8(off + 1)
    inner = off + 8          # the quoted IP header of error messages
    text: str
    if icmp_type in (8, 0):
        text = (f"echo {'request' if icmp_type == 8 else 'reply'}, "
                f"id {d.u16(off + 4)}, seq {d.u16(off + 6)}")
    elif icmp_type == 3:
        if code == 2:
            text = f"{d.ipaddr_string(inner + 16)} protocol {d.u8(inner + 9)} unreachable"
        elif code == 3:
            d.need(inner + 9, 1)
            ohlen = (d.u8(inner) & 0x0F) * 4
            dport = d.u16(inner + ohlen + 2)
            proto = d.u8(inner + 9)
            dst = d.ipaddr_string(inner + 16)
            if proto == IPPROTO_TCP:
                text = f"{dst} tcp port {d.tcpport_string(dport)} unreachable"
            elif proto == IPPROTO_UDP:
                text = f"{dst} udp port {d.udpport_string(dport)} unreachable"
            else:
                text = f"{dst} protocol {proto} port {dport} unreachable"
        elif code == 4:
            mtu = d.u16(off + 6)
            dst = d.ipaddr_string(inner + 16)
            text = (f"{dst} unreachable - need to frag (mtu {mtu})" if mtu
                    else f"{dst} unreachable - need to frag")
        elif code in ICMP_UNREACH:
            text = ICMP_UNREACH[code].format(dst=d.ipaddr_string(inner + 16))
        else:
            text = f"{d.ipaddr_string(inner + 16)} unreachable - #{code}"
    elif icmp_type == 5:
        dst, gw = d.ipaddr_string(inner + 16), d.ipaddr_string(off + 4)
        text = {0: f"redirect {dst} to net {gw}", 1: f"redirect {dst} to host {gw}",
                2: f"redirect-tos {dst} to net {gw}", 3: f"redirect-tos {dst} to host {gw}",
                }.get(code, f"redirect-#{code} {dst} to {gw}")
    elif icmp_type == 9:
        text = _router_advert(d, off)
    elif icmp_type == 11:
        d.need(inner + 16, 4)
        text = {0: "time exceeded in-transit", 1: "ip reassembly time exceeded"}.get(
            code, f"time exceeded-#{code}")
    elif icmp_type == 12:
        text = (f"parameter problem - code {code}" if code
                else f"parameter problem - octet {d.u8(off + 4)}")
    elif icmp_type == 18:
        text = f"address mask is 0x{d.u32(off + 8):08x}"    # icmp_mask, after id and seq
    elif icmp_type == 13:
        text = f"time stamp query id {d.u16(off + 4)} seq {d.u16(off + 6)}"
    elif icmp_type == 14:
        d.need(off + 16, 4)
        text = (f"time stamp reply id {d.u16(off + 4)} seq {d.u16(off + 6)}: "
                f"org {_tstamp(d.u32(off + 8))}, recv {_tstamp(d.u32(off + 12))}, "
                f"xmit {_tstamp(d.u32(off + 16))}")
    else:
        text = ICMP_SIMPLE.get(icmp_type, f"type-#{icmp_type}")
    d.p(f"ICMP {text}, length {plen}")
    v = d.opts.vflag
    if v and not fragmented and d.ttest(off, plen):
        s = in_cksum(d.data[off:off + plen])
        if s != 0:
            icmp_sum = d.u16(off + 2)
            d.p(f" (wrong icmp cksum {icmp_sum:x} (->{in_cksum_shouldbe(icmp_sum, s):x})!)")
    if v >= 1 and icmp_type in ICMP_ERRTYPES:
        d.p("\n\t")
        inner_len = d.u16(inner + 2)
        saved = d.snapend
        d.snapend = min(inner + inner_len, d.snapend)
        d.ip_print(inner, inner_len)
        d.snapend = saved
    d.protocol = "icmp"
    if v >= 1 and plen > ICMP_EXTD_MINLEN and icmp_type in ICMP_MULTIPART_TYPES:
        _icmp_extensions(d, off, plen)


def _tstamp(ms: int) -> str:
    msec = ms % 1000
    sec = ms // 1000
    mins, sec = divmod(sec, 60)
    hrs, mins = divmod(mins, 60)
    return f"{hrs:02d}:{mins:02d}:{sec:02d}.{msec:03d}"


def _router_advert(d: Dissector, off: int) -> str:
    d.need(off + 4, 4)
    lifetime = d.u16(off + 6)
    if lifetime < 60:
        life = f"{lifetime}"
    elif lifetime < 3600:
        life = f"{lifetime // 60}:{lifetime % 60:02d}"
    else:
        life = f"{lifetime // 3600}:{(lifetime % 3600) // 60:02d}:{lifetime % 60:02d}"
    num, size = d.u8(off + 4), d.u8(off + 5)
    text = f"router advertisement lifetime {life} {num}:"
    if size != 2:
        return text + f" [size {size}]"
    p = off + 8
    for _ in range(num):
        d.need(p, 8)
        text += f" {{{d.ipaddr_string(p)} {d.u32(p + 4)}}}"
        p += 8
    return text


def _icmp_extensions(d: Dissector, off: int, plen: int) -> None:
    """RFC 4884 multi-part extensions: printed only when their checksum holds."""
    d.need(off, 8 + 128 + 4)
    ext = off + 8 + 128
    hlen = plen - ICMP_EXTD_MINLEN
    if d.u8(off + 5) == 0 and d.ttest(ext, hlen):
        if in_cksum(d.data[ext:ext + hlen]):
            return
    version = d.u8(ext) >> 4
    d.p(f"\n\tICMP Multi-Part extension v{version}")
    if version != 2:
        d.p(" packet not supported")
        return
    if d.ttest(ext, hlen):
        ok = in_cksum(d.data[ext:ext + hlen]) == 0
        d.p(f", checksum 0x{d.u16(ext + 2):04x} ({'' if ok else 'in'}correct), length {hlen}")
    hlen -= 4
    p = ext + 4
    while hlen > 4:
        d.need(p, 4)
        obj_len, cls, ctype = d.u16(p), d.u8(p + 2), d.u8(p + 3)
        p += 4
        d.p(f"\n\t  {ICMP_EXT_OBJECTS.get(cls, 'unknown')} Object ({cls}), Class-Type: {ctype}, "
            f"length {obj_len}")
        hlen -= 4
        if cls == 0 or obj_len < 4:
            return
        obj_len -= 4
        if cls == 1 and ctype == 1:
            raw = d.u32(p)
            d.p(f"\n\t    label {raw >> 12}, tc {(raw >> 9) & 7}")
            if raw & 0x100:
                d.p(", [S]")
            d.p(f", ttl {raw & 0xFF}")
        else:
            d.print_unknown_data(p, "\n\t    ", obj_len)
        if hlen < obj_len:
            break
        hlen -= obj_len
        p += obj_len


ICMP_EXT_OBJECTS = {1: "MPLS Stack Entry", 2: "Interface Identification"}

# -- ICMPv6 -------------------------------------------------------------------------


__all__ = ["icmp_print"]
