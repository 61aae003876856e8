"""Programs the shell starts itself rather than through the session's tools: `sudo`
(root's sudo runs the command as it is), and a command named by a path (`/sbin/ip`,
`./setup.sh`), as execve() finds it (execute_cmd.c's search_for_command)."""
from __future__ import annotations

import errno
import re

from ipemu.plainclass import dataclass, replace
from ipemu.tools.context import RedirectTerminal, Terminal

# Debian 12 merged /usr: /bin and /sbin are links into /usr
USR_MERGED = {"/bin/": "/usr/bin/", "/sbin/": "/usr/sbin/"}
# sudo options that take no argument / one argument (sudo.c's long and short options)
SUDO_FLAGS = set("AbEHiknPSsV")
SUDO_WITH_ARG = set("ugCDhprTUt")
SUDO_USAGE = ("usage: sudo -h | -K | -k | -V\n"
              "usage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\n"
              "usage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user] [-u user]\n"
              "            [command [arg ...]]\n"
              "usage: sudo [-ABbEHkNnPS] [-r role] [-t type] [-C num] [-D directory] [-g\n"
              "            group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user]\n"
              "            [VAR=value] [-i | -s] [command [arg ...]]\n"
              "usage: sudo -e [-ABkNnS] [-r role] [-t type] [-C num] [-D directory] [-g group]\n"
              "            [-h host] [-p prompt] [-R directory] [-T timeout] [-u user] file ...\n")


# programs whose messages begin with their argv[0] (coreutils' and findutils'
# program_name, sed's and grep's, glibc's error() in iputils): run by a path, they
# name the path (`/usr/bin/ping: connect: Network is unreachable`); mawk, procps'
# sysctl, net-tools and jq print their own short names
ARGV0_TOOLS = frozenset(
    "cat ls head tail wc sort cut tr mkdir rmdir rm mv cp ln uniq env seq basename dirname "
    "touch chmod chown tee date sleep printf timeout sed grep egrep fgrep xargs ping ping6 "
    "readlink realpath stat mktemp tac nl paste comm od expr id whoami groups uname nproc "
    "printenv find test [ kill".split())


@dataclass
class Argv0Sink:
    """The terminal of a program run by a path: its own name at the start of a
    message line becomes the path it was run by."""

    outer: Terminal
    name: str
    path: str

    def write(self, stream: str, text: str) -> bool:
        if stream == "stderr":
            text = re.sub(rf"(?m)^{re.escape(self.name)}: ", self.path.replace("\\", r"\\")
                          + ": ", text)
            text = text.replace(f"Try '{self.name} --help'", f"Try '{self.path} --help'")
        self.outer.write(stream, text)
        return True


def tool_for_path(path: str) -> str | None:
    """The tool a path to a program names (`/sbin/ip` -> `ip`), else None."""
    from ipemu.tools.userland import PATHS
    for short, full in USR_MERGED.items():
        if path.startswith(short):
            path = full + path[len(short):]
    for name, where in PATHS.items():
        if where == path:
            return name
    return "ip" if path == "/usr/bin/ip" else None


def shell_for_path(path: str) -> str | None:
    """`bash` or `sh` for a path that names one (/bin/sh, /usr/bin/bash), else None."""
    for short, full in USR_MERGED.items():
        if path.startswith(short):
            path = full + path[len(short):]
    return path[len("/usr/bin/"):] if path in ("/usr/bin/bash", "/usr/bin/sh", "/usr/bin/dash") \
        else None


def run_path(interp, argv: list[str], ctx):
    """A command named by a path: a known program, else a script file run by a new
    bash (bash's own fallback for a file without `#!` does the same), else bash's
    errors (127 for a missing file, 126 for a directory)."""
    path = argv[0]
    tool = tool_for_path(path)
    if tool is not None:
        if tool in ARGV0_TOOLS:
            ctx = replace(ctx, term=RedirectTerminal(sink=Argv0Sink(ctx.term, tool, path)))
        return (yield from interp.invoke([tool] + argv[1:], ctx, program=True))
    if shell_for_path(path) is not None:
        # /bin/sh (dash) and /bin/bash by path: their $0 and messages name the path
        # (`/bin/sh: 1: X: not found`, `/bin/bash: line 1: X: command not found`)
        return (yield from interp.child_shell(argv, ctx))
    session = interp.session
    if interp.is_dir(path):
        # dash's shellexec(): execve()'s EACCES as strerror() says it
        interp.error(ctx, f"{path}: " + ("Permission denied" if interp.state.dash
                                         else "Is a directory"))
        return 126
    try:
        text = session.open_text(path)
    except OSError as err:
        # dash's errmsg(E_EXEC): ENOENT and ENOTDIR are "not found"
        missing = err.errno in (errno.ENOENT, errno.ENOTDIR)
        interp.error(ctx, f"{path}: " + ("not found" if interp.state.dash and missing
                                         else err.strerror))
        return 127
    fs = session.fs
    if not fs.is_executable(fs.resolve(path, session.cwd)):
        # execve() without an execute bit: EACCES, shell_execve()'s 126
        interp.error(ctx, f"{path}: Permission denied")
        return 126
    shell = _interpreter(text, fs)
    if shell is None:
        # execve()'s ENOENT for a missing `#!` interpreter (`#!/bin/bah`): bash 5.2's
        # shell_execve() says the file itself cannot execute, status 127
        interp.error(ctx, f"{path}: cannot execute: required file not found")
        return 127
    if tool_for_path(shell[0]) == "env":
        return (yield from _env_script(interp, shell, [path] + argv[1:], ctx))
    if shell[0] != "bash" and shell_for_path(shell[0]) is None:
        # load_script(): another program of the box runs the file (`#!/bin/echo`),
        # given the optional argument and the path
        return (yield from run_path(interp, shell + [path] + argv[1:], ctx))
    return (yield from interp.child_shell(shell + [path] + argv[1:], ctx))


