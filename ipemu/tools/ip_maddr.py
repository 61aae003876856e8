"""`ip maddress` (iproute2 ip/ipmaddr.c): the multicast addresses of each device as
/proc/net/dev_mcast, igmp and igmp6 list them, and `add`/`del` of a link-layer
address by SIOCADDMULTI / SIOCDELMULTI (the kernel side: ipemu/kernel/mcast.py)."""
from __future__ import annotations

import os

from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.mcast import dump_maddr, mc_add_global, mc_del_global
from ipemu.render.link import mac_text
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions
from ipemu.tools.ipargs import (EXIT_ARG, check_ifname, duparg, duparg2,
                                incomplete_command, invarg, matches)
from ipemu.tools.ip_link import ll_addr

USAGE = ("Usage: ip maddr [ add | del ] MULTIADDR dev STRING\n"
         "       ip maddr show [ dev STRING ]\n")
# preferred_family: -0 is AF_PACKET, -4 AF_INET, -6 AF_INET6
FAMILY_FILES = {17: "link", 4: "inet", 6: "inet6"}


def do_multiaddr(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_multiaddr()."""
    if not argv:
        return multiaddr_list(ctx, opts, [])
    cmd = argv[0]
    if matches(cmd, "add"):
        return multiaddr_modify(ctx, opts, argv[1:], add=True)
    if matches(cmd, "delete"):
        return multiaddr_modify(ctx, opts, argv[1:], add=False)
    if matches(cmd, "list") or matches(cmd, "show") or matches(cmd, "lst"):
        return multiaddr_list(ctx, opts, argv[1:])
    if matches(cmd, "help"):
        raise CommandError(USAGE, EXIT_ARG)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip maddr help".\n', EXIT_ARG)


def multiaddr_list(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """multiaddr_list(): each file's entries of the device asked for, merged by ifindex
    (maddr_ins() keeps a device's entries in the order they were read)."""
    dev = None
    for word in argv:
        if word != "dev":
            if matches(word, "help"):
                raise CommandError(USAGE, EXIT_ARG)
            if dev is not None:
                raise duparg2("dev", word)
            dev = word
    wanted = FAMILY_FILES.get(opts.family)
    entries = [e for e in dump_maddr(ctx.netns)
               if (dev is None or e.ifname == dev) and (wanted is None or e.family == wanted)]
    entries.sort(key=lambda e: e.ifindex)          # stable: each file's order stays
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    current = 0
    for entry in entries:
        if entry.ifindex != current or opts.oneline:
            if current:
                p.close_array()
                p.close_object()
            p.open_object()
            p.any("ifindex", "%d:", entry.ifindex)
            p.color_any("ifname", "ifname", "\t%s", entry.ifname)
            p.nl()
            current = entry.ifindex
            p.open_array("maddr")
        _print_maddr(p, entry)
    if current:
        p.close_array()
        p.close_object()
    p.end()
    ctx.term.out(p.text())
    return 0


def _print_maddr(p: Printer, entry) -> None:
    """print_maddr()."""
    p.fp("\t")
    p.open_object()
    if entry.family == "link":
        p.fp("link  ")
        p.color_any("mac", "link", "%s", mac_text(entry.address))
    else:
        # ifa_family_color(): inet magenta, inet6 blue (print_color_string())
        p.any("family", "%-5s ", entry.family)
        p.color_any(entry.family if entry.family in ("inet", "inet6") else None,
                    "address", "%s", str(entry.address))
    if entry.users != 1:
        p.any("users", " users %u", entry.users)
    if entry.static:
        p.any("features", " %s", "static")
    p.fp("\n")
    p.close_object()


def multiaddr_modify(ctx: ToolContext, opts: IpOptions, argv: list[str], add: bool) -> int:
    """multiaddr_modify(): a 6-byte address and a device, then the ioctl."""
    dev = None
    addr = None
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "dev":
            i += 1
            if i >= len(argv):
                raise incomplete_command()
            if dev is not None:
                raise duparg("dev", argv[i])
            if not check_ifname(argv[i]):
                raise invarg('"dev" not a valid ifname', argv[i])
            dev = argv[i]
        else:
            if matches(word, "address"):
                i += 1
                if i >= len(argv):
                    raise incomplete_command()
                word = argv[i]
            if matches(word, "help"):
                raise CommandError(USAGE, EXIT_ARG)
            if addr is not None:
                raise duparg("address", word)
            addr = ll_addr(word)
            if len(addr) != 6:
                raise CommandError(f"Error: Invalid address length {len(addr)} - "
                                   "must be 6 bytes\n", 1)
        i += 1
    if dev is None:
        raise CommandError('Not enough information: "dev" is required.\n', EXIT_ARG)
    if addr is None:
        addr = bytes(6)          # ifr_hwaddr as it was zeroed
    device = ctx.netns.by_name(dev)
    try:
        if device is None:
            raise KernelError(Errno.ENODEV)
        (mc_add_global if add else mc_del_global)(ctx.netns, device, addr)
    except KernelError as err:
        # perror("ioctl")
        raise CommandError(f"ioctl: {os.strerror(err.errno.value)}\n", 1)
    return 0
