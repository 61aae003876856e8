"""`ip monitor` (iproute2 ip/ipmonitor.c): a process that listens to the kernel's
rtnetlink notifications and prints each record with the same printers as `show`
(print_linkinfo, print_addrinfo, print_route, print_rule, print_netconf), `Deleted `
before a removal, `[LINK]`-style labels with `label`/`all`, `-t`/`-ts` timestamps.

The kernel calls `notify(rtm, record)` on the subscribed process the moment it sends
a message; the process ends on a signal (`timeout 2 ip monitor` ends with 124).
"""
from __future__ import annotations

import time
from enum import IntFlag

from ipemu.errors import CommandError
from ipemu.kernel.records import RTM, AddrMsg, FdbMsg, LinkMsg, NeighMsg, NetconfMsg, NsidMsg, \
    RouteMsg
from ipemu.process import Process
from ipemu.render.addr import print_addr
from ipemu.render.link import LinkCache, ShowOptions, print_link
from ipemu.render.neigh import print_neigh
from ipemu.render.netconf import print_netconf
from ipemu.render.printer import Printer
from ipemu.render.route import RouteView, print_route
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.syntax import keyword

# what the virtual clock's zero reads as on the wall (timestamps are masked in checks)
AF_BRIDGE = 7
EPOCH = 1700000000


class IPMON(IntFlag):
    LINK = 1 << 0
    ADDR = 1 << 1
    ROUTE = 1 << 2
    MROUTE = 1 << 3
    PREFIX = 1 << 4
    NEIGH = 1 << 5
    NETCONF = 1 << 6
    STATS = 1 << 7
    RULE = 1 << 8
    NSID = 1 << 9
    NEXTHOP = 1 << 10


# do_ipmonitor()'s objects (its words, their order and abbreviations are
# grammar/ip.lark's monitor_arg) and the groups they listen to
OBJECT_GROUPS = {"link": IPMON.LINK, "address": IPMON.ADDR, "route": IPMON.ROUTE,
                 "mroute": IPMON.MROUTE, "prefix": IPMON.PREFIX, "neigh": IPMON.NEIGH,
                 "netconf": IPMON.NETCONF, "rule": IPMON.RULE, "nsid": IPMON.NSID,
                 "nexthop": IPMON.NEXTHOP}

# message type -> (the listening group it arrives through, accept_msg()'s label)
GROUPS = {RTM.NEWLINK: (IPMON.LINK, "[LINK]"), RTM.DELLINK: (IPMON.LINK, "[LINK]"),
          RTM.NEWADDR: (IPMON.ADDR, "[ADDR]"), RTM.DELADDR: (IPMON.ADDR, "[ADDR]"),
          RTM.NEWROUTE: (IPMON.ROUTE, "[ROUTE]"), RTM.DELROUTE: (IPMON.ROUTE, "[ROUTE]"),
          RTM.NEWNEIGH: (IPMON.NEIGH, "[NEIGH]"), RTM.DELNEIGH: (IPMON.NEIGH, "[NEIGH]"),
          RTM.GETNEIGH: (IPMON.NEIGH, "[NEIGH]"),
          RTM.NEWRULE: (IPMON.RULE, "[RULE]"), RTM.DELRULE: (IPMON.RULE, "[RULE]"),
          RTM.NEWNETCONF: (IPMON.NETCONF, "[NETCONF]"),
          RTM.DELNETCONF: (IPMON.NETCONF, "[NETCONF]"),
          RTM.NEWNEXTHOP: (IPMON.NEXTHOP, "[NEXTHOP]"),
          RTM.DELNEXTHOP: (IPMON.NEXTHOP, "[NEXTHOP]"),
          RTM.NEWNSID: (IPMON.NSID, "[NSID]"), RTM.DELNSID: (IPMON.NSID, "[NSID]")}
DELETES = (RTM.DELLINK, RTM.DELADDR, RTM.DELROUTE, RTM.DELNEIGH, RTM.DELRULE, RTM.DELNETCONF,
           RTM.DELNEXTHOP, RTM.DELNSID)
FAMILY_GROUPS = IPMON.ADDR | IPMON.ROUTE | IPMON.RULE | IPMON.NETCONF


