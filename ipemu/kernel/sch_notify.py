"""RTNLGRP_TC: the notifications a tc request sends its listeners (`tc monitor`):
qdisc_notify() / notify_and_destroy(), tclass_notify(), tfilter_notify() /
tfilter_del_notify() and tc_chain_notify() (net/sched/sch_api.c, cls_api.c).

Each request runs as before; when the namespace has listeners, what the device's
qdiscs, classes, filters and chains were before and after tells which messages the
kernel sent, in its order: a grafted qdisc's old one deleted, then the new one; a
filter's chain added before the filter; a deleted proto before its chain; chains of a
destroyed qdisc after the qdisc messages. What the recordings showed of tcm_info (the
refcount printed) is kept: a root qdisc of a kind with ->attach (htb, mq) is told
before the tx queues hold it (refcnt 1), another after (the dump's); a deleted one
has been let go by its queues (1), an ingress one by everything (0); the default
noqueue a device started with says 2, one restored after a delete 1.
"""
from __future__ import annotations

import copy

from ipemu.kernel.errors import KernelError
from ipemu.kernel.records import RTM
from ipemu.plainclass import dataclass, replace

TC_H_ROOT = 0xFFFFFFFF
TC_H_INGRESS = 0xFFFFFFF1
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400
_ATTACH_KINDS = ("htb", "mq", "mqprio", "taprio")     # Qdisc_ops with ->attach


@dataclass(frozen=True)
class TcNotice:
    """One RTNLGRP_TC message: the record (a QdiscMsg, ClassMsg, FilterMsg or
    ChainMsg), the device it is on, and the nlmsg_flags a filter or chain carries
    (CREATE|EXCL: "added", CREATE: "replaced")."""

    msg: object
    ifindex: int
    flags: int = 0


@dataclass(frozen=True)
class ChainMsg:
    """RTM_NEWCHAIN / RTM_DELCHAIN (tc_chain_fill_node()): the block's qdisc, the index."""

    parent: int
    index: int
    block: int = 0      # which of a clsact's two blocks (not in the message)


def _snapshot(ns, ifindex: int) -> tuple:
    from ipemu.kernel import sch_api as S
    from ipemu.kernel import sch_cls_u32 as U
    qdiscs = S.tc_dump_qdisc(ns, ifindex)
    classes = S.tc_dump_tclass(ns, ifindex)
    filters: list = []
    chains: list = []
    for q in qdiscs:
        if not q.handle:
            continue
        blocks = [q.handle] if q.parent != TC_H_INGRESS else \
            [0xFFFFFFF2, 0xFFFFFFF3] if q.kind == "clsact" else [0xFFFFFFF2]
        for parent in blocks:
            # a copy of each key node as it is now (a replace changes the live one)
            filters += [replace(m, node=copy.copy(m.node)) if m.node is not None else m
                        for m in U.tc_dump_tfilter(ns, ifindex, parent)]
            chains += [ChainMsg(p, i, parent)
                       for p, i in U.tc_dump_chain(ns, ifindex, parent)]
    return qdiscs, classes, filters, chains


def _qkey(msg) -> tuple:
    return (msg.kind, msg.handle, msg.parent)


def _fkey(msg) -> tuple:
    return (msg.parent, msg.prio, msg.protocol, msg.chain, msg.htid,
            msg.node.handle if msg.node is not None else None)


def _send(ns, out: list) -> None:
    for rtm, msg, ifindex, flags in out:
        ns._notify(rtm, TcNotice(msg, ifindex, flags))


def _deleted_qdisc(dev, msg, restored: bool):
    if msg.parent == TC_H_INGRESS:
        return replace(msg, refcnt=0)
    if msg.kind == "noqueue" and not msg.handle:
        return msg if not restored else replace(msg, refcnt=1)
    return replace(msg, refcnt=1)


def modify_qdisc(ns, req, run) -> None:
    """tc_modify_qdisc() / tc_get_qdisc(RTM_DELQDISC) with their notifications."""
    dev = ns.devices.get(req.ifindex)
    if not ns.listeners or dev is None:
        run(ns, req)
        return
    before = _snapshot(ns, req.ifindex)
    restored = bool(getattr(dev.sch, "default_restored", False)) if dev.sch else False
    run(ns, req)
    after = _snapshot(ns, req.ifindex)
    out = []
    now = {_qkey(m) for m in after[0]}
    gone = [m for m in before[0] if _qkey(m) not in now]
    for msg in gone:
        out.append((RTM.DELQDISC, _deleted_qdisc(dev, msg, restored), req.ifindex, 0))
    if not req.delete:
        target = [m for m in after[0] if m.handle and (
            (req.handle and m.handle == req.handle) or
            (not req.handle and m.parent == (req.parent or TC_H_ROOT)))]
        for msg in target[:1]:
            fresh = _qkey(msg) not in {_qkey(m) for m in before[0]}
            if msg.parent == TC_H_ROOT and fresh and msg.kind in _ATTACH_KINDS:
                msg = replace(msg, refcnt=1)
            out.append((RTM.NEWQDISC, msg, req.ifindex, 0))
    # the chains of a destroyed qdisc go as it is freed, after the messages above
    handles = {m.handle for m in after[0]}
    for chain in before[3]:
        if chain.parent not in handles:
            out.append((RTM.DELCHAIN, chain, req.ifindex, 0))
    _send(ns, out)


