"""The process and kernel tools scripts call around a network setup: util-linux
2.38.1's renice (the niceness of running programs) and dmesg (the kernel's ring
buffer), psmisc 23.6's fuser (which programs hold a port: `fuser -k 8080/tcp`
before starting a server again).

Followed: util-linux sys-utils/renice.c (main(), donice()), sys-utils/dmesg.c
(main()'s option checks, parse_level(), parse_facility()); psmisc src/fuser.c
(parse_inet(), print_matches(), kill_matched_proc()).

A fresh namespace's dmesg reads the host's ring buffer, which differs from host to
host: ipemu's kernel logs nothing there, so dmesg prints nothing and only its option
errors and texts are the real ones."""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext
from ipemu.tools.procps import tasks

NZERO = 20
IDTYPE = {"p": "process ID", "g": "process group ID", "u": "user ID"}


# ------------------------------------------------------------------- renice
def _nice_of(ctx: ToolContext, task) -> int:
    if task.proc is None:
        return getattr(ctx.session, "niceness", 0)
    return getattr(task.proc, "nice", 0)


def renice(ctx: ToolContext, argv: list[str]) -> int:
    """renice.c main(): `[-n] PRIORITY [-p|-g|-u] ID...`; each ID reported as
    `ID (process ID) old priority N, new priority M`, held to -20..19."""
    args = argv[1:]
    if len(args) == 1:
        if args[0] in ("-h", "--help"):
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "renice", "--help")
        if args[0] in ("-v", "-V", "--version"):
            ctx.term.out("renice from util-linux 2.38.1\n")
            return 0
    if args and args[0] in ("-n", "--priority"):
        args = args[1:]
    if len(args) < 2:
        raise CommandError("renice: not enough arguments\n" + gnuopt.try_help("renice"), 1)
    text = args[0]
    match = re.match(r"(?a)\s*([-+]?\d+)", text)
    if not match or match.end() != len(text):
        raise CommandError(f"renice: invalid priority '{text}'\n"
                           + gnuopt.try_help("renice"), 1)
    prio = int(match.group(1))
    which = "p"
    errs = 0
    running = tasks(ctx)
    # renice's own niceness (ID 0): the shell's when it was started
    own_nice = [getattr(ctx.session, "niceness", 0)]
    for arg in args[1:]:
        if arg in ("-g", "--pgrp", "-u", "--user", "-p", "--pid"):
            which = arg.lstrip("-")[0]
            continue
        if which == "u":
            users = {"root": 0}
            who = users.get(arg, int(arg) if arg.isdigit() else None)
            if who is None:
                ctx.term.err(f"renice: unknown user {arg}\n")
                errs = 1
                continue
        else:
            if not re.fullmatch(r"(?a)\s*\+?\d+", arg):
                ctx.term.err(f"renice: bad {IDTYPE[which]} value: {arg}\n")
                errs = 1
                continue
            who = int(arg)
        errs |= _donice(ctx, running, which, who, prio, own_nice)
    return 1 if errs else 0


def _donice(ctx: ToolContext, running: list, which: str, who: int, prio: int,
            own_nice: list[int]) -> int:
    """donice(): getpriority(), setpriority(), getpriority() again. A process group
    or user is every process in it (all of root's here); its priority the lowest
    niceness among them."""
    if which == "p" and who != 0:
        chosen = [task for task in running if task.pid == who]
    elif which == "p":
        chosen = []            # renice itself: its own niceness
    else:
        chosen = [task for task in running if which == "u" and who == 0 or which == "g"]
    if which == "p" and who != 0 and not chosen:
        ctx.term.err(f"renice: failed to get priority for {who} ({IDTYPE[which]}): "
                     "No such process\n")
        return 1
    old = min((_nice_of(ctx, task) for task in chosen), default=own_nice[0])
    new = max(-NZERO, min(NZERO - 1, prio))
    own_pid = getattr(getattr(ctx.session, "sh", None), "pid", None)
    for task in chosen:
        if task.proc is not None:
            task.proc.nice = new
        elif task.pid == own_pid:
            ctx.session.niceness = new      # the shell itself: what it runs inherits
    if which == "p" and who == 0:
        own_nice[0] = new               # renice's own: gone when it exits
    ctx.term.out(f"{who} ({IDTYPE[which]}) old priority {old}, new priority {new}\n")
    return 0


# -------------------------------------------------------------------- fuser
NAME_FIELD = 20
FUSER_LONGS = {"all": "a", "interactive": "i", "inode": "I", "kill": "k",
               "list-signals": "l", "mount": "m", "ismountpoint": "M", "namespace": "n",
               "silent": "s", "user": "u", "verbose": "v", "writeonly": "w",
               "version": "V", "ipv4": "4", "ipv6": "6"}


