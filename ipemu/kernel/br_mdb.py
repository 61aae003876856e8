"""A bridge's multicast group database (net/bridge/br_mdb.c, br_multicast.c): the
entries `bridge mdb add` puts in (static, permanent or temporary, on a port or joined
by the bridge itself, (*, G) or (S, G)), their checks, deletion and the dump order.
Groups the bridge learns by snooping IGMP/MLD reports are joins of (*, G) (a v2 bridge's
reading); the (S, G) entries a (*, G) EXCLUDE port adds to a user's (S, G) under IGMPv3
or MLDv2 (br_multicast_sg_add_exclude_ports(), "added_by_star_ex") are not simulated."""
from __future__ import annotations

import ipaddress

from ipemu.kernel.bridge import BrPortConf, BrState, port_state
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import NetDevice
from ipemu.plainclass import dataclass, replace

ETH_P_IP, ETH_P_IPV6 = 0x0800, 0x86DD
RTPROT_STATIC = 4
HZ_CLOCK = 100                       # clock_t units of the bridge's intervals


@dataclass(frozen=True)
class MdbPort:
    """struct net_bridge_port_group as a user entry makes it: its port, whether it is
    permanent (MDB_PG_FLAGS_PERMANENT) and when a temporary one expires."""

    ifindex: int
    permanent: bool
    expires: float | None = None
    seq: int = 0                     # the port's mglist holds the newest first
    rtprot: str = "static"           # rt_protocol: RTPROT_STATIC by hand, KERNEL snooped
    # filter_mode: a (*, G) port group is EXCLUDE (of no source), an (S, G) one INCLUDE
    include: bool = False


@dataclass(frozen=True)
class MdbGroup:
    """struct net_bridge_mdb_entry: a group (proto, address bytes, vid), whether the
    bridge itself joined it (host_joined, with its timer) and its port groups."""

    proto: int
    addr: bytes
    vid: int = 0
    host_expires: float | None = None
    ports: tuple = ()
    src: bytes = b""                 # struct br_ip's src: empty for (*, G)

    @property
    def host_joined(self) -> bool:
        return self.host_expires is not None

    @property
    def key(self) -> tuple:
        return (self.proto, self.addr, self.vid, self.src)


@dataclass(frozen=True)
class MdbEntry:
    """One entry of the dump (__mdb_fill_info()): a port's, or the host's (port = the
    bridge's own ifindex, never permanent, no RTPROT)."""

    br_ifindex: int
    port: int
    proto: int
    addr: bytes
    vid: int
    permanent: bool
    timer: float                     # seconds left (br_timer_value()), 0 for none
    host: bool
    rtprot: str = "static"
    src: bytes = b""                 # MDBA_MDB_EATTR_SOURCE of an (S, G) entry
    # MDBA_MDB_EATTR_GROUP_MODE: a port group's, dumped when the bridge handles modes
    # (multicast_igmp_version 3 for IPv4, multicast_mld_version 2 for IPv6)
    filter_mode: str | None = None


def validate_entry(proto: int, addr: bytes, permanent: bool, vid: int) -> None:
    """rtnl_validate_mdb_entry() (net/core/rtnetlink.c, 6.18): the group must be a
    multicast address, not one the kernel keeps for itself."""
    if proto == ETH_P_IP:
        ip = ipaddress.IPv4Address(addr)
        if not ip.is_multicast and int(ip) != 0:
            raise KernelError(Errno.EINVAL,
                              "IPv4 entry group address is not multicast or 0.0.0.0")
        if ip in _LOCAL_MCAST:
            raise KernelError(Errno.EINVAL, "IPv4 entry group address is local multicast")
    elif proto == ETH_P_IPV6:
        ip6 = ipaddress.IPv6Address(addr)
        if not ip6.is_multicast and int(ip6) != 0:
            raise KernelError(Errno.EINVAL,
                              "IPv6 entry group address is not multicast or ::")
        if ip6 == _LL_ALL_NODES:
            raise KernelError(Errno.EINVAL, "IPv6 entry group address is link-local all nodes")
    elif not addr[0] & 1:
        raise KernelError(Errno.EINVAL, "L2 entry group is not multicast")
    if vid >= 0xFFF:
        raise KernelError(Errno.EINVAL, "Invalid entry VLAN id")


_LOCAL_MCAST = ipaddress.IPv4Network("224.0.0.0/24")      # ipv4_is_local_multicast()
_LL_ALL_NODES = ipaddress.IPv6Address("ff02::1")           # ipv6_addr_is_ll_all_nodes()


