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

    @property
    def scope(self) -> int:
        """nh_create_ipv4(): link with a gateway, host for a device alone; a group
        and a blackhole report universe."""
        if self.group or self.blackhole:
            return Scope.UNIVERSE
        return Scope.LINK if self.gateway is not None else Scope.HOST


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


def nh_add(ns, req: NhRequest) -> NhObj:
    """rtm_new_nexthop(): rtm_to_nh_config()'s checks, then nexthop_create() (a group:
    nexthop_create_group(), its members checked) and insert_nexthop() (an id in use is
    EEXIST unless replacing; none given takes the lowest free one)."""
    if req.id is not None and req.id == 0:
        req = replace(req, id=None)
    if req.family not in (4, 6) and req.group is None:
        raise KernelError(Errno.EINVAL, "Invalid address family")   # rtm_to_nh_config()
    if req.group is not None:
        obj = _group(ns, req)
    else:
        obj = _single(ns, req)
    if req.id is not None and req.id in ns.nexthops:
        if not req.replace:
            raise KernelError(Errno.EEXIST)
        obj = replace(obj, id=req.id)
        ns.nexthops[req.id] = obj
        _refresh_routes(ns)
        return obj
    nhid = req.id if req.id is not None else next(
        i for i in range(1, NH_MAX_ID) if i not in ns.nexthops)
    obj = replace(obj, id=nhid)
    ns.nexthops[nhid] = obj
    ns.nexthops = dict(sorted(ns.nexthops.items()))
    return obj


def _single(ns, req: NhRequest) -> NhObj:
    """nh_create_ipv4() / nh_create_ipv6() and the blackhole's checks."""
    if req.blackhole:
        lo = ns.by_name("lo")
        if lo is None or not lo.admin_up:
            raise KernelError(Errno.ENETDOWN, "Device for nexthop is not up")
        return NhObj(0, req.family or 4, blackhole=True, protocol=req.protocol)
    if req.oif is None:
        raise KernelError(Errno.EINVAL,
                          "Device attribute required for non-blackhole and non-fdb nexthops")
    dev = ns.by_index(req.oif)
    if dev is None:
        raise KernelError(Errno.ENODEV)
    if not dev.admin_up:
        raise KernelError(Errno.ENETDOWN, "Nexthop device is not up")
    if not dev.carrier:
        raise KernelError(Errno.ENETDOWN, "Carrier for nexthop device is down")
    family = req.family or (req.gateway.version if req.gateway is not None else 4)
    if req.gateway is not None and not req.onlink:
        # fib_check_nh(): the gateway must be on-link through the device
        try:
            ns.resolve_gateway(req.gateway, dev, TABLE_MAIN, Scope.UNIVERSE)
        except KernelError as err:
            if family == 6:
                raise       # fib6_nh_init() -> ip6_validate_gw(): its own errors
            raise KernelError(Errno.EINVAL, "Nexthop has invalid gateway") from err
    return NhObj(0, family, req.gateway, dev.ifindex, onlink=req.onlink,
                 protocol=req.protocol)


def _group(ns, req: NhRequest) -> NhObj:
    """nh_check_attr_group() and nexthop_create_group()."""
    seen = set()
    for nhid, _ in req.group:
        if nhid in seen:
            raise KernelError(Errno.EINVAL, "Nexthop id can not be used twice in a group")
        seen.add(nhid)
    members = []
    for nhid, _ in req.group:
        member = ns.nexthops.get(nhid)
        if member is None:
            raise KernelError(Errno.EINVAL, "Invalid nexthop id")
        if member.group:
            raise KernelError(Errno.EINVAL,
                              "Hash-threshold group can not be a nexthop within a group")
        members.append(member)
    if len(members) > 1 and any(m.blackhole for m in members):
        raise KernelError(Errno.EINVAL,
                          "Blackhole nexthop can not be used in a group with more than 1 path")
    return NhObj(0, req.family or 4, group=tuple(req.group), protocol=req.protocol)


def nh_get(ns, nhid: int) -> NhObj:
    obj = ns.nexthops.get(nhid)
    if obj is None:
        raise KernelError(Errno.ENOENT)
    return obj


def nh_del(ns, nhid: int | None) -> None:
    """rtm_del_nexthop() -> remove_nexthop(): out of every group (an emptied group
    goes too), and every route using it goes."""
    if nhid is None:
        raise KernelError(Errno.EINVAL, "Nexthop id is missing")
    nh_get(ns, nhid)
    _remove(ns, {nhid})


def _remove(ns, ids: set[int]) -> None:
    while ids:
        for nhid in ids:
            ns.nexthops.pop(nhid, None)
        emptied = set()
        for obj in list(ns.nexthops.values()):
            if obj.group and any(m in ids for m, _ in obj.group):
                group = tuple(g for g in obj.group if g[0] not in ids)
                if group:
                    ns.nexthops[obj.id] = replace(obj, group=group)
                else:
                    emptied.add(obj.id)
        # __remove_nexthop_fib(): the routes go without a notification
        ns._remove_routes(lambda r: r.nhid in ids or r.nhid in emptied)
        ids = emptied
    _refresh_routes(ns)


def nexthop_flush_dev(ns, dev) -> None:
    """nh_netdev_event(NETDEV_DOWN / NETDEV_UNREGISTER): the device's nexthops go."""
    gone = {o.id for o in ns.nexthops.values() if o.oif == dev.ifindex}
    if gone:
        _remove(ns, gone)


def route_paths(ns, nhid: int) -> tuple[RTN, object, int | None, bool, tuple]:
    """fib_create_info() with a nexthop object: the route's type, gateway, device,
    onlink and multipath nexthops (a blackhole is a blackhole route through lo)."""
    obj = ns.nexthops.get(nhid)
    if obj is None:
        raise KernelError(Errno.EINVAL, "Nexthop id does not exist")
    members = [ns.nexthops[m] for m, _ in obj.group] if obj.group else [obj]
    weights = [w for _, w in obj.group] if obj.group else [1]
    first = members[0]
    if first.blackhole:
        lo = ns.by_name("lo")
        return RTN.BLACKHOLE, None, lo.ifindex if lo else None, False, ()
    hops = tuple(Nexthop(m.gateway, m.oif, w, m.onlink) for m, w in zip(members, weights))
    return RTN.UNICAST, first.gateway, first.oif, first.onlink, hops if len(hops) > 1 else ()


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


