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

def file_header(linktype: int = LINKTYPE_ETHERNET, snaplen: int = SNAPLEN,
                nano: bool = False) -> bytes:
    """The 24-byte global header (sf_write_header(): the nanosecond magic for a
    handle whose stamps are in nanoseconds)."""
    magic = PCAP_MAGIC_NSEC if nano else PCAP_MAGIC
    return struct.pack("<IHHiIII", magic, *PCAP_VERSION, 0, 0, snaplen, linktype)


def record(timestamp: float, data: bytes, snaplen: int = SNAPLEN, nano: bool = False) -> bytes:
    """One record: header (time, captured length, wire length) and data cut to snaplen."""
    unit = 1_000_000_000 if nano else 1_000_000
    sec, frac = divmod(round(timestamp * unit), unit)
    captured = data[:snaplen]
    return struct.pack("<IIII", sec, frac, len(captured), len(data)) + captured


def write_pcap(records: Iterable[tuple[float, bytes]], linktype: int = LINKTYPE_ETHERNET,
               snaplen: int = SNAPLEN, nano: bool = False) -> bytes:
    """A whole capture file, as bytes."""
    return file_header(linktype, snaplen, nano) + b"".join(
        record(ts, data, snaplen, nano) for ts, data in records)


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


def load_pcap(data: bytes, nano: bool = False) -> PcapFile:
    """Parse a classic pcap file (either byte order, micro- or nanosecond stamps) as
    libpcap 1.10's sf-pcap.c reads it (pcap_check_header, pcap_next_packet); `nano`
    asks for nanosecond stamps (pcap_open_offline_with_tstamp_precision()).
    Raises PcapError for a file libpcap cannot open."""
    if len(data) < 4:
        raise PcapError(_truncated("file header", 4, len(data)))
    if data[:4] == PCAPNG_MAGIC:
        return load_pcapng(data, nano)
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
    linktype &= 0x03FFFFFF     # LT_LINKTYPE() (pcap-common.h): the FCS-length bits dropped
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
        # pcap_next_packet()'s scale_type: SCALE_DOWN, SCALE_UP or PASS_THROUGH, on the
        # record's tv_sec and tv_usec as libpcap holds them: bpf_int32s (a value past 2^31 is
        # negative) in a long, C's division truncating toward zero; tcpdump prints it
        # as unsigned and subtracts it signed (-ttt)
        frac = frac - (1 << 32) if frac & 0x80000000 else frac
        sec = sec - (1 << 32) if sec & 0x80000000 else sec
        if magic == PCAP_MAGIC_NSEC and not nano:
            frac = int(frac / 1000)
        elif magic != PCAP_MAGIC_NSEC and nano:
            frac *= 1000
        result.stamps.append((sec, frac))
        offset += caplen
    return result


# ---------------------------------------------------------------- pcapng files

PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"   # BT_SHB, the same in either byte order
BYTE_ORDER_MAGIC = 0x1A2B3C4D
BT_IDB, BT_PB, BT_SPB, BT_EPB = 1, 2, 3, 6
_SHB_INSANE_MAX = 1024 * 1024          # BT_SHB_INSANE_MAX
_MAX_BLOCKSIZE = 16 * 1024 * 1024      # INITIAL_MAX_BLOCKSIZE


@dataclass
class _Iface:
    """What add_interface() keeps of an Interface Description Block."""

    snaplen: int
    tsresol: int = 1_000_000
    binary: bool = False
    tsoffset: int = 0


def _adjust_snaplen(snaplen: int) -> int:
    # pcap_adjust_snapshot() (savefile.c): only 0 or more than INT_MAX is bogus
    return MAX_SNAPLEN if snaplen == 0 or snaplen > 0x7FFFFFFF else snaplen


