"""net-tools nameif(8): name interfaces by MAC address (nameif.c). The pairs
given, or /etc/mactab (or -c FILE) when none are; then every device of /proc/net/dev
whose MAC (SIOCGIFHWADDR) matches one is renamed by SIOCSIFNAME."""
from __future__ import annotations

from ipemu.kernel import ioctl as K
from ipemu.kernel.errors import KernelError
from ipemu.tools import getopts
from ipemu.tools.context import ToolContext
from ipemu.tools.rtnl import strerror

IFNAMSIZ = 16
MAC_ADDRESS_MAX_LENGTH = 14     # sizeof(ifr_hwaddr.sa_data)
USAGE = "usage: nameif [-c configurationfile] [-s] {ifname macaddress}\n"


class _Exit(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def main(ctx: ToolContext, argv: list[str]) -> int:
    try:
        return _run(ctx, argv)
    except _Exit as done:
        return done.status


def _complain(ctx: ToolContext, text: str, syslog: bool = False) -> None:
    """complain(): the message and a newline on stderr, exit 1 (-s: to syslog, so
    nothing shows)."""
    if not syslog:
        ctx.term.err(text + "\n")
    raise _Exit(1)


def _usage(ctx: ToolContext, rc: int) -> None:
    """usage(): stdout for -h, else stderr; both exit E_USAGE (0)."""
    (ctx.term.err if rc else ctx.term.out)(USAGE)
    raise _Exit(0)


def _parsemac(ctx: ToolContext, text: str, pos: str) -> bytes:
    """parsemac(): ':'-separated parts, each read by sscanf("%x") (leading blanks,
    an optional 0x, hex digits up to the first other character) and at most 0xff."""
    out = bytearray()
    for part in text.split(":"):
        s = part.lstrip(" \t\n")
        if s[:2].lower() == "0x":
            s = s[2:]
        digits = ""
        for c in s:
            if c not in "0123456789abcdefABCDEF":
                break
            digits += c
        if not digits or int(digits, 16) > 0xFF:
            # strsep() has cut the text at its first ':' by then
            _complain(ctx, f"cannot parse MAC `{text.split(':', 1)[0]}' at {pos}")
        out.append(int(digits, 16))
        if len(out) > MAC_ADDRESS_MAX_LENGTH:
            _complain(ctx, f"MAC address at {pos} is larger than maximum allowed "
                           f"{MAC_ADDRESS_MAX_LENGTH} bytes")
    return bytes(out)


def _add(ctx: ToolContext, changes: list, name: str, mac_text: str, pos: str) -> None:
    """addchange(): newest first."""
    if ":" in name:
        ctx.term.err(f"alias device {name} at {pos} probably has no mac\n")
    changes.insert(0, [name, _parsemac(ctx, mac_text, pos), False])


def _readconf(ctx: ToolContext, fname: str, changes: list) -> None:
    """readconf(): NAME MAC per line, `#` comments."""
    try:
        text = ctx.session.open_text(fname)
    except OSError as err:
        _complain(ctx, f"opening configuration file {fname}: {err.strerror}")
    linenum = 1
    for line in text.splitlines(keepends=True):
        pos = f"line {linenum}"
        line = line.split("#", 1)[0]
        p = line.lstrip(" \t\n\v\f\r")
        if not p:
            continue
        name = p.split(" ", 1)[0].split("\t", 1)[0]
        if len(name) > IFNAMSIZ - 1:
            _complain(ctx, f"interface name too long at {line}")
        rest = p[len(name):].lstrip(" \t")
        mac = ""
        for c in rest:
            if c not in "0123456789ABCDEFabcdef:":
                break
            mac += c
        _add(ctx, changes, name, mac, pos)
        linenum += 1


def _run(ctx: ToolContext, argv: list[str]) -> int:
    try:
        pairs, rest = getopts.parse("nameif", argv[1:], "c:sh",
                                    ["syslog", "config-file=", "help"])
    except getopts.OptionError as err:
        ctx.term.err(err.message + "\n")
        _usage(ctx, 3)
    fname = None
    syslog = False
    for flag, value in pairs:
        if flag in ("-h", "--help"):
            _usage(ctx, 0)
        if flag in ("-c", "--config-file"):
            fname = value
        if flag in ("-s", "--syslog"):
            syslog = True
    changes: list = []
    i = 0
    while i < len(rest):
        if (len(rest) - i) & 1:
            _usage(ctx, 3)
        if len(rest[i]) + 1 > IFNAMSIZ:
            _complain(ctx, f"interface name `{rest[i]}' too long")
        _add(ctx, changes, rest[i], rest[i + 1], f"argument {i + 2 + len(argv) - 1 - len(rest)}")
        i += 2
    if not changes or fname is not None:
        _readconf(ctx, fname or "/etc/mactab", changes)
    ns = ctx.netns
    for row in K.proc_net_dev(ns):
        try:
            mac = K.ioctl(ns, K.SIOCGIFHWADDR, K.Ifreq(row.name)).hwaddr
        except KernelError:
            continue
        mac = mac.ljust(MAC_ADDRESS_MAX_LENGTH, b"\0")    # ifr_hwaddr.sa_data
        ch = next((c for c in changes if mac[:len(c[1])] == c[1]), None)    # lookupmac()
        if ch is None:
            continue
        ch[2] = True
        if row.name != ch[0]:
            try:
                K.ioctl(ns, K.SIOCSIFNAME, K.Ifreq(row.name, newname=ch[0]))
            except KernelError as err:
                _complain(ctx, f"cannot change name of {row.name} to {ch[0]}: "
                               f"{strerror(err.errno)}", syslog)
    status = 0
    for name, _, found in changes:
        if not found:
            # complain() without exiting: warning() (to syslog under -s)
            if not syslog:
                ctx.term.err(f"interface '{name}' not found\n")
            status = 1
    return status
