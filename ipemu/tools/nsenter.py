"""util-linux 2.38's `nsenter`: run a program in another process's namespaces or in a
namespace named by its file, as container and namespace tutorials use it (`nsenter
--net=/run/netns/red ip addr`, `nsenter -t PID -n ip route`).

Only the network namespace is ipemu's to switch: -m/-u/-i/-p/-C/-T/-U with a target
process name the namespaces ipemu's processes share, so they change nothing here. The
errors are nsenter.c's texts; a program that does not exist is `failed to execute`."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import usage_text

# nsenter.c longopts: the namespaces, each with an optional file (`-nFILE`, `--net=FILE`)
NAMESPACES = {"m": "mnt", "u": "uts", "i": "ipc", "n": "net", "p": "pid", "U": "user",
              "C": "cgroup", "T": "time"}
LONG_NAMES = {"mount": "m", "uts": "u", "ipc": "i", "net": "n", "pid": "p", "user": "U",
              "cgroup": "C", "time": "T"}


def _options(args: list[str]) -> tuple[dict[str, str | None], str | None, list[str]]:
    """getopt_long("+ahVt:m::u::i::n::p::C::U::T::S:G:r::w::W::eFZ"): the namespaces asked
    for (letter -> FILE or None), the target pid and the program's argv (option
    scanning stops at the first operand)."""
    spaces: dict[str, str | None] = {}
    target = None
    while args:
        arg = args[0]
        if arg == "--":
            args = args[1:]
            break
        if not arg.startswith("-") or arg == "-":
            break
        args = args[1:]
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            found = [key for key in (*LONG_NAMES, "target", "all", "setuid", "setgid",
                                     "root", "wd", "no-fork", "preserve-credentials",
                                     "follow-context", "env", "help", "version")
                     if key.startswith(name)] if name else []
            exact = [key for key in found if key == name]
            if exact:
                found = exact
            if len(found) != 1:
                raise CommandError(f"nsenter: unrecognized option '{arg}'\n"
                                   + gnuopt.try_help("nsenter"), 1)
            key = found[0]
            if key in ("version", "help"):
                return {"V" if key == "version" else "h": None}, None, []
            if key in LONG_NAMES:
                spaces[LONG_NAMES[key]] = value if eq else None
            elif key == "target":
                if not eq:
                    if not args:
                        raise CommandError("nsenter: option '--target' requires an argument\n"
                                           + gnuopt.try_help("nsenter"), 1)
                    value, args = args[0], args[1:]
                target = value
            elif key == "all":
                spaces.update({letter: None for letter in NAMESPACES if letter not in spaces})
            elif key in ("setuid", "setgid", "root", "wd") and not eq and args:
                args = args[1:] if key in ("setuid", "setgid") else args
            continue
        i = 1
        while i < len(arg):
            letter = arg[i]
            if letter in NAMESPACES:
                spaces[letter] = arg[i + 1:] or None
                break
            if letter in "tSG":
                value = arg[i + 1:]
                if not value:
                    if not args:
                        raise CommandError(f"nsenter: option requires an argument -- "
                                           f"'{letter}'\n" + gnuopt.try_help("nsenter"), 1)
                    value, args = args[0], args[1:]
                if letter == "t":
                    target = value
                break
            if letter in "rw":
                break
            if letter in "Vh":
                return {letter: None}, None, []     # -V, -h: the version or help, then exit
            if letter not in "aFeZ":
                raise CommandError(f"nsenter: invalid option -- '{letter}'\n"
                                   + gnuopt.try_help("nsenter"), 1)
            if letter == "a":
                spaces.update({x: None for x in NAMESPACES if x not in spaces})
            i += 1
    return spaces, target, args


def _target_netns(ctx: ToolContext, target: str):
    """The network namespace of process `target` (/proc/PID/ns/net)."""
    if not target.isdigit():
        raise CommandError(f"nsenter: failed to parse pid: '{target}'\n", 1)
    pid = int(target)
    shell = getattr(ctx.session, "tool_shell", None) or getattr(ctx.session, "sh", None)
    if pid == 1 or pid == getattr(shell, "pid", None):
        return ctx.host.init_ns       # init, or the shell that runs nsenter
    machine = getattr(ctx.session, "machine", None)
    proc = machine.processes.get(pid) if machine is not None else None
    if proc is None:
        raise CommandError(f"nsenter: cannot open /proc/{pid}/ns/net: No such file or "
                           "directory\n", 1)
    return getattr(proc, "netns", None) or ctx.host.init_ns


def _file_netns(ctx: ToolContext, name: str):
    """The namespace a file names: /run/netns/NAME (as `ip netns add` mounts it) or
    /proc/PID/ns/net."""
    from ipemu import procfs
    path = ctx.session.fs.resolve(name, ctx.session.cwd)
    path = procfs._canonical(path)
    if path.startswith("/run/netns/"):
        ns = ctx.host.namespaces.get(path[len("/run/netns/"):])
        if ns is not None:
            return ns
    parts = path.split("/")
    if len(parts) == 5 and parts[1] == "proc" and parts[3:] == ["ns", "net"]:
        return _target_netns(ctx, parts[2])
    if ctx.session.fs.exists(path):
        # setns() on a file that is no namespace
        raise CommandError("nsenter: reassociate to namespace 'ns/net' failed: Invalid "
                           "argument\n", 1)
    raise CommandError(f"nsenter: cannot open {name}: No such file or directory\n", 1)


def main(ctx: ToolContext, argv: list[str]):
    spaces, target, program = _options(argv[1:])
    if "V" in spaces:
        ctx.term.out("nsenter from util-linux 2.38.1\n")
        return 0
    if "h" in spaces:
        ctx.term.out(usage_text("nsenter_help", ctx.profile))     # usage(): stdout, 0
        return 0
    netns = ctx.netns
    for letter, file in spaces.items():
        if file is None and target is None:
            raise CommandError(f"nsenter: neither filename nor target pid supplied for "
                               f"ns/{NAMESPACES[letter]}\n", 1)
    if "n" in spaces:
        file = spaces["n"]
        netns = _file_netns(ctx, file) if file is not None else _target_netns(ctx, target)
    elif target is not None:
        _target_netns(ctx, target)
    if not program:
        # no program: the user's shell ($SHELL), here bash reading the same input
        program = ["bash"]
    from ipemu.kernel.uts import current, entered
    uts = current(ctx.session)
    if "u" in spaces and spaces["u"] is None and target is not None:
        uts = _target_uts(ctx, target)      # setns() to /proc/PID/ns/uts
    from ipemu.tools.unshare import exec_in_netns
    with entered(ctx.session, uts):
        return exec_in_netns(ctx, "nsenter", program, netns,
                             "n" in spaces and "m" not in spaces)


def _target_uts(ctx: ToolContext, target: str):
    """The UTS namespace of process `target` (None: the host's); the shell that runs
    nsenter is in its own."""
    from ipemu.kernel.uts import current
    pid = int(target)
    shell = getattr(ctx.session, "tool_shell", None) or getattr(ctx.session, "sh", None)
    if pid == getattr(shell, "pid", None):
        return current(ctx.session)
    machine = getattr(ctx.session, "machine", None)
    proc = machine.processes.get(pid) if machine is not None else None
    return getattr(proc, "uts", None)
