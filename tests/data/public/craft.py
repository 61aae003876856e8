"""Crafts small captures with struct alone for what public captures showed ipemu's
`tcpdump -r` lacked (benchmarks/public_captures.py): the files themselves are not kept
here (their sources' terms vary), only packets of the same kinds made from scratch.

    python tests/data/public/craft.py DIR

writes into DIR:
  multi.pcapng      pcapng: two Ethernet interfaces (the second with nanosecond
                    if_tsresol and an if_tsoffset), Enhanced, Simple and obsolete Packet
                    Blocks, a block tcpdump skips; PPPoE discovery and session frames (IP,
                    LCP), MPLS stacks over IPv4 and IPv6, an Ethernet loopback frame, SIP
                    over UDP, an ICMPv6 redirect, an ICMP mask reply, IP protocol 253, a
                    TCP header length past the packet, telnet options, MPLS over UDP,
                    OSPFv2 hello and update (router, network, summary, external LSAs), CDP,
                    TFTP requests, option acknowledgements, data and errors, LLDP
  big_endian.pcapng the same as a big-endian file with microsecond stamps
  ipv4.pcap         LINKTYPE_IPV4 (228); ipv6.pcap LINKTYPE_IPV6 (229)
  radius.pcap       a RADIUS Access-Request and Access-Accept (read without -v)
  second_type.pcapng a second interface of another link type: libpcap's error midway
  no_idb.pcapng     a packet before any Interface Description Block
  bgp.pcap          BGP messages of each type, HSRP, BFD from port 49152, encrypted
                    ISAKMP, NAT-T keep-alive and ESP (read with and without -v, -S, -K)
  more.pcap         Geneve, RIPng, LACP and marker PDUs (with -v too)
  routing.pcap      EIGRP, OSPFv3, PIMv2, LDP (with -v too, through a filter), RSVP,
                    LSP ping, EAPOL, IS-IS, ISAKMP (read without -v)
  ike.pcap          IKEv1 main, aggressive, quick and informational exchanges and IKEv2
                    SA_INIT/AUTH/INFORMATIONAL in the clear, every payload tcpdump
                    decodes (read with -v up to -vvvv); an SNMPv1 trap whose PDU tag is in
                    the long form (asn1_parse()'s u_char id)
  aaa.pcap          RADIUS access, accounting and CoA messages with attributes of each
                    kind radius_attrs_print() decodes (read with -v, -vv)
  vlan.pcap         802.1Q, 802.1ad (QinQ) and 0x9100 tagged frames beside untagged ones,
                    read through vlan filters (each vlan moves later offsets on by 4);
                    voice.filter, an expression with comments for -F
  ppp.pcap          PPPoE sessions: PAP, CHAP, IPCP, IP6CP and CCP negotiations (-v's
                    options)
  gre.pcap          keyed GRE carrying an MPLS label stack (DMVPN), multicast MPLS; L2TP
                    control messages with their AVPs, a ZLB, data with PPP inside
  flow.pcap         sFlow v5 datagrams from IPv4 and IPv6 agents, an old version, a short
                    one; LISP Map-Register/Notify/Request control messages
  nano.pcap         a nanosecond pcap (magic a1b23c4d), read with and without --nano
  snap.pcap         a snapshot length of 80: ISAKMP, RADIUS, SCTP and SNMP cut short
  sctp.pcap         SCTP over IPv4 and IPv6: an association's set-up, DATA with M3UA and
                    other payloads, bundled SACK with gap blocks and duplicate TSNs,
                    heartbeat, shutdown, abort, an unknown chunk, bad chunk lengths
record.sh stores what the real tcpdump 4.99.3 prints for each.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "decoder"))
from craft3 import csum, dot3, eth, icmp_echo, ipv4, ipv6, tcp, udp  # noqa: E402

A, B = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
C, D = bytes([192, 168, 1, 10]), bytes([192, 168, 1, 20])
L1 = bytes.fromhex("fe800000000000000000000000000001")
G1 = bytes.fromhex("20010db8000000000000000000000001")
G2 = bytes.fromhex("20010db8000000000000000000000002")
G3 = bytes.fromhex("20010db8000100000000000000000003")
T0 = 1700000000


def pppoe(code: int, session: int, payload: bytes) -> bytes:
    return struct.pack("!BBHH", 0x11, code, session, len(payload)) + payload


def tag(kind: int, value: bytes) -> bytes:
    return struct.pack("!HH", kind, len(value)) + value


def mpls(*labels: tuple[int, int, int]) -> bytes:
    """Label stack entries (label, tc, ttl), the last with the bottom-of-stack bit."""
    out = b""
    for i, (label, tc, ttl) in enumerate(labels):
        bottom = 0x100 if i == len(labels) - 1 else 0
        out += struct.pack("!I", label << 12 | tc << 9 | bottom | ttl)
    return out


def icmp6(kind: int, code: int, body: bytes) -> bytes:
    return struct.pack("!BBH", kind, code, 0) + body


def ospf(kind: int, body: bytes, area: bytes = bytes(4)) -> bytes:
    """An OSPFv2 packet from router 1.1.1.1 without authentication."""
    hdr = struct.pack("!BBH4s4sHH8s", 2, kind, 24 + len(body), bytes([1, 1, 1, 1]), area, 0,
                      0, bytes(8))
    pkt = hdr + body
    return pkt[:12] + struct.pack("!H", csum(pkt)) + pkt[14:]


def lsa(ls_type: int, lsa_id: bytes, body: bytes, age: int = 30) -> bytes:
    return struct.pack("!HBB4s4sIHH", age, 0x22, ls_type, lsa_id, bytes([1, 1, 1, 1]),
                       0x80000001, 0, 20 + len(body)) + body


def ospf_packets() -> list[bytes]:
    """A hello with a DR and a neighbour, and an update with router, network, summary
    and external LSAs, to 224.0.0.5 as routing daemons send them."""
    allspf = bytes([224, 0, 0, 5])
    hello = struct.pack("!4sHBBI4s4s4s", bytes([255, 255, 255, 0]), 10, 0x02, 1, 40, A, B,
                        bytes([2, 2, 2, 2]))
    router = struct.pack("!BBH", 0x01, 0, 2) + struct.pack(
        "!4s4sBBH", bytes([10, 0, 0, 0]), bytes([255, 255, 255, 0]), 3, 0, 10) + struct.pack(
        "!4s4sBBHBBH", bytes([2, 2, 2, 2]), A, 1, 1, 1, 0, 0, 20)
    network = struct.pack("!4s4s4s", bytes([255, 255, 255, 0]), bytes([1, 1, 1, 1]),
                          bytes([2, 2, 2, 2]))
    summary = struct.pack("!4sI", bytes([255, 255, 0, 0]), 30)
    external = struct.pack("!4sI4s4s", bytes(4), 0x80000000 | 20, bytes(4), bytes([0, 0, 0, 7]))
    lsas = [lsa(1, bytes([1, 1, 1, 1]), router), lsa(2, A, network),
            lsa(3, bytes([172, 16, 0, 0]), summary), lsa(5, bytes(4), external)]
    update = struct.pack("!I", len(lsas)) + b"".join(lsas)
    return [eth(ipv4(A, allspf, 89, ospf(1, hello), ttl=1, tos=0xC0),
                dst=bytes.fromhex("01005e000005")),
            eth(ipv4(A, allspf, 89, ospf(4, update, bytes([0, 0, 0, 1])), ttl=1, tos=0xC0),
                dst=bytes.fromhex("01005e000005"))]


def cdp_frame() -> bytes:
    """A CDPv2 announcement in an 802.3 SNAP frame to 01:00:0c:cc:cc:cc."""
    def tlv(kind: int, value: bytes) -> bytes:
        return struct.pack("!HH", kind, len(value) + 4) + value
    addrs = struct.pack("!IBBBH4s", 1, 1, 1, 0xCC, 4, A)
    body = (tlv(1, b"switch1") + tlv(2, addrs) + tlv(3, b"GigabitEthernet0/1")
            + tlv(4, struct.pack("!I", 0x28)) + tlv(5, b"Cisco IOS\nVersion 15.0")
            + tlv(6, b"cisco WS-C2960") + tlv(0x0A, struct.pack("!H", 10)) + tlv(0x0B, b"\x01"))
    cdp = struct.pack("!BBH", 2, 180, 0) + body
    payload = bytes.fromhex("aaaa0300000c2000") + cdp
    return bytes.fromhex("01000ccccccc") + bytes.fromhex("020000000003") + \
        struct.pack("!H", len(payload)) + payload


def lldp_frame() -> bytes:
    """An LLDP announcement as lldpd sends one from a Linux host's eth0."""
    def tlv(kind: int, value: bytes) -> bytes:
        return struct.pack("!H", kind << 9 | len(value)) + value
    body = (tlv(1, b"\x04" + bytes.fromhex("020000000001")) + tlv(2, b"\x05eth0")
            + tlv(3, struct.pack("!H", 120)) + tlv(4, b"veth link") + tlv(5, b"lab-host")
            + tlv(6, b"Debian GNU/Linux 12 (bookworm)") + tlv(7, struct.pack("!HH", 0x14, 0x10))
            + tlv(8, b"\x05\x01" + A + b"\x02" + struct.pack("!I", 2) + b"\x00")
            + tlv(127, bytes.fromhex("00120f01036c030010"))
            + tlv(127, bytes.fromhex("00120f0405ee")) + tlv(0, b""))
    return eth(body, 0x88CC, dst=bytes.fromhex("0180c200000e"))


