"""Capture files: ipemu.pcap against libpcap's own files and against the real tcpdump.

The oracle capture (../shared/oracle/public/tcpdump_write_read.files/ping.pcap) is what
`tcpdump -w` wrote on a real host; it is rebuilt here from scratch, byte for byte. Files
ipemu writes are read back with the real `tcpdump -r` when it is installed.
"""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
from ipaddress import IPv4Address as A4, IPv6Address as A6
from pathlib import Path
from types import SimpleNamespace

import pytest

from ipemu import pcap
from ipemu.kernel.wire import arp, ethernet, icmp, icmpv6, ipv4, ipv6, udp
from ipemu.kernel.wire.ethernet import EthernetHeader

ORACLE_PCAP = (Path(__file__).resolve().parents[2]
               / "shared/oracle/public/tcpdump_write_read.files/ping.pcap")
TCPDUMP = shutil.which("tcpdump")
needs_tcpdump = pytest.mark.skipif(TCPDUMP is None, reason="tcpdump is not installed")
needs_oracle = pytest.mark.skipif(not ORACLE_PCAP.exists(), reason="oracle capture not present")

MAC1 = bytes.fromhex("020000000001")
MAC2 = bytes.fromhex("020000000002")


def ping_data(stamp: bytes, size: int = 56) -> bytes:
    """What iputils ping sends: a 16-byte struct timeval, then byte i = i (mod 256)."""
    return stamp + bytes(i & 0xFF for i in range(16, size))


def oracle_frames() -> list[tuple[float, bytes]]:
    """The oracle's `ping -c 2 192.168.2.12` over veth, built from the values alone."""
    mac_a, mac_b = ethernet.mac_from_str("02:95:cb:05:06:95"), ethernet.mac_from_str("da:9d:76:fc:5f:11")
    a, b = A4("192.168.2.11"), A4("192.168.2.12")

    def frame(dst, src, ethertype, payload):
        return EthernetHeader(dst, src, ethertype).pack(payload)

    def echo(src, dst, ip_id, df, type_, seq, stamp):
        message = icmp.IcmpEcho(type_, 7614, seq, ping_data(bytes.fromhex(stamp)))
        header = ipv4.IPv4Header(src, dst, ipv4.IPPROTO_ICMP, id=ip_id,
                                 frag_off=ipv4.IP_DF if df else 0)
        return header.pack(message.pack())

    stamp1, stamp2 = "4e0c066b00000000264d000000000000", "4f0c066b00000000d95c000000000000"
    return [
        (1795558478.019833, frame(ethernet.BROADCAST_MAC, mac_a, ethernet.ETH_P_ARP,
                                  arp.ArpPacket.request(mac_a, a, b).pack())),
        (1795558478.019850, frame(mac_a, mac_b, ethernet.ETH_P_ARP,
                                  arp.ArpPacket.reply(mac_b, b, mac_a, a).pack())),
        (1795558478.019852, frame(mac_b, mac_a, ethernet.ETH_P_IP,
                                  echo(a, b, 37119, True, icmp.IcmpType.ECHO, 1, stamp1))),
        (1795558478.019905, frame(mac_a, mac_b, ethernet.ETH_P_IP,
                                  echo(b, a, 46480, False, icmp.IcmpType.ECHOREPLY, 1, stamp1))),
        (1795558479.023801, frame(mac_b, mac_a, ethernet.ETH_P_IP,
                                  echo(a, b, 37245, True, icmp.IcmpType.ECHO, 2, stamp2))),
        (1795558479.023823, frame(mac_a, mac_b, ethernet.ETH_P_IP,
                                  echo(b, a, 46688, False, icmp.IcmpType.ECHOREPLY, 2, stamp2))),
    ]


# ---------------------------------------------------------------- the file format

@needs_oracle
def test_oracle_capture_reads_and_rewrites_identically():
    data = ORACLE_PCAP.read_bytes()
    capture = pcap.load_pcap(data)
    assert (capture.linktype, capture.snaplen, capture.version) == (1, 262144, (2, 4))
    assert len(capture.records) == 6 and capture.error is None
    assert capture.wire_lengths == [42, 42, 98, 98, 98, 98]
    assert pcap.write_pcap(capture.records) == data


