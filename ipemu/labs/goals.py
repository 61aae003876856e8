"""Goals: sentences a teacher writes, checked against the kernel's records (LinkMsg,
AddrMsg, RouteMsg, NeighMsg, sysctls) and what crossed the wire (wire.py), never
against what the learner typed.

Each goal is one sentence, optionally placed in a namespace with `in NS:` (`host` is
the initial namespace and the default; `in any namespace:` holds when some namespace
satisfies it):

    namespace NAME exists               DEV exists
    DEV is up  /  DEV is down           DEV has carrier
    DEV is a veth|bridge|vlan|dummy     DEV is a port of BRIDGE
    DEV is vlan ID on PARENT            DEV has ADDR/LEN  /  DEV does not have ADDR/LEN
    route to PREFIX|default [via GATEWAY] [dev DEV]
    neighbour ADDR on DEV is reachable  sysctl KEY = VALUE
    ping from NS to ADDR succeeded [via DEV]
    ARP request for ADDR seen on DEV
"""
from __future__ import annotations

import ipaddress
import re

from ipemu.kernel.fib import RTN, TABLE_MAIN
from ipemu.kernel.neigh import NUD_VALID, Nud
from ipemu.kernel.netdev import IFF
from ipemu.kernel.records import neigh_msg
from ipemu.plainclass import dataclass, field

HOST = "host"            # the initial namespace, as goals name it
ANY = "any namespace"

_NAME = r"(?P<{}>[^\s:]+)"
_ADDR = r"(?P<{}>[0-9A-Fa-f.:]+(?:%\S+)?)"


def _p(text: str) -> re.Pattern:
    """A sentence with NAME<x>/ADDR<x> slots."""
    text = re.sub(r"NAME<(\w+)>", lambda m: _NAME.format(m.group(1)), text)
    text = re.sub(r"ADDR<(\w+)>", lambda m: _ADDR.format(m.group(1)), text)
    return re.compile(text)


SENTENCES: list[tuple[str, re.Pattern]] = [
    ("namespace", _p(r"namespace NAME<name> exists")),
    ("ping", _p(r"ping from NAME<src> to ADDR<addr> succeeded(?: via NAME<dev>)?")),
    ("arp", _p(r"ARP request for ADDR<addr> seen on NAME<dev>")),
    ("route", _p(r"route to (?P<prefix>default|[0-9A-Fa-f.:]+/\d+)(?: via ADDR<via>)?"
                 r"(?: dev NAME<dev>)?")),
    ("neigh", _p(r"neighbour ADDR<addr> on NAME<dev> is reachable")),
    ("sysctl", _p(r"sysctl (?P<key>[\w.\-/]+) = (?P<value>\S+)")),
    ("exists", _p(r"NAME<dev> exists")),
    ("up", _p(r"NAME<dev> is up")),
    ("down", _p(r"NAME<dev> is down")),
    ("carrier", _p(r"NAME<dev> has carrier")),
    ("port", _p(r"NAME<dev> is a port of NAME<master>")),
    ("kind", _p(r"NAME<dev> is an? (?P<kind>veth|bridge|vlan|dummy)")),
    ("vlan", _p(r"NAME<dev> is vlan (?P<vid>\d+) on NAME<parent>")),
    ("address", _p(r"NAME<dev> has ADDR<addr>/(?P<plen>\d+)")),
    ("no_address", _p(r"NAME<dev> does not have ADDR<addr>/(?P<plen>\d+)")),
]
_PLACE = re.compile(r"in (?P<ns>any namespace|[^\s:]+): (?P<rest>.*)")


class GoalError(ValueError):
    """A sentence the vocabulary does not have."""


@dataclass
class Goal:
    """One goal: its sentence, what it checks, and the hints for it, in order."""

    text: str
    kind: str
    ns: str
    args: dict[str, str]
    hints: list[str] = field(default_factory=list)


def parse_goal(text: str, hints: list[str] | None = None) -> Goal:
    sentence = " ".join(text.split())
    ns = HOST
    placed = _PLACE.fullmatch(sentence)
    if placed:
        ns, sentence = placed["ns"], placed["rest"]
    for kind, pattern in SENTENCES:
        m = pattern.fullmatch(sentence)
        if m is None:
            continue
        args = {k: v for k, v in m.groupdict().items() if v is not None}
        try:
            for key in ("addr", "via"):
                if key in args:
                    _ip(args[key])
        except ValueError:
            raise GoalError(f"not an address in goal: {text}") from None
        if kind == "ping":
            ns = args.pop("src")
        return Goal(" ".join(text.split()), kind, ns, args, list(hints or []))
    raise GoalError(f"unknown goal: {text}")


def _ip(text: str):
    return ipaddress.ip_address(text.split("%", 1)[0])


