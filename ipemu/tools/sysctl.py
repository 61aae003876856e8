"""`sysctl` (procps): read and write the namespace's sysctls."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.sysctl import DEVICE_DIRS, device_default, net_table
from ipemu.tools.context import ToolContext


def lookup(ns, key: str) -> str | None:
    """The value of a sysctl in a namespace, None when /proc/sys has no such file:
    what was written, else the recorded default (ipemu/kernel/sysctl_net.txt)."""
    if key in ns.sysctls:
        return ns.sysctls[key]
    parts = key.split(".")
    if len(parts) >= 5 and parts[0] == "net" and parts[1] in ("ipv4", "ipv6") and \
            parts[2] in DEVICE_DIRS:
        dev = parts[3]
        device = ns.by_name(dev) if dev not in ("all", "default") else dev
        if device is None:
            return None
        rest = ".".join(parts[4:])
        if parts[2] == "conf":
            if device_default(parts[1], "conf", device, rest) is None:
                return None
            return ns.conf(4 if parts[1] == "ipv4" else 6, device, rest)
        return device_default(parts[1], "neigh", device, rest)
    return net_table()["namespace"].get(key)


def main(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    write = False
    quiet = False
    while args and args[0].startswith("-"):
        flag = args.pop(0)
        if flag == "-w":
            write = True
        elif flag in ("-q", "--quiet"):
            quiet = True
        elif flag in ("-n", "-e"):
            pass
        else:
            raise CommandError(f"sysctl: unknown option -- '{flag.lstrip('-')}'\n", 255)
    status = 0
    for arg in args:
        key, eq, value = arg.partition("=")
        key = key.replace("/", ".")
        current = lookup(ctx.netns, key)
        if current is None:
            ctx.term.err(f'sysctl: cannot stat /proc/sys/{key.replace(".", "/")}: '
                         "No such file or directory\n")
            status = 1     # procps 4: EXIT_FAILURE for a key that is not there
            continue
        if eq:
            ctx.netns.set_sysctl(key, value.strip())
            if not quiet:
                ctx.term.out(f"{key} = {value.strip()}\n")
        elif write:
            raise CommandError(f'sysctl: "{arg}" must be of the form name=value\n', 255)
        else:
            ctx.term.out(f"{key} = {current}\n")
    return status
