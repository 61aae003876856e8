"""802.2 LLC and SNAP as tcpdump 4.99.3 prints them (print-llc.c): the header under -e,
STP BPDUs (stp.py), IP over LLC, SNAP-encapsulated ethertypes; other SAPs print as
Unnumbered/Supervisory/Information frames."""
from __future__ import annotations

from ipemu.tcpdump import names
from ipemu.tcpdump.dissect import Dissector, tok2str

LLC_U_FMT, LLC_GSAP, LLC_IG, LLC_S_FMT = 3, 1, 1, 1
LLC_U_POLL, LLC_IS_POLL, LLC_XID_FI = 0x10, 0x0100, 0x81
LLC_UI, LLC_XID = 0x03, 0xAF
LLCSAP_GLOBAL, LLCSAP_IP, LLCSAP_8021D, LLCSAP_SNAP = 0xFF, 0x06, 0x42, 0xAA
LLCSAP_IPX, LLCSAP_ISONS = 0xE0, 0xFE
OUI_ENCAP_ETHER, OUI_CISCO_90, OUI_APPLETALK, OUI_CISCO, OUI_RFC2684 = (
    0x000000, 0x0000F8, 0x080007, 0x00000C, 0x0080C2)
PID_CISCO_PVST, PID_CISCO_VLANBRIDGE, PID_RFC2684_BPDU = 0x010B, 0x010C, 0x000E
ETHERTYPE_ATALK = 0x809B

# llc_values[]
LLC_VALUES = {0x00: "Null", 0xFF: "Global", 0x02: "802.1B I", 0x03: "802.1B G", 0x06: "IP",
              0x04: "SNA", 0x0E: "ProWay NM", 0x42: "STP", 0x4E: "RS511", 0x7E: "ISO8208",
              0x8E: "ProWay", 0xAA: "SNAP", 0xE0: "IPX", 0xF0: "NetBeui", 0xFE: "OSI"}
# llc_cmd_values[]
LLC_CMD_VALUES = {0x03: "ui", 0xE3: "test", 0xAF: "xid", 0x63: "ua", 0x43: "disc", 0x0F: "dm",
                  0x6F: "sabme", 0x87: "frmr"}
# llc_flag_values[] (the first of equal values wins in tok2str())
LLC_FLAG_VALUES = {0: "Command", LLC_GSAP: "Response", LLC_U_POLL: "Poll",
                   LLC_GSAP | LLC_U_POLL: "Final", LLC_IS_POLL: "Poll",
                   LLC_GSAP | LLC_IS_POLL: "Final"}
LLC_IG_FLAG_VALUES = {0: "Individual", LLC_IG: "Group"}
LLC_SUPERVISORY_VALUES = {0: "Receiver Ready", 1: "Receiver not Ready", 2: "Reject"}
CISCO_VALUES = {0x2000: "CDP", 0x2003: "VTP", 0x2004: "DTP", 0x0111: "UDLD", 0x010B: "PVST",
                0x010C: "VLAN Bridge"}
BRIDGED_VALUES = {0x0001: "Ethernet + FCS", 0x0007: "Ethernet w/o FCS", 0x0002: "802.4 + FCS",
                  0x0008: "802.4 w/o FCS", 0x0003: "Token Ring + FCS",
                  0x0009: "Token Ring w/o FCS", 0x0004: "FDDI + FCS", 0x000A: "FDDI w/o FCS",
                  0x0005: "802.6 + FCS", 0x000B: "802.6 w/o FCS", 0x000E: "BPDU"}


def _oui_to_struct_tok(orgcode: int) -> dict:
    """oui_to_struct_tok(): the table naming a SNAP header's protocol id."""
    if orgcode in (OUI_ENCAP_ETHER, OUI_CISCO_90, OUI_APPLETALK):
        return names.ETHERTYPES
    return {OUI_CISCO: CISCO_VALUES, OUI_RFC2684: BRIDGED_VALUES}.get(orgcode, {})


