"""bash's `/dev/udp/HOST/PORT` redirection: a connected UDP socket in the shell's
namespace, opened before the command runs, that sends what the command writes.

Names resolve as getaddrinfo() does on a host without DNS: address literals (with
inet_aton()'s short forms such as 127.1), `localhost`, and the services of
/etc/services for the port. The errors are bash's two lines (the resolver's or
connect()'s message, then the file's).
"""
from __future__ import annotations

import ipaddress
import socket

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.kernel.stack import UdpSocket
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
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))   # parsing only: 127.1, 0x7f.1
    except OSError:
        return None


def _port(service: str) -> int | None:
    if service.isdigit():
        return int(service) & 0xFFFF      # getaddrinfo() keeps the low 16 bits
    from ipemu.tcpdump.names import UDP_PORT_BY_NAME   # /etc/services
    return UDP_PORT_BY_NAME.get(service)


def connect(netns, target: str) -> UdpSocket:
    """Open `target` (a /dev/udp/ path) or raise bash's error (status 1)."""
    host, sep, service = target[len(PREFIX):].partition("/")
    if not sep or "/" in service:
        raise CommandError(f"bash: {target}: No such file or directory\n", 1)
    invalid = f"bash: {target}: Invalid argument\n"
    if not host:
        raise CommandError(f"bash: : Name or service not known\n{invalid}", 1)
    address = _address(host)
    if address is None:
        raise CommandError(f"bash: {host}: Temporary failure in name resolution\n{invalid}", 1)
    port = _port(service)
    if port is None:
        raise CommandError(f"bash: {service}: Servname not supported for ai_socktype\n{invalid}",
                           1)
    try:
        return netns.stack.udp_connect(address, port)
    except KernelError as err:
        text = strerror(err.errno)
        raise CommandError(f"bash: connect: {text}\nbash: {target}: {text}\n", 1) from None
