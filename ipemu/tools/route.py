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
from dataclasses import dataclass, field

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import RTN, TABLE_LOCAL, TABLE_MAIN, Proto, Route, Scope
from ipemu.kernel.netns import NetNamespace
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import usage_text
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
# route.c longopts[], in table order (getopt_long lists ambiguous matches in this order);
# value 1 marks the AFTRANS_OPTS entries; only the first AFTRANS_CNT (12) are in range
LONGOPTS: list[tuple[str, bool, str | int]] = [
    ("ax25", False, 1), ("x25", False, 1), ("ip", False, 1), ("ipx", False, 1),
    ("appletalk", False, 1), ("netrom", False, 1), ("inet", False, 1), ("inet6", False, 1),
    ("ddp", False, 1), ("rose", False, 1), ("unix", False, 1), ("bluetooth", False, 1),
    ("tcpip", False, 1),
    ("extend", False, "e"), ("verbose", False, "v"), ("version", False, "V"),
    ("numeric", False, "n"), ("symbolic", False, "N"), ("protocol", True, "A"),
    ("cache", False, "C"), ("fib", False, "F"), ("help", False, "h"),
]
AFTRANS_CNT = 12
SHORTOPTS = "A:eCFhnN64Vv?"

# /etc/networks and /etc/hosts of the recorded Debian host
NETWORKS = {"default": 0x00000000, "loopback": 0x7F000000, "link-local": 0xA9FE0000}
HOSTS = {"localhost": 0x7F000001}

# IPv6 fib6_info flags (include/uapi/linux/ipv6_route.h) as lib/inet6_gr.c decodes them
RTF_UP, RTF_GATEWAY, RTF_HOST = 0x0001, 0x0002, 0x0004
RTF_EXPIRES, RTF_NONEXTHOP, RTF_REJECT = 0x00400000, 0x00200000, 0x0200
RTF6_LETTERS = [(RTF_UP, "U"), (RTF_REJECT, "!"), (RTF_GATEWAY, "G"), (RTF_HOST, "H"),
                (RTF_EXPIRES, "e"), (RTF_NONEXTHOP, "n")]
# the pcpu dst copies that received multicast leaves on a veth's ff00::/8 route (one
# per CPU of the recorded 2-CPU host, once the link had carrier and the peer sent its
# MLD reports and NS); background traffic, so only typical, not exact
PCPU_REFS = 2


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
    # route.c: "getopts and -net wont work", so -net/-host become words before getopt
    args = ["#" + a[1:] if a in ("-net", "-host") else a for a in argv[1:]]
    opts = parse_options(ctx, args)
    if opts.help:
        if not opts.afname:
            return _usage(ctx, 0)
        action = "help"
    else:
        if not opts.afname:
            opts.afname = ["inet"]
        if not opts.words:
            action = "show"
        elif opts.words[0] == "add":
            action = "add"
        elif opts.words[0] in ("del", "delete"):
            action = "del"
        elif opts.words[0] == "flush":
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
    """getopt_long(argc, argv, "A:eCFhnN64Vv?", longopts) as glibc runs it: options
    anywhere (non-options are moved to the end), "--" ends them, errors return '?'."""
    opts = Options()
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            opts.words += args[i:]
            break
        if arg.startswith("--"):
            i = _long_option(ctx, opts, arg[2:], args, i)
        elif arg.startswith("-") and len(arg) > 1:
            i = _short_options(ctx, opts, arg, args, i)
        else:
            opts.words.append(arg)
    return opts


