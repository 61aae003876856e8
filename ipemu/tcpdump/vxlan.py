"""VXLAN, OTV and Geneve over UDP (tcpdump 4.99.3 print-vxlan.c vxlan_print(),
print-otv.c otv_print(), print-geneve.c geneve_print()): the header on the UDP line, the
inner frame after it."""
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


GENEVE_FLAGS = [(0x80, "O"), (0x40, "C"), (0x20, "R1"), (0x10, "R2"), (0x08, "R3"),
                (0x04, "R4"), (0x02, "R5"), (0x01, "R6")]


def _geneve_opt_class(opt_class: int) -> str:
    """format_opt_class()."""
    known = {0x0100: "Linux", 0x0101: "Open vSwitch", 0x0102: "Open Virtual Networking (OVN)",
             0x0103: "In-band Network Telemetry (INT)", 0x0104: "VMware"}
    if opt_class in known:
        return known[opt_class]
    if opt_class <= 0x00FF:
        return "Standard"
    return "Experimental" if opt_class >= 0xFFF0 else "Unknown"


def _geneve_opts(d, bp: int, length: int) -> None:
    """geneve_opts_print()."""
    sep = ""
    while length > 0:
        d.p(sep)
        sep = ", "
        opt_class, opt_type = d.u16(bp), d.u8(bp + 2)
        opt_len = 4 + (d.u8(bp + 3) & 0x1F) * 4
        d.p(f"class {_geneve_opt_class(opt_class)} (0x{opt_class:x}) type 0x{opt_type:x}"
            f"{'(C)' if opt_type & 0x80 else ''} len {opt_len}")
        if opt_len > length:
            d.p(" [bad length]")
            return
        if d.opts.vflag > 1 and opt_len > 4:
            d.p(" data" + "".join(f" {d.u32(bp + i):08x}" for i in range(4, opt_len, 4)))
        bp += opt_len
        length -= opt_len


def geneve_print(d, bp: int, length: int) -> None:
    """geneve_print() (print-geneve.c): flags, VNI, options, then the payload by its
    protocol (an Ethernet frame for TEB)."""
    from ipemu.tcpdump.dissect import bittok2str
    from ipemu.tcpdump.names import ETHERTYPES
    d.protocol = "geneve"
    d.p("Geneve")
    if length < 8:
        d.p(f" [length {length} < 8] (invalid)")
        return
    if not d.ttest(bp, 8):
        d.nd_print_trunc()
        return
    ver_opt = d.u8(bp)
    if ver_opt >> 6:
        d.p(f" ERROR: unknown-version {ver_opt >> 6}")
        return
    flags, prot = d.u8(bp + 1), d.u16(bp + 2)
    vni = d.u16(bp + 4) << 8 | d.u8(bp + 6)
    reserved = d.u8(bp + 7)
    bp, length = bp + 8, length - 8
    d.p(f", Flags [{bittok2str(GENEVE_FLAGS, 'none', flags, '')}], vni 0x{vni:x}")
    if reserved:
        d.p(f", rsvd 0x{reserved:x}")
    if d.opts.eflag:
        d.p(f", proto {ETHERTYPES.get(prot, 'unknown')} (0x{prot:04x})")
    opts_len = (ver_opt & 0x3F) * 4
    if length < opts_len:
        d.p(f" truncated-geneve - {opts_len - length} bytes missing")
        return
    if not d.ttest(bp, opts_len):
        d.nd_print_trunc()
        return
    if opts_len:
        d.p(", options [")
        if d.opts.vflag:
            _geneve_opts(d, bp, opts_len)
        else:
            d.p(f"{opts_len} bytes")
        d.p("]")
    bp, length = bp + opts_len, length - opts_len
    d.p("\n\t" if d.opts.vflag else ": ")
    if not d.ethertype_print(prot, bp, length, d.avail(bp)):
        if prot == 0x6558:
            d.ether_print(bp, length, d.avail(bp))
        else:
            d.p(f"geneve-proto-0x{prot:x}")


VXLAN_GPE_FLAGS = [(0x08, "I"), (0x04, "P"), (0x02, "B"), (0x01, "O")]
VXLAN_GPE_HDR_LEN = 8


def _nosep(table: list[tuple[int, str]], value: int) -> str:
    """bittok2str_nosep(table, "none", value)."""
    return "".join(name for mask, name in table if value & mask == mask) or "none"


def _next_protocol(d, proto: int, bp: int, length: int) -> bool:
    """The payload by next protocol (vxlan_gpe_print()'s and nsh_print()'s switch);
    False for another value."""
    if proto == 1:
        d.ip_print(bp, length)
    elif proto == 2:
        d.ip6_print(bp, length)
    elif proto == 3:
        d.ether_print(bp, length, d.avail(bp))
    else:
        return False
    return True


