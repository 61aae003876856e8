"""The host's files: a simulated tree in memory and, optionally, the user's home mapped
to a real directory.

Paths are resolved lexically (`.` and `..` folded, never through the host) into the
simulated tree. A path at or under the home, when the home is mapped to a real
directory, reads and writes the real file there, after checking that its real
location (symlinks followed) stays inside that directory; everything else (`/tmp`,
`/etc`, `..` out of the home, symlinks that lead out) lives in memory and never
touches the host. Failures are OSErrors with the errno and text the kernel gives
(ENOENT, EISDIR, ENOTDIR), so every tool prints them in its own words.
"""
from __future__ import annotations

import errno
import os
import posixpath
import stat

from ipemu.plainclass import dataclass, field

HOME = "/root"

# the directories of a fresh host (the FHS top level and the home); `mkdir` adds
# more (make_dir)
DEFAULT_DIRS = tuple(sorted({
    "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/media", "/mnt", "/opt",
    "/proc", "/proc/sys", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr",
    "/var", "/var/tmp",
}))
DEV_NULL = "/dev/null"
# Debian's base-files modes that are not a directory's 0755: the sticky, world-writable
# temporary directories (drwxrwxrwt) and root's own home (drwx------)
DIR_MODES = {"/tmp": 0o1777, "/var/tmp": 0o1777, "/root": 0o700}


def _special(real: str) -> bool:
    """A real path that exists and is neither a regular file nor a directory."""
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _error(code: int, path: str) -> OSError:
    return OSError(code, os.strerror(code), path)


