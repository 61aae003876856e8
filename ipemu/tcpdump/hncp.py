"""HNCP (UDP 8231, RFC 7788: OpenWrt's hnetd home networks) as tcpdump 4.99.3's
print-hncp.c prints it: DNCP's TLVs (request, endpoint, network and node state, peers,
keep-alives, trust verdicts) and HNCP's (version, external connections, delegated and
assigned prefixes, DHCPv4/v6 data, node addresses and names, DNS zones, managed PSK),
one line of type counts below -v's depth, each TLV on a line of its own above it."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, Truncated
from ipemu.tcpdump.util import nd_printjnp

TYPES = {1: "Request network state", 2: "Request node state", 3: "Node endpoint",
         4: "Network state", 5: "Node state", 8: "Peer", 9: "Keep-alive interval",
         10: "Trust-Verdict", 32: "HNCP-Version", 33: "External-Connection",
         34: "Delegated-Prefix", 43: "Prefix-Policy", 37: "DHCPv4-Data",
         38: "DHCPv6-Data", 35: "Assigned-Prefix", 36: "Node-Address",
         39: "DNS-Delegated-Zone", 40: "Domain-Name", 41: "Node-Name", 42: "Managed-PSK",
         0x10000: "Reserved", 0x10001: "Unassigned", 0x10002: "Private use",
         0x10003: "Future use"}
DH4OPTS = {6: "DNS-server", 42: "NTP-server", 119: "DNS-search"}
DH6OPTS = {23: "DNS-server", 24: "DNS-search-list", 31: "SNTP-servers"}
MAPPED = bytes(10) + b"\xff\xff"


class _Invalid(Exception):
    """hncp_print_rec()'s `goto invalid`."""


def hncp_print(d: Dissector, cp: int, length: int) -> None:
    d.protocol = "hncp"
    d.p(f"hncp ({length})")
    _rec(d, cp, length, 1)


def _nid(d: Dissector, at: int) -> str:
    return ":".join(f"{b:02x}" for b in d.bytes_(at, 4))


def _interval(n: int) -> str:
    return f"{n // 1000}.{n % 1000:03d}s"


def _ip6(d: Dissector, at: int) -> str:
    if d.bytes_(at, 12) == MAPPED:
        return d.ipaddr_string(at + 12)
    return d.ip6addr_string(at)


def _prefix(d: Dissector, at: int, max_length: int) -> int:
    """print_prefix(): an IPv4-mapped or IPv6 prefix; its length or < 0."""
    plen = d.u8(at)
    if plen >= 96 and max_length >= 13 and d.bytes_(at + 1, 12) == MAPPED:
        plen -= 96
        if plen > 32:
            return -1
        max_length -= 1
        nbytes = (plen + 7) // 8
        if max_length < nbytes + 12:
            return -3
        addr = bytearray(4)
        addr[:nbytes] = d.bytes_(at + 13, nbytes)
        if plen % 8:
            addr[nbytes - 1] &= (0xFF00 >> (plen % 8)) & 0xFF
        text = ".".join(str(b) for b in addr)
        if not d.opts.nflag:
            text = d.opts.hosts.get(text, text)
        d.p(f"{text}/{plen}")
        return nbytes + 13
    from ipemu.tcpdump.bgp import decode_prefix
    used, text = decode_prefix(d, at, max_length, True)
    if used < 0:
        return used
    d.p(text)
    return used


def _dns_label(d: Dissector, cp: int, max_length: int) -> int:
    length = 0
    while length < max_length:
        lab = d.u8(cp + length)
        length += 1
        if lab == 0:
            return length
        if length > 1:
            d.p(".")
        if length + lab > max_length:
            nd_printjnp(d, cp + length, max_length - length)
            break
        nd_printjnp(d, cp + length, lab)
        length += lab
    d.p("[|DNS]")
    return -1


def _indent(d: Dissector, indent: int) -> None:
    d.p("\n" + "\t" * indent)


