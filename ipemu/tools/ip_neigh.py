"""`ip neighbour`: show, flush, add, change, replace, delete (iproute2 ip/ipneigh.c)
over the simulated ARP and ND tables."""
from __future__ import annotations


from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.neigh import Nud
from ipemu.kernel.records import neigh_msg
from ipemu.render.neigh import STATE_NAMES, print_neigh
from ipemu.render.printer import Printer
from ipemu.syntax import keyword
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ip_link import ll_addr
from ipemu.tools.ipargs import EXIT_ARG, Args, duparg, duparg2, get_prefix, invarg, matches
from ipemu.tools.rtnl import talk_error

NUD_BY_NAME = {name.lower(): state for state, name in STATE_NAMES}
NUD_BY_NAME.update({"none": Nud.NONE, "noarp": Nud.NOARP})


def do_neigh(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    if not argv:
        return show_or_flush(ctx, opts, [], flush=False)
    cmd, rest = argv[0], argv[1:]
    kw = keyword(cmd)
    if kw == "add":
        return modify(ctx, opts, rest, create=True, excl=True)
    if kw == "change" or kw == "chg":
        return modify(ctx, opts, rest, create=False, excl=False)
    if kw == "replace":
        return modify(ctx, opts, rest, create=True, excl=False)
    if kw == "delete":
        return delete(ctx, opts, rest)
    if kw == "get":
        return get(ctx, opts, rest)
    if kw == "show" or kw == "list" or kw == "lst":
        return show_or_flush(ctx, opts, rest, flush=False)
    if kw == "flush":
        return show_or_flush(ctx, opts, rest, flush=True)
    if kw == "help":
        raise usage_error("ip_neigh", ctx.profile)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip neigh help".\n', EXIT_ARG)


def _parse_modify(ctx: ToolContext, opts: IpOptions, argv: list[str]):
    args = Args(argv)
    dst = dev = lladdr = None
    state = Nud.PERMANENT
    router = proxy = False
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
            if value not in NUD_BY_NAME:
                raise invarg("nud state is bad", value)
            state = NUD_BY_NAME[value]
        elif kw == "dev":
            dev = args.next_arg()
        elif kw == "router":
            router = True
        elif kw == "proxy":
            proxy = True
            value = args.next_arg()
            if dst is not None:
                raise duparg("address", value)
            dst = value
        elif kw in ("use", "managed", "extern_learn"):
            pass
        else:
            if kw == "to":
                word = args.next_arg()
            if matches(word, "help"):
                raise usage_error("ip_neigh", ctx.profile)
            if dst is not None:
                raise duparg2("to", word)
            dst = word
        args.advance()
    if dev is None or dst is None:
        raise CommandError("Device and destination are required arguments.\n", EXIT_ARG)
    family = opts.family if opts.family in (4, 6) else 0
    address = get_prefix(dst, family).address
    mac = None
    if lladdr is not None and lladdr != "null":
        mac = ll_addr(lladdr)
    device = ctx.netns.by_name(dev)
    if device is None:
        raise CommandError(f'Cannot find device "{dev}"\n', 1)
    return address, device, mac, state, router, proxy


def _table(ctx: ToolContext, address):
    stack = ctx.netns.stack
    return stack.arp if address.version == 4 else stack.nd


def modify(ctx: ToolContext, opts: IpOptions, argv: list[str], *, create: bool, excl: bool) -> int:
    address, device, mac, state, router, proxy = _parse_modify(ctx, opts, argv)
    if proxy:
        try:
            ctx.netns.pneigh_add(address, device.ifindex, create, excl)
        except KernelError as err:
            raise talk_error(err)
        return 0
    table = _table(ctx, address)
    entry = table.lookup(device.ifindex, address)
    try:
        if entry is not None and excl:
            raise KernelError(Errno.EEXIST)
        if entry is None and not create:
            raise KernelError(Errno.ENOENT)
        if entry is None:
            entry = table.entry(device.ifindex, address)
        if mac is None and state & (Nud.PERMANENT | Nud.REACHABLE | Nud.STALE | Nud.DELAY |
                                    Nud.PROBE | Nud.NOARP) and entry.lladdr is None:
            # the kernel keeps the entry it created (state NONE) before refusing
            raise KernelError(Errno.EINVAL, "No link layer address given")
        table.set_static(entry, mac, state, router)
    except KernelError as err:
        raise talk_error(err)
    return 0


def get(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """ipneigh_get(): RTM_GETNEIGH for one address on one device (`proxy ADDR` for a
    proxy entry), printed by print_neigh() as text even under -j (6.1 opens no JSON
    object for it)."""
    family = opts.family if opts.family in (4, 6) else 0
    args = Args(argv)
    dev = dst = None
    proxy = False
    while args:
        word = args.cur
        if word == "dev":
            dev = args.next_arg()
        elif word == "proxy":
            value = args.next_arg()
            if dst is not None:
                raise duparg("address", value)
            dst, proxy = get_prefix(value, family).address, True
        else:
            if word == "to":
                word = args.next_arg()
            if matches(word, "help"):
                raise usage_error("ip_neigh", ctx.profile)
            if dst is not None:
                raise duparg2("to", word)
            dst = get_prefix(word, family).address
        args.advance()
    if dev is None or dst is None:
        raise CommandError("Device and address are required arguments.\n", 1)
    device = ctx.netns.by_name(dev)
    if device is None:
        raise CommandError(f'Cannot find device "{dev}"\n', 1)
    p = Printer(False, False, opts.oneline)
    if proxy:
        # neigh_get() -> pneigh_get_reply()
        if (dst.version, dst, device.ifindex) not in ctx.netns.dump_pneigh():
            raise talk_error(KernelError(Errno.ENOENT, "Proxy neighbour entry not found"))
        p.fp("%s dev %s proxy \n", str(dst), device.name)
    else:
        entry = _table(ctx, dst).lookup(device.ifindex, dst)
        if entry is None:
            raise talk_error(KernelError(Errno.ENOENT, "Neighbour entry not found"))
        table = _table(ctx, dst)
        # neigh_get() holds a reference on the entry while it answers
        msg = neigh_msg(entry, table.clock.now, held=1) if opts.stats else neigh_msg(entry)
        print_neigh(p, msg, device.name, stats=bool(opts.stats))
    ctx.term.out(p.text())
    return 0


def delete(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    address, device, _, _, _, proxy = _parse_modify(ctx, opts, argv)
    if proxy:
        try:
            ctx.netns.pneigh_delete(address, device.ifindex)
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
    family = opts.family if opts.family in (4, 6) else 0
    args = Args(argv)
    dev_name = None
    states = None
    prefix = None
    show_proxy = False
    while args:
        word = args.cur
        if word == "dev":
            dev_name = args.next_arg()
        elif word == "nud":
            value = args.next_arg()
            if states is None:
                states = 0
            if value == "all":
                states |= 0x1FF & ~int(Nud.NOARP)
            elif value in NUD_BY_NAME:
                states |= int(NUD_BY_NAME[value]) or 0x100
            else:
                raise invarg("nud state is bad", value)
        elif word == "proxy":
            show_proxy = True
        elif word in ("unused", "nomaster"):
            pass
        elif word in ("master", "vrf") or matches(word, "protocol"):
            args.next_arg()
        else:
            if word == "to":
                word = args.next_arg()
            if matches(word, "help"):
                raise usage_error("ip_neigh", ctx.profile)
            prefix = get_prefix(word, family)
            family = family or prefix.family
        args.advance()
    if states is None:
        states = 0xFF & ~int(Nud.PERMANENT | Nud.NOARP) if flush else 0xFF & ~int(Nud.NOARP)
    device = None
    if dev_name is not None:
        device = ctx.netns.by_name(dev_name)
        if device is None:
            raise CommandError(f'Cannot find device "{dev_name}"\n', 1)
    if show_proxy:
        return _show_proxies(ctx, opts, family, dev_name, flush)
    stack = ctx.netns.stack
    tables = [(4, stack.arp), (6, stack.nd)]
    selected = []
    for fam, table in tables:
        if family and fam != family:
            continue
        for n in list(table.entries.values()):
            if device is not None and n.ifindex != device.ifindex:
                continue
            if not (states & int(n.state)) and (n.state or not states & 0x100):
                continue
            if prefix is not None and not prefix.is_default and n.addr not in prefix.network:
                continue
            if only is not None and (n.ifindex, n.addr) != only:
                continue
            selected.append((table, n))
    if flush:
        for table, n in selected:
            table.remove(n.ifindex, n.addr)
        return 0
    p = Printer(opts.json, opts.pretty, opts.oneline)
    p.begin()
    names = {m.ifindex: m.ifname for m in ctx.netns.dump_links()}
    for table, n in selected:
        msg = neigh_msg(n, table.clock.now) if opts.stats else neigh_msg(n)
        print_neigh(p, msg, None if device is not None
                    else names.get(n.ifindex, f"if{n.ifindex}"), stats=bool(opts.stats))
    p.end()
    ctx.term.out(p.text())
    return 0


def _show_proxies(ctx: ToolContext, opts: IpOptions, family: int, dev_name, flush: bool) -> int:
    device = ctx.netns.by_name(dev_name) if dev_name else None
    if dev_name and device is None:
        raise CommandError(f'Cannot find device "{dev_name}"\n', 1)
    entries = [e for e in ctx.netns.dump_pneigh() if (not family or e[0] == family)
               and (device is None or e[2] == device.ifindex)]
    if flush:
        for _, address, ifindex in entries:
            ctx.netns.pneigh_delete(address, ifindex)
        return 0
    p = Printer(opts.json, opts.pretty, opts.oneline)
    p.begin()
    names = {m.ifindex: m.ifname for m in ctx.netns.dump_links()}
    for _, address, ifindex in entries:
        p.open_object()
        p.any("dst", "%s ", str(address))
        if device is None:
            p.any("dev", "dev %s ", names.get(ifindex, f"if{ifindex}"))
        p.any("proxy", "%s ", "proxy")
        p.fp("\n")
        p.close_object()
    p.end()
    ctx.term.out(p.text())
    return 0
