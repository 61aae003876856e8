"""`ip route` lines (iproute2 iproute.c print_route), text and JSON.

The same function prints a FIB entry (`ip route show`) and the result of a lookup
(`ip route get`, a "cloned" route with its cache flags).
"""
from __future__ import annotations


from ipemu.kernel.fib import RTN, TABLE_MAIN, Proto, Scope
from ipemu.kernel.records import RTNH_F, RouteMsg
from ipemu.plainclass import dataclass, field
from ipemu.render.link import LinkCache
from ipemu.render.names import dsfield_n2a, format_host, host_names, ntop, proto_name, rtn_type_name, scope_name, table_name
from ipemu.render.printer import ANY, ARR, END_ARR, END_OBJ, FP, JS, OBJ, Printer


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
    users: int = 0                                # rta_clntref, shown with -s
    notify: bool = False                          # RTM_F_NOTIFY of a get's answer
    age: int | None = None                        # rta_lastuse in clock_t (1/100 s), -s
    metrics: tuple[tuple[str, int], ...] = ()     # RTA_METRICS of a cached route (mtu)
    rtf_cache: bool = False                       # an IPv6 answer from an exception
    nexthops: dict = field(default_factory=dict)  # nexthop objects by id (-d: nh_info)
    mark: int = 0                                 # RTA_MARK of a lookup (`mark`)
    numeric: bool = False                         # -N: rtnl_*_n2a() print numbers
    stats: bool = False                           # -s: an encap's counters


# print_route()'s fields as printer ops (ipemu/render/printer.py ANY...): made once
_OPEN, _CLOSE = (OBJ, None), (END_OBJ,)
_DELETED = (ANY, "deleted", "Deleted ")
_TYPE = (ANY, "type", "%s ")
_DST = (ANY, "dst", "%s ")
_FROM = (ANY, "from", "from %s ")
_NHID = (ANY, "nhid", "nhid %u ")
_TOS = (ANY, "tos", "tos %s ")
_DEV = (ANY, "dev", "dev %s ")
_TABLE = (ANY, "table", "table %s ")
_PROTO = (ANY, "protocol", "proto %s ")
_SCOPE = (ANY, "scope", "scope %s ")
_SRC, _PREFSRC = (FP, "%ssrc %s ", 2), (JS, "prefsrc")
_METRIC = (ANY, "metric", "metric %u ")
_FLAGS, _END_ARR = (ARR, "flags"), (END_ARR,)
_FLAG = (ANY, None, "%s ")
_MARK_FP, _MARK_JS = (FP, "mark %s ", 1), (JS, "mark")
_UID = (ANY, "uid", "uid %u ")
_CACHE, _CACHE_FP, _CACHE_FLAGS = (ARR, "cache"), (FP, "%s    cache ", 1), (FP, "<%s> ", 1)
_CACHE_FLAG = (ANY, None, None)
_EXPIRES = (ANY, "expires", "expires %dsec ")
_IIF = (ANY, "iif", "iif %s ")
_PREF = (ANY, "pref", "pref %s")
_NL = (FP, "\n", 0)
_GATEWAY = (ANY, "gateway", "via %s ")
_VIA_FP, _VIA, _VIA_FAMILY = (FP, "via %s ", 1), (OBJ, "via"), (ANY, "family", None)
_VIA_HOST = (ANY, "host", "%s ")
_UNICAST, _BOOT, _UNIVERSE = RTN.UNICAST, Proto.BOOT, Scope.UNIVERSE
_ONLINK, _LINKDOWN, _DEAD = int(RTNH_F.ONLINK), int(RTNH_F.LINKDOWN), int(RTNH_F.DEAD)


# -c: print_color_string()'s parts, the escape, the text and its space, the reset
# (lib/color.c: ifa_family_color() for addresses, COLOR_IFNAME for the device)
_DST_C, _GATEWAY_C, _DEV_C = (ANY, "dst", "%s"), (ANY, "gateway", "via %s"), (ANY, "dev", "dev %s")
_FROM_C = (ANY, "from", "%s")
_IIF_C = (ANY, "iif", "iif %s")     # print_rta_ifidx(): "iif " plain, the name coloured
_SRC_C = (FP, "%ssrc %s", 2)


def _colored(attr: str, text: str) -> str:
    from ipemu.render.printer import COLOR_CODES
    return f"{COLOR_CODES[attr]}{text} \x1b[0m"


def _iif_ops(ops: list, vals: list, name: str, color: bool) -> None:
    """print_rta_ifidx(fp, RTA_IIF, "iif"): under -c the name in COLOR_IFNAME."""
    if color:
        ops.append(_IIF_C)
        vals.append(_colored("ifname", name))
    else:
        ops.append(_IIF)
        vals.append(name)


