"""The request templates of `ip -batch` (ip_route.line_plan(): a route line of a shape
seen before takes the request iproute_modify() built for it, with its own dotted
quads put in) and the kernel's insert of a plain IPv4 route through a gateway
(FibFrontend._new_route4_via(), with its fib_info sharing) answer exactly as the full
paths: the same requests, output, errors, exit statuses, route dumps and saved state,
for the `ip route` lines of the transcripts that change routes, each followed by
lines of the same shape with other values (issue 19). In the suite the fewest line
shapes that hold every option and keyword with its verb, and our own lines; every
shape in the long run (IPEMU_LONG=1)."""
from __future__ import annotations

import functools
import ipaddress
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from ipemu import state
from ipemu.kernel.fib_frontend import FibFrontend
from ipemu.kernel.netns import NetNamespace
from ipemu.plainclass import replace
from ipemu.session import Session
from ipemu.tools import ip as ip_tool

# devices and addresses that most transcript lines' gateways and devices resolve in
SETUP = """link add d0 type veth peer name d1
link set d0 up
link set d1 up
addr add 10.0.0.1/8 dev d0
addr add 192.168.1.1/24 dev d1
link add dummy0 type dummy
link set dummy0 up
addr add 172.16.0.1/16 dev dummy0
addr add 2001:db8::1/64 dev dummy0
link add veth0 type veth peer name veth1
link set veth0 up
addr add 10.1.1.1/24 dev veth0
route add 5.5.5.0/24 dev d0 scope global
"""
ADDRESSES = ["10.0.0.2", "10.1.2.3", "192.168.1.7", "172.16.5.5", "8.8.8.8", "0.0.0.0",
             "127.0.0.1", "224.0.0.5", "255.255.255.255", "10.0.0.1", "192.168.1.255",
             "1.2.3.4", "10.1.1.2", "10.1.1.1", "5.5.5.5", "300.1.1.1", "010.0.0.1", "10.1"]
PREFIXES = ["10.9.0.0/16", "172.20.1.0/24", "1.2.3.4/32", "10.0.0.1/8", "0.0.0.0/0",
            "192.168.1.0/24", "8.8.8.8/32", "224.0.0.0/4", "10.0.0.0/33", "1.2.3.0/24",
            "10.1.1.0/24", "127.0.0.0/8", "1.2.3.4/31"]
NUMBERS = ["0", "1", "100", "255", "4096", "0x10", "99999999999"]
MODIFY = {"a", "ad", "add", "change", "chg", "replace", "prepend", "append", "test", "d",
          "del", "delete", "c", "ch", "cha", "r", "re", "rep", "p", "app"}
# lines of the benchmark's kind and its neighbours, beside the transcripts'
OWN = ["route add 172.16.1.0/24 via 10.0.0.2",
       "route add 172.17.0.1/32 via 10.0.0.2 metric 100",
       "route add 10.5.0.0/16 via 10.0.0.2 dev d0",
       "route add 10.6.0.0/16 via 192.168.1.2 dev d0",
       "route replace 10.7.0.0/16 via 10.0.0.2 proto static",
       "route append 10.8.0.0/16 via 10.0.0.2 table 100",
       "route prepend 10.8.0.0/16 via 10.0.0.3",
       "route add 1.2.3.0/24 via 10.0.0.2 src 10.0.0.1",
       "route add to unicast 1.2.4.0/24 via inet 10.0.0.2",
       "route add 1.2.5.0/24 via 10.0.0.2 onlink dev d0",
       "route add 1.2.6.0/24 via 10.0.0.2 scope link",
       "route add 1.2.7.0/24 via 10.0.0.2 tos 0x10",
       "route add 1.2.8.0/24 via 10.0.0.2 from 10.0.0.0/8",
       "route add 1.2.9.0/24 via 10.0.0.2 mtu 1400",
       "route add 1.2.10.0/24 via 10.0.0.2 nexthop via 10.0.0.3",
       "route change 172.16.1.0/24 via 10.0.0.3",
       "route test 172.16.1.0/24 via 10.0.0.3",
       "route del 172.16.1.0/24 via 10.0.0.2",
       "route add 10.0.0.0/8 via 10.0.0.2",
       "route add blackhole 1.2.11.0/24",
       "route add 1.2.12.0/24 dev d0",
       "route add 6.6.6.0/24 via 5.5.5.5",
       "route add 6.6.7.0/24 via 10.0.0.2 dev d1"]
