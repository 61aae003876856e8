"""`ip address`: add, change, replace, delete, show, flush (iproute2 ip/ipaddress.c),
and the link listing that `ip link show` shares with it."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel import Later
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import IFF
from ipemu.plainclass import dataclass
from ipemu.kernel.records import LinkMsg
from ipemu.render.link import LinkCache, ShowOptions, print_link, print_stats
from ipemu.render.printer import Printer
from ipemu.syntax import keyword
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ipargs import (EXIT_ARG, Args, Prefix, duparg, duparg2, get_addr, get_prefix,
                                get_unsigned, group_a2n, invarg, matches)
from ipemu.tools.rtnl import talk_error

# an address's flags (ipemu/kernel/records_more.py: `ip link show` needs none of it)
IFA_F = Later("ipemu.kernel.records_more", "IFA_F", globals())
TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:           # annotations only
    from ipemu.kernel.records_more import AddrMsg

# the address printer and names, loaded by the first address printed or parsed
ifa_flag_names = Later("ipemu.render.addr", "ifa_flag_names", globals())
print_addr = Later("ipemu.render.addr", "print_addr", globals())
scope_a2n = Later("ipemu.render.names", "scope_a2n", globals())
# loaded by the first request (`ip link show`, a dump, sends none)
NLM_F = Later("ipemu.kernel.requests", "NLM_F", globals())
AddrRequest = Later("ipemu.kernel.requests", "AddrRequest", globals())
Scope = Later("ipemu.kernel.fib", "Scope", globals())

FLAG_NAMES = ["secondary", "temporary", "nodad", "optimistic", "dadfailed", "home",
              "deprecated", "tentative", "permanent", "mngtmpaddr", "noprefixroute",
              "autojoin", "stable-privacy"]
READONLY_FLAGS = {"secondary", "temporary", "dadfailed", "deprecated", "tentative", "permanent",
                  "stable-privacy"}
V6ONLY_FLAGS = {"nodad", "optimistic", "dadfailed", "home", "deprecated", "tentative",
                "permanent", "mngtmpaddr", "stable-privacy"}


def do_ipaddr(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    if not argv:
        return list_or_flush(ctx, opts, [])
    cmd = argv[0]
    kw = keyword(cmd)
    if kw == "add":
        return modify(ctx, opts, argv[1:], "add")
    if kw == "change" or kw == "chg":
        return modify(ctx, opts, argv[1:], "change")
    if kw == "replace":
        return modify(ctx, opts, argv[1:], "replace")
    if kw == "delete":
        return modify(ctx, opts, argv[1:], "delete")
    if kw == "list" or kw == "show" or kw == "lst":
        return list_or_flush(ctx, opts, argv[1:])
    if kw == "flush":
        return list_or_flush(ctx, opts, argv[1:], flush=True)
    if kw == "save":
        raise CommandError("Not sending a binary stream to stdout\n", 1)
    if kw == "help":
        raise usage_error("ip_address", ctx.profile)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip address help".\n', EXIT_ARG)


# ------------------------------------------------------------------ modify
def modify(ctx: ToolContext, opts: IpOptions, argv: list[str], mode: str) -> int:
    """ipaddr_modify(): parse, then one RTM_NEWADDR / RTM_DELADDR."""
    import ipaddress        # here: `ip link show` (and a dump) needs no address parsed
    family = opts.family if opts.family in (4, 6) else 0
    args = Args(argv)
    dev_name = label = None
    local: Prefix | None = None
    peer: Prefix | None = None
    brd_mode = None
    broadcast = None
    scope = None
    metric = 0
    flags: set[str] = set()
    lifetimes = {}
    anycast = None
    while args:
        word = args.cur
        kw = keyword(word)
        if kw in ("peer", "remote"):
            value = args.next_arg()
            # peer_len is the address's byte length: none for "default" of no family
            if peer is not None and not (peer.is_default and not peer.family):
                raise duparg("peer", value)
            peer = get_prefix(value, family)
            family = family or peer.family
        elif kw == "broadcast" or kw == "brd":
            value = args.next_arg()
            if brd_mode is not None:
                raise duparg("broadcast", value)
            if value in ("+", "-"):
                brd_mode = value
            else:
                broadcast = get_addr(value, family)
                family = family or broadcast.family
                brd_mode = "addr"
        elif kw == "anycast":
            value = args.next_arg()
            if anycast is not None:
                raise duparg("anycast", value)
            anycast = get_addr(value, family)
            family = family or anycast.family
        elif kw == "scope":
            value = args.next_arg()
            scope = scope_a2n(value)
            if scope is None:
                raise invarg("invalid scope value.", value)
        elif kw == "dev":
            dev_name = args.next_arg()
        elif kw == "label":
            label = args.next_arg()
        elif kw == "metric" or kw == "priority" or kw == "preference":
            value = args.next_arg()
            metric = get_unsigned(value)
            if metric is None:
                raise invarg('"metric" value is invalid\n', value)
        elif kw == "valid_lft" or kw == "preferred_lft":
            key = "valid_lft" if kw == "valid_lft" else "preferred_lft"
            if key in lifetimes:
                raise duparg(key, word)
            value = args.next_arg()
            life = 0xFFFFFFFF if value == "forever" else get_unsigned(value)
            if life is None:
                raise invarg(f"{key} value", value)
            lifetimes[key] = life
        elif kw in FLAG_NAMES:
            if word in READONLY_FLAGS:
                ctx.term.err(f"Warning: {word} option is not mutable from userspace\n")
            elif word in V6ONLY_FLAGS and family != 6:
                ctx.term.err(f"Warning: {word} option can be set only for IPv6 addresses\n")
            else:
                flags.add(word)
        else:
            if kw == "local":
                word = args.next_arg()
            if matches(word, "help"):   # the value after `local` too, as iproute2 does
                raise usage_error("ip_address", ctx.profile)
            # local_len is the address's byte length: none for "default" of no family
            if local is not None and not (local.is_default and not local.family):
                raise duparg2("local", word)
            local = get_prefix(word, family)
            family = family or local.family
        args.advance()
    if dev_name is None:
        raise CommandError('Not enough information: "dev" argument is required.\n', 1)
    wildcard = False
    if peer is None and local is not None:
        if mode == "delete" and local.family == 4 and not local.prefixlen_given:
            ctx.term.err(
                "Warning: Executing wildcard deletion to stay compatible with old scripts.\n"
                f"         Explicitly specify the prefix length ({argv_local(argv)}/32) to avoid "
                "this warning.\n"
                "         This special behaviour is likely to disappear in further releases,\n"
                "         fix your scripts!\n")
            wildcard = True
    prefixlen = peer.bitlen if peer is not None else (local.bitlen if local else 0)
    if brd_mode in ("+", "-") and mode != "delete":
        if family != 4:
            raise CommandError("Broadcast can be set only for IPv4 addresses\n", 1)
        base = peer if peer is not None else local
        if base.bitlen <= 30:
            host = (1 << (32 - base.bitlen)) - 1
            value = int(base.address) | host if brd_mode == "+" else int(base.address) & ~host
            broadcast = Prefix(4, ipaddress.IPv4Address(value), 32, False)
    if scope is None and mode != "delete":
        scope = Scope.HOST if local is not None and local.family == 4 and \
            local.address.packed[0] == 127 else Scope.UNIVERSE
    dev = ctx.netns.getlink(dev_name)            # ll_name_to_index()
    if dev is None:
        raise CommandError(f'Cannot find device "{dev_name}"\n', 1)
    if lifetimes:
        valid = lifetimes.get("valid_lft", 0xFFFFFFFF)
        if not valid:
            raise CommandError("valid_lft is zero\n", 1)
        if valid < lifetimes.get("preferred_lft", 0xFFFFFFFF):
            raise CommandError("preferred_lft is greater than valid_lft\n", 1)
    if "autojoin" in flags and not (local is not None and local.address.is_multicast):
        raise CommandError("autojoin needs multicast address\n", 1)
    if local is not None and local.is_default and not local.family and peer is None:
        local = None        # no bytes: neither IFA_LOCAL nor IFA_ADDRESS, family 0
    if local is None and peer is not None and (family or peer.family) == 4 and \
            mode != "delete":
        # IFA_ADDRESS alone: rtm_to_ifaddr() wants IFA_LOCAL
        raise talk_error(KernelError(Errno.EINVAL, "ipv4: Local address is not supplied"))
    if local is None and peer is None:
        if family == 4 and mode != "delete":
            # rtm_to_ifaddr(): no IFA_LOCAL
            raise talk_error(KernelError(Errno.EINVAL, "ipv4: Local address is not supplied"))
        if family == 6:
            # inet6_rtm_newaddr() / inet6_rtm_deladdr(): extract_addr() finds none
            raise talk_error(KernelError(Errno.EINVAL))
        # family 0: rtnetlink has no handler for AF_UNSPEC (IPv4's delete of the first
        # address is not modelled)
        raise talk_error(KernelError(Errno.EOPNOTSUPP))
    local = local or peer
    address = None if wildcard else (peer or local).address
    req = AddrRequest(family=6 if family == 6 else 4, ifindex=dev.ifindex, prefixlen=prefixlen,
                      local=local.address, address=address,
                      broadcast=broadcast.address if broadcast is not None else None,
                      label=label, scope=scope or 0, metric=metric,
                      nodad="nodad" in flags, noprefixroute="noprefixroute" in flags,
                      home="home" in flags, mngtmpaddr="mngtmpaddr" in flags,
                      autojoin="autojoin" in flags,
                      flags=_modify_flags(mode),
                      valid_lft=lifetimes.get("valid_lft", 0xFFFFFFFF),
                      preferred_lft=lifetimes.get("preferred_lft", 0xFFFFFFFF))
    try:
        if mode == "delete":
            ctx.netns.del_addr(req)
        else:
            ctx.netns.new_addr(req)
    except KernelError as err:
        raise talk_error(err)
    return 0


# ipaddr_modify(): the flags each command sends (made on first use: a dump sends none)
MODIFY_FLAGS: dict = {}


def _modify_flags(mode: str):
    """NLM_F_REQUEST | NLM_F_ACK and the flags of `mode`."""
    if not MODIFY_FLAGS:
        MODIFY_FLAGS.update({"add": NLM_F.CREATE | NLM_F.EXCL, "change": NLM_F.REPLACE,
                             "replace": NLM_F.CREATE | NLM_F.REPLACE, "delete": NLM_F(0)})
    return NLM_F.REQUEST | NLM_F.ACK | MODIFY_FLAGS[mode]


def argv_local(argv: list[str]) -> str:
    for word in argv:
        if word[:1].isdigit():
            return word
    return argv[0] if argv else ""


# ------------------------------------------------------------------- listing
@dataclass
class AddrFilter:
    prefix: Prefix | None = None
    scope: int | None = None
    flags_set: frozenset = frozenset()
    flags_clear: frozenset = frozenset()
    up: bool = False
    label: str | None = None
    group: int | None = None
    master: int | None = None     # ifindex, or -1 for nomaster
    kind: str | None = None
    slave_kind: str | None = None
    dev: str | None = None

    @property
    def filters_addresses(self) -> bool:
        return bool(self.prefix or self.scope is not None or self.flags_set or
                    self.flags_clear or self.label)


def _flag_filter(word: str, f: AddrFilter) -> bool:
    """get_filter(): `secondary`, `-tentative`, `primary`, `dynamic`, ..."""
    inv = word.startswith("-")
    name = word[1:] if inv else word
    if name == "dynamic":
        inv, name = not inv, "permanent"
    elif name == "primary":
        inv, name = not inv, "secondary"
    if name not in FLAG_NAMES:
        return False
    # filter.flags and flagmask are bits: the last word about a bit wins, and
    # temporary is secondary's bit (IFA_F_TEMPORARY == IFA_F_SECONDARY)
    name = SAME_BIT.get(name, name)
    if inv:
        f.flags_set -= {name}
        f.flags_clear |= {name}
    else:
        f.flags_clear -= {name}
        f.flags_set |= {name}
    return True


SAME_BIT = {"temporary": "secondary"}


def parse_filter(ctx: ToolContext, args: Args, family: int) -> AddrFilter:
    f = AddrFilter()
    while args:
        word = args.cur
        kw = keyword(word)
        if kw == "to":
            value = args.next_arg()
            if family == 17:        # lib/utils.c get_prefix() with AF_PACKET (ip link)
                raise CommandError(f'Error: "{value}" may be inet prefix, but it is not '
                                   'allowed in this context.\n', 1)
            f.prefix = get_prefix(value, family)
        elif kw == "scope":
            value = args.next_arg()
            scope = scope_a2n(value)
            if scope is None:
                if value != "all":
                    raise invarg('invalid "scope"\n', value)
                scope = None
            f.scope = scope
        elif kw == "up":
            f.up = True
        elif _flag_filter(word, f):
            pass
        elif kw == "label":
            f.label = args.next_arg()
        elif kw == "group":
            value = args.next_arg()
            group = group_a2n(value)
            if group is None:
                raise invarg('Invalid "group" value\n', value)
            f.group = group
        elif kw == "master":
            value = args.next_arg()
            dev = ctx.netns.by_name(value)
            if dev is None:
                raise invarg("Device does not exist\n", value)
            f.master = dev.ifindex
        elif word == "vrf":
            value = args.next_arg()
            dev = ctx.netns.by_name(value)
            if dev is None or dev.vrf_table is None:     # name_is_vrf()
                raise invarg("Not a valid VRF name\n", value)
            f.master = dev.ifindex
        elif kw == "nomaster":
            f.master = -1
        elif kw == "type":
            value = args.next_arg()
            if value.endswith("_slave"):
                f.slave_kind = value[:-len("_slave")]
            else:
                f.kind = value
        else:
            if kw == "dev":
                word = args.next_arg()
            elif kw == "help":
                raise usage_error("ip_address", ctx.profile)
            if f.dev is not None:
                raise duparg2("dev", word)
            f.dev = word
        args.advance()
    return f


def addr_selected(msg: AddrMsg, f: AddrFilter, ifname: str) -> bool:
    """print_addrinfo()'s filters, on the record the kernel sent."""
    if f.scope is not None and msg.scope != f.scope:
        return False
    names = {SAME_BIT.get(n, n) for n in ifa_flag_names(msg)} | \
        ({"permanent"} if msg.flags & IFA_F.PERMANENT else set())
    if not f.flags_set <= names or f.flags_clear & names:
        return False
    if f.label is not None:
        label = msg.label if msg.label is not None else ifname
        import fnmatch      # only for a label filter: it imports re (~1.5 ms of a start)
        if not fnmatch.fnmatchcase(label, f.label):
            return False
    if f.prefix is not None and not f.prefix.is_default:
        if f.prefix.family != msg.family or msg.local not in f.prefix.network:
            return False
    return True


