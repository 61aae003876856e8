"""net-tools ifconfig/arp/netstat, iputils arping and ping -R/-D/-Q: kernel rules behind
the ioctls (devinet_ioctl(), arp_ioctl()), the record-route option, interface order,
and what the el7 profile prints differently. Formats are the transcripts in
transcripts/tools/, recorded on the real machine."""
from __future__ import annotations

import ipaddress

import pytest

from ipemu.kernel import ioctl as K
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.requests import ArpReq, Ifreq
from ipemu.kernel.wire.ipv4 import (echo_record_route, record_route, record_route_option,
                                    recorded_route)
from ipemu.profiles import load
from ipemu.session import Session
from ipemu.tools.ifconfig import nstrcmp


def session(profile: str = "default") -> Session:
    s = Session.create(profile, "bare")
    s.run_line("ip link add veth0 type veth peer name veth1")
    return s


def run(s: Session, line: str) -> tuple[str, str, int]:
    term, status = s.run_line(line)
    return term.stream("stdout"), term.stream("stderr"), status



A = ipaddress.IPv4Address


def addr_lines(s: Session) -> str:
    return run(s, "ip -4 -o addr show dev veth0")[0]


def test_sifaddr_takes_the_classful_mask_and_its_broadcast():
    s = session()
    run(s, "ifconfig veth0 172.16.5.4")
    assert "172.16.5.4/16 brd 172.16.255.255" in addr_lines(s)


def test_sifnetmask_moves_a_derived_broadcast_but_keeps_one_set_by_hand():
    s = session()
    run(s, "ifconfig veth0 10.1.2.3 netmask 255.255.0.0")
    assert "10.1.2.3/16 brd 10.1.255.255" in addr_lines(s)
    run(s, "ifconfig veth0 broadcast 10.1.0.7")
    run(s, "ifconfig veth0 netmask 255.255.255.0")
    assert "10.1.2.3/24 brd 10.1.0.7" in addr_lines(s)


def test_zero_address_deletes_and_a_bad_mask_is_refused():
    s = session()
    run(s, "ifconfig veth0 10.1.2.3")
    assert run(s, "ifconfig veth0 netmask 255.0.255.0") == (
        "", "SIOCSIFNETMASK: Invalid argument\n", 1)
    run(s, "ifconfig veth0 0.0.0.0")
    assert addr_lines(s) == ""


def test_alias_down_deletes_only_its_address():
    s = session()
    run(s, "ifconfig veth0 10.1.2.3")
    run(s, "ifconfig veth0:1 192.168.7.1")
    run(s, "ifconfig veth0:1 down")
    lines = addr_lines(s)
    assert "10.1.2.3" in lines and "192.168.7.1" not in lines


def test_interfaces_sort_as_nstrcmp_does():
    names = ["eth10", "eth2", "eth0:1", "eth0", "lo", "a", "eth0:10", "eth0:2"]
    import functools
    ordered = sorted(names, key=functools.cmp_to_key(nstrcmp))
    assert ordered == ["a", "eth0", "eth0:1", "eth0:2", "eth0:10", "eth2", "eth10", "lo"]


def test_arp_set_and_delete_through_the_ioctls():
    s = session()
    run(s, "ip addr add 192.168.2.11/24 dev veth0")
    run(s, "ip link set veth0 up")
    assert run(s, "arp -s 192.168.2.20 02:00:00:00:00:20")[2] == 0
    assert run(s, "arp -i veth0 -s 192.168.2.21 02:00:00:00:00:21 temp")[2] == 0
    out = run(s, "ip neigh show dev veth0")[0]
    assert "192.168.2.20 lladdr 02:00:00:00:00:20 PERMANENT" in out
    assert "192.168.2.21 lladdr 02:00:00:00:00:21 STALE" in out
    assert run(s, "arp -d 192.168.2.20")[2] == 0
    assert run(s, "arp -d 192.168.2.20") == ("No ARP entry for 192.168.2.20\n", "", 255)
    assert run(s, "arp -s 10.9.9.9 02:00:00:00:00:20") == (
        "", "SIOCSARP: Network is unreachable\n", 255)


def test_record_route_option_fills_slots_then_stops():
    opt = record_route_option()
    assert len(opt) == 40 and opt[:4] == bytes([1, 7, 39, 4])
    for n in range(12):
        opt = record_route(opt, A(f"10.0.0.{n + 1}"))
    assert recorded_route(opt) == [A(f"10.0.0.{n + 1}") for n in range(9)]
    echoed = echo_record_route(record_route(record_route_option(), A("10.0.0.1")))
    assert len(echoed) == 40 and recorded_route(echoed) == [A("10.0.0.1")]


def test_ping_header_counts_the_options():
    s = Session.create("default", "bare")
    run(s, "ip link set lo up")
    out = run(s, "ping -c 1 -R 127.0.0.1")[0]
    assert out.startswith("PING 127.0.0.1 (127.0.0.1) 56(124) bytes of data.\n")
    assert "RR: \t127.0.0.1\n\t127.0.0.1\n\t127.0.0.1\n\t127.0.0.1\n\n" in out


@pytest.mark.parametrize("value, message", [
    ("0x1g", "ping: bad TOS value: 0x1g\n"),
    ("300", "ping: the decimal value of TOS bits must be in range 0-255: 300\n"),
])
def test_ping_tos_errors(value, message):
    s = Session.create("default", "bare")
    assert run(s, f"ping -c 1 -Q {value} 127.0.0.1") == ("", message, 2)


def test_el7_nettools_write_version_and_usage_on_stderr():
    s = Session.create("el7", "bare")
    assert run(s, "ifconfig -V") == ("", load("el7")["ifconfig_version"], 0)
    assert run(s, "ifconfig -x")[2] == 1
    out, err, status = run(s, "netstat -ri")
    assert (out, status) == ("", 0) and err == load("el7").usage("netstat_usage")
    out, err, status = run(Session.create("default", "bare"), "netstat -ri")
    assert status == 3 and err == load("default").usage("netstat_usage")


def test_default_ifconfig_help_splits_streams_as_recorded():
    out, err, status = run(Session.create("default", "bare"), "ifconfig --help")
    assert status == 0
    assert out + err != "" and all(line.startswith("    ") for line in err.splitlines())
    assert "  [name <newname>]\n" in out


def test_arping_needs_an_up_arpable_device():
    s = session()
    # check_ifflags() says it with printf(): on stdout (recorded, tutorials42c_kuznet_locktime)
    assert run(s, "arping -c 1 -I veth0 10.0.0.1") == ('Interface "veth0" is down\n', "", 2)
    assert run(s, "arping -c 1 -I nosuch 10.0.0.1") == (
        "", "arping: Device nosuch not available.\n", 2)
