"""bash's `/dev/udp/HOST/PORT` redirection: a connected UDP socket in the shell's
namespace, opened before the command runs, that sends what the command writes.

Names resolve as getaddrinfo() does on a host without DNS: address literals (with
inet_aton()'s short forms such as 127.1), `localhost`, and the services of
/etc/services for the port. The errors are bash's two lines (the resolver's or
connect()'s message, then the file's).
"""
from __future__ import annotations

import ipaddress

from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.stack import UdpSocket
from ipemu.output import encode
from ipemu.tools.rtnl import strerror

PREFIX = "/dev/udp/"
HOSTS = {"localhost": "127.0.0.1"}


def is_udp_path(target: str) -> bool:
    return target.startswith(PREFIX)


def _address(host: str):
    if host in HOSTS:
        return ipaddress.ip_address(HOSTS[host])
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    return _inet_aton(host)


def _inet_aton(text: str):
    """inet_aton()'s forms: 1 to 4 parts, each decimal, 0octal or 0xhex; the last
    fills the bytes that are left (127.1 is 127.0.0.1)."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values = []
    for part in parts:
        try:
            if part[:2].lower() == "0x":
                values.append(int(part[2:] or "0", 16))
            elif part.startswith("0") and len(part) > 1:
                values.append(int(part[1:], 8))
            else:
                values.append(int(part, 10) if part.isdigit() else -1)
        except ValueError:
            return None
    *head, last = values
    if any(not 0 <= v <= 255 for v in head) or not 0 <= last < 256 ** (5 - len(values)):
        return None
    number = last
    for i, v in enumerate(head):
        number |= v << (24 - 8 * i)
    return ipaddress.IPv4Address(number)


def _port(service: str, by_name: dict) -> int | None:
    if service.isdigit():
        return int(service) & 0xFFFF      # getaddrinfo() keeps the low 16 bits
    return by_name.get(service)


def resolve(netns, target: str, prefix: str, by_name: dict):
    """(address, port, scope device) of a /dev/udp or /dev/tcp path (`by_name`: the
    protocol's /etc/services ports), or bash's two-line error (status 1)."""
    host, sep, service = target[len(prefix):].partition("/")
    if not sep or "/" in service:
        raise CommandError(f"bash: {target}: No such file or directory\n", 1)
    invalid = f"bash: {target}: Invalid argument\n"
    if not host:
        raise CommandError(f"bash: : Name or service not known\n{invalid}", 1)
    name, percent, scope = host.partition("%")
    address = _address(name)
    device = None
    if percent:
        # getaddrinfo() takes a scope by interface name or index, on IPv6 only
        device = netns.by_name(scope) or (netns.by_index(int(scope)) if scope.isdigit()
                                          else None)
        if address is None or address.version != 6 or device is None:
            raise CommandError(f"bash: {host}: Name or service not known\n{invalid}", 1)
    if address is None:
        from ipemu.tools.resolver import hostname_chars_ok
        why = "Temporary failure in name resolution" if hostname_chars_ok(name) else \
            "Name or service not known"
        raise CommandError(f"bash: {host}: {why}\n{invalid}", 1)
    port = _port(service, by_name)
    if port is None:
        raise CommandError(f"bash: {service}: Servname not supported for ai_socktype\n{invalid}",
                           1)
    return address, port, device


def connect(netns, target: str) -> UdpSocket:
    """Open `target` (a /dev/udp/ path) or raise bash's error (status 1)."""
    from ipemu.tcpdump.names import UDP_PORT_BY_NAME   # /etc/services
    address, port, device = resolve(netns, target, PREFIX, UDP_PORT_BY_NAME)
    try:
        sock = netns.stack.udp_connect(address, port, device)
    except KernelError as err:
        text = strerror(err.errno)
        raise CommandError(f"bash: connect: {text}\nbash: {target}: {text}\n", 1) from None
    return sock


def keep_errors(sock: UdpSocket) -> None:
    """A socket opened for reading too (`exec 4<>/dev/udp/...`) keeps the error an
    ICMP answer leaves for its next read: __udp4_lib_err() without IP_RECVERR keeps
    only a fatal one for a connected socket (icmp_err_convert[]: port and protocol
    unreachable; ICMPv6's port unreachable and prohibited)."""
    fatal = {4: {(3, 3): Errno.ECONNREFUSED, (3, 2): Errno.ENOPROTOOPT},
             6: {(1, 4): Errno.ECONNREFUSED, (1, 1): Errno.EACCES}}[sock.dst.version]
    sock.err = 0

    def icmp_error(src, dport: int, error: tuple) -> None:
        if tuple(error[:2]) in fatal:
            sock.err = fatal[tuple(error[:2])]
    sock.on_error = icmp_error
    stack = sock.stack
    if not hasattr(stack, "udp_sockets"):
        stack.udp_sockets = []
    if sock not in stack.udp_sockets:
        stack.udp_sockets.append(sock)


def send(sock: UdpSocket, text: str) -> str | None:
    """What a command wrote in one write(), sent as one datagram; the reason of the
    write error when the kernel refuses it: an error an ICMP answer left on the
    socket (sock_alloc_send_pskb()'s sock_error(), which also clears it) or a
    datagram over 65,507 bytes ("Message too long")."""
    err = getattr(sock, "err", 0)
    if err:
        sock.err = 0
        return strerror(err)
    try:
        sock.send(encode(text))
    except KernelError as error:
        return strerror(error.errno)
    return None


def stdio_writes(text: str) -> list[str]:
    """The write()s of what a bash builtin printed: bash line-buffers its stdout
    (shell.c's sh_setlinebuf(stdout), lib/sh/setlinebuf.c), so every newline
    flushes; the rest goes at the builtin's end (sh_chkwrite()'s fflush())."""
    parts = text.split("\n")
    writes = [part + "\n" for part in parts[:-1]]
    return writes + [parts[-1]] if parts[-1] else writes
