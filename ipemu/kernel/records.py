"""What the kernel answers with: plain, immutable records of what an rtnetlink message
carries (RTM_NEWLINK, RTM_NEWADDR, RTM_NEWROUTE), filled from live kernel objects at
the moment the kernel sends them (rtnl_fill_ifinfo(), inet_fill_ifaddr(),
inet6_fill_ifaddr(), fib_dump_info()/rt6_fill_node()).

Printers take these and nothing else: a name for an ifindex comes from the tool's own
cache of link records (iproute2's ll_map), never from the kernel's objects.
"""
from __future__ import annotations

from ipemu.kernel import Later
from ipemu.kernel.enums import int_enum, int_flag

from ipemu.kernel.bridge import BrPortConf, BrState, port_state
from ipemu.kernel.netdev import IFF, LinkStats, NetDevice
from ipemu.plainclass import dataclass, fields, make_dataclass

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:           # annotations only: a link's record needs no address or route
    import ipaddress

    from ipemu.kernel.addr import Ifa4, Ifa6
    from ipemu.kernel.fib import Route

# addr.INFINITY_LIFE_TIME (include/net/addrconf.h), here too so that the link records
# load without the address module
INFINITY_LIFE_TIME = 0xFFFFFFFF


# fib's names a route's record looks at (fib, and the ipaddress it brings, load on the
# first look-up: a link's record needs neither)
RTN = Later("ipemu.kernel.fib", "RTN", globals())
Scope = Later("ipemu.kernel.fib", "Scope", globals())


@int_enum
class RTM:
    """Message types (<linux/rtnetlink.h>): what a notification is."""

    NEWLINK = 16
    DELLINK = 17
    NEWADDR = 20
    DELADDR = 21
    NEWROUTE = 24
    DELROUTE = 25
    NEWNEIGH = 28
    DELNEIGH = 29
    NEWRULE = 32
    DELRULE = 33
    NEWNETCONF = 80
    DELNETCONF = 81


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


@int_flag
class RTNH_F:
    """rtm_flags / rtnh_flags of a route's nexthop."""

    DEAD = 0x01
    PERVASIVE = 0x02
    ONLINK = 0x04
    OFFLOAD = 0x08
    LINKDOWN = 0x10




# ------------------------------------------------------------------------ links
# struct rtnl_link_stats64 as sent: every counter the device keeps (netdev.LinkStats),
# frozen, and IFLA_CARRIER_CHANGES with them
Stats64 = make_dataclass(
    "Stats64", [(f.name, int, 0) for f in fields(LinkStats)] + [("carrier_changes", int, 0)],
    frozen=True)
Stats64.__module__ = __name__
Stats64.__doc__ = "struct rtnl_link_stats64 as sent (netdev.LinkStats), and IFLA_CARRIER_CHANGES."


@dataclass(frozen=True)
class BridgeInfo:
    """IFLA_INFO_DATA of a bridge (br_fill_info()): the ids as priority and MAC."""

    bridge_id: bytes            # 2 bytes priority + 6 bytes address
    root_id: bytes
    forward_delay: int = 1500   # clock_t, as br_fill_info() sends them
    hello_time: int = 200
    max_age: int = 2000
    ageing_time: int = 30000
    stp_state: int = 0
    priority: int = 32768
    mcast_snooping: int = 1     # IFLA_BR_MCAST_SNOOPING


@dataclass(frozen=True)
class VlanInfo:
    """IFLA_INFO_DATA of a VLAN device (vlan_fill_info())."""

    protocol: int
    id: int
    flags: tuple[str, ...]
    ingress_qos: tuple[tuple[int, int], ...] = ()
    egress_qos: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class MacvlanInfo:
    """IFLA_INFO_DATA of a macvlan/macvtap (macvlan_fill_info()): mode, flags and the
    broadcast queue's length asked for and used."""

    mode: int
    flags: int
    bc_queue_len: int
    bc_queue_len_used: int


@dataclass(frozen=True)
class TunInfo:
    """IFLA_INFO_DATA of a tun/tap (tun_fill_info()): the IFLA_TUN_* values; owner and
    group only when set (-1: not sent)."""

    type: int                  # IFF_TUN or IFF_TAP
    pi: bool
    vnet_hdr: bool
    multi_queue: bool
    persist: bool
    num_queues: int = 0
    num_disabled_queues: int = 0
    owner: int = -1
    group: int = -1


