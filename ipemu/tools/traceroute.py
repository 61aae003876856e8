"""`traceroute` as Debian 12's (Modern traceroute for Linux 2.1.2, the default "udp"
method, and "icmp" with -I): UDP probes to port 33434 and up (or echo requests), three
per hop, sixteen in flight at once, each hop's line printed when all its probes are
answered or given up.

Forms recorded in namespaces with routers (tests/data/world/): the header on stdout
without its newline (each hop line starts with one, the end adds the last), `name
(address)` per answer (`-n`: the address), `  0.136 ms` per probe, ` *` for one
given up, ` !N`/`!H`/... after an unreachable, `\\nconnect: ...` when there is no
route, and usage errors as traceroute's CLIF parser words them. An IPv6 destination
(an address, or `-6`) is traced the same way with 80-byte probes; its ICMPv6 errors
read as their ICMP counterparts (transcripts/tools/traceroute6).
"""
from __future__ import annotations

import ipaddress
import re

from ipemu.data import package_file
from ipemu.errors import CommandError
from ipemu.kernel import packet as P
from ipemu.kernel.errors import Errno, KernelError
from ipemu.process import SIGINT, Process
from ipemu.tools.context import ToolContext
from ipemu.tools.resolver import (ResolveError, ReverseLookup, getaddrinfo, getnameinfo,
                                  literal_scope, scoped_text)
from ipemu.tools.rtnl import strerror

BASE_PORT = 33434
DEF_UDP_PORT = 53          # mod-udp.c: the "udp" method's port (-U)
SIM_QUERIES = 16
WAIT_MAX = 5.0            # -w MAX: seconds a probe is waited for at most
WAIT_HERE = 3.0           # ... or HERE times the round trip of an answer from the same hop
WAIT_NEAR = 10.0          # ... or NEAR times a later hop's round trip
WAIT_PREC = 0.001         # DEF_WAIT_PREC: a millisecond added to those round trips
PACKET_LEN = 60           # an IP header plus 40
# do_it() sends its batch before it polls; each send_probe() (socket, options, connect,
# send) takes tens of microseconds: the recording's probes left 24-45 us apart, a
# router's answer to one arriving before the next (transcripts/packets/
# tcpdump_traceroute_tracepath)
PROBE_SEND_COST = 30e-6
PACKET_LEN6 = 80
MAX_PACKET_LEN = 65000    # --mtu's first probes (main(): MAX_PACKET_LEN)
POLL_GRAIN = 0.001        # poll()'s timeout is in milliseconds
# ICMPv6 errors read as their ICMP counterparts (traceroute's probe_icmp.c /
# mod-udp: time exceeded; unreachable: no route !N, prohibited !X, address !H, port)
ICMP6_AS_ICMP = {(3, 0): (11, 0), (3, 1): (11, 1), (1, 0): (3, 0), (1, 1): (3, 13),
                 (1, 3): (3, 1), (1, 4): (3, 3), (1, 2): (3, 5)}
# the marks traceroute prints after an ICMP unreachable (code -> text)
# a local error (SO_EE_ORIGIN_LOCAL) as _answer() takes it: EMSGSIZE with the MTU
LOCAL_EMSGSIZE = (-1, 0)
UNREACH_MARKS = {0: "!N", 1: "!H", 2: "!P", 4: "!F", 5: "!S", 9: "!X", 10: "!X", 13: "!X"}


class Probe:
    def __init__(self, ttl: int, port: int, sent: float) -> None:
        self.ttl = ttl
        self.port = port
        self.sent = sent
        self.done = False
        self.addr = None
        self.rtt = 0.0
        self.mark = ""
        self.final = False
        self.timer = None
        self.due = 0.0
        self.recv_ttl = 0       # the answer's TTL (IP_RECVTTL), 0 when not known
        self.timed = False      # answered without an address (a local error): timed
        self.expired = False    # given up, not yet looked at by check_expired()
        self.cleared = False    # --mtu: to be sent again at a smaller size


def _usage(argv0: str = "traceroute") -> CommandError:
    """CLIF_print_usage() to stderr, exit 0 (under the name the program was run by)."""
    text = package_file("tools", "usage/traceroute.txt").read_text()
    return CommandError(text.replace("  traceroute ", f"  {argv0.rsplit('/', 1)[-1]} ", 1), 0)


def _number(text: str, what: str, position: int) -> int:
    from ipemu.tools.cnum import strtol_whole
    value = strtol_whole(text)
    if value is None:
        raise CommandError(f"Cannot handle `{what}' option with arg `{text}' (argc "
                           f"{position})\n", 2)
    return value


def _port(text: str, position: int, word: str = "-p") -> int:
    """set_port(): strtoul(arg, &q, 0) with whatever follows the digits ignored (0 too:
    the method's default port then); no digits at all is getservbyname(arg, NULL), a
    service of /etc/services (`-p http`), else the option's error."""
    m = re.match(r"(?a)\s*[+]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", text)
    if m:
        digits = m.group(1)
        value = int(digits, 16) if digits[:2].lower() == "0x" else \
            int(digits, 8) if digits.startswith("0") else int(digits)
        return value & 0xFFFFFFFF
    from ipemu.tcpdump.names import TCP_PORT_BY_NAME, UDP_PORT_BY_NAME
    value = TCP_PORT_BY_NAME.get(text, UDP_PORT_BY_NAME.get(text))
    if value is None:
        raise CommandError(f"Cannot handle `{word}' option with arg `{text}' (argc "
                           f"{position})\n", 2)
    return value


# udp_init() / icmp_init(): the probes' data is data[i] = 0x40 + (i & 0x3f), counted
# from the ICMP header's start for the icmp method (its first 8 bytes are the header)
UDP_DATA = bytes(0x40 + (i & 0x3F) for i in range(65536))
ICMP_DATA = bytes(0x40 + ((i + 8) & 0x3F) for i in range(64))

ARG_NAMES = {"-m": "max_ttl", "-f": "first_ttl", "-q": "nqueries", "-w": "MAX,HERE,NEAR",
             "-N": "squeries", "-p": "port", "-t": "tos", "-s": "src_addr",
             "-i": "device", "-z": "sendwait", "--sport": "num", "-l": "flow_label",
             "-M": "name", "-P": "prot", "--fwmark": "num", "-g": "gate,..."}
# the long names CLIF takes for the valued options (`--name=VALUE` or `--name VALUE`)
LONG_VALUED = {"--first": "-f", "--max-hops": "-m", "--queries": "-q", "--wait": "-w",
               "--sim-queries": "-N", "--port": "-p", "--tos": "-t", "--source": "-s",
               "--interface": "-i", "--sendwait": "-z", "--sport": "--sport",
               "--flowlabel": "-l", "--module": "-M", "--protocol": "-P",
               "--fwmark": "--fwmark", "--gateway": "-g"}


# the short options without a value (traceroute.c's CLIF_option table, those simulated)
SHORT_FLAGS = {"n": "-n", "I": "-I", "T": "-T", "4": "-4", "6": "-6", "U": "-U",
               "F": "-F", "r": "-r", "V": "-V", "d": "-d", "e": "-e", "D": "-D",
               "A": "-A"}
# the long flags (CLIF's option_list: --debug is -d, --extensions -e, --back has no
# short form)
LONG_FLAGS = ("--icmp", "--tcp", "--udp", "--mtu", "--dont-fragment", "--debug",
              "--extensions", "--back", "--dccp", "--as-path-lookups")
# -M NAME: the modules traceroute 2.1.2 builds in, as the flags that name them (-I
# means `-M icmp`, -UL `-M udplite`, -D `-M dccp`; raw and tcpconn have none of
# their own: -P PROT is `-M raw -O protocol=PROT`)
MODULES = {"default": "--default", "icmp": "-I", "tcp": "-T", "udp": "-U",
           "udplite": "-UL", "dccp": "-D", "raw": "--raw", "tcpconn": "--tcpconn"}
# each module's own options (its CLIF_option table, -O KEYWORD[=VALUE]); the modules
# without a table (default, udp, tcpconn) ignore whatever -O gives (main(): `if
# (ops->options && opts_idx > 1)`)
MODULE_OPTIONS = {"icmp": ("raw", "dgram"), "raw": ("protocol",),
                  "udplite": ("coverage",), "dccp": ("service",)}
DEF_RAW_PROT = 253        # mod-raw.c: the raw method's protocol when -P gives none
IPPROTO_UDPLITE = 136
IPPROTO_DCCP = 33
MAX_PACKET_ARG = 65000    # main(): a larger packetlen is "too big"
# the long options CLIF_ABBREV lets a word of two letters or more abbreviate
# (recorded: `--ex` and `--dont` work, `--e` and `--d` are bad options)
ABBREVIATED = ("--extensions", "--dont-fragment")


