"""Virtual time: one clock and one event queue for a whole simulated host.

Time moves only when someone advances it (a transcript's `sleep`, a live shell's
real seconds, a tool waiting for a reply); due events run in time order, ties in
the order they were scheduled. Nothing ever sleeps for real.
"""
from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from typing import Callable


@dataclass(order=True)
class _Event:
    when: float
    seq: int
    action: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)


class VirtualClock:
    """Monotonic virtual seconds since the host booted, plus a wall-clock epoch."""

    def __init__(self, epoch: float = 1_764_000_000.0):
        self.now = 0.0
        self.epoch = epoch
        self._queue: list[_Event] = []
        self._seq = itertools.count()

    @property
    def wall(self) -> float:
        return self.epoch + self.now

    def call_at(self, when: float, action: Callable[[], None]) -> _Event:
        event = _Event(max(when, self.now), next(self._seq), action)
        heapq.heappush(self._queue, event)
        return event

    def call_later(self, delay: float, action: Callable[[], None]) -> _Event:
        return self.call_at(self.now + delay, action)

    @staticmethod
    def cancel(event: _Event) -> None:
        event.cancelled = True

    def next_event_time(self) -> float | None:
        while self._queue and self._queue[0].cancelled:
            heapq.heappop(self._queue)
        return self._queue[0].when if self._queue else None

    def advance_to(self, when: float) -> None:
        """Run every event due up to `when`, then stand at `when`."""
        while True:
            due = self.next_event_time()
            if due is None or due > when:
                break
            event = heapq.heappop(self._queue)
            self.now = event.when
            event.action()
        self.now = max(self.now, when)

    def advance(self, seconds: float) -> None:
        self.advance_to(self.now + seconds)
