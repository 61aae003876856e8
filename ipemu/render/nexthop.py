"""`ip nexthop` entries (iproute2 ip/ipnexthop.c __print_nexthop_entry()), text and
JSON; `ip -d route` prints the one a route uses as its `nh_info`."""
from __future__ import annotations

from ipemu.kernel.fib import Scope
from ipemu.render.link import LinkCache
from ipemu.render.names import proto_name, scope_name
from ipemu.render.printer import Printer


def print_nexthop(p: Printer, obj, cache: LinkCache, details: int = 0,
                  jsobj: str | None = None, end: str = "\n", deleted: bool = False,
                  numeric: bool = False) -> None:
    """__print_nexthop_entry(): id, group, gateway, device, scope (non-universe or -d),
    blackhole, protocol (set or -d), flags; print_nexthop() puts "Deleted " (JSON
    "deleted": true) before a removed one."""
    p.open_object(jsobj)
    if deleted:
        p.any("deleted", "Deleted ", True)
    p.any("id", "id %u ", obj.id)
    if obj.group:
        p.open_array("group")
        p.fp("group ")
        for n, (nhid, weight) in enumerate(obj.group):
            p.open_object()
            p.fp("/" if n else "")
            p.any("id", "%u", nhid)
            if weight != 1:
                p.any("weight", ",%u", weight)
            p.close_object()
        p.fp(" ")
        p.close_array()
    if obj.res is not None:
        # print_nh_group_type() (mpath is not printed), print_nh_res_group()
        res = obj.res
        p.any("type", "type %s ", "resilient")
        p.open_object("resilient_args")
        p.any("buckets", "buckets %u ", res.num_buckets)
        for key, value in (("idle_timer", res.idle_timer),
                           ("unbalanced_timer", res.unbalanced_timer),
                           ("unbalanced_time", 0)):
            # print_tv(): seconds, %g in text and a number in JSON
            p.any(key, f"{key} %s ", value // 100 if value % 100 == 0 else value / 100)
        p.close_object()
    if getattr(obj, "encap", None) is not None:
        from ipemu.render.lwtunnel import encap_ops
        ops: list = []
        vals: list = []
        encap_ops(ops, vals, obj.encap, cache, False, p.color)
        p.emit(ops, vals)
    # print_nh_gateway(), print_rta_ifidx(): the keyword plain, the value coloured
    if obj.gateway is not None:
        p.fp("via ")
        p.color_any("inet" if obj.gateway.version == 4 else "inet6", "gateway", "%s ",
                    str(obj.gateway))
    if obj.oif is not None:
        p.fp("dev ")
        p.color_any("ifname", "dev", "%s ", cache.name(obj.oif))
    if obj.scope != Scope.UNIVERSE or details:
        # (-N: rtnl_rtscope_n2a() and rtnl_rtprot_n2a() print the numbers)
        p.any("scope", "scope %s ", str(obj.scope) if numeric else scope_name(obj.scope))
    if obj.blackhole:
        p.any("blackhole", "blackhole ", None)
    if obj.protocol or details:
        p.any("protocol", "proto %s ",
              str(obj.protocol) if numeric else proto_name(obj.protocol))
    p.open_array("flags")
    if obj.onlink:
        p.any(None, "%s ", "onlink")
    p.close_array()
    if obj.fdb:
        p.any("fdb", "fdb", None)
    p.fp(end)
    p.close_object()
