"""mcast.mc_register(), the multicast lists of a device just registered (ipv6_add_dev()
joining ff01::1 and ff02::1) made without mc_sync()'s reconciliation (issue 19),
leaves every device as mc_sync() does: its lists, link-layer entries and their users,
what `ip maddr` and /proc print, and what happens when the devices come up."""
from __future__ import annotations

import pytest

from ipemu.kernel import mcast
from ipemu.session import Session

SETUPS = {
    "veth": ["ip link add va type veth peer name vb"],
    "forwarding": ["sysctl -qw net.ipv6.conf.default.forwarding=1",
                   "ip link add va type veth peer name vb"],
    "all forwarding": ["sysctl -qw net.ipv6.conf.all.forwarding=1",
                       "ip link add va type veth peer name vb"],
    "bridge": ["ip link add br0 type bridge", "ip link add va type veth peer name vb",
               "ip link set va master br0"],
    "macvlan": ["ip link add va type veth peer name vb",
                "ip link add mv0 link va type macvlan mode bridge"],
    "tun": ["ip tuntap add dev tp0 mode tap", "ip tuntap add dev tn0 mode tun"],
    "vxlan": ["ip link add va type veth peer name vb", "ip addr add 10.0.0.1/24 dev va",
              "ip link add vx0 type vxlan id 42 group 239.1.1.1 dev va dstport 4789",
              "ip link add vx1 type vxlan id 43 local 10.0.0.1 dstport 4790"],
    "small mtu": ["ip link add va mtu 1000 type veth peer name vb mtu 1000"],
    "disabled": ["sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
                 "ip link add va type veth peer name vb"],
    "ipvlan": ["ip link add va type veth peer name vb",
               "ip link add iv0 link va type ipvlan mode l2"],
}
AFTER = ["ip link set va up", "ip link set vb up", "ip link set br0 up", "sleep 2",
         "ip link set va down", "sleep 1"]
SHOW = ["ip maddr", "cat /proc/net/igmp6", "cat /proc/net/igmp", "cat /proc/net/dev_mcast",
        "bridge fdb show"]


def _state(s: Session) -> list:
    out = []
    for dev in s.host.init_ns.device_list():
        out.append((dev.name, [(str(g.group), g.users, g.loaded) for g in dev.mc4],
                    [(str(g.group), g.users, g.crcount) for g in dev.mc6],
                    [(e.addr, e.refcount, e.global_use) for e in dev.mc],
                    dict(dev.mc_proto), dev.mc_routers))
    for line in SHOW:
        term, status = s.run_line(line)
        out.append((line, term.text(), status))
    return out


def _run(setup: list) -> list:
    s = Session.create("default", "bare", "h", 0)
    out = []
    for line in setup:
        term, status = s.run_line(line)
        out.append((line, term.text(), status))
    out.append(_state(s))
    for line in AFTER:
        term, status = s.run_line(line)
        out.append((line, term.text(), status))
    out.append(_state(s))
    return out


@pytest.mark.parametrize("name", sorted(SETUPS))
def test_register_is_a_sync(name, monkeypatch):
    from ipemu.kernel import netns
    netns._complete()           # the namespace's parts (and mc_register) bound
    assert netns.mc_register is mcast.mc_register
    fast = _run(SETUPS[name])
    monkeypatch.setattr(netns, "mc_register", mcast.mc_sync)
    assert _run(SETUPS[name]) == fast
