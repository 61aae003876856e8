"""A device's set-up on ints (issue 19: the 8,001-line batch and 10,000 veth pairs):
mc_sync() telling groups apart by their ints and sharing one mapped address per group,
and fib_add_ifaddr()'s routes worked out on ints, answer exactly as the full paths they
replaced (kept here as they were, `_REFERENCE`: mc_sync() as needs22 left it, with
autojoined groups): the same output, exit statuses and saved host after the
transcripts that show multicast lists, IPv6 groups or the kernel's IPv4 routes of
unusual addresses (in the suite the fewest that hold every kind of them and of `ip
link/addr/maddr` line; all in the long run), and after batches that move every input
mc_sync() reads (snooping, NOARP, disable_ipv6, addresses, autojoined groups, up and
down)."""
from __future__ import annotations

import functools
import ipaddress
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from ipemu import state  # noqa: E402
from ipemu.kernel import mcast  # noqa: E402
from ipemu.kernel.devinet import Devinet, _in_l3mdev_table  # noqa: E402
from ipemu.kernel.fib import Proto, RTN, Route, Scope, TABLE_LOCAL, TABLE_MAIN  # noqa: E402
from ipemu.kernel.mcast import (ALL_HOSTS, ALL_SNOOPERS4, ALL_SNOOPERS6,  # noqa: E402
                                LINK_ALL_NODES, NODE_ALL_NODES, HwMcAddr, McGroup, _maps,
                                _snooping)
from ipemu.session import Session  # noqa: E402
from ipemu.transcript.check import check_transcript  # noqa: E402

V4_LIMITED_BROADCAST = ipaddress.IPv4Address("255.255.255.255")


# ---------------------------------------------------------------- the full paths
# mcast.py's functions as main had them before the ints (needs22's, with autojoined
# groups; their code is put in place of the new functions' by `full_paths`, so every
# caller, under any imported name, runs them with mcast.py's globals, and the globals
# they read that the ints changed are put back: `_FULL_GLOBALS`)
def mc_map(group) -> bytes:
    if group.version == 4:
        low = int(group) & 0x7FFFFF
        return bytes([0x01, 0x00, 0x5E, low >> 16, (low >> 8) & 0xFF, low & 0xFF])
    return b"\x33\x33" + group.packed[12:]


def _solicited(addr: ipaddress.IPv6Address) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address(b"\xff\x02" + bytes(9) + b"\x01\xff" + addr.packed[13:])


def _wanted4(ns, dev) -> list:
    joined = [g for g in dev.mc_autojoin if g.version == 4] if dev.mc_autojoin else []
    if ns.vxlan_seen:
        # a vxlan socket's membership of its group on the lower device (scripts40's
        # vxlan executor in multicast mode)
        joined += _vxlan_groups(ns, dev)  # noqa: F821 (run as mcast.py code: its globals)
    if not dev.admin_up:
        return joined
    snoop = [ALL_SNOOPERS4] if _snooping(dev) else []
    return snoop + [ALL_HOSTS] + joined


def _wanted6(ns, dev) -> list:
    if dev.mtu < 1280 and dev.kind != "loopback":
        dev.mc_routers = None           # (fuzz36: no inet6_dev, no IPv6 group)
        return []
    groups = [NODE_ALL_NODES, LINK_ALL_NODES]
    # (fuzz36: the all-routers groups of forwarding, ipv6_add_dev() and
    # dev_forward_change(), and the subnet-router anycast addresses' groups)
    if dev.mc_routers is None:
        dev.mc_routers = (ipaddress.IPv6Address("ff02::2"),) \
            if ns.conf(6, "default", "forwarding") == "1" and dev.flags & 0x1000 else ()
    groups += list(dev.mc_routers)
    if _snooping(dev) and dev.admin_up:
        groups.append(ALL_SNOOPERS6)
    noarp = dev.kind == "loopback" or bool(dev.flags & 0x80)      # IFF_NOARP
    if dev.mc_autojoin:
        groups += [g for g in dev.mc_autojoin if g.version == 6]
    if dev.ifa6 and not noarp and ns.conf(6, dev, "disable_ipv6") != "1":
        groups += [_solicited(ifa.address) for ifa in reversed(dev.ifa6)]
    if dev.ifa6 and ns.conf(6, dev, "forwarding") == "1":
        anycast = []
        for ifa in reversed(dev.ifa6):
            prefix = None if ifa.tentative or ifa.dadfailed else ns._anycast_prefix(ifa)
            if prefix is not None and prefix not in anycast:
                anycast.append(prefix)
        groups += [_solicited(p.network_address) for p in anycast]
    return groups


