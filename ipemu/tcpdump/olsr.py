"""OLSR on UDP port 698, as tcpdump 4.99.3's print-olsr.c olsr_print() prints it (RFC
3626 and olsr.org's link-quality, name service and smart-gateway extensions): the
packet's sequence and length, under -v each message and its body."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, Truncated

MSG_TYPES = {1: "Hello", 2: "TC", 3: "MID", 4: "HNA", 128: "Powerinfo", 130: "Nameservice",
             201: "Hello-LQ", 202: "TC-LQ"}
LINK_TYPES = {0: "Unspecified", 1: "Asymmetric", 2: "Symmetric", 3: "Lost"}
NEIGHBOR_TYPES = {0: "Not-Neighbor", 1: "Symmetric", 2: "Symmetric-MPR"}


def _me_to_double(me: int) -> float:
    """ME_TO_DOUBLE(): an 8-bit mantissa/exponent time."""
    return 0.0625 * (1 + (me >> 4) / 16) * (1 << (me & 0x0F))


def _mask2plen(mask: int) -> int:
    """mask2plen(): -1 for a mask that is not contiguous."""
    for plen in range(32, -1, -1):
        if ((0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF) == mask:
            return plen
    return -1


def _mask62plen(mask: bytes) -> int:
    """mask62plen(): the leading whole bytes and the first partial one."""
    cidr = 0
    for b in mask:
        for bits, value in enumerate((0x00, 0x80, 0xC0, 0xE0, 0xF0, 0xF8, 0xFC, 0xFE, 0xFF)):
            if b == value:
                cidr += bits
                break
        if b != 0xFF:
            break
    return cidr


def _gw_speed(value: int) -> int:
    """deserialize_gw_speed()."""
    if not value:
        return 0
    if value == 0xFF:
        return 320000000
    return ((value >> 3) + 1) * 10 ** (value & 7)


def _neighbors(d: Dissector, data: int, length: int) -> None:
    """olsr_print_neighbor(): its counter never moves, so a blank after each."""
    d.p("\n\t      neighbor\n\t\t")
    while length >= 4:
        d.p(f"{d.ipaddr_string(data)} ")
        data += 4
        length -= 4


def _lq_neighbors(d: Dissector, data: int, length: int, v6: bool) -> None:
    """olsr_print_lq_neighbor4()/6()."""
    size = 20 if v6 else 8
    while length >= size:
        d.need(data, size)
        addr = d.ip6addr_string(data) if v6 else d.ipaddr_string(data)
        at = data + size - 4
        d.p(f"\n\t      neighbor {addr}, link-quality {d.u8(at) / 2.55:.2f}%, "
            f"neighbor-link-quality {d.u8(at + 1) / 2.55:.2f}%")
        data += size
        length -= size


def olsr_print(d: Dissector, pptr: int, length: int, v6: bool) -> None:
    """olsr_print()."""
    d.protocol = "olsr"
    d.p(f"OLSRv{6 if v6 else 4}")
    try:
        _olsr(d, pptr, length, v6)
    except Truncated:
        d.nd_print_trunc()


def _olsr(d: Dissector, pptr: int, length: int, v6: bool) -> None:
    if length < 4:
        raise Truncated()
    d.need(pptr, 4)
    length = min(length, d.u16(pptr))
    d.p(f", seq 0x{d.u16(pptr + 2):04x}, length {length}")
    if not d.opts.vflag:
        return
    tptr = pptr + 4
    hsize = 24 if v6 else 12          # struct olsr_msg6 / olsr_msg4
    asize = 16 if v6 else 4
    while tptr < pptr + length:
        d.need(tptr, hsize)
        mtype, mlen = d.u8(tptr), d.u16(tptr + 2)
        valid = hsize <= mlen <= length
        if mtype == 0 or mlen == 0:
            return
        orig = d.ip6addr_string(tptr + 4) if v6 else d.ipaddr_string(tptr + 4)
        at = tptr + 4 + asize
        d.p(f"\n\t{MSG_TYPES.get(mtype, 'Unknown')} Message ({mtype:#04x}), originator "
            f"{orig}, ttl {d.u8(at)}, hop {d.u8(at + 1)}\n\t  vtime "
            f"{_me_to_double(d.u8(tptr + 1)):.3f}s, msg-seq 0x{d.u16(at + 2):04x}, length "
            f"{mlen}{'' if valid else ' (invalid)'}")
        if not valid:
            return
        tlen, data = mlen - hsize, tptr + hsize
        if mtype in (1, 201):
            if tlen < 4:
                raise Truncated()
            d.need(data, 4)
            d.p(f"\n\t  hello-time {_me_to_double(d.u8(data + 2)):.3f}s, MPR willingness "
                f"{d.u8(data + 3)}")
            data += 4
            tlen -= 4
            while tlen >= 4:
                d.need(data, 4)
                hlen, code = d.u16(data + 2), d.u8(data)
                hvalid = 4 <= hlen <= tlen
                d.p(f"\n\t    link-type {LINK_TYPES.get(code & 3, 'Unknown')}, neighbor-type "
                    f"{NEIGHBOR_TYPES.get(code >> 2, 'Unknown')}, len {hlen}"
                    f"{'' if hvalid else ' (invalid)'}")
                if not hvalid:
                    break
                data += 4
                tlen -= 4
                hlen -= 4
                d.need(data, hlen)
                if mtype == 1:
                    _neighbors(d, data, hlen)
                else:
                    _lq_neighbors(d, data, hlen, v6)
                data += hlen
                tlen -= hlen
        elif mtype in (2, 202):
            if tlen < 4:
                raise Truncated()
            d.need(data, 4)
            d.p(f"\n\t    advertised neighbor seq 0x{d.u16(data):04x}")
            data += 4
            tlen -= 4
            if mtype == 2:
                _neighbors(d, data, tlen)
            else:
                _lq_neighbors(d, data, tlen, v6)
        elif mtype == 3:
            while tlen >= asize:
                d.need(data, asize)
                addr = d.ip6addr_string(data) if v6 else d.ipaddr_string(data)
                d.p(f"\n\t  interface address {addr}")
                data += asize
                tlen -= asize
        elif mtype == 4:
            size = 32 if v6 else 8
            d.p(f"\n\t  Advertised networks (total {tlen // size})")
            col = 0
            while tlen >= size:
                d.need(data, size)
                if v6:
                    # (its counter never moves: every entry is #0)
                    d.p(f"\n\t    #0: {d.ip6addr_string(data)}/"
                        f"{_mask62plen(d.bytes_(data + 16, 16))}")
                else:
                    net, mask = d.bytes_(data, 4), d.bytes_(data + 4, 4)
                    lead = "\n\t    " if col == 0 else ", "
                    if net == bytes(4) and mask[0] == 0 and mask[1]:
                        f = mask[1]
                        speed = f & 1
                        d.p(f"{lead}Smart-Gateway:{' LINKSPEED' if f & 1 else ''}"
                            f"{' IPV4' if f & 2 else ''}{' IPV4-NAT' if f & 4 else ''}"
                            f"{' IPV6' if f & 8 else ''}{' IPv6-PREFIX' if f & 16 else ''} "
                            f"{_gw_speed(mask[2]) if speed else 0}/"
                            f"{_gw_speed(mask[3]) if speed else 0}")
                    else:
                        plen = _mask2plen(int.from_bytes(mask, "big")) & 0xFFFFFFFF
                        d.p(f"{lead}{d.ipaddr_string(data)}/{plen}")
                    col = (col + 1) % 4
                data += size
                tlen -= size
        elif mtype == 130:
            if tlen < 4:
                raise Truncated()
            entries = d.u16(data + 2)
            evalid = entries > 0 and entries * (4 + asize) <= tlen
            d.p(f"\n\t  Version {d.u16(data)}, Entries {entries}"
                f"{'' if evalid else ' (invalid)'}")
            if evalid:
                from ipemu.tcpdump.util import nd_printn
                data += 4
                tlen -= 4
                for i in range(entries):
                    if tlen < 4:
                        break
                    etype, elen = d.u16(data), d.u16(data + 2)
                    data += 4
                    tlen -= 4
                    lvalid = elen > 0 and asize + elen <= tlen
                    # printf's %#06x: no 0x for a zero
                    etext = f"{etype:#06x}" if etype else "000000"
                    d.p(f"\n\t    #{i}: type {etext}, length {elen}"
                        f"{'' if lvalid else ' (invalid)'}")
                    if not lvalid:
                        break
                    pad = (4 - elen % 4) % 4
                    if tlen < asize + elen + pad:
                        raise Truncated()
                    d.need(data, asize + elen + pad)
                    addr = d.ip6addr_string(data) if v6 else d.ipaddr_string(data)
                    d.p(f', address {addr}, name "')
                    nd_printn(d, data + asize, elen)
                    d.p('"')
                    data += asize + elen + pad
                    tlen -= asize + elen + pad
        else:
            d.print_unknown_data(data, "\n\t    ", tlen)
        tptr += mlen
