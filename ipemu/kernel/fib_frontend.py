"""Routes a user adds and deletes (net/ipv4/fib_frontend.c, fib_semantics.c'
fib_check_nh(), net/ipv6/route.c), the tables that hold them, and source address
selection (inet_select_addr(), ipv6_dev_get_saddr())."""
from __future__ import annotations

from ipemu.kernel.addr import ipv6_scope
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import (DEVLESS_TYPES, FibTable, RTN, Route, Scope, TABLE_LOCAL, TABLE_MAIN)
from ipemu.kernel.netdev import NetDevice
from ipemu.kernel.records import RTM


class FibFrontend:
    """A part of NetNamespace (ipemu/kernel/netns.py): methods only, its state is
    the namespace's fields."""

    def table(self, family: int, table_id: int, create: bool = False) -> FibTable | None:
        key = (family, table_id)
        if key not in self.tables and create:
            if family == 4 and table_id == TABLE_LOCAL:
                self.table(4, TABLE_MAIN, create=True)
            self.tables[key] = FibTable(table_id, family)
        return self.tables.get(key)

    def _remove_routes(self, predicate) -> None:
        for table in self.tables.values():
            table.routes[:] = [r for r in table.routes if not predicate(r)]

    def _flush_routes_of(self, dev: NetDevice, everything: bool) -> None:
        """fib_sync_down_dev(): routes through a device that went down die, except
        host-scope ones (local addresses), unless the device is going away."""
        def dead(r: Route) -> bool:
            if r.oif != dev.ifindex:
                return False
            if r.family == 6:
                return True
            return everything or r.scope != Scope.HOST
        self._remove_routes(dead)

    def resolve_gateway(self, gateway, dev: NetDevice | None, table_id: int) -> NetDevice:
        """fib_check_nh(): the gateway must resolve through a link- or host-scope route
        (a connected prefix or a local address), on the given device if there is one."""
        family = gateway.version
        if family == 6 and gateway.is_link_local and dev is None:
            raise KernelError(Errno.EINVAL, "Egress device not specified")
        best = None
        for tid in (TABLE_LOCAL, TABLE_MAIN):
            table = self.table(family, tid)
            if table is None:
                continue
            for r in table.sorted_routes():
                if gateway not in r.dst or r.gateway is not None:
                    continue
                if family == 4 and r.scope < Scope.LINK:
                    continue
                if dev is not None and r.oif != dev.ifindex and r.type == RTN.UNICAST:
                    continue
                if best is None or r.dst.prefixlen > best.dst.prefixlen:
                    best = r
            if best is not None and tid == TABLE_LOCAL:
                break
        if best is None:
            if family == 6:
                raise KernelError(Errno.EHOSTUNREACH)
            raise KernelError(Errno.EINVAL, "Nexthop has invalid gateway")
        if best.type not in (RTN.UNICAST, RTN.LOCAL):
            raise KernelError(Errno.EINVAL, "Nexthop has invalid gateway")
        found = dev if dev is not None else self.by_index(best.oif)
        if family == 4 and found is not None and not found.admin_up:
            raise KernelError(Errno.ENETDOWN, "Nexthop device is not up")
        return found

    def add_route(self, route: Route, *, excl: bool = True, replace_: bool = False,
                  append: bool = False, create: bool = True) -> None:
        dev = self.by_index(route.oif)
        if route.type not in DEVLESS_TYPES:
            if route.gateway is not None and not route.onlink:
                dev = self.resolve_gateway(route.gateway, dev, route.table)
                route.oif = dev.ifindex
            elif dev is None:
                raise KernelError(Errno.ENODEV)
            elif not dev.admin_up and route.family == 4:
                raise KernelError(Errno.ENETDOWN, "Device for nexthop is not up.")
        if route.prefsrc is not None and route.prefsrc not in self.local_addresses():
            raise KernelError(Errno.EINVAL, "Invalid prefsrc address")
        if route.family == 6 and route.priority == 0:
            route.priority = 1024
        table = self.table(route.family, route.table, create=create)
        if table is None:
            raise KernelError(Errno.ENOENT)
        table.insert(route, excl=excl, replace_=replace_, append=append, create=create)
        self._notify_route(route)

    def delete_route(self, family: int, table_id: int, sel: dict) -> Route:
        table = self.table(family, table_id)
        if table is None:
            raise KernelError(Errno.ESRCH)
        for r in table.sorted_routes():
            if _del_matches(r, sel):
                table.remove(r)
                self._notify_route(r, RTM.DELROUTE)
                return r
        raise KernelError(Errno.ESRCH)

    def select_source(self, dev: NetDevice | None, dst, scope: int = Scope.LINK):
        """inet_select_addr(): a primary address of the device in the destination's
        subnet, else its first primary, else any address of the namespace."""
        family = dst.version
        if family == 4:
            candidates = []
            if dev is not None:
                candidates = [i for i in self.ifa4(dev) if not i.secondary and i.scope <= scope]
                for ifa in candidates:
                    if dst in ifa.network:
                        return ifa.local
                if candidates:
                    return candidates[0].local
            for d in self.device_list():
                for ifa in self.ifa4(d):
                    if not ifa.secondary and ifa.scope < Scope.LINK:
                        return ifa.local
            return None
        pool = [i for i in self.ifa6(dev)] if dev is not None else []
        pool = [i for i in pool if not i.tentative or i.nodad]
        same = [i for i in pool if dst in i.network and i.scope == ipv6_scope(dst)]
        if same:
            return same[0].address
        wanted = [i for i in pool if i.scope == ipv6_scope(dst)] or pool
        if wanted:
            return wanted[0].address
        for d in self.device_list():
            for ifa in self.ifa6(d):
                if ifa.scope == Scope.UNIVERSE and not ifa.tentative:
                    return ifa.address
        return None


def _del_matches(r: Route, sel: dict) -> bool:
    """fib_table_delete(): unspecified selectors match anything."""
    if r.dst != sel["dst"] or r.tos != sel.get("tos", 0):
        return False
    if sel.get("type") and r.type != sel["type"]:
        return False
    if sel.get("scope") not in (None, Scope.NOWHERE) and r.scope != sel["scope"]:
        return False
    if sel.get("priority") and r.priority != sel["priority"]:
        return False
    if sel.get("protocol") and r.protocol != sel["protocol"]:
        return False
    if sel.get("prefsrc") is not None and r.prefsrc != sel["prefsrc"]:
        return False
    if sel.get("gateway") is not None and r.gateway != sel["gateway"]:
        return False
    if sel.get("oif") is not None and r.oif != sel["oif"]:
        return False
    return True
