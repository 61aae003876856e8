"""The IPv6 routing tables as the kernel's fib6 tree holds them (net/ipv6/ip6_fib.c),
and what /proc/net/ipv6_route shows of them (ipv6_route_native_seq_show()): each
table walked as the tree, with the reference counts the tree and its users hold."""
from __future__ import annotations

import ipaddress

from ipemu.kernel.fib import RTN, Proto, Route
from ipemu.plainclass import dataclass, field

# fib6_info / rt6_info flags (include/uapi/linux/ipv6_route.h)
RTF_UP, RTF_GATEWAY, RTF_HOST = 0x0001, 0x0002, 0x0004
RTF_EXPIRES, RTF_NONEXTHOP, RTF_REJECT = 0x00400000, 0x00200000, 0x0200
RTF_ANYCAST, RTF_LOCAL = 0x00100000, 0x80000000
# the references received multicast leaves on a veth's ff00::/8 route once the link
# had carrier and the peer sent its MLD reports and NS (rt6_get_pcpu_route()): the
# recording host's refcount is 2 (transcripts/public/procnet5_man, and four more
# recordings of its commands by needs21), so one beside the tree's own
PCPU_REFS = 1


@dataclass(frozen=True)
class Ipv6RouteRow:
    """One line of /proc/net/ipv6_route."""

    dst: ipaddress.IPv6Address
    dst_len: int
    gateway: ipaddress.IPv6Address
    metric: int                  # u32
    refcnt: int
    use: int
    flags: int
    dev: str


def proc_ipv6_route(ns) -> list[Ipv6RouteRow]:
    """ipv6_route_native_seq_show() over every entry of the tree walk; a table's root
    without routes shows its fib6_null_entry (a reject route on lo)."""
    rows = []
    for entry in ipv6_route_entries(ns):
        route = entry.route
        if route is None:
            rows.append(Ipv6RouteRow(ipaddress.IPv6Address(0), 0, ipaddress.IPv6Address(0),
                                     0xFFFFFFFF, entry.ref, 0, RTF_REJECT | RTF_NONEXTHOP,
                                     "lo"))
            continue
        device = ns.by_index(route.oif)
        rows.append(Ipv6RouteRow(
            route.dst.network_address, route.dst.prefixlen,
            route.gateway if route.gateway is not None else ipaddress.IPv6Address(0),
            route.priority & 0xFFFFFFFF, entry.ref, 0, fib6_flags(ns, route),
            device.name if device is not None else "lo"))
    return rows


def fib6_flags(ns, route: Route) -> int:
    """fib6_flags plus RTF_GATEWAY, as ipv6_route_native_seq_show() prints them."""
    if route.type in (RTN.UNREACHABLE, RTN.PROHIBIT, RTN.BLACKHOLE, RTN.THROW):
        return RTF_REJECT | RTF_NONEXTHOP
    dev = ns.by_index(route.oif)
    if (dev is not None and dev.kind == "loopback" and route.type == RTN.UNICAST
            and route.dst.network_address != ipaddress.IPv6Address("::1")):
        # fib6_is_reject(): "we cannot add true routes via loopback", promoted to reject
        return RTF_REJECT | RTF_NONEXTHOP
    flags = RTF_UP
    if route.gateway is not None:
        flags |= RTF_GATEWAY
    if route.onlink:
        # RTNH_F_ONLINK reaches fc_flags, where its bit is RTF_HOST
        flags |= RTF_HOST
    if route.expires is not None:
        flags |= RTF_EXPIRES
    if route.type in (RTN.LOCAL, RTN.ANYCAST) and route.protocol == Proto.KERNEL:
        # addrconf_f6i_alloc(): RTF_NONEXTHOP, and RTF_ANYCAST or RTF_LOCAL
        flags |= RTF_NONEXTHOP | (RTF_ANYCAST if route.type == RTN.ANYCAST else 0)
    if route.type == RTN.LOCAL:
        # rtm_to_fib6_config() and addrconf_f6i_alloc(): RTN_LOCAL is RTF_LOCAL
        flags |= RTF_LOCAL
    return flags




