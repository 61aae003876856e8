"""`ip route` lines (iproute2 iproute.c print_route), text and JSON.

The same function prints a FIB entry (`ip route show`) and the result of a lookup
(`ip route get`, a "cloned" route with its cache flags).
"""
from __future__ import annotations


from ipemu.kernel.fib import RTN, TABLE_MAIN, Proto, Scope
from ipemu.kernel.records import RTNH_F, RouteMsg
from ipemu.plainclass import dataclass, field
from ipemu.render.link import LinkCache
from ipemu.render.names import proto_name, rtn_type_name, scope_name, table_name
from ipemu.render.printer import Printer


@dataclass
class RouteView:
    """What print_route needs beyond the route: the lookup result's extras and which
    fields a `show` filter fixed (iproute2 leaves those out)."""

    details: int = 0
    hide: set[str] = field(default_factory=set)   # "dev", "proto", "scope", "table", "type"
    show_table: bool = True                       # False when a table filter was given
    cloned: bool = False                          # `ip route get` result
    src_addr: object = None                       # RTA_SRC of a lookup (`from`)
    uid: int | None = None
    cache_flags: tuple[str, ...] = ()
    get_table: int | None = None
    src_sep: str = ""                             # el7 printed "dev lo  src X"
    iif: str | None = None                        # an input route (`get ... iif DEV`)
    rt_offload_failed: bool = False               # RTCF_MULTICAST in rtm_flags (same bit)
    expires: int | None = None                    # RTA_CACHEINFO rta_expires, seconds
    metrics: tuple[tuple[str, int], ...] = ()     # RTA_METRICS of a cached route (mtu)
    nexthops: dict = field(default_factory=dict)  # nexthop objects by id (-d: nh_info)
    mark: int = 0                                 # RTA_MARK of a lookup (`mark`)
    numeric: bool = False                         # -N: rtnl_*_n2a() print numbers


def print_route(p: Printer, route: RouteMsg, cache: LinkCache, view: RouteView,
                deleted: bool = False) -> None:
    """print_route() of iproute2's ip/iproute.c for one RTM_NEWROUTE/DELROUTE record."""
    p.open_object()
    if deleted:
        p.any("deleted", "Deleted ", True)
    if (route.type != RTN.UNICAST or view.details) and "type" not in view.hide:
        p.any("type", "%s ", rtn_type_name(route.type))
    host_len = 32 if route.family == 4 else 128
    if view.cloned:
        dst = str(route.dst.network_address)
    elif route.dst.prefixlen == 0:
        dst = "default"
    elif route.dst.prefixlen != host_len:
        dst = f"{route.dst.network_address}/{route.dst.prefixlen}"
    else:
        dst = str(route.dst.network_address)
    p.any("dst", "%s ", dst)
    if view.src_addr is not None:
        p.any("from", "from %s ", str(view.src_addr))
    if route.nhid is not None:
        p.any("nhid", "nhid %u ", route.nhid)
    if route.tos:
        p.any("tos", "tos %s ", hex(route.tos))
    if route.gateway is not None and (route.gateway.version != route.family or
                                      "via" not in view.hide):
        # print_route(): a selector hides RTA_GATEWAY only, never RTA_VIA
        print_gateway(p, route.family, route.gateway)
    if route.oif is not None and "dev" not in view.hide:
        p.any("dev", "dev %s ", cache.name(route.oif))
    table = view.get_table if view.cloned else route.table
    if table and (table != TABLE_MAIN or view.details) and view.show_table:
        p.any("table", "table %s ", str(table) if view.numeric else table_name(table))
    if not view.cloned or route.family == 6:
        if (route.protocol != Proto.BOOT or view.details) and "proto" not in view.hide:
            p.any("protocol", "proto %s ", str(route.protocol) if view.numeric
                  else proto_name(route.protocol))
    if not view.cloned:
        if (route.scope != Scope.UNIVERSE or view.details) and "scope" not in view.hide:
            p.any("scope", "scope %s ", str(route.scope) if view.numeric
                  else scope_name(route.scope))
    if route.prefsrc is not None and "src" not in view.hide:
        p.fp("%ssrc %s ", view.src_sep, str(route.prefsrc))
        p.js("prefsrc", str(route.prefsrc))
    if route.family == 6 or route.priority:
        if "metric" not in view.hide:
            p.any("metric", "metric %u ", route.priority)
    p.open_array("flags")
    if route.onlink:
        p.any(None, "%s ", "onlink")
    if route.linkdown and not view.cloned:
        p.any(None, "%s ", "linkdown")
    if view.rt_offload_failed:
        p.any(None, "%s ", "rt_offload_failed")
    p.close_array()
    if view.mark:
        p.any("mark", "mark %u ", view.mark)
    if view.uid is not None:
        p.any("uid", "uid %u ", view.uid)
    if view.cloned and route.family == 4:
        p.open_array("cache")
        p.fp("%s    cache ", p.sl)
        if view.cache_flags:
            p.fp("<%s> ", ",".join(view.cache_flags))
            for flag in view.cache_flags:
                p.any(None, None, flag)
        p.close_array()
        _print_cacheinfo_metrics(p, view)
        if view.iif is not None:
            p.any("iif", "iif %s ", view.iif)
    elif view.cloned and view.expires is not None:
        _print_cacheinfo_metrics(p, view)      # an IPv6 exception
    elif route.expires:
        # print_rta_cacheinfo(): an IPv6 route with RTF_EXPIRES (a prefix route of an
        # address with a finite valid lifetime)
        # ci->rta_expires / hz, C's division (towards zero: `-1sec` once past)
        p.any("expires", "expires %dsec ", int(route.expires / 100))
    if not view.cloned:
        print_rta_metrics(p, getattr(route, "metrics", ()))
    if route.family == 6:
        p.any("pref", "pref %s", route.pref)
    if route.nhid is not None and view.details and route.nhid in view.nexthops:
        # print_cache_nexthop_id(): the nexthop object on a line of its own
        from ipemu.render.nexthop import print_nexthop
        p.fp("\n\tnh_info ")
        print_nexthop(p, view.nexthops[route.nhid], cache, view.details, "nh_info", end="")
    if route.multipath:
        print_multipath(p, route, cache)
    p.fp("\n")
    p.close_object()


