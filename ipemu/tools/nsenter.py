"""`nsenter` (util-linux 2.38.1) for network namespaces: run a program in the network
namespace of a file (`--net=/run/netns/NAME`, what `ip netns add` mounts) or of a
process (`-t PID -n`: only ipemu's own namespaces have processes here); the other
namespace kinds are accepted and change nothing ipemu simulates."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext

# getopt_long(argc, argv, "+ahVt:m::u::i::n::p::C::U::T::S:G:r::w::W::FZ", longopts)
_OPTIONAL = {"m": "mount", "u": "uts", "i": "ipc", "n": "net", "p": "pid", "C": "cgroup",
             "U": "user", "T": "time", "r": "root", "w": "wd", "W": "wdns"}
_REQUIRED = {"t": "target", "S": "setuid", "G": "setgid"}
_FLAGS = {"a": "all", "F": "no-fork", "Z": "follow-context", "h": "help", "V": "version"}
_LONG = {**{v: k for k, v in _OPTIONAL.items()}, **{v: k for k, v in _REQUIRED.items()},
         **{v: k for k, v in _FLAGS.items()}, "preserve-credentials": "P", "env": "e"}
_REQ_LONG = set(_REQUIRED.values())

USAGE_HINT = "Try 'nsenter --help' for more information.\n"


def _bad(message: str) -> CommandError:
    return CommandError(f"nsenter: {message}\n{USAGE_HINT}", 1)


def _parse(argv: list[str]) -> tuple[dict[str, str | None], list[str]]:
    """The options until the first operand ('+': no permutation), then the program."""
    opts: dict[str, str | None] = {}
    args = list(argv)
    while args and args[0].startswith("-") and args[0] != "-":
        arg = args.pop(0)
        if arg == "--":
            break
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            hits = [k for k in _LONG if k == name] or [k for k in _LONG if k.startswith(name)]
            if len(hits) != 1:
                raise _bad(f"option '{arg}' is ambiguous" if hits else
                           f"unrecognized option '{arg}'")
            full = hits[0]
            if full in _REQ_LONG and not eq:
                if not args:
                    raise _bad(f"option '--{full}' requires an argument")
                value, eq = args.pop(0), "="
            opts[_LONG[full]] = value if eq else None
            continue
        i = 1
        while i < len(arg):
            c = arg[i]
            if c in _OPTIONAL:
                opts[c] = arg[i + 1:] or None
                break
            if c in _REQUIRED:
                value = arg[i + 1:] or (args.pop(0) if args else None)
                if value is None:
                    raise _bad(f"option requires an argument -- '{c}'")
                opts[c] = value
                break
            if c not in _FLAGS:
                raise _bad(f"invalid option -- '{c}'")
            opts[c] = None
            i += 1
    return opts, args


def _netns_of_file(ctx: ToolContext, path: str):
    """The namespace a file refers to: a name `ip netns add` mounted, or this
    process's own (/proc/self/ns/net)."""
    for prefix in ("/run/netns/", "/var/run/netns/"):
        if path.startswith(prefix):
            ns = ctx.host.namespaces.get(path[len(prefix):])
            if ns is not None and path[len(prefix):]:
                return ns
    if path in ("/proc/self/ns/net", "/proc/thread-self/ns/net"):
        return ctx.netns
    raise CommandError(f"nsenter: cannot open {path}: No such file or directory\n", 1)


def main(ctx: ToolContext, argv: list[str]):
    opts, program = _parse(argv[1:])
    if "V" in opts:
        ctx.term.out("nsenter from util-linux 2.38.1\n")
        return 0
    netns = ctx.netns
    target = opts.get("t")
    if "t" in opts:
        if not target.isdigit():
            raise CommandError(f"nsenter: failed to parse pid: '{target}'\n", 1)
        if "n" in opts and opts["n"] is None:
            # /proc/PID/ns/net: ipemu's processes have no /proc entries
            raise CommandError(
                f"nsenter: cannot open /proc/{target}/ns/net: No such file or directory\n", 1)
    if opts.get("n"):
        netns = _netns_of_file(ctx, opts["n"])
    elif "n" in opts and "t" not in opts:
        raise CommandError("nsenter: neither filename nor target pid supplied for ns/net\n", 1)
    if not program:
        return 0        # ${SHELL}, here with nothing to read: it ends at once
    return ctx.session._dispatch(program, ctx.term, ctx.stdin, netns=netns,
                                 prefix="nsenter: failed to execute ",
                                 missing="No such file or directory")
