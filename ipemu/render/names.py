"""Numbers to the names iproute2 prints (and back): scopes, route types, protocols,
tables, as in /etc/iproute2/rt_* and lib/rt_names.c."""
from __future__ import annotations

SCOPES = {0: "global", 255: "nowhere", 254: "host", 253: "link", 200: "site"}
RTN_TYPES = {0: "none", 1: "unicast", 2: "local", 3: "broadcast", 4: "anycast",
             5: "multicast", 6: "blackhole", 7: "unreachable", 8: "prohibit", 9: "throw",
             10: "nat", 11: "xresolve"}
PROTOCOLS = {0: "unspec", 1: "redirect", 2: "kernel", 3: "boot", 4: "static", 8: "gated",
             9: "ra", 10: "mrt", 11: "zebra", 12: "bird", 13: "dnrouted", 14: "xorp",
             15: "ntk", 16: "dhcp", 18: "keepalived", 42: "babel", 99: "openr", 186: "bgp",
             187: "isis", 188: "ospf", 189: "rip", 192: "eigrp"}
TABLES = {255: "local", 254: "main", 253: "default", 0: "unspec"}


def _n2a(table: dict[int, str], value: int) -> str:
    return table.get(value, str(value))


def scope_name(value: int) -> str:
    return _n2a(SCOPES, value)


def rtn_type_name(value: int) -> str:
    return _n2a(RTN_TYPES, value)


def proto_name(value: int) -> str:
    return _n2a(PROTOCOLS, value)


def table_name(value: int) -> str:
    return _n2a(TABLES, value)


def _a2n(table: dict[int, str], text: str, limit: int) -> int | None:
    for number, name in table.items():
        if name == text:
            return number
    from ipemu.tools.ipargs import get_unsigned
    value = get_unsigned(text)
    if value is None or value > limit:
        return None
    return value


def scope_a2n(text: str) -> int | None:
    return _a2n(SCOPES, text, 255)


def proto_a2n(text: str) -> int | None:
    return _a2n(PROTOCOLS, text, 255)


def table_a2n(text: str) -> int | None:
    return _a2n(TABLES, text, 0xFFFFFFFF)


def rtn_type_a2n(text: str) -> int | None:
    for number, name in RTN_TYPES.items():
        if name == text and number:
            return number
    return None