def frames() -> list[bytes]:
    sip = (b"INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060\r\n"
           b"CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n")
    sip_ok = b"SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n"
    lcp = struct.pack("!HBBH", 0xC021, 1, 7, 14) + bytes.fromhex("010405d4050612345678")
    redirect = icmp6(137, 0, bytes(4) + G2 + G3)
    mask = struct.pack("!BBHHHI", 18, 0, 0, 1, 2, 0xFFFFFF00)
    bad_tcp = bytearray(tcp(A, B, 40000, 8080, 0x10, b""))
    bad_tcp[12] = 7 << 4          # 28 bytes of header in a 20-byte segment
    loop = struct.pack("<HHH", 0, 1, 0) + bytes(40)
    return [
        eth(pppoe(0x09, 0, tag(0x0101, b"") + tag(0x0103, bytes.fromhex("64138518"))),
            0x8863, dst=b"\xff" * 6),
        eth(pppoe(0x07, 0, tag(0x0102, b"ac-lab") + tag(0x0101, b"")), 0x8863),
        eth(pppoe(0, 0x11, b"\x00\x21" + ipv4(A, B, 17, udp(5060, 5060, sip))), 0x8864),
        eth(pppoe(0, 0x11, lcp), 0x8864),
        eth(pppoe(0, 0x11, b"\x00\x57" + ipv6(G1, G2, 58, icmp6(128, 0, b"\0\1\0\1"))),
            0x8864),
        eth(mpls((18, 0, 63)) + ipv4(A, B, 1, icmp_echo()), 0x8847),
        eth(mpls((100, 5, 64), (2, 0, 64)) + ipv6(G1, G2, 17, udp(5060, 5060, sip_ok)),
            0x8847),
        eth(mpls((3, 0, 1)) + bytes.fromhex("0102030405"), 0x8847),
        eth(loop, 0x9000, dst=bytes.fromhex("020000000001")),
        eth(ipv4(C, D, 17, udp(5060, 5060, sip_ok))),
        eth(ipv6(L1, G1, 58, redirect, hlim=255), 0x86DD),
        eth(ipv4(A, B, 1, mask[:2] + struct.pack("!H", csum(mask)) + mask[4:])),
        eth(ipv4(A, B, 253, b"experiment")),
        eth(ipv4(A, B, 6, bytes(bad_tcp))),
        eth(ipv4(B, A, 6, tcp(B, A, 23, 40001, 0x18, bytes.fromhex(
            "fffb01fffb03fffd18fffa1801fff0fffd1f") + b"login: "))),
        eth(ipv4(C, D, 17, udp(40002, 6635, mpls((16, 0, 64)) + ipv4(A, B, 1, icmp_echo())))),
        *ospf_packets(),
        cdp_frame(),
        eth(ipv4(A, B, 17, udp(40003, 69, b"\x00\x01pxelinux.0\x00octet\x00tsize\x000\x00"
                                           b"blksize\x001468\x00"))),
        eth(ipv4(B, A, 17, udp(69, 40003, b"\x00\x06tsize\x0026758\x00"))),
        eth(ipv4(B, A, 17, udp(69, 40003, b"\x00\x03\x00\x01" + bytes(32)))),
        eth(ipv4(A, B, 17, udp(40003, 69, b"\x00\x05\x00\x01File not found\x00"))),
        lldp_frame(),
    ]


def block(btype: int, body: bytes, order: str = "<") -> bytes:
    body += bytes(-len(body) % 4)
    total = len(body) + 12
    return struct.pack(order + "II", btype, total) + body + struct.pack(order + "I", total)


def shb(order: str = "<") -> bytes:
    return block(0x0A0D0D0A, struct.pack(order + "IHHq", 0x1A2B3C4D, 1, 0, -1), order)


def idb(linktype: int, snaplen: int, options: bytes = b"", order: str = "<") -> bytes:
    return block(1, struct.pack(order + "HHI", linktype, 0, snaplen) + options, order)


def option(code: int, value: bytes, order: str = "<") -> bytes:
    return struct.pack(order + "HH", code, len(value)) + value + bytes(-len(value) % 4)


def epb(ifid: int, stamp: int, data: bytes, order: str = "<") -> bytes:
    return block(6, struct.pack(order + "IIIII", ifid, stamp >> 32, stamp & 0xFFFFFFFF,
                                len(data), len(data)) + data, order)


