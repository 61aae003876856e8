"""/proc/net/fib_trie: the IPv4 tables as Linux's LC-trie holds them (net/ipv4/
fib_trie.c). The lookups in fib.py answer by prefix without a trie; a table keeps the
log of what was done to its trie (FibTable.trie_log) and this replays it when read, as
the kernel did it: each leaf put in by fib_insert_node() and each emptied one taken out
by fib_remove_alias(), every node on the way up resized as trie_rebalance() does
(inflate, halve, collapse with the kernel's thresholds), a flush as the reverse walk
of fib_table_flush(), the split of local from main as fib_trie_unmerge() and
fib_table_flush_external(); then prints it as fib_trie_seq_show(). The trie replayed
so far is kept (not saved) and only what was logged since is replayed on the next read.
"""
from __future__ import annotations

from ipemu.plainclass import dataclass, field

KEYLENGTH = 32
INFLATE_THRESHOLD, INFLATE_THRESHOLD_ROOT = 50, 30
HALVE_THRESHOLD, HALVE_THRESHOLD_ROOT = 25, 15
MAX_WORK = 10
TABLE_LOCAL, TABLE_MAIN = 255, 254
RTN_NAMES = ("UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
             "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE")
SCOPE_NAMES = {0: "universe", 200: "site", 253: "link", 254: "host", 255: "nowhere"}


@dataclass(eq=False)
class Node:
    """A key_vector: a leaf (bits 0, its aliases) or a tnode (2**bits children)."""
    key: int
    pos: int
    bits: int
    parent: "Node | None" = None
    children: list = field(default_factory=list)
    aliases: list = field(default_factory=list)     # a leaf's (slen, tb_id, route)
    full: int = 0
    empty: int = 0
    is_trie: bool = False                           # the trie's own root key_vector

    @property
    def is_leaf(self) -> bool:
        return not self.is_trie and self.bits == 0 and not self.children


def _tnode_new(key: int, pos: int, bits: int) -> Node:
    shift = pos + bits
    key = (key >> shift) << shift if shift < KEYLENGTH else 0
    return Node(key, pos, bits, children=[None] * (1 << bits), empty=1 << bits)


def _index(key: int, tn: Node) -> int:
    return 0 if tn.is_trie else ((key ^ tn.key) >> tn.pos)


def _full(tn: Node, n: Node | None) -> bool:
    """tnode_full(): a tnode child whose bits begin where the parent's end."""
    return n is not None and not n.is_leaf and n.pos + n.bits == tn.pos


def _put_child(tn: Node, i: int, n: Node | None) -> None:
    """put_child(): the child, and the empty and full counts."""
    chi = tn.children[i]
    if n is None and chi is not None:
        tn.empty += 1
    if n is not None and chi is None:
        tn.empty -= 1
    was, now = _full(tn, chi), _full(tn, n)
    tn.full += (now and not was) - (was and not now)
    tn.children[i] = n


def _put_child_root(tp: Node, key: int, n: Node | None) -> None:
    if tp.is_trie:
        tp.children[0] = n
    else:
        _put_child(tp, _index(key, tp), n)


def _set_parent(n: Node | None, tp: Node) -> None:
    if n is not None:
        n.parent = tp


def _should_inflate(tp: Node, tn: Node) -> bool:
    used = len(tn.children)
    threshold = used * (INFLATE_THRESHOLD_ROOT if tp.is_trie else INFLATE_THRESHOLD)
    used += tn.full - tn.empty
    return used > 1 and tn.pos > 0 and 50 * used >= threshold


def _should_halve(tp: Node, tn: Node) -> bool:
    used = len(tn.children)
    threshold = used * (HALVE_THRESHOLD_ROOT if tp.is_trie else HALVE_THRESHOLD)
    used -= tn.empty
    return used > 1 and tn.bits > 1 and 100 * used < threshold


def _should_collapse(tn: Node) -> bool:
    return len(tn.children) - tn.empty < 2


def _replace(old: Node, tn: Node) -> Node:
    """replace(): the new node in the old one's place, then its full children resized."""
    tp = old.parent
    tn.parent = tp
    _put_child_root(tp, tn.key, tn)
    for child in tn.children:
        _set_parent(child, tn)
    for i in range(len(tn.children) - 1, -1, -1):
        inode = tn.children[i]
        if _full(tn, inode):
            tn = _resize(inode)
    return tp


