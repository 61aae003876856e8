"""`ip route`: add, change, replace, append, delete, show, flush, get
(iproute2 ip/iproute.c)."""
from __future__ import annotations

import ipaddress

from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import (RTN, TABLE_LOCAL, TABLE_MAIN, Proto, Route, Scope, ipv4_address,
                              ipv4_network, nh_gw4, pcpu_owner6)
from ipemu.kernel.fib_default import fib_select_default, num_default
from ipemu.kernel.fib_multipath import select_path
from ipemu.kernel.fib_rules import LOOPBACK_IFINDEX
from ipemu.kernel.records_more import RTNH_F, RouteMsg
from ipemu.kernel.requests import NLM_F, RouteRequest, RtNexthop
from ipemu.output import decode
from ipemu.plainclass import dataclass, field, fields, replace
from ipemu.profiles import Profile
from ipemu.render.names import proto_a2n, rtn_type_a2n, scope_a2n, table_a2n
from ipemu.render.printer import Printer
from ipemu.render.link import LinkCache
from ipemu.render.route import RouteView, print_route
from ipemu.syntax import keyword
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, ll_map, usage_error
from ipemu.tools.ip_rule import dsfield_a2n
from ipemu.tools.ipargs import (EXIT_ARG, Args, Prefix, _read_plain_ipv4, duparg2,
                                get_addr, get_prefix, get_unsigned, invarg, matches)
from ipemu.tools.rtnl import dump_error, read_dump, talk_error


AF_MPLS = 28