@dataclass(frozen=True)
class VxlanInfo:
    """IFLA_INFO_DATA of a vxlan (vxlan_fill_info()): the configuration as sent; the
    lower device by index (0: none)."""

    vni: int
    remote: object
    local: object
    link: int
    port_range: tuple[int, int]
    port: int
    learning: bool
    proxy: bool
    rsc: bool
    l2miss: bool
    l3miss: bool
    tos: int
    ttl: int
    ttl_inherit: bool
    df: int
    label: int
    ageing: int
    limit: int
    udp_csum: bool
    udp_zero_csum6_tx: bool
    udp_zero_csum6_rx: bool
    remcsum_tx: bool
    remcsum_rx: bool
    external: bool
    gbp: bool
    gpe: bool


@dataclass(frozen=True)
class VrfInfo:
    """IFLA_INFO_DATA of a vrf (vrf_fillinfo()), and IFLA_INFO_SLAVE_DATA of a device
    enslaved to one (vrf_fill_slave_info()): the table."""

    table: int


@dataclass(frozen=True)
class BondInfo:
    """IFLA_INFO_DATA of a bond (bond_fill_info()): the attributes sent, in its order,
    as (name, value) pairs (active_slave and primary as ifindexes, only when set)."""

    attrs: tuple[tuple[str, object], ...]

    def get(self, name: str, default=None):
        return dict(self.attrs).get(name, default)


@dataclass(frozen=True)
class BondSlaveInfo:
    """IFLA_INFO_SLAVE_DATA of a bond's slave (bond_fill_slave_info())."""

    state: int                  # BOND_STATE_ACTIVE 0, BACKUP 1
    mii_status: int             # BOND_LINK_UP 0, BOND_LINK_DOWN 2
    link_failure_count: int
    perm_hwaddr: bytes
    queue_id: int = 0
    prio: int = 0


@dataclass(frozen=True)
class IpvlanInfo:
    """IFLA_INFO_DATA of an ipvlan/ipvtap (ipvlan_nl_fillinfo()): the port's mode and
    flags."""

    mode: int
    flags: int


@dataclass(frozen=True)
class TunnelInfo:
    """IFLA_INFO_DATA of an IP tunnel: ipgre_fill_info() / erspan_fill_info() (GRE
    kinds) or ipip_fill_info() / ipip6_fill_info() (ipip, sit), as the parameters."""

    kind: str
    link: int
    local: object
    remote: object
    ttl: int
    tos: int
    pmtudisc: bool
    protocol: int
    iflags: int = 0
    oflags: int = 0
    ikey: int = 0
    okey: int = 0
    fwmark: int = 0
    ignore_df: bool = False
    collect_md: bool = False
    encap: tuple = (0, 0, 0, 0)
    isatap: bool = False
    ip6rd: tuple = ()
    erspan_ver: int | None = None
    erspan_index: int | None = None
    erspan_dir: int | None = None
    erspan_hwid: int | None = None


@dataclass(frozen=True)
class BridgePortInfo:
    """IFLA_INFO_SLAVE_DATA of a bridge port (br_port_fill_attrs())."""

    state: BrState
    port_no: int
    designated_bridge: bytes    # 2 bytes priority + 6 bytes address
    conf: BrPortConf = BrPortConf()   # priority, cost and flags


