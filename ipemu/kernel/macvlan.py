"""macvlan and macvtap (Linux drivers/net/macvlan.c): devices with MACs of their own on
one lower Ethernet device. What they send goes out the lower device, but for bridge
mode, where frames between two bridge-mode macvlans stay inside (macvlan_queue_xmit());
what the lower device receives goes to the macvlan owning the destination MAC, and
broadcasts to each according to the sender's mode (macvlan_handle_frame(),
macvlan_process_broadcast()). The lower device itself never talks to its macvlans:
its frames leave by the wire.

A macvtap without a reader of its /dev/tapN passes frames to the stack like a macvlan
(tap_handle_frame() returns RX_HANDLER_PASS when no queue is open)."""
from __future__ import annotations

from ipemu.plainclass import replace

from ipemu.kernel.netdev import (MACVLAN_FLAG_NODST, MACVLAN_MODE_BRIDGE,
                                 MACVLAN_MODE_PASSTHRU, MACVLAN_MODE_PRIVATE,
                                 MACVLAN_MODE_SOURCE, MACVLAN_MODE_VEPA, NetDevice)

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.kernel import packet as P
    from ipemu.kernel.stack import Stack

MACVLAN_KINDS = ("macvlan", "macvtap")
ALL_MODES = MACVLAN_MODE_PRIVATE | MACVLAN_MODE_VEPA | MACVLAN_MODE_BRIDGE | \
    MACVLAN_MODE_PASSTHRU
# the broadcast work queue (macvlan_broadcast_enqueue()) and a hop through the lower
BROADCAST_DELAY = 60e-6
FORWARD_DELAY = 3e-6


def is_macvlan(dev: NetDevice) -> bool:
    """netif_is_macvlan()."""
    return dev.macvlan is not None


def port_passthru(lower: NetDevice) -> bool:
    """macvlan_passthru(port): the port's one macvlan is in passthru mode."""
    return any(v.macvlan.mode == MACVLAN_MODE_PASSTHRU for v in lower.macvlans)


def addr_busy(lower: NetDevice, mac: bytes) -> bool:
    """macvlan_addr_busy(): the lower device's own address (but on a passthru port),
    or the address of a macvlan of the port that is open (macvlan_hash_lookup():
    macvlan_open() hashes it, macvlan_stop() unhashes it)."""
    if not port_passthru(lower) and lower.address == mac:
        return True
    return any(v.admin_up and v.address == mac for v in lower.macvlans)


def macvlan_fdb_modify(dev: NetDevice, mac: bytes, add: bool, replace: bool) -> None:
    """macvlan_fdb_add() / macvlan_fdb_del(): "unicast filter only on passthru
    devices" (EOPNOTSUPP), no replace; then dev_uc_add_excl()/dev_mc_add_excl(),
    EEXIST whatever the flags (recorded, fuzz38_uc_promisc)."""
    from ipemu.kernel.bridge import dflt_fdb_add, dflt_fdb_del
    from ipemu.kernel.errors import Errno, KernelError
    if not mac[0] & 1 and not port_passthru(dev.lower):
        raise KernelError(Errno.EOPNOTSUPP)
    if not add:
        dflt_fdb_del(dev, mac)
        return
    if replace:
        raise KernelError(Errno.EOPNOTSUPP)
    dflt_fdb_add(dev, mac, 0, excl=True)


def hash_lookup(lower: NetDevice, mac: bytes) -> NetDevice | None:
    """macvlan_hash_lookup(): the open macvlan with this MAC (only open ones are
    hashed: macvlan_open() adds them, macvlan_stop() takes them out)."""
    for vlan in lower.macvlans:
        if vlan.admin_up and vlan.address == mac:
            return vlan
    return None


def uc_promisc(lower: NetDevice) -> int:
    """The promiscuity the lower device gets from its macvlans: passthru sets it
    (dev_set_promiscuity() unless nopromisc); the others add their MACs to its unicast
    list (dev_uc_add()), which a device without IFF_UNICAST_FLT (veth, bridge, ...)
    serves by going promiscuous (__dev_set_rx_mode(), which does nothing while the
    lower is closed: its promiscuity then stays what it was when it closed, until
    dev_open() sets the rx mode again; recorded)."""
    up = [v for v in lower.macvlans if v.admin_up]
    if port_passthru(lower):
        return 0 if not up or up[0].macvlan.flags & 1 else 1
    if not lower.admin_up:
        return lower.uc_promisc_held
    if not up:
        return 0
    return 0 if lower.kind == "ether" else 1


def transfer_operstate(lower: NetDevice) -> None:
    """macvlan_device_event(NETDEV_UP/DOWN/CHANGE): netif_stacked_transfer_operstate()
    for every macvlan of the lower, open or not."""
    for vlan in list(lower.macvlans):
        vlan.netns._set_carrier(vlan, lower.carrier)


def change_mtu(lower: NetDevice) -> None:
    """macvlan_device_event(NETDEV_CHANGEMTU): macvlans larger than the lower shrink
    to it (dev_set_mtu(), announced)."""
    for vlan in list(lower.macvlans):
        if vlan.mtu > lower.mtu:
            vlan.netns.set_mtu(vlan, lower.mtu)


