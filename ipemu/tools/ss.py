"""iproute2 `ss` (misc/ss.c, 6.1): which socket tables, families and states a command
line selects, the header that follows from them, and the listing: the TCP sockets of
the namespace (kernel/tcp.py: connecting ones), the UDP sockets the kernel holds for
vxlan devices (kernel/vxlan.py udp_sockets()), no raw, unix or packet sockets ipemu
would list.

What is followed: main()'s options and `state`/`exclude` words, filter_db_set(),
filter_af_set(), filter_merge_defaults(), the Netid column shown only when more than
one table is selected and the State column only when more than one state is, and
the errors of the recording kernel (no dccp_diag module: a DCCP dump answers EINVAL).
Left out: the kernel's own netlink sockets that `-a`/`-l` list (their order follows a
hash, and one of them is ss's own, with its pid), and the filter expression beyond
its syntax (nothing is there to filter).
"""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.tools import getopts
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import _strtoul0, parse_prefix_1

# the socket tables (ss.c's *_DB enum, in its order)
(TCP_DB, MPTCP_DB, DCCP_DB, UDP_DB, RAW_DB, UNIX_DG_DB, UNIX_ST_DB, UNIX_SQ_DB,
 PACKET_DG_DB, PACKET_R_DB, NETLINK_DB, SCTP_DB, VSOCK_ST_DB, VSOCK_DG_DB, TIPC_DB,
 XDP_DB) = range(16)
# the socket states (SS_*), SS_ALL and SS_CONN
(SS_UNKNOWN, SS_ESTABLISHED, SS_SYN_SENT, SS_SYN_RECV, SS_FIN_WAIT1, SS_FIN_WAIT2,
 SS_TIME_WAIT, SS_CLOSE, SS_CLOSE_WAIT, SS_LAST_ACK, SS_LISTEN, SS_CLOSING) = range(12)
SS_ALL = (1 << 12) - 1
SS_CONN = SS_ALL & ~((1 << SS_LISTEN) | (1 << SS_CLOSE) | (1 << SS_TIME_WAIT) |
                     (1 << SS_SYN_RECV))
TIPC_SS_CONN = (1 << SS_ESTABLISHED) | (1 << SS_LISTEN) | (1 << SS_CLOSE)
# address families (linux/socket.h numbers: FAMILY_MASK(af) is 1 << af)
AF_UNSPEC, AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_TIPC, AF_VSOCK, AF_XDP = \
    0, 1, 2, 10, 16, 17, 30, 40, 44


def _mask(*dbs: int) -> int:
    out = 0
    for db in dbs:
        out |= 1 << db
    return out


PACKET_DBM = _mask(PACKET_DG_DB, PACKET_R_DB)
UNIX_DBM = _mask(UNIX_DG_DB, UNIX_ST_DB, UNIX_SQ_DB)
INET_DBM = _mask(TCP_DB, MPTCP_DB, UDP_DB, DCCP_DB, SCTP_DB, RAW_DB)
VSOCK_DBM = _mask(VSOCK_ST_DB, VSOCK_DG_DB)
_INET_FAMILIES = (1 << AF_INET) | (1 << AF_INET6)

# default_dbs[]: each table's default states and families
DEFAULT_DBS = {
    TCP_DB: (SS_CONN, _INET_FAMILIES), MPTCP_DB: (SS_CONN, _INET_FAMILIES),
    DCCP_DB: (SS_CONN, _INET_FAMILIES), UDP_DB: (1 << SS_ESTABLISHED, _INET_FAMILIES),
    RAW_DB: (1 << SS_ESTABLISHED, _INET_FAMILIES),
    UNIX_DG_DB: (1 << SS_CLOSE, 1 << AF_UNIX), UNIX_ST_DB: (SS_CONN, 1 << AF_UNIX),
    UNIX_SQ_DB: (SS_CONN, 1 << AF_UNIX),
    PACKET_DG_DB: (1 << SS_CLOSE, 1 << AF_PACKET), PACKET_R_DB: (1 << SS_CLOSE, 1 << AF_PACKET),
    NETLINK_DB: (1 << SS_CLOSE, 1 << AF_NETLINK), SCTP_DB: (SS_CONN, _INET_FAMILIES),
    VSOCK_ST_DB: (SS_CONN, 1 << AF_VSOCK), VSOCK_DG_DB: (SS_CONN, 1 << AF_VSOCK),
    TIPC_DB: (TIPC_SS_CONN, 1 << AF_TIPC), XDP_DB: (1 << SS_CLOSE, 1 << AF_XDP),
}
# default_afs[]: each family's tables and states
DEFAULT_AFS = {
    AF_INET: (INET_DBM, SS_CONN), AF_INET6: (INET_DBM, SS_CONN),
    AF_UNIX: (UNIX_DBM, SS_CONN), AF_PACKET: (PACKET_DBM, 1 << SS_CLOSE),
    AF_NETLINK: (_mask(NETLINK_DB), 1 << SS_CLOSE), AF_VSOCK: (VSOCK_DBM, SS_CONN),
    AF_TIPC: (_mask(TIPC_DB), TIPC_SS_CONN), AF_XDP: (_mask(XDP_DB), 1 << SS_CLOSE),
}
# filter_db_parse()'s db_name_tbl
DB_NAMES = {
    "all": (UDP_DB, DCCP_DB, TCP_DB, MPTCP_DB, RAW_DB, UNIX_ST_DB, UNIX_DG_DB, UNIX_SQ_DB,
            PACKET_R_DB, PACKET_DG_DB, NETLINK_DB, SCTP_DB, VSOCK_ST_DB, VSOCK_DG_DB, XDP_DB),
    "inet": (UDP_DB, DCCP_DB, TCP_DB, MPTCP_DB, SCTP_DB, RAW_DB),
    "udp": (UDP_DB,), "dccp": (DCCP_DB,), "tcp": (TCP_DB,), "mptcp": (MPTCP_DB,),
    "sctp": (SCTP_DB,), "raw": (RAW_DB,), "unix": (UNIX_ST_DB, UNIX_DG_DB, UNIX_SQ_DB),
    "unix_stream": (UNIX_ST_DB,), "u_str": (UNIX_ST_DB,), "unix_dgram": (UNIX_DG_DB,),
    "u_dgr": (UNIX_DG_DB,), "unix_seqpacket": (UNIX_SQ_DB,), "u_seq": (UNIX_SQ_DB,),
    "packet": (PACKET_R_DB, PACKET_DG_DB), "packet_raw": (PACKET_R_DB,),
    "p_raw": (PACKET_R_DB,), "packet_dgram": (PACKET_DG_DB,), "p_dgr": (PACKET_DG_DB,),
    "netlink": (NETLINK_DB,), "tipc": (TIPC_DB,), "vsock": (VSOCK_ST_DB, VSOCK_DG_DB),
    "vsock_stream": (VSOCK_ST_DB,), "v_str": (VSOCK_ST_DB,),
    "vsock_dgram": (VSOCK_DG_DB,), "v_dgr": (VSOCK_DG_DB,), "xdp": (XDP_DB,),
}
FAMILIES = {"inet": AF_INET, "inet6": AF_INET6, "link": AF_PACKET, "unix": AF_UNIX,
            "netlink": AF_NETLINK, "tipc": AF_TIPC, "vsock": AF_VSOCK, "xdp": AF_XDP}
