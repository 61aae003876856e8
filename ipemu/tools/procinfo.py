"""What a health check asks the host: procps-ng 4.0.2's `uptime`, `free` and `w`,
and coreutils 9.1's `who` (Debian 12's), from the host's clock (seconds since boot,
the wall clock of `date`) and the memory the profile's machine has.

Nobody is logged in: the recorder's pty writes no utmp entry, so `who` prints
nothing, uptime says ` 0 user` and `w` shows only its headers (recorded). The load
averages are an idle box's.

Followed: procps-ng library/uptime.c (procps_uptime_sprint(),
procps_uptime_sprint_short()), src/free.c (main(), scale_size()), src/w.c (main(),
print_header); coreutils src/who.c (who(), list_entries_who())."""
from __future__ import annotations

import time

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext

PROCPS = "procps-ng 4.0.2"
LOADAVG = (0.0, 0.0, 0.0)
# /proc/meminfo of the recording machine (kB): its MemTotal, and one reading of what
# moves (used, free, cache: no case may print them)
MEMINFO = {"MemTotal": 24684096, "MemFree": 14394952, "MemAvailable": 22508304,
           "Buffers": 423028, "Cached": 6459068, "SReclaimable": 1641324,
           "Shmem": 8788, "SwapTotal": 0, "SwapFree": 0, "CommitLimit": 12342048,
           "Committed_AS": 1280676}


# the rest of /proc/meminfo as the recording machine shows it, in its order (kB, or a
# count for the HugePages_ lines): one reading; what moves is no case's to print
MEMINFO_LINES = (
    ("MemTotal", 0), ("MemFree", 0), ("MemAvailable", 0), ("Buffers", 0), ("Cached", 0),
    ("SwapCached", 0), ("Active", 602484), ("Inactive", 1135088), ("Active(anon)", 1660),
    ("Inactive(anon)", 447724), ("Active(file)", 600824), ("Inactive(file)", 687364),
    ("Unevictable", 17532), ("Mlocked", 16520), ("SwapTotal", 0), ("SwapFree", 0),
    ("Zswap", 0), ("Zswapped", 0), ("Dirty", 9504), ("Writeback", 0),
    ("AnonPages", 458132), ("Mapped", 27472), ("Shmem", 0), ("KReclaimable", 250804),
    ("Slab", 287364), ("SReclaimable", 0), ("SUnreclaim", 36560), ("KernelStack", 2564),
    ("PageTables", 5776), ("SecPageTables", 0), ("NFS_Unstable", 0), ("Bounce", 0),
    ("WritebackTmp", 0), ("CommitLimit", 0), ("Committed_AS", 0),
    ("VmallocTotal", 34359738367), ("VmallocUsed", 15512), ("VmallocChunk", 0),
    ("Percpu", 832), ("AnonHugePages", 0), ("ShmemHugePages", 0), ("ShmemPmdMapped", 0),
    ("FileHugePages", 10240), ("FilePmdMapped", 0), ("Balloon", 0),
    ("HugePages_Total", 0), ("HugePages_Free", 0), ("HugePages_Rsvd", 0),
    ("HugePages_Surp", 0), ("Hugepagesize", 2048), ("Hugetlb", 0),
    ("DirectMap4k", 28672), ("DirectMap2M", 2068480), ("DirectMap1G", 25165824))


def proc_meminfo() -> str:
    """fs/proc/meminfo.c meminfo_proc_show(): show_val_kb()'s 16-column label, the
    value in 8 columns and ` kB`; hugetlb_report_meminfo()'s counts `%5lu` after
    their labels (the same 24 columns)."""
    text = ""
    for name, value in MEMINFO_LINES:
        value = MEMINFO.get(name, value)
        if name.startswith("HugePages_"):
            text += f"{name}:   {value:5d}\n"
        else:
            text += f"{name + ':':<16}{value:8d} kB\n"
    return text


def proc_loadavg(host, machine) -> str:
    """fs/proc/loadavg.c loadavg_proc_show(): the three averages (an idle box's),
    runnable/all tasks (the reader runs; the box's kernel threads and the programs
    running), and the last pid given out."""
    tasks = KERNEL_TASKS + (len(machine.processes) if machine is not None else 0)
    last = machine.last_pid if machine is not None else 0
    return "{:.2f} {:.2f} {:.2f} ".format(*LOADAVG) + f"1/{tasks} {last}\n"


