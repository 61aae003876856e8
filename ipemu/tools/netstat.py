"""net-tools `netstat`: the routing table (-r, as `route` prints it), the interface
table (-i, as `ifconfig -s` or, with -e, `ifconfig`), the statistics (-s:
netstat_stats.py), and the socket listings of a
host that has no sockets (the headers only: ipemu simulates no TCP or UDP servers).

Followed: net-tools netstat.c main() (options, -r's flag_exp swap, iface_info()) and
lib/getroute.c route_info() (route.py), lib/interface.c (ifconfig.py).
"""
from __future__ import annotations


from ipemu.plainclass import dataclass, field
from ipemu.process import Process
from ipemu.render.cfmt import cpad
from ipemu.tools import getopts
from ipemu.tools import route as R
from ipemu.tools.context import ToolContext
from ipemu.tools.ifconfig import (do_if_fetch, ife_print, nettools_usage,
                                  read_interfaces)

E_USAGE, E_OPTERR = 0, 3
SHORTOPTS = "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z"
# netstat.c longopts[]: the AFTRANS_OPTS first, then the options
AF_LONGOPTS = ["ax25", "x25", "ip", "ipx", "appletalk", "netrom", "inet", "inet6", "ddp",
               "rose", "unix", "bluetooth", "tcpip"]
LONGOPTS = {"protocol": "A", "version": "V", "interfaces": "i", "help": "h", "route": "r",
            "netlink": "L", "statistics": "s", "tcp": "t", "sctp": "S", "udp": "u",
            "udplite": "U", "raw": "w", "unix": "x", "l2cap": "2", "rfcomm": "f",
            "listening": "l", "all": "a", "timers": "o", "continuous": "c", "extend": "e",
            "programs": "p", "verbose": "v", "wide": "W", "numeric": "n",
            "numeric-hosts": "!", "numeric-ports": "@", "numeric-users": "#",
            "symbolic": "N", "cache": "C", "fib": "F", "groups": "g", "context": "Z"}
INET_HEADER = ("Proto Recv-Q Send-Q Local Address           Foreign Address         State"
               "      ")
UNIX_HEADER = "Proto RefCnt Flags       Type       State         I-Node   Path\n"
IFACE_HEADER = ("Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP "
                "TX-OVR Flg\n")