def print_route(p: Printer, route: RouteMsg, cache: LinkCache, view: RouteView,
                deleted: bool = False) -> None:
    """print_route() of iproute2's ip/iproute.c for one RTM_NEWROUTE/DELROUTE record:
    its fields as ops and values, printed at once (Printer.emit())."""
    ops = [_OPEN]
    vals: list = []
    op, val = ops.append, vals.append
    hide, details, cloned = view.hide, view.details, view.cloned
    dst_net = route.dst
    family = dst_net.version
    if deleted:
        op(_DELETED)
        val(True)
    if (route.type != _UNICAST or details) and "type" not in hide:
        op(_TYPE)
        # rtnl_rtntype_n2a(): -N prints the number
        val(str(route.type) if view.numeric else rtn_type_name(route.type))
    plen = dst_net.prefixlen
    resolving = host_names() is not None
    if cloned:
        dst = format_host(dst_net.network_address) if resolving else ntop(dst_net.network_address)
    elif plen == 0:
        dst = "default"
    elif plen != (32 if family == 4 else 128):
        dst = f"{ntop(dst_net.network_address)}/{plen}"
    else:   # print_route(): format_host_rta_r() of a host-length RTA_DST only
        dst = format_host(dst_net.network_address) if resolving else ntop(dst_net.network_address)
    color = p.color
    if color and dst != "default":
        op(_DST_C)
        val(_colored("inet" if family == 4 else "inet6", dst))
    else:
        op(_DST)
        val(dst)
    if view.src_addr is not None:
        src = format_host(view.src_addr) if resolving else ntop(view.src_addr)
        if color:
            # print_color_string(ifa_family_color(), "from", "from %s "): the keyword
            # inside the colour too
            op(_FROM_C)
            val(_colored("inet" if family == 4 else "inet6", f"from {src}"))
        else:
            op(_FROM)
            val(src)
    if route.nhid is not None:
        op(_NHID)
        val(route.nhid)
    if route.encap is not None:
        from ipemu.render.lwtunnel import encap_ops
        encap_ops(ops, vals, route.encap, cache, view.stats, color)
    if route.tos and "tos" not in hide:     # print_route(): filter.tosmask != -1
        op(_TOS)
        val(dsfield_n2a(route.tos))     # print_route(): rtnl_dsfield_n2a()
    gateway = route.gateway
    if gateway is not None and (gateway.version != family or "via" not in hide):
        # print_route(): a selector hides RTA_GATEWAY only, never RTA_VIA
        _gateway_ops(ops, vals, family, gateway, color)
    if route.oif is not None and "dev" not in hide:
        if color:
            op(_DEV_C)
            val(_colored("ifname", cache.name(route.oif)))
        else:
            op(_DEV)
            val(cache.name(route.oif))
    table = view.get_table if cloned else route.table
    if table and (table != TABLE_MAIN or details) and view.show_table:
        op(_TABLE)
        val(str(table) if view.numeric else table_name(table))
    # print_route() prints protocol and scope of no RTM_F_CLONED answer: an IPv6 one is
    # cloned only from an exception (rt6_fill_node(): RTF_CACHE; recorded, `ip -6 route
    # get` of a connected route once a VXLAN taught its path MTU has no `proto kernel`)
    listed = not cloned or (family == 6 and not view.rtf_cache)
    if listed:
        if (route.protocol != _BOOT or details) and "proto" not in hide:
            op(_PROTO)
            val(str(route.protocol) if view.numeric else proto_name(route.protocol))
    if listed:
        # an IPv6 answer is no clone (rt6_fill_node() sets RTM_F_CLONED for an
        # RTF_CACHE route only): -d shows its scope as for a listed route
        if (route.scope != _UNIVERSE or details) and "scope" not in hide:
            op(_SCOPE)
            val(str(route.scope) if view.numeric else scope_name(route.scope))
    if route.prefsrc is not None and "src" not in hide:
        prefsrc = ntop(route.prefsrc)
        if color:
            ops += (_SRC_C, _PREFSRC)
            vals += (view.src_sep, _colored("inet" if route.prefsrc.version == 4 else "inet6",
                                            prefsrc), prefsrc)
        else:
            ops += (_SRC, _PREFSRC)
            vals += (view.src_sep, prefsrc, prefsrc)
    if family == 6 or route.priority:
        if "metric" not in hide:
            op(_METRIC)
            val(route.priority)
    op(_FLAGS)
    flags = int(route.flags)        # an IntFlag's & is a Python call
    if flags & _DEAD and not cloned:    # print_rt_flags(): first
        op(_FLAG)
        val("dead")
    if flags & _ONLINK:
        op(_FLAG)
        val("onlink")
    if view.notify:
        op(_FLAG)
        val("notify")
    if flags & _LINKDOWN and not cloned:
        op(_FLAG)
        val("linkdown")
    if view.rt_offload_failed:
        op(_FLAG)
        val("rt_offload_failed")
    op(_END_ARR)
    if view.mark:
        # print_route(): marks from 16 up in hex (print_0xhex), smaller ones in decimal
        mark = view.mark
        ops += (_MARK_FP, _MARK_JS)
        vals += ("0x%x" % mark if mark >= 16 else str(mark), mark)
    if route.flow and "realm" not in hide:
        _flow_ops(ops, vals, route.flow, view.numeric)
    if view.uid is not None:
        op(_UID)
        val(view.uid)
    if cloned and family == 4:
        op(_CACHE)
        op(_CACHE_FP)
        val(p.sl)
        if view.cache_flags:
            op(_CACHE_FLAGS)
            val(",".join(view.cache_flags))
            for flag in view.cache_flags:
                op(_CACHE_FLAG)
                val(flag)
        op(_END_ARR)
        _cacheinfo_metrics_ops(ops, vals, view)
        if view.iif is not None:
            _iif_ops(ops, vals, view.iif, color)
    elif cloned and (view.expires is not None or view.metrics):
        _cacheinfo_metrics_ops(ops, vals, view)      # an IPv6 exception, the metrics
    elif route.expires:
        # print_rta_cacheinfo(): an IPv6 route with RTF_EXPIRES (a prefix route of an
        # address with a finite valid lifetime)
        # ci->rta_expires / hz, C's division (towards zero: `-1sec` once past)
        op(_EXPIRES)
        val(int(route.expires / 100))
        if view.users:
            op(_USERS)
            val(view.users)
    elif view.users:
        op(_USERS)          # print_rta_cacheinfo() with -s: an IPv6 lookup's answer
        val(view.users)
    if not cloned:
        _metrics_ops(ops, vals, getattr(route, "metrics", ()))
    if family == 6 and view.iif is not None:
        # print_route(): RTA_IIF after the metrics, before the pref
        _iif_ops(ops, vals, view.iif, color)
    if family == 6:
        op(_PREF)
        val(route.pref)
    if route.nhid is not None and details and route.nhid in view.nexthops:
        # print_cache_nexthop_id(): the nexthop object on a line of its own
        from ipemu.render.nexthop import print_nexthop
        p.emit(ops, vals)
        p.fp("\n\tnh_info ")
        print_nexthop(p, view.nexthops[route.nhid], cache, details, "nh_info", end="",
                      numeric=view.numeric)
        ops, vals = [], []
    if route.multipath:
        _multipath_ops(ops, vals, p, route, cache)
    ops += (_NL, _CLOSE)
    p.emit(ops, vals)