def vxlan_gpe_print(d, bp: int, length: int) -> None:
    """vxlan_gpe_print() (print-vxlan-gpe.c, UDP port 4790): flags, VNI, then the
    payload its next protocol names (IPv4, IPv6, Ethernet, NSH)."""
    d.protocol = "vxlan_gpe"
    d.p("VXLAN-GPE, ")
    if length < VXLAN_GPE_HDR_LEN:
        d.p(f" (len {length} < {VXLAN_GPE_HDR_LEN}) (invalid)")
        return
    d.p(f"flags [{_nosep(VXLAN_GPE_FLAGS, d.u8(bp))}], ")
    next_protocol = d.u8(bp + 3)
    vni = int.from_bytes(d.bytes_(bp + 4, 3), "big")
    d.need(bp + 7, 1)
    d.p(f"vni {vni}")
    d.p("\n    " if d.opts.vflag else ": ")
    bp += VXLAN_GPE_HDR_LEN
    length -= VXLAN_GPE_HDR_LEN
    if next_protocol == 4:
        nsh_print(d, bp, length)
    elif not _next_protocol(d, next_protocol, bp, length):
        d.p("ERROR: unknown-next-protocol (invalid)")


NSH_MD = {0x00: "reserved", 0x01: "1", 0x02: "2", 0x0F: "experimental"}
NSH_NP = {0x01: "IPv4", 0x02: "IPv6", 0x03: "Ethernet", 0x04: "NSH", 0x05: "MPLS",
          0xFE: "Experiment 1", 0xFF: "Experiment 2"}


def nsh_print(d, bp: int, length: int) -> None:
    """nsh_print() (print-nsh.c; ethertype 0x894f, VXLAN-GPE's next protocol 4): the
    base and service path headers, the context headers under -vvv (MD type 1's four
    words, MD type 2's TLVs), then the payload."""
    d.protocol = "nsh"
    v = d.opts.vflag
    if length < 8:
        d.p(f" (packet length {length} < 8) (invalid)")
        return
    base = d.u32(bp)
    bp += 4
    ver, hlen = base >> 30, (base >> 16) & 0x3F
    md_type, next_protocol = (base >> 8) & 0x0F, base & 0xFF
    d.p("NSH, ")
    if v > 1:
        d.p(f"ver {ver}, ")
    if ver != 0:
        return
    d.p(f"flags [{_nosep([(0x2, 'O')], (base >> 28) & 0x3)}], ")
    if v > 2:
        d.p(f"TTL {(base >> 22) & 0x3F}, length {hlen}, "
            f"md type {NSH_MD.get(md_type, f'unknown (0x{md_type:02x})')}, ")
    if v > 1:
        d.p(f"next-protocol {NSH_NP.get(next_protocol, f'unknown (0x{next_protocol:02x})')}, ")
    if length < hlen * 4:
        d.p(f" (too many headers for packet length {length}) (invalid)")
        return
    d.p(f"service-path-id 0x{int.from_bytes(d.bytes_(bp, 3), 'big'):06x}, ")
    d.p(f"service-index 0x{d.u8(bp + 3):x}")
    bp += 4
    if hlen < 2:
        d.p(" (less than two headers) (invalid)")
        return
    past_headers = False
    if v > 2 and md_type == 1:
        if hlen != 6:
            d.p(" (invalid length for the MD type) (invalid)")
            return
        for n in range(hlen - 2):
            d.p(f"\n        Context[{n:02d}]: 0x{d.u32(bp):08x}")
            bp += 4
        past_headers = True
    elif v > 2 and md_type == 2:
        n = 0
        while n < hlen - 2:
            tlv_class, tlv_type, tlv_len = d.u16(bp), d.u8(bp + 2), d.u8(bp + 3) & 0x7F
            bp += 4
            padded = (tlv_len + 3) & ~3
            d.p(f"\n        TLV Class {tlv_class}, Type {tlv_type}, Len {tlv_len}")
            n += 1
            if hlen - 2 < n + padded // 4:
                d.p(" (length too big) (invalid)")
                return
            if tlv_len:
                d.p("\n            Value: " + ":".join(
                    f"{'0x' if i == 0 else ''}{d.u8(bp + i):02x}" for i in range(tlv_len)))
                bp += tlv_len
                d.need(bp, padded - tlv_len)
                bp += padded - tlv_len
                n += padded // 4
        past_headers = True
    if not past_headers:
        d.need(bp, (hlen - 2) * 4)
        bp += (hlen - 2) * 4
    d.p("\n    " if v else ": ")
    if not _next_protocol(d, next_protocol, bp, length - hlen * 4):
        d.p("ERROR: unknown-next-protocol")
