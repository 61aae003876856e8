"""ICMP for IPv4: echo request/reply, and the errors (destination unreachable, time
exceeded) with the original datagram quoted as icmp_send() quotes it.
"""
from __future__ import annotations

import struct
from enum import IntEnum

from ipemu.kernel.wire.ipv4 import IPV4_HLEN, internet_checksum
from ipemu.plainclass import dataclass

ICMP_HLEN = 8
# icmp_send() caps the whole error datagram at 576 bytes (less on a smaller path MTU):
# IP header + ICMP header + as much of the original as fits, so at most 548 bytes of it.
ICMP_ERROR_MAX = 576


class IcmpType(IntEnum):
    ECHOREPLY = 0
    DEST_UNREACH = 3
    SOURCE_QUENCH = 4
    REDIRECT = 5
    ECHO = 8
    TIME_EXCEEDED = 11
    PARAMETERPROB = 12


class UnreachCode(IntEnum):
    """Codes of ICMP_DEST_UNREACH, <linux/icmp.h> names without the ICMP_ prefix."""

    NET_UNREACH = 0
    HOST_UNREACH = 1
    PROT_UNREACH = 2
    PORT_UNREACH = 3
    FRAG_NEEDED = 4
    SR_FAILED = 5
    NET_UNKNOWN = 6
    HOST_UNKNOWN = 7
    HOST_ISOLATED = 8
    NET_ANO = 9
    HOST_ANO = 10
    NET_UNR_TOS = 11
    HOST_UNR_TOS = 12
    PKT_FILTERED = 13
    PREC_VIOLATION = 14
    PREC_CUTOFF = 15


class ExcCode(IntEnum):
    """Codes of ICMP_TIME_EXCEEDED."""

    EXC_TTL = 0
    EXC_FRAGTIME = 1


def quote(original: bytes, mtu: int = 1500, ip_options_len: int = 0) -> bytes:
    """The part of the offending datagram (from its IP header on) that icmp_send() puts
    in an error: room = min(mtu, 576) - IP header - ICMP header. A ping of 84 bytes is
    quoted whole (error length 92); a 1028-byte one is cut to 548."""
    room = min(mtu, ICMP_ERROR_MAX) - IPV4_HLEN - ip_options_len - ICMP_HLEN
    return bytes(original[:max(room, 0)])


def checksum_ok(data: bytes) -> bool:
    """Whether an ICMP message (header and data) carries a correct checksum."""
    return internet_checksum(data) == 0


def _pack(type_: int, code: int, checksum: int | None, rest: bytes) -> bytes:
    if checksum is None:
        checksum = internet_checksum(struct.pack("!BBH", type_, code, 0) + rest)
    return struct.pack("!BBH", type_, code, checksum) + rest


@dataclass
class IcmpEcho:
    """Echo request (type 8) or reply (type 0): identifier, sequence number, data."""

    type: int
    id: int
    seq: int
    payload: bytes = b""
    code: int = 0
    checksum: int | None = None   # None: computed by pack()

    @property
    def is_request(self) -> bool:
        return self.type == IcmpType.ECHO

    def pack(self) -> bytes:
        return _pack(self.type, self.code, self.checksum,
                     struct.pack("!HH", self.id, self.seq) + self.payload)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[IcmpEcho, bytes]:
        """The message; the rest is empty (the data runs to the end of the datagram)."""
        if len(data) < ICMP_HLEN:
            raise ValueError(f"ICMP message too short: {len(data)} bytes")
        type_, code, checksum, ident, seq = struct.unpack_from("!BBHHH", data)
        return cls(type_, ident, seq, bytes(data[ICMP_HLEN:]), code, checksum), b""


@dataclass
class IcmpError:
    """An error (destination unreachable, time exceeded, ...) quoting the original
    datagram. `info` is the 32-bit word after the checksum: unused (0) for most errors,
    the next-hop MTU in its low 16 bits for FRAG_NEEDED, the gateway for a redirect.
    Any type other than echo is read in this shape."""

    type: int
    code: int
    quoted: bytes
    info: int = 0
    checksum: int | None = None   # None: computed by pack()

    @classmethod
    def dest_unreach(cls, code: int, original: bytes, mtu: int = 1500,
                     next_hop_mtu: int = 0) -> IcmpError:
        return cls(IcmpType.DEST_UNREACH, code, quote(original, mtu), next_hop_mtu & 0xFFFF)

    @classmethod
    def time_exceeded(cls, original: bytes, code: int = ExcCode.EXC_TTL,
                      mtu: int = 1500) -> IcmpError:
        return cls(IcmpType.TIME_EXCEEDED, code, quote(original, mtu))

    def pack(self) -> bytes:
        return _pack(self.type, self.code, self.checksum,
                     struct.pack("!I", self.info) + self.quoted)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[IcmpError, bytes]:
        """The message; the rest is empty (the quote runs to the end of the datagram)."""
        if len(data) < ICMP_HLEN:
            raise ValueError(f"ICMP message too short: {len(data)} bytes")
        type_, code, checksum, info = struct.unpack_from("!BBHI", data)
        return cls(type_, code, bytes(data[ICMP_HLEN:]), info, checksum), b""


def unpack_message(data: bytes) -> tuple[IcmpEcho | IcmpError, bytes]:
    """Read an ICMP message as IcmpEcho (types 0 and 8) or else as IcmpError."""
    if data[:1] in (bytes([IcmpType.ECHO]), bytes([IcmpType.ECHOREPLY])):
        return IcmpEcho.unpack(data)
    return IcmpError.unpack(data)
