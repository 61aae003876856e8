"""iputils `arping`: ARP requests (or, with -U and -A, announcements) sent from a packet
socket on one device, every interval, and the replies printed as they arrive.

Followed: iputils arping.c (main(), check_device(), guess_device(), send_pack(),
recv_pack(), event_loop(), finish()). The program is a Process on the virtual clock:
the probe timer fires each interval from the start (a timerfd), -w's timer once; at
one instant the probe timer is read before the timeout, as event_loop()'s poll order.
"""
from __future__ import annotations

import ipaddress

from ipemu.errors import CommandError
from ipemu.kernel import packet as P
from ipemu.kernel.errors import KernelError
from ipemu.kernel.fib import RTN
from ipemu.kernel.netdev import IFF
from ipemu.kernel.wire.arp import ArpPacket
from ipemu.kernel.wire.ethernet import ETH_P_ARP, EthernetHeader
from ipemu.process import SIGINT, SIGTERM, Process
from ipemu.tools import getopts
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import usage_text
from ipemu.tools.rtnl import strerror

OPTSTRING = "h?bfDUAqc:w:i:s:I:V"
INT_MAX = 2147483647
# what arping does before its first probe (getifaddrs(), the netlink query, the probe
# socket): a reply still in flight to an arping that just ended arrives before it listens
STARTUP = 0.001
BROADCAST_MAC = b"\xff" * 6


def _fail(message: str, status: int = 2) -> CommandError:
    return CommandError(f"arping: {message}\n", status)


def _usage(ctx: ToolContext) -> CommandError:
    return CommandError(usage_text("arping_usage", ctx.profile), 2)


def _number(text: str, low: int, high: int) -> int:
    """strtol_or_err(): the whole word a number within [low, high]."""
    from ipemu.tools.cnum import strtol_whole
    value = strtol_whole(text)
    if value is None:
        raise _fail(f"invalid argument: '{text}'", 1)
    if not low <= value <= high:
        raise _fail(f"invalid argument: '{text}': out of range: {low} <= value <= {high}", 1)
    return value


class Options:
    def __init__(self):
        self.broadcast_only = False
        self.dad = False
        self.unsolicited = False
        self.advert = False
        self.quiet = False
        self.quit_on_reply = False
        self.count = -1
        self.timeout = 0
        self.interval = 1
        self.device: str | None = None
        self.source: str | None = None
        self.target = ""


def parse(ctx: ToolContext, argv: list[str]) -> Options:
    opts = Options()
    try:
        pairs, rest = getopts.parse("arping", argv[1:], OPTSTRING)
    except getopts.OptionError as err:
        ctx.term.err(err.message + "\n")
        raise _usage(ctx)
    for flag, value in pairs:
        ch = flag[1]
        if ch == "b":
            opts.broadcast_only = True
        elif ch == "D":
            opts.dad = opts.quit_on_reply = True
        elif ch == "U":
            opts.unsolicited = True
        elif ch == "A":
            opts.advert = opts.unsolicited = True
        elif ch == "q":
            opts.quiet = True
        elif ch == "c":
            opts.count = _number(value, 1, INT_MAX)
        elif ch == "w":
            opts.timeout = _number(value, 0, INT_MAX)
        elif ch == "i":
            opts.interval = _number(value, 0, INT_MAX)
        elif ch == "I":
            opts.device = value
        elif ch == "f":
            opts.quit_on_reply = True
        elif ch == "s":
            opts.source = value
        elif ch == "V":
            ctx.term.out(ctx.profile["arping_version"])
            raise _Done(0)
        else:
            raise _usage(ctx)
    if len(rest) != 1:
        raise _usage(ctx)
    opts.target = rest[0]
    if opts.device == "":
        opts.device = None
    return opts


class _Done(Exception):
    def __init__(self, status: int):
        self.status = status


def _inet_aton(text: str) -> ipaddress.IPv4Address | None:
    from ipemu.tools.route import inet_aton
    value = inet_aton(text)
    return None if value is None else ipaddress.IPv4Address(value)