@dataclass(frozen=True)
class LinkMsg:
    """An RTM_NEWLINK / RTM_DELLINK message (rtnl_fill_ifinfo())."""

    ifindex: int
    ifname: str
    flags: IFF
    mtu: int
    qdisc: str
    operstate: str
    group: int
    txqlen: int
    link_type: str               # ifi_type, as iproute2 names it ("ether", "loopback")
    address: bytes
    broadcast: bytes
    link: int | None = None      # IFLA_LINK: None when not sent (iflink == ifindex)
    link_netnsid: int | None = None
    master: int | None = None    # IFLA_MASTER
    promiscuity: int = 0
    allmulti: int = 0
    min_mtu: int = 0
    max_mtu: int = 0
    num_tx_queues: int = 1
    num_rx_queues: int = 1
    tso_max_size: int = 0
    kind: str | None = None      # IFLA_INFO_KIND
    info_data: BridgeInfo | VlanInfo | MacvlanInfo | TunInfo | VxlanInfo | VrfInfo | object \
        | None = None
    slave_kind: str | None = None
    slave_data: BridgePortInfo | VrfInfo | object | None = None
    stats: Stats64 = Stats64()
    new_netnsid: int | None = None   # IFLA_NEW_NETNSID: a DELLINK of a device moving away
    new_ifindex: int | None = None   # IFLA_NEW_IFINDEX: its index there
    ifalias: str | None = None       # IFLA_IFALIAS: sent only when an alias is set
    altnames: tuple[str, ...] = ()   # IFLA_PROP_LIST's IFLA_ALT_IFNAMEs
    family: int = 0                  # ifi_family: AF_BRIDGE (7) for br_fill_ifinfo()'s
    event: str | None = None         # IFLA_EVENT as iproute2 names it ("FEATURE CHANGE")
    addrgenmode: str = "eui64"       # IFLA_AF_SPEC: IFLA_INET6_ADDR_GEN_MODE


LINKINFO_KINDS = ("veth", "bridge", "dummy", "vlan", "macvlan", "macvtap", "tun", "vxlan",
                  "vrf", "bond", "ipvlan", "ipvtap", "gre", "gretap", "erspan", "ipip", "sit")


def _bridge_id(mac: bytes, priority: int = 32768) -> bytes:
    return priority.to_bytes(2, "big") + mac


