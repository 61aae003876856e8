"""The IPsec security policy database (net/xfrm/xfrm_policy.c) and the checks
net/xfrm/xfrm_user.c makes of a policy before it goes in, per namespace (net->xfrm).

Policies are kept in net->xfrm.policy_all's order (newest first: __xfrm_policy_link()
adds at the head, and an updated policy replaces the old one there), which is the
order a dump walks. The security association database stays empty: this kernel has
no esp4/ah4/ipcomp (or mip6) types, so xfrm_init_state() refuses every SA.
"""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.plainclass import dataclass, field

XFRM_POLICY_IN, XFRM_POLICY_OUT, XFRM_POLICY_FWD, XFRM_POLICY_MAX = 0, 1, 2, 3
XFRM_POLICY_TYPE_MAIN, XFRM_POLICY_TYPE_SUB = 0, 1
XFRM_POLICY_ALLOW, XFRM_POLICY_BLOCK = 0, 1
XFRM_MODE_TRANSPORT, XFRM_MODE_TUNNEL, XFRM_MODE_ROUTEOPTIMIZATION = 0, 1, 2
XFRM_MODE_IN_TRIGGER, XFRM_MODE_BEET, XFRM_MODE_MAX = 3, 4, 7
XFRM_MAX_DEPTH = 6
XFRM_INF = (1 << 64) - 1
XFRM_USERPOLICY_UNSPEC, XFRM_USERPOLICY_BLOCK, XFRM_USERPOLICY_ACCEPT = 0, 1, 2
IPPROTO_ROUTING, IPPROTO_ESP, IPPROTO_AH, IPPROTO_DSTOPTS, IPPROTO_COMP = 43, 50, 51, 60, 108
# xfrm_policy_hashmax: the hash tables grow up to this many buckets
XFRM_POLICY_HASHMAX = 1024 * 1024


@dataclass
class XfrmSelector:
    """struct xfrm_selector, addresses as integers of the selector's family."""

    family: int = 4
    saddr: int = 0
    daddr: int = 0
    prefixlen_s: int = 0
    prefixlen_d: int = 0
    proto: int = 0
    sport: int = 0
    sport_mask: int = 0
    dport: int = 0
    dport_mask: int = 0
    ifindex: int = 0
    user: int = 0


@dataclass
class XfrmTmpl:
    """struct xfrm_user_tmpl: the SA a packet the policy matches must have gone
    through (family 0: the policy's, as validate_tmpl() fills it in)."""

    family: int = 0
    saddr: int = 0
    daddr: int = 0
    proto: int = 0
    spi: int = 0
    reqid: int = 0
    mode: int = 0
    optional: int = 0
    share: int = 0
    aalgos: int = 0xFFFFFFFF
    ealgos: int = 0xFFFFFFFF
    calgos: int = 0xFFFFFFFF


def _lifetime() -> dict:
    return {"soft_byte_limit": XFRM_INF, "hard_byte_limit": XFRM_INF,
            "soft_packet_limit": XFRM_INF, "hard_packet_limit": XFRM_INF,
            "soft_add_expires_seconds": 0, "hard_add_expires_seconds": 0,
            "soft_use_expires_seconds": 0, "hard_use_expires_seconds": 0}


@dataclass
class XfrmPolicy:
    """struct xfrm_policy as xfrm_user.c copies it in and out."""

    sel: XfrmSelector = field(default_factory=XfrmSelector)
    dir: int = XFRM_POLICY_IN
    action: int = XFRM_POLICY_ALLOW
    flags: int = 0
    share: int = 0
    index: int = 0
    priority: int = 0
    ptype: int = XFRM_POLICY_TYPE_MAIN
    mark_v: int = 0
    mark_m: int = 0
    if_id: int = 0
    lft: dict = field(default_factory=_lifetime)
    add_time: int = 0
    use_time: int = 0
    tmpls: list = field(default_factory=list)


