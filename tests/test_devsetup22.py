"""A device's set-up on ints (issue 19: the 8,001-line batch and 10,000 veth pairs):
mc_sync() telling groups apart by their ints and sharing one mapped address per group,
and fib_add_ifaddr()'s routes worked out on ints, answer exactly as the full paths they
replaced (kept here as they were): the same output, exit statuses and
saved host after every transcript that shows multicast lists, IPv6 groups or the
kernel's IPv4 routes of unusual addresses, and after batches that move every input
mc_sync() reads (snooping, NOARP, disable_ipv6, addresses, up and down)."""
from __future__ import annotations

import ipaddress
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from ipemu import state  # noqa: E402
from ipemu.kernel.devinet import Devinet, _in_l3mdev_table  # noqa: E402
from ipemu.kernel.fib import Proto, RTN, Route, Scope, TABLE_LOCAL, TABLE_MAIN  # noqa: E402
from ipemu.session import Session  # noqa: E402
from ipemu.transcript.check import check_transcript  # noqa: E402

V4_LIMITED_BROADCAST = ipaddress.IPv4Address("255.255.255.255")


# ---------------------------------------------------------------- the full paths
def _kernel_routes_v4(self, dev, ifa) -> list:
    """devinet.py's fib_add_ifaddr() routes as they were, through IPv4Network."""
    prim = self.primary_of(dev, ifa)
    src = prim.local
    out = [Route(ipaddress.IPv4Network(ifa.local), TABLE_LOCAL, RTN.LOCAL, Proto.KERNEL,
                 Scope.HOST, prefsrc=src, oif=dev.ifindex)]
    if not dev.admin_up:
        return _in_l3mdev_table(dev, out)
    if ifa.broadcast is not None and ifa.broadcast != V4_LIMITED_BROADCAST:
        out.append(Route(ipaddress.IPv4Network(ifa.broadcast), TABLE_LOCAL, RTN.BROADCAST,
                         Proto.KERNEL, Scope.LINK, prefsrc=src, oif=dev.ifindex))
    net = ifa.network
    zeronet_ok = self.kernel.get("zeronet_unicast", True)
    if ((zeronet_ok or int(net.network_address) >> 24 != 0) and not ifa.secondary
            and (net.network_address != ifa.local or ifa.prefixlen < 32)):
        if not ifa.noprefixroute:
            if dev.kind == "loopback":
                out.append(Route(net, TABLE_LOCAL, RTN.LOCAL, Proto.KERNEL, Scope.HOST,
                                 prefsrc=src, oif=dev.ifindex, priority=ifa.metric))
            else:
                out.append(Route(net, TABLE_MAIN, RTN.UNICAST, Proto.KERNEL, Scope.LINK,
                                 prefsrc=src, oif=dev.ifindex, priority=ifa.metric))
        if ifa.prefixlen < 31:
            out.append(Route(ipaddress.IPv4Network(net.broadcast_address), TABLE_LOCAL,
                             RTN.BROADCAST, Proto.KERNEL, Scope.LINK, prefsrc=src,
                             oif=dev.ifindex))
    return _in_l3mdev_table(dev, out)


def full_paths(m) -> None:
    """Put the full paths in place (on a monkeypatch context). mcast.py's fast
    mc_sync() was not merged (needs22 changed its behaviour for autojoined groups at
    the same time): only devinet's routes are compared here."""
    m.setattr(Devinet, "_kernel_routes_v4", _kernel_routes_v4)


# ---------------------------------------------------------------- the comparisons
# the transcripts that show the groups (maddr, MLD and IGMP reports, solicited-node
# groups) or kernel routes of unusual addresses (secondaries, /31, no prefix route, the
# limited broadcast); every other transcript checks the same paths against its output
SHOWN = re.compile(r"maddr|igmp|mld|33:33|ff02::1:ff|secondary|/31 |noprefixroute|"
                   r"brd 255\.255\.255\.255")
TRANSCRIPTS = [p for p in corpus.paths() if not corpus.needs_later_work(p)
               and SHOWN.search(p.read_text())]


def _replay(path: Path) -> tuple[bool, str]:
    """The transcript replayed: whether it matched, and the saved host at its end."""
    held: list = []

    def keep(number: int, now: tuple) -> tuple:
        held[:] = [now]
        return now
    result = check_transcript(path, roundtrip=keep)
    return result.ok, state.dumps(held[0]) if held else ""


