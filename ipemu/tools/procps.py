"""The process tools scripts call around a background capture (`tcpdump ... &` then
`pkill tcpdump`, `kill $(pidof ping)`): procps-ng's `pgrep`, `pkill` and `ps`, and
sysvinit-utils' `pidof` (Debian 12's), over the machine's process table: the login
shells and the programs still running (machine.processes), each with the command
line it was started with (session._dispatch() keeps it).

Followed: procps-ng pgrep.c (main(), parse_opts(), select_procs(), signal_option()),
sysvinit killall5.c (main_pidof()), procps-ng ps/ (the -p, -e, -f and -o forms).
"""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.plainclass import dataclass
from ipemu.tools import getopts
from ipemu.tools.context import ToolContext

PROCPS_VERSION = "procps-ng 4.0.2"
PID_WIDTH = 5          # the recording host's pid_max (32768): five digits
TTY = "pts/0"
SHELL_PPID = 990       # the login shell's parent (sshd or login), as a number


@dataclass
class Task:
    """What /proc/PID shows of a process: its comm (15 characters) and cmdline."""

    pid: int
    ppid: int
    comm: str
    cmdline: list
    proc: object = None      # the Process to signal (None: a shell)
    stat: str = "S"          # sleeping; a session leader "Ss", the foreground "R+"
    peer: bool = False       # a stage of the pipeline the tool runs in


def tasks(ctx: ToolContext) -> list[Task]:
    """The processes, by PID: each shell, then each program still running."""
    machine = getattr(ctx.session, "machine", None)
    found: list[Task] = []
    shell_pid = getattr(getattr(ctx.session, "sh", None), "pid", 0) or 0
    # a recorder's line: `bash -c LINE` is a session leader on its own pty and every
    # process of the line is in its foreground process group (no job control): `+`
    line = getattr(ctx.session, "current_line", None)
    fg = "+" if line is not None else ""
    exec_pid = getattr(ctx.session, "exec_pid", None)
    for shell in getattr(machine, "shells", ()):
        pid = getattr(getattr(shell, "sh", None), "pid", 0)
        if pid and pid != exec_pid:
            own = line is not None and shell is ctx.session
            found.append(Task(pid, SHELL_PPID, "bash",
                              ["bash", "-c", line] if own else ["-bash"], stat="Ss" + fg))
    # the shells started as commands (`bash FILE`, `sh -c ...`): one exec'd in a
    # shell's place is shown instead of it; one that exec'd its own last command
    # (exec_pid) is that program now
    children = getattr(ctx.session, "child_procs", {})
    if children:
        replaced = {child.replaced for child in children.values()}
        found = [t for t in found if t.pid not in replaced]
        for pid, child in children.items():
            if pid != exec_pid and pid not in replaced:
                found.append(Task(pid, child.replaced and SHELL_PPID or shell_pid,
                                  child.comm, list(child.cmdline), stat="S" + fg))
    for pid, proc in sorted(getattr(machine, "processes", {}).items()):
        if proc.done or getattr(proc, "exec_of", 0):
            continue        # a background job's one command: shown at the job's PID
        shown = proc
        current = getattr(proc, "current", None)
        if getattr(proc, "execs", False) and current is not None and not current.done and \
                getattr(current, "exec_of", 0) == pid:
            shown = current     # the forked shell exec'd it: one process, this PID
        argv = _exec_argv(list(getattr(shown, "cmdline", None) or ["bash"]))
        name = argv[0].rsplit("/", 1)[-1]
        # a program another one forked (timeout's command) has that one as parent
        parent = getattr(proc, "parent_pid", 0) or shell_pid
        found.append(Task(pid, parent, name[:15], argv, proc, stat="S" + fg))
    later = getattr(ctx.session, "pipe_later", ())
    if later and machine is not None:
        # a pipeline's stages after the running one: forked with it, waiting for its
        # output (`ps aux | grep X` shows the grep; recorded: lead45_ps_pipeline)
        own = ["bash", "-c", line] if line is not None else ["-bash"]
        pid = machine.last_pid
        for command in later:
            pid += 1
            found.append(_stage_task(command, pid, shell_pid, own, ctx.session, "S" + fg))
    return sorted(found, key=lambda t: t.pid)


