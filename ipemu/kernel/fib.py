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
    XRESOLVE = 11     # RTN_MAX: accepted by rtm_to_fib_config(), refused as "Invalid scope"


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


@dataclass
class Route:
    """One FIB entry (a fib_alias with its fib_info and single nexthop)."""

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
        if self.family == 6 and not replace_:
            # IPv6 keeps one route per (prefix, metric, device, gateway)
            existing = [r for r in existing if r.oif == route.oif and r.gateway == route.gateway
                        and r.type == route.type]
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

    def remove(self, route: Route) -> None:
        self.routes.remove(route)


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
