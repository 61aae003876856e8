"""`ip link xstats` (ip/iplink_xstats.c, bridge's iplink_bridge.c bridge_print_xstats())
and `ip link afstats` (iplink.c iplink_afstats()): the older stats commands, over a
stats dump (RTM_GETSTATS) of every device."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ip_stats import _print_mcast, _print_stp
from ipemu.tools.ipargs import EXIT_ARG, duparg2, incomplete_command, invarg, matches



def _bridge_suites(ns, dev, slave: bool) -> tuple:
    """br_fill_linkxstats(): a bridge sends its multicast counters under
    IFLA_STATS_LINK_XSTATS, a port its multicast and STP ones under _SLAVE."""
    msg = ns.stats_msg(dev)
    if slave:
        return ("mcast", "stp") if msg.bridge_port else ()
    return ("mcast",) if msg.bridge else ()


def link_xstats(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """iplink_ifla_xstats(): `type TYPE [ARGS]`, then the type's printer over a stats
    dump of IFLA_STATS_LINK_XSTATS (or _SLAVE for a *_slave type)."""
    if not argv:
        raise CommandError("xstats: missing argument\n", 1)
    if matches(argv[0], "type"):
        if len(argv) < 2:
            raise incomplete_command()
        kind = argv[1]
        if kind not in ctx.profile["ip_link_utils"]:     # get_link_kind()
            raise invarg("invalid type", kind)
    elif matches(argv[0], "help"):
        ctx.term.out("Usage: ... xstats type TYPE [ ARGS ]\n")
        return 0
    else:
        raise invarg("unknown argument", argv[0])
    if kind not in ("bridge", "bridge_slave", "bond", "bond_slave"):
        raise CommandError(f"xstats: link type {kind} doesn't support xstats\n", 1)
    if kind == "bond":
        # bond_print_xstats() of Debian's iproute2 6.1 overruns its stack (recorded)
        raise CommandError("*** stack smashing detected ***: terminated\n", 134)
    if kind == "bond_slave":
        raise CommandError("ipemu: `ip link xstats type bond_slave` is not simulated yet\n", 1)
    parsed = _bridge_xstats_args(ctx, kind, argv[2:])
    if parsed is None:
        return 0        # help: exit(0)
    only, ifindex = parsed
    group = "xstats_slave" if kind.endswith("_slave") else "xstats"
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    for device in ctx.netns.device_list():
        if ifindex and device.ifindex != ifindex:
            continue
        suites = _bridge_suites(ctx.netns, device, group == "xstats_slave")
        if not suites:
            continue
        p.open_object()
        p.any("ifname", "%-16s\n", device.name)
        for suite in ("mcast", "stp"):          # br_fill_linkxstats()'s order
            if suite in suites and only in (None, suite):
                if suite == "mcast":
                    _print_mcast(p, device)
                else:
                    _print_stp(p)
        p.close_object()
    p.end()
    ctx.term.out(p.text())
    return 0


def _bridge_xstats_args(ctx: ToolContext, kind: str, argv: list[str]) -> tuple | None:
    """bridge_parse_xstats(): igmp|mcast, stp, dev DEV, help (None: it printed the
    usage and exits 0)."""
    only = None
    ifindex = 0
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("igmp", "mcast"):
            only = "mcast"
        elif word == "stp":
            only = "stp"
        elif word == "dev":
            i += 1
            if i >= len(argv):
                raise incomplete_command()
            device = ctx.netns.getlink(argv[i])
            if device is None:
                raise CommandError(f'Cannot find device "{argv[i]}"\n', 1)
            ifindex = device.ifindex
        elif word == "help":
            ctx.term.out(f"Usage: ... {kind} [ igmp ] [ dev DEVICE ]\n")
            return None
        else:
            raise invarg("unknown attribute", word)
        i += 1
    return only, ifindex


def link_afstats(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """iplink_afstats(): `[dev DEV]`; only MPLS has address-family statistics, and no
    device here has MPLS on: an empty dump. Its status is ignored (always 0)."""
    dev = None
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "dev":
            i += 1
            if i >= len(argv):
                raise incomplete_command()
            if dev is not None:
                raise duparg2("dev", argv[i])
            dev = argv[i]
        elif matches(word, "help"):
            raise usage_error("ip_link", ctx.profile)
        else:
            raise CommandError(f'Command "{word}" is unknown, try "ip link help".\n',
                               EXIT_ARG)
        i += 1
    if dev is not None and ctx.netns.getlink(dev) is None:
        ctx.term.err(f'Device "{dev}" does not exist.\n')
        return 0
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    p.end()
    ctx.term.out(p.text())
    return 0
