"""OSPFv2 as tcpdump 4.99.3 prints it (print-ospf.c ospf_print(), ospf_decode_v2(),
ospf_print_lshdr(), ospf_print_lsa(), ospf_decode_lls()): one line without -v; under -v
the router and area, authentication, and each packet type's body (hellos, database
descriptions, requests, updates with router/network/summary/external/group LSAs,
acknowledgements), opaque LSAs' TE, graceful-restart and router information TLVs."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, Truncated, bittok2str
from ipemu.tcpdump.util import nd_printjnp

OPTIONS = [(0x01, "MultiTopology"), (0x02, "External"), (0x04, "Multicast"), (0x08, "NSSA"),
           (0x10, "LLS"), (0x20, "Demand Circuit"), (0x40, "Opaque"), (0x80, "Up/Down")]
AUTH_TYPES = {0: "none", 1: "simple", 2: "MD5"}
RLA_FLAGS = [(0x01, "ABR"), (0x02, "ASBR"), (0x04, "Virtual"), (0x08, "Wildcard"),
             (0x10, "Nt"), (0x80, "Host")]
TYPES = {1: "Hello", 2: "Database Description", 3: "LS-Request", 4: "LS-Update", 5: "LS-Ack"}
LSA_TYPES = {1: "Router", 2: "Network", 3: "Summary", 4: "ASBR Summary", 5: "External",
             6: "Multicast Group", 7: "NSSA", 9: "Link Local Opaque",
             10: "Area Local Opaque", 11: "Domain Wide Opaque"}
DD_FLAGS = [(0x04, "Init"), (0x02, "More"), (0x01, "Master"), (0x08, "OOBResync")]
OPAQUE_TYPES = {1: "Traffic Engineering", 3: "Graceful restart", 4: "Router Information"}
TOPOLOGIES = {0: "default", 1: "multicast", 2: "management"}
RI_CAPS = [(1, "Reserved"), (2, "Reserved"), (4, "Reserved"), (8, "Reserved"),
           (16, "graceful restart capable"), (32, "graceful restart helper"),
           (64, "Stub router support"), (128, "Traffic engineering"), (256, "p2p over LAN"),
           (512, "path computation server")]
LSA_HDR_LEN = 20
MD5_LEN = 16


class _Trunc(Exception):
    """ospf_decode_v2()'s `goto trunc`: the packet ends in the middle."""


def ospf_print(d: Dissector, bp: int, length: int) -> None:
    """ospf_print()."""
    d.protocol = "ospf2"
    authtype = d.u16(bp + 14)
    if authtype == 2:
        length -= MD5_LEN
        d.snapend -= MD5_LEN
    kind = d.u8(bp + 1)
    name = TYPES.get(kind, f"unknown LS-type {kind}")
    d.p(f"OSPFv{d.u8(bp)}, {name}, length {length}")
    if kind not in TYPES or not d.opts.vflag:
        return
    olen = d.u16(bp + 2)
    if length != olen:
        d.p(f" [len {olen}]")
    dataend = bp + olen if length > olen else bp + length
    d.p(f"\n\tRouter-ID {d.ipaddr_string(bp + 4)}")
    d.p(f", Area {d.ipaddr_string(bp + 8)}" if d.u32(bp + 8) else ", Backbone Area")
    d.need(bp + 16, 8)
    d.p(f", Authentication Type: {AUTH_TYPES.get(authtype, 'unknown')} ({authtype})")
    if authtype == 1:
        d.p("\n\tSimple text password: ")
        nd_printjnp(d, bp + 16, 8)
    elif authtype == 2:
        d.p(f"\n\tKey-ID: {d.u8(bp + 18)}, Auth-Length: {d.u8(bp + 19)}, "
            f"Crypto Sequence Number: 0x{d.u32(bp + 20):08x}")
    elif authtype:
        return
    if d.u8(bp) != 2:
        d.p(f" ospf [version {d.u8(bp)}]")
        return
    try:
        _decode_v2(d, bp, dataend)
    except _Trunc:
        # ospf_print()'s trunc: nd_trunc_longjmp()
        raise Truncated() from None
    if length > olen:
        _decode_lls(d, bp, length)