def link_selected(msg: LinkMsg, f: AddrFilter) -> bool:
    """The link filters of ipaddr_list_flush_or_save(), on the record of the dump (the
    kernel filters kind and master itself: rtnl_dump_ifinfo())."""
    if f.up and not msg.flags & IFF.UP:
        return False
    if f.group is not None and msg.group != f.group:
        return False
    if f.master is not None:
        if f.master == -1:
            if msg.master is not None:
                return False
        elif msg.master != f.master:
            return False
    if f.kind is not None and msg.kind != f.kind:
        return False
    if f.slave_kind is not None and msg.slave_kind != f"{f.slave_kind}_slave":
        return False
    return True


def list_or_flush(ctx: ToolContext, opts: IpOptions, argv: list[str], *, do_link: bool = False,
                  flush: bool = False) -> int:
    """ipaddr_list_flush_or_save(): a link dump and an address dump, filtered and
    printed; flush sends RTM_DELADDR for each address the filters keep."""
    family = 17 if do_link else opts.family
    if flush:
        if not argv:
            raise CommandError("Flush requires arguments.\n", 1)
        if family == 17:
            raise CommandError("Cannot flush link addresses.\n", 1)
    f = parse_filter(ctx, Args(argv), family if family in (4, 6, 17) else 0)
    if f.prefix is not None and family == 0:
        family = f.prefix.family
    ns = ctx.netns
    dev = None
    if f.dev is not None:
        dev = ns.by_name(f.dev)
        if dev is None:
            from ipemu.tools.ip_link import ll_name_to_index
            dev = ll_name_to_index(ns, f.dev)       # `veth0:` through if_nametoindex()
            if dev is None:
                raise CommandError(f'Device "{f.dev}" does not exist.\n', 1)
            if do_link and f.group is None:
                # iplink_get() then asks for the link by that name: the kernel has none
                raise CommandError("RTNETLINK answers: No such device\n"
                                   "Cannot send link get request: No such device\n", 1)
    # ipaddr_link_get(): with a device, RTM_GETLINK for that one link
    links = ns.dump_links() if dev is None else [ns.link_msg(dev)]
    links = [m for m in links if link_selected(m, f)]
    afamily = family if family in (4, 6) else 0
    dumped = [] if family == 17 else \
        ns.dump_addrs(afamily) if dev is None else ns.dump_addrs_of(dev, afamily)

    def addresses(link: LinkMsg) -> list[AddrMsg]:
        return [a for a in dumped
                if a.ifindex == link.ifindex and addr_selected(a, f, link.ifname)]

    if flush:
        # ipaddr_flush() runs before the link dump: up, master, type and group select
        # nothing there, only the device does (print_addrinfo())
        everyone = ns.dump_links() if dev is None else [ns.link_msg(dev)]
        return flush_rounds(ctx, opts, f, everyone, family)

    if family != 17:
        links = [m for m in links if _link_has_match(m, dumped, family, addresses)]
    show = ShowOptions(family=family, details=opts.details, stats=opts.stats,
                       human=opts.human, iec=opts.iec,
                       oneline=opts.oneline, brief=opts.brief, do_link=do_link,
                       group=ctx.profile["link_show_group"],
                       # `ip -6 addr` without a device reads the IPv6 link dump, which
                       # carries no qdisc, master or group
                       reduced_header=family == 6 and f.dev is None)
    cache = link_cache(ctx, ns.dump_links() if dev is None else ns.link_map())
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    for msg in links:
        p.open_object()
        if f.label is None and (opts.brief or not opts.oneline or family == 17):
            print_link(p, msg, cache, show)
            if not opts.brief:
                p.eol()
        if family != 17:
            p.open_array("addr_info")
            for addr in addresses(msg):
                p.open_object()
                print_addr(p, addr, msg.ifname, brief=opts.brief,
                           oneline=opts.oneline,
                           flag_order=ctx.profile["ifa_flag_order"])
                p.close_object()
            p.close_array()
            if opts.brief:
                p.fp("\n")
            elif opts.stats and f.label is None:
                print_stats(p, msg.stats, opts.stats, opts.human, opts.iec)
                p.nl()
        p.close_object()
    p.end()
    ctx.term.out(p.text())
    return 0


