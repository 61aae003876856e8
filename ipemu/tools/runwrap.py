"""The small programs a script puts around another or calls for their effect:
coreutils 9.1's `yes`, `nice` and `sync`, util-linux 2.38's `setsid`, `flock` and
`logger` (Debian 12's), as `nice -n 10 ping ...`, `setsid cmd &`, `flock /tmp/lock
-c cmd`, `logger msg` and `yes | head -n 3` use them.

Followed: coreutils src/yes.c, src/nice.c, src/sync.c; util-linux sys-utils/setsid.c,
sys-utils/flock.c, misc-utils/logger.c."""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext

# `yes` with no reader that stops it: the lines a person lets run before Ctrl-C
# (ipemu has no screen to fill forever; seq inf stops the same way)
YES_LIMIT = 100_000
NZERO = 20              # nice.c: niceness runs from -NZERO to NZERO - 1


def _try(tool: str) -> str:
    return f"Try '{tool} --help' for more information.\n"


def main(ctx: ToolContext, argv: list[str]):
    return COMMANDS[argv[0].rsplit("/", 1)[-1]](ctx, argv)


# ---------------------------------------------------------------------- yes
def yes(ctx: ToolContext, argv: list[str]) -> int:
    """yes.c main(): the operands joined by spaces (`y` without), line after line;
    `--` ends options, a `-x` before it is an invalid option."""
    args = argv[1:]
    if args and args[0] in ("--help", "--version"):
        return _gnu_info(ctx, "yes", args[0])
    # getopt_long() permutes: an option anywhere before the first `--` is one, and
    # that `--` is dropped
    words, ended = [], False
    for arg in args:
        if arg == "--" and not ended:
            ended = True
        elif not ended and arg.startswith("--") and len(arg) > 2:
            raise CommandError(f"yes: unrecognized option '{arg}'\n" + _try("yes"), 1)
        elif not ended and arg.startswith("-") and len(arg) > 1:
            raise CommandError(f"yes: invalid option -- '{arg[1]}'\n" + _try("yes"), 1)
        else:
            words.append(arg)
    line = (" ".join(words) if words else "y") + "\n"
    ctx.term.out(line * YES_LIMIT)
    return 0


def _gnu_info(ctx: ToolContext, tool: str, flag: str) -> int:
    return gnu_info(ctx, tool, flag)


def gnu_info(ctx: ToolContext, tool: str, flag: str) -> int:
    """--help and --version: the texts the recording machine's tool prints
    (tools/usage/TOOL_help.txt, TOOL_version.txt)."""
    from ipemu.profiles import usage_file
    kind = "version" if flag in ("--version", "-V") else "help"
    ctx.term.out(usage_file(f"{tool}_{kind}").read_text(encoding="utf-8"))
    return 0


# --------------------------------------------------------------------- nice
def nice(ctx: ToolContext, argv: list[str]):
    """nice.c main(): `-N`, `-n N`, `--adjustment=N` add to the niceness (held to
    -20..19); no command prints the niceness it would run with."""
    args = argv[1:]
    adjust: str | None = None
    while args:
        arg = args[0]
        if re.fullmatch(r"(?a)-[-+]?\d+", arg):
            # the old `-N` (`--N` is -N) form, as nice.c's main() still takes it
            adjust, args = arg[1:], args[1:]
        elif arg in ("-n", "--adjustment", "--adj", "--adjust") or \
                arg.startswith("--adjustment="):
            if "=" in arg:
                adjust, args = arg.split("=", 1)[1], args[1:]
            elif len(args) < 2:
                raise CommandError("nice: option requires an argument -- 'n'\n"
                                   + _try("nice"), 125)
            else:
                adjust, args = args[1], args[2:]
        elif arg.startswith("-n") and len(arg) > 2:
            adjust, args = arg[2:], args[1:]
        elif arg == "--":
            args = args[1:]
            break
        elif arg in ("--help", "--version"):
            return _gnu_info(ctx, "nice", arg)
        elif arg.startswith("-") and len(arg) > 1:
            if arg.startswith("--"):
                raise CommandError(f"nice: unrecognized option '{arg}'\n" + _try("nice"), 125)
            raise CommandError(f"nice: invalid option -- '{arg[1]}'\n" + _try("nice"), 125)
        else:
            break
    current = getattr(ctx.session, "niceness", 0)
    step = 10
    if adjust is not None:
        if not re.fullmatch(r"(?a)\s*[-+]?\d+", adjust):
            raise CommandError(f"nice: invalid adjustment ‘{adjust}’\n", 125)
        step = int(adjust)
    if not args:
        if adjust is not None:
            raise CommandError("nice: a command must be given with an adjustment\n"
                               + _try("nice"), 125)
        ctx.term.out(f"{current}\n")
        return 0
    niceness = max(-NZERO, min(NZERO - 1, current + step))
    ctx.session.niceness = niceness
    try:
        return ctx.session.dispatch(
            args, ctx.term, netns=ctx.netns, stdin=ctx.stdin,
            not_found=("nice: ‘{name}’: No such file or directory\n", 127))
    finally:
        ctx.session.niceness = current


