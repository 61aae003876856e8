"""tc actions bound to a filter (net/sched/act_api.c), of the one kind the recording
kernel has built in: mirred (act_mirred.c), which redirects or mirrors a packet to
another device's egress or ingress, as ingress shaping through an ifb device does
(`tc filter add dev eth1 parent ffff: ... action mirred egress redirect dev ifb0`).
Every other kind is a module that kernel cannot load (tcf_action_init_1():
"Failed to load TC action module"). The ingress hook is sch_handle_ingress()."""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.plainclass import dataclass, field

# include/uapi/linux/tc_act/tc_mirred.h
TCA_EGRESS_REDIR = 1
TCA_EGRESS_MIRROR = 2
TCA_INGRESS_REDIR = 3
TCA_INGRESS_MIRROR = 4
# include/uapi/linux/pkt_cls.h
TC_ACT_OK = 0
TC_ACT_SHOT = 2
TC_ACT_PIPE = 3
TC_ACT_STOLEN = 4

BUILT_IN = ("mirred",)


@dataclass(frozen=True)
class ActionRequest:
    """One TCA_ACT_* nest of a filter request: the kind and mirred's tc_mirred."""

    kind: str
    eaction: int = TCA_EGRESS_REDIR
    ifindex: int = 0
    action: int = TC_ACT_STOLEN
    index: int = 0


@dataclass
class TcAction:
    """struct tcf_mirred: its parameters, its tcf_t times and its counters."""

    kind: str
    index: int
    eaction: int
    ifindex: int
    action: int
    install: float
    lastuse: float
    firstuse: float = -1.0          # never used yet
    bytes: int = 0
    packets: int = 0
    drops: int = 0
    overlimits: int = 0             # tcf_action_inc_overlimit_qstats(): past the nest limit
    # a->used_hw_stats_valid: set once an action dump (tca_action_gd()) has asked the
    # offload layer; filter dumps then carry TCA_ACT_USED_HW_STATS too
    hw_stats_valid: bool = False
    bind: int = 1                   # tcfa_bindcnt: the filters bound to it
    standalone: bool = False        # made by `tc actions add` (its own reference)
    cookie: bytes = b""             # TCA_ACT_COOKIE (tcf_set_action_cookie())
    flags: tuple = ()               # tcfa_flags by name: no_percpu, skip_hw
    hw_stats: str = ""              # a->hw_stats asked for ("": TCA_ACT_HW_STATS_ANY)
    # binds of filters gone but not yet freed: each one's end of the RCU grace period
    # after which tcf_queue_work() runs tcf_exts_destroy() (u32_delete_key_freepf_work())
    held: list = field(default_factory=list)


@dataclass(frozen=True)
class ActionMsg:
    """What tcf_action_dump_1() puts in a dump: the parameters, tcf_tm_dump()'s times
    in clock ticks (USER_HZ 100) and the basic and queue statistics."""

    kind: str
    index: int
    eaction: int
    ifindex: int
    action: int
    install: int
    lastuse: int
    firstuse: int
    bytes: int
    packets: int
    drops: int
    hw_stats_valid: bool = False
    bind: int = 1
    cookie: bytes = b""
    flags: tuple = ()
    hw_stats: str = ""
    ref: int = 1                    # tcfa_refcnt: the binds and the table's own
    overlimits: int = 0


def tcf_action_init(ns, reqs: tuple, now: float) -> list[TcAction]:
    """tcf_action_init(): each action made (or the existing one of that index bound);
    the whole list fails if one does."""
    _prune(ns)
    made = []
    out = []
    bound = []
    for req in reqs:
        if req.kind not in BUILT_IN:
            raise KernelError(Errno.ENOENT, "Failed to load TC action module")
        existing = next((a for a in ns.tc_actions if req.index and a.kind == req.kind
                         and a.index == req.index), None)
        if existing is not None:
            # tcf_mirred_init(): `if (exists && bind) return 0`: the filter binds the
            # action of that index as it is (the words' own parameters unused)
            bound.append(existing)
            out.append(existing)
            continue
        if not req.eaction:
            raise KernelError(Errno.EINVAL, "act_mirred: Unknown mirred option")
        if req.ifindex not in ns.devices:
            raise KernelError(Errno.ENODEV, "Specified device does not exist")
        used = {a.index for a in ns.tc_actions + made if a.kind == req.kind}
        index = req.index or next(i for i in range(1, len(used) + 2) if i not in used)
        made.append(TcAction(req.kind, index, req.eaction, req.ifindex, req.action,
                             now, now))
        out.append(made[-1])
    for a in bound:
        a.bind += 1
    ns.tc_actions.extend(made)
    return out


