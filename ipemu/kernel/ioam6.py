"""IOAM namespaces and schemas of a network namespace (net/ipv6/ioam6.c, the IOAM6
genetlink family): ADD/DEL_NAMESPACE, ADD/DEL_SCHEMA, NS_SET_SCHEMA and their dumps.
The kernel keeps both in rhashtables; a dump walks them in hash order (random per
boot), here in the order they were added."""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.plainclass import dataclass, field

IOAM6_U32_UNAVAILABLE = 0xFFFFFFFF      # no data given (ioam6.h)
IOAM6_U64_UNAVAILABLE = 0xFFFFFFFFFFFFFFFF


@dataclass
class Ioam6Pernet:
    """struct ioam6_pernet_data: namespaces as [id, data, data_wide, schema id or
    None] and schemas as [id, data bytes (padded to 4), namespace id or None]."""

    namespaces: list = field(default_factory=list)
    schemas: list = field(default_factory=list)


def _pernet(ns) -> Ioam6Pernet:
    if ns.ioam6 is None:
        ns.ioam6 = Ioam6Pernet()
    return ns.ioam6


def _find(rows: list, key: int):
    return next((row for row in rows if row[0] == key), None)


def add_namespace(ns, ns_id: int, data: int | None, wide: int | None) -> None:
    """ioam6_genl_addns(): EEXIST for an id there already; data not given is
    IOAM6_U32/U64_UNAVAILABLE."""
    p = _pernet(ns)
    if _find(p.namespaces, ns_id) is not None:
        raise KernelError(Errno.EEXIST)
    p.namespaces.append([ns_id, IOAM6_U32_UNAVAILABLE if data is None else data,
                         IOAM6_U64_UNAVAILABLE if wide is None else wide, None])


def del_namespace(ns, ns_id: int) -> None:
    """ioam6_genl_delns(): its schema, if any, is unlinked."""
    p = _pernet(ns)
    row = _find(p.namespaces, ns_id)
    if row is None:
        raise KernelError(Errno.ENOENT)
    if row[3] is not None:
        _find(p.schemas, row[3])[2] = None
    p.namespaces.remove(row)


def add_schema(ns, sc_id: int, data: bytes) -> None:
    """ioam6_genl_addsc(): the data kept padded to a multiple of 4 bytes."""
    p = _pernet(ns)
    if _find(p.schemas, sc_id) is not None:
        raise KernelError(Errno.EEXIST)
    p.schemas.append([sc_id, data + bytes(-len(data) % 4), None])


def del_schema(ns, sc_id: int) -> None:
    """ioam6_genl_delsc(): its namespace, if any, loses it."""
    p = _pernet(ns)
    row = _find(p.schemas, sc_id)
    if row is None:
        raise KernelError(Errno.ENOENT)
    if row[2] is not None:
        _find(p.namespaces, row[2])[3] = None
    p.schemas.remove(row)


def ns_set_schema(ns, ns_id: int, sc_id: int | None) -> None:
    """ioam6_genl_ns_set_schema(): the schema (None: none) and the namespace must be
    there; each side's old link goes (a schema belongs to one namespace at a time)."""
    p = _pernet(ns)
    sc = _find(p.schemas, sc_id) if sc_id is not None else None
    if sc_id is not None and sc is None:
        raise KernelError(Errno.ENOENT)
    row = _find(p.namespaces, ns_id)
    if row is None:
        raise KernelError(Errno.ENOENT)
    if row[3] is not None:
        _find(p.schemas, row[3])[2] = None
    if sc is not None and sc[2] is not None:
        _find(p.namespaces, sc[2])[3] = None
    row[3] = sc_id
    if sc is not None:
        sc[2] = ns_id


def dump_namespaces(ns) -> list[tuple]:
    """IOAM6_CMD_DUMP_NAMESPACES: (id, data or None, wide or None, schema or None)."""
    return [(i, None if d == IOAM6_U32_UNAVAILABLE else d,
             None if w == IOAM6_U64_UNAVAILABLE else w, sc)
            for i, d, w, sc in _pernet(ns).namespaces]


def dump_schemas(ns) -> list[tuple]:
    """IOAM6_CMD_DUMP_SCHEMAS: (id, data, namespace or None)."""
    return [tuple(row) for row in _pernet(ns).schemas]
