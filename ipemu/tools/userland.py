"""The small commands a learner types on a real box, as Debian 12 prints them: bash's
builtins `cd`, `pwd`, `history`, `help`, and coreutils/debianutils/ncurses `ls`,
`which`, `clear`. Recorded in tmux on the real machine (tests/data/shell/).

`help` is ipemu's own: bash's `help` lists 46 lines of builtins, most of which do
nothing here (`coproc`, `select`, `ulimit`...); a learner who types `help` on a
training box wants to know what this box can do, one line each. `help NAME` says what
NAME is here.
"""
from __future__ import annotations

import errno
import os
import posixpath

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.userland_tools import TOOLS34, TOOLS35, TOOLS36, TOOLS37, TOOLS38, TOOLS45

# `clear` with TERM=xterm (ncurses 6.4: home, erase display, erase scrollback)
CLEAR = "\x1b[H\x1b[2J\x1b[3J"

# where Debian 12 keeps each program (`which` on the recording machine; root's PATH
# puts /usr/sbin before /usr/bin)
PATHS = {
    "ip": "/usr/sbin/ip", "bridge": "/usr/sbin/bridge", "route": "/usr/sbin/route",
    "tc": "/usr/sbin/tc",
    "sysctl": "/usr/sbin/sysctl", "traceroute": "/usr/sbin/traceroute",
    "traceroute6": "/usr/bin/traceroute6", "arping": "/usr/bin/arping",
    "tcptraceroute": "/usr/sbin/tcptraceroute",
    "arp": "/usr/sbin/arp", "ipmaddr": "/usr/sbin/ipmaddr", "ifconfig": "/usr/sbin/ifconfig", "netstat": "/usr/bin/netstat",
    "nameif": "/usr/sbin/nameif",
    # iproute2's other programs
    "genl": "/usr/sbin/genl", "arpd": "/usr/sbin/arpd", "rtacct": "/usr/sbin/rtacct",
    "devlink": "/usr/sbin/devlink", "rdma": "/usr/bin/rdma",
    "rtmon": "/usr/sbin/rtmon", "lnstat": "/usr/bin/lnstat", "ctstat": "/usr/bin/ctstat",
    "rtstat": "/usr/bin/rtstat", "nstat": "/usr/bin/nstat", "routel": "/usr/bin/routel",
    "curl": "/usr/bin/curl", "wget": "/usr/bin/wget",
    "ssh": "/usr/bin/ssh", "scp": "/usr/bin/scp", "sudo": "/usr/bin/sudo", "su": "/usr/bin/su",
    "nohup": "/usr/bin/nohup", "whereis": "/usr/bin/whereis",
    "tracepath": "/usr/bin/tracepath", "ss": "/usr/bin/ss",
    "ping": "/usr/bin/ping", "ping4": "/usr/bin/ping4", "ping6": "/usr/bin/ping6",
    "tcpdump": "/usr/bin/tcpdump", "sleep": "/usr/bin/sleep",
    "echo": "/usr/bin/echo", "cat": "/usr/bin/cat", "grep": "/usr/bin/grep",
    "head": "/usr/bin/head", "tail": "/usr/bin/tail", "wc": "/usr/bin/wc",
    "hostname": "/usr/bin/hostname", "dnsdomainname": "/usr/bin/dnsdomainname",
    "domainname": "/usr/bin/domainname", "nisdomainname": "/usr/bin/nisdomainname",
    "ypdomainname": "/usr/bin/ypdomainname", "ls": "/usr/bin/ls", "clear": "/usr/bin/clear",
    "timeout": "/usr/bin/timeout", "taskset": "/usr/bin/taskset", "stdbuf": "/usr/bin/stdbuf", "true": "/usr/bin/true", "false": "/usr/bin/false",
    "kill": "/usr/bin/kill", "pwd": "/usr/bin/pwd", "which": "/usr/bin/which",
}
# the userland of issue 18 (tools/userland_tools.py), all in /usr/bin on Debian 12
PATHS.update({name: f"/usr/bin/{name}" for name in (
    "printf", "sed", "awk", "mawk", "cut", "sort", "uniq", "tr", "egrep", "fgrep",
    "seq", "tee", "basename", "dirname", "chmod", "mkdir", "rmdir", "touch", "truncate", "mkfifo", "unlink", "ln", "rm",
    "cp", "mv", "xargs", "env", "date", "jq", "id", "whoami", "uname", "nproc", "printenv",
    "paste", "rev", "tac", "nl", "fold", "base64", "md5sum", "sha1sum", "sha256sum",
    "sha512sum", "expr", "readlink", "realpath", "mktemp", "nsenter", "find", "make",
    "systemctl", "hostnamectl", "timedatectl", "journalctl", "networkctl", "su", "getent",
    "od", "xxd", "hexdump", "arch", "lsb_release", "python3", "tty", "stty", "tput",
    "numfmt", "bc")})
