"""Routing tables (the FIB): routes, their order, insert/replace/delete and lookup.

IPv4 tables dump in the order of the kernel's LC-trie (by prefix address, the longer
prefix first on the same key); IPv6 tables in the order of the fib6 tree walk (a
more specific prefix before the one that contains it). Within one prefix, routes are
ordered by tos and metric, newer after older.
"""
from __future__ import annotations

import bisect
import ipaddress
import operator
from ipemu.kernel.enums import int_enum

from ipemu.kernel.errors import Errno, KernelError
from ipemu.plainclass import dataclass, field, replace


@int_enum
class RTN:
    UNSPEC = 0
    UNICAST = 1
    LOCAL = 2
    BROADCAST = 3
    ANYCAST = 4
    MULTICAST = 5
    BLACKHOLE = 6
    UNREACHABLE = 7
    PROHIBIT = 8
    THROW = 9
    NAT = 10
    XRESOLVE = 11     # RTN_MAX: accepted by rtm_to_fib_config(), refused as "Invalid scope"


@int_enum
class Scope:
    UNIVERSE = 0
    SITE = 200
    LINK = 253
    HOST = 254
    NOWHERE = 255


@int_enum
class Proto:
    UNSPEC = 0
    REDIRECT = 1
    KERNEL = 2
    BOOT = 3
    STATIC = 4
    RA = 9


_UNICAST = RTN.UNICAST     # an enum member read once (each class lookup costs ~0.3 us)
_LOCAL = RTN.LOCAL

TABLE_UNSPEC = 0
TABLE_DEFAULT = 253
TABLE_MAIN = 254
TABLE_LOCAL = 255

# the routes whose nexthop needs no device (they end the lookup themselves)
DEVLESS_TYPES = (RTN.BLACKHOLE, RTN.UNREACHABLE, RTN.PROHIBIT, RTN.THROW)

# INADDR_BROADCAST, parsed once (hot paths compare with it)
V4_LIMITED_BROADCAST = ipaddress.IPv4Address("255.255.255.255")

# IPv4Network's netmasks by prefix length: the objects of ipaddress's own cache
_V4_NETMASKS = [ipaddress.IPv4Network._make_netmask(n)[0] for n in range(33)]
_new = object.__new__


def ipv4_network(addr: int, plen: int) -> ipaddress.IPv4Network:
    """ipaddress.IPv4Network((addr, plen)) for an address without host bits (the
    caller has checked them), made as its __init__ makes it without re-reading the
    argument: the same attributes but the instance's own hosts() that __init__ gives
    a /31 and a /32 (a bound method, a closure: three objects more for the collector
    to walk, a host route each, at 100,000 routes a fifth of a batch; the kernel
    never lists a route's hosts). A route add makes one per route (a third of the
    kernel's share of it through __init__)."""
    net = _new(ipaddress.IPv4Network)
    address = _new(ipaddress.IPv4Address)
    address._ip = addr
    net.network_address = address
    net.netmask = _V4_NETMASKS[plen]
    net._prefixlen = plen
    return net


def ipv4_address(addr: int) -> ipaddress.IPv4Address:
    """ipaddress.IPv4Address(addr) for an int known to be in range, made as its
    __init__ makes it without checking the argument again."""
    address = _new(ipaddress.IPv4Address)
    address._ip = addr
    return address


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Nexthop:
    """One nexthop of a multipath route (struct fib_nh / an IPv6 sibling): `weight`
    as `ip route` shows it (rtnh_hops + 1)."""

    gateway: "IPAddress | None"
    oif: int | None
    weight: int = 1
    onlink: bool = False
    flow: int = 0                     # nh_tclassid: realms, FROM << 16 | TO
    encap: object = None              # the nexthop's lwtstate (kernel/lwtunnel.py)
    # an IPv6 sibling that joined a route keeps its own fib6_metrics (shown once it
    # stands alone again); None: the route's
    metrics: tuple | None = None
    # where an IPv6 sibling that joined a route sits in its node's leaf list (the seq
    # it would have had alone: after every route of its metric); None: the route's
    leaf: float | None = None


