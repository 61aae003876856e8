"""LMP, the Link Management Protocol of GMPLS (RFC 4204, UDP 701 and -T lmp), as
tcpdump 4.99.3 prints it (print-lmp.c): the message's type and length; under -v the
common header and each object (control channel, node, link and interface IDs,
message IDs, hello config and hello, verify, TE and data links with their
subobjects, channel status, error codes, UNI service config), -vv's hex of each."""
from __future__ import annotations

import struct

from ipemu.tcpdump.dissect import Dissector, bittok2str, tok2str

HEADER_FLAGS = [(0x01, "Control Channel Down"), (0x02, "LMP restart")]
TE_LINK_FLAGS = [(0x01, "Fault Management Supported"), (0x02, "Link Verification Supported")]
DATA_LINK_FLAGS = [(0x01, "Data Link Port"), (0x02, "Allocated for user traffic"),
                   (0x04, "Failed link")]
CHANNEL_STATUS_VALUES = {1: "Signal Okay", 2: "Signal Degraded", 3: "Signal Fail"}
BEGIN_VERIFY_FLAGS = [(0x0001, "Verify all links"), (0x0002, "Data link type")]
BEGIN_VERIFY_ERRORS = [(0x01, "Link Verification Procedure Not supported"),
                       (0x02, "Unwilling to verify"),
                       (0x04, "Unsupported verification transport mechanism"),
                       (0x08, "Link-Id configuration error"), (0x10, "Unknown object c-type")]
LINK_SUMMARY_ERRORS = [(0x01, "Unacceptable non-negotiable LINK-SUMMARY parameters"),
                       (0x02, "Renegotiate LINK-SUMMARY parameters"),
                       (0x04, "Invalid TE-LINK Object"), (0x08, "Invalid DATA-LINK Object"),
                       (0x10, "Unknown TE-LINK Object c-type"),
                       (0x20, "Unknown DATA-LINK Object c-type")]
SP_FLAGS = [(0x01, "RSVP Supported"), (0x02, "LDP Supported")]
CPSA_TP_FLAGS = [(0x01, "Path/VC Overhead Transparency Supported"),
                 (0x02, "Line/MS Overhead Transparency Supported"),
                 (0x04, "Section/RS Overhead Transparency Supported")]
CPSA_CCT_FLAGS = [(0x01, "Contiguous Concatenation Types Supported")]
NSA_TRANSPARENCY_FLAGS = [(0x01, "Standard SOH/RSOH Transparency Supported"),
                          (0x02, "Standard LOH/MSOH Transparency Supported")]
NSA_TCM_FLAGS = [(0x01, "Transparent Tandem Connection Monitoring Supported")]
NSA_DIVERSITY_FLAGS = [(0x01, "Node Diversity Supported"), (0x02, "Link Diversity Supported"),
                       (0x04, "SRLG Diversity Supported")]
MSG_TYPES = {1: "Config", 2: "Config ACK", 3: "Config NACK", 4: "Hello", 5: "Begin Verify",
             6: "Begin Verify ACK", 7: "Begin Verify NACK", 8: "End Verify",
             9: "End Verify ACK", 10: "Test", 11: "Test Status Success",
             12: "Test Status Failure", 13: "Test Status ACK", 14: "Link Summary",
             15: "Link Summary ACK", 16: "Link Summary NACK", 17: "Channel Status",
             18: "Channel Status ACK", 19: "Channel Status Request",
             20: "Channel Status Response", 50: "Service Config", 51: "Service Config ACK",
             52: "Service Config NACK"}
OBJ_VALUES = {1: "Control Channel ID", 2: "Node ID", 3: "Link ID", 4: "Interface ID",
              5: "Message ID", 6: "Configuration", 7: "Hello", 8: "Verify Begin",
              9: "Verify Begin ACK", 10: "Verify ID", 11: "TE Link", 12: "Data Link",
              13: "Channel Status", 14: "Channel Status Request", 20: "Error Code",
              51: "Service Config"}
