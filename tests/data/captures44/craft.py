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

crafted_rsvp.pcap: an MPLS-TE lab's RSVP messages (see rsvp_frames()).

crafted_lmp.pcap: two optical cross-connects' LMP (see lmp_frames()).

crafted_nfs.pcap: an NFS lab's v3 (UDP, TCP) and v2 calls and replies (see nfs_frames()).

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


def rsvp_frames() -> list[bytes]:
    """An MPLS-TE lab's RSVP (three routers, an LSP r1 -> r3 with fast reroute): Path,
    Resv, PathErr, ResvConf with integrity, Hello with restart capability, a bundle of
    Srefresh and Ack, IPv6 sessions, GMPLS label requests and labels, a generalized UNI,
    Juniper properties, and the errors: a length not a multiple of 4, an object too
    short, one past the end, version 2, an unknown message type."""
    eth = bytes.fromhex("0000000000030000000000010800")
    r1, r2, r3 = bytes([10, 0, 12, 1]), bytes([10, 0, 12, 2]), bytes([10, 0, 23, 3])
    lo1, lo3 = bytes([1, 1, 1, 1]), bytes([3, 3, 3, 3])
    v6a = bytes.fromhex("20010db8000000000000000000000001")
    v6b = bytes.fromhex("20010db8000000000000000000000003")

    def obj(cls: int, ctype: int, body: bytes) -> bytes:
        return struct.pack("!HBB", 4 + len(body), cls, ctype) + body

    def msg(kind: int, objs: bytes, flags: int = 0, version: int = 1, ttl: int = 255) -> bytes:
        return struct.pack("!BBHBBH", version << 4 | flags, kind, 0x1234, ttl, 0,
                           8 + len(objs)) + objs

    def f32(v: float) -> bytes:
        return struct.pack("!f", v)

    session = obj(1, 7, lo3 + struct.pack("!HH", 0, 4) + lo1)
    hop = obj(3, 1, r1 + struct.pack("!I", 0x10))
    time_values = obj(5, 1, struct.pack("!I", 30000))
    ero = obj(20, 1, bytes([0x01, 8]) + r2 + bytes([32, 0]) + bytes([0x81, 8]) + lo3
              + bytes([32, 0]) + bytes([0x20, 8, 0, 0, 0, 0, 0xFD, 0xE8]))
    label_req = obj(19, 1, struct.pack("!HH", 0, 0x0800))
    name = b"r1-to-r3"
    session_attr = obj(207, 7, bytes([7, 7, 0x06, len(name)]) + name + bytes(-len(name) % 4))
    sender = obj(11, 7, lo1 + struct.pack("!HH", 0, 1))
    tspec = obj(12, 2, struct.pack("!BBH", 0, 0, 7) + struct.pack("!BBH", 1, 0, 6)
                + struct.pack("!BBH", 127, 0, 5) + f32(1250000.0) + f32(1000.0)
                + f32(float("inf")) + struct.pack("!II", 0, 1500))
    adspec = obj(13, 2, struct.pack("!BBH", 0, 0, 19) + struct.pack("!BBH", 1, 0, 8)
                 + struct.pack("!BBH", 4, 0, 1) + struct.pack("!I", 1)
                 + struct.pack("!BBH", 6, 0, 1) + f32(12500000.0)
                 + struct.pack("!BBH", 8, 0, 1) + struct.pack("!I", 0xFFFFFFFF)
                 + struct.pack("!BBH", 10, 0, 1) + struct.pack("!I", 1500)
                 + struct.pack("!BBH", 2, 0x80, 8) + struct.pack("!BBH", 133, 0, 1)
                 + struct.pack("!I", 7) + struct.pack("!BBH", 136, 0, 1) + struct.pack("!I", 9)
                 + struct.pack("!BBH", 99, 0, 1) + struct.pack("!I", 0xABCD)
                 + struct.pack("!BBH", 5, 0, 0))
    rro = obj(21, 1, bytes([0x01, 8]) + r1 + bytes([32, 0x09])
              + bytes([0x03, 8, 0x01, 1]) + struct.pack("!I", 16)
              + bytes([0x03, 8, 0x00, 1]) + struct.pack("!I", 3))
    frr = obj(205, 1, bytes([7, 7, 16, 0x02]) + f32(12500.0) + struct.pack("!III", 1, 2, 3))
    frr_old = obj(205, 7, bytes([5, 5, 8, 0]) + f32(125000.0) + struct.pack("!II", 0xF0, 0x0F))
    detour = obj(63, 7, r1 + r2 + r2 + r3)
    classtype = obj(66, 1, struct.pack("!I", 3))
    admin = obj(196, 1, struct.pack("!I", 0x80000003))
    s2l = obj(50, 1, lo3)
    label_set = obj(36, 1, struct.pack("!BBH", 0, 0, 5) + struct.pack("!II", 100, 200))
    label_range = obj(36, 1, struct.pack("!BBH", 2, 0, 5) + struct.pack("!II", 1000, 2000))
    props = obj(204, 1, struct.pack("!HH", 2, 0) + bytes([0x01, 3, 5, 0x02, 5, 0, 0, 10])
                + bytes(-10 % 4 + 2))
    msgid = obj(23, 1, struct.pack("!I", 0x00000102) + struct.pack("!I", 77))
    policy = obj(14, 1, bytes(range(8)))
    unknown = obj(99, 1, bytes([1, 2, 3, 4]))
    capability = obj(134, 1, struct.pack("!I", 0x00010005))
    path = msg(1, session + hop + time_values + ero + label_req + session_attr + sender
               + tspec + adspec + rro + frr + detour + classtype + admin + s2l + label_set
               + props + msgid + policy + unknown, flags=1)
    path2 = msg(1, session + hop + time_values + label_range + frr_old + capability)
    style = obj(8, 1, struct.pack("!I", 18))
    flowspec = obj(9, 2, struct.pack("!BBH", 0, 0, 10) + struct.pack("!BBH", 2, 0, 9)
                   + struct.pack("!BBH", 127, 0, 5) + f32(1250000.0) + f32(1000.0)
                   + f32(2500000.0) + struct.pack("!II", 64, 1500)
                   + struct.pack("!BBH", 130, 0, 2) + f32(1250000.0) + struct.pack("!I", 10))
    filterspec = obj(10, 7, lo1 + struct.pack("!HH", 0, 1))
    label = obj(16, 1, struct.pack("!I", 16))
    resv = msg(2, session + obj(3, 1, r2 + struct.pack("!I", 0x20)) + time_values + style
               + flowspec + filterspec + label + rro)
    err_spec = obj(6, 1, r2 + bytes([0, 24]) + struct.pack("!H", 5))
    err_spec2 = obj(6, 1, r2 + bytes([1, 28]) + struct.pack("!H", 3))
    err_spec3 = obj(6, 1, r2 + bytes([0, 2]) + struct.pack("!H", 1))
    err_spec6 = obj(6, 2, v6b + bytes([0, 24]) + struct.pack("!H", 2))
    patherr = msg(3, session + err_spec + err_spec2 + err_spec3 + err_spec6 + sender)
    confirm = obj(15, 1, r1)
    integrity = obj(4, 1, bytes([0x80, 0]) + bytes.fromhex("00000000002a")
                    + struct.pack("!II", 0, 5) + bytes(range(16)))
    resvconf = msg(7, integrity + session + err_spec3 + confirm + style + flowspec
                   + filterspec)
    hello = msg(20, obj(22, 1, struct.pack("!II", 0x11, 0)) + obj(131, 1,
                struct.pack("!II", 120000, 60000)), flags=1, ttl=1)
    hello_ack = msg(20, obj(22, 2, struct.pack("!II", 0x22, 0x11)), flags=1, ttl=1)
    srefresh = msg(15, obj(25, 1, struct.pack("!I", 0x0000AB) + struct.pack("!II", 5, 6)))
    ack = msg(13, obj(24, 1, struct.pack("!I", 7)) + obj(24, 2, struct.pack("!II", 8, 9)))
    bundle = msg(12, srefresh + ack, flags=1)
    session6 = obj(1, 2, v6b + bytes([17, 0]) + struct.pack("!H", 5004))
    hop6 = obj(3, 2, v6a + struct.pack("!I", 3))
    sender6 = obj(11, 2, v6a + struct.pack("!HH", 0, 5004))
    path6 = msg(1, session6 + hop6 + time_values + sender6 + obj(195, 2, v6a)
                + obj(15, 2, v6a) + obj(10, 3, v6a + bytes([0, 0, 0, 0x12])))
    gen_req = obj(19, 4, bytes([8, 150]) + struct.pack("!H", 37))
    atm_req = obj(19, 2, struct.pack("!HH", 0, 0x0800) + struct.pack("!HHHH", 0x8001, 32, 2, 1023))
    fr_req = obj(19, 3, struct.pack("!HH", 0, 0x86DD) + struct.pack("!II", 0x00000010, 0x000003FF))
    gen_label = obj(16, 2, struct.pack("!I", 0x00012345))
    wave = obj(16, 3, struct.pack("!III", 7, 1, 8))
    uni = obj(229, 1, struct.pack("!HBB", 8, 1, 1) + lo1 + struct.pack("!HBB", 20, 2, 2) + v6a
              + struct.pack("!HBB", 8, 3, 0) + bytes(4) + struct.pack("!HBB", 16, 4, 0)
              + struct.pack("!III", 0x80000002, 12, 34) + struct.pack("!HBB", 8, 5, 0)
              + bytes([3, 0, 0, 0]) + struct.pack("!HBB", 8, 9, 0) + bytes(4))
    gmpls = msg(1, session + gen_req + atm_req + fr_req + gen_label + wave + uni)
    bad4 = msg(1, session + struct.pack("!HBB", 10, 1, 7) + bytes(6))
    short = msg(20, obj(22, 1, bytes(4)))
    past = msg(1, session + struct.pack("!HBB", 64, 5, 1) + bytes(4))
    v2 = msg(1, session, version=2)
    odd = msg(99, session)
    packets = [(r1, r2, path), (r1, r2, path2), (r2, r1, resv), (r2, r1, patherr),
               (r1, r2, resvconf), (r1, r2, hello), (r2, r1, hello_ack), (r1, r2, bundle),
               (r1, r2, gmpls), (r1, r2, bad4), (r1, r2, short), (r1, r2, past), (r1, r2, v2),
               (r1, r2, odd)]
    frames = [eth + ipv4(a, b, 46, m) for a, b, m in packets]
    frames.append((eth + ipv4(r1, r2, 46, path))[:14 + 20 + 60])
    return frames