@dataclass(slots=True)
class Route:
    """One FIB entry (a fib_alias with its fib_info; a multipath route lists its
    nexthops, the first also in gateway/oif, which lookups use). Slotted: a table
    may hold 100,000 of them."""

    dst: IPNetwork
    table: int = TABLE_MAIN
    type: RTN = RTN.UNICAST
    protocol: int = Proto.BOOT
    scope: int = Scope.UNIVERSE
    priority: int = 0
    tos: int = 0
    prefsrc: IPAddress | None = None
    gateway: IPAddress | None = None
    oif: int | None = None            # ifindex of the nexthop device
    onlink: bool = False
    pref: str = "medium"              # IPv6 router preference
    mtu: int | None = None
    expires: float | None = None
    nexthops: tuple[Nexthop, ...] = ()
    nhid: int | None = None           # RTA_NH_ID: the nexthop object it goes through
    # fib_info's fib_metrics: (name, value, locked) in RTAX order (ip_metrics_convert())
    metrics: tuple[tuple[str, int | str, bool], ...] = ()
    flow: int = 0                     # the nexthop's nh_tclassid (RTA_FLOW), IPv4
    encap: object = None              # the nexthop's lwtstate (kernel/lwtunnel.LwtEncap)
    # an IPv4 multipath route's own RTNH_F_ONLINK: fi->fib_flags are the request's
    # rtm_flags (rtm_to_fib_config()), which fib_get_nhs() does not give its
    # nexthops, and fib_dump_info() sends them as the route's rtm_flags beside each
    # nexthop's own (`ip route add P onlink nexthop via G dev D nexthop ...`:
    # `P onlink`, the nexthops without; recorded)
    mp_onlink: bool = False
    # its place in its table's order of addition (set by FibTable.add)
    seq: int = field(default=0, compare=False, repr=False)

    @property
    def family(self) -> int:
        found = _FAMILY_OF.get(type(self.dst))       # a dict lookup, not two properties
        return found if found is not None else self.dst.version


_FAMILY_OF = {ipaddress.IPv4Network: 4, ipaddress.IPv6Network: 6}


def nh_gw4(gateway: "IPAddress | None", dst: IPAddress) -> IPAddress:
    """What inet_select_addr() is asked about for an IPv4 nexthop: its gateway, else
    the destination. fib_info_update_nhc_saddr() reads fib_nh_gw4, the first four
    bytes of nhc_gw's union, also when an RTA_VIA gateway is IPv6 (v4-via-v6)."""
    if gateway is None:
        return dst
    if gateway.version != dst.version:
        return ipaddress.IPv4Address(gateway.packed[:4])
    return gateway


def prefix_key(net: IPNetwork) -> tuple[int, int]:
    """A prefix as the indexes hold it: (network address as an int, length). (Read
    from ipaddress's own slots: int() and .prefixlen are Python calls.)"""
    return (net.network_address._ip, net._prefixlen)


def dump_key(route: Route) -> tuple:
    """Where a route sits in the kernel's dump of its table."""
    net = route.dst
    if net.version == 4:
        return (int(net.network_address), -net.prefixlen)
    return (int(net.broadcast_address), -net.prefixlen)


# netmasks as ints, by prefix length (the hot paths compare ints, not ipaddress objects)
_MASKS = {4: [(1 << 32) - (1 << (32 - n)) for n in range(33)],
          6: [(1 << 128) - (1 << (128 - n)) for n in range(129)]}
_BITS = {4: 32, 6: 128}
NETMASKS = _MASKS


# (the sort key of the prefix lengths' hashes: the length alone, never the hash)
_first = operator.itemgetter(0)


def _within_prefix(route: Route) -> tuple:
    """The order inside one prefix: by tos (higher first) and metric, older first."""
    return (-route.tos, route.priority, route.seq)