def multi(order: str = "<") -> bytes:
    """Interface 0 in microseconds, interface 1 in nanoseconds with an offset of 100 s."""
    opts1 = (option(2, b"eth1\0", order) + option(9, b"\x09", order)
             + option(14, struct.pack(order + "q", 100), order) + option(0, b"", order))
    out = shb(order) + idb(1, 262144, option(2, b"eth0", order) + option(0, b"", order), order)
    out += idb(1, 262144, opts1, order)
    out += block(0x0BAD, b"custom block tcpdump skips", order)
    for i, frame in enumerate(frames()):
        if i == 3:
            out += block(3, struct.pack(order + "I", len(frame)) + frame, order)   # SPB
        elif i == 4:
            # an obsolete Packet Block on interface 0
            stamp = (T0 + 4) * 10**6 + 250
            out += block(2, struct.pack(order + "HHIIII", 0, 0, stamp >> 32, stamp & 0xFFFFFFFF,
                                        len(frame), len(frame)) + frame, order)
        elif i % 2:
            out += epb(1, (T0 - 100 + i) * 10**9 + 123456789 + i, frame, order)
        else:
            out += epb(0, (T0 + i) * 10**6 + 500000 + i, frame, order)
    return out


def pcap(linktype: int, packets: list[bytes]) -> bytes:
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype)
    for i, data in enumerate(packets):
        out += struct.pack("<IIII", T0 + i, 1000 * i, len(data), len(data)) + data
    return out


def bgp_msg(kind: int, body: bytes) -> bytes:
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), kind) + body


def bgp_frames() -> list[bytes]:
    """BGP over TCP 179 (OPEN with capabilities, UPDATEs with IPv4 attributes and NLRI,
    MP reach for IPv6, an End-of-RIB, KEEPALIVEs two in a segment, a NOTIFICATION with a
    shutdown communication, ROUTE-REFRESH), HSRP, what BFD sends from port 49152 (read as
    Broadcom's LI shim), encrypted ISAKMP both ways, NAT-T keep-alive and ESP: what
    ipemu prints with -v too."""
    caps = (b"\x02\x06\x01\x04\x00\x01\x00\x01" + b"\x02\x02\x02\x00"
            + b"\x02\x06\x41\x04\x00\x00\xfd\xe9" + b"\x02\x04\x40\x02\x00\x78"
            + b"\x02\x02\x46\x00" + b"\x02\x06\x45\x04\x00\x01\x01\x03")
    opn = bgp_msg(1, struct.pack("!BHH4sB", 4, 65001, 180, A, len(caps)) + caps)
    attrs = (b"\x40\x01\x01\x00" + b"\x40\x02\x06\x02\x02\xfd\xe9\xfd\xea"
             + b"\x40\x03\x04" + A + b"\x80\x04\x04\x00\x00\x00\x0a"
             + b"\x40\x05\x04\x00\x00\x00\x64"
             + b"\xc0\x08\x08\xfd\xe9\x00\x64\xff\xff\xff\x01"
             + b"\xc0\x10\x08\x00\x02\xfd\xe9\x00\x00\x00\x64")
    upd = bgp_msg(2, b"\x00\x03\x10\x0a\x09" + struct.pack("!H", len(attrs)) + attrs
                  + b"\x18\xc0\xa8\x00\x10\x0a\x01")
    mp = b"\x00\x02\x01\x10" + G1 + b"\x00\x30\x20\x01\x0d\xb8\x00\x01"
    upd6 = bgp_msg(2, b"\x00\x00" + struct.pack("!H", 4 + 3 + len(mp)) + b"\x40\x01\x01\x02"
                   + b"\x80\x0e" + bytes([len(mp)]) + mp)
    eor = bgp_msg(2, b"\x00\x00\x00\x00")
    keep = bgp_msg(4, b"")
    note = bgp_msg(3, b"\x06\x02\x03bye")
    refresh = bgp_msg(5, b"\x00\x01\x00\x01")
    segs = [opn, upd, upd6, eor, keep + keep, note, refresh]
    out, seqs = [], [1000, 2000]
    for i, seg in enumerate(segs):
        src, dst, sport, dport = (A, B, 40179, 179) if i % 2 == 0 else (B, A, 179, 40179)
        out.append(eth(ipv4(src, dst, 6, tcp(src, dst, sport, dport, 0x18, seg,
                                             seq=seqs[i % 2], ack=seqs[1 - i % 2]))))
        seqs[i % 2] += len(seg)
    hsrp = struct.pack("!BBBBBBBB8s4s", 0, 0, 16, 3, 10, 100, 1, 0, b"cisco", bytes([10, 0, 0, 254]))
    out.append(eth(ipv4(A, bytes([224, 0, 0, 2]), 17, udp(1985, 1985, hsrp), ttl=1)))
    bfd = bytes.fromhex("20c003180000000100000000000f4240000f424000000000")
    out.append(eth(ipv4(A, B, 17, udp(49152, 3784, bfd), ttl=255)))
    ick, rck = bytes.fromhex("0102030405060708"), bytes.fromhex("1112131415161718")
    ike = ick + bytes(8) + struct.pack("!BBBBII", 8, 0x10, 2, 1, 0, 40) + bytes(12)
    ike_r = ick + rck + struct.pack("!BBBBII", 8, 0x10, 2, 1, 0, 40) + bytes(12)
    out.append(eth(ipv4(A, B, 17, udp(500, 500, ike))))
    out.append(eth(ipv4(B, A, 17, udp(500, 500, ike_r))))
    out.append(eth(ipv4(A, B, 17, udp(4500, 4500, b"\xff"))))
    out.append(eth(ipv4(A, B, 17, udp(4500, 4500, struct.pack("!II", 0x1001, 5) + bytes(16)))))
    return out


