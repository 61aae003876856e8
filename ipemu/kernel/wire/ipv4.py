"""IPv4: the 20-byte header (options kept as bytes, never built), its checksum, and the
RFC 1071 internet checksum that ICMP, UDP and ICMPv6 share.
"""
from __future__ import annotations

import ipaddress
import struct

from ipemu.plainclass import dataclass

IPPROTO_ICMP = 1
IPPROTO_TCP = 6
IPPROTO_UDP = 17
IPPROTO_ICMPV6 = 58

# iph->frag_off bits, as <net/ip.h> names them.
IP_CE = 0x8000
IP_DF = 0x4000
IP_MF = 0x2000
IP_OFFSET = 0x1FFF

IPTOS_TOS_MASK = 0x1E
# icmp_send() marks its errors with precedence "internetwork control": tos 0xc0.
IPTOS_PREC_INTERNETCONTROL = 0xC0

IPV4_HLEN = 20

_HEADER = struct.Struct("!BBHHHBBH4s4s")


def ones_sum(data: bytes, initial: int = 0) -> int:
    """The 16-bit one's-complement sum of `data` (odd length padded with a zero byte),
    folded but not complemented; `initial` is a sum to start from (a pseudo-header's)."""
    if len(data) % 2:
        data = bytes(data) + b"\x00"
    total = initial + sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def internet_checksum(data: bytes, initial: int = 0) -> int:
    """RFC 1071: the complement of the one's-complement sum. Over a message that carries
    its own correct checksum the result is 0."""
    return ~ones_sum(data, initial) & 0xFFFF


def pseudo_header(src: ipaddress.IPv4Address, dst: ipaddress.IPv4Address,
                  protocol: int, length: int) -> bytes:
    """The 12-byte pseudo-header UDP and TCP checksums cover (RFC 768)."""
    return src.packed + dst.packed + struct.pack("!BBH", 0, protocol, length)


@dataclass
class IPv4Header:
    """`struct iphdr`. `total_length` and `checksum` left None are computed by pack();
    unpack() fills them with what was on the wire."""

    src: ipaddress.IPv4Address
    dst: ipaddress.IPv4Address
    protocol: int
    ttl: int = 64
    tos: int = 0
    id: int = 0
    frag_off: int = 0            # flags (IP_DF, IP_MF) and offset in 8-byte units
    total_length: int | None = None
    checksum: int | None = None
    options: bytes = b""
    version: int = 4

    @property
    def ihl(self) -> int:
        return (IPV4_HLEN + len(self.options)) // 4

    @property
    def df(self) -> bool:
        return bool(self.frag_off & IP_DF)

    @property
    def mf(self) -> bool:
        return bool(self.frag_off & IP_MF)

    @property
    def fragment_offset(self) -> int:
        """Offset of this fragment in bytes."""
        return (self.frag_off & IP_OFFSET) * 8

    def _header(self, total_length: int, checksum: int) -> bytes:
        return _HEADER.pack(
            (self.version << 4) | self.ihl, self.tos, total_length, self.id, self.frag_off,
            self.ttl, self.protocol, checksum, self.src.packed, self.dst.packed,
        ) + self.options

    def pack(self, payload: bytes = b"") -> bytes:
        """The header followed by `payload`."""
        if len(self.options) % 4:
            raise ValueError("IPv4 options must fill whole 32-bit words")
        total = self.total_length if self.total_length is not None else self.ihl * 4 + len(payload)
        checksum = self.checksum
        if checksum is None:
            checksum = internet_checksum(self._header(total, 0))
        return self._header(total, checksum) + payload

    @classmethod
    def unpack(cls, data: bytes) -> tuple[IPv4Header, bytes]:
        """The header and its payload: the bytes up to total_length (a link layer's
        padding after it is dropped)."""
        if len(data) < IPV4_HLEN:
            raise ValueError(f"IPv4 packet too short: {len(data)} bytes")
        (ver_ihl, tos, total, ident, frag_off, ttl, proto, csum, src, dst) = _HEADER.unpack_from(data)
        version, ihl = ver_ihl >> 4, ver_ihl & 0xF
        if version != 4 or ihl < 5 or len(data) < ihl * 4:
            raise ValueError(f"not an IPv4 header (version {version}, ihl {ihl})")
        header = cls(
            src=ipaddress.IPv4Address(src), dst=ipaddress.IPv4Address(dst), protocol=proto,
            ttl=ttl, tos=tos, id=ident, frag_off=frag_off, total_length=total,
            checksum=csum, options=bytes(data[IPV4_HLEN:ihl * 4]),
        )
        return header, bytes(data[ihl * 4:max(total, ihl * 4)])


# ------------------------------------------------------------- record route
# <uapi/linux/ip.h>: option types and the first pointer value
IPOPT_END = 0
IPOPT_NOP = 1
IPOPT_RR = 7
IPOPT_MINOFF = 4
MAX_IPOPTLEN = 40


def record_route_option() -> bytes:
    """What ping -R asks for (ping.c main()): a NOP, then an RR option filling the rest
    of the 40 bytes (length 39, pointer 4: nine empty slots)."""
    length = MAX_IPOPTLEN - 1
    return bytes([IPOPT_NOP, IPOPT_RR, length, IPOPT_MINOFF]) + bytes(length - 3)


def _find_rr(options: bytes) -> int | None:
    """The offset of the RR option in an options area (ip_options_compile()'s walk)."""
    return _find_option(options, IPOPT_RR)


