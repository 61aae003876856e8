"""The kernel's records of addresses, routes, netconf and neighbours (RTM_NEWADDR,
RTM_NEWROUTE, RTM_NEWNETCONF, RTM_NEWNEIGH), filled from live kernel objects at the
moment the kernel sends them (inet_fill_ifaddr(), inet6_fill_ifaddr(),
fib_dump_info()/rt6_fill_node(), inet_netconf_fill_devconf(), neigh_fill_info()).

Apart from ipemu/kernel/records.py (the links' records, and RTM) so that a line that
only lists links builds none of these classes (~3 M instructions of a one-shot
start); records.py answers for their names too.
"""
from __future__ import annotations

from ipemu.kernel import Later
from ipemu.kernel.enums import int_flag
from ipemu.kernel.netdev import NetDevice
from ipemu.kernel.records import INFINITY_LIFE_TIME
from ipemu.plainclass import dataclass

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:           # annotations only
    import ipaddress

    from ipemu.kernel.addr import Ifa4, Ifa6
    from ipemu.kernel.fib import Route

# fib's names a route's record looks at (fib, and the ipaddress it brings, load on the
# first look-up: an address's record needs neither)
RTN = Later("ipemu.kernel.fib", "RTN", globals())
Scope = Later("ipemu.kernel.fib", "Scope", globals())


@int_flag
class IFA_F:
    """ifa_flags / IFA_FLAGS (<linux/if_addr.h>)."""

    SECONDARY = 0x01
    NODAD = 0x02
    OPTIMISTIC = 0x04
    DADFAILED = 0x08
    HOMEADDRESS = 0x10
    DEPRECATED = 0x20
    TENTATIVE = 0x40
    PERMANENT = 0x80
    MANAGETEMPADDR = 0x100
    NOPREFIXROUTE = 0x200
    MCAUTOJOIN = 0x400
    STABLE_PRIVACY = 0x800


@int_flag
class RTNH_F:
    """rtm_flags / rtnh_flags of a route's nexthop."""

    DEAD = 0x01
    PERVASIVE = 0x02
    ONLINK = 0x04
    OFFLOAD = 0x08
    LINKDOWN = 0x10


# -------------------------------------------------------------------- addresses
@dataclass(frozen=True)
class AddrMsg:
    """An RTM_NEWADDR / RTM_DELADDR message (inet_fill_ifaddr(), inet6_fill_ifaddr())."""

    family: int                  # 4 or 6
    ifindex: int
    prefixlen: int
    flags: IFA_F
    scope: int
    local: ipaddress.IPv4Address | ipaddress.IPv6Address
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None  # IFA_ADDRESS
    broadcast: ipaddress.IPv4Address | None = None
    label: str | None = None     # IFA_LABEL (IPv4 only)
    metric: int = 0              # IFA_RT_PRIORITY
    valid_lft: int = INFINITY_LIFE_TIME
    preferred_lft: int = INFINITY_LIFE_TIME
    proto: int = 0               # IFA_PROTO (IFAPROT_KERNEL_LO/_RA/_LL: 1/2/3), sent when set
    tstamp: float = 0.0          # IFA_CACHEINFO's cstamp/tstamp: when set (clock seconds)

    @property
    def peer(self):
        """The peer of a point-to-point address: IFA_ADDRESS when it differs."""
        return self.address if self.address is not None and self.address != self.local \
            else None


_PERMANENT, _DEPRECATED, _SECONDARY = int(IFA_F.PERMANENT), int(IFA_F.DEPRECATED), \
    int(IFA_F.SECONDARY)
_NOPREFIXROUTE, _MCAUTOJOIN = int(IFA_F.NOPREFIXROUTE), int(IFA_F.MCAUTOJOIN)
# an Ifa6's fields and the IFA_F bit each stands for
_IFA6_BITS = tuple((name, int(bit)) for name, bit in (
    ("nodad", IFA_F.NODAD), ("dadfailed", IFA_F.DADFAILED), ("tentative", IFA_F.TENTATIVE),
    ("noprefixroute", IFA_F.NOPREFIXROUTE), ("home", IFA_F.HOMEADDRESS),
    ("mngtmpaddr", IFA_F.MANAGETEMPADDR), ("autojoin", IFA_F.MCAUTOJOIN),
    ("stable_privacy", IFA_F.STABLE_PRIVACY), ("optimistic", IFA_F.OPTIMISTIC),
    ("temporary", IFA_F.SECONDARY)))


