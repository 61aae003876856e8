"""`ip ntable` (iproute2 ip/ipntable.c): the neighbour tables' parameters, per table and
per device, as RTM_GETNEIGHTBL dumps them (neightbl_dump_info()), and
`ip ntable change` (neightbl_set()). The parameters are the namespace's
/proc/sys/net/ipv{4,6}/neigh/* values; statistics (-s) are not simulated."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import EXIT_ARG, get_u64, get_unsigned, incomplete_command, invarg, matches

USAGE = ("Usage: ip ntable change name NAME [ dev DEV ]\n"
         "        [ thresh1 VAL ] [ thresh2 VAL ] [ thresh3 VAL ] [ gc_int MSEC ]\n"
         "        [ PARMS ]\n"
         "Usage: ip ntable show [ dev DEV ] [ name NAME ]\n"
         "PARMS := [ base_reachable MSEC ] [ retrans MSEC ] [ gc_stale MSEC ]\n"
         "         [ delay_probe MSEC ] [ queue LEN ]\n"
         "         [ app_probes VAL ] [ ucast_probes VAL ] [ mcast_probes VAL ]\n"
         "         [ anycast_delay MSEC ] [ proxy_delay MSEC ] [ proxy_queue LEN ]\n"
         "         [ locktime MSEC ]\n")
# (family, table id, sysctl directory), in neigh_tables[] order (NEIGH_ARP_TABLE first)
TABLES = ((4, "arp_cache", "ipv4"), (6, "ndisc_cache", "ipv6"))
# NDTPA_* attribute -> (sysctl name, milliseconds per sysctl unit): the _ms ones are
# ms, gc_stale_time and delay_first_probe_time seconds, the delays and locktime
# USER_HZ ticks (neigh_sysctl_template)
PARMS = (("base_reachable", "base_reachable_time_ms", 1), ("retrans", "retrans_time_ms", 1),
         ("gc_stale", "gc_stale_time", 1000), ("delay_probe", "delay_first_probe_time", 1000),
         ("queue", "unres_qlen", 0), ("app_probes", "app_solicit", 0),
         ("ucast_probes", "ucast_solicit", 0), ("mcast_probes", "mcast_solicit", 0),
         ("anycast_delay", "anycast_delay", 10), ("proxy_delay", "proxy_delay", 10),
         ("proxy_queue", "proxy_qlen", 0), ("locktime", "locktime", 10))
# neigh_parms' defaults (arp_tbl / nd_tbl): ARP locks entries for a second, ND not
DEFAULTS = {"base_reachable_time_ms": "30000", "retrans_time_ms": "1000",
            "gc_stale_time": "60", "delay_first_probe_time": "5", "unres_qlen": "101",
            "app_solicit": "0", "ucast_solicit": "3", "mcast_solicit": "3",
            "anycast_delay": "100", "proxy_delay": "80", "proxy_qlen": "64"}
SKB_TRUESIZE_ETH_FRAME = 2090       # SKB_TRUESIZE(ETH_FRAME_LEN) here (recorded: 8 -> 16720)


def do_ipntable(ctx: ToolContext, opts, argv: list[str]) -> int:
    """do_ipntable()."""
    if not argv:
        return ntable_show(ctx, opts, [])
    word = argv[0]
    if matches(word, "change") or matches(word, "chg"):
        return ntable_modify(ctx, opts, argv[1:])
    if matches(word, "show") or matches(word, "lst") or matches(word, "list"):
        return ntable_show(ctx, opts, argv[1:])
    if matches(word, "help"):
        raise CommandError(USAGE, EXIT_ARG)
    raise CommandError(f'Command "{word}" is unknown, try "ip ntable help".\n', EXIT_ARG)


def _value(ctx: ToolContext, proto: str, dev: str, key: str) -> int:
    from ipemu.tools.sysctl import lookup
    text = lookup(ctx.netns, f"net.{proto}.neigh.{dev}.{key}")
    if text is None:
        text = "100" if key == "locktime" and proto == "ipv4" else DEFAULTS.get(key, "0")
    return int(text)


def _reachable(ctx: ToolContext, base_ms: int) -> int:
    """neigh_rand_reach_time(): a random time between half and one and a half times the
    base (the kernel draws it per neigh_parms; ipemu per listing)."""
    return base_ms // 2 + int(ctx.netns.rng.random() * base_ms) if base_ms else 0


def _msecs(ctx: ToolContext, proto: str, dev: str, key: str, unit: int) -> int:
    """nla_put_msecs() of a time parm: jiffies_to_msecs() of what the kernel keeps
    (an unsigned long in, an unsigned int out)."""
    from ipemu.tools.sysctl import HZ, neigh_jiffies
    jiffies = neigh_jiffies(ctx.netns, f"net.{proto}.neigh.{dev}.{key}")
    if jiffies is None:
        return _value(ctx, proto, dev, key) * unit
    return (jiffies % 2**64) * (1000 // HZ) % 2**32


def _parms(p: Printer, ctx: ToolContext, proto: str, dev: str | None) -> None:
    """print_ndtparams()."""
    name = dev or "default"
    vals = {attr: _msecs(ctx, proto, name, key, unit) if unit else _value(ctx, proto, name, key)
            for attr, key, unit in PARMS}
    if dev is not None:
        p.fp("    dev ")
        p.color_any("ifname", "dev", "%s ", dev)
        p.nl()
    p.fp("    ")
    p.any("refcnt", "refcnt %u ", 1)
    p.any("reachable", "reachable %u ", _reachable(ctx, vals["base_reachable"]))
    for attr in ("base_reachable", "retrans"):
        p.any(attr, f"{attr} %u ", vals[attr])
    p.nl()                  # _SL_: `\` under -o
    p.fp("    ")
    for attr in ("gc_stale", "delay_probe", "queue"):
        p.any(attr, f"{attr} %u ", vals[attr])
    p.nl()                  # _SL_: `\` under -o
    p.fp("    ")
    for attr in ("app_probes", "ucast_probes", "mcast_probes"):
        p.any(attr, f"{attr} %u ", vals[attr])
    p.nl()                  # _SL_: `\` under -o
    p.fp("    ")
    for attr in ("anycast_delay", "proxy_delay", "proxy_queue", "locktime"):
        p.any(attr, f"{attr} %u ", vals[attr])
    p.nl()


def _table_message(p: Printer, ctx: ToolContext, family: int, name: str, proto: str,
                   dev: str | None) -> None:
    """print_ntable(): the table's own message (thresholds, gc interval, its default
    parms) when dev is None, else the device's parms."""
    p.open_object()
    p.any("family", "%s ", "inet" if family == 4 else "inet6")
    p.any("name", "%s ", name)
    p.nl()
    if dev is None:
        p.fp("    ")
        for key, value in (("thresh1", 128), ("thresh2", 512), ("thresh3", 1024)):
            p.any(key, f"{key} %u ", value)
        p.any("gc_interval", "gc_int %u ", 30000)
        p.nl()
    _parms(p, ctx, proto, dev)
    p.fp("\n")
    p.close_object()