def udp(src: bytes, dst: bytes, sport: int, dport: int, payload: bytes) -> bytes:
    """IPv4/UDP with a zero UDP checksum (none computed)."""
    return ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)


def lmp_frames() -> list[bytes]:
    """Two optical cross-connects' LMP (RFC 4204, UDP 701): Config with control
    channel, node and message IDs and hello config, its ACK and NACK, Hello, Begin
    Verify and its ACK, Test Status with verify and interface IDs, Link Summary with
    TE and data links (subobjects: switching type, wavelength, an unknown one), Channel
    Status in IPv4, IPv6 and unnumbered forms, a Channel Status Request, errors, UNI
    service config, and the malformed: short, odd-length and overlong objects, a
    version 2 header; the last on port 49998 (read with -T lmp)."""
    eth = bytes.fromhex("0000000000020000000000010800")
    a, b = bytes([192, 168, 100, 1]), bytes([192, 168, 100, 2])
    v6 = bytes.fromhex("20010db8000000000000000000000064")

    def obj(cls: int, ctype: int, body: bytes, neg: int = 0) -> bytes:
        return struct.pack("!BBH", ctype | neg, cls, 4 + len(body)) + body

    def msg(kind: int, objs: bytes, flags: int = 0, version: int = 1) -> bytes:
        return struct.pack("!HBBHH", version << 12, flags, kind, 8 + len(objs), 0) + objs

    def bw(v: float) -> bytes:
        return struct.pack("!f", v)

    cc = obj(1, 1, struct.pack("!I", 1))
    node = obj(2, 1, a)
    mid = obj(5, 1, struct.pack("!I", 100))
    hello_cfg = obj(6, 1, struct.pack("!HH", 150, 500), neg=0x80)
    config = msg(1, cc + mid + node + hello_cfg)
    config_ack = msg(2, cc + node + obj(1, 2, struct.pack("!I", 2)) + obj(2, 2, b)
                     + obj(5, 2, struct.pack("!I", 100)))
    config_nack = msg(3, cc + node + obj(5, 2, struct.pack("!I", 100)) + hello_cfg, flags=2)
    hello = msg(4, obj(7, 1, struct.pack("!II", 10, 9)), flags=1)
    begin = msg(5, mid + obj(3, 1, a) + obj(8, 1, struct.pack("!HHIBBHfI", 3, 10, 4, 8, 0,
                                                                  0x8000, 1.25e9, 1550)))
    begin_ack = msg(6, mid + obj(9, 1, struct.pack("!HH", 100, 1)) + obj(10, 1, struct.pack("!I", 77)))
    status = msg(11, mid + obj(10, 1, struct.pack("!I", 77)) + obj(4, 1, a) + obj(4, 3, v6)
                 + obj(4, 5, struct.pack("!I", 9)))
    summary = msg(14, mid + obj(11, 1, bytes([3, 0, 0, 0]) + a + b)
                  + obj(11, 3, bytes([1, 0, 0, 0]) + struct.pack("!II", 5, 6))
                  + obj(12, 1, bytes([3, 0, 0, 0]) + a + b + bytes([1, 12, 150, 8])
                        + bw(1.25e8) + bw(1.25e9) + bytes([2, 8, 0, 0]) + struct.pack("!I", 1550)
                        + bytes([9, 4, 0, 0]), neg=0x80)
                  + obj(12, 2, bytes([4, 0, 0, 0]) + v6 + v6)
                  + obj(12, 3, bytes([0, 0, 0, 0]) + struct.pack("!II", 7, 8) + bytes([1, 2, 0, 0])))
    chan = msg(17, mid + obj(13, 1, a + struct.pack("!I", 0x80000001) + b
                             + struct.pack("!I", 0x40000003))
               + obj(13, 2, v6 + struct.pack("!I", 2)) + obj(13, 3, struct.pack("!II", 5, 0xC0000004)))
    chan_req = msg(19, mid + obj(14, 1, a + b) + obj(14, 2, v6) + obj(14, 3, struct.pack("!II", 1, 2)))
    errs = msg(7, mid + obj(20, 1, struct.pack("!I", 0x12)) + obj(20, 2, struct.pack("!I", 0x24)))
    service = msg(50, mid + obj(51, 1, bytes([3, 1, 0, 0]))
                  + obj(51, 2, bytes([5, 8, 7, 1]) + struct.pack("!HHHH", 1, 4, 1, 16) + a)
                  + obj(51, 2, bytes([6, 9, 0, 0]) + struct.pack("!HHHH", 0, 0, 0, 0) + b)
                  + obj(51, 3, struct.pack("!II", 3, 1)) + obj(51, 4, bytes([0, 0, 0, 7])))
    odd = msg(20, mid + obj(99, 1, bytes(8)) + obj(4, 9, bytes(4)) + obj(1, 1, bytes(8)))
    short = msg(4, struct.pack("!BBH", 1, 7, 2) + bytes(4))
    notmult = msg(4, struct.pack("!BBH", 1, 7, 6) + bytes(4))
    overlong = msg(4, obj(7, 1, struct.pack("!II", 1, 2)))[:-4]
    overlong = overlong[:4] + struct.pack("!H", len(overlong) + 4) + overlong[6:]
    v2 = msg(4, obj(7, 1, struct.pack("!II", 1, 2)), version=2)
    msgs = [config, config_ack, config_nack, hello, begin, begin_ack, status, summary, chan,
            chan_req, errs, service, odd, short, notmult, overlong, v2]
    frames = [eth + udp(a, b, 701, 701, m) for m in msgs]
    frames.append(eth + udp(a, b, 49998, 49998, hello))
    return frames


