"""The Babel routing protocol on UDP ports 6696 and 6697, as tcpdump 4.99.3's
print-babel.c babel_print() prints it (RFC 8966, RFC 6126, the source-specific and
MAC/RTT extensions): each TLV's name without -v, its fields on a line of its own
under -v, the trailer after ` |` or `----`."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, Truncated, ip6addr_string_raw

V4PREFIX = bytes(10) + b"\xff\xff" + bytes(4)
DIVERSITY = {0: "reserved", 255: "all"}


class _Invalid(Exception):
    """babel_print_v2_tlvs()'s `goto invalid` (and subtlvs_print()'s)."""


def _id(d: Dissector, at: int) -> str:
    """format_id()."""
    return ":".join(f"{b:02x}" for b in d.bytes_(at, 8))


def _addr_text(d: Dissector, raw: bytes, v4: bool) -> str:
    text = ".".join(str(b) for b in raw) if v4 else ip6addr_string_raw(raw)
    return text if d.opts.nflag else d.opts.hosts.get(text, text)


def _prefix(d: Dissector, prefix: bytes, plen: int) -> str:
    """format_prefix(): a v4-mapped prefix of 96 bits or more as IPv4."""
    if plen >= 96 and prefix[:12] == V4PREFIX[:12]:
        return f"{_addr_text(d, prefix[12:], True)}/{plen - 96}"
    return f"{_addr_text(d, prefix, False)}/{plen}"


def _address(d: Dissector, prefix: bytes) -> str:
    """format_address()."""
    if prefix[:12] == V4PREFIX[:12]:
        return _addr_text(d, prefix[12:], True)
    return _addr_text(d, prefix, False)


def _interval(i: int) -> str:
    """format_interval(): centiseconds."""
    return "0.0s (bogus)" if i == 0 else f"{i // 100}.{i % 100:02d}s"


def _interval_update(i: int) -> str:
    return "infinity" if i == 0xFFFF else _interval(i)


def _timestamp(i: int) -> str:
    return f"{i // 1000000}.{i % 1000000:06d}s"


def _network_prefix(d: Dissector, ae: int, plen: int, omitted: int, p: int,
                    dp: bytes | None, length: int) -> tuple[int, bytes]:
    """network_prefix(): (bytes consumed, the 16-byte prefix), consumed -1 for an
    encoding error. `length` is an unsigned int there."""
    length &= 0xFFFFFFFF
    if plen >= 0:
        pb = (plen + 7) // 8
    else:
        pb = 4 if ae == 1 else 16
    if pb > 16:
        return -1, b""
    prefix = bytearray(16)
    consumed = 0

    def take(n: int) -> bytes:
        return (d.data[p:p + n] + bytes(n))[:n]      # memcpy() of checked bytes

    if ae == 0:
        pass
    elif ae == 1:
        if omitted > 4 or pb > 4 or (pb > omitted and length < pb - omitted):
            return -1, b""
        prefix[:12] = V4PREFIX[:12]
        if omitted:
            if dp is None:
                return -1, b""
            prefix[:12 + omitted] = dp[:12 + omitted]
        if pb > omitted:
            prefix[12 + omitted:12 + pb] = take(pb - omitted)
            consumed = pb - omitted
    elif ae == 2:
        if omitted > 16 or (pb > omitted and length < pb - omitted):
            return -1, b""
        if omitted:
            if dp is None:
                return -1, b""
            prefix[:omitted] = dp[:omitted]
        if pb > omitted:
            prefix[omitted:pb] = take(pb - omitted)
            consumed = pb - omitted
    elif ae == 3:
        if pb > 8 and length < pb - 8:
            return -1, b""
        prefix[0], prefix[1] = 0xFE, 0x80
        if pb > 8:
            prefix[8:pb] = take(pb - 8)
            consumed = pb - 8
    else:
        return -1, b""
    return consumed, bytes(prefix)



def _dst_src(d: Dissector, ae: int, plen: int, src_plen: int, omitted: int, start: int,
             dp: bytes | None, length: int, parsed: int) -> tuple:
    """babel_print_v2_tlvs()'s source-specific messages (SS-Update, SS-Request,
    SS-MH-Request): network_prefix() of the destination at `start` + `parsed`, then of
    the source after it, each plen taken to IPv6's (+96) for an IPv4 prefix (ae 1);
    returns (prefix, plen, src_prefix, src_plen, parsed); _Invalid on an encoding error."""
    rc, prefix = _network_prefix(d, ae, plen, omitted, start + parsed, dp, length - parsed)
    if rc < 0:
        raise _Invalid()
    if ae == 1:
        plen = (plen + 96) & 0xFF
    parsed += rc
    rc, src_prefix = _network_prefix(d, ae, src_plen, 0, start + parsed, None, length - parsed)
    if rc < 0:
        raise _Invalid()
    if ae == 1:
        src_plen = (src_plen + 96) & 0xFF
    return prefix, plen, src_prefix, src_plen, parsed + rc

def _subtlvs(d: Dissector, cp: int, ep: int, tlv_type: int) -> None:
    """subtlvs_print(): its ` (invalid)` ends it."""
    while cp < ep:
        subtype = d.u8(cp)
        cp += 1
        if subtype == 0:
            d.p(" sub-pad1")
            continue
        if subtype & 0x80:
            d.p(" (M)")
        if cp == ep:
            d.p(" (invalid)")
            return
        sublen = d.u8(cp)
        cp += 1
        if cp + sublen > ep:
            d.p(" (invalid)")
            return
        if subtype == 1:
            d.p(" sub-padn")
            cp += sublen
        elif subtype == 2:
            d.p(" sub-diversity")
            if sublen == 0:
                d.p(" empty")
                continue
            sep = " "
            while sublen:
                c = d.u8(cp)
                d.p(f"{sep}{DIVERSITY.get(c, str(c))}")
                cp += 1
                sep = "-"
                sublen -= 1
            if tlv_type not in (8, 13):
                d.p(" (bogus)")
        elif subtype == 3:
            d.p(" sub-timestamp")
            if tlv_type == 4:
                if sublen < 4:
                    d.p(" (invalid)")
                    return
                d.p(f" {_timestamp(d.u32(cp))}")
            elif tlv_type == 5:
                if sublen < 8:
                    d.p(" (invalid)")
                    return
                d.p(f" {_timestamp(d.u32(cp))}|{_timestamp(d.u32(cp + 4))}")
            else:
                d.p(" (bogus)")
            cp += sublen
        else:
            d.p(f" sub-unknown-0x{subtype:02x}")
            cp += sublen


def _tlvs(d: Dissector, cp: int, tlvs_length: int, remaining: int) -> None:
    """babel_print_v2_tlvs(): Truncated for its -1, _Invalid for its -2."""
    v = d.opts.vflag
    v4_prefix, v6_prefix = V4PREFIX, bytes(16)
    i = 0

    def icheck(n: int) -> None:
        if i + n > tlvs_length or i + n > remaining:
            raise _Invalid()

    while i < tlvs_length:
        m = cp + i
        icheck(1)
        mtype = d.u8(m)
        if mtype == 0:
            d.p("\n\tPad 1" if v else " pad1")
            i += 1
            continue
        icheck(2)
        d.need(m, 2)
        length = d.u8(m + 1)
        icheck(2 + length)
        d.need(m, 2 + length)
        end = m + 2 + length
        if mtype == 1:
            d.p(f"\n\tPad {length + 2}" if v else " padN")
        elif mtype == 2:
            if not v:
                d.p(" ack-req")
            else:
                d.p("\n\tAcknowledgment Request ")
                if length < 6:
                    raise _Invalid()
                d.p(f"{d.u16(m + 4):04x} {_interval(d.u16(m + 6))}")
        elif mtype == 3:
            if not v:
                d.p(" ack")
            else:
                d.p("\n\tAcknowledgment ")
                if length < 2:
                    raise _Invalid()
                d.p(f"{d.u16(m + 2):04x}")
        elif mtype == 4:
            if not v:
                d.p(" hello")
            else:
                d.p("\n\tHello ")
                if length < 6:
                    raise _Invalid()
                if d.u16(m + 2) & 0x8000:
                    d.p("(Unicast) ")
                d.p(f"seqno {d.u16(m + 4)} ")
                interval = d.u16(m + 6)
                d.p(f"interval {_interval(interval)}" if interval else "unscheduled")
                if length > 6:
                    _subtlvs(d, m + 8, end, mtype)
        elif mtype == 5:
            if not v:
                d.p(" ihu")
            else:
                d.p("\n\tIHU ")
                if length < 6:
                    raise _Invalid()
                rxcost, interval, ae = d.u16(m + 4), d.u16(m + 6), d.u8(m + 2)
                rc, address = _network_prefix(d, ae, -1, 0, m + 8, None, length - 6)
                if rc < 0:
                    d.nd_print_trunc()
                else:
                    d.p(f"{'any' if ae == 0 else _address(d, address)} rxcost {rxcost} "
                        f"interval {_interval(interval)}")
                    if rc < length - 6:
                        _subtlvs(d, m + 8 + rc, end, mtype)
        elif mtype == 6:
            if not v:
                d.p(" router-id")
            else:
                d.p("\n\tRouter Id")
                if length < 10:
                    raise _Invalid()
                d.p(f" {_id(d, m + 4)}")
        elif mtype == 7:
            if not v:
                d.p(" nh")
            else:
                d.p("\n\tNext Hop")
                if length < 2:
                    raise _Invalid()
                ae = d.u8(m + 2)
                rc, nh = _network_prefix(d, ae, -1, 0, m + 4, None, length - 2)
                if rc < 0:
                    raise _Invalid()
                d.p(f" {'invalid AE 0' if ae == 0 else _address(d, nh)}")
        elif mtype == 8:
            flags_text = ""
            if not v:
                d.p(" update")
                if length < 10:
                    raise _Invalid()
            else:
                d.p("\n\tUpdate")
                if length < 10:
                    raise _Invalid()
            f = d.u8(m + 3)
            flags_text = (("/prefix" if f & 0x80 else "") + ("/id" if f & 0x40 else "")
                          + ("/unknown" if f & 0x3F else ""))
            if not v:
                d.p(flags_text)
            else:
                ae = d.u8(m + 2)
                plen = (d.u8(m + 4) + (96 if ae == 1 else 0)) & 0xFF
                rc, prefix = _network_prefix(d, ae, d.u8(m + 4), d.u8(m + 5), m + 12,
                                             v4_prefix if ae == 1 else v6_prefix, length - 10)
                if rc < 0:
                    raise _Invalid()
                interval, seqno, metric = d.u16(m + 6), d.u16(m + 8), d.u16(m + 10)
                d.p(f"{flags_text} {'any' if ae == 0 else _prefix(d, prefix, plen)} metric "
                    f"{metric} seqno {seqno} interval {_interval_update(interval)}")
                if f & 0x80:
                    if ae == 1:
                        v4_prefix = prefix
                    else:
                        v6_prefix = prefix
                if rc < length - 10:
                    _subtlvs(d, m + 12 + rc, end, mtype)
        elif mtype == 9:
            if not v:
                d.p(" route-request")
            else:
                d.p("\n\tRoute Request ")
                if length < 2:
                    raise _Invalid()
                ae = d.u8(m + 2)
                plen = (d.u8(m + 3) + (96 if ae == 1 else 0)) & 0xFF
                rc, prefix = _network_prefix(d, ae, d.u8(m + 3), 0, m + 4, None, length - 2)
                if rc < 0:
                    raise _Invalid()
                d.p(f"for {'any' if ae == 0 else _prefix(d, prefix, plen)}")
        elif mtype == 10:
            if not v:
                d.p(" seqno-request")
            else:
                d.p("\n\tSeqno Request ")
                if length < 14:
                    raise _Invalid()
                ae, seqno = d.u8(m + 2), d.u16(m + 4)
                rc, prefix = _network_prefix(d, ae, d.u8(m + 3), 0, m + 16, None, length - 14)
                if rc < 0:
                    raise _Invalid()
                plen = (d.u8(m + 3) + (96 if ae == 1 else 0)) & 0xFF
                d.p(f"({d.u8(m + 6)} hops) for "
                    f"{'invalid AE 0' if ae == 0 else _prefix(d, prefix, plen)} seqno {seqno} "
                    f"id {_id(d, m + 8)}")
        elif mtype == 11:
            if not v:
                d.p(" tspc")
            else:
                d.p("\n\tTS/PC ")
                if length < 6:
                    raise _Invalid()
                d.p(f"timestamp {d.u32(m + 4)} packetcounter {d.u16(m + 2)}")
        elif mtype == 12:
            if not v:
                d.p(" hmac")
            else:
                d.p("\n\tHMAC ")
                if length < 18:
                    raise _Invalid()
                d.p(f"key-id {d.u16(m + 2)} digest-{length - 2} ")
                d.p("".join(f"{d.u8(m + j + 4):02X}" for j in range(length - 2)))
        elif mtype == 13:
            if not v:
                d.p(" ss-update")
            else:
                d.p("\n\tSS-Update")
                if length < 10:
                    raise _Invalid()
                ae, src_plen, plen, omitted = d.u8(m + 2), d.u8(m + 3), d.u8(m + 4), d.u8(m + 5)
                interval, seqno, metric = d.u16(m + 6), d.u16(m + 8), d.u16(m + 10)
                parsed = 10
                prefix, plen, src_prefix, src_plen, parsed = _dst_src(
                    d, ae, plen, src_plen, omitted, m + 2,
                    v4_prefix if ae == 1 else v6_prefix, length, parsed)
                d.p(f" {_prefix(d, prefix, plen)} from")
                d.p(f" {_prefix(d, src_prefix, src_plen)} metric {metric} seqno {seqno} "
                    f"interval {_interval_update(interval)}")
                if parsed < length:
                    _subtlvs(d, m + 2 + parsed, end, mtype)
        elif mtype == 14:
            if not v:
                d.p(" ss-request")
            else:
                d.p("\n\tSS-Request ")
                if length < 3:
                    raise _Invalid()
                ae, plen, src_plen = d.u8(m + 2), d.u8(m + 3), d.u8(m + 4)
                parsed = 3
                prefix, plen, src_prefix, src_plen, parsed = _dst_src(
                    d, ae, plen, src_plen, 0, m + 2, None, length, parsed)
                if ae == 0:
                    d.p("for any")
                else:
                    d.p(f"for ({_prefix(d, prefix, plen)}, {_prefix(d, src_prefix, src_plen)})")
        elif mtype == 15:
            if not v:
                d.p(" ss-mh-request")
            else:
                d.p("\n\tSS-MH-Request ")
                if length < 14:
                    raise _Invalid()
                ae, plen, seqno = d.u8(m + 2), d.u8(m + 3), d.u16(m + 4)
                hopc, src_plen = d.u8(m + 6), d.u8(m + 7)
                parsed = 14
                prefix, plen, src_prefix, src_plen, parsed = _dst_src(
                    d, ae, plen, src_plen, 0, m + 2, None, length, parsed)
                d.p(f"({hopc} hops) for ({_prefix(d, prefix, plen)}, ")
                d.p(f"{_prefix(d, src_prefix, src_plen)}) seqno {seqno} id {_id(d, m + 8)}")
        elif mtype == 16:
            d.p(f"\n\tMAC len {length}" if v else " mac")
        elif mtype == 17:
            if not v:
                d.p(" pc")
            else:
                d.p("\n\tPC")
                if length < 4:
                    raise _Invalid()
                d.p(f" value {d.u32(m + 2)} index len {length - 4}")
        elif mtype in (18, 19):
            if not v:
                d.p(" challenge_request" if mtype == 18 else " challenge_reply")
            else:
                d.p("\n\tChallenge Request" if mtype == 18 else "\n\tChallenge Reply")
                if length > 192:
                    raise _Invalid()
                d.p(f" len {length}")
        else:
            d.p(f"\n\tUnknown message type {mtype}" if v else " unknown")
        i += length + 2


def babel_print(d: Dissector, cp: int, length: int) -> None:
    """babel_print() and babel_print_v2()."""
    d.protocol = "babel"
    d.p("babel")
    d.need(cp, 4)
    if d.u8(cp) != 42:
        d.p(" invalid header")
        return
    d.p(f" {d.u8(cp + 1)}")
    if d.u8(cp + 1) != 2:
        d.p(" unknown version")
        return
    try:
        if length < 4:
            raise _Invalid()
        bodylen = d.u16(cp + 2)
        d.p(f" ({bodylen})")
        length -= 4
        cp += 4
        if length < bodylen:
            raise _Invalid()
        _tlvs(d, cp, bodylen, length)
        length -= bodylen
        cp += bodylen
        if length:
            d.p("\n\t----" if d.opts.vflag else " |")
            _tlvs(d, cp, length, length)
    except Truncated:
        d.nd_print_trunc()
    except _Invalid:
        d.p(" (invalid)")


# AHCP, Babel's address configuration protocol (UDP 5359; print-ahcp.c)
AHCP_MSGS = {0: "Discover", 1: "Offer", 2: "Request", 3: "Ack", 4: "Nack", 5: "Release"}
AHCP_OPTS = {0: "Pad", 1: "Mandatory", 2: "Origin Time", 3: "Expires", 4: "My-IPv6-Address",
             5: "My-IPv4-Address", 6: "IPv6 Prefix", 7: "IPv4 Prefix", 8: "IPv6 Address",
             9: "IPv4 Address", 10: "IPv6 Prefix Delegation", 11: "IPv4 Prefix Delegation",
             12: "Name Server", 13: "NTP Server"}
# data_decoders[]: (item size, IPv6?, a prefix length byte after it?), "time", "seconds"
AHCP_DECODERS = {2: "time", 3: "seconds", 4: (16, True, False), 5: (4, False, False),
                 6: (17, True, True), 8: (16, True, False), 9: (4, False, False),
                 10: (17, True, True), 11: (5, False, True), 12: (16, True, False),
                 13: (16, True, False)}


def _ahcp_value(d: Dissector, opt: int, cp: int, length: int) -> None:
    """The option's data_decoders[] entry: ` (invalid)` and the length's check when
    its length does not fit."""
    import time
    how = AHCP_DECODERS[opt]
    if how in ("time", "seconds"):
        if length != 4:
            d.p(" (invalid)")
            d.need(cp, length)
            return
        t = d.u32(cp)
        if how == "seconds":
            d.p(f": {t}s")
        else:
            d.p(f": {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(t))} UTC")
        return
    size, v6, has_plen = how
    sep = ": "
    while length:
        if length < size:
            d.p(" (invalid)")
            d.need(cp, length)
            return
        addr = d.ip6addr_string(cp) if v6 else d.ipaddr_string(cp)
        d.p(f"{sep}{addr}" + (f"/{d.u8(cp + size - 1)}" if has_plen else ""))
        cp += size
        length -= size
        sep = ", "


def _ahcp_options(d: Dissector, cp: int, length: int) -> None:
    """ahcp1_options_print()."""
    while length:
        opt = d.u8(cp)
        cp += 1
        length -= 1
        d.p(f"\n\t {AHCP_OPTS.get(opt, f'Unknown-{opt}')}")
        if opt in (0, 1):
            continue
        if not length:
            d.p(" (invalid)")
            return
        olen = d.u8(cp)
        cp += 1
        length -= 1
        if olen > length:
            d.p(" (invalid)")
            d.need(cp, length)
            return
        if opt in AHCP_DECODERS:
            _ahcp_value(d, opt, cp, olen)
        else:
            d.p(f" (Length {olen})")
            d.need(cp, olen)
        cp += olen
        length -= olen


def ahcp_print(d: Dissector, cp: int, length: int) -> None:
    """ahcp_print() and ahcp1_body_print()."""
    d.protocol = "ahcp"
    d.p("AHCP")
    if length < 2 or d.u8(cp) != 43:
        d.p(" (invalid)")
        d.need(cp, length)
        return
    version = d.u8(cp + 1)
    cp += 2
    length -= 2
    if version != 1:
        d.p(f" Version {version} (unknown)")
        d.need(cp, length)
        return
    d.p(" Version 1")
    if length < 22:
        d.p(" (invalid)")
        d.need(cp, length)
        return
    if d.opts.vflag:
        d.p(f"\n\tHopcount {d.u8(cp)}, Original Hopcount {d.u8(cp + 1)}, Nonce "
            f"0x{d.u32(cp + 2):08x}, Source Id {d.linkaddr_string(cp + 6, 8)}, "
            f"Destination Id {d.linkaddr_string(cp + 14, 8)}")
    else:
        d.need(cp, 22)
    cp += 22
    length -= 22
    if length < 4:
        d.p(" (invalid)")
        d.need(cp, length)
        return
    mtype, mbz, body_len = d.u8(cp), d.u8(cp + 1), d.u16(cp + 2)
    cp += 4
    length -= 4
    if d.opts.vflag:
        d.p(f"\n\t{AHCP_MSGS.get(mtype, f'Unknown-{mtype}')}")
        if mbz:
            d.p(f", MBZ {mbz}")
        d.p(f", Length {body_len}")
    if body_len > length:
        d.p(" (invalid)")
        d.need(cp, length)
        return
    if d.opts.vflag >= 2:
        _ahcp_options(d, cp, body_len)
    else:
        d.need(cp, body_len)