def _fuser_usage(first: str = "") -> CommandError:
    from ipemu.profiles import usage_file
    return CommandError(first + usage_file("fuser_usage").read_text(encoding="utf-8"), 1)


def fuser(ctx: ToolContext, argv: list[str]) -> int:
    """fuser.c main(): each NAME is a file or PORT/tcp, PORT/udp (or -n SPACE);
    the PIDs using it go to stdout (`%6d`), the name and its padding to stderr; -v
    a table, -k SIGKILL (or -SIGNAL) to each, status 0 when any was found."""
    from ipemu.tools.psmisc import SIGNAMES, get_signal, list_signals
    opts: set[str] = set()
    space = None
    signum = 9
    names: list[str] = []
    args = list(argv[1:])
    while args:
        arg = args.pop(0)
        if arg == "--":
            break               # fuser.c: nothing after it is a name
        if arg == "-":
            continue
        if not arg.startswith("-"):
            names.append(arg)
            continue
        if arg.startswith("--"):
            name = arg[2:]
            if name == "namespace":
                if not args:
                    raise _fuser_usage()
                space = args.pop(0)
            elif name in FUSER_LONGS:
                opts.add(FUSER_LONGS[name])
            else:
                raise _fuser_usage(f"fuser: Invalid option {arg}\n")
            continue
        body = arg[1:]
        if body.isdigit() or body.upper().lstrip("SIG") in SIGNAMES and \
                body not in ("l", "u", "v", "a", "k", "m", "s", "V", "M", "I", "w", "i"):
            signum = get_signal(body.upper())
            continue
        if body == "h":
            raise _fuser_usage()
        for i, letter in enumerate(body):
            if letter == "n":
                rest = body[i + 1:] or (args.pop(0) if args else None)
                if rest is None:
                    raise _fuser_usage()
                space = rest
                break
            if letter not in "aiIklmMsuvwV46c":
                raise _fuser_usage(f"fuser: Invalid option {letter}\n")
            opts.add(letter)
    if "V" in opts:
        from ipemu.profiles import usage_file
        # fuser.c print_version(): on stderr
        ctx.term.err(usage_file("fuser_version").read_text(encoding="utf-8"))
        return 0
    if "l" in opts:
        ctx.term.out(list_signals())
        return 0
    if space is not None and space not in ("file", "tcp", "udp"):
        raise _fuser_usage("Invalid namespace name\n")
    if not names:
        raise _fuser_usage("No process specification given\n")
    # fuser.c: every name is looked at first (its errors then), the matches
    # printed after, in the order of the names
    entries: list[tuple[str, list]] = []
    for name in names:
        kind, port = _fuser_name(name, space)
        if kind == "file":
            fs = ctx.session.fs
            path = fs.resolve(name, ctx.session.cwd)
            if not fs.exists(path):
                ctx.term.err(f"Specified filename {name} does not exist.\n")
                entries.append((name, []))
            else:
                # no program here holds a file open; it is shown by its full path
                entries.append((path, []))
            continue
        if port is None:
            ctx.term.err(f"Cannot resolve local port {name.split('/')[0]}: "
                         "Servname not supported for ai_socktype\n")
            continue
        entries.append((f"{port}/{kind}", _port_owners(ctx, kind, port, opts)))
    header = False
    for shown, owners in entries:
        if "s" in opts or not owners and "a" not in opts:
            continue
        if "v" in opts and not header:
            ctx.term.err(" " * (NAME_FIELD + 1) + "USER        PID ACCESS COMMAND\n")
            header = True
        if not owners:
            ctx.term.err(f"{shown}:\n")        # -a: a name nothing uses, bare
        elif "v" in opts:
            for i, task in enumerate(owners):
                lead = f"{shown}:".ljust(NAME_FIELD + 1) if i == 0 else " " * (NAME_FIELD + 1)
                ctx.term.err(lead + f"{'root':<8} ")
                ctx.term.out(f"{task.pid:6d}")
                ctx.term.err(f" F.... {task.comm}\n")
        else:
            ctx.term.err(f"{shown}:".ljust(NAME_FIELD))
            for task in owners:
                ctx.term.out(f"{task.pid:6d}")
            ctx.term.err("\n")
    if "k" in opts:
        for _, owners in entries:
            for task in owners:
                if task.proc is not None:
                    task.proc.cont()
                    task.proc.signal(signum)
    return 0 if any(owners for _, owners in entries) else 1


def _fuser_name(name: str, space: str | None) -> tuple[str, int | None]:
    """parse_inet(): `PORT/tcp` (or -n tcp PORT): the local port, a number or a
    service name; anything else is a file."""
    kind = space or "file"
    text = name
    if space in (None, "file"):
        match = re.fullmatch(r"(.*)/(tcp|udp)", name)
        if not match:
            return "file", None
        text, kind = match.group(1), match.group(2)
    port = text.split(",")[0]
    if port.isdigit():
        return kind, int(port)
    known = {"http": 80, "https": 443, "ssh": 22, "domain": 53, "ftp": 21, "telnet": 23,
             "smtp": 25, "ntp": 123}
    return kind, known.get(port)


