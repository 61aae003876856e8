"""captures43: tcpdump 4.99.3's TESTLIST captures ipemu printed wrong in round 42, read
with `tcpdump -r`, byte for byte against the real tcpdump 4.99.3 (Debian 12, TZ=UTC).

tests/data/captures43/ holds the files (README: where each came from, its licence) and
what the real tcpdump printed for each line of cases.txt (record.sh: standard output in
out/N.out, standard error and the exit status in out/N.err). What they showed:

- the link types of Linux switch and logging captures, which ipemu printed as
  UNSUPPORTED and their hex: Marvell DSA and EDSA tags (print-dsa.c: the mode, device,
  port and VLAN, -e's full tag), Broadcom tags inside and before the Ethernet header
  (print-brcmtag.c: ingress and egress fields), Linux NFLOG (print-nflog.c: -e's
  header, the TLVs skipped up to the payload), IP over InfiniBand (print-ipoib.c),
  Solaris IPNET (print-ipnet.c: zones and family) and Linux vsockmon (print-vsock.c:
  transport, -v's virtio header, addresses, -vv's payload); ether_print() takes a
  switch tag as ether_common_print() does;
- the banner's `link-type NAME (DESCRIPTION)` for every link type libpcap 1.10.3 names
  (it printed the number for those ipemu does not print);
- filters on them as gencode.c compiles them: IPNET's family byte for ip/ip6 (other
  protocols reject all packets), `X link-layer type filtering not implemented` for
  the link types without a protocol field (NFLOG's message its own);
- Frame Relay (link type FRELAY) and multilink Frame Relay (MFR) as print-fr.c prints
  them (they printed UNSUPPORTED and hex): the Q.922 address and -e's header, Cisco
  ethertypes, the NLPIDs (IP, IPv6, OSI, SNAP, FRF.15, PPP), Q.933's LMI messages
  with their report type, link verify and PVC status IEs (also from isoclns_print()),
  FRF.16 control IEs and fragments; ARP's Frame Relay addresses as q922_string();
  filters as gencode.c compiles them on DLT_FRELAY (the NLPID word at offset 2, the
  fields after it read from the frame's start) and refuses them on DLT_MFR;
- SLIP (link types SLIP and SLIP_BSDOS) as print-sl.c prints it (it printed
  UNSUPPORTED and hex): -e's direction and compression (ip, utcp, ctcp with Van
  Jacobson's changes, print_sl_change() not moving past a one-byte change, the
  lengths remembered per direction and connection from packet to packet); filters
  as gencode.c compiles them (ip/ip6 test the pseudo-header's first byte);
- OSPFv2's opaque LSAs as print-ospf.c prints them (they printed as unknown data):
  the TE LSA's router address and link TLVs with each sub-TLV (bandwidths, TE
  classes, constraints, switching capability, SRLGs and their double step, wrong
  lengths invalid), the grace LSA's period, reason and interface address;
- PPP over serial lines (link type PPP_SERIAL) as ppp_hdlc_if_print() prints it (it
  printed UNSUPPORTED and hex): -e's address, control and length, the protocol's
  name, Cisco HDLC frames by their address, other addresses; handle_ppp()'s HDLC
  escape codes through ppp_hdlc() (the bytes unescaped, then the protocol guessed);
- AODV on UDP 654 (and -T aodv) as print-aodv.c prints it (it printed plain UDP):
  requests, replies, errors and acknowledgements over IPv4 and IPv6, draft 01's
  types, the hello extension, flags read from the type byte as tcpdump reads them;
  Kerberos 4 as krb4_print() prints it (it printed plain UDP): byte order, message
  type, principal names, lifetimes, error codes;
- PGM (IP protocol 113, -T pgm and pgm_zmtp1 over UDP) as print-pgm.c prints it (it
  printed ` ip-proto-113 LENGTH`): -v's types and options (its quirks kept: options
  read from the header after SPMR and unknown types, a NAK's group AFI), and ZeroMQ's
  ZMTP/1.0 frames as print-zeromq.c prints them (-T zmtp1 over TCP, inside PGM data);
  tcp_print() printing nothing of the payload under any other -T type;
- IGRP (IP protocol 9) as print-igrp.c prints it (it printed ` ip-proto-9 LENGTH`) and
  Cisco's VQP on UDP 1589 as print-vqp.c prints it (it printed plain UDP);
- IPX as print-ipx.c prints it (802.2 and raw 802.3 IPX printed their hex, Ethernet II
  IPX an unknown ethertype): addresses and sockets, SAP (service names only without
  -n, as init_addrtoname() loads them) and RIP, NCP, NetBIOS, diagnostics; `ipx` in
  filters as gen_ether_linktype() compiles it (all four framings);
- a savefile's link type as LT_LINKTYPE() reads it (the FCS length bits dropped);
- LISP's authentication data as hex_print() prints it: what was captured, then the
  truncation (it printed the truncation alone);
- HNCP on UDP 8231 as print-hncp.c prints it (it printed plain UDP): the type counts
  below -v's depth, each DNCP and HNCP TLV above it (node state, peers, prefixes,
  DHCP data, names, PSK), its invalid and truncated TLVs;
- BGP's multicast VPN routes (SAFI 5) as decode_multicast_vpn() prints them (the
  packet's text ended at the BGP line): route types, RDs, originators, sources and
  groups, tcpdump's own quirks (an S-PMSI originator read after the RD);
- the LBL whiteboard (wb: UDP 4567 as destination, -T wb) as print-wb.c prints it (it
  printed plain UDP): announcements, repairs, draw operations under -v, page vectors;
- ND_DEFAULTPRINT marking a length past the captured bytes ` [|proto]`, and IS-IS's
  instance ID TLV printing its ITIDs one at a time up to a truncation;
"""
from __future__ import annotations

from pathlib import Path

import pytest

import tcpdump_reads

DATA = Path(__file__).parent / "data" / "captures43"


@pytest.fixture(scope="module")
def session():
    with tcpdump_reads.utc_session(DATA) as s:
        yield s


@pytest.mark.parametrize("n,capture,flags", tcpdump_reads.cases(DATA), ids=lambda v: str(v))
def test_tcpdump_test_captures_read_as_the_real_tcpdump(session, n, capture, flags):
    tcpdump_reads.check_read(session, DATA, n, capture, flags)


def test_crafted_files_are_what_craft_py_makes(tmp_path):
    tcpdump_reads.check_crafted(DATA, tmp_path)
