"""`ip -echo` (ip.c echo_request, lib/utils.c rtnl_echo_talk()): a change sent with
NLM_F_ECHO gets the kernel's notification of it back, and ip prints the first message
it reads with the object's printer (print_addrinfo(), print_route(), print_rule(),
print_linkinfo()) inside new_json_obj()/open_json_object(NULL): `[{...}]` in JSON,
and `[{{...}}]` for the printers that open an object of their own (routes, rules).

The kernel echoes only the notifications it sends with the requester's portid: IPv4
addresses (rtmsg_ifa()), IPv4 and IPv6 routes (rtmsg_fib(), inet6_rt_notify()), rules
(notify_rule_change()), nexthops (nexthop_notify()), a new link (rtnl_configure_link():
the device asked for, not a veth's peer) and a deleted one (unregister_netdevice_many_
notify()). IPv6 addresses (inet6_ifa_notify(), portid 0), neighbours and `link set`
come back as a bare ACK and print nothing. Recorded: cases tutorials37b_ip_echo_requests
and tutorials37b_ip_echo_links.
"""
from __future__ import annotations

from ipemu.kernel.records import RTM, AddrMsg, LinkMsg
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions

# object -> its commands that send a change rtnl_echo_talk() answers
ECHOED = {
    "address": ("add", "change", "chg", "replace", "delete"),
    "route": ("add", "change", "chg", "replace", "prepend", "append", "delete"),
    "rule": ("add", "delete"),
    "link": ("add", "delete"),
    "nexthop": ("add", "replace", "delete"),
}
_TYPES = {
    "address": (RTM.NEWADDR, RTM.DELADDR),
    "route": (RTM.NEWROUTE, RTM.DELROUTE),
    "rule": (RTM.NEWRULE, RTM.DELRULE),
    "link": (RTM.NEWLINK, RTM.DELLINK),
    "nexthop": (RTM.NEWNEXTHOP, RTM.DELNEXTHOP),
}


def echoed(obj: str, word) -> bool:
    """Whether `ip OBJ WORD ...` sends a change -echo answers: the grammar's keyword,
    or (nexthop, whose commands the grammar leaves as words) ipnh's matches()."""
    from ipemu.syntax import keyword
    from ipemu.tools.ipargs import matches
    commands = ECHOED.get(obj, ())
    kw = keyword(word)
    if kw is not None:
        return kw in commands
    return obj == "nexthop" and any(matches(str(word), c) for c in commands)


class EchoCatcher:
    """Listens to the namespace's notifications while one request runs."""

    def __init__(self, obj: str, ns) -> None:
        self.obj = obj
        self.ns = ns
        self.before = set(ns.devices)       # the ifindexes a new link is not
        self.seen: list = []

    def notify(self, rtm: RTM, msg, source=None) -> None:
        if rtm in _TYPES[self.obj]:
            self.seen.append((rtm, msg))

    def answer(self):
        """The first message the kernel would have sent back, or None (an ACK)."""
        if self.obj == "address":
            return next(((r, m) for r, m in self.seen
                         if isinstance(m, AddrMsg) and m.family == 4), None)
        if self.obj == "link":
            # rtnl_dellink() -> unregister_netdevice_many_notify(): the device asked
            # for goes first (veth_dellink() queues it before its peer)
            gone = next(((r, m) for r, m in self.seen if r == RTM.DELLINK), None)
            if gone is not None:
                return gone
            new = [m.ifindex for _, m in self.seen
                   if isinstance(m, LinkMsg) and m.ifindex not in self.before]
            if not new:
                return None
            return next((r, m) for r, m in self.seen
                        if isinstance(m, LinkMsg) and m.ifindex == max(new))
        return self.seen[0] if self.seen else None


def print_echo(ctx: ToolContext, opts: IpOptions, obj: str, rtm: RTM, msg) -> None:
    """rtnl_echo_talk(): the answer through the object's printer."""
    from ipemu.tools.ip_addr import link_cache
    ns = ctx.netns
    deleted = rtm in (RTM.DELADDR, RTM.DELROUTE, RTM.DELRULE, RTM.DELNEXTHOP, RTM.DELLINK)
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    p.open_object()
    if obj == "address":
        from ipemu.render.addr import print_addr
        dev = ns.by_index(msg.ifindex)
        print_addr(p, msg, dev.name if dev is not None else "", brief=opts.brief,
                   oneline=True, flag_order=ctx.profile["ifa_flag_order"], deleted=deleted)
    elif obj == "route":
        from ipemu.render.route import RouteView, print_route
        print_route(p, msg, link_cache(ctx, ns.dump_links()), RouteView(details=opts.details),
                    deleted=deleted)
    elif obj == "nexthop":
        from ipemu.render.nexthop import print_nexthop
        print_nexthop(p, msg, link_cache(ctx, ns.dump_links()), opts.details, deleted=deleted)
    elif obj == "rule":
        from ipemu.tools.ip_rule import print_rule
        print_rule(p, ns, msg, opts.details, deleted=deleted)
    else:
        from ipemu.render.link import ShowOptions, print_link
        # print_linkinfo() with the listing's filter unset: no qlen (filter.showqueue)
        # and filter.family unset: -br prints the name and state alone, no newline
        show = ShowOptions(family=0, details=opts.details, oneline=opts.oneline,
                           brief=opts.brief, showqueue=False,
                           group=ctx.profile["link_show_group"])
        print_link(p, msg, link_cache(ctx, ns.dump_links()), show, deleted=deleted)
        if not opts.brief:
            p.eol()
    p.close_object()
    p.end()
    ctx.term.out(p.text())
