"""The line-shape cache of ipemu/syntax.py (Cursor.feed_all) and the process's ll_map
cache of `ip` answer exactly as the full computations they stand for (issue 19)."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from ipemu import syntax
from ipemu.grammar_gen import line

GRAMMARS = ["ip", "ping", "route", "bridge", "tcpdump_options"]
# digit words of every value kind the grammars read
DIGIT_WORDS = ["0", "1", "7", "10", "255", "4096", "10.0.0.1", "10.0.0.0/8", "1.2.3.4/32",
               "192.168.1.255", "2001:db8::1", "2001:db8::/64", "0x10", "1e3", "1.5", "3s",
               "00:11:22:33:44:55", "1/2", "9999999999", "1-2", "1,2"]


def _one_by_one(cursor: syntax.Cursor, words: list[str]):
    out = [cursor.feed(w) for w in words]
    return _seen(out), cursor.node, cursor.stopped


def _seen(words):
    return [(str(w), w.keyword, w.kind) for w in words]


def _check(g: syntax.Grammar, start: list[str], hidden: frozenset[str],
           words: list[str]) -> None:
    base = g.cursor(hidden)
    for w in start:
        base.feed(w)
    want = _one_by_one(base.copy(), words)
    cached = base.copy()
    got = cached.feed_all(words)
    assert (_seen(got), cached.node, cached.stopped) == want, words
    assert all(isinstance(w, syntax.Word) for w in got)


# words no keyword of the grammars is or starts with (names: feed_all() shapes them
# as it shapes digit words)
NAME_WORDS = ["va0", "vb17", "eth0.5", "zz", "br-x", "qq:1", "ns_red", "xyz1", "ww", "-zz",
              "0x", ""]


def _variants(rng: random.Random, words: list[str],
              g: syntax.Grammar | None = None) -> list[list[str]]:
    """The line, and the line with its digit words swapped for other digit words
    and its names for other names (the same shape: the cache's answer must still be
    the full one)."""
    out = [words]
    known = g.keyword_prefixes if g is not None else frozenset()
    for _ in range(3):
        out.append([rng.choice(DIGIT_WORDS) if w[:1].isdigit() else
                    rng.choice(NAME_WORDS) if g is not None and w not in known else w
                    for w in words])
    return out


@pytest.mark.parametrize("name", GRAMMARS)
def test_line_shapes_feed_as_word_by_word(name):
    g = syntax.grammar(name)
    rng = random.Random(20)
    texts = [k.text for k in g.keywords.values()]
    hidden_sets = [frozenset(), frozenset(rng.sample(sorted(texts), min(5, len(texts))))]
    for n in range(400):
        words = line(name, rng, max_words=10)
        for i in range(len(words)):
            if rng.random() < 0.2:
                words[i] = rng.choice(DIGIT_WORDS + ["x", "", "-", "default"] + texts)
        for variant in _variants(rng, words, g):
            _check(g, [], hidden_sets[n % 2], variant)


def _ip_lines():
    """The words of every `ip` command line the transcripts hold."""
    for path in corpus.paths():
        for command in corpus.commands(path):
            words = command.split()
            if words[:1] == ["ip"] and not any(c in command for c in "'\"$|;&<>`\\"):
                yield words[1:]


def _digit_shape(words: list[str]) -> tuple[str, ...]:
    return tuple("#" if w[:1].isdigit() else w for w in words)


def test_every_transcript_ip_line_feeds_as_word_by_word():
    """Every `ip` line of the transcripts; in the suite one of each that differ only in
    their digit words (_variants() swaps those anyway): 10,600 lines are 4,800."""
    g = syntax.grammar("ip")
    rng = random.Random(20)
    lines = list(_ip_lines())
    if not corpus.LONG:
        lines = list({_digit_shape(words): words for words in lines}.values())
    assert len(lines) > 500
    for words in lines:
        for variant in _variants(rng, words, g):
            _check(g, [], frozenset(), variant)             # as `ip WORDS`
            _check(g, ["--"], frozenset(), variant)         # as a line of a batch


def test_a_digit_keyword_leaves_the_shape_to_the_full_path():
    """Where a keyword starts with a digit (`mode 802.3ad`, `6rd`) a `#` word's text
    decides: no shape is kept, and feed_all feeds word by word."""
    g = syntax.grammar("ip")
    start = "link add b0 type bond mode".split()
    cursor = g.cursor()
    for w in start:
        cursor.feed(w)
    assert any(c.isdigit() for c in cursor.node.by_initial)
    assert syntax._Shape.learn(cursor, ["8"], ("#",)) is None
    for word in ["802.3ad", "8", "802", "6", "1", "802.3ad/1"]:
        _check(g, start, frozenset(), [word, "miimon", "100"])
    words = "link add t0 type sit 6rd-prefix 2001:db8::/32".split()
    _check(g, [], frozenset(), words)


def test_a_batch_asks_for_a_link_once_until_ip_link_changes_it(monkeypatch):
    """lib/ll_map.c: ll_index_to_name() sends RTM_GETLINK for an index the process
    has not seen; iplink_modify() drops the index it changed (ll_drop_by_index()), so
    a renamed device prints its new name (as the real `ip -batch` does)."""
    from ipemu.kernel.netns import NetNamespace
    from ipemu.session import Session
    asked = []
    real = NetNamespace.link_entry
    monkeypatch.setattr(NetNamespace, "link_entry",
                        lambda self, dev: asked.append(dev.ifindex) or real(self, dev))
    s = Session.create("default", "bare", "h", 0)
    s.write_file("b.txt", b"""link add d0 type veth peer name d1
