"""The IPv6 Mobility Header (next header 135, and 62, Mobile IP's old number), as tcpdump
4.99.3's print-mobility.c mobility_print() prints it (RFC 3775/6275): the message type
and its fields, the mobility options under -v."""
from __future__ import annotations

IP6M_MINLEN = 8
IP6M_STR = {0: "BRR", 1: "HoTI", 2: "CoTI", 3: "HoT", 4: "CoT", 5: "BU", 6: "BA", 7: "BE"}
# ip6m_hdrlen[]: the least header length each known type needs
IP6M_HDRLEN = [8, 16, 16, 24, 24, 12, 12, 24]
# ip6m_binding_update_bits, printed by bittok2str_nosep()
BU_BITS = [(0x08, "A"), (0x04, "H"), (0x02, "L"), (0x01, "K")]


class _OptTrunc(Exception):
    """mobility_opt_print()'s `goto trunc` (it returns 1)."""


def _opt_print(d, bp: int, length: int) -> bool:
    """mobility_opt_print(): True on its `goto trunc`."""
    i = 0
    while i < length:
        if d.u8(bp + i) == 0:
            optlen = 1
        elif i + 1 < length:
            optlen = d.u8(bp + i + 1) + 2
        else:
            return True
        if i + optlen > length:
            return True
        d.need(bp + i + optlen, 1)          # ND_TCHECK_1(bp + i + optlen)
        kind = d.u8(bp + i)
        left = length - i
        if kind == 0:
            d.p("(pad1)")
        elif kind == 1:
            if left < 2:
                d.p("(padn: trunc)")
                return True
            d.p("(padn)")
        elif kind == 2:
            if left < 4:
                d.p("(refresh: trunc)")
                return True
            d.p(f"(refresh: {d.u16(bp + i + 2) << 2})")     # units of 4 seconds
        elif kind == 3:
            if left < 18:
                d.p("(altcoa: trunc)")
                return True
            d.p(f"(alt-CoA: {d.ip6addr_string(bp + i + 2)})")
        elif kind == 4:
            if left < 6:
                d.p("(ni: trunc)")
                return True
            d.p(f"(ni: ho=0x{d.u16(bp + i + 2):04x} co=0x{d.u16(bp + i + 4):04x})")
        elif kind == 5:
            if left < 12:
                d.p("(auth: trunc)")
                return True
            d.p("(auth)")
        else:
            if left < 2:
                d.p(f"(sopt_type {kind}: trunc)")
                return True
            d.p(f"(type-0x{kind:02x}: len={d.u8(bp + i + 1)})")
        i += optlen
    return False


def mobility_print(d, bp: int) -> int:
    """mobility_print(): the header's length in bytes, or -1 after printing [|mobility]
    (a Truncated from a GET_ macro reaches the frame's own [|mobility] the same way)."""
    d.protocol = "mobility"
    if not d.ttest(bp + 1, 1):
        d.nd_print_trunc()
        return -1
    mhlen = (d.u8(bp + 1) + 1) << 3
    mtype = d.u8(bp + 2)
    if mtype < len(IP6M_HDRLEN) and mhlen < IP6M_HDRLEN[mtype]:
        d.p(f"(header length {mhlen} is too small for type {mtype})")
        d.nd_print_trunc()
        return -1
    d.p(f"mobility: {IP6M_STR.get(mtype, f'type-#{mtype}')}")
    v = d.opts.vflag
    hlen = IP6M_MINLEN
    if mtype == 0:
        pass
    elif mtype in (1, 2):
        if v:
            d.p(f" {'Home' if mtype == 1 else 'Care-of'} Init Cookie="
                f"{d.u32(bp + hlen):08x}:{d.u32(bp + hlen + 4):08x}")
        hlen += 8
    elif mtype in (3, 4):
        who = "Home" if mtype == 3 else "Care-of"
        d.p(f" nonce id=0x{d.u16(bp + 6):x}")
        if v:
            d.p(f" {who} Init Cookie={d.u32(bp + hlen):08x}:{d.u32(bp + hlen + 4):08x}")
        hlen += 8
        if v:
            d.p(f" {who} Keygen Token={d.u32(bp + hlen):08x}:{d.u32(bp + hlen + 4):08x}")
        hlen += 8
    elif mtype == 5:
        d.p(f" seq#={d.u16(bp + 6)}")
        d.need(bp + hlen, 2)
        bits = (d.u8(bp + hlen) & 0xF0) >> 4
        if bits:
            names = "".join(name for mask, name in BU_BITS if bits & mask)
            d.p(" " + (names or f"bits-#0x{bits:x}"))
        hlen += 2                           # the flags and 12 reserved bits
        d.p(f" lifetime={d.u16(bp + hlen) << 2}")
        hlen += 2
    elif mtype == 6:
        d.p(f" status={d.u8(bp + 6)}")
        if d.u8(bp + 7) & 0x80:
            d.p(" K")
        d.p(f" seq#={d.u16(bp + hlen)}")
        hlen += 2
        d.p(f" lifetime={d.u16(bp + hlen) << 2}")
        hlen += 2
    elif mtype == 7:
        d.p(f" status={d.u8(bp + 6)}")
        d.p(f" homeaddr {d.ip6addr_string(bp + hlen)}")
        hlen += 16
    else:
        d.p(f" len={d.u8(bp + 1)}")
        return mhlen
    if v and _opt_print(d, bp + hlen, mhlen - hlen):
        d.nd_print_trunc()
        return -1
    return mhlen
