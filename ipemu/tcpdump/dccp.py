"""DCCP (IP protocol 33), as tcpdump 4.99.3's print-dccp.c dccp_print() prints it
(RFC 4340): ports, -v's CCVal, checksum coverage and checksum, the packet type and its
fields, the acknowledgement number, -vv's sequence number and options."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, Truncated, in_cksum_shouldbe

PKT_TYPES = ["DCCP-Request", "DCCP-Response", "DCCP-Data", "DCCP-Ack", "DCCP-DataAck",
             "DCCP-CloseReq", "DCCP-Close", "DCCP-Reset", "DCCP-Sync", "DCCP-SyncAck"]
RESET_CODES = ["unspecified", "closed", "aborted", "no_connection", "packet_error",
               "option_error", "mandatory_error", "connection_refused", "bad_service_code",
               "too_busy", "bad_init_cookie", "aggression_penalty"]
FEATURES = ["reserved", "ccid", "allow_short_seqno", "sequence_window", "ecn_incapable",
            "ack_ratio", "send_ack_vector", "send_ndp_count", "minimum checksum coverage",
            "check data checksum"]
OPTIONS = {0: "nop", 1: "mandatory", 2: "slowreceiver", 32: "change_l", 33: "confirm_l",
           34: "change_r", 35: "confirm_r", 36: "initcookie", 37: "ndp_count",
           38: "ack_vector0", 39: "ack_vector1", 40: "data_dropped", 41: "timestamp",
           42: "timestamp_echo", 43: "elapsed_time", 44: "data_checksum"}
# the bytes each type's header adds after the generic one (dccp_print()'s switch)
TYPE_EXTRA = {0: 4, 1: 12, 3: 8, 4: 8, 5: 8, 6: 8, 7: 12, 8: 8, 9: 8}


def _option(d: Dissector, opt: int, hlen: int) -> int:
    """dccp_print_option(): the option's length, 0 to stop."""
    kind = d.u8(opt)
    name = OPTIONS.get(kind, f"Option {kind}")
    if kind >= 32:
        optlen = d.u8(opt + 1)
        if optlen < 2:
            d.p(f"CCID option {kind} optlen too short" if kind >= 128
                else f"{name} optlen too short")
            return 0
    else:
        optlen = 1
    if hlen < optlen:
        d.p(f"CCID option {kind} optlen goes past header length" if kind >= 128
            else f"{name} optlen goes past header length")
        return 0
    if not d.ttest(opt, optlen):
        d.nd_print_trunc()
        return 0
    if kind >= 128:
        d.p(f"CCID option {kind}")
        if optlen == 4:
            d.p(f" {d.u16(opt + 2)}")
        elif optlen == 6:
            d.p(f" {d.u32(opt + 2)}")
        return optlen
    d.p(name)

    def hexbytes() -> str:
        return "".join(f"{d.u8(opt + 2 + i):02x}" for i in range(optlen - 2))

    if 32 <= kind <= 35:
        if optlen < 3:
            d.p(" optlen too short")
            return optlen
        feature = d.u8(opt + 2)
        if feature < 10:
            d.p(f" {FEATURES[feature]}")
            d.p("".join(f" {d.u8(opt + 3 + i)}" for i in range(optlen - 3)))
    elif kind in (36, 38, 39, 40):
        if optlen > 2:
            d.p(" 0x" + hexbytes())
    elif kind == 37:
        d.p("".join(f" {d.u8(opt + 2 + i)}" for i in range(optlen - 2)))
    elif kind == 41:
        d.p(f" {d.u32(opt + 2)}" if optlen == 6 else " [optlen != 6]")
    elif kind == 42:
        if optlen == 6:
            d.p(f" {d.u32(opt + 2)}")
        elif optlen == 8:
            d.p(f" {d.u32(opt + 2)} (elapsed time {d.u16(opt + 6)})")
        elif optlen == 10:
            d.p(f" {d.u32(opt + 2)} (elapsed time {d.u32(opt + 6)})")
        else:
            d.p(" [optlen != 6 or 8 or 10]")
    elif kind == 43:
        if optlen == 6:
            d.p(f" {d.u32(opt + 2)}")
        elif optlen == 4:
            d.p(f" {d.u16(opt + 2)}")
        else:
            d.p(" [optlen != 4 or 6]")
    elif kind == 44:
        if optlen > 2:
            d.p(" " + hexbytes())
    return optlen