link set d0 up
link set d1 up
addr add 10.0.0.1/8 dev d0
route get 10.1.2.3
route get 10.1.2.4
link set d0 down
link set d0 name e0
link set e0 up
route get 10.1.2.3
route get 10.1.2.4
""")
    asked.clear()
    term, status = s.run_line("ip -batch b.txt")
    assert status == 0
    assert term.text() == "".join(f"10.1.2.{n} dev {d} src 10.0.0.1 uid 0 \n    cache \n"
                                  for d in ("d0", "e0") for n in (3, 4))
    assert len(asked) == 2 and len(set(asked)) == 1
    # each `ip route get` of its own is a process of its own: it asks again
    asked.clear()
    s.run_line("ip route get 10.1.2.3")
    s.run_line("ip route get 10.1.2.3")
    assert len(asked) == 2


def test_ipv4_network_is_what_ipaddress_makes():
    import ipaddress
    import itertools
    import pickle
    from ipemu.kernel.fib import NETMASKS, ipv4_network
    rng = random.Random(20)
    for _ in range(3000):
        plen = rng.randint(0, 32)
        addr = rng.getrandbits(32) & NETMASKS[4][plen]
        want, got = ipaddress.IPv4Network((addr, plen)), ipv4_network(addr, plen)
        assert (got, hash(got), str(got), repr(got)) == (want, hash(want), str(want), repr(want))
        # but the per-instance hosts() __init__ gives a /31 and a /32 (ipv4_network())
        assert got.__dict__.keys() == want.__dict__.keys() - {"hosts"}
        if plen < 31:
            assert list(itertools.islice(got.hosts(), 3)) == \
                list(itertools.islice(want.hosts(), 3))
        assert (got.broadcast_address, got.num_addresses, got.prefixlen) == \
            (want.broadcast_address, want.num_addresses, want.prefixlen)
        assert pickle.loads(pickle.dumps(got)) == want


def test_a_request_prefix_reads_as_the_network_made_of_it():
    """FibFrontend._rtm_dst_key(): the network and its prefix_key() as _rtm_dst() and
    prefix_key() give them, the same refusal for host bits or a bad length."""
    import ipaddress
    from ipemu.kernel.errors import KernelError
    from ipemu.kernel.fib import prefix_key
    from ipemu.kernel.fib_frontend import FibFrontend
    from ipemu.kernel.requests import RouteRequest

    def answer(fn, req):
        try:
            return fn(req)
        except KernelError as err:
            return err.errno, str(err)
        except ValueError as err:     # an IPv6 length the tool never sends
            return type(err), str(err)

    rng = random.Random(20)
    for _ in range(3000):
        family = rng.choice([4, 4, 6])
        bits = 32 if family == 4 else 128
        plen = rng.choice([0, 1, 8, 24, 31, 32, 33, 64, 127, 128, 129, -1])
        value = rng.getrandbits(bits) & rng.choice([0, (1 << bits) - 1, ~((1 << (bits - 8)) - 1)])
        dst = rng.choice([None, ipaddress.ip_address(value) if family == 4 else
                          ipaddress.IPv6Address(value)])
        req = RouteRequest(family=family, dst_len=plen, dst=dst, tos=0, table=254, protocol=3,
                           scope=0, type=1)
        full = answer(lambda r: (FibFrontend._rtm_dst(r), prefix_key(FibFrontend._rtm_dst(r))),
                      req)
        assert answer(FibFrontend._rtm_dst_key, req) == full, req


def test_inet_addr_type_reads_ints_as_the_address_properties():
    import ipaddress
    from ipemu.kernel.fib import RTN
    from ipemu.session import Session
    s = Session.create("default", "bare", "h", 0)
    s.run_line("ip addr add 192.0.2.1/24 brd + dev lo")
    ns = s.host.namespaces[next(iter(s.host.namespaces))]
    rng = random.Random(20)
    words = [0, 1, 0xFFFFFFFF, 0xFFFFFFFE, 0xE0000001, 0xEFFFFFFF, 0xF0000000, 0x7F000001,
             0xC0000201, 0xC00002FF, 0xC0000200, 0x00FFFFFF, 0x01000000]
    for n in words + [rng.getrandbits(32) for _ in range(2000)]:
        addr = ipaddress.IPv4Address(n)
        if n >> 24 == 0 or addr == ipaddress.IPv4Address("255.255.255.255"):
            want = RTN.BROADCAST
        elif addr.is_multicast:
            want = RTN.MULTICAST
        else:
            best = ns.table(4, 255).longest_match(n)
            want = best.type if best is not None else RTN.UNICAST
        assert ns.inet_addr_type(addr) == want, addr


def test_plain_quads_read_again_from_the_memo_as_the_first_time():
    from ipemu.errors import CommandError
    from ipemu.tools import ipargs

    def answer(fn, text, family):
        try:
            p = fn(text, family)
        except CommandError as err:
            return err.message
        return p if p is None else (p.family, p.address, p.bitlen, p.prefixlen_given)

    texts = ["10.0.0.1", "10.0.0.0/8", "1.2.3.4/33", "010.0.0.1", "256.1.1.1", "1.2.3",
             "0.0.0.0/0", "192.168.1.1/32", "::1", "default"]
    first = {(t, f): (answer(ipargs.get_addr, t, f), answer(ipargs.get_prefix, t, f))
             for t in texts for f in (0, 4, 6)}
    got = ipargs.get_prefix("10.0.0.0/8", 0)
    got.bitlen = 9          # a caller's Prefix is its own: the memo keeps ints
    for _ in range(2):
        assert {(t, f): (answer(ipargs.get_addr, t, f), answer(ipargs.get_prefix, t, f))
                for t in texts for f in (0, 4, 6)} == first


def test_route_identities_indexed_as_a_scan_finds_them():
    """FibTable's identity index (one route, or a list when several share one)
    answers kernel_routes_like() as a scan of the table does, as routes come and go."""
    import ipaddress
    from ipemu.kernel.fib import FibTable, Route, same_kernel_route
    rng = random.Random(20)
    table = FibTable(254, 4)
    nets = [ipaddress.IPv4Network(f"10.{i}.0.0/16") for i in range(4)]
    for _ in range(3000):
        if table.entries and rng.random() < 0.4:
            table.remove(rng.choice(list(table.entries.values())))
        else:
            table.add(Route(rng.choice(nets), 254, oif=rng.choice([1, 2]),
                            priority=rng.choice([0, 0, 5])))
        probe = Route(rng.choice(nets), 254, oif=rng.choice([1, 2]), priority=rng.choice([0, 5]))
        want = sorted((r for r in table.entries.values() if same_kernel_route(r, probe)),
                      key=lambda r: r.seq)
        assert [r.seq for r in table.kernel_routes_like(probe)] == [r.seq for r in want]
    table.__restore__()
    for route in list(table.entries.values()):
        assert route in table.kernel_routes_like(route)


def test_route_records_made_at_once_are_the_records_the_class_makes():
    from ipemu.kernel.records import RouteMsg, _ROUTE_MSG_FIELDS, _route_msg, route_msg
    from ipemu.plainclass import fields
    from ipemu.session import Session
    assert tuple(f.name for f in fields(RouteMsg)) == _ROUTE_MSG_FIELDS
    s = Session.create("default", "bare", "h", 0)
    s.run_line("ip link add d0 type veth peer name d1")
    s.run_line("ip addr add 10.0.0.1/8 dev d0")
    s.run_line("ip link set d0 up")
    s.run_line("ip route add 172.16.0.0/16 via 10.0.0.2 metric 5 onlink dev d0")
    ns = s.host.namespaces[next(iter(s.host.namespaces))]
    routes = [r for t in ns.tables.values() for r in t.sorted_routes()]
    assert len(routes) == 4     # linkdown and onlink among them
    for route in routes:
        got = route_msg(ns, route)
        want = RouteMsg(*(getattr(got, name) for name in _ROUTE_MSG_FIELDS))
        assert (got, hash(got), repr(got), list(vars(got))) == \
            (want, hash(want), repr(want), list(vars(want)))
    assert _route_msg(tuple(range(15))) == RouteMsg(*range(15))
