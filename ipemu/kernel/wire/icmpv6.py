"""ICMPv6: echo, neighbour discovery (NS, NA, RS and their options), the MLDv2 report,
and the errors, each with its checksum over the IPv6 pseudo-header.

pack(src, dst) needs the addresses of the enclosing IPv6 header to compute the checksum;
a message whose `checksum` is set (as unpack() leaves it) packs without them.
"""
from __future__ import annotations

import ipaddress
import struct
from enum import IntEnum

from ipemu.kernel.wire.ipv6 import IPV6_HLEN, NEXTHDR_ICMP, upper_layer_checksum
from ipemu.plainclass import dataclass, field

ICMP6_HLEN = 8
IPV6_MIN_MTU = 1280
# icmp6_send() quotes at most IPV6_MIN_MTU - IPv6 header - ICMPv6 header of the original.
ICMP6_QUOTE_MAX = IPV6_MIN_MTU - IPV6_HLEN - ICMP6_HLEN

IPv6 = ipaddress.IPv6Address


class Icmp6Type(IntEnum):
    """<linux/icmpv6.h> and <net/ndisc.h> names without their prefixes."""

    DEST_UNREACH = 1
    PKT_TOOBIG = 2
    TIME_EXCEED = 3
    PARAMPROB = 4
    ECHO_REQUEST = 128
    ECHO_REPLY = 129
    MGM_QUERY = 130
    MGM_REPORT = 131
    MGM_REDUCTION = 132
    ROUTER_SOLICITATION = 133
    ROUTER_ADVERTISEMENT = 134
    NEIGHBOUR_SOLICITATION = 135
    NEIGHBOUR_ADVERTISEMENT = 136
    REDIRECT = 137
    MLD2_REPORT = 143


class Unreach6Code(IntEnum):
    NOROUTE = 0
    ADM_PROHIBITED = 1
    NOT_NEIGHBOUR = 2
    ADDR_UNREACH = 3
    PORT_UNREACH = 4
    POLICY_FAIL = 5
    REJECT_ROUTE = 6


class Exc6Code(IntEnum):
    EXC_HOPLIMIT = 0
    EXC_FRAGTIME = 1


class NdOptType(IntEnum):
    SOURCE_LL_ADDR = 1
    TARGET_LL_ADDR = 2
    PREFIX_INFO = 3
    REDIRECT_HDR = 4
    MTU = 5
    NONCE = 14


class Mld2RecordType(IntEnum):
    MODE_IS_INCLUDE = 1
    MODE_IS_EXCLUDE = 2
    CHANGE_TO_INCLUDE = 3
    CHANGE_TO_EXCLUDE = 4
    ALLOW_NEW_SOURCES = 5
    BLOCK_OLD_SOURCES = 6


def checksum_ok(src: IPv6, dst: IPv6, data: bytes) -> bool:
    """Whether an ICMPv6 message carries a correct checksum."""
    return upper_layer_checksum(src, dst, NEXTHDR_ICMP, data) == 0


def quote(original: bytes) -> bytes:
    """The part of the offending packet (from its IPv6 header on) an error carries:
    icmp6_send() keeps the whole error within IPV6_MIN_MTU, so at most 1232 bytes."""
    return bytes(original[:ICMP6_QUOTE_MAX])


def _pack(type_: int, code: int, checksum: int | None, body: bytes,
          src: IPv6 | None, dst: IPv6 | None) -> bytes:
    if checksum is None:
        if src is None or dst is None:
            raise ValueError("ICMPv6 checksum needs the source and destination addresses")
        checksum = upper_layer_checksum(src, dst, NEXTHDR_ICMP,
                                        struct.pack("!BBH", type_, code, 0) + body)
    return struct.pack("!BBH", type_, code, checksum) + body


def _head(data: bytes, size: int = ICMP6_HLEN) -> tuple[int, int, int]:
    if len(data) < size:
        raise ValueError(f"ICMPv6 message too short: {len(data)} bytes")
    return struct.unpack_from("!BBH", data)


# ---------------------------------------------------------------- echo and errors

