"""VRF devices (Linux 6.1 drivers/net/vrf.c, net/l3mdev/l3mdev.c): an L3 master device
bound to a routing table. Devices enslaved to it route through that table: their
connected, local and broadcast routes go there (fib_magic(), addrconf: the table is
l3mdev_fib_table()), and the l3mdev rule (priority 1000, added to the namespace with
its first vrf) sends lookups of flows on them to it.

The recording machine's kernel has no vrf driver: this follows the sources only."""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import Proto
from ipemu.kernel.netdev import NetDevice, own_list
from ipemu.kernel.requests import LinkRequest, VrfData

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.kernel.netns import NetNamespace

FIB_RULE_PREF = 1000          # include/net/l3mdev.h... vrf_fib_rule(): FRA_PRIORITY
ETH_ALEN = 6


def is_l3_master(dev: NetDevice) -> bool:
    """netif_is_l3_master()."""
    return dev.vrf_table is not None


def l3mdev_fib_table(dev: NetDevice | None) -> int:
    """l3mdev_fib_table(): a vrf's own table, an enslaved device's master's; 0 else."""
    if dev is None:
        return 0
    if dev.vrf_table is not None:
        return dev.vrf_table
    if dev.l3mdev_slave and dev.master is not None and dev.master.vrf_table is not None:
        return dev.master.vrf_table
    return 0


def vrf_validate(req: LinkRequest) -> None:
    """vrf_validate(): a given address must be a valid Ethernet one."""
    if req.address is not None:
        if len(req.address) != ETH_ALEN:
            raise KernelError(Errno.EINVAL, "Invalid hardware address")
        if req.address[0] & 1 or req.address == bytes(ETH_ALEN):
            raise KernelError(Errno.EADDRNOTAVAIL, "Invalid hardware address")


def vrf_newlink(ns: "NetNamespace", dest: "NetNamespace", req: LinkRequest) -> NetDevice:
    """vrf_newlink(): the table is required and not 0; vrf_dev_init() creates the
    IPv4 and IPv6 tables (vrf_rtable_create(), vrf_rt6_create()); the namespace's
    first vrf adds the l3mdev rules (vrf_add_fib_rules())."""
    from ipemu.kernel.drivers import _created, alloc_name
    data = req.linkinfo.data
    if not isinstance(data, VrfData) or data.table is None:
        raise KernelError(Errno.EINVAL, "VRF table id is missing")
    if data.table == 0:
        raise KernelError(Errno.EINVAL, "Invalid VRF table id")
    dev = dest.create_device(alloc_name(dest, req.ifname, "vrf"), "vrf",
                             address=req.address, mtu=req.mtu, announce=False)
    dev.vrf_table = data.table
    dev.carrier = True            # vrf_dev_init(): operstate UP, never a carrier loss
    dest.table(4, data.table, create=True)
    dest.table(6, data.table, create=True)
    dest.announce_netconf(_created(dev, req))
    if not dest.vrf_rules_added:
        add_fib_rules(dest)
        dest.vrf_rules_added = True
    return dev


def add_fib_rules(ns: "NetNamespace") -> None:
    """vrf_add_fib_rules(): an l3mdev rule (proto kernel, priority 1000) for IPv4 and
    IPv6, through fib_nl_newrule() (announced; an existing one is no error)."""
    from ipemu.kernel.fib_rules import Rule
    from ipemu.kernel.records import RTM
    for family in (4, 6):
        rules = ns.rules[family]
        if any(r.l3mdev and r.priority == FIB_RULE_PREF for r in rules):
            continue
        rule = Rule(FIB_RULE_PREF, 0, family=family, protocol=Proto.KERNEL, l3mdev=True)
        at = next((i for i, r in enumerate(rules) if r.priority > FIB_RULE_PREF), len(rules))
        rules.insert(at, rule)
        if family == 4:
            ns.fib_unmerge()                    # fib4_rule_configure()
            ns.fib_has_custom_rules = True
        ns._notify(RTM.NEWRULE, rule)


def vrf_add_slave(ns: "NetNamespace", vrf: NetDevice, port: NetDevice) -> None:
    """vrf_add_slave() / do_vrf_add_slave(): no L3 master, no device already a vrf's,
    not lo; linked as the port's master, its routes flushed (NETDEV_CHANGEUPPER:
    fib_disable_ip(force), addrconf_ifdown()) and the port cycled down and up so they
    come back in the vrf's table (cycle_netdev())."""
    if is_l3_master(port):
        raise KernelError(Errno.EINVAL, "Can not enslave an L3 master device to a VRF")
    if port.l3mdev_slave:
        raise KernelError(Errno.EINVAL)
    if port.kind == "loopback":
        raise KernelError(Errno.EOPNOTSUPP, "Can not enslave loopback device to a VRF")
    port.l3mdev_slave = True
    port.master = vrf
    own_list(vrf, "ports").append(port)
    ns.notify_link(port)          # NETDEV_CHANGEUPPER: rtmsg_ifinfo with IFLA_MASTER
    _changeupper(ns, port)


def vrf_del_slave(ns: "NetNamespace", vrf: NetDevice, port: NetDevice) -> None:
    """do_vrf_del_slave(): unlinked, then the same flush and cycle as on enslaving."""
    vrf.ports.remove(port)
    port.master = None
    port.l3mdev_slave = False
    ns.notify_link(port)
    _changeupper(ns, port)


def _changeupper(ns: "NetNamespace", port: NetDevice) -> None:
    """fib_netdev_event()/addrconf_notify() NETDEV_CHANGEUPPER with an L3 master, then
    cycle_netdev()."""
    ns._flush_routes_of(port, everything=True, family=4)
    if port.admin_up:
        ns._close(port)
        ns._open(port)
    else:
        ns.addrconf_ifdown(port)


def vrf_dellink(ns: "NetNamespace", vrf: NetDevice) -> None:
    """vrf_dellink(): every port lets go first (do_vrf_del_slave())."""
    for port in list(vrf.ports):
        vrf_del_slave(ns, vrf, port)