@needs_oracle
def test_oracle_capture_rebuilt_from_scratch():
    assert pcap.write_pcap(oracle_frames()) == ORACLE_PCAP.read_bytes()


def test_file_header_is_what_libpcap_writes():
    assert pcap.file_header().hex() == "d4c3b2a1" "02000400" "00000000" "00000000" "00000400" "01000000"
    assert pcap.file_header(pcap.LINKTYPE_LINUX_SLL2)[20:] == struct.pack("<I", 276)


def test_write_and_read_back():
    records = [(1795558478.000001, b"\x01" * 60), (1795558478.999999, b"\x02" * 42),
               (1700000000.5, b""), (0.0, b"\x03")]
    capture = pcap.load_pcap(pcap.write_pcap(records))
    assert capture.records == records and capture.wire_lengths == [60, 42, 0, 1]
    assert pcap.read_pcap(pcap.write_pcap(records)) == (1, 262144, records)


def test_timestamps_round_to_the_microsecond():
    capture = pcap.load_pcap(pcap.write_pcap([(10.0000004, b"a"), (10.9999996, b"b")]))
    assert [ts for ts, _ in capture.records] == [10.0, 11.0]


def test_snaplen_cuts_the_bytes_but_keeps_the_wire_length():
    capture = pcap.load_pcap(pcap.write_pcap([(1.0, bytes(300))], snaplen=96))
    assert capture.snaplen == 96
    assert len(capture.records[0][1]) == 96 and capture.wire_lengths == [300]


def test_big_endian_and_nanosecond_files():
    be = (struct.pack(">IHHiIII", pcap.PCAP_MAGIC_NSEC, 2, 4, 0, 0, 65535, 1)
          + struct.pack(">IIII", 5, 250_000_000, 3, 3) + b"abc")
    capture = pcap.load_pcap(be)
    assert capture.records == [(5.25, b"abc")] and capture.snaplen == 65535


@pytest.mark.parametrize("data, message", [
    (b"", "truncated dump file; tried to read 4 file header bytes, only got 0"),
    (b"\xd4\xc3", "truncated dump file; tried to read 4 file header bytes, only got 2"),
    (pcap.file_header()[:10], "truncated dump file; tried to read 24 file header bytes, only got 6"),
    (b"hello world, not a pcap file", "unknown file format"),
])
def test_files_libpcap_refuses(data, message):
    # the messages real tcpdump -r prints after "tcpdump: "
    with pytest.raises(pcap.PcapError) as err:
        pcap.load_pcap(data)
    assert str(err.value) == message


def test_file_ending_inside_a_record_keeps_the_records_before_it():
    whole = pcap.write_pcap([(1.0, bytes(42)), (2.0, bytes(90))])
    capture = pcap.load_pcap(whole[:24 + 16 + 42 + 16 + 60])
    assert len(capture.records) == 1
    assert capture.error == "truncated dump file; tried to read 90 captured bytes, only got 60"
    capture = pcap.load_pcap(whole[:24 + 16 + 42 + 6])
    assert capture.error == "truncated dump file; tried to read 16 header bytes, only got 6"


# ---------------------------------------------------------------- cooked headers
# Captured with `tcpdump -i any` (SLL2, libpcap 1.10's default) and `-y LINUX_SLL` in the
# namespace of veth0 (ifindex 2): the ARP request it sent and the reply it received,
# and an ICMP error delivered over lo. The 2 bytes after each 6-byte address are
# stale kernel memory.
ARP_REQUEST = bytes.fromhex(
    "ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002")
ARP_REPLY = bytes.fromhex(
    "020000000001020000000002080600010800060400020200000000020a0000020200000000010a000001")
SLL_ARP_REQUEST = bytes.fromhex(
    "00040001000602000000000100000806" "00010800060400010200000000010a0000010000000000000a000002")
SLL2_ARP_REQUEST = bytes.fromhex(
    "0806000000000002000104060200000000010000" "00010800060400010200000000010a0000010000000000000a000002")
