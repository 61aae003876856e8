"""MPLS LSP ping and traceroute (UDP 3503), as tcpdump 4.99.3's print-lspping.c
lspping_print() prints it (RFC 8029): the brief line, and under -v the header (reply
mode, return code and subcode, handle, sequence, NTP timestamps) and the TLVs: the
target FEC stack's sub-TLVs, downstream mapping, BFD discriminator, vendor code."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, tok2str

MSG_TYPES = {1: "MPLS Echo Request", 2: "MPLS Echo Reply"}
REPLY_MODES = {1: "Do not reply", 2: "Reply via an IPv4/IPv6 UDP packet",
               3: "Reply via an IPv4/IPv6 UDP packet with Router Alert",
               4: "Reply via application level control channel"}
RETURN_CODES = {
    0: "No return code or return code contained in the Error Code TLV",
    1: "Malformed echo request received", 2: "One or more of the TLVs was not understood",
    3: "Replying router is an egress for the FEC at stack depth",
    4: "Replying router has no mapping for the FEC at stack depth", 5: "Reserved",
    6: "Reserved", 7: "Reserved", 8: "Label switched at stack-depth",
    9: "Label switched but no MPLS forwarding at stack-depth",
    10: "Mapping for this FEC is not the given label at stack depth",
    11: "No label entry at stack-depth",
    12: "Protocol not associated with interface at FEC stack depth",
    13: "Premature termination of ping due to label stack shrinking to a single label"}
TLVS = {1: "Target FEC Stack", 2: "Downstream Mapping", 3: "Pad", 9: "Error Code",
        5: "Vendor Enterprise Code", 7: "Interface Label Stack", 10: "Reply TOS Byte",
        15: "BFD Discriminator", 0xFC00: "Vendor Private Code"}
FEC_SUBTLVS = {1: "LDP IPv4 prefix", 2: "LDP IPv6 prefix", 3: "RSVP IPv4 Session Query",
               4: "RSVP IPv6 Session Query", 5: "Reserved", 6: "VPN IPv4 prefix",
               7: "VPN IPv6 prefix", 8: "L2 VPN endpoint", 9: "FEC 128 pseudowire (old)",
               10: "FEC 128 pseudowire", 12: "BGP labeled IPv4 prefix",
               13: "BGP labeled IPv6 prefix"}
DS_ADDR_TYPES = {1: "IPv4", 2: "Unnumbered IPv4", 3: "IPv6", 4: "IPv6"}
# the sub-TLVs' exact lengths
FEC_LENGTHS = {1: 5, 2: 17, 12: 5, 13: 17, 3: 20, 4: 56, 6: 13, 7: 25, 8: 14, 9: 10, 10: 14}


def _fec_subtlv(d: Dissector, t: int, at: int) -> None:
    """One target FEC sub-TLV of its exact length."""
    from ipemu.tcpdump.bgp import bgp_vpn_rd_print
    from ipemu.tcpdump.ldp import PW_TYPES
    if t in (1, 12):
        d.p(f"\n\t      {d.ipaddr_string(at)}/{d.u8(at + 4)}")
    elif t in (2, 13):
        d.p(f"\n\t      {d.ip6addr_string(at)}/{d.u8(at + 16)}")
    elif t in (3, 4):
        a = 16 if t == 4 else 4
        addr = d.ip6addr_string if t == 4 else d.ipaddr_string
        d.p(f"\n\t      tunnel end-point {addr(at)}, tunnel sender {addr(at + 2 * a + 4)}, "
            f"lsp-id 0x{d.u16(at + 3 * a + 6):04x}\n\t      tunnel-id 0x{d.u16(at + a + 2):04x}, "
            f"extended tunnel-id {addr(at + a + 4)}")
    elif t in (6, 7):
        addr = d.ip6addr_string(at + 8) if t == 7 else d.ipaddr_string(at + 8)
        d.p(f"\n\t      RD: {bgp_vpn_rd_print(d, at)}, {addr}/{d.u8(at + (24 if t == 7 else 12))}")
    elif t == 8:
        enc = d.u16(at + 12)
        d.p(f"\n\t      RD: {bgp_vpn_rd_print(d, at)}, Sender VE ID: {d.u16(at + 8)}, Receiver "
            f"VE ID: {d.u16(at + 10)}\n\t      Encapsulation Type: "
            f"{PW_TYPES.get(enc, 'unknown')} ({enc})")
    elif t == 9:
        pw = d.u16(at + 8)
        d.p(f"\n\t      Remote PE: {d.ipaddr_string(at)}\n\t      PW ID: 0x{d.u32(at + 4):08x}, "
            f"PW Type: {PW_TYPES.get(pw, 'unknown')} ({pw})")
    elif t == 10:
        pw = d.u16(at + 12)
        d.p(f"\n\t      Sender PE: {d.ipaddr_string(at)}, Remote PE: {d.ipaddr_string(at + 4)}"
            f"\n\t      PW ID: 0x{d.u32(at + 8):08x}, PW Type: {PW_TYPES.get(pw, 'unknown')} "
            f"({pw})")


class _TooShort(Exception):
    """lspping_print()'s `goto tooshort`."""