def _long_option(ctx: ToolContext, opts: Options, text: str, args: list[str], i: int) -> int:
    name, eq, value = text.partition("=")
    exact = [n for n, (lname, _, _) in enumerate(LONGOPTS) if lname == name]
    if exact:
        index = exact[0]
    else:
        matches = [n for n, (lname, _, _) in enumerate(LONGOPTS) if lname.startswith(name)]
        if not matches:
            ctx.term.err(f"route: unrecognized option '--{text}'\n")
            opts.help += 1
            return i
        first = LONGOPTS[matches[0]]
        ambiguous = [n for n in matches[1:]
                     if LONGOPTS[n][1] != first[1] or LONGOPTS[n][2] != first[2]]
        if ambiguous:
            listed = [matches[0]] + ambiguous
            names = " ".join(f"'--{LONGOPTS[n][0]}'" for n in sorted(listed))
            ctx.term.err(f"route: option '--{text}' is ambiguous; possibilities: {names}\n")
            opts.help += 1
            return i
        index = matches[0]
    lname, has_arg, val = LONGOPTS[index]
    if has_arg:
        if not eq:
            if i >= len(args):
                ctx.term.err(f"route: option '--{lname}' requires an argument\n")
                opts.help += 1
                return i
            value = args[i]
            i += 1
    elif eq:
        ctx.term.err(f"route: option '--{lname}' doesn't allow an argument\n")
        opts.help += 1
        return i
    if val == 1:
        if index >= AFTRANS_CNT:
            ctx.term.err("route.c: Internal Error `longopts 1 range'.\n")
        else:
            _aftrans_opt(ctx, opts, lname)
        return i
    _apply_option(ctx, opts, str(val), value)
    return i


def _short_options(ctx: ToolContext, opts: Options, arg: str, args: list[str], i: int) -> int:
    j = 1
    while j < len(arg):
        ch = arg[j]
        j += 1
        if ch not in SHORTOPTS or ch == ":":
            ctx.term.err(f"route: invalid option -- '{ch}'\n")
            opts.help += 1
            continue
        if ch == "A":
            value = arg[j:]
            if not value:
                if i >= len(args):
                    ctx.term.err("route: option requires an argument -- 'A'\n")
                    opts.help += 1
                    return i
                value = args[i]
                i += 1
            _apply_option(ctx, opts, "A", value)
            return i
        _apply_option(ctx, opts, ch, None)
    return i


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
    ns = ctx.netns
    ext = opts.ext
    out = ["Kernel IP routing table\n", IPV4_HEADERS.get(ext, "")]
    table = ns.table(4, TABLE_MAIN)
    if table is None:
        # no main table: /proc/net/route is empty, and without its header line
        # proc_gen_fmt() fails
        ctx.term.out("".join(out))
        return 1
    for route in table.sorted_routes():
        if route.type in (RTN.BROADCAST, RTN.MULTICAST):
            continue
        out.append(_fib_line(ns, route, ext, opts.is_numeric))
    ctx.term.out("".join(out))
    return 0


