"""ipvlan and ipvtap (Linux 6.1 drivers/net/ipvlan/ipvlan_main.c, ipvlan_core.c):
devices sharing their lower device's MAC, told apart by their IP addresses. The mode
(l2, l3, l3s) and the flags (bridge, private, vepa) belong to the port, the lower
device, so a change on one ipvlan changes them all; l3 modes make the ipvlans NOARP
when they open (ipvlan_open()).

Frames the lower device receives for an address of one of its ipvlans go to that
ipvlan (ipvlan_handle_frame(): by the IPv4/IPv6 destination, an ARP's target); what an
ipvlan sends leaves by the lower device, but for an address of another ipvlan of the
port, delivered straight (ipvlan_xmit_mode_l2()/_l3(), unless private or vepa). In l3
modes the datagram is routed in the lower device's namespace (ipvlan_process_outbound()).

The recording machine's kernel has no ipvlan driver: this follows the sources only."""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import IFF, IpvlanPort, NetDevice
from ipemu.kernel.requests import KindData, LinkRequest

if TYPE_CHECKING:
    from ipemu.kernel import packet as P
    from ipemu.kernel.netns import NetNamespace

IPVLAN_MODE_L2, IPVLAN_MODE_L3, IPVLAN_MODE_L3S = 0, 1, 2
IPVLAN_F_PRIVATE, IPVLAN_F_VEPA = 1, 2
IPVLAN_KINDS = ("ipvlan", "ipvtap")


def ipvlan_validate(req: LinkRequest) -> None:
    """ipvlan_nl_validate(): a known mode, known flags, not private and vepa both."""
    data = req.linkinfo.data if req.linkinfo is not None else None
    if not isinstance(data, KindData):
        return
    if data.has("mode") and data.get("mode") > IPVLAN_MODE_L3S:
        raise KernelError(Errno.EINVAL)
    flags = data.get("flags", 0)
    if flags & ~(IPVLAN_F_PRIVATE | IPVLAN_F_VEPA) or \
            flags & IPVLAN_F_PRIVATE and flags & IPVLAN_F_VEPA:
        raise KernelError(Errno.EINVAL)


def ipvlan_newlink(ns: "NetNamespace", dest: "NetNamespace", req: LinkRequest) -> NetDevice:
    """ipvlan_link_new(): a lower device is required (an ipvlan's own lower when one
    is named), Ethernet and not lo, not another driver's; the lower's MAC and MTU;
    linked to the port, the port's mode set, the lower's operstate copied."""
    from ipemu.kernel.drivers import _created, alloc_name
    kind = req.linkinfo.kind
    data = req.linkinfo.data if isinstance(req.linkinfo.data, KindData) else KindData()
    if req.link is None:
        raise KernelError(Errno.EINVAL)
    lower = ns.by_index(req.link)
    if lower is None:
        raise KernelError(Errno.ENODEV)
    if lower.is_ipvlan:
        lower = lower.lower
    elif lower.ipvlan_port is None:
        if lower.info.link_type != "ether" or lower.kind == "loopback":
            raise KernelError(Errno.EINVAL)       # "Master is either lo or non-ether"
        if lower.master is not None or lower.macvlans or lower.bond is not None and \
                lower.ports:
            raise KernelError(Errno.EBUSY)        # "Device is already in use."
    if req.mtu is not None and req.mtu > lower.mtu:
        raise KernelError(Errno.EINVAL)
    dev = dest.create_device(alloc_name(dest, req.ifname, kind), kind, address=lower.address,
                             mtu=req.mtu if req.mtu is not None else lower.mtu,
                             announce=False)
    dev.addr_assign_random = False
    dev.lower = lower
    dev.is_ipvlan = True
    dev.tso_max_size = lower.tso_max_size
    if lower.ipvlan_port is None:
        lower.ipvlan_port = IpvlanPort()           # ipvlan_port_create()
    port = lower.ipvlan_port
    set_port_mode(port, data.get("mode", IPVLAN_MODE_L3) if data.has("mode") else
                  IPVLAN_MODE_L3)
    port.ipvlans.append(dev)
    if data.has("flags"):
        port.flags = data.get("flags")
    dev.carrier = lower.carrier                    # netif_stacked_transfer_operstate()
    dest.announce_netconf(_created(dev, req))
    return dev


