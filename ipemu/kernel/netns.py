"""One network namespace: its devices, addresses, routing tables, rules, sysctls and
listeners, as data (struct net), and the ids it gives other namespaces.

What the kernel does with a namespace is split as the kernel splits it, one part a
file, each a class of methods that NetNamespace is made of:

    dev.py           devices: create, delete, move, up/down, carrier, veth, bridge, VLAN
    devinet.py       IPv4 addresses and the routes they bring
    addrconf.py      IPv6 addresses, DAD, router solicitation
    fib_frontend.py  user routes, tables, source address selection
    fib_rules.py     policy rules and the lookup through them
    sysctl.py        net.ipv4 / net.ipv6 sysctls
    neigh.py         neighbour tables and proxy entries
    rtnetlink.py     records for dumps, notifications for listeners

The operations mirror rtnetlink requests and raise KernelError like the kernel.
"""
from __future__ import annotations

try:        # the C module bisect.py re-exports (the .py's search and run: ~0.1 ms a start)
    import _bisect as bisect
except ImportError:     # pragma: no cover - a Python without the accelerator
    import bisect

from ipemu.kernel.clock import VirtualClock
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import NetDevice
from ipemu.kernel.rtnetlink import Rtnetlink
from ipemu.kernel.sysctl import NetSysctl, SysctlDict, default_sysctls
from ipemu.plainclass import dataclass, field

# the parts a restored namespace needs before anything else (its __restore__, the
# dumps), and the rest in the class's order, imported on first use (_complete())
_PARTS = (("ipemu.kernel.rtnetlink", "Rtnetlink"), ("ipemu.kernel.neigh", "NeighProxies"),
          ("ipemu.kernel.sysctl", "NetSysctl"), ("ipemu.kernel.dev", "Dev"),
          ("ipemu.kernel.devinet", "Devinet"), ("ipemu.kernel.addrconf", "Addrconf"),
          ("ipemu.kernel.fib_frontend", "FibFrontend"),
          ("ipemu.kernel.fib_rules", "FibRules"), ("ipemu.kernel.mcast", "Igmp"))


def _complete() -> bool:
    """NetNamespace made of all its parts (False when it already was): the parts not
    imported yet (the routing tables, addresses, neighbours: ~30 modules' worth
    that `ip link show` never needs) join its bases, as the class statement would
    have put them. No two parts define a name (tests/test_startup.py), so each
    method is the one it would be in any order."""
    if _LazyParts not in NetNamespace.__bases__:
        return False
    import sys
    parts = []
    for module, name in _PARTS:
        __import__(module)
        parts.append(getattr(sys.modules[module], name))
    NetNamespace.__bases__ = tuple(parts)
    # the names the methods below use once the parts are there (a device comes and
    # goes only through dev.py's: never before this)
    from ipemu.kernel import fib, fib_rules, mcast
    globals().update(FibTable=fib.FibTable, TABLE_LOCAL=fib.TABLE_LOCAL,
                     TABLE_MAIN=fib.TABLE_MAIN, default_rules=fib_rules.default_rules,
                     mc_register=mcast.mc_register)
    return True


# bound by _complete() (fib, fib_rules and mcast load with the parts)
FibTable = TABLE_LOCAL = TABLE_MAIN = default_rules = mc_register = None


class _LazyPartsType(type):
    def __getattr__(cls, name: str):
        # a part's method looked up on the class; not a dunder (a probe: no part has
        # one) nor a field (plainclass looks for their defaults)
        if name.startswith("__") or "NetNamespace" not in globals() or \
                name in NetNamespace.__annotations__ or not _complete():
            raise AttributeError(name)
        return getattr(cls, name)


class _LazyParts(metaclass=_LazyPartsType):
    """The parts of NetNamespace not imported yet: the first look-up of a name the
    class does not have yet completes it (_complete())."""

    def __getattr__(self, name: str):
        if name.startswith("__") or not _complete():
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        return getattr(self, name)


