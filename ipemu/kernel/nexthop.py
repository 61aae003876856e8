"""Nexthop objects (net/ipv4/nexthop.c): `ip nexthop` adds a gateway on a device, a
device alone, a blackhole or a group of other nexthops, under an id that routes then
name (`ip route add PFX nhid ID`). A nexthop dies with its device going down (and a
group member with it); the routes that use a nexthop die with it.

Kept in the namespace as `ns.nexthops` (id -> Nexthop object), in id order as the
kernel's rb-tree dumps them.
"""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import FibTable, Nexthop, RTN, Scope, TABLE_MAIN
from ipemu.kernel.records import RTM
from ipemu.plainclass import dataclass, replace

NH_MAX_ID = 0xFFFFFFFF


@dataclass(frozen=True)
class NhObj:
    """struct nexthop: one path (gateway, device, blackhole, onlink) or a group of
    (id, weight) members."""

    id: int
    family: int = 4                      # nh_family (of the gateway; 4 for dev-only)
    gateway: object = None
    oif: int | None = None
    blackhole: bool = False
    onlink: bool = False
    group: tuple[tuple[int, int], ...] = ()
    protocol: int = 0
    fdb: bool = False                    # NHA_FDB: a nexthop of a vxlan's FDB only
    # a resilient group's table (NEXTHOP_GRP_TYPE_RES): None for a hash-threshold one
    res: "ResTable | None" = None
    # fib_nh_scope RT_SCOPE_HOST: an IPv4 gateway that is our own address on the
    # nexthop's device (fib_check_nh_v4_gw(): FibFrontend.inet_gw_local())
    host: bool = False
    encap: object = None                 # NHA_ENCAP: its lwtstate (kernel/lwtunnel.py)

    @property
    def scope(self) -> int:
        """nh_create_ipv4(): link with a gateway (fdb ones too), host for a device
        alone; a group and a blackhole report universe."""
        if self.group or self.blackhole:
            return Scope.UNIVERSE
        if self.host:
            return Scope.HOST
        # an IPv6 path is scope link with or without a gateway (recorded)
        return Scope.LINK if self.gateway is not None or self.family == 6 else Scope.HOST


@dataclass(frozen=True)
class ResTable:
    """struct nh_res_table: the bucket count, the timers in clock_t (centiseconds, as
    NHA_RES_GROUP_*_TIMER carry them) and each bucket's (nexthop id, time it was
    last set: its idle time's start)."""

    num_buckets: int
    idle_timer: int = 12000              # NH_RES_DEFAULT_IDLE_TIMER, 120 s
    unbalanced_timer: int = 0            # NH_RES_DEFAULT_UNBALANCED_TIMER
    buckets: tuple = ()


@dataclass(frozen=True)
class NhRequest:
    """RTM_NEWNEXTHOP / RTM_DELNEXTHOP as ipnh_modify() builds it (None: absent)."""

    id: int | None = None
    family: int = 0
    gateway: object = None
    oif: int | None = None
    blackhole: bool = False
    onlink: bool = False
    group: tuple[tuple[int, int], ...] | None = None
    protocol: int = 0
    replace: bool = False
    fdb: bool = False
    group_type: int = 0                  # NHA_GROUP_TYPE: 0 mpath, 1 resilient
    # NHA_RES_GROUP's attributes as given (None: absent)
    buckets: int | None = None
    idle_timer: int | None = None
    unbalanced_timer: int | None = None
    encap: object = None                 # NHA_ENCAP(_TYPE): a kernel/lwtunnel.LwtEncap