@dataclass
class XfrmNet:
    """struct netns_xfrm: the policies, the index generator, the hash sizes `ip -s -s
    xfrm policy count` shows, the lookup thresholds and the default policies."""

    policies: list = field(default_factory=list)        # policy_all, newest first
    idx_generator: int = 0
    idx_hmask: int = 7
    bydst_hmask: list = field(default_factory=lambda: [7] * 6)
    hthresh4: tuple = (32, 32)
    hthresh6: tuple = (128, 128)
    default: list = field(default_factory=lambda: [XFRM_USERPOLICY_ACCEPT] * 3)
    ns: object = field(default=None, repr=False, compare=False)    # its struct net

    def policy_timer(self, pol: XfrmPolicy) -> None:
        """xfrm_policy_timer(): a hard limit run out deletes the policy and says so
        (`Expired ... hard 1`); a soft one warns (`hard 0`), again every
        XFRM_KM_TIMEOUT (30 s); the timer runs again when the next limit falls due."""
        if pol not in self.policies:
            return          # deleted or replaced: xfrm_policy_kill() stopped the timer
        ns = self.ns
        now = int(ns.clock.wall)
        lft, nxt, warn = pol.lft, None, False
        used = pol.use_time or pol.add_time
        for key, base in (("hard_add_expires_seconds", pol.add_time),
                          ("hard_use_expires_seconds", used)):
            if lft[key]:
                tmo = lft[key] + base - now
                if tmo <= 0:
                    self.policies.remove(pol)
                    _notify(ns, POLEXPIRE, (pol, 1))
                    return
                nxt = tmo if nxt is None else min(nxt, tmo)
        for key, base in (("soft_add_expires_seconds", pol.add_time),
                          ("soft_use_expires_seconds", used)):
            if lft[key]:
                tmo = lft[key] + base - now
                if tmo <= 0:
                    warn, tmo = True, 30
                nxt = tmo if nxt is None else min(nxt, tmo)
        if warn:
            _notify(ns, POLEXPIRE, (pol, 0))
        if nxt is not None:
            ns.clock.call_later(nxt, self, "policy_timer", pol)


# the XFRM_MSG_* a listener hears (xfrm_send_policy_notify(), xfrm_notify_userpolicy())
NEWPOLICY, DELPOLICY, UPDPOLICY, FLUSHPOLICY, GETDEFAULT = "new", "del", "upd", "flush", \
    "default"
POLEXPIRE = "expire"
_TIMED = ("hard_add_expires_seconds", "hard_use_expires_seconds", "soft_add_expires_seconds",
          "soft_use_expires_seconds")


def _notify(ns, event: str, payload) -> None:
    """km_policy_notify(): the listeners of XFRMNLGRP_POLICY hear (event, payload)
    through the namespace's listener list, under the "xfrm" message kind."""
    if ns.listeners:
        ns._notify("xfrm", (event, payload))


def xfrm_net(ns) -> XfrmNet:
    """The namespace's net->xfrm, made on first use."""
    if ns.xfrm is None:
        ns.xfrm = XfrmNet(ns=ns)
    return ns.xfrm


def _einval(msg: str) -> KernelError:
    return KernelError(Errno.EINVAL, msg)


def verify_newpolicy_info(pol: XfrmPolicy) -> None:
    """xfrm_user.c verify_newpolicy_info()."""
    if pol.share > 3:
        raise _einval("Invalid policy share")
    if pol.action > XFRM_POLICY_BLOCK:
        raise _einval("Invalid policy action")
    limit = {4: 32, 6: 128}.get(pol.sel.family)
    if limit is None:
        raise _einval("Invalid selector family")
    if pol.sel.prefixlen_d > limit or pol.sel.prefixlen_s > limit:
        raise _einval(f"Invalid prefix length in selector (must be <= {limit} for "
                      f"IPv{pol.sel.family})")
    if pol.dir >= XFRM_POLICY_MAX:
        raise _einval("Invalid policy direction")
    if pol.index and pol.index & 7 != pol.dir:
        raise _einval("Policy index doesn't match direction")


def validate_tmpl(pol: XfrmPolicy) -> None:
    """xfrm_user.c validate_tmpl(): each template's family (0: the policy's), its mode
    against the family change and the direction, and its protocol."""
    if len(pol.tmpls) > XFRM_MAX_DEPTH:
        raise _einval("Template count must be <= XFRM_MAX_DEPTH (6)")
    prev_family = pol.sel.family
    for tmpl in pol.tmpls:
        if not tmpl.family:
            tmpl.family = pol.sel.family
        if tmpl.mode in (XFRM_MODE_TUNNEL, XFRM_MODE_BEET):
            if tmpl.optional and pol.dir == XFRM_POLICY_OUT:
                raise _einval("Mode in optional template not allowed in outbound policy")
        elif tmpl.family != prev_family:
            raise _einval("Mode in template doesn't support a family change")
        if tmpl.mode >= XFRM_MODE_MAX:
            raise _einval("Mode in template must be < XFRM_MODE_MAX (7)")
        prev_family = tmpl.family
        if tmpl.family not in (4, 6):
            raise _einval("Invalid family in template")
        # xfrm_id_proto_valid(): IPSEC_PROTO_ANY is not a template's
        if tmpl.proto not in (IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP, IPPROTO_ROUTING,
                              IPPROTO_DSTOPTS):
            raise _einval("Invalid XFRM protocol in template")


