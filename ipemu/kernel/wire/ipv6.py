"""IPv6: the fixed 40-byte header, the hop-by-hop extension header with the router alert
option MLD uses, and the pseudo-header that upper-layer checksums cover (RFC 8200 8.1).
"""
from __future__ import annotations

import ipaddress
import struct

from ipemu.kernel.wire.ipv4 import internet_checksum, ones_sum
from ipemu.kernel.wire.ipv4 import pseudo_header as ipv4_pseudo_header
from ipemu.plainclass import dataclass

IPV6_HLEN = 40

# Next-header values, as <net/ipv6.h> names them.
NEXTHDR_HOP = 0
NEXTHDR_TCP = 6
NEXTHDR_UDP = 17
NEXTHDR_ROUTING = 43
NEXTHDR_FRAGMENT = 44
NEXTHDR_ICMP = 58
NEXTHDR_NONE = 59
NEXTHDR_DEST = 60

# TLV option types in hop-by-hop and destination options headers.
IPV6_TLV_PAD1 = 0
IPV6_TLV_PADN = 1
IPV6_TLV_ROUTERALERT = 5
IPV6_OPT_ROUTERALERT_MLD = 0

_HEADER = struct.Struct("!IHBB16s16s")


def pseudo_header(src: ipaddress.IPv6Address, dst: ipaddress.IPv6Address,
                  next_header: int, length: int) -> bytes:
    """The 40-byte pseudo-header: addresses, 32-bit upper-layer length, zeros, next header
    (the upper-layer protocol, e.g. 58 for MLD even behind a hop-by-hop header)."""
    return src.packed + dst.packed + struct.pack("!I3xB", length, next_header)


def pseudo_sum(src, dst, proto: int, length: int) -> int:
    """The ones' sum of the IPv4 or IPv6 pseudo-header of a TCP or UDP datagram (the
    protocol numbers are the same in both: 6, 17), the checksum's starting value."""
    if src.version == 4:
        return ones_sum(ipv4_pseudo_header(src, dst, proto, length))
    return ones_sum(pseudo_header(src, dst, proto, length))


def upper_layer_checksum(src: ipaddress.IPv6Address, dst: ipaddress.IPv6Address,
                         next_header: int, data: bytes) -> int:
    """The checksum of `data` (its checksum field zero) under the pseudo-header. Over data
    that carries its correct checksum the result is 0."""
    return internet_checksum(data, ones_sum(pseudo_header(src, dst, next_header, len(data))))


@dataclass
class IPv6Header:
    """`struct ipv6hdr`. `payload_length` left None is computed by pack() (it counts any
    extension headers); unpack() fills it with what was on the wire."""

    src: ipaddress.IPv6Address
    dst: ipaddress.IPv6Address
    next_header: int
    hop_limit: int = 64
    traffic_class: int = 0
    flow_label: int = 0
    payload_length: int | None = None
    version: int = 6

    def pack(self, payload: bytes = b"") -> bytes:
        """The header followed by `payload`."""
        length = self.payload_length if self.payload_length is not None else len(payload)
        first = (self.version << 28) | (self.traffic_class << 20) | (self.flow_label & 0xFFFFF)
        return _HEADER.pack(first, length, self.next_header, self.hop_limit,
                            self.src.packed, self.dst.packed) + payload

    @classmethod
    def unpack(cls, data: bytes) -> tuple[IPv6Header, bytes]:
        """The header and the payload_length bytes after it (a link layer's padding
        dropped)."""
        if len(data) < IPV6_HLEN:
            raise ValueError(f"IPv6 packet too short: {len(data)} bytes")
        first, length, next_header, hop_limit, src, dst = _HEADER.unpack_from(data)
        if first >> 28 != 6:
            raise ValueError(f"not an IPv6 header (version {first >> 28})")
        header = cls(
            src=ipaddress.IPv6Address(src), dst=ipaddress.IPv6Address(dst),
            next_header=next_header, hop_limit=hop_limit,
            traffic_class=(first >> 20) & 0xFF, flow_label=first & 0xFFFFF,
            payload_length=length, version=6,
        )
        return header, bytes(data[IPV6_HLEN:IPV6_HLEN + length])


@dataclass
class HopByHopHeader:
    """Hop-by-hop options: next header, then TLV options (`options` holds them encoded,
    padding included, so that 2 + len(options) is a multiple of 8)."""

    next_header: int
    options: bytes

    @classmethod
    def router_alert(cls, next_header: int = NEXTHDR_ICMP,
                     value: int = IPV6_OPT_ROUTERALERT_MLD) -> HopByHopHeader:
        """What MLD sends (mld_newpack(): router alert 0, then a 0-byte PadN)."""
        return cls(next_header, struct.pack("!BBH", IPV6_TLV_ROUTERALERT, 2, value)
                   + bytes([IPV6_TLV_PADN, 0]))

    @property
    def router_alert_value(self) -> int | None:
        """The router alert option's value, or None without one."""
        i = 0
        while i < len(self.options):
            kind = self.options[i]
            if kind == IPV6_TLV_PAD1:
                i += 1
                continue
            length = self.options[i + 1]
            if kind == IPV6_TLV_ROUTERALERT and length == 2:
                return int.from_bytes(self.options[i + 2:i + 4], "big")
            i += 2 + length
        return None

    def pack(self, payload: bytes = b"") -> bytes:
        if (2 + len(self.options)) % 8:
            raise ValueError("hop-by-hop options must fill whole 8-byte units")
        hdrlen = (2 + len(self.options)) // 8 - 1
        return bytes([self.next_header, hdrlen]) + self.options + payload

    @classmethod
    def unpack(cls, data: bytes) -> tuple[HopByHopHeader, bytes]:
        if len(data) < 8:
            raise ValueError(f"hop-by-hop header too short: {len(data)} bytes")
        size = (data[1] + 1) * 8
        if len(data) < size:
            raise ValueError(f"hop-by-hop header truncated: {len(data)} of {size} bytes")
        return cls(data[0], bytes(data[2:size])), bytes(data[size:])
