"""The neighbour table (ARP for IPv4, ND for IPv6) and its state machine, as in
net/core/neighbour.c: INCOMPLETE probes every retrans_time and fails after
mcast_solicit probes; REACHABLE lasts base_reachable_time (the median of the kernel's
random 0.5-1.5 x base), then STALE; traffic on a STALE entry moves it to DELAY, then PROBE.

The table knows nothing about packet formats: like the kernel's `neigh_ops`, its owner
(the stack) sends a probe (`neigh_solicit`), a frame (`neigh_transmit`) and reports a
queued packet as unreachable (`neigh_error`), each told the table's family. Timers are
clock events on the table, so the whole table is data.
"""
from __future__ import annotations

import ipaddress
from ipemu.kernel.enums import int_flag

from ipemu.kernel.errors import Errno, KernelError
from ipemu.plainclass import dataclass, field


@int_flag
class Nud:
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
# the states neigh_resolve_output() sends in at once, as an int (IntFlag's | and &
# build a flag each time: four of them per packet)
_IN_TIMER = int(Nud.INCOMPLETE | Nud.REACHABLE | Nud.DELAY | Nud.PROBE)   # NUD_IN_TIMER
_SEND_NOW = int(Nud.REACHABLE | Nud.PERMANENT | Nud.NOARP | Nud.DELAY | Nud.PROBE)
# the connected states, whose output goes through the cached header (neigh_hh_output())
_CONNECTED = int(Nud.REACHABLE | Nud.PERMANENT | Nud.NOARP)


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
    app_solicit: int = 0
    # mcast_resolicit (MCAST_REPROBES): broadcasts a PROBE entry adds after its
    # unicast probes (neigh_max_probes())
    mcast_reprobes: int = 0
    # unres_qlen_bytes (QUEUE_LEN_BYTES): what waits for resolution, in skb truesize
    queue_len_bytes: int = 212992
    # LOCKTIME: a valid entry takes another address from an ARP reply only this long
    # after its last update (arp_process()); arp_tbl's is HZ, nd_tbl's 0
    locktime: float = 1.0


# neigh_sysctl_template's files that drive the state machine: NeighParams field,
# sysctl name, seconds per unit (the _ms files are milliseconds)
_PARM_SYSCTLS = (("base_reachable_time", "base_reachable_time_ms", 0.001),
                 ("retrans_time", "retrans_time_ms", 0.001),
                 ("delay_first_probe_time", "delay_first_probe_time", 1),
                 ("ucast_solicit", "ucast_solicit", None),
                 ("mcast_solicit", "mcast_solicit", None),
                 ("app_solicit", "app_solicit", None),
                 ("mcast_reprobes", "mcast_resolicit", None),
                 ("queue_len_bytes", "unres_qlen_bytes", None),
                 ("locktime", "locktime", 0.01))
HZ = 250            # the recording kernel's CONFIG_HZ: the parms' times are jiffies


def _parm_value(ns, key: str, text: str, unit: float | None):
    """A parm from its sysctl text; a time kept in jiffies finer than the text shows
    (`ip ntable change` in ms: ns.neigh_jiffies) is taken from those jiffies."""
    if unit is None:
        return int(text)
    kept = (ns.neigh_jiffies or {}).get(key)
    if kept is not None and kept[0] == text:
        return kept[1] / HZ
    if unit == 0.01:
        return int(text) * HZ // 100 / HZ      # clock_t_to_jiffies() rounds down
    return int(text) * unit


@dataclass
class Neighbour:
    ifindex: int
    addr: ipaddress.IPv4Address | ipaddress.IPv6Address
    state: Nud = Nud.NONE
    lladdr: bytes | None = None
    probes: int = 0             # the kernel's neigh->probes (NDA_PROBES)
    router: bool = False
    proxy: bool = False
    protocol: int = 0            # NDA_PROTOCOL as userspace gave it (0: none)
    ext_learned: bool = False    # NTF_EXT_LEARNED (`extern_learn`)
    managed: bool = False        # NTF_MANAGED: the kernel keeps it resolved
    queue: list = field(default_factory=list)
    timer: object = None
    # NDA_CACHEINFO's times on the virtual clock: last output while not connected,
    # last confirmation, last change of state or link address (neigh_fill_info())
    used: float = 0.0
    confirmed: float = 0.0
    updated: float = 0.0
    # neigh->hh.hh_len set: neigh_resolve_output() caches the Ethernet header
    # (neigh_hh_init()) the first time it sends through a valid entry; from then on a
    # connected entry's packets go through neigh_hh_output(), which leaves `used`
    hh: bool = False


