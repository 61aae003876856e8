"""net-tools `route`: the routing tables as /proc/net/route and /proc/net/ipv6_route
show them, and route add/del as the SIOCADDRT/SIOCDELRT ioctls do them.

Followed: route.c (options, dispatch), lib/inet_gr.c and lib/inet6_gr.c (listings),
lib/inet_sr.c and lib/inet6_sr.c (add/del), lib/inet.c and lib/inet6.c (names), lib/af.c
(address families), and the kernel's ioctl entry points (rtentry_to_fib_config(),
ipv6_route_ioctl()) that turn an rtentry into a FIB request.
"""
from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from ipemu import syntax
from ipemu.kernel.errors import KernelError
from ipemu.kernel.fib_frontend import ProcRouteRow
from ipemu.kernel.ip6_fib import RTF_EXPIRES, RTF_GATEWAY, RTF_HOST, RTF_NONEXTHOP, RTF_REJECT, RTF_UP
from ipemu.kernel.netns import NetNamespace
from ipemu.kernel.requests import In6Rtmsg, RtEntry
from ipemu.plainclass import asdict, dataclass, field
from ipemu.render.cfmt import cpad
from ipemu.process import Process
from ipemu.tools.resolver import ReverseLinePrinter
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import usage_text
from ipemu.syntax import keyword
from ipemu.tools.rtnl import strerror

# exit statuses (lib/net-support.h)
E_NOSUPP, E_INTERN, E_OPTERR, E_LOOKUP, E_SOCK = 1, 2, 3, 6, 7

# option flags (lib/net-support.h)
FLAG_EXT = 3
FLAG_NUM_HOST = 4
FLAG_SYM = 32
FLAG_CACHE = 64
FLAG_FIB = 128

# lib/af.c aftrans[]: what -A/--<af> accept, and the family name each stands for
AFTRANS = {"ax25": "ax25", "ip": "inet", "ip6": "inet6", "ipx": "ipx", "rose": "rose",
           "appletalk": "ddp", "netrom": "netrom", "inet": "inet", "inet6": "inet6",
           "ddp": "ddp", "unix": "unix", "tcpip": "inet", "econet": "ec", "x25": "x25",
           "ash": "ash", "bluetooth": "bluetooth"}
# families compiled in (get_aftype() finds them); bluetooth is not (-BLUETOOTH)
AFTYPES = {"inet", "inet6", "ax25", "netrom", "rose", "ipx", "ddp", "x25", "unix", "ec", "ash"}
# families that can list routes but whose /proc files do not exist here: what they print
AF_LIST_FAILURE = {
    "ax25": ([("err", "/proc/net/ax25_route: No such file or directory\n"),
              ("out", "AX.25 not configured in this system.\n")], 1),
    "netrom": ([("err", "/proc/net/nr_nodes: No such file or directory\n"),
                # on a terminal the second perror() still sees the first ENOENT
                ("err", "/proc/net/nr_neigh: No such file or directory\n"),
                ("out", "NET/ROM not configured in this system.\n")], 1),
    "ipx": ([("err", "No such file or directory\n"),
             ("out", "IPX routing not in file /proc/net/ipx/route or /proc/net/ipx_route "
                     "found.\n")], 1),
    "ddp": ([("err", "Error opening /proc/net/atalk_route: No such file or directory\n"),
             ("err", "DDP (AppleTalk) not configured on this system.\n")], 1),
    "x25": ([("out", "X.25 not configured in this system.\n")], 1),
    "rose": ([("err", "/proc/net/rose_nodes: No such file or directory\n"),
              ("err", "ROSE not configured in this system.\n")], 1),
}
# families with a route editor that only says so
AF_EDIT_STUB = {"netrom": "NET/ROM: this needs to be written\n",
                "ipx": "IPX: this needs to be written\n"}
# route.c longopts[]: what each option is (its val); the options themselves, their
# order and whether they take a value are grammar/route.lark's. The address families
# (val 1) are AFTRANS's names; only the first AFTRANS_CNT (12) of longopts[] are in range
LONG_LETTERS = {"--extend": "-e", "--verbose": "-v", "--version": "-V", "--numeric": "-n",
                "--symbolic": "-N", "--protocol": "-A", "--cache": "-C", "--fib": "-F",
                "--help": "-h"}
AFTRANS_CNT = 12
# route.c: "getopts and -net wont work", so -net/-host become words before getopt();
# glibc takes the address families' long options as one (same has_arg, flag and val)
GETOPT_MODE = syntax.GetoptMode(go_on=True, operands_last=True,
                                renamed=(("-net", "#net"), ("-host", "#host")),
                                same=frozenset("--" + name for name in AFTRANS))

