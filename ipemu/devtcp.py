"""bash's `/dev/tcp/HOST/PORT` redirection: a TCP socket in the shell's namespace,
connected before the command runs (redir.c netopen() -> _netopen4(): getaddrinfo(),
socket(), connect()). A refused or failed connect ends in bash's two errors
(connect()'s message, then the file's) and the command does not run; a connected
socket is the descriptor: writes to it are sent (`printf 'GET / ...' >&3`), a read
(`cat <&3`) takes what arrives until the peer's FIN, and the shell's exit (or
`exec 3>&-`) closes it.
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
        if self.done:
            return
        self.errno = sock.err
        sock.owner = None         # a reader takes the socket over (TcpRead)
        self.exit(1 if sock.err else 0)

    def tcp_data(self, sock) -> None:
        pass

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


class TcpRead(Process):
    """A read to end of file on the connected socket (`cat <&3`): tcp_recvmsg() until
    the peer's FIN (or a reset) ends the stream."""

    def __init__(self, host, term, sock):
        super().__init__(host, term)
        self.sock = sock
        self.data = bytearray()
        sock.owner = self
        self.tcp_data(sock)

    def tcp_data(self, sock) -> None:
        if self.done:
            return
        self.data += sock.read()
        if sock.fin_rcvd or sock.state == 7:        # TCP_CLOSE: reset or closed
            sock.eof_read = True                    # tcp_recvmsg(): past the FIN
            sock.owner = None
            self.exit(0)

    tcp_connect_done = tcp_data

    def signal(self, signum: int) -> None:
        self.sock.owner = None
        self.exit(128 + signum)

    def blocked(self) -> bool:
        return False


def read_all(session, sock, term):
    """Steps that read the socket to its end: the text read (latin-1 kept byte for
    byte; bash passes bytes through)."""
    from ipemu.bash.interp import Waiting
    proc = TcpRead(session.host, term, sock)
    if not proc.done:
        yield Waiting(proc, None)
    return bytes(proc.data).decode("utf-8", "replace")


def close(sock) -> None:
    """close() of the descriptor: FIN (or RST with data unread) to the peer."""
    sock.owner = None
    sock.close()
