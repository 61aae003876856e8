"""The stack's packets (ipemu.kernel.packet) as bytes on the wire, built with the
formats of ipemu.kernel.wire (checksums included)."""
from __future__ import annotations

import struct

from ipemu.kernel import packet as P
from ipemu.kernel.wire.arp import ArpPacket
from ipemu.kernel.wire.ethernet import EthernetHeader
from ipemu.kernel.wire.icmp import IcmpEcho, IcmpError
from ipemu.kernel.wire.icmpv6 import (
    Icmp6Echo,
    Icmp6Error,
    Icmp6Message,
    Mld1Message,
    Mld2Record,
    Mld2Report,
    NdOption,
    NeighbourAdvertisement,
    NeighbourSolicitation,
    RouterSolicitation,
)
from ipemu.kernel.wire.ipv4 import IPv4Header
from ipemu.kernel.wire.ipv6 import HopByHopHeader, IPv6Header
from ipemu.kernel.wire.tcp import TcpSegment
from ipemu.kernel.wire.udp import UdpDatagram

IP_DF = 0x4000
IP_MF = 0x2000


def _icmp_bytes(msg: P.Icmp) -> bytes:
    if msg.type in (P.ICMP_ECHO, P.ICMP_ECHOREPLY):
        return IcmpEcho(msg.type, msg.id, msg.seq, msg.data).pack()
    return IcmpError(msg.type, msg.code, msg.quoted, msg.gateway).pack()


def _tcp_bytes(pkt, seg: P.Tcp) -> bytes:
    return TcpSegment(seg.sport, seg.dport, seg.seq, seg.ack, seg.flags, seg.window,
                      seg.options, seg.data).pack(pkt.src, pkt.dst, partial=seg.partial)


