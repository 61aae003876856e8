"""Programs that run in time (ping, tcpdump, sleep, a `wait`): they act through clock
events and end by calling `exit()`.

A tool's `main()` returns either an exit status (it finished at once) or a started
Process. A shell waits for a foreground process; how the waiting goes is the driver's
business (drivers.py): virtual time jumps from event to event (`wait_for`), the live
shell lets the wall clock run and polls, and may interrupt (Mininet's sendCmd /
monitor / sendInt). A background job (`COMMAND &`) simply keeps its events queued.
"""
from __future__ import annotations

TYPE_CHECKING = False       # typing's, without importing typing or collections (start-up)
if TYPE_CHECKING:
    from collections.abc import Callable

from ipemu.tools.context import Terminal

SIGHUP = 1
SIGINT = 2
SIGQUIT = 3
SIGKILL = 9
SIGPIPE = 13
SIGTERM = 15
SIGCONT = 18
SIGTSTP = 20

# what bash calls a job that ended by a signal (`jobs`, the `Done` notices): glibc's
# strsignal() (string/_strerror.c's sys_siglist, Linux x86_64 numbers), which bash's
# j_strsignal() prints
STRSIGNAL = ("Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap",
             "Aborted", "Bus error", "Floating point exception", "Killed",
             "User defined signal 1", "Segmentation fault", "User defined signal 2",
             "Broken pipe", "Alarm clock", "Terminated", "Stack fault", "Child exited",
             "Continued", "Stopped (signal)", "Stopped", "Stopped (tty input)",
             "Stopped (tty output)", "Urgent I/O condition", "CPU time limit exceeded",
             "File size limit exceeded", "Virtual timer expired", "Profiling timer expired",
             "Window changed", "I/O possible", "Power failure", "Bad system call")
SIGNAL_NAMES = {number: name for number, name in enumerate(STRSIGNAL, 1)}


class Process:
    # virtual time: how long a foreground program may run before it is interrupted
    # (None: the --timeout bound, Bound.seconds)
    wait_limit: float | None = None
    # the network namespace it runs in (None: the host's own), set when it starts:
    # `ip netns pids` and `ip netns identify PID` read it as they read /proc/PID/ns/net
    netns = None
    uts = None      # its UTS namespace (kernel/uts.py), None: the host's
    # the program that forked it when not the shell (timeout's command), as a PID
    parent_pid = 0
    # a PID taken before the process started (timeout's, before its command's)
    reserved_pid = 0

    def __init__(self, host, term: Terminal):
        self.host = host
        self.term = term
        self.done = False
        self.status = 0
        self.pid = 0     # given by the machine's process table when the process starts
        self.on_exit: list[Callable[["Process"], None]] = []   # bound methods only
        self.stopped = False
        self.held: list = []       # while stopped: (seconds left, timer) of its timers

    def stop(self) -> None:
        """SIGTSTP: the program stops where it is. Its timers wait (the time left on
        each is kept) and what it writes meanwhile is held, as a stopped process
        neither runs nor reads its socket; SIGCONT (`cont`) resumes both."""
        if self.done or self.stopped:
            return
        self.stopped = True
        clock = self.host.clock
        for timer in clock.queue:
            if timer.target is self and not timer.cancelled:
                timer.cancelled = True
                self.held.append((timer.when - clock.now, timer))
        self.outer_term, self.term = self.term, Terminal()

    def cont(self) -> None:
        """SIGCONT: held timers run again after the time they had left; held output
        reaches the terminal now."""
        if not self.stopped:
            return
        self.stopped = False
        held, self.term = self.term, self.outer_term
        for stream, text in held.chunks:
            self.term.write(stream, text)
        clock = self.host.clock
        for left, old in self.held:
            self._retimed(old, clock.call_later(left, self, old.action, *old.args))
        self.held = []

    def _retimed(self, old, new) -> None:
        """A held timer was queued again: where the program keeps it (to cancel it
        later), the new one takes its place."""
        for name, value in list(vars(self).items()):
            if value is old:
                setattr(self, name, new)
            elif isinstance(value, list):
                value[:] = [new if item is old else item for item in value]

    def exit(self, status: int) -> None:
        if self.done:
            return
        if getattr(self, "epipe", False):
            # a write of this same event met the closed pipe: SIGPIPE (or the
            # program's EPIPE handling) ended it there, before this exit
            self.epipe = False
            self.broken_pipe()
            return
        self.done = True
        self.status = status
        self.cleanup()
        for callback in self.on_exit:
            callback(self)

    def cleanup(self) -> None:
        """Release what the program holds (sockets, taps, timers)."""

    # signals inherited ignored that the program leaves so (an asynchronous list of a
    # shell without job control: SIGINT and SIGQUIT, setup_async_signals())
    ignored: frozenset = frozenset()
    # the signals the program sets its own handler for whatever it inherited (tcpdump's
    # setsignal(SIGINT, cleanup)): an inherited SIG_IGN of them does not hold
    handlers: frozenset = frozenset()
    # the signal that killed it (WIFSIGNALED(): not an exit with 128+N), 0 otherwise
    termsig = 0

    def signal(self, signum: int) -> None:
        """Default disposition: die with 128+N; programs override to print summaries."""
        if signum in self.ignored:
            return
        if not self.done:
            self.termsig = signum
        self.exit(128 + signum)

    def deliver_epipe(self) -> None:
        """The write's SIGPIPE, after the event that wrote (see bash/pipe.py)."""
        if getattr(self, "epipe", False) and not self.done:
            self.epipe = False
            self.broken_pipe()

    def broken_pipe(self) -> None:
        """A write met a pipe whose reader has exited (EPIPE): SIGPIPE's default
        disposition ends it (128+13: 141, as bash shows `ping ... | head -3`)."""
        self.signal(SIGPIPE)

    def blocked(self) -> bool:
        """True when nothing queued can ever end the process (it waits for input)."""
        return True


