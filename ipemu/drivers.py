"""Drivers of the event engine. The host's clock is polled from outside, as smoltcp's
`Interface::poll(now)` and `poll_at()`: the host says when its next event is due
(`clock.next_event_time()`), a driver decides how fast to get there.

- virtual time (transcripts, `ipemu -c`, `run`): jump from event to event at once,
  deterministic; that is `process.wait_for` and `Session.run_line`.
- real time (the live shell, attached terminals): virtual time follows the wall
  clock. `RealTimeDriver.poll()` runs what is due by now and `delay()` says how long
  the caller may sleep; the driver never sleeps itself, so an asyncio loop (the
  shell) or a browser's event loop (the page) can host it.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from ipemu.kernel.clock import VirtualClock
from ipemu.plainclass import dataclass, field


@dataclass
class RealTimeDriver:
    clock: VirtualClock
    # seconds of a monotonic wall clock (a fake one in tests)
    wall: Callable[[], float] = time.monotonic
    origin: float = field(init=False)

    def __post_init__(self) -> None:
        self.origin = self.wall() - self.clock.now   # virtual now == wall now, from here

    def now(self) -> float:
        """The virtual time the wall clock says it is."""
        return self.wall() - self.origin

    def poll(self) -> None:
        """poll(now): run every event due by the wall clock. If virtual time ran ahead
        (a command that jumped it), the wall clock resumes from there."""
        target = self.now()
        if target < self.clock.now:
            self.origin = self.wall() - self.clock.now
            return
        self.clock.advance_to(target)

    def delay(self, most: float) -> float:
        """poll_at(): how long the caller may sleep before the next event is due (at
        most `most`, so new input is looked at soon)."""
        due = self.clock.next_event_time()
        if due is None:
            return most
        return min(most, max(0.0, due - self.now()))