def lspping_print(d: Dissector, bp: int, length: int) -> None:
    """lspping_print()."""
    d.protocol = "lspping"
    try:
        _lspping(d, bp, length)
    except _TooShort:
        d.p("\n\t\t packet is too short")


def _lspping(d: Dissector, bp: int, length: int) -> None:
    from ipemu.tcpdump.ntp import p_ntp_time
    from ipemu.tcpdump.radius import SMI_VALUES
    if length < 32:
        raise _TooShort()
    if not d.ttest(bp, 32):
        d.nd_print_trunc()
        return
    version = d.u16(bp)
    if version != 1:
        d.p(f"LSP-PING version {version} packet not supported")
        return
    mtype = d.u8(bp + 4)
    if not d.opts.vflag:
        d.p(f"LSP-PINGv{version}, {tok2str(MSG_TYPES, 'unknown (%u)', mtype)}, "
            f"seq {d.u32(bp + 12)}, length: {length}")
        return
    mode, code, sub = d.u8(bp + 5), d.u8(bp + 6), d.u8(bp + 7)
    d.p(f"\n\tLSP-PINGv{version}, msg-type: {MSG_TYPES.get(mtype, 'unknown')} ({mtype}), "
        f"length: {length}\n\t  reply-mode: {REPLY_MODES.get(mode, 'unknown')} ({mode})")
    cname = RETURN_CODES.get(code, "unknown")
    if code in (3, 4, 8, 10, 11, 12):
        d.p(f"\n\t  Return Code: {cname} {sub} ({code})\n\t  Return Subcode: ({sub})")
    else:
        d.p(f"\n\t  Return Code: {cname} ({code})\n\t  Return Subcode: ({sub})")
    d.p(f"\n\t  Sender Handle: 0x{d.u32(bp + 8):08x}, Sequence: {d.u32(bp + 12)}")
    d.p(f"\n\t  Sender Timestamp: {p_ntp_time(d, bp + 16)} Receiver Timestamp: ")
    if d.u32(bp + 24) == 0 and d.u32(bp + 28) == 0:
        d.p("no timestamp")
    else:
        d.p(p_ntp_time(d, bp + 24))
    tptr, tlen = bp + 32, length - 32
    v = d.opts.vflag
    while tlen:
        if tlen < 4:
            raise _TooShort()
        ttype, tl = d.u16(tptr), d.u16(tptr + 2)
        d.p(f"\n\t  {TLVS.get(ttype, 'Unknown')} TLV ({ttype}), length: {tl}")
        if tl == 0:
            tptr += 4
            tlen -= 4
            continue
        vp, vlen = tptr + 4, tl
        if tlen < tl + 4:
            raise _TooShort()
        if not d.ttest(vp, tl):
            d.nd_print_trunc()
            return
        hexdump = False
        if ttype == 1:
            while vlen:
                if vlen < 4:
                    d.p("\n\t      TLV is too short")
                    hexdump = True
                    break
                st, sl = d.u16(vp), d.u16(vp + 2)
                if vlen < sl + 4:
                    d.p("\n\t      TLV is too short")
                    hexdump = True
                    break
                if not d.ttest(vp + 4, sl):
                    d.nd_print_trunc()
                    return
                d.p(f"\n\t    {FEC_SUBTLVS.get(st, 'Unknown')} subTLV ({st}), length: {sl}")
                sub_hex = False
                if st in FEC_LENGTHS:
                    if sl != FEC_LENGTHS[st]:
                        d.p(f"\n\t      invalid subTLV length, should be {FEC_LENGTHS[st]}")
                        sub_hex = True
                    else:
                        _fec_subtlv(d, st, vp + 4)
                else:
                    sub_hex = True
                if v > 1 or sub_hex:
                    d.print_unknown_data(vp + 4, "\n\t      ", sl)
                if sl % 4:
                    sl += 4 - sl % 4
                    if vlen < sl + 4:
                        d.p("\n\t\t TLV is too short")
                        return
                vp += sl
                vlen -= sl + 4
        elif ttype == 2:
            hexdump = _downstream(d, vp, vlen)
        elif ttype == 15:
            if vlen < 4:
                d.p("\n\t      TLV is too short")
                hexdump = True
            else:
                d.p(f"\n\t    BFD Discriminator 0x{d.u32(vp):08x}")
        elif ttype == 5:
            if vlen < 4:
                d.p("\n\t      TLV is too short")
                hexdump = True
            else:
                vendor = d.u32(vp)
                d.p(f"\n\t    Vendor: {SMI_VALUES.get(vendor, 'Unknown')} (0x{vendor:04x})")
        elif v <= 1:
            d.print_unknown_data(vp, "\n\t    ", vlen)
        if v > 1 or hexdump:
            d.print_unknown_data(tptr + 4, "\n\t    ", tl)
        if tl % 4:
            tl += 4 - tl % 4
            if tlen < tl + 4:
                raise _TooShort()
        tptr += tl + 4
        tlen -= tl + 4