@dataclass
class Fib6Entry:
    route: Route | None          # None: the fib6_null_entry at a table's root
    ref: int = 0                 # fib6_ref


@dataclass
class Fib6Node:
    bit: int
    parent: Fib6Node | None = None
    left: Fib6Node | None = None
    right: Fib6Node | None = None
    entries: list[Fib6Entry] = field(default_factory=list)   # RTN_RTINFO when not empty
    dummy: Fib6Entry | None = None                            # leaf of a split node

    def leaf(self) -> Fib6Entry | None:
        return self.entries[0] if self.entries else self.dummy


def ipv6_route_entries(ns) -> list[Fib6Entry]:
    """What /proc/net/ipv6_route lists: every table in fib_table_hash order (id mod 256),
    each walked as the kernel's fib6 tree (children before the node, 0 before 1).

    The tree is rebuilt by inserting the table's routes in the order they were added,
    with fib6_add_1()'s node splitting, because the Ref column counts the tree's
    references: one for the route list, one per split node that borrowed the route as
    its leaf, one for an address's own route (ifp->rt), and the pcpu copies left by
    received multicast."""
    out: list[Fib6Entry] = []
    for _, root in _fib6_trees(ns):
        if not root.entries:
            root.entries = [root.dummy]
        _fib6_walk(root, out)
    return out


def _fib6_trees(ns) -> list[tuple]:
    """Each IPv6 table in fib_table_hash order (id mod 256) with its tree."""
    tables = sorted((t for (fam, _), t in ns.tables.items() if fam == 6),
                    key=lambda t: (t.id & 0xFF, t.id))
    out = []
    for table in tables:
        root = Fib6Node(0, entries=[])
        root.dummy = Fib6Entry(None, ref=1)
        for route in table.routes:
            _fib6_insert(root, Fib6Entry(route, ref=_held_refs(ns, route)))
        out.append((table, root))
    return out


def fib6_has_node(table, dst) -> bool:
    """Whether fib6_add_1()'s walk finds a node for exactly `dst` in `table`'s tree
    (the root, a route's node, or a split node at that length): a replace without
    create then fails in fib6_add_rt2node() with a bare ENOENT, not with fib6_add_1()'s
    "no match found"."""
    root = Fib6Node(0, entries=[])
    root.dummy = Fib6Entry(None, ref=1)
    for route in table.routes:
        _fib6_insert(root, Fib6Entry(route))
    addr, plen = int(dst.network_address), dst.prefixlen
    fn: Fib6Node | None = root
    while fn is not None:
        if plen < fn.bit or not _prefix_equal(_key(fn), addr, fn.bit):
            return False
        if plen == fn.bit:
            return True
        fn = fn.right if _bit(addr, fn.bit) else fn.left
    return False


def proc_rt6_stats(ns) -> str:
    """rt6_stats_seq_show(): fib_nodes (the trees' nodes below their roots),
    fib_route_nodes (those holding routes), fib_rt_alloc (rt6_info dsts ever
    allocated: the traffic's, not kept here), fib_rt_entries (a multipath route's
    siblings each one), fib_rt_cache, the dsts alive, fib_discarded_routes (every
    fib6_del_route())."""
    nodes = route_nodes = entries = discarded = 0
    for table, root in _fib6_trees(ns):
        discarded += table.discarded
        stack = [root.left, root.right]
        entries += sum(len(e.route.nexthops) or 1 for e in root.entries)
        while stack:
            node = stack.pop()
            if node is None:
                continue
            nodes += 1
            route_nodes += bool(node.entries)
            entries += sum(len(e.route.nexthops) or 1 for e in node.entries)
            stack += (node.left, node.right)
    return f"{nodes:04x} {route_nodes:04x} 0000 {entries:04x} 0000 0000 {discarded:04x}\n"


