"""SCTP as tcpdump 4.99.3 prints it (print-sctp.c sctp_print()): the addresses and
ports, then each chunk by its number and type, with DATA, INIT, INIT ACK and SACK
decoded; under -vv a chunk a line and a DATA chunk's payload (M3UA through
print-m3ua.c m3ua_print(), any other as hex and ASCII)."""
from __future__ import annotations

from ipemu.tcpdump.dissect import tok2str

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

SCTP_CHUNKID_STR = {0x00: "DATA", 0x01: "INIT", 0x02: "INIT ACK", 0x03: "SACK",
                    0x04: "HB REQ", 0x05: "HB ACK", 0x06: "ABORT", 0x07: "SHUTDOWN",
                    0x08: "SHUTDOWN ACK", 0x09: "OP ERR", 0x0a: "COOKIE ECHO",
                    0x0b: "COOKIE ACK", 0x0c: "ECN ECHO", 0x0d: "ECN CWR",
                    0x0e: "SHUTDOWN COMPLETE", 0xc0: "FOR CUM TSN", 0xc1: "REL CTRL",
                    0xc2: "REL CTRL ACK"}
PAYLOAD_PROTO_IDENTS = {1: "ISDN Q.921", 2: "M2UA", 3: "M3UA", 4: "SUA", 5: "M2PA",
                        6: "V5.2", 7: "H.248", 8: "BICC", 9: "TALI", 10: "DUA", 11: "ASAP",
                        12: "ENRP", 13: "H.323", 14: "Q.IPC", 15: "SIMCO", 16: "DDPSC",
                        17: "DDPSSC", 18: "S1AP", 19: "RUA", 20: "HNBAP", 21: "ForCES HP",
                        22: "ForCES MP", 23: "ForCES LP", 24: "SBc-AP", 25: "NBAP",
                        27: "X2AP"}
FORCES_CHANNELS = {6704: "ForCES HP", 6705: "ForCES MP", 6706: "ForCES LP"}
DATA_UNORDERED, DATA_FIRST_FRAG, DATA_LAST_FRAG = 0x04, 0x02, 0x01


def sctp_print(d: Dissector, bp: int, iph: int, length: int) -> None:
    """sctp_print(): bp the SCTP header, iph the IP header, length the IP payload's."""
    d.protocol = "sctp"
    if length < 12:
        d.p(f"truncated-sctp - {12 - length} bytes missing!")
        return
    if not d.ttest(bp, 12):             # ND_TCHECK_SIZE(): sctp_print()'s trunc label
        d.nd_print_trunc()
        return
    sport, dport = d.u16(bp), d.u16(bp + 2)
    if d.u8(iph) >> 4 == 6:
        src, dst = d.ip6addr_string(iph + 8), d.ip6addr_string(iph + 24)
    else:
        src, dst = d.ipaddr_string(iph + 12), d.ipaddr_string(iph + 16)
    d.p(f"{src}.{sport} > {dst}.{dport}: sctp")
    isforces = False
    for port in (sport, dport):
        if port in FORCES_CHANNELS:
            d.p(f"[{FORCES_CHANNELS[port]}]")
            isforces = True
    bp += 12
    remaining = length - 12
    sep = "\n\t" if d.opts.vflag >= 2 else " ("
    count = 0
    while remaining != 0:
        if remaining < 4:
            d.p(f"{sep}{count + 1}) [chunk descriptor cut off at end of packet]")
            return
        if not d.ttest(bp, 4):
            d.nd_print_trunc()
            return
        chunk_len = d.u16(bp + 2)
        if chunk_len < 4:
            d.p(f"{sep}{count + 1}) [Bad chunk length {chunk_len}, < size of chunk descriptor]")
            return
        left = chunk_len
        align = (4 - chunk_len % 4) % 4
        if remaining < align:
            d.p(f"{sep}{count + 1}) [Bad chunk length {chunk_len}, > remaining data in packet]")
            return
        if not d.ttest(bp, chunk_len):
            d.nd_print_trunc()
            return
        chunk_id, flags = d.u8(bp), d.u8(bp + 1)
        bp, remaining, left = bp + 4, remaining - 4, left - 4
        d.p(f"{sep}{count + 1}) ")
        d.p(f"[{tok2str(SCTP_CHUNKID_STR, 'Unknown chunk type: 0x%x', chunk_id)}] ")
        if chunk_id == 0x00:
            used = _data_chunk(d, bp, flags, left, chunk_len, isforces)
        elif chunk_id in (0x01, 0x02):
            used = _init_chunk(d, bp, left, chunk_len)
        elif chunk_id == 0x03:
            used = _sack_chunk(d, bp, left, chunk_len)
        else:
            used = left
        if used is None:
            return
        bp, remaining, left = bp + used, remaining - used, left - used
        # sctp_print(): any extra stuff at the end of the chunk is skipped
        bp, remaining = bp + left, remaining - left
        if d.opts.vflag < 2:
            sep = ", ("
        if align:
            if not d.ttest(bp, align):
                d.nd_print_trunc()
                return
            bp, remaining = bp + align, remaining - align
        count += 1
        remaining &= 0xFFFFFFFF            # u_int arithmetic, as the C loop's
        if remaining > length:
            return


