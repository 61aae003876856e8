"""The fast paths of `ip route get` and the route printer (issue 19) answer exactly
as the full paths they stand for: fib_lookup() without custom rules against the rule
walk, the printer's compiled records against one call per field, and the get's own
shortcuts against the general code. The transcripts with an `ip ... route` line are
replayed both ways and must give the same bytes and statuses: in the suite the fewest
that hold every option and keyword such lines use (corpus.cross_check_slice(), kept by
corpus.kept()); every one in the long run (IPEMU_LONG=1)."""
from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from ipemu.transcript.check import replay

# `ip [OPTIONS] route|ro|r ...`, `ip monitor`, `ip -batch` (a batch may hold route lines)
_ROUTE_LINE = re.compile(r"\bip\s+(-\S+\s+)*(r|ro|rou|rout|route|mo\w*|monitor)\b|-batch|"
                         r"\bip\s+-b\b")


@functools.cache
def route_transcripts() -> list[Path]:
    out = []
    for path in corpus.paths():
        if any(_ROUTE_LINE.search(c) for c in corpus.commands(path)):
            out.append(path)
    return out


def full_paths(monkeypatch) -> None:
    """Every fast path of the route get and print path off."""
    from ipemu.kernel import fib_frontend, fib_rules
    from ipemu.render import printer
    from ipemu.tools import ip_route
    monkeypatch.setattr(fib_rules, "FAST_LOOKUP", False)
    monkeypatch.setattr(fib_frontend, "NH_KEEP", False)
    monkeypatch.setattr(printer, "COMPILED", False)
    monkeypatch.setattr(ip_route, "FAST_GET", False)
    monkeypatch.setattr(ip_route, "FAST_GET_TEXT", False)


def route_words(path: Path) -> set[str]:
    """The options and keywords of the transcript's route lines: the kinds of line."""
    return corpus.transcript_words(path, _ROUTE_LINE)


PATHS = corpus.kept("route-get", corpus.paths(), [__file__],
                    lambda: corpus.cross_check_slice(route_transcripts(), route_words))


def test_enough_route_transcripts():
    assert len(route_transcripts()) > 150


def test_the_slice_holds_every_kind_of_route_line():
    """The transcripts replayed both ways hold every option and keyword any route line
    of the corpus holds (the long run replays them all)."""
    everything = set().union(*map(route_words, route_transcripts()))
    assert set().union(*map(route_words, PATHS)) == everything
    assert {"get", "show", "add", "del", "-j", "-6", "table", "via"} <= everything
    assert len(PATHS) < len(route_transcripts()) or corpus.LONG


@pytest.mark.parametrize("path", PATHS, ids=[str(p.relative_to(corpus.TRANSCRIPTS))
                                              for p in PATHS])
def test_fast_and_full_paths_print_the_same(path, monkeypatch):
    tr = corpus.transcript(path)
    fast = replay(tr)
    with monkeypatch.context() as m:
        full_paths(m)
        full = replay(tr)
    assert fast == full


SETUP = """ip link add d0 type veth peer name d1
ip link set d0 up
ip link set d1 up
ip link add d2 type veth peer name d3
ip link set d2 up
ip addr add 10.0.0.1/8 dev d0
ip addr add 192.168.5.1/24 dev d2
ip route add 172.16.0.0/16 via 10.0.0.2
ip route add 172.17.0.0/16 via 10.0.0.2 mtu 1400 advmss 1300
ip route add 172.18.0.0/16 dev d0 src 10.0.0.1
ip route add 172.19.0.5/32 via 172.19.0.5 dev d0 onlink
ip route add 172.20.0.0/16 via 10.0.0.1
ip route add 172.21.0.0/16 via 192.168.5.9
ip route add 127.5.0.0/16 dev d0
ip route add 172.22.0.0/16 dev d0 src 10.0.0.1 metric 5 proto static"""

GETS = ["172.16.1.2", "172.16.1.3", "172.17.0.9", "172.18.3.4", "172.19.0.5", "172.20.1.1",
        "172.21.2.2", "172.22.0.1", "10.0.0.2", "10.0.0.1", "127.5.0.1", "8.8.8.8",
        "172.16.1.2 mark 7", "172.16.1.2 uid 1000", "to 172.18.0.1", "172.16.9.9 from 10.0.0.1",
        "172.16.9.9 oif d0", "0.0.0.0", "224.0.0.1", "255.255.255.255", "10.255.255.255"]