def main(ctx: ToolContext, argv: list[str]):
    try:
        opts = parse(ctx, argv)
    except _Done as done:
        return done.status
    ns = ctx.netns
    gdst = _inet_aton(opts.target)
    if gdst is None:
        # getaddrinfo(AF_INET): /etc/hosts, then the DNS of the world outside, if any
        from ipemu.tools.resolver import ResolveError, getaddrinfo
        try:
            gdst = getaddrinfo(ctx.session, opts.target, 4, idn=True)   # AI_IDN
        except ResolveError as err:
            # the A query goes out first when the recording host's nameserver has
            # a route (recorded: 6.1 s behind a gateway that never answers ARP)
            from ipemu.tools.resolver import failing_lookup
            failure = _fail(f"{opts.target}: {err.text}")
            waiting = failing_lookup(ctx, opts.target, err.text, failure.message,
                                     failure.status)
            if waiting is not None:
                return waiting
            raise failure
    device = opts.device
    if device is None:
        device = _guess_device(ctx, gdst)
    dev = _check_device(ctx, opts, device)
    gsrc = ipaddress.IPv4Address(0)
    if opts.source is not None:
        gsrc = _inet_aton(opts.source)
        if gsrc is None:
            raise _fail(f"invalid source {opts.source}")
    if not opts.dad and opts.unsolicited and opts.source is None:
        gsrc = gdst
    if not opts.dad or opts.source is not None:
        gsrc = _probe_source(ctx, opts, dev, gdst, gsrc)
    if not opts.quiet:
        ctx.term.out(f"ARPING {gdst} from {gsrc} {dev.name}\n")
    if opts.source is None and int(gsrc) == 0 and not opts.dad:
        raise _fail("no source address in not-DAD mode")
    return ArpingProcess(ctx, opts, dev, gsrc, gdst).start()


def _guess_device(ctx: ToolContext, gdst) -> str:
    """guess_device(): RTM_GETROUTE for the target; its RTA_OIF names the device."""
    try:
        route, _ = ctx.netns.lookup(gdst)
    except KernelError:
        raise _fail("NETLINK_ROUTE unexpected iov element", 1)
    oif = ctx.netns.by_name("lo") if route.type == RTN.LOCAL else \
        ctx.netns.by_index(route.oif)
    return oif.name


def _check_device(ctx: ToolContext, opts: Options, name: str):
    """check_device(): the device must be up and able to ARP (check_ifflags())."""
    dev = ctx.netns.by_name(name)
    if dev is None:
        raise _fail(f"Device {name} not available.")
    # check_ifflags() says both with printf(): on stdout, so `arping ... > /dev/null`
    # shows nothing (recorded: tutorials42c_kuznet_locktime, status 2)
    if not dev.flags & IFF.UP:
        if not opts.quiet:
            ctx.term.out(f'Interface "{name}" is down\n')
        raise CommandError("", 2)
    if dev.flags & (IFF.NOARP | IFF.LOOPBACK):
        if not opts.quiet:
            ctx.term.out(f'Interface "{name}" is not ARPable\n')
        raise CommandError("", 0 if opts.dad else 2)
    return dev


