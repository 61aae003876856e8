"""`tcpdump`: the command, its banners and statistics, live capture through a tap of the
simulated kernel, `-w`/`-r` pcap files and `-D`. What differs between tcpdump versions
(the version text, usage, option sets, banner wording) comes from the profile.

Dissecting and printing packets, and the filter language, live in ipemu.tcpdump.
"""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.process import SIGHUP, SIGINT, SIGPIPE, SIGTERM, Process

SIGUSR1, SIGUSR2 = 10, 12     # Linux x86_64 numbers
DUMP_BUFSIZ = 4096            # stdio's buffer of the -w file (st_blksize)
from ipemu.tools.resolver import ReverseLookup
from ipemu.profiles import Profile
from ipemu import syntax
from ipemu.tools.context import ToolContext

SPECIAL_DEVICES = [
    ("bluetooth-monitor", "Bluetooth Linux Monitor", "[Wireless]"),
    ("nflog", "Linux netfilter log (NFLOG) interface", "[none]"),
    ("nfqueue", "Linux netfilter queue (NFQUEUE) interface", "[none]"),
    ("dbus-system", "D-Bus system bus", "[none]"),
    ("dbus-session", "D-Bus session bus", "[none]"),
]


# from the -c'th packet to pcap_stats(): the loop's return and the last line's
# write (packets the kernel's filter takes meanwhile are "received by filter" only).
# Chosen, not measured: long enough for a ping's reply a few microseconds behind its
# request (tests/oracle_cases/capture_lines: `2 packets received by filter`)
STATS_AFTER_COUNT = 0.0002

# tcpdump's pcap_set_timeout(1000): TPACKET_V3's tp_retire_blk_tov, the kernel's timer
# that hands a block with packets to the reader (pcap-linux.c create_ring())
RING_BLOCK_TIMEOUT = 1.0


class Options:
    def __init__(self):
        self.interface = None
        self.count = 0
        self.write = None
        self.read = None
        self.list_devices = False
        self.flags: dict[str, int] = {}
        self.expression: list[str] = []
        self.snaplen = 262144
        self.linktype_name = None
        self.tstamp_type = None      # -j: pcap_tstamp_type_name_to_val()'s name
        self.username = None         # -Z: droproot()'s user
        self.cflag = 0               # -C: file size (MB) before a new file is begun
        self.wflag = 0               # -W: how many files
        self.gflag = 0               # -G: seconds before a new file is begun
        self.warnings: list[str] = []  # warning()s main() printed while parsing
        self.direction = None        # -Q: "in", "out" or "inout" (pcap_setdirection())
        self.nano = False            # --nano, --time-stamp-precision=nano
        self.infile = None           # -F: the filter expression's file
        self.vfile = None            # -V: a file naming the savefiles to read
        self.packettype = ""         # -T: the packet type, lower case

    def n(self, flag: str) -> int:
        return self.flags.get(flag, 0)


def parse(argv: list[str], profile: Profile) -> Options:
    opts = Options()
    shortopts = profile["tcpdump_optstring"]
    # print_usage(): the version text, then the usage
    usage = profile["tcpdump_version"] + profile.usage("tcpdump_usage")
    # getopt_long() over grammar/tcpdump_options.lark with the profile's options
    hidden = syntax.letters_hidden("tcpdump_options", shortopts,
                                   tuple(profile["tcpdump_longopts"]))
    try:
        pairs, words = syntax.getopt("tcpdump_options", "tcpdump", argv[1:], hidden)
    except syntax.GetoptError as err:
        raise CommandError(err.message + "\n" + usage, 1)
    opts.expression = [str(w) for w in words]
    for flag, value in pairs:
        if flag == "--fp-type":
            # main(): float_type_check(0x4e93312d) prints its test sum and exits,
            # before the options after it are read
            raise _Exit(0, "9877.895\n")
        if flag == "--version":
            raise _Exit(0, profile["tcpdump_version"], profile["tcpdump_version_stream"])
        if flag in ("--help", "-h"):
            raise _Exit(0, usage, stream=profile["tcpdump_help_stream"])
        if flag in ("--list-interfaces", "-D"):
            opts.list_devices = True
        elif flag == "--number":
            opts.flags["#"] = opts.flags.get("#", 0) + 1
        elif flag == "--print":
            opts.flags["print"] = 1       # -w's packets are printed too
        elif flag == "--count":
            opts.flags["count"] = 1       # count_mode: packets counted, not printed
        elif flag in ("--micro", "--nano"):
            opts.nano = flag == "--nano"
        elif flag == "--time-stamp-precision" and value is not None:
            # tstamp_precision_from_string(): a prefix match of either word
            if not str(value).startswith(("micro", "nano")):
                raise CommandError("tcpdump: unsupported time stamp precision\n", 1)
            opts.nano = str(value).startswith("nano")
        elif flag in LONG_VALUE_OPTIONS and value is not None:
            _value_option(opts, LONG_VALUE_OPTIONS[flag], value, profile)
        elif flag in LONG_FLAG_OPTIONS:
            letter = LONG_FLAG_OPTIONS[flag]
            opts.flags[letter] = opts.flags.get(letter, 0) + 1
        elif flag == "--immediate-mode":
            opts.flags["immediate"] = 1   # pcap_set_immediate_mode(): TPACKET_V2
        elif flag.startswith("--"):
            continue
        elif value is not None:
            _value_option(opts, flag[1], value, profile)
        else:
            opts.flags[flag[1]] = opts.flags.get(flag[1], 0) + 1
    return opts


PACKET_TYPES = ("vat", "wb", "rpc", "rtp", "rtcp", "snmp", "cnfp", "tftp", "aodv", "carp",
                "radius", "zmtp1", "vxlan", "pgm", "pgm_zmtp1", "lmp", "resp", "domain",
                "ptp", "someip")


# pcap.c's tstamp_type_choices[]: name -> description
TSTAMP_TYPES = {"host": "Host", "host_lowprec": "Host, low precision",
                "host_hiprec": "Host, high precision", "adapter": "Adapter",
                "adapter_unsynced": "Adapter, not synced with system time",
                "host_hiprec_unsynced": "Host, high precision, not synced with system time"}

# the link types a live capture offers (pcap-linux.c): name -> (DLT, description)
LIVE_DLTS = {"EN10MB": (1, "Ethernet"), "DOCSIS": (143, "DOCSIS"), "RAW": (12, "Raw IP"),
             "LINUX_SLL": (113, "Linux cooked v1"), "LINUX_SLL2": (276, "Linux cooked v2")}

# long options (tcpdump.c's longopts[]) that are a letter's synonym
LONG_VALUE_OPTIONS = {"--interface": "i", "--snapshot-length": "s", "--direction": "Q",
                      "--time-stamp-type": "j", "--linktype": "y",
                      "--relinquish-privileges": "Z", "--buffer-size": "B"}
LONG_FLAG_OPTIONS = {"--list-time-stamp-types": "J", "--list-data-link-types": "L",
                     "--monitor-mode": "I", "--dont-verify-checksums": "K",
                     "--no-optimize": "O", "--no-promiscuous-mode": "p",
                     "--absolute-tcp-sequence-numbers": "S", "--packet-buffered": "U"}