def nh_add(ns, req: NhRequest) -> NhObj:
    """rtm_new_nexthop(): rtm_to_nh_config()'s checks, then nexthop_create() (a group:
    nexthop_create_group(), its members checked) and insert_nexthop() (an id in use is
    EEXIST unless replacing; none given takes the lowest free one)."""
    if req.id is not None and req.id == 0:
        req = replace(req, id=None)
    if req.family not in (4, 6) and req.group is None:
        raise KernelError(Errno.EINVAL, "Invalid address family")   # rtm_to_nh_config()
    if req.group is not None and req.family:
        # ... a group's own family is AF_UNSPEC (`ip -4/-6 nexthop add ... group`)
        raise KernelError(Errno.EINVAL, "Invalid family for group")
    if req.fdb and (req.oif is not None or req.blackhole):
        raise KernelError(Errno.EINVAL,
                          "Fdb attribute can not be used with encap, oif or blackhole")
    if req.blackhole and req.encap is not None:
        # rtm_to_nh_config()
        raise KernelError(Errno.EINVAL,
                          "Blackhole attribute can not be used with gateway, oif, encap or fdb")
    if req.fdb and req.onlink:
        raise KernelError(Errno.EINVAL, "Unsupported nexthop flags in ancillary header")
    if req.group is not None:
        obj = _group(ns, req)
    else:
        obj = _single(ns, req)
    old = ns.nexthops.get(req.id) if req.id is not None else None
    if old is not None and not req.replace:
        raise KernelError(Errno.EEXIST)
    if old is not None:
        _check_users(ns, old, obj)
        # replace_nexthop_grp() / replace_nexthop_single(): the kind stays
        if old.group and not obj.group:
            raise KernelError(Errno.EINVAL, "Can not replace a nexthop group with a nexthop.")
        if obj.group and not old.group:
            raise KernelError(Errno.EINVAL, "Can not replace a nexthop with a nexthop group.")
        if (old.res is None) != (obj.res is None):
            raise KernelError(Errno.EINVAL, "Can not replace a nexthop group with one of "
                                            "a different type.")
    if obj.res is not None:
        obj = _res_insert(ns, req, obj, old)
    if old is not None:
        obj = replace(obj, id=req.id)
        ns.nexthops[req.id] = obj
        if ns.nh_exceptions:
            ns.drop_nh_exceptions({req.id})
        _refresh_routes(ns)
        _notify(ns, RTM.NEWNEXTHOP, obj)        # replace_nexthop() -> nexthop_notify()
        if compat_mode(ns):
            _replace_notify(ns, req.id)
        return obj
    nhid = req.id if req.id is not None else next(
        i for i in range(1, NH_MAX_ID) if i not in ns.nexthops)
    obj = replace(obj, id=nhid)
    ns.nexthops[nhid] = obj
    ns.nexthops = dict(sorted(ns.nexthops.items()))
    _notify(ns, RTM.NEWNEXTHOP, obj)            # insert_nexthop()
    return obj


def compat_mode(ns) -> bool:
    """net.ipv4.nexthop_compat_mode (both families read it): routes using a nexthop
    object are dumped with its paths, and its replacement announces them again."""
    value = ns.sysctls.get("net.ipv4.nexthop_compat_mode")
    return value is None or value.strip() != "0"


def _routes_using(ns, ids: set[int]):
    """The routes of every table that name one of `ids` (fi_list, f6i_list)."""
    for table in ns.tables.values():
        for route in table.sorted_routes():
            if route.nhid in ids:
                yield route


def _parents(ns, nhid: int) -> list[NhObj]:
    """The groups `nhid` is a member of (its grp_list)."""
    return [o for o in ns.nexthops.values() if o.group and any(m == nhid for m, _ in o.group)]


def _replace_notify(ns, nhid: int) -> None:
    """nexthop_replace_notify(): RTM_NEWROUTE (NLM_F_REPLACE) for the routes using the
    nexthop, then for those using each group it is a member of."""
    if not ns.listeners:
        return
    for ids in [{nhid}] + [{g.id} for g in _parents(ns, nhid)]:
        for route in _routes_using(ns, ids):
            ns._notify_route(route)


def fib_check_nexthop(ns, obj: NhObj, scope: int) -> None:
    """fib_check_nexthop(): an IPv4 route of `scope` on the nexthop object `obj` (a
    group is judged by its first member: they share a scope)."""
    if obj.fdb:
        raise KernelError(Errno.EINVAL, "Route cannot point to a fdb nexthop")
    if obj.group:
        if scope == Scope.HOST:
            raise KernelError(Errno.EINVAL,
                              "Route with host scope can not have multiple nexthops")
        first = ns.nexthops.get(obj.group[0][0])
        if first is None:
            return
        obj = first
    # nexthop_check_scope()
    if scope == Scope.HOST and obj.gateway is not None:
        raise KernelError(Errno.EINVAL, "Route with host scope can not have a gateway")
    if obj.onlink and scope >= Scope.LINK:
        raise KernelError(Errno.EINVAL, "Scope mismatch with nexthop")