def addr_msg(dev: NetDevice, ifa: Ifa4 | Ifa6, now: float = 0.0) -> AddrMsg:
    """`now` (the clock's time) counts the lifetimes down (ifa_lifetimes())."""
    from ipemu.kernel.addr import Ifa4, ifa_lifetimes
    valid, preferred = ifa_lifetimes(ifa, now)
    # the flag bits as an int, one IFA_F at the end (each | of a flag is a Python call)
    bits = _PERMANENT if ifa.valid_lft == INFINITY_LIFE_TIME else 0
    if ifa.deprecated:
        bits |= _DEPRECATED
    if isinstance(ifa, Ifa4):
        if ifa.secondary:
            bits |= _SECONDARY
        if ifa.noprefixroute:
            bits |= _NOPREFIXROUTE
        if ifa.autojoin:
            bits |= _MCAUTOJOIN
        # inet_fill_ifaddr(): IFA_BROADCAST only when it is not 0.0.0.0
        broadcast = ifa.broadcast if ifa.broadcast is not None and int(ifa.broadcast) else None
        return AddrMsg(4, dev.ifindex, ifa.prefixlen, IFA_F(bits), ifa.scope, ifa.local,
                       ifa.address, broadcast, ifa.label, ifa.metric, valid, preferred,
                       ifa.proto, ifa.tstamp)
    # `permanent` of an Ifa6 says "added by hand" (when it is announced: addrconf.py);
    # the kernel's IFA_F_PERMANENT is the link-local address's too
    for name, bit in _IFA6_BITS:
        if getattr(ifa, name):
            bits |= bit
    flags = IFA_F(bits)
    return AddrMsg(6, dev.ifindex, ifa.prefixlen, flags, ifa.scope, ifa.address,
                   ifa.peer if ifa.peer is not None else ifa.address, metric=ifa.metric,
                   valid_lft=valid, preferred_lft=preferred, proto=ifa.proto,
                   tstamp=ifa.tstamp)


# ----------------------------------------------------------------------- routes
@dataclass(frozen=True)
class RouteMsg:
    """An RTM_NEWROUTE / RTM_DELROUTE message (fib_dump_info(), rt6_fill_node())."""

    dst: ipaddress.IPv4Network | ipaddress.IPv6Network
    table: int
    type: RTN
    protocol: int
    scope: int
    priority: int = 0
    tos: int = 0
    prefsrc: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None
    gateway: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None
    oif: int | None = None
    flags: RTNH_F = RTNH_F(0)
    pref: str = "medium"
    multipath: tuple["RtnhMsg", ...] = ()   # RTA_MULTIPATH (gateway and oif then absent)
    nhid: int | None = None                 # RTA_NH_ID
    expires: int = 0                        # RTA_CACHEINFO rta_expires: clock ticks left
                                            # (USER_HZ 100; negative once past, 0: none)
    metrics: tuple = ()                     # RTA_METRICS: (name, value, locked)
    flow: int = 0                           # RTA_FLOW (realms), sent when not 0
    encap: object = None                    # RTA_ENCAP(_TYPE): lwtunnel_fill_encap()

    @property
    def family(self) -> int:
        return self.dst.version

    @property
    def onlink(self) -> bool:
        return bool(self.flags & RTNH_F.ONLINK)

    @property
    def linkdown(self) -> bool:
        return bool(self.flags & RTNH_F.LINKDOWN)


@dataclass(frozen=True)
class RtnhMsg:
    """One struct rtnexthop of RTA_MULTIPATH: RTA_GATEWAY, rtnh_ifindex, the weight
    (rtnh_hops + 1) and rtnh_flags."""

    gateway: ipaddress.IPv4Address | ipaddress.IPv6Address | None
    oif: int | None
    weight: int = 1
    flags: RTNH_F = RTNH_F(0)
    flow: int = 0                           # RTA_FLOW inside it
    encap: object = None                    # RTA_ENCAP inside it