def _inflate(old: Node) -> Node:
    tn = _tnode_new(old.key, old.pos - 1, old.bits + 1)
    m = 1 << tn.pos
    for i in range(len(old.children) - 1, -1, -1):
        inode = old.children[i]
        if inode is None:
            continue
        if not _full(old, inode):
            _put_child(tn, _index(inode.key, tn), inode)
            continue
        if inode.bits == 1:
            _put_child(tn, 2 * i + 1, inode.children[1])
            _put_child(tn, 2 * i, inode.children[0])
            continue
        node1 = _tnode_new(inode.key | m, inode.pos, inode.bits - 1)
        node0 = _tnode_new(inode.key, inode.pos, inode.bits - 1)
        half = len(inode.children) // 2
        for j in range(half):
            _put_child(node1, j, inode.children[half + j])
            _put_child(node0, j, inode.children[j])
        for node in (node1, node0):
            node.parent = tn
            for child in node.children:
                _set_parent(child, node)
        _put_child(tn, 2 * i + 1, node1)
        _put_child(tn, 2 * i, node0)
    return _replace(old, tn)


def _halve(old: Node) -> Node:
    tn = _tnode_new(old.key, old.pos + 1, old.bits - 1)
    for i in range(len(old.children) - 2, -1, -2):
        node0, node1 = old.children[i], old.children[i + 1]
        if node0 is None or node1 is None:
            _put_child(tn, i // 2, node1 if node1 is not None else node0)
            continue
        inode = _tnode_new(node0.key, old.pos, 1)
        _put_child(inode, 1, node1)
        _put_child(inode, 0, node0)
        node0.parent = node1.parent = inode
        inode.parent = tn
        _put_child(tn, i // 2, inode)
    return _replace(old, tn)


def _collapse(old: Node) -> Node:
    n = next((c for c in reversed(old.children) if c is not None), None)
    tp = old.parent
    _put_child_root(tp, old.key, n)
    _set_parent(n, tp)
    return tp


def _resize(tn: Node) -> Node:
    """resize(): inflate while worth it; else halve while worth it; a node with one
    child left collapses. Returns the parent to go on from."""
    tp = tn.parent
    cindex = _index(tn.key, tp)
    work = MAX_WORK
    while _should_inflate(tp, tn) and work:
        tp = _inflate(tn)
        work -= 1
        tn = tp.children[cindex] if not tp.is_trie else tp.children[0]
    tp = tn.parent
    if work != MAX_WORK:
        return tp
    while _should_halve(tp, tn) and work:
        tp = _halve(tn)
        work -= 1
        tn = tp.children[cindex] if not tp.is_trie else tp.children[0]
    if _should_collapse(tn):
        return _collapse(tn)
    return tn.parent


def _rebalance(tn: Node) -> None:
    while not tn.is_trie:
        tn = _resize(tn)


def _find(root: Node, key: int) -> tuple[Node, Node | None]:
    """fib_find_node(): (the parent reached, the leaf of `key` or None)."""
    n, index = root, 0
    while True:
        pn = n
        n = n.children[index]
        if n is None:
            return pn, None
        index = (key ^ n.key) >> n.pos
        if index >= (1 << n.bits):
            return pn, None
        if n.is_leaf:
            return pn, n


def _insert(root: Node, key: int, alias: tuple) -> None:
    """fib_table_insert(): a new alias on the key's leaf, or a new leaf put in by
    fib_insert_node()."""
    tp, leaf = _find(root, key)
    if leaf is not None:
        _insert_alias(leaf, alias)
        return
    leaf = Node(key, 0, 0, aliases=[alias])
    n = tp.children[_index(key, tp)] if not tp.is_trie else tp.children[0]
    if n is not None:
        tn = _tnode_new(key, (key ^ n.key).bit_length() - 1, 1)
        tn.parent = tp
        _put_child(tn, _index(key, tn) ^ 1, n)
        _put_child_root(tp, key, tn)
        n.parent = tn
        tp = tn
    leaf.parent = tp
    _put_child_root(tp, key, leaf)
    _rebalance(tp)


def _insert_alias(leaf: Node, alias: tuple) -> None:
    """fib_insert_alias() after fib_find_alias(): by slen, a higher table id first,
    then tos (higher first) and priority; a new alias before an equal one."""
    slen, tb_id, route = alias
    at = len(leaf.aliases)
    for i, (s, t, r) in enumerate(leaf.aliases):
        if (s, -t) > (slen, -tb_id):
            at = i
            break
        if (s, t) == (slen, tb_id) and (r.tos < route.tos or r.tos == route.tos
                                         and r.priority >= route.priority):
            at = i
            break
    leaf.aliases.insert(at, alias)


def _new_trie() -> Node:
    return Node(0, KEYLENGTH, 0, children=[None], is_trie=True)


def _alias(route) -> tuple[int, tuple]:
    plen = route.dst.prefixlen
    return int(route.dst.network_address), (KEYLENGTH - plen, route.table, route)


def build(routes: list) -> Node:
    """A trie with `routes` inserted in this order."""
    root = _new_trie()
    for route in routes:
        _insert(root, *_alias(route))
    return root


def _delete(root: Node, route) -> None:
    """fib_table_delete() -> fib_remove_alias(): the alias goes; a leaf left empty
    leaves its parent, which is rebalanced up to the root."""
    key = int(route.dst.network_address)
    tp, leaf = _find(root, key)
    if leaf is None:
        return
    leaf.aliases = [a for a in leaf.aliases if a[2] is not route]
    if not leaf.aliases:
        _put_child_root(tp, key, None)
        _rebalance(tp)


def _replace_alias(root: Node, old, new) -> None:
    """fib_table_insert(NLM_F_REPLACE): the new alias takes the old one's place."""
    _, leaf = _find(root, int(old.dst.network_address))
    if leaf is not None:
        leaf.aliases = [(s, t, new if r is old else r) for s, t, r in leaf.aliases]


def _flush_walk(root: Node, keep) -> None:
    """fib_table_flush() / fib_table_flush_external(): the trie walked in reverse,
    each leaf's aliases that `keep` refuses removed (an emptied leaf leaves its
    parent), each tnode resized once its children are done."""
    pn, cindex = root, 1
    while True:
        if cindex == 0:
            if pn.is_trie:
                return
            pkey = pn.key
            pn = _resize(pn)
            cindex = _index(pkey, pn)
            continue
        cindex -= 1
        n = pn.children[cindex]
        if n is None:
            continue
        if not n.is_leaf:
            pn, cindex = n, len(n.children)
            continue
        n.aliases = [a for a in n.aliases if keep(a)]
        if not n.aliases:
            _put_child_root(pn, n.key, None)


def _leaves(n: Node):
    """leaf_walk_rcu() from key 0: the leaves by key."""
    for child in n.children:
        if child is None:
            continue
        if child.is_leaf:
            yield child
        else:
            yield from _leaves(child)


def _unmerge(merged: Node) -> Node:
    """fib_trie_unmerge(): a new trie for local, each local alias of the shared one
    inserted into it leaf by leaf in key order (fib_insert_alias() with no fa: after
    the leaf's others)."""
    root = _new_trie()
    for leaf in list(_leaves(merged)):
        for alias in leaf.aliases:
            if alias[1] != TABLE_LOCAL:
                continue
            _, found = _find(root, leaf.key)
            if found is not None:
                found.aliases.append(alias)
            else:
                _insert(root, leaf.key, alias)
    return root


def _replay(root: Node, log: list, start: int, end: int) -> Node:
    """What FibTable.trie_log[start:end] did to the trie, done to `root`."""
    for op in log[start:end]:
        if type(op) is not tuple:
            _insert(root, *_alias(op))
            continue
        kind = op[0]
        if kind == "del":
            _delete(root, op[1])
        elif kind == "rep":
            _replace_alias(root, op[1], op[2])
        elif kind == "flush":
            doomed = {id(r) for r in op[1]}
            _flush_walk(root, lambda a: id(a[2]) not in doomed)
        elif kind == "flush_external":
            tb_id = op[1]
            _flush_walk(root, lambda a: a[1] == tb_id)
        elif kind == "unmerge":
            root = _unmerge(_replay(_new_trie(), op[1], 0, op[2]))
    return root


def table_trie(table) -> Node:
    """The table's trie as its log made it: the trie kept from the last read, with
    what was logged since replayed on it."""
    log = table.trie_log
    cached = table.__dict__.get("_trie_cache")
    if cached is not None and cached[0] is log and cached[1] <= len(log):
        _, done, root = cached
    else:
        done, root = 0, _new_trie()
    if done < len(log):
        root = _replay(root, log, done, len(log))
    table._trie_cache = (log, len(log), root)
    return root


def _dotted(key: int) -> str:
    return ".".join(str(key >> s & 0xFF) for s in (24, 16, 8, 0))


def _show(root: Node, out: list[str]) -> None:
    """fib_trie_seq_show() over fib_trie_get_next(): a tnode at depth d is indented
    d-1 steps, a leaf as deep as its parent, its aliases one step more."""
    def walk(n: Node, depth: int) -> None:
        for child in n.children:
            if child is None:
                continue
            if child.is_leaf:
                out.append(f"{'   ' * depth}  |-- {_dotted(child.key)}\n")
                for slen, _, route in child.aliases:
                    scope = SCOPE_NAMES.get(int(route.scope), f"scope={int(route.scope)}")
                    kind = int(route.type)
                    kind = RTN_NAMES[kind] if kind < len(RTN_NAMES) else f"type {kind}"
                    tos = f" tos={route.tos}" if route.tos else ""
                    out.append(f"{'   ' * (depth + 1)}  /{KEYLENGTH - slen} {scope} "
                               f"{kind}{tos}\n")
            else:
                out.append(f"{'   ' * depth}  +-- {_dotted(child.key)}/"
                           f"{KEYLENGTH - child.pos - child.bits} {child.bits} "
                           f"{child.full} {child.empty}\n")
                walk(child, depth + 1)
    walk(root, 0)


# fib_triestat_seq_show()'s sizes on x86-64: LEAF_SIZE, TNODE_SIZE(0), and what
# trie_show_stats() adds per prefix (sizeof(struct fib_alias)) and per pointer
LEAF_SIZE, TNODE_SIZE, FIB_ALIAS_SIZE, POINTER_SIZE = 48, 40, 56, 8
MAX_STAT_DEPTH = 32


def _stats(root: Node) -> str:
    """trie_collect_stats() then trie_show_stats(): a leaf's depth is the tnodes above
    it, each tnode counts by its bits, its empty children are null pointers."""
    leaves = totdepth = maxdepth = prefixes = tnodes = nullpointers = 0
    sizes = [0] * MAX_STAT_DEPTH

    def walk(n: Node, depth: int) -> None:
        nonlocal leaves, totdepth, maxdepth, prefixes, tnodes, nullpointers
        for child in n.children:
            if child is None:
                continue
            if child.is_leaf:
                leaves += 1
                totdepth += depth
                maxdepth = max(maxdepth, depth)
                prefixes += len(child.aliases)
            else:
                tnodes += 1
                if child.bits < MAX_STAT_DEPTH:
                    sizes[child.bits] += 1
                nullpointers += child.empty
                walk(child, depth + 1)
    walk(root, 0)
    avdepth = totdepth * 100 // leaves if leaves else 0
    out = [f"\tAver depth:     {avdepth // 100}.{avdepth % 100:02d}\n",
           f"\tMax depth:      {maxdepth}\n", f"\tLeaves:         {leaves}\n",
           f"\tPrefixes:       {prefixes}\n", f"\tInternal nodes: {tnodes}\n\t"]
    pointers = 0
    top = max((i + 1 for i, n in enumerate(sizes) if n), default=0)
    for i in range(1, top):
        if sizes[i]:
            out.append(f"  {i}: {sizes[i]}")
            pointers += (1 << i) * sizes[i]
    size = LEAF_SIZE * leaves + FIB_ALIAS_SIZE * prefixes + TNODE_SIZE * tnodes + \
        POINTER_SIZE * pointers
    out.append(f"\n\tPointers: {pointers}\nNull ptrs: {nullpointers}\n"
               f"Total size: {(size + 1023) // 1024}  kB\n")
    return "".join(out)


def _tables(ns, empty: bool = False) -> list[tuple[str, Node]]:
    """The IPv4 tables in fib_table_hash order (bucket id & 255, the newest table of a
    bucket first), each with its trie and the name fib_table_print() gives it; local
    shares main's trie until the first rule splits them (fib_unmerge()). A table
    exists from its first route on (fib_new_table()); `empty`: one whose trie is
    empty is listed too (fib_triestat lists it, fib_trie prints nothing of it)."""
    tables = [(tid, t) for (family, tid), t in ns.tables.items() if family == 4]
    order = sorted(range(len(tables)), key=lambda i: (tables[i][0] & 0xFF, -i))
    main = ns.tables.get((4, TABLE_MAIN))
    out = []
    for i in order:
        tid, table = tables[i]
        if tid == TABLE_LOCAL and main is not None and table.trie_log is main.trie_log:
            table = main                # fib_trie_table(RT_TABLE_LOCAL, main)
        root = table_trie(table)
        if root.children[0] is None and not empty:
            continue
        out.append(({TABLE_LOCAL: "Local", TABLE_MAIN: "Main"}.get(tid, f"Id {tid}"), root))
    return out


def proc_fib_triestat(ns) -> str:
    """fib_triestat_seq_show(): the sizes, then each table's trie_show_stats()."""
    return (f"Basic info: size of leaf: {LEAF_SIZE} bytes, size of tnode: {TNODE_SIZE} "
            "bytes.\n" + "".join(f"{name}:\n" + _stats(root)
                                  for name, root in _tables(ns, empty=True)))


def proc_fib_trie(ns) -> str:
    """fib_trie_seq_show(): each table (_tables()) as its trie."""
    out: list[str] = []
    for name, root in _tables(ns):
        out.append(f"{name}:\n")
        _show(root, out)
    return "".join(out)
