"""The MPTCP in-kernel path manager's per-namespace endpoints and limits
(net/mptcp/pm_netlink.c, struct pm_nl_pernet), as the mptcp_pm genetlink family's
ADD_ADDR/DEL_ADDR/FLUSH_ADDRS/SET_LIMITS/GET_LIMITS change and dump them. No MPTCP
connection is made here, so endpoints only sit in the list."""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.plainclass import dataclass, field

MPTCP_PM_ADDR_FLAG_SIGNAL = 1 << 0
MPTCP_PM_ADDR_FLAG_SUBFLOW = 1 << 1
MPTCP_PM_ADDR_FLAG_BACKUP = 1 << 2
MPTCP_PM_ADDR_FLAG_FULLMESH = 1 << 3
MPTCP_PM_ADDR_MAX = 8           # the most endpoints and the highest limit
MPTCP_PM_MAX_ADDR_ID = 255


@dataclass
class MptcpEndpoint:
    """struct mptcp_pm_addr_entry: the address (an ipaddress object), its id, port,
    flags and device index (0: none)."""

    addr: object
    id: int
    port: int = 0
    flags: int = 0
    ifindex: int = 0


@dataclass
class PmNlPernet:
    """struct pm_nl_pernet as mptcp_pm_nl_init_net() leaves it: no endpoint,
    subflows_max 2, add_addr_accept_max 0, next_id 1."""

    endpoints: list = field(default_factory=list)
    add_addr_accept_max: int = 0
    subflows_max: int = 2
    next_id: int = 1


def pernet(ns) -> PmNlPernet:
    """pm_nl_get_pernet(): made on first use."""
    if ns.mptcp_pm is None:
        ns.mptcp_pm = PmNlPernet()
    return ns.mptcp_pm


def append_new_local_addr(ns, entry: MptcpEndpoint) -> int:
    """mptcp_pm_nl_append_new_local_addr(): ERANGE past MPTCP_PM_ADDR_MAX endpoints,
    EBUSY for an id in use, EEXIST for an address (and port) already there; else the
    lowest free id from next_id on (wrapping to 1 once), added at the tail. Returns
    the id."""
    pm = pernet(ns)
    if pm.next_id == MPTCP_PM_MAX_ADDR_ID:
        pm.next_id = 1
    if len(pm.endpoints) >= MPTCP_PM_ADDR_MAX:
        raise KernelError(Errno.ERANGE)
    used = {e.id for e in pm.endpoints}
    if entry.id and entry.id in used:
        raise KernelError(Errno.EBUSY)
    for cur in pm.endpoints:
        same_port = cur.port == entry.port if (cur.port or entry.port) else True
        if cur.addr == entry.addr and same_port:
            raise KernelError(Errno.EEXIST)
    if not entry.id:
        free = [i for i in range(pm.next_id, MPTCP_PM_MAX_ADDR_ID + 1) if i not in used]
        if not free and pm.next_id != 1:
            pm.next_id = 1
            free = [i for i in range(1, MPTCP_PM_MAX_ADDR_ID + 1) if i not in used]
        if not free:
            raise KernelError(Errno.EINVAL)
        entry.id = free[0]
    pm.next_id = max(pm.next_id, entry.id)
    pm.endpoints.append(entry)      # list_add_tail_rcu(): a port makes no difference
    return entry.id


def dump_addrs(ns) -> list:
    """mptcp_pm_nl_dump_addr(): the endpoints by id, as the walk over id_bitmap finds
    them (the list keeps them in the order they came: recorded, pm_netlink.sh's
    "set ids" and "wrap-around ids", scripts40_pm_netlink)."""
    return sorted(pernet(ns).endpoints, key=lambda e: e.id)


def add_addr(ns, entry: MptcpEndpoint) -> int:
    """mptcp_pm_nl_add_addr_doit(): a failed append comes back with its errno in the
    extack message."""
    try:
        return append_new_local_addr(ns, entry)
    except KernelError as err:
        raise KernelError(err.errno, "too many addresses or duplicate one: "
                          f"-{int(err.errno)}") from None


def del_addr(ns, ident: int) -> None:
    """mptcp_pm_nl_del_addr_doit() for an id other than 0: EINVAL ("address not
    found") for an id no endpoint has."""
    pm = pernet(ns)
    for i, entry in enumerate(pm.endpoints):
        if entry.id == ident:
            del pm.endpoints[i]
            return
    raise KernelError(Errno.EINVAL, "address not found")


def set_flags(ns, ident: int, addr, port: int, flags: int) -> None:
    """mptcp_pm_nl_set_flags_doit(): the endpoint by id (by address and port without
    one); backup and fullmesh are set to what was asked, and fullmesh on a signal
    endpoint is refused ("invalid addr flags")."""
    pm = pernet(ns)
    if ident:
        entry = next((e for e in pm.endpoints if e.id == ident), None)
    else:
        entry = next((e for e in pm.endpoints if e.addr == addr and e.port == port), None)
    if entry is None:
        raise KernelError(Errno.EINVAL, "address not found")
    if flags & MPTCP_PM_ADDR_FLAG_FULLMESH and entry.flags & MPTCP_PM_ADDR_FLAG_SIGNAL:
        raise KernelError(Errno.EINVAL, "invalid addr flags")
    mask = MPTCP_PM_ADDR_FLAG_BACKUP | MPTCP_PM_ADDR_FLAG_FULLMESH
    entry.flags = (entry.flags & ~mask) | (flags & mask)


def flush_addrs(ns) -> None:
    """mptcp_pm_nl_flush_addrs_doit(): every endpoint goes and ids start at 1 again."""
    pm = pernet(ns)
    pm.endpoints = []
    pm.next_id = 1


def set_limits(ns, subflows: int | None, add_addr_accepted: int | None) -> None:
    """mptcp_pm_nl_set_limits_doit(): parse_limit() refuses a value above
    MPTCP_PM_ADDR_MAX; an attribute not given keeps its value."""
    pm = pernet(ns)
    for value in (add_addr_accepted, subflows):
        if value is not None and value > MPTCP_PM_ADDR_MAX:
            raise KernelError(Errno.EINVAL,
                              f"limit greater than maximum ({MPTCP_PM_ADDR_MAX})")
    if add_addr_accepted is not None:
        pm.add_addr_accept_max = add_addr_accepted
    if subflows is not None:
        pm.subflows_max = subflows
