"""`ip -batch`'s plan for `address add PREFIX dev NAME` (ip_addr_modify.AddPlan, keyed
by the grammar's line shape, which generalises device names) answers exactly as the
full path: the same output, errors, exit status and resulting host, whatever the
prefixes (plain, out of range, abbreviated, loopback, IPv6, duplicates) and names,
in both word orders, with -force and with -4/-6 (issue 19)."""
from __future__ import annotations

import random

import pytest

from ipemu.session import Session
from ipemu.tools import ip_addr_modify

SETUP = "\n".join(f"ip link add {a} type veth peer name {b}" for a, b in
                  [("va0", "vb0"), ("va1", "vb1"), ("d", "na"), ("x1", "x2")])
CHECKS = ["ip addr", "ip route show table all", "ip -6 route show table all", "ip maddr",
          "ip link set va0 up", "ip link set vb0 up", "sleep 2", "ip addr show dev va0",
          "ip route show table local"]
NAMES = ["va0", "vb0", "va1", "vb1", "d", "na", "x1", "x2", "va0:1", "nosuch", "a" * 16, "lo"]
PREFIXES = ["10.0.0.1/24", "10.0.0.2/24", "10.0.0.1/24", "192.168.7.1/32", "127.0.0.9/8",
            "10.1.2.3", "10.0.0.1/33", "300.1.1.1/24", "10.1/16", "010.0.0.1/8", "0.0.0.0/0",
            "224.0.0.5/4", "2001:db8::1/64", "fe80::1/64", "1.2.3.4/31", "10.9.9.9/0",
            "255.255.255.255/32", "10.0.0.255/24"]
FORMS = ["addr add {p} dev {n}", "address add {p} dev {n}", "a add {p} dev {n}",
         "addr add dev {n} {p}", "addr a {p} dev {n}", "addr add {p} dev {n} label {n}:1",
         "addr del {p} dev {n}"]


def _run(text: str, fast: bool, options: str, monkeypatch) -> list:
    monkeypatch.setattr(ip_addr_modify, "FAST_ADD", fast)
    s = Session.create("default", "bare", "h", 0)
    for line in SETUP.splitlines():
        s.run_line(line)
    s.write_file("b.txt", text.encode())
    term, status = s.run_line(f"ip {options} -batch b.txt")
    out = [(term.text(), status)]
    for line in CHECKS:
        t, st = s.run_line(line)
        out.append((t.text(), st))
    return out


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
        form = FORMS[0] if rng.random() < 0.6 else rng.choice(FORMS)
        name = rng.choice(NAMES[:8]) if rng.random() < 0.85 else rng.choice(NAMES)
        lines.append(form.format(p=_prefix(rng), n=name))
    text = "\n".join(lines) + "\n"
    options = ["-force", "-force", "-force -4", "-force -6", "-force", "-4"][seed]
    assert _run(text, True, options, monkeypatch) == _run(text, False, options, monkeypatch)


def test_the_plan_is_taken(monkeypatch):
    """Lines of one shape after the first few are not read by ipaddr_modify()'s loop."""
    calls = []
    real = ip_addr_modify.Args
    monkeypatch.setattr(ip_addr_modify, "Args", lambda argv: calls.append(argv) or real(argv))
    s = Session.create("default", "bare", "h", 0)
    for line in SETUP.splitlines():
        s.run_line(line)
    lines = [f"addr add 10.{i}.0.1/24 dev {n}" for i, n in
             enumerate(["va0", "vb0", "va1", "vb1", "x1", "x2"] * 6)]
    s.write_file("b.txt", ("\n".join(lines) + "\n").encode())
    term, status = s.run_line("ip -batch b.txt")
    assert (term.text(), status) == ("", 0)
    assert len(calls) <= 12, len(calls)
    assert "10.35.0.1/24" in s.run_line("ip addr show dev x2")[0].text()
