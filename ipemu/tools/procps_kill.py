"""procps-ng 4.0.2's kill (Debian 12's /usr/bin/kill): the program that `/bin/kill`,
`env kill`, `xargs kill`, `sudo kill`, `timeout ... kill` and `ip netns exec NS kill`
run, where a shell's own `kill` is bash's builtin (ipemu/tools/jobs.py). Its messages
are error(3)'s, `kill: (PID): No such process`, named by argv[0] (`/bin/kill: ...` when
run by that path: programs.Argv0Sink); its options are getopt_long()'s over
"l::Ls:hVq:" after skill_sig_option() took a leading `-SIGNAL` (procps kill.c main(),
lib/signals.c)."""
from __future__ import annotations

import errno
import os

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.jobs import deliver, lookup_pid

# lib/signals.c's sigtable by number (signal_number_to_name()): 29 is POLL
NAMES = ("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT "
         "CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS").split()
SIGRTMIN = 34

USAGE = """
Usage:
 kill [options] <pid> [...]

Options:
 <pid> [...]            send signal to every <pid> listed
 -<signal>, -s, --signal <signal>
                        specify the <signal> to be sent
 -q, --queue <value>    integer value to be sent with the signal
 -l, --list=[<signal>]  list all signal names, or convert one to a name
 -L, --table            list all signal names in a nice table

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see kill(1).
"""
VERSION = "kill from procps-ng 4.0.2\n"
LONGOPTS = {"list": "l", "table": "L", "signal": "s", "queue": "q", "help": "h",
            "version": "V"}
WITH_ARG = {"s", "q"}


def signal_name_to_number(name: str) -> int:
    """lib/signals.c signal_name_to_number(): SIG-less names in any case, the aliases
    CLD, IO, IOT, RTMIN, EXIT and NULL, RTMIN+N, else a number; -1 when not valid."""
    if name[:3].upper() == "SIG":
        name = name[3:]
    upper = name.upper()
    aliases = {"CLD": 17, "IO": 29, "IOT": 6}
    if upper in aliases:
        return aliases[upper]
    if upper in NAMES:
        return NAMES.index(upper) + 1
    if upper == "RTMIN":
        return SIGRTMIN
    if upper in ("EXIT", "NULL"):
        return 0
    offset = 0
    if upper.startswith("RTMIN+"):
        name, offset = name[6:], SIGRTMIN
    value = _strtol(name)
    if value is None or value + SIGRTMIN > 127:
        return -1
    return value + offset


def _strtol(text: str) -> int | None:
    """strtol(text, &end, 10) that must take the whole text (leading blanks, a sign)."""
    body = text.lstrip(" \t\n\v\f\r")
    digits = body[1:] if body[:1] in "+-" else body
    if not body or not digits.isdigit() or not digits.isascii():
        return None
    return int(body)


def strtosig(text: str) -> str | None:
    """lib/signals.c strtosig(): a number gives its name, a name (SIG optional, any
    case) its number; None for anything else (`-l 0`, `-l 99`)."""
    upper = text.upper()
    p = upper[3:] if upper.startswith("SIG") else upper
    if p[:1].isdigit():
        number = _strtol(text)
        if number is None:
            return None
        if number:
            return NAMES[number - 1] if 1 <= number <= len(NAMES) else None
    return str(NAMES.index(p) + 1) if p in NAMES else None


def unix_print_signals() -> str:
    """unix_print_signals(): the names a space apart, a new line once past column 73."""
    out, pos = [], 0
    for i, name in enumerate(NAMES):
        if i:
            if pos > 73:
                out.append("\n")
                pos = 0
            else:
                out.append(" ")
                pos += 1
        out.append(name)
        pos += len(name)
    return "".join(out) + "\n"


def pretty_print_signals() -> str:
    """pretty_print_signals(): `%2d %s` padded to 11 columns, seven a line."""
    out = []
    for i, name in enumerate(NAMES, 1):
        cell = f"{i:2d} {name}"
        out.append(cell + (" " * (11 - len(cell)) if i % 7 else "\n"))
    if len(NAMES) % 7:
        out.append("\n")
    return "".join(out)


def _usage(ctx: ToolContext, to_stdout: bool = False) -> int:
    if to_stdout:
        ctx.term.out(USAGE)
        return 0
    raise CommandError(USAGE, 1)


