"""GRE (tcpdump 4.99.3 print-gre.c): version 0 with its optional checksum, key and
sequence fields, then the carried protocol's printer."""
from __future__ import annotations

from ipemu.tcpdump import names

GRE_CP, GRE_RP, GRE_KP, GRE_SP, GRE_sP, GRE_AP = 0x8000, 0x4000, 0x2000, 0x1000, 0x0800, 0x0080
GRE_VERS_MASK = 0x0007
# gre_flag_values[], in bittok2str()'s order
GRE_FLAG_VALUES = ((GRE_CP, "checksum present"), (GRE_RP, "routing present"),
                   (GRE_KP, "key present"), (GRE_SP, "sequence# present"),
                   (GRE_sP, "source routing present"), (GRE_AP, "ack present"))
ETHERTYPE_IP, ETHERTYPE_IPV6, ETHERTYPE_TEB = 0x0800, 0x86DD, 0x6558


def gre_print(d, off: int, length: int) -> None:
    """gre_print(): the version, then gre_print_0() (others: unknown-version)."""
    d.protocol = "gre"
    if not d.ttest(off, 2) or length < 2:
        d.nd_print_trunc()
        return
    vers = d.u16(off) & GRE_VERS_MASK
    d.p(f"GREv{vers}")
    if vers == 0:
        _gre_print_0(d, off, length)
    elif vers == 1:
        _gre_print_1(d, off, length)
    else:
        d.p(" ERROR: unknown-version")


def _flags(d, flags: int) -> None:
    if d.opts.vflag:
        on = [text for bit, text in GRE_FLAG_VALUES if flags & bit]
        d.p(f", Flags [{', '.join(on) if on else 'none'}]")


def _gre_print_1(d, off: int, length: int) -> None:
    """gre_print_1() (PPTP's enhanced GRE): call, sequence and ack, then the PPP."""
    flags = d.u16(off)
    _flags(d, flags)
    bp, left = off + 2, length - 2
    if not d.ttest(bp, 2) or left < 2:
        d.nd_print_trunc()
        return
    prot = d.u16(bp)
    bp, left = bp + 2, left - 2
    for bit, fmt, mask in ((GRE_KP, ", call {}", 0xFFFF), (GRE_SP, ", seq {}", None),
                           (GRE_AP, ", ack {}", None)):
        if flags & bit:
            if not d.ttest(bp, 4) or left < 4:
                d.nd_print_trunc()
                return
            value = d.u32(bp)
            d.p(fmt.format(value & mask if mask else value))
            bp, left = bp + 4, left - 4
    if not flags & GRE_SP:
        d.p(", no-payload")
    if d.opts.eflag:
        d.p(f", proto {names.ETHERTYPES.get(prot, 'unknown')} (0x{prot:04x})")
    d.p(f", length {length}")
    if not flags & GRE_SP:
        return
    d.p(": " if d.opts.vflag < 1 else "\n\t")
    if prot == 0x880B:
        # ETHERTYPE_PPP: ppp_print()
        from ipemu.tcpdump.l2 import ppp_print
        ppp_print(d, bp, left)
    else:
        d.p(f"gre-proto-0x{prot:x}")


def _gre_print_0(d, off: int, length: int) -> None:
    flags = d.u16(off)
    _flags(d, flags)
    bp, left = off + 2, length - 2
    if not d.ttest(bp, 2) or left < 2:
        d.nd_print_trunc()
        return
    prot = d.u16(bp)
    bp, left = bp + 2, left - 2
    if flags & (GRE_CP | GRE_RP):
        if not d.ttest(bp, 2) or left < 2:
            d.nd_print_trunc()
            return
        if d.opts.vflag:
            d.p(f", sum 0x{d.u16(bp):x}")
        bp, left = bp + 2, left - 2
        if not d.ttest(bp, 2) or left < 2:
            d.nd_print_trunc()
            return
        d.p(f", off 0x{d.u16(bp):x}")
        bp, left = bp + 2, left - 2
    for bit, text in ((GRE_KP, "key=0x{:x}"), (GRE_SP, "seq {}")):
        if flags & bit:
            if not d.ttest(bp, 4) or left < 4:
                d.nd_print_trunc()
                return
            d.p(", " + text.format(d.u32(bp)))
            bp, left = bp + 4, left - 4
    if flags & GRE_RP:
        while True:
            if not d.ttest(bp, 4) or left < 4:
                d.nd_print_trunc()
                return
            af, sreoff, srelen = d.u16(bp), d.u8(bp + 2), d.u8(bp + 3)
            bp, left = bp + 4, left - 4
            if af == 0 and srelen == 0:
                break
            if not _gre_sre_print(d, af, sreoff, srelen, bp, left) or left < srelen:
                d.nd_print_trunc()
                return
            bp, left = bp + srelen, left - srelen
    if d.opts.eflag:
        d.p(f", proto {names.ETHERTYPES.get(prot, 'unknown')} (0x{prot:04x})")
    d.p(f", length {length}")
    d.p(": " if d.opts.vflag < 1 else "\n\t")
    if prot == ETHERTYPE_IP:
        d.ip_print(bp, left)
    elif prot == ETHERTYPE_IPV6:
        d.ip6_print(bp, left)
    elif prot == ETHERTYPE_TEB:
        d.ether_print(bp, left, d.avail(bp))
    elif prot == 0x8847:
        # ETHERTYPE_MPLS (unicast only: gre_print_0()'s switch): mpls_print()
        from ipemu.tcpdump.l2 import mpls_print
        mpls_print(d, bp, left)
    elif prot == 0x00FE:
        # ETHERTYPE_GRE_ISO: isoclns_print()
        from ipemu.tcpdump.isis import isoclns_print
        isoclns_print(d, bp, left)
    else:
        d.p(f"gre-proto-0x{prot:x}")


GRESRE_IP, GRESRE_ASN = 0x0800, 0xFFFE


def _gre_sre_print(d, af: int, sreoff: int, srelen: int, bp: int, left: int) -> bool:
    """gre_sre_print(): one source route entry; False when it ran out of bytes."""
    if af == GRESRE_IP:
        d.p(", (rtaf=ip")
        ok = _gre_sre_walk(d, sreoff, srelen, bp, left, 4)
        d.p(")")
    elif af == GRESRE_ASN:
        d.p(", (rtaf=asn")
        ok = _gre_sre_walk(d, sreoff, srelen, bp, left, 2)
        d.p(")")
    else:
        d.p(f", (rtaf=0x{af:x})")
        ok = True
    return ok


def _gre_sre_walk(d, sreoff: int, srelen: int, bp: int, left: int, size: int) -> bool:
    """gre_sre_ip_print() (4-byte addresses) and gre_sre_asn_print() (2-byte ASNs),
    the current entry starred."""
    if sreoff & (size - 1):
        d.p(f", badoffset={sreoff}")
        return True
    if srelen & (size - 1):
        d.p(f", badlength={srelen}")
        return True
    if sreoff >= srelen:
        d.p(f", badoff/len={sreoff}/{srelen}")
        return True
    up = bp
    while srelen:
        if not d.ttest(bp, size) or left < size:
            return False
        star = "*" if bp - up == sreoff else ""
        if size == 4:
            d.p(f" {star}{'.'.join(str(b) for b in d.bytes_(bp, 4))}")
        else:
            d.p(f" {star}{d.u16(bp):x}")
        bp, left, srelen = bp + size, left - size, srelen - size
    return True