_REALM_FP, _REALMS_FP = (FP, "realm %s ", 1), (FP, "realms %s/%s ", 2)
_FLOW, _FLOW_FROM, _FLOW_TO = (OBJ, "flow"), (JS, "from"), (JS, "to")


def _realm_name(realm: int, numeric: bool) -> str:
    """rtnl_rtrealm_n2a(): Debian's /etc/iproute2/rt_realms names only 0, cosmos."""
    return "cosmos" if realm == 0 and not numeric else str(realm)


def _flow_ops(ops: list, vals: list, flow: int, numeric: bool) -> None:
    """print_rta_flow(): RTA_FLOW as `realm TO` or `realms FROM/TO` (FROM: the upper
    16 bits), a "flow" object in JSON."""
    to, from_ = _realm_name(flow & 0xFFFF, numeric), flow >> 16
    if from_:
        from_ = _realm_name(from_, numeric)
        ops += (_REALMS_FP, _FLOW, _FLOW_FROM, _FLOW_TO, _CLOSE)
        vals += (from_, to, from_, to)
    else:
        ops += (_REALM_FP, _FLOW, _FLOW_TO, _CLOSE)
        vals += (to, to)


def _cacheinfo_metrics_ops(ops: list, vals: list, view: RouteView) -> None:
    """print_rta_cacheinfo()'s expiry, then print_rta_metrics(), of a cached route."""
    if view.expires is not None:
        ops.append(_EXPIRES)
        vals.append(view.expires)
    # print_rta_cacheinfo() with -s (the caller sets them then): users, then age when
    # its clock_t count is not 0 (rta_used is no longer filled)
    if view.users:
        ops.append(_USERS)
        vals.append(view.users)
    if view.age:
        ops.append(_AGE)
        vals.append(view.age // 100)
    _metrics_ops(ops, vals, view.metrics)


_USERS = (ANY, "users", "users %u ")
_AGE = (ANY, "age", "age %usec ")


def print_rta_metrics(p: Printer, metrics: tuple) -> None:
    """print_rta_metrics(): each metric the kernel sent (a 0 it leaves out) or locked, as
    `NAME VALUE` or `NAME lock VALUE` for one in RTAX_LOCK, in RTAX order."""
    ops: list = []
    vals: list = []
    _metrics_ops(ops, vals, metrics)
    p.emit(ops, vals)


def _metrics_ops(ops: list, vals: list, metrics: tuple) -> None:
    # a 0 is not sent, but a locked one still has its RTAX_LOCK bit: `NAME lock 0`
    metrics = [m for m in metrics if m[1] or (len(m) > 2 and m[2])]
    if not metrics:
        return
    ops += ((ARR, "metrics"), _OPEN)
    for name, value, *locked in metrics:
        lock = "lock " if locked and locked[0] else ""
        if name in _RTAX_TIME_DIV:
            # print_rta_metrics(): rtt in 1/8 ms, rttvar in 1/4 ms; "%gs" from 1000 ms
            ms = value // _RTAX_TIME_DIV[name]
            ops += ((FP, f"{name} {lock}%s ", 1), (JS, name))
            vals += (f"{ms / 1e3:g}s" if ms >= 1000 else f"{ms}ms", ms)
        elif name == "features":
            # print_rtax_features(): "ecn" (a JSON null; ecn is all `ip route` sets)
            ops += ((FP, f"features {lock}", 0), (ANY, "ecn", "ecn"), (FP, " ", 0))
            vals.append(None)
        elif name == "congctl":
            # RTAX_CC_ALGO: the algorithm's name, "congestion" in JSON
            ops += ((FP, f"congctl {lock}%s ", 1), (JS, "congestion"))
            vals += (value, value)
        elif lock:
            ops += ((FP, f"{name} lock %u ", 1), (JS, name))
            vals += (value, value)
        else:
            ops.append((ANY, name, f"{name} %u "))
            vals.append(value)
    ops += (_CLOSE, _END_ARR)


_RTAX_TIME_DIV = {"rtt": 8, "rttvar": 4, "rto_min": 1}


def print_gateway(p: Printer, family: int, gateway) -> None:
    """print_rta_gateway(), or print_rta_via() for a gateway of the other family
    (RTA_VIA: `via inet6 ADDR`, a "via" object in JSON)."""
    ops: list = []
    vals: list = []
    _gateway_ops(ops, vals, family, gateway)
    p.emit(ops, vals)


def _gateway_ops(ops: list, vals: list, family: int, gateway, color: bool = False) -> None:
    # print_rta_gateway()/print_rta_via(): format_host() (a name under -resolve)
    text = ntop(gateway) if host_names() is None else format_host(gateway)
    if gateway.version == family:
        if color:
            ops.append(_GATEWAY_C)
            vals.append(_colored("inet" if family == 4 else "inet6", text))
            return
        ops.append(_GATEWAY)
        vals.append(text)
        return
    name = "inet6" if gateway.version == 6 else "inet"
    ops += (_VIA_FP, _VIA, _VIA_FAMILY, _VIA_HOST, _CLOSE)
    vals += (name, name, text)


def print_multipath(p: Printer, route: RouteMsg, cache: LinkCache) -> None:
    """print_rta_multipath(): a line per nexthop, `\tnexthop via X dev Y weight N `."""
    ops: list = []
    vals: list = []
    _multipath_ops(ops, vals, p, route, cache)
    p.emit(ops, vals)


_NEXTHOP_FP, _WEIGHT = (FP, "%s\tnexthop ", 1), (ANY, "weight", "weight %d ")


def _multipath_ops(ops: list, vals: list, p: Printer, route: RouteMsg,
                   cache: LinkCache) -> None:
    ops.append((ARR, "nexthops"))
    for hop in route.multipath:
        ops += (_OPEN, _NEXTHOP_FP)
        vals.append(p.sl)
        if hop.encap is not None:          # print_rta_multipath(): before the gateway
            from ipemu.render.lwtunnel import encap_ops
            encap_ops(ops, vals, hop.encap, cache, False, p.color)
        if hop.gateway is not None:
            # print_rta_multipath(): the gateway coloured, the device not
            _gateway_ops(ops, vals, route.dst.version, hop.gateway, p.color)
        if hop.flow:
            _flow_ops(ops, vals, hop.flow, False)
        if hop.oif is not None:
            ops.append(_DEV)
            vals.append(cache.name(hop.oif))
        ops += (_WEIGHT, _FLAGS)
        vals.append(hop.weight)
        hop_flags = int(hop.flags)
        if hop_flags & _DEAD:               # print_rt_flags(): first
            ops.append(_FLAG)
            vals.append("dead")
        if hop_flags & _ONLINK:
            ops.append(_FLAG)
            vals.append("onlink")
        if hop_flags & _LINKDOWN:          # print_rt_flags(): after onlink
            ops.append(_FLAG)
            vals.append("linkdown")
        ops += (_END_ARR, _CLOSE)
    ops.append(_END_ARR)
