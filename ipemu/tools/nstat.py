"""iproute2's `nstat` (misc/nstat.c, 6.1): the kernel's SNMP counters
(/proc/net/netstat, snmp6 and snmp, as kernel/snmp.py prints them) as increments
since the last run, kept in a history file (/tmp/.nstat.u0 or $NSTAT_HISTORY).
The daemon (-d) is not simulated: nstat reads the files itself, as it does when
no daemon answers."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.plainclass import dataclass, field
from ipemu.tools import getopts
from ipemu.tools.context import ToolContext

USAGE = ("Usage: nstat [OPTION] [ PATTERN [ PATTERN ] ]\n"
         "   -h, --help          this message\n"
         "   -a, --ignore        ignore history\n"
         "   -d, --scan=SECS     sample every statistics every SECS\n"
         "   -j, --json          format output in JSON\n"
         "   -n, --nooutput      do history only\n"
         "   -p, --pretty        pretty print\n"
         "   -r, --reset         reset history\n"
         "   -s, --noupdate      don't update history\n"
         "   -t, --interval=SECS report average over the last SECS\n"
         "   -V, --version       output version information\n"
         "   -z, --zeros         show entries with zero activity\n")
LONGOPTS = {"help": "h", "ignore": "a", "scan=": "d", "nooutput": "n", "json": "j",
            "reset": "r", "noupdate": "s", "pretty": "p", "interval=": "t",
            "version": "V", "zeros": "z"}
USELESS = frozenset(("IpForwarding", "IpDefaultTTL", "TcpRtoAlgorithm", "TcpRtoMin",
                     "TcpRtoMax", "TcpMaxConn", "TcpCurrEstab"))
# update_db()'s order: each file's rows go in front of the ones read before
SOURCES = (("PROC_NET_SNMP", "net/snmp", True), ("PROC_NET_SNMP6", "net/snmp6", False),
           ("PROC_NET_NETSTAT", "net/netstat", True))


@dataclass
class Options:
    zeros: bool = False
    reset: bool = False
    ignore: bool = False
    no_update: bool = False
    no_output: bool = False
    json: bool = False
    pretty: bool = False
    scan: bool = False
    patterns: list[str] = field(default_factory=list)


def _usage() -> CommandError:
    return CommandError(USAGE, 255)


def _parse(ctx: ToolContext, argv: list[str]) -> Options | int:
    try:
        pairs, args = getopts.parse("nstat", argv[1:], "h?vVzrnasd:t:jp", list(LONGOPTS))
    except getopts.OptionError as err:
        raise CommandError(err.message + "\n" + USAGE, 255) from None
    opts = Options(patterns=args)
    for flag, value in pairs:
        ch = LONGOPTS[next(k for k in LONGOPTS if k.rstrip("=") == flag[2:])] \
            if flag.startswith("--") else flag[1]
        if ch in "zrnasjp":
            attr = {"z": "zeros", "r": "reset", "n": "no_output", "a": "ignore",
                    "s": "no_update", "j": "json", "p": "pretty"}[ch]
            setattr(opts, attr, True)
        elif ch == "d":
            opts.scan = True
        elif ch == "t":
            # sscanf("%d") and a positive divisor
            digits = value.strip()
            sign = digits[:1] if digits[:1] in "+-" else ""
            body = digits[len(sign):]
            number = body[:len(body) - len(body.lstrip("0123456789"))]
            if not number or int(sign + number) <= 0:
                raise CommandError("nstat: invalid time constant divisor\n", 255)
        elif ch in "vV":
            # misc/nstat.c: "nstat utility, iproute2-%s\n"
            ctx.term.out(f"nstat utility, {ctx.profile['ss_version']}\n")
            return 0
        elif ch in "h?":
            raise _usage()
    return opts


def main(ctx: ToolContext, argv: list[str]) -> int:
    opts = _parse(ctx, argv)
    if isinstance(opts, int):
        return opts
    if opts.scan:
        return 0        # the daemon forks away (daemon(0, 0)): nothing printed
    from ipemu.tools.xargs import environment
    env = environment(ctx)
    session = ctx.session
    hist_name = env.get("NSTAT_HISTORY") or "/tmp/.nstat.u0"
    if opts.reset:
        try:
            session.fs.unlink(session._path(hist_name))
        except OSError:
            pass
    hist: list[tuple[str, int]] | None = None
    if not opts.ignore or not opts.no_update:
        try:
            text = session.read_text(hist_name)
            if text is None:
                session.write_file(hist_name, b"")
                # open(hist_name, O_RDWR|O_CREAT|O_NOFOLLOW, 0600): a new history is
                # root's only (recorded: `ls -l` shows -rw-------)
                session.fs.set_mode(session._path(hist_name), 0o600)
                text = ""
        except OSError as err:
            raise CommandError(f"nstat: open history file: {err.strerror}\n", 255) from None
        # main(): the history is read whenever its file is open, -a too: -a only
        # prints absolute values, and the rows its patterns leave out keep their
        # history values in the file it writes back (dump_kern_db(hist_fp, 1))
        hist = _load_good(text) or None
    kern = _load_kernel(ctx, env)
    out = []
    if not opts.no_output:
        if opts.ignore or hist is None:
            out.append(_dump_kern(opts, kern, None, opts.json))
        else:
            out.append(_dump_incr(opts, kern, hist))
    ctx.term.out("".join(out))
    if not opts.no_update:
        session.write_file(hist_name, _dump_kern(opts, kern, hist or [], False).encode())
    return 0


# ------------------------------------------------------------------ reading
def _load_good(text: str) -> list[tuple[str, int]]:
    """load_good_table(): `NAME VALUE [RATE]` lines; `#source` lines name the source."""
    rows = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        words = line.split()
        if len(words) < 2 or not words[1].isdigit():
            raise CommandError("nstat.c:156: error parsing history file\n", 254)
        if words[0] not in USELESS:
            rows.append((words[0], int(words[1])))
    return rows


def _load_ugly(text: str) -> list[tuple[str, int]]:
    """load_ugly_table(): a header line of names after `Prefix:`, then their values."""
    rows = []
    lines = text.splitlines()
    for heads, values in zip(lines[0::2], lines[1::2]):
        prefix, _, names = heads.partition(":")
        for name, value in zip(names.split(), values.partition(":")[2].split()):
            ident = prefix + name
            if ident not in USELESS:
                rows.append((ident, int(value) % (1 << 64)))
    return rows


def _load_kernel(ctx: ToolContext, env: dict) -> list[tuple[str, int]]:
    rows: list[tuple[str, int]] = []
    for var, name, ugly in SOURCES:
        path = env.get(var) or f"{env.get('PROC_ROOT') or '/proc'}/{name}"
        try:
            text = ctx.session.open_text(path, ctx.netns)
        except OSError:
            continue        # fdopen(-1) fails: the file is skipped
        rows += _load_ugly(text) if ugly else _load_good(text)
    return rows


# ------------------------------------------------------------------ printing
def _match(opts: Options, ident: str) -> bool:
    """match(): fnmatch(3) with FNM_CASEFOLD against any pattern."""
    if not opts.patterns:
        return True
    from fnmatch import fnmatchcase
    return any(fnmatchcase(ident.lower(), p.lower()) for p in opts.patterns)


def _line(ident: str, value: int, json: bool, overflow: bool = False) -> str:
    if json:
        return f'"{ident}":{value}'
    return f"{ident:<32}{value:<16}{0.0:6.1f}{' (overflow)' if overflow else ''}\n"


def _wrap(opts: Options, rows: list[tuple[str, int]], json: bool) -> str:
    """The `#kernel` header and lines, or json_writer's object of them."""
    if not json:
        return "#kernel\n" + "".join(_line(i, v, False) for i, v in rows)
    if not opts.pretty:
        return '{"kernel":{' + ",".join(_line(i, v, True) for i, v in rows) + "}}\n"
    if not rows:
        return '{\n    "kernel": {}\n}\n'
    body = ",\n".join(f'        "{i}": {v}' for i, v in rows)
    return '{\n    "kernel": {\n' + body + "\n    }\n}\n"


def _dump_kern(opts: Options, kern, hist, json: bool) -> str:
    """dump_kern_db(): absolute values; for the history file (`hist` given) the rows
    the patterns leave out keep their old values."""
    old = dict(hist) if hist is not None else {}
    rows = []
    for ident, value in kern:
        if not opts.zeros and not value:
            continue
        if not _match(opts, ident):
            if hist is None:
                continue
            value = old.get(ident, value)
        rows.append((ident, value))
    return _wrap(opts, rows, json)


def _dump_incr(opts: Options, kern, hist) -> str:
    """dump_incr_db(): each counter less its value in the history."""
    old = dict(hist)
    rows, overflows = [], set()
    for ident, value in kern:
        before = old.get(ident)
        if before is not None:
            if value < before:
                overflows.add(ident)
                value = before
            value -= before
        if not opts.zeros and not value:
            continue
        if not _match(opts, ident):
            continue
        rows.append((ident, value))
    if opts.json:
        return _wrap(opts, rows, True)
    return "#kernel\n" + "".join(_line(i, v, False, i in overflows) for i, v in rows)
