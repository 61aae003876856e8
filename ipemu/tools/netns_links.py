"""Names /run/netns holds as symbolic links (`ln -sf /proc/PID/ns/net /run/netns/NAME`,
the way container tools expose a container's namespace to `ip netns`): ip opens the
file, so the name is the namespace of that process while it runs, and a name that
cannot be opened (`No such file or directory`) once it has gone."""
from __future__ import annotations

from ipemu.tools.context import ToolContext

NETNS_DIR = "/run/netns/"


def netns_links(ctx: ToolContext) -> dict[str, str]:
    """NAME -> target of each symbolic link directly under /run/netns, oldest first."""
    links = getattr(getattr(ctx.session, "fs", None), "links", None) or {}
    return {path[len(NETNS_DIR):]: target for path, target in links.items()
            if path.startswith(NETNS_DIR) and "/" not in path[len(NETNS_DIR):]}


def netns_files(ctx: ToolContext) -> list[str]:
    """Plain files directly under /run/netns (`touch /run/netns/NAME`), oldest first:
    names readdir() gives ip netns, which open to no namespace (setns() and RTM_GETNSID
    refuse them) until one is mounted on them (`unshare --net=/run/netns/NAME`)."""
    files = getattr(getattr(ctx.session, "fs", None), "files", None) or {}
    return [path[len(NETNS_DIR):] for path in files
            if path.startswith(NETNS_DIR) and "/" not in path[len(NETNS_DIR):]
            and path[len(NETNS_DIR):] not in ctx.host.namespaces]


# get_netnsid_from_name() of a plain file: RTM_GETNSID with its fd, and
# rtnl_net_getid()'s extack (the kernel's get_net_ns_by_fd() fails: not nsfs)
PEER_INVALID = "Error: Peer netns reference is invalid.\n"


def link_netns(ctx: ToolContext, target: str):
    """The namespace a link's target opens to, or None (no such process, or a file
    that is no namespace)."""
    from ipemu.tools.ip_netns import _process_netns
    mounted = mounted_name(ctx, target)
    if mounted is not None:
        return ctx.host.namespaces.get(mounted)
    # the files a link may name that are a process's network namespace
    head, _, pid = target.rpartition("/ns/net")[0].rpartition("/")
    if head != "/proc" or not target.endswith("/ns/net") or \
            not (pid.isdigit() or pid in ("self", "thread-self")):
        return None
    if not pid.isdigit():
        return ctx.netns        # the process that opens it: the tool itself
    return _process_netns(ctx, int(pid))


def mounted_name(ctx: ToolContext, target: str):
    """The name under /run/netns a link leads to when a namespace is mounted on that
    file (`ln -sfT $CNI_NETNS /var/run/netns/$CNI_CONTAINERID`, as bash CNI plugins
    expose the runtime's namespace under the container's id: open() follows the link
    to the nsfs mount), else None."""
    fs = getattr(ctx.session, "fs", None)
    if fs is None:
        return None
    try:
        path = fs.follow(fs.resolve(target, "/run/netns"))
    except OSError:
        return None
    if path.startswith("/var/run/"):
        path = path[len("/var"):]
    name = path[len(NETNS_DIR):] if path.startswith(NETNS_DIR) else ""
    if not name or "/" in name or name in netns_links(ctx) or \
            name not in ctx.host.namespaces:
        return None
    return name


def sync_netns_links(ctx: ToolContext) -> None:
    """Before ip (or bridge -n) opens names: each linked name is the namespace
    its target opens to now, as the name of a living namespace `ip netns attach`
    gives; a name whose target is gone is no namespace's."""
    for name, target in netns_links(ctx).items():
        ns = link_netns(ctx, target)
        if ns is None:
            ctx.host.namespaces.pop(name, None)
        else:
            ctx.host.namespaces[name] = ns


def forget_link(ctx: ToolContext, name: str) -> None:
    """unlink() of /run/netns/NAME when it is a link: the name goes, the namespace
    stays (it belongs to its process)."""
    fs = ctx.session.fs
    fs.links.pop(NETNS_DIR + name, None)
    ctx.host.namespaces.pop(name, None)


