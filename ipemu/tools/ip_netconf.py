"""`ip netconf` (iproute2 ip/ipnetconf.c): the per-device forwarding, rp_filter,
mc_forwarding, proxy_neigh and ignore_routes_with_linkdown the kernel reports."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.render.netconf import print_netconf
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import matches

USAGE = "Usage: ip netconf show [ dev STRING ]\n"


def do_ipnetconf(ctx: ToolContext, opts, argv: list[str]) -> int:
    """do_ipnetconf(): show (list, lst) is the only command, and the default."""
    if not argv:
        return do_show(ctx, opts, [])
    word = str(argv[0])
    if matches(word, "show") or matches(word, "lst") or matches(word, "list"):
        return do_show(ctx, opts, [str(w) for w in argv[1:]])
    if matches(word, "help"):
        raise CommandError(USAGE, 255)
    raise CommandError(f'Command "{word}" is unknown, try "ip netconf help".\n', 255)


def do_show(ctx: ToolContext, opts, argv: list[str]) -> int:
    """do_show(): words other than `dev NAME` are skipped; the dump runs per family
    (IPv4 then IPv6 when no -4/-6 is given) and print_netconf() keeps the device's."""
    ns = ctx.netns
    ifindex = 0
    while argv:
        if argv[0] == "dev":
            if len(argv) < 2:
                raise CommandError('Command line is not complete. Try option "help"\n', 255)
            dev = ns.by_name(argv[1])
            if dev is None:
                # do_show() returns -1, which do_cmd() turns into 1
                raise CommandError(f'Device "{argv[1]}" does not exist.\n', 1)
            ifindex = dev.ifindex
            argv = argv[1:]
        argv = argv[1:]
    families = (opts.family,) if opts.family in (4, 6) else (4, 6)
    if opts.family not in (0, 4, 6):
        # `ip -0 netconf`: RTM_GETNETCONF of AF_PACKET, which the kernel answers
        # through PF_UNSPEC with inet/inet6 devconfs that print_netconf()'s family
        # filter drops (recorded: nothing, status 0; `[]` under -j; with a device,
        # the single request's answer dropped too)
        families = ()
    names = {dev.ifindex: dev.name for dev in ns.device_list()}
    # do_show(): a device with -4/-6 is a single RTM_GETNETCONF answered through
    # rtnl_listen() with no new_json_obj(): print_netconf() then writes text even
    # under -j (json_print.c has no writer); the dumps are JSON
    single = bool(ifindex) and opts.family != 0
    p = Printer(opts.json and not single, opts.pretty, color=opts.color)
    p.begin()   # one JSON array over both families' dumps, as recorded
    for family in families:
        for msg in ns.dump_netconf(family):
            if ifindex and msg.ifindex != ifindex:
                continue
            print_netconf(p, msg, names.get(msg.ifindex, ""))
    p.end()
    ctx.term.out(p.text())
    return 0
