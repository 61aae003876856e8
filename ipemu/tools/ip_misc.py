"""The `ip` objects this milestone only answers for: `ip addrlabel` (the kernel's default
label table), `ip neigh` (show/flush of the neighbour table), and `ip xfrm`'s usage."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error, usage_text
from ipemu.tools.ipargs import EXIT_ARG, matches


def do_addrlabel(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    if not argv or matches(argv[0], "list") or matches(argv[0], "show"):
        ctx.term.out(usage_text("ip_addrlabel_default"))
        return 0
    raise CommandError(f"ipemu: `ip addrlabel {argv[0]}` is not simulated yet\n", 1)


def do_neigh(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    cmd = argv[0] if argv else "show"
    if matches(cmd, "help"):
        raise usage_error("ip_neigh")
    if matches(cmd, "show") or matches(cmd, "list") or matches(cmd, "lst"):
        return 0
    if matches(cmd, "flush"):
        if len(argv) < 2:
            raise CommandError("Flush requires arguments.\n", 1)
        return 0
    for keyword in ("add", "delete", "change", "replace", "get"):
        if matches(cmd, keyword):
            raise CommandError(f"ipemu: `ip neigh {keyword}` is not simulated yet\n", 1)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip neigh help".\n', EXIT_ARG)


def do_xfrm(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    raise usage_error("ip_xfrm")
