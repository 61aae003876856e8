"""BGP as tcpdump 4.99.3 prints it (print-bgp.c bgp_print()): `: BGP` after the TCP
line, and under -v each message found by its marker: OPEN with its capabilities,
UPDATE with withdrawn routes, path attributes (origin, AS paths, next hop, MED, local
preference, aggregator, communities, originator, cluster list, multiprotocol reach and
unreach for IPv4/IPv6 unicast, multicast, labeled and VPN routes, extended and large
communities, PMSI tunnels, AIGP) and NLRI, NOTIFICATION, KEEPALIVE and ROUTE-REFRESH. Attributes and
address families print.bgp.c decodes beyond these print as it prints an attribute it
has no decoder for."""
from __future__ import annotations

import struct

from ipemu.tcpdump.dissect import Dissector, bittok2str, ip6addr_string_raw, tok2str
from ipemu.tcpdump.hexdump import hex_print
from ipemu.tcpdump.util import nd_printn

BGP_SIZE = 19
MSG_VALUES = {1: "Open", 2: "Update", 3: "Notification", 4: "Keepalive", 5: "Route Refresh"}
ATTR_VALUES = {
    1: "Origin", 2: "AS Path", 17: "AS4 Path", 3: "Next Hop", 4: "Multi Exit Discriminator",
    5: "Local Preference", 6: "Atomic Aggregate", 7: "Aggregator", 18: "Aggregator4",
    8: "Community", 9: "Originator ID", 10: "Cluster List", 11: "DPA", 12: "Advertisers",
    13: "RCID Path / Cluster ID", 14: "Multi-Protocol Reach NLRI",
    15: "Multi-Protocol Unreach NLRI", 16: "Extended Community", 22: "PMSI Tunnel",
    23: "Tunnel Encapsulation", 24: "Traffic Engineering", 25: "IPv6 Extended Community",
    26: "Accumulated IGP Metric", 27: "PE Distinguisher Label", 28: "Entropy Label",
    32: "Large Community", 128: "Attribute Set", 255: "Reserved for development"}
SEG_OPEN = {2: "", 1: "{ ", 3: "( ", 4: "({ "}
SEG_CLOSE = {2: "", 1: "}", 3: ")", 4: "})"}
OPT_VALUES = {1: "Authentication Information", 2: "Capabilities Advertisement"}
CAPCODE_VALUES = {
    1: "Multiprotocol Extensions", 2: "Route Refresh", 3: "Cooperative Route Filtering",
    4: "Multiple Routes to a Destination", 5: "Extended Next Hop Encoding",
    8: "Multiple Labels", 64: "Graceful Restart", 65: "32-Bit AS Number",
    67: "Dynamic Capability", 68: "Multisession BGP", 69: "Multiple Paths",
    70: "Enhanced Route Refresh", 71: "Long-lived Graceful Restart",
    128: "Route Refresh (Cisco)"}
NOTIFY_MAJOR = {1: "Message Header Error", 2: "OPEN Message Error", 3: "UPDATE Message Error",
                4: "Hold Timer Expired", 5: "Finite State Machine Error", 6: "Cease",
                7: "Capability Message Error"}
NOTIFY_MINOR = {
    6: {1: "Maximum Number of Prefixes Reached", 2: "Administrative Shutdown",
        3: "Peer Unconfigured", 4: "Administrative Reset", 5: "Connection Rejected",
        6: "Other Configuration Change", 7: "Connection Collision Resolution"},
    1: {1: "Connection Not Synchronized", 2: "Bad Message Length", 3: "Bad Message Type"},
    2: {1: "Unsupported Version Number", 2: "Bad Peer AS", 3: "Bad BGP Identifier",
        4: "Unsupported Optional Parameter", 5: "Authentication Failure",
        6: "Unacceptable Hold Time", 7: "Capability Message Error"},
    3: {1: "Malformed Attribute List", 2: "Unrecognized Well-known Attribute",
        3: "Missing Well-known Attribute", 4: "Attribute Flags Error",
        5: "Attribute Length Error", 6: "Invalid ORIGIN Attribute", 7: "AS Routing Loop",
        8: "Invalid NEXT_HOP Attribute", 9: "Optional Attribute Error",
        10: "Invalid Network Field", 11: "Malformed AS_PATH"},
    5: {0: "Unspecified Error", 1: "In OpenSent State", 2: "In OpenConfirm State",
        3: "In Established State"},
    7: {1: "Invalid Action Value", 2: "Invalid Capability Length",
        3: "Malformed Capability Value", 4: "Unsupported Capability Code"}}
ORIGIN_VALUES = {0: "IGP", 1: "EGP", 2: "Incomplete"}
PMSI_TUNNELS = {1: "RSVP-TE P2MP LSP", 2: "LDP P2MP LSP", 3: "PIM-SSM Tree", 4: "PIM-SM Tree",
                5: "PIM-Bidir Tree", 6: "Ingress Replication", 7: "LDP MP2MP LSP"}
PMSI_FLAGS = [(0x01, "Leaf Information required")]
SAFI_VALUES = {0: "Reserved", 1: "Unicast", 2: "Multicast", 3: "Unicast+Multicast",
               4: "labeled Unicast", 64: "Tunnel", 65: "VPLS", 66: "MDT", 70: "EVPN",
               128: "labeled VPN Unicast", 129: "labeled VPN Multicast",
               130: "labeled VPN Unicast+Multicast",
               132: "Route Target Routing Information", 5: "Multicast VPN"}
# af.c af_values[]
AF_VALUES = {0: "Reserved", 1: "IPv4", 2: "IPv6", 3: "NSAP", 4: "HDLC", 5: "BBN 1822",
             6: "802", 7: "E.163", 8: "E.164", 9: "F.69", 10: "X.121", 11: "Novell IPX",
             12: "Appletalk", 13: "Decnet IV", 14: "Banyan Vines",
             15: "E.164 with NSAP subaddress", 196: "Layer-2 VPN", 25: "VPLS"}
ADD_PATH_RECVSEND = {1: "Receive", 2: "Send", 3: "Both"}
EXTD_COMM_FLAGS = [(0x8000, "vendor-specific"), (0x4000, "non-transitive")]
EXTD_COMM_SUBTYPES = {
    0x0002: "target", 0x0102: "target", 0x0202: "target", 0x0003: "origin",
    0x0103: "origin", 0x0203: "origin", 0x4004: "link-BW", 0x0005: "ospf-domain",
    0x0105: "ospf-domain", 0x0205: "ospf-domain", 0x8005: "ospf-domain",
    0x0306: "ospf-route-type", 0x8000: "ospf-route-type", 0x030c: "encapsulation",
    0x0107: "ospf-router-id", 0x8001: "ospf-router-id", 0x800a: "layer2-info",
    0x8800: "eigrp-general-route (flag, tag)", 0x8801: "eigrp-route-metric (AS, delay)",
    0x8802: "eigrp-route-metric (reliability, nexthop, bandwidth)",
    0x8803: "eigrp-route-metric (load, MTU)",
    0x8804: "eigrp-external-route (remote-AS, remote-ID)",
    0x8805: "eigrp-external-route (remote-proto, remote-metric)", 0x0009: "source-AS",
    0x010b: "vrf-route-import", 0x000a: "l2vpn-id", 0xF10a: "l2vpn-id"}
