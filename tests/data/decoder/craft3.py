"""Crafts the third pass's decoder capture with struct alone (no scapy needed).

    python tests/data/decoder/craft3.py DIR

writes DIR/crafted3.pcap (Ethernet): what a Linux lab puts on the wire beside pings:
IGMP v1/v2/v3 reports, leaves and queries (as igmp.c sends them: router alert option,
224.0.0.22), MLDv1 and MLDv2 reports, done and queries (router alert hop-by-hop header), spanning tree BPDUs as br_stp_bpdu.c sends them (802.1d config and
topology change, 802.1w RSTP, MSTP), other LLC frames (XID, TEST, I and S frames),
SNAP-encapsulated IP and ARP, GRE (key, sequence, checksum; IP, IPv6 and Ethernet
inside), IPIP, SIT, VXLAN, 802.1Q and QinQ tags, HTTP requests and replies over TCP, VRRP v2/v3 (keepalived),
ESP and AH, DHCPv6 solicit and advertise.
record.sh stores what the real tcpdump prints for each under the tests' flag sets.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

M1, M2 = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")
BR = bytes.fromhex("020000000010")
STP_MC = bytes.fromhex("0180c2000000")
A, B = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
T0 = 1700000000


def csum(data: bytes) -> int:
    if len(data) & 1:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(src: bytes, dst: bytes, proto: int, payload: bytes, ttl: int = 64,
         options: bytes = b"", ident: int = 0x1234, tos: int = 0) -> bytes:
    ihl = 5 + len(options) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, ihl * 4 + len(payload), ident, 0x4000,
                      ttl, proto, 0, src, dst) + options
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src: bytes, dst: bytes, nh: int, payload: bytes, hlim: int = 64) -> bytes:
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, hlim, src, dst) + payload


def eth(payload: bytes, etype: int = 0x0800, src: bytes = M1, dst: bytes = M2) -> bytes:
    return dst + src + struct.pack("!H", etype) + payload


def dot3(payload: bytes, src: bytes = BR, dst: bytes = STP_MC) -> bytes:
    """An 802.3 frame: the length field, then LLC; padded to 60 bytes as on the wire."""
    frame = dst + src + struct.pack("!H", len(payload)) + payload
    return frame + bytes(max(0, 60 - len(frame)))


def icmp_echo(ident: int = 7, seq: int = 1, data: bytes = b"abcdefgh") -> bytes:
    body = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    return body[:2] + struct.pack("!H", csum(body)) + body[4:]


def udp(sport: int, dport: int, payload: bytes) -> bytes:
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp(src: bytes, dst: bytes, sport: int, dport: int, flags: int, payload: bytes,
        seq: int = 1000, ack: int = 2000) -> bytes:
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 64240, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(hdr) + len(payload))
    c = csum(pseudo + hdr + payload)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:] + payload


def igmp(kind: int, mrt: int, group: bytes, extra: bytes = b"") -> bytes:
    body = struct.pack("!BBH4s", kind, mrt, 0, group) + extra
    return body[:2] + struct.pack("!H", csum(body)) + body[4:]


RA = bytes([0x94, 0x04, 0, 0])      # router alert, as igmp.c sets on every report


def igmp_packets():
    g = bytes([239, 1, 1, 1])
    yield eth(ipv4(A, g, 2, igmp(0x16, 0, g), ttl=1, options=RA, tos=0xC0))   # v2 report
    yield eth(ipv4(A, bytes([224, 0, 0, 2]), 2, igmp(0x17, 0, g), ttl=1, options=RA))  # leave
    yield eth(ipv4(A, g, 2, igmp(0x12, 0, g), ttl=1))                          # v1 report
    # v3 report (igmpv3_newpack()): to_ex with no sources, then allow with two
    recs = struct.pack("!BBH4s", 4, 0, 0, g) + struct.pack("!BBH4s", 5, 0, 2, bytes(
        [239, 2, 2, 2])) + A + B
    v3 = struct.pack("!BBHHH", 0x22, 0, 0, 0, 2) + recs
    v3 = v3[:2] + struct.pack("!H", csum(v3)) + v3[4:]
    yield eth(ipv4(A, bytes([224, 0, 0, 22]), 2, v3, ttl=1, options=RA, tos=0xC0))
    # queries: v1, v2 general, v2 group-specific, v3 general, v3 with sources
    allh = bytes([224, 0, 0, 1])
    yield eth(ipv4(B, allh, 2, igmp(0x11, 0, bytes(4)), ttl=1))
    yield eth(ipv4(B, allh, 2, igmp(0x11, 100, bytes(4)), ttl=1, options=RA))
    yield eth(ipv4(B, g, 2, igmp(0x11, 10, g), ttl=1, options=RA))
    yield eth(ipv4(B, allh, 2, igmp(0x11, 100, bytes(4), struct.pack("!BBH", 2, 125, 0)),
                   ttl=1, options=RA))
    yield eth(ipv4(B, g, 2, igmp(0x11, 0x8C, g, struct.pack("!BBH", 2, 125, 1) + A),
                   ttl=1, options=RA))
    bad = bytearray(igmp(0x16, 0, g))
    bad[2] ^= 0xFF
    yield eth(ipv4(A, g, 2, bytes(bad), ttl=1, options=RA))                     # bad checksum


def bpdu_config(flags: int = 0, version: int = 0, btype: int = 0, root_prio: int = 0x8000,
                cost: int = 0, port: int = 0x8001, age: int = 0) -> bytes:
    """br_send_config_bpdu(): 802.1d config BPDU (35 bytes), timers in 1/256 s."""
    root = struct.pack("!H", root_prio) + BR
    return struct.pack("!HBBB8sI8sHHHHH", 0, version, btype, flags, root, cost, root, port,
                       age * 256, 20 * 256, 2 * 256, 15 * 256)


def stp_packets():
    llc = bytes([0x42, 0x42, 0x03])
    yield dot3(llc + bpdu_config())                                   # 802.1d config
    yield dot3(llc + bpdu_config(flags=0x81, cost=100, age=1))        # TC + TC ACK
    yield dot3(llc + struct.pack("!HBB", 0, 0, 0x80))                 # topology change
    yield dot3(llc + bpdu_config(flags=0x7C, version=2, btype=2) + b"\0")   # RSTP
    yield dot3(llc + bpdu_config(flags=0x3C, version=2, btype=2) + b"\0")
    # MSTP: a CIST and one MSTI
    mst = bpdu_config(flags=0x3C, version=3, btype=2) + b"\0" + struct.pack("!H", 64 + 16)
    mst += b"\0" + b"region1".ljust(32, b"\0") + struct.pack("!H", 3) + bytes(range(16))
    mst += struct.pack("!I", 20000) + struct.pack("!H", 0x8000) + BR + b"\x14"
    mst += bytes([0x7C]) + struct.pack("!H", 0x8001) + BR + struct.pack("!I", 200) + bytes(
        [0x80, 0x80, 0x13])
    yield dot3(llc + mst)
    yield dot3(llc + struct.pack("!HBB", 1, 0, 0))                    # unknown version
    yield dot3(llc + struct.pack("!HBB", 0, 9, 0))                    # unknown protocol
    yield dot3(llc + bpdu_config()[:20])                              # short config: invalid
    # PVST+ (Cisco SNAP) and an 802.1Q-tagged one
    yield dot3(bytes([0xAA, 0xAA, 0x03, 0, 0, 0x0C, 0x01, 0x0B]) + bpdu_config(),
               dst=bytes.fromhex("01000ccccccd"))


def llc_packets():
    yield dot3(bytes([0x42, 0x43, 0xAF, 0x81, 0x01, 0x00]))           # XID, response
    yield dot3(bytes([0x00, 0x01, 0xF3]) + b"test")                   # TEST with poll
    yield dot3(bytes([0x04, 0x04, 0x0A, 0x03]) + b"data")             # I frame
    yield dot3(bytes([0x04, 0x05, 0x01, 0x05]))                       # S frame, RR
    yield dot3(bytes([0x06, 0x06, 0x03]) + ipv4(A, B, 1, icmp_echo()), dst=M2)  # IP over LLC
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, M1, A, bytes(6), B)
    yield dot3(bytes([0xAA, 0xAA, 0x03, 0, 0, 0, 0x08, 0x06]) + arp, src=M1,
               dst=b"\xff" * 6)                                        # SNAP ARP
    yield dot3(bytes([0xAA, 0xAA, 0x03, 0x00, 0x12, 0x34, 0x56, 0x78]) + b"xx", src=M1)
    yield dot3(bytes([0x42]), src=M1)                                  # cut LLC


def tunnel_packets():
    inner = ipv4(bytes([192, 168, 100, 1]), bytes([192, 168, 100, 2]), 1, icmp_echo())
    ll6a, ll6b = bytes.fromhex("20010db8000000000000000000000001"), bytes.fromhex(
        "20010db8000000000000000000000002")
    echo6 = bytes([128, 0, 0, 0, 0, 7, 0, 1]) + b"abcdefgh"
    sum6 = csum(ll6a + ll6b + struct.pack("!IxxxB", len(echo6), 58) + echo6)
    inner6 = ipv6(ll6a, ll6b, 58, echo6[:2] + struct.pack("!H", sum6) + echo6[4:])
    yield eth(ipv4(A, B, 47, struct.pack("!HH", 0, 0x0800) + inner))           # plain GRE
    yield eth(ipv4(A, B, 47, struct.pack("!HHI", 0x2000, 0x0800, 42) + inner))  # key
    yield eth(ipv4(A, B, 47, struct.pack("!HHII", 0x3000, 0x0800, 42, 7) + inner))
    yield eth(ipv4(A, B, 47, struct.pack("!HHHH", 0x8000, 0x0800, 0x1234, 0) + inner))
    yield eth(ipv4(A, B, 47, struct.pack("!HH", 0, 0x86DD) + inner6))
    yield eth(ipv4(A, B, 47, struct.pack("!HH", 0, 0x6558) + eth(inner)))     # gretap
    yield eth(ipv4(A, B, 4, inner))                                            # ipip
    yield eth(ipv4(A, B, 41, inner6))                                          # sit
    vx = struct.pack("!II", 0x08000000, 42 << 8) + eth(inner)
    yield eth(ipv4(A, B, 17, udp(43210, 4789, vx)))                            # vxlan
    yield eth(struct.pack("!HH", 10, 0x0800) + ipv4(A, B, 1, icmp_echo()), etype=0x8100)
    yield eth(struct.pack("!HH", 0x2000 | 20, 0x8100) + struct.pack("!HH", 30, 0x0806) +
              struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, M1, A, bytes(6), B),
              etype=0x88A8)                                                    # QinQ ARP


def http_packets():
    req = b"GET /index.html HTTP/1.1\r\nHost: 10.0.0.2\r\nUser-Agent: curl/7.88.1\r\n" \
          b"Accept: */*\r\n\r\n"
    yield eth(ipv4(A, B, 6, tcp(A, B, 40000, 80, 0x18, req)))
    resp = b"HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\n" \
           b"Content-type: text/html\r\nContent-Length: 5\r\n\r\nhello"
    yield eth(ipv4(B, A, 6, tcp(B, A, 80, 40000, 0x18, resp, seq=2000, ack=1095)), src=M2,
              dst=M1)
    yield eth(ipv4(A, B, 6, tcp(A, B, 40002, 8080, 0x18, b"POST /api HTTP/1.1\r\n\r\n")))
    yield eth(ipv4(A, B, 6, tcp(A, B, 40004, 80, 0x18, b"no http here\r\n")))


def icmp6(src: bytes, dst: bytes, body: bytes, hbh_ra: bool = True) -> bytes:
    """An ICMPv6 message with its checksum, behind a hop-by-hop router alert (as
    mld_newpack() and igmp6_send() build MLD), hop limit 1."""
    s = csum(src + dst + struct.pack("!IxxxB", len(body), 58) + body)
    body = body[:2] + struct.pack("!H", s) + body[4:]
    if hbh_ra:
        return ipv6(src, dst, 0, bytes([58, 0, 5, 2, 0, 0, 1, 0]) + body, hlim=1)
    return ipv6(src, dst, 58, body, hlim=1)


def mld_packets():
    ll = bytes.fromhex("fe800000000000000000000000000001")
    grp = bytes.fromhex("ff020000000000000000000000000fb0")
    sol = bytes.fromhex("ff0200000000000000000001ff000001")
    src2 = bytes.fromhex("20010db8000000000000000000000002")
    allr = bytes.fromhex("ff020000000000000000000000000016")
    alln = bytes.fromhex("ff020000000000000000000000000001")
    e6 = lambda pkt, dst: eth(pkt, etype=0x86DD, dst=bytes([0x33, 0x33]) + dst[12:])
    yield e6(icmp6(ll, grp, struct.pack("!BBHHH16s", 131, 0, 0, 0, 0, grp)), grp)   # v1 report
    yield e6(icmp6(ll, alln[:15] + b"\x02", struct.pack("!BBHHH16s", 132, 0, 0, 0, 0, grp)),
             alln[:15] + b"\x02")                                                # done
    yield e6(icmp6(ll, alln, struct.pack("!BBHHH16s", 130, 0, 0, 10000, 0, bytes(16))),
             alln)                                                            # v1 query
    q2 = struct.pack("!BBHHH16sBBH", 130, 0, 0, 10000, 0, bytes(16), 2, 125, 0)
    yield e6(icmp6(ll, alln, q2), alln)                                      # v2 general query
    q2s = struct.pack("!BBHHH16sBBH", 130, 0, 0, 1000, 0, grp, 2, 125, 1) + src2
    yield e6(icmp6(ll, grp, q2s), grp)                                       # v2 with a source
    # v2 reports (mld_newpack()): from :: while tentative, change-to-exclude records
    recs = struct.pack("!BBH16s", 4, 0, 0, sol) + struct.pack("!BBH16s", 3, 0, 1, grp) + src2
    rep = struct.pack("!BBHHH", 143, 0, 0, 0, 2) + recs
    yield e6(icmp6(bytes(16), allr, rep), allr)
    yield e6(icmp6(ll, allr, struct.pack("!BBHHH", 143, 0, 0, 0, 1) +
                   struct.pack("!BBH16s", 1, 0, 0, sol)), allr)


def vrrp_ipsec_packets():
    vmac = bytes.fromhex("00005e000101")
    vr = bytes([224, 0, 0, 18])
    v2 = struct.pack("!BBBBBBH", 0x21, 51, 100, 1, 0, 1, 0) + bytes([10, 0, 0, 254]) + bytes(8)
    v2 = v2[:6] + struct.pack("!H", csum(v2)) + v2[8:]
    yield eth(ipv4(A, vr, 112, v2, ttl=255, tos=0xC0), src=vmac, dst=bytes.fromhex(
        "01005e000012"))                                              # keepalived VRRPv2
    v2p = bytearray(v2)
    v2p[4] = 1
    v2p[8 + 4:8 + 4 + 8] = b"secret\0\0"
    v2p[6:8] = b"\0\0"
    v2p[6:8] = struct.pack("!H", csum(bytes(v2p)))
    yield eth(ipv4(A, vr, 112, bytes(v2p), ttl=64), src=vmac)         # simple auth, ttl 64
    v3 = struct.pack("!BBBBHH", 0x31, 51, 150, 2, 100, 0) + bytes([10, 0, 0, 254, 10, 0, 0, 253])
    s3 = csum(A + vr + struct.pack("!BBH", 0, 112, len(v3)) + v3)
    v3 = v3[:6] + struct.pack("!H", s3) + v3[8:]
    yield eth(ipv4(A, vr, 112, v3, ttl=255), src=vmac)                # VRRPv3, 2 addresses
    yield eth(ipv4(A, vr, 112, v3[:6] + b"\x12\x34" + v3[8:], ttl=255), src=vmac)   # bad sum
    yield eth(ipv4(A, B, 50, struct.pack("!II", 0x1000, 7) + bytes(48)))              # ESP
    ah = struct.pack("!BBHII", 1, 4, 0, 0x2000, 9) + bytes(range(12))
    yield eth(ipv4(A, B, 51, ah + icmp_echo()))                       # AH, then ICMP


def dhcp6_packets():
    """A solicit (dhclient -6: DUID-LLT, ORO, elapsed time, IA_NA) and an advertise
    (dnsmasq: server-ID, IA_NA with an address, DNS servers and search list)."""
    ll1 = bytes.fromhex("fe800000000000000000000000000001")
    ll2 = bytes.fromhex("fe800000000000000000000000000002")
    alld = bytes.fromhex("ff020000000000000000000000010002")
    opt = lambda code, data: struct.pack("!HH", code, len(data)) + data
    duid = struct.pack("!HHI", 1, 1, 0x2A000000) + M1
    sol = bytes([1, 0x12, 0x34, 0x56]) + opt(1, duid) + opt(6, struct.pack("!HH", 23, 24)) + \
        opt(8, struct.pack("!H", 0)) + opt(3, struct.pack("!III", 7, 0, 0))
    yield eth(ipv6(ll1, alld, 17, udp(546, 547, sol), hlim=1), etype=0x86DD,
              dst=bytes.fromhex("333300010002"))
    addr = bytes.fromhex("20010db8000000000000000000000100")
    ia = opt(3, struct.pack("!III", 7, 1800, 2880) + opt(5, addr + struct.pack("!II", 3600, 7200)))
    adv = bytes([2, 0x12, 0x34, 0x56]) + opt(1, duid) + opt(2, struct.pack("!H", 3) + b"\x00\x01" + M2) + \
        ia + opt(23, addr) + opt(24, b"\x03lab\x07example\x00") + opt(13, struct.pack("!H", 0) + b"ok")
    yield eth(ipv6(ll2, ll1, 17, udp(547, 546, adv), hlim=64), etype=0x86DD, src=M2, dst=M1)


def write_pcap(path: Path, frames) -> None:
    out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    for i, frame in enumerate(frames):
        out += struct.pack("<IIII", T0 + i, 1000 * i, len(frame), len(frame)) + frame
    path.write_bytes(bytes(out))


def main() -> None:
    here = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)
    frames = [*igmp_packets(), *stp_packets(), *llc_packets(), *tunnel_packets(),
              *http_packets(), *mld_packets(), *vrrp_ipsec_packets(),
              *dhcp6_packets()]
    write_pcap(here / "crafted3.pcap", frames)


if __name__ == "__main__":
    main()