def dccp_print(d: Dissector, bp: int, iph: int, length: int) -> None:
    """dccp_print()."""
    d.protocol = "dccp"
    v6 = d.u8(iph) >> 4 == 6
    if bp + 12 > d.snapend:
        raise Truncated()
    if length < 12:
        d.p(f"truncated-dccp - {12 - length} bytes missing!")
        return
    ext = d.u8(bp + 8) & 1
    fixed = 16 if ext else 12
    if length < fixed:
        d.p(f"truncated-dccp - {fixed - length} bytes missing!")
        return
    if not d.ttest(bp, fixed):
        raise Truncated()
    sport, dport, hlen = d.u16(bp), d.u16(bp + 2), d.u8(bp + 4) * 4
    if v6:
        d.p(f"{d.ip6addr_string(iph + 8)}.{sport} > {d.ip6addr_string(iph + 24)}.{dport}: ")
    else:
        d.p(f"{d.ipaddr_string(iph + 12)}.{sport} > {d.ipaddr_string(iph + 16)}.{dport}: ")
    d.p("DCCP")
    if d.opts.qflag:
        d.p(f" {(length - hlen) & 0xFFFFFFFF}")
        if hlen > length:
            d.p(f" [bad hdr length {hlen} - too long, > {length}]")
        return
    v = d.opts.vflag
    ccval, cscov = d.u8(bp + 5) >> 4, d.u8(bp + 5) & 0xF
    if v:
        d.p(f" (CCVal {ccval}, CsCov {cscov}")
    if v and d.ttest(bp, length):
        dccp_sum = d.u16(bp + 6)
        d.p(f", cksum 0x{dccp_sum:04x} ")
        # dccp_csum_coverage()
        cov = length if cscov == 0 else min((d.u8(bp + 4) + cscov - 1) * 4, length)
        if v6:
            s = d.nextproto6_cksum(iph, bp, length, 33, cov)
        else:
            s = d.nextproto4_cksum(iph, bp, length, 33, cov)
        d.p(f"(incorrect -> 0x{in_cksum_shouldbe(dccp_sum, s):04x})" if s else "(correct)")
    if v:
        d.p(")")
    d.p(" ")
    ptype = (d.u8(bp + 8) >> 1) & 0xF
    name = PKT_TYPES[ptype] if ptype < len(PKT_TYPES) else ""
    if ptype in TYPE_EXTRA:
        fixed += TYPE_EXTRA[ptype]
        if length < fixed:
            d.p(f"truncated-{name} - {fixed - length} bytes missing!")
            return
    if ptype in (0, 1):
        at = bp + fixed - 4
        d.need(at, 4)
        d.p(f"{name} (service={d.u32(at)}) ")
    elif ptype == 7:
        at = bp + fixed - 12
        d.need(at, 12)
        code = d.u8(at + 8)
        d.p(f"{name} (code={RESET_CODES[code] if code < len(RESET_CODES) else 'invalid'}) ")
    elif ptype < len(PKT_TYPES):
        d.p(f"{name} ")
    else:
        d.p(f"unknown-type-{ptype} ")
    if ptype not in (2, 0):
        # dccp_print_ack_no()
        ackp = bp + (16 if ext else 12)
        ackno = (int.from_bytes(d.bytes_(ackp + 2, 6), "big") if ext
                 else int.from_bytes(d.bytes_(ackp + 1, 3), "big"))
        d.p(f"(ack={ackno}) ")
    if v < 2:
        return
    seq = (int.from_bytes(d.bytes_(bp + 10, 6), "big") if ext
           else int.from_bytes(d.bytes_(bp + 9, 3), "big"))
    d.p(f"seq {seq}")
    if hlen > fixed:
        cp = bp + fixed
        d.p(" <")
        hlen -= fixed
        while True:
            optlen = _option(d, cp, hlen)
            if not optlen or hlen <= optlen:
                break
            hlen -= optlen
            cp += optlen
            d.p(", ")
        d.p(">")