# batches whose lines change what a gateway resolves through between two lines of
# one shape (the fib_info sharing must see it)
SEQUENCES = [
    ["route add 1.0.0.0/24 via 10.0.0.2", "route add 10.0.0.0/24 dev d1",
     "route add 1.0.1.0/24 via 10.0.0.2", "route del 10.0.0.0/24 dev d1",
     "route add 1.0.2.0/24 via 10.0.0.2"],
    ["route add 1.0.0.0/24 via 10.0.0.2", "link set d0 down",
     "route add 1.0.1.0/24 via 10.0.0.2", "link set d0 up", "route add 1.0.2.0/24 via 10.0.0.2"],
    ["route add 1.0.0.0/24 via 10.0.0.2", "addr del 10.0.0.1/8 dev d0",
     "route add 1.0.1.0/24 via 10.0.0.2", "addr add 10.0.0.1/16 dev d1",
     "route add 1.0.2.0/24 via 10.0.0.2"],
    ["route add 1.0.0.0/24 via 5.5.5.5", "route add 5.5.5.0/25 dev d1",
     "route add 1.0.1.0/24 via 5.5.5.5", "route replace 5.5.5.0/25 dev d1 scope global",
     "route add 1.0.2.0/24 via 5.5.5.5"],
    ["route add 1.0.0.0/24 via 10.0.0.2 dev d0", "link set d0 name e0",
     "route add 1.0.1.0/24 via 10.0.0.2 dev d0", "route add 1.0.2.0/24 via 10.0.0.2 dev e0",
     "link add d0 type dummy", "route add 1.0.3.0/24 via 10.0.0.2 dev d0"],
    ["route add 1.0.0.0/24 via 10.0.0.2", "route add 1.0.0.0/24 via 10.0.0.2",
     "route add 1.0.0.0/24 via 10.0.0.2 metric 5", "route replace 1.0.0.0/24 via 10.0.0.3",
     "route del 1.0.0.0/24", "route add 1.0.0.0/24 via 10.0.0.2"],
    # lines of the last plan's length and keywords that are not of its shape
    ["route add 1.0.0.0/24 via 10.0.0.2", "route add default via 10.0.0.2",
     "route add 1.0.1.0/24 via 10.0.0.2", "route add 1.0.2.0/24 dev d0",
     "route add 1.0.3.0/24 via 10.0.0.2", "route add 1.0.4.0/24 via 10.0.0.2 metric 7",
     "route add 1.0.5.0/24 via 10.0.0.2 metric 8", "route add 1.0.6.0/24 via 10.0.0.2",
     "route del 1.0.6.0/24 via 10.0.0.2", "route add 1.0.6.0/24 via 10.0.0.2",
     "route add 1.0.9.0/24 src 10.0.0.1", "route add 1.0.10.0/24 via 10.0.0.2"],
    # lines a plan runs together (ModifyPlan.run_lines()), broken by every kind of line
    # it must leave to the usual path: an existing prefix, host bits, another gateway,
    # blanks, a comment, a continuation, a gateway that does not resolve
    [f"route add 1.1.{i}.0/24 via 10.0.0.2" for i in range(6)] +
    ["route add 1.1.2.0/24 via 10.0.0.2", "route add 1.1.6.1/24 via 10.0.0.2",
     "route add 1.1.7.0/24 via 10.0.0.3", "route add 1.1.8.0/24  via 10.0.0.2",
     "route add 1.1.9.0/24 via 10.0.0.2 # a comment", "route add 1.1.10.0/24 \\",
     "via 10.0.0.2", "route add 1.1.11.0/24 via 8.8.8.8"] +
    [f"route add 1.1.{i}.0/24 via 10.0.0.2" for i in range(12, 20)] +
    [f"route add 1.1.{i}.0/24 via 10.0.0.3" for i in range(12, 20)],
    [f"route add 1.2.0.{i} via 10.0.0.2" for i in range(8)] +
    [f"route add 1.2.0.{i}/32 via 10.0.0.2" for i in range(8)],
    [f"route {verb} 1.3.{i}.0/24 via 10.0.0.2 {rest}" for verb in ("append", "prepend",
     "replace", "change", "test", "del") for rest in ("", "metric 5", "table 100 proto static")
     for i in range(5)],
    [f"route add 1.4.{i}.0/24 via 10.0.0.2 dev d0" for i in range(5)] + ["link set d0 down"] +
    [f"route add 1.4.{i}.0/24 via 10.0.0.2 dev d0" for i in range(5, 10)],
    # more than a call takes (_RUN_LINES), an existing prefix after that
    [f"route add 1.{5 + i // 256}.{i % 256}.0/24 via 10.0.0.2" for i in range(4200)] +
    ["route add 1.5.3.0/24 via 10.0.0.2", "route add 9.9.9.0/24 via 10.0.0.2"],
]