SLL2_ARP_REPLY = bytes.fromhex(
    "0806000000000002000100060200000000020000" "00010800060400020200000000020a0000020200000000010a000001")
SLL2_LO_HEAD = bytes.fromhex("08000000000000010304000600000000000000024500")


def test_cooked_headers_parse_and_round_trip():
    header, rest = pcap.SllHeader.unpack(SLL_ARP_REQUEST)
    assert (header.pkttype, header.hatype, header.addr, header.protocol) == (
        pcap.PacketType.OUTGOING, pcap.ARPHRD_ETHER, MAC1, ethernet.ETH_P_ARP)
    assert rest == ARP_REQUEST[14:] and header.pack(rest) == SLL_ARP_REQUEST
    header, rest = pcap.Sll2Header.unpack(SLL2_ARP_REPLY)
    assert (header.protocol, header.ifindex, header.pkttype, header.addr) == (
        ethernet.ETH_P_ARP, 2, pcap.PacketType.HOST, MAC2)
    assert header.pack(rest) == SLL2_ARP_REPLY
    header, _ = pcap.Sll2Header.unpack(SLL2_LO_HEAD)
    assert (header.ifindex, header.hatype, header.addr, header.addr_tail) == (
        1, pcap.ARPHRD_LOOPBACK, bytes(6), b"\x00\x02")


VETH0 = SimpleNamespace(ifindex=2, kind="veth", address=MAC1)
LO = SimpleNamespace(ifindex=1, kind="loopback", address=bytes(6))


def test_cooked_headers_for_frames_crossing_a_device():
    assert pcap.sll_header(ARP_REQUEST, VETH0, outgoing=True) + ARP_REQUEST[14:] == SLL_ARP_REQUEST
    assert pcap.sll2_header(ARP_REQUEST, VETH0, outgoing=True) + ARP_REQUEST[14:] == SLL2_ARP_REQUEST
    assert pcap.sll2_header(ARP_REPLY, VETH0, outgoing=False) + ARP_REPLY[14:] == SLL2_ARP_REPLY
    # lo: ARPHRD_LOOPBACK, zero address, received for this host
    frame = bytes(12) + b"\x08\x00" + b"\x45\x00"
    assert pcap.sll2_header(frame, LO, outgoing=False) == SLL2_LO_HEAD[:18] + b"\x00\x00"


def test_packet_types_tcpdump_shows_as_direction():
    incoming = [(ARP_REQUEST, pcap.PacketType.BROADCAST), (ARP_REPLY, pcap.PacketType.HOST),
                (bytes.fromhex("333300000016") + MAC2 + b"\x86\xdd", pcap.PacketType.MULTICAST),
                (MAC2 + MAC2 + b"\x08\x00", pcap.PacketType.OTHERHOST)]
    for frame, expected in incoming:
        assert pcap.packet_type(frame, MAC1, outgoing=False) == expected
    assert pcap.packet_type(ARP_REPLY, MAC1, outgoing=True) == pcap.PacketType.OUTGOING


# ---------------------------------------------------------------- real tcpdump reads ours