def _dhcp(d: Dissector, cp: int, length: int, indent: int, v6: bool) -> bool:
    """dhcpv4_print()/dhcpv6_print(): False where they return -1."""
    from ipemu.tcpdump.dns import fqdn_print
    hdr = 4 if v6 else 2
    i = 0
    while i < length:
        if i + hdr > length:
            return False
        tlv = cp + i
        if v6:
            kind, optlen = d.u16(tlv), d.u16(tlv + 2)
        else:
            kind, optlen = d.u8(tlv), d.u8(tlv + 1)
        value = tlv + hdr
        _indent(d, indent)
        d.p((DH6OPTS if v6 else DH4OPTS).get(kind, "Unknown"))
        d.p(f" ({optlen + hdr})")
        if i + hdr + optlen > length:
            return False
        if (not v6 and kind in (6, 42)) or (v6 and kind in (23, 31)):
            size = 16 if v6 else 4
            if optlen % size != 0 or (not v6 and optlen < 4):
                if v6:
                    d.p(" (invalid)")
                return False
            for t in range(0, optlen, size):
                d.p(" " + (d.ip6addr_string(value + t) if v6 else d.ipaddr_string(value + t)))
        elif (not v6 and kind == 119) or (v6 and kind == 24):
            tp = value
            while tp < value + optlen:
                d.p(" ")
                tp = fqdn_print(d, tp, value + optlen)
                if tp is None:
                    return False
        i += hdr + optlen
    return True


def _in_line(d: Dissector, indent: int) -> bool:
    return indent - 1 >= d.opts.vflag and d.opts.vflag < 3


def _type_in_line(d: Dissector, kind: int, count: int, indent: int, first: list) -> None:
    if count > 0:
        if first[0]:
            if indent > 1:
                _indent(d, indent)
            else:
                d.p(" ")
            first[0] = False
        else:
            d.p(", ")
        d.p(TYPES.get(kind, "Easter Egg"))
        if count > 1:
            d.p(f" (x{count})")


def _rec(d: Dissector, cp: int, length: int, indent: int) -> None:
    try:
        _rec_body(d, cp, length, indent)
    except _Invalid:
        d.p(" (invalid)")
    except Truncated:
        d.nd_print_trunc()


def _rec_body(d: Dissector, cp: int, length: int, indent: int) -> None:
    in_line = _in_line(d, indent)
    first = [True]
    last_mask, last_count = 0xFFFFFFFF, -1
    i = 0
    while i < length:
        tlv = cp + i
        if not in_line:
            _indent(d, indent)
        d.need(tlv, 4)
        if i + 4 > length:
            raise _Invalid()
        kind, bodylen = d.u16(tlv), d.u16(tlv + 2)
        value = tlv + 4
        d.need(value, bodylen)
        if i + bodylen + 4 > length:
            raise _Invalid()
        mask = (0x10000 if kind == 0 else 0x10001 if 44 <= kind <= 511
                else 0x10002 if 768 <= kind <= 1023 else 0x10003)
        if kind in (6, 7):
            mask = 0x10003
        if kind in TYPES and kind <= 0xFFFF:
            mask = kind
        if in_line:
            if last_mask == mask:
                last_count += 1
            else:
                _type_in_line(d, last_mask, last_count, indent, first)
                last_mask, last_count = mask, 1
        else:
            d.p(TYPES.get(mask, "Easter Egg (42)"))
            if mask > 0xFFFF:
                d.p(f": type={kind}")
            d.p(f" ({bodylen + 4})")
            _tlv(d, mask, value, bodylen, indent)
        i += 4 + ((bodylen + 3) & ~3)
    _type_in_line(d, last_mask, last_count, indent, first)


