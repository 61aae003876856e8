"""Round 39b's differential fuzzing (ipemu.fuzz.families.outputs39b: listings under
option matrices) and what it found. The findings' golden texts are the cases
tests/oracle_cases/fuzz39b_* (recorded twice on the project's Debian 12 machine, alike
but for the veths' random MACs; replayed by tests/test_rounds.py); the tests here pin
the generator, its safety filter and one fix each."""
from __future__ import annotations

import sys
from pathlib import Path

from ipemu.fuzz import diff, families
from ipemu.transcript import mask

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

ONLY = ("outputs39b",)


def _generated(seeds=range(440000, 440060)) -> list[str]:
    return [line for seed in seeds
            for line in diff.sequence(seed, only=ONLY)[:-len(diff.LISTINGS)]]


def test_the_family_lists_under_option_matrices_and_builds_state():
    lines = _generated()
    for part in ("ip -j -p ", "ip -s -s ", "ip -br ", "ip -o ", "ip -c ", "ip -N ",
                 "ip -0 ", "ip -6 ", " netconf", " maddr", " nexthop", " rule",
                 "bridge -j -s ", "bridge -c ", "tc -s -j ", "tc -j ",
                 # lines of the families that build the state listed
                 "ip address add ", "tc qdisc add ", "bridge fdb "):
        assert any(part in line for line in lines), part


def test_colours_only_for_the_family():
    names = {"devs": ["v0"], "netns": []}
    allowed = families.ALLOWED["outputs39b"]
    assert diff.safe("ip -c -br addr".split(), names, allowed)
    assert diff.safe("bridge -c fdb".split(), names, allowed)
    assert not diff.safe("ip -c -br addr".split(), names)


def test_pretty_json_timers_are_masked_as_compact_ones():
    """`-j -p` writes `"gc_timer": 297.02` (a blank after the colon)."""
    text = '"gc_timer": 297.02,\n"gc_timer":12.50,\n"hello_timer": 1.25,"tcn_timer": 0.00'
    out = text
    for pattern, repl in mask.RTT_RES:
        out = pattern.sub(repl, out)
    assert "297.02" not in out and "12.50" not in out and "1.25" not in out
    assert '"tcn_timer": 0.00' in out


def _case(name: str) -> None:
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(
        next(p for p in corpus.oracle_cases() if p.stem == name))


def test_family_packet_listings_and_prefixes():
    """ip -0: route/netconf dumps all dropped by the family filter, the rule dump
    refused (EAFNOSUPPORT, `[` under -j), get_prefix()'s AF_PACKET refusal, neigh
    add with no table of the family."""
    _case("fuzz39b_family_packet_dumps")


def test_tc_filter_and_chain_show_without_a_device():
    _case("fuzz39b_tc_show_no_dev")


def test_mdb_group_timers_are_masked_while_running():
    """`bridge -s mdb` / `bridge -j -s mdb`: a temp group's timer counts down in wall
    time (fuzz39b seed 440144: 259.67 recorded, 259.89 in ipemu); 0.00 is kept."""
    text = ('dev br0 port v0 grp ff02::6a temp  259.67\n'
            'dev br0 port p0 grp 239.1.1.3 permanent   0.00\n'
            '{"grp":"ff02::6a","state":"temp","flags":[],"timer":" 259.89"},'
            '{"grp":"239.1.1.3","state":"permanent","flags":[],"timer":"   0.00"}')
    out = text
    for pattern, repl in mask.RTT_RES:
        out = pattern.sub(repl, out)
    assert "259" not in out
    assert "temp <T>\n" in out and '"timer":"<T>"' in out
    assert "permanent   0.00\n" in out and '"timer":"   0.00"' in out


def test_family_packet_changes():
    """ip -0 on changes: addr/rule prefixes refused by get_prefix(), `Rule family not
    supported.` (fib_nl_newrule()/fib_nl_delrule()), neigh get's and nexthop's family
    checks, flushes that find nothing, `[ ` under -j -p after a refused rule dump."""
    _case("fuzz39b_family_packet_changes")


def test_the_familys_topologies_have_fixed_macs():
    for seed in range(440000, 440040):
        lines = diff.sequence(seed, only=ONLY)
        assert all(" address 02:00:00:00:00:" in line for line in lines
                   if line.startswith("ip link add ") and " type " in line
                   and line.split()[3] in ("v0", "br0", "v2")), seed


def test_numeric_names_of_neighbours_and_nexthops():
    """-N: rtnl_rtprot_n2a()/rtnl_rtscope_n2a() print numbers in `ip neigh` (`proto
    12`, not bird) and `ip nexthop` (`scope 253 proto 4`), text and JSON, as in routes
    and rules; colours, -o, -br, -j -p of the same state beside."""
    _case("fuzz39b_numeric_colour_matrix")


def test_tc_chain_show_in_pretty_json():
    """`tc -j -p chain show`: json_writer's pretty layout (`[ ]` when empty, `[ {`
    and 8-blank members otherwise), as filters already were."""
    _case("fuzz39b_tc_json_pretty")