class NotANamespace(Exception):
    """open() of a file or directory that is no nsfs file: it opens, and setns() or
    IFLA_NET_NS_FD then say EINVAL."""


def open_netns(ctx: ToolContext, path: str):
    """open(path, O_RDONLY) as lib/namespace.c netns_switch() and netns_get_fd() do:
    the namespace an nsfs file is (/run/netns/NAME, /proc/PID/ns/net), NotANamespace
    raised for another file or a directory (/run/netns itself), OSError ENOENT or
    ENOTDIR when open() fails (recorded: `ip -n ns1/ link` is "Not a directory").
    `path` is relative to the working directory unless it starts with '/'."""
    import errno
    import os
    from ipemu import procfs
    from ipemu.tools.ip_netns import _process_netns
    fs = ctx.session.fs
    cwd = getattr(ctx.session, "cwd", "/")
    if not path:
        raise OSError(errno.ENOENT, os.strerror(errno.ENOENT))
    canon = procfs._canonical(fs.resolve(path, cwd))
    # the components before the last must be directories: a namespace file or a
    # regular file in their place is ENOTDIR, as is a trailing '/' after one
    parts = canon.strip("/").split("/") if canon != "/" else []
    wants_dir = path.endswith("/") or path.endswith("/.") or path in (".", "..")
    for depth in range(1, len(parts) + 1):
        prefix = "/" + "/".join(parts[:depth])
        last = depth == len(parts)
        ns = _nsfs_file(ctx, prefix, _process_netns)
        if ns is None and not fs.is_dir(prefix) and prefix not in ("/run/netns",) \
                and fs.exists(prefix):
            ns = NotANamespace      # a regular file
        if ns is not None and (not last or wants_dir):
            raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
        if last:
            if ns is NotANamespace:
                raise NotANamespace(canon)
            if ns is not None:
                return ns
    if canon in ("/", "/run/netns") or fs.is_dir(canon):
        raise NotANamespace(canon)
    raise OSError(errno.ENOENT, os.strerror(errno.ENOENT))


def _nsfs_file(ctx: ToolContext, path: str, process_netns):
    """The namespace an nsfs file at `path` is, NotANamespace for a plain file under
    /run/netns (touch, or what umount leaves), else None."""
    if path.startswith(NETNS_DIR):
        name = path[len(NETNS_DIR):]
        if "/" in name:
            return None
        if name in netns_files(ctx):
            return NotANamespace
        return ctx.host.namespaces.get(name)
    parts = path.split("/")
    if len(parts) == 5 and parts[1] == "proc" and parts[3:] == ["ns", "net"]:
        if parts[2] in ("self", "thread-self"):
            return ctx.netns
        if parts[2].isdigit():
            pid = int(parts[2])
            if pid == 1:
                return ctx.host.init_ns
            return process_netns(ctx, pid)
    return None


def netns_switch(ctx: ToolContext, name: str, status: int):
    """lib/namespace.c netns_switch(), behind ip -n, bridge -n, tc -n and ss -N: open
    /var/run/netns/NAME (the name unchecked: `..` and '/' make a path) and setns()
    into it; the namespace, or the CommandError with the tool's exit status."""
    from ipemu.errors import CommandError
    sync_netns_links(ctx)
    ns = ctx.host.namespaces.get(name) if name else None
    if ns is not None and name not in netns_files(ctx):
        return ns
    try:
        return open_netns(ctx, NETNS_DIR + name)
    except NotANamespace:
        raise CommandError(f'setting the network namespace "{name}" failed: '
                           'Invalid argument\n', status)
    except OSError as err:
        raise CommandError(f'Cannot open network namespace "{name}": {err.strerror}\n',
                           status)


def dir_event(ctx: ToolContext, kind: str, name: str) -> None:
    """An entry made ("add": open(O_CREAT), symlink(), touch) or unlinked ("delete")
    directly under /run/netns: what an inotify watch there (IN_CREATE | IN_DELETE,
    `ip netns monitor`) reads. Mounting on or unmounting an entry is no such event."""
    for observer in list(getattr(ctx.host, "observers", ())):
        event = getattr(observer, "netns_dir_event", None)
        if event is not None:
            event(kind, name)
