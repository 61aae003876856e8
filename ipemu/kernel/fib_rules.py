"""Policy routing (net/core/fib_rules.c with fib4_rules / fib6_rules): the rules, how
a request becomes one, and the lookup that walks them into the tables (fib_lookup())."""
from __future__ import annotations

import ipaddress
from ipemu.kernel.enums import int_enum

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import (RTN, TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN, FibTable,
                              Proto, Route, merged_lookup4)
from ipemu.kernel.netdev import NetDevice
from ipemu.kernel.records import RTM
from ipemu.plainclass import dataclass, replace


@int_enum
class FRAct:
    """fib_rule_hdr.action (FR_ACT_*); the error actions share the RTN_* numbers,
    and any other number up to 255 is accepted and ends a lookup with EINVAL."""
    UNSPEC = 0
    TO_TBL = 1
    GOTO = 2
    NOP = 3
    BLACKHOLE = 6
    UNREACHABLE = 7
    PROHIBIT = 8

IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface

LOOPBACK_IFINDEX = 1     # the iif of a locally generated flow (route output)

# fib_lookup()'s shortcut without custom rules (off: every lookup walks the rules;
# the tests compare both)
FAST_LOOKUP = True
_DEFAULT_TABLES = (TABLE_LOCAL, TABLE_MAIN, TABLE_DEFAULT)
_AFTER_MERGED = (TABLE_DEFAULT,)
_LOCAL4, _MAIN4 = (4, TABLE_LOCAL), (4, TABLE_MAIN)      # keys of self.tables
_THROW = RTN.THROW
# the route types that end a lookup with an error (fib_table_lookup()'s fib_props[])
_ERROR_TYPES = {RTN.UNREACHABLE: Errno.EHOSTUNREACH, RTN.PROHIBIT: Errno.EACCES,
                RTN.BLACKHOLE: Errno.EINVAL}

@dataclass
class Rule:
    """One policy routing rule: struct fib_rule with its fib4_rule / fib6_rule part.
    `src` and `dst` keep the address as given: the kernel does not mask it (it prints
    `from 10.0.0.1/8`); None means a prefix length of 0."""
    priority: int
    table: int
    src: IPInterface | None = None
    dst: IPInterface | None = None
    family: int = 4
    action: int = FRAct.TO_TBL
    invert: bool = False                # FIB_RULE_INVERT, `not`
    tos: int = 0
    mark: int = 0
    mark_mask: int = 0
    iifname: str = ""                   # bound by name: a missing device is "detached"
    oifname: str = ""
    protocol: int = Proto.UNSPEC
    suppress_prefixlen: int = -1
    suppress_ifgroup: int = -1
    target: int = 0                     # the priority a `goto` jumps to
    l3mdev: bool = False                # FRA_L3MDEV: the table is the flow's vrf's
    uid_range: tuple[int, int] | None = None    # FRA_UID_RANGE (None: unset)
    ip_proto: int = 0                   # FRA_IP_PROTO
    sport: tuple[int, int] | None = None        # FRA_SPORT_RANGE
    dport: tuple[int, int] | None = None        # FRA_DPORT_RANGE
    flow: int = 0                       # fib4_rule's tclassid (FRA_FLOW): realms FROM << 16 | TO
    tun_id: int = 0                     # FRA_TUN_ID (host order; 0: unset)

@dataclass
class RuleMsg:
    """An RTM_NEWRULE / RTM_DELRULE request: the fib_rule_hdr and the attributes
    given (None: attribute absent). `src`/`dst` may be of the other family; the
    kernel refuses that."""
    family: int
    action: int = FRAct.UNSPEC
    table: int = 0
    invert: bool = False
    tos: int = 0
    src: IPInterface | None = None
    dst: IPInterface | None = None
    priority: int | None = None
    fwmark: int | None = None
    fwmask: int | None = None
    iifname: str | None = None
    oifname: str | None = None
    protocol: int | None = None
    suppress_prefixlen: int | None = None
    suppress_ifgroup: int | None = None
    goto: int | None = None
    uid_range: tuple[int, int] | None = None
    ip_proto: int | None = None
    sport: tuple[int, int] | None = None
    dport: tuple[int, int] | None = None
    l3mdev: bool = False                # FRA_L3MDEV
    flow: int | None = None             # FRA_FLOW (realms)
    tun_id: int | None = None           # FRA_TUN_ID (host order)

