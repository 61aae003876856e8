"""procps-ng 4.0.2's /usr/bin/kill (src/kill.c, lib/signals.c, lib/strutils.c): what
runs for `kill` when it is a program, not bash's builtin: by a path (`/bin/kill`),
under `sudo`, `env`, `xargs`, `timeout`, `nohup`, `exec`, `ip netns exec` (execvp()
finds /usr/bin/kill). Its own option parser (skill_sig_option() then getopt_long()
with opterr 0), its own signal names, and its messages through error()/warnx(), named
by the program as it was run (`kill: (1234): No such process`, `/bin/kill: ...`).

Recorded on the machine (Debian 12, procps 2:4.0.2-3, in a pid namespace of its own):
tests/test_procps_kill.py holds the texts."""
from __future__ import annotations

import errno
import os

from ipemu.tools.context import ToolContext

VERSION = "kill from procps-ng 4.0.2\n"
SIGRTMIN = 34           # glibc's __libc_current_sigrtmin(): two RT signals for NPTL
_NSIG = 64              # valid_signal(): 1.._NSIG (0 only tests the target)

# lib/signals.c's sigtable[] (Linux x86): by name, as bsearch() reads it
SIGTABLE = {
    "ABRT": 6, "ALRM": 14, "BUS": 7, "CHLD": 17, "CONT": 18, "FPE": 8, "HUP": 1, "ILL": 4,
    "INT": 2, "KILL": 9, "PIPE": 13, "POLL": 29, "PROF": 27, "PWR": 30, "QUIT": 3,
    "SEGV": 11, "STKFLT": 16, "STOP": 19, "SYS": 31, "TERM": 15, "TRAP": 5, "TSTP": 20,
    "TTIN": 21, "TTOU": 22, "URG": 23, "USR1": 10, "USR2": 12, "VTALRM": 26, "WINCH": 28,
    "XCPU": 24, "XFSZ": 25}
NAMES = {num: name for name, num in SIGTABLE.items()}

USAGE = ("\nUsage:\n"
         " kill [options] <pid> [...]\n"
         "\nOptions:\n"
         " <pid> [...]            send signal to every <pid> listed\n"
         " -<signal>, -s, --signal <signal>\n"
         "                        specify the <signal> to be sent\n"
         " -q, --queue <value>    integer value to be sent with the signal\n"
         " -l, --list=[<signal>]  list all signal names, or convert one to a name\n"
         " -L, --table            list all signal names in a nice table\n"
         "\n"
         " -h, --help     display this help and exit\n"
         " -V, --version  output version information and exit\n"
         "\nFor more details see kill(1).\n")

# getopt_long()'s table: name -> (letter, has_arg: 0 no, 1 required, 2 optional)
_LONGS = {"list": ("l", 2), "table": ("L", 0), "signal": ("s", 1), "help": ("h", 0),
          "version": ("V", 0), "queue": ("q", 1)}
_SHORTS = {"l": 2, "L": 0, "s": 1, "h": 0, "V": 0, "q": 1}


class _Exit(Exception):
    def __init__(self, status: int):
        self.status = status


def _strtol(text: str) -> tuple[int | None, str]:
    """strtol(text, &end, 10): the value and what follows it (None: no digits).
    Leading blanks and one sign are taken, as the C library does."""
    s = text.lstrip(" \t\n\v\f\r")
    sign = 1
    body = s
    if body[:1] in "+-" and body[:1]:
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    digits = len(body) - len(body.lstrip("0123456789"))
    if not digits:
        return None, text
    return sign * int(body[:digits]), body[digits:]