# tools34's small host tools (userland_tools.TOOLS34), all in /usr/bin
PATHS.update({name: f"/usr/bin/{name}" for names in TOOLS34.values() for name in names})
# tools35's (userland_tools.TOOLS35): /usr/bin too, on a merged-/usr Debian 12
PATHS.update({name: f"/usr/bin/{name}" for names in TOOLS35.values() for name in names})
PATHS.update({name: f"/usr/bin/{name}" for names in TOOLS36.values() for name in names})
PATHS.update({name: f"/usr/bin/{name}" for names in TOOLS37.values() for name in names})
PATHS.update({name: f"/usr/bin/{name}" for names in TOOLS38.values() for name in names})
PATHS.update({name: f"/usr/bin/{name}" for names in TOOLS45.values() for name in names})
PATHS["service"] = "/usr/sbin/service"
PATHS["lsof"] = "/usr/bin/lsof"
# the recording machine's docker CLI, installed by hand (no daemon: tools/docker.py)
PATHS["docker"] = "/usr/local/bin/docker"
PATHS.update({name: f"/usr/sbin/{name}" for name in (
    "mii-tool", "iptunnel", "nameif", "rarp", "plipconfig", "slattach")})

# ipemu's `help`: what this box runs, one line each
SUMMARY = [
    ("ip", "devices, addresses, routes, neighbours, netns"),
    ("ping", "send ICMP echo requests (iputils)"),
    ("traceroute", "the routers on the way to a host"),
    ("tracepath", "the routers and the path MTU to a host"),
    ("tcpdump", "capture packets (-i DEV -n, -w/-r FILE)"),
    ("route", "the routing table, net-tools style (route -n)"),
    ("bridge", "bridge ports (bridge link)"),
    ("tc", "traffic control (netem delay/loss, tbf, htb)"),
    ("sysctl", "kernel parameters (net.ipv4.ip_forward)"),
    ("cat grep head tail wc echo", "text of files and pipes"),
    ("printf sed awk cut sort tr", "more text tools (uniq, seq, tee too)"),
    ("xargs env date", "commands from input, environment, time"),
    ("mkdir touch rm cp mv", "files (ln, truncate, basename, dirname too)"),
    ("ls cd pwd which hostname clear", "around the host"),
    ("id whoami uname nproc printenv", "who and what this host is"),
    ("paste tac rev nl fold expr", "still more text tools (base64, md5sum too)"),
    ("readlink realpath mktemp", "paths and temporary files"),
    ("nsenter", "a command in a netns (--net=/run/netns/NS CMD)"),
    ("sleep timeout true false", "time and exit statuses"),
    ("jobs fg bg kill wait", "job control (CMD &, Ctrl-Z, Ctrl-C)"),
    ("history", "the lines you typed (kept across runs)"),
    ("exit logout", "leave (or Ctrl-D)"),
]


def main(ctx: ToolContext, argv: list[str]) -> int:
    return COMMANDS[argv[0]](ctx, argv[1:])


# -------------------------------------------------------------------- clear
def _clear(ctx: ToolContext, args: list[str]) -> int:
    ctx.term.out(CLEAR)
    return 0


# ------------------------------------------------------------------ pwd, cd
def _pwd(ctx: ToolContext, args: list[str]) -> int:
    ctx.term.out(ctx.session.cwd + "\n")
    return 0


