"""tc actions bound to a filter (net/sched/act_api.c), of the one kind the recording
kernel has built in: mirred (act_mirred.c), which redirects or mirrors a packet to
another device's egress or ingress, as ingress shaping through an ifb device does
(`tc filter add dev eth1 parent ffff: ... action mirred egress redirect dev ifb0`).
Every other kind is a module that kernel cannot load (tcf_action_init_1():
"Failed to load TC action module"). The ingress hook is sch_handle_ingress()."""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.plainclass import dataclass

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
    # a->used_hw_stats_valid: set once an action dump (tca_action_gd()) has asked the
    # offload layer; filter dumps then carry TCA_ACT_USED_HW_STATS too
    hw_stats_valid: bool = False


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


def tcf_action_init(ns, reqs: tuple, now: float) -> list[TcAction]:
    """tcf_action_init(): each action made (or the existing one of that index bound);
    the whole list fails if one does."""
    _prune(ns)
    made = []
    for req in reqs:
        if req.kind not in BUILT_IN:
            raise KernelError(Errno.ENOENT, "Failed to load TC action module")
        if req.ifindex not in ns.devices:
            raise KernelError(Errno.ENODEV, "Specified device does not exist")
        used = {a.index for a in ns.tc_actions + made if a.kind == req.kind}
        index = req.index or next(i for i in range(1, len(used) + 2) if i not in used)
        made.append(TcAction(req.kind, index, req.eaction, req.ifindex, req.action,
                             now, now))
    ns.tc_actions.extend(made)
    return made


def _prune(ns) -> None:
    """Actions whose filter went with its qdisc or device are released with it
    (tcf_exts_destroy()): the table keeps only the ones a filter still binds."""
    if not ns.tc_actions:
        return
    from ipemu.kernel.sch_cls_u32 import all_protos
    bound = set()
    for dev in ns.devices.values():
        if dev.sch is None:
            continue
        for q in dev.sch.all():
            for tp in all_protos(q):        # every block's (egress, classes)
                for node in tp.nodes:
                    bound.update(id(a) for a in node.actions)
    ns.tc_actions[:] = [a for a in ns.tc_actions if id(a) in bound]


def tcf_action_release(ns, actions: list[TcAction]) -> None:
    """A filter deleted: its bound actions go with it (their only reference)."""
    for action in actions:
        if action in ns.tc_actions:
            ns.tc_actions.remove(action)


def action_msgs(actions: list[TcAction], now: float) -> tuple[ActionMsg, ...]:
    def ticks(since: float) -> int:
        return int((now - since) * 100)
    return tuple(ActionMsg(a.kind, a.index, a.eaction, a.ifindex, a.action,
                           ticks(a.install), ticks(a.lastuse),
                           ticks(a.firstuse) if a.firstuse >= 0 else 0,
                           a.bytes, a.packets, a.drops, a.hw_stats_valid)
                 for a in actions)


def tcf_action_dump(ns, kind: str, index: int = 0) -> tuple[ActionMsg, ...]:
    """RTM_GETACTION's dump of one kind (tc_dump_action() -> tcf_action_dump_1()),
    or the one action of that index: each is marked as having had its hardware
    statistics asked for. A kind without a module has no actions to list."""
    _prune(ns)
    acts = [a for a in ns.tc_actions if a.kind == kind and (not index or a.index == index)]
    for a in acts:
        a.hw_stats_valid = True
    return action_msgs(acts, ns.clock.now)


def tcf_mirred_act(stack, dev, frame, action: TcAction) -> bool:
    """tcf_mirred_act() on a received frame: counted (skb->len: the network header
    on), then a copy (mirror) or the frame itself (redirect) to the target device's
    egress or ingress. True when the frame was taken (TC_ACT_STOLEN)."""
    now = stack.clock.now
    action.bytes += len(frame) - 14
    action.packets += 1
    action.lastuse = now
    if action.firstuse < 0:
        action.firstuse = now
    target = stack.ns.devices.get(action.ifindex)
    if target is None or not target.admin_up:
        action.drops += 1
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
