"""Packet formats against frames captured from a real Linux 6.x kernel.

The fixtures were recorded with tcpdump in namespaces created under `unshare -n`: veth0
(02:00:00:00:00:01, 10.0.0.1, 2001:db8::1) in one namespace, its peer veth1
(02:00:00:00:00:02, 10.0.0.2, 2001:db8::2) in another, and a router namespace
(veth2 02:00:00:00:00:03 10.0.1.1 <-> veth3 02:00:00:00:00:04 10.0.1.254) for the
time-exceeded cases; the *_LO frames come from lo. Each frame must come back byte for
byte when parsed and re-packed with every length and checksum recomputed, and when
built from scratch out of the values the kernel would have.
"""
from __future__ import annotations

import struct
from ipaddress import IPv4Address as A4, IPv6Address as A6

import pytest

from ipemu.kernel.wire import arp, ethernet, icmp, icmpv6, ipv4, ipv6, udp
from ipemu.kernel.wire.ethernet import EthernetHeader
from ipemu.plainclass import replace

MAC1 = bytes.fromhex("020000000001")
MAC2 = bytes.fromhex("020000000002")
MAC3 = bytes.fromhex("020000000003")
MAC4 = bytes.fromhex("020000000004")
LL1, LL2, LL4 = A6("fe80::ff:fe00:1"), A6("fe80::ff:fe00:2"), A6("fe80::ff:fe00:4")
MLD_ALL_ROUTERS = A6("ff02::16")

# ---------------------------------------------------------------- captured frames

