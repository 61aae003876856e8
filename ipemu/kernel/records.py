"""What the kernel answers with: plain, immutable records of what an rtnetlink message
carries (RTM_NEWLINK, RTM_NEWADDR, RTM_NEWROUTE), filled from live kernel objects at
the moment the kernel sends them (rtnl_fill_ifinfo(), inet_fill_ifaddr(),
inet6_fill_ifaddr(), fib_dump_info()/rt6_fill_node()).

Printers take these and nothing else: a name for an ifindex comes from the tool's own
cache of link records (iproute2's ll_map), never from the kernel's objects.

The records of addresses, routes, netconf and neighbours (and their flags) are in
ipemu/kernel/records_more.py, and those of most kinds' own data (IFLA_INFO_DATA) in
ipemu/kernel/records_kinds.py, loaded on first use: `ip link show` builds none of
their classes. Their names are this module's too (`__getattr__`).
"""
from __future__ import annotations

from _operator import attrgetter as _attrgetter

from ipemu.kernel.enums import int_enum

from ipemu.kernel.netdev import IFF, LinkStats, NetDevice
from ipemu.plainclass import dataclass, field

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:           # annotations only: the kinds' records load on first use
    from ipemu.kernel.bridge import BrPortConf, BrState
    from ipemu.kernel.records_kinds import MacvlanInfo, TunInfo, VlanInfo, VrfInfo, VxlanInfo

# addr.INFINITY_LIFE_TIME (include/net/addrconf.h), here too so that the link records
# load without the address module
INFINITY_LIFE_TIME = 0xFFFFFFFF


class RTM(metaclass=int_enum):
    """Message types (<linux/rtnetlink.h>): what a notification is."""

    NEWLINK = 16
    DELLINK = 17
    NEWADDR = 20
    DELADDR = 21
    NEWROUTE = 24
    DELROUTE = 25
    NEWNEIGH = 28
    DELNEIGH = 29
    GETNEIGH = 30               # a miss the kernel reports (vxlan l2miss/l3miss)
    NEWRULE = 32
    DELRULE = 33
    NEWQDISC = 36
    DELQDISC = 37
    NEWTCLASS = 40
    DELTCLASS = 41
    NEWTFILTER = 44
    DELTFILTER = 45
    NEWNETCONF = 80
    DELNETCONF = 81
    NEWMDB = 84
    DELMDB = 85
    NEWNSID = 88
    DELNSID = 89
    NEWCHAIN = 100
    DELCHAIN = 101
    NEWNEXTHOP = 104
    DELNEXTHOP = 105


@dataclass(frozen=True)
class NsidMsg:
    """An RTM_NEWNSID / RTM_DELNSID message (rtnl_net_fill()): NETNSA_NSID, and the
    name of the namespace it stands for, as `ip monitor` finds it under /run/netns
    (not part of the message: empty for a namespace without one)."""

    nsid: int
    name: str = ""


# ------------------------------------------------------------------------ links
# a device's counters in LinkStats's order (a slotted class: its slots are its fields)
_counters = _attrgetter(*LinkStats.__slots__)