def _bogus(d: Dissector, chunk_len: int) -> None:
    d.p(f"bogus chunk length {chunk_len}]")


def _data_chunk(d: Dissector, bp: int, flags: int, left: int, chunk_len: int,
                isforces: bool) -> int | None:
    for bit, mark in ((DATA_UNORDERED, "(U)"), (DATA_FIRST_FRAG, "(B)"),
                      (DATA_LAST_FRAG, "(E)")):
        if flags & bit:
            d.p(mark)
    if flags & (DATA_UNORDERED | DATA_FIRST_FRAG | DATA_LAST_FRAG):
        d.p(" ")
    if left < 12:
        return _bogus(d, chunk_len)
    ppid = d.u32(bp + 8)
    d.p(f"[TSN: {d.u32(bp)}] [SID: {d.u16(bp + 4)}] [SSEQ {d.u16(bp + 6)}] ")
    d.p(f"[PPID {tok2str(PAYLOAD_PROTO_IDENTS, '0x%x', ppid)}] ")
    payload_size = (left - 12) & 0xFFFF
    if payload_size == 0:
        return _bogus(d, chunk_len)
    isforces = isforces or ppid in (21, 22, 23)
    if isforces:
        pass            # forces_print() is not ported: ForCES messages print nothing
    elif d.opts.vflag >= 2:
        if ppid == 3:
            m3ua_print(d, bp + 12, payload_size)
            d.protocol = "sctp"
        else:
            d.p("[Payload")
            if not d.opts.suppress_default_print:
                d.p(":")
                d.default_print(bp + 12, payload_size)
            d.p("]")
    return 12 + payload_size


def _init_chunk(d: Dissector, bp: int, left: int, chunk_len: int) -> int | None:
    """INIT and INIT ACK: the fixed part; parameters are skipped."""
    if left < 16:
        return _bogus(d, chunk_len)
    d.p(f"[init tag: {d.u32(bp)}] [rwnd: {d.u32(bp + 4)}] [OS: {d.u16(bp + 8)}] "
        f"[MIS: {d.u16(bp + 10)}] [init TSN: {d.u32(bp + 12)}] ")
    return left


def _sack_chunk(d: Dissector, bp: int, left: int, chunk_len: int) -> int | None:
    if left < 12:
        return _bogus(d, chunk_len)
    cum = d.u32(bp)
    d.p(f"[cum ack {cum}] [a_rwnd {d.u32(bp + 4)}] [#gap acks {d.u16(bp + 8)}] "
        f"[#dup tsns {d.u16(bp + 10)}] ")
    used, left = 12, left - 12
    frag_no = 0
    while left != 0 and frag_no < d.u16(bp + 8):
        if left < 4:
            return _bogus(d, chunk_len)
        frag = bp + used
        d.p(f"\n\t\t[gap ack block #{frag_no + 1}: start = {(cum + d.u16(frag)) & 0xFFFFFFFF}, "
            f"end = {(cum + d.u16(frag + 2)) & 0xFFFFFFFF}] ")
        used, left, frag_no = used + 4, left - 4, frag_no + 1
    tsn_no = 0
    while left != 0 and tsn_no < d.u16(bp + 10):
        if left < 4:
            return _bogus(d, chunk_len)
        d.p(f"\n\t\t[dup TSN #{tsn_no + 1}: {d.u32(bp + used)}] ")
        used, left, tsn_no = used + 4, left - 4, tsn_no + 1
    return used


