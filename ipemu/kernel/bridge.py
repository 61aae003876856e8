"""Bridge ports (net/bridge/): their STP states (br_private.h BR_STATE_*: the kernel
decides them, printers only map the number to its name, iproute2's port_states[]) and
the settings `bridge link set` changes (br_setport())."""
from __future__ import annotations

from ipemu.kernel.enums import int_enum

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import NetDevice
from ipemu.plainclass import dataclass, replace


@int_enum
class BrState:
    DISABLED = 0
    LISTENING = 1
    LEARNING = 2
    FORWARDING = 3
    BLOCKING = 4


@dataclass(frozen=True)
class BrPortConf:
    """A port's settings (struct net_bridge_port: priority, path cost, BR_* flags,
    multicast_router) as a new port gets them (new_nbp(): learning and flooding on,
    multicast router 1 = temporary query)."""

    priority: int = 32
    cost: int = 2
    hairpin: bool = False
    guard: bool = False
    root_block: bool = False
    fastleave: bool = False
    learning: bool = True
    flood: bool = True
    mcast_flood: bool = True
    bcast_flood: bool = True
    mcast_router: int = 1
    mcast_to_unicast: bool = False
    neigh_suppress: bool = False
    vlan_tunnel: bool = False
    isolated: bool = False
    locked: bool = False
    learning_sync: bool = False


# br_private.h limits
BR_MAX_PORT_PRIORITY = 63
BR_MAX_PATH_COST = 65535


# the kinds whose driver reports no link speed to __ethtool_get_link_ksettings() (or,
# tun, SPEED_10): their ports cost 100
_SLOW_OR_NO_SPEED = frozenset({"dummy", "ifb", "gre", "gretap", "ip6gre",
                               "ip6gretap", "ipip", "sit", "ip6tnl", "geneve", "vrf"})
_SPEED_OF_LOWER = frozenset({"vlan", "macvlan", "macvtap", "ipvlan", "ipvtap"})


def port_cost(dev: NetDevice) -> int:
    """port_cost(): a new port's path cost from its speed (a veth's 10000 Mb/s is 2;
    no speed or SPEED_UNKNOWN is 100); stacked devices report their lower's."""
    if dev.kind in _SPEED_OF_LOWER and dev.lower is not None:
        return port_cost(dev.lower)
    if dev.kind == "vxlan":
        # vxlan_get_link_ksettings(): the lower device's speed, else SPEED_UNKNOWN
        link = dev.vxlan.link if dev.vxlan is not None else 0
        lower = dev.netns.by_index(link) if link else None
        return port_cost(lower) if lower is not None else 100
    # tun/tap: tun_default_link_ksettings() reports SPEED_10000 since "net: tun: bump
    # the link speed from 10Mbps to 10Gbps" (6.2; recorded: a tap port's cost 2)
    return 100 if dev.kind in _SLOW_OR_NO_SPEED else 2


def port_state(port: NetDevice) -> BrState:
    """A bridge port without STP forwards as soon as it and its bridge are up with
    carrier (br_make_forwarding()); otherwise it is disabled. With kernel STP it
    listens and learns first (kernel/br_stp.py)."""
    br = port.master
    forwarding = port.admin_up and port.carrier and br.admin_up
    if not forwarding:
        return BrState.DISABLED
    stp = br.br_stp
    if stp is not None:
        state = stp.state_of(port)
        if state is not None:
            return BrState(state)
    return BrState.FORWARDING


