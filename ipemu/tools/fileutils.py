"""coreutils 9.1's mkdir, rmdir, touch, rm, cp and mv on the host's files (the
simulated tree, or the mapped home): their errors in coreutils' words and quotes
(mkdir quotes with ‘’ in a UTF-8 locale, rm/cp/mv with '')."""
from __future__ import annotations

import errno
import os
import posixpath
import re

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import getopt


def _try(tool: str) -> str:
    return f"Try '{tool} --help' for more information.\n"


def _path(ctx: ToolContext, name: str) -> str:
    return ctx.session.fs.resolve(name, ctx.session.cwd)


def _pseudo(ctx: ToolContext, path: str, op: str) -> None:
    """Raise what sysfs or procfs answer to making or unlinking `path` there
    (procfs.pseudo_errno(): EPERM, EACCES, ENOENT, EEXIST...)."""
    code = ctx.session._pseudo_errno(ctx.session._path(path), op, ctx.netns)
    if code:
        raise OSError(code, os.strerror(code))


def _view_text(ctx: ToolContext, path: str) -> str | None:
    """The text of a /sys or /proc view file, None when `path` is none (or not
    readable: cp then says what it says of a missing file)."""
    if not path.startswith(("/sys/", "/proc/")):
        return None
    try:
        return ctx.session.open_text(path, ctx.netns)
    except OSError:
        return None


def _netns_name(path: str) -> str | None:
    """NAME of /run/netns/NAME (or /var/run/netns/NAME), else None."""
    from ipemu.procfs import _canonical
    path = _canonical(path)
    name = path[len("/run/netns/"):] if path.startswith("/run/netns/") else ""
    return name if name and "/" not in name else None


def _netns_mount(ctx: ToolContext, path: str) -> bool:
    """/run/netns/NAME (or through /var/run) of a namespace `ip netns add` mounted."""
    from ipemu.tools.netns_links import netns_links
    name = _netns_name(path)
    return name is not None and name in ctx.host.namespaces and name not in netns_links(ctx)


def _netns_link_names(ctx: ToolContext) -> dict[str, str]:
    from ipemu.tools.netns_links import netns_links
    return netns_links(ctx)


def _ln_netns(ctx: ToolContext, target: str, link: str, name: str,
              letters: set[str]) -> int:
    """A symbolic link in /run/netns (a view directory): the name ip netns then lists
    and opens through it (tools/netns_links.py)."""
    from ipemu.tools.netns_links import NETNS_DIR, dir_event, forget_link, netns_links
    if name in netns_links(ctx):
        if "f" not in letters:
            ctx.term.err(f"ln: failed to create symbolic link '{link}': File exists\n")
            return 1
        forget_link(ctx, name)
        dir_event(ctx, "delete", name)      # -f: unlink() of the old one first
    ctx.session.fs.links[NETNS_DIR + name] = target
    dir_event(ctx, "add", name)
    from ipemu.tools.ip_netns import _newest
    _newest(ctx, name)          # a new dentry (-f unlinked the old one): the newest
    if "v" in letters:
        ctx.term.out(f"'{link}' -> '{target}'\n")
    return 0


def _missing(tool: str, names: list[str]) -> None:
    if not names:
        raise CommandError(f"{tool}: missing operand\n" + _try(tool), 1)


