"""`ping` as iputils prints it (ping/ping.c, ping/ping_common.c; the version, its option
string and its usage text come from the profile).

The program is a Process on the host's virtual clock: it sends an echo every
interval, prints replies and ICMP errors as the simulated kernel delivers them, and
finishes like iputils: after the last reply, after the linger time when answers are
missing, or at the -w deadline.
"""
from __future__ import annotations

import ipaddress
import math
import re

from ipemu import syntax
from ipemu.errors import CommandError
from ipemu.kernel import packet as P
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import RTN
from ipemu.kernel.wire.ipv4 import (IPOPT_TS_PRESPEC, IPOPT_TS_TSANDADDR,
                                    IPOPT_TS_TSONLY, MAX_IPOPTLEN, record_route_option,
                                    recorded_route, timestamp_option, timestamps)
from ipemu.plainclass import dataclass, replace
from ipemu.render.names import ntop
from ipemu.process import SIGINT, SIGQUIT, Process
from ipemu.tools.context import Terminal, ToolContext
from ipemu.tools.ip import usage_text
from ipemu.tools.resolver import LookupWait
from ipemu.tools.rtnl import strerror
from ipemu.syntax import letters_hidden

MAX_COUNT = 9223372036854775807
BURST = 50e-6            # what arrives this close together is read in one go
MIN_INTERVAL_MS = 10     # ping.h: an unanswered flood sends at most every 10 ms
MAX_DUP_CHK = 0x10000    # ping.h: the received table's bits (sequence numbers kept)



def _nonlocal_bind(ns, family: int) -> bool:
    """raw_bind() (inet_addr_valid_or_nonlocal()) and rawv6_bind()
    (ipv6_can_nonlocal_bind()): net.ipv4/ipv6.ip_nonlocal_bind lets a socket bind an
    address that is not the host's (recorded: `ping -6 -I 2001:19f0:6001:48e5::1 ...`
    after `sysctl -w net.ipv6.ip_nonlocal_bind=1` sends from it, case
    tutorials39c_ipv6pool10_local_route); an IPv4 one binds too, but its echoes fail
    in the route lookup (Stack.send_echo(), tutorials41c_nonlocal_bind_ping)."""
    key = "net.ipv4.ip_nonlocal_bind" if family == 4 else "net.ipv6.ip_nonlocal_bind"
    return ns.sysctls.get(key, "0") != "0"

def _fail(message: str, status: int = 2) -> CommandError:
    return CommandError(f"ping: {message}\n", status)


def _number(text: str, low: int, high: int, kind=int):
    """iputils strtol_or_err(): strtol() in base 10 (leading blanks and a sign, then
    digits and nothing after them: `-w 0.1` is refused), out of a long's range ERANGE,
    then the bounds."""
    if not re.fullmatch(r"[ \t\n\v\f\r]*[+-]?[0-9]+", text):
        raise _fail(f"invalid argument: '{text}'", 1)
    value = int(text)
    if not -(1 << 63) <= value < (1 << 63):
        raise _fail(f"invalid argument: '{text}': Numerical result out of range", 1)
    value = kind(value)
    if not low <= value <= high:
        raise _fail(f"invalid argument: '{text}': out of range: {low} <= value <= {high}", 1)
    return value


class Options:
    def __init__(self):
        self.count = 0
        self.interval = 1.0
        self.size = 56
        self.ttl = None
        self.linger = 10.0
        self.deadline = 0.0
        self.interface = None           # the last -I, as given
        # main()'s -I sets one of three, each kept apart (the last of each wins):
        # rts.device (a name, or ADDR%DEV's DEV), rts.source6 (a ':' in it),
        # rts.source (an inet_pton(AF_INET) literal)
        self.device_arg = None
        self.source6_arg = None
        self.source4_arg = None
        self.quiet = False
        self.numeric = False
        self.verbose = False
        self.flood = False
        self.interval_given = False
        self.family = 0
        self.timestamps = False
        self.outstanding = False
        self.destination = None
        # rts->hostname: the target as typed (an inet_aton() literal, any IPv6
        # target), else the IPv4 lookup's ai_canonname (ping4_run())
        self.hostname = None
        self.broadcast = False
        self.pattern = b""
        self.pattern_text: str | None = None    # -p, read by fill() after the options
        self.ident: int | None = None           # -e: the echoes' identifier
        self.pmtudisc = "want"
        self.pmtudisc_set = False               # -M given: IP_MTU_DISCOVER set
        self.tos = 0
        self.record_route = False
        self.audible = False
        self.adaptive = False
        self.strict_source = False
        self.preload = 1
        self.mark = 0
        self.hops: list[str] = []       # the hosts before the last: a source route
        self.timestamp = None           # -T: IPOPT_TS_TSONLY/TSANDADDR/PRESPEC
        self.flowlabel = 0              # -F: IPv6 flow label (opt_flowinfo)
        self.niquery = False            # -N: IPv6 node information queries
        self.dontroute = False          # -r: SO_DONTROUTE


def parse(argv: list[str], ctx: ToolContext) -> Options:
    """getopt over grammar/ping.lark with the profile's letters (its ping_optstring),
    then the value checks ping makes."""
    opts = Options()
    try:
        pairs, positional = syntax.getopt("ping", "ping", argv[1:],
                                          letters_hidden("ping", ctx.profile["ping_optstring"]))
    except syntax.GetoptError as err:
        raise CommandError(err.message + "\n" + usage_text("ping_usage", ctx.profile), 2)
    for flag, value in pairs:
        if value is not None:
            _option(opts, flag[1], value, ctx)
        else:
            _flag(opts, flag[1], ctx)
    if not positional:
        if ctx.profile["ping_usage_without_destination"]:
            raise CommandError(usage_text("ping_usage", ctx.profile), 2)
        raise _fail("usage error: Destination address required", 1)
    opts.destination = positional[-1]
    opts.hops = positional[:-1]
    if opts.pattern_text is not None:
        _fill(opts, ctx)
    return opts


def _fill(opts: Options, ctx: ToolContext) -> None:
    """ping_common.c fill(), called by main() after the destination check: hex digits
    only, up to 16 bytes read two digits at a time (sscanf "%2x"...), PATTERN printed
    unless -q (wherever -q stood)."""
    value = opts.pattern_text
    bad = next((i for i, c in enumerate(value) if c not in "0123456789abcdefABCDEF"), None)
    if bad is not None:
        raise _fail(f"patterns must be specified as hex digits: {value[bad:]}")
    opts.pattern = bytes(int(value[i:i + 2], 16) for i in range(0, min(len(value), 32), 2))
    if not opts.quiet:
        ctx.term.out("PATTERN: 0x" + opts.pattern.hex() + "\n")


def _garbage(ctx: ToolContext, value: str) -> None:
    ctx.term.err(f"ping: option argument contains garbage: {value}\n"
                 "ping: this will become fatal error in the future\n")


# what C's strtod() reads: hex, decimal with exponent, inf/infinity, nan(...)
STRTOD = re.compile(r"\s*[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)"
                    r"(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
                    r"|inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)", re.IGNORECASE | re.ASCII)


def _float_arg(ctx: ToolContext, value: str, what: str = "bad timing interval") -> float:
    """iputils ping_strtod(): strtod() in the C locale; a tail it did not read (or an
    overflow) is a warning naming the tail; what is not a normal number or zero (and
    an empty word) is `WHAT: VALUE`, with strerror(ERANGE) when there was a number."""
    if not value:
        raise _fail(f"{what}: {value}")
    m = STRTOD.match(value)
    if m is None:
        _garbage(ctx, value)        # nothing read: the tail is the whole word
        return 0.0
    text = m.group(0).strip()
    body = text.lstrip("+-")
    if body[:2].lower() == "0x":
        digits = body if "p" in body.lower() else body + "p0"
        number = float.fromhex(("-" if text.startswith("-") else "") + digits)
    else:
        number = float(text.split("(")[0])
    overflow = math.isinf(number) and "inf" not in body.lower()
    tail = value[m.end():]
    if tail or overflow:
        _garbage(ctx, tail)
    if not math.isfinite(number):
        raise _fail(f"{what}: {value}: Numerical result out of range")
    return number


