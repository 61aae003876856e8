"""Linkwatch (net/core/link_watch.c): when a carrier change reaches the operstate,
RUNNING, dev_activate() and NETDEV_CHANGE (addrconf's start, the bridge's carrier, a
VLAN's operstate, the neighbour flush).

The kernel runs linkwatch's work at most once a second: a full run sets
`linkwatch_nextevent` a second ahead (one global for all namespaces: here one per
host), and until then only urgent events run at once (linkwatch_urgent_event()); the
others wait for the delayed work at `nextevent`. Events fired inside one rtnetlink
request (rtnl held) are decided against the `nextevent` the request started with;
the run the request leads to is accounted when the request ends (`rtnl()`).

Runs that would happen at once are applied where the event fires (the order of the
messages ipemu was calibrated with); only held events wait, on the virtual clock.
"""
from __future__ import annotations

from ipemu.kernel.netdev import NO_ROUTES
from ipemu.plainclass import dataclass, field

HZ = 1.0        # linkwatch's rate limit: one full run a second


@dataclass
class LinkWatch:
    """The host's linkwatch: linkwatch_nextevent, the held events (lweventlist), the
    time the delayed work is queued for, and the request depth (rtnl held)."""

    nextevent: float = float("-inf")
    # NetDevices whose event is held, in the order fired; a device is in it exactly
    # when its lw_held (the operstate it had: never "") is set, the kernel's
    # __LINK_STATE_LINKWATCH_PENDING bit, so membership is that test, not a scan of
    # the list (thousands long after a batch of `link add`s)
    waiting: list = field(default_factory=list)
    work_when: float | None = None                  # the delayed work's due time
    depth: int = 0                                  # nested rtnl() requests
    full_run: bool = False                          # this request ends in a full run
    urgent_run: bool = False                        # ... or in an urgent-only one
    in_run: int = 0                                 # inside linkwatch_do_dev()
    after_run: list = field(default_factory=list)   # held by events the run fired
    # inside a request over several devices (rtnl_group_changelink()): a run that
    # would happen at once waits for the request's end, where the kernel's work runs
    # (rtnl held throughout), so every member's own messages come first
    defer: int = 0

    # ------------------------------------------------------------ the decision
    def fire(self, dev, urgent: bool, now: float, before: str) -> bool:
        """linkwatch_fire_event(): True when the event runs at once (urgent, or the
        last full run is a second old); False when it is held for the delayed work
        (or, in a request that defers its runs, for the request's end)."""
        if not self.defer:
            return self._fire(dev, urgent, now, before)
        if dev.lw_held:
            if urgent:
                self.urgent_run = True
            return False
        if not self._fire(dev, urgent, now, before):
            return False
        self.waiting.append(dev)
        dev.lw_held = before
        _hold_fib(dev)
        return False

    def _fire(self, dev, urgent: bool, now: float, before: str) -> bool:
        if dev.lw_held:
            # __LINK_STATE_LINKWATCH_PENDING: one event per device; an urgent one
            # makes the work run at once (with it the held one)
            if not urgent:
                return False
            self.waiting.remove(dev)
            dev.lw_held = ""
            self.urgent_run = True
            return True
        during = self.in_run and self.full_run
        if self.nextevent <= now and not during:
            # the run this request leads to is a full one (linkwatch_event():
            # urgent_only only while `nextevent` is ahead), urgent event or not
            self.full_run = True
            return True
        if urgent:
            self.urgent_run = True
            if self.in_run and self.depth:
                # fired inside a run (a bridge's carrier coming on with its port's
                # NETDEV_CHANGE): linkwatch_schedule_work(1) runs the work again once
                # this run is through its list, so it comes after the events queued
                # with it (recorded: the bridge's message after its port's veth
                # peer's, lead40_brport_down_order); the request's end runs it
                self.waiting.append(dev)
                dev.lw_held = before
                _hold_fib(dev)
                return False
            return True
        # an event fired by the full run itself (a bridge's carrier, which its port's
        # NETDEV_CHANGE turns off): __linkwatch_run_queue(0) set `nextevent` a second
        # ahead when it began, so it waits for it (recorded: fuzz39_bridge_carrier_
        # after_port_run)
        self.waiting.append(dev)
        dev.lw_held = before
        _hold_fib(dev)
        if during:
            self.after_run.append(dev)
            return False
        self._schedule(dev.netns.clock, now)
        return False

    def _schedule(self, clock, now: float) -> None:
        """linkwatch_schedule_work(0): queue the work for `nextevent`, never moving a
        queued one (schedule_delayed_work() on a pending work does nothing)."""
        if self.work_when is not None:
            return
        delay = self.nextevent - now
        # "if we wrap around...": at most HZ (a `nextevent` set to now + HZ may come
        # back a hair above HZ in floating point: that is HZ, not a wrap)
        if delay > HZ * (1 + 1e-9) or delay < 0:
            delay = 0.0
        self.work_when = self.nextevent if delay else now
        clock.call_at(self.work_when, self, "linkwatch_event")

    # ------------------------------------------------------------ the runs
    def linkwatch_event(self) -> None:
        """linkwatch_event(): the delayed work. Urgent-only while `nextevent` is
        ahead (nothing held is urgent then), else a full run of every held event."""
        if self.work_when is None or not self.waiting:
            self.work_when = None
            return
        clock = self.waiting[0].netns.clock
        if clock.now < self.work_when:
            return                          # a stale timer
        self.work_when = None
        if self.nextevent > clock.now:
            self._schedule(clock, clock.now)
            return
        self.nextevent = clock.now + HZ     # __linkwatch_run_queue(0)
        self.run_all()

    def run_all(self) -> None:
        """Every held event, in the order fired (linkwatch_do_dev() each); a device
        unregistered meanwhile had its event run then (netdev_run_todo() ->
        linkwatch_sync_dev(): down by then, only its operstate)."""
        waiting, self.waiting = self.waiting, []
        for dev in waiting:
            dev.lw_held = ""
            if dev.netns.devices.get(dev.ifindex) is dev:
                dev.netns.linkwatch_do_dev(dev)

    def request_end(self, now: float) -> None:
        """rtnl_unlock(): the work this request queued runs; a full run sets the
        next second's limit and takes what was held too."""
        if self.full_run:
            self.full_run = False
            self.urgent_run = False
            self.nextevent = now + HZ
            later, self.after_run = self.after_run, []
            held = [d for d in self.waiting if d not in later]
            if held:
                self.waiting = held
                self.work_when = None
                self.run_all()
            if later:
                # what the run fired waits for the delayed work at `nextevent`
                self.waiting = [d for d in self.waiting if d not in later] + later
                clock = later[0].netns.clock
                if self.work_when is None or self.work_when < self.nextevent:
                    self.work_when = None
                    self._schedule(clock, now)
        elif self.urgent_run:
            # __linkwatch_run_queue(1): a held event urgent by now (its device came
            # up meanwhile) runs too; the others stay for the delayed work
            self.urgent_run = False
            for dev in [d for d in self.waiting if linkwatch_urgent_event(d)]:
                self.waiting.remove(dev)
                dev.lw_held = ""
                if dev.netns.devices.get(dev.ifindex) is dev:
                    dev.netns.linkwatch_do_dev(dev)


