"""VRRP as tcpdump 4.99.3 prints it (print-vrrp.c vrrp_print()): versions 2 and 3
(keepalived's advertisements), the addresses and checksum under -v."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, in_cksum
from ipemu.tcpdump.util import nd_printjnp

AUTH_TYPES = {0: "none", 1: "simple", 2: "ah"}


def vrrp_print(d: Dissector, bp: int, length: int, iph: int, ttl: int, ver: int) -> None:
    """vrrp_print(): version, type, (ttl unless 255), vrid, priority, auth/interval."""
    d.protocol = "vrrp"
    d.p("VRRP")
    version, kind = d.u8(bp) >> 4, d.u8(bp) & 0x0F
    d.p(f"v{version}, " + ("Advertisement" if kind == 1 else f"unknown type ({kind})"))
    if ttl != 255:
        d.p(f", (ttl {ttl})")
    if version not in (2, 3) or kind != 1:
        return
    d.p(f", vrid {d.u8(bp + 1)}, prio {d.u8(bp + 2)}")
    auth_type = 0
    if version == 2:
        auth_type = d.u8(bp + 4)
        d.p(f", authtype {AUTH_TYPES.get(auth_type, f'#{auth_type}')}")
        d.p(f", intvl {d.u8(bp + 5)}s, length {length}")
    else:
        intvl = (d.u8(bp + 4) & 0x0F) << 8 | d.u8(bp + 5)
        d.p(f", intvl {intvl}cs, length {length}")
    if not d.opts.vflag:
        return
    naddrs = d.u8(bp + 3)
    if d.ttest(bp, length):
        if version == 2:
            bad = in_cksum(d.data[bp:bp + length])
        else:
            cksum = d.nextproto6_cksum if ver == 6 else d.nextproto4_cksum
            bad = cksum(iph, bp, length, 112)
        if bad:
            d.p(f", (bad vrrp cksum {d.u16(bp + 6):x})")
    d.p(", addrs")
    if naddrs > 1:
        d.p(f"({naddrs})")
    d.p(":")
    sep, p = " ", bp + 8
    for _ in range(naddrs):
        if ver == 4:
            d.p(sep + d.ipaddr_string(p))
            p += 4
        else:
            d.p(sep + d.ip6addr_string(p))
            p += 16
        sep = ","
    if version == 2 and auth_type == 1:
        d.p(' auth "')
        nd_printjnp(d, p, 8)
        d.p('"')
