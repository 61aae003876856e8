"""`bridge mdb` (iproute2 6.1 bridge/mdb.c): add and delete static multicast group
entries of a bridge, and show the database (text, -d, -s, -j, -o)."""
from __future__ import annotations

import ipaddress
import socket

from ipemu.errors import CommandError
from ipemu.kernel.br_mdb import (ETH_P_IP, ETH_P_IPV6, MdbEntry, mdb_add, mdb_del, mdb_dump,
                                 router_port_timer, router_ports)
from ipemu.kernel.errors import KernelError
from ipemu.render.link import LinkCache, mac_text
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import matches
from ipemu.tools.rtnl import talk_error

EXIT = 255                      # bridge's main() returns -1


def do_mdb(ctx: ToolContext, argv: list[str], p: Printer, flags: set[str]) -> int:
    """do_mdb()."""
    if not argv:
        return mdb_show(ctx, [], p, flags)
    cmd, rest = argv[0], argv[1:]
    if matches(cmd, "add"):
        return mdb_modify(ctx, rest, add=True)
    if matches(cmd, "delete"):
        return mdb_modify(ctx, rest, add=False)
    if matches(cmd, "show") or matches(cmd, "lst") or matches(cmd, "list"):
        return mdb_show(ctx, rest, p, flags)
    if matches(cmd, "help"):
        raise CommandError(ctx.profile.usage("bridge_mdb"), EXIT)
    raise CommandError(f'Command "{cmd}" is unknown, try "bridge mdb help".\n', EXIT)


def _nodev(name: str) -> CommandError:
    return CommandError(f'Cannot find device "{name}"\n', EXIT)


def _atoi(text: str) -> int:
    """atoi(): the leading digits with a sign, 0 for none."""
    text = text.lstrip()
    end = 1 if text[:1] in ("+", "-") else 0
    while end < len(text) and text[end].isdigit():
        end += 1
    try:
        return int(text[:end])
    except ValueError:
        return 0


def parse_grp(text: str) -> tuple[int, bytes] | None:
    """mdb_parse_grp(): inet_pton() for IPv4, then IPv6, then a MAC (ll_addr_a2n())."""
    if "%" not in text:
        try:
            ip = ipaddress.ip_address(text)
        except ValueError:
            ip = None
        if ip is not None:
            return (ETH_P_IP if ip.version == 4 else ETH_P_IPV6), ip.packed
    mac, _, _ = ll_addr_a2n(text, 6)
    if mac is not None and len(mac) == 6:
        return 0, mac
    return None


def ll_addr_a2n(text: str, length: int) -> tuple[bytes | None, str, str]:
    """lib/ll_addr.c ll_addr_a2n(): (the bytes, or None for -1; the argument as the
    caller sees it after (each ':' it passed is made a NUL, so only the first piece is
    left); what it printed). A dotted one is IPv4; else up to `length` pieces of
    sscanf %x, each 0..255 ("PIECE" is invalid lladdr.); a `length`th piece followed
    by more makes a count past `length`."""
    from ipemu.tools.ip_link import _scanf_x
    from ipemu.tools.ipargs import parse_addr_1
    if "." in text:
        pfx = parse_addr_1(text, 4)
        if pfx is None:
            return None, text, f'"{text}" is invalid lladdr.\n'
        return (pfx.address.packed if length >= 4 else None), text, ""
    pieces = text.split(":")
    left = pieces[0]
    out = []
    for i in range(length):
        piece = pieces[i] if i < len(pieces) else ""
        value = _scanf_x(piece)
        if value is None or not 0 <= value <= 255:
            return None, left, f'"{piece}" is invalid lladdr.\n'
        out.append(value)
        if i + 1 >= len(pieces):
            return bytes(out), left, ""
    return bytes(out) + b"?", left, ""         # i + 1 == length + 1: never ETH_ALEN


def mdb_modify(ctx: ToolContext, argv: list[str], add: bool) -> int:
    """mdb_modify(): RTM_NEWMDB (NLM_F_CREATE|NLM_F_EXCL) or RTM_DELMDB; words it does
    not know are skipped, but an abbreviation of `help` prints the usage."""
    dev = port = grp = src = None
    permanent = False
    vid = 0
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("dev", "grp", "port", "vid", "src"):
            i += 1
            if i >= len(argv):
                raise CommandError(ctx.profile.usage("bridge_mdb"), EXIT)   # NEXT_ARG()
            value = argv[i]
            if word == "dev":
                dev = value
            elif word == "grp":
                grp = value
            elif word == "port":
                port = value
            elif word == "vid":
                vid = _atoi(value) & 0xFFFF        # a short
            else:
                src = value
        elif word == "permanent":
            permanent = permanent or add
        elif word != "temp" and matches(word, "help"):
            raise CommandError(ctx.profile.usage("bridge_mdb"), EXIT)
        i += 1
    if dev is None or grp is None or port is None:
        raise CommandError("Device, group address and port name are required arguments.\n",
                           EXIT)
    br = ctx.netns.by_name(dev)
    if br is None:
        raise _nodev(dev)
    pdev = ctx.netns.by_name(port)
    if pdev is None:
        raise _nodev(port)
    parsed = parse_grp(grp)
    if parsed is None:
        # mdb_parse_grp() -> ll_addr_a2n(): its own word first, and the group as its
        # NULs left it
        _, left, said = ll_addr_a2n(grp, 6)
        if said:
            ctx.term.err(said)
        raise CommandError(f'Invalid address "{left}"\n', EXIT)
    source = None
    if src is not None:
        # MDBA_SET_ENTRY_ATTRS's MDBE_ATTR_SOURCE: inet_pton() of AF_INET, else AF_INET6
        source = _pton(src)
        if source is None:
            raise CommandError(f'Invalid source address "{src}"\n', EXIT)
    proto, addr = parsed
    try:
        if add:
            mdb_add(ctx.netns, br, pdev, proto, addr, permanent, vid, source)
        else:
            mdb_del(ctx.netns, br, pdev, proto, addr, vid, source)
    except KernelError as err:
        raise talk_error(err, EXIT) from None
    return 0


