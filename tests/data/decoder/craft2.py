"""Crafts the second pass's decoder captures with scapy (`pip install -e '.[craft]'`).

    python tests/data/decoder/craft2.py DIR

writes DIR/crafted2.pcap (Ethernet): TCP options (MPTCP's subtypes, TFO, TCP-AO, MD5,
SCPS), IPv4 options (timestamps, record and source routes, router alert, an option cut
by the snapshot), IPv6 extension headers (routing types 0 and 4, Jumbo Payload,
home address), ICMPv6 (RPL, node information, router renumbering, mobile prefixes,
home-agent discovery), SNMP (v1, v2c, v3, traps, errors, every value type) and ATM ARP;
crafted_null.pcap (BSD loopback link type); crafted_cut.pcap (a file that ends inside
a record: tcpdump prints what came before, then pcap_loop's error on stderr).
record.sh stores what the real tcpdump prints for each under the tests' flag sets.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

from scapy.all import (  # type: ignore[import-not-found]
    ICMPv6EchoRequest, IP, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting,
    TCP, UDP, Ether, ICMP, IPOption_LSRR, IPOption_RR, IPOption_Router_Alert,
    IPOption_Timestamp, Raw, HBHOptUnknown)

sys.path.insert(0, str(Path(__file__).parent))
from craft import A, A6, B, B6, T0, eth, write_pcap  # noqa: E402

KEY = bytes.fromhex("0123456789abcdef")
KEY2 = bytes.fromhex("fedcba9876543210")


def tcp4(flags: str, options, sport: int = 40000, dport: int = 5000, payload: bytes = b""):
    return eth(IP(src=A, dst=B) / TCP(sport=sport, dport=dport, flags=flags, seq=1000,
                                      ack=2000 if "A" in flags else 0, options=options) /
               Raw(payload))


# -- TCP options ------------------------------------------------------------------------
def tcp_packets():
    yield tcp4("S", [(30, b"\x01\x81" + KEY)])                      # capable v1 csum, key
    yield tcp4("A", [(30, b"\x01\x01" + KEY + KEY2)])                # capable, both keys
    yield tcp4("S", [(30, b"\x11\x05" + b"\xaa\xbb\xcc\xdd" + b"\x01\x02\x03\x04")])  # join
    yield tcp4("SA", [(30, b"\x10\x02" + KEY + b"\x05\x06\x07\x08")])  # join syn/ack
    yield tcp4("A", [(30, b"\x10\x00" + bytes(range(20)))])          # join ack, hmac
    yield tcp4("A", [(30, b"\x20\x1f" + KEY + KEY2 + b"\x00\x00\x00\x07\x05\xdc\xbe\xef")])
    yield tcp4("A", [(30, b"\x20\x05" + b"\x00\x00\x10\x00" + b"\x00\x00\x20\x00"
                      + b"\x00\x00\x00\x01\x00\x10")])               # dss 4-byte ack/seq
    yield tcp4("A", [(30, b"\x31\x04" + bytes([192, 0, 2, 77]) + b"\x1f\x90" + KEY)])
    yield tcp4("A", [(30, b"\x30\x05" + bytes.fromhex("20010db8000000000000000000000099"))])
    yield tcp4("A", [(30, b"\x40\x01\x02\x03")])                     # rem-addr
    yield tcp4("A", [(30, b"\x50\x01\x09"), (1, b"")])               # prio backup id
    yield tcp4("A", [(30, b"\x60\x00" + KEY)])                       # fail
    yield tcp4("A", [(30, b"\x70\x00" + KEY2)])                      # fast-close
    yield tcp4("A", [(30, b"\x90\x00")])                             # unknown subtype
    yield tcp4("S", [(30, b"\x20\x01\x00\x00\x00\x01")])             # dss in a SYN: bad
    yield tcp4("S", [(34, b"")])                                     # tfo cookiereq
    yield tcp4("SA", [(34, bytes.fromhex("0011223344556677"))])      # tfo cookie
    yield tcp4("S", [(34, b"\x01\x02\x03")])                         # tfo invalid
    yield tcp4("S", [(254, b"\xf9\x89")])                            # exp-tfo cookiereq
    yield tcp4("S", [(254, b"\xf9\x89" + bytes.fromhex("a1a2a3a4"))])
    yield tcp4("S", [(254, b"\x12\x34\x56")])                        # exp, other magic
    yield tcp4("A", [(29, b"\x05\x06" + bytes(range(12)))], payload=b"data")  # tcp-ao
    yield tcp4("A", [(29, b"\x07")])                                 # tcp-ao invalid
    yield tcp4("PA", [(19, bytes(range(16))), (0, b"")], payload=b"signed")  # md5
    yield tcp4("A", [(20, b"\x03\x04"), (28, b"\x80\x0b")])          # scps, uto
    yield tcp4("A", [(30, b"\x20\x01\x00\x00\x00\x01"), ("Timestamp", (5, 6))])  # dss ack, then TS


def cut_tcp_frames():
    """(frame, wire length): TCP options cut by a short snapshot length."""
    full = bytes(tcp4("S", [("MSS", 1460), (30, b"\x01\x81" + KEY)]))
    yield full[:60], len(full)                       # inside the MPTCP key
    full = bytes(tcp4("S", [(29, b"\x05\x06" + bytes(range(12)))]))
    yield full[:62], len(full)                       # inside the TCP-AO mac


# -- IPv4 options -----------------------------------------------------------------------
def ip_option_packets():
    udp = UDP(sport=40000, dport=9999) / Raw(b"options")
    yield eth(IP(src=A, dst=B, options=[IPOption_Timestamp(flg=1, timestamp=0,
                                                           internet_address="192.0.2.1")]) /
              ICMP(type=8, id=3, seq=1))
    yield eth(IP(src=A, dst=B, options=[IPOption_Timestamp(flg=0, timestamp=12345)]) /
              ICMP(type=8, id=3, seq=2))
    yield eth(IP(src=A, dst=B, options=[IPOption_LSRR(routers=["192.0.2.1", "192.0.2.99"])])
              / udp)                                  # the UDP sum is over the last hop
    yield eth(IP(src=A, dst=B, options=[IPOption_RR(pointer=8, routers=["192.0.2.5",
                                                                        "0.0.0.0"])]) / udp)
    yield eth(IP(src=A, dst=B, options=[IPOption_Router_Alert()]) / udp)
    yield eth(IP(src=A, dst=B, options=[Raw(b"\x44\x08\x05\x03" + b"\x00\x00\x00\x07")]) /
              ICMP(type=8, id=3, seq=3))             # TS, bad ts type 3 is PRESPEC
    yield eth(IP(src=A, dst=B, options=[Raw(b"\x44\x08\x05\x0f" + bytes(4))]) / udp)


def cut_ip_frames():
    full = bytes(eth(IP(src=A, dst=B, options=[IPOption_LSRR(
        routers=["192.0.2.1", "192.0.2.2", "192.0.2.3"])]) / UDP(sport=1, dport=2)))
    yield full[:40], len(full)                       # [truncated-option]


# -- IPv6 extension headers -------------------------------------------------------------
def ip6_packets():
    echo = ICMPv6EchoRequest(id=5, seq=1)
    yield eth(IPv6(src=A6, dst=B6) / IPv6ExtHdrRouting(type=0, segleft=1,
                                                        addresses=["2001:db8::1"]) / echo)
    srh = (b"\x11\x04\x04\x01\x01\x00\x00\x07" + bytes.fromhex("20010db80000000000000000000000f1")
           + bytes.fromhex("20010db80000000000000000000000f2"))
    yield eth(IPv6(src=A6, dst=B6, nh=43) / Raw(srh) / UDP(sport=40000, dport=9999) / Raw(b"sr"))
    yield eth(IPv6(src=A6, dst=B6) / IPv6ExtHdrRouting(type=2, segleft=1,
                                                        addresses=["2001:db8::2"]) / echo)
    yield eth(IPv6(src=A6, dst=B6, nh=43) / Raw(b"\x3a\x00\x07\x00\x00\x00\x00\x00") / echo)
    jumbo = HBHOptUnknown(otype=0xC2, optdata=struct.pack("!I", 70000))
    yield eth(IPv6(src=A6, dst=B6, plen=0) /
              IPv6ExtHdrHopByHop(options=[jumbo]) / UDP(sport=40000, dport=9999) / Raw(b"j"))
    short = HBHOptUnknown(otype=0xC2, optdata=struct.pack("!I", 100))
    yield eth(IPv6(src=A6, dst=B6, plen=0) /
              IPv6ExtHdrHopByHop(options=[short]) / UDP(sport=40000, dport=9999))
    yield eth(IPv6(src=A6, dst=B6) /
              IPv6ExtHdrHopByHop(options=[jumbo]) / UDP(sport=40000, dport=9999))
    home = HBHOptUnknown(otype=0xC9, optdata=bytes.fromhex("20010db8000000000000000000000077"))
    yield eth(IPv6(src=A6, dst=B6) / IPv6ExtHdrDestOpt(options=[home]) / echo)
    yield eth(IPv6(src=A6, dst=B6) / IPv6ExtHdrDestOpt(options=[jumbo]) / echo)


# -- ICMPv6 -----------------------------------------------------------------------------
def icmp6(type_: int, code: int, body: bytes, src: str = A6, dst: str = B6):
    return eth(IPv6(src=src, dst=dst, nh=58) / Raw(bytes([type_, code, 0, 0]) + body))


def icmp6_packets():
    dagid = bytes.fromhex("20010db8000000000000000000000042")
    yield icmp6(155, 0, b"\x00\x00")                                       # DIS
    yield icmp6(155, 1, b"\x01\x02\x01\x00\x88\x07\x00\x00" + dagid +
                b"\x00\x01\x00\x04\x07\x01\x02\x03" + b"\x02\x02\xaa\xbb")  # DIO, options
    yield icmp6(155, 2, b"\x01\xc0\x00\x09" + dagid + b"\x05\x02\x00\x40")  # DAO, D and K
    yield icmp6(155, 2, b"\x01\x00\x00\x09" + bytes(16))                   # DAO, no dagid
    yield icmp6(155, 3, b"\x01\x80\x09\x00" + dagid)                       # DAO-ACK
    yield icmp6(155, 3, b"\x01\x80\x09")                                   # DAO-ACK short
    yield icmp6(155, 0x81, b"\x00\x00")                                    # secured
    yield icmp6(155, 9, b"\x00\x00")                                       # unknown code
    nonce = bytes.fromhex("1122334455667788")
    yield icmp6(139, 0, b"\x00\x03\x00\x3e" + nonce + bytes.fromhex(
        "20010db800000000000000000000000b"))                               # NI node addresses
    yield icmp6(139, 1, b"\x00\x02\x00\x00" + nonce + b"\x04host\x07example\x00\x00")
    yield icmp6(139, 2, b"\x00\x04\x00\x00" + nonce + bytes([192, 0, 2, 20]))
    yield icmp6(139, 0, b"\x00\x00\x00\x00" + nonce)                       # noop
    yield icmp6(139, 0, b"\x00\x01\x00\x01" + nonce)                       # supported qtypes
    yield icmp6(139, 0, b"\x00\x00\x00\x00")                               # who-are-you
    yield icmp6(140, 0, b"\x00\x03\x00\x3f" + nonce + b"\x00\x00\x0e\x10" +
                bytes.fromhex("20010db800000000000000000000000b"))         # NI reply
    yield icmp6(140, 0, b"\x00\x02\x00\x01" + nonce + b"\x00\x00\x00\x3c" +
                b"\x04host\x07example\x00")
    yield icmp6(140, 1, b"\x00\x02\x00\x00" + nonce)                       # refused
    yield icmp6(140, 0, b"\x00\x09\x00\x00" + nonce)                       # unknown qtype
    match = b"\x01\x07\x02\x30\x40\x40\x00\x00" + bytes.fromhex("20010db8000100000000000000000000")
    use = (b"\x40\x40\xc0\x80" + b"\xff\xff\xff\xff" + b"\x00\x00\x0e\x10" + b"\x80\x00\x00\x00"
           + bytes.fromhex("20010db8000200000000000000000000"))
    yield icmp6(138, 0, b"\x00\x00\x00\x07" + b"\x01\xc0\x00\x64\x00\x00\x00\x00" + match + use)
    yield icmp6(138, 1, b"\x00\x00\x00\x08" + b"\x00\x00\x00\x00\x00\x00\x00\x00")
    yield icmp6(138, 255, b"\x00\x00\x00\x09" + b"\x00\x00\x00\x00\x00\x00\x00\x00")
    prefix = (b"\x03\x04\x40\xc0" + b"\x00\x00\x0e\x10" + b"\x00\x00\x07\x08" + bytes(4) +
              bytes.fromhex("20010db8000300000000000000000000"))
    yield icmp6(147, 0, b"\x12\x34\xc0\x00" + prefix)                      # mobile prefix adv
    yield icmp6(146, 0, b"\x12\x35\x00\x00")
    yield icmp6(144, 0, b"\x12\x36\x00\x00")
    yield icmp6(145, 0, b"\x12\x36\x00\x00" + bytes.fromhex(
        "20010db80000000000000000000000a1" "20010db80000000000000000000000a2"))


# -- SNMP (BER by hand: every element as print-snmp.c reads it) --------------------------
def ber(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + content


def ber_int(v: int, tag: int = 0x02) -> bytes:
    n = max(1, (v.bit_length() + 8) // 8)
    return ber(tag, v.to_bytes(n, "big", signed=True))


def ber_uns(v: int, tag: int) -> bytes:
    n = max(1, (v.bit_length() + 8) // 8)
    return ber(tag, v.to_bytes(n, "big"))


def ber_oid(text: str) -> bytes:
    parts = [int(x) for x in text.split(".")]
    out = bytearray([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(chunk))
    return ber(0x06, bytes(out))


def seq(*items: bytes) -> bytes:
    return ber(0x30, b"".join(items))


def varbinds(*pairs: tuple[str, bytes]) -> bytes:
    return seq(*(seq(ber_oid(oid), value) for oid, value in pairs))


NULL = ber(0x05, b"")


def snmp_msg(version: int, community: bytes, pdu: bytes) -> bytes:
    return seq(ber_int(version), ber(0x04, community), pdu)


def snmp4(payload: bytes, sport: int = 40161, dport: int = 161):
    return eth(IP(src=A, dst=B) / UDP(sport=sport, dport=dport) / Raw(payload))


def snmp_packets():
    get = ber(0xA0, ber_int(1234) + ber_int(0) + ber_int(0) +
              varbinds(("1.3.6.1.2.1.1.1.0", NULL), ("1.3.6.1.2.1.1.5.0", NULL)))
    yield snmp4(snmp_msg(0, b"public", get))
    values = [("1.3.6.1.2.1.1.1.0", ber(0x04, b"Linux oracle")),
              ("1.3.6.1.2.1.1.3.0", ber_uns(123456, 0x43)),
              ("1.3.6.1.2.1.2.2.1.10.1", ber_uns(4000000000, 0x41)),
              ("1.3.6.1.2.1.2.2.1.5.1", ber_uns(1000000000, 0x42)),
              ("1.3.6.1.2.1.4.20.1.1.192.0.2.1", ber(0x40, bytes([192, 0, 2, 1]))),
              ("1.3.6.1.2.1.1.2.0", ber_oid("1.3.6.1.4.1.8072.3.2.10")),
              ("1.3.6.1.2.1.31.1.1.1.6.1", ber_uns(2 ** 40 + 5, 0x46)),
              ("1.3.6.1.2.1.1.7.0", ber_int(-72)),
              ("1.3.6.1.2.1.1.9.1.3.1", ber(0x04, b"\x00\x01\xfe")),
              ("1.3.6.1.6.3.1.1.4.1.0", ber(0x80, b"")),
              ("1.3.6.1.3.1.1", ber(0x82, b""))]
    resp = ber(0xA2, ber_int(1234) + ber_int(0) + ber_int(0) + varbinds(*values))
    yield snmp4(snmp_msg(0, b"private", resp), 161, 40161)
    err = ber(0xA2, ber_int(9) + ber_int(2) + ber_int(1) +
              varbinds(("1.3.6.1.2.1.1.99.0", NULL)))
    yield snmp4(snmp_msg(1, b"public", err), 161, 40161)
    bad = ber(0xA0, ber_int(10) + ber_int(5) + ber_int(3) +
              varbinds(("1.3.6.1.2.1.1.1.0", ber_int(1))))
    yield snmp4(snmp_msg(1, b"public", bad))
    bulk = ber(0xA5, ber_int(11) + ber_int(0) + ber_int(10) +
               varbinds(("1.3.6.1.2.1.2.2", NULL)))
    yield snmp4(snmp_msg(1, b"public", bulk))
    trap = ber(0xA4, ber_oid("1.3.6.1.4.1.8072.3.2.10") + ber(0x40, bytes([192, 0, 2, 10])) +
               ber_int(6) + ber_int(17) + ber_uns(4321, 0x43) +
               varbinds(("1.3.6.1.2.1.2.2.1.1.2", ber_int(2))))
    yield snmp4(snmp_msg(0, b"public", trap), 40162, 162)
    v2trap = ber(0xA7, ber_int(12) + ber_int(0) + ber_int(0) +
                 varbinds(("1.3.6.1.2.1.1.3.0", ber_uns(99, 0x43)),
                          ("1.3.6.1.6.3.1.1.4.1.0", ber_oid("1.3.6.1.6.3.1.1.5.3"))))
    yield snmp4(snmp_msg(1, b"public", v2trap), 40162, 162)
    yield snmp4(snmp_msg(1, b"public", trap), 40162, 162)          # v1 PDU in v2
    yield snmp4(snmp_msg(0, b"public", bulk))                     # v2 PDU in v1
    yield snmp4(snmp_msg(2, b"public", get))                      # v2u: version error
    usm = seq(ber(0x04, bytes.fromhex("80001f8880a1b2c3d4")), ber_int(3), ber_int(1200),
              ber(0x04, b"oracle"), ber(0x04, bytes(12)), ber(0x04, b""))
    scoped = seq(ber(0x04, bytes.fromhex("80001f8880a1b2c3d4")), ber(0x04, b""),
                 ber(0xA0, ber_int(77) + ber_int(0) + ber_int(0) +
                     varbinds(("1.3.6.1.2.1.1.5.0", NULL))))
    v3 = seq(ber_int(3), seq(ber_int(5), ber_int(65507), ber(0x04, b"\x05"), ber_int(3)),
             ber(0x04, usm), scoped)
    yield snmp4(v3)
    v3model = seq(ber_int(3), seq(ber_int(5), ber_int(65507), ber(0x04, b"\x00"), ber_int(2)),
                  ber(0x04, usm), scoped)
    yield snmp4(v3model)
    yield snmp4(ber(0x04, b"not a sequence"))
    yield snmp4(seq(ber_int(0), ber(0x04, b"public"), ber(0xA0, ber_int(1))))  # short PDU
    yield snmp4(snmp_msg(0, b"public", get)[:-3])                 # lengths past the data
    yield snmp4(seq(ber_int(0), ber(0x04, b"public")) + b"\x00\x00")  # extra after iSEQ
    yield snmp4(seq(ber_int(0), ber(0x04, b"pub"), ber(0x9F, b"\x85\x03\x01\x02")))  # Xtag


# -- ATM ARP (RFC 2225) -----------------------------------------------------------------
def atmarp_packets():
    src_atm = bytes.fromhex("47000580ffde000000000000000102030405060700")[:20]
    dst_atm = bytes.fromhex("4700058000000000000000000000000000000001")[:20]
    hdr = struct.pack("!HHBBHBBBB", 19, 0x0800, 20, 0, 1, 4, 20, 0, 4)
    body = src_atm + bytes([192, 0, 2, 10]) + dst_atm + bytes([192, 0, 2, 20])
    yield Ether(src="02:00:00:00:00:0a", dst="ff:ff:ff:ff:ff:ff", type=0x0806) / Raw(hdr + body)
    hdr = struct.pack("!HHBBHBBBB", 19, 0x0800, 20, 0, 2, 4, 0, 0, 4)
    body = src_atm + bytes([192, 0, 2, 10]) + bytes([192, 0, 2, 20])
    yield Ether(src="02:00:00:00:00:0a", dst="02:00:00:00:00:0b", type=0x0806) / Raw(hdr + body)
    hdr = struct.pack("!HHBBHBBBB", 19, 0x0800, 6, 2, 8, 4, 0, 0, 0)
    body = bytes(range(6)) + b"\xaa\xbb" + bytes([192, 0, 2, 10])
    yield Ether(src="02:00:00:00:00:0a", dst="02:00:00:00:00:0b", type=0x0806) / Raw(hdr + body)
    hdr = struct.pack("!HHBBHBBBB", 19, 0x0800, 0, 0, 10, 4, 0, 0, 4)
    yield Ether(src="02:00:00:00:00:0a", dst="02:00:00:00:00:0b", type=0x0806) / Raw(
        hdr + bytes([192, 0, 2, 10, 192, 0, 2, 20]))


# -- BSD loopback -----------------------------------------------------------------------
def null_frames():
    def fam(n: int, payload) -> bytes:
        return struct.pack("<I", n) + bytes(payload)
    yield fam(2, IP(src=A, dst=B) / UDP(sport=40000, dport=9999) / Raw(b"null"))
    yield fam(24, IPv6(src=A6, dst=B6) / ICMPv6EchoRequest(id=1, seq=1))
    yield fam(30, IPv6(src=A6, dst=B6) / ICMPv6EchoRequest(id=1, seq=2))
    yield struct.pack(">I", 2) + bytes(IP(src=A, dst=B) / ICMP(type=8, id=1, seq=3))
    yield fam(99, b"\x81\x02\x03\x04unknown family")
    yield b"\x02\x00"


def whole(packets):
    for pkt in packets:
        data = bytes(pkt)
        yield data, len(data)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    packets = [*tcp_packets(), *ip_option_packets(), *ip6_packets(), *icmp6_packets(),
               *snmp_packets(), *atmarp_packets()]
    write_pcap(out / "crafted2.pcap",
               [*whole(packets), *cut_tcp_frames(), *cut_ip_frames()])
    write_pcap(out / "crafted_null.pcap", [(f, len(f)) for f in null_frames()], linktype=0)
    # a file that ends 10 bytes into its third record's data
    write_pcap(out / "crafted_cut.pcap", list(whole(list(snmp_packets())[:3])))
    data = (out / "crafted_cut.pcap").read_bytes()
    first = 24 + 16 + len(bytes(list(snmp_packets())[0]))
    second = first + 16 + len(bytes(list(snmp_packets())[1]))
    (out / "crafted_cut.pcap").write_bytes(data[:second + 16 + 10])


if __name__ == "__main__":
    main()