def _mld_changes(ns, dev, joined6: list, left6: list) -> None:
    changed = False
    for g in left6:
        ns.mld_group_left(dev, g)
        changed = True
    if dev.admin_up:            # (fuzz40: a join on a link not ready is reported too)
        for g in dev.mc6:
            if g.group in joined6 and mld_reported(g.group):
                ns.mld_group_joined(dev, g)
                changed = True
    if changed and dev.netns is ns and dev.ifindex in ns.devices:
        ns.mld_groups_changed(dev)


def _merge(current: list[McGroup], wanted: list) -> list:
    counts: dict = {}
    for group in wanted:
        counts[group] = counts.get(group, 0) + 1
    current[:] = [g for g in current if g.group in counts]
    for g in current:
        g.users = counts[g.group]
    have = {g.group for g in current}
    joined = []
    for group in wanted:
        if group not in have:
            current.insert(0, McGroup(group, counts[group]))
            have.add(group)
            joined.append(group)
    return joined


def mld_reported(group: ipaddress.IPv6Address) -> bool:
    packed = group.packed       # bytes compare in C (an address's == is Python's)
    return packed[1] & 0x0F >= 2 and packed != _LINK_ALL_NODES


def mc_sync(ns, dev, opening=False) -> None:
    up = dev.admin_up
    mc4 = dev.mc4
    before4 = mc4[:] if up and mc4 else ()
    joined4 = _merge(mc4, _wanted4(ns, dev))
    before6 = [g for g in dev.mc6 if mld_reported(g.group)]
    joined6 = _merge(dev.mc6, _wanted6(ns, dev))
    left6 = [g for g in before6 if all(h is not g for h in dev.mc6)]
    if left6 or (joined6 and not opening):
        _mld_changes(ns, dev, [] if opening else joined6, left6)
    # igmp_group_dropped() of a group left while up (ip_mc_dec_group()); ip_mc_down()'s
    # leave records die with its timer
    if len(before4) + len(joined4) > len(mc4):
        kept = {id(g) for g in mc4}
        for g in before4:
            if g.loaded and id(g) not in kept:
                ns.igmp_group_dropped(dev, g)
    # igmp_group_added() of each group loaded now: joined (____ip_mc_inc_group()) or,
    # at an up, already there (ip_mc_up(): the autojoined ones)
    if up:
        loading = [g for g in mc4 if not g.loaded]
        for g in loading:
            g.loaded = True
            ns.igmp_group_added(dev, g)
    else:
        loading = ()
        for g in mc4:
            g.loaded = False
    if not loading and not up and dev.mr_ifc_timer is not None:
        ns.igmp_mc_down(dev)
    if not _maps(dev):
        return
    # the link-layer users: loaded IPv4 groups (an up device), loaded IPv6 groups of
    # link scope or wider (igmp6_group_added() skips ff01::)
    refs: dict[bytes, int] = {}
    loaded = [g.group for g in dev.mc4] if up else []
    if dev.mc6_loaded:
        loaded += [g.group for g in dev.mc6 if g.group.packed[1] & 0x0F >= 2]
    for group in loaded:
        refs[mc_map(group)] = refs.get(mc_map(group), 0) + 1
    # what changed since the last sync is what the protocols dev_mc_add()ed or
    # dev_mc_del()ed: a delete of an address already gone does nothing (ENOENT)
    gone = {a: n for a, n in dev.mc_proto.items() if refs.get(a, 0) < n}
    for entry in list(dev.mc):
        if entry.addr in gone:
            entry.refcount -= gone[entry.addr] - refs.get(entry.addr, 0)
            if entry.refcount <= 0:
                dev.mc.remove(entry)
    added = {a: n - dev.mc_proto.get(a, 0) for a, n in refs.items()
             if n > dev.mc_proto.get(a, 0)}
    dev.mc_proto = refs
    for entry in dev.mc:
        if entry.addr in added:
            entry.refcount += added.pop(entry.addr)
    # new addresses in the order the kernel adds them: a bridge's snoopers (v4, v6),
    # all-hosts, then IPv6's groups
    # (ip_mc_up() and ipv6_mc_up() load the groups already in their lists in list
    # order, IPv4's after all-hosts; new IPv6 groups come in join order)
    if not added:
        return
    order = [g for g in joined4 if g == ALL_SNOOPERS4] + \
        [g for g in joined6 if g == ALL_SNOOPERS6] + \
        [g for g in joined4 if g != ALL_SNOOPERS4] + \
        [g.group for g in loading if g.group not in joined4] + \
        [g.group for g in dev.mc6 if g.group not in joined6 and g.group != ALL_SNOOPERS6] + \
        [g for g in joined6 if g != ALL_SNOOPERS6]
    for group in order:
        addr = mc_map(group)
        if addr in added:
            dev.mc.append(HwMcAddr(addr, added.pop(addr)))
    for addr, count in added.items():
        dev.mc.append(HwMcAddr(addr, count))


