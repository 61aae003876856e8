"""`ip tuntap` (iproute2 6.1 ip/iptuntap.c): add and delete tun/tap devices through
/dev/net/tun's ioctls (TUNSETIFF, TUNSETOWNER, TUNSETGROUP, TUNSETPERSIST), and list
them from a link dump and their sysfs files (tun_flags, owner, group)."""
from __future__ import annotations


from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.kernel.netdev import (IFF_MULTI_QUEUE, IFF_NO_PI, IFF_ONE_QUEUE, IFF_PERSIST,
                                 IFF_TAP, IFF_TUN, IFF_TUN_EXCL, IFF_VNET_HDR)
from ipemu.kernel.tun import tun_release, tun_set_iff, tun_set_persist
from ipemu.plainclass import dataclass
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.syntax import keyword
from ipemu.tools.ipargs import EXIT_ARG, Args, check_ifname, duparg2, invarg
from ipemu.tools.rtnl import strerror

IFF_NOFILTER = 0x1000        # the same bit as IFF_NO_PI: print_flags() shows both


@dataclass
class Ifreq:
    """struct ifreq as parse_args() fills it, with the owner and group asked for."""

    name: str = ""
    flags: int = IFF_NO_PI
    uid: int = -1
    gid: int = -1


def do_iptuntap(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_iptuntap(): add, delete, show/lst/list (the default), help."""
    if not argv:
        return do_show(ctx, opts)
    cmd = argv[0]
    kw = keyword(cmd)               # grammar/ip.lark tuntap_cmd
    if kw == "add":
        return do_add(ctx, argv[1:])
    if kw == "delete":
        return do_del(ctx, argv[1:])
    if kw in ("show", "lst", "list"):
        return do_show(ctx, opts)
    if kw == "help":
        raise usage_error("ip_tuntap", ctx.profile)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip tuntap help".\n', EXIT_ARG)


def _owner(ctx: ToolContext, value: str, what: str) -> int:
    """strtol() of a number, else getpwnam()/getgrnam() of the profile's /etc/passwd
    and /etc/group."""
    if value and value.lstrip("-").isdigit():
        return int(value)
    table = ctx.profile["etc_passwd" if what == "user" else "etc_group"]
    for line in table.splitlines():
        fields = line.split(":")
        if len(fields) > 2 and fields[0] == value and fields[2].isdigit():
            return int(fields[2])
    raise CommandError(f'invalid {what} "{value}"\n', EXIT_ARG)


def parse_args(ctx: ToolContext, argv: list[str], owners: bool) -> Ifreq:
    """parse_args(): `user` and `group` only for add (del passes no uid/gid, so there
    they are names)."""
    ifr = Ifreq()
    args = Args(argv)
    while args:
        word = args.cur
        kw = keyword(word)          # grammar/ip.lark tuntap_add_opt, tuntap_opt
        if kw == "mode":
            value = args.next_arg()
            if keyword(value) == "tun":
                if ifr.flags & IFF_TAP:
                    raise CommandError("You managed to ask for more than one tunnel mode.\n",
                                       EXIT_ARG)
                ifr.flags |= IFF_TUN
            elif keyword(value) == "tap":
                if ifr.flags & IFF_TUN:
                    raise CommandError("You managed to ask for more than one tunnel mode.\n",
                                       EXIT_ARG)
                ifr.flags |= IFF_TAP
            else:
                raise CommandError(f'Unknown tunnel mode "{value}"\n', EXIT_ARG)
        elif owners and kw == "user":
            ifr.uid = _owner(ctx, args.next_arg(), "user")
        elif owners and kw == "group":
            ifr.gid = _owner(ctx, args.next_arg(), "group")
        elif kw == "pi":
            ifr.flags &= ~IFF_NO_PI
        elif kw == "one_queue":
            ifr.flags |= IFF_ONE_QUEUE
        elif kw == "vnet_hdr":
            ifr.flags |= IFF_VNET_HDR
        elif kw == "multi_queue":
            ifr.flags |= IFF_MULTI_QUEUE
        elif kw == "dev":
            value = args.next_arg()
            if not check_ifname(value):
                raise invarg('"dev" not a valid ifname', value)
            ifr.name = value
        else:
            if kw == "name":
                word = args.next_arg()
            elif kw == "help":
                raise usage_error("ip_tuntap", ctx.profile)
            if ifr.name:
                raise duparg2("name", word)
            if not check_ifname(word):
                raise invarg('"name" not a valid ifname', word)
            ifr.name = word
        args.advance()
    if not ifr.flags & (IFF_TUN | IFF_TAP):
        raise CommandError("You failed to specify a tunnel mode\n", 1)
    return ifr


def _ioctl_error(name: str, err: KernelError) -> CommandError:
    """perror() of the failing ioctl; the command then exits 1."""
    return CommandError(f"ioctl({name}): {strerror(err.errno)}\n", 1)


def do_add(ctx: ToolContext, argv: list[str]) -> int:
    """tap_add_ioctl(): TUNSETIFF with IFF_TUN_EXCL, the owner and group, persist."""
    ifr = parse_args(ctx, argv, owners=True)
    try:
        dev, _ = tun_set_iff(ctx.netns, ifr.name, ifr.flags | IFF_TUN_EXCL)
    except KernelError as err:
        raise _ioctl_error("TUNSETIFF", err)
    dev.tun.owner, dev.tun.group = ifr.uid, ifr.gid
    tun_set_persist(ctx.netns, dev, True)
    tun_release(ctx.netns, dev)
    return 0


def do_del(ctx: ToolContext, argv: list[str]) -> int:
    """tap_del_ioctl(): attach (a name nobody has makes a device), persist off, close:
    the device goes."""
    ifr = parse_args(ctx, argv, owners=False)
    try:
        dev, _ = tun_set_iff(ctx.netns, ifr.name, ifr.flags)
    except KernelError as err:
        raise _ioctl_error("TUNSETIFF", err)
    tun_set_persist(ctx.netns, dev, False)
    tun_release(ctx.netns, dev)
    return 0


FLAG_NAMES = ((IFF_TUN, "tun", True), (IFF_TAP, "tap", True), (IFF_NO_PI, "pi", False),
              (IFF_ONE_QUEUE, "one_queue", True), (IFF_MULTI_QUEUE, "multi_queue", True),
              (IFF_VNET_HDR, "vnet_hdr", True), (IFF_PERSIST, "persist", True),
              (IFF_NOFILTER, "filter", False))


def do_show(ctx: ToolContext, opts: IpOptions) -> int:
    """do_show(): a link dump filtered on kind "tun" (ARPHRD_NONE or ARPHRD_ETHER),
    each with its sysfs tun_flags, owner and group (print_tuntap(), print_flags())."""
    p = Printer(opts.json, opts.pretty, color=opts.color)
    p.begin()
    for msg in ctx.netns.dump_links():
        if msg.kind != "tun" or msg.link_type not in ("none", "ether"):
            continue
        dev = ctx.netns.by_index(msg.ifindex)
        flags, owner, group = dev.tun.flags, dev.tun.owner, dev.tun.group
        p.open_object()
        p.color_any("ifname", "ifname", "%s:", msg.ifname)
        p.open_array("flags")
        for bit, name, when_set in FLAG_NAMES:
            if bool(flags & bit) == when_set:
                p.any(None, " %s", name)
        p.close_array()
        if owner != -1:
            p.any("user", " user %d", owner)
        if group != -1:
            p.any("group", " group %d", group)
        if opts.details:
            p.fp("\n\tAttached to processes:")
            p.open_array("processes")
            p.close_array()
        p.close_object()
        p.fp("\n")
    p.end()
    ctx.term.out(p.text())
    return 0
