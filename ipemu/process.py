"""Programs that run in time (ping, tcpdump, sleep, a `wait`): they act through clock
events and end by calling `exit()`.

A tool's `main()` returns either an exit status (it finished at once) or a started
Process. A shell waits for a foreground process; how the waiting goes is the driver's
business (drivers.py): virtual time jumps from event to event (`wait_for`), the live
shell lets the wall clock run and polls, and may interrupt (Mininet's sendCmd /
monitor / sendInt). A background job (`COMMAND &`) simply keeps its events queued.
"""
from __future__ import annotations

from typing import Callable

from ipemu.tools.context import Terminal

SIGHUP = 1
SIGINT = 2
SIGKILL = 9
SIGTERM = 15
SIGCONT = 18
SIGTSTP = 20

# what bash calls a job that ended by a signal (`jobs`, the `Done` notices)
SIGNAL_NAMES = {SIGHUP: "Hangup", SIGINT: "Interrupt", SIGKILL: "Killed", SIGTERM: "Terminated"}


class Process:
    # virtual time: a foreground program still running this long after it started
    # is killed, as the transcript recorder does (None: it ends by itself)
    wait_limit: float | None = 60.0

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
        self.done = True
        self.status = status
        self.cleanup()
        for callback in self.on_exit:
            callback(self)

    def cleanup(self) -> None:
        """Release what the program holds (sockets, taps, timers)."""

    def signal(self, signum: int) -> None:
        """Default disposition: die with 128+N; programs override to print summaries."""
        self.exit(128 + signum)

    def blocked(self) -> bool:
        """True when nothing queued can ever end the process (it waits for input)."""
        return True


class Sleep(Process):
    """coreutils sleep: ends when its time is up (a signal ends it at once)."""

    wait_limit = None

    def __init__(self, host, term: Terminal, seconds: float):
        super().__init__(host, term)
        self.timer = host.clock.call_later(seconds, self, "exit", 0)

    def cleanup(self) -> None:
        self.host.clock.cancel(self.timer)

    def blocked(self) -> bool:
        return False


def wait_for(host, proc: Process, limit: float | None = 60.0) -> None:
    """Virtual time: advance the clock until `proc` ends. A process that would wait
    forever (no event can end it) is killed after `limit` seconds, as the transcript
    recorder does (`limit` None: the program ends by itself)."""
    deadline = None if limit is None else host.clock.now + limit
    while not proc.done:
        due = host.clock.next_event_time()
        if due is None or (deadline is not None and due > deadline):
            if deadline is None:
                return   # cannot happen for a program that ends by itself
            host.clock.advance_to(deadline)
            if not proc.done:
                proc.signal(SIGKILL)
            return
        host.clock.advance_to(due)
