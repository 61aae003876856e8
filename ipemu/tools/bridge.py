"""`bridge` (iproute2 bridge/): `bridge link` lists bridge ports and their STP state."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.netdev import IFF
from ipemu.kernel.records import LinkMsg
from ipemu.render.link import LinkCache, port_state_name, print_flags
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import Args, duparg
from ipemu import syntax
from ipemu.syntax import keyword


EXIT_ARG = 255       # bridge's exit(-1)


def main(ctx: ToolContext, argv: list[str]) -> int:
    """bridge.c main() and do_cmd(), each word matched through grammar/bridge.lark."""
    cursor = syntax.grammar("bridge").cursor()
    args = list(argv[1:])
    flags: set[str] = set()
    while args and args[0].startswith("-"):
        if args[0] == "--":
            cursor.feed(args.pop(0))
            break
        opt = args[0][1:] if args[0].startswith("--") else args[0]
        kw = cursor.match(opt)
        if kw is None:
            raise CommandError(f'Option "{opt}" is unknown, try "bridge help".\n', EXIT_ARG)
        cursor.feed(args.pop(0), as_word=opt)
        if cursor.takes_value():
            if not args:
                raise _usage(ctx)
            cursor.feed(args.pop(0))
        if kw.text == "-help":
            raise _usage(ctx)
        if kw.text in ("-Version", "-family", "-netns", "-batch"):
            raise CommandError(f"ipemu: `bridge {kw.text}` is not simulated yet\n", 1)
        flags.add(kw.text)
    if not args:
        raise _usage(ctx)
    words = cursor.feed_all(args)
    obj, cmd = keyword(words[0]), keyword(words[1]) if len(words) > 1 else None
    p = Printer("-json" in flags, "-pretty" in flags)
    if obj == "help":
        raise _usage(ctx)
    if obj == "link" and cmd in (None, "show", "lst", "list"):
        return link_show(ctx, Args(words[2:] if cmd else words[1:]), p, "-details" in flags)
    if obj == "fdb":
        from ipemu.tools.bridge_fdb import do_fdb
        return do_fdb(ctx, words[1:], p)
    raise CommandError(f"ipemu: `bridge {' '.join(args[:2])}` is not simulated yet\n", 1)


def _usage(ctx: ToolContext) -> CommandError:
    """bridge.c usage(): on stderr, exit(-1)."""
    return CommandError(ctx.profile.usage("bridge"), EXIT_ARG)


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