def _same(a: XfrmPolicy, b: XfrmPolicy) -> bool:
    """xfrm_policy_insert_list()'s match: type, if_id, selector (selector_cmp(): the
    whole struct) and mark (no security contexts without an LSM)."""
    return (a.ptype == b.ptype and a.if_id == b.if_id and a.sel == b.sel
            and a.mark_v == b.mark_v and a.mark_m == b.mark_m)


def _gen_index(net: XfrmNet, direction: int, index: int) -> int:
    """xfrm_gen_index(): the index asked for if it is free, else the generator's next
    (its low three bits the direction), skipping those in use."""
    used = {p.index for p in net.policies}
    while True:
        if not index:
            idx = net.idx_generator | direction
            net.idx_generator += 8
        else:
            idx, index = index, 0
        if idx == 0:
            idx = 8
        if idx not in used:
            return idx


def _counts(net: XfrmNet) -> list[int]:
    counts = [0] * 6
    for p in net.policies:
        counts[p.dir] += 1
    return counts


def _hash_resize(net: XfrmNet) -> None:
    """xfrm_hash_resize(): a direction's bydst table doubles when it holds more
    policies than its mask, and the index table when all of them do."""
    counts = _counts(net)
    for d in range(XFRM_POLICY_MAX):
        hmask = net.bydst_hmask[d]
        if hmask + 1 < XFRM_POLICY_HASHMAX and counts[d] > hmask:
            net.bydst_hmask[d] = hmask * 2 + 1
    total = sum(counts)
    if net.idx_hmask + 1 < XFRM_POLICY_HASHMAX and total > net.idx_hmask:
        net.idx_hmask = net.idx_hmask * 2 + 1


def policy_insert(ns, pol: XfrmPolicy, excl: bool) -> None:
    """xfrm_add_policy(): verify, then xfrm_policy_insert(): an equal policy is EEXIST
    for add, replaced (keeping its index) for update."""
    verify_newpolicy_info(pol)
    validate_tmpl(pol)
    net = xfrm_net(ns)
    old = next((p for p in net.policies if p.dir == pol.dir and _same(p, pol)), None)
    if old is not None and excl:
        raise KernelError(Errno.EEXIST)
    pol.index = old.index if old is not None else _gen_index(net, pol.dir, pol.index)
    pol.add_time = int(ns.clock.wall)
    if old is not None:
        net.policies.remove(old)
    net.policies.insert(0, pol)
    counts = _counts(net)
    if old is None and counts[pol.dir] > net.bydst_hmask[pol.dir]:
        _hash_resize(net)
    if any(pol.lft[key] for key in _TIMED):
        # xfrm_policy_insert(): mod_timer(jiffies + HZ), the limits looked at then
        ns.clock.call_later(1.0, net, "policy_timer", pol)
    # xfrm_add_policy(): the event is the request's (an update is UPDPOLICY even when
    # it added)
    _notify(ns, NEWPOLICY if excl else UPDPOLICY, pol)


def _mark_match(pol: XfrmPolicy, mark_v: int, mark_m: int) -> bool:
    """xfrm_policy_mark_match() of a lookup: the marks equal under the policy's mask."""
    return (mark_v & mark_m) == (pol.mark_v & pol.mark_m)


def policy_find(ns, direction: int, ptype: int, sel: XfrmSelector | None, index: int,
                mark_v: int = 0, mark_m: int = 0, if_id: int = 0,
                delete: bool = False) -> XfrmPolicy:
    """xfrm_get_policy(): xfrm_policy_byid() with an index, else
    xfrm_policy_bysel_ctx(); ENOENT when none matches."""
    if direction >= XFRM_POLICY_MAX:
        raise _einval("Invalid policy direction")
    net = xfrm_net(ns)
    found = None
    for p in net.policies:
        if p.ptype != ptype or p.if_id != if_id or p.dir != direction or \
                not _mark_match(p, mark_v, mark_m):
            continue
        if (p.index == index) if index else (p.sel == sel):
            found = p
            break
    if found is None:
        raise KernelError(Errno.ENOENT)
    if delete:
        net.policies.remove(found)
        _notify(ns, DELPOLICY, found)
    return found