@dataclass
class FileSystem:
    """Simulated files by absolute path, the simulated directories, and the real
    directory (if any) that holds the home's files."""

    files: dict[str, bytes] = field(default_factory=dict)
    # sorted, not a set: a saved host is then written the same way every time
    dirs: tuple[str, ...] = DEFAULT_DIRS
    home: str = HOME
    real_home: str | None = None
    # permission bits of the files whose mode is not a new file's 0644 (root's umask
    # 022): `chmod +x` makes a script one PATH finds and `test -x` sees
    modes: dict[str, int] = field(default_factory=dict)
    # symbolic links `ln -s` made in the simulated tree: path -> target as written
    links: dict[str, str] = field(default_factory=dict)
    # the names under /run/netns in the order they came (tmpfs readdir() gives them
    # newest first), whatever made them: `ip netns add`, ln -s, touch; a name keeps
    # its place while its file stays (`umount` leaves the file: ipemu/tools/umount.py)
    netns_order: list[str] = field(default_factory=list)
    # bind mounts (`mount --bind SOURCE TARGET`), in the order made: (target, source),
    # both absolute, the source as it resolved then; the last one on a path is the
    # one seen there, and `umount` takes it off again (a mount namespace's stack)
    binds: list[tuple[str, str]] = field(default_factory=list)
    # the named pipes `mkfifo` made (in the simulated tree): each one's `files` entry
    # is its pipe buffer, what writers put there and no reader took yet
    fifos: list[str] = field(default_factory=list)
    # how many writers hold each of them open (a shell's `> FIFO` until its command ends)
    fifo_writers: dict[str, int] = field(default_factory=dict)

    # ------------------------------------------------------------------ paths
    @staticmethod
    def resolve(name: str, cwd: str = HOME) -> str:
        """The absolute simulated path of `name` seen from `cwd`, folded lexically
        (`..` above / stays at /, as the kernel does). An empty name stays empty:
        no file has it (ENOENT, as getname() refuses it)."""
        if not name:
            return ""
        path = posixpath.normpath(posixpath.join(cwd, name))
        # normpath keeps a leading '//' (POSIX leaves it implementation-defined)
        return "/" + path.lstrip("/")

    def follow(self, path: str, last: bool = True) -> str:
        """`path` with the simulated tree's symbolic links followed, component by
        component as the kernel's path walk does (the last one only when `last`);
        more than 40 links is ELOOP. A bind-mounted path leads to its source."""
        path = self.walk(path, last)
        return self.bound(path) if self.binds and path else path

    def walk(self, path: str, last: bool = True) -> str:
        """follow() without the bind mounts: the path a mount point is known by."""
        if not self.links or not path:
            return path
        parts = path.strip("/").split("/")
        done, hops = "", 0
        while parts:
            part = parts.pop(0)
            current = f"{done}/{part}"
            if current in self.links and (parts or last):
                hops += 1
                if hops > 40:
                    raise _error(errno.ELOOP, path)
                target = self.resolve(self.links[current], done or "/")
                parts = target.strip("/").split("/") + parts if target != "/" else parts
                done = ""
                continue
            done = current
        return done or "/"

    def bound(self, path: str) -> str:
        """What a path names under the bind mounts: the top mount on it or on a
        directory above it puts the mount's source there (follow_mount())."""
        for target, source in reversed(self.binds):
            if path == target:
                return source
            if path.startswith(target.rstrip("/") + "/"):
                return source.rstrip("/") + path[len(target.rstrip("/")):]
        return path

    def bind_mount(self, source: str, target: str) -> None:
        """mount(MS_BIND) of one existing path onto another of the same kind
        (ENOENT for either missing; graft_tree(): ENOTDIR when one is a directory
        and the other not). The mount stacks on any already there."""
        if not self.exists(source) or not self.exists(target):
            raise _error(errno.ENOENT, target)
        if self.is_dir(source) != self.is_dir(target):
            raise _error(errno.ENOTDIR, target)
        self.binds.append((self.walk(target), self.follow(source)))

    def unmount(self, path: str) -> bool:
        """umount(2) of the top bind mount on `path` (False: nothing mounted there)."""
        try:
            walked = self.walk(path)
        except OSError:
            return False
        for i in range(len(self.binds) - 1, -1, -1):
            if self.binds[i][0] == walked:
                del self.binds[i]
                return True
        return False

    def is_link(self, path: str) -> bool:
        """lstat()'s S_ISLNK: the last component is a link (its parents followed)."""
        if not self.links:
            return False
        parent, _, base = path.rpartition("/")
        return f"{self.follow(parent or '/').rstrip('/')}/{base}" in self.links

    def real_path(self, path: str) -> str | None:
        """The real file behind a simulated absolute path: only inside a mapped home,
        and only when its real location (symlinks followed) stays inside it."""
        if self.real_home is None:
            return None
        if path != self.home and not path.startswith(self.home + "/"):
            return None
        root = os.path.realpath(self.real_home)
        real = os.path.realpath(os.path.join(root, path[len(self.home):].lstrip("/")))
        if real != root and not real.startswith(root.rstrip("/") + "/"):
            return None        # a symlink out of the home: the simulated tree answers
        return real

    # ------------------------------------------------------------------ reading
    def is_dir(self, path: str) -> bool:
        try:
            path = self.follow(path) if self.links or self.binds else path
        except OSError:         # ELOOP
            return False
        real = self.real_path(path)
        if real is not None:
            return os.path.isdir(real)
        return path in self.dirs

    def read(self, path: str) -> bytes:
        """The content of a file (raises OSError: ENOENT, EISDIR, ENOTDIR)."""
        path = self.follow(path) if self.links or self.binds else path
        real = self.real_path(path)
        if real is not None:
            if _special(real):
                return b""     # a FIFO or device would block or never end: read as empty
            with open(real, "rb") as fh:
                return fh.read()
        if path == DEV_NULL:
            return b""
        if not path:
            raise _error(errno.ENOENT, path)
        if path in self.dirs:
            raise _error(errno.EISDIR, path)
        self._check_parent(path)
        if path not in self.files:
            raise _error(errno.ENOENT, path)
        if self.fifos and path in self.fifos:
            # pipe_read(): a reader takes what the writers left in the pipe; when the
            # last one closes, the pipe is freed (what it did not read is gone)
            data, self.files[path] = self.files[path], b""
            return data
        return self.files[path]

    def is_fifo(self, path: str) -> bool:
        """A named pipe (S_ISFIFO) `mkfifo` made."""
        if not self.fifos:
            return False
        try:
            path = self.follow(path) if self.links or self.binds else path
        except OSError:
            return False
        return path in self.fifos

    def make_fifo(self, path: str, mode: int = 0o644) -> None:
        """mknod(2) of S_IFIFO: EEXIST for any name already there, ENOENT/ENOTDIR
        for a missing directory; in a mapped home a real FIFO (which ipemu's
        tools read as empty and never write: _special())."""
        real = self.real_path(path)
        if real is not None:
            os.mkfifo(real, mode)
            return
        if self.exists(path) or path in self.links or path in self.dirs:
            raise _error(errno.EEXIST, path)
        self._check_parent(path)
        self.files[path] = b""
        self.fifos.append(path)
        if mode != 0o644:
            self.modes[path] = mode

    # ------------------------------------------------------------------ writing
    def check_writable(self, path: str) -> None:
        """Raise the error opening `path` for writing would give, without writing."""
        path = self.follow(path) if self.links or self.binds else path
        real = self.real_path(path)
        if real is not None:
            if os.path.isdir(real):
                raise _error(errno.EISDIR, path)
            if _special(real):
                raise _error(errno.EACCES, path)    # never write a FIFO or device
            parent = os.path.dirname(real)
            if not os.path.exists(parent):
                raise _error(errno.ENOENT, path)
            if not os.path.isdir(parent):
                raise _error(errno.ENOTDIR, path)
            return
        if path == DEV_NULL:
            return
        if not path:
            raise _error(errno.ENOENT, path)
        if path in self.dirs:
            raise _error(errno.EISDIR, path)
        self._check_parent(path)

    def write(self, path: str, data: bytes, append: bool = False) -> None:
        """Create or truncate (or append to) a file (raises OSError as open(2) would)."""
        path = self.follow(path) if self.links or self.binds else path
        real = self.real_path(path)
        if real is not None:
            self.check_writable(path)
            with open(real, "ab" if append else "wb") as fh:
                fh.write(data)
            return
        if path == DEV_NULL:
            return
        self.check_writable(path)
        if self.fifos and path in self.fifos:
            append = True       # O_TRUNC means nothing to a pipe: writes queue up
        self.files[path] = (self.files.get(path, b"") if append else b"") + data

    def _check_parent(self, path: str) -> None:
        """ENOTDIR when a file stands where a directory should, ENOENT when the
        directory is missing (the kernel's path walk, link_path_walk())."""
        parts = path.strip("/").split("/")[:-1]
        current = ""
        for part in parts:
            current += "/" + part
            if current in self.dirs:
                continue
            if current in self.files or current == DEV_NULL:
                raise _error(errno.ENOTDIR, path)
            raise _error(errno.ENOENT, path)

    # ------------------------------------------------------- directories (coreutils)
    def exists(self, path: str) -> bool:
        try:
            path = self.follow(path) if self.links or self.binds else path
        except OSError:         # ELOOP
            return False
        real = self.real_path(path)
        if real is not None:
            return os.path.lexists(real)
        return path in self.dirs or path in self.files or path == DEV_NULL

    def listdir(self, path: str) -> list[str]:
        """The names in a directory (OSError ENOENT, ENOTDIR)."""
        path = self.follow(path) if self.links or self.binds else path
        real = self.real_path(path)
        if real is not None:
            return sorted(os.listdir(real))
        if path not in self.dirs:
            raise _error(errno.ENOTDIR if self.exists(path) else errno.ENOENT, path)
        prefix = path.rstrip("/") + "/"
        return sorted({p[len(prefix):] for p in [*self.files, *self.dirs, *self.links]
                       if p.startswith(prefix) and p != prefix and "/" not in p[len(prefix):]})

    def make_dir(self, path: str) -> None:
        """mkdir(2): EEXIST, ENOENT for a missing parent, ENOTDIR."""
        real = self.real_path(path)
        if real is not None:
            os.mkdir(real)
            return
        if self.exists(path):
            raise _error(errno.EEXIST, path)
        self._check_parent(path)
        self.dirs = tuple(sorted(set(self.dirs) | {path}))

    def symlink(self, target: str, path: str) -> None:
        """symlink(2): `path` holds `target` as written (EEXIST, ENOENT for a missing
        directory); in a mapped home a real link there."""
        parent, _, base = path.rpartition("/")
        path = f"{self.follow(parent or '/').rstrip('/')}/{base}"
        real = self.real_path(path)
        if real is not None:
            os.symlink(target, real)
            return
        if self.exists(path) or path in self.links:
            raise _error(errno.EEXIST, path)
        self._check_parent(path)
        self.links[path] = target

    def unlink(self, path: str) -> None:
        """unlink(2) of a file: EISDIR for a directory, ENOENT."""
        real = self.real_path(path)
        if real is not None:
            if os.path.isdir(real) and not os.path.islink(real):
                raise _error(errno.EISDIR, path)
            os.unlink(real)
            return
        if self.links:
            parent, _, base = path.rpartition("/")
            path = f"{self.follow(parent or '/').rstrip('/')}/{base}"
            if path in self.links:          # the link itself goes, not what it names
                del self.links[path]
                return
        if path in self.dirs:
            raise _error(errno.EISDIR, path)
        self._check_parent(path)
        if path not in self.files:
            raise _error(errno.ENOENT, path)
        del self.files[path]
        self.modes.pop(path, None)
        if path in self.fifos:
            self.fifos.remove(path)
            self.fifo_writers.pop(path, None)

    # ------------------------------------------------------------------ modes
    def mode(self, path: str) -> int:
        """The permission bits (st_mode & 07777): 0755 for a directory, 0644 for a
        file unless chmod changed it."""
        path = self.follow(path) if self.links or self.binds else path
        real = self.real_path(path)
        if real is not None:
            return os.stat(real).st_mode & 0o7777
        if path in self.dirs:
            return self.modes.get(path, DIR_MODES.get(path, 0o755))
        return self.modes.get(path, 0o644)

    def set_mode(self, path: str, mode: int) -> None:
        """chmod(2) of an existing file or directory."""
        path = self.follow(path) if self.links or self.binds else path
        real = self.real_path(path)
        if real is not None:
            os.chmod(real, mode)
            return
        default = 0o755 if path in self.dirs else 0o644
        if mode == default:
            self.modes.pop(path, None)
        else:
            self.modes[path] = mode

    def is_executable(self, path: str) -> bool:
        """access(X_OK) as root: a directory, or a file with any execute bit."""
        if not self.exists(path) or path == DEV_NULL:
            return False
        return self.is_dir(path) or bool(self.mode(path) & 0o111)

    def may_hold_programs(self) -> bool:
        """False when no file here can be run (access(X_OK)): no real home, and no
        file given an execute bit (a new file is 0644), so a PATH search for a
        user's program can stop before it starts."""
        return self.real_home is not None or any(
            mode & 0o111 for path, mode in self.modes.items() if path not in self.dirs)

    def remove_tree(self, path: str) -> None:
        """A directory and everything under it (rm -r)."""
        real = self.real_path(path)
        if real is not None:
            import shutil
            if path == self.home:
                raise _error(errno.EBUSY, path)
            shutil.rmtree(real)
            return
        prefix = path.rstrip("/") + "/"
        self.files = {p: d for p, d in self.files.items() if not p.startswith(prefix)}
        self.modes = {p: m for p, m in self.modes.items()
                      if p != path and not p.startswith(prefix)}
        self.dirs = tuple(d for d in self.dirs if d != path and not d.startswith(prefix))
