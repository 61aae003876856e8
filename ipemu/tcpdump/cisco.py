"""Cisco's SNAP protocols beside CDP (OUI 0x00000c): VTP (print-vtp.c vtp_print()), DTP
(print-dtp.c dtp_print()) and UDLD (print-udld.c udld_print()), as tcpdump 4.99.3 prints
them: one line without -v, their fields and TLVs under -v."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, bittok2str
from ipemu.tcpdump.util import nd_printjnp, nd_printn, print_invalid

PID_CISCO_VTP, PID_CISCO_DTP, PID_CISCO_UDLD = 0x2003, 0x2004, 0x0111


def cisco_snap_print(d: Dissector, pid: int, bp: int, length: int) -> None:
    """snap_print()'s OUI_CISCO cases other than CDP and PVST."""
    {PID_CISCO_VTP: vtp_print, PID_CISCO_DTP: dtp_print, PID_CISCO_UDLD: udld_print}[pid](
        d, bp, length)


class _Invalid(Exception):
    """A printer's `goto invalid`."""


VTP_HEADER_LEN = 36
VTP_MESSAGES = {1: "Summary advertisement", 2: "Subset advertisement",
                3: "Advertisement request", 4: "Join message"}
VTP_HEADER_VALUES = {1: "Followers", 2: "Seq number", 3: "Rsvd", 4: "Rsvd"}
VTP_VLAN_TYPES = {1: "Ethernet", 2: "FDDI", 3: "TrCRF", 4: "FDDI-net", 5: "TrBRF"}
VTP_VLAN_STATUS = {0: "Operational", 1: "Suspended"}
VTP_VLAN_TLVS = {1: "Source-Routing Ring Number TLV", 2: "Source-Routing Bridge Number TLV",
                 3: "STP type TLV", 4: "Parent VLAN TLV",
                 5: "Translationally bridged VLANs TLV", 6: "Pruning TLV",
                 7: "Bridge Type TLV", 8: "Max ARP Hop Count TLV", 9: "Max STE Hop Count TLV",
                 10: "Backup CRF Mode TLV"}
VTP_STP_TYPES = {1: "SRT", 2: "SRB", 3: "Auto"}


def vtp_print(d: Dissector, pptr: int, length: int) -> None:
    """vtp_print(): the domain and the message's fields; a subset advertisement's VLAN
    info fields with their 1-byte type and length TLVs."""
    d.protocol = "vtp"
    try:
        if length < VTP_HEADER_LEN:
            raise _Invalid()
        d.need(pptr, VTP_HEADER_LEN)
        kind = d.u8(pptr + 1)
        d.p(f"VTPv{d.u8(pptr)}, Message {VTP_MESSAGES.get(kind, 'Unknown message type')} "
            f"(0x{kind:02x}), length {length}")
        if d.opts.vflag < 1:
            d.need(pptr, length)
            return
        _vtp_verbose(d, pptr, length, kind)
    except _Invalid:
        print_invalid(d)
        d.need(pptr, length)


def _vtp_verbose(d: Dissector, pptr: int, length: int, kind: int) -> None:
    d.p("\n\tDomain name: ")
    mgmtd_len = d.u8(pptr + 3)
    if mgmtd_len < 1 or mgmtd_len > 32:
        d.p(f" [invalid MgmtD Len {mgmtd_len}]")
        raise _Invalid()
    nd_printjnp(d, pptr + 4, mgmtd_len)
    d.p(f", {VTP_HEADER_VALUES.get(kind, 'Unknown')}: {d.u8(pptr + 2)}")
    tptr = pptr + VTP_HEADER_LEN
    if kind == 1:
        d.p(f"\n\t  Config Rev {d.u32(tptr):x}, Updater {d.ipaddr_string(tptr + 4)}")
        tptr += 8
        d.p(f", Timestamp 0x{d.u32(tptr):08x} 0x{d.u32(tptr + 4):08x} "
            f"0x{d.u32(tptr + 8):08x}")
        tptr += 12
        d.p(", MD5 digest: " + "".join(f"{d.u32(tptr + i):08x}" for i in range(0, 16, 4)))
    elif kind == 2:
        d.p(f", Config Rev {d.u32(tptr):x}")
        tptr += 4
        while tptr - pptr < length:
            tptr = _vtp_vlan(d, tptr)
            if tptr is None:
                break
    elif kind == 3:
        d.p(f"\n\tStart value: {d.u32(tptr)}")


