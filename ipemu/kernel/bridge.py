"""Bridge ports (net/bridge/): their STP states (br_private.h BR_STATE_*: the kernel
decides them, printers only map the number to its name, iproute2's port_states[]) and
the settings `bridge link set` changes (br_setport())."""
from __future__ import annotations

from ipemu.kernel.enums import int_enum

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import NetDevice, own_list, own_set, unmark
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
    backup_port: int = 0         # IFLA_BRPORT_BACKUP_PORT: the ifindex, 0 for none
    proxy_arp: bool = False      # BR_PROXYARP (kept and shown; no ARP answered for it)
    proxy_arp_wifi: bool = False     # BR_PROXYARP_WIFI
    group_fwd_mask: int = 0      # IFLA_BRPORT_GROUP_FWD_MASK
    local_fdb: bool = True       # the port's own address is in the FDB (a flush drops it)
    # a state set by hand (IFLA_BRPORT_STATE) on a bridge that never ran kernel STP:
    # br_port_state_selection() then forwards a blocking port at once but leaves a
    # disabled, listening or learning one so, until the port is disabled and enabled
    manual_state: int | None = None
    # br_stp_set_bridge_priority() renumbers only the ports it finds enabled and
    # designated: a disabled one keeps the priority its designated bridge and root ids
    # had (its address follows br_stp_change_bridge_id()) until br_init_port() at its
    # next enabling (recorded: tutorials44_sysfs_bridge_reads)
    designated_prio: int | None = None
    # the port number new_nbp() gave it: find_portno(), the lowest one no other port
    # holds (recorded: a port that left frees its number for the next one,
    # tutorials44_brif_delete_readd); 0: not given (older states: its place in the list)
    port_no: int = 0
    # in the bridge's router port lists (br_multicast_add_router()): a port set to a
    # permanent router is added whatever its state, taken off when it is disabled
    # (br_multicast_disable_port()) and added again when enabled while permanent
    mc_rport: bool = False
    # multicast_router 3 (MDB_RTR_TYPE_TEMP): br_multicast_mark_router() put the port in
    # the router lists until this time (multicast_querier_interval ahead; recorded:
    # `router ports on br0: veth2` after `mcast_router 3`, tutorials44_mdb_router_port_flags)
    mc_rport_until: float | None = None


# br_private.h limits
BR_MAX_PORT_PRIORITY = 63
BR_GROUPFWD_MACPAUSE = 0x2
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
    elif port.brport is not None and port.brport.manual_state is not None:
        return BrState(port.brport.manual_state)
    return BrState.FORWARDING


# ------------------------------------------------------------------ timers
GC_FIRST_RUN = 0.1      # br_stp_enable_bridge(): mod_delayed_work(gc_work, HZ / 10)
GC_MIN_DELAY = 0.01     # br_fdb_cleanup(): "Cleanup minimum 10 milliseconds apart"


def br_timer_value(when: float | None, now: float) -> int:
    """br_timer_value(): a pending timer's time left in clock_t (centiseconds,
    jiffies_delta_to_clock_t() truncates), 0 for one not pending."""
    if when is None or when <= now:
        return 0
    return int((when - now) * 100 + 1e-6)


def _timer_when(timer) -> float | None:
    """A kernel/clock.py Timer's expiry while it is pending."""
    if timer is None or timer.cancelled:
        return None
    return timer.when


def br_nostp_sync(br: NetDevice, now: float) -> None:
    """Ports enabled and disabled on a bridge without kernel STP: br_stp_enable_port()
    -> br_port_state_selection() -> br_make_forwarding() forwards at once but still arms
    the port's forward_delay_timer, `forward_delay` ahead (its expiry finds the port
    forwarding and does nothing); br_stp_disable_port() deletes it (recorded: 14.99
    just after the port came up, 11.94 3 s later, 0.00 once its peer went down, the
    forward delay of the moment it was armed: linkstate35_br_port_timers)."""
    from ipemu.kernel.br_mdb import br_querier_sync
    br_querier_sync(br)         # br_multicast_open()/_stop(), br_multicast_enable_port()
    if br.br_stp is not None:
        return                  # kernel STP has run here: its ports' timers are its own
    for p in br.ports:
        # br_stp_disable_port(): a port disabled (down, no carrier, bridge down) loses
        # the state set by hand; enabled again it forwards
        if p.brport is not None and p.brport.manual_state is not None and \
                not (p.admin_up and p.carrier and br.admin_up):
            p.brport = replace(p.brport, manual_state=None)
    timers = br.br_fd_timers
    live = {p.ifindex for p in br.ports if port_state(p) != BrState.DISABLED}
    for p in br.ports:                  # br_init_port(): the bridge's ids once more
        if p.ifindex in live and p.brport is not None and \
                p.brport.designated_prio is not None:
            p.brport = replace(p.brport, designated_prio=None)
    for ifindex in [i for i in timers if i not in live]:
        del timers[ifindex]
    delay = br.br_conf.get("forward_delay", 1500) / 100
    for ifindex in live:
        if ifindex not in timers:
            timers[ifindex] = now + delay if delay else None


def br_gc_sync(br: NetDevice, now: float) -> None:
    """The FDB's gc work: queued HZ/10 after br_stp_enable_bridge() (the bridge
    opens), cancelled by br_stp_disable_bridge() (it closes)."""
    if not br.admin_up:
        br.br_gc_start = None
    elif br.br_gc_start is None:
        br.br_gc_start = now + GC_FIRST_RUN


def br_gc_timer(br: NetDevice, now: float) -> int:
    """IFLA_BR_GC_TIMER: br_fdb_cleanup() requeues itself `hold_time()` (the ageing
    time) ahead; the entries learnt that would expire sooner are not modelled."""
    start = br.br_gc_start
    if start is None or not br.admin_up:
        return 0
    if now < start:
        return br_timer_value(start, now)
    period = max(br.br_conf.get("ageing_time", 30000) / 100, GC_MIN_DELAY)
    return br_timer_value(now + period - (now - start) % period, now)


def br_bridge_timers(br: NetDevice, now: float) -> dict:
    """br_fill_info()'s IFLA_BR_HELLO_TIMER, _TCN_TIMER, _TOPOLOGY_CHANGE_TIMER and
    _GC_TIMER (clock_t)."""
    stp = br.br_stp
    out = {"hello_timer": 0, "tcn_timer": 0, "topology_change_timer": 0,
           "gc_timer": br_gc_timer(br, now)}
    if stp is not None and br.admin_up:
        for name in ("hello_timer", "tcn_timer", "topology_change_timer"):
            out[name] = br_timer_value(_timer_when(getattr(stp, name)), now)
    return out


