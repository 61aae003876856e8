"""Classic pcap capture files (what `tcpdump -w` writes and `tcpdump -r` reads), and the
Linux "cooked" headers that `tcpdump -i any` records instead of Ethernet.

Records are (timestamp, bytes) pairs: seconds since the epoch as a float, and the
captured bytes. Everything works on bytes (the session's files hold them); no I/O here.
Files are written as libpcap does on little-endian Linux: magic a1b2c3d4 (microseconds),
version 2.4, snaplen 262144. Reading also takes big-endian and nanosecond files.
"""
from __future__ import annotations

import struct
from collections.abc import Iterable
from enum import IntEnum

from ipemu.plainclass import dataclass, field

PCAP_MAGIC = 0xA1B2C3D4
PCAP_MAGIC_NSEC = 0xA1B23C4D
PCAP_MAGIC_KUZNETZOV = 0xA1B2CD34   # a patched libpcap's longer record headers
MAX_SNAPLEN = 262144                # MAXIMUM_SNAPLEN, libpcap's max_snaplen_for_dlt()
PCAP_VERSION = (2, 4)
SNAPLEN = 262144

LINKTYPE_ETHERNET = 1        # DLT_EN10MB
LINKTYPE_LINUX_SLL = 113     # cooked v1: `tcpdump -i any` before libpcap 1.10, or -y LINUX_SLL
LINKTYPE_LINUX_SLL2 = 276    # cooked v2: `tcpdump -i any` with libpcap >= 1.10

ARPHRD_ETHER = 1
ARPHRD_LOOPBACK = 772

SLL_HDR_LEN = 16
SLL2_HDR_LEN = 20
SLL_ADDRLEN = 8

_FILE_HEADER_LEN = 24
_RECORD_HEADER_LEN = 16


class PacketType(IntEnum):
    """sll_pkttype: PACKET_* from <linux/if_packet.h>, the direction tcpdump -i any shows
    (In, B, M, P, Out)."""

    HOST = 0
    BROADCAST = 1
    MULTICAST = 2
    OTHERHOST = 3
    OUTGOING = 4


# ---------------------------------------------------------------- pcap files

def file_header(linktype: int = LINKTYPE_ETHERNET, snaplen: int = SNAPLEN) -> bytes:
    """The 24-byte global header."""
    return struct.pack("<IHHiIII", PCAP_MAGIC, *PCAP_VERSION, 0, 0, snaplen, linktype)


def record(timestamp: float, data: bytes, snaplen: int = SNAPLEN) -> bytes:
    """One record: header (time, captured length, wire length) and data cut to snaplen."""
    sec, usec = divmod(round(timestamp * 1_000_000), 1_000_000)
    captured = data[:snaplen]
    return struct.pack("<IIII", sec, usec, len(captured), len(data)) + captured


def write_pcap(records: Iterable[tuple[float, bytes]], linktype: int = LINKTYPE_ETHERNET,
               snaplen: int = SNAPLEN) -> bytes:
    """A whole capture file, as bytes."""
    return file_header(linktype, snaplen) + b"".join(record(ts, data, snaplen) for ts, data in records)


class PcapError(ValueError):
    """A file libpcap would refuse; the message is libpcap's own."""


@dataclass
class PcapFile:
    """A capture read back: its link type and snaplen, the (timestamp, bytes) records,
    and each record's length on the wire (more than its bytes when snaplen cut it).
    `error` is libpcap's message when the file ends inside a record: tcpdump prints the
    records before it, then "tcpdump: pcap_loop: <error>"."""

    linktype: int
    snaplen: int
    records: list[tuple[float, bytes]] = field(default_factory=list)
    wire_lengths: list[int] = field(default_factory=list)
    version: tuple[int, int] = PCAP_VERSION
    error: str | None = None
    # each record's (seconds, microseconds) as libpcap hands them to tcpdump: nanosecond
    # files scaled down (sf-pcap.c), out-of-range fractions kept as they are
    stamps: list[tuple[int, int]] = field(default_factory=list)


def _truncated(what: str, wanted: int, got: int) -> str:
    return f"truncated dump file; tried to read {wanted} {what} bytes, only got {got}"


