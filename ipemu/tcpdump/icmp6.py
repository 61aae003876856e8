"""ICMPv6 as tcpdump 4.99.3 prints it (print-icmp6.c): errors, echo, MLD and MLDv2,
neighbour discovery with its options, router renumbering, node information queries
and replies, home-agent discovery, mobile prefixes and RPL.

A `goto trunc` of the C code raises _Trunc, which icmp6_print() turns into ` [|icmp6]`
and a normal return (the link header stays out of -x); a GET_* past the captured end
raises Truncated as everywhere (the packet ends, the whole frame is dumped).
"""
from __future__ import annotations

from ipemu.tcpdump.dissect import (
    IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, Dissector, bittok2str, in_cksum_shouldbe,
    ip6addr_string_raw)
from ipemu.tcpdump.util import fn_print_char

# icmp6_type_values: the first entry of a value wins (139 is "who-are-you request")
ICMP6_TYPES = {
    1: "destination unreachable", 2: "packet too big", 3: "time exceeded in-transit",
    4: "parameter problem", 128: "echo request", 129: "echo reply",
    130: "multicast listener query", 131: "multicast listener report",
    132: "multicast listener done", 133: "router solicitation", 134: "router advertisement",
    135: "neighbor solicitation", 136: "neighbor advertisement", 137: "redirect",
    138: "router renumbering", 141: "inverse neighbor solicitation",
    142: "inverse neighbor advertisement", 143: "multicast listener report v2",
    144: "ha discovery request", 145: "ha discovery reply", 146: "mobile router solicitation",
    147: "mobile router advertisement", 139: "who-are-you request", 140: "who-are-you reply",
    201: "mtrace message", 200: "mtrace response", 155: "RPL",
}
ICMP6_UNREACH = {0: "unreachable route", 1: " unreachable prohibited", 2: "beyond scope",
                 3: "unreachable address", 4: "unreachable port"}
ND_OPTIONS = {1: "source link-address", 2: "destination link-address", 3: "prefix info",
              4: "redirected header", 5: "mtu", 25: "rdnss", 31: "dnssl",
              7: "advertisement interval", 8: "homeagent information", 24: "route info"}
PI_FLAGS = [(0x80, "onlink"), (0x40, "auto"), (0x20, "router")]
RA_FLAGS = [(0x80, "managed"), (0x40, "other stateful"), (0x20, "home agent"), (0x02, "ipv6 only")]
NA_FLAGS = [(0x80000000, "router"), (0x40000000, "solicited"), (0x20000000, "override")]
MLDV2_REPORT_TYPES = {1: "is_in", 2: "is_ex", 3: "to_in", 4: "to_ex", 5: "allow", 6: "block"}
RTPREF = ("medium", "high", "rsv", "low")
RPL_MOP = {0: "nonstoring", 1: "storing", 2: "nonstoring-multicast", 3: "storing-multicast"}
RPL_SUBOPT = {0: "pad1", 1: "padN", 2: "metrics", 3: "routinginfo", 4: "config",
              5: "rpltarget", 6: "transitinfo", 8: "destprefix", 9: "rpltargetdesc"}

# Types whose length is printed right after the name under -v ("display cosmetics").
_LENGTH_FIRST = (133, 134, 136, 135, 137, 145, 147)
ICMP6_HDR_LEN = 8
NI_HDR_LEN = 16          # struct icmp6_nodeinfo


class _Trunc(Exception):
    """`goto trunc` in icmp6_print() and its helpers."""


def _tcheck(d: Dissector, off: int, n: int) -> None:
    if not d.ttest(off, n):
        raise _Trunc()


def icmp6_print(d: Dissector, off: int, length: int, iph: int, fragmented: bool) -> None:
    """icmp6_print()."""
    d.protocol = "icmp6"
    if length == 0:
        d.p("ICMP6, length 0 (invalid)")
        return
    try:
        _icmp6_body(d, off, length, iph, fragmented)
    except _Trunc:
        d.nd_print_trunc()


