"""Makes this folder's crafted captures with struct alone (run by record.sh):

crafted_osi.pcap: OSI frames over 802.3/LLC (SAPs 0xfe) as a router lab's CLNP and
ES-IS traffic looks: CLNP echo request and response with segmentation and options
(QoS maintenance, security, priority, padding, route recording), an error report
carrying the original PDU, data with a right and a wrong checksum; ES-IS ESH with
two NETs and its options, ISH, a redirect; a short and a bad-version PDU.

crafted_cfm.pcap: Ethernet CFM (802.1ag) as `ip link`-built test benches and switch
labs send it: CCMs at each interval with character, DNS, MAC and 802.1 MD names and
string, VID and integer MA names, the RDI flag, port and interface status TLVs;
loopback message and reply with data TLVs; linktrace message and reply with sender
ID (MAC, network address, local chassis IDs, management address), reply ingress and
organisation-specific TLVs; a VLAN-tagged CCM and one on the old ethertype 0xabcd.

crafted_rpki.pcap: an RPKI cache (TCP 323, RFC 6810/8210) answering a router as
Routinator and FRR's bgpd do: reset query, cache response, IPv4 and IPv6 prefixes,
end of data, serial notify and query, cache reset, an error report carrying the PDU
it refuses and its text, a PDU of an unknown type and a length it cannot hold.

crafted_olsr.pcap: olsrd's UDP 698 packets on a mesh of OpenWrt nodes: HELLO with
link and neighbour types, TC, MID, HNA (a smart gateway among the networks) and name
service messages over IPv4, HELLO-LQ/TC-LQ, MID and HNA over IPv6.

crafted_aoe.pcap: ATA over Ethernet between aoe-discover and vblade (ethertype 0x88a2):
query config broadcast and answer with its config string, ATA identify and read
commands and their responses with data, MAC mask list, reserve/release, an error.

crafted_isis_te.pcap: an IS-IS L2 LSP of an MPLS-TE lab (FRR's isisd with mpls-te on):
extended IS reachability whose sub-TLVs carry the TE link attributes (admin group,
addresses, bandwidths, TE metric, protection, switching capabilities, bandwidth
constraints), router capability with SR, hostname, TE router ID, a last TLV cut short.

crafted_ipcomp.pcap: IPComp (IP protocol 108) as `ip xfrm state add ... comp deflate`
tunnels send it, over IPv4 and IPv6, and one cut short.

crafted_mpls.pcap: a Linux MPLS lab's frames (`ip -f mpls route`, ping and
traceroute through label-switching routers): one and two labels over IPv4 ICMP and
UDP, a label over IPv6, a multicast-MPLS frame and plain IPv4 beside them.
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


CFM_DST = bytes.fromhex("0180c2000033")


def cfm_frame(body: bytes, level: int = 3, ethertype: int = 0x8902, vlan: int = 0) -> bytes:
    tag = struct.pack("!HH", 0x8100, vlan) if vlan else b""
    return CFM_DST + SRC_MAC + tag + struct.pack("!H", ethertype) + body


def cfm(level: int, opcode: int, flags: int, first_tlv: int, msg: bytes, tlvs: bytes) -> bytes:
    return bytes([level << 5, opcode, flags, first_tlv]) + msg + tlvs


def ccm(seq: int, mep: int, md: tuple[int, bytes] | None, ma: tuple[int, bytes]) -> bytes:
    names = b""
    if md is None:
        names += b"\x01"
    else:
        names += bytes([md[0], len(md[1])]) + md[1]
    names += bytes([ma[0], len(ma[1])]) + ma[1]
    names = names.ljust(48, b"\x00")
    return struct.pack("!IH", seq, mep) + names + bytes(16)


def sender_id(ctype: int, chassis: bytes, domain: bytes = b"", addr: bytes = b"") -> bytes:
    """A Sender ID TLV: chassis ID, then the management address domain and address."""
    body = bytes([len(chassis), ctype]) + chassis
    if domain:
        body += bytes([len(domain)]) + domain + bytes([len(addr)]) + addr
    return b"\x01" + struct.pack("!H", len(body)) + body


def cfm_packets() -> list[bytes]:
    end = b"\x00"
    status = b"\x02\x00\x01\x02" + b"\x04\x00\x01\x01"     # port up, interface up
    frames = [
        cfm_frame(cfm(3, 1, 0x04, 70, ccm(1, 101, (4, b"lab-md"), (2, b"vlan100-ma")),
                      status + end)),
        cfm_frame(cfm(3, 1, 0x84, 70, ccm(2, 102, (2, b"example.net"), (1, b"\x00\x64")),
                      end)),
        cfm_frame(cfm(5, 1, 0x01, 70, ccm(3, 7, (3, bytes.fromhex("020000000001") + b"\x00\x05"),
                                          (3, b"\x01\x2c")), b"\x03\x00\x01\x07" + end)),
        cfm_frame(cfm(7, 1, 0x07, 70, ccm(4, 8, None, (2, b"no-md")), end)),
        cfm_frame(cfm(2, 1, 0x03, 70, ccm(5, 9, (0, b"\x11\x22"), (4, bytes(7))), end)),
        cfm_frame(cfm(3, 3, 0x00, 4, struct.pack("!I", 0x1000),
                      b"\x03\x00\x06" + b"ping!!" + end)),
        cfm_frame(cfm(3, 2, 0x00, 4, struct.pack("!I", 0x1000),
                      b"\x03\x00\x06" + b"ping!!" + end)),
        cfm_frame(cfm(4, 5, 0x80, 17, struct.pack("!IB", 0x2000, 64)
                      + bytes.fromhex("020000000001") + bytes.fromhex("020000000002"),
                      b"\x07\x00\x09\x04\x06" + bytes.fromhex("02000000000a") + b"\x00"
                      + end)),
        cfm_frame(cfm(4, 4, 0x60, 6, struct.pack("!IBB", 0x2000, 63, 1),
                      sender_id(5, b"\x01" + bytes([10, 0, 0, 1]), b"\x2b\x06\x01",
                                bytes([10, 0, 0, 2]))
                      + b"\x05\x00\x07\x01" + bytes.fromhex("02000000000b")
                      + b"\x1f\x00\x06\x00\x12\x0f\x01\xaa\xbb" + end)),
        cfm_frame(cfm(4, 4, 0x20, 6, struct.pack("!IBB", 0x2001, 62, 2),
                      sender_id(7, b"sw1-lab") + sender_id(4, bytes.fromhex("02000000000c"))
                      + sender_id(5, b"\x02" + bytes(15) + b"\x01") + end)),
        cfm_frame(cfm(1, 1, 0x04, 70, ccm(6, 10, (4, b"md"), (2, b"tagged")), end), vlan=100),
        cfm_frame(cfm(3, 1, 0x04, 70, ccm(7, 11, (4, b"old"), (2, b"abcd")), end),
                  ethertype=0xABCD),
        cfm_frame(cfm(3, 9, 0x00, 0, b"", end)),
        cfm_frame(bytes([0x61, 1, 0, 0])),
    ]
    return frames


def inet_sum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def tcp_frame(src: bytes, dst: bytes, sport: int, dport: int, seq: int, ack: int,
              payload: bytes) -> bytes:
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, 0x18, 502, 0, 0) + payload
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", inet_sum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", inet_sum(ip)) + ip[12:]
    return bytes.fromhex("02000000000b") + SRC_MAC + b"\x08\x00" + ip + tcp


def rtr(ptype: int, field: int, body: bytes = b"", version: int = 0) -> bytes:
    return struct.pack("!BBHI", version, ptype, field, 8 + len(body)) + body


def rpki_packets() -> list[bytes]:
    cache, router = bytes([192, 0, 2, 10]), bytes([192, 0, 2, 1])
    v4 = rtr(4, 0, struct.pack("!BBBB4sI", 1, 24, 24, 0, bytes([203, 0, 113, 0]), 64500))
    v6 = rtr(6, 0, struct.pack("!BBBB16sI", 1, 32, 48, 0,
                               bytes.fromhex("20010db8" + "00" * 12), 64501))
    err = rtr(10, 5, struct.pack("!I", 8) + rtr(9, 0) + struct.pack("!I", 11) + b"bad PDU 9!?")
    flows = [
        (router, cache, 40000, 323, rtr(2, 0)),
        (cache, router, 323, 40000, rtr(3, 0x1a2b) + v4 + v6
         + rtr(7, 0x1a2b, struct.pack("!IIII", 42, 3600, 600, 7200))),
        (cache, router, 323, 40000, rtr(0, 0x1a2b, struct.pack("!I", 43))),
        (router, cache, 40000, 323, rtr(1, 0x1a2b, struct.pack("!I", 42))),
        (cache, router, 323, 40000, rtr(8, 0)),
        (cache, router, 323, 40000, err),
        (cache, router, 323, 40000, rtr(11, 0, b"\x01\x02\x03\x04")),
        (cache, router, 323, 40000, rtr(7, 0x1a2b, struct.pack("!I", 44))),
        (router, cache, 40000, 323, struct.pack("!BBHI", 0, 2, 0, 64) + bytes(4)),
    ]
    seq = {40000: 1000, 323: 5000}
    frames = []
    for src, dst, sport, dport, payload in flows:
        frames.append(tcp_frame(src, dst, sport, dport, seq[sport], seq[dport], payload))
        seq[sport] += len(payload)
    return frames


def ipv4(proto: int, src: bytes, dst: bytes, payload: bytes) -> bytes:
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 7, 0x4000, 63, proto, 0,
                     src, dst)
    return ip[:10] + struct.pack("!H", inet_sum(ip)) + ip[12:] + payload


def labels(*stack: tuple[int, int]) -> bytes:
    out = b""
    for i, (label, ttl) in enumerate(stack):
        out += struct.pack("!I", label << 12 | (1 << 8 if i == len(stack) - 1 else 0) | ttl)
    return out


def mpls_packets() -> list[bytes]:
    a, b = bytes([10, 0, 1, 1]), bytes([10, 0, 3, 3])
    icmp = b"\x08\x00\x00\x00\x12\x34\x00\x01" + b"abcdefgh"
    icmp = icmp[:2] + struct.pack("!H", inet_sum(icmp)) + icmp[4:]
    udp = struct.pack("!HHHH", 45000, 33434, 12, 0) + b"traf"
    v6 = (struct.pack("!IHBB", 0x60000000, 8, 17, 63) + bytes.fromhex("fd00" + "00" * 13 + "01")
          + bytes.fromhex("fd00" + "00" * 13 + "03") + struct.pack("!HHHH", 5000, 53, 8, 0))
    eth = bytes.fromhex("02000000000b") + SRC_MAC
    return [
        eth + b"\x88\x47" + labels((100, 64)) + ipv4(1, a, b, icmp),
        eth + b"\x88\x47" + labels((200, 63), (300, 63)) + ipv4(17, a, b, udp),
        eth + b"\x88\x47" + labels((100, 64)) + v6,
        eth + b"\x88\x48" + labels((400, 10)) + ipv4(1, a, b, icmp),
        eth + b"\x08\x00" + ipv4(1, a, b, icmp),
    ]


def udp_frame(src: bytes, dst: bytes, sport: int, dport: int, payload: bytes) -> bytes:
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    if len(src) == 4:
        pseudo = src + dst + struct.pack("!BBH", 0, 17, len(udp))
        udp = udp[:6] + struct.pack("!H", inet_sum(pseudo + udp)) + udp[8:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(udp), 9, 0x4000, 1, 17, 0,
                         src, dst)
        ip = ip[:10] + struct.pack("!H", inet_sum(ip)) + ip[12:]
        return bytes.fromhex("ffffffffffff") + SRC_MAC + b"\x08\x00" + ip + udp
    pseudo = src + dst + struct.pack("!I3xB", len(udp), 17)
    udp = udp[:6] + struct.pack("!H", inet_sum(pseudo + udp)) + udp[8:]
    ip6 = struct.pack("!IHBB", 0x60000000, len(udp), 17, 1) + src + dst
    return bytes.fromhex("333300000001") + SRC_MAC + b"\x86\xdd" + ip6 + udp


def olsr_msg(mtype: int, vtime: int, orig: bytes, seq: int, body: bytes) -> bytes:
    return struct.pack("!BBH", mtype, vtime, 8 + len(orig) + len(body)) + orig + \
        struct.pack("!BBH", 255, 0, seq) + body


def olsr_packet(seq: int, msgs: list[bytes]) -> bytes:
    body = b"".join(msgs)
    return struct.pack("!HH", 4 + len(body), seq) + body


def olsr_packets() -> list[bytes]:
    a, b, c = bytes([10, 1, 0, 1]), bytes([10, 1, 0, 2]), bytes([10, 1, 0, 3])
    bcast = bytes([255, 255, 255, 255])
    hello = b"\x00\x00\x86\x03" + struct.pack("!BBH", 0x06, 0, 4 + 8) + b + c \
        + struct.pack("!BBH", 0x01, 0, 4 + 4) + bytes([10, 1, 0, 9])
    tc = struct.pack("!H2x", 7) + b + c + bytes([10, 1, 0, 4])
    mid = bytes([192, 168, 1, 1]) + bytes([172, 16, 0, 1])
    hna = bytes([192, 168, 1, 0, 255, 255, 255, 0]) + bytes([0, 0, 0, 0, 0, 7, 0x5a, 0x52]) \
        + bytes([10, 2, 0, 0, 255, 255, 0, 0]) + bytes([10, 3, 0, 0, 255, 0, 255, 0])
    name = b"node1.mesh"
    ns = struct.pack("!HH", 1, 1) + struct.pack("!HH", 0, len(name)) + a + name + b"\x00\x00"
    v6a = bytes.fromhex("fdec" + "00" * 13 + "01")
    v6b = bytes.fromhex("fdec" + "00" * 13 + "02")
    hello_lq6 = b"\x00\x00\x86\x07" + struct.pack("!BBH", 0x0a, 0, 4 + 20) + v6b + b"\xff\x80\x00\x00"
    tc_lq6 = struct.pack("!H2x", 9) + v6b + b"\xc0\xc0\x00\x00"
    hna6 = bytes.fromhex("fdec0001" + "00" * 12) + bytes.fromhex("ffffffffffff0000" + "00" * 8)
    return [
        udp_frame(a, bcast, 698, 698, olsr_packet(1, [olsr_msg(1, 0x86, a, 10, hello)])),
        udp_frame(a, bcast, 698, 698, olsr_packet(2, [olsr_msg(2, 0xe8, a, 11, tc),
                                                       olsr_msg(3, 0xe8, a, 12, mid)])),
        udp_frame(a, bcast, 698, 698, olsr_packet(3, [olsr_msg(4, 0xe8, a, 13, hna),
                                                       olsr_msg(130, 0xe8, a, 14, ns)])),
        udp_frame(v6a, bytes.fromhex("ff02" + "00" * 13 + "6d"), 698, 698,
                  olsr_packet(4, [olsr_msg(201, 0x86, v6a, 20, hello_lq6),
                                  olsr_msg(202, 0xe8, v6a, 21, tc_lq6),
                                  olsr_msg(3, 0xe8, v6a, 22, v6b),
                                  olsr_msg(4, 0xe8, v6a, 23, hna6)])),
    ]


def aoe(flags: int, error: int, major: int, minor: int, cmd: int, tag: int, arg: bytes,
        dst: bytes = bytes.fromhex("ffffffffffff")) -> bytes:
    return dst + SRC_MAC + b"\x88\xa2" + struct.pack("!BBHBBI", 0x10 | flags, error, major,
                                                     minor, cmd, tag) + arg


def aoe_packets() -> list[bytes]:
    target = bytes.fromhex("02000000000b")
    cfg = b"vblade-lab"
    return [
        aoe(0, 0, 0xFFFF, 0xFF, 1, 0x1000, struct.pack("!HHBBH", 0, 0, 0, 0, 0)),
        aoe(0x8, 0, 1, 2, 1, 0x1000, struct.pack("!HHBBH", 16, 0x4019, 2, 0x10, len(cfg)) + cfg,
            target),
        aoe(0, 0, 1, 2, 0, 0x1001, bytes([0x00, 0, 1, 0xEC, 0, 0, 0, 0, 0, 0, 0, 0]), target),
        aoe(0x8, 0, 1, 2, 0, 0x1001, bytes([0x00, 0, 0, 0x50, 0, 0, 0, 0, 0, 0, 0, 0])
            + bytes(512), target),
        aoe(0, 0, 1, 2, 0, 0x1002, bytes([0x40, 0, 2, 0x24, 8, 0, 0, 0, 0, 0, 0, 0]), target),
        aoe(0, 0, 1, 2, 0, 0x1003, bytes([0x43, 0, 1, 0x34, 9, 0, 0, 0, 0, 0, 0, 0])
            + bytes(512), target),
        aoe(0, 0, 1, 2, 2, 0x1004, bytes([0, 1, 0, 2]) + bytes([0, 1]) + SRC_MAC
            + bytes([0, 2]) + bytes.fromhex("020000000099"), target),
        aoe(0x8, 0, 1, 2, 3, 0x1005, bytes([1, 2]) + SRC_MAC + bytes.fromhex("02000000000c"),
            target),
        aoe(0xC, 3, 1, 2, 0, 0x1006, bytes(12), target),
        aoe(0x8, 0, 1, 2, 9, 0x1007, b"", target),
    ]


def isis_te_packets() -> list[bytes]:
    def sub(t: int, v: bytes) -> bytes:
        return bytes([t, len(v)]) + v
    bw = struct.pack("!f", 125000000.0)
    subs = (sub(3, b"\x00\x00\x00\x05") + sub(6, bytes([10, 0, 12, 1]))
            + sub(8, bytes([10, 0, 12, 2])) + sub(9, bw) + sub(10, bw) + sub(11, bw * 8)
            + sub(18, b"\x00\x00\x0a") + sub(19, b"\x00\x01") + sub(20, b"\x08\x03")
            + sub(22, b"\x00" + bw + bw))
    is_reach = bytes.fromhex("22222222222200") + b"\x00\x00\x0a" + bytes([len(subs)]) + subs
    isc1 = sub(21, bytes([1, 2, 0, 0]) + bw * 8 + bw + b"\x05\xdc")
    isc2 = sub(21, bytes([100, 5, 0, 0]) + bw * 8 + bw + b"\x01\x00\x00\x00")
    isc3 = sub(21, bytes([51, 2, 0, 0]) + bw * 8 + b"\xaa\xbb")
    is_reach2 = (bytes.fromhex("33333333333300") + b"\x00\x00\x14"
                 + bytes([len(isc1 + isc2 + isc3)]) + isc1 + isc2 + isc3)
    tlvs = (bytes([22, len(is_reach)]) + is_reach + bytes([22, len(is_reach2)]) + is_reach2
            + bytes([137, 6]) + b"r1-pe1" + bytes([134, 4, 10, 0, 0, 1])
            + bytes([242, 12, 10, 0, 0, 1, 0x01, 2, 5, 0xC0, 0, 0x0F, 0xA0])[:2]
            + bytes([10, 0, 0, 1, 0x01, 2, 5, 0xC0, 0, 0x0F, 0xA0])
            + bytes([129, 2, 0xCC, 0x8E]))
    lsp = struct.pack("!HH", 27 + len(tlvs), 1199) + bytes.fromhex("1111111111110000") \
        + struct.pack("!IHB", 0x12, 0, 0x03)
    pdu = bytes([0x83, 27, 1, 0, 20, 1, 0, 0]) + lsp + tlvs
    llc = b"\xfe\xfe\x03" + pdu
    return [bytes.fromhex("0180c2000015") + SRC_MAC + struct.pack("!H", len(llc)) + llc]


def ipcomp_packets() -> list[bytes]:
    a, b = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
    comp = struct.pack("!BBH", 4, 0, 0x1234) + bytes.fromhex("789c4b4c4a060002d60127")
    v6 = (struct.pack("!IHBB", 0x60000000, len(comp), 108, 64) + bytes.fromhex("20010db8" + "00" * 11 + "01")
          + bytes.fromhex("20010db8" + "00" * 11 + "02") + comp)
    eth = bytes.fromhex("02000000000b") + SRC_MAC
    return [eth + b"\x08\x00" + ipv4(108, a, b, comp), eth + b"\x86\xdd" + v6,
            eth + b"\x08\x00" + ipv4(108, a, b, comp)[:22]]


def pcap(frames: list[bytes]) -> bytes:
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for n, f in enumerate(frames):
        out += struct.pack("<IIII", 1700000000 + n, 1000 * n, len(f), len(f)) + f
    return out


def main(outdir: str) -> None:
    Path(outdir, "crafted_osi.pcap").write_bytes(pcap(packets()))
    Path(outdir, "crafted_cfm.pcap").write_bytes(pcap(cfm_packets()))
    Path(outdir, "crafted_rpki.pcap").write_bytes(pcap(rpki_packets()))
    Path(outdir, "crafted_mpls.pcap").write_bytes(pcap(mpls_packets()))
    Path(outdir, "crafted_olsr.pcap").write_bytes(pcap(olsr_packets()))
    Path(outdir, "crafted_aoe.pcap").write_bytes(pcap(aoe_packets()))
    Path(outdir, "crafted_ipcomp.pcap").write_bytes(pcap(ipcomp_packets()))
    Path(outdir, "crafted_isis_te.pcap").write_bytes(pcap(isis_te_packets()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent))