@dataclass
class Icmp6Echo:
    """Echo request (128) or reply (129): identifier, sequence number, data."""

    type: int
    id: int
    seq: int
    payload: bytes = b""
    code: int = 0
    checksum: int | None = None   # None: computed by pack()

    @property
    def is_request(self) -> bool:
        return self.type == Icmp6Type.ECHO_REQUEST

    def pack(self, src: IPv6 | None = None, dst: IPv6 | None = None) -> bytes:
        body = struct.pack("!HH", self.id, self.seq) + self.payload
        return _pack(self.type, self.code, self.checksum, body, src, dst)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[Icmp6Echo, bytes]:
        type_, code, checksum = _head(data)
        ident, seq = struct.unpack_from("!HH", data, 4)
        return cls(type_, ident, seq, bytes(data[ICMP6_HLEN:]), code, checksum), b""


@dataclass
class Icmp6Error:
    """An error quoting the offending packet: destination unreachable, packet too big
    (`info` is the MTU), time exceeded, parameter problem (`info` is the pointer)."""

    type: int
    code: int
    quoted: bytes
    info: int = 0
    checksum: int | None = None   # None: computed by pack()

    @classmethod
    def dest_unreach(cls, code: int, original: bytes) -> Icmp6Error:
        return cls(Icmp6Type.DEST_UNREACH, code, quote(original))

    @classmethod
    def time_exceed(cls, original: bytes, code: int = Exc6Code.EXC_HOPLIMIT) -> Icmp6Error:
        return cls(Icmp6Type.TIME_EXCEED, code, quote(original))

    @classmethod
    def pkt_toobig(cls, mtu: int, original: bytes) -> Icmp6Error:
        return cls(Icmp6Type.PKT_TOOBIG, 0, quote(original), mtu)

    def pack(self, src: IPv6 | None = None, dst: IPv6 | None = None) -> bytes:
        body = struct.pack("!I", self.info) + self.quoted
        return _pack(self.type, self.code, self.checksum, body, src, dst)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[Icmp6Error, bytes]:
        type_, code, checksum = _head(data)
        (info,) = struct.unpack_from("!I", data, 4)
        return cls(type_, code, bytes(data[ICMP6_HLEN:]), info, checksum), b""


@dataclass
class Icmp6Message:
    """Any other message (router advertisement, MLD query, redirect, ...), kept whole:
    `body` is everything after the checksum."""

    type: int
    code: int
    body: bytes
    checksum: int | None = None

    def pack(self, src: IPv6 | None = None, dst: IPv6 | None = None) -> bytes:
        return _pack(self.type, self.code, self.checksum, self.body, src, dst)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[Icmp6Message, bytes]:
        type_, code, checksum = _head(data, 4)
        return cls(type_, code, bytes(data[4:]), checksum), b""


# ---------------------------------------------------------------- neighbour discovery

@dataclass
class NdOption:
    """A neighbour discovery option: type, then `data` padded to 8-byte units on pack()
    (the length byte counts the type and length bytes too)."""

    type: int
    data: bytes

    @classmethod
    def source_lladdr(cls, mac: bytes) -> NdOption:
        return cls(NdOptType.SOURCE_LL_ADDR, mac)

    @classmethod
    def target_lladdr(cls, mac: bytes) -> NdOption:
        return cls(NdOptType.TARGET_LL_ADDR, mac)

    @classmethod
    def nonce(cls, value: bytes) -> NdOption:
        """RFC 7527 enhanced DAD: Linux puts a 6-byte random nonce in its DAD probes."""
        return cls(NdOptType.NONCE, value)

    def pack(self) -> bytes:
        units = (2 + len(self.data) + 7) // 8
        return bytes([self.type, units]) + self.data + bytes(units * 8 - 2 - len(self.data))

    @classmethod
    def unpack(cls, data: bytes) -> tuple[NdOption, bytes]:
        if len(data) < 2 or data[1] == 0 or len(data) < data[1] * 8:
            raise ValueError("malformed neighbour discovery option")
        size = data[1] * 8
        return cls(data[0], bytes(data[2:size])), bytes(data[size:])


def pack_options(options: list[NdOption]) -> bytes:
    return b"".join(o.pack() for o in options)


