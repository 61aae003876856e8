"""RSVP (IP protocol 46) as tcpdump 4.99.3 prints it (print-rsvp.c): without -v the
message's type and length; under -v the common header, bundles of submessages, and each
object by class and C-type (sessions, hops, time values, styles, IntServ specs,
filters, labels and label requests, EROs and RROs, hellos, restart capability, session
attributes, generalized UNI, fast reroute, detours, class types, error specs, Juniper
properties, message IDs, integrity, administrative status, label sets, S2L), the
undecoded ones in hex, -vv's hex of every object."""
from __future__ import annotations

import struct

from ipemu.tcpdump import names
from ipemu.tcpdump.dissect import Dissector, bittok2str, tok2str
from ipemu.tcpdump.util import fn_print_char

RSVP_MSG_TYPES = {1: "Path", 2: "Resv", 3: "PathErr", 4: "ResvErr", 5: "PathTear",
                  6: "ResvTear", 7: "ResvConf", 12: "Bundle", 13: "Acknowledgement",
                  14: "Hello (Old)", 15: "Refresh", 20: "Hello"}
HEADER_FLAGS = [(0x01, "Refresh reduction capable")]
CAPABILITY_FLAGS = [(0x0004, "RecoveryPath Transmit Enabled"), (0x0002, "RecoveryPath Desired"),
                    (0x0001, "RecoveryPath Srefresh Capable")]
SESSION, RSVP_HOP, INTEGRITY, TIME_VALUES, ERROR_SPEC, SCOPE, STYLE = 1, 3, 4, 5, 6, 7, 8
FLOWSPEC, FILTERSPEC, SENDER_TEMPLATE, SENDER_TSPEC, ADSPEC, POLICY_DATA = 9, 10, 11, 12, 13, 14
CONFIRM, LABEL = 15, 16
LABEL_REQ, ERO, RRO, HELLO, MESSAGE_ID, MESSAGE_ID_ACK, MESSAGE_ID_LIST = range(19, 26)
RECOVERY_LABEL, UPSTREAM_LABEL, LABEL_SET, PROTECTION = 34, 35, 36, 37
S2L, DETOUR, CLASSTYPE, CLASSTYPE_OLD = 50, 63, 66, 125
SUGGESTED_LABEL, ACCEPT_LABEL_SET, RESTART_CAPABILITY, CAPABILITY = 129, 130, 131, 134
NOTIFY_REQ, ADMIN_STATUS, PROPERTIES, FASTREROUTE, SESSION_ATTRIBUTE = 195, 196, 204, 205, 207
GENERALIZED_UNI, CALL_ID, CALL_OPS = 229, 230, 236
OBJ_VALUES = {
    SESSION: "Session", RSVP_HOP: "RSVP Hop", INTEGRITY: "Integrity",
    TIME_VALUES: "Time Values", ERROR_SPEC: "Error Spec", SCOPE: "Scope", STYLE: "Style",
    FLOWSPEC: "Flowspec", FILTERSPEC: "FilterSpec", SENDER_TEMPLATE: "Sender Template",
    SENDER_TSPEC: "Sender TSpec", ADSPEC: "Adspec", POLICY_DATA: "Policy Data",
    CONFIRM: "Confirm", LABEL: "Label", LABEL_REQ: "Label Request", ERO: "ERO", RRO: "RRO",
    HELLO: "Hello", MESSAGE_ID: "Message ID", MESSAGE_ID_ACK: "Message ID Ack",
    MESSAGE_ID_LIST: "Message ID List", RECOVERY_LABEL: "Recovery Label",
    UPSTREAM_LABEL: "Upstream Label", LABEL_SET: "Label Set",
    ACCEPT_LABEL_SET: "Acceptable Label Set", DETOUR: "Detour", CLASSTYPE: "Class Type",
    CLASSTYPE_OLD: "Class Type (old)", SUGGESTED_LABEL: "Suggested Label",
    PROPERTIES: "Properties", FASTREROUTE: "Fast Re-Route",
    SESSION_ATTRIBUTE: "Session Attribute", GENERALIZED_UNI: "Generalized UNI",
    CALL_ID: "Call-ID", CALL_OPS: "Call Capability",
    RESTART_CAPABILITY: "Restart Capability", CAPABILITY: "Capability",
    NOTIFY_REQ: "Notify Request", PROTECTION: "Protection",
    ADMIN_STATUS: "Administrative Status", S2L: "Sub-LSP to LSP"}
