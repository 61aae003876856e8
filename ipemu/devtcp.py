"""bash's `/dev/tcp/HOST/PORT` redirection: a TCP socket in the shell's namespace,
connected before the command runs (redir.c netopen() -> _netopen4(): getaddrinfo(),
socket(), connect()). Nothing in the simulation listens, so the connect ends in an
error: bash prints connect()'s message, then the file's, and the command does not run.
Names resolve as for /dev/udp (ipemu/devudp.py), services from /etc/services' tcp
entries.
"""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.process import Process
from ipemu.tools.rtnl import strerror

PREFIX = "/dev/tcp/"


def is_tcp_path(target: str) -> bool:
    return target.startswith(PREFIX)


def resolve(netns, target: str):
    """(address, port, scope device) of a /dev/tcp path, or bash's error (status 1):
    devudp's resolution with /etc/services' tcp ports."""
    from ipemu.devudp import resolve as resolve_path
    from ipemu.tcpdump.names import TCP_PORT_BY_NAME   # /etc/services
    return resolve_path(netns, target, PREFIX, TCP_PORT_BY_NAME)


class TcpConnect(Process):
    """connect() blocking in the shell: ends when the socket's connect does (status 0
    when it connected, else 1 with the socket's errno kept)."""

    def __init__(self, host, term, netns, address, port: int, device=None):
        super().__init__(host, term)
        from ipemu.kernel.tcp import tcp_of
        self.errno = 0
        self.sock = None
        try:
            self.sock = tcp_of(netns.stack).connect(address, port, device, owner=self)
        except KernelError as err:
            self.errno = err.errno
            self.exit(1)

    def tcp_connect_done(self, sock) -> None:
        self.errno = sock.err
        self.exit(1 if sock.err else 0)

    def signal(self, signum: int) -> None:
        if self.sock is not None:
            self.sock.close()
        self.errno = -signum
        self.exit(128 + signum)

    def blocked(self) -> bool:
        return False


def connect(session, netns, target: str, term):
    """Steps that open `target`: a generator yielding the wait for the connect;
    raises bash's two-line error when it fails."""
    from ipemu.bash.interp import Waiting
    address, port, device = resolve(netns, target)
    proc = TcpConnect(session.host, term, netns, address, port, device)
    if not proc.done:
        yield Waiting(proc, None)
    if proc.errno > 0:
        # netopen()'s sys_error("connect") has no line number under `bash -c` or in
        # a script; the redirection's own error that follows has one
        text = strerror(proc.errno)
        raise CommandError(f"bash: connect: {text}\nbash: {target}: {text}\n", 1)
    if proc.errno < 0:
        # the signal that interrupted the connect reached the shell too (one process
        # group): it ends the line as it ends a `bash -c`
        from ipemu.bash.interp import ExitSignal
        raise ExitSignal(128 - proc.errno)
    return proc.sock