def do_ipmonitor(ctx: ToolContext, opts: IpOptions, argv: list[str]):
    lmask, label, dev, file = IPMON(0), False, None, None
    all_nsid = False
    args = list(argv)
    while args:
        word = args.pop(0)
        kw = keyword(word)
        if kw == "file":
            if not args:
                raise CommandError('Command line is not complete. Try option "help"\n', 255)
            file = args.pop(0)
        elif kw == "label":
            label = True
        elif kw in OBJECT_GROUPS:
            lmask |= OBJECT_GROUPS[kw]
        elif kw == "stats":
            lmask |= IPMON.STATS
        elif kw == "all":
            label = True
        elif kw == "all-nsid":
            all_nsid = True
        elif kw == "help":
            raise usage_error("ip_monitor", ctx.profile)
        elif kw == "dev":
            if not args:
                raise CommandError('Command line is not complete. Try option "help"\n', 255)
            name = args.pop(0)
            dev = ctx.netns.by_name(name)
            if dev is None:
                raise CommandError(f'Error: argument "{name}" is wrong: Device does not exist\n\n', 255)
        else:
            raise CommandError(f'Argument "{word}" is unknown, try "ip monitor help".\n', 255)
    if file is not None:
        # do_ipmonitor(): fopen(file, "r") after the arguments, perror() and exit(-1)
        try:
            ctx.session.open_text(file)
        except OSError as err:
            if err.errno == 21:     # EISDIR: fopen() works, rtnl_from_file()'s fread() not
                raise CommandError("rtnl_from_file: fread: Is a directory\n", 1) from err
            raise CommandError(f"Cannot fopen: {err.strerror}\n", 255) from err
        raise CommandError("ipemu: `ip monitor file` is not simulated yet\n", 1)
    monitor = Monitor(ctx, opts, lmask or IPMON(~0 & 0x7FF), label,
                      dev.ifindex if dev is not None else 0)
    monitor.all_nsid = all_nsid
    return monitor.start()


