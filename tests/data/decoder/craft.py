"""Crafts the decoder's test captures with scapy (`pip install -e '.[craft]'`).

    python tests/data/decoder/craft.py DIR

writes DIR/crafted.pcap (Ethernet), crafted_sll.pcap (Linux cooked v1), crafted_raw.pcap
(raw IP) and gaps.pcap (protocols ipemu's tcpdump does not decode yet): protocol
payloads tcpdump decodes (DNS, mDNS, DHCP/BOOTP, NTP, syslog, RIP) and malformed or
truncated packets (short headers, bad lengths, snapshot-cut frames, bad checksums).
Frames are written with fixed times; a (frame, wire length) pair with the wire length
larger than the frame is a frame cut by the snapshot length. record.sh then stores
what the real tcpdump prints for each under the flag sets the tests use.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

from scapy.all import (  # type: ignore[import-not-found]
    ARP, BOOTP, DHCP, DNS, DNSQR, DNSRR, ICMP, IP, UDP, Dot1Q, Ether, ICMPv6EchoRequest,
    ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IPOption_RR, IPv6, IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop, NTPHeader, NTPControl, RIP, RIPAuth, RIPEntry, Raw, SNMP,
    SNMPget, SNMPvarbind, TCP, ASN1_OID, NBNSQueryRequest, NBNSHeader)
from scapy.layers.dns import DNSRROPT, EDNS0TLV  # type: ignore[import-not-found]

MAC_A, MAC_B = "02:00:00:00:00:0a", "02:00:00:00:00:0b"
A, B = "192.0.2.10", "192.0.2.20"
A6, B6 = "2001:db8::a", "2001:db8::b"
T0 = 1700000000


def eth(payload, src=MAC_A, dst=MAC_B):
    if isinstance(payload, Raw):        # raw bytes here are an IPv4 packet
        return Ether(src=src, dst=dst, type=0x0800) / payload
    return Ether(src=src, dst=dst) / payload


def udp4(sport, dport, payload, **ip):
    return eth(IP(src=A, dst=B, **ip) / UDP(sport=sport, dport=dport) / payload)


# -- protocol payloads ---------------------------------------------------------------
def dns_packets():
    q = DNS(id=0x1234, rd=1, qd=DNSQR(qname="www.example.com", qtype="A"))
    yield udp4(40000, 53, q)
    yield udp4(40001, 53, DNS(id=7, rd=1, cd=1, qd=DNSQR(qname="example.org", qtype="AAAA",
                                                         qclass="CH")))
    yield udp4(53, 40000, DNS(
        id=0x1234, qr=1, rd=1, ra=1, aa=1, qd=DNSQR(qname="www.example.com"),
        an=[DNSRR(rrname="www.example.com", type="CNAME", ttl=300, rdata="web.example.com"),
            DNSRR(rrname="web.example.com", type="A", ttl=60, rdata="192.0.2.80"),
            DNSRR(rrname="web.example.com", type="AAAA", ttl=60, rdata="2001:db8::80")],
        ns=[DNSRR(rrname="example.com", type="NS", ttl=3600, rdata="ns1.example.com")],
        ar=[DNSRR(rrname="ns1.example.com", type="A", ttl=3600, rdata="192.0.2.53")]))
    yield udp4(53, 40002, DNS(
        id=99, qr=1, rd=1, ra=1, rcode=3, qd=DNSQR(qname="nope.example.com", qtype="MX"),
        ns=[DNSRR(rrname="example.com", type="SOA", ttl=900,
                  rdata=b"\x03ns1\x07example\x03com\x00\x05admin\xc0\x3a"
                        + struct.pack("!IIIII", 2023, 7200, 3600, 1209600, 300))]))
    yield udp4(53, 40003, DNS(
        id=5, qr=1, ra=1, qd=DNSQR(qname="example.com", qtype="TXT"),
        an=[DNSRR(rrname="example.com", type="TXT", rdata=["v=spf1 -all", "hello"]),
            DNSRR(rrname="example.com", type="MX", rdata=b"\x00\x0a\x04mail\xc0\x0c")]))
    yield udp4(53, 40004, DNS(
        id=6, qr=1, qd=DNSQR(qname="_sip._udp.example.com", qtype="SRV"),
        an=[DNSRR(rrname="_sip._udp.example.com", type="SRV",
                  rdata=struct.pack("!HHH", 10, 60, 5060) + b"\x03sip\x07example\x03com\x00")]))
    yield udp4(40005, 53, DNS(id=8, rd=1, qd=DNSQR(qname="10.2.0.192.in-addr.arpa",
                                                    qtype="PTR"),
                              ar=[DNSRROPT(rclass=1232, z=0x8000, rdata=[
                                  EDNS0TLV(optcode=10, optdata=bytes(range(8))),
                                  EDNS0TLV(optcode=8, optdata=b"\x00\x01\x18\x00\xc0\x00\x02"),
                                  EDNS0TLV(optcode=12, optdata=bytes(4))])]))
    # a compression pointer that points forward, and one cut short by the UDP length
    yield udp4(53, 40006, Raw(bytes.fromhex("000b8180000100010000000003777777") +
                              b"\x07example\x03com\x00\x00\x01\x00\x01\xc0\x40\x00\x01"
                              b"\x00\x01\x00\x00\x00\x3c\x00\x04\xc0\x00\x02\x01"))
    yield udp4(40007, 53, Raw(bytes(DNS(id=9, qd=DNSQR(qname="truncated.example.net")))[:20]))
    yield udp4(40008, 53, Raw(b"query\n"))
    yield eth(IP(src=A, dst="224.0.0.251") / UDP(sport=5353, dport=5353) /
              DNS(id=0, qd=DNSQR(qname="_http._tcp.local", qtype="PTR", unicastresponse=1)))
    yield eth(IP(src=A, dst="224.0.0.251") / UDP(sport=5353, dport=5353) /
              DNS(id=0, qr=1, aa=1, an=DNSRR(rrname="host.local", type="A", rclass=0x8001,
                                             ttl=120, rdata="192.0.2.10")))


def dhcp_packets():
    chaddr = bytes.fromhex("02000000000a") + bytes(10)
    yield eth(IP(src="0.0.0.0", dst="255.255.255.255") / UDP(sport=68, dport=67) /
              BOOTP(op=1, xid=0x3903F326, flags=0x8000, chaddr=chaddr) /
              DHCP(options=[("message-type", "discover"), ("client_id", b"\x01" + chaddr[:6]),
                            ("requested_addr", "192.0.2.99"), ("hostname", b"box"),
                            ("vendor_class_id", b"ipemu-test"),
                            ("param_req_list", [1, 3, 6, 15, 28, 42, 121, 119, 252]),
                            ("max_dhcp_size", 1500), (121, b"\x18\xc6\x33\x64\xc0\x00\x02\x01"),
                            (77, b"\x04abcd\x02xy"), (81, b"\x01\x00\x00box.example"),
                            (82, b"\x01\x04eth0\x02\x02ab\x09\x01z"), "end"]),
              src=MAC_A, dst="ff:ff:ff:ff:ff:ff")
    yield eth(IP(src=B, dst="192.0.2.99") / UDP(sport=67, dport=68) /
              BOOTP(op=2, xid=0x3903F326, yiaddr="192.0.2.99", siaddr=B, chaddr=chaddr,
                    sname=b"server", file=b"pxelinux.0") /
              DHCP(options=[("message-type", "offer"), ("subnet_mask", "255.255.255.0"),
                            ("router", "192.0.2.1"), ("name_server", "192.0.2.53",
                                                      "192.0.2.54"),
                            ("lease_time", 86400), ("renewal_time", 43200),
                            ("server_id", B), ("domain", b"example.com"),
                            (46, b"\x08"), (52, b"\x03"), (2, struct.pack("!i", -3600)),
                            (19, b"\x00"), (250, b"\x01\x02\x03"), "pad", "pad", "end"]),
              src=MAC_B, dst=MAC_A)
    yield eth(IP(src=B, dst=A) / UDP(sport=67, dport=68) /
              BOOTP(op=2, htype=6, hlen=8, hops=2, secs=5, chaddr=chaddr) /
              DHCP(options=[("message-type", "nak"), ("error_message", b"no lease"),
                            (61, b""), "end"]))
    yield udp4(68, 67, BOOTP(op=1, chaddr=chaddr, options=b"CMU\x00" + bytes(60)))
    yield udp4(68, 67, BOOTP(op=1, chaddr=chaddr, options=b"\x00\x00\x00\x00"))
    # options cut by the datagram's end
    yield udp4(68, 67, Raw(bytes(BOOTP(op=1, chaddr=chaddr) /
                                 DHCP(options=[("message-type", "request"),
                                               ("hostname", b"longhostname"), "end"]))[:250]))


def ntp_packets():
    yield udp4(123, 123, NTPHeader(version=4, mode=3, poll=6, precision=-20,
                                   orig=0, sent=T0 + 2208988800.25))
    yield udp4(123, 123, NTPHeader(version=4, mode=4, stratum=2, poll=10, precision=-23,
                                   delay=0.015, dispersion=0.03, id="192.0.2.1",
                                   ref=T0 + 2208988700.5, orig=T0 + 2208988800.25,
                                   recv=T0 + 2208988800.26, sent=T0 + 2208988800.27))
    yield udp4(123, 123, NTPHeader(version=3, mode=4, stratum=1, leap=3, ref_id=b"GPS\0",
                                   ref=T0 + 2208988700, orig=0, recv=T0 + 2208988800,
                                   sent=T0 + 2208988801) / Raw(b"\x00\x00\x00\x01" + bytes(16)))
    yield udp4(40123, 123, NTPControl(version=2, op_code=1, sequence=3))
    yield udp4(40124, 123, Raw(b"\x1b" + bytes(20)))
    yield udp4(123, 40125, NTPHeader(version=4, mode=5, stratum=0, orig=0,
                                                 sent=T0 + 2208988801.5) / Raw(bytes(8)))


def syslog_packets():
    yield udp4(40514, 514, Raw(b"<34>Oct 11 22:14:15 mymachine su: 'su root' failed"))
    yield udp4(40514, 514, Raw(b"<191>1 2003-10-11T22:14:15Z host app - - - tab\there\x01\xff"))
    yield udp4(40514, 514, Raw(b"no priority here"))
    yield udp4(40514, 514, Raw(b"<12345>too many digits"))


def rip_packets():
    yield eth(IP(src=A, dst="255.255.255.255") / UDP(sport=520, dport=520) /
              RIP(cmd=2, version=1) / RIPEntry(AF=2, addr="198.51.100.0", metric=1) /
              RIPEntry(AF=2, addr="203.0.113.0", metric=16))
    yield eth(IP(src=A, dst="224.0.0.9") / UDP(sport=520, dport=520) /
              RIP(cmd=2, version=2) /
              RIPEntry(AF=2, addr="198.51.100.0", mask="255.255.255.0", nextHop="192.0.2.1",
                       metric=2, RouteTag=7) /
              RIPEntry(AF=2, addr="10.0.0.0", mask="255.0.0.0", metric=3))
    yield eth(IP(src=A, dst="224.0.0.9") / UDP(sport=520, dport=520) /
              RIP(cmd=1, version=2) / RIPEntry(AF=0, metric=16))
    yield eth(IP(src=A, dst="224.0.0.9") / UDP(sport=520, dport=520) /
              RIP(cmd=2, version=2) / RIPAuth(authtype=2, password=b"secret") /
              RIPEntry(AF=2, addr="10.1.0.0", mask="255.255.0.0", metric=1))
    yield eth(IP(src=A, dst="224.0.0.9") / UDP(sport=520, dport=520) /
              RIP(cmd=2, version=2) / Raw(bytes(10)))


# -- malformed and truncated ------------------------------------------------------------
def malformed_packets():
    dns = bytes(DNS(id=1, rd=1, qd=DNSQR(qname="a.example")))
    ip = bytes(IP(src=A, dst=B) / UDP(sport=40000, dport=53) / dns)
    yield eth(Raw(ip[:2] + struct.pack("!H", len(ip) + 40) + ip[4:]))     # length > data
    yield eth(Raw(b"\x43" + ip[1:]))                                        # header length 12
    yield eth(Raw(ip[:2] + struct.pack("!H", 12) + ip[4:]))                # total < header
    yield eth(Raw(b"\x46" + ip[1:20]))                                      # options cut
    yield eth(IP(src=A, dst=B, options=[IPOption_RR(routers=["192.0.2.1", "0.0.0.0"])]) /
              ICMP(type=8, id=1, seq=1))
    yield eth(IP(src=A, dst=B, chksum=0x1234) / ICMP(type=8, id=2, seq=2, chksum=0x4321))
    yield udp4(40000, 9999, Raw(b"x" * 10)) / Raw()
    yield eth(IP(src=A, dst=B) / UDP(sport=40000, dport=9999, len=4) / Raw(b"abc"))
    yield eth(IP(src=A, dst=B) / UDP(sport=40000, dport=9999, len=80) / Raw(b"abc"))
    yield eth(IP(src=A, dst=B) / UDP(sport=40000, dport=9999, chksum=0xBEEF) / Raw(b"abc"))
    yield eth(IP(src=A, dst=B) / UDP(sport=40000, dport=9999, chksum=0) / Raw(b"abc"))
    yield eth(IP(src=A, dst=B, flags="MF", frag=0) / UDP(sport=40000, dport=53) / Raw(b"x" * 16))
    yield eth(IP(src=A, dst=B, frag=185, proto=17) / Raw(b"y" * 24))
    yield eth(ARP(op=2, hwsrc=MAC_B, psrc=B, hwdst=MAC_A, pdst=A))
    yield eth(ARP(op=1, hwtype=6, ptype=0x0800, psrc=A, pdst=B))
    yield eth(ARP(op=1, hwlen=0, plen=4, psrc=A, pdst=B))
    yield eth(ARP(op=9, hwsrc=MAC_B, psrc=B, hwdst=MAC_A, pdst=A))
    yield eth(IP(src=B, dst=A) / ICMP(type=3, code=3) /
              IP(src=A, dst=B) / UDP(sport=40000, dport=53) / Raw(b"query\n"))
    yield eth(IP(src=B, dst=A) / ICMP(type=11, code=0) / IP(src=A, dst=B, ttl=1) /
              ICMP(type=8, id=3, seq=1))
    yield eth(IP(src=B, dst=A) / ICMP(type=3, code=4, nexthopmtu=1400) /
              IP(src=A, dst=B, flags="DF") / Raw(b"z" * 8))
    yield eth(Dot1Q(vlan=10, prio=5) / IP(src=A, dst=B) / UDP(sport=40000, dport=53) / dns)
    yield eth(Dot1Q(vlan=100, type=0x8100) / Dot1Q(vlan=20) / ARP(psrc=A, pdst=B))
    yield eth(IPv6(src=A6, dst=B6) / UDP(sport=40000, dport=53) / dns)
    yield eth(IPv6(src=A6, dst=B6, plen=200) / ICMPv6EchoRequest(id=4, seq=1))
    yield eth(IPv6(src=A6, dst="ff02::1:ff00:b") / IPv6ExtHdrHopByHop() /
              ICMPv6ND_NS(tgt=B6) / ICMPv6NDOptSrcLLAddr(lladdr=MAC_A))
    yield eth(IPv6(src=A6, dst=B6) / IPv6ExtHdrFragment(id=0x1234, m=1) /
              UDP(sport=40000, dport=123) / Raw(b"\x23" + bytes(47)))
    yield eth(IPv6(src=A6, dst=B6) / UDP(sport=40000, dport=53, chksum=0x1111) / dns)
    yield eth(IP(version=6, src=A, dst=B) / Raw(b"abc"))


def truncated_frames():
    """(frame, wire length): frames as a short snapshot length leaves them."""
    full = [
        udp4(40000, 53, DNS(id=0x4242, rd=1, qd=DNSQR(qname="cut.example.com"))),
        udp4(53, 40000, DNS(id=0x4242, qr=1, qd=DNSQR(qname="cut.example.com"),
                            an=DNSRR(rrname="cut.example.com", rdata="192.0.2.9"))),
        eth(IP(src="0.0.0.0", dst="255.255.255.255") / UDP(sport=68, dport=67) /
            BOOTP(op=1, chaddr=bytes.fromhex("02000000000a")) /
            DHCP(options=[("message-type", "discover"), "end"])),
        udp4(123, 123, NTPHeader(version=4, mode=4, stratum=2, id="192.0.2.1", orig=0,
                                 sent=T0 + 2208988800)),
        udp4(40514, 514, Raw(b"<13>a syslog message that the snapshot cuts")),
        eth(IP(src=A, dst="224.0.0.9") / UDP(sport=520, dport=520) / RIP(cmd=2, version=2) /
            RIPEntry(AF=2, addr="10.0.0.0", mask="255.0.0.0", metric=1) /
            RIPEntry(AF=2, addr="10.1.0.0", mask="255.255.0.0", metric=1)),
        eth(ARP(op=1, psrc=A, pdst=B)),
        eth(IP(src=A, dst=B) / ICMP(type=8, id=5, seq=1) / Raw(bytes(56))),
        eth(IPv6(src=A6, dst=B6) / ICMPv6EchoRequest(id=6, seq=1)),
        eth(IP(src=A, dst=B) / TCP(sport=40000, dport=8080, flags="S", options=[
            ("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)), ("NOP", None),
            ("WScale", 7)])),
    ]
    cuts = [60, 70, 300, 70, 50, 70, 30, 40, 60, 60]
    for pkt, cut in zip(full, cuts):
        data = bytes(pkt)
        yield data[:cut], len(data)
    yield bytes(eth(ARP()))[:10], 42        # shorter than an Ethernet header


def gap_packets():
    """What ipemu's tcpdump does not decode yet: the tests expect these to differ."""
    yield udp4(40161, 161, SNMP(community="public", PDU=SNMPget(varbindlist=[
        SNMPvarbind(oid=ASN1_OID("1.3.6.1.2.1.1.1.0"))])))
    yield udp4(137, 137, NBNSHeader() / NBNSQueryRequest(QUESTION_NAME="WORKSTATION"))
    yield eth(IP(src=A, dst=B) / TCP(sport=40000, dport=53, flags="PA") /
              Raw(struct.pack("!H", 29) + bytes(DNS(id=3, rd=1,
                                                    qd=DNSQR(qname="tcp.example.com")))))
    yield eth(IP(src=A, dst=B) / TCP(sport=40000, dport=5000, flags="S",
                                      options=[(30, b"\x01\x81" + bytes(8))]))


