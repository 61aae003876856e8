"""Printers fed hand-built records: no kernel, no namespace, only what a message carries."""
from __future__ import annotations

import ipaddress

from ipemu.kernel.fib import RTN, Proto, Scope
from ipemu.kernel.netdev import IFF
from ipemu.kernel.records import IFA_F, RTNH_F, AddrMsg, LinkMsg, NetconfMsg, RouteMsg
from ipemu.render.addr import print_addr
from ipemu.render.link import LinkCache, ShowOptions, print_link
from ipemu.render.netconf import print_netconf
from ipemu.render.printer import Printer
from ipemu.render.route import RouteView, print_route

MAC1 = bytes.fromhex("020000000001")
MAC2 = bytes.fromhex("020000000002")


def veth(ifindex: int, name: str, link: int | None, flags=IFF.BROADCAST | IFF.MULTICAST,
         **kw) -> LinkMsg:
    return LinkMsg(ifindex=ifindex, ifname=name, flags=flags, mtu=1500, qdisc="noop",
                   operstate="DOWN", group=0, txqlen=1000, link_type="ether",
                   address=MAC1 if ifindex == 3 else MAC2, broadcast=b"\xff" * 6,
                   link=link, kind="veth", **kw)


def text(fn, *args, **kw) -> str:
    p = Printer()
    fn(p, *args, **kw)
    return p.text()


def test_link_names_its_peer_and_marks_it_down():
    peer = veth(2, "veth1", 3)
    cache = LinkCache({2: peer})
    assert text(print_link, veth(3, "veth0", 2), cache, ShowOptions()) == (
        "3: veth0@veth1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN "
        "group default qlen 1000\n    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff")


def test_link_without_peer_reads_none_and_monitor_hides_qlen():
    out = text(print_link, veth(2, "veth1", 0), LinkCache(), ShowOptions(showqueue=False),
               deleted=True)
    assert out.startswith("Deleted 2: veth1@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noop "
                          "state DOWN group default \n")


def test_link_in_another_namespace_by_name_or_id():
    msg = veth(3, "veth0", 7, link_netnsid=0)
    assert "veth0@if7:" in text(print_link, msg, LinkCache(), ShowOptions())
    assert text(print_link, msg, LinkCache(netns={0: "peer"}), ShowOptions()).endswith(
        " link-netns peer")
    assert text(print_link, msg, LinkCache(), ShowOptions()).endswith(" link-netnsid 0")


def test_cache_keeps_the_first_name_as_ll_map_does():
    cache = LinkCache()
    cache.remember(veth(2, "veth1", 3))
    cache.remember(veth(2, "peer1", 3, flags=IFF.UP))
    assert cache.name(2) == "veth1" and cache.flags(2) == IFF.UP
    cache.remember(veth(2, "peer1", 3), deleted=True)
    assert cache.name(2) == "if2"


def test_link_json():
    p = Printer(json_mode=True)
    p.begin()
    p.open_object()
    print_link(p, veth(2, "veth1", 0), LinkCache(), ShowOptions())
    p.close_object()
    p.end()
    assert p.text().startswith('[{"ifindex":2,"link":null,"ifname":"veth1","flags":'
                               '["BROADCAST","MULTICAST"],"mtu":1500,')


def test_addr_oneline_deleted_secondary():
    msg = AddrMsg(4, 3, 24, IFA_F.PERMANENT | IFA_F.SECONDARY, Scope.UNIVERSE,
                  ipaddress.IPv4Address("10.0.0.2"), ipaddress.IPv4Address("10.0.0.2"),
                  label="veth0")
    assert text(print_addr, msg, "veth0", brief=False, oneline=True, deleted=True) == (
        "Deleted 3: veth0    inet 10.0.0.2/24 scope global secondary veth0\n"
        "       valid_lft forever preferred_lft forever\n")


def test_addr_v6_tentative():
    msg = AddrMsg(6, 3, 64, IFA_F.PERMANENT | IFA_F.TENTATIVE, Scope.UNIVERSE,
                  ipaddress.IPv6Address("2001:db8::1"), ipaddress.IPv6Address("2001:db8::1"))
    assert text(print_addr, msg, "veth0", brief=False, oneline=False) == (
        "    inet6 2001:db8::1/64 scope global tentative \n"
        "       valid_lft forever preferred_lft forever\n")


def test_route_names_the_device_from_the_cache_and_flags_linkdown():
    cache = LinkCache({3: veth(3, "veth0", 2)})
    local = RouteMsg(ipaddress.ip_network("10.0.0.1/32"), 255, RTN.LOCAL, Proto.KERNEL,
                     Scope.HOST, prefsrc=ipaddress.ip_address("10.0.0.1"), oif=3)
    assert text(print_route, local, cache, RouteView(), deleted=True) == (
        "Deleted local 10.0.0.1 dev veth0 table local proto kernel scope host src 10.0.0.1 \n")
    down = RouteMsg(ipaddress.ip_network("10.0.0.0/24"), 254, RTN.UNICAST, Proto.KERNEL,
                    Scope.LINK, oif=3, flags=RTNH_F.LINKDOWN)
    assert text(print_route, down, cache, RouteView()).endswith("linkdown \n")


def test_netconf():
    assert text(print_netconf, NetconfMsg(4, 3, 0, 0, 0, 0, 0), "veth0") == (
        "inet veth0 forwarding off rp_filter off mc_forwarding off proxy_neigh off "
        "ignore_routes_with_linkdown off \n")
    assert text(print_netconf, NetconfMsg(6, 3), "veth0", deleted=True) == "Deleted inet6 veth0 \n"