def _fib_line(ns: NetNamespace, route: Route, ext: int, numeric: bool) -> str:
    net = route.dst
    host = net.prefixlen == 32
    dest = _inet_rresolve(int(net.network_address), numeric, int(net.netmask),
                          default=True, host=host)[:15]
    gate = _inet_rresolve(int(route.gateway or 0), numeric, 0xFFFFFF00, host=True)[:15]
    mask = str(net.netmask)
    reject = route.type in (RTN.UNREACHABLE, RTN.PROHIBIT)
    # fib_flag_trans(): RTF_UP always, REJECT for unreachable/prohibit, GATEWAY, HOST
    flags = "!" if reject else ("UG" if route.gateway is not None else "U")
    if host:
        flags += "H"
    dev = ns.by_index(route.oif)
    iface = dev.name if dev is not None else "*"
    metric = _s32(route.priority)
    if ext == 1:
        if reject:
            return f"{dest:<15} -               {mask:<15} {flags:<5} {metric:<6} -  {0:>7} -\n"
        return f"{dest:<15} {gate:<15} {mask:<15} {flags:<5} {metric:<6} {0:<2} {0:>7} {iface}\n"
    if ext == 2:
        if reject:
            return f"{dest:<15} -               {mask:<15} {flags:<5}     - -          - -\n"
        return f"{dest:<15} {gate:<15} {mask:<15} {flags:<5} {0:>5} {0:<5} {0:>6} {iface}\n"
    if ext == 3:
        if reject:
            return (f"{dest:<15} -               {mask:<15} {flags:<5} {metric:<6} -  {0:>7} "
                    f"-        -     -      -\n")
        return (f"{dest:<15} {gate:<15} {mask:<15} {flags:<5} {metric:<6} {0:<3} {0:>6} "
                f"{iface[:6]:<6}   {0:<5} {0:<6} {0}\n")
    return ""  # -eee: opt_e & FLAG_EXT is 0, and rprint_fib() prints no lines


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
    for entry in ipv6_route_entries(ns):
        route = entry.route
        if route is None:   # the table root's fib6_null_entry
            dst, plen, gw, flags, metric, dev = 0, 0, 0, RTF_REJECT | RTF_NONEXTHOP, -1, "lo"
        else:
            dst, plen = int(route.dst.network_address), route.dst.prefixlen
            gw = int(route.gateway) if route.gateway is not None else 0
            flags = fib6_flags(ns, route)
            metric = _s32(route.priority)
            device = ns.by_index(route.oif)
            dev = device.name if device is not None else "lo"
        dest = f"{_inet6_rresolve(dst, numeric)}/{plen}"
        nexthop = _inet6_rresolve(gw, numeric)
        letters = "".join(ch for bit, ch in RTF6_LETTERS if flags & bit)
        out.append(f"{dest:<30} {nexthop:<26} {letters:<4} {metric:<3} {entry.ref:<1} "
                   f"{0:>6} {dev}\n")
    return "".join(out)


def fib6_flags(ns: NetNamespace, route: Route) -> int:
    """fib6_flags plus RTF_GATEWAY, as ipv6_route_native_seq_show() prints them."""
    if route.type in (RTN.UNREACHABLE, RTN.PROHIBIT, RTN.BLACKHOLE, RTN.THROW):
        return RTF_REJECT | RTF_NONEXTHOP
    dev = ns.by_index(route.oif)
    if (dev is not None and dev.kind == "loopback" and route.type == RTN.UNICAST
            and route.dst.network_address != ipaddress.IPv6Address("::1")):
        # fib6_is_reject(): "we cannot add true routes via loopback", promoted to reject
        return RTF_REJECT | RTF_NONEXTHOP
    flags = RTF_UP
    if route.gateway is not None:
        flags |= RTF_GATEWAY
    if route.onlink:
        # RTNH_F_ONLINK reaches fc_flags, where its bit is RTF_HOST
        flags |= RTF_HOST
    if route.expires is not None:
        flags |= RTF_EXPIRES
    if route.type in (RTN.LOCAL, RTN.ANYCAST) and route.protocol == Proto.KERNEL:
        # addrconf's routes for its own addresses: RTF_NONEXTHOP
        flags |= RTF_NONEXTHOP
    return flags


def _inet6_rresolve(addr: int, numeric: bool) -> str:
    """lib/inet6.c INET6_rresolve() + fix_v4_address(); getnameinfo() finds no names
    (no IPv6 lines in /etc/hosts, no resolver) and falls back to the number."""
    if not numeric and addr == 0:
        return "[::]"
    ip = ipaddress.IPv6Address(addr)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


# ----------------------------------------------------- /proc/net/ipv6_route (fib6 tree)
@dataclass
class Fib6Entry:
    route: Route | None          # None: the fib6_null_entry at a table's root
    ref: int = 0                 # fib6_ref


@dataclass
class Fib6Node:
    bit: int
    parent: Fib6Node | None = None
    left: Fib6Node | None = None
    right: Fib6Node | None = None
    entries: list[Fib6Entry] = field(default_factory=list)   # RTN_RTINFO when not empty
    dummy: Fib6Entry | None = None                            # leaf of a split node

    def leaf(self) -> Fib6Entry | None:
        return self.entries[0] if self.entries else self.dummy


