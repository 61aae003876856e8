"""`ip vrf` (iproute2 6.1 ip/ipvrf.c): show the vrf devices and their tables; exec,
identify and pids (cgroup and BPF work) are not simulated."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.syntax import keyword


def do_ipvrf(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_ipvrf(): show by default, the command the first word abbreviates."""
    if not argv:
        return ipvrf_show(ctx, opts, [])
    cmd = argv[0]
    kw = keyword(cmd)               # grammar/ip.lark vrf_cmd
    if kw in ("identify", "pids", "exec"):
        raise CommandError(f"ipemu: `ip vrf {cmd}` is not simulated yet\n", 1)
    if kw in ("show", "lst", "list"):
        return ipvrf_show(ctx, opts, argv[1:])
    if kw == "help":
        raise usage_error("ip_vrf", ctx.profile)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip vrf help".\n', 255)


def ipvrf_show(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """ipvrf_show(): one vrf's table by name ("default" is main), else the list of
    every vrf device (name, table) under a header."""
    if len(argv) > 1:
        raise usage_error("ip_vrf", ctx.profile)
    ns = ctx.netns
    if argv:
        dev = ns.by_name(argv[0])
        if dev is None and argv[0] == "default":
            table = 254                          # ipvrf_get_table(): "main"
        elif dev is None or dev.vrf_table is None:
            raise CommandError("Invalid VRF\n", 255)
        else:
            table = dev.vrf_table
        ctx.term.out(f"{argv[0]} {table}\n")
        return 0
    p = Printer(opts.json, opts.pretty, opts.oneline)
    p.begin()
    p.fp("%-16s", "Name")
    p.fp("  %5s\n", "Table")
    p.fp("%s\n", "-----------------------")
    count = 0
    for dev in ns.device_list():
        if dev.vrf_table is None:
            continue
        p.open_object()
        p.any("name", "%-16s", dev.name)
        p.any("table", " %5u", dev.vrf_table)
        p.fp("%s", "\n")
        p.close_object()
        count += 1
    if not count:
        p.fp("%s\n", "No VRF has been configured")
    p.end()
    ctx.term.out(p.text())
    return 0