ARP_REQUEST = bytes.fromhex(
    "ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002"
)
ARP_REPLY = bytes.fromhex(
    "020000000001020000000002080600010800060400020200000000020a0000020200000000010a000001"
)
ARP_UNICAST_PROBE = bytes.fromhex(
    "020000000001020000000002080600010800060400010200000000020a0000020000000000000a000001"
)
ECHO_REQUEST = bytes.fromhex(
    "02000000000202000000000108004500005445a840004001e0fe0a0000010a00000208007f8f0ff6000115fc"
    "066b000000008c3f010000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d"
    "2e2f3031323334353637"
)
ECHO_REPLY = bytes.fromhex(
    "02000000000102000000000208004500005453500000400113570a0000020a0000010000878f0ff6000115fc"
    "066b000000008c3f010000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d"
    "2e2f3031323334353637"
)
UDP4_CLOSED = bytes.fromhex(
    "020000000002020000000001080045000022a5914000401181370a0000010a000002c2cd1389000e1422636c"
    "6f736564"
)
PORT_UNREACH = bytes.fromhex(
    "020000000001020000000002080045c0003e53e200004001121b0a0000020a0000010303da31000000004500"
    "0022a5914000401181370a0000010a000002c2cd1389000e1422636c6f736564"
)
ECHO6_REQUEST = bytes.fromhex(
    "02000000000202000000000186dd600f9bcb00403a4020010db800000000000000000000000120010db80000"
    "000000000000000000028000bc880ff7000115fc066b00000000735509000000000010111213141516171819"
    "1a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"
)
ECHO6_REPLY = bytes.fromhex(
    "02000000000102000000000286dd60084ae000403a4020010db800000000000000000000000220010db80000"
    "000000000000000000018100bb880ff7000115fc066b00000000735509000000000010111213141516171819"
    "1a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"
)
UDP6_CLOSED = bytes.fromhex(
    "02000000000202000000000186dd600f19e5000f114020010db800000000000000000000000120010db80000"
    "0000000000000000000295321389000f5b95636c6f73656436"
)
PORT_UNREACH6 = bytes.fromhex(
    "02000000000102000000000286dd6008c1ba003f3a4020010db800000000000000000000000220010db80000"
    "00000000000000000001010449b000000000600f19e5000f114020010db80000000000000000000000012001"
    "0db800000000000000000000000295321389000f5b95636c6f73656436"
)
NS = bytes.fromhex(
    "3333ff00000202000000000186dd6000000000203aff20010db8000000000000000000000001ff0200000000"
    "000000000001ff00000287001c270000000020010db80000000000000000000000020101020000000001"
)
NA = bytes.fromhex(
    "02000000000102000000000286dd6000000000203aff20010db800000000000000000000000220010db80000"
    "0000000000000000000188008a716000000020010db80000000000000000000000020201020000000002"
)
NS_UNICAST = bytes.fromhex(
    "02000000000102000000000286dd6000000000203afffe80000000000000000000fffe00000220010db80000"
    "0000000000000000000187001cab0000000020010db80000000000000000000000010101020000000002"
)
NA_UNICAST = bytes.fromhex(
    "02000000000202000000000186dd6000000000183aff20010db8000000000000000000000001fe8000000000"
    "0000000000fffe0000028800deb54000000020010db8000000000000000000000001"
)
NS_DAD = bytes.fromhex(
    "3333ff00000202000000000286dd6000000000203aff00000000000000000000000000000000ff0200000000"
    "000000000001ff0000028700334700000000fe80000000000000000000fffe0000020e01df5d97a0c4d4"
)
RS = bytes.fromhex(
    "33330000000202000000000286dd6000000000103afffe80000000000000000000fffe000002ff0200000000"
    "0000000000000000000285007b2a000000000101020000000002"
)
MLD_FROM_ANY = bytes.fromhex(
    "33330000001602000000000286dd600000000024000100000000000000000000000000000000ff0200000000"
    "000000000000000000163a000502000001008f006f880000000104000000ff0200000000000000000001ff00"
    "0002"
)
MLD_5_RECORDS = bytes.fromhex(
    "33330000001602000000000486dd6000000000740001fe80000000000000000000fffe000004ff0200000000"
    "000000000000000000163a000502000001008f0066980000000504000000ff0200000000000000000001ff00"
    "000404000000ff0200000000000000000001ff00000004000000ff0500000000000000000000000000020400"
    "0000ff02000000000000000000000000000204000000ff0200000000000000000001ff0000fe"
)
NA_ROUTER = bytes.fromhex(
    "02000000000302000000000486dd6000000000203aff20010db80001000000000000000000fe20010db80001"
    "0000000000000000000188000874e000000020010db80001000000000000000000fe0201020000000004"
)
TIME_EXCEEDED = bytes.fromhex(
    "020000000003020000000004080045c000706de300004001f4eb0a0001fe0a0001010b00f4ff000000004500"
    "0054693440000101f96b0a0001010a000209080061031062000117fc066b000000009e5f0b00000000001011"
    "12131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"
)
TIME_EXCEEDED6 = bytes.fromhex(
    "02000000000302000000000486dd60076c1500703a4020010db80001000000000000000000fe20010db80001"
    "0000000000000000000103007c0d0000000060038a0a00403a0120010db80001000000000000000000012001"
    "0db800020000000000000000000980004bf51063000117fc066b00000000df720b0000000000101112131415"
    "161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"
)
HOST_UNREACH_LO = bytes.fromhex(
    "000000000000000000000000080045c000700695000040015f370a0000010a0000010301fcfe000000004500"
    "005496ff400040018fa60a0000010a0000030800ebde1064000117fc066b0000000013820b00000000001011"
    "12131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"
)
ADDR_UNREACH_LO = bytes.fromhex(
    "00000000000000000000000086dd6006f76000703a4020010db800000000000000000000000120010db80000"
    "000000000000000000010103bcb700000000600b4c1500403a4020010db80000000000000000000000012001"
    "0db80000000000000000000000038000e3c4106500011afc066b0000000043aa0c0000000000101112131415"
    "161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"
)

ALL_FRAMES = {
    name: value for name, value in dict(globals()).items()
    if name.isupper() and isinstance(value, bytes) and len(value) > 14
}


def ping_data(stamp: bytes, size: int = 56) -> bytes:
    """What iputils ping sends: a 16-byte struct timeval, then byte i = i (mod 256)."""
    return stamp + bytes(i & 0xFF for i in range(16, size))


# ---------------------------------------------------------------- generic re-packing