# scan_state()'s names (strcasecmp)
STATE_NAMES = {
    "close": 1 << SS_CLOSE, "closed": 1 << SS_CLOSE, "syn-rcv": 1 << SS_SYN_RECV,
    "established": 1 << SS_ESTABLISHED, "all": SS_ALL,
    "connected": SS_ALL & ~((1 << SS_CLOSE) | (1 << SS_LISTEN)),
    "synchronized": SS_ALL & ~((1 << SS_CLOSE) | (1 << SS_LISTEN) | (1 << SS_SYN_SENT)),
    "bucket": (1 << SS_SYN_RECV) | (1 << SS_TIME_WAIT),
    "big": SS_ALL & ~((1 << SS_SYN_RECV) | (1 << SS_TIME_WAIT)),
    "unknown": 1 << SS_UNKNOWN, "syn-sent": 1 << SS_SYN_SENT, "syn-recv": 1 << SS_SYN_RECV,
    "fin-wait-1": 1 << SS_FIN_WAIT1, "fin-wait-2": 1 << SS_FIN_WAIT2,
    "time-wait": 1 << SS_TIME_WAIT, "unconnected": 1 << SS_CLOSE,
    "close-wait": 1 << SS_CLOSE_WAIT, "last-ack": 1 << SS_LAST_ACK,
    "listening": 1 << SS_LISTEN, "closing": 1 << SS_CLOSING,
}
SHORTOPTS = "dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO"
LONGOPTS = ["numeric", "resolve", "options", "extended", "memory", "info", "processes",
            "threads", "bpf", "events", "dccp", "tcp", "sctp", "udp", "raw", "unix", "tipc",
            "vsock", "all", "listening", "ipv4", "ipv6", "packet", "family=", "socket=",
            "query=", "summary", "diag=", "filter=", "version", "help", "context",
            "contexts", "net=", "tipcinfo", "tos", "cgroup", "kill", "no-header", "xdp",
            "mptcp", "oneline", "inet-sockopt"]
LONG_TO_SHORT = {"numeric": "n", "resolve": "r", "options": "o", "extended": "e",
                 "memory": "m", "info": "i", "processes": "p", "threads": "T", "bpf": "b",
                 "events": "E", "dccp": "d", "tcp": "t", "sctp": "S", "udp": "u",
                 "raw": "w", "unix": "x", "all": "a", "listening": "l", "ipv4": "4",
                 "ipv6": "6", "packet": "0", "family": "f", "socket": "A", "query": "A",
                 "summary": "s", "diag": "D", "filter": "F", "version": "V", "help": "h",
                 "context": "Z", "contexts": "z", "net": "N", "kill": "K", "no-header": "H",
                 "mptcp": "M", "oneline": "O"}
HEADER = ["Netid", "State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port"]
# TCP sockets the recording host holds outside the case's namespaces (sockstat's
# `alloc` counts the whole host's)
HOST_TCP_SOCKETS = 1


def _estab(ctx: ToolContext) -> int:
    """The snmp's CurrEstab: sockets in ESTABLISHED or CLOSE-WAIT."""
    from ipemu.kernel.tcp import tcp_of
    return sum(1 for sock in tcp_of(ctx.netns.stack).socks if int(sock.state) in (1, 8))


def summary_text(ctx: ToolContext) -> str:
    """print_summary(): `TCP: N` is /proc/net/sockstat's alloc (tcp_sockets_allocated,
    one count for the whole host), `closed` that less this namespace's hashed ones
    (inuse); the table's TCP row is inuse by family (a connect in SYN-SENT counts)."""
    from ipemu.kernel.tcp import tcp_of
    alloc = HOST_TCP_SOCKETS + sum(len(tcp_of(ns.stack).socks)
                                   for ns in ctx.host.namespaces.values())
    socks = tcp_of(ctx.netns.stack).socks
    # sockstat's inuse counts TIME-WAIT sockets too; ss takes them (tw) off the IPv4
    # column and out of the hashed ones that are not closed
    tws = sum(1 for sock in socks if int(sock.state) == 6)
    tcp6 = sum(1 for sock in socks if sock.family == 6)
    tcp4 = len(socks) - tcp6 - tws
    udp = udp_socks(ctx)
    udp6 = sum(1 for sock in udp if sock.family == 6)
    udp4 = len(udp) - udp6
    raws = ctx.netns.stack.raw_sockets
    raw6 = sum(1 for sock in raws if sock.family == 6)
    raw4 = len(raws) - raw6
    rows = {"RAW": (raw4, raw6), "UDP": (udp4, udp6), "TCP": (tcp4, tcp6),
            "INET": (tcp4 + udp4 + raw4, tcp6 + udp6 + raw6)}
    table = "".join(f"{name}\t  {sum(rows.get(name, (0, 0))):<9} "
                    f"{rows.get(name, (0, 0))[0]:<9} {rows.get(name, (0, 0))[1]:<9}\n"
                    for name in ("RAW", "UDP", "TCP", "INET", "FRAG"))
    return ("Total: 1\n"
            f"TCP:   {alloc} (estab {_estab(ctx)}, closed {alloc - (len(socks) - tws)}, "
            f"orphaned 0, timewait {tws})\n\n"
            "Transport Total     IP        IPv6\n" + table + "\n")
# the filter language's words (ssfilter.y)
FILTER_KEYWORDS = {"src", "dst", "sport", "dport", "dev", "fwmark", "cgroup", "autobound",
                   "and", "or", "not", "&", "&&", "|", "||", "!", "(", ")"}
FILTER_OPS = {"=", "==", "eq", "!=", "ne", "neq", ">=", "ge", "geq", "<=", "le", "leq",
              ">", "gt", "<", "lt"}
BISON = 'ss: bison bellows (while parsing filter): "syntax error!" Sorry.\n'


