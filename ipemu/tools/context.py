"""What a tool sees while it runs: the host, its namespace, and its terminal."""
from __future__ import annotations

from ipemu.kernel.host import Host
from ipemu.kernel.netns import NetNamespace
from ipemu.plainclass import dataclass, field
from ipemu.profiles import Profile


class Sink:
    """Where a terminal's bytes go the moment they are written (a screen, a socket,
    another terminal). `write` returns False when it does not take the text: the
    terminal keeps it (a stream redirected to a file, read when the command ends).
    A protocol in spirit: a plain class keeps typing off the start-up path."""

    def write(self, stream: str, text: str) -> bool: ...


@dataclass
class Terminal:
    """A stream with a sink: stdout and stderr chunks in the order written. Without a
    sink (a transcript, `ipemu -c`) it collects what was written; with one, each write
    reaches the sink at once."""

    chunks: list[tuple[str, str]] = field(default_factory=list)
    sink: Sink | None = None

    # a sink is the front end's (a screen, a socket), not the host's state
    __transient__ = ("sink",)

    def __restore__(self) -> None:
        self.sink = None

    def write(self, stream: str, text: str) -> None:
        if text and (self.sink is None or not self.sink.write(stream, text)):
            self.chunks.append((stream, text))

    def out(self, text: str) -> None:
        self.write("stdout", text)

    def err(self, text: str) -> None:
        self.write("stderr", text)

    def text(self) -> str:
        return "".join(t for _, t in self.chunks)

    def stream(self, name: str) -> str:
        return "".join(t for s, t in self.chunks if s == name)


@dataclass
class RedirectTerminal(Terminal):
    """A command's terminal whose sink is the host's, not a front end's: its
    redirections (FdSink: `> FILE`, `2>&1`) are the process's file descriptors, so a
    saved host keeps them and a job still running writes on after a restore."""

    __transient__ = ()

    def __restore__(self) -> None:
        pass


@dataclass
class Routing:
    """A sink that routes each stream of a command to a stream of an outer terminal,
    as its redirections say (`2>&1`, `>/dev/null`); a stream routed nowhere is left
    to the command's own terminal (a file target, written when the command ends)."""

    outer: Terminal
    targets: dict[str, str | None]

    def write(self, stream: str, text: str) -> bool:
        where = self.targets.get(stream)
        if where is None:
            return False
        self.outer.write(where, text)
        return True


# the files and stderr of the `ip` running now, for names.py's /etc/iproute2
# (None, None: the built-in names only)
NAME_FILES: tuple = (None, None)
# the `ip -resolve` running now: address -> the name gethostbyaddr() finds, or None
# (render/names.py host()); None when the addresses print as numbers
HOST_NAMES = None


@dataclass
class ToolContext:
    host: Host
    netns: NetNamespace
    term: Terminal
    profile: Profile
    session: object = None   # the Session, for tools that need jobs or the clock
    stdin: str | None = None  # what a pipe or `<` gives the command (`ip -batch -`)
    output: str | None = None  # the host file stdout is redirected to, if any
    exec_pid: int | None = None  # the `-c` shell this program was exec'd in place of
    # the tool runs as a program (execve()'d: by a path, env, xargs, sudo, ip netns
    # exec, ...), not as the shell's builtin of the same name (kill, ...)
    program: bool = False
    # ip's ipaddress.c `static int do_link`: set by a link listing and never cleared,
    # so the `address` lines after one in an ip -batch list as links do
    do_link: bool = False
