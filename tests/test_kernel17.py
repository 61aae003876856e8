"""Kernel rules of the iproute2 long tail and kernel behaviour work (kernel17): link
flags and their counters, alias, IPv6 route siblings, route exceptions, sysctl
copies. Formats are the transcripts in transcripts/ip/tail_* and transcripts/kernel/,
recorded on the real machine."""
from __future__ import annotations

import ipaddress

import pytest

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import FibTable, Route
from ipemu.kernel.netdev import IFF
from ipemu.kernel.requests import LinkRequest
from ipemu.session import Session

A = ipaddress.ip_address
N = ipaddress.ip_network


def session() -> Session:
    s = Session.create("default", "bare")
    s.run_line("ip link add veth0 type veth peer name veth1")
    return s


def run(s: Session, line: str) -> tuple[str, str, int]:
    term, status = s.run_line(line)
    return term.stream("stdout"), term.stream("stderr"), status


def test_promisc_is_a_user_flag_over_a_counter():
    """dev_change_flags(): PROMISC shows what the user asked for; promiscuity counts
    the user and a bridge port."""
    s = session()
    ns = s.host.namespaces[""]
    dev = ns.by_name("veth0")
    ns.new_link(LinkRequest(ifindex=dev.ifindex, ifi_flags=int(IFF.PROMISC),
                            ifi_change=int(IFF.PROMISC)))
    assert dev.flags & IFF.PROMISC and dev.promiscuity == 1
    run(s, "ip link add br0 type bridge")
    run(s, "ip link set veth0 master br0")
    assert dev.promiscuity == 2 and dev.allmulti == 1
    run(s, "ip link set veth0 promisc off")
    assert not dev.flags & IFF.PROMISC and dev.promiscuity == 1


def test_arp_and_trailers_set_the_inverse_bits():
    s = session()
    run(s, "ip link set veth0 arp off trailers off dynamic on")
    dev = s.host.namespaces[""].by_name("veth0")
    assert dev.flags & (IFF.NOARP | IFF.NOTRAILERS | IFF.DYNAMIC) == \
        IFF.NOARP | IFF.NOTRAILERS | IFF.DYNAMIC
    run(s, "ip link set veth0 arp on trailers on dynamic off")
    assert not dev.flags & (IFF.NOARP | IFF.NOTRAILERS | IFF.DYNAMIC)


def test_alias_last_one_wins_and_empty_clears():
    s = session()
    run(s, "ip link set veth0 alias first alias second")
    assert s.host.namespaces[""].by_name("veth0").ifalias == "second"
    run(s, 'ip link set veth0 alias ""')
    assert "alias" not in run(s, "ip link show veth0")[0]


def test_protodown_and_carrier_need_driver_support():
    s = session()
    out, err, status = run(s, "ip link set veth0 protodown on")
    assert (err, status) == ("Error: Protodown not supported by device.\n", 2)
    assert run(s, "ip link set veth0 carrier off")[1:] == (
        "RTNETLINK answers: Operation not supported\n", 2)


def test_ipv6_siblings_join_and_leave():
    """fib6_add_rt2node(): EXCL refuses a taken metric, append makes siblings of
    gateway routes, a duplicate nexthop is refused; ip6_route_del() of one gateway
    leaves the other."""
    table = FibTable(254, 6)
    first = Route(N("2001:db8:9::/64"), gateway=A("2001:db8:1::2"), oif=2, priority=1024)
    table.insert(first, excl=True, replace_=False, append=False)
    second = Route(N("2001:db8:9::/64"), gateway=A("2001:db8:2::2"), oif=3, priority=1024)
    with pytest.raises(KernelError) as err:
        table.insert(second, excl=True, replace_=False, append=False)
    assert err.value.errno == Errno.EEXIST
    table.insert(second, excl=False, replace_=False, append=True)
    assert len(table.routes) == 1
    with pytest.raises(KernelError):
        table.insert(Route(N("2001:db8:9::/64"), gateway=A("2001:db8:2::2"), oif=3,
                           priority=1024), excl=False, replace_=False, append=True)
    merged = table.routes[0]
    assert len(merged.nexthops) == 2
    now = table.drop_nexthop(merged, A("2001:db8:1::2"), None)
    assert now.nexthops == () and now.gateway == A("2001:db8:2::2") and now.oif == 3
    assert table.routes == [now]


def test_ipv6_routes_without_gateway_stand_beside():
    table = FibTable(254, 6)
    table.insert(Route(N("2001:db8:5::/64"), oif=2, priority=1024), excl=True,
                 replace_=False, append=False)
    table.insert(Route(N("2001:db8:5::/64"), oif=3, priority=1024), excl=False,
                 replace_=False, append=True)
    assert len(table.routes) == 2 and all(not r.nexthops for r in table.routes)


def test_pmtu_exception_expires():
    s = session()
    ns = s.host.namespaces[""]
    run(s, "ip addr add 10.1.0.1/24 dev veth0")
    run(s, "ip link set veth0 up")
    run(s, "ip route add 10.2.0.0/24 via 10.1.0.2")
    ns.update_pmtu(A("10.2.0.2"), 1300)
    assert ns.pmtu_of(A("10.2.0.2")) == 1300
    ns.update_pmtu(A("10.2.0.3"), 100)               # raised to route/min_pmtu
    assert ns.pmtu_of(A("10.2.0.3")) == 552
    ns.update_pmtu(A("10.2.0.4"), 9000)              # not smaller: nothing kept
    assert ns.pmtu_of(A("10.2.0.4")) is None
    ns.clock.advance_to(ns.clock.now + 601)
    assert ns.pmtu_of(A("10.2.0.2")) is None


def test_disable_ipv6_default_is_copied_not_followed():
    """ipv6_add_dev() copies conf/default; a later write to default changes no
    existing device, conf/all changes every one."""
    s = session()
    ns = s.host.namespaces[""]
    run(s, "sysctl -w net.ipv6.conf.default.disable_ipv6=1")
    assert ns.conf(6, ns.by_name("veth0"), "disable_ipv6") == "0"
    run(s, "ip link add veth2 type veth peer name veth3")
    assert ns.conf(6, ns.by_name("veth2"), "disable_ipv6") == "1"
    run(s, "sysctl -w net.ipv6.conf.all.disable_ipv6=0")
    assert ns.conf(6, ns.by_name("veth2"), "disable_ipv6") == "0"
    assert ns.conf(6, "default", "disable_ipv6") == "0"


def test_every_recorded_net_sysctl_reads():
    from ipemu.kernel.sysctl import net_table
    s = session()
    for key in list(net_table()["namespace"])[:50]:
        assert run(s, f"sysctl {key}")[2] == 0, key
    assert run(s, "sysctl net.ipv4.neigh.veth0.gc_stale_time")[0] == \
        "net.ipv4.neigh.veth0.gc_stale_time = 60\n"
    assert run(s, "sysctl net.ipv6.conf.lo.mtu")[0] == "net.ipv6.conf.lo.mtu = 65536\n"