def linkwatch_of(ns) -> LinkWatch | None:
    host = getattr(ns, "host", None)
    return getattr(host, "linkwatch", None)


class rtnl:
    """One rtnetlink request (`with rtnl(ns):`): events fired inside are decided
    against the state it started with, and its full run (if any) is accounted at its
    end. (A class, not contextlib.contextmanager: contextlib costs a start ~0.5 ms.)"""

    __slots__ = ("ns", "lw")

    def __init__(self, ns) -> None:
        self.ns = ns
        self.lw = None

    def __enter__(self) -> None:
        lw = self.lw = linkwatch_of(self.ns)
        if lw is not None:
            lw.depth += 1

    def __exit__(self, *exc) -> bool:
        lw = self.lw
        if lw is not None:
            lw.depth -= 1
            if lw.depth == 0:
                lw.request_end(self.ns.clock.now)
        return False


def _hold_fib(dev) -> None:
    """What the fib knows of a device whose carrier change linkwatch holds: the
    carrier before it, for the routes through it then (RTNH_F_LINKDOWN is set and
    cleared at NETDEV_CHANGE, fib_netdev_event(); a route added meanwhile has it from
    fib_check_nh()'s netif_carrier_ok(), the carrier as it is). Only a carrier loss
    is kept from them: a held gain's routes are those its NETDEV_UP made, with the
    carrier veth_open() had already turned on."""
    dev.lw_fib_carrier = not dev.carrier
    if dev.carrier or not dev.admin_up:
        # (a device that is down shows no linkdown: a new veth's carrier-off, held
        # for each of a batch's thousands of pairs, looks at no table)
        dev.lw_fib_routes = NO_ROUTES
        return
    oif = dev.ifindex
    dev.lw_fib_routes = frozenset(
        (family, route.table, route.seq) for (family, _), table in dev.netns.tables.items()
        for route in table.entries.values() if route.oif == oif) or NO_ROUTES


