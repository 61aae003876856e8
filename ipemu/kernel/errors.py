"""Kernel errors: an errno and, where the kernel sets one, its extended-ack message.

The text a tool prints for them (`RTNETLINK answers: File exists`, `Error: ...`) is the
tool's business, not the kernel's.
"""
from __future__ import annotations

from ipemu.kernel.enums import int_enum


class Errno(metaclass=int_enum):
    EPERM = 1
    ENOENT = 2
    ESRCH = 3
    EAGAIN = 11
    ENXIO = 6
    EBADF = 9
    ELOOP = 40
    E2BIG = 7
    EBUSY = 16
    ENOTEMPTY = 39
    EEXIST = 17
    EXDEV = 18
    ENODEV = 19
    EINVAL = 22
    ENFILE = 23
    ERANGE = 34
    EXFULL = 54
    ENOSPC = 28
    EPROTONOSUPPORT = 93
    EMSGSIZE = 90
    ENOBUFS = 105
    ENOTCONN = 107
    EOPNOTSUPP = 95
    EAFNOSUPPORT = 97
    EADDRINUSE = 98
    EADDRNOTAVAIL = 99
    ENETDOWN = 100
    ENETUNREACH = 101
    EHOSTUNREACH = 113
    ENONET = 64
    ENOPROTOOPT = 92
    ETIMEDOUT = 110
    ECONNRESET = 104
    ECONNABORTED = 103
    ECONNREFUSED = 111
    EHOSTDOWN = 112
    EACCES = 13
    EFAULT = 14


class KernelError(Exception):
    """A failed netlink request: errno plus the optional extack message."""

    def __init__(self, errno: Errno, extack: str | None = None):
        super().__init__(errno, extack)
        self.errno = errno
        self.extack = extack
