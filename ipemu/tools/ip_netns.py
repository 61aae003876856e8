"""`ip netns`: named network namespaces (ip/ipnetns.c), as files under /run/netns."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.process import Process
from ipemu.kernel.errors import KernelError
from ipemu.render.printer import Printer
from ipemu.syntax import keyword
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ipargs import EXIT_ARG, duparg, get_integer, invarg
from ipemu.tools.netns_links import NETNS_DIR, PEER_INVALID, forget_link, netns_files, \
    netns_links, dir_event
from ipemu.tools.rtnl import talk_error


def _named(ctx: ToolContext) -> list[str]:
    """The names under /run/netns, oldest first (a tmpfs: readdir() gives the newest
    first): the files `ip netns add` and `ip netns attach` mounted and the symbolic
    links (ln -s) sync_netns_links() has opened, in the order they came (a link made
    before an attach lists after it: recorded, scripts39_container), then the links
    that cannot be opened, which name no namespace."""
    links = netns_links(ctx)
    # the plain files (touch) come last among the names that came since the last
    # look; the names seen before keep their places (FileSystem.netns_order)
    current = [n for n in ctx.host.namespaces if n] + \
        [n for n in links if n not in ctx.host.namespaces] + \
        [n for n in netns_files(ctx) if n not in links]
    fs = getattr(ctx.session, "fs", None)
    if fs is None or not hasattr(fs, "netns_order"):
        return current
    present = set(current)
    order = [n for n in fs.netns_order if n in present]
    order += [n for n in current if n not in set(order)]
    fs.netns_order = order
    return list(order)


def _newest(ctx: ToolContext, name: str) -> None:
    """A name just created under /run/netns is the newest, wherever an older file of
    that name was."""
    fs = getattr(ctx.session, "fs", None)
    if fs is not None and hasattr(fs, "netns_order"):
        _named(ctx)
        fs.netns_order = [n for n in fs.netns_order if n != name] + [name]


def _plain_file(ctx: ToolContext, name: str) -> bool:
    """/run/netns/NAME is a plain file (touch), no namespace mounted on it."""
    return bool(name) and name not in ctx.host.namespaces and name in netns_files(ctx)


def setns_refused(name: str) -> CommandError:
    """netns_switch() of a plain file: open() works, setns() says EINVAL."""
    return CommandError(f'setting the network namespace "{name}" failed: Invalid argument\n',
                        EXIT_ARG)


def do_netns(ctx: ToolContext, opts: IpOptions, argv: list[str]):
    cmd = argv[0] if argv else "list"
    kw = keyword(cmd) if argv else "list"
    rest = argv[1:]
    if not opts.all and rest and _invalid_name(rest[0]):
        # do_netns(): the word after the command is checked as a name first, whatever
        # the command
        raise CommandError(f'Invalid netns name "{rest[0]}"\n', EXIT_ARG)
    if kw == "list" or kw == "show" or kw == "lst":
        return _list(ctx, opts)
    if kw == "help":
        raise usage_error("ip_netns", ctx.profile)
    if kw == "add":
        return _add(ctx, rest)
    if kw == "delete":
        return _delete_all(ctx) if opts.all else _delete(ctx, rest)
    if kw == "exec":
        return _exec_all(ctx, rest) if opts.all else _exec(ctx, rest)
    if kw == "identify":
        return _identify(ctx, rest)
    if kw == "pids":
        return _pids(ctx, rest)
    if kw == "set":
        return _set(ctx, opts, rest)
    if kw == "list-id":
        return _list_id(ctx, opts, rest)
    if kw == "monitor":
        return NetnsMonitor(ctx).start()
    if kw == "attach":
        return _attach(ctx, rest)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip netns help".\n', EXIT_ARG)


NO_NETNS = "Cannot open network namespace: No such file or directory\n"


def _invalid_name(name: str) -> bool:
    """invalid_name(): empty, longer than NAME_MAX, a '/', or `.` / `..`."""
    return not name or len(name.encode(errors="surrogateescape")) > 255 or "/" in name \
        or name in (".", "..")


def _process_netns(ctx: ToolContext, pid: int):
    """/proc/PID/ns/net: the namespace a process runs in; None when there is no such
    process (a shell itself runs in the host's namespace)."""
    if pid == ctx.exec_pid:
        # a `bash -c` line's last command runs in the shell's place, so $$ is this
        # very process, wherever `ip netns exec` or `-n` have moved it
        return ctx.netns
    machine = getattr(ctx.session, "machine", None)
    proc = machine.processes.get(pid) if machine is not None else None
    if proc is not None and not proc.done:
        return proc.netns or ctx.host.init_ns
    children = getattr(ctx.session, "child_shells", {})
    if pid in children:
        return children[pid] or ctx.host.init_ns
    shells = machine.shells if machine is not None else []
    if any(getattr(getattr(sh, "sh", None), "pid", None) == pid for sh in shells):
        return ctx.host.init_ns
    return None


def _identify(ctx: ToolContext, rest: list[str]) -> int:
    """netns_identify(): the name of the namespace file that is PID's namespace (the
    caller's without one), an empty line for a namespace without a name."""
    if len(rest) > 1:
        raise CommandError("extra arguments specified\n", 1)
    if not rest:
        ns = ctx.netns
    else:
        if not rest[0].isdigit() and rest[0]:
            raise CommandError(f"Specified string '{rest[0]}' is not a pid\n", 1)
        ns = _process_netns(ctx, int(rest[0] or 0))
        if ns is None:
            raise CommandError(NO_NETNS, 1)
    ctx.term.out(_name_of(ctx, ns) + "\n")
    return 0


def _name_of(ctx: ToolContext, ns) -> str:
    """netns_identify_pid(): the last name readdir() gives (newest first: the oldest
    name) whose file is that namespace; empty for one without a name."""
    names = [n for n in _named(ctx) if ctx.host.namespaces.get(n) is ns]
    return names[0] if names else ""


def _attach(ctx: ToolContext, rest: list[str]) -> int:
    """netns_add() without create: the file /run/netns/NAME, then a bind mount of
    /proc/PID/ns/net on it (the file goes again when that fails)."""
    if len(rest) < 2:
        raise CommandError("No netns name and PID specified\n", 1)
    pid = get_integer(rest[1])
    if pid is None or not pid or not -2**31 <= pid < 2**31:
        raise CommandError(f"Invalid PID: {rest[1]}\n", 1)
    name = rest[0]
    if name in ctx.host.namespaces or _plain_file(ctx, name) or name in netns_links(ctx):
        # open(O_CREAT|O_EXCL) of any file there, a plain one or a link (recorded)
        raise CommandError(f'Cannot create namespace file "/run/netns/{name}": File exists\n', 1)
    ns = _process_netns(ctx, pid) if pid > 0 else None
    if ns is None:
        raise CommandError(f"Bind /proc/{pid}/ns/net -> /run/netns/{name} failed: "
                           "No such file or directory\n", 1)
    ctx.host.namespaces[name] = ns      # a second name of a living namespace
    _newest(ctx, name)
    dir_event(ctx, "add", name)
    return 0


def _remove_name(ctx: ToolContext, name: str) -> None:
    """umount and unlink /run/netns/NAME: the namespace goes with its last name,
    unless it is the initial one or another name still holds it."""
    ns = ctx.host.namespaces[name]
    if any(other is ns for n, other in ctx.host.namespaces.items() if n != name):
        del ctx.host.namespaces[name]
        if ns.name == name:
            # the namespace keeps its state under a name that still holds it
            keep = next(n for n, other in ctx.host.namespaces.items() if other is ns)
            if keep:
                _rename_namespace(ctx, ns, name, keep)
        return
    machine = getattr(ctx.session, "machine", None)
    if name and machine is not None and machine.busy(ns) and ns is not ctx.netns:
        # a process still runs there (`ip netns exec NAME sleep 5 &`): the name goes,
        # the namespace when that process ends (recorded: the veth peer in the host
        # stays, `link-netnsid 0`, until then)
        ctx.host.unname_namespace(name)
        return
    ctx.host.remove_namespace(name)


def _rename_namespace(ctx: ToolContext, ns, old: str, new: str) -> None:
    """The ids other namespaces gave it follow it to the name that still holds it."""
    ns.name = new
    for other in ctx.host.namespaces.values():
        if old in other.nsids:
            other.nsids[new] = other.nsids.pop(old)


def _pids(ctx: ToolContext, rest: list[str]) -> int:
    """netns_pids(): every process whose /proc/PID/ns/net is the named namespace, in
    /proc's (numeric) order."""
    if not rest:
        raise CommandError("No netns name specified\n", 1)
    if len(rest) > 1:
        raise CommandError("extra arguments specified\n", 1)
    ns = ctx.host.namespaces.get(rest[0]) if rest[0] else None
    if ns is None and _plain_file(ctx, rest[0]):
        return 0        # it opens and stats: no process's /proc/PID/ns/net is it (recorded)
    if ns is None:
        raise CommandError(NO_NETNS, 1)
    machine = getattr(ctx.session, "machine", None)
    processes = machine.processes if machine is not None else {}
    # the programs, and the shells running there (`ip netns exec NS sh -c '...'`:
    # the shell waits for its command, both in NS)
    children = getattr(ctx.session, "child_shells", {})
    for pid in sorted(set(processes) | {p for p in children if p not in processes}):
        if pid in processes and getattr(processes[pid], "exec_of", 0):
            continue        # the program a background job's shell exec'd: that PID's
        if _process_netns(ctx, pid) is ns:
            ctx.term.out(f"{pid}\n")
    return 0


def _list(ctx: ToolContext, opts: IpOptions) -> int:
    """netns_list(): each name under /run/netns (there from the start in the recording
    namespaces, from the first `ip netns add` on a host), its id when it has one,
    a newline (-o too: recorded), -j makes the list an array."""
    plain = set(netns_files(ctx))
    names = list(reversed(_named(ctx)))
    if plain:
        # do_netns(): netns_map_init() first asks each name's id
        # (get_netnsid_from_name()), then netns_list() asks again as it prints: a
        # plain file gets the kernel's extack both times (recorded)
        ctx.term.err(PEER_INVALID * sum(name in plain for name in names))
        if not opts.json:
            for name in names:
                if name in plain:
                    ctx.term.err(PEER_INVALID)
                    ctx.term.out(name + "\n")
                    continue
                ns = ctx.host.namespaces.get(name)
                nsid = ctx.netns.peer_id(ns) if ns is not None else None
                ctx.term.out(name + (f" (id: {nsid})" if nsid is not None else "") + "\n")
            return 0
        ctx.term.err(PEER_INVALID * len(plain))
    p = Printer(opts.json, opts.pretty, opts.oneline)
    p.begin()
    for name in names:
        ns = ctx.host.namespaces.get(name)       # a link that cannot be opened: none
        nsid = ctx.netns.peer_id(ns) if ns is not None else None
        p.open_object()
        p.any("name", "%s", name)
        if nsid is not None:
            p.any("id", " (id: %d)", nsid)
        p.eol()
        p.close_object()
    p.end()
    ctx.term.out(p.text())
    return 0


def _add(ctx: ToolContext, rest: list[str]) -> int:
    # netns_add(): the first word names it, the rest go unread; its -1 leaves
    # through do_cmd()'s negation as status 1
    if not rest:
        raise CommandError("No netns name specified\n", 1)
    name = rest[0]
    if name in ctx.host.namespaces or name in netns_links(ctx) or _plain_file(ctx, name):
        raise CommandError(f'Cannot create namespace file "/run/netns/{name}": File exists\n', 1)
    if "/" in name or name in (".", ".."):
        raise CommandError(f"Invalid netns name \"{name}\"\n", EXIT_ARG)
    _named(ctx)                 # the names before this one keep their places
    ctx.host.add_namespace(name)
    _newest(ctx, name)
    dir_event(ctx, "add", name)
    return 0


def _delete(ctx: ToolContext, rest: list[str]) -> int:
    # netns_delete(): on_netns_del(argv[0]); any further words go unread
    if not rest:
        raise CommandError("No netns name specified\n", 1)
    name = rest[0]
    if name in netns_links(ctx):
        _delete_link(ctx, name)
        return 0
    if _plain_file(ctx, name):
        # a plain file too: nothing to unmount, the unlink() takes it
        ctx.session.fs.files.pop(NETNS_DIR + name, None)
        ctx.session.fs.modes.pop(NETNS_DIR + name, None)
        dir_event(ctx, "delete", name)
        return 0
    ns = ctx.host.namespaces.get(name) if name else None
    if ns is None:
        raise CommandError(
            f'Cannot remove namespace file "/run/netns/{name}": No such file or directory\n', 1)
    _remove_name(ctx, name)
    dir_event(ctx, "delete", name)
    return 0


def _delete_link(ctx: ToolContext, name: str) -> None:
    """on_netns_del() of a symbolic link: umount2() follows it; to /proc/PID/ns/net it
    fails unheard, to another name under /run/netns (a CNI plugin's `ln -sfT`) it
    detaches that name's mount, which stays as a plain file (its namespace goes with
    its last name; `ip netns list` then gets the kernel's `Peer netns reference is
    invalid` for it: recorded, scripts40_bash_cni); unlink() takes the link."""
    from ipemu.tools.netns_links import mounted_name
    target = mounted_name(ctx, netns_links(ctx)[name])
    forget_link(ctx, name)
    dir_event(ctx, "delete", name)
    if target and target in ctx.host.namespaces:
        _remove_name(ctx, target)
        ctx.session.fs.files[NETNS_DIR + target] = b""


def _delete_all(ctx: ToolContext) -> int:
    """netns_delete() with -all: netns_foreach(on_netns_del), silently, each name
    /run/netns holds."""
    for name in reversed(_named(ctx)):
        if name in netns_links(ctx):
            _delete_link(ctx, name)
        elif name in ctx.host.namespaces:
            _remove_name(ctx, name)
            dir_event(ctx, "delete", name)
        else:
            ctx.session.fs.files.pop(NETNS_DIR + name, None)     # a plain file
            dir_event(ctx, "delete", name)
    return 0


# lib/exec.c cmd_exec(): a failed execvp() prints its errno and leaves with _exit(1)
EXEC_FAILED = ('exec of "{name}" failed: No such file or directory\n', 1)


def _exec(ctx: ToolContext, rest: list[str]):
    if not rest:
        raise CommandError("No netns name specified\n", 1)
    if len(rest) < 2:
        raise CommandError("No command specified\n", 1)
    name = rest[0]
    ns = ctx.host.namespaces.get(name) if name else None
    if ns is None:
        # netns_switch() is cmd_exec()'s setup(): in a batch it fails in the forked
        # child, which goes on with the batch (ChildSetupFailed, recorded)
        from ipemu.tools.ip_batch import ChildSetupFailed
        if _plain_file(ctx, name):
            raise ChildSetupFailed(setns_refused(name).message, EXIT_ARG)
        raise ChildSetupFailed(
            f'Cannot open network namespace "{name}": No such file or directory\n', EXIT_ARG)
    # lib/exec.c cmd_exec(): without batch mode ip execvp()s in place; a failed
    # execvp() prints its errno and leaves with _exit(1)
    # netns_switch(): a mount namespace of its own with sysfs mounted for `ns`
    session = ctx.session
    saved, ctx.host.sysfs_view = ctx.host.sysfs_view, None
    try:
        return session.dispatch(rest[1:], ctx.term, netns=ns, stdin=ctx.stdin,
                                not_found=EXEC_FAILED)
    finally:
        ctx.host.sysfs_view = saved


def _exec_all(ctx: ToolContext, rest: list[str]) -> int:
    """`ip -all netns exec CMD`: CMD in each namespace, newest first, each under a
    `netns: NAME` heading; the command runs to its end before the next one."""
    if not rest:
        raise CommandError("No command specified\n", 1)
    _exec_each(ctx, rest, list(reversed(_named(ctx))), 0)
    return 0


def _exec_each(ctx: ToolContext, rest: list[str], names: list[str], start: int) -> None:
    """netns_foreach(on_netns_exec) from names[start] on. cmd_exec() forks and the
    child runs do_switch(): when setns() refuses a plain file the child returns -1
    into the same readdir() loop, so the names after it run once in that child and
    once more in the parent (recorded: `netns: b`, its error, then `netns: a` twice)."""
    from ipemu.process import Process, wait_for
    for i in range(start, len(names)):
        name = names[i]
        plain = _plain_file(ctx, name)
        dangling = name not in ctx.host.namespaces and name in netns_links(ctx)
        if name not in ctx.host.namespaces and not plain and not dangling:
            continue      # removed by the command in an earlier one: readdir() moved on
        ctx.term.out(f"\nnetns: {name}\n")
        if plain or dangling:
            # netns_switch(): setns() refuses the file, or open() the link (recorded)
            ctx.term.err(setns_refused(name).message if plain else
                         f'Cannot open network namespace "{name}": No such file or '
                         'directory\n')
            _exec_each(ctx, rest, names, i + 1)
            continue
        # on_netns_exec() -> cmd_exec(): the forked child's failed execvp() prints
        # its errno (recorded: `ip -all netns exec /nonexistent`)
        result = ctx.session.dispatch(rest, ctx.term, netns=ctx.host.namespaces[name],
                                      not_found=EXEC_FAILED)
        if isinstance(result, Process):
            wait_for(ctx.host, result)


def _set(ctx: ToolContext, opts: IpOptions, rest: list[str]) -> int:
    """netns_set(): `ip netns set NAME NSID|auto` gives a namespace an id in the
    current one (RTM_NEWNSID; the kernel refuses a second id or a used one)."""
    if not rest:
        raise CommandError("No netns name specified\n", 1)
    if len(rest) < 2:
        raise CommandError("No nsid specified\n", 1)
    nsid = -1
    if rest[1] != "auto":
        nsid = get_integer(rest[1])
        if nsid is None:
            raise invarg('Invalid "netnsid" value', rest[1])
        if nsid < 0:
            raise invarg('"netnsid" value should be >= 0', rest[1])
    ns = ctx.host.namespaces.get(rest[0]) if rest[0] else None
    if ns is None and _plain_file(ctx, rest[0]):
        # RTM_NEWNSID with the fd of a file that is no namespace (recorded)
        raise CommandError(PEER_INVALID, 2)
    if ns is None:
        raise CommandError(
            f'Cannot open network namespace "{rest[0]}": No such file or directory\n', 1)
    try:
        ctx.netns.new_nsid(ns, nsid)
    except KernelError as err:
        raise talk_error(err)
    return 0


def _list_id(ctx: ToolContext, opts: IpOptions, rest: list[str]) -> int:
    """netns_list_id(): an RTM_GETNSID dump, in id order, each id with the name
    under /run/netns of its namespace, if it has one."""
    # do_netns(): netns_map_init() asks the id of each name first (a plain file: the
    # kernel's extack, recorded)
    ctx.term.err(PEER_INVALID * len(netns_files(ctx)))
    want: dict[str, int] = {}
    args = list(rest)
    while args:
        word = args.pop(0)
        key = keyword(word)         # grammar/ip.lark netns_list_id
        if key not in ("target-nsid", "nsid"):
            raise usage_error("ip_netns", ctx.profile)
        if key in want:
            raise duparg(key, key)
        if not args:
            raise CommandError('Command line is not complete. Try option "help"\n', EXIT_ARG)
        value = get_integer(args[0])
        if value is None:
            # netns_list_id(): invarg() adds the one newline
            raise invarg(f'"{key}" value is invalid', args[0])
        if value < 0:
            raise invarg(f'"{key}" value should be >= 0\n', args[0])
        want[key] = value
        args.pop(0)
    here = ctx.netns
    target = None
    if "target-nsid" in want:
        target = _by_nsid(ctx, here, want["target-nsid"])
    if "nsid" in want:
        # get_netnsid_from_netnsid(): an RTM_GETNSID request; rtnl_net_getid() finds
        # the peer by its id here, then the target by its own
        peer = _by_nsid(ctx, here, want["nsid"])
        if peer is None:
            raise CommandError("Error: Peer netns reference is invalid.\n", 2)
        if "target-nsid" in want and target is None:
            raise CommandError("Error: Target netns reference is invalid.\n", 2)
        rows = [(want["nsid"], None)] if target is None else \
            [(target.nsids.get(peer.name, -1), want["nsid"])]
    elif target is None and "target-nsid" in want:
        # rtnl_valid_dump_net_req(): the dump's target is refused
        raise CommandError("Error: Invalid target network namespace id.\nDump terminated\n", 1)
    elif target is None:
        rows = [(nsid, None) for nsid in sorted(here.nsids.values())]
    else:
        # rtnl_net_dumpid_one(): the target's ids, each with this namespace's own id
        # for the same peer (NETNSA_CURRENT_NSID)
        rows = [(nsid, here.nsids.get(name, -1))
                for nsid, name in sorted((v, k) for k, v in target.nsids.items())]
    p = Printer(opts.json, opts.pretty, opts.oneline)
    p.begin()
    for nsid, current in rows:
        p.open_object()
        if nsid < 0:
            p.fp("nsid unassigned ")
        else:
            p.any("nsid", "nsid %d ", nsid)
        if current is not None:
            if current < 0:
                p.fp("current-nsid unassigned ")
            else:
                p.any("current-nsid", "current-nsid %d ", current)
        # print_nsid(): the name under /run/netns whose id here is the current id (else
        # the nsid), then netns_get_name() by the nsid
        name = _name_of_id(ctx, current if current is not None else nsid) \
            or _name_of_id(ctx, nsid)
        if name:
            p.any("name", "(iproute2 netns name: %s)", name)
        p.fp("\n")
        p.close_object()
    p.end()
    ctx.term.out(p.text())
    return 0


def _by_nsid(ctx: ToolContext, here, nsid: int):
    """get_net_ns_by_id(): the namespace `here` knows by that id, or None."""
    for name, value in here.nsids.items():
        if value == nsid and name in ctx.host.namespaces:
            return ctx.host.namespaces[name]
    return None


def _name_of_id(ctx: ToolContext, nsid: int) -> str | None:
    """netns_get_name(): the name under /run/netns whose id in the caller's namespace
    is nsid."""
    if nsid < 0:
        return None
    for name in _named(ctx):
        # the id is the namespace's, whatever name it is under (`ip netns attach NAME
        # $$` names the caller's own namespace: recorded)
        ns = ctx.host.namespaces.get(name)
        if ctx.netns.nsids.get(ns.name if ns is not None else name) == nsid:
            return name
    return None


class NetnsMonitor(Process):
    """netns_monitor(): an inotify watch on /run/netns (IN_CREATE | IN_DELETE): `add
    NAME` for each entry made there, `delete NAME` for each one unlinked (by ip netns,
    touch, ln -s, rm: netns_links.dir_event()), until a signal ends it; an umount
    leaves the entry, so it says nothing."""

    def __init__(self, ctx: ToolContext):
        super().__init__(ctx.host, ctx.term)
        # stdbuf -oL / -o0 (its LD_PRELOAD'd setvbuf()): each line goes out at once
        self.line_buffered = getattr(ctx.term, "stdbuf_out", None) in ("L", "0")

    def start(self) -> "NetnsMonitor":
        self.host.observers.append(self)
        return self

    def blocked(self) -> bool:
        return True

    def cleanup(self) -> None:
        if self in self.host.observers:
            self.host.observers.remove(self)

    def namespace_added(self, name: str, ns) -> None:
        """A host observer hears every namespace made; the watch sees only entries
        (an unshare --net=/run/netns/NAME mounts on one that was there)."""

    def netns_dir_event(self, kind: str, name: str) -> None:
        """netns_monitor(): IN_CREATE prints `add NAME`, IN_DELETE `delete NAME`."""
        if not self.done and name:
            self._printf(f"{kind} {name}\n")

    # glibc's stdio buffer for a file or a pipe (st_blksize: a page)
    _BUFSIZ = 4096

    def _printf(self, text: str) -> None:
        """printf() without fflush(): on a terminal each line goes out at once; into a
        file or a pipe stdio keeps it until a block is full, and the signal that ends
        the monitor (it has no other end) loses what it kept (recorded: `ip netns
        monitor > f &`, then `kill %1`, leaves f empty)."""
        if getattr(self, "line_buffered", False) or not _stdio_buffered(self.term):
            self.term.out(text)
            return
        held = getattr(self, "stdio_kept", b"") + text.encode()
        cut = len(held) // self._BUFSIZ * self._BUFSIZ
        self.stdio_kept = held[cut:]
        if cut:
            self.term.out(held[:cut].decode(errors="surrogateescape"))


def _stdio_buffered(term) -> bool:
    """stdout is not a terminal: a pipe (PipeStream) or a redirection to a file."""
    sink = term.sink
    if getattr(sink, "block_buffered", False):
        return True
    fds = getattr(sink, "fds", None)
    if not fds:
        return False
    dest = fds.get(1)
    if dest is not None and dest.kind == "term" and dest.where == "stdout" and \
            getattr(sink, "outer", None) is not None:
        # a wrapper's own descriptors (nohup's, when stdout was no terminal) lead to
        # the stdout it was given: that one decides
        return _stdio_buffered(sink.outer)
    return dest is not None and dest.kind not in ("term", "tty", "null")