class Monitor(Process):
    def __init__(self, ctx: ToolContext, opts: IpOptions, lmask: IPMON, label: bool,
                 ifindex: int):
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.ns = ctx.netns
        self.opts = opts
        self.lmask = lmask
        self.label = label
        self.ifindex = ifindex
        self.cache = LinkCache()
        self.all_nsid = False
        self.peers: list = []           # all-nsid: a listener in each other namespace
        self.nsid_names: dict[int, str] = {}     # netns_map_init()'s nsid -> name
        # what the socket holds and the monitor has not read yet: (rtm, msg, source)
        self.unread: list = []
        self.reading = None             # the timer of the next read

    def start(self) -> "Monitor":
        from ipemu.tools.ip_addr import link_cache
        self.cache = link_cache(self.ctx, self.ns.dump_links())   # ll_init_map()
        self.ns.subscribe(self)
        # netns_map_init(): the named namespaces this one has an id for, in the one
        # map (ipnetns.c's nsid cache) print_nsid() updates and print_linkinfo()'s
        # link-netns name comes from: an id announced while the monitor runs names
        # the links after it, one already known is dropped once its NSID is printed
        self.nsid_names = self.cache.netns
        if self.all_nsid:
            # NETLINK_LISTEN_ALL_NSID: every namespace's messages, delivered when
            # this namespace has an id for the sender (peernet_has_id())
            for other in list(self.host.namespaces.values()):
                self.namespace_added(other.name, other)
            self.host.observers.append(self)
        return self

    def namespace_added(self, name: str, ns) -> None:
        if ns is not self.ns and not self.done:
            peer = PeerListener(self, ns)
            ns.subscribe(peer)
            self.peers.append(peer)

    def namespace_removed(self, name: str, ns) -> None:
        self.peers = [p for p in self.peers if p.ns is not ns]

    def blocked(self) -> bool:
        return True

    def cleanup(self) -> None:
        self.host.clock.cancel(self.reading)     # what it had not read goes with it
        self.reading = None
        self.unread = []
        self.ns.unsubscribe(self)
        for peer in self.peers:
            peer.ns.unsubscribe(peer)
        self.peers = []
        if self in self.host.observers:
            self.host.observers.remove(self)

    # ------------------------------------------------------------- messages
    def notify(self, rtm: RTM, msg, source=None) -> None:
        """A message the kernel queued on the monitor's socket (kept as it was made);
        the monitor reads it once the request that made it is over, as the real one
        does (its ll_index_to_name() asks the kernel then: a device moved away by the
        end of the request is `ifN`, recorded)."""
        if self.done or rtm not in GROUPS:
            return
        self.unread.append((rtm, msg, source))
        if self.reading is None:
            self.reading = self.host.clock.call_later(0.0, self, "read_socket")

    def read_socket(self) -> None:
        """rtnl_listen(): each message queued so far, in order."""
        self.reading = None
        unread, self.unread = self.unread, []
        for rtm, msg, source in unread:
            self.accept_msg(rtm, msg, source)

    def accept_msg(self, rtm: RTM, msg, source=None) -> None:
        """accept_msg(): what the groups let through, with its headers; `source`:
        the other namespace an all-nsid message comes from."""
        if self.done:
            return
        if isinstance(msg, FdbMsg):
            # an FDB entry (RTM_NEWNEIGH of PF_BRIDGE) goes through print_neigh() too
            msg = NeighMsg(AF_BRIDGE, msg.ifindex, msg.dst, msg.state, msg.mac, msg.router)
        group, label = GROUPS[rtm]
        if not group & self.lmask or not self._family_ok(group, msg):
            return
        nsid = None
        if source is not None:
            nsid = self.ns.nsids.get(source.name)
            if nsid is None:
                return
        deleted = rtm in DELETES
        # accept_msg(): ll_remember_index() of every link message, whichever namespace
        # it comes from (one map for all), and ll_index_to_name() asks this namespace
        # for an index it has not seen (recorded: all-nsid prints another namespace's
        # devices by the names its link messages gave, `ifN` before)
        if isinstance(msg, LinkMsg):
            self.cache.remember(msg, deleted)
        for ifindex in _indexes(msg):
            self._resolve(ifindex)
        text = self._print(msg, deleted, rtm == RTM.GETNEIGH)
        if text is None:
            return
        self.term.out(self._headers(label, nsid if source is not None else -1) + text)

    def _family_ok(self, group: IPMON, msg) -> bool:
        family = self.opts.family
        if isinstance(msg, NeighMsg):       # accept_msg() filters neighbours itself
            return not family or msg.family == family
        if not family or not group & FAMILY_GROUPS:
            return True
        return getattr(msg, "family", family) == family

    def _resolve(self, ifindex: int) -> None:
        """ll_index_to_name() asks the kernel for an index it has not seen. The real
        monitor reads its messages after the request that made them has ended; here
        it hears them while the request runs, so its question must not allocate the
        link's namespace id before the request itself does (recorded: a veth made in
        another namespace, `ip monitor all` prints its NETCONF before the NSID)."""
        if ifindex and ifindex not in self.cache.links:
            dev = self.ns.by_index(ifindex)
            if dev is not None:
                self.cache.remember(self.ns.link_msg(dev, alloc_nsid=False))

    def _headers(self, label: str, nsid: int = -1) -> str:
        """print_headers(): the timestamp (print_timestamp()), the sender's nsid with
        all-nsid, then the label."""
        out = ""
        if self.opts.timestamp:
            now = EPOCH + self.host.clock.now
            stamp = time.gmtime(int(now))
            usec = int(round((now - int(now)) * 1e6)) % 1000000
            if self.opts.timestamp_short:
                out += "[%s.%06d] " % (time.strftime("%Y-%m-%dT%H:%M:%S", stamp), usec)
            else:
                out += "Timestamp: %s %d usec\n" % (time.asctime(stamp), usec)
        if self.all_nsid:
            out += "[nsid current]" if nsid < 0 else f"[nsid {nsid}]"
        if self.label:
            out += label
        return out

    def _print_nsid(self, msg: NsidMsg, deleted: bool) -> str:
        """print_nsid(): `nsid N`, then the name the monitor's map has for it (taken
        out of the map once printed); a new id the map lacks is looked up under
        /run/netns and kept."""
        text = ("Deleted " if deleted else "") + f"nsid {msg.nsid} "
        name = self.nsid_names.pop(msg.nsid, None)       # netns_map_del()
        if name is None and not deleted:
            # "nsid might not be in cache": netns_get_name() looks for the name whose
            # id in this namespace is that one (an id from another namespace's message
            # may name none), then netns_map_add()
            name = next((n for n, i in self.ns.nsids.items()
                         if i == msg.nsid and n in self.host.namespaces), None)
            if name is not None:
                self.nsid_names[msg.nsid] = name
        if name is not None:
            text += f"(iproute2 netns name: {name})"
        return text + "\n"

    def _print(self, msg, deleted: bool, miss: bool = False) -> str | None:
        o = self.opts
        # ipmonitor.c never calls new_json_obj(): under -j (and -p) the printers'
        # is_json_context() is false and every record is text (recorded, fuzz38)
        p = Printer(False, False, o.oneline, color=o.color)
        if isinstance(msg, LinkMsg):
            if self.ifindex and msg.ifindex != self.ifindex:
                return None
            show = ShowOptions(family=0, details=o.details, oneline=o.oneline, showqueue=False,
                               group=self.ctx.profile["link_show_group"])
            p.open_object()
            print_link(p, msg, self.cache, show, deleted=deleted)
            p.close_object()
            p.eol()
        elif isinstance(msg, AddrMsg):
            if self.ifindex and msg.ifindex != self.ifindex:
                return None
            p.open_object()
            print_addr(p, msg, self.cache.name(msg.ifindex), brief=False, oneline=True,
                       flag_order=self.ctx.profile["ifa_flag_order"],
                       deleted=deleted)
            p.close_object()
        elif isinstance(msg, RouteMsg):
            if self.ifindex and msg.oif != self.ifindex:
                return None
            # iproute_reset_filter(ifindex): oifmask -1, so print_route() leaves out dev
            view = RouteView(details=o.details, hide={"dev"} if self.ifindex else set())
            print_route(p, msg, self.cache, view, deleted=deleted)
        elif isinstance(msg, NeighMsg):
            if self.ifindex and msg.ifindex != self.ifindex:
                return None
            print_neigh(p, msg, None if self.ifindex else self.cache.name(msg.ifindex),
                        deleted=deleted, miss=miss)
        elif isinstance(msg, NetconfMsg):
            if self.ifindex and msg.ifindex != self.ifindex:
                return None
            print_netconf(p, msg, self.cache.name(msg.ifindex), deleted=deleted)
        elif isinstance(msg, NsidMsg):
            return self._print_nsid(msg, deleted)
        elif rtm_nexthop(msg):
            # accept_msg() -> print_nexthop(): "Deleted " before a removed one
            from ipemu.render.nexthop import print_nexthop
            print_nexthop(p, msg, self.cache, o.details, deleted=deleted)
        else:
            from ipemu.tools.ip_rule import print_rule
            print_rule(p, self.ns, msg, o.details, deleted=deleted)
        return p.text()


class PeerListener:
    """An all-nsid monitor's ear in another namespace: its messages go to the monitor
    with the namespace they come from."""

    def __init__(self, monitor: Monitor, ns) -> None:
        self.monitor = monitor
        self.ns = ns

    def notify(self, rtm: RTM, msg) -> None:
        self.monitor.notify(rtm, msg, self.ns)


def rtm_nexthop(msg) -> bool:
    from ipemu.kernel.nexthop import NhObj
    return isinstance(msg, NhObj)


def _indexes(msg) -> list[int]:
    """The devices a message names (they must have a name in the cache to print)."""
    if isinstance(msg, LinkMsg):
        return [i for i in (msg.link, msg.master) if i and msg.link_netnsid is None]
    if isinstance(msg, (AddrMsg, NetconfMsg, NeighMsg)):
        return [msg.ifindex] if msg.ifindex > 0 else []
    if isinstance(msg, RouteMsg):
        return [msg.oif] if msg.oif else []
    if rtm_nexthop(msg):
        return [msg.oif] if msg.oif else []
    return []