def _probe_source(ctx: ToolContext, opts: Options, dev, gdst, gsrc):
    """The UDP probe socket bound to the device: bind() to a source given (or the
    target itself for -U/-A), else connect() with SO_DONTROUTE and getsockname()."""
    ns = ctx.netns
    if opts.source is not None or int(gsrc):
        # inet_bind(): a local, broadcast or multicast address (-U/-A bind to the
        # target: a broadcast one is taken; recorded, fuzz41_arping_broadcast)
        if gsrc not in ns.local_addresses() and int(gsrc) and not (
                gsrc.is_multicast or ns.inet_addr_type_dev_table(None, gsrc) in (
                    RTN.BROADCAST, RTN.MULTICAST)):
            raise _fail(f"bind: {strerror(99)}")
        return gsrc
    if opts.dad or opts.unsolicited:
        return gsrc
    # SO_DONTROUTE: only link routes count (RTO_ONLINK); with none, the socket bound
    # to the device, ip_route_output_key_hash_rcu() assumes the destination is on
    # link and takes the device's address (inet_select_addr(dev, 0, RT_SCOPE_LINK));
    # recorded: a target behind a gateway is probed from the device's address
    try:
        route, _ = ns.lookup(gdst, oif=dev)
    except KernelError:
        route = None
    if route is not None and route.type == RTN.LOCAL:
        return route.prefsrc or gdst
    if gdst == ipaddress.IPv4Address("255.255.255.255") or \
            route is not None and route.type == RTN.BROADCAST:
        # ip4_datagram_connect(): a broadcast route on a socket without SO_BROADCAST
        # is EACCES (recorded: `arping -c 3 -f -w 2 10.0.0.255`, fuzz41 seed 490428)
        raise _fail(f"connect: {strerror(13)}")
    src = route.prefsrc if route is not None and route.gateway is None else None
    src = src or ns.select_source(dev, gdst)
    return src if src is not None else ipaddress.IPv4Address(0)


