"""Packets as the simulated stack handles them: headers as values, like the fields of
an sk_buff the kernel has parsed. `Frame.to_bytes()` gives the exact bytes on the wire
(built by ipemu.kernel.wire), which is what taps and capture files see.
"""
from __future__ import annotations

import ipaddress

from ipemu.plainclass import dataclass, field

ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
ETH_P_IPV6 = 0x86DD
BROADCAST_MAC = b"\xff" * 6

IPPROTO_ICMP = 1
IPPROTO_IGMP = 2
IPPROTO_TCP = 6
IPPROTO_UDP = 17
IPPROTO_ICMPV6 = 58

ICMP_ECHOREPLY = 0
ICMP_DEST_UNREACH = 3
ICMP_ECHO = 8
ICMP_TIME_EXCEEDED = 11
ICMP_REDIRECT = 5
ICMP_NET_UNREACH = 0
ICMP_HOST_UNREACH = 1
ICMP_PROT_UNREACH = 2
ICMP_PORT_UNREACH = 3
ICMP_FRAG_NEEDED = 4
ICMP_PKT_FILTERED = 13

ICMPV6_DEST_UNREACH = 1
ICMPV6_NOROUTE = 0              # codes of DEST_UNREACH (include/uapi/linux/icmpv6.h)
ICMPV6_ADM_PROHIBITED = 1
ICMPV6_PORT_UNREACH = 4         # code of DEST_UNREACH
ICMPV6_PKT_TOOBIG = 2
ICMPV6_TIME_EXCEED = 3
ICMPV6_PARAMPROB = 4
ICMPV6_PKT_TOOBIG = 2
ICMPV6_ECHO_REQUEST = 128
ICMPV6_ECHO_REPLY = 129
ICMPV6_MLD2_REPORT = 143
ICMPV6_MGM_REPORT = 131         # MLDv1 report; its group travels as `target`
ICMPV6_MGM_REDUCTION = 132      # MLDv1 done
NDISC_ROUTER_SOLICITATION = 133
NDISC_NEIGHBOUR_SOLICITATION = 135
NDISC_NEIGHBOUR_ADVERTISEMENT = 136
NDISC_REDIRECT = 137            # target (the better first hop), dest, lladdr, quoted


@dataclass
class Arp:
    op: int                      # 1 request, 2 reply
    sha: bytes
    spa: ipaddress.IPv4Address
    tha: bytes
    tpa: ipaddress.IPv4Address


@dataclass
class Icmp:
    """ICMP (v4) message: echo (id, seq, data) or an error quoting `quoted` (the
    offending IP header and the start of its payload, as bytes)."""

    type: int
    code: int = 0
    id: int = 0
    seq: int = 0
    data: bytes = b""
    quoted: bytes = b""
    gateway: int = 0             # the 32-bit "unused/gateway/mtu" word of errors


@dataclass
class Icmp6:
    type: int
    code: int = 0
    id: int = 0
    seq: int = 0
    data: bytes = b""
    target: ipaddress.IPv6Address | None = None      # NS / NA
    lladdr: bytes | None = None                       # source/target LL option
    nonce: bytes | None = None                        # NS: the DAD probe's nonce option (RFC 7527)
    flags: int = 0                                    # NA: router/solicited/override
    records: list = field(default_factory=list)       # MLDv2: (type, group, sources)
    quoted: bytes = b""
    mtu: int = 0                                      # packet too big: the next-hop MTU
    dest: ipaddress.IPv6Address | None = None         # redirect: the destination redirected


@dataclass
class Udp:
    sport: int
    dport: int
    data: bytes = b""
    partial: bool = False         # CHECKSUM_PARTIAL: the sender left the sum to offload


@dataclass
class Tcp:
    """A TCP segment's header fields and data (ipemu.kernel.tcp builds them)."""

    sport: int
    dport: int
    seq: int = 0
    ack: int = 0
    flags: int = 0
    window: int = 0
    options: bytes = b""
    data: bytes = b""
    partial: bool = False         # CHECKSUM_PARTIAL: the sender left the sum to offload

    def __len__(self) -> int:
        return 20 + (len(self.options) + 3) // 4 * 4 + len(self.data)


@dataclass
class Ipv4:
    src: ipaddress.IPv4Address
    dst: ipaddress.IPv4Address
    proto: int
    payload: object
    ttl: int = 64
    tos: int = 0
    id: int = 0
    df: bool = True
    frag_offset: int = 0          # in bytes; a fragment's payload is raw bytes
    more_fragments: bool = False
    options: bytes = b""          # the IP options area (a multiple of 4 bytes)

    @property
    def is_fragment(self) -> bool:
        return self.more_fragments or self.frag_offset > 0