def default_rules(family: int) -> list[Rule]:
    """fib_default_rules_init() / fib6_rules_net_init(): local, main (and default)."""
    prefs = [(0, TABLE_LOCAL), (32766, TABLE_MAIN)] + ([(32767, TABLE_DEFAULT)] if family == 4 else [])
    return [Rule(pref, table, family=family, protocol=Proto.KERNEL) for pref, table in prefs]

@dataclass
class _Flow:
    """The parts of a flowi that rules look at."""
    dst: object
    src: object
    oif: int
    iif: int
    mark: int
    uid: int = 0
    tos: int = 0            # flowi4_tos (IPTOS_RT_MASK of what was asked)
    ip_proto: int = 0       # flowi_proto and the ports: `ip route get ipproto P sport/dport`
    sport: int = 0
    dport: int = 0

def _rule_selects(rule: Rule, flow: _Flow, iifindex: int, oifindex: int) -> bool:
    if iifindex and iifindex != flow.iif:
        return False
    if oifindex and oifindex != flow.oif:
        return False
    if (rule.mark ^ flow.mark) & rule.mark_mask:
        return False
    if rule.src is not None:
        src = flow.src
        if src is None:
            if rule.family == 6:
                return False        # no RT6_LOOKUP_F_HAS_SADDR: a source rule cannot match
            src = ipaddress.IPv4Address(0)
        if src not in rule.src.network:
            return False
    if rule.dst is not None and flow.dst not in rule.dst.network:
        return False
    if rule.tun_id:
        return False        # fib_rule_match(): no flow here carries a tunnel key
    # fib_rule_match(): flows here are root's (uid 0, or `ip route get ... uid N`); the
    # protocol and ports are those `ip route get` asked for (none otherwise)
    if rule.uid_range is not None and not rule.uid_range[0] <= flow.uid <= rule.uid_range[1]:
        return False
    if rule.ip_proto and rule.ip_proto != flow.ip_proto:
        return False
    if rule.sport is not None and not rule.sport[0] <= flow.sport <= rule.sport[1]:
        return False
    if rule.dport is not None and not rule.dport[0] <= flow.dport <= rule.dport[1]:
        return False
    # fib4_rule_match(): r->tos against flowi4_tos (IPv6: the flow label's traffic class)
    return not rule.tos or rule.tos == flow.tos

def rule_msg(rule: Rule) -> RuleMsg:
    """What a dump reports of a rule, as a request (`ip rule flush` sends it back)."""
    return RuleMsg(family=rule.family, action=rule.action, table=rule.table,
                   invert=rule.invert, tos=rule.tos, src=rule.src, dst=rule.dst,
                   priority=rule.priority,
                   fwmark=rule.mark if rule.mark or rule.mark_mask else None,
                   # (fib_nl_fill_rule(): FRA_FWMASK for any mask but 0xffffffff, so a
                   # `fwmark 0x10/0` rule comes back with its mask 0, which rule_find()
                   # then ignores: the flush deletes it)
                   fwmask=rule.mark_mask if rule.mark_mask != 0xFFFFFFFF else None,
                   iifname=rule.iifname or None,
                   oifname=rule.oifname or None, protocol=rule.protocol,
                   suppress_prefixlen=rule.suppress_prefixlen,
                   suppress_ifgroup=rule.suppress_ifgroup if rule.suppress_ifgroup != -1 else None,
                   goto=rule.target if rule.action == FRAct.GOTO else None,
                   uid_range=rule.uid_range, ip_proto=rule.ip_proto or None,
                   sport=rule.sport, dport=rule.dport, flow=rule.flow or None,
                   tun_id=rule.tun_id or None)

def _addr_compare(r: Rule, msg: RuleMsg) -> bool:
    """fib4_rule_compare / fib6_rule_compare: the header's prefix lengths and tos
    count only when non-zero; addresses compare unmasked."""
    for mine, given in ((r.src, msg.src), (r.dst, msg.dst)):
        plen = given.network.prefixlen if given is not None else 0
        if plen and (mine is None or mine.network.prefixlen != plen or mine.ip != given.ip):
            return False
    # fib4_rule_compare(): FRA_FLOW given must be the rule's tclassid
    if msg.flow is not None and r.family == 4 and r.flow != msg.flow:
        return False
    return not msg.tos or r.tos == msg.tos