def _option(opts: Options, ch: str, value: str, ctx: ToolContext) -> None:
    if ch == "c":
        opts.count = _number(value, 1, MAX_COUNT)
    elif ch == "i":
        interval = _float_arg(ctx, value)
        if interval > 2147483647 / 1000:
            raise _fail(f"bad timing interval: {value}")
        opts.interval = max(interval, 0.0)     # a negative one sends at once, as 0
        opts.interval_given = True
    elif ch == "s":
        opts.size = _number(value, 0, 2147483647)
        if opts.size > 65507 + 100000:
            raise _fail(f"invalid argument: '{value}': out of range: 0 <= value <= 2147483647", 1)
    elif ch == "t":
        opts.ttl = _number(value, 0, 255)
    elif ch == "S":
        # -S: SO_SNDBUF, strtol_or_err(optarg, "invalid argument", 1, INT_MAX)
        opts.sndbuf = _number(value, 1, 2147483647)
    elif ch == "W":
        opts.linger = _float_arg(ctx, value, "bad linger time")
        if opts.linger < 0 or opts.linger > 2147483647 / 1000:
            raise _fail(f"bad linger time: {value}")
    elif ch == "w":
        # -w: strtol_or_err(optarg, "invalid argument", 0, INT_MAX) (recorded: the
        # bound printed is INT_MAX)
        opts.deadline = _number(value, 0, 2147483647, float)
    elif ch == "I":
        if ":" in value:
            # main(): an -I with a ':' is an IPv6 source (what follows a '%' its
            # device); inet_pton() refusing it (an alias label such as eth0:1) is
            # fatal at once
            try:
                ipaddress.IPv6Address(value.split("%", 1)[0])
            except ValueError:
                raise _fail(f"invalid source address: {value}") from None
            # (inet_pton() of what precedes the '%': the scope itself is rts.device's
            # name, the source's scope id coming from it in ping6_run(), so the last
            # device named wins: `-I fe80::1%eth0 -I lo` binds fe80::1 on lo)
            address, percent, scope_dev = value.partition("%")
            opts.source6_arg = address
            if percent:
                opts.device_arg = scope_dev
        elif _inet4_literal(value):
            opts.source4_arg = value
        else:
            opts.device_arg = value
        opts.interface = value
    elif ch == "p":
        # main(): kept (the last one wins) for fill() once the options are read
        opts.pattern_text = value
    elif ch == "e":
        # main(): rts.ident = htons(strtoul_or_err(optarg, ..., 0, IDENTIFIER_MAX))
        opts.ident = _number(value, 0, 0xFFFF)
    elif ch == "l":
        # -l: that many echoes leave at once before the interval paces them
        opts.preload = _number(value, 1, 65536)
    elif ch == "Q":
        opts.tos = _parse_tos(value)
    elif ch == "m":
        # -m: SO_MARK on the sockets (sock_setmark()), so the probe connect() and the
        # rules see it; strtoul_or_err(optarg, "invalid argument", 0, UINT_MAX)
        opts.mark = _number(value, 0, 4294967295)
    elif ch == "M":
        # main(): do, dont and want only (no "probe" in this version)
        if value not in ("do", "dont", "want"):
            raise _fail(f"invalid -M argument: {value}")
        opts.pmtudisc = value
        opts.pmtudisc_set = True
    elif ch == "T":
        # main(): -T and -R exclude each other, whichever comes second says so
        if opts.record_route:
            raise _fail("only one of -T or -R may be used")
        if value not in ("tsonly", "tsandaddr", "tsprespec"):
            raise _fail(f"invalid timestamp type: {value}")
        opts.timestamp = value
    elif ch == "F":
        opts.flowlabel = _parse_flow(value)
    elif ch == "N":
        # niquery_option_handler(): `help` prints the list and exits 0; an unknown
        # word is the usage text
        if value == "help":
            ctx.term.out(NIQUERY_HELP)
            raise _Done(0)
        if value not in NIQUERY_OPTIONS and \
                not value.startswith(("subject-ipv6=", "subject-ipv4=", "subject-name=",
                                      "subject-fqdn=")):
            raise CommandError(usage_text("ping_usage", ctx.profile), 2)
        opts.niquery = True


NIQUERY_OPTIONS = ("name", "ipv6", "ipv6-all", "ipv6-compatible", "ipv6-global",
                   "ipv6-linklocal", "ipv6-sitelocal", "ipv4", "ipv4-all")
# niquery_option_handler()'s "help" (ping/node_info.c)
NIQUERY_HELP = ("ping -6 -N <nodeinfo opt>\nHelp:\n  help\nQuery:\n"
                + "".join(f"  {word}\n" for word in NIQUERY_OPTIONS)
                + "Subject:\n  subject-ipv6=addr\n  subject-ipv4=addr\n"
                "  subject-name=name\n  subject-fqdn=name\n")


def _inet4_literal(text: str) -> bool:
    """inet_pton(AF_INET): four dotted decimals, no leading zeros."""
    try:
        return ipaddress.IPv4Address(text) is not None
    except ValueError:
        return False


def _parse_flow(text: str) -> int:
    """parseflow(): hex after 0x, else decimal, the whole word; at most 20 bits."""
    hexa = text[:2] in ("0x", "0X")
    digits = text[2:] if hexa else text
    m = re.match(r"\s*[+-]?([0-9a-fA-F]*)" if hexa else r"\s*[+-]?([0-9]*)", digits)
    if m.end() < len(digits) or not m.group(1) and digits:
        raise _fail(f"bad value for flowinfo: {text}")
    value = int(m.group(0), 16 if hexa else 10) if m.group(1) else 0
    if value & 0xFFFFFFFF & ~0xFFFFF:
        raise _fail(f"flow value is greater than 20 bits: {text}")
    return value


def _parse_tos(text: str) -> int:
    """parsetos(): hex after 0x, else decimal; the whole word, at most 255."""
    hexa = text[:2] in ("0x", "0X")
    digits = text[2:] if hexa else text
    head = digits.lstrip()
    sign = head[:1] if head[:1] in "+-" else ""
    body = head[len(sign):]
    n = 0
    while n < len(body) and body[n] in ("0123456789abcdefABCDEF" if hexa else "0123456789"):
        n += 1
    if n < len(body) or (not n and body):
        raise _fail(f"bad TOS value: {text}")
    tos = int(sign + body[:n], 16 if hexa else 10) if n else 0
    if tos > 255:
        raise _fail(f"the decimal value of TOS bits must be in range 0-255: {tos}")
    return tos


def _flag(opts: Options, ch: str, ctx: ToolContext) -> None:
    if ch == "q":
        opts.quiet = True
    elif ch == "n":
        opts.numeric = True
    elif ch == "v":
        opts.verbose = True
    elif ch == "f":
        # setup(): a flood without -i sends with no interval; -f also means -n
        opts.flood = True
        opts.numeric = True
        if not opts.interval_given:
            opts.interval = 0.0
    elif ch == "b":
        opts.broadcast = True
    elif ch in "46":
        # main(): whichever comes second says so
        if opts.family and opts.family != int(ch):
            raise _fail("only one -4 or -6 option may be specified")
        opts.family = int(ch)
    elif ch == "D":
        opts.timestamps = True
    elif ch == "R":
        if opts.timestamp is not None:
            raise _fail("only one of -T or -R may be used")
        opts.record_route = True
    elif ch == "r":
        opts.dontroute = True
    elif ch == "O":
        opts.outstanding = True
    elif ch == "a":
        opts.audible = True
    elif ch == "A":
        # update_interval(): the interval follows the round trip (~0 here, as a flood
        # without its dots)
        opts.adaptive = True
        if not opts.interval_given:
            opts.interval = 0.0
    elif ch == "B":
        opts.strict_source = True
    elif ch == "V":
        ctx.term.out(ctx.profile["ping_version"])
        raise _Done(0)
    elif ch in "h?":
        raise CommandError(usage_text("ping_usage", ctx.profile), 2)


class _Done(Exception):
    def __init__(self, status: int):
        self.status = status


def resolve(name: str, family: int, session=None):
    """getaddrinfo(): literals, /etc/hosts, then the DNS of the world out there
    (ipemu/tools/resolver.py)."""
    from ipemu.tools.resolver import ResolveError, getaddrinfo
    try:
        # ping.c: hints.ai_flags AI_IDN (iputils built with USE_IDN, as Debian's is)
        return getaddrinfo(session, name, family, idn=True)
    except ResolveError as err:
        raise _fail(f"{name}: {err.text}")


# main()'s -v line of the sockets it made, by the family asked for (root: raw sockets)
_VERBOSE_SOCKETS = {
    0: "ping: sock4.fd: 3 (socktype: SOCK_RAW), sock6.fd: 4 (socktype: SOCK_RAW), "
       "hints.ai_family: AF_UNSPEC\n\n",
    4: "ping: sock4.fd: 3 (socktype: SOCK_RAW), sock6.fd: -1 (socktype: 0), "
       "hints.ai_family: AF_INET\n\n",
    6: "ping: sock4.fd: -1 (socktype: 0), sock6.fd: 3 (socktype: SOCK_RAW), "
       "hints.ai_family: AF_INET6\n\n"}