def do_iproute(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    if opts.family == AF_MPLS and "mpls" in ctx.profile["kernel"]["missing_drivers"]:
        return _no_mpls(ctx, opts, argv)
    if not argv:
        return list_or_flush(ctx, opts, [])
    cmd = argv[0]
    kw = keyword(cmd)
    rest = argv[1:]
    if kw == "add":
        return modify(ctx, opts, rest, "add")
    if kw == "change" or kw == "chg":
        return modify(ctx, opts, rest, "change")
    if kw == "replace":
        return modify(ctx, opts, rest, "replace")
    if kw == "prepend":
        return modify(ctx, opts, rest, "prepend")
    if kw == "append":
        return modify(ctx, opts, rest, "append")
    if kw == "test":
        return modify(ctx, opts, rest, "test")
    if kw == "delete":
        return modify(ctx, opts, rest, "delete")
    if kw == "list" or kw == "show" or kw == "lst":
        return list_or_flush(ctx, opts, rest)
    if kw == "get":
        return get(ctx, opts, rest)
    if kw == "flush":
        return list_or_flush(ctx, opts, rest, flush=True)
    # do_iproute(): matches() in its order; save and restore are not in the grammar
    if kw == "save" or cmd and "save".startswith(cmd):
        return _save(ctx, opts, rest)
    if kw == "restore" or cmd and "restore".startswith(cmd):
        return _restore(ctx)
    if cmd and "showdump".startswith(cmd):
        return _showdump(ctx, opts)
    if kw == "help":
        raise usage_error("ip_route", ctx.profile)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip route help".\n', EXIT_ARG)


def _no_mpls(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """`ip -M route` on a kernel without the mpls_router module: no AF_MPLS route
    handlers, so a dump (rtnl_dump_all() of the families there are) holds no MPLS
    route and a request is EOPNOTSUPP (recorded: show, get, add, del)."""
    kw = keyword(argv[0]) if argv else "list"
    if kw in ("list", "show", "lst") or kw == "flush" and len(argv) > 1:
        if opts.json:
            ctx.term.out("[]\n")
        return 0
    if kw == "flush":
        raise CommandError('"ip route flush" requires arguments.\n', 1)
    if kw in ("add", "change", "chg", "replace", "prepend", "append", "test", "delete",
              "get"):
        raise talk_error(KernelError(Errno.EOPNOTSUPP))
    raise CommandError(f"ipemu: `ip -M route {argv[0]}` is not simulated yet\n", 1)


def _save(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """iproute_list_flush_or_save(IPROUTE_SAVE): save_route_prep() refuses a terminal
    and writes the magic before the selectors are read; then each selected route's
    RTM_NEWROUTE, whole, as the dump brought it (save_route())."""
    from ipemu.kernel.wire import rtnl
    if getattr(ctx.session, "stdout_tty", False):
        raise CommandError("Not sending a binary stream to stdout\n", 1)
    ctx.term.out(decode(rtnl.ROUTE_DUMP_MAGIC.to_bytes(4, "little")))
    return list_or_flush(ctx, opts, argv, save=True)


def _dump_seq(ctx: ToolContext) -> tuple[int, int]:
    """rtnl_open()'s sequence (time(NULL)), the dump's one more; nl_pid, ip's pid."""
    clock = ctx.host.clock
    now = int(getattr(clock, "epoch", 0) + clock.now)
    return now + 1, getattr(ctx.session, "pid", 0) or 0


def _dump_stream(ctx: ToolContext) -> list:
    from ipemu.kernel.wire import rtnl
    return read_dump(ctx.stdin, rtnl.ROUTE_DUMP_MAGIC, "route", 1)


def _restore_prio(msg: RouteMsg) -> int:
    """restore_handler()'s order: routes of local addresses (no gateway; no prefsrc,
    or one equal to the destination), of local networks (a prefsrc), then the rest."""
    if msg.gateway is not None and not msg.multipath and \
            msg.gateway.version == msg.family:
        return 2
    if msg.prefsrc is None or (msg.dst.prefixlen == msg.dst.max_prefixlen and
                               msg.prefsrc == msg.dst.network_address):
        return 0
    return 1


def _restore_request(msg: RouteMsg) -> RouteRequest:
    """The saved message sent back with NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK."""
    hops = tuple(RtNexthop(h.gateway, h.oif, h.weight - 1, bool(h.flags & RTNH_F.ONLINK),
                           h.flow, None, bool(h.flags & _DEAD_LINKDOWN))
                 for h in msg.multipath)
    return RouteRequest(msg.family, msg.dst.prefixlen, msg.dst.network_address
                        if msg.dst.prefixlen else None, msg.tos, msg.table, msg.protocol,
                        msg.scope, int(msg.type), True, msg.priority or None, msg.prefsrc,
                        msg.gateway, msg.oif, msg.onlink,
                        msg.pref if msg.family == 6 else None, hops, msg.nhid, None,
                        NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE, msg.metrics, msg.flow,
                        dead_linkdown=bool(msg.flags & _DEAD_LINKDOWN))


_DEAD_LINKDOWN = RTNH_F.DEAD | RTNH_F.LINKDOWN


def _restore(ctx: ToolContext) -> int:
    """iproute_restore(): three passes over the stream (restore_handler()); an
    existing route is reported and passed over, any other refusal ends it."""
    from ipemu.kernel.wire import rtnl
    messages = _dump_stream(ctx)
    if not getattr(ctx.session, "stdin_seekable", True):
        # pos = ftell(stdin) for the fseek() back before each pass: a pipe has none
        ctx.term.err("Failed to restore: ftell: Illegal seek\n")
        return 1
    for prio in range(3):
        for raw in messages:
            if isinstance(raw, str):
                ctx.term.err(raw)
                return 2
            msg = rtnl.route_from_bytes(raw)
            if msg is None or _restore_prio(msg) != prio:
                continue
            try:
                ctx.netns.new_route(_restore_request(msg))
            except KernelError as err:
                ctx.term.err(talk_error(err).message)
                if err.errno != Errno.EEXIST:
                    return 2
    return 0


def _showdump(ctx: ToolContext, opts: IpOptions) -> int:
    """iproute_showdump(): print_route() of each saved message, with no filter (so
    a table other than main is named)."""
    from ipemu.kernel.wire import rtnl
    messages = _dump_stream(ctx)
    family = opts.family if opts.family in (4, 6) else 0
    view = RouteView(details=opts.details, hide=set(), show_table=True, nexthops={},
                     numeric=opts.numeric)
    cache = LinkCache({m.ifindex: m for m in ctx.netns.dump_links()})
    for raw in messages:
        if isinstance(raw, str):
            ctx.term.err(raw)
            return 2
        msg = rtnl.route_from_bytes(raw)
        if msg is None or family and msg.family != family:
            continue
        # no new_json_obj() here: the routes print as text whatever -j says
        p = Printer(False, False, opts.oneline, color=opts.color)
        print_route(p, msg, cache, view)
        ctx.term.out(p.text())
    return 0


@dataclass
class RouteArgs:
    """What iproute_modify()'s argument loop collects."""

    family: int = 0
    dst: Prefix | None = None
    type: int = RTN.UNICAST
    type_given: bool = False
    table: int | None = None
    protocol: int | None = None
    scope: int | None = None
    metric: int | None = None
    gateway: Prefix | None = None
    dev: str | None = None
    prefsrc: Prefix | None = None
    tos: int = 0
    onlink: bool = False
    extras: dict = field(default_factory=dict)
    nexthops: list = field(default_factory=list)   # `nexthop` blocks (parse_nexthops())
    nhid: int | None = None                        # RTA_NH_ID
    nexthop_args: list | None = None               # the words from the first `nexthop`
    vrf: str | None = None             # `vrf NAME`: the vrf's table (ipvrf_get_table())
    encap: object = None               # `encap TYPE ...` (ip_lwtunnel.parse_encap())
    encap_devices: dict = field(default_factory=dict)  # its iif/oif names, to look up
    src_len: int = 0                   # `from PREFIX`: rtm_src_len


def parse_modify(args: Args, family: int, profile: Profile) -> RouteArgs:
    """iproute_modify()'s argument loop (the profile gives `help` its usage text)."""
    req = RouteArgs(family)
    argv = args.argv        # Args' bool, cur and advance() written out: a batch line
    while args.i < len(argv):
        word = argv[args.i]
        kw = getattr(word, "keyword", None)     # syntax.keyword(), inline
        if kw is None and word[:1].isdigit():
            # the destination's usual form, a prefix: _destination() with nothing
            # else to try (no type or `help` starts with a digit)
            if req.dst is not None:
                raise duparg2("to", word)
            req.dst = get_prefix(word, req.family)
            req.family = req.family or req.dst.family
        elif kw is None and word != "nhid" and not matches(word, "vrf"):
            # a value where a keyword may stand: the destination (the last branch
            # below, which every other test would pass by)
            _destination(args, req, word, kw, profile)
        elif kw == "src":
            req.prefsrc = get_addr(args.next_arg(), req.family)
            req.family = req.family or req.prefsrc.family
        elif kw == "via":
            if req.gateway is not None:
                raise invarg("use nexthop syntax to specify multiple via\n", word)
            value = args.next_arg()
            via_family = _VIA_FAMILIES.get(value)     # read_family()
            if via_family is not None:
                value = args.next_arg()
            req.gateway = get_addr(value, via_family or req.family)
            req.family = req.family or req.gateway.family
        elif kw == "from":
            source = get_prefix(args.next_arg(), req.family)
            req.family = req.family or source.family
            req.src_len = source.bitlen
        elif kw == "tos" or kw == "dsfield":
            value = args.next_arg()
            tos = dsfield_a2n(value)
            if tos is None:
                raise invarg('"tos" value is invalid\n', value)
            req.tos = tos
        elif kw == "expires":
            value = args.next_arg()
            if get_unsigned(value) is None:
                raise invarg('"expires" value is invalid\n', value)
            req.extras["expires"] = get_unsigned(value)
        elif kw == "as":
            value = args.next_arg()
            if value == "to":
                value = args.next_arg()
            addr = get_addr(value, req.family)
            req.family = req.family or addr.family
        elif kw == "metric" or kw == "priority" or kw == "preference":
            value = args.next_arg()
            metric = get_unsigned(value)
            if metric is None:
                raise invarg('"metric" value is invalid\n', value)
            req.metric = metric
        elif kw == "scope":
            value = args.next_arg()
            scope = scope_a2n(value)
            if scope is None:
                raise invarg('invalid "scope" value\n', value)
            req.scope = scope
        elif kw in METRICS:
            if args.peek_next() == "lock" and METRICS[kw][0]:
                req.extras.setdefault("locked", set()).add(kw)
            req.extras[kw] = _metric(args, kw)
        elif kw == "onlink":
            req.onlink = True
        elif word == "nhid":
            value = args.next_arg()
            nhid = get_unsigned(value)
            if nhid is None:
                raise invarg('"id" value is invalid\n', value)
            req.nhid = nhid
        elif kw == "encap":
            # lwt_parse_encap(): the type's words, then the rest of the line read
            # again as iproute_modify()'s (the grammar gave `encap` the whole rest)
            from ipemu.tools.ip_lwtunnel import parse_encap
            req.encap, at, req.encap_devices = parse_encap(argv, args.i)
            args.argv = argv = argv[:at] + _reread(profile, argv[at:])
            args.i = at
            continue
        elif kw == "nexthop":
            # iproute_modify(): the rest of the line is nexthops, read by
            # parse_nexthops() after the destination and device checks
            req.nexthop_args = args.rest()
            break
        elif kw == "protocol":
            value = args.next_arg()
            proto = proto_a2n(value)
            if proto is None:
                raise invarg('"protocol" value is invalid\n', value)
            req.protocol = proto
        elif kw == "table":
            value = args.next_arg()
            table = table_a2n(value)
            if table is None:
                raise invarg('"table" value is invalid\n', value)
            req.table = table
        elif matches(word, "vrf"):
            req.vrf = args.next_arg()
        elif kw in ("dev", "oif"):
            req.dev = args.next_arg()
        elif kw == "pref":
            value = args.next_arg()
            if value not in ("low", "medium", "high"):
                number = get_unsigned(value)
                if number is None or number > 255:
                    raise invarg('"pref" value is invalid\n', value)
            req.extras["pref"] = value
        else:
            _destination(args, req, word, kw, profile)
        args.i += 1
    return req


def _reread(profile: Profile, words: list[str]) -> list[str]:
    """`words` as the grammar reads them where route attributes stand (`route add`)."""
    if not words:
        return []
    from ipemu import syntax
    from ipemu.tools.ip import objects_hidden
    cursor = syntax.grammar("ip").cursor(objects_hidden(profile))
    for word in ("--", "route", "add"):
        cursor.feed(word)
    return [cursor.feed(str(w)) for w in words]


def _destination(args: Args, req: RouteArgs, word: str, kw: str | None,
                 profile: Profile) -> None:
    """iproute_modify()'s last branch: [to] [TYPE] PREFIX."""
    if kw == "to":
        word = args.next_arg()
    if not word[:1].isdigit():
        kind = rtn_type_a2n(word)
        if kind is not None:
            req.type = kind
            req.type_given = True
            word = args.next_arg()
    if matches(word, "help"):   # the value after `to` too, as iproute2 does
        raise usage_error("ip_route", profile)
    if req.dst is not None:
        raise duparg2("to", word)
    req.dst = get_prefix(word, req.family)
    req.family = req.family or req.dst.family


_VIA_FAMILIES = {"inet": 4, "inet6": 6}

# iproute_modify()'s RTA_METRICS words: can the value be preceded by `lock`, how the
# value is read, the word its error names
METRICS = {"mtu": (True, "u", "mtu"), "hoplimit": (True, "u8", "hoplimit"),
           "advmss": (True, "u", "mss"), "reordering": (True, "u", "reordering"),
           "rtt": (True, "time", "rtt"), "rto_min": (False, "time", "rto_min"),
           "window": (True, "u", "window"), "cwnd": (True, "u", "cwnd"),
           "initcwnd": (True, "u", "initcwnd"), "initrwnd": (True, "u", "initrwnd"),
           "features": (False, "ecn", "features"), "quickack": (False, "bool", "quickack"),
           "congctl": (True, "any", "congctl"), "rttvar": (True, "time", "rttvar"),
           "ssthresh": (True, "u", "ssthresh"), "realms": (False, "realms", "realm"),
           "fastopen_no_cookie": (False, "bool", "fastopen_no_cookie")}


def _metric(args: Args, kw: str) -> str:
    """One metric's value as iproute_modify() reads and checks it."""
    lockable, kind, name = METRICS[kw]
    value = args.next_arg()
    if lockable and value == "lock":
        value = args.next_arg()
    if kind == "ecn":
        if value != "ecn":
            raise invarg('"features" value not valid\n', value)
    elif kind == "time":
        if _time_rtt(value) is None:
            raise invarg(f'"{name}" value is invalid\n', value)
    elif kind == "realms":
        if rt_realms(value) is None:
            raise invarg('"realm" value is invalid\n', value)
    elif kind != "any":
        number = get_unsigned(value)
        if number is None or kind == "u8" and number > 255:
            raise invarg(f'"{name}" value is invalid\n', value)
        if kind == "bool" and number not in (0, 1):
            raise invarg(f'"{name}" value should be 0 or 1\n', value)
    return value


_BLANKS = " \t\n\v\f\r"


def _time_rtt(text: str) -> tuple[int, bool] | None:
    """lib/utils.c get_time_rtt(): (the unsigned int it stores, raw: no unit), or None.
    With a dot the number is strtod()'s (no sign below 0), else strtoul() base 0 (a
    minus wraps: `-1` is ULONG_MAX); then nothing, or s/sec/secs (times 1000) or
    ms/msec/msecs, any case. The double goes into the unsigned int as x86-64 converts
    (cvttsd2si to 64 bits, the low 32 kept), then up by 1 if that is below it."""
    import re
    body = text.lstrip(_BLANKS)
    if "." in text:
        m = re.match(r"[-+]?([0-9]*\.[0-9]*)([eE][-+]?[0-9]+)?", body)
        if not m or m.group(1) == ".":
            return None
        t = float(m.group(0))
        if t < 0:
            return None
    else:
        m = re.match(r"([-+]?)(0[xX][0-9a-fA-F]+|[0-9]+)", body)
        if not m:
            return None
        digits = m.group(2)
        res = int(digits, 16) if digits[:2] in ("0x", "0X") else \
            int(digits, 8) if digits.startswith("0") and len(digits) > 1 else int(digits)
        if res > 0xFFFFFFFFFFFFFFFF:
            return None                 # ERANGE
        if m.group(1) == "-":
            res = -res & 0xFFFFFFFFFFFFFFFF
        t = float(res)
    unit = body[m.end():]
    if unit.lower() in ("s", "sec", "secs"):
        t *= 1000
    elif unit and unit.lower() not in ("ms", "msec", "msecs"):
        return None
    val = (int(t) if t < 2 ** 63 else -2 ** 63) & 0xFFFFFFFF
    if val < t:
        val = (val + 1) & 0xFFFFFFFF
    return val, unit == ""


def get_time_rtt(text: str) -> tuple[int, bool]:
    """get_time_rtt()'s value (in ms) and whether it was raw; the text was checked."""
    return _time_rtt(text)


def _realm(text: str) -> int | None:
    """rtnl_rtrealm_a2n(): a name of rt_realms (Debian: cosmos, 0) or 0..255."""
    if text == "cosmos":
        return 0
    number = get_unsigned(text)
    return number if number is not None and number <= 255 else None


def rt_realms(text: str) -> int | None:
    """get_rt_realms_or_raw() (ip/rtm_map.c): FROM/TO or TO as realm names or numbers
    (FROM in the upper 16 bits), else the raw u32 of get_unsigned()."""
    head, slash, tail = text.partition("/")
    from_ = _realm(head) if slash else 0
    to = _realm(tail if slash else head) if (tail if slash else head) else 0
    if from_ is not None and to is not None:
        return from_ << 16 | to
    return get_unsigned(text)


def parse_nexthops(args: Args, req: RouteArgs, ns=None) -> list[dict]:
    """parse_nexthops() / parse_one_nh(): `nexthop` blocks of via, dev, weight,
    onlink (each block runs to the next `nexthop`); with the namespace `ns`, a device
    is looked up as it is read (ll_name_to_index(), before the words after it)."""
    hops: list[dict] = []
    while args:
        if args.cur != "nexthop":
            raise _nexthop_expected(args.cur)
        hop: dict = {"gateway": None, "dev": None, "weight": 1, "onlink": False, "flow": 0,
                     "encap": None}
        args.advance()
        if not args:
            raise CommandError('Error: unexpected end of line after "nexthop"\n', EXIT_ARG)
        while args and args.cur != "nexthop":
            word = args.cur
            if word == "via":
                # parse_one_nh(): read_family(), else the route's family; another
                # family's address becomes RTA_VIA
                value = args.next_arg()
                via_family = _VIA_FAMILIES.get(value)
                if via_family is not None:
                    value = args.next_arg()
                hop["gateway"] = get_addr(value, via_family or req.family)
                req.family = req.family or hop["gateway"].family
            elif word == "dev":
                hop["dev"] = args.next_arg()
                if ns is not None and ns.by_name(hop["dev"]) is None:
                    # parse_one_nh() returns nodev(), parse_nexthops() says so, exits
                    raise CommandError(f'Cannot find device "{hop["dev"]}"\n'
                                       "Error: cannot parse nexthop\n", EXIT_ARG)
            elif word == "weight":
                value = args.next_arg()
                weight = get_unsigned(value)
                if weight is None or not 1 <= weight <= 256:
                    raise invarg('"weight" is invalid\n', value)
                hop["weight"] = weight
            elif word == "onlink":
                hop["onlink"] = True
            elif word == "encap":
                # parse_one_nh(): lwt_parse_encap() into the nexthop's attributes
                from ipemu.tools.ip_lwtunnel import parse_encap
                hop["encap"], args.i, devices = parse_encap(args.argv, args.i)
                if devices:
                    raise CommandError("ipemu: a nexthop's seg6local iif/oif is not "
                                       "simulated yet\n", 1)
                continue
            elif matches(word, "realms"):
                value = args.next_arg()
                hop["flow"] = rt_realms(value)
                if hop["flow"] is None:
                    raise invarg('"realm" value is invalid\n', value)
            else:
                raise _nexthop_expected(word)
            args.advance()
        hops.append(hop)
    return hops


def _nexthop_expected(word: str) -> CommandError:
    return CommandError(f'Error: "nexthop" or end of line is expected instead of "{word}"\n',
                        EXIT_ARG)


# iproute2's nlmsg_flags for each command (do_iproute())
MODIFY_FLAGS = {"add": NLM_F.CREATE | NLM_F.EXCL, "change": NLM_F.REPLACE,
                "replace": NLM_F.CREATE | NLM_F.REPLACE, "prepend": NLM_F.CREATE,
                "append": NLM_F.CREATE | NLM_F.APPEND, "test": NLM_F.EXCL, "delete": NLM_F(0)}
# with NLM_F_REQUEST | NLM_F_ACK, made once (IntFlag's | costs microseconds a route)
_REQUEST_FLAGS = {mode: NLM_F.REQUEST | NLM_F.ACK | flags for mode, flags in MODIFY_FLAGS.items()}


def modify(ctx: ToolContext, opts: IpOptions, argv: list[str], mode: str) -> int:
    """iproute_modify(): the rtmsg with iproute2's defaults, then the kernel's answer."""
    # (AF_PACKET, `ip -0`, only so that get_prefix() refuses the destination)
    family = opts.family if opts.family in (4, 6, 17) else 0
    parsed = parse_modify(Args(argv), family, ctx.profile)
    if parsed.dst is None:
        raise usage_error("ip_route", ctx.profile)
    ns = ctx.netns
    if parsed.vrf is not None:
        parsed.table = vrf_table(ctx, parsed.vrf)
    oif = None
    if parsed.dev is not None:
        oif = _dev_index(ns, parsed.dev)
    if parsed.nexthop_args is not None:
        parsed.nexthops = parse_nexthops(Args(parsed.nexthop_args), parsed, ns)
    if parsed.encap_devices:
        # parse_encap_seg6local(): ll_name_to_index() of iif and oif, else nodev()
        found = {}
        for key, name in parsed.encap_devices.items():
            dev = ns.by_name(name)
            if dev is None:
                raise CommandError(f'Cannot find device "{name}"\n', EXIT_ARG)
            if key != "xfrm_link":          # parse_encap_xfrm(): LWT_XFRM_LINK, not kept
                found[key] = dev.ifindex
        parsed.encap = replace(parsed.encap, **found)
    _family_checks(parsed)
    req = build_request(parsed, mode, oif)
    if parsed.nexthops:
        multipath = []
        for hop in parsed.nexthops:
            hop_oif = None
            if hop["dev"] is not None:
                hop_dev = ns.getlink(hop["dev"])         # parse_one_nh(): ll_name_to_index()
                if hop_dev is None:
                    # parse_one_nh() fails, parse_nexthops() says so and exits
                    raise CommandError(f'Cannot find device "{hop["dev"]}"\n'
                                       "Error: cannot parse nexthop\n", EXIT_ARG)
                hop_oif = hop_dev.ifindex
            multipath.append(RtNexthop(hop["gateway"].address if hop["gateway"] else None,
                                       hop_oif, hop["weight"] - 1, hop["onlink"],
                                       hop["flow"], hop["encap"]))
        req = replace(req, multipath=tuple(multipath), family=parsed.family or req.family)
    return _talk(ns, req, mode)


def _dev_index(ns, name: str) -> int:
    """ll_name_to_index() of `dev NAME`: its ifindex, or the error iproute2 prints (an
    RTM_GETLINK by name: ip route has no ll_init_map() cache, so rtnl_getlink() runs
    the device's held linkwatch event; recorded in scripts39_neighlab's notes)."""
    dev = ns.getlink(name)
    if dev is None:
        raise CommandError(f'Cannot find device "{name}"\n', 1)
    return dev.ifindex


def _family_checks(parsed: RouteArgs) -> None:
    """What the kernel refuses of the family before anything else."""
    if parsed.tos and (parsed.family or 4) == 6:
        # rtm_to_fib6_config(), before anything else
        raise talk_error(KernelError(Errno.EINVAL,
                                     "Invalid dsfield (tos): option not available for IPv6"))
    if parsed.family == 6 and parsed.gateway is not None and parsed.gateway.family == 4:
        # `via inet ADDR` on an IPv6 route is RTA_VIA (rtm_to_fib6_config())
        raise talk_error(KernelError(Errno.EINVAL, "IPv6 does not support RTA_VIA attribute"))


def _talk(ns, req: RouteRequest, mode: str) -> int:
    """rtnl_talk() of the request: the kernel's refusal as iproute2 prints it."""
    try:
        if mode == "delete":
            ns.del_route(req)
        else:
            ns.new_route(req)
    except KernelError as err:
        raise talk_error(err)
    return 0


# ------------------------------------------------------------------ line plans
# do_iproute()'s commands that iproute_modify() serves
_MODIFY_MODES = {"add": "add", "change": "change", "chg": "change", "replace": "replace",
                 "prepend": "prepend", "append": "append", "test": "test",
                 "delete": "delete"}
_REQUEST_FIELDS = tuple(f.name for f in fields(RouteRequest))
_DST_LEN, _DST, _PREFSRC, _GATEWAY, _OIF = (_REQUEST_FIELDS.index(name) for name in
                                            ("dst_len", "dst", "prefsrc", "gateway", "oif"))


def line_plan(ctx: ToolContext, opts: IpOptions, words: list) -> "ModifyPlan | None":
    """A request template for the shape of a `route` line of a batch (`words`: the
    whole line as the grammar read it, the object first), learnt from
    iproute_modify()'s own argument loop and build_request() run on this line
    without the kernel. The argument loop decides everything from the line's shape
    (its keywords, ipemu/syntax.py's feed_all()) but the plain dotted quads it reads
    (ipargs.PLAIN_TRACE says which request field each became); a later line of the
    shape takes the template with its own quads put in. None when the line is not
    iproute_modify()'s, or a part of it depends on more than its shape (a vrf's
    table, nexthop blocks) or the loop refuses it: such lines take the full path."""
    if len(words) > 2 and keyword(words[1]) == "get":
        return get_plan(ctx, opts, words)
    mode = _MODIFY_MODES.get(keyword(words[1])) if len(words) > 2 else None
    if mode is None:
        return None
    from ipemu.tools import ipargs
    family = opts.family if opts.family in (4, 6) else 0
    ipargs.PLAIN_TRACE = trace = []
    try:
        parsed = parse_modify(Args(words[2:]), family, ctx.profile)
        if parsed.dst is None or parsed.vrf is not None or parsed.nexthop_args is not None \
                or parsed.encap is not None or parsed.src_len:
            return None     # (`from P`: its length is not a quad's slot)
        _family_checks(parsed)
    except CommandError:
        return None
    finally:
        ipargs.PLAIN_TRACE = None
    base = build_request(parsed, mode, None)
    slots = {}
    for value, slot in ((parsed.dst, _DST), (parsed.gateway, _GATEWAY),
                        (parsed.prefsrc, _PREFSRC)):
        if value is not None:
            slots[id(value)] = slot
    quads = []
    for text, pfx in trace:
        at = next((i for i, w in enumerate(words) if w is text), None)
        if at is None:
            return None
        quads.append((at, pfx.prefixlen_given, slots.pop(id(pfx), -1)))
    # every other word that starts with a digit stands as it is (a metric, a table)
    read = {at for at, _, _ in quads}
    literals = tuple((i, str(w)) for i, w in enumerate(words)
                     if w[:1].isdigit() and i not in read)
    return ModifyPlan(tuple(quads), literals, tuple(getattr(base, f) for f in _REQUEST_FIELDS),
                      parsed.dev, mode)


class ModifyPlan:
    """iproute_modify() for the lines of one shape: the request the template line
    made, its plain quads (word index, length given, request field: -1 when read but
    not kept) put in from each line, the device looked up again each time (a device
    may come and go), then the kernel. A line whose quads are not plain, or whose
    other digit words differ from the template's, is not the template's: None."""

    __slots__ = ("quads", "literals", "base", "dev", "mode", "memo", "run_lines")

    def __init__(self, quads: tuple, literals: tuple, base: tuple, dev: str | None,
                 mode: str):
        self.quads, self.literals, self.base, self.dev, self.mode = \
            quads, literals, base, dev, mode
        # each quad's last word, with what it read as: a word the lines repeat (the
        # gateway) is read once, and its address made once (an address is a value:
        # routes may share it)
        self.memo = [(None, None, None)] * len(quads)
        # the lines that differ only in their destination run together (run_lines()):
        # an add (not a delete) whose destination is one of its quads
        dsts = [q for q in quads if q[2] == _DST]
        self.run_lines = self._run_lines if mode != "delete" and len(dsts) == 1 else None

    def __call__(self, ctx: ToolContext, argv: list[str]) -> int | None:
        req = self._request(ctx, argv)
        return None if req is None else _talk(ctx.netns, req, self.mode)

    def _request(self, ctx: ToolContext, argv: list[str]) -> RouteRequest | None:
        """The request a line of the shape makes, or None when it is not the plan's."""
        vals = list(self.base)
        memo = self.memo
        n = 0
        for at, given, slot in self.quads:
            text = argv[at]
            seen = memo[n]
            if seen[0] == text:
                found, address = seen[1], seen[2]
            else:
                found = _read_plain_ipv4(text)
                if not found or found[2] is not given:
                    return None
                address = ipv4_address(found[0])
                memo[n] = (text, found, address)
            n += 1
            if slot == _DST:
                vals[_DST_LEN] = found[1]
                vals[_DST] = address
            elif slot >= 0:
                vals[slot] = address
        for at, text in self.literals:
            if argv[at] != text:
                return None
        if self.dev is not None:
            vals[_OIF] = _dev_index(ctx.netns, self.dev)
        return RouteRequest(*vals)

    def _run_lines(self, ctx: ToolContext, lines, argv: list[str]) -> int:
        """After `argv`, a line of the plan that the kernel took: the lines that
        follow it word for word but for another plain destination (one blank between
        words, no comment, no continuation: what a generated batch holds) go to the
        kernel together (new_routes4_via(): each one RTM_NEWROUTE, as getcmdline()
        and rtnl_talk() would send it, taken while the kernel's fast path takes
        them). The batch's cursor (`lines`) moves past the lines taken; the first
        line not taken is read again the usual way, which prints its error if it has
        one. At most _RUN_LINES a call (the batch's young collections go on
        between). Answers how many lines were taken."""
        at, given = next((q[0], q[1]) for q in self.quads if q[2] == _DST)
        req = self._request(ctx, argv)
        if req is None or req.family != 4:
            return 0
        dsts, ends = [], []
        for n, plen, end in _same_lines(lines, argv, at):
            if (plen is not None) is not given:
                break
            dsts.append((n, int(plen) if given else 32))
            ends.append(end)
        if not dsts:
            return 0
        taken = ctx.netns.new_routes4_via(req, dsts)
        if taken:
            lines.pos = ends[taken - 1]
            lines.lineno += taken
        return taken


def _same_lines(lines, argv: list[str], at: int):
    """The lines that follow `argv` in the batch (`lines`: its getcmdline() cursor)
    word for word but for a plain dotted quad (a length maybe) at word `at`, one blank
    between words and nothing else on the line (no comment, no continuation: what a
    generated batch holds; anything else is read the usual way), at most _RUN_LINES:
    (the quad as an int, the length's text or None, where the line ends) each, the
    cursor left where it was (the caller moves it past what it took). The words
    around the quad are compared as text, the quad read with ipargs' expression (a
    batch's lines may each have a gateway of their own: nothing is compiled for
    them)."""
    from ipemu.tools.ipargs import plain_prefix_regex
    head = " ".join(argv[:at]) + " "
    tail = (" " + " ".join(argv[at + 1:]) if at + 1 < len(argv) else "") + "\n"
    text, pos = lines.text, lines.pos
    if not text.startswith(head, pos):
        return
    quad = plain_prefix_regex().match
    starts = text.startswith
    if not _OCTETS:
        _OCTETS.update((str(n), n) for n in range(256))
    octet = _OCTETS
    skip, after = len(head), len(tail)
    for _ in range(_RUN_LINES):
        if not starts(head, pos):
            return
        m = quad(text, pos + skip)
        if m is None:
            return
        end = m.end()
        if not starts(tail, end):
            return
        a, b, c, d, plen = m.groups()
        pos = end + after
        yield octet[a] << 24 | octet[b] << 16 | octet[c] << 8 | octet[d], plen, pos


# lines a run_lines() call takes at most
_RUN_LINES = 4096


def get_plan(ctx: ToolContext, opts: IpOptions, words: list) -> "GetPlan | None":
    """A plan for the `route get` lines of a batch shaped as `words`: the usual get of
    one plain IPv4 destination (`get ADDR`, `get to ADDR`), nothing else on the line,
    in a batch of no other family. iproute_get()'s argument loop reads such a line
    as its destination and nothing more, so a later line of the shape goes straight
    to the get's answer (_output4()) with its own destination; what that cannot
    answer (and any other get) takes the full path."""
    rest = [keyword(w) for w in words[2:]]
    if opts.family not in (0, 4) or rest not in ([None], ["to", None]) or opts.stats:
        return None
    if not _OCTETS:
        _OCTETS.update((str(n), n) for n in range(256))
    at = len(words) - 1
    if read_plain_quad(str(words[at])) is None:
        return None
    return GetPlan(at, opts, _get_shown(ctx, opts, 0))


def read_plain_quad(text: str) -> int | None:
    """A plain dotted quad with no length (what ipargs._read_plain_ipv4() reads as
    (address, 32, False)) as an int, else None: its four parts looked up as canonical
    decimal octets (no regex, no int() of each part). None for all before get_plan()
    has filled _OCTETS."""
    parts = text.split(".")
    if len(parts) != 4:
        return None
    get = _OCTETS.get
    a, b, c, d = get(parts[0]), get(parts[1]), get(parts[2]), get(parts[3])
    if a is None or b is None or c is None or d is None:
        return None
    return a << 24 | b << 16 | c << 8 | d


# "0" to "255" as ipargs._OCTET matches them (no leading zeros, sign or blanks), made
# by the first get plan (a one-shot `ip route` does not need it)
_OCTETS: dict[str, int] = {}


class GetPlan:
    """`ip route get ADDR` for the lines of one shape: the destination word read as a
    plain dotted quad (no length: a length warns; anything else is not the plan's),
    then the usual get's answer. None, having printed nothing, when the line or its
    answer is not the plan's (the batch then runs the line the full way)."""

    __slots__ = ("at", "opts", "shown", "run_lines")

    def __init__(self, at: int, opts: IpOptions, shown: tuple):
        self.at, self.opts, self.shown = at, opts, shown
        self.run_lines = self._run_lines

    def _run_lines(self, ctx: ToolContext, lines, argv: list[str]) -> int:
        """After `argv`, a get of the plan: the lines that follow it word for word
        but for another plain destination (one blank between words, no comment, no
        continuation), each answered as __call__() answers it, their answers written
        together. The batch's cursor (`lines`) moves past the lines answered; the
        first the plan does not answer is read again the usual way. At most
        _RUN_LINES a call; answers how many lines were taken."""
        if not FAST_GET:
            return 0
        if self.at == len(argv) - 1:
            return self._run_last(ctx, lines, argv)
        opts, ns, shown = self.opts, ctx.netns, self.shown
        out: list[str] = []
        pos = lines.pos
        # the destination is the line's last word: its text (a plain quad: no leading
        # zero, its dotted form) lies between the words before it and the newline
        last = self.at == len(argv) - 1
        text, skip = lines.text, len(" ".join(argv[:self.at])) + 1
        run = [None] * 6
        for n, plen, end in _same_lines(lines, argv, self.at):
            if plen is not None:
                break
            answer = _answer4(ctx, opts, ns, n, text[pos + skip:end - 1] if last else
                              f"{n >> 24}.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}",
                              0, 0, shown, run)
            if answer is None:
                break
            out.append(answer)
            pos = end
        if out:
            lines.pos = pos
            lines.lineno += len(out)
            ctx.term.out("".join(out))
        return len(out)

    def _run_last(self, ctx: ToolContext, lines, argv: list[str]) -> int:
        """_run_lines() when the destination is the line's last word (`get ADDR`,
        `get to ADDR`): each following line is the words before it, one blank apart,
        then the line's rest up to its newline, which must be a plain dotted quad
        (four canonical octets: what _same_lines() takes with no length and the
        newline right after it), read without a regex or a generator's resumes."""
        opts, ns, shown = self.opts, ctx.netns, self.shown
        head = " ".join(argv[:self.at]) + " "
        text, pos = lines.text, lines.pos
        starts, find = text.startswith, text.find
        skip = len(head)
        get = _OCTETS.get
        out: list[str] = []
        append = out.append
        run = [None] * 6
        for _ in range(_RUN_LINES):
            if not starts(head, pos):
                break
            end = find("\n", pos)
            if end < 0:
                break
            word = text[pos + skip:end]
            parts = word.split(".")
            if len(parts) != 4:
                break
            a, b, c, d = quad = tuple(map(get, parts))     # (the gets in C)
            if None in quad:
                break
            answer = _answer4(ctx, opts, ns, a << 24 | b << 16 | c << 8 | d, word, 0, 0,
                              shown, run)
            if answer is None:
                break
            append(answer)
            pos = end + 1
        if out:
            lines.pos = pos
            lines.lineno += len(out)
            ctx.term.out("".join(out))
        return len(out)

    def __call__(self, ctx: ToolContext, argv: list[str]) -> int | None:
        text = argv[self.at]
        n = read_plain_quad(text)
        if n is None or not FAST_GET:
            return None
        # a plain quad's text is its dotted form (no leading zeros: _OCTETS)
        if _output4(ctx, self.opts, ctx.netns, n, text, 0, 0, self.shown):
            return 0
        return None


# iproute_modify()'s defaults by route type (sets: a line looks them up once each)
_LOCAL_TABLE_TYPES = frozenset((RTN.LOCAL, RTN.BROADCAST, RTN.NAT, RTN.ANYCAST))
_HOST_SCOPE_TYPES = frozenset((RTN.LOCAL, RTN.NAT))
_LINK_SCOPE_TYPES = frozenset((RTN.BROADCAST, RTN.MULTICAST, RTN.ANYCAST))


def build_request(parsed: RouteArgs, mode: str, oif: int | None) -> RouteRequest:
    """The header defaults iproute_modify() fills: the local table for local,
    broadcast, nat and anycast routes; the scope from the type and the gateway
    (nowhere in a delete: any scope); protocol boot, unspecified in a delete."""
    fam = parsed.family or 4
    delete = mode == "delete"
    table = parsed.table
    if table is None:
        table = TABLE_LOCAL if parsed.type in _LOCAL_TABLE_TYPES else TABLE_MAIN
    scope = parsed.scope
    if scope is None:
        if fam == 6:
            scope = Scope.UNIVERSE
        elif parsed.type in _HOST_SCOPE_TYPES:
            scope = Scope.HOST
        elif parsed.type in _LINK_SCOPE_TYPES:
            scope = Scope.LINK
        elif parsed.type == RTN.UNICAST and delete:
            scope = Scope.NOWHERE
        elif parsed.type == RTN.UNICAST and parsed.gateway is None and \
                not parsed.nexthops and not parsed.nhid:
            scope = Scope.LINK      # iproute_modify(): `!gw_ok && !nhs_ok && !nhid`
        else:
            scope = Scope.UNIVERSE
    protocol = parsed.protocol
    if protocol is None:
        protocol = 0 if delete else Proto.BOOT
    dst = parsed.dst
    extras = parsed.extras
    # RouteRequest's fields in their order (positional: a batch makes one a line):
    # family, dst_len, dst, tos, table, protocol, scope, type, type_given, priority,
    # prefsrc, gateway, oif, onlink, pref, multipath, nhid, cc_algo, flags, metrics,
    # flow, expires
    return RouteRequest(
        fam, 0 if dst.is_default else dst.bitlen, None if dst.is_default else dst.address,
        parsed.tos, table, protocol, scope, parsed.type, parsed.type_given or not delete,
        parsed.metric, parsed.prefsrc.address if parsed.prefsrc else None,
        parsed.gateway.address if parsed.gateway else None, oif, parsed.onlink,
        extras.get("pref") if extras else None, (), parsed.nhid,
        extras.get("congctl") if extras else None, _REQUEST_FLAGS[mode],
        _rta_metrics(extras) if extras else (),
        rt_realms(extras["realms"]) if extras and "realms" in extras else 0,
        extras.get("expires") if extras else None, parsed.encap, parsed.src_len)


# RTAX order of the metrics iproute_modify() puts in RTA_METRICS (mtu ...
# fastopen_no_cookie; congctl is RTAX_CC_ALGO's name); realms go as RTA_FLOW
_RTAX_ORDER = ("mtu", "window", "rtt", "rttvar", "ssthresh", "cwnd", "advmss",
               "reordering", "hoplimit", "initcwnd", "features", "rto_min", "initrwnd",
               "quickack", "congctl", "fastopen_no_cookie")
# iproute_modify(): rtt and rttvar in the kernel's units (1/8 and 1/4 ms) unless the
# value was raw (no unit), rto_min in ms and always locked (mxlock |= 1<<RTAX_RTO_MIN)
_TIME_SCALE = {"rtt": 8, "rttvar": 4, "rto_min": 1}
RTAX_FEATURE_ECN = 1


def _rtax_value(name: str, text: str) -> int | str | None:
    if name in _TIME_SCALE:
        value, raw = get_time_rtt(text)
        return value if raw else value * _TIME_SCALE[name]
    if name == "features":
        return RTAX_FEATURE_ECN
    if name == "congctl":
        return text
    return get_unsigned(text)


def _rta_metrics(extras: dict) -> tuple:
    """iproute_modify()'s RTA_METRICS: (name, value, locked) for each metric given."""
    locked = extras.get("locked", ())
    return tuple((name, _rtax_value(name, extras[name]), name in locked or name == "rto_min")
                 for name in _RTAX_ORDER if name in extras)


# ------------------------------------------------------------------ show/flush
@dataclass
class RouteFilter:
    table: int | None = TABLE_MAIN     # None: all tables
    protocol: int | None = None
    scope: int | None = None
    type: int | None = None
    dev: int | None = None
    via: object = None
    src: object = None
    root: Prefix | None = None         # "root PFX": routes inside PFX
    match: Prefix | None = None        # "match PFX": routes containing PFX
    exact: Prefix | None = None        # "PFX" / "exact PFX"
    metric: int | None = None
    cloned: bool = False
    iif: bool = False                  # "iif DEV": routes with RTA_IIF only
    tos: int | None = None
    vrf: bool = False                  # `vrf NAME`: its table, no local/broadcast routes
    realm: int = 0                     # `realms`: RTA_FLOW compared under realmmask
    realmmask: int = 0
    # `from [root|match|exact] PFX`: filter.rsrc / filter.msrc (routes here have no
    # source prefix: rtm_src_len 0)
    rsrc: Prefix | None = None
    msrc: Prefix | None = None


def parse_filter(ctx: ToolContext, args: Args, family: int) -> RouteFilter:
    """iproute_list_flush_or_save()'s selectors; devices are looked up after them."""
    f = RouteFilter()
    oif_name = iif_name = None
    while args:
        word = args.cur
        kw = keyword(word)
        if kw == "table":
            value = args.next_arg()
            table = table_a2n(value)
            if table is None:
                if value == "all":
                    f.table = None
                elif value == "cache":
                    f.cloned = True
                elif value == "help":
                    raise usage_error("ip_route", ctx.profile)
                else:
                    raise invarg("table id value is invalid\n", value)
            else:
                f.table = table or None     # iproute.c: filter.tb = tid; 0 is every table
        elif matches(word, "vrf"):
            f.table = vrf_table(ctx, args.next_arg())
            f.vrf = True        # filter.typemask: no local and broadcast routes
        elif kw == "cached" or kw == "cloned":
            f.cloned = True
        elif kw == "tos" or kw == "dsfield":
            value = args.next_arg()
            f.tos = dsfield_a2n(value)
            if f.tos is None:
                raise invarg("TOS value is invalid\n", value)
        elif kw == "protocol":
            f.protocol = _number_or_all(args.next_arg(), proto_a2n, "protocol", f.protocol)
        elif kw == "scope":
            f.scope = _number_or_all(args.next_arg(), scope_a2n, "scope", f.scope)
        elif kw == "type":
            value = args.next_arg()
            kind = rtn_type_a2n(value)
            if kind is None:
                raise invarg("node type value is invalid\n", value)
            f.type = kind
        elif kw in ("dev", "oif"):
            oif_name = args.next_arg()      # looked up after the loop, as iif
        elif kw == "iif":
            iif_name = args.next_arg()
        elif word == "mark":
            value = args.next_arg()
            if get_unsigned(value) is None:
                raise invarg("invalid mark value", value)
        elif kw == "via":
            value = args.next_arg()
            via_family = _VIA_FAMILIES.get(value)     # read_family()
            if via_family is not None:
                value = args.next_arg()
            f.via = get_prefix(value, via_family or family)
        elif matches(word, "realms"):
            value = args.next_arg()
            realm = rt_realms(value)
            if realm is None:
                raise invarg("invalid realms\n", value)
            # iproute_list_flush_or_save(): a side left out ("5/", "7") is not compared
            f.realm, f.realmmask = realm, 0xFFFFFFFF
            if not realm & 0xFFFF and value.endswith("/"):
                f.realmmask &= ~0xFFFF
            if not realm & 0xFFFF0000 and ("/" not in value or value.startswith("/")):
                f.realmmask &= ~0xFFFF0000
        elif matches(word, "from"):
            value = args.next_arg()
            if matches(value, "root"):
                f.rsrc = get_prefix(args.next_arg(), family)
            elif matches(value, "match"):
                f.msrc = get_prefix(args.next_arg(), family)
            else:
                if matches(value, "exact"):
                    value = args.next_arg()
                f.rsrc = f.msrc = get_prefix(value, family)
        elif kw == "src":
            f.src = get_prefix(args.next_arg(), family)
        elif kw == "metric" or kw == "priority" or kw == "preference":
            value = args.next_arg()
            metric = get_unsigned(value)
            if metric is None:
                raise invarg('"metric" value is invalid\n', value)
            f.metric = metric
        elif kw == "root":
            f.root = get_prefix(args.next_arg(), family)
        elif kw == "match":
            f.match = get_prefix(args.next_arg(), family)
        else:
            # iproute_list_flush_or_save(): [to] { root PFX | match PFX | [exact] PFX }
            if kw == "to":
                word = args.next_arg()
            if matches(word, "help"):   # the value after `to` too, as iproute2 does
                raise usage_error("ip_route", ctx.profile)
            if matches(word, "root"):
                f.root = get_prefix(args.next_arg(), family)
            elif matches(word, "match"):
                f.match = get_prefix(args.next_arg(), family)
            else:
                if matches(word, "exact"):
                    word = args.next_arg()
                f.exact = get_prefix(word, family)
                if f.exact.is_default and not f.exact.prefixlen_given:
                    f.match = f.exact
                    f.exact = None
        args.advance()
    for name in (iif_name, oif_name):
        # ll_name_to_index(): RTM_GETLINK by name (the held linkwatch event runs)
        if name is not None and ctx.netns.getlink(name) is None:
            raise CommandError(f'Cannot find device "{name}"\n', 1)
    if oif_name is not None:
        f.dev = ctx.netns.by_name(oif_name).ifindex
    # RTA_IIF: only the cache's input routes carry one, and none is kept
    f.iif = iif_name is not None
    return f


def vrf_table(ctx: ToolContext, name: str) -> int:
    """ipvrf_get_table(): the table of the vrf of that name ("default": main when no
    device has that name); anything else is an invalid VRF."""
    dev = ctx.netns.by_name(name)
    if dev is None and name == "default":
        return TABLE_MAIN
    if dev is None or dev.vrf_table is None:
        raise invarg("Invalid VRF\n", name)
    return dev.vrf_table


def _number_or_all(value: str, a2n, what: str, current):
    """A filter value by name or number; "all" leaves the filter as it was."""
    number = a2n(value)
    if number is not None:
        return number
    if value != "all":
        raise invarg(f'invalid "{what}"\n', value)
    return current


def _selected(route: Route, f: RouteFilter) -> bool:
    if f.iif or f.tos is not None and getattr(route, "tos", 0) != f.tos:
        return False
    if f.rsrc is not None and f.rsrc.family and (route.family != f.rsrc.family or
                                                 f.rsrc.bitlen > 0):
        return False        # filter_fn(): rsrc.bitlen > rtm_src_len (0)
    if f.msrc is not None and f.msrc.family and route.family != f.msrc.family:
        return False
    if f.vrf and route.type in (RTN.LOCAL, RTN.BROADCAST):
        return False
    if f.protocol is not None and route.protocol != f.protocol:
        return False
    if f.scope is not None and route.scope != f.scope:
        return False
    if f.type is not None and route.type != f.type:
        return False
    if f.dev is not None and (route.oif != f.dev or route.nexthops):
        # filter_nlmsg(): RTA_OIF against filter.oif; a multipath route has its
        # devices in RTA_MULTIPATH, none at the top (fib_dump_info(), rt6_fill_node()),
        # so `dev D` never selects it (recorded: fuzz49_route_show_dev_multipath)
        return False
    if f.via is not None:
        # a multipath route has its gateways in RTA_MULTIPATH, none at the top
        gw = route.gateway if not route.nexthops else None
        if not _addr_match(gw, route, f.via, gw.version if gw is not None else 0):
            return False
    if f.src is not None and not _addr_match(route.prefsrc, route, f.src):
        return False
    if f.metric is not None and route.priority != f.metric:
        return False
    if f.realmmask:
        # filter_nlmsg(): RTA_FLOW (a multipath route has its realms in its nexthops)
        realms = route.flow if not route.nexthops else 0
        if (realms ^ f.realm) & f.realmmask:
            return False
    net = route.dst
    for pfx, rule in ((f.exact, "exact"), (f.root, "root"), (f.match, "match")):
        if pfx is None or not pfx.family and not pfx.prefixlen_given:
            continue    # filter_nlmsg(): "all"/"any" of no family filter nothing
        if pfx.family and pfx.family != net.version:
            return False
        want = pfx.network if not pfx.is_default else ipaddress.ip_network(
            "::/0" if net.version == 6 else "0.0.0.0/0")
        if rule == "exact" and (net.prefixlen != want.prefixlen or not net.subnet_of(want)):
            if not (net.prefixlen == want.prefixlen and net.network_address == want.network_address):
                return False
        if rule == "root" and not (net.prefixlen >= want.prefixlen and net.subnet_of(want)):
            return False
        if rule == "match" and not (net.prefixlen <= want.prefixlen and want.subnet_of(net)):
            return False
    return True


def _addr_match(addr, route: Route, pfx: Prefix, family: int = 0) -> bool:
    """filter_nlmsg()'s inet_addr_match() on RTA_GATEWAY / RTA_PREFSRC: the first
    bitlen bits (an absent attribute reads as the zero address); `family` is
    RTA_VIA's when the gateway is of the other family."""
    if pfx.family and pfx.family != (family or route.dst.version):
        return False
    if addr is None:
        addr = ipaddress.ip_address(0 if route.dst.version == 4 else "::")
    if pfx.is_default or pfx.bitlen <= 0:
        return True
    return addr in pfx.network


def _main_hides_local6(route: Route, f: RouteFilter) -> bool:
    """filter_nlmsg()'s ip6_multiple_tables: until the process has met an IPv6 route
    of a table other than main, an IPv6 listing, flush or save of table main (the
    default) passes no RTN_LOCAL route; a dump of main (the kernel filters it by
    table) never meets another table, so `ip -6 route add local PFX dev lo table
    main` stays out of `ip -6 route`, `ip -6 route show type local` and `ip -6 route
    flush table main` (recorded, tutorials45e_anyip_local_route). The flag is static
    in iproute2: a listing of another table earlier in one `ip -batch` would set it;
    here each command starts clear."""
    return route.family == 6 and f.table == TABLE_MAIN and route.type == RTN.LOCAL


def _tables_in_dump_order(ns, family: int, table: int | None) -> list:
    """`table all`: the kernel walks its table hash (id mod 256), each bucket's
    newest table first (hlist_add_head_rcu(): table 4294967295 before local, in
    bucket 255; recorded)."""
    tables = [t for (fam, _), t in ns.tables.items() if fam == family]
    if table is not None:
        return [t for t in tables if t.id == table]
    order = {id(t): i for i, t in enumerate(tables)}
    return sorted(tables, key=lambda t: (t.id & 0xFF, -order[id(t)]))


def _dump_failed(ctx: ToolContext, opts: IpOptions, err: CommandError) -> int:
    """iproute_list_flush_or_save(): new_json_obj() has put `[` in stdout's buffer
    before the dump fails; it reaches the terminal or pipe at exit, after the error."""
    ctx.term.err(err.message)
    if opts.json:
        ctx.term.out("[ " if opts.pretty else "[")     # (recorded: pretty adds a blank)
    return err.status


def _no_table6(ns, table: int | None) -> bool:
    """inet6_dump_fib(): a table asked for that was never made (main and local always
    are: fib6_tables_init())."""
    return table not in (None, 0, TABLE_MAIN, TABLE_LOCAL) and ns.table(6, table) is None


def _table6_missing(ctx: ToolContext, opts: IpOptions, flush: bool) -> int:
    """The dump's ENOENT: "Dump terminated", or "Flush terminated" for a flush."""
    err = dump_error(KernelError(Errno.ENOENT, "ipv6: FIB table does not exist."))
    if flush:
        raise CommandError(err.message.replace("Dump terminated", "Flush terminated"),
                           err.status)
    return _dump_failed(ctx, opts, err)


def list_or_flush(ctx: ToolContext, opts: IpOptions, argv: list[str], flush: bool = False,
                  save: bool = False) -> int:
    # `ip -0` (AF_PACKET): get_prefix() refuses every prefix, and the dump, which
    # the kernel answers through PF_UNSPEC's rtnl_dump_all(), is all dropped by
    # print_route()'s family filter (recorded: nothing, `[]` under -j)
    family = opts.family if opts.family in (4, 6, 17) else 0
    if flush and not argv:
        raise CommandError('"ip route flush" requires arguments.\n', 1)
    f = parse_filter(ctx, Args(argv), family)
    ns = ctx.netns
    # iproute2 dumps IPv4 unless a family is given or `table all` asks for every table
    # (a prefix selector does not change the dump's family: an IPv6 one without -6
    # selects nothing from IPv4's main table)
    families = [family] if family else ([4, 6] if f.table is None else [4])
    if family == 17:
        families = []
    if f.cloned:
        # a listing dumps (inet_dump_fib() refuses a missing table); a flush of the
        # cache dumps nothing
        if not flush and 4 in families and f.table not in (None, TABLE_MAIN) and \
                ns.table(4, f.table) is None:
            return _dump_failed(ctx, opts, dump_error(
                KernelError(Errno.ENOENT, "ipv4: FIB table does not exist.")))
        # inet6_dump_fib() alike for an -6 dump of a table never made (recorded: `ip
        # -6 route ls cached table default`, fuzz seed 482081)
        # (iproute2's flush of an IPv6 cache dumps too: "Flush terminated")
        if family == 6 and _no_table6(ns, f.table):
            return _table6_missing(ctx, opts, flush)
        return _cache(ctx, opts, flush, family, f)
    selected = []
    for fam in families:
        # inet_dump_fib(): a table that does not exist; main too when flushing (a fresh
        # namespace has none until a route is made; listing it shows nothing)
        if fam == 4 and f.table is not None and (f.table != TABLE_MAIN or flush) and \
                ns.table(4, f.table) is None:
            err = dump_error(KernelError(Errno.ENOENT, "ipv4: FIB table does not exist."))
            if flush:
                err = CommandError(err.message.replace("Dump terminated", "Flush terminated"),
                                   err.status)
                raise err
            return _dump_failed(ctx, opts, err)
        # inet6_dump_fib(): an -6 dump of a table never made (main and local always
        # are: fib6_tables_init()) is ENOENT, as IPv4's
        if fam == 6 and family == 6 and _no_table6(ns, f.table):
            return _table6_missing(ctx, opts, flush)
        for table in _tables_in_dump_order(ns, fam, f.table):
            selected += [r for r in table.dump_routes() if _selected(r, f)
                         and not _main_hides_local6(r, f)]
    if flush:
        return _flush(ctx, opts, f, selected)
    if save:
        from ipemu.kernel.wire import rtnl
        seq, pid = _dump_seq(ctx)
        ctx.term.out(decode(b"".join(rtnl.route_bytes(ns.route_msg(route), seq, pid)
                                     for route in selected)))
        return 0
    _print_routes(ctx, opts, f, selected)
    return 0


def _flush(ctx: ToolContext, opts: IpOptions, f: RouteFilter, selected: list) -> int:
    """iproute_flush()'s rounds: each dump deletes what it matched (print_route() lists
    it too with `-s -s`); a round that matched nothing ends it, and `-s` says so.
    Deleted routes are gone here, so the second round is the last."""
    if not selected:
        if opts.stats:
            ctx.term.out("Nothing to flush.\n")
        return 0
    if opts.stats > 1:
        _print_routes(ctx, opts, f, selected)
    for route in selected:
        ctx.netns.remove_route(route)
    if opts.stats:
        ctx.term.out(f"\n*** Round 1, deleting {len(selected)} entries ***\n"
                     "*** Flush is complete after 1 round ***\n")
    return 0


def _print_routes(ctx: ToolContext, opts: IpOptions, f: RouteFilter, selected: list) -> None:
    ns = ctx.netns
    hide = _hidden(f)
    view = RouteView(details=opts.details, hide=hide, show_table=f.table is None,
                     nexthops=dict(ns.nexthops) if opts.details else {},
                     numeric=opts.numeric, stats=bool(opts.stats))
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    cache = LinkCache({m.ifindex: m for m in ns.dump_links()})
    for route in selected:
        print_route(p, ns.route_msg(route), cache, view)
    p.end()
    ctx.term.out(p.text())


def _hidden(f: RouteFilter) -> set:
    """What print_route() leaves out because the selectors fixed it."""
    hide = set()
    if f.dev is not None:
        hide.add("dev")
    if f.protocol is not None:
        hide.add("proto")
    if f.scope is not None:
        hide.add("scope")
    if f.realmmask == 0xFFFFFFFF:
        hide.add("realm")
    if f.metric is not None:
        hide.add("metric")      # print_route(): RTA_PRIORITY only when metricmask != -1
    if f.tos is not None:
        hide.add("tos")         # iproute_list(): `tos` given sets filter.tosmask to -1
    # print_route(): a gateway or source the selector gave in full is not repeated
    for pfx, key in ((f.via, "via"), (f.src, "src")):
        if pfx is not None and pfx.bitlen == (32 if pfx.family == 4 else 128):
            hide.add(key)
    return hide


# ----------------------------------------------------------------------- get
def _exception_view(fnhe: dict | None, metrics: tuple = ()) -> dict:
    """What a route exception adds to a cloned route's cache line: RTCF_REDIRECTED,
    rta_expires (whole seconds left), the mtu metric; beside the route's own metrics
    (rt_fill_info(): dst_metrics_ptr(), rt_pmtu in place of RTAX_MTU)."""
    if fnhe is None:
        return {"metrics": metrics} if metrics else {}
    if fnhe["mtu"]:
        locked = fnhe.get("lock", False) or any(m[0] == "mtu" and m[2] for m in metrics)
        metrics = (("mtu", fnhe["mtu"], locked),) + tuple(m for m in metrics
                                                         if m[0] != "mtu")
    return {"cache_flags": ("redirected",) if fnhe["gw"] else (),
            "expires": int(fnhe["left"]) if fnhe["left"] is not None else None,
            "metrics": metrics}


def _cache(ctx: ToolContext, opts: IpOptions, flush: bool, family: int,
           f: "RouteFilter | None" = None) -> int:
    """`ip route show/flush cache`: the IPv4 route exceptions, each as a cloned
    route (fib_dump_info_fnhe(): via and dev of its route, no source)."""
    ns = ctx.netns
    if flush:
        # iproute_flush(): IPv4's cache through /proc/sys/net/ipv4/route/flush unless
        # -6; IPv6's clones deleted one by one by a dump of -6, or of no family with
        # `table all` (AF_UNSPEC stays only when filter.tb is 0: recorded, `ip route
        # flush cache` leaves `ip -6 route show cache` as it was)
        table_all = f is not None and f.table is None
        families = (6,) if family == 6 else (4, 6) if family == 0 and table_all else (4,)
        # -s: iproute_flush() says the IPv4 cache went, then how its IPv6 dump went
        # (recorded: `ip -s route flush cache` prints only the first line)
        out = "*** IPv4 routing cache is flushed.\n" if 4 in families else ""
        if 6 in families:
            gone = len(ns.dump_exceptions(6))
            out += (f"\n*** Round 1, deleting {gone} entries ***\n"
                    "*** Flush is complete after 1 round ***\n") if gone else \
                "Nothing to flush.\n" if family == 6 else \
                "*** Flush is complete after 0 round ***\n"
        ns.flush_route_cache(families)
        if opts.stats:
            ctx.term.out(out)
        return 0
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    cache = LinkCache({m.ifindex: m for m in ns.dump_links()})
    # iproute_list_flush_or_save(): an unspecified family stays AF_UNSPEC only for
    # `table all` (filter.tb 0), and the dump then holds both families' cached routes;
    # print_route(): -d prints every route's type, and its table unless a table was
    # selected (recorded: `ip -d route list table all cache`)
    table_all = f is not None and f.table is None
    details = opts.details
    if family in (0, 4):
        for dst, fnhe in ns.dump_exceptions():
            try:
                route, table = ns.lookup(dst)
            except KernelError:
                continue
            gateway = ipaddress.IPv4Address(fnhe["gw"]) if fnhe["gw"] else route.gateway
            clone = Route(dst=ipaddress.ip_network(dst), table=table, type=route.type,
                          gateway=gateway, oif=route.oif)
            if f is not None and not _selected(clone, f):
                continue        # filter_nlmsg(): the dump's selectors (prefix, dev, via)
            view = RouteView(cloned=True, get_table=table, details=details,
                             show_table=table_all,
                             hide=_hidden(f) if f is not None else set(),
                             **_exception_view(fnhe, route.metrics))
            if opts.stats:
                # rtnl_put_cacheinfo() of the exception's cached route: the exception
                # holds it; its age runs from when a lookup cached it there
                # (rt_bind_exception() -> rt_dst_alloc(): dst.lastuse)
                since = fnhe.get("bound_at", fnhe.get("stamp", ns.clock.now))
                view.users = 1
                view.age = int((ns.clock.now - since) * 100)
            print_route(p, ns.route_msg(clone), cache, _profile_view(ctx, view))
    if family == 6 or (family == 0 and table_all):
        # rt6_fill_node() of each RTF_CACHE exception: its gateway (rt6i_gateway: a
        # redirect's target, rt6_do_redirect(); else its route's), device, metric and
        # preference, no source; expires and the mtu metric
        for dst, fnhe in ns.dump_exceptions(6):
            try:
                route, table = ns.lookup(dst)
            except KernelError:
                continue
            gateway = ipaddress.IPv6Address(fnhe["gw"]) if fnhe.get("gw") else route.gateway
            clone = Route(dst=_host_network(dst), table=table, type=route.type,
                          protocol=route.protocol, gateway=gateway, oif=route.oif,
                          priority=route.priority, pref=route.pref)
            if f is not None and not _selected(clone, f):
                continue
            extra = _exception_view(fnhe)
            extra.pop("cache_flags", None)
            view = RouteView(cloned=True, get_table=table, details=details,
                             show_table=table_all, rtf_cache=True,
                             hide=_hidden(f) if f is not None else set(), **extra)
            print_route(p, ns.route_msg(clone), cache, _profile_view(ctx, view))
    p.end()
    ctx.term.out(p.text())
    return 0


# the keywords iproute_get()'s loop reads as options (any other word is the destination)
_GET_OPTIONS = frozenset(("tos", "dsfield", "from", "iif", "mark", "oif", "dev", "notify",
                          "connected", "fibmatch", "vrf", "uid", "as", "sport", "dport",
                          "ipproto"))


def get(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """iproute_get(): one lookup, printed as the kernel's cloned route. With
    `connected` and no `from` the answer is printed and the request sent again (its
    RTA_PREFSRC is turned into RTA_SRC in the answer, but the unchanged request is
    what goes out), so the same route is printed twice."""
    keywords = [getattr(word, "keyword", None) for word in argv]
    if "connected" not in keywords or "from" in keywords:
        return _get_once(ctx, opts, argv)
    tee = _AnswerTee(ctx.term, passthrough=not opts.json)
    status = _get_once(replace(ctx, term=tee), opts, argv)
    if status == 0:
        if not tee.prefsrc():
            # the answer has no RTA_PREFSRC (nor RTA_SRC) to send back as the source:
            # iproute_get() returns before delete_json_obj(), so a JSON answer lacks
            # its closing `]` and newline (recorded, fuzz41 seed 490256)
            if opts.json:
                ctx.term.out("".join(tee.text).rstrip("\n").rstrip().removesuffix("]")
                             .rstrip("\n"))
            ctx.term.err("Failed to connect the route\n")
            return 1
        if opts.json:
            ctx.term.out("".join(tee.text))
        # delete_json_obj() before the second print_route(): it prints text (recorded)
        status = _get_once(ctx, replace(opts, json=False, pretty=False) if opts.json
                           else opts, argv)
    return status


class _AnswerTee:
    """The terminal as the first answer of `route get ... connected` is printed on it,
    kept so that iproute_get() can look for the answer's RTA_PREFSRC or RTA_SRC
    (print_route() shows them in every answer: ` src ADDR`, ` from ADDR`)."""

    def __init__(self, term, passthrough: bool = True) -> None:
        self.term = term
        self.text: list[str] = []
        self.passthrough = passthrough      # else kept until the answer is judged

    def out(self, text: str) -> None:
        self.text.append(text)
        if self.passthrough:
            self.term.out(text)

    def __getattr__(self, name: str):
        return getattr(self.term, name)

    def prefsrc(self) -> bool:
        text = "".join(self.text)
        # (an IPv6 answer's RTA_SRC, `from ::`, does as well)
        return any(mark in text for mark in (" src ", " from ", '"prefsrc"', '"src"'))


def _get_once(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    # (AF_PACKET, `ip -0`, only so that get_prefix() refuses the destination)
    family = opts.family if opts.family in (4, 6, 17) else 0
    args = Args(argv)
    dst = src = None
    oif_name = iif_name = None
    newdst = False
    mark = uid = 0
    # what the flow carries besides (fib rules select by them): tos, protocol, ports
    flow = {"tos": 0, "ip_proto": 0, "sport": 0, "dport": 0}
    fibmatch = notify = False
    proto_given = uid_given = False
    words = args.argv
    while args.i < len(words):     # iproute_get()'s loop: devices are looked up after it
        word = words[args.i]
        kw = getattr(word, "keyword", None)     # syntax.keyword(), inline
        if kw not in _GET_OPTIONS:      # the destination (the chain's last case, first)
            if kw == "to":
                word = args.next_arg()
            if word and "help".startswith(word):    # matches(); the value after `to`
                raise usage_error("ip_route", ctx.profile)      # too, as iproute2 does
            dst = get_prefix(word, family)
            family = family or dst.family
            if dst.prefixlen_given and dst.bitlen != (32 if dst.family == 4 else 128):
                ctx.term.err(f"Warning: /{dst.bitlen} as prefix is invalid, only "
                             f"/{32 if dst.family == 4 else 128} (or none) is supported.\n")
        elif kw == "tos" or kw == "dsfield":
            value = args.next_arg()
            tos = dsfield_a2n(value)
            if tos is None:
                raise invarg("TOS value is invalid\n", value)
            flow["tos"] = tos & 0x1C        # ip_route_output_key_hash(): IPTOS_RT_MASK
        elif kw == "from":
            value = args.next_arg()
            if matches(value, "help"):
                raise usage_error("ip_route", ctx.profile)
            src = get_prefix(value, family)
            family = family or src.family
        elif kw == "iif":
            iif_name = args.next_arg()
        elif kw == "mark":
            value = args.next_arg()
            mark = get_unsigned(value)
            if mark is None:
                raise invarg("invalid mark value", value)
        elif kw == "oif" or kw == "dev":
            oif_name = args.next_arg()
        elif kw == "fibmatch":
            fibmatch = True         # RTM_F_FIB_MATCH: the FIB entry, not the clone
        elif kw == "notify":
            notify = True           # RTM_F_NOTIFY
        elif kw == "connected":
            pass
        elif kw == "vrf":
            value = args.next_arg()
            dev = ctx.netns.by_name(value)
            if dev is None or dev.kind != "vrf":      # name_is_vrf()
                raise invarg("Invalid VRF\n", value)
            oif_name = value
        elif kw == "uid":
            value = args.next_arg()
            uid = get_unsigned(value)
            if uid is None:
                raise invarg("invalid UID\n", value)
            uid_given = True
        elif kw == "as":
            value = args.next_arg()
            if value == "to":
                value = args.next_arg()
            addr = get_addr(value, family)
            family = family or addr.family
            newdst = True
        elif kw in ("sport", "dport"):
            value = args.next_arg()
            number = get_unsigned(value)
            if number is None or number > 0xFFFF:     # get_be16()
                raise invarg(f"invalid {kw}\n", value)
            flow[kw] = number
        elif kw == "ipproto":
            value = args.next_arg()
            flow["ip_proto"] = _inet_proto_a2n(value)
            if flow["ip_proto"] is None:
                raise invarg('Invalid "ipproto" value\n', value)
            proto_given = True          # RTA_IP_PROTO is sent, 0 too
        args.i += 1
    if dst is None:
        raise CommandError("need at least a destination address\n", 1)
    iif = oif = None
    for name in (iif_name, oif_name):
        # ll_name_to_index(): RTM_GETLINK by name (the held linkwatch event runs)
        if name is not None and ctx.netns.getlink(name) is None:
            raise CommandError(f'Cannot find device "{name}"\n', 1)
    if iif_name is not None:
        iif = ctx.netns.by_name(iif_name)
    if oif_name is not None:
        oif = ctx.netns.by_name(oif_name)
    full = 32 if (family or 4) == 4 else 128
    if src is not None and src.bitlen not in (0, full):
        # inet_rtm_valid_getroute_req(): rtm_src_len neither 0 nor a host's
        raise talk_error(KernelError(Errno.EINVAL, "ipv4: Invalid values in header for route "
                                     "get request" if full == 32 else
                                     "ipv6: Invalid values in header for get route request"))
    if src is not None and src.is_default and not src.family:
        src = None          # "default" of no family has no bytes: no RTA_SRC is sent
    if src is not None and src.bitlen == 0:
        # ... RTA_SRC given with rtm_src_len 0
        raise talk_error(KernelError(Errno.EINVAL, "ipv4: rtm_src_len and rtm_dst_len must "
                                     "be 32 for IPv4" if full == 32 else "ipv6: rtm_src_len "
                                     "and rtm_dst_len must be 128 for IPv6"))
    if newdst:
        # inet_rtm_valid_getroute_req() / inet6_rtm_valid_getroute_req(): RTA_NEWDST
        raise talk_error(KernelError(Errno.EINVAL, "ipv4: Unsupported attribute in route "
                                     "get request" if (family or 4) == 4 else
                                     "ipv6: Unsupported attribute in get route request"))
    if proto_given and flow["ip_proto"] not in (
            (6, 17, 1) if (family or 4) == 4 else (6, 17, 58)):
        # inet_rtm_getroute() / inet6_rtm_getroute(): rtm_getroute_parse_ip_proto()
        # takes TCP, UDP and the family's ICMP
        raise talk_error(KernelError(Errno.EOPNOTSUPP, "Unsupported ip proto"))
    ns = ctx.netns
    address = dst.address
    if not proto_given and address.version == 4 and ns.fib_has_custom_rules:
        # inet_rtm_getroute(): `u8 ip_proto = IPPROTO_UDP`, the flow's protocol (and
        # the dummy skb's header) when none is asked, so `ipproto udp` rules select
        # a plain get (IPv6's flow has 0; recorded, fuzz41_route_get_rules)
        flow["ip_proto"] = 17
    if iif is not None:
        return _get_input(ctx, opts, ns, address, src, iif, flow, mark,
                          uid if uid_given else None, fibmatch)
    # the usual get: no source, device, FIB match or flow keys the rules could read,
    # and a unicast destination (a multicast one makes its own route: _mc_route())
    if FAST_GET and src is None and oif is None and type(address) is _IPv4 and \
            not fibmatch and not any(flow.values()) and not address.is_multicast and \
            address != LBCAST and \
            not notify and not opts.stats and not opts.details and \
            _get_output4(ctx, opts, ns, address, mark, uid):
        return 0
    try:
        if address.version == 4 and src is not None and not int(src.address):
            src = None      # ip_route_output_key_hash_rcu(): a zero fl4->saddr is none
        if address.version == 4 and src is not None and _bad_source(src.address):
            raise KernelError(Errno.EINVAL)
        if oif is not None and address.version == 4 and not oif.admin_up:
            # ip_route_output_key_hash_rcu(): an output device that is not IFF_UP is
            # refused before any lookup
            raise KernelError(Errno.ENETUNREACH)
        if src is not None and address.version == 4 and \
                src.address not in ns.local_addresses():
            # ip_route_output_key_hash_rcu(): __ip_dev_find() of the source (IPv6's
            # ip6_route_output() takes any source: recorded), before the device and
            # the destination's kind are looked at (fuzz41 seed 490149)
            raise KernelError(Errno.ENETUNREACH)
        if (oif is not None or src is not None) and address.version == 4 and \
                (address.is_multicast or address == LBCAST):
            return _get_mc_output(ctx, opts, ns, address, src, oif, uid, mark, fibmatch)
        if address.version == 4 and int(address) == 0:
            # ip_route_output_key(): no destination means this host, through lo
            if fibmatch:
                # inet_rtm_getroute(): no FIB entry (res.fi NULL) and RTN_LOCAL's
                # fib_props error is 0: EHOSTUNREACH (fuzz41 seed 490070)
                raise KernelError(Errno.EHOSTUNREACH)
            lo = ns.by_index(LOOPBACK_IFINDEX)
            route = Route(dst=_host_network(address), table=TABLE_LOCAL, type=RTN.LOCAL,
                          oif=lo.ifindex, prefsrc=ipaddress.IPv4Address("127.0.0.1"))
            # (res->table NULL: no `table` under -d, fuzz41 seed 490167)
            result, view = resolve_for_display(ns, route, 0, address, src, oif)
            # rt_fill_info(): the flow's uid and mark; the route made at make_route
            # has no fib_info, so no nexthop caches it (-s: `users 1`, the request's
            # skb only; fuzz41 seeds 490031, 490077)
            view.mark = mark
            if view.uid is not None:
                view.uid = uid
            if opts.stats:
                view.users = 1
            return _print_get(ctx, opts, ns, result, view)
        guessed = False
        try:
            # the flow carries the mark and uid asked for (fib rules select by them).
            # IPv6: ip6_route_output_flags() makes the output device binding
            # (RT6_LOOKUP_F_IFACE) for a flow with no source, or one to a destination
            # rt6_need_strict() is (multicast, link-local, loopback); else, with a
            # source, the route is the table's whatever its device (recorded: case
            # lead42_get6_strict_oif)
            look_oif = None if address.version == 6 and src is not None and not (
                address.is_multicast or address.is_link_local or address.is_loopback) \
                else oif
            route, table = ns.lookup(address, src.address if src else None, look_oif,
                                     mark=mark, uid=uid, **flow)
            if fibmatch:
                # inet_rtm_getroute() with RTM_F_FIB_MATCH: fib_dump_info() of the
                # entry, its type the clone's (fri.type = rt->rt_type: a group or the
                # limited broadcast through a unicast route; fuzz41_route_get_zero)
                if address.version == 4 and route.type == RTN.UNICAST and (
                        address.is_multicast or address == LBCAST):
                    route = replace(route, type=RTN.MULTICAST if address.is_multicast
                                    else RTN.BROADCAST)
                if address.version == 6 and route.nhid is not None:
                    # the entry printed is the pcpu route's `from` (pcpu_owner6())
                    route = pcpu_owner6(ns, route, select_path(
                        ns, route, src.address if src else None, address,
                        flow["ip_proto"], flow["sport"], flow["dport"]) if oif is None
                        else route)
                return _print_fib_match(ctx, opts, ns, route)
            found = route
            if oif is None and route.nexthops:
                # fib_select_path(): the flow's hash and source pick the path
                route = select_path(ns, route, src.address if src else None, address,
                                    flow["ip_proto"], flow["sport"], flow["dport"],
                                    saddr=src.address if src else None)
            elif address.version == 6 and route.nexthops and found.nhid is None:
                # fib6_select_path() runs with the output device too: the sibling the
                # hash picks is taken unless rt6_score_route() refuses it (another
                # device under RT6_LOOKUP_F_IFACE), when rt6_select()'s stays
                # (recorded: fuzz49_route6_get_oif_multipath_hash)
                chosen = select_path(ns, route, src.address if src else None, address,
                                     flow["ip_proto"], flow["sport"], flow["dport"])
                if look_oif is None or chosen.oif == look_oif.ifindex:
                    route = chosen
            if address.version == 6 and found.nhid is not None:
                # rt6_get_pcpu_route(): the nexthop's pcpu route may be another
                # route's (pcpu_owner6()): its metric, table and protocol are shown
                owner = pcpu_owner6(ns, found, route)
                if owner is not found:
                    route, table = replace(owner, gateway=route.gateway, oif=route.oif,
                                           onlink=route.onlink, flow=route.flow,
                                           encap=route.encap), owner.table
            elif oif is None and address.version == 4 and not route.dst._prefixlen and \
                    route.type == RTN.UNICAST:
                # fib_select_path() -> fib_select_default(): another default route of
                # the metric when this one's gateway looks dead (recorded:
                # tutorials40c_dead_gateway_failover)
                route = fib_select_default(ns, table, route, flow.get("tos", 0))
            if address.version == 4 and address.is_multicast \
                    and route.type in (RTN.UNICAST, RTN.MULTICAST) and route.oif is not None:
                # __mkroute_output(): a multicast destination makes an RTN_MULTICAST
                # route on the device (RTCF_MULTICAST, whether the FIB entry was
                # unicast or multicast); through a route shorter than 224/4 (a
                # default) without its gateway (fi = NULL)
                dev = ns.by_index(route.oif)
                found = route
                route, cache = _mc_route(ns, address, dev, found.prefsrc or ns.select_source(
                    dev, nh_gw4(found.gateway, address)), table)
                if found.dst.prefixlen >= 4 and found.gateway is not None:
                    route.gateway = found.gateway
                view = RouteView(cloned=True, uid=uid, cache_flags=cache, get_table=table,
                                 rt_offload_failed=True, mark=mark)
                return _print_get(ctx, opts, ns, route, view)
            if address.version == 4 and address == LBCAST and route.type == RTN.UNICAST \
                    and route.oif is not None:
                # __mkroute_output(): the limited broadcast makes an RTN_BROADCAST
                # route (RTCF_BROADCAST|RTCF_LOCAL, fi = NULL: no gateway) on the
                # device of the route it matched (a default one; recorded)
                dev = ns.by_index(route.oif)
                route, cache = _mc_route(ns, address, dev, route.prefsrc or ns.select_source(
                    dev, nh_gw4(route.gateway, address)), table)
                view = RouteView(cloned=True, uid=uid, cache_flags=cache, get_table=table,
                                 mark=mark)
                return _print_get(ctx, opts, ns, route, view)
        except KernelError:
            # any failed fib_lookup(): no route, a reject route (unreachable,
            # blackhole, prohibit) or rule (recorded: tutorials40c_ping_bound_device)
            if oif is None or address.version != 4:
                raise
            if fibmatch:
                # inet_rtm_getroute(): RTM_F_FIB_MATCH of the on-link guess has no
                # res.fi, and fib_props[RTN_UNICAST].error is 0: -EHOSTUNREACH
                raise KernelError(Errno.EHOSTUNREACH) from None
            # ip_route_output_key(): with an output device and no route, the kernel
            # assumes the destination is on that link (IPv4 only: ip6_pol_route()'s
            # answer is the null entry, ENETUNREACH, whatever the device)
            # (res.table is NULL: inet_rtm_getroute()'s table_id 0, no `table` under
            # -d; fuzz41 seed 490078)
            route, table = Route(dst=_host_network(address), oif=oif.ifindex,
                                 scope=Scope.LINK), 0
            guessed = True
        dev_out = ns.by_index(route.oif) if route.type != RTN.LOCAL and \
            route.oif is not None else None
        picked = _UNPICKED
        if address.version == 4 and dev_out is not None:
            # __mkroute_output(): a loopback source (given, or the one the route
            # picks: fib_result_prefsrc()) leaves only through lo, unless the device
            # has route_localnet
            if src is not None:
                saddr = src.address
            else:
                saddr = picked = route.prefsrc or ns.select_source(dev_out,
                                                                   nh_gw4(route.gateway, address))
            # IN_DEV_NET_ROUTE_LOCALNET(): conf/all's route_localnet or the device's
            if saddr is not None and int(saddr) >> 24 == 127 and dev_out.kind != "loopback" \
                    and "1" not in (ns.conf(4, dev_out, "route_localnet"),
                                    ns.conf(4, "all", "route_localnet")):
                raise KernelError(Errno.EINVAL)
    except KernelError as err:
        raise talk_error(err)
    result, view = resolve_for_display(ns, route, table, address, src, oif, picked)
    # RTA_MARK and RTA_UID: what the lookup was asked for (rt6_fill_node() puts no
    # RTA_MARK: an IPv6 answer shows no mark)
    view.mark = mark if address.version == 4 else 0
    if view.uid is not None:
        view.uid = uid
    if address.version == 4:
        # rt_fill_info(): RTM_F_NOTIFY comes back in rtm_flags and as RTCF_NOTIFY;
        # rtnl_put_cacheinfo()'s rta_clntref (-s): the nexthop's cached route and the
        # request's skb hold the clone
        view.notify = notify
        if notify:
            view.cache_flags = view.cache_flags + ("notify",)
        if opts.stats:
            # (the on-link guess has no fib_info either: not cached; fuzz41 seed 490123)
            view.users = 1 if guessed or _uncached_local4(ns, route) else 2
    return _print_get(ctx, opts, ns, result, view)


def _uncached_local4(ns, route: Route) -> bool:
    """__mkroute_output(): a local route whose device is not the loopback (orig_oif,
    FIB_RES_OIF(), is not dev_out) is not cached in the nexthop (do_cache = false), so
    only the request's skb holds the answer: `users 1` for an address of v0, 2 for
    127.0.0.1 (recorded, case fuzz41_route_get_stats_users)."""
    if route.type != RTN.LOCAL or route.oif is None:
        return False
    dev = ns.by_index(route.oif)
    return dev is not None and dev.kind != "loopback"


LBCAST = ipaddress.IPv4Address("255.255.255.255")
# the get's shortcuts (off: the general code only; the tests compare both)
FAST_GET = True
_IPv4 = ipaddress.IPv4Address
_UNICAST = RTN.UNICAST
_dict_get = dict.get        # a LinkMap's own get() is Python's: a known index first
_LOOPBACK_NET = 127


def _get_output4(ctx: ToolContext, opts: IpOptions, ns, address, mark: int, uid: int) -> bool:
    """The usual `ip route get ADDR` (IPv4, no source, device or input device): the
    route a datagram of ours takes to a unicast route's device, written straight as
    the answer rt_fill_info() sends (RTM_F_CLONED, RTA_DST, RTA_GATEWAY, RTA_OIF,
    RTA_PREFSRC, RTA_UID; no cache flags) and printed. False, having printed nothing,
    for whatever the general code must decide (another route type, a loopback device
    or source, a next-hop exception, an error)."""
    n = int(address)
    return _output4(ctx, opts, ns, n, f"{n >> 24}.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}",
                    mark, uid)


def _output4(ctx: ToolContext, opts: IpOptions, ns, n: int, dst_text: str, mark: int,
             uid: int, shown: tuple | None = None) -> bool:
    """_get_output4() of the destination `n` (an int) whose dotted quad is
    `dst_text`; `shown`: _get_shown() of the context, when the caller has it."""
    text = _answer4(ctx, opts, ns, n, dst_text, mark, uid, shown)
    if text is None:
        return False
    ctx.term.out(text)
    return True


def _answer4(ctx: ToolContext, opts: IpOptions, ns, n: int, dst_text: str, mark: int,
             uid: int, shown: tuple | None = None, run: list | None = None) -> str | None:
    """What _output4() prints, or None when it is not its answer. `run`: the gets of
    one GetPlan run (nothing changes between them), [gateway, oif, prefsrc, metrics,
    table, the answer's text around its destination] of the last answer through a
    gateway: a route of the same nexthop (the same objects) answers the same."""
    if n == 0:
        return None
    try:
        route, table = ns.lookup_output4(n, mark, uid)
    except KernelError:
        return None
    if not route.dst._prefixlen and num_default(ns, table) > 1:
        return None     # fib_select_default() may pick another: the general code
    oif = route.oif
    if route.type != _UNICAST or oif is None or oif == LOOPBACK_IFINDEX or route.nexthops \
            or route.flow or route.encap is not None or route.nhid is not None:
        return None
    gateway = route.gateway
    prefsrc = route.prefsrc
    if run is not None and run[0] is gateway and run[1] == oif and run[2] is prefsrc and \
            run[3] is route.metrics and run[4] == table and gateway is not None and \
            not ns.nh_exceptions:
        # the source and the gateway's type come from the nexthop and the device,
        # which stand between the lines of one run (a connected route's source
        # depends on the destination: not kept)
        parts = run[5]
        return parts[0] + dst_text + parts[1]
    dev = ns.devices.get(oif)
    if dev is None:
        return None
    # __mkroute_output() / fib_result_prefsrc(); rt_set_nexthop(): a gateway that is
    # our own address resolved to a local route, no gateway in the clone
    if gateway is None:
        saddr = prefsrc or ns.select_source(dev, _IPv4(n))
        saddr_n = int(saddr) if saddr is not None else None
        gw_n = None
    elif type(gateway) is not _IPv4:
        return None
    else:
        kept = ns.nh_source4(dev, gateway)
        if prefsrc is None:
            saddr, saddr_n = kept[2], kept[5]
        else:
            saddr, saddr_n = prefsrc, int(prefsrc)
        if kept[4]:
            gateway = gw_n = None
        else:
            gw_n = kept[6]
    if saddr_n is not None and saddr_n >> 24 == _LOOPBACK_NET:
        return None
    if ns.nh_exceptions and ns.nh_exception(_IPv4(n)) is not None:
        return None
    # RTNH_F_LINKDOWN of the clone (output4_clone_msg()): printed by `ip route show`
    # only, but kept apart
    linkdown = dev.admin_up and not dev.carrier
    links = (opts.ll_map or ll_map(opts, ns)).links
    # ll_index_to_name(): a record known already, else asked for (its side effects)
    msg = _dict_get(links, oif) or links.get(oif)
    name = msg.ifname if msg is not None else f"if{oif}"
    if shown is None:
        shown = _get_shown(ctx, opts, uid)
    # everything print_route() reads of this record but its destination
    key = (table, saddr_n, gw_n, name, linkdown, route.metrics, mark, shown, opts.color)
    last = _LAST_GET_TEXT
    if key == last[0] and FAST_GET_TEXT:
        # the last answer's key again (a batch's gets mostly share one): compared
        # item by item, the same objects mostly, without hashing the nested tuples
        parts = last[1]
        if run is not None and gateway is not None:
            run[:] = route.gateway, oif, prefsrc, route.metrics, table, parts
        return parts[0] + dst_text + parts[1]
    found = _GET_TEXT.get(key)
    if found is not None and FAST_GET_TEXT:
        last[0], last[1] = key, found
        if run is not None and gateway is not None:
            run[:] = route.gateway, oif, prefsrc, route.metrics, table, found
        return found[0] + dst_text + found[1]
    msg = ns.output4_clone_msg(n, table, saddr, gateway, dev)
    view = RouteView(cloned=True, get_table=table, metrics=route.metrics, mark=mark,
                     uid=shown[0], src_sep=shown[1])
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    print_route(p, msg, ll_map(opts, ns), view)
    p.end()
    text = p.text()
    parts = text.split(dst_text)
    if len(parts) == 2:
        # the record as printed around its destination, for the next of the same key
        # (an address printed twice, as a gateway too, is not cut)
        if len(_GET_TEXT) >= 1024:
            _GET_TEXT.clear()
        _GET_TEXT[key] = parts
    return text


def _get_shown(ctx: ToolContext, opts: IpOptions, uid: int) -> tuple:
    """What of a get's answer comes from the profile and the options: (RTA_UID as
    shown, the separator before the source, -j, -p, -o)."""
    profile = ctx.profile
    return (uid if profile["route_get_uid"] else None, profile["route_get_src_sep"][1:],
            opts.json, opts.pretty, opts.oneline)


# print_route()'s text of a get's answer by everything in it but the destination (as
# the text before and after it): the lines of a batch through one nexthop differ only
# there. Off (FAST_GET_TEXT): every answer is printed afresh (the tests compare both)
_GET_TEXT: dict[tuple, list[str]] = {}
# [key, parts] of the last answer _GET_TEXT gave
_LAST_GET_TEXT: list = [None, None]
FAST_GET_TEXT = True


def _inet_proto_a2n(text: str) -> int | None:
    """lib/inet_proto.c inet_proto_a2n(): 0..255 in decimal, else a name of
    /etc/protocols (getprotobyname())."""
    from ipemu.tcpdump.names import PROTO_BY_NAME
    if text.isdigit() and int(text) <= 255:
        return int(text)
    return PROTO_BY_NAME.get(text)


def _bad_source(addr) -> bool:
    """ip_route_output_key_hash_rcu(): a multicast, limited-broadcast or 0/8 source is
    refused (EINVAL)."""
    return addr.is_multicast or addr == LBCAST or int(addr) >> 24 == 0


def _mc_joined(ns, dev, group) -> bool:
    """ip_check_mc_rcu(): the groups an UP device with IPv4 has joined; every one
    joins all-hosts (ip_mc_up())."""
    return dev is not None and dev.admin_up and group == ipaddress.IPv4Address("224.0.0.1")


def _mc_route(ns, address, dev, prefsrc, table: int, our: bool | None = None):
    """__mkroute_output() / ip_route_input_mc() for a broadcast or multicast
    destination: RTCF_BROADCAST|RTCF_LOCAL, or RTCF_MULTICAST (RTCF_LOCAL when the
    group is joined; rtm_flags then carry RTCF_MULTICAST, which iproute2 reads as
    RTM_F_OFFLOAD_FAILED). On input the route's device is lo and `our` is what
    ip_check_mc_rcu() said of the receiving device (ip_route_input_mc(): RTCF_LOCAL
    when it holds the group)."""
    if address == LBCAST or address.is_multicast is False:
        rtype, cache = RTN.BROADCAST, ("local", "brd")
    else:
        rtype = RTN.MULTICAST
        if our is None:
            our = _mc_joined(ns, dev, address)
        cache = ("local", "mc") if our else ("mc",)
    route = Route(dst=_host_network(address), table=table, type=rtype,
                  oif=dev.ifindex, prefsrc=prefsrc)
    return route, cache


def _get_mc_output(ctx: ToolContext, opts: IpOptions, ns, address, src, oif,
                   uid: int = 0, mark: int = 0, fibmatch: bool = False) -> int:
    """ip_route_output_key_hash_rcu() for 255.255.255.255 and multicast: with a source
    and no device, the source's device; with a device, link-local groups and the
    limited broadcast go straight out of it; others look for a route and, without
    one, still leave through the device."""
    table = 0
    try:
        if oif is None:
            dev = next((d for d in ns.device_list()
                        if any(i.local == src.address for i in ns.ifa4(d))), None)
            if dev is None:
                raise KernelError(Errno.ENETUNREACH)
        else:
            dev = oif
            if not dev.admin_up:
                raise KernelError(Errno.ENETUNREACH)
            local_mc = address in ipaddress.IPv4Network("224.0.0.0/24")
            if not local_mc and address != LBCAST:
                try:
                    route, table = ns.lookup(address, src.address if src else None, oif)
                    dev = ns.by_index(route.oif) or dev
                    if fibmatch:
                        # (fri.type is the clone's rt_type: `multicast default ...`)
                        return _print_fib_match(ctx, opts, ns,
                                                replace(route, type=RTN.MULTICAST))
                except KernelError:
                    pass
        if src is not None and src.address.is_loopback and dev.kind != "loopback" and \
                not ns.stack._localnet(dev):
            # __mkroute_output(): a loopback source leaves by lo only (fuzz41 seed
            # 490149, lo up)
            raise KernelError(Errno.EINVAL)
        if fibmatch:
            # RTM_F_FIB_MATCH of a route made at make_route (no res.fi): EHOSTUNREACH
            # (fuzz41 seed 490226)
            raise KernelError(Errno.EHOSTUNREACH)
    except KernelError as err:
        raise talk_error(err)
    prefsrc = None if src is not None else ns.select_source(dev, address, Scope.LINK)
    route, cache = _mc_route(ns, address, dev, prefsrc, table)
    # (res->table: the route a group beyond 224.0.0.0/24 found; none when the route
    # was made at make_route, no `table` under -d: fuzz41 seed 490099)
    view = RouteView(cloned=True, src_addr=src.address if src else None, uid=uid, mark=mark,
                     cache_flags=cache, get_table=table,
                     rt_offload_failed=route.type == RTN.MULTICAST)
    return _print_get(ctx, opts, ns, route, view)


def _get_input(ctx: ToolContext, opts: IpOptions, ns, address, src, iif,
               flow: dict | None = None, mark: int = 0, uid: int | None = None,
               fibmatch: bool = False) -> int:
    """`ip route get ... iif DEV`: the route a packet arriving on DEV would take
    (ip_route_input_slow(), ip_route_input_mc()): martians refused, local delivery
    through lo, or forwarding when the device forwards."""
    saddr = src.address if src else ipaddress.IPv4Address(0)
    lo = ns.by_index(LOOPBACK_IFINDEX)
    try:
        if address.version == 4:
            if saddr.is_multicast or saddr == LBCAST:
                raise KernelError(Errno.EINVAL)           # martian source
            if int(saddr) == 0 and address != LBCAST and int(address) != 0 and \
                    not (address.is_multicast and int(address) >> 8 == 0xE00000):
                # from 0.0.0.0: only brd_input, or ip_mc_validate_source()'s
                # ipv4_is_local_multicast() group (224.0.0.0/24; IGMP too, which
                # route get cannot ask; recorded: fuzz41b_route_get_input_notable)
                raise KernelError(Errno.EINVAL)
            if address.is_multicast:
                if not _mc_joined(ns, iif, address) or _local_source(ns, saddr) or \
                        _brd_source_refused(ns, iif, saddr, mark, flow):
                    raise KernelError(Errno.EINVAL)
                if fibmatch:
                    # inet_rtm_getroute(): RTM_F_FIB_MATCH of a route with no res.fi
                    # (ip_route_input_mc(), brd_input without a FIB entry): the
                    # type's fib_props error, 0, is EHOSTUNREACH (fuzz41 seed 490141)
                    raise KernelError(Errno.EHOSTUNREACH)
                route, cache = _mc_route(ns, address, lo, None, TABLE_MAIN, our=True)
                return _print_input(ctx, opts, ns, route, cache, src, iif, _NO_TABLE,
                                    mark=mark, uid=uid, users=_UNCACHED_USERS[opts.stats > 0])
            if address == LBCAST or not (int(address) or int(saddr)):
                # ip_route_input_slow(): the limited broadcast, or 0.0.0.0 from 0.0.0.0,
                # goes to brd_input (fuzz41 seed 490047)
                if _local_source(ns, saddr) or _brd_source_refused(ns, iif, saddr, mark, flow):
                    raise KernelError(Errno.EINVAL)
                if fibmatch:
                    # inet_rtm_getroute(): RTM_F_FIB_MATCH of a route with no res.fi
                    # (ip_route_input_mc(), brd_input without a FIB entry): the
                    # type's fib_props error, 0, is EHOSTUNREACH (fuzz41 seed 490141)
                    raise KernelError(Errno.EHOSTUNREACH)
                route, cache = _mc_route(ns, address, lo, None, TABLE_MAIN)
                return _print_input(ctx, opts, ns, route, cache, src, iif, _NO_TABLE,
                                    mark=mark, uid=uid, users=_UNCACHED_USERS[opts.stats > 0])
            # 127/8 only with route_localnet (IN_DEV_NET_ROUTE_LOCALNET(): the
            # device's or all's), lo no exception (recorded: fuzz39_route_get_
            # loopback_iif); 0/8 is unicast (since 5.3)
            localnet = ns.stack._localnet(iif)
            if saddr.is_loopback and not localnet:
                raise KernelError(Errno.EINVAL)           # martian source
            if int(address) == 0 and int(saddr) != 0 or address.is_loopback and not localnet:
                raise KernelError(Errno.EINVAL)           # martian destination
        try:
            # ip_route_input_slow(): the flow has the device it came in by, the mark
            # and the flow keys asked for (the rules select by them)
            # ip6_route_input_lookup(): a destination rt6_need_strict() (link-local)
            # sets RT6_LOOKUP_F_IFACE, and ip6_pol_route_input() hands the input
            # device as the oif: the route must be the input device's (recorded:
            # `route get fe80::2 iif v2` answers dev v2, fuzz40 seed 450461)
            # (rt6_need_strict(): multicast and loopback destinations too, so ff02::1
            # iif lo finds nothing: lo has no ff00::/8; fuzz41 seed 490118)
            strict = iif if address.version == 6 and (
                address.is_link_local or address.is_multicast or address.is_loopback) \
                else None
            route, table = ns.lookup(address, src.address if src else None, strict,
                                     iif=iif, mark=mark, **(flow or {}))
        except KernelError as err:
            # ip_route_input_slow(): a failed fib_lookup() on a device that does not
            # forward is EHOSTUNREACH, whatever the lookup said
            if address.version == 4 and ns.conf(4, iif, "forwarding") != "1":
                raise KernelError(Errno.EHOSTUNREACH) from err
            raise
        if route.nexthops:
            # ip_mkroute_input(): a forwarded packet's hash picks the path, whatever
            # its source
            flow = flow or {}
            route = select_path(ns, route, src.address if src else None, address,
                                flow.get("ip_proto", 0), flow.get("sport", 0),
                                flow.get("dport", 0))
        if address.version == 4 and route.type == RTN.BROADCAST and \
                ns.stack._bc_forwarding(iif):
            # ip_route_input_slow(): IN_DEV_BFORWARD() sends a directed broadcast to
            # make_route: an input route out of the broadcast route's device, no
            # RTCF_BROADCAST|RTCF_LOCAL, whatever forwarding says
            result = Route(dst=_host_network(address), table=table, type=route.type,
                           oif=route.oif, prefsrc=None)
            return _print_input(ctx, opts, ns, result, (), src, iif, table, mark=mark,
                                uid=uid)
        local = route.type in (RTN.LOCAL, RTN.BROADCAST)
        if local and address.version == 4 and _local_source(ns, saddr) and \
                not ns.stack._accept_local(iif):
            raise KernelError(Errno.EINVAL)   # fib_validate_source(): our own address
        if not local and address.version == 4 and ns.conf(4, iif, "forwarding") != "1":
            # ip_route_input_slow(): IPv4 only; ip6_route_input_lookup() finds the
            # route whatever forwarding says (ip6_forward() refuses later)
            raise KernelError(Errno.EHOSTUNREACH)
        if not local and address.version == 4 and route.type == RTN.UNICAST and \
                _local_source(ns, saddr) and not ns.stack._accept_local(iif):
            # __mkroute_input() -> fib_validate_source(): a packet to forward from
            # one of our own addresses is a martian source as well
            raise KernelError(Errno.EINVAL)
        if address.version == 4 and int(saddr) != 0 and route.type in (
                RTN.LOCAL, RTN.UNICAST) and ns.stack._validate_source(
                    iif, saddr, address,
                    ns.by_index(route.oif) if route.type == RTN.UNICAST else None,
                    mark, (flow or {}).get("tos", 0)):
            # fib_validate_source() (strict: the route back leaves by iif; loose:
            # there is one; the way back looked up from the destination as if it
            # came in by the output device, iif lo for local delivery, so rules
            # select it): a failure is a drop reason, which inet_rtm_getroute()
            # answers with -EINVAL (recorded: rp_filter 1 and 2,
            # tutorials40c_rp_filter_rules)
            raise KernelError(Errno.EINVAL)
        if address.version == 4 and route.type == RTN.BROADCAST and \
                _brd_source_refused(ns, iif, saddr, mark, flow):
            raise KernelError(Errno.EINVAL)
        if address.version == 6 and address.is_multicast:
            # rt6_fill_node() of an input route to a group: ip6mr_get_route(), with
            # no multicast routing cache, fails and the fill is -EMSGSIZE (recorded:
            # `ip -6 route get ff02::1 iif v0`, fuzz41_route_get_input_fibmatch)
            raise KernelError(Errno.EMSGSIZE)
    except KernelError as err:
        raise talk_error(err)
    if fibmatch:
        # inet_rtm_getroute() with RTM_F_FIB_MATCH: fib_dump_info() of the FIB entry
        # the input lookup found (IPv6: rt6_fill_node() of it, RTA_IIF kept; fuzz41
        # seeds 490139, 490141)
        return _print_fib_match(ctx, opts, ns, route,
                                iif.name if address.version == 6 else None)
    if route.type == RTN.BROADCAST:
        route, cache = _mc_route(ns, address, lo, None, table)
        return _print_input(ctx, opts, ns, route, cache, src, iif, table, mark=mark, uid=uid)
    result = Route(dst=_host_network(address), table=table, type=route.type,
                   gateway=route.gateway,
                   oif=(lo.ifindex if route.type == RTN.LOCAL else route.oif),
                   prefsrc=None)
    if address.version == 6 and route.type in (RTN.UNICAST, RTN.LOCAL):
        # inet6_rtm_getroute() -> rt6_fill_node() of the input route: the FIB entry's
        # protocol and metric, no cache flags (recorded: oracle24a_linuxtopia_ipv6_router,
        # oracle24a_probe_v6_get_iif)
        result.protocol, result.priority = route.protocol, route.priority
        # and its preference: the clone's rt6i_flags carry the entry's RTF_PREF bits,
        # RTA_PREF is IPV6_EXTRACT_PREF() of them (recorded: `pref low` of a
        # default route, lead43_get6_iif_pref; fuzz seed 484014)
        result.pref = route.pref
        # (rt6_fill_node() puts no RTA_UID: `uid N` is never shown, fuzz40 seed 450461)
        return _print_input(ctx, opts, ns, result, (), src, iif, table, mark=mark, uid=None)
    cache = ("local",) if route.type == RTN.LOCAL else ()
    extra: dict = {}
    if address.version == 4 and route.type == RTN.UNICAST:
        # __mkroute_input(): the exception toward the destination (a redirect's
        # gateway, its expiry), and IPSKB_DOREDIRECT when the packet leaves by the
        # device it came in on from a host there (rt_fill_info(): RTCF_DOREDIRECT)
        fnhe = ns.nh_exception(address)
        if fnhe is not None:
            extra = _exception_view(fnhe)
            if fnhe["gw"]:
                result.gateway = ipaddress.IPv4Address(fnhe["gw"])
            cache = extra.pop("cache_flags", ())
        if _do_redirect(ns, route, iif, saddr, address, (flow or {}).get("tos", 0)):
            cache = cache + ("redirect",)
    return _print_input(ctx, opts, ns, result, cache, src, iif, table, **extra, mark=mark, uid=uid)


# inet_rtm_getroute()'s table_id of an input route that never saw fib_lookup()
# (ip_route_input_mc(), brd_input: res.table NULL): RTA_TABLE 0, so -d prints no
# `table main` (recorded: fuzz41b_route_get_input_notable)
_NO_TABLE = 0

# rtnl_put_cacheinfo()'s rta_clntref under -s of an input route no nexthop caches
# (ip_route_input_mc(), brd_input without res->fi): the request's skb only (recorded:
# `users 1` for 0.0.0.0 iif v0, fuzz41_route_get_zero); without -s none is printed
_UNCACHED_USERS = (0, 1)


def _brd_source_refused(ns, iif, saddr, mark: int, flow: dict | None) -> bool:
    """ip_route_input_slow()'s brd_input and ip_mc_validate_source(): a broadcast or
    multicast from a source other than 0.0.0.0 is checked by fib_validate_source()
    with no destination (rp_filter applies; recorded: tutorials40c_rp_filter_broadcast)."""
    return int(saddr) != 0 and bool(ns.stack._validate_source(
        iif, saddr, None, None, mark, (flow or {}).get("tos", 0)))


def _do_redirect(ns, route: Route, iif, saddr, daddr=None, tos: int = 0) -> bool:
    """__mkroute_input()'s IPSKB_DOREDIRECT: out by the input device, which sends
    redirects (IN_DEV_TX_REDIRECTS), and fib_validate_source() found the source on
    that device's own subnet (a nexthop of scope host through it); shared_media
    (default on) spares the on-link check of source and gateway."""
    if route.oif != iif.ifindex or "1" not in (ns.conf(4, "all", "send_redirects"),
                                               ns.conf(4, iif, "send_redirects")):
        return False
    try:
        # __fib_validate_source(): the way back, to the source from the destination,
        # as if it came in on the output device (flowi4_iif = oif: an `iif DEV` rule
        # sends it to its table, whose gateway route says scope link: no redirect)
        back, _ = ns.lookup(saddr, daddr, iif=iif, tos=tos)
    except KernelError:
        return False
    if back.type != RTN.UNICAST or back.gateway is not None or back.oif != iif.ifindex:
        return False
    if "1" in (ns.conf(4, "all", "shared_media"), ns.conf(4, iif, "shared_media")):
        return True
    return any(saddr in ifa.network and (route.gateway is None or route.gateway in ifa.network)
               for ifa in ns.ifa4(iif))       # inet_addr_onlink()


def _local_source(ns, saddr) -> bool:
    return int(saddr) != 0 and saddr in ns.local_addresses()


def _print_input(ctx: ToolContext, opts: IpOptions, ns, route: Route, cache, src, iif,
                 table: int, mark: int = 0, uid: int | None = None, **extra) -> int:
    src_addr = src.address if src else None
    if src_addr is not None and src_addr.version == 4 and not int(src_addr):
        src_addr = None     # rt_fill_info(): RTA_SRC only for a non-zero fl4->saddr
    if src_addr is None and route.dst.version == 6:
        src_addr = ipaddress.IPv6Address(0)     # inet6_rtm_getroute(): RTA_SRC, "from ::"
    # rt_fill_info(): the flow's mark when not 0, RTA_UID only when one was asked
    # (an input route's uid is INVALID_UID otherwise)
    view = RouteView(cloned=True, src_addr=src_addr, uid=uid, mark=mark,
                     cache_flags=cache, get_table=table, iif=iif.name,
                     rt_offload_failed=route.type == RTN.MULTICAST, **extra)
    # rt_fill_info(): RTA_MARK of the input flow (inet_rtm_getroute()'s fl4.flowi4_mark);
    # rt6_fill_node() has none
    view.mark = mark if route.dst.version == 4 else 0
    return _print_get(ctx, opts, ns, route, view)


def _profile_view(ctx: ToolContext, view: RouteView) -> RouteView:
    """What the tool version changes in a lookup's line (profile data)."""
    if view.uid is not None and not ctx.profile["route_get_uid"]:
        view.uid = None
    view.src_sep = ctx.profile["route_get_src_sep"][1:]
    return view


def _print_fib_match(ctx: ToolContext, opts: IpOptions, ns, route: Route,
                     iif: str | None = None) -> int:
    """The matched FIB entry, printed as `ip route show` prints it."""
    if route.family == 4 and route.table == TABLE_LOCAL and not ns.fib_has_custom_rules:
        # fib_dump_info() with res.table's id: local's entries live in main's trie
        # until a rule unmerges them (fib_unmerge()), so they answer as main's
        route = replace(route, table=TABLE_MAIN)
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    print_route(p, ns.route_msg(route), ll_map(opts, ns),
                _profile_view(ctx, RouteView(details=opts.details, iif=iif)))
    p.end()
    ctx.term.out(p.text())
    return 0


def _print_get(ctx: ToolContext, opts: IpOptions, ns, result: Route, view: RouteView) -> int:
    # print_route() with -d: the answer's type and table too (`unicast ... table main`)
    view.details = opts.details
    if opts.stats and not view.users and (result.dst.version == 6 or view.iif):
        # rtnl_put_cacheinfo()'s rta_clntref (-s): an IPv6 answer (rt6_fill_node() of
        # the per-cpu copy, which its slot and the request's skb hold) and an IPv4
        # input route (nhc_rth_input and the skb) show `users 2` (recorded, case
        # fuzz41_route_get_stats_users)
        view.users = 2
    view = _profile_view(ctx, view)
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    print_route(p, ns.route_msg(result), ll_map(opts, ns), view)
    p.end()
    ctx.term.out(p.text())
    return 0


def _host_network(address):
    """The /32 or /128 of an address (ip_network(address) would print and re-read it)."""
    if address.version == 4:
        return ipv4_network(int(address), 32)
    return ipaddress.IPv6Network((int(address), 128))


# resolve_for_display() without a source its caller picked already
_UNPICKED = object()


def route_encap(ns, route: Route):
    from ipemu.kernel.nexthop import route_encap as nh_route_encap
    return nh_route_encap(ns, route)


def resolve_for_display(ns, route: Route, table: int, address, src, oif, picked=_UNPICKED):
    """What rt_fill_info() reports for a lookup: local routes go out on lo, the
    source is the route's preferred source or a selected address (`picked`: that
    answer, when the caller has it for the same route and device)."""
    fam = address.version
    lo = ns.by_index(LOOPBACK_IFINDEX)
    if fam == 6:
        dev = ns.by_index(route.oif)
        prefsrc = None
        if route.type != RTN.LOCAL or address not in ns.local_addresses():
            # ip6_route_get_saddr() -> ipv6_dev_get_saddr() on the route's own device:
            # a local route for a prefix (`ip route add local P dev lo`) answers for
            # addresses the host does not hold from that device's (lo: ::1); a
            # nexthop group's is its first member's (fib6_info_nh_dev():
            # nexthop_fib6_nh() of a group), whichever member the flow takes
            src_dev = dev
            if route.nhid is not None and route.nexthops:
                src_dev = ns.by_index(route.nexthops[0].oif) or dev
            # ...unless the route has a preferred source (`src`): ip6_route_get_saddr()
            # answers fib6_prefsrc, whatever the address rules would pick (recorded:
            # a deprecated, relabelled prefsrc beside a home address still shows)
            prefsrc = route.prefsrc if route.prefsrc is not None else \
                ns.select_source(src_dev, address)
        else:
            prefsrc = address
        if route.type in (RTN.LOCAL, RTN.ANYCAST):
            dev = lo        # ip6_rt_copy_init(): local and anycast deliver through lo
        result = Route(dst=_host_network(address), table=table, type=route.type,
                       protocol=route.protocol, gateway=route.gateway,
                       oif=dev.ifindex if dev else None, prefsrc=prefsrc,
                       priority=route.priority, pref=route.pref,
                       encap=route_encap(ns, route))
        # rt6_fill_node() of an exception (RTF_CACHE): its expires and mtu metric,
        # and a redirect's gateway (none when it sent us to dest on the link)
        fnhe = ns.nh_exception(address) if route.type == RTN.UNICAST else None
        if fnhe is not None and fnhe["gw"]:
            result.gateway = ipaddress.IPv6Address(fnhe["gw"])
        elif fnhe is not None and fnhe.get("onlink"):
            result.gateway = None
        # rt6_fill_node(): the metrics are the route's (dst_metrics_ptr() of the clone)
        extra = _exception_view(fnhe, route.metrics)
        extra.pop("cache_flags", None)
        view = RouteView(cloned=True, src_addr=src.address if src else ipaddress.IPv6Address("::"),
                         get_table=table, rtf_cache=fnhe is not None, **extra)
        return result, view
    cache: tuple[str, ...] = ()
    if route.type == RTN.LOCAL:
        dev = lo
        cache = ("local",)
        # a local route without a preferred source answers from the address itself
        prefsrc = route.prefsrc or address
    elif route.type == RTN.BROADCAST:
        dev = ns.by_index(route.oif)
        cache = ("local", "brd")
        # fib_select_path() -> FIB_RES_PREFSRC(): the route's prefsrc, else
        # inet_select_addr(dev, 0, fib_scope) (fib_info_update_nhc_saddr()): a
        # broadcast route added without `src` (scope link) answers from the device's
        # first primary address
        prefsrc = route.prefsrc or ns.select_source(dev, ipaddress.IPv4Address(0))
    else:
        dev = ns.by_index(route.oif)
        prefsrc = picked if picked is not _UNPICKED else \
            route.prefsrc or ns.select_source(dev, nh_gw4(route.gateway, address))
        if dev is not None and dev.ifindex == LOOPBACK_IFINDEX:
            cache = ("local",)      # __mkroute_output(): out of a loopback, RTCF_LOCAL
    if src is not None:
        prefsrc = None
    # rt_set_nexthop(): the gateway only when its nexthop's scope is link; one that is
    # our own address resolved to a local route (scope host: fib_check_nh_v4_gw())
    gateway = route.gateway
    if gateway is not None and gateway.version == 4 and \
            ns.inet_gw_local(gateway, ns.by_index(route.oif)):
        gateway = None
    # rt_set_nexthop(): dst.tclassid from the nexthop's nh_tclassid (RTA_FLOW)
    result = Route(dst=_host_network(address), table=table, type=route.type,
                   gateway=gateway, oif=dev.ifindex if dev else None, prefsrc=prefsrc,
                   flow=route.flow, encap=route_encap(ns, route))   # rt_fill_info()
    # rt_fill_info(): rtm_tos is the dscp of the FIB entry found (res->dscp)
    result.tos = route.tos
    fnhe = ns.nh_exception(address) if route.type == RTN.UNICAST else None
    if fnhe is not None and fnhe["gw"]:
        result.gateway = ipaddress.IPv4Address(fnhe["gw"])
    extra = _exception_view(fnhe, route.metrics)
    view = RouteView(cloned=True, src_addr=src.address if src else None, uid=0,
                     cache_flags=cache + extra.pop("cache_flags", ()), get_table=table,
                     **extra)
    return result, view