def _port_owners(ctx: ToolContext, kind: str, port: int, opts: set[str]) -> list:
    """The programs whose sockets have this local port (tcp: the namespace's table;
    no UDP socket listens in the simulation)."""
    if kind != "tcp":
        return []
    table = ctx.netns.stack.__dict__.get("tcp")
    pids = set()
    for sock in (table.socks if table is not None else ()):
        if sock.sport != port:
            continue
        if "4" in opts and sock.family != 4 or "6" in opts and sock.family != 6:
            continue
        pid = getattr(sock.owner, "pid", 0)
        if pid:
            pids.add(pid)
    return [task for task in tasks(ctx) if task.pid in pids]


# -------------------------------------------------------------------- dmesg
LEVELS = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"]
FACILITIES = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news"]
DMESG_LONGS = {"clear": "C", "color=": "L", "console-level=": "n", "console-off": "D",
               "console-on": "E", "decode": "x", "file=": "F", "facility=": "f",
               "follow": "w", "follow-new": "W", "human": "H", "kernel": "k", "json": "J",
               "level=": "l", "since=": "--since", "syslog": "S", "raw": "r",
               "read-clear": "c", "reltime": "e", "show-delta": "d", "ctime": "T",
               "notime": "t", "nopager": "P", "until=": "--until", "userspace": "u",
               "buffer-size=": "s", "time-format=": "--time-format", "force-prefix": "p",
               "help": "h", "version": "V", "noescape": "--noescape"}


def dmesg(ctx: ToolContext, argv: list[str]) -> int:
    args = []
    for arg in argv[1:]:
        # -L[=WHEN] / --color[=WHEN]: an optional value
        if arg in ("-L", "--color"):
            arg = "--color=auto"
        elif arg.startswith("-L="):
            arg = "--color=" + arg[3:]
        args.append(arg)
    opts, operands = gnuopt.parse(args, "CcDdEeF:f:HhJkl:n:iPprSs:TtuVWwx",
                                  DMESG_LONGS, "dmesg")
    for flag, value in opts:
        if flag == "h":
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "dmesg", "--help")
        if flag == "V":
            ctx.term.out("dmesg from util-linux 2.38.1\n")
            return 0
    for flag, value in opts:
        if flag in ("l", "n"):
            for word in value.split(","):
                if word not in LEVELS and not (flag == "n" and word.isdigit()
                                               and 1 <= int(word) <= 8):
                    raise CommandError(f"dmesg: unknown level '{word}'\n", 1)
        elif flag == "f":
            for word in value.split(","):
                if word not in FACILITIES + ["uucp", "cron", "authpriv", "ftp", "res0",
                                             "res1", "res2", "res3", "local0", "local1",
                                             "local2", "local3", "local4", "local5",
                                             "local6", "local7"]:
                    raise CommandError(f"dmesg: unknown facility '{word}'\n", 1)
        elif flag == "s" and not value.isdigit():
            # strtou32_or_err(): a negative number is out of range
            why = ": Numerical result out of range" if re.fullmatch(r"(?a)-\d+", value) else ""
            raise CommandError(f"dmesg: invalid buffer size argument: '{value}'{why}\n", 1)
        elif flag == "L" and value not in ("auto", "always", "never"):
            raise CommandError(f"dmesg: unsupported color mode: '{value}'\n", 1)
        elif flag in ("--since", "--until") and not re.fullmatch(
                r"\d{4}-\d\d-\d\d( \d\d:\d\d(:\d\d)?)?|now|today|yesterday|[-+]\d+\w*", value):
            raise CommandError(f'dmesg: invalid time value "{value}"\n', 1)
        elif flag == "F":
            fs = ctx.session.fs
            try:
                fs.read(fs.resolve(value, ctx.session.cwd))
            except OSError as err:
                raise CommandError(f"dmesg: cannot open {value}: {err.strerror}\n", 1) \
                    from None
    if operands:
        raise CommandError("dmesg: bad usage\n" + gnuopt.try_help("dmesg"), 1)
    if any(flag in ("w", "W") for flag, _ in opts):
        # --follow: waits for messages that never come; a signal ends it
        from ipemu.process import Forever
        return Forever(ctx.host, ctx.term)
    return 0


COMMANDS = {"renice": renice, "fuser": fuser, "dmesg": dmesg}


def main(ctx: ToolContext, argv: list[str]) -> int:
    return COMMANDS[argv[0].rsplit("/", 1)[-1]](ctx, argv)
