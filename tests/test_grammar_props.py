"""Property tests of the grammars' newer rules (route.lark; ip.lark's rule, netns,
monitor, tuntap, tunnel, vrf and link kinds' options): any line walked from them runs
to the tool's own answer, never a Python error, and splits back as the tool reads it."""
from __future__ import annotations

import os
import random

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ipemu import syntax  # noqa: E402
from ipemu.grammar_gen import line  # noqa: E402
from ipemu.session import Session  # noqa: E402

# where the walk starts: each new rule of the grammars
PREFIXES = [
    ("route", ()), ("route", ("add",)), ("route", ("-A", "inet6", "add")),
    ("ip", ("rule", "add")), ("ip", ("rule", "list")), ("ip", ("rule", "flush")),
    ("ip", ("netns",)), ("ip", ("tuntap", "add")), ("ip", ("tuntap", "del")),
    ("ip", ("link", "add", "vx0", "type", "vxlan")),
    ("ip", ("link", "add", "m0", "link", "lo", "type", "macvlan")),
    ("ip", ("link", "add", "m1", "link", "lo", "type", "macvtap")),
    ("ip", ("link", "add", "v0", "type", "veth")),
    ("ip", ("link", "add", "v1", "link", "lo", "type", "vlan")),
    ("ip", ("link", "set", "lo", "type", "vlan")),
    ("ip", ("link", "add", "r0", "type", "vrf")),
    ("ip", ("link", "add", "b0", "type", "bond")),
    ("ip", ("link", "add", "g0", "type", "gre")),
    ("ip", ("link", "add", "g1", "type", "gretap")),
    ("ip", ("link", "add", "e0", "type", "erspan")),
    ("ip", ("link", "add", "i0", "type", "ipip")),
    ("ip", ("link", "add", "s0", "type", "sit")),
    ("ip", ("link", "add", "p0", "link", "lo", "type", "ipvlan")),
    ("ip", ("link", "add", "p1", "link", "lo", "type", "ipvtap")),
    ("ip", ("tunnel",)), ("ip", ("tunnel", "add")), ("ip", ("tunnel", "change")),
    ("ip", ("tunnel", "del")), ("ip", ("tunnel", "show")), ("ip", ("vrf",)),
]
# a walk that would run a command or wait forever
SKIP = {"exec", "monitor"}
SCALE = 10 if os.environ.get("IPEMU_LONG") == "1" else 1    # the long run: 10x the examples


@pytest.fixture(scope="module")
def session():
    s = Session.create(scenario="bare")
    s.run_line("ip netns add red")
    return s


@settings(max_examples=120 * SCALE, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), where=st.sampled_from(PREFIXES))
def test_generated_lines_never_raise(session, seed, where):
    tool, prefix = where
    words = line(tool, random.Random(seed), max_words=8, prefix=prefix)
    if SKIP & set(words[len(prefix):]) or (tool == "ip" and "netns" in words
                                            and SKIP & set(words)):
        return
    text = " ".join([tool] + words)
    term, status = session.run_line(text)
    assert "internal error" not in term.text(), (text, term.text())
    assert "Traceback" not in term.text(), text
    assert isinstance(status, int) and 0 <= status <= 255, (text, status)


@settings(max_examples=80 * SCALE, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2 ** 32 - 1))
def test_route_lines_split_back_whole(seed):
    """A walked route line is read back by route's getopt_long() without a '?'."""
    from ipemu.tools.route import GETOPT_MODE
    words = line("route", random.Random(seed), max_words=10)
    pairs, _ = syntax.getopt("route", "route", words, mode=GETOPT_MODE)
    assert all(option != "?" for option, _ in pairs), (words, pairs)
