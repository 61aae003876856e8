"""`ls -l` as coreutils 9.1 prints it (ls.c print_long_format()): the mode, the link
count, owner and group (root: every file here is root's), the size, the time of last
change and the name (`NAME -> TARGET` for a symlink), the columns as wide as the
widest entry of the listing, and a directory's `total` of 1K blocks first.

What each entry is comes from the file tree (the real home's files through lstat()),
or from the kernel's views: /run/netns holds nsfs mount points (`-r--r--r--`, size
0), /sys/class/net holds symlinks into /sys/devices/virtual/net, /proc files read as
size 0. Times are the host's clock now (the tree keeps no mtimes); transcripts mask
them (ipemu/transcript/mask.py)."""
from __future__ import annotations

import os
import posixpath
import stat
import time

from ipemu.plainclass import dataclass

# the recording image's /var/run link (base-files' install time: 2025-05-20)
VAR_RUN_MTIME = 1747699200.0
BLOCK = 4096          # ext4 and tmpfs: a non-empty small file takes one 4K block


@dataclass
class LongEntry:
    """What one line shows (struct fileinfo's stat fields that ls -l reads)."""
    name: str
    kind: str              # filetype letter: '-', 'd', 'l'
    mode: int              # permission bits
    nlink: int
    size: int
    blocks: int            # 1K blocks (st_blocks / 2)
    target: str | None = None
    mtime: float | None = None     # st_mtime when known (the box's program files)
    target_kind: str | None = None     # what a link leads to (-F's indicator), if known


def type_indicator(kind: str | None, mode: int) -> str:
    """ls.c print_type_indicator() with -F (indicator_style classify): `/` for a
    directory, `@` for a link, `|` a fifo, `=` a socket, `*` an executable file."""
    if kind == "d":
        return "/"
    if kind == "l":
        return "@"
    if kind == "p":
        return "|"
    if kind == "s":
        return "="
    return "*" if kind == "-" and mode & 0o111 else ""


# the init namespaces' inode numbers (include/linux/proc_ns.h PROC_*_INIT_INO) for the
# namespaces ipemu does not make anew: only the network namespace has its own
PROC_INIT_INO = {"ipc": 0xEFFFFFFF, "uts": 0xEFFFFFFE, "user": 0xEFFFFFFD,
                 "pid": 0xEFFFFFFC, "cgroup": 0xEFFFFFFB, "time": 0xEFFFFFFA,
                 "mnt": 0xEFFFFFF9}


def proc_ns_target(ctx, path: str) -> str | None:
    """proc_ns_readlink() of /proc/PID/ns/NAME: `TYPE:[INODE]` (pid_for_children is
    a `pid:` link, time_for_children a `time:` one); None for any other path."""
    import re
    found = re.fullmatch(r"/proc/(self|thread-self|\d+)/ns/(\w+)", path)
    if found is None or found.group(2) not in ("net", "pid_for_children",
                                               "time_for_children", *PROC_INIT_INO):
        return None
    if found.group(2) == "net":
        from ipemu.tools.textmore import _ns_link
        return _ns_link(ctx, path)
    kind = found.group(2).replace("_for_children", "")
    return f"{kind}:[{PROC_INIT_INO[kind]}]"