_LINK_ALL_NODES, _SNOOPERS6 = LINK_ALL_NODES.packed, ALL_SNOOPERS6.packed
_FULL_GLOBALS = {"_LINK_ALL_NODES": _LINK_ALL_NODES, "_SNOOPERS6": _SNOOPERS6}


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


_REFERENCE = [mc_map, _solicited, _wanted4, _wanted6, _mld_changes, _merge, mld_reported,
              mc_sync]


def full_paths(m) -> None:
    """Put the full paths in place (on a monkeypatch context)."""
    for ref in _REFERENCE:
        m.setattr(getattr(mcast, ref.__name__), "__code__", ref.__code__)
    for name, value in _FULL_GLOBALS.items():
        m.setattr(mcast, name, value)
    m.setattr(Devinet, "_kernel_routes_v4", _kernel_routes_v4)


# ---------------------------------------------------------------- the comparisons
# the transcripts that show the groups (maddr, MLD and IGMP reports, solicited-node
# groups) or kernel routes of unusual addresses (secondaries, /31, no prefix route, the
# limited broadcast); every other transcript checks the same paths against its output
SHOWN = re.compile(r"maddr|igmp|mld|33:33|ff02::1:ff|secondary|/31 |noprefixroute|"
                   r"brd 255\.255\.255\.255")


@functools.cache
def showing() -> list[Path]:
    return [p for p in corpus.paths() if not corpus.needs_later_work(p)
            and SHOWN.search(p.read_text())]


_LINK_LINE = re.compile(r"\bip\s+(-\S+\s+)*(l|li|lin|link|a|ad|add|addr|address|m|ma|mad|"
                        r"madd|maddr|maddress)\b")


def shown_kinds(path: Path) -> set[str]:
    """What the transcript shows (SHOWN's matches) and the options and keywords of
    its `ip link`, `ip addr` and `ip maddr` lines."""
    return {m.group(0) for m in SHOWN.finditer(path.read_text())} | \
        corpus.transcript_words(path, _LINK_LINE)


# in the suite the fewest that hold every kind; every one in the long run (IPEMU_LONG=1)
TRANSCRIPTS = corpus.kept("devsetup", corpus.paths(), [__file__],
                          lambda: corpus.cross_check_slice(showing(), shown_kinds))


def _replay(path: Path) -> tuple[bool, str]:
    """The transcript replayed: whether it matched, and the saved host at its end."""
    held: list = []

    def keep(number: int, now: tuple) -> tuple:
        held[:] = [now]
        return now
    result = check_transcript(path, roundtrip=keep)
    return result.ok, state.dumps(held[0]) if held else ""


def test_the_slice_holds_every_kind():
    assert len(showing()) > 50
    everything = set().union(*map(shown_kinds, showing()))
    assert set().union(*map(shown_kinds, TRANSCRIPTS)) == everything
    assert {"maddr", "igmp", "secondary", "noprefixroute", "up", "-6"} <= everything


@pytest.mark.parametrize("chunk", range(4))
def test_transcripts_set_devices_up_as_the_full_paths(monkeypatch, chunk):
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
    # a host booted afresh (the first after a change of ipemu's files) and one loaded
    # from the snapshot that boot saved dump with other shared objects: boot first
    Session.create("default", "bare", "h", 0)
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


