"""The fixes round 49's IPv6 topic led to (its cases, ipv6n49_, are replayed whole by
test_rounds.py): ping's -I read as iputils' main() reads it, three settings kept apart
(rts.device, rts.source6, rts.source; the last of each wins), a link-local source
taking the device's index as its scope in ping6_run(), and a destination scope naming
no device. Every expected text was recorded on the project's Debian 12 machine with
the oracle's recorder (Linux 6.18, iputils 20221126), twice, alike."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

SETUP = (
    "ip netns add peer",
    "ip link add veth0 address 02:00:00:49:13:01 type veth peer name veth1 "
    "address 02:00:00:49:13:02 netns peer",
    "ip link set veth0 up",
    "ip -n peer link set veth1 up",
    "ip -6 addr add 2001:db8:e0::1/64 dev veth0 nodad",
    "ip -n peer -6 addr add 2001:db8:e0::2/64 dev veth1 nodad",
    "sleep 3",
)


def _shell():
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in SETUP:
        shell.run_line(line)
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


def test_device_and_link_local_source_in_either_order():
    """-I DEV and -I fe80:: together: the source is bound on DEV, no warning."""
    shell = _shell()
    for line in ("ping -c 1 -I fe80::ff:fe49:1301 -I veth0 fe80::ff:fe49:1302",
                 "ping -c 1 -I veth0 -I fe80::ff:fe49:1301 fe80::ff:fe49:1302"):
        out, status = _run(shell, line)
        assert out.startswith("PING fe80::ff:fe49:1302(fe80::ff:fe49:1302) from "
                              "fe80::ff:fe49:1301%veth0 veth0: 56 data bytes\n64 bytes from "
                              "fe80::ff:fe49:1302%veth0: icmp_seq=1 ttl=64 time="), out
        assert status == 0


def test_global_source_with_device_has_no_warning():
    out, status = _run(_shell(), "ping -6 -c 1 -I veth0 -I 2001:db8:e0::1 2001:db8:e0::2")
    assert out.startswith("PING 2001:db8:e0::2(2001:db8:e0::2) from 2001:db8:e0::1 veth0: "
                          "56 data bytes\n64 bytes from 2001:db8:e0::2: icmp_seq=1"), out
    assert status == 0


def test_last_device_scopes_the_source():
    """`-I ADDR%DEV` names the device as -I DEV does: a later -I lo wins, and the
    link-local address is looked for on lo."""
    shell = _shell()
    for line in ("ping -c 1 -I veth0 -I fe80::ff:fe49:1301%lo fe80::ff:fe49:1302",
                 "ping -c 1 -I fe80::ff:fe49:1301%veth0 -I lo fe80::ff:fe49:1302"):
        assert _run(shell, line) == (
            "ping: bind icmp socket: Cannot assign requested address\n", 2)


def test_link_local_source_without_device_is_einval():
    assert _run(_shell(), "ping -c 1 -I fe80::ff:fe49:1301 fe80::ff:fe49:1302") == (
        "ping: bind icmp socket: Invalid argument\n", 2)


def test_numeric_scope_naming_no_device_sends_nothing():
    """ping6 fe80::..%7 with no ifindex 7: counted as sent, no error, no reply."""
    out, status = _run(_shell(), "ping6 -c 1 fe80::ff:fe49:1302%7")
    assert out == ("PING fe80::ff:fe49:1302%7(fe80::ff:fe49:1302%7) 56 data bytes\n\n"
                   "--- fe80::ff:fe49:1302%7 ping statistics ---\n"
                   "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n")
    assert status == 1