def unpack_options(data: bytes) -> list[NdOption]:
    options = []
    while data:
        option, data = NdOption.unpack(data)
        options.append(option)
    return options


def find_lladdr(options: list[NdOption], opt_type: int, addr_len: int = 6) -> bytes | None:
    """The link-layer address in the first option of `opt_type`, or None."""
    for option in options:
        if option.type == opt_type:
            return option.data[:addr_len]
    return None


@dataclass
class NeighbourSolicitation:
    """NS: who has `target`. Linux adds a source link-layer address option unless it
    sends from :: (DAD), where it puts a nonce instead."""

    target: IPv6
    options: list[NdOption] = field(default_factory=list)
    checksum: int | None = None
    reserved: int = 0

    @property
    def source_lladdr(self) -> bytes | None:
        return find_lladdr(self.options, NdOptType.SOURCE_LL_ADDR)

    def pack(self, src: IPv6 | None = None, dst: IPv6 | None = None) -> bytes:
        body = struct.pack("!I", self.reserved) + self.target.packed + pack_options(self.options)
        return _pack(Icmp6Type.NEIGHBOUR_SOLICITATION, 0, self.checksum, body, src, dst)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[NeighbourSolicitation, bytes]:
        _, _, checksum = _head(data, 24)
        (reserved,) = struct.unpack_from("!I", data, 4)
        return cls(IPv6(bytes(data[8:24])), unpack_options(bytes(data[24:])), checksum,
                   reserved), b""


NA_ROUTER = 0x80000000
NA_SOLICITED = 0x40000000
NA_OVERRIDE = 0x20000000


@dataclass
class NeighbourAdvertisement:
    """NA: `target` is at the target link-layer address option. Linux answers a
    multicast NS with override set and the option, a unicast one (NUD probe) with
    neither (ndisc_recv_ns(): inc = multicast destination)."""

    target: IPv6
    router: bool = False
    solicited: bool = False
    override: bool = False
    options: list[NdOption] = field(default_factory=list)
    checksum: int | None = None

    @property
    def target_lladdr(self) -> bytes | None:
        return find_lladdr(self.options, NdOptType.TARGET_LL_ADDR)

    def pack(self, src: IPv6 | None = None, dst: IPv6 | None = None) -> bytes:
        flags = ((NA_ROUTER if self.router else 0) | (NA_SOLICITED if self.solicited else 0)
                 | (NA_OVERRIDE if self.override else 0))
        body = struct.pack("!I", flags) + self.target.packed + pack_options(self.options)
        return _pack(Icmp6Type.NEIGHBOUR_ADVERTISEMENT, 0, self.checksum, body, src, dst)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[NeighbourAdvertisement, bytes]:
        _, _, checksum = _head(data, 24)
        (flags,) = struct.unpack_from("!I", data, 4)
        return cls(IPv6(bytes(data[8:24])), bool(flags & NA_ROUTER),
                   bool(flags & NA_SOLICITED), bool(flags & NA_OVERRIDE),
                   unpack_options(bytes(data[24:])), checksum), b""


@dataclass
class RouterSolicitation:
    """RS: with a source link-layer address option, or none when sent from ::."""

    options: list[NdOption] = field(default_factory=list)
    checksum: int | None = None
    reserved: int = 0

    @property
    def source_lladdr(self) -> bytes | None:
        return find_lladdr(self.options, NdOptType.SOURCE_LL_ADDR)

    def pack(self, src: IPv6 | None = None, dst: IPv6 | None = None) -> bytes:
        body = struct.pack("!I", self.reserved) + pack_options(self.options)
        return _pack(Icmp6Type.ROUTER_SOLICITATION, 0, self.checksum, body, src, dst)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[RouterSolicitation, bytes]:
        _, _, checksum = _head(data)
        (reserved,) = struct.unpack_from("!I", data, 4)
        return cls(unpack_options(bytes(data[8:])), checksum, reserved), b""


# ---------------------------------------------------------------- MLDv2