class _Blocks:
    """read_block() and the cursor of sf-pcapng.c over a whole file's bytes."""

    def __init__(self, data: bytes, order: str, offset: int) -> None:
        self.data, self.order, self.offset = data, order, offset

    def next(self) -> tuple[int, bytes] | None:
        """(block type, body without header and trailer); None at the end of the file."""
        data, off = self.data, self.offset
        if off >= len(data):
            return None
        if off + 8 > len(data):
            raise PcapError("truncated pcapng dump file; tried to read 8 bytes, "
                            f"only got {len(data) - off}")
        btype, total = struct.unpack_from(self.order + "II", data, off)
        if total < 12:
            raise PcapError(f"block in pcapng dump file has a length of {total} < 12")
        if total % 4:
            raise PcapError(f"block in pcapng dump file has a length of {total} "
                            "that is not a multiple of 4")
        if total > _MAX_BLOCKSIZE:
            raise PcapError(f"pcapng block size {total} > maximum {_MAX_BLOCKSIZE}")
        if off + total > len(data):
            raise PcapError(f"truncated pcapng dump file; tried to read {total - 8} bytes, "
                            f"only got {len(data) - off - 8}")
        (trailer,) = struct.unpack_from(self.order + "I", data, off + total - 4)
        if trailer != total:
            raise PcapError("block total length in header and trailer don't match")
        self.offset = off + total
        return btype, data[off + 8:off + total - 4]


def _short(btype: int) -> PcapError:
    return PcapError(f"block of type {btype} in pcapng dump file is too short")


def _idb(body: bytes, order: str) -> tuple[int, _Iface]:
    """The link type and interface of an IDB, with its if_tsresol and if_tsoffset
    options (add_interface(), process_idb_options())."""
    if len(body) < 8:
        raise _short(BT_IDB)
    linktype, _, snaplen = struct.unpack_from(order + "HHI", body)
    iface = _Iface(snaplen)
    at = 8
    while at + 4 <= len(body):
        code, length = struct.unpack_from(order + "HH", body, at)
        value = body[at + 4:at + 4 + length]
        at += 4 + (length + 3) // 4 * 4
        if code == 0:           # opt_endofopt
            break
        if code == 9 and len(value) == 1:
            resol = value[0]
            iface.binary = bool(resol & 0x80)
            iface.tsresol = 1 << (resol & 0x7F) if iface.binary else 10 ** resol
        elif code == 14 and len(value) == 8:
            (iface.tsoffset,) = struct.unpack(order + "q", value)
    return linktype, iface


def _stamp(t: int, iface: _Iface, user: int = 1_000_000) -> tuple[int, int]:
    """(seconds, fraction) of a packet's 64-bit time stamp, scaled as
    pcap_ng_next_packet() scales it to the resolution tcpdump asks for (user_tsresol:
    micro- or nanoseconds)."""
    sec, frac = t // iface.tsresol + iface.tsoffset, t % iface.tsresol
    if iface.tsresol != user:
        if not iface.binary and iface.tsresol > user:
            frac //= iface.tsresol // user
        elif not iface.binary:
            frac *= user // iface.tsresol
        else:
            frac = frac * user // iface.tsresol
    return sec, frac


