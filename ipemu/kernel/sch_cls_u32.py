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
    """struct tc_u_knode: its handle, keys (val, mask, off, offmask) and class."""

    handle: int
    keys: list[tuple[int, int, int, int]] = field(default_factory=list)
    classid: int = 0
    actions: list = field(default_factory=list)     # act_mirred.TcAction, in order
    # sel.flags TC_U32_TERMINAL, kept as tc sent it: f_u32.c's u32_parse_opt() sets it
    # with a classid/flowid and with any action or police
    terminal: bool = False
    link: int = 0                   # ht_down: the table a match descends into (`link`)
    hmask: int = 0                  # sel.hmask (`hashkey mask`), as written (big endian)
    hoff: int = 0                   # sel.hoff (`hashkey ... at`)
    ifindex: int = 0                # `indev NAME` (tcf_change_indev())
    # sel's offset words: flags (TC_U32_OFFSET 2, VAROFFSET 4, EAT 8), off (plus),
    # offoff, offmask (as written), offshift
    offset: dict = field(default_factory=dict)
    cls_flags: int = 0              # TCA_U32_FLAGS: skip_hw 1, skip_sw 2


@dataclass
class TcProto:
    """struct tcf_proto: priority, protocol, its kind; a u32 one its root hash table's
    id and key nodes, a bpf one its programs (cls_bpf.BpfProg, newest first)."""

    prio: int
    protocol: int
    htid: int
    chain: int = 0                  # tcf_chain.index of the chain it sits in
    nodes: list = field(default_factory=list)
    # the other hash tables of this prio (`divisor N`): (handle, divisor), newest
    # first as u32_change() puts them at the head of tp_c->hlist
    tables: list = field(default_factory=list)
    kind: str = "u32"
    hgen: int = 0                   # cls_bpf_head.hgen: the last handle handed out


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
    handle: int = 0                 # tcm_handle (get_u32_handle())
    divisor: int = 0                # TCA_U32_DIVISOR: a hash table, not a key node
    selector: bool = False          # TCA_U32_SEL sent (a `match`, maybe of no key)
    flags: int = 0x600              # NLM_F_CREATE|NLM_F_EXCL (add), CREATE (replace), 0
    options: bool = True            # TCA_OPTIONS sent (`u32` with no words sends none)
    chain: int = 0                  # TCA_CHAIN (0 when not sent)
    hash: int = 0                   # TCA_U32_HASH (`ht`, `sample`): table and bucket
    link: int | None = None         # TCA_U32_LINK (`link`)
    unsimulated: str = ""           # an option ipemu takes but does not act on
    hmask: int = 0                  # sel.hmask, sel.hoff (`hashkey mask M at OFF`)
    hoff: int = 0
    indev: str | None = None        # TCA_U32_INDEV
    offset: tuple = ()              # sel's offset words, as (name, value) pairs
    cls_flags: int = 0              # TCA_U32_FLAGS / TCA_BPF_FLAGS_GEN (skip_hw, skip_sw)
    bpf_ops: tuple = ()             # TCA_BPF_OPS: a classic program's (code, jt, jf, k)
    bpf_direct: bool = False        # TCA_BPF_FLAGS: TCA_BPF_FLAG_ACT_DIRECT


class U32Unsimulated(Exception):
    """A key node with an option ipemu does not act on (offset, hashkey, link, ...):
    refused after the kernel's own checks, before anything changes."""


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
    divisor: int = 1                # of a table (htid set, no node)
    chain: int = 0                  # TCA_CHAIN: the proto's chain index


TC_H_MIN_INGRESS = 0xFFF2
TC_H_MIN_EGRESS = 0xFFF3


def _qdisc_of(ns, req: FilterRequest):
    dev = ns.devices.get(req.ifindex)
    if dev is None:
        raise KernelError(Errno.ENODEV)
    q = None
    if dev.sch is not None:
        # __tcf_qdisc_find(): parent 0 is the root qdisc; any other (root's ffff:ffff
        # too) is looked up by its major
        q = dev.sch.root if not req.parent else dev.sch.lookup(req.parent & 0xFFFF0000)
    if q is None and not req.parent:
        # __tcf_qdisc_find(): dev->qdisc (noqueue, noop) has no class ops
        raise KernelError(Errno.EINVAL, "Qdisc not classful")
    if q is None:
        raise KernelError(Errno.EINVAL, "Parent Qdisc doesn't exists")
    if q.kind in CLASSLESS:
        raise KernelError(Errno.EINVAL, "Qdisc not classful")
    if q.kind in NO_BLOCKS:
        raise KernelError(Errno.EOPNOTSUPP, "Class doesn't support blocks")
    return q