def load_pcap(data: bytes) -> PcapFile:
    """Parse a classic pcap file (either byte order, micro- or nanosecond stamps) as
    libpcap 1.10's sf-pcap.c reads it (pcap_check_header, pcap_next_packet).
    Raises PcapError for a file libpcap cannot open."""
    if len(data) < 4:
        raise PcapError(_truncated("file header", 4, len(data)))
    for order in ("<", ">"):
        (magic,) = struct.unpack_from(order + "I", data)
        if magic in (PCAP_MAGIC, PCAP_MAGIC_NSEC, PCAP_MAGIC_KUZNETZOV):
            break
    else:
        raise PcapError("unknown file format")
    if len(data) < _FILE_HEADER_LEN:
        # libpcap names the whole header but counts only what followed the magic.
        raise PcapError(_truncated("file header", _FILE_HEADER_LEN, len(data) - 4))
    scale = 1e9 if magic == PCAP_MAGIC_NSEC else 1e6
    major, minor, _, _, snaplen, linktype = struct.unpack_from(order + "HHiIII", data, 4)
    linktype &= 0x0FFFFFFF
    if major < 2:
        raise PcapError("archaic pcap savefile format")
    if not ((major == 2 and minor <= 4) or (major, minor) == (543, 0)):
        raise PcapError(f"unsupported pcap savefile version {major}.{minor}")
    if snaplen == 0 or snaplen > 0x7FFFFFFF:
        snaplen = MAX_SNAPLEN      # pcap_adjust_snapshot()
    # a version before 2.3 wrote the lengths the other way round; 2.3 maybe
    swapped = "yes" if (major == 2 and minor < 3) or major == 543 else \
        "maybe" if (major, minor) == (2, 3) else "no"
    hdrsize = _RECORD_HEADER_LEN
    if magic == PCAP_MAGIC_KUZNETZOV:
        hdrsize = 24        # struct pcap_sf_patched_pkthdr
        if linktype == LINKTYPE_ETHERNET:
            snaplen += 14
    result = PcapFile(linktype, snaplen, version=(major, minor))
    rec = struct.Struct(order + "IIII")
    offset = _FILE_HEADER_LEN
    while offset < len(data):
        if offset + hdrsize > len(data):
            result.error = _truncated("header", hdrsize, len(data) - offset)
            break
        sec, frac, caplen, wirelen = rec.unpack_from(data, offset)
        offset += hdrsize
        if swapped == "yes" or (swapped == "maybe" and caplen > wirelen):
            caplen, wirelen = wirelen, caplen
        if caplen > MAX_SNAPLEN:
            limit = f"snaplen of {snaplen}" if caplen > snaplen else f"maximum of {MAX_SNAPLEN}"
            result.error = f"invalid packet capture length {caplen}, bigger than {limit}"
            break
        keep = caplen
        if caplen > snaplen:
            # libpcap reads snaplen bytes, discards the rest and reports snaplen
            keep = snaplen
            if offset + snaplen > len(data):
                result.error = _truncated("captured", snaplen, len(data) - offset)
                break
        if offset + caplen > len(data):
            result.error = _truncated("captured", caplen, len(data) - offset)
            break
        result.records.append((sec + frac / scale, bytes(data[offset:offset + keep])))
        result.wire_lengths.append(wirelen)
        result.stamps.append((sec, frac // 1000 if magic == PCAP_MAGIC_NSEC else frac))
        offset += caplen
    return result


def read_pcap(data: bytes) -> tuple[int, int, list[tuple[float, bytes]]]:
    """(linktype, snaplen, records) of a capture file; load_pcap() also gives the wire
    lengths and the error of a file that ends inside a record."""
    capture = load_pcap(data)
    return capture.linktype, capture.snaplen, capture.records


# ---------------------------------------------------------------- cooked headers

def _addr_field(addr: bytes, tail: bytes | None) -> bytes:
    field_ = addr[:SLL_ADDRLEN] + (tail or b"")
    return field_[:SLL_ADDRLEN].ljust(SLL_ADDRLEN, b"\x00")


def _split_addr(field_: bytes, halen: int) -> tuple[bytes, bytes]:
    n = min(halen, SLL_ADDRLEN)
    return bytes(field_[:n]), bytes(field_[n:])


# The address field is 8 bytes; after a 6-byte MAC the kernel leaves 2 bytes it never
# cleared (real captures show stale data there). `addr_tail` keeps them for a faithful
# round trip; None writes zeros.

@dataclass
class SllHeader:
    """LINKTYPE_LINUX_SLL (v1), 16 bytes: packet type, ARPHRD type, link-layer address
    length and address (the sender's, padded to 8), protocol (the ethertype)."""

    pkttype: int
    hatype: int
    addr: bytes
    protocol: int
    addr_tail: bytes | None = None

    def pack(self, payload: bytes = b"") -> bytes:
        return (struct.pack("!HHH", self.pkttype, self.hatype, len(self.addr))
                + _addr_field(self.addr, self.addr_tail)
                + struct.pack("!H", self.protocol) + payload)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[SllHeader, bytes]:
        if len(data) < SLL_HDR_LEN:
            raise ValueError(f"cooked header too short: {len(data)} bytes")
        pkttype, hatype, halen = struct.unpack_from("!HHH", data)
        (protocol,) = struct.unpack_from("!H", data, 14)
        addr, tail = _split_addr(data[6:14], halen)
        return cls(pkttype, hatype, addr, protocol, tail), bytes(data[SLL_HDR_LEN:])


@dataclass
class Sll2Header:
    """LINKTYPE_LINUX_SLL2, 20 bytes: protocol, reserved, ifindex, ARPHRD type, packet
    type, address length and address (padded to 8)."""

    protocol: int
    ifindex: int
    hatype: int
    pkttype: int
    addr: bytes
    reserved: int = 0
    addr_tail: bytes | None = None

    def pack(self, payload: bytes = b"") -> bytes:
        return (struct.pack("!HHIHBB", self.protocol, self.reserved, self.ifindex,
                            self.hatype, self.pkttype, len(self.addr))
                + _addr_field(self.addr, self.addr_tail) + payload)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[Sll2Header, bytes]:
        if len(data) < SLL2_HDR_LEN:
            raise ValueError(f"cooked v2 header too short: {len(data)} bytes")
        protocol, reserved, ifindex, hatype, pkttype, halen = struct.unpack_from("!HHIHBB", data)
        addr, tail = _split_addr(data[12:20], halen)
        return (cls(protocol, ifindex, hatype, pkttype, addr, reserved, tail),
                bytes(data[SLL2_HDR_LEN:]))


def packet_type(frame: bytes, dev_address: bytes, outgoing: bool) -> PacketType:
    """What the kernel's packet socket tells tcpdump -i any about a frame: sent by us,
    or received for us, for a group, for all, or for another host."""
    dst = frame[:6]
    if outgoing:
        return PacketType.OUTGOING
    if dst == b"\xff" * 6:
        return PacketType.BROADCAST
    if dst[0] & 1:
        return PacketType.MULTICAST
    return PacketType.HOST if dst == dev_address else PacketType.OTHERHOST


def _hatype(dev) -> int:
    return ARPHRD_LOOPBACK if dev.kind == "loopback" else ARPHRD_ETHER


def sll_header(frame: bytes, dev, outgoing: bool) -> bytes:
    """The 16-byte LINUX_SLL header that replaces `frame`'s Ethernet header in a
    `tcpdump -i any -y LINUX_SLL` capture. `dev` is the NetDevice it crossed (its
    ifindex, kind and address are read); the address is the frame's source MAC."""
    protocol = skb_protocol(frame)
    pkttype = packet_type(frame, dev.address, outgoing)
    return SllHeader(pkttype, _hatype(dev), frame[6:12], protocol).pack()


def skb_protocol(frame: bytes) -> int:
    """skb->protocol as the cooked header shows it: the ethertype, or for an 802.3
    frame (a length there) ETH_P_802_2, or ETH_P_802_3 for raw IPX starting 0xFFFF
    (eth_type_trans(); br_send_bpdu() sets ETH_P_802_2 itself)."""
    (protocol,) = struct.unpack_from("!H", frame, 12)
    if protocol >= 1536:
        return protocol
    return 0x0001 if frame[14:16] == b"\xff\xff" else 0x0004


def sll2_header(frame: bytes, dev, outgoing: bool) -> bytes:
    """The 20-byte LINUX_SLL2 header that replaces `frame`'s Ethernet header in a
    `tcpdump -i any` capture (libpcap >= 1.10), as for sll_header() plus the ifindex."""
    protocol = skb_protocol(frame)
    pkttype = packet_type(frame, dev.address, outgoing)
    return Sll2Header(protocol, dev.ifindex, _hatype(dev), pkttype, frame[6:12]).pack()
