"""Round 46's differential fuzzing (fuzz46: the family linkmon46 of
ipemu/fuzz/families.py, seeds 580000 up: several attributes set by one `ip link set`
under `ip monitor`) and what it found. The golden texts are the cases
tests/oracle_cases/fuzz46_* (recorded twice on the project's Debian 12 machine, Linux
6.18, iproute2 6.1; replayed whole by tests/test_rounds.py); the tests here pin the
generator's shape and its safety."""
from __future__ import annotations

import random

from ipemu.fuzz import diff, families


def test_linkmon46_sets_several_attributes_under_a_bounded_monitor():
    rng = random.Random(580000)
    names = {"devs": ["lo", "v0"], "netns": ["red"]}
    lines = [families.linkmon46(rng, names) for _ in range(300)]
    monitored = [w for w in lines if w[0] == "timeout"]
    assert monitored and all(w[:2] == ["timeout", "1"] and w[-1] == "wait"
                             for w in monitored)
    # each change under a monitor sends its error to a file: the error's text races
    # the monitor's printing of what the request applied before failing
    for words in monitored:
        changes = " ".join(words).split(" ; ")[1:-1]
        for change in changes:
            if change.startswith("ip link set"):
                assert change.endswith("2> err"), change
    # two attributes at least in one request
    sets = [w for w in lines if w[:3] == ["ip", "link", "set"]]
    assert any(len(w) >= 8 for w in sets)
    allowed = families.ALLOWED["linkmon46"]
    assert all(diff.safe(w, names, allowed) for w in lines)


def test_stderr_redirection_only_to_a_plain_file():
    names = {"devs": ["v0"], "netns": ["red"]}
    allowed = families.ALLOWED["linkmon46"]
    ok = "timeout 1 ip monitor link & sleep 0.3 ; ip link set v0 mtu 1400 2> err ; wait"
    assert diff.safe(ok.split(), names, allowed)
    for line in ("ip link set v0 mtu 1400 2> /tmp/x", "ip link set v0 mtu 1400 2> ../x",
                 "ip link set v0 mtu 1400 2>"):
        assert not diff.safe(line.split(), names, allowed), line


def test_linkmon46_sequences_use_their_own_topology():
    lines = diff.sequence(580001, only=("linkmon46",))
    assert lines[:len(families.LINKMON46)] == list(families.LINKMON46)
    assert "ip -n red -d link" in lines[-3:]