def _module_help(method: str) -> CommandError:
    """set_mod_option(): -O help prints the options of the module named so far
    (CLIF_print_options() to stderr) and exits 0; a module with none says so."""
    if method in MODULE_OPTIONS or method == "tcp":
        return CommandError(package_file("tools", f"usage/traceroute-O-{method}.txt")
                            .read_text(), 0)
    return CommandError(f"No options for module `{method}'\n", 0)


def _module_options(opts: dict) -> None:
    """main(): the -O words parsed against the module's own table (CLIF_KEYWORD, each
    word's argc its place after the module's name); a module without one ignores them."""
    method = opts["method"]
    table = TCP_OPTIONS if method == "tcp" else MODULE_OPTIONS.get(method)
    if table is None:
        opts["modopts"] = []
        return
    seen = None
    for position, part in enumerate(opts["modopts"], 1):
        name, eq, value = part.partition("=")
        if method == "tcp":
            name = _tcp_option(name) or ""
        if name not in table or eq != (name in ("protocol", "coverage", "service",
                                                "mss", "flags") and "=" or ""):
            raise CommandError(f"`{part}' (argc {position}): arguments are not allowed\n", 2)
        if name == "protocol":
            from ipemu.tcpdump.names import PROTO_BY_NAME
            # set_protocol(): strtoul(arg, &q, 0), a name of /etc/protocols when no
            # digit is read
            m = re.match(r"(?a)\s*[+]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", value)
            number = int(m.group(1), 0) if m and not m.group(1).startswith("0") or \
                m and m.group(1)[:2].lower() == "0x" else \
                int(m.group(1), 8) if m else None
            if number is None:
                number = PROTO_BY_NAME.get(value)
            if number is None:
                raise CommandError(f"Cannot handle `protocol' keyword with arg `{value}' "
                                   f"(argc {position})\n", 2)
            opts["protocol"] = number
        elif eq:
            # CLIF_set_uint(): strtoul(arg, &q, 0) of the whole word; set_tcp_flags():
            # of its start
            from ipemu.tools.cnum import strtol_whole
            if (re.match(r"(?a)\s*[+-]?[0-9]", value) is None if name == "flags"
                    else strtol_whole(value, 0) is None):
                raise CommandError(f"Cannot handle `{name}' keyword with arg `{value}' "
                                   f"(argc {position})\n", 2)
        if name in ("raw", "dgram"):
            if seen is not None and seen != name:
                raise CommandError(f"Keyword `{name}' (argc {position}): Only one of:\n"
                                   "    raw | dgram\nmay be specified.\n", 2)
            seen = name


def _version() -> CommandError:
    # CLIF_version_handler(): the version text, then exit(0), where it stands
    return CommandError("Modern traceroute for Linux, version 2.1.2\nCopyright (c) "
                        "2016  Dmitry Butskoy,   License: GPL v2 or any later\n", 0)


def _method(opts: dict, name: str) -> None:
    """set_module(): the last method named wins (CLIF_set_string(&module))."""
    opts["method"] = name
    opts["icmp"] = name == "icmp"
    opts["tcp"] = name in ("tcp", "tcpconn")
    opts["udp"] = name in ("udp", "udplite")


def _flag(opts: dict, option: str) -> None:
    if option == "-n":
        opts["numeric"] = True
    elif option in ("-I", "--icmp"):
        _method(opts, "icmp")
    elif option in ("-T", "--tcp"):
        _method(opts, "tcp")      # the "tcp" method: SYNs to one port (80)
    elif option in ("-U", "--udp"):
        # the "udp" method (mod-udp.c udp_init()): every probe to one port, -p's or
        # DEF_UDP_PORT 53, each from a socket (and source port) of its own
        _method(opts, "udp")
    elif option == "-UL":
        # udplite_init(): the udp method's probes as IPPROTO_UDPLITE datagrams
        _method(opts, "udplite")
    elif option in ("-D", "--dccp"):
        _method(opts, "dccp")
    elif option == "--raw":
        _method(opts, "raw")
    elif option == "--tcpconn":
        # mod-tcpconn.c: a connect() per probe, the kernel's own SYN; the target's
        # RST (ECONNREFUSED) or SYN-ACK ends the trace, no flags shown
        _method(opts, "tcpconn")
    elif option in ("-A", "--as-path-lookups"):
        opts["as_lookups"] = True
    elif option in ("-4", "-6"):
        opts["family"] = int(option[1])
    elif option == "--mtu":
        opts["mtudisc"] = opts["dontfrag"] = True
    elif option in ("-F", "--dont-fragment"):
        opts["dontfrag"] = True       # IP_PMTUDISC_PROBE on the probe sockets
    elif option == "-r":
        opts["dontroute"] = True      # SO_DONTROUTE on the probe sockets
    elif option == "-V":
        raise _version()
    elif option == "--default":
        _method(opts, "default")
    elif option == "--back":
        # print_probe(): the backward path's hops guessed from the answer's TTL,
        # ` '-N'` after the address where they differ from the probe's hop
        opts["back"] = True
    # -d (SO_DEBUG on the probe sockets) and -e (ICMP extensions, RFC 4884: the
    # kernel adds none unless net.ipv4.icmp_errors_extension_mask asks) change
    # nothing printed


def _short_options(opts: dict, args: list[str], i: int, valued: dict, prog: str) -> int:
    """One word of short options (args[i]); the index of the next word."""
    word = args[i]
    for at in range(1, len(word)):
        letter = word[at]
        option = "-" + letter
        if option in valued:
            rest = word[at + 1:]
            if rest and at == 1:
                _set_valued(opts, valued[option], option, rest, i + 1)
                return i + 1
            if rest or i + 1 >= len(args):
                raise CommandError(f"Option `{option}' (argc {i + 1}) requires an "
                                   f"argument: `{option} {ARG_NAMES[option]}'\n", 2)
            _set_valued(opts, valued[option], option, args[i + 1], i + 2)
            return i + 2
        if letter not in SHORT_FLAGS:
            raise CommandError(f"Bad option `{option}' (argc {i + 1})\n", 2)
        _flag(opts, option)
    return i + 1


_STRTOD = re.compile(r"\s*[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)"
                     r"(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|"
                     r"(?i:inf(?:inity)?|nan))")


def _strtod(text: str) -> tuple[float, str] | None:
    """strtod(): the number at the start of text and what follows it, else None."""
    m = _STRTOD.match(text)
    if m is None:
        return None
    number = m.group(0).strip()
    sign = -1.0 if number.startswith("-") else 1.0
    body = number.lstrip("+-")
    value = float.fromhex(body) if body[:2].lower() == "0x" else float(body)
    return sign * value, text[m.end():]


def _wait_specs(value: str, position: int, word: str = "-w") -> list[float]:
    """set_wait_specs(): MAX[,HERE[,NEAR]] as strtod() reads each, the numbers apart
    by a comma or a dot (`-w 127.0.0.1` is 127.0 and 0.1: recorded), nothing after
    the third; a negative one is an error of its own. It sets here_factor and
    near_factor to 0 first: a HERE or NEAR not given is 0, get_timeout()'s `if
    (here_factor)` skips it, and an unanswered probe waits the whole MAX (recorded:
    `traceroute -q 1 -w 1` whose first hop stays silent takes 1 s, not ten round
    trips of the second hop's answer; fuzz45_traceroute_wait_max)."""
    specs = []
    rest = value
    while True:
        parsed = _strtod(rest)
        if parsed is None:
            break
        number, rest = parsed
        specs.append(number)
        if len(specs) < 3 and rest[:1] in (",", "."):
            rest = rest[1:]
            continue
        if not rest:
            specs += [0.0] * (3 - len(specs))
            if min(specs) < 0:
                raise CommandError("bad wait specifications `%s' used\n"
                                   % ",".join("%g" % n for n in specs), 2)
            return specs
        break
    raise CommandError(f"Cannot handle `{word}' option with arg `{value}' (argc "
                       f"{position})\n", 2)


