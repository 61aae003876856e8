"""Differential fuzzing (python -m ipemu.fuzz.diff, issue 16): the generator stays
inside the sequence's own namespaces and is reproducible; where root, unshare and
iproute2 are present, one short sequence runs on the real kernel and in ipemu alike."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from ipemu.fuzz import diff, families


ALLOWED = frozenset().union(*families.ALLOWED.values())


def test_sequences_are_reproducible_and_stay_in_their_namespaces():
    assert diff.sequence(7) == diff.sequence(7)
    for seed in range(300):
        lines = diff.sequence(seed)
        assert all(line.startswith(("ip ", "bridge ", "sleep ", "tc ", "sysctl ",
                                    "ping ", "route", "ifconfig", "arp", "netstat ", "ss ",
                                    "printf ", "timeout ", "arping ", "traceroute ",
                                    "tracepath ", "nstat ", "cat ")) for line in lines)
        for line in lines:
            if line.startswith("ping "):
                # every ping is bounded: a count of at most 3 and a wait or deadline
                words = line.split()
                assert "-c" in words and words[words.index("-c") + 1] in "123", line
                assert "-W" in words or "-w" in words, line
        generated = lines[lines.index("sleep 3") + 1:]       # after the fixed topology
        for line in generated:
            words = line.split()
            # a netns word is always followed by the sequence's own namespace name
            # (with the AVOID words some family may use: save/restore, -batch)
            assert diff.safe(words, {"devs": [], "netns": []}, ALLOWED), line


def test_ip_link_set_is_among_the_lines():
    assert any(" link set " in line for seed in range(100) for line in diff.sequence(seed))


def test_bridge_lines_are_among_them():
    generated = [line for seed in range(100)
                 for line in diff.sequence(seed)[:-len(diff.LISTINGS)]]
    assert any(line.startswith("bridge fdb ") for line in generated)
    assert any(line.startswith("bridge vlan ") for line in generated)


def test_every_family_has_its_share_of_lines():
    """nexthop objects and routes through them, neighbour depth, address flags and
    lifetimes, more link kinds, listings, tunnels, maddress, netconf, tc."""
    # (600 seeds: each round's families take a share of the draws, round 48's left
    # `ip tunnel` none in the first 300)
    generated = [line for seed in range(200000, 200600)
                 for line in diff.sequence(seed)[:-len(diff.LISTINGS)]]
    # (no proxy neighbour line: this kernel shares devless proxy entries between
    # namespaces, diff.shared())
    assert not any("proxy" in line and " neigh " in line for line in generated)
    for start in ("ip nexthop add id ", "ip route add ", "nhid", "ip neigh add ",
                  " nud ", " valid_lft ", " preferred_lft ", "type vxlan", "type macvlan",
                  "type bridge", "ip -s ", "ip -j ", "ip tunnel ", "ip maddress ",
                  "ip netconf", "tc qdisc ", "tc class ", "sysctl -w net.ipv", "ping ",
                  "route add", "ifconfig "):
        assert any(start in line for line in generated), start


def test_round_37s_families_have_their_lines():
    """ip route depth (types, metrics, multipath weights, get selectors, save/restore),
    ip rule depth, ip -6 addresses and routes, net-tools listings, sysctls, bridge mdb
    and ip vrf, ip -batch - with -force."""
    only = ("iproute", "iprule", "addr6", "nettools", "sysctl", "mdb", "batch")
    generated = [line for seed in range(400000, 400200)
                 for line in diff.sequence(seed, only=only)[:-len(diff.LISTINGS)]]
    for start in (" weight ", "ip route get ", " mark ", " ipproto ", " dport ",
                  "route save table", "ip rule add ", " fwmark ", " uidrange ", " goto ",
                  " suppress_prefixlength ", " nop", "ip -6 addr", "ip -6 route add ",
                  "arp -", "netstat -rn", "netstat -i", "ss -", "sysctl -w net.ipv6.conf.",
                  "bridge mdb add ", " vrf", "| ip -force -batch -", "| ip -batch -"):
        assert any(start in line for line in generated), start
    for seed in range(400000, 400200):
        for line in diff.sequence(seed, only=only):
            if line.startswith("arp ") and " -s " in line:
                assert " -i " in line, line


def test_round_47s_families_have_their_lines():
    """samepfx47: one prefix by every verb of `ip route`; addrset47: IPv4 addresses by
    label, peer and broadcast, promotion, flushes by label; both in their namespaces."""
    for family, starts in (("samepfx47", ("ip route add 10.9.0.0/24", "ip route replace",
                                          "ip route append", "ip route prepend",
                                          "ip route change", " tos ", "ip route get")),
                           ("addrset47", (" label v0:", " peer ", " brd +",
                                          "promote_secondaries=1", "ip address flush",
                                          "ip address del "))):
        generated = []
        for seed in range(590000, 590060):
            lines = diff.sequence(seed, only=(family,))
            generated += lines[lines.index("sleep 3") + 1:]
        for start in starts:
            assert any(start in line for line in generated), (family, start)
        for line in generated:
            assert diff.safe(line.split(), {"devs": [], "netns": []}, ALLOWED), line


def test_round_48s_family_has_its_lines():
    """aux48: address labels, tokens and tun/tap devices by each verb; in its
    namespaces."""
    starts = ("ip addrlabel add", "ip addrlabel del", "ip addrlabel flush", "ip token set",
              "ip token get", "ip tuntap add", "ip tuntap del", "ip tuntap show", " user ")
    generated = []
    for seed in range(600000, 600060):
        lines = diff.sequence(seed, only=("aux48",))
        generated += lines[lines.index("sleep 3") + 1:]
    for start in starts:
        assert any(start in line for line in generated), start
    for line in generated:
        assert diff.safe(line.split(), {"devs": [], "netns": []}, ALLOWED), line


def test_the_safety_filter_refuses_the_host():
    names = {"devs": ["v0"], "netns": ["red"]}
    for line in ("ip link set v0 netns 1", "ip link set v0 netns /proc/1/ns/net",
                 "ip link set v0 netn 1", "ip -n 1 link", "ip -all netns exec ip link",
                 "ip monitor", "ip -batch cmds.txt", "ip link set v0 netns ../x",
                 "sysctl -w kernel.panic=1", "sysctl -w net.core.x=1", "rm -rf x",
                 "tc -n 1 qdisc"):
        assert not diff.safe(line.split(), names), line
    assert diff.safe("ip link set v0 netns red".split(), names)
    # round 37: lines of several commands, each checked; a family's own AVOID words
    for line in ("printf '%s\\n' 'link set v0 netns 1' | ip -batch -",
                 "ip route save > /tmp/x", "ip route save > ../x", "ip link ; rm x",
                 "sysctl -w net.ipv4.ip_forward=1", "sysctl net.core.somaxconn",
                 "arp -s 10.0.0.2 02:00:00:00:00:01 pub", "ip link | sh"):
        assert not diff.safe(line.split(), names, families.ALLOWED["batch"]), line
    assert diff.safe("printf '%s\\n' 'link show dev v0' 'foo bar' | ip -force -batch -"
                     .split(), names, families.ALLOWED["batch"])
    assert not diff.safe("printf '%s\\n' 'link show' | ip -batch -".split(), names)
    assert diff.safe("ip route save table 100 > rt.bin ; ip route restore < rt.bin ; echo $?"
                     .split(), names, families.ALLOWED["iproute"])
    assert diff.safe("sysctl -q -w net.ipv6.conf.v0.disable_ipv6=1".split(), names)
    assert diff.safe("arp -i v0 -s 10.0.0.2 02:00:00:00:00:01 pub".split(), names)


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0
                    or not all(shutil.which(t) for t in ("unshare", "nsenter", "ip")),
                    reason="needs root, unshare and iproute2")
def test_one_sequence_on_the_real_kernel_and_in_ipemu():
    lines = ["ip link add v0 type veth peer name v1", "ip addr add 10.0.0.1/24 dev v0",
             "ip route add 10.9.0.0/16 dev v0 cwnd lock 1.2.3", "ip neigh get 10.0.0.2",
             "ip link set v0 mode x", "ip -br link"]
    text, found = diff.differ(lines)
    assert "v0@v1" in text
    assert found is None, found


def test_the_masks_rules_are_tried_where_they_can_match():
    """mask.py tries a rule only on a text holding its needed part (mask.needed(): the
    longest run of literals every match holds): every match of each rule holds it."""
    import random
    import re

    from ipemu.transcript import mask
    rules = mask.RTT_RULES + mask.TCPDUMP_RULES
    assert [r[:2] for r in rules] == mask.RTT_RES + mask.TCPDUMP_RES
    assert mask.needed(re.compile(r"(a|b)xy\d+(zz(w))?(ab)c")) == "abc"
    assert mask.needed(re.compile(r"\d+")) == ""
    texts = [p.read_text(encoding="utf-8", errors="replace")
             for p in sorted((Path(__file__).resolve().parent.parent / "transcripts")
                             .rglob("*.txt"))]
    random.Random(19).shuffle(texts)
    met = 0
    for text in texts[:300]:
        for regex, _, need in rules:
            for m in regex.finditer(text):
                met += 1
                assert need in m.group(0), (regex.pattern, need, m.group(0))
    assert met > 1000
    # drop_background() runs on a text holding ff02:: (mask_tcpdump())
    assert all("ff02::" in alt for alt in mask.BACKGROUND_RE.pattern.split("|"))