ENCAP_TUNNELS = {1: "L2TPv3 over IP", 2: "GRE", 3: "Transmit Tunnel", 4: "IPsec",
                 5: "IP in IP with IPsec", 6: "MPLS in IP with IPsec", 7: "IP in IP",
                 8: "VXLAN", 9: "NVGRE", 10: "MPLS", 11: "MPLS in GRE", 12: "VXLAN GPE",
                 13: "MPLS in UDP", 14: "IPv6", 15: "SR TE", 16: "Bare", 17: "SR"}
OSPF_RTYPES = {1: "Router", 2: "Network", 3: "Summary", 5: "External", 7: "NSSA External",
               129: "MPLS-VPN Sham"}
# the (AFI, SAFI) pairs bgp_mp_af_print() accepts; which of them ipemu decodes
INET, INET6 = 1, 2
V4_PLAIN = {(INET, 1), (INET, 2), (INET, 3)}
V6_PLAIN = {(INET6, 1), (INET6, 2), (INET6, 3)}
V4_VPN = {(INET, 128), (INET, 129), (INET, 130)}
V6_VPN = {(INET6, 128), (INET6, 129), (INET6, 130)}
MP_KNOWN = (V4_PLAIN | V6_PLAIN | V4_VPN | V6_VPN | {(INET, 4), (INET, 132), (INET, 5),
            (INET, 66), (INET6, 4), (3, 1), (3, 2), (3, 3), (3, 128), (3, 129), (3, 130),
            (196, 128), (196, 129), (196, 130), (25, 65)})


class _Unported(Exception):
    """A part of print-bgp.c ipemu does not have (NSAP, L2VPN, MDT... routes)."""


def bgp_print(d: Dissector, bp: int, length: int) -> None:
    """bgp_print(): `: BGP`, then under -v every message whose marker is found."""
    d.protocol = "bgp"
    d.p(": BGP")
    if not d.opts.vflag:
        return
    p = start = bp
    marker = b"\xff" * 16
    while p < d.snapend:
        if d.data[p] != 0xFF:
            p += 1
            continue
        if not d.ttest(p, 16):
            break
        if d.data[p:p + 16] != marker:
            p += 1
            continue
        if not d.ttest(p, BGP_SIZE):
            d.nd_print_trunc()
            return
        if start != p:
            d.nd_print_trunc()
        hlen = d.u16(p + 16)
        if hlen < BGP_SIZE:
            d.p(f"\nmessage length {hlen} < {BGP_SIZE} (invalid)")
            break
        if not d.ttest(p, hlen):
            d.p(f"\n[|BGP {MSG_VALUES.get(d.u8(p + 18), 'Unknown Message Type')}]")
            break
        if not bgp_pdu_print(d, p, hlen):
            return
        p += hlen
        start = p


def bgp_pdu_print(d: Dissector, dat: int, length: int) -> bool:
    """bgp_pdu_print(): one message's type line and its decoder."""
    kind = d.u8(dat + 18)
    d.p(f"\n\t{MSG_VALUES.get(kind, 'Unknown')} Message ({kind}), length: {length}")
    if kind == 1:
        _open_print(d, dat, length)
    elif kind == 2:
        _update_print(d, dat, length)
    elif kind == 3:
        _notification_print(d, dat, length)
    elif kind == 5:
        _route_refresh_print(d, dat, length)
    elif kind != 4:
        d.p(f"\n\t  no Message {kind} decoder")
        d.print_unknown_data(dat, "\n\t  ", length)
    return True


def as_printf(d: Dissector, asnum: int) -> str:
    """as_printf(): the plain number, or under -b (ndo_bflag) a 4-byte AS past 65535 in
    asdot notation (RFC 5396)."""
    if not d.opts.bflag or asnum <= 0xFFFF:
        return str(asnum)
    return f"{asnum >> 16}.{asnum & 0xFFFF}"


def _open_print(d: Dissector, dat: int, length: int) -> None:
    """bgp_open_print()."""
    if not d.ttest(dat, 29) or length < 29:
        d.nd_print_trunc()
        return
    d.p(f"\n\t  Version {d.u8(dat + 19)}, my AS {as_printf(d, d.u16(dat + 20))}, "
        f"Holdtime {d.u16(dat + 22)}s, ID {d.ipaddr_string(dat + 24)}")
    optslen = d.u8(dat + 28)
    d.p(f"\n\t  Optional parameters, length: {optslen}")
    opt, length = dat + 29, length - 29
    i = 0
    while i < optslen:
        if not d.ttest(opt + i, 2) or length < 2 + i:
            d.nd_print_trunc()
            return
        opt_type, opt_len = d.u8(opt + i), d.u8(opt + i + 1)
        if 2 + i + opt_len > optslen:
            d.p(f"\n\t     Option {opt_type}, length: {opt_len}, goes past the end of the "
                "options")
            break
        d.p(f"\n\t    Option {OPT_VALUES.get(opt_type, 'Unknown')} ({opt_type}), "
            f"length: {opt_len}")
        if opt_type == 2:
            _capabilities_print(d, opt + 2 + i, opt_len)
        else:
            d.p(f"\n\t      no decoder for option {opt_type}")
        i += 2 + opt_len


def _afi_safi(d: Dissector, at: int) -> str:
    afi, safi = d.u16(at), d.u8(at + 2)
    return (f"AFI {AF_VALUES.get(afi, 'Unknown')} ({afi}), "
            f"SAFI {SAFI_VALUES.get(safi, 'Unknown')} ({safi})")


