"""`ip rule`: list, add, delete, flush, save, restore (iproute2 ip/iprule.c).

Requests go to the kernel as RuleMsg (fib_rule_hdr plus the attributes given); the
kernel (NetNamespace.add_rule / delete_rule) applies fib_rules.c's defaults and
matching. Listing filters a dump of one family the way iprule.c's filter_nlmsg does.
"""
from __future__ import annotations

import ipaddress
import re

from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import TABLE_MAIN, Proto
from ipemu.kernel.fib_rules import FRAct, Rule, RuleMsg, rule_msg
from ipemu.plainclass import dataclass
from ipemu.render.names import (DSFIELD, dsfield_n2a, ntop, proto_a2n, proto_name, rtn_type_name,
                                 table_a2n, table_name)
from ipemu.profiles import Profile
from ipemu.render.printer import Printer
from ipemu.syntax import keyword
from ipemu.tcpdump.names import PROTO_BY_NAME, PROTOCOLS
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ipargs import (EXIT_ARG, Args, Prefix, check_ifname, get_integer, get_prefix,
                                get_u64, get_unsigned, group_a2n, invarg, matches,
                                parse_addr_1)
from ipemu.tools.rtnl import talk_error

# /etc/iproute2/group
GROUPS = {0: "default"}


RTN_NAT = 10             # rtnetlink.h: the action `nat`/`map-to` rules carry


def _ifname(value: str, what: str) -> str:
    """An iif/oif/dev argument: any valid interface name (it need not exist)."""
    if not check_ifname(value):
        raise invarg(f"{what} not a valid ifname", value)
    return value

def usage(profile: Profile) -> CommandError:
    """iprule.c usage(): the profile's text on stderr, exit(-1)."""
    return usage_error("ip_rule", profile)


def _realm(realm: int, numeric: bool) -> str:
    """rtnl_rtrealm_n2a(): Debian's /etc/iproute2/rt_realms names only 0, cosmos."""
    return "cosmos" if realm == 0 and not numeric else str(realm)