_CTYPES = [
    (RSVP_HOP, 1, "IPv4"), (RSVP_HOP, 2, "IPv6"), (RSVP_HOP, 3, "IPv4 plus opt. TLVs"),
    (RSVP_HOP, 4, "IPv6 plus opt. TLVs"), (NOTIFY_REQ, 1, "IPv4"), (NOTIFY_REQ, 2, "IPv6"),
    (CONFIRM, 1, "IPv4"), (CONFIRM, 2, "IPv6"), (TIME_VALUES, 1, "1"),
    (FLOWSPEC, 1, "obsolete"), (FLOWSPEC, 2, "IntServ"), (SENDER_TSPEC, 2, "IntServ"),
    (ADSPEC, 2, "IntServ"), (FILTERSPEC, 1, "IPv4"), (FILTERSPEC, 2, "IPv6"),
    (FILTERSPEC, 3, "IPv6 Flow-label"), (FILTERSPEC, 7, "Tunnel IPv4"),
    (FILTERSPEC, 12, "IPv4 P2MP LSP Tunnel"), (FILTERSPEC, 13, "IPv6 P2MP LSP Tunnel"),
    (SESSION, 1, "IPv4"), (SESSION, 2, "IPv6"), (SESSION, 7, "Tunnel IPv4"),
    (SESSION, 11, "UNI IPv4"), (SESSION, 13, "IPv4 P2MP LSP Tunnel"),
    (SESSION, 14, "IPv6 P2MP LSP Tunnel"), (SENDER_TEMPLATE, 1, "IPv4"),
    (SENDER_TEMPLATE, 2, "IPv6"), (SENDER_TEMPLATE, 7, "Tunnel IPv4"),
    (SENDER_TEMPLATE, 12, "IPv4 P2MP LSP Tunnel"), (SENDER_TEMPLATE, 13, "IPv6 P2MP LSP Tunnel"),
    (MESSAGE_ID, 1, "1"), (MESSAGE_ID_ACK, 1, "Message id ack"),
    (MESSAGE_ID_ACK, 2, "Message id nack"), (MESSAGE_ID_LIST, 1, "1"), (STYLE, 1, "1"),
    (HELLO, 1, "Hello Request"), (HELLO, 2, "Hello Ack"),
    (LABEL_REQ, 1, "without label range"), (LABEL_REQ, 2, "with ATM label range"),
    (LABEL_REQ, 3, "with FR label range"), (LABEL_REQ, 4, "Generalized Label"),
    (LABEL, 1, "Label"), (LABEL, 2, "Generalized Label"), (LABEL, 3, "Waveband Switching"),
    (SUGGESTED_LABEL, 1, "Label"), (SUGGESTED_LABEL, 2, "Generalized Label"),
    (SUGGESTED_LABEL, 3, "Waveband Switching"), (UPSTREAM_LABEL, 1, "Label"),
    (UPSTREAM_LABEL, 2, "Generalized Label"), (UPSTREAM_LABEL, 3, "Waveband Switching"),
    (RECOVERY_LABEL, 1, "Label"), (RECOVERY_LABEL, 2, "Generalized Label"),
    (RECOVERY_LABEL, 3, "Waveband Switching"), (ERO, 1, "IPv4"), (RRO, 1, "IPv4"),
    (ERROR_SPEC, 1, "IPv4"), (ERROR_SPEC, 2, "IPv6"), (ERROR_SPEC, 3, "IPv4 plus opt. TLVs"),
    (ERROR_SPEC, 4, "IPv6 plus opt. TLVs"), (RESTART_CAPABILITY, 1, "IPv4"),
    (CAPABILITY, 1, "1"), (SESSION_ATTRIBUTE, 7, "Tunnel IPv4"), (FASTREROUTE, 7, "Tunnel IPv4"),
    (FASTREROUTE, 1, "1"), (DETOUR, 7, "Tunnel IPv4"), (PROPERTIES, 1, "1"),
    (ADMIN_STATUS, 1, "1"), (CLASSTYPE, 1, "1"), (CLASSTYPE_OLD, 1, "1"), (LABEL_SET, 1, "1"),
    (GENERALIZED_UNI, 1, "1"), (S2L, 1, "IPv4 sub-LSP"), (S2L, 2, "IPv6 sub-LSP")]
CTYPE_VALUES: dict[int, str] = {}
for _cls, _ct, _name in _CTYPES:
    CTYPE_VALUES.setdefault(256 * _cls + _ct, _name)
INTEGRITY_FLAGS = [(0x80, "Handshake")]
XRO_VALUES = {0: "Reserved", 1: "IPv4 prefix", 2: "IPv6 prefix", 3: "Label",
              32: "Autonomous system number", 64: "MPLS label switched path termination"}
RRO_FLAGS = [(0x01, "Local protection available"), (0x02, "Local protection in use"),
             (0x04, "Bandwidth protection"), (0x08, "Node protection")]
RRO_LABEL_FLAGS = [(0x01, "Global")]
RESSTYLE_VALUES = {17: "Wildcard Filter", 10: "Fixed Filter", 18: "Shared Explicit"}
INTSERV_SERVICE_TYPES = {1: "Default/Global Information", 2: "Guaranteed Service",
                         5: "Controlled Load"}
INTSERV_PARAMETER_IDS = {4: "IS hop cnt", 6: "Path b/w estimate", 8: "Minimum path latency",
                         10: "Composed MTU", 127: "Token Bucket TSpec",
                         130: "Guaranteed Service RSpec",
                         133: "End-to-end composed value for C",
                         134: "End-to-end composed value for D",
                         135: "Since-last-reshaping point composed C",
                         136: "Since-last-reshaping point composed D"}
SESSION_ATTRIBUTE_FLAGS = [(0x01, "Local Protection"), (0x02, "Label Recording"),
                           (0x04, "SE Style"), (0x08, "Bandwidth protection"),
                           (0x10, "Node protection")]
PROP_TLV_VALUES = {0x01: "Cos", 0x02: "Metric 1", 0x04: "Metric 2", 0x08: "CCC Status",
                   0x10: "Path Type"}
ERROR_CODES = {24: "Routing Problem", 25: "Notify Error", 28: "Diffserv TE Error",
               125: "Diffserv TE Error (Old)"}
ERROR_CODES_ROUTING = {1: "Bad EXPLICIT_ROUTE object", 2: "Bad strict node",
                       3: "Bad loose node", 4: "Bad initial subobject",
                       5: "No route available toward destination",
                       6: "Unacceptable label value", 7: "RRO indicated routing loops",
                       8: "non-RSVP-capable router in the path",
                       9: "MPLS label allocation failure", 10: "Unsupported L3PID"}
ERROR_CODES_DIFFSERV_TE = {
    1: "Unexpected CT object", 2: "Unsupported CT", 3: "Invalid CT value",
    4: "CT/setup priority do not form a configured TE-Class",
    5: "CT/holding priority do not form a configured TE-Class",
    6: "CT/setup priority and CT/holding priority do not form a configured TE-Class",
    7: "Inconsistency between signaled PSC and signaled CT",
    8: "Inconsistency between signaled PHBs and signaled CT"}