DATA_LINK_SUBOBJ = {1: "Interface Switching Type", 2: "Wavelength"}
_CTYPES = {1: {1: "Local", 2: "Remote"}, 2: {1: "Local", 2: "Remote"},
           3: {1: "IPv4 Local", 2: "IPv4 Remote", 3: "IPv6 Local", 4: "IPv6 Remote",
               5: "Unnumbered Local", 6: "Unnumbered Remote"},
           4: {1: "IPv4 Local", 2: "IPv4 Remote", 3: "IPv6 Local", 4: "IPv6 Remote",
               5: "Unnumbered Local", 6: "Unnumbered Remote"},
           5: {1: "1", 2: "2"}, 6: {1: "1"}, 7: {1: "1"}, 8: {1: "1"}, 9: {1: "1"},
           10: {1: "1"}, 11: {1: "IPv4", 2: "IPv6", 3: "Unnumbered"},
           12: {1: "IPv4", 2: "IPv6", 3: "Unnumbered"},
           13: {1: "IPv4", 2: "IPv6", 3: "Unnumbered"},
           14: {1: "IPv4", 2: "IPv6", 3: "Unnumbered"}, 20: {1: "1", 2: "2"},
           51: {1: "1", 2: "2", 3: "3", 4: "4"}}
CTYPE_VALUES = {cls << 8 | ct: name for cls, table in _CTYPES.items()
                for ct, name in table.items()}
# gmpls.c's tables for LMP service discovery
CPSA_LINK_TYPES = {5: "SDH ITU-T G.707", 6: "SONET ANSI T1.105"}
CPSA_SIGNAL_SDH = {5: "VC-3", 6: "VC-4", 7: "STM-0", 8: "STM-1", 9: "STM-4", 10: "STM-16",
                   11: "STM-64", 12: "STM-256"}
CPSA_SIGNAL_SONET = {5: "STS-1 SPE", 6: "STS-3c SPE", 7: "STS-1", 8: "STM-3", 9: "STM-12",
                     10: "STM-48", 11: "STM-192", 12: "STM-768"}


def _mbps(d: Dissector, off: int) -> str:
    """%.3f of bw.f*8/1000000 (float arithmetic, then a double)."""
    f = struct.unpack("!f", d.bytes_(off, 4))[0]
    f = struct.unpack("!f", struct.pack("!f", f * 8))[0]
    f = struct.unpack("!f", struct.pack("!f", f / 1000000))[0]
    return "%.3f" % f


def _data_link_subobjs(d: Dissector, t: int, total: int, offset: int) -> bool:
    from ipemu.tcpdump.isis import GMPLS_ENCODINGS, GMPLS_SWITCH_CAPS
    hexdump = False
    while total > 0 and not hexdump:
        kind, size = d.u8(t + offset), d.u8(t + offset + 1)
        d.p(f"\n\t    Subobject, Type: {tok2str(DATA_LINK_SUBOBJ, 'Unknown', kind)} ({kind}), "
            f"Length: {size}")
        if size < 4:
            d.p(" (too short)")
            break
        if size % 4:
            d.p(" (not a multiple of 4)")
            break
        if total < size:
            d.p(" (goes past the end of the object)")
            break
        if kind == 1:
            sw, enc = d.u8(t + offset + 2), d.u8(t + offset + 3)
            d.p(f"\n\t      Switching Type: {tok2str(GMPLS_SWITCH_CAPS, 'Unknown', sw)} ({sw})")
            d.p(f"\n\t      Encoding Type: {tok2str(GMPLS_ENCODINGS, 'Unknown', enc)} ({enc})")
            d.p(f"\n\t      Min Reservable Bandwidth: {_mbps(d, t + offset + 4)} Mbps")
            d.p(f"\n\t      Max Reservable Bandwidth: {_mbps(d, t + offset + 8)} Mbps")
        elif kind == 2:
            d.p(f"\n\t      Wavelength: {d.u32(t + offset + 4)}")
        else:
            hexdump = True
        total -= size
        offset += size
    return hexdump


def _id4(d: Dissector, t: int, label: str) -> None:
    d.p(f"\n\t    {label}: {d.ipaddr_string(t)} (0x{d.u32(t):08x})")


