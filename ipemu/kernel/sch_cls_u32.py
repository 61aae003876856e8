"""Filters on a qdisc (net/sched/cls_api.c tc_new_tfilter()/tc_del_tfilter()) of the
u32 kind (cls_u32.c): a tcf_proto per priority and protocol, each with its hash table
(800:, then 801:, ... from the block's counter) and key nodes (800::800, 800::801, ...).
u32_classify() matches 32-bit words of the network header under masks; htb asks it
which class a packet goes to (htb_classify())."""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.plainclass import dataclass, field

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800


@dataclass
class U32Node:
    """struct tc_u_knode: its handle, keys (val, mask, off) and class."""

    handle: int
    keys: list[tuple[int, int, int]] = field(default_factory=list)
    classid: int = 0
    actions: list = field(default_factory=list)     # act_mirred.TcAction, in order
    terminal: bool = False          # sel.flags TC_U32_TERMINAL (tc sets it for actions)


@dataclass
class TcProto:
    """struct tcf_proto of kind u32: priority, protocol, its root hash table's id."""

    prio: int
    protocol: int
    htid: int
    nodes: list[U32Node] = field(default_factory=list)


@dataclass(frozen=True)
class FilterRequest:
    """RTM_NEWTFILTER / RTM_DELTFILTER (tc_filter.c tc_filter_modify())."""

    delete: bool
    ifindex: int
    parent: int
    prio: int = 0
    protocol: int = ETH_P_ALL
    kind: str = ""
    keys: tuple = ()
    classid: int = 0
    actions: tuple = ()             # act_mirred.ActionRequest, in order


@dataclass(frozen=True)
class FilterMsg:
    """One RTM_NEWTFILTER of a dump: the proto (handle None), its table, or a node."""

    parent: int
    prio: int
    protocol: int
    kind: str
    htid: int | None = None
    node: U32Node | None = None
    actions: tuple = ()             # act_mirred.ActionMsg of the node's actions


def _qdisc_of(ns, req: FilterRequest):
    dev = ns.devices.get(req.ifindex)
    if dev is None:
        raise KernelError(Errno.ENODEV)
    q = None
    if dev.sch is not None:
        q = dev.sch.root if req.parent in (0, 0xFFFFFFFF) else \
            dev.sch.lookup(req.parent & 0xFFFF0000)
    if q is None:
        raise KernelError(Errno.EINVAL, "Parent Qdisc doesn't exists")
    return q


def tc_new_tfilter(ns, req: FilterRequest) -> None:
    """tc_new_tfilter(): the proto of this prio (a new one when there is none), then
    u32_change(): a key node with the lowest free handle from 800."""
    q = _qdisc_of(ns, req)
    if req.kind and req.kind != "u32":
        # tcf_proto_create(): tcf_proto_lookup_ops() finds no such module (the
        # profile's kernel.missing_classifiers; only u32 is simulated)
        raise KernelError(Errno.ENOENT, "TC classifier not found")
    if not req.keys:
        raise KernelError(Errno.EINVAL, "cls_u32: Selector not specified")
    protos = q.filters
    prio = req.prio
    if not prio:
        # tcf_auto_prio(): 0xC000 first, else one below the first proto's
        prio = protos[0].prio - 1 if protos else 0xC000
    tp = next((t for t in protos if t.prio == prio), None)
    new = tp is None
    if new:
        tp = TcProto(prio, req.protocol, _new_htid(q))
    elif tp.protocol != req.protocol:
        raise KernelError(Errno.EINVAL, "Filter with specified priority/protocol not found")
    actions = []
    if req.actions:
        # u32_set_parms() -> tcf_exts_validate(): after u32_init() took its table id,
        # which a failure does not give back
        from ipemu.kernel.act_mirred import tcf_action_init
        actions = tcf_action_init(ns, req.actions, ns.clock.now)
    if new:
        protos.append(tp)
        protos.sort(key=lambda t: t.prio)
    used = {n.handle & 0xFFF for n in tp.nodes}
    kid = next(k for k in range(0x800, 0x1000) if k not in used)      # gen_new_kid()
    tp.nodes.append(U32Node(tp.htid | kid, list(req.keys), req.classid, actions,
                            bool(actions)))
    tp.nodes.sort(key=lambda n: n.handle)


def _new_htid(q) -> int:
    """u32_init(): the block's first table is 800:, later ones gen_new_htid()'s cyclic
    ids from 1 (801:, 802:, ...)."""
    if not q.filters and not q.u32_used:
        q.u32_used = True
        return 0x80000000
    q.u32_next = q.u32_next % 0x7FF + 1
    return (q.u32_next | 0x800) << 20


def tc_del_tfilter(ns, req: FilterRequest) -> None:
    """tc_del_tfilter(): without a priority every proto goes, else the one asked for."""
    q = _qdisc_of(ns, req)
    if not req.prio:
        for tp in q.filters:
            _release(ns, tp)
        q.filters.clear()
        return
    tp = next((t for t in q.filters if t.prio == req.prio), None)
    if tp is None or req.protocol not in (ETH_P_ALL, tp.protocol):
        raise KernelError(Errno.ENOENT, "Filter with specified priority/protocol not found")
    _release(ns, tp)
    q.filters.remove(tp)


def _release(ns, tp: TcProto) -> None:
    from ipemu.kernel.act_mirred import tcf_action_release
    for node in tp.nodes:
        tcf_action_release(ns, node.actions)


def tc_dump_tfilter(ns, ifindex: int, parent: int) -> list[FilterMsg]:
    """tc_dump_tfilter() of one qdisc (the root's when no parent is given): each proto,
    then u32_walk(): its table, then its nodes."""
    dev = ns.devices.get(ifindex)
    if dev is None or dev.sch is None:
        return []
    q = dev.sch.root if parent in (0, 0xFFFFFFFF) else dev.sch.lookup(parent & 0xFFFF0000)
    if q is None:
        return []
    out = []
    for tp in q.filters:
        out.append(FilterMsg(q.handle, tp.prio, tp.protocol, "u32"))
        out.append(FilterMsg(q.handle, tp.prio, tp.protocol, "u32", tp.htid))
        for node in tp.nodes:
            acts = ()
            if node.actions:
                from ipemu.kernel.act_mirred import action_msgs
                acts = action_msgs(node.actions, ns.clock.now)
            out.append(FilterMsg(q.handle, tp.prio, tp.protocol, "u32", tp.htid, node, acts))
    return out


def u32_classify(q, frame) -> int:
    """tcf_classify() over the protos in priority order: the class of the first node
    whose keys all match (0: none)."""
    node = u32_match(q, frame)
    return node.classid if node is not None else 0


def u32_match(q, frame) -> U32Node | None:
    """The first node, by priority then handle, whose keys all match the frame."""
    for tp in q.filters:
        if tp.protocol not in (ETH_P_ALL, frame.ethertype):
            continue
        data = frame.to_bytes()[14 + (4 if frame.vlan_tci is not None else 0):]
        for node in tp.nodes:
            if all(off + 4 <= len(data)
                   and int.from_bytes(data[off:off + 4], "big") & mask == val
                   for val, mask, off in node.keys):
                return node
    return None