@dataclass
class NeighTable:
    """One family's table (arp_tbl, nd_tbl); `owner` is the stack that sends for it."""

    family: int
    owner: object
    params: NeighParams = field(default_factory=NeighParams)
    entries: dict[tuple[int, object], Neighbour] = field(default_factory=dict)

    @property
    def clock(self):
        return self.owner.clock

    @property
    def rng(self):
        return self.owner.rng

    def parms(self, ifindex: int) -> NeighParams:
        """The device's neigh_parms (in_dev->arp_parms, idev->nd_parms): a copy of the
        table's defaults made when the device registered, then what was written to
        net.ipvX.neigh.DEV.*, or to neigh.default.* for a value the device never had
        written (neigh_copy_dflt_parms() skips those whose data_state bit is set)."""
        sysctls = self.owner.ns.sysctls
        proto = "ipv4" if self.family == 4 else "ipv6"
        from ipemu.kernel.sysctl import has_table
        if not has_table(sysctls, f"net.{proto}.neigh."):
            return self.params
        dev = self.owner.ns.by_index(ifindex)
        names = ([dev.name] if dev is not None else []) + ["default"]
        values = {}
        for attr, key, unit in _PARM_SYSCTLS:
            for name in names:
                text = sysctls.get(f"net.{proto}.neigh.{name}.{key}")
                if text is not None:
                    values[attr] = _parm_value(self.owner.ns,
                                               f"net.{proto}.neigh.{name}.{key}", text, unit)
                    break
        if not values:
            return self.params
        base = self.params
        return NeighParams(values.get("mcast_solicit", base.mcast_solicit),
                           values.get("ucast_solicit", base.ucast_solicit),
                           values.get("retrans_time", base.retrans_time),
                           values.get("base_reachable_time", base.base_reachable_time),
                           values.get("delay_first_probe_time", base.delay_first_probe_time),
                           base.timer_slack, values.get("app_solicit", base.app_solicit),
                           values.get("mcast_reprobes", base.mcast_reprobes),
                           values.get("queue_len_bytes", base.queue_len_bytes),
                           values.get("locktime", base.locktime))

    def _solicit(self, n: Neighbour, unicast: bool) -> None:
        if unicast and self.family == 6:
            # ndisc_solicit(): a unicast NS leaves through this very entry
            # (ip6_finish_output2() -> neigh_event_send_probe()), which moves `used`;
            # arp_solicit() sends its unicast probe itself (arp_send_dst())
            n.used = self.clock.now
        self.owner.neigh_solicit(self.family, n, unicast)

    def _transmit(self, n: Neighbour, packet) -> None:
        self.owner.neigh_transmit(self.family, n, packet)

    def _announce(self, n: Neighbour, deleted: bool = False) -> None:
        """neigh_update_notify(): the owning namespace tells its listeners."""
        self.owner.ns.notify_neigh(n, deleted)

    def lookup(self, ifindex: int, addr) -> Neighbour | None:
        return self.entries.get((ifindex, addr))

    def entry(self, ifindex: int, addr) -> Neighbour:
        key = (ifindex, addr)
        if key not in self.entries:
            # neigh_alloc(): used and updated now; ___neigh_create(): confirmed 2 x
            # base_reachable_time ago, of n->parms, the device's copy that the
            # constructor gave it (recorded: base_reachable_time_ms 1000 on eth0, a
            # new FAILED entry 6.5 s old shows `used 7/9/4`, tutorials42c_nud_timers)
            now = self.clock.now
            n = self.entries[key] = Neighbour(
                ifindex, addr, used=now, updated=now,
                confirmed=now - 2 * self.parms(ifindex).base_reachable_time)
            if self.family == 4:
                self.owner.arp_constructor(n)   # neigh_create() -> tbl->constructor()
            return n
        return self.entries[key]

    def _set_state(self, n: Neighbour, state: Nud) -> None:
        if state != n.state:
            n.updated = self.clock.now
        n.state = state

    def _start_incomplete(self, n: Neighbour) -> None:
        """__neigh_event_send(): probes start at ucast_probes, neigh_probe() counts the
        first solicitation."""
        p = self.parms(n.ifindex)
        self._set_state(n, Nud.INCOMPLETE)
        n.probes = p.ucast_solicit
        self._probe(n)
        self._arm(n, p.retrans_time + p.timer_slack)

    def _probe(self, n: Neighbour) -> None:
        """neigh_probe(): arp_solicit() / ndisc_solicit() choose by the count before
        it: below ucast_probes a unicast probe to the address held, then app_probes
        for the daemon (neigh_app_ns(): no frame), then broadcasts (multicast NS); the
        count moves after. So a PROBE entry with mcast_resolicit broadcasts once its
        unicast probes are spent (recorded: tutorials42c_lkml_arp_tunables)."""
        p = self.parms(n.ifindex)
        before = n.probes
        n.probes += 1
        if before < p.ucast_solicit:
            self._solicit(n, True)
        elif before >= p.ucast_solicit + p.app_solicit:
            self._solicit(n, False)

    def _arm(self, n: Neighbour, delay: float) -> None:
        if n.timer is not None:
            self.clock.cancel(n.timer)
        n.timer = self.clock.call_later(delay, self, "_timer", n)

    def _reachable_time(self, ifindex: int) -> float:
        """neigh_rand_reach_time() draws uniformly from 0.5-1.5 x base once per
        parms; its median, base itself, is the common path: a REACHABLE entry looked
        at t seconds after its confirmation is still REACHABLE on most real runs
        exactly when t < base (both recordings of oracle23b_ping_ns at ~20 s)."""
        return self.parms(ifindex).base_reachable_time

    # -------------------------------------------------------------- output
    def resolve(self, ifindex: int, addr, packet) -> None:
        """neigh_resolve_output(): send now if the entry is valid, else queue the packet
        and start (or continue) resolution."""
        n = self.entries.get((ifindex, addr))
        if n is None:
            n = self.entry(ifindex, addr)
        state = int(n.state)
        self._use(n)
        if state & _SEND_NOW:
            n.hh = True
            self.owner.neigh_transmit(self.family, n, packet)
            return
        if n.state == Nud.STALE:
            self._set_state(n, Nud.DELAY)
            self._arm(n, self.parms(n.ifindex).delay_first_probe_time)
            n.hh = True
            self._transmit(n, packet)
            return
        if n.state != Nud.INCOMPLETE and self._no_probes(n):
            return          # __neigh_event_send(): FAILED at once, the packet dropped
        self._enqueue(n, packet)
        if n.state != Nud.INCOMPLETE:
            self._start_incomplete(n)

    def _enqueue(self, n: Neighbour, packet) -> None:
        """__neigh_event_send(): the oldest waiting packets are dropped until the new
        one fits in unres_qlen_bytes, and the new one is queued whatever its size
        (recorded: unres_qlen 1 keeps the last two of six pings, 1000 bytes or 0 the
        last one; tutorials42c_lkml_unres_qlen)."""
        limit = self.parms(n.ifindex).queue_len_bytes
        truesize = self.owner.skb_truesize
        size = truesize(packet)
        queued = sum(truesize(q) for q in n.queue)
        while n.queue and queued + size > limit:
            queued -= truesize(n.queue.pop(0))
        n.queue.append(packet)

    def _no_probes(self, n: Neighbour) -> bool:
        """__neigh_event_send(): with mcast_solicit + app_solicit 0 an entry that is
        not resolving goes FAILED at once (no solicitation, no error report; recorded:
        ping prints nothing, tutorials41c_neigh_solicit_sysctls)."""
        p = self.parms(n.ifindex)
        if p.mcast_solicit + p.app_solicit:
            return False
        n.state = Nud.FAILED
        n.updated = self.clock.now
        return True

    def _use(self, n: Neighbour) -> None:
        """neigh_event_send(): `used` moves on output that is not through a connected
        entry's cached header (neigh_output() takes neigh_hh_output(), which leaves it,
        only for a NUD_CONNECTED entry whose hh_len is set): the first packet through
        an entry made valid by hand moves it (recorded: `ip neigh replace ... nud
        permanent`, a ping through it, `ip -s neigh` says `used 0/0/0`,
        tutorials42c_failed_gateway)."""
        if not int(n.state) & _CONNECTED or not n.hh:
            n.used = self.clock.now

    def event_send(self, ifindex: int, addr) -> bool:
        """neigh_event_send() without a packet: True when the entry is valid, else
        resolution starts (or a stale entry goes to DELAY)."""
        n = self.entry(ifindex, addr)
        self._use(n)
        if n.state & NUD_VALID:
            if n.state == Nud.STALE:
                self._set_state(n, Nud.DELAY)
                self._arm(n, self.parms(n.ifindex).delay_first_probe_time)
            return True
        if n.state != Nud.INCOMPLETE and not self._no_probes(n):
            self._start_incomplete(n)
        return False

    def _timer(self, n: Neighbour) -> None:
        """neigh_timer_handler()."""
        p = self.parms(n.ifindex)
        n.timer = None
        if n.state == Nud.DELAY:
            self._set_state(n, Nud.PROBE)
            n.probes = 0          # set to 0 on entering PROBE, then neigh_probe()
            self._probe(n)
            self._arm(n, p.retrans_time)
            return
        if n.state in (Nud.INCOMPLETE, Nud.PROBE):
            # neigh_max_probes(): ucast + app probes, then mcast_solicit broadcasts
            # when INCOMPLETE, mcast_resolicit (mcast_reprobes) ones when PROBE
            limit = p.ucast_solicit + p.app_solicit + (
                p.mcast_solicit if n.state == Nud.INCOMPLETE else p.mcast_reprobes)
            if n.probes >= limit:
                self._set_state(n, Nud.FAILED)
                self._announce(n)
                queued, n.queue = n.queue, []
                for packet in queued:
                    self.owner.neigh_error(self.family, n, packet)
                return
            self._probe(n)
            self._arm(n, p.retrans_time + p.timer_slack)
            return
        if n.state == Nud.REACHABLE:
            # neigh_timer_handler(): an entry used (through neigh_resolve_output(),
            # not the cached header) within delay_first_probe_time goes to DELAY
            now = self.clock.now
            if now <= n.used + p.delay_first_probe_time:
                self._set_state(n, Nud.DELAY)
                self._arm(n, p.delay_first_probe_time)
                return
            self._set_state(n, Nud.STALE)

    # --------------------------------------------------------------- input
    def confirm(self, ifindex: int, addr, lladdr: bytes, reachable: bool = True) -> Neighbour:
        """A reply (or NA with the solicited flag) arrived: the entry becomes REACHABLE and
        its queue goes out. `reachable=False` records an unconfirmed address (STALE)."""
        n = self.entry(ifindex, addr)
        if n.state & (Nud.PERMANENT | Nud.NOARP):
            return n
        before = n.state
        # __neigh_update(): the address given replaces neigh->ha unless the entry was
        # valid with the same bytes; a FAILED entry's stale ha counts as changed
        changed = not before & NUD_VALID or n.lladdr != lladdr
        if changed:
            n.updated = self.clock.now
        n.lladdr = lladdr
        if reachable:
            if before == Nud.PROBE:
                # the answer to a unicast probe dates `used` too (recorded on 6.18: a
                # STALE entry used by a ping goes DELAY, then PROBE; its answer shows
                # `used 0/0/0 REACHABLE` where the probes themselves left `used` at
                # the ping's instant, `used 6/68/1probes 2 PROBE`: cases
                # fuzz44_neigh_used_probe, fuzz44_neigh_probe_unanswered)
                n.used = self.clock.now
            self._set_state(n, Nud.REACHABLE)
            n.confirmed = self.clock.now
            if before != Nud.REACHABLE or changed:
                self._announce(n)
            self._arm(n, self._reachable_time(n.ifindex))
        elif n.state in (Nud.NONE, Nud.INCOMPLETE, Nud.FAILED) or changed:
            if n.timer is not None and n.state != Nud.INCOMPLETE:
                self.clock.cancel(n.timer)
                n.timer = None
            if n.state == Nud.INCOMPLETE and n.timer is not None:
                self.clock.cancel(n.timer)
                n.timer = None
            if changed:
                # a new address not confirmed: 2 x base_reachable_time ago (recorded:
                # a FAILED entry made STALE by the peer's request, `used 4/4/0` with
                # base_reachable_time 2)
                n.confirmed = self.clock.now - 2 * self.parms(n.ifindex).base_reachable_time
            self._set_state(n, Nud.STALE)
            self._announce(n)
        self._flush_queue(n)
        return n

    def set_static(self, n: Neighbour, lladdr: bytes | None, state: Nud, router: bool) -> None:
        """`ip neigh add/replace/change` (and arp -s): an administratively set entry,
        as __neigh_update() with NEIGH_UPDATE_F_ADMIN | OVERRIDE makes it."""
        before = n.state
        if not state & NUD_VALID:
            # a state not NUD_VALID (INCOMPLETE, FAILED, NONE) loses the timer and the
            # address stays as it is; __neigh_update() leaves before it dates the
            # change, so `updated` stays (recorded: STALE told `nud failed` keeps its
            # `used 4/7/3`, tutorials42c_lkml_failed_relearnt)
            if n.timer is not None:
                self.clock.cancel(n.timer)
                n.timer = None
            n.state = state
            if before in (Nud.INCOMPLETE, Nud.PROBE) and state == Nud.FAILED:
                self._invalidate(n)
            self._announce(n)
            return
        # the new address counts as a change unless the old state was valid and its
        # bytes are the same (a missing one keeps neigh->ha)
        new_ha = lladdr[:6] if lladdr is not None else None   # the device's addr_len
        changed = new_ha is not None and (not before & NUD_VALID or n.lladdr != new_ha)
        now = self.clock.now
        if state & _CONNECTED:
            # confirmed "even if it doesn't change IP to MAC binding" (a permanent
            # entry replaced as it was is confirmed now)
            n.confirmed = now
        if state != before or changed:
            # `updated` only once the update changes the entry
            n.updated = now
        if state != before:
            # neigh_del_timer() only when the state changes: a PROBE entry told PROBE
            # again keeps probing (its timer holds a reference: `ref 1`)
            if n.timer is not None:
                self.clock.cancel(n.timer)
                n.timer = None
            n.state = state
        if changed:
            n.lladdr = new_ha
            if not state & _CONNECTED:
                # a new address not confirmed: 2 x base_reachable_time ago, as a new
                # entry (`used 0/60/0` in `ip -s neigh`)
                n.confirmed = now - 2 * self.parms(n.ifindex).base_reachable_time
        # __neigh_update() reads update_isrouter after the NUD_VALID check
        n.router = router
        self._announce(n)
        if state != before and state & _IN_TIMER:
            # a timer state gets its timer, due at once but for REACHABLE (so a DELAY
            # entry goes to PROBE, a PROBE entry probes)
            if state == Nud.PROBE:
                n.probes = 0
            self._arm(n, self._reachable_time(n.ifindex) if state == Nud.REACHABLE else 0)
        if not before & NUD_VALID and n.queue:
            # __neigh_update(): an entry that becomes valid sends what waited in its
            # arp_queue (recorded: `ip neigh replace ... nud permanent` over an
            # INCOMPLETE entry lets the echo replies it held go)
            self._flush_queue(n)

    def _invalidate(self, n: Neighbour) -> None:
        """neigh_invalidate(), when __neigh_update() takes an INCOMPLETE or PROBE entry
        to FAILED (`ip neigh del`, each entry of `ip neigh flush`, `ip neigh change
        ... nud failed`): dated now, and each packet that waited in its arp_queue is
        reported unreachable at once (error_report(): the ICMP host unreachable of
        arp_error_report(), as when the probes run out). Recorded: a flush of the
        INCOMPLETE entry under `ping -W 4` prints its Destination Host Unreachable
        at once (fuzz43_neigh_flush_unreachable)."""
        n.updated = self.clock.now
        queued, n.queue = n.queue, []
        for packet in queued:
            self.owner.neigh_error(self.family, n, packet)

    def _flush_queue(self, n: Neighbour) -> None:
        """__neigh_update(): what waited in arp_queue goes out through n->output,
        neigh_resolve_output(), which moves `used` and caches the header."""
        queued, n.queue = n.queue, []
        if queued:
            n.used = self.clock.now
            n.hh = True
            if n.state == Nud.STALE:
                # neigh_resolve_output() -> neigh_event_send() of an entry made STALE
                # (`ip neigh change ... nud stale`, a peer's request): DELAY (recorded:
                # fuzz44_neigh_queue_stale_delay, seed 560118)
                if n.timer is not None:
                    self.clock.cancel(n.timer)
                    n.timer = None
                self._set_state(n, Nud.DELAY)
                self._arm(n, self.parms(n.ifindex).delay_first_probe_time)
        for packet in queued:
            self._transmit(n, packet)

    def delete(self, ifindex: int, addr) -> None:
        """neigh_delete(): the entry is updated to FAILED (announced without its link
        address), then removed (RTM_DELNEIGH)."""
        n = self.entries.get((ifindex, addr))
        if n is None:
            return
        before = n.state
        self._set_state(n, Nud.FAILED)
        if before in (Nud.INCOMPLETE, Nud.PROBE):
            self._invalidate(n)
        self._announce(n)
        self.remove(ifindex, addr)
        self._announce(n, deleted=True)

    def remove(self, ifindex: int, addr) -> None:
        n = self.entries.pop((ifindex, addr), None)
        if n is not None and n.timer is not None:
            self.clock.cancel(n.timer)

    def flush_dev(self, ifindex: int, keep_permanent: bool = False) -> None:
        """neigh_flush_dev(): each entry of the device goes, and
        neigh_cleanup_and_release() tells of it (RTM_DELNEIGH, its state as it was),
        newest first: the walk is of the device's own list, to whose head
        neigh_alloc() adds (recorded, fuzz38_monitor_link_down_neigh)."""
        for key in reversed([k for k in self.entries if k[0] == ifindex]):
            if keep_permanent and self.entries[key].state & Nud.PERMANENT:
                continue
            n = self.entries.pop(key)
            if n.timer is not None:
                self.clock.cancel(n.timer)
            self._announce(n, deleted=True)