def _channel_status(d: Dissector, t: int, tlen: int, ctype: int) -> bool:
    size = {1: 4, 2: 16, 3: 4}.get(ctype)
    if size is None:
        return True
    offset = 0
    while offset + size + 4 <= tlen:
        if ctype == 1:
            d.p(f"\n\t    Interface ID: {d.ipaddr_string(t + offset)} (0x{d.u32(t + offset):08x})")
        elif ctype == 2:
            d.p(f"\n\t    Interface ID: {d.ip6addr_string(t + offset)} (0x{d.u32(t + offset):08x})")
        else:
            d.p(f"\n\t    Interface ID: {d.u32(t + offset)} (0x{d.u32(t + offset):08x})")
        word = d.u32(t + offset + size)
        d.p(f"\n\t\t    Active: {'Allocated' if word >> 31 else 'Non-allocated'} ({word >> 31})")
        d.p(f"\n\t\t    Direction: {'Transmit' if (word >> 30) & 1 else 'Receive'} "
            f"({(word >> 30) & 1})")
        status = word & 0x3FFFFFF
        d.p(f"\n\t\t    Channel Status: {tok2str(CHANNEL_STATUS_VALUES, 'Unknown', status)} "
            f"({status})")
        offset += size + 4
    return False


def _channel_status_req(d: Dissector, t: int, tlen: int, ctype: int) -> bool:
    size = {1: 4, 2: 16, 3: 4}.get(ctype)
    if size is None:
        return True
    offset = 0
    while offset + size <= tlen:
        if ctype == 1:
            d.p(f"\n\t    Interface ID: {d.ipaddr_string(t + offset)} (0x{d.u32(t + offset):08x})")
        elif ctype == 2:
            d.p(f"\n\t    Interface ID: {d.ip6addr_string(t + offset)} (0x{d.u32(t + offset):08x})")
        else:
            d.p(f"\n\t    Interface ID: {d.u32(t + offset)} (0x{d.u32(t + offset):08x})")
        offset += size
    return False


def _links(d: Dissector, cls: int, ctype: int, t: int, tlen: int) -> bool:
    """TE_LINK (11) and DATA_LINK (12): flags, local and remote IDs (data links then
    their subobjects)."""
    flags_table = TE_LINK_FLAGS if cls == 11 else DATA_LINK_FLAGS
    size = {1: 12, 2: 36, 3: 12}.get(ctype)
    if size is None:
        return True
    if (tlen != size) if cls == 11 else (tlen < size):
        d.p(" (not correct for object)")
        return False
    d.p(f"\n\t    Flags: [{bittok2str(flags_table, 'none', d.u8(t))}]")
    what = "Link-ID" if cls == 11 else "Interface ID"
    if ctype == 1:
        d.p(f"\n\t    Local {what}: {d.ipaddr_string(t + 4)} (0x{d.u32(t + 4):08x})"
            f"\n\t    Remote {what}: {d.ipaddr_string(t + 8)} (0x{d.u32(t + 8):08x})")
    elif ctype == 2:
        d.p(f"\n\t    Local {what}: {d.ip6addr_string(t + 4)} (0x{d.u32(t + 4):08x})"
            f"\n\t    Remote {what}: {d.ip6addr_string(t + 20)} (0x{d.u32(t + 20):08x})")
    else:
        d.p(f"\n\t    Local {what}: {d.u32(t + 4)} (0x{d.u32(t + 4):08x})"
            f"\n\t    Remote {what}: {d.u32(t + 8)} (0x{d.u32(t + 8):08x})")
    if cls == 12:
        return _data_link_subobjs(d, t, tlen - size, size)
    return False


