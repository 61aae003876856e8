"""TCP: the header, its options as Linux writes them on a SYN (tcp_options_write()),
and its checksum over the IPv4 or IPv6 pseudo-header."""
from __future__ import annotations

import ipaddress
import struct

from ipemu.kernel.wire import ipv4, ipv6
from ipemu.plainclass import dataclass

TCP_HLEN = 20

# the flag bits of the header's 13th and 14th bytes
TCPHDR_FIN = 0x01
TCPHDR_SYN = 0x02
TCPHDR_RST = 0x04
TCPHDR_PSH = 0x08
TCPHDR_ACK = 0x10
TCPHDR_ECE = 0x40
TCPHDR_CWR = 0x80

TCPOPT_NOP = 1
TCPOPT_MSS = 2
TCPOPT_WINDOW = 3
TCPOPT_SACK_PERM = 4
TCPOPT_TIMESTAMP = 8

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def syn_options(mss: int, sack: bool, tsval: int | None, wscale: int | None) -> bytes:
    """tcp_options_write() for a SYN: MSS; SACK_PERM folded into the timestamp's
    word (or after two NOPs without timestamps); NOP and window scale."""
    out = struct.pack("!BBH", TCPOPT_MSS, 4, mss)
    if tsval is not None:
        first = (TCPOPT_SACK_PERM, 2) if sack else (TCPOPT_NOP, TCPOPT_NOP)
        out += struct.pack("!BBBBII", *first, TCPOPT_TIMESTAMP, 10, tsval & 0xFFFFFFFF, 0)
    elif sack:
        out += struct.pack("!BBBB", TCPOPT_NOP, TCPOPT_NOP, TCPOPT_SACK_PERM, 2)
    if wscale is not None:
        out += struct.pack("!BBBB", TCPOPT_NOP, TCPOPT_WINDOW, 3, wscale)
    return out


def _pseudo_sum(src: IPAddress, dst: IPAddress, length: int) -> int:
    return ipv6.pseudo_sum(src, dst, ipv4.IPPROTO_TCP, length)


@dataclass
class TcpSegment:
    """Ports, sequence and acknowledgment numbers, flags, window, options and data.
    `checksum` left None is computed by pack(); unpack() keeps what was on the wire."""

    src_port: int
    dst_port: int
    seq: int = 0
    ack: int = 0
    flags: int = 0
    window: int = 0
    options: bytes = b""
    payload: bytes = b""
    checksum: int | None = None

    def pack(self, src: IPAddress | None = None, dst: IPAddress | None = None,
             partial: bool = False) -> bytes:
        """The segment. `partial` writes what a socket leaves with checksum offload
        (CHECKSUM_PARTIAL): the pseudo-header sum, uncomplemented, which tcpdump shows
        on the sending side as `cksum 0x1455 (incorrect -> 0x29f9)`."""
        options = self.options + bytes(-len(self.options) % 4)
        offset = (TCP_HLEN + len(options)) // 4
        length = offset * 4 + len(self.payload)
        checksum = self.checksum
        if checksum is None:
            if src is None or dst is None:
                raise ValueError("TCP checksum needs the source and destination addresses")
            initial = _pseudo_sum(src, dst, length)
            if partial:
                checksum = initial
            else:
                header = self._header(offset, 0, options)
                checksum = ipv4.internet_checksum(header + self.payload, initial)
        return self._header(offset, checksum, options) + self.payload

    def _header(self, offset: int, checksum: int, options: bytes) -> bytes:
        return struct.pack("!HHIIBBHHH", self.src_port, self.dst_port, self.seq & 0xFFFFFFFF,
                           self.ack & 0xFFFFFFFF, offset << 4, self.flags, self.window,
                           checksum, 0) + options

    @classmethod
    def unpack(cls, data: bytes) -> tuple[TcpSegment, bytes]:
        """The segment (its options and data) and nothing after it (TCP has no length
        of its own: the data runs to the end of the datagram)."""
        if len(data) < TCP_HLEN:
            raise ValueError(f"TCP segment too short: {len(data)} bytes")
        sport, dport, seq, ack, off, flags, window, checksum, _ = \
            struct.unpack_from("!HHIIBBHHH", data)
        hlen = max((off >> 4) * 4, TCP_HLEN)
        return (cls(sport, dport, seq, ack, flags, window, bytes(data[TCP_HLEN:hlen]),
                    bytes(data[hlen:]), checksum), b"")