def sample_frames() -> list[bytes]:
    """One of each kind the kernel sends, built from scratch with ipemu.kernel.wire."""
    a, b = A4("10.0.0.1"), A4("10.0.0.2")
    a6, b6, ll2 = A6("2001:db8::1"), A6("2001:db8::2"), A6("fe80::ff:fe00:2")
    mld, routers, snm = A6("ff02::16"), A6("ff02::2"), A6("ff02::1:ff00:2")

    def v4(dst, src, header, body):
        return EthernetHeader(dst, src, ethernet.ETH_P_IP).pack(header.pack(body))

    def v6(dst, src, header, body):
        return EthernetHeader(dst, src, ethernet.ETH_P_IPV6).pack(header.pack(body))

    data = ping_data(bytes(16))
    echo = ipv4.IPv4Header(a, b, ipv4.IPPROTO_ICMP, id=1, frag_off=ipv4.IP_DF).pack(
        icmp.IcmpEcho(icmp.IcmpType.ECHO, 7614, 1, data).pack())
    udp4 = ipv4.IPv4Header(a, b, ipv4.IPPROTO_UDP, id=2, frag_off=ipv4.IP_DF).pack(
        udp.UdpDatagram(40000, 5001, b"closed").pack(a, b))
    unreach = icmp.IcmpError.dest_unreach(icmp.UnreachCode.PORT_UNREACH, udp4)
    udp6 = ipv6.IPv6Header(a6, b6, ipv6.NEXTHDR_UDP).pack(
        udp.UdpDatagram(40000, 5001, b"closed6").pack(a6, b6))
    report = icmpv6.Mld2Report([icmpv6.Mld2Record(icmpv6.Mld2RecordType.CHANGE_TO_EXCLUDE, snm)])
    return [
        EthernetHeader(ethernet.BROADCAST_MAC, MAC1, ethernet.ETH_P_ARP).pack(
            arp.ArpPacket.request(MAC1, a, b).pack()),
        EthernetHeader(MAC1, MAC2, ethernet.ETH_P_ARP).pack(
            arp.ArpPacket.reply(MAC2, b, MAC1, a).pack()),
        EthernetHeader(MAC2, MAC1, ethernet.ETH_P_IP).pack(echo),
        v4(MAC1, MAC2, ipv4.IPv4Header(b, a, ipv4.IPPROTO_ICMP, id=3),
           icmp.IcmpEcho(icmp.IcmpType.ECHOREPLY, 7614, 1, data).pack()),
        EthernetHeader(MAC2, MAC1, ethernet.ETH_P_IP).pack(udp4),
        v4(MAC1, MAC2, ipv4.IPv4Header(b, a, ipv4.IPPROTO_ICMP, tos=0xC0, id=4), unreach.pack()),
        v6(MAC2, MAC1, ipv6.IPv6Header(a6, b6, ipv6.NEXTHDR_ICMP, flow_label=0xF9BCB),
           icmpv6.Icmp6Echo(icmpv6.Icmp6Type.ECHO_REQUEST, 7615, 1, data).pack(a6, b6)),
        v6(ethernet.ipv6_multicast_mac(snm), MAC1, ipv6.IPv6Header(a6, snm, ipv6.NEXTHDR_ICMP, hop_limit=255),
           icmpv6.NeighbourSolicitation(b6, [icmpv6.NdOption.source_lladdr(MAC1)]).pack(a6, snm)),
        v6(MAC1, MAC2, ipv6.IPv6Header(b6, a6, ipv6.NEXTHDR_ICMP, hop_limit=255),
           icmpv6.NeighbourAdvertisement(b6, solicited=True, override=True,
                                         options=[icmpv6.NdOption.target_lladdr(MAC2)]).pack(b6, a6)),
        v6(ethernet.ipv6_multicast_mac(routers), MAC2,
           ipv6.IPv6Header(ll2, routers, ipv6.NEXTHDR_ICMP, hop_limit=255),
           icmpv6.RouterSolicitation([icmpv6.NdOption.source_lladdr(MAC2)]).pack(ll2, routers)),
        v6(ethernet.ipv6_multicast_mac(mld), MAC2,
           ipv6.IPv6Header(A6("::"), mld, ipv6.NEXTHDR_HOP, hop_limit=1),
           ipv6.HopByHopHeader.router_alert().pack(report.pack(A6("::"), mld))),
        EthernetHeader(MAC2, MAC1, ethernet.ETH_P_IPV6).pack(udp6),
        v6(MAC1, MAC2, ipv6.IPv6Header(b6, a6, ipv6.NEXTHDR_ICMP),
           icmpv6.Icmp6Error.dest_unreach(icmpv6.Unreach6Code.PORT_UNREACH, udp6).pack(b6, a6)),
    ]