# qdiscs whose class ops have no tcf_block (__tcf_qdisc_cl_find(): "Class doesn't
# support blocks"; recorded for tbf)
NO_BLOCKS = frozenset({"tbf", "mq", "netem"})
# qdiscs without Qdisc_class_ops (__tcf_qdisc_find(): "Qdisc not classful")
CLASSLESS = frozenset({"pfifo_fast", "pfifo", "bfifo", "pfifo_head_drop", "noqueue",
                       "fq", "codel", "pie", "plug"})


def block_filters(q, parent: int) -> list | None:
    """cops->find() then cops->tcf_block(): the filter list a parent names. clsact
    has one block per direction and none for its own handle; ingress one for all;
    an htb class has its own (htb_tcf_block()), which a class that is not there lacks."""
    if q.kind == "htb" and parent & 0xFFFF:
        if not any(c.classid == parent for c in q.classes):
            return None
        return q.class_blocks.setdefault(parent, [])
    if q.kind != "clsact":
        return q.filters
    if parent & 0xFFFF == TC_H_MIN_INGRESS:
        return q.filters
    if parent & 0xFFFF == TC_H_MIN_EGRESS:
        return q.egress_filters
    return None


def _filters_of(q, parent: int) -> list:
    """__tcf_qdisc_cl_find() and __tcf_block_find() for a new or deleted filter."""
    minor = parent & 0xFFFF
    if q.kind == "clsact" and minor and minor not in (TC_H_MIN_INGRESS, TC_H_MIN_EGRESS):
        raise KernelError(Errno.ENOENT, "Specified class doesn't exist")
    if q.kind == "htb" and minor and not any(c.classid == parent for c in q.classes):
        raise KernelError(Errno.ENOENT, "Specified class doesn't exist")
    filters = block_filters(q, parent)
    if filters is None:
        raise KernelError(Errno.EINVAL)         # no block, no extack message
    return filters


