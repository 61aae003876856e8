"""The rest of net-tools that cheat sheets list beside ifconfig, route, arp and
netstat: mii-tool, iptunnel, nameif, rarp, plipconfig and slattach, as far as a
namespace of veths lets them act (their usages, versions and the kernel's refusals:
a veth has no MII PHY, the oracle kernel no ipip/gre/sit modules, no RARP)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import usage_text

E_USAGE = 3          # lib/net-support.h


def _release(ctx: ToolContext) -> str:
    """lib/version.h's Release line, the profile's (ifconfig -V prints it alone)."""
    return ctx.profile["ifconfig_version"]


def main(ctx: ToolContext, argv: list[str]) -> int:
    name = argv[0].rsplit("/", 1)[-1]
    return _TOOLS[name](ctx, argv[1:])


def _getopt(args: list[str], letters: str) -> tuple[list[str], list[str], str]:
    """getopt(): (options, operands, the first refused letter or "")."""
    opts: list[str] = []
    while args and args[0].startswith("-") and args[0] != "-":
        word = args.pop(0)
        if word == "--":
            break
        if word.startswith("--"):
            opts.append(word)
            continue
        for i, ch in enumerate(word[1:]):
            if ch not in letters.replace(":", ""):
                return opts, args, ch
            if letters[letters.index(ch) + 1:letters.index(ch) + 2] == ":":
                rest = word[i + 2:]
                if not rest and args:
                    rest = args.pop(0)
                opts.append(f"-{ch}{rest}")
                break
            opts.append(f"-{ch}")
    return opts, args, ""


def mii_tool(ctx: ToolContext, args: list[str]) -> int:
    """mii-tool.c main(): getopt "A:F:p:lrRvVw?", then each interface's SIOCGMIIPHY,
    which a veth (no PHY) refuses with EOPNOTSUPP."""
    usage = usage_text("mii_tool_usage", ctx.profile)
    opts, ifaces, bad = _getopt(list(args), "A:F:p:lrRvVw?")
    longs = ("--version", "--verbose", "--reset", "--restart", "--watch", "--log",
             "--advertise", "--force", "--phy")
    for word in opts:
        name = word.partition("=")[0]
        if word.startswith("--") and not any(n.startswith(name) for n in longs):
            raise CommandError(f"mii-tool: unrecognized option '{word}'\n" + usage, 2)
    if bad:
        raise CommandError(f"mii-tool: invalid option -- '{bad}'\n" + usage, 2)
    if "-V" in opts or "--version" in opts:
        ctx.term.out(_release(ctx) + "David Hinds based on Donald Becker's mii-diag\n")
        return 0
    if "-?" in opts:
        raise CommandError(usage, 2)
    if not ifaces:
        raise CommandError("No interface specified\n" + usage, 2)
    status = 0
    for name in ifaces:
        error = "No such device" if ctx.netns.by_name(name) is None else \
            "Operation not supported"
        ctx.term.err(f"SIOCGMIIPHY on '{name[:15]}' failed: {error}\n")
        status = 1
    return status


def iptunnel(ctx: ToolContext, args: list[str]) -> int:
    """iptunnel.c main(): show (the default) lists the ipip/gre/sit tunnels, none
    here; add/change/del ask the tunnel driver's base device, which this kernel does
    not have (no ipip, gre or sit module)."""
    usage = usage_text("iptunnel_usage", ctx.profile)
    if args and args[0] in ("-V", "-version", "--version"):
        ctx.term.out(ctx.profile["ipmaddr_version"])     # Release, Signature
        return 0
    if args and args[0] in ("-h", "-help", "--help"):
        ctx.term.out(usage)
        return 0
    if not args or _abbrev(args[0], ("show", "lst", "list")):
        return 0
    verb = args[0]
    if _abbrev(verb, ("add",)) or _abbrev(verb, ("change", "chg")):
        if not any(w in ("ipip", "ip/ip", "gre", "gre/ip", "sit", "ipv6/ip")
                   for w in args[1:]):
            raise CommandError("cannot determine tunnel mode (ipip, gre or sit)\n", 255)
        raise CommandError("ioctl: No such device\n", 255)
    if _abbrev(verb, ("del",)):
        raise CommandError("ioctl: No such device\n", 255)
    raise CommandError(usage, E_USAGE)


def _abbrev(word: str, names: tuple[str, ...]) -> bool:
    """matches(): a prefix of one of the names."""
    return bool(word) and any(name.startswith(word) for name in names)


def rarp(ctx: ToolContext, args: list[str]) -> int:
    """rarp.c: the kernel lost its RARP table long ago (no /proc/net/rarp)."""
    if args and args[0] in ("-V", "--version"):
        ctx.term.out(_release(ctx))
        return 0
    if not args or args[0] in ("-h", "--help"):
        raise CommandError(usage_text("rarp_usage", ctx.profile), E_USAGE)
    raise CommandError("This kernel does not support RARP.\n", 1)


def plipconfig(ctx: ToolContext, args: list[str]) -> int:
    """plipconfig.c: -V, -h (the usage on stdout, status 0), an option it does not
    know (the usage, E_USAGE), else SIOCDEVPLIP on the named interface before any
    nibble/trigger is read: dev_ioctl()'s ENODEV for no such device, EOPNOTSUPP for
    one without ndo_siocdevprivate (no PLIP port here), perror("ioctl"), exit(-1)."""
    if args and args[0] in ("-V", "--version"):
        # plipconfig.c version(): the Release line, then its authors (recorded)
        ctx.term.out(_release(ctx) + "John Paul Morrison, Alan Cox et al.\n")
        return 0
    if args and args[0] in ("-h", "--help"):
        ctx.term.out(usage_text("plipconfig_usage", ctx.profile))
        return 0
    if not args or args[0].startswith("-"):
        raise CommandError(usage_text("plipconfig_usage", ctx.profile), E_USAGE)
    if ctx.netns.by_name(args[0]) is None:
        raise CommandError("ioctl: No such device\n", 255)
    raise CommandError("ioctl: Operation not supported\n", 255)


def slattach(ctx: ToolContext, args: list[str]) -> int:
    if args and args[0] in ("-V", "--version"):
        # slattach.c version(): the Release line, then its authors (recorded)
        ctx.term.out(_release(ctx) + "Fred N. van Kempen et al.\n")
        return 0
    raise CommandError(usage_text("slattach_usage", ctx.profile), E_USAGE)


_TOOLS = {"mii-tool": mii_tool, "iptunnel": iptunnel, "rarp": rarp,
          "plipconfig": plipconfig, "slattach": slattach}
