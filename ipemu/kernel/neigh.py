"""The neighbour table (ARP for IPv4, ND for IPv6) and its state machine, as in
net/core/neighbour.c: INCOMPLETE probes every retrans_time and fails after
mcast_solicit probes; REACHABLE lasts a random 0.5-1.5 x base_reachable_time, then
STALE; traffic on a STALE entry moves it to DELAY, then PROBE.

The table knows nothing about packet formats: the stack gives it a `solicit` callback
(send one probe) and an `error` callback (report a queued packet as unreachable).
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from enum import IntFlag
from typing import Callable

from ipemu.kernel.clock import VirtualClock


class Nud(IntFlag):
    NONE = 0x00
    INCOMPLETE = 0x01
    REACHABLE = 0x02
    STALE = 0x04
    DELAY = 0x08
    PROBE = 0x10
    FAILED = 0x20
    NOARP = 0x40
    PERMANENT = 0x80


NUD_VALID = Nud.PERMANENT | Nud.NOARP | Nud.REACHABLE | Nud.PROBE | Nud.STALE | Nud.DELAY


@dataclass
class NeighParams:
    """Per-table defaults (net.ipv4.neigh.default.*)."""

    mcast_solicit: int = 3
    ucast_solicit: int = 3
    retrans_time: float = 1.0
    base_reachable_time: float = 30.0
    delay_first_probe_time: float = 5.0
    # the kernel's timer fires a little after each retrans_time (jiffies, slack)
    timer_slack: float = 0.016


@dataclass
class Neighbour:
    ifindex: int
    addr: ipaddress.IPv4Address | ipaddress.IPv6Address
    state: Nud = Nud.NONE
    lladdr: bytes | None = None
    probes: int = 0
    router: bool = False
    proxy: bool = False
    queue: list = field(default_factory=list)
    timer: object = None


class NeighTable:
    def __init__(self, clock: VirtualClock, rng, params: NeighParams | None = None):
        self.clock = clock
        self.rng = rng
        self.params = params or NeighParams()
        self.entries: dict[tuple[int, object], Neighbour] = {}
        # where neigh_update() announces a change: a bound method of the namespace
        # (NetNamespace.notify_neigh), None while nobody set it
        self.notify = None

    def _announce(self, n: Neighbour, deleted: bool = False) -> None:
        if self.notify is not None:
            self.notify(n, deleted)

    def lookup(self, ifindex: int, addr) -> Neighbour | None:
        return self.entries.get((ifindex, addr))

    def entry(self, ifindex: int, addr) -> Neighbour:
        key = (ifindex, addr)
        if key not in self.entries:
            self.entries[key] = Neighbour(ifindex, addr)
        return self.entries[key]

    def _arm(self, n: Neighbour, delay: float, action: Callable[[], None]) -> None:
        if n.timer is not None:
            self.clock.cancel(n.timer)
        n.timer = self.clock.call_later(delay, action)

    def _reachable_time(self) -> float:
        base = self.params.base_reachable_time
        return base / 2 + self.rng.random() * base

    # -------------------------------------------------------------- output
    def resolve(self, ifindex: int, addr, packet, solicit: Callable[[Neighbour, bool], None],
                transmit: Callable[[Neighbour, object], None],
                error: Callable[[object], None]) -> None:
        """neigh_resolve_output(): send now if the entry is valid, else queue the packet
        and start (or continue) resolution."""
        n = self.entry(ifindex, addr)
        if n.state & (Nud.REACHABLE | Nud.PERMANENT | Nud.NOARP | Nud.DELAY | Nud.PROBE):
            transmit(n, packet)
            return
        if n.state == Nud.STALE:
            n.state = Nud.DELAY
            self._arm(n, self.params.delay_first_probe_time,
                      lambda: self._timer(n, solicit, transmit, error))
            transmit(n, packet)
            return
        n.queue.append(packet)
        if n.state != Nud.INCOMPLETE:
            n.state = Nud.INCOMPLETE
            n.probes = 1
            solicit(n, False)
            self._arm(n, self.params.retrans_time + self.params.timer_slack,
                      lambda: self._timer(n, solicit, transmit, error))

    def _timer(self, n: Neighbour, solicit, transmit, error) -> None:
        """neigh_timer_handler()."""
        p = self.params
        n.timer = None
        if n.state == Nud.DELAY:
            n.state = Nud.PROBE
            n.probes = 1
            solicit(n, True)
            self._arm(n, p.retrans_time, lambda: self._timer(n, solicit, transmit, error))
            return
        if n.state in (Nud.INCOMPLETE, Nud.PROBE):
            limit = p.mcast_solicit if n.state == Nud.INCOMPLETE else p.ucast_solicit
            if n.probes >= limit:
                n.state = Nud.FAILED
                self._announce(n)
                queued, n.queue = n.queue, []
                for packet in queued:
                    error(packet)
                return
            n.probes += 1
            solicit(n, n.state == Nud.PROBE)
            self._arm(n, p.retrans_time + p.timer_slack,
                      lambda: self._timer(n, solicit, transmit, error))
            return
        if n.state == Nud.REACHABLE:
            n.state = Nud.STALE

    # --------------------------------------------------------------- input
    def confirm(self, ifindex: int, addr, lladdr: bytes, transmit, solicit=None, error=None,
                reachable: bool = True) -> Neighbour:
        """A reply (or NA with the solicited flag) arrived: the entry becomes REACHABLE and
        its queue goes out. `reachable=False` records an unconfirmed address (STALE)."""
        n = self.entry(ifindex, addr)
        if n.state & (Nud.PERMANENT | Nud.NOARP):
            return n
        changed = n.lladdr != lladdr
        n.lladdr = lladdr
        before = n.state
        if reachable:
            n.state = Nud.REACHABLE
            n.probes = 0
            if before != Nud.REACHABLE or changed:
                self._announce(n)
            self._arm(n, self._reachable_time(), lambda: self._timer(n, solicit, transmit, error))
        elif n.state in (Nud.NONE, Nud.INCOMPLETE, Nud.FAILED) or changed:
            if n.timer is not None and n.state != Nud.INCOMPLETE:
                self.clock.cancel(n.timer)
                n.timer = None
            if n.state == Nud.INCOMPLETE and n.timer is not None:
                self.clock.cancel(n.timer)
                n.timer = None
            n.state = Nud.STALE
            self._announce(n)
        queued, n.queue = n.queue, []
        for packet in queued:
            transmit(n, packet)
        return n

    def set_static(self, n: Neighbour, lladdr: bytes | None, state: Nud, router: bool) -> None:
        """`ip neigh add/replace`: an administratively set entry."""
        if n.timer is not None:
            self.clock.cancel(n.timer)
            n.timer = None
        if lladdr is not None:
            n.lladdr = lladdr[:6]   # cut to the device's address length
        n.state = state
        n.router = router
        self._announce(n)

    def delete(self, ifindex: int, addr) -> None:
        """neigh_delete(): the entry is updated to FAILED (announced without its link
        address), then removed (RTM_DELNEIGH)."""
        n = self.entries.get((ifindex, addr))
        if n is None:
            return
        n.state = Nud.FAILED
        self._announce(n)
        self.remove(ifindex, addr)
        self._announce(n, deleted=True)

    def remove(self, ifindex: int, addr) -> None:
        n = self.entries.pop((ifindex, addr), None)
        if n is not None and n.timer is not None:
            self.clock.cancel(n.timer)

    def flush_dev(self, ifindex: int, keep_permanent: bool = False) -> None:
        for key in [k for k in self.entries if k[0] == ifindex]:
            if keep_permanent and self.entries[key].state & Nud.PERMANENT:
                continue
            n = self.entries.pop(key)
            if n.timer is not None:
                self.clock.cancel(n.timer)
