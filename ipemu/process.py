"""Programs that run in virtual time (ping, tcpdump, a background sleep): they act
through clock events and end by calling `exit()`.

A tool's `main()` returns either an exit status (it finished at once) or a started
Process. The session waits for a foreground process by advancing the host's clock
from event to event; a background job (`COMMAND &`) simply keeps its events queued.
"""
from __future__ import annotations

from typing import Callable

from ipemu.tools.context import Terminal

SIGINT = 2
SIGKILL = 9
SIGTERM = 15


class Process:
    def __init__(self, host, term: Terminal):
        self.host = host
        self.term = term
        self.done = False
        self.status = 0
        self.on_exit: list[Callable[["Process"], None]] = []

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


class Bound:
    """How long a foreground command may run in virtual time (transcripts, `-c`, `run`,
    `check`, docs, pytest): `--timeout` virtual seconds. A command still running then
    (ping without -c, tcpdump without -c, `sleep inf`) is interrupted as by Ctrl-C. The
    live shell has no bound: it runs until Ctrl-C."""

    seconds: float = 3600.0


def interrupt_at_bound(proc: Process, seconds: float) -> None:
    """End a command that ran for the whole bound: SIGINT, so it prints what it prints
    when interrupted (ping its statistics, tcpdump its counts) and exits with its own
    status, then a one-line note on its stderr (SIGKILL if it ignores SIGINT)."""
    proc.signal(SIGINT)
    if not proc.done:
        proc.signal(SIGKILL)
    proc.term.err(f"ipemu: interrupted after {seconds:g} s of virtual time (--timeout)\n")


def wait_for(host, proc: Process, limit: float | None = None) -> None:
    """Advance the clock until `proc` ends, or until `limit` virtual seconds (default:
    the bound) have passed: then it is interrupted (interrupt_at_bound)."""
    limit = Bound.seconds if limit is None else limit
    deadline = host.clock.now + limit
    while not proc.done:
        due = host.clock.next_event_time()
        if due is None or due > deadline:
            host.clock.advance_to(deadline)
            if not proc.done:
                interrupt_at_bound(proc, limit)
            return
        host.clock.advance_to(due)