def _nexthop_linkdown(ns, route: Route) -> bool:
    """RTNH_F_LINKDOWN: the nexthop's device is up without carrier (local routes and
    IPv4 host-scope ones never carry it). The carrier is the one NETDEV_CHANGE last
    told the fib of: while linkwatch holds a bridge's carrier loss, a route dump
    shows its routes as before (recorded: tutorials41e_netns_move_edges)."""
    dev = ns.by_index(route.oif)
    return dev is not None and (dev.admin_up or dev.closing_linkdown) \
        and not ((dev.lw_fib_carrier if dev.lw_held and
                  (route.family, route.table, route.seq) in dev.lw_fib_routes
                  else dev.carrier)
                 or dev.carrier_opening) \
        and route.type not in (RTN.LOCAL,) \
        and not (route.family == 4 and route.scope == Scope.HOST) \
        and not (dev.linkdown_cleared and route.family == 4
                 and (route.table, route.seq) in dev.linkdown_cleared)


def _hop_linkdown(ns, oif: int | None, route: Route | None = None) -> bool:
    """RTNH_F_LINKDOWN of one nexthop of RTA_MULTIPATH: its device without carrier,
    or down (then dead too: _hop_dead()), or dead since its last address went."""
    dev = ns.by_index(oif) if oif is not None else None
    return dev is not None and not (dev.admin_up and dev.carrier) or (
        route is not None and _hop_dead(ns, oif, route))


def _hop_dead(ns, oif: int | None, route: Route | None = None) -> bool:
    """RTNH_F_DEAD of one nexthop: fib_sync_down_dev() (NETDEV_DOWN) marks the
    nexthops through a device that went down, fib_sync_up() clears it at NETDEV_UP
    (the route dies once every nexthop is dead: _flush_routes_of()); an IPv6
    sibling's stays until the device has carrier again (NetDevice.dead6)."""
    dev = ns.by_index(oif) if oif is not None else None
    if dev is None:
        return False
    if not dev.admin_up:
        return True
    if route is not None and route.family == 4:
        return bool(dev.dead4) and (route.table, route.seq) in dev.dead4
    return bool(dev.dead6) and route is not None and (route.table, route.seq) in dev.dead6


def _hop_ignored(ns, family: int, oif: int | None) -> bool:
    """fib_nexthop_info(): a linkdown nexthop of RTA_MULTIPATH whose device ignores
    such routes is reported dead too (ip_ignore_linkdown(), ip6_ignore_linkdown())."""
    dev = ns.by_index(oif) if oif is not None else None
    if dev is None:
        return False
    return ns._ignores_linkdown4(dev) if family == 4 else ns._ignores_linkdown6(dev)


def _ignores_linkdown(ns, route: Route) -> bool:
    dev = ns.by_index(route.oif)
    if route.family == 4:
        return ns._ignores_linkdown4(dev)
    return ns._ignores_linkdown6(dev)


# rtm_flags by (onlink, linkdown), made once (an IntFlag's call or | costs most of a
# microsecond, and every route printed takes one)
_NH_FLAGS = {(o, d): (RTNH_F.ONLINK if o else RTNH_F(0)) | (RTNH_F.LINKDOWN if d else RTNH_F(0))
             for o in (False, True) for d in (False, True)}