def repack_l3(ethertype: int, payload: bytes, partial_udp: bool = False) -> bytes:
    """Parse a network-layer packet down to its last header and pack it back with every
    length and checksum left for pack() to compute."""
    if ethertype == ethernet.ETH_P_ARP:
        packet, rest = arp.ArpPacket.unpack(payload)
        return packet.pack() + rest
    if ethertype == ethernet.ETH_P_IP:
        header, body = ipv4.IPv4Header.unpack(payload)
        if header.protocol == ipv4.IPPROTO_ICMP:
            message, _ = icmp.unpack_message(body)
            body = replace(message, checksum=None).pack()
        elif header.protocol == ipv4.IPPROTO_UDP:
            datagram, _ = udp.UdpDatagram.unpack(body)
            body = replace(datagram, checksum=None, length=None).pack(
                header.src, header.dst, partial=partial_udp)
        return replace(header, total_length=None, checksum=None).pack(body)
    header, body = ipv6.IPv6Header.unpack(payload)
    hbh = None
    next_header = header.next_header
    if next_header == ipv6.NEXTHDR_HOP:
        hbh, body = ipv6.HopByHopHeader.unpack(body)
        next_header = hbh.next_header
    if next_header == ipv6.NEXTHDR_ICMP:
        message, _ = icmpv6.unpack_message(body)
        body = replace(message, checksum=None).pack(header.src, header.dst)
    elif next_header == ipv6.NEXTHDR_UDP:
        datagram, _ = udp.UdpDatagram.unpack(body)
        body = replace(datagram, checksum=None, length=None).pack(
            header.src, header.dst, partial=partial_udp)
    if hbh is not None:
        body = hbh.pack(body)
    return replace(header, payload_length=None).pack(body)


@pytest.mark.parametrize("name", sorted(ALL_FRAMES))
def test_captured_frame_repacks_identically(name):
    frame = ALL_FRAMES[name]
    eth, payload = EthernetHeader.unpack(frame)
    # Sockets with checksum offload hand veth a UDP checksum still partial.
    partial = name.startswith("UDP")
    assert eth.pack(repack_l3(eth.ethertype, payload, partial)) == frame


@pytest.mark.parametrize("name", sorted(ALL_FRAMES))
def test_captured_frame_round_trips_with_its_own_fields(name):
    frame = ALL_FRAMES[name]
    eth, payload = EthernetHeader.unpack(frame)
    if eth.ethertype == ethernet.ETH_P_IP:
        header, body = ipv4.IPv4Header.unpack(payload)
        assert eth.pack(header.pack(body)) == frame
    elif eth.ethertype == ethernet.ETH_P_IPV6:
        header, body = ipv6.IPv6Header.unpack(payload)
        assert eth.pack(header.pack(body)) == frame


# ---------------------------------------------------------------- checksums

def test_internet_checksum_rfc1071_example():
    # RFC 1071 section 3: the sum of 00 01 f2 03 f4 f5 f6 f7 is ddf2.
    data = bytes.fromhex("0001f203f4f5f6f7")
    assert ipv4.ones_sum(data) == 0xDDF2
    assert ipv4.internet_checksum(data) == 0x220D
    assert ipv4.internet_checksum(b"\x01") == 0xFEFF      # odd length: padded with zero


@pytest.mark.parametrize("name", sorted(n for n in ALL_FRAMES if not n.startswith(("ARP", "UDP"))))
def test_captured_checksums_verify(name):
    eth, payload = EthernetHeader.unpack(ALL_FRAMES[name])
    if eth.ethertype == ethernet.ETH_P_IP:
        assert ipv4.internet_checksum(payload[:20]) == 0
        header, body = ipv4.IPv4Header.unpack(payload)
        assert icmp.checksum_ok(body)
        assert not icmp.checksum_ok(body[:-1] + bytes([body[-1] ^ 1]))
    else:
        header, body = ipv6.IPv6Header.unpack(payload)
        if header.next_header == ipv6.NEXTHDR_HOP:
            _, body = ipv6.HopByHopHeader.unpack(body)
        assert icmpv6.checksum_ok(header.src, header.dst, body)
        assert not icmpv6.checksum_ok(header.src, header.dst, body[:-1] + bytes([body[-1] ^ 1]))


def test_udp_checksum_full_and_as_offload_leaves_it():
    for frame, version in ((UDP4_CLOSED, 4), (UDP6_CLOSED, 6)):
        _, payload = EthernetHeader.unpack(frame)
        header = (ipv4.IPv4Header if version == 4 else ipv6.IPv6Header).unpack(payload)[0]
        body = payload[20:] if version == 4 else payload[40:]
        datagram, rest = udp.UdpDatagram.unpack(body)
        assert rest == b""
        # On the wire (after the NIC or the receiver) the checksum is complete:
        full = replace(datagram, checksum=None).pack(header.src, header.dst)
        assert udp.checksum_ok(header.src, header.dst, full)
        # tcpdump on veth sees the pseudo-header sum: "[bad udp cksum 0x1422 -> 0xdd34!]".
        assert not udp.checksum_ok(header.src, header.dst, body)
    _, payload = EthernetHeader.unpack(UDP4_CLOSED)
    datagram, _ = udp.UdpDatagram.unpack(payload[20:])
    assert datagram.checksum == 0x1422
    assert replace(datagram, checksum=None).pack(A4("10.0.0.1"), A4("10.0.0.2"))[6:8] == b"\xdd\x34"


