"""SRv6 on the data path (net/ipv6/seg6_iptunnel.c, seg6_local.c): a route whose
lwtstate is seg6 `mode encap` puts the packet, IPv4 or IPv6, behind an outer IPv6
header and a Segment Routing Header (seg6_do_srh_encap()), and sends it on towards its
first segment; a seg6local route is the local SID's behaviour: End moves on to the next
segment (End.X towards its nh6), End.DX4 and End.DX6 take the inner packet out and route it on
(End.DT6 through a table of its own, `table N`)
(input_action_end(), input_action_end_x(), input_action_end_dx4(),
input_action_end_dx6()).

An SRH addressed to the host itself is taken with seg6_enabled (ipv6_srh_rcv()), and
`mode inline` inserts one into an IPv6 packet (seg6_do_srh_inline()).

Recorded in transcripts/scripts/scripts39_srv6 (an L3VPN of two IPv4 hosts over an
IPv6-only core) and packets/scripts39_seg6_*. Not simulated: l2encap modes, HMAC TLVs, End.DX4's
nexthop other than the inner destination's route (the inner packet is routed by its own
destination), End.T, End.DT4/End.DT46 and End.DT6 with a vrftable, End.B6*, ICMPv6 errors about an SRH; such packets are
dropped."""
from __future__ import annotations

import struct

from ipemu.kernel import packet as P
from ipemu.kernel.ip_tunnel import Encap
from ipemu.plainclass import dataclass, replace

IPPROTO_IPIP = 4
IPPROTO_IPV6 = 41
NEXTHDR_ROUTING = 43
IPV6_SRCRT_TYPE_4 = 4            # the Segment Routing Header's routing type
SEG6_MODE_INLINE = 0             # SEG6_IPTUN_MODE_INLINE (lwtunnel.SEG6_MODES index)
SEG6_MODE_ENCAP = 1              # SEG6_IPTUN_MODE_ENCAP


@dataclass(frozen=True)
class Srh:
    """struct ipv6_sr_hdr without TLVs: the next header, segments_left, and the
    segments in the header's order (segments[0] the last one, first_segment the
    highest index)."""

    nexthdr: int
    segments_left: int
    segments: tuple
    inline: bool = False         # inserted into the packet (its upper layer follows)

    def pack(self) -> bytes:
        first = len(self.segments) - 1
        head = struct.pack("!BBBBBBH", self.nexthdr, 2 * len(self.segments),
                           IPV6_SRCRT_TYPE_4, self.segments_left, first, 0, 0)
        return head + b"".join(s.packed for s in self.segments)


def _inner_bytes(inner, srh: Srh | None = None) -> bytes:
    """What follows the SRH: the whole inner packet, or an inline SRH's upper layer."""
    from ipemu.kernel.encode import ipv4_bytes, ipv6_bytes
    if isinstance(inner, P.Ipv4):
        return ipv4_bytes(inner)
    data = ipv6_bytes(inner)
    return data[40:] if srh is not None and srh.inline else data


def srh_packet(src, srh: Srh, inner, hop_limit: int, flow_label: int = 0,
               traffic_class: int = 0) -> P.Ipv6:
    """The outer packet: to the segment segments_left points at, the SRH and the inner
    packet its payload (as bytes for captures, as the packet for the SID that ends it)."""
    return P.Ipv6(src, srh.segments[srh.segments_left], NEXTHDR_ROUTING,
                  Encap(srh.pack() + _inner_bytes(inner, srh), (srh, inner)),
                  hop_limit=hop_limit, flow_label=flow_label, traffic_class=traffic_class)


def is_seg6(route) -> bool:
    encap = route.encap
    return encap is not None and encap.type == "seg6"


