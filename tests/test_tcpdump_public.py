"""tcpdump -r on captures of the kinds public captures hold (pcapng with several
interfaces and time stamp resolutions, raw IPv4/IPv6 link types, PPPoE, MPLS, SIP,
Ethernet loopback, BGP, HSRP, ISAKMP, IS-IS and other routing protocols; -S and -K),
byte for byte against the real tcpdump 4.99.3.

tests/data/public/craft.py makes the files with struct alone; record.sh stored what
the real tcpdump printed for each line of cases.txt (standard output in out/N.out,
standard error and the exit status in out/N.err). benchmarks/public_captures.py measures
the same on whole directories of public captures.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import tcpdump_reads
from ipemu.session import Session

DATA = Path(__file__).parent / "data" / "public"


@pytest.fixture(scope="module")
def session():
    with tcpdump_reads.utc_session(DATA) as s:
        yield s


@pytest.mark.parametrize("n,capture,flags", tcpdump_reads.cases(DATA), ids=lambda v: str(v))
def test_public_kinds_match_real_tcpdump(session, n, capture, flags):
    tcpdump_reads.check_read(session, DATA, n, capture, flags)


def test_crafted_files_are_what_craft_py_makes(tmp_path):
    tcpdump_reads.check_crafted(DATA, tmp_path)


@pytest.mark.parametrize("capture,args,copy", [
    ("multi.pcapng", "udp", "copy_udp.pcap"),
    ("big_endian.pcapng", "-c 3 'ip or ip6'", "copy_c3.pcap"),
    ("nano.pcap", "--nano icmp", "copy_nano.pcap"),
    ("sctp.pcap", "--nano -c 3", "copy_nano_c3.pcap")])
def test_read_and_write_copies_as_the_real_tcpdump(tmp_path, capture, args, copy):
    """-r with -w writes the records the filter keeps as pcap_dump() does, byte for byte."""
    (tmp_path / capture).write_bytes((DATA / capture).read_bytes())
    session = Session.create(scenario="bare", home=str(tmp_path))
    term, status = session.run_line(f"tcpdump -r {capture} -w out.pcap {args}")
    assert (status, term.stream("stdout")) == (0, "")
    assert (tmp_path / "out.pcap").read_bytes() == (DATA / "out" / copy).read_bytes()
