"""net-tools `arp`: the ARP cache as /proc/net/arp shows it, and entries set and deleted
with the SIOCSARP / SIOCDARP ioctls.

Followed: net-tools arp.c (main(), arp_show(), arp_disp(), arp_disp_2(), arp_set(),
arp_del()); the kernel side is arp_ioctl() in ipemu/kernel/ioctl.py.
"""
from __future__ import annotations

import ipaddress

from ipemu.kernel import ioctl as K
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.requests import ArpReq
from ipemu.plainclass import dataclass
from ipemu.process import Process
from ipemu.render.cfmt import cpad
from ipemu.tools import getopts
from ipemu.tools.context import ToolContext
from ipemu.tools.resolver import ReverseLinePrinter
from ipemu.tools.ifconfig import _ether_input, nettools_usage, nettools_version
from ipemu.tools.route import HOSTS, _inet_resolve, _Lookup
from ipemu.tools.rtnl import strerror

E_USAGE, E_OPTERR = 0, 3
SHORTOPTS = "A:H:adfp:nsei:t:vh?DNV"
LONGOPTS = ["verbose", "version", "all", "delete", "file", "numeric", "set", "protocol=",
            "hw-type=", "device=", "help", "use-device", "symbolic"]
LONG_TO_SHORT = {"verbose": "v", "version": "V", "all": "a", "delete": "d", "file": "f",
                 "numeric": "n", "set": "s", "protocol": "A", "hw-type": "H", "device": "i",
                 "help": "h", "use-device": "D", "symbolic": "N"}
TITLE = "Address                  HWtype  HWaddress           Flags Mask            Iface\n"
HW_NAMES = {K.ARPHRD_ETHER: "ether", K.ARPHRD_LOOPBACK: "loop"}
# lib/hw.c as Debian builds net-tools: the types with an ARP address (alen > 0)
# by their ARPHRD_* number, and those get_hwtype() knows without one (`arp -H` refuses
# them after the options: "hardware type without ARP support"); any other name is an
# unknown hardware type (recorded: tutorials36b_linuxfaq_arp_command, arp -H NAME)
HW_TYPES = {"ether": 1, "ax25": 3, "netrom": 0, "rose": 270, "arcnet": 7, "fddi": 774,
            "hippi": 780, "irda": 783, "x25": 271, "dlci": 15, "eui64": 27, "ash": 781}
HW_WITHOUT_ARP = {"loop", "unspec", "slip", "cslip", "slip6", "cslip6", "adaptive", "ppp",
                  "tunnel", "ec", "frad", "sit", "hdlc", "lapb"}