def _service_config(d: Dissector, ctype: int, t: int, tlen: int) -> bool:
    need = {1: 4, 2: 16, 3: 8, 4: 4}.get(ctype)
    if need is None:
        return True
    if tlen != need:
        d.p(" (not correct for object)")
        return False
    if ctype == 1:
        d.p(f"\n\t Flags: {bittok2str(SP_FLAGS, 'none', d.u8(t))}")
        d.p(f"\n\t  UNI Version: {d.u8(t + 1)}")
    elif ctype == 2:
        link_type = d.u8(t)
        d.p(f"\n\t Link Type: {tok2str(CPSA_LINK_TYPES, 'Unknown', link_type)} ({link_type})")
        if link_type in (5, 6):
            table = CPSA_SIGNAL_SDH if link_type == 5 else CPSA_SIGNAL_SONET
            d.p(f"\n\t Signal Type: {tok2str(table, 'Unknown', d.u8(t + 1))} ({d.u8(t + 1)})")
        d.p(f"\n\t Transparency: {bittok2str(CPSA_TP_FLAGS, 'none', d.u8(t + 2))}")
        d.p(f"\n\t Contiguous Concatenation Types: "
            f"{bittok2str(CPSA_CCT_FLAGS, 'none', d.u8(t + 3))}")
        d.p(f"\n\t Minimum NCC: {d.u16(t + 4)}")
        d.p(f"\n\t Maximum NCC: {d.u16(t + 6)}")
        d.p(f"\n\t Minimum NVC:{d.u16(t + 8)}")
        d.p(f"\n\t Maximum NVC:{d.u16(t + 10)}")
        d.p(f"\n\t    Local Interface ID: {d.ipaddr_string(t + 12)} (0x{d.u32(t + 12):08x})")
    elif ctype == 3:
        d.p(f"\n\t Transparency Flags: {bittok2str(NSA_TRANSPARENCY_FLAGS, 'none', d.u32(t))}")
        d.p(f"\n\t TCM Monitoring Flags: {bittok2str(NSA_TCM_FLAGS, 'none', d.u8(t + 7))}")
    else:
        d.p(f"\n\t Diversity: Flags: {bittok2str(NSA_DIVERSITY_FLAGS, 'none', d.u8(t + 3))}")
    return False


def _exact(d: Dissector, tlen: int, need: int) -> bool:
    if tlen != need:
        d.p(" (not correct for object)")
        return False
    return True


def _object(d: Dissector, cls: int, ctype: int, t: int, tlen: int) -> bool:
    """One object's contents; True asks for its hex."""
    from ipemu.tcpdump.isis import GMPLS_ENCODINGS
    if cls in (1, 2):
        if ctype not in (1, 2):
            return True
        if _exact(d, tlen, 4):
            if cls == 1:
                d.p(f"\n\t    Control Channel ID: {d.u32(t)} (0x{d.u32(t):08x})")
            else:
                _id4(d, t, "Node ID")
    elif cls in (3, 4):
        if ctype in (1, 2):
            if _exact(d, tlen, 4):
                _id4(d, t, "IPv4 Link ID")
        elif ctype in (3, 4):
            if _exact(d, tlen, 16):
                d.p(f"\n\t    IPv6 Link ID: {d.ip6addr_string(t)} (0x{d.u32(t):08x})")
        elif ctype in (5, 6):
            if _exact(d, tlen, 4):
                d.p(f"\n\t    Link ID: {d.u32(t)} (0x{d.u32(t):08x})")
        else:
            return True
    elif cls == 5:
        if ctype not in (1, 2):
            return True
        if _exact(d, tlen, 4):
            label = "Message ID" if ctype == 1 else "Message ID Ack"
            d.p(f"\n\t    {label}: {d.u32(t)} (0x{d.u32(t):08x})")
    elif cls == 6:
        if ctype != 1:
            return True
        if _exact(d, tlen, 4):
            d.p(f"\n\t    Hello Interval: {d.u16(t)}\n\t    Hello Dead Interval: {d.u16(t + 2)}")
    elif cls == 7:
        if ctype != 1:
            return True
        if _exact(d, tlen, 8):
            d.p(f"\n\t    Tx Seq: {d.u32(t)}, Rx Seq: {d.u32(t + 4)}")
    elif cls in (11, 12):
        return _links(d, cls, ctype, t, tlen)
    elif cls == 8:
        if ctype != 1:
            return True
        if _exact(d, tlen, 20):
            d.p(f"\n\t    Flags: {bittok2str(BEGIN_VERIFY_FLAGS, 'none', d.u16(t))}")
            d.p(f"\n\t    Verify Interval: {d.u16(t + 2)}")
            d.p(f"\n\t    Data links: {d.u32(t + 4)}")
            d.p(f"\n\t    Encoding type: {tok2str(GMPLS_ENCODINGS, 'Unknown', d.u8(t + 8))}")
            mech = d.u16(t + 10)
            # `&8000`, decimal, as tcpdump has it
            d.p(f"\n\t    Verify Transport Mechanism: {mech} (0x{mech:x})"
                f"{' (Payload test messages capable)' if mech & 8000 else ''}")
            d.p(f"\n\t    Transmission Rate: {_mbps(d, t + 12)} Mbps")
            d.p(f"\n\t    Wavelength: {d.u32(t + 16)}")
    elif cls == 9:
        if ctype != 1:
            return True
        if _exact(d, tlen, 4):
            d.p(f"\n\t    Verify Dead Interval: {d.u16(t)}"
                f"\n\t    Verify Transport Response: {d.u16(t + 2)}")
    elif cls == 10:
        if ctype != 1:
            return True
        if _exact(d, tlen, 4):
            d.p(f"\n\t    Verify ID: {d.u32(t)}")
    elif cls == 13:
        return _channel_status(d, t, tlen, ctype)
    elif cls == 14:
        return _channel_status_req(d, t, tlen, ctype)
    elif cls == 20:
        if ctype not in (1, 2):
            return True
        if _exact(d, tlen, 4):
            table = BEGIN_VERIFY_ERRORS if ctype == 1 else LINK_SUMMARY_ERRORS
            d.p(f"\n\t    Error Code: {bittok2str(table, 'none', d.u32(t))}")
    elif cls == 51:
        return _service_config(d, ctype, t, tlen)
    elif d.opts.vflag <= 1:
        d.print_unknown_data(t, "\n\t    ", tlen)
    return False