def _config_init(ns, br: NetDevice | None, port: NetDevice | None) -> NetDevice | None:
    """br_mdb_config_init(): a running bridge with snooping on; the port, unless it is
    the bridge itself (a host entry: None is returned), one of its ports."""
    if br is None:
        raise KernelError(Errno.ENODEV, "Device doesn't exist")
    if br.kind != "bridge":
        # rtnl_mdb_add()/rtnl_mdb_del(): no ndo_mdb_add
        raise KernelError(Errno.EOPNOTSUPP, "Device does not support MDB operations")
    if not br.admin_up:
        raise KernelError(Errno.EINVAL, "bridge: Bridge device is not running")
    if br.br_conf.get("mcast_snooping", 1) != 1:
        raise KernelError(Errno.EINVAL, "bridge: Bridge's multicast processing is disabled")
    if port is br:
        return None
    if port is None:
        raise KernelError(Errno.ENODEV, "bridge: Port net device doesn't exist")
    if port.master is None or port.master.kind != "bridge":
        raise KernelError(Errno.EINVAL, "bridge: Net device is not a bridge port")
    if port.master is not br:
        raise KernelError(Errno.EINVAL, "bridge: Port belongs to a different bridge device")
    return port


def _source(proto: int, src: bytes | None) -> bytes:
    """br_mdb_config_attrs_init(): MDBE_ATTR_SOURCE checked by is_valid_mdb_source();
    an all-zero source is no source (the entry is (*, G))."""
    if src is None:
        return b""
    if proto == ETH_P_IP:
        if len(src) != 4:
            raise KernelError(Errno.EINVAL, "bridge: IPv4 invalid source address length")
        if src[0] >> 4 == 0xE:
            raise KernelError(Errno.EINVAL, "bridge: IPv4 multicast source address is not allowed")
    elif proto == ETH_P_IPV6:
        if len(src) != 16:
            raise KernelError(Errno.EINVAL, "bridge: IPv6 invalid source address length")
        if src[0] == 0xFF:
            raise KernelError(Errno.EINVAL, "bridge: IPv6 multicast source address is not allowed")
    else:
        raise KernelError(Errno.EINVAL, "bridge: Invalid protocol used with source address")
    return src if any(src) else b""


def _handles_mode(br: NetDevice, proto: int) -> bool:
    """br_multicast_should_handle_mode() as __mdb_fill_info() asks it (dump_srcs_mode)."""
    if proto == ETH_P_IP:
        return br.br_conf.get("mcast_igmp_version", 2) == 3
    if proto == ETH_P_IPV6:
        return br.br_conf.get("mcast_mld_version", 1) == 2
    return False


def _membership_interval(br: NetDevice) -> float:
    """multicast_membership_interval (mcast_membership_interval, clock_t)."""
    return br.br_conf.get("mcast_membership_interval", 26000) / HZ_CLOCK


def mdb_add(ns, br: NetDevice | None, port: NetDevice | None, proto: int, addr: bytes,
            permanent: bool, vid: int, src: bytes | None = None) -> None:
    """rtnl_mdb_add() -> br_mdb_add() -> br_mdb_add_group(): a new group goes to the
    head of the bridge's list (hlist_add_head()), a port's entry into its group."""
    validate_entry(proto, addr, permanent, vid)
    p = _config_init(ns, br, port)
    src = _source(proto, src)
    l2 = proto == 0
    if p is None and not l2 and permanent:
        raise KernelError(Errno.EINVAL, "bridge: Flags are not allowed for host groups")
    if p is None and not l2 and src:
        raise KernelError(Errno.EINVAL,
                          "bridge: Groups with sources cannot be manually host joined")
    if l2 and not permanent:
        raise KernelError(Errno.EINVAL, "bridge: Only permanent L2 entries allowed")
    if p is not None and port_state(p) == BrState.DISABLED and not permanent:
        raise KernelError(Errno.EINVAL,
                          "bridge: Port is in disabled state and entry is not permanent")
    expire_mdb(ns, br)
    now = ns.clock.now
    groups = list(br.mdb)
    key = (proto, addr, vid, src)
    at = next((i for i, g in enumerate(groups) if g.key == key), None)
    group = groups[at] if at is not None else MdbGroup(proto, addr, vid, src=src)
    if p is None:
        if group.host_joined:
            raise KernelError(Errno.EEXIST, "bridge: Group is already joined by host")
        # br_multicast_host_join(): an L2 group has no timer
        group = replace(group, host_expires=(float("inf") if l2 else
                                             now + _membership_interval(br)))
        entry = _host_entry(br, group, now)
    else:
        if any(pg.ifindex == p.ifindex for pg in group.ports):
            raise KernelError(Errno.EEXIST, "bridge: (S, G) group is already joined by port"
                              if src else "bridge: (*, G) group is already joined by port")
        seq = 1 + max((q.seq for g in groups for q in g.ports), default=0)
        pg = MdbPort(p.ifindex, permanent,
                     None if permanent else now + _membership_interval(br), seq,
                     include=bool(src))
        group = replace(group, ports=(pg,) + group.ports)
        entry = _port_entry(br, group, pg, now)
    if at is None:
        groups.insert(0, group)
    else:
        groups[at] = group
    br.mdb = groups
    _mdb_notify(ns, entry, deleted=False)