class _LookupFails(Exception):
    """getaddrinfo() will fail, but only once its DNS queries have waited."""

    def __init__(self, failure: CommandError) -> None:
        super().__init__(failure.message)
        self.failure = failure


class _LookupWait(LookupWait):
    """ping while getaddrinfo() waits for the recording host's nameserver (5 s a
    try, 2 tries; recorded: `ping -c 1 somehost` behind a gateway that does not
    forward says `Temporary failure in name resolution` after 10 s); a signal then
    kills it as the default action does (ping has no handlers yet)."""

    comm = "ping"

    def __init__(self, ctx: ToolContext, name: str, failure: CommandError) -> None:
        super().__init__(ctx, name, failure.message, failure.status)


def _first_of_family(ctx: ToolContext, opts: Options, name: str):
    """main(): the target looked up for both families (dual-stack name resolution,
    iputils issue 252), each result shown with -v (the canonical name on the first),
    the first of the family asked for taken; a last result of the other family is
    EAI_ADDRFAMILY."""
    from ipemu.tools.resolver import (EAI_AGAIN, ForwardLookup, ResolveError,
                                      canonical_name, getaddrinfo_all)
    try:
        found = getaddrinfo_all(ctx.session, name, idn=True)
    except ResolveError as err:
        failure = _fail(f"{name}: {err.text}")
        if err.text == EAI_AGAIN and ForwardLookup.needed_for(ctx, name):
            # the queries go out to the recording host's nameserver and wait for it
            raise _LookupFails(failure)
        raise failure
    canon = canonical_name(ctx.session, name, idn=True)
    for i, addr in enumerate(found):
        if opts.verbose:
            family = "AF_INET" if addr.version == 4 else "AF_INET6"
            ctx.term.out(f"ai->ai_family: {family}, ai->ai_canonname: '{'' if i else canon}'\n")
        if opts.family and addr.version != opts.family:
            if i == len(found) - 1:
                raise _fail(f"{name}: Address family for hostname not supported")
            continue
        return addr
    raise _fail(f"{name}: Address family for hostname not supported")


def resolve_scoped(netns, text: str, family: int):
    """getaddrinfo() of `ADDR%SCOPE`: only an IPv6 literal takes a scope, by interface
    name for link-local and link/node-local multicast addresses, else by number
    (glibc __inet6_scopeid_pton()). The kernel uses the scope of a link-local
    destination only. Returns the address and the device the scope names (or None)."""
    name, _, scope = text.partition("%")
    try:
        addr = ipaddress.IPv6Address(name)
    except ValueError:
        addr = None
    if addr is not None and family == 4:
        raise _fail(f"{text}: Address family for hostname not supported")
    if addr is None:
        raise _fail(f"{text}: Name or service not known")
    link_scoped = addr.is_link_local or (addr.is_multicast and (addr.packed[1] & 0xF) in (1, 2))
    device = netns.by_name(scope) if link_scoped else None
    if device is None:
        index = int(scope) if scope[:1].isdigit() and scope.isdigit() else -1
        if not 0 <= index <= 0xFFFFFFFF:
            raise _fail(f"{text}: Name or service not known")
        device = netns.by_index(index) if link_scoped else None
    return addr, device


_BINDABLE = (RTN.LOCAL, RTN.MULTICAST, RTN.BROADCAST)
CONNECT_ERRORS = {
    Errno.EACCES: "Do you want to ping broadcast? Then -b. If not, check your local firewall rules",
}


# ping/ping.c main(): called as ping4 or ping6 (Debian's symlinks), the family is the
# last letter of the name, as -4 / -6 give it
FAMILY_NAMES = {"ping4": "-4", "ping6": "-6"}


def main(ctx: ToolContext, argv: list[str]):
    name = argv[0].rsplit("/", 1)[-1]
    if name not in FAMILY_NAMES:
        return _main(ctx, argv)
    ctx = replace(ctx, term=Terminal(sink=_Named(ctx.term, name)))
    try:
        return _main(ctx, ["ping", FAMILY_NAMES[name]] + argv[1:])
    except CommandError as err:
        raise CommandError(err.message.replace("ping: ", f"{name}: "), err.status)


@dataclass
class _Named:
    """error() names the program as it was called: `ping6: ...` on stderr."""

    inner: Terminal
    name: str

    def write(self, stream: str, text: str) -> bool:
        if stream == "stderr":
            text = text.replace("ping: ", f"{self.name}: ")
        self.inner.write(stream, text)
        return True