def more_frames() -> list[bytes]:
    """Geneve with an option around an Ethernet frame, RIPng requests and a response,
    LACP and marker PDUs: printed whole, -v too."""
    inner = eth(ipv4(C, D, 1, icmp_echo()))
    opt = struct.pack("!HBB", 0x0102, 0x80, 1) + b"\x00\x00\x00\x2a"
    gen = struct.pack("!BBHI", len(opt) // 4, 0x40, 0x6558, 0x123400) + opt + inner
    rip_resp = b"\x02\x01\x00\x00" + G3 + b"\x00\x07\x40\x02" + G1 + b"\x00\x00\x80\x01"
    rip_dump = b"\x01\x01\x00\x00" + bytes(16) + b"\x00\x00\x00\x10"
    actor = struct.pack("!BBH6sHHHB3s", 1, 20, 32768, bytes.fromhex("020000000010"), 1,
                        32768, 3, 0x3D, bytes(3))
    partner = struct.pack("!BBH6sHHHB3s", 2, 20, 0, bytes(6), 0, 0, 0, 0, bytes(3))
    lacp = b"\x01\x01" + actor + partner + b"\x03\x10\x80\x00" + bytes(12) + b"\x00\x00"
    marker = b"\x02\x01" + struct.pack("!BBH6sI2s", 1, 16, 3, bytes.fromhex("020000000010"), 7,
                                       bytes(2)) + b"\x00\x00"
    slow_mc = bytes.fromhex("0180c2000002")
    return [
        eth(ipv4(A, B, 17, udp(40001, 6081, gen))),
        eth(ipv6(L1, bytes.fromhex("ff020000000000000000000000000009"), 17,
                 udp(521, 521, rip_resp), hlim=255), 0x86DD),
        eth(ipv6(L1, bytes.fromhex("ff020000000000000000000000000009"), 17,
                 udp(521, 521, rip_dump), hlim=255), 0x86DD),
        eth(lacp + bytes(110 - len(lacp)), 0x8809, dst=slow_mc),
        eth(marker + bytes(110 - len(marker)), 0x8809, dst=slow_mc),
    ]


def routing_frames() -> list[bytes]:
    """Routing and signalling protocols: EIGRP, OSPFv3, PIMv2 and LDP over UDP and TCP
    (printed with -v too), RSVP, LSP ping, EAPOL, IS-IS CSNP/LSP/LAN hello and
    unencrypted ISAKMP."""
    isis_mc = bytes.fromhex("0180c2000014")
    eigrp = struct.pack("!BBHIIIHH", 2, 1, 0, 0, 1, 0, 0, 100) + bytes.fromhex(
        "0001000c0100010000000f00" + "000400080c040102"
        + "0102001c" + "00000000" + "00271000" + "00006400" + "0005dc" + "00ff01" + "0000"
        + "18" + "0a0100")
    ospf6 = struct.pack("!BBH4s4sHBB", 3, 1, 40, A, bytes(4), 0, 0, 0) + struct.pack(
        "!I4sHH4s4s4s", 5, bytes([1, 0, 0, 0x13]), 10, 40, A, bytes(4), B)
    pim = b"\x20\x00\x00\x00" + bytes.fromhex("000100020069" + "0013000400000001"
                                                + "001400041234abcd")
    pim = pim[:2] + struct.pack("!H", csum(pim)) + pim[4:]
    rsvp = struct.pack("!BBHBBH", 0x10, 20, 0, 1, 0, 20) + bytes.fromhex("000c1601000000010000000a")
    ldp_msg = bytes.fromhex("0100001400000001" + "0400000400000000" + "0401000400000000")
    ldp = struct.pack("!HH4sH", 1, 6 + len(ldp_msg), A, 0) + ldp_msg
    lsp = struct.pack("!HHBBBBII", 1, 0, 1, 2, 0, 0, 0x1234, 7) + bytes(16)
    csnp = bytes.fromhex("83210100180100000053") + bytes.fromhex("00000000000200") + bytes(16)
    lsp_pdu = (bytes.fromhex("831b010014010000") + struct.pack("!HH", 27, 1199)
               + bytes.fromhex("0000000000020000") + struct.pack("!IHB", 11, 0x1234, 3))
    iih = (bytes.fromhex("831b01000f010000") + b"\x01" + bytes.fromhex("000000000001")
           + struct.pack("!HHB", 30, 27, 64) + bytes.fromhex("00000000000101"))
    ike = bytes.fromhex("0102030405060708") + bytes(8) + struct.pack("!BBBBII", 1, 0x10, 4,
                                                                       0, 0, 28)
    return [
        eth(ipv4(A, bytes([224, 0, 0, 10]), 88, eigrp, ttl=2)),
        eth(ipv6(L1, bytes.fromhex("ff020000000000000000000000000005"), 89, ospf6, hlim=1),
            0x86DD),
        eth(ipv4(A, bytes([224, 0, 0, 13]), 103, pim, ttl=1)),
        eth(ipv4(A, B, 46, rsvp)),
        eth(ipv4(A, bytes([224, 0, 0, 2]), 17, udp(646, 646, ldp), ttl=1)),
        eth(ipv4(A, B, 6, tcp(A, B, 646, 40646, 0x18, ldp))),
        eth(ipv4(A, B, 17, udp(3503, 3503, lsp))),
        eth(b"\x01\x01\x00\x00", 0x888E),
        eth(b"\x02\x00\x00\x05\x01\x01\x00\x05\x01", 0x888E),
        dot3(b"\xfe\xfe\x03" + csnp, dst=isis_mc),
        dot3(b"\xfe\xfe\x03" + lsp_pdu, dst=isis_mc),
        dot3(b"\xfe\xfe\x03" + iih, dst=isis_mc),
        eth(ipv4(A, B, 17, udp(500, 500, ike))),
    ]


def gen(np: int, body: bytes, critical: int = 0) -> bytes:
    """An ISAKMP generic payload header (next payload, critical bit, length) and body."""
    return struct.pack("!BBH", np, critical, 4 + len(body)) + body


def isakmp(icookie: bytes, rcookie: bytes, np: int, vers: int, etype: int, flags: int,
           msgid: int, body: bytes) -> bytes:
    return icookie + rcookie + struct.pack("!BBBBII", np, vers, etype, flags, msgid,
                                           28 + len(body)) + body


def attr(kind: int, value: int | bytes) -> bytes:
    """A data attribute: basic (AF=1, a 16-bit value) or variable (bytes)."""
    if isinstance(value, int):
        return struct.pack("!HH", 0x8000 | kind, value)
    return struct.pack("!HH", kind, len(value)) + value


def ike_frames() -> list[bytes]:
    """IKEv1 and IKEv2 exchanges in the clear with each payload print-isakmp.c decodes,
    an SNMPv1 trap with a long-form PDU tag."""
    ick, rck = bytes.fromhex("a1a2a3a4a5a6a7a8"), bytes.fromhex("b1b2b3b4b5b6b7b8")
    oakley = (attr(1, 7) + attr(14, 128) + attr(2, 2) + attr(3, 1) + attr(4, 2) + attr(11, 1)
              + attr(12, bytes.fromhex("00015180")) + attr(99, 5))
    t1 = gen(3, struct.pack("!BBH", 1, 1, 0) + oakley)
    t2 = gen(0, struct.pack("!BBH", 2, 1, 0) + attr(1, 5) + attr(2, 1) + attr(3, 1)
             + attr(4, 14))
    prop = gen(0, struct.pack("!BBBB", 1, 1, 0, 2) + t1 + t2)
    sa = struct.pack("!II", 1, 1) + prop
    vid = bytes.fromhex("4a131c81070358455c5728f20e95452f")
    main1 = gen(13, sa) + gen(0, vid)
    main3 = gen(10, bytes(range(64))) + gen(20, bytes(range(24))) + gen(0, bytes(20))
    agg = (gen(8, struct.pack("!BBH", 1, 17, 500) + A) + gen(9, bytes(20))
           + gen(6, bytes(8)) + gen(7, b"\x04" + bytes(6)) + gen(0, b"\x04"))
    esp_t = gen(0, struct.pack("!BBH", 1, 12, 0) + attr(1, 1) + attr(2, b"\x00\x00\x0e\x10")
                + attr(4, 1) + attr(5, 2) + attr(6, 128))
    esp_p = gen(0, struct.pack("!BBBB", 1, 3, 4, 1) + bytes.fromhex("0badcafe") + esp_t)
    quick = (gen(1, bytes(20)) + gen(10, struct.pack("!II", 1, 1) + esp_p)
             + gen(5, bytes(range(16)))
             + gen(5, struct.pack("!BBH", 4, 0, 0) + C + bytes([255, 255, 255, 0]))
             + gen(0, struct.pack("!BBH", 7, 6, 80) + C + D))
    notify = (gen(11, struct.pack("!IBBH", 1, 1, 16, 24578) + ick + rck)
              + gen(11, struct.pack("!IBBH", 1, 3, 4, 24576) + b"\x0b\xad\xca\xfe"
                    + attr(11, 1) + attr(12, bytes.fromhex("00000e10")))
              + gen(11, struct.pack("!IBBH", 1, 3, 0, 24577) + struct.pack("!I", 1))
              + gen(12, struct.pack("!IBBH", 2, 1, 0, 14))
              + gen(11, struct.pack("!IBBH", 1, 3, 4, 2) + bytes.fromhex("0badcafe01020304"))
              + gen(0, struct.pack("!IBBH", 1, 1, 0, 40000)))
    v2_t = (gen(3, struct.pack("!BBH", 1, 0, 12) + attr(14, 256))
            + gen(3, struct.pack("!BBH", 2, 0, 2)) + gen(3, struct.pack("!BBH", 3, 0, 12))
            + gen(0, struct.pack("!BBH", 4, 0, 14)))
    v2_sa = gen(0, struct.pack("!BBBB", 1, 1, 0, 4) + v2_t)
    init = (gen(34, v2_sa) + gen(40, struct.pack("!HH", 14, 0) + bytes(range(32)))
            + gen(41, bytes(range(32)))
            + gen(41, struct.pack("!BBH", 1, 0, 16388) + bytes(20))
            + gen(43, struct.pack("!BBH", 0, 0, 16390) + bytes(range(8)))
            + gen(0, b"strongSwan\x01\x02"))
    auth = (gen(39, b"\x02\x00\x00\x00client.example", 0x80)
            + gen(41, b"\x02\x00\x00\x00" + bytes(range(20)))
            + gen(44, struct.pack("!BBH", 0, 0, 16384))
            + gen(45, bytes(12)) + gen(47, bytes(12)) + gen(33, b"\x01\x00\x00\x00" + bytes(4))
            + gen(46, gen(0, struct.pack("!BBBB", 1, 3, 4, 1) + bytes(4)
                          + gen(0, struct.pack("!BBH", 3, 0, 2))), 0x80)
            + gen(0, bytes(16)))
    v2_sa_esp = gen(0, struct.pack("!BBBB", 1, 3, 4, 1) + b"\x01\x02\x03\x04"
                    + gen(0, struct.pack("!BBH", 5, 0, 0)))
    child = gen(0, gen(0, v2_sa_esp)[4:])
    enc = gen(0, bytes(range(48)))
    pdu = (bytes.fromhex("06092b060104010401021540")[:-1] + bytes.fromhex("40047f000001")
           + bytes.fromhex("020100020100430109")
           + bytes.fromhex("300e300c06082b060102010201000500"))
    pdu = bytes.fromhex("bf818004") + bytes([len(pdu)]) + pdu
    body = bytes.fromhex("020100") + bytes.fromhex("0406") + b"public" + pdu
    trap = bytes([0x30, len(body)]) + body
    return [
        eth(ipv4(A, B, 17, udp(500, 500, isakmp(ick, bytes(8), 1, 0x10, 2, 0, 0, main1)))),
        eth(ipv4(B, A, 17, udp(500, 500, isakmp(ick, rck, 1, 0x10, 2, 0, 0, main1)))),
        eth(ipv4(A, B, 17, udp(500, 500, isakmp(ick, rck, 4, 0x10, 2, 0, 0, main3)))),
        eth(ipv4(A, B, 17, udp(500, 500, isakmp(ick, rck, 5, 0x10, 4, 0, 0, agg)))),
        eth(ipv4(A, B, 17, udp(500, 500, isakmp(ick, rck, 8, 0x10, 32, 0, 0x1234, quick)))),
        eth(ipv4(B, A, 17, udp(500, 500, isakmp(ick, rck, 11, 0x10, 5, 0, 0x5678, notify)))),
        eth(ipv4(A, B, 17, udp(500, 500, isakmp(ick, bytes(8), 33, 0x20, 34, 0x08, 0, init)))),
        eth(ipv4(A, B, 17, udp(4500, 4500, bytes(4) + isakmp(ick, rck, 35, 0x20, 35, 0x08, 1,
                                                            auth)))),
        eth(ipv4(B, A, 17, udp(500, 500, isakmp(ick, rck, 33, 0x20, 36, 0x20, 2, child)))),
        eth(ipv4(B, A, 17, udp(500, 500, isakmp(ick, rck, 46, 0x20, 37, 0x20, 3, enc)))),
        eth(ipv4(A, B, 17, udp(500, 500, isakmp(ick, rck, 1, 0x10, 2, 0, 0, gen(0, b""))))),
        eth(ipv4(A, B, 17, udp(1040, 162, trap))),
    ]


def chunk(kind: int, flags: int, body: bytes) -> bytes:
    """An SCTP chunk padded to 4 bytes (its length field leaves the padding out)."""
    raw = struct.pack("!BBH", kind, flags, 4 + len(body)) + body
    return raw + bytes(-len(raw) % 4)


def sctp(sport: int, dport: int, *chunks: bytes, vtag: int = 0x1234) -> bytes:
    return struct.pack("!HHII", sport, dport, vtag, 0) + b"".join(chunks)


def sctp_frames() -> list[bytes]:
    """An SCTP association (print-sctp.c) with M3UA (print-m3ua.c) and other payloads."""
    init = struct.pack("!IIHHI", 0xdeadbeef, 106496, 10, 65535, 1000) + bytes.fromhex(
        "000c00060005000080000004c0000004")
    asp_up = struct.pack("!BBBBI", 1, 0, 3, 1, 16) + struct.pack("!HHI", 0x11, 8, 7)
    notify = (struct.pack("!BBBBI", 1, 0, 0, 1, 36) + struct.pack("!HHI", 0x0d, 8, 0x10003)
              + struct.pack("!HHI", 0x06, 8, 5) + struct.pack("!HH", 0x04, 7) + b"abc\0"
              + struct.pack("!HH", 0x99, 4))
    data = struct.pack("!IHHI", 1000, 0, 0, 3)
    sack = struct.pack("!IIHH", 999, 106496, 2, 1) + struct.pack("!HHHHI", 2, 3, 5, 6, 995)
    hb = struct.pack("!HH", 1, 12) + bytes(8)
    a, b = 2905, 2905
    return [
        eth(ipv4(A, B, 132, sctp(a, b, chunk(1, 0, init), vtag=0))),
        eth(ipv4(B, A, 132, sctp(b, a, chunk(2, 0, init[:16] + bytes.fromhex("0007000800010203"))))),
        eth(ipv4(A, B, 132, sctp(a, b, chunk(10, 0, bytes(9))))),
        eth(ipv4(B, A, 132, sctp(b, a, chunk(11, 0, b"")))),
        eth(ipv4(A, B, 132, sctp(a, b, chunk(0, 3, data + asp_up)))),
        eth(ipv4(B, A, 132, sctp(b, a, chunk(3, 0, sack), chunk(0, 3, data + notify),
                                 chunk(0, 7, struct.pack("!IHHI", 1001, 1, 2, 46) + b"hello")))),
        eth(ipv4(A, B, 132, sctp(a, b, chunk(4, 0, hb), chunk(5, 0, hb), chunk(0x40, 0, b"xy")))),
        eth(ipv4(A, B, 132, sctp(a, b, chunk(0, 2, struct.pack("!IHHI", 1002, 0, 3, 18) + b"s1"),
                                 chunk(0, 1, struct.pack("!IHHI", 1003, 0, 3, 18))))),
        eth(ipv4(A, B, 132, sctp(a, b, chunk(7, 0, struct.pack("!I", 1003)), chunk(8, 0, b""),
                                 chunk(14, 1, b""), chunk(6, 0, struct.pack("!HH", 1, 8) + bytes(4))))),
        eth(ipv4(A, B, 132, sctp(a, b, struct.pack("!BBH", 0, 3, 2)))),
        eth(ipv4(A, B, 132, sctp(a, b, chunk(0, 3, struct.pack("!IHH", 1, 2, 3))))),
        eth(ipv4(A, B, 132, sctp(a, b) + b"\x00\x00")),
        eth(ipv4(A, B, 132, b"\x0b\x59\x0b\x59")),
        eth(ipv6(G1, G2, 132, sctp(36412, 36412, chunk(0, 3, struct.pack("!IHHI", 7, 0, 0, 60) + b"ngap"))), 0x86DD),
    ]


def rattr(kind: int, value: bytes) -> bytes:
    return struct.pack("!BB", kind, 2 + len(value)) + value


def radius(code: int, ident: int, attrs: bytes) -> bytes:
    return struct.pack("!BBH", code, ident, 20 + len(attrs)) + bytes(range(16)) + attrs


def aaa_frames() -> list[bytes]:
    """RADIUS with the attributes print-radius.c decodes, on its ports."""
    u32 = lambda v: struct.pack("!I", v)  # noqa: E731
    eap_id = b"\x02\x07\x00\x0a\x01alice"
    req = (rattr(1, b"alice") + rattr(2, bytes(16)) + rattr(4, C) + rattr(5, u32(50112))
           + rattr(6, u32(2)) + rattr(7, u32(1)) + rattr(12, u32(1500))
           + rattr(30, b"00-11-22-33-44-55:corp") + rattr(31, b"66-77-88-99-AA-BB")
           + rattr(61, u32(15)) + rattr(79, eap_id) + rattr(80, bytes(16))
           + rattr(87, b"Gi1/0/3") + rattr(26, u32(9) + b"\x01\x16cisco-avpair=vlan=10")
           + rattr(26, u32(311) + b"\x10\x06\x00\x01\x02\x03") + rattr(44, b"0000001A"))
    chal = (rattr(79, b"\x01\x08\x00\x16\x04\x10" + bytes(range(16))) + rattr(24, b"st\x00ate")
            + rattr(27, u32(30)) + rattr(18, b"Hello"))
    acc = (rattr(64, b"\x00\x00\x00\x0d") + rattr(65, b"\x01\x00\x00\x06")
           + rattr(81, b"42") + rattr(8, b"\xff\xff\xff\xfe") + rattr(28, u32(3700))
           + rattr(85, u32(600)) + rattr(25, b"class-a") + rattr(56, b"\x31\x00\x00\x0a")
           + rattr(58, b"\x32users") + rattr(69, b"\x01\x80\x01secret")
           + rattr(10, u32(3)) + rattr(15, u32(1)) + rattr(13, u32(9)) + rattr(9, C))
    acct = (rattr(40, u32(1)) + rattr(45, u32(1)) + rattr(55, u32(T0)) + rattr(49, u32(11))
            + rattr(42, u32(123456)) + rattr(46, u32(59)) + rattr(95, G1)
            + rattr(97, b"\x00\x40" + G1[:8]) + rattr(123, b"\x00\x50" + G1[:8])
            + rattr(101, u32(201)) + rattr(126, b"\x31example.net") + rattr(124, bytes(7) + b"\x03")
            + rattr(200, b"xyz") + rattr(0, b"") + rattr(83, b"\x02\x00\x00\x07")
            + rattr(37, u32(0)) + rattr(38, u32(0)) + rattr(23, u32(0xFFFFFFFE))
            + rattr(41, u32(5)) + rattr(5, b"\x01"))
    bad = rattr(1, b"bob") + b"\x1f\x01"
    past = rattr(1, b"bob") + b"\x1f\x09abc"
    return [
        eth(ipv4(A, B, 17, udp(40004, 1812, radius(1, 7, req)))),
        eth(ipv4(B, A, 17, udp(1812, 40004, radius(11, 7, chal)))),
        eth(ipv4(B, A, 17, udp(1812, 40004, radius(2, 8, acc)))),
        eth(ipv4(A, B, 17, udp(40005, 1813, radius(4, 9, acct)))),
        eth(ipv4(B, A, 17, udp(1813, 40005, radius(5, 9, b"")))),
        eth(ipv4(B, A, 17, udp(3799, 3799, radius(43, 1, bad)))),
        eth(ipv4(B, A, 17, udp(1645, 1646, radius(40, 2, past)))),
        eth(ipv4(B, A, 17, udp(1812, 40004, radius(3, 3, b"")[:18]))),
    ]


def pcap_snap(linktype: int, snaplen: int, packets: list[bytes]) -> bytes:
    """A capture made with -s SNAPLEN: each record keeps at most snaplen bytes."""
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)
    for i, data in enumerate(packets):
        kept = data[:snaplen]
        out += struct.pack("<IIII", T0 + i, 1000 * i, len(kept), len(data)) + kept
    return out


