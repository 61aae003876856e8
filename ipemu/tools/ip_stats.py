"""`ip stats` (ip/ipstats.c) and `ip link xstats`/`afstats` (ip/iplink_xstats.c,
iplink.c iplink_afstats()): RTM_GETSTATS per device, printed by a tree of stat
descriptions (group, subgroup, suite)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.render.link import print_num, print_stats
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ip_link import parse_on_off
from ipemu.tools.ipargs import (EXIT_ARG, check_ifname, duparg2, incomplete_command, invarg,
                                matches)

LEVELS = ("group", "subgroup", "suite")

# the descriptions as ipstats.c nests them (a leaf is a path of names)
TREE = {
    "link": None,
    "xstats": {"bridge": {"stp": None, "mcast": None}, "bond": {"802.3ad": None}},
    "xstats_slave": {"bridge": {"stp": None, "mcast": None}, "bond": {"802.3ad": None}},
    "offload": {"cpu_hit": None, "hw_stats_info": None, "l3_stats": None},
    "afstats": {"mpls": None},
}

# ipstats_enable() sorts the enabled leaves by the address of their static
# description (qsort of pointers): the order Debian's ip binary lays them out in
# (recorded: oracle26a_probe_ipstats)
LEAF_ORDER = (
    ("afstats", "mpls"), ("link",), ("offload", "l3_stats"), ("offload", "hw_stats_info"),
    ("offload", "cpu_hit"), ("xstats_slave", "bond", "802.3ad"), ("xstats", "bond", "802.3ad"),
    ("xstats_slave", "bridge", "mcast"), ("xstats_slave", "bridge", "stp"),
    ("xstats", "bridge", "mcast"), ("xstats", "bridge", "stp"),
)

HELP = (
    "Usage: ip stats help\n"
    "       ip stats show [ dev DEV ] [ group GROUP [ subgroup SUBGROUP [ suite SUITE ] ... ] ... ] ...\n"
    "       ip stats set dev DEV l3_stats { on | off }\n"
    "GROUP := { link | xstats | xstats_slave | offload | afstats }\n"
    "xstats SUBGROUP := { bridge [ suite stp ] [ suite mcast ] | bond [ suite 802.3ad ] }\n"
    "xstats_slave SUBGROUP := { bridge [ suite stp ] [ suite mcast ] | bond [ suite 802.3ad ] }\n"
    "offload SUBGROUP := { cpu_hit | hw_stats_info | l3_stats }\n"
    "afstats SUBGROUP := { mpls }\n")

# the link types iproute2 6.1 has a link_util for (get_link_kind()), and those that
# print extended statistics
LINK_UTILS = frozenset((
    "amt bareudp batadv bond bond_slave bridge bridge_slave can dsa dummy geneve gtp hsr "
    "ifb ipoib ipvlan ipvtap macvlan macvtap netdevsim nlmon rmnet team vcan virt_wifi "
    "vlan vrf vrf_slave vxcan vxlan wwan macsec tun gre gretap erspan ip6gre ip6gretap "
    "ip6erspan ip6tnl ipip sit veth vti vti6 xfrm").split())

PAD = " " * 16     # "%-16s" of an empty string


def do_ipstats(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_ipstats(): show (the default), set, help."""
    if not argv:
        return show(ctx, opts, [])
    if argv[0] == "help":
        ctx.term.err(HELP)
        return 0
    if argv[0] == "show":
        return show(ctx, opts, argv[1:])
    if argv[0] == "set":
        return stats_set(ctx, argv[1:])
    raise CommandError(f'Command "{argv[0]}" is unknown, try "ip stats help".\n', 1)


def _find(sel: list) -> tuple | None:
    """ipstats_enable_find_stat_desc(): walk the tree down the selection."""
    node, path = TREE, ()
    for i, name in enumerate(sel):
        if node is None:
            raise CommandError(f"Error: {LEVELS[i]} {name} requested inside leaf "
                               f"{LEVELS[i - 1]} {path[-1]}\n", 22)
        if name not in node:
            inside = path[-1] if path else "top-level"
            raise CommandError(f"Error: no {LEVELS[i]} named {name} found inside {inside}\n",
                               22)
        node, path = node[name], path + (name,)
    return path


def _leaves(path: tuple) -> list[tuple]:
    """ipstats_enable_recursively(): every leaf under a description."""
    node = TREE
    for name in path:
        node = node[name]
    if node is None:
        return [path]
    return [leaf for name in node for leaf in _leaves(path + (name,))]


def _enable(sel: list, enabled: set) -> None:
    enabled.update(_leaves(_find(sel)))