def _fib_check_nh_list(ns, users: NhObj, new: NhObj) -> None:
    """fib_check_nh_list(): each IPv4 route on `users` must take `new` as it is."""
    for route in _routes_using(ns, {users.id}):
        if route.family == 4:
            fib_check_nexthop(ns, new, route.scope)


def _check_users(ns, old: NhObj, new: NhObj) -> None:
    """replace_nexthop()'s checks before anything changes: the routes on the old
    nexthop, then each group it is a member of (a blackhole may stand only in a
    group of one path) and that group's routes."""
    _fib_check_nh_list(ns, old, new)
    reject = new.blackhole and not new.group
    for parent in _parents(ns, old.id):
        if reject and len(parent.group) > 1:
            raise KernelError(Errno.EINVAL, "Blackhole nexthop can not be a member of a "
                                            "group with more than one path")
        _fib_check_nh_list(ns, parent, new)


def _notify(ns, rtm, obj: NhObj) -> None:
    """nexthop_notify(): the object itself is the message (nh_fill_node())."""
    if ns.listeners:
        ns._notify(rtm, obj)


def _single(ns, req: NhRequest) -> NhObj:
    """nh_create_ipv4() / nh_create_ipv6() and the blackhole's checks."""
    if req.blackhole:
        lo = ns.by_name("lo")
        if lo is None or not lo.admin_up:
            # nh_create_ipv4(): fib_check_nh()'s text; nh_create_ipv6(): fib6_nh_init()'s
            raise KernelError(Errno.ENETDOWN, "Nexthop device is not up" if req.family == 6
                              else "Device for nexthop is not up")
        return NhObj(0, req.family or 4, blackhole=True, protocol=req.protocol)
    if req.fdb:
        # nh_create_ipv4(): fib_nh_init() only, no fib_check_nh(): no device
        return NhObj(0, req.family, req.gateway, protocol=req.protocol, fdb=True)
    if req.oif is None:
        raise KernelError(Errno.EINVAL,
                          "Device attribute required for non-blackhole and non-fdb nexthops")
    if req.encap is not None:
        # the encap type is checked after the attributes' presence, before the
        # device's state (recorded: a down device with `encap rpl` is "not supported")
        from ipemu.kernel.lwtunnel import valid_encap_type
        valid_encap_type(ns, req.encap)
    dev = ns.by_index(req.oif)
    if dev is None:
        raise KernelError(Errno.ENODEV)
    if not dev.admin_up:
        raise KernelError(Errno.ENETDOWN, "Nexthop device is not up")
    if not dev.carrier:
        raise KernelError(Errno.ENETDOWN, "Carrier for nexthop device is down")
    family = req.family or (req.gateway.version if req.gateway is not None else 4)
    encap = None
    if req.encap is not None:
        # nh_create_ipv4() / nh_create_ipv6(): fib_nh_init() / fib6_nh_init() build the
        # lwtstate (lwtunnel_build_state()) before the gateway's check
        from ipemu.kernel.lwtunnel import build_state
        encap = build_state(ns, family, req.encap)
    if req.gateway is not None and req.onlink and family == 4 and \
            ns.inet_addr_type_dev_table(dev, req.gateway) != RTN.UNICAST:
        # nh_create_ipv4() -> fib_check_nh() -> fib_check_nh_v4_gw()'s onlink branch
        raise KernelError(Errno.EINVAL, "Nexthop has invalid gateway")
    if req.gateway is not None and not req.onlink:
        # fib_check_nh(): the gateway must be on-link through the device
        try:
            ns.resolve_gateway(req.gateway, dev, TABLE_MAIN, Scope.UNIVERSE)
        except KernelError as err:
            if family == 6:
                raise       # fib6_nh_init() -> ip6_validate_gw(): its own errors
            raise KernelError(Errno.EINVAL, "Nexthop has invalid gateway") from err
    if family == 6 and ns.ipv6_disabled(dev):
        # nh_create_ipv6() -> fib6_nh_init(): after the gateway's check (fuzz seed
        # 485134: an up veth with disable_ipv6)
        raise KernelError(Errno.EACCES, "IPv6 is disabled on nexthop device")
    return NhObj(0, family, req.gateway, dev.ifindex, onlink=req.onlink,
                 protocol=req.protocol, encap=encap,
                 host=family == 4 and req.gateway is not None and not req.onlink
                 and ns.inet_gw_local(req.gateway, dev))