def _route_lines() -> list[tuple[tuple[str, ...], list[str]]]:
    """(options, lines) of the `ip [OPTIONS] route VERB ...` commands of the
    transcripts that iproute_modify() serves (options without a value only), the
    distinct lines of each line shape together."""
    seen: dict[tuple, dict[str, None]] = {}
    for path in corpus.paths():
        for command in corpus.commands(path):
            words = command.split()
            if words[:1] != ["ip"] or any(c in command for c in "'\"$|;&<>`\\#"):
                continue
            rest = words[1:]
            opts = []
            while rest and rest[0].startswith("-") and rest[0] not in ("-n", "-netns", "-b",
                                                                        "-batch", "-f",
                                                                        "-family"):
                opts.append(rest.pop(0))
            if len(rest) > 2 and rest[0] in ("r", "ro", "rou", "rout", "route") and \
                    rest[1] in MODIFY:
                shape = tuple(w if not w[:1].isdigit() else "#" for w in rest)
                seen.setdefault((tuple(opts), shape), {})[" ".join(rest)] = None
    return [(opts, list(lines)) for (opts, _), lines in seen.items()] + \
        [((), [line]) for line in OWN]


def _variant(rng: random.Random, words: list[str]) -> str:
    """The line with its digit words swapped: a dotted quad for another of the same
    kind mostly (sometimes of the other kind, or no plain quad at all), other numbers
    mostly kept."""
    out = []
    for w in words:
        if not w[:1].isdigit():
            out.append(w)
        elif "." in w and rng.random() < 0.9:
            out.append(rng.choice(PREFIXES if "/" in w else ADDRESSES) if rng.random() < 0.85
                       else rng.choice(ADDRESSES + PREFIXES))
        else:
            out.append(w if rng.random() < 0.7 else rng.choice(NUMBERS))
    return " ".join(out)


def _run(monkeypatch, opts: tuple[str, ...], lines: list[str], fast: bool):
    """The batch on a fresh host: output, status, the requests the kernel was given,
    the route dumps and the saved host."""
    sent = []
    with monkeypatch.context() as m:
        for name in ("new_route", "del_route"):
            real = getattr(NetNamespace, name)
            m.setattr(NetNamespace, name,
                      lambda self, req, real=real: sent.append(req) or real(self, req))
        real_many = NetNamespace.new_routes4_via

        def many(self, req, dsts):
            # the lines ModifyPlan.run_lines() sends together, as the requests they are
            taken = real_many(self, req, dsts)
            sent.extend(replace(req, dst=ipaddress.IPv4Address(a), dst_len=p)
                        for a, p in dsts[:taken])
            return taken
        m.setattr(NetNamespace, "new_routes4_via", many)
        if not fast:
            m.setattr(ip_tool, "_PLANNERS", {})
            m.setattr(FibFrontend, "_new_route4_via", lambda self, req: False)
            m.setattr(FibFrontend, "new_routes4_via", lambda self, req, dsts: 0)
        s = Session.create("default", "bare", "h", 0)
        s.write_file("setup.txt", SETUP.encode())
        s.write_file("b.txt", ("\n".join(lines) + "\n").encode())
        _, status = s.run_line("ip -force -batch setup.txt")
        assert status == 0
        sent.clear()
        term, status = s.run_line(" ".join(("ip",) + opts + ("-force", "-batch", "b.txt")))
        shown = [s.run_line(f"ip {f} route show table all")[0].text() for f in ("-4", "-6")]
        return term.text(), status, sent, shown, state.dumps(s)