def seg6_encap(stack, inner, route, dev_in=None) -> None:
    """seg6_input()/seg6_output() with seg6_do_srh_encap(): the outer header's source
    is `ip sr tunsrc` or the one chosen for the first segment on the route's device;
    an IPv4 inner packet gets the device's hop limit, flow label 0 and traffic class
    0, an IPv6 one lends its own (seg6_make_flowlabel() with seg6_flowlabel 0). A
    forwarded packet (dev_in) goes on by dst_input(), ip6_forward() (no TTL of its
    own spent: lwtunnel_input() stands in for ip_forward()); one of ours by
    dst_output()."""
    ns = stack.ns
    encap = route.encap
    if encap.mode not in (SEG6_MODE_ENCAP, SEG6_MODE_INLINE) or not encap.segs or \
            encap.hmac or (encap.mode == SEG6_MODE_INLINE and not isinstance(inner, P.Ipv6)):
        return                  # l2encap, HMAC: not simulated; inline is IPv6's only
    dev = ns.by_index(route.oif) if route.oif is not None else None
    segs = tuple(encap.segs)
    if encap.mode == SEG6_MODE_INLINE:
        # seg6_do_srh_inline(): segments[0] is the packet's own destination, the
        # header goes in after the IPv6 one; source, hop limit and flow stay
        segs = (inner.dst,) + segs[1:]
        srh = Srh(inner.next_header, len(segs) - 1, segs, inline=True)
        outer = srh_packet(inner.src, srh, inner, inner.hop_limit, inner.flow_label,
                           inner.traffic_class)
        _send(stack, outer, dev_in)
        return
    first_seg = segs[-1]
    import ipaddress
    src = ipaddress.IPv6Address(ns.seg6_tunsrc)
    if src.is_unspecified:
        src = ns.ipv6_dev_get_saddr(dev, first_seg)
        if src is None:
            return
    if isinstance(inner, P.Ipv6):
        srh = Srh(IPPROTO_IPV6, len(segs) - 1, segs)
        outer = srh_packet(src, srh, inner, inner.hop_limit, inner.flow_label,
                           inner.traffic_class)
    else:
        hop_limit = int(ns.conf(6, dev, "hop_limit")) if dev is not None else 64
        srh = Srh(IPPROTO_IPIP, len(segs) - 1, segs)
        outer = srh_packet(src, srh, inner, hop_limit)
    _send(stack, outer, dev_in)


def _send(stack, outer: P.Ipv6, dev_in) -> None:
    if dev_in is not None:
        if stack.ns.conf(6, dev_in, "forwarding") != "1":
            return              # ip6_forward(): forwarding off
        stack.ip6_forward(outer, dev_in)
    else:
        stack.ip6_output(outer)


def srh_rcv(stack, dev, pkt: P.Ipv6) -> None:
    """ipv6_srh_rcv(): an SRH addressed to this host is taken only with seg6_enabled
    on in conf/all and on the device it came in by (else dropped). With segments left
    the next one becomes the destination and the packet is routed on (one of ours
    again: looped back with one hop less); with none, an encapsulated packet comes out
    and is received again on the device (netif_rx()), an inline one's upper layer is
    delivered."""
    payload = pkt.payload
    if not isinstance(payload, Encap) or not isinstance(payload.inner, tuple):
        return
    ns = stack.ns
    if ns.conf(6, "all", "seg6_enabled") == "0" or ns.conf(6, dev, "seg6_enabled") == "0":
        return
    srh, inner = payload.inner
    while True:
        if srh.segments_left == 0:
            if srh.inline:
                stack.ipv6_rcv(dev, replace(inner, dst=pkt.dst, hop_limit=pkt.hop_limit))
            elif isinstance(inner, P.Ipv4):
                stack.ip_rcv(dev, inner)
            else:
                stack.ipv6_rcv(dev, inner)
            return
        if srh.segments_left >= len(srh.segments):
            return              # icmpv6_param_prob(): not simulated
        srh = replace(srh, segments_left=srh.segments_left - 1)
        pkt = replace(pkt, dst=srh.segments[srh.segments_left],
                      payload=Encap(srh.pack() + _inner_bytes(inner, srh), (srh, inner)))
        if not stack.ifa6_owners(pkt.dst):
            if ns.conf(6, dev, "forwarding") == "1":
                stack.ip6_forward(pkt, dev)     # ip6_route_input(), dst_input()
            return
        if pkt.hop_limit <= 1:
            return              # ICMPV6_TIME_EXCEED: not simulated
        pkt = replace(pkt, hop_limit=pkt.hop_limit - 1)