def mkdir(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = getopt(argv[1:], "m:pvZ", "mkdir", _try("mkdir"))
    parents = any(letter == "p" for letter, _ in opts)
    _missing("mkdir", names)
    fs = ctx.session.fs
    status = 0
    for name in names:
        path = _path(ctx, name)
        try:
            if parents:
                current = ""
                for part in path.strip("/").split("/"):
                    current += "/" + part
                    if fs.is_dir(current):
                        continue
                    if ctx.session._pseudo_errno(current, "mkdir", ctx.netns) == \
                            errno.EEXIST:
                        continue                # a directory of the views
                    try:
                        _pseudo(ctx, current, "mkdir")
                    except OSError:
                        # mkdir -p (mkancdirs) names the directory it could not make
                        if name.startswith("/"):
                            name = current
                        raise
                    fs.make_dir(current)
            else:
                _pseudo(ctx, path, "mkdir")
                fs.make_dir(path)
        except OSError as err:
            ctx.term.err(f"mkdir: cannot create directory ‘{name}’: {err.strerror}\n")
            status = 1
    return status


def rmdir(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = getopt(argv[1:], "pv", "rmdir", _try("rmdir"))
    _missing("rmdir", names)
    fs = ctx.session.fs
    status = 0
    for name in names:
        path = _path(ctx, name)
        try:
            _pseudo(ctx, path, "rmdir")
            if not fs.is_dir(path):
                code = errno.ENOTDIR if fs.exists(path) else errno.ENOENT
                raise OSError(code, os.strerror(code))
            if fs.listdir(path):
                raise OSError(errno.ENOTEMPTY, "Directory not empty")
            fs.remove_tree(path)
        except OSError as err:
            ctx.term.err(f"rmdir: failed to remove '{name}': {err.strerror}\n")
            status = 1
    return status


def touch(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = getopt(argv[1:], "acd:fhmr:t:", "touch", _try("touch"))
    no_create = any(letter == "c" for letter, _ in opts)
    _missing("touch", names)
    fs = ctx.session.fs
    status = 0
    for name in names:
        path = _path(ctx, name)
        if fs.exists(path) or no_create:
            continue
        ns_name = _netns_name(path)
        if ns_name is not None:
            # a plain file in the view directory /run/netns (a tmpfs): ip netns lists
            # it, and a namespace can be mounted on it (tools/netns_links.py)
            from ipemu.tools.netns_links import NETNS_DIR
            if not _netns_mount(ctx, path) and ns_name not in _netns_link_names(ctx):
                fs.files[NETNS_DIR + ns_name] = b""
                from ipemu.tools.netns_links import dir_event
                dir_event(ctx, "add", ns_name)
            continue
        try:
            if ctx.session._pseudo_errno(ctx.session._path(path), "create", ctx.netns) \
                    is not None and ctx.session._pseudo_errno(
                        ctx.session._path(path), "mkdir", ctx.netns) == errno.EEXIST:
                continue                # a file of the views: its times change
            _pseudo(ctx, path, "create")
            fs.write(path, b"")
        except OSError as err:
            ctx.term.err(f"touch: cannot touch '{name}': {err.strerror}\n")
            status = 1
    return status


# truncate.c's xstrtoimax() suffixes: a letter alone (or with iB) is a power of
# 1024, with B a power of 1000
_SIZE = re.compile(r"([-+<>/%]?)(\d+)(?:([kKMGTPEZY])(iB|B)?)?")
_POWERS = "KMGTPEZY"


def _size(text: str) -> tuple[str, int] | None:
    found = _SIZE.fullmatch(text)
    if found is None:
        return None
    how, digits, unit, tail = found.groups()
    value = int(digits)
    if unit:
        value *= (1000 if tail == "B" else 1024) ** (_POWERS.index(unit.upper()) + 1)
    return how, value


def _resized(how: str, size: int, old: int) -> int:
    """truncate.c's do_ftruncate(): the new length from the old one."""
    if how == "+":
        return old + size
    if how == "-":
        return max(old - size, 0)
    if how == "<":
        return min(old, size)
    if how == ">":
        return max(old, size)
    if how in ("/", "%"):
        rounded = old // size * size if size else old
        return rounded if how == "/" else (old if not size or old % size == 0
                                           else rounded + size)
    return size


def truncate(ctx: ToolContext, argv: list[str]) -> int:
    """coreutils 9.1 truncate -s SIZE [-c] FILE...: a missing file is made (unless
    -c), a longer one cut, a shorter one padded with NUL bytes."""
    from ipemu.tools import gnuopt
    opts, names = gnuopt.parse(argv[1:], "cor:s:", {
        "no-create": "c", "io-blocks": "o", "reference=": "r", "size=": "s"}, "truncate")
    letters = {letter for letter, _ in opts}
    sizes = [value for letter, value in opts if letter == "s"]
    if not sizes and "r" not in letters:
        raise CommandError("truncate: you must specify either ‘--size’ or ‘--reference’\n"
                           + _try("truncate"), 1)
    if not names:
        raise CommandError("truncate: missing file operand\n" + _try("truncate"), 1)
    wanted = _size(sizes[-1]) if sizes else ("", 0)
    if wanted is None:
        raise CommandError(f"truncate: Invalid number: ‘{sizes[-1]}’\n", 1)
    fs = ctx.session.fs
    status = 0
    for name in names:
        path = _path(ctx, name)
        if not fs.exists(path) and not fs.is_dir(path):
            if "c" in letters:
                continue
            old = b""
        else:
            try:
                old = fs.read(path)
            except OSError as err:
                ctx.term.err(f"truncate: cannot open '{name}' for writing: {err.strerror}\n")
                status = 1
                continue
        length = _resized(wanted[0], wanted[1], len(old))
        try:
            fs.write(path, old[:length] + b"\0" * (length - len(old)))
        except OSError as err:
            ctx.term.err(f"truncate: cannot open '{name}' for writing: {err.strerror}\n")
            status = 1
    return status


def ln(ctx: ToolContext, argv: list[str]) -> int:
    """coreutils 9.1 ln [-s] [-f] [-n] [-v] TARGET [LINK] / TARGET... DIR: -s makes a
    symbolic link holding TARGET as written; without -s a hard link, here a copy of
    the file with its mode (the simulated tree has no inodes)."""
    from ipemu.tools import gnuopt
    opts, names = gnuopt.parse(argv[1:], "bfinrsStTv", {
        "backup": "b", "force": "f", "interactive": "i", "no-dereference": "n",
        "relative": "r", "symbolic": "s", "target-directory=": "t",
        "no-target-directory": "T", "verbose": "v", "logical": "L", "physical": "P"}, "ln")
    letters = {letter for letter, _ in opts}
    if not names:
        raise CommandError("ln: missing file operand\n" + _try("ln"), 1)
    fs = ctx.session.fs
    if len(names) == 1:
        pairs = [(names[0], posixpath.basename(names[0].rstrip("/")) or names[0])]
    else:
        last = names[-1]
        into = fs.is_dir(_path(ctx, last)) and not ("n" in letters and fs.is_link(_path(ctx, last)))
        if len(names) > 2 and not into:
            what = "Not a directory" if fs.exists(_path(ctx, last)) else \
                "No such file or directory"
            ctx.term.err(f"ln: target '{last}': {what}\n")
            return 1
        pairs = [(t, f"{last.rstrip('/')}/{posixpath.basename(t.rstrip('/'))}" if into else last)
                 for t in names[:-1]]
    status = 0
    for target, link in pairs:
        status |= _ln_one(ctx, target, link, letters)
    return status


def _ln_one(ctx: ToolContext, target: str, link: str, letters: set[str]) -> int:
    fs = ctx.session.fs
    where = _path(ctx, link)
    kind = "symbolic link" if "s" in letters else "hard link"
    if "s" not in letters:
        source = _path(ctx, target)
        if fs.is_dir(source):
            ctx.term.err(f"ln: {target}: hard link not allowed for directory\n")
            return 1
        if not fs.exists(source):
            ctx.term.err(f"ln: failed to access '{target}': No such file or directory\n")
            return 1
    if _netns_mount(ctx, where):
        # `ip netns add`'s file is a mount point: symlinkat() says EEXIST, and -f's
        # rename over it EBUSY (force_symlinkat(), recorded)
        why = "Device or resource busy" if "f" in letters else "File exists"
        ctx.term.err(f"ln: failed to create {kind} '{link}': {why}\n")
        return 1
    name = _netns_name(where)
    if name is not None and "s" in letters:
        return _ln_netns(ctx, target, link, name, letters)
    if fs.exists(where) or fs.is_link(where):
        if "f" not in letters or fs.is_dir(where) and not fs.is_link(where):
            ctx.term.err(f"ln: failed to create {kind} '{link}': File exists\n")
            return 1
        fs.unlink(where)
    try:
        _pseudo(ctx, where, "mkdir")        # symlink(2) in sysfs: EPERM, as mkdir
        if "s" in letters:
            fs.symlink(target, where)
        else:
            fs.write(where, fs.read(_path(ctx, target)))
            fs.set_mode(where, fs.mode(_path(ctx, target)))
    except OSError as err:
        ctx.term.err(f"ln: failed to create {kind} '{link}': {err.strerror}\n")
        return 1
    if "v" in letters:
        arrow = "->" if "s" in letters else "=>"
        ctx.term.out(f"'{link}' {arrow} '{target}'\n")
    return 0


def rm(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = getopt(argv[1:], "dfiIrRv", "rm", _try("rm"))
    letters = {letter for letter, _ in opts}
    force = "f" in letters
    recursive = bool(letters & {"r", "R"})
    if not names:
        if force:
            return 0
        _missing("rm", names)
    fs = ctx.session.fs
    status = 0
    for name in names:
        path = _path(ctx, name)
        try:
            if _netns_mount(ctx, path):
                # unlink() of a mount point in this mount namespace (recorded)
                raise OSError(errno.EBUSY, "Device or resource busy")
            if _netns_name(path) in _netns_link_names(ctx):
                from ipemu.tools.netns_links import dir_event, forget_link
                forget_link(ctx, _netns_name(path))
                dir_event(ctx, "delete", _netns_name(path))
                continue
            if _netns_name(path) is not None and \
                    "/run/netns/" + _netns_name(path) in fs.files:
                # a plain file in the view directory (touch, or what umount left of
                # an `ip netns add` name): unlink() takes it
                fs.files.pop("/run/netns/" + _netns_name(path))
                fs.modes.pop("/run/netns/" + _netns_name(path), None)
                from ipemu.tools.netns_links import dir_event
                dir_event(ctx, "delete", _netns_name(path))
                continue
            if ctx.session._pseudo_errno(ctx.session._path(path), "unlink",
                                         ctx.netns) not in (None, errno.EISDIR):
                _pseudo(ctx, path, "unlink")
            if fs.is_dir(path) and not fs.is_link(path):     # a link itself is unlinked
                if posixpath.basename(name.rstrip("/")) in (".", ".."):
                    ctx.term.err("rm: refusing to remove '.' or '..' directory: skipping "
                                 f"'{name}'\n")
                    status = 1
                    continue
                if not recursive:
                    raise OSError(errno.EISDIR, "Is a directory")
                fs.remove_tree(path)
            else:
                fs.unlink(path)
        except OSError as err:
            if force and err.errno == errno.ENOENT:
                continue
            ctx.term.err(f"rm: cannot remove '{name}': {err.strerror}\n")
            status = 1
    return status


def _copy_like(ctx: ToolContext, argv: list[str], move: bool) -> int:
    tool = argv[0]
    opts, names = getopt(argv[1:], "afinprRtTuvb", tool, _try(tool))
    letters = {letter for letter, _ in opts}
    if not names:
        _missing(tool, names)
    if len(names) == 1:
        raise CommandError(f"{tool}: missing destination file operand after '{names[0]}'\n"
                           + _try(tool), 1)
    fs = ctx.session.fs
    *sources, target = names
    target_path = _path(ctx, target)
    into_dir = fs.is_dir(target_path)
    if len(sources) > 1 and not into_dir:
        raise CommandError(f"{tool}: target '{target}' is not a directory\n", 1)
    status = 0
    for name in sources:
        src = _path(ctx, name)
        dst = posixpath.join(target_path, posixpath.basename(src)) if into_dir else target_path
        view = _view_text(ctx, src) if not fs.exists(src) else None
        if view is not None:
            # a file of the kernel's views (/sys, /proc): cp reads what it shows; mv
            # (rename() across filesystems: EXDEV) copies, then cannot unlink it
            try:
                if not into_dir and target.endswith("/"):
                    raise OSError(20, "Not a directory")
                _pseudo(ctx, dst, "create")
                fs.write(dst, view.encode("utf-8", "surrogateescape"))
            except OSError as err:
                shown = dst if into_dir else target
                ctx.term.err(f"{tool}: cannot create regular file '{shown}': "
                             f"{err.strerror}\n")
                status = 1
                continue
            if move:
                code = ctx.session._pseudo_errno(src, "unlink", ctx.netns) or errno.EPERM
                ctx.term.err(f"mv: cannot remove '{name}': {os.strerror(code)}\n")
                status = 1
            continue
        if not fs.exists(src):
            ctx.term.err(f"{tool}: cannot stat '{name}': No such file or directory\n")
            status = 1
            continue
        if fs.is_dir(src):
            if not move and not letters & {"r", "R", "a"}:
                ctx.term.err(f"cp: -r not specified; omitting directory '{name}'\n")
                status = 1
                continue
            if dst == src or dst.startswith(src.rstrip("/") + "/"):
                shown = posixpath.join(target, posixpath.basename(src)) if into_dir else target
                ctx.term.err(f"mv: cannot move '{name}' to a subdirectory of itself, '{shown}'\n"
                             if move else f"cp: cannot copy a directory, '{name}', into itself, "
                             f"'{shown}'\n")
                status = 1
                continue
            try:
                _copy_tree(fs, src, dst)
                if move:
                    fs.remove_tree(src)
            except OSError as err:
                ctx.term.err(f"{tool}: cannot create directory '{target}': {err.strerror}\n")
                status = 1
            continue
        if src == dst:
            ctx.term.err(f"{tool}: '{name}' and '{target}' are the same file\n")
            status = 1
            continue
        try:
            if not into_dir and target.endswith("/"):
                # a missing DEST/ names a directory that is not there (copy.c)
                raise OSError(20, "Not a directory")
            new = not fs.exists(dst)
            _pseudo(ctx, dst, "create")
            fs.write(dst, fs.read(src))
            if move or new:
                # rename() keeps the inode's mode; cp gives a new file the source's
                # bits less the umask (copy.c's dst_mode)
                mode = fs.mode(src)
                fs.set_mode(dst, mode if move else mode & 0o755)
            if move:
                fs.unlink(src)
        except OSError as err:
            shown = dst if into_dir else target
            ctx.term.err(f"{tool}: cannot create regular file '{shown}': {err.strerror}\n"
                         if not move else f"mv: cannot move '{name}' to '{shown}': "
                         f"{err.strerror}\n")
            status = 1
    return status


def _copy_tree(fs, src: str, dst: str) -> None:
    if not fs.is_dir(dst):
        fs.make_dir(dst)
    for entry in fs.listdir(src):
        a, b = posixpath.join(src, entry), posixpath.join(dst, entry)
        if fs.is_dir(a):
            _copy_tree(fs, a, b)
        else:
            fs.write(b, fs.read(a))


def cp(ctx: ToolContext, argv: list[str]) -> int:
    return _copy_like(ctx, argv, move=False)


def mv(ctx: ToolContext, argv: list[str]) -> int:
    return _copy_like(ctx, argv, move=True)


MODE = re.compile(r"[0-7]{1,4}|([ugoa]*([-+=]([rwxXst]*|[ugo]))+)(,([ugoa]*([-+=]([rwxXst]*|[ugo]))+))*")


def chmod(ctx: ToolContext, argv: list[str]) -> int:
    """`chmod MODE FILE...`: each file's permission bits, as mode_adjust() makes them
    (a script still runs by its path without its execute bits)."""
    args = [a for a in argv[1:] if a not in ("-R", "-v", "-c", "-f", "--")]
    if not args:
        raise CommandError("chmod: missing operand\n" + _try("chmod"), 1)
    mode, names = args[0], args[1:]
    if not MODE.fullmatch(mode):
        raise CommandError(f"chmod: invalid mode: ‘{mode}’\n" + _try("chmod"), 1)
    if not names:
        raise CommandError(f"chmod: missing operand after ‘{mode}’\n" + _try("chmod"), 1)
    status = 0
    fs = ctx.session.fs
    for name in names:
        path = _path(ctx, name)
        if not fs.exists(path):
            # chmod.c: error (0, errno, _("cannot access %s"), quoteaf (file))
            ctx.term.err(f"chmod: cannot access '{name}': No such file or directory\n")
            status = 1
            continue
        fs.set_mode(path, mode_adjust(mode, fs.mode(path), fs.is_dir(path)))
    return status


UMASK = 0o022       # root's, for clauses that name no one (`chmod +x`)
_WHO = {"u": 0o4700, "g": 0o2070, "o": 0o1007, "a": 0o7777}
_PERM = {"r": 0o444, "w": 0o222, "x": 0o111, "s": 0o6000, "t": 0o1000}


def mode_adjust(text: str, old: int, is_dir: bool, umask: int = UMASK) -> int:
    """modechange.c's mode_compile() and mode_adjust(): an octal mode as it is, or
    symbolic clauses `[ugoa]*([-+=]([rwxXst]*|[ugo]))+` applied in turn; with no
    `who` the umask's bits are left alone."""
    if text.isdigit():
        return int(text, 8) & 0o7777
    mode = old
    for clause in text.split(","):
        i = 0
        affected = 0
        while i < len(clause) and clause[i] in _WHO:
            affected |= _WHO[clause[i]]
            i += 1
        keep = 0 if affected else umask
        affected = affected or 0o7777
        while i < len(clause):
            op = clause[i]
            i += 1
            perms = 0
            if i < len(clause) and clause[i] in "ugo":
                shift = {"u": 6, "g": 3, "o": 0}[clause[i]]
                perms = ((mode >> shift) & 7) * 0o111       # copy a class's bits
                i += 1
            else:
                while i < len(clause) and clause[i] in "rwxXst":
                    c = clause[i]
                    if c == "X":
                        perms |= 0o111 if is_dir or mode & 0o111 else 0
                    else:
                        perms |= _PERM[c]
                    i += 1
            bits = perms & affected & ~keep
            if op == "+":
                mode |= bits
            elif op == "-":
                mode &= ~bits
            else:
                mode = (mode & ~(affected & ~keep)) | bits
    return mode & 0o7777


def unlink(ctx: ToolContext, argv: list[str]) -> int:
    """coreutils' unlink: exactly one name, unlink(2) of it (no -f, no directories)."""
    opts, names = getopt(argv[1:], "", "unlink", _try("unlink"))
    if not names:
        raise CommandError("unlink: missing operand\n" + _try("unlink"), 1)
    if len(names) > 1:
        raise CommandError(f"unlink: extra operand ‘{names[1]}’\n" + _try("unlink"), 1)
    name = names[0]
    path = _path(ctx, name)
    fs = ctx.session.fs
    try:
        code = ctx.session._pseudo_errno(ctx.session._path(path), "unlink", ctx.netns)
        if code:
            raise OSError(code, os.strerror(code))
        if fs.is_dir(path) and not fs.is_link(path):
            raise OSError(errno.EISDIR, "Is a directory")
        fs.unlink(path)
    except OSError as err:
        ctx.term.err(f"unlink: cannot unlink '{name}': {err.strerror}\n")
        return 1
    return 0


MODE_RW_UGO = 0o666     # mkfifo.c: what a new FIFO asks for, before the umask


def mkfifo(ctx: ToolContext, argv: list[str]) -> int:
    """coreutils 9.1 mkfifo [-m MODE] NAME...: each a named pipe of 0666 less the
    umask (-m: the mode as mode_adjust() makes it of 0666, then set whole, as its
    lchmod() does); a name that cannot be made is reported and the rest go on."""
    from ipemu.tools import gnuopt
    opts, names = gnuopt.parse(argv[1:], "m:Z", {
        "mode=": "m", "context=": "Z", "help": "--help", "version": "--version"}, "mkfifo")
    modes = [value for letter, value in opts if letter == "m"]
    if not names:
        raise CommandError("mkfifo: missing operand\n" + _try("mkfifo"), 1)
    mode = MODE_RW_UGO & ~UMASK
    if modes:
        text = modes[-1]
        if not re.fullmatch(r"[0-7]+|([ugoa]*([-+=]([rwxXst]*|[ugo]))+)(,([ugoa]*([-+=]"
                            r"([rwxXst]*|[ugo]))+))*", text):
            raise CommandError("mkfifo: invalid mode\n", 1)
        mode = mode_adjust(text, MODE_RW_UGO, False)
        if mode & ~0o777:
            raise CommandError("mkfifo: mode must specify only file permission bits\n", 1)
    status = 0
    for name in names:
        path = _path(ctx, name)
        try:
            _pseudo(ctx, path, "create")
            ctx.session.fs.make_fifo(path, mode)
        except OSError as err:
            ctx.term.err(f"mkfifo: cannot create fifo '{name}': {err.strerror}\n")
            status = 1
    return status


COMMANDS = {"mkfifo": mkfifo, "chmod": chmod, "mkdir": mkdir, "rmdir": rmdir, "touch": touch, "rm": rm, "cp": cp,
            "mv": mv, "truncate": truncate, "ln": ln, "unlink": unlink}


def main(ctx: ToolContext, argv: list[str]) -> int:
    return COMMANDS[argv[0]](ctx, argv)
