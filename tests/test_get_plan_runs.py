"""Runs of `route get ADDR` lines in a batch (ip_route.GetPlan.run_lines(): the lines
after a planned get that are that line but for another plain destination, answered
together) print what the full path prints, the run broken every way a line can leave
it: a destination with a length, leading zeros, an octet over 255, a name, blanks,
a comment, a continuation, a carriage return, an unreachable or local destination,
another keyword, the last line without its newline, more lines than a call takes."""
from __future__ import annotations

import pytest

from ipemu.session import Session
from ipemu.tools import ip_route

SETUP = "\n".join(["link add d0 type veth peer name d1", "link set d0 up", "link set d1 up",
                   "addr add 10.0.0.1/8 dev d0", "route add unreachable 172.31.0.0/16"] +
                  [f"route add 172.16.{i // 256}.{i % 256}/32 via 10.0.0.2" for i in range(600)]) \
    + "\n"

_GETS = [f"route get 172.16.{i // 256}.{i % 256}" for i in range(8)]
RUNS = [
    _GETS,
    _GETS + ["route get 172.16.0.9/32"] + _GETS,
    _GETS + ["route get 172.16.0.09", "route get 172.16.0.256", "route get localhost"] + _GETS,
    _GETS + ["route get  172.16.0.9", "route get 172.16.0.9 ", "route get 172.16.0.9 # c"]
    + _GETS,
    _GETS + ["route get 172.16.0.9 \\", "from 10.0.0.1"] + _GETS,
    _GETS + ["route get 172.16.0.9\r"] + _GETS,
    _GETS + ["route get 172.31.0.1", "route get 9.9.9.9", "route get 10.0.0.1",
             "route get 127.0.0.1", "route get 0.0.0.0", "route get 255.255.255.255"] + _GETS,
    _GETS + ["route get to 172.16.0.9", "route get to 172.16.0.10", "route get to 172.16.0.11",
             "route get 172.16.0.12 mark 7", "route get 172.16.0.13 oif d0"] + _GETS,
    [f"route get 172.16.{i % 600 // 256}.{i % 600 % 256}" for i in range(4200)],
]


def _run(lines: list[str], fast: bool, last_newline: bool, monkeypatch) -> tuple:
    with monkeypatch.context() as m:
        m.setattr(ip_route, "FAST_GET", fast)
        m.setattr(ip_route, "FAST_GET_TEXT", fast)
        s = Session.create("default", "bare", "h", 0)
        s.write_file("setup.txt", SETUP.encode())
        s.write_file("b.txt", ("\n".join(lines) + ("\n" if last_newline else "")).encode())
        assert s.run_line("ip -batch setup.txt")[1] == 0
        term, status = s.run_line("ip -force -batch b.txt")
        return term.text(), status


@pytest.mark.parametrize("last_newline", [True, False])
@pytest.mark.parametrize("at", range(len(RUNS)))
def test_get_runs_print_as_the_full_path(monkeypatch, at, last_newline):
    lines = RUNS[at]
    fast = _run(lines, True, last_newline, monkeypatch)
    full = _run(lines, False, last_newline, monkeypatch)
    assert fast == full
    assert fast[0].count("via 10.0.0.2 dev d0") >= min(len(lines), 8)


def test_a_run_takes_the_lines_it_may(monkeypatch):
    """The plan answers the lines after its own together (one run_lines() call per
    _RUN_LINES lines), up to the first line that is not its."""
    calls = []
    real = ip_route.GetPlan._run_lines

    def spy(self, ctx, lines, argv):
        calls.append(real(self, ctx, lines, argv))
        return calls[-1]
    monkeypatch.setattr(ip_route.GetPlan, "_run_lines", spy)
    s = Session.create("default", "bare", "h", 0)
    s.write_file("setup.txt", SETUP.encode())
    s.write_file("b.txt", ("\n".join(RUNS[1]) + "\n").encode())
    s.run_line("ip -batch setup.txt")
    term, status = s.run_line("ip -batch b.txt")
    assert status == 0
    # two lines teach the plan, the third is planned and the 5 after it go together;
    # the length is the usual path's (it warns), and the plan then takes the next
    # line and the 7 after it together
    assert calls == [5, 7]