# /etc/networks and /etc/hosts of the recorded Debian host
NETWORKS = {"default": 0x00000000, "loopback": 0x7F000000, "link-local": 0xA9FE0000}
HOSTS = {"localhost": 0x7F000001}

# IPv6 route flags (include/uapi/linux/ipv6_route.h) as lib/inet6_gr.c decodes them
RTF6_LETTERS = [(RTF_UP, "U"), (RTF_REJECT, "!"), (RTF_GATEWAY, "G"), (RTF_HOST, "H"),
                (RTF_EXPIRES, "e"), (RTF_NONEXTHOP, "n")]


class _Exit(Exception):
    """route exits at once (exit() deep in net-tools); the output is already written."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


@dataclass
class Options:
    numeric: int = 0                   # FLAG_NUM_HOST | FLAG_SYM bits
    extend: int = 1                    # opt_e: 1 plain, 2 -e, 3 -ee (masked with FLAG_EXT)
    fc: int = 0                        # FLAG_FIB | FLAG_CACHE
    help: int = 0
    afname: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    @property
    def ext(self) -> int:
        return self.extend & FLAG_EXT

    @property
    def is_numeric(self) -> bool:
        return bool(self.numeric & (FLAG_NUM_HOST | FLAG_SYM))


# ====================================================================== entry point
def main(ctx: ToolContext, argv: list[str]) -> int:
    try:
        return _run(ctx, argv)
    except _Exit as done:
        return done.status


def _run(ctx: ToolContext, argv: list[str]) -> int:
    opts = parse_options(ctx, argv[1:])
    if opts.help:
        if not opts.afname:
            return _usage(ctx, 0)
        action = "help"
    else:
        if not opts.afname:
            opts.afname = ["inet"]
        if not opts.words:
            action = "show"
        elif keyword(opts.words[0]) == "add":
            action = "add"
        elif keyword(opts.words[0]) in ("del", "delete"):
            action = "del"
        elif keyword(opts.words[0]) == "flush":
            action = "flush"
        else:
            return _usage(ctx, E_OPTERR)
    fc = opts.fc or FLAG_FIB
    if action == "show":
        status = route_info(ctx, opts, fc)
    else:
        status = route_edit(ctx, opts, action, fc, opts.words[1:])
    if status == E_OPTERR and not ctx.profile["route_usage_rc"]:
        return _usage(ctx, status)      # the 2013 snapshot's main(): if (i == E_OPTERR) usage();
    return status


def _usage(ctx: ToolContext, status: int) -> int:
    """route.c usage(rc): the text on stdout (stderr when failing), then print_aflist()
    writes the family list on stderr. Without usage(rc) (the profile's
    route_usage_rc false) it is all stderr and exit(E_USAGE), 0."""
    text = usage_text("route_usage", ctx.profile) + usage_text("route_families", ctx.profile)
    lines = text.splitlines(keepends=True)
    aflist = "".join(line for line in lines if _AFLIST_RE.match(line))
    body = "".join(line for line in lines if not _AFLIST_RE.match(line))
    if not ctx.profile["route_usage_rc"]:
        status = 0
    if status or not ctx.profile["route_usage_rc"]:
        ctx.term.err(body)
    else:
        ctx.term.out(body)
    ctx.term.err(aflist)
    return status


_AFLIST_RE = re.compile(r"^    [a-z0-9]+ \(")


# ================================================================ getopt_long (glibc)
def parse_options(ctx: ToolContext, args: list[str]) -> Options:
    """getopt_long(argc, argv, "A:eCFhnN64Vv?", longopts) over grammar/route.lark as
    glibc runs it: options anywhere (the words are read after them), "--" ends them,
    an error is printed and counted as '?' (help), and the loop goes on."""
    opts = Options()
    pairs, opts.words = syntax.getopt("route", "route", args, mode=GETOPT_MODE)
    for option, value in pairs:
        if option == "?":
            ctx.term.err(value + "\n")
            opts.help += 1
        elif option in LONG_LETTERS:
            _apply_option(ctx, opts, LONG_LETTERS[option][1], value)
        elif option.startswith("--"):
            if _longopts().index(option) >= AFTRANS_CNT:
                ctx.term.err("route.c: Internal Error `longopts 1 range'.\n")
            else:
                _aftrans_opt(ctx, opts, option[2:])
        else:
            _apply_option(ctx, opts, option[1], value)
    return opts


@lru_cache(maxsize=1)
def _longopts() -> list[str]:
    """longopts[] in table order: the grammar's long options where it starts."""
    keywords, _ = syntax.grammar("route").cursor().expected()
    return [k.text for k in keywords if k.text.startswith("--") and k.text != "--"]