def tc_new_tfilter(ns, req: FilterRequest) -> None:
    """tc_new_tfilter(): the proto of this prio (a new one when there is none), then
    u32_change(): a key node with the lowest free handle from 800."""
    q = _qdisc_of(ns, req)
    protos = _filters_of(q, req.parent)
    _check_chain_index(req.chain)
    # tc_new_tfilter(): block->classid = parent (q->handle when none was given)
    q.block_classid[_block_key(q, req.parent)] = req.parent or q.handle
    chain_protos = [t for t in protos if t.chain == req.chain]
    prio = req.prio
    if not prio:
        # tcf_chain_tp_find() from 0x8000, then tcf_auto_prio(): one below the first
        # proto of the chain at or above it, else 0xC000
        first = next((t for t in chain_protos if t.prio >= 0x8000), None)
        if first is not None and first.prio == 0x8000:
            raise KernelError(Errno.ENOSPC,
                              "Lowest ID from auto-alloc range already in use")
        prio = first.prio - 1 if first is not None else 0xC000
    tp = next((t for t in chain_protos if t.prio == prio), None)
    if tp is not None and req.protocol and tp.protocol != req.protocol:
        # tcf_chain_tp_find()
        raise KernelError(Errno.EINVAL, "Protocol mismatch for filter with specified priority")
    if tp is None and not req.flags & 0x400:
        raise KernelError(Errno.ENOENT, "Need both RTM_NEWTFILTER and NLM_F_CREATE to "
                          "create a new filter")
    if req.kind and tp is not None and req.kind != tp.kind:
        # tc_new_tfilter(): the proto found at this prio is of another kind, whatever
        # module the new kind would need (it is never looked up)
        raise KernelError(Errno.EINVAL, "Specified filter kind does not match existing one")
    if tp is None and req.kind and (req.kind not in SIMULATED or
                                    req.kind in ns.kernel.get("missing_classifiers", [])):
        # tcf_proto_create(): tcf_proto_lookup_ops() finds no such module (the
        # profile's kernel.missing_classifiers; only u32 and bpf are simulated)
        raise KernelError(Errno.ENOENT, "TC classifier not found")
    if req.kind == "bpf" or tp is not None and tp.kind == "bpf":
        _bpf_new(ns, q, protos, tp, prio, req)
        return
    new = tp is None
    if new:
        tp = TcProto(prio, req.protocol, _new_htid(q), req.chain)
    fh = None if new else u32_get(tp, req.handle)
    if fh is None and not req.flags & 0x400:
        raise KernelError(Errno.ENOENT, "Need both RTM_NEWTFILTER and NLM_F_CREATE to "
                          "create a new filter")
    if fh is not None and req.flags & 0x200:
        raise KernelError(Errno.EEXIST, "Filter already exists")
    if not req.options:
        # u32_change() without TCA_OPTIONS: nothing but the proto (and its table)
        if req.handle:
            raise KernelError(Errno.EINVAL, "cls_u32: Filter handle requires options")
        if new:
            _tp_insert(q, protos, tp, req.parent)
        return
    if isinstance(fh, U32Node):
        _u32_replace_knode(ns, fh, req)
        return
    if fh is not None:
        raise KernelError(Errno.EINVAL, "cls_u32: Key node id cannot be zero")
    if req.divisor:
        _u32_new_table(q, protos, tp, new, req)
        return
    # u32_change(): TCA_U32_HASH names the table (its bucket too), else the root
    htid = tp.htid
    if req.hash:
        if req.hash & 0xFFF00000 == 0xFFF00000:             # TC_U32_ROOT
            htid = tp.htid
        else:
            divisors = {tp.htid >> 20: 1} | {h >> 20: d for t in u32_protos(q) + [tp]
                                             for h, d in t.tables}
            divisors |= {h >> 20: 1 for h, _, _ in q.u32_hlist if h >> 20 not in divisors}
            if req.hash >> 20 not in divisors:              # u32_lookup_ht()
                raise KernelError(Errno.EINVAL, "cls_u32: Specified hash table not found")
            if divisors[req.hash >> 20] - 1 < (req.hash >> 12) & 0xFF:
                raise KernelError(Errno.EINVAL, "cls_u32: Specified hash table buckets "
                                  "exceed configured value")
            htid = req.hash & 0xFFFFF000
    if req.handle >> 20 and (req.handle ^ htid) >> 20:
        raise KernelError(Errno.EINVAL, "cls_u32: Handle specified hash table address "
                          "mismatch")
    if not req.keys and not req.selector:
        raise KernelError(Errno.EINVAL, "cls_u32: Selector not specified")
    ifindex = 0
    if req.indev is not None:
        # u32_set_parms() -> tcf_change_indev(): a name this namespace has (EINVAL,
        # the message tcf_change_indev() set)
        dev = next((d for d in ns.devices.values() if d.name == req.indev), None)
        if dev is None:
            raise KernelError(Errno.EINVAL, "Network device not found")
        ifindex = dev.ifindex
    if req.link:
        # u32_set_parms(): the table linked to must be one, and not a root
        tables = {h >> 20 for t in u32_protos(q) + [tp] for h, _ in t.tables}
        if req.link >> 20 not in tables | {h >> 20 for h, _, _ in q.u32_hlist}:
            raise KernelError(Errno.EINVAL, "cls_u32: Link hash table not found")
        if req.link >> 20 not in tables:
            raise KernelError(Errno.EINVAL, "cls_u32: Not linking to root node")
    if req.unsimulated:
        raise U32Unsimulated(req.unsimulated)
    actions = []
    if req.actions:
        # u32_set_parms() -> tcf_exts_validate(): after u32_init() took its table id,
        # which a failure does not give back
        from ipemu.kernel.act_mirred import tcf_action_init
        actions = tcf_action_init(ns, req.actions, ns.clock.now)
    if new:
        _tp_insert(q, protos, tp, req.parent)
    # gen_new_kid(): the lowest free id from 0x800 in that table's bucket
    used = {n.handle & 0xFFF for t in u32_protos(q) + [tp] for n in t.nodes
            if n.handle & 0xFFFFF000 == htid}
    kid = req.handle & 0xFFF or \
        next(k for k in range(0x800, 0x1000) if k not in used)
    tp.nodes.append(U32Node(htid | kid, list(req.keys), req.classid, actions,
                            bool(req.classid or actions), req.link or 0, req.hmask, req.hoff, ifindex,
                            dict(req.offset), req.cls_flags))
    tp.nodes.sort(key=lambda n: n.handle)


SIMULATED = ("u32", "bpf")


