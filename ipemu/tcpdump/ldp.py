"""LDP as tcpdump 4.99.3 prints it (print-ldp.c ldp_print(), ldp_pdu_print(),
ldp_tlv_print()): the PDU header line, and under -v each message and its TLVs (hello
parameters, transport addresses, address lists, session parameters, FECs with prefixes
and Martini pseudowires, labels, status, fault tolerance, MTU)."""
from __future__ import annotations

from ipemu.tcpdump.bgp import AF_VALUES, decode_prefix
from ipemu.tcpdump.dissect import Dissector, Truncated, bittok2str
from ipemu.tcpdump.util import fn_print_char, print_invalid

MSGS = {0x0001: "Notification", 0x0100: "Hello", 0x0200: "Initialization",
        0x0201: "Keepalive", 0x0300: "Address", 0x0301: "Address Withdraw",
        0x0400: "Label Mapping", 0x0401: "Label Request", 0x0402: "Label Withdraw",
        0x0403: "Label Release", 0x0404: "Label Abort Request"}
# the messages ldp_pdu_print() walks the TLVs of
TLV_MSGS = {0x0001, 0x0100, 0x0200, 0x0201, 0x0300, 0x0400, 0x0301, 0x0402}
TLVS = {0x0100: "FEC", 0x0101: "Address List", 0x0103: "Hop Count", 0x0104: "Path Vector",
        0x0200: "Generic Label", 0x0201: "ATM Label", 0x0202: "Frame-Relay Label",
        0x0300: "Status", 0x0301: "Extended Status", 0x0302: "Returned PDU",
        0x0303: "Returned Message", 0x0400: "Common Hello Parameters",
        0x0401: "IPv4 Transport Address", 0x0402: "Configuration Sequence Number",
        0x0403: "IPv6 Transport Address", 0x0500: "Common Session Parameters",
        0x0501: "ATM Session Parameters", 0x0502: "Frame-Relay Session Parameters",
        0x0503: "Fault-Tolerant Session Parameters", 0x0600: "Label Request Message ID",
        0x0601: "MTU"}
FECS = {0x01: "Wildcard", 0x02: "Prefix", 0x03: "Host address", 0x80: "Martini VC"}
IFPARMS = {0x01: "MTU", 0x03: "Description", 0x0c: "VCCV"}
VCCV_CC = [(0x01, "PWE3 control word"), (0x02, "MPLS Router Alert Label"),
           (0x04, "MPLS inner label TTL = 1")]
VCCV_CV = [(0x01, "ICMP Ping"), (0x02, "LSP Ping"), (0x04, "BFD")]
# l2vpn.c mpls_pw_types_values[]
PW_TYPES = {
    0x0000: "Reserved", 0x0001: "Frame Relay DLCI (Martini Mode)",
    0x0002: "ATM AAL5 SDU VCC transport", 0x0003: "ATM transparent cell transport",
    0x0004: "Ethernet VLAN", 0x0005: "Ethernet", 0x0006: "Cisco-HDLC", 0x0007: "PPP",
    0x0008: "SONET/SDH Circuit Emulation Service over MPLS",
    0x0009: "ATM n-to-one VCC cell transport", 0x000a: "ATM n-to-one VPC cell transport",
    0x000b: "IP Layer2 Transport", 0x000c: "ATM one-to-one VCC Cell Mode",
    0x000d: "ATM one-to-one VPC Cell Mode", 0x000e: "ATM AAL5 PDU VCC transport",
    0x000f: "Frame-Relay Port mode", 0x0010: "SONET/SDH Circuit Emulation over Packet",
    0x0011: "Structure-agnostic E1 over Packet",
    0x0012: "Structure-agnostic T1 (DS1) over Packet",
    0x0013: "Structure-agnostic E3 over Packet",
    0x0014: "Structure-agnostic T3 (DS3) over Packet", 0x0015: "CESoPSN basic mode",
    0x0016: "TDMoIP basic mode", 0x0017: "CESoPSN TDM with CAS",
    0x0018: "TDMoIP TDM with CAS", 0x0019: "Frame Relay DLCI", 0x0040: "IP-interworking"}


def ldp_print(d: Dissector, bp: int, length: int) -> None:
    """ldp_print(): PDUs while more than a common and a message header are left."""
    d.protocol = "ldp"
    while length > 10 + 8:
        processed = _pdu(d, bp)
        if processed == 0:
            return
        if length < processed:
            d.p(f" [remaining length {length} < {processed}]")
            print_invalid(d)
            break
        length -= processed
        bp += processed