def _tlv(d: Dissector, mask: int, value: int, bodylen: int, indent: int) -> None:
    inv = " (invalid)"
    if mask == 1:
        if bodylen != 0:
            d.p(inv)
    elif mask == 2:
        d.p(inv if bodylen != 4 else f" NID: {_nid(d, value)}")
    elif mask == 3:
        d.p(inv if bodylen != 8 else f" NID: {_nid(d, value)} EPID: {d.u32(value + 4):08x}")
    elif mask == 4:
        d.p(inv if bodylen != 8 else f" hash: {int.from_bytes(d.bytes_(value, 8), 'big'):016x}")
    elif mask == 5:
        if bodylen < 20:
            d.p(inv)
            return
        d.p(f" NID: {_nid(d, value)} seqno: {d.u32(value + 4)} {_interval(d.u32(value + 8))} "
            f"hash: {int.from_bytes(d.bytes_(value + 12, 8), 'big'):016x}")
        _rec(d, value + 20, bodylen - 20, indent + 1)
    elif mask == 8:
        if bodylen != 12:
            d.p(inv)
            return
        d.p(f" Peer-NID: {_nid(d, value)} Peer-EPID: {d.u32(value + 4):08x} "
            f"Local-EPID: {d.u32(value + 8):08x}")
    elif mask == 9:
        if bodylen < 8:
            d.p(inv)
            return
        d.p(f" EPID: {d.u32(value):08x} Interval: {_interval(d.u32(value + 4))}")
    elif mask == 10:
        if bodylen <= 36:
            d.p(inv)
            return
        d.p(f" Verdict: {d.u8(value)} Fingerprint: {d.bytes_(value + 4, 32).hex()} Common Name: ")
        nd_printjnp(d, value + 36, bodylen - 36)
    elif mask == 32:
        if bodylen < 5:
            d.p(inv)
            return
        caps = d.u16(value + 2)
        d.p(f" M: {(caps >> 12) & 15} P: {(caps >> 8) & 15} H: {(caps >> 4) & 15} "
            f"L: {caps & 15} User-agent: ")
        nd_printjnp(d, value + 4, bodylen - 4)
    elif mask == 33:
        _rec(d, value, bodylen, indent + 1)
    elif mask == 34:
        if bodylen < 9 or bodylen < 9 + (d.u8(value + 8) + 7) // 8:
            d.p(inv)
            return
        d.p(f" VLSO: {_interval(d.u32(value))} PLSO: {_interval(d.u32(value + 4))} Prefix: ")
        n = _prefix(d, value + 8, bodylen - 8)
        if n == -1:
            d.p("(length is invalid)")
            return
        if n < 0:
            d.p(inv)
            return
        n += 8 + (-n & 3)
        if bodylen >= n:
            _rec(d, value + n, bodylen - n, indent + 1)
    elif mask == 43:
        if bodylen < 1:
            d.p(inv)
            return
        policy = d.u8(value)
        d.p(" type: ")
        if policy == 0:
            d.p(inv if bodylen != 1 else "Internet connectivity")
        elif policy <= 128:
            d.p("Dest-Prefix: ")
            n = _prefix(d, value, bodylen)
            if n == -1:
                d.p("(length is invalid)")
            elif n < 0:
                d.p(inv)
        elif policy == 129:
            d.p("DNS domain: ")
            _dns_label(d, value + 1, bodylen - 1)
        elif policy == 130:
            d.p("Opaque UTF-8: ")
            nd_printjnp(d, value + 1, bodylen - 1)
        elif policy == 131:
            d.p(inv if bodylen != 1 else "Restrictive assignment")
        else:
            d.p(f"Unknown ({policy})")
    elif mask == 37:
        if bodylen == 0:
            d.p(inv)
            return
        if not _dhcp(d, value, bodylen, indent + 1, False):
            raise _Invalid()
    elif mask == 38:
        if bodylen == 0:
            d.p(inv)
            return
        if not _dhcp(d, value, bodylen, indent + 1, True):
            d.p(inv)
    elif mask == 35:
        if bodylen < 6 or bodylen < 6 + (d.u8(value + 5) + 7) // 8:
            d.p(inv)
            return
        d.p(f" EPID: {d.u32(value):08x} Prty: {d.u8(value + 4) & 15}")
        d.p(" Prefix: ")
        n = _prefix(d, value + 5, bodylen - 5)
        if n < 0:
            d.p(inv)
            return
        n += 5
        n += -n & 3
        if bodylen >= n:
            _rec(d, value + n, bodylen - n, indent + 1)
    elif mask == 36:
        if bodylen < 20:
            d.p(inv)
            return
        d.p(f" EPID: {d.u32(value):08x} IP Address: {_ip6(d, value + 4)}")
        _rec(d, value + 20, bodylen - 20, indent + 1)
    elif mask == 39:
        if bodylen < 17:
            d.p(inv)
            return
        flags = d.u8(value + 16)
        d.p(f" IP-Address: {_ip6(d, value)} {'l' if flags & 4 else '-'}"
            f"{'b' if flags & 2 else '-'}{'s' if flags & 1 else '-'} ")
        n = _dns_label(d, value + 17, bodylen - 17)
        if n < 0:
            d.p(inv)
            return
        n += 17
        n += -n & 3
        if bodylen >= n:
            _rec(d, value + n, bodylen - n, indent + 1)
    elif mask == 40:
        if bodylen == 0:
            d.p(inv)
            return
        d.p(" Domain: ")
        _dns_label(d, value, bodylen)
    elif mask == 41:
        if bodylen < 17:
            d.p(inv)
            return
        n = d.u8(value + 16)
        if bodylen < 17 + n:
            d.p(inv)
            return
        d.p(f" IP-Address: {_ip6(d, value)} Name: ")
        if n < 64:
            d.p('"')
            nd_printjnp(d, value + 17, n)
            d.p('"')
        else:
            d.p(inv)
        n = (n + 17 + 3) & ~3
        if bodylen >= n:
            _rec(d, value + n, bodylen - n, indent + 1)
    elif mask == 42:
        if bodylen < 32:
            d.p(inv)
            return
        d.p(f" PSK: {d.bytes_(value, 32).hex()}")
        _rec(d, value + 32, bodylen - 32, indent + 1)
