"""Virtual time: one clock and one event queue for a whole simulated host.

Time is driven from outside, as smoltcp's `Interface::poll(now)` / `poll_at()`: the
host says when its next event is due (`next_event_time`), a driver decides how fast to
get there (`advance_to`): at once for a transcript, with the wall clock for a live
shell, from the browser's event loop in a page. Nothing ever sleeps for real.

Events are data, not closures: at `when`, call `target.<action>(*args)`. So the queue
can be saved and restored with the rest of the host. Ties run in the order the events
were scheduled.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field


@dataclass(order=True)
class Timer:
    """One queued event: when, what, on whom."""

    when: float
    seq: int
    target: object = field(compare=False)
    action: str = field(compare=False)
    args: tuple = field(default=(), compare=False)
    cancelled: bool = field(default=False, compare=False)

    def fire(self) -> None:
        getattr(self.target, self.action)(*self.args)


@dataclass
class VirtualClock:
    """Monotonic virtual seconds since the host booted, plus a wall-clock epoch."""

    now: float = 0.0
    epoch: float = 1_764_000_000.0
    queue: list[Timer] = field(default_factory=list)
    seq: int = 0

    @property
    def wall(self) -> float:
        return self.epoch + self.now

    def call_at(self, when: float, target: object, action: str, *args) -> Timer:
        if not isinstance(action, str):
            raise TypeError("a timer names its action: call_at(when, obj, 'method', *args)")
        self.seq += 1
        timer = Timer(max(when, self.now), self.seq, target, action, args)
        heapq.heappush(self.queue, timer)
        return timer

    def call_later(self, delay: float, target: object, action: str, *args) -> Timer:
        return self.call_at(self.now + delay, target, action, *args)

    @staticmethod
    def cancel(timer: Timer | None) -> None:
        if timer is not None:
            timer.cancelled = True

    def next_event_time(self) -> float | None:
        """poll_at(): when the next event is due (None: nothing is queued)."""
        while self.queue and self.queue[0].cancelled:
            heapq.heappop(self.queue)
        return self.queue[0].when if self.queue else None

    def advance_to(self, when: float) -> None:
        """poll(now): run every event due up to `when`, then stand at `when`."""
        while True:
            due = self.next_event_time()
            if due is None or due > when:
                break
            timer = heapq.heappop(self.queue)
            self.now = timer.when
            timer.fire()
        self.now = max(self.now, when)

    def advance(self, seconds: float) -> None:
        self.advance_to(self.now + seconds)