def snap_frames() -> list[bytes]:
    ike, aaa, sct = ike_frames(), aaa_frames(), sctp_frames()
    return [ike[0], ike[5], ike[6], aaa[0], aaa[3], sct[0], sct[5], sct[7], ike[11]]


def pcap_nano(linktype: int, packets: list[tuple[int, int, bytes]]) -> bytes:
    """A classic pcap with nanosecond stamps: (seconds, nanoseconds, frame) records."""
    out = struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 262144, linktype)
    for sec, nsec, data in packets:
        out += struct.pack("<IIII", sec, nsec, len(data), len(data)) + data
    return out


def nano_frames() -> list[tuple[int, int, bytes]]:
    """ICMP echoes and a DNS query apart by less than a microsecond, then by more."""
    ping = eth(ipv4(A, B, 1, icmp_echo()))
    echo = icmp_echo()
    reply = b"\x00" + echo[1:2] + struct.pack("!H", (int.from_bytes(echo[2:4], "big") + 0x800) % 0xFFFF) + echo[4:]
    pong = eth(ipv4(B, A, 1, reply))
    dns = eth(ipv4(A, B, 17, udp(40000, 53, bytes.fromhex(
        "123401000001000000000000076578616d706c6503636f6d0000010001"))))
    return [(T0, 123456789, ping), (T0, 123456999, pong), (T0 + 1, 999999999, dns),
            (T0 + 3, 5, ping), (T0 + 2, 999999000, pong)]


