"""Link and route requests: the kernel alone decides what a request means (the
transcripts ip/link_set_order and ip/link_add_inherit record the same facts)."""
from __future__ import annotations

import ipaddress

import pytest

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.host import Host
from ipemu.kernel.netdev import IFF
from ipemu.kernel.requests import (NLM_F, LinkInfo, LinkRequest, RouteRequest, RtEntry,
                                   VethData)

ADD = NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE | NLM_F.EXCL


def veth(name: str, peer: str, **attrs) -> LinkRequest:
    return LinkRequest(ifname=name, linkinfo=LinkInfo("veth", VethData(LinkRequest(ifname=peer))),
                       flags=ADD, **attrs)


def names(ns) -> list[str]:
    return [d.name for d in ns.device_list()]


def test_a_failing_add_leaves_nothing_but_used_ifindexes():
    ns = Host().init_ns
    with pytest.raises(KernelError) as err:
        ns.new_link(veth("v0", "p0", master=1))        # lo takes no slaves
    assert err.value.errno == Errno.EOPNOTSUPP
    assert names(ns) == ["lo"]
    ns.new_link(veth("v1", "p1"))
    assert [d.ifindex for d in ns.device_list()] == [1, 4, 5]


def test_setlink_keeps_what_it_applied_before_the_failing_attribute():
    ns = Host().init_ns
    ns.new_link(veth("v1", "p1"))
    v1 = ns.by_name("v1")
    with pytest.raises(KernelError) as err:
        ns.new_link(LinkRequest(ifindex=v1.ifindex, ifname="v9", mtu=20,
                                address=bytes.fromhex("020000000005"),
                                ifi_flags=IFF.UP, ifi_change=IFF.UP))
    assert err.value.extack == "mtu less than device minimum"
    assert v1.address == bytes.fromhex("020000000005")      # the address came first
    assert v1.name == "v1" and not v1.admin_up              # name and flags after the MTU


def test_a_veth_peer_brought_up_at_creation_has_no_peer_yet():
    ns = Host().init_ns
    req = LinkRequest(ifname="d0", flags=ADD, linkinfo=LinkInfo("veth", VethData(
        LinkRequest(ifname="p0", ifi_flags=IFF.UP, ifi_change=IFF.UP))))
    with pytest.raises(KernelError) as err:
        ns.new_link(req)
    assert err.value.errno == Errno.ENOTCONN
    assert names(ns) == ["lo"]


def test_without_peer_data_the_peer_takes_the_device_attributes():
    ns = Host().init_ns
    ns.new_link(LinkRequest(ifname="v1", mtu=1400, txqlen=20, group=3,
                            linkinfo=LinkInfo("veth"), flags=ADD))
    peer = ns.by_name("veth0")
    assert (peer.mtu, peer.txqlen, peer.group) == (1400, 20, 3)


def test_route_flags_decide_insert_semantics():
    ns = Host().init_ns
    ns.new_link(veth("v1", "p1"))
    v1 = ns.by_name("v1")
    ns.set_up(v1, True)
    base = dict(family=4, dst_len=24, dst=ipaddress.IPv4Address("10.1.0.0"), oif=v1.ifindex,
                scope=253)
    ns.new_route(RouteRequest(**base, flags=NLM_F.CREATE | NLM_F.EXCL))
    with pytest.raises(KernelError) as err:
        ns.new_route(RouteRequest(**base, flags=NLM_F.CREATE | NLM_F.EXCL))
    assert err.value.errno == Errno.EEXIST
    with pytest.raises(KernelError) as err:       # change: REPLACE without CREATE
        ns.new_route(RouteRequest(**{**base, "dst": ipaddress.IPv4Address("10.2.0.0")},
                                  flags=NLM_F.REPLACE))
    assert err.value.errno == Errno.ENOENT
    with pytest.raises(KernelError) as err:
        ns.new_route(RouteRequest(**{**base, "dst": ipaddress.IPv4Address("10.1.0.1")},
                                  flags=NLM_F.CREATE))
    assert err.value.extack == "Invalid prefix for given prefix length"


def test_net_tools_gateway_must_be_reachable():
    ns = Host().init_ns
    with pytest.raises(KernelError) as err:
        ns.ip_rt_ioctl(RtEntry(dst=0, genmask=0, gateway=int(ipaddress.IPv4Address("172.16.0.1")),
                               is_gateway=True), delete=False)
    assert err.value.errno == Errno.ENETUNREACH
