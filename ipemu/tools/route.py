"""net-tools `route`: the IPv4 routing table as /proc/net/route shows it."""
from __future__ import annotations

import ipaddress

from ipemu.errors import CommandError
from ipemu.kernel.fib import RTN, TABLE_MAIN, Route
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import usage_text

# /etc/networks on Debian: what `route` without -n prints for these networks
NETWORK_NAMES = {ipaddress.IPv4Network("0.0.0.0/0"): "default",
                 ipaddress.IPv4Network("127.0.0.0/8"): "loopback",
                 ipaddress.IPv4Network("169.254.0.0/16"): "link-local"}

HEADERS = {
    0: "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n",
    1: "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n",
    2: "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    "
       "MSS   Window irtt\n",
}


def _usage(ctx: ToolContext, status: int, to_stderr: bool = False) -> int:
    text = usage_text("route_usage")
    if to_stderr:
        raise CommandError(text + usage_text("route_families"), status)
    ctx.term.out(text)
    ctx.term.err(usage_text("route_families"))
    return status


def main(ctx: ToolContext, argv: list[str]) -> int:
    numeric = False
    extend = 0
    family = "inet"
    cache = False
    words: list[str] = []
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("--") and len(arg) > 2:
            long = arg[2:]
            if long == "numeric":
                numeric = True
            elif long == "extend":
                extend += 1
            elif long == "help":
                return _usage(ctx, 0)
            elif long in ("fib", "verbose"):
                pass
            elif long == "cache":
                cache = True
            elif long in ("inet", "inet6"):
                family = long
            elif long == "version":
                ctx.term.out("net-tools 2.10\n")
                return 0
            else:
                ctx.term.err(f"route: unrecognized option '{arg}'\n")
                return _usage(ctx, 0)
        elif arg.startswith("-") and len(arg) > 1:
            j = 1
            while j < len(arg):
                ch = arg[j]
                if ch == "n":
                    numeric = True
                elif ch == "N":
                    pass
                elif ch == "e":
                    extend += 1
                elif ch in "vF":
                    pass
                elif ch == "C":
                    cache = True
                elif ch == "4":
                    family = "inet"
                elif ch == "6":
                    family = "inet6"
                elif ch == "h":
                    return _usage(ctx, 0)
                elif ch == "V":
                    ctx.term.out("net-tools 2.10\n")
                    return 0
                elif ch == "A":
                    rest = arg[j + 1:]
                    if not rest:
                        i += 1
                        rest = args[i] if i < len(args) else ""
                    family = rest
                    break
                else:
                    ctx.term.err(f"route: invalid option -- '{ch}'\n")
                    return _usage(ctx, 0)
                j += 1
        else:
            words.append(arg)
        i += 1
    if family not in ("inet", "inet6"):
        raise CommandError(f"Unknown address family `{family}'.\n", 1)
    if words:
        if words[0] in ("add", "del"):
            if len(words) == 1:
                if family == "inet6":
                    raise CommandError(usage_text("inet6_route"), 3)
                ctx.term.out(usage_text("inet_route"))
                return 0
            raise CommandError("ipemu: `route add/del` is not simulated yet; use `ip route`\n", 1)
        return _usage(ctx, 3, to_stderr=True)
    if family == "inet6":
        raise CommandError("ipemu: `route -6` is not simulated yet; use `ip -6 route`\n", 1)
    if cache:
        ctx.term.out("Kernel IP routing cache\n" + HEADERS[0].replace(
            "Genmask         Flags", "Source          Flags"))
        return 0
    return print_table(ctx, numeric, min(extend, 2))


def flags_of(route: Route) -> str:
    """fib_flag_trans() as net-tools decodes it."""
    if route.type in (RTN.UNREACHABLE, RTN.PROHIBIT):
        return "!"
    flags = "U"
    if route.gateway is not None:
        flags += "G"
    if route.dst.prefixlen == 32:
        flags += "H"
    return flags


def print_table(ctx: ToolContext, numeric: bool, extend: int) -> int:
    ns = ctx.netns
    table = ns.table(4, TABLE_MAIN)
    out = ["Kernel IP routing table\n", HEADERS[extend]]
    routes = table.sorted_routes() if table is not None else []
    for route in routes:
        if route.type in (RTN.BROADCAST, RTN.MULTICAST):
            continue
        net = route.dst
        dest = str(net.network_address)
        if not numeric and net in NETWORK_NAMES:
            dest = NETWORK_NAMES[net]
        reject = route.type in (RTN.UNREACHABLE, RTN.PROHIBIT)
        gateway = "-" if reject else str(route.gateway or "0.0.0.0")
        dev = ns.by_index(route.oif)
        iface = "-" if reject else (dev.name if dev is not None else "*")
        ref = "-" if reject else "0"
        flags = flags_of(route)
        mask = str(net.netmask)
        if extend == 0:
            out.append(f"{dest:<15} {gateway:<15} {mask:<15} {flags:<5} {route.priority:<6} "
                       f"{ref:<2} {0:>7} {iface}\n")
        elif extend == 1:
            out.append(f"{dest:<15} {gateway:<15} {mask:<15} {flags:<5} {0:>5} {0:<6} "
                       f"{0:>5} {iface}\n")
        else:
            out.append(f"{dest:<15} {gateway:<15} {mask:<15} {flags:<5} {route.priority:<6} "
                       f"{ref:<2} {0:>7} {iface:<8} {0:<5} {0:<6} {0}\n")
    ctx.term.out("".join(out))
    # /proc/net/route of a namespace without an IPv4 main table is empty: route fails
    return 0 if table is not None else 1