def _held_refs(ns, route: Route) -> int:
    """References held outside the tree: the address's ifp->rt, and per-cpu copies."""
    refs = 0
    dev = ns.by_index(route.oif)
    if dev is None:
        return refs
    if route.type == RTN.LOCAL and route.protocol == Proto.KERNEL and route.dst.prefixlen == 128:
        if any(ifa.address == route.dst.network_address for ifa in ns.ifa6(dev)):
            refs += 1
    if route.type == RTN.MULTICAST and dev.kind == "veth" and dev.inet6_ready:
        refs += PCPU_REFS   # kept after the carrier goes: the copies stay cached
    return refs


def _bit(addr: int, n: int) -> int:
    return (addr >> (127 - n)) & 1 if n < 128 else 0


def _prefix_equal(a: int, b: int, bits: int) -> bool:
    if bits == 0:
        return True
    shift = 128 - bits
    return a >> shift == b >> shift


def _first_diff(a: int, b: int) -> int:
    diff = a ^ b
    return 128 - diff.bit_length() if diff else 128


def _key(node: Fib6Node) -> int:
    leaf = node.leaf()
    if leaf is None or leaf.route is None:
        return 0
    return int(leaf.route.dst.network_address)


def _fib6_insert(root: Fib6Node, entry: Fib6Entry) -> None:
    """fib6_add_1() + fib6_add_rt2node()."""
    route = entry.route
    addr, plen = int(route.dst.network_address), route.dst.prefixlen
    fn: Fib6Node | None = root
    pn = root
    direction = 0
    while fn is not None:
        key = _key(fn)
        if plen < fn.bit or not _prefix_equal(key, addr, fn.bit):
            _insert_above(fn, pn, direction, addr, plen, key, entry)
            return
        if plen == fn.bit:
            if not fn.entries and fn.dummy is not None:
                if fn is not root:
                    fn.dummy.ref -= 1      # the split node gives its borrowed leaf back
                fn.dummy = None
            _add_rt2node(fn, entry)
            return
        direction = _bit(addr, fn.bit)
        pn = fn
        fn = fn.right if direction else fn.left
    ln = Fib6Node(plen, parent=pn)
    if direction:
        pn.right = ln
    else:
        pn.left = ln
    _add_rt2node(ln, entry)


def _insert_above(fn: Fib6Node, pn: Fib6Node, direction: int, addr: int, plen: int,
                  key: int, entry: Fib6Entry) -> None:
    bit = _first_diff(addr, key)
    if plen > bit:
        # a split node above both; it borrows the old node's leaf (fib6_info_hold)
        inode = Fib6Node(bit, parent=pn, dummy=fn.leaf())
        if inode.dummy is not None:
            inode.dummy.ref += 1
        ln = Fib6Node(plen, parent=inode)
        fn.parent = inode
        if _bit(addr, bit):
            inode.right, inode.left = ln, fn
        else:
            inode.left, inode.right = ln, fn
        new_child = inode
    else:
        ln = Fib6Node(plen, parent=pn)
        if _bit(key, plen):
            ln.right = fn
        else:
            ln.left = fn
        fn.parent = ln
        new_child = ln
    if direction:
        pn.right = new_child
    else:
        pn.left = new_child
    _add_rt2node(ln, entry)


def _add_rt2node(node: Fib6Node, entry: Fib6Entry) -> None:
    """After the routes of a lower or equal metric; the list holds a reference."""
    at = len(node.entries)
    for n, other in enumerate(node.entries):
        if other.route.priority > entry.route.priority:
            at = n
            break
    node.entries.insert(at, entry)
    entry.ref += 1


def _fib6_walk(node: Fib6Node | None, out: list[Fib6Entry]) -> None:
    if node is None:
        return
    _fib6_walk(node.left, out)
    _fib6_walk(node.right, out)
    out.extend(node.entries)