class _Exit(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


@dataclass
class Flags:
    """netstat.c's flag_* counters."""

    route: int = 0
    interfaces: int = 0
    statistics: int = 0
    masquerade: int = 0
    all: int = 0
    listening: int = 0
    extend: int = 1              # flag_exp starts at 1
    numeric: int = 0
    numeric_ports: bool = False    # -n or --numeric-ports: no /etc/services names
    numeric_users: bool = False    # -n or --numeric-users: -ee's uid as a number
    programs: int = 0
    timers: int = 0
    cf: int = 0
    tcp: int = 0
    udp: int = 0
    udplite: int = 0
    sctp: int = 0
    raw: int = 0
    unix: int = 0
    igmp: int = 0
    wide: int = 0                # -W: addr_do_one() leaves long addresses whole
    continuous: int = 0          # -c: flag_cnt
    afname: list[str] = field(default_factory=list)
    # lib/inet.c INET_nn: the IPv4 addresses INET_rresolve() has looked up this run
    inet_nn: set = field(default_factory=set)


def _usage(ctx: ToolContext, rc: int) -> None:
    raise _Exit(nettools_usage(ctx, "netstat_usage", rc))


def main(ctx: ToolContext, argv: list[str]):
    try:
        return _run(ctx, argv)
    except _Exit as done:
        return done.status


class _Continuous(Process):
    """-c: main()'s `for (;;)` around route_info(), iface_info() or the socket
    tables: a listing, then wait_continous() (fflush(), sleep(1)), until a listing
    fails or a signal (timeout, Ctrl-C) ends it."""

    def __init__(self, ctx: ToolContext, listing: str, f: Flags):
        super().__init__(ctx.host, ctx.term)
        self.ctx, self.listing, self.flags = ctx, listing, f
        self.timer = None
        self.first = True
        self.tick()

    def tick(self) -> None:
        try:
            if self.listing == "interfaces":
                status = iface_info(self.ctx, self.flags, banner=self.first)
            else:
                status = _LISTINGS[self.listing](self.ctx, self.flags)
            self.first = False
        except _Exit as done:
            status = done.status
        if status:
            self.exit(status)
            return
        self.timer = self.host.clock.call_later(1.0, self, "tick")

    def cleanup(self) -> None:
        if self.timer is not None:
            self.host.clock.cancel(self.timer)

    def blocked(self) -> bool:
        return False


def _route_listing(ctx: ToolContext, f: Flags) -> int:
    # -r alone prints route -e's columns, -re route's plain ones (the swap in main())
    ext = {1: 2, 2: 1}.get(f.extend, f.extend)
    opts = R.Options(numeric=f.numeric, extend=ext, afname=f.afname or ["inet"])
    try:
        return R.route_info(ctx, opts, f.cf or R.FLAG_FIB)
    except R._Exit as done:
        return done.status


def _socket_listing(ctx: ToolContext, f: Flags) -> int:
    return groups(ctx, f) if f.igmp else socket_info(ctx, f)


def _parse(ctx: ToolContext, argv: list[str]) -> Flags:
    f = Flags()
    longopts = AF_LONGOPTS + [n + ("=" if n == "protocol" else "") for n in LONGOPTS]
    try:
        pairs, _ = getopts.parse("netstat", argv[1:], SHORTOPTS, longopts)
    except getopts.OptionError as err:
        ctx.term.err(err.message + "\n")
        _usage(ctx, E_OPTERR)
    for flag, value in pairs:
        name = flag[2:] if flag.startswith("--") else None
        if name in AF_LONGOPTS:
            _aftrans(ctx, f, name)
            continue
        ch = LONGOPTS[name] if name else flag[1]
        if ch == "A":
            for word in value.split(","):
                _aftrans(ctx, f, word)
        elif ch in "46x":
            _aftrans(ctx, f, {"4": "inet", "6": "inet6", "x": "unix"}[ch])
            if ch == "x":
                f.unix += 1
        elif ch == "V":
            ctx.term.out(ctx.profile["netstat_version"])
            raise _Exit(0)
        elif ch == "h":
            _usage(ctx, E_USAGE)
        elif ch == "?":
            _usage(ctx, E_OPTERR)
        elif ch == "Z":
            ctx.term.err("SELinux is not enabled on this machine.\n")
            raise _Exit(1)
        else:
            _count(f, ch)
    return f


# one-letter options that only count (netstat.c's switch)
_COUNTERS = {"M": "masquerade", "a": "all", "l": "listening", "e": "extend", "p": "programs",
             "i": "interfaces", "o": "timers", "r": "route", "t": "tcp", "S": "sctp",
             "u": "udp", "U": "udplite", "w": "raw", "s": "statistics", "g": "igmp",
             "W": "wide", "c": "continuous"}


def _count(f: Flags, ch: str) -> None:
    if ch in _COUNTERS:
        setattr(f, _COUNTERS[ch], getattr(f, _COUNTERS[ch]) + 1)
    elif ch in "n!":
        f.numeric |= R.FLAG_NUM_HOST | R.FLAG_SYM if ch == "n" else R.FLAG_NUM_HOST
        f.numeric_ports = f.numeric_ports or ch == "n"
        f.numeric_users = f.numeric_users or ch == "n"
    elif ch == "@":
        f.numeric_ports = True
    elif ch == "#":
        f.numeric_users = True
    elif ch == "C":
        f.cf |= R.FLAG_CACHE
    elif ch == "F":
        f.cf |= R.FLAG_FIB


def _aftrans(ctx: ToolContext, f: Flags, word: str) -> None:
    """aftrans_opt(): a family name from lib/af.c's table."""
    if word not in R.AFTRANS:
        ctx.term.err(f"Unknown address family `{word}'.\n")
        raise _Exit(1)
    f.afname.append(R.AFTRANS[word])


def _run(ctx: ToolContext, argv: list[str]) -> int:
    f = _parse(ctx, argv)
    if f.interfaces + f.route + f.masquerade + f.statistics > 1:
        _usage(ctx, E_OPTERR)
    if f.route:
        if f.continuous:
            return _Continuous(ctx, "route", f)
        return _route_listing(ctx, f)
    if f.masquerade:
        # ip_masq_info(): no /proc/net/ip_masquerade on a kernel since 2.4: ESYSNOT()
        ctx.term.err("netstat: no support for `ip_masquerade' on this system.\n")
        return 1
    if f.interfaces:
        if f.continuous:
            return _Continuous(ctx, "interfaces", f)
        return iface_info(ctx, f)
    if f.statistics:
        # main(): with no protocol named, every protocol's tables
        chosen = {"raw": f.raw, "tcp": f.tcp, "udp": f.udp, "sctp": f.sctp}
        if not (f.tcp or f.sctp or f.udp or f.udplite or f.raw):
            chosen = dict.fromkeys(chosen, True)
        from ipemu.tools.netstat_stats import statistics
        return statistics(ctx, f.afname, {k: bool(v) for k, v in chosen.items()})
    if f.continuous:
        return _Continuous(ctx, "sockets", f)
    return _socket_listing(ctx, f)


def groups(ctx: ToolContext, f: Flags) -> int:
    """-g: main() turns a family (-4, -6, -A) without a protocol into every protocol,
    so the Internet connections come first; then igmp_info(): /proc/net/igmp's groups,
    then igmp6's, each line igmp_do_one()'s "%-15s %-6d %s". Without -n an address is
    named by /etc/hosts (INET_rresolve(), INET6_rresolve()'s getnameinfo()); a DNS
    query for the others is not simulated (the recording host's had no route)."""
    families = set(f.afname)
    inet_asked = f.tcp or f.sctp or f.udp or f.udplite or f.raw
    if families & {"inet", "inet6"} or inet_asked:
        if not inet_asked:
            f.tcp = f.udp = f.raw = f.sctp = f.udplite = 1
        socket_info(ctx, f)
    from ipemu.kernel.mcast import dump_maddr
    from ipemu.tools.resolver import getnameinfo
    wanted = {"inet", "inet6"} & families or {"inet", "inet6"}
    out = ["IPv6/IPv4 Group Memberships\n", "Interface       RefCnt Group\n",
           "--------------- ------ ---------------------\n"]
    for family in ("inet", "inet6"):
        if family not in wanted:
            continue
        for entry in dump_maddr(ctx.netns):
            if entry.family != family:
                continue
            name = None if f.numeric & R.FLAG_NUM_HOST else getnameinfo(ctx.session, entry.address)
            if name is None and not f.numeric & R.FLAG_NUM_HOST:
                _dns_miss(ctx, f, entry.address)
            out.append(f"{cpad(entry.ifname, 15)} {entry.users:<6d} {name or entry.address}\n")
    ctx.term.out("".join(out))
    return 0


def iface_info(ctx: ToolContext, f: Flags, banner: bool = True) -> int:
    """iface_info(): ifconfig -s's lines under a wider title, or with -e ifconfig's.
    The banner comes with the socket it opens (skfd < 0): -c keeps that socket, so
    only the first listing has it (recorded: tutorials44d_netstat_continuous)."""
    out = ["Kernel Interface table\n"] if banner else []
    short = f.extend < 2
    if short:
        out.append(IFACE_HEADER)
    for ife in read_interfaces(ctx):
        if not do_if_fetch(ctx, ife):
            ctx.term.out("".join(out))
            return 1
        if ife.flags & 1 or f.all:      # IFF_UP
            out.append(ife_print(ctx, ife, short))
    ctx.term.out("".join(out))
    return 0


def socket_info(ctx: ToolContext, f: Flags) -> int:
    """The socket listings: the headers, and the TCP sockets (kernel/tcp.py) under
    the Internet one."""
    inet_asked = f.tcp or f.sctp or f.udp or f.udplite or f.raw
    families = set(f.afname)
    any_arg = inet_asked or f.unix
    inet = not any_arg or inet_asked or families & {"inet", "inet6"}
    unix = not any_arg and not families or f.unix or "unix" in families
    if families and not families & {"inet", "inet6"}:
        inet = bool(inet_asked)
    mode = "(servers and established)" if f.all else \
        "(only servers)" if f.listening else "(w/o servers)"
    out = []
    if inet:
        head = INET_HEADER
        if f.extend > 1:
            head += " User       Inode     "
        if f.programs:
            head += " PID/Program name    "
        if f.timers:
            head += " Timer"
        out.append(f"Active Internet connections {mode}\n{head}\n")
        if f.tcp or not inet_asked:
            out += _tcp_rows(ctx, f, families)
        if f.udp or not inet_asked:
            out += _udp_rows(ctx, f, families)
        if f.raw or not inet_asked:
            out += _raw_rows(ctx, f, families)
    if unix:
        head = UNIX_HEADER
        if f.programs:
            # netstat.c's unix header: "I-Node  " then " PID/Program name    " then
            # " Path" (recorded: transcripts/public/tldr_netstat.txt, netstat -p)
            head = head[:-1].replace("I-Node   Path", "I-Node   PID/Program name     Path") + "\n"
        out.append(f"Active UNIX domain sockets {mode}\n{head}")
    ctx.term.out("".join(out))
    return 0


def _udp_rows(ctx: ToolContext, f: Flags, families: set) -> list[str]:
    """udp_do_one() for each line of /proc/net/udp and udp6: the kernel's unconnected
    sockets (a vxlan device's: ss.udp_socks()), shown with -l or -a (TCP_CLOSE: no
    state name); the any address by INET_sprint()/INET6_sprint()."""
    import ipaddress

    from ipemu.tools.ss import udp_socks
    if not (f.all or f.listening):
        return []
    rows = []
    for sock in udp_socks(ctx):
        v6 = sock.family == 6
        if families and ("inet6" if v6 else "inet") not in families:
            continue
        any_addr = ipaddress.ip_address("::" if v6 else "0.0.0.0")
        local = _addr_do_one(ctx, f, any_addr, sock.sport)
        remote = _addr_do_one(ctx, f, any_addr, 0)
        row = f"{'udp6' if v6 else 'udp':<4}  {0:6d} {0:6d} {local:<23} {remote:<23} {'':<11}"
        if f.extend > 1:
            user = "0" if f.numeric_users else "root"
            row += f" {user:<10} {0:<10d}"
        if f.programs:
            row += f" {'-':<20}"
        rows.append(row + "\n")
    return rows


# tcp_state[] of netstat.c
TCP_STATES = ("", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
              "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING")


def _tcp_rows(ctx: ToolContext, f: Flags, families: set) -> list[str]:
    """tcp_do_one() for each line of /proc/net/tcp and tcp6: listening sockets with
    -l or -a, the others unless -l. Addresses are printed as numbers (a connecting
    socket's have no names on a host without DNS), ports by /etc/services name
    unless -n."""
    table = ctx.netns.stack.__dict__.get("tcp")
    rows = []
    from ipemu.kernel.tcp import dump_order
    for sock in dump_order(table.socks if table is not None else ()):
        v6 = sock.family == 6
        if families and ("inet6" if v6 else "inet") not in families:
            continue
        state = int(sock.state)
        listening = state == 10
        if (listening and not (f.all or f.listening)) or (f.listening and not f.all
                                                          and not listening):
            continue
        from ipemu.kernel.tcp import shown_addr
        local = _addr_do_one(ctx, f, shown_addr(sock, sock.src), sock.sport)
        remote = _addr_do_one(ctx, f, shown_addr(sock, sock.dst), sock.dport)
        send_q = 1 if state == 2 else 0       # the SYN not yet acknowledged
        recv_q = sock.rx_queue()
        row = f"{'tcp6' if v6 else 'tcp':<4}  {recv_q:6d} {send_q:6d} {local:<23} " \
              f"{remote:<23} {TCP_STATES[state]:<11}"
        if f.extend > 1:
            # finish_this_one(): " %-10s " the owner's name (getpwuid(); the uid with
            # -n), then "%-10lu" the socket's inode (/proc/net/tcp's column)
            user = "0" if f.numeric_users else "root"
            # a TIME_WAIT socket is a timewait sock: get_timewait4_sock()'s inode is 0
            inode = 0 if state == 6 else sock.inode
            row += f" {user:<10} {inode:<10d}"
        if f.programs:
            # prg_cache_get(): PID/name of the program holding the socket's inode, `-`
            owner = sock.owner
            pid = getattr(owner, "pid", 0)
            prog = f"{pid}/{getattr(owner, 'comm', '-')}" if pid else "-"
            row += f" {prog:<20}"
        if f.timers:
            row += " " + _timers(ctx, sock)
        rows.append(row + "\n")
    return rows


def _raw_rows(ctx: ToolContext, f: Flags, families: set) -> list[str]:
    """raw_do_one() for each line of /proc/net/raw and raw6: a raw socket's "port" is
    its protocol (its /etc/protocols name unless -n), its state the number (7,
    TCP_CLOSE); no remote port, so it is listed as a server (-l, -a)."""
    from ipemu.tools.ss import RAW_PROTOCOL_NAMES
    rows = []
    if not (f.all or f.listening):
        return rows
    for sock in ctx.netns.stack.raw_sockets:
        v6 = sock.family == 6
        if families and ("inet6" if v6 else "inet") not in families:
            continue
        name = str(sock.protocol) if f.numeric_ports else \
            RAW_PROTOCOL_NAMES.get(sock.protocol, str(sock.protocol))
        local = _addr_do_one(ctx, f, sock.src, sock.protocol, name)
        remote = _addr_do_one(ctx, f, sock.dst, 0)
        row = f"{'raw6' if v6 else 'raw':<4}  {0:6d} {0:6d} {local:<23} {remote:<23} {7:<11}"
        if f.extend > 1:
            row += f" {'0' if f.numeric_users else 'root':<10} {0:<10d}"
        if f.programs:
            pid = getattr(sock.owner, "pid", 0)
            prog = f"{pid}/{getattr(sock.owner, 'comm', '-')}" if pid else "-"
            row += f" {prog:<20}"
        rows.append(row + "\n")
    return rows


# tcp_do_one()'s names for /proc/net/tcp's timer_run
_TIMER_NAMES = {1: "on", 2: "keepalive", 3: "timewait", 4: "probe"}


def _timers(ctx: ToolContext, sock) -> str:
    """-o: tcp_do_one()'s timers, `off (0.00/RETR/TIMEOUT)` without a timer, else its
    name and what is left of it in seconds (time_len / clk_tck, "%2.2f"); TIMEOUT is
    /proc/net/tcp's column after the uid (0 here)."""
    from ipemu.kernel.tcp import timer_state
    run, left = timer_state(sock, ctx.netns.clock.now)
    retr = sock.retransmits
    if run == 0:
        return f"off (0.00/{retr}/0)"
    name = _TIMER_NAMES.get(run, f"unkn-{run}")
    return f"{name} ({left / 100:2.2f}/{retr}/0)"


def _dns_miss(ctx: ToolContext, f: Flags, addr) -> None:
    """A name no file gives goes to DNS (resolver.unrouted_query()); INET_rresolve()
    keeps each IPv4 answer, the number itself after a failure, in INET_nn for the rest
    of the run, while INET6_rresolve() asks getnameinfo() every time (recorded: `netstat
    -g` with 224.0.0.1 on three devices and eight IPv6 groups: OutNoRoutes 18)."""
    from ipemu.tools.resolver import unrouted_query
    if addr.version == 4:
        if addr in f.inet_nn:
            return
        f.inet_nn.add(addr)
    unrouted_query(ctx)


def _sprint(ctx: ToolContext, f: Flags, addr) -> str:
    """lib/inet.c INET_sprint() (INET_rresolve() with the netmask 0xffffff00) and
    lib/inet6.c INET6_sprint(): numbers with -n; else 0.0.0.0 stays a number (a host
    mask: no getnetbyaddr()), `::` is `[::]`, and any other address is looked up
    (gethostbyaddr(), getnameinfo(): /etc/hosts names 127.0.0.1 `localhost`; a DNS
    query cannot leave a fresh namespace, so the others stay numbers)."""
    from ipemu.kernel.tcp import addr_text
    text = addr_text(addr)
    if f.numeric & R.FLAG_NUM_HOST:
        return text
    if addr.is_unspecified:
        return "0.0.0.0" if addr.version == 4 else "[::]"
    from ipemu.tools.resolver import getnameinfo
    lookup = addr.ipv4_mapped if addr.version == 6 and addr.ipv4_mapped else addr
    name = getnameinfo(ctx.session, lookup)
    if name is None:
        _dns_miss(ctx, f, lookup)
    return name or text


def _addr_do_one(ctx: ToolContext, f: Flags, addr, port: int, sport: str | None = None) -> str:
    """netstat.c addr_do_one(): ADDR:PORT; without -W a pair longer than 22 keeps
    the port (at most 18 of it) and cuts the address to what is left."""
    saddr, sport = _sprint(ctx, f, addr), sport or _port_name(port, f)
    short_len = 22
    if not f.wide and len(saddr) + len(sport) > short_len:
        port_len = min(len(sport), short_len - 4)
        return f"{saddr[:short_len - port_len]}:{sport[:port_len]}"
    return f"{saddr}:{sport}"


def _port_name(port: int, f: Flags) -> str:
    if port == 0:
        return "*"                        # get_sname(): the any port
    if not f.numeric_ports:
        from ipemu.tcpdump.names import TCP_SERVICES
        name = TCP_SERVICES.get(port)
        if name is not None:
            return name
    return str(port)


# the listings -c repeats (main()'s loops), by name so a process holds no function
_LISTINGS = {"route": _route_listing, "sockets": _socket_listing}
