"""The `ip` objects this milestone only answers for: `ip addrlabel` (the kernel's default
label table), and `ip xfrm`'s usage."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error, usage_text
from ipemu.tools.ipargs import EXIT_ARG, matches


def do_addrlabel(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    if not argv or matches(argv[0], "list") or matches(argv[0], "show"):
        ctx.term.out(usage_text("ip_addrlabel_default", ctx.profile))
        return 0
    raise CommandError(f"ipemu: `ip addrlabel {argv[0]}` is not simulated yet\n", 1)


def do_xfrm(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    raise usage_error("ip_xfrm", ctx.profile)
