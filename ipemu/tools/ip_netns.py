"""`ip netns`: named network namespaces (ip/ipnetns.c), as files under /run/netns."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ipargs import EXIT_ARG, matches


def _named(ctx: ToolContext) -> list[str]:
    return [n for n in ctx.host.namespaces if n]


def do_netns(ctx: ToolContext, opts: IpOptions, argv: list[str]):
    cmd = argv[0] if argv else "list"
    rest = argv[1:]
    if matches(cmd, "list") or matches(cmd, "show") or matches(cmd, "lst"):
        return _list(ctx)
    if matches(cmd, "help"):
        raise usage_error("ip_netns")
    if matches(cmd, "add"):
        return _add(ctx, rest)
    if matches(cmd, "delete"):
        return _delete(ctx, rest)
    if matches(cmd, "exec"):
        return _exec(ctx, rest)
    if matches(cmd, "identify"):
        current = ctx.netns.name
        if current:
            ctx.term.out(current + "\n")
        return 0
    if matches(cmd, "list-id"):
        for name in reversed(_named(ctx)):
            nsid = ctx.netns.peer_id(ctx.host.namespaces[name])
            if nsid is not None:
                ctx.term.out(f"nsid {nsid} (iproute2 netns name: {name})\n")
        return 0
    raise CommandError(f'Command "{cmd}" is unknown, try "ip netns help".\n', EXIT_ARG)


def _list(ctx: ToolContext) -> int:
    for name in reversed(_named(ctx)):
        nsid = ctx.netns.peer_id(ctx.host.namespaces[name])
        ctx.term.out(f"{name} (id: {nsid})\n" if nsid is not None else f"{name}\n")
    return 0


def _add(ctx: ToolContext, rest: list[str]) -> int:
    if len(rest) != 1:
        raise CommandError("No netns name specified\n", EXIT_ARG)
    name = rest[0]
    if name in ctx.host.namespaces:
        raise CommandError(f'Cannot create namespace file "/run/netns/{name}": File exists\n', 1)
    if "/" in name or name in (".", ".."):
        raise CommandError(f"Invalid netns name \"{name}\"\n", EXIT_ARG)
    ctx.host.add_namespace(name)
    return 0


def _delete(ctx: ToolContext, rest: list[str]) -> int:
    if len(rest) != 1:
        raise CommandError("No netns name specified\n", EXIT_ARG)
    name = rest[0]
    ns = ctx.host.namespaces.get(name) if name else None
    if ns is None:
        raise CommandError(
            f'Cannot remove namespace file "/run/netns/{name}": No such file or directory\n', 1)
    del ctx.host.namespaces[name]
    ns.destroy()
    return 0


def _exec(ctx: ToolContext, rest: list[str]):
    if not rest:
        raise CommandError("No netns name specified\n", EXIT_ARG)
    name = rest[0]
    ns = ctx.host.namespaces.get(name) if name else None
    if ns is None:
        raise CommandError(
            f'Cannot open network namespace "{name}": No such file or directory\n', EXIT_ARG)
    if len(rest) < 2:
        raise CommandError("No command specified\n", EXIT_ARG)
    return ctx.session.dispatch(rest[1:], ctx.term, netns=ns)
