"""`ip`: global options and the object dispatch of iproute2's ip/ip.c."""
from __future__ import annotations

from dataclasses import dataclass

from ipemu.errors import CommandError
from ipemu.profiles import Profile
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import EXIT_ARG, first_match, invarg, matches


def usage_text(name: str, profile: Profile) -> str:
    """A usage text of the real tool (tools/usage/NAME.txt) as the profile's version
    prints it: every caller names the profile, so `--profile el7` never falls back
    to the default's text by accident."""
    return profile.usage(name)


def usage_error(name: str, profile: Profile, status: int = EXIT_ARG) -> CommandError:
    """usage(): the text on stderr and exit(-1), iproute2's usual end of a usage."""
    return CommandError(usage_text(name, profile), status)


@dataclass
class IpOptions:
    family: int = 0
    stats: int = 0
    details: int = 0
    oneline: bool = False
    brief: bool = False
    json: bool = False
    pretty: bool = False
    numeric: bool = False
    netns: str | None = None
    all: bool = False        # -all: `ip -all netns exec` runs in every namespace
    batch: str | None = None  # -batch FILE: each line an ip command (`-` is stdin)
    force: bool = False      # -force: a batch goes on after a failed line
    timestamp: int = 0       # -t: `ip monitor` stamps each message
    timestamp_short: bool = False   # -ts


FAMILIES = {"inet": 4, "inet6": 6, "link": 17, "mpls": 28, "bridge": 7}


def parse_global(argv: list[str], ctx: ToolContext) -> tuple[IpOptions, list[str]]:
    """ip.c main(): options until the first word not starting with '-'."""
    opts = IpOptions()
    args = list(argv)
    while args:
        opt = args[0]
        if opt == "--":
            args.pop(0)
            break
        if not opt.startswith("-"):
            break
        if opt.startswith("--"):
            opt = opt[1:]
        if matches(opt, "-loops"):
            args.pop(0)
            if not args:
                raise usage_error("ip", profile=ctx.profile)
        elif matches(opt, "-family"):
            args.pop(0)
            if not args or args[0] == "help":
                raise usage_error("ip", profile=ctx.profile)
            family = FAMILIES.get(args[0])
            if args[0] in ("inet", "inet6", "link") or args[0] in FAMILIES:
                opts.family = family
            else:
                raise CommandError(
                    f'Error: argument "{args[0]}" is wrong: invalid protocol family\n', EXIT_ARG)
        elif opt == "-4":
            opts.family = 4
        elif opt == "-6":
            opts.family = 6
        elif opt == "-0":
            opts.family = 17
        elif opt in ("-M", "-B"):
            opts.family = 28 if opt == "-M" else 7
        elif matches(opt, "-human") or matches(opt, "-human-readable"):
            pass
        elif matches(opt, "-iec"):
            pass
        elif matches(opt, "-stats") or matches(opt, "-statistics"):
            opts.stats += 1
        elif matches(opt, "-details"):
            opts.details += 1
        elif matches(opt, "-resolve"):
            pass
        elif matches(opt, "-oneline"):
            opts.oneline = True
        elif matches(opt, "-timestamp"):
            opts.timestamp += 1
        elif matches(opt, "-tshort"):
            opts.timestamp += 1
            opts.timestamp_short = True
        elif matches(opt, "-Version"):
            ctx.term.out(ctx.profile["ip_version"] + "\n")
            raise _Exit(0)
        elif matches(opt, "-force"):
            opts.force = True
        elif matches(opt, "-batch"):
            args.pop(0)
            if not args:
                raise usage_error("ip", profile=ctx.profile)
            opts.batch = args[0]
        elif matches(opt, "-brief"):
            opts.brief = True
        elif matches(opt, "-json"):
            opts.json = True
        elif matches(opt, "-pretty"):
            opts.pretty = True
        elif matches(opt, "-rcvbuf"):
            args.pop(0)
            if not args:
                raise usage_error("ip", profile=ctx.profile)
            from ipemu.tools.ipargs import get_unsigned
            if get_unsigned(args[0]) is None:
                raise CommandError(f"Invalid rcvbuf size '{args[0]}'\n", EXIT_ARG)
        elif opt.partition("=")[0] != "-" and matches(opt.partition("=")[0], "-color"):
            value = opt.partition("=")[2]
            if value not in ("", "always", "auto", "never"):
                raise CommandError(f'Option "{opt}" is unknown, try "ip -help".\n', EXIT_ARG)
        elif matches(opt, "-help"):
            raise usage_error("ip", profile=ctx.profile)
        elif matches(opt, "-netns"):
            args.pop(0)
            if not args:
                raise CommandError(
                    'Cannot open network namespace "(null)": No such file or directory\n',
                    EXIT_ARG)
            opts.netns = args[0]
            if args[0] not in ctx.host.namespaces or not args[0]:
                raise CommandError(
                    f'Cannot open network namespace "{args[0]}": No such file or directory\n',
                    EXIT_ARG)
        elif matches(opt, "-Numeric"):
            opts.numeric = True
        elif matches(opt, "-all"):
            opts.all = True
        elif opt == "-echo":
            pass
        else:
            raise CommandError(f'Option "{opt}" is unknown, try "ip -help".\n', EXIT_ARG)
        args.pop(0)
    return opts, args