@dataclass
class Ipv6:
    src: ipaddress.IPv6Address
    dst: ipaddress.IPv6Address
    next_header: int
    payload: object
    hop_limit: int = 64
    flow_label: int = 0
    traffic_class: int = 0
    router_alert: bool = False    # hop-by-hop header (MLD)
    # a fragment header (ip6_fragment()): its identification, None without one; a
    # fragment's payload is raw bytes of the upper-layer message
    frag_id: int | None = None
    frag_offset: int = 0          # in bytes
    more_fragments: bool = False
    # IP6CB(skb)->iif of a forwarded packet: icmp6_send() picks an error's source on
    # the device it came in by, also when ND fails on the way out (0: not forwarded)
    iif: int = 0


@dataclass
class Frame:
    # caches of to_bytes() and len(), and how many bridges switched the frame so far
    # (stack.BRIDGE_LOOP_BUDGET), not state
    __transient__ = ("_bytes", "_len", "_switched")
    dst: bytes
    src: bytes
    ethertype: int
    payload: Arp | Ipv4 | Ipv6
    # an 802.1Q tag carried beside the frame (skb->vlan_tci, as veth and bridges keep
    # it): not in the device counters' length, but in what a capture shows
    vlan_tci: int | None = None
    vlan_proto: int = 0x8100
    # skb->skb_iif of a frame tc redirected from a device's ingress to an ifb device:
    # where ifb hands it back (0: none)
    skb_iif: int = 0
    # skb->pkt_type set to PACKET_HOST by an rx handler whatever the destination MAC
    # (macvlan_handle_frame(): a passthru port's one macvlan takes every unicast frame)
    pkt_host: bool = False

    def to_bytes(self) -> bytes:
        cached = self.__dict__.get("_bytes")
        if cached is None:
            from ipemu.kernel.encode import frame_bytes
            cached = self.__dict__["_bytes"] = frame_bytes(self)
        return cached

    def __len__(self) -> int:
        """The frame's length (skb->len: without a tag carried beside it), without
        building its bytes (counters need it for every packet; only taps need them)."""
        d = self.__dict__
        length = d.get("_len")
        if length is None:
            # a frame crosses two devices (and a capture): its length is counted once
            cached = d.get("_bytes")
            if cached is not None:
                length = len(cached) - (4 if self.vlan_tci is not None else 0)
            else:
                length = 14 + _l3_length(self.payload)
            d["_len"] = length
        return length


def _icmp6_length(m: Icmp6) -> int:
    if m.type in (NDISC_NEIGHBOUR_SOLICITATION, NDISC_NEIGHBOUR_ADVERTISEMENT):
        return 24 + (8 if m.lladdr else 0) + (8 if m.nonce else 0)
    if m.type == NDISC_ROUTER_SOLICITATION:
        return 8 + (8 if m.lladdr else 0)
    if m.type == ICMPV6_MLD2_REPORT:
        return 8 + sum(20 + 16 * len(sources) for _, _, sources in m.records)
    if m.type in (ICMPV6_MGM_REPORT, ICMPV6_MGM_REDUCTION):
        return 24
    if m.type == NDISC_REDIRECT:
        # struct rd_msg, the target's link-layer option, the redirected header option
        return 40 + (8 if m.lladdr else 0) + (8 + len(m.quoted) if m.quoted else 0)
    return 8 + len(m.data) + len(m.quoted)


def _l3_length(p) -> int:
    if p.__class__ is Ipv4 and p.payload.__class__ is Icmp:      # the common case first
        inner = p.payload
        return 28 + len(p.options) + len(inner.data) + len(inner.quoted)
    if p.__class__ is bytes:            # an 802.3 frame's LLC payload (a BPDU)
        return len(p)
    if isinstance(p, Arp):
        return 28
    if isinstance(p, Ipv4):
        inner = p.payload
        head = 20 + len(p.options)
        if isinstance(inner, Icmp):
            return head + 8 + len(inner.data) + len(inner.quoted)
        if isinstance(inner, Udp):
            return head + 8 + len(inner.data)
        return head + len(inner)
    if isinstance(p, Ipv6):
        inner = p.payload
        hbh = 8 if p.router_alert else 0
        if isinstance(inner, Icmp6):
            return 40 + hbh + _icmp6_length(inner)
        if isinstance(inner, Udp):
            return 40 + hbh + 8 + len(inner.data)
        return 40 + hbh + len(inner)
    return len(p)


l3_length = _l3_length      # the IP datagram's length (no Ethernet header)
