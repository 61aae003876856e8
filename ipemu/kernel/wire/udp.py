"""UDP: the 8-byte header and its checksum over the IPv4 or IPv6 pseudo-header."""
from __future__ import annotations

import ipaddress
import struct

from ipemu.kernel.wire import ipv4, ipv6
from ipemu.plainclass import dataclass

UDP_HLEN = 8

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _pseudo_sum(src: IPAddress, dst: IPAddress, length: int) -> int:
    return ipv6.pseudo_sum(src, dst, ipv4.IPPROTO_UDP, length)


def checksum_ok(src: IPAddress, dst: IPAddress, data: bytes) -> bool:
    """Whether a UDP datagram's checksum is right (0, "none", passes over IPv4 only)."""
    if src.version == 4 and data[6:8] == b"\x00\x00":
        return True
    return ipv4.internet_checksum(data, _pseudo_sum(src, dst, len(data))) == 0


@dataclass
class UdpDatagram:
    """Ports, length, checksum and data. `length` and `checksum` left None are computed
    by pack(); unpack() keeps what was on the wire."""

    src_port: int
    dst_port: int
    payload: bytes = b""
    length: int | None = None
    checksum: int | None = None

    def pack(self, src: IPAddress | None = None, dst: IPAddress | None = None,
             partial: bool = False) -> bytes:
        """The datagram. `partial` writes what a socket leaves with checksum offload
        (CHECKSUM_PARTIAL): the pseudo-header sum, uncomplemented, which is what tcpdump
        sees on the sending side of a veth ("bad udp cksum 0x1421 -> ...")."""
        length = self.length if self.length is not None else UDP_HLEN + len(self.payload)
        checksum = self.checksum
        if checksum is None:
            if src is None or dst is None:
                raise ValueError("UDP checksum needs the source and destination addresses")
            initial = _pseudo_sum(src, dst, length)
            if partial:
                checksum = initial
            else:
                header = struct.pack("!HHHH", self.src_port, self.dst_port, length, 0)
                # A computed 0 goes out as 0xffff: 0 would mean "no checksum" (RFC 768).
                checksum = ipv4.internet_checksum(header + self.payload, initial) or 0xFFFF
        return struct.pack("!HHHH", self.src_port, self.dst_port, length, checksum) + self.payload

    @classmethod
    def unpack(cls, data: bytes) -> tuple[UdpDatagram, bytes]:
        """The datagram (its data cut at `length`) and any bytes after it."""
        if len(data) < UDP_HLEN:
            raise ValueError(f"UDP datagram too short: {len(data)} bytes")
        src_port, dst_port, length, checksum = struct.unpack_from("!HHHH", data)
        end = max(length, UDP_HLEN)
        return (cls(src_port, dst_port, bytes(data[UDP_HLEN:end]), length, checksum),
                bytes(data[end:]))
