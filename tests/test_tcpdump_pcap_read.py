"""How `tcpdump -r` reads odd pcap files, as libpcap 1.10 does (sf-pcap.c:
pcap_check_header, pcap_next_packet) and tcpdump 4.99.3 reports them. Every expected
text below is what the real tcpdump printed for the same bytes (Debian 12, TZ=UTC)."""
from __future__ import annotations

import os
import struct
import time

import pytest

from ipemu.session import Session

ARP = bytes.fromhex("ffffffffffff020000000001080600010800060400010200000000010a000001"
                    "0000000000000a000002")


def _file(major: int, minor: int, snaplen: int, caplen: int, wirelen: int) -> bytes:
    return (struct.pack("<IHHiIII", 0xA1B2C3D4, major, minor, 0, 0, snaplen, 1)
            + struct.pack("<IIII", 1700000000, 0, caplen, wirelen) + ARP)


BANNER = "reading from file f.pcap, link-type EN10MB (Ethernet), snapshot length {}\n"
WHO_HAS = "22:13:20.000000 ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length {}\n"

CASES = {
    "archaic": (_file(1, 0, 65535, 42, 42), 1, "", "tcpdump: archaic pcap savefile format\n"),
    "newer": (_file(2, 5, 65535, 42, 42), 1, "",
              "tcpdump: unsupported pcap savefile version 2.5\n"),
    "caplen over snaplen": (
        _file(2, 4, 65535, 300000, 300000), 1, "", BANNER.format(65535) +
        "tcpdump: pcap_loop: invalid packet capture length 300000, bigger than snaplen of 65535\n"),
    "caplen over maximum": (
        _file(2, 4, 400000, 300000, 300000), 1, "", BANNER.format(400000) +
        "tcpdump: pcap_loop: invalid packet capture length 300000, bigger than maximum of 262144\n"),
    # version 2.2 wrote (wire, captured): the lengths are swapped back
    "lengths swapped": (_file(2, 2, 65535, 60, 42), 0, WHO_HAS.format(46), BANNER.format(65535)),
    # snaplen 0 is bogus: the link type's maximum stands in (pcap_adjust_snapshot)
    "snaplen zero": (_file(2, 4, 0, 42, 42), 0, WHO_HAS.format(28), BANNER.format(262144)),
    # a record longer than the file's snaplen is cut to it, the rest discarded
    "record cut to snaplen": (_file(2, 4, 30, 42, 42), 0, "22:13:20.000000  [|arp]\n",
                              BANNER.format(30)),
}


@pytest.fixture(scope="module")
def session():
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield Session.create(scenario="bare")
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.mark.parametrize("case", list(CASES))
def test_reading_like_libpcap(session, case):
    data, status, stdout, stderr = CASES[case]
    session.write_file("f.pcap", data)
    term, rc = session.run_line("tcpdump -n -r f.pcap")
    assert (rc, term.stream("stdout"), term.stream("stderr")) == (status, stdout, stderr)