def tag8021q(tpid: int, vid: int, inner: int, payload: bytes, pcp: int = 0) -> bytes:
    """A VLAN tag (TPID, then PCP and VID) in front of the inner ethertype and payload."""
    return struct.pack("!HHH", tpid, pcp << 13 | vid, inner) + payload


def vlan_frames() -> list[bytes]:
    dns = udp(40000, 53, bytes.fromhex(
        "123401000001000000000000076578616d706c6503636f6d0000010001"))
    arp = bytes.fromhex("0001080006040001") + bytes(6) + A + bytes(6) + B
    ping6 = ipv6(G1, G2, 58, icmp6(128, 0, b"\0\1\0\1"))

    def tagged(payload_with_type: bytes) -> bytes:
        return bytes.fromhex("020000000002020000000001") + payload_with_type
    return [
        tagged(tag8021q(0x8100, 10, 0x0800, ipv4(A, B, 1, icmp_echo()))),
        tagged(tag8021q(0x8100, 20, 0x86DD, ping6, pcp=5)),
        tagged(tag8021q(0x88A8, 100, 0x8100, tag8021q(0, 200, 0x0800, ipv4(C, D, 17, dns))[2:])),
        tagged(tag8021q(0x8100, 10, 0x0806, arp)),
        eth(ipv4(A, B, 6, tcp(A, B, 40000, 80, 0x02, b""))),
        tagged(tag8021q(0x9100, 30, 0x8100, tag8021q(0, 40, 0x0800, ipv4(A, B, 6, tcp(A, B, 40001, 443, 0x12, b"")))[2:])),
        eth(arp, 0x0806),
    ]