# -- writing ----------------------------------------------------------------------------
def write_pcap(path: Path, records, linktype: int = 1) -> None:
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype)]
    for n, (data, wirelen) in enumerate(records):
        out.append(struct.pack("<IIII", T0 + n, 1000 * n, len(data), wirelen) + data)
    path.write_bytes(b"".join(out))


def whole(packets):
    for pkt in packets:
        data = bytes(pkt)
        yield data, len(data)


def sll(frame: bytes) -> bytes:
    """A cooked v1 header in place of the Ethernet one: sent by us, from MAC_A."""
    return struct.pack("!HHH", 4, 1, 6) + frame[6:12] + b"\0\0" + frame[12:]


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    packets = [*dns_packets(), *dhcp_packets(), *ntp_packets(), *syslog_packets(),
               *rip_packets(), *malformed_packets()]
    write_pcap(out / "crafted.pcap", [*whole(packets), *truncated_frames()])
    cooked = [eth(IP(src=A, dst=B) / UDP(sport=40000, dport=53) /
                  DNS(id=77, rd=1, qd=DNSQR(qname="sll.example"))),
              *list(ntp_packets())[:2], eth(ARP(psrc=A, pdst=B)),
              eth(Dot1Q(vlan=7) / IP(src=A, dst=B) / UDP(sport=520, dport=520) /
                  RIP(cmd=1, version=2) / RIPEntry(AF=0, metric=16))]
    write_pcap(out / "crafted_sll.pcap", [(sll(bytes(p)), len(bytes(p)) + 2) for p in cooked],
               linktype=113)
    raw = [bytes(p)[14:] for p in [*list(dns_packets())[:3], *list(syslog_packets())[:2]]]
    raw.append(bytes(IPv6(src=A6, dst=B6) / UDP(sport=68, dport=67) / Raw(b"\x01\x01\x06")))
    write_pcap(out / "crafted_raw.pcap", [(d, len(d)) for d in raw], linktype=101)
    write_pcap(out / "gaps.pcap", list(whole(gap_packets())))


if __name__ == "__main__":
    main()