def _pdu(d: Dissector, bp: int) -> int:
    """ldp_pdu_print(): the bytes of the PDU, 0 to stop."""
    sep = "\n\t" if d.opts.vflag else ""
    if not d.ttest(bp, 10):
        d.nd_print_trunc()
        return 0
    version = d.u16(bp)
    if version != 1:
        d.p(f"{sep}LDP version {version} packet not supported")
        return 0
    pdu_len = d.u16(bp + 2)
    if pdu_len < 6:
        d.p(f"{sep}LDP, pdu-length: {pdu_len} (too short, < 6)")
        return 0
    d.p(f"{sep}LDP, Label-Space-ID: {d.ipaddr_string(bp + 4)}:{d.u16(bp + 8)}, "
        f"pdu-length: {pdu_len}")
    if not d.opts.vflag:
        return 0
    tptr, tlen = bp + 10, pdu_len - 6
    while tlen > 0:
        d.need(tptr, 8)              # ND_TCHECK_LEN -> nd_trunc_longjmp()
        msg_len = d.u16(tptr + 2)
        raw_type = d.u16(tptr)
        msg_type = raw_type & 0x7FFF
        name = MSGS.get(msg_type, "Unknown")
        if msg_len < 4:
            d.p(f"\n\t  {name} Message (0x{msg_type:04x}), length: {msg_len} "
                "(too short, < 4)")
            return 0
        d.p(f"\n\t  {name} Message (0x{msg_type:04x}), length: {msg_len}, Message ID: "
            f"0x{d.u32(tptr + 4):08x}, Flags: "
            f"[{'continue processing' if raw_type & 0x8000 else 'ignore'} if unknown]")
        msg_tptr, msg_tlen = tptr + 8, msg_len - 4
        d.need(tptr, msg_len)
        if msg_type in TLV_MSGS:
            while msg_tlen >= 4:
                processed = _tlv(d, msg_tptr, msg_tlen)
                if processed == 0:
                    break
                msg_tlen -= processed
                msg_tptr += processed
        elif d.opts.vflag <= 1:
            d.print_unknown_data(msg_tptr, "\n\t  ", msg_tlen)
        if d.opts.vflag > 1:
            d.print_unknown_data(tptr + 8, "\n\t  ", msg_len)
        tptr += msg_len + 4
        tlen -= msg_len + 4
    return pdu_len + 4


class _Invalid(Exception):
    """TLV_TCHECK()'s `goto invalid`."""


def _tlv(d: Dissector, tptr: int, msg_tlen: int) -> int:
    """ldp_tlv_print(): one TLV; the bytes it took, 0 when it goes past the message."""
    d.need(tptr, 4)
    tlv_len = d.u16(tptr + 2)
    if tlv_len + 4 > msg_tlen:
        d.p("\n\t\t TLV contents go past end of message")
        return 0
    raw = d.u16(tptr)
    kind = raw & 0x3FFF
    d.p(f"\n\t    {TLVS.get(kind, 'Unknown')} TLV (0x{kind:04x}), length: {tlv_len}, Flags: "
        f"[{'continue processing' if raw & 0x8000 else 'ignore'} and "
        f"{'do' if raw & 0x4000 else 'don' + chr(39) + 't'} forward if unknown]")
    try:
        _tlv_body(d, kind, tptr + 4, tlv_len)
    except _Invalid:
        pass
    return tlv_len + 4


def _check(d: Dissector, tlen: int, minlen: int) -> None:
    if tlen < minlen:
        d.p(f" [tlv length {tlen} < {minlen}]")
        print_invalid(d)
        raise _Invalid()