# autojoined groups (needs22): joined and left while up and down, reloaded at an up,
# mapped addresses shared with the kernel's own groups (225.0.0.1 and 224.0.0.1,
# ff05::1:ff00:1 and a solicited-node group), all-hosts and a snooper group joined
# again by hand, IGMPv3 leave reports and MLDv2 ones on the wire (an IPv6 address goes
# at a down, its autojoined group stays)
AUTOJOIN = """ip link add va type veth peer name vb
ip link add br0 type bridge
ip link set vb master br0
ip addr add 10.0.0.1/24 dev va
ip link set va up
ip link set vb up
ip link set br0 up
ip -6 addr add 2001:db8::1/64 dev va
ip addr add 239.1.1.1/32 dev va autojoin
ip addr add 225.0.0.1/32 dev va autojoin
ip addr add 224.0.0.1/32 dev va autojoin
ip addr add 224.0.0.106/32 dev br0 autojoin
ip addr add ff05::1:ff00:1/128 dev va autojoin
ip addr add ff02::6a/128 dev br0 autojoin
ip addr add ff01::5/128 dev va autojoin
timeout 5 tcpdump -i vb -n -v igmp or ip6 &
sleep 0.5
ip maddr show
ip link set va down
ip maddr show dev va
ip addr del 225.0.0.1/32 dev va
ip addr add 239.2.2.2/32 dev va autojoin
ip link set va up
ip -6 addr add 2001:db8::ff00:1/64 dev va
ip addr add ff0e::5/128 dev va autojoin
ip maddr show dev va
sleep 1
ip addr del 239.1.1.1/32 dev va
ip addr del 224.0.0.106/32 dev br0
ip link set br0 type bridge mcast_snooping 0
ip addr del ff0e::5/128 dev va
ip link set va arp off
sleep 1
ip maddr show
wait
cat /proc/net/igmp
cat /proc/net/igmp6
ip link set br0 down
ip link set va down
ip maddr show"""


def test_autojoined_groups_as_the_full_paths(monkeypatch):
    lines = AUTOJOIN.splitlines()
    fast = _run(lines)
    with monkeypatch.context() as m:
        full_paths(m)
        full = _run(lines)
    assert fast[0] == full[0]
    assert fast[1] == full[1]
    shown = "".join(text for text, _ in fast[0])
    # it did run: autojoined groups listed, a leave reported on the wire
    assert "239.1.1.1" in shown and "ff05::1:ff00:1" in shown and "to_in" in shown
    assert "listener report v2" in shown


def test_groups_share_their_mapped_address():
    """Every device in a group holds the one bytes object of its mapped address, and
    an unchanged sync leaves dev->mc's users as they were."""
    s = Session.create("default", "bare", "h", 0)
    for line in ("ip link add va type veth peer name vb", "ip link set va up",
                 "ip link set vb up"):
        assert s.run_line(line)[1] == 0
    ns = s.machine.host.init_ns
    va, vb = ns.by_name("va"), ns.by_name("vb")
    shared = {e.addr: e for e in va.mc}
    both = [e for e in vb.mc if e.addr in shared]
    assert {e.addr[0] for e in both} == {0x01, 0x33}        # IPv4's and IPv6's
    assert all(e.addr is shared[e.addr].addr for e in both)
    before = [(e.addr, e.refcount, e.global_use) for e in va.mc]
    proto = va.mc_proto
    mcast.mc_sync(ns, va)
    assert [(e.addr, e.refcount, e.global_use) for e in va.mc] == before
    assert va.mc_proto is proto


class _Ns:
    """What mc_sync() asks of a namespace, its answers fixed and its calls written
    down (the groups by value)."""

    def __init__(self) -> None:
        self.devices: dict = {}
        self.calls: list = []
        self.disabled: set = set()
        self.vxlan_seen = False      # no vxlan device: _vxlan_groups() has none

    def conf(self, family, dev, key):
        # disable_ipv6 is the one setting moved; the others (force_mld_version: MLDv2)
        # keep their defaults, for a device or for "all"
        if key != "disable_ipv6":
            return "0"
        return "1" if dev.ifindex in self.disabled else "0"

    def mld_group_left(self, dev, g):
        self.calls.append(("left", dev.ifindex, g.group))

    def mld_group_joined(self, dev, g):
        self.calls.append(("joined", dev.ifindex, g.group))
        g.crcount = 2

    def mld_groups_changed(self, dev):
        self.calls.append(("changed", dev.ifindex))

    def igmp_group_added(self, dev, g):
        self.calls.append(("igmp", dev.ifindex, g.group, g.loaded))
        g.crcount = 2

    def igmp_group_dropped(self, dev, g):
        self.calls.append(("igmp_dropped", dev.ifindex, g.group, g.loaded))

    def igmp_mc_down(self, dev):
        self.calls.append(("igmp_down", dev.ifindex))
        dev.mr_ifc_timer = None


