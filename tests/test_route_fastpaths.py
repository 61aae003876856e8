"""The fast paths of the `ip` line and the routing tables (issue 19) answer exactly as
the full computations they stand for: the remembered parse states of ipemu/syntax.py
against a plain LALR walk, on generated and mutated lines of every tool grammar."""
from __future__ import annotations

import random

import pytest

from ipemu import syntax
from ipemu.grammar_gen import line

GRAMMARS = ["ip", "ping", "route", "bridge", "tcpdump_options"]


def _reference_feed(g: syntax.Grammar, stack: list[int], hidden: frozenset[str],
                    word: str) -> tuple[str | None, str | None] | None:
    """The word through the plain LALR tables (the cursor before its states were
    remembered): (keyword, kind), None when refused; `stack` moves in place."""
    keywords, values = g.ordered(tuple(stack))
    for kw in keywords:
        if ((word == kw.text) if kw.whole else syntax.matches(word, kw.text)) \
                and kw.text not in hidden and g.shift(stack, kw.terminal):
            return kw.text, None
    for kind in values:
        if g.shift(stack, kind):
            return None, kind
    return None


def _mutate(rng: random.Random, words: list[str], g: syntax.Grammar) -> list[str]:
    """Words cut short, swapped for other keywords or values, dropped or doubled."""
    texts = [k.text for k in g.keywords.values()]
    out = list(words)
    for _ in range(rng.randint(0, 3)):
        if not out:
            break
        i = rng.randrange(len(out))
        how = rng.randrange(5)
        if how == 0:
            out[i] = out[i][:rng.randint(0, len(out[i]))]
        elif how == 1:
            out[i] = rng.choice(texts)
        elif how == 2:
            out[i] = rng.choice(["10.0.0.1", "eth0", "x", "", "-", "default", "0x10"])
        elif how == 3:
            del out[i]
        else:
            out.insert(i, out[i])
    return out


@pytest.mark.parametrize("name", GRAMMARS)
def test_remembered_states_feed_as_the_plain_tables(name):
    g = syntax.grammar(name)
    rng = random.Random(19)
    hidden_sets = [frozenset(), frozenset(rng.sample(sorted(k.text for k in g.keywords.values()),
                                                     min(5, len(g.keywords))))]
    for n in range(300):
        hidden = hidden_sets[n % 2]
        words = _mutate(rng, line(name, rng, max_words=10), g)
        cursor = g.cursor(hidden)
        stack = [g.start]
        stopped = False
        for word in words:
            fed = cursor.feed(word)
            want = None if stopped else _reference_feed(g, stack, hidden, word)
            stopped = stopped or want is None
            assert cursor.stopped == stopped, (words, word)
            if not stopped:
                assert (fed.keyword, fed.kind) == want, (words, word)
                assert cursor.stack == stack
                assert cursor.can_end() == g.at_end(stack)
                keywords, values = g.ordered(tuple(stack))
                assert cursor.expected() == ([k for k in keywords if k.text not in hidden],
                                             values)


def _address_words(rng: random.Random) -> list[str]:
    parts = ["0", "1", "9", "10", "99", "100", "255", "256", "999", "1000", "01", "010",
             "0x1", "0xff", "00", "", "a", "-1", " 1"]
    lens = ["0", "8", "9", "24", "32", "33", "99", "08", "010", "0x10", "", "255.0.0.0",
            "255.255.255.255", "1.2.3.4", " 8", "-1"]
    out = ["default", "all", "any", "::1", "fe80::1/64", "10.0.0.1%x", "1.2.3", "1.2.3.4.5"]
    for _ in range(3000):
        quad = ".".join(rng.choice(parts) for _ in range(rng.choice([4, 4, 4, 3, 5])))
        out.append(quad if rng.random() < 0.4 else f"{quad}/{rng.choice(lens)}")
    return out


def test_plain_quads_parse_as_the_full_get_prefix_and_get_addr():
    from ipemu.errors import CommandError
    from ipemu.tools import ipargs

    def answer(fn, text, family):
        try:
            p = fn(text, family)
        except CommandError as err:
            return err.message
        return p if p is None else (p.family, p.address, p.bitlen, p.prefixlen_given,
                                    p.is_default)

    for text in _address_words(random.Random(19)):
        for family in (0, 4, 6):
            assert answer(ipargs.parse_prefix_1, text, family) == \
                answer(ipargs._parse_prefix_full, text, family), text
            full = answer(ipargs.parse_addr_1, text, family)
            if full is None:
                full = (f'Error: {ipargs.FAMILY_NAMES[family]} address is expected rather '
                        f'than "{text}".\n')
            assert answer(ipargs.get_addr, text, family) == full, text


def test_batch_words_without_quotes_split_as_makeargs_loop():
    from ipemu.tools import ip_batch
    rng = random.Random(19)
    alphabet = [" ", "\t", "\r", "\n", "\v", "\f", "\xa0", "\u2003", "a", "b", "#", "\\"]
    for _ in range(2000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        # the quoted form of the same line runs makeargs()'s own loop
        loop = ip_batch._makeargs(line + ' ""')[:-1]
        assert ip_batch._makeargs(line) == loop, repr(line)


def test_the_ifindex_order_kept_as_devices_come_and_go():
    from ipemu.session import Session
    session = Session.create("default", "bare", "oracle", 0)
    rng = random.Random(19)
    ns = session.host.init_ns
    lines = ["ip netns add other"]
    for i in range(40):
        lines.append(rng.choice([f"ip link add d{i} type dummy",
                                 f"ip link add v{i} type veth peer name w{i}",
                                 f"ip link del d{rng.randrange(i + 1)}",
                                 f"ip link set v{rng.randrange(i + 1)} netns other",
                                 f"ip -n other link set w{rng.randrange(i + 1)} netns 1"]))
    for line in lines:
        session.run_line(line)
        ns.device_list()        # the order is then kept, not rebuilt
        for space in session.host.namespaces.values():
            assert [d.ifindex for d in space.device_list()] == sorted(space.devices), line
            assert space.device_list() == [space.devices[i] for i in sorted(space.devices)]


def test_a_batch_gives_the_collector_back_as_it_found_it():
    import gc

    from ipemu.session import Session
    session = Session.create("default", "bare", "oracle", 0)
    session.write_file("b.txt", b"".join(b"link add d%d type dummy\n" % i for i in range(1200))
                       + b"link add d0 type dummy\n")
    assert gc.isenabled()
    _, status = session.run_line("ip -batch b.txt")
    assert status == 1 and gc.isenabled()
    gc.disable()
    try:
        session.write_file("c.txt", b"link add e0 type dummy\n")
        assert session.run_line("ip -batch c.txt")[1] == 0 and not gc.isenabled()
    finally:
        gc.enable()