class _Exit(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


@dataclass
class Options:
    what: int = 0                # 0 show (-e style), 1 -a, 2 -f, 3 -d, 4 -s
    all: bool = False
    numeric: bool = False
    linux_style: bool = False    # opt_e
    use_device: bool = False     # -D
    verbose: bool = False
    device: str = ""
    hw: str = ""                 # -H/-t: hw_set, hw->name
    netmask: object = None       # `netmask NM` of -s (ATF_NETMASK), not 255.255.255.255


def _usage(ctx: ToolContext, rc: int) -> None:
    raise _Exit(nettools_usage(ctx, "arp_usage", rc))


def main(ctx: ToolContext, argv: list[str]) -> int:
    try:
        return _run(ctx, argv)
    except _Exit as done:
        return done.status


def _run(ctx: ToolContext, argv: list[str]) -> int:
    opts = Options()
    try:
        pairs, rest = getopts.parse("arp", argv[1:], SHORTOPTS, LONGOPTS)
    except getopts.OptionError as err:
        ctx.term.err(err.message + "\n")
        _usage(ctx, E_OPTERR)
    for flag, value in pairs:
        ch = LONG_TO_SHORT[flag[2:]] if flag.startswith("--") else flag[1]
        if ch == "a":
            opts.what, opts.all = 1, True
        elif ch == "f":
            opts.what = 2
        elif ch == "d":
            opts.what = 3
        elif ch == "s":
            opts.what = 4
        elif ch == "e":
            opts.linux_style = True
        elif ch == "n":
            opts.numeric = True
        elif ch == "D":
            opts.use_device = True
        elif ch == "N":
            ctx.term.err("arp: -N not yet supported.\n")
        elif ch == "v":
            opts.verbose = True
        elif ch in "Ap":
            if value not in ("inet", "ip", "tcpip"):
                ctx.term.err(f"arp: {value}: unknown address family.\n"
                             if value not in AF_KNOWN else
                             f"arp: {value}: kernel only supports 'inet'.\n")
                return 255
        elif ch in "Ht":
            if value not in HW_TYPES and value not in HW_WITHOUT_ARP:
                ctx.term.err(f"arp: {value}: unknown hardware type.\n")
                return 255
            opts.hw = value
        elif ch == "i":
            opts.device = value[:15]
        elif ch == "V":
            nettools_version(ctx, ctx.profile["arp_version"])
            return 0
        elif ch == "h":
            _usage(ctx, E_USAGE)
        else:
            _usage(ctx, E_OPTERR)
    if opts.hw in HW_WITHOUT_ARP:
        ctx.term.err(f"arp: {opts.hw}: hardware type without ARP support.\n")
        return 255
    if opts.what in (0, 1):
        if opts.what == 0:
            opts.linux_style = True
        return arp_show(ctx, opts, rest[0] if rest else None)
    if opts.what == 3:
        return arp_del(ctx, opts, rest)
    if opts.what == 4:
        return arp_set(ctx, opts, rest)
    return arp_file(ctx, opts, rest[0] if rest else "/etc/ethers")


def arp_file(ctx: ToolContext, opts: Options, name: str) -> int:
    """arp_file(): each line of an ethers file (`MAC host` or `host MAC ...`, `#` and
    empty lines skipped) set as by -s; a bad line is reported and skipped."""
    session = getattr(ctx, "session", None)
    text = session.read_text(name) if session is not None else None
    if text is None:
        ctx.term.err(f"arp: cannot open etherfile {name} !\n")
        return 255
    for linenr, line in enumerate(text.splitlines(keepends=True), 1):
        if opts.verbose:
            ctx.term.err(">> " + line)
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        args = line.split()
        if len(args) < 2:
            ctx.term.err(f"arp: format error on line {linenr} of etherfile {name} !\n")
            continue
        if ":" in args[0]:
            args[0], args[1] = args[1], args[0]     # a real ethers line: MAC first
        if arp_set(ctx, opts, args) != 0:
            ctx.term.err(f"arp: cannot set entry on line {linenr} of etherfile {name} !\n")
    return 0


# the families lib/af.c knows besides inet (arp refuses them all)
AF_KNOWN = {"unix", "inet6", "ax25", "netrom", "rose", "ipx", "ddp", "appletalk", "ec",
            "econet", "ash", "x25", "ip6"}


def _resolve(ctx: ToolContext, host: str) -> ipaddress.IPv4Address | None:
    try:
        _, addr = _inet_resolve(host, hostfirst=False)
    except _Lookup as failed:
        ctx.term.err(failed.herror(ctx))
        return None
    return ipaddress.IPv4Address(addr)


def _name_of(ip: ipaddress.IPv4Address) -> str:
    """INET_rresolve() of a host address: /etc/hosts only (no resolver to ask)."""
    for name, value in HOSTS.items():
        if value == int(ip):
            return name
    return str(ip)


# ----------------------------------------------------------------------- show
def arp_show(ctx: ToolContext, opts: Options, name: str | None):
    host = ""
    if name is not None:
        addr = _resolve(ctx, name)
        if addr is None:
            return 255
        host = str(addr)
    rows = K.proc_net_arp(ctx.netns)
    shown = [row for row in rows if not (host and str(row.ip) != host)
             and not (opts.device and row.dev != opts.device)
             and not (opts.hw and HW_TYPES[opts.hw] != row.hwtype)]
    printer = _ArpPrinter(ctx, opts, name, host, rows, shown)
    if not opts.numeric and any(_lookup_needed(ctx, row.ip) for row in shown):
        return printer.start()
    for row in shown:
        ctx.term.out(printer.line(row))
    ctx.term.out(printer.tail())
    return 0


def _lookup_needed(ctx: ToolContext, ip: ipaddress.IPv4Address) -> bool:
    """INET_rresolve()'s gethostbyaddr(): a query goes out for an address /etc/hosts
    does not name, when the nameserver has a route (resolver.ReverseLookup)."""
    from ipemu.tools.resolver import ReverseLookup
    return _name_of(ip) == str(ip) and ReverseLookup.needed(ctx, ip)


class _ArpPrinter(ReverseLinePrinter, Process):
    """arp_show()'s loop: each entry's line once INET_rresolve() has its name; a
    lookup that waits on the nameserver (resolver.ReverseLookup: nothing answers
    here, so the address is shown) holds the lines after it. INET_nn keeps an
    address's answer for the rest of the run."""

    def __init__(self, ctx: ToolContext, opts: Options, name: str | None, host: str,
                 rows: list, shown: list) -> None:
        super().__init__(ctx.host, ctx.term)
        self.ctx, self.opts, self.name, self.host = ctx, opts, name, host
        self.rows, self.shown = rows, shown
        self.todo = shown
        self.i = 0
        self.asked: set[int] = set()
        self.lookup = None
        self.titled = False

    def start(self) -> "_ArpPrinter":
        self._advance()
        return self

    def line(self, row) -> str:
        ip = str(row.ip)
        hostname = "?" if self.opts.numeric else _name_of(row.ip)
        if hostname == ip:
            hostname = "?"
        hwa = row.hwaddr.hex(":")
        if self.opts.linux_style:
            title = "" if self.titled else TITLE
            self.titled = True
            return title + _disp_2(ip if hostname == "?" else hostname, row, hwa)
        return _disp(hostname, ip, row, hwa)

    def tail(self) -> str:
        out = []
        rows, showed = self.rows, len(self.shown)
        if self.opts.verbose:
            out.append(f"Entries: {len(rows)}\tSkipped: {len(rows) - showed}\tFound: {showed}\n")
        if not showed:
            if self.host and not self.opts.all:
                out.append(f"{self.name} ({self.host}) -- no entry\n")
            elif self.host or self.opts.device or self.opts.hw:
                out.append(f"arp: in {len(rows)} entries no match found.\n")
        return "".join(out)

    def addresses(self, row) -> list:
        return [row.ip] if _lookup_needed(self.ctx, row.ip) else []


def _flag_letters(flags: int) -> str:
    return "".join(ch for bit, ch in ((K.ATF_COM, "C"), (K.ATF_PERM, "M"), (K.ATF_PUBL, "P"))
                   if flags & bit)


def _disp_2(name: str, row: K.ProcArpRow, hwa: str) -> str:
    """arp_disp_2(): the Linux style table line."""
    line = f"{cpad(name, 23, precision=23)}  "
    if not row.flags & K.ATF_COM:
        if row.flags & K.ATF_PUBL:
            line += f"{'*':<8}{'<from_interface>':<20}"
        else:
            line += f"{'':<8}{'(incomplete)':<20}"
    else:
        line += f"{HW_NAMES.get(row.hwtype, 'ether'):<8}{hwa[:20]:<20}"
    return line + f"{_flag_letters(row.flags):<6}{'':<15} {row.dev}\n"


def _disp(name: str, ip: str, row: K.ProcArpRow, hwa: str) -> str:
    """arp_disp(): the BSD style line."""
    line = f"{name} ({ip}) at "
    if not row.flags & K.ATF_COM:
        line += "<from_interface> " if row.flags & K.ATF_PUBL else "<incomplete> "
    else:
        line += f"{hwa} [{HW_NAMES.get(row.hwtype, 'ether')}] "
    if row.flags & K.ATF_PERM:
        line += "PERM "
    if row.flags & K.ATF_PUBL:
        line += "PUB "
    return line + f"on {row.dev}\n"


# ------------------------------------------------------------------ set, delete
def _modifiers(ctx: ToolContext, opts: Options, args: list[str], flags: int,
               deleting: bool) -> tuple[int, int]:
    """The words after the address: temp, pub, priv, dontpub, dev, netmask (trail and
    auto are accepted). Returns the flags and, for a delete, pub/priv bits."""
    which = 0
    i = 0
    while i < len(args):
        word = args[i]
        if deleting and opts.verbose:
            ctx.term.err(f"args={word}\n")     # arp_del(): opt_v, each modifier word
        if word == "temp":
            flags &= ~K.ATF_PERM
        elif word == "pub":
            if deleting:
                which |= 1
            else:
                flags |= K.ATF_PUBL
        elif word == "priv":
            if deleting:
                which |= 2
            else:
                flags &= ~K.ATF_PUBL
        elif word == "dontpub":
            # arp_set()/arp_del(): HAVE_ATF_DONTPUB (Debian's build sends it), so the
            # kernel's arp_ioctl() refuses it without ATF_PUBL (EINVAL; recorded)
            flags |= K.ATF_DONTPUB
        elif word in ("trail", "auto"):
            pass                # ATF_USETRAILERS, ATF_MAGIC: arp_ioctl() ignores them
        elif word in ("dev", "netmask"):
            if i + 1 >= len(args):
                _usage(ctx, E_OPTERR)
            if word == "dev":
                opts.device = args[i + 1][:15]
            elif args[i + 1] != "255.255.255.255":
                # arp_set(): any other mask is looked up as a host (ap->input()) and
                # sent with ATF_NETMASK
                mask = _resolve(ctx, args[i + 1])
                if mask is None:
                    raise _Exit(255)
                opts.netmask = mask
                flags |= K.ATF_NETMASK
            i += 1
        else:
            _usage(ctx, E_OPTERR)
        i += 1
    return flags, which


def arp_set(ctx: ToolContext, opts: Options, args: list[str]) -> int:
    if not args:
        ctx.term.err("arp: need host name\n")
        return 255
    ip = _resolve(ctx, args[0])
    if ip is None:
        return 255
    if len(args) < 2:
        ctx.term.err("arp: need hardware address\n")
        return 255
    if opts.use_device:
        dev = ctx.netns.by_name(args[1])
        if dev is None:
            ctx.term.err(f"arp: cant get HW-Address for `{args[1]}': "
                         f"{strerror(Errno.ENODEV)}.\n")
            return 255
        mac = dev.address
    else:
        mac = _ether_input(args[1])
        if mac is None:
            ctx.term.err("arp: invalid hardware address\n")
            return 255
    flags, _ = _modifiers(ctx, opts, args[2:], K.ATF_PERM | K.ATF_COM, deleting=False)
    if opts.verbose:
        ctx.term.err("arp: SIOCSARP()\n")     # arp_set(): opt_v, before the ioctl
    try:
        K.arp_ioctl(ctx.netns, K.SIOCSARP, ArpReq(ip, mac, flags, opts.device,
                                                   opts.netmask))
    except KernelError as err:
        ctx.term.err(f"SIOCSARP: {strerror(err.errno)}\n")
        return 255
    return 0


def arp_del(ctx: ToolContext, opts: Options, args: list[str]) -> int:
    """arp_del(): without pub or priv, the private entry first, then the proxy one."""
    if not args:
        ctx.term.err("arp: need host name\n")
        return 255
    ip = _resolve(ctx, args[0])
    if ip is None:
        return 255
    flags, which = _modifiers(ctx, opts, args[1:], K.ATF_PERM, deleting=True)
    which = which or 3
    missing = (Errno.ENXIO, Errno.ENOENT)
    if which & 2:
        if opts.verbose:
            ctx.term.err("arp: SIOCDARP(dontpub)\n")
        try:
            K.arp_ioctl(ctx.netns, K.SIOCDARP, ArpReq(ip, None, flags, opts.device))
            return 0
        except KernelError as err:
            if err.errno not in missing:
                ctx.term.err(f"SIOCDARP(dontpub): {strerror(err.errno)}\n")
                return 255
            if not which & 1:
                ctx.term.out(f"No ARP entry for {args[0]}\n")
                return 255
    if opts.verbose:
        ctx.term.err("arp: SIOCDARP(pub)\n")
    try:
        K.arp_ioctl(ctx.netns, K.SIOCDARP, ArpReq(ip, None, flags | K.ATF_PUBL, opts.device,
                                                  opts.netmask))
    except KernelError as err:
        if err.errno in missing:
            ctx.term.out(f"No ARP entry for {args[0]}\n")
        else:
            ctx.term.err(f"SIOCDARP(pub): {strerror(err.errno)}\n")
        return 255
    return 0