def _tlv_body(d: Dissector, kind: int, t: int, tlen: int) -> None:
    if kind == 0x0400:
        _check(d, tlen, 4)
        flags = d.u16(t + 2)
        d.p(f"\n\t      Hold Time: {d.u16(t)}s, Flags: "
            f"[{'Targeted' if flags & 0x8000 else 'Link'} Hello"
            f"{', Request for targeted Hellos' if flags & 0x4000 else ''}]")
    elif kind == 0x0401:
        _check(d, tlen, 4)
        d.p(f"\n\t      IPv4 Transport Address: {d.ipaddr_string(t)}")
    elif kind == 0x0403:
        _check(d, tlen, 16)
        d.p(f"\n\t      IPv6 Transport Address: {d.ip6addr_string(t)}")
    elif kind == 0x0402:
        _check(d, tlen, 4)
        d.p(f"\n\t      Sequence Number: {d.u32(t)}")
    elif kind == 0x0101:
        _check(d, tlen, 2)
        af = d.u16(t)
        t, tlen = t + 2, tlen - 2
        d.p(f"\n\t      Address Family: {AF_VALUES.get(af, f'Unknown ({af})')}, addresses")
        size = {1: 4, 2: 16}.get(af)
        while size and tlen >= size:
            d.p(" " + (d.ipaddr_string(t) if size == 4 else d.ip6addr_string(t)))
            tlen -= size
            t += size
    elif kind == 0x0500:
        _check(d, tlen, 8)
        flags = d.u16(t + 6)
        d.p(f"\n\t      Version: {d.u16(t)}, Keepalive: {d.u16(t + 2)}s, Flags: [Downstream "
            f"{'On Demand' if flags & 0x8000 else 'Unsolicited'}, Loop Detection "
            f"{'Enabled' if flags & 0x4000 else 'Disabled'}]")
    elif kind == 0x0100:
        _fec(d, t, tlen)
    elif kind == 0x0200:
        _check(d, tlen, 4)
        d.p(f"\n\t      Label: {d.u32(t) & 0xFFFFF}")
    elif kind == 0x0300:
        _check(d, tlen, 8)
        ui = d.u32(t)
        d.p(f"\n\t      Status: 0x{ui & 0x3FFFFFFF:02x}, Flags: "
            f"[{'Fatal error' if ui & 0x80000000 else 'Advisory Notification'} and "
            f"{'do' if ui & 0x40000000 else 'don' + chr(39) + 't'} forward]")
        if d.u32(t + 4):
            d.p(f", causing Message ID: 0x{d.u32(t + 4):08x}")
    elif kind == 0x0503:
        _check(d, tlen, 12)
        ft = d.u16(t)
        d.p(f"\n\t      Flags: [{'' if ft & 0x8000 else 'No '}Reconnect, "
            f"{'' if ft & 0x8 else 'Don' + chr(39) + 't '}Save State, "
            f"{'' if ft & 0x4 else 'No '}All-Label Protection, "
            f"{'Sequence Numbered Label' if ft & 0x2 else 'All Labels'} Checkpoint, "
            f"{'' if ft & 0x1 else 'Don' + chr(39) + 't '}Re-Learn State]")
        if d.u32(t + 4):
            d.p(f", Reconnect Timeout: {d.u32(t + 4)}ms")
        if d.u32(t + 8):
            d.p(f", Recovery Time: {d.u32(t + 8)}ms")
    elif kind == 0x0601:
        _check(d, tlen, 2)
        d.p(f"\n\t      MTU: {d.u16(t)}")
    elif d.opts.vflag <= 1:
        d.print_unknown_data(t, "\n\t      ", tlen)


def _fec(d: Dissector, t: int, tlen: int) -> None:
    _check(d, tlen, 1)
    fec = d.u8(t)
    d.p(f"\n\t      {FECS.get(fec, 'Unknown')} FEC (0x{fec:02x})")
    t, tlen = t + 1, tlen - 1
    if fec == 0x02:
        _check(d, tlen, 2)
        af = d.u16(t)
        t, tlen = t + 2, tlen - 2
        if af in (1, 2):
            used, text = decode_prefix(d, t, tlen, af == 2)
            if used == -2:
                raise Truncated()        # goto trunc: nd_trunc_longjmp()
            name = "IPv4" if af == 1 else "IPv6"
            d.p(f": {name} prefix (invalid length)" if used == -1 else f": {name} prefix {text}")
        else:
            d.p(f": Address family {af} prefix")
    elif fec == 0x80:
        _check(d, tlen, 7)
        info_len = d.u8(t + 2)
        pw = d.u16(t)
        head = (f": {PW_TYPES.get(pw & 0x7FFF, 'Unknown')}, "
                f"{'' if pw & 0x8000 else 'no '}control word, group-ID {d.u32(t + 3)}")
        if info_len == 0:
            d.p(f"{head}, VC-info-length: {info_len}")
            return
        _check(d, tlen, 11)
        d.p(f"{head}, VC-ID {d.u32(t + 7)}, VC-info-length: {info_len}")
        if info_len < 4:
            d.p(" (invalid, < 4")
            return
        info_len -= 4
        t, tlen = t + 11, tlen - 11
        _check(d, tlen, info_len)
        while info_len > 2:
            ptype, plen = d.u8(t), d.u8(t + 1)
            if plen < 2 or info_len < plen:
                break
            d.p(f"\n\t\tInterface Parameter: {IFPARMS.get(ptype, 'Unknown')} "
                f"(0x{ptype:02x}), len {plen}")
            if ptype == 0x01:
                d.p(f": {d.u16(t + 2)}")
            elif ptype == 0x03:
                d.p(": " + "".join(fn_print_char(d.u8(t + i)) for i in range(2, plen)))
            elif ptype == 0x0c:
                cc, cv = d.u8(t + 2), d.u8(t + 3)
                d.p(f"\n\t\t  Control Channels (0x{cc:02x}) = "
                    f"[{bittok2str(VCCV_CC, 'none', cc)}]")
                d.p(f"\n\t\t  CV Types (0x{cv:02x}) = [{bittok2str(VCCV_CV, 'none', cv)}]")
            else:
                d.print_unknown_data(t + 2, "\n\t\t  ", plen - 2)
            info_len -= plen
            t += plen
