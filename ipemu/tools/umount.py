"""util-linux 2.38.1's umount, for the mounts ipemu knows: the nsfs bind mounts
`ip netns add` makes on /run/netns/NAME (cleanup answers unmount them by hand,
`umount /var/run/netns/NAME`, then `rm` the file).

Unmounting one takes the name from its namespace (the namespace goes with its last
name, as with `ip netns del`) and leaves the file netns_add() created under it: an
empty file of mode 0 (`----------`), which ip netns still lists, refusing to open
it (recorded: `Error: Peer netns reference is invalid.`, `setting the network
namespace "NAME" failed: Invalid argument`), and which `ip netns del` unlinks."""
from __future__ import annotations

import posixpath

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.netns_links import NETNS_DIR, netns_links

# sys-utils/umount.c: MNT_EX_USAGE (1) for bad usage, MNT_EX_FAIL (32) for a failed
# umount_one(); main() adds the statuses of the operands up, at most 255
EX_USAGE = 1
EX_FAIL = 32
USAGE = "umount: bad usage\nTry 'umount --help' for more information.\n"
# the options that change nothing here: -l (lazy), -f (force), -n (no mtab), -d, -i
FLAGS = {"l": "lazy", "f": "force", "n": "no-mtab", "d": "detach-loop",
         "i": "internal-only"}


def _canonical(path: str) -> str:
    """/var/run is a link to /run on Debian."""
    if path == "/var/run" or path.startswith("/var/run/"):
        return "/run" + path[len("/var/run"):]
    return path


def main(ctx: ToolContext, argv: list[str]) -> int:
    targets = []
    dashdash = False
    for arg in argv[1:]:
        if dashdash or not arg.startswith("-") or arg == "-":
            targets.append(arg)
        elif arg == "--":
            dashdash = True
        elif arg.startswith("--"):
            if arg[2:] not in FLAGS.values():
                raise CommandError(f"umount: unrecognized option '{arg}'\n"
                                   "Try 'umount --help' for more information.\n", EX_USAGE)
        else:
            for ch in arg[1:]:
                if ch not in FLAGS:
                    raise CommandError(f"umount: invalid option -- '{ch}'\n"
                                       "Try 'umount --help' for more information.\n",
                                       EX_USAGE)
    if not targets:
        raise CommandError(USAGE, EX_USAGE)
    status = 0
    for target in targets:
        status += _umount_one(ctx, target)
    return min(status, 255)


def _umount_one(ctx: ToolContext, target: str) -> int:
    session = ctx.session
    path = _canonical(session.fs.resolve(target, session.cwd))
    if session.fs.unmount(path):
        return 0            # the top bind mount there (tools/mount.py)
    name = path[len(NETNS_DIR):] if path.startswith(NETNS_DIR) else ""
    if name and "/" not in name and name in ctx.host.namespaces and \
            name not in netns_links(ctx):
        from ipemu.tools.ip_netns import _remove_name
        _remove_name(ctx, name)
        # the mount point netns_add() created: open(O_CREAT|O_EXCL, 0), empty
        session.fs.files[NETNS_DIR + name] = b""
        session.fs.modes[NETNS_DIR + name] = 0
        return 0
    if path == NETNS_DIR.rstrip("/") and any(ctx.host.namespaces):
        # netns_add() made /run/netns a shared bind mount of itself; the names
        # mounted under it keep it busy (recorded)
        ctx.term.err(f"umount: {target}: target is busy.\n")
        return EX_FAIL
    if _exists(ctx, path):
        ctx.term.err(f"umount: {target}: not mounted.\n")
    else:
        ctx.term.err(f"umount: {target}: no mount point specified.\n")
    return EX_FAIL


def _exists(ctx: ToolContext, path: str) -> bool:
    fs = ctx.session.fs
    if fs.is_dir(path) or path in fs.files or fs.is_link(path):
        return True
    if path.startswith(NETNS_DIR) and posixpath.basename(path) in ctx.host.namespaces:
        return True
    from ipemu import procfs
    try:
        return procfs.listdir(ctx.host, ctx.netns, path) is not None or \
            procfs.read(ctx.host, ctx.netns, path) is not None
    except OSError:
        return False
