"""Bonding (Linux 6.1 drivers/net/bonding/bond_main.c, bond_netlink.c, bond_options.c):
a master device whose slaves carry its frames. The bond takes its first slave's MAC and
gives it to every slave after (bond_enslave()); active-backup sends and receives on
one active slave only, balance-rr sends on each slave in turn; its carrier is on while
a slave's link is up (bond_set_carrier()).

The link monitor (miimon) polls every 100 ms on a real kernel; here a slave's link
follows its carrier at once. The recording machine's kernel has no bonding driver:
this follows the sources only."""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import BondPriv, BondSlave, IFF, NetDevice, own_list
from ipemu.kernel.requests import KindData, LinkRequest

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.kernel import packet as P
    from ipemu.kernel.netns import NetNamespace
    from ipemu.kernel.stack import Stack

BOND_MODE_ROUNDROBIN = 0
BOND_MODE_ACTIVEBACKUP = 1
BOND_MODE_BROADCAST = 3
BOND_MODE_8023AD = 4
BOND_MODE_TLB = 5
BOND_MODE_ALB = 6
ETH_ALEN = 6
# IFLA_BOND_* attributes bond_changelink() applies, in its order, as BondPriv fields
CHANGELINK_ORDER = ("mode", "active_slave", "miimon", "updelay", "downdelay",
                    "peer_notify_delay", "use_carrier", "arp_interval", "arp_ip_target",
                    "ns_ip6_target", "arp_validate", "arp_all_targets", "primary",
                    "primary_reselect", "fail_over_mac", "xmit_hash_policy", "resend_igmp",
                    "num_peer_notif", "all_slaves_active", "min_links", "lp_interval",
                    "packets_per_slave", "lacp_active", "lacp_rate", "ad_select",
                    "ad_user_port_key", "ad_actor_sys_prio", "ad_actor_system",
                    "tlb_dynamic_lb", "missed_max")
# bond_opts[]: options only a bond without slaves (NOSLAVES) or down (IFDOWN) takes
NOSLAVES = {"mode"}
IFDOWN = {"mode", "tlb_dynamic_lb"}


def bond_validate(req: LinkRequest) -> None:
    """bond_validate(): a given address must be a valid Ethernet one."""
    if req.address is not None:
        if len(req.address) != ETH_ALEN:
            raise KernelError(Errno.EINVAL)
        if req.address[0] & 1 or req.address == bytes(ETH_ALEN):
            raise KernelError(Errno.EADDRNOTAVAIL)


def bond_newlink(ns: "NetNamespace", dest: "NetNamespace", req: LinkRequest) -> NetDevice:
    """bond_newlink(): bond_changelink() with the options, register, carrier off."""
    from ipemu.kernel.drivers import _created, alloc_name
    dev = dest.create_device(alloc_name(dest, req.ifname, "bond"), "bond",
                             address=req.address, mtu=req.mtu, announce=False)
    dev.bond = BondPriv()
    try:
        bond_changelink(dest, dev, req)
    except KernelError:
        dest.unregister(dev, notify_link=False)
        raise
    dest.announce_netconf(_created(dev, req))
    return dev