def route_encap(ns, route):
    """The lwtstate a route's messages carry: its own, or its nexthop object's (one
    path, not a group: fib_nexthop_info() in nexthop_compat_mode)."""
    if route.encap is not None or route.nhid is None:
        return route.encap
    obj = ns.nexthops.get(route.nhid)
    return obj.encap if obj is not None and not obj.group else None


def _group(ns, req: NhRequest) -> NhObj:
    """nh_check_attr_group() and nexthop_create_group()."""
    seen = set()
    for nhid, _ in req.group:
        if nhid in seen:
            raise KernelError(Errno.EINVAL, "Nexthop id can not be used twice in a group")
        seen.add(nhid)
    if req.group_type == 1 and req.buckets == 0:
        # rtm_to_nh_config_grp_res(), while the request is read: before its members
        # are looked up (nexthop_create_group())
        raise KernelError(Errno.EINVAL, "Number of buckets needs to be non-0")
    members = []
    family = None
    for nhid, _ in req.group:
        member = ns.nexthops.get(nhid)
        if member is None:
            raise KernelError(Errno.EINVAL, "Invalid nexthop id")
        # valid_group_nh()
        if member.group and member.res is None:
            raise KernelError(Errno.EINVAL,
                              "Hash-threshold group can not be a nexthop within a group")
        if member.group:
            raise KernelError(Errno.EINVAL,
                              "Resilient group can not be a nexthop within a group")
        if member.blackhole and len(req.group) > 1:
            raise KernelError(Errno.EINVAL,
                              "Blackhole nexthop can not be used in a group with more than 1 path")
        if req.fdb:
            # nh_check_attr_fdb_group()
            if not member.fdb:
                raise KernelError(Errno.EINVAL, "FDB nexthop group can only have fdb nexthops")
            if family is not None and member.family != family:
                raise KernelError(Errno.EINVAL,
                                  "FDB nexthop group cannot have mixed family nexthops")
            family = member.family
        elif member.fdb:
            raise KernelError(Errno.EINVAL, "Non FDB nexthop group cannot have fdb nexthops")
        members.append(member)
    res = None
    if req.group_type == 1:
        res = ResTable(req.buckets or 0,
                       12000 if req.idle_timer is None else req.idle_timer,
                       0 if req.unbalanced_timer is None else req.unbalanced_timer)
    return NhObj(0, req.family or 4, group=tuple(req.group), protocol=req.protocol,
                 fdb=req.fdb, res=res)


def _res_insert(ns, req: NhRequest, obj: NhObj, old: NhObj | None) -> NhObj:
    """insert_nexthop() of a resilient group (a new one needs its bucket count), or
    replace_nexthop_grp() keeping the old table (same count; timers given replace
    its own); then nh_res_group_rebalance() and nh_res_table_upkeep()."""
    if old is not None and req.replace:
        if old.res is None or not old.group:
            raise KernelError(Errno.EINVAL, "Can not replace a nexthop group with one of "
                                            "a different type.")
        if req.buckets is not None and req.buckets != old.res.num_buckets:
            raise KernelError(Errno.EINVAL, "Can not change number of buckets of a "
                                            "resilient nexthop group.")
        table = replace(old.res,
                        idle_timer=old.res.idle_timer if req.idle_timer is None
                        else req.idle_timer,
                        unbalanced_timer=old.res.unbalanced_timer
                        if req.unbalanced_timer is None else req.unbalanced_timer)
    else:
        if req.buckets is None:
            raise KernelError(Errno.EINVAL,
                              "Number of buckets not specified for nexthop group insertion")
        table = obj.res
    return replace(obj, res=res_upkeep(ns, table, obj.group))