def ipv6_route_entries(ns: NetNamespace) -> list[Fib6Entry]:
    """What /proc/net/ipv6_route lists: every table in fib_table_hash order (id mod 256),
    each walked as the kernel's fib6 tree (children before the node, 0 before 1).

    The tree is rebuilt by inserting the table's routes in the order they were added,
    with fib6_add_1()'s node splitting, because the Ref column counts the tree's
    references: one for the route list, one per split node that borrowed the route as
    its leaf, one for an address's own route (ifp->rt), and the pcpu copies left by
    received multicast."""
    tables = sorted((t for (fam, _), t in ns.tables.items() if fam == 6),
                    key=lambda t: (t.id & 0xFF, t.id))
    out: list[Fib6Entry] = []
    for table in tables:
        root = Fib6Node(0, entries=[])
        null = Fib6Entry(None, ref=1)
        root.dummy = null
        for route in table.routes:
            entry = Fib6Entry(route, ref=_held_refs(ns, route))
            _fib6_insert(root, entry)
        if not root.entries:
            root.entries = [null]
        _fib6_walk(root, out)
    return out


def _held_refs(ns: NetNamespace, route: Route) -> int:
    """References held outside the tree: the address's ifp->rt, and per-cpu copies."""
    refs = 0
    dev = ns.by_index(route.oif)
    if dev is None:
        return refs
    if route.type == RTN.LOCAL and route.protocol == Proto.KERNEL and route.dst.prefixlen == 128:
        if any(ifa.address == route.dst.network_address for ifa in ns.ifa6(dev)):
            refs += 1
    if route.type == RTN.MULTICAST and dev.kind == "veth" and dev.inet6_ready:
        refs += PCPU_REFS   # kept after the carrier goes: the copies stay cached
    return refs


def _bit(addr: int, n: int) -> int:
    return (addr >> (127 - n)) & 1 if n < 128 else 0


def _prefix_equal(a: int, b: int, bits: int) -> bool:
    if bits == 0:
        return True
    shift = 128 - bits
    return a >> shift == b >> shift


def _first_diff(a: int, b: int) -> int:
    diff = a ^ b
    return 128 - diff.bit_length() if diff else 128


def _key(node: Fib6Node) -> int:
    leaf = node.leaf()
    if leaf is None or leaf.route is None:
        return 0
    return int(leaf.route.dst.network_address)


def _fib6_insert(root: Fib6Node, entry: Fib6Entry) -> None:
    """fib6_add_1() + fib6_add_rt2node()."""
    route = entry.route
    addr, plen = int(route.dst.network_address), route.dst.prefixlen
    fn: Fib6Node | None = root
    pn = root
    direction = 0
    while fn is not None:
        key = _key(fn)
        if plen < fn.bit or not _prefix_equal(key, addr, fn.bit):
            _insert_above(fn, pn, direction, addr, plen, key, entry)
            return
        if plen == fn.bit:
            if not fn.entries and fn.dummy is not None:
                if fn is not root:
                    fn.dummy.ref -= 1      # the split node gives its borrowed leaf back
                fn.dummy = None
            _add_rt2node(fn, entry)
            return
        direction = _bit(addr, fn.bit)
        pn = fn
        fn = fn.right if direction else fn.left
    ln = Fib6Node(plen, parent=pn)
    if direction:
        pn.right = ln
    else:
        pn.left = ln
    _add_rt2node(ln, entry)


def _insert_above(fn: Fib6Node, pn: Fib6Node, direction: int, addr: int, plen: int,
                  key: int, entry: Fib6Entry) -> None:
    bit = _first_diff(addr, key)
    if plen > bit:
        # a split node above both; it borrows the old node's leaf (fib6_info_hold)
        inode = Fib6Node(bit, parent=pn, dummy=fn.leaf())
        if inode.dummy is not None:
            inode.dummy.ref += 1
        ln = Fib6Node(plen, parent=inode)
        fn.parent = inode
        if _bit(addr, bit):
            inode.right, inode.left = ln, fn
        else:
            inode.left, inode.right = ln, fn
        new_child = inode
    else:
        ln = Fib6Node(plen, parent=pn)
        if _bit(key, plen):
            ln.right = fn
        else:
            ln.left = fn
        fn.parent = ln
        new_child = ln
    if direction:
        pn.right = new_child
    else:
        pn.left = new_child
    _add_rt2node(ln, entry)


