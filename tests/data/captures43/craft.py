"""Makes this folder's crafted captures with struct alone (run by record.sh):

crafted_fr.pcap (link type FRELAY): a Frame Relay router lab's serial link (GNS3/Cisco
`encapsulation frame-relay [ietf]`, a Linux `hdlc` device's fr PVCs): IETF (RFC 2427)
IPv4 ICMP, IPv6, IS-IS and SNAP-ARP frames on 2-byte DLCIs (FECN/BECN/DE, C/R set),
Cisco-encapsulated IPv4 and CDP, a 4-byte address with its pad, FRF.15 and PPP NLPIDs,
an unknown NLPID; LMI on DLCI 0: ANSI T1.617 Annex D and ITU Q.933 Annex A status
enquiries and full status replies with PVC status IEs (new, active, inactive), an
unknown IE, a truncated IE, a call reference; an invalid address and a short frame.

crafted_mfr.pcap (link type MFR): a multilink Frame Relay bundle (FRF.16.1): add link
with bundle and link IDs and a magic number, its ACK, hello with a timestamp and a
vendor extension, a magic number IE of the wrong length, a first and a middle fragment.

crafted_slip.pcap (link type SLIP): a dial-up SLIP link with Van Jacobson header
compression (a Linux `slattach -p cslip` line): plain IP, an uncompressed TCP segment
that sets connection 3, compressed segments with new connection, ack, sequence,
urgent, window (up and down) and IP ID changes, the two special cases, both
directions, a bad direction byte and an unknown compression type.

crafted_ospf_te.pcap: OSPFv2 link state updates of an MPLS-TE lab with graceful restart
(FRR's ospfd with `mpls-te on` and `graceful-restart`): a TE LSA with the router
address and a link TLV carrying link local/remote identifiers, administrative group,
protection type, bandwidth constraints (Russian dolls), an unknown sub-TLV, shared
risk link groups last (print-ospf.c steps past them twice), one of a wrong length; a grace LSA (period, software restart reason,
interface address) and one with an unknown TLV; a router information LSA.

crafted_ppp_serial.pcap (link type PPP_HDLC, NetBSD's serial PPP): IPv4 and IPv6 in
PPP frames, LCP configure request and echo, IPCP, a Cisco HDLC keepalive and IP frame
on the same link, an unknown address, a frame whose protocol is an HDLC escape (its
bytes unescaped, then guessed), a short frame.

crafted_aodv_krb.pcap: a MANET lab's AODV routing (aodv-uu, UDP 654) over IPv4 and
IPv6: route requests with each flag, replies with the hello extension and a bad one,
errors listing unreachable destinations, reply acknowledgements, IPv6 draft 01 types,
an unknown type and a request cut short; Kerberos 4 (UDP 750) ticket requests and
replies, an application request and an error reply, in both byte orders, one cut short.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

A = bytes([10, 0, 12, 1])
B = bytes([10, 0, 12, 2])


def q922(dlci: int, cr: int = 0, fecn: int = 0, becn: int = 0, de: int = 0) -> bytes:
    """A 2-byte Q.922 address."""
    return bytes([((dlci >> 4) << 2) | (cr << 1), ((dlci & 0xF) << 4) | (fecn << 3)
                  | (becn << 2) | (de << 1) | 1])


def q922_4(dlci: int) -> bytes:
    """A 4-byte Q.922 address (DLCI 6+4+7+6 bits)."""
    return bytes([((dlci >> 17) & 0x3F) << 2, ((dlci >> 13) & 0xF) << 4,
                  ((dlci >> 6) & 0x7F) << 1, ((dlci & 0x3F) << 2) | 1])


def cksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src: bytes, dst: bytes, proto: int, payload: bytes, ident: int = 1) -> bytes:
    hdr = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, 255,
                                proto, 0, src, dst))
    struct.pack_into("!H", hdr, 10, cksum(bytes(hdr)))
    return bytes(hdr) + payload


def icmp_echo(kind: int, ident: int, seq: int) -> bytes:
    body = struct.pack("!BBHHH", kind, 0, 0, ident, seq) + bytes(range(36))
    return body[:2] + struct.pack("!H", cksum(body)) + body[4:]


def ipv6_icmp_echo() -> bytes:
    src = bytes.fromhex("20010db8000c00000000000000000001")
    dst = bytes.fromhex("20010db8000c00000000000000000002")
    body = struct.pack("!BBHHH", 128, 0, 0, 7, 1) + b"frame-relay-v6"
    pseudo = src + dst + struct.pack("!IxxxB", len(body), 58)
    body = body[:2] + struct.pack("!H", cksum(pseudo + body)) + body[4:]
    return struct.pack("!IHBB", 0x60000000, len(body), 58, 64) + src + dst + body


def isis_p2p_hello() -> bytes:
    tlvs = bytes([129, 1, 0xCC]) + bytes([1, 4, 3, 0x49, 0, 1]) + bytes([132, 4]) + A
    hdr = bytes([0x83, 20, 1, 6, 17, 1, 0, 0]) + bytes([3]) + bytes.fromhex("192168001001") \
        + struct.pack("!HHB", 30, 20 + len(tlvs), 1)
    return hdr + tlvs


def lmi(report: int, link: tuple[int, int], pvcs: list[tuple[int, int]], ansi: bool,
        msg: int = 0x7D, extra: bytes = b"") -> bytes:
    """An LMI message on DLCI 0: Q.933 NLPID, a dummy call reference, the message,
    ANSI's locking shift to codeset 5, report type, link verify and PVC status IEs."""
    body = bytes([0x00, msg])
    if ansi:
        body += b"\x95" + bytes([0x01, 1, report, 0x03, 2, *link])
        pvc_ie = 0x07
    else:
        body += bytes([0x51, 1, report, 0x53, 2, *link])
        pvc_ie = 0x57
    for dlci, status in pvcs:
        body += bytes([pvc_ie, 3, (dlci >> 4) & 0x3F, ((dlci & 0xF) << 3) | 0x80, 0x80 | status])
    return q922(0) + b"\x03\x08" + body + extra


