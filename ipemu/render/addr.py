"""`ip address` lines (iproute2 ipaddress.c print_addrinfo), text and JSON."""
from __future__ import annotations

from ipemu.kernel.records import IFA_F, INFINITY_LIFE_TIME, AddrMsg
from ipemu.render.names import format_host, scope_name
from ipemu.render.printer import Printer

DEFAULT_FLAG_ORDER = ("secondary", "nodad", "optimistic", "dadfailed", "home", "deprecated",
                      "tentative", "dynamic", "mngtmpaddr", "noprefixroute", "autojoin",
                      "stable-privacy")

# the names print_ifa_flags() gives the bits (`home` is IFA_F_HOMEADDRESS)
IFA_FLAG_NAMES = {"secondary": IFA_F.SECONDARY, "nodad": IFA_F.NODAD,
                  "optimistic": IFA_F.OPTIMISTIC, "dadfailed": IFA_F.DADFAILED,
                  "home": IFA_F.HOMEADDRESS, "deprecated": IFA_F.DEPRECATED,
                  "tentative": IFA_F.TENTATIVE, "noprefixroute": IFA_F.NOPREFIXROUTE,
                  "permanent": IFA_F.PERMANENT, "mngtmpaddr": IFA_F.MANAGETEMPADDR,
                  "autojoin": IFA_F.MCAUTOJOIN, "stable-privacy": IFA_F.STABLE_PRIVACY}
_IFA_BITS = {name: int(bit) for name, bit in IFA_FLAG_NAMES.items()}
_PERMANENT = int(IFA_F.PERMANENT)


def ifa_flag_names(msg: AddrMsg, order=DEFAULT_FLAG_ORDER) -> list[str]:
    """print_ifa_flags(): the address's flags in the tool version's order (IPv4
    addresses are all permanent: iproute2 prints `dynamic` for the others, and only
    IPv4 `secondary`)."""
    # `dynamic` stands at IFA_F_PERMANENT's place when that bit is clear (the flags
    # as a plain int: a flag class's `&` is a call a bit)
    bits = int(msg.flags)
    # IFA_F_SECONDARY of an IPv6 address is IFA_F_TEMPORARY: printed `temporary`
    return ["temporary" if name == "secondary" and msg.family == 6 else name
            for name in order if name == "dynamic" and not bits & _PERMANENT
            or name != "dynamic" and bits & _IFA_BITS[name]]


def print_addr(p: Printer, msg: AddrMsg, ifname: str, *, brief: bool, oneline: bool,
               flag_order=DEFAULT_FLAG_ORDER, deleted: bool = False,
               numeric: bool = False) -> None:
    """print_addrinfo(): `oneline` prints the index and device first (as `-o` and
    `ip monitor` do)."""
    family = "inet" if msg.family == 4 else "inet6"
    if deleted:
        p.any("deleted", "Deleted ", True)
    if not brief:
        if oneline:
            # print_addrinfo(): JSON has them as "index" and "dev"
            p.fp("%u: %s", msg.ifindex, ifname)
            p.js("index", msg.ifindex)
            p.js("dev", ifname)
        p.any("family", "    %s ", family)
    color = "inet" if msg.family == 4 else "inet6"      # ifa_family_color()
    # print_addrinfo(): format_host_rta() for the local, peer and broadcast addresses
    p.color_any(color, "local", "%s", format_host(msg.local))
    if msg.peer is not None:
        p.fp(" %s ", "peer")
        p.color_any(color, "address", "%s", format_host(msg.peer))
    p.any("prefixlen", "/%d ", msg.prefixlen)
    if msg.metric:
        p.any("metric", "metric %u ", msg.metric)
    if brief:
        return
    if msg.broadcast is not None:
        p.fp("%s ", "brd")
        p.color_any(color, "broadcast", "%s ", format_host(msg.broadcast))
    # rtnl_rtscope_n2a(): -N prints the number
    p.any("scope", "scope %s ", str(msg.scope) if numeric else scope_name(msg.scope))
    for name in ifa_flag_names(msg, flag_order):
        p.fp("%s ", name)
        p.js(name, True)
    if msg.label is not None:
        p.any("label", "%s", msg.label)
    p.nl()
    # print_addrinfo(): a finite lifetime as "%usec"
    p.fp("       valid_lft ")
    p.js("valid_life_time", msg.valid_lft)
    p.fp("forever" if msg.valid_lft == INFINITY_LIFE_TIME else f"{msg.valid_lft}sec")
    p.fp(" preferred_lft ")
    p.js("preferred_life_time", msg.preferred_lft)
    p.fp("forever" if msg.preferred_lft == INFINITY_LIFE_TIME else f"{msg.preferred_lft}sec")
    p.fp("\n")