def ctl_tclass(ns, req, run):
    """tc_ctl_tclass() with tclass_notify() / tclass_del_notify()."""
    if not ns.listeners:
        return run(ns, req)
    before = _snapshot(ns, req.ifindex)[1]
    result = run(ns, req)
    after = _snapshot(ns, req.ifindex)[1]
    if req.delete:
        out = [(RTM.DELTCLASS, m, req.ifindex, 0) for m in before
               if m.classid not in {a.classid for a in after}]
    else:
        out = [(RTM.NEWTCLASS, m, req.ifindex, 0) for m in after if m.classid == req.classid]
    _send(ns, out)
    return result


def tfilter(ns, req, run) -> None:
    """tc_new_tfilter() / tc_del_tfilter() with tfilter_notify() and the chain's own
    messages (tc_chain_notify()): a chain the request made goes out first; one it
    emptied after. A new filter whose action module is missing got its chain made
    and dropped all the same (recorded)."""
    if not ns.listeners:
        run(ns, req)
        return
    before = _snapshot(ns, req.ifindex)
    try:
        run(ns, req)
    except KernelError as err:
        text = err.extack or ""
        block = req.parent & 0xFFFF0000 or next(
            (m.handle for m in before[0] if m.parent == TC_H_ROOT), 0)
        # the block the filter goes to: a clsact's egress one, else ingress (`parent
        # ffff:`, `ingress` and an ingress qdisc's `egress` name the same), else the
        # qdisc's own
        clsact = any(m.kind == "clsact" for m in before[0])
        which = 0xFFFFFFF3 if req.parent == 0xFFFFFFF3 and clsact else \
            0xFFFFFFF2 if block == 0xFFFF0000 else block
        if not req.delete and ("action" in text or "classifier" in text) and not any(
                c.block == which and c.index == req.chain for c in before[3]):
            chain = ChainMsg(block, req.chain, which)
            _send(ns, [(RTM.NEWCHAIN, chain, req.ifindex, NLM_F_CREATE | NLM_F_EXCL),
                       (RTM.DELCHAIN, chain, req.ifindex, 0)])
        raise
    after = _snapshot(ns, req.ifindex)
    old_chains = set(before[3])
    new_chains = set(after[3])
    out = [(RTM.NEWCHAIN, c, req.ifindex, NLM_F_CREATE | NLM_F_EXCL)
           for c in after[3] if c not in old_chains]
    old = {_fkey(m): m for m in before[2]}
    new = {_fkey(m): m for m in after[2]}
    if req.delete:
        protos_left = {k[:4] for k, m in new.items() if m.htid is None and m.node is None}
        for key, msg in old.items():
            if key in new:
                continue
            if msg.kind == "bpf" and msg.node is not None:
                # tfilter_del_notify(): the program as it was, its proto gone or not
                out.append((RTM.DELTFILTER, msg, req.ifindex, 0))
            elif msg.htid is None:
                out.append((RTM.DELTFILTER, msg, req.ifindex, 0))   # the whole proto
            elif msg.node is not None and key[:4] in protos_left:
                out.append((RTM.DELTFILTER, msg, req.ifindex, 0))
    else:
        added = [m for k, m in new.items() if k not in old and m.htid is not None
                 and (m.node is not None or req.divisor)]
        # cls_bpf_change(): *arg is the new program (a replaced one's successor)
        added += [m for k, m in new.items() if m.kind == "bpf" and m.node is not None
                  and (k not in old or old[k].node != m.node)]
        if not added and req.handle:
            # u32_change() of an existing key hands tfilter_notify() the old node,
            # still readable until RCU frees it (recorded: the old key and flowid)
            added = [m for k, m in old.items() if m.node is not None and m.kind == "u32"
                     and m.node.handle == req.handle and m.prio == req.prio]
        for msg in added[:1]:
            out.append((RTM.NEWTFILTER, msg, req.ifindex, req.flags))
    out += [(RTM.DELCHAIN, c, req.ifindex, 0) for c in before[3] if c not in new_chains]
    _send(ns, out)
