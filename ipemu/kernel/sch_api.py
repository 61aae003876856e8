"""Traffic control: the qdiscs and classes of a device (net/sched/sch_api.c), requests in,
records out. A device keeps its default qdisc as the word `ip link` prints (dev.qdisc:
noop, noqueue, fq_codel, pfifo_fast); what `tc` attaches lives in dev.sch, a TcState.
The qdiscs act on egress in sch_enqueue() (the hook at the top of Stack.dev_xmit):
netem (sch_netem.c) delays, drops and duplicates, tbf (sch_tbf.c) and htb (sch_htb.c)
hold packets to their rate; the default qdiscs never delay a packet, so a device
without TcState pays nothing.

Units are the kernel's: rates in bytes/s, tbf/htb buffers in psched ticks (64 ns)
as tc sends them, netem times in ticks, percentages scaled to 2^32-1."""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.requests import NLM_F
from ipemu.plainclass import dataclass, field

TC_H_ROOT = 0xFFFFFFFF
TC_H_INGRESS = 0xFFFFFFF1
TC_H_CLSACT = TC_H_INGRESS
TICKS_PER_SEC = 15625000          # PSCHED_NS2TICKS: 1 tick = 64 ns
U32_MAX = 0xFFFFFFFF

# qdiscs the default kernel has (sch_*.c built in or as modules); a profile's
# kernel.missing_qdiscs takes some away (the recording VM has no netem or fq_codel)
KNOWN_KINDS = ("pfifo", "bfifo", "pfifo_head_drop", "pfifo_fast", "tbf", "htb", "netem", "fq_codel", "ingress",
               "clsact", "prio", "sfq", "red", "codel", "fq", "cake", "hfsc", "drr", "qfq",
               "mq", "multiq", "plug", "pie", "hhf", "choke", "sfb", "ets", "skbprio",
               "noqueue")
# the kinds without class_ops (sch_fifo.c, sch_generic.c's pfifo_fast and noqueue)
CLASSLESS = ("pfifo", "bfifo", "pfifo_head_drop", "pfifo_fast", "noqueue")
# what ipemu models; the others are refused as a kernel without them would
MODELLED = ("pfifo", "bfifo", "pfifo_head_drop", "pfifo_fast", "tbf", "htb", "netem", "fq_codel", "ingress",
            "prio", "clsact", "mq", "noqueue")
PRIOMAP = (1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1)     # prio_parse_opt()'s default


@dataclass
class QStats:
    """gnet_stats_basic + gnet_stats_queue: what `tc -s` prints."""

    bytes: int = 0
    packets: int = 0
    drops: int = 0
    overlimits: int = 0
    requeues: int = 0
    backlog: int = 0
    qlen: int = 0
    # struct net_rate_estimator (gen_estimator.c) when TCA_RATE made one: intvl_log,
    # ewma_log, last_bytes, last_packets, avbps, avpps (both << 8)
    est: list = field(default_factory=list)

    def est_timer(self, clock) -> None:
        """est_timer(): the rates of the last period into the moving averages, then
        again (HZ/4) << intvl_log later; a killed estimator (empty) stops."""
        if not self.est:
            return
        intvl_log, ewma_log, last_bytes, last_packets, avbps, avpps = self.est
        brate = (self.bytes - last_bytes) << (10 - intvl_log)
        avbps += (brate >> ewma_log) - (avbps >> ewma_log)
        rate = (self.packets - last_packets) << (10 - intvl_log)
        avpps += (rate >> ewma_log) - (avpps >> ewma_log)
        self.est[:] = [intvl_log, ewma_log, self.bytes, self.packets, avbps, avpps]
        clock.call_later(0.25 * (1 << intvl_log), self, "est_timer", clock)


def gen_new_estimator(clock, stats: QStats, est: tuple) -> None:
    """gen_new_estimator() / gen_replace_estimator(): TCA_RATE's interval (-2..3: 250 ms
    to 8 s) and ewma_log; the counters so far are the start."""
    interval, ewma_log = est
    if not -2 <= interval <= 3 or not 0 < ewma_log < 31:
        raise KernelError(Errno.EINVAL, "Failed to generate new estimator")
    replaced = bool(stats.est)
    stats.est[:] = [interval + 2, ewma_log, stats.bytes, stats.packets, 0, 0]
    if not replaced:
        clock.call_later(0.25 * (1 << (interval + 2)), stats, "est_timer", clock)


@dataclass
class TcClass:
    """An htb class (struct htb_class): its rates, buffers and leaf qdisc handle."""

    classid: int
    parent: int                     # TC_H_ROOT or the parent class's id
    opts: dict = field(default_factory=dict)
    stats: QStats = field(default_factory=QStats)
    leaf: int = 0                   # the handle of a qdisc grafted under it
    # the buckets (sch_htb.c htb_charge_class()), in ns as the kernel keeps them: tokens
    # of rate and ctokens of ceil at t_c (-1: full, not yet charged); when the last
    # queued packet leaves
    tokens: int = 0
    ctokens: int = 0
    t_c: int = -1
    t_create: int = -1              # when htb_change_class() made it (ns), its t_c then
    t_next: int = 0
    lends: int = 0
    borrows: int = 0
    # per held packet, what its charge counts when it leaves (htb_charge_class() runs
    # at dequeue): [lend?, the class ids its charge puts in HTB_CANT_SEND]
    pending: list = field(default_factory=list)
    # the default fifo the class holds while no qdisc is grafted, when it is in
    # dev->qdisc_hash as TCQ_F_INVISIBLE (qdisc_hash_add(q, true): an htb leaf's pfifo
    # from htb_change_class(), tbf's bfifo from tbf_change()): (kind, limit, hash
    # order); () when it is an unhashed one (htb_graft()'s or htb_delete()'s) or noop
    dflt: tuple = ()

    def dequeue(self, stack, dev, frame, length: int, q: "Qdisc") -> None:
        """htb_dequeue(): the class's held packet leaves (a timer's action)."""
        if self.pending:
            _htb_account(q, self, *self.pending.pop(0))
        _class_dequeue(self, stack, dev, frame, length, q)

    def band_out(self, stack, dev, frame, length: int, q: "Qdisc", leaf: "Qdisc") -> None:
        """prio_dequeue(): the band's netem lets a packet go; prio and the class count it."""
        for holder in (q, leaf):
            holder.stats.qlen -= 1
            holder.stats.backlog -= length
        if not (q.live and leaf.live):
            return
        for holder in (q, self, leaf):
            _sent(holder.stats, length)
        stack.dev_xmit(dev, frame, True)

    def leaf_ready(self, stack, dev, frame, length: int, q: "Qdisc", leaf: "Qdisc") -> None:
        """The netem under this class lets a packet go: htb's buckets take over."""
        leaf.stats.qlen -= 1
        leaf.stats.backlog -= length
        if not (q.live and leaf.live):
            return
        _sent(leaf.stats, length)
        if not _htb_admit(stack, dev, q, self, frame, length, stack.clock.now):
            stack.dev_xmit(dev, frame, True)


@dataclass
class Qdisc:
    """struct Qdisc: kind, handle, where it hangs, its options and counters."""

    kind: str
    handle: int
    parent: int
    opts: dict = field(default_factory=dict)
    stats: QStats = field(default_factory=QStats)
    classes: list[TcClass] = field(default_factory=list)
    # tbf/htb: when the queue's last packet leaves; tbf's tokens (seconds of rate) at t_c
    t_next: float = 0.0
    tokens: float = 0.0
    t_c: float = 0.0
    live: bool = True               # False once deleted: packets it held are dropped
    max_size: int | None = None     # tbf: the longest packet it takes (tbf_change())
    # tbf: the timers of the packets it holds, oldest first; `refilled` once a change
    # gave the bucket back while packets wait (the next enqueue's dequeue sends them)
    held: list = field(default_factory=list)
    refilled: bool = False
    filters: list = field(default_factory=list)   # tcf_protos (sch_cls_u32.TcProto)
    egress_filters: list = field(default_factory=list)  # clsact's egress block
    # tcf_block.classid per block ("egress" for clsact's, "" the other): the parent
    # of the last RTM_NEWTFILTER that found it, which filter dumps report
    block_classid: dict = field(default_factory=dict)
    # mq_init(): one default qdisc per tx queue (handle 0, parent major:queue+1)
    mq_children: list = field(default_factory=list)
    # qdisc_get_stab(): the size table (tc_stab.c) as (struct tc_sizespec, data): the
    # spec's linklayer, overhead, mpu, mtu, tsize, cell_log, size_log, cell_align
    stab: tuple = ()
    seq: int = 0                    # when it went into dev->qdisc_hash (TcState.next_seq)
    u32_used: bool = False          # the block's u32 common exists (its first table: 800:)
    u32_next: int = 0               # gen_new_htid()'s cyclic id
    # tc_u_common's hlist (one per qdisc, every chain's): [handle, divisor, prio] of
    # each u32 hash table, newest first (u32_init()/u32_change() insert at the head)
    u32_hlist: list = field(default_factory=list)
    # tcf_block.chain_list per block (keys as block_classid's): [index, explicitly
    # created] in creation order; a chain lives while it holds filters or was added
    chains: dict = field(default_factory=dict)
    # htb_tcf_block(): each class's own block of filters, by class id
    class_blocks: dict = field(default_factory=dict)
    # Qdisc_class_hash: the class ids per bucket, each bucket newest first (the dump's order)
    clhash: list[list[int]] = field(default_factory=lambda: [[], [], [], []])

    def dequeue(self, stack, dev, frame, length: int) -> None:
        """The held packet leaves (a timer's action: netem's time_to_send, tbf's tokens)."""
        _qdisc_dequeue(self, stack, dev, frame, length)