def _bpf_new(ns, q, protos: list, tp: TcProto | None, prio: int,
             req: FilterRequest) -> None:
    """tc_new_tfilter() for a bpf proto: cls_bpf_get() of the handle, then
    cls_bpf_change(); a new proto goes in once its first program is there."""
    from ipemu.kernel.cls_bpf import bpf_change
    new = tp is None
    if new:
        tp = TcProto(prio, req.protocol, 0, req.chain, kind="bpf")
    fh = next((p for p in tp.nodes if p.handle == req.handle), None) \
        if req.handle else None
    if fh is None and not req.flags & 0x400:
        raise KernelError(Errno.ENOENT, "Need both RTM_NEWTFILTER and NLM_F_CREATE to "
                          "create a new filter")
    if fh is not None and req.flags & 0x200:
        raise KernelError(Errno.EEXIST, "Filter already exists")
    bpf_change(ns, tp, fh, req)
    if new:
        _tp_insert(q, protos, tp, req.parent)


def u32_protos(q) -> list:
    """The qdisc's u32 protos, any block: the users of its tc_u_common."""
    return [t for t in all_protos(q) if t.kind == "u32"]


def u32_get(tp: TcProto, handle: int):
    """u32_get(): the table a handle names (its key part 0), or the key node; None."""
    if not handle >> 20:
        return None
    tables = {tp.htid >> 20} | {h >> 20 for h, _ in tp.tables}
    if handle >> 20 not in tables:
        return None
    if not handle & 0xFFFFF:                    # TC_U32_KEY(): the table itself
        return handle
    return next((n for n in tp.nodes if n.handle == handle), None)


def class_in_use(q, classid: int) -> bool:
    """qdisc_class_in_use(): a filter of the qdisc's blocks is bound to the class
    (tcf_bind_filter() when it is made, tc_bind_tclass() when the class comes later)."""
    return any(n.classid == classid for tp in all_protos(q) for n in tp.nodes)


def class_block_put(ns, q, classid: int) -> None:
    """htb_destroy_class() -> tcf_block_put(): the class's block and its filters go."""
    protos = q.class_blocks.pop(classid, [])
    for tp in list(protos):
        _release(ns, tp)
        _tp_remove(q, protos, tp, classid)
    q.chains.pop(f"{classid:x}", None)
    q.block_classid.pop(f"{classid:x}", None)


def _u32_replace_knode(ns, node: U32Node, req: FilterRequest) -> None:
    """u32_change() of an existing key node: u32_init_knode() copies its selector (the
    one sent is not used), u32_set_parms() takes a class id if one came and the
    actions sent (none: none), then u32_replace_knode() swaps it in."""
    actions = []
    if req.actions:
        from ipemu.kernel.act_mirred import tcf_action_init
        actions = tcf_action_init(ns, req.actions, ns.clock.now)
    from ipemu.kernel.act_mirred import tcf_action_release
    tcf_action_release(ns, node.actions)
    if req.classid:
        node.classid = req.classid
    node.actions = actions


def tc_get_tfilter(ns, req: FilterRequest) -> FilterMsg:
    """tc_get_tfilter(): the proto of that prio and protocol, then u32_get()."""
    q = _qdisc_of(ns, req)
    protos = _filters_of(q, req.parent)
    _check_chain_index(req.chain)
    if _chain_entry(q, req.parent, req.chain) is None:
        raise KernelError(Errno.EINVAL, "Cannot find specified filter chain")
    tp = next((t for t in protos if t.prio == req.prio and t.chain == req.chain), None)
    if tp is not None and req.protocol and tp.protocol != req.protocol:
        raise KernelError(Errno.EINVAL, "Protocol mismatch for filter with specified priority")
    if tp is None:
        raise KernelError(Errno.ENOENT, "Filter with specified priority/protocol not found")
    fh = u32_get(tp, req.handle) if tp.kind == "u32" else \
        next((p for p in tp.nodes if p.handle == req.handle), None)
    if fh is None:
        raise KernelError(Errno.ENOENT, "Specified filter handle not found")
    parent = _tcm_parent(q, req.parent)
    if tp.kind == "bpf":
        acts = ()
        if fh.actions:
            from ipemu.kernel.act_mirred import action_msgs
            acts = action_msgs(fh.actions, ns.clock.now, ns.devices)
        return FilterMsg(parent, tp.prio, tp.protocol, "bpf", None, fh, acts,
                         chain=tp.chain)
    if isinstance(fh, U32Node):
        acts = ()
        if fh.actions:
            from ipemu.kernel.act_mirred import action_msgs
            acts = action_msgs(fh.actions, ns.clock.now, ns.devices)
        return FilterMsg(parent, tp.prio, tp.protocol, "u32", tp.htid, fh, acts,
                         chain=tp.chain)
    divisor = dict(tp.tables).get(fh, 1)
    return FilterMsg(parent, tp.prio, tp.protocol, "u32", fh, divisor=divisor,
                     chain=tp.chain)