def flush_rounds(ctx: ToolContext, opts: IpOptions, f: AddrFilter, links: list[LinkMsg],
                 family: int) -> int:
    """ipaddr_flush(): dump, send RTM_DELADDR for every address the filters keep, and
    again until a dump finds none (a primary takes its secondaries along, so their own
    deletions fail unseen); `-s` counts the rounds, `-s -s` prints each address."""
    ns = ctx.netns
    out = ctx.term
    rounds = 0
    loops = opts.loops      # ip.c's max_flush_loops (-loops N), 0 without a bound
    while loops == 0 or rounds < loops:
        dumped = ns.dump_addrs(family if family in (4, 6) else 0)
        victims = [(link, a) for link in links for a in dumped
                   if a.ifindex == link.ifindex and addr_selected(a, f, link.ifname)]
        if not victims:
            break
        rounds += 1
        for link, msg in victims:
            if opts.stats >= 2:
                # print_addrinfo() in flush mode: the index and name lead, as with -o
                p = Printer(False, False, False)
                print_addr(p, msg, link.ifname, brief=False, oneline=True,
                           flag_order=ctx.profile["ifa_flag_order"])
                out.out(p.text())
            req = AddrRequest(family=msg.family, ifindex=msg.ifindex, prefixlen=msg.prefixlen,
                              local=msg.local, address=msg.address, label=msg.label)
            try:
                ns.del_addr(req)
            except KernelError:
                pass    # gone with its primary already
        if opts.stats:
            out.out(f"\n*** Round {rounds}, deleting {len(victims)} addresses ***\n")
        if "secondary" in f.flags_clear:
            break       # `primary`: one round, or promoted secondaries would go too
    else:
        # the last round's deletions are never checked by a dump; ipaddr_flush()
        # returns 1, which do_cmd() turns into exit(-1)
        out.err(f"*** Flush remains incomplete after {loops} rounds. ***\n")
        return 255
    if opts.stats:
        out.out("Nothing to flush.\n" if rounds == 0 else
                f"*** Flush is complete after {rounds} round{'s' if rounds > 1 else ''} ***\n")
    return 0


def link_cache(ctx: ToolContext, links: list[LinkMsg]) -> LinkCache:
    """ll_init_map() from a link dump, and netns_map: the name under /run/netns of each
    namespace this one has an id for (the first one listed wins)."""
    ns = ctx.netns
    names: dict[int, str] = {}
    for name, other in ctx.host.namespaces.items():
        nsid = ns.peer_id(other) if name else None
        if nsid is not None:
            names.setdefault(nsid, name)
    return LinkCache(links if isinstance(links, dict) else {m.ifindex: m for m in links},
                     names)


def _link_has_match(link: LinkMsg, dumped: list[AddrMsg], family: int, addresses) -> bool:
    """ipaddr_filter(): a link stays if one of its addresses passes the filter, or if it
    has no address at all and no family was asked for."""
    if addresses(link):
        return True
    return not any(a.ifindex == link.ifindex for a in dumped) and family == 0