def _vtp_vlan(d: Dissector, tptr: int) -> int | None:
    """One VLAN info field of a subset advertisement; its end, None at a zero length."""
    length = d.u8(tptr)
    if length == 0:
        return None
    d.need(tptr, length)
    if length < 12:
        raise _Invalid()
    d.p(f"\n\tVLAN info status {VTP_VLAN_STATUS.get(d.u8(tptr + 1), 'Unknown')}, type "
        f"{VTP_VLAN_TYPES.get(d.u8(tptr + 2), 'Unknown')}, VLAN-id {d.u16(tptr + 4)}, "
        f"MTU {d.u16(tptr + 6)}, SAID 0x{d.u32(tptr + 8):08x}, Name ")
    name_len = d.u8(tptr + 3)
    length, tptr = length - 12, tptr + 12
    padded = 4 * ((name_len + 3) // 4)
    if length < padded:
        raise _Invalid()
    nd_printjnp(d, tptr, name_len)
    length, tptr = length - padded, tptr + padded
    while length > 0:
        if length < 2:
            raise _Invalid()
        kind, tlv_len = d.u8(tptr), d.u8(tptr + 1)
        d.p(f"\n\t\t{VTP_VLAN_TLVS.get(kind, 'Unknown')} (0x{kind:04x}) TLV")
        if length < tlv_len * 2 + 2:
            d.p(" (TLV goes past the end of the packet)")
            raise _Invalid()
        d.need(tptr, tlv_len * 2 + 2)
        if tlv_len != 1:
            d.p(f" (invalid TLV length {tlv_len} != 1)")
            raise _Invalid()
        value = d.u16(tptr + 2)
        if kind == 9:
            d.p(f", {value}")
        elif kind == 6:
            d.p(f", {'Enabled' if value == 1 else 'Disabled'} ({value})")
        elif kind == 3:
            d.p(f", {VTP_STP_TYPES.get(value, 'Unknown')} ({value})")
        elif kind == 7:
            d.p(f", {'SRB' if value == 1 else 'SRT'} ({value})")
        elif kind == 10:
            d.p(f", {'Backup' if value == 1 else 'Not backup'} ({value})")
        else:
            d.print_unknown_data(tptr, "\n\t\t  ", 2 + tlv_len * 2)
        length, tptr = length - (2 + tlv_len * 2), tptr + 2 + tlv_len * 2
    return tptr


DTP_TLVS = {1: "Domain", 2: "Status", 3: "DTP type", 4: "Neighbor"}


def dtp_print(d: Dissector, tptr: int, length: int) -> None:
    """dtp_print(): the version; under -v each TLV (domain, status, type, neighbour)."""
    d.protocol = "dtp"
    try:
        if length < 1:
            d.p("[zero packet length]")
            raise _Invalid()
        d.p(f"DTPv{d.u8(tptr)}, length {length}")
        if d.opts.vflag < 1:
            return
        tptr, length = tptr + 1, length - 1
        while length:
            if length < 4:
                d.p(f"[{length} bytes remaining]")
                raise _Invalid()
            kind, tlv_len = d.u16(tptr), d.u16(tptr + 2)
            if kind == 0:
                # "should not be but sometimes it is, see the test captures"
                return
            d.p(f"\n\t{DTP_TLVS.get(kind, 'Unknown')} (0x{kind:04x}) TLV, length {tlv_len}")
            if tlv_len < 4 or tlv_len > length:
                d.p(f"[invalid TLV length {tlv_len}]")
                raise _Invalid()
            if kind == 1:
                d.p(", ")
                nd_printjnp(d, tptr + 4, tlv_len - 4)
            elif kind in (2, 3):
                if tlv_len != 5:
                    raise _Invalid()
                d.p(f", 0x{d.u8(tptr + 4):x}")
            elif kind == 4:
                if tlv_len != 10:
                    raise _Invalid()
                d.p(f", {d.etheraddr_string(tptr + 4)}")
            else:
                d.need(tptr, tlv_len)
            tptr, length = tptr + tlv_len, length - tlv_len
    except _Invalid:
        print_invalid(d)
        d.need(tptr, length)


UDLD_TLVS = {1: "Device-ID TLV", 2: "Port-ID TLV", 3: "Echo TLV", 4: "Message Interval TLV",
             5: "Timeout Interval TLV", 6: "Device Name TLV", 7: "Sequence Number TLV"}
UDLD_CODES = {0: "Reserved", 1: "Probe message", 2: "Echo message", 3: "Flush message"}
UDLD_FLAGS = [(1, "RT"), (2, "RSY"), (4, "MBZ-2"), (8, "MBZ-3"), (16, "MBZ-4"),
              (32, "MBZ-5"), (64, "MBZ-6"), (128, "MBZ-7")]


def udld_print(d: Dissector, tptr: int, length: int) -> None:
    """udld_print(): version, opcode and flags; under -v the checksum and each TLV."""
    d.protocol = "udld"
    try:
        if length < 4:
            raise _Invalid()
        first, flags = d.u8(tptr), d.u8(tptr + 1)
        tptr, length = tptr + 2, length - 2
        d.p(f"UDLDv{first >> 5}, Code {UDLD_CODES.get(first & 0x1F, 'Reserved')} "
            f"({first & 0x1F:x}), Flags [{bittok2str(UDLD_FLAGS, 'none', flags)}] "
            f"(0x{flags:02x}), length {length + 2}")
        if d.opts.vflag < 1:
            d.need(tptr, length)
            return
        d.p(f"\n\tChecksum 0x{d.u16(tptr):04x} (unverified)")
        tptr, length = tptr + 2, length - 2
        while length:
            if length < 4:
                raise _Invalid()
            kind, tlv_len = d.u16(tptr), d.u16(tptr + 2)
            tptr, length = tptr + 4, length - 4
            d.p(f"\n\t{UDLD_TLVS.get(kind, 'Unknown')} (0x{kind:04x}) TLV, length {tlv_len}")
            if tlv_len <= 4:
                raise _Invalid()
            tlv_len -= 4
            if length < tlv_len:
                raise _Invalid()
            if kind in (1, 2, 6):
                d.p(", ")
                nd_printjnp(d, tptr, tlv_len)
            elif kind == 3:
                d.p(", ")
                nd_printn(d, tptr, tlv_len)
            elif kind in (4, 5):
                if tlv_len != 1:
                    raise _Invalid()
                d.p(f", {d.u8(tptr)}s")
            elif kind == 7:
                if tlv_len != 4:
                    raise _Invalid()
                d.p(f", {d.u32(tptr)}")
            else:
                d.need(tptr, tlv_len)
            tptr, length = tptr + tlv_len, length - tlv_len
    except _Invalid:
        print_invalid(d)
        d.need(tptr, length)
