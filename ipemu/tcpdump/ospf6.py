"""OSPFv3 as tcpdump 4.99.3 prints it (print-ospf6.c ospf6_print()): the type line, and
under -v the router and area, hellos, database descriptions, and with -vv the LSA
headers of DDs, requests and acknowledgements, the LSAs of updates (router, network,
inter-area prefix, external, link, intra-area prefix), the LLS block and the
authentication trailer. Grace and TE LSAs (decoded by print-ospf.c there) are not
ported: a packet holding one prints its type line only."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, bittok2str, ip6addr_string_raw, tok2str

TYPES = {1: "Hello", 2: "Database Description", 3: "LS-Request", 4: "LS-Update", 5: "LS-Ack"}
OPTIONS = [(0x01, "V6"), (0x02, "External"), (0x04, "Deprecated"), (0x08, "NSSA"),
           (0x10, "Router"), (0x20, "Demand Circuit"), (0x0100, "AFs Support"),
           (0x0200, "LLS"), (0x0400, "Authentication Trailer")]
RLA_FLAGS = [(0x01, "ABR"), (0x02, "External"), (0x04, "Virtual-Link Endpoint"),
             (0x08, "Deprecated"), (0x10, "NSSA Translator")]
ASLA_FLAGS = [(0x80000000, "External Type 2"), (0x02000000, "Forwarding"),
              (0x01000000, "Tag")]
LSA_TYPES = {1: "Router", 2: "Network", 3: "Inter-Area Prefix", 4: "Inter-Area Router",
             5: "External", 6: "Deprecated", 7: "NSSA", 8: "Link", 9: "Intra-Area Prefix",
             10: "Intra-Area TE", 11: "Grace", 12: "Router Information", 13: "Inter-AS-TE",
             14: "Layer 1 VPN"}
SCOPES = {0x0000: "Link Local", 0x2000: "Area Local", 0x4000: "Domain Wide"}
DD_FLAGS = [(0x04, "Init"), (0x02, "More"), (0x01, "Master"), (0x10, "IPv6 MTU")]
PREFIX_OPTIONS = [(0x01, "No Unicast"), (0x02, "Local address"), (0x04, "Deprecated"),
                  (0x08, "Propagate"), (0x10, "Down"), (0x20, "N-bit")]
HDR = 16
LSA_HDR = 20


class _Trunc(Exception):
    """A print-ospf6.c function's `return (1)`/`goto trunc`: ` [|ospf3]` ends the line."""


class _Unported(Exception):
    """Grace and TE LSAs (ospf_grace_lsa_print(), ospf_te_lsa_print())."""


def ospf6_print(d: Dissector, bp: int, length: int) -> None:
    """ospf6_print()."""
    d.protocol = "ospf3"
    kind = tok2str(TYPES, "unknown packet type (%u)", d.u8(bp + 1))
    d.p(f"OSPFv{d.u8(bp)}, {kind}, length {length}")
    if kind.startswith("u") or not d.opts.vflag:
        return
    mark = len(d.out)
    try:
        _verbose(d, bp, length)
    except _Trunc:
        d.nd_print_trunc()
    except _Unported:
        del d.out[mark:]


def _verbose(d: Dissector, bp: int, length: int) -> None:
    datalen = d.u16(bp + 2)
    if datalen > length:
        d.p(f" [len {datalen}]")
        return
    dataend = bp + datalen
    d.p(f"\n\tRouter-ID {d.ipaddr_string(bp + 4)}")
    d.p(f", Area {d.ipaddr_string(bp + 8)}" if d.u32(bp + 8) else ", Backbone Area")
    if d.u8(bp + 14):
        d.p(f", Instance {d.u8(bp + 14)}")
    if d.u8(bp) == 3:
        _decode_v3(d, bp, dataend)
        _trailer(d, bp, dataend, length - datalen)


def _ls_type(d: Dissector, ls_type: int, stateid: int) -> None:
    """ospf6_print_ls_type()."""
    d.p(f"\n\t    {LSA_TYPES.get(ls_type & 0x1FFF, 'Unknown')} LSA ({ls_type & 0x1FFF}), "
        f"{SCOPES.get(ls_type & 0x6000, 'Unknown')} Scope"
        f"{', transitive' if ls_type & 0x8000 else ''}, LSA-ID {d.ipaddr_string(stateid)}")


def _lshdr(d: Dissector, h: int, dataend: int) -> None:
    """ospf6_print_lshdr()."""
    if h + LSA_HDR > dataend:
        raise _Trunc()
    d.p(f"\n\t  Advertising Router {d.ipaddr_string(h + 8)}, seq 0x{d.u32(h + 12):08x}, "
        f"age {d.u16(h)}s, length {(d.u16(h + 18) - LSA_HDR) & 0xFFFFFFFFFFFFFFFF}")
    _ls_type(d, d.u16(h + 2), h + 4)


