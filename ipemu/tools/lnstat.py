"""iproute2's `lnstat` (misc/lnstat.c, lnstat_util.c) and its rtstat/ctstat names: the
/proc/net/stat tables, their keys (-d), chosen files and keys (-f, -k), widths (-w),
headers (-s), JSON (-j), sampled every -i seconds -c times (a process in time)."""
from __future__ import annotations

import posixpath

from ipemu.errors import CommandError
from ipemu.process import Process
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext

PROC_NET_STAT = "/proc/net/stat"
MAX_FIELDS = 128
FIELD_WIDTH_DEFAULT = 8
FIELD_WIDTH_MAX = 20
DEFAULT_INTERVAL = 2
LONGS = {"version": "V", "count=": "c", "dump": "d", "json": "j", "file=": "f",
         "help": "h", "interval=": "i", "keys=": "k", "subject=": "s", "width=": "w",
         "oneline": "--oneline"}
# main(): the names of the old tools ask for one file
COMPAT_FILES = {"rtstat": ["rt_cache"], "ctstat": ["ip_conntrack"]}


def usage(name: str, version: str) -> str:
    """usage(): on stderr, exit 0 for -h and getopt's errors, 1 for the rest."""
    return (f"{name} Version {version}\n"
            "Copyright (C) 2004 by Harald Welte <laforge@gnumonks.org>\n"
            "This program is free software licensed under GNU GPLv2\n"
            "with ABSOLUTELY NO WARRANTY.\n"
            "\n"
            "Parameters:\n"
            "\t-V --version\t\tPrint Version of Program\n"
            "\t-c --count <count>\tPrint <count> number of intervals\n"
            "\t-d --dump\t\tDump list of available files/keys\n"
            "\t-j --json\t\tDisplay in JSON format\n"
            "\t-f --file <file>\tStatistics file to use\n"
            "\t-h --help\t\tThis help message\n"
            "\t-i --interval <intv>\tSet interval to 'intv' seconds\n"
            "\t-k --keys k,k,k,...\tDisplay only keys specified\n"
            "\t-s --subject [0-2]\tControl header printing:\n"
            "\t\t\t\t0 = never\n"
            "\t\t\t\t1 = once\n"
            "\t\t\t\t2 = every 20 lines (default))\n"
            "\t-w --width n,n,n,...\tWidth for each field\n"
            "\n")


def _strtoul(text: str) -> int:
    """strtoul(s, NULL, 0) of the leading number (0 when there is none); a minus sign
    wraps as C's does."""
    import re
    m = re.match(r"(?a)\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", text)
    if not m:
        return 0
    body = m.group(2)
    value = int(body, 16) if body[:2].lower() == "0x" else int(body, 8 if body.startswith("0") else 10)
    return (-value) % 2 ** 64 if m.group(1) == "-" else value


def _scan_u(text: str, default: int) -> int:
    """sscanf(s, "%u", &v): the leading decimal, or the variable unchanged."""
    import re
    m = re.match(r"(?a)\s*([+-]?)(\d+)", text)
    if not m:
        return default
    value = int(m.group(2))
    return (-value) % 2 ** 32 if m.group(1) == "-" else value % 2 ** 32


class StatFile:
    """struct lnstat_file: a table's name, its keys and the last sample's values."""

    def __init__(self, basename: str, keys: list[str]):
        self.basename = basename
        self.path = f"{PROC_NET_STAT}/{basename}"
        self.keys = keys
        self.interval = 1
        self.values = [0] * len(keys)      # the previous sample (values[0])
        self.results = [0] * len(keys)


def _scan_dir(ctx: ToolContext, wanted: list[str]) -> list[StatFile]:
    """lnstat_scan_dir(): every table (or those asked for), each prepended to the
    list as readdir() meets it, with the keys of its first line."""
    from ipemu.procfs import PROC_NET_STAT as TABLES     # in readdir() order
    session = ctx.session
    files: list[StatFile] = []
    for name in TABLES:
        if wanted and name not in wanted:
            continue
        text = session.open_text(f"{PROC_NET_STAT}/{name}", ctx.netns)
        files.insert(0, StatFile(name, text.split("\n", 1)[0].split()))
    return files


def _sample(ctx: ToolContext, stat: StatFile) -> None:
    """lnstat_update(): scan_lines() sums the CPUs' rows (the first column is the last
    row's); a result is the first column itself, or the others' rise per interval."""
    text = ctx.session.open_text(stat.path, ctx.netns)
    now = [0] * len(stat.keys)
    for line in text.splitlines()[1:]:
        for j, word in enumerate(line.split()[:len(stat.keys)]):
            value = int(word, 16)
            now[j] = value if j == 0 else now[j] + value
    stat.results = [now[0]] + [(now[j] - stat.values[j]) // stat.interval
                               for j in range(1, len(now))]
    stat.values = now


class Options:
    def __init__(self) -> None:
        self.count = 0
        self.mode = "normal"
        self.files: list[str] = []
        self.interval = DEFAULT_INTERVAL
        self.keys: list[str] = []
        self.widths: dict[int, int] = {}
        self.hdr = 2