def _apply_option(ctx: ToolContext, opts: Options, ch: str, value: str | None) -> None:
    if ch == "n":
        opts.numeric |= FLAG_NUM_HOST | 8 | 16
    elif ch == "N":
        opts.numeric |= FLAG_SYM
    elif ch == "e":
        opts.extend += 1
    elif ch == "C":
        opts.fc |= FLAG_CACHE
    elif ch == "F":
        opts.fc |= FLAG_FIB
    elif ch == "A":
        _aftrans_opt(ctx, opts, value or "")
    elif ch == "6":
        _aftrans_opt(ctx, opts, "inet6")
    elif ch == "4":
        _aftrans_opt(ctx, opts, "inet")
    elif ch == "V":
        # route.c version(): printf() now, fprintf(stderr, ...) in the 2013 snapshot
        stream = ctx.term.out if ctx.profile["route_version_stream"] == "out" else ctx.term.err
        stream(ctx.profile["route_version"])
        raise _Exit(0)
    elif ch in "h?":
        opts.help += 1
    # 'v' (verbose) changes nothing route prints


def _aftrans_opt(ctx: ToolContext, opts: Options, text: str) -> None:
    """lib/af.c aftrans_opt(): a comma list of family aliases, each appended."""
    for alias in text.split(","):
        if alias not in AFTRANS:
            ctx.term.err(f"Unknown address family `{alias}'.\n")
            raise _Exit(1)
        opts.afname.append(AFTRANS[alias])


# ======================================================================== listing
def route_info(ctx: ToolContext, opts: Options, fc: int) -> int:
    """lib/getroute.c route_info(): each family in turn; the first failure ends it."""
    found = 8  # E_NOTFOUND
    for name in opts.afname:
        if name not in AFTYPES:
            ctx.term.err(f"Address family `{name}' not supported.\n")
            return E_OPTERR
        if name in ("unix", "ec", "ash"):
            ctx.term.err(f"No routing for address family `{name}'.\n")
            return E_OPTERR
        found = 0
        if name == "inet" and fc == FLAG_FIB and len(opts.afname) == 1 and \
                not opts.is_numeric:
            printer = _FibPrinter.needed(ctx, opts)
            if printer is not None:
                return printer.start()      # the names ask the DNS: lines come as it answers
        if name == "inet":
            status = inet_rprint(ctx, opts, fc)
        elif name == "inet6":
            status = inet6_rprint(ctx, opts, fc)
        else:
            chunks, status = AF_LIST_FAILURE[name]
            for stream, text in chunks:
                (ctx.term.out if stream == "out" else ctx.term.err)(text)
        if status:
            return status
    return found


# --------------------------------------------------------------------------- IPv4
IPV4_HEADERS = {
    1: "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n",
    2: "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n",
    3: "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    "
       "MSS   Window irtt\n",
}
IPV4_CACHE_HEADERS = {
    1: "Source          Destination     Gateway         Flags Metric Ref    Use Iface\n",
    2: "Source          Destination     Gateway         Flags   MSS Window  irtt Iface\n",
    3: "Source          Destination     Gateway         Flags Metric Ref    Use Iface    "
       "MSS   Window irtt  TOS HHRef HHUptod     SpecDst\n",
}


def inet_rprint(ctx: ToolContext, opts: Options, fc: int) -> int:
    status = E_INTERN
    if fc & FLAG_FIB:
        status = rprint_fib(ctx, opts)
        if status:
            return status
    if fc & FLAG_CACHE:
        # /proc/net/rt_cache has only its header since the route cache went (3.6)
        ctx.term.out("Kernel IP routing cache\n" + IPV4_CACHE_HEADERS.get(opts.ext, ""))
        status = 0
    return status


def rprint_fib(ctx: ToolContext, opts: Options) -> int:
    """lib/inet_gr.c rprint_fib(): the lines of /proc/net/route."""
    out = ["Kernel IP routing table\n", IPV4_HEADERS.get(opts.ext, "")]
    rows = ctx.netns.proc_net_route()
    if rows is None:
        # no main table: /proc/net/route is empty, and without its header line
        # proc_gen_fmt() fails
        ctx.term.out("".join(out))
        return 1
    out += [_fib_line(row, opts.ext, opts.is_numeric) for row in rows]
    ctx.term.out("".join(out))
    return 0