def _cd(ctx: ToolContext, args: list[str]) -> int:
    """bash's cd_builtin(): no operand is $HOME, `-` is $OLDPWD (printed), `~` the home."""
    session = ctx.session
    if len(args) > 1:
        raise CommandError("bash: cd: too many arguments\n", 1)
    target = args[0] if args else "~"
    show = False
    if target == "-":
        old = session.env.get("OLDPWD")
        if old is None:
            raise CommandError("bash: cd: OLDPWD not set\n", 1)
        target, show = old, True
    if target == "~" or target.startswith("~/"):
        target = session.fs.home + target[1:]
    path = session.fs.resolve(target, session.cwd)
    from ipemu import procfs     # here: bash's PATH lookup imports this module
    if not session.fs.is_dir(path) and not procfs.is_view_dir(session.host, ctx.netns, path):
        shell = getattr(session, "tool_shell", None)
        if getattr(shell, "dash", False):
            # dash's cdcmd(): `cd: can't cd to DIR`, status 2
            raise CommandError(f"bash: cd: can't cd to {args[0] if args else target}\n", 2)
        reason = "Not a directory" if _exists(session, path) else "No such file or directory"
        raise CommandError(f"bash: cd: {args[0] if args else target}: {reason}\n", 1)
    session.env["OLDPWD"] = session.cwd
    session.cwd = path
    if show:
        ctx.term.out(path + "\n")
    return 0


def _exists(session, path: str) -> bool:
    if session.fs.is_link(path):
        return True             # lstat(): a link is there, even one to nothing
    try:
        session.fs.read(path)
    except IsADirectoryError:
        return True
    except OSError:
        return False
    return True


# ----------------------------------------------------------------------- ls
def _entries(session, path: str, hidden: bool, dots: bool = False) -> list[str]:
    """The names in a directory: the real one behind the home, else the simulated
    tree's files and directories under it; `.` and `..` too with `dots` (-a)."""
    fs = session.fs
    path = fs.follow(path)
    real = fs.real_path(path)
    if real is not None:
        names = os.listdir(real)
    else:
        prefix = path.rstrip("/") + "/"
        names = {p[len(prefix):] for p in [*fs.files, *fs.dirs, *fs.links]
                 if p.startswith(prefix) and p != prefix and "/" not in p[len(prefix):]}
    if dots:
        names = list(names) + [".", ".."]
    return sorted(n for n in names if hidden or not n.startswith("."))