ADMIN_STATUS_FLAGS = [(0x80000000, "Reflect"), (0x00000004, "Testing"),
                      (0x00000002, "Admin-down"), (0x00000001, "Delete-in-progress")]
LABEL_SET_ACTIONS = {0: "Inclusive list", 1: "Exclusive list", 2: "Inclusive range",
                     3: "Exclusive range"}
GENERALIZED_UNI_VALUES = {1: "Source TNA address", 2: "Destination TNA address",
                          3: "Diversity", 4: "Egress label", 5: "Service level"}
# gmpls.c gmpls_payload_values[]
GMPLS_PAYLOADS = {0: 'Unknown', 1: 'Reserved', 2: 'Reserved', 3: 'Reserved', 4: 'Reserved',
    5: 'Asynchronous mapping of E4', 6: 'Asynchronous mapping of DS3/T3',
    7: 'Asynchronous mapping of E3', 8: 'Bit synchronous mapping of E3',
    9: 'Byte synchronous mapping of E3', 10: 'Asynchronous mapping of DS2/T2',
    11: 'Bit synchronous mapping of DS2/T2', 12: 'Reserved', 13: 'Asynchronous mapping of E1',
    14: 'Byte synchronous mapping of E1', 15: 'Byte synchronous mapping of 31 * DS0',
    16: 'Asynchronous mapping of DS1/T1', 17: 'Bit synchronous mapping of DS1/T1',
    18: 'Byte synchronous mapping of DS1/T1', 19: 'VC-11 in VC-12', 20: 'Reserved',
    21: 'Reserved', 22: 'DS1 SF Asynchronous', 23: 'DS1 ESF Asynchronous',
    24: 'DS3 M23 Asynchronous', 25: 'DS3 C-Bit Parity Asynchronous', 26: 'VT/LOVC',
    27: 'STS SPE/HOVC', 28: 'POS - No Scrambling, 16 bit CRC',
    29: 'POS - No Scrambling, 32 bit CRC', 30: 'POS - Scrambling, 16 bit CRC',
    31: 'POS - Scrambling, 32 bit CRC', 32: 'ATM mapping', 33: 'Ethernet PHY',
    34: 'SONET/SDH', 35: 'Reserved (SONET deprecated)', 36: 'Digital Wrapper', 37: 'Lambda',
    38: 'ANSI/ETSI PDH', 39: 'Reserved', 40: 'Link Access Protocol SDH (X.85 and X.86)',
    41: 'FDDI', 42: 'DQDB (ETSI ETS 300 216)', 43: 'FiberChannel-3 (Services)', 44: 'HDLC',
    45: 'Ethernet V2/DIX (only)', 46: 'Ethernet 802.3 (only)', 47: 'G.709 ODUj',
    48: 'G.709 OTUk(v)', 49: 'CBR/CBRa', 50: 'CBRb', 51: 'BSOT', 52: 'BSNT',
    53: 'IP/PPP (GFP)', 54: 'Ethernet MAC (framed GFP)', 55: 'Ethernet PHY (transparent GFP)',
    56: 'ESCON', 57: 'FICON', 58: 'Fiber Channel'}


def _f32(value: float) -> float:
    """A C float: arithmetic on floats rounds to single precision at each step."""
    return struct.unpack("!f", struct.pack("!f", value))[0]


def _float(d: Dissector, off: int) -> float:
    return struct.unpack("!f", d.bytes_(off, 4))[0]


def _g10(value: float) -> str:
    return "%.10g" % value


class _Stop(Exception):
    """rsvp_obj_print() returning -1 after its text."""


def _u24(d: Dissector, off: int) -> int:
    d.need(off, 3)
    return int.from_bytes(d.data[off:off + 3], "big")


def rsvp_intserv_print(d: Dissector, tptr: int, obj_tlen: int) -> int:
    """The IntServ parameters of RFC 2215; the bytes processed (0 to stop)."""
    if obj_tlen < 4:
        return 0
    parameter_id = d.u8(tptr)
    parameter_length = d.u16(tptr + 2) << 2
    d.p(f"\n\t      Parameter ID: {tok2str(INTSERV_PARAMETER_IDS, 'unknown', parameter_id)} "
        f"({parameter_id}), length: {parameter_length}, Flags: [0x{d.u8(tptr + 1):02x}]")
    if obj_tlen < parameter_length + 4:
        return 0
    if parameter_id == 4:
        if parameter_length == 4:
            d.p(f"\n\t\tIS hop count: {d.u32(tptr + 4)}")
    elif parameter_id == 6:
        if parameter_length == 4:
            d.p(f"\n\t\tPath b/w estimate: {_g10(_f32(_float(d, tptr + 4) / 125000))} Mbps")
    elif parameter_id == 8:
        if parameter_length == 4:
            d.p("\n\t\tMinimum path latency: ")
            value = d.u32(tptr + 4)
            d.p("don't care" if value == 0xFFFFFFFF else f"{value}")
    elif parameter_id == 10:
        if parameter_length == 4:
            d.p(f"\n\t\tComposed MTU: {d.u32(tptr + 4)} bytes")
    elif parameter_id == 127:
        if parameter_length == 20:
            if not d.ttest(tptr + 4, 20):
                d.nd_print_trunc()
                return 0
            d.p(f"\n\t\tToken Bucket Rate: {_g10(_f32(_float(d, tptr + 4) / 125000))} Mbps")
            d.p(f"\n\t\tToken Bucket Size: {_g10(_float(d, tptr + 8))} bytes")
            d.p(f"\n\t\tPeak Data Rate: {_g10(_f32(_float(d, tptr + 12) / 125000))} Mbps")
            d.p(f"\n\t\tMinimum Policed Unit: {d.u32(tptr + 16)} bytes")
            d.p(f"\n\t\tMaximum Packet Size: {d.u32(tptr + 20)} bytes")
    elif parameter_id == 130:
        if parameter_length == 8:
            if not d.ttest(tptr + 4, 8):
                d.nd_print_trunc()
                return 0
            d.p(f"\n\t\tRate: {_g10(_f32(_float(d, tptr + 4) / 125000))} Mbps")
            d.p(f"\n\t\tSlack Term: {d.u32(tptr + 8)}")
    elif parameter_id in (133, 134, 135, 136):
        if parameter_length == 4:
            d.p(f"\n\t\tValue: {d.u32(tptr + 4)}")
    elif d.opts.vflag <= 1:
        d.print_unknown_data(tptr + 4, "\n\t\t", parameter_length)
    return parameter_length + 4


