"""pcap-filter expressions against the real tcpdump 4.99.3 / libpcap 1.10.3.

For each line of tests/data/filter_cases.txt, tests/data/record_tcpdump.sh ran
`tcpdump -r PCAP -n FILTER` and kept its stdout and its stderr (less the `reading from
file` line): the packets the filter selected, or libpcap's error message.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ipemu.tcpdump import PrintOptions, PrintState, compile_filter, format_packet
from ipemu.tcpdump.filter import FilterError
from ipemu.pcap import load_pcap

DATA = Path(__file__).parent / "data"
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


def filter_cases() -> list[tuple[str, str, int, str]]:
    cases = []
    for line in (DATA / "filter_cases.txt").read_text().splitlines():
        pcap, expr, status, expected = line.split("\t")
        cases.append((pcap, expr, int(status), expected))
    return cases


def run_tcpdump_r(pcap: Path, expr: str) -> tuple[int, str]:
    """What `tcpdump -r PCAP -n EXPR` prints (stdout, then its error line)."""
    capture = load_pcap(pcap.read_bytes())
    linktype = capture.linktype
    try:
        selects = compile_filter(expr, linktype)
    except FilterError as e:
        return 1, f"tcpdump: {e.message}\n"
    opts = PrintOptions(nflag=1, ifnames=IFNAMES)
    state = PrintState()
    out = [format_packet(frame, ts, opts, linktype, wirelen=wirelen, state=state)
           for (ts, frame), wirelen in zip(capture.records, capture.wire_lengths)
           if selects(frame, linktype, wirelen=wirelen)]
    return 0, "".join(out)


@pytest.mark.parametrize("pcap,expr,status,expected", filter_cases(),
                         ids=lambda v: v if isinstance(v, str) and not v.endswith(".txt") else None)
def test_filter_selects_what_tcpdump_selects(pcap, expr, status, expected):
    want = "".join(line for line in (DATA / expected).read_text().splitlines(keepends=True)
                   if not line.startswith("Warning: "))
    got_status, got = run_tcpdump_r(DATA / pcap, expr)
    assert (got_status != 0, got) == (status != 0, want)


def test_oracle_filter_errors():
    # tcpdump_list_errors: `tcpdump -i veth0 -n -c 1 icmp and` and `... port`.
    for expr in ("icmp and", "port"):
        with pytest.raises(FilterError) as err:
            compile_filter(expr)
        assert err.value.message == "can't parse filter expression: syntax error"


def test_qualifiers_carry_over_and_or():
    arp_req = bytes.fromhex("ffffffffffff" "02000000000b" "0806" "0001080006040001"
                            "02000000000b" "0a000001" "000000000000" "0a000002")
    assert compile_filter("host 10.0.0.9 or 10.0.0.2")(arp_req)
    assert not compile_filter("src host 10.0.0.9 or 10.0.0.2")(arp_req)
    assert compile_filter("dst host 10.0.0.9 or 10.0.0.2")(arp_req)
    assert compile_filter("")(arp_req)


def test_names_come_from_the_hosts_table():
    assert compile_filter("host localhost", hosts={"localhost": ["127.0.0.1", "::1"]})
    with pytest.raises(FilterError) as err:
        compile_filter("ip6 host v4only", hosts={"v4only": ["10.0.0.1"]})
    assert err.value.message == "unknown host 'v4only' for specified address family"


def test_a_short_frame_is_rejected_whatever_the_logic():
    # An IPv4 frame too short for the load: BPF returns 0 even under `not`.
    short = bytes(12) + b"\x08\x00" + bytes(20)
    assert not compile_filter("not ip[100] = 1")(short)
    assert compile_filter("not ip6")(short)
    with pytest.raises(FilterError) as err:
        compile_filter("ip and arp")
    assert err.value.message == "expression rejects all packets"


def test_pflog_keywords_are_refused_off_pflog():
    # tcpdump 4.99.3 -r on an Ethernet savefile (recorded): the pfvar keywords parse,
    # names are checked first, then gen_pf_*() refuse the link type
    answers = {"on veth0": "ifname supported only on PF linktype",
               "ip and rulenum 1": "rnr supported only on PF linktype",
               "reason map-failed": 'unknown PF reason "map-failed"',
               "action block": "action supported only on PF linktype",
               "action match": 'unknown PF action "match"'}
    for expr, message in answers.items():
        with pytest.raises(FilterError) as err:
            compile_filter(expr)
        assert str(err.value) == message
    with pytest.raises(FilterError) as err:
        compile_filter("host on")
    assert "syntax error" in str(err.value)


def test_llc_and_pppoed():
    # an STP BPDU (802.3 length, SAPs 0x42, UI control 0x03): tcpdump 4.99.3 --count
    # on a recorded one matched llc, llc u, llc ui and not llc i/s/rr/xid
    bpdu = bytes.fromhex("0180c2000000" "02000000aa01" "0026" "424203" + "00" * 35)
    for expr, want in (("llc", True), ("llc u", True), ("llc ui", True), ("llc i", False),
                       ("llc s", False), ("llc rr", False), ("llc xid", False),
                       ("llc rnr", False), ("pppoed", False)):
        assert bool(compile_filter(expr)(bpdu)) is want, expr
    with pytest.raises(FilterError) as err:
        compile_filter("llc foo")
    assert str(err.value) == 'unknown LLC type name "foo"'


def test_802_11_atm_and_ss7_keywords_on_ethernet():
    # tcpdump 4.99.3 -r on an Ethernet savefile (recorded): names and values are
    # checked as grammar.y reduces them, then the link type is refused
    answers = {"type mgt subtype beacon": "802.11 link-layer types supported only on 802.11",
               "type 1": "invalid 802.11 type value 0x01",
               "type ctl subtype beacon": 'unknown 802.11 subtype name "beacon"',
               "subtype foo": "unknown 802.11 type name",
               "wlan dir tods": "frame direction supported only with 802.11 headers",
               "dir foo": "unknown 802.11 direction",
               "oamf4sc": "'oam4sc' supported only on raw ATM",
               "vpi (1 or 2)": "'vpi' supported only on raw ATM",
               "hsio 1": "'sio' supported only on SS7",
               "hfisu": "'hfisu' supported only on MTP2_HSL"}
    for expr, message in answers.items():
        with pytest.raises(FilterError) as err:
            compile_filter(expr)
        assert str(err.value) == message, expr


def test_negated_link_types_meet_the_optimizer():
    # tcpdump 4.99.3 (recorded): the optimizer refuses these as rejecting all packets
    for expr in ("ip and not ip", "not (ip or arp) and arp", "icmp and not ip",
                 "ip and (not ip or arp)", "ether proto 0x800 and not ip"):
        with pytest.raises(FilterError) as err:
            compile_filter(expr)
        assert str(err.value) == "expression rejects all packets", expr
    # and accepts these
    for expr in ("ip and not arp", "not not ip and ip", "tcp and not ip",
                 "not (ip and arp)", "ip or not ip"):
        compile_filter(expr)