def _ls(ctx: ToolContext, args: list[str]) -> int:
    from ipemu.tools.ls_long import proc_ns_target
    session = ctx.session
    hidden = dots = long = as_file = recursive = classify = False
    one = not session.stdout_tty
    operands = []
    dashdash = False
    for arg in args:
        if arg == "--" and not dashdash:
            dashdash = True     # the end of the options; what follows is a name
            continue
        if dashdash:
            operands.append(arg)
            continue
        if arg in ("--color=never", "--color=no", "--color=none") or \
                (arg in ("--color=auto", "--color=tty", "--color=if-tty") and not
                 session.stdout_tty):
            continue        # ls.c's color_args: no colours asked for, none printed
        # getopt_long() permutes: an option after a name is still an option
        if arg.startswith("-") and len(arg) > 1:
            for ch in arg[1:]:
                if ch not in "1aACldRF":
                    raise CommandError(f"ls: invalid option -- '{ch}'\n"
                                       "Try 'ls --help' for more information.\n", 2)
                hidden |= ch in "aA"
                # -a and -A set ls.c's ignore_mode: the last one given wins
                dots = ch == "a" if ch in "aA" else dots
                long |= ch == "l"
                as_file |= ch == "d"
                recursive |= ch == "R"
                classify |= ch == "F"
                one = ch == "1" if ch in "1C" else one
        else:
            operands.append(arg)
    status = 0
    files, dirs = [], []
    from ipemu import procfs
    from ipemu.tools import progfiles
    for name in operands or ["."]:
        path = session.fs.resolve(name, session.cwd)
        program = progfiles.lstat(path)
        if program is not None and (long or as_file or program[0] != "l" or
                                    progfiles.follow(path) not in progfiles.MERGED.values()):
            files.append(name)  # a program file, or a link (to a directory: with -l/-d)
            continue
        if as_file:           # -d: a directory is listed as itself
            if _exists(session, path) or session.fs.is_dir(path) or \
                    (name.endswith("/") and procfs._canonical(path) == "/run") or \
                    procfs.is_view_dir(session.host, ctx.netns, path) or \
                    _is_view(session, ctx, path):
                files.append(name)
            else:
                ctx.term.err(f"ls: cannot access '{name}': No such file or directory\n")
                status = 2
            continue
        # -l and -F set dereference to DEREF_NEVER (ls.c main())
        if (long or classify) and not name.endswith("/") and (
                session.fs.is_link(path) or proc_ns_target(ctx, path) is not None or
                                                path == "/var/run" or (
                posixpath.dirname(path) == "/sys/class/net"
                and procfs.is_view_dir(session.host, ctx.netns, path)) or (
                path.startswith("/sys/class/net/")
                and (procfs.sysfs_entry(ctx.netns, path) or ("",))[0] == "l")):
            # (a device's master, brport/bridge, brif/PORT, lower_X links too)
            files.append(name)      # -l shows a command-line symlink itself (no -H/-L)
            continue
        if session.fs.links:
            try:
                path = session.fs.follow(path)      # what an `ln -s` link names
            except OSError:
                pass
        try:
            # the kernel's views first (/sys/class/net, /proc/net, /run/netns)
            listing = procfs.listdir(session.host, ctx.netns, path)
        except OSError as err:
            if err.errno == errno.ENOTDIR:
                files.append(name)
            else:
                ctx.term.err(f"ls: cannot access '{name}': No such file or directory\n")
                status = 2
            continue
        if listing is None and procfs._canonical(path) == "/run":
            # the recorder's tmpfs /run holds netns (netns_add() mkdirs it) and what
            # was made there
            listing = sorted({posixpath.basename(p) for p in (*session.fs.dirs,
                                                             *session.fs.files)
                              if posixpath.dirname(p) == "/run" and p != "/run"} |
                             {"netns"})
            if not hidden:
                listing = [n for n in listing if not n.startswith(".")]
        if listing is not None and procfs._canonical(path) == "/run/netns":
            from ipemu.tools.netns_links import netns_files, netns_links
            # `ln -s` names and plain files (touch) too
            listing = sorted(set(listing) | set(netns_links(ctx)) | set(netns_files(ctx)))
        if listing is not None:
            dirs.append((name, sorted([*listing, ".", ".."] if dots else listing)))
        elif session.fs.is_dir(path):
            dirs.append((name, _entries(session, path, hidden, dots)))
        elif _exists(session, path) or _is_view(session, ctx, path):
            files.append(name)
        else:
            ctx.term.err(f"ls: cannot access '{name}': No such file or directory\n")
            status = 2
    # ls.c sorts the directory operands as it sorts files (by name) before listing
    # them (recorded: `ls .../lo/queues .../br0/queues` lists br0's first)
    dirs.sort(key=lambda d: d[0].encode("utf-8", "surrogateescape"))
    if recursive and not as_file:
        dirs = [d for name, names in dirs for d in _recurse(ctx, name, names, hidden, dots)]
    width = session.columns or 80
    blocks = []
    if files:
        blocks.append(_long_files(ctx, sorted(files), [n for n, _ in dirs], classify) if long
                      else _layout(_classified(ctx, sorted(files), None, classify), one,
                                   width))
    for name, names in dirs:
        head = f"{name}:\n" if len(operands) > 1 or files or recursive else ""
        blocks.append(head + (_long_dir(ctx, name, names, classify) if long
                              else _layout(_classified(ctx, names, name, classify), one,
                                           width)))
    ctx.term.out("\n".join(blocks))
    return status


def _recurse(ctx: ToolContext, name: str, names: list[str], hidden: bool,
             dots: bool) -> list[tuple[str, list[str]]]:
    """ls -R: a directory, then each subdirectory (not a link to one) depth first in
    name order, named by file_name_concat() ("./a", "a/b" for "a/")."""
    session = ctx.session
    found = [(name, names)]
    base = session.fs.resolve(name, session.cwd)
    for entry in names:
        if entry in (".", ".."):
            continue
        path = session.fs.resolve(entry, base)
        if session.fs.is_link(path) or not session.fs.is_dir(path):
            continue
        sub = name + entry if name.endswith("/") else f"{name}/{entry}"
        found += _recurse(ctx, sub, _entries(session, path, hidden, dots), hidden, dots)
    return found