def _fib_line(row: ProcRouteRow, ext: int, numeric: bool) -> str:
    host = bool(row.flags & RTF_HOST)
    dest = _inet_rresolve(row.dst, numeric, row.mask, default=True, host=host)[:15]
    gate = _inet_rresolve(row.gateway, numeric, 0xFFFFFF00, host=True)[:15]
    mask = str(ipaddress.IPv4Address(row.mask))
    reject = bool(row.flags & RTF_REJECT)
    flags = "!" if reject else ("UG" if row.flags & RTF_GATEWAY else "U")
    if host:
        flags += "H"
    iface = row.iface
    metric = _s32(row.metric)
    if ext == 1:
        if reject:
            return f"{dest:<15} -               {mask:<15} {flags:<5} {metric:<6} -  {0:>7} -\n"
        return f"{dest:<15} {gate:<15} {mask:<15} {flags:<5} {metric:<6} {0:<2} {0:>7} {iface}\n"
    if ext == 2:
        if reject:
            return f"{dest:<15} -               {mask:<15} {flags:<5}     - -          - -\n"
        return (f"{dest:<15} {gate:<15} {mask:<15} {flags:<5} {row.mtu:>5} {row.window:<5} "
                f"{row.irtt:>6} {iface}\n")
    if ext == 3:
        if reject:
            return (f"{dest:<15} -               {mask:<15} {flags:<5} {metric:<6} -  {0:>7} "
                    f"-        -     -      -\n")
        return (f"{dest:<15} {gate:<15} {mask:<15} {flags:<5} {metric:<6} {0:<3} {0:>6} "
                f"{cpad(iface, 6, precision=6)}   {row.mtu:<5} {row.window:<6} {row.irtt}\n")
    return ""  # -eee: opt_e & FLAG_EXT is 0, and rprint_fib() prints no lines


def _dns_lookups(row: ProcRouteRow) -> list[int]:
    """The addresses of a line that INET_rresolve() gives to gethostbyaddr() (a host:
    host bits set under the mask, RTF_HOST, or a gateway), with no /etc/hosts name."""
    out = []
    if row.dst and (row.dst & ~row.mask & 0xFFFFFFFF or row.flags & RTF_HOST):
        out.append(row.dst)
    if row.gateway:
        out.append(row.gateway)
    return [a for a in out if a not in HOSTS.values()]


class _FibPrinter(ReverseLinePrinter, Process):
    """rprint_fib() whose names come from glibc's gethostbyaddr(): a PTR query to the
    recording host's nameserver for each address /etc/hosts does not name
    (resolver.ReverseLookup: its tries, ARP and ICMP included), one at a time, each
    line printed once its names are settled; INET_rresolve() keeps what it found (or
    failed to) for the rest of the run (INET_nn). Nothing here answers, so the lines
    show the addresses."""

    def __init__(self, ctx: ToolContext, opts: Options, rows: list) -> None:
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.opts = opts
        self.rows = self.todo = rows
        self.i = 0
        self.asked: set[int] = set()
        self.lookup = None

    @classmethod
    def needed(cls, ctx: ToolContext, opts: Options) -> "_FibPrinter | None":
        from ipemu.tools.resolver import ReverseLookup
        rows = ctx.netns.proc_net_route()
        if not rows or opts.ext not in (1, 2, 3):
            return None
        addrs = {a for row in rows for a in _dns_lookups(row)}
        if not any(ReverseLookup.needed(ctx, ipaddress.IPv4Address(a)) for a in addrs):
            # no query can leave: each address INET_nn has not seen fails at once,
            # its connect()s counted (resolver.unrouted_query())
            from ipemu.tools.resolver import getnameinfo, unrouted_query
            for a in addrs:
                if getnameinfo(ctx.session, ipaddress.IPv4Address(a)) is None:
                    unrouted_query(ctx)
            return None
        return cls(ctx, opts, rows)

    def start(self) -> "_FibPrinter":
        self.term.out("Kernel IP routing table\n" + IPV4_HEADERS.get(self.opts.ext, ""))
        self._advance()
        return self

    def addresses(self, row) -> list:
        return [ipaddress.IPv4Address(addr) for addr in _dns_lookups(row)]

    def line(self, row) -> str:
        return _fib_line(row, self.opts.ext, False)


def _inet_rresolve(addr: int, numeric: bool, netmask: int, *, default: bool = False,
                   host: bool = False) -> str:
    """lib/inet.c INET_rresolve(): names from /etc/hosts (hosts) and /etc/networks
    (networks); the resolver has no server to ask, so other lookups fail at once."""
    if numeric:
        return _ntoa(addr)
    if addr == 0:
        if netmask == 0:
            return "default" if default else "*"
        return "0.0.0.0"
    if addr & ~netmask & 0xFFFFFFFF or host:
        for name, value in HOSTS.items():
            if value == addr:
                return name
    else:
        for name, value in NETWORKS.items():
            if value == addr:
                return name
    return _ntoa(addr)


def _ntoa(addr: int) -> str:
    return str(ipaddress.IPv4Address(addr))