def bond_changelink(ns: "NetNamespace", dev: NetDevice, req: LinkRequest) -> None:
    """bond_changelink(): each option given, in the kernel's order; miimon and ARP
    monitoring exclude each other (bond_option_arp_interval_set() and
    bond_option_miimon_set() turn the other off)."""
    data = req.linkinfo.data if req.linkinfo is not None else None
    if not isinstance(data, KindData):
        return
    bond = dev.bond
    given = dict(data.attrs)
    if given.get("arp_interval") and given.get("miimon"):
        raise KernelError(Errno.EINVAL, "ARP monitoring cannot be used with MII monitoring")
    for name in CHANGELINK_ORDER:
        if name not in given:
            continue
        value = given[name]
        if name in NOSLAVES and dev.ports:
            raise KernelError(Errno.ENOTEMPTY)
        if name in IFDOWN and dev.admin_up:
            raise KernelError(Errno.EBUSY)
        if name == "active_slave":
            _set_active_slave(ns, dev, value)
        elif name == "primary":
            slave = ns.by_index(value)
            bond.primary = slave.name if slave is not None else ""
        elif name == "miimon":
            bond.miimon = value
            if value:
                bond.arp_interval = 0
        elif name == "arp_interval":
            bond.arp_interval = value
            if value:
                bond.miimon = 0
        elif name in ("arp_ip_target", "ns_ip6_target"):
            setattr(bond, name, list(value))
        elif name in ("updelay", "downdelay", "peer_notify_delay"):
            # kept as a count of miimon intervals: what is not a multiple rounds down
            setattr(bond, name, value // bond.miimon * bond.miimon if bond.miimon else 0)
        elif hasattr(bond, name):
            setattr(bond, name, value)


def _set_active_slave(ns: "NetNamespace", dev: NetDevice, ifindex: int) -> None:
    """bond_option_active_slave_set(): only in active-backup; a slave of this bond."""
    bond = dev.bond
    if bond.mode != BOND_MODE_ACTIVEBACKUP:
        raise KernelError(Errno.EINVAL)
    if not ifindex:
        bond.active = None
        return
    slave = ns.by_index(ifindex)
    if slave is None or slave not in dev.ports:
        raise KernelError(Errno.EINVAL)
    if slave.bond_slave.link_up:
        bond.active = slave


def bond_enslave(ns: "NetNamespace", bond_dev: NetDevice, slave: NetDevice) -> None:
    """bond_enslave(): refused for the bond itself, a device already someone's
    (netdev_is_rx_handler_busy()) or one that is up; the first slave gives the bond
    its MAC (a random one only), every slave takes the bond's MTU and MAC, is opened,
    linked as SLAVE, and the bond's carrier follows."""
    if slave is bond_dev:
        raise KernelError(Errno.EPERM, "Cannot enslave bond to itself.")
    if slave.master is not None or slave.macvlans or slave.kind == "loopback":
        raise KernelError(Errno.EBUSY, "Device is in use and cannot be enslaved")
    if slave.admin_up:
        raise KernelError(Errno.EPERM, "Device can not be enslaved while up")
    bond = bond_dev.bond
    if not bond_dev.ports and bond_dev.addr_assign_random:
        ns.set_address(bond_dev, slave.address)       # bond_set_dev_addr(): STOLEN
    slave.bond_slave = BondSlave(slave.address, perm_mtu=slave.mtu)
    if slave.mtu != bond_dev.mtu:
        ns.set_mtu(slave, bond_dev.mtu)
    if not bond.fail_over_mac or bond.mode != BOND_MODE_ACTIVEBACKUP:
        if slave.address != bond_dev.address:
            ns.set_address(slave, bond_dev.address)
    slave.master = bond_dev
    own_list(bond_dev, "ports").append(slave)
    # bond_compute_features(): the smallest TSO limit of the slaves
    bond_dev.tso_max_size = min(p.tso_max_size for p in bond_dev.ports)
    ns.set_up(slave, True)                             # dev_open(slave_dev)
    slave.bond_slave.link_up = _link_ok(bond, slave)
    if bond.mode == BOND_MODE_ACTIVEBACKUP and bond.active is None and \
            slave.bond_slave.link_up:
        bond.active = slave                            # bond_select_active_slave()
    ns.notify_link(slave)                              # IFF_SLAVE, IFLA_MASTER
    bond_set_carrier(ns, bond_dev)


def bond_release(ns: "NetNamespace", bond_dev: NetDevice, slave: NetDevice) -> None:
    """__bond_release_one(): unlinked, a new active slave chosen if it was the
    active one, closed, its MAC and MTU given back; a bond left without slaves loses
    its carrier and takes a random MAC."""
    bond = bond_dev.bond
    record = slave.bond_slave
    bond_dev.ports.remove(slave)
    slave.master = None
    slave.bond_slave = None
    if bond.active is slave:
        bond.active = next((s for s in bond_dev.ports if s.bond_slave.link_up), None)
    ns.notify_link(slave)
    if not bond_dev.ports:
        bond_set_carrier(ns, bond_dev)
        ns.set_address(bond_dev, ns.random_mac())      # eth_hw_addr_random()
        bond_dev.addr_assign_random = True
    if slave.admin_up:
        ns.set_up(slave, False)
    if not bond.fail_over_mac or bond.mode != BOND_MODE_ACTIVEBACKUP:
        if slave.address != record.perm_hwaddr:
            ns.set_address(slave, record.perm_hwaddr)
    if slave.mtu != record.perm_mtu:
        ns.set_mtu(slave, record.perm_mtu)
    bond_set_carrier(ns, bond_dev)


def _link_ok(bond: BondPriv, slave: NetDevice) -> bool:
    """bond_check_dev_link(): with a link monitor, the slave's carrier while running;
    without one every slave counts as up."""
    if not bond.miimon and not bond.arp_interval:
        return True
    return slave.admin_up and slave.carrier


def bond_slave_changed(ns: "NetNamespace", slave: NetDevice) -> None:
    """bond_miimon_inspect()/commit() of one slave: its link follows its carrier; an
    active-backup bond picks a new active slave when its own goes (and takes the first
    that comes back when it has none)."""
    bond_dev = slave.master
    bond = bond_dev.bond
    up = _link_ok(bond, slave)
    record = slave.bond_slave
    if up == record.link_up:
        return
    record.link_up = up
    if not up:
        record.link_failure_count += 1
        if bond.active is slave:
            bond.active = next((s for s in bond_dev.ports if s.bond_slave.link_up), None)
    elif bond.mode == BOND_MODE_ACTIVEBACKUP and bond.active is None:
        bond.active = slave
    bond_set_carrier(bond_dev.netns, bond_dev)


def bond_set_carrier(ns: "NetNamespace", bond_dev: NetDevice) -> None:
    """bond_set_carrier(): on while one slave's link is up (802.3ad: min_links of
    them); nothing changes while the bond is down."""
    up = [s for s in bond_dev.ports if s.bond_slave.link_up]
    want = len(up) >= max(bond_dev.bond.min_links, 1) \
        if bond_dev.bond.mode == BOND_MODE_8023AD else bool(up)
    if bond_dev.carrier != want:
        ns._set_carrier(bond_dev, want)


def slave_state(bond_dev: NetDevice, slave: NetDevice) -> int:
    """bond_slave_state(): BOND_STATE_ACTIVE (0) or BACKUP (1); only active-backup
    (and the ALB/TLB modes) has backups."""
    bond = bond_dev.bond
    if bond.mode == BOND_MODE_ACTIVEBACKUP and bond.active is not slave:
        return 1
    return 0


def bond_xmit(stack: "Stack", bond_dev: NetDevice, frame: "P.Frame") -> None:
    """bond_start_xmit(): active-backup on the active slave, broadcast on all, the
    other modes on each up slave in turn (bond_xmit_roundrobin())."""
    bond = bond_dev.bond
    up = [s for s in bond_dev.ports if s.bond_slave.link_up and s.admin_up]
    if bond.mode == BOND_MODE_ACTIVEBACKUP:
        targets = [bond.active] if bond.active is not None else []
    elif bond.mode == BOND_MODE_BROADCAST:
        targets = up
    elif up:
        targets = [up[bond.rr_tx_counter % len(up)]]
        bond.rr_tx_counter += 1
    else:
        targets = []
    if not targets:
        bond_dev.stats.tx_dropped += 1
        return
    for slave in targets:
        slave.netns.stack.dev_xmit(slave, frame)


def bond_handle_frame(stack: "Stack", slave: NetDevice, frame: "P.Frame") -> None:
    """bond_handle_frame(): an inactive slave's frames stop there
    (RX_HANDLER_EXACT: no protocol takes them); the others go up as the bond's."""
    bond_dev = slave.master
    if slave_state(bond_dev, slave) == 1 and not bond_dev.bond.all_slaves_active:
        return
    stack.netif_rx(bond_dev, frame)