def line_kinds(shape: tuple[tuple[str, ...], list[str]]) -> set[str]:
    """The verb, and each option and keyword with the verb (corpus.line_words())."""
    opts, same = shape
    words = same[0].split()
    return {words[1]} | {f"{words[1]} {w}" for w in corpus.line_words(
        " ".join(opts + tuple(words[2:])), re.compile(r"^"))}


@functools.cache
def all_lines() -> list[tuple[tuple[str, ...], list[str]]]:
    """Every route line shape of the corpus: read when a test first needs them, not
    at collection (every xdist worker collects; one runs these tests)."""
    return _route_lines()


@functools.cache
def sliced_lines() -> list[tuple[tuple[str, ...], list[str]]]:
    """In the suite the fewest shapes holding every (verb, option or keyword) pair and
    our own lines; every shape in the long run (IPEMU_LONG=1)
    (a shape of more distinct lines first: its plan serves more of them)."""
    if corpus.LONG:
        return all_lines()
    cover = {id(shape) for shape in corpus.covering(all_lines(), line_kinds,
                                                    lambda shape: -len(shape[1]))}
    return [shape for shape in all_lines() if id(shape) in cover or shape[1][0] in OWN]


def test_the_slice_holds_every_kind_of_route_line():
    everything = set().union(*map(line_kinds, all_lines()))
    assert set().union(*map(line_kinds, sliced_lines())) == everything
    assert {"add", "add via", "replace dev", "del table", "add -6"} <= everything
    assert len(sliced_lines()) < len(all_lines()) / 2 or corpus.LONG


@pytest.mark.parametrize("chunk", range(4))
def test_route_lines_plan_as_the_full_path(monkeypatch, chunk):
    rng = random.Random(21 + chunk)
    checked = 0
    for opts, same in sliced_lines()[chunk::4]:
        # every line of the shape (the first two teach the plan), variants, the first
        words = same[0].split()
        lines = same + [_variant(rng, words) for _ in range(4)] + same[:1]
        fast = _run(monkeypatch, opts, lines, True)
        full = _run(monkeypatch, opts, lines, False)
        assert fast[:2] == full[:2], (opts, lines)
        assert fast[2] == full[2], (opts, lines)
        assert fast[3] == full[3], (opts, lines)
        assert fast[4] == full[4], (opts, lines)
        checked += 1
    assert checked > 10


@pytest.mark.parametrize("lines", SEQUENCES)
def test_route_sequences_plan_as_the_full_path(monkeypatch, lines):
    fast = _run(monkeypatch, (), lines, True)
    full = _run(monkeypatch, (), lines, False)
    assert fast == full