# A filter deleted (or gone with its qdisc or device) releases its actions from
# tcf_queue_work(), after an RCU grace period: until then they keep their bind and
# their index (recorded: `tc qdisc del dev X ingress; tc actions ls action mirred`
# still lists the filter's action with its bind, gone after 10-20 ms; a filter added
# at once after the delete takes index 2). The grace period measured on the
# recording machine: 10 to 20 ms.
RCU_GRACE = 0.016


def tcf_exts_put(actions: list, now: float) -> None:
    """tcf_exts_get_net() + tcf_queue_work(): the filter's binds are held until the
    grace period ends."""
    for a in actions:
        a.held.append(now + RCU_GRACE)


def _prune(ns) -> None:
    """Actions whose filter went with its qdisc or device are released with it
    (tcf_exts_destroy()) once their grace period is over: the table keeps the ones a
    filter still binds or a grace period still holds and those `tc actions add` made;
    each one's bind count is the filters bound to it and the binds still held."""
    if not ns.tc_actions:
        return
    now = ns.clock.now
    from ipemu.kernel.sch_cls_u32 import all_protos
    bound: dict[int, int] = {}
    for dev in ns.devices.values():
        if dev.sch is None:
            continue
        for q in dev.sch.all():
            for tp in all_protos(q):        # every block's (egress, classes)
                for node in tp.nodes:
                    for a in node.actions:
                        bound[id(a)] = bound.get(id(a), 0) + 1
    for a in ns.tc_actions:
        a.held = [t for t in a.held if t > now]
    ns.tc_actions[:] = [a for a in ns.tc_actions
                        if id(a) in bound or a.held or a.standalone]
    for a in ns.tc_actions:
        a.bind = bound.get(id(a), 0) + len(a.held)


def tcf_action_release(ns, actions: list[TcAction]) -> None:
    """A filter deleted: its bound actions lose a bind once the grace period is over;
    then one no filter binds and that `tc actions add` did not make goes (its last
    reference)."""
    tcf_exts_put(actions, ns.clock.now)


def action_msgs(actions: list[TcAction], now: float, devices=None) -> tuple[ActionMsg, ...]:
    """The actions as a dump carries them. A target device gone from the namespace
    (deleted, or moved out) is dumped as ifindex 0: mirred_device_event() on
    NETDEV_UNREGISTER drops tcfm_dev, and tcf_mirred_dump() sends `dev ? dev->ifindex
    : 0` (tc prints `device *`)."""
    def ticks(since: float) -> int:
        return int((now - since) * 100)

    def ifindex(a) -> int:
        return a.ifindex if devices is None or a.ifindex in devices else 0
    return tuple(ActionMsg(a.kind, a.index, a.eaction, ifindex(a), a.action,
                           ticks(a.install), ticks(a.lastuse),
                           ticks(a.firstuse) if a.firstuse >= 0 else 0,
                           a.bytes, a.packets, a.drops, a.hw_stats_valid, a.bind,
                           a.cookie, a.flags, a.hw_stats, a.bind + a.standalone,
                           a.overlimits)
                 for a in actions)