def br_port_timers(port: NetDevice, now: float) -> dict:
    """br_port_fill_attrs()'s IFLA_BRPORT_HOLD_TIMER, _MESSAGE_AGE_TIMER and
    _FORWARD_DELAY_TIMER (clock_t)."""
    br = port.master
    stp = br.br_stp if br is not None else None
    if stp is not None:
        p = stp.ports.get(port.ifindex)
        if p is None:
            return {"hold_timer": 0, "message_age_timer": 0, "forward_delay_timer": 0}
        return {name: br_timer_value(_timer_when(getattr(p, name)), now)
                for name in ("hold_timer", "message_age_timer", "forward_delay_timer")}
    when = br.br_fd_timers.get(port.ifindex) if br is not None else None
    return {"hold_timer": 0, "message_age_timer": 0,
            "forward_delay_timer": br_timer_value(when, now)}


def br_port_stp_fields(port: NetDevice) -> dict:
    """br_port_fill_attrs()'s IFLA_BRPORT_ROOT_ID, _BRIDGE_ID, _DESIGNATED_PORT,
    _DESIGNATED_COST, _TOPOLOGY_CHANGE_ACK and _CONFIG_PENDING as kernel STP left
    them (a root port holds the root's and its designated bridge's ids, recorded:
    linkstate35_br_stp_two_bridges); without it br_init_port()'s
    br_become_designated_port(): the bridge's own (the record's defaults)."""
    br = port.master
    stp = br.br_stp if br is not None else None
    p = stp.ports.get(port.ifindex) if stp is not None else None
    if p is None or p.designated_bridge == bytes(8):
        prio = port.brport.designated_prio if port.brport is not None else None
        if prio is None or br is None:
            return {}
        kept = prio.to_bytes(2, "big") + br.address
        return {"designated_bridge": kept, "designated_root": kept}
    return {"designated_bridge": p.designated_bridge, "designated_root": p.designated_root,
            "designated_port": p.designated_port, "designated_cost": p.designated_cost,
            "topology_change_ack": int(p.topology_change_ack),
            "config_pending": int(p.config_pending)}


# br_setport()'s br_set_port_flag() calls, in its order: applied before anything else
_BR_PORT_FLAGS = ("hairpin", "guard", "fastleave", "root_block", "learning", "flood",
                  "mcast_flood", "mcast_to_unicast", "bcast_flood", "proxy_arp",
                  "proxy_arp_wifi", "vlan_tunnel", "neigh_suppress", "isolated", "locked")


def br_setport(dev: NetDevice, changes: dict, state: int | None = None,
               backup: NetDevice | None = None) -> None:
    """rtnl_bridge_setlink() -> br_setlink() with IFLA_PROTINFO, and
    br_port_slave_changelink(): br_setport() on a bridge port (a device without a
    bridge above it, the bridge itself too, is refused). Its steps in order, what a
    refused one leaves done staying done (recorded): the flags, cost, priority, state,
    flush, multicast router, group_fwd_mask, backup port."""
    if dev.master is None or dev.master.kind != "bridge":
        raise KernelError(Errno.EOPNOTSUPP)
    changes = dict(changes)
    conf = dev.brport or BrPortConf()
    flags = {k: changes.pop(k) for k in _BR_PORT_FLAGS if k in changes}
    if flags:
        conf = dev.brport = replace(conf, **flags)

    def put(**values) -> None:
        dev.brport = replace(dev.brport or BrPortConf(), **values)

    cost = changes.pop("cost", None)
    if cost is not None:
        if not 1 <= cost <= BR_MAX_PATH_COST:
            raise KernelError(Errno.ERANGE)       # br_stp_set_path_cost()
        put(cost=cost)
        stp = dev.master.br_stp
        if stp is not None and dev.ifindex in stp.ports:
            stp.set_path_cost(stp.ports[dev.ifindex])
    priority = changes.pop("priority", None)
    if priority is not None:
        if priority > BR_MAX_PORT_PRIORITY:
            raise KernelError(Errno.ERANGE)       # br_stp_set_port_priority()
        put(priority=priority)
        stp = dev.master.br_stp
        if stp is not None and dev.ifindex in stp.ports:
            stp.set_port_priority(stp.ports[dev.ifindex], priority)
    if state is not None:
        # br_set_port_state(): a known state, on a port that runs (and is up, but to
        # disable it)
        if state > BrState.BLOCKING:
            raise KernelError(Errno.EINVAL)
        if dev.master.br_conf.get("stp_state", 0) == 1:
            raise KernelError(Errno.EBUSY)      # kernel STP runs: not by hand
        if not dev.admin_up or (not dev.carrier and state != BrState.DISABLED):
            raise KernelError(Errno.ENETDOWN)
        # br_set_state(), then br_port_state_selection(): without STP a blocking port
        # is made forwarding again (br_make_forwarding()), the others stay
        stp = dev.master.br_stp
        if stp is not None and dev.ifindex in stp.ports:
            stp.ports[dev.ifindex].state = state
            stp.ports[dev.ifindex].manual = state == BrState.DISABLED
            stp.port_state_selection(carrier=False)
        elif stp is None:
            put(manual_state=None if state in (BrState.FORWARDING, BrState.BLOCKING)
                else int(state))
            # br_port_state_selection()'s liveports: the bridge's carrier follows its
            # forwarding ports (recorded: fuzz44_br_carrier_manual_state)
            br = dev.master
            if br.admin_up and br.netns is not None:
                br.netns._set_carrier(br, br.netns._bridge_carrier(br))
    if changes.pop("fdb_flush", False):
        # IFLA_BRPORT_FLUSH -> br_fdb_delete_by_port(br, p, 0, 0): the port's entries
        # but the static (and local) ones
        br = dev.master
        for mac in [m for m, port in br.fdb.items() if port is dev and
                    not br.fdb_state.get(m, NUD_REACHABLE) & (NUD_PERMANENT | NUD_NOARP)]:
            fdb_forget(br, mac)
    router = changes.pop("mcast_router", None)
    if router is not None:
        if router not in (0, 1, 2, 3):
            raise KernelError(Errno.EINVAL)       # br_multicast_set_port_router()
        until = None
        if router == 3:     # MDB_RTR_TYPE_TEMP: br_multicast_mark_router(), timer anew
            br = dev.master
            until = br.netns.clock.now + \
                br.br_conf.get("mcast_querier_interval", 25500) / 100
        put(mcast_router=router, mc_rport=router == 2,     # br_multicast_set_port_router()
            mc_rport_until=until)
    mask = changes.pop("group_fwd_mask", None)
    if mask is not None:
        if mask & BR_GROUPFWD_MACPAUSE:
            raise KernelError(Errno.EINVAL)       # a port may forward all but pause
        put(group_fwd_mask=mask)
    if backup is not None:
        # br_setport() -> nbp_backup_change(): `backup` (IFLA_BRPORT_BACKUP_PORT's
        # device) must be a port of the same bridge, not the port itself
        if backup.master is None or backup.master.kind != "bridge":
            raise KernelError(Errno.ENOENT)
        if backup.master is not dev.master or backup is dev:
            raise KernelError(Errno.EINVAL)
        changes["backup_port"] = backup.ifindex
    if changes:
        put(**changes)