def _lsaprefix(d: Dissector, t: int, lsa_length: int) -> int:
    """ospf6_print_lsaprefix(): the bytes the prefix took."""
    if lsa_length < 4:
        raise _Trunc()
    lsa_length -= 4
    if not d.ttest(t, 4):
        raise _Trunc()
    plen = d.u8(t)
    words = (plen + 31) // 32
    if words * 4 > 16:
        d.p(f" bogus prefixlen /{plen}")
        raise _Trunc()
    if lsa_length < words * 4:
        raise _Trunc()
    raw = d.bytes_(t + 4, words * 4) + bytes(16 - words * 4)
    text = ip6addr_string_raw(raw)
    if not d.opts.nflag:
        text = d.opts.hosts.get(text, text)
    d.p(f"\n\t\t{text}/{plen}")
    if d.u8(t + 1):
        d.p(f", Options [{bittok2str(PREFIX_OPTIONS, 'none', d.u8(t + 1))}]")
    d.p(f", metric {d.u16(t + 2)}")
    return 4 + words * 4


def _prefixes(d: Dissector, t: int, lsa_length: int, count: int) -> None:
    while count > 0:
        used = _lsaprefix(d, t, lsa_length)
        count -= 1
        lsa_length -= used
        t += used


def _lsa(d: Dissector, lsap: int, dataend: int) -> None:
    """ospf6_print_lsa()."""
    _lshdr(d, lsap, dataend)
    length = d.u16(lsap + 18)
    if length < LSA_HDR or lsap + length > dataend:
        raise _Trunc()
    n = length - LSA_HDR
    t = lsap + LSA_HDR
    ls_type = d.u16(lsap + 2)
    if ls_type == 0x2001:
        if n < 4:
            raise _Trunc()
        n -= 4
        d.p(f"\n\t      Options [{bittok2str(OPTIONS, 'none', d.u32(t))}]")
        d.p(f", RLA-Flags [{bittok2str(RLA_FLAGS, 'none', d.u8(t))}]")
        r = t + 4
        while n:
            if n < 16:
                raise _Trunc()
            n -= 16
            if not d.ttest(r, 16):
                raise _Trunc()
            kind = d.u8(r)
            names = {4: "Virtual Link: Neighbor Router-ID", 1: "Neighbor Router-ID",
                     2: "Neighbor Network-ID"}
            if kind not in names:
                d.p(f"\n\t      Unknown Router Links Type 0x{kind:02x}")
                return
            d.p(f"\n\t      {names[kind]} {d.ipaddr_string(r + 12)}\n\t      Neighbor "
                f"Interface-ID {d.ipaddr_string(r + 8)}, Interface {d.ipaddr_string(r + 4)}")
            d.p(f", metric {d.u16(r + 2)}")
            r += 16
    elif ls_type == 0x2002:
        if n < 4:
            raise _Trunc()
        n -= 4
        d.p(f"\n\t      Options [{bittok2str(OPTIONS, 'none', d.u32(t))}]")
        d.p("\n\t      Connected Routers:")
        a = t + 4
        while n:
            if n < 4:
                raise _Trunc()
            n -= 4
            d.p(f"\n\t\t{d.ipaddr_string(a)}")
            a += 4
    elif ls_type == 0x2003:
        if n < 4:
            raise _Trunc()
        n -= 4
        d.p(f", metric {d.u32(t) & 0xFFFFFF}")
        t += 4
        while n:
            used = _lsaprefix(d, t, n)
            n -= used
            t += used
    elif ls_type == 0x4005:
        if n < 4:
            raise _Trunc()
        n -= 4
        flags = d.u32(t)
        d.p(f"\n\t     Flags [{bittok2str(ASLA_FLAGS, 'none', flags)}]")
        d.p(f" metric {flags & 0xFFFFFF}")
        prefix = t + 4
        used = _lsaprefix(d, prefix, n)
        n -= used
        t = prefix + used
        if flags & 0x02000000:
            if n < 16:
                raise _Trunc()
            n -= 16
            d.p(f" forward {d.ip6addr_string(t)}")
            t += 16
        if flags & 0x01000000:
            if n < 4:
                raise _Trunc()
            n -= 4
            d.p(f" tag {d.ipaddr_string(t)}")
            t += 4
        if d.u8(prefix + 2):     # GET_U_1(lsapp->lsa_p_metric): the metric's high byte
            if n < 4:
                raise _Trunc()
            n -= 4
            d.p(f" RefLSID: {d.ipaddr_string(t)}")
    elif ls_type == 0x0008:
        if n < 4:
            raise _Trunc()
        n -= 4
        if not d.ttest(t, 4):
            raise _Trunc()
        d.p(f"\n\t      Options [{bittok2str(OPTIONS, 'none', d.u32(t))}]")
        if n < 20:
            raise _Trunc()
        n -= 20
        count = d.u32(t + 20)
        d.p(f"\n\t      Priority {d.u8(t)}, Link-local address {d.ip6addr_string(t + 4)}, "
            f"Prefixes {count}:")
        _prefixes(d, t + 24, n, count)
    elif ls_type == 0x2009:
        if n < 4:
            raise _Trunc()
        n -= 4
        if not d.ttest(t + 8, 4):
            raise _Trunc()
        _ls_type(d, d.u16(t + 2), t + 4)
        if n < 2:
            raise _Trunc()
        n -= 2
        count = d.u16(t)
        d.p(f"\n\t      Prefixes {count}:")
        _prefixes(d, t + 12, n, count)
    elif ls_type in (0x000B, 0x000A):
        raise _Unported()
    elif not d.print_unknown_data(t, "\n\t      ", n):
        raise _Trunc()