# ------------------------------------------------------------------- checking
def namespaces_of(host, goal: Goal) -> list[tuple[str, object]]:
    """The namespaces a goal looks in: (name as goals say it, namespace)."""
    if goal.ns == ANY:
        return [(name or HOST, ns) for name, ns in host.namespaces.items()]
    ns = host.namespaces.get("" if goal.ns == HOST else goal.ns)
    return [] if ns is None else [(goal.ns, ns)]


def met(goal: Goal, host, watch) -> bool:
    """Whether the host's state (and the wire's history) satisfies the goal."""
    if goal.kind == "namespace":
        return _key(goal.args["name"]) in host.namespaces
    check = CHECKS[goal.kind]
    return any(check(ns, goal.args, watch, name) for name, ns in namespaces_of(host, goal))


def _link(ns, name: str):
    """The device's RTM_NEWLINK record, None when the namespace has no such device."""
    dev = ns.by_name(name)
    return None if dev is None else ns.link_msg(dev)


def _exists(ns, a, watch, name) -> bool:
    return ns.by_name(a["dev"]) is not None


def _up(ns, a, watch, name) -> bool:
    link = _link(ns, a["dev"])
    return link is not None and bool(link.flags & IFF.UP)


def _down(ns, a, watch, name) -> bool:
    link = _link(ns, a["dev"])
    return link is not None and not link.flags & IFF.UP


def _carrier(ns, a, watch, name) -> bool:
    link = _link(ns, a["dev"])
    return link is not None and bool(link.flags & IFF.LOWER_UP)


def _kind(ns, a, watch, name) -> bool:
    link = _link(ns, a["dev"])
    return link is not None and link.kind == a["kind"]


def _port(ns, a, watch, name) -> bool:
    link, master = _link(ns, a["dev"]), ns.by_name(a["master"])
    return link is not None and master is not None and link.master == master.ifindex


def _vlan(ns, a, watch, name) -> bool:
    link, parent = _link(ns, a["dev"]), ns.by_name(a["parent"])
    return (link is not None and parent is not None and link.kind == "vlan"
            and link.info_data.id == int(a["vid"]) and link.link == parent.ifindex)


def _addresses(ns, dev_name: str):
    dev = ns.by_name(dev_name)
    if dev is None:
        return None
    return [ns.addr_msg(dev, ifa) for ifa in ns.ifa4(dev) + ns.ifa6(dev)]


def _has(ns, a) -> bool | None:
    addrs = _addresses(ns, a["dev"])
    if addrs is None:
        return None
    want, plen = _ip(a["addr"]), int(a["plen"])
    return any(m.local == want and m.prefixlen == plen for m in addrs)


def _address(ns, a, watch, name) -> bool:
    return bool(_has(ns, a))


def _no_address(ns, a, watch, name) -> bool:
    return _has(ns, a) is False


def _route(ns, a, watch, name) -> bool:
    via = _ip(a["via"]) if "via" in a else None
    if a["prefix"] == "default":
        dst = ipaddress.ip_network("::/0" if via is not None and via.version == 6
                                   else "0.0.0.0/0")
    else:
        dst = ipaddress.ip_network(a["prefix"], strict=False)
    dev = ns.by_name(a["dev"]) if "dev" in a else None
    if "dev" in a and dev is None:
        return False
    table = ns.table(dst.version, TABLE_MAIN)
    for route in table.sorted_routes() if table is not None else []:
        msg = ns.route_msg(route)
        if msg.dst != dst or msg.type != RTN.UNICAST:
            continue
        if via is not None and msg.gateway != via:
            continue
        if dev is not None and msg.oif != dev.ifindex:
            continue
        return True
    return False


def _neigh(ns, a, watch, name) -> bool:
    dev = ns.by_name(a["dev"])
    stack = ns._stack       # no stack yet: no neighbour was ever looked up
    if dev is None or stack is None:
        return False
    addr = _ip(a["addr"])
    n = (stack.arp if addr.version == 4 else stack.nd).lookup(dev.ifindex, addr)
    if n is None:
        return False
    msg = neigh_msg(n)
    return bool(msg.state & NUD_VALID) and not msg.state & Nud.NOARP and msg.lladdr is not None


def _sysctl(ns, a, watch, name) -> bool:
    from ipemu.tools.sysctl import lookup
    return lookup(ns, a["key"].replace("/", ".")) == a["value"]


def _key(name: str) -> str:
    """The name the host keeps a namespace under ("" for the initial one)."""
    return "" if name == HOST else name


def _ping(ns, a, watch, name) -> bool:
    return watch.echo_reply(_key(name), _ip(a["addr"]), a.get("dev"))


def _arp(ns, a, watch, name) -> bool:
    return watch.arp_request(_key(name), a["dev"], _ip(a["addr"]))


CHECKS = {"exists": _exists, "up": _up, "down": _down, "carrier": _carrier, "kind": _kind,
          "port": _port, "vlan": _vlan, "address": _address, "no_address": _no_address,
          "route": _route, "neigh": _neigh, "sysctl": _sysctl, "ping": _ping, "arp": _arp}
