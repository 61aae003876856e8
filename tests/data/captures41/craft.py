"""Makes this folder's crafted captures with struct alone (run by record.sh):
crafted_vtp.pcap   Cisco VTP over 802.3/SNAP as a switch sends it (shaped after a VTPv2
                   domain's summary and subset advertisements: VLAN info fields with
                   their 1-byte TLVs, an advertisement request, a join) and malformed
                   ones (a domain length of 0, a TLV length of 2, a short PDU).
crafted_mpcp.pcap  IEEE 802.3 MAC control frames (ethertype 0x8808): an 802.3x PAUSE as
                   a switch port sends it, 802.1Qbb PFC (opcode 0x0101), EPON MPCP gate,
                   report and registration messages, and a frame cut short.
crafted_rtp.pcap   a G.711 call's RTP (a marker, an extension header, CSRCs, H.261) and
                   RTCP (sender report with SDES, receiver report, BYE, an unknown type,
                   one cut short) over UDP between two phones, an RTP v1 packet with
                   options and vat/vt audio: what `tcpdump -T rtp|rtcp|vat` decodes.
crafted_openflow.pcap  an Open vSwitch's OpenFlow 1.3 session with its controller on TCP
                   6653 (HELLOs with version bitmaps, echo, features, barrier, several
                   messages in a segment, one cut by the segment's end, bad lengths) and
                   OpenFlow 1.0 on 6633.
crafted_autorp.pcap  Cisco auto-RP on UDP 496 (a candidate RP announcement and a mapping
                   agent's discovery: PIM versions, negative and bidir group ranges, a
                   hold of 0 and a datagram cut short).
crafted_dvmrp.pcap  DVMRP inside IGMP (mrouted's probes with neighbours, route reports,
                   mrinfo's old and new neighbour replies with flags, prune, graft,
                   graft-ack, short and bad messages)."""
from __future__ import annotations

import struct
import sys
from pathlib import Path

SRC = bytes.fromhex("0019e7405c81")
CDP_DST = bytes.fromhex("01000ccccccc")


def pcap(frames: list[bytes], t0: int = 1700000000) -> bytes:
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1)
    for i, frame in enumerate(frames):
        out += struct.pack("<IIII", t0 + i, 1000 * i, len(frame), len(frame)) + frame
    return out


def snap(pid: int, payload: bytes) -> bytes:
    body = b"\xaa\xaa\x03" + b"\x00\x00\x0c" + struct.pack(">H", pid) + payload
    frame = CDP_DST + SRC + struct.pack(">H", len(body)) + body
    return frame + b"\x00" * max(0, 60 - len(frame))


def vtp_header(version: int, code: int, third: int, domain: bytes,
               dlen: int | None = None) -> bytes:
    return bytes([version, code, third, len(domain) if dlen is None else dlen]) + \
        domain.ljust(32, b"\x00")