def _tooshort(d: Dissector, indent: str, what: str = "object") -> None:
    d.p(f"{indent}ERROR: {what} is too short")
    raise _Stop()


def _invalid(d: Dissector) -> None:
    d.p(" (invalid)")
    raise _Stop()


def _ethertype(d: Dissector, off: int) -> str:
    return tok2str(names.ETHERTYPES, "Unknown Protocol (0x%04x)", d.u16(off))


def _object(d: Dissector, cls: int, ctype: int, t: int, tlen: int, ind: str) -> bool:
    """One object's contents (rsvp_obj_print()'s switch); True asks for its hex."""
    ip4, ip6 = d.ipaddr_string, d.ip6addr_string
    if cls == SESSION:
        if ctype == 1:
            if tlen < 8:
                _tooshort(d, ind)
            d.p(f"{ind}  IPv4 DestAddress: {ip4(t)}, Protocol ID: 0x{d.u8(t + 4):02x}")
            d.p(f"{ind}  Flags: [0x{d.u8(t + 5):02x}], DestPort {d.u16(t + 6)}")
        elif ctype == 2:
            if tlen < 20:
                _tooshort(d, ind)
            d.p(f"{ind}  IPv6 DestAddress: {ip6(t)}, Protocol ID: 0x{d.u8(t + 16):02x}")
            d.p(f"{ind}  Flags: [0x{d.u8(t + 17):02x}], DestPort {d.u16(t + 18)}")
        elif ctype == 8:
            if tlen < 36:
                _tooshort(d, ind)
            d.p(f"{ind}  IPv6 Tunnel EndPoint: {ip6(t)}, Tunnel ID: 0x{d.u16(t + 18):04x}, "
                f"Extended Tunnel ID: {ip6(t + 20)}")
        elif ctype == 14:
            if tlen < 26:
                _tooshort(d, ind)
            d.p(f"{ind}  IPv6 P2MP LSP ID: 0x{d.u32(t):08x}, Tunnel ID: 0x{d.u16(t + 6):04x}, "
                f"Extended Tunnel ID: {ip6(t + 8)}")
        elif ctype == 13:
            if tlen < 12:
                _tooshort(d, ind)
            d.p(f"{ind}  IPv4 P2MP LSP ID: {ip4(t)}, Tunnel ID: 0x{d.u16(t + 6):04x}, "
                f"Extended Tunnel ID: {ip4(t + 8)}")
        elif ctype in (7, 11):
            if tlen < 12:
                _tooshort(d, ind)
            d.p(f"{ind}  IPv4 Tunnel EndPoint: {ip4(t)}, Tunnel ID: 0x{d.u16(t + 6):04x}, "
                f"Extended Tunnel ID: {ip4(t + 8)}")
        else:
            return True
    elif cls in (CONFIRM, NOTIFY_REQ):
        what = "Receiver" if cls == CONFIRM else "Notify Node"
        if ctype == 1:
            if tlen < 4:
                _tooshort(d, ind)
            d.p(f"{ind}  IPv4 {what} Address: {ip4(t)}")
        elif ctype == 2:
            if tlen < 16:
                _tooshort(d, ind)
            d.p(f"{ind}  IPv6 {what} Address: {ip6(t)}")
        else:
            return True
    elif cls in (SUGGESTED_LABEL, UPSTREAM_LABEL, RECOVERY_LABEL, LABEL):
        if ctype == 1:
            while tlen >= 4:
                d.p(f"{ind}  Label: {d.u32(t)}")
                tlen, t = tlen - 4, t + 4
        elif ctype == 2:
            if tlen < 4:
                _tooshort(d, ind)
            d.p(f"{ind}  Generalized Label: {d.u32(t)}")
        elif ctype == 3:
            if tlen < 12:
                _tooshort(d, ind)
            d.p(f"{ind}  Waveband ID: {d.u32(t)}{ind}  Start Label: {d.u32(t + 4)}, "
                f"Stop Label: {d.u32(t + 8)}")
        else:
            return True
    elif cls == STYLE:
        if ctype == 1:
            if tlen < 4:
                _tooshort(d, ind)
            d.p(f"{ind}  Reservation Style: {tok2str(RESSTYLE_VALUES, 'Unknown', _u24(d, t + 1))}, "
                f"Flags: [0x{d.u8(t):02x}]")
        else:
            return True
    elif cls in (SENDER_TEMPLATE, FILTERSPEC):
        return _template(d, cls, ctype, t, tlen, ind)
    elif cls == LABEL_REQ:
        if ctype == 1:
            while tlen >= 4:
                d.p(f"{ind}  L3 Protocol ID: {_ethertype(d, t + 2)}")
                tlen, t = tlen - 4, t + 4
        elif ctype == 2:
            if tlen < 12:
                _tooshort(d, ind)
            d.p(f"{ind}  L3 Protocol ID: {_ethertype(d, t + 2)}")
            d.p(f",{'no' if d.u8(t + 4) & 0x80 else ''} merge capability")
            d.p(f"{ind}  Minimum VPI/VCI: {d.u16(t + 4) & 0xFFF}/{d.u16(t + 6) & 0xFFF}")
            d.p(f"{ind}  Maximum VPI/VCI: {d.u16(t + 8) & 0xFFF}/{d.u16(t + 10) & 0xFFF}")
        elif ctype == 3:
            if tlen < 12:
                _tooshort(d, ind)
            d.p(f"{ind}  L3 Protocol ID: {_ethertype(d, t + 2)}")
            bits = (d.u16(t + 4) >> 7) & 3
            d.p(f"{ind}  Minimum/Maximum DLCI: {d.u32(t + 4) & 0x7FFFFF}/"
                f"{d.u32(t + 8) & 0x7FFFFF}, {'10' if bits == 0 else ''}"
                f"{'23' if bits == 2 else ''} bit DLCI")
        elif ctype == 4:
            if tlen < 4:
                _tooshort(d, ind)
            from ipemu.tcpdump.isis import GMPLS_ENCODINGS, GMPLS_SWITCH_CAPS
            enc, sw, payload = d.u8(t), d.u8(t + 1), d.u16(t + 2)
            d.p(f"{ind}  LSP Encoding Type: {tok2str(GMPLS_ENCODINGS, 'Unknown', enc)} ({enc})")
            d.p(f"{ind}  Switching Type: {tok2str(GMPLS_SWITCH_CAPS, 'Unknown', sw)} ({sw}), "
                f"Payload ID: {tok2str(GMPLS_PAYLOADS, 'Unknown', payload)} (0x{payload:04x})")
        else:
            return True
    elif cls in (RRO, ERO):
        if ctype != 1:
            return True
        _xro(d, t, tlen, ind)
    elif cls == HELLO:
        if ctype not in (1, 2):
            return True
        if tlen < 8:
            _tooshort(d, ind)
        d.p(f"{ind}  Source Instance: 0x{d.u32(t):08x}, Destination Instance: "
            f"0x{d.u32(t + 4):08x}")
    elif cls == RESTART_CAPABILITY:
        if ctype != 1:
            return True
        if tlen < 8:
            _tooshort(d, ind)
        d.p(f"{ind}  Restart  Time: {d.u32(t)}ms, Recovery Time: {d.u32(t + 4)}ms")
    elif cls == CAPABILITY:
        if ctype != 1:
            return True
        if tlen < 4:
            _tooshort(d, ind)
        flags = d.u32(t)
        if flags & ~0x7 & 0xFFFFFFFF:
            d.p(f"{ind}  [reserved=0x{flags & ~0x7 & 0xFFFFFFFF:08x} must be zero]")
        d.p(f"{ind}  Flags: [{bittok2str(CAPABILITY_FLAGS, 'none', flags & 0x7)}]")
    elif cls == SESSION_ATTRIBUTE:
        if ctype != 7:
            return True
        if tlen < 4:
            _tooshort(d, ind)
        namelen = d.u8(t + 3)
        if tlen < 4 + namelen:
            _tooshort(d, ind)
        d.p(f"{ind}  Session Name: ")
        for i in range(namelen):
            d.p(fn_print_char(d.u8(t + 4 + i)))
        flags = d.u8(t + 2)
        d.p(f"{ind}  Setup Priority: {d.u8(t)}, Holding Priority: {d.u8(t + 1)}, Flags: "
            f"[{bittok2str(SESSION_ATTRIBUTE_FLAGS, 'none', flags)}] ({flags:#x})"
            if flags else
            f"{ind}  Setup Priority: {d.u8(t)}, Holding Priority: {d.u8(t + 1)}, Flags: "
            f"[{bittok2str(SESSION_ATTRIBUTE_FLAGS, 'none', flags)}] (0)")
    elif cls == GENERALIZED_UNI:
        if ctype != 1:
            return True
        return _generalized_uni(d, t, tlen, ind)
    elif cls == RSVP_HOP:
        if ctype in (3, 1):
            if tlen < 8:
                _tooshort(d, ind)
            d.p(f"{ind}  Previous/Next Interface: {ip4(t)}, Logical Interface Handle: "
                f"0x{d.u32(t + 4):08x}")
            return tlen - 8 != 0
        if ctype in (4, 2):
            if tlen < 20:
                _tooshort(d, ind)
            d.p(f"{ind}  Previous/Next Interface: {ip6(t)}, Logical Interface Handle: "
                f"0x{d.u32(t + 16):08x}")
        return True
    elif cls == TIME_VALUES:
        if ctype != 1:
            return True
        if tlen < 4:
            _tooshort(d, ind)
        d.p(f"{ind}  Refresh Period: {d.u32(t)}ms")
    elif cls in (SENDER_TSPEC, ADSPEC, FLOWSPEC):
        if ctype != 2:
            return True
        _intserv_specs(d, t, tlen, ind)
    elif cls == FASTREROUTE:
        if ctype == 1:
            if tlen < 20:
                _tooshort(d, ind)
        elif ctype == 7:
            if tlen < 16:
                _tooshort(d, ind)
        else:
            return True
        bw = _f32(_f32(_float(d, t + 4) * 8) / 1000000)
        d.p(f"{ind}  Setup Priority: {d.data[t]}, Holding Priority: {d.data[t + 1]}, "
            f"Hop-limit: {d.data[t + 2]}, Bandwidth: {_g10(bw)} Mbps")
        if ctype == 1:
            d.p(f"{ind}  Include-any: 0x{d.u32(t + 8):08x}, Exclude-any: 0x{d.u32(t + 12):08x}, "
                f"Include-all: 0x{d.u32(t + 16):08x}")
        else:
            d.p(f"{ind}  Include Colors: 0x{d.u32(t + 8):08x}, Exclude Colors: "
                f"0x{d.u32(t + 12):08x}")
    elif cls == DETOUR:
        if ctype != 7:
            return True
        while tlen >= 8:
            d.p(f"{ind}  PLR-ID: {ip4(t)}, Avoid-Node-ID: {ip4(t + 4)}")
            tlen, t = tlen - 8, t + 8
    elif cls in (CLASSTYPE, CLASSTYPE_OLD):
        if ctype != 1:
            return True
        if tlen < 4:
            _tooshort(d, ind)
        d.p(f"{ind}  CT: {d.u32(t) & 0x7}")
    elif cls == ERROR_SPEC:
        return _error_spec(d, ctype, t, tlen, ind)
    elif cls == PROPERTIES:
        if ctype != 1:
            return True
        if tlen < 4:
            _tooshort(d, ind)
        padbytes = d.u16(t + 2)
        d.p(f"{ind}  TLV count: {d.u16(t)}, padding bytes: {padbytes}")
        tlen, t = tlen - 4, t + 4
        while tlen >= 2 + padbytes:
            kind, size = d.u8(t), d.u8(t + 1)
            d.p(f"{ind}    {tok2str(PROP_TLV_VALUES, 'unknown', kind)} TLV (0x{kind:02x}), "
                f"length: {size}")
            if tlen < size:
                _tooshort(d, ind)
            if size < 2:
                d.p(f"{ind}ERROR: property TLV is too short")
                raise _Stop()
            d.print_unknown_data(t + 2, "\n\t\t", size - 2)
            tlen, t = tlen - size, t + size
    elif cls in (MESSAGE_ID, MESSAGE_ID_ACK, MESSAGE_ID_LIST):
        if ctype not in (1, 2):
            return True
        if tlen < 4:
            _tooshort(d, ind)
        d.p(f"{ind}  Flags [0x{d.u8(t):02x}], epoch: {_u24(d, t + 1)}")
        tlen, t = tlen - 4, t + 4
        while tlen >= 4:
            d.p(f"{ind}    Message-ID 0x{d.u32(t):08x} ({d.u32(t)})")
            tlen, t = tlen - 4, t + 4
    elif cls == INTEGRITY:
        if ctype != 1:
            return True
        if tlen < 32:
            _tooshort(d, ind)
        d.p(f"{ind}  Key-ID 0x{d.u16(t + 2):04x}{d.u32(t + 4):08x}, Sequence "
            f"0x{d.u32(t + 8):08x}{d.u32(t + 12):08x}, Flags "
            f"[{bittok2str(INTEGRITY_FLAGS, 'none', d.data[t])}]")
        d.p(f"{ind}  MD5-sum 0x{d.u32(t + 16):08x}{d.u32(t + 20):08x}{d.u32(t + 24):08x}"
            f"{d.u32(t + 28):08x} ")
        d.p(" (unchecked)")         # signature_verify() without -M: CANT_CHECK_SIGNATURE
    elif cls == ADMIN_STATUS:
        if ctype != 1:
            return True
        if tlen < 4:
            _tooshort(d, ind)
        d.p(f"{ind}  Flags [{bittok2str(ADMIN_STATUS_FLAGS, 'none', d.u32(t))}]")
    elif cls == LABEL_SET:
        if ctype != 1:
            return True
        if tlen < 4:
            _tooshort(d, ind)
        action = d.u16(t) >> 8
        d.p(f"{ind}  Action: {tok2str(LABEL_SET_ACTIONS, 'Unknown', action)} ({action}), "
            f"Label type: {d.u32(t) & 0x7F}")
        if action in (2, 3):
            if tlen < 12:
                _tooshort(d, ind)
            d.p(f"{ind}  Start range: {d.u32(t + 4)}, End range: {d.u32(t + 8)}")
        else:
            tlen, t = tlen - 4, t + 4
            subchannel = 1
            while tlen >= 4:
                d.p(f"{ind}  Subchannel #{subchannel}: {d.u32(t)}")
                tlen, t, subchannel = tlen - 4, t + 4, subchannel + 1
    elif cls == S2L:
        if ctype == 1:
            if tlen < 4:
                _tooshort(d, ind)
            d.p(f"{ind}  Sub-LSP destination address: {ip4(t)}")
        elif ctype == 2:
            if tlen < 16:
                _tooshort(d, ind)
            d.p(f"{ind}  Sub-LSP destination address: {ip6(t)}")
        else:
            return True
    else:
        # SCOPE, POLICY_DATA, ACCEPT_LABEL_SET, PROTECTION and the unknown ones
        if d.opts.vflag <= 1:
            d.print_unknown_data(t, "\n\t    ", tlen)
    return False