def do_iprule(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    if not argv:
        return list_or_flush(ctx, opts, [])
    cmd, rest = argv[0], argv[1:]
    kw = keyword(cmd)
    if kw == "list" or kw == "lst" or kw == "show":
        return list_or_flush(ctx, opts, rest)
    if kw == "save":
        return _save(ctx, opts, rest)
    if kw == "restore":
        return _restore(ctx)
    if kw == "add":
        return modify(ctx, opts, rest, add=True)
    if kw == "delete":
        return modify(ctx, opts, rest, add=False)
    if kw == "flush":
        return list_or_flush(ctx, opts, rest, flush=True)
    if kw == "help":
        raise usage(ctx.profile)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip rule help".\n', EXIT_ARG)


def _save(ctx: ToolContext, opts: IpOptions, rest: list[str]) -> int:
    """iprule_list_flush_or_save(IPRULE_SAVE): no selectors; save_rule_prep() refuses
    a terminal and writes the magic; then each rule of the family (inet unless -6) as
    the dump brought it (save_rule())."""
    from ipemu.kernel.wire import rtnl
    from ipemu.output import decode
    if rest:
        raise CommandError('"ip rule save" does not take any arguments.\n', 1)
    if getattr(ctx.session, "stdout_tty", False):
        raise CommandError("Not sending a binary stream to stdout\n", 1)
    family = 6 if opts.family == 6 else 4
    clock = ctx.host.clock
    seq = int(getattr(clock, "epoch", 0) + clock.now) + 1     # rtnl_open()'s time(NULL)
    pid = getattr(ctx.session, "pid", 0) or 0
    ns = ctx.netns
    data = rtnl.RULE_DUMP_MAGIC.to_bytes(4, "little") + b"".join(
        rtnl.rule_bytes(rule, seq, pid, ns.rule_status(rule))
        for rule in ns.rules[family])
    ctx.term.out(decode(data))
    return 0


def _restore(ctx: ToolContext) -> int:
    """iprule_restore(): rule_dump_check_magic() (a terminal, the magic), then
    rtnl_from_file() with restore_handler(): each rule sent back with NLM_F_CREATE
    and no NLM_F_EXCL, so a rule there already is there twice (a saved rule at
    priority 0 carries none: it takes the default priority again)."""
    from ipemu.kernel.wire import rtnl
    from ipemu.tools.rtnl import read_dump
    for raw in read_dump(ctx.stdin, rtnl.RULE_DUMP_MAGIC, "rule", EXIT_ARG):
        if isinstance(raw, str):
            ctx.term.err(raw)
            return EXIT_ARG
        msg = rtnl.rule_from_bytes(raw)
        if msg is None:
            continue
        try:
            ctx.netns.add_rule(msg, excl=False)
        except KernelError as err:
            if err.errno != Errno.EEXIST:
                ctx.term.err(talk_error(err).message)
                return EXIT_ARG
    return 0


# ------------------------------------------------------------------ names
def dsfield_a2n(text: str) -> int | None:
    """rtnl_dsfield_a2n(): a name of rt_dsfield, else hexadecimal up to 255."""
    for value, name in DSFIELD.items():
        if name == text:
            return value
    body = text[2:] if text[:2].lower() == "0x" else text
    try:
        value = int(body, 16) if body and body.strip() == body and body[0] not in "+-" else None
    except ValueError:
        return None
    return value if value is not None and value <= 255 else None


def hex0(value: int) -> str:
    """printf's %#llx: 0 has no 0x."""
    return hex(value) if value else "0"


def _interface(pfx: Prefix):
    return ipaddress.ip_interface((pfx.address, pfx.bitlen))


def _scan_uints(text: str, bits: int) -> list[int]:
    """sscanf(text, "%u-%u") (or %hu): the numbers read before the first mismatch,
    each cut to `bits` as the C conversion stores it."""
    out = []
    for i, part in enumerate(re.match(r"(?a)\s*([+-]?\d+)(?:-\s*([+-]?\d+))?", text).groups()
                             if re.match(r"(?a)\s*[+-]?\d", text) else ()):
        if part is None:
            break
        out.append(int(part) % (1 << bits))
    return out


def _uid_range(value: str) -> tuple[int, int]:
    """iprule.c: `uidrange START-END`, both required."""
    nums = _scan_uints(value, 32)
    if len(nums) != 2:
        raise invarg("invalid UID range\n", value)
    return nums[0], nums[1]


def _port_range(value: str, which: str) -> tuple[int, int]:
    """iprule.c: `sport|dport N` or `N-M` (%hu: a number cut to 16 bits)."""
    nums = _scan_uints(value, 16)
    if not nums:
        raise invarg("invalid port range\n" if which == "sport" else "invalid dport range\n",
                     value)
    return (nums[0], nums[0]) if len(nums) == 1 else (nums[0], nums[1])


def _ipproto(value: str) -> int:
    """inet_proto_a2n(): a number up to 255, else a name of /etc/protocols."""
    number = get_unsigned(value)
    if number is not None and value.isdigit():
        if number > 255:
            raise invarg('Invalid "ipproto" value\n', value)
        return number
    if value in PROTO_BY_NAME:
        return PROTO_BY_NAME[value]
    raise invarg('Invalid "ipproto" value\n', value)


def _fwmark(value: str) -> tuple[int, int | None]:
    mark_text, slash, mask_text = value.partition("/")
    mark = get_unsigned(mark_text)
    if mark is None:
        raise invarg("fwmark value is invalid\n", mark_text)
    mask = None
    if slash:
        mask = get_unsigned(mask_text)
        if mask is None:
            raise invarg("fwmask value is invalid\n", mask_text)
    return mark, mask


# ------------------------------------------------------------------ add / del
def parse_modify(args: Args, family: int, add: bool, profile: Profile,
                 warn=None) -> RuleMsg:
    """iprule_modify()'s argument loop, in its keyword order; `warn` takes what it
    prints on stderr as it goes."""
    msg = RuleMsg(family=family, action=FRAct.TO_TBL if add else FRAct.UNSPEC)
    table_ok = False
    while args:
        word = args.cur
        kw = keyword(word)          # grammar/ip.lark rule_attr
        if kw == "not":
            msg.invert = True
        elif kw == "from":
            msg.src = _interface(get_prefix(args.next_arg(), family))
        elif kw == "to":
            msg.dst = _interface(get_prefix(args.next_arg(), family))
        elif kw in ("preference", "order", "priority"):
            value = args.next_arg()
            pref = get_unsigned(value)
            if pref is None:
                raise invarg("preference value is invalid\n", value)
            msg.priority = pref
        elif kw in ("tos", "dsfield"):
            value = args.next_arg()
            tos = dsfield_a2n(value)
            if tos is None:
                raise invarg("TOS value is invalid\n", value)
            msg.tos = tos
        elif kw == "fwmark":
            msg.fwmark, msg.fwmask = _fwmark(args.next_arg())
        elif kw == "realms":
            # iprule_modify(): get_rt_realms_or_raw() as FRA_FLOW
            value = args.next_arg()
            from ipemu.tools.ip_route import rt_realms
            flow = rt_realms(value)
            if flow is None:
                raise invarg("invalid realms\n", value)
            msg.flow = flow
        elif kw == "protocol":
            value = args.next_arg()
            proto = proto_a2n(value)
            if proto is None:
                raise invarg('"protocol" value is invalid\n', value)
            msg.protocol = proto
        elif kw == "tun_id":
            # iprule_modify(): get_be64(), sent as FRA_TUN_ID (kept here in host order)
            value = args.next_arg()
            tun_id = get_u64(value)
            if tun_id is None:
                raise invarg('"tun_id" value is invalid\n', value)
            msg.tun_id = tun_id
        elif kw in ("table", "lookup"):
            value = args.next_arg()
            table = table_a2n(value)
            if table is None:
                raise invarg("invalid table ID\n", value)
            msg.table = table
            table_ok = True
        elif kw in ("suppress_prefixlength", "sup_pl"):
            value = args.next_arg()
            plen = get_integer(value)
            if plen is None or plen < 0:
                raise invarg("suppress_prefixlength value is invalid\n", value)
            msg.suppress_prefixlen = plen
        elif kw in ("suppress_ifgroup", "sup_group"):
            value = args.next_arg()
            group = group_a2n(value)
            if group is None:
                raise invarg('Invalid "suppress_ifgroup" value\n', value)
            msg.suppress_ifgroup = group
        elif kw in ("dev", "iif"):
            msg.iifname = _ifname(args.next_arg(), '"iif"/"dev"')
        elif kw == "oif":
            msg.oifname = _ifname(args.next_arg(), '"oif"')
        elif kw == "uidrange":
            msg.uid_range = _uid_range(args.next_arg())
        elif word == "l3mdev":          # strcmp()
            msg.l3mdev = True
            table_ok = True
        elif word == "nat" or matches(word, "map-to"):
            # iprule_modify(): RTN_NAT with the address as RTA_GATEWAY, which
            # fib_nl2rule() ignores (so a dump shows " masquerade"); a lookup that
            # reaches the rule ends in EINVAL (fib4_rule_action())
            value = args.next_arg()
            if warn is not None:
                warn("Warning: route NAT is deprecated\n")
            if parse_addr_1(value, 4) is None:
                raise CommandError(
                    f'Error: an IP address is expected rather than "{value}"\n', 1)
            msg.action = RTN_NAT
        elif kw == "ipproto":
            msg.ip_proto = _ipproto(args.next_arg())
        elif kw in ("sport", "dport"):
            setattr(msg, kw, _port_range(args.next_arg(), kw))
        else:
            if kw == "type":
                word = args.next_arg()
                kw = keyword(word)
            if kw == "help":
                raise usage(profile)
            if kw == "goto":
                value = args.next_arg()
                target = get_unsigned(value)
                if target is None:
                    raise invarg("invalid target\n", value)
                msg.action = FRAct.GOTO
                msg.goto = target
            elif kw == "nop":
                msg.action = FRAct.NOP
            else:
                kind = rtntype_a2n(word)
                if kind is None:
                    raise invarg("Failed to parse rule type", word)
                msg.action = kind
            table_ok = True
        args.advance()
    if msg.l3mdev and msg.table:
        raise CommandError("table can not be specified for l3mdev rules\n", 22)
    if not msg.family:
        msg.family = 4
    if not table_ok and add:
        msg.table = TABLE_MAIN
    return msg


def rtntype_a2n(text: str) -> int | None:
    """rtm_map.c rtnl_rtntype_a2n(): whole words, prefixes, or a number up to 255."""
    if text == "local":
        return 2
    if text == "nat":
        return 10
    if matches(text, "broadcast") or text == "brd":
        return 3
    for name, value in (("anycast", 4), ("multicast", 5), ("prohibit", 8),
                        ("unreachable", 7), ("blackhole", 6), ("xresolve", 11),
                        ("unicast", 1)):
        if matches(text, name):
            return value
    if text == "throw":
        return 9
    value = get_unsigned(text)
    return value if value is not None and value <= 255 else None


def modify(ctx: ToolContext, opts: IpOptions, argv: list[str], add: bool,
           family: int | None = None) -> int:
    if not argv:
        what = "add" if add else "del"
        raise CommandError(f'"ip rule {what}" requires arguments.\n', 1)
    # (`ip -0`: frh_family AF_PACKET, whose prefixes get_prefix() refuses and whose
    # rules the kernel has no ops for; `ip mrule`: RTNL_FAMILY_IPMR/IP6MR, the same)
    if family is None:
        family = opts.family if opts.family in (4, 6, 17) else 0
    msg = parse_modify(Args(argv), family, add, ctx.profile, warn=ctx.term.err)
    try:
        if add:
            ctx.netns.add_rule(msg)
        else:
            ctx.netns.delete_rule(msg)
    except KernelError as err:
        raise talk_error(err)
    return 0


# ------------------------------------------------------------------ list / flush
@dataclass
class RuleFilter:
    """iprule.c's `filter`: None where the selector was not given."""
    priority: int | None = None
    invert: bool = False
    tos: int | None = None
    fwmark: int = 0
    fwmask: int = 0
    iif: str | None = None
    oif: str | None = None
    table: int = 0
    src: Prefix | None = None
    dst: Prefix | None = None
    protocol: int | None = None      # flush only; "all" leaves it None
    uid_range: tuple[int, int] | None = None
    l3mdev: bool = False
    ip_proto: int = 0
    tun_id: int = 0             # 0: no filter (filter_nlmsg() tests `filter.tun_id`)
    sport: tuple[int, int] | None = None
    dport: tuple[int, int] | None = None


def parse_filter(args: Args, family: int) -> RuleFilter:
    """iprule_list_flush_or_save()'s argument loop."""
    f = RuleFilter()
    while args:
        word = args.cur
        kw = keyword(word)          # grammar/ip.lark rule_filter
        if kw in ("preference", "order", "priority"):
            value = args.next_arg()
            pref = get_unsigned(value)
            if pref is None:
                raise invarg("preference value is invalid\n", value)
            f.priority = pref
        elif kw == "not":
            f.invert = True
        elif kw in ("tos", "dsfield"):
            value = args.next_arg()
            tos = dsfield_a2n(value)
            if tos is None:
                raise invarg("TOS value is invalid\n", value)
            f.tos = tos
        elif kw == "fwmark":
            f.fwmark, mask = _fwmark(args.next_arg())
            f.fwmask = mask or 0
        elif kw in ("dev", "iif"):
            f.iif = _ifname(args.next_arg(), '"iif"/"dev"')
        elif kw == "oif":
            f.oif = _ifname(args.next_arg(), '"oif"')
        elif kw == "uidrange":
            f.uid_range = _uid_range(args.next_arg())
        elif word == "l3mdev":
            f.l3mdev = True
        elif kw == "tun_id":
            value = args.next_arg()
            tun_id = get_u64(value)
            if tun_id is None:
                raise invarg('"tun_id" value is invalid\n', value)
            f.tun_id = tun_id
        elif kw in ("lookup", "table"):
            value = args.next_arg()
            table = table_a2n(value)
            if table is None:
                raise invarg("table id value is invalid\n", value)
            f.table = table
        elif kw in ("from", "src"):
            f.src = get_prefix(args.next_arg(), family)
        elif kw == "protocol":
            value = args.next_arg()
            proto = proto_a2n(value)
            if proto is None and value != "all":
                raise invarg('invalid "protocol"\n', value)
            f.protocol = proto
        elif kw == "ipproto":
            f.ip_proto = _ipproto(args.next_arg())
        elif kw in ("sport", "dport"):
            setattr(f, kw, _port_range(args.next_arg(), kw))
        else:
            if kw in ("dst", "to"):
                word = args.next_arg()
            f.dst = get_prefix(word, family)
        args.advance()
    return f


def _prefix_selects(want: Prefix | None, have) -> bool:
    """filter_nlmsg() on from/to: the rule's prefix is at least as long as the
    filter's and agrees with it on the filter's bits (inet_addr_match)."""
    if want is None:
        return True
    plen = have.network.prefixlen if have is not None else 0
    if want.bitlen > plen:
        return False
    if have is None or want.bitlen <= 0:
        return True
    shift = have.max_prefixlen - want.bitlen
    return int(have.ip) >> shift == int(want.address) >> shift


def _selected(rule: Rule, f: RuleFilter) -> bool:
    if f.priority is not None and rule.priority != f.priority:
        return False
    if f.invert and not rule.invert:
        return False
    if not (_prefix_selects(f.src, rule.src) and _prefix_selects(f.dst, rule.dst)):
        return False
    if f.tos is not None and rule.tos != f.tos:
        return False
    if f.fwmark and rule.mark != f.fwmark:
        return False
    if f.fwmask and rule.mark_mask != f.fwmask:
        return False
    if f.iif is not None and rule.iifname != f.iif:
        return False
    if f.oif is not None and rule.oifname != f.oif:
        return False
    if f.l3mdev and not rule.l3mdev:
        return False
    if f.uid_range is not None and rule.uid_range != f.uid_range:
        return False
    if f.ip_proto and rule.ip_proto != f.ip_proto:
        return False
    if f.tun_id and rule.tun_id != f.tun_id:
        return False
    # filter_nlmsg(): a port filter counts when its start is not 0
    for want, have in ((f.sport, rule.sport), (f.dport, rule.dport)):
        if want is not None and want[0] and have != want:
            return False
    return not (f.table and rule.table != f.table)


def list_or_flush(ctx: ToolContext, opts: IpOptions, argv: list[str],
                  flush: bool = False, family: int | None = None) -> int:
    if opts.family in (28, 17, 7) and not flush:
        # fib_nl_dumprule(): AF_MPLS, AF_PACKET (-0) and AF_BRIDGE have no
        # fib_rules_ops (lookup_rules_ops()); iprule_list_flush_or_save() returns -1
        # after "Dump terminated", and under -j the array new_json_obj() began is
        # flushed at exit (recorded: `[` after the error lines)
        from ipemu.tools.rtnl import dump_error
        message = dump_error(KernelError(Errno.EAFNOSUPPORT)).message
        if not opts.json:
            raise CommandError(message, 255)
        ctx.term.err(message)
        ctx.term.out("[ " if opts.pretty else "[")    # (recorded: pretty adds a blank)
        return 255
    if family is None:
        family = 6 if opts.family == 6 else 4
    else:
        from ipemu.kernel.fib_rules import mr_rules
        mr_rules(ctx.netns, family)
    f = parse_filter(Args(argv), family)
    ns = ctx.netns
    selected = [r for r in list(ns.rules[family]) if _selected(r, f)]
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    if flush:
        for rule in selected:
            # flush_rule(): rules at priority 0 carry no FRA_PRIORITY and stay
            if not rule.priority:
                continue
            if f.protocol is not None and rule.protocol != f.protocol:
                continue
            try:
                ns.delete_rule(rule_msg(rule))
            except KernelError as err:
                raise talk_error(err)
    else:
        for rule in selected:
            print_rule(p, ns, rule, opts.details, numeric=opts.numeric)
    p.end()
    ctx.term.out(p.text())
    return 0


def print_rule(p: Printer, ns, rule: Rule, details: int = 0, deleted: bool = False,
               numeric: bool = False) -> None:
    """iprule.c print_rule(): one line per rule, text and JSON from the same calls."""
    status = ns.rule_status(rule)
    host_len = 32 if rule.family == 4 else 128
    p.open_object()
    if deleted:
        p.any("deleted", "Deleted ", True)
    p.any("priority", "%u:\t", rule.priority)
    if rule.invert:
        p.any("not", "not ", None)
    color = "inet" if rule.family == 4 else "inet6"     # ifa_family_color()
    if rule.src is not None:
        p.fp("from ")
        p.color_any(color, "src", "%s", ntop(rule.src.ip))
        if rule.src.network.prefixlen != host_len:
            p.any("srclen", "/%u", rule.src.network.prefixlen)
    else:
        p.any("src", "from %s", "all")
    if rule.dst is not None:
        p.fp(" to ")
        p.color_any(color, "dst", "%s", ntop(rule.dst.ip))
        if rule.dst.network.prefixlen != host_len:
            p.any("dstlen", "/%u", rule.dst.network.prefixlen)
    if rule.tos:
        p.any("tos", " tos %s", dsfield_n2a(rule.tos))
    if rule.mark or rule.mark_mask:
        p.any("fwmark", " fwmark %s", hex0(rule.mark))
        # fib_nl_fill_rule() puts FRA_FWMASK for any mask but 0xffffffff, and
        # print_rule() prints it beside FRA_FWMARK even when it is 0 (`fwmark 0x10/0`)
        if rule.mark_mask != 0xFFFFFFFF:
            p.any("fwmask", "/%s", hex0(rule.mark_mask))
    for key, name in (("iif", rule.iifname), ("oif", rule.oifname)):
        if name:
            # print_rule(): print_color_string(PRINT_ANY, COLOR_IFNAME, "iif"/"oif", ...)
            p.fp(f" {key} ")
            p.color_any("ifname", key, "%s", name)
            if status[f"{key}_detached"]:
                p.any(f"{key}_detached", " [detached]", None)
    if rule.l3mdev:
        p.any("l3mdev", " lookup [l3mdev-table]", None)
    if rule.uid_range is not None:
        p.any("uid_start", " uidrange %u", rule.uid_range[0])
        p.any("uid_end", "-%u", rule.uid_range[1])
    if rule.ip_proto:
        p.any("ipproto", " ipproto %s", PROTOCOLS.get(rule.ip_proto, f"ipproto-{rule.ip_proto}"))
    for key, rng in (("sport", rule.sport), ("dport", rule.dport)):
        if rng is None:
            continue
        if rng[0] == rng[1]:
            p.any(key, f" {key} %u", rng[0])
        else:
            p.any(f"{key}_start", f" {key} %u", rng[0])
            p.any(f"{key}_end", "-%u", rng[1])
    if rule.tun_id:
        p.any("tun_id", " tun_id %u", rule.tun_id)      # print_u64(): ntohll(FRA_TUN_ID)
    if rule.table:
        # rtnl_rttable_n2a(): -N prints the number
        p.any("table", " lookup %s", str(rule.table) if numeric else table_name(rule.table))
        if rule.suppress_prefixlen != -1:
            p.any("suppress_prefixlen", " suppress_prefixlength %d", rule.suppress_prefixlen)
        if rule.suppress_ifgroup != -1:
            p.any("suppress_ifgroup", " suppress_ifgroup %s",
                  GROUPS.get(rule.suppress_ifgroup, str(rule.suppress_ifgroup)))
    if rule.flow:
        # print_rule(): FRA_FLOW as `realms [FROM/]TO`, FROM only when non-zero
        from_, to = rule.flow >> 16, rule.flow & 0xFFFF
        p.fp(" realms ")
        if from_:
            p.any("flow_from", "%s/", _realm(from_, numeric))
        p.any("flow_to", "%s", _realm(to, numeric))
    if rule.action == FRAct.GOTO:
        p.any("goto", " goto %u", rule.target)
        if status["unresolved"]:
            p.any("unresolved", " [unresolved]", None)
    elif rule.action == FRAct.NOP:
        p.any("nop", " nop", None)
    elif rule.action == RTN_NAT:
        # print_rule(): the kernel keeps no gateway, so never " map-to ADDR"
        p.any("masquerade", " masquerade", None)
    elif rule.action != FRAct.TO_TBL:
        p.any("action", " %s", str(rule.action) if numeric else rtn_type_name(rule.action))
    if (rule.protocol and rule.protocol != Proto.KERNEL) or details:
        p.any("protocol", " proto %s",
              str(rule.protocol) if numeric else proto_name(rule.protocol))
    p.fp("\n")
    p.close_object()