def policy_flush(ns, ptype: int) -> None:
    """xfrm_policy_flush(): every policy of that type (main unless asked)."""
    net = xfrm_net(ns)
    kept = [p for p in net.policies if p.ptype != ptype]
    if len(kept) == len(net.policies):
        return          # -ESRCH: an empty table, nothing said (xfrm_flush_policy())
    net.policies = kept
    _notify(ns, FLUSHPOLICY, ptype)


def spd_counts(ns) -> list[int]:
    """xfrm_spd_getinfo()'s policy_count[]: in, out, fwd, then the socket ones."""
    return _counts(xfrm_net(ns))


def set_default(ns, values: list[int]) -> None:
    """xfrm_set_default(): each direction given a valid action (block or accept)
    takes it; unspec leaves it."""
    net = xfrm_net(ns)
    for d, value in enumerate(values):
        if value in (XFRM_USERPOLICY_BLOCK, XFRM_USERPOLICY_ACCEPT):
            net.default[d] = value
    _notify(ns, GETDEFAULT, list(net.default))      # xfrm_notify_userpolicy()


# --------------------------------------------------------------- packet checks
def active(ns) -> bool:
    """Whether anything here can touch a packet: a policy, or a default that blocks
    (xfrm_policy_check() and xfrm_lookup() return at once otherwise)."""
    net = ns.xfrm
    return net is not None and (bool(net.policies) or XFRM_USERPOLICY_BLOCK in net.default)


def _prefix_match(a: int, b: int, plen: int, width: int) -> bool:
    """addr4_match()/addr_match(): the first plen bits equal."""
    shift = width - plen
    return plen == 0 or (a >> shift) == (b >> shift)


def _selector_match(sel: XfrmSelector, family: int, saddr: int, daddr: int, proto: int,
                    sport: int, dport: int, ifindex: int) -> bool:
    """__xfrm4_selector_match()/__xfrm6_selector_match() (for ICMP the flow's ports
    are its type and code)."""
    width = 32 if family == 4 else 128
    return (_prefix_match(daddr, sel.daddr, sel.prefixlen_d, width)
            and _prefix_match(saddr, sel.saddr, sel.prefixlen_s, width)
            and not (dport ^ sel.dport) & sel.dport_mask
            and not (sport ^ sel.sport) & sel.sport_mask
            and (proto == sel.proto or not sel.proto)
            and (ifindex == sel.ifindex or not sel.ifindex))


def decide(ns, direction: int, family: int, saddr: int, daddr: int, proto: int,
           sport: int = 0, dport: int = 0, ifindex: int = 0) -> str:
    """What the SPD makes of a flow with no IPsec state behind it (this kernel holds
    none): "pass", "block" (a block policy, or no policy and a blocking default:
    -EPERM on output), or "hold" (an allow policy whose required templates want SAs:
    xfrm_lookup() finds none and, with xfrm_larval_drop, hands out a blackhole that
    drops the packets; on input the packet has no secpath and fails
    xfrm_policy_ok())."""
    net = ns.xfrm
    best = None
    # xfrm_policy_lookup_bytype(): the lowest priority value wins, the first added
    # among equals (net.policies is newest first); mark 0 and if_id 0 flows only
    for pol in reversed(net.policies):
        if pol.dir != direction or pol.ptype != XFRM_POLICY_TYPE_MAIN or \
                pol.sel.family != family or pol.if_id or pol.mark_v & pol.mark_m:
            continue
        if not _selector_match(pol.sel, family, saddr, daddr, proto, sport, dport, ifindex):
            continue
        if best is None or pol.priority < best.priority:
            best = pol
    if best is None:
        return "block" if net.default[direction] == XFRM_USERPOLICY_BLOCK else "pass"
    best.use_time = int(ns.clock.wall)      # xfrm_lookup(), __xfrm_policy_check()
    if best.action == XFRM_POLICY_BLOCK:
        return "block"
    if any(not t.optional for t in best.tmpls):
        return "hold"
    return "pass"