def _decode_v3(d: Dissector, op: int, dataend: int) -> None:
    """ospf6_decode_v3()."""
    kind = d.u8(op + 1)
    b = op + HDR
    if kind == 1:
        d.p(f"\n\tOptions [{bittok2str(OPTIONS, 'none', d.u32(b + 4))}]")
        d.p(f"\n\t  Hello Timer {d.u16(b + 8)}s, Dead Timer {d.u16(b + 10)}s, Interface-ID "
            f"{d.ipaddr_string(b)}, Priority {d.u8(b + 4)}")
        if d.u32(b + 12):
            d.p(f"\n\t  Designated Router {d.ipaddr_string(b + 12)}")
        if d.u32(b + 16):
            d.p(f", Backup Designated Router {d.ipaddr_string(b + 16)}")
        if d.opts.vflag > 1:
            d.p("\n\t  Neighbor List:")
            a = b + 20
            while a < dataend:
                d.p(f"\n\t    {d.ipaddr_string(a)}")
                a += 4
    elif kind == 2:
        d.p(f"\n\tOptions [{bittok2str(OPTIONS, 'none', d.u32(b))}]")
        d.p(f", DD Flags [{bittok2str(DD_FLAGS, 'none', d.u8(b + 7))}]")
        d.p(f", MTU {d.u16(b + 4)}, DD-Sequence 0x{d.u32(b + 8):08x}")
        if d.opts.vflag > 1:
            h = b + 12
            while h < dataend:
                _lshdr(d, h, dataend)
                h += LSA_HDR
    elif kind == 3:
        if d.opts.vflag > 1:
            r = b
            while r < dataend:
                if not d.ttest(r, 12):
                    raise _Trunc()
                d.p(f"\n\t  Advertising Router {d.ipaddr_string(r + 8)}")
                _ls_type(d, d.u16(r + 2), r + 4)
                r += 12
    elif kind == 4:
        if d.opts.vflag > 1:
            count = d.u32(b)
            lsap = b + 4
            while lsap < dataend and count:
                count -= 1
                _lsa(d, lsap, dataend)
                lsap += d.u16(lsap + 18)
    elif kind == 5:
        if d.opts.vflag > 1:
            h = b
            while h < dataend:
                _lshdr(d, h, dataend)
                h += LSA_HDR


def _trailer(d: Dissector, op: int, cp: int, length: int) -> None:
    """ospf6_decode_v3_trailer(): LLS (hello and DD with the L bit), then the AT."""
    kind = d.u8(op + 1)
    lls = False
    if kind == 1:
        lls = bool(d.u32(op + HDR + 4) & 0x0200)
    elif kind == 2:
        lls = bool(d.u32(op + HDR) & 0x0200)
    llslen = 0
    if lls and length:
        if length < 4:
            raise _Trunc()
        d.p(f"\n\tLLS Checksum 0x{d.u16(cp):04x}")
        llslen = d.u16(cp + 2)
        d.p(f", Data Length {llslen}")
        if llslen < 4 or llslen > length:
            raise _Trunc()
        if not d.ttest(cp + 4, llslen - 4):
            raise _Trunc()
    cp, length = cp + llslen, length - llslen
    if length == 0:
        return
    if length < 16:
        raise _Trunc()
    atype = d.u16(cp)
    d.p(f"\n\tAuthentication Type {'HMAC' if atype == 1 else f'unknown (0x{atype:04x})'}")
    alen = d.u16(cp + 2)
    d.p(f", Length {alen}")
    if alen < 16 or alen > length:
        raise _Trunc()
    d.p(f", SAID {d.u16(cp + 6)}, CSN 0x{d.u32(cp + 8):08x}:{d.u32(cp + 12):08x}")
    if not d.ttest(cp + 16, alen - 16):
        raise _Trunc()
    if d.opts.vflag > 1:
        d.print_unknown_data(cp + 16, "\n\tAuthentication Data ", alen - 16)