def br_setport(dev: NetDevice, changes: dict, state: int | None = None) -> None:
    """rtnl_bridge_setlink() -> br_setlink() with IFLA_PROTINFO: a bridge port takes
    its flags, cost, priority and state; a device without a bridge above it (the
    bridge itself too) is refused."""
    if dev.master is None or dev.master.kind != "bridge":
        raise KernelError(Errno.EOPNOTSUPP)
    router = changes.get("mcast_router")
    if router is not None and router not in (0, 1, 2, 3):
        raise KernelError(Errno.EINVAL)       # br_multicast_set_port_router()
    cost = changes.get("cost")
    if cost is not None and not 1 <= cost <= BR_MAX_PATH_COST:
        raise KernelError(Errno.ERANGE)       # br_stp_set_path_cost()
    priority = changes.get("priority")
    if priority is not None and priority > BR_MAX_PORT_PRIORITY:
        raise KernelError(Errno.ERANGE)       # br_stp_set_port_priority()
    if state is not None:
        # br_set_port_state(): a known state, on a port that runs (and is up, but to
        # disable it)
        if state > BrState.BLOCKING:
            raise KernelError(Errno.EINVAL)
        if dev.master.br_conf.get("stp_state", 0) == 1:
            raise KernelError(Errno.EBUSY)      # kernel STP runs: not by hand
        if not dev.admin_up or (not dev.carrier and state != BrState.DISABLED):
            raise KernelError(Errno.ENETDOWN)
    dev.brport = replace(dev.brport or BrPortConf(), **changes)


# ------------------------------------------------------------------ the FDB
NUD_REACHABLE, NUD_NOARP, NUD_PERMANENT = 0x02, 0x40, 0x80


def br_fdb_add(br: NetDevice, port: NetDevice, mac: bytes, state: int, excl: bool) -> None:
    """__br_fdb_add() -> fdb_add_entry(): a user entry on a port, local (PERMANENT),
    static (NOARP) or dynamic; an existing one is refused with EXCL, else takes the new
    state (it stays where it is in the list)."""
    if mac[0] & 1 or mac == bytes(6):
        raise KernelError(Errno.EINVAL)         # is_valid_ether_addr()
    if mac in br.fdb:
        if excl:
            raise KernelError(Errno.EEXIST)
    br.fdb[mac] = port
    br.fdb_state[mac] = NUD_PERMANENT if state & NUD_PERMANENT else \
        NUD_NOARP if state & NUD_NOARP else NUD_REACHABLE


def br_fdb_delete(br: NetDevice, port: NetDevice, mac: bytes) -> None:
    """fdb_delete_by_addr_and_port(): the entry of that port, else ENOENT."""
    if br.fdb.get(mac) is not port:
        raise KernelError(Errno.ENOENT)
    del br.fdb[mac]
    br.fdb_state.pop(mac, None)


def dflt_fdb_add(dev: NetDevice, mac: bytes, state: int) -> None:
    """ndo_dflt_fdb_add(): a permanent address on the device's own unicast or
    multicast list, not there yet (dev_uc_add_excl(), dev_mc_add_excl(): a global
    entry, `static` in ip maddr)."""
    from ipemu.kernel.mcast import HwMcAddr
    if state and not state & NUD_PERMANENT:
        raise KernelError(Errno.EINVAL)
    if not mac[0] & 1:
        if mac in dev.uc:
            raise KernelError(Errno.EEXIST)
        dev.uc.append(mac)
        return
    if any(entry.addr == mac for entry in dev.mc):
        raise KernelError(Errno.EEXIST)
    dev.mc.append(HwMcAddr(mac, 1, global_use=True))


def dflt_fdb_del(dev: NetDevice, mac: bytes) -> None:
    """ndo_dflt_fdb_del(): dev_uc_del() / dev_mc_del(): one user less of the address,
    whoever holds it (the last one takes it off the list)."""
    if not mac[0] & 1:
        if mac not in dev.uc:
            raise KernelError(Errno.ENOENT)
        dev.uc.remove(mac)
        return
    for entry in dev.mc:
        if entry.addr == mac:
            entry.refcount -= 1
            if not entry.refcount:
                dev.mc.remove(entry)
            return
    raise KernelError(Errno.ENOENT)


def _self_entries(ns, dev: NetDevice) -> list:
    """ndo_dflt_fdb_dump(): the device's unicast, then multicast addresses."""
    from ipemu.kernel.mcast import mc_sync
    from ipemu.kernel.records import FdbMsg
    mc_sync(ns, dev)
    return [FdbMsg(dev.ifindex, mac, None, NUD_PERMANENT) for mac in dev.uc] + \
        [FdbMsg(dev.ifindex, e.addr, None, NUD_PERMANENT) for e in dev.mc]