def _pton(text: str) -> bytes | None:
    """inet_pton(AF_INET), then inet_pton(AF_INET6)."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            return socket.inet_pton(family, text)
        except OSError:
            pass
    return None


def _grp_text(e: MdbEntry) -> str:
    if e.proto == 0:
        return mac_text(e.addr)
    return str(ipaddress.ip_address(e.addr))


def format_timer(seconds: float, align: bool) -> str:
    """format_timer(): jiffies as seconds and hundredths (%4lu.%.2lu when aligned)."""
    centis = max(0, int(seconds * 100))
    sec, cs = divmod(centis, 100)
    return f"{sec:4d}.{cs:02d}" if align else f"{sec}.{cs:02d}"


def print_mdb_entry(p: Printer, e: MdbEntry, cache: LinkCache, details: bool,
                    stats: bool) -> None:
    """print_mdb_entry()."""
    family = "inet" if e.proto == ETH_P_IP else "inet6" if e.proto == ETH_P_IPV6 else None
    p.open_object()
    p.js("index", e.br_ifindex)
    p.color_any("ifname", "dev", "dev %s", cache.name(e.br_ifindex))
    p.any("port", " port %s", cache.name(e.port))
    p.color_any(family, "grp", " grp %s", _grp_text(e))
    if e.src:
        p.color_any(family, "src", " src %s", str(ipaddress.ip_address(e.src)))
    p.any("state", " %s", "permanent" if e.permanent else "temp")
    if details and e.filter_mode is not None:
        p.any("filter_mode", " filter_mode %s", e.filter_mode)
    if details and not e.host:
        # MDBA_MDB_EATTR_RTPROT: a port group's rt_protocol (static by hand, kernel
        # when snooped)
        p.any("protocol", " proto %s ", e.rtprot)
    p.open_array("flags")
    p.close_array()
    if e.vid:
        p.any("vid", " vid %u", e.vid)
    if stats:
        p.any("timer", " %s", format_timer(e.timer, True))
    p.nl()
    p.close_object()


def _print_router_ports(ctx: ToolContext, p: Printer, filter_index: int, stats: bool) -> None:
    """print_router_entries() under -d: br_print_router_ports() of each bridge whose
    dump has MDBA_ROUTER (a router port at all)."""
    for br in list(ctx.netns.devices.values()):
        if br.kind != "bridge" or (filter_index and br.ifindex != filter_index):
            continue
        ports = router_ports(br)
        if not ports:
            continue
        if p.is_json:
            p.open_array(br.name)
        elif not stats:
            p.fp("router ports on %s: ", br.name)
        for port in ports:
            if p.is_json:
                p.open_object()
                p.js("port", port.name)
                left = router_port_timer(port)
                if stats:
                    p.js("timer", format_timer(left or 0, True))
                    p.js("type", "permanent" if left is None else "temp")
                p.close_object()
            elif stats:
                # br_print_router_port_stats(): the timer, then the type
                left = router_port_timer(port)
                p.fp("router ports on %s: %s", br.name, port.name)
                p.fp(" %s", format_timer(left or 0, True))
                p.fp(" %s", "permanent" if left is None else "temp")
                p.fp("\n")
            else:
                p.fp("%s ", port.name)
        if not stats:
            p.nl()
        p.close_array()


def mdb_show(ctx: ToolContext, argv: list[str], p: Printer, flags: set[str]) -> int:
    """mdb_show(): `dev` keeps one bridge's entries, `vid` one VLAN's; then the router
    ports (none: no querier is simulated, so the dump has no MDBA_ROUTER)."""
    filter_dev = None
    filter_vlan = 0
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("dev", "vid"):
            i += 1
            if i >= len(argv):
                raise CommandError(ctx.profile.usage("bridge_mdb"), EXIT)
            if word == "dev":
                if filter_dev is not None:
                    raise CommandError(f'Error: duplicate "dev": "{argv[i]}" is the second '
                                       "value.\n", EXIT)
                filter_dev = argv[i]
            else:
                if filter_vlan:
                    raise CommandError(f'Error: duplicate "vid": "{argv[i]}" is the second '
                                       "value.\n", EXIT)
                filter_vlan = _atoi(argv[i])
        i += 1
    filter_index = 0
    if filter_dev is not None:
        dev = ctx.netns.by_name(filter_dev)
        if dev is None:
            raise _nodev(filter_dev)
        filter_index = dev.ifindex
    cache = LinkCache()
    for msg in ctx.netns.dump_links():
        cache.remember(msg)
    details = "-details" in flags
    stats = "-stats" in flags or "-statistics" in flags
    p.begin()
    p.open_object()
    p.open_array("mdb")
    for e in mdb_dump(ctx.netns):
        if filter_index and e.br_ifindex != filter_index:
            continue
        if filter_vlan and e.vid != filter_vlan:
            continue
        print_mdb_entry(p, e, cache, details, stats)
    p.close_array()
    p.open_object("router")
    if details:
        _print_router_ports(ctx, p, filter_index, stats)
    p.close_object()
    p.close_object()
    p.end()
    ctx.term.out(p.text())
    return 0