def _mdb_notify(ns, entry: "MdbEntry", deleted: bool) -> None:
    """br_mdb_notify(): one entry to RTNLGRP_MDB (RTM_NEWMDB / RTM_DELMDB)."""
    if ns.listeners:
        from ipemu.kernel.records import RTM
        ns._notify(RTM.DELMDB if deleted else RTM.NEWMDB, entry)


def _host_entry(br: NetDevice, g: MdbGroup, now: float) -> "MdbEntry":
    """__mdb_fill_info() without a port group: the bridge's own join."""
    left = 0.0 if g.host_expires in (None, float("inf")) else g.host_expires - now
    return MdbEntry(br.ifindex, br.ifindex, g.proto, g.addr, g.vid, g.proto == 0, left, True,
                    src=g.src)


def _port_entry(br: NetDevice, g: MdbGroup, pg: MdbPort, now: float) -> "MdbEntry":
    """__mdb_fill_info() of a port group."""
    left = 0.0 if pg.expires is None else pg.expires - now
    mode = ("include" if pg.include else "exclude") if _handles_mode(br, g.proto) else None
    return MdbEntry(br.ifindex, pg.ifindex, g.proto, g.addr, g.vid,
                    pg.permanent or g.proto == 0, left, False, pg.rtprot, g.src, mode)


def mdb_del(ns, br: NetDevice | None, port: NetDevice | None, proto: int, addr: bytes,
            vid: int, src: bytes | None = None) -> None:
    """rtnl_mdb_del() -> br_mdb_del() -> __br_mdb_del(): the host's join or the port's
    entry; anything else is EINVAL (no message)."""
    validate_entry(proto, addr, True, vid)
    p = _config_init(ns, br, port)
    src = _source(proto, src)
    expire_mdb(ns, br)
    groups = list(br.mdb)
    key = (proto, addr, vid, src)
    at = next((i for i, g in enumerate(groups) if g.key == key), None)
    if at is None:
        raise KernelError(Errno.EINVAL)
    group = groups[at]
    now = ns.clock.now
    if p is None and group.host_joined:
        entry = _host_entry(br, group, now)
        group = replace(group, host_expires=None)
    else:
        ifindex = br.ifindex if p is None else p.ifindex
        gone = [pg for pg in group.ports if pg.ifindex == ifindex]
        if not gone:
            raise KernelError(Errno.EINVAL)
        entry = _port_entry(br, group, gone[0], now)
        group = replace(group, ports=tuple(pg for pg in group.ports if pg.ifindex != ifindex))
    if group.ports or group.host_joined:
        groups[at] = group
    else:
        del groups[at]              # the group's timer fires at once (br_multicast_group_expired())
    br.mdb = groups
    # br_multicast_del_pg() / br_multicast_host_leave(): RTM_DELMDB of the entry
    _mdb_notify(ns, entry, deleted=True)


def br_rport_off(port: NetDevice, bridge_up: bool = False) -> None:
    """br_stp_disable_port() -> __br_multicast_disable_port_ctx(): the port leaves
    the bridge's router lists (it runs only while the bridge is up: br_device_event()
    and br_port_carrier_check() look; `bridge_up` for the bridge going down)."""
    br = port.master
    conf = port.brport
    if br is not None and br.kind == "bridge" and conf is not None and conf.mc_rport \
            and (bridge_up or br.admin_up):
        port.brport = replace(conf, mc_rport=False)