def test_udp_computed_zero_checksum_goes_out_as_ffff():
    # Find a payload whose checksum folds to 0: the kernel sends 0xffff (CSUM_MANGLED_0).
    src, dst = A4("10.0.0.1"), A4("10.0.0.2")
    base = udp.UdpDatagram(1, 2, b"\x00\x00").pack(src, dst)
    (value,) = struct.unpack("!H", base[6:8])
    datagram = udp.UdpDatagram(1, 2, struct.pack("!H", value))
    assert datagram.pack(src, dst)[6:8] == b"\xff\xff"
    assert udp.checksum_ok(src, dst, datagram.pack(src, dst))


# ---------------------------------------------------------------- ethernet

def test_mac_helpers():
    assert ethernet.mac_to_str(MAC1) == "02:00:00:00:00:01"
    assert ethernet.mac_from_str("02:00:00:00:00:01") == MAC1
    assert ethernet.is_broadcast_mac(b"\xff" * 6) and ethernet.is_multicast_mac(b"\xff" * 6)
    assert not ethernet.is_multicast_mac(MAC1)
    assert ethernet.ipv4_multicast_mac(A4("224.0.0.251")) == bytes.fromhex("01005e0000fb")
    assert ethernet.ipv4_multicast_mac(A4("239.255.0.1")) == bytes.fromhex("01005e7f0001")
    assert ethernet.ipv6_multicast_mac(A6("ff02::16")) == bytes.fromhex("333300000016")
    assert ethernet.ipv6_multicast_mac(A6("ff02::1:ff00:2")) == bytes.fromhex("3333ff000002")
    assert EthernetHeader.unpack(NS)[0].dst == ethernet.ipv6_multicast_mac(A6("ff02::1:ff00:2"))


def test_short_frames_are_not_padded_on_veth_but_a_nic_pads_to_60():
    assert len(ARP_REQUEST) == 42
    assert ethernet.pad_frame(ARP_REQUEST) == ARP_REQUEST + bytes(18)
    assert ethernet.pad_frame(ECHO_REQUEST) == ECHO_REQUEST
    # the padding is not part of the ARP packet or of an IP datagram
    packet, rest = arp.ArpPacket.unpack(ethernet.pad_frame(ARP_REQUEST)[14:])
    assert rest == bytes(18) and packet.pack() == ARP_REQUEST[14:]
    header, body = ipv4.IPv4Header.unpack(ethernet.pad_frame(UDP4_CLOSED)[14:])
    assert len(body) == header.total_length - 20


# ---------------------------------------------------------------- built from scratch

def eth(dst: bytes, src: bytes, ethertype: int, payload: bytes) -> bytes:
    return EthernetHeader(dst, src, ethertype).pack(payload)


def test_arp_frames():
    request = arp.ArpPacket.request(MAC1, A4("10.0.0.1"), A4("10.0.0.2"))
    assert eth(ethernet.BROADCAST_MAC, MAC1, ethernet.ETH_P_ARP, request.pack()) == ARP_REQUEST
    reply = arp.ArpPacket.reply(MAC2, A4("10.0.0.2"), MAC1, A4("10.0.0.1"))
    assert eth(MAC1, MAC2, ethernet.ETH_P_ARP, reply.pack()) == ARP_REPLY
    # a unicast re-confirmation probe still leaves the target hardware address zero
    probe = arp.ArpPacket.request(MAC2, A4("10.0.0.2"), A4("10.0.0.1"))
    assert eth(MAC1, MAC2, ethernet.ETH_P_ARP, probe.pack()) == ARP_UNICAST_PROBE
    parsed, _ = arp.ArpPacket.unpack(ARP_REPLY[14:])
    assert (parsed.op, parsed.sha, parsed.tpa) == (arp.ArpOp.REPLY, MAC2, A4("10.0.0.1"))