def _icmp6_body(d: Dissector, off: int, length: int, iph: int, fragmented: bool) -> None:
    v = d.opts.vflag
    if v and not fragmented and d.ttest(off, length):
        icmp_sum = d.u16(off + 2)
        s = d.nextproto6_cksum(iph, off, length, IPPROTO_ICMPV6)
        if s != 0:
            d.p(f"[bad icmp6 cksum 0x{icmp_sum:04x} -> 0x{in_cksum_shouldbe(icmp_sum, s):04x}!] ")
        else:
            d.p("[icmp6 sum ok] ")
    t = d.u8(off)
    d.p(f"ICMP6, {ICMP6_TYPES.get(t, f'unknown icmp6 type ({t})')}")
    if v and t in _LENGTH_FIRST:
        d.p(f", length {length}")
    code = d.u8(off + 1)
    oip = off + ICMP6_HDR_LEN
    if t == 1:
        d.p(f", {ICMP6_UNREACH.get(code, f'unknown unreach code ({code})')}")
        if code in (0, 1, 3):
            d.p(f" {d.ip6addr_string(oip + 24)}")
        elif code == 2:
            d.p(f" {d.ip6addr_string(oip + 24)}, source address {d.ip6addr_string(oip + 8)}")
        elif code == 4:
            found = _get_upperlayer(d, oip)
            if found is None:
                raise _Trunc()
            prot, uh = found
            dport = d.u16(uh + 2)
            dst = d.ip6addr_string(oip + 24)
            if prot == IPPROTO_TCP:
                d.p(f", {dst} tcp port {d.tcpport_string(dport)}")
            elif prot == IPPROTO_UDP:
                d.p(f", {dst} udp port {d.udpport_string(dport)}")
            else:
                d.p(f", {dst} protocol {prot} port {dport} unreachable")
        elif v <= 1:
            d.print_unknown_data(off, "\n\t", length)
            return
    elif t == 2:
        d.p(f", mtu {d.u32(off + 4)}")
    elif t == 3:
        if code == 0:
            d.p(f" for {d.ip6addr_string(oip + 24)}")
        elif code == 1:
            d.p(" (reassembly)")
        else:
            d.p(f", unknown code ({code})")
    elif t == 4:
        _tcheck(d, oip + 24, 16)
        what = {0: "erroneous", 1: "next header", 2: "option",
                3: "incomplete header chain"}.get(code)
        d.p(f", {what} - octet {d.u32(off + 4)}" if what else f", code-#{code}")
    elif t in (128, 129):
        d.p(f", id {d.u16(off + 4)}, seq {d.u16(off + 6)}")
    elif t == 130:
        if length == 24:
            _mld6_print(d, off)
        elif length >= 28:
            d.p(" v2")
            _mldv2_query_print(d, off, length)
        else:
            d.p(f" unknown-version (len {length}) ")
    elif t in (131, 132):
        _mld6_print(d, off)
    elif t == 133:
        if v:
            _icmp6_opt_print(d, off + 8, length - 8)
    elif t == 134:
        if v:
            flags = d.u8(off + 5)
            d.p(f"\n\thop limit {d.u8(off + 4)}, Flags [{bittok2str(RA_FLAGS, 'none', flags)}]"
                f", pref {RTPREF[(flags & 0x18) >> 3]}, router lifetime {d.u16(off + 6)}s, "
                f"reachable time {d.u32(off + 8)}ms, retrans timer {d.u32(off + 12)}ms")
            _icmp6_opt_print(d, off + 16, length - 16)
    elif t == 135:
        d.p(f", who has {d.ip6addr_string(off + 8)}")
        if v:
            _icmp6_opt_print(d, off + 24, length - 24)
    elif t == 136:
        d.p(f", tgt is {d.ip6addr_string(off + 8)}")
        if v:
            d.p(f", Flags [{bittok2str(NA_FLAGS, 'none', d.u32(off + 4))}]")
            _icmp6_opt_print(d, off + 24, length - 24)
    elif t == 137:
        # nd_rd_dst (after the target) first: icmp6_print()'s ND_REDIRECT case
        d.p(f", {d.ip6addr_string(off + 24)}")
        d.p(f" to {d.ip6addr_string(off + 8)}")
        if v:
            _icmp6_opt_print(d, off + 40, length - 40)
    elif t == 138:
        _own_trunc(_icmp6_rrenum_print, d, off, d.snapend)
    elif t in (139, 140):
        _own_trunc(_icmp6_nodeinfo_print, d, length, off, d.snapend)
    elif t in (141, 142):
        pass
    elif t == 143:
        _mldv2_report_print(d, off, length)
    elif t in (144, 146):
        d.p(f", id 0x{d.u16(off + 4):04x}")
    elif t == 145:
        if v:
            d.p(f", id 0x{d.u16(off + 4):04x}")
            p = off + ICMP6_HDR_LEN
            while p < off + length:
                d.p(f", {d.ip6addr_string(p)}")
                p += 16
    elif t == 147:
        if v:
            d.p(f", id 0x{d.u16(off + 4):04x}")
            flags = d.u16(off + 6)
            if flags & 0xC000:
                d.p(" ")
            if flags & 0x8000:
                d.p("M")
            if flags & 0x4000:
                d.p("O")
            _icmp6_opt_print(d, off + 8, length - 8)
    elif t == 155:
        # struct icmp6_hdr holds 4 bytes of the message: it starts at icmp6_data
        _rpl_print(d, code, off + 4, length - ICMP6_HDR_LEN + 4)
    else:
        d.p(f", length {length}")
        if v <= 1:
            d.print_unknown_data(off, "\n\t", length)
        return
    if not v:
        d.p(f", length {length}")


