"""ARCNET (link types ARCNET_BSD and ARCNET_LINUX) as tcpdump 4.99.3's print-arcnet.c
prints it: -e's `SRC DST TYPE LENGTH: ` (with the RFC 1201 fragmentation header's
seqid and fragment on BSD), -q's short form, then IP, IPv6, ARP, AppleTalk or IPX by
the ARCNET system code, the hex of the others; middle fragments print nothing."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, Truncated

ARC_HDRLEN, ARC_HDRNEWLEN, ARC_HDRNEWLEN_EXC = 3, 6, 10
ARC_LINUX_HDRLEN, ARC_LINUX_HDRNEWLEN = 5, 8
OLD_TYPES = (240, 241, 0x80)    # ARCTYPE_IP_OLD, ARCTYPE_ARP_OLD, ARCTYPE_DIAGNOSE
ARC_TYPES = {240: "oldip", 241: "oldarp", 212: "ip", 213: "arp", 214: "rarp", 221: "atalk",
             247: "banyan", 250: "ipx", 0xC4: "ipv6", 0x80: "diag"}


def _arcnet_print(d: Dissector, length: int, phds: bool, flag: int, seqid: int) -> None:
    src, dst = d.u8(0), d.u8(1)
    if d.opts.qflag:
        d.p(f"{src:02x} {dst:02x} {length}: ")
        return
    t = d.u8(2)
    name = ARC_TYPES.get(t, f"{t:02x}")
    if not phds:
        d.p(f"{src:02x} {dst:02x} {name} {length}: ")
    elif flag == 0:
        d.p(f"{src:02x} {dst:02x} {name} seqid {seqid:04x} {length}: ")
    elif flag & 1:
        d.p(f"{src:02x} {dst:02x} {name} seqid {seqid:04x} (first of {(flag + 3) // 2} "
            f"fragments) {length}: ")
    else:
        d.p(f"{src:02x} {dst:02x} {name} seqid {seqid:04x} (fragment {flag // 2 + 1}) {length}: ")


def _trunc(d: Dissector, caplen: int) -> None:
    """nd_trunc_longjmp() after adding what was captured to the header length."""
    d.ll_hdr_len += caplen
    raise Truncated()


def arcnet_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "arcnet"
    if caplen < ARC_HDRLEN:
        _trunc(d, caplen)
    arc_type = d.u8(2)
    phds = arc_type not in OLD_TYPES
    flag = seqid = 0
    hdrlen = ARC_HDRLEN
    if phds:
        if caplen < ARC_HDRNEWLEN:
            _arcnet_print(d, length, False, 0, 0)
            d.p(" phds")
            _trunc(d, caplen)
        flag = d.u8(3)
        if flag == 0xFF:
            if caplen < ARC_HDRNEWLEN_EXC:
                _arcnet_print(d, length, False, 0, 0)
                d.p(" phds extended")
                _trunc(d, caplen)
            flag, seqid, hdrlen = d.u8(7), d.u16(8), ARC_HDRNEWLEN_EXC
        else:
            seqid, hdrlen = d.u16(4), ARC_HDRNEWLEN
    if d.opts.eflag:
        _arcnet_print(d, length, phds, flag, seqid)
    if phds and flag and flag & 1 == 0:
        d.ll_hdr_len += hdrlen
        return
    if not _encap_print(d, arc_type, hdrlen, length - hdrlen, caplen - hdrlen):
        d.default_print(hdrlen, caplen - hdrlen)
    d.ll_hdr_len += hdrlen


def arcnet_linux_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "arcnet_linux"
    if caplen < ARC_LINUX_HDRLEN:
        _trunc(d, caplen)
    arc_type = d.u8(4)
    if arc_type in OLD_TYPES:
        hdrlen = ARC_LINUX_HDRLEN
    else:
        hdrlen = ARC_LINUX_HDRNEWLEN
        if caplen < ARC_LINUX_HDRNEWLEN:
            _trunc(d, caplen)
    if d.opts.eflag:
        # arcnet_print() reads arc_type at offset 2 of struct arc_header: the Linux
        # header's offset field
        _arcnet_print(d, length, False, 0, 0)
    if not _encap_print(d, arc_type, hdrlen, length - hdrlen, caplen - hdrlen):
        d.default_print(hdrlen, caplen - hdrlen)
    d.ll_hdr_len += hdrlen


def _encap_print(d: Dissector, arc_type: int, p: int, length: int, caplen: int) -> bool:
    """arcnet_encap_print()."""
    if arc_type in (240, 212):
        d.ip_print(p, length)
    elif arc_type == 0xC4:
        d.ip6_print(p, length)
    elif arc_type in (241, 213, 214):
        d.arp_print(p, length, caplen)
    elif arc_type == 221:
        from ipemu.tcpdump.atalk import atalk_print
        if d.opts.vflag:
            d.p("et1 ")
        atalk_print(d, p, length)
    elif arc_type == 250:
        from ipemu.tcpdump.ipx import ipx_print
        ipx_print(d, p, length)
    else:
        return False
    return True