def test_icmp_echo_request_and_reply():
    data = ping_data(bytes.fromhex("15fc066b000000008c3f010000000000"))
    request = icmp.IcmpEcho(icmp.IcmpType.ECHO, 0x0FF6, 1, data)
    ip = ipv4.IPv4Header(A4("10.0.0.1"), A4("10.0.0.2"), ipv4.IPPROTO_ICMP,
                         id=0x45A8, frag_off=ipv4.IP_DF)
    assert eth(MAC2, MAC1, ethernet.ETH_P_IP, ip.pack(request.pack())) == ECHO_REQUEST
    # icmp_reply(): same id, seq and data; a fresh IP id and no DF
    reply = icmp.IcmpEcho(icmp.IcmpType.ECHOREPLY, 0x0FF6, 1, data)
    ip = ipv4.IPv4Header(A4("10.0.0.2"), A4("10.0.0.1"), ipv4.IPPROTO_ICMP, id=0x5350)
    assert eth(MAC1, MAC2, ethernet.ETH_P_IP, ip.pack(reply.pack())) == ECHO_REPLY
    header, body = ipv4.IPv4Header.unpack(ECHO_REQUEST[14:])
    assert (header.df, header.ttl, header.total_length, header.checksum) == (True, 64, 84, 0xE0FE)
    message, _ = icmp.unpack_message(body)
    assert isinstance(message, icmp.IcmpEcho) and message.is_request
    assert (message.id, message.seq, message.payload) == (0x0FF6, 1, data)


def icmp_error_ip(src: A4, dst: A4, ident: int, original_tos: int = 0) -> ipv4.IPv4Header:
    """The IP header icmp_send() puts on an error: precedence 0xc0, ttl 64, no DF."""
    tos = (original_tos & ipv4.IPTOS_TOS_MASK) | ipv4.IPTOS_PREC_INTERNETCONTROL
    return ipv4.IPv4Header(src, dst, ipv4.IPPROTO_ICMP, tos=tos, id=ident)


def test_udp_and_port_unreachable():
    datagram = udp.UdpDatagram(0xC2CD, 5001, b"closed")
    ip = ipv4.IPv4Header(A4("10.0.0.1"), A4("10.0.0.2"), ipv4.IPPROTO_UDP,
                         id=0xA591, frag_off=ipv4.IP_DF)
    original = ip.pack(datagram.pack(ip.src, ip.dst, partial=True))
    assert eth(MAC2, MAC1, ethernet.ETH_P_IP, original) == UDP4_CLOSED
    error = icmp.IcmpError.dest_unreach(icmp.UnreachCode.PORT_UNREACH, original)
    ip = icmp_error_ip(A4("10.0.0.2"), A4("10.0.0.1"), 0x53E2)
    assert eth(MAC1, MAC2, ethernet.ETH_P_IP, ip.pack(error.pack())) == PORT_UNREACH


def test_time_exceeded_quotes_the_whole_small_datagram():
    data = ping_data(bytes.fromhex("17fc066b000000009e5f0b0000000000"))
    ip = ipv4.IPv4Header(A4("10.0.1.1"), A4("10.0.2.9"), ipv4.IPPROTO_ICMP, ttl=1,
                         id=0x6934, frag_off=ipv4.IP_DF)
    original = ip.pack(icmp.IcmpEcho(icmp.IcmpType.ECHO, 0x1062, 1, data).pack())
    error = icmp.IcmpError.time_exceeded(original)
    ip = icmp_error_ip(A4("10.0.1.254"), A4("10.0.1.1"), 0x6DE3)
    assert eth(MAC3, MAC4, ethernet.ETH_P_IP, ip.pack(error.pack())) == TIME_EXCEEDED
    message, _ = icmp.unpack_message(TIME_EXCEEDED[34:])
    assert (message.type, message.code, len(message.quoted)) == (11, icmp.ExcCode.EXC_TTL, 84)