def _value_option(opts: Options, ch: str, value: str, profile: Profile) -> None:
    if ch == "i":
        opts.interface = value
    elif ch == "c":
        count = _atoi(value)            # main(): cnt = atoi(optarg), so 1x is 1
        if count <= 0:
            raise CommandError(f"tcpdump: invalid packet count {value}\n", 1)
        opts.count = count
    elif ch == "B":
        if _c_int(_atoi(value) * 1024) <= 0:      # Bflag = atoi(optarg)*1024
            raise CommandError(f"tcpdump: invalid packet buffer size {value}\n", 1)
    elif ch == "C":
        size, rest = _strtol(value, 10)
        if rest == value or rest or abs(size) >= 2 ** 63 - 1 or size <= 0:
            raise CommandError(f"tcpdump: invalid file size {value}\n", 1)
        if size > (2 ** 63 - 1) // 1000000:
            raise CommandError(f"tcpdump: file size {value} is too large\n", 1)
        opts.cflag = size
    elif ch == "W":
        if _atoi(value) <= 0:
            raise CommandError(f"tcpdump: invalid number of output files {value}\n", 1)
        opts.wflag = _atoi(value)
    elif ch == "G":
        if _atoi(value) < 0:
            raise CommandError(f"tcpdump: invalid number of seconds {value}\n", 1)
        opts.gflag = _atoi(value)
    elif ch == "Z":
        opts.username = value
    elif ch == "m":
        # main() without USE_LIBSMI (Debian's build): a warning, and on
        opts.warnings.append(f"tcpdump: ignoring option `-m {value}' (no libsmi support)\n")
    elif ch == "w":
        opts.write = value
    elif ch == "r":
        opts.read = value
    elif ch == "F":
        opts.infile = value
    elif ch == "y":
        # main(): pcap_datalink_name_to_val() while the options are parsed
        from ipemu.tcpdump.dlt_names import name_to_val
        opts.linktype_name = name_to_val(value)
        if opts.linktype_name is None:
            raise CommandError(f"tcpdump: invalid data link type {value}\n", 1)
    elif ch == "j":
        # main(): pcap_tstamp_type_name_to_val(), case-insensitively
        if value.lower() not in TSTAMP_TYPES:
            raise CommandError(f"tcpdump: invalid time stamp type {value}\n", 1)
        opts.tstamp_type = value.lower()
    elif ch == "V":
        opts.vfile = value
    elif ch == "T":
        # main()'s -T: the packet types it knows, case-insensitively
        if value.lower() not in PACKET_TYPES:
            raise CommandError(f"tcpdump: unknown packet type `{value}'\n", 1)
        opts.packettype = value.lower()
    elif ch == "Q":
        # main(): ascii_strcasecmp() against the three directions
        if value.lower() not in ("in", "out", "inout"):
            raise CommandError(f"tcpdump: unknown capture direction `{value}'\n", 1)
        opts.direction = value.lower()
    elif ch == "s":
        # main(): (int)strtol(optarg, &end, 0), all of it, within 0..MAXIMUM_SNAPLEN
        snaplen, rest = _strtol(value, 0)
        snaplen = _c_int(snaplen)
        if rest == value or rest or not 0 <= snaplen <= 262144:
            raise CommandError("tcpdump: " + profile["tcpdump_snaplen_error"].format(
                value=value, max=262144) + "\n", 1)
        opts.snaplen = snaplen or 262144


_STRTOL = {10: re.compile(r"[ \t\n\v\f\r]*([+-]?)([0-9]+)"),
           0: re.compile(r"[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)")}


def _strtol(text: str, base: int) -> tuple[int, str]:
    """strtol(): the value (saturated at LONG_MIN/LONG_MAX) and what follows the
    digits it read; all of `text` when it read none. Base 0 or 10."""
    match = _STRTOL[base].match(text)
    if match is None:
        return 0, text
    digits = match.group(2)
    if base == 10 or digits[0] != "0":
        value = int(digits)
    else:
        value = int(digits[2:], 16) if digits[1:2] in ("x", "X") else int(digits, 8)
    value = -value if match.group(1) == "-" else value
    return max(-(2 ** 63), min(value, 2 ** 63 - 1)), text[match.end():]


def _c_int(value: int) -> int:
    """The low 32 bits of a long, as a C int keeps them."""
    return (value + 2 ** 31) % 2 ** 32 - 2 ** 31


def _atoi(text: str) -> int:
    """glibc's atoi(): (int)strtol(text, NULL, 10), 0 when no digits start it."""
    return _c_int(_strtol(text, 10)[0])


class _Exit(Exception):
    def __init__(self, status: int, text: str = "", stream: str = "out"):
        self.status = status
        self.text = text
        self.stream = stream


def main(ctx: ToolContext, argv: list[str]):
    try:
        opts = parse(argv, ctx.profile)
    except _Exit as done:
        (ctx.term.out if done.stream == "out" else ctx.term.err)(done.text)
        return done.status
    for warning in opts.warnings:
        ctx.term.err(warning)
    if opts.list_devices:
        ctx.term.out(list_devices(ctx))
        return 0
    # main(), after -D: the checks of the options together
    if opts.n("t") > 5:
        raise CommandError("tcpdump: only -t, -tt, -ttt, -tttt and -ttttt are supported\n", 1)
    if opts.n("f") and (opts.vfile is not None or opts.read is not None):
        raise CommandError("tcpdump: -f can not be used with -V or -r\n", 1)
    if opts.vfile is not None and opts.read is not None:
        raise CommandError("tcpdump: -V and -r are mutually exclusive.\n", 1)
    expression = " ".join(opts.expression)
    popts = print_options(opts, ctx)
    if opts.read is None and opts.vfile is not None:
        return read_listed_files(ctx, opts, expression, popts)
    if opts.read is not None:
        # a savefile's filter is compiled for its link type, after the banner
        return read_file(ctx, opts, expression, popts)
    if opts.n("d") and opts.interface is None:
        return _dump_dead(ctx, opts, expression)
    capture = Capture(ctx, opts, None, popts)
    # tcpdump.c main(): the device is opened and activated before the filter is
    # compiled, so a missing or down device is reported even with a bad filter
    try:
        capture.activate()
    except _Exit as done:         # -J, -L: their listing is all
        ctx.term.out(done.text)
        return done.status
    if opts.infile is not None:
        expression = read_infile(ctx, opts.infile)
    # pcap_compile() on the opened handle: the filter is compiled for its link type
    # (-i any's cooked header refuses `ether host`)
    capture.predicate = _compile(expression, capture.linktype, not opts.n("O"),
                                 names=FilterNames(ctx.session), live=True)
    if opts.n("d"):
        # main(): -d dumps the compiled program and exits, nothing captured
        return _dump_program(ctx, opts, expression, capture.linktype, opts.snaplen)
    if getattr(capture.predicate, "kernel_refuses", False):
        # pcap_setfilter() -> pcap_setfilter_linux(): the kernel refused the program
        # (a backward jump: protochain), so libpcap warns and filters in user space
        ctx.term.err("Warning: Kernel filter failed: Invalid argument\n")
    if opts.username is not None:
        from ipemu.tools.sysinfo import known_user
        if not known_user(ctx.session, opts.username):
            # droproot(): getpwnam() once the filter is set, before the capture
            raise CommandError(f"tcpdump: Couldn't find user '{opts.username[:32]}'\n", 1)
    return capture.start()


def read_listed_files(ctx: ToolContext, opts: Options, expression: str, popts) -> int:
    """-V FILE: the savefiles it names (get_next_file(): fgets() lines, the newline
    cut, nothing else: an empty line names ""), read one after the other by one
    pcap_loop() each (-c counts in each file); "-" is the standard input. With -w the
    packets of every file go to the one dump opened for the first."""
    if opts.vfile == "-":
        listing = ctx.stdin if isinstance(ctx.stdin, str) else ""
    else:
        try:
            listing = ctx.session.open_file(opts.vfile)
        except OSError as err:
            raise CommandError(f"tcpdump: Unable to open file: {err.strerror}\n", 1)
    if isinstance(listing, bytes):
        listing = listing.decode("latin-1")
    names = listing.split("\n")
    if names[-1] == "":
        names.pop()             # the last line's newline ends it: no line after it
    if not names:
        raise CommandError(f"tcpdump: Nothing in {opts.vfile}\n", 1)
    status = 0
    shared = ReadState()
    for k, name in enumerate(names):
        if k and not _tcpdump_user_may_read(ctx, opts, name):
            # main(): droproot() to Debian's "tcpdump" user (WITH_USER) once the first
            # savefile is open; the next ones are opened as that user, whom root's
            # home (0700) refuses: pcap_open_offline()'s "NAME: Permission denied"
            # (recorded: case captures40_vfile_list)
            raise CommandError(f"tcpdump: {name}: Permission denied\n", 1)
        opts.read = name
        status = read_file(ctx, opts, expression, popts, shared)
        if status:
            break
    if not status:
        _print_count(ctx, opts, shared.total)
    return status