# ------------------------------------------------------------------ the FDB
NUD_REACHABLE, NUD_NOARP, NUD_PERMANENT = 0x02, 0x40, 0x80


def br_fdb_add(br: NetDevice, port: NetDevice, mac: bytes, state: int, excl: bool,
               ntf: int = 0) -> None:
    """br_fdb_add() -> __br_fdb_add(): NTF_USE learns the address on the port as its
    traffic would (br_fdb_update()), NTF_EXT_LEARNED adds it as learnt by a switch
    (br_fdb_external_learn_add()), else fdb_add_entry(). `port` is the bridge itself
    for an entry of the bridge device (`dev br0 self`: no port, source NULL)."""
    if mac == bytes(6):
        # br_fdb_add(): "RTM_NEWNEIGH with invalid ether address" (a multicast one is
        # taken: recorded, fuzz38_changeaddr_neigh_fdb)
        raise KernelError(Errno.EINVAL)
    if ntf & NTF_USE:
        if port is br:
            raise KernelError(Errno.EINVAL)     # "RTM_NEWNEIGH %s with NTF_USE is not supported"
        _br_fdb_use(br, port, mac)
        return
    if ntf & NTF_EXT_LEARNED:
        if port is br and not state & NUD_PERMANENT:
            raise KernelError(Errno.EINVAL, "bridge: FDB entry towards bridge must be permanent")
        _br_fdb_external_learn_add(br, port, mac)
        return
    _fdb_add_entry(br, port, mac, state, excl, bool(ntf & NTF_STICKY))


def _fdb_add_entry(br: NetDevice, port: NetDevice, mac: bytes, state: int, excl: bool,
                   sticky: bool) -> None:
    """fdb_add_entry(): a user entry on a port, local (PERMANENT), static (NOARP) or
    dynamic; an existing one is refused with EXCL, else takes the new state (it stays
    where it is in the list, externally learnt or not)."""
    if br.netns is not None:
        br_fdb_expire(br, br.netns.clock.now)
    if port is not br and not state & (NUD_PERMANENT | NUD_NOARP) and \
            port_state(port) not in (BrState.LEARNING, BrState.FORWARDING):
        # fdb_add_entry(): "If the port cannot learn allow only local and static
        # entries"
        raise KernelError(Errno.EPERM)
    if port is br and not state & NUD_PERMANENT:
        raise KernelError(Errno.EINVAL)         # "RTM_NEWNEIGH %s without NUD_PERMANENT"
    if sticky and state & NUD_PERMANENT:
        raise KernelError(Errno.EINVAL)         # a sticky entry may not be local
    if mac in br.fdb:
        if excl:
            raise KernelError(Errno.EEXIST)
    elif excl and _fdb_local(br, mac):
        # br_fdb_find() finds the local entry of the bridge's or a port's own address
        # (fdb_add_local()): `bridge fdb add` of it on any port is refused (recorded:
        # fuzz44_fdb_add_own_address, seed 560032)
        raise KernelError(Errno.EEXIST)
    else:
        now = br.netns.clock.now if br.netns is not None else 0.0
        br.fdb_times[mac] = (now, now)          # fdb_create()
        unmark(br.fdb_ext, mac)
    br.fdb[mac] = port
    br.fdb_state[mac] = NUD_PERMANENT if state & NUD_PERMANENT else \
        NUD_NOARP if state & NUD_NOARP else NUD_REACHABLE
    # fdb_add_entry(): BR_FDB_STICKY follows the request (a replace without it clears it)
    if sticky:
        own_set(br, "fdb_sticky").add(mac)
    else:
        unmark(br.fdb_sticky, mac)


def _fdb_local(br: NetDevice, mac: bytes) -> bool:
    """BR_FDB_LOCAL: an entry added permanent, or a port's or the bridge's own address
    (fdb_add_local())."""
    if mac in br.fdb:
        return bool(br.fdb_state.get(mac, 0) & NUD_PERMANENT)
    return mac == br.address or any(
        p.address == mac and (p.brport is None or p.brport.local_fdb) for p in br.ports)


def _br_fdb_use(br: NetDevice, port: NetDevice, mac: bytes) -> None:
    """__br_fdb_add() with NTF_USE: nothing on a port that may not learn
    (nbp_state_should_learn()) or with an ageing time of 0 (hold_time()), else
    br_fdb_update(..., BR_FDB_ADDED_BY_USER): a new dynamic entry added by the user, or
    an existing one (not local) taken over: used now, moved to the port unless sticky
    (a static one stays static, an externally learnt one no longer is), added by the
    user from now on (recorded: fuzz41 seed 480125, lead41_fdb_use)."""
    if port_state(port) not in (BrState.LEARNING, BrState.FORWARDING) or \
            br.br_conf.get("ageing_time", 30000) == 0:
        return
    if _fdb_local(br, mac):
        return                      # "received packet on %s with own address as source"
    now = br.netns.clock.now if br.netns is not None else 0.0
    if mac not in br.fdb:
        br.fdb_times[mac] = (now, now)          # fdb_create()
        unmark(br.fdb_ext, mac)
        unmark(br.fdb_sticky, mac)
        br.fdb[mac] = port
        br.fdb_state[mac] = NUD_REACHABLE
        return
    used, _ = br.fdb_times.get(mac, (now, now))
    br.fdb_times[mac] = (used, now)
    user = mac in br.fdb_state
    if br.fdb[mac] is not port and not (user and mac in br.fdb_sticky):
        br.fdb[mac] = port
        unmark(br.fdb_ext, mac)                 # "Take over HW learned entry"
    if not user:
        br.fdb_state[mac] = NUD_REACHABLE
        unmark(br.fdb_sticky, mac)


