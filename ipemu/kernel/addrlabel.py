"""IPv6 address labels (net/ipv6/addrlabel.c): the per-namespace table `ip addrlabel`
lists and changes; its order is __ip6addrlbl_add()'s."""
from __future__ import annotations

import ipaddress

from ipemu.kernel.errors import Errno, KernelError

# ip6addrlbl_init_table[], in the order ip6addrlbl_net_init() adds them
_INIT_TABLE = (("::", 0, 1), ("fc00::", 7, 5), ("fec0::", 10, 11), ("2002::", 16, 2),
               ("3ffe::", 16, 12), ("2001::", 32, 6), ("2001:10::", 28, 7),
               ("::ffff:0:0", 96, 4), ("::", 96, 3), ("::1", 128, 0))
_MAPPED = int(ipaddress.IPv6Address("::ffff:0:0"))
IPV6_ADDR_LABEL_DEFAULT = 0xFFFFFFFF


def _masked(prefix: int, prefixlen: int) -> int:
    """ipv6_addr_prefix()."""
    mask = ((1 << 128) - 1) ^ ((1 << (128 - prefixlen)) - 1)
    return prefix & mask


def _insert(table: list, entry: tuple, replace: bool) -> None:
    """__ip6addrlbl_add(): before the first entry with a shorter prefix, or with an
    equal one bound to no device; an equal entry is EEXIST unless replacing."""
    prefix, prefixlen, ifindex, _label = entry
    for i, (p, plen, index, _) in enumerate(table):
        if plen == prefixlen and index == ifindex and p == prefix:
            if not replace:
                raise KernelError(Errno.EEXIST)
            table[i] = entry
            return
        if (plen == prefixlen and not index) or plen < prefixlen:
            table.insert(i, entry)
            return
    table.append(entry)


def addrlabel_table(ns) -> list:
    """The namespace's table, built from ip6addrlbl_init_table[] on first use."""
    if ns.addrlabels is None:
        table: list = []
        for text, plen, label in _INIT_TABLE:
            _insert(table, (int(ipaddress.IPv6Address(text)), plen, 0, label), False)
        ns.addrlabels = table
    return ns.addrlabels


def addrlabel_add(ns, prefix: int, prefixlen: int, ifindex: int, label: int,
                  replace: bool = False) -> None:
    """ip6addrlbl_newdel(RTM_NEWADDRLABEL) -> ip6addrlbl_add()."""
    if prefixlen > 128 or label == IPV6_ADDR_LABEL_DEFAULT:
        raise KernelError(Errno.EINVAL)
    if ifindex and ifindex not in ns.devices:
        raise KernelError(Errno.EINVAL)
    # ip6addrlbl_alloc(): an IPv4-mapped prefix longer than /96 is refused
    if prefix >> 32 == _MAPPED >> 32 and prefixlen > 96:
        raise KernelError(Errno.EINVAL)
    _insert(addrlabel_table(ns), (_masked(prefix, prefixlen), prefixlen, ifindex, label),
            replace)


def addrlabel_del(ns, prefix: int, prefixlen: int, ifindex: int) -> None:
    """ip6addrlbl_del(): the entry of that prefix and device (its label is not
    compared), ESRCH when there is none."""
    if prefixlen > 128:
        raise KernelError(Errno.EINVAL)
    table = addrlabel_table(ns)
    key = (_masked(prefix, prefixlen), prefixlen, ifindex)
    for i, entry in enumerate(table):
        if entry[:3] == key:
            del table[i]
            return
    raise KernelError(Errno.ESRCH)