def test_host_unreachable_over_lo_and_the_576_byte_limit():
    # ping 10.0.0.3 with no answer to ARP: "ICMP host 10.0.0.3 unreachable, length 92"
    data = ping_data(bytes.fromhex("17fc066b0000000013820b0000000000"))
    ip = ipv4.IPv4Header(A4("10.0.0.1"), A4("10.0.0.3"), ipv4.IPPROTO_ICMP,
                         id=0x96FF, frag_off=ipv4.IP_DF)
    original = ip.pack(icmp.IcmpEcho(icmp.IcmpType.ECHO, 0x1064, 1, data).pack())
    error = icmp.IcmpError.dest_unreach(icmp.UnreachCode.HOST_UNREACH, original)
    ip = icmp_error_ip(A4("10.0.0.1"), A4("10.0.0.1"), 0x0695)
    zero = ethernet.ZERO_MAC
    assert eth(zero, zero, ethernet.ETH_P_IP, ip.pack(error.pack())) == HOST_UNREACH_LO
    assert len(error.pack()) == 92
    # ping -s 1000 (a 1028-byte datagram): the error is 576 bytes, 548 of them quoted.
    # Captured on lo: 45c0 0240 071c 0000 4001 5ce0 ..., ICMP checksum 01f3.
    data = ping_data(bytes.fromhex("1dfc066b00000000dcba0d0000000000"), 1000)
    ip = ipv4.IPv4Header(A4("10.0.0.1"), A4("10.0.0.4"), ipv4.IPPROTO_ICMP,
                         id=0x369F, frag_off=ipv4.IP_DF)
    original = ip.pack(icmp.IcmpEcho(icmp.IcmpType.ECHO, 0x108A, 1, data).pack())
    assert len(original) == 1028 and original[10:12] == b"\xec\x55"
    error = icmp.IcmpError.dest_unreach(icmp.UnreachCode.HOST_UNREACH, original)
    packet = icmp_error_ip(A4("10.0.0.1"), A4("10.0.0.1"), 0x071C).pack(error.pack())
    assert len(packet) == 576 and error.quoted == original[:548]
    assert packet[:28].hex() == "45c00240071c000040015ce00a0000010a000001030101f300000000"


def test_echo6_request_and_reply():
    data = ping_data(bytes.fromhex("15fc066b000000007355090000000000"))
    src, dst = A6("2001:db8::1"), A6("2001:db8::2")
    request = icmpv6.Icmp6Echo(icmpv6.Icmp6Type.ECHO_REQUEST, 0x0FF7, 1, data)
    ip = ipv6.IPv6Header(src, dst, ipv6.NEXTHDR_ICMP, flow_label=0xF9BCB)
    assert eth(MAC2, MAC1, ethernet.ETH_P_IPV6, ip.pack(request.pack(src, dst))) == ECHO6_REQUEST
    reply = icmpv6.Icmp6Echo(icmpv6.Icmp6Type.ECHO_REPLY, 0x0FF7, 1, data)
    ip = ipv6.IPv6Header(dst, src, ipv6.NEXTHDR_ICMP, flow_label=0x84AE0)
    assert eth(MAC1, MAC2, ethernet.ETH_P_IPV6, ip.pack(reply.pack(dst, src))) == ECHO6_REPLY
    with pytest.raises(ValueError):
        request.pack()     # no addresses, no checksum


def test_udp6_and_port_unreachable6():
    src, dst = A6("2001:db8::1"), A6("2001:db8::2")
    datagram = udp.UdpDatagram(0x9532, 5001, b"closed6")
    ip = ipv6.IPv6Header(src, dst, ipv6.NEXTHDR_UDP, flow_label=0xF19E5)
    original = ip.pack(datagram.pack(src, dst, partial=True))
    assert eth(MAC2, MAC1, ethernet.ETH_P_IPV6, original) == UDP6_CLOSED
    error = icmpv6.Icmp6Error.dest_unreach(icmpv6.Unreach6Code.PORT_UNREACH, original)
    ip = ipv6.IPv6Header(dst, src, ipv6.NEXTHDR_ICMP, flow_label=0x8C1BA)
    assert eth(MAC1, MAC2, ethernet.ETH_P_IPV6, ip.pack(error.pack(dst, src))) == PORT_UNREACH6


