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


def wait_for(host, proc: Process, limit: float = 60.0) -> None:
    """Advance the clock until `proc` ends. A process that would wait forever (no event
    can end it) is killed after `limit` seconds, as the transcript recorder does."""
    deadline = host.clock.now + limit
    while not proc.done:
        due = host.clock.next_event_time()
        if due is None or due > deadline:
            host.clock.advance_to(deadline)
            if not proc.done:
                proc.signal(SIGKILL)
            return
        host.clock.advance_to(due)