def signal_name_to_number(name: str) -> int:
    """lib/signals.c (4.0.2): SIG prefix, CLD/IO/IOT, the table, RTMIN, EXIT and NULL
    (0), RTMIN+N, else a number; -1 when none, or when N+SIGRTMIN is over 127."""
    if name[:3].upper() == "SIG":
        name = name[3:]
    upper = name.upper()
    special = {"CLD": 17, "IO": 29, "IOT": 6}
    if upper in special:
        return special[upper]
    if upper in SIGTABLE:
        return SIGTABLE[upper]
    if upper == "RTMIN":
        return SIGRTMIN
    if upper in ("EXIT", "NULL"):
        return 0
    offset = 0
    if upper.startswith("RTMIN+"):
        name, offset = name[6:], SIGRTMIN
    value, rest = _strtol(name)
    if value is None or rest:
        return -1
    if value + SIGRTMIN > 127:
        return -1
    return value + offset


def strtosig(text: str) -> str | None:
    """lib/signals.c strtosig() (4.0.2): a number to its name, a name to its number,
    only through the table (no RTMIN, no 0)."""
    p = text.upper()
    if p.startswith("SIG"):
        p = p[3:]
    number = 0
    if p[:1].isdigit():
        value, rest = _strtol(text)
        if value is None or rest:
            return None
        number = value
    if number:
        return NAMES.get(number)
    return str(SIGTABLE[p]) if p in SIGTABLE else None


def unix_print_signals() -> str:
    """The names 1..31 a blank apart, a new line once a line passes 73 columns."""
    out, pos = [], 0
    for i in range(1, 32):
        if i > 1:
            if pos > 73:
                out.append("\n")
                pos = 0
            else:
                out.append(" ")
                pos += 1
        out.append(NAMES[i])
        pos += len(NAMES[i])
    return "".join(out) + "\n"


def pretty_print_signals() -> str:
    """`%2d %s` each, padded to 11 columns, seven to a line."""
    out = []
    for i in range(1, 32):
        cell = f"{i:2d} {NAMES[i]}"
        out.append(cell + " " * max(0, 11 - len(cell)) if i % 7 else cell + "\n")
    if 31 % 7:
        out.append("\n")
    return "".join(out)


def main(ctx: ToolContext, argv: list[str]) -> int:
    try:
        return _main(ctx, argv)
    except _Exit as done:
        return done.status


def _main(ctx: ToolContext, argv: list[str]) -> int:
    prog = argv[0]          # program_invocation_name: the Argv0Sink names a path
    args = list(argv[1:])

    def usage(to_stderr: bool):
        if to_stderr:
            ctx.term.err(USAGE)
            raise _Exit(1)
        ctx.term.out(USAGE)
        raise _Exit(0)

    def warn(text: str) -> None:
        ctx.term.err(f"{prog}: {text}\n")

    if not args:
        usage(True)
    # skill_sig_option(): the first word `-SIG` that names a signal is it, taken out
    signo = -1
    for i, word in enumerate(args):
        if word.startswith("-"):
            signo = signal_name_to_number(word[1:])
            if signo > -1:
                del args[i]
                break
    if signo < 0:
        signo = 15
    queue = None
    operands: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if word == "--":
            operands += args[i:]
            break
        if not word.startswith("-") or word == "-":
            operands.append(word)       # getopt_long() permutes operands to the end
            continue
        if word.startswith("--"):
            name, eq, value = word[2:].partition("=")
            found = [n for n in _LONGS if n == name] or \
                [n for n in _LONGS if n.startswith(name)]
            if len(found) != 1:
                letter, optarg = "\0", None       # unknown or ambiguous: optopt 0
                _unknown(ctx, prog, letter, signo, queue, usage)
            letter, has_arg = _LONGS[found[0]]
            optarg = None
            if has_arg == 0 and eq:
                _unknown(ctx, prog, letter, signo, queue, usage)
            if has_arg == 1:
                if eq:
                    optarg = value
                elif i < len(args):
                    optarg = args[i]
                    i += 1
                else:
                    _unknown(ctx, prog, letter, signo, queue, usage)
            elif has_arg == 2 and eq:
                optarg = value
            signo, queue = _option(ctx, prog, letter, optarg, args, i, signo, queue, usage)
            continue
        j = 1
        while j < len(word):
            letter = word[j]
            j += 1
            has_arg = _SHORTS.get(letter)
            if has_arg is None:
                _unknown(ctx, prog, letter, signo, queue, usage)
            optarg = None
            if has_arg == 1:
                if j < len(word):
                    optarg = word[j:]
                elif i < len(args):
                    optarg = args[i]
                    i += 1
                else:
                    _unknown(ctx, prog, letter, signo, queue, usage)
                j = len(word)
            elif has_arg == 2:
                if j < len(word):
                    optarg = word[j:]
                j = len(word)
            signo, queue = _option(ctx, prog, letter, optarg, args, i, signo, queue, usage)
    if not operands:
        usage(True)
    status = 0
    for word in operands:
        pid = _strtol_or_err(ctx, prog, word, "failed to parse argument")
        err = _kill(ctx, pid, signo)
        if err:
            warn(f"({pid}): {os.strerror(err)}")
            status = 1
    return status