def _block_key(q, parent: int) -> str:
    """The block a parent names: clsact's egress one, an htb class's, else the qdisc's."""
    if q.kind == "htb" and parent & 0xFFFF:
        return f"{parent:x}"
    return "egress" if q.kind == "clsact" and parent & 0xFFFF == TC_H_MIN_EGRESS else ""


def all_protos(q) -> list:
    """Every tcf_proto of the qdisc, any block: the u32 tc_u_common's users."""
    out = q.filters + q.egress_filters
    for protos in q.class_blocks.values():
        out = out + protos
    return out


def _tcm_parent(q, parent: int) -> int:
    """tc_get_tfilter()'s tcm_parent: the parent asked for (q->handle for none)."""
    return parent if parent else q.handle


def _u32_new_table(q, protos: list, tp: TcProto, new: bool, req: FilterRequest) -> None:
    """u32_change() with TCA_U32_DIVISOR: a hash table of that many buckets, with the
    handle given or the next gen_new_htid()."""
    if req.handle & 0xFFFFF:
        raise KernelError(Errno.EINVAL, "cls_u32: Divisor can only be used on a hash table")
    handle = req.handle or _new_htid(q)
    if new:
        _tp_insert(q, protos, tp, req.parent)
    tp.tables.insert(0, (handle, req.divisor))
    q.u32_hlist.insert(0, [handle, req.divisor, tp.prio])


def _u32_delete(ns, q, protos: list, req: FilterRequest) -> None:
    """tc_del_tfilter() with a handle: the proto of that prio, u32_get(), u32_delete();
    the proto goes too when it was the qdisc's only u32 one and no key node is left
    (`*last`)."""
    tp = next((t for t in protos if t.prio == req.prio and t.chain == req.chain),
              None) if req.prio else None
    if tp is None or req.protocol not in (0, ETH_P_ALL, tp.protocol):
        raise KernelError(Errno.ENOENT, "Filter with specified priority/protocol not found")
    if req.kind and req.kind != tp.kind:
        raise KernelError(Errno.EINVAL, "Specified filter kind does not match existing one")
    if tp.kind == "bpf":
        # cls_bpf_delete(): the program goes; the proto with its last one (*last)
        prog = next((p for p in tp.nodes if p.handle == req.handle), None)
        if prog is None:
            raise KernelError(Errno.ENOENT, "Specified filter handle not found")
        from ipemu.kernel.act_mirred import tcf_action_release
        tcf_action_release(ns, prog.actions)
        tp.nodes.remove(prog)
        if not tp.nodes:
            _tp_remove(q, protos, tp, req.parent)
        return
    fh = u32_get(tp, req.handle)
    if fh is None:
        raise KernelError(Errno.ENOENT, "Specified filter handle not found")
    if not isinstance(fh, U32Node):
        if fh == tp.htid:
            raise KernelError(Errno.EINVAL, "cls_u32: Not allowed to delete root node")
        tp.tables = [t for t in tp.tables if t[0] != fh]
        q.u32_hlist[:] = [t for t in q.u32_hlist if t[0] != fh]
        return
    from ipemu.kernel.act_mirred import tcf_action_release
    tcf_action_release(ns, fh.actions)
    tp.nodes.remove(fh)
    others = [t for t in u32_protos(q) if t is not tp]
    if not others and not tp.nodes:
        _tp_remove(q, protos, tp, req.parent)


def _new_htid(q) -> int:
    """u32_init(): the block's first table is 800:, later ones gen_new_htid()'s cyclic
    ids from 1 (801:, 802:, ...)."""
    if not u32_protos(q):
        # tc_u_common (keyed by the qdisc: clsact's two blocks share it) went with
        # its last u32 proto, a failed first one's too: a new one starts at 800:
        q.u32_used = True
        q.u32_next = 0
        return 0x80000000
    q.u32_next = q.u32_next % 0x7FF + 1
    return (q.u32_next | 0x800) << 20