@dataclass(frozen=True)
class Stats64:
    """struct rtnl_link_stats64 as sent: every counter the device keeps (netdev.LinkStats,
    in its order: tests/test_startup.py holds the two together), frozen, and
    IFLA_CARRIER_CHANGES with them. (Written out: made from LinkStats's fields, it cost
    every start LinkStats's 22 Field objects.)"""

    rx_bytes: int = 0
    rx_packets: int = 0
    rx_errors: int = 0
    rx_dropped: int = 0
    rx_missed: int = 0
    rx_mcast: int = 0
    tx_bytes: int = 0
    tx_packets: int = 0
    tx_errors: int = 0
    tx_dropped: int = 0
    tx_carrier: int = 0
    tx_collisions: int = 0
    rx_length_errors: int = 0
    rx_crc_errors: int = 0
    rx_frame_errors: int = 0
    rx_fifo_errors: int = 0
    rx_over_errors: int = 0
    tx_aborted_errors: int = 0
    tx_fifo_errors: int = 0
    tx_window_errors: int = 0
    tx_heartbeat_errors: int = 0
    rx_nohandler: int = 0
    rx_otherhost_dropped: int = 0
    carrier_changes: int = 0


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
    # the other IFLA_BR_MCAST_* values br_changelink() keeps (br_multicast_init()'s
    # defaults; intervals in clock_t as br_fill_info() sends them back, at HZ 250)
    mcast_router: int = 1
    mcast_query_use_ifaddr: int = 0
    mcast_querier: int = 0
    mcast_hash_max: int = 4096
    mcast_last_member_count: int = 2
    mcast_startup_query_count: int = 2
    mcast_last_member_interval: int = 100
    mcast_membership_interval: int = 26000
    mcast_querier_interval: int = 25500
    mcast_query_interval: int = 12500
    mcast_query_response_interval: int = 1000
    mcast_startup_query_interval: int = 3124
    mcast_stats_enabled: int = 0
    mcast_igmp_version: int = 2
    mcast_mld_version: int = 1
    group_fwd_mask: int = 0                         # IFLA_BR_GROUP_FWD_MASK
    group_address: bytes = b"\x01\x80\xc2\x00\x00\x00"   # IFLA_BR_GROUP_ADDR
    nf_call_iptables: int = 0                       # IFLA_BR_NF_CALL_*
    nf_call_ip6tables: int = 0
    nf_call_arptables: int = 0
    no_linklocal_learn: int = 0                     # IFLA_BR_MULTI_BOOLOPT's NO_LL_LEARN
    # IFLA_BR_ROOT_PORT, _ROOT_PATH_COST, _TOPOLOGY_CHANGE[_DETECTED]: kernel STP's
    root_port: int = 0
    root_path_cost: int = 0
    topology_change: int = 0
    topology_change_detected: int = 0
    # IFLA_BR_HELLO_TIMER, _TCN_TIMER, _TOPOLOGY_CHANGE_TIMER, _GC_TIMER: time left
    # (br_timer_value(), clock_t)
    hello_timer: int = 0
    tcn_timer: int = 0
    topology_change_timer: int = 0
    gc_timer: int = 0


@dataclass(frozen=True)
class BridgePortInfo:
    """IFLA_INFO_SLAVE_DATA of a bridge port (br_port_fill_attrs())."""

    state: BrState
    port_no: int
    designated_bridge: bytes    # 2 bytes priority + 6 bytes address
    # priority, cost and flags (a new port's by default: the bridge module, and its
    # classes, load with the first bridge port)
    conf: BrPortConf = field(default_factory=lambda: _bridge().BrPortConf())
    # IFLA_BRPORT_HOLD_TIMER, _MESSAGE_AGE_TIMER, _FORWARD_DELAY_TIMER (clock_t)
    hold_timer: int = 0
    message_age_timer: int = 0
    forward_delay_timer: int = 0
    # kernel STP's view (kernel/bridge.py br_port_stp_fields()); None: the bridge's own
    # id and the port's own id, as br_become_designated_port() leaves them
    designated_root: bytes | None = None
    designated_port: int | None = None
    designated_cost: int = 0
    topology_change_ack: int = 0
    config_pending: int = 0


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
    gso_max_size: int = 65536
    gso_max_segs: int = 65535
    gro_max_size: int = 65536
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
    # IFLA_AF_SPEC: IFLA_INET6_ADDR_GEN_MODE; None when the device has no inet6_dev
    # (inet6_fill_link_af() adds nothing: an MTU under IPV6_MIN_MTU)
    addrgenmode: str | None = "eui64"
    proto_down: bool = False         # IFLA_PROTO_DOWN
    link_mode: int = 0               # IFLA_LINKMODE
    # IFLA_PROTINFO's IFLA_BRPORT_STATE of a port's AF_BRIDGE message, as it was when
    # the message was made (br_fill_ifinfo()); None: not sent
    protinfo_state: int | None = None


