"""captures45: tcpdump 4.99.3's TESTLIST captures ipemu printed wrong in round 44, and
crafted captures of the same protocols, read with `tcpdump -r`, byte for byte against
the real tcpdump 4.99.3 (Debian 12, TZ=UTC).

tests/data/captures45/ holds the files (README: where each came from, its licence) and
what the real tcpdump printed for each line of cases.txt (record.sh: standard output in
out/N.out, standard error and the exit status in out/N.err). What they showed:

- Zephyr (UDP 2103/2104 either way) as print-zephyr.c prints it (it printed plain UDP):
  the kind (tok2str()'s `type %d` of strtol(s, 0, 16) kept in an int), the sender,
  locate/hide/unhide, the admin, client, host manager and realm control opcodes in
  lower case, subscriptions with z_triple()'s `*` recipient and the `unsub-nodefs` that
  strcmp() makes of SUBSCRIBE_NODEFS, serv-ack's ack data, set-exposure, `to <c,i,r>
  op OP`, ` v...` for other versions, nothing for what is not Zephyr, ` (invalid)` for
  missing fields, `[|zephyr]` when the capture ends inside a field;
- BIND's lightweight resolver (UDP 921) as print-lwres.c prints it (it printed plain
  UDP): each opcode's query and response, -vv's serial/result/recvlen and -vvv's flags
  and auth fields, addresses by family (other families in hex), rdata and signatures
  in hex, TTLs as unsigned_relts_print(), ` [len: N != M]`, `[extra]`, ` (invalid)`
  for short addresses, ` (not NUL-terminated!)`;
- DECnet Phase IV (ethertype 0x6003) as print-decnet.c prints it (it printed an
  unknown ethertype's hex): padding (-v's `[pad:N]`), short and long headers with
  -v's flags and hops, routing control messages (init, verification, test, level 1/2
  routing, router and endnode hellos, the hex of unknown ones), NSP's data,
  interrupt, link service, ack and connect/disconnect messages with their reasons,
  the length checks and ` (invalid)`, AREA.NODE addresses;
- AppleTalk's DDP as print-atalk.c prints it (it printed an unknown ethertype's hex, the
  link type LTALK as UNSUPPORTED, KIP as plain UDP): EtherTalk (0x809b, -v's `et1`,
  `AT ` without -e), LocalTalk's LLAP with short and long DDP, KIP on UDP's AppleTalk
  port ranges when the LAP type is lapDDP (-v's `kip`), NBP lookups and replies with
  their tuples' anomalies, ATP requests, responses and releases with their bitmaps
  and flags (a release's `[` with no blank before it), `at-TYPE LEN` for the rest,
  sockets by name without -n;
- ARCNET (link types ARCNET_BSD and ARCNET_LINUX) as print-arcnet.c prints it (it
  printed UNSUPPORTED and hex): -e's header with RFC 1201's seqid and fragments (the
  Linux one reading its offset field as the type, as the C does), -q's, middle
  fragments printing nothing, IP, IPv6, ARP, AppleTalk and IPX inside, the hex of the
  other system codes, ` phds` and ` phds extended` for short headers;
- IEEE 802.11 (link types IEEE802_11, IEEE802_11_RADIO, PRISM, IEEE802_11_RADIO_AVS)
  as print-802_11.c prints it (they printed UNSUPPORTED and hex): radiotap's fields
  in cpack.c's alignment (TSFT, flags, rate, channel and XChannel with their
  11a/b/g/n names, FHSS, signals and noise, attenuation, power, antenna, HT MCS with
  the HT rate table's C floats, VHT users, namespaces, `[bit N]` stopping the rest),
  the FCS flag's 4 bytes cut off, Atheros padding, -e's header (-v's flags and
  duration, -H's mesh control), management frames with parse_elements()'s first SSID,
  rates, DS channel, status and reason texts, authentication with challenge text,
  actions, control frames, data frames in each DS direction through LLC, WEP's IV,
  `[|802.11]` where an element is cut or too long; `-H` reaches the printer.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import tcpdump_reads

DATA = Path(__file__).parent / "data" / "captures45"


@pytest.fixture(scope="module")
def session():
    with tcpdump_reads.utc_session(DATA) as s:
        yield s


@pytest.mark.parametrize("n,capture,flags", tcpdump_reads.cases(DATA), ids=lambda v: str(v))
def test_tcpdump_test_captures_read_as_the_real_tcpdump(session, n, capture, flags):
    tcpdump_reads.check_read(session, DATA, n, capture, flags)


def test_crafted_files_are_what_craft_py_makes(tmp_path):
    tcpdump_reads.check_crafted(DATA, tmp_path)