def _add_rt2node(node: Fib6Node, entry: Fib6Entry) -> None:
    """After the routes of a lower or equal metric; the list holds a reference."""
    at = len(node.entries)
    for n, other in enumerate(node.entries):
        if other.route.priority > entry.route.priority:
            at = n
            break
    node.entries.insert(at, entry)
    entry.ref += 1


def _fib6_walk(node: Fib6Node | None, out: list[Fib6Entry]) -> None:
    if node is None:
        return
    _fib6_walk(node.left, out)
    _fib6_walk(node.right, out)
    out.extend(node.entries)


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
        if rest[0] in ("device", "dev"):
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
class RtEntry:
    """struct rtentry as INET_setroute() fills it."""

    dst: int = 0
    host: bool = False                  # RTF_HOST
    genmask: int | None = None          # rt_genmask (None: family 0, never set)
    gateway: int | None = None          # rt_gateway (None: family 0)
    is_gateway: bool = False            # RTF_GATEWAY
    metric: int = 0                     # rt_metric (a short, metric + 1)
    reject: bool = False
    dev: str | None = None


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
        ctx.term.err(f"{failed.name}: Unknown host\n")
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
        inet_ioctl(ctx.netns, rt, delete=action == "del")
    except KernelError as err:
        ctx.term.err(f"{name}: {strerror(err.errno)}\n")
        return E_SOCK
    return 0


class _Usage(Exception):
    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class _Lookup(Exception):
    def __init__(self, name: str, target: bool = False):
        super().__init__(name)
        self.name = name
        self.target = target     # the route's own destination, not its gateway or mask


def inet_setroute_args(args: list[str]) -> RtEntry:
    """INET_setroute() up to the ioctl: the words, the name lookups, the mask checks."""
    rt = RtEntry()
    xflag = 0
    if args[0] == "#net":
        xflag, args = 1, args[1:]
    elif args[0] == "#host":
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
        raise _Lookup(failed.name, target=True) from None
    if xflag:
        isnet = xflag == 1
    rt.host = not isnet
    while args:
        word = args[0]
        if word == "metric":
            if len(args) < 2 or not args[1][:1].isdigit():
                raise _Usage()
            rt.metric = _s16(_atoi(args[1]) + 1)
            args = args[2:]
        elif word == "netmask":
            if len(args) < 2 or rt.genmask:
                raise _Usage()
            netmask_text = args[1]
            _, rt.genmask = _inet_resolve(args[1], hostfirst=False)
            args = args[2:]
        elif word in ("gw", "gateway"):
            if len(args) < 2 or rt.is_gateway:
                raise _Usage()
            gw_isnet, rt.gateway = _inet_resolve(args[1], hostfirst=True)
            if gw_isnet:
                raise _Usage(f"route: {args[1]}: cannot use a NETWORK as gateway!\n")
            rt.is_gateway = True
            args = args[2:]
        elif word in ("mss", "mtu"):
            if len(args) < 2:
                raise _Usage()
            if not 64 <= _atoi(args[1]) <= 65536:
                raise _Usage("route: Invalid MSS/MTU.\n")
            args = args[2:]      # RTAX_ADVMSS: accepted; the simulated FIB keeps no metrics
        elif word == "window":
            if len(args) < 2:
                raise _Usage()
            if _atoi(args[1]) < 128:
                raise _Usage("route: Invalid window.\n")
            args = args[2:]
        elif word == "irtt":
            if len(args) < 2:
                raise _Usage()
            args = args[2:]
        elif word == "reject":
            rt.reject = True
            args = args[1:]
        elif word in ("mod", "dyn", "reinstate"):
            args = args[1:]      # RTF_MODIFIED/DYNAMIC/REINSTATE: IPv4 ignores them
        elif word in ("device", "dev"):
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
    if hostfirst and name in HOSTS:
        return False, HOSTS[name]
    if name in NETWORKS:
        return True, NETWORKS[name]
    if not hostfirst and name in HOSTS:
        return False, HOSTS[name]
    raise _Lookup(name)


