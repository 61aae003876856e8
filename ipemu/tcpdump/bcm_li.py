"""Broadcom's lawful-intercept shim on UDP source port 49152 as tcpdump 4.99.3 prints
it (print-bcm-li.c bcm_li_print()): udp_print() tries it before BFD's ports, so BFD
control packets sent from that port print as a shim too."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector

DIRECTIONS = {1: "unused", 2: "egress", 3: "ingress"}
PKT_TYPES = {4: "undecided", 5: "ipv4", 6: "ipv6", 7: "ethernet"}
PKT_SUBTYPES = {1: "single VLAN tag", 2: "double VLAN tag", 3: "untagged"}


def bcm_li_print(d: Dissector, bp: int, length: int) -> None:
    """bcm_li_print(): the shim's fields, then under -v the packet it carries."""
    d.protocol = "bcm_li"
    if length < 4:
        d.p(f" (length {length} < 4) (invalid)")
        return
    shim = d.u32(bp)
    pkt_type = (shim >> 25) & 0xF
    sep = "\n    " if d.opts.vflag else ""
    d.p(f"{sep}BCM-LI-SHIM: direction {DIRECTIONS.get((shim >> 29) & 7, 'unknown')}, "
        f"pkt-type {PKT_TYPES.get(pkt_type, 'unknown')}, "
        f"pkt-subtype {PKT_SUBTYPES.get((shim >> 22) & 7, 'unknown')}, "
        f"li-id {shim & 0x3FFFFF}{sep}")
    bp, length = bp + 4, length - 4
    if not d.opts.vflag:
        d.need(bp, length)    # ND_TCHECK_LEN (longjmp in print-bcm-li.c)
        return
    if pkt_type == 7:
        d.ether_print(bp, length, d.avail(bp))
    elif pkt_type == 5:
        d.ip_print(bp, length)
    elif pkt_type == 6:
        d.ip6_print(bp, length)
    elif pkt_type == 4:
        version = d.u8(bp) >> 4
        if version == 4:
            d.ip_print(bp, length)
        elif version == 6:
            d.ip6_print(bp, length)
        else:
            d.p("unknown payload")
    else:
        d.p(" (invalid)")