OPTIONS = ["", "-j ", "-j -p ", "-o ", "-4 "]


def _gets(profile: str, batch: bool) -> list:
    from ipemu.session import Session
    s = Session.create(profile, "bare", "h", 0)
    for line in SETUP.splitlines():
        assert s.run_line(line)[1] == 0, line
    out = []
    for options in OPTIONS:
        lines = [f"route get {g}" for g in GETS] * 2
        if batch:
            s.write_file("b.txt", ("\n".join(lines) + "\n").encode())
            term, status = s.run_line(f"ip {options}-force -batch b.txt")
            out.append((term.text(), status))
        else:
            for line in lines:
                term, status = s.run_line(f"ip {options}{line}")
                out.append((term.text(), status))
    s.run_line("ip link set d2 down")       # a device without carrier: linkdown
    s.run_line("ip link set d1 down")
    for line in ["ip route get 172.16.1.2", "ip -j route get 172.18.0.1"]:
        term, status = s.run_line(line)
        out.append((term.text(), status))
    return out


@pytest.mark.parametrize("profile", ["default", "el7"])
@pytest.mark.parametrize("batch", [False, True])
def test_gets_of_every_kind_answer_as_the_full_path(profile, batch, monkeypatch):
    from ipemu.tools import ip_route
    ip_route._GET_TEXT.clear()
    fast = _gets(profile, batch)
    assert ip_route._GET_TEXT, "the answers' texts are kept"
    with monkeypatch.context() as m:
        full_paths(m)
        full = _gets(profile, batch)
    assert fast == full


# a batch whose addresses change between gets through one gateway: the source each
# nexthop keeps (nh_source4()) must follow, and the gateway's type with the tables;
# prefix lengths come and go in local and main (merged_lookup4()'s merged lengths)
CHANGES = """route get 172.16.0.1
route get 172.16.0.2
route get 172.16.0.3
addr add 10.0.0.9/8 dev d0
route get 172.16.0.4
route get 172.21.0.4
addr del 10.0.0.1/8 dev d0
route get 172.16.0.5
route get 172.21.0.5
route add 172.16.0.0/16 via 10.0.0.2
route get 172.16.0.6
addr add 10.0.0.7/8 dev d0
route get 172.16.0.7
addr add 10.0.0.2/32 dev d2
route get 172.16.0.8
route get 172.16.0.9
addr del 10.0.0.2/32 dev d2
route get 172.16.1.1
route get 172.17.1.1
addr add 192.168.5.7/24 dev d2
route get 172.21.1.2
route get 172.21.1.3
addr del 192.168.5.1/24 dev d2
route get 172.21.1.4
route get 172.21.1.5
route get to 172.16.1.6
route get to 172.16.1.7
route get 172.16.1.8/32
route get 172.16.1.9/32
route get 172.16.01.10
route get 172.16.01.11
route add local 172.16.0.0/24 dev d0 table local
route get 172.16.0.10
route get 172.16.1.10
route del 172.16.0.0/16
route get 172.16.0.11
route get 172.16.1.11
route del local 172.16.0.0/24 dev d0 table local
route get 172.16.0.12
route add 172.16.0.12/32 via 10.0.0.2 table local
route get 172.16.0.12
route get 172.16.0.13
route del 172.16.0.12/32 via 10.0.0.2 table local
route get 172.16.0.12
link del d2
route get 172.16.1.5
route get 172.21.1.6
link set d0 down
route get 172.16.1.2
link set d0 up
route get 172.16.1.3
route get 172.16.1.4
"""


@pytest.mark.parametrize("options", ["", "-j ", "-o ", "-4 "])
def test_gets_between_address_changes_answer_as_the_full_path(options, monkeypatch):
    from ipemu.session import Session

    def run() -> tuple:
        s = Session.create("default", "bare", "h", 0)
        for line in SETUP.splitlines():
            assert s.run_line(line)[1] == 0, line
        s.write_file("c.txt", CHANGES.encode())
        term, status = s.run_line(f"ip {options}-force -batch c.txt")
        return term.text(), status

    fast = run()
    with monkeypatch.context() as m:
        full_paths(m)
        full = run()
    assert fast == full
    # the sources did change along the batch (the test sees what it means to)
    assert len(set(re.findall(r'src"?:?"? ?([0-9.]+)', fast[0]))) >= 2