def _stage_task(command, pid: int, ppid: int, own: list, session, stat: str) -> Task:
    """A pipeline stage as /proc shows it: the program a simple command execs (its
    words as written where they expand to themselves), else the forked shell (a
    builtin, a function, a compound command), with its parent's cmdline."""
    from ipemu.bash import ast
    from ipemu.bash.builtins import BUILTINS
    from ipemu.bash.pipe import literal
    if isinstance(command, ast.Simple) and command.words:
        name = literal(command.words[0])
        if name is not None and name not in BUILTINS and \
                name not in getattr(getattr(session, "sh", None), "functions", {}):
            argv = [w if (text := literal(w)) is None else text for w in command.words]
            return Task(pid, ppid, name.rsplit("/", 1)[-1][:15], argv, stat=stat, peer=True)
    return Task(pid, ppid, "bash", list(own), stat=stat, peer=True)


class _SessionCtx:
    """tasks()' view of a session (it reads only ctx.session)."""

    def __init__(self, session):
        self.session = session


def proc_pid_view(session, path: str):
    """/proc/PID of the process table (proc_pid_lookup()): "dir" for a live process's
    directory, the text of its `comm` (task->comm, 15 characters and a newline) or
    `cmdline` (the argv, each ending in a NUL); OSError ENOENT for a process that is
    not there (`[ -e /proc/$pid ]` after it ended) or a file not simulated; None for
    a path outside /proc/PID."""
    import errno
    import re
    m = re.fullmatch(r"/proc/(\d+)(/[^/]+)?/?", path)
    if m is None:
        return None
    pid = int(m.group(1))
    task = next((t for t in tasks(_SessionCtx(session)) if t.pid == pid), None)
    if task is None or m.group(2) not in (None, "/comm", "/cmdline"):
        raise OSError(errno.ENOENT, "No such file or directory", path)
    if m.group(2) is None:
        return "dir"
    if m.group(2) == "/comm":
        return task.comm + "\n"
    return "".join(arg + "\0" for arg in task.cmdline)


def _exec_argv(argv: list[str]) -> list[str]:
    """The program a wrapper execs: `ip netns exec NS CMD...` and `nsenter ... CMD`
    become CMD (execvp() keeps the PID)."""
    if len(argv) > 4 and argv[0].endswith("ip") and argv[1:3] == ["netns", "exec"]:
        return argv[4:]
    return argv


def _self_pid(ctx: ToolContext) -> int:
    """The PID the running tool itself has (pgrep and ps see themselves)."""
    machine = getattr(ctx.session, "machine", None)
    return machine.next_pid() if machine is not None else 0


# ---------------------------------------------------------------- pgrep/pkill
PGREP_SHORT = "d:lavwcfg:G:inoO:P:s:t:u:U:xF:Lr:AhV"
PKILL_SHORT = "q:ecfg:G:inoO:P:s:t:u:U:xF:Lr:AhV"
PGREP_LONG = ["delimiter=", "list-name", "list-full", "inverse", "lightweight", "count",
              "full", "pgroup=", "group=", "ignore-case", "newest", "oldest", "older=",
              "parent=", "session=", "terminal=", "euid=", "uid=", "exact", "pidfile=",
              "logpidfile", "runstates=", "ignore-ancestors", "cgroup=", "ns=", "nslist=",
              "help", "version"]
PKILL_LONG = ["signal=", "queue=", "echo"] + [o for o in PGREP_LONG if o not in (
    "delimiter=", "list-name", "list-full", "inverse", "lightweight")]


def _signal_number(spec: str) -> int | None:
    """signal_name_to_number(): a number, or a name with or without SIG."""
    from ipemu.bash.traps import SIGNALS
    if spec.isdigit():
        return int(spec) if 0 <= int(spec) <= 64 else None
    name = spec.upper()
    name = name[3:] if name.startswith("SIG") else name
    return SIGNALS.index(name) + 1 if name in SIGNALS else None


def _usage_error(ctx: ToolContext, prog: str, message: str) -> CommandError:
    return CommandError(message + ctx.profile.usage(f"{prog}_usage"), 2)