def _s32(value: int) -> int:
    """The low 32 bits as a signed int (what a C int keeps, what %d prints)."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


# --------------------------------------------------------------------------- IPv6
IPV6_HEADER = ("Destination                    Next Hop                   "
               "Flag Met Ref  Use If\n")


def inet6_rprint(ctx: ToolContext, opts: Options, fc: int) -> int:
    status = E_INTERN
    if fc & FLAG_FIB:
        ctx.term.out(rprint_fib6(ctx.netns, opts.is_numeric, cache=False))
        status = 0
    if fc & FLAG_CACHE:
        # no /proc/net/ndisc: rprint_cache6() falls back to the RTF_CACHE entries of
        # /proc/net/ipv6_route, and the kernel lists no cached routes there
        ctx.term.out(rprint_fib6(ctx.netns, opts.is_numeric, cache=True))
        status = 0
    return status


def rprint_fib6(ns: NetNamespace, numeric: bool, cache: bool) -> str:
    title = "Kernel IPv6 routing cache\n" if cache else "Kernel IPv6 routing table\n"
    out = [title, IPV6_HEADER]
    if cache:
        return "".join(out)
    for row in ns.proc_ipv6_route():
        dest = f"{_inet6_rresolve(int(row.dst), numeric)}/{row.dst_len}"
        nexthop = _inet6_rresolve(int(row.gateway), numeric)
        letters = "".join(ch for bit, ch in RTF6_LETTERS if row.flags & bit)
        out.append(f"{dest:<30} {nexthop:<26} {letters:<4} {_s32(row.metric):<3} "
                   f"{row.refcnt:<1} {row.use:>6} {row.dev}\n")
    return "".join(out)


def _inet6_rresolve(addr: int, numeric: bool) -> str:
    """lib/inet6.c INET6_rresolve() + fix_v4_address(); getnameinfo() finds no names
    (no IPv6 lines in /etc/hosts, no resolver) and falls back to the number."""
    if not numeric and addr == 0:
        return "[::]"
    ip = ipaddress.IPv6Address(addr)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    from ipemu.render.names import ntop
    return ntop(ip)             # getnameinfo(NI_NUMERICHOST): inet_ntop()'s text


# ======================================================================== editing
def route_edit(ctx: ToolContext, opts: Options, action: str, fc: int,
               args: list[str]) -> int:
    """lib/setroute.c route_edit(): one family's rinput()."""
    if len(opts.afname) > 1:
        ctx.term.err("Please don't supply more than one address family.\n")
        ctx.term.err(f"Address family `{','.join(opts.afname)}' not supported.\n")
        return E_OPTERR
    name = opts.afname[0]
    if name not in AFTYPES:
        ctx.term.err(f"Address family `{name}' not supported.\n")
        return E_OPTERR
    if name == "inet":
        return inet_rinput(ctx, action, fc, args)
    if name == "inet6":
        return inet6_rinput(ctx, action, args)
    if name in AF_EDIT_STUB:
        ctx.term.err(AF_EDIT_STUB[name])
        return 1
    if name == "x25":
        return x25_rinput(ctx, action, fc, args)
    ctx.term.err(f"No routing for address family `{name}'.\n")
    return E_OPTERR


def _sub_usage(ctx: ToolContext, text: str, status: int) -> int:
    """lib/*_sr.c usage(rc): stdout and 0 when asked for, stderr and rc after an error;
    without usage(rc) (profile's route_usage_rc false): stderr, returning E_USAGE = 0."""
    if not ctx.profile["route_usage_rc"]:
        ctx.term.err(text)
        return 0
    (ctx.term.err if status else ctx.term.out)(text)
    return status


def x25_rinput(ctx: ToolContext, action: str, fc: int, args: list[str]) -> int:
    usage = usage_text("x25_route", ctx.profile)
    if action == "flush":
        ctx.term.err("Flushing `x25' routing table not supported\n")
        return _sub_usage(ctx, usage, E_OPTERR)
    if fc & FLAG_CACHE:
        ctx.term.err("Modifying `x25' routing cache not supported\n")
        return _sub_usage(ctx, usage, E_OPTERR)
    if action == "help":
        return _sub_usage(ctx, usage, 0)
    rest = args[1:]
    device = None
    while rest:
        if keyword(rest[0]) in ("device", "dev"):
            rest = rest[1:]
            if not rest:
                return _sub_usage(ctx, usage, E_OPTERR)
        elif len(rest) > 1:
            return _sub_usage(ctx, usage, E_OPTERR)
        if device is not None:
            return _sub_usage(ctx, usage, E_OPTERR)
        device, rest = rest[0], rest[1:]
    if not args or device is None:
        return _sub_usage(ctx, usage, E_OPTERR)
    ctx.term.err("socket: Address family not supported by protocol\n")
    return E_SOCK