def vlan(status: int, kind: int, vid: int, mtu: int, said: int, name: bytes,
         tlvs: bytes = b"") -> bytes:
    padded = name.ljust(4 * ((len(name) + 3) // 4), b"\x00")
    body = struct.pack(">BBBHHI", status, kind, len(name), vid, mtu, said) + padded + tlvs
    return bytes([len(body) + 1]) + body


def tlv(kind: int, value: int, words: int = 1) -> bytes:
    return bytes([kind, words]) + struct.pack(">H", value) + b"\x00" * (2 * (words - 1))


def vtp_frames() -> list[bytes]:
    dom = b"campus"
    summary = vtp_header(2, 1, 1, dom) + struct.pack(">I4s", 7, bytes([10, 0, 0, 11])) + \
        b"202311141200" + bytes.fromhex("c63f6029f7cc83e5746355850ce15de1")
    vlans = (vlan(0, 1, 1, 1500, 100001, b"default")
             + vlan(0, 1, 10, 1500, 100010, b"DATA")
             + vlan(1, 1, 20, 1500, 100020, b"VOICE")
             + vlan(0, 3, 1003, 4472, 101003, b"trcrf-default",
                    tlv(1, 0xCCC) + tlv(4, 1005) + tlv(7, 2) + tlv(8, 7) + tlv(9, 7)
                    + tlv(10, 0))
             + vlan(0, 5, 1005, 4472, 101005, b"trbrf-default",
                    tlv(2, 15) + tlv(3, 2) + tlv(6, 1))
             + vlan(0, 4, 1004, 1500, 101004, b"fddinet-default", tlv(3, 1) + tlv(11, 3)))
    subset = vtp_header(2, 2, 1, dom) + struct.pack(">I", 7) + vlans
    request = vtp_header(2, 3, 0, dom) + struct.pack(">I", 1)
    join = vtp_header(2, 4, 0, dom) + b"\x00" * 4
    no_domain = vtp_header(2, 1, 1, b"", 0) + b"\x00" * 40
    bad_tlv = vtp_header(1, 2, 2, dom) + struct.pack(">I", 8) + \
        vlan(0, 3, 1003, 4472, 101003, b"trcrf", tlv(1, 0xCCC, 2))
    short = vtp_header(2, 1, 1, dom)[:20]
    return [snap(0x2003, p) for p in (summary, subset, request, join, no_domain, bad_tlv,
                                      short)]


def macctrl(payload: bytes, src: bytes = bytes.fromhex("001b21a0b0c1")) -> bytes:
    frame = bytes.fromhex("0180c2000001") + src + b"\x88\x08" + payload
    return frame + b"\x00" * max(0, 60 - len(frame))


def mpcp_frames() -> list[bytes]:
    pause = struct.pack(">HH", 1, 0xFFFF)
    pfc = struct.pack(">HH8H", 0x0101, 0x0009, 0xFFFF, 0, 0, 0x0100, 0, 0, 0, 0)
    gate = struct.pack(">HIB", 2, 123456, 0x08 | 2) + struct.pack(">IH", 1000, 200) + \
        struct.pack(">IH", 5000, 300) + struct.pack(">H", 16)
    report = struct.pack(">HIB", 3, 777, 3) + bytes([0x05]) + struct.pack(">HH", 10, 20) + \
        bytes([0x80]) + struct.pack(">H", 30)
    reg_req = struct.pack(">HIBB", 4, 42, 1, 4)
    reg = struct.pack(">HIHBHB", 5, 43, 7, 3, 64, 4)
    reg_ack = struct.pack(">HIBHH", 6, 44, 1, 7, 64)
    frames = [macctrl(x) for x in (pause, pfc, gate, report, reg_req, reg, reg_ack)]
    frames.append(macctrl(b"")[:16])
    return frames


def cksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f">{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def udp4(src: str, dst: str, sport: int, dport: int, payload: bytes, ident: int = 1) -> bytes:
    saddr = bytes(int(x) for x in src.split("."))
    daddr = bytes(int(x) for x in dst.split("."))
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    pseudo = saddr + daddr + struct.pack(">BBH", 0, 17, len(udp))
    udp = udp[:6] + struct.pack(">H", cksum(pseudo + udp) or 0xFFFF) + udp[8:]
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0xB8, 20 + len(udp), ident, 0x4000, 64, 17, 0,
                     saddr, daddr)
    ip = ip[:10] + struct.pack(">H", cksum(ip)) + ip[12:]
    frame = bytes.fromhex("001b21a0b0c2") + bytes.fromhex("001b21a0b0c1") + b"\x08\x00" + ip + udp
    return frame + b"\x00" * max(0, 60 - len(frame))


def rtp(seq: int, ts: int, ssrc: int, pt: int = 0, marker: bool = False, payload: int = 160,
        ext: bytes = b"", csrcs: tuple[int, ...] = ()) -> bytes:
    first = 0x80 | (0x10 if ext else 0) | len(csrcs)
    head = struct.pack(">BBHII", first, pt | (0x80 if marker else 0), seq, ts, ssrc)
    head += b"".join(struct.pack(">I", c) for c in csrcs)
    return head + ext + bytes([0xD5]) * payload


def rtcp_sr(ssrc: int, count: int = 1) -> bytes:
    body = struct.pack(">IIIII", 3900000000, 0x80000000, 160000, 1000, 160000)
    rrs = b"".join(struct.pack(">IIIIII", 0xBEEF0000 + i, 0x01000005, 1234 + i, 17, 0x00010000,
                               0x00028000) for i in range(count))
    length = (8 + len(body) + len(rrs)) // 4 - 1
    return struct.pack(">BBHI", 0x80 | count, 200, length, ssrc) + body + rrs


def rtcp_sdes(ssrc: int, cname: bytes) -> bytes:
    item = struct.pack(">I", ssrc) + bytes([1, len(cname)]) + cname + b"\x00"
    item += b"\x00" * (-len(item) % 4)
    return struct.pack(">BBH", 0x81, 202, (4 + len(item)) // 4 - 1) + item


def rtp_frames() -> list[bytes]:
    a, b = "192.168.10.21", "192.168.10.22"
    frames = [udp4(a, b, 16384, 16386, rtp(100 + i, 8000 + 160 * i, 0x1234ABCD, marker=i == 0),
                   ident=10 + i) for i in range(3)]
    frames.append(udp4(b, a, 16386, 16384, rtp(7, 320, 0x5678, pt=8, ext=struct.pack(
        ">HHI", 0xBEDE, 1, 0x10FF0000), csrcs=(1, 2)), ident=20))
    frames.append(udp4(b, a, 16386, 16384, rtp(8, 480, 0x5678, pt=31, payload=8), ident=21))
    frames.append(udp4(a, b, 16385, 16387, rtcp_sr(0x1234ABCD) + rtcp_sdes(0x1234ABCD,
                                                                             b"alice@pbx"),
                       ident=30))
    frames.append(udp4(b, a, 16387, 16385, struct.pack(">BBHI", 0x82, 201, 13, 0x5678) + b"".join(
        struct.pack(">IIIIII", 0x1234ABCD + i, 2, 2000, 40, 0x00008000, 0x00004000)
        for i in range(2)), ident=31))
    frames.append(udp4(b, a, 16387, 16385, struct.pack(">BBHI", 0x81, 203, 1, 0x5678)
                       + struct.pack(">BBHI", 0x80, 204, 2, 0x5678) + b"abcd", ident=32))
    frames.append(udp4(a, b, 16385, 16387, rtcp_sr(0x1234ABCD, 2)[:40], ident=33))
    v1 = struct.pack(">II", 0x40800000 | (5 << 16) | 99, 123456) + \
        struct.pack(">II", 0x80020000, 0) + bytes(12)
    frames.append(udp4(a, b, 3456, 3456, v1, ident=40))
    frames.append(udp4(a, b, 3456, 3456, struct.pack(">HH", 0x0402, 0) + bytes(8), ident=41))
    frames.append(udp4(a, b, 3456, 3456, struct.pack(">II", 0x05930042, 77) + bytes(4), ident=42))
    frames.append(udp4(a, b, 16384, 16386, b"\x80\x00\x00\x01", ident=43))
    return frames


def tcp4(src: str, dst: str, sport: int, dport: int, seq: int, ack: int, payload: bytes,
         ident: int = 1) -> bytes:
    saddr = bytes(int(x) for x in src.split("."))
    daddr = bytes(int(x) for x in dst.split("."))
    tcp = struct.pack(">HHIIBBHHH", sport, dport, seq, ack, 0x50, 0x18, 502, 0, 0) + payload
    pseudo = saddr + daddr + struct.pack(">BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack(">H", cksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(tcp), ident, 0x4000, 64, 6, 0,
                     saddr, daddr)
    ip = ip[:10] + struct.pack(">H", cksum(ip)) + ip[12:]
    frame = bytes.fromhex("001b21a0b0c2") + bytes.fromhex("001b21a0b0c1") + b"\x08\x00" + ip + tcp
    return frame + b"\x00" * max(0, 60 - len(frame))


def ofp(version: int, kind: int, xid: int, body: bytes = b"", length: int | None = None) -> bytes:
    return struct.pack(">BBHI", version, kind, 8 + len(body) if length is None else length,
                       xid) + body


def openflow_frames() -> list[bytes]:
    sw, ctl = "10.0.0.2", "10.0.0.100"
    seq = {"s": 1000, "c": 5000}
    frames = []

    def send(who: str, payload: bytes, port: int = 6653) -> None:
        src, dst = (sw, ctl) if who == "s" else (ctl, sw)
        sport, dport = (41000, port) if who == "s" else (port, 41000)
        other = "c" if who == "s" else "s"
        frames.append(tcp4(src, dst, sport, dport, seq[who], seq[other], payload,
                           ident=len(frames) + 1))
        seq[who] += len(payload)

    send("s", ofp(4, 0, 1, struct.pack(">HHI", 1, 8, 0x12)))
    send("c", ofp(4, 0, 2, struct.pack(">HHI", 1, 8, 0x10)))
    send("c", ofp(4, 5, 3))
    send("s", ofp(4, 6, 3, struct.pack(">QIBB2xII", 1, 256, 254, 0, 0x4F, 0)))
    send("c", ofp(4, 2, 4, b"ping") + ofp(4, 20, 5))
    send("s", ofp(4, 3, 4, b"ping") + ofp(4, 21, 5))
    send("c", ofp(4, 20, 6, b"xx"))
    send("s", ofp(4, 0, 7, struct.pack(">HHI", 1, 12, 0x12), length=16) + ofp(4, 99, 8)
         + ofp(4, 2, 9, length=4))
    send("c", ofp(4, 2, 10, b"0123456789", length=30))
    send("s", ofp(4, 0, 11)[:5])
    send("c", ofp(1, 0, 1), port=6633)
    send("s", ofp(1, 5, 2) + ofp(1, 18, 3) + ofp(1, 19, 3), port=6633)
    send("c", ofp(1, 2, 4, b"abcdef") + ofp(7, 0, 5), port=6633)
    return frames


def autorp_frames() -> list[bytes]:
    rp1, rp2 = bytes([10, 1, 1, 1]), bytes([10, 2, 2, 2])
    announce = struct.pack(">BBHI", 0x11, 1, 181, 0) + rp1 + bytes([0x03, 2]) + \
        bytes([0, 4]) + bytes([224, 0, 0, 0]) + bytes([1, 8]) + bytes([239, 0, 0, 0])
    mapping = struct.pack(">BBHI", 0x12, 2, 0, 0) + rp1 + bytes([0x02, 1]) + \
        bytes([0x02, 8]) + bytes([239, 1, 0, 0]) + rp2 + bytes([0x05, 1]) + \
        bytes([0x04, 16]) + bytes([239, 2, 0, 0])
    odd = struct.pack(">BBHI", 0x13, 1, 60, 0) + rp2 + bytes([0x00, 2]) + bytes([0, 4])
    return [udp4("10.1.1.1", "224.0.1.39", 496, 496, announce, ident=1),
            udp4("10.3.3.3", "224.0.1.40", 496, 496, mapping, ident=2),
            udp4("10.3.3.3", "224.0.1.40", 496, 496, odd, ident=3),
            udp4("10.3.3.3", "224.0.1.40", 496, 496, b"\x11\x00\x00", ident=4)]


def igmp4(src: str, dst: str, igmp: bytes, ident: int) -> bytes:
    saddr = bytes(int(x) for x in src.split("."))
    daddr = bytes(int(x) for x in dst.split("."))
    igmp = igmp[:2] + struct.pack(">H", cksum(igmp[:2] + b"\x00\x00" + igmp[4:])) + igmp[4:]
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(igmp), ident, 0, 1, 2, 0, saddr,
                     daddr)
    ip = ip[:10] + struct.pack(">H", cksum(ip)) + ip[12:]
    frame = bytes.fromhex("01005e000004") + bytes.fromhex("001b21a0b0c1") + b"\x08\x00" + ip + igmp
    return frame + b"\x00" * max(0, 60 - len(frame))


def dvmrp(code: int, body: bytes, minor: int = 0xFF, major: int = 3) -> bytes:
    return struct.pack(">BBHHBB", 0x13, code, 0, 0, minor, major) + body


def dvmrp_frames() -> list[bytes]:
    a, b, c = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]), bytes([10, 0, 1, 2])
    g = bytes([239, 1, 2, 3])
    bodies = [
        dvmrp(1, struct.pack(">I", 123456) + b + c),
        dvmrp(2, bytes([255, 255, 0]) + bytes([10, 0, 1, 0x83]) + bytes([255, 0, 0])
              + bytes([10, 5]) + bytes([172, 0x82])),
        dvmrp(4, a + bytes([1, 1, 2]) + b + c),
        dvmrp(6, a + bytes([1, 1, 0x41, 1]) + b + c + bytes([2, 16, 0x32, 1]) + a),
        dvmrp(7, a + g + struct.pack(">I", 7200)),
        dvmrp(8, a + g),
        dvmrp(9, a + g),
        dvmrp(3, b""),
        dvmrp(2, bytes([255, 255, 0]) + bytes([10, 0])),
        dvmrp(6, a + bytes([1, 1, 0, 3]) + b),
        dvmrp(12, b"abcd"),
        struct.pack(">BBH", 0x13, 1, 0),
    ]
    return [igmp4("10.0.0.1", "224.0.0.4", body, i + 1) for i, body in enumerate(bodies)]


def main(out: Path) -> None:
    (out / "crafted_dvmrp.pcap").write_bytes(pcap(dvmrp_frames()))
    (out / "crafted_autorp.pcap").write_bytes(pcap(autorp_frames()))
    (out / "crafted_openflow.pcap").write_bytes(pcap(openflow_frames()))
    (out / "crafted_rtp.pcap").write_bytes(pcap(rtp_frames()))
    (out / "crafted_vtp.pcap").write_bytes(pcap(vtp_frames()))
    (out / "crafted_mpcp.pcap").write_bytes(pcap(mpcp_frames()))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