def pgrep(ctx: ToolContext, argv: list[str]) -> int:
    prog = argv[0].rsplit("/", 1)[-1]
    kill = prog == "pkill"
    args = argv[1:]
    signum = 15
    if kill and args and args[0].startswith("-") and len(args[0]) > 1:
        # signal_option(): a leading -SIG is the signal, when it names one
        number = _signal_number(args[0][1:])
        if number is not None:
            signum = number
            args = args[1:]
    short, longs = (PKILL_SHORT, PKILL_LONG) if kill else (PGREP_SHORT, PGREP_LONG)
    try:
        pairs, rest = getopts.parse(prog, args, short, longs)
    except getopts.OptionError as err:
        raise _usage_error(ctx, prog, err.message + "\n") from None
    opts: dict[str, str] = {}
    for flag, value in pairs:
        name = flag.lstrip("-")
        if name in ("h", "help"):
            ctx.term.out(ctx.profile.usage(f"{prog}_usage"))
            return 0
        if name in ("V", "version"):
            ctx.term.out(f"{prog} from {PROCPS_VERSION}\n")
            return 0
        if name == "signal":
            # signal_name_to_number(): -1 for a name it does not know, which kill(2)
            # then refuses for each process (EINVAL)
            number = _signal_number(value)
            signum = -1 if number is None else number
            continue
        opts[name] = value
    if not rest and not any(k in opts for k in "gGPstuUFr") and \
            not any(k in opts for k in ("pgroup", "group", "parent", "session", "terminal",
                                        "euid", "uid", "pidfile", "runstates")):
        raise CommandError(f"{prog}: no matching criteria specified\n"
                           f"Try `{prog} --help' for more information.\n", 2)
    if len(rest) > 1:
        raise CommandError(f"{prog}: only one pattern can be provided\n"
                           f"Try `{prog} --help' for more information.\n", 2)
    pidfile = opts.get("F", opts.get("pidfile"))
    if pidfile is not None:
        # read_pidfile(): a file whose first word is a number, else the usage error
        path = pidfile if pidfile.startswith("/") else \
            f"{ctx.session.cwd.rstrip('/')}/{pidfile}"
        text = ctx.session.read_text(path)
        words = text.split() if text else []
        if not words or not words[0].isdigit():
            raise CommandError(f"{prog}: pidfile not valid\n"
                               f"Try `{prog} --help' for more information.\n", 1)
    full = "f" in opts or "full" in opts
    flags = re.IGNORECASE if "i" in opts or "ignore-case" in opts else 0
    pattern = pattern_arg = rest[0] if rest else ""
    if "x" in opts or "exact" in opts:
        pattern = f"^({pattern})$"
    if ("n" in opts or "newest" in opts) and ("o" in opts or "oldest" in opts):
        raise _usage_error(ctx, prog, "")          # parse_opts(): usage(0)
    from ipemu.tools import posixre
    try:
        # regcomp(REG_EXTENDED | REG_NOSUB [| REG_ICASE]); xerrx(): "regex error: %s"
        regex = posixre.compile(pattern, True, bool(flags))
    except posixre.RegexError as err:
        raise CommandError(f"{prog}: regex error: {err}\n", 2) from None
    except (re.error, ValueError):
        raise CommandError(f"{prog}: regex error: Invalid regular expression\n", 2) from None
    _self_pid(ctx)          # pgrep has a PID of its own (and never matches itself)
    inverse = "v" in opts or "inverse" in opts
    matched = []
    # -P, --parent: the children of these PIDs (pgrep.c's opt_ppid list)
    parents = opts.get("P", opts.get("parent"))
    parent_set = {int(p) for p in parents.split(",") if p.strip().isdigit()} \
        if parents is not None else None
    for task in tasks(ctx):
        text = " ".join(task.cmdline) if full else task.comm
        if parent_set is not None and task.ppid not in parent_set:
            continue
        if bool(regex.search(text)) != inverse:
            matched.append(task)
    if not matched and not full and not inverse and len(pattern_arg.encode()) > 15:
        # pgrep.c main(): nothing found by a comm pattern longer than a comm can be
        ctx.term.err(f"{prog}: pattern that searches for process name longer than 15 "
                     f"characters will result in zero matches\n"
                     f"Try `{prog} -f' option to match against the complete command line.\n")
    if "n" in opts or "newest" in opts:
        matched = matched[-1:]
    elif "o" in opts or "oldest" in opts:
        matched = matched[:1]
    if kill:
        return _pkill(ctx, matched, signum, opts)
    if "c" in opts or "count" in opts:
        ctx.term.out(f"{len(matched)}\n")
    else:
        delim = opts.get("d", opts.get("delimiter", "\n"))
        if "a" in opts or "list-full" in opts:
            items = [f"{t.pid} {shown_cmdline(t)}" for t in matched]
        elif "l" in opts or "list-name" in opts:
            items = [f"{t.pid} {t.comm}" for t in matched]
        else:
            items = [str(t.pid) for t in matched]
        if items:
            ctx.term.out(delim.join(items) + "\n")
    return 0 if matched else 1


