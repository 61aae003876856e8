"""`ip -batch`'s plan for `link set [dev] NAME up|down` (ip_link.SetFlagPlan, keyed by
the grammar's line shape, which generalises device names) answers exactly as the
full path: the same output, errors, exit status and resulting host, whatever the
names (keyword abbreviations, alias colons, missing or too long, renamed mid-batch)
and with -force (issue 19)."""
from __future__ import annotations

import random

import pytest

from ipemu.session import Session
from ipemu.tools import ip_link

SETUP = "\n".join(f"ip link add {a} type veth peer name {b}" for a, b in
                  [("va0", "vb0"), ("va1", "vb1"), ("d", "na"), ("u", "dn"), ("x1", "x2")])
CHECKS = ["ip -d link show", "ip addr", "ip -6 route show table all", "ip route show table all",
          "ip maddr", "ip -s link show va0", "sleep 2", "ip -6 addr"]
NAMES = ["va0", "vb0", "va1", "vb1", "d", "na", "u", "dn", "x1", "x2", "va0:", "va0:1",
         "nosuch", "a" * 16, "a" * 15, "up", "down", "dev", "de", "1a", "va0@vb0"]
FORMS = ["link set {n} up", "link set {n} down", "link set dev {n} up", "link set dev {n} down",
         "link change {n} up", "l s {n} up", "link set {n} up\nlink set {n} up",
         "link set {n} name r{n}", "link set r{n} name {n}"]


def _run(text: str, fast: bool, force: bool, monkeypatch) -> tuple:
    monkeypatch.setattr(ip_link, "FAST_SET", fast)
    s = Session.create("default", "bare", "h", 0)
    for line in SETUP.splitlines():
        s.run_line(line)
    s.write_file("b.txt", text.encode())
    term, status = s.run_line(f"ip {'-force ' if force else ''}-batch b.txt")
    out = [(term.text(), status)]
    for line in CHECKS:
        t, st = s.run_line(line)
        out.append((t.text(), st))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_a_set_plan_answers_as_the_full_path(seed: int, monkeypatch):
    rng = random.Random(seed)
    lines = []
    for _ in range(60):
        lines += rng.choice(FORMS).format(n=rng.choice(NAMES)).splitlines()
    text = "\n".join(lines) + "\n"
    force = seed % 2 == 0
    assert _run(text, True, force, monkeypatch) == _run(text, False, force, monkeypatch)


def test_the_plan_is_taken(monkeypatch):
    """The lines of one shape after the first two go through the plan, not the link
    argument loop."""
    calls = []
    real = ip_link.parse
    monkeypatch.setattr(ip_link, "parse", lambda *a: calls.append(a) or real(*a))
    s = Session.create("default", "bare", "h", 0)
    for line in SETUP.splitlines():
        s.run_line(line)
    names = ["va0", "vb0", "va1", "vb1", "x1", "x2"]
    s.write_file("b.txt", "".join(f"link set {n} up\n" for n in names * 6).encode())
    term, status = s.run_line("ip -batch b.txt")
    assert (term.text(), status) == ("", 0)
    assert len(calls) <= 12, len(calls)     # the first lines, while the grammar learns
    assert "UP" in s.run_line("ip link show x2")[0].text()
