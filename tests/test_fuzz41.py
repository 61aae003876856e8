"""Round 41's differential fuzzing (ipemu.fuzz.families.send41: ping, arping, tracepath
and traceroute through a router namespace, with reject routes, rules, down links and
smaller MTUs on the way; routeget41: `ip route get` with each selector over random
routes and rules) and what it found. The findings' golden texts are the cases
tests/oracle_cases/fuzz41_* (recorded twice on the project's Debian 12 machine, Linux
6.18, iproute2 6.1, iputils 20221126, traceroute 2.1.2; replayed whole by
tests/test_rounds.py); the tests here pin the generator, its safety filter and one
fix each."""
from __future__ import annotations

import sys
from pathlib import Path

from ipemu.fuzz import diff, families
from ipemu.transcript.mask import mask_rtt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

ONLY = ("send41", "routeget41")


def _generated(seeds=range(490000, 490200)) -> list[str]:
    out = []
    for seed in seeds:
        lines = diff.sequence(seed, only=ONLY)
        out += lines[lines.index("sleep 3") + 1:]
    return out


def test_round_41s_families_have_their_lines():
    lines = _generated()
    for part in ("ping -c ", " -M do", " -t 1 ", " -I v0", " -Q ", " -s 1472", "ping -6 ",
                 "%v0", "arping -c ", " -I v0", "timeout 2 tracepath -n -m ",
                 "traceroute -n -q 1 -w 1 -m ", " --back", "ip route add blackhole ",
                 "ip -n red route add unreachable ", "ip rule add ", "ip -n red link set v2 down",
                 "ip -n red link set v2 mtu 1280", "ip route get ", "ip -6 route get ",
                 " fibmatch", " connected", " iif ", " oif ", " mark ", " dsfield ", " tos ",
                 " ipproto ", " sport ", " dport ", " uid ", " vrf ", " table 100",
                 " suppress_prefixlength ", " goto "):
        assert any(part in line for line in lines), part


def test_the_senders_pass_the_filter_and_stay_bounded():
    """Every ping of a generated sequence (of every family: the filter's AVOID words
    are iproute2's -c/-t/-b/-l, which refused every ping line before) has a count of
    at most 3 and a wait or deadline; tracepath runs under `timeout 2` (a silent hop
    costs it 3.5 s); traceroute has -m 3 or 5 and -w 1."""
    assert diff.safe("ping -c 2 -t 1 -b -W 1 10.0.0.255".split(), {"devs": [], "netns": []})
    assert not diff.safe("ip -c link".split(), {"devs": [], "netns": []})
    assert any(line.startswith("ping ") for seed in range(200000, 200100)
               for line in diff.sequence(seed))
    for line in _generated():
        words = line.split()
        if words[0] == "ping":
            assert words[words.index("-c") + 1] in "123", line
            assert "-W" in words or "-w" in words, line
        elif "tracepath" in words:
            assert words[:2] == ["timeout", "2"], line
        elif words[0] == "traceroute":
            assert words[words.index("-m") + 1] in ("3", "5") and "-w" in words, line
        elif words[0] == "arping":
            assert "-w" in words and "-c" in words, line


def test_send41_has_its_router_topology():
    lines = diff.sequence(490001, only=ONLY)
    assert lines[:len(families.ROUTER41)] == list(families.ROUTER41)
    assert "ip link set v3 netns blue" in lines
    assert all(" netns 1" not in line for line in lines)


def test_the_age_of_a_lookup_is_masked():
    """`age Nsec` of `ip -s route get` is the per-cpu cached route's, made by an earlier
    lookup on the same CPU or not: masked, the users count kept."""
    assert mask_rtt("x metric 256 users 2 age 0sec pref medium\n") == \
        "x metric 256 users 2 pref medium\n"
    assert mask_rtt('"users":2,"age":0,"pref"') == '"users":2,"pref"'
    assert mask_rtt("    cache users 2 age 1sec \n") == "    cache users 2 \n"
    # ping -T tsonly's first stamp: the wall clock's milliseconds since midnight
    assert mask_rtt("TS: \t65713217 absolute\n") == "TS: \t<TS> absolute\n"


_case = test_bash_c_lines.replay_case
_shell = test_bash_c_lines.oracle_shell
_run = test_bash_c_lines.output


def test_route_get_users_and_zero():
    """rtnl_put_cacheinfo()'s users: 1 for routes no nexthop caches (a local address
    of v0, 0.0.0.0, the on-link guess), 2 otherwise, IPv6 too."""
    s = _shell()
    for line in ("ip link add v0 type veth peer name v1", "ip addr add 10.0.0.1/24 dev v0",
                 "ip addr add 2001:db8::1/64 dev v0 nodad", "ip link set v0 up",
                 "ip link set v1 up"):
        _run(s, line)
    assert "users 1" in _run(s, "ip -s route get 10.0.0.1")
    assert "users 1" in _run(s, "ip -s route get 0.0.0.0")
    assert "uid 1500" in _run(s, "ip route get 0.0.0.0 uid 1500")
    assert "users 1" in _run(s, "ip -s route get 10.8.0.1 oif v1")
    assert "users 2 pref medium" in _run(s, "ip -6 -s route get 2001:db8::2")
    assert "No route to host" in _run(s, "ip route get 0.0.0.0 fibmatch")
    assert "broadcast 0.0.0.0 dev lo" in _run(s, "ip route get 0.0.0.0 iif v1")


def test_input_fibmatch_prints_the_fib_entry():
    s = _shell()
    for line in ("ip link add v0 type veth peer name v1", "ip addr add 10.0.0.1/24 dev v0",
                 "ip link set v0 up", "ip link set v1 up"):
        _run(s, line)
    assert _run(s, "ip route get 10.0.0.1 iif v1 from 10.0.0.2 fibmatch") == \
        "local 10.0.0.1 dev v0 proto kernel scope host src 10.0.0.1 \n"
    assert "No route to host" in _run(s, "ip route get 255.255.255.255 iif v1 from "
                                         "10.0.0.2 fibmatch")


def test_route_get_defaults_to_udp_for_rules():
    s = _shell()
    for line in ("ip link add v0 type veth peer name v1", "ip addr add 10.0.0.1/24 dev v0",
                 "ip link set v0 up", "ip rule add ipproto udp prohibit"):
        _run(s, line)
    assert "Permission denied" in _run(s, "ip route get 10.0.0.3")
    assert "cache" in _run(s, "ip route get 10.0.0.3 ipproto tcp")


def test_the_cases():
    for name in ("fuzz41_route_get_zero", "fuzz41_traceroute_local_emsgsize",
                 "fuzz41_reject6_flags", "fuzz41_gateway_scope_link",
                 "fuzz41_arping_broadcast", "fuzz41_ping_broadcast_retry"):
        _case(name)