def show(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """ipstats_show(): `dev`, and group/subgroup/suite selections, each pushed when
    a selection at its level or above starts again (ipstats_select())."""
    dev = None
    sel: list = []
    enabled: set = set()
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "dev":
            i += 1
            if i >= len(argv):
                raise incomplete_command()
            if dev is not None:
                raise duparg2("dev", argv[i])
            if not check_ifname(argv[i]):
                raise invarg('"dev" not a valid ifname', argv[i])
            dev = argv[i]
        elif word == "help":
            ctx.term.err(HELP)
            return 0
        elif word in LEVELS:
            level = LEVELS.index(word)
            i += 1
            if i >= len(argv):
                raise incomplete_command()
            if len(sel) < level:
                raise CommandError(f"Error: {word} {argv[i]} requested without selecting "
                                   f"a {LEVELS[len(sel)]} first\n", 22)
            if len(sel) > level:
                _enable(sel, enabled)
            sel = sel[:level] + [argv[i]]
        else:
            ctx.term.err(f'What is "{word}"?\n' + HELP)
            return 22
        i += 1
    _enable(sel, enabled)
    ns = ctx.netns
    if dev is not None:
        device = ns.getlink(dev)
        if device is None:
            raise CommandError(f'Cannot find device "{dev}"\n', 1)
        devices = [device]
    else:
        devices = ns.device_list()
    leaves = [leaf for leaf in LEAF_ORDER if leaf in enabled]
    level = 1 + opts.stats + opts.details   # "stats show" implies one -s, -d one more
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    for device in devices:
        msg = ns.link_msg(device)
        xstats = ns.stats_xstats(device)
        for leaf in leaves:
            p.open_object()
            p.any("ifindex", "%d:", device.ifindex)
            p.color_any("ifname", "ifname", " %s:", device.name)
            for lvl, name in zip(LEVELS, leaf):
                p.js(lvl, name)
                p.fp(" %s %s", lvl, name)
            _show_leaf(p, leaf, device, msg, xstats, level)
            p.close_object()
            p.nl()
        if dev is None:
            p.nl()          # ipstats_dump_one()
    p.end()
    ctx.term.out(p.text())
    return 0


def _show_leaf(p: Printer, leaf: tuple, device, msg, xstats: dict, level: int) -> None:
    if leaf == ("link",):
        p.nl()
        print_stats(p, msg.stats, level)
    elif leaf[0] == "offload":
        _show_offload(p, leaf[1], device)
    elif leaf[0] in ("xstats", "xstats_slave") and leaf[1] == "bridge":
        suites = xstats.get(leaf[0], {})
        if leaf[2] in suites:
            p.nl()
            (_print_mcast if leaf[2] == "mcast" else _print_stp)(p)
    # afstats mpls, bond 802.3ad: no MPLS, no bonds here: nothing under the header


def _show_offload(p: Printer, sub: str, device) -> None:
    """The offload suites: cpu_hit has no HW counters to show; hw_stats_info and
    l3_stats tell whether L3 HW stats were requested and used."""
    on = device.offload_l3_stats
    if sub == "cpu_hit":
        p.nl()
        return
    if sub == "hw_stats_info":
        p.nl()
        p.open_object("info")
        p.fp("    %s", "l3_stats")
        p.open_object("l3_stats")
        _request_used(p, on)
        p.close_object()
        p.close_object()
        return
    p.open_object("info")
    _request_used(p, on)
    p.close_object()
    if on:
        p.nl()
        p.open_object("stats64")
        _print_hw_stats64(p)
        p.close_object()


def _request_used(p: Printer, on: bool) -> None:
    p.any("request", " %s", "on" if on else "off") if not p.is_json else p.js("request", on)
    p.any("used", " used %s", "off") if not p.is_json else p.js("used", False)


def _print_hw_stats64(p: Printer) -> None:
    """print_hw_stats64(): struct rtnl_hw_stats64, all zeros (no HW)."""
    if p.is_json:
        for part, keys in (("rx", ("bytes", "packets", "errors", "dropped", "multicast")),
                           ("tx", ("bytes", "packets", "errors", "dropped"))):
            p.open_object(part)
            for key in keys:
                p.js(key, 0)
            p.close_object()
        return
    cols = (len("*X: bytes"), len("packets"), len("errors"), len("dropped"), len("overrun"))
    p.fp("    RX: %*s %*s %*s %*s %*s%s", cols[0] - 4, "bytes", cols[1], "packets",
         cols[2], "errors", cols[3], "dropped", cols[4], "mcast", p.sl)
    p.fp("    " + "".join(print_num(c, 0) for c in cols) + p.sl)
    p.fp("    TX: %*s %*s %*s %*s%s", cols[0] - 4, "bytes", cols[1], "packets",
         cols[2], "errors", cols[3], "dropped", p.sl)
    p.fp("    " + "".join(print_num(c, 0) for c in cols[:4]))


def _print_mcast(p: Printer) -> None:
    """bridge_print_stats_mcast(): struct br_mcast_stats (zeros: not counted while
    mcast_stats_enabled is off, its default)."""
    p.open_object("multicast")
    for proto, versions in (("IGMP", ("v1", "v2", "v3")), ("MLD", ("v1", "v2"))):
        low = proto.lower()
        for what in ("queries", "reports"):
            p.open_object(f"{low}_{what}")
            p.fp("%s    %s %s:\n", PAD, proto, what)
            for direction in ("rx", "tx"):
                p.fp("%s      ", PAD)
                for i, v in enumerate(versions):
                    head = f"{direction.upper()}: " if i == 0 else ""
                    tail = "\n" if i == len(versions) - 1 else " "
                    p.any(f"{direction}_{v}", f"{head}{v} %d{tail}", 0)
            p.close_object()
        p.open_object(f"{low}_leaves")
        p.fp("%s    %s leaves: ", PAD, proto)
        p.any("rx", "RX: %d ", 0)
        p.any("tx", "TX: %d\n", 0)
        p.close_object()
        p.fp("%s    %s parse errors: ", PAD, proto)
        p.any(f"{low}_parse_errors", "%d\n", 0)
    p.close_object()


def _print_stp(p: Printer) -> None:
    """bridge_print_stats_stp(): struct bridge_stp_xstats."""
    p.open_object("stp")
    p.fp("%s    STP BPDU:  ", PAD)
    p.any("rx_bpdu", "RX: %d ", 0)
    p.any("tx_bpdu", "TX: %d\n", 0)
    p.fp("%s    STP TCN:   ", PAD)
    p.any("rx_tcn", "RX: %d ", 0)
    p.any("tx_tcn", "TX: %d\n", 0)
    p.fp("%s    STP Transitions: ", PAD)
    p.any("transition_blk", "Blocked: %d ", 0)
    p.any("transition_fwd", "Forwarding: %d\n", 0)
    p.close_object()


def stats_set(ctx: ToolContext, argv: list[str]) -> int:
    """ipstats_set(): `dev DEV l3_stats on|off`."""
    dev = None
    enable = None
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "dev":
            i += 1
            if i >= len(argv):
                raise incomplete_command()
            if dev is not None:
                raise duparg2("dev", argv[i])
            if not check_ifname(argv[i]):
                raise invarg('"dev" not a valid ifname', argv[i])
            dev = argv[i]
        elif word == "l3_stats":
            i += 1
            if i >= len(argv):
                raise incomplete_command()
            if enable is not None:
                raise CommandError("A statistics suite to toggle was already given.\n", 22)
            enable = parse_on_off("l3_stats", argv[i])
        elif word == "help":
            ctx.term.err(HELP)
            return 0
        else:
            ctx.term.err(f'What is "{word}"?\n' + HELP)
            return 22
        i += 1
    if dev is None:
        raise CommandError('Not enough information: "dev" argument is required.\n', EXIT_ARG)
    if enable is None:
        raise CommandError("Not enough information: stat type to toggle is required.\n",
                           EXIT_ARG)
    device = ctx.netns.getlink(dev)
    if device is None:
        raise CommandError(f'Cannot find device "{dev}"\n', 1)
    ctx.netns.set_stats_l3(device, enable)
    return 0


def link_xstats(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """iplink_ifla_xstats(): `type TYPE [ARGS]`, then the type's printer over a stats
    dump of IFLA_STATS_LINK_XSTATS (or _SLAVE for a *_slave type)."""
    if not argv:
        raise CommandError("xstats: missing argument\n", 1)
    if matches(argv[0], "type"):
        if len(argv) < 2:
            raise incomplete_command()
        kind = argv[1]
        if kind not in LINK_UTILS:
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
        suites = ctx.netns.stats_xstats(device).get(group)
        if suites is None:
            continue
        p.open_object()
        p.any("ifname", "%-16s\n", device.name)
        for suite in ("mcast", "stp"):          # br_fill_linkxstats()'s order
            if suite in suites and only in (None, suite):
                (_print_mcast if suite == "mcast" else _print_stp)(p)
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