@dataclass
class FibTable:
    """One routing table of one address family.

    `entries` holds the routes by a sequence number in the order they were added (a
    replaced route keeps its place), and is what a saved host keeps. The indexes
    beside it are rebuilt from it: routes per prefix (a hash per prefix length, the
    longest-prefix match tries the lengths present, longest first, as the LC-trie
    answers it) and the prefixes in dump order (kept sorted as prefixes come and go).
    """

    id: int
    family: int
    entries: dict[int, Route] = field(default_factory=dict)
    next_seq: int = 0
    # the IPv4 trie's history (ipemu/kernel/fib_trie.py replays it when
    # /proc/net/fib_trie is read): a Route added, ("del", route), ("rep", old, new),
    # ("flush", routes) and the split of local from main. The kernel's trie keeps
    # the shape its history gave it; local shares main's log until the first rule.
    trie_log: list = field(default_factory=list, compare=False, repr=False)
    # IPv6: the routes fib6_del_route() took out of the tree (/proc/net/rt6_stats)
    discarded: int = 0
    # IPv4: fib_alias.fa_default of the default routes fib_select_default() chose
    # among (kernel/fib_default.py), by the first route's seq
    fa_default: dict = field(default_factory=dict, compare=False, repr=False)

    # how many changes this table has seen (IPv6: each one is a fib6_new_sernum(), which
    # moves net->ipv6.fib6_sernum and so stales the nexthop objects' pcpu routes:
    # fib6_sernum() below)
    sernum: int = field(default=0, compare=False, repr=False)

    __transient__ = ("_nets", "_lpm", "_merged", "_merged_gen", "_order", "_idents", "nh_cache",
                     "_trie_cache", "_prefix_oifs")

    # rt_genid: moved on by every change of any table (rt_cache_flush()), so that a
    # cache in front of the lookups (the stack's dst cache) knows when it is stale
    genid = 0
    # how many of those changes added a route with a gateway: such a route is never
    # what a gateway resolves through, so genid - gw_adds stands while every route a
    # gateway could resolve through stands (nh_stamp())
    gw_adds = 0
    # moved on whenever a table's prefix lengths change (_sort_lengths()): what
    # merged_lookup4() keeps of two tables' lengths knows when it is stale
    lengths_gen = 0

    def __post_init__(self) -> None:
        self._reindex()

    def __restore__(self) -> None:
        if self.__dict__.get("trie_log") is None:
            self.trie_log = list(self.entries.values())
        if self.__dict__.get("fa_default") is None:
            self.fa_default = {}
        if self.__dict__.get("sernum") is None:
            self.sernum = 0
        self._reindex()

    def _reindex(self) -> None:
        # routes per prefix: a hash per prefix length (length -> network as an int ->
        # the prefix's routes in dump order), and the lengths present, longest first,
        # each as (netmask, its hash): the longest-prefix match tries them in turn
        # with an int key, as the LC-trie answers it
        self._nets: dict[int, dict[int, list[Route]]] = {}
        self._lpm: list[tuple[int, dict[int, list[Route]]]] = []
        # local's lengths beside main's, as merged_lookup4() walks them, and the
        # lengths_gen they were made at (a new table moves it on: main's identity
        # need not be kept)
        self._merged: list[tuple] = []
        self._merged_gen = -1
        self._order: list[int] = []         # each prefix's _dump_key(), sorted
        # _ident() -> its one route, or a list of them (most identities have one:
        # a list each would be 100,000 more objects at 100,000 routes)
        self._idents: dict[tuple, Route | list[Route]] = {}
        # fib_info sharing (fib_find_info()'s hash of nexthops), for the routes whose
        # table this is: a gateway's resolution, (gateway, oif, scope) -> (nh_stamp()
        # when found, the route it resolved through); FibFrontend._new_route4_via()
        self.nh_cache: dict[tuple, tuple] = {}
        # (prefix_key(), oif) -> how many routes of that prefix go through that device
        # (has_oif_route(): fib6's lookup bound to a device, without a walk of a
        # prefix's routes, which hold one route per device for ff00::/8)
        self._prefix_oifs: dict[tuple, int] = {}
        for route in self.entries.values():
            self._index(route)
        self._sort_lengths()

    # ------------------------------------------------------------------ index
    def _dump_key(self, net_int: int, plen: int) -> int:
        """A prefix's place in the dump as one int (compared in C, a third of a
        tuple's memory): the trie's address (IPv4: the network, IPv6: its last
        address), then the longer prefix first; sorted_routes() reads it back."""
        bits = _BITS[self.family]
        top = net_int if bits == 32 else net_int | ((1 << (bits - plen)) - 1)
        return top << 8 | (bits - plen)

    def _index(self, route: Route, key: tuple[int, int] | None = None) -> None:
        if key is None:
            key = prefix_key(route.dst)
        ident = _ident(route, key)
        known = self._idents.get(ident)
        if known is None:
            self._idents[ident] = route
        elif type(known) is list:
            known.append(route)
        else:
            self._idents[ident] = [known, route]
        oifs = self._prefix_oifs
        oifs[key, route.oif] = oifs.get((key, route.oif), 0) + 1
        nets = self._nets.get(key[1])
        if nets is None:
            nets = self._nets[key[1]] = {}
            self._sort_lengths()
        same = nets.get(key[0])
        if same is None:
            nets[key[0]] = [route]
            bisect.insort(self._order, self._dump_key(*key))
        elif _within_prefix(same[-1]) <= _within_prefix(route):
            same.append(route)      # insort's place when it sorts last (a newer route
            # of the same tos and metric: fe80::/64 and ff00::/8 once per device)
        else:
            bisect.insort(same, route, key=_within_prefix)

    def _unindex(self, route: Route) -> None:
        key = prefix_key(route.dst)
        ident = _ident(route, key)
        alike = self._idents[ident]
        if type(alike) is not list:
            if alike is route:
                del self._idents[ident]
        else:
            alike[:] = [r for r in alike if r is not route]
            if len(alike) == 1:
                self._idents[ident] = alike[0]
            elif not alike:
                del self._idents[ident]
        oifs = self._prefix_oifs
        left = oifs[key, route.oif] - 1
        if left:
            oifs[key, route.oif] = left
        else:
            del oifs[key, route.oif]
        nets = self._nets[key[1]]
        same = nets[key[0]]
        _drop(same, route)
        if same:
            return
        del nets[key[0]]
        dkey = self._dump_key(*key)
        at = bisect.bisect_left(self._order, dkey)
        del self._order[at]
        if not nets:
            del self._nets[key[1]]
            self._sort_lengths()

    def _sort_lengths(self) -> None:
        """_lpm again, after a prefix length came or went."""
        masks = _MASKS[self.family]
        self._lpm = [(masks[plen], nets) for plen, nets in
                     sorted(self._nets.items(), key=_first, reverse=True)]
        FibTable.lengths_gen += 1

    def same_prefix(self, key: tuple[int, int]) -> list[Route] | None:
        """The routes of the prefix `key` (a prefix_key()), in dump order: the index's
        own list (not a copy), or None when the table holds none."""
        nets = self._nets.get(key[1])
        return nets.get(key[0]) if nets is not None else None

    # ------------------------------------------------------------------ reading
    @property
    def routes(self) -> list[Route]:
        """Every route, in the order they were added."""
        return list(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def contains(self, route: Route) -> bool:
        return self.entries.get(route.seq) is route

    def sorted_routes(self) -> list[Route]:
        """The dump: by prefix in trie order, then tos and metric, older first."""
        nets = self._nets
        bits, masks = _BITS[self.family], _MASKS[self.family]
        out: list[Route] = []
        for dkey in self._order:
            plen = bits - (dkey & 0xFF)
            out += nets[plen][(dkey >> 8) & masks[plen]]
        return out

    def prefix_routes(self, net: IPNetwork) -> list[Route]:
        """The routes of exactly this prefix, in dump order (a copy)."""
        return list(self.same_prefix(prefix_key(net)) or ())

    def has_oif_route(self, addr: int, oif: int) -> bool:
        """Whether a route through device `oif` has a prefix holding `addr`."""
        masks = _MASKS[self.family]
        oifs = self._prefix_oifs
        return any(((addr & masks[plen], plen), oif) in oifs for plen in self._nets)

    def matches(self, addr: int):
        """The routes whose prefix holds `addr`, longest prefix first, each prefix's
        routes in dump order (fib_table_lookup()'s backtracking, as a sequence)."""
        for mask, nets in self._lpm:
            same = nets.get(addr & mask)
            if same:
                yield from same

    def fib_table_lookup(self, addr: int, oif: int, skip_nh_oif: bool,
                         devices: dict, now: float | None = None,
                         ignore_linkdown=None, tos: int = 0) -> Route | None:
        """fib_table_lookup(): the first route of the longest prefix holding `addr`
        whose nexthop qualifies (its device present, the flow's output device when one
        is given and not a vrf's: FLOWI_FLAG_SKIP_NH_OIF; IPv6: a unicast route's
        device up, and the route not expired at `now`: fib6_check_expired(); the
        collector removes it later; a nexthop with RTNH_F_LINKDOWN when
        `ignore_linkdown(dev)` says its device ignores such routes: ip_ignore_linkdown(),
        ip6_ignore_linkdown()). None: the table has no answer (the next rule is tried)."""
        v6 = self.family == 6
        for mask, nets in self._lpm:
            same = nets.get(addr & mask)
            if same:
                r = first_fit(same, oif, skip_nh_oif, devices, now, ignore_linkdown, tos, v6)
                if r is not None:
                    return r    # the longest prefix first: the first that qualifies
        return None

    def longest_match(self, addr: int) -> Route | None:
        """The oldest route of the longest prefix holding `addr`."""
        for mask, nets in self._lpm:
            same = nets.get(addr & mask)
            if same:
                return min(same, key=lambda r: r.seq)
        return None

    def same_key(self, route: Route, key: tuple[int, int] | None = None) -> list[Route]:
        """The routes with the route's prefix, tos and metric, oldest first (`key`: the
        prefix's prefix_key(), when the caller has it)."""
        same = self.same_prefix(prefix_key(route.dst) if key is None else key)
        if not same:
            return []
        return sorted((r for r in same if r.tos == route.tos and r.priority == route.priority),
                      key=_by_seq)

    def kernel_routes_like(self, route: Route, key: tuple[int, int] | None = None
                           ) -> list[Route]:
        """The routes same_kernel_route() calls the same as `route` (whose prefix_key()
        is `key`), oldest first."""
        found = self._idents.get(_ident(route, prefix_key(route.dst) if key is None else key),
                                 ())
        return sorted(found, key=_by_seq) if type(found) is list else [found] if found else []

    # ------------------------------------------------------------------ writing
    def add(self, route: Route, key: tuple[int, int] | None = None) -> None:
        """Put a route in the table, after the others."""
        FibTable.genid += 1
        self.sernum += 1
        if route.gateway is not None:
            FibTable.gw_adds += 1
        self.next_seq += 1
        route.seq = self.next_seq
        self.entries[route.seq] = route
        if self.family == 4:
            self.trie_log.append(route)
        self._index(route, key)

    def add_prefixes4(self, items) -> int:
        """add() of IPv4 routes, each (route, its prefix_key()) to a prefix the table
        does not hold yet, taken one at a time (`items` may be a generator that checks
        each against the table as the ones before it left it), their indexes written
        out as _index() keeps them: a batch of new routes comes this way. Answers how
        many were added."""
        entries, log, idents = self.entries, self.trie_log.append, self._idents
        all_nets, order = self._nets, self._order
        oifs = self._prefix_oifs
        seq = self.next_seq
        added = gateways = 0
        for route, key in items:
            seq += 1
            route.seq = seq
            entries[seq] = route
            log(route)
            src = route.prefsrc
            ident = (route.table, int(route.type), key, route.oif,
                     None if src is None else src._ip, route.priority,
                     int(route.protocol))                                   # _ident()
            known = idents.get(ident)
            if known is None:
                idents[ident] = route
            elif type(known) is list:
                known.append(route)
            else:
                idents[ident] = [known, route]
            addr, plen = key
            nets = all_nets.get(plen)
            if nets is None:
                nets = all_nets[plen] = {}
                self._sort_lengths()
            nets[addr] = [route]
            oifs[key, route.oif] = 1            # (a new prefix: its first route)
            dkey = addr << 8 | (32 - plen)                                   # _dump_key()
            if not order or order[-1] < dkey:
                order.append(dkey)
            else:
                bisect.insort(order, dkey)
            if route.gateway is not None:
                gateways += 1
            added += 1
            self.next_seq = seq
        FibTable.genid += added
        self.sernum += added
        FibTable.gw_adds += gateways
        return added

    def _add_before(self, route: Route, first: Route, key: tuple[int, int]) -> None:
        """Put a route just before `first` in its prefix's order: a seq between
        first's and the one before it (a fraction: the others keep theirs)."""
        FibTable.genid += 1
        self.sernum += 1
        lower = max((r.seq for r in self.same_prefix(key) or () if r.seq < first.seq),
                    default=first.seq - 1)
        route.seq = (lower + first.seq) / 2
        self.entries[route.seq] = route
        if self.family == 4:
            self.trie_log.append(route)
        self._index(route, key)

    def _replace(self, old: Route, route: Route) -> None:
        """The new route takes the old one's place in the order of addition."""
        FibTable.genid += 1
        self.sernum += 1
        self._unindex(old)
        route.seq = old.seq
        self.entries[old.seq] = route       # an existing key keeps its place
        if self.family == 4:
            self.trie_log.append(("rep", old, route))     # hlist_replace_rcu(): in place
        self._index(route)

    def remove(self, route: Route) -> None:
        """fib_table_delete(): one route."""
        self._remove(route)
        if self.family == 4:
            self.trie_log.append(("del", route))

    def _remove(self, route: Route) -> None:
        FibTable.genid += 1
        self.sernum += 1
        if self.entries.get(route.seq) is not route:
            raise ValueError("route not in table")
        del self.entries[route.seq]
        if self.family == 6:
            self.discarded += len(route.nexthops) or 1      # each sibling's fib6_del_route()
        self._unindex(route)

    def remove_where(self, predicate) -> list[Route]:
        """fib_table_flush(): remove every route `predicate` is true of (in one walk
        of the trie); the removed, oldest first."""
        gone = [r for r in self.entries.values() if predicate(r)]
        for route in gone:
            self._remove(route)
        if gone and self.family == 4:
            self.trie_log.append(("flush", gone))
        return gone

    def insert(self, route: Route, *, excl: bool, replace_: bool, append: bool,
               create: bool = True, key: tuple[int, int] | None = None) -> None:
        """fib_table_insert(): NLM_F_EXCL / NLM_F_REPLACE / NLM_F_APPEND semantics
        (`key`: the route's prefix_key(), when the caller has it)."""
        if key is None:
            key = prefix_key(route.dst)
        existing = self.same_key(route, key)
        if self.family == 6 and existing and not replace_:
            self._insert6(route, existing, excl=excl)
            return
        if existing:
            if excl:
                raise KernelError(Errno.EEXIST)
            if replace_:
                if self.family == 6:
                    # fib6_add_rt2node(): the first route as ECMP-able as the new one
                    # (a gateway, no nexthop object), else the first of the metric
                    can_ecmp = _qualify_for_ecmp6(route)
                    old = next((r for r in existing if _qualify_for_ecmp6(r) == can_ecmp),
                               existing[0])
                    self._replace(old, route)
                    return
                self._replace(existing[0], route)
                return
            if self.family == 4:
                # NLM_F_CREATE without EXCL on an existing key, with or without APPEND:
                # the kernel still refuses an identical route (fa_match)
                for r in existing:
                    if _same_info(r, route):
                        raise KernelError(Errno.EEXIST)
                if not append:
                    # ... else fa = fa_first: fib_insert_alias() puts it before the
                    # first alias of its tos and priority (`ip route prepend`, route(8))
                    self._add_before(route, existing[0], key)
                    return
            if self.family == 6:
                raise KernelError(Errno.EEXIST)
        elif not create:
            if self.family == 6 and replace_ and \
                    not any(True for _ in self.prefix_routes(route.dst)):
                # fib6_add_1(): REPLACE without CREATE and no node for the prefix (a
                # prefix with routes of other metrics, the root ::/0 or a split node
                # of that length: fib6_add_rt2node()'s bare ENOENT, recorded)
                from ipemu.kernel.ip6_fib import fib6_has_node
                if not fib6_has_node(self, route.dst):
                    raise KernelError(Errno.ENOENT,
                                      "Can not replace route - no match found")
            raise KernelError(Errno.ENOENT)
        self.add(route, key)

    def _insert6(self, route: Route, existing: list[Route], *, excl: bool) -> None:
        """fib6_add_rt2node() on a prefix and metric already taken: EXCL refuses, a
        duplicate nexthop is refused, a route with a gateway joins one with a gateway
        as its sibling (one multipath route), anything else stands beside."""
        if excl:
            raise KernelError(Errno.EEXIST)
        new_hops = nexthops_of(route)
        for r in existing:
            if r.type == route.type and any(
                    (h.gateway, h.oif) == (n.gateway, n.oif)
                    for h in nexthops_of(r) for n in new_hops):
                raise KernelError(Errno.EEXIST)      # rt6_duplicate_nexthop()
        if route.gateway is not None and route.type == RTN.UNICAST:
            for r in existing:
                if r.gateway is not None and r.type == RTN.UNICAST:
                    # each sibling is a fib6_info of its own: the joiner's metrics stay
                    # with its nexthops (the route shows the first sibling's)
                    if route.metrics != r.metrics:
                        new_hops = tuple(h if h.metrics is not None else
                                         replace(h, metrics=route.metrics) for h in new_hops)
                    # fib6_add_rt2node(): each joiner is inserted after the last route
                    # of its metric in the leaf (ins), whatever APPEND says
                    placed = []
                    for h in new_hops:
                        self.next_seq += 1
                        placed.append(replace(h, leaf=self.next_seq))
                    self._replace(r, replace(r, nexthops=nexthops_of(r) + tuple(placed)))
                    return
        self.add(route)

    def drop_nexthop(self, route: Route, gateway, oif) -> Route | None:
        """ip6_route_del() of one sibling: the route keeps the others (one left: no
        longer multipath). The route as it is now, None when it has no such nexthop."""
        hops = [h for h in route.nexthops if not (
            h.gateway == gateway and (oif is None or h.oif == oif))]
        if len(hops) == len(route.nexthops):
            return None
        first = hops[0]
        self.discarded += len(route.nexthops) - len(hops)
        # the first sibling left heads the route: its own metrics when it has them
        metrics = first.metrics if first.metrics is not None else route.metrics
        if len(hops) > 1 and first.metrics is not None:
            hops = [replace(h, metrics=None) if h.metrics == metrics else
                    h if h.metrics is not None else replace(h, metrics=route.metrics)
                    for h in hops]
        elif len(hops) == 1:
            hops = [replace(hops[0], metrics=None)]
        moved = first.leaf
        if moved is not None:
            hops = [replace(h, leaf=None) if h.leaf == moved else h for h in hops]
        new = replace(route, gateway=first.gateway, oif=first.oif, onlink=first.onlink,
                      nexthops=tuple(hops) if len(hops) > 1 else (), metrics=metrics)
        if moved is None:
            self._replace(route, new)
            return new
        # the first sibling went: the route is now the next one, where it sits
        self._remove(route)
        FibTable.genid += 1
        new.seq = moved
        self.entries[moved] = new
        self._index(new)
        return new

    def dump_routes(self) -> list[Route]:
        """The dump as inet6_dump_fib() walks it: fib6_dump_node() sends a multipath
        route whole at its first sibling and then jumps to its last sibling, so a
        route of the same metric standing between them in the leaf (a device route
        added before a sibling joined) is never dumped. IPv4: sorted_routes()."""
        routes = self.sorted_routes()
        if self.family != 6:
            return routes
        out: list[Route] = []
        skip_until = None
        for r in routes:
            if skip_until is not None:
                key, last = skip_until
                if (prefix_key(r.dst), r.priority, r.tos) == key and r.seq < last:
                    continue
                skip_until = None
            out.append(r)
            leaves = [h.leaf for h in r.nexthops if h.leaf is not None]
            if leaves and r.nexthops[-1].leaf is not None and r.nexthops[-1].leaf > r.seq:
                skip_until = ((prefix_key(r.dst), r.priority, r.tos), r.nexthops[-1].leaf)
        return out


def merged_lookup4(local: FibTable, main: FibTable, addr: int, oif: int,
                   skip_nh_oif: bool, devices: dict, ignore_linkdown, tos: int
                   ) -> Route | None:
    """fib_table_lookup() of the one IPv4 trie local and main share before
    fib_unmerge() (fib_new_table() aliases local to main): the longest prefix of
    either, the local route first of a prefix both hold (fib_find_alias(): a leaf's
    aliases by tb_id, larger first). The two tables' lengths are walked as one list,
    kept on local while no table's lengths change."""
    for mask, local_nets, main_nets in merged_lengths(local, main):
        net = addr & mask
        same = local_nets.get(net)
        if same:
            r = first_fit(same, oif, skip_nh_oif, devices, None, ignore_linkdown, tos, False)
            if r is not None:
                return r
        same = main_nets.get(net)
        if same:
            r = first_fit(same, oif, skip_nh_oif, devices, None, ignore_linkdown, tos, False)
            if r is not None:
                return r
    return None


def merged_lengths(local: FibTable, main: FibTable) -> list:
    """The lengths of the one trie local and main share: (netmask, local's hash,
    main's hash), longest first; kept on local while no table's lengths change."""
    if local._merged_gen != FibTable.lengths_gen:
        local._merged = _merge_lengths(local, main)
        local._merged_gen = FibTable.lengths_gen
    return local._merged


def _merge_lengths(local: FibTable, main: FibTable) -> list:
    """(netmask, local's hash, main's hash) of every length either holds, longest
    first (an empty hash for a length one of them lacks)."""
    masks = _MASKS[4]
    plens = sorted(local._nets.keys() | main._nets.keys(), reverse=True)
    return [(masks[plen], local._nets.get(plen, _NO_NETS), main._nets.get(plen, _NO_NETS))
            for plen in plens]


# the hash merged_lookup4() asks for a length a table lacks (never written)
_NO_NETS: dict = {}


def first_fit(same: list[Route], oif: int, skip_nh_oif: bool, devices: dict,
              now: float | None, ignore_linkdown, tos: int, v6: bool) -> Route | None:
    """fib_table_lookup()'s walk of one prefix's routes (its fib_alias list): the first
    whose nexthop qualifies (FibTable.fib_table_lookup() says how), else None."""
    for r in same:
        if now is not None and r.expires is not None and r.expires < now:
            continue
        if r.tos and r.tos != tos & 0xFC:
            continue        # fib_table_lookup(): fa_dscp against the flow's
        r_oif = r.oif
        if r_oif is not None:
            if oif and r_oif != oif and not skip_nh_oif:
                if not r.nexthops:
                    continue
                # fib_table_lookup() / find_match(): the nexthop (sibling)
                # through the flow's device
                r = _oif_path(r, oif, devices)
                if r is None:
                    continue
                r_oif = oif
            d = devices.get(r_oif)
            if r.nexthops and (d is None or not d.admin_up):
                r = _alive_path(r, devices)
                if r is None:
                    continue
            elif d is None or (v6 and r.type == _UNICAST and not d.admin_up):
                continue
            elif ignore_linkdown is not None and not d.carrier and d.admin_up \
                    and r.type != _LOCAL and (v6 or r.scope != Scope.HOST) \
                    and not r.nexthops and ignore_linkdown(d):
                continue
        return r
    return None


def _oif_path(route: Route, oif: int, devices: dict) -> Route | None:
    """The route as it goes through its first live nexthop on `oif`, else None."""
    for h in route.nexthops:
        if h.oif == oif:
            d = devices.get(oif)
            if d is None or not d.admin_up:
                return None
            return replace(route, gateway=h.gateway, oif=h.oif, onlink=h.onlink, flow=h.flow,
                           encap=h.encap)
    return None


def _alive_path(route: Route, devices: dict) -> Route | None:
    """fib_select_multipath() / rt6_multipath_hash() skip RTNH_F_DEAD nexthops (their
    device down): the route as it goes through its first live nexthop."""
    for h in route.nexthops:
        d = devices.get(h.oif)
        if d is not None and d.admin_up:
            return replace(route, gateway=h.gateway, oif=h.oif, onlink=h.onlink, flow=h.flow,
                           encap=h.encap)
    return None


def _qualify_for_ecmp6(route: Route) -> bool:
    """rt6_qualify_for_ecmp(): a gateway, and no nexthop object."""
    return route.gateway is not None and route.nhid is None


def nh_stamp() -> int:
    """What a gateway's resolution depends on, as one int: it moves with every change
    of any table (and device: netns moves genid) but the adding of a route with a
    gateway (FibTable.add())."""
    return FibTable.genid - FibTable.gw_adds


def nexthops_of(route: Route) -> tuple[Nexthop, ...]:
    """A route's nexthops: its list, or the one it has."""
    if route.nexthops:
        return route.nexthops
    return (Nexthop(route.gateway, route.oif, 1, route.onlink, route.flow),)


def _same_info(a: Route, b: Route) -> bool:
    return replace(a, table=b.table) == b


def route_matches(route: Route, sel: dict) -> bool:
    """The selectors of `ip route del`/`flush`/`show`: a missing key matches anything."""
    for key, want in sel.items():
        if want is None:
            continue
        if getattr(route, key) != want:
            return False
    return True


def kernel_route_key(r: Route) -> tuple:
    """What same_kernel_route() compares, as a hashable key."""
    return (r.table, r.type, r.dst, r.oif, r.prefsrc, r.priority, r.protocol)


def _ident(r: Route, key: tuple[int, int]) -> tuple:
    """kernel_route_key() inside one table (one family): the prefix, type, protocol and
    preferred source as ints, which hash in C (an ipaddress object hashes in Python),
    and a tuple of plain ints the garbage collector stops tracking (one object less
    per route for every collection to walk)."""
    src = r.prefsrc
    return (r.table, int(r.type), key, r.oif, None if src is None else src._ip, r.priority,
            int(r.protocol))


def _drop(routes: list[Route], route: Route) -> None:
    """Take `route` out of a prefix's list (kept in _within_prefix() order, each key
    its own: the seq differs): found by bisect, by a scan should the order not hold
    (one prefix may hold a route per device, fe80::/64 on 10,000 of them)."""
    at = bisect.bisect_left(routes, _within_prefix(route), key=_within_prefix)
    if at < len(routes) and routes[at] is route:
        del routes[at]
    else:
        routes[:] = [r for r in routes if r is not route]


def _by_seq(route: Route) -> int:
    return route.seq


def same_kernel_route(a: Route, b: Route) -> bool:
    """fib_find_alias()-like identity of a route the kernel itself adds (one per
    address, table, type, prefix, device, source, metric and protocol)."""
    return (a.table, a.type, a.dst, a.oif, a.prefsrc, a.priority, a.protocol) == \
        (b.table, b.type, b.dst, b.oif, b.prefsrc, b.priority, b.protocol)


def fib6_sernum(ns) -> tuple:
    """net->ipv6.fib6_sernum as far as it matters: it moves with every change of any of
    the namespace's IPv6 tables (fib6_new_sernum() in fib6_add() and fib6_del())."""
    return tuple((tid, t.sernum) for (fam, tid), t in ns.tables.items() if fam == 6)


def pcpu_owner6(ns, found: Route, picked: Route) -> Route:
    """rt6_get_pcpu_route() / rt6_make_pcpu_route() for an IPv6 route through a nexthop
    object (`found`, its path `picked`): the pcpu route lives in the nexthop's fib6_nh,
    which every route through that nexthop shares, so the first route whose lookup
    made it stays its `from` until net->ipv6.fib6_sernum moves (rt6_is_valid(): the
    pcpu route's sernum is rt_genid_ipv6() when made, f6i->nh set). What `ip -6 route
    get` prints (rt6_fill_node() of `from`: metric, table, protocol, preference) is
    that route's, not the one the lookup found (recorded: a route of metric 50 through
    group 12 printed `metric 1024`, its member's pcpu route made by a route of group
    10, case tutorials45b_v6_nexthop_objects). One CPU's cache: the recording machine
    has two, and a process on the other CPU finds its own."""
    obj = ns.nexthops.get(found.nhid)
    if obj is None:
        return found
    member = obj.id
    if obj.group:
        member = next((m for m, _ in obj.group
                       if (n := ns.nexthops.get(m)) is not None
                       and n.gateway == picked.gateway and n.oif == picked.oif), None)
        if member is None:
            return found
    nh = ns.nexthops.get(member)
    if nh is None or nh.blackhole:
        return found
    sernum = fib6_sernum(ns)
    cached = ns.nh6_pcpu.get(member)
    if cached is not None and cached[2] == sernum and cached[3] == nh:
        table = ns.tables.get((6, cached[0]))
        owner = table.entries.get(cached[1]) if table is not None else None
        if owner is not None:
            return owner
    ns.nh6_pcpu[member] = (found.table, found.seq, sernum, nh)
    return found
