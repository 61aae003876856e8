"""glibc's getent(1) for the databases network tutorials ask: hosts (and ahosts'
plain form), passwd, group. Names come from this host's /etc/hosts and the profile's
user and group files; there is no DNS to ask (resolver.py)."""
from __future__ import annotations

from ipemu.tools.context import ToolContext

TRY = "Try `getent --help' or `getent --usage' for more information.\n"


def main(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    if not args:
        ctx.term.err("getent: wrong number of arguments\n" + TRY)
        return 1
    db, keys = args[0], args[1:]
    if db == "hosts":
        return _hosts(ctx, keys)
    if db == "networks":
        return _networks(ctx, keys)
    if db in ("passwd", "group"):
        return _table(ctx, ctx.profile["etc_passwd" if db == "passwd" else "etc_group"], keys)
    ctx.term.err(f"Unknown database: {db}\n" + TRY)
    return 1


def _line(address, names: list[str]) -> str:
    """print_hosts(): the address in 15 columns, then the canonical name and aliases."""
    return f"{str(address):<15} {' '.join(names)}\n"


def _hosts(ctx: ToolContext, keys: list[str]) -> int:
    """hosts_keys(): gethostbyaddr() of an address, gethostbyname2() of a name (the
    first /etc/hosts line that has it); without keys, every line (gethostent())."""
    import ipaddress
    from ipemu.tools.resolver import hosts_entries
    entries = hosts_entries(ctx.session)
    if not keys:
        # gethostent() for AF_INET: the IPv4 lines, ::1's as 127.0.0.1 (files-hosts.c
        # maps the IPv6 loopback), the other IPv6 lines left out
        loopback = ipaddress.IPv4Address("127.0.0.1")
        ctx.term.out("".join(_line(address if address.version == 4 else loopback, names)
                             for address, names in entries
                             if address.version == 4 or address.is_loopback))
        return 0
    status = 0
    for key in keys:
        try:
            wanted = ipaddress.ip_address(key)
        except ValueError:
            wanted = None
        if wanted is not None:
            found = next(((address, names) for address, names in entries
                          if address == wanted), None)
        else:
            # gethostbyname2(): AF_INET6 first, then AF_INET
            found = next(((address, names) for version in (6, 4)
                          for address, names in entries
                          if address.version == version and key in names), None)
        if found is None:
            status = 2
            continue
        ctx.term.out(_line(*found))
    return status


def _networks(ctx: ToolContext, keys: list[str]) -> int:
    """networks_keys(): getnetbyaddr() of a dotted number, else getnetbyname(), in
    /etc/networks (netbase's three lines); print_networks(): "%-21s %s"."""
    import ipaddress
    from ipemu.tools.route import NETWORKS

    def line(name: str, net: int) -> str:
        return f"{name:<21} {ipaddress.IPv4Address(net)}\n"
    if not keys:
        ctx.term.out("".join(line(name, net) for name, net in NETWORKS.items()))
        return 0
    status = 0
    for key in keys:
        try:
            wanted = int(ipaddress.IPv4Address(key))
        except ValueError:
            wanted = None
        found = next(((name, net) for name, net in NETWORKS.items()
                      if (net == wanted if wanted is not None else name == key)), None)
        if found is None:
            status = 2
            continue
        ctx.term.out(line(*found))
    return status


def _table(ctx: ToolContext, text: str, keys: list[str]) -> int:
    """passwd_keys()/group_keys(): a line by name or by number, all without keys."""
    from ipemu.tools.sysinfo import _table as entries     # id's reading of the files
    rows = entries(text)
    if not keys:
        ctx.term.out("".join(":".join(row) + "\n" for row in rows))
        return 0
    status = 0
    for key in keys:
        found = next((row for row in rows
                      if row[0] == key or (key.isdigit() and row[2] == key)), None)
        if found is None:
            status = 2
            continue
        ctx.term.out(":".join(found) + "\n")
    return status