@pytest.mark.parametrize("chunk", range(4))
def test_transcripts_set_devices_up_as_the_full_paths(monkeypatch, chunk):
    assert len(TRANSCRIPTS) > 50
    for path in TRANSCRIPTS[chunk::4]:
        fast = _replay(path)
        with monkeypatch.context() as m:
            full_paths(m)
            full = _replay(path)
        assert fast[0] and full[0], path
        assert fast[1] == full[1], path


# every input mc_sync() reads, moved one after another: devices up and down, IPv6
# addresses and their DAD, NOARP, disable_ipv6, a bridge's snooping, groups by hand,
# a namespace move; IPv4 addresses of every kind fib_add_ifaddr() tells apart
SEQUENCE = """ip link add va type veth peer name vb
ip link add br0 type bridge
ip link add d0 type dummy
ip addr add 10.0.0.1/24 dev va
ip addr add 10.0.0.9/24 dev va
ip addr add 10.0.1.1/31 dev vb
ip addr add 10.0.2.1/32 dev d0
ip addr add 10.0.3.1 peer 10.0.4.0/24 dev d0
ip addr add 10.0.5.1/24 brd 255.255.255.255 dev d0
ip addr add 10.0.6.1/24 brd + dev d0 noprefixroute metric 7
ip addr add 0.0.7.1/24 dev d0
ip addr add 127.0.0.2/8 dev lo
ip link set va up
ip link set vb up
ip link set d0 up
ip link set br0 up
ip -6 addr add 2001:db8::1/64 dev va
ip -6 addr add 2001:db8::2/64 dev va
ip -6 addr add 2001:db8::3/64 dev d0 nodad
ip maddr add 33:33:00:00:00:01 dev va
ip maddr add 01:00:5e:00:00:05 dev d0
ip link set vb master br0
ip link set br0 type bridge mcast_snooping 0
ip link set br0 type bridge mcast_snooping 1
ip link set d0 arp off
ip -6 addr add 2001:db8::4/64 dev d0
ip link set d0 arp on
sleep 2
ip maddr show
ip -6 addr del 2001:db8::1/64 dev va
sysctl -w net.ipv6.conf.va.disable_ipv6=1
sysctl -w net.ipv6.conf.va.disable_ipv6=0
ip link set va down
ip maddr del 33:33:00:00:00:01 dev va
ip link set va up
ip addr del 10.0.0.1/24 dev va
ip link set d0 mtu 1000
ip link set d0 mtu 1500
sleep 3
ip maddr show
ip -s link show
ip route show table all
ip -6 route show table all
ip addr show
ip netns add n1
ip link set vb netns n1
ip -n n1 link set vb up
sleep 2
ip -n n1 maddr show
ip maddr show"""


def _run(lines: list[str]) -> tuple[list, str]:
    s = Session.create("default", "bare", "h", 0)
    out = [s.run_line(line) for line in lines]
    return [(term.text(), status) for term, status in out], state.dumps(s)


def test_a_sequence_of_set_ups_as_the_full_paths(monkeypatch):
    lines = SEQUENCE.splitlines()
    fast = _run(lines)
    with monkeypatch.context() as m:
        full_paths(m)
        full = _run(lines)
    assert fast[0] == full[0]
    assert fast[1] == full[1]
    shown = "".join(text for text, _ in fast[0])
    # it did run: solicited-node groups of given addresses, a bridge's snoopers
    assert "ff02::1:ff00:2" in shown and "01:00:5e:00:00:6a" in shown


def test_the_benchmark_batch_as_the_full_paths(monkeypatch):
    """The benchmark's own lines (benchmarks/workloads.py), a few pairs of them."""
    pairs = []
    for i in range(12):
        a, b, net = f"va{i}", f"vb{i}", f"10.{i // 5}.{i % 5}"
        pairs += [f"ip link add {a} type veth peer name {b}", f"ip addr add {net}.1/24 dev {a}",
                  f"ip addr add {net}.2/24 dev {b}", f"ip link set {a} up",
                  f"ip link set {b} up", f"ip route add 172.16.0.{i}/32 via {net}.2",
                  f"ip route get 172.16.0.{i}", f"ip addr show dev {a}"]
    lines = pairs + ["sleep 3", "ip maddr show", "ip -s link show"]
    fast = _run(lines)
    with monkeypatch.context() as m:
        full_paths(m)
        full = _run(lines)
    assert fast == full