def set_port_mode(port: IpvlanPort, mode: int) -> None:
    """ipvlan_set_port_mode(): a new mode sets or clears NOARP on every ipvlan of the
    port (dev_change_flags())."""
    if port.mode == mode:
        return
    for vlan in port.ipvlans:
        base = vlan.own_flags if vlan.own_flags is not None else vlan.info.base_flags
        vlan.own_flags = base | IFF.NOARP if mode != IPVLAN_MODE_L2 else base & ~IFF.NOARP
    port.mode = mode


def ipvlan_changelink(ns: "NetNamespace", dev: NetDevice, req: LinkRequest) -> None:
    """ipvlan_nl_changelink(): the port's mode and flags."""
    data = req.linkinfo.data
    if not isinstance(data, KindData):
        return
    port = dev.lower.ipvlan_port
    if data.has("mode"):
        set_port_mode(port, data.get("mode"))
    if data.has("flags"):
        port.flags = data.get("flags")


def ipvlan_open(dev: NetDevice) -> None:
    """ipvlan_open(): NOARP in the l3 modes, not in l2."""
    base = dev.own_flags if dev.own_flags is not None else dev.info.base_flags
    if dev.lower.ipvlan_port.mode == IPVLAN_MODE_L2:
        dev.own_flags = base & ~IFF.NOARP
    else:
        dev.own_flags = base | IFF.NOARP


def addr_busy(dev: NetDevice, addr) -> bool:
    """ipvlan_addr_busy(): another ipvlan of the port has the address."""
    if not dev.is_ipvlan:
        return False
    for vlan in dev.lower.ipvlan_port.ipvlans:
        if vlan is not dev and any(_ifa_addr(i) == addr for i in vlan.ifa4 + vlan.ifa6):
            return True
    return False


def _ifa_addr(ifa):
    return getattr(ifa, "local", None) or getattr(ifa, "address", None)


def addr_lookup(lower: NetDevice, addr) -> NetDevice | None:
    """ipvlan_addr_lookup(): the ipvlan of the port with that address."""
    for vlan in lower.ipvlan_port.ipvlans:
        if any(_ifa_addr(i) == addr for i in vlan.ifa4 + vlan.ifa6):
            return vlan
    return None


def _l3_dest(frame: "P.Frame"):
    """ipvlan_get_L3_hdr(): the address a frame is for (an ARP's target)."""
    from ipemu.kernel import packet as P
    payload = frame.payload
    if isinstance(payload, P.Arp):
        return ipaddress.IPv4Address(payload.tpa)
    if isinstance(payload, (P.Ipv4, P.Ipv6)):
        return payload.dst
    return None


def ipvlan_handle_frame(lower: NetDevice, frame: "P.Frame") -> bool:
    """ipvlan_handle_frame(): a unicast (or ARP) frame for an address of an ipvlan goes
    to it (RX_HANDLER_CONSUMED); in l2 mode multicast goes to every ipvlan and on up
    the lower. False: the lower device goes on with it."""
    port = lower.ipvlan_port
    if frame.dst[0] & 1 and port.mode == IPVLAN_MODE_L2:
        for vlan in port.ipvlans:
            if vlan.admin_up:
                vlan.netns.stack.netif_rx(vlan, frame)
        from ipemu.kernel import packet as P
        if not isinstance(frame.payload, P.Arp):
            return False
    dst = _l3_dest(frame)
    vlan = addr_lookup(lower, dst) if dst is not None else None
    if vlan is None:
        return False
    if vlan.admin_up:
        vlan.netns.stack.netif_rx(vlan, frame)
    return True


def ipvlan_queue_xmit(stack, dev: NetDevice, frame: "P.Frame") -> None:
    """ipvlan_queue_xmit(): to another ipvlan of the port straight (not private,
    not vepa), l2 out the lower device, l3 routed in the lower's namespace."""
    from ipemu.kernel import packet as P
    lower = dev.lower
    port = lower.ipvlan_port
    dst = _l3_dest(frame)
    if dst is not None and not port.flags & (IPVLAN_F_PRIVATE | IPVLAN_F_VEPA):
        peer = addr_lookup(lower, dst)
        if peer is not None and peer is not dev:
            if peer.admin_up:
                peer.netns.stack.later(3e-6, peer.netns.stack, "netif_rx", peer, frame)
            return
    if port.mode == IPVLAN_MODE_L2:
        lower.netns.stack.dev_xmit(lower, frame)
        return
    if isinstance(frame.payload, P.Ipv4):
        lower.netns.stack.ip_output(frame.payload, oif=lower)
    else:
        dev.stats.tx_dropped += 1