def _env_script(interp, shell: list[str], rest: list[str], ctx):
    """`#!/usr/bin/env NAME`: env execvp()s NAME with the script and its arguments
    (`-S` splits the line's one argument into words: `#!/usr/bin/env -S bash -e`);
    a NAME PATH does not hold is env's own error, 127."""
    import shlex
    words = shell[1:]
    if words and words[0].startswith("-S"):
        words = shlex.split(words[0][2:])
    if not words:
        return (yield from run_path(interp, shell + rest, ctx))
    name = words[0]
    from ipemu.bash.lookup import path_misses, user_program
    known = interp._box_program(name) and path_misses(interp, name) is None
    if "/" not in name and not known and user_program(interp, name) is None:
        ctx.term.err(f"{shell[0]}: ‘{name}’: No such file or directory\n")
        return 127
    if name in ("bash", "sh", "dash"):
        return (yield from interp.child_shell(words + rest, ctx))
    return (yield from interp.invoke(words + rest, ctx, program=True))


def _interpreter(text, fs=None) -> list[str] | None:
    """The shell a script's `#!` line names, with its one optional argument
    (fs/binfmt_script.c's load_script(): `#!/bin/sh -exu` runs `sh -exu FILE`, dash);
    None for an absolute interpreter path that names no program (`#!/bin/bah`);
    any other file runs in bash."""
    first = text.split("\n", 1)[0] if isinstance(text, str) else ""
    if first.startswith("#!"):
        words = first[2:].strip().split(None, 1)
        # load_script() passes the rest of the line, trimmed, as one argument; the
        # interpreter is run by its path (a shell's $BASH and messages name it)
        rest = [words[1].strip()] if len(words) > 1 else []
        if words and (shell_for_path(words[0]) is not None or
                      tool_for_path(words[0]) is not None):
            return [words[0]] + rest
        if words and _missing_program(words[0], fs):
            return None
    return ["bash"]


# interpreters a Debian 12 host has that ipemu does not run (their scripts run in bash)
OTHER_INTERPRETERS = frozenset("perl python3 python awk mawk env".split())


def _missing_program(path: str, fs) -> bool:
    """True for an absolute path that is neither one of ipemu's programs, nor a
    file of the host, nor one of the interpreters Debian installs."""
    if not path.startswith("/") or tool_for_path(path) is not None:
        return False
    if path.rsplit("/", 1)[-1] in OTHER_INTERPRETERS:
        return False
    return fs is not None and not fs.exists(path)


NOHUP_TRY = "Try 'nohup --help' for more information.\n"


def nohup(interp, argv: list[str], ctx):
    """coreutils 9.1 nohup: a terminal stdin becomes /dev/null, a terminal stdout is
    appended to nohup.out, a terminal stderr goes where stdout goes, each said on
    the terminal's stderr; then the program (execvp(): a missing one is `failed to run
    command`, 127, on the stderr nohup started with)."""
    from ipemu.bash.interp import Ctx, Dest, FdSink, Input
    session = interp.session
    args = argv[1:]
    if args and args[0] in ("--help", "--version"):
        ctx.term.out(session.profile.usage("nohup_help" if args[0] == "--help"
                                           else "nohup_version"))
        return 0
    if args and args[0] == "--":
        args = args[1:]
    elif args and args[0].startswith("-") and args[0] != "-":
        ctx.term.err(f"nohup: invalid option -- '{args[0][1:2]}'\n" + NOHUP_TRY)
        return 125
    if not args:
        ctx.term.err("nohup: missing operand\n" + NOHUP_TRY)
        return 125
    terminal = session.columns is not None
    ignoring_input = terminal and ctx.stdin is None
    redirecting_stdout = terminal and ctx.tty
    redirecting_stderr = terminal and ctx.err_tty
    fds = {1: Dest("term", "stdout"), 2: Dest("term", "stderr")}
    if ignoring_input and not redirecting_stdout and not redirecting_stderr:
        ctx.term.err("nohup: ignoring input\n")
    if redirecting_stdout:
        path = session._path("nohup.out")
        try:
            session.write_file(path, b"", append=True)     # O_CREAT | O_APPEND, 0600
        except OSError as err:
            ctx.term.err(f"nohup: failed to open 'nohup.out': {err.strerror}\n")
            return 125
        fds[1] = Dest("file", path)
        what = "ignoring input and appending" if ignoring_input else "appending"
        ctx.term.err(f"nohup: {what} output to 'nohup.out'\n")
    if redirecting_stderr:
        if not redirecting_stdout:
            what = "ignoring input and redirecting" if ignoring_input else "redirecting"
            ctx.term.err(f"nohup: {what} stderr to stdout\n")
        fds[2] = fds[1]
    name = args[0]
    if "/" not in name and not _runnable(interp, name) and \
            interp.state.functions.get(name) is None:
        ctx.term.err(f"nohup: failed to run command '{name}': No such file or directory\n")
        return 127
    inner = Ctx(RedirectTerminal(sink=FdSink(ctx.term, fds, interp)),
                Input("") if ignoring_input else ctx.stdin, ctx.netns,
                tty=not redirecting_stdout and ctx.tty,
                err_tty=not redirecting_stderr and ctx.err_tty, hup_ignored=True)
    return (yield from interp.invoke(args, inner, program=True))