def route_msg(ns, route: Route) -> RouteMsg:
    if route.nhid is not None and ns.sysctls.get("net.ipv4.nexthop_compat_mode") is not None:
        from ipemu.kernel.nexthop import compat_mode
        if not compat_mode(ns):
            # fib_dump_info() / rt6_fill_node() without nexthop_compat_mode: RTA_NH_ID
            # alone, no device, gateway, paths or their flags
            return _route_msg((route.dst, route.table, route.type, route.protocol,
                               route.scope, route.priority, route.tos, route.prefsrc,
                               None, None, RTNH_F(0), route.pref, (), route.nhid, 0,
                               route.metrics, route.flow, None))
    linkdown = bool(_nexthop_linkdown(ns, route))
    flags = _NH_FLAGS[bool(route.onlink), linkdown]
    if linkdown and not route.nexthops and _ignores_linkdown(ns, route):
        # fib_nexthop_info(): a linkdown nexthop whose device ignores such routes is
        # reported dead too (ip_ignore_linkdown(), ip6_ignore_linkdown())
        flags |= RTNH_F.DEAD
    # rt6_fill_node(): rt->expires - jiffies, sent in clock ticks (jiffies_to_clock_t()),
    # a multipath route's too (rtnl_put_cacheinfo() follows RTA_MULTIPATH; recorded:
    # fuzz49_route6_multipath_expires)
    expires = int((route.expires - ns.clock.now) * 100) if route.expires is not None else 0
    nexthops = route.nexthops
    if not nexthops and route.nhid is not None and route.family == 6:
        from ipemu.kernel.nexthop import group_of_one6
        nexthops = group_of_one6(ns, route)
    if nexthops:
        # fib_dump_info() / rt6_fill_node(): the nexthops in RTA_MULTIPATH, each with
        # its own flags (fib_nexthop_info(): RTNH_F_LINKDOWN of a nexthop whose device
        # is up without carrier); an IPv4 route's own rtm_flags are fi->fib_flags: the
        # request's RTNH_F_ONLINK (Route.mp_onlink), RTNH_F_LINKDOWN once every nexthop
        # has it (fib_create_info(), fib_sync_down_dev(), fib_sync_up())
        downs = [_hop_linkdown(ns, h.oif, route) for h in nexthops]
        hops = tuple(RtnhMsg(h.gateway, h.oif, h.weight,
                             _NH_FLAGS[bool(h.onlink), down] |
                             (RTNH_F.DEAD if _hop_dead(ns, h.oif, route) or
                              down and _hop_ignored(ns, route.family, h.oif)
                              else RTNH_F(0)), h.flow, h.encap)
                     for h, down in zip(nexthops, downs))
        own = _NH_FLAGS[route.mp_onlink, route.family == 4 and all(downs)]
        return RouteMsg(route.dst, route.table, route.type, route.protocol, route.scope,
                        route.priority, route.tos, route.prefsrc, None, None, own,
                        route.pref, hops, route.nhid, expires, route.metrics)
    encap = route.encap
    if route.nhid is not None:      # a nexthop object's lwtstate (nexthop_compat_mode)
        from ipemu.kernel.nexthop import route_encap
        encap = route_encap(ns, route)
    return _route_msg((route.dst, route.table, route.type, route.protocol, route.scope,
                       route.priority, route.tos, route.prefsrc, route.gateway, route.oif,
                       flags, route.pref, (), route.nhid, expires, route.metrics,
                       route.flow, encap))


_ROUTE_MSG_FIELDS = ("dst", "table", "type", "protocol", "scope", "priority", "tos",
                     "prefsrc", "gateway", "oif", "flags", "pref", "multipath", "nhid",
                     "expires", "metrics", "flow", "encap")


def _route_msg(values: tuple) -> RouteMsg:
    """RouteMsg(*values) with every field given: its instance dict filled at once (a
    frozen class's __init__ sets each of its 16 fields through object.__setattr__;
    a dump of 100,000 routes makes 100,000 of them)."""
    msg = _new(RouteMsg)
    vars(msg).update(zip(_ROUTE_MSG_FIELDS, values))
    return msg


_new = object.__new__


# ---------------------------------------------------------------------- netconf
@dataclass(frozen=True)
class NetconfMsg:
    """An RTM_NEWNETCONF / RTM_DELNETCONF message (inet_netconf_fill_devconf(),
    inet6_netconf_fill_devconf()); a deletion carries only the family and index."""

    family: int
    ifindex: int
    forwarding: int | None = None
    rp_filter: int | None = None         # IPv4 only
    mc_forwarding: int | None = None
    proxy_neigh: int | None = None
    ignore_routes_with_linkdown: int | None = None


def netconf_msg(ns, dev: NetDevice | str, family: int, ifindex: int | None = None) -> NetconfMsg:
    """NETCONFA_ALL for a device, as sent when it registers; `dev` may also be "all"
    or "default" with their NETCONFA_IFINDEX_ALL / _DEFAULT index."""
    def conf(key: str) -> int:
        return int(ns.conf(family, dev, key) or 0)
    index = dev.ifindex if ifindex is None else ifindex
    return NetconfMsg(family, index, conf("forwarding"),
                      conf("rp_filter") if family == 4 else None, 0,
                      conf("proxy_arp") if family == 4 else conf("proxy_ndp"),
                      conf("ignore_routes_with_linkdown"))


