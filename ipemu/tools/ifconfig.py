"""net-tools `ifconfig`: the interfaces as /proc/net/dev, SIOCGIFCONF and the SIOCGIF*
ioctls show them, and settings made with the SIOCSIF* ioctls.

Followed: net-tools ifconfig.c (the default profile's release) (main(), set_flag(), clr_flag(), set_netmask()) and
lib/interface.c (if_readlist(), if_fetch(), ife_print_long(), ife_print_short(),
nstrcmp() order); the kernel answers in ipemu/kernel/ioctl.py.
"""
from __future__ import annotations

import ipaddress
import re

from ipemu.kernel import ioctl as K
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import IFF, LinkStats
from ipemu.kernel.requests import Ifreq
from ipemu.plainclass import dataclass, field
from ipemu.render.cfmt import cpad
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import usage_text
from ipemu.tools.route import _inet_resolve, _Lookup
from ipemu.tools.rtnl import strerror

E_USAGE, E_OPTERR = 0, 3

# lib/interface.c ife_print_long(): the flag names in the order it tests them
FLAG_NAMES = [(IFF.UP, "UP"), (IFF.BROADCAST, "BROADCAST"), (IFF.DEBUG, "DEBUG"),
              (IFF.LOOPBACK, "LOOPBACK"), (IFF.POINTOPOINT, "POINTOPOINT"),
              (IFF.NOTRAILERS, "NOTRAILERS"), (IFF.RUNNING, "RUNNING"), (IFF.NOARP, "NOARP"),
              (IFF.PROMISC, "PROMISC"), (IFF.ALLMULTI, "ALLMULTI"), (IFF.SLAVE, "SLAVE"),
              (IFF.MASTER, "MASTER"), (IFF.MULTICAST, "MULTICAST"), (IFF.DYNAMIC, "DYNAMIC")]
# ife_print_short(): one letter each
FLAG_LETTERS = [(IFF.ALLMULTI, "A"), (IFF.BROADCAST, "B"), (IFF.DEBUG, "D"),
                (IFF.LOOPBACK, "L"), (IFF.MULTICAST, "M"), (IFF.DYNAMIC, "d"),
                (IFF.PROMISC, "P"), (IFF.NOTRAILERS, "N"), (IFF.NOARP, "O"),
                (IFF.POINTOPOINT, "P"), (IFF.SLAVE, "s"), (IFF.MASTER, "m"),
                (IFF.RUNNING, "R"), (IFF.UP, "U")]
# lib/hw.c: name and title of each hardware type simulated
HW_TYPES = {K.ARPHRD_ETHER: ("ether", "Ethernet"), K.ARPHRD_LOOPBACK: ("loop", "Local Loopback")}
SHORT_HEADER = ("Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR "
                "Flg\n")
# lib/interface.c: IPV6_ADDR_* scope bits and the words ife_print_long() prints for them
V6_SCOPES = [(0x20, "link"), (0x40, "site"), (0x10, "host")]


