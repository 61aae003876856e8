"""`ip -batch`'s plans keyed by the grammar's line shape (which generalises device
names; ip.SHAPE_PLANNED) answer exactly as the full paths: the same output, errors,
exit status and resulting host, on random batches (issue 19):

- `link set [dev] NAME up|down` (ip_link.SetFlagPlan), whatever the names (keyword
  abbreviations, alias colons, missing or too long, renamed mid-batch);
- `link add NAME type veth peer name PEER` (ip_link.VethAddPlan), whatever the
  names (taken, too long, keyword-like, the same twice, other kinds);
- `address add PREFIX dev NAME` (ip_addr_modify.AddPlan), whatever the prefixes
  (plain, out of range, abbreviated, loopback, IPv6, duplicates), in both word orders;

with and without -force, with -4 and -6."""
from __future__ import annotations

import random

import pytest

from ipemu.session import Session
from ipemu.tools import ip_addr_modify, ip_link

PAIRS = [("va0", "vb0"), ("va1", "vb1"), ("d", "na"), ("u", "dn"), ("x1", "x2")]
CHECKS = ["ip -d link show", "ip addr", "ip route show table all",
          "ip -6 route show table all", "ip maddr", "ip -s link show va0",
          "ip link set va0 up", "ip link set vb0 up", "sleep 2", "ip -6 addr",
          "ip addr show dev va0", "ip route show table local"]
LINK_NAMES = ["va0", "vb0", "va1", "vb1", "d", "na", "u", "dn", "x1", "x2", "va0:",
              "va0:1", "nosuch", "a" * 16, "a" * 15, "up", "down", "dev", "de", "1a",
              "va0@vb0"]
LINK_FORMS = ["link set {n} up", "link set {n} down", "link set dev {n} up",
              "link set dev {n} down", "link change {n} up", "l s {n} up",
              "link set {n} up\nlink set {n} up", "link set {n} name r{n}",
              "link set r{n} name {n}"]
ADDR_NAMES = ["va0", "vb0", "va1", "vb1", "d", "na", "x1", "x2", "va0:1", "nosuch", "a" * 16,
              "lo"]
PREFIXES = ["10.0.0.1/24", "10.0.0.2/24", "10.0.0.1/24", "192.168.7.1/32", "127.0.0.9/8",
            "10.1.2.3", "10.0.0.1/33", "300.1.1.1/24", "10.1/16", "010.0.0.1/8", "0.0.0.0/0",
            "224.0.0.5/4", "2001:db8::1/64", "fe80::1/64", "1.2.3.4/31", "10.9.9.9/0",
            "255.255.255.255/32", "10.0.0.255/24"]
ADDR_FORMS = ["addr add {p} dev {n}", "address add {p} dev {n}", "a add {p} dev {n}",
              "addr add dev {n} {p}", "addr a {p} dev {n}", "addr add {p} dev {n} label {n}:1",
              "addr del {p} dev {n}"]


def _host() -> Session:
    s = Session.create("default", "bare", "h", 0)
    for a, b in PAIRS:
        s.run_line(f"ip link add {a} type veth peer name {b}")
    return s


def _run(text: str, options: str) -> list:
    s = _host()
    s.write_file("b.txt", text.encode())
    term, status = s.run_line(f"ip {options} -batch b.txt")
    out = [(term.text(), status)]
    for line in CHECKS:
        t, st = s.run_line(line)
        out.append((t.text(), st))
    return out


def _same_both_ways(text: str, options: str, module, flag: str, monkeypatch) -> None:
    monkeypatch.setattr(module, flag, True)
    fast = _run(text, options)
    monkeypatch.setattr(module, flag, False)
    assert fast == _run(text, options)


@pytest.mark.parametrize("seed", range(6))
def test_a_set_plan_answers_as_the_full_path(seed: int, monkeypatch):
    rng = random.Random(seed)
    lines = []
    for _ in range(60):
        lines += rng.choice(LINK_FORMS).format(n=rng.choice(LINK_NAMES)).splitlines()
    _same_both_ways("\n".join(lines) + "\n", "-force" if seed % 2 == 0 else "", ip_link,
                    "FAST_SET", monkeypatch)