# the recording machine's tasks with nothing of a case running (its /proc/loadavg)
KERNEL_TASKS = 120


def proc_uptime(host, cpus: int) -> str:
    """fs/proc/uptime.c uptime_proc_show(): seconds since boot and the CPUs' idle
    time summed (an idle box: all of it), each cut to hundredths (`%lu.%02lu`)."""
    up = int(host.clock.now * 100)
    idle = up * cpus
    return f"{up // 100}.{up % 100:02d} {idle // 100}.{idle % 100:02d}\n"


def main(ctx: ToolContext, argv: list[str]) -> int:
    return COMMANDS[argv[0].rsplit("/", 1)[-1]](ctx, argv)


def _usage(name: str) -> str:
    from ipemu.profiles import usage_file
    return usage_file(f"{name}_usage").read_text(encoding="utf-8")


def _clock(ctx: ToolContext) -> tuple[float, float]:
    """(seconds since boot, the wall clock)."""
    clock = ctx.host.clock
    return clock.now, clock.wall


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("s" if n != 1 else "")


# ------------------------------------------------------------------- uptime
def uptime_line(ctx: ToolContext) -> str:
    """procps_uptime_sprint(): ` HH:MM:SS up [D day(s), ]H:MM|M min,  N user,  load
    average: ...` (the time of day in UTC, as the recordings ran)."""
    up, wall = _clock(ctx)
    now = time.gmtime(wall)
    secs = int(up)
    text = f" {now.tm_hour:02d}:{now.tm_min:02d}:{now.tm_sec:02d} up "
    days, hours, minutes = secs // 86400, secs // 3600 % 24, secs // 60 % 60
    if days:
        text += f"{days} {'days' if days > 1 else 'day'}, "
    text += f"{hours:2d}:{minutes:02d}, " if hours else f"{minutes} min, "
    users = 0
    text += f"{users:2d} {'users' if users > 1 else 'user'}, "
    return text + " load average: {:.2f}, {:.2f}, {:.2f}".format(*LOADAVG)