class _Exit(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


# ------------------------------------------------------------- interface cache
@dataclass
class Interface:
    """struct interface of lib/interface.c: what if_fetch() read for one name."""

    name: str
    stats: LinkStats | None = None          # from /proc/net/dev (statistics_valid)
    flags: int = 0
    hwaddr: bytes = b""
    hwtype: int = K.ARPHRD_ETHER
    mtu: int = 0
    txqlen: int = -1
    addr: ipaddress.IPv4Address | None = None     # has_ip
    dstaddr: ipaddress.IPv4Address = ipaddress.IPv4Address(0)
    broadaddr: ipaddress.IPv4Address = ipaddress.IPv4Address(0)
    netmask: ipaddress.IPv4Address = ipaddress.IPv4Address(0)


def _isdigit(c: str) -> bool:
    return "0" <= c <= "9"              # isdigit() in the C locale


def _rindex_nondigit(name: str) -> int:
    """lib/nstrcmp.c rindex_nondigit(): where the trailing digits start."""
    for pos in range(len(name), 0, -1):
        if not _isdigit(name[pos - 1]):
            return pos
    return 0


def _cutalias(name: str) -> tuple[str, str | None]:
    """lib/nstrcmp.c cutalias(): a numeric `:N` suffix cut off (`eth0:1:2` is
    `eth0:1` and 2; `eth0:abc` has none)."""
    digit = False
    for pos in range(len(name), 0, -1):
        c = name[pos - 1]
        if c == ":" and digit:
            return name[:pos - 1], name[pos:]
        if not _isdigit(c):
            break
        digit = True
    return name, None


def _atoi(text: str) -> int:
    m = re.match(r"[ \t\n\v\f\r]*([+-]?[0-9]+)", text)
    return int(m.group(1)) if m else 0


def _cmp(a: str, b: str) -> int:
    return (a > b) - (a < b)            # strcmp()'s sign (code points: UTF-8's order)


def nstrcmp(ap: str, bp: str) -> int:
    """lib/nstrcmp.c nstrcmp(): like strcmp(), but the number at the end of the name
    (after its numeric alias is cut) compares as a number, then the alias does
    ("eth2" < "eth10", "eth0" < "eth0:1")."""
    a, aalias = _cutalias(ap)
    b, balias = _cutalias(bp)
    ai, bi = _rindex_nondigit(a), _rindex_nondigit(b)
    n = min(ai, bi)
    res = _cmp(a[:n], b[:n])
    if res:
        return res
    if ai != bi:
        return 1 if ai > bi else -1
    res = _cmp(_atoi(a[ai:]), _atoi(b[bi:]))
    if res:
        return res
    res = _cmp(a, b)
    if res:
        return res
    res = _cmp(_atoi(aalias) if aalias is not None else -1,
               _atoi(balias) if balias is not None else -1)
    if res:
        return res
    return _cmp(aalias, balias) if aalias is not None and balias is not None else 0


def _add_interface(found: list, name: str):
    """lib/interface.c add_interface(): the list is walked from its end; the name
    goes after the first entry that compares below it (nstrcmp() is no total order
    for names like `eth0:abc`: the insertion order shows)."""
    for idx in range(len(found) - 1, -1, -1):
        n = nstrcmp(found[idx].name, name)
        if n == 0:
            return found[idx]
        if n < 0:
            found.insert(idx + 1, Interface(name))
            return found[idx + 1]
    found.insert(0, Interface(name))
    return found[0]


def read_interfaces(ctx: ToolContext) -> list[Interface]:
    """if_readlist(): the names in /proc/net/dev (with their counters), then those
    SIOCGIFCONF gives (the IPv4 labels, aliases among them), kept in nstrcmp() order."""
    found: list[Interface] = []
    for row in K.proc_net_dev(ctx.netns):
        _add_interface(found, row.name).stats = row.stats
    for name in K.ifconf(ctx.netns):
        _add_interface(found, name)
    return found


def lookup_interface(ctx: ToolContext, name: str) -> Interface:
    """lookup_interface(): the name, with its counters when /proc/net/dev has it."""
    for row in K.proc_net_dev(ctx.netns):
        if row.name == name:
            return Interface(name, row.stats)
    return Interface(name)


def if_fetch(ctx: ToolContext, ife: Interface) -> None:
    """if_fetch(): the ioctls in turn; only SIOCGIFFLAGS failing is an error."""
    ns = ctx.netns
    ife.flags = K.ioctl(ns, K.SIOCGIFFLAGS, Ifreq(ife.name)).flags
    hw = K.ioctl(ns, K.SIOCGIFHWADDR, Ifreq(ife.name))
    ife.hwaddr, ife.hwtype = hw.hwaddr, hw.hwtype
    ife.mtu = K.ioctl(ns, K.SIOCGIFMTU, Ifreq(ife.name)).mtu
    ife.txqlen = K.ioctl(ns, K.SIOCGIFTXQLEN, Ifreq(ife.name)).qlen
    try:
        ife.addr = K.ioctl(ns, K.SIOCGIFADDR, Ifreq(ife.name)).addr
    except KernelError:
        ife.addr = None
        return
    for cmd, attr in ((K.SIOCGIFDSTADDR, "dstaddr"), (K.SIOCGIFBRDADDR, "broadaddr"),
                      (K.SIOCGIFNETMASK, "netmask")):
        try:
            setattr(ife, attr, K.ioctl(ns, cmd, Ifreq(ife.name, addr=ife.addr)).addr)
        except KernelError:
            pass


def do_if_fetch(ctx: ToolContext, ife: Interface) -> bool:
    """do_if_fetch(): False (and the message) when the interface is not there."""
    try:
        if_fetch(ctx, ife)
    except KernelError as err:
        text = "Device not found" if err.errno == Errno.ENODEV else strerror(err.errno)
        ctx.term.err(f"{ife.name}: error fetching interface information: {text}\n")
        return False
    return True


# --------------------------------------------------------------------- printing
def _short_size(n: int) -> str:
    """ife_print_long(): the byte count in binary units, one decimal (truncated)."""
    short = n * 10
    unit = "B"
    for limit, name in ((1152921504606846976, "EiB"), (1125899906842624, "PiB"),
                        (1099511627776, "TiB"), (1073741824, "GiB"), (1048576, "MiB"),
                        (1024, "KiB")):
        if n > limit:
            short = n // 115292150460684697 if name == "EiB" else short // limit
            unit = name
            break
    return f"{short // 10}.{short % 10} {unit}"


def ife_print_long(ctx: ToolContext, ife: Interface) -> str:
    names = [name for bit, name in FLAG_NAMES if ife.flags & bit]
    # struct interface keeps the flags in a short, printed with %d: IFF_DYNAMIC
    # (0x8000) shows as a negative number
    shown = (ife.flags & 0xFFFF) - 0x10000 if ife.flags & 0x8000 else ife.flags & 0xFFFF
    flags = f"flags={shown}<" + ",".join(names) + ">" if names else f"flags={shown}<>"
    if ife.flags == 0:
        flags = "flags=0<"          # strcat(">") then the last character cut
    out = [f"{ife.name}: {flags}  mtu {ife.mtu}\n"]
    if ife.addr is not None:
        line = f"        inet {ife.addr}  netmask {ife.netmask}"
        if ife.flags & IFF.BROADCAST:
            line += f"  broadcast {ife.broadaddr}"
        if ife.flags & IFF.POINTOPOINT:
            line += f"  destination {ife.dstaddr}"
        out.append(line + "\n")
    for row in K.proc_if_inet6(ctx.netns):
        if row.dev != ife.name:
            continue
        words = [w for bit, w in V6_SCOPES if row.scope & bit]
        if row.scope == 0:
            words = ["global"]
        scope = "<" + ",".join(words) + ">" if words else ""
        out.append(f"        inet6 {row.address}  prefixlen {row.prefixlen}  "
                   f"scopeid 0x{row.scope:x}{scope}\n")
    name, title = HW_TYPES.get(ife.hwtype, ("unspec", "UNSPEC"))
    if ife.hwtype == K.ARPHRD_LOOPBACK:
        line = f"        {name}"      # lib/loopback.c has no print: no address shown
    elif name == "unspec":
        # lib/unspec.c pr_unspec(): sizeof(struct sockaddr) bytes as %02X, '-' between
        raw = (ife.hwaddr or b"").ljust(16, b"\0")[:16]
        line = f"        {name} {'-'.join(f'{b:02X}' for b in raw)}"
    else:
        line = f"        {name} {ife.hwaddr.hex(':')}"
    if ife.txqlen != -1:
        line += f"  txqueuelen {ife.txqlen}"
    out.append(f"{line}  ({title})\n")
    s = ife.stats
    if s is not None:
        out.append(f"        RX packets {s.rx_packets}  bytes {s.rx_bytes} "
                   f"({_short_size(s.rx_bytes)})\n")
        out.append(f"        RX errors {s.rx_errors}  dropped {s.rx_dropped}  overruns "
                   f"{s.rx_fifo_errors}  frame {s.rx_frame_errors}\n")
        out.append(f"        TX packets {s.tx_packets}  bytes {s.tx_bytes} "
                   f"({_short_size(s.tx_bytes)})\n")
        out.append(f"        TX errors {s.tx_errors}  dropped {s.tx_dropped} overruns "
                   f"{s.tx_fifo_errors}  carrier {s.tx_carrier}  collisions "
                   f"{s.tx_collisions}\n")
    out.append("\n")
    return "".join(out)


def _rx_dropped(s: LinkStats) -> int:
    """/proc/net/dev's drop column: rx_dropped + rx_missed_errors (dev_seq_printf_stats())."""
    return s.rx_dropped + s.rx_missed


def ife_print_short(ife: Interface, name_width: int = 15) -> str:
    """ife_print_short() (and netstat's copy of it, 16 wide)."""
    # printf("%-*.*s ", name_width, name_width, name): bytes, a UTF-8 name's too
    line = f"{cpad(ife.name, name_width, precision=name_width)} {ife.mtu:5d} "
    s = ife.stats
    if s is not None:
        line += (f"{s.rx_packets:8d} {s.rx_errors:6d} {_rx_dropped(s):6d} "
                 f"{s.rx_fifo_errors:<6d} {s.tx_packets:8d} {s.tx_errors:6d} "
                 f"{s.tx_dropped:6d} {s.tx_fifo_errors:6d} ")
    else:
        line += f"{'     - no statistics available -':<56}"
    if ife.flags == 0:
        line += "[NO FLAGS]"
    line += "".join(ch for bit, ch in FLAG_LETTERS if ife.flags & bit)
    return line + "\n"


def ife_print(ctx: ToolContext, ife: Interface, short: bool) -> str:
    return ife_print_short(ife) if short else ife_print_long(ctx, ife)


# ================================================================== entry point
@dataclass
class Options:
    all: bool = False
    short: bool = False
    verbose: bool = False
    words: list[str] = field(default_factory=list)


def main(ctx: ToolContext, argv: list[str]) -> int:
    try:
        return _run(ctx, argv)
    except _Exit as done:
        return done.status


def nettools_usage(ctx: ToolContext, name: str, rc: int) -> int:
    """A net-tools usage(rc): stdout when asked for, stderr after a bad command line;
    the lists of hardware types and families (print_hwlist(), print_aflist()) always
    on stderr. The 2013 snapshot's usage(void) (the profile's route_usage_rc false)
    writes it all on stderr and exits E_USAGE (0). Returns the exit status."""
    if not ctx.profile["route_usage_rc"]:
        ctx.term.err(usage_text(name, ctx.profile))
        return E_USAGE
    for line in usage_text(name, ctx.profile).splitlines(keepends=True):
        # print_hwlist()/print_aflist() lines: four blanks, then "name (Title) ..."
        # (netstat's option lines are indented further and go with the usage)
        if rc or line.startswith("    ") and not line[4:5].isspace():
            ctx.term.err(line)
        else:
            ctx.term.out(line)
    return rc


def nettools_version(ctx: ToolContext, text: str) -> None:
    """version(): printf() now, fprintf(stderr) in the 2013 snapshot."""
    if ctx.profile["route_version_stream"] == "out":
        ctx.term.out(text)
    else:
        ctx.term.err(text)


def _usage(ctx: ToolContext, rc: int) -> None:
    raise _Exit(nettools_usage(ctx, "ifconfig_usage", rc))


def _run(ctx: ToolContext, argv: list[str]) -> int:
    opts = Options()
    args = argv[1:]
    while args and args[0].startswith("-"):
        arg = args.pop(0)
        if arg == "-a":
            opts.all = True
        elif arg == "-s":
            opts.short = True
        elif arg == "-v":
            opts.verbose = True
        elif arg in ("-V", "-version", "--version"):
            nettools_version(ctx, ctx.profile["ifconfig_version"])
            return 0
        elif arg in ("-?", "-h", "-help", "--help"):
            _usage(ctx, E_USAGE)
        else:
            ctx.term.err(f"ifconfig: option `{arg}' not recognised.\n"
                         "ifconfig: `--help' gives usage information.\n")
            return 1
    if not args:
        return _print_all(ctx, opts)
    name = args[0][:15]
    if len(args) == 1:
        return _print_one(ctx, opts, name)
    return _configure(ctx, name, args[1:], opts.verbose)


def _print_all(ctx: ToolContext, opts: Options) -> int:
    out = [SHORT_HEADER] if opts.short else []
    for ife in read_interfaces(ctx):
        # (what was printed before goes out first: ife_print()'s printf() on a
        # line-buffered stdout, then do_if_fetch()'s fprintf(stderr); for_all_interfaces()
        # stops at the failing one. An alias label naming no device, `label x0:1` on
        # v0, fails: recorded, fuzz47 seed 590500)
        ctx.term.out("".join(out))
        out = []
        if not do_if_fetch(ctx, ife):
            return 1
        if ife.flags & IFF.UP or opts.all:
            out.append(ife_print(ctx, ife, opts.short))
    ctx.term.out("".join(out))
    return 0


def _print_one(ctx: ToolContext, opts: Options, name: str) -> int:
    if opts.short:
        ctx.term.out(SHORT_HEADER)
    ife = lookup_interface(ctx, name)
    if not do_if_fetch(ctx, ife):
        return 1
    ctx.term.out(ife_print(ctx, ife, opts.short))
    return 0


# ------------------------------------------------------------------ settings
FLAG_WORDS = {"arp": (IFF.NOARP, False), "-arp": (IFF.NOARP, True),
              "trailers": (IFF.NOTRAILERS, False), "-trailers": (IFF.NOTRAILERS, True),
              "promisc": (IFF.PROMISC, True), "-promisc": (IFF.PROMISC, False),
              "multicast": (IFF.MULTICAST, True), "-multicast": (IFF.MULTICAST, False),
              "allmulti": (IFF.ALLMULTI, True), "-allmulti": (IFF.ALLMULTI, False),
              "dynamic": (IFF.DYNAMIC, True), "-dynamic": (IFF.DYNAMIC, False),
              "up": (IFF.UP | IFF.RUNNING, True), "down": (IFF.UP, False)}
# the words after which ifconfig warns when the flag stayed set (test_flag())
STILL_SET = {"-promisc": "promisc", "-multicast": "MULTICAST", "-allmulti": "ALLMULTI",
             "-dynamic": "DYNAMIC"}


class _Session:
    """The state main() keeps while it walks the words: the name and `goterr`."""

    def __init__(self, ctx: ToolContext, name: str):
        self.ctx = ctx
        self.name = name
        self.goterr = 0
        # skfd = ap->fd: a family this kernel has no sockets for (ax25, ipx...) left
        # sockets_open()'s -1, so each ioctl on it is EBADF
        self.badfd = False

    def ioctl(self, cmd: int, req: Ifreq) -> Ifreq:
        if self.badfd:
            raise KernelError(Errno.EBADF)
        return K.ioctl(self.ctx.netns, cmd, req)

    def err(self, text: str) -> None:
        self.ctx.term.err(text)

    def fail(self, status: int = 1, ored: bool = False) -> None:
        """An error: main() mostly writes `goterr = 1` (so a later one makes an
        earlier set_flag()'s -1 a 1: exit status 1, recorded), set_netmask()'s is
        `goterr |= set_netmask(...)`."""
        if ored:
            self.goterr |= status
        else:
            self.goterr = status


def _flag(s: _Session, bits: int, on: bool) -> None:
    """set_flag() / clr_flag(): read the flags, change them, write them back."""
    try:
        flags = s.ioctl(K.SIOCGIFFLAGS, Ifreq(s.name)).flags
    except KernelError as err:
        s.err(f"{s.name}: ERROR while getting interface flags: {strerror(err.errno)}\n")
        s.goterr |= -1
        return
    flags = flags | bits if on else flags & ~bits
    try:
        s.ioctl(K.SIOCSIFFLAGS, Ifreq(s.name, flags=flags & 0xFFFF))
    except KernelError as err:
        s.err(f"SIOCSIFFLAGS: {strerror(err.errno)}\n")
        s.goterr |= -1


def _test_flag(s: _Session, bits: int) -> bool:
    try:
        return bool(s.ioctl(K.SIOCGIFFLAGS, Ifreq(s.name)).flags & bits)
    except KernelError as err:
        s.err(f"{s.name}: ERROR while testing interface flags: {strerror(err.errno)}\n")
        return False


def _resolve(s: _Session, host: str) -> ipaddress.IPv4Address | None:
    """INET_input(0, ...): a dotted quad, a name from /etc/hosts or /etc/networks;
    else herror()."""
    try:
        _, addr = _inet_resolve(host, hostfirst=False)
    except _Lookup as failed:
        s.err(failed.herror(s.ctx))
        return None
    return ipaddress.IPv4Address(addr)


def _set_addr(s: _Session, cmd: int, what: str, addr) -> None:
    try:
        s.ioctl(cmd, Ifreq(s.name, addr=addr))
    except KernelError as err:
        s.err(f"{what}: {strerror(err.errno)}\n")
        s.fail(ored=cmd == K.SIOCSIFNETMASK)


def _addr_then_flag(s: _Session, nxt: str | None, cmd: int, what: str, flag: int) -> int:
    """`broadcast [ADDR]`, `pointopoint [ADDR]`: the address when one follows (an
    unknown one fails the command and skips the flag), then the flag set; how many
    words were read."""
    if nxt is not None:
        addr = _resolve(s, nxt)
        if addr is None:
            s.fail()
            return 2
        _set_addr(s, cmd, what, addr)
        _flag(s, flag, True)
        return 2
    _flag(s, flag, True)
    return 1


# lib/af.c aftypes[] built into Debian's net-tools (route -V's "AF:" line)
AF_NAMES = ("unix", "inet", "inet6", "ax25", "netrom", "rose", "ipx", "ddp", "ec", "x25")


# the other families' aftype: its number (ap->af) and whether it has an input()
AF_NUMBERS = {"unix": 1, "ax25": 3, "ipx": 4, "ddp": 5, "netrom": 6, "x25": 9, "rose": 11,
              "ec": 19}


def _callsign_error(word: str) -> str | None:
    """lib/ax25.c AX25_input() and lib/netrom.c NETROM_input(): up to six letters or
    digits before an optional -SSID."""
    call = word.split("-", 1)[0]
    for c in call[:6]:
        if not (c.isascii() and c.isalnum()):
            return "Invalid callsign"
    return "Callsign too long" if len(call) > 6 else None


def _other_family_address(s: _Session, family: str, word: str) -> int:
    """ifconfig.c's address word in a family other than inet/inet6: no input() (unix,
    ddp) says so; an input() that fails prints its herror() (or the generic `error
    resolving`) and the usage hint; one that succeeds reaches the switch on ap->af,
    which sets addresses for AF_INET and AF_ECONET only (this kernel has no econet
    socket). Recorded: tutorials44d_ifconfig8_rare_flags."""
    hint = "ifconfig: `--help' gives usage information.\n"
    if family in ("unix", "ddp"):
        s.err("ifconfig: Cannot set address for this protocol family.\n")
        return 1
    if family in ("ax25", "netrom"):
        error = _callsign_error(word)
        if error is not None:
            s.err(f"{word}: {error}\n" + hint)
            return 1
    elif family == "rose" and len(word) != 10:
        s.err(f"{word}: Node address must be ten digits\n" + hint)
        return 1
    elif family == "ipx" and not re.match(r"(?a)\s*[-+]?(0[xX])?[0-9a-fA-F]+:", word):
        # IPX_input(): a network number (strtoul(), base 16) and a colon; no herror
        s.err(f"ifconfig: error resolving '{word}' to set address for af=ipx\n" + hint)
        return 1
    elif family == "ec":
        if not re.match(r"(?a)\s*[-+]?\d", word):      # ec_input()'s sscanf("%d")
            s.err(f"ifconfig: error resolving '{word}' to set address for af=ec\n" + hint)
            return 1
        s.err("No support for ECONET on this system.\n")
        return 1
    s.err(f"Don't know how to set addresses for family {AF_NUMBERS[family]}.\n")
    return 1


def _set_ifstate(s: _Session, ip: ipaddress.IPv4Address, up: bool) -> None:
    """The IPv4 `add`/`del` words: get_nmbc_parent() (the mask and broadcast of the
    name given, zero when it has no address), then set_ifstate(): an alias of it
    (NAME:N) whose address is `ip` is brought up or down (down deletes it), else
    the first free NAME:N gets the address, mask and broadcast; failures are silent
    and the status stays 0, as set_ifstate()'s result is not looked at."""
    parent, ctx = s.name, s.ctx
    nm = bc = ipaddress.IPv4Address(0)
    fetched = lookup_interface(ctx, parent)
    # get_nmbc_parent()'s do_if_fetch() says so of a name that is no device; the one
    # lookup_interface() put in the list is fetched again by for_all_interfaces()'s
    # do_ifcmd(), which says it again (recorded: two lines)
    if do_if_fetch(ctx, fetched):
        nm, bc = fetched.netmask, fetched.broadaddr
    else:
        do_if_fetch(ctx, fetched)
    used = set()
    for ife in read_interfaces(ctx):
        name = ife.name
        if not name.startswith(parent) or ":" not in name:
            continue            # do_ifcmd(): strncmp() with the parent, then a colon
        alias = name.partition(":")[2]
        try:
            if_fetch(ctx, ife)
        except KernelError:
            continue
        if "-" in alias:
            continue
        used.add(_atoi(alias))
        if ife.dstaddr != ip:
            continue
        try:
            flags = K.ioctl(ctx.netns, K.SIOCGIFFLAGS, Ifreq(name)).flags
            flags = flags | IFF.UP | IFF.RUNNING if up else flags & ~IFF.UP
            K.ioctl(ctx.netns, K.SIOCSIFFLAGS, Ifreq(name, flags=flags & 0xFFFF))
        except KernelError:
            pass
        return
    free = next((n for n in range(256) if n not in used), None)
    label = f"{parent}:{free}"
    if free is None or len(label) > 15:
        return
    try:
        for cmd, value in ((K.SIOCSIFADDR, ip), (K.SIOCSIFNETMASK, nm), (K.SIOCSIFBRDADDR, bc)):
            K.ioctl(ctx.netns, cmd, Ifreq(label, addr=value))
        flags = K.ioctl(ctx.netns, K.SIOCGIFFLAGS, Ifreq(label)).flags
        K.ioctl(ctx.netns, K.SIOCSIFFLAGS, Ifreq(label, flags=(flags | IFF.BROADCAST) & 0xFFFF))
    except KernelError:
        pass


def _configure(ctx: ToolContext, name: str, words: list[str], verbose: bool = False) -> int:
    """main()'s loop over the words after the interface name; with -v, an error
    anywhere in it ends in main()'s `WARNING: at least one error occured. (%d)`
    (net-tools ifconfig.c, goterr printed signed)."""
    s = _Session(ctx, name)
    family6 = bool(words) and words[0] == "inet6"
    family = "inet"
    if words and words[0] in ("inet", "inet6"):
        words = words[1:]               # get_aftype(): the family named first
    elif words == [words[0]] and words[0] in AF_NAMES:
        return 0                        # another family and no option: nothing to do
    elif words and words[0] in AF_NAMES:
        family, words = words[0], words[1:]
        s.badfd = family != "unix"
    netmask = None                      # neednetmask: from ADDR/PREFIX
    didnetmask = False
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        if word in FLAG_WORDS:
            bits, on = FLAG_WORDS[word]
            _flag(s, bits, on)
            if word in STILL_SET and _test_flag(s, bits):
                mode = STILL_SET[word]
                s.err(f"Warning: Interface {name} still in {mode} mode."
                      f"{'.. maybe other application is running?' if mode == 'promisc' else ''}\n")
            i += 1
            continue
        if word in ("mtu", "txqueuelen", "netmask", "hw", "dstaddr"):
            if nxt is None:
                _usage(ctx, E_OPTERR)
        if word == "mtu":
            try:
                s.ioctl(K.SIOCSIFMTU, Ifreq(name, mtu=_c_atoi(nxt)))
            except KernelError as err:
                s.err(f"SIOCSIFMTU: {strerror(err.errno)}\n")
                s.fail()
            i += 2
            continue
        if word == "txqueuelen":
            try:
                s.ioctl(K.SIOCSIFTXQLEN, Ifreq(name, qlen=_c_atoi(nxt)))
            except KernelError as err:
                s.err(f"SIOCSIFTXQLEN: {strerror(err.errno)}\n")
                s.fail()
            i += 2
            continue
        if word == "netmask":
            if didnetmask:
                _usage(ctx, E_OPTERR)
            addr = _resolve(s, nxt)
            if addr is None:
                s.fail()
            else:
                didnetmask = True
                _set_addr(s, K.SIOCSIFNETMASK, "SIOCSIFNETMASK", addr)
            i += 2
            continue
        if word == "broadcast":
            i += _addr_then_flag(s, nxt, K.SIOCSIFBRDADDR, "SIOCSIFBRDADDR", IFF.BROADCAST)
            continue
        if word == "-broadcast":
            # dev_change_flags() keeps the device's own IFF_BROADCAST: test_flag() warns
            _flag(s, IFF.BROADCAST, False)
            if _test_flag(s, IFF.BROADCAST):
                s.err(f"Warning: Interface {name} still in BROADCAST mode.\n")
            i += 1
            continue
        if word == "name":
            if nxt is None:
                _usage(ctx, E_OPTERR)
            # SIOCSIFNAME with ifr_newname cut to IFNAMSIZ - 1; the words after it
            # still name the device by its old name (ifr_name is not changed)
            try:
                s.ioctl(K.SIOCSIFNAME, Ifreq(name, newname=nxt[:15]))
            except KernelError as err:
                s.err(f"SIOCSIFNAME: {strerror(err.errno)}\n")
                s.fail()
            i += 2
            continue
        if word == "dstaddr":
            addr = _resolve(s, nxt)
            if addr is None:
                s.fail()
            else:
                _set_addr(s, K.SIOCSIFDSTADDR, "SIOCSIFDSTADDR", addr)
            i += 2
            continue
        if word in ("-pointopoint", "-pointtopoint"):
            _flag(s, IFF.POINTOPOINT, False)
            if _test_flag(s, IFF.POINTOPOINT):
                s.err(f"Warning: Interface {name} still in POINTOPOINT mode.\n")
            i += 1
            continue
        if word in ("pointopoint", "pointtopoint"):
            # ifconfig.c: the peer by SIOCSIFDSTADDR, then IFF_POINTOPOINT asked for
            # (dev_change_flags() keeps the device's own: no change on Ethernet)
            i += _addr_then_flag(s, nxt, K.SIOCSIFDSTADDR, "SIOCSIFDSTADDR", IFF.POINTOPOINT)
            continue
        if word == "hw":
            i = _hw(s, words, i)
            continue
        if word in ("media", "port"):
            i += _media(s, nxt)
            continue
        if word in MAP_WORDS or word in DEVPRIVATE_WORDS:
            if nxt is None:
                _usage(ctx, E_OPTERR)
            if word in MAP_WORDS:
                _set_map(s, word)
            else:
                _devprivate(s, word)
            i += 2
            continue
        if word == "tunnel":
            if nxt is None:
                _usage(ctx, E_OPTERR)
            _tunnel(s, nxt)
            i += 2
            continue
        if word in ("add", "del") and (nxt is None or ":" in nxt):
            if nxt is None:
                _usage(ctx, E_OPTERR)
            _inet6_addr(s, nxt, word == "add")
            i += 2
            continue
        if word in ("add", "del"):
            addr = _resolve(s, nxt)
            if addr is None:
                s.fail()
            else:
                _set_ifstate(s, addr, word == "add")
            i += 2
            continue
        # "If the next argument is a valid hostname, assume OK": the address itself
        if family != "inet":
            return _other_family_address(s, family, word)
        if family6:
            status = _inet6_address_word(s, word)
            if status is not None:
                return status
        host, slash, prefix = word.partition("/")
        if slash:
            if not re.fullmatch(r"(?a)(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9]\d*)", prefix):
                _usage(ctx, E_OPTERR)
            if didnetmask:
                _usage(ctx, E_OPTERR)
            bits = int(prefix, 0) & 0xFFFFFFFF
            netmask = ipaddress.IPv4Address(~(0xFFFFFFFF >> (bits & 31)) & 0xFFFFFFFF)
        addr = _resolve(s, host)
        if addr is None:
            s.err("ifconfig: `--help' gives usage information.\n")
            return 1
        _set_addr(s, K.SIOCSIFADDR, "SIOCSIFADDR", addr)
        alias = ":" in name
        if not (alias and (name.endswith("-") or int(addr) == 0)):
            _flag(s, IFF.UP | IFF.RUNNING, True)
        i += 1
    if netmask is not None:
        _set_addr(s, K.SIOCSIFNETMASK, "SIOCSIFNETMASK", netmask)
    if verbose and s.goterr:
        s.err(f"WARNING: at least one error occured. ({s.goterr})\n")
    return s.goterr & 0xFF


# lib/interface.c if_port_text[]: the media names, by dev->if_port number
IF_PORT_TEXT = (("unknown",), ("10base2", "bnc", "coax"), ("10baseT", "utp", "tpe"),
                ("AUI", "thick", "db15"), ("100baseT",), ("100baseTX",), ("100baseFX",))
# the ifmap fields ifconfig sets by SIOCGIFMAP then SIOCSIFMAP, each message naming its word
MAP_WORDS = ("mem_start", "io_addr", "irq")
# SIOCSKEEPALIVE (SIOCDEVPRIVATE) and SIOCSOUTFILL (SIOCDEVPRIVATE + 2), built in Debian's
DEVPRIVATE_WORDS = {"keepalive": ("SIOCSKEEPALIVE", K.SIOCDEVPRIVATE),
                    "outfill": ("SIOCSOUTFILL", K.SIOCDEVPRIVATE + 2)}


def _media(s: _Session, nxt: str | None) -> int:
    """ifconfig.c `media TYPE` / `port TYPE`: `auto` sets IFF_AUTOMEDIA without
    stepping over the word (so `auto` is read next, as an address: recorded); a
    number (strtol() of all of it) or a name of if_port_text[] is the port, written by
    SIOCGIFMAP then SIOCSIFMAP; how many words were read."""
    if nxt is None:
        _usage(s.ctx, E_OPTERR)
    if nxt.lower() == "auto":
        _flag(s, IFF.AUTOMEDIA, True)
        return 1
    number = re.fullmatch(r"(?a)\s*[-+]?\d+", nxt)
    named = any(nxt.lower() == name.lower() for names in IF_PORT_TEXT for name in names)
    if (not number and not named) or (number and int(nxt) == -1):  # -1 is "not found"
        s.err("Unknown media type.\n")
        s.fail()
        return 2
    _set_map(s, "port")
    return 2


def _set_map(s: _Session, what: str) -> None:
    """`mem_start`/`io_addr`/`irq`/`media`: SIOCGIFMAP, the field changed, SIOCSIFMAP;
    each failure named after the word (perror("port: ...") for media)."""
    for cmd, call in ((K.SIOCGIFMAP, "SIOCGIFMAP"), (K.SIOCSIFMAP, "SIOCSIFMAP")):
        try:
            s.ioctl(cmd, Ifreq(s.name))
        except KernelError as err:
            s.err(f"{what}: {call}: {strerror(err.errno)}\n")
            s.fail()
            return


def _devprivate(s: _Session, word: str) -> None:
    """`keepalive NN` / `outfill NN`: the number passed as ifr_data to the driver's
    private ioctl."""
    call, cmd = DEVPRIVATE_WORDS[word]
    try:
        s.ioctl(cmd, Ifreq(s.name))
    except KernelError as err:
        s.err(f"{call}: {strerror(err.errno)}\n")
        s.fail()


def _inet6_address_word(s: _Session, word: str) -> int | None:
    """The address word after `inet6`: inet6_aftype has no getmask, so INET6_input()
    hands the whole word to getaddrinfo(AF_INET6); an address it takes reaches main()'s
    switch, which sets addresses of AF_INET only ("Don't know how ... family 10"); an
    IPv4 one is EAI_ADDRFAMILY (-9, h_errno 0), a word no host name can be (a `/`)
    EAI_NONAME (-2, HOST_NOT_FOUND); each ends ifconfig (exit(1)). None: a name, left
    to the IPv4 path."""
    host, pct, scope = word.partition("%")
    try:
        ipaddress.IPv6Address(host)
        valid6 = not pct or bool(scope)
    except ValueError:
        valid6 = False
    if valid6:
        s.err("Don't know how to set addresses for family 10.\n")
        return 1
    try:
        ipaddress.IPv4Address(word)
        code, herror = -9, "Resolver Error 0 (no error)"
    except ValueError:
        if "/" not in word:
            return None
        code, herror = -2, "Unknown host"
    s.err(f"getaddrinfo: {word}: {code}\n{word}: {herror}\n"
          "ifconfig: `--help' gives usage information.\n")
    return 1


def _tunnel(s: _Session, text: str) -> None:
    """ifconfig.c `tunnel ADDR[/LEN]`: the remote end of a sit device, by SIOGIFINDEX
    then SIOCSIFDSTADDR on an AF_INET6 socket; addrconf_set_dstaddr() takes only an
    ARPHRD_SIT device (none here: no sit driver), ENODEV for any other."""
    host, slash, prefix = text.partition("/")
    plen = _c_atoi(prefix) if slash else 128
    if not 0 <= plen <= 128:
        _usage(s.ctx, E_OPTERR)
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        s.err(f"{host}: Resolver Error 0 (no error)\n")    # inet6_aftype.herror()
        s.fail()
        return
    if s.ctx.netns.by_name(_ioctl_name(s.name)) is None:
        s.err("SIOGIFINDEX: No such device\n")
    else:
        s.err("SIOCSIFDSTADDR: No such device\n")
    s.fail()


def _ioctl_name(name: str) -> str:
    """dev_ioctl(): the name a device ioctl looks up, cut at its first colon (an alias
    label `v0:2` is v0's for SIOCGIFINDEX and the IPv6 address ioctls)."""
    return name.partition(":")[0]


def _inet6_addr(s: _Session, text: str, add: bool) -> None:
    """ifconfig.c `add`/`del` of an address with a colon: ADDR[/LEN] (128 without
    one; over 128 the usage), the index by SIOGIFINDEX, then SIOCSIFADDR or
    SIOCDIFADDR on an AF_INET6 socket (addrconf_add_ifaddr() / addrconf_del_ifaddr():
    a permanent address, DAD as for any other)."""
    host, slash, prefix = text.partition("/")
    plen = _c_atoi(prefix) if slash else 128
    if not 0 <= plen <= 128:
        _usage(s.ctx, E_OPTERR)
    try:
        addr = ipaddress.IPv6Address(host)
    except ValueError:
        s.err(f"{host}: Resolver Error 0 (no error)\n")    # inet6_aftype.herror()
        s.fail()
        return
    dev = s.ctx.netns.by_name(_ioctl_name(s.name))
    if dev is None:
        s.err("SIOGIFINDEX: No such device\n")
        s.fail()
        return
    try:
        K.inet6_ioctl(s.ctx.netns, K.SIOCSIFADDR if add else K.SIOCDIFADDR, dev.ifindex,
                      addr, plen)
    except KernelError as err:
        s.err(f"{'SIOCSIFADDR' if add else 'SIOCDIFADDR'}: {strerror(err.errno)}\n")
        s.fail()


# lib/hw.c hwtypes[] as Debian builds net-tools whose `input` is NULL: `hw TYPE` of
# one of these says it cannot set an address and skips the word after it
HW_WITHOUT_INPUT = ("loop", "slip", "cslip", "slip6", "cslip6", "adaptive", "ppp", "hdlc",
                    "lapb", "dlci", "frad", "sit", "irda", "ec", "unspec")
ARPHRD_FDDI = 774


# the hardware classes (besides ether and fddi) whose input() ipemu follows, and
# their ARPHRD_ types (the kernel's dev_set_mac_address() wants the device's: EINVAL)
HW_INPUTS = {"ax25": 3, "netrom": 0, "rose": 270, "x25": 271, "eui64": 27, "arcnet": 7}


def _hw(s: _Session, words: list[str], i: int) -> int:
    """`hw CLASS ADDRESS`: SIOCSIFHWADDR with the class's address family (the kernel
    takes only the device's own: dev_set_mac_address_user(), EINVAL)."""
    kind = words[i + 1]
    if kind in HW_WITHOUT_INPUT:
        s.err(f"hw address type `{kind}' has no handler to set address. failed.\n")
        s.fail()
        return i + 3
    if kind not in ("ether", "fddi") and kind not in HW_INPUTS:
        _usage(s.ctx, E_OPTERR)
    if i + 2 >= len(words):
        _usage(s.ctx, E_OPTERR)
    text = words[i + 2]
    if kind in HW_INPUTS:
        # lib/ax25.c, netrom.c, rose.c: the hardware input() is the address one;
        # lib/x25.c takes the digits as they come, lib/eui64.c reads hex bytes as
        # in_ether() does, lib/arcnet.c in_arcnet() wants two hex digits
        if kind == "rose":
            valid = len(text) == 10
        elif kind in ("ax25", "netrom"):
            valid = _callsign_error(text) is None
        elif kind == "eui64":
            valid = _ether_input(text) is not None
        elif kind == "arcnet":
            valid = re.match(r"[0-9a-fA-F]{2}", text) is not None
        else:
            valid = True
        mac = text.encode() if valid else None
    else:
        mac = _ether_input(text) if kind == "ether" else _fddi_input(text)
    if mac is None:
        s.err(f"{text}: invalid {kind} address.\n")
        s.fail()
        return i + 3
    hwtype = K.ARPHRD_ETHER if kind == "ether" else HW_INPUTS.get(kind, ARPHRD_FDDI)
    try:
        s.ioctl(K.SIOCSIFHWADDR, Ifreq(s.name, hwaddr=mac, hwtype=hwtype))
    except KernelError as err:
        extra = " - you may need to down the interface" if err.errno == Errno.EBUSY else ""
        s.err(f"SIOCSIFHWADDR: {strerror(err.errno)}{extra}\n")
        s.fail()
    return i + 3


def _ether_input(text: str) -> bytes | None:
    """lib/ether.c in_ether(): up to six bytes of one or two hex digits, each followed
    by an optional `:`; it stops after the sixth (the rest is not read) and the bytes
    it did not get stay zero (`02:22:33:44:55` sets 02:22:33:44:55:00)."""
    out = bytearray(6)
    i = pos = 0
    while pos < len(text) and i < 6:
        hi = _hexval(text[pos])
        if hi is None:
            return None
        pos += 1
        c = text[pos] if pos < len(text) else ""
        lo = _hexval(c) if c else None
        if lo is not None:
            val = hi << 4 | lo
        elif c in (":", ""):
            val = hi
        else:
            return None
        if c:
            pos += 1
        out[i] = val
        i += 1
        if pos < len(text) and text[pos] == ":":
            pos += 1
    return bytes(out)


def _fddi_input(text: str) -> bytes | None:
    """lib/fddi.c in_fddi(): two hex digits for every byte (a lone one is invalid),
    each pair optionally followed by `:`, up to six; the rest is not read."""
    out = bytearray(6)
    i = pos = 0
    while pos < len(text) and i < 6:
        hi = _hexval(text[pos])
        lo = _hexval(text[pos + 1]) if pos + 1 < len(text) else None
        if hi is None or lo is None:
            return None
        out[i] = hi << 4 | lo
        i += 1
        pos += 2
        if pos < len(text) and text[pos] == ":":
            pos += 1
    return bytes(out)


def _hexval(c: str) -> int | None:
    """in_ether()'s digit test: 0-9, a-f, A-F."""
    return int(c, 16) if c in "0123456789abcdefABCDEF" and c else None


def _c_atoi(text: str) -> int:
    """atoi() / strtoul(): the leading number, 0 when there is none."""
    m = re.match(r"(?a)\s*([+-]?\d+)", text)
    return int(m.group(1)) if m else 0