def _template(d: Dissector, cls: int, ctype: int, t: int, tlen: int, ind: str) -> bool:
    """SENDER_TEMPLATE and FILTERSPEC (the latter's IPv6 flow label and its Tunnel IPv6
    case reading an IPv4 address, as tcpdump has it)."""
    ip4, ip6 = d.ipaddr_string, d.ip6addr_string
    if ctype == 1:
        if tlen < 8:
            _tooshort(d, ind)
        d.p(f"{ind}  Source Address: {ip4(t)}, Source Port: {d.u16(t + 6)}")
    elif ctype == 2:
        if tlen < 20:
            _tooshort(d, ind)
        d.p(f"{ind}  Source Address: {ip6(t)}, Source Port: {d.u16(t + 18)}")
    elif ctype == 3 and cls == FILTERSPEC:
        if tlen < 20:
            _tooshort(d, ind)
        d.p(f"{ind}  Source Address: {ip6(t)}, Flow Label: {_u24(d, t + 17)}")
    elif ctype == 8 and cls == FILTERSPEC:
        if tlen < 20:
            _tooshort(d, ind)
        d.p(f"{ind}  Source Address: {ip4(t)}, LSP-ID: 0x{d.u16(t + 18):04x}")
    elif ctype == 13:
        if tlen < 40:
            _tooshort(d, ind)
        d.p(f"{ind}  IPv6 Tunnel Sender Address: {ip6(t)}, LSP ID: 0x{d.u16(t + 18):04x}"
            f"{ind}  Sub-Group Originator ID: {ip6(t + 20)}, Sub-Group ID: 0x{d.u16(t + 38):04x}")
    elif ctype == 7:
        if tlen < 8:
            _tooshort(d, ind)
        if cls == SENDER_TEMPLATE:
            d.p(f"{ind}  IPv4 Tunnel Sender Address: {ip4(t)}, LSP-ID: 0x{d.u16(t + 6):04x}")
        else:
            d.p(f"{ind}  Source Address: {ip4(t)}, LSP-ID: 0x{d.u16(t + 6):04x}")
    elif ctype == 12:
        if tlen < 16:
            _tooshort(d, ind)
        d.p(f"{ind}  IPv4 Tunnel Sender Address: {ip4(t)}, LSP ID: 0x{d.u16(t + 6):04x}"
            f"{ind}  Sub-Group Originator ID: {ip4(t + 8)}, Sub-Group ID: 0x{d.u16(t + 12):04x}")
    else:
        return True
    return False