def _capabilities_print(d: Dissector, opt: int, caps_len: int) -> None:
    """bgp_capabilities_print()."""
    i = 0
    while i < caps_len:
        if not d.ttest(opt + i, 2):
            d.nd_print_trunc()
            return
        cap_type, cap_len = d.u8(opt + i), d.u8(opt + i + 1)
        d.p(f"\n\t      {CAPCODE_VALUES.get(cap_type, 'Unknown')} ({cap_type}), "
            f"length: {cap_len}")
        if not d.ttest(opt + 2 + i, cap_len):
            d.nd_print_trunc()
            return
        at = opt + i + 2
        if cap_type == 1:
            if cap_len < 4:
                d.p(" (too short, < 4)")
                return
            afi, safi = d.u16(at), d.u8(at + 3)
            d.p(f"\n\t\tAFI {AF_VALUES.get(afi, 'Unknown')} ({afi}), "
                f"SAFI {SAFI_VALUES.get(safi, 'Unknown')} ({safi})")
        elif cap_type == 8:
            off, tcap = 0, cap_len
            while tcap >= 4:
                d.p(f"\n\t\t{_afi_safi(d, at + off)}, Count: {d.u8(at + off + 3)}")
                tcap -= 4
                off += 4
        elif cap_type == 64:
            if cap_len < 2:
                d.p(" (too short, < 2)")
                return
            d.p(f"\n\t\tRestart Flags: [{'R' if d.u8(at) & 0x80 else 'none'}], "
                f"Restart Time {d.u16(at) & 0xFFF}s")
            off, tcap = 2, cap_len - 2
            while tcap >= 4:
                d.p(f"\n\t\t  {_afi_safi(d, at + off)}, Forwarding state preserved: "
                    f"{'yes' if d.u8(at + off + 3) & 0x80 else 'no'}")
                tcap -= 4
                off += 4
        elif cap_type in (2, 71, 128):
            pass
        elif cap_type == 65:
            if cap_len < 4:
                d.p(" (too short, < 4)")
                return
            d.p(f"\n\t\t 4 Byte AS {as_printf(d, d.u32(at))}")
        elif cap_type == 69:
            if cap_len == 0:
                d.p(" (bogus)")
            off, tcap = 0, cap_len
            while tcap:
                if tcap < 4:
                    d.p(" (invalid)")
                    break
                rs = d.u8(at + off + 3)
                d.p(f"\n\t\t{_afi_safi(d, at + off)}, Send/Receive: "
                    f"{ADD_PATH_RECVSEND.get(rs, f'Bogus (0x{rs:02x})')}")
                tcap -= 4
                off += 4
        else:
            d.p(f"\n\t\tno decoder for Capability {cap_type}")
            if d.opts.vflag <= 1:
                d.print_unknown_data(at, "\n\t\t", cap_len)
        if d.opts.vflag > 1 and cap_len:
            d.print_unknown_data(at, "\n\t\t", cap_len)
        i += 2 + cap_len


def _ip4_text(d: Dissector, raw: bytes) -> str:
    text = ".".join(str(b) for b in raw)
    return text if d.opts.nflag else d.opts.hosts.get(text, text)


def _ip6_text(d: Dissector, raw: bytes) -> str:
    text = ip6addr_string_raw(raw)
    return text if d.opts.nflag else d.opts.hosts.get(text, text)


def _prefix_bytes(d: Dissector, at: int, plen: int, size: int) -> bytes:
    n = (plen + 7) // 8
    raw = bytearray(d.bytes_(at, n) + bytes(size - n))
    if plen % 8:
        raw[n - 1] &= (0xFF00 >> (plen % 8)) & 0xFF
    return bytes(raw)


def decode_prefix(d: Dissector, at: int, itemlen: int, v6: bool) -> tuple[int, str]:
    """decode_prefix4()/decode_prefix6(): (bytes used, text); -1 bad length, -2 short."""
    if itemlen < 1:
        return -2, ""
    plen = d.u8(at)
    if plen > (128 if v6 else 32):
        return -1, ""
    if itemlen - 1 < (plen + 7) // 8:
        return -2, ""
    raw = _prefix_bytes(d, at + 1, plen, 16 if v6 else 4)
    text = _ip6_text(d, raw) if v6 else _ip4_text(d, raw)
    return 1 + (plen + 7) // 8, f"{text}/{plen}"


def _label(d: Dissector, at: int) -> str:
    bos = "(bottom)" if d.u8(at + 2) & 1 else "(BOGUS: Bottom of Stack NOT set!)"
    return f"label:{(d.u16(at) << 8 | d.u8(at + 2)) >> 4} {bos}"


def _labeled_prefix(d: Dissector, at: int, itemlen: int, v6: bool) -> tuple[int, str]:
    """decode_labeled_prefix4()/6(): -1 bad length, -2 truncated, -3 short item."""
    if not d.ttest(at, 4):
        return -2, ""
    if itemlen < 4:
        return -3, ""
    plen = d.u8(at)
    if plen < 24:
        return -1, ""
    plen -= 24
    if plen > (128 if v6 else 32):
        return -1, ""
    if not v6 and itemlen - 4 < (plen + 7) // 8:
        return -3, ""
    raw = _prefix_bytes(d, at + 4, plen, 16 if v6 else 4)
    text = _ip6_text(d, raw) if v6 else _ip4_text(d, raw)
    return 4 + (plen + 7) // 8, f"{text}/{plen}, {_label(d, at + 1)}"


def _labeled_vpn_prefix(d: Dissector, at: int, v6: bool) -> tuple[int, str]:
    """decode_labeled_vpn_prefix4()/6()."""
    plen = d.u8(at)
    if plen < 88:
        return -1, ""
    plen -= 88
    if plen > (128 if v6 else 32):
        return -1, ""
    raw = _prefix_bytes(d, at + 12, plen, 16 if v6 else 4)
    text = _ip6_text(d, raw) if v6 else _ip4_text(d, raw)
    return 12 + (plen + 7) // 8, \
        f"RD: {bgp_vpn_rd_print(d, at + 4)}, {text}/{plen}, {_label(d, at + 1)}"


def bgp_vpn_rd_print(d: Dissector, at: int) -> str:
    """bgp_vpn_rd_print(): an RFC 4364 route distinguisher."""
    kind = d.u16(at)
    b = d.bytes_(at, 8)
    if kind == 0:
        return f"{d.u16(at + 2)}:{d.u32(at + 4)} (= {b[4]}.{b[5]}.{b[6]}.{b[7]})"
    if kind == 1:
        return f"{b[2]}.{b[3]}.{b[4]}.{b[5]}:{d.u16(at + 6)}"
    if kind == 2:
        return (f"{as_printf(d, d.u32(at + 2))}:{d.u16(at + 6)} "
                f"({b[2]}.{b[3]}.{b[4]}.{b[5]}:{d.u16(at + 6)})")
    return "unknown RD format"


MVPN_ROUTE_TYPES = {1: "Intra-AS I-PMSI", 2: "Inter-AS I-PMSI", 3: "S-PMSI",
                    4: "Intra-AS Segment-Leaf", 5: "Source-Active", 6: "Shared Tree Join",
                    7: "Source Tree Join"}