def test_a_destination_printed_twice_is_not_cut():
    """A gateway equal to the destination: the text is not kept (split in three)."""
    from ipemu.session import Session
    from ipemu.tools import ip_route
    s = Session.create("default", "bare", "h", 0)
    for line in SETUP.splitlines():
        s.run_line(line)
    ip_route._GET_TEXT.clear()
    term, status = s.run_line("ip route get 172.19.0.5")
    assert term.text() == "172.19.0.5 via 172.19.0.5 dev d0 src 10.0.0.1 uid 0 \n    cache \n"
    assert not ip_route._GET_TEXT


def _random_ops(rng, depth: int = 0) -> tuple[list, list]:
    """A run of printer ops (balanced objects and arrays) and its values."""
    from ipemu.render.printer import ANY, ARR, END_ARR, END_OBJ, FP, JS, OBJ
    keys = ["dst", "dev", "é", 'q"k', "metric", None]
    values = [0, 7, -3, 1.5, True, False, None, "d0", "10.0.0.1", 'a"b', "x\\y", "é", "t\tb",
              "100%", ""]
    fmts = ["%s ", "dev %s ", "%u", "lit ", "100%% ", None]
    ops, vals = [], []
    for _ in range(rng.randrange(1, 8)):
        kind = rng.choice(["any", "fp", "js", "obj", "arr"] if depth < 3 else ["any", "fp"])
        if kind == "any":
            key, fmt = rng.choice(keys), rng.choice(fmts)
            value = rng.choice(values)
            if fmt is not None and "%u" in fmt:
                value = rng.choice([0, 7, True])
            elif fmt is not None and "%" in fmt.replace("%%", ""):
                value = str(value)
            if key is None and value is None:
                value = "v"
            ops.append((ANY, key, fmt.replace("%%", "") if fmt == "100%% " else fmt))
            vals.append(value)
        elif kind == "fp":
            fmt = rng.choice(["%s%s ", "<%s> ", "plain ", "50% off "])
            count = fmt.count("%s")
            ops.append((FP, fmt, count))
            vals.extend(str(rng.choice(values)) for _ in range(count))
        elif kind == "js":
            ops.append((JS, rng.choice(keys)))
            vals.append(rng.choice(values) or 1)
        else:
            inner_ops, inner_vals = _random_ops(rng, depth + 1)
            ops.append((OBJ if kind == "obj" else ARR, rng.choice(keys)))
            ops.extend(inner_ops)
            ops.append((END_OBJ,) if kind == "obj" else (END_ARR,))
            vals.extend(inner_vals)
    return ops, vals


def _emitted(runs, mode, compiled: bool, monkeypatch) -> str:
    from ipemu.render import printer
    monkeypatch.setattr(printer, "COMPILED", compiled)
    p = printer.Printer(*mode)
    p.begin()
    for ops, vals in runs:
        p.emit(ops, vals)
    p.end()
    return p.text()


@pytest.mark.parametrize("mode", [(False, False, False), (False, False, True),
                                  (True, False, False), (True, True, False)])
def test_compiled_records_print_as_the_calls_one_by_one(mode, monkeypatch):
    import random
    rng = random.Random(21)
    for _ in range(300):
        runs = [_random_ops(rng) for _ in range(rng.randrange(1, 4))]
        for _ in range(2):      # the second time from the plans made the first
            assert _emitted(runs, mode, True, monkeypatch) == \
                _emitted(runs, mode, False, monkeypatch), runs


def test_json_strings_and_names_as_json_dumps():
    import json
    from ipemu.render.printer import JsonWriter, _json_value
    for text in ["a", "é", 'x"y', "a\\b", "tab\t", "\x7f", "two words", "\u2028", ""]:
        for pretty in (False, True):
            w = JsonWriter(pretty)
            w.name(text)
            assert w.text().lstrip("\n") == json.dumps(text) + (": " if pretty else ":")
        assert _json_value(text) == json.dumps(text, ensure_ascii=False)