def _parse(argv: list[str], version: str) -> Options:
    name = argv[0]
    opts = Options()
    opts.files = list(COMPAT_FILES.get(posixpath.basename(name), []))
    pairs, _ = gnuopt.parse(argv[1:], "Vc:djpf:h?i:k:s:w:", LONGS, name, status=0,
                            usage=usage(name, version))
    for letter, value in pairs:
        if letter == "c":
            opts.count = _strtoul(value)
        elif letter == "d":
            opts.mode = "dump"
        elif letter == "j":
            opts.mode = "json"
        elif letter == "f":
            opts.files.append(value)
        elif letter in ("h", "?"):
            raise CommandError(usage(name, version), 0)
        elif letter == "i":
            opts.interval = _scan_u(value, opts.interval)
        elif letter == "k":
            opts.keys += [k for k in value.split(",") if k][:MAX_FIELDS - len(opts.keys)]
        elif letter == "s":
            opts.hdr = _scan_u(value, opts.hdr)
        elif letter == "w":
            widths = [min(_strtoul(w), FIELD_WIDTH_MAX) for w in value.split(",") if w]
            if len(widths) == 1:
                opts.widths = {i: widths[0] for i in range(MAX_FIELDS)}
            else:
                opts.widths.update(enumerate(widths))
        else:       # -V, -p, --oneline: the switch's default
            raise CommandError(usage(name, version), 1)
    return opts


def _find_field(files: list[StatFile], spec: str):
    """lnstat_find_field(): [file:]key, in the first file that has the key."""
    file, colon, key = spec.partition(":")
    if not colon:
        file, key = None, spec
    for stat in files:
        if file is not None and file != stat.basename:
            continue
        if key in stat.keys:
            return stat, stat.keys.index(key)
    return None


def _fields(files: list[StatFile], opts: Options) -> list[tuple[StatFile, int, int]]:
    """map_field_params(): (file, key index, width) of each column."""
    out = []
    if not opts.keys:
        for stat in files:
            for i in range(len(stat.keys)):
                if len(out) >= MAX_FIELDS - 1:
                    raise CommandError(f"WARN: MAX_FIELDS ({MAX_FIELDS}) reached, "
                                       "truncating number of keys\n", 1)
                stat.interval = opts.interval
                out.append((stat, i, opts.widths.get(len(out)) or FIELD_WIDTH_DEFAULT))
        return out
    for n, spec in enumerate(opts.keys):
        found = _find_field(files, spec)
        if found is None:
            raise CommandError(f"Field `{spec}' unknown\n", 1)
        found[0].interval = opts.interval
        out.append((*found, opts.widths.get(n) or FIELD_WIDTH_DEFAULT))
    return out


def _header(fields: list) -> str:
    """build_hdr_string(): the file's name, then the key cut into width-long pieces,
    one line each; print_hdr() prints as many lines as the LAST column's key needs
    (th.num_lines is set again by every column)."""
    if not fields:
        return ""
    lines = ["".join(f"{stat.basename[:w]:>{w}}|" for stat, _, w in fields)]
    stat, i, w = fields[-1]
    depth = -(-len(stat.keys[i]) // w)
    for h in range(depth):
        lines.append("".join(f"{stat.keys[i][h * w:(h + 1) * w]:>{w}}|"
                             for stat, i, w in fields))
    return "".join(line + "\n" for line in lines)


class Lnstat(Process):
    """main()'s loop: a sample, a line (the header every 20 lines), sleep(interval)."""

    def __init__(self, ctx: ToolContext, opts: Options, files, fields):
        super().__init__(ctx.host, ctx.term)
        self.ctx, self.opts, self.files, self.fields = ctx, opts, files, fields
        self.header = _header(fields)
        self.i = 0
        self.timer = None
        self.tick()

    def tick(self) -> None:
        opts = self.opts
        for stat in self.files:
            if any(stat is f for f, _, _ in self.fields):
                if stat.interval == 0 and len(stat.keys) > 1:
                    # -i 0: lnstat_update() divides a rise by the file's interval,
                    # 0 (main() raises only its own sleep to 1): SIGFPE, nothing shown
                    self.exit(128 + 8)
                    return
                _sample(self.ctx, stat)
        values = [(stat.keys[i], stat.results[i], w) for stat, i, w in self.fields]
        if opts.mode == "json":
            # jsonw_uint_field() of each key, one object a line
            body = ",".join(f'"{key}":{value}' for key, value, _ in values)
            self.term.out("{" + body + "}\n")
        else:
            if (opts.hdr > 1 and self.i % 20 == 0) or (opts.hdr == 1 and self.i == 0):
                self.term.out(self.header)
            self.term.out("".join(f"{value:>{w}}|" for _, value, w in values) + "\n")
        self.i += 1
        if opts.count and self.i >= opts.count:
            self.exit(1)        # main() returns 1
            return
        self.timer = self.host.clock.call_later(max(opts.interval, 1), self, "tick")

    def cleanup(self) -> None:
        if self.timer is not None:
            self.host.clock.cancel(self.timer)

    def blocked(self) -> bool:
        return False


def main(ctx: ToolContext, argv: list[str]):
    opts = _parse(argv, ctx.profile["iproute2_version"])
    files = _scan_dir(ctx, opts.files)
    if opts.mode == "dump":
        # lnstat_dump()
        ctx.term.out("".join(f"{stat.path}:\n" + "".join(
            f"\t{i:2}: {key}\n" for i, key in enumerate(stat.keys, 1)) for stat in files))
        return 1
    fields = _fields(files, opts)
    return Lnstat(ctx, opts, files, fields)