def test_time_exceeded6_and_address_unreachable_limit():
    data = ping_data(bytes.fromhex("17fc066b00000000df720b0000000000"))
    src, dst, router = A6("2001:db8:1::1"), A6("2001:db8:2::9"), A6("2001:db8:1::fe")
    echo = icmpv6.Icmp6Echo(icmpv6.Icmp6Type.ECHO_REQUEST, 0x1063, 1, data)
    original = ipv6.IPv6Header(src, dst, ipv6.NEXTHDR_ICMP, hop_limit=1,
                               flow_label=0x38A0A).pack(echo.pack(src, dst))
    error = icmpv6.Icmp6Error.time_exceed(original)
    ip = ipv6.IPv6Header(router, src, ipv6.NEXTHDR_ICMP, flow_label=0x76C15)
    assert eth(MAC3, MAC4, ethernet.ETH_P_IPV6, ip.pack(error.pack(router, src))) == TIME_EXCEEDED6
    # ping -6 -s 1300 (1348 bytes): the error keeps to 1280 bytes, quoting 1232.
    # Captured on lo: payload length 04d8, ICMPv6 checksum 5fce.
    me, gone = A6("2001:db8::1"), A6("2001:db8::4")
    data = ping_data(bytes.fromhex("20fc066b00000000c9d80e0000000000"), 1300)
    echo = icmpv6.Icmp6Echo(icmpv6.Icmp6Type.ECHO_REQUEST, 0x108C, 1, data)
    original = ipv6.IPv6Header(me, gone, ipv6.NEXTHDR_ICMP,
                               flow_label=0x3F629).pack(echo.pack(me, gone))
    assert original[42:44] == b"\x2c\x02"
    error = icmpv6.Icmp6Error.dest_unreach(icmpv6.Unreach6Code.ADDR_UNREACH, original)
    packet = ipv6.IPv6Header(me, me, ipv6.NEXTHDR_ICMP, flow_label=0x6F760).pack(error.pack(me, me))
    assert len(packet) == 1280 and error.quoted == original[:1232]
    assert packet[4:6] == b"\x04\xd8" and packet[40:44].hex() == "01035fce"


def test_neighbour_solicitation_and_advertisement():
    src, dst = A6("2001:db8::1"), A6("2001:db8::2")
    snm = A6("ff02::1:ff00:2")
    ns = icmpv6.NeighbourSolicitation(dst, [icmpv6.NdOption.source_lladdr(MAC1)])
    ip = ipv6.IPv6Header(src, snm, ipv6.NEXTHDR_ICMP, hop_limit=255)
    frame = eth(ethernet.ipv6_multicast_mac(snm), MAC1, ethernet.ETH_P_IPV6, ip.pack(ns.pack(src, snm)))
    assert frame == NS
    na = icmpv6.NeighbourAdvertisement(dst, solicited=True, override=True,
                                       options=[icmpv6.NdOption.target_lladdr(MAC2)])
    ip = ipv6.IPv6Header(dst, src, ipv6.NEXTHDR_ICMP, hop_limit=255)
    assert eth(MAC1, MAC2, ethernet.ETH_P_IPV6, ip.pack(na.pack(dst, src))) == NA
    # a unicast NS (NUD probe) is answered without override and without the option
    ns = icmpv6.NeighbourSolicitation(src, [icmpv6.NdOption.source_lladdr(MAC2)])
    ip = ipv6.IPv6Header(LL2, src, ipv6.NEXTHDR_ICMP, hop_limit=255)
    assert eth(MAC1, MAC2, ethernet.ETH_P_IPV6, ip.pack(ns.pack(LL2, src))) == NS_UNICAST
    na = icmpv6.NeighbourAdvertisement(src, solicited=True)
    ip = ipv6.IPv6Header(src, LL2, ipv6.NEXTHDR_ICMP, hop_limit=255)
    assert eth(MAC2, MAC1, ethernet.ETH_P_IPV6, ip.pack(na.pack(src, LL2))) == NA_UNICAST
    parsed, _ = icmpv6.unpack_message(NA_ROUTER[54:])
    assert isinstance(parsed, icmpv6.NeighbourAdvertisement)
    assert (parsed.router, parsed.solicited, parsed.override) == (True, True, True)
    assert parsed.target_lladdr == MAC4


def test_dad_probe_from_unspecified_with_nonce():
    unspecified, snm = A6("::"), A6("ff02::1:ff00:2")
    ns = icmpv6.NeighbourSolicitation(LL2, [icmpv6.NdOption.nonce(bytes.fromhex("df5d97a0c4d4"))])
    ip = ipv6.IPv6Header(unspecified, snm, ipv6.NEXTHDR_ICMP, hop_limit=255)
    frame = eth(ethernet.ipv6_multicast_mac(snm), MAC2, ethernet.ETH_P_IPV6,
                ip.pack(ns.pack(unspecified, snm)))
    assert frame == NS_DAD
    parsed, _ = icmpv6.unpack_message(NS_DAD[54:])
    assert parsed.source_lladdr is None and parsed.options[0].type == icmpv6.NdOptType.NONCE