def tc_del_tfilter(ns, req: FilterRequest) -> None:
    """tc_del_tfilter(): without a priority every proto goes, else the one asked for.
    A flush (no priority) naming a protocol, handle or kind is refused first, before
    the qdisc is looked for (recorded: fuzz39_filter_flush_with_protocol)."""
    if not req.prio and (req.protocol or req.handle or req.kind):
        raise KernelError(Errno.ENOENT, "Cannot flush filters with protocol, handle or kind set")
    q = _qdisc_of(ns, req)
    protos = _filters_of(q, req.parent)
    _check_chain_index(req.chain)
    if _chain_entry(q, req.parent, req.chain) is None:
        # tc_del_tfilter(): a flush of a chain that is not there does nothing
        if not req.prio:
            return
        raise KernelError(Errno.ENOENT, "Cannot find specified filter chain")
    if req.handle:
        _u32_delete(ns, q, protos, req)
        return
    if not req.prio:
        _chain_flush(ns, q, protos, req.parent, req.chain)
        return
    tp = next((t for t in protos if t.prio == req.prio and t.chain == req.chain), None)
    if tp is None or req.protocol not in (0, ETH_P_ALL, tp.protocol):
        raise KernelError(Errno.ENOENT, "Filter with specified priority/protocol not found")
    if req.kind and req.kind != tp.kind:
        # tc_del_tfilter(): TCA_KIND, when given, must name the found proto's kind
        raise KernelError(Errno.EINVAL, "Specified filter kind does not match existing one")
    _release(ns, tp)
    _tp_remove(q, protos, tp, req.parent)


def _release(ns, tp: TcProto) -> None:
    from ipemu.kernel.act_mirred import tcf_action_release
    for node in tp.nodes:
        tcf_action_release(ns, node.actions)


def tc_dump_tfilter(ns, ifindex: int, parent: int,
                    chain: int | None = None) -> list[FilterMsg]:
    """tc_dump_tfilter() of one qdisc (the root's when no parent is given): each chain
    of the block (only the one TCA_CHAIN names), each proto in it, then u32_walk()."""
    dev = ns.devices.get(ifindex)
    if dev is None or dev.sch is None:
        return []
    q = dev.sch.root if not parent else dev.sch.lookup(parent & 0xFFFF0000)
    if q is None:
        return []
    filters = block_filters(q, parent)
    if filters is None:
        return []
    # tc_dump_tfilter(): parent = block->classid
    tcm_parent = q.block_classid.get(_block_key(q, parent), q.handle)
    out = []
    for index, _ in _chain_list(q, parent):
        if chain is not None and index != chain:
            continue
        for tp in filters:
            if tp.chain != index:
                continue
            out.append(FilterMsg(tcm_parent, tp.prio, tp.protocol, tp.kind, chain=index))
            if tp.kind == "u32":
                out += _u32_walk(ns, q, tp, tcm_parent)
                continue
            for prog in tp.nodes:                   # cls_bpf_walk(): head->plist
                acts = ()
                if prog.actions:
                    from ipemu.kernel.act_mirred import action_msgs
                    acts = action_msgs(prog.actions, ns.clock.now, ns.devices)
                out.append(FilterMsg(tcm_parent, tp.prio, tp.protocol, "bpf", None, prog,
                                     acts, chain=index))
    return out


def _u32_walk(ns, q, tp: TcProto, tcm_parent: int) -> list[FilterMsg]:
    """u32_walk(): every hash table of the qdisc's tc_u_common whose prio is the
    proto's (another chain's too), newest first, each followed by its key nodes."""
    out = []
    protos = u32_protos(q)
    for handle, divisor, prio in q.u32_hlist:
        if prio != tp.prio:
            continue
        out.append(FilterMsg(tcm_parent, tp.prio, tp.protocol, "u32", handle,
                             divisor=divisor, chain=tp.chain))
        for owner in protos:
            for node in owner.nodes:
                if node.handle >> 20 != handle >> 20:
                    continue
                acts = ()
                if node.actions:
                    from ipemu.kernel.act_mirred import action_msgs
                    acts = action_msgs(node.actions, ns.clock.now, ns.devices)
                out.append(FilterMsg(tcm_parent, tp.prio, tp.protocol, "u32", handle,
                                     node, acts, chain=tp.chain))
    return out


def tc_dump_chain(ns, ifindex: int, parent: int) -> list[tuple[int, int]]:
    """tc_dump_chain(): the block's chains in creation order (one lives while it holds
    filters or was added), each as (tcm_parent: the qdisc's handle, index)."""
    dev = ns.devices.get(ifindex)
    if dev is None or dev.sch is None:
        return []
    q = dev.sch.root if not parent else dev.sch.lookup(parent & 0xFFFF0000)
    if q is None or block_filters(q, parent) is None:
        return []
    return [(q.handle, index) for index, _ in _chain_list(q, parent)]


