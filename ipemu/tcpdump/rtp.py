"""The UDP payloads tcpdump decodes only when asked with -T (print-udp.c): vat/vt audio
(vat_print()), RTP v1 and v2 (rtp_print()) and RTCP (rtcp_print(), packet after packet
up to the end of the capture), as VoIP tutorials' `tcpdump -T rtp -vvv` show them."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector

FMAXINT = 4294967296.0


def vat_print(d: Dissector, hdr: int, length: int) -> None:
    """vat_print()."""
    d.protocol = "vat"
    if length < 2:
        d.p(f"udp/va/vat, length {length} < 2")
        return
    ts = d.u16(hdr)
    if ts & 0xF060:
        d.p(f"udp/vt {length} {ts & 0x3FF} / {ts >> 10}")
        return
    if length < 8:
        d.p(f"udp/vat, length {length} < 8")
        return
    i0, i1 = d.u32(hdr), d.u32(hdr + 4)
    d.p(f"udp/vat {length - 8} c{i0 & 0xFFFF} {i1}{'*' if i0 & 0x800000 else ''}")
    if i0 & 0x1F0000:
        d.p(f" f{(i0 >> 16) & 0x1F}")
    if i0 & 0x3F000000:
        d.p(f" s{(i0 >> 24) & 0x3F}")


def rtp_print(d: Dissector, hdr: int, length: int) -> None:
    """rtp_print(): version, payload length, payload type, marker, sequence number and
    timestamp; under -v the SSRC (and H.261's header)."""
    d.protocol = "rtp"
    if length < 8:
        d.p(f"udp/rtp, length {length} < 8")
        return
    i0, i1 = d.u32(hdr), d.u32(hdr + 4)
    dlen = length - 8
    ip = hdr + 8                 # a u_int pointer: 4 bytes a step
    words = (length >> 2) - 2
    hasopt = hasext = 0
    if i0 >> 30 == 1:
        # RTP v1 (draft-ietf-avt-rtp-04)
        hasopt, contype, hasmarker, ptype = i0 & 0x800000, (i0 >> 16) & 0x3F, \
            i0 & 0x400000, "rtpv1"
    else:
        if dlen < 4:
            d.p(f"udp/rtp, length {dlen + 8} < 12")
            return
        hasext, contype, hasmarker, ptype = i0 & 0x10000000, (i0 >> 16) & 0x7F, \
            i0 & 0x800000, "rtp"
        dlen -= 4
        ip += 4
        words -= 1
    d.p(f"udp/{ptype} {dlen} c{contype} {'+' if hasopt or hasext else ''}"
        f"{'*' if hasmarker else ''} {i0 & 0xFFFF} {i1}")
    if not d.opts.vflag:
        return
    d.p(f" {d.u32(hdr + 8)}")
    if hasopt:
        while True:
            i2 = d.u32(ip)
            optlen = (i2 >> 16) & 0xFF
            if optlen == 0 or optlen > words:
                d.p(" !opt")
                return
            ip += 4 * optlen
            words -= optlen
            if i2 & 0x80000000:
                break
    if hasext:
        i2 = d.u32(ip)
        extlen = (i2 & 0xFFFF) + 1
        if extlen > words:
            d.p(" !ext")
            return
        ip += 4 * extlen
    if contype == 0x1F:
        d.p(f" 0x{d.u32(ip) >> 16:04x}")


def rtcp_print(d: Dissector, hdr: int, ep: int) -> int:
    """rtcp_print(): one RTCP packet; where the next one starts (ep when cut short)."""
    d.protocol = "rtcp"
    if hdr + 8 > ep or not d.ttest(hdr, 8):
        d.nd_print_trunc()
        return ep
    length = (d.u16(hdr + 2) + 1) * 4
    flags = d.u16(hdr)
    cnt = (flags >> 8) & 0x1F
    kind = flags & 0xFF
    rr = 0
    if kind == 200:
        d.p(" sr")
        if length != cnt * 24 + 20 + 8:
            d.p(f" [{length}]")
        if d.opts.vflag:
            d.p(f" {d.u32(hdr + 4)}")
        sr = hdr + 8
        if sr + 20 > ep or not d.ttest(sr, 20):
            d.nd_print_trunc()
            return ep
        ts = d.u32(sr) + d.u32(sr + 4) / FMAXINT
        d.p(f" @{ts:.2f} {d.u32(sr + 8)} {d.u32(sr + 12)}p {d.u32(sr + 16)}b")
        rr = sr + 20
    elif kind == 201:
        d.p(" rr")
        if length != cnt * 24 + 8:
            d.p(f" [{length}]")
        rr = hdr + 8
        if d.opts.vflag:
            d.p(f" {d.u32(hdr + 4)}")
    elif kind in (202, 203):
        d.p(f" {'sdes' if kind == 202 else 'bye'} {length}")
        if d.opts.vflag:
            d.p(f" {d.u32(hdr + 4)}")
        cnt = 0
    else:
        d.p(f" type-0x{kind:x} {length}")
        cnt = 0
    if cnt > 1:
        d.p(f" c{cnt}")
    while cnt:
        if rr + 24 > ep or not d.ttest(rr, 24):
            d.nd_print_trunc()
            return ep
        if d.opts.vflag:
            d.p(f" {d.u32(rr)}")
        lsr, dlsr = d.u32(rr + 16) / 65536.0, d.u32(rr + 20) / 65536.0
        d.p(f" {d.u32(rr + 4) & 0x00FFFFFF}l {d.u32(rr + 8)}s {d.u32(rr + 12)}j "
            f"@{lsr:.2f}+{dlsr:.2f}")
        # rr is never advanced in rtcp_print(): every block printed is the first
        cnt -= 1
    return hdr + length


def rtcp_packets_print(d: Dissector, cp: int, length: int) -> None:
    """udp_print()'s PT_RTCP: RTCP packets up to the end of the capture (ndo_snapend,
    not the datagram's length)."""
    ep = d.snapend
    while cp < ep:
        cp = rtcp_print(d, cp, ep)