# --------------------------------------------------------------------------- IPv4
@dataclass
class RtArgs:
    """struct rtentry as INET_setroute() fills it, field by field (the kernel's
    RtEntry is what the ioctl carries)."""

    dst: int = 0
    host: bool = False                  # RTF_HOST
    genmask: int | None = None          # rt_genmask (None: family 0, never set)
    gateway: int | None = None          # rt_gateway (None: family 0)
    is_gateway: bool = False            # RTF_GATEWAY
    metric: int = 0                     # rt_metric (a short, metric + 1)
    reject: bool = False
    dev: str | None = None
    mtu: int | None = None              # rt_mtu with RTF_MSS (`mss`/`mtu`)
    window: int | None = None           # rt_window with RTF_WINDOW
    irtt: int | None = None             # rt_irtt with RTF_IRTT (an unsigned short)


def inet_rinput(ctx: ToolContext, action: str, fc: int, args: list[str]) -> int:
    usage = usage_text("inet_route", ctx.profile)
    if action == "flush":
        ctx.term.err("Flushing `inet' routing table not supported\n")
        return _sub_usage(ctx, usage, E_OPTERR)
    if fc & FLAG_CACHE:
        ctx.term.err("Modifying `inet' routing cache not supported\n")
        return _sub_usage(ctx, usage, E_OPTERR)
    if not args or action == "help":
        return _sub_usage(ctx, usage, 0)
    try:
        rt = inet_setroute_args(args)
    except _Lookup as failed:
        if failed.target and failed.xflag != 1 and ctx.profile["route_target_hostfirst_unless_net"]:
            failed.hostfirst = True
        ctx.term.err(failed.herror(ctx))
        if failed.target:
            return ctx.profile["route_target_lookup_status"]
        return E_LOOKUP
    except _Usage as bad:
        ctx.term.err(bad.message)
        if bad.message and not ctx.profile["route_usage_rc"]:
            return E_OPTERR      # the 2013 snapshot: message, `return E_OPTERR`, main's usage()
        return _sub_usage(ctx, usage, E_OPTERR)
    name = "SIOCDELRT" if action == "del" else "SIOCADDRT"
    try:
        ctx.netns.ip_rt_ioctl(RtEntry(**asdict(rt)), delete=action == "del")
    except KernelError as err:
        ctx.term.err(f"{name}: {strerror(err.errno)}\n")
        return E_SOCK
    return 0


class _Usage(Exception):
    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class _Lookup(Exception):
    def __init__(self, name: str, target: bool = False, hostfirst: bool = False,
                 xflag: int = 0):
        super().__init__(name)
        self.name = name
        self.xflag = xflag       # -net 1, -host 2
        self.target = target     # the route's own destination, not its gateway or mask
        self.hostfirst = hostfirst

    def herror(self, ctx: ToolContext) -> str:
        """INET_reserror(): herror()'s line. With hostfirst the last lookup was
        getnetbyname(), which leaves HOST_NOT_FOUND; else gethostbyname()'s: TRY_AGAIN
        when no DNS server answers (a bare namespace), HOST_NOT_FOUND from one that
        does, or at once for a name of digits and dots (glibc's digits_dots)."""
        from ipemu.tools.resolver import _worlds, hostname_chars_ok
        # a name that is no host name (`2001:db8::`, `#net`) is not asked for
        # (binary_hnok()): HOST_NOT_FOUND at once
        if (self.hostfirst or not self.name.strip("0123456789.")
                or not hostname_chars_ok(self.name) or _worlds(ctx.session)):
            return f"{self.name}: Unknown host\n"
        return f"{self.name}: Host name lookup failure\n"