def load_pcapng(data: bytes, nano: bool = False) -> PcapFile:
    """Parse a pcapng file as libpcap 1.10's sf-pcapng.c reads it: the first section's
    first Interface Description Block gives the link type and snaplen
    (pcap_ng_check_header()); packets come from Enhanced, Simple and obsolete Packet
    Blocks of any interface of the same link type (pcap_ng_next_packet())."""
    if len(data) < 12:
        raise PcapError("unknown file format")
    for order in ("<", ">"):
        total, magic = struct.unpack_from(order + "II", data, 4)
        if magic == BYTE_ORDER_MAGIC:
            break
    else:
        raise PcapError("unknown file format")
    if total < 28 or total > _SHB_INSANE_MAX:
        raise PcapError("Section Header Block in pcapng dump file has invalid length "
                        f"28 < _{total}_ < {_SHB_INSANE_MAX} (BT_SHB_INSANE_MAX)")
    if len(data) < total:
        raise PcapError(f"truncated pcapng dump file; tried to read {total - 12} bytes, "
                        f"only got {len(data) - 12}")
    major, minor = struct.unpack_from(order + "HH", data, 12)
    if not (major == 1 and minor in (0, 2)):
        raise PcapError(f"unsupported pcapng savefile version {major}.{minor}")
    blocks = _Blocks(data, order, total)
    ifaces: list[_Iface] = []
    while True:
        block = blocks.next()
        if block is None:
            raise PcapError("the capture file has no Interface Description Blocks")
        if block[0] == BT_IDB:
            linktype, iface = _idb(block[1], order)
            ifaces.append(iface)
            break
        if block[0] in (BT_EPB, BT_SPB, BT_PB):
            raise PcapError("the capture file has a packet block before any "
                            "Interface Description Blocks")
    snaplen = _adjust_snaplen(iface.snaplen)
    result = PcapFile(linktype, snaplen, version=(major, minor))
    try:
        _packets(blocks, order, result, ifaces, 1_000_000_000 if nano else 1_000_000)
    except PcapError as err:
        result.error = str(err)
    return result


def _packets(blocks: _Blocks, order: str, result: PcapFile, ifaces: list[_Iface],
             user: int) -> None:
    """The records after the first IDB, as pcap_ng_next_packet() returns them, their
    stamps in the user's resolution (user_tsresol)."""
    while (block := blocks.next()) is not None:
        btype, body = block
        if btype == BT_EPB:
            if len(body) < 20:
                raise _short(btype)
            ifid, high, low, caplen, wirelen = struct.unpack_from(order + "IIIII", body)
            at, t = 20, high << 32 | low
        elif btype == BT_SPB:
            if len(body) < 4:
                raise _short(btype)
            (wirelen,) = struct.unpack_from(order + "I", body)
            ifid, at, t, caplen = 0, 4, 0, min(wirelen, result.snaplen)
        elif btype == BT_PB:
            if len(body) < 20:
                raise _short(btype)
            ifid, _, high, low, caplen, wirelen = struct.unpack_from(order + "HHIIII", body)
            at, t = 20, high << 32 | low
        elif btype == BT_IDB:
            linktype, iface = _idb(body, order)
            if linktype != result.linktype:
                raise PcapError(f"an interface has a type {linktype} different from the "
                                "type of the first interface")
            if _adjust_snaplen(iface.snaplen) != result.snaplen:
                raise PcapError(f"an interface has a snapshot length {iface.snaplen} "
                                "different from the snapshot length of the first interface")
            ifaces.append(iface)
            continue
        elif btype == PCAPNG_BT_SHB:
            if len(body) < 8:
                raise _short(btype)
            magic, major = struct.unpack_from(order + "IH", body)
            if magic != BYTE_ORDER_MAGIC:
                raise PcapError(
                    "the file has sections with different byte orders"
                    if magic == int.from_bytes(struct.pack("<I", BYTE_ORDER_MAGIC), "big")
                    else "the file has a section with a bad byte order magic field")
            if major != 1:
                raise PcapError(f"unknown pcapng savefile major version number {major}")
            ifaces.clear()
            continue
        else:
            continue
        if ifid >= len(ifaces):
            raise PcapError(f"a packet arrived on interface {ifid}, but there's no "
                            "Interface Description Block for that interface")
        if caplen > result.snaplen:
            raise PcapError(f"invalid packet capture length {caplen}, bigger than "
                            f"snaplen of {result.snaplen}")
        if at + caplen > len(body):
            raise _short(btype)
        sec, usec = _stamp(t, ifaces[ifid], user)
        result.records.append((sec + usec / user, bytes(body[at:at + caplen])))
        result.wire_lengths.append(wirelen)
        result.stamps.append((sec, usec))


PCAPNG_BT_SHB = 0x0A0D0D0A


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