def fr_frames() -> list[bytes]:
    ping = ipv4(A, B, 1, icmp_echo(8, 0x1F2E, 1))
    pong = ipv4(B, A, 1, icmp_echo(0, 0x1F2E, 1), ident=2)
    arp = struct.pack("!HHBBH", 15, 0x0800, 2, 4, 1) + q922(102) + A + q922(201) + B
    cdp = (b"\x02\xb4" + b"\x00\x00" + struct.pack("!HH", 1, 6) + b"R1"
           + struct.pack("!HH", 6, 16) + b"Cisco 7206VX")
    return [
        q922(102) + b"\x03\xcc" + ping,
        q922(201, cr=1) + b"\x03\xcc" + pong,
        q922(102, fecn=1, becn=1, de=1) + b"\x03\xcc" + ping,
        q922(102) + b"\x08\x00" + ping,                      # Cisco: ethertype IPv4
        q922(102) + b"\x20\x00" + cdp,                       # Cisco: CDP's type
        q922(102) + b"\x03\x8e" + ipv6_icmp_echo(),
        q922(102) + b"\x03\x83" + isis_p2p_hello()[1:],
        q922(102) + b"\x03\x00\x80" + b"\x00\x00\x00\x08\x06" + arp,
        q922_4(70000) + b"\x03\x00\xcc" + ping,
        q922(102) + b"\x03\xb1" + bytes([0xC0 | (5 << 1), 0x34]) + ping[:20],
        q922(102) + b"\x03\xcf" + b"\x00\x21" + ping,
        q922(102) + b"\x03\x77" + b"\x01\x02\x03\x04",
        lmi(1, (5, 4), [], ansi=True, msg=0x75),
        lmi(0, (6, 5), [(102, 0x02), (201, 0x0A), (301, 0x00)], ansi=True),
        lmi(1, (7, 6), [], ansi=False, msg=0x75),
        lmi(0, (8, 7), [(102, 0x02), (16, 0x08)], ansi=False),
        lmi(1, (9, 8), [], ansi=False, extra=bytes([0x59, 2, 0xAB, 0xCD])),
        lmi(1, (9, 8), [], ansi=False, extra=bytes([0x57, 6, 1])),
        q922(0) + b"\x03\x08" + bytes([0x02, 0x12, 0x34, 0x05, 0x04, 2, 0x88, 0x90]),
        bytes([0x19, 0x61]) + b"\x03\xcc" + ping[:20],       # EA set on the first byte
        q922(102) + b"\x03",
    ]