def ntable_show(ctx: ToolContext, opts, argv: list[str]) -> int:
    """ipntable_show(): every table, each device's parms newest first (neigh_parms_alloc()
    adds to the head of parms_list), filtered by dev (`none`: the table itself) and name."""
    index = None
    name = None
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("dev", "name"):
            if i + 1 >= len(argv):
                raise incomplete_command()
            i += 1
            if word == "name":
                name = argv[i]
            elif argv[i] == "none":
                index = 0
            else:
                dev = ctx.netns.by_name(argv[i])
                if dev is None:
                    raise invarg('"DEV" is invalid', argv[i])
                index = dev.ifindex
        else:
            raise invarg("unknown", word)
        i += 1
    from ipemu.kernel.addrconf import has_inet6_dev
    devices = sorted(ctx.netns.device_list(), key=lambda d: d.ifindex, reverse=True)
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    for family, table, proto in TABLES:
        if opts.family in (4, 6) and opts.family != family:
            continue
        if name is not None and name != table:
            continue
        if index in (None, 0):
            _table_message(p, ctx, family, table, proto, None)
        for dev in devices:
            if family == 6 and not has_inet6_dev(dev):
                continue
            if index is None or index == dev.ifindex:
                _table_message(p, ctx, family, table, proto, dev.name)
    p.end()
    ctx.term.out(p.text())
    return 0


