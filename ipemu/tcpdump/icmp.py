"""ICMP and ICMPv6 as tcpdump 4.99.3 prints them (print-icmp.c, print-icmp6.c):
echo, unreachables (with the quoted datagram under -v), time exceeded, neighbour
discovery with its options, MLD and MLDv2 reports."""
from __future__ import annotations

from ipemu.tcpdump.dissect import (
    IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, Dissector, Truncated, bittok2str, in_cksum,
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
        text = f"address mask is 0x{d.u32(off + 4):08x}"
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

ICMP6_TYPES = {
    1: "destination unreachable", 2: "packet too big", 3: "time exceeded in-transit",
    4: "parameter problem", 128: "echo request", 129: "echo reply",
    130: "multicast listener query", 131: "multicast listener report",
    132: "multicast listener done", 133: "router solicitation", 134: "router advertisement",
    135: "neighbor solicitation", 136: "neighbor advertisement", 137: "redirect",
    138: "router renumbering", 141: "inverse neighbor solicitation",
    142: "inverse neighbor advertisement", 143: "multicast listener report v2",
    144: "ha discovery request", 145: "ha discovery reply", 146: "mobile router solicitation",
    147: "mobile router advertisement", 139: "node information query",
    140: "node information reply", 201: "mtrace message", 200: "mtrace response", 155: "RPL",
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

# Types whose length is printed right after the name under -v.
_LENGTH_FIRST = (133, 134, 136, 135, 137, 145, 147)


def icmp6_print(d: Dissector, off: int, length: int, iph: int, fragmented: bool) -> None:
    d.protocol = "icmp6"
    if length == 0:
        d.p("ICMP6, length 0 (invalid)")
        return
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
    oip = off + 8
    if t == 1:
        d.p(f", {ICMP6_UNREACH.get(code, f'unknown unreach code ({code})')}")
        if code in (0, 1, 3):
            d.p(f" {d.ip6addr_string(oip + 24)}")
        elif code == 2:
            d.p(f" {d.ip6addr_string(oip + 24)}, source address {d.ip6addr_string(oip + 8)}")
        elif code == 4:
            found = _get_upperlayer(d, oip)
            if found is None:
                raise Truncated()
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
        d.need(oip + 24, 16)
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
        d.p(f", {d.ip6addr_string(off + 8)} to {d.ip6addr_string(off + 24)}")
        if v:
            _icmp6_opt_print(d, off + 40, length - 40)
    elif t in (141, 142):
        pass
    elif t == 143:
        _mldv2_report_print(d, off, length)
    elif t in (144, 146):
        d.p(f", id 0x{d.u16(off + 4):04x}")
    elif t in (138, 139, 140, 145, 147, 155):
        # Rare ND relatives: printed as tcpdump's generic fallback would.
        pass
    else:
        d.p(f", length {length}")
        if v <= 1:
            d.print_unknown_data(off, "\n\t", length)
        return
    if not v:
        d.p(f", length {length}")


def _get_upperlayer(d: Dissector, ip6: int) -> tuple[int, int] | None:
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


def _icmp6_opt_print(d: Dissector, cp: int, resid: int) -> None:
    v = d.opts.vflag
    bp = cp     # DNSSL names compress relative to the options' start
    while cp < d.snapend:
        d.need(cp + 1, 1)
        if resid <= 0:
            return
        opt_type, opt_len = d.u8(cp), d.u8(cp + 1)
        if opt_len == 0 or cp + (opt_len << 3) > d.snapend:
            raise Truncated()
        d.p(f"\n\t  {ND_OPTIONS.get(opt_type, 'unknown')} option ({opt_type}), "
            f"length {opt_len << 3} ({opt_len}): ")
        if opt_type in (1, 2):
            d.p(":".join(f"{b:02x}" for b in d.bytes_(cp + 2, (opt_len << 3) - 2)))
        elif opt_type == 3:
            flags = d.u8(cp + 3)
            d.p(f"{d.ip6addr_string(cp + 16)}/{d.u8(cp + 2)}{'badlen' if opt_len != 4 else ''}, "
                f"Flags [{bittok2str(PI_FLAGS, 'none', flags)}], valid time {_lifetime(d.u32(cp + 4))}"
                f", pref. time {_lifetime(d.u32(cp + 8))}")
        elif opt_type == 4:
            d.print_unknown_data(cp, "\n\t    ", opt_len << 3)
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
                    raise Truncated()
        elif opt_type == 7:
            d.p(f" {d.u32(cp + 4)}ms")
        elif opt_type == 8:
            d.p(f" preference {d.u16(cp + 4)}, lifetime {d.u16(cp + 6)}")
        elif opt_type == 24:
            prefix = bytearray(16)
            if opt_len in (2, 3):
                n = 8 if opt_len == 2 else 16
                prefix[:n] = d.bytes_(cp + 8, n)
            elif opt_len != 1:
                raise Truncated()
            from ipemu.tcpdump.dissect import ip6addr_string_raw
            d.p(f" {ip6addr_string_raw(bytes(prefix))}/{d.u8(cp + 2)}")
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
    return "infinity" if value == 0xFFFFFFFF else f"{value}s"


def _mld6_print(d: Dissector, off: int) -> None:
    if off + 24 > d.snapend:
        return
    d.p(f"max resp delay: {d.u16(off + 4)} ")
    d.p(f"addr: {d.ip6addr_string(off + 8)}")


def _mldv2_report_print(d: Dissector, off: int, length: int) -> None:
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


__all__ = ["icmp_print", "icmp6_print"]
