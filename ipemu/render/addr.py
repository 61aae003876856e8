"""`ip address` lines (iproute2 ipaddress.c print_addrinfo), text and JSON."""
from __future__ import annotations

from ipemu.kernel.addr import Ifa4, Ifa6
from ipemu.kernel.netdev import NetDevice
from ipemu.render.printer import Printer
from ipemu.render.names import scope_name

INFINITY_LIFE_TIME = 0xFFFFFFFF


def ifa_flag_names(ifa: Ifa4 | Ifa6) -> list[str]:
    """print_ifa_flags(), in iproute2's table order."""
    names = []
    if isinstance(ifa, Ifa4):
        if ifa.secondary:
            names.append("secondary")
        if ifa.noprefixroute:
            names.append("noprefixroute")
        return names
    if ifa.nodad:
        names.append("nodad")
    if ifa.dadfailed:
        names.append("dadfailed")
    if ifa.tentative:
        names.append("tentative")
    if ifa.noprefixroute:
        names.append("noprefixroute")
    return names


def print_addr(p: Printer, dev: NetDevice, ifa: Ifa4 | Ifa6, *, brief: bool,
               oneline: bool) -> None:
    family = "inet" if ifa.family == 4 else "inet6"
    if not brief:
        if oneline:
            p.fp("%u: %s", dev.ifindex, dev.name)
        p.any("family", "    %s ", family)
    peer = ifa.address if isinstance(ifa, Ifa4) and ifa.has_peer else \
        (ifa.peer if isinstance(ifa, Ifa6) else None)
    p.any("local", "%s", str(ifa.local))
    if peer is not None:
        p.fp(" %s ", "peer")
        p.any("address", "%s", str(peer))
    p.any("prefixlen", "/%d ", ifa.prefixlen)
    if ifa.metric:
        p.any("metric", "metric %u ", ifa.metric)
    if brief:
        return
    if isinstance(ifa, Ifa4) and ifa.broadcast is not None:
        p.fp("%s ", "brd")
        p.any("broadcast", "%s ", str(ifa.broadcast))
    p.any("scope", "scope %s ", scope_name(ifa.scope))
    for name in ifa_flag_names(ifa):
        p.fp("%s ", name)
        p.js(name, True)
    if isinstance(ifa, Ifa4):
        p.any("label", "%s", ifa.label)
    p.nl()
    p.fp("       valid_lft ")
    p.js("valid_life_time", INFINITY_LIFE_TIME)
    p.fp("forever")
    p.fp(" preferred_lft ")
    p.js("preferred_life_time", INFINITY_LIFE_TIME)
    p.fp("forever")
    p.fp("\n")
