"""Round 45's differential fuzzing (fuzz45: the family router45 of
ipemu/fuzz/families.py, seeds 570000 up: a router namespace with traffic crossing it,
reject routes, TTLs that run out, traceroute/tracepath across it, and the counters
the traffic leaves) and what it found. The golden texts are the cases
tests/oracle_cases/fuzz45_* (recorded twice on the project's Debian 12 machine, Linux
6.18, iproute2 6.1, iputils 20221126, traceroute 2.1.2; replayed whole by
tests/test_rounds.py); the tests here pin one fix each."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

from ipemu.tools import traceroute  # noqa: E402

_case = test_bash_c_lines.replay_case


def test_traceroute_w_max_alone_waits_the_whole_max():
    """set_wait_specs() sets here_factor and near_factor to 0 before it reads -w:
    `-w 1` alone waits a silent probe the whole second (get_timeout() skips a factor
    of 0); ipemu kept the defaults 3 and 10 and gave the first hop up after ten round
    trips of the second's answer, so the router's ICMP token bucket had not refilled
    for tracepath's probes. Recorded: fuzz45_traceroute_wait_max."""
    assert traceroute._wait_specs("1", 3) == [1.0, 0.0, 0.0]
    assert traceroute._wait_specs("1,3,10", 3) == [1.0, 3.0, 10.0]
    assert traceroute.parse(["traceroute", "-w", "2,3", "x"])["near"] == 0.0
    opts = traceroute.parse(["traceroute", "x"])
    assert (opts["wait"], opts["here"], opts["near"]) == (5.0, 3.0, 10.0)
    _case("fuzz45_traceroute_wait_max")


def test_the_router45_family_is_generated_and_safe():
    """router45 makes its own lines over its topology (here and blue route between red
    and green), reads only the counters' files, and names only the sequence's
    namespaces (green is router45's own)."""
    from ipemu.fuzz import diff, families
    lines = [line for seed in range(570000, 570040)
             for line in diff.sequence(seed, only=("router45",))]
    assert "ip -n blue link add v4 address 02:00:00:00:00:14 type veth peer name v5 " \
        "address 02:00:00:00:00:15 netns green" in lines
    assert any(" traceroute " in line for line in lines)
    assert any(line.startswith("cat /") or " cat /" in line for line in lines)
    names = {"devs": ["lo", "v0"], "netns": ["red", "blue"]}
    allowed = families.ALLOWED["router45"]
    assert diff.safe("ip netns exec green cat /proc/net/snmp".split(), names, allowed)
    assert diff.safe("cat /sys/class/net/v0/statistics/rx_packets".split(), names, allowed)
    assert not diff.safe("cat /etc/passwd".split(), names, allowed)
    assert not diff.safe("ip netns exec host cat /proc/net/snmp".split(), names, allowed)
    assert not diff.safe("sysctl -q -w net.ipv4.icmp_msgs_burst=2".split(), names, allowed)
    assert families.SETTLE["router45"] == ("sleep 3", "sleep 3", "sleep 3")


def test_the_fuzzer_replays_with_its_recorders_line_bound():
    """ipemu.fuzz.diff records each line killed after 5 s (record(timeout=5.0)), not
    the oracle recorder's 60: compare() replays with that bound (a transcript's
    `# line-timeout:` header), so a traceroute of silent hops one probe at a time,
    killed on the real side (status 137), is killed in ipemu too (seed 570051)."""
    from ipemu.fuzz import diff
    text = diff.transcript_text(1, "[root@oracle ~]# sleep 7\n", [137])
    assert diff.compare(text) is None
    from ipemu.transcript.check import replay
    from ipemu.transcript.format import parse
    tr = parse(text)
    tr.header["profile"] = "oracle-vm"
    assert replay(tr)[1] == [0]          # without the header, the 60 s bound


def test_icmp_ratelimit_zero_leaves_ip_errors_own_burst():
    """ip_error() charges the peer's bucket (burst 5, a token a second), then
    icmp_send() -> inet_peer_xrlim_allow() in the same jiffy caps nothing (`if
    (delta)`): with icmp_ratelimit 0 it leaves the bucket as ip_error() left it.
    ipemu emptied it, so a traceroute's 4 probes of no route got one unreachable, not
    4, and the ping after them none (seed 570052). Recorded:
    fuzz45_ratelimit_zero_ip_error (and tutorials41c_default_ttl_ratemask still: time
    exceeded errors of ratelimit 0 empty the bucket, jiffies having moved)."""
    _case("fuzz45_ratelimit_zero_ip_error")
    _case("tutorials41c_default_ttl_ratemask")