def parse(argv: list[str]) -> dict:
    # traceroute.c main(): a program name ending in '6' (Debian's traceroute6 link)
    # means AF_INET6, as -6 does
    opts = {"numeric": False, "max": 30, "first": 1, "queries": 3, "wait": WAIT_MAX,
            "here": WAIT_HERE, "near": WAIT_NEAR,
            "host": None, "icmp": False, "family": 6 if argv[0].endswith("6") else 0,
            "sim": SIM_QUERIES, "port": BASE_PORT, "tos": 0, "src": None, "dontroute": False,
            "length": None, "mtudisc": False, "dontfrag": False, "device": None,
            "sendwait": 0.0, "sport": 0, "tcp": False, "udp": False, "port_given": False,
            "modopts": [], "back": False, "flowlabel": 0, "method": "default",
            "as_lookups": False, "fwmark": 0, "gateways": []}
    args = argv[1:]
    i = 0
    # -N: probes in flight at once (sim_probes); -p: the UDP method's first port
    valued = {"-m": "max", "-f": "first", "-q": "queries", "-w": "wait", "-N": "sim",
              "-p": "port", "-t": "tos", "-s": "src", "-i": "device", "-z": "sendwait",
              "--sport": "sport", "-l": "flowlabel", "-M": "module", "-P": "protocol",
              "--fwmark": "fwmark", "-g": "gateways"}
    while i < len(args):
        word = args[i]
        name, eq, attached = word.partition("=")
        if eq and name in LONG_VALUED:
            # `--name=VALUE`: the value in the same word (its argc is the word's own;
            # CLIF's errors name the option as typed: `--port', not `-p')
            i += 1
            _set_valued(opts, valued[LONG_VALUED[name]], name, attached, i)
            continue
        if word in LONG_VALUED:
            # CLIF_parse(): a long option takes its argument only as `--name=VALUE`
            short = LONG_VALUED[word]
            raise CommandError(f"Option `{word}' (argc {i + 1}) requires an argument: "
                               f"`{word}={ARG_NAMES[short]}'\n", 2)
        if word == "-O" or word.startswith("--options="):
            # -O OPTS: the method's own options, several in one word separated by
            # commas (mod-tcp.c's syn, ack, ..., mss=NUM, info)
            if word == "-O":
                if i + 1 >= len(args):
                    raise CommandError(f"Option `-O' (argc {i + 1}) requires an argument: "
                                       "`-O OPTS'\n", 2)
                value, bad_at = args[i + 1], i + 1
                i += 2
            else:
                value, bad_at = word.partition("=")[2], i + 1
                i += 1
            for part in value.split(","):
                if part == "help":
                    raise _module_help(opts["method"])
                if part:
                    opts["modopts"].append(part)
            continue
        if word == "-UL":
            # CLIF_ONEDASH: a long option written with one dash
            _flag(opts, word)
            i += 1
            continue
        if word == "--help":
            raise _usage(argv[0])       # CLIF_help_handler(), where it stands
        if word == "--version":
            raise _version()
        if word not in LONG_FLAGS and len(word) >= 4:
            word = next((full for full in ABBREVIATED if full.startswith(word)), word)
        if word in LONG_FLAGS:
            _flag(opts, word)
        elif word.startswith("-") and not word.startswith("--") and len(word) > 1:
            # CLIF_parse(): a word of short options, each letter one; a valued one
            # takes the rest of the word when it is the word's first letter (-q1,
            # -w1,2,3, -ilo), the next word when it is the last (-nm 3), and is
            # missing its argument in the middle (-nq1); an unknown letter is
            # `Bad option -x` (recorded: scripts39_srv6's traceroute -n -q1 -w1)
            i = _short_options(opts, args, i, valued, argv[0])
            continue
        elif word.startswith("-"):
            # CLIF_parse(): a long word with `=` that names no option is reported
            # with its argument (recorded: `--sour=1.2.3.4`, `--icmp=1`)
            with_arg = f" (with arg `{attached}')" if eq and word.startswith("--") else ""
            raise CommandError(f"Bad option `{word}'{with_arg} (argc {i + 1})\n", 2)
        elif opts["host"] is None:
            opts["host"] = word
            opts["host_argc"] = i + 1
        elif opts["length"] is None:
            try:
                opts["length"] = int(word)
            except ValueError:
                raise CommandError(f"Cannot handle \"packetlen\" cmdline arg `{word}' on "
                                   f"position 2 (argc {i + 1})\n", 2)
        else:
            # CLIF_parse(): more words than arg_list names
            raise CommandError(f"Extra arg `{word}' (position 3, argc {i + 1})\n", 2)
        i += 1
    if opts["host"] is None:
        if args:
            # CLIF_parse(): options without the host it requires
            raise CommandError('Specify "host" missing argument.\n', 2)
        raise _usage(argv[0])
    if "module" in opts:
        name, position = opts.pop("module")
        if name not in MODULES:
            # main(): tr_get_module() finds no module of that name (recorded: before
            # the hop and probe checks)
            raise CommandError(f"Unknown traceroute module {name}\n", 2)
    if not 1 <= opts["first"] <= opts["max"]:
        raise CommandError("first hop out of range\n", 2)
    if opts["max"] > 255:
        raise CommandError("max hops cannot be more than 255\n", 2)
    if not 1 <= opts["queries"] <= 10:
        raise CommandError("no more than 10 probes per hop\n", 2)
    if opts["length"] is not None and opts["length"] > MAX_PACKET_ARG:
        raise CommandError(f"too big packetlen {opts['length']} specified\n", 2)
    _module_options(opts)
    opts["sim"] = max(opts["sim"], 1)     # -N 0 still sends (one at a time)
    if opts["method"] == "raw":
        opts["sim"] = 1                   # mod-raw.c: one_per_time
    if opts["sport"]:
        opts["sim"] = 1                   # main(): a fixed source port means -N 1
    if opts["mtudisc"]:
        opts["sim"] = 1                   # main(): mtudisc means dontfrag, sim_probes 1
    return opts


def _set_valued(opts: dict, key: str, word: str, value: str, position: int) -> None:
    """One valued option's argument, as CLIF_parse() hands it to its handler
    (`position`: the argc of the value itself)."""
    if key == "src":
        # set_source() -> getaddr(): getaddrinfo() with the family -4/-6 have set so
        # far, when the option comes; a literal of the other family is EAI_ADDRFAMILY
        # there (recorded: lead43_traceroute_src_family); given before -4/-6 it is
        # taken, and refused as a version mismatch once the host is read
        family = opts["family"]
        if family:
            try:
                version = ipaddress.ip_address(value).version
            except ValueError:
                version = family
            if version != family:
                raise CommandError(f"{value}: Address family for hostname not supported\n"
                                   f"Cannot handle `{word}' option with arg `{value}' "
                                   f"(argc {position})\n", 2)
        opts[key] = value         # a name is resolved with the destination's family
    elif key == "device":
        opts[key] = value         # by name
    elif key == "module":
        # CLIF_set_string(&module): the last word wins, as -I/-T/-U do; main() looks
        # the name up once the command line is parsed
        opts["module"] = (value, position - 1)
        opts["method"] = value
        if value in MODULES:
            _flag(opts, MODULES[value])
    elif key == "protocol":
        # set_raw(): -P PROT is the raw module with its option protocol=PROT
        _flag(opts, "--raw")
        opts["modopts"].append(f"protocol={value}")
    elif key == "gateways":
        # add_gateway() (CLIF_SEVERAL: a comma-separated list is several)
        opts[key] += value.split(",")
    elif key == "fwmark":
        # tune_socket(): SO_MARK on the probe sockets
        opts[key] = _number(value, word, position)
    elif key == "port":
        # 0 leaves the method's own default (udp_init(): `if (!dest_port)`, ...)
        port = _port(value, position, word)
        opts[key], opts["port_given"] = port or BASE_PORT, bool(port)
    elif key == "wait":
        opts[key], opts["here"], opts["near"] = _wait_specs(value, position, word)
    elif key == "sendwait":
        try:
            opts[key] = float(value)
        except ValueError:
            raise CommandError(f"Cannot handle `{word}' option with arg `{value}' "
                               f"(argc {position})\n", 2)
        if opts[key] >= 10:
            opts[key] /= 1000     # main(): more than 10 means milliseconds
    else:
        opts[key] = _number(value, word, position)