def _pkill(ctx: ToolContext, matched: list[Task], signum: int, opts: dict) -> int:
    """pkill's loop: kill(2) each, `-e` echoing `NAME killed (pid N)`."""
    out, killed = [], 0
    for task in matched:
        if signum < 0:
            ctx.term.out("".join(out))
            out = []
            ctx.term.err(f"pkill: killing pid {task.pid} failed: Invalid argument\n")
            continue
        if task.proc is not None and signum:
            task.proc.cont()
            task.proc.signal(signum)
        elif signum and task.cmdline[:2] == ["bash", "-c"] and not task.peer:
            # the line's own shell (`pkill -f` matched its `bash -c LINE`): it gets
            # the signal once pkill has ended (Interp.invoke_tool)
            ctx.session.shell_signal = signum
        killed += 1
        if "e" in opts or "echo" in opts:
            out.append(f"{task.comm} killed (pid {task.pid})\n")
    if "c" in opts or "count" in opts:
        out.append(f"{killed}\n")
    ctx.term.out("".join(out))
    return 0 if killed else 1


# ---------------------------------------------------------------------- pidof
def pidof(ctx: ToolContext, argv: list[str]) -> int:
    """killall5.c main_pidof(): the PIDs of each named program, newest first, one
    line; status 1 when none runs. Options are sysvinit's (-s -c -n -q -x -z -d -o)."""
    names, single, quiet, sep, omit = [], False, False, " ", set()
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-") and len(arg) > 1 and not names:
            letters = arg[1:]
            j = 0
            while j < len(letters):
                ch = letters[j]
                if ch in "scnxz":
                    single = single or ch == "s"
                elif ch == "q":
                    quiet = True
                elif ch in "do":
                    value = letters[j + 1:] or (args[i + 1] if i + 1 < len(args) else None)
                    if value is None:
                        raise CommandError("pidof: invalid options on command line!\n\n", 1)
                    if not letters[j + 1:]:
                        i += 1
                    if ch == "d":
                        sep = value
                    else:
                        omit |= {v for v in value.split(",")}
                    break
                else:
                    raise CommandError("pidof: invalid options on command line!\n\n", 1)
                j += 1
        else:
            names.append(arg)
        i += 1
    found: list[str] = []
    running = tasks(ctx)
    for name in names:
        base = name.rsplit("/", 1)[-1]
        for task in reversed(running):
            prog = task.cmdline[0] if task.cmdline else task.comm
            if str(task.pid) in omit:
                continue
            if prog == name or prog.rsplit("/", 1)[-1] == base or task.comm == base[:15]:
                found.append(str(task.pid))
                if single:
                    break
    if found and not quiet:
        ctx.term.out(sep.join(found) + "\n")
    return 0 if found else 1