class Filter:
    """ss.c's current_filter: the selected tables, states and families."""

    def __init__(self) -> None:
        self.dbs = 0
        self.states = 0
        self.families = 0
        self.do_default = True
        self.preferred_family = AF_UNSPEC   # the last family selected (filter_af_set())
        self.procs = False                  # -p: show_users
        self.resolve_hosts = False          # -r: format_host() names addresses
        self.details = False                # -e: show_details
        self.memory = False                 # -m: show_mem
        self.oneline = False                # -O: oneline
        self.kill = False                   # -K: kill (SOCK_DESTROY each one shown)
        self.info = False                   # -i: show_tcpinfo

    def db_set(self, db: int, enable: bool = True) -> None:
        """filter_db_set()."""
        if enable:
            self.states |= DEFAULT_DBS[db][0]
            self.dbs |= 1 << db
        else:
            self.dbs &= ~(1 << db)
        self.do_default = False

    def af_set(self, af: int) -> None:
        """filter_af_set()."""
        self.states |= DEFAULT_AFS[af][1]
        self.families |= 1 << af
        self.do_default = False
        self.preferred_family = af

    def db_parse(self, name: str) -> bool:
        """filter_db_parse(): a table name (`!NAME` takes it away)."""
        enable = not name.startswith("!")
        dbs = DB_NAMES.get(name[1:] if not enable else name)
        if dbs is None:
            return False
        for db in dbs:
            self.db_set(db, enable)
        return True

    def merge_defaults(self) -> None:
        """filter_merge_defaults(): each table brings its families, each family its
        tables."""
        for db, (_, families) in DEFAULT_DBS.items():
            if self.dbs & (1 << db) and not families & self.families:
                self.families |= families
        for af, (dbs, _) in DEFAULT_AFS.items():
            if self.families & (1 << af) and not dbs & self.dbs:
                self.dbs |= dbs


def _usage(ctx: ToolContext) -> CommandError:
    return CommandError(ctx.profile.usage("ss"), 255)


def main(ctx: ToolContext, argv: list[str]) -> int:
    try:
        pairs, rest = getopts.parse("ss", argv[1:], SHORTOPTS, LONGOPTS)
    except getopts.OptionError as err:
        raise CommandError(err.message + "\n" + ctx.profile.usage("ss"), 255)
    f = Filter()
    file_words: list[str] = []
    state_filter = 0
    saw_query = summary = events = False
    header = True
    numeric = False
    for flag, value in pairs:
        # a long option without a letter (--tos, --cgroup, --inet-sockopt...) is none
        ch = LONG_TO_SHORT.get(flag[2:], "-") if flag.startswith("--") else flag[1]
        if flag in ("--tipc", "--vsock", "--xdp"):
            f.af_set({"--tipc": AF_TIPC, "--vsock": AF_VSOCK, "--xdp": AF_XDP}[flag])
        elif ch in "dtSuwM":
            f.db_set({"d": DCCP_DB, "t": TCP_DB, "S": SCTP_DB, "u": UDP_DB, "w": RAW_DB,
                      "M": MPTCP_DB}[ch])
        elif ch in "x460":
            f.af_set({"x": AF_UNIX, "4": AF_INET, "6": AF_INET6, "0": AF_PACKET}[ch])
        elif ch == "a":
            state_filter = SS_ALL
        elif ch == "l":
            state_filter = (1 << SS_LISTEN) | (1 << SS_CLOSE)
        elif ch == "f":
            if value == "help":
                ctx.term.out(ctx.profile.usage("ss"))
                return 0
            if value not in FAMILIES:
                raise CommandError(f'ss: "{value}" is invalid family\n'
                                   + ctx.profile.usage("ss"), 255)
            f.af_set(FAMILIES[value])
        elif ch == "A":
            if not saw_query:
                f.dbs = 0
                state_filter = state_filter or SS_CONN
                saw_query = True
                f.do_default = False
            for name in value.split(","):
                if not f.db_parse(name):
                    raise CommandError(f'ss: "{name}" is illegal socket table id\n'
                                       + ctx.profile.usage("ss"), 255)
        elif ch == "s":
            summary = True
        elif ch == "F" and value != "-":
            try:
                data = ctx.session.fs.read(ctx.session.fs.resolve(value, ctx.session.cwd))
            except OSError:
                raise CommandError("fopen filter file: No such file or directory\n", 255)
            file_words = _filter_file_words(data)
        elif ch in "vV":
            ctx.term.out(f"ss utility, {ctx.profile['ss_version']}\n")
            return 0
        elif ch in "zZ":
            raise CommandError("ss: SELinux is not enabled.\n", 1)
        elif ch == "N":
            # ss.c main(): netns_switch(optarg), exit(1) when it fails
            from ipemu.tools.netns_links import netns_switch
            ctx.netns = netns_switch(ctx, value, 1)
        elif ch == "H":
            header = False
        elif ch == "n":
            numeric = True
        elif ch == "r":
            f.resolve_hosts = True
        elif ch == "e":
            f.details = True
        elif ch == "p":
            f.procs = True
        elif ch == "m":
            f.memory = True
        elif ch == "O":
            f.oneline = True
        elif ch == "K":
            f.kill = True
        elif ch == "i":
            f.info = True
        elif ch == "E":
            events = True
        elif ch == "h":
            ctx.term.out(ctx.profile.usage("ss"))
            return 0
    if summary:
        ctx.term.out(summary_text(ctx))
        if f.do_default and not rest:
            return 0
    saw_states = False
    while rest and rest[0] in ("state", "exclude", "excl"):
        word = rest.pop(0)
        if not rest:
            raise CommandError('Command line is not complete. Try option "help"\n', 255)
        name = rest.pop(0)
        states = STATE_NAMES.get(name.lower())
        if states is None:
            raise CommandError(f"ss: wrong state name: {name}\n", 255)
        if word == "state":
            state_filter = (state_filter if saw_states else 0) | states
        else:
            state_filter = (state_filter if saw_states else SS_ALL) & ~states
        saw_states = True
    if f.do_default:
        state_filter = state_filter or SS_CONN
        f.db_parse("all")
    if state_filter:
        f.states = state_filter          # filter_states_set()
    f.merge_defaults()
    for what, value in (("socket tables", f.dbs), ("families", f.families),
                        ("socket states", f.states)):
        if not value:
            ctx.term.err(f"ss: no {what} to show with such filter.\n")
            return 0
    # ssfilter_parse(.., argc, argv, filter_fp): the words left, then the file's lines
    rest = rest + file_words
    family = _check_expression(ctx, rest, f.preferred_family)
    if family != AF_UNSPEC:
        # parse_hostcond()'s end: a condition of one family leaves only that family
        # (its states kept: filter_states_set())
        states = f.states
        f.families = 0
        f.af_set(family)
        f.states = states or f.states
    if events:
        from ipemu.process import Sleep
        return Sleep(ctx.host, ctx.term, float("inf"))   # -E: waits for sockets to close
    if f.dbs & (1 << DCCP_DB) and f.families & ((1 << AF_INET) | (1 << AF_INET6)):
        # dccp_show(): the recording kernel has no dccp_diag, the dump answers EINVAL
        ctx.term.err("RTNETLINK answers: Invalid argument\n")
    tree = _filter_tree(rest)
    # main(): raw_show(), then udp_show(), then tcp_show()
    rows = _raw_rows(ctx, f, numeric, tree) if f.dbs & (1 << RAW_DB) else []
    if f.dbs & (1 << UDP_DB):
        rows += _udp_rows(ctx, f, numeric, tree)
    if f.dbs & (1 << TCP_DB):
        rows += _tcp_rows(ctx, f, numeric, tree)
    ctx.term.out(render(rows, header, show_state=bool(f.states & (f.states - 1)),
                        show_netid=bool(f.dbs & (f.dbs - 1)), screen=screen_width(ctx)))
    return 0