def ipv4_bytes(pkt: P.Ipv4) -> bytes:
    payload = pkt.payload
    if isinstance(payload, P.Icmp):
        body = _icmp_bytes(payload)
    elif isinstance(payload, P.Udp):
        # udp_set_csum(nocheck): a tunnel's datagram may carry no checksum at all
        body = UdpDatagram(payload.sport, payload.dport, payload.data,
                           checksum=0 if getattr(payload, "zero_csum", False) else None
                           ).pack(pkt.src, pkt.dst, partial=payload.partial)
    elif isinstance(payload, P.Tcp):
        body = _tcp_bytes(pkt, payload)
    else:
        body = bytes(payload)
    flags = (IP_DF if pkt.df else 0) | (IP_MF if pkt.more_fragments else 0)
    header = IPv4Header(pkt.src, pkt.dst, pkt.proto, ttl=pkt.ttl, tos=pkt.tos, id=pkt.id,
                        frag_off=flags | (pkt.frag_offset // 8), options=pkt.options)
    return header.pack(body)


def ipv4_payload_bytes(pkt: P.Ipv4) -> bytes:
    """The datagram's payload as bytes (what fragmentation cuts up)."""
    return ipv4_bytes(pkt)[20 + len(pkt.options):]


def icmp_from_bytes(data: bytes) -> P.Icmp:
    """A reassembled ICMP message back into the stack's form."""
    from ipemu.kernel.wire.icmp import unpack_message
    msg, _ = unpack_message(data)
    if isinstance(msg, IcmpEcho):
        return P.Icmp(msg.type, msg.code, msg.id, msg.seq, msg.payload)
    return P.Icmp(msg.type, msg.code, quoted=msg.quoted, gateway=msg.info)


def _icmp6_bytes(pkt: P.Ipv6, msg: P.Icmp6) -> bytes:
    src, dst = pkt.src, pkt.dst
    if msg.type in (P.ICMPV6_ECHO_REQUEST, P.ICMPV6_ECHO_REPLY):
        return Icmp6Echo(msg.type, msg.id, msg.seq, msg.data).pack(src, dst)
    if msg.type == P.NDISC_NEIGHBOUR_SOLICITATION:
        options = [NdOption.source_lladdr(msg.lladdr)] if msg.lladdr else []
        if msg.nonce:
            options.append(NdOption.nonce(msg.nonce))     # ndisc_send_ns(): after SLLAO
        return NeighbourSolicitation(msg.target, options).pack(src, dst)
    if msg.type == P.NDISC_NEIGHBOUR_ADVERTISEMENT:
        options = [NdOption.target_lladdr(msg.lladdr)] if msg.lladdr else []
        return NeighbourAdvertisement(msg.target, router=bool(msg.flags & 0x80000000),
                                      solicited=bool(msg.flags & 0x40000000),
                                      override=bool(msg.flags & 0x20000000),
                                      options=options).pack(src, dst)
    if msg.type == P.NDISC_ROUTER_SOLICITATION:
        options = [NdOption.source_lladdr(msg.lladdr)] if msg.lladdr else []
        return RouterSolicitation(options).pack(src, dst)
    if msg.type in (P.ICMPV6_DEST_UNREACH, P.ICMPV6_TIME_EXCEED, P.ICMPV6_PKT_TOOBIG,
                    P.ICMPV6_PARAMPROB):
        # (a parameter problem's pointer where a too big carries the MTU)
        return Icmp6Error(msg.type, msg.code, msg.quoted, msg.mtu).pack(src, dst)
    if msg.type == P.ICMPV6_MLD2_REPORT:
        records = [Mld2Record(t, group, list(sources)) for t, group, sources in msg.records]
        return Mld2Report(records).pack(src, dst)
    if msg.type in (P.ICMPV6_MGM_REPORT, P.ICMPV6_MGM_REDUCTION):
        return Mld1Message(msg.type, msg.target).pack(src, dst)
    if msg.type == P.NDISC_REDIRECT:
        # ndisc_send_redirect(): reserved, target, dest; the target's link-layer
        # address option, then ND_OPT_REDIRECT_HDR (6 reserved bytes, the packet)
        body = bytes(4) + msg.target.packed + msg.dest.packed
        if msg.lladdr:
            body += NdOption.target_lladdr(msg.lladdr).pack()
        if msg.quoted:
            body += bytes([4, (len(msg.quoted) + 8) // 8]) + bytes(6) + msg.quoted
        return Icmp6Message(msg.type, msg.code, body).pack(src, dst)
    raise ValueError(f"ICMPv6 type {msg.type} has no encoder")


def ipv6_bytes(pkt: P.Ipv6) -> bytes:
    payload = pkt.payload
    if isinstance(payload, P.Icmp6):
        body = _icmp6_bytes(pkt, payload)
    elif isinstance(payload, P.Udp):
        body = UdpDatagram(payload.sport, payload.dport, payload.data).pack(
            pkt.src, pkt.dst, partial=payload.partial)
    elif isinstance(payload, P.Tcp):
        body = _tcp_bytes(pkt, payload)
    else:
        body = bytes(payload)
    next_header = pkt.next_header
    if pkt.frag_id is not None:
        # struct frag_hdr: next header, reserved, offset (8-byte units) | M, identification
        body = struct.pack("!BBHI", next_header, 0, pkt.frag_offset | pkt.more_fragments,
                           pkt.frag_id) + body
        next_header = 44                  # NEXTHDR_FRAGMENT
    if pkt.router_alert:
        body = HopByHopHeader.router_alert(next_header).pack(body)
        next_header = 0
    header = IPv6Header(pkt.src, pkt.dst, next_header, hop_limit=pkt.hop_limit,
                        traffic_class=pkt.traffic_class, flow_label=pkt.flow_label)
    return header.pack(body)


def ipv6_upper_from_bytes(next_header: int, data: bytes, src, dst):
    """A reassembled IPv6 payload back into the stack's form: an echo or a UDP
    datagram; other messages stay bytes."""
    if next_header == P.IPPROTO_ICMPV6 and len(data) >= 8 and \
            data[0] in (P.ICMPV6_ECHO_REQUEST, P.ICMPV6_ECHO_REPLY):
        msg, _ = Icmp6Echo.unpack(data)
        return P.Icmp6(msg.type, msg.code, msg.id, msg.seq, msg.payload)
    if next_header == P.IPPROTO_UDP and len(data) >= 8:
        datagram, _ = UdpDatagram.unpack(data)
        return P.Udp(datagram.src_port, datagram.dst_port, datagram.payload)
    return data


def frame_bytes(frame: P.Frame) -> bytes:
    payload = frame.payload
    if isinstance(payload, P.Arp):
        body = ArpPacket(payload.op, payload.sha, payload.spa, payload.tha, payload.tpa).pack()
    elif isinstance(payload, P.Ipv4):
        body = ipv4_bytes(payload)
    elif isinstance(payload, P.Ipv6):
        body = ipv6_bytes(payload)
    else:
        body = bytes(payload)
    raw = EthernetHeader(frame.dst, frame.src, frame.ethertype).pack(body)
    if frame.vlan_tci is not None:
        # libpcap puts the tag back where it was on the wire, after the addresses
        raw = raw[:12] + frame.vlan_proto.to_bytes(2, "big") + \
            frame.vlan_tci.to_bytes(2, "big") + raw[12:]
    return raw


def ipv4_upper_from_bytes(proto: int, data: bytes):
    """A reassembled (or decapsulated) IPv4 payload back into the stack's form: ICMP,
    a UDP datagram or a TCP segment; other protocols stay bytes."""
    if proto == P.IPPROTO_ICMP and len(data) >= 8:
        return icmp_from_bytes(data)
    if proto == P.IPPROTO_UDP and len(data) >= 8:
        datagram, _ = UdpDatagram.unpack(data)
        return P.Udp(datagram.src_port, datagram.dst_port, datagram.payload)
    if proto == P.IPPROTO_TCP and len(data) >= 20:
        seg, _ = TcpSegment.unpack(data)
        return P.Tcp(seg.src_port, seg.dst_port, seg.seq, seg.ack, seg.flags, seg.window,
                     seg.options, seg.payload)
    return data


def frame_from_bytes(raw: bytes) -> P.Frame | None:
    """An Ethernet frame's bytes (what a VXLAN datagram reassembled from fragments
    carries) back into the stack's form: ARP, IPv4 (a fragment's payload stays
    bytes) or IPv6; None for what the stack does not read."""
    from ipemu.kernel.wire.ipv4 import IPv4Header
    try:
        eth, body = EthernetHeader.unpack(raw)
        if eth.ethertype == P.ETH_P_ARP:
            arp, _ = ArpPacket.unpack(body)
            payload = P.Arp(arp.op, arp.sha, arp.spa, arp.tha, arp.tpa)
        elif eth.ethertype == P.ETH_P_IP:
            head, data = IPv4Header.unpack(body)
            offset = (head.frag_off & 0x1FFF) * 8
            more = bool(head.frag_off & IP_MF)
            upper = data if offset or more else ipv4_upper_from_bytes(head.protocol, data)
            payload = P.Ipv4(head.src, head.dst, head.protocol, upper, ttl=head.ttl,
                             tos=head.tos, id=head.id, df=bool(head.frag_off & IP_DF),
                             frag_offset=offset, more_fragments=more, options=head.options)
        elif eth.ethertype == P.ETH_P_IPV6:
            head, data = IPv6Header.unpack(body)
            payload = P.Ipv6(head.src, head.dst, head.next_header,
                             ipv6_upper_from_bytes(head.next_header, data, head.src, head.dst),
                             hop_limit=head.hop_limit, flow_label=head.flow_label,
                             traffic_class=head.traffic_class)
        else:
            return None
    except ValueError:
        return None
    return P.Frame(eth.dst, eth.src, eth.ethertype, payload)