def _br_fdb_external_learn_add(br: NetDevice, port: NetDevice, mac: bytes) -> None:
    """br_fdb_external_learn_add(br, p, addr, vid, false, true): whatever the port's
    state, and whatever state or stickiness was asked for, a new entry is dynamic (local
    towards the bridge) and added by the user; an existing one moves to the port,
    keeps its state and is externally learnt from now on (recorded: lead41_fdb_use). Such
    entries do not age and stay when their port goes down."""
    now = br.netns.clock.now if br.netns is not None else 0.0
    if mac not in br.fdb:
        br.fdb_times[mac] = (now, now)          # fdb_create()
        unmark(br.fdb_sticky, mac)
        br.fdb_state[mac] = NUD_PERMANENT if port is br else NUD_REACHABLE
    else:
        used, _ = br.fdb_times.get(mac, (now, now))
        br.fdb_times[mac] = (now, now) if mac in br.fdb_ext else (used, now)
        if mac not in br.fdb_state:
            br.fdb_state[mac] = NUD_REACHABLE   # swdev_notify: BR_FDB_ADDED_BY_USER
            unmark(br.fdb_sticky, mac)
        if port is br:
            br.fdb_state[mac] = NUD_PERMANENT   # BR_FDB_LOCAL
    br.fdb[mac] = port
    own_set(br, "fdb_ext").add(mac)


def fdb_stamp_locals(br: NetDevice) -> None:
    """fdb_add_local() / fdb_insert() -> fdb_create(): a local entry made now (a port's
    address, the bridge's own) is used and updated now; a gone entry's times go."""
    if br.netns is None:
        return
    now = br.netns.clock.now
    times = br.fdb_times
    local = {p.address for p in br.ports if p.brport is None or p.brport.local_fdb}
    if br.address != bytes(6) and br.address not in local:
        local.add(br.address)
    for mac in local:
        if mac not in times and mac not in br.fdb:
            times[mac] = (now, now)
    for mac in [m for m in times if m not in local and m not in br.fdb]:
        del times[mac]


def fdb_cacheinfo(br: NetDevice, mac: bytes, now: float) -> tuple[int, int] | None:
    """br_fdb_fill_info()'s NDA_CACHEINFO: ndm_used and ndm_updated, the clock_t
    (USER_HZ) since the entry was used and updated (jiffies at HZ 250)."""
    times = br.fdb_times.get(mac)
    return None if times is None else tuple(clock_t_since(now, t) for t in times)


HZ, USER_HZ = 250, 100          # the recording kernel's CONFIG_HZ; clock_t's


def clock_t_since(now: float, then: float) -> int:
    """jiffies_to_clock_t(jiffies - then): whole jiffies, then USER_HZ ticks."""
    return (int(now * HZ) - int(then * HZ)) * USER_HZ // HZ


def fdb_forget(br: NetDevice, mac: bytes) -> NetDevice:
    """fdb_delete(): the entry goes whole, its flags (BR_FDB_STICKY and
    BR_FDB_ADDED_BY_EXT_LEARN live in it) and its used/updated times with it, so
    that an entry made again for the MAC starts afresh (a sticky mark left behind
    kept stack._br_learn() from learning the MAC again). Returns its port."""
    port = br.fdb.pop(mac)
    br.fdb_state.pop(mac, None)
    unmark(br.fdb_ext, mac)
    unmark(br.fdb_sticky, mac)
    br.fdb_times.pop(mac, None)
    return port


def br_fdb_delete(br: NetDevice, port: NetDevice, mac: bytes) -> None:
    """fdb_delete_by_addr_and_port(): the entry of that port, else ENOENT."""
    if br.netns is not None:
        br_fdb_expire(br, br.netns.clock.now)
    if br.fdb.get(mac) is not port:
        raise KernelError(Errno.ENOENT)
    fdb_forget(br, mac)
    fdb_stamp_locals(br)


# BR_FDB_* bits (br_private.h) as __ndm_state_to_fdb_flags() and
# __ndm_flags_to_fdb_flags() map a flush request's NUD states and NTF flags onto them
BR_FDB_LOCAL, BR_FDB_STATIC, BR_FDB_ADDED_BY_USER = 0x1, 0x2, 0x4
BR_FDB_ADDED_BY_EXT_LEARN, BR_FDB_OFFLOADED, BR_FDB_STICKY = 0x8, 0x10, 0x20
NTF_USE, NTF_SELF, NTF_MASTER = 0x01, 0x02, 0x04
NTF_EXT_LEARNED, NTF_OFFLOADED, NTF_STICKY, NTF_ROUTER = 0x10, 0x20, 0x40, 0x80


@dataclass(frozen=True)
class FdbFlush:
    """A bulk RTM_DELNEIGH (family PF_BRIDGE, NLM_F_BULK) as bridge's fdb_flush()
    sends it: ndm_state/ndm_flags, NDA_NDM_STATE_MASK/NDA_NDM_FLAGS_MASK, NDA_IFINDEX
    (-1: absent), NDA_VLAN (-1: absent)."""

    ifindex: int
    flags: int = 0
    state: int = 0
    state_mask: int = 0
    flags_mask: int = 0
    port_ifindex: int = -1
    vlan: int = -1


def _fdb_flags(state: int, ntf: int) -> int:
    """__ndm_state_to_fdb_flags() | __ndm_flags_to_fdb_flags() (the bits modelled)."""
    out = BR_FDB_LOCAL if state & NUD_PERMANENT else 0
    if state & NUD_NOARP:
        out |= BR_FDB_STATIC
    for bit, fdb_bit in ((NTF_USE, BR_FDB_ADDED_BY_USER),
                         (NTF_EXT_LEARNED, BR_FDB_ADDED_BY_EXT_LEARN),
                         (NTF_OFFLOADED, BR_FDB_OFFLOADED), (NTF_STICKY, BR_FDB_STICKY)):
        if ntf & bit:
            out |= fdb_bit
    return out