# ------------------------------------------------------------------------- ps
# output.c's format specifiers this ps knows: header, width (0: the last column's
# free width), alignment
FIELDS = {
    "pid": ("PID", PID_WIDTH, ">"), "ppid": ("PPID", PID_WIDTH, ">"),
    "comm": ("COMMAND", 15, "<"), "ucmd": ("CMD", 15, "<"), "ucomm": ("COMMAND", 15, "<"),
    "args": ("COMMAND", 0, "<"), "cmd": ("CMD", 0, "<"), "command": ("COMMAND", 0, "<"),
    "tty": ("TT", 8, "<"), "tname": ("TTY", 8, "<"), "time": ("TIME", 8, ">"),
    "user": ("USER", 8, "<"), "euser": ("EUSER", 8, "<"), "uid": ("UID", 5, ">"),
    "euid": ("EUID", 5, ">"), "stat": ("STAT", 4, "<"), "s": ("S", 1, "<"),
    "c": ("C", 2, ">"), "uname": ("USER", 8, "<"), "%cpu": ("%CPU", 4, ">"),
    "%mem": ("%MEM", 4, ">"), "vsz": ("VSZ", 6, ">"), "rss": ("RSS", 5, ">"),
    "bsdstart": ("START", 5, ">"), "bsdtime": ("TIME", 6, ">"),
}
DEFAULT_FORMAT = ["pid", "tname", "time", "ucmd"]
FULL_FORMAT = ["uname:UID", "pid", "ppid", "c", "stime", "tname", "time", "cmd"]
# `u`: the BSD user format (sizes are not simulated: 0)
USER_FORMAT = ["user", "pid", "%cpu", "%mem", "vsz", "rss", "tname", "stat", "bsdstart",
               "bsdtime", "command"]


# what ps and pgrep -a print of a command line's characters (recorded, procps-ng 4.0.2:
# a newline as a blank, as the NULs between the arguments; any other control character,
# a tab too, as `?`, escape.c's esc_ctl())
_SHOWN = {c: "?" for c in [*range(0x20), 0x7F]}
_SHOWN[0x0A] = " "


def shown_cmdline(task: Task) -> str:
    """/proc/PID/cmdline as procps prints it (readproc's arguments joined by blanks)."""
    text = " ".join(task.cmdline)
    return text.translate(_SHOWN) if not text.isprintable() else text


def _value(task: Task, name: str, ctx: ToolContext) -> str:
    if name in ("pid", "ppid"):
        return str(getattr(task, name))
    if name in ("comm", "ucmd", "ucomm"):
        return task.comm
    if name in ("args", "cmd", "command"):
        return shown_cmdline(task)
    if name in ("tty", "tname"):
        return TTY
    if name == "time":
        return "00:00:00"
    if name in ("user", "euser", "uname"):
        return "root"
    if name in ("uid", "euid", "c", "vsz", "rss"):
        return "0"
    if name in ("%cpu", "%mem"):
        return "0.0"
    if name == "bsdtime":
        return "0:00"
    if name == "stat":
        return task.stat
    if name == "s":
        return task.stat[0]
    if name in ("stime", "bsdstart"):
        import time
        wall = ctx.host.clock.wall
        return time.strftime("%H:%M", time.gmtime(wall))
    return "-"


def _ps_error(ctx: ToolContext, message: str) -> CommandError:
    return CommandError(f"error: {message}\n" + ctx.profile.usage("ps_usage"), 1)