# addresses whose solicited-node groups coincide (the low 24 bits) or not
POOL6 = ["fe80::1", "2001:db8::1", "2001:db8:1::1", "2001:db8::2", "fe80::aa:bbcc:ddee",
         "2001:db8::bb:ccdd:eeff", "::1", "fe80::ff:0:1"]
# groups to autojoin: the kernel's own groups again, groups mapped onto their link-layer
# addresses (225.0.0.1 and 224.0.0.1; ff05::1:ff00:1 and a solicited-node group), other
# scopes (node-local ff01::5 is not loaded into dev->mc, nor reported)
POOL_JOIN = ["224.0.0.1", "224.0.0.106", "225.0.0.1", "239.1.1.1", "239.129.1.1",
             "224.0.0.9", "ff02::1", "ff01::1", "ff02::6a", "ff05::1:ff00:1", "ff02::1:ff00:2",
             "ff01::5", "ff0e::1234:5678", "ff15::1:ffbb:ccdd"]


def _lists(dev) -> tuple:
    return ([(g.group, g.users, g.crcount, g.loaded) for g in dev.mc4],
            [(g.group, g.users, g.crcount, g.loaded) for g in dev.mc6],
            [(e.addr, e.refcount, e.global_use) for e in dev.mc], dict(dev.mc_proto),
            dev.mr_ifc_timer)


@pytest.mark.parametrize("kind", ["veth", "bridge", "loopback"])
def test_random_inputs_sync_as_the_full_path(kind):
    """Twin devices, their inputs moved at random alike, one synced by mc_sync(), the
    other by the full path: the same lists, users, loaded flags, reports and timers
    every time."""
    import random
    from ipemu.kernel.addr import Ifa6
    from ipemu.kernel.netdev import IFF, KINDS, NetDevice
    rng = random.Random(22)
    twins = []
    for sync in (mcast.mc_sync, mc_sync):
        ns = _Ns()
        dev = NetDevice(ifindex=2, name="d", info=KINDS[kind], address=b"\2" * 6,
                        broadcast=b"\xff" * 6, mtu=1500, txqlen=1000)
        dev.netns = ns
        ns.devices[2] = dev
        twins.append((sync, ns, dev))
    joins = []
    for _ in range(600):
        ifa6 = [ipaddress.IPv6Address(a) for a in rng.sample(POOL6, rng.randint(0, 5))]
        # ip_mc_join_group() and leave: one group more or less, or (rarely) a new set
        if rng.random() < 0.1:
            joins = rng.sample(POOL_JOIN, rng.randint(0, 6))
        elif rng.random() < 0.5:
            free = [g for g in POOL_JOIN if g not in joins]
            joins = joins + [rng.choice(free)] if free else joins
        elif joins and rng.random() < 0.6:
            joins = [g for g in joins if g != rng.choice(joins)]
        moves = dict(admin_up=rng.random() < 0.7, inet6_ready=rng.random() < 0.7,
                     mc6_loaded=rng.random() < 0.8, snoop=rng.choice([0, 1, 1]),
                     noarp=rng.random() < 0.15, disabled=rng.random() < 0.1,
                     timer=rng.random() < 0.2, static=rng.choice([None, None, 0, 1, 2]))
        for sync, ns, dev in twins:
            dev.ifa6 = [Ifa6(a, 64) for a in ifa6]
            dev.mc_autojoin = [ipaddress.ip_address(g) for g in joins]
            dev.admin_up, dev.inet6_ready = moves["admin_up"], moves["inet6_ready"]
            dev.mc6_loaded = moves["mc6_loaded"]
            dev.br_conf = {"mcast_snooping": moves["snoop"]}
            dev.gflags = IFF(0x80 if moves["noarp"] else 0)
            ns.disabled = {2} if moves["disabled"] else set()
            if moves["timer"]:
                dev.mr_ifc_timer = "armed"
            if moves["static"] is not None and moves["static"] < len(dev.mc):
                entry = dev.mc[moves["static"]]        # mc_add_global() on a listed one
                if not entry.global_use:
                    entry.global_use, entry.refcount = True, entry.refcount + 1
            sync(ns, dev)
        (_, ns_a, a), (_, ns_b, b) = twins
        assert _lists(a) == _lists(b)
        assert ns_a.calls == ns_b.calls
    # it did run: autojoined groups were loaded, dropped and reloaded
    kinds = {c[0] for c in ns_a.calls}
    assert {"igmp", "igmp_dropped", "joined", "left"} <= kinds or kind == "loopback"
