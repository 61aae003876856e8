"""Which of several IPv4 default routes of one metric a locally generated flow takes:
fib_select_default() and fib_detect_death() of net/ipv4/fib_semantics.c, which
fib_select_path() runs for an output flow with no output device whose route is a
default one (prefix length 0, unicast, one path) in a table holding more than one
default route (tb_num_default).

The routes of the same metric after the one the lookup found are tried in the
table's order while the gateway of the one before looks dead: its neighbour entry
exists and is neither REACHABLE nor (but for the alias last chosen) valid, so an
INCOMPLETE or FAILED gateway hands the flow to the next one; a gateway with no
entry at all is alive. The first route remembers which one was taken (fa_default),
which the next look reads; it is kept on its table (FibTable.fa_default, by the
route's seq).
"""
from __future__ import annotations

from ipemu.kernel.fib import RTN
from ipemu.kernel.neigh import NUD_VALID, Nud


def fib_select_default(ns, table_id: int, res, tos: int = 0):
    """The route fib_select_default() leaves in `res` (the route the lookup found in
    table `table_id`): itself, or another default route of its metric."""
    table = ns.tables.get((4, table_id))
    if table is None:
        return res
    same = table.same_prefix((0, 0))
    if not same or len(same) < 2:
        return res              # tb_num_default > 1
    memory = table.fa_default
    fi = fa1 = last_resort = None
    order = last_idx = -1
    last_prio, last_tos = res.priority, 0
    local = None
    for fa in same:
        if fa.tos and fa.tos != tos & 0xFC:
            continue
        if fa.priority > last_prio and fa.tos == last_tos:
            if last_tos:
                continue
            break
        if _dead(ns, fa):
            continue                                    # RTNH_F_DEAD
        last_tos, last_prio = fa.tos, fa.priority
        if fa.scope != res.scope or fa.type != RTN.UNICAST or fa.nexthops:
            continue
        if fa.gateway is None or fa.gateway.version != 4:
            continue
        if local is None:
            local = ns.local_addresses()
        if fa.gateway in local:
            continue                                    # nhc_scope host, not link
        if fi is None:
            if not _same_info(fa, res):
                break
            fa1 = fa
        else:
            dead, last_resort, last_idx = _detect_death(
                ns, fi, order, last_resort, last_idx, memory.get(fa1.seq, -1))
            if not dead:
                memory[fa1.seq] = order
                return fi
        fi = fa
        order += 1
    if order <= 0 or fi is None:
        if fa1 is not None:
            memory[fa1.seq] = -1
        return res
    dead, last_resort, last_idx = _detect_death(
        ns, fi, order, last_resort, last_idx, memory.get(fa1.seq, -1))
    if not dead:
        memory[fa1.seq] = order
        return fi
    if last_idx >= 0:
        res = last_resort
    memory[fa1.seq] = last_idx
    return res


def num_default(ns, table_id: int) -> int:
    """tb_num_default: the default routes (any type) of the IPv4 table."""
    table = ns.tables.get((4, table_id))
    if table is None:
        return 0
    return len(table.same_prefix((0, 0)) or ())


def _same_info(fa, res) -> bool:
    """next_fi == res->fi: the very route, or one sharing its fib_info."""
    return fa is res or (fa.gateway == res.gateway and fa.oif == res.oif and
                         fa.priority == res.priority and fa.prefsrc == res.prefsrc and
                         fa.metrics == res.metrics)


def _dead(ns, fa) -> bool:
    """RTNH_F_DEAD: its device gone or down, or without carrier where routes with
    linkdown are ignored."""
    dev = ns.devices.get(fa.oif) if fa.oif is not None else None
    if dev is None or not dev.admin_up:
        return True
    return not dev.carrier and ns._ignores_linkdown4(dev)


def _detect_death(ns, fi, order: int, last_resort, last_idx: int, dflt: int):
    """fib_detect_death(): (dead, last_resort, last_idx). No neighbour entry for the
    gateway: alive; REACHABLE: alive; a valid state: alive unless it is the alias
    chosen last time; an invalid one (INCOMPLETE, FAILED): dead. A dead one in a valid
    state, or a FAILED one after the last choice, is kept as the last resort."""
    n = ns.stack.arp.lookup(fi.oif, fi.gateway)
    if n is None or not n.state:
        return False, last_resort, last_idx
    state = n.state
    if state == Nud.REACHABLE:
        return False, last_resort, last_idx
    valid = bool(state & NUD_VALID)
    if valid and order != dflt:
        return False, last_resort, last_idx
    if valid or (last_idx < 0 and order > dflt and state != Nud.INCOMPLETE):
        last_resort, last_idx = fi, order
    return True, last_resort, last_idx