def link_msg(ns, dev: NetDevice, *, iflink: int | None = None) -> LinkMsg:
    """rtnl_fill_ifinfo() for `dev` as seen from namespace `ns`. Filling the message
    allocates the peer namespace's id when the link is elsewhere (rtnl_fill_link_netnsid()
    calls peernet2id_alloc()). `iflink` overrides IFLA_LINK (0 while a veth has no peer
    yet, or has lost it)."""
    if iflink is None and dev.kind == "veth" and dev.peer is None:
        iflink = 0          # veth_get_iflink(): no peer (yet)
    link = dev.iflink if iflink is None else iflink
    linked = dev.linked
    netnsid = None
    if iflink is None and linked is not None and linked.netns is not ns:
        netnsid = ns.peer_id(linked.netns, alloc=True)
    link_net = dev.vxlan.link_net if dev.vxlan is not None else None
    if iflink is None and link_net is not None and link_net is not dev.netns:
        # rtnl_fill_link_netnsid(): a link namespace other than the device's own sends
        # IFLA_LINK_NETNSID and forces IFLA_LINK (its own ifindex here: `vxlan10@if4`)
        netnsid = ns.peer_id(link_net, alloc=True)
        link = dev.iflink
    master = dev.master
    info_data = None
    if dev.kind == "bridge":
        conf = dev.br_conf
        bid = _bridge_id(dev.address if dev.ports else bytes(6), conf.get("priority", 32768))
        info_data = BridgeInfo(bid, bid, **conf)
    elif dev.kind == "vlan":
        info_data = VlanInfo(dev.vlan.vlan_proto, dev.vlan.vlan_id, tuple(dev.vlan.flags),
                             tuple(tuple(m) for m in dev.vlan.ingress_qos),
                             tuple(tuple(m) for m in dev.vlan.egress_qos))
    elif dev.macvlan is not None:
        # bc_queue_len_used: the largest asked for by a macvlan of the port
        used = max(v.macvlan.bc_queue_len for v in dev.lower.macvlans) \
            if dev.lower is not None and dev.lower.macvlans else dev.macvlan.bc_queue_len
        info_data = MacvlanInfo(dev.macvlan.mode, dev.macvlan.flags,
                                dev.macvlan.bc_queue_len, used)
    elif dev.vxlan is not None:
        c = dev.vxlan
        info_data = VxlanInfo(c.vni, c.remote, c.local, c.link, c.port_range, c.port,
                              c.learning, c.proxy, c.rsc, c.l2miss, c.l3miss, c.tos, c.ttl,
                              c.ttl_inherit, c.df, c.label, c.ageing, c.limit, c.udp_csum,
                              c.udp_zero_csum6_tx, c.udp_zero_csum6_rx, c.remcsum_tx,
                              c.remcsum_rx, c.external, c.gbp, c.gpe)
    elif dev.tun is not None:
        f = dev.tun.flags
        info_data = TunInfo(f & 3, not f & 0x1000, bool(f & 0x4000), bool(f & 0x0100),
                            bool(f & 0x0800), owner=dev.tun.owner, group=dev.tun.group)
    elif dev.vrf_table is not None:
        info_data = VrfInfo(dev.vrf_table)
    else:
        from ipemu.kernel.kinds_info import kind_info
        info_data = kind_info(ns, dev)
    slave_data = None
    if master is not None and master.kind == "bridge":
        slave_data = BridgePortInfo(port_state(dev), master.ports.index(dev) + 1,
                                    _bridge_id(master.address,
                                               master.br_conf.get("priority", 32768)),
                                    dev.brport or BrPortConf())
    elif master is not None:
        from ipemu.kernel.kinds_info import slave_info
        slave_data = slave_info(ns, master, dev)
    tso = dev.tso_max_size
    if dev.kind == "bridge" and dev.ports:
        tso = min(p.info.tso_max_size for p in dev.ports)
    promisc = dev.promiscuity
    if dev.macvlans:
        from ipemu.kernel.macvlan import uc_promisc
        promisc += uc_promisc(dev)
    return LinkMsg(
        ifindex=dev.ifindex, ifname=dev.name, flags=dev.flags, mtu=dev.mtu,
        qdisc=dev.qdisc, operstate=dev.operstate, group=dev.group, txqlen=dev.txqlen,
        link_type=dev.info.link_type, address=dev.address, broadcast=dev.broadcast,
        # a peer elsewhere may share the device's own index: still a link
        link=None if iflink is None and linked is None and dev.tnl is None
        and netnsid is None else link,
        link_netnsid=netnsid, master=master.ifindex if master is not None else None,
        promiscuity=promisc, allmulti=dev.allmulti, min_mtu=dev.info.min_mtu,
        max_mtu=dev.info.max_mtu, num_tx_queues=dev.info.numtxqueues,
        num_rx_queues=dev.info.numrxqueues, tso_max_size=tso,
        kind=dev.kind if dev.kind in LINKINFO_KINDS else None, info_data=info_data,
        slave_kind=f"{master.kind}_slave" if master is not None else None,
        slave_data=slave_data,
        # the counters are ints: their fields as they are (asdict() deep-copies each)
        stats=Stats64(**vars(dev.stats), carrier_changes=dev.carrier_changes),
        ifalias=dev.ifalias or None, altnames=tuple(dev.altnames),
        addrgenmode=dev.addrgenmode)


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

    @property
    def peer(self):
        """The peer of a point-to-point address: IFA_ADDRESS when it differs."""
        return self.address if self.address is not None and self.address != self.local \
            else None


def addr_msg(dev: NetDevice, ifa: Ifa4 | Ifa6, now: float = 0.0) -> AddrMsg:
    """`now` (the clock's time) counts the lifetimes down (ifa_lifetimes())."""
    from ipemu.kernel.addr import Ifa4, ifa_lifetimes
    valid, preferred = ifa_lifetimes(ifa, now)
    flags = IFA_F(0)
    if ifa.valid_lft == INFINITY_LIFE_TIME:
        flags |= IFA_F.PERMANENT
    if ifa.deprecated:
        flags |= IFA_F.DEPRECATED
    if isinstance(ifa, Ifa4):
        flags |= IFA_F.SECONDARY if ifa.secondary else 0
        if ifa.noprefixroute:
            flags |= IFA_F.NOPREFIXROUTE
        if ifa.autojoin:
            flags |= IFA_F.MCAUTOJOIN
        return AddrMsg(4, dev.ifindex, ifa.prefixlen, flags, ifa.scope, ifa.local,
                       ifa.address, ifa.broadcast, ifa.label, ifa.metric, valid, preferred)
    # `permanent` of an Ifa6 says "added by hand" (when it is announced: addrconf.py);
    # the kernel's IFA_F_PERMANENT is the link-local address's too
    for name, bit in (("nodad", IFA_F.NODAD), ("dadfailed", IFA_F.DADFAILED),
                      ("tentative", IFA_F.TENTATIVE), ("noprefixroute", IFA_F.NOPREFIXROUTE),
                      ("home", IFA_F.HOMEADDRESS), ("mngtmpaddr", IFA_F.MANAGETEMPADDR),
                      ("autojoin", IFA_F.MCAUTOJOIN)):
        if getattr(ifa, name):
            flags |= bit
    return AddrMsg(6, dev.ifindex, ifa.prefixlen, flags, ifa.scope, ifa.address,
                   ifa.peer if ifa.peer is not None else ifa.address, metric=ifa.metric,
                   valid_lft=valid, preferred_lft=preferred)


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