def tcf_action_dump(ns, kind: str, index: int = 0) -> tuple[ActionMsg, ...]:
    """RTM_GETACTION's dump of one kind (tc_dump_action() -> tcf_action_dump_1()),
    or the one action of that index: each is marked as having had its hardware
    statistics asked for. A kind without a module has no actions to list."""
    _prune(ns)
    # the idr walk (tcf_dump_walker()): by index
    acts = sorted((a for a in ns.tc_actions
                   if a.kind == kind and (not index or a.index == index)),
                  key=lambda a: a.index)
    for a in acts:
        a.hw_stats_valid = True
    return action_msgs(acts, ns.clock.now, ns.devices)


# include/uapi/linux/pkt_cls.h: TC_ACT_EXT_OPCODE()s and their value's mask
TC_ACT_JUMP = 0x10000000
TC_ACT_GOTO_CHAIN = 0x20000000
TC_ACT_EXT_VAL_MASK = 0x0FFFFFFF


@dataclass(frozen=True)
class TableRequest:
    """One action of an RTM_NEWACTION (`tc actions add|change|replace`): its kind,
    tc_mirred's parameters (eaction 0 when only `index` was given) and its cookie."""

    kind: str
    eaction: int = 0
    ifindex: int = 0
    action: int = 0
    index: int = 0
    cookie: bytes | None = None
    flags: tuple = ()
    hw_stats: str = ""


def tcf_action_add(ns, reqs: tuple, replace: bool, now: float) -> None:
    """tcf_action_add() -> tcf_action_init(): each action in order, the whole list or
    nothing. tcf_action_init_1(): the kind's module (only mirred's is built in:
    ENOENT "Failed to load TC action module"); tcf_mirred_init(): tcf_idr_check_alloc()
    (an index of this batch still reserved: EAGAIN after tcf_action_add()'s retries;
    an existing one without NLM_F_REPLACE: EEXIST; an index of 0 takes the lowest free
    one from 1) and its eaction (checked before EEXIST), tcf_action_check_ctrlact()
    (`goto chain` needs a filter's chain),
    the device (ENODEV). A replaced action keeps its times and, without a new one,
    its cookie."""
    _prune(ns)
    made: list[TcAction] = []
    changes: list[tuple[TcAction, TableRequest]] = []
    taken: set[int] = set()
    for req in reqs:
        if req.kind not in BUILT_IN:
            raise KernelError(Errno.ENOENT, "Failed to load TC action module")
        have = {a.index: a for a in ns.tc_actions if a.kind == req.kind}
        index = req.index
        if index and index in taken:
            raise KernelError(Errno.EAGAIN)
        existing = have.get(index) if index else None
        if not req.eaction:
            raise KernelError(Errno.EINVAL, "act_mirred: Unknown mirred option")
        if existing is not None and not replace:
            raise KernelError(Errno.EEXIST)
        if req.action > 0 and req.action & ~TC_ACT_EXT_VAL_MASK == TC_ACT_GOTO_CHAIN:
            raise KernelError(Errno.EINVAL, "can't goto NULL proto/chain")
        if req.ifindex not in ns.devices:
            raise KernelError(Errno.ENODEV)
        if not index:
            index = next(i for i in range(1, len(have) + len(taken) + 2)
                         if i not in have and i not in taken)
        taken.add(index)
        if existing is not None:
            changes.append((existing, req))
        else:
            made.append(TcAction(req.kind, index, req.eaction, req.ifindex, req.action,
                                 now, now, bind=0, standalone=True,
                                 cookie=req.cookie or b"",
                                 flags=req.flags, hw_stats=req.hw_stats))
    for action, req in changes:
        action.eaction, action.ifindex, action.action = req.eaction, req.ifindex, req.action
        if req.cookie is not None:
            action.cookie = req.cookie
    ns.tc_actions.extend(made)


def _lookup(ns, items: tuple) -> list[TcAction]:
    """tcf_action_get_1() of each (kind, index): the kind's ops (tc_lookup_action():
    EINVAL), then the action (tcf_idr_search(): ENOENT)."""
    _prune(ns)
    found = []
    for kind, index in items:
        if kind not in BUILT_IN:
            raise KernelError(Errno.EINVAL, "Specified TC action kind not found")
        for a in ns.tc_actions:
            if a.kind == kind and a.index == index:
                found.append(a)
                break
        else:
            raise KernelError(Errno.ENOENT, "TC action with specified index not found")
    return found