def test_a_plan_serves_the_later_lines_of_its_shape(monkeypatch):
    """The template is learnt from the second line of a shape and taken by the others
    (the tests above would pass with plans never used)."""
    from ipemu.tools import ip_route
    used, together = [], []
    real = ip_route.ModifyPlan.__call__
    monkeypatch.setattr(ip_route.ModifyPlan, "__call__",
                        lambda self, ctx, argv: used.append(real(self, ctx, argv)) or used[-1])
    real_run = ip_route.ModifyPlan._run_lines
    monkeypatch.setattr(ip_route.ModifyPlan, "_run_lines",
                        lambda self, *a: together.append(real_run(self, *a)) or together[-1])
    lines = [f"route add 172.16.{i}.0/24 via 10.0.0.2" for i in range(5)]
    text, status, sent, shown, _ = _run(monkeypatch, (), lines, True)
    assert (text, status) == ("", 0)
    # the third line takes the plan, which runs the two after it together
    assert used == [0] and together == [2]
    assert [str(r.dst) for r in sent] == [f"172.16.{i}.0" for i in range(5)]
    assert "172.16.4.0/24 via 10.0.0.2 dev d0 \n" in shown[0]


def test_the_kernel_insert_serves_a_plain_route(monkeypatch):
    """_new_route4_via() takes a plain route through a gateway (and refuses, leaving
    it to the full path, what it does not decide)."""
    taken = []
    real = FibFrontend._new_route4_via
    monkeypatch.setattr(FibFrontend, "_new_route4_via",
                        lambda self, req: taken.append(real(self, req)) or taken[-1])
    lines = ["route add 172.16.1.0/24 via 10.0.0.2", "route add 172.16.1.0/24 via 10.0.0.2",
             "route add 172.16.2.0/24 via 10.0.0.1", "route add 172.16.3.0/24 via 8.8.8.8"]
    text, status, *_ = _run(monkeypatch, (), lines, True)
    assert status == 1 and "RTNETLINK answers: File exists" in text
    assert taken[-4:] == [True, False, True, False]


def test_a_new_prefix_indexes_as_add_indexes_it():
    """FibTable.add_prefixes4() keeps the indexes _index() keeps (in any order of
    addition), and a table rebuilt from its entries has the same."""
    from ipemu.kernel.fib import FibTable, Route, ipv4_network, prefix_key
    from ipemu.kernel.fib_frontend import _MASKS4
    rng = random.Random(21)
    fast, full = FibTable(254, 4), FibTable(254, 4)
    seen = set()
    for n in range(600):
        plen = rng.choice([0, 1, 8, 16, 24, 31, 32, 32])
        addr = rng.getrandbits(32) & _MASKS4[plen]
        if (addr, plen) in seen:
            continue
        seen.add((addr, plen))
        kw = dict(priority=rng.choice([0, 5]), oif=rng.choice([None, 2, 3]))
        a, b = (Route(ipv4_network(addr, plen), **kw) for _ in range(2))
        fast.add_prefixes4(((a, (addr, plen)),))
        full.add(b, prefix_key(b.dst))
    indexes = ("_nets", "_lpm", "_order", "_idents")
    assert {k: getattr(fast, k) for k in indexes} == {k: getattr(full, k) for k in indexes}
    assert fast.sorted_routes() == full.sorted_routes()
    fast._reindex()
    assert {k: getattr(fast, k) for k in indexes} == {k: getattr(full, k) for k in indexes}


def test_batch_lines_split_at_newlines_only():
    """getcmdline()'s getline(): lines end at "\\n" only (a \\r, \\v, \\x1c or U+2028 is
    a character of the line), the last one maybe without it."""
    import re
    from ipemu.tools.ip_batch import _command_lines

    class Ctx:
        class term:
            @staticmethod
            def err(text):
                raise AssertionError(text)

    for text in ["", "a", "a\n", "a\nb", "\n\n", "a\r\nb\rc\n", "x\x0by\x1cz\u2028w\n",
                 "a\n\nb\n ", "route add 1.2.3.4 via 10.0.0.2 # note\nb \\\nc\n"]:
        want, lineno = [], 0
        raw = [m.group() for m in re.finditer(r"[^\n]*\n|[^\n]+$", text)]
        while raw:
            line, lineno = raw.pop(0).split("#", 1)[0], lineno + 1
            while "\\\n" in line:
                lineno += 1
                line = line[:line.index("\\\n")] + raw.pop(0).split("#", 1)[0]
            want.append((lineno, line))
        assert list(_command_lines(Ctx, text)) == want, text