def record_route(options: bytes, addr: ipaddress.IPv4Address) -> bytes:
    """A hop writes its address in the next free RR slot and moves the pointer on
    (ip_options_compile(), ip_options_build(), ip_forward_options()); a full option
    is left as it is."""
    at = _find_rr(options)
    if at is None:
        return options
    length, pointer = options[at + 1], options[at + 2]
    if pointer + 3 > length:
        return options
    out = bytearray(options)
    out[at + pointer - 1:at + pointer + 3] = addr.packed
    out[at + 2] = pointer + 4
    return bytes(out)


def echo_record_route(options: bytes) -> bytes:
    """ip_options_echo(): a reply carries the RR and timestamp options as they came
    (their pointers where they were), RR first, padded with END to a multiple of four
    bytes; other options are dropped."""
    out = b""
    for at in (_find_rr(options), _find_option(options, IPOPT_TS)):
        if at is not None:
            out += options[at:at + options[at + 1]]
    return out + bytes(-len(out) % 4)


def recorded_route(options: bytes) -> list[ipaddress.IPv4Address]:
    """The addresses an RR option holds (ping's pr_options())."""
    at = _find_rr(options)
    if at is None:
        return []
    length, pointer = options[at + 1], options[at + 2]
    used = min(pointer, length) - IPOPT_MINOFF
    return [ipaddress.IPv4Address(options[at + 3 + 4 * n:at + 7 + 4 * n])
            for n in range((max(used, 0) + 3) // 4)]


# ------------------------------------------------------------- timestamps
# <uapi/linux/ip.h>: the timestamp option and its flags (ping -T)
IPOPT_TS = 68
IPOPT_TS_TSONLY = 0
IPOPT_TS_TSANDADDR = 1
IPOPT_TS_PRESPEC = 3


def timestamp_option(flag: int, prespec: list = ()) -> bytes:
    """What ping -T asks for (ping4_run()): the pointer at 5, room for nine stamps
    (tsonly, length 40) or four address and stamp pairs (tsandaddr, 36), or one pair
    per prespecified address (tsprespec, 4 + 8n)."""
    if flag == IPOPT_TS_PRESPEC:
        body = b"".join(addr.packed + bytes(4) for addr in prespec)
    else:
        body = bytes(36 if flag == IPOPT_TS_TSONLY else 32)
    return bytes([IPOPT_TS, 4 + len(body), 5, flag]) + body


def _find_option(options: bytes, wanted: int) -> int | None:
    """The offset of an option of type `wanted` (ip_options_compile()'s walk)."""
    i = 0
    while i < len(options):
        kind = options[i]
        if kind == IPOPT_END:
            return None
        if kind == IPOPT_NOP:
            i += 1
            continue
        if i + 1 >= len(options) or options[i + 1] < 2:
            return None
        if kind == wanted:
            return i
        i += options[i + 1]
    return None


def stamp_timestamp(options: bytes, addr: ipaddress.IPv4Address, ms: int, is_local,
                    overflow: bool = True) -> bytes:
    """ip_options_compile()'s IPOPT_TIMESTAMP on a packet a host receives (and, through
    ip_options_build(), one it sends, `overflow` False): a stamp (milliseconds since
    midnight UTC, inet_current_timestamp()) in the next slot, after `addr` for
    tsandaddr, only where the prespecified address is one of ours (`is_local`) for
    tsprespec; a full option counts the hop in its overflow nibble instead."""
    at = _find_option(options, IPOPT_TS)
    if at is None:
        return options
    length, pointer, flags = options[at + 1], options[at + 2], options[at + 3]
    out = bytearray(options)
    kind = flags & 0xF
    stamp = (ms & 0xFFFFFFFF).to_bytes(4, "big")
    if pointer <= length:
        if pointer + 3 > length:
            return options
        slot = at + pointer - 1
        if kind == IPOPT_TS_TSONLY:
            out[slot:slot + 4] = stamp
            out[at + 2] = pointer + 4
        elif kind in (IPOPT_TS_TSANDADDR, IPOPT_TS_PRESPEC):
            if pointer + 7 > length:
                return options
            if kind == IPOPT_TS_TSANDADDR:
                out[slot:slot + 4] = addr.packed
            elif not is_local(ipaddress.IPv4Address(bytes(out[slot:slot + 4]))):
                return options
            out[slot + 4:slot + 8] = stamp
            out[at + 2] = pointer + 8
        return bytes(out)
    if kind != IPOPT_TS_PRESPEC and overflow:
        hops = flags >> 4
        if hops < 15:
            out[at + 3] = kind | (hops + 1) << 4
    return bytes(out)


def timestamps(options: bytes) -> tuple[int, list]:
    """The stamps a timestamp option holds, as ping's pr_options() reads them:
    (flags, [(address or None, stamp)]); empty when no slot was used."""
    at = _find_option(options, IPOPT_TS)
    if at is None:
        return 0, []
    length, pointer, flags = options[at + 1], options[at + 2], options[at + 3]
    used = min(pointer, length) - 5
    step = 4 if flags & 0xF == IPOPT_TS_TSONLY else 8
    entries = []
    cp = at + 4
    while used > 0:
        addr = None
        if step == 8:
            addr = ipaddress.IPv4Address(options[cp:cp + 4])
            cp += 4
            used -= 4
            if used <= 0:
                entries.append((addr, None))
                break
        entries.append((addr, int.from_bytes(options[cp:cp + 4], "big")))
        cp += 4
        used -= 4
    return flags, entries