class ArpingProcess(Process):
    """event_loop(): the probes, the replies, the end."""

    def __init__(self, ctx: ToolContext, opts: Options, dev, gsrc, gdst):
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.opts = opts
        self.dev = dev
        self.gsrc = gsrc
        self.gdst = gdst
        self.clock = ctx.host.clock
        self.he = BROADCAST_MAC          # where probes go: broadcast until unicasting
        self.unicasting = False
        self.sent = self.brd_sent = self.received = self.brd_recv = self.req_recv = 0
        self.last: float | None = None
        self.start_time = 0.0
        self.expires = 1                 # total_expires
        self.tick_timer = None
        self.timeout_timer = None
        self.tap = None

    def start(self) -> "ArpingProcess":
        self.tick_timer = self.clock.call_later(STARTUP, self, "_begin")
        return self

    def _begin(self) -> None:
        """event_loop(): the timers armed, the socket read, the first probe sent."""
        self.tick_timer = None
        self.start_time = self.clock.now
        self.tap = self.ctx.netns.stack.open_tap(self.dev, self._on_frame)
        if self.opts.interval:
            self.tick_timer = self.clock.call_later(self.opts.interval, self, "_tick")
        if self.opts.timeout:
            self.timeout_timer = self.clock.call_later(self.opts.timeout, self, "_timeout")
        self._send()

    def blocked(self) -> bool:
        return self.tick_timer is None and self.timeout_timer is None

    def cleanup(self) -> None:
        self.clock.cancel(self.tick_timer)
        self.clock.cancel(self.timeout_timer)
        if self.tap is not None:
            self.ctx.netns.stack.close_tap(self.tap)

    def signal(self, signum: int) -> None:
        if signum in (SIGINT, SIGTERM, 3):
            self._finish()
        else:
            super().signal(signum)

    # ----------------------------------------------------------------- sending
    def _send(self) -> None:
        """send_pack(): a request (a reply with -A) from our address to the target."""
        o = self.opts
        me = self.dev.address
        arp = P.Arp(2 if o.advert else 1, me, self.gsrc, me if o.advert else self.he,
                    self.gdst)
        self.ctx.netns.stack.dev_xmit(self.dev, P.Frame(self.he, me, P.ETH_P_ARP, arp))
        self.last = self.clock.now
        self.sent += 1
        if not self.unicasting:
            self.brd_sent += 1

    def _tick(self) -> None:
        self.tick_timer = None
        if self.done:
            return
        self.expires += 1
        if 0 < self.opts.count < self.expires:
            self._finish()
            return
        self._send()
        self.tick_timer = self.clock.call_later(self.opts.interval, self, "_tick")

    def _timeout(self) -> None:
        self.timeout_timer = None
        if self.done:
            return
        due = self.tick_timer
        if due is not None and due.when <= self.clock.now + 1e-9:
            # poll() reports both timerfds: the probe timer is read first
            self.clock.cancel(due)
            self._tick()
            if self.done:
                return
        self._finish()

    # --------------------------------------------------------------- receiving
    def _on_frame(self, ts: float, frame: bytes, dev, outgoing: bool) -> None:
        if self.done or outgoing:
            return
        try:
            eth, rest = EthernetHeader.unpack(frame)
            if eth.ethertype != ETH_P_ARP:
                return
            arp, _ = ArpPacket.unpack(rest)
        except ValueError:
            return
        if eth.dst == self.dev.address:
            pkttype = "host"
        elif eth.dst == BROADCAST_MAC:
            pkttype = "broadcast"
        elif eth.dst[0] & 1:
            pkttype = "multicast"
        else:
            return                        # PACKET_OTHERHOST: a wild packet
        self._recv_pack(arp, pkttype)

    def _recv_pack(self, arp: ArpPacket, pkttype: str) -> None:
        o = self.opts
        me = self.dev.address
        if arp.op not in (1, 2) or arp.htype != 1 or arp.ptype != 0x0800:
            return
        if not o.dad:
            if arp.spa != self.gdst or self.gsrc != arp.tpa or arp.tha != me:
                return
        else:
            if arp.spa != self.gdst or arp.sha == me:
                return
            if int(self.gsrc) and self.gsrc != arp.tpa:
                return
        if not o.quiet:
            self.term.out(self._line(arp, pkttype))
        self.received += 1
        if o.timeout and self.received == o.count:
            self._finish()
            return
        if pkttype != "host":
            self.brd_recv += 1
        if arp.op == 1:
            self.req_recv += 1
        if o.quit_on_reply or (o.count == 0 and self.received == self.sent):
            self._finish()
            return
        if not o.broadcast_only:
            self.he = arp.sha
            self.unicasting = True

    def _line(self, arp: ArpPacket, pkttype: str) -> str:
        me = self.dev.address
        line = ("Unicast " if pkttype == "host" else "Broadcast ") + \
            ("reply from " if arp.op == 2 else "request from ")
        line += f"{arp.spa} [{arp.sha.hex(':').upper()}] "
        shown = False
        if arp.tpa != self.gsrc:
            line += f"for {arp.tpa} "
            shown = True
        if arp.tha != me:
            line += ("" if shown else "for ") + f"[{arp.tha.hex(':').upper()}]"
        if self.last is None:
            return line + " UNSOLICITED?\n"
        usecs = round((self.clock.now - self.last) * 1e6)
        msecs = (usecs + 500) // 1000
        usecs -= msecs * 1000 - 500
        return line + f" {msecs}.{usecs:03d}ms\n"

    # ------------------------------------------------------------------- end
    def _finish(self) -> None:
        if self.done:
            return
        o = self.opts
        if not o.quiet:
            text = (f"Sent {self.sent} probes ({self.brd_sent} broadcast(s))\n"
                    f"Received {self.received} response(s)")
            if self.brd_recv or self.req_recv:
                parts = []
                if self.req_recv:
                    parts.append(f"{self.req_recv} request(s)")
                if self.brd_recv:
                    parts.append(f"{self.brd_recv} broadcast(s)")
                text += " (" + ", ".join(parts) + ")"
            self.term.out(text + "\n")
        if o.dad:
            rc = int(bool(self.received))
        elif o.unsolicited:
            rc = 0
        else:
            rc = int(not self.received)
        if o.unsolicited:
            pass
        elif o.dad and o.quit_on_reply:
            rc |= int(not (self.brd_sent != self.received))
        elif o.timeout and not o.count > 0:
            rc |= int(not self.received > 0)
        else:
            rc |= int(self.sent != self.received)
        self.exit(rc)