def br_multicast_disable_port(ns, port: NetDevice) -> None:
    """br_multicast_disable_port() (br_stp_disable_port(): the port went down or lost
    its carrier): the port's temporary entries go, newest first (its mglist), each
    with an RTM_DELMDB."""
    br = port.master
    if br is None or br.kind != "bridge" or not br.mdb:
        return
    now = ns.clock.now
    gone = sorted(((pg.seq, g, pg) for g in br.mdb for pg in g.ports
                   if pg.ifindex == port.ifindex and not pg.permanent),
                  key=lambda item: -item[0])
    for _, g, pg in gone:
        groups = list(br.mdb)
        at = next(i for i, x in enumerate(groups)
                  if x.key == g.key)
        group = groups[at]
        entry = _port_entry(br, group, pg, now)
        group = replace(group, ports=tuple(q for q in group.ports if q is not pg))
        if group.ports or group.host_joined:
            groups[at] = group
        else:
            del groups[at]
        br.mdb = groups
        _mdb_notify(ns, entry, deleted=True)


def br_multicast_toggle(ns, br: NetDevice, was_on: bool) -> None:
    """br_multicast_toggle(br, 0): snooping turned off disables every port's multicast
    context (br->port_list, the newest port first), which drops their temporary
    entries; permanent and host entries stay. The querier follows the setting."""
    if was_on and br.br_conf.get("mcast_snooping", 1) != 1:
        for port in reversed(br.ports):
            br_multicast_disable_port(ns, port)
    br_querier_sync(br)


# ------------------------------------------------------------ the querier
IGMP_HOST_MEMBERSHIP_QUERY = 0x11
_ALL_HOSTS = ipaddress.IPv4Address("224.0.0.1")
_ROUTER_ALERT = b"\x94\x04\x00\x00"
_HZ = 250                       # the recording kernel's CONFIG_HZ
_IGMP_TIMER_SCALE = 10


def _querier_on(br: NetDevice) -> bool:
    conf = br.br_conf
    return br.admin_up and conf.get("mcast_snooping", 1) == 1 and \
        conf.get("mcast_querier", 0) == 1


def br_querier_sync(br: NetDevice) -> None:
    """The own IGMP query timers of a bridge with snooping and mcast_querier on: the
    bridge's own context's (br_multicast_open(), br_multicast_start_querier()) and
    each enabled port's (br_multicast_enable_port() from br_port_state_selection()),
    each fired at once when it starts (startup_sent 0). The bridge closing
    (br_multicast_stop()), a port disabled or blocking, the querier or snooping turned
    off (br_multicast_send_query() then sends and re-arms nothing) end them.
    MLD queries are not modelled."""
    ns = br.netns
    queries = br.mc_queries
    if br.kind != "bridge" or ns is None or not _querier_on(br):
        if queries:
            for _, timer in queries.values():
                ns.clock.cancel(timer)
        br.mc_queries = None
        return
    if queries is None:
        queries = br.mc_queries = {}
    live = [0] + [p.ifindex for p in br.ports
                  if port_state(p) not in (BrState.DISABLED, BrState.BLOCKING)]
    for key in [k for k in queries if k not in live]:
        ns.clock.cancel(queries.pop(key)[1])
    for key in live:
        if key not in queries:
            queries[key] = [0, ns.clock.call_later(0, ns, "br_own_query_expired", br, key)]


def br_set_querier(br: NetDevice, now: float) -> None:
    """br_multicast_set_querier() of a querier turned on: the other query's
    delay_timer runs for the query response interval (no querier exists till then)."""
    if br.br_conf.get("mcast_querier", 0) == 1:
        br.mc_querier_delay = now + br.br_conf.get("mcast_query_response_interval", 1000) / 100


def br_querier_exists4(br: NetDevice) -> bool:
    """__br_multicast_querier_exists() for IPv4: our own querier on and the delay
    br_set_querier() began over (queriers heard from the ports are not modelled)."""
    return br.br_conf.get("mcast_querier", 0) == 1 and \
        br.netns.clock.now >= br.mc_querier_delay