def ntable_modify(ctx: ToolContext, opts, argv: list[str]) -> int:
    """ipntable_modify() and the kernel's neightbl_set(): the device's parms of the named
    table are set; the table's own parms, thresholds and gc_int only from the initial
    namespace, never here (ENOENT; a device's parms are set before the threshold check)."""
    from ipemu.tools.sysctl import HZ, set_neigh_jiffies, write_value
    table = None
    dev = None
    sets: dict[str, int] = {}
    thresh = False
    i = 0
    while i < len(argv):
        word = argv[i]
        if i + 1 >= len(argv) and word in ("name", "dev", "thresh1", "thresh2", "thresh3",
                                           "gc_int", *[a for a, _, _ in PARMS]):
            raise incomplete_command()
        value = argv[i + 1] if i + 1 < len(argv) else ""
        if word == "name":
            if table is not None:
                raise CommandError(f'Error: duplicate "NAME": "{value}" is the second '
                                   'value.\n', EXIT_ARG)
            table = value
        elif word == "dev":
            found = ctx.netns.by_name(value)
            if found is None:
                raise CommandError(f'Cannot find device "{value}"\n', 1)     # nodev()
            dev = found
        elif word in ("thresh1", "thresh2", "thresh3", "gc_int"):
            parse = get_u64 if word == "gc_int" else get_unsigned
            if parse(value) is None:
                raise invarg(f'"{word}" value is invalid', value)
            thresh = True
        elif word in [a for a, _, _ in PARMS]:
            # the times are __u64 (get_u64(): `-1` is 2**64 - 1), the counts get_u32()
            unit = dict((a, u) for a, _, u in PARMS)[word]
            number = get_u64(value) if unit else get_unsigned(value)
            if number is None:
                raise invarg(f'"{word}" value is invalid', value)
            sets[word] = number
        else:
            raise invarg("unknown", word)
        i += 2
    if table is None:
        raise CommandError('Error: argument "NAME" is required\n', EXIT_ARG)
    if not thresh and not sets:
        raise CommandError("Not enough information: changeable attributes required.\n",
                           EXIT_ARG)
    found = [t for t in TABLES if t[1] == table and opts.family in (0, None, t[0])]
    if not found:
        raise CommandError("RTNETLINK answers: No such file or directory\n", 2)
    _family, _table, proto = found[0]
    if dev is None:
        # lookup_neigh_parms(tbl, net, 0): the table's own parms belong to init_net,
        # which no namespace here is
        raise CommandError("RTNETLINK answers: No such file or directory\n", 2)
    where = dev.name
    for attr, key, unit in PARMS:
        if attr in sets and unit:
            # nla_get_msecs(): msecs_to_jiffies() rounds up; kept in jiffies, so the
            # sysctl reads it converted down (locktime 50 shows 52 here, 5 there)
            # of an unsigned int (a negative int is MAX_JIFFY_OFFSET), stored in the
            # parms' int array
            msecs = sets[attr] % 2**32
            jiffies = (((2**63 - 1) >> 1) - 1 if msecs >= 2**31 else
                       -(-msecs * HZ // 1000)) % 2**32
            set_neigh_jiffies(ctx.netns, f"net.{proto}.neigh.{where}.{key}",
                              jiffies - 2**32 if jiffies >= 2**31 else jiffies)
        elif attr in sets:
            number = sets[attr]
            write_value(ctx.netns, f"net.{proto}.neigh.{where}.{key}", str(number))
            if attr == "queue":
                write_value(ctx.netns, f"net.{proto}.neigh.{where}.unres_qlen_bytes",
                            str(sets[attr] * SKB_TRUESIZE_ETH_FRAME))
    if thresh:
        raise CommandError("RTNETLINK answers: No such file or directory\n", 2)
    return 0