def mfr_ie(kind: int, value: bytes) -> bytes:
    return bytes([kind, len(value) + 2]) + value


def mfr_frames() -> list[bytes]:
    ctrl = lambda msg, ies: bytes([0xE1, 0x00, msg]) + ies  # noqa: E731
    ping = ipv4(A, B, 1, icmp_echo(8, 0x33, 9))
    return [
        ctrl(1, mfr_ie(1, b"bundle-1\0") + mfr_ie(2, b"Serial1/0\0") + mfr_ie(3, b"\x12\x34\x56\x78")),
        ctrl(2, mfr_ie(1, b"bundle-1\0") + mfr_ie(2, b"Serial1/0\0") + mfr_ie(3, b"\x9a\xbc\xde\xf0")),
        ctrl(4, mfr_ie(5, struct.pack("<qq", 1700000000, 250000)) + mfr_ie(3, b"\x12\x34\x56\x78")),
        ctrl(6, mfr_ie(6, b"\x00\x00\x0c\x01\x02") + mfr_ie(7, b"\x05")),
        ctrl(4, mfr_ie(3, b"\x12\x34")),
        bytes([0xC1 | (1 << 1), 0x05]) + q922(102) + b"\x03\xcc" + ping,
        bytes([0x81, 0x06]) + q922(102) + b"\x03\xcc" + ping[:24],
        bytes([0x01, 0x07]) + ping[24:40],
    ]