def br_mcast_dests(ns, br: NetDevice, frame) -> tuple | None:
    """br_handle_frame_finish() and br_dev_xmit() of an IPv4 multicast frame with
    snooping on: a frame to a known group (br_mdb_entry_skb_get(); not for IGMP) or
    one the snooping code marked mrouters_only (a v1/v2 report, any other datagram to
    a group beyond 224.0.0.x: ip_mc_check_igmp()'s -ENOMSG), once a querier exists,
    goes only to the group's ports and the router ports (br_multicast_flood()), and
    up to the bridge only when the bridge joined the group or is a router (mcast_router
    2). (ports, local), or None for a frame flooded as any other. IPv6 (MLD) is not
    modelled: flooded."""
    from ipemu.kernel import packet as P
    if br.br_conf.get("mcast_querier", 0) != 1 or frame.ethertype != ETH_P_IP or \
            br.br_conf.get("mcast_snooping", 1) != 1:
        return None
    pkt = frame.payload
    if pkt.__class__ is not P.Ipv4:
        return None
    dst = pkt.dst.packed
    if dst[0] & 0xF0 != 0xE0:
        return None
    mdst = None
    if pkt.proto == P.IPPROTO_IGMP:
        body = pkt.payload
        mrouters_only = body.__class__ is bytes and body[:1] in (b"\x12", b"\x16")
    else:
        mrouters_only = dst[:3] != b"\xe0\x00\x00"
        expire_mdb(ns, br)
        mdst = next((g for g in br.mdb if g.key == (ETH_P_IP, dst, 0, b"")), None)
    if not (mdst is not None or mrouters_only) or not br_querier_exists4(br):
        return None
    ports = []
    if mdst is not None:
        for pg in mdst.ports:
            dev = ns.by_index(pg.ifindex)
            if dev is not None and dev.master is br and dev not in ports:
                ports.append(dev)
    for dev in router_ports(br):
        if dev not in ports:
            ports.append(dev)
    local = (mdst is not None and mdst.host_joined) or \
        br.br_conf.get("mcast_router", 1) == 2
    return ports, local


def br_own_query_expired(ns, br: NetDevice, key: int) -> None:
    """br_ip4_multicast_query_expired() (key 0) and br_ip4_multicast_port_query_
    expired(): a startup query counted, the query sent (br_multicast_send_query()),
    the timer re-armed startup_query_interval ahead while startup queries remain,
    query_interval after."""
    queries = br.mc_queries
    if not queries or key not in queries or br.netns is not ns or not _querier_on(br):
        return
    port = None
    if key:
        port = ns.by_index(key)
        if port is None or port.master is not br or \
                port_state(port) in (BrState.DISABLED, BrState.BLOCKING):
            del queries[key]
            return
    entry = queries[key]
    conf = br.br_conf
    count = conf.get("mcast_startup_query_count", 2)
    if entry[0] < count:
        entry[0] += 1
    br_send_query(ns, br, port)
    interval = conf.get("mcast_startup_query_interval", 3124) if entry[0] < count else \
        conf.get("mcast_query_interval", 12500)
    entry[1] = ns.clock.call_later(interval / 100, ns, "br_own_query_expired", br, key)


def br_send_query(ns, br: NetDevice, port: NetDevice | None, group: bytes = bytes(4)
                  ) -> None:
    """__br_multicast_send_query() of a general query, or of a group's when `group`
    is given (br_ip4_multicast_alloc_query()): IGMPv2 (8 bytes) or, with
    mcast_igmp_version 3, IGMPv3 (qrv 2, qqic the query interval in seconds), max
    response time the query response interval (a group's: the last member interval)
    in tenths of a second; from 0.0.0.0 (the bridge's own address with
    mcast_query_use_ifaddr) and the bridge's MAC to 224.0.0.1, TTL 1, tos 0xc0, DF,
    id 0, router alert. A port's goes out of the port; the bridge's own is
    netif_rx()'d on the bridge (its own IP stack hears it)."""
    from ipemu.kernel import packet as P
    from ipemu.kernel.mcast import mc_map
    from ipemu.kernel.wire.ipv4 import internet_checksum
    conf = br.br_conf
    interval = conf.get("mcast_last_member_interval", 100) if any(group) else \
        conf.get("mcast_query_response_interval", 1000)
    code = interval * _HZ // 100 // (_HZ // _IGMP_TIMER_SCALE)
    body = bytes([IGMP_HOST_MEMBERSHIP_QUERY, min(code, 255), 0, 0]) + group
    if conf.get("mcast_igmp_version", 2) == 3:
        qqic = conf.get("mcast_query_interval", 12500) // 100
        body += bytes([2, min(qqic, 255), 0, 0])
    body = body[:2] + internet_checksum(body).to_bytes(2, "big") + body[4:]
    src = ipaddress.IPv4Address(0)
    if conf.get("mcast_query_use_ifaddr", 0):
        src = ns.select_source(br, _ALL_HOSTS) or src
    pkt = P.Ipv4(src, _ALL_HOSTS, P.IPPROTO_IGMP, body, ttl=1, tos=0xC0, id=0, df=True,
                 options=_ROUTER_ALERT)
    frame = P.Frame(mc_map(_ALL_HOSTS), br.address, P.ETH_P_IP, pkt)
    br_multicast_count(br, port, _igmp_counter(body), 1)
    if port is not None:
        ns.stack.dev_xmit(port, frame)
    else:
        ns.stack.netif_rx(br, frame, counted=0)


