"""captures41: public capture files read with `tcpdump -r` under the flags tutorials use,
byte for byte against the real tcpdump 4.99.3 (Debian 12, TZ=UTC).

tests/data/captures41/ holds the files (README: where each came from, its licence) and
what the real tcpdump printed for each line of cases.txt (record.sh: standard output in
out/N.out, standard error and the exit status in out/N.err). What they showed:

- LLDP's organisation TLVs as print-lldp.c prints them: the OUI named from oui.c's
  table in its order (0x0080c2 is "Ethernet bridged", OUI_RFC2684, listed before
  "IEEE 802.1 Private"), the IEEE 802.1 subtypes (PVID, PPVID, VLAN name, protocol
  identity, link aggregation, congestion notification, ETS, PFC, application priority,
  EVB, CDCP), ANSI/TIA LLDP-MED (capabilities, network policy, location, extended
  power, inventory), IANA's MUD URL and DCBX 1.01's feature TLVs;
- Cisco's SNAP protocols under -v as print-vtp.c, print-dtp.c and print-udld.c print
  them (they printed their one line only): VTP's domain, summary (revision, updater,
  timestamp, MD5), subset advertisements (VLAN info fields and their 1-byte TLVs),
  request start values and its invalid PDUs; DTP's domain, status, type and neighbour
  TLVs; UDLD's checksum, device and port IDs, echo, intervals and sequence numbers;
- MAC control frames (ethertype 0x8808) as print-mpcp.c prints them (they were hex):
  PAUSE, PFC as an unknown opcode with its timestamp, EPON's gate, report and
  registration messages under -v;
- a classic pcap record's stamp as libpcap holds it (sf-pcap.c): tv_sec and tv_usec
  are bpf_int32s, so a fraction past 2^31 is negative, a nanosecond file read without
  --nano divides it truncating toward zero, and tcpdump prints it as `%06u` of the
  long cast to unsigned (.4292819813); -ttt and -ttttt compare and subtract the
  stamps as netdissect_timevalcmp() and netdissect_timevalsub() do (one borrow), so an
  out-of-range fraction shows in the delta; -tt casts the seconds to 32 bits;
- -T TYPE (udp_print()'s and tcp_print()'s ndo_packettype), which ipemu parsed and
  ignored: the payload printed as TYPE whatever the ports, before any checksum
  (domain over UDP and TCP, snmp, tftp, radius, vxlan), and the printers only -T
  reaches: RTP v1/v2 (-T rtp: payload length, type, marker, sequence, timestamp; the
  SSRC under -v), RTCP (-T rtcp: sender and receiver reports, SDES, BYE, to the end
  of the capture; print-udp.c never advances to a second report block) and vat/vt,
  which udp_print() also picks for destination port 3456;
- PTP (IEEE 1588) as print-ptp.c prints it over UDP ports 319/320 and ethertype
  0x88f7 (it printed as plain UDP or hex): PTPv2's header fields, the time stamps
  and port identities of each message type, the announce fields, and the management
  header whose fields all read the port identity's first byte (bp never advances);
- BFD as print-bfd.c prints it on destination ports 3784, 4784, 6784 and 3785 (it
  printed as plain UDP): v0 and v1 control packets, their state, flags, diagnostic,
  discriminators and intervals under -v, password, MD5 and SHA1 authentication;
- next header 143 (IPPROTO_ETHERNET, SRv6's layer-2 encapsulation): the Ethernet frame
  inside printed by ether_print() over IPv6, `[Ethernet requires IPv6] (invalid)` over
  IPv4 (it printed ` ip-proto-143 LENGTH`);
- 802.1AE MACsec (ethertype 0x88e5) as print-macsec.c and ether_common_print() print
  it (it printed as an unknown ethertype): the SecTAG under -e (association number,
  packet number, flags, short length, SCI), an encrypted or changed payload as
  `802.1AE MACsec, ...` and its raw bytes, an integrity-only frame decoded inside
  with its ICV cut off, the truncated and invalid SecTAGs (whose failure returns the
  lengths the function was called with, so -x dumps nothing);
- OpenFlow on TCP 6633/6653 as print-openflow.c prints it (it printed nothing after
  the TCP line): `: OpenFlow`, a line per message (version, the 1.0/1.3 type names,
  length, xid), ` (invalid)` for a body length the type refuses, `(too short!)`, `(end
  of TCP payload)`; under -v HELLO's version bitmap, ECHO data (its hex under -vv, up
  to the capture's end) and 1.3's FEATURES_REPLY; a segment whose messages need a -v
  decoder ipemu has not ported is left as plain TCP, as before;
- -b (ndo_bflag, which ipemu parsed and ignored): BGP's as_printf() prints a 4-byte AS
  past 65535 in asdot notation (42180.26194);
- PIM version 1 inside IGMP type 0x14 as pimv1_print() prints it (it printed igmp-20):
  the type, a query's mode, register and assert addresses, RP-reachable and
  join/prune details under -v and -vv, ` [vN]` for another version;
- sFlow v5 under -v as print-sflow.c prints it (it printed plain UDP): the datagram
  header, flow and counter samples (compact and expanded) and their records (raw
  packet, Ethernet frame, switch data; generic, Ethernet, 100BaseVG, VLAN, processor
  counters), the enterprise of a counter record taken as format >> 20 as it does;
- Cisco auto-RP on UDP 496 as cisco_autorp_print() prints it (it printed plain UDP):
  type, hold time (FOREVER for 0), each RP's PIM versions and group ranges;
- DVMRP inside IGMP type 0x13 as dvmrp_print() prints it (it printed igmp-19): probes
  and their neighbours, route reports (-vv), mrinfo's neighbour lists with their
  flags and version, prune/graft/graft-ack, short and invalid messages.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import tcpdump_reads

DATA = Path(__file__).parent / "data" / "captures41"


@pytest.fixture(scope="module")
def session():
    with tcpdump_reads.utc_session(DATA) as s:
        yield s


@pytest.mark.parametrize("n,capture,flags", tcpdump_reads.cases(DATA), ids=lambda v: str(v))
def test_public_captures_read_as_the_real_tcpdump(session, n, capture, flags):
    tcpdump_reads.check_read(session, DATA, n, capture, flags)


def test_crafted_files_are_what_craft_py_makes(tmp_path):
    tcpdump_reads.check_crafted(DATA, tmp_path)