def linkwatch_sync_dev(dev) -> None:
    """linkwatch_sync_dev(): the device's held event runs now, the limit untouched.
    The recording kernel (6.18; 6.1's rtnl_getlink() lacks it) calls it for an
    RTM_GETLINK of one device, as iproute2's `ip link show DEV` and its name and
    index lookups send, not for a dump (recorded: linkwatch_getlink_sync.txt)."""
    lw = linkwatch_of(dev.netns)
    if lw is None or not dev.lw_held:
        return
    if not dev.netns.kernel.get("getlink_syncs_linkwatch", True):
        return
    lw.waiting.remove(dev)
    dev.lw_held = ""
    dev.netns.linkwatch_do_dev(dev)


def linkwatch_operstate(dev) -> None:
    """default_operstate() (Linux 6.12+) for a device without carrier: its IFLA_LINK by
    index in the device's own namespace; none there (a veth whose peer lives
    elsewhere), or one with carrier, gives DOWN, one without gives LOWERLAYERDOWN.
    Kept until the next carrier loss, as linkwatch keeps it."""
    iflink = dev.iflink
    other = dev.netns.by_index(iflink) if iflink != dev.ifindex else None
    dev.lw_operstate = "LOWERLAYERDOWN" if other is not None and not other.carrier \
        else "DOWN"


def veth_carrier_off(ns, peer, dev) -> None:
    """veth_newlink(): netif_carrier_off() of the peer, then of the device, each after
    its register_netdevice() (registered with carrier: UNKNOWN until linkwatch runs);
    default_operstate() then sees both devices."""
    lw = linkwatch_of(ns)
    with rtnl(ns):
        for d in (peer, dev):
            d.carrier = False
            if lw is None or lw.fire(d, False, ns.clock.now, "UNKNOWN"):
                linkwatch_operstate(d)


def linkwatch_urgent_event(dev, qdisc_changing: bool | None = None) -> bool:
    """linkwatch_urgent_event(): a running device whose IFLA_LINK is another index,
    a bond or its slave, or one getting carrier while its qdisc waits for it
    (qdisc_tx_changing(): attached but not yet activated)."""
    if not dev.admin_up:
        return False
    if dev.iflink != dev.ifindex:
        return True
    if dev.bond_slave is not None or dev.kind == "bond":
        return True
    if qdisc_changing is None:
        qdisc_changing = dev.qdisc != "noop" and not dev.qdisc_active
    return dev.carrier and qdisc_changing