def _decode_v2(d: Dissector, op: int, dataend: int) -> None:
    kind, body = d.u8(op + 1), op + 24
    if kind == 1:
        d.p(f"\n\tOptions [{bittok2str(OPTIONS, 'none', d.u8(body + 6))}]")
        d.p(f"\n\t  Hello Timer {d.u16(body + 4)}s, Dead Timer {d.u32(body + 8)}s, "
            f"Mask {d.ipaddr_string(body)}, Priority {d.u8(body + 7)}")
        if d.u32(body + 12):
            d.p(f"\n\t  Designated Router {d.ipaddr_string(body + 12)}")
        if d.u32(body + 16):
            d.p(f", Backup Designated Router {d.ipaddr_string(body + 16)}")
        ap = body + 20
        if ap < dataend:
            d.p("\n\t  Neighbor List:")
        while ap < dataend:
            d.p(f"\n\t    {d.ipaddr_string(ap)}")
            ap += 4
    elif kind == 2:
        d.p(f"\n\tOptions [{bittok2str(OPTIONS, 'none', d.u8(body + 2))}]")
        d.p(f", DD Flags [{bittok2str(DD_FLAGS, 'none', d.u8(body + 3))}]")
        if d.u16(body):
            d.p(f", MTU: {d.u16(body)}")
        d.p(f", Sequence: 0x{d.u32(body + 4):08x}")
        lshp = body + 8
        while lshp < dataend and _lshdr(d, lshp) != -1:
            lshp += LSA_HDR_LEN
    elif kind == 3:
        lsrp = body
        while lsrp < dataend:
            if not d.ttest(lsrp, 12):
                raise _Trunc()
            ls_type = d.u32(lsrp)
            d.p(f"\n\t  Advertising Router: {d.ipaddr_string(lsrp + 8)}, "
                f"{LSA_TYPES.get(ls_type, 'unknown')} LSA ({ls_type})")
            if ls_type in (9, 10, 11):
                otype = d.u8(lsrp + 4)
                d.p(f", Opaque-Type: {OPAQUE_TYPES.get(otype, 'unknown')} LSA ({otype}), "
                    f"Opaque-ID: {d.u32(lsrp + 4) & 0xFFFFFF}")
            else:
                d.p(f", LSA-ID: {d.ipaddr_string(lsrp + 4)}")
            lsrp += 12
    elif kind == 4:
        count = d.u32(body)
        d.p(f", {count} LSA{'' if count == 1 else 's'}")
        lsap = body + 4
        for n in range(1, count + 1):
            d.p(f"\n\t  LSA #{n}")
            lsap = _lsa(d, lsap)
            if lsap is None:
                raise _Trunc()
    elif kind == 5:
        lshp = body
        while _lshdr(d, lshp) != -1:
            lshp += LSA_HDR_LEN


def _lshdr(d: Dissector, h: int) -> int:
    """ospf_print_lshdr(): the LSA's length, or -1 for a bogus one."""
    ls_length = d.u16(h + 18)
    if ls_length < LSA_HDR_LEN:
        d.p(f"\n\t    Bogus length {ls_length} < header ({LSA_HDR_LEN})")
        return -1
    d.p(f"\n\t  Advertising Router {d.ipaddr_string(h + 8)}, seq 0x{d.u32(h + 12):08x}, "
        f"age {d.u16(h)}s, length {ls_length - LSA_HDR_LEN}")
    ls_type = d.u8(h + 3)
    if ls_type in (9, 10, 11):
        otype = d.u8(h + 4)
        d.p(f"\n\t    {LSA_TYPES.get(ls_type, 'unknown')} LSA ({ls_type}), Opaque-Type "
            f"{OPAQUE_TYPES.get(otype, 'unknown')} LSA ({otype}), "
            f"Opaque-ID {d.u32(h + 4) & 0xFFFFFF}")
    else:
        d.p(f"\n\t    {LSA_TYPES.get(ls_type, 'unknown')} LSA ({ls_type}), "
            f"LSA-ID: {d.ipaddr_string(h + 4)}")
    d.p(f"\n\t    Options: [{bittok2str(OPTIONS, 'none', d.u8(h + 2))}]")
    return ls_length


def _topology(ul: int) -> str:
    topology = (ul & 0x7F000000) >> 24
    return f"topology {TOPOLOGIES.get(topology, 'Unknown')} ({topology})"