# -------------------------------------------------------------------- neighbours
@dataclass(frozen=True)
class NeighMsg:
    """An RTM_NEWNEIGH / RTM_DELNEIGH message (neigh_fill_info())."""

    family: int
    ifindex: int
    dst: ipaddress.IPv4Address | ipaddress.IPv6Address
    state: int                   # NUD_* bits
    lladdr: bytes | None = None
    router: bool = False
    cacheinfo: NdaCacheinfo | None = None
    probes: int | None = None     # NDA_PROBES
    protocol: int = 0            # NDA_PROTOCOL
    managed: bool = False        # NTF_EXT_MANAGED in ndm_flags
    ext_learned: bool = False    # NTF_EXT_LEARNED


@dataclass(frozen=True)
class NdaCacheinfo:
    """struct nda_cacheinfo: ages in clock_t (USER_HZ 100) and references."""

    used: int
    confirmed: int
    updated: int
    refcnt: int


@dataclass(frozen=True)
class FdbMsg:
    """An RTM_NEWNEIGH of family PF_BRIDGE (vxlan_fdb_info()): one remote of an FDB
    entry; None for attributes not sent."""

    ifindex: int
    mac: bytes
    dst: object
    state: int                    # NUD_* bits
    self_flag: bool = True        # NTF_SELF
    router: bool = False          # NTF_ROUTER
    port: int | None = None       # NDA_PORT
    vni: int | None = None        # NDA_VNI
    via: int | None = None        # NDA_IFINDEX
    src_vni: int | None = None    # NDA_SRC_VNI
    master: int | None = None     # NDA_MASTER: the bridge of a bridge's entry
    link_netnsid: int | None = None   # NDA_LINK_NETNSID: the vxlan's socket is elsewhere
    nhid: int | None = None       # NDA_NH_ID: the entry's fdb nexthop group
    sticky: bool = False          # NTF_STICKY (fdb_fill_info(): BR_FDB_STICKY)
    ext_learned: bool = False     # NTF_EXT_LEARNED (BR_FDB_ADDED_BY_EXT_LEARN)
    vlan: int | None = None       # NDA_VLAN (rtnl_fdb_notify() of a request's VLAN)
    master_flag: bool = False     # NTF_MASTER in ndm_flags (a vxlan entry added with it)


def neigh_msg(n, now: float | None = None, held: int = 0) -> NeighMsg:
    """neigh_fill_info(); with `now`, NDA_CACHEINFO and NDA_PROBES too. The entry's
    references beyond the table's: its armed timer, and `held` ones (neigh_get() holds
    one while it answers)."""
    if now is None:
        return NeighMsg(n.addr.version, n.ifindex, n.addr, int(n.state), n.lladdr, n.router,
                        protocol=n.protocol, managed=n.managed, ext_learned=n.ext_learned)

    def clock_t(since: float) -> int:   # jiffies_to_clock_t(now - since)
        return int((now - since) * 100 + 1e-6)

    info = NdaCacheinfo(clock_t(n.used), clock_t(n.confirmed), clock_t(n.updated),
                        (n.timer is not None) + held)
    return NeighMsg(n.addr.version, n.ifindex, n.addr, int(n.state), n.lladdr, n.router,
                    info, n.probes, n.protocol, n.managed, n.ext_learned)


# ------------------------------------------------------------------ statistics
@dataclass(frozen=True)
class StatsMsg:
    """An RTM_NEWSTATS (rtnl_fill_statsinfo()) as far as it is simulated: the 64-bit
    link counters, the L3 offload request (no device here offloads, so never used),
    and which bridge extended statistics the device has (a bridge's multicast ones,
    a bridge port's multicast and STP ones, br_fill_linkxstats())."""

    ifindex: int
    ifname: str
    stats: object                   # the Stats64 of IFLA_STATS_LINK_64
    l3_stats_request: bool = False
    bridge: bool = False
    bridge_port: bool = False
