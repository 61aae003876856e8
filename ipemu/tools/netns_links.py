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