def _classified(ctx: ToolContext, names: list[str], directory: str | None,
                classify: bool) -> list[str]:
    """ls -F without -l: each name with its type indicator (print_type_indicator(),
    counted in the column widths as length_of_file_name_and_frills() counts it)."""
    if not classify:
        return names
    from ipemu.procfs import _canonical
    from ipemu.tools.ls_long import entry_of, type_indicator
    session = ctx.session
    base = session.cwd if directory is None else session.fs.resolve(directory, session.cwd)
    out = []
    for n in names:
        path = session.fs.resolve(n, _canonical(base) if n in (".", "..") else base)
        entry = entry_of(session, ctx, path, n)
        if directory is None and entry.kind == "l" and n.endswith("/"):
            out.append(n)       # a command-line link to a directory, followed
            continue
        out.append(n + type_indicator(entry.kind, entry.mode))
    return out


def _link_targets(ctx: ToolContext, entries: list, base: str) -> None:
    """-F with -l: what each link leads to (f->linkmode), for the indicator after
    its target."""
    from ipemu import procfs
    session = ctx.session
    for entry in entries:
        if entry.kind == "l" and entry.target:
            where = session.fs.resolve(entry.target, base)
            if session.fs.is_dir(where) or procfs.is_view_dir(session.host, ctx.netns,
                                                               where) or \
                    procfs._canonical(where) == "/run":
                entry.target_kind = "d"


def _long_files(ctx: ToolContext, names: list[str], dir_names: list[str],
                classify: bool = False) -> str:
    """ls -l of file operands: their lines, no total, the columns as wide as every
    operand's (the directories listed after them too)."""
    from ipemu.tools.ls_long import entry_of, long_lines
    session = ctx.session
    from ipemu.procfs import _canonical
    # a name ending in '/' is what it leads to (`ls -ld /var/run/`: the directory)
    entries = [entry_of(session, ctx, (_canonical if n.endswith("/") else str)(
        session.fs.resolve(n, session.cwd)), n) for n in names]
    for i, (entry, n) in enumerate(zip(entries, names)):
        if entry.kind == "l" and (n.endswith("/") or n.endswith("/.")):
            # `ls -ld /sys/class/net/eth0/`: the directory the link leads to
            from ipemu.tools.textmore import _canonical as _followed
            where = _followed(ctx, session.fs.resolve(n, session.cwd), "e")
            if where is not None:
                entries[i] = entry_of(session, ctx, where, n)
    others = [entry_of(session, ctx, session.fs.resolve(n, session.cwd), n) for n in dir_names]
    if classify:
        _link_targets(ctx, entries, session.cwd)
    return long_lines(entries, ctx.host.clock.wall, entries + others, classify,
                      session.stdout_tty)


def _long_dir(ctx: ToolContext, name: str, names: list[str], classify: bool = False) -> str:
    """ls -l of a directory: its total of 1K blocks, then a line for each entry."""
    from ipemu.tools.ls_long import entry_of, long_lines, total_line
    session = ctx.session
    from ipemu.procfs import _canonical
    base = session.fs.resolve(name, session.cwd)
    # `.` and `..` are the directory's own (/var/run/netns/.. is /run, not /var)
    entries = [entry_of(session, ctx, session.fs.resolve(n, _canonical(base) if n in
                                                         (".", "..") else base), n)
               for n in names]
    for i, entry in enumerate(entries):
        if entry.name in (".", "..") and entry.kind == "l":
            # the directory a link led to (`ls -la /sys/class/net/eth0/`: `.` is
            # /sys/devices/virtual/net/eth0, a directory)
            from ipemu.tools.textmore import _canonical as _followed
            where = _followed(ctx, session.fs.resolve(entry.name, base), "e")
            if where is not None:
                entries[i] = entry_of(session, ctx, where, entry.name)
    if classify:
        _link_targets(ctx, entries, base)
    return total_line(entries) + long_lines(entries, ctx.host.clock.wall, classify=classify,
                                            tty=session.stdout_tty)