# ss.c's columns: title, alignment (right: True), left delimiter
COLUMNS = (("Netid", False, ""), ("State", False, " "), ("Recv-Q", False, " "),
           ("Send-Q", False, " "), ("Local Address:", True, " "), ("Port", False, ""),
           ("Peer Address:", True, " "), ("Port", False, ""), ("Process", False, ""))
# sstate_name[]: the TCP states as ss names them
SSTATE_NAMES = {SS_ESTABLISHED: "ESTAB", SS_SYN_SENT: "SYN-SENT", SS_SYN_RECV: "SYN-RECV",
                SS_FIN_WAIT1: "FIN-WAIT-1", SS_FIN_WAIT2: "FIN-WAIT-2",
                SS_TIME_WAIT: "TIME-WAIT", SS_CLOSE: "UNCONN", SS_CLOSE_WAIT: "CLOSE-WAIT",
                SS_LAST_ACK: "LAST-ACK", SS_LISTEN: "LISTEN", SS_CLOSING: "CLOSING"}


def screen_width(ctx: ToolContext) -> int:
    """render_screen_width(): the terminal's columns when stdout is one and its
    window size is set, else -1 (compact output)."""
    session = ctx.session
    if session is None or not getattr(session, "stdout_tty", False):
        return -1
    return getattr(session, "winsize", 0) or -1


def render(rows: list[list[str]], header: bool, show_state: bool, show_netid: bool,
           screen: int = -1) -> str:
    """render_calc_width() and render(): each column as wide as its widest cell,
    title included, plus its left delimiter (not for the first column shown); on a
    terminal of `screen` columns the room left on each screen line is spread over
    its columns; cells aligned within them (right for the addresses)."""
    shown = [i for i in range(len(COLUMNS))
             if (i != 0 or show_netid) and (i != 1 or show_state)]
    lines = ([[COLUMNS[i][0] for i in shown]] if header else []) + \
        [[row[i] for i in shown] for row in rows]
    widths = []
    first = True
    for n, i in enumerate(shown):
        # the last column's text (users:, -e's details, -m's skmem) is measured when
        # field_flush() runs as the next socket starts: the last socket's never is
        # (print_header() flushes the title)
        measured = (lines[:1] + lines[1:-1] if header else lines[:-1]) \
            if i == len(COLUMNS) - 1 else lines
        longest = max((len(line[n]) for line in measured), default=0)
        width = longest + len(COLUMNS[i][2]) if not first and longest else longest
        widths.append(width if screen < 0 else min(width, screen))
        first = first and not width
    if screen > 0:
        _spread(widths, screen)
    out = []
    for line in lines:
        cells = []
        for n, i in enumerate(shown):
            _, right, delim = COLUMNS[i]
            delim = delim if n else ""
            printed = len(delim)
            text = line[n]
            pad_left = widths[n] - len(text) - printed if widths[n] and right else 0
            printed += max(pad_left, 0) + len(text)
            pad_right = widths[n] - printed if widths[n] and not right else 0
            cells.append(delim + " " * max(pad_left, 0) + text + " " * max(pad_right, 0))
        out.append("".join(cells) + "\n")
    return "".join(out)