def tcp_segment(src: bytes, dst: bytes, seq: int, ack: int, flags: int, data: bytes,
                ident: int) -> bytes:
    tcp = struct.pack("!HHIIBBHHH", 1022, 23, seq, ack, 5 << 4, flags, 4096, 0, 0) + data
    pseudo = src + dst + struct.pack("!xBH", 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", cksum(pseudo + tcp)) + tcp[18:]
    return ipv4(src, dst, 6, tcp, ident)


def slip_frames() -> list[bytes]:
    def hdr(direction: int, chdr: bytes) -> bytes:
        return (bytes([direction]) + chdr + bytes(15))[:16]
    a, b = bytes([192, 168, 7, 1]), bytes([192, 168, 7, 2])
    seg = lambda n, ident: tcp_segment(a, b, 1000 + n, 5000, 0x18, b"x" * n, ident)  # noqa: E731
    utcp = bytearray(hdr(1, b"\x70"))
    utcp[10] = 3                             # the connection in the header copy's ip_p
    return [
        hdr(1, b"\x40") + ipv4(a, b, 1, icmp_echo(8, 0x51, 1)),
        bytes(utcp) + seg(20, 10),
        hdr(1, bytes([0xCC, 3, 0x12, 0x34, 0x14, 0x00, 0x02, 0x00])) + seg(100, 11),
        hdr(0, bytes([0x8F, 0xAB, 0xCD])) + tcp_segment(b, a, 5000, 1100, 0x18, b"y" * 7, 40),
        hdr(1, bytes([0x8B, 0xAB, 0xCD])) + seg(64, 12),
        hdr(1, bytes([0xA7, 0x11, 0x22, 0x05, 0x00, 0xFF, 0x80, 0x30, 0x02])) + seg(48, 14),
        hdr(1, bytes([0x82, 0x11, 0x22, 0x40])) + seg(8, 15),
        hdr(2, bytes([0xC4, 3, 0x00, 0x00, 0x01])) + seg(4, 16),
        hdr(0, b"\x50") + ipv4(b, a, 1, icmp_echo(0, 0x51, 1)),
        hdr(1, b"\x40") + b"\x00" * 20,
    ]


def ospf_lsu(lsas: list[bytes], src: bytes = A) -> bytes:
    body = struct.pack("!I", len(lsas)) + b"".join(lsas)
    hdr = struct.pack("!BBH4s4sHHQ", 2, 4, 24 + len(body), src, bytes(4), 0, 0, 0)
    ip = ipv4(src, bytes([224, 0, 0, 5]), 89, hdr + body)
    return bytes.fromhex("01005e00000502000000000a0800") + ip


def opaque_lsa(ls_type: int, otype: int, oid: int, body: bytes) -> bytes:
    return struct.pack("!HBBI4sIHH", 1, 0x42, ls_type, (otype << 24) | oid, A,
                       0x80000001, 0, 20 + len(body)) + body


def tlv(kind: int, value: bytes) -> bytes:
    pad = b"\0" * (-len(value) % 4)
    return struct.pack("!HH", kind, len(value)) + value + pad


def ospf_te_frames() -> list[bytes]:
    bw = lambda mbps: struct.pack("!f", mbps * 1000000 / 8)  # noqa: E731
    link = (tlv(1, b"\x01") + tlv(2, B) + tlv(11, struct.pack("!II", 7, 9))
            + tlv(9, struct.pack("!I", 0x11)) + tlv(14, b"\x08\0\0\0")
            + tlv(17, b"\0\0\0\0" + bw(1000) + bw(400)) + tlv(99, b"\xde\xad")
            + tlv(6, bw(10000)) + tlv(16, struct.pack("!III", 100, 200, 300)))
    te = tlv(1, A) + tlv(2, link)
    bad = tlv(2, tlv(1, b"\x01") + tlv(5, b"\0\0"))
    grace = tlv(1, struct.pack("!I", 120)) + tlv(2, b"\x01") + tlv(3, A)
    grace2 = tlv(1, struct.pack("!I", 60)) + tlv(7, b"\x01\x02\x03")
    ri = tlv(1, struct.pack("!I", 0x30))
    return [
        ospf_lsu([opaque_lsa(10, 1, 0, tlv(1, A)), opaque_lsa(10, 1, 1, te)]),
        ospf_lsu([opaque_lsa(10, 1, 2, bad)]),
        ospf_lsu([opaque_lsa(9, 3, 0, grace)]),
        ospf_lsu([opaque_lsa(9, 3, 0, grace2), opaque_lsa(10, 4, 0, ri)]),
    ]


def ppp_serial_frames() -> list[bytes]:
    ping = ipv4(A, B, 1, icmp_echo(8, 0x99, 3))
    lcp = bytes([1, 1, 0, 14, 1, 4, 0x05, 0xDC, 5, 6, 0x12, 0x34, 0x56, 0x78])
    ipcp = bytes([1, 7, 0, 10, 3, 6]) + A
    slarp = struct.pack("!IIIHI", 2, 7, 6, 0xFFFF, 90000)
    escaped = bytes([0x7D, 0x01, 0x7D, 0x5E]) + ping       # 0x21, 0x7e: IP after unescaping
    return [
        b"\xff\x03\x00\x21" + ping,
        b"\xff\x03\x00\x57" + ipv6_icmp_echo(),
        b"\xff\x03\xc0\x21" + lcp,
        b"\xff\x03\xc0\x21" + bytes([9, 2, 0, 8, 0x12, 0x34, 0x56, 0x78]),
        b"\xff\x03\x80\x21" + ipcp,
        b"\x8f\x00\x80\x35" + slarp,
        b"\x0f\x00\x08\x00" + ping,
        b"\x21\x45\x00\x54" + ping,
        b"\xff\x03\x7e\x21" + escaped[2:],
        b"\xff\x03\x7e\x7d" + b"\x01" + ping,
        b"\xff\x03\x00",
    ]


def udp(src: bytes, dst: bytes, sport: int, dport: int, payload: bytes, v6: bool = False) -> bytes:
    seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    if v6:
        ip = struct.pack("!IHBB", 0x60000000, len(seg), 17, 64) + src + dst + seg
        return bytes.fromhex("33330000000102000000000a86dd") + ip
    return bytes.fromhex("ffffffffffff02000000000a0800") + ipv4(src, dst, 17, seg)


def aodv_krb_frames() -> list[bytes]:
    a, b, c = bytes([10, 1, 0, 1]), bytes([10, 1, 0, 2]), bytes([10, 1, 0, 9])
    bc = bytes([10, 1, 0, 255])
    a6 = bytes.fromhex("fd000000000000000000000000000001")
    b6 = bytes.fromhex("fd000000000000000000000000000002")
    c6 = bytes.fromhex("fd000000000000000000000000000009")
    rreq = lambda t, hops, rid: struct.pack("!BBBBI4sI4sI", t, 0, 0, hops, rid, c, 0, a, 7)  # noqa: E731
    rrep = struct.pack("!BBBB4sI4sI", 2, 0, 0, 2, c, 12, a, 3000)
    hello = struct.pack("!BBBB4sI4sI", 2, 0, 0, 0, a, 9, a, 2000) + struct.pack("!BBI", 1, 4, 1000)
    bad_hello = rrep[:1] + rrep[1:] + struct.pack("!BBI", 1, 2, 1000)
    other_ext = rrep + struct.pack("!BBH", 9, 2, 0)
    rerr = struct.pack("!BBBB", 3, 0x80, 0, 2) + c + struct.pack("!I", 13) + b + struct.pack("!I", 4)
    rreq6 = struct.pack("!BBBBI", 1, 0, 0, 1, 5) + c6 + struct.pack("!I", 3) + a6 + struct.pack("!I", 8)
    rrep6 = struct.pack("!BBBB", 0x42, 0, 64, 1) + c6 + struct.pack("!I", 4) + a6 + struct.pack("!I", 500)
    rerr6 = struct.pack("!BBBB", 3, 0, 0, 1) + c6 + struct.pack("!I", 6)
    d_rreq = struct.pack("!BBBBIII", 16, 0, 0, 2, 6, 3, 8) + c6 + a6
    d_rrep = struct.pack("!BBBBI", 17, 0, 3, 1, 4) + c6 + a6 + struct.pack("!I", 900)
    d_rerr = struct.pack("!BBBB", 18, 0, 0, 1) + c6 + struct.pack("!I", 6)
    kdc_req = b"\x04\x02" + b"alice\0\0ATHENA.EXAMPLE\0" + struct.pack("!I", 0x5f000000) \
        + b"\x60" + b"krbtgt\0ATHENA.EXAMPLE\0"
    kdc_rep = b"\x04\x05" + b"alice\0\0ATHENA.EXAMPLE\0" + bytes(10) + struct.pack("<H", 260) + bytes(8)
    appl = b"\x04\x06" + b"\x03" + b"ATHENA.EXAMPLE\0" + b"\x28\x10" + bytes(8)
    err = b"\x04\x0a" + b"bob\0\0ATHENA.EXAMPLE\0" + bytes(4) + struct.pack("!I", 8) + b"unknown principal\0"
    return [
        udp(a, bc, 654, 654, rreq(0x01, 0, 1)),
        udp(a, bc, 654, 654, rreq(0xF9, 1, 2)),
        udp(c, a, 654, 654, rrep),
        udp(a, bytes([255] * 4), 654, 654, hello),
        udp(a, b, 654, 654, bad_hello),
        udp(a, b, 654, 654, other_ext),
        udp(b, bc, 654, 654, rerr),
        udp(a, c, 654, 654, b"\x04\x00"),
        udp(a6, b6, 654, 654, rreq6, v6=True),
        udp(c6, a6, 654, 654, rrep6, v6=True),
        udp(b6, a6, 654, 654, rerr6, v6=True),
        udp(a6, b6, 654, 654, d_rreq, v6=True),
        udp(c6, a6, 654, 654, d_rrep, v6=True),
        udp(b6, a6, 654, 654, d_rerr, v6=True),
        udp(a6, b6, 654, 654, b"\x13\x00", v6=True),
        udp(a, b, 654, 654, b"\x07\x00\x00"),
        udp(a, bc, 654, 654, rreq(0x01, 0, 3)[:14]),
        udp(a, b, 1023, 750, kdc_req),
        udp(b, a, 750, 1023, kdc_rep),
        udp(a, b, 1022, 750, appl),
        udp(b, a, 750, 1022, err),
        udp(a, b, 1021, 88, b"\x04\x03" + b"carol\0\0EX"),
        udp(a, b, 1021, 88, b"\x04\x7e"),
    ]


def igrp_vqp_frames() -> list[bytes]:
    a, b = bytes([172, 16, 1, 1]), bytes([172, 16, 1, 2])
    eth = bytes.fromhex("ffffffffffff02000000000a0800")

    def igrp(op: int, nint: int, nsys: int, nxt: int, routes: list[bytes], extra: bytes = b"") -> bytes:
        hdr = struct.pack("!BBHHHHH", 0x10 | op, 3, 100, nint, nsys, nxt, 0x1234)
        return eth + ipv4(a, bytes([255] * 4), 9, hdr + b"".join(routes) + extra)

    def route(net: bytes, delay: int, bw: int, mtu: int = 1500, hops: int = 0) -> bytes:
        return net + delay.to_bytes(3, "big") + bw.to_bytes(3, "big") + struct.pack(
            "!HBBB", mtu, 255, 1, hops)

    def vqp(mtype: int, err: int, seq: int, objs: list[tuple[int, bytes]], version: int = 1) -> bytes:
        body = struct.pack("!BBBBI", version, mtype, err, len(objs), seq)
        for kind, value in objs:
            body += struct.pack("!IH", kind, len(value)) + value
        return udp(a, b, 1589, 1589, body)
    mac = bytes.fromhex("00163e112233")
    return [
        igrp(1, 1, 2, 1, [route(b"\x10\x01\x00", 2000, 1000), route(b"\x0a\x00\x00", 2100, 6476),
                           route(b"\xc0\xa8\x01", 4100, 1544, hops=1),
                           route(b"\xc6\x33\x64", 8000, 0, 576, 3)]),
        igrp(2, 0, 0, 0, []),
        igrp(1, 0, 1, 0, [route(b"\x0a\x00\x00", 2100, 6476)], b"\0" * 14),
        igrp(1, 0, 3, 0, [route(b"\x0a\x00\x00", 2100, 6476)]),
        vqp(1, 0, 0x2a, [(0x0C01, a), (0x0C02, b"Fa0/3"), (0x0C03, b""), (0x0C04, b"lab-domain"),
                         (0x0C06, mac)]),
        vqp(2, 0, 0x2a, [(0x0C03, b"engineering"), (0x0C08, mac)]),
        vqp(2, 3, 0x2b, [(0x0C03, b"--NONE--"), (0x0C08, mac)]),
        vqp(3, 0, 0x2c, [(0x0C01, a), (0x0C99, b"\x01\x02"), (0x0C08, mac[:4])]),
        vqp(1, 0, 0x2d, [], version=2),
    ]


def ipx_frames() -> list[bytes]:
    src_mac, dst_mac = bytes.fromhex("0000e8123456"), bytes.fromhex("ffffffffffff")

    def ipx(dst_net: int, dst_node: bytes, dst_skt: int, src_skt: int, data: bytes,
            length: int | None = None) -> bytes:
        total = 30 + len(data) if length is None else length
        return struct.pack("!HHBBI6sHI6sH", 0xFFFF, total, 0, 4, dst_net, dst_node, dst_skt,
                           0x0000CAFE, src_mac, src_skt) + data

    def eth2(pkt: bytes) -> bytes:
        return dst_mac + src_mac + b"\x81\x37" + pkt

    def raw8023(pkt: bytes) -> bytes:
        return dst_mac + src_mac + struct.pack("!H", len(pkt)) + pkt

    def llc8022(pkt: bytes) -> bytes:
        body = b"\xe0\xe0\x03" + pkt
        return dst_mac + src_mac + struct.pack("!H", len(body)) + body

    def snap(pkt: bytes) -> bytes:
        body = b"\xaa\xaa\x03\x00\x00\x00\x81\x37" + pkt
        return dst_mac + src_mac + struct.pack("!H", len(body)) + body

    def server(kind: int, name: bytes, net: int) -> bytes:
        return struct.pack("!H", kind) + name.ljust(48, b"\0") + struct.pack(
            "!I6sHH", net, bytes.fromhex("000000000001"), 0x0451, 1)
    bcast = bytes.fromhex("ffffffffffff")
    return [
        eth2(ipx(0, bcast, 0x0452, 0x4003, struct.pack("!HH", 1, 4))),
        eth2(ipx(0x0000CAFE, src_mac, 0x0452, 0x0452, struct.pack("!H", 2)
                 + server(4, b"FS1", 0xC0FFEE01) + server(7, b"PRINTQ-2", 0xC0FFEE02))),
        raw8023(ipx(0, bcast, 0x0452, 0x4004, struct.pack("!HH", 3, 4))),
        raw8023(ipx(0, bcast, 0x0453, 0x0453, struct.pack("!HIHH", 1, 0xFFFFFFFF, 0, 0))),
        llc8022(ipx(0, bcast, 0x0453, 0x0453, struct.pack("!H", 2)
                    + struct.pack("!IHH", 0xCAFE, 1, 2) + struct.pack("!IHH", 0xBEEF, 3, 8))),
        llc8022(ipx(0x0000CAFE, bytes.fromhex("000000000001"), 0x0451, 0x4005, b"\x11\x11" * 8)),
        snap(ipx(0, bcast, 0x0455, 0x0455, b"\x00" * 20)),
        eth2(ipx(0, bcast, 0x0456, 0x0456, b"\x00" * 4)),
        eth2(ipx(0, bcast, 0x0553, 0x0553, b"\x00" * 6)),
        eth2(ipx(0, bcast, 0x9001, 0x9001, b"\x00" * 6)),
        eth2(ipx(0, bcast, 0x0452, 0x0452, struct.pack("!H", 9))),
        eth2(ipx(0, bcast, 0x0452, 0x0452, b"", length=20)),
        eth2(ipx(0, bcast, 0x0452, 0x0452, struct.pack("!HH", 2, 4) + b"SHORT")),
    ]


def wb_frames():
    a, b = bytes([224, 2, 127, 254]), bytes([10, 5, 0, 1])
    src = bytes([10, 5, 0, 7])
    def wb(kind, body, flags=0):
        return udp(src, a, 4567, 4567, struct.pack("!IIHBB", 0x0a050007, 77, 2, kind, flags) + body)
    page = src + struct.pack("!I", 3)
    ident = struct.pack("!I", 5) + page + struct.pack("!I", 4) + page + struct.pack("!HH", 2, 0) \
        + b + struct.pack("!I", 10) + src + struct.pack("!I", 20) + b"lab whiteboard"
    dops = b"".join([struct.pack("!IHBB", 1, 4, 0, 3) + b"\0" * 4, struct.pack("!IHBB", 2, 0, 0, 2),
                     struct.pack("!IHBB", 4, 0, 0, 14), struct.pack("!IHBB", 5, 2, 0, 9) + b"hi\0\0",
                     struct.pack("!IHBB", 6, 0, 0, 99)])
    dop = page + struct.pack("!II", 1, 6) + dops
    return [
        wb(1, ident),
        wb(2, src + page + struct.pack("!II", 10, 12)),
        wb(3, src + dop, flags=1),
        wb(0, dop),
        wb(0, page + struct.pack("!II", 2, 9) + struct.pack("!IHBB", 20, 0, 0, 15)),
        wb(5, page + struct.pack("!II", 7, 9)),
        wb(7, struct.pack("!I", 2) + struct.pack("!I", 1) + page + b"\x01\0\0\0" + b + struct.pack("!I", 8)
           + struct.pack("!I", 2) + page + b"\0\0\0\0"),
        wb(4, b""),
        wb(9, b"\0" * 4),
        wb(2, b"\0" * 8),
    ]


def pcap(frames: list[bytes], linktype: int) -> bytes:
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)
    for n, f in enumerate(frames):
        out += struct.pack("<IIII", 1700000000 + n, 1000 * n, len(f), len(f)) + f
    return out


def main(outdir: str) -> None:
    Path(outdir, "crafted_fr.pcap").write_bytes(pcap(fr_frames(), 107))
    Path(outdir, "crafted_mfr.pcap").write_bytes(pcap(mfr_frames(), 182))
    Path(outdir, "crafted_slip.pcap").write_bytes(pcap(slip_frames(), 8))
    Path(outdir, "crafted_ospf_te.pcap").write_bytes(pcap(ospf_te_frames(), 1))
    Path(outdir, "crafted_ppp_serial.pcap").write_bytes(pcap(ppp_serial_frames(), 50))
    Path(outdir, "crafted_aodv_krb.pcap").write_bytes(pcap(aodv_krb_frames(), 1))
    Path(outdir, "crafted_igrp_vqp.pcap").write_bytes(pcap(igrp_vqp_frames(), 1))
    Path(outdir, "crafted_ipx.pcap").write_bytes(pcap(ipx_frames(), 1))
    Path(outdir, "crafted_wb.pcap").write_bytes(pcap(wb_frames(), 1))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent))
