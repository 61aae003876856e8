"""The fixes round 47's IPv6 tutorials led to (its cases, tutorials47e_, are replayed
whole by test_rounds.py): an existing prefix route given a lifetime by `ip -6 addr
change`, and ping -6 of v4-mapped destinations. Every expected text was recorded on
the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE`
on a pty: Linux 6.18, iproute2 6.1, iputils 20221126), twice, the two recordings alike
under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell():
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in ("ip link add eth0 address 02:00:00:47:f6:01 type veth peer name eth1 "
                 "address 02:00:00:47:f6:02", "ip link set eth0 up", "ip link set eth1 up"):
        shell.run_line(line)
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, _ = shell.run_line(f"{line}; echo rc=$?")
    body, _, rc = term.text().rpartition("rc=")
    return body, int(rc)


def test_a_lifetime_given_to_a_permanent_address_leaves_its_prefix_route_expired():
    # modify_prefix_route(): fib6_set_expires() of the route found takes the relative
    # clock_t value as absolute jiffies (recorded: `expires -17184795sec`, lookups fail)
    shell = _shell()
    _run(shell, "ip -6 addr add 2001:db8:47f6::1/64 dev eth0 nodad")
    _run(shell, "ip -6 addr change 2001:db8:47f6::1/64 dev eth0 valid_lft 100 "
                "preferred_lft 50")
    text, _ = _run(shell, "ip -6 route show dev eth0")
    assert text.startswith("2001:db8:47f6::/64 proto kernel metric 256 expires -1")
    assert _run(shell, "ip -6 route get 2001:db8:47f6::5") == (
        "RTNETLINK answers: Network is unreachable\n", 2)
    assert _run(shell, "ping -6 -c 1 2001:db8:47f6::5") == (
        "ping: connect: Network is unreachable\n", 2)
    # forever again: fib6_clean_expires()
    _run(shell, "ip -6 addr change 2001:db8:47f6::1/64 dev eth0 valid_lft forever "
                "preferred_lft forever")
    assert _run(shell, "ip -6 route show dev eth0") == (
        "2001:db8:47f6::/64 proto kernel metric 256 pref medium\n"
        "fe80::/64 proto kernel metric 256 pref medium\n", 0)


def test_a_finite_lifetime_changed_again_keeps_a_true_expiry():
    # recorded: an address added with valid_lft 200 and changed to 300 shows 299sec
    shell = _shell()
    _run(shell, "ip -6 addr add 2001:db8:47f6::1/64 dev eth0 nodad valid_lft 200 "
                "preferred_lft 100")
    _run(shell, "ip -6 addr change 2001:db8:47f6::1/64 dev eth0 valid_lft 300 "
                "preferred_lft 100")
    text, _ = _run(shell, "ip -6 route show dev eth0")
    assert text.startswith("2001:db8:47f6::/64 proto kernel metric 256 expires 29")


def test_ping6_of_a_v4_mapped_address_connects_through_ipv4():
    shell = _shell()
    # (error() names the program as invoked: ping6)
    assert _run(shell, "ping6 -c 1 -W 1 ::ffff:127.0.0.1") == (
        "ping6: connect: Network is unreachable\n", 2)
    _run(shell, "ip link set lo up")
    _run(shell, "ip addr add 10.47.0.1/24 dev eth0")
    assert _run(shell, "ping -6 -c 1 -W 1 -I eth0 ::ffff:10.47.0.2") == (
        "ping: Warning: source address might be selected on device other than: eth0\n"
        "PING ::ffff:10.47.0.2(::ffff:10.47.0.2) from ::ffff:10.47.0.1 eth0: "
        "56 data bytes\n\n--- ::ffff:10.47.0.2 ping statistics ---\n"
        "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n", 1)
    assert _run(shell, "ping6 -c 1 -W 1 ::ffff:10.9.9.9") == (
        "ping6: connect: Network is unreachable\n", 2)