def _rule_same(r: Rule, rule: Rule, msg: RuleMsg) -> bool:
    """rule_exists(): the generic fields all equal (not the `not` flag), the
    family's own fields as _addr_compare has them."""
    return (r.action, r.table, r.priority, r.iifname, r.oifname, r.mark, r.mark_mask,
            r.suppress_ifgroup, r.suppress_prefixlen, r.protocol, r.uid_range, r.ip_proto,
            r.sport, r.dport, r.l3mdev, r.tun_id) == \
        (rule.action, rule.table, rule.priority, rule.iifname, rule.oifname, rule.mark,
         rule.mark_mask, rule.suppress_ifgroup, rule.suppress_prefixlen, rule.protocol,
         rule.uid_range, rule.ip_proto, rule.sport, rule.dport, rule.l3mdev, rule.tun_id) \
        and _addr_compare(r, msg)

def _rule_found(r: Rule, sel: Rule, msg: RuleMsg) -> bool:
    """rule_find(): only what the request set is compared."""
    checks = [
        (sel.action, r.action == sel.action),
        (sel.table, r.table == sel.table),
        (msg.priority is not None, r.priority == sel.priority),
        (sel.iifname, r.iifname == sel.iifname),
        (sel.oifname, r.oifname == sel.oifname),
        (sel.mark, r.mark == sel.mark),
        (sel.suppress_ifgroup != -1, r.suppress_ifgroup == sel.suppress_ifgroup),
        (sel.suppress_prefixlen != -1, r.suppress_prefixlen == sel.suppress_prefixlen),
        (sel.mark_mask, r.mark_mask == sel.mark_mask),
        (sel.protocol, r.protocol == sel.protocol),
        (sel.uid_range is not None, r.uid_range == sel.uid_range),
        (sel.ip_proto, r.ip_proto == sel.ip_proto),
        (sel.sport is not None, r.sport == sel.sport),
        (sel.dport is not None, r.dport == sel.dport),
        (sel.l3mdev, r.l3mdev == sel.l3mdev),
        (sel.tun_id, r.tun_id == sel.tun_id),
    ]
    return all(ok for given, ok in checks if given) and _addr_compare(r, msg)


