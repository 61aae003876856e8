"""captures44: tcpdump 4.99.3's TESTLIST captures ipemu printed wrong in round 43, and
crafted captures of the same link types, read with `tcpdump -r`, byte for byte against
the real tcpdump 4.99.3 (Debian 12, TZ=UTC).

tests/data/captures44/ holds the files (README: where each came from, its licence) and
what the real tcpdump printed for each line of cases.txt (record.sh: standard output in
out/N.out, standard error and the exit status in out/N.err). What they showed:

- ATM's link types, which ipemu printed as UNSUPPORTED and their hex: Sun raw ATM
  (print-sunatm.c: -e's direction, the VC), atm_print()'s signalling VCs (Q.2931's
  message and call reference, SSCOP, broadcast, meta, ILMI's SNMP), OAM cells
  (oam_print(): cell and function types, loopback and AIS fields, the CRC-10 of
  checksum.c), LLC and LAN emulation (print-lane.c: LE control, the LEC ID before an
  Ethernet frame); RFC 1483 (Cisco's NLPID byte, a Fore 802.6 header) and Linux CLIP
  (print-cip.c);
- Juniper's "MGC" link types (print-juniper.c), which printed UNSUPPORTED: the header's
  direction, -vv's flags and extension TLVs (little-endian below type 128), the
  ND_LCHECK_U() of a TLV longer than the extensions, no-L2 packets, the PIC cookies
  (LS and AS cookie IDs), and the Ethernet, PPP, Cisco HDLC, Frame Relay, ATM1 (OAM,
  LLC, Cisco NLPID, VC-muxed IP) and ES (IPsec header) PICs;
- AppleTalk ARP (ethertype 0x80f3) as aarp_print() prints it (it printed the hex):
  probes, requests, replies, ataddr_string()'s NET.HOST (/etc/atalk.names never read),
  the other operations' fields, short frames;
- ETSI GeoNetworking (ethertypes 0x8947, 0x0707) and ISO CALM FAST (0x1111) as
  print-geonet.c and print-calm-fast.c print them (they printed the hex): the common
  header, the long position vector, BTP ports and the ITS PDU header, -v's payload;
  the Ethernet source address reaching them through ethertype_print()'s `src` (none
  from Frame Relay);
- TIPC (ethertype 0x88ca) as print-tipc.c prints it (it printed the hex): payload,
  internal and neighbour detection messages, -v's fields, its swapped
  DIRECT_MSG/MCAST_MSG names, nothing for the users it does not know;
- RSVP under -v as print-rsvp.c prints it (it printed ` ip-proto-46 LENGTH`): the
  common header, bundles, every object tcpdump decodes (sessions, hops, IntServ specs
  with C's single-precision floats, EROs/RROs, labels and GMPLS label requests, session
  attributes, fast reroute, detours, error specs, generalized UNI with its
  obj_tlen quirk, properties, message IDs, integrity unchecked without -M, label sets),
  the hex of the others and -vv's hex of each, its errors;
- LMP (UDP 701, -T lmp) as print-lmp.c prints it (it printed plain UDP): the message
  line, -v's header and objects (IDs, hello, verify, TE and data links with their
  subobjects, channel status, error codes, UNI service config), the length checks;
- NFS (port 2049 over UDP, and over TCP behind the record mark) as print-nfs.c prints
  it (it printed plain UDP, and nothing after TCP's length): every procedure's request
  (file handles as parsenfsfh.c's Parse_fh() guesses their layout, names, offsets,
  counts, sattr3), replies matched to requests by the 64-entry xid map kept across
  packets (status, -v's attributes, wcc data, fsstat/fsinfo/pathconf, verifiers),
  denied replies, tok2str()'s signed "#%d", the truncation marks;
- file 5.44 naming a pcap's link type from Magdir/sniffer's whole list (ipemu knew
  six, two of them wrong: 0 is "No link-layer encapsulation", 12/101 "Raw IP"), the
  type masked with 0x03FFFFFF, and big-endian microsecond files' "microseconds ts".
"""
from __future__ import annotations

from pathlib import Path

import pytest

import tcpdump_reads

DATA = Path(__file__).parent / "data" / "captures44"


@pytest.fixture(scope="module")
def session():
    with tcpdump_reads.utc_session(DATA) as s:
        yield s


@pytest.mark.parametrize("n,capture,flags", tcpdump_reads.cases(DATA), ids=lambda v: str(v))
def test_tcpdump_test_captures_read_as_the_real_tcpdump(session, n, capture, flags):
    tcpdump_reads.check_read(session, DATA, n, capture, flags)


def test_crafted_files_are_what_craft_py_makes(tmp_path):
    tcpdump_reads.check_crafted(DATA, tmp_path)


# file 5.44 on the recording machine (Magdir/sniffer): each header written by struct,
# `file -b` of it
FILE_HEADERS = [
    ("<", 0xA1B2C3D4, 0, "pcap capture file, microsecond ts (little-endian) - version 2.4 "
     "(No link-layer encapsulation, capture length 65535)"),
    ("<", 0xA1B2C3D4, 12, "pcap capture file, microsecond ts (little-endian) - version 2.4 "
     "(Raw IP, capture length 65535)"),
    ("<", 0xA1B2C3D4, 123, "pcap capture file, microsecond ts (little-endian) - version 2.4 "
     "(SunATM, capture length 65535)"),
    ("<", 0xA1B2C3D4, 0x30000013, "pcap capture file, microsecond ts (little-endian) - "
     "version 2.4 (Linux ATM Classical IP, capture length 65535)"),
    ("<", 0xA1B2C3D4, 0x10001, "pcap capture file, microsecond ts (little-endian) - "
     "version 2.4 (linktype#65537, capture length 65535)"),
    ("<", 0xA1B2C3D4, 0x30000140, "pcap capture file, microsecond ts (little-endian) - "
     "version 2.4 (linktype#805306688, capture length 65535)"),
    (">", 0xA1B2C3D4, 0x30000013, "pcap capture file, microseconds ts (big-endian) - "
     "version 2.4 (Linux ATM Classical IP, capture length 65535)"),
    (">", 0xA1B23C4D, 1, "pcap capture file, nanosecond ts (big-endian) - version 2.4 "
     "(Ethernet, capture length 65535)"),
]


@pytest.mark.parametrize("order,magic,linktype,expected", FILE_HEADERS)
def test_file_names_every_pcap_link_type_as_magdir_sniffer(tmp_path, order, magic, linktype,
                                                           expected):
    import struct

    from ipemu.session import Session
    (tmp_path / "x.pcap").write_bytes(struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0,
                                                  65535, linktype))
    s = Session.create(scenario="bare", home=str(tmp_path))
    term, status = s.run_line("file -b x.pcap")
    assert (term.stream("stdout"), status) == (expected + "\n", 0)