def _tcpdump_user_may_read(ctx: ToolContext, opts: Options, name: str) -> bool:
    """Whether the user droproot() switched to may open `name`: root itself (-Z
    root), else only a path outside root's home, which no other user may search."""
    from ipemu.files import HOME
    if opts.username == "root":
        return True
    path = ctx.session.fs.resolve(name, ctx.session.cwd)
    return not (path == HOME or path.startswith(HOME + "/"))


def read_infile(ctx: ToolContext, name: str) -> str:
    """read_infile() (tcpdump.c): -F's file is the whole expression, the words after
    the options ignored; a '#' starts a comment to the end of its line."""
    try:
        data = ctx.session.open_file(name)
    except IsADirectoryError:
        raise CommandError(f"tcpdump: read {name}: Is a directory\n", 1)
    except OSError as err:
        raise CommandError(f"tcpdump: can't open {name}: {err.strerror}\n", 1)
    import re
    text = data.decode("latin-1")
    return re.sub(r"#[^\n]*", lambda m: " " * len(m.group(0)), text)


def _compile(expression: str, linktype: int | None, optimize: bool = True,
             names: "FilterNames | None" = None, live: bool = False,
             device: bool | None = None):
    """The filter's predicate (None without one); a bad filter is tcpdump's error, 1.
    -O (`optimize` False): no optimizer, so no `expression rejects all packets`;
    `names` answers `host NAME`; `live`: compiled on a capture device, where
    inbound/outbound ask the kernel for the packet's type (not a savefile's)."""
    if not expression:
        return None
    from ipemu.tcpdump import FilterError, compile_filter
    try:
        return compile_filter(expression, linktype, optimize=optimize, hosts=names,
                              savefile=not live, device=device)
    except FilterError as err:
        raise CommandError(f"tcpdump: {err}\n", 1)


class FilterNames:
    """pcap_nametoaddrinfo(): getaddrinfo() of a filter's host name (`host localhost`,
    `dst host NAME`): /etc/hosts, then the world's DNS; every address it gives, IPv4
    first. An unknown name has none (libpcap: `unknown host 'NAME'`)."""

    def __init__(self, session) -> None:
        self.session = session

    def get(self, name: str, default=()):
        from ipemu.tools.resolver import ResolveError, getaddrinfo_all
        try:
            return [str(a) for a in getaddrinfo_all(self.session, name)]
        except ResolveError:
            return default


# pcap/dlt.h values of the link types -d can be asked for with -y and no device
DEAD_DLTS = {"NULL": 0, "EN10MB": 1, "RAW": 12, "LOOP": 108, "LINUX_SLL": 113,
             "IPV4": 228, "IPV6": 229, "LINUX_SLL2": 276}


def _dump_dead(ctx: ToolContext, opts: Options, expression: str) -> int:
    """main() with -d and no -i: no device is opened; pcap_open_dead() of -y's link
    type, else DLT_EN10MB with "Warning: assuming Ethernet" on stderr (recorded, with
    no device up or with one), then the filter compiled for it as for a savefile."""
    if opts.linktype_name is None:
        ctx.term.err("Warning: assuming Ethernet\n")
        linktype = 1
    else:
        linktype = DEAD_DLTS.get(opts.linktype_name)
        if linktype is None:
            raise CommandError("ipemu: tcpdump -d -y "
                               f"{opts.linktype_name} without a device is not simulated\n", 1)
    if opts.infile is not None:
        expression = read_infile(ctx, opts.infile)
    # a dead pcap_t reads no file (bpf_pcap->rfile NULL): gen_inbound() and
    # gen_ifindex() make the kernel's SKF_AD loads, as on a device (recorded)
    # (its VLAN code reads the tags from the packet: no kernel metadata, as -d shows)
    _compile(expression, linktype, not opts.n("O"), names=FilterNames(ctx.session), live=True,
             device=False)
    return _dump_program(ctx, opts, expression, linktype, opts.snaplen, live=False,
                         savefile=False)


def _dump_program(ctx: ToolContext, opts: Options, expression: str, linktype: int,
                  snaplen: int, live: bool = True, savefile: bool | None = None) -> int:
    """-d/-dd/-ddd: bpf_dump() of the program pcap_compile() made (the shapes ipemu
    knows: ipemu.tcpdump.bpfcode, and libpcap's generator and optimizer for the
    primitives ipemu.tcpdump.bpfgen makes)."""
    from ipemu.tcpdump import bpfcode
    from ipemu.tcpdump.bpfopt import CompileError
    try:
        insns = bpfcode.program(expression, snaplen, linktype, live,
                                optimize=not opts.n("O"), hosts=FilterNames(ctx.session),
                                savefile=savefile)
    except CompileError as err:
        raise CommandError(f"tcpdump: {err}\n", 1)
    if insns is None:
        raise CommandError("ipemu: tcpdump -d of this filter (libpcap's code generator "
                           "for it) is not simulated\n", 1)
    ctx.term.out(bpfcode.dump(insns, opts.n("d")))
    return 0


def print_options(opts: Options, ctx: ToolContext):
    """The flags as the printer takes them; names come from /etc/hosts only (no DNS)."""
    from ipemu.tcpdump import PrintOptions
    hosts = {} if opts.n("n") else _hosts_names(ctx)
    return PrintOptions(nflag=opts.n("n"), eflag=opts.n("e"), vflag=opts.n("v"),
                        qflag=opts.n("q"), tflag=opts.n("t"), xflag=opts.n("x"),
                        Xflag=opts.n("X"), Aflag=opts.n("A"), Sflag=opts.n("S"),
                        Kflag=opts.n("K"), nano=int(opts.nano), hosts=hosts,
                        packettype=opts.packettype, bflag=opts.n("b"), Hflag=opts.n("H"),
                        ifnames={d.ifindex: d.name for d in ctx.netns.device_list()})


def _copy_file(ctx: ToolContext, opts: Options, capture, predicate,
               shared: "ReadState | None" = None) -> int:
    """`tcpdump -r IN -w OUT [filter]`: the records the filter keeps (at most -c of them)
    written as pcap_dump() writes them: a classic microsecond file with the input's
    snapshot length and link type, each record's time, captured and wire lengths."""
    import struct
    linktype = {12: 101}.get(capture.linktype, capture.linktype)   # dlt_to_linktype()
    # sf_write_header(): the nanosecond magic when the stamps were asked in nanoseconds
    magic = 0xA1B23C4D if opts.nano else 0xA1B2C3D4
    out = [struct.pack("<IHHiIII", magic, 2, 4, 0, 0, capture.snaplen, linktype)]
    if shared is not None:
        # -V: the dump opened for the first file takes the next files' records too
        if shared.dump is None:
            shared.dump, shared.dump_linktype = out, linktype
        elif shared.dump_linktype != linktype:
            raise CommandError(f"tcpdump: {opts.read}: new dlt does not match original\n", 1)
        out = shared.dump
    kept = 0
    for (_, frame), wirelen, (sec, usec) in zip(capture.records, capture.wire_lengths,
                                                capture.stamps):
        if predicate is not None and not predicate(frame, capture.linktype, wirelen):
            continue
        out.append(struct.pack("<IIII", sec & 0xFFFFFFFF, usec & 0xFFFFFFFF, len(frame),
                               wirelen) + frame)
        kept += 1
        if opts.count and kept >= opts.count:
            break
    try:
        write_savefile(ctx, opts.write, b"".join(out))
    except OSError as err:
        raise CommandError(f"tcpdump: {opts.write}: {err.strerror}\n", 1)
    if capture.error and not (opts.count and kept >= opts.count):
        ctx.term.err(f"tcpdump: pcap_loop: {capture.error}\n")
        return 1
    return 0


def _split_stamp(stamp) -> tuple[int, int]:
    from ipemu.tcpdump.printer import _split
    return _split(stamp)        # (seconds, fraction): zero in both is an unset stamp


def _hosts_names(ctx: ToolContext) -> dict[str, str]:
    """Address text -> the first name /etc/hosts gives it (its first line wins), as
    gethostbyaddr() answers tcpdump from the files."""
    from ipemu.tools.resolver import hosts_entries
    names: dict[str, str] = {}
    for address, aliases in hosts_entries(ctx.session):
        names.setdefault(str(address), aliases[0])
    return names