LINKINFO_KINDS = ("veth", "bridge", "dummy", "ifb", "vlan", "macvlan", "macvtap", "tun", "vxlan",
                  "vrf", "bond", "ipvlan", "ipvtap", "gre", "gretap", "erspan", "ipip", "sit")


def _bridge():
    from ipemu.kernel import bridge
    return bridge


def _br_stp_fields(dev) -> dict:
    """br_fill_info(): root port, root path cost and the topology change flags as
    kernel STP decided them (recorded: the designated root sent stays the bridge's
    own id even when another bridge is root)."""
    stp = dev.br_stp
    if stp is None or not dev.admin_up:
        return {}
    fields = {name: int(getattr(stp, name)) for name in
              ("root_port", "root_path_cost", "topology_change", "topology_change_detected")}
    if stp.topology_change and stp.on():
        # __br_set_topology_change(): br->ageing_time is twice the forward delay while
        # the change lasts (IFLA_BR_AGEING_TIME sends it, as sysfs does)
        fields["ageing_time"] = round(200 * stp.forward_delay)
    return fields


def _bridge_id(mac: bytes, priority: int = 32768) -> bytes:
    return priority.to_bytes(2, "big") + mac


class LlEntry:
    """What lib/ll_map.c's ll_remember_index() keeps of a link record (struct
    ll_cache): the index, the name and the flags its readers (ll_index_to_name(),
    ll_index_to_flags()) answer with. ll_index_to_name() of an index it does not
    know sends RTM_GETLINK and keeps this much of the answer (link_entry())."""

    __slots__ = ("ifindex", "ifname", "flags")

    def __init__(self, ifindex: int, ifname: str, flags: IFF) -> None:
        self.ifindex, self.ifname, self.flags = ifindex, ifname, flags

    def __eq__(self, other) -> bool:
        return other.__class__ is LlEntry and (self.ifindex, self.ifname, self.flags) == \
            (other.ifindex, other.ifname, other.flags)

    __hash__ = None

    def __repr__(self) -> str:
        return f"LlEntry({self.ifindex}, {self.ifname!r}, {self.flags!r})"


def link_entry(ns, dev: NetDevice, alloc_nsid: bool = True) -> LlEntry:
    """The part of link_msg(ns, dev) an ll_map entry keeps, with what filling the
    whole message does to the namespace (_fill_link_netnsid())."""
    if not (dev.info.kind == "veth" and dev.peer is None):
        _fill_link_netnsid(ns, dev, alloc_nsid)
    return LlEntry(dev.ifindex, dev.name, dev.flags)


def _fill_link_netnsid(ns, dev: NetDevice, alloc: bool = True) -> int | None:
    """rtnl_fill_link_netnsid() of a message with IFLA_LINK as the device has it:
    the id of the namespace of the device's link, allocated (peernet2id_alloc())
    when it is elsewhere; a vxlan's link namespace's instead when it is not the
    device's own. None: no IFLA_LINK_NETNSID. `alloc` False: only an id already
    there (a listener asking in the middle of a request the kernel has not
    finished)."""
    netnsid = None
    linked = dev.linked
    if linked is not None and linked.netns is not ns:
        netnsid = ns.peer_id(linked.netns, alloc=alloc)
    link_net = dev.vxlan.link_net if dev.vxlan is not None else None
    if link_net is not None and link_net is not dev.netns:
        netnsid = ns.peer_id(link_net, alloc=alloc)
    return netnsid


# the kinds with IFF_UNICAST_FLT (a NIC's, macvlan_common_setup(), vlan_setup(),
# bond_setup()): their secondary unicast addresses are filtered, not promiscuous
UNICAST_FLT_KINDS = frozenset({"ether", "macvlan", "macvtap", "vlan", "bond"})