# -- M3UA (print-m3ua.c) -----------------------------------------------------------
M3UA_CLASSES = {0: "Management", 1: "Transfer", 2: "SS7", 3: "ASP", 4: "ASP",
                9: "Routing Key Management"}
M3UA_MESSAGES = {
    0: {0: "Error", 1: "Notify"},
    1: {1: "Data"},
    2: {1: "Destination Unavailable", 2: "Destination Available",
        3: "Destination State Audit", 4: "Signalling Congestion",
        5: "Destination User Part Unavailable", 6: "Destination Restricted"},
    3: {1: "Up", 2: "Down", 3: "Heartbeat", 4: "Up Acknowledgement",
        5: "Down Acknowledgement", 6: "Heartbeat Acknowledgement"},
    4: {1: "Active", 2: "Inactive", 3: "Active Acknowledgement",
        4: "Inactive Acknowledgement"},
    9: {1: "Registration Request", 2: "Registration Response",
        3: "Deregistration Request", 4: "Deregistration Response"}}
M3UA_PARAMS = {0x0004: "INFO String", 0x0006: "Routing Context", 0x0007: "Diagnostic Info",
               0x0009: "Heartbeat Data", 0x000b: "Traffic Mode Type", 0x000c: "Error Code",
               0x000d: "Status", 0x0011: "ASP Identifier", 0x0012: "Affected Point Code",
               0x0013: "Correlation ID", 0x0200: "Network Appearance", 0x0204: "User/Cause",
               0x0205: "Congestion Indications", 0x0206: "Concerned Destination",
               0x0207: "Routing Key", 0x0208: "Registration Result",
               0x0209: "Deregistration Result", 0x020a: "Local Routing Key Identifier",
               0x020b: "Destination Point Code", 0x020c: "Service Indicators",
               0x020e: "Originating Point Code List", 0x0210: "Protocol Data",
               0x0212: "Registration Status", 0x0213: "Deregistration Status"}


def m3ua_print(d: Dissector, buf: int, size: int) -> None:
    """m3ua_print(): the message class and type, then its parameters."""
    d.protocol = "m3ua"
    if size < 8:
        d.p(" (invalid)")
        d.need(buf, size)
        return
    d.need(buf, 8)
    if d.u8(buf) != 1:
        return
    msg_class = d.u8(buf + 2)
    d.p(f"\n\t\t{tok2str(M3UA_CLASSES, 'Unknown message class %i', msg_class)}")
    if msg_class in M3UA_MESSAGES:
        d.p(f" {tok2str(M3UA_MESSAGES[msg_class], 'Unknown (0x%02x)', d.u8(buf + 3))} Message")
    if size != d.u32(buf + 4):
        d.p(f"\n\t\t\t@@@@@@ Corrupted length {d.u32(buf + 4)} of message @@@@@@")
    else:
        _m3ua_tags_print(d, buf + 8, d.u32(buf + 4) - 8)


def _m3ua_tags_print(d: Dissector, buf: int, size: int) -> None:
    p = buf
    while p < buf + size:
        if p + 4 > buf + size:
            d.p(" (invalid)")
            d.need(buf, size)
            return
        tag = d.u16(p)
        d.p(f"\n\t\t\t{tok2str(M3UA_PARAMS, 'Unknown Parameter (0x%04x)', tag)}: ")
        hdr_len = d.u16(p + 2)
        if hdr_len < 4:
            d.p(" (invalid)")
            d.need(buf, size)
            return
        align = (p + hdr_len - buf) % 4
        align = 4 - align if align else 0
        d.need(p, hdr_len + align)
        _tag_value_print(d, p, tag, hdr_len - 4)
        p += hdr_len + align


def _tag_value_print(d: Dissector, buf: int, tag: int, size: int) -> None:
    """tag_value_print(): buf is the parameter's header, as the C is handed it."""
    if tag in (0x0200, 0x0006, 0x0013):
        if size < 4:
            d.p(" (invalid)")
        else:
            d.p(f"0x{d.u32(buf):08x}")
    else:
        d.p(f"(length {size + 4})")
    d.need(buf, size)