def _entry_flags(br: NetDevice, mac: bytes) -> int:
    """An entry's BR_FDB_* bits: a user entry ADDED_BY_USER, a local one LOCAL and
    STATIC (fdb_add_entry(), fdb_add_local()), a learnt one none."""
    state = br.fdb_state.get(mac)
    if state is None:
        return 0
    local = BR_FDB_LOCAL | BR_FDB_STATIC if state & NUD_PERMANENT else 0
    return BR_FDB_ADDED_BY_USER | local | (BR_FDB_STATIC if state & NUD_NOARP else 0) | \
        (BR_FDB_STICKY if mac in br.fdb_sticky else 0) | \
        (BR_FDB_ADDED_BY_EXT_LEARN if mac in br.fdb_ext else 0)


def br_fdb_delete_bulk(ns, dev: NetDevice, req: FdbFlush) -> None:
    """br_fdb_delete_bulk() -> br_fdb_flush(): every entry of the bridge (or of the
    port, flushed through its master) whose port, VLAN and flags match; the ports'
    own (local) entries too unless the flags keep them."""
    if req.vlan >= 0 and not 1 <= req.vlan <= 4094:
        # nlmsg_parse() against br_fdb_del_bulk_policy (rtnl_fdb_del() leaves a bulk
        # request's attributes to the driver's policy: a vxlan device's has no VLAN)
        raise KernelError(Errno.ERANGE, "integer out of range")
    if dev.kind == "bridge":
        br, port = dev, None
    elif dev.master is not None and dev.master.kind == "bridge":
        br, port = dev.master, dev
    else:
        raise KernelError(Errno.EINVAL, "bridge: Device is not a bridge port")
    flags = _fdb_flags(req.state, req.flags & ~(NTF_MASTER | NTF_SELF))
    mask = _fdb_flags(req.state_mask, req.flags_mask)
    port_ifindex = port.ifindex if port is not None else 0
    if req.port_ifindex >= 0:
        # __fdb_flush_validate_ifindex()
        target = ns.by_index(req.port_ifindex)
        if target is None:
            raise KernelError(Errno.ENODEV, "bridge: Unknown flush device ifindex")
        if target.kind == "bridge":
            if target is not br:
                raise KernelError(Errno.EINVAL, "bridge: Flush bridge device does not "
                                  "match target bridge device")
        elif target.master is None or target.master.kind != "bridge":
            raise KernelError(Errno.EINVAL, "bridge: Flush device is not a bridge or "
                              "bridge port")
        elif target.master is not br:
            raise KernelError(Errno.EINVAL, "bridge: Port belongs to a different bridge "
                              "device")
        port_ifindex = req.port_ifindex
    if req.vlan > 0:
        return                   # no entry has a VLAN: none is simulated

    def matches(ifindex: int, entry_flags: int) -> bool:
        # __fdb_flush_matches()
        if port_ifindex and port_ifindex != ifindex:
            return False
        return not mask or entry_flags & mask == flags

    for mac, owner in list(br.fdb.items()):
        if matches(owner.ifindex, _entry_flags(br, mac)):
            fdb_forget(br, mac)
    for p in br.ports:
        conf = p.brport or BrPortConf()
        if conf.local_fdb and p.address not in br.fdb and \
                matches(p.ifindex, BR_FDB_LOCAL | BR_FDB_STATIC):
            p.brport = replace(conf, local_fdb=False)


def rtnl_fdb_del_bulk(ns, req: FdbFlush) -> None:
    """rtnl_fdb_del() of a bulk request: the policy's VLAN range, then the port's
    bridge (no flags or NTF_MASTER), then the device's own ndo_fdb_del_bulk() (NTF_SELF:
    a bridge's or a vxlan device's; any other has none)."""
    dev = ns.by_index(req.ifindex)
    if dev is None:
        raise KernelError(Errno.ENODEV, "unknown ifindex")
    if dev.info.link_type != "ether":
        raise KernelError(Errno.EINVAL, "FDB delete only supported for Ethernet devices")
    flags, done = req.flags, False
    if (not flags & (NTF_MASTER | NTF_SELF) or flags & NTF_MASTER) and \
            dev.master is not None and dev.master.kind == "bridge":
        br_fdb_delete_bulk(ns, dev, req)
        flags &= ~NTF_MASTER
        done = True
    if flags & NTF_SELF:
        done = False
        if dev.kind == "bridge":
            br_fdb_delete_bulk(ns, dev, req)
            done = True
        elif dev.vxlan is not None:
            _vxlan_fdb_delete_bulk(dev, req)
            done = True
    if not done:
        raise KernelError(Errno.EOPNOTSUPP)


def _vxlan_fdb_delete_bulk(dev: NetDevice, req: FdbFlush) -> None:
    """vxlan_fdb_delete_bulk() -> vxlan_flush(): the entries whose state and flags
    match, the default remote's too (its desc leaves ignore_default_entry false, which
    only the device going down sets; recorded: a flush takes the entry `remote` made)."""
    conf = dev.vxlan
    if req.vlan >= 0 or req.port_ifindex >= 0:
        # nlmsg_parse() against vxlan_del_bulk_policy, strictly: an attribute it has
        # no entry for (NDA_VLAN, NDA_IFINDEX) is refused (recorded: `bridge fdb flush
        # dev vx0 vlan 10` says "Error: Unsupported attribute.")
        raise KernelError(Errno.EINVAL, "Unsupported attribute")
    flags = req.flags & ~(NTF_MASTER | NTF_SELF)        # VXLAN_FDB_FLUSH_IGNORED_NDM_FLAGS
    if flags & ~(NTF_EXT_LEARNED | NTF_OFFLOADED | NTF_ROUTER):
        raise KernelError(Errno.EINVAL, "Unsupported fdb flush ndm flag bits set")
    if req.state & ~(NUD_PERMANENT | NUD_NOARP):
        raise KernelError(Errno.EINVAL, "Unsupported fdb flush ndm state bits set")
    keep = []
    for row in conf.fdb:
        # vxlan_fdb_flush_matches(): the state and the flags (f->flags, as added)
        # under their masks
        row_flags = row.ntf
        if req.state_mask and row.state & req.state_mask != req.state or \
                req.flags_mask and row_flags & req.flags_mask != flags:
            keep.append(row)
    conf.fdb[:] = keep