def tcf_action_get(ns, items: tuple) -> tuple[ActionMsg, ...]:
    """tca_action_gd() of RTM_GETACTION: the actions asked for, in the order asked."""
    return action_msgs(_lookup(ns, items), ns.clock.now, ns.devices)


def tcf_action_del(ns, items: tuple) -> None:
    """tca_action_gd() of RTM_DELACTION: every action found first, then deleted
    (tcf_del_notify() -> tcf_action_delete()); one a filter binds is EPERM."""
    found = _lookup(ns, items)
    for a in found:
        if a.bind:
            raise KernelError(Errno.EPERM, "Failed to delete TC action")
    for a in found:
        if a in ns.tc_actions:
            ns.tc_actions.remove(a)


def tcf_action_flush(ns, kind: str) -> None:
    """tca_action_flush(): a kind without ops is EINVAL; the kind's actions that no
    filter binds are deleted in index order (tcf_del_walker()) until one a filter
    binds stops the walk (tcf_idr_release_unsafe(): EPERM; those before it stay
    deleted)."""
    if kind not in BUILT_IN:
        raise KernelError(Errno.EINVAL, "Cannot flush unknown TC action")
    _prune(ns)
    for a in sorted((a for a in ns.tc_actions if a.kind == kind), key=lambda a: a.index):
        if a.bind:
            raise KernelError(Errno.EPERM)
        ns.tc_actions.remove(a)


def tcf_mirred_act(stack, dev, frame, action: TcAction, mac_len: int = 14) -> bool | str:
    """tcf_mirred_act() on a received frame (or, `mac_len` 0, one going out: clsact's
    egress hook): counted (skb->len: from the network header on ingress, the MAC
    header on egress), then a copy (mirror) or the frame itself (redirect) to the
    target device's egress or ingress. True when the frame was taken (TC_ACT_STOLEN)."""
    now = stack.clock.now
    # mirred_nest_level: a frame mirrored or redirected into a hook that mirrors it
    # again goes at most MIRRED_NEST_LIMIT deep; deeper, it is shot (an overlimit,
    # "shot": the hook's qdisc counts a drop)
    nest = getattr(stack, "mirred_nest", 0)
    if nest >= MIRRED_NEST_LIMIT:
        action.overlimits += 1
        return "shot"
    action.bytes += len(frame) - mac_len
    action.packets += 1
    action.lastuse = now
    if action.firstuse < 0:
        action.firstuse = now
    stack.mirred_nest = nest + 1
    try:
        return _mirred_out(stack, dev, frame, action)
    finally:
        if nest:
            stack.mirred_nest = nest
        else:
            del stack.mirred_nest


MIRRED_NEST_LIMIT = 4


def _mirred_out(stack, dev, frame, action: TcAction) -> bool:
    target = stack.ns.devices.get(action.ifindex)
    if target is None or not target.admin_up:
        # tcf_mirred_to_dev(): a target down (or without carrier) is err_cant_do:
        # tcf_action_inc_overlimit_qstats(), and a redirect is TC_ACT_SHOT (recorded:
        # `Sent 420 bytes 5 pkt (dropped 0, overlimits 2 requeues 0)` after two pings
        # into an ingress redirect to an ifb set down)
        action.overlimits += 1
        return action.action == TC_ACT_STOLEN
    redirect = action.eaction in (TCA_EGRESS_REDIR, TCA_INGRESS_REDIR)
    if action.eaction in (TCA_EGRESS_REDIR, TCA_EGRESS_MIRROR):
        # a redirected frame is marked (skb_set_redirected()): an ifb device hands it
        # back to the receive path it came from (ifb_ri_tasklet(): skb->skb_iif); a
        # mirrored copy is not, and ifb_xmit() drops it
        from ipemu.plainclass import replace
        sent = replace(frame, skb_iif=dev.ifindex) if redirect else frame
        stack.dev_xmit(target, sent)
    else:
        stack.netif_rx(target, frame)
    return redirect