def _lsa(d: Dissector, lsap: int) -> int | None:
    """ospf_print_lsa(): the address after the LSA, None when the packet ends."""
    ls_length = _lshdr(d, lsap)
    if ls_length < 0:
        return None
    ls_end = lsap + ls_length
    ls_length -= LSA_HDR_LEN
    body = lsap + LSA_HDR_LEN
    ls_type = d.u8(lsap + 3)
    if ls_type == 1:
        d.p(f"\n\t    Router LSA Options: [{bittok2str(RLA_FLAGS, 'none', d.u8(body))}]")
        count = d.u16(body + 2)
        if not d.ttest(body + 4, 12):
            return None
        rlp = body + 4
        for _ in range(count):
            if not d.ttest(rlp, 12):
                return None
            link_type = d.u8(rlp + 8)
            fmt = {4: "Virtual Link: Neighbor Router-ID: {}, Interface Address: {}",
                   1: "Neighbor Router-ID: {}, Interface Address: {}",
                   2: "Neighbor Network-ID: {}, Interface Address: {}",
                   3: "Stub Network: {}, Mask: {}"}.get(link_type)
            if fmt is None:
                d.p(f"\n\t      Unknown Router Link Type ({link_type})")
                return ls_end
            d.p("\n\t      " + fmt.format(d.ipaddr_string(rlp), d.ipaddr_string(rlp + 4)))
            tos_count = d.u8(rlp + 9)
            for i in range(tos_count + 1):
                tos = rlp + 8 + 4 * i
                tos_type = d.u8(tos) if i else 0
                d.p(f"\n\t\ttopology {TOPOLOGIES.get(tos_type, 'Unknown')} ({tos_type}), "
                    f"metric {d.u16(tos + 2)}")
            rlp += 12 + tos_count * 4
    elif ls_type == 2:
        d.p(f"\n\t    Mask {d.ipaddr_string(body)}\n\t    Connected Routers:")
        ap = body + 4
        while ap < ls_end:
            d.p(f"\n\t      {d.ipaddr_string(ap)}")
            ap += 4
    elif ls_type in (3, 4):
        d.need(body, 4)
        if ls_type == 3:
            d.p(f"\n\t    Mask {d.ipaddr_string(body)}")
        if not d.ttest(body + 4, 4):
            return None
        lp = body + 4
        while lp < ls_end:
            ul = d.u32(lp)
            d.p(f"\n\t\t{_topology(ul)} metric {ul & 0xFFFFFF}")
            lp += 4
    elif ls_type in (5, 7):
        d.need(body, 4)
        d.p(f"\n\t    Mask {d.ipaddr_string(body)}")
        if not d.ttest(body + 4, 4):
            return None
        almp = body + 4
        while almp < ls_end:
            ul = d.u32(almp)
            d.p(f"\n\t\t{_topology(ul)}, type {2 if ul & 0x80000000 else 1}, metric")
            d.p(" infinite" if ul & 0xFFFFFF == 0xFFFFFF else f" {ul & 0xFFFFFF}")
            if d.u32(almp + 4):
                d.p(f", forward {d.ipaddr_string(almp + 4)}")
            if d.u32(almp + 8):
                d.p(f", tag {d.ipaddr_string(almp + 8)}")
            almp += 12
    elif ls_type == 6:
        mcp = body
        while mcp < ls_end:
            vtype = d.u32(mcp)
            if vtype == 1:
                d.p(f"\n\t    Router Router-ID {d.ipaddr_string(mcp + 4)}")
            elif vtype == 2:
                d.p(f"\n\t    Network Designated Router {d.ipaddr_string(mcp + 4)}")
            else:
                d.p(f"\n\t    unknown VertexType ({vtype})")
            mcp += 8
    elif ls_type in (9, 10, 11):
        otype = d.u8(lsap + 4)
        if otype == 4:
            if _ri_tlvs(d, body, ls_length):
                return ls_end
        elif otype in (1, 3):
            try:
                (_te_lsa if otype == 1 else _grace_lsa)(d, body, ls_length)
            except _LsaEnd:
                return ls_end
        elif d.opts.vflag <= 1 and not d.print_unknown_data(body, "\n\t    ", ls_length):
            return ls_end
    if d.opts.vflag > 1 and not d.print_unknown_data(body, "\n\t    ", ls_length):
        return ls_end
    return ls_end


