"""pcap savefiles (the classic libpcap format tcpdump -w writes and -r reads)."""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO, Iterator

MAGIC_USEC = 0xA1B2C3D4
MAGIC_NSEC = 0xA1B23C4D
LINKTYPE_NAMES = {
    1: ("EN10MB", "Ethernet"),
    101: ("RAW", "Raw IP"),
    113: ("LINUX_SLL", "Linux cooked v1"),
    276: ("LINUX_SLL2", "Linux cooked v2"),
}


@dataclass
class Record:
    ts: float          # seconds since the epoch, microsecond resolution
    frame: bytes       # the captured bytes
    wirelen: int       # length on the wire


@dataclass
class PcapHeader:
    linktype: int
    snaplen: int
    nanosecond: bool = False


def read_pcap(stream: BinaryIO) -> tuple[PcapHeader, Iterator[Record]]:
    """The file header and an iterator over its records."""
    head = stream.read(24)
    if len(head) < 24:
        raise ValueError("truncated dump file")
    magic_le = struct.unpack("<I", head[:4])[0]
    if magic_le in (MAGIC_USEC, MAGIC_NSEC):
        endian = "<"
    elif struct.unpack(">I", head[:4])[0] in (MAGIC_USEC, MAGIC_NSEC):
        endian = ">"
    else:
        raise ValueError("unknown file format")
    magic, _major, _minor, _tz, _sigfigs, snaplen, linktype = struct.unpack(endian + "IHHiIII", head)
    header = PcapHeader(linktype & 0x03FFFFFF, snaplen, magic == MAGIC_NSEC)
    divisor = 1e9 if header.nanosecond else 1e6

    def records() -> Iterator[Record]:
        while True:
            rec = stream.read(16)
            if len(rec) < 16:
                return
            sec, frac, caplen, wirelen = struct.unpack(endian + "IIII", rec)
            frame = stream.read(caplen)
            if len(frame) < caplen:
                return
            yield Record(sec + frac / divisor, frame, wirelen)
    return header, records()


def write_pcap_header(stream: BinaryIO, linktype: int, snaplen: int = 262144) -> None:
    stream.write(struct.pack("<IHHiIII", MAGIC_USEC, 2, 4, 0, 0, snaplen, linktype))


def write_pcap_record(stream: BinaryIO, ts: float, frame: bytes, wirelen: int | None = None) -> None:
    total = round(ts * 1_000_000)
    sec, usec = divmod(total, 1_000_000)
    stream.write(struct.pack("<IIII", sec, usec, len(frame), wirelen if wirelen is not None else len(frame)))
    stream.write(frame)
