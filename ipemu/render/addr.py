"""`ip address` lines (iproute2 ipaddress.c print_addrinfo), text and JSON."""
from __future__ import annotations

from ipemu.kernel.addr import Ifa4, Ifa6
from ipemu.kernel.netdev import NetDevice
from ipemu.render.printer import Printer
from ipemu.render.names import scope_name

INFINITY_LIFE_TIME = 0xFFFFFFFF


DEFAULT_FLAG_ORDER = ("secondary", "nodad", "optimistic", "dadfailed", "home", "deprecated",
                      "tentative", "noprefixroute")


def ifa_flag_names(ifa: Ifa4 | Ifa6, order=DEFAULT_FLAG_ORDER) -> list[str]:
    """print_ifa_flags(): the address's flags in the tool version's order."""
    have = set()
    if isinstance(ifa, Ifa4):
        have |= {"secondary"} if ifa.secondary else set()
    else:
        have |= {name for name in ("nodad", "dadfailed", "tentative") if getattr(ifa, name)}
    if ifa.noprefixroute:
        have.add("noprefixroute")
    return [name for name in order if name in have]


def print_addr(p: Printer, dev: NetDevice, ifa: Ifa4 | Ifa6, *, brief: bool,
               oneline: bool, flag_order=DEFAULT_FLAG_ORDER) -> None:
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
    for name in ifa_flag_names(ifa, flag_order):
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