class FibRules:
    """A part of NetNamespace (ipemu/kernel/netns.py): methods only, its state is
    the namespace's fields."""

    def lookup(self, dst, src=None, oif: NetDevice | None = None, *,
               iif: NetDevice | None = None, mark: int = 0, uid: int = 0,
               tos: int = 0, ip_proto: int = 0, sport: int = 0,
               dport: int = 0) -> tuple[Route, int]:
        """fib_lookup() through the rules (fib_rules_lookup); returns the route and the
        table it came from. Raises KernelError with the errno the rule action or the
        route type implies. A flow without `iif` is locally generated (iif lo)."""
        family = dst.version
        addr = int(dst)
        oif_index = oif.ifindex if oif is not None else 0
        # l3mdev_update_flow(): a flow out of a vrf or its port skips the nexthop's
        # device check (FLOWI_FLAG_SKIP_NH_OIF)
        skip_nh_oif = oif is not None and (oif.vrf_table is not None or oif.l3mdev_slave)
        if family == 4 and not self.fib_has_custom_rules and FAST_LOOKUP:
            return self._lookup_merged(addr, oif_index, skip_nh_oif, tos)
        flow = _Flow(dst, src, oif_index,
                     iif.ifindex if iif is not None else LOOPBACK_IFINDEX, mark, uid,
                     tos, ip_proto, sport, dport)
        rules = self.rules[family]
        devices = self.devices
        skip_main = False
        i = 0
        while i < len(rules):
            rule = rules[i]
            i += 1
            if not self._rule_match(rule, flow):
                continue
            if rule.action == FRAct.GOTO:
                target = self._goto_target(rule)
                if target is not None:
                    i = target      # the target rule is matched next (`goto jumped`)
                continue
            if rule.action == FRAct.NOP:
                continue
            if rule.action != FRAct.TO_TBL:
                # fib4_rule_action / fib6_rule_action
                raise KernelError({FRAct.UNREACHABLE: Errno.ENETUNREACH,
                                   FRAct.PROHIBIT: Errno.EACCES}.get(rule.action, Errno.EINVAL))
            table_id = rule.table
            if rule.l3mdev:
                # l3mdev_fib_rule_match(): only a flow through a vrf has a table here
                table_id = self._l3mdev_table(flow)
                if not table_id:
                    continue
            if skip_main and table_id == TABLE_MAIN:
                continue
            table = self.table(family, table_id)
            if table is None:
                continue
            best = table.fib_table_lookup(addr, oif_index, skip_nh_oif, devices,
                                          self.clock.now if family == 6 else None,
                                          self._ignores_linkdown4 if family == 4
                                          else self._ignores_linkdown6,
                                          tos if family == 4 else 0)
            if family == 4 and table_id == TABLE_LOCAL and not self.fib_has_custom_rules:
                best = self._merged_main(best, addr, oif_index, skip_nh_oif, tos)
            if best is None:
                continue
            if best.type == RTN.THROW:
                if family == 4 and table_id == TABLE_LOCAL and \
                        not self.fib_has_custom_rules:
                    # (one trie: its throw ended main's lookup too; fib_lookup() asks
                    # the default table next, as _lookup_merged())
                    skip_main = True
                continue
            if best.type == RTN.UNREACHABLE:
                raise KernelError(Errno.EHOSTUNREACH)
            if best.type == RTN.PROHIBIT:
                raise KernelError(Errno.EACCES)
            if best.type == RTN.BLACKHOLE:
                raise KernelError(Errno.EINVAL)
            if self._rule_suppress(rule, best):
                continue
            if table_id == TABLE_LOCAL and family == 4 and not self.custom_rules(4):
                # without custom rules the kernel keeps local and main in one trie
                # (fib_unmerge has not run): lookups report table main
                table_id = TABLE_MAIN
            return best, table_id
        raise KernelError(Errno.ENETUNREACH)

    def lookup_output4(self, addr: int, mark: int = 0, uid: int = 0) -> tuple[Route, int]:
        """lookup() of a locally generated IPv4 flow to `addr` (an int) with no source,
        device or flow keys but its mark and uid: the merged tables at once when no
        custom rule could read the flow (no address object made), else the walk."""
        if not self.fib_has_custom_rules and FAST_LOOKUP:
            return self._lookup_merged(addr, 0, False)
        return self.lookup(ipaddress.IPv4Address(addr), mark=mark, uid=uid)

    def _lookup_merged(self, addr: int, oif: int, skip_nh_oif: bool,
                       tos: int = 0) -> tuple[Route, int]:
        """fib_lookup() of include/net/ip_fib.h without custom rules: no rule walk,
        the tables of the default rules (local, main, default; no selectors, no
        suppression) in their order; the local table answers as main (one trie until
        fib_unmerge()). As the walk, it also tries the default table; the same answers
        as the walk (tests/test_route_get_fast.py)."""
        tables, devices = self.tables, self.devices
        local = tables.get(_LOCAL4)
        main = tables.get(_MAIN4)
        if local is not None and main is not None:
            # the usual case: one match over local and main, local's route first of
            # a prefix both hold (as _merged_main())
            best = merged_lookup4(local, main, addr, oif, skip_nh_oif, devices,
                                  self._ignores_linkdown4, tos)
            if best is not None:
                rtype = best.type
                if rtype != _THROW:
                    if rtype in _ERROR_TYPES:
                        raise KernelError(_ERROR_TYPES[rtype])
                    return best, TABLE_MAIN
            # fib_lookup() without custom rules: the one trie's -EAGAIN (a throw
            # route, local's or main's, or no route) sends it to the default table
            # only; a throw in local hides main's route of the same prefix
            # (recorded, fuzz47 seed 590080)
            table_ids = _AFTER_MERGED
        else:
            table_ids = _DEFAULT_TABLES     # (one of local and main is missing:
        for table_id in table_ids:          # nothing to merge)
            table = tables.get((4, table_id))
            if table is None:
                continue
            best = table.fib_table_lookup(addr, oif, skip_nh_oif, devices, None,
                                          self._ignores_linkdown4, tos)
            if best is None:
                continue
            rtype = best.type
            if rtype == _THROW:
                continue
            if rtype in _ERROR_TYPES:
                raise KernelError(_ERROR_TYPES[rtype])
            return best, TABLE_MAIN if table_id == TABLE_LOCAL else table_id
        raise KernelError(Errno.ENETUNREACH)

    def _merged_main(self, local: Route | None, addr: int, oif: int, skip_nh_oif: bool,
                     tos: int) -> Route | None:
        """Before fib_unmerge() (no custom IPv4 rule yet) the local table is main's
        trie (fib_new_table() aliases it): one longest-prefix match over both, the
        local route first of a prefix both hold (fib_find_alias(): a leaf's aliases
        by tb_id, larger first). So a /32 in main beats local's 127.0.0.0/8
        (recorded: `ip route add 127.0.0.5 via 10.0.0.2` and `ip route get 127.0.0.5`
        answer through v0 until a rule is added; fuzz43_merged_trie_lpm). `local`: the
        local table's own answer."""
        table = self.tables.get((4, TABLE_MAIN))
        if table is None:
            return local
        main = table.fib_table_lookup(addr, oif, skip_nh_oif, self.devices, None,
                                      self._ignores_linkdown4, tos)
        if main is not None and (local is None or main.dst.prefixlen > local.dst.prefixlen):
            return main
        return local

    def _ignores_linkdown4(self, dev: NetDevice) -> bool:
        """ip_ignore_linkdown(): IN_DEV_ORCONF(IGNORE_ROUTES_WITH_LINKDOWN), the
        device's value or all's."""
        return self.conf(4, "all", "ignore_routes_with_linkdown") not in ("", "0", None) \
            or self.conf(4, dev, "ignore_routes_with_linkdown") not in ("", "0", None)

    def _ignores_linkdown6(self, dev: NetDevice) -> bool:
        """ip6_ignore_linkdown(): the device's own value (a write to all is copied to
        every device: addrconf_fixup_linkdown())."""
        return self.conf(6, dev, "ignore_routes_with_linkdown") not in ("", "0", None)

    def custom_rules(self, family: int) -> bool:
        return family == 4 and self.fib_has_custom_rules

    def _rule_match(self, rule: Rule, flow: "_Flow") -> bool:
        """fib_rule_match() with fib4_rule_match / fib6_rule_match; `not` inverts all.
        An l3mdev rule matches only a flow through a vrf (l3mdev_fib_rule_match():
        `l3mdev unreachable` passes the others by; fuzz41 seed 490254)."""
        selects = _rule_selects(rule, flow, self._ifindex_of(rule.iifname),
                                self._ifindex_of(rule.oifname))
        if selects and rule.l3mdev and not self._l3mdev_table(flow):
            selects = False
        return selects != rule.invert

    def _l3mdev_table(self, flow: "_Flow") -> int:
        """l3mdev_fib_rule_match(): the table of the vrf the flow goes out of or came
        in by (an enslaved oif stands for its vrf: l3mdev_update_flow()); 0: none."""
        from ipemu.kernel.vrf import l3mdev_fib_table
        for ifindex in (flow.oif, flow.iif):
            table = l3mdev_fib_table(self.by_index(ifindex)) if ifindex else 0
            if table:
                return table
        return 0

    def _ifindex_of(self, name: str) -> int:
        """A rule's iifindex/oifindex: 0 without a name, -1 (never matches) when no
        device has that name (the rule is detached)."""
        if not name:
            return 0
        dev = self.by_name(name)
        return dev.ifindex if dev is not None else -1

    def _goto_target(self, rule: Rule) -> int | None:
        """rule->ctarget: the first rule with the target priority (None: unresolved)."""
        for n, r in enumerate(self.rules[rule.family]):
            if r.priority == rule.target:
                return n
        return None

    def _rule_suppress(self, rule: Rule, route: Route) -> bool:
        """fib4_rule_suppress / fib6_rule_suppress: refuse a result whose prefix is
        not longer than suppress_prefixlength, or whose device is in suppress_ifgroup."""
        if route.dst.prefixlen <= rule.suppress_prefixlen:
            return True
        if rule.suppress_ifgroup == -1:
            return False
        dev = self.by_index(route.oif)
        return rule.suppress_ifgroup != -1 and dev is not None and \
            dev.group == rule.suppress_ifgroup

    def rule_status(self, rule: Rule) -> dict[str, bool]:
        """The state flags fib_nl_fill_rule() reports with a rule."""
        return {"iif_detached": self._ifindex_of(rule.iifname) == -1,
                "oif_detached": self._ifindex_of(rule.oifname) == -1,
                "unresolved": rule.action == FRAct.GOTO and self._goto_target(rule) is None}

    def default_rule_pref(self, family: int) -> int:
        """fib_default_rule_pref(): one below the second rule's priority (the first is
        normally the local rule at 0), or 0 when that is 0 or there is no second rule."""
        rules = self.rules[family]
        if len(rules) >= 2 and rules[1].priority:
            return rules[1].priority - 1
        return 0

    def _nl2rule(self, msg: RuleMsg) -> Rule:
        """fib_nl2rule(): a request's header and attributes as a rule."""
        bits = 32 if msg.family == 4 else 128
        if msg.family in MR_FAMILIES:
            mr_rules(self, msg.family)      # (default_rule_pref() reads them)
        for pfx, what in ((msg.src, "source"), (msg.dst, "dst")):
            if pfx is not None and pfx.network.prefixlen and (
                    pfx.version != msg.family or pfx.network.prefixlen > bits):
                raise KernelError(Errno.EINVAL, f"Invalid {what} address")
        rule = Rule(priority=msg.priority if msg.priority is not None
                    else self.default_rule_pref(msg.family),
                    table=msg.table, family=msg.family, action=msg.action,
                    invert=msg.invert, tos=msg.tos,
                    src=msg.src if msg.src is not None and msg.src.network.prefixlen else None,
                    dst=msg.dst if msg.dst is not None and msg.dst.network.prefixlen else None,
                    iifname=msg.iifname or "", oifname=msg.oifname or "",
                    protocol=msg.protocol or Proto.UNSPEC)
        if msg.l3mdev:
            # fib_nl2rule_l3mdev(); a table of its own makes no sense with it
            if msg.table:
                raise KernelError(Errno.EINVAL, "l3mdev and table are mutually exclusive")
            rule.l3mdev = True
        if msg.fwmark is not None:
            rule.mark = msg.fwmark
            # compatibility: a non-zero mark compares all bits unless a mask is given
            rule.mark_mask = 0xFFFFFFFF if msg.fwmark else 0
        if msg.fwmask is not None:
            rule.mark_mask = msg.fwmask
        if msg.suppress_prefixlen is not None:
            rule.suppress_prefixlen = msg.suppress_prefixlen
        if msg.suppress_ifgroup is not None:
            rule.suppress_ifgroup = msg.suppress_ifgroup
        if msg.uid_range is not None:
            start, end = msg.uid_range
            # uid_range_set(): neither end is the invalid uid (-1); and start <= end
            if start == 0xFFFFFFFF or end == 0xFFFFFFFF or start > end:
                raise KernelError(Errno.EINVAL, "Invalid uid range")
            rule.uid_range = msg.uid_range
        rule.ip_proto = msg.ip_proto or 0
        rule.tun_id = msg.tun_id or 0
        if msg.flow is not None and msg.family == 4:
            rule.flow = msg.flow        # fib4_rule_configure(); IPv6 rules have no realms
        for name in ("sport", "dport"):
            rng = getattr(msg, name)
            if rng is not None:
                # fib_rule_port_range_valid()
                if not (rng[0] and rng[1] and rng[1] < 0xFFFF and rng[0] <= rng[1]):
                    raise KernelError(Errno.EINVAL, f"Invalid {name} range")
                setattr(rule, name, rng)
        if msg.goto is not None:
            if rule.action != FRAct.GOTO:
                raise KernelError(Errno.EINVAL, "Unexpected goto")
            rule.target = msg.goto
            if rule.target <= rule.priority:
                raise KernelError(Errno.EINVAL, "Backward goto not supported")
        elif rule.action == FRAct.GOTO:
            raise KernelError(Errno.EINVAL, "Missing goto target for action goto")
        return rule

    def add_rule(self, msg: RuleMsg, excl: bool = True) -> Rule:
        """fib_nl_newrule(): the new rule goes after every rule whose priority is not
        higher; with NLM_F_EXCL (`ip rule add`) an equal rule is EEXIST, without it
        (`ip rule restore`) a second copy."""
        _rules_ops(msg.family)
        rule = self._nl2rule(msg)
        if rule.family in MR_FAMILIES:
            # ipmr_rule_configure()/ip6mr_rule_configure() take nothing of the header
            # (the dump's tos is 0) and make no table
            rule.tos = 0
            rules = mr_rules(self, rule.family)
            if excl and any(_rule_same(r, rule, msg) for r in rules):
                raise KernelError(Errno.EEXIST)
            at = 0
            while at < len(rules) and rules[at].priority <= rule.priority:
                at += 1
            rules.insert(at, rule)
            return rule
        if rule.tos & 0x03:
            raise KernelError(Errno.EINVAL, "Invalid dsfield (tos): ECN bits must be 0")
        if rule.family == 4 and rule.tos & ~0x1E:
            # IPv4 does not handle the high order DSCP bits
            raise KernelError(Errno.EINVAL, "Invalid tos")
        rules = self.rules[rule.family]
        if excl and any(_rule_same(r, rule, msg) for r in rules):
            raise KernelError(Errno.EEXIST)
        if rule.action == FRAct.TO_TBL and not rule.l3mdev:
            # fib4_rule_configure()/fib6_rule_configure(): an l3mdev rule takes the
            # table of the flow's vrf at lookup time, none of its own
            if rule.family == 6:
                if rule.table == 0:
                    raise KernelError(Errno.EINVAL, "Invalid table")
                self.table(6, rule.table, create=True)
            elif rule.table == 0:
                # fib_empty_table(): the lowest table id not in use
                rule.table = next(t for t in range(1, 2 ** 32) if self.table(4, t) is None)
                self.table(4, rule.table, create=True)
        if rule.family == 4:
            self.fib_unmerge()              # fib4_rule_configure()
            self.fib_has_custom_rules = True
        at = 0
        while at < len(rules) and rules[at].priority <= rule.priority:
            at += 1
        rules.insert(at, rule)
        # the rules decide where gateways resolve (fib_check_nh_v4_gw()'s fib_lookup):
        # the nexthops resolved before (FibTable.nh_cache) are stale
        FibTable.genid += 1
        if self.listeners:
            self._notify(RTM.NEWRULE, replace(rule))
        return rule

    def delete_rule(self, msg: RuleMsg) -> Rule:
        """fib_nl_delrule(): the first rule that the request's given attributes match."""
        _rules_ops(msg.family)
        if msg.family in MR_FAMILIES:
            mr_rules(self, msg.family)
        sel = self._nl2rule(msg)
        for r in self.rules[sel.family]:
            if _rule_found(r, sel, msg):
                self.rules[sel.family].remove(r)
                FibTable.genid += 1     # (as add_rule(): resolved nexthops are stale)
                if sel.family == 4:
                    self.fib_unmerge()      # fib4_rule_delete()
                    self.fib_has_custom_rules = True
                if self.listeners:
                    self._notify(RTM.DELRULE, replace(r))
                return r
        raise KernelError(Errno.ENOENT)


# RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR: the multicast routing rules (`ip mrule`)
MR_FAMILIES = (128, 129)


def mr_rules(ns, family: int) -> list:
    """ipmr_rules_init() / ip6mr_rules_init(): the one default rule, 32767 to IPv4's
    default table or IPv6's main (fib_default_rule_add(): proto kernel), made when the
    family's rules are first asked for."""
    from ipemu.kernel.fib import TABLE_DEFAULT
    if family not in ns.rules:
        ns.rules[family] = [Rule(32767, TABLE_DEFAULT if family == 128 else TABLE_MAIN,
                                 family=family, protocol=Proto.KERNEL)]
    return ns.rules[family]


def _rules_ops(family: int) -> None:
    """fib_nl_newrule()/fib_nl_delrule(): lookup_rules_ops() knows IPv4 and IPv6 and
    their multicast routing families (no DECnet here); another family (`ip -0 rule
    add`) is refused first."""
    if family not in (4, 6) + MR_FAMILIES:
        raise KernelError(Errno.EAFNOSUPPORT, "Rule family not supported")