def nfs_frames() -> list[bytes]:
    """An NFS lab (a Linux client mounting a server's export with vers=3 over UDP and
    TCP, and an old vers=2 mount): every NFSv3 procedure's call and reply (attributes,
    wcc data, errors), NFSv2 calls and replies, denied and unaccepted replies, a reply
    nobody asked for, file handles in the layouts Parse_fh() guesses (Linux's as
    Unknown, BSD 4.4, SunOS 4, Auspex, HP-UX, a short one), names cut short."""
    eth = bytes.fromhex("0000000000020000000000010800")
    cl, sv = bytes([10, 0, 0, 10]), bytes([10, 0, 0, 1])
    w = lambda *v: b"".join(struct.pack("!I", x & 0xFFFFFFFF) for x in v)  # noqa: E731
    w64 = lambda v: struct.pack("!Q", v)  # noqa: E731

    def opaque(data: bytes) -> bytes:
        return w(len(data)) + data + bytes(-len(data) % 4)

    cred = w(1) + opaque(w(1234) + opaque(b"client") + w(0, 0, 1, 0))
    verf = w(0, 0)

    def call(xid: int, vers: int, proc: int, body: bytes) -> bytes:
        return w(xid, 0, 2, 100003, vers, proc) + cred + verf + body

    def reply(xid: int, body: bytes) -> bytes:
        return w(xid, 1, 0) + verf + w(0) + body

    def udp_to(payload: bytes, to_server: bool = True, sport: int = 800) -> bytes:
        a, b, sp, dp = (cl, sv, sport, 2049) if to_server else (sv, cl, 2049, sport)
        return eth + ipv4(a, b, 17, struct.pack("!HHHH", sp, dp, 8 + len(payload), 0) + payload)

    seqs = {True: 1000, False: 5000}

    def tcp_to(payload: bytes, to_server: bool = True) -> bytes:
        rec = w(0x80000000 | len(payload)) + payload
        a, b, sp, dp = (cl, sv, 1023, 2049) if to_server else (sv, cl, 2049, 1023)
        seq, ack = seqs[to_server], seqs[not to_server]
        seqs[to_server] += len(rec)
        hdr = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 0x50, 0x18, 501, 0, 0)
        return eth + ipv4(a, b, 6, hdr + rec)

    linux_fh = bytes.fromhex("01000601a1b2c3d4e5f60718293a4b5c6d7e8f90a0b0c0d0e0f00102")
    bsd_fh = bytes.fromhex("0a1b0000000000000a000000e8030000") + bytes(16)
    sun4_fh = bytes.fromhex("00000708") + w(0x11223344) + w(2) + w(4711) + bytes(16)
    auspex_fh = bytes(6) + bytes([3, 9]) + w(0) + w(2) + w(31337) + bytes(12)
    hp_fh = bytes([4, 0, 0, 7]) + bytes(4) + bytes([0, 10]) + bytes(2) + w(99) + bytes(16)
    fh3 = opaque(linux_fh)

    def fattr3(kind: int = 1, mode: int = 0o100644, size: int = 3) -> bytes:
        return (w(kind, mode, 1, 65534, 65534) + w64(size) + w64(4096) + w(0, 0)
                + w64(0x5B7AAA5800000000) + w64(0x2AB14) + w(1535100894, 466424000) * 3)

    post = w(1) + fattr3()
    post_dir = w(1) + fattr3(2, 0o40755, 4096)
    wcc = w(1) + w64(0) + w(1535100894, 465310536, 1535100894, 464014342) + post
    frames = []
    n = [0x100]

    def pair(vers: int, proc: int, req: bytes, rep: bytes | None, via=udp_to) -> None:
        n[0] += 1
        frames.append(via(call(n[0], vers, proc, req)))
        if rep is not None:
            frames.append(via(reply(n[0], rep), False))

    pair(3, 1, fh3, w(0) + fattr3())
    pair(3, 2, fh3 + w(1, 0o600, 0, 0, 0, 0, 0), w(0) + wcc)
    pair(3, 3, fh3 + opaque(b"hosts"), w(0) + fh3 + post + post_dir)
    pair(3, 3, fh3 + opaque(b"missing"), w(2) + w(1) + fattr3(2, 0o40755))
    pair(3, 4, fh3 + w(0x1F), w(0) + post + w(0x1F))
    pair(3, 4, fh3 + w(0x3F), w(13) + w(0))
    pair(3, 4, fh3 + w(0x41), None)
    pair(3, 5, fh3, w(0) + w(0) + opaque(b"../etc/target"))
    pair(3, 6, fh3 + w64(8192) + w(4096), w(0) + post + w(3, 1) + opaque(b"abc"))
    pair(3, 7, fh3 + w64(0) + w(3, 2) + opaque(b"abc"), w(0) + wcc + w(3, 2) + w64(0x851B4))
    pair(3, 7, fh3 + w64(4096) + w(512, 0) + opaque(bytes(512)), w(28) + w(0) + w(0))
    pair(3, 8, fh3 + opaque(b"newfile") + w(0) + w(1, 0o644, 0, 0, 0, 0, 0),
         w(0) + w(1) + fh3 + post + wcc)
    pair(3, 9, fh3 + opaque(b"dir") + w(1, 0o755, 0, 0, 0, 0, 0), w(17) + wcc)
    pair(3, 10, fh3 + opaque(b"link") + w(1, 0o777, 1, 1000, 1, 1000, 0, 2, 1, 2, 2, 3, 4)
         + opaque(b"/tmp/x"), w(0) + w(1) + fh3 + post + wcc)
    pair(3, 11, fh3 + opaque(b"null") + w(4) + w(1, 0o666, 0, 0, 0, 0, 0) + w(1, 3),
         w(0) + w(0) + wcc)
    pair(3, 12, fh3 + opaque(b"old"), w(0) + wcc)
    pair(3, 13, fh3 + opaque(b"full"), w(66) + wcc)
    pair(3, 14, fh3 + opaque(b"a") + fh3 + opaque(b"b"), w(0) + wcc + wcc)
    pair(3, 15, fh3 + fh3 + opaque(b"hard"), w(0) + post + wcc)
    pair(3, 16, fh3 + w64(0) + w(0x11, 0x22) + w(4096),
         w(0) + post_dir + w(0x11, 0x22) + w(1) + w64(7) + opaque(b".") + w64(1) + w(0, 1))
    pair(3, 17, fh3 + w64((1 << 63) + 5) + w(0, 0) + w(1024, 8192),
         w(0) + post_dir + w(0x33, 0x44) + w(0, 1))
    pair(3, 18, fh3, w(0) + post + w64(10 << 30) + w64(4 << 30) + w64(3 << 30) + w64(655360)
         + w64(600000) + w64(600000) + w(0))
    pair(3, 19, fh3, w(0) + w(0) + w(1048576, 1048576, 4096, 1048576, 1048576, 512, 4096)
         + w64(0x7FFFFFFFFFFFFFFF) + w(0, 1) + w(0x1B))
    pair(3, 20, fh3, w(0) + post + w(32000, 255, 1, 1, 0, 1))
    pair(3, 21, fh3 + w64(0) + w(0), w(0) + wcc + w64(0x851B4))
    pair(3, 0, b"", b"")
    pair(3, 30, fh3, b"")
    # over TCP, with -vv details
    pair(3, 1, opaque(bsd_fh), w(0) + fattr3(5, 0o120777, 13), via=tcp_to)
    pair(3, 3, opaque(sun4_fh) + opaque(b"passwd"), w(0) + opaque(auspex_fh) + post + w(0),
         via=tcp_to)
    pair(3, 6, opaque(hp_fh) + w64(0) + w(32768), w(0) + w(0) + w(0, 0) + opaque(b""), via=tcp_to)
    pair(3, 4, opaque(linux_fh[:8]) + w(0x2D), w(0) + w(0) + w(0x2D), via=tcp_to)
    # NFSv2
    fh2 = bsd_fh
    fattr2 = w(1, 0o100644, 1, 0, 0, 1234, 4096, 0, 8, 0x801, 77) + w(1000, 5) * 3
    pair(2, 1, fh2, w(0) + fattr2)
    pair(2, 4, fh2 + opaque(b"motd"), w(0) + sun4_fh + fattr2)
    pair(2, 6, fh2 + w(0, 8192, 8192), w(0) + fattr2 + opaque(b"hi"))
    pair(2, 8, fh2 + w(0, 0, 2) + opaque(b"hi"), w(0) + fattr2)
    pair(2, 16, fh2 + w(0, 4096), w(0) + w(1, 5) + opaque(b"a") + w(9) + w(0, 1))
    pair(2, 17, fh2, w(0) + w(8192, 4096, 1000, 500, 400))
    pair(2, 9, fh2 + opaque(b"x") + w(0o755, 0, 0, 0, 0, 0, 0, 0), w(17))
    pair(2, 10, fh2 + opaque(b"gone"), w(2))
    # odd replies
    frames.append(udp_to(w(0x999, 1, 1, 0, 2, 2), False))
    frames.append(udp_to(w(0x998, 1, 1, 1, 5), False))
    frames.append(udp_to(w(0x997, 1, 1, 1, 9), False))
    frames.append(udp_to(w(0x996, 1, 7), False))
    n[0] += 1
    frames.append(udp_to(call(n[0], 3, 1, fh3)))
    frames.append(udp_to(w(n[0], 1, 0) + verf + w(1), False))
    frames.append(udp_to(reply(0x12345, w(0) + fattr3()), False))
    n[0] += 1
    cut = udp_to(call(n[0], 3, 3, fh3 + opaque(b"a-long-file-name")))
    frames.append(cut[:len(cut) - 10])
    frames.append(udp_to(call(n[0] + 1, 3, 3, fh3 + w(0xFFFFFFFE))))
    return frames


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
    Path(outdir, "crafted_rsvp.pcap").write_bytes(pcap(rsvp_frames(), 1))
    Path(outdir, "crafted_lmp.pcap").write_bytes(pcap(lmp_frames(), 1))
    Path(outdir, "crafted_nfs.pcap").write_bytes(pcap(nfs_frames(), 1))
    for name, (linktype, frames) in juniper_files().items():
        Path(outdir, name).write_bytes(pcap(frames, linktype))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent))