def _spread(widths: list[int], screen: int) -> None:
    """render_calc_width()'s second pass: break the columns into screen lines and
    give each line's spare room to its columns, one more to the rightmost ones."""
    eol = -1
    length = linecols = 0
    c = 0
    while c < len(widths):
        if not widths[c]:
            c += 1
            continue
        linecols += 1
        length += widths[c]
        last = not any(widths[c + 1:])
        if not last and length < screen:
            c += 1
            continue
        if length != screen:
            if length > screen:
                length -= widths[c]
                c -= 1
                linecols -= 1
            pad = screen - length
            spacing, rem = (pad // linecols, pad % linecols) if linecols else (0, 0)
            for tmp in range(c, eol, -1):
                if not widths[tmp]:
                    continue
                widths[tmp] += spacing
                if rem:
                    widths[tmp] += 1
                    rem -= 1
        eol = c
        length = linecols = 0
        c += 1


def _shown(sock, addr, ctx: ToolContext | None = None) -> str:
    """inet_addr_print(): `*` for an IPv6 socket's any address unless it is IPv6-only
    (INET_DIAG_SKV6ONLY), brackets around other IPv6 ones (a v4-mapped peer among
    them). With -r (a ctx given) format_host() asks resolve_address() (gethostbyaddr():
    /etc/hosts names 127.0.0.1 `localhost`; a DNS query cannot leave a fresh namespace,
    so the others, 0.0.0.0 among them, stay numbers); a name has no brackets."""
    from ipemu.kernel.tcp import addr_text, shown_addr
    addr = shown_addr(sock, addr)
    if ctx is not None and not (addr.version == 6 and addr.is_unspecified and not sock.v6only):
        from ipemu.tools.resolver import getnameinfo
        name = getnameinfo(ctx.session, addr)
        if name is not None:
            return f"[{name}]" if ":" in name else name
    if addr.version == 4:
        return str(addr)
    return "*" if addr.is_unspecified and not sock.v6only else f"[{addr_text(addr)}]"


def _users(ctx: ToolContext, sock) -> str:
    """-p: user_ent_hash's `users:(("NAME",pid=N,fd=N))` of the program that owns it."""
    owner = sock.owner
    pid = getattr(owner, "pid", 0)
    if not pid:
        return ""
    fd = sock.fd or getattr(owner, "fd", 3)
    return f' users:(("{getattr(owner, "comm", "?")}",pid={pid},fd={fd}))'


def _service(port: int, numeric: bool) -> str:
    """resolve_service(): `*` for port 0, else the /etc/services tcp name unless -n."""
    if port == 0:
        return "*"
    if not numeric:
        from ipemu.tcpdump.names import TCP_SERVICES
        name = TCP_SERVICES.get(port)
        if name is not None:
            return name
    return str(port)


def _tcp_rows(ctx: ToolContext, f: Filter, numeric: bool, tree=None) -> list[list[str]]:
    """tcp_show(): the namespace's TCP sockets in the selected states and families,
    and the filter expression's (run_ssfilter()) when it is one ipemu can decide."""
    table = ctx.netns.stack.__dict__.get("tcp")
    rows = []
    from ipemu.kernel.tcp import dump_order
    for sock in dump_order(table.socks if table is not None else ()):
        state = int(sock.state)
        family = AF_INET if sock.family == 4 else AF_INET6
        if not f.states & (1 << state) or not f.families & (1 << family):
            continue
        # the kernel runs the expression's bytecode (inet_diag_bc_run()), then ss runs
        # it again on what came back (run_ssfilter()): both must keep the socket
        if tree is not None and not (_run_ssfilter(tree, sock, True) and
                                     _run_ssfilter(tree, sock, False)):
            continue
        if f.kill and sock not in table.socks:
            # show_one_inet_sock(): kill_inet_sock() failing with ENOENT (a socket the
            # dump had that an earlier kill's reset closed) is skipped silently
            continue
        names = ctx if f.resolve_hosts else None
        src, dst = _shown(sock, sock.src, names), _shown(sock, sock.dst, names)
        if getattr(sock, "device", None) is not None:
            # inet_addr_print(): a socket bound to a device (idiag_if: the scope a
            # link-local connect() took, SO_BINDTODEVICE) shows it after its local
            # address (recorded: tutorials39_djoproject_wget_ss_lla, `[fe80::..]%eth0`)
            src += f"%{sock.device.name}"
        # tcp_diag: the SYN in the write queue (write_seq - snd_una) while it connects;
        # a listener's queues are its accept queue and its backlog
        send_q = 1 if state == SS_SYN_SENT else 0
        recv_q = sock.rx_queue()
        if state == 10:
            recv_q, send_q = len(sock.accept_queue), sock.backlog
        # tcp_show_sock(): the queues as "%-6d"
        rows.append(["tcp", SSTATE_NAMES.get(state, "UNKNOWN"), f"{recv_q:<6}",
                     f"{send_q:<6}", src + ":", _service(sock.sport, numeric), dst + ":",
                     _service(sock.dport, numeric),
                     (_users(ctx, sock) if f.procs else "") +
                     (_details(ctx, sock, state) if f.details else "") +
                     (("" if f.oneline else "\n\t") + _skmem(sock, state)
                      if f.memory else "") +
                     (("" if f.oneline or f.memory else "\n\t") + _tcp_info(ctx, sock)
                      if f.info and state == SS_LISTEN else "")])
        if f.kill:
            # show_one_inet_sock(): SOCK_DESTROY (tcp_diag_destroy() -> tcp_abort())
            # before the socket is printed as the dump had it
            sock.diag_destroy()
    return rows


def _tcp_info(ctx: ToolContext, sock) -> str:
    """tcp_show_info() of a listener: INET_DIAG_CONG's " %s" (the namespace's
    tcp_congestion_control the socket took, tcp_assign_congestion_control()), then of
    its tcp_info only snd_cwnd (TCP_INIT_CWND: no wscale, rto, rtt or ssthresh, which
    is TCP_INFINITE_SSTHRESH). Recorded: `ss -tlni` gives "\t bbr cwnd:10"."""
    from ipemu.kernel.tcp import sysctl
    ns = getattr(sock.stack, "ns", None) or ctx.netns
    return f" {sock.congestion or sysctl(ns, 'net.ipv4.tcp_congestion_control')} cwnd:10"


# sysctl tcp_rmem[1] and tcp_wmem[1]: the buffers a socket starts with (sk_rcvbuf,
# sk_sndbuf), tcp_wmem[2] the most tcp_sndbuf_expand() gives
TCP_RMEM_DEFAULT, TCP_WMEM_DEFAULT, TCP_WMEM_MAX = 131072, 16384, 4194304


def _sndbuf(sock, state: int) -> int:
    """sk_sndbuf: tcp_wmem[1] until tcp_init_buffer_space() runs tcp_sndbuf_expand()
    as the connection is established: a power of two over the peer's MSS and the
    headers (roundup_pow_of_two()) plus an sk_buff, for 30 segments here (recorded on
    this kernel: tb69120 over a veth of MTU 1500, tb499200 at MTU 9000, tb3939840 on
    lo; tutorials44d_ss_memory_listeners)."""
    if state in (SS_LISTEN, SS_SYN_SENT, SS_SYN_RECV, SS_CLOSE):
        return TCP_WMEM_DEFAULT
    mss = max(getattr(sock, "peer_mss", 536), 64)
    per_mss = (1 << (mss + 320 - 1).bit_length()) + 256
    return max(TCP_WMEM_DEFAULT, min(30 * per_mss, TCP_WMEM_MAX))


def _skmem(sock, state: int) -> str:
    """-m: print_skmeminfo()'s INET_DIAG_SKMEMINFO (rmem_alloc, rcvbuf, wmem_alloc,
    sndbuf, fwd_alloc, wmem_queued, optmem, backlog, drops) of an idle socket; a
    timewait sock has none (the line is then only its newline and tab)."""
    if state == SS_TIME_WAIT or state == SS_FIN_WAIT2 and sock.owner is None:
        return ""
    return (f" skmem:(r0,rb{TCP_RMEM_DEFAULT},t0,tb{_sndbuf(sock, state)},"
            "f0,w0,o0,bl0,d0)")


# /etc/protocols' names of the protocols a raw socket's "port" holds (ss and netstat
# name them so without -n: recorded `0.0.0.0:icmp`, `*:ipv6-icmp`)
RAW_PROTOCOL_NAMES = {1: "icmp", 2: "igmp", 6: "tcp", 17: "udp", 58: "ipv6-icmp",
                      255: "255"}


def _unconnected(f: Filter, tree, socks) -> list:
    """The unconnected sockets (UNCONN: TCP_CLOSE) raw_show() and udp_show() list: in
    the selected states and families, kept by the filter expression as tcp_show()'s
    are (the kernel's bytecode, then ss's own run)."""
    if not f.states & (1 << SS_CLOSE):
        return []
    return [sock for sock in socks
            if f.families & (1 << (AF_INET if sock.family == 4 else AF_INET6)) and
            (tree is None or (_run_ssfilter(tree, sock, True) and
                              _run_ssfilter(tree, sock, False)))]


def _raw_rows(ctx: ToolContext, f: Filter, numeric: bool, tree=None) -> list[list[str]]:
    """raw_show(): the namespace's raw sockets (stack.raw_sockets), UNCONN, their
    protocol as the local port, nothing queued."""
    rows = []
    for sock in _unconnected(f, tree, ctx.netns.stack.raw_sockets):
        any_addr = "0.0.0.0" if sock.family == 4 else "*"
        port = str(sock.protocol) if numeric else \
            RAW_PROTOCOL_NAMES.get(sock.protocol, str(sock.protocol))
        rows.append(["raw", "UNCONN", f"{0:<6}", f"{0:<6}", any_addr + ":", port,
                     any_addr + ":", "*",
                     (_users(ctx, sock) if f.procs else "")])
    return rows


class KernelUdpSock:
    """A UDP socket the kernel holds (a vxlan device's: kernel/vxlan.py udp_sockets()),
    as the filter and the printers read a socket: bound to the any address and the
    port, unconnected, no owner."""

    __slots__ = ("family", "sport", "src", "dst", "stack")
    dport = 0
    device = None
    bindport_lock = True
    v6only = True
    owner = None

    def __init__(self, stack, family: int, port: int):
        import ipaddress
        self.stack, self.family, self.sport = stack, family, port
        self.src = self.dst = ipaddress.ip_address("0.0.0.0" if family == 4 else "::")


def udp_socks(ctx: ToolContext) -> list[KernelUdpSock]:
    """The namespace's UDP sockets: IPv4 ones, then IPv6 (ss and netstat dump each
    family apart)."""
    from ipemu.kernel.vxlan import udp_sockets
    found = udp_sockets(ctx.netns)
    stack = ctx.netns.stack
    return [KernelUdpSock(stack, family, port) for want in (4, 6)
            for family, port in found if family == want]


def _udp_rows(ctx: ToolContext, f: Filter, numeric: bool, tree=None) -> list[list[str]]:
    """udp_show(): the unconnected sockets (UNCONN: TCP_CLOSE) in the selected
    families, filtered as tcp_show()'s are."""
    rows = []
    for sock in _unconnected(f, tree, udp_socks(ctx)):
        any_addr = "0.0.0.0" if sock.family == 4 else "[::]"
        details = ""
        if f.details:
            # no owner: ino 0 would be a kernel socket's, but its file has one
            # (sock_create_kern() gives it an inode); not matchable, as any ino
            ctx.term.err("Failed to open cgroup2 mount\n")
            details = " ino:0 sk:0 cgroup:unreachable:1" + \
                (" v6only:1" if sock.family == 6 else "") + " <->"
        rows.append(["udp", "UNCONN", f"{0:<6}", f"{0:<6}", any_addr + ":",
                     _service(sock.sport, numeric), any_addr + ":", "*", details])
    return rows


def print_ms_timer(timeout: int) -> str:
    """ss.c print_ms_timer(): minutes, then seconds (`sec`, or `.` before the
    milliseconds), then `%03dms`; milliseconds dropped past a minute or 9 seconds."""
    secs, msecs = timeout // 1000, timeout % 1000
    minutes, secs = secs // 60, secs % 60
    text = ""
    if minutes:
        msecs = 0
        text = f"{minutes}min"
        if minutes > 9:
            secs = 0
    if secs:
        if secs > 9:
            msecs = 0
        text += f"{secs}{'.' if msecs else 'sec'}"
    if msecs:
        text += f"{msecs:03d}ms"
    return text


# sk_shutdown's bits: RCV_SHUTDOWN (the peer's FIN came), SEND_SHUTDOWN (ours left or
# close() was called: tcp_close() sets SHUTDOWN_MASK)
_SEND_SHUT_STATES = frozenset((SS_FIN_WAIT1, SS_FIN_WAIT2, SS_CLOSING, SS_LAST_ACK))


def _details(ctx: ToolContext, sock, state: int) -> str:
    """-e: inet_show_sock()'s details. sock_details_print(): uid (root's 0 left out),
    ino, sk (the socket's cookie), cgroup: cg_id_to_path() of the socket's cgroup (the
    root one, id 1) finds no cgroup2 mount in the recorder's mount namespace (its /sys
    is the namespace's sysfs) and says so on stderr for each socket, the path then
    `unreachable:1`; then v6only (INET_DIAG_SKV6ONLY, AF_INET6) and the shutdown state
    (INET_DIAG_SHUTDOWN) as `<->`, `<-` etc. A TIME-WAIT socket is a timewait sock
    (inet_twsk_diag_fill()): inode 0 and none of the attributes (recorded:
    tutorials39d_minix_ss8_resolve_oneline)."""
    cookie = f"{sock.kptr & 0xFFFF:x}"
    if state == SS_TIME_WAIT or state == SS_FIN_WAIT2 and sock.owner is None:
        # a timewait sock (an orphan's FIN_WAIT2 is one too: tcp_time_wait()); -e
        # sets show_options, so its timer comes first (tcp_timer_print())
        timer = ""
        if state == SS_TIME_WAIT and sock.timer is not None:
            left = max(int((sock.timer_when - ctx.netns.clock.now) * 1000), 0)
            timer = f" timer:(timewait,{print_ms_timer(left)},0)"
        return f"{timer} ino:0 sk:{cookie}"
    ctx.term.err("Failed to open cgroup2 mount\n")
    text = f" ino:{sock.inode} sk:{cookie} cgroup:unreachable:1"
    if sock.family == 6:
        text += f" v6only:{int(bool(sock.v6only))}"
    rcv = 1 if sock.fin_rcvd else 0
    snd = 2 if state in _SEND_SHUT_STATES else 0
    mask = rcv | snd
    return text + f" {'-' if mask & 1 else '<'}-{'-' if mask & 2 else '>'}"


class _Undecided(Exception):
    """A condition ipemu cannot evaluate (a host or service name, dev, fwmark, cgroup,
    autobound): the expression then selects every socket, as before."""


_LEX = {"!": "!", "not": "!", "&": "&", "&&": "&", "and": "&", "|": "|", "||": "|",
        "or": "|", "(": "(", ")": ")", ">=": "GEQ", "ge": "GEQ", "geq": "GEQ",
        "<=": "LEQ", "le": "LEQ", "leq": "LEQ", "!=": "NEQ", "ne": "NEQ", "neq": "NEQ",
        "=": "=", "==": "=", "eq": "=", ">": ">", "gt": ">", "<": "<", "lt": "<"}


def _filter_tree(words: list[str]):
    """ssfilter.y's tree of the expression (None when there is none or ipemu cannot
    decide it): '|' and '&' (or mere juxtaposition) of equal precedence, left to right."""
    tokens = _filter_words(words)
    if not tokens:
        return None
    try:
        tree, end = _exprlist(tokens, 0)
    except (_Undecided, IndexError):
        return None
    return tree if end == len(tokens) else None


def _exprlist(tokens: list[str], i: int):
    node, i = _expr(tokens, i)
    while i < len(tokens) and tokens[i] != ")":
        op = _LEX.get(tokens[i])
        if op in ("|", "&"):
            i += 1
        rhs, i = _expr(tokens, i)
        node = ("or" if op == "|" else "and", node, rhs)
    return node, i


def _expr(tokens: list[str], i: int):
    tok = tokens[i]
    kind = _LEX.get(tok)
    if kind == "(":
        node, i = _exprlist(tokens, i + 1)
        if tokens[i] != ")":
            raise _Undecided
        return node, i + 1
    if kind == "!":
        node, i = _expr(tokens, i + 1)
        return ("not", node), i
    if tok == "autobound":
        return ("autobound",), i + 1
    if tok == "dev":
        i += 1
        op = _LEX.get(tokens[i], "")
        if op in ("=", "NEQ"):
            i += 1
        elif op:
            raise _Undecided
        node = ("dev", tokens[i])
        return (("not", node) if op == "NEQ" else node), i + 1
    if tok not in ("dst", "src", "dport", "sport"):
        raise _Undecided            # fwmark, cgroup
    i += 1
    op = _LEX.get(tokens[i], "")
    if op in ("=", "NEQ", "GEQ", "LEQ", ">", "<"):
        i += 1
    elif op:
        raise _Undecided
    host, port = _hostcond(tokens[i], tok in ("dport", "sport"))
    local = tok in ("src", "sport")
    if tok in ("dst", "src"):
        if op not in ("", "="):
            raise _Undecided
        return ("cond", local, host, port), i + 1
    # DPORT/SPORT: GEQ, LEQ; '>' is not LEQ, '<' not GEQ; eq a condition; NEQ its not
    if op in ("GEQ", "LEQ", ">", "<"):
        node = ("ge" if op in ("GEQ", "<") else "le", local, port)
        return (("not", node) if op in (">", "<") else node), i + 1
    node = ("cond", local, host, port)
    return (("not", node) if op == "NEQ" else node), i + 1


def _split_hostcond(text: str) -> tuple[str, str]:
    """parse_hostcond()'s split: `[V6]:PORT`, `*PORT`, else at the last ':' after
    any '/' (so an unbracketed IPv6 address loses its last group to the port)."""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, rest
    if text.startswith("*"):
        return "", text[1:]
    slash = text.find("/")
    colon = text.rfind(":", max(slash, 0))
    return (text, "") if colon < 0 else (text[:colon], text[colon:])


def _hostcond(text: str, is_port: bool = False):
    """parse_hostcond() for inet: the prefix (None: any) and the port (-1: any); for
    dport/sport the whole word is the port."""
    host, port = ("", text) if is_port else _split_hostcond(text)
    port = port[1:] if port.startswith(":") else port
    number = -1
    if port not in ("", "*"):
        if port.isdigit():
            number = int(port)
        else:
            # getservbyname(port, "tcp")
            from ipemu.tcpdump.names import TCP_SERVICES
            number = next((n for n, name in TCP_SERVICES.items() if name == port), -1)
            if number < 0:
                raise _Undecided
    if host in ("", "*"):
        return None, number
    for version in (4, 6):
        pfx = parse_prefix_1(host, version)
        if pfx is not None:
            return pfx, number
    raise _Undecided                # a host name: the resolver


def _run_ssfilter(node, sock, kernel: bool = False) -> bool:
    """run_ssfilter() on one TCP socket (inet2_addr_match(): the family first); with
    `kernel`, the bytecode's reading where it differs (autobound)."""
    kind = node[0]
    if kind == "or":
        return _run_ssfilter(node[1], sock, kernel) or _run_ssfilter(node[2], sock, kernel)
    if kind == "and":
        return _run_ssfilter(node[1], sock, kernel) and _run_ssfilter(node[2], sock, kernel)
    if kind == "not":
        return not _run_ssfilter(node[1], sock, kernel)
    if kind == "autobound":
        if kernel:
            # INET_DIAG_BC_AUTO: the port was not bound explicitly (no
            # SOCK_BINDPORT_LOCK: a connect()'s own port, an accepted child)
            return not sock.bindport_lock
        # SSF_S_AUTO: a local port in the ephemeral range (ip_local_port_range)
        from ipemu.kernel.tcp import _ints
        low, high = _ints(sock.stack.ns, "net.ipv4.ip_local_port_range")
        return low <= sock.sport <= high
    if kind == "dev":
        # SSF_DEVCOND: the device the socket is bound to (none: 0)
        want = node[1]
        dev = sock.device
        bound = getattr(dev, "ifindex", 0) if dev is not None and not isinstance(dev, str) \
            else (sock.stack.ns.by_name(dev).ifindex if dev else 0)
        index = int(want) if want.isdigit() else sock.stack.ns.by_name(want).ifindex
        return bound == index
    local = node[1]
    port = sock.sport if local else sock.dport
    if kind == "ge":
        return port >= node[2]
    if kind == "le":
        return port <= node[2]
    _, _, pfx, want = node
    if want != -1 and want != port:
        return False
    if pfx is None:
        return True
    addr = sock.src if local else sock.dst
    return addr.version == pfx.family and addr in pfx.network


def _filter_file_words(data) -> list[str]:
    """yylex()'s lines of -F FILE (fgets()): the newline dropped, a line whose first
    character is '#' or '0' skipped, the rest split as get_token_from_line() does."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    return [line for line in text.split("\n") if line and line[0] not in "#0"]


def _filter_words(words: list[str]) -> list[str]:
    """get_token_from_line(): each argument split at blanks and tabs only, so `(` and
    `)` are tokens only when they stand alone (`(dport` is a host)."""
    return [t for w in words for t in re.split(r"[ \t]+", w) if t]


_LEX_OPS = {"!": "!", "not": "!", "&": "&", "&&": "&", "and": "&", "|": "|", "||": "|",
            "or": "|", "(": "(", ")": ")", ">=": "GEQ", "ge": "GEQ", "geq": "GEQ",
            "<=": "LEQ", "le": "LEQ", "leq": "LEQ", "!=": "NEQ", "ne": "NEQ",
            "neq": "NEQ", "=": "=", "==": "=", "eq": "=", ">": ">", "gt": ">",
            "<": "<", "lt": "<"}
_LEX_KEYS = {"dst": "DCOND", "src": "SCOND", "dport": "DPORT", "sport": "SPORT",
             "dev": "DEVNAME", "fwmark": "FWMARK", "cgroup": "CGROUPPATH",
             "autobound": "AUTOBOUND"}
_EXPR_START = {"(", "!", "DCOND", "SCOND", "DPORT", "SPORT", "DEVNAME", "FWMARK",
               "CGROUPPATH", "AUTOBOUND"}


def _strtol_prefix(text: str) -> bool:
    """sscanf("%i") matched something: [sign] 0x-hex, 0-octal or decimal digits."""
    return re.match(r"[ \t]*[+-]?(0[xX][0-9a-fA-F]|[0-9])", text) is not None


def _check_expression(ctx: ToolContext, words: list[str], family: int) -> int:
    """ssfilter_parse(): yylex() called as the grammar (ssfilter.y) needs each token, so
    a word that does not lex (its value parsed by the kind of the last keyword:
    tok_type) fails before a later syntax error, and a token no rule accepts is bison's
    "syntax error!" with the usage (exit 255). Returns the family the last host
    condition names (AF_UNSPEC: none)."""
    tokens = _filter_words(words)
    pos = 0
    state = {"tok_type": "", "named": AF_UNSPEC}
    look: list = []

    def lex() -> str:
        nonlocal pos
        if pos >= len(tokens):
            return "EOF"
        tok = tokens[pos]
        pos += 1
        if tok in _LEX_OPS:
            return _LEX_OPS[tok]
        if tok in _LEX_KEYS:
            state["tok_type"] = _LEX_KEYS[tok]
            return _LEX_KEYS[tok]
        kind = state["tok_type"]
        if kind == "DEVNAME":
            # parse_devcond(): ll_name_to_index(), a number taken as an index
            if not tok.isdigit() and ctx.netns.by_name(tok) is None:
                raise CommandError("Cannot parse device.\n", 1)
            return "DEVCOND"
        if kind == "FWMARK":
            # parse_markmask(): sscanf("%i/%i") when there is a '/', else "%i"
            mark, slash, mask = tok.partition("/")
            if not _strtol_prefix(mark) or (slash and not _strtol_prefix(mask)):
                raise CommandError(f"Cannot parse mark {tok}.\n", 1)
            return "MARKMASK"
        if kind == "CGROUPPATH":
            # get_cgroup2_id(): the recorder's mount namespace has no cgroup2 mount;
            # only the root path needs none
            if tok.strip("/"):
                raise CommandError("Failed to open cgroup2 mount\n"
                                   f"Cannot parse cgroup {tok}.\n", 1)
            return "CGROUPCOND"
        is_port = kind in ("DPORT", "SPORT")
        _check_port(tok, is_port)
        if not is_port:
            named = _check_host(tok, family)
            if kind in ("DCOND", "SCOND"):
                state["named"] = named or state["named"]
        return "HOSTCOND"

    def peek() -> str:
        if not look:
            look.append(lex())
        return look[0]

    def take() -> str:
        tok = peek()
        look.pop()
        return tok

    def syntax_error():
        raise CommandError(BISON + ctx.profile.usage("ss"), 255)

    def expr() -> None:
        tok = take()
        if tok == "(":
            exprlist()
            if take() != ")":
                syntax_error()
        elif tok == "!":
            expr()
        elif tok == "AUTOBOUND":
            return
        elif tok in ("DCOND", "SCOND", "DPORT", "SPORT", "DEVNAME", "FWMARK",
                     "CGROUPPATH"):
            ops = {"DCOND": ("=",), "SCOND": ("=",)}.get(
                tok, ("=", "NEQ") if tok in ("DEVNAME", "FWMARK", "CGROUPPATH")
                else ("=", "NEQ", "GEQ", "LEQ", ">", "<"))
            want = {"DEVNAME": "DEVCOND", "FWMARK": "MARKMASK",
                    "CGROUPPATH": "CGROUPCOND"}.get(tok, "HOSTCOND")
            nxt = take()
            if nxt in ops:
                nxt = take()
            if nxt != want:
                syntax_error()
        else:
            syntax_error()

    def exprlist() -> None:
        expr()
        while True:
            tok = peek()
            if tok in ("|", "&"):
                take()
                expr()
            elif tok in _EXPR_START:
                expr()
            else:
                return

    if peek() != "EOF":
        exprlist()
        if peek() != "EOF":
            syntax_error()
    return state["named"]


def _check_port(text: str, is_port: bool) -> None:
    """parse_hostcond()'s port: a number (strtoul(.., 0)), `*`, or a TCP service
    name (getservbyname()); else `does not look like a port`, exit 1."""
    port = text if is_port else _split_hostcond(text)[1]
    port = port[1:] if port.startswith(":") else port
    if port in ("", "*") or _strtoul0(port) is not None:
        return
    from ipemu.tcpdump.names import TCP_SERVICES
    if port not in TCP_SERVICES.values():
        raise CommandError(f'Error: "{port}" does not look like a port.\n'
                           "Cannot parse dst/src address.\n", 1)


def _check_host(text: str, family: int) -> int:
    """parse_hostcond(): `*`, `:PORT`, `HOST[:PORT]`, `[V6][:PORT]`, `PREFIX/LEN`; with
    unix sockets selected last (-x, -f unix) or a `unix:` prefix, any path (a glob
    fnmatch()ed against the socket's name when sockets are listed). The condition's
    family: the one selected last for an inet host, AF_UNIX for a path."""
    if family == AF_UNIX or text.startswith("unix:"):
        return AF_UNIX
    host = _split_hostcond(text)[0]
    named = family if family in (AF_INET, AF_INET6) else AF_UNSPEC
    if host in ("", "*"):
        return named
    # get_prefix_1(.., fam): with -4 or -6 (the family selected last) only that one
    versions = {AF_INET: (4,), AF_INET6: (6,)}.get(family, (4, 6))
    for version in versions:
        if parse_prefix_1(host, version) is not None:
            return named
    raise CommandError(f'Error: an inet prefix is expected rather than "{host}".\n'
                       "Cannot parse dst/src address.\n", 1)
