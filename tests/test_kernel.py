"""Kernel rules, checked against behaviour recorded on a real Linux 6.x kernel (the
cases in transcripts/ and ../shared/oracle show the same facts end to end)."""
from __future__ import annotations

import ipaddress

from ipemu.kernel.addr import Ifa4, eui64_link_local
from ipemu.kernel.host import Host
from ipemu.tools.ipargs import first_match, matches
from ipemu.profiles import load

OBJECTS = load("default")["ip_objects"]     # iproute2 6.1 ip.c cmds[]


def addr(text: str) -> Ifa4:
    iface = ipaddress.IPv4Interface(text)
    return Ifa4(iface.ip, iface.network.prefixlen, iface.ip, label="veth0")


def test_iproute2_abbreviations_take_the_first_keyword_in_table_order():
    assert first_match("a", OBJECTS) == "address"
    assert first_match("addrl", OBJECTS) == "addrlabel"
    assert first_match("r", OBJECTS) == "route"
    assert first_match("n", OBJECTS) == "neighbor"
    assert first_match("l", OBJECTS) == "link"
    assert first_match("links", OBJECTS) is None
    assert not matches("", "address")   # `ip ''` is an unknown object


def test_veth_peer_is_registered_first_and_ifindexes_are_not_reused():
    ns = Host().init_ns
    veth0 = ns.add_veth("veth0", "veth1")
    assert (veth0.peer.ifindex, veth0.ifindex) == (2, 3)
    ns.delete_device(veth0.peer)
    assert ns.by_name("veth0") is None
    again = ns.add_veth("veth0", "veth1")
    assert (again.peer.ifindex, again.ifindex) == (4, 5)


def test_carrier_needs_both_ends_up():
    ns = Host().init_ns
    veth0 = ns.add_veth("veth0", "veth1")
    ns.set_up(veth0, True)
    assert veth0.operstate == "LOWERLAYERDOWN" and not veth0.carrier
    ns.set_up(veth0.peer, True)
    assert veth0.operstate == "UP" and veth0.peer.operstate == "UP"


def test_secondaries_follow_primaries_and_scope_link_goes_first():
    ns = Host().init_ns
    dev = ns.add_veth("veth0", "veth1")
    ns.add_ifa4(dev, addr("10.0.0.1/24"))
    ns.add_ifa4(dev, addr("10.0.0.2/24"))
    ns.add_ifa4(dev, addr("172.16.5.1/16"))
    link = addr("10.7.7.1/8")
    link.scope = 253
    ns.add_ifa4(dev, link)
    order = [(str(i.local), i.secondary) for i in ns.ifa4(dev)]
    assert order == [("10.7.7.1", False), ("10.0.0.1", False), ("172.16.5.1", False),
                     ("10.0.0.2", True)]


def test_deleting_a_primary_takes_its_secondaries_unless_promoted():
    ns = Host().init_ns
    dev = ns.add_veth("veth0", "veth1")
    for text in ("10.0.0.1/24", "10.0.0.2/24", "10.0.0.3/24"):
        ns.add_ifa4(dev, addr(text))
    ns.del_ifa4(dev, ns.ifa4(dev)[0])
    assert ns.ifa4(dev) == []
    ns.sysctls["net.ipv4.conf.veth0.promote_secondaries"] = "1"
    for text in ("10.0.0.1/24", "10.0.0.2/24"):
        ns.add_ifa4(dev, addr(text))
    ns.del_ifa4(dev, ns.ifa4(dev)[0])
    assert [(str(i.local), i.secondary) for i in ns.ifa4(dev)] == [("10.0.0.2", False)]


def test_prefix_route_exists_only_while_the_link_is_up():
    ns = Host().init_ns
    dev = ns.add_veth("veth0", "veth1")
    ns.add_ifa4(dev, addr("192.168.2.11/24"))
    assert ns.table(4, 254).routes == []
    ns.set_up(dev, True)
    assert [str(r.dst) for r in ns.table(4, 254).routes] == ["192.168.2.0/24"]
    ns.set_up(dev, False)
    assert ns.table(4, 254).routes == []
    local = [str(r.dst) for r in ns.table(4, 255).routes]
    assert local == ["192.168.2.11/32"]   # the local route survives link down


def test_link_local_waits_for_carrier_and_dad_ends_on_the_virtual_clock():
    host = Host()
    ns = host.init_ns
    dev = ns.add_veth("veth0", "veth1")
    ns.set_up(dev, True)
    assert ns.ifa6(dev) == []
    ns.set_up(dev.peer, True)
    (ll,) = ns.ifa6(dev)
    assert ll.address == eui64_link_local(dev.address) and ll.tentative
    host.sleep(3)
    assert not ll.tentative


def test_eui64_from_the_seed_transcript():
    mac = bytes.fromhex("7e0871f8c81a")
    assert str(eui64_link_local(mac)) == "fe80::7c08:71ff:fef8:c81a"
