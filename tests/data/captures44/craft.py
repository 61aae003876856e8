"""Makes this folder's crafted captures with struct alone (run by record.sh):

crafted_sunatm.pcap (link type SUNATM, a Solaris SunATM card's capture of an ATM lab):
OAM F4 segment and end-to-end cells (a loopback request with a good CRC-10, an AIS
cell with a bad one, a performance management and an unknown cell type), Q.2931
SETUP and RELEASE signalling and SSCOP on VCI 5, broadcast and meta signalling, ILMI's
SNMP get-request on VCI 16, LLC/SNAP IPv4 pings on a PVC, LANE's LE control and a
LANE data frame (Ethernet behind its LEC ID), both directions.

crafted_atm_rfc1483.pcap (link type ATM_RFC1483): LLC/SNAP IPv4, Cisco's NLPID byte
before an IP NLPID, a Fore driver's 802.6 header before LLC.

crafted_cip.pcap (link type ATM_CLIP, Linux `atmarpd` Classical IP): LLC/SNAP IPv4
and bare IPv4.

crafted_aarp.pcap: a Netatalk host's AppleTalk ARP probes, requests and replies, an
unknown operation and hardware type, a short frame.

crafted_tipc.pcap: a two-node TIPC cluster's neighbour discovery, link state, bundle,
named and connection messages, a user tcpdump does not print, a short frame.

crafted_juniper_*.pcap: Juniper routers' `monitor traffic` captures: Ethernet with
extension TLVs (device and logical interface indexes, name, media type, encapsulation),
a no-L2 packet with IP, PPP, Cisco HDLC and Frame Relay frames, the ATM1 PIC (an OAM
cell, LLC/SNAP, a Cisco NLPID, a VC-muxed IP packet, an LS cookie), the ES PIC's IPsec
types (bundled, ESP with its tunnel, an invalid type), and a frame without the magic.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

A = bytes([192, 168, 7, 1])
B = bytes([192, 168, 7, 2])


def cksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src: bytes, dst: bytes, proto: int, payload: bytes, ident: int = 1) -> bytes:
    hdr = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, 64,
                                proto, 0, src, dst))
    struct.pack_into("!H", hdr, 10, cksum(bytes(hdr)))
    return bytes(hdr) + payload


def ping(src: bytes = A, dst: bytes = B, kind: int = 8, seq: int = 1) -> bytes:
    body = struct.pack("!BBHHH", kind, 0, 0, 0x1234, seq) + bytes(range(24))
    return ipv4(src, dst, 1, body[:2] + struct.pack("!H", cksum(body)) + body[4:], seq)


SNAP_IP = bytes.fromhex("aaaa030000000800")


def crc10(data: bytes) -> int:
    table = []
    for i in range(256):
        accum = i << 2
        for _ in range(8):
            accum = (accum << 1) & 0xFFFF
            if accum & 0x400:
                accum ^= 0x633
        table.append(accum)
    accum = 0
    for byte in data:
        accum = (((accum << 8) & 0x3FF) ^ table[(accum >> 2) & 0xFF] ^ byte) & 0xFFFF
    return accum


def oam_cell(vpi: int, vci: int, pti: int, celltype: int, functype: int, body: bytes,
             good: bool = True) -> bytes:
    """A 4-byte cell header, then 48 bytes: type, 45 bytes of function, CRC-10."""
    header = struct.pack("!I", (vpi << 20) | (vci << 4) | (pti << 1))
    payload = bytes([celltype << 4 | functype]) + body.ljust(45, b"\x6a") + b"\0\0"
    crc = crc10(payload[:46] + b"\0\0")
    crc = crc if good else crc ^ 0x155
    payload = payload[:46] + struct.pack("!H", crc)
    return header + payload


def sunatm(direction: int, traftype: int, vpi: int, vci: int, body: bytes) -> bytes:
    return struct.pack("!BBH", direction | traftype, vpi, vci) + body


def sunatm_frames() -> list[bytes]:
    loop = bytes([1]) + struct.pack("!I", 0xCAFE0001) + bytes(range(1, 13)) + bytes(range(20, 32))
    ais = bytes([0x6A]) + bytes(range(0x40, 0x50))
    snmp = bytes.fromhex("3026020100040670756" "26c6963a019020101020100020100300e300c06082b"
                         "060102010103000500")
    ether = bytes.fromhex("0200000000020200000000010800") + ping()
    return [
        sunatm(0x80, 0, 0, 3, b"\0" + oam_cell(0, 3, 4, 1, 8, loop)),
        sunatm(0x00, 0, 0, 4, b"\0" + oam_cell(0, 4, 5, 1, 0, ais, good=False)),
        sunatm(0x00, 0, 0, 4, b"\0" + oam_cell(0, 4, 5, 2, 1, b"")),
        sunatm(0x00, 0, 0, 3, b"\0" + oam_cell(0, 3, 4, 0xC, 3, b"")),
        sunatm(0x80, 0, 0, 5, bytes.fromhex("0903001234050080000b") + bytes(11)),
        sunatm(0x00, 0, 0, 5, bytes.fromhex("09038012344d8000060808000601") + bytes(4)),
        sunatm(0x00, 0, 0, 5, bytes.fromhex("0100000000")),
        sunatm(0x00, 0, 0, 2, bytes(8)),
        sunatm(0x00, 0, 0, 1, bytes(8)),
        sunatm(0x80, 0, 0, 16, snmp),
        sunatm(0x82, 2, 1, 100, SNAP_IP + ping()),
        sunatm(0x02, 2, 1, 100, SNAP_IP + ping(B, A, 0)),
        sunatm(0x01, 1, 2, 200, bytes.fromhex("ff0001010006") + bytes(10)),
        sunatm(0x81, 1, 2, 200, bytes.fromhex("ff0001010107") + bytes(10)),
        sunatm(0x01, 1, 2, 201, bytes.fromhex("0007") + ether),
        sunatm(0x00, 0, 1, 101, bytes.fromhex("aaaa030000000806") + bytes(8)),
    ]


def rfc1483_frames() -> list[bytes]:
    return [
        SNAP_IP + ping(),
        bytes.fromhex("03cc") + ping(B, A, 0),
        bytes(range(0x10, 0x24)) + SNAP_IP + ping(seq=2),
    ]


def cip_frames() -> list[bytes]:
    return [SNAP_IP + ping(), ping(B, A, 0)]


def mgc(flags: int, ext: bytes | None = None) -> bytes:
    head = b"MGC" + bytes([flags])
    if ext is not None:
        head += struct.pack("!H", len(ext)) + ext
    return head


ETH = bytes.fromhex("00055d000002001122334455" "0800")


def juniper_files() -> dict[str, list[bytes]]:
    ext = (bytes([1, 2]) + struct.pack("<H", 513) + bytes([2, 4]) + b"ge-0"
           + bytes([3, 1, 1]) + bytes([4, 4]) + struct.pack("<I", 70)
           + bytes([5, 2]) + struct.pack("<H", 0) + bytes([6, 1, 14])
           + bytes([7, 3]) + b"\x01\0\0" + bytes([136, 2]) + struct.pack("!H", 63))
    ip = ping()
    return {
        "crafted_juniper_ether.pcap": (178, [
            mgc(0x80 | 0x01, ext) + ETH + ip,
            mgc(0x00) + ETH + ping(B, A, 0),
            mgc(0x82, bytes([1, 1, 9])) + bytes(4) + ip,
            mgc(0x03) + bytes(4) + bytes(10),
            b"XYZ\x00" + ETH + ip,
        ]),
        "crafted_juniper_ppp.pcap": (179, [mgc(0x01) + bytes.fromhex("ff030021") + ip]),
        "crafted_juniper_chdlc.pcap": (181, [mgc(0x00) + bytes.fromhex("0f000800") + ip]),
        "crafted_juniper_frelay.pcap": (180, [mgc(0x01) + bytes.fromhex("184103cc") + ip]),
        "crafted_juniper_atm1.pcap": (137, [
            mgc(0x01) + bytes([0x80, 0, 0, 0]) + oam_cell(0, 100, 4, 1, 8, bytes(45)),
            mgc(0x00) + bytes([0x10, 1, 2, 3]) + SNAP_IP + ip,
            mgc(0x01) + bytes([0x10, 1, 2, 3]) + b"\x03\xcc" + ip,
            mgc(0x00) + bytes([0x10, 1, 2, 3]) + ip,
            mgc(0x00) + bytes([0x54, 1, 2, 3, 4, 5]) + ip,
            mgc(0x00) + bytes([0x10, 1, 2, 3]) + bytes(24),
        ]),
        "crafted_juniper_es.pcap": (132, [
            mgc(0x00) + struct.pack("!HBBI4s4s", 7, 64, 1, 0x1001, A, B) + ip,
            mgc(0x01) + struct.pack("!HBBI4s4s", 8, 63, 3, 0x2002, A, B) + bytes(16) + ip,
            mgc(0x01) + struct.pack("!HBBI4s4s", 9, 63, 9, 0x2002, A, B) + ip,
        ]),
    }


def aarp_frames() -> list[bytes]:
    """A Netatalk host's AppleTalk ARP (Ethernet II): probe, request, reply, an
    unknown operation, another hardware type, a short one."""
    mac, bcast = bytes.fromhex("080007123456"), bytes.fromhex("090007ffffff")

    def aarp(op: int, psaddr: bytes, pdaddr: bytes, htype: int = 1, ptype: int = 0x809B,
             dst: bytes = bcast) -> bytes:
        return (dst + mac + b"\x80\xf3" + struct.pack("!HHBBH", htype, ptype, 6, 4, op)
                + mac + psaddr + bytes(6) + pdaddr)
    me, peer = bytes([0, 0xFF, 0x01, 0x2A]), bytes([0, 0xFF, 0x01, 0x07])
    return [aarp(3, me, me), aarp(1, me, peer), aarp(2, peer, me, dst=mac),
            aarp(9, me, peer), aarp(1, me, bytes([0, 0, 0x10, 0xFF]), htype=6, ptype=0),
            aarp(1, me, bytes([0, 0x12, 0x34, 0xFF])), (bcast + mac + b"\x80\xf3")[:14] + bytes(10)]


def tipc_frames() -> list[bytes]:
    """A two-node TIPC cluster (`tipc bearer enable media eth dev eth0`): neighbour
    discovery requests and responses, link state messages, a bundle, a named data
    message with a long header, a connection message with a short one, a user TIPC
    does not print, a frame cut short."""
    a, b = bytes.fromhex("02000000000a"), bytes.fromhex("02000000000b")

    def eth(dst: bytes, words: list[int], pad: int = 0) -> bytes:
        return dst + a + b"\x88\xca" + b"".join(struct.pack("!I", w) for w in words) + bytes(pad)

    def w0(user: int, hsize: int, msize: int, ver: int = 2) -> int:
        return ver << 29 | user << 25 | hsize << 21 | msize

    node_a, node_b = 0x01001001, 0x01001002
    return [
        eth(bytes.fromhex("ffffffffffff"), [w0(13, 6, 40), 0 << 29 | 0x1234, 0x01001000,
                                            node_a, 4711, 1] + [0] * 4),
        eth(b, [w0(13, 6, 40), 1 << 29 | 0x5678, 0x01001000, node_b, 4711, 1] + [0] * 4),
        eth(b, [w0(7, 10, 40), 0x20030005, 0x00070009, node_a, 0x00100011, 0x00200000,
                node_a, node_b, 77, 0x0003005D]),
        eth(b, [w0(6, 10, 120), 0x00000002, 0, node_a, 0, 0, node_a, node_b, 12, 0x00020000],
            pad=80),
        eth(b, [w0(2, 11, 60), 2 << 29 | 0x0009, 0x00040005, node_a, 1234, 5678, node_a,
                node_b, 1000, 0, 0], pad=16),
        eth(b, [w0(0, 6, 34), 0 << 29, 0, node_a, 42, 43], pad=10),
        eth(b, [w0(4, 6, 24), 0, 0, 0, 0, 0]),
        eth(b, [w0(7, 10, 40), 0, 0]),
    ]


def pcap(frames: list[bytes], linktype: int) -> bytes:
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)
    for n, f in enumerate(frames):
        out += struct.pack("<IIII", 1700000000 + n, 1000 * n, len(f), len(f)) + f
    return out


def main(outdir: str) -> None:
    Path(outdir, "crafted_sunatm.pcap").write_bytes(pcap(sunatm_frames(), 123))
    Path(outdir, "crafted_atm_rfc1483.pcap").write_bytes(pcap(rfc1483_frames(), 100))
    Path(outdir, "crafted_cip.pcap").write_bytes(pcap(cip_frames(), 106))
    Path(outdir, "crafted_aarp.pcap").write_bytes(pcap(aarp_frames(), 1))
    Path(outdir, "crafted_tipc.pcap").write_bytes(pcap(tipc_frames(), 1))
    for name, (linktype, frames) in juniper_files().items():
        Path(outdir, name).write_bytes(pcap(frames, linktype))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent))