def _print_cacheinfo_metrics(p: Printer, view: RouteView) -> None:
    """print_rta_cacheinfo()'s expiry, then print_rta_metrics(), of a cached route."""
    if view.expires is not None:
        p.any("expires", "expires %dsec ", view.expires)
    print_rta_metrics(p, view.metrics)


def print_rta_metrics(p: Printer, metrics: tuple) -> None:
    """print_rta_metrics(): each metric the kernel sent (a 0 it leaves out), as
    `NAME VALUE` or `NAME lock VALUE` for one in RTAX_LOCK, in RTAX order."""
    metrics = [m for m in metrics if m[1]]
    if not metrics:
        return
    p.open_array("metrics")
    p.open_object()
    for name, value, *locked in metrics:
        if locked and locked[0]:
            p.fp(f"{name} lock %u ", value)
            p.js(name, value)
        else:
            p.any(name, f"{name} %u ", value)
    p.close_object()
    p.close_array()


def print_gateway(p: Printer, family: int, gateway) -> None:
    """print_rta_gateway(), or print_rta_via() for a gateway of the other family
    (RTA_VIA: `via inet6 ADDR`, a "via" object in JSON)."""
    if gateway.version == family:
        p.any("gateway", "via %s ", str(gateway))
        return
    name = "inet6" if gateway.version == 6 else "inet"
    p.fp("via %s ", name)
    p.open_object("via")
    p.any("family", None, name)
    p.any("host", "%s ", str(gateway))
    p.close_object()


def print_multipath(p: Printer, route: RouteMsg, cache: LinkCache) -> None:
    """print_rta_multipath(): a line per nexthop, `\tnexthop via X dev Y weight N `."""
    p.open_array("nexthops")
    for hop in route.multipath:
        p.open_object()
        p.fp("%s", p.sl)
        p.fp("\tnexthop ")
        if hop.gateway is not None:
            print_gateway(p, route.family, hop.gateway)
        if hop.oif is not None:
            p.any("dev", "dev %s ", cache.name(hop.oif))
        p.any("weight", "weight %d ", hop.weight)
        p.open_array("flags")
        if hop.flags & RTNH_F.ONLINK:
            p.any(None, "%s ", "onlink")
        p.close_array()
        p.close_object()
    p.close_array()
