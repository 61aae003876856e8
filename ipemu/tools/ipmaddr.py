"""net-tools `ipmaddr` (its ipmaddr.c): the old copy of iproute2's
ipmaddr.c that tutorials type beside `ip maddr` and `netstat -g`. It lists the same
/proc/net/dev_mcast, igmp and igmp6 entries with the same printer (ip_maddr.py), and
adds or deletes a link-layer group by SIOCADDMULTI / SIOCDELMULTI; its own words are
`ipv4|ipv6|link|all` for a family and any other word for a device."""
from __future__ import annotations

import os

from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.mcast import mc_add_global, mc_del_global
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions
from ipemu.tools.ip_maddr import multiaddr_list
from ipemu.tools.ipargs import matches

USAGE = ("Usage: ipmaddr [ add | del ] MULTIADDR dev STRING\n"
         "       ipmaddr show [ dev STRING ] [ ipv4 | ipv6 | link | all ]\n"
         "       ipmaddr -V | -version\n")
E_USAGE = 3          # lib/net-support.h
IFNAMSIZ = 16
# multiaddr_list()'s family words -> ip_maddr's preferred_family (0: all)
FAMILY_WORDS = {"all": 0, "ipv4": 4, "ipv6": 6, "link": 17}


def usage() -> CommandError:
    return CommandError(USAGE, E_USAGE)


def main(ctx: ToolContext, argv: list[str]) -> int:
    """main(): -family/-stats/-resolve are read and not used by the list; -V prints
    the version; then do_multiaddr()."""
    args = argv[1:]
    while args and args[0].startswith("-"):
        word = args[0]
        if matches(word, "-family"):
            if len(args) < 2 or args[1] not in ("inet", "inet6"):
                raise usage()
            args = args[1:]
        elif word in ("-h", "--help"):      # usage on stdout, exit 0
            ctx.term.out(USAGE)
            return 0
        elif word in ("-V", "--version") or matches(word, "-V") or matches(word, "--version"):
            ctx.term.out(ctx.profile["ipmaddr_version"])
            return 0
        elif not (matches(word, "-stats") or matches(word, "-statistics")
                  or matches(word, "-resolve")):
            raise usage()
        args = args[1:]
    return do_multiaddr(ctx, args)


def do_multiaddr(ctx: ToolContext, argv: list[str]) -> int:
    """do_multiaddr(): no word lists all; anything but add/delete/list/show/lst is
    the usage (a bare device name too)."""
    if not argv:
        return _list(ctx, [])
    cmd = argv[0]
    if matches(cmd, "add"):
        return multiaddr_modify(ctx, argv[1:], add=True)
    if matches(cmd, "delete"):
        return multiaddr_modify(ctx, argv[1:], add=False)
    if matches(cmd, "list") or matches(cmd, "show") or matches(cmd, "lst"):
        return _list(ctx, argv[1:])
    raise usage()


def _list(ctx: ToolContext, argv: list[str]) -> int:
    """multiaddr_list(): `dev NAME` or a bare NAME filters by device (the last one
    wins), a family word by file; printed as ip maddr prints (print_mlist())."""
    dev = None
    family = 0
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "dev":
            i += 1
            if i >= len(argv):
                raise usage()       # NEXT_ARG()
            word = argv[i]
        elif word in FAMILY_WORDS:
            family = FAMILY_WORDS[word]
            i += 1
            continue
        if not 0 < len(word) < IFNAMSIZ:
            raise usage()
        dev = word
        i += 1
    return multiaddr_list(ctx, IpOptions(family=family), [] if dev is None else ["dev", dev])


def parse_lla(text: str) -> bytes | None:
    """parse_lla(): hex pairs, ':' and '.' skipped; None where sscanf() fails or a
    digit is left alone."""
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] in ":.":
            i += 1
            continue
        if i + 1 >= len(text):
            return None
        pair = text[i:i + 2]
        digits = len(pair) - len(pair.lstrip("0123456789abcdefABCDEF"))
        if digits == 0:
            return None
        out.append(int(pair[:digits], 16))
        i += 2
    return bytes(out)


def multiaddr_modify(ctx: ToolContext, argv: list[str], add: bool) -> int:
    """multiaddr_modify(): one address and `dev NAME` into a zeroed ifreq, then the
    ioctl (its error through perror("ioctl"))."""
    name = ""
    addr = None
    i = 0
    while i < len(argv):
        if argv[i] == "dev":
            i += 1
            if i >= len(argv) or name:
                raise usage()
            name = argv[i][:IFNAMSIZ]
        else:
            if addr is not None and any(addr[:1]):
                raise usage()       # ifr_hwaddr.sa_data[0] already set
            addr = parse_lla(argv[i])
            if addr is None:
                raise usage()
        i += 1
    if not name:
        raise usage()
    # sa_data holds 14 bytes; the device reads its own addr_len of them
    data = (addr or b"")[:14].ljust(14, b"\0")
    device = ctx.netns.by_name(name)
    try:
        if device is None:
            raise KernelError(Errno.ENODEV)
        (mc_add_global if add else mc_del_global)(ctx.netns, device, data[:6])
    except KernelError as err:
        raise CommandError(f"ioctl: {os.strerror(err.errno.value)}\n", 1)
    return 0