class NeighProxies:
    """Proxy neighbour entries (the pneigh tables of arp_tbl and nd_tbl), a part of
    NetNamespace: addresses a namespace answers for on a device (`ip neigh add proxy`)."""

    def pneigh_add(self, address, ifindex: int, create: bool, excl: bool) -> None:
        """neigh_add() with NTF_PROXY: pneigh_lookup(..., creat=1) whatever the NLM_F
        flags (an entry that exists is no error, a missing one is made); IPv6's
        pndisc_constructor() refuses an entry of no device, which neigh_add() reports
        as ENOBUFS."""
        entry = (address.version, address, ifindex)
        if entry in self.pneigh:
            return
        if address.version == 6 and not ifindex:
            raise KernelError(Errno.ENOBUFS)
        self.pneigh.append(entry)

    def pneigh_delete(self, address, ifindex: int) -> None:
        entry = (address.version, address, ifindex)
        if entry not in self.pneigh:
            raise KernelError(Errno.ENOENT)
        self.pneigh.remove(entry)

    def pneigh_ifdown(self, family: int, ifindex: int) -> None:
        """neigh_ifdown() -> __neigh_ifdown(skip_perm=false) -> pneigh_ifdown_and_unlock():
        the proxy entries of the device go, silently (those of no device stay). Only
        from neigh_ifdown(): a device going down or away, arp_ifdown() when its last
        IPv4 address goes, rt6_disable_ip() when IPv6 stops on it; neigh_carrier_down()
        (skip_perm) and neigh_changeaddr() (a MAC change, `arp off`) keep them
        (recorded on 6.18, tutorials46b_neigh_link_events)."""
        self.pneigh[:] = [e for e in self.pneigh if e[0] != family or e[2] != ifindex]

    def dump_pneigh(self) -> list[tuple]:
        """The proxy entries as a dump lists them (pneigh_dump_table()): the IPv4 table
        before the IPv6 one, each bucket by bucket, a bucket's newest entry first (a new
        one goes to its head)."""
        order = {e: i for i, e in enumerate(self.pneigh)}
        return sorted(self.pneigh, key=lambda e: (e[0], pneigh_hash(e[1]), -order[e]))


PNEIGH_HASHMASK = 0xF


def pneigh_hash(address) -> int:
    """pneigh_hash(): the key's last four bytes read as a little-endian u32 (the
    recording machine's x86), folded down to PNEIGH_HASHMASK."""
    hash_val = int.from_bytes(address.packed[-4:], "little")
    hash_val ^= hash_val >> 16
    hash_val ^= hash_val >> 8
    hash_val ^= hash_val >> 4
    return hash_val & PNEIGH_HASHMASK
