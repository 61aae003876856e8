"""The fixes round 45's tcpdump-on-live-traffic tutorials led to (their cases,
tutorials45d_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: Linux 6.18, tcpdump 4.99.3, traceroute 2.1.2, Python 3)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        shell.run_line(line)
    return shell


def _out(shell, line: str) -> str:
    term, _ = shell.run_line(line)
    return term.text()


def _peer():
    return _shell("sysctl -q -w net.ipv6.conf.default.disable_ipv6=1",
                  "ip netns add dns",
                  "ip link add cli type veth peer name srv netns dns",
                  "ip addr add 192.0.2.1/24 dev cli", "ip link set cli up",
                  "ip -n dns addr add 192.0.2.53/24 dev srv", "ip -n dns link set srv up")


SEND = ("python3 -c \"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
        "s.bind({addr}); s.sendto(b'QUERY\\\\n', ('192.0.2.53', 53))\"")


def test_python_udp_bind_fixes_the_source_port():
    # tutorials45d_explaintopic_port_unreach: `nc -u -p 40053` written as bind(('', 40053));
    # the recording's datagram left from 40053
    shell = _peer()
    shell.run_line("timeout 2 tcpdump -i cli -n -q udp &")
    shell.run_line("sleep 1")
    assert _out(shell, SEND.format(addr="('', 40053)")) == ""
    out = _out(shell, "wait")
    assert "IP 192.0.2.1.40053 > 192.0.2.53.53: UDP, length 6\n" in out


def test_python_udp_bind_to_a_foreign_address():
    # inet_bind(): an address no device has is EADDRNOTAVAIL
    shell = _peer()
    out = _out(shell, SEND.format(addr="('192.0.2.99', 40053)"))
    assert out.endswith("OSError: [Errno 99] Cannot assign requested address\n")