def _xro(d: Dissector, t: int, tlen: int, ind: str) -> None:
    """ERO and RRO subobjects (IPv4 prefixes and labels)."""
    while tlen >= 4:
        if not d.ttest(t, 4):
            d.nd_print_trunc()
            raise _Stop()
        length = d.u8(t + 1)
        kind = d.u8(t) & 0x7F
        d.p(f"{ind}  Subobject Type: {tok2str(XRO_VALUES, 'Unknown %u', kind)}, "
            f"length {length}")
        if tlen < length:
            d.p(f"{ind}  ERROR: ERO subobject length > object length")
            break
        if length == 0:
            d.p(f"{ind}  ERROR: zero length ERO subtype")
            break
        if kind == 1:
            if length != 8:
                d.p(" ERROR: length != 8")
                _invalid(d)
            if not d.ttest(t, 8):
                d.nd_print_trunc()
                raise _Stop()
            prefix_length = d.u8(t + 6)
            if prefix_length != 32:
                d.p(f" ERROR: Prefix length {prefix_length} != 32")
                _invalid(d)
            d.p(f", {'Loose' if d.u8(t) & 0x80 else 'Strict'}, {d.ipaddr_string(t + 2)}/"
                f"{prefix_length}, Flags: [{bittok2str(RRO_FLAGS, 'none', d.u8(t + 7))}]")
        elif kind == 3:
            if length != 8:
                d.p(" ERROR: length != 8")
                _invalid(d)
            if not d.ttest(t, 8):
                d.nd_print_trunc()
                raise _Stop()
            flags, ct = d.u8(t + 2), d.u8(t + 3)
            flags_text = f"{flags:#x}" if flags else "0"
            d.p(f", Flags: [{bittok2str(RRO_LABEL_FLAGS, 'none', flags)}] ({flags_text}), "
                f"Class-Type: {tok2str(CTYPE_VALUES, 'Unknown', ct + 256 * RRO)} ({ct}), "
                f"{d.u32(t + 4)}")
        tlen, t = tlen - length, t + length