def test_router_solicitation():
    all_routers = A6("ff02::2")
    rs = icmpv6.RouterSolicitation([icmpv6.NdOption.source_lladdr(MAC2)])
    ip = ipv6.IPv6Header(LL2, all_routers, ipv6.NEXTHDR_ICMP, hop_limit=255)
    frame = eth(ethernet.ipv6_multicast_mac(all_routers), MAC2, ethernet.ETH_P_IPV6,
                ip.pack(rs.pack(LL2, all_routers)))
    assert frame == RS
    # from :: (no usable link-local yet) it carries no option: 8 bytes
    bare = icmpv6.RouterSolicitation().pack(A6("::"), all_routers)
    assert len(bare) == 8
    assert icmpv6.checksum_ok(A6("::"), all_routers, bare)
    parsed, _ = icmpv6.unpack_message(bare)
    assert isinstance(parsed, icmpv6.RouterSolicitation) and parsed.options == []


def mld_frame(src: A6, mac: bytes, groups: list[str]) -> bytes:
    report = icmpv6.Mld2Report([
        icmpv6.Mld2Record(icmpv6.Mld2RecordType.CHANGE_TO_EXCLUDE, A6(g)) for g in groups])
    hbh = ipv6.HopByHopHeader.router_alert()
    ip = ipv6.IPv6Header(src, MLD_ALL_ROUTERS, ipv6.NEXTHDR_HOP, hop_limit=1)
    return eth(ethernet.ipv6_multicast_mac(MLD_ALL_ROUTERS), mac, ethernet.ETH_P_IPV6,
               ip.pack(hbh.pack(report.pack(src, MLD_ALL_ROUTERS))))


def test_mld2_reports():
    assert mld_frame(A6("::"), MAC2, ["ff02::1:ff00:2"]) == MLD_FROM_ANY
    groups = ["ff02::1:ff00:4", "ff02::1:ff00:0", "ff05::2", "ff02::2", "ff02::1:ff00:fe"]
    assert mld_frame(LL4, MAC4, groups) == MLD_5_RECORDS
    header, body = ipv6.IPv6Header.unpack(MLD_5_RECORDS[14:])
    hbh, body = ipv6.HopByHopHeader.unpack(body)
    assert hbh.router_alert_value == ipv6.IPV6_OPT_ROUTERALERT_MLD
    report, rest = icmpv6.unpack_message(body)
    assert rest == b"" and [str(r.multicast_address) for r in report.records] == groups
    # sources and auxiliary data round trip too
    record = icmpv6.Mld2Record(icmpv6.Mld2RecordType.ALLOW_NEW_SOURCES, A6("ff05::1"),
                               [A6("2001:db8::7"), A6("2001:db8::8")], b"\x00\x00\x00\x01")
    packed = icmpv6.Mld2Report([record]).pack(LL1, MLD_ALL_ROUTERS)
    assert icmpv6.Mld2Report.unpack(packed)[0].records == [record]


def test_unknown_icmpv6_types_are_kept_whole():
    message = icmpv6.Icmp6Message(icmpv6.Icmp6Type.ROUTER_ADVERTISEMENT, 0, bytes(12))
    packed = message.pack(LL1, A6("ff02::1"))
    parsed, rest = icmpv6.unpack_message(packed)
    assert isinstance(parsed, icmpv6.Icmp6Message) and parsed.pack() == packed and rest == b""


def test_truncated_input_raises_value_error():
    for parse, data in ((EthernetHeader.unpack, ARP_REQUEST[:10]),
                        (arp.ArpPacket.unpack, ARP_REQUEST[14:30]),
                        (ipv4.IPv4Header.unpack, ECHO_REQUEST[14:30]),
                        (ipv6.IPv6Header.unpack, NS[14:40]),
                        (ipv4.IPv4Header.unpack, NS[14:]),          # version 6
                        (udp.UdpDatagram.unpack, b"\x00" * 4),
                        (icmpv6.unpack_message, NS[54:60])):
        with pytest.raises(ValueError):
            parse(data)