def bgp_vpn_ip_print(d: Dissector, at: int, addr_length: int) -> str:
    """bgp_vpn_ip_print(): an address by its length in bits."""
    if addr_length == 32:
        return d.ipaddr_string(at)
    if addr_length == 128:
        return d.ip6addr_string(at)
    return f"bogus address length {addr_length}"


def _vpn_sg(d: Dissector, at: int) -> tuple[int, str]:
    """bgp_vpn_sg_print(): the source and group (lengths in bits); a source or group
    past the capture ends it there (its `goto trunc` returns what it counted)."""
    total, text = 0, ""
    for label in ("Source", "Group"):
        bits = d.u8(at)
        at += 1
        if not d.ttest(at, bits >> 3):
            return total, text
        total += (bits >> 3) + 1
        if bits:
            text += f", {label} {bgp_vpn_ip_print(d, at, bits)}"
            at += bits >> 3
    return total, text


def _multicast_vpn(d: Dissector, at: int) -> tuple[int, str]:
    """decode_multicast_vpn(): the MVPN route (RFC 6514) by its type; -2 when cut
    short. The S-PMSI originator is read right after the RD, as tcpdump reads it."""
    rtype, rlen = d.u8(at), d.u8(at + 1)
    at += 2
    text = f"Route-Type: {MVPN_ROUTE_TYPES.get(rtype, 'Unknown')} ({rtype}), length: {rlen}"
    if rtype == 1:
        if not d.ttest(at, 8):
            return -2, text
        text += (f", RD: {bgp_vpn_rd_print(d, at)}, Originator "
                 f"{bgp_vpn_ip_print(d, at + 8, ((rlen - 8) << 3) & 0xFFFFFFFF)}")
    elif rtype in (2, 6, 7):
        if not d.ttest(at, 12):
            return -2, text
        text += f", RD: {bgp_vpn_rd_print(d, at)}, Source-AS {as_printf(d, d.u32(at + 8))}"
        if rtype != 2:
            text += _vpn_sg(d, at + 12)[1]
    elif rtype == 3:
        if not d.ttest(at, 8):
            return -2, text
        text += f", RD: {bgp_vpn_rd_print(d, at)}"
        at += 8
        sg_length, sg_text = _vpn_sg(d, at)
        text += sg_text
        addr_length = (rlen - sg_length) & 0xFFFFFFFF
        if not d.ttest(at, addr_length):
            return -2, text
        text += f", Originator {bgp_vpn_ip_print(d, at, (addr_length << 3) & 0xFFFFFFFF)}"
    elif rtype == 5:
        if not d.ttest(at, 8):
            return -2, text
        text += f", RD: {bgp_vpn_rd_print(d, at)}" + _vpn_sg(d, at + 8)[1]
    return rlen + 2, text


def _rt_prefix_text(d: Dissector, rt: bytes, plen: int) -> str:
    """bgp_rt_prefix_print(): a route-target prefix and its hex."""
    if plen == 0:
        return "route-target: 0:0/0"
    count = (plen + 7) // 8
    hexed = "".join(f"{rt[i]:02x}" + (" " if i % 2 == 1 and i < count - 1 else "")
                    for i in range(count))
    if plen < 16:
        return f"route-target: partial-type: ({hexed}/{plen})"
    kind = int.from_bytes(rt[:2], "big")
    if kind == 0x0002:
        return (f"route-target: {int.from_bytes(rt[2:4], 'big')}:"
                f"{int.from_bytes(rt[4:8], 'big')}/{plen} ({hexed})")
    if kind == 0x0102:
        return (f"route-target: {rt[2]}.{rt[3]}.{rt[4]}.{rt[5]}:"
                f"{int.from_bytes(rt[6:8], 'big')}/{plen} ({hexed})")
    if kind == 0x0202:
        return (f"route-target: {as_printf(d, int.from_bytes(rt[2:6], 'big'))}:"
                f"{int.from_bytes(rt[6:8], 'big')}/{plen} ({hexed})")
    return f"route target: unknown-type({kind:04x}) ({hexed}/{plen})"


def _rt_routing_info(d: Dissector, at: int) -> int:
    """decode_rt_routing_info() (RFC 4684 route-target membership NLRI)."""
    plen = d.u8(at)
    if plen == 0:
        d.p("\n\t      default route target")
        return 1
    if plen < 32:
        d.p("\n\t      (illegal prefix length)")
        return -1
    origin = as_printf(d, d.u32(at + 1))
    plen -= 32
    if plen > 64:
        d.p("\n\t      (illegal prefix length)")
        return -1
    count = (plen + 7) // 8
    rt = bytearray(d.bytes_(at + 5, count) + bytes(8 - count))
    if plen % 8:
        rt[count - 1] &= (0xFF00 >> (plen % 8)) & 0xFF
    d.p(f"\n\t      origin AS: {origin}, {_rt_prefix_text(d, bytes(rt), plen)}")
    return 5 + count


def _extended_community_print(d: Dissector, at: int) -> None:
    """bgp_extended_community_print()."""
    kind = d.u16(at)
    if kind in (0x0002, 0x0003, 0x000a):
        d.p(f"{d.u16(at + 2)}:{d.u32(at + 4)} (= {d.ipaddr_string(at + 4)})")
    elif kind in (0x0102, 0x0103, 0xF10a, 0x010b):
        d.p(f"{d.ipaddr_string(at + 2)}:{d.u16(at + 6)}")
    elif kind in (0x0202, 0x0203):
        d.p(f"{as_printf(d, d.u32(at + 2))}:{d.u16(at + 6)}")
    elif kind == 0x4004:
        bw = struct.unpack(">f", d.bytes_(at + 4, 4))[0]
        d.p(f"bandwidth: {bw * 8 / 1000000:.3f} Mbps")
    elif kind in (0x0005, 0x0105, 0x0205, 0x8005, 0x0107, 0x8001):
        d.p(d.ipaddr_string(at + 2))
    elif kind in (0x0306, 0x8000):
        rtype = d.u8(at + 6)
        d.p(f"area:{d.ipaddr_string(at + 2)}, router-type:"
            f"{OSPF_RTYPES.get(rtype, f'unknown (0x{rtype:02x})')}, metric-type:"
            f"{'E2' if d.u8(at + 7) & 1 else ''}{'E1' if rtype in (5, 7) else ''}")
    elif kind == 0x800a:
        raise _Unported()
    elif kind == 0x0009:
        d.p(f"AS {d.u16(at + 2)}")
    elif kind == 0x030c:
        d.p(f"Tunnel type: {ENCAP_TUNNELS.get(d.u16(at + 6), 'unknown encaps')}")
    else:
        d.p(d.bytes_(at + 2, 6).hex())


