"""`bridge` (iproute2 bridge/): `bridge link` lists bridge ports and their STP state."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.netdev import IFF
from ipemu.kernel.records import LinkMsg
from ipemu.render.link import LinkCache, port_state_name, print_flags
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import Args, duparg, matches


def main(ctx: ToolContext, argv: list[str]) -> int:
    args = list(argv[1:])
    json_mode = pretty = details = False
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if matches(opt, "-json"):
            json_mode = True
        elif matches(opt, "-pretty"):
            pretty = True
        elif matches(opt, "-details"):
            details = True
        elif matches(opt, "-statistics"):
            pass
        else:
            raise CommandError(f'Option "{opt}" is unknown, try "bridge help".\n', 255)
    if not args:
        raise CommandError("ipemu: only `bridge link` is simulated yet\n", 1)
    if matches(args[0], "link"):
        return link_show(ctx, Args(args[2:] if len(args) > 1 and
                                   (matches(args[1], "show") or matches(args[1], "list"))
                                   else args[1:]), Printer(json_mode, pretty), details)
    if matches(args[0], "fdb"):
        from ipemu.tools.bridge_fdb import do_fdb
        return do_fdb(ctx, args[1:], Printer(json_mode, pretty))
    raise CommandError(f"ipemu: `bridge {args[0]}` is not simulated yet\n", 1)


def _bridge_link_name(msg: LinkMsg, cache: LinkCache) -> tuple[str, bool]:
    """The bridge dump carries IFLA_LINK but not the peer's namespace id, so `bridge`
    names the peer index as if it were local: a veth whose peer sits in another
    namespace shows as `pa@br0` when the local ifindex 2 is br0."""
    if msg.kind != "veth" or not msg.link:
        return msg.ifname, False
    if msg.link not in cache.links:
        return f"{msg.ifname}@if{msg.link}", False
    return f"{msg.ifname}@{cache.name(msg.link)}", not cache.flags(msg.link) & IFF.UP


# The port flags bridge/link.c's print_protinfo() prints under -d, in its order, with
# the kernel's defaults (a new port: learning and flooding on, multicast router 1)
PORT_FLAGS = (("hairpin", "off"), ("guard", "off"), ("root_block", "off"),
              ("fastleave", "off"), ("learning", "on"), ("flood", "on"),
              ("mcast_flood", "on"), ("bcast_flood", "on"), ("mcast_router", 1),
              ("mcast_to_unicast", "off"), ("neigh_suppress", "off"),
              ("vlan_tunnel", "off"), ("isolated", "off"), ("locked", "off"))


def link_show(ctx: ToolContext, args: Args, p: Printer, details: bool = False) -> int:
    dev_filter = None
    while args:
        if args.cur == "dev":
            value = args.next_arg()
            if dev_filter is not None:
                raise duparg("dev", value)
            dev_filter = value
        args.advance()
    ns = ctx.netns
    only = None
    if dev_filter is not None:
        only = ns.by_name(dev_filter)
        if only is None:
            raise CommandError(f'Cannot find device "{dev_filter}"\n', 1)
    links = ns.dump_links()
    cache = LinkCache({m.ifindex: m for m in links})
    p.begin()
    for msg in links:
        if msg.slave_kind != "bridge_slave" or (only and msg.ifindex != only.ifindex):
            continue
        name, mdown = _bridge_link_name(msg, cache)
        p.open_object()
        p.any("ifindex", "%d: ", msg.ifindex)
        p.fp("%s: ", name)
        p.js("ifname", msg.ifname)
        print_flags(p, msg.flags, mdown)
        p.any("mtu", "mtu %u ", msg.mtu)
        p.any("master", "master %s ", cache.name(msg.master))
        p.any("state", "state %s ", port_state_name(msg.slave_data.state))
        p.any("priority", "priority %d ", 32)
        p.any("cost", "cost %d ", 2)
        if details:
            # print_protinfo(): the flags on a line of their own, indented by 4
            p.fp("\n    ")
            for key, value in PORT_FLAGS:
                p.any(key, f"{key} %s ", value)
        p.fp("\n")
        p.close_object()
    p.end()
    ctx.term.out(p.text())
    return 0
