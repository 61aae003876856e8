"""`ip stats` (iproute2 6.1 ip/ipstats.c): RTM_GETSTATS of one device or a dump of
all, printed group by group (link, xstats, xstats_slave, offload, afstats), and
RTM_SETSTATS of a device's L3 hardware statistics (`set dev DEV l3_stats on|off`)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.render.link import print_stats
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions
from ipemu.tools.ipargs import Args, check_ifname, duparg2, invarg
from ipemu.tools.rtnl import talk_error

LEVELS = ("group", "subgroup", "suite")
EINVAL = 22                  # ipstats returns -EINVAL; ip exits with its negation

# ipstats_stat_desc_toplev_group: each group's members in their order (help and
# selection); a leaf is a name with None
TREE = (
    ("link", None),
    ("xstats", (("bridge", (("stp", None), ("mcast", None))),
                ("bond", (("802.3ad", None),)))),
    ("xstats_slave", (("bridge", (("stp", None), ("mcast", None))),
                      ("bond", (("802.3ad", None),)))),
    ("offload", (("cpu_hit", None), ("hw_stats_info", None), ("l3_stats", None))),
    ("afstats", (("mpls", None),)),
)

# ipstats_enable() sorts what is enabled by the address of each leaf's struct
# ipstats_stat_desc (ipstats_comp_enabled()): the order the recording's iproute2 build
# lays them out in, as it prints them
ORDER = (("afstats", "mpls"), ("link",), ("offload", "l3_stats"),
         ("offload", "hw_stats_info"), ("offload", "cpu_hit"),
         ("xstats_slave", "bond", "802.3ad"), ("xstats", "bond", "802.3ad"),
         ("xstats_slave", "bridge", "mcast"), ("xstats_slave", "bridge", "stp"),
         ("xstats", "bridge", "mcast"), ("xstats", "bridge", "stp"))


def usage() -> str:
    """do_help(): the usage and each group's members, from the tree."""
    out = ("Usage: ip stats help\n"
           "       ip stats show [ dev DEV ] [ group GROUP [ subgroup SUBGROUP [ suite SUITE ]"
           " ... ] ... ] ...\n"
           "       ip stats set dev DEV l3_stats { on | off }\n")
    out += "GROUP := { " + " | ".join(name for name, _ in TREE) + " }\n"
    for name, subs in TREE:
        if subs is None:
            continue
        parts = []
        for sub, suites in subs:
            parts.append(sub + "".join(f" [ suite {s} ]" for s, _ in suites or ()))
        out += f"{name} SUBGROUP := {{ " + " | ".join(parts) + " }\n"
    return out


def _dev_arg(args: Args, seen: str | None) -> str:
    """`dev DEV` of ipstats_show() and ipstats_set(): once, and a valid name
    (check_ifname())."""
    value = args.next_arg()
    if seen is not None:
        raise duparg2("dev", value)
    if not check_ifname(value):
        raise invarg('"dev" not a valid ifname', value)
    return value


