"""tcpdump's packet text, byte for byte, against the real tcpdump 4.99.3.

tests/data/*.pcap are real captures (tests/data/record_tcpdump.sh made them in fresh
network namespaces); tests/data/print/*.txt hold what `tcpdump -r FILE OPTIONS` printed
on stdout for each line of tests/data/print_cases.txt.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ipemu.tcpdump import LINKTYPE_ETHERNET, PrintOptions, PrintState, format_packet
from ipemu.tcpdump.hexdump import hex_and_ascii_print, hex_print
from ipemu.pcap import load_pcap

DATA = Path(__file__).parent / "data"

# What `tcpdump -r` resolved without -n when the fixtures were recorded: the interface
# names of the LINUX_SLL2 capture (if_indextoname in the recording namespace).
IFNAMES = {1: "lo", 4: "veth3", 5: "veth2"}


@pytest.fixture(autouse=True, scope="module")
def utc():
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def options(args: str) -> PrintOptions:
    opts = PrintOptions(ifnames=IFNAMES)
    for word in args.split():
        for letter in word.lstrip("-"):
            attr = {"n": "nflag", "e": "eflag", "v": "vflag", "q": "qflag", "t": "tflag",
                    "x": "xflag", "X": "Xflag", "A": "Aflag"}[letter]
            setattr(opts, attr, getattr(opts, attr) + 1)
    return opts


def render(pcap: Path, opts: PrintOptions) -> str:
    capture = load_pcap(pcap.read_bytes())
    out, prev, first = [], None, None
    state = PrintState()
    for (ts, frame), wirelen in zip(capture.records, capture.wire_lengths):
        first = ts if first is None else first
        out.append(format_packet(frame, ts, opts, capture.linktype, prev, first,
                                 wirelen=wirelen, state=state))
        prev = ts
    return "".join(out)


def print_cases() -> list[tuple[str, str, str]]:
    lines = (DATA / "print_cases.txt").read_text().splitlines()
    return [tuple(line.split("\t")) for line in lines if line]


@pytest.mark.parametrize("pcap,args,expected", print_cases(),
                         ids=lambda v: v if "/" in str(v) else None)
def test_format_packet_matches_real_tcpdump(pcap, args, expected):
    want = (DATA / expected).read_text()
    got = render(DATA / pcap, options(args))
    assert got.splitlines() == want.splitlines()
    assert got == want


def test_oracle_lines_from_a_veth_capture():
    # The lines the oracle's netns_veth_ping case shows, rebuilt from crafted frames.
    arp = bytes.fromhex("ffffffffffff" "caccc6eea6e6" "0806" "0001080006040001"
                        "caccc6eea6e6" "c0a8020b" "000000000000" "c0a8020c")
    got = format_packet(arp, 1.0, PrintOptions(nflag=1, eflag=1))
    assert got == ("00:00:01.000000 ca:cc:c6:ee:a6:e6 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), "
                   "length 42: Request who-has 192.168.2.12 tell 192.168.2.11, length 28\n")
    got = format_packet(arp, 1.0, PrintOptions(nflag=1, tflag=1))
    assert got == "ARP, Request who-has 192.168.2.12 tell 192.168.2.11, length 28\n"


def test_hexdump_layouts():
    data = bytes(range(0x41, 0x41 + 19))
    assert hex_print(data) == ("\n\t0x0000:  4142 4344 4546 4748 494a 4b4c 4d4e 4f50"
                               "\n\t0x0010:  5152 53")
    assert hex_and_ascii_print(data[:3]) == "\n\t0x0000:  4142 43" + " " * 32 + "  ABC"


def test_truncated_frame_reports_the_protocol():
    frame = bytes.fromhex("0200000000 0c 0200000000 0b 0800 4500 0054".replace(" ", ""))
    got = format_packet(frame, 0.0, PrintOptions(nflag=1, tflag=1), LINKTYPE_ETHERNET)
    assert got == "IP  [|ip]\n"
