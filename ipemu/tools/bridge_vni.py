"""`bridge vni` (iproute2 6.1 bridge/vni.c): the VNI list of a vxlan made with
`external vnifilter` (vxlan_vnifilter.c): add and delete VNIs and ranges, with a
group or remote, and show them (text, -s, -j)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.kernel.vxlan import vnifilter_dump, vnifilter_process
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import EXIT_ARG, atoi, get_addr, incomplete_command, invarg
from ipemu.tools.rtnl import talk_error

USAGE = ("Usage: bridge vni { add | del } vni VNI\n"
         "\t\t[ { group | remote } IP_ADDRESS ]\n"
         "\t\t[ dev DEV ]\n"
         "       bridge vni { show }\n"
         "\n"
         "Where:\tVNI\t:= 0-16777215\n")
STATS = ("rx_bytes", "rx_pkts", "rx_drops", "rx_errors",
         "tx_bytes", "tx_pkts", "tx_drops", "tx_errors")


def do_vni(ctx: ToolContext, argv: list[str], p: Printer, flags: set[str]) -> int:
    """do_vni(): its commands compared whole (strcmp: `del` is not `delete`)."""
    if not argv:
        return vni_show(ctx, [], p, flags)
    cmd, rest = argv[0], argv[1:]
    if cmd == "add":
        return vni_modify(ctx, rest, delete=False)
    if cmd == "delete":
        return vni_modify(ctx, rest, delete=True)
    if cmd in ("show", "lst", "list"):
        return vni_show(ctx, rest, p, flags)
    if cmd == "help":
        raise CommandError(USAGE, EXIT_ARG)
    raise CommandError(f'Command "{cmd}" is unknown, try "bridge vni help".\n', EXIT_ARG)


def parse_vni_filter(text: str, group) -> tuple:
    """parse_vni_filter(): comma-separated entries (strtok(): no empty ones), each
    `START` or `START-END` read with atoi() (END 0: no VXLAN_VNIFILTER_ENTRY_END)."""
    entries = []
    for part in (t for t in text.split(",") if t):
        start, dash, end = part.partition("-")
        entries.append((atoi(start) & 0xFFFFFFFF, atoi(end) & 0xFFFFFFFF if dash else 0,
                        group))
    return tuple(entries)


def vni_modify(ctx: ToolContext, argv: list[str], delete: bool) -> int:
    """vni_modify(): dev, vni, group (multicast only), remote; other words are
    skipped (`help` is the usage); then RTM_NEWTUNNEL or RTM_DELTUNNEL."""
    dev = vni = daddr = None
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("dev", "vni", "group", "remote"):
            if word in ("group", "remote") and daddr is not None:
                raise invarg("duplicate group", word)
            i += 1
            if i >= len(argv):
                raise incomplete_command()
            value = argv[i]
            if word == "dev":
                dev = value
            elif word == "vni":
                if vni is not None:
                    raise invarg("duplicate vni", value)
                vni = value
            else:
                daddr = get_addr(value, 0).address
                if word == "group" and not daddr.is_multicast:
                    raise invarg("invalid group address", value)
        elif word == "help":
            raise CommandError(USAGE, EXIT_ARG)
        i += 1
    if dev is None or vni is None:
        raise CommandError("Device and VNI ID are required arguments.\n", EXIT_ARG)
    entries = parse_vni_filter(vni, daddr)
    found = ctx.netns.by_name(dev)
    if found is None:
        raise CommandError(f'Cannot find vxlan device "{dev}"\n', EXIT_ARG)
    try:
        vnifilter_process(ctx.netns, found.ifindex, delete, entries)
    except KernelError as err:
        raise talk_error(err, EXIT_ARG) from None
    return 0


def vni_show(ctx: ToolContext, argv: list[str], p: Printer, flags: set[str]) -> int:
    """vni_show(): `dev` (once) filters; the header (text only) goes out before the
    dump's answer, so a refused dump's error follows it."""
    filter_dev = None
    i = 0
    while i < len(argv):
        if argv[i] == "dev":
            i += 1
            if i >= len(argv):
                raise incomplete_command()
            if filter_dev is not None:
                raise CommandError(f'Error: duplicate "dev": "{argv[i]}" is the second '
                                   "value.\n", EXIT_ARG)
            filter_dev = argv[i]
        i += 1
    ifindex = 0
    if filter_dev is not None:
        dev = ctx.netns.by_name(filter_dev)
        if dev is None:
            raise CommandError(f'Cannot find device "{filter_dev}"\n', EXIT_ARG)
        ifindex = dev.ifindex
    stats = "-stats" in flags or "-statistics" in flags
    p.begin()
    if not p.is_json:
        ctx.term.out("%-16s  %-15s  %-15s\n" % ("dev", "vni", "group/remote"))
    try:
        msgs = vnifilter_dump(ctx.netns, ifindex, stats)
    except KernelError as err:
        # rtnl_dump_filter()'s error, then vni_show()'s own (misspelt) words, exit(1)
        raise CommandError(talk_error(err).message + "Dump ternminated\n", 1) from None
    for msg in msgs:
        print_vnifilter_rtm(p, msg, ctx.netns.by_index(msg.ifindex).name)
    p.end()
    ctx.term.out(p.text())
    return 0


def print_vnifilter_rtm(p: Printer, msg, ifname: str) -> None:
    """print_vnifilter_rtm(): the device's name, then each entry (print_vni()) on a
    line of its own, the later ones indented as far; a blank line after the device."""
    for n, (start, end, remote, stats) in enumerate(msg.entries):
        if n == 0:
            p.open_object()
            p.any("ifname", "%-16s  ", ifname)
            p.open_array("vnis")
        else:
            p.fp("%-16s  ", "")
        p.open_object()
        if end:
            # print_range(): " %u", and "-%-14u " when the range is more than one
            p.any("vni", " %u", start)
            if start != end:
                p.any("vniEnd", "-%-14u ", end)
        else:
            p.any("vni", " %-14u", start)
        if remote is not None:
            p.any("group" if remote.is_multicast else "remote", " %s", str(remote))
        if stats is not None:
            p.open_object("stats")
            for half, keys in (("RX: ", STATS[:4]), ("TX: ", STATS[4:])):
                p.nl()
                p.fp("%-16s   ", "")
                p.fp(half)
                for key, value in zip(keys, stats[:4] if half == "RX: " else stats[4:]):
                    p.any(key, key.split("_")[1] + " %s ", value)
            p.close_object()
        p.close_object()
        p.fp("\n")
    if msg.entries:
        p.close_array()
        p.close_object()
        p.fp("\n")