def expire_mdb(ns, br: NetDevice) -> None:
    """The timers of temporary entries (br_multicast_port_group_expired(), the group's
    br_multicast_group_expired()), the entries of ports that left the bridge
    (br_multicast_del_port()) and the temporary entries of disabled ports
    (br_multicast_disable_port()), applied when the database is next looked at."""
    if not br.mdb:
        return
    now = ns.clock.now
    groups = []
    changed = False
    for g in br.mdb:
        ports = []
        for pg in g.ports:
            dev = ns.by_index(pg.ifindex)
            if dev is None or dev.master is not br:
                continue
            if not pg.permanent and (pg.expires <= now or
                                     port_state(dev) == BrState.DISABLED):
                continue
            ports.append(pg)
        host = g.host_expires
        if host is not None and host <= now:
            host = None
        if len(ports) != len(g.ports) or host != g.host_expires:
            changed = True
            g = replace(g, ports=tuple(ports), host_expires=host)
        if g.ports or g.host_joined:
            groups.append(g)
    if changed or len(groups) != len(br.mdb):
        br.mdb = groups


def mdb_dump(ns) -> list[MdbEntry]:
    """br_mdb_dump(): every bridge in device order, its groups newest first, in each the
    host's entry, then the ports' (with snooping off too: what is left of them, the
    permanent and host entries, recorded)."""
    out: list[MdbEntry] = []
    now = ns.clock.now
    for dev in list(ns.devices.values()):     # for_each_netdev(): registration order
        if dev.kind != "bridge" or not dev.mdb:
            continue
        expire_mdb(ns, dev)
        for g in dev.mdb:
            if g.host_joined:
                out.append(_host_entry(dev, g, now))
            out += [_port_entry(dev, g, pg, now) for pg in g.ports]
    return out



# ------------------------------------------------------------ IGMP snooping
IGMP_HOST_MEMBERSHIP_REPORT, IGMPV2_HOST_MEMBERSHIP_REPORT = 0x12, 0x16
IGMP_HOST_LEAVE_MESSAGE, IGMPV3_HOST_MEMBERSHIP_REPORT = 0x17, 0x22
IGMPV3_MODE_IS_INCLUDE, IGMPV3_CHANGE_TO_INCLUDE = 1, 3


def br_multicast_ipv4_rcv(ns, br: NetDevice, port: NetDevice | None, body: bytes) -> None:
    """br_multicast_ipv4_rcv(): the IGMP reports and leaves a bridge with snooping on
    sees, from a port or sent by the bridge itself (port None: a host join). IGMPv3
    records are read as a v2 bridge reads them (br_ip4_multicast_igmp3_report() with
    multicast_igmp_version 2): an empty INCLUDE is a leave, anything else a join.
    Queries (and so router ports) are not simulated."""
    if br.br_conf.get("mcast_snooping", 1) != 1 or not br.admin_up or len(body) < 8:
        return
    _igmp_rcv(ns, br, port, body)
    br_multicast_count(br, port, _igmp_counter(body), 0)


def _igmp_counter(body: bytes) -> str | None:
    """br_multicast_count()'s counter of an IGMP message: a query's version by its
    length (8 bytes v1 or v2 by the max response code, more v3)."""
    kind = body[0]
    if kind == IGMP_HOST_MEMBERSHIP_QUERY:
        if len(body) != 8:
            return "igmp_v3queries"
        return "igmp_v2queries" if body[1] else "igmp_v1queries"
    return {IGMP_HOST_MEMBERSHIP_REPORT: "igmp_v1reports",
            IGMPV2_HOST_MEMBERSHIP_REPORT: "igmp_v2reports",
            IGMPV3_HOST_MEMBERSHIP_REPORT: "igmp_v3reports",
            IGMP_HOST_LEAVE_MESSAGE: "igmp_leaves"}.get(kind)