@dataclass
class TcState:
    """What tc attached to one device: the root, the qdiscs under classes, ingress."""

    root: Qdisc | None = None
    children: list[Qdisc] = field(default_factory=list)
    ingress: Qdisc | None = None
    # dev_ingress_queue_create(): the first ingress/clsact qdisc gives the device an
    # ingress queue, which stays (with noop in it) when that qdisc is deleted
    ingress_queue: bool = False
    # the default root qdisc is one attach_default_qdiscs() put back after a delete
    # (its RTM_DELQDISC then says refcnt 1, the first one's 2: sch_notify.py)
    default_restored: bool = False
    hash_seq: int = 0               # qdisc_hash_add()s so far (each bucket newest first)

    def next_seq(self) -> int:
        self.hash_seq += 1
        return self.hash_seq

    def all(self) -> list[Qdisc]:
        out = [self.root] if self.root is not None else []
        out += self.children
        if self.ingress is not None:
            out.append(self.ingress)
        return out

    def lookup(self, handle: int) -> Qdisc | None:
        """qdisc_lookup(): by major handle."""
        for q in self.all():
            if q.handle == handle:
                return q
        return None


@dataclass(frozen=True)
class QdiscRequest:
    """RTM_NEWQDISC / RTM_DELQDISC as tc_qdisc.c tc_qdisc_modify() builds it."""

    delete: bool
    ifindex: int
    parent: int = 0
    handle: int = 0
    kind: str = ""
    opts: tuple = ()                # TCA_OPTIONS as (name, value) pairs
    flags: NLM_F = NLM_F.REQUEST
    stab: tuple = ()                # TCA_STAB: (TCA_STAB_BASE's sizespec, TCA_STAB_DATA)
    est: tuple = ()                 # TCA_RATE: struct tc_estimator (interval, ewma_log)


@dataclass(frozen=True)
class ClassRequest:
    """RTM_NEWTCLASS / RTM_DELTCLASS (tc_class.c tc_class_modify())."""

    delete: bool
    ifindex: int
    parent: int = 0
    classid: int = 0
    kind: str = ""
    opts: tuple = ()
    flags: NLM_F = NLM_F.REQUEST
    est: tuple = ()                 # TCA_RATE: struct tc_estimator (interval, ewma_log)


@dataclass(frozen=True)
class QdiscMsg:
    """One RTM_NEWQDISC of a dump (tc_fill_qdisc())."""

    kind: str
    handle: int
    ifindex: int
    parent: int
    refcnt: int
    opts: tuple
    stats: QStats
    xstats: tuple = ()
    stab: tuple = ()                # TCA_STAB_BASE: the size table's sizespec


@dataclass(frozen=True)
class ClassMsg:
    """One RTM_NEWTCLASS of a dump (tc_fill_tclass())."""

    kind: str
    classid: int
    ifindex: int
    parent: int
    leaf: int
    opts: tuple
    stats: QStats
    xstats: tuple = ()


# ------------------------------------------------------------------ defaults
def default_opts(dev, kind: str) -> dict:
    """The options a qdisc takes when the request gives none (each kind's init)."""
    if kind in ("pfifo", "pfifo_head_drop"):
        return {"limit": max(dev.txqlen, 1)}                    # fifo_init()
    if kind == "bfifo":
        return {"limit": max(dev.txqlen, 1) * (dev.mtu + 14)}   # * psched_mtu(dev)
    if kind == "fq_codel":
        # fq_codel_init(): quantum psched_mtu(dev), CoDel's 5 ms / 100 ms, ECN on
        return {"limit": 10240, "flows": 1024, "quantum": dev.mtu + 14, "target": 4999,
                "interval": 99999, "memory_limit": 32 << 20, "ecn": True, "drop_batch": 64}
    if kind == "netem":
        return {"limit": 1000}
    if kind == "htb":
        return {"r2q": 10, "defcls": 0, "direct_qlen": dev.txqlen}
    if kind == "prio":
        return {"bands": 3, "priomap": PRIOMAP}
    return {}


def psched_l2t_ns(rate: int, length: int) -> int:
    """psched_ratecfg_precompute() + psched_l2t_ns(): the time `length` bytes take at
    `rate`, by the kernel's multiply-and-shift (a little under the exact value)."""
    factor, shift, mult = 1_000_000_000, 0, 0
    while rate > 0:
        mult = factor // rate
        if mult & (1 << 31) or factor & (1 << 63):
            break
        factor <<= 1
        shift += 1
    return (length * mult) >> shift


def _tbf_check(opts: dict) -> None:
    """tbf_change(): a peak rate must be above the rate ("sch_tbf: peakrate ... is lower
    than or equals to rate" goes to the kernel log; the request gets -EINVAL)."""
    if opts.get("peakrate") and opts["peakrate"] <= opts.get("rate", 0):
        raise KernelError(Errno.EINVAL)


def _tbf_change(q: Qdisc) -> None:
    """tbf_change(): TCA_TBF_BURST in bytes sets the bucket, kept in ns, dumped in ticks."""
    burst = q.opts.pop("burst", None)
    # max_size: the largest packet the buckets can ever pass (TCA_TBF_BURST, then at
    # most the peak bucket's TCA_TBF_PBURST); tbf_enqueue() drops a longer one
    q.max_size = burst
    if burst is not None:
        q.opts["buffer"] = psched_l2t_ns(q.opts["rate"], _ratecfg_len(q.opts, burst)) >> 6
    # the peak rate's bucket (TCA_TBF_PBURST) likewise; ipemu shapes by the rate only
    pburst = q.opts.pop("pburst", None)
    if pburst is not None:
        q.opts["mtu"] = psched_l2t_ns(q.opts["peakrate"], _ratecfg_len(q.opts, pburst)) >> 6
        if q.max_size is not None:
            q.max_size = min(q.max_size, pburst)
    # tbf_change(): q->tokens = q->buffer, a full bucket again; the packets queued stay
    # (no dequeue, the watchdog stays armed) until the next enqueue's __qdisc_run()
    q.tokens = q.opts.get("buffer", 0) / TICKS_PER_SEC
    q.refilled = bool(q.stats.qlen)


def _tbf_default_child(sch: TcState, q: Qdisc) -> None:
    """tbf_change(): with noop under it and a limit, fifo_create_dflt() makes a bfifo of
    that limit and qdisc_hash_add(child, true) hides it; the one it has already gets
    the new limit (fifo_set_limit())."""
    cl = q.classes[0]
    limit = q.opts.get("limit", 0)
    if cl.dflt:
        cl.dflt = (cl.dflt[0], limit, cl.dflt[2])
    elif limit > 0:
        cl.dflt = ("bfifo", limit, sch.next_seq())


