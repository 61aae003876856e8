"""`tracepath` (iputils tracepath.c, the version of the profile): UDP probes to port 44444 and up with
the don't-fragment bit, one TTL at a time, the answers read from the socket's error
queue (IP_RECVERR): `N:  host  0.123ms`, `reached` at the destination, `!N`/`!H` for
an unreachable, `pmtu N` when the path (or the first hop, `[LOCALHOST]`) is smaller
than the probe.

Recorded in namespaces with a router (transcripts/tools/tracepath_router.txt), and
over IPv6 (transcripts/packets/tracepath6_router_pmtu.txt): 128000-byte probes at
first, so the first hop's MTU comes back as a local EMSGSIZE (`[LOCALHOST]`, timed:
ipv6_local_error() names the probe's port), then ICMPv6 errors (packet too big,
hop limit, unreachable) through icmpv6_err_convert().
"""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel import packet as P
from ipemu.kernel import snmp
from ipemu.kernel.errors import Errno, KernelError
from ipemu.process import Process
from ipemu.tools.context import ToolContext
from ipemu.tools.resolver import (ResolveError, ReverseLookup, getaddrinfo, getnameinfo,
                                  literal_scope, scoped_text)

BASE_PORT = 44444            # DEFAULT_BASEPORT
MAX_HOPS_DEFAULT = 30
MAX_HOPS_LIMIT = 255
HOST_COLUMN_SIZE = 52
HIS_ARRAY_SIZE = 64
OVERHEAD_IPV4 = 28           # DEFAULT_OVERHEAD_IPV4: IP and UDP headers
OVERHEAD_IPV6 = 48           # DEFAULT_OVERHEAD_IPV6
DEFAULT_MTU_IPV4 = 65535
DEFAULT_MTU_IPV6 = 128000
WAIT = 1.0                   # data_wait(): one second for an answer
MAX_PROBES = 10              # probe_ttl()'s sendto() attempts before `send failed`

USAGE = """
Usage
  tracepath [options] <destination>

Options:
  -4             use IPv4
  -6             use IPv6
  -b             print both name and ip
  -l <length>    use packet <length>
  -m <hops>      use maximum <hops>
  -n             no dns name resolution
  -p <port>      use destination <port>
  -V             print version and exit
  <destination>  dns name or ip address

For more details see tracepath(8).
"""

# icmp_err_convert[]: the errno an ICMP unreachable code becomes, and what recverr()
# prints for it ("": the line ends, then `NET ERROR` on stderr)
UNREACH = {0: "!N", 1: "!H", 3: "reached", 6: "!N", 9: "!N", 10: "!H", 11: "!N", 12: "!H",
           13: "!H", 14: "!H", 15: "!H"}
# icmpv6_err_convert(): destination unreachable codes (no route, prohibited, beyond
# scope, address, port, policy, reject route) as recverr() prints their errno
UNREACH6 = {0: "!N", 1: "!A", 2: "!H", 3: "!H", 4: "reached", 5: "!A", 6: "!A"}
ICMPV6_PARAMPROB = 4
ERRNO_TEXT = {2: "Protocol not available", 5: "Operation not supported",
              7: "Host is down", 8: "Machine is not on the network"}


class _Version(Exception):
    """`-V`: the profile's version text on stdout, status 0."""


def _strtol(text: str, low: int, high: int) -> int:
    """strtol_or_err(): a number within [low, high], else `invalid argument`."""
    from ipemu.tools.cnum import strtol_whole
    value = strtol_whole(text)
    if value is None:
        raise CommandError(f"tracepath: invalid argument: '{text}'\n", 1)
    if not low <= value <= high:
        raise CommandError(f"tracepath: invalid argument: '{text}': out of range: "
                           f"{low} <= value <= {high}\n", 1)
    return value


