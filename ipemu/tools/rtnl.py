"""How iproute2 reports a failed netlink request (lib/libnetlink.c)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError

# glibc's strerror() texts, fixed here so output does not depend on the host's libc
STRERROR = {
    Errno.EPERM: "Operation not permitted",
    Errno.ENOENT: "No such file or directory",
    Errno.ESRCH: "No such process",
    Errno.EAGAIN: "Resource temporarily unavailable",
    Errno.ENXIO: "No such device or address",
    Errno.EBADF: "Bad file descriptor",
    Errno.ELOOP: "Too many levels of symbolic links",
    Errno.E2BIG: "Argument list too long",
    Errno.EACCES: "Permission denied",
    Errno.EFAULT: "Bad address",
    Errno.EBUSY: "Device or resource busy",
    Errno.ENOTEMPTY: "Directory not empty",
    Errno.EEXIST: "File exists",
    Errno.ENODEV: "No such device",
    Errno.EINVAL: "Invalid argument",
    Errno.ENFILE: "Too many open files in system",
    Errno.ERANGE: "Numerical result out of range",
    Errno.ENOSPC: "No space left on device",
    Errno.EOPNOTSUPP: "Operation not supported",
    Errno.EPROTONOSUPPORT: "Protocol not supported",
    Errno.EAFNOSUPPORT: "Address family not supported by protocol",
    Errno.EADDRINUSE: "Address already in use",
    Errno.EADDRNOTAVAIL: "Cannot assign requested address",
    Errno.ENETDOWN: "Network is down",
    Errno.ENETUNREACH: "Network is unreachable",
    Errno.ENOBUFS: "No buffer space available",
    Errno.EMSGSIZE: "Message too long",
    Errno.ENOTCONN: "Transport endpoint is not connected",
    Errno.EHOSTUNREACH: "No route to host",
    Errno.ENONET: "Machine is not on the network",
    Errno.ENOPROTOOPT: "Protocol not available",
    Errno.ETIMEDOUT: "Connection timed out",
    Errno.ECONNREFUSED: "Connection refused",
    Errno.ECONNRESET: "Connection reset by peer",
    Errno.EHOSTDOWN: "Host is down",
}


def strerror(errno: int) -> str:
    return STRERROR.get(errno, f"Unknown error {int(errno)}")


def talk_error(err: KernelError, status: int = 2) -> CommandError:
    """rtnl_talk(): the extack message as `Error: ...` (a final dot added when missing),
    else `RTNETLINK answers: <strerror>`."""
    if err.extack:
        msg = err.extack if err.extack.endswith(".") else err.extack + "."
        return CommandError(f"Error: {msg}\n", status)
    return CommandError(f"RTNETLINK answers: {strerror(err.errno)}\n", status)


def dump_error(err: KernelError) -> CommandError:
    """rtnl_dump_filter(): the kernel's message, then `Dump terminated`."""
    head = talk_error(err).message
    return CommandError(head + "Dump terminated\n", 2)


def read_dump(stdin: str | None, magic: int, what: str, status: int) -> list:
    """A `save` stream on stdin as `restore`/`showdump` read it: the check of its magic
    (route_dump_check_magic(), ipadd_dump_check_magic(): CommandError with `status`),
    then rtnl_from_file()'s whole messages, ended by the text it stopped with, if any."""
    from ipemu.kernel.wire.rtnl import read_messages
    from ipemu.output import encode
    if stdin is None:
        raise CommandError(f"Can't restore {what} dump from a terminal\n", status)
    data = encode(stdin)
    head = data[:4]
    # fread(&magic, sizeof(magic), 1, stdin) into a zeroed __u32: a short stream
    # counts 0 elements yet leaves its bytes in magic (glibc copies what it read)
    elems, found = int(len(head) == 4), int.from_bytes(head.ljust(4, b"\0"), "little")
    if found != magic:
        raise CommandError(f"Magic mismatch ({elems} elems, {found:x} magic)\n", status)
    messages, error = read_messages(data[4:])
    return messages + ([error] if error is not None else [])
