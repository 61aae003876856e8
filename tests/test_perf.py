"""The kernel's indexes answer as the plain scans they replace (issue 19), survive a
save and restore, and ping's flood mode keeps to iputils' 16-bit sequence and
bounded tables."""
from __future__ import annotations

import ipaddress
import random

from ipemu import state
from ipemu.kernel.fib import FibTable, RTN, Route, dump_key
from ipemu.session import Session
from ipemu.tools import ping as ping_tool


def _random_routes(rng: random.Random, family: int, count: int) -> list[Route]:
    bits = 32 if family == 4 else 128
    routes = []
    for _ in range(count):
        plen = rng.choice([0, 8, 16, 24, 32] if family == 4 else [0, 16, 48, 64, 128])
        plen = min(plen, bits)
        addr = rng.getrandbits(bits) & (((1 << plen) - 1) << (bits - plen))
        cls = ipaddress.IPv4Network if family == 4 else ipaddress.IPv6Network
        routes.append(Route(cls((addr, plen)), tos=rng.choice([0, 0, 4]),
                            priority=rng.choice([0, 10, 100]), oif=rng.choice([1, 2, 3])))
    return routes


def _naive_sorted(insertion_order: list[Route]) -> list[Route]:
    return sorted(insertion_order, key=lambda r: (dump_key(r), -r.tos, r.priority))


def _naive_matches(insertion_order: list[Route], addr) -> list[Route]:
    hits = [r for r in _naive_sorted(insertion_order) if addr in r.dst]
    return sorted(hits, key=lambda r: -r.dst.prefixlen)     # stable: dump order kept


def test_fib_index_answers_as_the_scans_it_replaced():
    rng = random.Random(19)
    for family in (4, 6):
        table = FibTable(254, family)
        kept: list[Route] = []
        for route in _random_routes(rng, family, 400):
            table.add(route)
            kept.append(route)
        for route in rng.sample(kept, 150):
            table.remove(route)
            kept = [r for r in kept if r is not route]
        restored = state.roundtrip(table)
        for t in (table, restored):
            assert [(r.dst, r.tos, r.priority, r.oif) for r in t.sorted_routes()] == \
                [(r.dst, r.tos, r.priority, r.oif) for r in _naive_sorted(kept)]
            assert [r.dst for r in t.routes] == [r.dst for r in kept]
        for probe in kept[:50] + _random_routes(rng, family, 50):
            addr = probe.dst.network_address
            want = _naive_matches(kept, addr)
            assert list(table.matches(int(addr))) == want
            # inet_addr_type()'s scan: the first added of the longest prefix
            oldest = next((r for r in kept if r.dst == want[0].dst), None) if want else None
            assert table.longest_match(int(addr)) is oldest


def test_replace_keeps_the_place_of_the_route_it_replaces():
    table = FibTable(254, 4)
    net = ipaddress.IPv4Network("10.0.0.0/8")
    first, second = Route(net, oif=1), Route(ipaddress.IPv4Network("11.0.0.0/8"), oif=1)
    table.insert(first, excl=False, replace_=False, append=False)
    table.insert(second, excl=False, replace_=False, append=False)
    new = Route(net, oif=2, type=RTN.UNICAST)
    table.insert(new, excl=False, replace_=True, append=False)
    assert table.routes == [new, second] and table.contains(new) and not table.contains(first)


def test_names_and_ifindex_order_follow_renames_moves_and_restores():
    session = Session.create("default", "bare", "oracle", 0)
    for line in ("ip link add va type veth peer name vb", "ip link set va name vc",
                 "ip netns add ns1", "ip link set vb netns ns1"):
        assert session.run_line(line)[1] == 0
    for s in (session, state.roundtrip(session)):
        ns = s.host.init_ns
        assert ns.by_name("va") is None and ns.by_name("vc").name == "vc"
        assert ns.by_name("vb") is None
        assert s.host.namespaces["ns1"].by_name("vb").name == "vb"
        assert [d.name for d in ns.device_list()] == ["lo", "vc"]


def _flood_session() -> Session:
    session = Session.create("default", "bare", "oracle", 0)
    for line in ("ip link add va type veth peer name vb", "ip netns add b",
                 "ip link set vb netns b", "ip addr add 10.0.0.1/24 dev va",
                 "ip -n b addr add 10.0.0.2/24 dev vb", "ip link set va up",
                 "ip -n b link set vb up"):
        assert session.run_line(line)[1] == 0
    return session