# ------------------------------------------------------------------- setsid
def setsid(ctx: ToolContext, argv: list[str]):
    """setsid.c main(): -c, -f, -w; the program runs in a session of its own (the
    recorder's `bash -c` children lead no group, so setsid execs it: same status)."""
    args = argv[1:]
    fork = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        if arg in ("--ctty", "--wait", "--fork"):
            fork = fork or arg == "--fork"
            continue
        if arg == "--version":
            ctx.term.out("setsid from util-linux 2.38.1\n")
            return 0
        if arg in ("--help", "-h"):
            return gnu_info(ctx, "setsid", "--help")
        for letter in arg[1:]:
            if letter == "V":
                ctx.term.out("setsid from util-linux 2.38.1\n")
                return 0
            if letter not in "cfw":
                raise CommandError(f"setsid: invalid option -- '{letter}'\n"
                                   + _try("setsid"), 1)
            fork = fork or letter == "f"
    if not args:
        raise CommandError("setsid: no command specified\n" + _try("setsid"), 1)
    result = ctx.session.dispatch(
        args, ctx.term, netns=ctx.netns, stdin=ctx.stdin,
        not_found=("setsid: failed to execute {name}: No such file or directory\n", 127))
    return 0 if fork else result


# --------------------------------------------------------------------- sync
def sync(ctx: ToolContext, argv: list[str]) -> int:
    """sync.c: no operand syncs everything; each operand is opened first
    (`error opening 'X'`)."""
    from ipemu.tools.textio import read_input
    status = 0
    ended = False
    for name in argv[1:]:
        if name in ("--help", "--version") and not ended:
            return _gnu_info(ctx, "sync", name)
        if name == "--" and not ended:
            ended = True
            continue
        if name.startswith("-") and len(name) > 1 and not ended:
            if name.startswith("--") and name not in ("--data", "--file-system"):
                raise CommandError(f"sync: unrecognized option '{name}'\n" + _try("sync"), 1)
            if not name.startswith("--") and set(name[1:]) - set("df"):
                bad = next(c for c in name[1:] if c not in "df")
                raise CommandError(f"sync: invalid option -- '{bad}'\n" + _try("sync"), 1)
            continue
        try:
            read_input(ctx, name)
        except IsADirectoryError:
            pass
        except OSError as err:
            ctx.term.err(f"sync: error opening '{name}': {err.strerror}\n")
            status = 1
    return status


# ------------------------------------------------------------------- logger
def logger(ctx: ToolContext, argv: list[str]) -> int:
    """logger.c: the message goes to /dev/log, which the recording machine has not
    (no syslog daemon): silent, unless -s (--stderr) makes it say so and fail."""
    args = argv[1:]
    if any(a in ("-h", "--help") for a in args):
        return gnu_info(ctx, "logger", "--help")
    if any(a in ("-V", "--version") for a in args):
        ctx.term.out("logger from util-linux 2.38.1\n")
        return 0
    if any(a == "--stderr" or (a.startswith("-") and not a.startswith("--")
                                and "s" in a[1:] and a[1:].isalpha()) for a in args):
        raise CommandError("logger: socket /dev/log: No such file or directory\n", 1)
    return 0


# -------------------------------------------------------------------- flock
def flock(ctx: ToolContext, argv: list[str]):
    """flock.c main(): `flock FILE -c CMD` (sh -c), `flock FILE CMD ARGS...`; the
    lock file is created; nobody else holds a lock here, so -n and -w always get it."""
    args = argv[1:]
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        if arg in ("--shared", "--exclusive", "--unlock", "--nonblock", "--nb",
                   "--close", "--no-fork", "--verbose"):
            continue
        if arg in ("--timeout", "--wait", "--conflict-exit-code", "-w", "-E"):
            if not args:
                message = f"option '{arg}' requires an argument" if arg.startswith("--") \
                    else f"option requires an argument -- '{arg[1]}'"
                raise CommandError(f"flock: {message}\n" + _try("flock"), 64)
            args.pop(0)
            continue
        if arg == "--version" or arg == "-V":
            ctx.term.out("flock from util-linux 2.38.1\n")
            return 0
        if arg in ("--help", "-h"):
            return gnu_info(ctx, "flock", "--help")
        if arg == "-c":
            # -c is no option of flock.c's getopt: only after the file
            raise CommandError("flock: invalid option -- 'c'\n" + _try("flock"), 64)
        for letter in arg[1:]:
            if letter not in "sxunoFew":
                raise CommandError(f"flock: invalid option -- '{letter}'\n"
                                   + _try("flock"), 64)
    command = None
    if len(args) >= 2 and args[1] in ("-c", "--command"):
        if len(args) != 3:
            raise CommandError("flock: -c requires exactly one command argument\n", 64)
        command = ["sh", "-c", args[2]]
    elif len(args) >= 2:
        command = args[1:]
    if not args:
        raise CommandError("flock: not enough arguments\n" + _try("flock"), 64)
    if command is None:
        # `flock N`: N is a descriptor number, which a file name is not
        if not args[0].isdigit():
            raise CommandError(f"flock: bad file descriptor: '{args[0]}'\n", 64)
        return 0
    _open_lock(ctx, args[0])
    return ctx.session.dispatch(
        command, ctx.term, netns=ctx.netns, stdin=ctx.stdin,
        not_found=("flock: failed to execute {name}: No such file or directory\n", 127))


def _open_lock(ctx: ToolContext, name: str) -> None:
    """open_file(): O_RDONLY|O_CREAT (a directory is opened read-only)."""
    fs = ctx.session.fs
    path = fs.resolve(name, ctx.session.cwd)
    if fs.exists(path):
        return
    try:
        fs.write(path, b"")
    except OSError as err:
        raise CommandError(f"flock: cannot open lock file {name}: {err.strerror}\n",
                           66) from None


COMMANDS = {"yes": yes, "nice": nice, "setsid": setsid, "sync": sync, "logger": logger,
            "flock": flock}
