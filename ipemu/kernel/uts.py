"""UTS namespaces (kernel/utsname.c): `unshare --uts` gives a program a copy of the
caller's host name (copy_utsname()), which sethostname() then changes for that
namespace only; `nsenter -t PID -u` enters a process's. The host's own namespace is
the Host's `hostname`; a shell (ShellState.uts) and a process (Process.uts) hold the
one they run in, None for the host's."""
from __future__ import annotations

from ipemu.plainclass import dataclass


@dataclass(eq=False)
class UtsNamespace:
    hostname: str


def current(session):
    """The UTS namespace the running tool is in: its shell's (None: the host's)."""
    shell = getattr(session, "tool_shell", None) or getattr(session, "sh", None)
    return getattr(shell, "uts", None)


def get_hostname(session, host) -> str:
    uts = current(session)
    return uts.hostname if uts is not None else host.hostname


def set_hostname(session, host, name: str) -> None:
    uts = current(session)
    if uts is not None:
        uts.hostname = name
    else:
        host.hostname = name


class entered:
    """While a tool starts a program in another UTS namespace (unshare -u, nsenter
    -u): the calling shell's namespace is that one, so the program (and a shell it
    is, whose state copies it) runs there; the caller's is put back after."""

    def __init__(self, session, uts):
        self.shell = getattr(session, "tool_shell", None) or getattr(session, "sh", None)
        self.uts = uts

    def __enter__(self):
        self.saved = getattr(self.shell, "uts", None)
        if self.shell is not None:
            self.shell.uts = self.uts
        return self

    def __exit__(self, *exc):
        if self.shell is not None:
            self.shell.uts = self.saved
        return False