def incomplete() -> CommandError:
    from ipemu.tools.ipargs import incomplete_command
    return incomplete_command()


class _Exit(Exception):
    def __init__(self, status: int):
        self.status = status


def main(ctx: ToolContext, argv: list[str]) -> int:
    try:
        opts, args = parse_global(argv[1:], ctx)
    except _Exit as done:
        return done.status
    if opts.netns:
        ctx.netns = ctx.host.namespaces[opts.netns]
    if opts.batch is not None:      # the words after the file are never looked at
        from ipemu.tools.ip_batch import batch
        return batch(ctx, opts, opts.batch)
    if not args:
        raise usage_error("ip", profile=ctx.profile)
    return do_cmd(ctx, opts, args)


def do_cmd(ctx: ToolContext, opts: IpOptions, args: list[str]) -> int:
    """ip.c do_cmd(): the first object of the profile's cmds[] the word abbreviates
    handles the rest."""
    obj = first_match(args[0], ctx.profile["ip_objects"])
    if obj is None:
        raise CommandError(f'Object "{args[0]}" is unknown, try "ip help".\n', 1)
    handler = _handler(obj)
    if handler is None:
        raise CommandError(f"ipemu: `ip {obj}` is not simulated yet\n", 1)
    return handler(ctx, opts, args[1:])


def _help(ctx: ToolContext, opts: IpOptions, args: list[str]) -> int:
    raise usage_error("ip", profile=ctx.profile)


# object of a profile's `ip_objects` -> (module, function), imported only when that
# object is used; an object with no entry is not simulated yet
HANDLERS = {
    "address": ("ip_addr", "do_ipaddr"),
    "addrlabel": ("ip_misc", "do_addrlabel"),
    "link": ("ip_link", "do_iplink"),
    "monitor": ("ip_monitor", "do_ipmonitor"),
    "neighbor": ("ip_neigh", "do_neigh"),
    "neighbour": ("ip_neigh", "do_neigh"),
    "netns": ("ip_netns", "do_netns"),
    "route": ("ip_route", "do_iproute"),
    "rule": ("ip_rule", "do_iprule"),
    "xfrm": ("ip_misc", "do_xfrm"),
}


def _handler(obj: str):
    if obj == "help":
        return _help
    if obj not in HANDLERS:
        return None
    import importlib
    module, function = HANDLERS[obj]
    return getattr(importlib.import_module(f"ipemu.tools.{module}"), function)


__all__ = ["main", "IpOptions", "usage_error", "invarg"]
