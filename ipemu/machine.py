"""One simulated machine: the kernel host (namespaces, clock), the files, the process
table, and the shells of its terminals. Any number of shells share one machine, as
terminals share one Linux host: a tcpdump in one sees the ping of another.

The kernel part is ipemu/kernel/host.py; this is what sits beside it in user space.
"""
from __future__ import annotations


from ipemu.files import FileSystem
from ipemu.kernel.host import Host
from ipemu.plainclass import dataclass, field
from ipemu.process import Process
from ipemu.profiles import Profile

FIRST_PID = 1000     # a fresh host's user processes start about here


# put_net() to the devices gone: cleanup_net() runs from a workqueue (recorded: a veth
# whose peer was in a killed `unshare -n` process's namespace is gone 5 ms after it)
CLEANUP_NET = 0.005


@dataclass
class Machine:
    host: Host
    profile: Profile
    fs: FileSystem = field(default_factory=FileSystem)    # the host's files
    processes: dict[int, Process] = field(default_factory=dict)
    last_pid: int = FIRST_PID
    shells: list = field(default_factory=list)
    lab: object = None          # the lab in progress on it (ipemu/labs/run.py), if any

    @classmethod
    def create(cls, profile: str = "default", scenario: str = "bare",
               hostname: str | None = None, seed: int = 0) -> "Machine":
        """A booted machine; its first shell (the one that ran the scenario's setup)
        is `shells[0]`."""
        from ipemu.session import Session
        return Session.create(profile, scenario, hostname, seed).machine

    def shell(self, term=None):
        """A new shell on this machine (a terminal opened on it); `term` is the live
        terminal it writes to, None for a shell whose lines collect their output."""
        from ipemu.session import Session
        return Session(self.host, self.profile, fs=self.fs, machine=self, term=term)

    def next_pid(self) -> int:
        self.last_pid += 1
        return self.last_pid

    def spawn(self, proc: Process) -> Process:
        """Enter a started program in the process table (it leaves when it exits)."""
        # a PID taken before its child's (timeout's, whose command it forks first)
        proc.pid = getattr(proc, "reserved_pid", 0) or self.next_pid()
        if not proc.done:
            self.processes[proc.pid] = proc
            proc.on_exit.append(self.reap)
        return proc

    def reap(self, proc: Process) -> None:
        self.processes.pop(proc.pid, None)
        ns = getattr(proc, "netns", None)
        if ns is not None and ns is not self.host.init_ns and not self._held(ns):
            # the last process of a namespace no mount holds (`unshare -n sleep &`
            # killed; a /run/netns link to its /proc/PID/ns/net holds nothing):
            # put_net() -> cleanup_net(), some milliseconds later
            self.host.clock.call_later(CLEANUP_NET, self, "cleanup_net", ns)

    def _held(self, ns) -> bool:
        """A live process runs in it, or a name (a bind mount, not a link) holds it."""
        if any(getattr(p, "netns", None) is ns for p in self.processes.values()
               if not p.done):
            return True
        linked = {path[len("/run/netns/"):] for path in getattr(self.fs, "links", {})
                  if path.startswith("/run/netns/")}
        return any(other is ns for name, other in self.host.namespaces.items()
                   if name not in linked)

    def cleanup_net(self, ns) -> None:
        if self._held(ns):
            return          # entered again meanwhile (`nsenter -t`, a new process)
        for name in [n for n, other in self.host.namespaces.items() if other is ns]:
            del self.host.namespaces[name]
        if ns.name.startswith("\0"):
            # a namespace `ip netns del` unnamed while a process ran in it: its ids go
            # with it (Host.unname_namespace())
            self.host.free_namespace(ns, ns.name.lstrip("\0"))
            return
        ns.destroy()

    def busy(self, ns) -> bool:
        """A live process runs in the namespace (holds a reference: get_net())."""
        return any(getattr(p, "netns", None) is ns for p in self.processes.values()
                   if not p.done)

    def close_shell(self, shell) -> None:
        """A terminal closed: bash sends SIGHUP to its jobs; here they end."""
        from ipemu.process import SIGHUP
        if shell.foreground is not None:
            shell.interrupt(SIGHUP)
        for job in list(shell.jobs):
            if job.proc is not None and not job.proc.done:
                job.proc.signal(SIGHUP)
        if shell in self.shells:
            self.shells.remove(shell)