def parse(argv: list[str], version: str = "") -> dict:
    """main()'s getopt("46nbh?l:m:p:V")."""
    opts = {"numeric": False, "both": False, "mtu": 0, "max": MAX_HOPS_DEFAULT, "port": 0,
            "family": 0}
    args = argv[1:]
    rest: list[str] = []
    while args:
        word = args.pop(0)
        if word == "--":
            rest += args
            break
        if not word.startswith("-") or word == "-":
            rest.append(word)
            continue
        letters = word[1:]
        while letters:
            ch, letters = letters[0], letters[1:]
            if ch in "lmp":
                value = letters or (args.pop(0) if args else None)
                letters = ""
                if value is None:
                    raise CommandError(f"tracepath: option requires an argument -- '{ch}'\n"
                                       + USAGE, 255)
                if ch == "l":
                    # checked against ctl.overhead, still 0 while parsing
                    opts["mtu"] = _strtol(value, 0, 2**31 - 1)
                elif ch == "m":
                    opts["max"] = _strtol(value, 0, MAX_HOPS_LIMIT)
                else:
                    opts["port"] = _strtol(value, 0, 65535)
            elif ch in "46":
                family = int(ch)
                if opts["family"] and opts["family"] != family:
                    raise CommandError("tracepath: Only one -4 or -6 option may be "
                                       "specified\n", 2)
                opts["family"] = family
            elif ch == "n":
                opts["numeric"] = True
            elif ch == "b":
                opts["both"] = True
            elif ch == "V":
                raise _Version(version)
            else:
                if ch not in "h?":
                    raise CommandError(f"tracepath: invalid option -- '{ch}'\n" + USAGE, 255)
                raise CommandError(USAGE, 255)
    if len(rest) != 1:
        raise CommandError(USAGE, 255)
    opts["host"] = rest[0]
    return opts


def main(ctx: ToolContext, argv: list[str]):
    try:
        opts = parse(argv, ctx.profile["tracepath_version"])
    except _Version as version:
        ctx.term.out(str(version))
        return 0
    host = opts["host"]
    if not opts["port"] and "/" in host:
        host, _, port = host.partition("/")       # backward compatibility: HOST/PORT
        opts["port"] = _strtol(port, 0, 65535)
    opts["port"] = opts["port"] or BASE_PORT
    try:
        dst = getaddrinfo(ctx.session, host, opts["family"], idn=True)   # AI_IDN
        scope_id, scope_dev = literal_scope(ctx.netns, host)
    except ResolveError as err:
        from ipemu.tools.resolver import failing_lookup, family_miss
        err = family_miss(ctx, host, err)
        waiting = failing_lookup(ctx, host, err.text, f"tracepath: {host}: {err.text}\n", 1)
        if waiting is not None:
            return waiting      # the queries wait for the recording host's nameserver
        raise CommandError(f"tracepath: {host}: {err.text}\n", 1)
    overhead = OVERHEAD_IPV4 if dst.version == 4 else OVERHEAD_IPV6
    if opts["mtu"] and opts["mtu"] <= overhead:
        raise CommandError(f"tracepath: pktlen must be within: {overhead} < value <= "
                           f"{2**31 - 1}\n", 1)
    try:
        if dst.version == 4 and opts["mtu"] and opts["mtu"] - overhead > 0xFFFF:
            # udp_sendmsg(): a payload over 0xFFFF bytes is EMSGSIZE at once, with
            # nothing queued (recorded: case tutorials36d_b3rr7_tracepath, -l 70000)
            raise KernelError(Errno.EMSGSIZE)
        # probe_ttl()'s sendto() with the sockaddr getaddrinfo() gave: a link-local
        # destination's interface is its sin6_scope_id; without one udpv6_sendmsg()
        # routes it with no oif (unlike connect(), no EINVAL): the first link-local
        # route's device takes it (recorded: tutorials39_linklocal_zone_errors)
        device = None
        if dst.version == 6 and (dst.is_link_local or
                                 dst.is_multicast and dst.packed[1] & 0x0F <= 2):
            device = scope_dev if scope_id else _route_device(ctx, dst)
        sock = ctx.netns.stack.open_udp_probe(dst, None, device)
    except KernelError:
        # probe_ttl(): an unconnected sendto() with no route (or too long a datagram)
        # fails ten times, and nothing reaches the error queue: `send failed`, and
        # the trace is over
        mtu = opts["mtu"] or (DEFAULT_MTU_IPV4 if dst.version == 4 else DEFAULT_MTU_IPV6)
        if opts["max"] < 1:
            ctx.term.out(f"     Too many hops: pmtu {mtu}\n")
        else:
            ctx.term.out(" 1:  send failed\n")
        ctx.term.out(f"     Resume: pmtu {mtu} \n")
        return 0
    return Tracepath(ctx, opts, dst, sock).start()