def tcpdump_read(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([TCPDUMP, "-r", str(path), *args], capture_output=True, text=True,
                          timeout=30, env={**os.environ, "TZ": "UTC"})


@needs_tcpdump
def test_real_tcpdump_reads_an_ipemu_capture(tmp_path):
    path = tmp_path / "ipemu.pcap"
    frames = sample_frames()
    path.write_bytes(pcap.write_pcap([(1795558478 + i / 1000, f) for i, f in enumerate(frames)]))
    result = tcpdump_read(path, "-n", "-e", "-vv")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "reading from file %s, link-type EN10MB (Ethernet), snapshot length 262144\n" % path
    out = result.stdout
    assert "bad" not in out and "truncated" not in out and "[|" not in out
    for expected in [
        "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Ethernet (len 6), "
        "IPv4 (len 4), Request who-has 10.0.0.2 tell 10.0.0.1, length 28",
        "Reply 10.0.0.2 is-at 02:00:00:00:00:02, length 28",
        "ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 64, id 1, offset 0, flags [DF], "
        "proto ICMP (1), length 84)\n    10.0.0.1 > 10.0.0.2: ICMP echo request, id 7614, seq 1, length 64",
        "10.0.0.2 > 10.0.0.1: ICMP echo reply, id 7614, seq 1, length 64",
        "10.0.0.1.40000 > 10.0.0.2.5001: [udp sum ok] UDP, length 6",
        "10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 udp port 5001 unreachable, length 42",
        "2001:db8::1 > 2001:db8::2: [icmp6 sum ok] ICMP6, echo request, id 7615, seq 1",
        "[icmp6 sum ok] ICMP6, neighbor solicitation, length 32, who has 2001:db8::2\n"
        "\t  source link-address option (1), length 8 (1): 02:00:00:00:00:01",
        "neighbor advertisement, length 32, tgt is 2001:db8::2, Flags [solicited, override]",
        "fe80::ff:fe00:2 > ff02::2: [icmp6 sum ok] ICMP6, router solicitation, length 16",
        ":: > ff02::16: HBH (rtalert: 0x0000) (padn) [icmp6 sum ok] ICMP6, multicast listener "
        "report v2, 1 group record(s) [gaddr ff02::1:ff00:2 to_ex { }]",
        "2001:db8::1.40000 > 2001:db8::2.5001: [udp sum ok] UDP, length 7",
        "destination unreachable, unreachable port, 2001:db8::2 udp port 5001",
    ]:
        assert expected in out
    assert out.count("\n") >= len(frames)


@needs_tcpdump
@needs_oracle
def test_real_tcpdump_prints_the_oracle_lines_for_the_rebuilt_capture(tmp_path):
    path = tmp_path / "ping.pcap"
    path.write_bytes(pcap.write_pcap(oracle_frames()))
    result = tcpdump_read(path, "-n", "-e", "icmp")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "22:14:38.019852 02:95:cb:05:06:95 > da:9d:76:fc:5f:11, ethertype IPv4 (0x0800), "
        "length 98: 192.168.2.11 > 192.168.2.12: ICMP echo request, id 7614, seq 1, length 64")
    assert len(result.stdout.splitlines()) == 4


@needs_tcpdump
@pytest.mark.parametrize("ifindex, linktype, banner", [
    (None, pcap.LINKTYPE_LINUX_SLL, "LINUX_SLL (Linux cooked v1)"),
    (2, pcap.LINKTYPE_LINUX_SLL2, "LINUX_SLL2 (Linux cooked v2)"),
])
def test_real_tcpdump_reads_cooked_captures(tmp_path, ifindex, linktype, banner):
    path = tmp_path / "any.pcap"
    frames = sample_frames()
    cooked = pcap.sll_header if ifindex is None else pcap.sll2_header
    records = [(1795558478 + i / 1000, cooked(f, VETH0, outgoing=True) + f[14:])
               for i, f in enumerate(frames)]
    path.write_bytes(pcap.write_pcap(records, linktype=linktype))
    result = tcpdump_read(path, "-nn", "-e", "-vv")
    assert result.returncode == 0, result.stderr
    assert banner in result.stderr
    out = result.stdout
    assert "bad" not in out and "[|" not in out
    assert " Out " in out
    sll_len = 16 if ifindex is None else 20
    assert f"02:00:00:00:00:01 ethertype ARP (0x0806), length {sll_len + 28}: " in out
    assert "Request who-has 10.0.0.2 tell 10.0.0.1, length 28" in out
    assert out.count("[icmp6 sum ok]") == 6