class _LsaEnd(Exception):
    """ospf_te_lsa_print()/ospf_grace_lsa_print() returning -1: the LSA ends there."""


GRACE_TLVS = {1: "Grace Period", 2: "Graceful restart Reason", 3: "IPv4 interface address"}
GRACE_REASONS = {0: "Unknown", 1: "Software Restart", 2: "Software Reload/Upgrade",
                 3: "Control Processor Switch"}
TE_TLVS = {1: "Router Address", 2: "Link"}
TE_LINK_SUBTLVS = {1: "Link Type", 2: "Link ID", 3: "Local Interface IP address",
                   4: "Remote Interface IP address", 5: "Traffic Engineering Metric",
                   6: "Maximum Bandwidth", 7: "Maximum Reservable Bandwidth",
                   8: "Unreserved Bandwidth", 9: "Administrative Group",
                   11: "Link Local/Remote Identifier", 14: "Link Protection Type",
                   15: "Interface Switching Capability", 16: "Shared Risk Link Group",
                   17: "Bandwidth Constraints"}
TE_LINK_TYPES = {1: "Point-to-point", 2: "Multi-Access"}


def _grace_lsa(d: Dissector, tptr: int, ls_length: int) -> None:
    """ospf_grace_lsa_print(): the grace period, reason and interface address."""
    while ls_length > 0:
        if not d.ttest(tptr, 4):
            raise _LsaEnd()
        if ls_length < 4:
            d.p(f"\n\t    Remaining LS length {ls_length} < 4")
            raise _LsaEnd()
        tlv_type, tlv_length = d.u16(tptr), d.u16(tptr + 2)
        tptr += 4
        ls_length -= 4
        d.p(f"\n\t    {GRACE_TLVS.get(tlv_type, 'unknown')} TLV ({tlv_type}), "
            f"length {tlv_length}, value: ")
        if tlv_length > ls_length:
            d.p(f"\n\t    Bogus length {tlv_length} > {ls_length}")
            raise _LsaEnd()
        if tlv_type == 0 or tlv_length == 0:
            raise _LsaEnd()
        if not d.ttest(tptr, tlv_length):
            raise _LsaEnd()
        if tlv_type in (1, 3):
            if tlv_length != 4:
                d.p(f"\n\t    Bogus length {tlv_length} != 4")
                raise _LsaEnd()
            d.p(f"{d.u32(tptr)}s" if tlv_type == 1 else d.ipaddr_string(tptr))
        elif tlv_type == 2:
            if tlv_length != 1:
                d.p(f"\n\t    Bogus length {tlv_length} != 1")
                raise _LsaEnd()
            d.p(f"{GRACE_REASONS.get(d.u8(tptr), 'Unknown')} ({d.u8(tptr)})")
        elif d.opts.vflag <= 1 and not d.print_unknown_data(tptr, "\n\t      ", tlv_length):
            raise _LsaEnd()
        if tlv_length % 4:
            tlv_length += 4 - tlv_length % 4
        ls_length -= tlv_length
        tptr += tlv_length


def _te_invalid(d: Dissector, text: str = "") -> None:
    d.p(text + " (invalid)")
    raise _LsaEnd()


