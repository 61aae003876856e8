"""`tc monitor` (iproute2 tc/tc_monitor.c): a process on RTNLGRP_TC that prints each
notification the kernel sends (ipemu/kernel/sch_notify.py) with the listing printers:
print_qdisc(), print_class() and print_filter() with the device named (the monitor
filters by none), `deleted ` before a removal, `added `/`replaced ` before a new
filter or chain. It ends on a signal (`timeout 2 tc monitor` ends with 124)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.records import RTM
from ipemu.kernel.sch_notify import NLM_F_CREATE, NLM_F_EXCL, ChainMsg
from ipemu.process import Process
from ipemu.tools import tc_print as TP
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import matches

TC_RTMS = (RTM.NEWQDISC, RTM.DELQDISC, RTM.NEWTCLASS, RTM.DELTCLASS, RTM.NEWTFILTER,
           RTM.DELTFILTER, RTM.NEWCHAIN, RTM.DELCHAIN)
DELETED = (RTM.DELQDISC, RTM.DELTCLASS, RTM.DELTFILTER, RTM.DELCHAIN)


def do_tcmonitor(ctx: ToolContext, opts, args: list[str]):
    """do_tcmonitor(): `file FILE` or nothing; help is usage() (exit -1)."""
    while args:
        word = args.pop(0)
        if matches(word, "file"):
            if not args:
                raise CommandError('Command line is not complete. Try option "help"\n', 255)
            raise CommandError("ipemu: `tc monitor file` is not simulated yet\n", 1)
        if matches(word, "help"):
            raise CommandError("Usage: tc [-timestamp [-tshort] monitor\n", 255)
        raise CommandError(f'Argument "{word}" is unknown, try "tc monitor help".\n', 255)
    return TcMonitor(ctx, opts).start()


class TcMonitor(Process):
    def __init__(self, ctx: ToolContext, opts):
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.ns = ctx.netns
        self.opts = opts
        self.unread: list = []
        self.reading = None

    def start(self) -> "TcMonitor":
        self.ns.subscribe(self)
        return self

    def blocked(self) -> bool:
        return True

    def cleanup(self) -> None:
        self.host.clock.cancel(self.reading)
        self.reading = None
        self.unread = []
        self.ns.unsubscribe(self)

    def notify(self, rtm, msg, source=None) -> None:
        """A message queued on the socket; read once the request that sent it is over."""
        if self.done or rtm not in TC_RTMS:
            return
        self.unread.append((rtm, msg))
        if self.reading is None:
            self.reading = self.host.clock.call_later(0.0, self, "read_socket")

    def read_socket(self) -> None:
        self.reading = None
        unread, self.unread = self.unread, []
        for rtm, notice in unread:
            if not self.done:
                self.term.out(self._print(rtm, notice))

    def _print(self, rtm, notice) -> str:
        """accept_tcmsg(): the timestamp first (print_timestamp(): `Timestamp: ...`
        on a line of its own, `[...]` before the message with -tshort), then
        print_filter() for filters and chains, print_class(), print_qdisc()."""
        return self._timestamp() + self._message(rtm, notice)

    def _timestamp(self) -> str:
        if not getattr(self.opts, "timestamp", 0):
            return ""
        import time
        from ipemu.tools.ip_monitor import EPOCH
        now = EPOCH + self.host.clock.now
        stamp = time.gmtime(int(now))
        usec = int(round((now - int(now)) * 1e6)) % 1000000
        if self.opts.timestamp_short:
            return "[%s.%06d] " % (time.strftime("%Y-%m-%dT%H:%M:%S", stamp), usec)
        return "Timestamp: %s %d usec\n" % (time.asctime(stamp), usec)

    def _message(self, rtm, notice) -> str:
        names = {d.ifindex: d.name for d in self.ns.devices.values()}
        name = names.get(notice.ifindex, f"if{notice.ifindex}")
        msg = notice.msg
        prefix = "deleted " if rtm in DELETED else ""
        if rtm in (RTM.NEWTFILTER, RTM.NEWCHAIN) and notice.flags & NLM_F_CREATE:
            prefix = "added " if notice.flags & NLM_F_EXCL else "replaced "
        if isinstance(msg, ChainMsg):
            return (f"{prefix}chain dev {name} parent {TP.sprint_classid(msg.parent)} "
                    f"chain {msg.index} \n")
        if rtm in (RTM.NEWTFILTER, RTM.DELTFILTER):
            return prefix + TP.filter_text(msg, 0, names=names, dev_name=name)
        if rtm in (RTM.NEWTCLASS, RTM.DELTCLASS):
            return prefix + TP.class_text(msg, self.opts, dev_name=name)
        return prefix + TP.qdisc_text(msg, names, False, self.opts)