class Sleep(Process):
    """coreutils sleep: ends when its time is up (a signal ends it at once). Forever
    (`sleep inf`) ends at the bound, as every program does in virtual time."""

    def __init__(self, host, term: Terminal, seconds: float):
        super().__init__(host, term)
        self.timer = host.clock.call_later(seconds, self, "exit", 0)

    def cleanup(self) -> None:
        self.host.clock.cancel(self.timer)

    def blocked(self) -> bool:
        return False


class Forever(Process):
    """A program waiting for what never comes: a terminal the recorders never type at
    (an interactive `bash`, `cat`, `read`); only a signal ends it."""


class Bound:
    """How long a foreground command may run in virtual time (transcripts, `-c`, `run`,
    `check`, docs, pytest): `--timeout` virtual seconds. A command still running then
    (ping without -c, tcpdump without -c, `sleep inf`) is interrupted as by Ctrl-C. The
    live shell has no bound: it runs until Ctrl-C."""

    DEFAULT = 3600.0
    seconds: float = DEFAULT


def interrupt_at_bound(proc: Process, seconds: float) -> None:
    """End a command that ran for the whole bound: SIGINT, so it prints what it prints
    when interrupted (ping its statistics, tcpdump its counts) and exits with its own
    status, then a one-line note on its stderr (SIGKILL if it ignores SIGINT)."""
    proc.signal(SIGINT)
    if not proc.done:
        proc.signal(SIGKILL)
    proc.term.err(f"ipemu: interrupted after {seconds:g} s of virtual time (--timeout)\n")


def wait_for(host, proc: Process, limit: float | None = None) -> None:
    """Virtual time: advance the clock until `proc` ends, or until `limit` virtual
    seconds (None: the bound) have passed: then it is interrupted (interrupt_at_bound)."""
    limit = Bound.seconds if limit is None else min(limit, Bound.seconds)
    deadline = host.clock.now + limit
    if host.clock.run_until_done(proc, deadline):
        return
    host.clock.advance_to(deadline)
    if not proc.done:
        interrupt_at_bound(proc, limit)