@dataclass
class Mld2Record:
    """`struct mld2_grec`: record type, multicast address, sources, auxiliary data."""

    record_type: int
    multicast_address: IPv6
    sources: list[IPv6] = field(default_factory=list)
    aux_data: bytes = b""

    def pack(self) -> bytes:
        if len(self.aux_data) % 4:
            raise ValueError("MLDv2 auxiliary data must fill whole 32-bit words")
        return (struct.pack("!BBH", self.record_type, len(self.aux_data) // 4, len(self.sources))
                + self.multicast_address.packed + b"".join(s.packed for s in self.sources)
                + self.aux_data)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[Mld2Record, bytes]:
        if len(data) < 20:
            raise ValueError("MLDv2 record truncated")
        record_type, auxwords, nsrcs = struct.unpack_from("!BBH", data)
        end = 20 + 16 * nsrcs + 4 * auxwords
        if len(data) < end:
            raise ValueError("MLDv2 record truncated")
        sources = [IPv6(bytes(data[20 + 16 * i:36 + 16 * i])) for i in range(nsrcs)]
        return (cls(record_type, IPv6(bytes(data[4:20])), sources,
                    bytes(data[20 + 16 * nsrcs:end])), bytes(data[end:]))


@dataclass
class Mld2Report:
    """MLDv2 listener report (type 143), sent to ff02::16 with hop limit 1 behind a
    hop-by-hop router alert; Linux joins a group with a CHANGE_TO_EXCLUDE record."""

    records: list[Mld2Record] = field(default_factory=list)
    checksum: int | None = None
    reserved: int = 0

    def pack(self, src: IPv6 | None = None, dst: IPv6 | None = None) -> bytes:
        body = (struct.pack("!HH", self.reserved, len(self.records))
                + b"".join(r.pack() for r in self.records))
        return _pack(Icmp6Type.MLD2_REPORT, 0, self.checksum, body, src, dst)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[Mld2Report, bytes]:
        _, _, checksum = _head(data)
        reserved, count = struct.unpack_from("!HH", data, 4)
        rest = bytes(data[8:])
        records = []
        for _ in range(count):
            record, rest = Mld2Record.unpack(rest)
            records.append(record)
        return cls(records, checksum, reserved), rest


@dataclass
class Mld1Message:
    """MLDv1 report (131) or done (132), RFC 2710: maximum response delay (0 from a
    listener), reserved, the multicast address (igmp6_send())."""

    type: int
    group: IPv6
    max_delay: int = 0
    checksum: int | None = None

    def pack(self, src: IPv6 | None = None, dst: IPv6 | None = None) -> bytes:
        body = struct.pack("!HH", self.max_delay, 0) + self.group.packed
        return _pack(self.type, 0, self.checksum, body, src, dst)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[Mld1Message, bytes]:
        type_, _, checksum = _head(data, 24)
        max_delay = struct.unpack_from("!H", data, 4)[0]
        return cls(type_, IPv6(bytes(data[8:24])), max_delay, checksum), bytes(data[24:])


Icmp6Any = (Icmp6Echo | Icmp6Error | NeighbourSolicitation | NeighbourAdvertisement
            | RouterSolicitation | Mld2Report | Mld1Message | Icmp6Message)

_BY_TYPE: dict[int, type] = {
    Icmp6Type.ECHO_REQUEST: Icmp6Echo,
    Icmp6Type.ECHO_REPLY: Icmp6Echo,
    Icmp6Type.DEST_UNREACH: Icmp6Error,
    Icmp6Type.PKT_TOOBIG: Icmp6Error,
    Icmp6Type.TIME_EXCEED: Icmp6Error,
    Icmp6Type.PARAMPROB: Icmp6Error,
    Icmp6Type.NEIGHBOUR_SOLICITATION: NeighbourSolicitation,
    Icmp6Type.NEIGHBOUR_ADVERTISEMENT: NeighbourAdvertisement,
    Icmp6Type.ROUTER_SOLICITATION: RouterSolicitation,
    Icmp6Type.MLD2_REPORT: Mld2Report,
}


def unpack_message(data: bytes) -> tuple[Icmp6Any, bytes]:
    """Read an ICMPv6 message into the class for its type (Icmp6Message if none)."""
    if not data:
        raise ValueError("empty ICMPv6 message")
    return _BY_TYPE.get(data[0], Icmp6Message).unpack(data)