def br_multicast_count(br: NetDevice, port: NetDevice | None, counter: str | None,
                       direction: int) -> None:
    """br_multicast_count(): with mcast_stats_enabled, the port's counter (the
    bridge's own for what the bridge itself sends or hears: port None) of the
    message, RX (0) or TX (1)."""
    if counter is None or br.br_conf.get("mcast_stats_enabled", 0) != 1:
        return
    dev = port if port is not None else br
    if dev.br_mc_stats is None:
        dev.br_mc_stats = {}
    key = (counter, direction)
    dev.br_mc_stats[key] = dev.br_mc_stats.get(key, 0) + 1


def _igmp_rcv(ns, br: NetDevice, port: NetDevice | None, body: bytes) -> None:
    kind = body[0]
    if kind in (IGMP_HOST_MEMBERSHIP_REPORT, IGMPV2_HOST_MEMBERSHIP_REPORT):
        _add_group(ns, br, port, body[4:8])
    elif kind == IGMP_HOST_LEAVE_MESSAGE:
        _leave_group(ns, br, port, body[4:8])
    elif kind == IGMPV3_HOST_MEMBERSHIP_REPORT:
        at = 8
        for _ in range(int.from_bytes(body[6:8], "big")):
            if at + 8 > len(body):
                return
            rtype, auxlen = body[at], body[at + 1]
            nsrcs = int.from_bytes(body[at + 2:at + 4], "big")
            group = body[at + 4:at + 8]
            at += 8 + 4 * nsrcs + 4 * auxlen
            if rtype in (IGMPV3_MODE_IS_INCLUDE, IGMPV3_CHANGE_TO_INCLUDE) and not nsrcs:
                _leave_group(ns, br, port, group)
            else:
                _add_group(ns, br, port, group)


def _add_group(ns, br: NetDevice, port: NetDevice | None, group: bytes,
               proto: int = ETH_P_IP) -> None:
    """br_ip4_multicast_add_group() / br_ip6_multicast_add_group() ->
    br_multicast_add_group(): not a 224.0.0.x group nor ff02::1; a new group at the
    head, a port's new entry (RTPROT_KERNEL, temporary) announced, an entry there
    refreshed to the membership interval."""
    if proto == ETH_P_IP and (group[:3] == b"\xe0\x00\x00" or not group[0] & 0xF0 == 0xE0):
        return          # ipv4_is_local_multicast(), a report of no group
    if proto == ETH_P_IPV6 and (group == _LL_ALL_NODES.packed or group[0] != 0xFF):
        return          # ipv6_addr_is_ll_all_nodes()
    if port is not None and port_state(port) == BrState.DISABLED:
        return
    expire_mdb(ns, br)
    now = ns.clock.now
    until = now + _membership_interval(br)
    groups = list(br.mdb)
    key = (proto, group, 0, b"")
    at = next((i for i, g in enumerate(groups) if g.key == key), None)
    g = groups[at] if at is not None else MdbGroup(proto, group, 0)
    entry = None
    if port is None:
        if not g.host_joined:
            entry = True            # br_multicast_host_join(..., notify)
        g = replace(g, host_expires=until)
        if entry:
            entry = _host_entry(br, g, now)
    else:
        old = next((pg for pg in g.ports if pg.ifindex == port.ifindex), None)
        if old is None:
            seq = 1 + max((q.seq for x in groups for q in x.ports), default=0)
            pg = MdbPort(port.ifindex, False, until, seq, "kernel")
            g = replace(g, ports=(pg,) + g.ports)
            entry = _port_entry(br, g, pg, now)
        elif not old.permanent:
            g = replace(g, ports=tuple(replace(q, expires=until) if q is old else q
                                       for q in g.ports))
    if at is None:
        groups.insert(0, g)
    else:
        groups[at] = g
    br.mdb = groups
    if entry is not None:
        _mdb_notify(ns, entry, deleted=False)