def test_flood_prints_a_dot_and_a_backspace_per_echo_and_ipg_ewma():
    term, status = _flood_session().run_line("ping -f -c 4 10.0.0.2")
    out = term.text()
    assert status == 0
    assert out.startswith("PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n" + ".\b \b" * 4
                          + "\n--- 10.0.0.2 ping statistics ---\n4 packets transmitted, 4 received")
    assert ", ipg/ewma " in out


def test_the_echo_sequence_wraps_at_16_bits_under_a_capture(monkeypatch):
    """65,536 echoes used to raise struct.error once the sequence passed 65,535 (the
    capture encodes each echo); the tables are keyed by the 16-bit sequence."""
    init, finish = ping_tool.PingProcess.__init__, ping_tool.PingProcess._finish
    seen = {}

    def late_start(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.ntransmitted = self.nreceived = self.acked = 65534

    def spy(self):
        seen["keys"] = sorted(self.sent_at) + sorted(self.received)
        finish(self)

    monkeypatch.setattr(ping_tool.PingProcess, "__init__", late_start)
    monkeypatch.setattr(ping_tool.PingProcess, "_finish", spy)
    session = _flood_session()
    session.run_line("tcpdump -i va -w cap.pcap &")
    term, status = session.run_line("ping -c 65537 -i 0.2 10.0.0.2")
    lines = [line for line in term.text().splitlines() if "icmp_seq" in line]
    assert [line.split()[4] for line in lines] == ["icmp_seq=65535", "icmp_seq=0",
                                                   "icmp_seq=1"]
    assert status == 0
    assert seen["keys"] and max(seen["keys"]) <= 0xFFFF


def test_new_veth_pairs_walk_no_routing_table():
    """A new veth's carrier-off is held by linkwatch for each pair of a batch: what the
    fib keeps of it (link_watch._hold_fib()) looks at no table for a device that is
    down (it looked at every route of every table per pair: the 8,001-line batch took
    3.4x as long and 10,000 pairs grew 58x for 10x the work, benchmarks 2026-11-29)."""
    s = Session.create("default", "bare")
    lines = ["link add d0 type veth peer name e0", "link set d0 up", "link set e0 up",
             "addr add 10.0.0.1/16 dev d0"] + \
        [f"route add 172.{i // 250}.{i % 250}.0/24 via 10.0.0.2" for i in range(1000)]
    s.write_file("a.txt", "\n".join(lines).encode() + b"\n")
    assert s.run_line("ip -batch a.txt")[1] == 0
    visits = []

    class Entries(dict):
        def values(self):
            visits.append(len(self))
            return super().values()

    orig = FibTable.sorted_routes

    def sorted_routes(self):
        visits.append(len(self.entries))
        return orig(self)

    for ns in s.host.namespaces.values():
        for table in ns.tables.values():
            table.entries = Entries(table.entries)
    FibTable.sorted_routes = sorted_routes
    try:
        s.write_file("b.txt", "".join(f"link add x{i} type veth peer name y{i}\n"
                                      for i in range(100)).encode())
        assert s.run_line("ip -batch b.txt")[1] == 0
    finally:
        FibTable.sorted_routes = orig
    assert sum(visits) == 0


def test_a_new_device_holds_no_empty_set_of_its_own():
    """An empty set is an object Python's collector tracks (an empty dict is not):
    what most devices never fill starts as a shared empty frozenset and becomes the
    device's own set when something goes in (netdev.own_set(); two such sets a
    device were 4,000 of the ~104,000 objects the 8,001-line batch leaves). A sticky
    fdb entry then makes the bridge's own."""
    s = Session.create("default", "bare")
    for line in ("ip link add br0 type bridge", "ip link add v0 type veth peer name v1",
                 "ip link set v0 master br0"):
        assert s.run_line(line)[1] == 0
    ns = s.host.namespaces[next(iter(s.host.namespaces))]
    for dev in ns.devices.values():
        own = [name for name in dev.__slots__
               if (value := getattr(dev, name, None)).__class__ is set and not value]
        assert own == [], dev.name
    assert s.run_line("bridge fdb add 02:00:00:00:00:01 dev v0 master static sticky")[1] == 0
    br = ns.by_name("br0")
    assert br.fdb_sticky == {bytes.fromhex("020000000001")}
    assert s.run_line("bridge fdb del 02:00:00:00:00:01 dev v0 master")[1] == 0
    assert br.fdb_sticky == set()
