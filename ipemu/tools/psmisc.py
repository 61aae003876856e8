"""psmisc 23.6's killall (Debian 12's): signal every process of a name, as a
tutorial ends its background capture (`tcpdump -i eth0 -w x.pcap &` ... `killall
tcpdump`). Over the same process table as pkill (procps.tasks()).

Followed: psmisc src/killall.c (main(), kill_all(), usage()), src/signals.c
(get_signal(), list_signals())."""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.procps import Task, tasks

COMM_LEN = 15           # a comm holds 15 characters (TASK_COMM_LEN - 1)
# signals.c's table (signames.h): POLL where bash says IO
SIGNAMES = ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
            "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP",
            "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH",
            "POLL", "PWR", "SYS"]
VERSION = ("killall (PSmisc) 23.6\n"
           "Copyright (C) 1993-2022 Werner Almesberger and Craig Small\n\n"
           "PSmisc comes with ABSOLUTELY NO WARRANTY.\n"
           "This is free software, and you are welcome to redistribute it under\n"
           "the terms of the GNU General Public License.\n"
           "For more information about these matters, see the files named COPYING.\n")
# letters of killall.c's getopt string ("Zegy:o:ilqrs:u:vwVIn:"), with an argument or not
FLAGS = set("egilqrvwVI")
WITH_ARG = set("Zyosun")
LONGS = {"exact": "e", "ignore-case": "I", "process-group": "g", "younger-than": "y",
         "older-than": "o", "interactive": "i", "list": "l", "quiet": "q", "regexp": "r",
         "signal": "s", "user": "u", "verbose": "v", "version": "V", "wait": "w",
         "ns": "n", "context": "Z", "help": "h"}


def list_signals() -> str:
    """signals.c list_signals(): the names, a line broken before it would pass 80."""
    lines, col, line = [], 0, ""
    for name in SIGNAMES:
        if col + len(name) + 1 > 80:
            lines.append(line)
            col, line = 0, ""
        line += (" " if col else "") + name
        col += len(name) + 1
    return "\n".join(lines + [line]) + "\n"


def get_signal(spec: str) -> int:
    """signals.c get_signal(): a number, or a name with or without SIG."""
    if spec.isdigit():
        return int(spec)
    name = spec[3:] if spec.startswith("SIG") else spec
    if name in SIGNAMES:
        return SIGNAMES.index(name) + 1
    raise CommandError(f"{spec}: unknown signal; killall -l lists signals.\n", 1)


def _usage() -> CommandError:
    from ipemu.profiles import usage_file
    return CommandError(usage_file("killall_usage").read_text(encoding="utf-8"), 1)


def _parse(argv: list[str]) -> tuple[dict[str, str], int, list[str]]:
    """main()'s getopt loop: options, the signal (-SIG or -s SIG), the names."""
    opts: dict[str, str] = {}
    signum = 15
    args = list(argv)
    names: list[str] = []
    while args:
        arg = args.pop(0)
        if arg == "--":
            names.extend(args)
            break
        if arg.startswith("--"):
            key, eq, value = arg[2:].partition("=")
            found = [k for k in LONGS if k.startswith(key)]
            if key in LONGS:
                found = [key]
            if len(found) != 1:
                raise _usage()
            letter = LONGS[found[0]]
            if letter in WITH_ARG and not eq:
                if not args:
                    raise _usage()
                value = args.pop(0)
            opts[letter] = value
            continue
        if not arg.startswith("-") or arg == "-":
            names.append(arg)
            continue
        body = arg[1:]
        if body[0].isdigit() or (body[0].isupper() and body[0] != "Z" and
                                 body not in ("I", "V")):
            # `case '?'` (and -I, -V longer than themselves): capitals or digits are a
            # signal (`-INT`, `-VTALRM`, `-9`)
            signum = get_signal(body)
            continue
        i = 0
        while i < len(body):
            letter = body[i]
            if letter in WITH_ARG:
                value = body[i + 1:] or (args.pop(0) if args else None)
                if value is None:
                    raise _usage()
                opts[letter] = value
                break
            if letter not in FLAGS:
                raise _usage()
            opts[letter] = ""
            i += 1
    if "s" in opts:
        signum = get_signal(opts["s"])
    return opts, signum, names


def _matches(task: Task, name: str, opts: dict[str, str]) -> bool:
    """kill_all()'s tests: the comm (its first 15 characters for a longer name unless
    -e), the program's path for a name with a slash, an ERE with -r."""
    from ipemu.tools.userland import PATHS
    program = task.cmdline[0] if task.cmdline else task.comm
    base = program.rsplit("/", 1)[-1]
    flags = re.IGNORECASE if "I" in opts else 0
    if "r" in opts:
        return re.search(name, task.comm, flags) is not None
    if "/" in name:
        path = program if program.startswith("/") else PATHS.get(base, "")
        return path == name
    if len(name) > COMM_LEN and "e" not in opts:
        return task.comm.lower() == name[:COMM_LEN].lower() if flags \
            else task.comm == name[:COMM_LEN]
    target = base if len(name) > COMM_LEN else task.comm
    return target.lower() == name.lower() if flags else target == name


def main(ctx: ToolContext, argv: list[str]) -> int:
    opts, signum, names = _parse(argv[1:])
    if "h" in opts:
        raise _usage()
    if "V" in opts:
        raise CommandError(VERSION, 0)
    if "l" in opts:
        ctx.term.out(list_signals())
        return 0
    if not names:
        raise _usage()
    if "r" in opts:
        for name in names:
            try:
                re.compile(name)
            except re.error:
                # regcomp() refused it (REG_EXTENDED)
                raise CommandError(f"killall: Bad regular expression: {name}\n", 1) from None
    if "u" in opts and opts["u"] not in _users(ctx):
        raise CommandError(f"Cannot find user {opts['u']}\n", 1)
    found = [False] * len(names)
    errors = []
    for task in tasks(ctx):
        if task.proc is None:
            continue        # the login shells: bash is not what a script's killall names
        for i, name in enumerate(names):
            if not _matches(task, name, opts):
                continue
            if not 0 <= signum <= 64:
                errors.append(f"{task.comm}({task.pid}): Invalid argument\n")
                break
            if signum:
                task.proc.cont()
                task.proc.signal(signum)
            found[i] = True
            if "v" in opts:
                errors.append(f"Killed {task.comm}({task.pid}) with signal {signum}\n")
            break
    if "q" not in opts:
        errors += [f"{name}: no process found\n" for name, ok in zip(names, found) if not ok]
    if errors:
        ctx.term.err("".join(errors))
    return 0 if all(found) else 1


def _users(ctx: ToolContext) -> set[str]:
    return {line.split(":")[0] for line in ctx.profile["etc_passwd"].splitlines() if line}
