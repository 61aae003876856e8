"""`bridge monitor` (iproute2 6.1 bridge/monitor.c): a process that listens to the
kernel's link, neighbour and multicast-database notifications and prints them as
`bridge link` (print_linkinfo()) and `bridge mdb` (print_mdb_mon()) print them, with
`[LINK]`/`[MDB]` labels under `all`, and FDB entries as `bridge fdb` (print_fdb()).
VLAN and VNI messages are not simulated."""
from __future__ import annotations

import time

from ipemu.errors import CommandError
from ipemu.kernel.br_mdb import MdbEntry
from ipemu.kernel.netdev import IFF
from ipemu.kernel.records import RTM, FdbMsg, LinkMsg
from ipemu.process import Process
from ipemu.render.link import LinkCache, port_state_name, print_flags
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import matches

EXIT = 255
AF_UNSPEC, AF_BRIDGE = 0, 7
EPOCH = 1700000000          # what the virtual clock's zero reads as (as ip monitor's)


def _usage() -> CommandError:
    return CommandError("Usage: bridge monitor [file | link | fdb | mdb | vlan | vni | all]\n",
                        EXIT)


def do_monitor(ctx: ToolContext, argv: list[str], flags: set[str]):
    """do_monitor(): the objects choose the groups; `all` (or nothing) listens to every
    legacy group, and `all` also labels the records."""
    file = None
    link = mdb = fdb = False
    only = False
    banner = False
    i = 0
    while i < len(argv):
        word = argv[i]
        if matches(word, "file"):
            i += 1
            if i >= len(argv):
                raise CommandError('Command line is not complete. Try option "help"\n', EXIT)
            file = argv[i]
        elif matches(word, "link"):
            link, only = True, True
        elif matches(word, "fdb"):
            fdb, only = True, True
        elif matches(word, "mdb"):
            mdb, only = True, True
        elif matches(word, "vlan"):
            only = True
        elif word == "vni":
            only = True
        elif word == "all":
            only = False
            banner = True
        elif matches(word, "help"):
            raise _usage()
        else:
            raise CommandError(f'Argument "{word}" is unknown, try "bridge monitor help".\n',
                               EXIT)
        i += 1
    if file is not None:
        try:
            ctx.session.open_text(file)
        except OSError as err:
            raise CommandError(f"Cannot fopen: {err.strerror}\n", EXIT) from err
        raise CommandError("ipemu: `bridge monitor file` is not simulated yet\n", 1)
    if not only:
        link = mdb = fdb = True     # groups = ~RTMGRP_TC: RTNLGRP_LINK, _NEIGH, _MDB too
    return BridgeMonitor(ctx, link, mdb, banner, "-timestamp" in flags, fdb).start()


