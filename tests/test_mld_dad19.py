"""IPv6 start-up traffic on a new link as Linux 6.1 sends it (net/ipv6/mcast.c,
addrconf.c): each MLDv2 report twice (mc_qrv), the repeat within the unsolicited
report interval, from :: while the link-local address is tentative, again twice when
DAD completes; the DAD probe carries an 8-byte nonce option (enhanced_dad). Recorded:
transcripts/public/devto_turjoc_netns_veth.txt (the counters after one second)."""
from __future__ import annotations

from ipemu.session import Session


def run(s: Session, line: str) -> str:
    term, status = s.run_line(line)
    assert status == 0, (line, term.text())
    return term.stream("stdout")


def counters(s: Session, dev: str) -> tuple[int, int]:
    out = run(s, f"cat /sys/class/net/{dev}/statistics/tx_packets "
                 f"/sys/class/net/{dev}/statistics/tx_bytes").split()
    return int(out[0]), int(out[1])


def pair() -> Session:
    s = Session.create("default", "bare")
    for line in ("ip link add va type veth peer name vb", "ip link set vb up", "ip link set va up"):
        run(s, line)
    return s


def test_two_reports_from_unspecified_and_a_nonce_probe_before_dad_ends():
    s = pair()
    run(s, "sleep 1.02")
    # MLDv2 report 90 bytes (hop-by-hop, one record) twice, NS with nonce 86 bytes
    assert counters(s, "va") == (3, 90 + 90 + 86)


def test_two_reports_more_and_a_router_solicitation_when_dad_completes():
    s = pair()
    run(s, "sleep 3.2")
    # + two reports from fe80:: (mld_dad_work) and the first RS (70 bytes)
    assert counters(s, "va") == (6, 3 * 90 + 86 + 90 + 70)


def test_no_nonce_without_enhanced_dad():
    s = Session.create("default", "bare")
    for line in ("sysctl -w net.ipv6.conf.all.enhanced_dad=0",
                 "sysctl -w net.ipv6.conf.default.enhanced_dad=0",
                 "ip link add va type veth peer name vb", "ip link set vb up", "ip link set va up",
                 "sleep 1.02"):
        run(s, line)
    assert counters(s, "va") == (3, 90 + 90 + 78)