def seg6_local_input(stack, dev, pkt: P.Ipv6, route) -> None:
    """seg6_local_input(): the behaviour of the SID the packet is addressed to."""
    encap = route.encap
    payload = pkt.payload
    if not isinstance(payload, Encap) or not isinstance(payload.inner, tuple):
        return
    srh, inner = payload.inner
    action = encap.action
    if action in ("End", "End.X"):
        # input_action_end(), input_action_end_x(): get_and_validate_srh() wants a
        # segment left
        if srh.segments_left == 0:
            return
        srh = replace(srh, segments_left=srh.segments_left - 1)
        moved = replace(pkt, dst=srh.segments[srh.segments_left],
                        payload=Encap(srh.pack() + _inner_bytes(inner, srh), (srh, inner)))
        if stack.ns.conf(6, dev, "forwarding") != "1":
            return
        route = None
        if action == "End.X":
            # seg6_lookup_nexthop(skb, &nh6): the route to nh6, a clone whose next
            # hop is nh6 itself when that route has no gateway (FLOWI_FLAG_KNOWN_NH,
            # rt6_nexthop() of an RTF_CACHE dst)
            from ipemu.kernel.errors import KernelError
            try:
                route, _ = stack.ns.lookup(encap.nh6, pkt.src, iif=dev)
            except KernelError:
                return
            if route.gateway is None:
                route = replace(route, gateway=encap.nh6)
        stack.ip6_forward(moved, dev, route=route)      # dst_input()
        return
    if action == "End.DT6" and encap.table is not None and encap.vrftable is None:
        # input_action_end_dt6() in its legacy mode (`table N`, no VRF): the inner
        # IPv6 packet is routed through that table (seg6_lookup_nexthop(skb, NULL,
        # table), dst_input(): ip6_forward() spends a hop)
        if srh.segments_left > 0 or not isinstance(inner, P.Ipv6):
            return
        route = table_route(stack.ns, 6, encap.table, inner.dst)
        if route is not None and stack.ns.conf(6, dev, "forwarding") == "1":
            stack.ip6_forward(inner, dev, route=route)
        return
    if action in ("End.DX4", "End.DX6"):
        # decap_and_validate(): no segment may be left; the inner packet of the
        # family the behaviour takes is routed as if it came in on `dev`
        if srh.segments_left > 0:
            return
        if action == "End.DX4" and isinstance(inner, P.Ipv4):
            stack.ip_rcv(dev, inner)
        elif action == "End.DX6" and isinstance(inner, P.Ipv6):
            stack.ipv6_rcv(dev, inner)
        return
    # other behaviours are not simulated: the packet is dropped


def seg6local_route(stack, pkt: P.Ipv6):
    """ip6_route_input() of a packet carrying an SRH: its route when that is a local
    SID (a seg6local lwtstate), else None."""
    from ipemu.kernel.errors import KernelError
    try:
        route, _ = stack.ns.lookup(pkt.dst, pkt.src)
    except KernelError:
        return None
    encap = route.encap
    if encap is not None and encap.type == "seg6local":
        return route
    return None


def table_route(ns, family: int, table_id: int, dst):
    """fib6_table_lookup() of one table (no rules): its route for dst, else None."""
    from ipemu.kernel.fib import RTN
    table = ns.table(family, table_id)
    if table is None:
        return None
    best = table.fib_table_lookup(int(dst), 0, False, ns.devices,
                                  ns.clock.now if family == 6 else None,
                                  ns._ignores_linkdown4 if family == 4 else ns._ignores_linkdown6,
                                  0)
    if best is None or best.type != RTN.UNICAST:
        return None
    return best
