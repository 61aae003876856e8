"""Makes this folder's crafted captures with struct alone (run by record.sh):

crafted_osi.pcap: OSI frames over 802.3/LLC (SAPs 0xfe) as a router lab's CLNP and
ES-IS traffic looks: CLNP echo request and response with segmentation and options
(QoS maintenance, security, priority, padding, route recording), an error report
carrying the original PDU, data with a right and a wrong checksum; ES-IS ESH with
two NETs and its options, ISH, a redirect; a short and a bad-version PDU.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

SRC_MAC = bytes.fromhex("02000000000a")
DST_MAC = bytes.fromhex("09002b000005")      # AllIntermediateSystems
NSAP_A = bytes.fromhex("490001aabbccddeeff00")
NSAP_B = bytes.fromhex("49000111223344556600")


def osi_cksum(pdu: bytearray, off: int) -> None:
    """Fill the Fletcher checksum at off (ISO 8473 annex C)."""
    pdu[off] = pdu[off + 1] = 0
    c0 = c1 = 0
    for b in pdu:
        c0 = (c0 + b) % 255
        c1 = (c1 + c0) % 255
    n = len(pdu)
    x = ((n - off - 1) * c0 - c1) % 255
    y = (c1 - (n - off) * c0) % 255
    pdu[off] = x or 255
    pdu[off + 1] = y or 255


def frame(pdu: bytes, dst: bytes = DST_MAC) -> bytes:
    llc = b"\xfe\xfe\x03" + pdu
    return dst + SRC_MAC + struct.pack("!H", len(llc)) + llc


def clnp(ptype: int, options: bytes = b"", data: bytes = b"", seg: bool = True,
         flags: int = 0x80, good_sum: bool = True) -> bytes:
    addrs = bytes([len(NSAP_B)]) + NSAP_B + bytes([len(NSAP_A)]) + NSAP_A
    segpart = struct.pack("!HHH", 0x1234, 0, 0) if seg else b""
    li = 9 + len(addrs) + len(segpart) + len(options)
    total = li + len(data)
    if seg:
        segpart = struct.pack("!HHH", 0x1234, 0, total)
    hdr = bytearray(struct.pack("!BBBBBHH", 0x81, li, 1, 60, flags | ptype, total, 0))
    pdu = bytearray(hdr + addrs + segpart + options)
    osi_cksum(pdu, 7)
    if not good_sum:
        pdu[8] ^= 0x5A
    return bytes(pdu) + data


def esis(ptype: int, body: bytes, options: bytes = b"") -> bytes:
    li = 9 + len(body) + len(options)
    pdu = bytearray(struct.pack("!BBBBBHH", 0x82, li, 1, 0, ptype, 300, 0) + body + options)
    osi_cksum(pdu, 7)
    return bytes(pdu)


def packets() -> list[bytes]:
    opts = (b"\xc3\x01\xc0"                      # QoS maintenance, globally unique
            + b"\xc5\x02\x40\x07"                # security, source address specific
            + b"\xcd\x01\x0e"                    # priority
            + b"\xcc\x03\x00\x00\x00"            # padding
            + b"\xcb\x0d\x00\x03" + bytes([len(NSAP_A)]) + NSAP_A)   # route recording
    echo = clnp(30, opts, b"hello clnp!!")
    reply = clnp(31, b"\xcd\x01\x03", b"pong")
    original = clnp(28, b"", b"payload", seg=False, flags=0x20)
    err = clnp(1, b"\xc1\x01\x80", original, seg=False, flags=0)     # discard reason
    data_ok = clnp(28, b"", b"0123456789", flags=0xa0)
    data_bad = clnp(28, b"", b"0123456789", flags=0xa0, good_sum=False)
    esh = esis(2, b"\x02" + bytes([len(NSAP_A)]) + NSAP_A + bytes([len(NSAP_B)]) + NSAP_B,
               b"\xc6\x02\x00\x3c" + b"\x81\x02\xcc\x8e")
    ish = esis(4, bytes([len(NSAP_B)]) + NSAP_B)
    redirect = esis(6, bytes([len(NSAP_A)]) + NSAP_A + b"\x06" + bytes.fromhex("020000000001")
                    + bytes([len(NSAP_B)]) + NSAP_B)
    short = bytes([0x81, 5, 1, 0, 28, 0, 0])
    badver = bytes([0x82, 12, 2, 0, 2, 0, 10, 0, 0, 0, 0, 0])
    return [frame(p) for p in (echo, reply, err, data_ok, data_bad, esh, ish, redirect,
                               short, badver)]


def pcap(frames: list[bytes]) -> bytes:
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for n, f in enumerate(frames):
        out += struct.pack("<IIII", 1700000000 + n, 1000 * n, len(f), len(f)) + f
    return out


def main(outdir: str) -> None:
    Path(outdir, "crafted_osi.pcap").write_bytes(pcap(packets()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent))