def dflt_fdb_add(dev: NetDevice, mac: bytes, state: int, excl: bool = True) -> None:
    """ndo_dflt_fdb_add(): a permanent address on the device's own unicast or
    multicast list, not there yet (dev_uc_add_excl(), dev_mc_add_excl(): a global
    entry, `static` in ip maddr); an address there already is EEXIST only under
    NLM_F_EXCL (`bridge fdb add`; append and replace are 0, the list unchanged)."""
    from ipemu.kernel.mcast import HwMcAddr
    if state and not state & NUD_PERMANENT:
        raise KernelError(Errno.EINVAL)
    if not mac[0] & 1:
        if mac in dev.uc:
            if excl:
                raise KernelError(Errno.EEXIST)
            return
        own_list(dev, "uc").append(mac)
        return
    if any(entry.addr == mac for entry in dev.mc):
        if excl:
            raise KernelError(Errno.EEXIST)
        return
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
    # macvlan_open(): each open macvlan but passthru's dev_uc_add()s its address to
    # the lower (dev_uc_del() at macvlan_stop(); recorded, fuzz42: `bridge fdb show
    # dev v0` lists them `self permanent` before the groups)
    from ipemu.kernel.macvlan import port_passthru
    uc = [] if not dev.macvlans or port_passthru(dev) else \
        [v.address for v in sorted((v for v in dev.macvlans if v.admin_up),
                                   key=lambda v: v.macvlan.uc_added)]
    uc += [mac for mac in dev.uc if mac not in uc]
    return [FdbMsg(dev.ifindex, mac, None, NUD_PERMANENT) for mac in uc] + \
        [FdbMsg(dev.ifindex, e.addr, None, NUD_PERMANENT) for e in dev.mc]