def _attr_get_as_size(d: Dissector, atype: int, pptr: int, length: int) -> int:
    """bgp_attr_get_as_size(): 2 when the path parses as 2-byte ASes, else 4."""
    if atype == 17:
        return 4
    t = pptr
    while t < pptr + length:
        if not 1 <= d.u8(t) <= 4:
            return 4
        t += 2 + d.u8(t + 1) * 2
    return 2 if t == pptr + length else 4


def check_add_path(d: Dissector, p: int, length: int, max_plen: int) -> bool:
    """check_add_path(): whether NLRI parse only with 4-byte path identifiers."""
    if length < 5:
        return False
    off = 0
    while off < length:
        off += 4
        if not d.ttest(p + off, 1):
            break
        plen = d.u8(p + off)
        if plen > max_plen:
            return False
        off += 1 + (plen + 7) // 8
    if off > length:
        return False
    off = 0
    while off < length:
        if not d.ttest(p + off, 1):
            break
        plen = d.u8(p + off)
        if plen < 1 or plen > max_plen:
            return True
        off += 1 + (plen + 7) // 8
    return off > length


def _mp_af_print(d: Dissector, tptr: int, tlen: int) -> tuple[int, int] | None | bool:
    """bgp_mp_af_print(): the AFI/SAFI line; None when there is no decoder for them,
    False at its `trunc:`."""
    af, safi = d.u16(tptr), d.u8(tptr + 2)
    d.p(f"\n\t    AFI: {AF_VALUES.get(af, 'Unknown AFI')} ({af}), "
        f"{'vendor specific ' if safi > 128 else ''}SAFI: "
        f"{SAFI_VALUES.get(safi, 'Unknown SAFI')} ({safi})")
    if (af, safi) not in MP_KNOWN:
        if not d.ttest(tptr, tlen):
            return False
        d.p(f"\n\t    no AFI {af} / SAFI {safi} decoder")
        if d.opts.vflag <= 1:
            d.print_unknown_data(tptr, "\n\t    ", tlen)
        return None
    return af, safi


def _nlri_print(d: Dissector, af: int, safi: int, tptr: int, length: int,
                add4: bool, add6: bool) -> int:
    """bgp_nlri_print() for the families ipemu decodes; -2 truncated."""
    key = (af, safi)
    if key in V4_PLAIN or key in V6_PLAIN:
        v6 = key in V6_PLAIN
        add = add6 if v6 else add4
        path_id = 0
        if add:
            path_id = d.u32(tptr)
            tptr += 4
        advance, text = decode_prefix(d, tptr, length, v6)
        if advance == -1:
            d.p("\n\t    (illegal prefix length)")
        elif advance == -2:
            return -2
        else:
            d.p(f"\n\t      {text}")
        if add:
            d.p(f"   Path Id: {path_id}")
            advance += 4
        return advance
    if key in ((INET, 4), (INET6, 4)):
        advance, text = _labeled_prefix(d, tptr, length, af == INET6)
        if advance == -1:
            d.p("\n\t    (illegal prefix length)")
        elif advance == -2:
            return -2
        elif advance != -3:
            d.p(f"\n\t      {text}")
        return advance
    if key == (INET, 132):
        return _rt_routing_info(d, tptr)
    if key in ((INET, 5), (INET6, 5)):
        advance, text = _multicast_vpn(d, tptr)
        if advance == -2:
            return -2
        d.p(f"\n\t      {text}")
        return advance
    if key in V4_VPN or key in V6_VPN:
        advance, text = _labeled_vpn_prefix(d, tptr, key in V6_VPN)
        if advance == -1:
            d.p("\n\t    (illegal prefix length)")
        else:
            d.p(f"\n\t      {text}")
        return advance
    raise _Unported()


_NH_V4 = V4_PLAIN | {(INET, 4), (INET, 132), (INET, 5), (INET, 66)}
_NH_V6 = V6_PLAIN | {(INET6, 4)}