def res_upkeep(ns, table: ResTable, group: tuple) -> ResTable:
    """nh_res_table_migrate_buckets() (a bucket whose member left the group is
    unset), nh_res_group_rebalance() (each member wants its share of the buckets,
    DIV_ROUND_CLOSEST of the cumulative weights; the underweight ones listed last
    member first: list_add()) and nh_res_table_upkeep(): each bucket in order that
    is unset, or held by an overweight member and idle, goes to the first
    underweight member, which leaves the list once it has what it wants. A bucket
    is (nexthop id, migrated time, used time): one no flow used since it was set is
    idle at once, else once the idle timer has run from its last use
    (nh_res_bucket_idle_point(); a lookup marks it used: fib_multipath.py)."""
    n = table.num_buckets
    ids = [nhid for nhid, _ in group]
    total = sum(w for _, w in group)
    wants, prev, acc = {}, 0, 0
    for nhid, weight in group:
        acc += weight
        upper = (n * acc + total // 2) // total
        wants[nhid] = upper - prev
        prev = upper
    buckets = [b if b is not None and b[0] in ids else None
               for b in (table.buckets or (None,) * n)]
    have = {nhid: sum(1 for b in buckets if b is not None and b[0] == nhid) for nhid in ids}
    underweight = [nhid for nhid in reversed(ids) if have[nhid] < wants[nhid]]
    now = ns.clock.now
    for i, bucket in enumerate(buckets):
        if not underweight:
            break
        if bucket is not None and have[bucket[0]] <= wants[bucket[0]]:
            continue        # held by a balanced or underweight member: stays
        if bucket is not None and bucket[-1] != bucket[1] and \
                now < bucket[-1] + table.idle_timer / 100:
            continue        # used within the idle timer: not idle yet
        if bucket is not None:
            have[bucket[0]] -= 1
        nhid = underweight[0]
        buckets[i] = (nhid, now, now)
        have[nhid] += 1
        if have[nhid] >= wants[nhid]:
            underweight.pop(0)
    return replace(table, buckets=tuple(buckets))


def nh_get(ns, nhid: int) -> NhObj:
    obj = ns.nexthops.get(nhid)
    if obj is None:
        raise KernelError(Errno.ENOENT)
    return obj


def nh_dump_filtered(obj: NhObj, family: int = 0, dev: int | None = None,
                     groups: bool = False) -> bool:
    """nh_dump_filtered(): True for an object a dump with these filters skips. A
    family or a device selects single nexthops only: a group has neither."""
    if groups and not obj.group:
        return True
    if not dev and not family:
        return False
    if obj.group:
        return True
    if family and obj.family != family:
        return True
    return bool(dev) and obj.oif != dev


def nh_find_group_resilient(ns, nhid: int) -> NhObj:
    """nexthop_find_group_resilient(): the bucket dump and get of one group."""
    obj = nh_get(ns, nhid)
    if not obj.group:
        raise KernelError(Errno.EINVAL, "Not a nexthop group")
    if obj.res is None:
        raise KernelError(Errno.EINVAL, "Nexthop group not of type resilient")
    return obj


def nh_del(ns, nhid: int | None) -> None:
    """rtm_del_nexthop() -> remove_nexthop(): out of every group (an emptied group
    goes too), and every route using it goes."""
    if nhid is None:
        raise KernelError(Errno.EINVAL, "Nexthop id is missing")
    nh_get(ns, nhid)
    _remove(ns, {nhid}, notify=True)


def _remove(ns, ids: set[int], notify: bool = False) -> None:
    """remove_nexthop(): out of the tree (RTM_DELNEXTHOP when a request asked:
    nlinfo), then out of its groups (remove_nh_grp_entry(): the group announced
    again, or removed when emptied); a device's flush passes no nlinfo."""
    while ids:
        if ns.nh_exceptions:
            ns.drop_nh_exceptions(ids)
        for nhid in ids:
            gone = ns.nexthops.pop(nhid, None)
            if notify and gone is not None:
                _notify(ns, RTM.DELNEXTHOP, gone)
        emptied = set()
        for obj in list(ns.nexthops.values()):
            if obj.group and any(m in ids for m, _ in obj.group):
                group = tuple(g for g in obj.group if g[0] not in ids)
                if group:
                    # replace_nexthop_grp_res(): the table migrates and refills
                    res = res_upkeep(ns, obj.res, group) if obj.res is not None else None
                    ns.nexthops[obj.id] = replace(obj, group=group, res=res)
                    if notify:
                        _notify(ns, RTM.NEWNEXTHOP, ns.nexthops[obj.id])
                else:
                    emptied.add(obj.id)
        # __remove_nexthop_fib(): the routes go without a notification; the vxlan
        # entries on a deleted group too (vxlan_fdb_nh_flush())
        ns._remove_routes(lambda r: r.nhid in ids or r.nhid in emptied)
        from ipemu.kernel.vxlan import fdb_nh_flush
        fdb_nh_flush(ns, ids | emptied)
        ids = emptied
    _refresh_routes(ns)


def nexthop_flush_dev(ns, dev) -> None:
    """nh_netdev_event(NETDEV_DOWN / NETDEV_UNREGISTER): the device's nexthops go."""
    gone = {o.id for o in ns.nexthops.values() if o.oif == dev.ifindex}
    if gone:
        _remove(ns, gone)


def fib6_check_nexthop(ns, nhid: int) -> None:
    """fib6_check_nexthop(): an IPv6 route may not use an IPv4 nexthop (a group with
    one: nhg->has_v4), nor one of an FDB."""
    obj = ns.nexthops.get(nhid)
    if obj is None:
        raise KernelError(Errno.EINVAL, "Nexthop id does not exist")
    members = [ns.nexthops[m] for m, _ in obj.group if m in ns.nexthops] if obj.group \
        else [obj]
    if any(m.family == 4 for m in members):
        raise KernelError(Errno.EINVAL, "IPv6 routes can not use an IPv4 nexthop")
    if obj.fdb:
        raise KernelError(Errno.EINVAL, "Route cannot point to a fdb nexthop")


def route_paths(ns, nhid: int) -> tuple[RTN, object, int | None, bool, tuple]:
    """fib_create_info() with a nexthop object: the route's type, gateway, device,
    onlink and multipath nexthops (a blackhole is a blackhole route through lo)."""
    obj = ns.nexthops.get(nhid)
    if obj is None:
        raise KernelError(Errno.EINVAL, "Nexthop id does not exist")
    if obj.fdb:
        # fib_check_nexthop()
        raise KernelError(Errno.EINVAL, "Route cannot point to a fdb nexthop")
    members = [ns.nexthops[m] for m, _ in obj.group] if obj.group else [obj]
    weights = [w for _, w in obj.group] if obj.group else [1]
    first = members[0]
    if first.blackhole:
        lo = ns.by_name("lo")
        return RTN.BLACKHOLE, None, lo.ifindex if lo else None, False, ()
    hops = tuple(Nexthop(m.gateway, m.oif, w, m.onlink) for m, w in zip(members, weights))
    return RTN.UNICAST, first.gateway, first.oif, first.onlink, hops if len(hops) > 1 else ()


def group_of_one6(ns, route) -> tuple:
    """rt6_fill_node_nexthop(): an IPv6 route through a nexthop group puts
    RTA_MULTIPATH whenever nexthop_is_multipath() (any group, mpath or resilient),
    even when one member is left or was ever given, where IPv4's fib_dump_info()
    counts the paths (nexthop_num_path(): one path, no RTA_MULTIPATH). Recorded:
    `ip -6 route` prints `nexthop via fe80::1 dev eth0 weight 4` under a route through
    `group 1,4` (case tutorials45b_v6_nexthop_objects)."""
    obj = ns.nexthops.get(route.nhid)
    if obj is None or not obj.group or route.gateway is None and route.oif is None or \
            route.type != RTN.UNICAST:
        return ()
    weight = next((w for m, w in obj.group
                   if (n := ns.nexthops.get(m)) is not None and n.oif == route.oif
                   and n.gateway == route.gateway), obj.group[0][1])
    return (Nexthop(route.gateway, route.oif, weight, route.onlink),)


def _refresh_routes(ns) -> None:
    """Routes follow their nexthop object when it changes (replace, a group member
    gone)."""
    FibTable.genid += 1             # the routes change in place
    for table in ns.tables.values():
        for route in table.sorted_routes():
            if route.nhid is not None and route.nhid in ns.nexthops:
                kind, gw, oif, onlink, hops = route_paths(ns, route.nhid)
                # the table indexes a route by its type and device (_ident()): out of
                # the index while they change, back in after
                table._unindex(route)
                route.type, route.gateway, route.oif = kind, gw, oif
                route.onlink, route.nexthops = onlink, hops
                table._index(route)