def _leave_group(ns, br: NetDevice, port: NetDevice | None, group: bytes,
                 proto: int = ETH_P_IP) -> None:
    """br_multicast_leave_group() without a querier or fast leave: the port's (or the
    host's) temporary entry expires after last_member_count * last_member_interval,
    unless it would sooner."""
    if port is not None and port_state(port) == BrState.DISABLED:
        return
    expire_mdb(ns, br)
    key = (proto, group, 0, b"")
    at = next((i for i, g in enumerate(br.mdb) if g.key == key), None)
    if at is None:
        return
    conf = br.br_conf
    until = ns.clock.now + conf.get("mcast_last_member_count", 2) * \
        conf.get("mcast_last_member_interval", 100) / HZ_CLOCK
    groups = list(br.mdb)
    g = groups[at]
    if port is not None and (port.brport or BrPortConf()).fastleave:
        # BR_MULTICAST_FAST_LEAVE: the port's temporary entry goes at once
        gone = [q for q in g.ports if q.ifindex == port.ifindex and not q.permanent]
        if gone:
            entry = _port_entry(br, g, gone[0], ns.clock.now)
            g = replace(g, ports=tuple(q for q in g.ports if q is not gone[0]))
            if g.ports or g.host_joined:
                groups[at] = g
            else:
                del groups[at]
            br.mdb = groups
            _mdb_notify(ns, entry, deleted=True)
        return
    if proto == ETH_P_IP and conf.get("mcast_querier", 0) == 1:
        # the own querier: a group-specific query (max response time the last member
        # interval) out of the port (or up the bridge), and the own query timer put
        # last_member_count * last_member_interval ahead
        br_send_query(ns, br, port, group)
        queries = br.mc_queries
        key_q = port.ifindex if port is not None else 0
        if queries and key_q in queries:
            ns.clock.cancel(queries[key_q][1])
            queries[key_q][1] = ns.clock.call_at(until, ns, "br_own_query_expired", br,
                                                 key_q)
    if port is None:
        if g.host_joined and g.host_expires > until:
            g = replace(g, host_expires=until)
    else:
        g = replace(g, ports=tuple(
            replace(q, expires=until) if q.ifindex == port.ifindex and not q.permanent
            and q.expires > until else q for q in g.ports))
    groups[at] = g
    br.mdb = groups


MLD_LISTENER_REPORT, MLD_LISTENER_REDUCTION, MLD2_LISTENER_REPORT = 131, 132, 143
MLD2_MODE_IS_INCLUDE, MLD2_CHANGE_TO_INCLUDE = 1, 3


def br_multicast_ipv6_rcv(ns, br: NetDevice, port: NetDevice | None, icmp) -> None:
    """br_multicast_ipv6_rcv(): MLD reports and dones, as a bridge with MLDv1
    (multicast_mld_version 1) reads them: an MLDv2 record with an empty INCLUDE is a
    leave (br_ip6_multicast_mld2_report()), any other a join."""
    if br.br_conf.get("mcast_snooping", 1) != 1 or not br.admin_up:
        return
    br_multicast_count(br, port, {MLD_LISTENER_REPORT: "mld_v1reports",
                                  MLD2_LISTENER_REPORT: "mld_v2reports",
                                  MLD_LISTENER_REDUCTION: "mld_leaves"}.get(icmp.type), 0)
    if icmp.type == MLD2_LISTENER_REPORT:
        for rtype, group, sources in icmp.records:
            addr = group.packed
            if rtype in (MLD2_MODE_IS_INCLUDE, MLD2_CHANGE_TO_INCLUDE) and not sources:
                _leave_group(ns, br, port, addr, ETH_P_IPV6)
            else:
                _add_group(ns, br, port, addr, ETH_P_IPV6)


def router_ports(br: NetDevice) -> list[NetDevice]:
    """br_rports_fill_info(): the ports in the bridge's router list: those set to
    permanent routers (multicast_router 2) while they are enabled, and temporary ones
    (3) until their timer runs out (routers learnt from queries are not simulated),
    br->port_list order."""
    from ipemu.kernel.bridge import BrPortConf as _Conf
    return [p for p in reversed(br.ports)
            if ((p.brport or _Conf()).mcast_router == 2 and
                (p.brport.mc_rport or port_state(p) != BrState.DISABLED))
            or router_port_timer(p) is not None]


def router_port_timer(port: NetDevice) -> float | None:
    """A temporary router port's time left (MDBA_ROUTER_PATTR_TIMER), None when the
    port is none (not type 3, its timer run out, or the port disabled:
    br_multicast_disable_port() takes it off the lists)."""
    conf = port.brport
    if conf is None or conf.mcast_router != 3 or conf.mc_rport_until is None:
        return None
    left = conf.mc_rport_until - port.netns.clock.now
    if left <= 0 or port_state(port) == BrState.DISABLED:
        return None
    return left