def sudo(interp, argv: list[str], ctx):
    """`sudo [OPTIONS] COMMAND ARGS` as root: the command itself, run as a program
    (no functions or builtins), after sudo's warning when the host's own name does
    not resolve (sudoers' resolve_host(): `unable to resolve host NAME: ERROR`)."""
    from ipemu.tools.resolver import ResolveError, getaddrinfo
    args = argv[1:]
    shell = None
    validate = False
    while args and args[0].startswith("-") and args[0] != "-":
        opt = args.pop(0)
        if opt == "--":
            break
        letters = opt[1:]
        if opt in ("-i", "--login", "-s", "--shell"):
            shell = "-i" if opt in ("-i", "--login") else "-s"
        validate = validate or opt == "--validate" or \
            (not opt.startswith("--") and "v" in letters)
        if letters[:1] in SUDO_WITH_ARG and len(letters) == 1 and args:
            args.pop(0)
    host = interp.session.host.hostname
    try:
        getaddrinfo(interp.session, host)
    except ResolveError as err:
        ctx.term.err(f"sudo: unable to resolve host {host}: {err.text}\n")
    if not args and shell:
        # -i: root's login shell, in its home; -s: a shell where sudo was
        return (yield from _login_shell(interp, ctx, shell == "-i"))
    if validate and not args:
        return 0        # sudo -v: root's credentials need no validating (MODE_VALIDATE)
    if not args:
        ctx.term.err(SUDO_USAGE)
        return 1
    name = args[0]
    if "/" not in name and not _runnable(interp, name):
        ctx.term.err(f"sudo: {name}: command not found\n")
        return 1
    return (yield from interp.invoke(args, ctx, program=True))


def _runnable(interp, name: str) -> bool:
    from ipemu.session import TOOLS
    from ipemu.tools.textutils import TEXT_TOOLS
    return name in TOOLS or name in TEXT_TOOLS or name in ("bash", "sh", "dash", "su", "sudo", "nohup")


def su(interp, argv: list[str], ctx):
    """util-linux su(1) run by root: `su [-|-l] [USER] [-c COMMAND]` runs the
    command in a new bash (a login one with `-`: in the user's home); a user the
    passwd file does not have is su's error (su-common.c's check of getpwnam())."""
    args = argv[1:]
    login, command, user = False, None, "root"
    while args:
        arg = args.pop(0)
        if arg in ("-", "-l", "--login"):
            login = True
        elif arg in ("-c", "--command") and args:
            command = args.pop(0)
        elif arg.startswith("--command="):
            command = arg[len("--command="):]
        elif arg in ("-s", "--shell", "-g", "--group", "-G", "--supp-group",
                     "-w", "--whitelist-environment") and args:
            args.pop(0)
        elif arg.startswith("-") and len(arg) > 1:
            continue        # -m/-p/-P/-f: what they change ipemu's root shell keeps
        else:
            user = arg
    if user not in ("root", "0"):
        from ipemu.tools.sysinfo import known_user
        if not known_user(interp.session, user):
            ctx.term.err(f"su: user {user} does not exist or the user entry does not "
                         "contain all the required fields\n")
            return 1
    shell = ["bash", "-c", command] if command is not None else ["bash"]
    if not login:
        return (yield from interp.child_shell(shell, ctx))
    return (yield from _login_shell(interp, ctx, True, shell))


def _login_shell(interp, ctx, home: bool, argv: list[str] | None = None):
    """A shell for `sudo -i`/`-s` and `su [-]`: in root's home for a login one."""
    session = interp.session
    saved = session.cwd
    if home:
        session.cwd = interp.state.get("HOME") or "/root"
    try:
        return (yield from interp.child_shell(argv or ["bash"], ctx))
    finally:
        session.cwd = saved