VETH_NAMES = ["va0", "vb0", "p0", "p1", "p2", "p3", "q0", "q1", "lo", "a" * 15, "a" * 16,
              "a/b", "up", "de", "name", "veth", "x:1", "p0", "9", "nosuch"]
VETH_FORMS = ["link add {a} type veth peer name {b}", "link add {a} type veth peer name {b}",
              "link add {a} type veth peer name {b}", "link add dev {a} type veth peer name {b}",
              "link add {a} type veth peer {b}", "link add {a} type dummy peer name {b}",
              "l a {a} ty veth pe n {b}", "link add {a} type vlan peer name {b}",
              "link del {a}", "link add name {a} type veth peer name {b}"]


@pytest.mark.parametrize("seed", range(6))
def test_a_veth_plan_answers_as_the_full_path(seed: int, monkeypatch):
    rng = random.Random(seed)
    lines = []
    for i in range(80):
        a = f"n{i}" if rng.random() < 0.5 else rng.choice(VETH_NAMES)
        b = f"m{i}" if rng.random() < 0.5 else rng.choice(VETH_NAMES)
        form = VETH_FORMS[0] if rng.random() < 0.6 else rng.choice(VETH_FORMS)
        lines.append(form.format(a=a, b=b))
    _same_both_ways("\n".join(lines) + "\n", "-force" if seed % 3 else "", ip_link,
                    "FAST_VETH", monkeypatch)


def _prefix(rng: random.Random) -> str:
    """Mostly a fresh plain prefix (a line the plan takes), else one of PREFIXES."""
    if rng.random() < 0.75:
        quad = ".".join(str(rng.choice([10, 127, 192, rng.randrange(256)])) if i == 0 else
                        str(rng.randrange(256)) for i in range(4))
        return quad if rng.random() < 0.1 else f"{quad}/{rng.randrange(33)}"
    return rng.choice(PREFIXES)


@pytest.mark.parametrize("seed", range(6))
def test_an_add_plan_answers_as_the_full_path(seed: int, monkeypatch):
    rng = random.Random(seed)
    lines = []
    for _ in range(120):
        form = ADDR_FORMS[0] if rng.random() < 0.6 else rng.choice(ADDR_FORMS)
        name = rng.choice(ADDR_NAMES[:8]) if rng.random() < 0.85 else rng.choice(ADDR_NAMES)
        lines.append(form.format(p=_prefix(rng), n=name))
    options = ["-force", "-force", "-force -4", "-force -6", "-force", "-4"][seed]
    _same_both_ways("\n".join(lines) + "\n", options, ip_addr_modify, "FAST_ADD", monkeypatch)


def _full_parses(module, name: str, lines: list[str], monkeypatch) -> tuple[list, Session]:
    """The lines as one batch, with each call of the full path's `module.name`."""
    calls = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a: calls.append(a) or real(*a))
    s = _host()
    s.write_file("b.txt", ("\n".join(lines) + "\n").encode())
    term, status = s.run_line("ip -batch b.txt")
    assert (term.text(), status) == ("", 0)
    return calls, s


def test_the_plans_are_taken(monkeypatch):
    """The lines of one shape after the first few go through the plans, not the
    argument loops (the first lines while the grammar learns its shapes)."""
    names = ["va0", "vb0", "va1", "vb1", "x1", "x2"]
    calls, s = _full_parses(ip_link, "parse", [f"link set {n} up" for n in names * 6],
                            monkeypatch)
    assert len(calls) <= 12, len(calls)
    assert "UP" in s.run_line("ip link show x2")[0].text()
    calls, s = _full_parses(ip_link, "parse", [f"link add n{i} type veth peer name m{i}"
                                               for i in range(30)], monkeypatch)
    assert len(calls) <= 20, len(calls)     # two parses a line: the device, its peer
    assert "m29@n29" in s.run_line("ip link show m29")[0].text()
    calls, s = _full_parses(ip_addr_modify, "Args", [f"addr add 10.{i}.0.1/24 dev {n}"
                                                    for i, n in enumerate(names * 6)],
                            monkeypatch)
    assert len(calls) <= 12, len(calls)
    assert "10.35.0.1/24" in s.run_line("ip addr show dev x2")[0].text()
