"""`ip neigh` lines (iproute2 ip/ipneigh.c print_neigh), text and JSON."""
from __future__ import annotations

from ipemu.kernel.neigh import Nud
from ipemu.kernel.records import NdaCacheinfo, NeighMsg
from ipemu.render.names import format_host, proto_name
from ipemu.render.printer import Printer

STATE_NAMES = [(Nud.INCOMPLETE, "INCOMPLETE"), (Nud.REACHABLE, "REACHABLE"),
               (Nud.STALE, "STALE"), (Nud.DELAY, "DELAY"), (Nud.PROBE, "PROBE"),
               (Nud.FAILED, "FAILED"), (Nud.NOARP, "NOARP"), (Nud.PERMANENT, "PERMANENT")]


def _print_cacheinfo(p: Printer, ci: NdaCacheinfo) -> None:
    """print_cacheinfo(): ages in whole seconds (clock_t / USER_HZ)."""
    if ci.refcnt:
        p.any("refcnt", " ref %u", ci.refcnt)
    p.any("used", " used %u", ci.used // 100)
    p.any("confirmed", "/%u", ci.confirmed // 100)
    p.any("updated", "/%u", ci.updated // 100)


def print_neigh(p: Printer, msg: NeighMsg, ifname: str | None, deleted: bool = False,
                stats: bool = False, brief: bool = False, numeric: bool = False,
                miss: bool = False) -> None:
    """`ifname` None: a device filter was given, the device is not printed. The link
    address is left out of an entry still resolving or failed."""
    p.open_object()
    if deleted:
        p.any("deleted", "Deleted ", True)
    elif miss:
        p.null("miss", "%s ", "miss")      # an RTM_GETNEIGH the kernel sent (a miss)
    if brief:
        _print_neigh_brief(p, msg, ifname)
        return
    # print_neigh(): print_color_string() of the address, device and lladdr under -c;
    # a bridge's FDB entry (PF_BRIDGE) has no NDA_DST, a vxlan's its remote
    if msg.dst is not None:
        p.color_any("inet" if msg.dst.version == 4 else "inet6", "dst", "%s ",
                    format_host(msg.dst))
    if ifname is not None:
        p.fp("dev ")
        p.color_any("ifname", "dev", "%s ", ifname)
    if msg.lladdr is not None and msg.state not in (Nud.INCOMPLETE, Nud.FAILED, Nud.NONE):
        p.fp("lladdr ")
        p.color_any("mac", "lladdr", "%s ", ":".join(f"{b:02x}" for b in msg.lladdr))
    if msg.router:
        p.null("router", "%s ", "router")
    # print_neigh(): NTF_EXT_MANAGED, then NTF_EXT_LEARNED; flags are print_null()s
    if msg.managed:
        p.null("managed", "%s ", "managed")
    if msg.ext_learned:
        p.null("extern_learn", "%s ", "extern_learn")
    if stats:
        if msg.cacheinfo is not None:
            _print_cacheinfo(p, msg.cacheinfo)
        if msg.probes is not None:
            p.any("probes", "probes %u ", msg.probes)
    if msg.state:
        p.open_array("state")
        for state, name in STATE_NAMES:
            if msg.state & state:
                p.any(None, "%s ", name)
        p.close_array()
    if msg.protocol:
        # (-N: rtnl_rtprot_n2a() prints the number)
        p.any("protocol", "proto %s ",
              str(msg.protocol) if numeric else proto_name(msg.protocol))
    p.fp("\n")
    p.close_object()


def _print_neigh_brief(p: Printer, msg: NeighMsg, ifname: str | None) -> None:
    """print_neigh_brief() (ip/ipneigh.c, -br): the address and device in columns of
    39 and 16, then the link address with nothing after it; no state."""
    p.color_any("inet" if msg.dst.version == 4 else "inet6", "dst", "%-39s ", str(msg.dst))
    if ifname is not None:
        p.color_any("ifname", "dev", "%-16s ", ifname)
    if msg.lladdr is not None and msg.state not in (Nud.INCOMPLETE, Nud.FAILED, Nud.NONE):
        p.color_any("mac", "lladdr", "%s", ":".join(f"{b:02x}" for b in msg.lladdr))
    p.fp("\n")
    p.close_object()