def _uc_promisc(dev) -> int:
    """__dev_set_rx_mode() of an UP device without IFF_UNICAST_FLT: one promiscuity
    while its unicast list has addresses (dev->uc_promisc: the fdb's `self` entries of
    ndo_dflt_fdb_add(), the MACs of its macvlans), however many; a passthru macvlan's
    dev_set_promiscuity() is its own (recorded, fuzz38_uc_promisc)."""
    from_macvlans = 0
    passthru = False
    if dev.macvlans:
        from ipemu.kernel.macvlan import port_passthru, uc_promisc
        from_macvlans = uc_promisc(dev)
        passthru = port_passthru(dev)
    if passthru:
        return from_macvlans
    own = dev.admin_up and bool(dev.uc) and dev.kind not in UNICAST_FLT_KINDS
    return 1 if own or from_macvlans else 0


def link_msg(ns, dev: NetDevice, *, iflink: int | None = None,
             alloc_nsid: bool = True) -> LinkMsg:
    """rtnl_fill_ifinfo() for `dev` as seen from namespace `ns`. Filling the message
    allocates the peer namespace's id when the link is elsewhere (rtnl_fill_link_netnsid()
    calls peernet2id_alloc()). `iflink` overrides IFLA_LINK (0 while a veth has no peer
    yet, or has lost it). `alloc_nsid` False: only an id already there is sent (a
    listener asking in the middle of a request the kernel has not finished)."""
    if iflink is None and dev.kind == "veth" and dev.peer is None:
        iflink = 0          # veth_get_iflink(): no peer (yet)
    link = dev.iflink if iflink is None else iflink
    linked = dev.linked
    netnsid = None
    if iflink is None:
        netnsid = _fill_link_netnsid(ns, dev, alloc_nsid)
        link_net = dev.vxlan.link_net if dev.vxlan is not None else None
        if link_net is not None and link_net is not dev.netns:
            # rtnl_fill_link_netnsid(): a link namespace other than the device's own
            # sends IFLA_LINK_NETNSID and forces IFLA_LINK (its own ifindex here:
            # `vxlan10@if4`)
            link = dev.iflink
    master = dev.master
    info_data = None
    if dev.kind == "bridge":
        conf = dev.br_conf
        # br_dev_setup() leaves the id's address zero until a port comes
        # (br_stp_recalculate_bridge_id()) or an address is given: br_dev_newlink()'s
        # IFLA_ADDRESS and br_set_mac_address() run br_stp_change_bridge_id()
        own = dev.ports or dev.addr_set_by_user
        bid = _bridge_id(dev.address if own else bytes(6), conf.get("priority", 32768))
        info_data = BridgeInfo(bid, bid, **{**conf, **_br_stp_fields(dev)},
                               **_bridge().br_bridge_timers(dev, dev.netns.clock.now))
    elif dev.kind == "vlan":
        from ipemu.kernel.records_kinds import VlanInfo
        info_data = VlanInfo(dev.vlan.vlan_proto, dev.vlan.vlan_id, tuple(dev.vlan.flags),
                             tuple(tuple(m) for m in dev.vlan.ingress_qos),
                             tuple(tuple(m) for m in dev.vlan.egress_qos))
    elif dev.macvlan is not None:
        # bc_queue_len_used: the largest asked for by a macvlan of the port
        used = max(v.macvlan.bc_queue_len for v in dev.lower.macvlans) \
            if dev.lower is not None and dev.lower.macvlans else dev.macvlan.bc_queue_len
        from ipemu.kernel.records_kinds import MacvlanInfo
        source = dev.macvlan.mode == 16
        if source:
            from ipemu.kernel.drivers import macvlan_source_order
        info_data = MacvlanInfo(dev.macvlan.mode, dev.macvlan.flags,
                                dev.macvlan.bc_queue_len, used,
                                len(dev.macvlan.sources) if source else None,
                                tuple(macvlan_source_order(dev.macvlan.sources))
                                if source else ())
    elif dev.vxlan is not None:
        c = dev.vxlan
        from ipemu.kernel.records_kinds import VxlanInfo
        info_data = VxlanInfo(c.vni, c.remote, c.local, c.link, c.port_range, c.port,
                              c.learning, c.proxy, c.rsc, c.l2miss, c.l3miss, c.tos, c.ttl,
                              c.ttl_inherit, c.df, c.label, c.ageing, c.limit, c.udp_csum,
                              c.udp_zero_csum6_tx, c.udp_zero_csum6_rx, c.remcsum_tx,
                              c.remcsum_rx, c.external, c.gbp, c.gpe, c.vnifilter)
    elif dev.tun is not None:
        f = dev.tun.flags
        from ipemu.kernel.records_kinds import TunInfo
        info_data = TunInfo(f & 3, not f & 0x1000, bool(f & 0x4000), bool(f & 0x0100),
                            bool(f & 0x0800), owner=dev.tun.owner, group=dev.tun.group)
    elif dev.vrf_table is not None:
        from ipemu.kernel.records_kinds import VrfInfo
        info_data = VrfInfo(dev.vrf_table)
    else:
        from ipemu.kernel.kinds_info import kind_info
        info_data = kind_info(ns, dev)
    slave_data = None
    if master is not None and master.kind == "bridge":
        bridge = _bridge()
        stp = bridge.br_port_stp_fields(dev)
        designated = stp.pop("designated_bridge", None) or \
            _bridge_id(master.address, master.br_conf.get("priority", 32768))
        slave_data = BridgePortInfo(bridge.port_state(dev), bridge.br_port_no(dev),
                                    designated, dev.brport or bridge.BrPortConf(),
                                    **bridge.br_port_timers(dev, dev.netns.clock.now), **stp)
    elif master is not None:
        from ipemu.kernel.kinds_info import slave_info
        slave_data = slave_info(ns, master, dev)
    tso = dev.tso_max_size
    if dev.kind == "bridge" and dev.ports:
        tso = min(p.info.tso_max_size for p in dev.ports)
    promisc = dev.promiscuity + _uc_promisc(dev)
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
        gso_max_size=dev.gso_max_size, gso_max_segs=dev.gso_max_segs,
        gro_max_size=dev.gro_max_size,
        kind=dev.kind if dev.kind in LINKINFO_KINDS else None, info_data=info_data,
        slave_kind=f"{master.kind}_slave" if master is not None else None,
        slave_data=slave_data,
        # the counters are ints: their fields as they are (asdict() deep-copies each)
        stats=Stats64(*_counters(dev.stats), carrier_changes=dev.carrier_changes),
        ifalias=dev.ifalias or None, altnames=tuple(dev.altnames),
        # addrconf.has_inet6_dev() (imported there from here: inlined)
        addrgenmode=dev.addrgenmode if dev.mtu >= 1280 or dev.kind == "loopback" else None,
        proto_down=dev.proto_down, link_mode=dev.link_mode)


# the names of ipemu/kernel/records_more.py, as this module's (PEP 562): made when
# first asked for
# the records of kinds' own data (ipemu/kernel/records_kinds.py), as this module's too
_KINDS = frozenset(("VlanInfo", "MacvlanInfo", "TunInfo", "VxlanInfo", "VrfInfo", "BondInfo",
                    "BondSlaveInfo", "IpvlanInfo", "TunnelInfo"))
_MORE = frozenset(("IFA_F", "RTNH_F", "AddrMsg", "addr_msg", "RouteMsg", "RtnhMsg",
                   "route_msg", "_route_msg", "_NH_FLAGS", "_ROUTE_MSG_FIELDS",
                   "_nexthop_linkdown", "_hop_linkdown", "_hop_dead", "_hop_ignored",
                   "_ignores_linkdown", "NetconfMsg", "netconf_msg", "NeighMsg",
                   "NdaCacheinfo", "FdbMsg", "neigh_msg", "StatsMsg"))


def __getattr__(name: str):
    if name in _KINDS:
        from ipemu.kernel import records_kinds
        return getattr(records_kinds, name)
    if name not in _MORE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from ipemu.kernel import records_more
    return getattr(records_more, name)
