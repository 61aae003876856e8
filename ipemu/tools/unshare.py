"""util-linux 2.38's `unshare`: a program in new namespaces. The network namespace is
ipemu's to make (`unshare -n CMD`, `unshare --net CMD`): a fresh unnamed one, with
only lo and that down (setup_net(): loopback_net_init()), which nobody can name and
which goes with the program; -u gives it a UTS namespace of its own (kernel/uts.py:
`hostname NAME` there leaves the host's). The other namespaces (-m -i -p -U -C -T)
are the ones ipemu's processes share: asking for them changes nothing here."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import usage_text

# unshare.c longopts[]: the namespaces take an optional file to bind them to
NAMESPACES = {"mount": "m", "uts": "u", "ipc": "i", "net": "n", "pid": "p", "user": "U",
              "cgroup": "C", "time": "T"}
FLAGS = ("fork", "kill-child", "mount-proc", "map-root-user", "map-current-user",
         "map-auto", "propagation", "setgroups", "keep-caps", "setuid", "setgid", "root",
         "wd", "monotonic", "boottime", "help", "version", "map-user", "map-group",
         "map-users", "map-groups")
WITH_VALUE = ("propagation", "setgroups", "setuid", "setgid", "root", "wd", "monotonic",
              "boottime", "map-user", "map-group", "map-users", "map-groups")


def _bad(message: str) -> CommandError:
    return CommandError(f"unshare: {message}\n" + gnuopt.try_help("unshare"), 1)


def _options(args: list[str], binds: dict | None = None) -> tuple[set[str], list[str]]:
    """getopt_long("+fhVmuinpCTUrR:w:S:G:c"): the namespace letters asked for and the
    program's argv (option scanning stops at the first operand); `binds` gets the
    file given to a namespace's long option (`--net=FILE`), by letter."""
    spaces: set[str] = set()
    while args:
        arg = args[0]
        if arg == "--":
            return spaces, args[1:]
        if not arg.startswith("-") or arg == "-":
            break
        args = args[1:]
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            found = [k for k in (*NAMESPACES, *FLAGS) if k.startswith(name)] if name else []
            exact = [k for k in found if k == name]
            found = exact or found
            if len(found) != 1:
                raise _bad(f"unrecognized option '{arg}'")
            key = found[0]
            if key in NAMESPACES:
                spaces.add(NAMESPACES[key])
                if eq and binds is not None:
                    binds[NAMESPACES[key]] = value
            elif key in ("help", "version"):
                spaces.add(key)
            elif key in WITH_VALUE and not eq:
                if not args:
                    raise _bad(f"option '--{key}' requires an argument")
                args = args[1:]
            continue
        for i, letter in enumerate(arg[1:], 1):
            if letter in "muinpCTU":
                spaces.add(letter)
            elif letter in "RwSG":
                if not arg[i + 1:]:
                    if not args:
                        raise _bad(f"option requires an argument -- '{letter}'")
                    args = args[1:]
                break
            elif letter == "V":
                spaces.add("version")
            elif letter == "h":
                spaces.add("help")
            elif letter not in "frc":
                raise _bad(f"invalid option -- '{letter}'")
    return spaces, args


def main(ctx: ToolContext, argv: list[str]):
    binds: dict[str, str] = {}
    spaces, program = _options(argv[1:], binds)
    if "version" in spaces:
        ctx.term.out("unshare from util-linux 2.38.1\n")
        return 0
    if "help" in spaces:
        ctx.term.out(usage_text("unshare_help", ctx.profile))     # usage(): stdout, 0
        return 0
    netns = ctx.netns
    if "n" in spaces:
        netns = fresh_netns(ctx.host) if "n" not in binds else _bound_netns(ctx, binds["n"])
        if netns is None:
            return 1
    if not program:
        program = ["bash"]          # no program: $SHELL
    from ipemu.kernel.uts import UtsNamespace, current, entered, get_hostname
    uts = current(ctx.session)
    if "u" in spaces:
        # copy_utsname(): the new namespace starts with the caller's name
        uts = UtsNamespace(get_hostname(ctx.session, ctx.host))
    with entered(ctx.session, uts):
        return exec_in_netns(ctx, "unshare", program, netns,
                             "n" in spaces and "m" not in spaces)


def exec_in_netns(ctx: ToolContext, prog: str, program: list[str], netns,
                  keep_sysfs: bool):
    """execvp() of `program` in `netns` by unshare or nsenter (`prog`, whose message a
    program it cannot run gets). `keep_sysfs`: the network namespace alone changed
    (unshare(CLONE_NEWNET), setns() of it): /sys stays the sysfs the caller's mount
    namespace has, mounted for the caller's network namespace."""
    saved = ctx.host.sysfs_view
    if keep_sysfs:
        ctx.host.sysfs_view = saved if saved is not None else ctx.netns
    try:
        return ctx.session._dispatch(program, ctx.term, ctx.stdin, netns=netns,
                                     prefix=f"{prog}: failed to execute ",
                                     missing="No such file or directory")
    finally:
        ctx.host.sysfs_view = saved


def fresh_netns(host):
    """copy_net_ns(): a new namespace outside the host's named ones."""
    from ipemu.kernel.netns import NetNamespace
    ns = NetNamespace("", host.clock, host.rng, kernel=host.kernel)
    ns.host = host
    for module in host.modules:
        from ipemu.kernel.ip_tunnel import pernet_init
        pernet_init(ns, module)
    return ns


def _bound_netns(ctx: ToolContext, target: str):
    """`--net=FILE`: the new namespace bind-mounted on FILE (bind_ns_files(): a
    mount of /proc/PID/ns/net). A plain file in /run/netns (touch) becomes a name
    ip netns opens, as after `ip netns add`; a missing file is mount()'s ENOENT, in
    err()'s words with the child's pid. Other files take the mount unmodelled."""
    from ipemu.procfs import _canonical
    from ipemu.tools.netns_links import NETNS_DIR, netns_files
    fs = ctx.session.fs
    path = _canonical(fs.resolve(target, ctx.session.cwd))
    name = path[len(NETNS_DIR):] if path.startswith(NETNS_DIR) else None
    if name is not None and "/" not in name and name in netns_files(ctx):
        fs.files.pop(NETNS_DIR + name, None)        # covered by the mount
        return ctx.host.add_namespace(name)
    if name is not None and name in ctx.host.namespaces or \
            name is None and (fs.exists(path) or fs.is_dir(path)):
        return fresh_netns(ctx.host)
    ctx.term.err(f"unshare: mount /proc/{ctx.exec_pid or 1}/ns/net on {target} failed: "
                 "No such file or directory\n")
    return None