def _downstream(d: Dissector, vp: int, vlen: int) -> bool:
    """The Downstream Mapping TLV: True for the TLV's hex (always, once decoded: its
    labels are not printed, as there)."""
    if vlen < 4:
        d.p("\n\t      TLV is too short")
        return True
    d.need(vp, 4)
    atype = d.u8(vp + 2)
    d.p(f"\n\t    MTU: {d.u16(vp)}, Address-Type: {DS_ADDR_TYPES.get(atype, 'unknown')} ({atype})")
    size = {1: 12, 2: 12, 3: 36, 4: 24}.get(atype)
    if size is not None:
        if vlen < size:
            d.p("\n\t      TLV is too short")
            return True
        d.need(vp, size)
        if atype in (1, 3):
            addr = d.ipaddr_string if atype == 1 else d.ip6addr_string
            a = 4 if atype == 1 else 16
            d.p(f"\n\t    Downstream IP: {addr(vp + 4)}\n\t    Downstream Interface IP: "
                f"{addr(vp + 4 + a)}")
        else:
            a = 4 if atype == 2 else 16
            addr = d.ipaddr_string(vp + 4) if atype == 2 else d.ip6addr_string(vp + 4)
            d.p(f"\n\t    Downstream IP: {addr}\n\t    Downstream Interface Index: "
                f"0x{d.u32(vp + 4 + a):08x}")
        vp += size
        vlen -= size
    if vlen < 4:
        d.p("\n\t      TLV is too short")
        return True
    d.need(vp, 4)
    return True