def _is_view(session, ctx: ToolContext, path: str) -> bool:
    """A file of the kernel's views (it reads, or fails as a file does)."""
    from ipemu import procfs
    from ipemu.tools.ls_long import proc_sys_mode
    if proc_sys_mode(ctx.netns, path) is not None:
        return True                 # a sysctl file (read by session.read_text())
    try:
        return procfs.read(session.host, ctx.netns, path) is not None
    except OSError as err:
        return err.errno == errno.EINVAL


def _layout(names: list[str], one: bool, width: int) -> str:
    if one:
        return "".join(n + "\n" for n in names)
    return many_per_line(names, width)


def many_per_line(names: list[str], line_length: int, tabsize: int = 8) -> str:
    """GNU ls -C: calculate_columns(by_columns) and print_many_per_line(), padding with
    indent() (tabs where a tab stop is reached, as coreutils 9.1 does with tabsize 8)."""
    n = len(names)
    if not n:
        return ""
    max_cols = min(max(1, line_length // 3), n)
    col_arrs = [[0] * (i + 1) for i in range(max_cols)]
    line_len = [0] * max_cols
    valid = [True] * max_cols
    for filesno, name in enumerate(names):
        for i in range(max_cols):
            if not valid[i]:
                continue
            idx = filesno // ((n + i) // (i + 1))
            real = len(name) + (0 if idx == i else 2)
            if col_arrs[i][idx] < real:
                line_len[i] += real - col_arrs[i][idx]
                col_arrs[i][idx] = real
                valid[i] = line_len[i] < line_length
    cols = max_cols
    while cols > 1 and not valid[cols - 1]:
        cols -= 1
    widths = col_arrs[cols - 1]
    rows = n // cols + (n % cols != 0)
    out = []
    for row in range(rows):
        filesno, pos, col = row, 0, 0
        while True:
            name = names[filesno]
            out.append(name)
            most = widths[col]
            col += 1
            filesno += rows
            if filesno >= n:
                break
            out.append(_indent(pos + len(name), pos + most, tabsize))
            pos += most
        out.append("\n")
    return "".join(out)


def _indent(start: int, to: int, tabsize: int) -> str:
    text = []
    while start < to:
        if tabsize and to // tabsize > (start + 1) // tabsize:
            text.append("\t")
            start += tabsize - start % tabsize
        else:
            text.append(" ")
            start += 1
    return "".join(text)


# -------------------------------------------------------------------- which
def _which(ctx: ToolContext, args: list[str]) -> int:
    """debianutils 5.7's which (a dash script): `getopts a`, then the path of each
    program (-a: every PATH entry's); 1 when one is missing (or none is given)."""
    flags, args = _which_options(args)
    if isinstance(flags, str):
        # debianutils 5.7: `getopts a`; dash's getopts names the letter on stderr
        ctx.term.err(f"Illegal option -{flags}\n")
        ctx.term.out("Usage: /usr/bin/which [-a] args\n")
        return 2
    status = 0 if args else 1
    from ipemu.tools.xargs import environment
    path = environment(ctx).get("PATH", "")
    if path.endswith(":") and not path.endswith("::"):
        path += ":"     # `case $PATH in (*[!:]:) PATH="$PATH:"`: a trailing empty entry
    dirs = path.split(":")
    if dirs and dirs[-1] == "":
        dirs.pop()      # dash's field splitting drops the last empty field
    for name in args:
        found = _which_one(ctx, name, dirs, "a" in flags)
        if not found:
            status = 1
        elif "s" not in flags:
            ctx.term.out("".join(f + "\n" for f in found))
    return status


def _which_options(args: list[str]) -> tuple[set[str] | str, list[str]]:
    """which's `getopts a`: leading -a clusters, `--` ends them; the first other
    letter is returned alone (its usage follows)."""
    flags: set[str] = set()
    while args and args[0].startswith("-") and args[0] != "-":
        word, args = args[0], args[1:]
        if word == "--":
            break
        for letter in word[1:]:
            if letter != "a":
                return letter, args
            flags.add(letter)
    return flags, args


def _which_one(ctx: ToolContext, name: str, dirs: list[str],
               every: bool = False) -> list[str]:
    """which's loop: a name with a slash as it is, else each PATH entry (empty: the
    working directory) holding an executable file of that name (the first only
    without -a)."""
    from ipemu.bash.programs import tool_for_path
    from ipemu.tools import progfiles
    fs = ctx.session.fs
    candidates = [name] if "/" in name else \
        [f"{d or '.'}/{name}" if d != "/" else f"/{name}" for d in dirs]
    found = []
    for path in candidates:
        full = fs.resolve(path, ctx.session.cwd)
        base = name.rsplit("/", 1)[-1]
        if tool_for_path(full) == base or progfiles.is_program_file(full) or \
                (base in ("bash", "sh", "dash") and
                 full in (f"/usr/bin/{base}", f"/bin/{base}")) or \
                (fs.exists(full) and not fs.is_dir(full) and fs.is_executable(full)):
            found.append(path)
            if not every:
                break
    return found


# ------------------------------------------------------------------ history
def _history(ctx: ToolContext, args: list[str]) -> int:
    """bash's history builtin: `%5d  %s` per line; `history N` the last N."""
    lines = list(ctx.session.history or [])
    if args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        return _history_options(ctx, args, lines)
    if args and args[0] == "--":
        args = args[1:]
    if args:
        if not args[0].isdigit():
            raise CommandError(f"bash: history: {args[0]}: numeric argument required\n", 1)
        start = max(0, len(lines) - int(args[0]))
    else:
        start = 0
    ctx.term.out("".join(f"{i + 1:5d}  {lines[i]}\n" for i in range(start, len(lines))))
    return 0


HISTORY_USAGE = ("history: usage: history [-c] [-d offset] [n] or history -anrw [filename] "
                 "or history -ps arg [arg...]\n")


def _history_options(ctx: ToolContext, args: list[str], lines: list) -> int:
    """history.def's options: -c clears, -d OFFSET deletes (`history position out of
    range` past the list), -a -n -r -w read or write the history file, -s adds a
    line, -p prints its arguments (after history expansion: none here)."""
    from ipemu.tools.printf import _prefix
    opts = ""
    while args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        opt = args.pop(0)
        for letter in opt[1:]:
            if letter not in "cdanrwsp":
                raise CommandError(f"{_prefix(ctx)}history: -{letter}: invalid option\n"
                                   + HISTORY_USAGE, 2)
            opts += letter
            if letter == "d":
                if not args:
                    raise CommandError(f"{_prefix(ctx)}history: -d: option requires an "
                                       f"argument\n{HISTORY_USAGE}", 2)
                offset = args.pop(0)
                if not offset.lstrip("-").isdigit() or not 1 <= abs(int(offset)) <= len(lines):
                    raise CommandError(f"{_prefix(ctx)}history: {offset}: history position "
                                       "out of range\n", 1)
                del ctx.session.history[int(offset) - 1 if int(offset) > 0 else int(offset)]
    if args and args[0] == "--":
        args = args[1:]
    if "p" in opts:
        ctx.term.out("".join(a + "\n" for a in args))
    if "c" in opts and ctx.session.history:
        ctx.session.history.clear()
    return 0


# --------------------------------------------------------------------- help
def _help(ctx: ToolContext, args: list[str]) -> int:
    if args and args[0] != "ipemu":
        known = {word: what for names, what in SUMMARY for word in names.split()}
        name = args[0]
        from ipemu.shell.complete import grammar_help
        listing = grammar_help(args, ctx.session)      # the tool's grammar/*.lark
        if listing is not None and (name in known or len(args) > 1):
            ctx.term.out((f"{name}: {known[name]}\n" if name in known else "") + listing)
            return 0
        if name not in known:
            raise CommandError(f"bash: help: no help topics match `{name}'.  Try `help help'"
                               f" or `man -k {name}' or `info {name}'.\n", 1)
        ctx.term.out(f"{name}: {known[name]}\n")
        return 0
    width = max(len(names) for names, _ in SUMMARY)
    lines = ["ipemu: a simulated Linux host (Debian 12). These commands work here;\n"
             "`ip help`, `ip link help` and `CMD --help` say more.\n\n"]
    lines += [f"  {names:<{width}}  {what}\n" for names, what in SUMMARY]
    ctx.term.out("".join(lines))
    return 0


COMMANDS = {"clear": _clear, "pwd": _pwd, "cd": _cd, "ls": _ls, "which": _which,
            "history": _history, "help": _help}