def do_ipstats(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    if not argv:
        return _show(ctx, opts, [], opts.stats)
    if argv[0] == "help":
        ctx.term.err(usage())
        return 0
    if argv[0] == "show":
        # "Invoking stats show implies one -s. Passing -d adds one more -s."
        return _show(ctx, opts, argv[1:], opts.stats + opts.details + 1)
    if argv[0] == "set":
        return _set(ctx, argv[1:])
    raise CommandError(f'Command "{argv[0]}" is unknown, try "ip stats help".\n', 1)


def _leaves(path: tuple) -> list[tuple]:
    """ipstats_enable_find_stat_desc() then ipstats_enable_recursively(): the leaves
    under a selection (CommandError as iproute2 words a wrong one)."""
    node: tuple | None = TREE
    where = "top-level"
    for level, name in enumerate(path):
        if node is None:
            raise CommandError(f"Error: {LEVELS[level]} {name} requested inside leaf "
                               f"{LEVELS[level - 1]} {where}\n", EINVAL)
        found = next((sub for sub in node if sub[0] == name), None)
        if found is None:
            raise CommandError(f"Error: no {LEVELS[level]} named {name} found inside "
                               f"{where}\n", EINVAL)
        where, node = found

    def walk(prefix: tuple, subs) -> list[tuple]:
        if subs is None:
            return [prefix]
        out = []
        for name, inner in subs:
            out += walk(prefix + (name,), inner)
        return out
    return walk(path, node)


def _show(ctx: ToolContext, opts: IpOptions, argv: list[str], level: int) -> int:
    """ipstats_show(): `group`/`subgroup`/`suite` words build selections, each pushed
    when a new one starts at its level or above; none selects everything."""
    dev_name = None
    sel: list[str | None] = [None, None, None]
    enabled: set[tuple] = set()
    args = Args(argv)
    while args:
        word = args.cur
        if word == "dev":
            dev_name = _dev_arg(args, dev_name)
        elif word == "help":
            ctx.term.err(usage())
            return 0
        elif word in LEVELS:
            level_at = LEVELS.index(word)
            value = args.next_arg()
            for i in range(level_at):
                if sel[i] is None:
                    raise CommandError(f"Error: {word} {value} requested without "
                                       f"selecting a {LEVELS[i]} first\n", EINVAL)
            if any(s is not None for s in sel[level_at:]):
                enabled.update(_leaves(tuple(s for s in sel if s is not None)))
            sel[level_at] = value
            for i in range(level_at + 1, len(sel)):
                sel[i] = None
        else:
            ctx.term.err(f'What is "{word}"?\n' + usage())
            return EINVAL
        args.advance()
    enabled.update(_leaves(tuple(s for s in sel if s is not None)))
    ns = ctx.netns
    if dev_name is not None:
        dev = ns.by_name(dev_name)
        if dev is None:
            raise CommandError(f'Cannot find device "{dev_name}"\n', 1)
        msgs = [ns.stats_msg(dev)]
    else:
        msgs = [ns.stats_msg(dev) for dev in ns.device_list()]
    chosen = [leaf for leaf in ORDER if leaf in enabled]
    p = Printer(opts.json, opts.pretty, False, color=opts.color)
    p.begin()
    for msg in msgs:
        for leaf in chosen:
            p.open_object()
            p.any("ifindex", "%d:", msg.ifindex)
            p.color_any("ifname", "ifname", " %s:", msg.ifname)
            for name, value in zip(LEVELS, leaf):
                p.js(name, value)
                p.fp(" %s %s", name, value)
            _show_leaf(p, msg, leaf, level, ns.by_index(msg.ifindex))
            p.close_object()
            p.nl()
        if dev_name is None:
            p.nl()          # ipstats_dump_one()
    p.end()
    ctx.term.out(p.text())
    return 0


def _moo(p: Printer, key: str, fmt: str, on: bool) -> None:
    """ipstats_print_moo() -> print_on_off(): a bool in JSON, on/off in text."""
    if p.is_json:
        p.js(key, on)
    else:
        p.fp(fmt, "on" if on else "off")


def _show_leaf(p: Printer, msg, leaf: tuple, level: int, dev=None) -> None:
    """Each stat_desc's show(): what the device's answer holds of it."""
    if leaf == ("link",):
        p.nl()
        print_stats(p, msg.stats, level, transns=False)
    elif leaf == ("offload", "l3_stats"):
        p.open_object("info")
        _moo(p, "request", " %s", msg.l3_stats_request)
        _moo(p, "used", " used %s", False)
        p.close_object()
        if msg.l3_stats_request:
            p.nl()
            p.open_object("stats64")
            _print_hw_stats64(p)
            p.close_object()
    elif leaf == ("offload", "hw_stats_info"):
        p.nl()
        p.open_object("info")
        p.fp("    %s", "l3_stats")
        p.open_object("l3_stats")
        _moo(p, "request", " %s", msg.l3_stats_request)
        _moo(p, "used", " used %s", False)
        p.close_object()
        p.close_object()
    elif leaf == ("offload", "cpu_hit"):
        p.nl()              # no device here counts frames trapped to the CPU
    elif leaf[1:] == ("bridge", "mcast") and \
            (msg.bridge if leaf[0] == "xstats" else msg.bridge_port):
        p.nl()
        _print_mcast(p, dev)
    elif leaf == ("xstats_slave", "bridge", "stp") and msg.bridge_port:
        p.nl()
        _print_stp(p)


def _print_hw_stats64(p: Printer) -> None:
    """print_hw_stats64() of a device without hardware counters (all zero)."""
    if p.is_json:
        for side, keys in (("rx", ("bytes", "packets", "errors", "dropped", "multicast")),
                           ("tx", ("bytes", "packets", "errors", "dropped"))):
            p.open_object(side)
            for key in keys:
                p.js(key, 0)
            p.close_object()
        return
    p.fp("    RX: bytes packets errors dropped   mcast")
    p.nl()
    p.fp("    %9s %7s %6s %7s %7s ", 0, 0, 0, 0, 0)
    p.nl()
    p.fp("    TX: bytes packets errors dropped")
    p.nl()
    p.fp("    %9s %7s %6s %7s ", 0, 0, 0, 0)


_PAD = " " * 20                  # "%-16s    " of ""


def _print_mcast(p: Printer, dev=None) -> None:
    """bridge_print_stats_mcast(): the snooping counters of the bridge or port `dev`
    (br_multicast_get_stats(): counted only while mcast_stats_enabled, off by
    default)."""
    stats = (dev.br_mc_stats if dev is not None else None) or {}

    def count(key: str, side: str, v: int | None = None) -> int:
        # struct br_mcast_stats: igmp_v2queries[RX], igmp_leaves[TX], ...
        kind = key.split("_")
        name = f"{kind[0]}_v{v}{kind[1]}" if v is not None else key
        return stats.get((name, 0 if side == "rx" else 1), 0)
    p.open_object("multicast")
    for key, title, versions in (("igmp_queries", "IGMP queries", 3),
                                 ("igmp_reports", "IGMP reports", 3)):
        p.open_object(key)
        p.fp(f"{_PAD}{title}:\n")
        for side in ("rx", "tx"):
            p.fp(f"{_PAD}  ")
            for v in range(1, versions + 1):
                head = f"{side.upper()}: " if v == 1 else ""
                tail = "\n" if v == versions else " "
                p.any(f"{side}_v{v}", f"{head}v{v} %d{tail}", count(key, side, v))
        p.close_object()
    p.open_object("igmp_leaves")
    p.fp(f"{_PAD}IGMP leaves: ")
    p.any("rx", "RX: %d ", count("igmp_leaves", "rx"))
    p.any("tx", "TX: %d\n", count("igmp_leaves", "tx"))
    p.close_object()
    p.fp(f"{_PAD}IGMP parse errors: ")
    p.any("igmp_parse_errors", "%d\n", 0)
    for key, title in (("mld_queries", "MLD queries"), ("mld_reports", "MLD reports")):
        p.open_object(key)
        p.fp(f"{_PAD}{title}:\n")
        for side in ("rx", "tx"):
            p.fp(f"{_PAD}  ")
            p.any(f"{side}_v1", f"{side.upper()}: v1 %d ", count(key, side, 1))
            p.any(f"{side}_v2", "v2 %d\n", count(key, side, 2))
        p.close_object()
    p.open_object("mld_leaves")
    p.fp(f"{_PAD}MLD leaves: ")
    p.any("rx", "RX: %d ", count("mld_leaves", "rx"))
    p.any("tx", "TX: %d\n", count("mld_leaves", "tx"))
    p.close_object()
    p.fp(f"{_PAD}MLD parse errors: ")
    p.any("mld_parse_errors", "%d\n", 0)
    p.close_object()


def _print_stp(p: Printer) -> None:
    """bridge_print_stats_stp() (a port's BPDU and transition counters)."""
    p.open_object("stp")
    p.fp(f"{_PAD}STP BPDU:  ")
    p.any("rx_bpdu", "RX: %d ", 0)
    p.any("tx_bpdu", "TX: %d\n", 0)
    p.fp(f"{_PAD}STP TCN:   ")
    p.any("rx_tcn", "RX: %d ", 0)
    p.any("tx_tcn", "TX: %d\n", 0)
    p.fp(f"{_PAD}STP Transitions: ")
    p.any("transition_blk", "Blocked: %d ", 0)
    p.any("transition_fwd", "Forwarding: %d\n", 0)
    p.close_object()


def _set(ctx: ToolContext, argv: list[str]) -> int:
    """ipstats_set(): RTM_SETSTATS with IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS."""
    dev_name = None
    enable = None
    args = Args(argv)
    while args:
        word = args.cur
        if word == "dev":
            dev_name = _dev_arg(args, dev_name)
        elif word == "l3_stats":
            value = args.next_arg()
            if enable is not None:
                raise CommandError("A statistics suite to toggle was already given.\n",
                                   EINVAL)
            if value not in ("on", "off"):
                # parse_on_off()
                raise CommandError(f'Error: argument of "l3_stats" must be one of "off", '
                                   f'"on", not "{value}"\n', EINVAL)
            enable = value == "on"
        elif word == "help":
            ctx.term.err(usage())
            return 0
        else:
            ctx.term.err(f'What is "{word}"?\n' + usage())
            return EINVAL
        args.advance()
    if dev_name is None:
        raise CommandError('Not enough information: "dev" argument is required.\n', 255)
    if enable is None:
        raise CommandError("Not enough information: stat type to toggle is required.\n",
                           255)
    dev = ctx.netns.by_name(dev_name)
    if dev is None:
        raise CommandError(f'Cannot find device "{dev_name}"\n', 1)
    try:
        ctx.netns.set_l3_stats(dev, enable)
    except KernelError as err:
        raise talk_error(err, 2)
    return 0