def _own_trunc(printer, d: Dissector, *args) -> None:
    """A helper with its own `trunc:` label: ` [|icmp6]`, then icmp6_print() goes on."""
    try:
        printer(d, *args)
    except _Trunc:
        d.nd_print_trunc()


def _get_upperlayer(d: Dissector, ip6: int) -> tuple[int, int] | None:
    """get_upperlayer(): the TCP/UDP header inside a quoted IPv6 packet."""
    if not d.ttest(ip6 + 6, 1):
        return None
    nh = d.u8(ip6 + 6)
    p = ip6
    hlen = 40
    while p < d.snapend:
        p += hlen
        if nh in (IPPROTO_UDP, IPPROTO_TCP):
            return (nh, p) if d.ttest(p + 2, 2) else None
        if nh in (0, 60, 43):
            if not d.ttest(p + 1, 1):
                return None
            nh = d.u8(p)
            hlen = (d.u8(p + 1) + 1) << 3
        elif nh == 44:
            if not d.ttest(p + 2, 2) or d.u16(p + 2) & 0xFFF8:
                return None
            nh = d.u8(p)
            hlen = 8
        elif nh == 51:
            if not d.ttest(p + 1, 1):
                return None
            nh = d.u8(p)
            hlen = (d.u8(p + 1) + 2) << 2
        else:
            return None
    return None