def entry_of(session, ctx, path: str, name: str) -> LongEntry:
    """The stat fields of `path` shown under `name`."""
    fs = session.fs
    real = fs.real_path(path)
    if real is not None:
        st = os.lstat(real)
        kind = "d" if stat.S_ISDIR(st.st_mode) else "l" if stat.S_ISLNK(st.st_mode) else "-"
        return LongEntry(name, kind, st.st_mode & 0o7777, st.st_nlink, st.st_size,
                         st.st_blocks // 2, os.readlink(real) if kind == "l" else None)
    from ipemu.tools import progfiles
    program = progfiles.lstat(path)
    if program is not None:
        kind, mode, size, mtime, target = program
        return LongEntry(name, kind, mode, 1, size,
                         0 if kind == "l" else -(-size // BLOCK) * (BLOCK // 1024),
                         target or None, mtime)
    if path == "/var/run":
        # Debian's /var/run is a link to /run (recorded: `lrwxrwxrwx ... 4 ... /var/run
        # -> /run`)
        return LongEntry(name, "l", 0o777, 1, 4, 0, "/run", VAR_RUN_MTIME)
    if path.startswith("/var/run/"):
        path = path[len("/var"):]      # Debian's /var/run is a link to /run
    if path == "/run":
        # a tmpfs (the recorder mounts one): no blocks, BOGO_DIRENT_SIZE (20) per
        # entry with `.` and `..`, netns (netns_add() mkdirs it) among them
        subdirs = {d for d in fs.dirs if posixpath.dirname(d) == "/run" and d != "/run"}
        entries = subdirs | {p for p in fs.files if posixpath.dirname(p) == "/run"}
        entries.add("/run/netns")
        return LongEntry(name, "d", 0o755, 2 + len(subdirs | {"/run/netns"}),
                         20 * (len(entries) + 2), 0)
    parent, base = posixpath.split(path)
    target = proc_ns_target(ctx, path)
    if target is not None:
        # proc_ns_dir_operations: each entry a magic link, size 0 (recorded:
        # `lrwxrwxrwx 1 root root 0 ... net -> net:[4026532...]`)
        return LongEntry(name, "l", 0o777, 1, 0, 0, target)
    if fs.is_link(path):
        # lstat() of an `ln -s` link: its size is the target's length
        where = f"{fs.follow(parent).rstrip('/')}/{base}"
        target = fs.links[where]
        return LongEntry(name, "l", 0o777, 1, len(target.encode()), 0, target)
    if path in ("/run/netns", "/var/run/netns"):
        # a tmpfs directory (netns_add() mkdirs it under /run): no blocks, a size of
        # BOGO_DIRENT_SIZE (20) per entry, `.` and `..` included
        links = {p for p in fs.links if p.startswith("/run/netns/")}
        files = {p for p in fs.files if posixpath.dirname(p) == "/run/netns"}
        named = len({ns_name for ns_name in session.host.namespaces if ns_name} |
                    {p[len("/run/netns/"):] for p in links | files})
        return LongEntry(name, "d", 0o755, 2, 20 * (named + 2), 0)
    if parent == "/run/netns" and path in fs.files:
        # a plain file (touch; the empty file an nsfs mount leaves when unmounted,
        # mode 0: ipemu/tools/umount.py)
        return LongEntry(name, "-", fs.mode(path), 1, len(fs.files[path]), 0)
    if parent in ("/run/netns", "/var/run/netns"):
        return LongEntry(name, "-", 0o444, 1, 0, 0)          # nsfs: the namespace's inode
    if parent == "/sys/class/net":
        # sysfs: class links into the devices tree (virtual devices: devices/virtual/net)
        return LongEntry(name, "l", 0o777, 1, 0, 0, f"../../devices/virtual/net/{base}")
    if fs.is_dir(path):
        subdirs = sum(1 for d in fs.dirs if posixpath.dirname(d) == path and d != path)
        return LongEntry(name, "d", fs.mode(path), 2 + subdirs, BLOCK, BLOCK // 1024)
    if fs.is_fifo(path):
        return LongEntry(name, "p", fs.mode(path), 1, 0, 0)     # a pipe's size is 0
    if path in fs.files:
        size = len(fs.files[path])
        return LongEntry(name, "-", fs.mode(path), 1, size,
                         -(-size // BLOCK) * (BLOCK // 1024))
    if path.startswith("/sys/"):
        from ipemu import procfs
        found = procfs.sysfs_entry(ctx.netns, path)
        if found is not None:
            kind, mode, target = found
            # sysfs: an attribute says PAGE_SIZE, a directory and a link 0
            return LongEntry(name, kind, mode,
                             procfs.sysfs_nlink(ctx.netns, path) if kind == "d" else 1,
                             4096 if kind == "-" else 0, 0, target)
    if path.startswith("/run/netns") or path.startswith("/var/run/netns") or \
            path.startswith("/sys/") or path.startswith("/proc/"):
        if _is_view_dir(session, ctx, path):
            return LongEntry(name, "d", 0o555, 1, 0, 0)
        sysctl_mode = proc_sys_mode(ctx.netns, path)
        if sysctl_mode is not None:
            return LongEntry(name, "-", sysctl_mode, 1, 0, 0)
        # a sysfs attribute says PAGE_SIZE (sysfs_add_file_mode_ns()); /proc says 0
        return LongEntry(name, "-", 0o444, 1, 4096 if path.startswith("/sys/") else 0, 0)
    return LongEntry(name, "-", 0o644, 1, 0, 0)


def proc_sys_mode(netns, path: str) -> int | None:
    """The permission bits of a /proc/sys file (proc_sys_make_inode(): the table's
    mode): 0200 for the write-only route flush files, 0444 for the read-only ones,
    0644 else; None for a path that is no sysctl."""
    if not path.startswith("/proc/sys/"):
        return None
    from ipemu.kernel.sysctl import read_only
    from ipemu.tools.sysctl import WRITE_ONLY, lookup
    key = path[len("/proc/sys/"):].rstrip("/").replace("/", ".")
    if key in WRITE_ONLY:
        return 0o200
    if key.startswith("net.ipv6.conf.") and key.endswith(".stable_secret"):
        return 0o600            # addrconf_sysctl[]'s stable_secret (recorded: -rw-------)
    try:
        if lookup(netns, key) is None:
            return None
    except (KeyError, ValueError):
        return None
    return 0o444 if read_only(key) else 0o644


def _is_view_dir(session, ctx, path: str) -> bool:
    from ipemu import procfs
    return procfs.is_view_dir(session.host, ctx.netns, path)


def filemodestring(kind: str, mode: int) -> str:
    """coreutils filemode.c: the type letter and rwx triplets, s/S t/T for the
    set-id and sticky bits."""
    out = [kind]
    for shift, special, letter in ((6, 0o4000, "s"), (3, 0o2000, "s"), (0, 0o1000, "t")):
        bits = (mode >> shift) & 7
        out.append("r" if bits & 4 else "-")
        out.append("w" if bits & 2 else "-")
        x = bool(bits & 1)
        if mode & special:
            out.append(letter if x else letter.upper())
        else:
            out.append("x" if x else "-")
    return "".join(out)


# quotearg.c: the characters that make shell_escape_quoting_style quote a name
# (`#` and `~` only at its start)
_SHELL_SPECIAL = frozenset(" \t\n!\"$&'()*;<=>?[\\^`|")


def shell_escape(name: str) -> str:
    """quotearg_buffer_restyled() in shell_escape_quoting_style, as ls uses it on a
    terminal: a name with a shell-special character in single quotes (recorded:
    `net -> 'net:[4026532462]'`); one holding a single quote and nothing else
    special in double quotes."""
    if not name or not (set(name) & _SHELL_SPECIAL or name[0] in "#~"):
        return name
    if "'" in name:
        if not set(name.replace("'", "")) & (_SHELL_SPECIAL - {"'"}):
            return f'"{name}"'
        return "'" + name.replace("'", "'\\''") + "'"
    return f"'{name}'"


def long_lines(entries: list[LongEntry], wall: float,
               sized: list[LongEntry] | None = None, classify: bool = False,
               tty: bool = False) -> str:
    """print_long_format() for each entry, the numeric columns right-aligned and the
    owner and group left-aligned to the widest of `sized` (default: the entries):
    gobble_file() widens them for every command-line operand, directories too, and
    clear_files() resets them only for a directory's listing."""
    if not entries:
        return ""
    # recent files (within six months): "%b %e %H:%M" in the C locale
    when = time.strftime("%b %e %H:%M", time.gmtime(wall))
    half_year = 31556952 // 2       # ls.c's six months (Gregorian year / 2)
    sized = sized or entries
    nlink_w = max(len(str(e.nlink)) for e in sized)
    size_w = max(len(str(e.size)) for e in sized)
    lines = []
    for e in entries:
        # print_name_with_quoting(): on a terminal a link's target is quoted on its
        # own (no padding: allow_pad is false for a symlink target)
        name = e.name if e.target is None else \
            f"{e.name} -> {shell_escape(e.target) if tty else e.target}"
        if classify:
            # print_long_format(): a link's indicator is its target's (linkmode)
            name += (type_indicator(e.target_kind, 0)
                     if e.kind == "l" else type_indicator(e.kind, e.mode))
        shown = when
        if e.mtime is not None:
            recent = wall - half_year < e.mtime <= wall
            shown = time.strftime("%b %e %H:%M" if recent else "%b %e  %Y",
                                  time.gmtime(e.mtime))
        lines.append(f"{filemodestring(e.kind, e.mode)} {e.nlink:>{nlink_w}} root root "
                     f"{e.size:>{size_w}} {shown} {name}\n")
    return "".join(lines)


def total_line(entries: list[LongEntry]) -> str:
    """A directory's `total`: its entries' 1K blocks (human_readable() of st_blocks)."""
    return f"total {sum(e.blocks for e in entries)}\n"
