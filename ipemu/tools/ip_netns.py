"""`ip netns`: named network namespaces (ip/ipnetns.c), as files under /run/netns."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.syntax import keyword
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ipargs import EXIT_ARG
from ipemu.tools.rtnl import talk_error


def _named(ctx: ToolContext) -> list[str]:
    return [n for n in ctx.host.namespaces if n]


def do_netns(ctx: ToolContext, opts: IpOptions, argv: list[str]):
    cmd = argv[0] if argv else "list"
    kw = keyword(cmd) if argv else "list"
    rest = argv[1:]
    if kw == "list" or kw == "show" or kw == "lst":
        return _list(ctx)
    if kw == "help":
        raise usage_error("ip_netns", ctx.profile)
    if kw == "add":
        return _add(ctx, rest)
    if kw == "delete":
        return _delete(ctx, rest)
    if kw == "exec":
        return _exec_all(ctx, rest) if opts.all else _exec(ctx, rest)
    if kw == "identify":
        # the names of the namespace files that are the current namespace (one line,
        # empty for a namespace without a name)
        ctx.term.out(ctx.netns.name + "\n")
        return 0
    if kw == "set":
        return _set(ctx, rest)
    if kw == "list-id":
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
    ctx.host.remove_namespace(name)
    return 0


def _exec(ctx: ToolContext, rest: list[str]):
    if not rest:
        raise CommandError("No netns name specified\n", 1)
    if len(rest) < 2:
        raise CommandError("No command specified\n", 1)
    name = rest[0]
    ns = ctx.host.namespaces.get(name) if name else None
    if ns is None:
        raise CommandError(
            f'Cannot open network namespace "{name}": No such file or directory\n', EXIT_ARG)
    return ctx.session.dispatch(rest[1:], ctx.term, netns=ns)


def _exec_all(ctx: ToolContext, rest: list[str]) -> int:
    """`ip -all netns exec CMD`: CMD in each namespace, newest first, each under a
    `netns: NAME` heading; the command runs to its end before the next one."""
    if not rest:
        raise CommandError("No command specified\n", 1)
    from ipemu.process import Process, wait_for
    for name in reversed(_named(ctx)):
        if name not in ctx.host.namespaces:
            continue      # removed by the command in an earlier one: readdir() moved on
        ctx.term.out(f"\nnetns: {name}\n")
        result = ctx.session.dispatch(rest, ctx.term, netns=ctx.host.namespaces[name])
        if isinstance(result, Process):
            wait_for(ctx.host, result)
    return 0


def _set(ctx: ToolContext, rest: list[str]) -> int:
    """`ip netns set NAME NSID`: give a namespace an id in the current one."""
    if len(rest) != 2:
        raise CommandError("No netns name specified\n" if not rest else
                           "No nsid specified\n", 1)
    ns = ctx.host.namespaces.get(rest[0])
    if ns is None:
        raise CommandError(
            f'Cannot open network namespace "{rest[0]}": No such file or directory\n', 1)
    if rest[1] == "auto":
        ctx.netns.peer_id(ns, alloc=True)
        return 0
    if not rest[1].isdigit():
        raise CommandError(f'Invalid "netnsid" value\n', 1)
    try:
        ctx.netns.set_peer_id(ns, int(rest[1]))
    except KernelError as err:
        raise talk_error(err)
    return 0