# dlt_to_linktype() (pcap-common.c): a savefile says LINKTYPE_RAW (101) for DLT_RAW
# (recorded: the header of a -w capture on a TUN device)
DLT_TO_LINKTYPE = {12: 101}

# map_arphrd_to_dlt() (pcap-linux.c): ARPHRD_NONE (TUN), ARPHRD_TUNNEL (ipip) and
# ARPHRD_SIT are captured as DLT_RAW
RAW_LINK_TYPES = ("none", "ipip", "sit")


def device_dlts(dev) -> list[str]:
    """pcap-linux.c's map_arphrd_to_dlt(): an Ethernet device's list is EN10MB and
    DOCSIS, a loopback's its one type; the `any` device (None) is cooked v1 and v2."""
    if dev is None:
        return ["LINUX_SLL", "LINUX_SLL2"]
    if dev.info.link_type in RAW_LINK_TYPES:
        return ["RAW"]          # a TUN device, ipip and sit tunnels: their packets are bare IP
    return ["EN10MB"] if dev.kind == "loopback" else ["EN10MB", "DOCSIS"]


def list_link_types(name: str, dlts: list[str]) -> str:
    """show_dlts_and_exit(): `-L`, after the device was activated; a type without a
    printer in tcpdump is marked."""
    return f"Data link types for {name} (use option -y to set):\n" + "".join(
        f"  {dlt} ({LIVE_DLTS[dlt][1]})"
        f"{' (printing not supported)' if dlt == 'DOCSIS' else ''}\n" for dlt in dlts)


def list_tstamp_types(name: str) -> str:
    """show_tstamp_types_and_exit(): `-J`, right after pcap_create(): no device here
    stamps in hardware (ethtool's ETHTOOL_GET_TS_INFO), so the host's clock only."""
    return f"Time stamp types for {name} (use option -j to set):\n  host (Host)\n"


# ------------------------------------------------------------------- -D
# drivers whose ethtool_ops have no get_link (ifb.c, dummy.c, vrf.c; wireguard has
# none at all): get_if_flags()'s ETHTOOL_GLINK fails with EOPNOTSUPP, and the connection
# status stays unknown (recorded: `2.i0 [none]`, `1.i0 [Up, Running]`)
NO_GET_LINK = frozenset({"ifb", "dummy", "vrf", "wireguard"})


def _connection(dev) -> str | None:
    """get_if_flags(): Connected or Disconnected from ETHTOOL_GLINK, None when that
    does not apply (loopback) or the driver cannot say."""
    if dev.kind == "loopback" or dev.kind in NO_GET_LINK:
        return None
    return "Connected" if dev.carrier and dev.admin_up else "Disconnected"


def _merit(dev) -> int:
    """pcap's figure of merit (get_figure_of_merit()): up, running, not disconnected,
    non-loopback devices first."""
    n = 0
    if not dev.admin_up:
        n |= 0x80000000
    if not dev.running:
        n |= 0x40000000
    if _connection(dev) == "Disconnected":
        n |= 0x20000000
    if dev.kind == "loopback":
        n |= 0x10000000
    return n


def _status(dev) -> str:
    parts = []
    if dev.admin_up:
        parts.append("Up")
    if dev.running:
        parts.append("Running")
    if dev.kind == "loopback":
        parts.append("Loopback")
    elif not parts:
        parts.append("none")
    connection = _connection(dev)
    if connection is not None:
        parts.append(connection)
    return "[" + ", ".join(parts) + "]"


def _all_devices(ctx: ToolContext) -> list[tuple[str, str, str]]:
    """pcap_findalldevs(): (name, description, status) in its order."""
    entries = []
    for dev in ctx.netns.device_list():
        entries.append((_merit(dev), dev.name, "", _status(dev)))
    entries.append((0x1, "any", "Pseudo-device that captures on all interfaces",
                    "[Up, Running]"))
    for name, desc, status in SPECIAL_DEVICES:
        entries.append((0xC0000000, name, desc, status))
    entries.sort(key=lambda e: e[0])  # stable: discovery order among equals
    return [e[1:] for e in entries]


def list_devices(ctx: ToolContext) -> str:
    return "".join(f"{i}.{name}{f' ({desc})' if desc else ''} {status}\n"
                   for i, (name, desc, status) in enumerate(_all_devices(ctx), 1))


def device_by_number(ctx: ToolContext, name: str) -> str:
    """tcpdump.c main(): a name that fails to open and is all digits is a 1-based
    index into pcap_findalldevs() (parse_interface_number, find_interface_by_number)."""
    devices = _all_devices(ctx)
    try:
        devnum = int(name, 10)
    except ValueError:
        return name
    if devnum <= 0 or devnum > len(devices):
        raise CommandError("tcpdump: Invalid adapter index\n", 1)
    return devices[devnum - 1][0]


# ---------------------------------------------------------------- capture
def _filtered_view(frame: bytes, linktype: int) -> bytes:
    """What the kernel's socket filter sees: every VLAN tag in the simulation travels
    beside the frame (veth and bridges offload it), so the filter reads the frame
    untagged, while the capture shows the tag that libpcap puts back."""
    if linktype == 1 and frame[12:14] in (b"\x81\x00", b"\x88\xa8"):
        return frame[:12] + frame[16:]
    return frame


def _network_header(frame: bytes) -> bytes:
    """The IP packet inside a frame of a device without link-layer header (TUN, ipip,
    sit): the simulation frames it as its link addresses (of either length, up to 16
    bytes each) and the type; the packet starts after the first type that announces
    the version it begins with."""
    for start in range(2, min(len(frame), 36), 2):
        kind, version = frame[start - 2:start], frame[start] >> 4
        if (kind, version) in ((b"\x08\x00", 4), (b"\x86\xdd", 6)):
            return frame[start:]
    return frame


# ARPHRD_NONE, ARPHRD_TUNNEL, ARPHRD_SIT (if_arp.h)
_RAW_HATYPES = {"none": 0xFFFE, "ipip": 768, "sit": 776}


def _cooked_raw(frame: bytes, dev, outgoing: bool, linktype: int) -> bytes:
    """-i any's cooked header for a packet of a device without link-layer header: the
    packet socket's SOCK_DGRAM gives the network header, skb->protocol by its IP
    version, the device's ARPHRD type and no address (dev_parse_header() without
    header_ops: sll_halen 0); PACKET_OUTGOING or PACKET_HOST."""
    from ipemu.pcap import Sll2Header, SllHeader
    packet = _network_header(frame)
    protocol = 0x86DD if packet[:1] and packet[0] >> 4 == 6 else 0x0800
    hatype = _RAW_HATYPES[dev.info.link_type]
    pkttype = 4 if outgoing else 0
    if linktype == 276:
        return Sll2Header(protocol, dev.ifindex, hatype, pkttype, b"").pack() + packet
    return SllHeader(pkttype, hatype, b"", protocol).pack() + packet


def _plural(n: int) -> str:
    return "" if n == 1 else "s"


def _stdout_to_file(term) -> bool:
    """Whether fd 1 of `term` is a file (or /dev/null): its redirections' sink (the
    shell's FdSink, behind a background job's fork holder) followed outwards."""
    for _ in range(16):
        sink = getattr(term, "sink", None)
        if sink is not None and not hasattr(sink, "fds") and hasattr(sink, "sink"):
            sink = sink.sink            # a job's writes held until its fork ran
        fds = getattr(sink, "fds", None)
        if not isinstance(fds, dict):
            return False
        dest = fds.get(1)
        kind = getattr(dest, "kind", "term")
        if kind in ("file", "null"):
            return True
        if kind != "term":
            return False
        term = getattr(sink, "outer", None)
    return False