def main(ctx: ToolContext, argv: list[str]):
    opts = parse(argv)
    host = opts["host"]
    try:
        # the family of the address given, or of the name's first address
        dst = getaddrinfo(ctx.session, host, opts["family"], idn=True)   # AI_IDN
        scope_id, scope_dev = literal_scope(ctx.netns, host)
    except ResolveError as err:
        from ipemu.tools.resolver import family_miss
        err = family_miss(ctx, host, err)
        text = f"{host}: {err.text}\nCannot handle \"host\" cmdline arg " \
            f"`{host}' on position 1 (argc {opts['host_argc']})\n"
        from ipemu.tools.resolver import failing_lookup
        waiting = failing_lookup(ctx, host, err.text, text, 2)
        if waiting is not None:
            return waiting      # the queries wait for the recording host's nameserver
        raise CommandError(text, 2)
    if opts["src"] is not None:
        # main(): set_source() read -s with getaddr() as the host was; a source of
        # the other family is refused after the option checks (fuzz41 seed 490009)
        try:
            src_version = ipaddress.ip_address(opts["src"]).version
        except ValueError:
            src_version = dst.version
        if src_version != dst.version:
            raise CommandError("IP version mismatch in addresses specified\n", 2)
    gates = _gateways(ctx, opts, dst)
    # the default length: the IP header plus 40 (60 bytes for IPv4, 80 for IPv6); a
    # packetlen given is taken down to the headers at least (main(): MIN of the method)
    headers = _headers(opts, dst)
    opts["packet_len"] = PACKET_LEN if dst.version == 4 else PACKET_LEN6
    if opts["length"] is not None:
        opts["packet_len"] = max(opts["length"], headers)
    elif opts["mtudisc"]:
        opts["packet_len"] = MAX_PACKET_LEN
    if opts["method"] == "dccp":
        # dccp_init() makes the length its Request's headers (20 bytes)
        opts["packet_len"] = headers + 20
    if gates:
        # header_len counts rtbuf_len: NOP, LSRR, its length and pointer, then each
        # gateway and the destination (4 bytes each)
        opts["rtbuf_len"] = 4 + 4 * len(gates)
        opts["packet_len"] += opts["rtbuf_len"]
        opts["lsrr"] = (gates[1], _lsrr_options(gates[2:] + [dst]))
    if opts["method"] == "tcp":
        # tcp_init() sets the length to its sample SYN's TCP header: the IP header and
        # that are the packets' size, whatever length was asked (recorded: 48 bytes
        # with tcp_timestamps and tcp_sack 0)
        opts["packet_len"] = headers - 8 + 20 + len(_syn_template(ctx, dst,
                                                                  opts["modopts"])[2])
    if opts["method"] in ("icmp", "raw", "dccp"):
        # mod-icmp.c icmp_init() connects its raw socket before the header is printed
        # (so do raw_init() and dccp_init(): recorded `-P gre`, `-D` without a route):
        # a link-local destination without a zone (or -i) fails there, error()'s
        # newline first (recorded: tutorials39_djoproject_probe_methods)
        if opts["method"] == "icmp" and "dgram" in opts["modopts"] and \
                not _ping_group_allows(ctx):
            # icmp_init(): -O dgram asks socket(SOCK_DGRAM, IPPROTO_ICMP), which
            # ping_group_range refuses to root's gid 0 by default ("1 0":
            # EACCES, error_or_perm(); recorded)
            ctx.term.err("\nsocket: Permission denied\n")
            return 1
        try:
            # icmp_init() -> tune_socket(): SO_BINDTODEVICE and bind() of -s come
            # first (recorded: tutorials40c_traceroute_bound_methods)
            _bind_and_route(ctx, opts, dst, dontroute=False)
        except _BindError as err:
            ctx.term.err(f"\n{err.call}: {strerror(err.errno)}\n")
            return 1
        try:
            if _link_device(ctx, opts, dst, scope_id, scope_dev) is None and \
                    dst.version == 6 and dst.is_link_local and opts["device"] is None:
                raise KernelError(Errno.EINVAL)
            # ... and its connect() looks the route up (ip4_datagram_connect():
            # no route is ENETUNREACH, before the header; fuzz41 seed 490069)
            bound = ctx.netns.by_name(opts["device"]) \
                if opts["device"] is not None and dst.version == 4 else None
            ctx.netns.stack.connect_source(dst, bound, opts["src"])
        except KernelError as err:
            ctx.term.err(f"\nconnect: {strerror(err.errno)}\n")
            return 1
    # addr2str(): getnameinfo(NI_NUMERICHOST) of dest_addr, its scope id too
    ctx.term.out(f"traceroute to {host} ({scoped_text(dst, scope_id, ctx.netns)}), "
                 f"{opts['max']} hops max, "
                 f"{opts['packet_len']} byte packets")
    if opts["method"] == "dccp":
        # dccp_send_probe() holds its source port with socket(SOCK_DCCP): this
        # kernel has no DCCP (recorded: error()'s newline, then the message)
        ctx.term.err("\nsocket: Socket type not supported\n")
        return 1
    try:
        _bind_and_route(ctx, opts, dst)
        if opts["tcp"]:
            # mod-tcp.c: a raw socket; the SYNs go from the address a connect() picks
            opts["source"] = opts["src"] or ctx.netns.stack.connect_source(dst, None)
            sock = None           # opened by the process, whose callbacks it needs
        elif opts["icmp"] or opts["method"] == "raw":
            # tune_socket()'s SO_BINDTODEVICE: an IPv4 flow's oif (on link when no
            # route has it)
            opts["bound"] = bound = ctx.netns.by_name(opts["device"]) \
                if opts["device"] is not None and dst.version == 4 else None
            opts["source"] = ctx.netns.stack.connect_source(dst, bound, opts["src"])
            sock = None           # opened by the process, whose callbacks it needs
        else:
            bound = ctx.netns.by_name(opts["device"]) if opts["device"] is not None else None
            if dst.version == 6 and bound is not None and not (
                    dst.is_link_local or dst.is_multicast):
                # ip6_route_output(): SO_BINDTODEVICE makes the lookup strict
                # (RT6_LOOKUP_F_IFACE): a route through another device is none, the
                # connect() ENETUNREACH (recorded: `-i lo 2001:db8:1::2`, fuzz41 seed
                # 490561)
                ctx.netns.lookup(dst, oif=bound)
            sock = ctx.netns.stack.open_udp_probe(dst, None,
                                                  _link_device(ctx, opts, dst, scope_id,
                                                               scope_dev),
                                                  opts["fwmark"] & 0xFFFFFFFF)
            # tune_socket(): -F (and --mtu) ask IP_PMTUDISC_PROBE
            sock.pmtudisc_probe = opts["dontfrag"]
            if opts["method"] == "udplite":
                sock.proto = IPPROTO_UDPLITE
            if "lsrr" in opts:
                sock.first_hop, sock.ip_options = opts["lsrr"]
            if opts["sport"]:
                sock.sport = opts["sport"] & 0xFFFF     # udp_init(): bind() to --sport
            if opts["src"] is not None:
                sock.src = opts["src"]
    except KernelError as err:
        ctx.term.err(f"\nconnect: {strerror(err.errno)}\n")
        return 1
    except _BindError as err:
        ctx.term.err(f"\n{err.call}: {strerror(err.errno)}\n")
        return 1
    return Traceroute(ctx, opts, dst, sock).start()


def _gateways(ctx: ToolContext, opts: dict, dst) -> list:
    """init_ip_options(): -g's gateways read as the host was, in its family
    (getaddr(): "NAME: REASON" and ex_error("")'s empty line on failure; recorded:
    `-g ::1` to an IPv4 host is EAI_ADDRFAMILY), no more than 8 for IPv4. Only
    IPv4's loose source route is simulated (IP_OPTIONS on the probe sockets): an IPv6
    type 0 routing header is not, and neither are the tcp and raw methods' options."""
    if not opts["gateways"] or dst.version != 4:
        return []
    if len(opts["gateways"]) > 8:
        raise CommandError("Too many gateways specified. No more than 8\n", 2)
    gates = []
    for name in opts["gateways"]:
        try:
            # getaddr(): hints.ai_family is the destination's by now
            gate = getaddrinfo(ctx.session, name, dst.version, idn=True)
        except ResolveError as err:
            raise CommandError(f"{name}: {err.text}\n\n", 2)
        gates.append(gate)
    return [None] + gates


def _lsrr_options(addresses: list) -> bytes:
    """The IP options the probes carry: ip_options_get() takes the first gateway out
    as the datagrams' destination (faddr) and keeps NOP, LSRR, length, pointer 4 and
    the rest, padded to 4 bytes with END."""
    body = bytes((1, 0x83, 3 + 4 * len(addresses), 4)) + b"".join(a.packed for a in addresses)
    return body + bytes(-len(body) % 4)


def _ping_group_allows(ctx: ToolContext) -> bool:
    """ping_init_sock(): the caller's group (root: gid 0) within
    net.ipv4.ping_group_range (both families use it)."""
    from ipemu.kernel.tcp import sysctl
    words = (sysctl(ctx.netns, "net.ipv4.ping_group_range") or "1 0").split()
    try:
        low, high = int(words[0]), int(words[1])
    except (IndexError, ValueError):
        return False
    return low <= 0 <= high