@dataclass(frozen=True)
class ChainRequest:
    """RTM_NEWCHAIN / RTM_DELCHAIN / RTM_GETCHAIN (tc_filter.c do_chain())."""

    cmd: str                        # "new", "del" or "get"
    ifindex: int
    parent: int
    chain: int = 0                  # TCA_CHAIN (0 when not sent)
    kind: str = ""                  # TCA_KIND: a chain template's classifier


def tc_ctl_chain(ns, req: ChainRequest) -> tuple[int, int]:
    """tc_ctl_chain(): add (explicitly created), delete (its filters flushed first) or
    get a chain; the answer's (tcm_parent, index) for a new or got chain."""
    _check_chain_index(req.chain)
    q = _qdisc_of(ns, FilterRequest(False, req.ifindex, req.parent))
    protos = _filters_of(q, req.parent)
    entry = _chain_entry(q, req.parent, req.chain)
    if req.cmd == "new":
        if entry is not None:
            raise KernelError(Errno.EEXIST, "Filter chain already exists")
        if req.kind:
            # tc_chain_tmplt_add(): tcf_proto_lookup_ops(), then ops->tmplt_create
            # (flower's only, which this kernel lacks); the new chain is put again
            if req.kind in ns.kernel.get("missing_classifiers", []):
                raise KernelError(Errno.ENOENT, "TC classifier not found")
            raise KernelError(Errno.EOPNOTSUPP,
                              "Chain templates are not supported with specified classifier")
        _chain_list(q, req.parent).append([req.chain, True])
        return q.handle, req.chain
    if entry is None:
        raise KernelError(Errno.EINVAL, "Cannot find specified filter chain")
    if req.cmd == "del":
        entry[1] = False            # tcf_chain_put_explicitly_created()
        _chain_flush(ns, q, protos, req.parent, req.chain)
        _chain_gc(q, protos, req.parent)
    return q.handle, req.chain


TC_ACT_EXT_VAL_MASK = 0x0FFFFFFF


def _check_chain_index(index: int) -> None:
    """tc_new_tfilter()/tc_ctl_chain(): chain indexes are 28 bits (goto_chain's room)."""
    if index > TC_ACT_EXT_VAL_MASK:
        raise KernelError(Errno.EINVAL, "Specified chain index exceeds upper limit")


def _chain_list(q, parent: int) -> list:
    """block->chain_list of the block the parent names: [index, explicit] entries."""
    return q.chains.setdefault(_block_key(q, parent), [])


def _chain_entry(q, parent: int, index: int):
    """tcf_chain_lookup()."""
    return next((c for c in _chain_list(q, parent) if c[0] == index), None)


def _chain_gc(q, protos: list, parent: int) -> None:
    """tcf_chain_put(): a chain not explicitly created goes with its last filter."""
    used = {t.chain for t in protos}
    _chain_list(q, parent)[:] = [c for c in _chain_list(q, parent)
                                 if c[1] or c[0] in used]


def _tp_insert(q, protos: list, tp: TcProto, parent: int) -> None:
    """tcf_chain_tp_insert(): the proto in its chain by prio (tcf_chain_get(create)
    made the chain at the list's tail); u32_init() put its root table at the head
    of the tc_u_common's list."""
    protos.append(tp)
    protos.sort(key=lambda t: t.prio)
    if tp.kind == "u32":
        q.u32_hlist.insert(0, [tp.htid, 1, tp.prio])
    if _chain_entry(q, parent, tp.chain) is None:
        _chain_list(q, parent).append([tp.chain, False])


def _tp_remove(q, protos: list, tp: TcProto, parent: int) -> None:
    """tcf_proto_destroy(): u32_destroy() frees its tables; its chain may go too."""
    protos.remove(tp)
    if tp.kind != "u32":
        _chain_gc(q, protos, parent)
        return
    gone = {tp.htid} | {h for h, _ in tp.tables}
    q.u32_hlist[:] = [t for t in q.u32_hlist if t[0] not in gone]
    _chain_gc(q, protos, parent)


def _chain_flush(ns, q, protos: list, parent: int, index: int) -> None:
    """tcf_chain_flush(): every proto of the chain goes."""
    for tp in [t for t in protos if t.chain == index]:
        _release(ns, tp)
        _tp_remove(q, protos, tp, parent)


