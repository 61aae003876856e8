"""captures42: tcpdump's own test captures (tcpdump 4.99.3's TESTLIST and its master
branch's newer tests) read with `tcpdump -r`, byte for byte against the real tcpdump
4.99.3 (Debian 12, TZ=UTC).

tests/data/captures42/ holds the files (README: where each came from, its licence) and
what the real tcpdump printed for each line of cases.txt (record.sh: standard output in
out/N.out, standard error and the exit status in out/N.err). What they showed:

- the IPv6 Mobility Header (next header 135, and Mobile IP's old 62) as
  print-mobility.c prints it (it printed ` ip-proto-135 LENGTH`): the message type
  (BRR, HoTI, CoTI, HoT, CoT, BU, BA, BE), its fields (nonce index, sequence number,
  the A/H/L/K flags, lifetime in units of 4 s, status, home address), the cookies and
  keygen tokens and the mobility options under -v, a header length too small for its
  type, and ip6_print() printing nothing after it;
- VXLAN-GPE on UDP port 4790 as print-vxlan-gpe.c prints it and the Network Service
  Header (ethertype 0x894f, VXLAN-GPE's next protocol 4) as print-nsh.c prints it (they
  printed plain UDP and an unknown ethertype's hex): flags, VNI, service path and
  index, -vv's version and next protocol, -vvv's TTL, length, MD type and context
  headers, the payload by next protocol on a line of its own under -v;
- PPTP's control messages on TCP port 1723 as print-pptp.c prints them (it printed
  nothing after the TCP line): the header (-v's length, message type and magic
  cookie), each of the 15 messages' fields, -v's result, error and reason names;
- PPP's LCP options as print_lcp_config_options() prints them (Call-Back, End-Disc,
  Vend-Ext and Link-Discriminator were left as hex) and PPP over ethertype 0x880b
  (ppp_print() after `: `; it printed an unknown ethertype's hex);
- IS-IS under -v as print-isoclns.c isis_print() prints it (it printed the LLC frame's
  hex): the common and fixed headers of hellos, LSPs (the Fletcher checksum checked
  as create_osi_cksum() does, flags, IS type) and sequence number PDUs, then each TLV:
  area addresses, neighbours, old and extended IS and IPv4 reachability with their
  sub-TLVs (TE, adjacency and prefix SIDs, admin tags), IPv6 and multi-topology
  reachability, authentication, adjacency state, protocols, hostname, LSP entries,
  purge originator, restart signalling, router capability, SPB's sub-TLVs, the TE
  link sub-TLVs with GMPLS switching capabilities and bandwidth constraint models
  (gmpls.c's tables); -vv's hex after each TLV;
- the Arista vendor ethertype 0xd28b as print-arista.c and ether_print()'s `recurse`
  print it (the TapAgg timestamp, then the frame's own type, 802.1Q included), the
  Alteon jumbo ethertype 0x8870's LLC, and MS NLB heartbeats (ethertype 0x886f,
  print-msnlb.c; they were unknown ethertypes' hex);
- Babel on UDP 6696/6697 as print-babel.c prints it and AHCP on UDP 5359 as
  print-ahcp.c prints it (both printed plain UDP): Babel's TLV names, -v's hellos,
  IHUs, updates with their omitted-prefix compression, requests, HMAC, MAC/PC and
  the sub-TLVs (diversity, timestamps), the trailer; AHCP's header under -v and its
  options under -vv;
- DCCP (IP protocol 33) as print-dccp.c prints it (it printed ` ip-proto-33 LENGTH`):
  ports, -v's CCVal, checksum coverage and the checksum over the covered bytes only,
  each packet type's fields, the acknowledgement number, -vv's sequence number and
  options (feature negotiation, ack vectors, timestamps, elapsed time), -q's length;
- the rest of print-isoclns.c: CLNP (addresses, -v's header, checksum, flags,
  segmentation part, options, an error report's original PDU) and ES-IS (ESH, ISH,
  redirect, options) over LLC, ethertype 0xfefe and PPP's OSI protocol (they printed
  the LLC frame's hex or unknown ethertypes); the filter keywords esis, clnp and
  isis compare the NLPID and l1, l2, iih, lsp, snp, csnp, psnp the IS-IS PDU type
  (gen_proto(Q_ISO/Q_ISIS)), iso and netbeui both SAPs (they took any OSI frame);
- Ethernet CFM under -v as print-cfm.c prints it (ipemu had its line without -v only,
  and not on the old ethertype 0xabcd): CCM intervals, MD and MA names by format,
  linktrace fields, the TLVs (port and interface status, sender ID with its chassis
  and management addresses, organisation-specific) and their hex;
- RPKI-RTR on TCP 323 as print-rpki-rtr.c prints it (it printed nothing after the
  TCP line): `, RPKI-RTR` without -v, each PDU under -v (session, serials, IPv4 and
  IPv6 prefixes, error reports with the encapsulated PDU and text, unknown versions
  and types), -vv's hex;
- the link types of router labs' serial links, which ipemu printed as UNSUPPORTED and
  their hex: Cisco HDLC (104, print-chdlc.c: -e's address and type, SLARP requests,
  replies and keepalives with the link uptime, IP, MPLS, OSI with its fudge byte) and
  PPP (9, ppp_if_print()), with multilink PPP's header (handle_mlppp()); filters on
  them read the protocol field (PPP's numbers on PPP);
- `mpls` in filters as gencode.c compiles it: the unicast type only (0x8847, PPP's
  0x0281), then the code after it 4 bytes further in, a further label's check of the
  S bit before it, and ip/ip6 inside as the S bit and version nibble (they rejected
  every MPLS packet: `mpls and icmp` printed nothing);
- OLSR on UDP 698 as print-olsr.c prints it (it printed plain UDP): the packet's
  sequence and length, under -v each message (HELLO and HELLO-LQ links and
  neighbours with their link quality, TC, MID, HNA with smart gateways, name
  service), the quirks kept (a blank after every neighbour, every IPv6 HNA entry #0,
  printf's %#06x of zero);
- ATA over Ethernet (ethertype 0x88a2) as print-aoe.c prints it (it printed an unknown
  ethertype's hex): version and flags, -v's header and each command's arguments;
- SOME/IP on UDP 30490 as print-someip.c prints it (it printed plain UDP), the header
  ending in a newline of its own; BSD timed's TSP on UDP 525 as print-timed.c prints it;
- MPLS LSP ping under -v as print-lspping.c prints it (it printed plain UDP): the
  header (reply mode, return code and subcode, handle, NTP timestamps), the target
  FEC stack's LDP, RSVP, VPN, L2VPN and pseudowire sub-TLVs, downstream mapping, BFD
  discriminator and vendor TLVs, -vv's hex;
- Redis's RESP on TCP 6379 (and -T resp) as print-resp.c prints it (it printed nothing
  after the TCP line): strings, errors, integers, bulk strings and arrays quoted,
  inline commands, pipelined requests, its lengths' errors and truncations;
- IPComp (IP protocol 108) as print-ipcomp.c prints it (it printed ` ip-proto-108`);
"""
from __future__ import annotations

from pathlib import Path

import pytest

import tcpdump_reads

DATA = Path(__file__).parent / "data" / "captures42"


@pytest.fixture(scope="module")
def session():
    with tcpdump_reads.utc_session(DATA) as s:
        yield s


@pytest.mark.parametrize("n,capture,flags", tcpdump_reads.cases(DATA), ids=lambda v: str(v))
def test_tcpdump_test_captures_read_as_the_real_tcpdump(session, n, capture, flags):
    tcpdump_reads.check_read(session, DATA, n, capture, flags)


def test_crafted_files_are_what_craft_py_makes(tmp_path):
    tcpdump_reads.check_crafted(DATA, tmp_path)