def main(ctx: ToolContext, argv: list[str]) -> int:
    prog = "kill"
    args = list(argv[1:])
    if not args:
        return _usage(ctx)
    signo = 15
    # skill_sig_option(): the first `-SIGNAL` argument (a name or number) is taken out
    for n, arg in enumerate(args):
        if arg.startswith("-") and len(arg) > 1:
            number = signal_name_to_number(arg[1:])
            if number >= 0:
                signo = number
                del args[n]
                break
    pids: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            pids.extend(args[i + 1:])
            break
        if arg.startswith("--") and len(arg) > 2:
            name, eq, value = arg[2:].partition("=")
            found = [long for long in LONGOPTS if long.startswith(name)]
            if name in LONGOPTS:
                found = [name]
            if len(found) != 1:
                # getopt_long()'s '?' for a long option leaves optopt 0: `%c` of it
                ctx.term.err(f"{prog}: invalid argument \0\n")
                return _usage(ctx)
            letter = LONGOPTS[found[0]]
            if letter in WITH_ARG and not eq:
                if i + 1 >= len(args):
                    ctx.term.err(f"{prog}: invalid argument {letter}\n")
                    return _usage(ctx)
                i += 1
                value = args[i]
            status = _option(ctx, prog, letter, value if (eq or letter in WITH_ARG) else None,
                             args, i)
            if isinstance(status, int):
                return status
            signo = status[0] if status[0] is not None else signo
            i += 1
            continue
        if not arg.startswith("-") or arg == "-":
            pids.append(arg)      # getopt's permutation: options may come after
            i += 1
            continue
        j = 1
        while j < len(arg):
            letter = arg[j]
            if letter not in "lLshVq":
                if letter.isdigit():
                    # "Special case for signal digit negative PIDs": a kill of that
                    # process group and the exit, saying nothing (recorded: `/bin/kill
                    # -99999`, no such group, exits 0)
                    _kill(ctx, prog, _atoi(arg), signo, quiet=True)
                    return 0
                ctx.term.err(f"{prog}: invalid argument {letter}\n")
                return _usage(ctx)
            value = None
            if letter in WITH_ARG:
                if j + 1 < len(arg):
                    value = arg[j + 1:]
                elif i + 1 < len(args):
                    i += 1
                    value = args[i]
                else:
                    ctx.term.err(f"{prog}: invalid argument {letter}\n")
                    return _usage(ctx)
                j = len(arg)
            elif letter == "l":
                value = arg[j + 1:] or None     # `l::`: only an attached argument
                j = len(arg)
            else:
                j += 1
            status = _option(ctx, prog, letter, value, args, i)
            if isinstance(status, int):
                return status
            signo = status[0] if status[0] is not None else signo
        i += 1
    if not pids:
        return _usage(ctx)
    status = 0
    for spec in pids:
        pid = _strtol(spec)
        if pid is None:
            # strtol_or_err(): errx(EXIT_FAILURE), the pids before already signalled
            raise CommandError(f"{prog}: failed to parse argument: '{spec}'\n", 1)
        if not _kill(ctx, prog, pid, signo):
            status = 1
    return status


def _atoi(text: str) -> int:
    body = text.lstrip(" \t\n\v\f\r")
    sign, digits = (-1, body[1:]) if body[:1] == "-" else (1, body.lstrip("+"))
    n = 0
    for c in digits:
        if not c.isdigit():
            break
        n = n * 10 + int(c)
    return sign * n


def _option(ctx: ToolContext, prog: str, letter: str, value: str | None, args: list[str],
            i: int):
    """One option: an exit status, or (new signal or None,)."""
    if letter == "l":
        if value is None and i + 1 < len(args) and not args[i + 1].startswith("-"):
            value = args[i + 1]
        if value is None:
            ctx.term.out(unix_print_signals())
            return 0
        found = strtosig(value)
        if found is None:
            ctx.term.err(f"{prog}: unknown signal name {value}\n")
        else:
            ctx.term.out(found + "\n")
        return 0
    if letter == "L":
        ctx.term.out(pretty_print_signals())
        return 0
    if letter == "h":
        return _usage(ctx, to_stdout=True)
    if letter == "V":
        ctx.term.out(VERSION)
        return 0
    if letter == "s":
        return (signal_name_to_number(value),)
    if letter == "q":
        if _strtol(value) is None:
            raise CommandError(f"{prog}: must be an integer value to be passed with the "
                               f"signal.: '{value}'\n", 1)
        return (None,)
    return (None,)


def _kill(ctx: ToolContext, prog: str, pid: int, signo: int, quiet: bool = False) -> bool:
    """kill(2): the process is looked up first (ESRCH), then the signal checked
    (EINVAL: valid_signal() in check_kill_permission()); error(0, errno, "(%ld)")."""
    proc = lookup_pid(ctx, pid) if pid > 0 else None
    if proc is None or proc.done:
        code = errno.ESRCH
    elif not 0 <= signo <= 64:
        code = errno.EINVAL
    else:
        # another process's kill(2): the target is gone by the time this program has
        # exited and the shell goes on (bash's builtin lets the shell run first)
        deliver(ctx, proc, signo, at_once=True)
        return True
    if not quiet:
        ctx.term.err(f"{prog}: ({pid}): {os.strerror(code)}\n")
    return False