def _attr_print(d: Dissector, atype: int, pptr: int, length: int, level: int = 0) -> bool:
    """bgp_attr_print(): one path attribute's value (`level`: ATTR_SET nesting); False at
    its `trunc:`."""
    tptr, tlen = pptr, length
    if atype == 1:
        if length != 1:
            d.p("invalid len")
        else:
            d.p(ORIGIN_VALUES.get(d.u8(tptr), "Unknown Origin Typecode"))
    elif atype in (2, 17):
        if length % 2:
            d.p("invalid len")
        elif not length:
            d.p("empty")
        else:
            as_size = _attr_get_as_size(d, atype, pptr, length)
            while tptr < pptr + length:
                seg = d.u8(tptr)
                d.p(SEG_OPEN.get(seg, "?"))
                count = d.u8(tptr + 1)
                for i in range(0, count * as_size, as_size):
                    if not d.ttest(tptr + 2 + i, as_size):
                        return False
                    num = d.u16(tptr + 2 + i) if as_size == 2 else d.u32(tptr + 2 + i)
                    d.p(f"{as_printf(d, num)} ")
                d.p(SEG_CLOSE.get(seg, "?"))
                tptr += 2 + count * as_size
    elif atype in (3, 9):
        d.p("invalid len" if length != 4 else d.ipaddr_string(tptr))
    elif atype in (4, 5):
        d.p("invalid len" if length != 4 else str(d.u32(tptr)))
    elif atype == 6:
        if length != 0:
            d.p("invalid len")
    elif atype == 7:
        if length not in (6, 8):
            d.p("invalid len")
        else:
            if not d.ttest(tptr, length):
                return False
            if length == 6:
                d.p(f" AS #{as_printf(d, d.u16(tptr))}, origin {d.ipaddr_string(tptr + 2)}")
            else:
                d.p(f" AS #{as_printf(d, d.u32(tptr))}, origin {d.ipaddr_string(tptr + 4)}")
    elif atype == 18:
        if length != 8:
            d.p("invalid len")
        else:
            d.p(f" AS #{as_printf(d, d.u32(tptr))}, origin {d.ipaddr_string(tptr + 4)}")
    elif atype == 8:
        if length % 4:
            d.p("invalid len")
        else:
            while tlen:
                if not d.ttest(tptr, 4):
                    return False
                comm = d.u32(tptr)
                well_known = {0xFFFFFF01: " NO_EXPORT", 0xFFFFFF02: " NO_ADVERTISE",
                              0xFFFFFF03: " NO_EXPORT_SUBCONFED"}
                d.p(well_known.get(comm) or
                    f"{comm >> 16}:{comm & 0xFFFF}{', ' if tlen > 4 else ''}")
                tlen -= 4
                tptr += 4
    elif atype == 10:
        if length % 4:
            d.p("invalid len")
        else:
            while tlen:
                d.p(f"{d.ipaddr_string(tptr)}{', ' if tlen > 4 else ''}")
                tlen -= 4
                tptr += 4
    elif atype == 14:
        if not d.ttest(tptr, 3):
            return False
        if tlen < 3:
            return False
        fam = _mp_af_print(d, tptr, tlen)
        if fam is False:
            return False
        if fam is not None:
            if not _mp_reach(d, fam, pptr, length):
                return False
    elif atype == 15:
        if not d.ttest(tptr, 3):
            return False
        fam = _mp_af_print(d, tptr, tlen)
        if fam is False:
            return False
        if fam is not None:
            if length == 3:
                d.p("\n\t      End-of-Rib Marker (empty NLRI)")
            tptr += 3
            if not _nlri_loop(d, fam, tptr, pptr, length):
                return False
    elif atype == 16:
        if length % 8:
            d.p("invalid len")
        else:
            while tlen:
                if not d.ttest(tptr, 2):
                    return False
                kind = d.u16(tptr)
                d.p(f"\n\t    {EXTD_COMM_SUBTYPES.get(kind, 'unknown extd community typecode')}"
                    f" (0x{kind:04x}), Flags [{bittok2str(EXTD_COMM_FLAGS, 'none', kind)}]")
                if not d.ttest(tptr, 8):
                    return False
                d.p(": ")
                _extended_community_print(d, tptr)
                tlen -= 8
                tptr += 8
    elif atype == 32:
        if length == 0 or length % 12:
            d.p("invalid len")
        else:
            d.p("\n\t    ")
            while tlen:
                d.p(f"{d.u32(tptr)}:{d.u32(tptr + 4)}:{d.u32(tptr + 8)}"
                    f"{', ' if tlen > 12 else ''}")
                tptr += 12
                tlen -= 12
            length = 0      # the C loop counts `len` down: no -vv hex dump after it
    elif atype == 22:
        if not d.ttest(tptr, 5) or tlen < 5:
            return False
        flags, tunnel = d.u8(tptr), d.u8(tptr + 1)
        d.p(f"\n\t    Tunnel-type {PMSI_TUNNELS.get(tunnel, 'Unknown')} ({tunnel}), Flags "
            f"[{bittok2str(PMSI_FLAGS, 'none', flags)}], MPLS Label "
            f"{(d.u16(tptr + 2) << 8 | d.u8(tptr + 4)) >> 4}")
        tptr += 5
        tlen -= 5
        if tunnel in (4, 5):
            d.p(f"\n\t      Sender {d.ipaddr_string(tptr)}, P-Group {d.ipaddr_string(tptr + 4)}")
        elif tunnel == 3:
            d.p(f"\n\t      Root-Node {d.ipaddr_string(tptr)}, P-Group "
                f"{d.ipaddr_string(tptr + 4)}")
        elif tunnel == 6:
            d.p(f"\n\t      Tunnel-Endpoint {d.ipaddr_string(tptr)}")
        elif tunnel in (2, 7):
            d.p(f"\n\t      Root-Node {d.ipaddr_string(tptr)}, LSP-ID 0x{d.u32(tptr + 4):08x}")
        elif tunnel == 1:
            d.p(f"\n\t      Extended-Tunnel-ID {d.ipaddr_string(tptr)}, P2MP-ID "
                f"0x{d.u32(tptr + 4):08x}")
        elif d.opts.vflag <= 1:
            d.print_unknown_data(tptr, "\n\t      ", tlen)
    elif atype == 26:
        while tlen >= 3:
            kind, tlv_len = d.u8(tptr), d.u16(tptr + 1)
            tptr += 3
            tlen -= 3
            d.p(f"\n\t    {'AIGP' if kind == 1 else 'Unknown'} TLV ({kind}), length {tlv_len}")
            if tlv_len < 3:
                return False
            tlv_len -= 3
            if tlen < tlv_len:
                return False
            if kind == 1:
                if tlv_len < 8:
                    return False
                d.p(f", metric {int.from_bytes(d.bytes_(tptr, 8), 'big')}")
            elif d.opts.vflag <= 1:
                d.print_unknown_data(tptr, "\n\t      ", tlv_len)
            tptr += tlv_len
            tlen -= tlv_len
    elif atype == 128:
        if not d.ttest(tptr, 4) or length < 4:
            return False
        d.p(f"\n\t    Origin AS: {as_printf(d, d.u32(tptr))}")
        tptr += 4
        length -= 4
        while length:
            if not d.ttest(tptr, 2):
                return False
            if length < 2:
                d.p(" [path attr too short]")
                break
            aflags, inner = d.u8(tptr), d.u8(tptr + 1)
            tptr += 2
            length -= 2
            lenlen = 2 if aflags & 0x10 else 1
            if not d.ttest(tptr, lenlen):
                return False
            if length < lenlen:
                d.p(" [path attr too short]")
                break
            alen = d.u16(tptr) if lenlen == 2 else d.u8(tptr)
            tptr += lenlen
            length -= lenlen
            d.p(f"\n\t      {ATTR_VALUES.get(inner, 'Unknown Attribute')} ({inner}), "
                f"length: {alen}")
            if aflags:
                d.p(", Flags [" + ("O" if aflags & 0x80 else "") + ("T" if aflags & 0x40 else "")
                    + ("P" if aflags & 0x20 else "") + ("E" if aflags & 0x10 else ""))
                if aflags & 0xF:
                    d.p(f"+{aflags & 0xF:x}")
                d.p("]")
            d.p(": ")
            if length < alen:
                d.p(" [path attr too short]")
                break
            if level == 10:
                d.p("(too many nested levels, not recursing)")
            elif not _attr_print(d, inner, tptr, alen, level + 1):
                return False
            tptr += alen
            length -= alen
    else:
        if not d.ttest(pptr, length):
            return False
        d.p(f"\n\t    no Attribute {atype} decoder")
        if d.opts.vflag <= 1:
            d.print_unknown_data(pptr, "\n\t    ", length)
    if d.opts.vflag > 1 and length:
        if not d.ttest(pptr, length):
            return False
        d.print_unknown_data(pptr, "\n\t    ", length)
    return True