def lmp_print(d: Dissector, pptr: int, length: int) -> None:
    d.protocol = "lmp"
    d.need(pptr, 8)
    version = (d.u16(pptr) & 0xF000) >> 12
    if version != 1:
        d.p(f"LMP version {version} packet not supported")
        return
    msg_type = d.u8(pptr + 3)
    if d.opts.vflag < 1:
        d.p(f"LMPv{version} {tok2str(MSG_TYPES, 'unknown (%u)', msg_type)} Message, "
            f"length: {length}")
        return
    tlen = d.u16(pptr + 4)
    d.p(f"\n\tLMPv{version}, msg-type: {tok2str(MSG_TYPES, 'unknown, type: %u', msg_type)}, "
        f"Flags: [{bittok2str(HEADER_FLAGS, 'none', d.u8(pptr + 2))}], length: {tlen}")
    if tlen < 8:
        d.p(" (too short)")
        return
    if tlen > length:
        d.p(" (too long)")
        tlen = length
    tptr = pptr + 8
    tlen -= 8
    while tlen > 0:
        obj_len = d.u16(tptr + 2)
        ctype = d.u8(tptr) & 0x7F
        cls = d.u8(tptr + 1)
        d.p(f"\n\t  {tok2str(OBJ_VALUES, 'Unknown', cls)} Object ({cls}), Class-Type: "
            f"{tok2str(CTYPE_VALUES, 'Unknown', (cls << 8) + ctype)} ({ctype}) Flags: "
            f"[{'' if d.u8(tptr) & 0x80 else 'non-'}negotiable], length: {obj_len}")
        if obj_len < 4:
            d.p(" (too short)")
            return
        if obj_len % 4:
            d.p(" (not a multiple of 4)")
            return
        d.need(tptr, obj_len)
        hexdump = _object(d, cls, ctype, tptr + 4, obj_len - 4)
        if d.opts.vflag > 1 or hexdump:
            d.print_unknown_data(tptr + 4, "\n\t    ", obj_len - 4)
        if tlen < obj_len:
            d.p(f" [remaining objects length {tlen} < {obj_len}] (invalid)")
            break
        tptr += obj_len
        tlen -= obj_len