def _bridge_entries(br: NetDevice, port: NetDevice | None) -> list:
    """br_fdb_dump(): the bridge's entries of one port (or its own, port None), newest
    first: learned and user entries, then the ports' local addresses (added when they
    joined), then the bridge's own address when no port has it."""
    from ipemu.kernel.records import FdbMsg
    out = []
    if port is not None:
        for mac in reversed(list(br.fdb)):
            if br.fdb[mac] is port:
                out.append(FdbMsg(port.ifindex, mac, None, br.fdb_state.get(mac, NUD_REACHABLE),
                                  self_flag=False, master=br.ifindex))
        if port.address not in br.fdb:
            out.append(FdbMsg(port.ifindex, port.address, None, NUD_PERMANENT,
                              self_flag=False, master=br.ifindex))
    elif br.address != bytes(6) and not any(p.address == br.address for p in br.ports):
        out.append(FdbMsg(br.ifindex, br.address, None, NUD_PERMANENT, self_flag=False,
                          master=br.ifindex))
    return out


def fdb_dump(ns) -> list:
    """rtnl_fdb_dump(): each device in turn: a bridge port's entries from its bridge
    (the master's ndo_fdb_dump()), then its own (ndo_fdb_dump(), else
    ndo_dflt_fdb_dump()); a bridge's own entries after its addresses (br_fdb_dump())."""
    from ipemu.kernel.vxlan import fdb_dump as vxlan_dump
    vxlan = vxlan_dump(ns)
    out = []
    for dev in ns.device_list():
        if dev.master is not None and dev.master.kind == "bridge":
            out += _bridge_entries(dev.master, dev)
        if dev.vxlan is not None:
            out += [m for m in vxlan if m.ifindex == dev.ifindex]
        elif dev.kind == "bridge":
            out += _self_entries(ns, dev) + _bridge_entries(dev, None)
        else:
            out += _self_entries(ns, dev)
    return out


AF_BRIDGE = 7


def br_ifinfo_notify(ns, port: NetDevice, rtm=None, iflink: int | None = None) -> None:
    """br_ifinfo_notify() -> br_fill_ifinfo(): a port's AF_BRIDGE link message (to
    RTNLGRP_LINK): its name, master, MTU, operstate, address and IFLA_LINK, without the
    qdisc, group, queue length or broadcast address rtnl_fill_ifinfo() adds."""
    if not ns.listeners:
        return
    from ipemu.kernel.records import RTM, link_msg
    msg = replace(link_msg(ns, port, iflink=iflink), family=AF_BRIDGE, qdisc=None, group=None,
                  broadcast=None, link_netnsid=None, kind=None, info_data=None,
                  slave_kind=None, slave_data=None, ifalias=None, altnames=())
    ns._notify(rtm or RTM.NEWLINK, msg)


def br_add_if_notify(ns, br: NetDevice, port: NetDevice, first: bool) -> None:
    """The messages br_add_if() sends before the bridge id is recomputed, as recorded
    (transcripts/monitor/bridge_ports): two RTM_NEWLINKs of the port with its master
    (one is NETDEV_CHANGEUPPER's, rtnetlink_event()), the bridge's `event FEATURE
    CHANGE` when its first port changes its features (netdev_update_features()), and
    for a port that is up with carrier on an up bridge the AF_BRIDGE messages of
    br_make_forwarding() and br_stp_enable_port()."""
    if not ns.listeners:
        return
    ns._notify_link(port)
    ns._notify_link(port)
    if first:
        ns._notify_link(br, event="FEATURE CHANGE")
    if port.running and br.admin_up:
        br_ifinfo_notify(ns, port)
        br_ifinfo_notify(ns, port)
    br_ifinfo_notify(ns, port)          # the end of br_add_if()


def br_del_if_notify(ns, port: NetDevice, registered: bool,
                     iflink: int | None = None) -> None:
    """del_nbp() before the port is unlinked: an RTM_NEWLINK of the port (recorded;
    none while it is being unregistered: rtmsg_ifinfo_event() skips it), the AF_BRIDGE
    message of br_stp_disable_port() and the AF_BRIDGE RTM_DELLINK."""
    if not ns.listeners:
        return
    if registered:
        ns._notify_link(port)
    from ipemu.kernel.records import RTM
    br_ifinfo_notify(ns, port, iflink=iflink)
    br_ifinfo_notify(ns, port, RTM.DELLINK, iflink=iflink)