def _bridge_entries(br: NetDevice, port: NetDevice | None, own: bytes | None = None) -> list:
    """br_fdb_dump(): the bridge's entries of one port (or its own, port None), newest
    first: learned and user entries, then the ports' local addresses (added when they
    joined), then the bridge's own address when no port has it."""
    from ipemu.kernel.records import FdbMsg
    if br.netns is not None:
        br_fdb_expire(br, br.netns.clock.now)
    out = []
    owner = br if port is None else port
    for mac in reversed(list(br.fdb)):
        if br.fdb[mac] is owner:
            out.append(FdbMsg(owner.ifindex, mac, None, br.fdb_state.get(mac, NUD_REACHABLE),
                              self_flag=False, master=br.ifindex,
                              sticky=mac in br.fdb_sticky and mac in br.fdb_state,
                              ext_learned=mac in br.fdb_ext))
    if port is not None:
        if port.address not in br.fdb and (port.brport is None or port.brport.local_fdb):
            out.append(FdbMsg(port.ifindex, port.address, None, NUD_PERMANENT,
                              self_flag=False, master=br.ifindex))
    else:
        own = br.address if own is None else own
        if own != bytes(6) and not any(p.address == own for p in br.ports):
            out.append(FdbMsg(br.ifindex, own, None, NUD_PERMANENT, self_flag=False,
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


# ------------------------------------------------------- FDB notifications
def br_fdb_disable_port(ns, port: NetDevice) -> None:
    """br_stp_disable_port() -> br_fdb_delete_by_port(br, p, 0, 0): a port going down
    or losing its carrier loses its dynamic entries (learned or added `dynamic`), each
    notified (fdb_delete(): RTM_DELNEIGH); static and local ones stay (recorded:
    `bridge fdb show` after `ip link set pa down`)."""
    br = port.master
    if br is None or br.kind != "bridge":
        return
    if port.brport is not None and port.brport.backup_port:
        # `if (!rcu_access_pointer(p->backup_port))`: a port with a backup keeps its
        # entries, so br_forward() can redirect them (commit 8dc350202d32, "optimize
        # backup_port fdb convergence"; recorded: tutorials46_bridge_backup_port_failover)
        return
    from ipemu.kernel.records import FdbMsg
    # the list is walked newest first (hlist_add_head() in fdb_create())
    for mac in [m for m in reversed(list(br.fdb)) if br.fdb[m] is port and
                not br.fdb_state.get(m, NUD_REACHABLE) & (NUD_PERMANENT | NUD_NOARP)
                and m not in br.fdb_ext]:
        state = br.fdb_state.get(mac, NUD_REACHABLE)
        fdb_forget(br, mac)
        fdb_notify(ns, FdbMsg(port.ifindex, mac, None, state, self_flag=False,
                              master=br.ifindex), deleted=True)


def fdb_notify(ns, msg, deleted: bool = False) -> None:
    """fdb_notify() / vxlan_fdb_notify() / rtnl_fdb_notify(): one RTM_NEWNEIGH or
    RTM_DELNEIGH of family PF_BRIDGE to RTNLGRP_NEIGH."""
    if ns is not None and ns.listeners:
        from ipemu.kernel.records import RTM
        ns._notify(RTM.DELNEIGH if deleted else RTM.NEWNEIGH, msg)


def _fdb_key(msg) -> tuple:
    """What names one entry: a bridge's by its MAC (fdb_add_entry() moves an entry to
    its new port and notifies once), a device's own by all of its destination."""
    if msg.master is not None:
        return ("br", msg.master, msg.mac)
    return ("self", msg.ifindex, msg.mac, msg.dst, msg.port, msg.vni, msg.via)


def fdb_request_notify(ns, before: list, vid: int | None = None) -> None:
    """The notifications of one user request (fdb_add_entry(), fdb_delete(),
    br_fdb_delete_bulk(), vxlan_fdb_update()/vxlan_fdb_destroy(), rtnl_fdb_notify()):
    entries gone are deleted, new or changed ones (a new port, a new state) are new.
    `vid`: the request's VLAN, which rtnl_fdb_notify() of a device's own entry
    carries (`bridge fdb add MAC vlan 1 dev MACVLAN self`)."""
    after = fdb_dump(ns)
    old = {_fdb_key(m): m for m in before}
    new = {_fdb_key(m): m for m in after}
    gone = [msg for key, msg in old.items() if key not in new]
    for msg in sorted(gone, key=lambda m: -_born_of(ns, m)):    # fdb_list: newest first
        fdb_notify(ns, _with_vid(ns, _dflt_state(ns, msg), vid), deleted=True)
    for key, msg in new.items():
        if key not in old and msg.master is not None:
            br = ns.by_index(msg.master)
            if br is not None:
                fdb_born(br, [msg.mac])
        if old.get(key) != msg:
            fdb_notify(ns, _with_vid(ns, _dflt_state(ns, msg), vid))


def _with_vid(ns, msg, vid: int | None):
    """rtnl_fdb_notify()'s NDA_VLAN on a device's own entry (not a bridge's or a
    vxlan's, whose drivers notify themselves)."""
    if not vid or msg.master is not None:
        return msg
    dev = ns.by_index(msg.ifindex)
    if dev is None or dev.vxlan is not None or dev.kind == "bridge":
        return msg
    return replace(msg, vlan=vid)


def _born_of(ns, msg) -> int:
    """When a bridge's entry was made (fdb_born()), 0 when unknown or not a bridge's."""
    br = ns.by_index(msg.master) if msg.master is not None else None
    return br.fdb_born.get(msg.mac, 0) if br is not None else 0


def _dflt_state(ns, msg):
    """rtnl_fdb_notify() of a device's own address list (ndo_dflt_fdb_add()/_del())
    carries the request's state, which only NUD_PERMANENT passes: with bridge's
    default NUD_NOARP, NOARP|PERMANENT (the dump says PERMANENT alone)."""
    if msg.master is not None:
        return msg
    dev = ns.by_index(msg.ifindex)
    if dev is None or dev.vxlan is not None or dev.kind == "bridge":
        return msg
    return replace(msg, state=NUD_NOARP | NUD_PERMANENT)


def br_set_bridge_priority(br: NetDevice, old: int) -> None:
    """br_stp_set_bridge_priority() on a bridge without kernel STP: the ports then
    disabled keep `old` in their designated ids (BrPortConf.designated_prio)."""
    if br.br_stp is not None or br.br_conf.get("priority", 0x8000) == old:
        return
    for p in br.ports:
        if port_state(p) == BrState.DISABLED:
            conf = p.brport or BrPortConf()
            if conf.designated_prio is None:
                p.brport = replace(conf, designated_prio=old)


def br_fdb_cleanup(ns, br: NetDevice) -> None:
    """br_set_ageing_time() -> br_fdb_cleanup() at once: with an ageing time of 0 every
    entry without BR_FDB_STATIC (learnt ones, dynamic ones added by hand) has expired
    (has_expired()) and is deleted, newest first (fdb_list), each notified. Entries
    age in br_fdb_expire() with a non-zero ageing time."""
    if br.br_conf.get("ageing_time", 30000) != 0:
        return
    from ipemu.kernel.records import FdbMsg
    for mac in reversed(list(br.fdb)):
        state = br.fdb_state.get(mac, NUD_REACHABLE)
        if state & (NUD_PERMANENT | NUD_NOARP) or mac in br.fdb_ext:
            continue                            # BR_FDB_STATIC, BR_FDB_ADDED_BY_EXT_LEARN
        port = fdb_forget(br, mac)
        fdb_notify(ns, FdbMsg(port.ifindex, mac, None, state, self_flag=False,
                              master=br.ifindex), deleted=True)


def br_fdb_flush_dynamic(ns, br: NetDevice) -> None:
    """br_fdb_flush() of `ip link set BR type bridge fdb_flush`: the entries without
    BR_FDB_STATIC (learnt, added dynamic, externally learnt ones too), newest first,
    each notified."""
    from ipemu.kernel.records import FdbMsg
    for mac in reversed(list(br.fdb)):
        state = br.fdb_state.get(mac, NUD_REACHABLE)
        if state & (NUD_PERMANENT | NUD_NOARP):
            continue
        port = fdb_forget(br, mac)
        fdb_notify(ns, FdbMsg(port.ifindex, mac, None, state, self_flag=False,
                              master=br.ifindex), deleted=True)


def br_fdb_expire(br: NetDevice, now: float) -> None:
    """br_fdb_cleanup()'s gc work while the bridge is up: an entry without
    BR_FDB_STATIC or BR_FDB_ADDED_BY_EXT_LEARN (learnt, or added `dynamic`) whose
    `updated` is hold_time() (the ageing time) behind is deleted, newest first, each
    notified (recorded: an entry added dynamic on a bridge with ageing_time 1000 is
    gone 11 s on, one refreshed by traffic stays: fuzz44_fdb_ageing, seed 560208).
    Run where the FDB is read (dump, lookup, add, delete)."""
    ageing = br.br_conf.get("ageing_time", 30000)
    if not ageing or not br.admin_up or br.br_gc_start is None or now < br.br_gc_start \
            or not br.fdb:
        return
    hold = ageing / 100
    expired = []
    for mac in reversed(list(br.fdb)):
        state = br.fdb_state.get(mac, NUD_REACHABLE)
        if state & (NUD_PERMANENT | NUD_NOARP) or mac in br.fdb_ext:
            continue
        times = br.fdb_times.get(mac)
        if times is not None and times[1] + hold <= now + 1e-9:
            expired.append((mac, state))
    if not expired:
        return
    from ipemu.kernel.records import FdbMsg
    for mac, state in expired:
        port = fdb_forget(br, mac)
        fdb_notify(br.netns, FdbMsg(port.ifindex, mac, None, state, self_flag=False,
                                    master=br.ifindex), deleted=True)


def br_fdb_entries(br: NetDevice, own: bytes | None = None) -> list:
    """A bridge's entries, stored and local, its ports' newest port first (port_list);
    `own`: the address the bridge is about to take."""
    out = []
    for port in reversed(br.ports):
        out += _bridge_entries(br, port)
    return out + _bridge_entries(br, None, own)


def fdb_born(br: NetDevice, macs) -> None:
    """fdb_create(): these entries are the newest of the bridge's list."""
    for mac in macs:
        br.fdb_born[mac] = max(br.fdb_born.values(), default=0) + 1


def br_fdb_changes_notify(ns, br: NetDevice, before: list, old_addr: bytes,
                          own: bytes | None = None) -> list:
    """What a port joining or leaving, a port's or the bridge's new address, or the
    bridge's deletion does to its local entries, in the kernel's order:
    br_fdb_delete_by_port()/br_fdb_changeaddr() delete a port's entries (a local one
    of the bridge's own address only moves to the bridge: fdb_delete_local()),
    fdb_add_local() adds the port's address, then br_fdb_change_mac_address() deletes
    the bridge's old entry and adds one for its new address when no port has it."""
    after = br_fdb_entries(br, own) if br.netns is not None and \
        br in br.netns.device_list() else []
    if not (ns is not None and ns.listeners):
        return after
    old = {m.mac: m for m in before}
    new = {m.mac: m for m in after}
    fdb_born(br, [mac for mac in new if mac not in old])
    gone = sorted((m for mac, m in old.items() if mac not in new),
                  key=lambda m: -br.fdb_born.get(m.mac, 0))      # fdb_list: newest first
    for mac in [m.mac for m in gone]:
        br.fdb_born.pop(mac, None)
    moved = [m for mac, m in new.items() if mac not in old or _changed(old[mac], m)]
    for msg in gone:
        if msg.mac != old_addr:
            fdb_notify(ns, msg, deleted=True)
    for msg in moved:
        if msg.ifindex != br.ifindex:
            fdb_notify(ns, msg)
    for msg in gone:
        if msg.mac == old_addr:
            fdb_notify(ns, replace(msg, ifindex=br.ifindex), deleted=True)
    for msg in moved:
        if msg.ifindex == br.ifindex and msg.mac not in old:
            fdb_notify(ns, msg)
    return after


def _changed(old, new) -> bool:
    """A change worth a message: not a local entry passing silently between a port
    and the bridge (fdb_delete_local()'s `f->dst = NULL`)."""
    if old.state != new.state:
        return True
    return old.ifindex != new.ifindex and old.master not in (old.ifindex, new.ifindex) \
        and new.master not in (old.ifindex, new.ifindex)


AF_BRIDGE = 7


def br_ifinfo_notify(ns, port: NetDevice, rtm=None, iflink: int | None = None,
                     state: "BrState | None" = None, flags: int | None = None) -> None:
    """br_ifinfo_notify() -> br_fill_ifinfo(): a port's AF_BRIDGE link message (to
    RTNLGRP_LINK): its name, master, MTU, operstate, address and IFLA_LINK, without the
    qdisc, group, queue length or broadcast address rtnl_fill_ifinfo() adds; an
    RTM_NEWLINK carries the port's STP state then (IFLA_PROTINFO), `state` when the
    caller has just set it (br_stp_disable_port()); `flags` the device's flags when
    the caller knows them ahead of ipemu's fields (dev_get_flags() of a veth its
    ndo_open() gave carrier: LOWER_UP before linkwatch runs)."""
    if not ns.listeners:
        return
    from ipemu.kernel.records import RTM, link_msg
    protinfo = None
    if rtm in (None, RTM.NEWLINK) and port.master is not None and \
            port.master.kind == "bridge":
        protinfo = int(state if state is not None else port_state(port))
    msg = link_msg(ns, port, iflink=iflink)
    # br_fill_ifinfo(): IFLA_LINK only when dev_get_iflink() is another index, whatever
    # the link namespace (rtnl_fill_ifinfo() forces it with a link-netnsid: a veth
    # whose peer in red holds its own index is `v0@if2` there, `v0:` here; recorded,
    # fuzz46_monitor_brport_iflink)
    link = None if msg.link == port.ifindex else msg.link
    msg = replace(msg, family=AF_BRIDGE, qdisc=None, group=None, link=link,
                  flags=msg.flags if flags is None else flags,
                  broadcast=None, link_netnsid=None, kind=None, info_data=None,
                  slave_kind=None, slave_data=None, ifalias=None, altnames=(),
                  protinfo_state=protinfo)
    ns._notify(rtm or RTM.NEWLINK, msg)


def find_portno(br: NetDevice) -> int:
    """find_portno() (br_if.c): the lowest free number of the bridge's port bitmap,
    from 1 (BR_MAX_PORTS 1024; past them new_nbp() fails with EXFULL)."""
    used = {br_port_no(p) for p in br.ports}
    no = 1
    while no in used:
        no += 1
    if no >= 1024:
        raise KernelError(Errno.EXFULL)
    return no


def br_port_no(port: NetDevice) -> int:
    """A port's p->port_no (IFLA_BRPORT_NO, the port id's low bits): the number it was
    given when it joined, kept while it stays (recorded: a second port keeps 0x2 once
    the first has left, fuzz44_br_port_no, seed 560269); 0 for a device that is no
    port."""
    br = port.master
    if br is None or port not in br.ports:
        return 0
    no = port.brport.port_no if port.brport is not None else 0
    return no or br.ports.index(port) + 1


def br_setlink(dev: NetDevice, changes: dict, state: int | None = None,
               backup: NetDevice | None = None) -> None:
    """br_setlink() (ndo_bridge_setlink, `bridge link set` without `self`): the port's
    IFLA_PROTINFO goes to br_setport(), and a port it changed is announced with
    br_ifinfo_notify(RTM_NEWLINK) even when nothing differs (recorded:
    tutorials44_monitor_fdb_link, `bridge link set dev veth0 cost 7` on a port that is
    down)."""
    br_setport(dev, changes, state, backup)
    br_ifinfo_notify(dev.netns, dev)


def br_add_if_notify(ns, br: NetDevice, port: NetDevice, first: bool,
                     fdb: tuple | None = None) -> None:
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
    if fdb is not None:
        # fdb_add_local() of the port's address, then br_stp_recalculate_bridge_id()'s
        # br_fdb_change_mac_address(): the bridge takes its lowest port's address
        own = br.address if br.addr_set_by_user or not br.ports else \
            min(p.address for p in br.ports)
        br_fdb_changes_notify(ns, br, *fdb, own=own)
    if port.running and br.admin_up:
        br_ifinfo_notify(ns, port)
        br_ifinfo_notify(ns, port)
    br_ifinfo_notify(ns, port)          # the end of br_add_if()


def br_backup_clear(br: NetDevice, gone: NetDevice) -> None:
    """nbp_backup_clear(): a port leaving the bridge stops being any port's backup."""
    for port in br.ports:
        if port.brport is not None and port.brport.backup_port == gone.ifindex:
            port.brport = replace(port.brport, backup_port=0)


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
    # br_stp_disable_port() sets BR_STATE_DISABLED before it notifies (recorded:
    # `bridge monitor` shows `state disabled` for a port leaving a forwarding bridge)
    br_ifinfo_notify(ns, port, iflink=iflink, state=BrState.DISABLED)
    br_ifinfo_notify(ns, port, RTM.DELLINK, iflink=iflink)