def _headers(opts: dict, dst) -> int:
    """main()'s header_len: the IP header and the method's own (ops->header_len: the
    UDP header for the udp methods, 8 for icmp's echo header; none for raw, tcpconn
    and dccp)."""
    ip = 20 if dst.version == 4 else 40
    return ip if opts["method"] in ("raw", "tcpconn", "dccp") else ip + 8


def _link_device(ctx: ToolContext, opts: dict, dst, scope_id: int, scope_dev):
    """ip6_datagram_connect(): a link-local (or link-local multicast) destination
    takes its interface from sin6_scope_id, else from SO_BINDTODEVICE (-i); one
    differing from the other is EINVAL, neither is None (which connect() refuses
    with EINVAL too). Other IPv6 destinations: None; IPv4: the -i device."""
    bound = ctx.netns.by_name(opts["device"]) if opts["device"] is not None else None
    if dst.version == 4:
        # IPv4: the probes' flow takes SO_BINDTODEVICE as its oif
        # (ip_route_output_key_hash_rcu(): on that link when no route has it)
        return bound
    if not (dst.is_link_local or dst.is_multicast and dst.packed[1] & 0x0F <= 2):
        return None
    if scope_id:
        if bound is not None and bound.ifindex != scope_id or scope_dev is None:
            raise KernelError(Errno.EINVAL)
        return scope_dev
    return bound


class _BindError(Exception):
    def __init__(self, errno: int, call: str = "bind") -> None:
        super().__init__(errno)
        self.errno = errno
        self.call = call


def _bind_and_route(ctx: ToolContext, opts: dict, dst, dontroute: bool = True) -> None:
    """-s: bind() to an address of ours (else EADDRNOTAVAIL, reported as `bind:`);
    -r: SO_DONTROUTE makes ip_route_connect() look for a link-scope route only
    (RTO_ONLINK), so a destination behind a gateway is ENETUNREACH; -i: tune_socket()'s
    SO_BINDTODEVICE, refused for a device that does not exist (ENODEV)."""
    if opts["device"] is not None and ctx.netns.by_name(opts["device"]) is None:
        raise _BindError(Errno.ENODEV, "setsockopt SO_BINDTODEVICE")
    if opts["src"] is not None:
        try:
            src = ipaddress.ip_address(opts["src"])
        except ValueError:
            src = None
        if src is None or src.version != dst.version or \
                src not in ctx.netns.local_addresses():
            raise _BindError(Errno.EADDRNOTAVAIL)
        opts["src"] = src
    if opts["dontroute"] and dontroute:
        route, _ = ctx.netns.lookup(dst)
        if route.gateway is not None:
            raise KernelError(Errno.ENETUNREACH)