def _main(ctx: ToolContext, argv: list[str]):
    try:
        opts = parse(argv, ctx)
    except _Done as done:
        return done.status
    name, _, scope = opts.destination.partition("%")
    if opts.verbose and opts.ident == 0:
        # main(): an identifier 0 cannot be a ping socket's port
        ctx.term.err("ping: WARNING: ident 0 => forcing raw socket\n")
    if opts.verbose:
        # main(): the raw sockets root gets (one of the family asked for, else both),
        # before the lookup
        ctx.term.err(_VERBOSE_SOCKETS[opts.family])
    if scope:
        dst, device = resolve_scoped(ctx.netns, opts.destination, opts.family)
        if opts.verbose:
            ctx.term.out(f"ai->ai_family: AF_INET6, ai->ai_canonname: '{opts.destination}'\n")
    else:
        try:
            dst, device = _first_of_family(ctx, opts, name), None
        except _LookupFails as waiting:
            return _LookupWait(ctx, name, waiting.failure).start()
    opts.hostname = opts.destination
    if dst.version == 4 and not scope and not _is_literal(name):
        # ping4_run(): a target inet_aton() does not take is shown by the canonical
        # name getaddrinfo() gave (recorded: `ping LOCALHOST` is PING localhost,
        # `ping １２７.０.０.１` PING 127.0.0.1)
        from ipemu.tools.resolver import canonical_name
        opts.hostname = canonical_name(ctx.session, name, (4,), idn=True)
    if dst.version == 6 and opts.hops:
        # ping6_run(): an IPv6 target takes no hops
        raise CommandError(usage_text("ping_usage", ctx.profile), 2)
    stack = ctx.netns.stack
    if dst.version == 4 and not opts.pmtudisc_set and \
            ctx.netns.sysctls.get("net.ipv4.ip_no_pmtu_disc", "0") != "0":
        # inet_create(): a new socket's pmtudisc is IP_PMTUDISC_DONT while
        # ip_no_pmtu_disc is set, no DF (recorded: tutorials41c_pmtu_sysctls)
        opts.pmtudisc = "dont"
    if dst.version == 4 and (opts.broadcast or dst.is_multicast) and not opts.pmtudisc_set:
        # ping4_run(): "broadcast ping does not fragment": with -b (whatever the
        # destination) or to a group, an unset -M is IP_PMTUDISC_DO (recorded, fuzz42:
        # `ping -b -s 1423` over a vxlan of MTU 1450 is a local EMSGSIZE error)
        opts.pmtudisc = "do"
    source = scoped_source = None
    # rts->device: the -I name as given, or the scope of `-I ADDR%DEV` (main()'s -I
    # takes what follows the '%' as the device); None for a plain address
    device_named = None
    # -I ADDR of the destination's family (or of the other one, which binds nothing)
    source_arg = (opts.source6_arg if dst.version == 6 else opts.source4_arg) or \
        opts.source4_arg or opts.source6_arg
    if source_arg is not None:
        source = ipaddress.ip_address(source_arg)
    if opts.device_arg is not None:
        device_named = opts.device_arg
        # ping4: SO_BINDTODEVICE, whose name sock_setbindtodevice() cuts to
        # IFNAMSIZ-1 bytes; ping6: if_nametoindex(), ENODEV for a name that long.
        # Either finds an altname too (netdev_name_node_lookup()): recorded, case
        # tutorials37b_altname_ping
        name = opts.device_arg
        lookup = name if dst.version == 6 and len(name) < 16 else \
            None if dst.version == 6 else name[:15]
        device = ctx.netns.by_name(lookup) if lookup else None
        if device is None and dst.version == 6:
            # ping6_run(): if_name2index() before the probe socket's setsockopt
            raise _fail(f"unknown iface: {name}")
        if device is None:
            raise _fail(f"SO_BINDTODEVICE {name}: No such device")
    if source is not None and source.version != dst.version:
        # ping.c keeps -I ADDR as source or source6 by its family: the socket of the
        # other family is not bound (the header still says `from SRC :`)
        source = None
    if source is not None and source.version == 6 and not source.scope_id and \
            opts.device_arg is not None and device is not None and (
                source.is_link_local or source.is_multicast and source.packed[1] & 0x0F == 2):
        # ping6_run(): a link-scope source6 takes -I DEV's index (rts->device, never a
        # destination's %scope) as its scope id
        source = ipaddress.IPv6Address(f"{source}%{device.name}")
    if source is not None and source.version == 6 and source.is_link_local and \
            not source.scope_id:
        # inet6_bind(): a link-local address needs a scope (sk_bound_dev_if) to bind to
        raise _fail("bind icmp socket: Invalid argument")
    if source is not None and source.version == 6:
        # ping6_run(): bind() fails for an address that is not ours or still tentative
        # (an optimistic one is usable: __ipv6_chk_addr_and_flags() drops
        # IFA_F_TENTATIVE from an IFA_F_OPTIMISTIC address's flags, recorded);
        # `-I ADDR%DEV` binds to DEV too (sin6_scope_id), as its header says
        scoped = None
        if source.scope_id:
            device_named = device_named or source.scope_id
            scoped = ctx.netns.by_name(source.scope_id)
            if scoped is not None and device is None:
                device = scoped
        # inet6_bind(): an address that needs a scope is looked up on the scope's
        # device only (recorded: `-I veth0 -I fe80::..%lo`, the last device lo, has
        # veth0's link-local refused; case ipv6n49_ping_I_twice)
        on = [scoped] if scoped is not None and source.is_link_local else \
            ctx.netns.device_list()
        usable = {i.address for d in on for i in ctx.netns.ifa6(d)
                  if not i.tentative or i.optimistic}
        if ipaddress.IPv6Address(int(source)) not in usable and \
                not _nonlocal_bind(ctx.netns, 6):
            raise _fail("bind icmp socket: Cannot assign requested address")
        if source.scope_id:
            scoped_source = source
            source = ipaddress.IPv6Address(int(source))
    elif source is not None and source not in ctx.netns.local_addresses() and \
            not _nonlocal_bind(ctx.netns, 4) and \
            ctx.netns.inet_addr_type_dev_table(None, source) not in _BINDABLE:
        # inet_addr_valid_or_nonlocal(): local, multicast or broadcast; with no local
        # table yet (no IPv4 address so far) every address types as BROADCAST
        # (__inet_dev_addr_type()) and binds (recorded, fuzz41 seed 490463)
        raise _fail("bind: Cannot assign requested address")
    shown_dst = None
    if dst.version == 4 and not int(dst):
        dst = _any_destination(ctx.netns, source, device)
    elif dst.version == 6 and not int(dst):
        # rawv6_sendmsg(), __ip6_datagram_connect(): "::" means loopback (BSD'ism);
        # ping6 keeps showing "::"
        shown_dst, dst = dst, ipaddress.IPv6Address(1)
    if opts.hops and dst.version == 4 and opts.timestamp:
        # ping4_run(): hosts before the destination are tsprespec's addresses (at most
        # four), any other -T type takes none
        if opts.timestamp != "tsprespec" or len(opts.hops) + 1 > 5:
            raise CommandError(usage_text("ping_usage", ctx.profile), 2)
        opts.prespec = [resolve(hop, 4, ctx.session) for hop in opts.hops]
        opts.hops = []
    if opts.hops and dst.version == 4:
        # ping4_run(): every host is looked up, the probe socket connects to the
        # first one, then setsockopt(IP_OPTIONS) of the loose source route is refused
        # on this machine (recorded: "record route: Operation not permitted")
        if getattr(opts, "record_route", False) or len(opts.hops) >= 10:
            raise CommandError(usage_text("ping_usage", ctx.profile), 2)
        first = resolve(opts.hops[0], 4, ctx.session)
        for hop in opts.hops[1:]:
            resolve(hop, 4, ctx.session)
        try:
            stack.connect_source(first, device, source, mark=opts.mark)
        except KernelError as err:
            raise _fail(CONNECT_ERRORS.get(err.errno, f"connect: {strerror(err.errno)}"))
        raise _fail("record route: Operation not permitted")
    # a v4-mapped destination (::ffff:a.b.c.d) with no source given
    mapped = dst.ipv4_mapped if dst.version == 6 and source is None else None
    try:
        # ping's probe socket: a UDP connect() to port 1025 (ping.c), which
        # xfrm_lookup() sees as that flow
        warned = False
        try:
            if mapped is not None:
                # __ip6_datagram_connect(): a v4-mapped destination is connected by
                # __ip4_datagram_connect() (an IPv4 route to the embedded address),
                # the source becoming the IPv4 one, mapped
                chosen = ipaddress.IPv6Address(b"\0" * 10 + b"\xff\xff" + stack.connect_source(
                    mapped, device, None, broadcast=False, mark=opts.mark,
                    flow=(17, 0, 1025), tos=opts.tos).packed)
            else:
                chosen = stack.connect_source(dst, device, source, broadcast=False,
                                              mark=opts.mark, flow=(17, 0, 1025),
                                              tos=opts.tos)
        except KernelError as err:
            if err.errno != Errno.EACCES or not opts.broadcast or dst.version != 4:
                raise
            # ping4_run(): an EACCES connect() with -b prints the warning, sets
            # SO_BROADCAST and connects again, whose error is `connect: ...` (a
            # prohibit rule or route says EACCES for any address; recorded, fuzz41
            # seed 490443)
            ctx.term.err("WARNING: pinging broadcast address\n")
            warned = True
            chosen = stack.connect_source(dst, device, source, broadcast=True,
                                          mark=opts.mark, flow=(17, 0, 1025), tos=opts.tos)
    except KernelError as err:
        if source is None and dst.version == 6 and err.errno == Errno.EADDRNOTAVAIL and (
                dst.is_link_local or dst.is_multicast and dst.packed[1] & 0x0F == 2):
            # ping6_run(): the probe's connect() to a link-scope destination has no
            # sin6_family (AF_UNSPEC: a disconnect), so no missing source refuses it
            # (recorded: `ping -6 -c 1 fe80::1` while every address is tentative
            # sends its echo and waits)
            chosen = ipaddress.IPv6Address("::")
        else:
            # (ping6_run() has no broadcast advice: `connect: Permission denied` for
            # a prohibit route or rule; fuzz41 seed 490896)
            text = f"connect: {strerror(err.errno)}" if warned or dst.version == 6 else \
                CONNECT_ERRORS.get(err.errno, f"connect: {strerror(err.errno)}")
            raise _fail(text)
    if opts.broadcast and dst.version == 4 and source is None and stack.is_broadcast(dst) \
            and not warned:
        # ping4_run(): the probe connect() whose EACCES prints the warning runs only
        # without a source (-I ADDR skips it; recorded: tutorials40c_rp_filter_broadcast)
        ctx.term.err("WARNING: pinging broadcast address\n")
    if opts.ttl == 0 and dst.version == 4:
        # ping4_run(): IP_MULTICAST_TTL takes 0, IP_TTL refuses it (do_ip_setsockopt())
        raise _fail("cannot set unicast time-to-live: Invalid argument")
    chosen_shown = chosen
    if device is not None and device_named is not None and \
            (opts.source6_arg if dst.version == 6 else opts.source4_arg) is None:
        # ping4_run()/ping6_run(): the check follows the probe that picks a source,
        # made only when -I gave none of the destination's family
        # (the warning names rts->device: none for -I ADDR, whatever the family, with
        # a scoped destination; recorded, fuzz41 seeds 490496, 490579)
        # getifaddrs(): an IPv4 address is named by its label (IFA_LABEL: an alias
        # eth0:1's address is not eth0's for this check)
        own = {i.local for i in ctx.netns.ifa4(device) if i.label == device.name} \
            if dst.version == 4 else {i.local for i in ctx.netns.ifa6(device)}
        # ping6 picks no source for a link-local destination, unicast or multicast
        # (IN6_IS_ADDR_LINKLOCAL / IN6_IS_ADDR_MC_LINKLOCAL), reached through -I DEV
        unbound = dst.version == 6 and (dst.is_link_local or
                                        dst.is_multicast and dst.packed[1] & 0x0F == 2)
        # getifaddrs() names each address by its device's name: an altname given to -I
        # matches none of them
        named = device_named if device_named is not None else device.name
        if unbound or chosen not in own or named != device.name:
            ctx.term.err(f"ping: Warning: source address might be selected on device other "
                         f"than: {named}\n")
        if unbound:
            chosen_shown = ipaddress.IPv6Address("::")
    elif source is None and dst.version == 6 and (
            dst.is_link_local or dst.is_multicast and dst.packed[1] & 0x0F == 2):
        # ping6_run(): the probe socket's connect() to a link-scope destination has no
        # sin6_family (it is set for the others only): no source comes back (-B shows ::)
        chosen_shown = ipaddress.IPv6Address("::")
    if scoped_source is not None:
        chosen_shown = scoped_source      # pr_addr() of source6: its %scope too
    proc = PingProcess(ctx, opts, dst, chosen, device)
    proc.device_named = device_named
    # (IPv4 only: IPv6's raw sockets route the echoes whatever SO_DONTROUTE says;
    # recorded, fuzz41 seeds 490910, 490929)
    proc.offlink = opts.dontroute and dst.version == 4 and _behind_gateway(ctx.netns, dst)
    # -N: node information queries (RFC 4620) go unanswered: no kernel answers them,
    # ninfod is not installed (the query itself is not modelled on the wire)
    proc.offlink = proc.offlink or (opts.niquery and dst.version == 6)
    # a v4-mapped destination: the raw ICMPv6 socket's echo finds no IPv6 route to
    # it, yet sendmsg() reports no error; nothing reaches the wire (recorded: counted
    # as sent, no reply, no ARP either)
    proc.offlink = proc.offlink or mapped is not None
    # a link-scope destination whose numeric scope names no device here: rawv6_sendmsg()
    # takes sin6_scope_id as the flow's oif, which no route matches; the echo is counted,
    # no error is shown and nothing reaches a wire (recorded: `ping6 -c 1 fe80::..%7`
    # with no ifindex 7 waits out its linger, 100% loss; case ipv6n49_ping_multicast_ll)
    proc.offlink = proc.offlink or (
        bool(scope) and dst.version == 6 and device is None and opts.device_arg is None and
        (dst.is_link_local or dst.is_multicast and dst.packed[1] & 0x0F == 2))
    proc.shown_source = chosen_shown
    proc.shown_dst = shown_dst
    proc.scope = scope
    return proc.start()