def _nexthop_linkdown(ns, route: Route) -> bool:
    """RTNH_F_LINKDOWN: the nexthop's device is up without carrier (local routes and
    IPv4 host-scope ones never carry it)."""
    dev = ns.by_index(route.oif)
    return dev is not None and dev.admin_up and not dev.carrier and route.type not in (
        RTN.LOCAL,) and not (route.family == 4 and route.scope == Scope.HOST)


# rtm_flags by (onlink, linkdown), made once (an IntFlag's call or | costs most of a
# microsecond, and every route printed takes one)
_NH_FLAGS = {(o, d): (RTNH_F.ONLINK if o else RTNH_F(0)) | (RTNH_F.LINKDOWN if d else RTNH_F(0))
             for o in (False, True) for d in (False, True)}


def route_msg(ns, route: Route) -> RouteMsg:
    flags = _NH_FLAGS[bool(route.onlink), bool(_nexthop_linkdown(ns, route))]
    if route.nexthops:
        # fib_dump_info() / rt6_fill_node(): the nexthops in RTA_MULTIPATH, each with
        # its own flags
        hops = tuple(RtnhMsg(h.gateway, h.oif, h.weight,
                             RTNH_F.ONLINK if h.onlink else RTNH_F(0), h.flow)
                     for h in route.nexthops)
        return RouteMsg(route.dst, route.table, route.type, route.protocol, route.scope,
                        route.priority, route.tos, route.prefsrc, None, None, RTNH_F(0),
                        route.pref, hops, route.nhid, 0, route.metrics)
    # rt6_fill_node(): rt->expires - jiffies, sent in clock ticks (jiffies_to_clock_t())
    expires = int((route.expires - ns.clock.now) * 100) if route.expires is not None else 0
    return _route_msg((route.dst, route.table, route.type, route.protocol, route.scope,
                       route.priority, route.tos, route.prefsrc, route.gateway, route.oif,
                       flags, route.pref, (), route.nhid, expires, route.metrics,
                       route.flow))


_ROUTE_MSG_FIELDS = ("dst", "table", "type", "protocol", "scope", "priority", "tos",
                     "prefsrc", "gateway", "oif", "flags", "pref", "multipath", "nhid",
                     "expires", "metrics", "flow")


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
    master: int | None = None     # NDA_MASTER: the bridge of a bridge's entry


def neigh_msg(n, now: float | None = None, held: int = 0) -> NeighMsg:
    """neigh_fill_info(); with `now`, NDA_CACHEINFO and NDA_PROBES too. The entry's
    references beyond the table's: its armed timer, and `held` ones (neigh_get() holds
    one while it answers)."""
    if now is None:
        return NeighMsg(n.addr.version, n.ifindex, n.addr, int(n.state), n.lladdr, n.router,
                        protocol=n.protocol)

    def clock_t(since: float) -> int:   # jiffies_to_clock_t(now - since)
        return int((now - since) * 100 + 1e-6)

    info = NdaCacheinfo(clock_t(n.used), clock_t(n.confirmed), clock_t(n.updated),
                        (n.timer is not None) + held)
    return NeighMsg(n.addr.version, n.ifindex, n.addr, int(n.state), n.lladdr, n.router,
                    info, n.probes, n.protocol)