class Traceroute(Process):
    wait_limit = None

    def __init__(self, ctx: ToolContext, opts: dict, dst, sock) -> None:
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.opts = opts
        self.dst = dst
        self.sock = sock
        self.clock = ctx.host.clock
        # the probes' ports (UDP: -p, default 33434); ICMP's sequence numbers map here
        self.base = BASE_PORT if sock is None else opts["port"]
        self.tcp = opts["tcp"]
        if self.tcp:
            # tcp_init(): the destination port stays (-p, else 80); each probe has a
            # source port of its own, which the answers (RST or SYN-ACK from the
            # target, ICMP errors quoting the SYN on the way) name
            self.dport = opts["port"] if opts["port_given"] else 80
            self.base = ctx.host.rng.randrange(32768, 60000)
            self.sock = ctx.netns.stack.open_raw_tcp(self._tcp_segment, self._tcp_error,
                                                     dst.version)
            self.syn = _syn_template(ctx, dst, opts["modopts"])
            # -O info: the flags of the target's answer, shown after its address
            self.info = any(_tcp_option(p.partition("=")[0]) == "info"
                            for p in opts["modopts"])
            self.exts: dict[int, str] = {}
        elif opts["method"] == "raw":
            # mod-raw.c: one socket of the protocol, one probe at a time, the
            # probe's sequence number its key (probe_by_seq(seq): the last one sent)
            self.sock = ctx.netns.stack.open_raw_probe(dst, opts.get("protocol",
                                                                     DEF_RAW_PROT),
                                                       self._raw_error, opts.get("bound"))
        elif sock is None:
            # the "icmp" method (-I): echo requests whose sequence numbers name the
            # probes, answered by time exceeded on the way and an echo reply at the end
            self.ident = ctx.host.rng.getrandbits(16)
            self.sock = ctx.netns.stack.open_ping_socket(dst.version, self.ident,
                                                        opts.get("bound"),
                                                        self._echo_reply, self._echo_error)
            # tune_socket(): -F (and --mtu) ask IP_PMTUDISC_PROBE of this one too
            self.sock.pmtudisc_probe = opts["dontfrag"]
        else:
            sock.on_error = self._answer
            if opts["udp"]:
                # udp_init(): one destination port for every probe; the answers are
                # told apart by the probe's own socket, i.e. its source port
                self.base = opts["port"] if opts["port_given"] else DEF_UDP_PORT
                sock.probe_sports = set()
            elif not opts["sport"]:
                # the default method sends each probe from a socket of its own too
                # (udp_send_probe() of mod-udp.c): each its own ephemeral port
                sock.probe_sports = set()
        self.probes: list[Probe] = []
        # udp_send_probe(): each send takes the next port (curr_port++), so a probe
        # sent again (--mtu) answers on a new one; the ICMP method's sequence numbers
        # are the probes' indexes
        self.next_port = self.base
        self.by_port: dict[int, int] = {}
        self.resend: list[int] = []   # probes cleared by --mtu, to be sent again
        self.headers = _headers(opts, dst) + opts.get("rtbuf_len", 0)
        self.data_len = opts["packet_len"] - self.headers
        self.printed = 0          # hops printed so far
        self.last_ttl = opts["max"]
        # print_addr()'s getnameinfo() blocks the program: answers and expiries wait
        self.lookup = None
        self.named: dict = {}     # the names of the hop being printed
        self.held: list[tuple] = []
        self.batching = False     # a batch of sends under way: answers wait for poll()
        self.draining = False     # do_poll() reading the answers that waited
        self.batch_timer = None

    def start(self) -> "Traceroute":
        self._send_more()
        return self

    def blocked(self) -> bool:
        return False

    def signal(self, signum: int) -> None:
        self.exit(128 + signum)

    def cleanup(self) -> None:
        for probe in self.probes:
            self.clock.cancel(probe.timer)
        self.clock.cancel(self.batch_timer)
        if self.lookup is not None:
            self.lookup.cancel()
        if self.opts["icmp"] or self.tcp or self.opts["method"] == "raw":
            self.sock.close()
        else:
            self.ctx.netns.stack.close_udp_probe(self.sock)

    # --------------------------------------------------------------- probes
    def _total(self) -> int:
        return (self.last_ttl - self.opts["first"] + 1) * self.opts["queries"]

    def _can_send(self) -> bool:
        return (bool(self.resend) or len(self.probes) < self._total()) and \
            sum(1 for p in self.probes if not p.done and not p.cleared) < self.opts["sim"]

    def _send_more(self) -> None:
        """Keep SIM_QUERIES probes in flight, hop after hop (do_it()): one probe now,
        the rest of the batch PROBE_SEND_COST apart."""
        if self.batching or not self._can_send():
            return
        self._send_probe()
        self._batch_next(first=True)

    def _batch_next(self, first: bool = False) -> None:
        """The next send of the batch; at its end, do_poll() reads what came meanwhile."""
        if self.done:
            return
        if not first:
            self._send_probe()
        if self._can_send():
            self.batching = True
            # sendto() returns once its echo is out (a ping socket's cold start)
            out = max(self.clock.now, getattr(self.sock, "busy_until", 0.0))
            # -z: do_it() keeps sendwait between two sends
            gap = max(PROBE_SEND_COST, self.opts["sendwait"])
            self.batch_timer = self.clock.call_at(out + gap, self, "_batch_next")
            return
        self.batching = False
        if not first and self.lookup is None:
            self._release_held(after_batch=True)

    def _release_held(self, after_batch: bool = False) -> None:
        """Answers and expiries that waited (a batch, a name lookup), in order.
        The UDP method gives each probe its own socket, so one do_poll() reads every
        answer already there before do_it()'s next pass decides what to send; the
        ICMP method's one raw socket yields one answer per poll."""
        held, self.held = self.held, []
        if after_batch:
            # do_it() sends its batch, then do_poll() reads what has come; a probe's
            # wait is looked at only in the next pass, so an answer that came during
            # the batch counts though the wait was over before it (recorded: `-w 0`
            # prints the first hop's answer, then only `*`)
            held.sort(key=lambda event: event[0] != "answer")
        self.draining = not self.opts["icmp"]
        try:
            for event in held:
                if event[0] == "answer":
                    self._answer(*event[1:4], at=event[4], info=event[5], ttl=event[6])
                else:
                    self._expire(event[1])
        finally:
            self.draining = False
        if not self.done and self.lookup is None and not self.batching:
            self._progress()

    def _send_probe(self) -> None:
        q = self.opts["queries"]
        if self.resend:
            n = self.resend.pop(0)
        else:
            n = len(self.probes)
            self.probes.append(None)
        ttl = self.opts["first"] + n // q
        sport = None
        if self.opts["icmp"] or self.tcp or self.opts["method"] == "raw":
            port = self.base + n
            self.last_key = port
        elif self.opts["udp"]:
            # udp_send_probe(): a new socket each probe, bound to --sport or given an
            # ephemeral port by its connect(); that port keys the probe's answers
            port = self.base & 0xFFFF
            sport = self.opts["sport"] & 0xFFFF if self.opts["sport"] else \
                self.ctx.host.rng.randrange(32768, 61000)
            self.sock.probe_sports.add(sport)
        else:
            # curr_port++ is an unsigned int; htons() keeps its low 16 bits
            port, self.next_port = self.next_port & 0xFFFF, self.next_port + 1
            if not self.opts["sport"]:
                # a new socket per probe, its connect() an ephemeral source port that
                # keys the probe's answers (recorded: each probe of `traceroute -n`
                # from a port of its own under tcpdump)
                sport = self.ctx.host.rng.randrange(32768, 61000)
                while sport in self.sock.probe_sports:
                    sport = self.ctx.host.rng.randrange(32768, 61000)
                self.sock.probe_sports.add(sport)
        key = port if sport is None else sport
        self.by_port[key] = n
        old = self.probes[n]
        probe = self.probes[n] = Probe(ttl, port, self.clock.now)
        if old is not None:
            probe.mark = old.mark       # the F=NUM a cleared probe keeps
        probe.due = self.clock.now + self._wait_of(n)
        probe.timer = self.clock.call_at(probe.due, self, "_expire", n)
        if self.tcp:
            flags, window, options = self.syn
            self.sock.send_syn(self.opts["source"], self.dst, port, self.dport, ttl,
                               self.ctx.host.rng.getrandbits(32), flags=flags,
                               window=window, options=options, df=self.opts["dontfrag"])
        elif self.opts["method"] == "raw":
            # raw_send_probe(): the data alone, the kernel's header before it
            self.sock.send(self.opts["source"], UDP_DATA[:self.data_len], ttl,
                           df=self.opts["dontfrag"])
        elif self.opts["icmp"] and self.opts["dontfrag"] and \
                self._local_mtu() < self.data_len + self.headers:
            # the raw ICMP socket's sendto() fails the same way (raw_sendmsg() ->
            # ip_append_data(): EMSGSIZE, ip_local_error() with the device's MTU)
            self.clock.call_at(self.clock.now, self, "_local_error", key, self._local_mtu())
        elif self.opts["icmp"]:
            # tune_socket(): IP_PMTUDISC_DONT (no DF) unless -F asks IP_PMTUDISC_PROBE
            first_hop, options = self.opts.get("lsrr", (None, b""))
            self.sock.send_echo(first_hop or self.dst, n + 1, self.data_len, ttl,
                                source=self.opts["source"], pattern=ICMP_DATA,
                                df=self.opts["dontfrag"], options=options)
        elif self.opts["dontfrag"] and self._local_mtu() < self.data_len + self.headers:
            # IP_PMTUDISC_PROBE: the device's MTU, not a path MTU learnt; a datagram
            # over it fails in ip_append_data() and ip_local_error() queues EMSGSIZE
            # with that MTU (do_send() takes the failure as sent: recverr says more)
            self.clock.call_at(self.clock.now, self, "_local_error", key, self._local_mtu())
        else:
            self.sock.send(UDP_DATA[:self.data_len], ttl=ttl, dport=port,
                           df=self.opts["dontfrag"], sport=sport)

    def _local_mtu(self) -> int:
        """The output device's MTU (ip_sk_use_pmtu() is false with PMTUDISC_PROBE)."""
        try:
            route, _ = self.ctx.netns.lookup(self.dst)
        except KernelError:
            return 65535
        dev = self.ctx.netns.by_index(route.oif) if route.oif is not None else None
        return dev.mtu if dev is not None else 65535

    def _local_error(self, port: int, mtu: int) -> None:
        """SO_EE_ORIGIN_LOCAL EMSGSIZE in the probe's error queue."""
        self.local_info = mtu
        try:
            self._answer(self.dst, port, LOCAL_EMSGSIZE)
        finally:
            self.local_info = None

    local_info = None     # the MTU of a local EMSGSIZE being read

    def _answer(self, src, dport: int, error: tuple[int, int], at: float | None = None,
                info: int | None = None, ttl: int | None = None) -> None:
        n = self.by_port.get(dport, -1)
        if self.done or not 0 <= n < len(self.probes) or self.probes[n].done:
            return
        if info is None:
            info = self.local_info if error == LOCAL_EMSGSIZE else \
                getattr(self.sock, "error_info", 0)
        if ttl is None and not self.opts["icmp"]:
            ttl = self.sock.error_ttl
        if self.lookup is not None or self.batching:
            # the socket keeps it, stamped on arrival (SO_TIMESTAMP), with its TTL
            # (IP_RECVTTL: the cmsg of this answer, not of the socket's last one),
            # until poll()
            self.held.append(("answer", src, dport, error, self.clock.now, info, ttl))
            return
        if self.opts["mtudisc"] and info and \
                self.headers <= info < self.headers + self.data_len:
            # recv_reply(): the probe is cleared, to go again at the size learnt
            # ("the previous hop answers here"), keeping "F=NUM" for its line
            self.data_len = info - self.headers
            probe = self.probes[n]
            self.clock.cancel(probe.timer)
            # not done, not out: sent again by the next pass (_send_probe())
            probe.done, probe.timer, probe.mark = False, None, f"F={info}"
            probe.cleared, probe.due = True, float("inf")
            self.resend.append(n)
            self._progress()
            return
        if error == LOCAL_EMSGSIZE:
            # parse_local_res(): "!F-MTU", and the trace ends there
            probe = self.probes[n]
            probe.done, probe.final, probe.mark = True, True, f"!F-{info}"
            # recv_reply() stamps it (recv_time) though it names no offender:
            # ` *  T ms !F-MTU` (recorded, fuzz41_traceroute_local_emsgsize)
            probe.rtt = (self.clock.now if at is None else at) - probe.sent
            probe.timed = True
            self.clock.cancel(probe.timer)
            self.last_ttl = min(self.last_ttl, probe.ttl)
            self._progress()
            return
        v6_mark = None
        if src.version == 6 and tuple(error[:2]) != (P.ICMP_ECHOREPLY, 0):
            if tuple(error[:2]) not in ICMP6_AS_ICMP:
                # parse_icmp_res(): an unreachable of another code is "!<CODE>",
                # any other type "!<TYPE-CODE>" (a parameter problem: !<4-1>)
                v6_mark = f"!<{error[1]}>" if error[0] == 1 else f"!<{error[0]}-{error[1]}>"
            error = ICMP6_AS_ICMP.get(tuple(error[:2]), (3, 255))
        probe = self.probes[n]
        probe.done, probe.addr = True, src
        probe.ext = getattr(self, "exts", {}).get(dport)
        probe.rtt = (self.clock.now if at is None else at) - probe.sent
        if ttl is not None:
            probe.recv_ttl = ttl
        self._retime()
        self.clock.cancel(probe.timer)
        type_, code = error
        if type_ == P.ICMP_DEST_UNREACH:
            probe.final = True
            if code == P.ICMP_FRAG_NEEDED:
                probe.mark = f"!F-{info}"       # parse_icmp_res(): with the MTU
            elif v6_mark is not None:
                probe.mark = v6_mark
            elif code != P.ICMP_PORT_UNREACH:
                probe.mark = UNREACH_MARKS.get(code, f"!<{code}>")
            self.last_ttl = min(self.last_ttl, probe.ttl)
        elif src == self.dst or type_ == P.ICMP_ECHOREPLY:
            probe.final = True
            self.last_ttl = min(self.last_ttl, probe.ttl)
        self._progress()

    def _wait_of(self, n: int) -> float:
        """get_timeout(): a probe waits HERE times the round trip of one answered at its
        hop, else NEAR times that of a later one, else MAX."""
        q = self.opts["queries"]
        first = n - n % q
        here, near = self.opts["here"], self.opts["near"]
        for i in range(first, first + q if here else first):
            p = self.probes[i] if i < len(self.probes) else None
            if p is not None and p.done and p.addr is not None and p.rtt > 0:
                return min((p.rtt + WAIT_PREC) * here, self.opts["wait"])
        for p in self.probes[n + 1:] if near else ():
            if p.done and p.addr is not None and p.rtt > 0:
                return min((p.rtt + WAIT_PREC) * near, self.opts["wait"])
        return self.opts["wait"]

    def _retime(self) -> None:
        """An answer came: the probes still out may now be given up sooner."""
        for n, probe in enumerate(self.probes):
            if probe.done or probe.timer is None:
                continue
            due = max(probe.sent + self._wait_of(n), self.clock.now)
            if due < probe.due:
                self.clock.cancel(probe.timer)
                probe.due = due
                probe.timer = self.clock.call_at(due, self, "_expire", n)

    def _tcp_segment(self, pkt) -> None:
        """mod-tcp.c tcp_recv_probe(): a segment from the target to a probe's port
        (RST, or SYN-ACK from a listener) ends the trace as a port unreachable does."""
        seg = pkt.payload
        if pkt.src == self.dst and seg.sport == self.dport:
            self.sock.error_ttl = pkt.ttl if pkt.src.version == 4 else pkt.hop_limit
            if getattr(self, "info", False):
                self.exts[seg.dport] = tcp_flag_names(seg.flags)
            self._answer(pkt.src, seg.dport, (P.ICMP_ECHOREPLY, 0))

    def _tcp_error(self, src, quoted: bytes, error) -> None:
        """An ICMP error quoting one of the SYNs: its source port names the probe."""
        if self.dst.version == 6:
            if len(quoted) >= 44 and quoted[24:40] == self.dst.packed:
                self._answer(src, int.from_bytes(quoted[40:42], "big"), tuple(error))
            return
        ihl = (quoted[0] & 0x0F) * 4
        if len(quoted) >= ihl + 4 and quoted[16:20] == self.dst.packed:
            self._answer(src, int.from_bytes(quoted[ihl:ihl + 2], "big"), tuple(error))

    def _raw_error(self, src, error, ttl: int) -> None:
        """raw_check_reply(): an error is the last probe's (probe_by_seq(seq))."""
        self._answer(src, self.last_key, tuple(error), ttl=ttl)

    last_key = -1

    def _echo_reply(self, src, seq: int, ttl: int, size: int, dev, options=b"") -> None:
        """mod-icmp.c: an echo reply ends the trace, as a port unreachable does (its
        TTL read with it: tune_socket()'s use_recv_ttl())."""
        self._answer(src, self.base + seq - 1, (P.ICMP_ECHOREPLY, 0), ttl=ttl)

    def _echo_error(self, src, seq: int, error, acknowledge: bool = True,
                    dev=None) -> None:
        if error is None:
            return
        info = None
        if len(error) > 2:
            # a frag-needed carries the next hop's MTU (icmp_err_convert()'s
            # ee_info, read from the error queue as recverr() does), a redirect
            # its gateway (not an ee_info traceroute reads)
            if tuple(error[:2]) == (P.ICMP_DEST_UNREACH, P.ICMP_FRAG_NEEDED):
                info = error[2]
            error = tuple(error[:2])
        self._answer(src, self.base + seq - 1, error, info=info,
                     ttl=getattr(self.sock, "error_ttl", None))

    def _expire(self, n: int) -> None:
        if self.done:
            return
        if self.lookup is not None or self.batching:
            self.held.append(("expire", n))
            return
        probe = self.probes[n]
        if not probe.done:
            # do_it()'s pass over the probes gives up every one whose wait is over,
            # then sends the next batch; do_poll() sleeps in whole milliseconds, so
            # the probes of a batch (sent some 30 us apart) are given up together
            horizon = self.clock.now + POLL_GRAIN
            for p in self.probes:
                if p is probe or not p.done and p.addr is None and p.due <= horizon:
                    p.done = True
                    p.expired = True
            self._progress()

    def _check_expired(self, n: int) -> None:
        """check_expired(): "* * ... final": a later probe's unreachable error (!H and
        the like) may belong here, when the last hop answered only the latest of the
        probes sent together (or a router rate-limited its time exceeded); it moves
        to this place if a probe of this hop is final, or the final one is in this
        hop, or its address answered an earlier hop, or its TTL counts this hop."""
        q = self.opts["queries"]
        probes = self.probes
        pfp = None
        for p in probes[n - n % q:n]:
            if not p.done or not p.final:
                return
            pfp = p
        # the next probe answered by the time this one was given up (one given up
        # counts only once do_it() reached it)
        due = probes[n].due
        k = next((i for i in range(n + 1, len(probes)) if probes[i].addr is not None
                  and probes[i].sent + probes[i].rtt < due), None)
        if k is None or not probes[k].final or not probes[k].mark:
            return
        fp = probes[k]
        if not (pfp is not None or n % q + (k - n) < q or
                any(p.addr == fp.addr for p in probes[:n] if p.addr is not None) or
                self._hops_match(n, fp)):
            return
        pb = probes[n]
        pb.addr, pb.rtt, pb.mark, pb.final, pb.recv_ttl = \
            fp.addr, fp.rtt, fp.mark, True, fp.recv_ttl
        self.last_ttl = min(self.last_ttl, pb.ttl)
        # memset(fp, 0) with a send time long past: it is given up at once
        self.clock.cancel(fp.timer)
        blank = Probe(fp.ttl, fp.port, fp.sent)
        probes[k] = blank
        blank.timer = self.clock.call_at(self.clock.now, self, "_expire", k)

    def _hops_match(self, n: int, fp: Probe) -> bool:
        """check_expired()'s guess from the final answer's TTL (ttl2hops(): an initial
        64, 128 or 255), measured against the nearest earlier time exceeded."""
        if not fp.recv_ttl:
            return False
        back_hops = _ttl2hops(fp.recv_ttl)
        q = self.opts["queries"]
        for i in range(n - 1, -1, -1):
            p = self.probes[i]
            if p.done and not p.final and p.recv_ttl:
                hops = _ttl2hops(p.recv_ttl)
                if hops < back_hops:
                    back_hops = back_hops - hops + i // q + 1
                    break
        return back_hops <= n // q + 1


    def _progress(self) -> None:
        """Print each hop whose probes are all done, in order; end after the last."""
        if self.done or self.lookup is not None or self.draining:
            return              # ended, blocked in getnameinfo(), or still in do_poll()
        q = self.opts["queries"]
        # do_it(): a probe given up is checked when it is the first not printed, and
        # so is each one after it in the same pass
        i = self.printed * q
        while i < len(self.probes) and self.probes[i].done:
            if self.probes[i].expired:
                self.probes[i].expired = False
                self._check_expired(i)
            i += 1
        while True:
            hop = self.probes[self.printed * q:(self.printed + 1) * q]
            if len(hop) < q or not all(p.done for p in hop):
                break
            if self._lookup_first(hop):
                return
            if self.opts["as_lookups"] and any(p.addr is not None for p in hop):
                self._as_lookup(hop)
                return
            self.term.out(self._line(hop))
            self.named = {}
            self.printed += 1
            if hop[0].ttl >= self.last_ttl:
                self.term.out("\n")
                self.exit(0)
                return
        self._send_more()

    def _line(self, hop: list[Probe]) -> str:
        """print_probe(): `\\n%2u ` and, per probe, the address when it differs from
        the previous one, then its time."""
        text = f"\n{hop[0].ttl:2d} "
        last = last_ext = last_ttl = None
        back = self.opts.get("back")
        for probe in hop:
            if probe.addr is None:
                text += " *" + (f"  {probe.rtt * 1000:.3f} ms" if probe.timed else "") + \
                    (" " + probe.mark if probe.mark else "")
                continue
            ext = getattr(probe, "ext", None)
            if probe.addr != last or ext != last_ext or back and probe.recv_ttl != last_ttl:
                # the address again when it or the answer's flags (-O info) differ,
                # or with --back its TTL
                text += " " + self._name(probe.addr) + self.as_suffix + \
                    (f" <{ext}>" if ext else "")
                if back and probe.recv_ttl and _ttl2hops(probe.recv_ttl) != probe.ttl:
                    text += f" '-{_ttl2hops(probe.recv_ttl)}'"
                last, last_ext, last_ttl = probe.addr, ext, probe.recv_ttl
            text += f"  {probe.rtt * 1000:.3f} ms"
            if probe.mark:
                text += " " + probe.mark
        return text

    def _as_lookup(self, hop: list[Probe]) -> None:
        """print_addr() -> get_as_path(): the first address printed asks
        getaddrinfo("whois.radb.net", "nicname") (RA_SERVER, RA_SERVICE), which fails
        here: "SERVER/SERVICE: REASON" on stderr and exit(2), the hop's line so far
        left in stdout's buffer (a terminal's line buffering wrote up to its
        newline). A world with a whois server is not simulated: its answer is "!!"
        (get_as_path()'s connect() failure)."""
        text = f"\n{hop[0].ttl:2d} "
        for probe in hop:
            if probe.addr is None:
                text += " *" + (f"  {probe.rtt * 1000:.3f} ms" if probe.timed else "") + \
                    (" " + probe.mark if probe.mark else "")
                continue
            text += " " + self._name(probe.addr)
            break
        self.as_text = text
        from ipemu.tools.xargs import environment
        server = environment(self.ctx).get("RA_SERVER") or "whois.radb.net"
        self.as_server = server
        try:
            getaddrinfo(self.ctx.session, server, 0)
        except ResolveError as err:
            from ipemu.tools.resolver import EAI_AGAIN, ForwardLookup
            self.as_reason = err.text
            if err.text == EAI_AGAIN and ForwardLookup.needed_for(self.ctx, server):
                self.lookup = ForwardLookup(self.ctx, server, self, "_as_failed")
                self.lookup.start()
                return
            self._as_failed(None)
            return
        self.opts["as_lookups"] = False
        self.as_suffix = " [!!]"
        self._progress()

    as_text = ""
    as_suffix = ""
    as_reason = ""
    as_server = "whois.radb.net"

    def _as_failed(self, _name) -> None:
        self.lookup = None
        head, _, rest = self.as_text.rpartition("\n")
        self.term.out(head + "\n")
        self.term.err(f"{self.as_server}/nicname: {self.as_reason}\n")
        self.term.out(rest)
        self.exit(2)

    def _name(self, addr) -> str:
        text = self._numeric(addr)
        if self.opts["numeric"]:
            return text
        name = self.named[addr] if addr in self.named else getnameinfo(self.ctx.session, addr)
        return f"{name or text} ({text})"

    def _numeric(self, addr) -> str:
        """addr2str() of an answer's source: recvmsg() gives a link-local source the
        scope id of the device it came in on (ipv6_iface_scope_id()), which
        getnameinfo() prints as `%NAME`: the socket's link device, else the route's."""
        if addr.version != 6 or not (addr.is_link_local or
                                     addr.is_multicast and addr.packed[1] & 0x0F == 2):
            return str(addr)
        device = getattr(self.sock, "device", None)
        if device is None:
            try:
                route, _ = self.ctx.netns.lookup(self.dst)
            except KernelError:
                return str(addr)
            device = self.ctx.netns.by_index(route.oif)
        return scoped_text(addr, device.ifindex, self.ctx.netns) if device else str(addr)

    def _lookup_first(self, hop: list[Probe]) -> bool:
        """Start the DNS lookup an address of this line needs (True: wait for it)."""
        if self.opts["numeric"]:
            return False
        for probe in hop:
            addr = probe.addr
            if addr is not None and addr not in self.named and \
                    ReverseLookup.needed(self.ctx, addr):
                self.lookup = ReverseLookup(self.ctx, addr, self, "_looked_up")
                self.lookup.start()
                return True
        return False

    def _looked_up(self, name) -> None:
        """The lookup ended: the line goes on, then what arrived meanwhile is read."""
        if self.lookup is None:
            return
        self.named[self.lookup.addr] = name
        self.lookup = None
        self._release_held()