def test_plain_quads_read_as_the_regex_reads_them():
    """read_plain_quad() (the get plan's reader) against _read_plain_ipv4()."""
    import random
    from ipemu.tools.ip_route import _OCTETS, read_plain_quad
    from ipemu.tools.ipargs import _read_plain_ipv4
    _OCTETS.update((str(n), n) for n in range(256))     # as get_plan() fills it
    rng = random.Random(21)
    parts = ["0", "1", "9", "10", "01", "00", "99", "100", "199", "200", "249", "250", "255",
             "256", "300", "-1", "+1", " 1", "1 ", "", "a", "0x1", "1e2", "١", "²", "012"]
    words = ["1.2.3.4", "1.2.3", "1.2.3.4.5", "1.2.3.4/24", "1.2.3.4/", "...", "1..2.3",
             "255.255.255.255", "0.0.0.0", "1.2.3.4\n"]
    for _ in range(5000):
        words.append(".".join(rng.choice(parts) for _ in range(rng.choice((3, 4, 4, 4, 5)))))
    for word in words:
        found = _read_plain_ipv4(word)
        want = found[0] if found and not found[2] else None
        assert read_plain_quad(word) == want, word


# routes of one batch share their gateway's object (the route plan's request): a run of
# gets remembers the last answer's nexthop (GetPlan's `run`), so the routes here differ
# from their neighbours by device, source, metrics or the gateway being our own
SHARED = """link add e0 type veth peer name e1
link set e0 up
link set e1 up
link add e2 type veth peer name e3
link set e2 up
addr add 10.1.0.1/16 dev e0
addr add 10.1.0.1/16 dev e2
addr add 10.1.0.9/16 dev e2
route add 172.30.0.1/32 via 10.1.0.2
route add 172.30.0.2/32 via 10.1.0.2
route add 172.30.0.3/32 via 10.1.0.2 dev e2
route add 172.30.0.4/32 via 10.1.0.2 src 10.1.0.9
route add 172.30.0.5/32 via 10.1.0.2 mtu 1300
route add 172.30.0.6/32 via 10.1.0.2
route add 172.30.0.7/32 via 10.1.0.1
route add 172.30.0.8/32 via 10.1.0.2 dev e2 src 10.1.0.9
route add 172.30.0.9/32 via 10.1.0.2 dev e2 src 10.1.0.9
route add 172.30.1.0/24 dev e2
route add 172.30.0.10/32 via 10.1.0.2 src 10.1.0.1
route add 172.30.0.11/32 via 10.1.0.2 src 10.1.0.9
route add 172.30.0.12/32 via 10.1.0.2 src 10.1.0.1
route add 172.30.0.13/32 via 10.1.0.2 src 10.1.0.9
route add 172.30.0.14/32 via 10.1.0.2 mtu 1300
route add 172.30.0.15/32 via 10.1.0.2 mtu 1400
route add 172.30.0.16/32 via 10.1.0.2 mtu 1300
route add 172.30.0.17/32 via 10.1.0.2 mtu 1400
route add 172.30.0.18/32 via 10.1.0.2 dev e0
route add 172.30.0.19/32 via 10.1.0.2 dev e2
route add 172.30.0.20/32 via 10.1.0.2 dev e0
route add 172.30.0.21/32 via 10.1.0.2 dev e2
"""


def test_a_run_of_gets_answers_each_nexthop_as_the_full_path(monkeypatch):
    from ipemu.session import Session
    order = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 3, 3, 4, 4, 5, 5, 9, 8, 2, 1, *range(10, 22),
             21, 20, 19, 18, 13, 13, 12, 17, 16, 15, 14]
    gets = "".join(f"route get 172.30.0.{i}\nroute get 172.30.1.{i}\n" if i % 3 == 0
                   else f"route get 172.30.0.{i}\n" for i in order)

    def run(options: str) -> tuple:
        s = Session.create("default", "bare", "h", 0)
        s.write_file("s.txt", SHARED.encode())
        s.write_file("g.txt", gets.encode())
        assert s.run_line("ip -batch s.txt")[1] == 0
        term, status = s.run_line(f"ip {options}-batch g.txt")
        s.run_line("ip link set e2 down")
        more = s.run_line(f"ip {options}-force -batch g.txt")
        return term.text(), status, more[0].text(), more[1]

    for options in ("", "-j ", "-o "):
        from ipemu.tools import ip_route
        ip_route._GET_TEXT.clear()
        fast = run(options)
        with monkeypatch.context() as m:
            full_paths(m)
            full = run(options)
        assert fast == full, options
        # the answers do differ along the run (sources, devices, mtu, a local gateway)
        text = fast[0]
        assert "src 10.1.0.9" in text or "10.1.0.9" in text
        assert "dev e2" in text or '"e2"' in text