def _ratecfg_len(opts: dict, length: int) -> int:
    """psched_l2t_ns()'s length: the rate's overhead (tc's `overhead N`) added, at least
    its mpu, and in 53-byte cells of 48 when the link layer is ATM (recorded: `burst
    10k ... linklayer atm` dumps a burst of 11342b)."""
    length = max(length + opts.get("overhead", 0), opts.get("mpu", 0))
    if opts.get("linklayer") == "atm":
        length = -(-length // 48) * 53
    return length


def _refcnt(dev, q: Qdisc) -> int:
    """tcm_info: a root qdisc is held once by the device and once per tx queue
    (dev_graft_qdisc()); ingress and qdiscs under classes once; mq grafts its
    queues' qdiscs instead of itself."""
    if q.parent == TC_H_ROOT and q.kind != "mq":
        return 1 + dev_numtxqueues(dev)
    return 1


def dev_numtxqueues(dev) -> int:
    return dev.info.numtxqueues


def dev_real_numtxqueues(dev) -> int:
    """real_num_tx_queues: veth_init_queues() sets 1 unless numtxqueues was asked for."""
    return dev.info.real_numtxqueues or \
        (1 if dev.kind == "veth" else dev.info.numtxqueues)


def dev_real_numrxqueues(dev) -> int:
    """real_num_rx_queues: veth_init_queues() sets 1 unless numrxqueues was asked for
    (for the peer too: it is given the device's own attributes, recorded)."""
    return dev.info.real_numrxqueues or \
        (1 if dev.kind == "veth" else dev.info.numrxqueues)


# ------------------------------------------------------------------ requests
def _missing(ns, kind: str) -> bool:
    return kind not in MODELLED or kind in ns.kernel.get("missing_qdiscs", [])


def tc_modify_qdisc(ns, req: QdiscRequest) -> None:
    """tc_modify_qdisc(): find what hangs at the parent, then change it or create and
    graft a new one, as the NLM_F flags and the kind decide."""
    dev = ns.devices.get(req.ifindex)
    if dev is None:
        raise KernelError(Errno.ENODEV)
    sch = dev.sch or TcState()
    p = None
    if req.parent:
        if req.parent == TC_H_ROOT:
            q = sch.root
        elif req.parent == TC_H_INGRESS:
            q = sch.ingress
        else:
            p = sch.lookup(req.parent & 0xFFFF0000)
            if p is None:
                raise KernelError(Errno.ENOENT, "Failed to find specified qdisc")
            # qdisc_leaf(): the parent's class_ops find the class
            if p.kind in CLASSLESS:
                raise KernelError(Errno.EOPNOTSUPP, "Parent qdisc is not classful")
            if _find_class(p, req.parent) is None:
                raise KernelError(Errno.ENOENT, "Specified class not found")
            q = _leaf(sch, p, req.parent)
        if not req.handle or q is None or q.handle != req.handle:
            if req.handle:
                if q is not None and not req.flags & NLM_F.REPLACE:
                    raise KernelError(Errno.EEXIST, "NLM_F_REPLACE needed to override")
                other = sch.lookup(req.handle)
                if other is None:
                    return _create_n_graft(ns, dev, sch, req, p)
                if other.parent != req.parent:
                    # the recording kernel's check (newer than 6.1)
                    raise KernelError(Errno.EINVAL,
                                      "Cannot move an existing qdisc to a different parent")
                if req.flags & NLM_F.EXCL:
                    raise KernelError(Errno.EEXIST, "Exclusivity flag on, cannot override")
                raise KernelError(Errno.EINVAL, "Invalid qdisc name: must match existing qdisc")
            if q is None:
                return _create_n_graft(ns, dev, sch, req, p)
            # the "magic test" (net/sched/sch_api.c): another kind replaces what hangs
            # there for add and replace, and for change too (create_n_graft2)
            if req.kind and req.kind != q.kind:
                return _create_n_graft(ns, dev, sch, req, p, need_create=False)
    else:
        if not req.handle:
            raise KernelError(Errno.EINVAL, "Handle cannot be zero")
        q = sch.lookup(req.handle)
    if q is None:
        raise KernelError(Errno.ENOENT, "Specified qdisc not found")
    if req.flags & NLM_F.EXCL:
        raise KernelError(Errno.EEXIST, "Exclusivity flag on, cannot modify")
    if req.kind and req.kind != q.kind:
        # the recording kernel's text (Linux 6.1 said only "Invalid qdisc name")
        raise KernelError(Errno.EINVAL, "Invalid qdisc name: must match existing qdisc")
    _check_stab(req.stab)
    if req.est:
        gen_new_estimator(ns.clock, q.stats, req.est)   # gen_replace_estimator()
    if q.kind == "htb":
        # qdisc_change(): tc's htb_parse_opt() always sends TCA_OPTIONS, and
        # htb_qdisc_ops has no .change
        raise KernelError(Errno.EINVAL, "Change operation not supported by specified qdisc")
    if q.kind == "tbf":
        # tbf_change(): TCA_TBF_PARMS comes whole each time (tc's tbf_parse_opt()), so
        # a peak rate not given again is gone (peak_present from qopt->peakrate)
        _tbf_check(dict(req.opts))
        q.opts = dict(req.opts)
        _tbf_change(q)
        # tbf_change(): fifo_set_limit() hands the tbf's byte limit to a pfifo/bfifo
        # grafted under it as that fifo's own limit (a pfifo then says "limit 115536p")
        leaf = _leaf(sch, q, q.handle | 1)
        if leaf is not None and leaf.kind in ("pfifo", "bfifo", "pfifo_head_drop"):
            leaf.opts["limit"] = q.opts["limit"]
        elif leaf is None:
            _tbf_default_child(sch, q)
    else:
        q.opts.update(dict(req.opts))                   # qdisc_change()
    # qdisc_change(): the size table sent replaces the old one; none sent, none kept
    q.stab = req.stab


STAB_SIZE_LOG_MAX = 30


def _check_stab(stab: tuple) -> None:
    """qdisc_get_stab(): the logarithms within STAB_SIZE_LOG_MAX."""
    if stab and (stab[0][5] > STAB_SIZE_LOG_MAX or stab[0][6] > STAB_SIZE_LOG_MAX):
        raise KernelError(Errno.EINVAL, "Invalid logarithmic size of size table")


def qdisc_pkt_len(stab: tuple, length: int) -> int:
    """__qdisc_calculate_pkt_len(): the length the qdisc counts and shapes by: the
    overhead added, then the table's size of that slot (beyond the table: whole
    tables' worth of its last entry plus the rest's)."""
    (_, overhead, _, _, tsize, cell_log, size_log, cell_align), data = stab
    pkt_len = length + overhead
    if tsize:
        slot = max(pkt_len + cell_align, 0) >> cell_log
        if slot < tsize:
            pkt_len = data[slot]
        else:
            pkt_len = data[tsize - 1] * (slot // tsize) + data[slot % tsize]
        pkt_len <<= size_log
    return max(pkt_len, 1)


def _find_class(p: Qdisc, classid: int) -> TcClass | None:
    """The parent's cl_ops->find(): tbf_find() answers its one class for any minor."""
    if p.kind == "tbf":
        return p.classes[0] if p.classes else None
    return next((c for c in p.classes if c.classid == classid), None)


def _leaf(sch: TcState, p: Qdisc, classid: int) -> Qdisc | None:
    c = _find_class(p, classid)
    if c is not None and c.leaf:
        return sch.lookup(c.leaf)
    return None


def _create_n_graft(ns, dev, sch: TcState, req: QdiscRequest, p: Qdisc | None,
                    need_create: bool = True) -> None:
    if need_create and not req.flags & NLM_F.CREATE:
        raise KernelError(Errno.ENOENT,
                          "Qdisc not found. To create specify NLM_F_CREATE flag")
    if req.parent == TC_H_INGRESS:
        if req.kind not in ("ingress", "clsact"):
            raise KernelError(Errno.EINVAL, "Specified parent ID is reserved for ingress "
                              "and clsact Qdiscs")
    elif req.kind in ("ingress", "clsact"):
        raise KernelError(Errno.EINVAL, "Can only be attached as root qdisc")
    if not req.kind or _missing(ns, req.kind):
        raise KernelError(Errno.ENOENT, "Specified qdisc kind is unknown")
    if req.kind == "tbf":
        _tbf_check(dict(req.opts))
    if req.kind == "htb" and dict(req.opts).get("offload"):
        # htb_init(): offload wants the root and a device that can take it (none here)
        if req.parent != TC_H_ROOT:
            raise KernelError(Errno.EOPNOTSUPP, "HTB must be the root qdisc to use offload")
        raise KernelError(Errno.EOPNOTSUPP, "hw-tc-offload ethtool feature flag must be on")
    _check_stab(req.stab)
    if req.kind == "mq" and (req.parent != TC_H_ROOT or dev_numtxqueues(dev) < 2):
        raise KernelError(Errno.EOPNOTSUPP)     # mq_init(): root of a multiqueue device
    handle = req.handle
    if req.parent == TC_H_INGRESS:
        handle = 0xFFFF0000
    elif not handle:
        handle = qdisc_alloc_handle(ns, sch)
    q = Qdisc(req.kind, handle, req.parent, default_opts(dev, req.kind))
    q.opts.update(dict(req.opts))
    q.stab = req.stab
    if req.est:
        gen_new_estimator(ns.clock, q.stats, req.est)
    if req.kind == "prio" and not 2 <= q.opts["bands"] <= 16:
        raise KernelError(Errno.EINVAL)                 # prio_tune(): 2..TCQ_PRIO_BANDS
    if req.kind == "prio":
        # prio_tune(): one class per band, each with its own (default, unnamed) fifo
        q.classes = [TcClass(handle | band, handle) for band in range(1, q.opts["bands"] + 1)]
    if req.kind == "tbf":
        _tbf_change(q)
        q.tokens = q.opts["buffer"] / TICKS_PER_SEC
        # tbf_class_ops: one class, minor 1, whose leaf is the inner qdisc (a hidden
        # bfifo until one is grafted; ipemu shapes by the tbf alone)
        q.classes = [TcClass(handle | 1, handle)]
        _tbf_default_child(sch, q)
    if req.kind == "mq":
        # mq_attach(): only the first real_num_tx_queues are hashed (dumped)
        # (get_default_qdisc_ops(): net.core.default_qdisc, pfifo_fast here)
        q.mq_children = [Qdisc("pfifo_fast", 0, handle | (ntx + 1),
                               default_opts(dev, "pfifo_fast"))
                         for ntx in range(dev_real_numtxqueues(dev))]
        for child in q.mq_children:
            child.seq = sch.next_seq()
    q.t_c = ns.clock.now
    if req.parent == TC_H_INGRESS:
        sch.ingress = q
        sch.ingress_queue = True
    elif req.parent == TC_H_ROOT:
        _destroy(sch, sch.root, ns.clock.now)
        sch.root = q
        dev.qdisc = req.kind
    else:
        cl = _find_class(p, req.parent)
        if cl is None:
            raise KernelError(Errno.ENOENT, "Specified class not found")
        if cl.leaf:
            old = sch.lookup(cl.leaf)
            _destroy(sch, old, ns.clock.now)          # qdisc_graft() -> qdisc_put() of the leaf it replaces
            if old in sch.children:
                sch.children.remove(old)
        q.parent = req.parent
        cl.leaf = handle
        cl.dflt = ()                # qdisc_graft(): the default fifo it held goes
        q.seq = sch.next_seq()
        sch.children.append(q)
    dev.sch = sch


def qdisc_alloc_handle(ns, sch: TcState) -> int:
    """qdisc_alloc_handle(): 8001:, 8002:, ... from one counter the kernel keeps
    (a static in sch_api.c: every device and namespace of the host shares it)."""
    while True:
        nxt = ns.clock.tc_autohandle + 0x10000
        ns.clock.tc_autohandle = nxt if nxt < 0xFFFF0000 else 0x80000000
        if sch.lookup(ns.clock.tc_autohandle) is None:
            return ns.clock.tc_autohandle


def _destroy(sch: TcState, q: Qdisc | None, now: float) -> None:
    """qdisc_put(): the qdisc and every qdisc under its classes go; their filters'
    actions are released an RCU grace period later (tcf_queue_work())."""
    if q is None:
        return
    q.live = False
    q.stats.est.clear()                     # gen_kill_estimator()
    for c in q.classes:
        c.stats.est.clear()
    from ipemu.kernel.act_mirred import tcf_exts_put
    from ipemu.kernel.sch_cls_u32 import all_protos
    for tp in all_protos(q):
        for node in tp.nodes:
            tcf_exts_put(node.actions, now)
    for c in q.classes:
        if c.leaf:
            child = sch.lookup(c.leaf)
            if child is not None and child in sch.children:
                sch.children.remove(child)
                _destroy(sch, child, now)


def tc_del_qdisc(ns, req: QdiscRequest) -> None:
    """tc_get_qdisc() for RTM_DELQDISC: a default qdisc (handle 0) cannot go."""
    dev = ns.devices.get(req.ifindex)
    if dev is None:
        raise KernelError(Errno.ENODEV)
    sch = dev.sch or TcState()
    if not req.parent:
        q = sch.lookup(req.handle)
        if q is None:
            raise KernelError(Errno.ENOENT, "Failed to find qdisc with specified handle")
        raise KernelError(Errno.EINVAL, "Classid cannot be zero")
    if req.parent == TC_H_ROOT:
        q = sch.root
    elif req.parent == TC_H_INGRESS:
        q = sch.ingress
        if not sch.ingress_queue:
            # tc_get_qdisc(): dev_ingress_queue() is NULL until an ingress qdisc was made
            raise KernelError(Errno.ENOENT, "Cannot find specified qdisc on specified device")
    else:
        p = sch.lookup(req.parent & 0xFFFF0000)
        if p is None:
            raise KernelError(Errno.ENOENT, "Failed to find qdisc with specified classid")
        if p.kind in CLASSLESS:
            # qdisc_leaf(): no class_ops (fuzz seed 485109: `tc qdisc del dev lo handle
            # 2: parent 1:1 sfq` under a pfifo_fast root)
            raise KernelError(Errno.EOPNOTSUPP, "Parent qdisc is not classful")
        if p.kind == "htb" and _find_class(p, req.parent) is None:
            # qdisc_leaf(): cops->find() found no such class
            raise KernelError(Errno.ENOENT, "Specified class not found")
        q = _leaf(sch, p, req.parent)
    if q is None:
        # the default (noop, noqueue...) has handle 0: a handle asked for is wrong first,
        # then a kind that is not the default's (recorded: `tc qdisc del dev X root
        # netem` on a noqueue root), and only then the handle of zero
        if req.handle:
            raise KernelError(Errno.EINVAL, "Invalid handle")
        # ... then TCA_KIND against the default's own kind (noqueue, noop; an htb
        # class's default leaf is a pfifo: qdisc_create_dflt())
        default = dev.qdisc if req.parent == TC_H_ROOT else "pfifo"
        if req.kind and default and req.kind != default:
            raise KernelError(Errno.EINVAL, "Invalid qdisc name: must match existing qdisc")
        raise KernelError(Errno.EINVAL, "Cannot delete qdisc with handle of zero")
    if req.handle and q.handle != req.handle:
        raise KernelError(Errno.EINVAL, "Invalid handle")
    if req.kind and req.kind != q.kind:
        # tc_get_qdisc(): the same text as qdisc_change()'s on this kernel
        raise KernelError(Errno.EINVAL, "Invalid qdisc name: must match existing qdisc")
    _destroy(sch, q, ns.clock.now)
    if q is sch.root:
        sch.root = None
        sch.default_restored = True     # attach_default_qdiscs() puts one back
        # qdisc_graft(): noop in its place; dev_activate() gives an UP device its default
        dev.qdisc = dev.up_qdisc if dev.admin_up else "noop"
    elif q is sch.ingress:
        sch.ingress = None
    else:
        sch.children.remove(q)
        for owner in sch.all():
            for c in owner.classes:
                if c.leaf == q.handle:
                    c.leaf = 0
    if not sch.all() and not sch.default_restored:
        dev.sch = None


def dev_tc_shutdown(dev, now: float) -> None:
    """dev_shutdown(): a device leaving its namespace loses what tc attached."""
    if dev.sch is not None:
        from ipemu.kernel.act_mirred import tcf_exts_put
        from ipemu.kernel.sch_cls_u32 import all_protos
        for q in dev.sch.all():
            q.live = False
            q.stats.est.clear()
            for c in q.classes:
                c.stats.est.clear()
            for tp in all_protos(q):
                for node in tp.nodes:
                    tcf_exts_put(node.actions, now)
        dev.sch = None


# ------------------------------------------------------------------ classes
def tc_ctl_tclass(ns, req: ClassRequest) -> str | None:
    """tc_ctl_tclass(): classes of a classful qdisc (htb here). Returns the extack
    warning of a request that succeeded (htb_change_class()'s quantum), if any."""
    dev = ns.devices.get(req.ifindex)
    if dev is None:
        raise KernelError(Errno.ENODEV)
    sch = dev.sch or TcState()
    qid = (req.classid or req.parent) & 0xFFFF0000
    if req.parent and req.parent != TC_H_ROOT:
        pid = req.parent & 0xFFFF0000
        if qid and pid != qid:
            raise KernelError(Errno.EINVAL)     # "both majors known, must be identical"
        qid = pid
    if not qid:
        q = sch.root
    else:
        q = sch.lookup(qid)
    if q is None:
        raise KernelError(Errno.ENOENT)         # tc_ctl_tclass() says no more
    if q.kind != "htb":
        _tclass_without_change(dev, q, req)
    classid = req.classid if req.classid & 0xFFFF0000 else q.handle | req.classid
    cl = next((c for c in q.classes if c.classid == classid), None)
    if req.delete:
        if cl is None:
            raise KernelError(Errno.ENOENT)
        from ipemu.kernel.sch_cls_u32 import class_block_put, class_in_use
        if any(c.parent == classid for c in q.classes) or class_in_use(q, classid):
            # htb_delete(): a class with children, or one a filter is bound to, stays
            raise KernelError(Errno.EBUSY, "HTB class in use")
        class_block_put(ns, q, classid)
        if cl.leaf:
            child = sch.lookup(cl.leaf)
            if child is not None:
                sch.children.remove(child)
                _destroy(sch, child, ns.clock.now)
        cl.stats.est.clear()                # gen_kill_estimator()
        q.classes.remove(cl)
        for bucket in q.clhash:
            if classid in bucket:
                bucket.remove(classid)
        return
    if cl is not None:
        if req.flags & NLM_F.EXCL:
            raise KernelError(Errno.EEXIST)      # tc_ctl_tclass(): no extack here
        if req.kind and req.kind != q.kind:
            raise KernelError(Errno.EINVAL, "Specified class kind does not match qdisc kind")
        cl.opts.update(dict(req.opts))
        if req.est:
            gen_new_estimator(ns.clock, cl.stats, req.est)  # gen_replace_estimator()
        _htb_prio_clamp(cl)
        return None if _htb_level(q, cl) else _htb_quantum_warning(q, cl)
    if not req.flags & NLM_F.CREATE:
        raise KernelError(Errno.ENOENT)
    if not req.classid:
        raise KernelError(Errno.EINVAL)
    if dict(req.opts).get("foreign_empty"):
        # htb_change_class(): an empty TCA_OPTIONS (drr's, qfq's) has no TCA_HTB_PARMS
        raise KernelError(Errno.EINVAL)
    if dict(req.opts).get("foreign_opts"):
        # htb_change_class(): nla_parse_nested() of another kind's attributes
        # (cbq's, hfsc's, drr's, qfq's, whose sizes htb_policy refuses)
        raise KernelError(Errno.EINVAL, "Attribute failed policy validation")
    # htb_change_class(): a parent that is no class of this qdisc makes a root class
    parent = TC_H_ROOT
    if any(c.classid == req.parent for c in q.classes):
        parent = req.parent
        _htb_leaf_to_inner(sch, q, parent, ns.clock.now)
    cl = TcClass(classid, parent, dict(req.opts))
    # htb_change_class(): a new class's buckets start full; a later change of its
    # rate leaves them as they are (the dump's tokens stay the first buffer's)
    cl.tokens = cl.opts.get("buffer", 0) << 6
    cl.ctokens = cl.opts.get("cbuffer", 0) << 6
    cl.t_create = int(ns.clock.now * 1e9)
    # htb_change_class(): the new leaf's qdisc_create_dflt() pfifo (fifo_init(): the
    # device's txqueuelen, at least 1), hashed hidden
    cl.dflt = ("pfifo", max(dev.txqlen, 1), sch.next_seq())
    if req.est:
        gen_new_estimator(ns.clock, cl.stats, req.est)
    _htb_prio_clamp(cl)
    q.classes.append(cl)
    clhash_insert(q, classid)
    dev.sch = sch
    return _htb_quantum_warning(q, cl)


def _class_find(dev, q: Qdisc, clid: int) -> bool:
    """The cl_ops->find() of the classful qdiscs other than htb: tbf_find(),
    netem_find() and red_find() answer 1 for any minor, ingress_find() min + 1,
    clsact_find() its two minors, prio_find() a band of the qdisc's, mq's a tx queue;
    sfq's and fq_codel's none (their classes are only walked)."""
    minor = clid & 0xFFFF
    if q.kind in ("tbf", "netem", "red", "ingress"):
        return True
    if q.kind == "clsact":
        return minor in (0xFFF2, 0xFFF3)
    if q.kind == "prio":
        return 1 <= minor <= q.opts.get("bands", 3)
    if q.kind == "mq":
        return 1 <= minor <= dev_numtxqueues(dev)
    return False


# the qdiscs with class ops (Qdisc_class_ops) but no change() nor delete()
CLASS_OPS_WITHOUT_CHANGE = ("tbf", "netem", "red", "ingress", "clsact", "prio", "mq", "sfq",
                            "fq_codel")


def _tclass_without_change(dev, q: Qdisc, req: ClassRequest) -> None:
    """tc_ctl_tclass() on a qdisc that is not htb: no cl_ops is EINVAL; else the class
    is looked for (the qdisc's own handle when no class id is given and the parent is
    root) and, found or not, the request fails: EEXIST for an exclusive add of a
    class found, EOPNOTSUPP for a delete (no delete()) or a change or create (no
    change()), ENOENT for a class not found without NLM_F_CREATE (recorded:
    fuzz39_class_ops_without_change)."""
    if q.kind not in CLASS_OPS_WITHOUT_CHANGE:
        raise KernelError(Errno.EINVAL)         # no cl_ops
    if req.classid:
        clid = q.handle | (req.classid & 0xFFFF)
    else:
        clid = q.handle if req.parent == TC_H_ROOT else 0
    found = bool(clid) and _class_find(dev, q, clid)
    if not found:
        if req.delete or not req.flags & NLM_F.CREATE:
            raise KernelError(Errno.ENOENT)
        raise KernelError(Errno.EOPNOTSUPP)
    if not req.delete and req.flags & NLM_F.EXCL:
        raise KernelError(Errno.EEXIST)
    raise KernelError(Errno.EOPNOTSUPP)


def _htb_leaf_to_inner(sch: TcState, q: Qdisc, parentid: int, now: float) -> None:
    """htb_change_class(): a leaf getting its first child becomes an inner class, and
    the qdisc grafted on it goes (qdisc_put(old_q))."""
    parent = next(c for c in q.classes if c.classid == parentid)
    if any(c.parent == parentid for c in q.classes):
        return
    parent.dflt = ()                # its leaf qdisc, whichever it was, is put
    if not parent.leaf:
        return
    child = sch.lookup(parent.leaf)
    parent.leaf = 0
    if child is not None and child in sch.children:
        sch.children.remove(child)
        _destroy(sch, child, now)


def _htb_prio_clamp(cl: TcClass) -> None:
    """htb_change_class(): a prio of TC_HTB_NUMPRIO (8) or more becomes 7."""
    if cl.opts.get("prio", 0) >= 8:
        cl.opts["prio"] = 7


def _htb_quantum_warning(q: Qdisc, cl: TcClass) -> str | None:
    """htb_change_class() for a leaf: the quantum is rate / r2q; one not given and out
    of 1000..200000 is clamped with a warning (NL_SET_ERR_MSG_FMT_MOD: the module's
    name first, the class id in %X)."""
    if cl.opts.get("quantum"):
        return None
    quantum = cl.opts.get("rate", 0) // (q.opts.get("r2q") or 10)
    if 1000 <= quantum <= 200000:
        return None
    size = "small" if quantum < 1000 else "big"
    return f"sch_htb: quantum of class {cl.classid:X} is {size}. Consider r2q change."


def _class_hash(classid: int, mask: int) -> int:
    """qdisc_class_hash()."""
    classid ^= classid >> 8
    classid ^= classid >> 4
    return classid & mask


def clhash_insert(q: Qdisc, classid: int) -> None:
    """qdisc_class_hash_insert() (hlist_add_head), then qdisc_class_hash_grow(): double
    the table once it is more than 3/4 full, re-adding each bucket's entries in order."""
    q.clhash[_class_hash(classid, len(q.clhash) - 1)].insert(0, classid)
    if sum(map(len, q.clhash)) * 4 <= len(q.clhash) * 3:
        return
    size = len(q.clhash) * 2
    table: list[list[int]] = [[] for _ in range(size)]
    for bucket in q.clhash:
        for cid in bucket:
            table[_class_hash(cid, size - 1)].insert(0, cid)
    q.clhash = table


# ------------------------------------------------------------------ dumps
def tc_dump_qdisc(ns, ifindex: int = 0, invisible: bool = False) -> list[QdiscMsg]:
    """tc_dump_qdisc(): per device the root (a default one with handle 0 unless it is
    noop, which tc_qdisc_dump_ignore() skips), the qdiscs under it, then ingress;
    with TCA_DUMP_INVISIBLE the hidden default fifos of classes too."""
    out = []
    for dev in list(ns.devices.values()):
        if ifindex and dev.ifindex != ifindex:
            continue
        sch = dev.sch
        if sch is None or sch.root is None:
            if dev.qdisc not in ("noop", ""):
                out.append(_default_msg(dev))
        if sch is None:
            continue
        for q in (_dump_order_invisible(sch) if invisible else _dump_order(sch)):
            if isinstance(q, QdiscMsg):
                out.append(QdiscMsg(q.kind, q.handle, dev.ifindex, q.parent, q.refcnt,
                                    q.opts, q.stats))
                continue
            out.append(QdiscMsg(q.kind, q.handle, dev.ifindex, q.parent, _refcnt(dev, q),
                                tuple(q.opts.items()), _stats_of(q), _xstats(q),
                                q.stab[0] if q.stab else ()))
    return out


def _dump_order_invisible(sch: TcState) -> list:
    """tc_dump_qdisc_root() with dump_invisible: the root, then every qdisc of
    dev->qdisc_hash, the hidden default fifos (handle 0, bucket 0) among them, each
    bucket newest first, then the ingress queue's. A hidden one comes as a QdiscMsg."""
    hashed = [(q.handle, q.seq, q) for q in sch.children]
    if sch.root is not None:
        hashed += [(q.handle, q.seq, q) for q in sch.root.mq_children]
    for owner in sch.all():
        for c in owner.classes:
            if c.dflt and not c.leaf:
                hashed.append((0, c.dflt[2], _dflt_msg(owner, c)))
    hashed.sort(key=lambda entry: (qdisc_hash_bucket(entry[0]), -entry[1]))
    out: list = [sch.root] if sch.root is not None else []
    out += [entry[2] for entry in hashed]
    if sch.ingress is not None:
        out.append(sch.ingress)
    return out


def _dflt_msg(owner: Qdisc, c: TcClass) -> QdiscMsg:
    """A class's hidden default fifo as tc_fill_qdisc() gives it: handle 0, its class
    as the parent, the limit, and what passed through it (an htb leaf's are the
    class's; tbf's child's the tbf's own) with no overlimits of its own."""
    kind, limit, _ = c.dflt
    src = c.stats if owner.kind == "htb" else owner.stats
    stats = QStats(src.bytes, src.packets, src.drops, 0, 0, src.backlog, src.qlen)
    return QdiscMsg(kind, 0, 0, c.classid, 1, (("limit", limit),), stats)


def qdisc_hash_bucket(handle: int) -> int:
    """hash_32(handle, 4): dev->qdisc_hash's bucket (DECLARE_HASHTABLE(qdisc_hash, 4))."""
    return ((handle * 0x61C88647) & 0xFFFFFFFF) >> 28


def _dump_order(sch: TcState) -> list[Qdisc]:
    """tc_dump_qdisc_root(): the root, then hash_for_each() over dev->qdisc_hash (each
    bucket newest first: hash_add() puts a qdisc at its head), then the ingress queue's."""
    hashed = list(sch.children)
    if sch.root is not None:
        hashed = sch.root.mq_children + hashed
    order = sorted(range(len(hashed)), key=lambda i: (qdisc_hash_bucket(hashed[i].handle), -i))
    out = [sch.root] if sch.root is not None else []
    out += [hashed[i] for i in order]
    if sch.ingress is not None:
        out.append(sch.ingress)
    return out


def _stats_of(q: Qdisc) -> QStats:
    """mq_dump(): the sum of its queues' qdiscs; the others their own counters."""
    if q.kind != "mq":
        return _copy(q.stats)
    total = QStats()
    for child in q.mq_children:
        total.bytes += child.stats.bytes
        total.packets += child.stats.packets
        total.drops += child.stats.drops
    return total


def _default_msg(dev) -> QdiscMsg:
    """The qdisc dev_activate() attached (handle 0); fq_codel and pfifo_fast count what
    the device sent (each packet went through them), noqueue nothing."""
    kind = dev.qdisc
    stats = QStats()
    opts: dict = {}
    if kind != "noqueue":
        stats = QStats(bytes=dev.stats.tx_bytes, packets=dev.stats.tx_packets)
        if dev.kind == "ifb":
            # ifb_xmit() counts every frame as received, the ones it drops (not
            # redirected by tc) too: all of them went through the qdisc
            stats = QStats(bytes=dev.stats.rx_bytes, packets=dev.stats.rx_packets)
        opts = default_opts(dev, kind)
    xstats = ()
    if kind == "fq_codel":
        xstats = (("maxpacket", 0), ("drop_overlimit", 0), ("new_flow_count", 0),
                  ("ecn_mark", 0), ("new_flows_len", 0), ("old_flows_len", 0))
    return QdiscMsg(kind, 0, dev.ifindex, TC_H_ROOT, 2, tuple(opts.items()), stats, xstats)


def _copy(s: QStats) -> QStats:
    return QStats(s.bytes, s.packets, s.drops, s.overlimits, s.requeues, s.backlog, s.qlen,
                  list(s.est))


def _xstats(q: Qdisc) -> tuple:
    if q.kind == "fq_codel":
        return (("maxpacket", 0), ("drop_overlimit", 0), ("new_flow_count", 0),
                ("ecn_mark", 0), ("new_flows_len", 0), ("old_flows_len", 0))
    return ()


def tc_dump_tclass(ns, ifindex: int) -> list[ClassMsg]:
    dev = ns.devices.get(ifindex)
    out = []
    if dev is None or dev.sch is None:
        return out
    for q in dev.sch.all():
        if q.kind == "mq":
            # mq_walk() over dev->num_tx_queues, mq_dump_class(): a class per queue
            # under the root, its leaf the queue's qdisc (handle 0: not printed), its
            # counters that qdisc's (a queue past real_num_tx_queues has noop's)
            for ntx in range(dev_numtxqueues(dev)):
                child = q.mq_children[ntx] if ntx < len(q.mq_children) else None
                out.append(ClassMsg("mq", q.handle | (ntx + 1), ifindex, TC_H_ROOT,
                                    child.handle if child is not None else 0, (),
                                    _copy(child.stats) if child is not None else QStats(),
                                    ()))
            continue
        by_id = {c.classid: c for c in q.classes}
        # htb walks its class hash; prio_walk() its bands in order
        order = q.classes if q.kind in ("prio", "tbf") else \
            [by_id[cid] for bucket in q.clhash for cid in bucket]
        for c in order:
            opts = tuple(c.opts.items())
            if q.kind == "htb":
                # the qdisc's r2q, which htb_change_class() divided the rate by
                opts += (("level", _htb_level(q, c)), ("r2q", q.opts.get("r2q") or 10))
            out.append(ClassMsg(q.kind, c.classid, ifindex, c.parent, c.leaf,
                                opts, _copy(c.stats), _class_xstats(c)))
    return out


def _htb_level(q: Qdisc, c: TcClass) -> int:
    """htb_dump_class()'s opt.level: 0 for a leaf; a class that got children was made
    an inner node one level under its parent's, TC_HTB_MAXDEPTH (8) at the top
    (htb_change_class()); it is a leaf again once its last child goes
    (htb_parent_to_leaf())."""
    if not any(k.parent == c.classid for k in q.classes):
        return 0
    depth, parent = 0, c.parent
    while parent != TC_H_ROOT and (parent & 0xFFFF):
        depth += 1
        parent = next((k.parent for k in q.classes if k.classid == parent), TC_H_ROOT)
    return 8 - 1 - depth


def _class_xstats(c: TcClass) -> tuple:
    # htb_dump_class_stats(): tokens as PSCHED_NS2TICKS of a full bucket when idle
    if c.t_c < 0:
        tokens, ctokens = c.opts.get("buffer", 0), c.opts.get("cbuffer", 0)
        if c.tokens or c.ctokens:
            tokens, ctokens = c.tokens >> 6, c.ctokens >> 6
    else:
        tokens, ctokens = c.tokens >> 6, c.ctokens >> 6      # PSCHED_NS2TICKS()
    return (("lends", c.lends), ("borrows", c.borrows), ("giants", 0),
            ("tokens", tokens), ("ctokens", ctokens))


# ------------------------------------------------------------------ egress
def sch_enqueue(stack, dev, frame, length: int) -> bool:
    """__dev_xmit_skb(): the root qdisc takes the frame. True when it keeps it (held for
    later, or dropped); False when it goes on to the driver at once."""
    q = dev.sch.root
    clsact = dev.sch.ingress
    if clsact is not None and any(not tp.chain for tp in clsact.egress_filters):
        # sch_handle_egress(): the egress miniq (chain 0's head) counts into clsact's
        # stats, then its filters classify the frame and the first match's actions run
        # (a mirred mirror copies it, a redirect takes it)
        _sent(clsact.stats, length)
        from ipemu.kernel.sch_cls_u32 import u32_match
        node = u32_match(clsact, frame, None, clsact.egress_filters)
        if node is not None and node.actions:
            from ipemu.kernel.act_mirred import tcf_mirred_act
            for action in node.actions:
                taken = tcf_mirred_act(stack, dev, frame, action, 0)
                if taken:
                    if taken == "shot":
                        clsact.stats.drops += 1
                    return True
    if q is not None and q.kind == "mq":
        q = q.mq_children[0] if q.mq_children else None     # queue 0 (one flow here)
    if q is not None and q.stab:
        length = qdisc_pkt_len(q.stab, length)          # qdisc_calculate_pkt_len()
    if q is not None and q.kind == "noqueue":
        # noqueue_init() clears its enqueue: __dev_queue_xmit() sends at once, uncounted
        return False
    if q is None or q.kind in ("pfifo", "bfifo", "pfifo_head_drop", "pfifo_fast", "fq_codel"):
        if q is not None:
            if fifo_drops(q, length):
                return True
            _sent(q.stats, length)
        return False
    now = stack.clock.now
    if q.kind == "netem":
        return _netem_enqueue(stack, dev, q, frame, length, now)
    if q.kind == "tbf":
        return _tbf_enqueue(stack, dev, q, frame, length, now)
    if q.kind == "htb":
        return _htb_enqueue(stack, dev, q, frame, length, now)
    if q.kind == "prio":
        return _prio_enqueue(stack, dev, q, frame, length, now)
    return False


def root_qdisc_drops(dev, length: int) -> bool:
    """Whether the device's root qdisc (a pfifo, bfifo or tbf) drops a frame of
    `length` bytes at enqueue (counted): __dev_xmit_skb()'s NET_XMIT_DROP, which a
    sender's sendmsg() gets back as ENOBUFS (net_xmit_errno())."""
    q = dev.sch.root if dev.sch is not None else None
    if q is not None and q.kind == "mq":
        q = q.mq_children[0] if q.mq_children else None
    if q is not None and q.stab:
        length = qdisc_pkt_len(q.stab, length)
    if q is not None and q.kind == "tbf":
        return tbf_drops(q, length)
    return q is not None and fifo_drops(q, length)


def fifo_drops(q: Qdisc, length: int) -> bool:
    """pfifo_enqueue() / bfifo_enqueue(): tail drop past the limit, in packets or in
    bytes (qdisc_drop() counts it). The queue is empty here (the device takes each
    frame at once), so a pfifo of limit 0, or a bfifo smaller than the frame, drops."""
    if q.kind == "pfifo":
        full = q.stats.qlen >= q.opts.get("limit", 1)
    elif q.kind == "pfifo_head_drop":
        # pfifo_tail_enqueue(): a limit of 0 drops the new packet (NET_XMIT_DROP); a
        # full queue drops its head instead and takes it (NET_XMIT_CN, no error to
        # the sender); the queue is empty here, so only the first happens
        full = q.opts.get("limit", 1) == 0
    elif q.kind == "bfifo":
        full = q.stats.backlog + length > q.opts.get("limit", 0)
    else:
        return False
    if full:
        q.stats.drops += 1
    return full


def _prio_enqueue(stack, dev, q: Qdisc, frame, length: int, now: float) -> bool:
    """prio_classify(): a filter's class, else the band priomap gives skb->priority (0
    for a socket without SO_PRIORITY: band 1, class :2); the band's qdisc then acts
    (a netem there holds the packet)."""
    band = 0
    if q.filters:
        from ipemu.kernel.sch_cls_u32 import u32_classify
        band = u32_classify(q, frame) & 0xFFFF
    if not 1 <= band <= len(q.classes):
        band = q.opts["priomap"][0] + 1
    cl = q.classes[band - 1]
    leaf = dev.sch.lookup(cl.leaf) if cl.leaf else None
    if leaf is not None and leaf.kind == "netem":
        for delay in _netem_delays(stack, leaf, length, now):
            q.stats.qlen += 1
            q.stats.backlog += length
            stack.clock.call_later(delay, cl, "band_out", stack, dev, frame, length, q, leaf)
        return True
    for holder in (q, cl) + ((leaf,) if leaf is not None else ()):
        _sent(holder.stats, length)
    return False


def _sent(stats: QStats, length: int) -> None:
    stats.bytes += length
    stats.packets += 1


def _chance(rng, p: int) -> bool:
    """get_crandom() without correlation: a uniform 32-bit draw below the threshold."""
    return p != 0 and rng.getrandbits(32) < p


def _netem_enqueue(stack, dev, q: Qdisc, frame, length: int, now: float) -> bool:
    """netem_enqueue(): duplicate, drop, then hold until time_to_send."""
    delays = _netem_delays(stack, q, length, now)
    for delay in delays:
        stack.clock.call_later(delay, q, "dequeue", stack, dev, frame, length)
    return True


def _netem_delays(stack, q: Qdisc, length: int, now: float) -> list[float]:
    """netem_enqueue()'s decisions for one packet: how long each copy is held (none:
    lost, counted as a drop); the copies are counted in the backlog."""
    o = q.opts
    rng = stack.ns.rng
    count = 2 if _chance(rng, o.get("duplicate", 0)) else 1
    if _chance(rng, o.get("loss", 0)):
        count -= 1
    if count == 0:
        q.stats.drops += 1
        return []
    delays = []
    for _ in range(count):
        if q.stats.qlen >= o.get("limit", 1000):
            q.stats.drops += 1                          # qdisc_drop_all()
            continue
        delay = o.get("latency", 0) / TICKS_PER_SEC
        jitter = o.get("jitter", 0)
        if jitter:
            # tabledist() without a table: uniform in [latency - jitter, latency + jitter)
            delay += (rng.randrange(2 * jitter) - jitter) / TICKS_PER_SEC
        rate = o.get("rate", 0)
        if rate:
            start = max(now, q.t_next)
            q.t_next = start + length / rate
            delay = max(delay, 0.0) + (q.t_next - now)
        q.stats.qlen += 1
        q.stats.backlog += length
        delays.append(max(delay, 0.0))
    return delays


def _bucket(holder, rate: int, bucket: float, length: int, now: float,
            queued: int) -> float | None:
    """A token bucket (tbf_dequeue(), htb_charge_class()): None when the packet may
    leave now, else the time it leaves, behind what is queued already."""
    cost = length / rate
    if queued == 0:
        holder.tokens = min(bucket, holder.tokens + (now - holder.t_c))
        holder.t_c = now
        if holder.tokens >= cost:
            holder.tokens -= cost
            return None
        when = now + (cost - holder.tokens)
    else:
        when = holder.t_next + cost
    holder.tokens = 0.0
    holder.t_c = when
    holder.t_next = when
    return when


def tbf_drops(q: Qdisc, length: int) -> bool:
    """tbf_enqueue(): a packet longer than max_size, or one its inner bfifo has no room
    for (the tbf's byte limit), is dropped and counted (NET_XMIT_DROP). __qdisc_run()
    still tries to dequeue: a held head without tokens counts an overlimit."""
    if not (q.max_size is not None and length > q.max_size
            or q.stats.backlog + length > q.opts["limit"]):
        return False
    q.stats.drops += 1
    if q.stats.qlen:
        q.stats.overlimits += 1
    return True


def _tbf_enqueue(stack, dev, q: Qdisc, frame, length: int, now: float) -> bool:
    """tbf_enqueue()/tbf_dequeue(): a packet leaves when the bucket holds its cost. Each
    enqueue is followed by a dequeue attempt (__qdisc_run()), and each attempt that
    finds the head short of tokens counts an overlimit and arms the watchdog."""
    if tbf_drops(q, length):
        return True
    if q.refilled:
        _tbf_release(stack, dev, q, now)
    when = _bucket(q, q.opts["rate"], q.opts["buffer"] / TICKS_PER_SEC, length, now,
                   q.stats.qlen)
    if when is None:
        _sent(q.stats, length)
        _tbf_leaf_sent(dev, q, length)
        return False
    q.stats.overlimits += 1
    q.stats.qlen += 1
    q.stats.backlog += length
    q.held.append(stack.clock.call_at(when, q, "dequeue", stack, dev, frame, length))
    return True


def _tbf_release(stack, dev, q: Qdisc, now: float) -> None:
    """tbf_dequeue() after tbf_change() refilled the bucket (q->tokens = q->buffer,
    t_c kept): the held packets leave at once while the tokens pay for them (recorded:
    a 1042-byte packet held by an 8kbit tbf leaves with the next ping once the rate is
    changed to 1mbit, and the pings after it see no delay); the rest keep their time."""
    q.refilled = False
    rate = q.opts["rate"]
    while q.held and q.held[0].args[3] / rate <= q.tokens:
        timer = q.held.pop(0)
        timer.cancelled = True
        frame, length = timer.args[2], timer.args[3]
        q.tokens -= length / rate
        q.stats.qlen -= 1
        q.stats.backlog -= length
        _sent(q.stats, length)
        _tbf_leaf_sent(dev, q, length)
        stack.dev_xmit(dev, frame, True)
    q.t_c = now
    if not q.held:
        q.t_next = now


def _tbf_leaf_sent(dev, q: Qdisc, length: int) -> None:
    """A qdisc grafted under the tbf's class (tbf_graft()) dequeues the packet the tbf
    sends (qdisc_dequeue_peeked() of q->qdisc), so it counts it too."""
    leaf = _leaf(dev.sch, q, q.handle | 1) if q.classes else None
    if leaf is not None:
        _sent(leaf.stats, length)


def _htb_enqueue(stack, dev, q: Qdisc, frame, length: int, now: float) -> bool:
    """htb_enqueue(): the class a filter picks, or the default, else the direct queue. The
    class sends from its own rate (a lend) or, under a parent class, borrows up to its
    ceil; a class at the root that ran out waits for its own tokens (htb_class_mode())."""
    classid = 0
    cl = None
    protos = q.filters
    # htb_classify(): the qdisc's filters, then those of each inner class they pick,
    # down to a leaf; X:0 picks the direct queue; a class that is not there ends the
    # walk (to the default class, or direct when that is missing or inner: "a bad
    # default")
    while protos:
        from ipemu.kernel.sch_cls_u32 import u32_match
        node = u32_match(q, frame, None, protos)
        if node is None:
            break
        classid = node.classid
        if classid == q.handle:
            break
        cl = next((c for c in q.classes if c.classid == classid), None)
        if cl is None or not _htb_level(q, cl):
            break
        protos = q.class_blocks.get(classid, [])
        cl = None
    if cl is None and classid != q.handle:
        defcls = q.handle | q.opts.get("defcls", 0)
        cl = next((c for c in q.classes if c.classid == defcls), None)
        if cl is not None and _htb_level(q, cl):
            cl = None
    if cl is None:
        q.opts["direct_pkts"] = q.opts.get("direct_pkts", 0) + 1
        _sent(q.stats, length)
        return False
    leaf = dev.sch.lookup(cl.leaf) if cl.leaf else None
    if leaf is not None and leaf.kind == "netem":
        # the class's qdisc holds the packet first; htb takes it when netem lets it go
        for delay in _netem_delays(stack, leaf, length, now):
            stack.clock.call_later(delay, cl, "leaf_ready", stack, dev, frame, length, q, leaf)
        return True
    if leaf is not None:
        _sent(leaf.stats, length)
    return _htb_admit(stack, dev, q, cl, frame, length, now)


def _htb_admit(stack, dev, q: Qdisc, cl: TcClass, frame, length: int, now: float) -> bool:
    """The class's buckets decide: False when the packet leaves now, True when it is
    held until they allow it (htb_dequeue()). The charge is reckoned at admission (at
    the time the packet will leave); what it counts (a lend or a borrow, a class that
    goes HTB_CANT_SEND) is counted when it leaves, as htb_charge_class() does."""
    t = int(now * 1e9)
    if cl.t_c < 0:
        _htb_first_charge(cl, t)
    start = max(t, cl.t_next) if cl.stats.qlen else t
    wait = _htb_wait(cl, start)
    if not cl.stats.qlen and wait == 0:
        lend = _htb_charge(cl, t, length)
        cant = _htb_charge_parents(q, cl, t, length, [cl.classid] if cl.ctokens < 0 else [])
        _htb_account(q, cl, lend, cant)
        _sent(q.stats, length)
        _sent(cl.stats, length)
        return False
    start += wait
    lend = _htb_charge(cl, start, length)
    cant = _htb_charge_parents(q, cl, start, length, [cl.classid] if cl.ctokens < 0 else [])
    cl.pending.append([lend, cant])
    cl.t_next = start
    q.stats.qlen += 1
    q.stats.backlog += length
    cl.stats.qlen += 1
    cl.stats.backlog += length
    stack.clock.call_at(start / 1e9, cl, "dequeue", stack, dev, frame, length, q)
    return True


def _htb_first_charge(cl: TcClass, t: int) -> None:
    """The buckets at a class's first charge: htb_change_class() filled them for the
    buffers it was made with (cl->tokens, cl->t_c); they have refilled since, up to
    the buffers it has now (a class changed since keeps its first tokens). A class
    without a recorded birth starts full."""
    if cl.t_create < 0:
        cl.tokens, cl.ctokens = cl.opts["buffer"] << 6, cl.opts["cbuffer"] << 6
    else:
        diff = t - cl.t_create
        cl.tokens = min(cl.tokens + diff, cl.opts["buffer"] << 6)
        cl.ctokens = min(cl.ctokens + diff, cl.opts["cbuffer"] << 6)
    cl.t_c = t


def _htb_account(q: Qdisc, cl: TcClass, lend: bool, cant: list) -> None:
    """htb_charge_class()'s counters: the leaf's lend or borrow; each class the charge
    turned HTB_CANT_SEND (its ctokens below zero: htb_class_mode()) counts an
    overlimit, and so does the qdisc (htb_change_class_mode())."""
    if lend:
        cl.lends += 1
    else:
        cl.borrows += 1
    by_id = {c.classid: c for c in q.classes}
    for classid in cant:
        target = by_id.get(classid)
        if target is not None:
            target.stats.overlimits += 1
        q.stats.overlimits += 1


def _htb_wait(cl: TcClass, t: int) -> int:
    """ns until the class may send at time t: its tokens (a root class), else its
    ctokens (a class that may borrow from its parent)."""
    diff = t - cl.t_c
    toks = min(cl.tokens + diff, cl.opts["buffer"] << 6)
    if toks >= 0:
        return 0
    if cl.parent != TC_H_ROOT:
        ctoks = min(cl.ctokens + diff, cl.opts["cbuffer"] << 6)
        return max(0, -ctoks)
    return -toks


def _htb_charge(cl: TcClass, t: int, length: int) -> bool:
    """htb_charge_class() for the leaf: both buckets pay, a lend or a borrow counted."""
    diff = t - cl.t_c
    toks = min(cl.tokens + diff, cl.opts["buffer"] << 6)
    lend = toks >= 0
    cl.tokens = toks - psched_l2t_ns(cl.opts["rate"], length)
    cl.ctokens = min(cl.ctokens + diff, cl.opts["cbuffer"] << 6) - \
        psched_l2t_ns(cl.opts["ceil"], length)
    cl.t_c = t
    return lend


def _htb_charge_parents(q: Qdisc, cl: TcClass, t: int, length: int,
                        cant: list) -> list:
    """htb_charge_class() going up from the leaf: each inner class pays from both its
    buckets (htb_accnt_tokens(), htb_accnt_ctokens()) and counts the packet in its
    bstats (`if (cl->level) bstats_update()`); the leaf counted it itself. (Counted at
    the charge: a held packet's parents count it when it is admitted.)"""
    by_id = {c.classid: c for c in q.classes}
    parent = by_id.get(cl.parent)
    while parent is not None:
        if parent.t_c < 0:
            _htb_first_charge(parent, t)
        diff = t - parent.t_c
        parent.tokens = min(parent.tokens + diff, parent.opts["buffer"] << 6) - \
            psched_l2t_ns(parent.opts["rate"], length)
        parent.ctokens = min(parent.ctokens + diff, parent.opts["cbuffer"] << 6) - \
            psched_l2t_ns(parent.opts["ceil"], length)
        parent.t_c = t
        if parent.ctokens < 0:
            cant.append(parent.classid)
        _sent(parent.stats, length)
        parent = by_id.get(parent.parent)
    return cant


def _qdisc_dequeue(self: Qdisc, stack, dev, frame, length: int) -> None:
    """The held packet leaves the qdisc: counted, then to the driver (and the taps)."""
    self.stats.qlen -= 1
    self.stats.backlog -= length
    if self.held:
        self.held.pop(0)
    if not self.live:
        return
    _sent(self.stats, length)
    if self.kind == "tbf":
        _tbf_leaf_sent(dev, self, length)
        if self.stats.qlen:
            # the next head finds the tokens spent, once in qdisc_restart()'s next turn
            # and, on a device of several tx queues (no TCQ_F_ONETXQUEUE: qdisc_create()),
            # once more in dequeue_skb()'s try_bulk_dequeue_skb_slow() (recorded: a veth's
            # tbf counts 2 per packet that leaves with one behind)
            self.stats.overlimits += 2 if dev_numtxqueues(dev) > 1 else 1
    stack.dev_xmit(dev, frame, True)


def _class_dequeue(self: TcClass, stack, dev, frame, length: int, q: Qdisc) -> None:
    self.stats.qlen -= 1
    self.stats.backlog -= length
    q.stats.qlen -= 1
    q.stats.backlog -= length
    if not q.live:
        return
    _sent(self.stats, length)
    _sent(q.stats, length)
    stack.dev_xmit(dev, frame, True)


def sch_handle_ingress(stack, dev, q: Qdisc, frame) -> bool:
    """sch_handle_ingress(): the ingress qdisc counts the frame (skb->len: the MAC
    header pulled), its filters classify it and the first match's actions run
    (tcf_classify() -> tcf_exts_exec()). True when an action took the frame."""
    if not any(not tp.chain for tp in q.filters):
        return False            # no chain 0 filter, no miniq: tcx_run() counts nothing
    _sent(q.stats, len(frame) - 14)
    from ipemu.kernel.sch_cls_u32 import u32_match
    node = u32_match(q, frame, dev.ifindex)
    if node is None:
        return False
    verdict = getattr(node, "verdict", 0)
    if verdict == 2:                # TC_ACT_SHOT (a direct-action bpf program's)
        q.stats.drops += 1
        return True
    if verdict in (4, 5, 8):        # TC_ACT_STOLEN, QUEUED, TRAP: consumed
        return True
    if not node.actions:
        return False
    from ipemu.kernel.act_mirred import tcf_mirred_act
    for action in node.actions:
        taken = tcf_mirred_act(stack, dev, frame, action)
        if taken:
            if taken == "shot":
                q.stats.drops += 1
            return True
    return False