def _any_destination(ns, source, device) -> ipaddress.IPv4Address:
    """ip_route_output_key_hash_rcu(): a flow to 0.0.0.0 goes to its own source (an
    oif's inet_select_addr() for RT_SCOPE_HOST when none is bound), else to 127.0.0.1
    over lo; ping4_run() then takes the source it found as its destination."""
    if source is not None:
        return source
    if device is not None:
        for ifa in ns.ifa4(device):
            if not ifa.secondary and ifa.scope <= 254:      # RT_SCOPE_HOST
                return ifa.local
    return ipaddress.IPv4Address("127.0.0.1")


def _behind_gateway(ns, dst) -> bool:
    """-r: SO_DONTROUTE makes raw_sendmsg() ask for a link route (RTO_ONLINK); a
    destination reached through a gateway has none, and its echoes never leave
    (recorded: counted as sent, no error, no reply)."""
    try:
        route, _ = ns.lookup(dst)
    except KernelError:
        return False
    return getattr(route, "gateway", None) is not None


def _is_literal(name: str) -> bool:
    from ipemu.tools.resolver import inet_aton
    try:
        ipaddress.ip_address(name.partition("%")[0])
        return True
    except ValueError:
        return inet_aton(name) is not None     # `ping 1.1`, `ping 127.1`


def format_rtt(us: int) -> str:
    if us >= 100000 - 50:
        return f"{(us + 500) // 1000}"
    if us >= 10000 - 5:
        return f"{(us + 50) // 1000}.{((us + 50) % 1000) // 100}"
    if us >= 1000:
        return f"{(us + 5) // 1000}.{((us + 5) % 1000) // 10:02d}"
    return f"{us // 1000}.{us % 1000:03d}"


