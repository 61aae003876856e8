"""Routing tables (the FIB): routes, their order, insert/replace/delete and lookup.

IPv4 tables dump in the order of the kernel's LC-trie (by prefix address, the longer
prefix first on the same key); IPv6 tables in the order of the fib6 tree walk (a
more specific prefix before the one that contains it). Within one prefix, routes are
ordered by tos and metric, newer after older.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace
from enum import IntEnum

from ipemu.kernel.errors import Errno, KernelError


class RTN(IntEnum):
    UNSPEC = 0
    UNICAST = 1
    LOCAL = 2
    BROADCAST = 3
    ANYCAST = 4
    MULTICAST = 5
    BLACKHOLE = 6
    UNREACHABLE = 7
    PROHIBIT = 8
    THROW = 9
    NAT = 10


class Scope(IntEnum):
    UNIVERSE = 0
    SITE = 200
    LINK = 253
    HOST = 254
    NOWHERE = 255


class Proto(IntEnum):
    UNSPEC = 0
    REDIRECT = 1
    KERNEL = 2
    BOOT = 3
    STATIC = 4
    RA = 9


TABLE_UNSPEC = 0
TABLE_DEFAULT = 253
TABLE_MAIN = 254
TABLE_LOCAL = 255

# the routes whose nexthop needs no device (they end the lookup themselves)
DEVLESS_TYPES = (RTN.BLACKHOLE, RTN.UNREACHABLE, RTN.PROHIBIT, RTN.THROW)

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Nexthop:
    """One nexthop of a multipath route (struct fib_nh / an IPv6 sibling): `weight`
    as `ip route` shows it (rtnh_hops + 1)."""

    gateway: "IPAddress | None"
    oif: int | None
    weight: int = 1
    onlink: bool = False


@dataclass
class Route:
    """One FIB entry (a fib_alias with its fib_info; a multipath route lists its
    nexthops, the first also in gateway/oif, which lookups use)."""

    dst: IPNetwork
    table: int = TABLE_MAIN
    type: RTN = RTN.UNICAST
    protocol: int = Proto.BOOT
    scope: int = Scope.UNIVERSE
    priority: int = 0
    tos: int = 0
    prefsrc: IPAddress | None = None
    gateway: IPAddress | None = None
    oif: int | None = None            # ifindex of the nexthop device
    onlink: bool = False
    pref: str = "medium"              # IPv6 router preference
    mtu: int | None = None
    expires: float | None = None
    nexthops: tuple[Nexthop, ...] = ()

    @property
    def family(self) -> int:
        return self.dst.version


def dump_key(route: Route) -> tuple:
    """Where a route sits in the kernel's dump of its table."""
    net = route.dst
    if net.version == 4:
        return (int(net.network_address), -net.prefixlen)
    return (int(net.broadcast_address), -net.prefixlen)


@dataclass
class FibTable:
    """One routing table of one address family."""

    id: int
    family: int
    routes: list[Route] = field(default_factory=list)

    def sorted_routes(self) -> list[Route]:
        # stable sort: insertion order is kept within a (prefix, tos, metric) group
        return sorted(self.routes, key=lambda r: (dump_key(r), -r.tos, r.priority))

    def same_key(self, route: Route) -> list[Route]:
        return [r for r in self.routes
                if r.dst == route.dst and r.tos == route.tos and r.priority == route.priority]

    def insert(self, route: Route, *, excl: bool, replace_: bool, append: bool,
               create: bool = True) -> None:
        """fib_table_insert(): NLM_F_EXCL / NLM_F_REPLACE / NLM_F_APPEND semantics."""
        existing = self.same_key(route)
        if self.family == 6 and existing and not replace_:
            self._insert6(route, existing, excl=excl)
            return
        if existing:
            if excl:
                raise KernelError(Errno.EEXIST)
            if replace_:
                idx = self.routes.index(existing[0])
                self.routes[idx] = route
                return
            if not append and self.family == 4:
                # NLM_F_CREATE without EXCL on an existing key: the kernel still refuses
                # an identical route
                for r in existing:
                    if _same_info(r, route):
                        raise KernelError(Errno.EEXIST)
            if self.family == 6:
                raise KernelError(Errno.EEXIST)
        elif not create:
            raise KernelError(Errno.ENOENT)
        self.routes.append(route)

    def _insert6(self, route: Route, existing: list[Route], *, excl: bool) -> None:
        """fib6_add_rt2node() on a prefix and metric already taken: EXCL refuses, a
        duplicate nexthop is refused, a route with a gateway joins one with a gateway
        as its sibling (one multipath route), anything else stands beside."""
        if excl:
            raise KernelError(Errno.EEXIST)
        new_hops = nexthops_of(route)
        for r in existing:
            if r.type == route.type and any(
                    (h.gateway, h.oif) == (n.gateway, n.oif)
                    for h in nexthops_of(r) for n in new_hops):
                raise KernelError(Errno.EEXIST)      # rt6_duplicate_nexthop()
        if route.gateway is not None and route.type == RTN.UNICAST:
            for r in existing:
                if r.gateway is not None and r.type == RTN.UNICAST:
                    hops = nexthops_of(r) + new_hops
                    r.nexthops = hops
                    return
        self.routes.append(route)

    def remove(self, route: Route) -> None:
        self.routes.remove(route)


def nexthops_of(route: Route) -> tuple[Nexthop, ...]:
    """A route's nexthops: its list, or the one it has."""
    if route.nexthops:
        return route.nexthops
    return (Nexthop(route.gateway, route.oif, 1, route.onlink),)


def drop_nexthop(route: Route, gateway, oif) -> bool:
    """ip6_route_del() of one sibling: the route keeps the others (one left: no
    longer multipath). False when the route does not have that nexthop."""
    hops = [h for h in route.nexthops if not (
        h.gateway == gateway and (oif is None or h.oif == oif))]
    if len(hops) == len(route.nexthops):
        return False
    first = hops[0]
    route.gateway, route.oif, route.onlink = first.gateway, first.oif, first.onlink
    route.nexthops = tuple(hops) if len(hops) > 1 else ()
    return True


def _same_info(a: Route, b: Route) -> bool:
    return replace(a, table=b.table) == b


def route_matches(route: Route, sel: dict) -> bool:
    """The selectors of `ip route del`/`flush`/`show`: a missing key matches anything."""
    for key, want in sel.items():
        if want is None:
            continue
        if getattr(route, key) != want:
            return False
    return True


def same_kernel_route(a: Route, b: Route) -> bool:
    """fib_find_alias()-like identity of a route the kernel itself adds (one per
    address, table, type, prefix, device, source, metric and protocol)."""
    return (a.table, a.type, a.dst, a.oif, a.prefsrc, a.priority, a.protocol) == \
        (b.table, b.type, b.dst, b.oif, b.prefsrc, b.priority, b.protocol)