def _generalized_uni(d: Dissector, t: int, tlen: int, ind: str) -> bool:
    from ipemu.tcpdump.bgp import AF_VALUES
    if tlen < 4:
        _tooshort(d, ind)
    hexdump = False
    total = tlen
    while total > 0:
        if total < 4:
            _invalid(d)
        sub_len = d.u16(t)
        sub_type = d.u16(t + 2) >> 8
        af = d.u16(t + 2) & 0xFF
        d.p(f"{ind}  Subobject Type: {tok2str(GENERALIZED_UNI_VALUES, 'Unknown', sub_type)} "
            f"({sub_type}), AF: {tok2str(AF_VALUES, 'Unknown', af)} ({af}), length: {sub_len}")
        if sub_len < 4 or sub_len > total or tlen < sub_len:
            _invalid(d)
        if sub_type in (1, 2):
            if af == 1:
                if sub_len < 8:
                    _tooshort(d, ind, "sub-object")
                d.p(f"{ind}    UNI IPv4 TNA address: {d.ipaddr_string(t + 4)}")
            elif af == 2:
                if sub_len < 20:
                    _tooshort(d, ind, "sub-object")
                d.p(f"{ind}    UNI IPv6 TNA address: {d.ip6addr_string(t + 4)}")
            elif af == 3:
                hexdump = True
        elif sub_type == 3:
            if sub_len > 4:
                hexdump = True
        elif sub_type == 4:
            if sub_len < 16:
                _tooshort(d, ind, "sub-object")
            word = d.u32(t + 4)
            d.p(f"{ind}    U-bit: {word >> 31:x}, Label type: {word & 0xFF}, Logical port id: "
                f"{d.u32(t + 8)}, Label: {d.u32(t + 12)}")
        elif sub_type == 5:
            if sub_len < 8:
                _tooshort(d, ind, "sub-object")
            d.p(f"{ind}    Service level: {d.u32(t + 4) >> 24}")
        else:
            hexdump = True
        total -= sub_len
        t += sub_len
        tlen += sub_len             # tcpdump adds (its obj_tlen+=subobj_len)
    return hexdump


def _intserv_specs(d: Dissector, t: int, tlen: int, ind: str) -> None:
    if tlen < 4:
        _tooshort(d, ind)
    d.p(f"{ind}  Msg-Version: {(d.u8(t) & 0xF0) >> 4}, length: {d.u16(t + 2) << 2}")
    t, tlen = t + 4, tlen - 4
    while tlen >= 4:
        serv_tlen = d.u16(t + 2) << 2
        kind = d.u8(t)
        d.p(f"{ind}  Service Type: {tok2str(INTSERV_SERVICE_TYPES, 'unknown', kind)} ({kind}), "
            f"break bit {'' if d.u8(t + 1) & 0x80 else 'not '}set, Service length: {serv_tlen}")
        t, tlen = t + 4, tlen - 4
        while serv_tlen >= 4:
            processed = rsvp_intserv_print(d, t, tlen)
            if processed == 0:
                break
            tlen -= processed
            serv_tlen = (serv_tlen - processed) & 0xFFFFFFFF
            t += processed


