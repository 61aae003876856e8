"""The fixes round 38's tutorials on routing and neighbours led to (their cases,
tutorials38d_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: Linux 6.18, iproute2 6.1, iputils 20221126), twice, the two recordings
alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell():
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    shell.run_line("sysctl -qw net.ipv6.conf.default.disable_ipv6=1")
    shell.run_line("ip link add eth0 type veth peer name eth0p")
    shell.run_line("ip addr add 10.5.0.1/24 dev eth0; ip link set eth0 up; "
                   "ip link set eth0p up")
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


# --- route types (IP Command Reference: tutorials38d_linuxip_route_types)

def test_route_get_of_a_broadcast_route_added_without_src_selects_one():
    # fib_select_path(): FIB_RES_PREFSRC() is the route's prefsrc, else
    # inet_select_addr(dev, 0, scope link) (iproute2 gives a broadcast route scope link)
    shell = _shell()
    assert _run(shell, "ip route add broadcast 10.11.0.255 dev eth0 table local") == ("", 0)
    assert _run(shell, "ip route get 10.11.0.255") == (
        "broadcast 10.11.0.255 dev eth0 src 10.5.0.1 uid 0 \n"
        "    cache <local,brd> \n", 0)
    # the kernel's own broadcast route keeps its prefsrc
    assert _run(shell, "ip route get 10.5.0.255")[0] == (
        "broadcast 10.5.0.255 dev eth0 src 10.5.0.1 uid 0 \n"
        "    cache <local,brd> \n")
    # a device without an address: inet_select_addr() falls back to the namespace's
    assert _run(shell, "ip route add broadcast 10.12.0.255 dev eth0p table local") == ("", 0)
    assert _run(shell, "ip route get 10.12.0.255")[0] == (
        "broadcast 10.12.0.255 dev eth0p src 10.5.0.1 uid 0 \n"
        "    cache <local,brd> \n")
