"""IPsec headers as tcpdump 4.99.3 prints them without secrets (-E): AH (print-ah.c
ah_print()) and ESP (print-esp.c esp_print(): SPI, sequence and length only)."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector


def ah_print(d: Dissector, bp: int) -> int:
    """ah_print(): `AH(spi=...,seq=...,icv=...): `; the header's length."""
    d.protocol = "ah"
    d.p("AH")
    ah_len = d.u8(bp + 1)
    hdr_len = (ah_len + 2) * 4
    d.p("(")
    if d.opts.vflag:
        d.p(f"length={ah_len}({hdr_len}-bytes),")
    reserved = d.u16(bp + 2)
    if reserved:
        d.p(f"reserved=0x{reserved:x}[MustBeZero],")
    d.p(f"spi=0x{d.u32(bp + 4):08x},")
    d.p(f"seq=0x{d.u32(bp + 8):x},")
    d.p("icv=0x")
    for p in range(bp + 12, bp + hdr_len):
        d.p(f"{d.u8(p):02x}")
    d.p("): ")
    return hdr_len


def esp_print(d: Dissector, bp: int, length: int) -> None:
    """esp_print() with no -E secret: the SPI, the sequence number, the length."""
    d.protocol = "esp"
    if bp + 8 >= d.snapend:
        d.nd_print_trunc()
        return
    d.p(f"ESP(spi=0x{d.u32(bp):08x},seq=0x{d.u32(bp + 4):x}), length {length}")