def inet_ioctl(ns: NetNamespace, rt: RtEntry, delete: bool) -> None:
    """ip_rt_ioctl(): rtentry_to_fib_config(), then fib_table_insert()/_delete()."""
    plen = 32
    dst = rt.dst
    if not rt.host:
        mask = rt.genmask or 0
        # bad_mask(): host bits set, or a mask that is not contiguous
        inverse = ~mask & 0xFFFFFFFF
        if dst & inverse or inverse & (inverse + 1) & 0xFFFFFFFF:
            raise KernelError(Errno.EINVAL)
        plen = bin(mask).count("1")
    network = ipaddress.IPv4Network((dst, plen))
    priority = (rt.metric - 1) & 0xFFFFFFFF if rt.metric else 0
    if rt.reject:
        route = Route(network, TABLE_MAIN, RTN.UNREACHABLE, Proto.BOOT, Scope.HOST,
                      priority=priority)
        if delete:
            ns.delete_route(4, TABLE_MAIN, {"dst": network, "type": RTN.UNREACHABLE,
                                            "scope": Scope.HOST, "priority": priority})
        else:
            ns.add_route(route, excl=False)
        return
    scope = Scope.NOWHERE
    oif = prefsrc = None
    if rt.dev is not None:
        dev, prefsrc = _rt_dev(ns, rt.dev)
        oif = dev.ifindex
    gateway = None
    if rt.gateway:
        gateway = ipaddress.IPv4Address(rt.gateway)
        if rt.is_gateway and _inet_addr_type(ns, gateway) == RTN.UNICAST:
            scope = Scope.UNIVERSE
    if delete:
        ns.delete_route(4, TABLE_MAIN, {"dst": network, "type": RTN.UNICAST, "scope": scope,
                                        "priority": priority, "oif": oif,
                                        "gateway": gateway, "prefsrc": prefsrc})
        return
    if rt.is_gateway and gateway is None:
        raise KernelError(Errno.EINVAL)
    if scope == Scope.NOWHERE:
        scope = Scope.LINK
    if gateway is not None:
        _check_gateway(ns, gateway, scope, oif)
    ns.add_route(Route(network, TABLE_MAIN, RTN.UNICAST, Proto.BOOT, scope, priority,
                       prefsrc=prefsrc, gateway=gateway, oif=oif), excl=False)


def _rt_dev(ns: NetNamespace, text: str):
    """The device of an rtentry: at most IFNAMSIZ-1 bytes, and `dev:label` picks the
    address with that label as the preferred source."""
    name = text[:15]
    base, colon, _ = name.partition(":")
    dev = ns.by_name(base)
    if dev is None:
        raise KernelError(Errno.ENODEV)
    if not colon:
        return dev, None
    for ifa in ns.ifa4(dev):
        if ifa.label == name:
            return dev, ifa.local
    raise KernelError(Errno.ENODEV)


def _inet_addr_type(ns: NetNamespace, addr: ipaddress.IPv4Address) -> RTN:
    """inet_addr_type_table(): zeronet and limited broadcast are BROADCAST, multicast,
    else the type of the local table's route for it, else UNICAST."""
    if int(addr) >> 24 == 0 or addr == ipaddress.IPv4Address("255.255.255.255"):
        return RTN.BROADCAST
    if addr.is_multicast:
        return RTN.MULTICAST
    local = ns.table(4, TABLE_LOCAL)
    best = None
    for route in local.routes if local is not None else []:
        if addr in route.dst and (best is None or route.dst.prefixlen > best.dst.prefixlen):
            best = route
    return best.type if best is not None else RTN.UNICAST