def _route_device(ctx: ToolContext, dst):
    """The device of the route a lookup with no oif finds (None: no route)."""
    try:
        route, _ = ctx.netns.lookup(dst)
    except KernelError:
        return None
    return ctx.netns.by_index(route.oif)


class Tracepath(Process):
    """main()'s TTL loop with probe_ttl() and recverr(), on the clock: each probe
    waits up to a second for the first error to arrive, then reads them all."""

    wait_limit = None

    def __init__(self, ctx: ToolContext, opts: dict, dst, sock) -> None:
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.opts = opts
        self.dst = dst
        self.sock = sock
        sock.on_error = self._error
        self.clock = ctx.host.clock
        self.v6 = dst.version == 6
        self.overhead = OVERHEAD_IPV6 if self.v6 else OVERHEAD_IPV4
        self.mtu = opts["mtu"] or (DEFAULT_MTU_IPV6 if self.v6 else DEFAULT_MTU_IPV4)
        self.ttl = 1
        self.old_mtu = self.mtu
        self.attempt = 0
        self.his: dict[int, tuple[int, float]] = {}   # slot -> (hops, send time)
        self.hisptr = 0
        self.hops_to = -1
        self.hops_from = -1
        self.queue: list[tuple] = []      # the socket's error queue
        self.waiting = False
        self.timer = None
        # print_host()'s getnameinfo() blocks recverr(): the queue waits meanwhile
        self.lookup = None
        self.named: dict = {}
        self.drained = -1         # recverr()'s progress so far, across a lookup

    def start(self) -> "Tracepath":
        self._begin_ttl()
        return self

    def blocked(self) -> bool:
        return False

    def cleanup(self) -> None:
        self.clock.cancel(self.timer)
        if self.lookup is not None:
            self.lookup.cancel()
        self.ctx.netns.stack.close_udp_probe(self.sock)

    # ------------------------------------------------------------ the loop
    def _begin_ttl(self) -> None:
        if self.ttl > self.opts["max"]:
            self.term.out(f"     Too many hops: pmtu {self.mtu}\n")
            self._finish()
            return
        self.old_mtu = self.mtu
        self.attempt = 0
        self._probe()

    def _probe(self) -> None:
        """probe_ttl(): a probe too big for the first hop fails at once (a local
        EMSGSIZE: `[LOCALHOST] pmtu N`) and is sent again at that size."""
        route_mtu = self._route_mtu()
        if route_mtu is not None and not self.v6:
            route_mtu = min(route_mtu, 0xFFFF)      # ip_mtu(): at most IP_MAX_MTU (lo's 65536)
        if route_mtu is not None and self.mtu > route_mtu:
            # ip_local_error() gives port 0 (no send time found); ipv6_local_error()
            # the probe's (recverr() times it: sent and failed at once)
            took = "  0.000ms " if self.v6 else ""
            self.term.out(f"{self.ttl:2d}?: {'[LOCALHOST]':<32} {took}pmtu {route_mtu}\n")
            self.mtu = route_mtu
        if not self.queue:
            failed = 0
            while self._refused():
                # probe_ttl(): sendto() fails (veth_xmit() dropped the frame for a
                # peer whose MTU is smaller, NET_XMIT_DROP; udp_send_skb() keeps the
                # ENOBUFS since IP_RECVERR is on) and recverr() finds nothing queued;
                # after MAX_PROBES of them `send failed` and probe_ttl() returns 0
                # (recorded: tutorials46d_size_limits, a veth whose peer has mtu 1400)
                failed += 1
                # udp_sendmsg()'s out: an ENOBUFS is counted SNDBUFERRORS
                snmp.udp_inc(self.ctx.netns.stack, "SndbufErrors", 6 if self.v6 else 4)
                if failed == MAX_PROBES:
                    self.term.out(f"{self.ttl:2d}:  send failed\n")
                    self._answered(0)
                    return
        slot = self.hisptr
        self.his[slot] = (self.ttl, self.clock.now)
        self.hisptr = (self.hisptr + 1) & (HIS_ARRAY_SIZE - 1)
        self.waiting = True
        self.timer = self.clock.call_later(WAIT, self, "_timeout")
        self.sock.send(bytes(self.mtu - self.overhead), ttl=self.ttl,
                       dport=self.opts["port"] + slot, df=True)

    def _refused(self) -> bool:
        """Whether the device refuses the probe sendto() would send now (ENOBUFS)."""
        stack = self.ctx.netns.stack
        sock = self.sock
        if self.v6:
            return stack.veth_refuses6(self.dst, self.mtu, sock.device, sock.src, sock.mark)
        return stack.veth_refuses(self.dst, self.mtu, sock.device, sock.src, sock.mark,
                                  None, (0, sock.proto, sock.sport,
                                         self.opts["port"] + self.hisptr))

    def _route_mtu(self) -> int | None:
        """The MTU a send may use: the route's device, or a path MTU learnt."""
        try:
            self.ctx.netns.lookup(self.dst, oif=self.sock.device)
        except KernelError:
            return None
        return self.ctx.netns.stack.route_mtu(self.dst, self.sock.device)

    def _error(self, src, dport: int, error: tuple[int, int]) -> None:
        self.queue.append((src, dport, error, self.sock.error_ttl, self.sock.error_info,
                           self.clock.now))
        if self.waiting:
            self.clock.cancel(self.timer)
            self._read_errors()

    def _timeout(self) -> None:
        self._read_errors()

    def _read_errors(self) -> None:
        """recverr() and then the TTL loop, unless a name lookup holds recverr()."""
        self.waiting = False
        res = self._recverr()
        if res is not None:
            self._answered(res)

    def _resolved(self, name) -> None:
        if self.lookup is None or self.done:
            return
        self.named[self.lookup.addr] = name
        self.lookup = None
        self._read_errors()

    def _answered(self, res: int) -> None:
        """The TTL loop after one probe_ttl(): a changed MTU probes the hop again."""
        self.waiting = False
        if self.done:
            return
        if self.mtu != self.old_mtu:
            self.old_mtu = self.mtu
            self.attempt = 0
            self._probe()
            return
        if res == 0:
            self._finish()
            return
        if res < 0:
            self.attempt += 1
            if self.attempt < 3:
                self._probe()
                return
            self.term.out(f"{self.ttl:2d}:  no reply\n")
        self.ttl += 1
        self._begin_ttl()

    def _finish(self) -> None:
        text = f"     Resume: pmtu {self.mtu} "
        if self.hops_to >= 0:
            text += f"hops {self.hops_to} "
        if self.hops_from >= 0:
            text += f"back {self.hops_from} "
        self.term.out(text + "\n")
        self.exit(0)

    # ------------------------------------------------------------ recverr()
    def _recverr(self) -> int | None:
        """Every queued error, printed; -1 when none came, 0 when the trace is over,
        else the MTU (progress); None while a name lookup holds it."""
        progress, self.drained = self.drained, -1
        while self.queue:
            head = self.queue[0][0]
            if (not self.opts["numeric"] or self.opts["both"]) and \
                    head not in self.named and ReverseLookup.needed(self.ctx, head):
                self.drained = progress
                self.lookup = ReverseLookup(self.ctx, head, self, "_resolved")
                self.lookup.start()
                return None
            src, dport, (type_, code), ttl_recv, info, when = self.queue.pop(0)
            progress = self.mtu
            slot = dport - self.opts["port"]
            sndhops, sent = -1, None
            if 0 <= slot < HIS_ARRAY_SIZE - 1 and slot in self.his:
                sndhops, sent = self.his.pop(slot)
            text = f"{sndhops:2d}:  " if sndhops > 0 else f"{self.ttl:2d}?: "
            text += self._host(src)
            if sent is not None:
                usec = round((when - sent) * 1e6)
                text += f"{usec // 1000:3d}.{usec % 1000:03d}ms "
            rethops = 65 - ttl_recv if ttl_recv <= 64 else \
                129 - ttl_recv if ttl_recv <= 128 else 256 - ttl_recv
            mark = self._errno_mark(type_, code)
            if mark == "hop":
                if sndhops >= 0 and rethops != sndhops or \
                        sndhops < 0 and rethops != self.ttl:
                    text += f"asymm {rethops:2d} "
                self.term.out(text + "\n")
                continue
            if mark == "pmtu":                    # EMSGSIZE
                self.mtu = info
                self.term.out(text + f"pmtu {info}\n")
                continue
            if mark == "reached":
                self.hops_to = sndhops if sndhops >= 0 else self.ttl
                self.hops_from = rethops
            if mark is None:
                self.term.out(text + "\n")
                self.term.err(f"tracepath: NET ERROR: {ERRNO_TEXT.get(code, 'Unknown')}\n")
                return 0
            self.term.out(text + mark + "\n")
            return 0
        return progress

    def _errno_mark(self, type_: int, code: int) -> str | None:
        """What recverr() prints for the errno an error became (icmp_err_convert[],
        icmpv6_err_convert()): `hop` (a hop limit run out), `pmtu`, a mark, or None
        (NET ERROR)."""
        if not self.v6:
            if type_ == P.ICMP_TIME_EXCEEDED:
                return "hop"
            if type_ == P.ICMP_DEST_UNREACH and code == P.ICMP_FRAG_NEEDED:
                return "pmtu"
            return UNREACH.get(code) if type_ == P.ICMP_DEST_UNREACH else None
        if type_ == P.ICMPV6_TIME_EXCEED:
            return "hop" if code == 0 else "!H"
        if type_ == P.ICMPV6_PKT_TOOBIG:
            return "pmtu"
        if type_ == ICMPV6_PARAMPROB:
            return "!P"
        return UNREACH6.get(code, "!H") if type_ == P.ICMPV6_DEST_UNREACH else None

    def _host(self, addr) -> str:
        """print_host(): the name (or `???`), the address with -n; -b shows both;
        padded to the host column. The offender's sockaddr has the scope id of a
        link-local source (ipv6_recv_error()): getnameinfo() prints `%NAME`."""
        numeric = str(addr)
        if addr.version == 6 and addr.is_link_local:
            device = self.sock.device or _route_device(self.ctx, self.dst)
            if device is not None:
                numeric = scoped_text(addr, device.ifindex, self.ctx.netns)
        if addr in self.named:
            name = self.named.pop(addr) or "???"
        else:
            name = getnameinfo(self.ctx.session, addr) or "???"
        first, second = (numeric, name) if self.opts["numeric"] else (name, numeric)
        text = first + (f" ({second})" if self.opts["both"] else "")
        plen = min(len(text), HOST_COLUMN_SIZE - 1)
        return text + " " * (HOST_COLUMN_SIZE - plen)

