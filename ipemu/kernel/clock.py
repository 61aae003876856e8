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

try:        # the C module heapq.py re-exports: the .py found on sys.path and run cost a
    import _heapq as heapq          # one-shot start ~0.15 ms
except ImportError:     # pragma: no cover - a Python without the accelerator
    import heapq
_heappush = heapq.heappush

from ipemu.plainclass import dataclass, field


class Timer:
    """One queued event: when, what, on whom. Plain data with slots: a flood of
    packets makes and drops many of these."""

    __slots__ = ("when", "seq", "target", "action", "args", "cancelled")
    fast = False        # a flight (a fast path's event): its counts may wait (`pending`)

    def __init__(self, when: float, seq: int, target: object, action: str,
                 args: tuple = (), cancelled: bool = False) -> None:
        self.when = when
        self.seq = seq
        self.target = target
        self.action = action
        self.args = args
        self.cancelled = cancelled

    def __repr__(self) -> str:
        return f"Timer({self.when!r}, {self.seq}, {self.action!r})"

    def fire(self) -> None:
        getattr(self.target, self.action)(*self.args)


@dataclass
class VirtualClock:
    """Monotonic virtual seconds since the host booted, plus a wall-clock epoch.

    The queue is a heap of plain tuples (when, seq, timer): the heap compares them
    in C, and seq breaks ties in the order events were scheduled."""

    now: float = 0.0
    epoch: float = 1_764_000_000.0
    heap: list[tuple[float, int, Timer]] = field(default_factory=list)
    seq: int = 0
    # qdisc_alloc_handle()'s static counter (net/sched/sch_api.c): one per kernel, so it
    # lives with the one object all of a host's namespaces share
    tc_autohandle: int = 0x80000000

    # echoes in flight on a flow's fast path (Stack.echo_flight): each is one event
    # standing for a whole round trip, expanded into the full path's events whenever
    # anything could observe an intermediate instant. `ticks` counts the events run
    # and the runs begun: a flow knows from it that nothing but its own event ran.
    # `pending`: fast paths whose counters have landed flights to add (their flush()),
    # added before any other event runs and when a run ends, so that nothing but the
    # flights themselves ever sees them short.
    # All only live within a run (settle() empties them): not state.
    # `horizon`: the instant the run in progress goes to (advance_to()'s `when`,
    # run_until_done()'s deadline): a fast path may make several events' work at once
    # only up to it (PingSocket.echo_rounds); outside a run, -inf.
    __transient__ = ("flights", "ticks", "pending", "horizon")

    def __post_init__(self) -> None:
        self.__restore__()

    def __restore__(self) -> None:
        self.flights: list = []
        self.ticks = 0
        self.pending: list = []
        self.horizon = float("-inf")

    def flush_pending(self) -> None:
        """The fast paths' counts owed for flights that landed (see `pending`)."""
        pending = self.pending
        while pending:
            pending.pop().flush()

    @property
    def wall(self) -> float:
        return self.epoch + self.now

    @property
    def queue(self) -> list[Timer]:
        """The queued timers (heap order)."""
        return [entry[2] for entry in self.heap]

    def call_at(self, when: float, target: object, action: str, *args) -> Timer:
        if action.__class__ is not str:
            raise TypeError("a timer names its action: call_at(when, obj, 'method', *args)")
        seq = self.seq = self.seq + 1
        if when < self.now:
            when = self.now
        timer = Timer(when, seq, target, action, args)
        _heappush(self.heap, (when, seq, timer))
        return timer

    def call_later(self, delay: float, target: object, action: str, *args) -> Timer:
        # call_at() inlined: packets schedule one of these per hop
        if action.__class__ is not str:
            raise TypeError("a timer names its action: call_at(when, obj, 'method', *args)")
        seq = self.seq = self.seq + 1
        now = self.now
        when = now + delay if delay > 0 else now
        timer = Timer(when, seq, target, action, args)
        _heappush(self.heap, (when, seq, timer))
        return timer

    @staticmethod
    def cancel(timer: Timer | None) -> None:
        if timer is not None:
            timer.cancelled = True

    def idle_now(self) -> bool:
        """Nothing else is queued for this instant: an event for `now` would be the
        next to run, so its work may be done at once (a cancelled timer at the top
        counts as queued: the caller then queues, as it always may)."""
        heap = self.heap
        return not heap or heap[0][0] > self.now

    def next_event_time(self) -> float | None:
        """poll_at(): when the next event is due (None: nothing is queued)."""
        heap = self.heap
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def advance_to(self, when: float) -> None:
        """poll(now): run every event due up to `when`, then stand at `when`."""
        self.ticks += 1
        outer, self.horizon = self.horizon, when
        try:
            while True:
                self._run_through(when)
                if not self.flights:
                    break
                self._expand_all()  # the run stops inside a round trip: as it would be
        finally:
            self.horizon = outer
        if self.pending:
            self.flush_pending()
        if when > self.now:
            self.now = when

    def run_until_done(self, waiter: object, deadline: float) -> bool:
        """advance_to() each next event's time in turn, up to `deadline`, until
        `waiter.done` (a process waited for in virtual time): True when it is done,
        False when nothing more is due by the deadline (the clock is not moved then).
        One loop, not a next_event_time() and an advance_to() call per instant."""
        heap = self.heap
        pop = heapq.heappop
        self.ticks += 1
        outer, self.horizon = self.horizon, deadline
        try:
            while not waiter.done:
                while heap and heap[0][2].cancelled:
                    pop(heap)
                if not heap or heap[0][0] > deadline:
                    self.settle()
                    return False
                due = heap[0][0]
                self._run_through(due)
                if due > self.now:
                    self.now = due
        finally:
            self.horizon = outer
        self.settle()
        return True

    def _run_through(self, bound: float) -> None:
        """Run every event due by `bound`, in order (timer.fire()); a cancelled one is
        dropped, one that meets an echo in flight goes back after the flight is
        expanded (_conflict())."""
        heap = self.heap
        pop = heapq.heappop
        while heap and heap[0][0] <= bound:
            entry = pop(heap)
            timer = entry[2]
            if timer.cancelled:
                continue
            if self.flights and timer not in self.flights and self._conflict(entry):
                continue
            if self.pending and not timer.fast:
                self.flush_pending()
            self.now = entry[0]
            self.ticks += 1
            getattr(timer.target, timer.action)(*timer.args)

    # ------------------------------------------------------- flights (fast path)
    def _conflict(self, entry: tuple) -> bool:
        """An event is due while echoes are in flight: a flight's own landing goes on
        (it checks for itself); any other event due by a flight's arrival would see
        (or change) the round trip's middle, so those flights are expanded into the
        full path's events first and the event goes back to the queue. True: the
        entry went back (the caller pops again)."""
        if entry[2] in self.flights:
            return False
        late = [f for f in self.flights if entry[0] <= f.when]
        if not late:
            return False
        for flight in late:
            flight.expand()
        _heappush(self.heap, entry)
        return True

    def _expand_all(self) -> None:
        for flight in list(self.flights):
            flight.expand()

    def settle(self) -> None:
        """A run ends: echoes still in flight become the full path's events, and those
        the full path would have run by now are run (the clock ends where it was)."""
        if self.pending:
            self.flush_pending()
        if not self.flights:
            return
        now = self.now
        while self.flights:
            self._expand_all()
            self._run_through(now)
        if self.pending:
            self.flush_pending()
        self.now = now

    def advance(self, seconds: float) -> None:
        self.advance_to(self.now + seconds)
