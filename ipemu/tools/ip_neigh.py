"""`ip neighbour`: show, flush, add, change, replace, delete (iproute2 ip/ipneigh.c)
over the simulated ARP and ND tables."""
from __future__ import annotations


from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.neigh import NUD_VALID, Nud
from ipemu.kernel.records import neigh_msg
from ipemu.render.neigh import STATE_NAMES, print_neigh
from ipemu.render.printer import Printer
from ipemu.syntax import keyword
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ip_link import ll_addr
from ipemu.render.names import proto_a2n
from ipemu.tools.ipargs import (EXIT_ARG, Args, duparg, duparg2, get_addr, get_prefix,
                                get_unsigned, invarg, matches)
from ipemu.tools.rtnl import talk_error

NUD_BY_NAME = {name.lower(): state for state, name in STATE_NAMES}
NUD_BY_NAME.update({"none": Nud.NONE, "noarp": Nud.NOARP})


def do_neigh(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    if not argv:
        return show_or_flush(ctx, opts, [], flush=False)
    cmd, rest = argv[0], argv[1:]
    kw = keyword(cmd)
    try:
        if kw == "add":
            return modify(ctx, opts, rest, create=True, excl=True)
        if kw == "change" or kw == "chg":
            return modify(ctx, opts, rest, create=False, excl=False)
        if kw == "replace":
            return modify(ctx, opts, rest, create=True, excl=False)
        if kw == "delete":
            return delete(ctx, opts, rest)
    except CommandError as err:
        if err.status == 2:
            # ipneigh_modify(): `if (rtnl_talk(...) < 0) exit(2);` ends the process,
            # a batch too (no `Command failed`, -force or not: recorded)
            err.exits = True
        raise
    if kw == "get":
        return get(ctx, opts, rest)
    if kw == "show" or kw == "list" or kw == "lst":
        return show_or_flush(ctx, opts, rest, flush=False)
    if kw == "flush":
        return show_or_flush(ctx, opts, rest, flush=True)
    if kw == "help":
        raise usage_error("ip_neigh", ctx.profile)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip neigh help".\n', EXIT_ARG)


def nud_state_a2n(text: str) -> Nud | None:
    """ipneigh.c nud_state_a2n(): a name (permanent, reachable and failed may be
    abbreviated) or a number that is 0 or one NUD bit below 0x100."""
    for name in ("permanent", "reachable"):
        if matches(text, name):
            return NUD_BY_NAME[name]
    if text in NUD_BY_NAME and text not in ("permanent", "reachable", "failed"):
        return NUD_BY_NAME[text]
    if matches(text, "failed"):
        return Nud.FAILED
    value = get_unsigned(text)
    if value is None or value >= 0x100 or value & (value - 1):
        return None
    return Nud(value)


def _parse_modify(ctx: ToolContext, opts: IpOptions, argv: list[str]):
    """ipneigh_modify()'s argument loop and its checks, in its order."""
    args = Args(argv)
    family = opts.family if opts.family in (4, 6) else 0
    dst = dev = lladdr = None
    dev_ok = False
    state = Nud.PERMANENT
    router = proxy = False
    protocol = 0
    flags: set[str] = set()
    while args:
        word = args.cur
        kw = keyword(word)      # grammar/ip.lark neigh_attr: ipneigh_modify()'s order
        if kw == "lladdr":
            value = args.next_arg()
            if lladdr is not None:
                raise duparg("lladdr", value)
            lladdr = value
        elif kw == "nud":
            value = args.next_arg()
            nud = nud_state_a2n(value)
            if nud is None:
                raise invarg("nud state is bad", value)
            state = nud
        elif kw == "proxy":
            value = args.next_arg()
            if matches(value, "help"):
                raise usage_error("ip_neigh", ctx.profile)
            if dst is not None:
                raise duparg("address", value)
            dst = get_addr(value, family)
            dev_ok = proxy = True
        elif kw == "router":
            router = True
        elif kw == "managed":
            state = Nud.NONE     # NTF_EXT_MANAGED: the kernel resolves it
            flags.add("managed")
        elif kw == "use":
            flags.add("use")
        elif kw == "extern_learn":
            flags.add("extern_learn")
        elif kw == "dev":
            dev = args.next_arg()
            dev_ok = True
        elif kw == "protocol":
            value = args.next_arg()
            number = proto_a2n(value)
            if number is None:
                raise invarg('"protocol" value is invalid\n', value)
            protocol = number
        else:
            if kw == "to":
                word = args.next_arg()
            if matches(word, "help"):
                word = args.next_arg()   # as ipneigh_modify() does: no usage here
            if dst is not None:
                raise duparg2("to", word)
            dst = get_addr(word, family)
        args.advance()
    if not dev_ok or dst is None or dst.is_default and not family:
        # "default" keeps the family unspecified: AF_UNSPEC is refused
        raise CommandError("Device and destination are required arguments.\n", EXIT_ARG)
    mac = None
    if lladdr is not None and lladdr != "null":
        mac = ll_addr(lladdr)
    device = None
    if dev is not None:
        device = ctx.netns.by_name(dev)
        if device is None:
            raise CommandError(f'Cannot find device "{dev}"\n', 1)
    return dst.address, device, mac, state, router, proxy, protocol, flags


def _constructed_key(dev, address):
    """arp_constructor(): INADDR_ANY for an IPv4 neighbour of a loopback or
    point-to-point device; any other keeps its address."""
    from ipemu.kernel.netdev import IFF
    if address.version == 4 and dev.flags & (IFF.LOOPBACK | IFF.POINTOPOINT):
        return type(address)(0)
    return address


def _constructed_lladdr(ctx: ToolContext, dev, address) -> bytes | None:
    """The link address a new entry gets from arp_constructor() / ndisc_constructor()
    in state NOARP (None: it starts empty and must be resolved or given): a multicast
    address's mapped MAC, the device's own on a loopback or NOARP device, the broadcast
    MAC for an IPv4 address of broadcast type (__inet_dev_addr_type(): that too when
    the namespace has no local table yet)."""
    from ipemu.kernel.fib import RTN, TABLE_LOCAL
    from ipemu.kernel.ioctl import ARPHRD_ETHER, hwtype
    from ipemu.kernel.netdev import IFF
    packed = address.packed
    if address.is_multicast:
        if hwtype(dev) != ARPHRD_ETHER:
            # arp_mc_map() / ndisc_mc_map(): another type (lo) maps every group to
            # the device's broadcast address
            return bytes(dev.broadcast)
        return (b"\x01\x00\x5e" + bytes([packed[1] & 0x7F]) + packed[2:]
                if address.version == 4 else b"\x33\x33" + packed[12:])
    if dev.flags & (IFF.NOARP | IFF.LOOPBACK):
        return bytes(dev.address)
    if address.version == 6:
        return None
    ns = ctx.netns
    if int(address) >> 24 == 0 or int(address) == 0xFFFFFFFF:
        kind = RTN.BROADCAST
    elif ns.table(4, TABLE_LOCAL) is None:
        kind = RTN.BROADCAST
    else:
        best = ns.table(4, TABLE_LOCAL).longest_match(int(address))
        kind = best.type if best is not None and best.oif == dev.ifindex else RTN.UNICAST
    return bytes(dev.broadcast) if kind == RTN.BROADCAST else None


def _table(ctx: ToolContext, address):
    stack = ctx.netns.stack
    return stack.arp if address.version == 4 else stack.nd


def modify(ctx: ToolContext, opts: IpOptions, argv: list[str], *, create: bool, excl: bool) -> int:
    address, device, mac, state, router, proxy, protocol, flags = _parse_modify(ctx, opts, argv)
    if mac is not None and device is not None and len(mac) < len(device.address):
        # neigh_add(): NDA_LLADDR shorter than dev->addr_len, before anything else
        raise talk_error(KernelError(Errno.EINVAL, "Invalid link address"))
    if opts.family == 17:
        # `ip -0`: get_addr_1() reads the destination as a link address (AF_PACKET)
        # and neigh_add() finds no table of that family (after the device's checks)
        raise talk_error(KernelError(Errno.EAFNOSUPPORT))
    if "managed" in flags and proxy:
        # neigh_add(): NTF_MANAGED with NTF_PROXY (a delete does not look)
        raise talk_error(KernelError(Errno.EINVAL, "Invalid NTF_* flag combination"))
    if proxy:
        try:
            ctx.netns.pneigh_add(address, device.ifindex if device else 0, create, excl)
        except KernelError as err:
            raise talk_error(err)
        return 0
    if address.version == 6 and device is not None:
        from ipemu.kernel.addrconf import has_inet6_dev
        if not has_inet6_dev(device) or ctx.netns.ipv6_disabled(device):
            # neigh_add(): tbl->allow_add() before neigh_lookup(), so add, change and
            # replace alike: ndisc_allow_add() refuses a device without an inet6_dev
            # or with disable_ipv6 (recorded: fuzz42b_ndisc_allow_add, seeds 540201,
            # 540210, 540232...)
            raise talk_error(KernelError(Errno.EINVAL, "IPv6 is disabled on this device"))
    table = _table(ctx, address)
    entry = table.lookup(device.ifindex, address)
    try:
        if entry is not None and excl:
            raise KernelError(Errno.EEXIST)
        if entry is None and not create:
            raise KernelError(Errno.ENOENT)
        if entry is None:
            # __neigh_create(): arp_constructor() keys an IPv4 entry of a loopback or
            # point-to-point device as 0.0.0.0, and an entry already under that key
            # is the one updated (no EEXIST: the lookup was by the address given)
            key = _constructed_key(device, address)
            entry = table.lookup(device.ifindex, key)
            if entry is None:
                entry = table.entry(device.ifindex, key)
                noarp = _constructed_lladdr(ctx, device, address)
            else:
                noarp = None
            if noarp is not None:       # arp_constructor() / ndisc_constructor()
                entry.state, entry.lladdr = Nud.NOARP, noarp
        if "use" in flags or "managed" in flags:
            # neigh_add(): __neigh_update() with NEIGH_UPDATE_F_USE / _MANAGED sets the
            # flags (neigh_update_flags()) and keeps the state the entry had (a new
            # one's from its constructor: NOARP for a multicast address or on lo) less
            # PERMANENT, nothing else of the request (no lladdr, state or router);
            # then neigh_event_send()
            _update_flags(entry, flags)
            if entry.state & Nud.PERMANENT:
                entry.state = Nud(int(entry.state) & ~int(Nud.PERMANENT))
            if protocol:
                entry.protocol = protocol
            table.event_send(device.ifindex, entry.addr)
            return 0
        if protocol:
            entry.protocol = protocol     # NDA_PROTOCOL: kept as given (neigh_add())
        # __neigh_update() -> neigh_update_flags() before anything else is checked (a
        # refused entry keeps it, and extern_learn entries are listed whatever their
        # state)
        _update_flags(entry, flags)
        if mac is None and state & (Nud.PERMANENT | Nud.REACHABLE | Nud.STALE | Nud.DELAY |
                                    Nud.PROBE | Nud.NOARP) and not entry.state & NUD_VALID:
            # __neigh_update(): no address given and none known (the old state not
            # NUD_VALID: a FAILED entry's stale address does not count); the kernel
            # keeps the entry it created (state NONE) before refusing
            raise KernelError(Errno.EINVAL, "No link layer address given")
        table.set_static(entry, mac, state, router)
    except KernelError as err:
        raise talk_error(err)
    return 0


def _update_flags(entry, flags: set) -> None:
    """neigh_update_flags(): an administrative update sets NTF_EXT_LEARNED and
    NTF_MANAGED to what the request says, so a `replace` without `extern_learn` clears
    the flag an earlier `add ... extern_learn` set."""
    entry.ext_learned = "extern_learn" in flags
    entry.managed = "managed" in flags


def get(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """ipneigh_get(): RTM_GETNEIGH for one address on one device (`proxy ADDR` for a
    proxy entry), printed by print_neigh() as text even under -j (6.1 opens no JSON
    object for it)."""
    family = opts.family if opts.family in (4, 6) else 0
    args = Args(argv)
    dev = dst = None
    dev_ok = proxy = False
    while args:
        word = args.cur
        if word == "dev":
            dev = args.next_arg()
            dev_ok = True
        elif matches(word, "proxy"):
            value = args.next_arg()
            if matches(value, "help"):
                raise usage_error("ip_neigh", ctx.profile)
            if dst is not None:
                raise duparg("address", value)
            dst, dev_ok, proxy = get_addr(value, family), True, True
        else:
            if word == "to":
                word = args.next_arg()
            if matches(word, "help"):
                raise usage_error("ip_neigh", ctx.profile)
            if dst is not None:
                raise duparg2("to", word)
            dst = get_addr(word, family)
        args.advance()
    if not dev_ok or dst is None or dst.is_default and not family:
        raise CommandError("Device and address are required arguments.\n", 1)
    dst = dst.address
    device = None
    if dev is not None:
        device = ctx.netns.by_name(dev)
        if device is None:
            raise CommandError(f'Cannot find device "{dev}"\n', 1)
    if opts.family == 17:
        # `ip -0`: the destination read as a link address (AF_PACKET);
        # neigh_valid_get_req() finds no table of that family
        raise talk_error(KernelError(Errno.EAFNOSUPPORT,
                                     "Unsupported family in header for neighbor get request"))
    p = Printer(False, False, opts.oneline, color=opts.color)
    if proxy:
        # neigh_get() -> pneigh_lookup(): an entry of the device or of no device
        ifindex = device.ifindex if device else 0
        found = [e[2] for e in ctx.netns.dump_pneigh()
                 if e[1] == dst and e[2] in (ifindex, 0)]
        if not found:
            raise talk_error(KernelError(Errno.ENOENT, "Proxy neighbour entry not found"))
        names = {m.ifindex: m.ifname for m in ctx.netns.dump_links()}
        # pneigh_get_reply(): the entry's own device, none for a proxy of any device
        where = f"dev {names[found[0]]} " if found[0] else ""
        p.fp("%s %sproxy \n", str(dst), where)
    else:
        entry = _table(ctx, dst).lookup(device.ifindex, dst)
        if entry is None:
            raise talk_error(KernelError(Errno.ENOENT, "Neighbour entry not found"))
        table = _table(ctx, dst)
        # neigh_get() holds a reference on the entry while it answers
        msg = neigh_msg(entry, table.clock.now, held=1) if opts.stats else neigh_msg(entry)
        print_neigh(p, msg, device.name, stats=bool(opts.stats), numeric=opts.numeric)
    ctx.term.out(p.text())
    return 0


def delete(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    address, device, _, _, _, proxy, _, _ = _parse_modify(ctx, opts, argv)
    if opts.family == 17:
        # neigh_delete(): no table of AF_PACKET (see modify())
        raise talk_error(KernelError(Errno.EAFNOSUPPORT))
    if proxy:
        try:
            ctx.netns.pneigh_delete(address, device.ifindex if device else 0)
        except KernelError as err:
            raise talk_error(err)
        return 0
    table = _table(ctx, address)
    if table.lookup(device.ifindex, address) is None:
        raise talk_error(KernelError(Errno.ENOENT))
    table.delete(device.ifindex, address)
    return 0


def show_or_flush(ctx: ToolContext, opts: IpOptions, argv: list[str], flush: bool,
                  only: tuple | None = None) -> int:
    if flush and not argv:
        raise CommandError("Flush requires arguments.\n", 1)
    # `ip -0`: get_prefix() refuses AF_PACKET, and neigh_dump_info() answers a dump of
    # family AF_PACKET with the tables of that family: none
    family = opts.family if opts.family in (4, 6, 17) else 0
    args = Args(argv)
    dev_name = None
    states = None
    prefix = None
    show_proxy = False
    master = protocol = None
    unused_only = False
    while args:     # do_show_or_flush()'s loop
        word = args.cur
        if word == "dev":
            value = args.next_arg()
            if dev_name is not None:
                raise duparg("dev", value)
            dev_name = value
        elif word in ("master", "vrf"):
            value = args.next_arg()
            dev = ctx.netns.by_name(value)
            if dev is None:
                raise invarg("Device does not exist\n" if word == "master"
                             else "Not a valid VRF name\n", value)
            if word == "vrf" and dev.kind != "vrf":     # name_is_vrf()
                raise invarg("Not a valid VRF name\n", value)
            master = dev.ifindex
        elif word == "nomaster":
            master = -1
        elif word == "unused":
            unused_only = True
        elif word == "nud":
            value = args.next_arg()
            if states is None:
                states = 0
            nud = nud_state_a2n(value)
            if nud is None:
                if value != "all":
                    raise invarg("nud state is bad", value)
                nud = ~0 & ~int(Nud.NOARP) if flush else ~0
            states |= int(nud) or 0x100
        elif word == "proxy":
            show_proxy = True
        elif matches(word, "protocol"):
            value = args.next_arg()
            protocol = proto_a2n(value)
            if protocol is None:
                if value != "all":
                    raise invarg('invalid "protocol"\n', value)
                protocol = 0
        else:
            if word == "to":
                word = args.next_arg()
            if matches(word, "help"):
                raise usage_error("ip_neigh", ctx.profile)
            prefix = get_prefix(word, family)
            family = family or prefix.family
        args.advance()
    if states is None:
        # do_show_or_flush(): a flush takes every state but these (0x100, NONE, too)
        states = ~int(Nud.PERMANENT | Nud.NOARP) if flush else 0xFF & ~int(Nud.NOARP)
    device = None
    if dev_name is not None:
        device = ctx.netns.by_name(dev_name)
        if device is None:
            raise CommandError(f'Cannot find device "{dev_name}"\n', 1)
    if show_proxy:
        return _show_proxies(ctx, opts, family, device, prefix, flush)
    stack = ctx.netns.stack
    tables = [(4, stack.arp), (6, stack.nd)]
    selected = []
    for fam, table in tables:
        if family and fam != family:
            continue
        for n in list(table.entries.values()):
            if device is not None and n.ifindex != device.ifindex:
                continue
            # print_neigh(): the state filter passes NTF_EXT_LEARNED entries whatever
            # their state (so `nud reachable` lists them, and a flush takes them)
            if (not (states & int(n.state)) and not n.ext_learned
                    and (n.state or not states & 0x100)):
                continue
            # `unused`: ndm_refcnt 0 in NDA_CACHEINFO (an armed timer holds one)
            if unused_only and n.timer is not None:
                continue
            if prefix is not None and not prefix.is_default and n.addr not in prefix.network:
                continue
            if only is not None and (n.ifindex, n.addr) != only:
                continue
            if protocol and getattr(n, "protocol", 0) != protocol:
                continue
            if master is not None and _master(ctx, n.ifindex) != max(master, 0):
                continue
            selected.append((table, n))
    if flush:
        return _flush(ctx, opts, selected, device)
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    names = {m.ifindex: m.ifname for m in ctx.netns.dump_links()}
    for table, n in selected:
        msg = neigh_msg(n, table.clock.now) if opts.stats else neigh_msg(n)
        print_neigh(p, msg, None if device is not None
                    else names.get(n.ifindex, f"if{n.ifindex}"), stats=bool(opts.stats),
                    brief=opts.brief, numeric=opts.numeric)
    p.end()
    ctx.term.out(p.text())
    return 0


def _flush(ctx: ToolContext, opts: IpOptions, selected: list, device) -> int:
    """do_show_or_flush()'s rounds: each dump deletes what it matched (`-s -s` prints
    each as it lists it); a round that matched nothing ends it, and `-s` says so.
    Deleted entries are gone here, so the second round is the last."""
    if not selected:
        if opts.stats:
            ctx.term.out("Nothing to flush.\n")
        return 0
    names = {m.ifindex: m.ifname for m in ctx.netns.dump_links()}
    for table, n in selected:
        if opts.stats > 1:
            p = Printer(False, False, opts.oneline, color=opts.color)
            p.begin()
            print_neigh(p, neigh_msg(n, table.clock.now), None if device is not None
                        else names.get(n.ifindex, f"if{n.ifindex}"), stats=True,
                        numeric=opts.numeric)
            p.end()
            ctx.term.out(p.text())
        # the flush sends RTM_DELNEIGH for each: neigh_delete(), which announces the
        # entry FAILED and then deleted (recorded: tutorials41b_monitor_stats_tools)
        table.delete(n.ifindex, n.addr)
    if opts.stats:
        ctx.term.out(f"\n*** Round 1, deleting {len(selected)} entries ***\n"
                     "*** Flush is complete after 1 round ***\n")
    return 0


def _master(ctx: ToolContext, ifindex: int) -> int:
    """The ifindex of a device's master (0: none), as the dump filter compares it."""
    dev = ctx.netns.devices.get(ifindex)
    master = getattr(dev, "master", None)
    return getattr(master, "ifindex", master) or 0


def _show_proxies(ctx: ToolContext, opts: IpOptions, family: int, device, prefix,
                  flush: bool) -> int:
    """The dump with NTF_PROXY: the kernel keeps the device's entries (NDA_IFINDEX),
    print_neigh() those in the prefix (no state filter for a proxy entry). A flush
    deletes each as it is listed, in rounds as _flush()'s."""
    entries = [e for e in ctx.netns.dump_pneigh() if (not family or e[0] == family)
               and (device is None or e[2] == device.ifindex)
               and (prefix is None or prefix.is_default or e[1] in prefix.network)]
    if flush:
        if not entries:
            if opts.stats:
                ctx.term.out("Nothing to flush.\n")
            return 0
        names = {m.ifindex: m.ifname for m in ctx.netns.dump_links()}
        for _, address, ifindex in entries:
            if opts.stats > 1:
                ctx.term.out(_proxy_text(opts, address, ifindex, device, names))
            ctx.netns.pneigh_delete(address, ifindex)
        if opts.stats:
            ctx.term.out(f"\n*** Round 1, deleting {len(entries)} entries ***\n"
                         "*** Flush is complete after 1 round ***\n")
        return 0
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    names = {m.ifindex: m.ifname for m in ctx.netns.dump_links()}
    for _, address, ifindex in entries:
        _print_proxy(p, address, ifindex, device, names)
    p.end()
    ctx.term.out(p.text())
    return 0


def _print_proxy(p: Printer, address, ifindex: int, device, names: dict) -> None:
    """print_neigh() of a proxy entry: no device when the request named one."""
    p.open_object()
    p.any("dst", "%s ", str(address))
    if device is None and ifindex:
        p.any("dev", "dev %s ", names.get(ifindex, f"if{ifindex}"))
    p.null("proxy", "%s ", "proxy")   # print_null()
    p.fp("\n")
    p.close_object()


def _proxy_text(opts: IpOptions, address, ifindex: int, device, names: dict) -> str:
    p = Printer(False, False, opts.oneline, color=opts.color)
    p.begin()
    _print_proxy(p, address, ifindex, device, names)
    p.end()
    return p.text()
