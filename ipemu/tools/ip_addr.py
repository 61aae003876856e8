"""`ip address`: add, change, replace, delete, show, flush (iproute2 ip/ipaddress.c),
and the link listing that `ip link show` shares with it."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.output import decode
from ipemu.kernel import Later
from ipemu.kernel.errors import KernelError
from ipemu.kernel.netdev import IFF
from ipemu.plainclass import dataclass
from ipemu.kernel.records import LinkMsg
from ipemu.render.link import LinkCache, ShowOptions, print_link, print_stats
from ipemu.render.printer import Printer
from ipemu.syntax import keyword
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ipargs import EXIT_ARG, Args, Prefix, duparg2, get_prefix, group_a2n, invarg

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
    if kw in ("add", "change", "chg", "replace", "delete"):
        # ipemu/tools/ip_addr_modify.py: a listing (and `ip link show`) needs none of it
        from ipemu.tools.ip_addr_modify import modify
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
        return _save(ctx, opts, argv[1:])
    if cmd and "showdump".startswith(cmd):
        return _showdump(ctx, opts)
    if cmd and "restore".startswith(cmd):
        return _restore(ctx)
    if kw == "help":
        raise usage_error("ip_address", ctx.profile)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip address help".\n', EXIT_ARG)


# ----------------------------------------------------------- save and restore
def _save(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """ipaddr_list_flush_or_save(IPADD_SAVE): the selectors are read (a missing device
    is reported first), then ipadd_save_prep() refuses a terminal and writes the magic,
    then every address of the dump (its family, its device: ipaddr_dump_filter()),
    whole (save_nlmsg())."""
    from ipemu.kernel.wire import rtnl
    f = parse_filter(ctx, Args(argv), opts.family if opts.family in (4, 6) else 0)
    ns = ctx.netns
    dev = None
    if f.dev is not None:
        dev = ns.by_name(f.dev)
        if dev is None:
            raise CommandError(f'Device "{f.dev}" does not exist.\n', 1)
    if getattr(ctx.session, "stdout_tty", False):
        raise CommandError("Not sending a binary stream to stdout\n", 1)
    family = opts.family if opts.family in (4, 6) else 0
    dumped = ns.dump_addrs(family) if dev is None else ns.dump_addrs_of(dev, family)
    # rtnl_dump_all(): every IPv4 address, then every IPv6 one
    dumped = sorted(dumped, key=lambda a: a.family)
    clock = ctx.host.clock
    seq = int(getattr(clock, "epoch", 0) + clock.now) + 1
    pid = getattr(ctx.session, "pid", 0) or 0
    data = rtnl.ADDR_DUMP_MAGIC.to_bytes(4, "little") + \
        b"".join(rtnl.addr_bytes(a, seq, pid, filtered=dev is not None) for a in dumped)
    ctx.term.out(decode(data))
    return 0


def _addr_stream(ctx: ToolContext) -> list:
    """exit(-1) when the stream is not an address dump."""
    from ipemu.kernel.wire import rtnl
    from ipemu.tools.rtnl import read_dump
    return read_dump(ctx.stdin, rtnl.ADDR_DUMP_MAGIC, "address", 255)


def _restore(ctx: ToolContext) -> int:
    """ipaddr_restore(): each saved message sent back with NLM_F_CREATE; an address
    already there is reported and passed over, any other refusal ends it."""
    from ipemu.kernel.errors import Errno
    from ipemu.kernel.wire import rtnl
    from ipemu.tools.rtnl import talk_error
    for raw in _addr_stream(ctx):
        if isinstance(raw, str):
            ctx.term.err(raw)
            return 255
        msg = rtnl.addr_from_bytes(raw)
        if msg is None:
            continue
        flags = int(msg.flags)
        # inet6_rtm_newaddr() keeps NODAD, HOMEADDRESS, MANAGETEMPADDR, NOPREFIXROUTE,
        # MCAUTOJOIN and OPTIMISTIC of the saved flags (an optimistic address saved
        # while in DAD comes back optimistic: recorded, tutorials43_json_lifetime_flags)
        req = AddrRequest(msg.family, msg.ifindex, msg.prefixlen, msg.local,
                          msg.address if msg.address is not None else msg.local,
                          msg.broadcast, msg.label, msg.scope, msg.metric,
                          nodad=bool(flags & 0x02), noprefixroute=bool(flags & 0x200),
                          home=bool(flags & 0x10), mngtmpaddr=bool(flags & 0x100),
                          autojoin=bool(flags & 0x400), optimistic=bool(flags & 0x04),
                          flags=NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE,
                          valid_lft=msg.valid_lft, preferred_lft=msg.preferred_lft)
        try:
            ctx.netns.new_addr(req)
        except KernelError as err:
            ctx.term.err(talk_error(err).message)
            if err.errno != Errno.EEXIST:
                return 255
    return 0


def _showdump(ctx: ToolContext, opts: IpOptions) -> int:
    """ipaddr_showdump(): `if%d:` and print_addrinfo() of each saved address."""
    from ipemu.kernel.wire import rtnl
    messages = _addr_stream(ctx)
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    p.open_object()
    p.open_array("addr_info")
    status = 0
    for raw in messages:
        if isinstance(raw, str):
            ctx.term.out(p.text())
            p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
            ctx.term.err(raw)
            status = 255
            break
        msg = rtnl.addr_from_bytes(raw)
        if msg is None:
            continue
        p.open_object()
        p.any("index", "if%d:", msg.ifindex)
        p.nl()
        print_addr(p, msg, "", brief=False, oneline=False,
                   flag_order=ctx.profile["ifa_flag_order"])
        p.close_object()
    p.close_array()
    p.close_object()
    p.end()
    ctx.term.out(p.text())
    return status


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
    if f.flags_set or f.flags_clear:
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


def link_selected(msg: LinkMsg, f: AddrFilter, kind_known: bool = True) -> bool:
    """The link filters the kernel applies to the dump itself (rtnl_dump_ifinfo():
    IFLA_MASTER and IFLA_INFO_KIND in iplink_filter_req()); a kind the kernel has no
    rtnl_link_ops for (`kind_known` False: linkinfo_to_kind_ops() finds none) filters
    nothing there."""
    if f.master is not None:
        if f.master == -1:
            if msg.master is not None:
                return False
        elif msg.master != f.master:
            return False
    if f.kind is not None and kind_known and msg.kind != f.kind:
        return False
    return True


def link_printed(msg: LinkMsg, f: AddrFilter, ipv6_dump: bool = False) -> bool:
    """print_linkinfo()'s own filters, after the dump: up, then (unless a label was
    given: it returns 0 before them) group, master, kind and slave kind. A link they
    refuse still had its JSON object opened by ipaddr_list_flush_or_save(): `-j`
    prints `{}`. (`ipv6_dump`: inet6_fill_ifinfo() sends no IFLA_GROUP, IFLA_MASTER
    or IFLA_LINKINFO: no group test, and a master or kind asked for is missing.)"""
    if f.up and not msg.flags & IFF.UP:
        return False
    if f.label is not None:
        return True
    if f.group is not None and msg.group != f.group and not ipv6_dump:
        return False
    if f.master is not None and f.master > 0 and (ipv6_dump or msg.master != f.master):
        return False
    if f.kind is not None and (ipv6_dump or msg.kind != f.kind):
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
    # ip_link_list() dumps the links with preferred_family (-4/-6/-0), not the family
    # a `to PREFIX` gives filter.family: `ip a s to 2001:db8::/32` reads the full
    # link dump (recorded: case tutorials37b_trusty_ipaddress_filters)
    link_family = family
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
    # an address listing after a link listing in the same ip (a batch): do_link is
    # still 1, so a device alone is iplink_get()'s link, and the links print as
    # `link show` prints them (link mode, their statistics inline)
    sticky = not do_link and ctx.do_link and not flush
    if sticky and dev is not None and f.group is None:
        do_link, family, sticky = True, 17, False
    # ipaddr_link_get(): with a device, RTM_GETLINK for that one link
    links = everyone = ns.dump_links() if dev is None else [ns.link_msg(dev)]
    if dev is None and link_family != 6:
        # rtnl_dump_ifinfo()'s IFLA_MASTER and IFLA_INFO_KIND filters: a dump's, but
        # not the IPv6 one's (inet6_dump_ifinfo()) nor a single link's
        known = True
        if f.kind is not None:
            from ipemu.kernel.drivers import LINK_OPS
            known = f.kind in LINK_OPS and f.kind not in ns.kernel.get("missing_drivers", [])
        links = [m for m in links if link_selected(m, f, known)]
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
                       human=opts.human, iec=opts.iec, numeric=opts.numeric,
                       oneline=opts.oneline, brief=opts.brief, do_link=do_link or sticky,
                       group=ctx.profile["link_show_group"],
                       # `ip -6 addr` without a device reads the IPv6 link dump, which
                       # carries no qdisc, master or group
                       reduced_header=link_family == 6 and f.dev is None)
    # the names print_linkinfo() asks ll_index_to_name() for: the dump's records, made
    # at the same instant as a second dump's would be
    cache = link_cache(ctx, everyone if dev is None else ns.link_map())
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    # print_linkinfo() and its filters run unless -o lists addresses (no_link)
    link_info = opts.brief or not opts.oneline or family == 17
    for msg in links:
        p.open_object()
        if link_info and not link_printed(msg, f, show.reduced_header):
            p.close_object()
            continue
        if f.label is None and (opts.brief or not opts.oneline or family == 17):
            print_link(p, msg, cache, show)
            if not opts.brief:
                p.eol()
        if family != 17:
            p.open_array("addr_info")
            for addr in dumped:
                if addr.ifindex != msg.ifindex:
                    continue
                if f.up and not msg.flags & IFF.UP:
                    continue        # print_selected_addrinfo() tests `up` too
                # print_selected_addrinfo() opens an object for every address of the
                # link, and print_addrinfo()'s filters return inside it: `{}` in JSON
                p.open_object()
                if addr_selected(addr, f, msg.ifname):
                    print_addr(p, addr, msg.ifname, brief=opts.brief,
                               oneline=opts.oneline, numeric=opts.numeric,
                               flag_order=ctx.profile["ifa_flag_order"])
                p.close_object()
            p.close_array()
            if opts.brief:
                p.fp("\n")
            elif opts.stats and f.label is None and not opts.oneline and not sticky:
                # print_link_stats() only after print_linkinfo() printed (res > 0): -o
                # sets no_link for an address listing
                if show.reduced_header:
                    # the IPv6 link dump has no IFLA_STATS64 nor IFLA_CARRIER_CHANGES:
                    # get_rtnl_link_stats_rta() reads IFLA_INET6_STATS instead, by
                    # iproute2 6.1's IPSTATS_MIB_* numbers, which a 6.15+ kernel has
                    # moved: only InReceives and InOctets are where it looks, the
                    # others read counters that stay 0 here (ECT1/ECT0, InTooBig...)
                    from ipemu.kernel.records import Stats64
                    from ipemu.kernel.snmp import ip6_dev_in
                    packets, octets = ip6_dev_in(ns.stack, msg.ifindex)
                    print_stats(p, Stats64(rx_bytes=octets, rx_packets=packets),
                                opts.stats, opts.human, opts.iec, transns=False)
                else:
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