def inet_setroute_args(args: list[str]) -> RtArgs:
    """INET_setroute() up to the ioctl: the words, the name lookups, the mask checks."""
    rt = RtArgs()
    xflag = 0
    if keyword(args[0]) == "-net":
        xflag, args = 1, args[1:]
    elif keyword(args[0]) == "-host":
        xflag, args = 2, args[1:]
    if not args:
        raise _Usage()
    target, args = args[0], args[1:]
    netmask_text = "default"
    if "/" in target:
        target, _, prefix_text = target.partition("/")
        prefix, end = _strtoul(prefix_text)
        if end != len(prefix_text):
            raise _Usage()
        netmask_text = f"/{_s32(prefix)}"
        # htonl(~(0xffffffffU >> prefix)): x86 shifts by the count mod 32
        rt.genmask = ~(0xFFFFFFFF >> (prefix & 31)) & 0xFFFFFFFF
    try:
        isnet, rt.dst = _inet_resolve(target, hostfirst=xflag == 2)
    except _Lookup as failed:
        raise _Lookup(failed.name, True, failed.hostfirst, xflag) from None
    if xflag:
        isnet = xflag == 1
    rt.host = not isnet
    while args:
        word, kw = args[0], keyword(args[0])
        if kw == "metric":
            if len(args) < 2 or not "0" <= args[1][:1] <= "9":
                raise _Usage()
            rt.metric = _s16(_atoi(args[1]) + 1)
            args = args[2:]
        elif kw == "netmask":
            if len(args) < 2 or rt.genmask:
                raise _Usage()
            netmask_text = args[1]
            _, rt.genmask = _inet_resolve(args[1], hostfirst=False)
            args = args[2:]
        elif kw in ("gw", "gateway"):
            if len(args) < 2 or rt.is_gateway:
                raise _Usage()
            gw_isnet, rt.gateway = _inet_resolve(args[1], hostfirst=True)
            if gw_isnet:
                raise _Usage(f"route: {args[1]}: cannot use a NETWORK as gateway!\n")
            rt.is_gateway = True
            args = args[2:]
        elif kw in ("mss", "mtu"):
            if len(args) < 2:
                raise _Usage()
            rt.mtu = _atoi(args[1])
            if not 64 <= rt.mtu <= 65536:
                raise _Usage("route: Invalid MSS/MTU.\n")
            args = args[2:]
        elif kw == "window":
            if len(args) < 2:
                raise _Usage()
            rt.window = _atoi(args[1])
            if rt.window < 128:
                raise _Usage("route: Invalid window.\n")
            args = args[2:]
        elif kw == "irtt":
            if len(args) < 2:
                raise _Usage()
            # atoi() times clk_tck / 100 (1 at USER_HZ 100) into an unsigned short
            rt.irtt = _atoi(args[1]) & 0xFFFF
            args = args[2:]
        elif kw == "reject":
            rt.reject = True
            args = args[1:]
        elif kw in ("mod", "dyn", "reinstate"):
            args = args[1:]      # RTF_MODIFIED/DYNAMIC/REINSTATE: IPv4 ignores them
        elif kw in ("device", "dev"):
            if rt.dev is not None or len(args) < 2:
                raise _Usage()
            rt.dev = args[1]
            args = args[2:]
        elif rt.dev is None:
            rt.dev = word
            args = args[1:]
            if args:
                raise _Usage()   # must be last to catch typos
        else:
            raise _Usage()
    if rt.reject and rt.dev is None:
        rt.dev = "lo"
    if rt.genmask:
        inverse = ~rt.genmask & 0xFFFFFFFF
        if rt.host and inverse != 0xFFFFFFFF:
            raise _Usage(f"route: netmask {inverse:08x} doesn't make sense with host route\n")
        if inverse & (inverse + 1) & 0xFFFFFFFF:
            raise _Usage(f"route: bogus netmask {netmask_text}\n")
        if rt.dst & inverse:
            raise _Usage("route: netmask doesn't match route address\n")
    return rt


def _inet_resolve(name: str, hostfirst: bool) -> tuple[bool, int]:
    """lib/inet.c INET_resolve(): (is a network, address); "default" is 0.0.0.0."""
    if name == "default":
        return True, 0
    addr = inet_aton(name)
    if addr is not None:
        return False, addr
    # gethostbyname() and getnetbyname() from the files match names as
    # __strcasecmp() does (recorded: `route add ... gw LOCALHOST`, `arp -s LOCALHOST`)
    key = name.lower()
    if hostfirst and key in HOSTS:
        return False, HOSTS[key]
    if key in NETWORKS:
        return True, NETWORKS[key]
    if not hostfirst and key in HOSTS:
        return False, HOSTS[key]
    raise _Lookup(name, hostfirst=hostfirst)


