"""Makes this folder's crafted captures with struct alone (run by record.sh):

crafted_zephyr.pcap: an Athena campus's Zephyr traffic on UDP 2103/2104: personal and
class messages, locate, hide and unhide, the client's subscriptions (with and without
a recipient, -nodefs, unsubscribe, gimme, gimmedefs, clearsub, another opcode), host
manager and realm control, HM_CTL/HM_STAT/WG_CTL, login exposure and flush, server
acks (SENT and LOST), an unknown kind, version 0.3, a packet that is not Zephyr,
fields missing, a notice cut by the snap length, odd hex fields for strtol().

crafted_decnet.pcap: a DECnet Phase IV LAN: routing init messages of a level 1 and
an endnode, verification and test, level 1 and 2 routing messages, router and endnode
hellos, an unknown control message, and NSP over short (padded, flagged) and long
headers: connect initiate, confirm and ack, data with acks and naks on both channels,
interrupts, link service (data and interrupt counts, modifiers), data and I/LS acks,
disconnect initiate and confirm with reasons, reserved types; a future version, an
unknown format, short packets and lengths, two hellos cut by the snap length.

crafted_ethertalk.pcap: EtherTalk phase 2 (802.3 SNAP 08:00:07/0x809b) on a network
1000: NBP lookups, replies with one and two tuples (other enumerators, sockets,
addresses), broadcast requests, an unknown NBP function, a too long name, a short NBP;
ATP requests (XO, EOM, STS, bitmaps), responses and releases (with stray flags and
data), an unknown ATP function, a short ATP; echo, RTMP and ZIP datagrams and an
unknown DDP type; phase 1 (Ethernet II 0x809b) frames, a short one; three frames cut
by the snap length.

crafted_ltalk.pcap (link type LTALK): LocalTalk LLAP with short DDP (NBP, ATP, echo)
and long DDP, a KLAP frame, short DDP headers, a short LAP header, a cut frame.

crafted_arcnet_bsd.pcap (link type ARCNET_BSD) and crafted_arcnet_linux.pcap (link
type ARCNET_LINUX): RFC 1201 IP and ARP, RFC 1051 IP, first and middle fragments, an
exception frame, AppleTalk, IPv6, IPX, Banyan and diagnostic frames, short headers.

crafted_kip.pcap: AppleTalk's DDP in UDP (KIP) on its port ranges, and a UDP port out
of them.

crafted_80211.pcap (link type IEEE802_11): a lab access point and its stations:
beacons (elements repeated, empty SSID and rates, TIM, CF, DS), probe request and
response, open and shared key authentication with the challenge, association and
reassociation requests and responses (status texts), disassociation and
deauthentication (reason texts), ATIM, each action category, a WEP-protected beacon,
data frames in every To/From DS direction (LLC/SNAP IP, IPX, an LLC that is not
SNAP), QoS, null and CF data, WEP data, a mesh-controlled QoS frame, each control
frame, reserved types and subtypes, short frames, a beacon cut by the snap length.

crafted_radiotap.pcap (link type IEEE802_11_RADIO): radiotap headers of real cards'
fields: TSFT, flags (FCS, padding, bad FCS), rates, channels of 802.11a/b/g, HT MCS
with its rate, bandwidth, GI, format, FEC and STBC, VHT users, XChannel, FHSS, lock
quality, attenuation, power, dB signal and noise, A-MPDU status, extended bitmaps,
radiotap and vendor namespaces, unknown bits, short headers.

crafted_prism.pcap, crafted_avs.pcap (link types PRISM and IEEE802_11_RADIO_AVS):
Prism and AVS headers before 802.11 frames, short ones.

crafted_lwres.pcap: a host's lwresd traffic on UDP 921: getaddrsbyname queries (IPv4,
IPv6, both, an extra type bit) and responses with aliases and IPv4, IPv6 and other
family addresses, getnamebyaddr queries and responses, getrdatabyname queries (a
non-IN class) and responses with rdata and signatures, noop, an unknown opcode,
version 1, extra packet flags, a length that differs from the datagram's, trailing
bytes, a short address, a name without its NUL, a cut packet.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

A = bytes([18, 7, 21, 69])
B = bytes([18, 9, 22, 169])


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


def udp(src: bytes, dst: bytes, sport: int, dport: int, payload: bytes) -> bytes:
    return ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)


def ether(payload: bytes, etype: int = 0x0800) -> bytes:
    return bytes.fromhex("0050569a0001") + bytes.fromhex("0050569a0002") + struct.pack("!H", etype) + payload


def notice(kind: bytes, cls: bytes, inst: bytes, opcode: bytes, sender: bytes = b"alice@ATHENA.MIT.EDU",
           recipient: bytes = b"", extra: list[bytes] | None = None, version: bytes = b"ZEPH0.2",
           uid: bytes = b"0x12071545 0x5F3A2B10 0x000A1B2C") -> bytes:
    fields = [version, b"0x00000011", kind, uid, b"0x0000EB0E", b"0x00000000", b"0x00000000",
              b"", cls, inst, opcode, sender, recipient, b"Class $class, Instance $instance:",
              b"0x5A3B9C01", b"0x00000000", uid] + (extra or [])
    return b"".join(f + b"\0" for f in fields)


def zephyr_frames() -> list[bytes]:
    Z = lambda payload, sport=60174, dport=2104, src=A, dst=B: ether(udp(src, dst, sport, dport, payload))
    return [
        Z(notice(b"0x00000002", b"MESSAGE", b"PERSONAL", b"", recipient=b"bob@ATHENA.MIT.EDU",
                 extra=[b"Alice", b"lunch at 12?"])),
        Z(notice(b"0x00000001", b"help", b"emacs", b"AUTO", sender=b"carol@ATHENA.MIT.EDU")),
        Z(notice(b"0x00000002", b"USER_LOCATE", b"bob@ATHENA.MIT.EDU", b"LOCATE")),
        Z(notice(b"0x00000002", b"USER_LOCATE", b"alice@ATHENA.MIT.EDU", b"USER_HIDE")),
        Z(notice(b"0x00000002", b"USER_LOCATE", b"alice@ATHENA.MIT.EDU", b"USER_UNHIDE")),
        Z(notice(b"0x00000002", b"ZEPHYR_ADMIN", b"", b"BDUMP_REQ", sender=b"")),
        Z(notice(b"0x00000002", b"ZEPHYR_CTL", b"CLIENT", b"SUBSCRIBE",
                 extra=[b"MESSAGE", b"PERSONAL", b"alice@ATHENA.MIT.EDU"])),
        Z(notice(b"0x00000002", b"ZEPHYR_CTL", b"CLIENT", b"SUBSCRIBE_NODEFS",
                 extra=[b"help", b"*", b""])),
        Z(notice(b"0x00000002", b"ZEPHYR_CTL", b"CLIENT", b"UNSUBSCRIBE",
                 extra=[b"help", b"emacs"])),
        Z(notice(b"0x00000005", b"ZEPHYR_CTL", b"CLIENT", b"SUBSCRIBE", extra=[b"SENT"]),
          sport=2103, dport=60174, src=B, dst=A),
        Z(notice(b"0x00000002", b"ZEPHYR_CTL", b"CLIENT", b"GIMME")),
        Z(notice(b"0x00000002", b"ZEPHYR_CTL", b"CLIENT", b"GIMMEDEFS")),
        Z(notice(b"0x00000002", b"ZEPHYR_CTL", b"CLIENT", b"CLEARSUB")),
        Z(notice(b"0x00000002", b"ZEPHYR_CTL", b"CLIENT", b"Flush_Subs")),
        Z(notice(b"0x00000004", b"ZEPHYR_CTL", b"HM", b"HM_BOOT", sender=b"")),
        Z(notice(b"0x00000002", b"ZEPHYR_CTL", b"REALM", b"ADD_SUBSCRIBE")),
        Z(notice(b"0x00000002", b"ZEPHYR_CTL", b"REALM", b"RLM_UNSUBSCRIBE")),
        Z(notice(b"0x00000002", b"ZEPHYR_CTL", b"REALM", b"OTHER")),
        Z(notice(b"0x00000004", b"HM_CTL", b"SERVER", b"SHUTDOWN", sender=b"")),
        Z(notice(b"0x00000002", b"HM_STAT", b"HMST_CLIENT", b"GIMMESTATS", sender=b"")),
        Z(notice(b"0x00000002", b"HM_STAT", b"HMST_SERVER", b"GIMMESTATS", sender=b"")),
        Z(notice(b"0x00000002", b"WG_CTL", b"WG_CLIENT", b"WG_Startup")),
        Z(notice(b"0x00000002", b"LOGIN", b"alice@ATHENA.MIT.EDU", b"USER_FLUSH")),
        Z(notice(b"0x00000002", b"LOGIN", b"alice@ATHENA.MIT.EDU", b"REALM-VISIBLE")),
        Z(notice(b"0x00000002", b"LOGIN", b"alice@ATHENA.MIT.EDU", b"USER_LOGIN")),
        Z(notice(b"0x00000005", b"MESSAGE", b"PERSONAL", b"", extra=[b"LOST"]),
          sport=2103, dport=60174, src=B, dst=A),
        Z(notice(b"0x00000006", b"MESSAGE", b"PERSONAL", b"", recipient=b"nobody@ATHENA.MIT.EDU"),
          sport=2104, dport=2103),
        Z(notice(b"0x0000000C", b"MESSAGE", b"urgent", b"PING")),
        Z(notice(b"  -0x1", b"MESSAGE", b"x", b"")),
        Z(notice(b"0xFFFFFFFFFF", b"MESSAGE", b"x", b"")),
        Z(notice(b"0x00000002", b"MESSAGE", b"PERSONAL", b"", version=b"ZEPH0.3")),
        Z(b"XEPH0.2\0junk\0"),
        Z(b"ZEPH0.2\x000x11\x000x2\0uid\0"),
        Z(b"ZEPH0.2"),
        Z(notice(b"0x00000002", b"MESSAGE", b"caf\xe9\x01", b"", sender=b"\x80user@ATHENA")),
    ]


def lwres(opcode: int, body: bytes, flags: int = 0, version: int = 0, length: int | None = None,
          serial: int = 0x1234, result: int = 0, trailer: bytes = b"") -> bytes:
    total = 28 + len(body) if length is None else length
    return struct.pack("!IHHIIIIHH", total, version, flags, serial, opcode, result, 4096,
                       0, 0) + body + trailer


def name(n: bytes) -> bytes:
    return struct.pack("!H", len(n)) + n + b"\0"


def laddr(family: int, a: bytes) -> bytes:
    return struct.pack("!IH", family, len(a)) + a


def lwres_frames() -> list[bytes]:
    V6 = bytes.fromhex("20010db8000000000000000000000053")
    L = lambda payload, q=True: ether(udp(A, B, 34567, 921, payload) if q else udp(B, A, 921, 34567, payload))
    return [
        L(lwres(0x00010001, struct.pack("!II", 0, 1) + name(b"www.example.com"))),
        L(lwres(0x00010001, struct.pack("!IIH", 0, 1, 2) + b"www.example.com\0"
                + struct.pack("!H", 1) + b"wwwex\0" + laddr(1, bytes([93, 184, 216, 34]))
                + laddr(1, bytes([93, 184, 216, 35])), flags=1), q=False),
        L(lwres(0x00010001, struct.pack("!II", 2, 2) + name(b"ipv6.example.com"))),
        L(lwres(0x00010001, struct.pack("!II", 0, 3) + name(b"both.example.com"))),
        L(lwres(0x00010001, struct.pack("!II", 0, 0x13) + name(b"odd.example.com"))),
        L(lwres(0x00010001, struct.pack("!IHHH", 0, 0, 2, 16) + b"ipv6.example.com\0"
                + laddr(2, V6) + laddr(7, b"\x01\x02\x03"), flags=1), q=False),
        L(lwres(0x00010002, struct.pack("!I", 0) + laddr(1, bytes([93, 184, 216, 34])))),
        L(lwres(0x00010002, struct.pack("!I", 0) + laddr(2, V6))),
        L(lwres(0x00010002, struct.pack("!IHH", 0, 1, 11) + b"example.com\0" + name(b"www.example.com"),
                flags=1), q=False),
        L(lwres(0x00010003, struct.pack("!IHHH", 0, 1, 15, 11) + b"example.com\0")),
        L(lwres(0x00010003, struct.pack("!IHHH", 0, 3, 16, 7) + b"version\0")),
        L(lwres(0x00010003, struct.pack("!IHHIHH", 0, 1, 15, 86400 + 3661, 2, 1) + name(b"example.com")
                + struct.pack("!H", 4) + b"\x00\x0a\x6d\x78" + struct.pack("!H", 2) + b"\x00\x14"
                + struct.pack("!H", 3) + b"\xde\xad\xbe", flags=1), q=False),
        L(lwres(0x00010003, struct.pack("!IHHIHH", 0, 1, 999, 0, 0, 0) + name(b"x"), flags=1), q=False),
        L(lwres(0, b"\x00\x00")),
        L(lwres(0, b"\x00\x00", flags=1), q=False),
        L(lwres(0x00020001, b"\x00" * 8)),
        L(lwres(0x00010001, b"", version=1, length=28)),
        L(lwres(0x00010001, struct.pack("!II", 0, 1) + name(b"flags.example"), flags=0x8000)),
        L(lwres(0x00010001, struct.pack("!II", 0, 1) + name(b"www.example.com"), length=200)),
        L(lwres(0x00010001, struct.pack("!II", 0, 1) + name(b"www.example.com"), length=80)),
        L(lwres(0x00010001, struct.pack("!II", 0, 1) + name(b"www.example.com"), trailer=b"\0" * 6)),
        L(lwres(0x00010002, struct.pack("!I", 0) + laddr(1, b"\x0a\x00"))),
        L(lwres(0x00010001, struct.pack("!II", 0, 1) + struct.pack("!H", 3) + b"abcX")),
        L(lwres(0x00010001, struct.pack("!II", 0, 1) + struct.pack("!H", 40) + b"abc")),
        L(lwres(0x00010001, b"\x00\x00")),
    ]


def dn(a: int, n: int) -> int:
    return a << 10 | n


def dnmac(addr: int) -> bytes:
    return bytes.fromhex("aa000400") + struct.pack("<H", addr)


def dnframe(route: bytes, pad: int = 0) -> bytes:
    body = (bytes([0x80 | pad]) + b"\0" * (pad - 1) if pad else b"") + route
    return ether(struct.pack("<H", len(body)) + body, 0x6003)


def short(nsp: bytes, flags: int = 0x02, dst: int = dn(1, 2), src: int = dn(1, 1), visits: int = 0) -> bytes:
    return struct.pack("<BHHB", flags, dst, src, visits) + nsp


def long_(nsp: bytes, flags: int = 0x26, dst: int = dn(2, 7), src: int = dn(1, 1), visits: int = 3) -> bytes:
    return (struct.pack("<BBB", flags, 0, 0) + dnmac(dst) + b"\0\0" + dnmac(src)
            + struct.pack("<BBBB", 0, visits, 0, 0) + nsp)


def decnet_frames() -> list[bytes]:
    nsp = lambda flags, dst, src, rest=b"": struct.pack("<BHH", flags, dst, src) + rest
    return [
        dnframe(struct.pack("<BHBHBBBHB", 0x01, dn(1, 3), 0x02 | 0x04, 1498, 2, 0, 0, 15, 0)),
        dnframe(struct.pack("<BHBHBBBHB", 0x01, dn(1, 4), 0x03 | 0x08, 576, 1, 3, 0, 60, 0)),
        dnframe(struct.pack("<BHB", 0x03, dn(1, 3), 0o17)),
        dnframe(struct.pack("<BHB", 0x05, dn(1, 3), 0o252)),
        dnframe(struct.pack("<BHB", 0x07, dn(1, 3), 0) + struct.pack("<HHH", 3, 1, 4 | 2 << 10)
                + struct.pack("<HHH", 0, 9, 0o777 | 31 << 10) + struct.pack("<HHH", 2000, 0, 0) + b"\0\0"),
        dnframe(struct.pack("<BHB", 0x09, dn(2, 1), 0) + struct.pack("<HHH", 1, 1, 3 | 1 << 10)),
        dnframe(struct.pack("<BBBB", 0x0B, 2, 0, 0) + dnmac(dn(1, 3)) + struct.pack("<BHBBHB", 0x02 | 0x40, 1498, 64, 0, 15, 0)
                + bytes([7, 0, 0, 0, 0, 0, 0, 0])),
        dnframe(struct.pack("<BBBB", 0x0D, 2, 0, 0) + dnmac(dn(1, 1)) + struct.pack("<BHB", 0x03 | 0x20 | 0x04, 1498, 0)
                + b"\0" * 8 + dnmac(dn(1, 3)) + struct.pack("<HBB", 10, 0, 0o252)),
        dnframe(struct.pack("<BHB", 0x0F, dn(1, 3), 0) + b"\1\2\3\4"),
        dnframe(struct.pack("<BHB", 0x0D, dn(1, 3), 0)),
        dnframe(short(nsp(0x18, 0, 0x2003, struct.pack("<BBH", 0x04, 0x02, 1459)) + b"\x01\x00\x00"), pad=4),
        dnframe(short(nsp(0x68, 0, 0x2003, struct.pack("<BBH", 0x08, 0x01, 576)), flags=0x02 | 0x08 | 0x20 | 0x40 - 0x40, visits=5)),
        dnframe(short(nsp(0x28, 0x2003, 0x2004, struct.pack("<BBHB", 0x04, 0x03, 1459, 4)) + b"abcd")),
        dnframe(short(nsp(0x24, 0x2004, 0))),
        dnframe(short(nsp(0x60, 0x2003, 0x2004, struct.pack("<HHH", SGQ(0, 5), 0xA000 | 3, 7)) + b"hello")),
        dnframe(short(nsp(0x40, 0x2003, 0x2004, struct.pack("<HH", 0x9000 | 4, 8)) + b"x")),
        dnframe(short(nsp(0x00, 0x2003, 0x2004, struct.pack("<H", 9)))),
        dnframe(short(nsp(0x30, 0x2003, 0x2004, struct.pack("<HHH", 0x8000 | 2, 0xB000 | 1, 3)) + b"!")),
        dnframe(short(nsp(0x10, 0x2003, 0x2004, struct.pack("<HHHBB", 0x8000 | 1, 0xA000, 2, 0x01, 5)))),
        dnframe(short(nsp(0x10, 0x2003, 0x2004, struct.pack("<HHHBB", 0x8000 | 1, 0, 2, 0x02, 0)))),
        dnframe(short(nsp(0x10, 0x2003, 0x2004, struct.pack("<HBB", 6, 0x04, 1)))),
        dnframe(short(nsp(0x10, 0x2003, 0x2004, struct.pack("<HBB", 6, 0x03, 1)))),
        dnframe(short(nsp(0x10, 0x2003, 0x2004, struct.pack("<HBB", 6, 0x0C, 1)))),
        dnframe(short(nsp(0x04, 0x2003, 0x2004, struct.pack("<HH", 0x8000 | 7, 0xB000 | 2)))),
        dnframe(short(nsp(0x14, 0x2003, 0x2004, struct.pack("<HH", 0x9000 | 7, 0xA000 | 2)))),
        dnframe(short(nsp(0x34, 0x2003, 0x2004))),
        dnframe(short(nsp(0x38, 0x2003, 0x2004, struct.pack("<HB", 5, 3)) + b"abc")),
        dnframe(short(nsp(0x38, 0x2003, 0x2004, struct.pack("<HB", 77, 0)))),
        dnframe(short(nsp(0x48, 0x2004, 0x2003, struct.pack("<H", 42)))),
        dnframe(short(nsp(0x78, 0x2004, 0x2003))),
        dnframe(short(nsp(0x0C, 0x2004, 0x2003))),
        dnframe(short(nsp(0x70, 0x2004, 0x2003))),
        dnframe(long_(nsp(0x40, 0x2003, 0x2004, struct.pack("<H", 11)) + b"long")),
        dnframe(long_(b"\x40\x03\x20", flags=0x26 | 0x08)),
        dnframe(short(b"\x40\x03\x20\x04")),
        dnframe(bytes([0x42, 1, 2, 3, 4, 5, 6])),
        dnframe(bytes([0x03, 1, 2, 3, 4, 5, 6])),
        ether(struct.pack("<H", 40) + short(nsp(0x00, 1, 2, b"\0\0")), 0x6003),
        ether(struct.pack("<H", 3) + b"\x02\0\0", 0x6003),
        ether(b"\x02", 0x6003),
        dnframe(bytes([0x02, 0, 0, 0, 0, 0]), pad=30),
    ]


def ddp(dnet: int, dnode: int, dskt: int, snet: int, snode: int, sskt: int, t: int, body: bytes,
        hops: int = 0) -> bytes:
    return struct.pack("!HHHHBBBBB", (hops << 10) | (13 + len(body)), 0, dnet, snet, dnode, snode,
                       dskt, sskt, t) + body


def pstr(s: bytes) -> bytes:
    return bytes([len(s)]) + s


def nbp_tuple(net: int, node: int, skt: int, enum: int, obj: bytes, typ: bytes, zone: bytes) -> bytes:
    return struct.pack("!HBBB", net, node, skt, enum) + pstr(obj) + pstr(typ) + pstr(zone)


def atalk_payloads() -> list[bytes]:
    """DDP datagrams of a small AppleTalk network (net 1000, nodes 23 and 117)."""
    return [
        ddp(0, 255, 2, 1000, 23, 253, 2, b"\x21\x07" + nbp_tuple(1000, 23, 253, 0, b"=", b"LaserWriter", b"*")),
        ddp(1000, 23, 253, 1000, 117, 2, 2, b"\x31\x07" + nbp_tuple(1000, 117, 250, 1, b"Office LW", b"LaserWriter", b"*")),
        ddp(1000, 23, 253, 1000, 117, 2, 2, b"\x32\x08" + nbp_tuple(1000, 117, 2, 1, b"Mac1", b"Macintosh", b"Sales")
            + nbp_tuple(1001, 5, 128, 3, b"Mac2", b"AFPServer", b"Sales")),
        ddp(0, 255, 2, 1000, 23, 253, 2, b"\x12\x09" + nbp_tuple(1001, 9, 128, 2, b"x", b"y", b"z")),
        ddp(0, 255, 2, 1000, 23, 253, 2, b"\x41\x09" + nbp_tuple(1000, 23, 253, 0, b"a", b"b", b"c")),
        ddp(0, 255, 2, 1000, 23, 253, 2, b"\x21\x07" + nbp_tuple(1000, 23, 253, 0, b"A" * 40, b"b", b"c")),
        ddp(0, 255, 2, 1000, 23, 253, 2, b"\x21\x07\0\0"),
        ddp(1000, 117, 250, 1000, 23, 253, 3, struct.pack("!BBHI", 0x40, 0xFF, 4711, 0x01000000)),
        ddp(1000, 117, 250, 1000, 23, 253, 3, struct.pack("!BBHI", 0x60 | 0x10, 0x05, 4712, 0) + b"req"),
        ddp(1000, 23, 253, 1000, 117, 250, 3, struct.pack("!BBHI", 0x80 | 0x10, 0, 4711, 0) + b"response data"),
        ddp(1000, 23, 253, 1000, 117, 250, 3, struct.pack("!BBHI", 0x80 | 0x20 | 0x08, 1, 4711, 7)),
        ddp(1000, 117, 250, 1000, 23, 253, 3, struct.pack("!BBHI", 0xC0, 0x01, 4711, 0)),
        ddp(1000, 117, 250, 1000, 23, 253, 3, struct.pack("!BBHI", 0xC0 | 0x38, 0x0B, 4711, 0) + b"zz"),
        ddp(1000, 117, 250, 1000, 23, 253, 3, struct.pack("!BBHI", 0x00, 0, 1, 0)),
        ddp(1000, 117, 250, 1000, 23, 253, 3, b"\x40\x01"),
        ddp(1000, 117, 4, 1000, 23, 4, 4, b"\x01hello"),
        ddp(0, 255, 1, 1000, 23, 1, 1, struct.pack("!HBB", 1000, 8, 23) + b"\x83\xe8\x80\x03\xe9\x00"),
        ddp(0, 255, 6, 1000, 23, 6, 6, b"\x05\x00\x00\x00"),
        ddp(0, 255, 6, 1000, 23, 6, 99, b"\x01"),
    ]


def lap(dst: int, src: int, t: int, body: bytes) -> bytes:
    return bytes([dst, src, t]) + body


def atalk_ether_frames() -> list[bytes]:
    mac = bytes.fromhex("090007ffffff") + bytes.fromhex("0800070a0b0c")
    snap = lambda d: mac + struct.pack("!H", 8 + len(d)) + bytes.fromhex("aaaa03080007809b") + d
    frames = [snap(p) for p in atalk_payloads()]
    frames += [ether(atalk_payloads()[7], 0x809B), ether(b"\0\x05\0\0\0", 0x809B)]
    return frames


def ltalk_frames() -> list[bytes]:
    return [
        lap(255, 23, 1, struct.pack("!HBBB", 5 + 2, 2, 253, 2) + b"\x21\x07"
            + nbp_tuple(0, 23, 253, 0, b"=", b"AFPServer", b"*")),
        lap(23, 117, 1, struct.pack("!HBBB", 5 + 8, 250, 253, 3) + struct.pack("!BBHI", 0x40, 0x01, 9, 0)),
        lap(23, 117, 1, struct.pack("!HBBB", 5 + 3, 4, 4, 4) + b"\x02hi"),
        lap(23, 117, 2, ddp(1000, 23, 253, 1000, 117, 2, 2, b"\x31\x07"
                            + nbp_tuple(1000, 117, 2, 1, b"Mac1", b"Macintosh", b"*"))),
        lap(23, 117, 0x4B, b"klap!"),
        lap(23, 117, 1, b"\0\3"),
        lap(23, 117, 2, b"\0\3\0\0"),
        b"\x17\x75",
    ]


def arcnet_bsd_frames() -> list[bytes]:
    ip = ipv4(A, B, 1, struct.pack("!BBHHH", 8, 0, 0xF7FE, 1, 1))
    arp = struct.pack("!HHBBH", 7, 0x0800, 1, 4, 1) + b"\x01" + A + b"\x00" + B
    return [
        bytes([0x01, 0x02, 212, 0x00]) + struct.pack("!H", 0x1234) + ip,
        bytes([0x01, 0xFF, 213, 0x00]) + struct.pack("!H", 0x1235) + arp,
        bytes([0x01, 0x02, 240]) + ip,
        bytes([0x01, 0x02, 212, 0x03]) + struct.pack("!H", 0x1236) + ip,
        bytes([0x01, 0x02, 212, 0x04]) + struct.pack("!H", 0x1236) + b"middle fragment",
        bytes([0x01, 0x02, 212, 0xFF, 0xFF, 0xFF, 212, 0x01]) + struct.pack("!H", 0x1237) + ip,
        bytes([0x01, 0x02, 221, 0x00]) + struct.pack("!H", 0x1238) + atalk_payloads()[7],
        bytes([0x01, 0x02, 0xC4, 0x00]) + struct.pack("!H", 0x1239) + bytes.fromhex("6000000000003afffe800000000000000000000000000001ff0200000000000000000000000000018500"),
        bytes([0x01, 0x02, 247, 0x00]) + struct.pack("!H", 0x123a) + b"vines",
        bytes([0x01, 0x02, 0x80]) + b"diag",
        bytes([0x01, 0x02, 212, 0x00, 0x12]),
        bytes([0x01, 0x02, 212, 0xFF, 0xFF, 0xFF, 212]),
        bytes([0x01, 0x02]),
    ]


def arcnet_linux_frames() -> list[bytes]:
    ip = ipv4(A, B, 1, struct.pack("!BBHHH", 8, 0, 0xF7FE, 1, 1))
    return [
        bytes([0x01, 0x02, 0x00, 0x00, 212, 0x00]) + struct.pack("!H", 0x0001) + ip,
        bytes([0x01, 0x02, 0x01, 0x02, 212, 0x00]) + struct.pack("!H", 0x0002) + ip,
        bytes([0x01, 0x02, 0x00, 0x00, 240]) + ip,
        bytes([0x01, 0x02, 0x00, 0x00, 221, 0x00, 0x00, 0x03]) + atalk_payloads()[1],
        bytes([0x01, 0x02, 0x00, 0x00, 250, 0x00, 0x00, 0x04]) + struct.pack("!HHBB", 0xFFFF, 30, 0, 4) + b"\0\0\0\0" + b"\xff" * 6 + b"\x04\x52" + b"\0\0\0\0" + bytes(6) + b"\x04\x52" + b"\0\x01",
        bytes([0x01, 0x02, 0x00, 0x00, 0x99, 0x00, 0x00, 0x05]) + b"unknown",
        bytes([0x01, 0x02, 0x00, 0x00, 212, 0x00]),
        bytes([0x01, 0x02, 0x00]),
    ]


def kip_frames() -> list[bytes]:
    body = lap(23, 117, 2, atalk_payloads()[1])
    return [
        ether(udp(A, B, 16512 + 3, 16512 + 3, body)),
        ether(udp(A, B, 40000, 202, lap(23, 117, 1, b"\0\5\4\4\4"))),
        ether(udp(A, B, 40000, 770, body)),
        ether(udp(A, B, 40000, 900, body)),
    ]


def mac(n: int) -> bytes:
    return bytes([0x00, 0x1b, 0x2f, 0x10, 0x20, n])


def wlan(fc: int, a1: bytes, a2: bytes, a3: bytes, body: bytes, dur: int = 314, a4: bytes | None = None,
         qos: bytes = b"") -> bytes:
    return (struct.pack("<HH", fc, dur) + a1 + a2 + a3 + struct.pack("<H", 0x1230)
            + (a4 or b"") + qos + body)


def ie(eid: int, data: bytes) -> bytes:
    return bytes([eid, len(data)]) + data


def wlan_frames() -> list[bytes]:
    bc = b"\xff" * 6
    ap, sta, sta2 = mac(1), mac(2), mac(3)
    rates = ie(1, bytes([0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24]))
    llc_ip = bytes.fromhex("aaaa030000000800") + ipv4(A, B, 1, struct.pack("!BBHHH", 8, 0, 0xF7FE, 1, 1))
    beacon = struct.pack("<QHH", 123456789, 100, 0x0431) + ie(0, b"LabNet") + rates + ie(3, b"\x06") \
        + ie(5, b"\x00\x01\x00\x00") + ie(4, b"\x01\x02\x00\x00\x00\x00") + ie(42, b"\x00")
    return [
        wlan(0x0080, bc, ap, ap, beacon),
        wlan(0x0080, bc, ap, ap, struct.pack("<QHH", 1, 100, 0x0002) + ie(0, b"") + ie(1, b"") + ie(0, b"Second")
             + ie(1, b"\x02\x04") + ie(3, b"\x01\x02")),
        wlan(0x0040, bc, sta, bc, ie(0, b"") + rates + ie(50, b"\x30\x48\x60\x6c")),
        wlan(0x0050, sta, ap, ap, struct.pack("<QHH", 2, 100, 0x0411) + ie(0, b"LabNet") + rates + ie(3, b"\x0b")),
        wlan(0x00b0, ap, sta, ap, struct.pack("<HHH", 0, 1, 0)),
        wlan(0x00b0, sta, ap, ap, struct.pack("<HHH", 0, 2, 0)),
        wlan(0x00b0, sta, ap, ap, struct.pack("<HHH", 1, 2, 0) + ie(16, b"challenge!")),
        wlan(0x00b0, ap, sta, ap, struct.pack("<HHH", 1, 3, 15)),
        wlan(0x00b0, ap, sta, ap, struct.pack("<HHH", 7, 1, 200)),
        wlan(0x0000, ap, sta, ap, struct.pack("<HH", 0x0431, 10) + ie(0, b"LabNet") + rates),
        wlan(0x0010, sta, ap, ap, struct.pack("<HHH", 0x0411, 0, 0xC001) + rates),
        wlan(0x0010, sta, ap, ap, struct.pack("<HHH", 0x0001, 17, 0x0002)),
        wlan(0x0020, ap, sta, ap, struct.pack("<HH", 0x0431, 10) + ap + ie(0, b"LabNet")),
        wlan(0x0030, sta, ap, ap, struct.pack("<HHH", 0x0001, 0, 0x0003)),
        wlan(0x00a0, sta, ap, ap, struct.pack("<H", 8)),
        wlan(0x00c0, sta, ap, ap, struct.pack("<H", 3)),
        wlan(0x00c0, sta, ap, ap, struct.pack("<H", 99)),
        wlan(0x0090, sta, ap, ap, b""),
        wlan(0x00d0, ap, sta, ap, b"\x03\x00" + b"\x01" * 7),
        wlan(0x00d0, ap, sta, ap, b"\x07\x01"),
        wlan(0x00d0, ap, sta, ap, b"\x0d\x04"),
        wlan(0x00d0, ap, sta, ap, b"\x0f\x01"),
        wlan(0x00d0, ap, sta, ap, b"\x7f\x09"),
        wlan(0x00d0, ap, sta, ap, b"\x2a\x01"),
        wlan(0x00d0, ap, sta, ap, b"\x0e\x05"),
        wlan(0x00e0, ap, sta, ap, b""),
        wlan(0x4080, bc, ap, ap, struct.pack("<I", 0x41123456) + b"x" * 8),
        wlan(0x0108, ap, sta, bc, llc_ip),
        wlan(0x0208, sta, ap, ap, llc_ip, dur=44),
        wlan(0x0008, sta2, sta, ap, llc_ip),
        wlan(0x0308, ap, sta, sta2, llc_ip, a4=mac(9)),
        wlan(0x0188, ap, sta, bc, llc_ip, qos=b"\x00\x00"),
        wlan(0x1148, ap, sta, ap, b""),
        wlan(0x41c8, ap, sta, ap, struct.pack("<I", 0xA0000123) + b"secret", qos=b"\x06\x00"),
        wlan(0x0018, ap, sta, ap, llc_ip),
        wlan(0x0028, ap, sta, ap, b""),
        wlan(0x0108, ap, sta, bc, bytes.fromhex("aaaa030000008137") + b"\xff\xff"),
        wlan(0x3c08, ap, sta, bc, b"\x42\x42\x03rest"),
        wlan(0x0088, ap, sta, ap, b"\x01\x05" + struct.pack("<I", 77) + mac(7) + llc_ip, qos=b"\x00\x01"),
        struct.pack("<HH", 0x00b4, 300) + ap + sta,
        struct.pack("<HH", 0x00c4, 300) + sta,
        struct.pack("<HH", 0x00d4, 0) + sta,
        struct.pack("<HH", 0x00a4, 0xC001) + ap + sta,
        struct.pack("<HH", 0x0084, 0) + ap + sta + struct.pack("<HH", 4, 0x120),
        struct.pack("<HH", 0x0094, 0) + ap,
        struct.pack("<HH", 0x00e4, 0) + bc + ap,
        struct.pack("<HH", 0x00f4, 0) + bc + ap,
        struct.pack("<HH", 0x0074, 0) + ap + b"\0" * 4,
        struct.pack("<HH", 0x0064, 0) + ap,
        struct.pack("<HH", 0x000c, 0) + ap,
        struct.pack("<HH", 0x0080, 0) + bc + ap,
        b"\x80",
    ]


def radiotap(present: list[int], fields: bytes, frame: bytes) -> bytes:
    hdr = struct.pack("<BBH", 0, 0, 4 + 4 * len(present) + len(fields)) + b"".join(struct.pack("<I", p) for p in present)
    hdr = struct.pack("<BBH", 0, 0, len(hdr) + len(fields)) + hdr[4:]
    return hdr + fields + frame


def radiotap_frames() -> list[bytes]:
    f = wlan_frames()
    beacon, data, ack = f[0], f[27], f[41]
    fcs = b"\x11\x22\x33\x44"
    return [
        # TSFT, flags, rate, channel, dBm signal/noise, antenna, RX flags (a ath9k card)
        radiotap([0x0000486f], struct.pack("<QBBHHbbBxH", 5000000, 0x10, 0x02, 2437, 0x00a0, -42, -95, 1, 0)[:-2]
                 + b"", beacon + fcs),
        radiotap([0x0000086e], struct.pack("<BBHHbbB", 0x02 | 0x01 | 0x04 | 0x08 | 0x40, 0x6c, 5180, 0x0140, -60, -90, 2),
                 data),
        radiotap([0x00000008 | 0x80000], struct.pack("<HHBBB", 2462, 0x0480, 0x07, 0x05, 7), data),
        radiotap([0x80000], struct.pack("<BBB", 0x3f, 0x75, 15), data),
        radiotap([0x80000], struct.pack("<BBB", 0x02, 0x00, 80), data),
        radiotap([0x80000], struct.pack("<BBB", 0x06, 0x00, 80), data),
        radiotap([0x200000], struct.pack("<HBBBBBBBBH", 0x0044, 0x04, 4, 0x92, 0x21, 0, 0, 0x01, 0, 0), data),
        radiotap([0x40000], struct.pack("<IHBB", 0x20140, 5745, 149, 30), data),
        radiotap([0x40000], struct.pack("<IHBB", 0x10480 | 0x4000, 2412, 1, 20), data),
        radiotap([0x00000010 | 0x80 | 0x100 | 0x200 | 0x400 | 0x1000 | 0x2000],
                 struct.pack("<BBHhbbBB", 3, 7, 55, 6, 3, 17, 40, 9), ack),
        radiotap([0x100000], struct.pack("<IHBB", 7, 0x0c, 0, 0), ack),
        radiotap([0x8000 | 0x4000], struct.pack("<HH", 0, 0), ack),
        radiotap([0x80000002, 0x00000004], struct.pack("<BB", 0x20, 22), f[31][:24] + b"\0\0" + f[31][24:]),
        radiotap([0x40000002, 0x00000001], struct.pack("<B", 0) + b"\0" + bytes([0x00, 0x10, 0x18, 0x01]) + struct.pack("<H", 4) + b"vend", ack),
        radiotap([0x20000002, 0x00000002], struct.pack("<BB", 0, 4), ack),
        radiotap([0x00000002], struct.pack("<B", 0x10), ack[:6]),
        radiotap([0x00000001], b"\0" * 4, ack),
        struct.pack("<BBH", 0, 0, 4),
        struct.pack("<BBHI", 0, 0, 200, 2) + b"\0",
        struct.pack("<BBHII", 0, 0, 8, 0x80000000, 0),
    ]


def avs_frames() -> list[bytes]:
    f = wlan_frames()
    avs = struct.pack("!II", 0x80211001, 64) + b"\0" * 56
    prism = struct.pack("<I", 0x41) + b"\0" * 140
    return [avs + f[0], avs + f[28], prism + f[0], prism + f[41], struct.pack("!II", 0x80211001, 4), b"\0\0\0\x41" + b"\0" * 10]


def SGQ(flags: int, n: int) -> int:
    return 0x8000 | n if flags == 0 else flags | n


def pcap(frames: list[bytes], linktype: int, snaplen: int = 65535) -> bytes:
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)
    for i, f in enumerate(frames):
        cap = f[:snaplen]
        out += struct.pack("<IIII", 1700000000 + i, 1000 * i, len(cap), len(f)) + cap
    return out


def main(outdir: str) -> None:
    out = Path(outdir)
    z = zephyr_frames()
    (out / "crafted_zephyr.pcap").write_bytes(pcap(z, 1) + pcap([z[0]], 1, 90)[24:])
    (out / "crafted_lwres.pcap").write_bytes(pcap(lwres_frames(), 1))
    (out / "crafted_ethertalk.pcap").write_bytes(pcap(atalk_ether_frames(), 1)
                                                 + pcap(atalk_ether_frames()[:3], 1, 40)[24:])
    (out / "crafted_ltalk.pcap").write_bytes(pcap(ltalk_frames(), 114) + pcap(ltalk_frames()[:1], 114, 12)[24:])
    (out / "crafted_arcnet_bsd.pcap").write_bytes(pcap(arcnet_bsd_frames(), 7))
    (out / "crafted_arcnet_linux.pcap").write_bytes(pcap(arcnet_linux_frames(), 129))
    (out / "crafted_kip.pcap").write_bytes(pcap(kip_frames(), 1))
    (out / "crafted_80211.pcap").write_bytes(pcap(wlan_frames(), 105) + pcap(wlan_frames()[:1], 105, 40)[24:])
    (out / "crafted_radiotap.pcap").write_bytes(pcap(radiotap_frames(), 127))
    (out / "crafted_prism.pcap").write_bytes(pcap(avs_frames(), 119))
    (out / "crafted_avs.pcap").write_bytes(pcap(avs_frames()[:2], 163))
    dnf = decnet_frames()
    (out / "crafted_decnet.pcap").write_bytes(pcap(dnf, 1) + pcap(dnf[6:8], 1, 40)[24:])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent))