def _check_gateway(ns: NetNamespace, gateway: ipaddress.IPv4Address, scope: int,
                   oif: int | None) -> None:
    """fib_check_nh_v4_gw(): the gateway is looked up with a scope one above the
    route's; nothing found is ENETUNREACH (a link-scope route may only point at a
    local address, a universe one at anything on a connected route)."""
    want = max(scope + 1, Scope.LINK)
    for table_id in (TABLE_LOCAL, TABLE_MAIN):
        table = ns.table(4, table_id)
        for route in table.routes if table is not None else []:
            if gateway not in route.dst or route.scope < want:
                continue
            if oif is not None and route.oif != oif and route.type != RTN.LOCAL:
                continue
            return
    raise KernelError(Errno.ENETUNREACH)


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
        word = args[0]
        if word == "metric":
            if len(args) < 2 or not args[1][:1].isdigit():
                return _sub_usage(ctx, usage, E_OPTERR)
            metric = _atoi(args[1]) & 0xFFFFFFFF
            args = args[2:]
        elif word in ("gw", "gateway"):
            if len(args) < 2 or gateway is not None:
                return _sub_usage(ctx, usage, E_OPTERR)
            gateway = inet_pton6(args[1])
            if gateway is None:
                ctx.term.err(f"{args[1]}: Resolver Error 0 (no error)\n")
                return E_LOOKUP
            args = args[2:]
        elif word in ("mod", "dyn"):
            args = args[1:]      # RTF_MODIFIED/DYNAMIC: not kept by the simulated FIB
        else:
            if word in ("device", "dev"):
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
        inet6_ioctl(ns, network, gateway, metric or 1024, dev, delete=action == "del")
    except KernelError as err:
        ctx.term.err(f"{name}: {strerror(err.errno)}\n")
        return E_SOCK
    return 0


def inet6_ioctl(ns: NetNamespace, network: ipaddress.IPv6Network, gateway, metric: int, dev,
                delete: bool) -> None:
    """ipv6_route_ioctl(): fc_flags carry RTF_HOST for a /128, and that bit is also
    RTNH_F_ONLINK, so such a route is onlink; the protocol becomes boot."""
    gw = ipaddress.IPv6Address(gateway) if gateway is not None else None
    if delete:
        ns.delete_route(6, TABLE_MAIN, {"dst": network, "priority": metric,
                                        "oif": dev.ifindex if dev is not None else None,
                                        "gateway": gw})
        return
    route = Route(network, TABLE_MAIN, RTN.UNICAST, Proto.BOOT, Scope.UNIVERSE, metric,
                  gateway=gw, oif=dev.ifindex if dev is not None else None,
                  onlink=network.prefixlen == 128)
    if dev is not None and not dev.admin_up:
        # fib6_nh_init(): the gateway is checked first, then "Nexthop device is not up"
        if gw is not None and not route.onlink:
            ns.resolve_gateway(gw, dev, TABLE_MAIN)
        raise KernelError(Errno.ENETDOWN)
    ns.add_route(route, excl=False)


def _getaddrinfo6_failure(name: str) -> tuple[int, str]:
    """getaddrinfo(name, AF_INET6) with no DNS server reachable, and herror() after it."""
    if ":" in name:
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
        if i >= len(text) or not text[i].isdigit():
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
    m = re.match(r"[ \t\n\v\f\r]*([+-]?)(\d*)", text)
    if not m or not m.group(2):
        return 0
    value = min(int(m.group(2)), (1 << 63) - 1 if m.group(1) != "-" else 1 << 63)
    return -value if m.group(1) == "-" else value


def _s16(value: int) -> int:
    value &= 0xFFFF
    return value - 0x10000 if value & 0x8000 else value