def llc_print(d: Dissector, p: int, length: int, caplen: int, src: int | None,
              dst: int | None) -> int:
    """llc_print(): the LLC header's length (plus SNAP's) when the payload was printed,
    its negative when the caller should print the payload as raw data. `src`/`dst`:
    the offsets of the link addresses (None from a cooked header, which has none)."""
    d.protocol = "llc"
    if caplen < 3 or length < 3:
        d.nd_print_trunc()
        d.default_print(p, caplen)
        return caplen if caplen < 3 else length
    dsap_field, ssap_field, control = d.u8(p), d.u8(p + 1), d.u8(p + 2)
    if control & LLC_U_FMT == LLC_U_FMT:
        is_u, hdrlen = True, 3
    else:
        if caplen < 4 or length < 4:
            d.nd_print_trunc()
            d.default_print(p, caplen)
            return caplen if caplen < 4 else length
        control = d.u8(p + 2) | d.u8(p + 3) << 8      # little-endian
        is_u, hdrlen = False, 4
    if ssap_field == LLCSAP_GLOBAL and dsap_field == LLCSAP_GLOBAL:
        # Ethernet_802.3 IPX: no 802.2 header, the IPX packet after the length
        if d.opts.eflag:
            d.p("IPX 802.3: ")
        from ipemu.tcpdump.ipx import ipx_print
        ipx_print(d, p, length)
        return 0
    dsap, ssap = dsap_field & ~LLC_IG & 0xFF, ssap_field & ~LLC_GSAP & 0xFF
    if d.opts.eflag:
        d.p(f"LLC, dsap {LLC_VALUES.get(dsap, 'Unknown')} (0x{dsap:02x}) "
            f"{LLC_IG_FLAG_VALUES[dsap_field & LLC_IG]}, ssap "
            f"{LLC_VALUES.get(ssap, 'Unknown')} (0x{ssap:02x}) "
            f"{LLC_FLAG_VALUES[ssap_field & LLC_GSAP]}")
        d.p(f", ctrl 0x{control:02x}: " if is_u else f", ctrl 0x{control:04x}: ")
    p, length, caplen = p + hdrlen, length - hdrlen, caplen - hdrlen
    if ssap == dsap == LLCSAP_IPX and control == LLC_UI:
        # Ethernet_802.2 IPX
        if d.opts.eflag:
            d.p("IPX 802.2: ")
        from ipemu.tcpdump.ipx import ipx_print
        ipx_print(d, p, length)
        return hdrlen
    if ssap == dsap == LLCSAP_SNAP and control == LLC_UI:
        return hdrlen + 5 if snap_print(d, p, length, caplen, src, dst, 2) else -(hdrlen + 5)
    if ssap == dsap == LLCSAP_8021D and control == LLC_UI:
        from ipemu.tcpdump.stp import stp_print
        stp_print(d, p, length)
        return hdrlen
    if ssap == dsap == LLCSAP_IP and control == LLC_UI:
        d.ip_print(p, length)
        return hdrlen
    if ssap == dsap == LLCSAP_ISONS and control == LLC_UI:
        from ipemu.tcpdump.isis import isoclns_print
        isoclns_print(d, p, length)
        return hdrlen
    if not d.opts.eflag:
        dname = tok2str(LLC_VALUES, 'Unknown DSAP 0x%02x', dsap)
        sname = tok2str(LLC_VALUES, 'Unknown SSAP 0x%02x', ssap)
        if src is None or dst is None:
            d.p(f"{dname} " if ssap == dsap else f"{sname} > {dname} ")
        elif ssap == dsap:
            d.p(f"{d.etheraddr_string(src)} > {d.etheraddr_string(dst)} {dname} ")
        else:
            d.p(f"{d.etheraddr_string(src)} {sname} > {d.etheraddr_string(dst)} {dname} ")
    if is_u:
        cmd = control & 0xEF                      # LLC_U_CMD()
        d.p(f"Unnumbered, {tok2str(LLC_CMD_VALUES, '%02x', cmd)}, Flags ["
            f"{LLC_FLAG_VALUES.get((ssap_field & LLC_GSAP) | (control & LLC_U_POLL), '?')}]"
            f", length {length + hdrlen}")
        if control & ~LLC_U_POLL == LLC_XID:
            if length == 0:
                return hdrlen
            if caplen < 1:
                d.nd_print_trunc()
                return hdrlen
            if d.u8(p) == LLC_XID_FI:
                if caplen < 3 or length < 3:
                    d.nd_print_trunc()
                    if caplen > 0:
                        d.default_print(p, caplen)
                else:
                    d.p(f": {d.u8(p + 1):02x} {d.u8(p + 2):02x}")
                return hdrlen
    else:
        flag = LLC_FLAG_VALUES.get((ssap_field & LLC_GSAP) | (control & LLC_IS_POLL), "?")
        if control & LLC_S_FMT == LLC_S_FMT:
            d.p(f"Supervisory, {LLC_SUPERVISORY_VALUES.get((control >> 2) & 3, '?')}, "
                f"rcv seq {(control >> 9) & 0x7F}, Flags [{flag}], length {length + hdrlen}")
            return hdrlen
        d.p(f"Information, send seq {(control >> 1) & 0x7F}, rcv seq {(control >> 9) & 0x7F}"
            f", Flags [{flag}], length {length + hdrlen}")
    return -hdrlen