def ppp_frames() -> list[bytes]:
    """PPPoE session frames with PPP authentication and network control protocols."""
    def ses(proto: int, body: bytes) -> bytes:
        return eth(pppoe(0, 0x0F, struct.pack("!H", proto) + body), 0x8864)

    def cp(code: int, ident: int, data: bytes) -> bytes:
        return struct.pack("!BBH", code, ident, 4 + len(data)) + data
    pap_req = cp(1, 1, b"\x05user1\x06secret")
    chap_chal = cp(1, 2, b"\x10" + bytes(range(16)) + b"bng-1")
    chap_resp = cp(2, 2, b"\x10" + bytes(range(16, 32)) + b"user1")
    ipcp_req = cp(1, 3, bytes.fromhex("0306c0a8010a") + bytes.fromhex("810600000000")
                  + bytes.fromhex("0206002d0f01") + bytes.fromhex("830608080404")
                  + bytes.fromhex("0504abcd"))
    ipcp_comp = cp(1, 4, bytes.fromhex("0214006100100010000a00140028") + bytes.fromhex("0102"))
    ipcp_nak = cp(3, 3, bytes.fromhex("03060a000001") + bytes.fromhex("81060a000035"))
    ip6cp = cp(1, 5, bytes.fromhex("010a0211223344556677"))
    ccp = cp(1, 6, bytes.fromhex("1a04780015032f180460031106000104") + bytes.fromhex("1202"))
    return [
        ses(0xC023, pap_req), ses(0xC023, cp(2, 1, b"\x0bWelcome in.")),
        ses(0xC023, cp(3, 1, b"\x00")), ses(0xC223, chap_chal), ses(0xC223, chap_resp),
        ses(0xC223, cp(3, 2, b"Access granted")), ses(0xC223, cp(4, 2, b"E=691")),
        ses(0x8021, ipcp_req), ses(0x8021, ipcp_comp), ses(0x8021, ipcp_nak),
        ses(0x8057, ip6cp), ses(0x80FD, ccp), ses(0xC023, b"\x01\x02"),
        ses(0xC023, cp(1, 7, b"\x09ab")),
    ]


def gre_frames() -> list[bytes]:
    """GRE with a key around MPLS (gre_print_0()'s ETHERTYPE_MPLS), 0x8848 beside it."""
    inner = ipv4(C, D, 1, icmp_echo())
    stack = mpls((19, 0, 255), (21, 0, 255)) + inner
    keyed = struct.pack("!HHI", 0x2000, 0x8847, 100) + stack
    return [eth(ipv4(A, B, 47, keyed)),
            eth(ipv4(B, A, 47, struct.pack("!HH", 0, 0x8848) + stack)),
            eth(ipv4(A, B, 47, struct.pack("!HHI", 0x2000, 0x8847, 100) + mpls((16, 5, 64))
                     + ipv6(G1, G2, 58, icmp6(128, 0, b"\0\1\0\1"))))] + l2tp_frames()


def avp(kind: int, value: bytes, flags: int = 0x8000, vendor: int = 0) -> bytes:
    return struct.pack("!HHH", flags | (6 + len(value)), vendor, kind) + value