class BridgeMonitor(Process):
    def __init__(self, ctx: ToolContext, link: bool, mdb: bool, banner: bool,
                 timestamp: bool, fdb: bool = False):
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.ns = ctx.netns
        self.link = link
        self.mdb = mdb
        self.fdb = fdb
        self.banner = banner
        self.timestamp = timestamp
        self.cache = LinkCache()

    def start(self) -> "BridgeMonitor":
        for msg in self.ns.dump_links():        # ll_init_map()
            self.cache.remember(msg)
        self.ns.subscribe(self)
        return self

    def blocked(self) -> bool:
        return True

    def cleanup(self) -> None:
        self.ns.unsubscribe(self)

    def notify(self, rtm: RTM, msg) -> None:
        """accept_msg()."""
        if self.done:
            return
        if rtm in (RTM.NEWMDB, RTM.DELMDB) and self.mdb and isinstance(msg, MdbEntry):
            self._print_mdb(msg, rtm == RTM.DELMDB)
        elif rtm in (RTM.NEWNEIGH, RTM.DELNEIGH) and self.fdb and isinstance(msg, FdbMsg):
            self._print_fdb(msg, rtm == RTM.DELNEIGH)
        elif rtm in (RTM.NEWLINK, RTM.DELLINK) and self.link and isinstance(msg, LinkMsg):
            # print_linkinfo() does not ll_remember_index(): the map keeps what it
            # first learnt of a device (its flags for M-DOWN too)
            self._print_link(msg, rtm == RTM.DELLINK)

    def _headers(self, label: str) -> str:
        """print_headers(): the timestamp (print_timestamp()), then the label under all."""
        out = ""
        if self.timestamp:
            now = EPOCH + self.host.clock.now
            usec = int(round((now - int(now)) * 1e6)) % 1000000
            out += "Timestamp: %s %d usec\n" % (time.asctime(time.gmtime(int(now))), usec)
        return out + (label if self.banner else "")

    def _name(self, ifindex: int) -> str:
        if ifindex not in self.cache.links:
            dev = self.ns.by_index(ifindex)
            if dev is not None:
                self.cache.remember(self.ns.link_msg(dev))
        return self.cache.name(ifindex)

    def _print_mdb(self, e: MdbEntry, deleted: bool) -> None:
        """print_mdb_mon(): `Deleted ` before a removal, then print_mdb_entry()."""
        from ipemu.tools.bridge_mdb import print_mdb_entry
        self._name(e.br_ifindex)
        self._name(e.port)
        p = Printer()
        if deleted:
            p.fp("Deleted ")
        print_mdb_entry(p, e, self.cache, details=False, stats=False)
        self.term.out(self._headers("[MDB]") + p.text())

    def _print_fdb(self, msg: FdbMsg, deleted: bool) -> None:
        """print_fdb(): `Deleted ` before a removal, then the entry as `bridge fdb`."""
        from ipemu.tools.bridge_fdb import print_fdb
        for ifindex in (msg.ifindex, msg.master, msg.via):
            if ifindex is not None:
                self._name(ifindex)
        p = Printer()
        if deleted:
            p.fp("Deleted ")
        print_fdb(p, msg, self.cache, filtered=False)
        self.term.out(self._headers("[NEIGH]") + p.text())

    def _print_link(self, msg: LinkMsg, deleted: bool) -> None:
        """bridge/link.c print_linkinfo(): AF_BRIDGE and AF_UNSPEC messages; a port's
        AF_BRIDGE message carries IFLA_PROTINFO (state, priority, cost)."""
        family = getattr(msg, "family", AF_UNSPEC)
        if family not in (AF_UNSPEC, AF_BRIDGE):
            return
        p = Printer()
        if deleted:
            p.fp("Deleted ")
        p.fp("%d: ", msg.ifindex)
        name, mdown = msg.ifname, False
        if msg.link == 0:
            # print_name_and_link(): IFLA_LINK 0 is `@NONE` (a veth's first half,
            # announced before its peer is registered: veth_get_iflink() is 0)
            name = f"{msg.ifname}@NONE"
        elif msg.link and msg.link != msg.ifindex:
            if msg.link_netnsid is None:
                # print_name_and_link(): ll_index_to_name() (which asks the kernel for
                # an index it has not seen), then M-DOWN unless the cached flags say UP
                name = f"{msg.ifname}@{self._name(msg.link)}"
                # ll_index_to_flags() of an index the kernel does not know either is
                # -1: no M-DOWN (recorded: a port whose veth peer went to a namespace)
                mdown = msg.link in self.cache.links and \
                    not self.cache.flags(msg.link) & IFF.UP
            else:
                name = f"{msg.ifname}@if{msg.link}"
        p.fp("%s: ", name)
        print_flags(p, msg.flags, mdown)
        p.fp("mtu %u ", msg.mtu)
        if msg.master:
            p.fp("master %s ", self._name(msg.master))
        if family == AF_BRIDGE and not deleted:
            # br_fill_ifinfo(): IFLA_PROTINFO only in an RTM_NEWLINK
            port = self.ns.by_index(msg.ifindex)
            if port is not None and port.master is not None and port.master.kind == "bridge":
                from ipemu.kernel.bridge import BrPortConf, port_state
                conf = port.brport or BrPortConf()
                state = msg.protinfo_state if msg.protinfo_state is not None \
                    else port_state(port)
                p.fp("state %s ", port_state_name(state))
                p.fp("priority %d ", conf.priority)
                p.fp("cost %d ", conf.cost)
        p.fp("\n")
        self.term.out(self._headers("[LINK]") + p.text())