def _option(ctx, prog, letter, optarg, args, i, signo, queue, usage):
    if letter == "l":
        sig = optarg
        if sig is None and i < len(args) and not args[i].startswith("-"):
            sig = args[i]       # argv[optind]: the word after `-l`
        if sig is None:
            ctx.term.out(unix_print_signals())
        else:
            found = strtosig(sig)
            if found is not None:
                ctx.term.out(found + "\n")
            else:
                ctx.term.err(f"{prog}: unknown signal name {sig}\n")
        raise _Exit(0)
    if letter == "L":
        ctx.term.out(pretty_print_signals())
        raise _Exit(0)
    if letter == "s":
        return signal_name_to_number(optarg), queue
    if letter == "h":
        usage(False)
    if letter == "V":
        ctx.term.out(VERSION)
        raise _Exit(0)
    if letter == "q":
        return signo, _strtol_or_err(ctx, prog, optarg,
                                     "must be an integer value to be passed with the signal.")
    return signo, queue


def _unknown(ctx, prog, letter, signo, queue, usage):
    """getopt_long()'s '?' (opterr 0): a digit is kill.c's "signal digit negative
    PIDs" case, kill(-DIGIT) and exit (1 when it worked: the test is inverted in
    4.0.2); anything else is warned of, then the usage on stderr."""
    if letter.isdigit():
        err = _kill(ctx, -int(letter), signo)
        raise _Exit(0 if err else 1)
    ctx.term.err(f"{prog}: invalid argument {letter}\n")
    usage(True)


def _strtol_or_err(ctx, prog: str, text: str, message: str) -> int:
    """lib/strutils.c strtol_or_err(): a whole number or error(EXIT_FAILURE, errno, ...)
    (errno ERANGE past a long; for an empty word the errno left from the program's
    start, ENOENT: recorded)."""
    value, rest = _strtol(text) if text else (None, "")
    if value is not None and not rest:
        if -2 ** 63 <= value < 2 ** 63:
            return value
        ctx.term.err(f"{prog}: {message}: '{text}': {os.strerror(errno.ERANGE)}\n")
        raise _Exit(1)
    suffix = f": {os.strerror(errno.ENOENT)}" if not text else ""
    ctx.term.err(f"{prog}: {message}: '{text}'{suffix}\n")
    raise _Exit(1)


def _kill(ctx: ToolContext, pid: int, signo: int) -> int:
    """kill(2): 0, or the errno. A process group (pid 0 or under) is none of the
    machine's (ESRCH); a missing process ESRCH, before the signal is checked
    (check_kill_permission()'s valid_signal() needs the task)."""
    from ipemu.tools.jobs import process_of, signal_process
    pid = ((pid + 2 ** 31) % 2 ** 32) - 2 ** 31       # (pid_t) pid
    if pid <= 0:
        return errno.ESRCH
    proc = process_of(ctx, pid)
    if proc is None:
        return errno.ESRCH
    if not 0 <= signo <= _NSIG:
        return errno.EINVAL
    if signo and proc is not True:
        signal_process(ctx, proc, signo, at_once=True)
    return 0