def ps(ctx: ToolContext, argv: list[str]) -> int:
    """ps: every process of the terminal (the default, the same as -e here: one
    terminal runs them all), -p PIDs, -C names; the default, -f and -o columns."""
    args = argv[1:]
    fmt: list[str] | None = None
    pids: set[int] | None = None
    names: set[str] | None = None
    ppids: set[int] | None = None
    full = user = False
    headers = True
    i = 0
    while i < len(args):
        arg = args[i]
        take = (lambda: args[i + 1] if i + 1 < len(args) else None)
        if arg in ("-V", "V", "--version"):
            ctx.term.out(f"ps from {PROCPS_VERSION}\n")
            return 0
        if arg in ("--no-headers", "--no-heading"):
            headers = False
            i += 1
            continue
        if arg.split("=")[0] in ("--ppid", "--pid"):
            # --ppid LIST / --pid LIST (also with =): select by parent or by PID
            value = arg.split("=", 1)[1] if "=" in arg else take()
            if value is None:
                raise _ps_error(ctx, "list of process IDs must follow " + arg)
            if "=" not in arg:
                i += 1
            chosen = _pid_list(ctx, value)
            if arg.startswith("--ppid"):
                ppids = (ppids or set()) | chosen
            else:
                pids = (pids or set()) | chosen
            i += 1
            continue
        if arg.startswith("--"):
            raise _ps_error(ctx, "unknown gnu long option")
        if arg.startswith("-") and len(arg) > 1:
            letters = arg[1:]
            j = 0
            while j < len(letters):
                ch = letters[j]
                if ch in "opC":
                    value = letters[j + 1:] or take()
                    if value is None:
                        raise _ps_error(ctx, "list of process IDs must follow -p"
                                        if ch == "p" else "improper list")
                    if not letters[j + 1:]:
                        i += 1
                    if ch == "o":
                        fmt = (fmt or []) + _format(ctx, value)
                    elif ch == "p":
                        pids = (pids or set()) | _pid_list(ctx, value)
                    else:
                        names = (names or set()) | set(value.split(","))
                    break
                if ch == "f":
                    full = True
                elif ch not in "eAaxwlHj":
                    raise _ps_error(ctx, "unsupported SysV option")
                j += 1
        elif arg and set(arg) <= set("auxwf"):
            user = user or "u" in arg
        else:
            raise _ps_error(ctx, "unsupported option (BSD syntax)")
        i += 1
    columns = fmt or (FULL_FORMAT if full else USER_FORMAT if user else DEFAULT_FORMAT)
    # bash -c execs its last command in its own place: ps is then $$ itself
    me = getattr(ctx.session, "exec_pid", None) or _self_pid(ctx)
    rows = tasks(ctx)
    rows.append(Task(me, getattr(getattr(ctx.session, "sh", None), "pid", 0) or 0,
                     "ps", list(argv), stat="R+"))
    rows.sort(key=lambda t: t.pid)      # (the stages after ps were forked after it)
    if pids is not None or ppids is not None:
        # ps's selections add up (an OR of -p, --pid, --ppid)
        rows = [t for t in rows if pids is not None and t.pid in pids or
                ppids is not None and t.ppid in ppids]
    if names is not None:
        rows = [t for t in rows if t.comm in names]
    out = []
    heads = [_head(c) for c in columns]
    if headers and any(h for _, h in heads):
        out.append(_line([h for _, h in heads], columns))
    for task in rows:
        out.append(_line([_value(task, c.split(":")[0].split("=")[0], ctx)
                          for c in columns], columns))
    ctx.term.out("".join(out))
    return 0 if rows else 1


def _head(column: str) -> tuple[str, str]:
    name, _, header = column.partition("=")
    name, _, width = name.partition(":")
    if column.startswith("uname:"):
        return name, "UID"
    if name == "stime":
        return name, header if "=" in column else "STIME"
    return name, header if "=" in column else FIELDS[name][0]


def _line(values: list[str], columns: list[str]) -> str:
    cells = []
    for k, (value, column) in enumerate(zip(values, columns)):
        name = column.split("=")[0].split(":")[0]
        _, width, align = FIELDS.get(name, ("", 5, "<"))
        if column.startswith("uname:"):
            width = 8
        if name == "stime":
            width = 5
        if k == len(columns) - 1 and align == "<":
            cells.append(value)
        else:
            cells.append(f"{value:{align}{width}}")
    # the last column, left-aligned, is not padded; an empty header keeps its separator
    return " ".join(cells) + "\n"


def _format(ctx: ToolContext, spec: str) -> list[str]:
    """-o's list: NAME[=HEADER], comma or space separated; procps-ng 4 ends a header
    at a comma (`-o pid=X,comm=`: two columns), a space belongs to it."""
    found = []
    items = re.split(r",", spec) if "=" in spec else re.split(r"[ ,]", spec)
    for item in items:
        if not item:
            continue
        name = item.split("=")[0]
        if name not in FIELDS and name != "stime":
            raise _ps_error(ctx, f'unknown user-defined format specifier "{name}"')
        found.append(item)
    return found


def _pid_list(ctx: ToolContext, value: str) -> set[int]:
    found = set()
    for item in re.split(r"[ ,]", value):
        if not item.isdigit():
            raise _ps_error(ctx, "process ID list syntax error")
        found.add(int(item))
    return found


def main(ctx: ToolContext, argv: list[str]) -> int:
    name = argv[0].rsplit("/", 1)[-1]
    if name in ("pgrep", "pkill"):
        return pgrep(ctx, argv)
    if name == "pidof":
        return pidof(ctx, argv)
    return ps(ctx, argv)