# --------------------------------------------------------------------------- IPv6
def inet6_rinput(ctx: ToolContext, action: str, args: list[str]) -> int:
    usage = usage_text("inet6_route", ctx.profile)
    if action == "flush":
        ctx.term.err("Flushing `inet6' routing table not supported\n")
        return _sub_usage(ctx, usage, E_OPTERR)
    if action == "help":
        return _sub_usage(ctx, usage, 0)
    if not args:
        return _sub_usage(ctx, usage, E_OPTERR)
    target, args = args[0], args[1:]
    if target == "default":
        network = ipaddress.IPv6Network("::/0")
    else:
        plen = 128
        if "/" in target:
            target, _, rest = target.partition("/")
            plen = _s32(_atoi(rest))
            if not 0 <= plen <= 128:
                return _sub_usage(ctx, usage, E_OPTERR)
        addr = inet_pton6(target)
        if addr is None:
            code, herror = _getaddrinfo6_failure(target)
            ctx.term.err(f"getaddrinfo: {target}: {code}\n{target}: {herror}\n")
            return 1
        network = ipaddress.IPv6Network((addr, plen), strict=False)
    metric = 1
    gateway = None
    devname = None
    while args:
        kw = keyword(args[0])
        if kw == "metric":
            if len(args) < 2 or not "0" <= args[1][:1] <= "9":
                return _sub_usage(ctx, usage, E_OPTERR)
            metric = _atoi(args[1]) & 0xFFFFFFFF
            args = args[2:]
        elif kw in ("gw", "gateway"):
            if len(args) < 2 or gateway is not None:
                return _sub_usage(ctx, usage, E_OPTERR)
            gateway = inet_pton6(args[1])
            if gateway is None:
                ctx.term.err(f"{args[1]}: Resolver Error 0 (no error)\n")
                return E_LOOKUP
            args = args[2:]
        elif kw in ("mod", "dyn"):
            args = args[1:]      # RTF_MODIFIED/DYNAMIC: not kept by the simulated FIB
        else:
            if kw in ("device", "dev"):
                args = args[1:]
                if not args:
                    return _sub_usage(ctx, usage, E_OPTERR)
            elif len(args) > 1:
                return _sub_usage(ctx, usage, E_OPTERR)
            devname, args = args[0], args[1:]
    ns = ctx.netns
    dev = None
    if devname is not None:
        dev = ns.by_name(devname[:15])
        if dev is None:
            ctx.term.err("SIOGIFINDEX: No such device\n")
            return E_SOCK
    name = "SIOCDELRT" if action == "del" else "SIOCADDRT"
    try:
        msg = In6Rtmsg(network, ipaddress.IPv6Address(gateway) if gateway is not None else None,
                       metric, dev.ifindex if dev is not None else 0)
        ns.ipv6_route_ioctl(msg, delete=action == "del")
    except KernelError as err:
        ctx.term.err(f"{name}: {strerror(err.errno)}\n")
        return E_SOCK
    return 0


def _getaddrinfo6_failure(name: str) -> tuple[int, str]:
    """getaddrinfo(name, AF_INET6) with no DNS server reachable, and herror() after it."""
    from ipemu.tools.resolver import hostname_chars_ok
    if ":" in name or not hostname_chars_ok(name):
        # no host name (binary_hnok()): not asked for, EAI_NONAME at once
        return -2, "Unknown host"                       # EAI_NONAME
    if inet_aton(name) is not None:
        return -9, "Resolver Error 0 (no error)"        # EAI_ADDRFAMILY
    return -3, "Host name lookup failure"               # EAI_AGAIN


# ======================================================================= C helpers
def inet_pton6(text: str) -> int | None:
    if "%" in text or "/" in text:
        return None
    try:
        return int(ipaddress.IPv6Address(text))
    except ValueError:
        return None


def inet_aton(text: str) -> int | None:
    """glibc inet_aton(): 1 to 4 parts in C notation (0x.., 0.., decimal), anything
    after a whitespace ignored."""
    parts: list[int] = []
    i = 0
    while True:
        if i >= len(text) or not "0" <= text[i] <= "9":
            return None
        value, end = _strtoul(text[i:])
        i += end
        if value > 0xFFFFFFFF:
            return None
        if i < len(text) and text[i] == ".":
            if len(parts) > 2 or value > 0xFF:
                return None
            parts.append(value)
            i += 1
            continue
        break
    if i < len(text) and not text[i].isspace():
        return None
    limits = [0xFFFFFFFF, 0xFFFFFF, 0xFFFF, 0xFF]
    if value > limits[len(parts)]:
        return None
    addr = 0
    for n, part in enumerate(parts):
        addr |= part << (24 - 8 * n)
    return addr | value


def _strtoul(text: str) -> tuple[int, int]:
    """strtoul(text, &end, 0): (value, characters used)."""
    i = 0
    while i < len(text) and text[i] in " \t\n\v\f\r":
        i += 1
    negative = False
    if i < len(text) and text[i] in "+-":
        negative = text[i] == "-"
        i += 1
    base = 10
    if text[i:i + 2].lower() == "0x" and i + 2 < len(text) and \
            text[i + 2] in "0123456789abcdefABCDEF":
        base, i = 16, i + 2
    elif text[i:i + 1] == "0":
        base = 8
    digits = "0123456789abcdef"[:base]
    start = i
    value = 0
    while i < len(text) and text[i].lower() in digits:
        value = value * base + int(text[i], base)
        i += 1
    if i == start:
        return 0, 0
    value = min(value, 0xFFFFFFFFFFFFFFFF)
    if negative:
        value = -value & 0xFFFFFFFFFFFFFFFF
    return value, i


def _atoi(text: str) -> int:
    """atoi()/atol(): leading blanks, a sign, digits; a long (64 bits), saturated."""
    m = re.match(r"(?a)[ \t\n\v\f\r]*([+-]?)(\d*)", text)
    if not m or not m.group(2):
        return 0
    value = min(int(m.group(2)), (1 << 63) - 1 if m.group(1) != "-" else 1 << 63)
    return -value if m.group(1) == "-" else value


def _s16(value: int) -> int:
    value &= 0xFFFF
    return value - 0x10000 if value & 0x8000 else value