def _mp_reach(d: Dissector, fam: tuple[int, int], pptr: int, length: int) -> bool:
    """BGPTYPE_MP_REACH_NLRI after the AFI/SAFI line: next hops, SNPAs, NLRI."""
    tptr, tlen = pptr + 3, length - 3
    if tlen < 1:
        return False
    nhlen = d.u8(tptr)
    tptr += 1
    tlen -= 1
    if nhlen:
        if tlen < nhlen:
            return False
        d.p("\n\t    nexthop: ")
        left, count = nhlen, 0
        while left:
            if count:
                d.p(", ")
            count += 1
            if fam in _NH_V4 or fam in _NH_V6:
                size = 4 if fam in _NH_V4 else 16
                text = None if left < size else \
                    (d.ipaddr_string(tptr) if size == 4 else d.ip6addr_string(tptr))
            elif fam in V4_VPN or fam in V6_VPN:
                size = 12 if fam in V4_VPN else 24
                text = None if left < size else (
                    f"RD: {bgp_vpn_rd_print(d, tptr)}, " +
                    (d.ipaddr_string(tptr + 8) if size == 12 else d.ip6addr_string(tptr + 8)))
            else:
                raise _Unported()
            if text is None:
                d.p("invalid len")
                tptr += left
                tlen -= left
                left = 0
            else:
                d.p(text)
                tptr += size
                tlen -= size
                left -= size
    d.p(f", nh-length: {nhlen}")
    if tlen < 1:
        return False
    snpa = d.u8(tptr)
    tptr += 1
    tlen -= 1
    if snpa:
        d.p(f"\n\t    {snpa} SNPA")
        for _ in range(snpa):
            if tlen < 1:
                return False
            snpalen = d.u8(tptr)
            d.p(f"\n\t      {snpalen} bytes")
            tptr += 1
            tlen -= 1
            if tlen < snpalen or not d.ttest(tptr, snpalen):
                return False
            tptr += snpalen
            tlen -= snpalen
    else:
        d.p(", no SNPA")
    return _nlri_loop(d, fam, tptr, pptr, length)


def _nlri_loop(d: Dissector, fam: tuple[int, int], tptr: int, pptr: int, length: int) -> bool:
    rest = length - (tptr - pptr)
    add4 = check_add_path(d, tptr, rest, 32)
    add6 = check_add_path(d, tptr, rest, 128)
    while tptr < pptr + length:
        # bgp_nlri_print() is handed the attribute's whole length, as in the C code
        advance = _nlri_print(d, fam[0], fam[1], tptr, length, add4, add6)
        if advance == -2:
            return False
        if advance < 0:
            break
        tptr += advance
    return True


def _update_print(d: Dissector, dat: int, length: int) -> None:
    """bgp_update_print()."""
    if not d.ttest(dat, BGP_SIZE) or length < BGP_SIZE:
        d.nd_print_trunc()
        return
    p, length = dat + BGP_SIZE, length - BGP_SIZE
    if not d.ttest(p, 2) or length < 2:
        d.nd_print_trunc()
        return
    wlen = d.u16(p)
    p += 2
    length -= 2
    if not d.ttest(p, wlen) or length < wlen:
        d.nd_print_trunc()
        return
    if wlen > 1:
        d.p("\n\t  Withdrawn routes:")
        add = check_add_path(d, p, wlen, 32)
        while wlen:
            path_id = 0
            if add:
                if wlen < 4:
                    p += wlen
                    length -= wlen
                    break
                path_id = d.u32(p)
                p += 4
                length -= 4
                wlen -= 4
            used, text = decode_prefix(d, p, wlen, False)
            if used == -1:
                d.p("\n\t    (illegal prefix length)")
                break
            if used == -2:
                d.nd_print_trunc()
                return
            d.p(f"\n\t    {text}")
            if add:
                d.p(f"   Path Id: {path_id}")
            p += used
            length -= used
            wlen -= used
    else:
        p += wlen
        length -= wlen
    if not d.ttest(p, 2) or length < 2:
        d.nd_print_trunc()
        return
    alen_total = d.u16(p)
    p += 2
    length -= 2
    if wlen == 0 and alen_total == 0 and length == 0:
        d.p("\n\t  End-of-Rib Marker (empty NLRI)")
        return
    left = alen_total
    if left and length < left:
        d.nd_print_trunc()
        return
    while left:
        if not d.ttest(p, 2) or length < 2:
            d.nd_print_trunc()
            return
        if left < 2:
            d.p("\n\t  [path attrs too short]")
            p += left
            length -= left
            break
        aflags, atype = d.u8(p), d.u8(p + 1)
        p += 2
        left -= 2
        length -= 2
        lenlen = 2 if aflags & 0x10 else 1
        if not d.ttest(p, lenlen) or length < lenlen:
            d.nd_print_trunc()
            return
        if left < lenlen:
            d.p("\n\t  [path attrs too short]")
            p += left
            length -= left
            break
        alen = d.u16(p) if lenlen == 2 else d.u8(p)
        p += lenlen
        left -= lenlen
        length -= lenlen
        d.p(f"\n\t  {ATTR_VALUES.get(atype, 'Unknown Attribute')} ({atype}), length: {alen}")
        if aflags:
            d.p(", Flags [" + ("O" if aflags & 0x80 else "") + ("T" if aflags & 0x40 else "")
                + ("P" if aflags & 0x20 else "") + ("E" if aflags & 0x10 else ""))
            if aflags & 0xF:
                d.p(f"+{aflags & 0xF:x}")
            d.p("]: ")
        if left < alen:
            d.p(" [path attrs too short]")
            p += left
            length -= left
            break
        if length < alen or not _attr_print(d, atype, p, alen):
            d.nd_print_trunc()
            return
        p += alen
        left -= alen
        length -= alen
    if length:
        add = check_add_path(d, p, length, 32)
        d.p("\n\t  Updated routes:")
        while length:
            path_id = 0
            if add:
                if not d.ttest(p, 4) or length < 4:
                    d.nd_print_trunc()
                    return
                path_id = d.u32(p)
                p += 4
                length -= 4
            used, text = decode_prefix(d, p, length, False)
            if used == -1:
                d.p("\n\t    (illegal prefix length)")
                break
            if used == -2:
                d.nd_print_trunc()
                return
            d.p(f"\n\t    {text}")
            if add:
                d.p(f"   Path Id: {path_id}")
            p += used
            length -= used