def _te_lsa(d: Dissector, tptr: int, ls_length: int) -> None:
    """ospf_te_lsa_print(): the router address and link TLVs with their sub-TLVs."""
    from ipemu.tcpdump.isis import (
        DIFFSERV_TE_BC, GMPLS_ENCODINGS, GMPLS_LINK_PROT, GMPLS_SWITCH_CAPS, _bw)
    while ls_length != 0:
        if not d.ttest(tptr, 4):
            raise _LsaEnd()
        if ls_length < 4:
            d.p(f"\n\t    Remaining LS length {ls_length} < 4")
            raise _LsaEnd()
        tlv_type, tlv_length = d.u16(tptr), d.u16(tptr + 2)
        tptr += 4
        ls_length -= 4
        d.p(f"\n\t    {TE_TLVS.get(tlv_type, 'unknown')} TLV ({tlv_type}), length: {tlv_length}")
        if tlv_length > ls_length:
            d.p(f"\n\t    Bogus length {tlv_length} > {ls_length}")
            raise _LsaEnd()
        if tlv_type == 0 or tlv_length == 0:
            raise _LsaEnd()
        if tlv_type == 2:
            while tlv_length != 0:
                if tlv_length < 4:
                    d.p(f"\n\t    Remaining TLV length {tlv_length} < 4")
                    raise _LsaEnd()
                st, sl = d.u16(tptr), d.u16(tptr + 2)
                tptr += 4
                tlv_length -= 4
                if st == 0 or sl == 0:
                    _te_invalid(d)
                d.p(f"\n\t      {TE_LINK_SUBTLVS.get(st, 'unknown')} subTLV ({st}), length: {sl}")
                if tlv_length < sl:
                    d.p(f"\n\t    Remaining TLV length {tlv_length + 4} < {sl + 4}")
                    raise _LsaEnd()
                if not d.ttest(tptr, sl):
                    raise _LsaEnd()
                if st == 9:
                    if sl != 4:
                        _te_invalid(d, " != 4")
                    d.p(f", 0x{d.u32(tptr):08x}")
                elif st in (2, 11):
                    if sl not in (4, 8):
                        _te_invalid(d, " != 4 && != 8")
                    d.p(f", {d.ipaddr_string(tptr)} (0x{d.u32(tptr):08x})")
                    if sl == 8:
                        d.p(f", {d.ipaddr_string(tptr + 4)} (0x{d.u32(tptr + 4):08x})")
                elif st in (3, 4):
                    if sl != 4:
                        _te_invalid(d, " != 4")
                    d.p(f", {d.ipaddr_string(tptr)}")
                elif st in (6, 7):
                    if sl != 4:
                        _te_invalid(d, " != 4")
                    d.p(f", {_bw(d, tptr)} Mbps")
                elif st == 8:
                    if sl != 32:
                        _te_invalid(d, " != 32")
                    for te_class in range(8):
                        d.p(f"\n\t\tTE-Class {te_class}: {_bw(d, tptr + te_class * 4)} Mbps")
                elif st == 17:
                    if sl < 4:
                        _te_invalid(d, " < 4")
                    model = d.u8(tptr)
                    d.p(f"\n\t\tBandwidth Constraints Model ID: "
                        f"{DIFFSERV_TE_BC.get(model, 'unknown')} ({model})")
                    if sl % 4:
                        _te_invalid(d, f"\n\t\tlength {sl} != N x 4")
                    if sl > 36:
                        _te_invalid(d, f"\n\t\tlength {sl} > 36")
                    for te_class in range((sl - 4) // 4):
                        d.p(f"\n\t\t  Bandwidth constraint CT{te_class}: "
                            f"{_bw(d, tptr + 4 + te_class * 4)} Mbps")
                elif st == 5:
                    if sl != 4:
                        _te_invalid(d, " != 4")
                    d.p(f", Metric {d.u32(tptr)}")
                elif st == 14:
                    if sl != 4:
                        _te_invalid(d, " != 4")
                    d.p(", " + bittok2str(GMPLS_LINK_PROT, "none", d.u8(tptr)))
                elif st == 15:
                    if sl < 36:
                        _te_invalid(d, " < 36")
                    d.p(f"\n\t\tInterface Switching Capability: "
                        f"{GMPLS_SWITCH_CAPS.get(d.u8(tptr), 'Unknown')}")
                    d.p(f"\n\t\tLSP Encoding: {GMPLS_ENCODINGS.get(d.u8(tptr + 1), 'Unknown')}"
                        "\n\t\tMax LSP Bandwidth:")
                    for level in range(8):
                        d.p(f"\n\t\t  priority level {level}: {_bw(d, tptr + 4 + level * 4)} Mbps")
                elif st == 1:
                    if sl != 1:
                        _te_invalid(d, " != 1")
                    kind = d.u8(tptr)
                    d.p(f", {TE_LINK_TYPES.get(kind, 'unknown')} ({kind})")
                elif st == 16:
                    if sl % 4:
                        _te_invalid(d, " != N x 4")
                    count = sl // 4
                    if count:
                        d.p("\n\t\t  Shared risk group: ")
                    # (tcpdump's loop moves tptr past the values, and again below)
                    while count > 0:
                        d.p(str(d.u32(tptr)))
                        tptr += 4
                        count -= 1
                        if count:
                            d.p(", ")
                elif d.opts.vflag <= 1 and not d.print_unknown_data(tptr, "\n\t\t", sl):
                    raise _LsaEnd()
                if sl % 4:
                    sl += 4 - sl % 4
                if tlv_length < sl:
                    d.p(f"\n\t    Remaining TLV length {tlv_length + 4} < {sl + 4}")
                    raise _LsaEnd()
                tlv_length -= sl
                tptr += sl
        elif tlv_type == 1:
            if tlv_length < 4:
                d.p(f"\n\t    TLV length {tlv_length} < 4")
                raise _LsaEnd()
            d.p(f", {d.ipaddr_string(tptr)}")
        elif d.opts.vflag <= 1 and not d.print_unknown_data(tptr, "\n\t      ", tlv_length):
            raise _LsaEnd()
        if tlv_length % 4:
            tlv_length += 4 - tlv_length % 4
        if tlv_length > ls_length:
            d.p(f"\n\t    Bogus padded length {tlv_length} > {ls_length}")
            raise _LsaEnd()
        ls_length -= tlv_length
        tptr += tlv_length


def _ri_tlvs(d: Dissector, tptr: int, remaining: int) -> bool:
    """The Router Information LSA's TLVs; True when the LSA's printing stops early."""
    while remaining:
        d.need(tptr, 4)
        if remaining < 4:
            d.p(f"\n\t    Remaining LS length {remaining} < 4")
            return True
        tlv_type, tlv_length = d.u16(tptr), d.u16(tptr + 2)
        tptr, remaining = tptr + 4, remaining - 4
        d.p(f"\n\t    {'Router Capabilities' if tlv_type == 1 else 'unknown'} TLV "
            f"({tlv_type}), length: {tlv_length}, value: ")
        if tlv_length > remaining:
            d.p(f"\n\t    Bogus length {tlv_length} > remaining LS length {remaining}")
            return True
        d.need(tptr, tlv_length)
        if tlv_type == 1:
            if tlv_length != 4:
                d.p(f"\n\t    Bogus length {tlv_length} != 4")
                return True
            d.p("Capabilities: " + bittok2str(RI_CAPS, "Unknown", d.u32(tptr)))
        elif d.opts.vflag <= 1 and not d.print_unknown_data(tptr, "\n\t      ", tlv_length):
            return True
        tptr, remaining = tptr + tlv_length, remaining - tlv_length
    return False


def _decode_lls(d: Dissector, op: int, length: int) -> None:
    """ospf_decode_lls(): the link-local signalling block after a hello or DD."""
    kind = d.u8(op + 1)
    options = d.u8(op + 24 + 6) if kind == 1 else d.u8(op + 24 + 2) if kind == 2 else 0
    if not options & 0x10:
        return
    length2 = d.u16(op + 2)
    dptr, dataend = op + length2, op + length
    if d.u16(op + 14) == 2:
        dptr += d.u8(op + 19)
        length2 += d.u8(op + 19)
    if length2 >= length:
        d.p("\n\t[LLS truncated]")
        return
    d.p(f"\n\t  LLS: checksum: 0x{d.u16(dptr):04x}")
    d.p(f", length: {d.u16(dptr + 2)}")
    dptr += 4
    while dptr < dataend:
        lls_type, lls_len = d.u16(dptr), d.u16(dptr + 2)
        name = {1: "Extended Options", 2: "MD5 Authentication"}.get(lls_type, "Unknown TLV")
        d.p(f"\n\t    {name} ({lls_type}), length: {lls_len}")
        dptr += 4
        if lls_type == 1:
            if lls_len != 4:
                d.p(" [should be 4]")
                lls_len = 4
            flags = d.u32(dptr)
            d.p(f"\n\t      Options: 0x{flags:08x} ["
                + bittok2str([(1, "LSDB resync"), (2, "Restart")], "?", flags) + "]")
        elif lls_type == 2:
            if lls_len != 20:
                d.p(" [should be 20]")
                lls_len = 20
            d.p(f"\n\t      Sequence number: 0x{d.u32(dptr):08x}")
        dptr += lls_len