class PingProcess(Process):
    comm = "ping"

    def __init__(self, ctx: ToolContext, opts: Options, dst, source, device):
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.opts = opts
        self.raw_sockets = []
        self.dst = dst
        self.shown_dst = None
        self.source = source
        self.device = device
        self.clock = ctx.host.clock
        self.timing = opts.size >= 8 + 8   # room for the timestamp (struct timeval)
        self.ntransmitted = self.nreceived = self.nerrors = self.nrepeats = 0
        self.pipesize = -1
        self.acked = 0
        self.tmin = 1 << 62
        self.tmax = self.tsum = self.tsum2 = 0
        # by 16-bit sequence number, as the echo carries it (rcvd_tbl has MAX_DUP_CHK
        # bits): whatever the count, at most 65,536 of each
        self.sent_at: dict[int, float] = {}
        self.received: set[int] = set()
        self.rtt = 0                       # the ewma of the round trip, times 8 (us)
        self.start_time = None
        self.last_send = None
        self.timers = []
        self.send_timer = None
        self.exit_timer = None
        # -e, else random for a raw socket (main(): rts.ident = -1, then
        # ping4_run()/ping6_run(): getpid() & 0xFFFF or random)
        self.ident = opts.ident if opts.ident is not None else ctx.host.rng.getrandbits(16)
        self.socket = None
        self.shown_source = source
        self.device_named = None        # rts->device: the -I name (or ADDR%DEV's DEV)
        self.scope = ""
        self.old_rr: list = []
        self.offlink = False          # -r towards a destination behind a gateway
        # ping -R: the IP options every echo request carries
        self.options = record_route_option() if opts.record_route and dst.version == 4 \
            else b""
        if opts.timestamp and dst.version == 4:
            # ping -T: the timestamp option (ping4_run()), prespecified hops resolved
            flag = {"tsonly": IPOPT_TS_TSONLY, "tsandaddr": IPOPT_TS_TSANDADDR,
                    "tsprespec": IPOPT_TS_PRESPEC}[opts.timestamp]
            self.options = timestamp_option(flag, getattr(opts, "prespec", []))

    # ------------------------------------------------------------------ life
    def _open_raw_sockets(self) -> None:
        """main(): root's raw sockets, one of the family asked for (fd 3), else both
        (IPv4 fd 3, IPv6 fd 4), open while ping runs (recorded: ss -wan lists
        0.0.0.0:1 and *:58 during `ping 127.0.0.1`, *:58 only with -6)."""
        stack = self.ctx.netns.stack
        family = self.opts.family
        wanted = [(4, 1), (6, 58)] if family == 0 else [(4, 1)] if family == 4 else [(6, 58)]
        self.raw_sockets = [stack.open_raw_socket(fam, proto, self, 3 + i)
                            for i, (fam, proto) in enumerate(wanted)]

    def start(self) -> "PingProcess":
        o = self.opts
        self._open_raw_sockets()
        name = o.hostname if o.hostname is not None else o.destination
        shown = self.shown_source
        if self.dst.version == 4:
            head = f"PING {name} ({self.dst}) "
            if o.interface is not None or o.strict_source:
                # rts->device: the name as given (an altname stays one)
                named = (self.device_named if self.device_named is not None else
                         self.device.name) if self.device else ""
                head += f"from {shown} {named}: "
            # the IP header carries the 40 bytes of the RR option with -R
            header = 28 + (MAX_IPOPTLEN if o.record_route or o.timestamp else 0)
            head += f"{o.size}({o.size + header}) bytes of data.\n"
        else:
            dst = self.shown_dst or self.dst
            # pr_addr(): getnameinfo(NI_NUMERICHOST) of the sockaddr, whose scope id
            # a link-local address shows by its interface's name (`%3` as `%eth1p`)
            # (the scope's device, not -I's: `-I lo fe80::1%v0` shows %v0, recorded)
            # (inet_ntop(): a v4-mapped address ends in dotted IPv4)
            target = f"{dst}%{self.scope}" if self.scope else ntop(dst)
            if self.scope and dst.version == 6 and \
                    (dst.is_link_local or dst.is_multicast and dst.packed[1] & 0x0F == 2):
                netns = self.ctx.netns
                scoped = netns.by_name(self.scope) or \
                    (netns.by_index(int(self.scope)) if self.scope.isdigit() else None)
                if scoped is not None:
                    target = f"{dst}%{scoped.name}"
            head = f"PING {name}({target}) "
            if o.flowlabel:
                head += f", flow 0x{o.flowlabel:05x}, "     # ping6_run()
            if o.interface is not None or o.strict_source:
                # rts->device: the -I name, not a scope's device
                named = self.device_named if self.device and \
                    self.device_named is not None else ""
                head += f"from {ntop(shown)} {named}: "
            head += f"{o.size} data bytes\n"
        self._hold(head)
        self.socket = self.ctx.netns.stack.open_ping_socket(
            self.dst.version, self.ident, self.device, self._on_reply, self._on_error)
        self.socket.mark = o.mark       # SO_MARK: the echoes' skb->mark
        self.socket.flowlabel = o.flowlabel
        if o.deadline:
            self.timers.append(self.clock.call_later(o.deadline, self, "_finish"))
        self._send()
        return self

    def cleanup(self) -> None:
        for timer in self.timers + [self.send_timer]:
            self.clock.cancel(timer)
        if self.exit_timer is not None:
            self.clock.cancel(self.exit_timer)
        if self.socket is not None:
            self.socket.close()
        for raw in self.raw_sockets:
            self.ctx.netns.stack.close_raw_socket(raw)
        self.raw_sockets = []

    def blocked(self) -> bool:
        return False

    def signal(self, signum: int) -> None:
        # iputils catches SIGINT and SIGALRM (sigexit()) only: SIGTERM (kill, coreutils
        # timeout) ends it without its statistics (recorded:
        # transcripts/packets/ping_sigterm)
        if signum == SIGINT:
            self._finish()
        elif signum == SIGQUIT and not self.done:
            self._status()              # sigstatus(): a snapshot, and ping goes on
        else:
            super().signal(signum)

    def _status(self) -> None:
        """status() (ping_common.c), on SIGQUIT (Ctrl-\\): the counts so far on
        stderr, from the start of the line."""
        loss = (self.ntransmitted - self.nreceived) * 100 // self.ntransmitted \
            if self.ntransmitted else 0
        text = f"\r{self.nreceived}/{self.ntransmitted} packets, {loss}% loss"
        if self.nreceived and self.timing:
            avg = self.tsum // (self.nreceived + self.nrepeats)
            text += (f", min/avg/ewma/max = {self.tmin // 1000}.{self.tmin % 1000:03d}/"
                     f"{avg // 1000}.{avg % 1000:03d}/{self.rtt // 8000}."
                     f"{(self.rtt // 8) % 1000:03d}/{self.tmax // 1000}.{self.tmax % 1000:03d} ms")
        self.term.err(text + "\n")

    # --------------------------------------------------------------- sending
    def _send(self) -> None:
        if self.done:
            return
        o = self.opts
        now = self.clock.now
        if self.start_time is None:
            self.start_time = now
        self.last_send = now
        if o.outstanding and self.ntransmitted and \
                (self.ntransmitted & 0xFFFF) not in self.received:
            self._out(f"{self._timestamp()}no answer yet for "
                          f"icmp_seq={self.ntransmitted % MAX_DUP_CHK}\n")
        # the echo's sequence is 16 bits (htons(ntransmitted + 1)): it wraps to 0
        seq = (self.ntransmitted + 1) & 0xFFFF
        self.sent_at[seq] = now
        self.received.discard(seq)          # rcvd_clear()
        err = None if self.offlink else self.socket.send_echo(
                                    self.dst, seq, o.size, o.ttl, self.source,
                                    pattern=o.pattern, dont_fragment=o.pmtudisc == "do",
                                    df=o.pmtudisc != "dont",
                                    tos=o.tos, options=self.options,
                                    stamp=self.clock.wall if self.timing else None)
        # pinger(): the dot is for a probe send_probe() sent (i == 0); a failed one
        # goes to hard_local_error, which prints "E" only for i == 0
        sent = err is None
        if sent:
            self.oom_count = 0          # pinger(): a probe that went resets it
        if err is not None and err[0] == Errno.ENOBUFS:
            if self._out_of_buffers():
                return
            err = None          # a hard local error: the echo counts as sent
        self.ntransmitted += 1
        if err is not None and err[1] is None:
            # pinger(): receive_error_msg() found nothing queued (it returns
            # -local_errors), so hard_local_error prints nothing and counts no error
            err = None
        if err is not None:
            self._local_error(err)
            if self._local_error_wait():
                return
        elif sent and o.flood and not o.quiet:
            self._out(".")              # pinger(): a dot per echo sent
        if self._check_done():
            return
        if not o.count or self.ntransmitted < o.count or o.deadline:
            # with a deadline ping keeps sending until enough replies came
            if self.ntransmitted < o.preload:
                # pinger()'s token bucket starts with interval * (preload - 1)
                self.send_timer = self.clock.call_later(0, self, "_send")
                return
            if not o.interval:
                # pinger() with no interval: the next echo goes when the reply is in
                # (_flood_tick), else MIN_INTERVAL_MS after this one
                self._flood_timer(now + MIN_INTERVAL_MS / 1000)
                return
            # ping's own work per interval (the profile's ping_interval_drift)
            drift = self.ctx.profile["ping_interval_drift"]
            self.send_timer = self.clock.call_later(o.interval * (1 + drift), self, "_send")
            return
        if not o.deadline and self.exit_timer is None:
            if self.nreceived:
                wait = max(2 * self.tmax / 1e6, o.interval)
            else:
                wait = o.linger
                if int(wait * 1000) == 0:
                    # schedule_exit(): a waittime of 0 (lingertime in whole ms, `-W 0.0001`
                    # or the 0 of `-W abc`) sets a zero itimer, which disarms it: ping
                    # waits for its replies with no end
                    return
            self.exit_timer = self.clock.call_later(wait, self, "_finish")

    def in_flight(self) -> int:
        """in_flight(): echoes sent and not yet answered."""
        diff = (self.ntransmitted - self.acked) & 0xFFFF
        return diff if diff <= 0x7FFF else self.ntransmitted - self.nreceived - self.nerrors

    def _flood_tick(self) -> None:
        """pinger() with no interval (iputils ping_common.c, preload 1): send at once when
        nothing is in flight; else wait until MIN_INTERVAL_MS after the last echo (an
        unanswered flood sends 100 a second)."""
        o = self.opts
        if self.done or (o.count and self.ntransmitted >= o.count and not o.deadline):
            return
        if self.in_flight() >= 1:
            # whole milliseconds since the last echo, counted from whole microseconds
            # (virtual seconds are floats: 0.03 - 0.02 is not quite 0.01)
            since = round((self.clock.now - self.last_send) * 1e6) // 1000 \
                if self.last_send is not None else 0
            if since < MIN_INTERVAL_MS:
                self._flood_timer(self.last_send + MIN_INTERVAL_MS / 1000)
                return
        self._send()

    def _flood_timer(self, when: float) -> None:
        """pinger()'s wait: _flood_tick at `when` at the latest. A pending timer due
        sooner stays (it looks again when it fires, and waits on from there): a flood
        whose replies come at once makes one timer per MIN_INTERVAL_MS, not one an
        echo."""
        timer = self.send_timer
        if timer is not None and not timer.cancelled and \
                self.clock.now < timer.when <= when and timer.action == "_flood_tick":
            return
        self.clock.cancel(timer)
        self.send_timer = self.clock.call_at(when, self, "_flood_tick")

    def _after_receive(self) -> None:
        """main_loop(): with nothing left in flight, back to pinger() at once."""
        if not self.done and not self.opts.interval and self.in_flight() == 0:
            if self.clock.idle_now():
                # the event would run next anyway: pinger() at once, as main_loop()
                # calls it, without a clock event an echo
                self._flood_rounds()
                self._flood_tick()
            else:
                self.clock.call_later(0, self, "_flood_tick")

    def _flood_rounds(self) -> None:
        """A flood between replies that come at once: each echo goes the instant the
        last reply is in (main_loop() -> pinger()), so while nothing else is due the
        socket makes the next round trips at once (PingSocket.echo_rounds()) and they
        are counted here as _send() and _on_reply() count each one: the sequence,
        sent_at and the received table, pipesize and acked, the round trips'
        statistics, a dot and its backspace. It stops one echo short of the count;
        what it cannot take
        (options, -O, a deadline, a preload, an echo not on the flow) goes on as
        before."""
        o = self.opts
        timer = self.send_timer
        now = self.clock.now
        if not o.flood or not o.count or o.deadline or o.outstanding or o.preload > 1 or \
                self.offlink or self.options or o.pmtudisc in ("do", "dont") or \
                self.dst.version != 4 or \
                timer is None or timer.cancelled or timer.action != "_flood_tick" or \
                not now < timer.when <= now + MIN_INTERVAL_MS / 1000:
            return
        # the last echo's send (its exit timer) and the reply that completes the count
        # (_check_done()) are the usual path's
        limit = min(o.count - self.ntransmitted, o.count - self.nreceived - self.nerrors) - 1
        arrivals = self.socket.echo_rounds(self.dst, o.size, self.source, o.tos,
                                           o.pattern, limit)
        if not arrivals:
            return
        sent_at, received = self.sent_at, self.received
        ntransmitted, acked, pipesize = self.ntransmitted, self.acked, self.pipesize
        timing = self.timing
        tsum, tsum2, tmin, tmax, rtt = self.tsum, self.tsum2, self.tmin, self.tmax, self.rtt
        sent = now
        for arrival in arrivals:
            # _send()
            seq = (ntransmitted + 1) & 0xFFFF
            sent_at[seq] = sent
            received.discard(seq)
            ntransmitted += 1
            # _on_reply(): _acknowledge() of an echo just sent (diff 0)
            if pipesize < 1:
                pipesize = 1
            if ((seq - acked) & 0xFFFF) < 0x8000 and seq != acked:
                acked = seq
            if timing:
                triptime = round((arrival - sent) * 1e6)
                if triptime < 0:
                    triptime = 0
                tsum += triptime
                tsum2 += triptime * triptime
                if triptime < tmin:
                    tmin = triptime
                if triptime > tmax:
                    tmax = triptime
                rtt = triptime * 8 if not rtt else rtt + triptime - rtt // 8
            received.add(seq)
            self.last_send = sent
            sent = arrival
        k = len(arrivals)
        self.ntransmitted, self.acked, self.pipesize = ntransmitted, acked, pipesize
        self.tsum, self.tsum2, self.tmin, self.tmax, self.rtt = tsum, tsum2, tmin, tmax, rtt
        self.nreceived += k
        if not o.quiet:
            self._out((".\b \b\a" if o.audible else ".\b \b") * k)

    def _local_error_wait(self) -> bool:
        """main_loop() checks its exit conditions only before pinger(): after a send that
        failed (hard_local_error, counted by receive_error_msg()) it first waits in
        recvmsg() for SO_RCVTIMEO, SCHINT(interval), unless something arrives. True when
        that error completed the count: the exit is then that wait away."""
        o = self.opts
        if o.deadline or not o.count or self.nreceived + self.nerrors < o.count:
            return False
        if self.exit_timer is None:
            wait = max(o.interval, MIN_INTERVAL_MS / 1000)   # SCHINT()
            self.exit_timer = self.clock.call_later(wait, self, "_finish")
        return True

    oom_count = 0

    def _out_of_buffers(self) -> bool:
        """pinger() when sendmsg() failed with ENOBUFS (the device dropped the echo):
        no token, and another try SCHINT(interval / 2) later (at most 500 ms) while
        oom_count tries of that stay under the linger time (True); then a hard local
        error: sendmsg's error printed ("E" when flooding), the echo counted as sent."""
        o = self.opts
        self.oom_count += 1
        nores = max(min(int(o.interval * 1000) // 2, 500), MIN_INTERVAL_MS)
        if self.oom_count * nores < o.linger * 1000:
            # the try after nores_interval meets pinger()'s token bucket first (emptied:
            # tokens = 0), which holds it until a whole interval since this one
            # (recorded: ping -c 1 -W 1 tries at 0 and 1 s, `time 1000ms`)
            wait = max(nores / 1000, o.interval)
            self.send_timer = self.clock.call_later(wait, self, "_send")
            return True
        if o.flood and not o.quiet:
            self._out("E")
        elif not o.quiet:
            self._fflush()      # error() flushes stdout first
            self.term.err(f"ping: sendmsg: {strerror(Errno.ENOBUFS)}\n")
        return False

    def _local_error(self, err: tuple[int, int]) -> None:
        errno, info = err
        if self.opts.flood and not self.opts.quiet:
            self._out("E")
        elif not self.opts.quiet:
            self._fflush()      # glibc's error() flushes stdout first
            if errno == Errno.EMSGSIZE:
                # ping4_receive_error_msg(): "mtu=%u"; ping6_receive_error_msg(): "mtu: %u"
                sep = "=" if self.dst.version == 4 else ": "
                self.term.err(f"ping: local error: message too long, mtu{sep}{info}\n")
            else:
                self.term.err(f"ping: local error: {strerror(errno)}\n")
        self.nerrors += 1

    # -------------------------------------------------------------- receiving
    def _acknowledge(self, seq: int) -> None:
        diff = (self.ntransmitted - seq) & 0xFFFF
        if diff <= 0x7FFF:
            if diff >= self.pipesize:
                self.pipesize = diff + 1        # max(pipesize, diff + 1)
            if ((seq - self.acked) & 0xFFFF) < 0x8000 and seq != self.acked:
                self.acked = seq

    def _on_reply(self, src, seq: int, ttl: int, size: int, dev=None,
                  options: bytes = b"") -> None:
        if self.done:
            return
        self.nreceived += 1
        self._acknowledge(seq)
        triptime = 0
        if self.timing and seq in self.sent_at:
            triptime = round((self.clock.now - self.sent_at[seq]) * 1e6)
            if triptime < 0:
                triptime = 0
            self.tsum += triptime
            self.tsum2 += triptime * triptime
            if triptime < self.tmin:
                self.tmin = triptime
            if triptime > self.tmax:
                self.tmax = triptime
            # gather_statistics(): the ewma of the round trip, kept times 8
            self.rtt = triptime * 8 if not self.rtt else self.rtt + triptime - self.rtt // 8
        dup = seq in self.received
        if dup:
            self.nrepeats += 1
            self.nreceived -= 1
        self.received.add(seq)
        if self.opts.flood and not self.opts.quiet:
            # a backspace over the echo's dot (write_stdout()); ping4_parse_reply()'s
            # putchar('\a') and fflush() after it
            self._out("\b \b\a" if self.opts.audible else "\b \b")
        elif not self.opts.quiet:
            who = str(src)
            arrival = self.device or dev
            if src.version == 6 and src.is_link_local and arrival is not None:
                who = f"{src}%{arrival.name}"   # the scope id of the arrival device
            if not _is_literal(self.opts.destination) and not self.opts.numeric and \
                    src == self.dst:
                # pr_addr(): getnameinfo() of the source, the address itself without one
                from ipemu.tools.resolver import getnameinfo
                who = f"{getnameinfo(self.ctx.session, src) or src} ({src})"
            line = f"{self._timestamp()}{size} bytes from {who}: icmp_seq={seq}"
            if self.opts.verbose:
                line += f" ident={self.ident}"
            line += f" ttl={ttl}"
            if self.timing:
                line += f" time={format_rtt(triptime)} ms"
            # gather_statistics(): a duplicate is marked unless rts->multicast (a
            # multicast group, or -b for IPv4: ping4_run()), save with -v
            multicast = self.dst.is_multicast or (self.dst.version == 4 and
                                                  self.opts.broadcast)
            if dup and (not multicast or self.opts.verbose):
                line += " (DUP!)"
            if self.opts.audible:
                # ping4_parse_reply() / ping6_parse_reply(): putchar('\a') after
                # gather_statistics()'s text, before pr_options() and the newline
                line += "\a"
            if (self.opts.record_route or self.opts.timestamp) and self.dst.version == 4:
                line += self._pr_options(options)
            self._out(line + "\n")
        elif getattr(self, "unflushed", ""):
            self._out("")              # -q: the reply's fflush() still writes the PING line
        if not self._check_done():
            self._after_receive()

    def _route_device(self):
        """The device the route to the destination leaves by (an error from a
        link-local router address comes in there)."""
        try:
            route, _ = self.ctx.netns.lookup(self.dst)
        except KernelError:
            return None
        return self.ctx.netns.by_index(route.oif)

    def _on_error(self, src, seq: int, error: tuple[int, int] | None,
                  acknowledge: bool = True, dev=None) -> None:
        """An ICMP error (type, code) quoting one of our echoes; None when it came only
        as a raw packet (acknowledged, not counted). ping6 does not acknowledge errors
        (no `pipe` line)."""
        if self.done:
            return
        if acknowledge:
            self._acknowledge(seq)
        if error is None:
            return
        if self.dst.version == 4 and error[0] == P.ICMP_REDIRECT:
            # ping4_parse_reply(): a redirect quoting our echo is shown, not counted
            if not self.opts.quiet:
                self._out(f"{self._timestamp()}From {src}: "
                              f"icmp_seq={seq} {icmp_error_text(*error)}\n")
            return
        text = icmp_error_text(*error) if self.dst.version == 4 else icmp6_error_text(*error)
        self.nerrors += 1
        if self.opts.flood and not self.opts.quiet:
            self._out("\bE")
        elif not self.opts.quiet:
            who = str(src)
            if src.version == 6 and src.is_link_local:
                # pr_addr() with the scope id recvmsg() gave: the arrival device's
                arrival = self.device or dev or self._route_device()
                if arrival is not None:
                    who = f"{src}%{arrival.name}"
            self._out(f"{self._timestamp()}From {who} icmp_seq={seq} {text}\n")
        if not self._check_done(error=True):
            self._after_receive()

    def _pr_options(self, options: bytes) -> str:
        """pr_options() for RR: the addresses, or `(same route)` when they are those of
        the reply before (its static old_rr); for a timestamp option its stamps."""
        if self.opts.timestamp:
            return self._pr_timestamps(options)
        route = recorded_route(options)
        if not route:
            return ""
        if route == self.old_rr:
            return "\t(same route)"
        self.old_rr = route
        return "\nRR: " + "".join(f"\t{self._pr_addr(addr)}\n" for addr in route)

    def _pr_addr(self, addr) -> str:
        """pr_addr(): `NAME (ADDR)` when the address has a name, the address alone
        under -n or for a numeric target (ping4_run() sets opt_numeric for one)."""
        if self.opts.numeric or _is_literal(self.opts.destination):
            return str(addr)
        from ipemu.tools.resolver import getnameinfo
        name = getnameinfo(self.ctx.session, addr)
        return f"{name} ({addr})" if name and name != str(addr) else str(addr)

    def _pr_timestamps(self, options: bytes) -> str:
        """pr_options()'s IPOPT_TS: `TS: ` then per slot the address (not for tsonly)
        and the stamp, the first absolute, the others as differences; then the hops
        the option had no room for."""
        flags, entries = timestamps(options)
        if not entries:
            return ""
        text = "\nTS: "
        first = None
        for addr, stamp in entries:
            if addr is not None:
                text += f"\t{self._ts_addr(addr)}"
            if stamp is None:
                break
            # a stamp with the high bit is "not-standard" (none here: the kernel's are
            # milliseconds since midnight)
            text += f"\t{stamp} absolute" if first is None else f"\t{stamp - first}"
            first = stamp if first is None else first
            text += "\n"
        if flags >> 4:
            text += f"Unrecorded hops: {flags >> 4}\n"
        return text

    def _ts_addr(self, addr) -> str:
        """pr_addr() of a slot's address: 0.0.0.0 as it is, else numeric or by name."""
        return "0.0.0.0" if not int(addr) else self._pr_addr(addr)     # as RR prints them

    def _hold(self, head: str) -> None:
        """The PING line. Into a pipe stdio buffers it: the first reply's fflush()
        (or finish()'s) writes it together with that line, so a reader such as
        `head -1` sees it only then (strace: one 106-byte write)."""
        if getattr(self.term.sink, "block_buffered", False):
            self.unflushed = head
        else:
            self.term.out(head)

    def _fflush(self) -> None:
        """fflush(stdout): the held PING line, and what stdio holds of a pipe's
        stdout while ping starts (StdioBuffer), written before what comes next."""
        self._out("")
        fflush = getattr(self.term.sink, "fflush", None)
        if fflush is not None:
            fflush()

    def _out(self, text: str) -> None:
        held, self.unflushed = getattr(self, "unflushed", ""), ""
        if held or text:
            self.term.out(held + text)

    def _timestamp(self) -> str:
        """print_timestamp(): -D's `[seconds.microseconds] ` of gettimeofday()."""
        if not self.opts.timestamps:
            return ""
        usec = round(self.clock.wall * 1e6)
        return f"[{usec // 1000000}.{usec % 1000000:06d}] "

    def _check_done(self, error: bool = False) -> bool:
        o = self.opts
        if o.count and self.nreceived + self.nerrors >= o.count:
            if error:
                # main_loop() reads every message already queued before it checks
                # the count: the other errors of one neighbour failure are counted
                # too (recorded: `ping -6 -c 1 -w 5` through an on-link default
                # route, +3 errors; tutorials39_clearchannel_v6_default_route)
                if self.exit_timer is None or \
                        self.exit_timer.when > self.clock.now + BURST:
                    self.exit_timer = self.clock.call_later(BURST, self, "_finish")
                return True
            self._finish()
            return True
        if o.deadline and self.nerrors:
            # ping drains its socket before it looks at the exit conditions: errors
            # of one ARP failure (a few us apart) all count
            if self.exit_timer is None or self.exit_timer.when > self.clock.now + BURST:
                self.exit_timer = self.clock.call_later(BURST, self, "_finish")
            return True
        return False

    # ----------------------------------------------------------------- finish
    def _finish(self) -> None:
        if self.done:
            return
        elapsed = (self.last_send - self.start_time) if self.start_time is not None else 0.0
        shown = self.opts.hostname if self.opts.hostname is not None else \
            self.opts.destination
        out = [f"\n--- {shown} ping statistics ---\n",
               f"{self.ntransmitted} packets transmitted, {self.nreceived} received"]
        if self.nrepeats:
            out.append(f", +{self.nrepeats} duplicates")
        if self.nerrors:
            out.append(f", +{self.nerrors} errors")
        if self.ntransmitted:
            loss = (self.ntransmitted - self.nreceived) * 100.0 / self.ntransmitted
            out.append(f", {loss:g}% packet loss, time {round(elapsed * 1000)}ms")
        out.append("\n")
        comma = ""
        if self.nreceived and self.timing:
            total = self.nreceived + self.nrepeats
            avg = self.tsum // total
            var = (self.tsum2 - (self.tsum * self.tsum) // total) // total
            mdev = math.isqrt(max(var, 0))
            out.append(f"rtt min/avg/max/mdev = {self.tmin // 1000}.{self.tmin % 1000:03d}/"
                       f"{avg // 1000}.{avg % 1000:03d}/{self.tmax // 1000}.{self.tmax % 1000:03d}/"
                       f"{mdev // 1000}.{mdev % 1000:03d} ms")
            comma = ", "
        if self.pipesize > 1:
            out.append(f"{comma}pipe {self.pipesize}")
            comma = ", "
        o = self.opts
        if self.nreceived and (not o.interval or o.flood or o.adaptive) and \
                self.ntransmitted > 1:
            # finish(): the mean gap between echoes and the round trip's ewma
            ipg = int(round(elapsed * 1e6)) // (self.ntransmitted - 1)
            out.append(f"{comma}ipg/ewma {ipg // 1000}.{ipg % 1000:03d}/"
                       f"{self.rtt // 8000}.{(self.rtt // 8) % 1000:03d} ms")
        out.append("\n")
        self._out("".join(out))
        failed = not self.nreceived or (self.opts.deadline and self.opts.count and
                                        self.nreceived < self.opts.count)
        self.exit(1 if failed else 0)


def icmp6_error_text(type_: int, code: int, info: int = 0) -> str:
    """ping6's print_icmp() (`info`: the MTU of a packet too big)."""
    if type_ == P.ICMPV6_PKT_TOOBIG:
        return f"Packet too big: mtu={info}" + (f", code={code}" if code else "")
    if type_ == P.ICMPV6_DEST_UNREACH:
        return "Destination unreachable: " + {
            0: "No route", 1: "Administratively prohibited",
            2: "Beyond scope of source address", 3: "Address unreachable",
            4: "Port unreachable"}.get(code, f"Unknown code {code}")
    if type_ == P.ICMPV6_TIME_EXCEED:
        return "Time exceeded: " + {0: "Hop limit", 1: "Defragmentation failure"}.get(
            code, f"code {code}")
    return f"Unknown icmp type: {type_}"


def icmp_error_text(type_: int, code: int, info: int = 0) -> str:
    """What ping prints for an ICMP error (iputils pr_icmph(); `info` is the next-hop
    MTU of a frag-needed error)."""
    if type_ == P.ICMP_DEST_UNREACH and code == 4:
        return f"Frag needed and DF set (mtu = {info})"
    if type_ == P.ICMP_REDIRECT:
        kind = {0: "Redirect Network", 1: "Redirect Host",
                2: "Redirect Type of Service and Network",
                3: "Redirect Type of Service and Host"}.get(code, f"Redirect, Bad Code: {code}")
        return f"{kind}(New nexthop: {ipaddress.IPv4Address(info)})"
    if type_ == P.ICMP_DEST_UNREACH:
        return {0: "Destination Net Unreachable", 1: "Destination Host Unreachable",
                2: "Destination Protocol Unreachable", 3: "Destination Port Unreachable",
                4: "Frag needed and DF set", 5: "Source Route Failed",
                13: "Packet filtered"}.get(code, f"Dest Unreachable, Bad Code: {code}")
    if type_ == P.ICMP_TIME_EXCEEDED:
        return "Time to live exceeded" if code == 0 else "Frag reassembly time exceeded"
    return f"Bad ICMP type: {type_}"