def l2tp_frames() -> list[bytes]:
    """L2TPv2 on UDP 1701 (print-l2tp.c)."""
    def ctl(tunnel: int, session: int, ns: int, nr: int, avps: bytes) -> bytes:
        return struct.pack("!HHHHHH", 0xC802, 12 + len(avps), tunnel, session, ns, nr) + avps
    sccrq = (avp(0, b"\x00\x01") + avp(2, b"\x01\x00") + avp(3, struct.pack("!I", 3))
             + avp(4, struct.pack("!I", 2)) + avp(5, bytes(range(8)), 0)
             + avp(6, b"\x06\x90", 0) + avp(7, b"lac-1") + avp(8, b"ipemu", 0)
             + avp(9, b"\x00\x2a") + avp(10, b"\x00\x04") + avp(11, bytes(4))
             + avp(13, bytes(16)) + avp(99, b"zz", 0) + avp(1, b"\x00\x01", 0x4000)
             + avp(7, b"\x01\x02", 0x8000, 9))
    cdn = (avp(0, b"\x00\x0e") + avp(1, b"\x00\x03\x00\x06bye") + avp(14, b"\x00\x05")
           + avp(12, b"\x00\x10\x02lost") + avp(15, struct.pack("!I", 77))
           + avp(34, bytes(2) + struct.pack("!IIIIII", 1, 2, 3, 4, 5, 6))
           + avp(35, bytes(2) + struct.pack("!II", 0xFFFFFFFF, 0xA0000))
           + avp(46, b"\x00\x01\xc0\x21\x01why") + avp(29, b"\x00\x02")
           + avp(32, b"\x01\x07") + avp(20, b"") + avp(18, struct.pack("!I", 1))
           + avp(1, b"\x00"))
    lcp = struct.pack("!HBBH", 0xC021, 9, 72, 8) + struct.pack("!I", 0xC1343922)
    data = struct.pack("!HHH", 0x0002, 42, 5) + b"\xff\x03" + lcp
    return [eth(ipv4(A, B, 17, udp(1701, 1701, ctl(0, 0, 0, 0, sccrq)))),
            eth(ipv4(B, A, 17, udp(1701, 1701, ctl(7, 0, 1, 1, b"")))),
            eth(ipv4(A, B, 17, udp(1701, 1701, ctl(42, 5, 3, 2, cdn)))),
            eth(ipv4(A, B, 17, udp(1701, 1701, data))),
            eth(ipv4(A, B, 17, udp(1701, 1701, b"\x00\x01\x00\x00"))),
            eth(ipv4(A, B, 17, udp(1701, 1701, b"\x00\x03\x00\x00"))),
            eth(ipv4(A, B, 17, udp(1701, 1701, struct.pack("!HHHH", 0xC002, 400, 1, 2)))),
            eth(ipv4(A, B, 17, udp(1701, 1701, struct.pack("!HHH", 0x8002, 1, 2))))]


def flow_frames() -> list[bytes]:
    """sFlow datagrams (sflow_print() without -v prints the header's line)."""
    v4 = struct.pack("!II4sIIII", 5, 1, C, 3, 1000, 123456, 0)
    v6 = struct.pack("!II16sIIII", 5, 2, G1, 7, 1001, 123457, 0)
    return [eth(ipv4(A, B, 17, udp(40000, 6343, v4))),
            eth(ipv4(A, B, 17, udp(40000, 6343, v6))),
            eth(ipv4(A, B, 17, udp(6343, 40000, struct.pack("!II4sIIII", 4, 1, C, 3, 1, 2, 0)))),
            eth(ipv4(A, B, 17, udp(40000, 6343, v4[:20])))] + lisp_frames()


def lisp_frames() -> list[bytes]:
    """LISP control messages on UDP 4342 (print-lisp.c)."""
    loc4 = struct.pack("!BBBBHH", 1, 100, 255, 0, 0x0005, 1) + A
    loc6 = struct.pack("!BBBBHH", 2, 50, 255, 0, 0x0002, 2) + G1
    rec = struct.pack("!IBBBBHH", 1440, 2, 24, 0x10, 0, 0x0003, 1) + C[:3] + b"\0" + loc4 + loc6
    rec6 = struct.pack("!IBBBBHH", 60, 0, 48, 0x20, 0, 0, 2) + G3
    auth = bytes(range(20))
    reg = (struct.pack("!BBBB", 0x32, 0, 1, 2) + bytes(8) + struct.pack("!HH", 1, 20) + auth
           + rec + rec6 + bytes(range(16)) + struct.pack("!Q", 42))
    notify = (struct.pack("!BBBB", 0x40, 0, 0, 1) + bytes(8) + struct.pack("!HH", 0, 0)
              + rec + b"\xde\xad")
    return [eth(ipv4(A, B, 17, udp(4342, 4342, reg))),
            eth(ipv4(B, A, 17, udp(4342, 4342, notify))),
            eth(ipv4(A, B, 17, udp(40001, 4342, struct.pack("!BBBB", 0x10, 0, 0, 1) + bytes(12)))),
            eth(ipv4(A, B, 17, udp(40001, 4342, struct.pack("!BBBB", 0x30, 0, 0, 0) + bytes(12))))]


def main() -> None:
    out = Path(sys.argv[1])
    (out / "multi.pcapng").write_bytes(multi())
    (out / "big_endian.pcapng").write_bytes(multi(">"))
    v4 = [ipv4(A, B, 1, icmp_echo()), ipv4(A, B, 17, udp(40000, 53, bytes.fromhex(
        "123401000001000000000000076578616d706c6503636f6d0000010001")))]
    (out / "ipv4.pcap").write_bytes(pcap(228, v4))
    (out / "ipv6.pcap").write_bytes(pcap(229, [ipv6(G1, G2, 58, icmp6(128, 0, b"\0\1\0\1"))]))
    # RADIUS (radius_print() without -v: its attributes' decoder is not ported)
    auth = bytes(range(16))
    req = struct.pack("!BBH", 1, 7, 20 + 8) + auth + b"\x01\x06alic"
    acc = struct.pack("!BBH", 2, 7, 20) + auth
    (out / "radius.pcap").write_bytes(pcap(1, [eth(ipv4(A, B, 17, udp(40004, 1812, req))),
                                               eth(ipv4(B, A, 17, udp(1812, 40004, acc)))]))
    frame = frames()[5]
    (out / "second_type.pcapng").write_bytes(
        shb() + idb(1, 262144) + epb(0, T0 * 10**6, frame) + idb(101, 262144)
        + epb(1, T0 * 10**6, v4[0]))
    (out / "no_idb.pcapng").write_bytes(shb() + epb(0, T0 * 10**6, frame) + idb(1, 262144))
    (out / "bgp.pcap").write_bytes(pcap(1, bgp_frames()))
    (out / "routing.pcap").write_bytes(pcap(1, routing_frames()))
    (out / "more.pcap").write_bytes(pcap(1, more_frames()))
    (out / "ike.pcap").write_bytes(pcap(1, ike_frames()))
    (out / "sctp.pcap").write_bytes(pcap(1, sctp_frames()))
    (out / "aaa.pcap").write_bytes(pcap(1, aaa_frames()))
    (out / "snap.pcap").write_bytes(pcap_snap(1, 80, snap_frames()))
    (out / "nano.pcap").write_bytes(pcap_nano(1, nano_frames()))
    (out / "vlan.pcap").write_bytes(pcap(1, vlan_frames()))
    # -F's file: the expression, '#' comments blanked (read_infile())
    (out / "voice.filter").write_text("vlan 20 # the voice vlan\nor arp # and ARP\n")
    (out / "ppp.pcap").write_bytes(pcap(1, ppp_frames()))
    (out / "gre.pcap").write_bytes(pcap(1, gre_frames()))
    (out / "flow.pcap").write_bytes(pcap(1, flow_frames()))


if __name__ == "__main__":
    main()
