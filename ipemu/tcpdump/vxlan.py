"""VXLAN and OTV over UDP (tcpdump 4.99.3 print-vxlan.c vxlan_print(), print-otv.c
otv_print()): the header on the UDP line, the inner Ethernet frame on the next."""
from __future__ import annotations

VXLAN_HDR_LEN = 8
OTV_HDR_LEN = 8


def vxlan_print(d, off: int, length: int) -> None:
    d.protocol = "vxlan"
    d.p("VXLAN")                        # nd_print_protocol_caps()
    if length < VXLAN_HDR_LEN:
        d.p(" (invalid)")               # nd_print_invalid()
        return
    flags = d.u8(off)
    d.p(f", flags [{'I' if flags & 0x08 else 'invalid'}] (0x{flags:02x}), ")
    vni = int.from_bytes(d.bytes_(off + 4, 3), "big")
    d.p(f"vni {vni}\n")
    d.need(off + 7, 1)
    inner = off + VXLAN_HDR_LEN
    d.ether_print(inner, length - VXLAN_HDR_LEN, d.avail(inner))


def otv_print(d, off: int, length: int) -> None:
    d.protocol = "otv"
    d.p("OTV, ")
    if length < OTV_HDR_LEN:
        d.p(f"[length {length} < {OTV_HDR_LEN}] (invalid)")
        return
    flags = d.u8(off)
    d.p(f"flags [{'I' if flags & 0x08 else '.'}] (0x{flags:02x}), ")
    d.p(f"overlay {int.from_bytes(d.bytes_(off + 1, 3), 'big')}, ")
    d.p(f"instance {int.from_bytes(d.bytes_(off + 4, 3), 'big')}\n")
    d.need(off + 7, 1)
    inner = off + OTV_HDR_LEN
    d.ether_print(inner, length - OTV_HDR_LEN, d.avail(inner))