class Capture(Process):
    # the compiled filter is code: saved as its expression (opts), compiled again
    __transient__ = ("predicate",)

    def __restore__(self) -> None:
        self.predicate = None
        if self.opts.expression:
            from ipemu.tcpdump import compile_filter
            self.predicate = compile_filter(" ".join(self.opts.expression),
                                            getattr(self, "linktype", None),
                                            hosts=FilterNames(self.ctx.session),
                                            savefile=False, optimize=not self.opts.n("O"))

    def __init__(self, ctx: ToolContext, opts: Options, predicate, popts):
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.opts = opts
        self.predicate = predicate
        self.popts = popts
        self.captured = 0
        self.received = 0
        self.tap = None
        self.records: list[tuple[float, bytes]] = []
        self.prev_ts = None
        self.first_ts = None
        self.linktype = 1
        # without -n: the addresses already looked up (addrtoname.c's hnametable),
        # the packets the filter took that wait for their turn (the socket's
        # buffer), the lookup under way, and a SIGINT/SIGTERM that came meanwhile
        self.names: dict = {}
        self.backlog: list[tuple[float, bytes]] = []
        self.lookup = None
        self.stopping = False
        # -c reached: pcap_loop() has returned, and the statistics are read a moment
        # later (pcap_stats() in info()): the kernel counts what its filter takes
        # meanwhile (a ping's reply), never printed
        self.counted_out = False
        self.got_timer = None        # -v -w: the "Got N" timer and the count it showed
        self.got_shown: int | None = None
        # the ring (_filtered_in_userland()): when it was set up, and when the first
        # block the kernel's filter filled is handed over
        self.ring_opened = 0.0
        self.first_block_end: float | None = None
        # packets in the ring's current block, and the timer that retires it
        self.ring_pending: list[tuple[float, bytes]] = []
        self.ring_retire = None
        self.ring_tov = 0.0
        # stdio's buffer of stdout when it is a pipe or a file and -l did not make it
        # line buffered (setvbuf(stdout, NULL, _IOLBF, 0)): whole 4096-byte blocks
        # are written as they fill, the rest when the loop ends (main()'s
        # fflush(stdout) before info()'s statistics: a file holds the packets, then
        # the statistics). Into a pipe the reader's copy comes after the statistics
        # tcpdump writes to the terminal itself (recorded 6 of 8 times: `tcpdump -c 2
        # ... | cat` shows the statistics, then the packets). None: written as
        # printed. (The shell's StdioBuffer holds a program's stdout only until it
        # starts; this one lasts the capture.)
        self.stdio: list[str] | None = None
        self.stdio_size = 0

    def activate(self) -> None:
        """open_interface() and the -y link type: the errors pcap_activate() gives;
        -J and -L answer on the way (_Exit with their listing)."""
        ctx, opts = self.ctx, self.opts
        ns = ctx.netns
        name = opts.interface
        wanted = opts.linktype_name
        if wanted is None and name is not None and name.startswith("any"):
            wanted = "LINUX_SLL2"     # main(): -i any's default is cooked v2
        if name is None:
            # main(): no -i: the first device pcap_findalldevs() lists (`any`
            # when no other device is up and running)
            name = _all_devices(ctx)[0][0]
        if opts.n("J"):
            raise _Exit(0, list_tstamp_types(name))
        if name != "any" and ns.by_name(name) is None:
            name = device_by_number(ctx, name)
        if opts.tstamp_type not in (None, "host"):
            # pcap_set_tstamp_type(): PCAP_WARNING_TSTAMP_TYPE_NOTSUP, a warning only
            ctx.term.err(f"tcpdump: WARNING: When trying to set timestamp type "
                         f"'{opts.tstamp_type}' on {name}: That type of time stamp is "
                         "not supported by that device\n")
        if opts.n("I"):
            # pcap_activate(): no device here is wireless (PCAP_ERROR_RFMON_NOTSUP),
            # found before a missing or down one
            raise CommandError(f"tcpdump: {name}: That device doesn't support monitor "
                               "mode\n", 1)
        dev = None
        if name != "any":
            dev = ns.by_name(name)
            if dev is None:
                raise CommandError(f"tcpdump: {name}: No such device exists\n"
                                   "(No such device exists)\n", 1)
            if not dev.admin_up:
                raise CommandError(f"tcpdump: {name}: That device is not up\n", 1)
        dlts = device_dlts(dev)
        if opts.n("L"):
            raise _Exit(0, list_link_types(name, dlts))
        if wanted is not None:
            if wanted not in dlts:     # pcap_set_datalink()
                raise CommandError(f"tcpdump: {wanted} is not one of the DLTs supported "
                                   "by this device\n", 1)
            ctx.term.err(f"tcpdump: data link type {wanted}\n")
        self.linktype = LIVE_DLTS[wanted or dlts[0]][0]
        self.device = dev
        self.name = name

    def start(self):
        ctx, opts = self.ctx, self.opts
        ns = ctx.netns
        name, dev = self.name, self.device
        if opts.write is not None:
            self._dump_open()
        link = next(f"{dlt} ({desc})" for dlt, (value, desc) in LIVE_DLTS.items()
                    if value == self.linktype)
        snapshot = ctx.profile["tcpdump_snapshot"]
        listening = f"listening on {name}, link-type {link}, " \
            f"{snapshot.format(snaplen=opts.snaplen)}\n"
        if opts.write is not None or opts.n("v"):
            ctx.term.err("tcpdump: " + listening)
        else:
            ctx.term.err(ctx.profile["tcpdump_verbose_hint"] + "\n" + listening)
        self.device = dev
        # pcap_activate(): promiscuous unless -p (PACKET_MR_PROMISC on the device)
        self.ring_opened = self.host.clock.wall
        self.ring_tov = self._ring_timeout()   # isatty(1) as tcpdump started
        if (opts.write is None or opts.n("print")) and not opts.n("l") and \
                self._stdout_not_tty():
            self.stdio = []
        self.tap = ns.stack.open_tap(dev, self._on_packet, on_gone=self._gone,
                                     promisc=not opts.n("p"))
        if opts.write is not None and opts.n("v"):
            # main(): -v with -w arms a 1 s interval timer (verbose_stats_dump())
            self.got_timer = self.host.clock.call_later(1.0, self, "_stats_dump")
        return self

    def _dump_open(self) -> None:
        """pcap_dump_open() once the device is open: the file exists (header only)
        from now on, or the capture stops with libpcap's message."""
        opts = self.opts
        if opts.cflag and opts.username != "root" and opts.write != "-":
            # Debian's tcpdump drops root for its "tcpdump" user before it opens the
            # file; with -C (a file it may have to begin again later) that open has
            # no CAP_DAC_OVERRIDE, and root's directory refuses the tcpdump user. The
            # first file's name is MakeFilename(WFileName, 0, WflagChars): -W's
            # digits (those of W - 1) appended. Recorded: case
            # tutorials36b_tcpdump_rotate_files ('tcpdump: rot.pcap: Permission
            # denied', 'ring.pcap0' with -W 2; -G, -W alone and -Z root write)
            digits = len(str(opts.wflag - 1)) if opts.wflag > 1 else 0
            name = f"{opts.write}{0:0{digits}d}" if digits else opts.write
            raise CommandError(f"tcpdump: {name}: Permission denied\n", 1)
        if opts.write == "-":
            return      # the standard output: the whole stream goes out at the end
        # main(): Gflag_time = time(NULL) when -G is read; the file is
        # MakeFilename(WFileName, 0, Cflag ? WflagChars : 0), strftime()'d with -G
        self.gflag_time = int(self.host.clock.wall)
        self.gflag_count = 0
        self.current_file = self._make_filename()
        try:
            self._open_dump()
        except OSError as err:
            raise CommandError(f"tcpdump: {self.current_file}: {err.strerror}\n", 1)

    current_file: str | None = None   # the dump file being written (-C/-G names)

    def _make_filename(self, count: int = 0) -> str:
        """MakeFilename(): strftime() of the name at Gflag_time with -G, then the file
        number in -W's digits (getWflagChars(): those of W - 1) with -C, or without
        them a number other than 0 as it is."""
        opts = self.opts
        name = opts.write
        if opts.gflag:
            import time
            name = time.strftime(name, time.localtime(self.gflag_time))
        digits = len(str(opts.wflag - 1)) if opts.wflag > 1 else 0
        if opts.cflag and digits:
            name = f"{name}{count:0{digits}d}"
        elif count:
            name = f"{name}{count}"
        return name

    def _rotate(self) -> bool:
        """dump_packet_and_trunc() with -G: the first packet Gflag seconds or more after
        the file was begun closes it and begins the next (the packet counted first);
        -W files without -C end the capture ("Maximum file limit reached"). Debian's
        tcpdump has dropped root for its "tcpdump" user by then, so a new file in root's
        home is refused (recorded: captures40_file_rotation). True: the capture ended."""
        opts = self.opts
        now = int(self.host.clock.wall)
        if now - self.gflag_time < opts.gflag:
            return False
        self._write_dump()
        self.records = []
        self.gflag_time = now
        self.gflag_count += 1
        if not opts.cflag and opts.wflag > 0 and self.gflag_count >= opts.wflag:
            self.captured += 1
            self.term.err(f"Maximum file limit reached: {opts.wflag}\n")
            self.done_writing = True
            self._finish(False)
            return True
        self.current_file = self._make_filename()
        return self._next_file()

    def _next_file(self) -> bool:
        """The rotation's next file (self.current_file) opened, as -G and -C do it:
        pcap_dump_open() after setuid to -Z's user (who may not write root's home), an
        error ends the capture with status 1 and no statistics. True: it ended."""
        from ipemu.files import HOME
        path = self.ctx.session.fs.resolve(self.current_file, self.ctx.session.cwd)
        if self.opts.username != "root" and (path == HOME or path.startswith(HOME + "/")):
            self.term.err(f"tcpdump: {self.current_file}: Permission denied\n")
            self.done_writing = True
            self.exit(1)        # error(): no statistics
            return True
        try:
            self._open_dump()
        except OSError as err:
            self.term.err(f"tcpdump: {self.current_file}: {err.strerror}\n")
            self.done_writing = True
            self.exit(1)
            return True
        return False

    done_writing = False
    dump_stream = 0         # the bytes pcap_dump() has handed to stdio in this file
    dump_on_disk = -1       # how many of them stdio has written to the file

    def _open_dump(self) -> None:
        """pcap_dump_open(): fopen(NAME, "w") makes the file empty; the file header
        waits in stdio's buffer with the records (-U: pcap_dump_flush() at once)."""
        from ipemu.pcap import file_header
        self.dump_bytes = bytearray(file_header(
            DLT_TO_LINKTYPE.get(self.linktype, self.linktype), self.opts.snaplen,
            self.opts.nano))
        self.dump_stream = len(self.dump_bytes)
        self.ctx.session.write_file(self.current_file, b"")
        self.dump_on_disk = 0
        self._dump_flush(whole=bool(self.opts.n("U")))

    def _dump_record(self, ts: float, frame: bytes) -> None:
        """pcap_dump(): the record goes to stdio's buffer (and the file, as it fills)."""
        from ipemu.pcap import record
        self.records.append((ts, frame))
        if self.dump_on_disk < 0:
            return
        self.dump_bytes += record(ts, frame, self.opts.snaplen, self.opts.nano)
        self.dump_stream = len(self.dump_bytes)
        self._dump_flush(whole=bool(self.opts.n("U")))

    def _rotate_size(self) -> bool:
        """dump_packet_and_trunc() with -C: a packet that finds the file's stream
        (pcap_dump_ftell()) past Cflag (the -C value in millions of bytes) closes it
        and begins the next, MakeFilename(WFileName, Cflag_count, WflagChars): NAME1,
        NAME2... (NAME0, NAME1... in -W's digits, back to 0 after -W files); the
        packet goes to the new file. True: the capture ended."""
        opts = self.opts
        if self.dump_stream <= opts.cflag * 1000000:
            return False
        self._write_dump()
        self.records = []
        self.cflag_count += 1
        if opts.wflag > 0 and self.cflag_count >= opts.wflag:
            self.cflag_count = 0
        self.current_file = self._make_filename(self.cflag_count)
        return self._next_file()

    cflag_count = 0

    def _dump_flush(self, whole: bool) -> None:
        """What of the dump stream is in the file while the capture runs: all of it
        after pcap_dump_flush() (-U after each packet, SIGUSR2's flushpcap()), else
        what a full stdio buffer wrote (glibc's _IO_new_file_xsputn(): whole blocks of
        st_blksize, 4096 bytes; a buffer just filled waits for the next write)."""
        total = self.dump_stream
        size = total if whole else max(0, (total - 1) // DUMP_BUFSIZ * DUMP_BUFSIZ)
        if size <= self.dump_on_disk:
            return
        try:
            self.ctx.session.write_file(self.current_file or self.opts.write,
                                        bytes(self.dump_bytes[self.dump_on_disk:size]),
                                        append=True)
        except OSError:
            return
        self.dump_on_disk = size

    def _write_dump(self) -> None:
        from ipemu.pcap import write_pcap
        try:
            write_savefile(self.ctx, self.current_file or self.opts.write, write_pcap(
                self.records, linktype=DLT_TO_LINKTYPE.get(self.linktype, self.linktype),
                snaplen=self.opts.snaplen, nano=self.opts.nano))
        except OSError as err:     # the file went away under us: what was lost
            self.term.err(f"tcpdump: {self.opts.write}: {err.strerror}\n")

    def blocked(self) -> bool:
        return True

    def _filtered_in_userland(self, ts: float) -> bool:
        """Whether libpcap runs the filter again on this packet, in userland.
        pcap_setfilter_linux() counts the ring's free blocks and leaves one block's
        packets to filter in userland (blocks_to_filter_in_userland = 1: those that
        passed the filter the socket had before): the first block handed to the reader.
        With TPACKET_V3 a block is retired by the kernel's timer (tp_retire_blk_tov,
        tcpdump's 1000 ms timeout, from the ring's setup; an empty block is kept), so
        the first block holds what the kernel's filter took until the first tick after
        its first packet; --immediate-mode uses TPACKET_V2, one packet a frame, so only
        the first packet. A program the kernel refused is run in userland throughout.
        Recorded: `timeout 14 tcpdump -i v0 outbound` beside a ping -i 1 loses the ARP
        request and echo 1, with --immediate-mode the ARP request only."""
        if getattr(self.predicate, "kernel_refuses", False):
            return True
        if self.first_block_end is None:
            if self.opts.n("immediate"):
                self.first_block_end = ts
            else:
                ticks = int((ts - self.ring_opened) // RING_BLOCK_TIMEOUT) + 1
                self.first_block_end = self.ring_opened + ticks * RING_BLOCK_TIMEOUT
            return True
        return ts < self.first_block_end

    def _on_packet(self, ts: float, frame: bytes, dev, outgoing: bool) -> None:
        if self.done:
            return
        if self.linktype == 12:
            # DLT_RAW: the packet as the packet socket gets it from a device without a
            # link-layer header (skb's mac header is its network header)
            frame = _network_header(frame)
        if self.linktype in (113, 276) and dev.info.link_type in RAW_LINK_TYPES:
            frame = _cooked_raw(frame, dev, outgoing, self.linktype)
        elif self.linktype == 276:
            from ipemu.pcap import sll2_header
            frame = sll2_header(frame, dev, outgoing) + frame[14:]
        elif self.linktype == 113:
            from ipemu.pcap import sll_header
            frame = sll_header(frame, dev, outgoing) + frame[14:]
        if self.predicate is not None and not self.predicate(_filtered_view(frame, self.linktype),
                                                             self.linktype, outgoing=outgoing,
                                                             ifindex=dev.ifindex):
            return
        self.received += 1
        if self.counted_out:
            return
        if self.predicate is not None and self._filtered_in_userland(ts) and \
                not self.predicate(_filtered_view(frame, self.linktype)[:self.opts.snaplen],
                                   self.linktype, outgoing=None):
            # pcap_handle_packet_mmap(): the program again, in userland, on the
            # captured bytes: a load past a small -s rejects the packet (recorded:
            # `-s 20 icmp`, 0 captured, 2 received by filter), and so does a load of
            # the kernel's packet type, which bpf_filter.c cannot answer (recorded:
            # `tcpdump -i v0 outbound` misses the packets of its first block)
            return
        if dev.kind == "loopback" and outgoing:
            return  # libpcap shows each looped-back packet once (the incoming copy)
        # linux_check_direction(): after the kernel's filter counted the packet
        if self.opts.direction == "in" and outgoing or \
                self.opts.direction == "out" and not outgoing:
            return
        tov = self.ring_tov
        if tov:
            # TPACKET_V3: the packet waits in the ring's block until the kernel's
            # timer retires it (prb_retire_rx_blk_timer_expired(), every tov from the
            # ring's setup); pcap_loop() only sees it then
            self.ring_pending.append((ts, frame))
            if self.ring_retire is None:
                ticks = int((ts - self.ring_opened) // tov) + 1
                # (ts and ring_opened are wall times: the timer is set from now)
                wait = max(self.ring_opened + ticks * tov - self.host.clock.wall, 0.0)
                self.ring_retire = self.host.clock.call_later(wait, self, "_retire_block")
            return
        self._deliver(ts, frame)

    def _ring_timeout(self) -> float:
        """tcpdump.c main(): pcap_set_timeout() of 1000 ms, 100 ms when it prints to a
        terminal or with -l ("the user's probably expecting to see packets pop up
        immediately"); --immediate-mode has no block to wait for (TPACKET_V2)."""
        opts = self.opts
        if opts.n("immediate"):
            return 0.0
        printing = opts.write is None or opts.n("print")
        # isatty(1): not when stdout goes to a file (a background job's `> FILE`
        # leaves the shell's own flag as it was)
        tty = self.ctx.output is None and not _stdout_to_file(self.ctx.term) and \
            getattr(self.ctx.session, "stdout_tty", False)
        if printing and (opts.n("l") or tty):
            return 0.1
        return RING_BLOCK_TIMEOUT

    def _stdout_not_tty(self) -> bool:
        """!isatty(1) where it is sure: stdout into a pipe or a file."""
        return getattr(self.term.sink, "block_buffered", False) or \
            self.ctx.output is not None or _stdout_to_file(self.ctx.term)

    def _out(self, text: str) -> None:
        """A write to stdout through stdio (self.stdio: fully buffered)."""
        held = self.stdio
        if held is None:
            self.term.out(text)
            return
        held.append(text)
        self.stdio_size += len(text)
        if self.stdio_size >= 4096:
            data = "".join(held)
            cut = len(data) - len(data) % 4096
            held[:] = [data[cut:]]
            self.stdio_size = len(data) - cut
            self.term.out(data[:cut])

    def _loop_flush(self) -> None:
        """main()'s fflush(stdout) when pcap_loop() returns, before its error or the
        statistics; into a pipe the reader's copy comes after them (self.stdio)."""
        if self.stdio and not getattr(self.term.sink, "block_buffered", False):
            self._flush_stdio()

    def _flush_stdio(self) -> None:
        data, self.stdio, self.stdio_size = "".join(self.stdio), [], 0
        if data:
            self.term.out(data)

    def exit(self, status: int) -> None:
        if self.stdio and not self.done:
            self._flush_stdio()         # exit()'s flush of what stdio holds
        super().exit(status)

    def _retire_block(self) -> None:
        """The block is handed to the reader: its packets, in order (a SIGINT or
        SIGTERM before this leaves them unread: counted by the filter, never
        captured; recorded, scripts40 notes)."""
        self.ring_retire = None
        pending, self.ring_pending = self.ring_pending, []
        for ts, frame in pending:
            if self.done or self.counted_out:
                break
            self._deliver(ts, frame)

    def _deliver(self, ts: float, frame: bytes) -> None:
        if self.opts.write is not None:
            if self.opts.gflag and self.opts.write != "-" and self._rotate():
                return
            if self.opts.cflag and self.opts.write != "-" and self._rotate_size():
                return
            self._dump_record(ts, frame)
            if not self.opts.n("print"):
                self.captured += 1
                self._counted(ts)
                return
            # print_packet() after pcap_dump() (tcpdump.c's dump_packet_and_trunc
            # with --print): written, then printed
        self.backlog.append((ts, frame))
        self._drain()

    def _drain(self) -> None:
        """Print what the filter took, in order; a packet with an address not looked
        up yet waits for the lookup, and so does every packet behind it."""
        while self.backlog and self.lookup is None and not self.done and not self.counted_out:
            ts, frame = self.backlog[0]
            if self._lookup_next(frame):
                return
            del self.backlog[0]
            self._print(ts, frame)
            if self.stopping and not self.done:
                self._finish(signalled=True)

    def _print(self, ts: float, frame: bytes) -> None:
        from ipemu.tcpdump import format_packet
        self.captured += 1
        if self.opts.n("count"):
            # print_packet(): count_mode skips pretty_print_packet()
            self._counted(ts)
            return
        number = f"{self.captured:5d}  " if self.opts.n("#") else ""
        # the filter's accept length (-s): the first snaplen bytes, the wire length beside
        wirelen = len(frame) if len(frame) > self.opts.snaplen else None
        if getattr(self, "print_state", None) is None:
            from ipemu.tcpdump import PrintState
            self.print_state = PrintState()   # tcp_seq_hash: relative seq/ack per connection
        self._out(number + format_packet(frame[:self.opts.snaplen], ts, self.popts,
                                         linktype=self.linktype, prev_ts=self.prev_ts,
                                         first_ts=self.first_ts, wirelen=wirelen,
                                         state=self.print_state))
        self._counted(ts)

    def _counted(self, ts: float) -> None:
        if self.first_ts is None:
            self.first_ts = ts
        self.prev_ts = ts
        if self.opts.count and self.captured >= self.opts.count and not self.counted_out:
            self.counted_out = True
            self.host.clock.call_later(STATS_AFTER_COUNT, self, "_finish", False)

    def _lookup_next(self, frame: bytes) -> bool:
        """ipaddr_string()/ip6addr_string() without -n: gethostbyaddr() of each new
        address, in the order the printer asks (addrtoname.c); one no file names
        goes to the DNS and waits for it (resolver.py ReverseLookup). True: waiting."""
        if self.popts.nflag or self.linktype != 1:
            return False
        for addr in frame_addresses(frame):
            if addr in self.names:
                continue
            self.names[addr] = None
            if ReverseLookup.needed(self.ctx, addr):
                self.lookup = ReverseLookup(self.ctx, addr, self, "_looked_up")
                self.lookup.start()
                return True
        return False

    def _looked_up(self, name) -> None:
        self.lookup = None
        self._drain()

    def _gone(self) -> None:
        """The device was deleted (or moved away): pcap_loop() fails, main() reports it
        and the statistics (no empty line: no signal), and exits 1."""
        if self.done:
            return
        self._loop_flush()      # main(): fflush(stdout), then pcap_loop()'s error
        self.term.err("tcpdump: pcap_loop: The interface disappeared\n")
        self._finish(signalled=False, status=1)

    def _finish(self, signalled: bool, status: int = 0) -> None:
        if self.counted_out and signalled:
            signalled = False       # the count was reached: no empty line, status 0
        if self.done:
            return
        if self.opts.write is not None and not self.done_writing:
            self._write_dump()
        if signalled and self.opts.write is None:
            # main()'s loop: interrupted while printing packets (no -w), an extra
            # newline on stdout "just in case" before the statistics
            self._out("\n")
        self._loop_flush()
        stats = \
            f"{self.captured} packet{_plural(self.captured)} captured\n" \
            f"{self.received} packet{_plural(self.received)} received by filter\n" \
            "0 packets dropped by kernel\n"
        self.term.err(stats)
        self.exit(status)

    handlers = frozenset((SIGPIPE, SIGTERM, SIGINT, SIGUSR1, SIGUSR2))

    def signal(self, signum: int) -> None:
        """tcpdump.c main()'s handlers: cleanup() for SIGPIPE, SIGTERM and SIGINT, and
        for SIGHUP unless it came ignored ("Cooperate with nohup(1)": the handler that
        was not SIG_DFL is put back); requestinfo() for SIGNAL_REQ_INFO (SIGUSR1 on
        Linux, set for a live capture) and flushpcap() for SIGNAL_FLUSH_PCAP (SIGUSR2);
        anything else takes its default action."""
        if signum == SIGUSR1:
            if not self.done:
                self._info()
            return
        if signum == SIGUSR2:
            # flushpcap(): pcap_dump_flush() of the -w file, if any
            if not self.done and self.opts.write not in (None, "-") and self.dump_on_disk >= 0:
                self._dump_flush(whole=True)
            return
        if signum == SIGHUP and SIGHUP in self.ignored:
            return
        if signum in (SIGINT, SIGTERM, SIGPIPE, SIGHUP):
            if self.lookup is not None:
                # cleanup() only calls pcap_breakloop(): glibc's resolver goes on
                # (poll() restarted after EINTR), the packet is printed, then the
                # loop ends
                self.stopping = True
                return
            self._finish(signalled=True)
        else:
            super().signal(signum)

    def _info(self) -> None:
        """info(0): the statistics on one line of stderr, pcap_stats()'s counts as the
        statistics at the end print them (requestinfo(), tcpdump.c)."""
        self.term.err(f"tcpdump: {self.captured} packet{_plural(self.captured)} captured, "
                      f"{self.received} packet{_plural(self.received)} received by filter, "
                      "0 packets dropped by kernel\n")

    def broken_pipe(self) -> None:
        # print.c: the failed write is an error, not a death by SIGPIPE (recorded:
        # `tcpdump -l ... | head -2` ends 14, S_ERR_ND_WRITE_FILE)
        self.term.err("tcpdump: Unable to write output: Broken pipe\n")
        self.exit(14)

    def _stats_dump(self) -> None:
        """print_packets_captured(): "Got N\r" the first time, then on each change."""
        if self.done:
            return
        if self.got_shown is None or self.captured != self.got_shown:
            self.term.err(f"Got {self.captured}\r")
            self.got_shown = self.captured
        self.got_timer = self.host.clock.call_later(1.0, self, "_stats_dump")

    def cleanup(self) -> None:
        self.host.clock.cancel(self.got_timer)
        if self.lookup is not None:
            self.lookup.cancel()
            self.lookup = None
        if self.tap is not None:
            self.ctx.netns.stack.close_tap(self.tap)


def frame_addresses(frame: bytes) -> list:
    """The IP addresses tcpdump's printer names in an Ethernet frame, in the order it
    asks for them: an IPv4 or IPv6 header's destination then source (ip_print(),
    udpipaddr_print(), tcp_print(): one ND_PRINT("%s > %s: ", GET_IPADDR_STRING(src),
    GET_IPADDR_STRING(dst)), whose arguments gcc on x86-64 evaluates last first:
    recorded, `IP 10.0.1.10 > 10.0.1.1: ICMP echo request` is followed by the PTR
    query of 1.1.0.10.in-addr.arpa.), an ARP packet's target then sender (print-arp.c:
    "who-has TPA tell SPA", two calls)."""
    import ipaddress
    etype, at = int.from_bytes(frame[12:14], "big"), 14
    while etype in (0x8100, 0x88A8) and len(frame) >= at + 4:
        etype, at = int.from_bytes(frame[at + 2:at + 4], "big"), at + 4
    if etype == 0x0800 and len(frame) >= at + 20:
        return [ipaddress.IPv4Address(frame[at + 16:at + 20]),
                ipaddress.IPv4Address(frame[at + 12:at + 16])]
    if etype == 0x86DD and len(frame) >= at + 40:
        return [ipaddress.IPv6Address(frame[at + 24:at + 40]),
                ipaddress.IPv6Address(frame[at + 8:at + 24])]
    if etype == 0x0806 and len(frame) >= at + 28 and frame[at + 2:at + 6] == b"\x08\x00\x06\x04":
        spa = ipaddress.IPv4Address(frame[at + 14:at + 18])
        tpa = ipaddress.IPv4Address(frame[at + 24:at + 28])
        return [spa] if frame[at + 7] == 2 else [tpa, spa]
    return []


def write_savefile(ctx: ToolContext, name: str, data: bytes) -> None:
    """pcap_dump_open(): "-" is the standard output (the stream as bytes, as `ip addr
    save` writes its dump), any other name a file."""
    if name == "-":
        from ipemu.output import decode
        ctx.term.out(decode(data))
        return
    ctx.session.write_file(name, data)


def read_file(ctx: ToolContext, opts: Options, expression: str, popts,
              shared: "ReadState | None" = None) -> int:
    from ipemu.pcap import PcapError, load_pcap
    from ipemu.tcpdump import format_packet
    try:
        if opts.read == "-" and ctx.stdin is not None:
            # pcap_open_offline(): "-" is the standard input
            from ipemu.output import encode
            data = encode(ctx.stdin) if isinstance(ctx.stdin, str) else b""
        else:
            data = ctx.session.open_file(opts.read)
    except IsADirectoryError:
        # fopen() succeeds on a directory; libpcap's first read fails
        raise CommandError("tcpdump: error reading dump file: Is a directory\n", 1)
    except OSError as err:
        raise CommandError(f"tcpdump: {opts.read}: {err.strerror}\n", 1)
    try:
        # pcap_open_offline_with_tstamp_precision(): stamps scaled to what was asked
        capture = load_pcap(data, opts.nano)
    except PcapError as err:
        raise CommandError(f"tcpdump: {err}\n", 1)
    linktype, snaplen = capture.linktype, capture.snaplen
    from ipemu.tcpdump.dlt_names import linktype_banner
    ctx.term.err(f"reading from file {opts.read}, link-type {linktype_banner(linktype)}, "
                 f"snapshot length {snaplen}\n")
    if linktype == 276:
        # cooked v2 records carry ifindexes; the reader names them from its own host
        ctx.term.err("Warning: interface names might be incorrect\n")
    if opts.infile is not None:
        expression = read_infile(ctx, opts.infile)
    predicate = _compile(expression, linktype, not opts.n("O"),
                         names=FilterNames(ctx.session))
    if opts.n("d"):
        return _dump_program(ctx, opts, expression, linktype, snaplen, live=False)
    if opts.write is not None:
        status = _copy_file(ctx, opts, capture, predicate, shared)
        if status or not opts.n("print"):
            return status
        # --print: each packet dump_packet_and_trunc() wrote is printed as well
        # (recorded: `tcpdump --print -r all.pcap -w copy.pcap -c 1` prints one line)
    shown = 0
    read = shared if shared is not None else ReadState()
    for (_, frame), wirelen, stamp in zip(capture.records, capture.wire_lengths,
                                          capture.stamps):
        if predicate is not None and not predicate(frame, linktype, wirelen):
            continue
        number = f"{read.total + 1:5d}  " if opts.n("#") else ""
        if not opts.n("count"):
            ctx.term.out(number + format_packet(frame, stamp, popts, linktype=linktype,
                                                prev_ts=read.prev, first_ts=read.first,
                                                wirelen=wirelen, state=read.state))
        # ts_print() keeps a zero reference unset (a Simple Packet Block has no time)
        read.first = stamp if read.first is None or not any(_split_stamp(read.first)) \
            else read.first
        read.prev = stamp
        shown += 1
        read.total += 1
        if opts.count and shown >= opts.count:
            break
    else:
        if capture.error:
            # pcap_loop() returned -1: tcpdump reports libpcap's error and exits 1
            ctx.term.err(f"tcpdump: pcap_loop: {capture.error}\n")
            _print_count(ctx, opts, read.total)
            return 1
    if shared is None:
        _print_count(ctx, opts, read.total)
    return 0


class ReadState:
    """What printing keeps from one savefile to the next of a -V list: the packet
    count (-#, --count: packets_captured), ts_print()'s static previous and first
    stamps (-ttt, -ttttt) and the TCP sequence numbers; with -w, the one dump's
    records (the first file's header, then every kept record)."""

    def __init__(self) -> None:
        self.total = 0
        self.prev = self.first = None
        from ipemu.tcpdump import PrintState
        self.state = PrintState()
        self.dump: list[bytes] | None = None
        self.dump_linktype: int | None = None


def _print_count(ctx: ToolContext, opts: Options, shown: int) -> None:
    # tcpdump.c main(): count_mode with -r prints the count on stdout at the end
    if opts.n("count"):
        ctx.term.out(f"{shown} packet{'' if shown == 1 else 's'}\n")