def snap_print(d: Dissector, p: int, length: int, caplen: int, src: int | None,
               dst: int | None, bridge_pad: int) -> bool:
    """snap_print(): True when the payload was printed (or the header was cut short)."""
    d.protocol = "snap"
    if not d.ttest(p, 5) or caplen < 5 or length < 5:
        d.nd_print_trunc()
        return True
    orgcode = int.from_bytes(d.bytes_(p, 3), "big")
    et = d.u16(p + 3)
    if d.opts.eflag:
        d.p(f"oui {names.OUIS.get(orgcode, 'Unknown')} (0x{orgcode:06x}), "
            f"{'ethertype' if orgcode == 0 else 'pid'} "
            f"{_oui_to_struct_tok(orgcode).get(et, 'Unknown')} (0x{et:04x}), "
            f"length {length - 5}: ")
    p, length, caplen = p + 5, length - 5, caplen - 5
    if orgcode in (OUI_ENCAP_ETHER, OUI_CISCO_90) or (
            orgcode == OUI_APPLETALK and et == ETHERTYPE_ATALK):
        if d.ethertype_print(et, p, length, caplen, src):
            return True
    elif orgcode == OUI_CISCO and et == 0x2000:
        # PID_CISCO_CDP
        from ipemu.tcpdump.cdp import cdp_print
        cdp_print(d, p, length)
        return True
    elif orgcode == OUI_CISCO and et in (0x2003, 0x2004, 0x0111):
        # PID_CISCO_VTP, PID_CISCO_DTP, PID_CISCO_UDLD
        from ipemu.tcpdump.cisco import cisco_snap_print
        cisco_snap_print(d, et, p, length)
        return True
    elif (orgcode == OUI_CISCO and et in (PID_CISCO_PVST, PID_CISCO_VLANBRIDGE)) or (
            orgcode == OUI_RFC2684 and et == PID_RFC2684_BPDU):
        from ipemu.tcpdump.stp import stp_print
        stp_print(d, p, length)
        return True
    if not d.opts.eflag:
        if src is not None and dst is not None:
            d.p(f"{d.etheraddr_string(src)} > {d.etheraddr_string(dst)} ")
        if orgcode == 0:
            d.p(f"SNAP, ethertype {names.ETHERTYPES.get(et, 'Unknown')} (0x{et:04x}), "
                f"length {length}: ")
        else:
            d.p(f"SNAP, oui {names.OUIS.get(orgcode, 'Unknown')} (0x{orgcode:06x}), pid "
                f"{_oui_to_struct_tok(orgcode).get(et, 'Unknown')} (0x{et:04x}), "
                f"length {length}: ")
    return False