def _notification_print(d: Dissector, dat: int, length: int) -> None:
    """bgp_notification_print()."""
    if not d.ttest(dat, 21):
        d.nd_print_trunc()
        return
    if length < 21:
        return
    major, minor = d.u8(dat + 19), d.u8(dat + 20)
    d.p(f", {NOTIFY_MAJOR.get(major, 'Unknown Error')} ({major})")
    if major in NOTIFY_MINOR:
        sep = " " if major in (5, 7) else ", "
        d.p(f"{sep}subcode {NOTIFY_MINOR[major].get(minor, 'Unknown')} ({minor})")
    if major != 6:
        return
    tptr = dat + 21
    if minor == 1 and length >= 28:
        d.p(f", {_afi_safi(d, tptr)}, Max Prefixes: {d.u32(tptr + 3)}")
    if minor in (2, 4) and length >= 22:
        comm_len = d.u8(tptr)
        skip = 0
        if comm_len > length - 22:
            d.p(", invalid Shutdown Communication length")
        elif comm_len == 0:
            d.p(", empty Shutdown Communication")
            skip = 1
        else:
            d.p(f', Shutdown Communication (length: {comm_len}): "')
            nd_printn(d, tptr + 1, comm_len)
            d.p('"')
            skip = comm_len + 1
        rest = length - (skip + 21)
        if rest > 0:
            d.p(f", Data: (length: {rest})")
            d.p(hex_print(d.bytes_(tptr + skip, rest), "\n\t\t"))


def _route_refresh_print(d: Dissector, pptr: int, length: int) -> None:
    """bgp_route_refresh_print()."""
    if not d.ttest(pptr, 23):
        d.nd_print_trunc()
        return
    if length < 23:
        return
    afi, safi = d.u16(pptr + 19), d.u8(pptr + 22)
    d.p(f"\n\t  AFI {AF_VALUES.get(afi, 'Unknown')} ({afi}), "
        f"SAFI {SAFI_VALUES.get(safi, 'Unknown')} ({safi})")
    if d.opts.vflag > 1:
        if not d.ttest(pptr, length):
            d.nd_print_trunc()
            return
        d.print_unknown_data(pptr, "\n\t  ", length)


def bgp_print_or_plain(d: Dissector, bp: int, length: int) -> None:
    """bgp_print(), with what ipemu has not ported ending the packet's text at the BGP
    line (the rest of that packet's decode is dropped rather than guessed)."""
    mark = len(d.out)
    try:
        bgp_print(d, bp, length)
    except _Unported:
        del d.out[mark:]
        d.p(": BGP")


# RPKI-RTR, the RPKI cache to router protocol on TCP 323 (print-rpki-rtr.c, RFC 6810)
RPKI_RTR_PDUS = {0: "Serial Notify", 1: "Serial Query", 2: "Reset Query",
                 3: "Cache Response", 4: "IPV4 Prefix", 6: "IPV6 Prefix", 7: "End of Data",
                 8: "Cache Reset", 10: "Error Report"}
RPKI_RTR_ERRORS = {0: "Corrupt Data", 1: "Internal Error", 2: "No Data Available",
                   3: "Invalid Request", 4: "Unsupported Protocol Version",
                   5: "Unsupported PDU Type", 6: "Withdrawal of Unknown Record",
                   7: "Duplicate Announcement Received"}


def _indent(n: int) -> str:
    """indent_string(): a newline, a tab for each 8, spaces for the rest."""
    return "\n" + "\t" * (n // 8) + " " * (n % 8)


class _RtrInvalid(Exception):
    pass


def _rpki_rtr_pdu(d, tptr: int, length: int, recurse: bool, indent: int) -> int:
    """rpki_rtr_pdu_print(): the bytes it took."""
    from ipemu.tcpdump.util import nd_printn
    version = d.u8(tptr)
    if version != 0:
        d.p(f"{_indent(8)}RPKI-RTRv{version} (unknown)")
        return length
    try:
        if length < 8:
            d.p(f"({length} bytes is too few to decode)")
            raise _RtrInvalid()
        d.need(tptr, 8)
        ptype, plen = d.u8(tptr + 1), d.u32(tptr + 4)
        hexdump = False
        d.p(f"{_indent(8)}RPKI-RTRv{version}, {RPKI_RTR_PDUS.get(ptype, 'Unknown')} PDU "
            f"({ptype}), length: {plen}")
        if plen < 8 or plen > length:
            raise _RtrInvalid()
        ind = _indent(indent + 2)
        if ptype in (0, 1, 7):
            if plen != 12:
                raise _RtrInvalid()
            d.p(f"{ind}Session ID: 0x{d.u16(tptr + 2):04x}, Serial: {d.u32(tptr + 8)}")
        elif ptype in (2, 8):
            if plen != 8:
                raise _RtrInvalid()
        elif ptype == 3:
            if plen != 8:
                raise _RtrInvalid()
            d.p(f"{ind}Session ID: 0x{d.u16(tptr + 2):04x}")
        elif ptype in (4, 6):
            if plen != (20 if ptype == 4 else 32):
                raise _RtrInvalid()
            addr = d.ipaddr_string(tptr + 12) if ptype == 4 else d.ip6addr_string(tptr + 12)
            asn = d.u32(tptr + (16 if ptype == 4 else 28))
            d.p(f"{ind}IPv{4 if ptype == 4 else 6} Prefix {addr}/{d.u8(tptr + 9)}-"
                f"{d.u8(tptr + 10)}, origin-as {asn}, flags 0x{d.u8(tptr + 8):02x}")
        elif ptype == 10:
            tlen = 8
            if plen < tlen + 4:
                raise _RtrInvalid()
            d.need(tptr, tlen + 4)
            encap = d.u32(tptr + 8)
            tlen += 4
            code = d.u16(tptr + 2)
            d.p(f"{ind}Error code: {RPKI_RTR_ERRORS.get(code, 'Unknown')} ({code}), "
                f"Encapsulated PDU length: {encap}")
            if encap:
                if plen < tlen + encap:
                    raise _RtrInvalid()
                if not recurse:
                    d.need(tptr, tlen + encap)
                else:
                    d.p(f"{_indent(indent + 4)}-----encapsulated PDU-----")
                    _rpki_rtr_pdu(d, tptr + tlen, encap, False, indent + 2)
                tlen += encap
            if plen < tlen + 4:
                raise _RtrInvalid()
            d.need(tptr, tlen + 4)
            text_len = d.u32(tptr + tlen)
            tlen += 4
            if text_len:
                if plen < tlen + text_len:
                    raise _RtrInvalid()
                d.p(f"{ind}Error text: ")
                nd_printn(d, tptr + tlen, text_len)
        else:
            d.need(tptr, plen)
            hexdump = True
        if d.opts.vflag > 1 or (d.opts.vflag and hexdump):
            d.print_unknown_data(tptr, "\n\t  ", plen)
        return plen
    except _RtrInvalid:
        d.p(" (invalid)")
        d.need(tptr, length)
        return length


def rpki_rtr_print(d, pptr: int, length: int) -> None:
    """rpki_rtr_print(): its name without -v, each PDU under -v."""
    d.protocol = "rpki_rtr"
    if not d.opts.vflag:
        d.p(", RPKI-RTR")
        return
    while length:
        n = _rpki_rtr_pdu(d, pptr, length, True, 8)
        length -= n
        pptr += n
