"""The generic netlink controller (net/netlink/genetlink.c): the families a namespace
other than the initial one sees, as CTRL_CMD_GETFAMILY answers them.

ctrl_dumpfamily() and ctrl_getfamily() skip families without netnsok outside init_net,
so a recording namespace lists only these, in family id order (recorded with
`genl ctrl list` on the oracle's 6.18 kernel; ops of version-1 families carry flags
genl does not print, kept as 0 here)."""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.plainclass import dataclass

GENL_ID_CTRL = 0x10
# genetlink.h GENL_ADMIN_PERM, GENL_CMD_CAP_DO, _DUMP, _HASPOL
GENL_ADMIN_PERM = 0x01
GENL_CMD_CAP_DO = 0x02
GENL_CMD_CAP_DUMP = 0x04
GENL_CMD_CAP_HASPOL = 0x08


@dataclass(frozen=True)
class Family:
    """A registered family: CTRL_ATTR_FAMILY_NAME/_ID, VERSION, HDRSIZE, MAXATTR, the
    ops (CTRL_ATTR_OP_ID, CTRL_ATTR_OP_FLAGS) and the multicast groups (id, name)."""

    name: str
    id: int
    version: int
    hdrsize: int
    maxattr: int
    ops: tuple
    groups: tuple


def _ops(*ids: int) -> tuple:
    return tuple((op, 0) for op in ids)


FAMILIES = (
    # genl_ctrl: CTRL_CMD_GETFAMILY (do, dump, policy), CTRL_CMD_GETPOLICY (dump, policy)
    Family("nlctrl", GENL_ID_CTRL, 2, 0, 0, ((3, 0xe), (10, 0xc)), ((0x10, "notify"),)),
    Family("netdev", 0x14, 1, 0, 0, _ops(1, 5, 10, 11, 12, 13, 14, 15),
           ((4, "mgmt"), (5, "page-pool"))),
    Family("ethtool", 0x15, 1, 0, 0, _ops(*range(1, 51)), ((6, "monitor"),)),
    Family("tcp_metrics", 0x1b, 1, 0, 13, _ops(1, 2), ()),
    Family("mptcp_pm", 0x1c, 1, 0, 0, _ops(*range(1, 12)),
           ((8, "mptcp_pm_cmds"), (9, "mptcp_pm_events"))),
    Family("SEG6", 0x1d, 1, 0, 7, _ops(1, 2, 3, 4), ()),
    Family("IOAM6", 0x1e, 1, 0, 0, _ops(*range(1, 8)), ((10, "ioam6_events"),)),
    Family("TASKSTATS", 0x1f, 1, 0, 0, _ops(1, 4), ()),
)


def ctrl_dumpfamily() -> tuple:
    """ctrl_dumpfamily(): every family the namespace may see, by id."""
    return FAMILIES


def ctrl_getfamily(name: str | None = None, family_id: int | None = None) -> Family:
    """ctrl_getfamily(): the family by CTRL_ATTR_FAMILY_ID or _NAME; -ENOENT when
    there is none (or it is not netnsok)."""
    for family in FAMILIES:
        if (family_id is not None and family.id == family_id) or \
                (family_id is None and family.name == name):
            return family
    raise KernelError(Errno.ENOENT)