def _icmp6_opt_print(d: Dissector, bp: int, resid: int) -> None:
    """icmp6_opt_print(); its `return -1` is the caller's goto trunc (_Trunc)."""
    v = d.opts.vflag
    cp = bp
    ep = d.snapend
    while cp < ep:
        _tcheck(d, cp + 1, 1)
        if resid <= 0:
            return
        opt_type, opt_len = d.u8(cp), d.u8(cp + 1)
        if opt_len == 0 or cp + (opt_len << 3) > ep:
            raise _Trunc()
        d.p(f"\n\t  {ND_OPTIONS.get(opt_type, 'unknown')} option ({opt_type}), "
            f"length {opt_len << 3} ({opt_len}): ")
        if opt_type in (1, 2):
            d.p(":".join(f"{b:02x}" for b in d.bytes_(cp + 2, (opt_len << 3) - 2)))
        elif opt_type == 3:
            flags = d.u8(cp + 3)
            d.p(f"{d.ip6addr_string(cp + 16)}/{d.u8(cp + 2)}{'badlen' if opt_len != 4 else ''}, "
                f"Flags [{bittok2str(PI_FLAGS, 'none', flags)}], valid time {_lifetime(d.u32(cp + 4))}")
            d.p(f", pref. time {_lifetime(d.u32(cp + 8))}")
        elif opt_type == 4:
            # the C code dumps from the first option, not from this one
            d.print_unknown_data(bp, "\n\t    ", opt_len << 3)
        elif opt_type == 5:
            d.p(f" {d.u32(cp + 4)}{'bad option length' if opt_len != 1 else ''}")
        elif opt_type == 25:
            d.p(f" lifetime {d.u32(cp + 4)}s,")
            for i in range((opt_len - 1) // 2):
                d.p(f" addr: {d.ip6addr_string(cp + 8 + 16 * i)}")
        elif opt_type == 31:
            from ipemu.tcpdump.dns import fqdn_print
            d.p(f" lifetime {d.u32(cp + 4)}s, domain(s):")
            domp = cp + 8
            while domp < cp + (opt_len << 3) and d.u8(domp) != 0:
                d.p(" ")
                domp = fqdn_print(d, domp, bp)
                if domp is None:
                    raise _Trunc()
        elif opt_type == 7:
            d.p(f" {d.u32(cp + 4)}ms")
        elif opt_type == 8:
            d.p(f" preference {d.u16(cp + 4)}, lifetime {d.u16(cp + 6)}")
        elif opt_type == 24:
            _tcheck(d, cp + 4, 4)
            prefix = bytearray(16)
            if opt_len in (2, 3):
                n = 8 if opt_len == 2 else 16
                prefix[:n] = d.bytes_(cp + 8, n)
            elif opt_len != 1:
                raise _Trunc()
            text = ip6addr_string_raw(bytes(prefix))
            if not d.opts.nflag:
                text = d.opts.hosts.get(text, text)
            d.p(f" {text}/{d.u8(cp + 2)}")
            d.p(f", pref={RTPREF[(d.u8(cp + 3) & 0x18) >> 3]}")
            d.p(f", lifetime={_lifetime(d.u32(cp + 4))}")
        else:
            if v <= 1:
                d.print_unknown_data(cp + 2, "\n\t  ", (opt_len << 3) - 2)
                return
        if v > 1:
            d.print_unknown_data(cp + 2, "\n\t    ", (opt_len << 3) - 2)
        cp += opt_len << 3
        resid -= opt_len << 3


def _lifetime(value: int) -> str:
    """get_lifetime()."""
    return "infinity" if value == 0xFFFFFFFF else f"{value}s"


def _mld6_print(d: Dissector, off: int) -> None:
    """mld6_print()."""
    if off + 24 > d.snapend:
        return
    d.p(f"max resp delay: {d.u16(off + 4)} ")
    d.p(f"addr: {d.ip6addr_string(off + 8)}")


def _mldv2_report_print(d: Dissector, off: int, length: int) -> None:
    """mldv2_report_print()."""
    if length < 8:
        d.p(f" [invalid len {length}]")
        return
    ngroups = d.u16(off + 6)
    d.p(f", {ngroups} group record(s)")
    v = d.opts.vflag
    if not v:
        return
    group = 8
    for _ in range(ngroups):
        if length < group + 20:
            d.p(" [invalid number of groups]")
            return
        d.p(f" [gaddr {d.ip6addr_string(off + group + 4)}")
        rtype = d.u8(off + group)
        d.p(f" {MLDV2_REPORT_TYPES.get(rtype, f' [v2-report-#{rtype}]')}")
        nsrcs = d.u16(off + group + 2)
        if length < group + 20 + nsrcs * 16:
            d.p(f" [invalid number of sources {nsrcs}]")
            return
        if v == 1:
            d.p(f", {nsrcs} source(s)")
        else:
            d.p(" {")
            for j in range(nsrcs):
                d.p(f" {d.ip6addr_string(off + group + 20 + 16 * j)}")
            d.p(" }")
        group += 20 + nsrcs * 16
        d.p("]")


def _mldv2_query_print(d: Dissector, off: int, length: int) -> None:
    """mldv2_query_print()."""
    if length < 28:
        d.p(f" [invalid len {length}]")
        return
    v = d.opts.vflag
    mrc = d.u16(off + 4)
    mrt = mrc if mrc < 32768 else ((mrc & 0x0FFF) | 0x1000) << (((mrc & 0x7000) >> 12) + 3)
    if v:
        d.p(f" [max resp delay={mrt}]")
    d.p(f" [gaddr {d.ip6addr_string(off + 8)}")
    if v:
        b24, b25 = d.u8(off + 24), d.u8(off + 25)
        if b24 & 0x08:
            d.p(" sflag")
        if b24 & 0x07:
            d.p(f" robustness={b24 & 0x07}")
        qqi = b25 if b25 < 128 else ((b25 & 0x0F) | 0x10) << (((b25 & 0x70) >> 4) + 3)
        d.p(f" qqi={qqi}")
    nsrcs = d.u16(off + 26)
    if nsrcs > 0:
        if length < 28 + nsrcs * 16:
            d.p(" [invalid number of sources]")
        elif v > 1:
            d.p(" {")
            for i in range(nsrcs):
                d.p(f" {d.ip6addr_string(off + 28 + 16 * i)}")
            d.p(" }")
        else:
            d.p(f", {nsrcs} source(s)")
    d.p("]")


# -- node information (RFC 4620) -------------------------------------------------------
def _dnsname_print(d: Dissector, cp: int, ep: int) -> None:
    """dnsname_print(): labels without decompression."""
    d.p(', "')
    while cp < ep:
        i = d.u8(cp)
        cp += 1
        if i:
            if i > ep - cp:
                d.p("???")
                break
            while i and cp < ep:
                i -= 1
                d.p(fn_print_char(d.u8(cp)))
                cp += 1
            if cp + 1 < ep and d.u8(cp):
                d.p(".")
        else:
            if cp == ep:
                d.p(".")                # FQDN
            elif cp + 1 == ep and d.u8(cp) == 0:
                pass                    # truncated
            else:
                d.p("???")              # invalid
            break
    d.p('"')


def _pascal_or_dnsname(d: Dissector, cp: int, ep: int) -> None:
    if d.u8(cp) == ep - cp - 1:
        # icmp-name-lookup-03, pascal string
        if d.opts.vflag:
            d.p(", 03 draft")
        cp += 1
        d.p(', "')
        while cp < ep:
            d.p(fn_print_char(d.u8(cp)))
            cp += 1
        d.p('"')
    else:
        _dnsname_print(d, cp, ep)


def _ni_flags(i: int, truncate: bool) -> str:
    text = "".join(s for bit, s in ((0x40, "a"), (0x20, "G"), (0x10, "S"), (0x08, "L"),
                                    (0x04, "C"), (0x02, "A")) if i & bit)
    if truncate and i & 0x01:
        text += "T"
    return f" [{text}]"


def _icmp6_nodeinfo_print(d: Dissector, icmp6len: int, bp: int, ep: int) -> None:
    """icmp6_nodeinfo_print(): sizes are what was captured (ep), not the length."""
    v = d.opts.vflag
    if ep < bp:
        return
    siz = ep - bp
    ni_type = d.u8(bp)
    if ni_type == 139:
        if siz == ICMP6_HDR_LEN + 4:
            d.p(" who-are-you request")        # KAME
            return
        d.p(" node information query")
        _tcheck(d, bp, NI_HDR_LEN)
        d.p(" (")
        qtype = d.u16(bp + 4)
        if qtype == 0:
            d.p("noop")
        elif qtype == 1:
            d.p("supported qtypes")
            i = d.u16(bp + 6)
            if i:
                d.p(f" [{'C' if i & 0x01 else ''}]")
        elif qtype == 2:
            d.p("DNS name")
        elif qtype == 3:
            d.p("node addresses")
            i = d.u16(bp + 6)
            if i:
                d.p(_ni_flags(i, truncate=False))
        else:
            d.p("unknown")
        if qtype in (0, 1):
            if siz != NI_HDR_LEN and v:
                d.p(", invalid len")
            d.p(")")
            return
        if siz == NI_HDR_LEN:
            d.p(", 03 draft)")
            return
        cp = bp + NI_HDR_LEN
        code = d.u8(bp + 1)
        if code == 0:
            if d.ttest(bp, NI_HDR_LEN + 16):
                if siz != NI_HDR_LEN + 16:
                    if v:
                        d.p(", invalid subject len")
                else:
                    d.p(f", subject={d.ip6addr_string(cp)}")
        elif code == 1:
            d.p(", subject=DNS name")
            _pascal_or_dnsname(d, cp, ep)
        elif code == 2:
            if d.ttest(bp, NI_HDR_LEN + 4):
                if siz != NI_HDR_LEN + 4:
                    if v:
                        d.p(", invalid subject len")
                else:
                    d.p(f", subject={d.ipaddr_string(cp)}")
        else:
            d.p(", unknown subject")
        d.p(")")
    elif ni_type == 140:
        if icmp6len > siz:
            raise _Trunc()
        needcomma = False
        _tcheck(d, bp, NI_HDR_LEN)
        d.p(" node information reply (")
        code = d.u8(bp + 1)
        if code == 0:
            if v:
                d.p("success")
                needcomma = True
        elif code in (1, 2):
            d.p("refused" if code == 1 else "unknown")
            needcomma = True
            if siz != NI_HDR_LEN and v:
                d.p(", invalid length")
        if code != 0:
            d.p(")")
            return
        comma = ", " if needcomma else ""
        qtype = d.u16(bp + 4)
        if qtype == 0:
            d.p(comma + "noop")
            if siz != NI_HDR_LEN and v:
                d.p(", invalid length")
        elif qtype == 1:
            d.p(comma + "supported qtypes")
            i = d.u16(bp + 6)
            if i:
                d.p(f" [{'C' if i & 0x01 else ''}]")
        elif qtype == 2:
            d.p(comma + "DNS name")
            _pascal_or_dnsname(d, bp + NI_HDR_LEN + 4, ep)
            if d.u16(bp + 6) & 0x01:
                d.p(f" [TTL={d.u32(bp + NI_HDR_LEN)}]")
        elif qtype == 3:
            d.p(comma + "node addresses")
            i = NI_HDR_LEN
            while i < siz and i + 20 <= siz:
                d.p(f" {d.ip6addr_string(bp + i + 4)}({d.u32(bp + i)})")
                i += 20
            i = d.u16(bp + 6)
            if i:
                d.p(_ni_flags(i, truncate=True))
        else:
            d.p(comma + "unknown")
        d.p(")")


# -- router renumbering (RFC 2894) ------------------------------------------------------
def _icmp6_rrenum_print(d: Dissector, bp: int, ep: int) -> None:
    """icmp6_rrenum_print()."""
    v = d.opts.vflag
    if ep < bp:
        return
    cp = bp + 16
    _tcheck(d, bp + 12, 4)
    code = d.u8(bp + 1)
    d.p({0: ", command", 1: ", result", 255: ", sequence number reset"}.get(code, f", code-#{code}"))
    d.p(f", seq={d.u32(bp + 4)}")
    if v:
        flags = d.u8(bp + 9)
        d.p("[")
        if flags:
            d.p("".join(s for bit, s in ((0x80, "T"), (0x40, "R"), (0x20, "A"), (0x10, "S"),
                                         (0x08, "P")) if flags & bit) + ",")
        d.p(f"seg={d.u8(bp + 8)},")
        d.p(f"maxdelay={d.u16(bp + 10)}")
        if d.u32(bp + 12):
            d.p(f"rsvd=0x{d.u32(bp + 12):x}")
        d.p("]")
    if code != 0:
        return
    match = cp
    cp = match + 24
    _tcheck(d, match + 8, 16)
    d.p("\n\t" if v > 1 else " ")
    d.p("match(")
    mcode = d.u8(match)
    d.p({1: "add", 2: "change", 3: "setglobal"}.get(mcode, f"#{mcode}"))
    if v:
        d.p(f",ord={d.u8(match + 2)},min={d.u8(match + 4)},max={d.u8(match + 5)}")
    d.p(f",{ip6addr_string_raw(d.bytes_(match + 8, 16))}/{d.u8(match + 3)})")
    n = d.u8(match + 1) - 3
    if n % 4:
        raise _Trunc()
    for _ in range(n // 4):
        use = cp
        cp = use + 32
        _tcheck(d, use + 16, 16)
        d.p("\n\t" if v > 1 else " ")
        d.p("use(")
        uflags = d.u8(use + 12)
        if uflags:
            # F() tests the first byte of the network-order word (htonl on a little-endian host)
            d.p(f"{'V' if uflags & 0x80 else ''}{'P' if uflags & 0x40 else ''},")
        if v:
            d.p(f"mask=0x{d.u8(use + 2):x},raflags=0x{d.u8(use + 3):x},")
            vl, pl = d.u32(use + 4), d.u32(use + 8)
            d.p("vltime=infty," if vl == 0xFFFFFFFF else f"vltime={vl},")
            d.p("pltime=infty," if pl == 0xFFFFFFFF else f"pltime={pl},")
        d.p(f"{ip6addr_string_raw(d.bytes_(use + 16, 16))}/{d.u8(use)}/{d.u8(use + 1)})")


# -- RPL (RFC 6550) ---------------------------------------------------------------------
def _rpl_printopts(d: Dissector, opts: int, length: int) -> None:
    """rpl_printopts()."""
    from ipemu.tcpdump.hexdump import hex_print
    while length != 0:
        dio_type = d.u8(opts)
        if dio_type == 0:
            optlen = 1
            d.p(" opt:pad1")
        else:
            if length < 2:
                raise _Trunc()
            optlen = d.u8(opts + 1) + 2
            d.p(f" opt:{RPL_SUBOPT.get(dio_type, f'subopt:{dio_type}')} len:{optlen} ")
            _tcheck(d, opts, optlen)
            if length < optlen:
                raise _Trunc()
            if d.opts.vflag > 2:
                d.p(hex_print(d.bytes_(opts + 2, optlen - 2), " "))
        opts += optlen
        length -= optlen


def _rpl_dio_print(d: Dissector, bp: int, length: int) -> None:
    """rpl_dio_print()."""
    if length < 24:             # ND_LCHECK_ZU(length, sizeof(struct nd_rpl_dio))
        d.p(" (invalid)")
        return
    mopprf = d.u8(bp + 4)
    dagid = d.ip6addr_string(bp + 8)
    d.p(f" [dagid:{dagid},seq:{d.u8(bp + 5)},instance:{d.u8(bp)},rank:{d.u16(bp + 2)},"
        f"{'grounded,' if mopprf & 0x80 else ''}"
        f"mop:{RPL_MOP.get((mopprf >> 3) & 7, f'mop{(mopprf >> 3) & 7}')},prf:{mopprf & 7}]")
    if d.opts.vflag > 1:
        _own_trunc(_rpl_printopts, d, bp + 24, length - 24)


def _rpl_dao_print(d: Dissector, bp: int, length: int) -> None:
    """rpl_dao_print()."""
    _tcheck(d, bp, 20)          # ND_TCHECK_SIZE(dao)
    if length < 4:
        d.p(" [|length too short]")
        return
    dao = bp
    bp, length = bp + 4, length - 4
    flags = d.u8(dao + 1)
    dagid = "<elided>"
    if flags & 0x40:
        _tcheck(d, dao + 4, 16)
        if length < 16:
            d.p(" [|length too short]")
            return
        dagid = d.ip6addr_string(dao + 4)
        bp, length = bp + 16, length - 16
    d.p(f" [dagid:{dagid},seq:{d.u8(dao + 3)},instance:{d.u8(dao)}"
        f"{',acK' if flags & 0x80 else ''}{',Dagid' if flags & 0x40 else ''},{flags:02x}]")
    if d.opts.vflag > 1:
        _own_trunc(_rpl_printopts, d, bp, length)


def _rpl_daoack_print(d: Dissector, bp: int, length: int) -> None:
    """rpl_daoack_print()."""
    _tcheck(d, bp, 4)
    if length < 4:
        d.p(" [|dao-length too short]")
        return
    ack = bp
    bp, length = bp + 4, length - 4
    dagid = "<elided>"
    if d.u8(ack + 1) & 0x80:
        _tcheck(d, ack + 4, 16)
        if length < 16:
            d.p(" [|dao-length too short]")
            return
        dagid = d.ip6addr_string(ack + 4)
        bp, length = bp + 16, length - 16
    d.p(f" [dagid:{dagid},seq:{d.u8(ack + 2)},instance:{d.u8(ack)},status:{d.u8(ack + 3)}]")
    if d.opts.vflag > 1:
        _own_trunc(_rpl_printopts, d, bp, length)


def _rpl_print(d: Dissector, code: int, bp: int, length: int) -> None:
    """rpl_print()."""
    if code & 0x80:
        d.p(", (SEC) [worktodo]")
        return
    d.p(", (CLR)")
    v = d.opts.vflag
    base = code & 0x7F
    if base == 0:
        d.p("DODAG Information Solicitation")
    elif base == 1:
        d.p("DODAG Information Object")
        if v:
            _rpl_dio_print(d, bp, length)
    elif base == 2:
        d.p("Destination Advertisement Object")
        if v:
            _own_trunc(_rpl_dao_print, d, bp, length)
    elif base == 3:
        d.p("Destination Advertisement Object Ack")
        if v:
            _own_trunc(_rpl_daoack_print, d, bp, length)
    else:
        d.p(f"RPL message, unknown code {code}")


__all__ = ["icmp6_print"]