def _pretty(seconds: float) -> str:
    """procps_uptime_sprint_short(): `up 1 week, 2 days, 3 hours, 4 minutes`."""
    secs = int(seconds)
    parts = [(secs // (86400 * 365 * 10), "decade"), (secs // (86400 * 365) % 10, "year"),
             (secs // (86400 * 7) % 52, "week"), (secs // 86400 % 7, "day"),
             (secs // 3600 % 24, "hour")]
    words = [_plural(n, unit) for n, unit in parts if n]
    minutes = secs // 60 % 60
    if minutes or secs < 60:
        words.append(_plural(minutes, "minute"))
    return "up " + ", ".join(words)


def uptime(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    mode = ""
    for arg in args:
        if arg in ("-h", "--help"):
            ctx.term.out(_usage("uptime"))
            return 0
        if arg in ("-V", "--version"):
            ctx.term.out(f"uptime from {PROCPS}\n")
            return 0
        # uptime.c: -s prints at once (it wins over -p wherever it comes)
        if arg in ("-p", "--pretty", "-s", "--since"):
            mode = "s" if "s" in (mode, arg.lstrip("-")[0]) else "p"
        elif arg.startswith("-") and not arg.startswith("--") and len(arg) > 1 and \
                all(c in "ps" for c in arg[1:]):
            mode = "s" if "s" in arg or mode == "s" else "p"
        elif arg.startswith("--"):
            raise CommandError(f"uptime: unrecognized option '{arg}'\n" + _usage("uptime"), 1)
        elif arg.startswith("-") and len(arg) > 1:
            bad = next(c for c in arg[1:] if c not in "ps")
            raise CommandError(f"uptime: invalid option -- '{bad}'\n" + _usage("uptime"), 1)
        else:
            raise CommandError(_usage("uptime"), 1)
    up, wall = _clock(ctx)
    if mode == "s":
        ctx.term.out(time.strftime("%Y-%m-%d %H:%M:%S\n", time.gmtime(wall - up)))
    elif mode == "p":
        ctx.term.out(_pretty(up) + "\n")
    else:
        ctx.term.out(uptime_line(ctx) + "\n")
    return 0


# --------------------------------------------------------------------- free
FREE_LONGS = {"bytes": "b", "kilo": "--kilo", "mega": "--mega", "giga": "--giga",
              "tera": "--tera", "peta": "--peta", "kibi": "k", "mebi": "m", "gibi": "g",
              "tebi": "--tebi", "pebi": "--pebi", "human": "h", "si": "--si",
              "lohi": "l", "total": "t", "committed": "v", "seconds=": "s",
              "count=": "c", "wide": "w", "help": "--help", "version": "V"}
EXPONENTS = {"b": 1, "k": 2, "m": 3, "g": 4, "--tebi": 5, "--pebi": 6,
             "--kilo": 2, "--mega": 3, "--giga": 4, "--tera": 5, "--peta": 6}


def scale_size(kb: int, human: bool, si: bool, exponent: int) -> str:
    """free.c scale_size(): whole units of the exponent, or the shortest of
    `%.1f`/`%d` with a unit that fits 4 (SI) or 5 (Ki..) characters."""
    base = 1000.0 if si else 1024.0
    n_bytes = kb * 1024
    if not human:
        if exponent == 0:
            return str(int(n_bytes // base))
        if exponent == 1:
            return str(n_bytes)
        return str(int(n_bytes / base ** (exponent - 1)))
    text = f"{n_bytes}B"
    if len(text) <= 4:
        return text
    limit, tail = (4, "") if si else (5, "i")
    for i, unit in enumerate("KMGTP", start=1):
        value = n_bytes / base ** i
        for text in (f"{value:.1f}{unit}{tail}", f"{int(value)}{unit}{tail}"):
            if len(text) <= limit:
                return text
    return f"{n_bytes}B"


def free(ctx: ToolContext, argv: list[str]) -> int:
    try:
        opts, operands = gnuopt.parse(argv[1:], "bkmghltvs:c:wV", FREE_LONGS, "free",
                                      usage=_usage("free"))
    except CommandError as err:
        raise CommandError(err.message.replace("Try 'free --help' for more information.\n",
                                               ""), 1) from None
    flags = [flag for flag, _ in opts]
    if "--help" in flags:
        ctx.term.out(_usage("free"))
        return 0
    if "V" in flags:
        ctx.term.out(f"free from {PROCPS}\n")
        return 0
    if operands:
        raise CommandError(_usage("free"), 1)
    count = _repeat(opts)
    exponent, si = 0, "--si" in flags
    for flag in flags:
        if flag in EXPONENTS:
            exponent = EXPONENTS[flag]
            si = si or flag in ("--kilo", "--mega", "--giga", "--tera", "--peta")
    human, wide = "h" in flags, "w" in flags
    m = MEMINFO
    total, free_kb, available = m["MemTotal"], m["MemFree"], m["MemAvailable"]
    cache = m["Cached"] + m["SReclaimable"]
    used = total - available
    swap_used = m["SwapTotal"] - m["SwapFree"]

    def row(label: str, values: list[int]) -> str:
        # the label and the first column end at 20, each other column is 12 wide
        return f"{label:<8}" + "".join(
            f"{scale_size(v, human, si, exponent):>12}" for v in values) + "\n"

    head = ["total", "used", "free", "shared"] + \
        (["buffers", "cache"] if wide else ["buff/cache"]) + ["available"]
    out = "        " + "".join(f"{h:>12}" for h in head) + "\n"
    out += row("Mem:", [total, used, free_kb, m["Shmem"]] +
               ([m["Buffers"], cache] if wide else [m["Buffers"] + cache]) + [available])
    if "l" in flags:
        out += row("Low:", [total, total - free_kb, free_kb]) + row("High:", [0, 0, 0])
    out += row("Swap:", [m["SwapTotal"], swap_used, m["SwapFree"]])
    if "t" in flags:
        out += row("Total:", [total + m["SwapTotal"], used + swap_used,
                              free_kb + m["SwapFree"]])
    if "v" in flags:
        out += row("Comm:", [m["CommitLimit"], m["Committed_AS"],
                             m["CommitLimit"] - m["Committed_AS"]])
    # -c N: N reports an empty line apart (the -s seconds between them not waited)
    ctx.term.out("\n".join([out] * count))
    return 0


def _repeat(opts: list[tuple[str, str]]) -> int:
    """free.c's -s and -c checks: a positive number of seconds, a count from 1."""
    count = 1
    for flag, value in opts:
        if flag == "s":
            try:
                seconds = float(value)
            except ValueError:
                raise CommandError(f"free: seconds argument failed: '{value}': "
                                   "Invalid argument\n", 1) from None
            if seconds < 1e-6:
                raise CommandError(f"free: seconds argument `{value}' is not positive "
                                   "number\n", 1)
        elif flag == "c":
            if not value.isdigit():
                raise CommandError(f"free: failed to parse count argument: '{value}'\n", 1)
            if int(value) < 1:
                raise CommandError(f"free: failed to parse count argument: '{value}': "
                                   "Numerical result out of range\n", 1)
            count = int(value)
    return count


# ------------------------------------------------------------------------ w
W_HEAD = "USER     TTY      FROM             LOGIN@   IDLE   JCPU   PCPU WHAT\n"
W_SHORT = "USER     TTY      FROM              IDLE WHAT\n"


def w(ctx: ToolContext, argv: list[str]) -> int:
    """w.c main(): the uptime line and the column heads; nobody is logged in."""
    header, short = True, False
    for arg in argv[1:]:
        if arg == "--help":
            ctx.term.out(_usage("w"))
            return 0
        if arg in ("-V", "--version"):
            ctx.term.out(f"w from {PROCPS}\n")
            return 0
        if arg in ("--no-header", "--no-current", "--short", "--from", "--old-style",
                   "--ip-addr"):
            header = header and arg != "--no-header"
            short = short or arg == "--short"
            continue
        if arg.startswith("-") and len(arg) > 1:
            for letter in arg[1:]:
                if letter not in "husfoi":
                    raise CommandError(f"w: invalid option -- '{letter}'\n" + _usage("w"), 1)
                header = header and letter != "h"
                short = short or letter == "s"
    if header:
        ctx.term.out(uptime_line(ctx) + "\n" + (W_SHORT if short else W_HEAD))
    return 0


# ---------------------------------------------------------------------- who
WHO_LONGS = {"all": "a", "boot": "b", "count": "q", "dead": "d", "heading": "H",
             "ips": "--ips", "login": "l", "lookup": "--lookup", "mesg": "T",
             "message": "T", "process": "p", "runlevel": "r", "short": "s", "time": "t",
             "users": "u", "writable": "T", "help": "--help", "version": "--version"}


def who(ctx: ToolContext, argv: list[str]) -> int:
    """who.c: the utmp entries (none); -q counts them, -H prints the heads."""
    opts, operands = gnuopt.parse(argv[1:], "abdlmpqrstuwHT", WHO_LONGS, "who")
    flags = {flag for flag, _ in opts}
    for flag, _ in opts:
        if flag in ("--help", "--version"):
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "who", flag)
    if len(operands) > 2:
        raise gnuopt.extra_operand("who", operands[2])
    if "q" in flags:
        ctx.term.out("\n# users=0\n")
    elif "H" in flags:
        ctx.term.out("NAME     LINE         TIME             COMMENT\n")
    return 0


# ------------------------------------------------------------------- lscpu
def lscpu(ctx: ToolContext, argv: list[str]) -> int:
    """util-linux 2.38.1 lscpu: the recording machine's CPUs as it printed them, as
    a tree wrapped at 80 columns on the recorder's pty, flat into a pipe
    (tools/usage/lscpu_tty.txt, lscpu_pipe.txt); -V, --help, and `bad usage` for an
    operand. (Its other views, -e, -p, -J, are not modelled: they print the default.)"""
    for arg in argv[1:]:
        if arg in ("-V", "--version"):
            ctx.term.out("lscpu from util-linux 2.38.1\n")
            return 0
        if arg in ("-h", "--help"):
            ctx.term.out(_usage_text("lscpu_help"))
            return 0
        if not arg.startswith("-"):
            raise CommandError("lscpu: bad usage\nTry 'lscpu --help' for more "
                               "information.\n", 1)
    tty = bool(getattr(ctx.session, "stdout_tty", False))
    ctx.term.out(_usage_text("lscpu_tty" if tty else "lscpu_pipe"))
    return 0


def _usage_text(name: str) -> str:
    from ipemu.profiles import usage_file
    return usage_file(name).read_text(encoding="utf-8")


COMMANDS = {"uptime": uptime, "free": free, "w": w, "who": who, "lscpu": lscpu}