def macvlan_queue_xmit(stack: "Stack", dev: NetDevice, frame: "P.Frame") -> None:
    """macvlan_queue_xmit(): a bridge-mode macvlan hands multicast to the other
    bridge-mode ones and unicast for one of them straight to it (through the lower's
    receive path: dev_forward_skb(lowerdev)); everything else leaves by the lower."""
    lower = dev.lower
    lower_stack = lower.netns.stack
    if dev.macvlan.mode == MACVLAN_MODE_BRIDGE:
        if frame.dst[0] & 1:
            macvlan_broadcast(lower, frame, dev, MACVLAN_MODE_BRIDGE, xmit=True)
        else:
            dest = hash_lookup(lower, frame.dst)
            if dest is not None and dest.macvlan.mode == MACVLAN_MODE_BRIDGE:
                if lower.admin_up:          # is_skb_forwardable()
                    # dev_forward_skb(): no driver counts it on the lower device
                    # (recorded: tutorials36b_macvlan_counters, eth0's RX stays 0)
                    lower_stack.later(FORWARD_DELAY, lower_stack, "netif_rx", lower, frame, 0)
                return
    lower_stack.dev_xmit(lower, frame)


def macvlan_broadcast(lower: NetDevice, frame: "P.Frame", src: NetDevice | None,
                      mode: int, xmit: bool = False) -> None:
    """macvlan_broadcast(): a copy for each open macvlan of the port in one of these
    modes, but the sender, each counted by macvlan_count_rx() as multicast with
    skb->len + ETH_HLEN bytes: 14 more than the frame when it comes from a bridge
    port's transmit (skb->len holds the header there), the frame's length when from
    the lower's receive (recorded: tutorials36b_macvlan_counters, an ARP request
    counted 56 bytes and mcast 1). From a bridge port's transmit (macvlan_queue_xmit())
    the copies go at once, macvlan_broadcast_one()'s __dev_forward_skb() + netif_rx(),
    queued ahead of the frame's own trip out the lower; only the lower's receive goes
    through the bc_work queue (macvlan_broadcast_enqueue()). So a bridge-mode sibling
    answers an ARP request before a host behind the lower does (recorded:
    qa49_macvlan_host, the shim's reply wins, eth0p's comes second)."""
    for vlan in lower.macvlans:
        if vlan is src or not vlan.admin_up or not vlan.macvlan.mode & mode:
            continue
        if not mc_filter_passes(vlan, frame.dst):
            continue
        target = vlan.netns.stack
        target.later(FORWARD_DELAY if xmit else BROADCAST_DELAY, target, "netif_rx", vlan,
                     frame, 2 if xmit else 3)


BROADCAST = b"\xff" * 6


def mc_filter_passes(vlan: NetDevice, dst: bytes) -> bool:
    """macvlan_broadcast()'s test_bit(mc_hash(vlan, dst), vlan->mc_filter): the filter
    macvlan_set_mac_lists() fills is every bit for a promiscuous or allmulti macvlan,
    else the bits of its dev->mc addresses and of the broadcast address. (mc_hash()
    mixes in the macvlan's kernel address, so another group colliding with one of
    those, 1 in 256 a group, is chance; here only the groups themselves pass: the
    IPv6 reports, solicitations and DAD probes of another macvlan do not, recorded in
    tutorials38c_chinasem_macvlan_modes_zh.)"""
    if dst == BROADCAST or vlan.promiscuity or vlan.allmulti:
        return True
    return any(entry.addr == dst for entry in vlan.mc)


def macvlan_forward_source(lower: NetDevice, frame: "P.Frame") -> bool:
    """macvlan_forward_source(): a copy of a frame from one of a source-mode macvlan's
    listed MACs to that macvlan (if up; PACKET_HOST when addressed to it), whatever
    the frame's destination; True (consumed) when such a macvlan has `nodst`
    (recorded, fuzz42 seed 523052: red's replies to a source-mode macvlan that lists
    red's MAC reach it)."""
    consume = False
    src = bytes(frame.src)
    for vlan in lower.macvlans:
        priv = vlan.macvlan
        if priv.mode != MACVLAN_MODE_SOURCE or src not in priv.sources:
            continue
        if priv.flags & MACVLAN_FLAG_NODST:
            consume = True
        if vlan.admin_up:
            vlan.netns.stack.netif_rx(vlan, frame)
    return consume


def macvlan_handle_frame(lower: NetDevice, frame: "P.Frame") -> bool:
    """macvlan_handle_frame(), the lower device's rx handler: True when the frame was
    taken (RX_HANDLER_CONSUMED/ANOTHER), False when the lower device goes on with it
    (RX_HANDLER_PASS)."""
    if any(v.macvlan.sources for v in lower.macvlans) and \
            macvlan_forward_source(lower, frame):
        return True
    if frame.dst[0] & 1:
        src = hash_lookup(lower, frame.src)
        if src is not None and src.macvlan.mode not in (MACVLAN_MODE_VEPA,
                                                        MACVLAN_MODE_BRIDGE):
            # forward to original port (a private/passthru one's own frame, hairpinned)
            src.netns.stack.netif_rx(src, frame)
            return True
        # macvlan_process_broadcast()
        if src is None:
            modes = ALL_MODES                     # from an external address
        elif src.macvlan.mode == MACVLAN_MODE_VEPA:
            modes = MACVLAN_MODE_VEPA | MACVLAN_MODE_BRIDGE
        else:
            modes = MACVLAN_MODE_VEPA             # bridge ports saw it on the way out
        macvlan_broadcast(lower, frame, src, modes)
        return False
    if port_passthru(lower):
        vlan = lower.macvlans[0]
    else:
        vlan = hash_lookup(lower, frame.dst)
    if vlan is None or vlan.macvlan.mode == MACVLAN_MODE_SOURCE:
        return False
    if vlan.admin_up:
        # RX_HANDLER_ANOTHER, as the macvlan, with skb->pkt_type = PACKET_HOST: a
        # passthru macvlan takes frames to any MAC up its stack (recorded:
        # tutorials39_peering_icmp6_noroute, an echo to 00:11:22:33:44:55 routed there)
        if frame.dst != vlan.address:
            frame = replace(frame, pkt_host=True)
        vlan.netns.stack.netif_rx(vlan, frame)
    return True