def u32_classify(q, frame) -> int:
    """tcf_classify() over the protos in priority order: the class of the first node
    whose keys all match, or a bpf program's (0: none)."""
    node = u32_match(q, frame)
    return node.classid if node is not None else 0


@dataclass(frozen=True)
class ClassifyResult:
    """struct tcf_result and the verdict of a bpf program: what u32_match() answers
    for a match that is no u32 key node."""

    classid: int
    actions: tuple = ()
    verdict: int = 0


TC_U32_MAXDEPTH = 8


def u32_match(q, frame, iif: int | None = None, protos: list | None = None):
    """tcf_classify() over the protos in priority order, each by u32_classify(): the
    nodes of the root table's bucket by handle; a node whose keys all match and that
    links to a table (ht_down) is pushed, and the walk goes on in the bucket of that
    table its hash key picks (u32_hash_fold(): the big-endian word at hoff under
    hmask, shifted down to the mask's lowest bit, under the table's divisor - 1);
    a bucket walked to its end pops back to the node after the linking one. A node
    with an input device matches only frames that came in there (tcf_match_indev():
    skb->skb_iif, `iif`, the ingress device, else the frame's own)."""
    if iif is None:
        iif = getattr(frame, "skb_iif", 0)
    data = None
    for tp in (q.filters if protos is None else protos):
        # tcf_classify() starts at chain 0 (others are reached by goto_chain only)
        if tp.chain or tp.protocol not in (ETH_P_ALL, frame.ethertype):
            continue
        if tp.kind == "bpf":
            from ipemu.kernel.cls_bpf import bpf_classify
            res = bpf_classify(tp, frame, iif)
            if res is not None:
                return ClassifyResult(res[1], tuple(res[2]), res[0])
            continue
        if data is None:
            data = frame.to_bytes()
        base = 14 + (4 if frame.vlan_tci is not None else 0)     # skb_network_offset()
        divisors = {h: d for t in u32_protos(q) for h, d in t.tables}
        nodes = sorted((n for t in u32_protos(q) for n in t.nodes), key=lambda n: n.handle)

        def bucket(key: int) -> list:
            return [n for n in nodes if n.handle & 0xFFFFF000 == key]

        def word(off: int) -> int | None:
            if 0 <= base + off and base + off + 4 <= len(data):
                return int.from_bytes(data[base + off:base + off + 4], "big")
            return None

        stack: list = []
        walk, i = bucket(tp.htid), 0
        off = off2 = 0              # the walk's offsets from the network header
        while True:
            if i < len(walk):
                node = walk[i]
                if node.cls_flags & 2 or node.ifindex and node.ifindex != iif:
                    i += 1          # tc_skip_sw(), tcf_match_indev()
                    continue
                # toff = off + key->off + (off2 & key->offmask): off2 is 0 until an
                # offset moved it, so nexthdr+ keys read the IP header; negative
                # offsets reach into the MAC header
                if not all((w := word(off + koff + (off2 & koffmask))) is not None
                           and w & mask == val for val, mask, koff, koffmask in node.keys):
                    i += 1
                    continue
                if not node.link:
                    if node.classid or node.terminal:
                        return node             # TC_U32_TERMINAL
                    i += 1
                    continue
                if len(stack) >= TC_U32_MAXDEPTH:
                    return None                 # "cls_u32: dead loop"
                stack.append((walk, i, off))
                sel = 0
                divisor = divisors.get(node.link, 1)
                if divisor > 1:
                    w = word(off + node.hoff)
                    if w is None:
                        return None
                    masked = w & node.hmask
                    shift = (node.hmask & -node.hmask).bit_length() - 1 if node.hmask else 0
                    sel = (masked >> shift) & (divisor - 1)
                walk, i = bucket(node.link | sel << 12), 0
                flags = node.offset.get("flags", 0)
                if flags & 6:
                    off2 = node.offset["off"] + 3
                    if flags & 4:
                        at = base + off + node.offset["offoff"]
                        if at < 0 or at + 2 > len(data):
                            return None
                        half = int.from_bytes(data[at:at + 2], "big")
                        off2 += (half & node.offset["offmask"]) >> node.offset["offshift"]
                    off2 &= ~3
                if flags & 8:
                    off += off2
                    off2 = 0
                if flags and base + off >= len(data):
                    return None
                continue
            if not stack:
                break
            walk, i, off = stack.pop()
            i += 1
    return None