# mod-tcp.c's tcp_flags[] (names_by_flags() lists a reply's flags in this order) and
# its option flags
TCP_FLAG_NAMES = (("fin", 0x01), ("syn", 0x02), ("rst", 0x04), ("psh", 0x08), ("ack", 0x10),
                  ("urg", 0x20), ("ece", 0x40), ("cwr", 0x80))
FL_FLAGS, FL_ECN, FL_SACK, FL_TSTAMP, FL_WSCALE = 0x100, 0x200, 0x400, 0x800, 0x1000
TCP_OPTIONS = ("syn", "ack", "fin", "rst", "psh", "urg", "ece", "cwr", "flags", "ecn",
               "sack", "timestamps", "window_scaling", "sysctl", "reuse", "mss", "info")


def _tcp_option(name: str) -> str | None:
    """The tcp method's option a -O word names (CLIF_ABBREV: flags, timestamps and
    window_scaling may be shortened), None for none."""
    if name in TCP_OPTIONS:
        return name
    for full in ("flags", "timestamps", "window_scaling"):
        if name and full.startswith(name) and not any(
                o.startswith(name) for o in TCP_OPTIONS if o != full):
            return full
    return None


def tcp_flag_names(flags: int) -> str:
    """names_by_flags(): a reply's flags for -O info (`<rst,ack>`)."""
    return ",".join(name for name, bit in TCP_FLAG_NAMES if flags & bit)


