"""IEEE 802.3 slow protocols as tcpdump 4.99.3 prints them (print-slow.c slow_print()):
LACP and marker PDUs with their TLVs under -v, OAM's line without -v (slow_oam_print()
is not ported: under -v an OAM frame prints as an unknown ethertype, as before)."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, bittok2str

PROTOS = {1: "LACP", 2: "MARKER", 3: "OAM"}
TLVS = {0x100: "Terminator", 0x101: "Actor Information", 0x102: "Partner Information",
        0x103: "Collector Information", 0x200: "Terminator", 0x201: "Marker Information"}
STATE = [(0x01, "Activity"), (0x02, "Timeout"), (0x04, "Aggregation"),
         (0x08, "Synchronization"), (0x10, "Collecting"), (0x20, "Distributing"),
         (0x40, "Default"), (0x80, "Expired")]


def slow_print(d: Dissector, bp: int, length: int) -> bool:
    """slow_print(); False (nothing printed) for an OAM PDU under -v."""
    d.protocol = "slow"
    if length < 1:
        d.p("\n\t\t packet is too short" if d.opts.vflag else " (packet is too short)")
        return True
    subtype = d.u8(bp)
    if subtype == 3 and d.opts.vflag:
        return False
    version = None
    if subtype in (1, 2):
        if length < 2:
            d.p("\n\t\t packet is too short" if d.opts.vflag else " (packet is too short)")
            return True
        version = d.u8(bp + 1)
        if version != 1:
            d.p(f"{PROTOS[subtype]} version {version} packet not supported")
            return True
    name = PROTOS.get(subtype, f"unknown ({subtype})")
    d.p(f"{name}v{version}, length {length}" if version is not None
        else f"{name}, length {length}")
    if subtype not in PROTOS:
        d.print_unknown_data(bp, "\n\t", length)
        return True
    if d.opts.vflag and subtype in (1, 2):
        _marker_lacp(d, bp + 2, length - 2, subtype)
    return True


def _marker_lacp(d: Dissector, t: int, tlen: int, subtype: int) -> None:
    """slow_marker_lacp_print()."""
    while tlen > 0:
        if tlen < 2:
            d.p("\n\t\t packet is too short")
            return
        kind, tlv_len = d.u8(t), d.u8(t + 1)
        key = (subtype << 8) + kind
        d.p(f"\n\t{TLVS.get(key, 'Unknown')} TLV (0x{kind:02x}), length {tlv_len}")
        if kind == 0:
            return
        if tlv_len < 2:
            d.p("\n\t    ERROR: illegal length - should be >= 2")
            return
        if tlen < tlv_len:
            d.p("\n\t\t packet is too short")
            return
        d.need(t, tlv_len)            # ND_TCHECK_LEN: longjmp in print-slow.c
        v, vlen = t + 2, tlv_len - 2
        sizes = {0x101: 18, 0x102: 18, 0x103: 14, 0x201: 14}    # the TLV structs' sizes
        if key in sizes and vlen != sizes[key]:
            d.p(f"\n\t    ERROR: illegal length - should be {2 + sizes[key]}")
        elif key in (0x101, 0x102):
            d.p(f"\n\t  System {d.etheraddr_string(v + 2)}, System Priority {d.u16(v)}, "
                f"Key {d.u16(v + 8)}, Port {d.u16(v + 12)}, Port Priority {d.u16(v + 10)}"
                f"\n\t  State Flags [{bittok2str(STATE, 'none', d.u8(v + 14))}]")
        elif key == 0x103:
            d.p(f"\n\t  Max Delay {d.u16(v)}")
        elif key == 0x201:
            d.p(f"\n\t  Request System {d.etheraddr_string(v + 2)}, Request Port "
                f"{d.u16(v)}, Request Transaction ID 0x{d.u32(v + 8):08x}")
        elif d.opts.vflag <= 1:
            d.print_unknown_data(v, "\n\t  ", vlen)
        if d.opts.vflag > 1:
            d.print_unknown_data(v, "\n\t  ", vlen)
        t += tlv_len
        tlen -= tlv_len