@dataclass
class NetNamespace(Rtnetlink, NetSysctl, _LazyParts):
    """One network namespace (struct net): its state as fields; what the kernel does
    with it lives in the parts it is made of, one file each, as the kernel splits it."""

    name: str
    clock: VirtualClock
    rng: object         # the host's random.Random (or state.LazyRandom, restored)
    devices: dict[int, NetDevice] = field(default_factory=dict)
    next_ifindex: int = 1
    # the ifi_index an RTM_NEWLINK asked for, with the name it is for, while the driver
    # registers that device (rtnl_create_link(): dev->ifindex = ifm->ifi_index)
    want_ifindex: tuple | None = None
    tables: dict[tuple[int, int], "FibTable"] = field(default_factory=dict)
    rules: dict[int, list["Rule"]] = field(default_factory=dict)
    sysctls: dict[str, str] = field(default_factory=default_sysctls)
    # the devices ipv4_devconf_setall() marked (an IPv4 address was added): every conf
    # value counts as set, so a later write to conf/default no longer reaches them
    devconf_set: dict[str, bool] = field(default_factory=dict)
    # peernet2id(): the ids this namespace gives others, by the other's name
    nsids: dict[str, int] = field(default_factory=dict)
    # net->ipv4.fib_has_custom_rules: set for good by the first IPv4 rule added or
    # deleted (fib_unmerge() splits local from main then)
    fib_has_custom_rules: bool = False
    # net->ipv4.fib_has_custom_local_routes: set for good by the first IPv4 route of
    # type local added through rtnetlink (inet_rtm_newroute()); fib_validate_source()
    # checks the way back in full from then on
    fib_has_custom_local_routes: bool = False
    # netns_vrf add_fib_rules spent: the first vrf here added the l3mdev rules
    vrf_rules_added: bool = False
    host: object = field(default=None, repr=False)     # the Host it belongs to
    _stack: object = field(default=None, repr=False)   # packet paths, made on first use
    # what differs between kernel versions (the profile's [kernel] table)
    kernel: dict = field(default_factory=dict)
    # rtnetlink listeners (`ip monitor`): objects whose notify(rtm, record) the kernel
    # calls at the moment it sends a notification
    listeners: list = field(default_factory=list)
    # proxy neighbour entries (pneigh_table of arp and nd): (family, address, ifindex),
    # in the order they were added
    pneigh: list = field(default_factory=list)
    # next-hop exceptions (fib_nh_exception) learnt from ICMP frag-needed and
    # redirects: the destination -> {"mtu": path MTU or 0, "gw": new gateway or "",
    # "expires": when}
    nh_exceptions: dict[str, dict] = field(default_factory=dict)
    # ns_common.inum (proc_alloc_inum()), given when first asked (Host.ns_inum())
    inum: int = 0
    # net->ipv6.seg6_data->tun_src: the SRv6 encapsulation's source (`ip sr tunsrc`)
    seg6_tunsrc: bytes = bytes(16)
    # nexthop objects (ipemu/kernel/nexthop.py), by id in id order
    nexthops: dict = field(default_factory=dict)
    # the pcpu route (rt6i_pcpu) each IPv6 nexthop object's fib6_nh holds, by the
    # nexthop's id: (the table and seq of the route whose lookup made it, the
    # fib6_sernum() then, the nexthop then); one CPU's (kernel/fib.py pcpu_owner6())
    nh6_pcpu: dict = field(default_factory=dict)
    # net->ipv6.ip6addrlbl_table as (prefix, prefixlen, ifindex, label) in list order;
    # None until first changed: the default table (kernel/addrlabel.py)
    addrlabels: list | None = None
    # the tc actions of the namespace's action table (act_mirred.TcAction), each bound
    # to the filter that made it
    tc_actions: list = field(default_factory=list)
    # a vxlan device was ever here: only then may a lower device's groups include a
    # vxlan's (mcast._vxlan_groups() scans the devices: not for every link-up)
    vxlan_seen: bool = False
    # the vxlan devices whose UDP socket lives here (vxlan->net is this namespace),
    # wherever the devices themselves are now: a device moved to another namespace
    # still sends and receives here (vxlan x-netns); see vxlan.socket_devices()
    vxlan_socks: list = field(default_factory=list)
    # net->ipv6.ip6_fib_timer: when the IPv6 FIB's garbage collector runs next (None:
    # not pending); fib6_start_gc() sets it for a route that expires
    fib6_gc_at: float | None = None
    # net->xfrm: the IPsec policies and their tables (kernel/xfrm.py), None until
    # first used
    xfrm: object = None
    # net's pm_nl_pernet: the MPTCP path manager's endpoints and limits
    # (kernel/mptcp_pm.py), None until first used
    mptcp_pm: object = None
    # the neighbour parms' times as the kernel keeps them, in jiffies (NEIGH_VAR()),
    # where their sysctl text loses precision: {sysctl key: (its text, jiffies)}
    # (tools/sysctl.py neigh_jiffies()), None until first kept
    neigh_jiffies: object = None
    # net's ioam6_pernet_data: IOAM namespaces and schemas (kernel/ioam6.py), None
    # until first used
    ioam6: object = None

    # the name map (dev_get_by_name()'s name hash) and the ifindex order, rebuilt on
    # restore; dev.py keeps them as devices come, go and are renamed
    __transient__ = ("_names", "_ifindex_order", "_nh_saddr", "_autojoin6")

    def __post_init__(self) -> None:
        _complete()         # a new namespace: all of it from the start
        self.__restore__()
        # IPv6 has its main and local tables from the start; IPv4 creates a table on
        # first use (fib_new_table), and creating local creates main with it
        self.table(6, TABLE_LOCAL, create=True)
        self.table(6, TABLE_MAIN, create=True)
        self.rules[4] = default_rules(4)
        self.rules[6] = default_rules(6)
        self.create_device("lo", "loopback", address=bytes(6), broadcast=bytes(6))

    @property
    def stack(self):
        """The packet paths (created on first use: `ip` alone never needs them)."""
        if self._stack is None:
            from ipemu.kernel.stack import Stack
            self._stack = Stack(self)
        return self._stack

    # ------------------------------------------------------------------ lookups
    def __restore__(self) -> None:
        # whether a device may hold a multicast IPv6 address (autojoin6()): None, look
        self._autojoin6: bool | None = None
        if self.__dict__.get("nh6_pcpu") is None:
            self.nh6_pcpu = {}
        # the sysctls as a SysctlDict (conf()'s answers kept in its memo: sysctl.py)
        if not isinstance(self.sysctls, SysctlDict):
            self.sysctls = SysctlDict(self.sysctls)
        # the name hash: each device's name and its alternative names (name nodes)
        self._names: dict[str, NetDevice] = {d.name: d for d in self.devices.values()}
        for d in self.devices.values():
            self._names.update((alt, d) for alt in d.altnames)
        self._ifindex_order: list[NetDevice] | None = None
        # an IPv4 gateway nexthop's source and scope as its fib_info keeps them, by
        # (ifindex, gateway) (FibFrontend.nh_source4())
        self._nh_saddr: dict[tuple, list] = {}

    def by_name(self, name: str) -> NetDevice | None:
        return self._names.get(name)

    def by_index(self, ifindex: int | None) -> NetDevice | None:
        return self.devices.get(ifindex) if ifindex is not None else None

    def device_list(self) -> list[NetDevice]:
        """The devices in ifindex order (a copy)."""
        if self._ifindex_order is None:
            self._ifindex_order = [self.devices[i] for i in sorted(self.devices)]
        return list(self._ifindex_order)

    def _list_netdevice(self, dev: NetDevice) -> None:
        """list_netdevice(): the device joins the index and name maps."""
        FibTable.genid += 1         # a route's device may now resolve: lookups change
        self.devices[dev.ifindex] = dev
        if dev.vxlan is not None:
            self.vxlan_seen = True
        self._names[dev.name] = dev
        self._names.update((alt, dev) for alt in dev.altnames)
        order = self._ifindex_order
        if order is not None:
            # kept in ifindex order as devices come (a new one usually at the end)
            if not order or order[-1].ifindex < dev.ifindex:
                order.append(dev)
            else:
                bisect.insort_right(order, dev, key=_ifindex)   # bisect.insort
        mc_register(self, dev)      # ipv6_add_dev(): ff01::1 and ff02::1

    def _unlist_netdevice(self, dev: NetDevice) -> None:
        """unlist_netdevice()."""
        FibTable.genid += 1
        if self.devices.get(dev.ifindex) is dev:
            del self.devices[dev.ifindex]
            order = self._ifindex_order
            if order is not None:
                at = bisect.bisect_left(order, dev.ifindex, key=_ifindex)
                if at < len(order) and order[at] is dev:
                    del order[at]
                else:
                    self._ifindex_order = None
        for name in (dev.name, *dev.altnames):
            if self._names.get(name) is dev:
                del self._names[name]

    def _renamed(self, dev: NetDevice, old: str) -> None:
        if self._names.get(old) is dev:
            del self._names[old]
        self._names[dev.name] = dev

    def set_peer_id(self, other: "NetNamespace", nsid: int) -> None:
        """RTM_NEWNSID: an id chosen by hand."""
        self.new_nsid(other, nsid)

    def new_nsid(self, other: "NetNamespace", nsid: int) -> None:
        """rtnl_net_newid(): one id per peer, each id once; a negative id asks the
        kernel to choose."""
        if other.name in self.nsids:
            raise KernelError(Errno.EEXIST, "Peer netns already has a nsid assigned")
        if nsid < 0:
            self.peer_id(other, alloc=True)
            return
        if nsid in self.nsids.values():
            raise KernelError(Errno.EEXIST, "The specified nsid is already used")
        self.nsids[other.name] = nsid
        self.notify_nsid(nsid, other.name)

    def peer_id(self, other: "NetNamespace", alloc: bool = False) -> int | None:
        """peernet2id(): this namespace's id for another one (allocated on demand,
        the lowest free one, as alloc_netid()'s idr does)."""
        key = other.name
        if key not in self.nsids and alloc:
            used = set(self.nsids.values())
            n = 0
            while n in used:
                n += 1
            self.nsids[key] = n
            self.notify_nsid(n, key)
        return self.nsids.get(key)

    def ns_by_id(self, nsid: int) -> "NetNamespace | None":
        """get_net_ns_by_id(): the namespace this one knows by that id."""
        if nsid < 0 or self.host is None:
            return None
        name = next((n for n, i in self.nsids.items() if i == nsid), None)
        return self.host.namespaces.get(name) if name is not None else None

    def notify_nsid(self, nsid: int, name: str, deleted: bool = False) -> None:
        """rtnl_net_notifyid(): RTM_NEWNSID when this namespace gives another an id
        (by hand or on demand), RTM_DELNSID when that one goes."""
        if self.listeners:
            from ipemu.kernel.records import RTM, NsidMsg
            self._notify(RTM.DELNSID if deleted else RTM.NEWNSID, NsidMsg(nsid, name))


def _ifindex(dev: NetDevice) -> int:
    return dev.ifindex