def _error_spec(d: Dissector, ctype: int, t: int, tlen: int, ind: str) -> bool:
    if ctype in (3, 1):
        if tlen < 8:
            _tooshort(d, ind)
        code, value = d.u8(t + 5), d.u16(t + 6)
        d.p(f"{ind}  Error Node Address: {d.ipaddr_string(t)}, Flags: [0x{d.u8(t + 4):02x}]"
            f"{ind}  Error Code: {tok2str(ERROR_CODES, 'unknown', code)} ({code})")
        if code == 24:
            d.p(f", Error Value: {tok2str(ERROR_CODES_ROUTING, 'unknown', value)} ({value})")
        elif code in (28, 125):
            d.p(f", Error Value: {tok2str(ERROR_CODES_DIFFSERV_TE, 'unknown', value)} ({value})")
        else:
            d.p(f", Unknown Error Value ({value})")
        return False
    if ctype in (4, 2):
        if tlen < 20:
            _tooshort(d, ind)
        code, value = d.u8(t + 17), d.u16(t + 18)
        d.p(f"{ind}  Error Node Address: {d.ip6addr_string(t)}, Flags: [0x{d.u8(t + 16):02x}]"
            f"{ind}  Error Code: {tok2str(ERROR_CODES, 'unknown', code)} ({code})")
        if code == 24:
            d.p(f", Error Value: {tok2str(ERROR_CODES_ROUTING, 'unknown', value)} ({value})")
        return False
    return True


def rsvp_obj_print(d: Dissector, tptr: int, indent: str, tlen: int) -> int:
    """The objects of one message; -1 when an error ended them."""
    try:
        while tlen >= 4:
            if not d.ttest(tptr, 4):
                d.nd_print_trunc()
                return -1
            obj_len = d.u16(tptr)
            ctype = d.u8(tptr + 3)
            if obj_len % 4:
                d.p(f"{indent}ERROR: object header size {obj_len} not a multiple of 4")
                return -1
            if obj_len < 4:
                d.p(f"{indent}ERROR: object header too short {obj_len} < 4")
                return -1
            cls = d.u8(tptr + 2)
            action = (("ignore and forward" if cls & 0x40 else "ignore silently")
                      if cls & 0x80 else "reject")
            d.p(f"{indent}{tok2str(OBJ_VALUES, 'Unknown', cls)} Object ({cls}) Flags: [{action}")
            d.p(f" if unknown], Class-Type: {tok2str(CTYPE_VALUES, 'Unknown', (cls << 8) + ctype)} "
                f"({ctype}), length: {obj_len}")
            if tlen < obj_len:
                d.p(f"{indent}ERROR: object goes past end of objects TLV")
                return -1
            if not d.ttest(tptr, obj_len):
                d.nd_print_trunc()
                return -1
            hexdump = _object(d, cls, ctype, tptr + 4, obj_len - 4, indent)
            if d.opts.vflag > 1 or hexdump:
                d.print_unknown_data(tptr + 4, "\n\t    ", obj_len - 4)
            tptr += obj_len
            tlen -= obj_len
    except _Stop:
        return -1
    return 0


def _header_line(d: Dissector, p: int, indent: str) -> int:
    version_flags = d.u8(p)
    msg_type = d.u8(p + 1)
    length = d.u16(p + 6)
    d.p(f"{indent}RSVPv{version_flags >> 4} "
        f"{tok2str(RSVP_MSG_TYPES, 'unknown, type: %u', msg_type)} Message ({msg_type}), "
        f"Flags: [{bittok2str(HEADER_FLAGS, 'none', version_flags & 0x0F)}], length: {length}, "
        f"ttl: {d.u8(p + 4)}, checksum: 0x{d.u16(p + 2):04x}")
    return length


def rsvp_print(d: Dissector, pptr: int, length: int) -> None:
    d.protocol = "rsvp"
    if not d.ttest(pptr, 8):
        d.nd_print_trunc()
        return
    version = d.u8(pptr) >> 4
    if version != 1:
        d.p(f"ERROR: RSVP version {version} packet not supported")
        return
    msg_type = d.u8(pptr + 1)
    if d.opts.vflag < 1:
        d.p(f"RSVPv{version} {tok2str(RSVP_MSG_TYPES, 'unknown (%u)', msg_type)} Message, "
            f"length: {length}")
        return
    tlen = _header_line(d, pptr, "\n\t")
    if tlen < 8:
        d.p(f"ERROR: common header too short {tlen} < 8")
        return
    tptr = pptr + 8
    tlen -= 8
    if msg_type == 12:
        while tlen > 0:
            sub = tptr
            if not d.ttest(sub, 8):
                d.nd_print_trunc()
                return
            version = d.u8(sub) >> 4
            if version != 1:
                d.p(f"ERROR: RSVP version {version} packet not supported")
                return
            subtlen = _header_line(d, sub, "\n\t  ")
            if subtlen < 8:
                d.p(f"ERROR: common header too short {subtlen} < 8")
                return
            if tlen < subtlen:
                d.p(f"ERROR: common header too large {subtlen} > {tlen}")
                return
            if rsvp_obj_print(d, sub + 8, "\n\t    ", subtlen - 8) == -1:
                return
            tptr += subtlen
            tlen = (tlen - subtlen) & 0xFFFF
    elif msg_type in (1, 2, 3, 4, 5, 6, 7, 14, 20, 13, 15):
        rsvp_obj_print(d, tptr, "\n\t  ", tlen)
    else:
        d.print_unknown_data(tptr, "\n\t    ", tlen)
