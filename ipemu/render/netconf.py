"""`ip netconf` / `ip monitor netconf` lines (iproute2 ip/ipnetconf.c print_netconf)."""
from __future__ import annotations

from ipemu.kernel.records import NetconfMsg
from ipemu.render.printer import Printer

RP_FILTER_NAMES = ("off", "strict", "loose")
NETCONFA_IFINDEX_ALL = -1
NETCONFA_IFINDEX_DEFAULT = -2


def _on_off(p: Printer, key: str, value: int | None) -> None:
    if value is not None:
        # print_on_off() (lib/json_print.c): "on"/"off" in text, a boolean in JSON
        p.fp(f"{key} %s ", "on" if value else "off")
        p.js(key, bool(value))


def print_netconf(p: Printer, msg: NetconfMsg, ifname: str, deleted: bool = False) -> None:
    p.open_object()
    if deleted:
        p.any("deleted", "Deleted ", True)
    p.any("family", "%s ", "inet" if msg.family == 4 else "inet6")
    dev = {NETCONFA_IFINDEX_ALL: "all", NETCONFA_IFINDEX_DEFAULT: "default"}.get(
        msg.ifindex, ifname)
    p.color_any("ifname", "interface", "%s ", dev)
    _on_off(p, "forwarding", msg.forwarding)
    if msg.rp_filter is not None:
        if msg.rp_filter < len(RP_FILTER_NAMES):
            p.any("rp_filter", "rp_filter %s ", RP_FILTER_NAMES[msg.rp_filter])
        else:
            p.any("rp_filter", "rp_filter %u ", msg.rp_filter)
    _on_off(p, "mc_forwarding", msg.mc_forwarding)
    _on_off(p, "proxy_neigh", msg.proxy_neigh)
    _on_off(p, "ignore_routes_with_linkdown", msg.ignore_routes_with_linkdown)
    p.close_object()
    p.fp("\n")