def _syn_template(ctx: ToolContext, dst, modopts=()) -> tuple[int, int, bytes]:
    """mod-tcp.c tcp_init()'s sample probe: -O's flags (syn, ack, ..., flags=NUM) and
    options (ecn, sack, timestamps, window_scaling, mss=NUM); with none of them,
    "sysctl" decides (check_sysctl(): a tcp_* value of exactly 1 turns its option on;
    tcp_ecn's default 2 does not) and the flag is SYN (with ECE|CWR for ecn). The
    MSS is the connected socket's IP_MTU (576 at least) less the headers, the window
    four times that (htons(): 16 bits), one random timestamp for every probe (its
    echo random too with ACK), the options in the kernel's SYN layout (mss with SYN,
    sackOK or two NOPs, TS, nop, wscale 2)."""
    import struct
    from ipemu.kernel.tcp import sysctl
    ns = ctx.netns
    flags, use_sysctl, mss_given = 0, False, 0
    for part in modopts:
        name, _, value = part.partition("=")
        name = _tcp_option(name)
        bit = dict(TCP_FLAG_NAMES).get(name)
        if bit is not None:
            flags |= bit
        elif name == "flags":
            flags = (flags & ~0xFF) | (int(value, 0) & 0xFF) | FL_FLAGS
        elif name in ("ecn", "sack", "timestamps", "window_scaling"):
            flags |= {"ecn": FL_ECN, "sack": FL_SACK, "timestamps": FL_TSTAMP,
                      "window_scaling": FL_WSCALE}[name]
        elif name == "sysctl":
            use_sysctl = True
        elif name == "mss":
            mss_given = int(value or 0)
    if not flags:
        use_sysctl = True
    if use_sysctl:
        for name, bit in (("ecn", FL_ECN), ("sack", FL_SACK), ("timestamps", FL_TSTAMP),
                          ("window_scaling", FL_WSCALE)):
            if sysctl(ns, f"net.ipv4.tcp_{name}") == "1":
                flags |= bit
    if not flags & (FL_FLAGS | 0xFF):
        flags |= 0x02 | (0x40 | 0x80 if flags & FL_ECN else 0)
    mtu = ns.stack.route_mtu(dst, None)
    # IP_MTU (IPV6_MTU) less the IP and TCP headers
    mss = (mtu if mtu >= 576 else 576) - (40 if dst.version == 4 else 60)
    options = b""
    if flags & 0x02:
        options += struct.pack("!BBH", 2, 4, mss_given or mss)
    if flags & FL_TSTAMP:
        rng = ctx.host.rng
        options += bytes((4, 2) if flags & FL_SACK else (1, 1))
        options += struct.pack("!BBII", 8, 10, rng.getrandbits(32),
                               rng.getrandbits(32) if flags & 0x10 else 0)
    elif flags & FL_SACK:
        options += bytes((1, 1, 4, 2))
    if flags & FL_WSCALE:
        options += bytes((1, 3, 3, 2))
    return flags & 0xFF, (4 * mss) & 0xFFFF, options


def _ttl2hops(ttl: int) -> int:
    """traceroute.c ttl2hops()."""
    if ttl <= 64:
        return 65 - ttl
    if ttl <= 128:
        return 129 - ttl
    return 256 - ttl
