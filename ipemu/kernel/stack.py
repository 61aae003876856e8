"""The packet paths of one namespace: transmit and receive on each kind of device,
packet taps, ARP, IPv4 input/output/forwarding, ICMP, and the ping sockets.

Time: every hop takes a few virtual microseconds (HOP_DELAY), so that replies arrive
after requests, captures carry distinct timestamps, and ping's rtt is a small,
deterministic model of a real host's.
"""
from __future__ import annotations

import ipaddress
import struct
from collections.abc import Callable

from heapq import heappop as _heappop, heappush as _heappush

from ipemu.kernel import packet as P
from ipemu.kernel import snmp, xfrm
from ipemu.kernel.bridge import NUD_PERMANENT, BrPortConf, BrState, br_fdb_expire, port_state
from ipemu.kernel.clock import Timer
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib_default import fib_select_default
from ipemu.kernel.fib_multipath import select_path
from ipemu.kernel.fib import (RTN, TABLE_LOCAL, TABLE_MAIN, V4_LIMITED_BROADCAST, FibTable,
                              Route, Scope, nh_gw4)
from ipemu.kernel.macvlan import macvlan_handle_frame, macvlan_queue_xmit
from ipemu.kernel.mcast import _vxlan_groups
from ipemu.kernel.neigh import _CONNECTED as _NEIGH_CONNECTED, _SEND_NOW as _NEIGH_SEND_NOW
from ipemu.kernel.neigh import NUD_VALID, NeighTable, Nud
from ipemu.kernel.netdev import IFF, NetDevice, unmark
from ipemu.kernel.wire.ipv4 import echo_record_route, record_route, stamp_timestamp
from ipemu.plainclass import dataclass, replace

# iputils' fill pattern of an echo's data (setup(): outpack + 8, byte i is i), recorded
_FILL = bytes(range(256))
_TIMEVAL = struct.Struct("<qq").pack
# virtual seconds a frame spends crossing a device, and the extra cost of a first
# packet on a fresh socket (route and neighbour cache misses). A veth hands its frame
# to the peer's backlog (veth_xmit() -> __netif_rx()), processed as the sender's
# bottom half ends, on the same CPU: a router's answer from two veth hops away came
# back 14 us after a traceroute probe left, before the next probe (-i any, recorded in
# tutorials45d_huataihuang_any_router); 4 us a crossing keeps that order
_ZERO_MAC = bytes(6)
HOP_DELAY = {"loopback": 4e-6, "veth": 4e-6, "bridge": 3e-6, "ether": 30e-6}
# is_skb_forwardable(): a frame may exceed the receiving device's MTU by its hard
# header (ETH_HLEN) and VLAN_HLEN
VETH_SLACK = 14 + 4
LOCAL_DELIVERY = 5e-6
# bridges a frame may cross before the simulation lets it go. Ports of one bridge
# joined by a veth, or two bridges joined twice, without STP make a loop that the
# kernel keeps switching a broadcast round for as long as the loop stands (a storm:
# br_handle_frame() has no hop limit, and br_fdb_update() only warns "received packet
# on %s with own address as source address"); each round here is a few events of
# virtual time, so a storm would hold the clock at one instant. What a user sees of
# one (the counters racing, copies of one ARP request in a capture) is the machine's
# speed; the budget keeps the rest (pings, timers, other traffic) going. No path
# without a loop crosses this many bridges.
BRIDGE_LOOP_BUDGET = 256
COLD_START = 45e-6
FLOW_RETRY = 1e-3        # virtual seconds between looks for an echo flow that was not there
ICMP_SEND_COST = 4e-6
INADDR_DUMMY = ipaddress.IPv4Address("192.0.0.8")    # RFC 7600, include/uapi/linux/in.h
ARP_MIN_LEN = 0          # veth and lo do not pad short frames
IPPROTO_UDPLITE = 136
# the IPv4 protocols this kernel has a handler for, or that the simulation leaves
# silent for want of a recording (ip_local_deliver()'s others earn a protocol
# unreachable): ICMP, IGMP, TCP, UDP, UDP-Lite, and ESP, AH, PIM, IPcomp, SCTP, L2TP
IPV4_PROTOCOLS_HANDLED = frozenset((1, 2, 6, 17, 50, 51, 103, 108, 115, 132, 136))
# ipv6_ext_hdr(): hop-by-hop, routing, fragment, AH, none, destination options
IPV6_EXT_HEADERS = frozenset((0, 43, 44, 51, 59, 60))
# IPv6's: the extension headers, TCP, UDP, ICMPv6, UDP-Lite, and those left silent
# for want of a recording (IPv4's list); 59 is nodata_protocol's dst_discard()
IPV6_PROTOCOLS_HANDLED = IPV6_EXT_HEADERS | frozenset((6, 17, 58, 136, 50, 103, 108, 115,
                                                       132, 4, 41, 47))
LOOPBACK_IFINDEX = 1      # net->loopback_dev: lo whatever its name
IPV4_ANY = ipaddress.IPv4Address(0)
IPV6_ANY = ipaddress.IPv6Address(0)


@dataclass
class Tap:
    """A packet socket (tcpdump): `dev` None captures on every device."""

    dev: NetDevice | None
    callback: Callable[[float, bytes, NetDevice, bool], None]
    closed: bool = False
    on_gone: Callable[[], None] | None = None     # its device unregistered
    promisc: bool = False       # PACKET_MR_PROMISC on `dev` (counted in its promiscuity)


@dataclass
class RawSock:
    """A SOCK_RAW socket a program holds open (raw_v4_hashinfo / raw_v6_hashinfo),
    as /proc/net/raw{,6} and inet_diag (ss -w) list it: its protocol is its local
    "port", it is bound to no address and stays in TCP_CLOSE (UNCONN)."""

    family: int             # 4 or 6
    protocol: int           # IPPROTO_ICMP (1), IPPROTO_ICMPV6 (58)...
    owner: object = None    # the process holding it (ss -p, netstat -p)
    fd: int = 3
    src = property(lambda self: IPV4_ANY if self.family == 4 else IPV6_ANY)
    dst = src
    sport = property(lambda self: self.protocol)
    dport = 0
    device = None
    v6only = False


def _pattern_fill(pattern: bytes, size: int) -> bytes:
    """iputils fill(): copies of the pattern at outpack + 8 + kk for kk up to
    `size - n + 8`, or one copy only when size < n + 8 (its bound is then 0); the
    rest of the data stays zero (recorded: `ping -6 -s 8 -p 41` sends 41 00 .. 00)."""
    n = len(pattern)
    copies = 1 if size < n + 8 else (size - n + 8) // n + 1
    return (pattern * copies)[:size].ljust(size, b"\0")


def _stamped(data: bytes, stamp: float | None) -> bytes:
    """ping4_send_probe(): gettimeofday() into the data's first 16 bytes (an x86_64
    struct timeval, little-endian), when the data has room for one."""
    if stamp is None or len(data) < 16:
        return data
    sec = int(stamp)
    return _TIMEVAL(sec, int((stamp - sec) * 1e6)) + data[16:]


# kmalloc's size classes (kmalloc_size_roundup()) up to two pages
_KMALLOC_SIZES = (32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192)


class PingSocket:
    """A raw ICMP socket as ping opens it: sends echo requests, receives replies and
    the ICMP errors that quote its own echoes."""

    def __init__(self, stack: "Stack", family: int, ident: int, device: NetDevice | None,
                 on_reply, on_error):
        self.stack = stack
        self.family = family
        self.ident = ident
        self.device = device
        self.on_reply = on_reply
        self.on_error = on_error
        self.cold = True
        self.closed = False
        self.busy_until = 0.0     # when the last echo handed to the stack leaves

    # the last echo's data and its pattern (class defaults: a socket saved before
    # these existed restores without them)
    _data: bytes | None = None
    _pattern = b""
    # the round trip of its last echoes (Stack.echo_flight), and when to look for one
    # again after the full path had to take them: caches, not state
    __transient__ = ("_flow", "_flow_retry")
    _flow = None
    _flow_retry = -1.0
    mark = 0        # SO_MARK (ping -m): raw_sendmsg() routes each echo with it
    flowlabel = 0   # IPV6_FLOWINFO_SEND (ping -6 -F): the echoes' flow label
    dontroute = False   # SO_DONTROUTE (ping -r): RTO_ONLINK, link routes only
    # IP_MTU_DISCOVER IP_PMTUDISC_PROBE (traceroute -I -F / --mtu): DF set, the
    # device's MTU rather than a learnt path MTU (ip_skb_dst_mtu())
    pmtudisc_probe = False

    def send_echo(self, dst, seq: int, size: int, ttl: int | None, source=None,
                  pattern: bytes = b"", dont_fragment: bool = False, tos: int = 0,
                  options: bytes = b"", stamp: float | None = None, df: bool = True):
        """sendto(): None, or (errno, info) for a local error (EMSGSIZE with the route's
        MTU for a datagram IP cannot carry, or, with IP_PMTUDISC_DO, that a
        device would have to fragment). `stamp`: the wall time ping writes over the
        data's first 16 bytes (a struct timeval, when the data has room for one).
        `df`: False with IP_PMTUDISC_DONT (ip_dont_fragment())."""
        header = 28 + len(options) if self.family == 4 else 48
        if self.family == 4 and source is not None and int(source) and \
                not self.stack._local_v4(source) and \
                self.stack.ns.inet_addr_type_dev_table(None, source) != RTN.LOCAL:
            # raw_sendmsg() -> __ip_route_output_key(): a source bound with
            # ip_nonlocal_bind is no address here (__ip_dev_find(): the address list,
            # then table local, so an AnyIP `local` route's addresses are) and the
            # socket has no FLOWI_FLAG_ANYSRC: ENETUNREACH before anything is queued,
            # which ping counts as sent and does not report (recorded: nothing reaches
            # the peer, tutorials41c_nonlocal_bind_ping; IPv6 sends it). INADDR_ANY is
            # no bound source: ping -I DEV with no address on the host says "from
            # 0.0.0.0" and its echo leaves (fuzz42b_bindtodevice_noaddr)
            return (Errno.ENETUNREACH, None)
        if self.family == 4 and size + 8 > 0xFFFF:
            # raw_sendmsg(): `if (len > 0xFFFF) goto out` with -EMSGSIZE before any
            # ip_local_error(): nothing in the error queue (info None)
            return (Errno.EMSGSIZE, None)
        # raw_sendmsg(): the route's MTU matters only to a datagram over 64 KiB or one
        # that may not be fragmented (the lookup itself is ip_output()'s)
        # (__ip6_append_data(): an IPv6 datagram's bound is its payload's, IPV6_MAXPLEN
        # past the 40-byte header: `ping -6 -s 65508` is sent in fragments; recorded,
        # fuzz41 seed 490530)
        too_big = size + header - (40 if self.family == 6 else 0) > 65535
        if too_big or dont_fragment:
            mtu = self.stack.route_mtu(dst, self.device)
            if too_big or size + header > mtu:
                # the route's MTU as ipv4_mtu() and ip6_mtu() cap it: IP_MAX_MTU
                # (0xFFFF), IP6_MAX_MTU (0xFFFF + the IPv6 header); __ip6_append_data()
                # reports mtu - headersize + sizeof(ipv6hdr), the MTU itself (recorded:
                # `ping -6 -s 65528` to an address of this host, via lo: "mtu: 65536")
                return (Errno.EMSGSIZE, min(mtu, 65535 if self.family == 4 else 65575))
        data = self._data
        if data is None or len(data) != size or self._pattern != pattern:
            # the echo's data, made once for all the echoes of this size and pattern
            if pattern:
                data = _pattern_fill(pattern, size)
            else:
                data = (_FILL * (size // 256 + 1))[:size]       # iputils' fill pattern
            self._data, self._pattern = data, pattern
        delay = COLD_START if self.cold else 0.0
        self.cold = False
        # sendto() returns once its echo is out: one sent right after (ping -l) never
        # overtakes the first one's cold start
        now = self.stack.clock.now
        if self.busy_until - now > delay:
            delay = self.busy_until - now
        self.busy_until = now + delay
        if ttl is None and dst.is_multicast:
            # __ip_make_skb() / ip6_make_skb(): a multicast route's datagram takes the
            # socket's mc_ttl (IPV6 mcast_hops), 1 unless IP_MULTICAST_TTL says (ping
            # -t sets both); ip_select_ttl()'s unicast TTL is not asked
            ttl = 1
        if self.family == 4:
            if df and not dont_fragment and self.stack.route_mtu_locked(dst, self.device):
                # ip_dont_fragment(): IP_PMTUDISC_WANT sets DF only while the route's
                # MTU is not locked (recorded: `ip route add ... mtu lock 1450`, an
                # echo of 1448 crosses a 1400 link in fragments and is answered)
                df = False
            mark = self.mark
            flow = self._flow
            # the flow's landing checked the tables and sysctls in this very tick, and
            # its first echo of this size got past veth_refuses(): nothing has run since
            # that could change the answer (Flight.flight_landed)
            if (flow is None or flow.ticks != self.stack.clock.ticks or
                    flow.key != (dst, size, source) or delay > 0) and \
                    self.stack.veth_refuses(dst, size + header, self.device, source, mark,
                                            P.ICMP_ECHO, _echo_flow(tos)):
                return (Errno.ENOBUFS, 0)
            if options and source is not None:
                # ip_options_build(): the sender's own address in the first RR slot,
                # its own stamp (and address) in the first timestamp slot
                options = record_route(options, source)
                options = self.stack.stamp_options(options, source, overflow=False)
            stack = self.stack
            ip_id = stack._ip_id = (stack._ip_id + 1) & 0xFFFF      # next_ip_id()
            if ttl is None:
                ttl = stack.select_ttl(dst, self.device, mark)
            # (the fast path's route is the flow's without TOS and protocol: not
            # while rules may select by them)
            probe = self.pmtudisc_probe
            if delay <= 0 and not options and self.device is None and source is not None \
                    and not mark and df and not probe and Stack.flow_cache and \
                    not stack.ns.fib_has_custom_rules and stack.echo_flight(
                        self, dst, seq, size, ttl, source, tos,
                        data, stamp, ip_id):
                return None         # in flight on the flow's fast path
            data = _stamped(data, stamp)
            pkt = P.Ipv4(src=source, dst=dst, proto=P.IPPROTO_ICMP,
                         payload=P.Icmp(P.ICMP_ECHO, 0, self.ident, seq, data),
                         ttl=ttl, tos=tos, id=ip_id,
                         df=df, options=options)
            if delay <= 0:
                self.stack.ip_output(pkt, self.device, False, mark, pmtu_probe=probe)
            elif probe:
                self.stack.later(delay, self.stack, "ip_output", pkt, self.device, False,
                                 mark, None, True)
            else:
                self.stack.later(delay, self.stack, "ip_output", pkt, self.device, False, mark)
        else:
            if (source is None or source.is_unspecified) and self.device is not None and \
                    self.stack.ns.ipv6_dev_get_saddr(self.device, dst) is None:
                # rawv6_sendmsg() -> ip6_dst_lookup_tail(): no source given and
                # ipv6_dev_get_saddr() finds none on the bound device (a link-scope or
                # multicast destination looks there only): EADDRNOTAVAIL before
                # anything is queued; ping counts it sent, prints nothing, no dot
                # (recorded: fuzz41b_ping6_flood_nosource)
                return (Errno.EADDRNOTAVAIL, None)
            if self.stack.veth_refuses6(dst, size + header, self.device, source, self.mark):
                return (Errno.ENOBUFS, 0)
            data = _stamped(data, stamp)
            # rawv6_sendmsg(): IPV6_TCLASS (ping -Q) and the flow label given with
            # IPV6_FLOWINFO_SEND (ping -F), else the socket's automatic one
            pkt = P.Ipv6(src=source, dst=dst, next_header=P.IPPROTO_ICMPV6,
                         payload=P.Icmp6(P.ICMPV6_ECHO_REQUEST, 0, self.ident, seq, data),
                         hop_limit=(64 if dst.is_multicast else HOP_LIMIT_DEFAULT)
                         if ttl is None else ttl, traffic_class=tos,
                         flow_label=self.flowlabel or self.stack.flow_label(source, dst))
            self.stack.later(delay, self.stack, "ip6_output", pkt, self.device, False,
                             self.mark)
        return None

    def echo_rounds(self, dst, size: int, source, tos: int, pattern: bytes,
                    limit: int) -> list[float]:
        """Up to `limit` round trips of echoes on the flow's fast path, each sent the
        instant the one before was answered, the first now: what a flood (ping -f, no
        preload) does while nothing else is due. Sent from a landing (the flow's
        checks were made in this very tick), each round is exactly what send_echo()'s
        echo_flight() and its Flight.flight_landed() would make of it (IP ids, the
        clock's event numbers and run count, neighbours' `used`, the flow's owed
        counts): the rounds end before any other event is due (a cancelled one at the
        top is dropped as echo_flight() drops it) and by the run's horizon
        (VirtualClock.horizon), so that nothing could have seen an instant between
        them. Answers the arrival instants (the clock then stands at the last one), or
        [] when the flow does not hold now: the caller sends the usual way."""
        stack = self.stack
        clock = stack.clock
        flow = self._flow
        if limit <= 0 or not Stack.flow_burst or not Stack.flow_cache or self.family != 4 or \
                flow is None or flow.ticks != clock.ticks or flow.key != (dst, size, source) or \
                clock.flights or self.device is not None or self.mark or self.closed or \
                self.cold or size + 28 > 65535 or self._data is None or \
                len(self._data) != size or self._pattern != pattern or \
                flow.genid != FibTable.genid or flow.ver_a != flow.sys_a.version or \
                flow.ver_b != flow.sys_b.version:
            return []
        now = clock.now
        if self.busy_until > now:
            return []
        h1, h2, h3, h4, h5 = flow.hops
        horizon = clock.horizon
        heap = clock.heap
        arrivals: list[float] = []
        sent = now
        while len(arrivals) < limit:
            # echo_flight()'s arrival, the hops' times added one by one
            arrival = sent + h1 + h2 + h3 + h4 + h5
            if arrival > horizon:
                break
            while heap and heap[0][0] <= arrival:
                if not heap[0][2].cancelled:
                    break
                _heappop(heap)
            else:
                arrivals.append(arrival)
                sent = arrival
                continue
            break
        k = len(arrivals)
        if not k:
            return []
        last_sent = arrivals[-2] if k > 1 else now
        # send_echo() and echo_flight() of each: the sender's IP id, the flight's event
        # number; flight_landed(): the peer's IP id, the four events the full path
        # would have queued, the run's count of events
        stack._ip_id = (stack._ip_id + k) & 0xFFFF
        clock.seq += k
        clock.ticks += k
        clock.now = arrivals[-1]
        self.busy_until = last_sent
        flow.land(clock, last_sent, tos, k)
        return arrivals

    def deliver_reply(self, src, seq: int, ttl: int, size: int, dev: NetDevice,
                      options: bytes = b"") -> None:
        if options:
            self.on_reply(src, seq, ttl, size, dev, options)
        else:
            self.on_reply(src, seq, ttl, size, dev)

    def deliver_error(self, src, seq: int, error: tuple[int, int] | None,
                      acknowledge: bool = True, dev: NetDevice | None = None,
                      ttl: int | None = None) -> None:
        """An ICMP error (type, code) quoting an echo of ours; None: seen as a raw
        packet only. `dev`: the device it arrived by (the scope id of a link-local
        source), when known; `ttl`: the error's own TTL (hop limit), which IP_RECVTTL
        hands a reader of the error queue (ip_recv_error() -> ip_cmsg_recv())."""
        if ttl is not None:
            self.error_ttl = ttl
        if dev is None:
            self.on_error(src, seq, error, acknowledge)
        else:
            self.on_error(src, seq, error, acknowledge, dev)

    def close(self) -> None:
        self.closed = True
        if self in self.stack.ping_sockets:
            self.stack.ping_sockets.remove(self)


# an IPv6 packet's hop limit left to ip6_output(): a socket without IPV6_UNICAST_HOPS
# (ip6_sk_dst_hoplimit() -> ip6_dst_hoplimit(): the route's, else the device's)
HOP_LIMIT_DEFAULT = -1


def _l3mdev_bound(dev: NetDevice) -> bool:
    """fl4->flowi4_l3mdev: the output device is a VRF or one of its ports."""
    return dev.vrf_table is not None or bool(dev.l3mdev_slave)


def onlink_route(dst, dev: NetDevice) -> Route:
    """The route ip_route_output_key_hash_rcu() makes when a flow with an output
    device finds no route: RTN_UNICAST to the destination itself on that device
    (make_route with res->fi NULL: no gateway, no prefsrc), scope link."""
    return Route(dst=ipaddress.ip_network(dst), table=TABLE_MAIN, oif=dev.ifindex,
                 scope=Scope.LINK)


class UdpSocket:
    """A connected UDP socket (what bash opens for `> /dev/udp/HOST/PORT`): every
    write is one datagram from an ephemeral port, its checksum left to the device
    (CHECKSUM_PARTIAL, as every device the simulation has offers checksum offload)."""

    def __init__(self, stack: "Stack", src, dst, dport: int, device: NetDevice | None = None):
        self.stack = stack
        self.src, self.dst, self.dport = src, dst, dport
        self.device = device
        # inet_hash_connect(): a port of ip_local_port_range; ip4_datagram_connect():
        # a random IP id to start from
        self.sport = stack.rng.randrange(32768, 61000)
        self._ip_id = stack.rng.getrandbits(16)

    on_error = None      # IP_RECVERR: called with (src, dport, (type, code)) of an error
    # traceroute -U's probes, each of a socket (source port) of its own: errors quoting
    # one of these ports come here too, reported with that source port, not the dport
    probe_sports: "set[int] | tuple" = ()

    pmtudisc_probe = False   # IP_MTU_DISCOVER IP_PMTUDISC_PROBE: the device's MTU
    # IPPROTO_UDPLITE (136) for socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE), as
    # traceroute -UL opens its probes' sockets: the same header, another protocol
    proto = P.IPPROTO_UDP
    mark = 0             # SO_MARK: each datagram's skb->mark, which the rules see
    # IP_OPTIONS with a source route: the options the datagrams carry (the first
    # gateway taken out of the list, ip_options_get()) and that gateway, which the
    # datagrams are sent and routed to (opt.faddr)
    ip_options = b""
    first_hop = None
    error_ttl = 64       # IP_RECVTTL: the TTL the last error arrived with
    error_info = 0       # ee_info of the last error: the MTU of a frag-needed one

    def deliver_error(self, src, dport: int, error: tuple[int, int], ttl: int = 64,
                      info: int = 0) -> None:
        if self.on_error is not None:      # closed meanwhile: the error is lost
            self.error_ttl, self.error_info = ttl, info
            self.on_error(src, dport, error)

    def send(self, data: bytes, ttl: int = 64, dport: int | None = None,
             df: bool = True, sport: int | None = None) -> None:
        # udp_sendmsg() / ip_append_data(): one datagram fits the 16-bit IP length
        # (65535 less the IPv4 and UDP headers; IPv6's payload length holds the UDP one)
        if len(data) > (65507 if self.dst.version == 4 else 65527):
            raise KernelError(Errno.EMSGSIZE)
        udp = P.Udp(self.sport if sport is None else sport,
                    self.dport if dport is None else dport, data, partial=True)
        snmp.udp_inc(self.stack, "OutDatagrams", self.dst.version)    # udp_send_skb()
        if self.dst.version == 4:
            self._ip_id = (self._ip_id + 1) & 0xFFFF
            self.stack.ip_output(P.Ipv4(self.src, self.first_hop or self.dst, self.proto,
                                        udp, ttl=ttl, id=self._ip_id, df=df,
                                        options=self.ip_options),
                                 oif=self.device, pmtu_probe=self.pmtudisc_probe,
                                 mark=self.mark)
        else:
            self.stack.ip6_output(P.Ipv6(self.src, self.dst, self.proto, udp,
                                         hop_limit=ttl,
                                         flow_label=self.stack.flow_label(self.src, self.dst)),
                                  oif=self.device)


def _has_source_route(options: bytes) -> bool:
    """ip_options_compile(): an LSRR (131) or SSRR (137) among the options."""
    i = 0
    while i < len(options):
        kind = options[i]
        if kind == 0:
            return False
        if kind == 1:
            i += 1
            continue
        if kind in (0x83, 0x89):
            return True
        if i + 1 >= len(options) or options[i + 1] < 2:
            return False
        i += options[i + 1]
    return False


class RawProbeSocket:
    """socket(AF_INET[6], SOCK_RAW, PROTOCOL) with IP_RECVERR and a TTL per probe, as
    traceroute's raw method (-P PROT) opens it: its datagrams carry the data alone
    (no IP_HDRINCL), and the ICMP errors quoting one of its protocol to its
    destination reach its error queue (raw_icmp_error() -> raw_err()). IPv6's
    rawv6_err() hands ipv6_icmp_error() the payload past the quoted header, so the
    address recvmsg() reports is not the destination's and traceroute's
    raw_check_reply() takes none of them (recorded: `traceroute -6 -P 59` all `*`)."""

    error_ttl = 64

    def __init__(self, stack: "Stack", dst, protocol: int, on_error,
                 device: "NetDevice | None" = None) -> None:
        self.stack = stack
        self.dst = dst
        self.protocol = protocol & 0xFF
        self.on_error = on_error          # (src, (type, code), ttl)
        self.device = device
        self._ip_id = stack.rng.getrandbits(16)

    def send(self, src, data: bytes, ttl: int, df: bool = False) -> None:
        if self.dst.version == 6:
            self.stack.ip6_output(P.Ipv6(src, self.dst, self.protocol, data, hop_limit=ttl,
                                         flow_label=self.stack.flow_label(src, self.dst)),
                                  oif=self.device)
            return
        self._ip_id = (self._ip_id + 1) & 0xFFFF
        self.stack.ip_output(P.Ipv4(src, self.dst, self.protocol, data, ttl=ttl,
                                    id=self._ip_id, df=df), oif=self.device)

    def deliver_error(self, src, error: tuple[int, int], ttl: int) -> None:
        if self.on_error is not None:
            self.error_ttl = ttl
            self.on_error(src, error, ttl)

    def close(self) -> None:
        self.on_error = None
        if self in getattr(self.stack, "raw_probes", ()):
            self.stack.raw_probes.remove(self)


class RawTcpSocket:
    """socket(AF_INET[6], SOCK_RAW, IPPROTO_TCP) with IP_RECVERR, as traceroute -T opens
    it: a copy of every TCP segment of its family that arrives (raw_v4_input() /
    ipv6_raw_deliver(), before tcp_v4_rcv() / tcp_v6_rcv()) and the ICMP (ICMPv6)
    errors quoting TCP (raw_icmp_error() / rawv6_err())."""

    error_ttl = 64       # IP_RECVTTL: the TTL the last error arrived with
    error_info = 0
    family = 4           # a socket saved before IPv6 ones existed is an IPv4 one

    def __init__(self, stack: "Stack", on_segment, on_error) -> None:
        self.stack = stack
        self.on_segment = on_segment      # (pkt)
        self.on_error = on_error          # (src, quoted, (type, code))
        self._ip_id = stack.rng.getrandbits(16)

    def send_syn(self, src, dst, sport: int, dport: int, ttl: int, seq: int,
                 flags: int = 0x02, window: int = 0, options: bytes = b"",
                 df: bool = False) -> None:
        """A SYN built by hand (mod-tcp.c tcp_send_probe()), TTL as the probe wants;
        `df` as the socket's IP_MTU_DISCOVER makes it (traceroute's tune_socket():
        IP_PMTUDISC_DONT, no DF, unless -F)."""
        syn = P.Tcp(sport, dport, seq, 0, flags, window, options)
        if dst.version == 6:
            # rawv6_sendmsg(): the hop limit IPV6_UNICAST_HOPS gave, the socket's
            # automatic flow label
            self.stack.ip6_output(P.Ipv6(src, dst, P.IPPROTO_TCP, syn, hop_limit=ttl,
                                         flow_label=self.stack.flow_label(src, dst)))
            return
        self._ip_id = (self._ip_id + 1) & 0xFFFF
        self.stack.ip_output(P.Ipv4(src, dst, P.IPPROTO_TCP, syn, ttl=ttl, id=self._ip_id,
                                    df=df))

    def deliver_error(self, src, quoted: bytes, error: tuple[int, int], ttl: int) -> None:
        if self.on_error is not None:
            self.error_ttl = ttl
            self.on_error(src, quoted, error)

    def close(self) -> None:
        self.on_segment = self.on_error = None
        if self in getattr(self.stack, "raw_tcp", ()):
            self.stack.raw_tcp.remove(self)


class EchoFlow:
    """The plain round trip of one ping socket's echoes to a neighbour one veth pair
    away, as the full path makes it (the kernel's early demux and cached dst, OVS's
    megaflow): which devices count the request and the reply, how long each hop takes,
    which namespace's IP id the reply takes. Made by Stack._echo_flow() from the state
    as it is; good while nothing but its own echoes has run since (`ticks`) and no
    table or sysctl has changed (`genid`, the sysctl versions)."""

    __slots__ = ("landed", "dirty", "sock", "key", "stack", "peer", "dev1", "dev2", "dev3", "dev4", "n1", "n2",
                 "length", "hops", "ticks", "genid", "sys_a", "sys_b", "ver_a", "ver_b")

    def __init__(self, sock: PingSocket, key: tuple, stack: "Stack", peer: "Stack",
                 devs: tuple, neighs: tuple, length: int, hops: tuple, ticks: int) -> None:
        self.sock, self.key, self.stack, self.peer = sock, key, stack, peer
        self.dev1, self.dev2, self.dev3, self.dev4 = devs
        self.n1, self.n2 = neighs
        self.length, self.hops, self.ticks = length, hops, ticks
        self.genid = FibTable.genid
        self.sys_a, self.sys_b = stack.ns.sysctls, peer.ns.sysctls
        self.ver_a, self.ver_b = self.sys_a.version, self.sys_b.version
        self.landed = [0, 0, 0, 0]      # flights landed since the last flush, by ECN
        self.dirty = False              # on the clock's `pending` list

    def land(self, clock, sent: float, tos: int, rounds: int = 1) -> None:
        """What the full path's hops do of `rounds` round trips, the last sent at
        `sent` (Flight.flight_landed(): one; PingSocket.echo_rounds(): several): the
        peer's icmp_reply() takes an IP id each, each neighbour used is stamped at the
        last one's instant, the four events a round trip would have queued since; the
        devices' and both namespaces' counts are owed until anything else runs or the
        run ends (flush(), VirtualClock.pending)."""
        peer = self.peer
        peer._ip_id = (peer._ip_id + rounds) & 0xFFFF
        if self.n1 is not None:
            self.n1.used = sent
        if self.n2 is not None:
            h1, h2 = self.hops[:2]
            self.n2.used = sent + h1 + h2      # the reply's output, at its instant
        clock.seq += 4 * rounds
        self.ticks = clock.ticks
        self.landed[tos & 3] += rounds
        if not self.dirty:
            self.dirty = True
            clock.pending.append(self)

    def flush(self) -> None:
        """The counts of the round trips that landed since the last flush, as the full
        path's hops make them: each device counts its frames; in the MIBs (snmp.py)
        the request out of this namespace and
        into the peer's (ip_rcv_core() counts its ECN codepoint), the reply (tos 0,
        icmp_reply()) out of the peer's and into this one."""
        self.dirty = False
        n = sum(self.landed)
        length = self.length
        for dev, rx in ((self.dev1, False), (self.dev2, True), (self.dev3, False),
                        (self.dev4, True)):
            stats = dev.stats     # the request out of dev1 into dev2, the reply dev3 -> dev4
            if rx:
                stats.rx_packets += n
                stats.rx_bytes += n * length
            else:
                stats.tx_packets += n
                stats.tx_bytes += n * length
        ip_len = length - 14
        mine, peers = snmp.mib_of(self.stack), snmp.mib_of(self.peer)
        for ecn, count in enumerate(self.landed):
            if count:
                _flow_mib(mine, count, ip_len, "InNoECTPkts", P.ICMP_ECHOREPLY, P.ICMP_ECHO)
                _flow_mib(peers, count, ip_len, snmp.ECN_KEYS[ecn], P.ICMP_ECHO,
                          P.ICMP_ECHOREPLY)
        self.landed = [0, 0, 0, 0]



def _flow_mib(mib, n: int, ip_len: int, ecn: str, type_in: int, type_out: int) -> None:
    """What one namespace's MIB counts of n round trips of an echo flow: a datagram out
    each (__ip_local_out(), ip_finish_output2(), icmp_out_count()) and one in
    (ip_rcv_core(), ip_protocol_deliver_rcu(), icmp_rcv()), as snmp.ip_local_out/ip_out/
    ip_rcv/ip_local_deliver count them on the full path."""
    ip = mib.ip
    ip["OutRequests"] += n
    ip["OutTransmits"] += n
    ip["OutOctets"] += n * ip_len
    ip["InReceives"] += n
    ip["InOctets"] += n * ip_len
    ip[ecn] += n
    ip["InDelivers"] += n
    icmp = mib.icmp
    icmp["OutMsgs"] += n
    icmp["InMsgs"] += n
    msg = mib.icmpmsg
    msg[0x100 | type_out] += n
    msg[type_in] += n


class Flight(Timer):
    """One echo on its flow's fast path: a single clock event at the reply's arrival
    (its own timer, `flight_landed`) stands for the full path's five (the veth
    crossing each way, local delivery each way, the reply to the socket). Whatever
    could see an instant in between (another event due by then, the run stopping
    first: clock.py) expands it into the full path's own events from the moment it
    was sent."""

    # what the echo was sent with is the timer's args: (icmp_seq, ttl, tos, data, stamp,
    # ip_id, sent, ticks), `sent` the instant and `ticks` the clock's count then
    __slots__ = ("flow",)
    fast = True

    def flight_landed(self, icmp_seq: int, ttl: int, tos: int, data: bytes,
                      stamp: float | None, ip_id: int, sent: float, ticks: int) -> None:
        flow = self.flow
        stack = flow.stack
        clock = stack.clock
        clock.flights.remove(self)
        heap = clock.heap
        sock = flow.sock
        if (heap and heap[0][0] <= self.when) or clock.ticks != ticks + 1 or \
                sock.closed or flow.genid != FibTable.genid or \
                flow.ver_a != flow.sys_a.version or flow.ver_b != flow.sys_b.version:
            self.expand()
            return
        flow.land(clock, sent, tos)         # what the full path's hops do
        # the reply to the socket (PingSocket.deliver_reply() of a reply without options)
        dst, size, _ = flow.key
        sock.on_reply(dst, icmp_seq, 64, 8 + size, flow.dev4)

    def expand(self) -> None:
        """The full path from the moment the echo was sent: the echo goes to
        ip_output() then, its first event taking the place in the queue's order it
        would have had."""
        flow = self.flow
        stack = flow.stack
        clock = stack.clock
        if self in clock.flights:
            clock.flights.remove(self)
        self.cancelled = True
        sock = flow.sock
        dst, _, source = flow.key
        icmp_seq, ttl, tos, data, stamp, ip_id, sent, _ = self.args
        pkt = P.Ipv4(src=source, dst=dst, proto=P.IPPROTO_ICMP,
                     payload=P.Icmp(P.ICMP_ECHO, 0, sock.ident, icmp_seq, _stamped(data, stamp)),
                     ttl=ttl, tos=tos, id=ip_id, df=True, options=b"")
        now, seq = clock.now, clock.seq
        clock.now = sent
        # nothing has been queued since the echo was sent, or the flow still holds (then
        # ip_output() queues exactly one event, the crossing): its place is free
        exact = seq == self.seq or stack._echo_flow(sock, flow.key) is not None
        if exact:
            clock.seq = self.seq - 1
        stack.ip_output(pkt, sock.device)
        clock.seq = max(seq, clock.seq) if exact else clock.seq
        clock.now = now


# ff02::1 and ff02::2 as ints (an address parsed a packet cost ~10 us)
_ALL_NODES6 = int(ipaddress.IPv6Address("ff02::1"))
_ALL_ROUTERS6 = int(ipaddress.IPv6Address("ff02::2"))


class Stack:
    # the dst cache in front of the FIB: caches, not state (rebuilt empty on restore)
    __transient__ = ("_dst", "_addr_types", "_dst_genid", "_rpf", "_rpf_stamp",
                     "_hoplimit_routes")
    # off: every lookup goes the full way (tests compare the two)
    dst_cache = True
    # off: every echo goes the full path (Stack.echo_flight; tests compare the two)
    flow_cache = True
    # off: a flood's echoes land one event each, never as rounds (PingSocket.echo_rounds)
    flow_burst = True
    DST_CACHE_MAX = 4096        # entries: a flush when full, as a bound on memory

    def __init__(self, ns):
        self.ns = ns
        self.clock = ns.clock
        self.rng = ns.rng
        self.taps: list[Tap] = []
        self.ping_sockets: list[PingSocket] = []
        self.raw_sockets: list[RawSock] = []
        self.arp = NeighTable(4, self)
        self.nd = NeighTable(6, self)
        self._ip_id = ns.rng.getrandbits(16)
        self._icmp_busy = 0.0
        # inet_peer rate tokens (seconds) per destination of our ICMP errors
        self._peer_tokens: dict[object, tuple[float, float]] = {}
        self._labels: dict[tuple, int] = {}      # IPv6 flow labels by (src, dst)
        self._frags: dict[tuple, dict] = {}      # IPv4 fragments waiting for the rest
        # ip_rt_send_redirect()'s inet_peer state: (redirects sent, when the last)
        self._redirects: dict[str, tuple[int, float]] = {}
        self.__restore__()

    def __restore__(self) -> None:
        self._dst: dict[int, tuple] = {}           # IPv4 output routes by destination
        self._addr_types: dict[int, int] = {}      # inet_addr_type() by address
        self._dst_genid = -1
        self._rpf: dict[tuple, int] = {}            # rp_filter by device
        self._rpf_stamp: tuple = ()

    # ------------------------------------------------------------ dst cache
    def _dst_valid(self) -> bool:
        """Whether the caches may answer: on, and no table has changed since they were
        filled (FibTable.genid, rt_genid: any route, nexthop or device change moves
        it); else they are emptied, as rt_cache_flush() makes every dst stale."""
        if not self.dst_cache:
            return False
        if self._dst_genid != FibTable.genid:
            self._dst.clear()
            self._addr_types.clear()
            self._dst_genid = FibTable.genid
        return True

    def route_output4(self, dst, oif: NetDevice | None = None, src=None, mark: int = 0,
                      flow: tuple = (0, 0, 0, 0)):
        """ip_route_output_key(): ns.lookup()'s (route, table) for a datagram of ours.
        `src`: the flow's saddr (a bound or connected socket's: ip_route_connect()
        looks up again with the source it chose), which `from` rules see, as they see
        `mark` (the skb's, SO_MARK's) and `flow`: (flowi4_tos, flowi4_proto, sport,
        dport), the socket's IP_TOS and protocol, its ports or an ICMP message's type
        and code (raw_probe_proto_opt(); see flow_of()). The plain
        case (no output device, the default rules: nothing but the tables
        decides) is kept per destination, as a socket keeps its dst (sk_dst_cache)
        while rt_genid stands; errors are not kept."""
        ns = self.ns
        if oif is None and src is not None and dst.version == 4 and \
                (dst.is_multicast or dst == V4_LIMITED_BROADCAST):
            # ip_route_output_key_hash_rcu()'s "special hack": a group or the limited
            # broadcast from a source of ours leaves by that source's device, whatever
            # the tables say (__ip_dev_find())
            for dev in ns.devices.values():
                if any(i.local == src for i in dev.ifa4):
                    return onlink_route(dst, dev), TABLE_MAIN
        if oif is not None or ns.fib_has_custom_rules or ns.vrf_rules_added or \
                not self._dst_valid():
            try:
                if ns.fib_has_custom_rules and (src is not None or mark or any(flow)):
                    found = ns.lookup(dst, src=src, oif=oif, mark=mark, tos=flow[0],
                                      ip_proto=flow[1], sport=flow[2], dport=flow[3])
                else:
                    found = ns.lookup(dst, oif=oif)
                return found if oif is not None else self._select_default(found, dst, src)
            except KernelError:
                if oif is None or not oif.admin_up or \
                        not (dst.is_multicast or not _l3mdev_bound(oif)):
                    raise
                # ip_route_output_key_hash_rcu(): "Apparently, routing tables are
                # wrong. Assume, that the destination is on link": any failed
                # fib_lookup() (no route, a reject route or rule) of a flow with an
                # output device makes an RTN_UNICAST route on it without a gateway
                return onlink_route(dst, oif), TABLE_MAIN
        key = int(dst)
        found = self._dst.get(key)
        if found is None:
            found = ns.lookup(dst)
            if len(self._dst) >= self.DST_CACHE_MAX:
                self._dst.clear()
            self._dst[key] = found
        return self._select_default(found, dst, src)

    def _select_default(self, found: tuple, dst=None, src=None) -> tuple:
        """fib_select_path() of an output flow without a device: a multipath route's
        nexthop by the flow's hash (`dst`, `src`: the flow's addresses, src None
        before the socket has one) as ip route get finds it, or one of several
        default routes of one metric, by their gateways' neighbour states
        (kernel/fib_default.py)."""
        route, table = found
        if route.nexthops and route.dst.version == 4:
            if dst is None:
                return found
            # fib_select_multipath(): the same hash, source preference and
            # neighbour checks as `ip route get` (ipemu's datagrams carry no ports
            # here: an L4 policy hashes them as the get without ipproto; with the
            # seed left to the boot's random key the first live nexthop). Recorded:
            # pings to six destinations over an ECMP default leave by the gateways
            # ip route get names (case tutorials42b_ecmp_pings_per_flow); a FAILED
            # gateway is passed over with fib_multipath_use_neigh or in a nexthop
            # group (tutorials42b_ahern_multipath_use_neigh,
            # tutorials42b_nexthop_group_dead_gateway)
            chosen = select_path(self.ns, route, src, dst, saddr=src)
            return found if chosen is route else (chosen, table)
        if route.dst._prefixlen or route.nexthops or route.type != RTN.UNICAST or \
                route.dst.version != 4:
            return found
        chosen = fib_select_default(self.ns, table, route)
        return found if chosen is route else (chosen, table)

    # ------------------------------------------------------- echo flows
    def echo_flight(self, sock: PingSocket, dst, seq: int, size: int, ttl: int, source,
                    tos: int, data: bytes, stamp: float | None, ip_id: int) -> bool:
        """An echo sent now on its flow's fast path: True when it is in flight as one
        event; False: the full path takes it (no plain flow, or something is due
        before its reply would arrive)."""
        clock = self.clock
        if clock.flights:
            return False        # one at a time: another's window may not be crossed
        flow = sock._flow
        key = (dst, size, source)
        # nothing but this event has run since the flow was checked (its landing checks
        # the tables and sysctls again)
        if flow is None or flow.ticks != clock.ticks or flow.key != key:
            if flow is None and clock.now < sock._flow_retry:
                return False
            flow = sock._flow = self._echo_flow(sock, key)
            if flow is None:
                # the full path's echoes (a capture, forwarding, lo...) do not pay for
                # a look an echo: the next look a while later
                sock._flow_retry = clock.now + FLOW_RETRY
                return False
        h1, h2, h3, h4, h5 = flow.hops
        now = clock.now
        # the hops' times added one by one, as each event adds its own delay
        arrival = now + h1 + h2 + h3 + h4 + h5
        heap = clock.heap
        while heap and heap[0][0] <= arrival:
            if not heap[0][2].cancelled:
                return False    # an event due meanwhile would see the middle
            _heappop(heap)      # as the run would before it got there
        flight = Flight.__new__(Flight)
        flight.flow, flight.when, flight.target, flight.action, flight.cancelled = \
            flow, arrival, flight, "flight_landed", False
        flight.args = (seq, ttl, tos, data, stamp, ip_id, now, clock.ticks)
        seqno = flight.seq = clock.seq = clock.seq + 1
        _heappush(heap, (arrival, seqno, flight))
        clock.flights.append(flight)
        return True

    def _echo_flow(self, sock: PingSocket, key: tuple) -> EchoFlow | None:
        """The round trip the full path would make of an echo sent now, when it is the
        plain one: out of a veth to its peer's namespace, delivered there, answered
        (icmp_reply()) back through a veth, delivered here to this one socket. None
        whenever a step leaves that path (a tap, a qdisc, a neighbour to resolve,
        fragments, forwarding, a local route...)."""
        dst, size, source = key
        if int(dst) >> 24 == 127 or int(source) >> 24 == 127 or self.taps or \
                xfrm.active(self.ns):
            return None
        length = 28 + size
        out = self._flow_leg(dst, length, source)
        if out is None:
            return None
        dev1, dev2, n1 = out
        peer = dev2.netns.stack
        if peer.taps or xfrm.active(peer.ns) or not peer._flow_local(dev2, dst, source) or \
                peer.ns.sysctls.get("net.ipv4.icmp_echo_ignore_all", "0") == "1":
            return None
        back = peer._flow_leg(source, length, dst)
        if back is None:
            return None
        dev3, dev4, n2 = back
        if dev4.netns is not self.ns or not self._flow_local(dev4, source, dst):
            return None
        if [s for s in self.ping_sockets
                if s.family == 4 and s.ident == sock.ident and not s.closed] != [sock]:
            return None
        veth = HOP_DELAY["veth"]
        return EchoFlow(sock, key, self, peer, (dev1, dev2, dev3, dev4), (n1, n2), 14 + length,
                        (veth, LOCAL_DELIVERY, veth, LOCAL_DELIVERY, LOCAL_DELIVERY),
                        self.clock.ticks)

    def _flow_leg(self, dst, length: int, src) -> tuple | None:
        """ip_output() of a datagram of ours (no output device, no options) to a
        resolved neighbour through a veth, and the peer's netif_rx() up to ip_rcv():
        (the veth, its peer, the neighbour when each packet moves its `used`), or None
        off that path."""
        ns = self.ns
        if int(dst) == 0xFFFFFFFF or ns.nh_exceptions:
            return None
        try:
            route, _ = self.route_output4(dst, None, src)
        except KernelError:
            return None
        if route.type != RTN.UNICAST or route.oif is None or route.encap is not None:
            return None
        dev = ns.devices.get(route.oif)
        if dev is None or length > dev.mtu or dev.noarp:
            return None
        # neigh_resolve_output(): a state that sends at once; one that is not connected
        # (DELAY, PROBE) has its `used` moved by each packet
        n = self.arp.entries.get((dev.ifindex, route.gateway or dst))
        if n is None or not int(n.state) & _NEIGH_SEND_NOW or n.lladdr is None:
            return None
        if not dev.admin_up or dev.sch is not None or dev.kind != "veth" or \
                not dev.carrier or dev.macvlan is not None:
            return None
        peer = dev.peer
        if peer is None or not peer.admin_up or peer.kind != "veth" or \
                peer.address != n.lladdr or n.lladdr[0] & 1 or peer.macvlans or \
                peer.master is not None or peer.bond_slave is not None or \
                (peer.ipvlan_port is not None and peer.ipvlan_port.ipvlans):
            return None
        return dev, peer, None if int(n.state) & _NEIGH_CONNECTED else n

    def _flow_local(self, dev: NetDevice, dst, src) -> bool:
        """ip_rcv() of a datagram arriving on `dev` that goes on to local delivery as
        it is (a unicast address of ours, a source that passes)."""
        d = int(dst)
        if d >> 24 == 127 or d >> 28 == 0xE or d == 0xFFFFFFFF or int(src) >> 24 == 127:
            return False
        return self._addr_type(dst) == RTN.LOCAL and self._source_ok(dev, src, dst)

    # --------------------------------------------------------------- helpers
    def later(self, delay: float, target: object, action: str, *args) -> None:
        """`target.action(*args)` after `delay` (at once when it is 0)."""
        if delay <= 0:
            getattr(target, action)(*args)
            return
        # clock.call_later() inlined: every hop of every packet comes here
        clock = self.clock
        seq = clock.seq = clock.seq + 1
        when = clock.now + delay
        _heappush(clock.heap, (when, seq, Timer(when, seq, target, action, args)))

    def select_ttl(self, dst, device: NetDevice | None = None, mark: int = 0) -> int:
        """ip_select_ttl() of a socket without IP_TTL: ip4_dst_hoplimit(), the route's
        hoplimit metric (RTAX_HOPLIMIT), else net.ipv4.ip_default_ttl (recorded:
        tutorials39_phil_hoplimit_v4, `ip route add ... hoplimit 5`). No route has the
        metric in most namespaces: that is looked at once per change of the tables."""
        ns = self.ns
        cached = getattr(self, "_hoplimit_routes", None)
        if cached is None or cached[0] != FibTable.genid:
            found = any(name == "hoplimit" and value
                        for (family, _), table in ns.tables.items() if family == 4
                        for r in table.routes for name, value, _ in r.metrics)
            cached = self._hoplimit_routes = (FibTable.genid, found)
        if cached[1]:
            try:
                route, _ = ns.lookup(dst, oif=device, mark=mark) if mark else \
                    ns.lookup(dst, oif=device)
            except KernelError:
                route = None
            for name, value, _ in (route.metrics if route is not None else ()):
                if name == "hoplimit" and value:
                    return value
        return self.default_ttl()

    def default_ttl(self) -> int:
        """ip_select_ttl() for a route without a hoplimit metric: the namespace's
        net.ipv4.ip_default_ttl."""
        return int(self.ns.sysctls.get("net.ipv4.ip_default_ttl", "64"))

    def next_ip_id(self) -> int:
        self._ip_id = (self._ip_id + 1) & 0xFFFF
        return self._ip_id

    def flow_label(self, src, dst) -> int:
        """auto_flowlabels: a flow's label is a hash of its addresses (stable for the
        flow, random-looking; tcpdump -v shows it)."""
        # ip6_make_flowlabel(): no label unless auto_flowlabels is 1 (opt-out, on
        # for every socket that did not opt out) or 3 (forced)
        if self.ns.sysctls.get("net.ipv6.auto_flowlabels", "1") not in ("1", "3"):
            return 0
        labels = self._labels
        if (src, dst) not in labels:
            labels[(src, dst)] = self.rng.getrandbits(20) or 1
        return labels[(src, dst)]

    def open_tap(self, dev: NetDevice | None, callback, on_gone=None,
                 promisc: bool = False) -> Tap:
        """A packet socket on `dev`; `promisc`: libpcap's PACKET_ADD_MEMBERSHIP of
        PACKET_MR_PROMISC, one more on the device's promiscuity until it closes."""
        tap = Tap(dev, callback, on_gone=on_gone, promisc=promisc and dev is not None)
        if tap.promisc:
            dev.packet_promisc += 1
        self.taps.append(tap)
        return tap

    def taps_unregister(self, dev: NetDevice) -> None:
        """packet_notifier(NETDEV_UNREGISTER): a packet socket bound to the device
        stops, its reader hears of it (libpcap: `The interface disappeared`)."""
        for tap in [t for t in self.taps if t.dev is dev and not t.closed]:
            if tap.on_gone is not None:
                self.later(LOCAL_DELIVERY, tap, "on_gone")

    def close_tap(self, tap: Tap) -> None:
        if tap.promisc and not tap.closed:
            # packet_release() -> packet_flush_mclist(): the membership goes
            tap.dev.packet_promisc = max(0, tap.dev.packet_promisc - 1)
        tap.closed = True
        if tap in self.taps:
            self.taps.remove(tap)

    def route_mtu(self, dst, device: NetDevice | None) -> int:
        """The MTU toward dst: the output device's (lo's for a local address)."""
        try:
            route, _ = self.ns.lookup(dst, oif=device)
        except KernelError:
            return device.mtu if device is not None else 1500
        out = self.ns.by_index(LOOPBACK_IFINDEX if route.type == RTN.LOCAL else route.oif)
        mtu = out.mtu if out is not None else 1500
        if dst.version == 6 and out is not None and route.type != RTN.LOCAL:
            mtu = int(self.ns.conf(6, out, "mtu"))      # idev->cnf.mtu6
        for name, value, _ in route.metrics:
            if name == "mtu" and value:
                mtu = value     # ipv4_mtu() / ip6_mtu(): the route's RTAX_MTU first
        pmtu = self.ns.pmtu_of(dst)
        return min(mtu, pmtu) if pmtu is not None else mtu

    def route_mtu_locked(self, dst, device: NetDevice | None) -> bool:
        """ip_mtu_locked(): the route's RTAX_MTU locked (`mtu lock N`), or the
        exception's rt_mtu_locked (a PMTU under min_pmtu)."""
        try:
            route, _ = self.ns.lookup(dst, oif=device)
        except KernelError:
            return False
        if any(name == "mtu" and locked for name, _, locked in route.metrics):
            return True
        found = self.ns.nh_exception(dst) if self.ns.nh_exceptions else None
        return bool(found and found.get("mtu") and found.get("lock"))

    def route_advmss(self, dst, device: NetDevice | None) -> int | None:
        """dst_metric_advmss()'s RTAX_ADVMSS when the route toward dst sets one
        (`ip route ... advmss N`), else None (the MTU's default then)."""
        try:
            route, _ = self.ns.lookup(dst, oif=device)
        except KernelError:
            return None
        return next((value for name, value, _ in route.metrics
                     if name == "advmss" and value), None)

    def open_raw_socket(self, family: int, protocol: int, owner, fd: int) -> RawSock:
        """socket(AF_INET[6], SOCK_RAW, protocol): listed until close_raw_socket()."""
        sock = RawSock(family, protocol, owner, fd)
        self.raw_sockets.append(sock)
        return sock

    def close_raw_socket(self, sock: RawSock) -> None:
        if sock in self.raw_sockets:
            self.raw_sockets.remove(sock)

    def open_ping_socket(self, family: int, ident: int, device, on_reply, on_error) -> PingSocket:
        sock = PingSocket(self, family, ident, device, on_reply, on_error)
        self.ping_sockets.append(sock)
        return sock

    def _tap(self, dev: NetDevice, frame: P.Frame, outgoing: bool) -> None:
        if not self.taps:
            return
        wanted = [t for t in self.taps if t.dev is None or t.dev is dev]
        if not wanted:
            return
        raw = frame.to_bytes()
        for tap in wanted:
            tap.callback(self.clock.wall, raw, dev, outgoing)

    # ------------------------------------------------------------ devices
    def veth_refuses(self, dst, length: int, oif: NetDevice | None = None, src=None,
                     mark: int = 0, icmp_type: int | None = None,
                     flow: tuple = (0, 0, 0, 0)) -> bool:
        """Whether an IPv4 datagram of `length` bytes sent now to `dst` would go
        straight out of a veth (its neighbour valid) whose peer cannot take the frame
        (is_skb_forwardable()): veth_xmit() drops it, both ends count the drop, and
        NET_XMIT_DROP reaches sendmsg() as ENOBUFS (net_xmit_errno())."""
        try:
            route, _ = self.route_output4(dst, oif, src, mark, flow)
        except KernelError:
            return False
        if route.type == RTN.LOCAL:
            # to one of our own addresses: out through lo, whose qdisc may drop it
            lo = self.ns.by_index(LOOPBACK_IFINDEX)
            if lo is not None and self._qdisc_refuses(lo, min(length, lo.mtu) + 14):
                snmp.ip_send_refused(self, length, lo.mtu, icmp_type)
                return True
            return False
        if route.type == RTN.BROADCAST and route.oif is not None and \
                int(dst) != 0xFFFFFFFF:
            # a subnet broadcast's neighbour is NOARP, always ready: a peer whose MTU
            # is too small drops it in veth_xmit() just the same (recorded, fuzz42
            # seed 513000: `ping -b` through v1 toward a v0 of MTU 1400 says
            # `sendmsg: No buffer space available`)
            dev = self.ns.devices.get(route.oif)
            if dev is None or dev.kind != "veth" or dev.peer is None or \
                    not dev.carrier or dev.noarp:
                return False
            # ip_finish_output(): cut to the route's MTU (its RTAX_MTU, an exception)
            # before the device sees it (linux selftest broadcast_pmtu.sh)
            frame = min(length, self.route_mtu(dst, oif)) + 14
            if frame <= dev.peer.mtu + VETH_SLACK or self._qdisc_refuses(dev, frame):
                return False
            dev.stats.tx_dropped += 1
            dev.peer.stats.rx_dropped += 1
            snmp.ip_send_refused(self, length, dev.mtu, icmp_type)
            return True
        dev = self.ns.devices.get(route.oif) if route.type == RTN.UNICAST else None
        if dev is None or dev.kind != "veth" or dev.peer is None or not dev.carrier \
                or dev.noarp:
            return False
        frame = min(length, dev.mtu) + 14
        nexthop = nh_gw4(route.gateway, dst)
        n = self.arp.entries.get((dev.ifindex, nexthop))
        if n is None or not n.state & NUD_VALID:
            return False
        if self._qdisc_refuses(dev, frame):
            self.arp.event_send(dev.ifindex, nexthop)
            snmp.ip_send_refused(self, length, dev.mtu, icmp_type)
            return True
        if frame <= dev.peer.mtu + VETH_SLACK:
            return False
        self.arp.event_send(dev.ifindex, nexthop)   # neigh_output(): a STALE one is used
        dev.stats.tx_dropped += 1
        dev.peer.stats.rx_dropped += 1
        snmp.ip_send_refused(self, length, dev.mtu, icmp_type)
        return True

    def _qdisc_refuses(self, dev: NetDevice, frame: int) -> bool:
        """The root pfifo/bfifo/tbf drops the frame before veth_xmit() sees it
        (counted in the qdisc, not the device): NET_XMIT_DROP, ENOBUFS to sendmsg()."""
        if dev.sch is None or not dev.admin_up:
            return False
        from ipemu.kernel.sch_api import root_qdisc_drops
        return root_qdisc_drops(dev, frame)

    def veth_refuses6(self, dst, length: int, oif: NetDevice | None = None, src=None,
                      mark: int = 0) -> bool:
        """veth_refuses() for an IPv6 datagram: ip6_finish_output2() -> neigh_output()
        with a valid entry hands it straight to veth_xmit(), whose NET_XMIT_DROP (the
        peer's MTU too small) comes back from ip6_local_out() as ENOBUFS; an entry
        still resolving queues it (sendmsg() succeeds, the drop comes later)."""
        if src is not None and src.is_unspecified:
            src = None
        try:
            route, _ = self.ns.lookup(dst, src, oif=oif, mark=mark)
        except KernelError:
            return False
        if route.type != RTN.UNICAST:
            return False
        dev = self.ns.devices.get(route.oif) if route.oif is not None else oif
        if dev is None or dev.kind != "veth" or dev.peer is None or not dev.carrier \
                or dev.noarp or dst.is_multicast:
            return False
        mtu = int(self.ns.conf(6, dev, "mtu"))      # ip6_fragment(): pieces of mtu6
        frame = min(length, mtu) + 14
        nexthop = route.gateway or dst
        n = self.nd.entries.get((dev.ifindex, nexthop))
        if n is None or not n.state & NUD_VALID:
            return False
        if self._qdisc_refuses(dev, frame):
            self.nd.event_send(dev.ifindex, nexthop)
            return True
        if frame <= dev.peer.mtu + VETH_SLACK:
            return False
        self.nd.event_send(dev.ifindex, nexthop)    # neigh_output(): a STALE one is used
        dev.stats.tx_dropped += 1
        dev.peer.stats.rx_dropped += 1
        return True

    def dev_xmit(self, dev: NetDevice, frame: P.Frame, dequeued: bool = False) -> None:
        """dev_queue_xmit(): count, show to taps, hand to the driver."""
        if not dev.admin_up:
            if dev.kind == "loopback":
                # a down lo still has the noop qdisc, whose noop_enqueue() drops and
                # counts the frame (recorded: the ARP probe of `ip neigh add 10.0.0.3
                # dev lo nud delay`, TX dropped 1: fuzz42b_neigh_delay_probe)
                dev.stats.tx_dropped += 1
            return
        if dev.tun is not None:
            # no program reads a tun/tap here, so it has no carrier: dev_activate() waits
            # for one and the noop qdisc stays, whose noop_enqueue() drops and counts
            # the frame before any qdisc tc attached or the taps see it (recorded)
            dev.stats.tx_dropped += 1
            return
        if dev.sch is not None and not dequeued:
            # __dev_xmit_skb(): a qdisc tc attached may hold the frame and hand it back
            # later as dev_xmit(dev, frame, True) (ipemu/kernel/sch_api.py)
            from ipemu.kernel.sch_api import sch_enqueue
            # qdisc_pkt_len(): skb->len with the MAC header loopback_xmit() pulls only
            # after the qdisc (recorded: 98 bytes a ping on lo's tbf, 84 in lo's RX)
            length = len(frame) if dev.kind == "loopback" else _counted_length(dev, frame)
            if sch_enqueue(self, dev, frame, length):
                return
        if dev.macvlan is not None and not dev.carrier:
            # linkwatch_do_dev(): dev_deactivate() gave the device without carrier the
            # noop qdisc, which drops before the driver (and the taps) see anything;
            # noop_enqueue() counts it (recorded: TX dropped 2 for two ARP requests)
            dev.stats.tx_dropped += 1
            return
        kind = dev.kind
        stats = dev.stats
        if kind == "veth":
            peer = dev.peer
            if peer is None or not dev.carrier:
                # linkwatch's noop qdisc (or veth_xmit() towards a peer that is down):
                # dropped and counted as such, never as sent, nor seen by the taps
                stats.tx_dropped += 1
                return
            if self.taps:
                self._tap(dev, frame, True)
            if len(frame) > peer.mtu + VETH_SLACK:
                # veth_xmit() -> __dev_forward_skb2(): not is_skb_forwardable() for the
                # peer, dropped and counted by both ends (NET_XMIT_DROP)
                stats.tx_dropped += 1
                peer.stats.rx_dropped += 1
                return
            stats.tx_packets += 1
            stats.tx_bytes += len(frame)
            # veth_xmit(): to the peer's receive path, HOP_DELAY later
            self.later(HOP_DELAY["veth"], peer.netns.stack, "netif_rx", peer, frame)
            return
        if kind == "ifb":
            # ifb_xmit(): a frame not redirected to it by tc (mirred) is counted in the
            # queue's rx stats and dropped as rx_dropped; the taps saw it first
            if self.taps:
                self._tap(dev, frame, True)
            stats.rx_packets += 1
            stats.rx_bytes += _counted_length(dev, frame)
            origin = self.ns.devices.get(frame.skb_iif) if frame.skb_iif else None
            if origin is None:
                stats.rx_dropped += 1
                return
            # ifb_ri_tasklet(): counted as sent, then back to the receive path of the
            # device tc took it from, past its taps and its ingress classification
            stats.tx_packets += 1
            stats.tx_bytes += _counted_length(dev, frame)
            self.later(HOP_DELAY.get(kind, 5e-6), origin.netns.stack, "netif_receive_core",
                       origin, replace(frame, skb_iif=0))
            return
        if kind in ("bridge", "tun") and not dev.carrier:     # ("tun": TUN and TAP)
            # dev_activate() waits for the carrier: a bridge without a forwarding port,
            # or a TUN/TAP device no program has attached, still has the noop qdisc,
            # whose noop_enqueue() drops and counts the frame before the taps see it
            # (recorded: tcpdump -i tun0 sees nothing of a ping routed into it)
            stats.tx_dropped += 1
            return
        if dev.vxlan is not None:
            # vxlan_xmit(): the taps see the frame; it counts as sent only once
            # vxlan_xmit_one() has the tunnel's route (iptunnel_xmit_stats())
            if self.taps:
                self._tap(dev, frame, True)
            from ipemu.kernel.vxlan import vxlan_xmit   # here: a start without vxlan skips it
            vxlan_xmit(self, dev, frame)
            return
        stats.tx_packets += 1
        stats.tx_bytes += _counted_length(dev, frame)
        if self.taps:
            self._tap(dev, frame, True)
        delay = HOP_DELAY.get(kind, 5e-6)
        if dev.kind == "loopback":
            self.later(delay, self, "netif_rx", dev, frame)
        elif dev.kind == "bridge":
            self.later(delay, self, "bridge_xmit", dev, frame)
        elif dev.kind == "ether":
            # a NIC: what is behind it is the scenario's world (ipemu/kernel/world.py)
            from ipemu.kernel.world import world_of
            world = world_of(self.ns, dev)
            if world is not None and dev.carrier:
                self.later(delay, world, "receive", frame)
        elif dev.kind == "vlan":
            # vlan_dev_hard_start_xmit(): the tag goes beside the frame, out the lower
            lower = dev.lower
            tagged = replace(frame, vlan_tci=dev.vlan.vlan_id,
                             vlan_proto=dev.vlan.vlan_proto)
            lower.netns.stack.dev_xmit(lower, tagged)
        elif dev.macvlan is not None:
            macvlan_queue_xmit(self, dev, frame)
        elif dev.bond is not None:
            from ipemu.kernel.bond import bond_xmit
            bond_xmit(self, dev, frame)
        elif dev.tnl is not None:
            from ipemu.kernel.ip_tunnel import tunnel_xmit
            tunnel_xmit(self, dev, frame)
        elif dev.is_ipvlan:
            from ipemu.kernel.ipvlan import ipvlan_queue_xmit
            ipvlan_queue_xmit(self, dev, frame)
        # dummy: counted, then dropped (dummy_xmit())

    def netif_rx(self, dev: NetDevice, frame: P.Frame, counted: int = 1) -> None:
        """__netif_receive_skb(): taps, then the bridge or the protocol handlers.
        `counted` says who counts the frame: 1 the device as its driver does, 0 nobody
        (dev_forward_skb() into a macvlan's lower device: no driver), 2 and 3
        macvlan_broadcast()'s macvlan_count_rx(vlan, skb->len + ETH_HLEN, ..., true):
        a multicast frame, whose skb->len holds the Ethernet header on the transmit
        side (2: 14 bytes more than the frame) and not on the receive side (3)."""
        if not dev.admin_up:
            return
        stats = dev.stats
        if counted == 1:
            stats.rx_packets += 1
            stats.rx_bytes += len(frame) if dev.kind == "veth" else \
                _counted_length(dev, frame, rx=True)
            if frame.dst[0] & 1 and frame.dst != P.BROADCAST_MAC and \
                    dev.kind in ("ether", "vlan"):
                # PACKET_MULTICAST, counted by NIC drivers; veth and lo keep no
                # multicast counter (a bridge counts its own: bridge_rx()), broadcasts
                # are never counted
                stats.rx_mcast += 1
        elif counted:
            stats.rx_packets += 1
            stats.rx_bytes += len(frame) + (14 if counted == 2 else 0)
            stats.rx_mcast += 1
        if self.taps:
            self._tap(dev, frame, False)
        sch = dev.sch
        if sch is not None and sch.ingress is not None:
            from ipemu.kernel.sch_api import sch_handle_ingress
            if sch_handle_ingress(self, dev, sch.ingress, frame):
                return
        self.netif_receive_core(dev, frame)

    def netif_receive_core(self, dev: NetDevice, frame: P.Frame) -> None:
        """__netif_receive_skb_core() after the taps and the ingress qdisc: VLAN
        devices, rx handlers (macvlan, ipvlan, bridge, bond), then the protocols."""
        if frame.vlan_tci is not None and self._vlan_rx(dev, frame):
            return
        if dev.macvlans:
            pkt = frame.payload
            if frame.dst[0] & 1 and type(pkt) is P.Ipv4 and pkt.is_fragment:
                # macvlan_handle_frame(): ip_check_defrag(IP_DEFRAG_MACVLAN) of a group's
                # or a broadcast's fragments: the macvlans and the lower get the whole
                # datagram once (recorded, fuzz42: a fragmented `ping -b` counts one
                # packet, mcast 1, on a macvlan)
                whole = self._defrag(pkt, user="macvlan")
                if whole is None:
                    return
                frame = replace(frame, payload=whole)
            if macvlan_handle_frame(dev, frame):
                return
        if dev.ipvlan_port is not None and dev.ipvlan_port.ipvlans:
            from ipemu.kernel.ipvlan import ipvlan_handle_frame
            if ipvlan_handle_frame(dev, frame):
                return
        if dev.master is not None and dev.master.kind == "bridge":
            src = frame.src
            if src[0] & 1 or src == _ZERO_MAC:
                # br_handle_frame(): "if (!is_valid_ether_addr(h_source)) goto drop"
                # (recorded, fuzz42 seed 521018: a vxlan port's need-to-frag built
                # about a broadcast has ff:ff:ff:ff:ff:ff as its source, and is lost)
                return
            self.bridge_rx(dev.master, dev, frame)
            return
        if dev.bond_slave is not None:          # the bond's rx_handler
            from ipemu.kernel.bond import bond_handle_frame
            bond_handle_frame(self, dev, frame)
            return
        if frame.ethertype == P.ETH_P_IP and frame.dst == dev.address and \
                frame.vlan_tci is None:
            self.ip_rcv(dev, frame.payload)     # deliver()'s PACKET_HOST case, at once
            return
        self.deliver(dev, frame)

    def _vlan_rx(self, dev: NetDevice, frame: P.Frame) -> bool:
        """vlan_do_receive(): a tagged frame goes to the VLAN device of its id (another
        round there, untagged; one that is down drops it). True when it was taken."""
        if frame.vlan_tci is None:
            return False
        vid = frame.vlan_tci & 0x0FFF
        for vlan in dev.vlans:
            if vlan.vlan.vlan_id == vid and vlan.vlan.vlan_proto == frame.vlan_proto:
                if vlan.admin_up:
                    self.netif_rx(vlan, replace(frame, vlan_tci=None))
                return True
        return False

    def deliver(self, dev: NetDevice, frame: P.Frame) -> None:
        if frame.vlan_tci is not None and frame.vlan_tci & 0x0FFF:
            return      # an id without a VLAN device: PACKET_OTHERHOST, dropped
        if frame.dst != dev.address and not frame.dst[0] & 1 and not frame.pkt_host and \
                (dev.kind != "loopback" or frame.dst != bytes(6)):
            # PACKET_OTHERHOST (eth_type_trans()); on lo too, when the neighbour its
            # output used was given another address (`ip neigh add ... lladdr X dev lo`).
            # ip_rcv_core() and ip6_rcv_core() drop it first thing, counted in the
            # device's core stats (recorded: tutorials41b_otherhost); arp_rcv() drops
            # it uncounted
            if frame.ethertype in (P.ETH_P_IP, P.ETH_P_IPV6):
                dev.stats.rx_otherhost_dropped += 1
            return
        if frame.ethertype == P.ETH_P_ARP:
            self.arp_rcv(dev, frame.payload, unicast=frame.dst == dev.address)
        elif frame.ethertype == P.ETH_P_IP:
            self.ip_rcv(dev, frame.payload)
        elif frame.ethertype == P.ETH_P_IPV6:
            # (PACKET_MULTICAST or PACKET_BROADCAST: not PACKET_HOST)
            self.ipv6_rcv(dev, frame.payload, l2_multicast=bool(frame.dst[0] & 1))

    # ------------------------------------------------------------- bridge
    def bridge_rx(self, br: NetDevice, port: NetDevice, frame: P.Frame) -> None:
        """br_handle_frame(): learn the source, forward or flood, and pass frames
        for the bridge itself up its stack."""
        if br.br_stp is not None and frame.dst == b"\x01\x80\xc2\x00\x00\x00" and \
                br.br_stp.on():
            # br_handle_frame(): a BPDU goes to STP (br_stp_rcv()), not on
            if frame.payload.__class__ is bytes:
                br.br_stp.rcv(port, frame.payload)
            return
        if port_state(port) != BrState.FORWARDING:
            return
        seen = frame.__dict__
        switched = seen.get("_switched", 0)
        if switched >= BRIDGE_LOOP_BUDGET:
            return          # round and round a loop (BRIDGE_LOOP_BUDGET)
        seen["_switched"] = switched + 1
        if br.fdb:
            br_fdb_expire(br, self.clock.now)   # the gc work ran meanwhile
        fdb = br.fdb
        conf = port.brport or BrPortConf()
        if conf.locked and not self._br_locked_pass(br, port, frame.src):
            return
        if frame.dst[0] & 1 and br.br_conf.get("mcast_snooping", 1) == 1:
            self._br_snoop(br, port, frame)     # br_multicast_rcv(): multicast only
        user_state = br.fdb_state.get(frame.src)
        if user_state is not None and not frame.src[0] & 1 and conf.learning and \
                not user_state & NUD_PERMANENT and br.br_conf.get("ageing_time", 30000) != 0:
            # br_fdb_update(): an entry added by hand, static or dynamic but neither
            # local nor sticky, moves to the port its address is
            # heard on and keeps its state (recorded, captures39b_bridge8_static_fdb_capture)
            times = br.fdb_times.get(frame.src)
            if times is not None:
                br.fdb_times[frame.src] = (times[0], self.clock.now)
            if fdb.get(frame.src) is not port and frame.src not in br.fdb_sticky:
                self._br_move_user_entry(br, port, frame.src, user_state)
        elif not frame.src[0] & 1 and conf.learning and user_state is None and \
                br.br_conf.get("ageing_time", 30000) != 0:
            # br_fdb_update(): "some users want to always flood" (hold_time() of 0)
            if fdb.get(frame.src) is not port and not self._br_is_local(br, frame.src):
                # (a local entry, the bridge's or a port's own address, is never
                # learnt elsewhere: "received packet on %s with own address as source
                # address", recorded: captures39b_own_addr_source)
                self._br_learn(br, port, frame.src)
            else:
                times = br.fdb_times.get(frame.src)     # br_fdb_update(): fdb->updated
                if times is not None:
                    br.fdb_times[frame.src] = (times[0], self.clock.now)
        proxyarp_replied = frame.payload.__class__ is P.Arp and \
            self._br_proxy_suppress_arp(br, port, frame.payload)
        local = frame.dst == br.address or frame.dst[0] & 1
        if not local and frame.dst not in fdb and self._br_is_local(br, frame.dst):
            local = True            # a port's own address: BR_FDB_LOCAL, br_pass_frame_up()
        dests = None
        if frame.dst[0] & 1 and br.br_conf.get("mcast_querier", 0) == 1 and \
                frame.dst != P.BROADCAST_MAC:
            from ipemu.kernel.br_mdb import br_mcast_dests
            dests = br_mcast_dests(self.ns, br, frame)
            if dests is not None:
                local = dests[1]
        if frame.dst in fdb and not frame.dst[0] & 1 and (
                fdb[frame.dst] is br or br.fdb_state.get(frame.dst, 0) & NUD_PERMANENT):
            # br_handle_frame_finish(): `if (test_bit(BR_FDB_LOCAL, &dst->flags)) return
            # br_pass_frame_up(skb)`: an entry added permanent (on a port or on the
            # bridge itself) takes the frame up, not on, and is not used
            local = True
        elif frame.dst in fdb and not frame.dst[0] & 1:
            out = fdb[frame.dst]
            # br_handle_frame_finish(): a forwarding entry is used now
            times = br.fdb_times.get(frame.dst)
            if times is not None and br.fdb_state.get(frame.dst, 0) != NUD_PERMANENT:
                br.fdb_times[frame.dst] = (self.clock.now, times[1])
            out = self._br_backup_redirect(br, out)
            if out is not None and self._br_should_deliver(port, out):
                self._br_push_xmit(br, out, frame)
        elif dests is not None:
            # br_multicast_flood(): the group's ports and the routers, once a querier
            # exists (kernel/br_mdb.py br_mcast_dests())
            for other in dests[0]:
                if self._br_should_deliver(port, other):
                    self._br_push_xmit(br, other, frame)
        elif not local or frame.dst[0] & 1:
            # br_flood(): unknown unicast, multicast and broadcast each need their flag;
            # it walks br->port_list, where br_add_if() puts each new port first
            # (list_add_rcu): the newest port gets the frame first
            flag = "bcast_flood" if frame.dst == b"\xff" * 6 else \
                "mcast_flood" if frame.dst[0] & 1 else "flood"
            for other in reversed(br.ports):
                oconf = other.brport or BrPortConf()
                if getattr(oconf, flag) and not self._br_flood_skips(oconf, proxyarp_replied) \
                        and self._br_should_deliver(port, other):
                    self._br_push_xmit(br, other, frame)
        # br_handle_frame_finish(): local_rcv = !!(br->dev->flags & IFF_PROMISC): a
        # promiscuous bridge (a capture without -p, `ip link set br0 promisc on`) also
        # passes up every frame it switches; `tcpdump -p -i br0` sees only broadcasts,
        # multicasts and frames for the bridge (recorded, captures39b_manpage_promisc_bridge)
        promisc = br.promiscuity > 0
        if (local or promisc) and br.admin_up:
            br.stats.rx_packets += 1
            br.stats.rx_bytes += _counted_length(br, frame, rx=True)
            if local and frame.dst[0] & 1 and frame.dst != P.BROADCAST_MAC:
                # br_handle_frame_finish(): BR_PKT_MULTICAST passed up counts
                # DEV_STATS_INC(br->dev, multicast) (broadcasts do not)
                br.stats.rx_mcast += 1
            self._tap(br, frame, False)
            if not self._vlan_rx(br, frame):
                self.deliver(br, frame)

    def _br_nf_call(self, br: NetDevice, table: str) -> bool:
        """br_nf_pre_routing(): a frame that came in on a port passes br_netfilter's
        hooks when the namespace's net.bridge.bridge-nf-call-TABLE (1 as br_netfilter
        is loaded) or the bridge's own nf_call_TABLE asks for it."""
        return self.ns.sysctls.get(f"net.bridge.bridge-nf-call-{table}", "1") == "1" or \
            br.br_conf.get(f"nf_call_{table}", 0) == 1

    def _br_push_xmit(self, br: NetDevice, to: NetDevice, frame: P.Frame) -> None:
        """A frame the bridge forwards or floods out of port `to`: br_forward_finish()
        -> NF_BR_POST_ROUTING, where br_nf_dev_queue_xmit() sends an IP datagram larger
        than the port's MTU (skb->len, the IP length) to br_nf_ip_fragment(): with DF it
        is dropped and counted as FragFails, else ip_do_fragment() cuts it at the
        bridge device's MTU (fake_mtu() of the bridge's fake rtable) and the pieces go on
        (recorded: a 1478-byte echo reply crossing into a 1400 port arrives as 1396 + 102;
        the DF request is lost and no device counts it); an IPv6 one larger than the
        bridge device's MTU goes to ip6_fragment() (nf_ipv6_ops' fragment), whose
        fail_toobig sends a Packet Too Big from the bridge's namespace, when it has a
        route back, and counts FragFails (recorded: 'From fd00::254 icmp_seq=1 Packet
        too big: mtu=1400' once br0 has an address of the hosts' subnet; without one,
        only Ip6FragFails moves). Then br_dev_queue_push_xmit(): a frame the port cannot take
        (is_skb_forwardable(): more than its MTU + ETH_HLEN + VLAN_HLEN) is dropped
        uncounted."""
        pkt = frame.payload
        cls = pkt.__class__
        if cls is P.Ipv4 and P.l3_length(pkt) > to.mtu and self._br_nf_call(br, "iptables"):
            if pkt.df:
                snmp.ip_inc(self, "FragFails")
                return
            if P.l3_length(pkt) <= br.mtu:
                # a bridge whose own MTU was raised over the port's: one piece, still
                # counted, that is_skb_forwardable() then refuses (recorded: FragOKs
                # and FragCreates 1 each, the echo lost)
                mib = snmp.mib_of(self).ip
                mib["FragOKs"] += 1
                mib["FragCreates"] += 1
                pieces = [pkt]
            else:
                pieces = self._fragment(pkt, br.mtu)
            for piece in pieces:
                self._br_dev_queue_push_xmit(to, replace(frame, payload=piece))
            return
        if cls is P.Ipv6 and P.l3_length(pkt) > to.mtu and self._br_nf_call(br, "ip6tables"):
            if P.l3_length(pkt) > br.mtu:
                self.icmp6_send(pkt, P.ICMPV6_PKT_TOOBIG, 0, br, mtu=br.mtu)
                snmp.ip6_inc(self, "FragFails")
            # (within the bridge's MTU ip6_fragment() would cut it at that MTU, pieces
            # the port still refuses: dropped all the same, their counters not kept)
            return
        self._br_dev_queue_push_xmit(to, frame)

    def _br_dev_queue_push_xmit(self, to: NetDevice, frame: P.Frame) -> None:
        if len(frame) > to.mtu + VETH_SLACK:
            return              # is_skb_forwardable(): ETH_HLEN + VLAN_HLEN of slack
        self.dev_xmit(to, frame)

    def _br_learn(self, br, port, mac: bytes) -> None:
        """br_fdb_update(): a new entry (fdb_create()) or one that moved to another
        port is notified (fdb_notify(RTM_NEWNEIGH)); entries added by hand stay."""
        new = mac not in br.fdb
        br.fdb[mac] = port
        unmark(br.fdb_ext, mac)
        now = self.clock.now
        # fdb_create(): used and updated now; a move (br_fdb_update()) updates it
        br.fdb_times[mac] = (now, now) if new else (br.fdb_times.get(mac, (now, now))[0], now)
        ns = br.netns
        if ns is not None and ns.listeners:
            from ipemu.kernel.bridge import NUD_REACHABLE, fdb_born, fdb_notify
            from ipemu.kernel.records import FdbMsg
            if new:
                fdb_born(br, [mac])
            fdb_notify(ns, FdbMsg(port.ifindex, mac, None, NUD_REACHABLE, self_flag=False,
                                  master=br.ifindex))

    @staticmethod
    def _br_locked_pass(br, port, mac: bytes) -> bool:
        """br_handle_frame_finish() on a BR_PORT_LOCKED port (`bridge link set dev X
        locked on`): a frame goes on only when br_fdb_find_rcu() finds its source on
        this very port and not local; an FDB miss or mismatch is dropped before
        learning and without roaming (recorded: tutorials46_bridge_locked_port_8021x)."""
        return br.fdb.get(mac) is port and not br.fdb_state.get(mac, 0) & NUD_PERMANENT

    @staticmethod
    def _br_is_local(br, mac: bytes) -> bool:
        """The bridge's local FDB entries (fdb_add_local(): BR_FDB_LOCAL): its own
        address and its ports' (unless flushed away)."""
        if mac == br.address:
            return True
        for p in br.ports:
            if p.address == mac and (p.brport is None or p.brport.local_fdb):
                return True
        return False

    @staticmethod
    def _br_move_user_entry(br, port, mac: bytes, state: int) -> None:
        """br_fdb_update()'s roaming of an existing non-local entry: WRITE_ONCE(fdb->dst,
        source), fdb_notify(RTM_NEWNEIGH) with the entry's own state; an externally
        learnt entry is taken over ("Take over HW learned entry")."""
        br.fdb[mac] = port
        unmark(br.fdb_ext, mac)
        ns = br.netns
        if ns is not None and ns.listeners:
            from ipemu.kernel.bridge import fdb_notify
            from ipemu.kernel.records import FdbMsg
            fdb_notify(ns, FdbMsg(port.ifindex, mac, None, state, self_flag=False,
                                  master=br.ifindex))

    @staticmethod
    def _br_flood_skips(conf: BrPortConf, proxyarp_replied: bool) -> bool:
        """br_flood(): "Do not flood to ports that enable proxy ARP", and an ARP the
        bridge answered or whose target it knows (proxyarp_replied) not to
        proxy_arp_wifi or neigh_suppress ports."""
        return conf.proxy_arp or proxyarp_replied and (conf.proxy_arp_wifi or
                                                       conf.neigh_suppress)

    def _br_proxy_suppress_arp(self, br: NetDevice, port: NetDevice, arp: P.Arp) -> bool:
        """br_do_proxy_suppress_arp() (net/bridge/br_arp_nd_proxy.c): a request for an
        address the bridge's own neighbour table holds valid, whose MAC the FDB holds,
        is answered by the bridge out of the ingress port (br_arp_send() -> arp_send():
        from the neighbour's MAC) when that port has proxy_arp or the target's port
        has proxy_arp_wifi or neigh_suppress. Returns proxyarp_replied, which keeps the
        request from the suppressing ports (recorded:
        tutorials46_bridge_neigh_suppress_arp)."""
        if br.noarp or arp.tpa.is_loopback or arp.tpa.is_multicast:
            return False
        suppress = any(p.brport is not None and p.brport.neigh_suppress for p in br.ports)
        conf = port.brport or BrPortConf()
        if suppress:
            if conf.neigh_suppress:
                return False
            if arp.op not in (1, 2) and (int(arp.spa) == 0 or arp.spa == arp.tpa):
                return True     # "prevent flooding to neigh suppress ports"
        if arp.op != 1:
            return False
        if suppress and any(i.local == arp.tpa for i in br.ifa4):
            return True         # br_is_local_ip(): our own address, not proxied
        n = self.arp.lookup(br.ifindex, arp.tpa)
        if n is None or not n.state & NUD_VALID or n.lladdr is None:
            return False
        dst = br.fdb.get(n.lladdr)
        if dst is None and not self._br_is_local(br, n.lladdr):
            return False        # br_fdb_find_rcu(): no entry
        dconf = dst.brport if dst is not None and dst is not br else None
        replied = conf.proxy_arp or dconf is not None and (dconf.proxy_arp_wifi or
                                                           dconf.neigh_suppress)
        if replied:
            reply = P.Arp(2, n.lladdr, arp.tpa, arp.sha, arp.spa)
            self.later(LOCAL_DELIVERY, self, "dev_xmit", port,
                       P.Frame(arp.sha, n.lladdr, P.ETH_P_ARP, reply))
        return replied or suppress

    @staticmethod
    def _br_backup_redirect(br: NetDevice, to: NetDevice) -> NetDevice | None:
        """br_forward(): "redirect to backup link if the destination port is down"
        (a port with a backup_port and no carrier, or not running, hands a known
        unicast frame to its backup; flooding does not). None: the backup is gone and
        the frame is dropped (recorded: tutorials46_bridge_backup_port_failover)."""
        conf = to.brport
        if conf is None or not conf.backup_port or (to.carrier and to.admin_up):
            return to
        return next((p for p in br.ports if p.ifindex == conf.backup_port), None)

    @staticmethod
    def _br_should_deliver(src: NetDevice, to: NetDevice) -> bool:
        """should_deliver(): not back out of the port it came in (unless hairpin), a
        forwarding port, and not from one isolated port to another."""
        conf = to.brport or BrPortConf()
        if to is src and not conf.hairpin:
            return False
        if port_state(to) != BrState.FORWARDING:
            return False
        return not (conf.isolated and (src.brport or BrPortConf()).isolated)

    def _br_snoop(self, br: NetDevice, port: NetDevice | None, frame: P.Frame) -> None:
        """br_multicast_rcv(): an IGMP message to a multicast MAC (a port's, or the
        bridge's own from br_dev_xmit(): port None) goes to the snooping code."""
        pkt = frame.payload
        if frame.dst[0] & 1 and frame.ethertype == P.ETH_P_IP and \
                pkt.__class__ is P.Ipv4 and pkt.proto == P.IPPROTO_IGMP and \
                pkt.payload.__class__ is bytes:
            from ipemu.kernel.br_mdb import br_multicast_ipv4_rcv
            br_multicast_ipv4_rcv(self.ns, br, port, pkt.payload)
        elif frame.dst[0] & 1 and frame.ethertype == P.ETH_P_IPV6 and \
                pkt.__class__ is P.Ipv6 and pkt.payload.__class__ is P.Icmp6 and \
                pkt.payload.type in (130, 131, 132, P.ICMPV6_MLD2_REPORT):
            from ipemu.kernel.br_mdb import br_multicast_ipv6_rcv
            br_multicast_ipv6_rcv(self.ns, br, port, pkt.payload)

    def bridge_xmit(self, br: NetDevice, frame: P.Frame) -> None:
        if br.br_conf.get("mcast_snooping", 1) == 1 and frame.dst[0] & 1:
            self._br_snoop(br, None, frame)
        if br.fdb:
            br_fdb_expire(br, self.clock.now)   # the gc work ran meanwhile
        fdb = br.fdb
        out = fdb.get(frame.dst) if not frame.dst[0] & 1 else None
        if out is br:
            # br_dev_xmit(): br_forward(dst->dst, ...) of an entry on the bridge
            # itself (dst NULL) frees the frame
            return
        if out is not None:
            out = self._br_backup_redirect(br, out)
            if out is None:
                return
        ports = [out] if out is not None else list(reversed(br.ports))   # br_flood()
        flood = out is None
        if out is None and frame.dst[0] & 1 and frame.dst != P.BROADCAST_MAC and \
                br.br_conf.get("mcast_querier", 0) == 1:
            from ipemu.kernel.br_mdb import br_mcast_dests
            dests = br_mcast_dests(self.ns, br, frame)
            if dests is not None:
                ports = dests[0]        # br_multicast_flood()
                flood = False
        for port in ports:
            if flood and (port.brport or BrPortConf()).proxy_arp:
                continue                # br_flood(): never to a proxy_arp port
            if flood and not frame.dst[0] & 1 and not (port.brport or BrPortConf()).flood:
                # br_flood(): BR_PKT_UNICAST needs BR_FLOOD even from the bridge
                # itself; the bcast/mcast flags skip only `skb->dev != br->dev`
                # (recorded: tutorials46_bridge_own_frames_flood_flags)
                continue
            if port_state(port) == BrState.FORWARDING:
                # br_dev_xmit() -> br_forward(): NF_BR_LOCAL_OUT, no br_netfilter
                # state (a frame of the bridge's own), is_skb_forwardable() only
                self._br_dev_queue_push_xmit(port, frame)

    # ---------------------------------------------------------------- ARP
    def _local_v4(self, addr) -> bool:
        # any order will do: the devices as they are held, not device_list()'s copy
        for d in self.ns.devices.values():
            for i in d.ifa4:
                if i.local == addr:
                    return True
        return False

    def _source_ok(self, dev: NetDevice, src, dst=None) -> bool:
        return not self._validate_source(dev, src, dst)

    def _validate_source(self, dev: NetDevice, src, dst=None, out: NetDevice | None = None,
                         mark: int = 0, tos: int = 0) -> int:
        """fib_validate_source(): 0, or -EINVAL for a martian (a packet from one of our
        own addresses arriving on a real device, unless accept_local is set on it; a
        route back that is no unicast one), or -EXDEV when rp_filter (the larger of
        conf/all and the device's) fails: __fib_validate_source()'s e_rpf, which
        ip_rcv_finish_core() counts as LINUX_MIB_IPRPFILTER. `dst` is the packet's
        destination, `out` the device a forwarded packet leaves by (None: local
        delivery), `mark` and `tos` the packet's."""
        ns = self.ns
        rp = self._rp_filter(dev)
        if not rp and (out is not dev or "1" not in (
                ns.conf(4, "all", "send_redirects"), ns.conf(4, dev, "send_redirects"))):
            # fib_validate_source()'s short way: without rp_filter only our own
            # addresses are refused (IN_DEV_ACCEPT_LOCAL spares them), unless custom
            # rules or custom local routes could make the way back anything else
            # (then the full check)
            if not (ns.fib_has_custom_rules or ns.fib_has_custom_local_routes):
                if self._local_v4(src) and dev.kind != "loopback" and \
                        not self._accept_local(dev):
                    return -Errno.EINVAL
                return 0
            if self._accept_local(dev):
                return 0
        return self._validate_source_full(dev, src, dst, out, mark, tos, rp,
                                          self._accept_local(dev))

    def _validate_source_full(self, dev: NetDevice, src, dst, out: NetDevice | None,
                              mark: int, tos: int, rp: int, accept_local: bool) -> int:
        """__fib_validate_source(): the way back, a lookup of the source from the
        destination as if it came in by the output device (iif lo for a packet
        delivered here), with the packet's mark when src_valid_mark is set and its
        tos: no route (or a reject route) is last_resort (e_rpf under rp_filter); a
        route back that is not unicast (local without accept_local, broadcast) is
        -EINVAL; one through this device passes; else strict mode (1) fails, loose
        mode (2) passes, and a device without IPv4 addresses is last_resort."""
        ns = self.ns
        if ns.conf(4, dev, "src_valid_mark") != "1" and \
                ns.conf(4, "all", "src_valid_mark") != "1":
            mark = 0
        try:
            back, _ = ns.lookup(src, dst, iif=out, mark=mark, tos=tos)
        except KernelError:
            return -Errno.EXDEV if rp else 0          # last_resort
        if back.type != RTN.UNICAST and (back.type != RTN.LOCAL or not accept_local):
            return -Errno.EINVAL
        ifindex = dev.ifindex
        # fib_info_nh_uses_dev(): any of its paths; a local route matches lo too
        if back.oif == ifindex or any(nh.oif == ifindex for nh in back.nexthops) or \
                (back.type == RTN.LOCAL and dev.kind == "loopback"):
            return 0
        if not dev.ifa4:
            return -Errno.EXDEV if rp else 0          # no_addr: last_resort
        if rp == 1:
            return -Errno.EXDEV
        return 0

    def _rpf_drop(self, dev: NetDevice, src, dst=None, out: NetDevice | None = None,
                  mark: int = 0, tos: int = 0) -> bool:
        """ip_rcv_finish_core(): a datagram whose route input failed source validation
        is dropped; -EXDEV (rp_filter) counts IPReversePathFilter (TcpExt)."""
        err = self._validate_source(dev, src, dst, out, mark, tos)
        if err == -Errno.EXDEV:
            snmp.mib_of(self).tcpext["IPReversePathFilter"] += 1
        return err != 0

    def _rp_filter(self, dev: NetDevice) -> int:
        """IN_DEV_RPFILTER(): the larger of conf/all's and the device's rp_filter, kept
        per device while neither the sysctls nor the devices change (the kernel reads
        it from the device's conf array)."""
        ns = self.ns
        version = getattr(ns.sysctls, "version", None)
        if version is None or not self.dst_cache:
            return max(int(ns.conf(4, dev, "rp_filter")), int(ns.conf(4, "all", "rp_filter")))
        stamp = (version, FibTable.genid)
        if self._rpf_stamp != stamp:
            self._rpf.clear()
            self._rpf_stamp = stamp
        key = (dev.ifindex, dev.name)
        rp = self._rpf.get(key)
        if rp is None:
            rp = self._rpf[key] = max(int(ns.conf(4, dev, "rp_filter")),
                                      int(ns.conf(4, "all", "rp_filter")))
        return rp

    def arp_rcv(self, dev: NetDevice, arp: P.Arp, unicast: bool = True) -> None:
        ns = self.ns
        if dev.noarp:
            return      # arp_rcv(): a NOARP device takes no ARP at all
        if arp.spa == arp.tpa and (ns.conf(4, dev, "drop_gratuitous_arp") != "0" or
                                   ns.conf(4, "all", "drop_gratuitous_arp") != "0"):
            # arp_process(): a gratuitous request or reply is dropped whole with
            # drop_gratuitous_arp (IN_DEV_ORCONF; recorded:
            # tutorials41c_garlicspace_arp_accept_garp)
            return
        if arp.op == 1:
            if not self._local_v4(arp.tpa):
                if int(arp.spa) != 0 and self._arp_proxy(dev, arp, unicast):
                    return
                self._arp_unsolicited(dev, arp, unicast)
                return
            if int(arp.spa) == 0:
                # arp_process(): a probe from 0.0.0.0 (duplicate address detection)
                # gets a reply to its hardware address, and leaves no neighbour entry
                reply = P.Arp(2, dev.address, arp.tpa, arp.sha, arp.spa)
                self.later(LOCAL_DELIVERY, self, "dev_xmit", dev,
                           P.Frame(arp.sha, dev.address, P.ETH_P_ARP, reply))
                return
            if self._arp_ignore(dev, arp.spa, arp.tpa) or \
                    not self._source_ok(dev, arp.spa, arp.tpa) \
                    or self._arp_filter(dev, arp.spa, arp.tpa):
                return
            self.arp.confirm(dev.ifindex, arp.spa, arp.sha, reachable=False)
            reply = P.Arp(2, dev.address, arp.tpa, arp.sha, arp.spa)
            if getattr(arp, "tun_rx", None) is not None:
                reply.tun_info = arp.tun_rx     # arp_process(): iptunnel_metadata_reply()
            self.later(LOCAL_DELIVERY, self, "dev_xmit", dev,
                       P.Frame(arp.sha, dev.address, P.ETH_P_ARP, reply))
        elif arp.op == 2:
            n = self.arp.lookup(dev.ifindex, arp.spa)
            if n is not None and n.state & NUD_VALID and n.lladdr != arp.sha and \
                    arp.spa != arp.tpa and \
                    self.clock.now <= n.updated + self.arp.parms(dev.ifindex).locktime:
                # arp_process(): of replies back to back the first wins: another
                # address overrides only after locktime (neigh_update() without
                # NEIGH_UPDATE_F_OVERRIDE leaves a valid entry alone); a gratuitous
                # reply always does
                return
            if n is not None and n.state != Nud.NONE:
                # arp_process(): a broadcast reply does not assert reachability
                self.arp.confirm(dev.ifindex, arp.spa, arp.sha, reachable=unicast)
            else:
                self._arp_unsolicited(dev, arp, unicast)

    def _arp_proxy(self, dev: NetDevice, arp: P.Arp, unicast: bool) -> bool:
        """arp_process(): a forwarding device answers for a target it routes out of
        another device when proxy_arp is on (arp_fwd_proxy(), IN_DEV_PROXY_ARP: all
        or the device) or a proxy entry names it (pneigh_lookup(): this device or
        none); the sender's entry goes STALE (neigh_event_ns()). A broadcast request
        is answered after proxy_delay (pneigh_enqueue(): random below 0.8 s; the
        median taken), one sent to us at once."""
        ns = self.ns
        if ns.conf(4, dev, "forwarding") != "1":
            return False
        try:
            route, _ = ns.lookup(arp.tpa, arp.spa, iif=dev)
        except KernelError:
            return False
        if route.type != RTN.UNICAST or route.oif is None:
            return False
        # arp_fwd_pvlan(): a target routed back out of the device the request came
        # in by is answered with proxy_arp_pvlan (IN_DEV_PROXY_ARP_PVLAN: all or the
        # device), never for a self probe; without it __mkroute_input() refuses an
        # ARP's route back out of its own device (recorded:
        # tutorials41c_kerneldoc_proxy_arp_pvlan, isolated bridge ports)
        pvlan = route.oif == dev.ifindex
        if pvlan and (not self._maxconf(dev, "proxy_arp_pvlan") or arp.spa == arp.tpa):
            return False
        if self._validate_source(dev, arp.spa, arp.tpa, ns.by_index(route.oif)):
            return False        # ip_route_input_noref() -> __mkroute_input() refused it
        proxy = pvlan or (self._maxconf(dev, "proxy_arp") and
                          self._other_medium(dev, ns.by_index(route.oif))) or any(
            e == (4, arp.tpa, dev.ifindex) or e == (4, arp.tpa, 0) for e in ns.pneigh)
        if not proxy:
            return False
        self.arp.confirm(dev.ifindex, arp.spa, arp.sha, reachable=False)
        reply = P.Arp(2, dev.address, arp.tpa, arp.sha, arp.spa)
        delay = LOCAL_DELIVERY if unicast else \
            int(ns.sysctls.get(f"net.ipv4.neigh.{dev.name}.proxy_delay",
                               ns.sysctls.get("net.ipv4.neigh.default.proxy_delay", "80"))) / 200
        self.later(delay, self, "dev_xmit", dev,
                   P.Frame(arp.sha, dev.address, P.ETH_P_ARP, reply))
        return True

    def _ndisc_proxy(self, dev: NetDevice, pkt: P.Ipv6, msg) -> None:
        """ndisc_recv_ns() for a target that is no address of ours: a forwarding device
        with proxy_ndp on (all or the device) answers for a target a proxy entry of
        the device names (pndisc_is_router() >= 0). The NA is solicited, without the
        override flag (ifp is NULL) and with the entry's router flag (none: `ip -6
        neigh add proxy` sets no NTF_ROUTER), the link-layer option only for a
        multicast solicitation, from the address ipv6_dev_get_saddr() picks for the
        sender; the sender's entry goes STALE. A multicast solicitation waits for
        proxy_delay (pneigh_enqueue(): random below it; the median taken, as for ARP),
        one sent to us is answered at once. Recorded: case tutorials36b_ipv6_ndp_proxy_ns
        (h1 and h2 in one /64 on two links through r)."""
        ns = self.ns
        if ns.conf(6, dev, "forwarding") != "1":
            return
        if ns.sysctls.get("net.ipv6.conf.all.proxy_ndp") != "1" and \
                ns.conf(6, dev, "proxy_ndp") != "1":
            return
        if (6, msg.target, dev.ifindex) not in ns.pneigh:
            return
        self._ndisc_answer_other(dev, pkt, msg, 0x40000000)

    def _ndisc_answer_other(self, dev: NetDevice, pkt: P.Ipv6, msg, flags: int) -> None:
        """ndisc_recv_ns() then ndisc_send_na() for a target that is no address of
        ours (a proxy entry's, or an anycast address of the device): solicited, no
        override, the source ipv6_dev_get_saddr() picks."""
        ns = self.ns
        src = ns.select_source(dev, pkt.src)
        if src is None:
            return
        inc = pkt.dst.is_multicast
        if msg.lladdr is not None:
            self.nd.confirm(dev.ifindex, pkt.src, msg.lladdr, reachable=False)
            self.nd.event_send(dev.ifindex, pkt.src)
        elif inc:
            return          # __neigh_lookup(..., creat = !inc || lladdr): no entry, no NA
        na = P.Icmp6(P.NDISC_NEIGHBOUR_ADVERTISEMENT, target=msg.target,
                     lladdr=dev.address if inc else None, flags=flags)
        reply = P.Ipv6(src, pkt.src, P.IPPROTO_ICMPV6, na, hop_limit=255)
        delay = LOCAL_DELIVERY
        if inc:
            proxy_delay = int(ns.sysctls.get(
                f"net.ipv6.neigh.{dev.name}.proxy_delay",
                ns.sysctls.get("net.ipv6.neigh.default.proxy_delay", "80")))
            if proxy_delay:
                delay = proxy_delay / 200
        self.later(delay, self, "_ndisc_proxy_send", dev, reply, msg.lladdr or P.BROADCAST_MAC)

    def _ndisc_proxy_send(self, dev: NetDevice, reply: P.Ipv6, mac: bytes) -> None:
        if self.ns.devices.get(dev.ifindex) is not dev:
            return
        snmp.ip6_send(self, reply, dev.ifindex)     # ndisc_send_skb()
        self.dev_xmit(dev, P.Frame(mac, dev.address, P.ETH_P_IPV6, reply))

    def _arp_unsolicited(self, dev: NetDevice, arp: P.Arp, unicast: bool) -> None:
        """arp_process(): an ARP from a sender without a neighbour entry makes one when
        arp_accept lets it (arp_accept(): 1, or 2 for a sender in one of the device's
        subnets) and it is gratuitous (arp_is_garp(): sender and target address the
        same unicast one, a reply's target MAC its sender's) or a reply from a
        unicast address; STALE unless a reply sent to us alone."""
        n = self.arp.lookup(dev.ifindex, arp.spa)
        if n is not None and n.state != Nud.NONE:
            # an entry there is updated by any ARP (a request for someone else
            # included): STALE, a new address only with NEIGH_UPDATE_F_OVERRIDE, which
            # is locktime gone by or a gratuitous ARP (arp_is_garp()); without it
            # neigh_update() leaves a valid entry alone. Recorded: case
            # tutorials36d_aliyun_arping_conflict (arping -U, then -A, move cli's entry)
            garp = arp.spa == arp.tpa and (arp.op == 1 or arp.tha == arp.sha) and \
                self.ns.inet_addr_type(arp.spa) == RTN.UNICAST
            if n.state & NUD_VALID and n.lladdr != arp.sha and not garp and \
                    self.clock.now <= n.updated + self.arp.parms(dev.ifindex).locktime:
                return
            self.arp.confirm(dev.ifindex, arp.spa, arp.sha, reachable=False)
            return
        mode = self._maxconf(dev, "arp_accept")
        if mode == 2:
            if not any(arp.spa in i.network and i.scope <= Scope.LINK
                       for i in self.ns.ifa4(dev)):
                return
        elif mode != 1:
            return
        unicast_sender = self.ns.inet_addr_type(arp.spa) == RTN.UNICAST
        garp = arp.spa == arp.tpa and (arp.op == 1 or arp.tha == arp.sha) and unicast_sender
        if not garp and not (arp.op == 2 and unicast_sender):
            return
        self.arp.confirm(dev.ifindex, arp.spa, arp.sha, reachable=arp.op == 2 and unicast)

    def arp_constructor(self, n) -> None:
        """arp_constructor() (net/ipv4/arp.c) for a new entry on an Ethernet-like
        device: the type is inet_addr_type_dev_table()'s (the local or l3mdev table,
        no device to match), and a BROADCAST one is NOARP with dev->broadcast. That
        includes every address while the namespace has no local table yet (no address
        and lo never up: __inet_dev_addr_type() starts from RTN_BROADCAST), so a router
        namespace without addresses sends to its neighbours' broadcast MAC and learns
        nothing (neigh_update() leaves a NOARP entry). Recorded: case
        tutorials36b_arping_proxyarp_ns (r's `ip neigh` empty, `nud all` NOARP
        ff:ff:ff:ff:ff:ff). Multicast, loopback and NOARP devices are made where their
        entries are sent to."""
        dev = self.ns.by_index(n.ifindex)
        if dev is None or dev.kind == "loopback" or dev.noarp:
            return
        addr = n.addr
        if not isinstance(addr, ipaddress.IPv4Address) or addr.is_multicast:
            return
        if int(addr) >> 24 == 0 and int(addr):
            # 0.0.0.0/8 but 0.0.0.0 itself: a unicast neighbour like any other when
            # routes make it one (recorded: transcripts/kernel/unicast_extensions.txt,
            # 0.1.2.2 REACHABLE); only a missing local table makes it BROADCAST here
            from ipemu.kernel.vrf import l3mdev_fib_table
            from ipemu.kernel.fib import TABLE_LOCAL
            if self.ns.tables.get((4, l3mdev_fib_table(dev) or TABLE_LOCAL)) is not None:
                return
        if self.ns.inet_addr_type_dev_table(dev, addr) == RTN.BROADCAST:
            n.state, n.lladdr = Nud.NOARP, bytes(dev.broadcast)

    # neigh_ops of the two tables: arp_generic_ops and nd_generic_ops
    def neigh_solicit(self, family: int, n, unicast: bool) -> None:
        dev = self.ns.by_index(n.ifindex)
        if dev is None:
            return
        if family == 4:
            self._arp_solicit(dev, n, unicast)
        else:
            self._nd_solicit(dev, n, unicast)

    @staticmethod
    def skb_truesize(pkt) -> int:
        """skb->truesize of a datagram waiting in a neighbour's arp_queue, as
        ip_append_data() allocates it: sock_alloc_send_skb() of the datagram, the
        headroom (LL_RESERVED_SPACE: 16 on Ethernet) and 15 bytes; __alloc_skb() aligns
        that to SKB_DATA_ALIGN (64), adds skb_shared_info (320), takes kmalloc's size
        class, and counts struct sk_buff (256) beside: 768 for a 84-byte ping."""
        size = (16 + P.l3_length(pkt) + 15 + 63) // 64 * 64 + 320
        for cache in _KMALLOC_SIZES:
            if size <= cache:
                size = cache
                break
        else:
            size = 1 << (size - 1).bit_length()     # whole pages (kmalloc_large())
        return size + 256

    def neigh_transmit(self, family: int, n, pkt) -> None:
        dev = self.ns.devices.get(n.ifindex)
        if dev is not None:
            # the packet's own protocol: an IPv4 datagram may wait on an ND entry
            ethertype = P.ETH_P_IPV6 if type(pkt) is P.Ipv6 else P.ETH_P_IP
            self.dev_xmit(dev, P.Frame(n.lladdr, dev.address, ethertype, pkt))

    def neigh_error(self, family: int, n, pkt) -> None:
        """A queued packet whose neighbour never answered: host (v4) or address (v6)
        unreachable to its sender."""
        dev = self.ns.by_index(n.ifindex)
        if dev is None:
            return
        # by the packet's protocol: ndisc_error_report()'s dst_link_failure() of an
        # IPv4 datagram (v4-via-v6) is ipv4_link_failure(), host unreachable
        if isinstance(pkt, P.Ipv4):
            # ipv4_send_dest_unreach(): "Recompile ip options since IPCB may not be
            # valid anymore": __ip_options_compile() with the skb stamps the next RR
            # slot once more (no ip_send_check()), then __icmp_send() echoes it
            self.icmp_send(self._rcv_options_seen(pkt, dev), P.ICMP_DEST_UNREACH,
                           P.ICMP_HOST_UNREACH, dev, stale=pkt)
        elif family == 6:
            # ip6_link_failure() -> icmpv6_send(): the source is chosen on the device
            # the packet came in by (IP6CB(skb)->iif), not the one ND failed on
            in_dev = self.ns.by_index(pkt.iif) if pkt.iif else None
            self.icmp6_send(pkt, P.ICMPV6_DEST_UNREACH, 3, in_dev or dev)   # address unreachable

    def _maxconf(self, dev: NetDevice, key: str) -> int:
        """IN_DEV_MAXCONF(): the larger of conf/all and the device's value."""
        return max(int(self.ns.conf(4, "all", key)), int(self.ns.conf(4, dev, key)))

    def _arp_ignore(self, dev: NetDevice, sip, tip) -> bool:
        """arp_ignore(): 1 answers only for addresses of the receiving device, 2 also
        only to senders on a subnet of that device that holds the target too, 3 not
        for host-scope addresses, 4-7 (reserved) and above 8 always, 8 never:
        !inet_confirm_addr() with the sender, target and scope each mode gives."""
        mode = self._maxconf(dev, "arp_ignore")
        if mode == 8:
            return True
        if mode == 1:
            return not self._confirm_addr(dev, None, tip, Scope.HOST)
        if mode == 2:
            return not self._confirm_addr(dev, sip, tip, Scope.HOST)
        if mode == 3:
            return not self._confirm_addr(None, None, tip, Scope.LINK)
        return False

    def _confirm_addr(self, dev: NetDevice | None, dst, local, scope: int):
        """inet_confirm_addr(): confirm_addr_indev() on the device, or on each device
        of the namespace in turn when there is none (arp_ignore 3)."""
        for d in [dev] if dev is not None else self.ns.device_list():
            addr = self._confirm_addr_indev(d, dst, local, scope)
            if addr is not None:
                return addr
        return None

    def _confirm_addr_indev(self, dev: NetDevice, dst, local, scope: int):
        """confirm_addr_indev() (net/ipv4/devinet.c), walked as the kernel walks the
        device's address list: the address LOCAL (any address when None) of scope
        at most SCOPE (host-scope ones count as link with route_localnet) is
        confirmed when some address's subnet holds both LOCAL and DST; so a /32
        host-scope address is confirmed to a sender on the device's /24 (recorded:
        tutorials41c_braincoke_arp_ignore_levels, arp_ignore 2)."""
        localnet_scope = Scope.LINK if self._localnet(dev) else Scope.HOST
        addr = None
        same = False
        for ifa in self.ns.ifa4(dev):
            min_scope = min(ifa.scope, localnet_scope)
            if addr is None and (local is None or local == ifa.local) and min_scope <= scope:
                addr = ifa.local
                if same:
                    break
            if not same:
                same = (local is None or local in ifa.network) and \
                    (dst is None or dst in ifa.network)
                if same and addr is not None:
                    if local is not None or dst is None:
                        break
                    if addr in ifa.network:
                        break
                    if min_scope <= scope:
                        addr = ifa.local
                        break
                    same = False
        return addr if same else None

    def _arp_filter(self, dev: NetDevice, sip, tip) -> bool:
        """arp_filter(): with conf/all's or the device's arp_filter set
        (IN_DEV_ARPFILTER), a request is answered only when the route back to the
        sender from the address asked for leaves by this device (ip_route_output())."""
        ns = self.ns
        if ns.conf(4, "all", "arp_filter") == "0" and ns.conf(4, dev, "arp_filter") == "0":
            return False
        try:
            route, _ = ns.lookup(sip, src=tip)
        except KernelError:
            return True
        out = LOOPBACK_IFINDEX if route.type == RTN.LOCAL else route.oif
        return out != dev.ifindex

    def _arp_solicit(self, dev: NetDevice, n, unicast: bool) -> None:
        # arp_solicit(): arp_announce 0 takes the waiting packet's source when it is
        # a local address, 1 only when it is on the target's subnet, 2 never; else
        # the device's address for the target (inet_select_addr())
        trigger = n.queue[0] if n.queue else None
        announce = self._maxconf(dev, "arp_announce")
        src = None
        if trigger is not None and self._local_v4(trigger.src):
            if announce == 0 or announce == 1 and any(
                    n.addr in i.network and trigger.src in i.network for i in self.ns.ifa4(dev)):
                src = trigger.src
        if src is None:
            src = self.ns.select_source(dev, n.addr) or ipaddress.IPv4Address(0)
        dst_mac = n.lladdr if unicast and n.lladdr else P.BROADCAST_MAC
        arp = P.Arp(1, dev.address, src, bytes(6), n.addr)
        if trigger is not None and getattr(trigger, "tun_info", None) is not None:
            # arp_solicit(): the waiting packet's dst (kept: a vxlan is not
            # IFF_XMIT_DST_RELEASE) goes with the request, its tunnel info too
            arp.tun_info = trigger.tun_info
        self.dev_xmit(dev, P.Frame(dst_mac, dev.address, P.ETH_P_ARP, arp))

    # --------------------------------------------------------------- IPv4
    def ip_output(self, pkt: P.Ipv4, oif: NetDevice | None = None,
                  forwarded: bool = False, mark: int = 0, route=None,
                  pmtu_probe: bool = False) -> None:
        """ip_route_output + ip_finish_output2: route, then loopback or neighbour; a
        datagram of ours is cut to the path MTU a route exception learnt (not one of a
        socket with IP_PMTUDISC_PROBE: ip_skb_dst_mtu() gives it the device's)."""
        ns = self.ns
        dst = pkt.dst
        limited = int(dst) == 0xFFFFFFFF          # INADDR_BROADCAST
        if limited and oif is not None:
            snmp.ip_local_out(self, pkt, forwarded)
            snmp.ip_out(self, pkt, True)
            if not forwarded:
                self._broadcast_loopback(oif, pkt)
            self.dev_xmit(oif, P.Frame(P.BROADCAST_MAC, oif.address, P.ETH_P_IP, pkt))
            return
        if dst.is_multicast and oif is not None and not forwarded:
            self._mc_output(oif, pkt)
            return
        if route is None:
            try:
                route, _ = self.route_output4(dst, oif, None if forwarded else pkt.src, mark,
                                              (0, 0, 0, 0) if forwarded else flow_of(pkt))
            except KernelError:
                return
        snmp.ip_local_out(self, pkt, forwarded)
        rtype = route.type
        if rtype == RTN.LOCAL:
            lo = ns.devices.get(LOOPBACK_IFINDEX)
            snmp.ip_out(self, pkt, False)           # ip_finish_output2(), even to a lo down
            if lo is None or not lo.admin_up:
                if lo is not None:
                    self._lo_neigh(self.arp, lo, IPV4_ANY)
                    # __dev_queue_xmit() into a lo that is down: its noop qdisc's
                    # noop_enqueue() drops the packet and counts it (recorded: a ping
                    # to our own address, and the ICMP error for an unresolved
                    # neighbour, each add one to lo's TX dropped)
                    lo.stats.tx_dropped += 1
                return
            mac = self._lo_neigh(self.arp, lo, IPV4_ANY)
            self.dev_xmit(lo, P.Frame(mac, bytes(6), P.ETH_P_IP, pkt))
            return
        dev = ns.devices.get(route.oif) if route.oif is not None else oif
        if dev is None:
            return
        if route.encap is not None and route.encap.type == "ip" and not forwarded and \
                dev.vxlan is not None:
            # the route's LWTUNNEL_ENCAP_IP state rides on the skb's dst: a
            # collect-metadata vxlan reads it as TX tunnel info (skb_tunnel_info())
            pkt.tun_info = route.encap
        if route.encap is not None and route.encap.type == "seg6":
            from ipemu.kernel.seg6 import seg6_encap
            seg6_encap(self, pkt, route)        # lwtunnel_output() -> seg6_output()
            return
        if not forwarded and ns.xfrm is not None and xfrm.active(ns):
            sport, dport = _flow_ports(pkt.payload)
            if self._xfrm_out(4, pkt.src, dst, pkt.proto, sport, dport, dev) != "pass":
                return          # -EPERM, or xfrm_lookup()'s blackhole: no SA to use
        if dst.is_multicast and not forwarded and rtype == RTN.UNICAST and \
                (route.gateway is None or route.dst.prefixlen < 4):
            # __mkroute_output(): a group's dst is RTN_MULTICAST whatever route found
            # it (a gateway only of a route more specific than /4), and its neighbour
            # NOARP with the mapped MAC (arp_mc_map())
            self._mc_output(dev, pkt, counted=True)
            return
        if rtype == RTN.BROADCAST or limited:
            # ip_finish_output2()'s neighbour of a broadcast: arp_constructor() makes
            # it NOARP with the broadcast address (the device's own on a NOARP device)
            n = self.arp.lookup(dev.ifindex, dst)
            if n is None or not n.state:
                n = self.arp.entry(dev.ifindex, dst)
                n.state = Nud.NOARP
                n.lladdr = bytes(dev.address) if dev.noarp else P.BROADCAST_MAC
            # ip_finish_output(): cut to the route's mtu (ipv4_mtu(): RTAX_MTU first)
            # or the device's
            mtu = next((v for name, v, _ in route.metrics if name == "mtu" and v), dev.mtu)
            if ns.nh_exceptions and not forwarded and not limited:
                # a subnet broadcast route's exception (its fib_info kept: 6.16+)
                pmtu = ns.pmtu_of(dst)
                mtu = min(mtu, pmtu) if pmtu is not None else mtu
            if not forwarded:
                self._broadcast_loopback(dev, pkt)
            for piece in self._fragment(pkt, mtu):
                snmp.ip_out(self, piece, True)
                self.dev_xmit(dev, P.Frame(P.BROADCAST_MAC, dev.address, P.ETH_P_IP, piece))
            return
        src = pkt.src
        if not forwarded and src is not None and int(src) >> 24 == 127 and \
                dev.kind != "loopback" and not self._localnet(dev):
            return      # __mkroute_output(): a loopback source stays on lo (EINVAL)
        gateway = route.gateway
        if gateway is not None and gateway.version == 4 and ns.nh_source4(dev, gateway)[4]:
            # fib_check_nh_v4_gw(): a gateway that is an address of ours gives the
            # nexthop scope host, and rt_set_nexthop() then gives the dst no rt_gw4:
            # the packet goes to its destination on the link
            gateway = None
        nexthop = gateway or dst
        mtu = dev.mtu
        if ns.nh_exceptions:        # fib_nh_exception: none learnt, nothing to ask
            if gateway is not None:
                nexthop = ns.redirect_of(dst) or nexthop    # a redirect's gateway
            if not forwarded and not pmtu_probe:
                pmtu = ns.pmtu_of(dst)
                mtu = min(mtu, pmtu) if pmtu is not None else mtu
        if not pkt.more_fragments and not pkt.frag_offset and P.l3_length(pkt) <= mtu:
            peer = dev.peer if dev.kind == "veth" and not forwarded else None
            refused = peer.stats.rx_dropped if peer is not None else 0
            self._neigh_output(dev, nexthop, pkt)       # ip_finish_output(): it fits
            if peer is not None and peer.stats.rx_dropped != refused \
                    and pkt.proto != P.IPPROTO_TCP:
                # ip_send_skb() (ICMP, UDP, raw; not TCP's ip_queue_xmit()): the
                # NET_XMIT_DROP of veth_xmit() refusing the frame counts OUTDISCARDS
                snmp.ip_out_discard(self)
            return
        pieces = self._fragment(pkt, mtu)
        peer = dev.peer if dev.kind == "veth" else None
        for i, piece in enumerate(pieces):
            refused = peer.stats.rx_dropped if peer is not None else 0
            self._neigh_output(dev, nexthop, piece)
            if peer is not None and peer.stats.rx_dropped != refused:
                # ip_do_fragment(): output() of a piece failing (veth_xmit()'s
                # NET_XMIT_DROP for a frame the peer's MTU refuses) ends the loop and
                # frees the pieces not sent: FRAGFAILS instead of FRAGOKS, FRAGCREATES
                # only for those sent before (recorded: a 1528-byte echo reply cut
                # 1500 + 48 toward a 1400-MTU peer sends neither piece's successor)
                snmp.ip_fragment_aborted(self, len(pieces), i)
                if not forwarded and pkt.proto != P.IPPROTO_TCP:
                    snmp.ip_out_discard(self)       # ip_send_skb(): NET_XMIT_DROP
                return

    def _mc_output(self, dev: NetDevice, pkt: P.Ipv4, counted: bool = False) -> None:
        """A group sent out of a named device (a vxlan's `group G dev DEV`): the
        output route needs no table (ip_route_output_key_hash_rcu(): "routing tables
        are wrong", the flow's oif taken as on link; __mkroute_output() makes it
        RTN_MULTICAST, no gateway), and ip_finish_output2()'s neighbour is NOARP with
        the mapped MAC (arp_constructor() -> arp_mc_map())."""
        from ipemu.kernel.mcast import mc_map
        if not counted:
            snmp.ip_local_out(self, pkt, False)
        mac = mc_map(pkt.dst)
        n = self.arp.entry(dev.ifindex, pkt.dst)
        if not n.state & Nud.NOARP:
            n.state, n.lladdr = Nud.NOARP, mac
        for piece in self._fragment(pkt, dev.mtu):
            snmp.ip_out(self, piece, False)
            self.dev_xmit(dev, P.Frame(mac, dev.address, P.ETH_P_IP, piece))

    def _fragment(self, pkt: P.Ipv4, mtu: int) -> list[P.Ipv4]:
        """ip_fragment(): a datagram larger than the MTU leaves in pieces of a multiple
        of 8 bytes, without DF; only the last has MF clear. A fragment forwarded onto
        a smaller MTU is cut again (ip_do_fragment()'s slow path): the pieces' offsets
        count from its own, and every piece keeps MF when it had MF (not_last_frag)."""
        if P.l3_length(pkt) <= mtu:
            return [pkt]
        from ipemu.kernel.encode import ipv4_payload_bytes
        data = pkt.payload if pkt.is_fragment else ipv4_payload_bytes(pkt)
        step = (mtu - 20) // 8 * 8
        pieces = []
        for start in range(0, len(data), step):
            chunk = data[start:start + step]
            pieces.append(P.Ipv4(pkt.src, pkt.dst, pkt.proto, chunk, pkt.ttl, pkt.tos, pkt.id,
                                 df=False, frag_offset=pkt.frag_offset + start,
                                 more_fragments=start + step < len(data) or
                                 pkt.more_fragments))
        snmp.ip_fragmented(self, len(pieces))
        return pieces

    @staticmethod
    def _lo_neigh(table, lo: NetDevice, key) -> bytes:
        """ip_finish_output2() / ip6_finish_output2(): the output through lo looks its
        neighbour up and makes it when missing: NOARP with lo's own (zero) address
        (arp_constructor() keys IPv4 ones on a loopback as 0.0.0.0; IPv6 ones are the
        destination's), listed by `ip neigh show nud all`."""
        n = table.lookup(lo.ifindex, key)
        if n is None or not n.state:
            n = table.entry(lo.ifindex, key)
            n.state, n.lladdr = Nud.NOARP, bytes(lo.address)
        return bytes(n.lladdr or bytes(6))      # the frame's destination (neigh_output())

    def _neigh_output(self, dev: NetDevice, nexthop, pkt: P.Ipv4) -> None:
        snmp.ip_out(self, pkt, False)
        # ip_finish_output2(): ip_neigh_for_gw() -> ip_neigh_gw6() looks an IPv6
        # gateway (RTA_VIA, v4-via-v6) up in nd_tbl, so ND resolves it, not ARP
        table = self.arp if nexthop.version == 4 else self.nd
        if dev.kind == "loopback" and nexthop.version == 4:
            # ip_neigh_gw4(): on lo the key is INADDR_ANY, and arp_constructor()
            # makes it NOARP (an on-link guess through lo: `ping -I lo ADDR`)
            mac = self._lo_neigh(table, dev, IPV4_ANY)
            self.dev_xmit(dev, P.Frame(mac, bytes(6), P.ETH_P_IP, pkt))
            return
        if dev.noarp:
            # arp_constructor() / ndisc_constructor(): no resolution on a NOARP
            # device; the entry is NOARP and frames carry the device's own address
            n = table.entry(dev.ifindex, nexthop)
            n.state, n.lladdr = Nud.NOARP, dev.address
            self.dev_xmit(dev, P.Frame(dev.address, dev.address, P.ETH_P_IP, pkt))
            return
        table.resolve(dev.ifindex, nexthop, pkt)

    def _addr_type(self, addr) -> int:
        """inet_addr_type(): what the local table says about an address (kept per
        address while no table changes)."""
        key = int(addr)
        if self._dst_genid != FibTable.genid:
            self._dst_valid()           # a table changed: both caches are emptied
        found = self._addr_types.get(key) if self.dst_cache else None
        if found is not None:
            return found
        table = self.ns.tables.get((4, 255))      # ns.table(4, 255), never created here
        best = table.longest_match(key) if table is not None else None
        found = best.type if best is not None else RTN.UNICAST
        if self.dst_cache:
            if len(self._addr_types) >= self.DST_CACHE_MAX:
                self._addr_types.clear()
            self._addr_types[key] = found
        return found

    def _reassemble(self, key: tuple, pkt) -> bytes | None:
        """The fragment queue of `key` (inet_frag_find()) takes pkt; the whole payload
        once the last fragment is in and no hole is left, else None."""
        parts = self._frags.setdefault(key, {})
        parts[pkt.frag_offset] = pkt
        if all(p.more_fragments for p in parts.values()):
            return None
        data = b""
        for offset in sorted(parts):
            if offset != len(data):
                return None
            data += bytes(parts[offset].payload)
        del self._frags[key]
        return data

    def _defrag(self, pkt: P.Ipv4, user: str = "") -> P.Ipv4 | None:
        """ip_defrag(): keep fragments until the datagram is whole (a queue per
        defrag user: IP_DEFRAG_LOCAL_DELIVER's, IP_DEFRAG_MACVLAN's)."""
        snmp.ip_defrag(self, False)
        key = (pkt.src, pkt.dst, pkt.id, pkt.proto) if not user else \
            (pkt.src, pkt.dst, pkt.id, pkt.proto, user)
        data = self._reassemble(key, pkt)
        if data is None:
            return None
        snmp.ip_defrag(self, True)
        from ipemu.kernel.encode import icmp_from_bytes
        payload = icmp_from_bytes(data) if pkt.proto == P.IPPROTO_ICMP else data
        return P.Ipv4(pkt.src, pkt.dst, pkt.proto, payload, pkt.ttl, pkt.tos, pkt.id, df=False)

    def _localnet(self, dev: NetDevice) -> bool:
        """IN_DEV_NET_ROUTE_LOCALNET(): route_localnet on the device or on all."""
        return "1" in (self.ns.conf(4, dev, "route_localnet"),
                       self.ns.conf(4, "all", "route_localnet"))

    def _echo6_ignored(self, multicast: bool) -> bool:
        """icmpv6_rcv(): no reply with icmp.echo_ignore_all, nor in icmpv6_echo_reply()
        to a group with icmp.echo_ignore_multicast (u8 values: any but 0 sets them;
        recorded: tutorials41c_echo_ignore_v4_v6)."""
        sysctls = self.ns.sysctls
        return sysctls.get("net.ipv6.icmp.echo_ignore_all", "0") != "0" or \
            multicast and sysctls.get("net.ipv6.icmp.echo_ignore_multicast", "0") != "0"

    def _ip6_forwarding(self, dev: NetDevice) -> bool:
        """ip6_forward(): conf/all/forwarding decides (a device's own forwarding only
        makes it a router or a host), or the input device's force_forwarding (6.17;
        recorded: in0 and out0 forwarding 1 with all 0 forward nothing, all 1 with
        in0 0 forwards, tutorials41c_ipv6_forwarding_per_device)."""
        return self.ns.conf(6, "all", "forwarding") != "0" or \
            self.ns.conf(6, dev, "force_forwarding") != "0"

    def _other_medium(self, dev: NetDevice, out: NetDevice | None) -> bool:
        """arp_fwd_proxy()'s medium_id test (the device's own value, not conf/all's):
        0 on the input device proxies, -1 never, else only toward a device of
        another known medium (recorded: tutorials41c_kerneldoc_proxy_arp_medium_id)."""
        imi = int(self.ns.conf(4, dev, "medium_id"))
        if imi in (0, -1):
            return imi == 0
        omi = int(self.ns.conf(4, out, "medium_id")) if out is not None else -1
        return omi != imi and omi != -1

    def _accept_local(self, dev: NetDevice) -> bool:
        """IN_DEV_ACCEPT_LOCAL(): IN_DEV_ORCONF, conf/all's or the device's (recorded:
        all 1 with the device 0 accepts, tutorials41c_kerneldoc_accept_local_wire)."""
        return self.ns.conf(4, dev, "accept_local") != "0" or \
            self.ns.conf(4, "all", "accept_local") != "0"

    def _bc_forwarding(self, dev: NetDevice) -> bool:
        """IN_DEV_BFORWARD(): bc_forwarding on conf/all and on the input device."""
        return self.ns.conf(4, "all", "bc_forwarding") != "0" and \
            self.ns.conf(4, dev, "bc_forwarding") != "0"

    def _broadcast_loopback(self, dev: NetDevice, pkt: P.Ipv4) -> None:
        """ip_mc_output(): a broadcast we send is also looped back to us
        (dev_loopback_xmit()); the copy keeps its output route, whose input is
        ip_local_deliver() (RTCF_LOCAL), so no source validation applies."""
        snmp.ip_rcv(self, pkt)
        snmp.ip_rcv_cast(self, pkt)
        self.later(LOCAL_DELIVERY, self, "ip_local_deliver", dev, pkt)

    def ip_rcv(self, dev: NetDevice, pkt: P.Ipv4) -> None:
        ns = self.ns
        dst = int(pkt.dst)
        snmp.ip_rcv(self, pkt)
        looped = dev.kind == "loopback"
        if not looped and (dst >> 24 == 127 or int(pkt.src) >> 24 == 127) and \
                not self._localnet(dev):
            return      # ip_route_input_slow(): a martian destination or source
        # 224.0.0.0/4 is multicast, 255.255.255.255 the limited broadcast
        if dst >> 28 == 0xE and not looped:
            # ip_route_input_noref(): a group the device has not joined is not ours
            # (ip_check_mc_rcu()), and without multicast forwarding it is dropped
            mc4 = dev.mc4
            if not mc4 or not any(g.group._ip == dst for g in mc4):
                return
        if pkt.options and _has_source_route(pkt.options) and not (
                ns.conf(4, "all", "accept_source_route") == "1" and
                ns.conf(4, dev, "accept_source_route") == "1"):
            # ip_rcv_finish_core() -> ip_rcv_options(): a source route option on a
            # device without IN_DEV_SOURCE_ROUTE() (conf/all's is 0) is dropped,
            # forwarded or ours, before any TTL check (recorded: traceroute -g's
            # probes get no answer at all). Accepted ones are not simulated
            # (ip_options_rcv_srr()): they go on as without the option.
            return
        kind = RTN.MULTICAST if dst >> 28 == 0xE or dst == 0xFFFFFFFF else \
            self._addr_type(pkt.dst)
        if ns.fib_has_custom_rules and kind in (RTN.LOCAL, RTN.BROADCAST) and not looped:
            # ip_route_input_slow(): the destination's type is what fib_lookup() finds
            # through the rules: with `lookup local` deleted (or passed over) our own
            # address is a unicast route of main's, not for local delivery, and the
            # datagram goes the forwarding way (recorded, fuzz41 seed 490930)
            try:
                found, _ = ns.lookup(pkt.dst, pkt.src, iif=dev)
                if found.type not in (RTN.LOCAL, RTN.BROADCAST):
                    kind = RTN.UNICAST
            except KernelError:
                kind = RTN.UNICAST
        is_local = kind in (RTN.LOCAL, RTN.BROADCAST, RTN.MULTICAST)
        if kind == RTN.BROADCAST and dst != 0xFFFFFFFF and self._bc_forwarding(dev):
            # ip_route_input_slow(): a directed broadcast arriving on a device with
            # bc_forwarding (and conf/all's) goes to make_route, not brd_input, and
            # IN_DEV_FORWARD() is never asked (recorded:
            # tutorials41c_bc_forwarding_directed)
            self.ip_forward(dev, pkt)
            return
        if is_local:
            # fib_validate_source(): brd_input and ip_mc_validate_source() check a
            # broadcast or multicast source with no destination (daddr 0)
            if not looped and (kind == RTN.LOCAL or int(pkt.src)) and self._rpf_drop(
                    dev, pkt.src, pkt.dst if kind == RTN.LOCAL else None):
                return
            snmp.ip_rcv_cast(self, pkt)
            if pkt.more_fragments or pkt.frag_offset:
                pkt = self._defrag(pkt)
                if pkt is None:
                    return
            whole = pkt
            if whole.options:
                # ip_options_compile() on input: RR records the address it was for,
                # and so does a timestamp (spec_dst_fill(): the destination)
                options = record_route(whole.options, whole.dst)
                whole = replace(whole, options=self.stamp_options(options, whole.dst))
            self.later(LOCAL_DELIVERY, self, "ip_local_deliver", dev, whole)
            return
        if ns.conf(4, dev, "forwarding") != "1":    # IN_DEV_FORWARD() of the input device
            snmp.ip_inc(self, "InAddrErrors")      # ip_error(): EHOSTUNREACH
            return
        self.ip_forward(dev, pkt)

    def ip_forward(self, dev: NetDevice, pkt: P.Ipv4) -> None:
        if self.ns.xfrm is not None and xfrm.active(self.ns) and \
                not self.xfrm_check(xfrm.XFRM_POLICY_FWD, 4, pkt, dev):
            return      # ip_forward(): xfrm4_policy_check(XFRM_POLICY_FWD) fails
        # ip_route_input_slow() looks the destination up before ip_forward() checks
        # the TTL: no route answers "net unreachable" even to a TTL of 1
        # ip_route_input_slow(): the flow has the datagram's source and the device it
        # came in by, which rules (`from`, `iif`) select on; without custom rules
        # only the destination decides
        policy = self.ns.fib_has_custom_rules
        try:
            route, _ = self.ns.lookup(pkt.dst, pkt.src, iif=dev) if policy else \
                self.ns.lookup(pkt.dst)
        except KernelError as err:
            # ip_error(): unreachable routes answer "host unreachable", prohibit ones
            # "packet filtered", blackholes nothing; no route at all "net unreachable"
            snmp.ip_error(self, err.errno)
            if err.errno == Errno.EINVAL:
                return
            code = {Errno.EHOSTUNREACH: P.ICMP_HOST_UNREACH,
                    Errno.EACCES: P.ICMP_PKT_FILTERED}.get(err.errno, P.ICMP_NET_UNREACH)
            if self._peer_allow(pkt.src, burst=5.0):      # ip_error()'s own limit
                self.icmp_send(self._rcv_options_seen(pkt, dev), P.ICMP_DEST_UNREACH, code,
                               dev, stale=pkt)
            return
        if route.nexthops:
            # ip_mkroute_input(): a multipath route's nexthop by the datagram's hash
            # (fib_multipath_hash() of the skb: its addresses, and for an L4 policy
            # its protocol and ports), no source preference for a forwarded flow;
            # the same choice ip route get ... iif names (recorded: a LAN host's pings
            # to six destinations leave by the legs the get names, case
            # tutorials42b_ecmp_router_forwarding)
            sport, dport = (pkt.payload.sport, pkt.payload.dport) \
                if isinstance(pkt.payload, (P.Udp, P.Tcp)) else (0, 0)
            route = select_path(self.ns, route, pkt.src, pkt.dst, pkt.proto, sport, dport)
        if route.type == RTN.UNICAST and self._rpf_drop(dev, pkt.src, pkt.dst,
                                                        self.ns.by_index(route.oif)):
            return      # __mkroute_input(): fib_validate_source() of a forwarded datagram
        if route.encap is not None and route.encap.type == "seg6":
            # the input route's dst.input is lwtunnel_input() (seg6_input()), not
            # ip_forward(): the TTL is neither checked nor spent here
            from ipemu.kernel.seg6 import seg6_encap
            seg6_encap(self, pkt, route, dev)
            return
        if pkt.ttl <= 1:
            snmp.ip_inc(self, "InHdrErrors")       # ip_forward(): too_many_hops
            self.icmp_send(self._rcv_options_seen(pkt, dev), P.ICMP_TIME_EXCEEDED, 0, dev,
                           stale=pkt)
            return
        options = pkt.options
        if options:
            # ip_rcv_options(): the timestamp stamped on input, with the incoming
            # device's address (fib_compute_spec_dst())
            options = self.stamp_options(options, self.ns.select_source(dev, pkt.src))
            # ip_forward_options(): RR records the outgoing device's address
            out = self.ns.by_index(route.oif)
            src = route.prefsrc or self.ns.select_source(out, nh_gw4(route.gateway, pkt.dst))
            if src is not None:
                options = record_route(options, src)
        out = self.ns.by_index(route.oif) if route.oif is not None else None
        # ip_forward() counts the datagram before its MTU check (since Linux 6.5, Heng
        # Guo's "fix IPSTATS_MIB_OUTFORWDATAGRAMS increment after fragment check"): one
        # refused with "frag needed" is counted as forwarded too
        snmp.ip_inc(self, "ForwDatagrams")
        if pkt.df and out is not None and route.type == RTN.UNICAST and \
                len(P.Frame(b"", b"", P.ETH_P_IP, pkt)) - 14 > out.mtu:
            # ip_forward(): ip_exceeds_mtu() with DF set -> ICMP_FRAG_NEEDED, the
            # outgoing device's MTU in it
            snmp.ip_inc(self, "FragFails")
            self.icmp_send(self._rcv_options_seen(pkt, dev), P.ICMP_DEST_UNREACH,
                           P.ICMP_FRAG_NEEDED, dev, info=out.mtu, stale=pkt)
            return
        redirected = False
        if out is dev and route.type == RTN.UNICAST:
            # ip_forward(): ip_decrease_ttl() comes before ip_rt_send_redirect(), so
            # the redirect quotes the datagram with its TTL already one less
            redirected = self._send_redirect(dev, replace(pkt, ttl=pkt.ttl - 1), route)
        # a forwarded fragment stays the fragment it was
        fwd = replace(pkt, ttl=pkt.ttl - 1, options=options)
        # the input route is the one it leaves by (skb_dst() set by ip_route_input),
        # a multipath route's with the nexthop its hash chose
        given = route if policy or route.nexthops else None
        if redirected:
            # the redirect leaves before ip_forward_finish() hands the datagram on
            # (its neighbour lookup, an ARP request, comes after)
            self.clock.call_at(self._icmp_busy, self, "ip_output", fwd, None, True, 0,
                               given)
            return
        self.ip_output(fwd, forwarded=True, route=given)

    def _rcv_options_seen(self, pkt: P.Ipv4, dev: NetDevice) -> P.Ipv4:
        """The datagram as ip_rcv_options() leaves it for the forwarding path:
        ip_options_compile() with the skb writes the spec_dst (fib_compute_spec_dst():
        our address toward the sender; ip_error()'s routes drop RTCF_LOCAL) in the next
        RR slot and a timestamp, without ip_send_check(): until ip_forward_options()
        the header keeps its old checksum, which an ICMP error quotes."""
        if not pkt.options:
            return pkt
        spec_dst = self._spec_dst(pkt, dev)
        if spec_dst is None:
            return pkt
        options = self.stamp_options(record_route(pkt.options, spec_dst), spec_dst)
        return replace(pkt, options=options)

    def _spec_dst(self, pkt: P.Ipv4, dev: NetDevice):
        """fib_compute_spec_dst() of a unicast datagram: the preferred source of the
        route back to its sender (a local sender's own address), else
        inet_select_addr() on the device."""
        if self._local_v4(pkt.src):
            return pkt.src
        try:
            back, _ = self.ns.lookup(pkt.src)
        except KernelError:
            return self.ns.select_source(dev, pkt.src)
        out = self.ns.by_index(back.oif)
        if back.prefsrc is not None:
            return back.prefsrc
        return self.ns.select_source(out, nh_gw4(back.gateway, pkt.src)) if out is not None \
            else None

    def _send_redirect(self, dev: NetDevice, pkt: P.Ipv4, route) -> bool:
        """__mkroute_input() marks a datagram leaving by the device it came in on,
        from a sender on that link, for a redirect (IPSKB_DOREDIRECT, when
        send_redirects allows); ip_rt_send_redirect() sends ICMP_REDIR_HOST with the
        better gateway, spaced by redirect_load << n and at most redirect_number."""
        ns = self.ns
        if ns.conf(4, dev, "send_redirects") != "1" and \
                ns.conf(4, "all", "send_redirects") != "1":
            return False
        # __mkroute_input(): fib_validate_source() found the sender directly connected
        # on this device, and the link is shared media (IN_DEV_SHARED_MEDIA, on by
        # default) or inet_addr_onlink() puts the sender and the route's gateway (none
        # for a connected route) on one of its subnets
        try:
            back, _ = ns.lookup(pkt.src)
        except KernelError:
            return False
        if back.gateway is not None or back.oif != dev.ifindex:
            return False
        shared = "1" in (ns.conf(4, dev, "shared_media"), ns.conf(4, "all", "shared_media"))
        if not shared and not any(pkt.src in ifa.network and (
                route.gateway is None or route.gateway in ifa.network) for ifa in ns.ifa4(dev)):
            return False
        gateway = route.gateway if route.gateway is not None and \
            route.gateway.version == 4 else pkt.dst       # rt_nexthop(): AF_INET gw only
        count, last = self._redirects.get(str(pkt.src), (0, -1e9))
        if count >= 9 or self.clock.now < last + 0.02 * (1 << count):
            return False
        self._redirects[str(pkt.src)] = (count + 1, self.clock.now)
        self.icmp_send(pkt, P.ICMP_REDIRECT, 1, dev, info=int(gateway))
        return True

    def ip_local_deliver(self, dev: NetDevice, pkt: P.Ipv4) -> None:
        snmp.ip_local_deliver(self, pkt)
        if self.ns.xfrm is not None and xfrm.active(self.ns) and \
                not self.xfrm_check(xfrm.XFRM_POLICY_IN, 4, pkt, dev):
            return      # icmp_rcv(), udp/raw/tcp: xfrm4_policy_check() fails
        if pkt.proto in (4, 41, 47) and not pkt.is_fragment:
            from ipemu.kernel.ip_tunnel import tunnel_rcv
            if tunnel_rcv(self, dev, pkt):
                return              # a tunnel module's handler took it
        if pkt.proto == P.IPPROTO_UDP:
            from ipemu.kernel.vxlan import vxlan_rcv
            if not pkt.is_fragment and isinstance(pkt.payload, P.Udp) and \
                    vxlan_rcv(self, pkt):
                return              # a vxlan device's socket took it
            if not pkt.is_fragment and isinstance(pkt.payload, bytes) and \
                    len(pkt.payload) >= 8 and self.ns.vxlan_seen:
                # a datagram reassembled from fragments (ip_frag_reasm()): its socket
                # reads it as any other (a VXLAN datagram the underlay cut, recorded)
                from ipemu.kernel.encode import ipv4_upper_from_bytes
                if vxlan_rcv(self, replace(pkt, payload=ipv4_upper_from_bytes(
                        P.IPPROTO_UDP, pkt.payload))):
                    return
            # __udp4_lib_rcv(): no socket listens anywhere in the simulation; a
            # datagram to a unicast address of ours earns a port unreachable
            snmp.udp_no_socket(self, pkt)
            if not pkt.is_fragment and self._addr_type(pkt.dst) == RTN.LOCAL:
                self.icmp_send(pkt, P.ICMP_DEST_UNREACH, P.ICMP_PORT_UNREACH, dev)
            return
        if pkt.proto == IPPROTO_UDPLITE:
            # udplite_rcv() -> __udp4_lib_rcv(): no socket, a port unreachable
            # (recorded: traceroute -UL's last hop answers as -U's does)
            if not pkt.is_fragment and self._addr_type(pkt.dst) == RTN.LOCAL:
                self.icmp_send(pkt, P.ICMP_DEST_UNREACH, P.ICMP_PORT_UNREACH, dev)
            return
        if pkt.proto == P.IPPROTO_TCP:
            # tcp_v4_rcv(): only segments to a unicast address of ours (PACKET_HOST)
            if not pkt.is_fragment and isinstance(pkt.payload, P.Tcp) and \
                    self._addr_type(pkt.dst) == RTN.LOCAL:
                from ipemu.kernel.tcp import tcp_of
                for raw in list(getattr(self, "raw_tcp", ())):    # raw_v4_input()
                    if raw.on_segment is not None and raw.family == 4:
                        raw.on_segment(pkt)
                tcp_of(self).rcv(pkt)
            return
        if pkt.proto == P.IPPROTO_IGMP:
            # igmp_rcv(): a query makes this device's reports (kernel/mcast.py)
            if not pkt.is_fragment and pkt.payload.__class__ is bytes:
                self.ns.igmp_rcv(dev, pkt.payload)
            return
        if pkt.proto != P.IPPROTO_ICMP:
            if pkt.proto not in IPV4_PROTOCOLS_HANDLED and not pkt.is_fragment and \
                    self._addr_type(pkt.dst) == RTN.LOCAL:
                # ip_protocol_deliver_rcu(): no handler and no raw socket took it: a
                # protocol unreachable (recorded: traceroute -P 47 and -P 253 end
                # with !P at the target; this kernel has no GRE)
                self.icmp_send(pkt, P.ICMP_DEST_UNREACH, P.ICMP_PROT_UNREACH, dev)
            return
        icmp = pkt.payload
        if icmp.type == P.ICMP_ECHO:
            sysctls = self.ns.sysctls
            if sysctls.get("net.ipv4.icmp_echo_ignore_all", "0") == "1":
                return
            dst = int(pkt.dst)
            # icmp_rcv(): RTCF_BROADCAST|RTCF_MULTICAST routes, the limited broadcast's too
            broadcast = dst >> 28 == 0xE or dst == 0xFFFFFFFF or \
                self._addr_type(pkt.dst) == RTN.BROADCAST
            if broadcast and sysctls.get("net.ipv4.icmp_echo_ignore_broadcasts", "1") == "1":
                snmp.mib_of(self).icmp["InErrors"] += 1     # icmp_rcv(): goto error
                return
            # icmp_reply(): from the address the request was for, or for a broadcast
            # one, from the receiving device's own address
            src = pkt.dst
            if broadcast or dst == 0xFFFFFFFF:
                src = self._spec_dst_brd(dev, pkt)
            # ip_options_echo(): the RR option goes back, the replier's address in it
            options = echo_record_route(pkt.options) if pkt.options else b""
            if options:
                options = record_route(options, src)
                options = self.stamp_options(options, src, overflow=False)
            # icmp_reply(): the reply keeps the request's TOS (ip_hdr(skb)->tos)
            reply = P.Ipv4(src, pkt.src, P.IPPROTO_ICMP,
                           P.Icmp(P.ICMP_ECHOREPLY, 0, icmp.id, icmp.seq, icmp.data),
                           ttl=self.default_ttl(), tos=pkt.tos, id=self.next_ip_id(),
                           df=False, options=options)
            self.ip_output(reply)
        elif icmp.type == P.ICMP_ECHOREPLY:
            dif = None
            for sock in list(self.ping_sockets):
                if sock.family == 4 and sock.ident == icmp.id and not sock.closed:
                    if sock.device is not None:
                        # raw_v4_match(): a socket bound to a device takes what came
                        # in by it (inet_iif())
                        if dif is None:
                            dif = self._rx_iif(dev, pkt.dst)
                        if sock.device.ifindex != dif:
                            continue
                    size = 8 + len(icmp.data)
                    self.later(LOCAL_DELIVERY, sock, "deliver_reply", pkt.src, icmp.seq,
                               pkt.ttl, size, dev, pkt.options)
        elif icmp.type == P.ICMP_REDIRECT:
            self._redirect_rcv(dev, pkt, icmp)
        elif icmp.type in (P.ICMP_DEST_UNREACH, P.ICMP_TIME_EXCEEDED):
            quoted = icmp.quoted
            info = icmp.gateway
            if icmp.type == P.ICMP_DEST_UNREACH and icmp.code == P.ICMP_FRAG_NEEDED and \
                    len(quoted) >= 20:
                # icmp_unreach(): ip_no_pmtu_disc 0 takes the MTU; 2 drops the error,
                # and so does 3 but for a protocol with strict tag validation (TCP);
                # any other value keeps info 0, which ipv4_update_pmtu() takes as a
                # path MTU below min_pmtu (recorded: ping prints "mtu = 0", the
                # exception is `mtu lock 552`, tutorials41c_pmtu_sysctls)
                mode = int(self.ns.sysctls.get("net.ipv4.ip_no_pmtu_disc", "0"))
                if mode == 2 or mode == 3 and quoted[9] != P.IPPROTO_TCP:
                    return
                if mode not in (0, 3):
                    info = 0
                # icmp_unreach() -> ipv4_update_pmtu(): a route exception for the
                # quoted destination
                self.ns.update_pmtu(ipaddress.IPv4Address(quoted[16:20]), info)
            if len(quoted) >= 28 and quoted[9] in (P.IPPROTO_UDP, IPPROTO_UDPLITE):
                self._udp_error(pkt, icmp)
                return
            if len(quoted) >= 20 and getattr(self, "raw_probes", None):
                # raw_icmp_error(): the raw sockets of the quoted protocol whose
                # destination it was
                for raw in list(self.raw_probes):
                    if raw.dst.version == 4 and raw.protocol == quoted[9] and \
                            quoted[16:20] == raw.dst.packed:
                        self.later(LOCAL_DELIVERY, raw, "deliver_error", pkt.src,
                                   (icmp.type, icmp.code), pkt.ttl)
            if len(quoted) >= 28 and quoted[9] == P.IPPROTO_TCP:
                from ipemu.kernel.tcp import tcp_of
                for raw in list(getattr(self, "raw_tcp", ())):    # raw_icmp_error()
                    if raw.family == 4:
                        raw.deliver_error(pkt.src, quoted, (icmp.type, icmp.code), pkt.ttl)
                tcp_of(self).err(quoted, icmp.type, icmp.code)     # tcp_v4_err()
                return
            # the quoted header's own length (IHL): an echo with IP options (ping -R)
            # is quoted with them (icmp_send() copies the whole header)
            ihl = (quoted[0] & 0x0F) * 4 if quoted else 20
            if len(quoted) < ihl + 8 or quoted[9] != P.IPPROTO_ICMP or \
                    quoted[ihl] != P.ICMP_ECHO:
                return
            ident = int.from_bytes(quoted[ihl + 4:ihl + 6], "big")
            seq = int.from_bytes(quoted[ihl + 6:ihl + 8], "big")
            error = (icmp.type, icmp.code)
            if icmp.type == P.ICMP_DEST_UNREACH and icmp.code == P.ICMP_FRAG_NEEDED:
                error = (icmp.type, icmp.code, info)
            for sock in list(self.ping_sockets):
                if sock.family != 4 or sock.ident != ident or sock.closed:
                    continue
                if sock.device is not None and sock.device is not dev:
                    # a socket bound to another device reads the error only as a raw
                    # packet: ping acknowledges the sequence without reporting it
                    self.later(LOCAL_DELIVERY, sock, "deliver_error", pkt.src, seq, None)
                else:
                    self.later(LOCAL_DELIVERY, sock, "deliver_error", pkt.src, seq, error,
                               True, None, pkt.ttl)

    def _spec_dst_brd(self, dev: NetDevice, pkt: P.Ipv4):
        """fib_compute_spec_dst() of a broadcast or multicast datagram: the preferred
        source of the route back to its sender (iif lo), else an address of the
        receiving device (recorded: a broadcast ping arriving on eth0 from a source
        routed out of eth1 is answered from eth1's address)."""
        ns = self.ns
        if int(pkt.src):
            try:
                back, _ = ns.lookup(pkt.src, tos=pkt.tos)
            except KernelError:
                back = None
            if back is not None:
                if back.prefsrc is not None:
                    return back.prefsrc
                out = ns.by_index(back.oif) if back.oif is not None else None
                if out is not None:
                    found = ns.select_source(out, nh_gw4(back.gateway, pkt.src))
                    if found is not None:
                        return found
        return ns.select_source(dev, pkt.src) or pkt.dst

    def _rx_iif(self, dev: NetDevice, dst) -> int:
        """inet_iif() of a datagram of ours: the device it came in by, or for one that
        looped through lo the rt_iif of the output route it left by, which for our
        own address is the device of its local route (ip_route_output_key_hash_rcu():
        orig_oif = FIB_RES_OIF(*res) for RTN_LOCAL, "even though packet rx/tx happens
        over loopback"; recorded: ping -I lo to an address of v0 loses its reply,
        ping -I v0 to it gets it)."""
        if dev.kind != "loopback":
            return dev.ifindex
        try:
            route, _ = self.ns.lookup(dst)
        except KernelError:
            return dev.ifindex
        if route.type == RTN.LOCAL and route.oif is not None:
            return route.oif
        return dev.ifindex

    def neigh_valid(self, dev: NetDevice, addr) -> bool:
        return self.arp.event_send(dev.ifindex, addr)

    def _redirect_rcv(self, dev: NetDevice, pkt: P.Ipv4, icmp: P.Icmp) -> None:
        """icmp_redirect() -> ip_rt_redirect(): the route exception, then every raw
        ICMP socket sees the message (ping prints one quoting its echo)."""
        quoted = icmp.quoted
        if len(quoted) < 28 or icmp.code > 3:
            return
        dst = ipaddress.IPv4Address(quoted[16:20])
        new_gw = ipaddress.IPv4Address(icmp.gateway)
        self.ns.do_redirect(dev, dst, pkt.src, new_gw)
        if quoted[9] != P.IPPROTO_ICMP or quoted[20] != P.ICMP_ECHO:
            return
        ident = int.from_bytes(quoted[24:26], "big")
        seq = int.from_bytes(quoted[26:28], "big")
        for sock in list(self.ping_sockets):
            if sock.family == 4 and sock.ident == ident and not sock.closed:
                self.later(LOCAL_DELIVERY, sock, "deliver_error", pkt.src, seq,
                           (icmp.type, icmp.code, icmp.gateway), False)

    def _udp_error(self, pkt: P.Ipv4, icmp: P.Icmp) -> None:
        """__udp4_lib_err(): an error quoting a datagram of a socket that asked for
        errors (IP_RECVERR, as traceroute does) goes to its error queue."""
        quoted = icmp.quoted
        ihl = (quoted[0] & 0x0F) * 4      # the quoted header with its options
        self._udp_error_queue(pkt.src, int.from_bytes(quoted[ihl:ihl + 2], "big"),
                              int.from_bytes(quoted[ihl + 2:ihl + 4], "big"),
                              (icmp.type, icmp.code), pkt.ttl, icmp.gateway)

    def _udp_error_queue(self, src, sport: int, dport: int, kind: tuple, ttl: int,
                         info) -> None:
        """ip_icmp_error() / ipv6_icmp_error(): the error goes to the error queue of
        the socket that sent the quoted datagram, if it reads errors: a probe's own
        source port (traceroute -U's sockets) or the socket's port, told the
        destination port it was sent to."""
        for sock in getattr(self, "udp_sockets", ()):
            if sock.on_error is None:
                continue
            if sport in sock.probe_sports:
                self.later(LOCAL_DELIVERY, sock, "deliver_error", src, sport, kind, ttl, info)
            elif sock.sport == sport:
                self.later(LOCAL_DELIVERY, sock, "deliver_error", src, dport, kind, ttl, info)

    def open_udp_probe(self, dst, on_error, device: NetDevice | None = None,
                       mark: int = 0) -> UdpSocket:
        """A UDP socket whose errors are read (traceroute's probes): KernelError when
        there is no route. `device`: a link-local destination's interface (its scope
        id, or the socket's SO_BINDTODEVICE); `mark`: its SO_MARK (--fwmark), which
        the rules see at connect() and for each datagram."""
        sock = self.udp_connect(dst, 33434, device, mark)
        sock.on_error = on_error
        if not hasattr(self, "udp_sockets"):
            self.udp_sockets = []
        self.udp_sockets.append(sock)
        return sock

    def open_raw_probe(self, dst, protocol: int, on_error,
                       device: NetDevice | None = None) -> RawProbeSocket:
        """traceroute's raw method's socket (connected to dst: KernelError when there
        is no route)."""
        self.ns.lookup(dst, oif=device) if device is not None and dst.version == 4 \
            else self.ns.lookup(dst)
        sock = RawProbeSocket(self, dst, protocol, on_error, device)
        if not hasattr(self, "raw_probes"):
            self.raw_probes = []
        self.raw_probes.append(sock)
        return sock

    def open_raw_tcp(self, on_segment, on_error, family: int = 4) -> RawTcpSocket:
        """traceroute -T's raw TCP socket, of one family."""
        sock = RawTcpSocket(self, on_segment, on_error)
        sock.family = family
        if not hasattr(self, "raw_tcp"):
            self.raw_tcp = []
        self.raw_tcp.append(sock)
        return sock

    def close_udp_probe(self, sock: UdpSocket) -> None:
        sock.on_error = None
        if sock in getattr(self, "udp_sockets", ()):
            self.udp_sockets.remove(sock)

    def stamp_options(self, options: bytes, addr, overflow: bool = True) -> bytes:
        """The IP timestamp option's next stamp (ip_options_compile()): now in
        milliseconds since midnight UTC (inet_current_timestamp()); a prespecified
        address counts when it is no unicast route here (inet_addr_type())."""
        if addr is None:
            return options
        ms = int(self.clock.wall % 86400 * 1000)
        local = self.ns.local_addresses()
        return stamp_timestamp(options, addr, ms,
                               lambda a: a in local or not int(a), overflow)

    def _peer_allow(self, peer, burst: float, cost: float = 1.0,
                    xrlim: bool = False) -> bool:
        """A token bucket per peer, refilled one token a second up to `burst`;
        ip_error() and icmp_send() share it (a new peer's rate_last is 60 s back: it
        starts full). ip_error() caps the tokens always; inet_peer_xrlim_allow()
        (`xrlim`) only when jiffies moved since rate_last (`if (delta)`): right after
        ip_error() it takes its cost from what is there, uncapped, and with
        icmp_ratelimit 0 leaves the bucket as it was (recorded: with icmp_ratelimit 0
        ip_error()'s own burst of 5 still holds, 4 unreachables for a traceroute's 4
        probes, then one a second; fuzz45_ratelimit_zero_ip_error)."""
        now = self.clock.now
        tokens, last = self._peer_tokens.get(peer, (0.0, now - 60.0))
        if now != last or not xrlim:
            tokens = min(tokens + now - last, burst)
        allowed = tokens >= cost
        if allowed:
            tokens -= cost
        self._peer_tokens[peer] = (tokens, now)
        return allowed

    def _icmp_rate_allow(self, peer, type_: int, code: int) -> bool:
        """icmpv4_mask_allow() and icmpv4_xrlim_allow(): errors of the types in
        net.ipv4.icmp_ratemask (unreachable, source quench, time exceeded, parameter
        problem) to another host are limited per destination, one a
        net.ipv4.icmp_ratelimit ms with a burst of six (0: no limit); a fragmentation
        needed error never is ("Don't limit PMTU discovery")."""
        if type_ == P.ICMP_DEST_UNREACH and code == P.ICMP_FRAG_NEEDED:
            return True
        sysctls = self.ns.sysctls
        mask = int(sysctls.get("net.ipv4.icmp_ratemask", "6168"))
        if type_ > 18 or not (1 << type_) & mask:
            return True
        timeout = max(int(sysctls.get("net.ipv4.icmp_ratelimit", "1000")), 0) / 1000
        # (a timeout of 0: token >= 0 always, but the bucket is capped at 6 * 0, left
        # empty to refill from now: recorded, after a run with icmp_ratelimit 0 the
        # next run at 1000 gets 3 errors of 10, not 7)
        if self._peer_allow(peer, 6 * timeout, timeout, xrlim=True):
            return True
        snmp.mib_of(self).icmp["OutRateLimitHost"] += 1   # ICMP_MIB_RATELIMITHOST
        return False

    def icmp_send(self, original: P.Ipv4, type_: int, code: int, dev: NetDevice,
                  info: int = 0, stale: P.Ipv4 | None = None) -> None:
        """icmp_send(): an error to the sender, quoting its header and 8 bytes... as
        much of the datagram as fits in 576 bytes. `stale`: the datagram as it came,
        whose checksum `original`'s header (its options changed on input) still
        carries."""
        if original.frag_offset:
            # __icmp_send(): "Only reply to fragment 0" (a probe in three fragments
            # earns one Time Exceeded, not three that spend the rate limit's
            # tokens; recorded, fuzz41_traceroute_fragments)
            return
        if isinstance(original.payload, P.Icmp) and original.payload.type not in (
                P.ICMP_ECHO, P.ICMP_ECHOREPLY):
            return  # never an error about an error
        from ipemu.kernel.encode import ipv4_bytes
        raw = ipv4_bytes(original)
        if stale is not None and stale.options != original.options:
            raw = raw[:10] + ipv4_bytes(stale)[10:12] + raw[12:]
        # __icmp_send(): __ip_options_echo() of the datagram's RR and timestamp
        # options; they take their room from the 576 bytes
        echoed = echo_record_route(original.options) if original.options else b""
        quoted = raw[:576 - 20 - len(echoed) - 8]
        back = None
        if self._local_v4(original.dst):
            src = original.dst
        elif self._local_v4(original.src):
            # __icmp_send(): a datagram of ours (its route not RTCF_LOCAL) gives saddr
            # 0, and icmp_route_lookup()'s route back to its sender, one of our
            # addresses, is a local route: __ip_route_output_key() takes its prefsrc,
            # else the address itself, whatever device the datagram failed on
            # (recorded: `ping -I 10.9.9.9` from lo's address, its neighbour on v3
            # never answering, says "From 10.9.9.9 ... Destination Host Unreachable";
            # fuzz43 seed 550127)
            try:
                back, _ = self.ns.lookup(original.src)
            except KernelError:
                return
            src = (back.prefsrc if back.type == RTN.LOCAL else None) or original.src
            back = None
        else:
            # the source of the route back to the sender (icmp_route_lookup()): a
            # flow with no source address (__icmp_send()'s saddr 0 for what was not
            # ours), so rules on the source do not see the forwarded packet's
            # destination; the error leaves by that very route
            back = None
            try:
                back, _ = self.ns.lookup(original.src)
            except KernelError:
                return
            out = self.ns.by_index(back.oif)
            src = back.prefsrc or self.ns.select_source(out, nh_gw4(back.gateway, original.src))
            if src is None:
                # __icmp_send(): no IPv4 address to answer from: RFC 7600's dummy
                src = INADDR_DUMMY
        if not self._local_v4(original.src) and not self._icmp_rate_allow(
                original.src, type_, code):
            return
        if echoed:
            # ip_options_build(): the error's own source in the slot the echo kept
            echoed = self.stamp_options(record_route(echoed, src), src, overflow=False)
        err = P.Ipv4(src, original.src, P.IPPROTO_ICMP,
                     P.Icmp(type_, code, quoted=quoted, gateway=info),
                     ttl=self.default_ttl(), id=self.next_ip_id(), df=False, tos=0xC0,
                     options=echoed)
        # errors for a queue of packets leave one after the other, a few us apart
        self._icmp_busy = max(self._icmp_busy, self.clock.now) + ICMP_SEND_COST
        if back is not None and self.ns.fib_has_custom_rules:
            self.clock.call_at(self._icmp_busy, self, "ip_output", err, None, False, 0, back)
        else:
            self.clock.call_at(self._icmp_busy, self, "ip_output", err)

    # ------------------------------------------------------------------ IPv6
    def dst_hoplimit(self, route, dev: NetDevice | None) -> int:
        """ip6_dst_hoplimit(): the route's hoplimit metric, else the hop_limit of the
        device the packet leaves by (idev->cnf.hop_limit), else all's."""
        for name, value, _ in (route.metrics if route is not None else ()):
            if name == "hoplimit" and value:
                return value
        if dev is None:
            return int(self.ns.sysctls.get("net.ipv6.conf.all.hop_limit", "64"))
        return int(self.ns.conf(6, dev, "hop_limit"))

    def ip6_output(self, pkt: P.Ipv6, oif: NetDevice | None = None,
                   forwarded: bool = False, mark: int = 0, route=None) -> None:
        ns = self.ns
        # a tentative (or dadfailed) address has no local route yet (it comes with
        # __ipv6_ifa_notify(RTM_NEWADDR) once DAD is over): not local; an optimistic
        # one has it from addrconf_dad_begin() on
        owners = [d for d, i in self.ifa6_owners(pkt.dst) if not i.tentative or i.optimistic]
        # a link-local address is local only on its own link: with an output device,
        # another device's address is reached over the wire
        local = owners and (oif is None or not pkt.dst.is_link_local or oif in owners)
        if local:
            lo = ns.by_index(LOOPBACK_IFINDEX)
            mac = bytes(6)
            if pkt.hop_limit == HOP_LIMIT_DEFAULT:
                pkt = replace(pkt, hop_limit=self.dst_hoplimit(None, lo))
            if lo is not None:
                # counted, then dropped if lo is down; ip6_dst_idev(): the local
                # route's inet6_dev, the device that has the address
                snmp.ip6_output(self, pkt, forwarded, owners[0].ifindex)
                mac = self._lo_neigh(self.nd, lo, pkt.dst)
            if lo is not None and lo.admin_up:
                self.dev_xmit(lo, P.Frame(mac, bytes(6), P.ETH_P_IPV6, pkt))
            elif lo is not None:
                lo.stats.tx_dropped += 1        # noop_enqueue(), as for IPv4 above
            return
        if route is None:
            try:
                # ip6_dst_lookup_flow(): a datagram of ours is routed with its source
                # (the socket's, bound or chosen) and mark, which the rules see
                src = None if forwarded or pkt.src is None or pkt.src.is_unspecified \
                    else pkt.src
                if forwarded:
                    route, _ = ns.lookup(pkt.dst, src, oif=oif, mark=mark)
                else:
                    # and its protocol, ports or ICMPv6 type and code (the rules
                    # read them: rawv6_probe_proto_opt())
                    proto, sport, dport = flow_of6(pkt)
                    route, _ = ns.lookup(pkt.dst, src, oif=oif, mark=mark, ip_proto=proto,
                                         sport=sport, dport=dport)
            except KernelError as err:
                if not forwarded:
                    # ip6_dst_lookup_tail(): ENETUNREACH (no route, an unreachable
                    # rule's null entry) counts OutNoRoutes (recorded: two echoes of
                    # `ping -6 -I ADDR` under `from ADDR unreachable`;
                    # fuzz43_ping6_rule_flow)
                    snmp.no_route(self, pkt.dst, err.errno)
                return
        if pkt.hop_limit == HOP_LIMIT_DEFAULT:
            pkt = replace(pkt, hop_limit=self.dst_hoplimit(
                route, ns.by_index(LOOPBACK_IFINDEX) if route.type == RTN.LOCAL else
                ns.by_index(route.oif) if route.oif is not None else oif))
        if route.type == RTN.LOCAL and not pkt.dst.is_multicast:
            # ip6_route_output(): a local route for a prefix (AnyIP) delivers through lo
            # as an address of this host would
            lo = ns.by_index(LOOPBACK_IFINDEX)
            if lo is not None:
                snmp.ip6_output(self, pkt, forwarded, route.oif or lo.ifindex)
                mac = self._lo_neigh(self.nd, lo, pkt.dst)
                if lo.admin_up:
                    self.dev_xmit(lo, P.Frame(mac, bytes(6), P.ETH_P_IPV6, pkt))
            return
        dev = ns.by_index(route.oif) if route.oif is not None else oif
        if dev is None:
            return
        if route.encap is not None and route.encap.type == "seg6" and not forwarded:
            from ipemu.kernel.seg6 import seg6_encap
            seg6_encap(self, pkt, route)        # lwtunnel_output() -> seg6_output()
            return
        if not forwarded and ns.xfrm is not None and xfrm.active(ns):
            sport, dport = _flow_ports(pkt.payload)
            src = pkt.src if pkt.src is not None else IPV6_ANY
            if self._xfrm_out(6, src, pkt.dst, pkt.next_header, sport, dport, dev) != "pass":
                return          # ip6_dst_lookup_flow() -> xfrm_lookup(): no way out
        snmp.ip6_output(self, pkt, forwarded, dev.ifindex)
        if pkt.dst.is_multicast:
            mac = b"\x33\x33" + pkt.dst.packed[12:]
            frame = P.Frame(mac, dev.address, P.ETH_P_IPV6, pkt)
            # ip6_finish_output2(): a ping socket's multicast (mc_loop 1, unlike the
            # ndisc and mld sockets) comes back to a member host by dev_loopback_xmit(),
            # whose netif_rx() runs the softirq at once: the copy, and the reply it
            # makes, come before the original leaves (recorded: lo's reply 6 us ahead)
            if isinstance(pkt.payload, P.Icmp6) and \
                    pkt.payload.type == P.ICMPV6_ECHO_REQUEST and self._mc_member(dev, pkt.dst):
                self.ipv6_rcv(dev, pkt)
                self.later(LOCAL_DELIVERY + HOP_DELAY["loopback"] + 1e-6, self, "dev_xmit",
                           dev, frame)
                return
            self.dev_xmit(dev, frame)
            return
        nexthop = route.gateway or pkt.dst
        if self.ns.nh_exceptions and route.type == RTN.UNICAST:
            # rt6_find_cached_rt(): a redirect's exception gives the first hop
            found = self.ns.nh_exception(pkt.dst)
            if found is not None and found["gw"]:
                nexthop = ipaddress.IPv6Address(found["gw"])
            elif found is not None and found.get("onlink"):
                nexthop = pkt.dst
        pieces = self._fragment6(pkt, dev)
        peer = dev.peer if dev.kind == "veth" and len(pieces) > 1 else None
        for i, piece in enumerate(pieces):
            refused = peer.stats.rx_dropped if peer is not None else 0
            self.nd.resolve(dev.ifindex, nexthop, piece)
            if peer is not None and peer.stats.rx_dropped != refused:
                # ip6_fragment(): output() failing (veth_xmit()'s NET_XMIT_DROP) ends
                # the loop, the pieces not sent are freed: FRAGFAILS for FRAGOKS,
                # FRAGCREATES only for those sent; ip6_send_skb() counts OUTDISCARDS
                snmp.ip6_inc(self, "FragOKs", -1)
                snmp.ip6_inc(self, "FragFails")
                snmp.ip6_inc(self, "FragCreates", -(len(pieces) - i))
                if not forwarded and pkt.next_header != P.IPPROTO_TCP:
                    snmp.ip6_inc(self, "OutDiscards")
                return

    def _fragment6(self, pkt: P.Ipv6, dev: NetDevice) -> list[P.Ipv6]:
        """ip6_finish_output() -> ip6_fragment(): a packet larger than the path MTU
        (the device's mtu6, or what a packet too big taught) leaves in fragments of
        (mtu - 48) & ~7 bytes behind a fragment header; what may not be fragmented
        (ping -M do, tracepath) was refused before (EMSGSIZE), a forwarded packet
        answered with a packet too big."""
        if pkt.frag_id is not None:
            return [pkt]
        mtu = int(self.ns.conf(6, dev, "mtu"))
        pmtu = self.ns.pmtu_of(pkt.dst) if self.ns.nh_exceptions else None
        if pmtu is not None:
            mtu = min(mtu, pmtu)
        if len(P.Frame(b"", b"", P.ETH_P_IPV6, pkt)) - 14 <= mtu:
            return [pkt]
        from ipemu.kernel.encode import ipv6_bytes
        data = ipv6_bytes(pkt)[40:]
        step = (mtu - 48) & ~7
        ident = self.rng.getrandbits(32)      # ipv6_select_ident(): a hash
        snmp.ip6_inc(self, "FragOKs")         # ip6_fragment(): one FRAGOKS, a FRAGCREATES each
        snmp.ip6_inc(self, "FragCreates", -(-len(data) // step))
        return [replace(pkt, payload=data[start:start + step], frag_id=ident,
                        frag_offset=start, more_fragments=start + step < len(data))
                for start in range(0, len(data), step)]

    def _defrag6(self, pkt: P.Ipv6) -> P.Ipv6 | None:
        """ipv6_frag_rcv(): keep fragments until the packet is whole."""
        snmp.ip6_inc(self, "ReasmReqds")      # ipv6_frag_rcv()
        data = self._reassemble((pkt.src, pkt.dst, pkt.frag_id), pkt)
        if data is None:
            return None
        snmp.ip6_inc(self, "ReasmOKs")        # ip6_frag_reasm()
        from ipemu.kernel.encode import ipv6_upper_from_bytes
        return replace(pkt, payload=ipv6_upper_from_bytes(pkt.next_header, data, pkt.src,
                                                          pkt.dst),
                       frag_id=None, frag_offset=0, more_fragments=False)

    def _mc_member(self, dev: NetDevice, group) -> bool:
        """ipv6_chk_mcast_addr(): the groups every IPv6 device joins (all nodes, and all
        routers when forwarding), on a device with IPv6 up."""
        if not group.is_multicast or self.ns.ipv6_disabled(dev) or \
                not self.ns.ifa6(dev):
            return False
        if group._ip == _ALL_NODES6:
            return True
        return group._ip == _ALL_ROUTERS6 and self.ns.conf(6, dev, "forwarding") == "1"

    def icmp6_send(self, original: P.Ipv6, type_: int, code: int, dev: NetDevice,
                   mtu: int = 0) -> None:
        """icmp6_send(): an error to the sender, quoting as much of the packet as fits
        in the minimum MTU (1280); never about an ICMPv6 error."""
        inner = original.payload
        if isinstance(inner, P.Icmp6) and inner.type < 128:
            return
        from ipemu.kernel.encode import ipv6_bytes
        quoted = ipv6_bytes(original)[:1280 - 40 - 8]
        local = {i.address for d in self.ns.device_list() for i in self.ns.ifa6(d)}
        if original.dst in local and any(
                i.address == original.dst and (not i.tentative or i.optimistic)
                for d in self.ns.device_list() for i in self.ns.ifa6(d)):
            # an error about a packet for us comes from its address: ipv6_chk_addr()
            # bans a tentative one (a dadfailed address stays tentative: recorded, ping6
            # to an address that failed DAD here and is the neighbour's says `From
            # fe80::...%eth0 ... Address unreachable`)
            src = original.dst
        elif original.src in local:
            src = self.ns.select_source(dev, original.dst) or original.src
        else:
            try:
                back, _ = self.ns.lookup(original.src)
            except KernelError:
                return
            # icmp6_send(): unless the route back has a prefsrc, the source is chosen
            # on the device the packet came in by (ipv6_dev_get_saddr(in_netdev)),
            # as traceroute6 through an asymmetric path shows
            src = back.prefsrc if back.prefsrc is not None else \
                self.ns.select_source(dev, original.src) if dev.kind != "loopback" else None
            if src is not None and src.is_link_local != original.src.is_link_local:
                src = None      # rule 2, the scope, goes before rule 5, the device
            if src is None:
                src = self.ns.select_source(self.ns.by_index(back.oif), original.src)
            if src is None:
                return
        if not self._icmp6_allow(original.src, type_):
            return
        err = P.Ipv6(src, original.src, P.IPPROTO_ICMPV6,
                     P.Icmp6(type_, code, quoted=quoted, mtu=mtu), hop_limit=HOP_LIMIT_DEFAULT,
                     flow_label=self.flow_label(src, original.src))
        # to a link-local sender, back by the device the packet came in on
        out = dev if original.src.is_link_local and dev.kind != "loopback" else None
        self._icmp_busy = max(self._icmp_busy, self.clock.now) + ICMP_SEND_COST
        self.clock.call_at(self._icmp_busy, self, "ip6_output", err, out)

    def _icmp6_allow(self, dst, type_: int) -> bool:
        """icmpv6_xrlim_allow(): errors but too-big are limited per destination, one
        per net.ipv6.icmp.ratelimit (100 ms recorded), shorter for a wider route back ("more
        bandwidth to wider prefixes": >> (128 - plen) >> 5, in jiffies at HZ 250), with
        inet_peer_xrlim_allow()'s burst of 6; none through a loopback."""
        if type_ >= 128 or type_ == 2:          # informational, or packet too big
            return True
        try:
            back, _ = self.ns.lookup(dst)
        except KernelError:
            return True
        out = self.ns.by_index(back.oif)
        if out is None or out.kind == "loopback":
            return True
        key = "net.ipv6.icmp.ratelimit"
        value = self.ns.sysctls.get(key)
        if value is None:
            from ipemu.kernel.sysctl import net_table
            value = net_table()["namespace"].get(key, "100")     # as recorded: 100 ms
        ms = int(value or 0)
        jiffies = ms * 250 // 1000
        # the recorded limits fit a /128 for a route through a gateway (the
        # destination's own clone, RTF_CACHE) and the prefix of a connected one
        plen = 128 if back.gateway is not None else back.dst.prefixlen
        if plen < 128:
            jiffies >>= (128 - plen) >> 5
        if jiffies <= 0:
            return True
        timeout = jiffies / 250
        return self._peer_allow(dst, burst=6 * timeout, cost=timeout)

    def ip6_reject(self, pkt: P.Ipv6, dev: NetDevice, errno: int,
                   l2_multicast: bool = False) -> None:
        """The input handler of the reject route ip6_route_input() found
        (ip6_rt_init_dst_reject()): a blackhole is dst_discard() (silent, uncounted),
        a prohibit route or rule ip6_pkt_prohibit() (ICMPV6_ADM_PROHIBITED), any other
        (unreachable, throw, no route) ip6_pkt_discard() (ICMPV6_NOROUTE); both count
        IPSTATS_MIB_INNOROUTES (ip6_pkt_drop()). icmp6_send() says nothing about a
        packet that came to a multicast or broadcast MAC (`l2_multicast`: not
        PACKET_HOST)."""
        if errno == Errno.EINVAL:
            return
        snmp.ip6_inc(self, "InNoRoutes", idev=dev.ifindex)    # the arriving device's
        if l2_multicast:
            return
        code = P.ICMPV6_ADM_PROHIBITED if errno == Errno.EACCES else P.ICMPV6_NOROUTE
        self.icmp6_send(pkt, P.ICMPV6_DEST_UNREACH, code, dev)

    def ip6_forward(self, pkt: P.Ipv6, dev: NetDevice, route=None) -> None:
        """ip6_forward(): one hop less, then out by the route; the sender hears of a
        missing route (ip6_route_input() found none before: ip6_pkt_discard(), whatever
        the hop limit), of a hop limit run out, or of a packet too big. `route`: the
        input route a caller already chose (seg6_lookup_nexthop() of End.X)."""
        if self.ns.xfrm is not None and xfrm.active(self.ns) and \
                not self.xfrm_check(xfrm.XFRM_POLICY_FWD, 6, pkt, dev):
            return      # xfrm6_policy_check(XFRM_POLICY_FWD) fails
        if route is None:
            try:
                # ip6_route_input(): the flow has the packet's source and incoming
                # device, which rules (`from`, `iif`) select on
                route, _ = self.ns.lookup(pkt.dst, pkt.src, iif=dev)
            except KernelError as err:
                self.ip6_reject(pkt, dev, err.errno)
                return
        if route.encap is not None and route.encap.type in ("seg6", "seg6local"):
            # lwtunnel_input() instead of ip6_forward(): seg6_input() or the SID's
            # behaviour (seg6_local_input())
            from ipemu.kernel.seg6 import seg6_encap, seg6_local_input
            if route.encap.type == "seg6":
                seg6_encap(self, pkt, route, dev)
            else:
                seg6_local_input(self, dev, pkt, route)
            return
        if pkt.hop_limit <= 1:
            snmp.ip6_inc(self, "InHdrErrors", idev=dev.ifindex)
            self.icmp6_send(pkt, P.ICMPV6_TIME_EXCEED, 0, dev)
            return
        if route.oif == dev.ifindex and route.type == RTN.UNICAST:
            # ip6_forward(): out by the device it came in on: a redirect to the sender
            # (the route's gateway, or the destination itself on the link), limited
            # per destination (inet_peer_xrlim_allow(peer, 1*HZ): a burst of 6)
            if self._peer_allow(("rd6", pkt.dst), burst=6.0):
                self._ndisc_send_redirect(dev, pkt, route.gateway or pkt.dst)
        elif route.oif != dev.ifindex and (pkt.src.is_unspecified or pkt.src.is_multicast or
                                           pkt.src.is_loopback or pkt.src.is_link_local):
            # ip6_forward(): "This check is security critical": a packet that leaves
            # by another device may not carry a link-local source beyond its link
            # (ICMPV6_NOT_NEIGHBOUR, "beyond scope of source address"); an unspecified,
            # multicast or loopback source is dropped without a word
            snmp.ip6_inc(self, "InAddrErrors", idev=dev.ifindex)
            if pkt.src.is_link_local:
                self.icmp6_send(pkt, P.ICMPV6_DEST_UNREACH, 2, dev)
            return
        # ip6_forward(): ip6_pkt_too_big() against ip6_dst_mtu_maybe_forward() (no less
        # than IPV6_MIN_MTU) -> ICMPV6_PKT_TOOBIG with that MTU, the packet dropped
        out = self.ns.by_index(route.oif) if route.oif is not None else None
        # ip6_forward() counts the packet before its MTU check (Linux 6.5+, as
        # ip_forward()): a Packet Too Big one counts as forwarded too (recorded: case
        # tutorials36d_ipv6_mtu_forward, Ip6OutForwDatagrams on the router)
        snmp.ip6_inc(self, "OutForwDatagrams", idev=route.oif or 0)
        if out is not None and route.type == RTN.UNICAST:
            mtu = int(self.ns.conf(6, out, "mtu"))      # the route's: the device's mtu6
            pmtu = self.ns.pmtu_of(pkt.dst) if self.ns.nh_exceptions else None
            mtu = max(min(mtu, pmtu) if pmtu is not None else mtu, 1280)
            if len(P.Frame(b"", b"", P.ETH_P_IPV6, pkt)) - 14 > mtu:
                self.icmp6_send(pkt, P.ICMPV6_PKT_TOOBIG, 0, dev, mtu=mtu)
                snmp.ip6_inc(self, "InTooBigErrors", idev=out.ifindex)
                snmp.ip6_inc(self, "FragFails", idev=out.ifindex)
                return
        # it leaves by its input route (skb_dst() from ip6_route_input())
        self.ip6_output(replace(pkt, hop_limit=pkt.hop_limit - 1, iif=dev.ifindex),
                        forwarded=True, route=route)

    def _ndisc_send_redirect(self, dev: NetDevice, pkt: P.Ipv6, target) -> None:
        """ndisc_send_redirect(): from our link-local address to the sender, which
        must be on the link; the target a link-local router (or the destination
        itself); at most one a second per sender (a burst of 6); with the target's
        link-layer address when its neighbour entry is valid, and as much of the
        packet as fits in the minimum MTU."""
        src = self._lladdr(dev)
        if src is None:
            return          # "Redirect: no link-local address"
        if target != pkt.dst and not target.is_link_local:
            return          # "Redirect: target address is not link-local unicast"
        try:
            back, _ = self.ns.lookup(pkt.src)
        except KernelError:
            return
        if back.gateway is not None:
            return          # "Redirect: destination is not a neighbour"
        if not self._peer_allow(("rd6", pkt.src), burst=6.0):
            return
        n = self.nd.lookup(dev.ifindex, target)
        lladdr = n.lladdr if n is not None and n.state & NUD_VALID else None
        from ipemu.kernel.encode import ipv6_bytes
        data = ipv6_bytes(pkt)
        rd_len = min(1280 - 40 - 40 - (8 if lladdr else 0), len(data) + 8) & ~7
        msg = P.Icmp6(P.NDISC_REDIRECT, target=target, dest=pkt.dst, lladdr=lladdr,
                      quoted=data[:rd_len - 8])
        self.ip6_output(P.Ipv6(src, pkt.src, P.IPPROTO_ICMPV6, msg, hop_limit=255), dev)

    def _nd_solicit(self, dev: NetDevice, n, unicast: bool) -> None:
        packed = n.addr.packed
        group = ipaddress.IPv6Address(b"\xff\x02" + bytes(9) + b"\x01\xff" + packed[13:])
        dst = n.addr if unicast else group
        # ndisc_solicit(): the source of the latest packet waiting for the answer
        # (skb_peek_tail()) when it is ours on this link, else ndisc_send_ns() takes
        # the link-local address (ipv6_get_lladdr()), unicast probe or multicast, and
        # sends nothing without one
        trigger = n.queue[-1] if n.queue else None
        # ipv6_chk_addr(): an optimistic address is ours already
        own = {i.address for i in self.ns.ifa6(dev) if not i.tentative or i.optimistic}
        if trigger is not None and trigger.src in own:
            src = trigger.src
        else:
            src = self._lladdr(dev)
        if src is None:
            return
        ns_msg = P.Icmp6(P.NDISC_NEIGHBOUR_SOLICITATION, target=n.addr, lladdr=dev.address)
        pkt = P.Ipv6(src, dst, P.IPPROTO_ICMPV6, ns_msg, hop_limit=255)
        if not unicast:
            # ndisc_send_skb() -> dst_output() -> ip6_finish_output2(): the
            # solicited-node group gets its own NOARP entry, as every multicast
            # destination does (recorded: case tutorials37b_oneuptime_ndp_cache, `ip -6
            # neigh show nud all` lists ff02::1:ff00:1 after resolving 2001:db8::1)
            self._send6(dev, pkt)
            return
        mac = n.lladdr if n.lladdr else b"\x33\x33" + group.packed[12:]
        snmp.ip6_send(self, pkt, dev.ifindex)       # ndisc_send_skb()
        self.dev_xmit(dev, P.Frame(mac, dev.address, P.ETH_P_IPV6, pkt))

    def _lladdr(self, dev: NetDevice):
        """__ipv6_get_lladdr(): the list walked from its end (link scope sorts last),
        the first link-local address neither tentative nor DAD-failed."""
        for ifa in reversed(self.ns.ifa6(dev)):
            if ifa.scope == Scope.LINK and not ifa.tentative and not ifa.dadfailed:
                return ifa.address
        return None

    def _mc_route6(self, dev: NetDevice, dst) -> bool:
        """A route of `dev` covers the multicast `dst` (ff00::/8 in the local table):
        FibTable.has_oif_route() of each IPv6 table (a prefix of ff00::/8 holds one
        route per device: no walk of them)."""
        addr, ifindex = dst._ip, dev.ifindex
        return any(family == 6 and table.has_oif_route(addr, ifindex)
                   for (family, _), table in self.ns.tables.items())

    def _anycast6(self, dev: NetDevice, addr) -> bool:
        """ipv6_chk_acast_addr(dev, addr): the device joined `addr` as an anycast
        address (its anycast route in table local: addrconf_join_anycast())."""
        table = self.ns.tables.get((6, TABLE_LOCAL))
        if table is None:
            return False
        return any(r.type == RTN.ANYCAST and r.oif == dev.ifindex
                   for r in table.prefix_routes(ipaddress.IPv6Network((addr, 128))))

    def _local_route6(self, dst) -> bool:
        """Whether the route lookup for `dst` ends in an RTN_LOCAL route."""
        try:
            route, _ = self.ns.lookup(dst)
        except KernelError:
            return False
        return route.type == RTN.LOCAL

    def ifa6_owners(self, addr) -> list:
        """(device, address) of each IPv6 address of the namespace that is `addr`, in
        device then address order (ipv6_chk_addr()'s search). A multicast `addr`
        (MLD, ND) is nobody's address unless a device joined one for an address
        (NetNamespace.autojoin6()): no look at every device."""
        ns = self.ns
        if addr._ip >> 120 == 0xFF and not ns.autojoin6():
            return []
        return [(d, i) for d in ns.device_list() for i in d.ifa6 if i.address == addr]

    def ipv6_rcv(self, dev: NetDevice, pkt: P.Ipv6, l2_multicast: bool = False) -> None:
        """`l2_multicast`: the frame came to a multicast or broadcast MAC
        (eth_type_trans()'s PACKET_MULTICAST/PACKET_BROADCAST), not PACKET_HOST."""
        ns = self.ns
        snmp.ip6_rcv(self, pkt, dev.ifindex)
        if ns.ipv6_disabled(dev):
            snmp.ip6_inc(self, "InDiscards", idev=dev.ifindex)
            return
        if pkt.dst.is_multicast and dev.kind != "loopback" and not self._mc_route6(dev, pkt.dst):
            # ip6_route_input() for a multicast destination (strict: the arriving
            # device's routes) finds nothing until addrconf_add_mroute() put ff00::/8
            # there: a device whose addresses came while it was down gets it when
            # linkwatch makes the link ready (addrconf_dev_config()); meanwhile
            # ip6_pkt_discard() drops an NS to a solicited-node group (recorded: the
            # first ping of a peer is lost)
            snmp.ip6_inc(self, "InNoRoutes", idev=dev.ifindex)
            return
        if pkt.dst.is_multicast:
            snmp.ip6_mc_input(self, pkt, dev.ifindex)   # the route's input: ip6_mc_input()
        mine = [i for d, i in self.ifa6_owners(pkt.dst)
                if not pkt.dst.is_link_local or d is dev or dev.kind == "loopback"]
        if not mine and not pkt.dst.is_multicast and not pkt.dst.is_link_local and \
                self._local_route6(pkt.dst):
            # ip6_route_input(): a local route for a prefix (`ip route add local P dev
            # lo`, AnyIP) delivers every address in it here (ip6_input())
            mine = [pkt.dst]
        if pkt.frag_id is not None and (mine or pkt.dst.is_multicast):
            pkt = self._defrag6(pkt)
            if pkt is None:
                return
        if not mine and not pkt.dst.is_multicast and isinstance(pkt.payload, P.Icmp6) \
                and pkt.payload.type == P.ICMPV6_ECHO_REQUEST and self._anycast6(dev, pkt.dst):
            # ip6_route_input(): the anycast route delivers here (ip6_input());
            # icmpv6_echo_reply() ignores it with icmp.echo_ignore_anycast, else
            # answers from the source ipv6_dev_get_saddr() picks (not a unicast
            # destination; net.ipv6.anycast_src_echo_reply would keep the anycast one)
            if ns.sysctls.get("net.ipv6.icmp.echo_ignore_anycast", "0") == "0" and \
                    not self._echo6_ignored(False):
                if ns.sysctls.get("net.ipv6.anycast_src_echo_reply", "0") == "1":
                    src = pkt.dst
                else:
                    src = ns.select_source(dev, pkt.src)
                if src is not None:
                    msg = pkt.payload
                    reply = P.Ipv6(src, pkt.src, P.IPPROTO_ICMPV6,
                                   P.Icmp6(P.ICMPV6_ECHO_REPLY, 0, msg.id, msg.seq, msg.data),
                                   traffic_class=pkt.traffic_class,
                                   hop_limit=HOP_LIMIT_DEFAULT, flow_label=self.flow_label(src, pkt.src))
                    self.later(LOCAL_DELIVERY, self, "ip6_output", reply, None)
            return
        if not mine and not pkt.dst.is_multicast:
            if pkt.next_header == 43 and not pkt.dst.is_link_local:
                # ip6_route_input() finds a local SID's seg6local route whatever
                # forwarding says (End.DX4 routes the inner packet as IPv4 does)
                from ipemu.kernel.seg6 import seg6_local_input, seg6local_route
                route = seg6local_route(self, pkt)
                if route is not None:
                    seg6_local_input(self, dev, pkt, route)
                    return
            if self._ip6_forwarding(dev) and not pkt.dst.is_link_local:
                if not l2_multicast:
                    self.ip6_forward(pkt, dev)  # (ip6_forward() drops what is not
                                                # PACKET_HOST, uncounted)
            elif not pkt.dst.is_link_local and not pkt.dst.is_unspecified:
                # ip6_route_input(): with no route at all, the null entry's
                # ip6_pkt_discard() answers No route, forwarding or not; icmp6_send()
                # says nothing about a packet that came to a multicast MAC (a unicast
                # probe sent through a neighbour entry with such an address)
                # (the flow's iif is the arriving device: `ip -6 rule add iif DEV`
                # rules see it, recorded in tutorials39_peering_icmp6_noroute)
                try:
                    ns.lookup(pkt.dst, pkt.src, iif=dev)
                except KernelError as err:
                    self.ip6_reject(pkt, dev, err.errno, l2_multicast)
            return
        if mine and pkt.next_header == 43:
            from ipemu.kernel.seg6 import srh_rcv
            srh_rcv(self, dev, pkt)     # ipv6_rthdr_rcv() -> ipv6_srh_rcv()
            return
        owner = next((d for d, i in self.ifa6_owners(pkt.dst)
                      if not pkt.dst.is_link_local or d is dev), None) if mine else None
        snmp.ip6_deliver(self, dev, pkt, bool(mine), owner.ifindex if owner else 0)
        if ns.xfrm is not None and xfrm.active(ns) and \
                not self.xfrm_check(xfrm.XFRM_POLICY_IN, 6, pkt, dev):
            return      # icmpv6_rcv(), udpv6/tcp_v6: xfrm6_policy_check() fails
        if pkt.next_header == P.IPPROTO_TCP and mine:
            from ipemu.kernel.tcp import tcp_of
            if pkt.frag_id is None and isinstance(pkt.payload, P.Tcp):
                for raw in list(getattr(self, "raw_tcp", ())):    # ipv6_raw_deliver()
                    if raw.on_segment is not None and raw.family == 6:
                        raw.on_segment(pkt)
            tcp_of(self).rcv(pkt)          # tcp_v6_rcv()
            return
        if pkt.next_header == P.IPPROTO_UDP and not mine and pkt.dst.is_multicast and \
                pkt.frag_id is None and isinstance(pkt.payload, P.Udp) and \
                self.ns.vxlan_seen and pkt.dst in _vxlan_groups(self.ns, dev, 6):
            # __udp6_lib_mcast_deliver(): a group joined on the device reaches the
            # sockets bound to its port (a vxlan's `group ff05::100 dev eth0`,
            # recorded); nothing listening is no error for a group
            from ipemu.kernel.vxlan import vxlan_rcv
            vxlan_rcv(self, pkt, dev)
            return
        if mine and pkt.next_header not in IPV6_PROTOCOLS_HANDLED and pkt.frag_id is None:
            # ip6_protocol_deliver_rcu(): no handler, no raw socket: a parameter
            # problem, unknown next header, pointing at the header's nexthdr byte
            # (recorded: traceroute -6 -P 253 ends `!<4-1>` at the target)
            self.icmp6_send(pkt, P.ICMPV6_PARAMPROB, 1, dev, mtu=6)
            return
        if pkt.next_header == IPPROTO_UDPLITE and mine:
            # udplitev6_rcv(): no socket, a port unreachable
            self.icmp6_send(pkt, P.ICMPV6_DEST_UNREACH, P.ICMPV6_PORT_UNREACH, dev)
            return
        if pkt.next_header == P.IPPROTO_UDP and mine:
            from ipemu.kernel.vxlan import vxlan_rcv
            if pkt.frag_id is None and isinstance(pkt.payload, P.Udp) and \
                    vxlan_rcv(self, pkt, dev):
                return              # a vxlan device's IPv6 socket took it
            self.icmp6_send(pkt, P.ICMPV6_DEST_UNREACH, P.ICMPV6_PORT_UNREACH, dev)
            return
        if pkt.next_header != P.IPPROTO_ICMPV6:
            return
        msg = pkt.payload
        if msg.type == P.NDISC_NEIGHBOUR_SOLICITATION:
            ours = [i for i in ns.ifa6(dev) if i.address == msg.target]
            target = [i for i in ours if not i.tentative]
            if pkt.src.is_unspecified:
                # ndisc_recv_ns(), a DAD probe: defend an address we hold with an NA
                # to all nodes; a probe for one we are still checking fails ours,
                # unless it carries that address's own nonce: ours, looped back ("IPv6
                # DAD loopback for address %pI6c nonce %pM ignored"; recorded: a
                # bridge whose two ports a veth joins keeps its link-local address)
                if ours and msg.nonce and ours[0].tentative and \
                        msg.nonce == ours[0].dad_nonce:
                    return
                if target:
                    router = 0x80000000 if ns.conf(6, dev, "forwarding") == "1" else 0
                    na = P.Icmp6(P.NDISC_NEIGHBOUR_ADVERTISEMENT, target=msg.target,
                                 lladdr=dev.address, flags=0x20000000 | router)
                    self.later(LOCAL_DELIVERY, self, "_send6", dev,
                               P.Ipv6(msg.target, ipaddress.IPv6Address("ff02::1"),
                                      P.IPPROTO_ICMPV6, na, hop_limit=255))
                elif ours and not ours[0].dadfailed:
                    ns.addrconf_dad_failure(dev, ours[0])
                return
            if not target and ours and ours[0].optimistic and not ours[0].dadfailed:
                target = ours    # ndisc_recv_ns(): "If we are an optimistic node, we should respond"
            if not target:
                if not ours and self._anycast6(dev, msg.target):
                    # ndisc_recv_ns(): ipv6_chk_acast_addr(), a subnet-router anycast
                    # address of a forwarding device: answered as a proxy target is,
                    # after the same random delay, the router flag that of the device
                    # (recorded: tutorials39_daryll_subnet_router_anycast)
                    router = 0x80000000 if ns.conf(6, dev, "forwarding") == "1" else 0
                    self._ndisc_answer_other(dev, pkt, msg, 0x40000000 | router)
                elif not ours:
                    self._ndisc_proxy(dev, pkt, msg)
                return
            if msg.lladdr is not None:
                self.nd.confirm(dev.ifindex, pkt.src, msg.lladdr, reachable=False)
                # ndisc_send_na() goes out through that entry (neigh_output()): a
                # STALE one moves to DELAY
                self.nd.event_send(dev.ifindex, pkt.src)
            router = 0x80000000 if ns.conf(6, dev, "forwarding") == "1" else 0
            # ndisc_recv_ns(): only a multicast solicitation earns the target's
            # link-layer address option and the override flag (inc = multicast daddr)
            inc = pkt.dst.is_multicast
            na = P.Icmp6(P.NDISC_NEIGHBOUR_ADVERTISEMENT, target=msg.target,
                         lladdr=dev.address if inc else None,
                         flags=(0x60000000 if inc else 0x40000000) | router)
            reply = P.Ipv6(msg.target, pkt.src, P.IPPROTO_ICMPV6, na, hop_limit=255)
            snmp.ip6_send(self, reply, dev.ifindex)     # ndisc_send_skb()
            mac = msg.lladdr or P.BROADCAST_MAC
            self.later(LOCAL_DELIVERY, self, "dev_xmit", dev,
                       P.Frame(mac, dev.address, P.ETH_P_IPV6, reply))
        elif msg.type == P.NDISC_ROUTER_SOLICITATION:
            # ndisc_recv_rs(): a router (forwarding on) makes or updates a STALE
            # entry for a sender with an address and a link-layer option, clearing
            # its router flag (NEIGH_UPDATE_F_OVERRIDE_ISROUTER)
            if ns.conf(6, dev, "forwarding") == "1" and not pkt.src.is_unspecified \
                    and msg.lladdr is not None:
                known = self.nd.lookup(dev.ifindex, pkt.src)
                if known is None or not known.state & NUD_VALID or known.lladdr != msg.lladdr:
                    n = self.nd.confirm(dev.ifindex, pkt.src, msg.lladdr, reachable=False)
                else:
                    n = known
                n.router = False
        elif msg.type == P.NDISC_REDIRECT:
            if msg.target is not None and msg.dest is not None:
                ns.do_redirect6(dev, pkt.src, msg.dest, msg.target, msg.lladdr)
        elif msg.type == P.NDISC_NEIGHBOUR_ADVERTISEMENT:
            if not msg.flags & 0x40000000 and ns.conf(6, dev, "drop_unsolicited_na") == "1":
                return      # ndisc_recv_na(): before all else, even accept_untracked_na
            ours = [i for i in ns.ifa6(dev) if i.address == msg.target]
            if ours:
                # ndisc_recv_na(): someone else has an address we are checking
                if ours[0].tentative and not ours[0].dadfailed:
                    ns.addrconf_dad_failure(dev, ours[0])
                return
            known = self.nd.lookup(dev.ifindex, msg.target)
            lladdr = msg.lladdr
            if lladdr is None and known is not None and known.state & NUD_VALID:
                # neigh_update() without an address keeps the entry's (the NA that
                # answers a unicast probe carries none)
                lladdr = known.lladdr
            if lladdr is not None and known is not None:
                n = self.nd.confirm(dev.ifindex, msg.target, lladdr,
                                    reachable=bool(msg.flags & 0x40000000))
                n.router = bool(msg.flags & 0x80000000)   # the R flag: NTF_ROUTER
            elif msg.lladdr is not None and ns.conf(6, dev, "forwarding") == "1" and \
                    self._accept_untracked_na(dev, pkt.src):
                # ndisc_recv_na() (RFC 9131): a router makes a STALE entry for an NA
                # with a link-layer address that no entry waited for
                n = self.nd.confirm(dev.ifindex, msg.target, msg.lladdr, reachable=False)
                n.router = bool(msg.flags & 0x80000000)
        elif msg.type == P.ICMPV6_ECHO_REQUEST and self._echo6_ignored(pkt.dst.is_multicast):
            return
        elif msg.type == P.ICMPV6_ECHO_REQUEST and not mine and self._mc_member(dev, pkt.dst):
            # icmpv6_echo_reply(): to a group we are in, the source is chosen as for
            # any packet to the requester (ipv6_dev_get_saddr()), on the device it came in
            src = ns.select_source(dev, pkt.src)
            if src is None:
                return
            reply = P.Ipv6(src, pkt.src, P.IPPROTO_ICMPV6,
                           P.Icmp6(P.ICMPV6_ECHO_REPLY, 0, msg.id, msg.seq, msg.data),
                           traffic_class=pkt.traffic_class,
                           hop_limit=HOP_LIMIT_DEFAULT, flow_label=self.flow_label(src, pkt.src))
            self.later(LOCAL_DELIVERY, self, "ip6_output", reply, dev)
        elif msg.type == P.ICMPV6_ECHO_REQUEST and mine:
            # icmpv6_echo_reply(): the reply's traffic class is the request's
            # (ipv6_get_dsfield()); its hop limit ip6_sk_dst_hoplimit()'s
            reply = P.Ipv6(pkt.dst, pkt.src, P.IPPROTO_ICMPV6,
                           P.Icmp6(P.ICMPV6_ECHO_REPLY, 0, msg.id, msg.seq, msg.data),
                           traffic_class=pkt.traffic_class,
                           hop_limit=HOP_LIMIT_DEFAULT,
                           flow_label=self.flow_label(pkt.dst, pkt.src))
            # a reply to a link-local source leaves by the device the request came in on
            out = dev if pkt.src.is_link_local and dev.kind != "loopback" else None
            self.later(LOCAL_DELIVERY, self, "ip6_output", reply, out)
        elif msg.type == P.ICMPV6_ECHO_REPLY:
            if dev.kind == "loopback":
                # ip6_rcv_core(): IP6CB(skb)->iif is the dst's rt6i_idev, the device of
                # the local route's nexthop (ip6_rt_copy_init()), while dst.dev is lo
                # (ip6_rt_get_dev_rcu()): a reply from our own address arrives, as the
                # socket's scope id says, on the device holding it (recorded: `ping6
                # fe80::...` to eth0's own link-local address prints `%eth0`)
                dev = next((d for d in ns.device_list()
                            if any(i.address == pkt.dst for i in ns.ifa6(d))), dev)
            for sock in list(self.ping_sockets):
                if sock.family == 6 and sock.ident == msg.id and not sock.closed:
                    size = 8 + len(msg.data)
                    src = pkt.src
                    self.later(LOCAL_DELIVERY, sock, "deliver_reply", src, msg.seq,
                               pkt.hop_limit, size, dev)
        elif msg.type in (P.ICMPV6_DEST_UNREACH, P.ICMPV6_TIME_EXCEED,
                          P.ICMPV6_PKT_TOOBIG, P.ICMPV6_PARAMPROB) and mine:
            quoted = msg.quoted
            if msg.type == P.ICMPV6_PKT_TOOBIG and len(quoted) >= 40:
                # icmpv6_rcv() -> ip6_update_pmtu(): the quoted destination's exception
                self.ns.update_pmtu(ipaddress.IPv6Address(quoted[24:40]), msg.mtu)
            if len(quoted) >= 48 and quoted[6] == P.IPPROTO_TCP:
                from ipemu.kernel.tcp import tcp_of
                for raw in list(getattr(self, "raw_tcp", ())):    # rawv6_err()
                    if raw.family == 6:
                        raw.deliver_error(pkt.src, quoted, (msg.type, msg.code),
                                          pkt.hop_limit)
                tcp_of(self).err6(quoted, msg.type, msg.code)      # tcp_v6_err()
                return
            if len(quoted) >= 40 and getattr(self, "raw_probes", None) and \
                    quoted[6] not in IPV6_EXT_HEADERS:
                # icmpv6_notify() -> raw6_icmp_error(): the raw sockets of the quoted
                # next header whose destination it was (an extension header's
                # number, 59 "no next header" among them, is skipped over first and
                # the error lost: recorded, traceroute -6 -P 59 sees none)
                for raw in list(self.raw_probes):
                    if raw.dst.version == 6 and raw.protocol == quoted[6] and \
                            quoted[24:40] == raw.dst.packed:
                        self.later(LOCAL_DELIVERY, raw, "deliver_error", pkt.src,
                                   (msg.type, msg.code), pkt.hop_limit)
            proto, off = _skip_exthdr6(quoted)
            if proto in (P.IPPROTO_UDP, IPPROTO_UDPLITE) and len(quoted) >= off + 4:
                # __udp6_lib_err(): to the socket that sent it, if it reads errors
                # (icmpv6_notify() finds the UDP header past extension headers: the
                # first fragment of a probe larger than the MTU; fuzz41 seed 490263)
                self._udp_error_queue(pkt.src, int.from_bytes(quoted[off:off + 2], "big"),
                                      int.from_bytes(quoted[off + 2:off + 4], "big"),
                                      (msg.type, msg.code), pkt.hop_limit, msg.mtu)
                return
            if proto != P.IPPROTO_ICMPV6 or len(quoted) < off + 8 or \
                    quoted[off] != P.ICMPV6_ECHO_REQUEST:
                return
            ident = int.from_bytes(quoted[off + 4:off + 6], "big")
            seq = int.from_bytes(quoted[off + 6:off + 8], "big")
            # icmpv6_err(): the exception was made above (ip6_update_pmtu()), then
            # ping_err() with the MTU (ping6 prints it)
            error = (msg.type, msg.code, msg.mtu) if msg.type == P.ICMPV6_PKT_TOOBIG \
                else (msg.type, msg.code)
            arrival = dev
            if dev.kind == "loopback" and pkt.src.is_link_local:
                # as for an echo reply: an error from our own link-local address (our
                # neighbour discovery gave up) arrives on the device holding it
                # (recorded: `From fe80::...%eth0 icmp_seq=1 Destination unreachable:
                # Address unreachable`)
                arrival = next((d for d in ns.device_list()
                                if any(i.address == pkt.dst for i in ns.ifa6(d))), dev)
            for sock in list(self.ping_sockets):
                if sock.family == 6 and sock.ident == ident and not sock.closed:
                    self.later(LOCAL_DELIVERY, sock, "deliver_error", pkt.src, seq, error,
                               False, arrival, pkt.hop_limit)

    # ------------------------------------------------- IPv6 background traffic
    def _solicited_node(self, addr: ipaddress.IPv6Address) -> ipaddress.IPv6Address:
        return ipaddress.IPv6Address(b"\xff\x02" + bytes(9) + b"\x01\xff" + addr.packed[13:])

    def _send6(self, dev: NetDevice, pkt: P.Ipv6) -> None:
        snmp.ip6_send(self, pkt, dev.ifindex)   # ndisc_send_skb(), mld_sendpack()
        mac = b"\x33\x33" + pkt.dst.packed[12:]
        # dst_output() -> ip6_finish_output2() looks the group up in nd_tbl:
        # ndisc_constructor() makes the entry NOARP with the mapped MAC (`ip neigh
        # show nud all` lists ff02::16, ff02::2, ff02::1:ffXX:XXXX after link-up)
        n = self.nd.entry(dev.ifindex, pkt.dst)
        if not n.state & Nud.NOARP:
            n.state, n.lladdr = Nud.NOARP, mac
        self.dev_xmit(dev, P.Frame(mac, dev.address, P.ETH_P_IPV6, pkt))

    def mld_report(self, dev: NetDevice, src, group: ipaddress.IPv6Address) -> None:
        """An MLDv2 report joining `group` (CHANGE_TO_EXCLUDE, no sources)."""
        if dev.noarp:
            return      # recorded: a NOARP device sends its RS but never an MLD report
        report = P.Icmp6(P.ICMPV6_MLD2_REPORT, records=[(4, group, [])])
        self._send6(dev, P.Ipv6(src, ipaddress.IPv6Address("ff02::16"), P.IPPROTO_ICMPV6,
                                report, hop_limit=1, router_alert=True))

    def mld1_send(self, dev: NetDevice, group: ipaddress.IPv6Address, report: bool) -> None:
        """igmp6_send(): an MLDv1 report to the group itself or a done to all routers
        (ff02::2), from the first link-local address that is not tentative (:: without
        one), hop limit 1 behind a router alert."""
        if dev.noarp:
            return      # as mld_report()
        src = next((i.address for i in self.ns.ifa6(dev)
                    if i.scope == Scope.LINK and not i.tentative),
                   ipaddress.IPv6Address("::"))
        kind = P.ICMPV6_MGM_REPORT if report else P.ICMPV6_MGM_REDUCTION
        dst = group if report else ipaddress.IPv6Address("ff02::2")
        self._send6(dev, P.Ipv6(src, dst, P.IPPROTO_ICMPV6, P.Icmp6(kind, target=group),
                                hop_limit=1, router_alert=True))

    def mld_report_records(self, dev: NetDevice, src, records: list) -> None:
        """An MLDv2 report with the given (type, group, sources) records
        (mld_send_cr())."""
        if dev.noarp:
            return      # as mld_report()
        report = P.Icmp6(P.ICMPV6_MLD2_REPORT, records=list(records))
        self._send6(dev, P.Ipv6(src, ipaddress.IPv6Address("ff02::16"), P.IPPROTO_ICMPV6,
                                report, hop_limit=1, router_alert=True))

    def igmp_send_report(self, dev: NetDevice, kind: int, group) -> None:
        """igmp_send_report() of a v1/v2 report (to the group) or a v2 leave (to
        224.0.0.2): 8 bytes, from the route's source, TTL 1, tos 0xc0, DF, id 0
        (ip_select_ident() of a DF datagram without a socket), router alert."""
        from ipemu.kernel.mcast import IGMP_HOST_LEAVE_MESSAGE, mc_map
        from ipemu.kernel.wire.ipv4 import internet_checksum
        if not dev.admin_up:
            return
        dst = ipaddress.IPv4Address("224.0.0.2") if kind == IGMP_HOST_LEAVE_MESSAGE \
            else group
        body = bytes([kind, 0, 0, 0]) + group.packed
        body = body[:2] + internet_checksum(body).to_bytes(2, "big") + body[4:]
        # ip_route_output_ports() to a group: inet_select_addr(dev, 0, RT_SCOPE_LINK)
        from ipemu.kernel.mcast import IGMPV3_ALL_MCR
        src = self.ns.select_source(dev, IGMPV3_ALL_MCR) or ipaddress.IPv4Address(0)
        pkt = P.Ipv4(src, dst, P.IPPROTO_IGMP, body, ttl=1, tos=0xC0, id=0, df=True,
                     options=b"\x94\x04\x00\x00")
        snmp.ip_local_out(self, pkt, False)
        mac = mc_map(dst)
        n = self.arp.entry(dev.ifindex, dst)
        if not n.state & Nud.NOARP:
            n.state, n.lladdr = Nud.NOARP, mac
        snmp.ip_out(self, pkt, False)
        self.dev_xmit(dev, P.Frame(mac, dev.address, P.ETH_P_IP, pkt))

    def igmpv3_report_records(self, dev: NetDevice, records: list) -> None:
        """igmpv3_send_cr() -> igmpv3_sendpack(): one report to 224.0.0.22 with the
        given (type, group) records (no sources), from inet_select_addr(dev, 0,
        RT_SCOPE_LINK) (0.0.0.0 without one), TTL 1, tos 0xc0, DF, id 0 and the router
        alert option (igmpv3_newpack()). The next hop is a multicast address:
        arp_constructor() makes its entry NOARP with the mapped MAC (arp_mc_map())."""
        from ipemu.kernel.mcast import IGMPV3_ALL_MCR, mc_map
        from ipemu.kernel.wire.ipv4 import internet_checksum
        body = bytes([0x22, 0, 0, 0, 0, 0]) + len(records).to_bytes(2, "big") + b"".join(
            bytes([kind, 0, 0, 0]) + g.packed for kind, g in records)
        body = body[:2] + internet_checksum(body).to_bytes(2, "big") + body[4:]
        src = self.ns.select_source(dev, IGMPV3_ALL_MCR) or ipaddress.IPv4Address(0)
        pkt = P.Ipv4(src, IGMPV3_ALL_MCR, P.IPPROTO_IGMP, body, ttl=1, tos=0xC0, id=0,
                     df=True, options=b"\x94\x04\x00\x00")
        snmp.ip_local_out(self, pkt, False)
        mac = mc_map(IGMPV3_ALL_MCR)
        n = self.arp.entry(dev.ifindex, IGMPV3_ALL_MCR)
        if not n.state & Nud.NOARP:
            n.state, n.lladdr = Nud.NOARP, mac
        snmp.ip_out(self, pkt, False)
        self.dev_xmit(dev, P.Frame(mac, dev.address, P.ETH_P_IP, pkt))

    def _accept_untracked_na(self, dev: NetDevice, saddr) -> bool:
        """accept_untracked_na(): the device's setting; 1 always, 2 for a sender in
        one of the device's prefixes (ipv6_chk_prefix())."""
        mode = self.ns.conf(6, dev, "accept_untracked_na")
        if mode == "1":
            return True
        return mode == "2" and any(saddr in i.network for i in self.ns.ifa6(dev))

    def unsolicited_na(self, dev: NetDevice, addr: ipaddress.IPv6Address) -> None:
        """ndisc_send_na() to all nodes, not solicited, override set, our link-layer
        address given; the router flag while forwarding."""
        router = 0x80000000 if self.ns.conf(6, dev, "forwarding") == "1" else 0
        na = P.Icmp6(P.NDISC_NEIGHBOUR_ADVERTISEMENT, target=addr, lladdr=dev.address,
                     flags=0x20000000 | router)
        self._send6(dev, P.Ipv6(addr, ipaddress.IPv6Address("ff02::1"), P.IPPROTO_ICMPV6,
                                na, hop_limit=255))

    def notify_peers(self, dev: NetDevice) -> None:
        """NETDEV_UP and NETDEV_CHANGEADDR's announcements: inetdev_event() sends a
        gratuitous ARP (who-has ADDR tell ADDR, broadcast) for each IPv4 address when
        arp_notify is on (IN_DEV_MAXCONF), ndisc_netdev_event() an unsolicited NA to
        all nodes for each IPv6 address not tentative, in the device's list order,
        when ndisc_notify is on (ndisc_send_unsol_na())."""
        ns = self.ns
        if not dev.admin_up or dev.kind == "loopback":
            return
        if self._maxconf(dev, "arp_notify"):
            for ifa in list(ns.ifa4(dev)):
                arp = P.Arp(1, dev.address, ifa.local, bytes(6), ifa.local)
                self.dev_xmit(dev, P.Frame(P.BROADCAST_MAC, dev.address, P.ETH_P_ARP, arp))
        if "1" in (ns.conf(6, dev, "ndisc_notify"), ns.conf(6, "all", "ndisc_notify")) and \
                not ns.ipv6_disabled(dev):
            for ifa in list(ns.ifa6(dev)):
                if not ifa.tentative:
                    self.unsolicited_na(dev, ifa.address)

    def dad_probe(self, dev: NetDevice, target: ipaddress.IPv6Address,
                  nonce: bytes | None = None) -> None:
        """A duplicate address detection probe: an NS from :: for the tentative address
        (with enhanced_dad, the address's random nonce option: addrconf_dad_work())."""
        probe = P.Icmp6(P.NDISC_NEIGHBOUR_SOLICITATION, target=target, nonce=nonce)
        self._send6(dev, P.Ipv6(ipaddress.IPv6Address("::"), self._solicited_node(target),
                                P.IPPROTO_ICMPV6, probe, hop_limit=255))

    def router_solicit(self, dev: NetDevice, src) -> None:
        rs = P.Icmp6(P.NDISC_ROUTER_SOLICITATION, lladdr=dev.address)
        self._send6(dev, P.Ipv6(src, ipaddress.IPv6Address("ff02::2"), P.IPPROTO_ICMPV6, rs,
                                hop_limit=255))

    # ------------------------------------------------------------ sockets
    def udp_connect(self, dst, dport: int, device: NetDevice | None = None,
                    mark: int = 0, broadcast: bool = False) -> UdpSocket:
        """socket(SOCK_DGRAM) + connect(): KernelError when there is no route (or the
        route is a broadcast one and `broadcast`, the socket's SO_BROADCAST, is off:
        EACCES). `device`: an IPv6 scope, or the socket's SO_BINDTODEVICE (IPv4)."""
        if dst.version == 4 and int(dst) == 0:
            dst = ipaddress.IPv4Address("127.0.0.1")  # ip_route_output: 0.0.0.0 is here
        elif dst.version == 6 and dst.is_unspecified:
            dst = ipaddress.IPv6Address("::1")        # ip6_datagram_connect(): any is here
        if device is None:
            if dst.version == 6 and (dst.is_link_local or
                                     dst.is_multicast and dst.packed[1] & 0x0F <= 2):
                raise KernelError(Errno.EINVAL)       # needs a scope id
            sock = UdpSocket(self, self.connect_source(dst, None, mark=mark,
                                                       broadcast=broadcast), dst, dport)
            sock.mark = mark
            return sock
        if dst.version == 4:
            # ip4_datagram_connect() -> ip_route_connect() with the socket's
            # SO_BINDTODEVICE as the flow's oif (on link when no route has it)
            sock = UdpSocket(self, self.connect_source(dst, device, mark=mark,
                                                       broadcast=broadcast), dst, dport,
                             device)
            sock.mark = mark
            return sock
        source = self.ns.select_source(device, dst)
        if source is None:
            raise KernelError(Errno.EADDRNOTAVAIL)
        if not dst.is_multicast:
            self.ns.lookup(dst, oif=device)             # ENETUNREACH without a route
        return UdpSocket(self, source, dst, dport, device)

    def is_broadcast(self, dst) -> bool:
        if dst == V4_LIMITED_BROADCAST:
            return True
        try:
            route, _ = self.ns.lookup(dst)
        except KernelError:
            return False
        return route.type == RTN.BROADCAST

    def connect_source(self, dst, device: NetDevice | None, source=None,
                       broadcast: bool = False, mark: int = 0, flow: tuple | None = None,
                       tos: int = 0):
        """ip_route_connect(): the route must exist and be usable (a broadcast route
        only with SO_BROADCAST); returns the source address the socket will use. `mark`
        is the socket's SO_MARK, which the rules see (the echoes themselves are still
        routed without it: ipemu's packets carry no skb->mark), as they see `tos` (its
        IP_TOS: ip_route_connect_init()'s flowi4_tos) and `flow`'s protocol and ports
        (proto, sport, dport)."""
        ns = self.ns
        # fib4_rule_match()'s and fib6_rule_match()'s view of the flow: the protocol
        # and ports (ip6_datagram_connect() too: `ipproto udp prohibit` refuses ping
        # -6's probe with EACCES), and IPv4's tos (an IPv6 connect's flow has no
        # traffic class: `ping -6 -Q 0x10` is not taken by a `tos 0x10` rule;
        # recorded, fuzz43_ping6_rule_flow)
        sel = {}
        if ns.fib_has_custom_rules or dst.version == 6:
            sel = {"tos": tos & 0x1C} if dst.version == 4 else {}
            if flow is not None:
                sel.update(ip_proto=flow[0], sport=flow[1], dport=flow[2])
        if source is not None:
            # the socket was bound to it: an address of the host's, or any with
            # ip_nonlocal_bind (inet_addr_valid_or_nonlocal(), ipv6_can_nonlocal_bind())
            if source not in ns.local_addresses() and ns.sysctls.get(
                    f"net.ipv{source.version}.ip_nonlocal_bind", "0") == "0" and not (
                    source.version == 4 and ns.inet_addr_type_dev_table(None, source) in (
                        RTN.LOCAL, RTN.MULTICAST, RTN.BROADCAST)):
                # (inet_addr_valid_or_nonlocal(): before any IPv4 address the local
                # table does not exist and every address types as BROADCAST)
                raise KernelError(Errno.EADDRNOTAVAIL)
            return source
        if dst.version == 4 and device is not None:
            # ip_route_output_key_hash_rcu(): an oif must be up; to the limited
            # broadcast the oif alone decides (a broadcast route, source of link scope)
            if not device.is_up:
                raise KernelError(Errno.ENETUNREACH)
            if dst == V4_LIMITED_BROADCAST:
                if not broadcast:
                    raise KernelError(Errno.EACCES)
                return ns.select_source(device, dst) or ipaddress.IPv4Address(0)
        try:
            found = ns.lookup(dst, oif=device, mark=mark, **sel) if mark or sel else \
                ns.lookup(dst, oif=device)
            route = found[0] if device is not None else self._select_default(found, dst)[0]
        except KernelError as err:
            # ip6_dst_lookup_tail(): with no source given, the source comes before the
            # route's error, from every device (ip6_route_get_saddr() ->
            # ipv6_dev_get_saddr() without a dst device): no usable address at all
            # (lo down has no ::1, the others still tentative, or disable_ipv6 took
            # them) is EADDRNOTAVAIL, whatever the destination; with one somewhere,
            # the route's error (recorded: ping6 ::1 with lo down and a global address
            # on a veth says Network is unreachable; case
            # tutorials39c_redhat8709_disable_ipv6: ping -6 2001:db8::2, and with -I,
            # after all.disable_ipv6=1 say Cannot assign requested address)
            no_source = dst.version == 6 and not any(
                not i.tentative or i.optimistic
                for d in ns.device_list() for i in ns.ifa6(d))
            if device is not None and (dst.version == 4 or err.errno == Errno.ENETUNREACH):
                if dst.version == 4 or dst.is_link_local or dst.is_multicast:
                    # IPv4: ip_route_output_key_hash_rcu() takes the destination as
                    # on the oif's link; IPv6 only a link-scope destination.
                    # inet_select_addr() of a device without an IPv4 address leaves
                    # saddr 0 (recorded, fuzz41b seed 495012: `from 0.0.0.0 v0`)
                    src = ns.select_source(device, dst)
                    if src is None and dst.version == 4:
                        src = ipaddress.IPv4Address(0)
                    return src
                if no_source:
                    raise KernelError(Errno.EADDRNOTAVAIL)
                # IPv6: the bound device's lookup (RT6_LOOKUP_F_IFACE) is the null
                # entry (recorded: `ping -I lo fd00::1`, `ping -I v0 ::1`)
                snmp.no_route(self, dst, err.errno)
                raise
            if dst.version == 6 and dst.is_link_local:
                # a link-local destination without a scope is not refused: the packet
                # just finds no way out (recorded: `ping -6 fe80::1` while the only
                # addresses are tentative sends its echo)
                lo = ns.by_index(LOOPBACK_IFINDEX)
                return ns.select_source(lo, dst) or ipaddress.IPv6Address("::")
            if no_source:
                raise KernelError(Errno.EADDRNOTAVAIL)
            snmp.no_route(self, dst, err.errno)
            raise
        if route.type == RTN.LOCAL:
            return route.prefsrc or dst
        if route.type == RTN.BROADCAST and not broadcast:
            raise KernelError(Errno.EACCES)
        out = ns.by_index(route.oif) if route.oif is not None else device
        # IPv6: ip6_route_get_saddr() -> ipv6_dev_get_saddr() for the destination
        # itself (a link-local gateway does not make the source link-local)
        src = route.prefsrc or ns.select_source(
            out, dst if dst.version == 6 else nh_gw4(route.gateway, dst))
        if src is None and dst.version == 4:
            # fib_select_path(): inet_select_addr() found nothing, the flow keeps
            # saddr 0 and connect() succeeds (the packets leave from 0.0.0.0)
            src = ipaddress.IPv4Address(0)
        if src is None:
            raise KernelError(Errno.EADDRNOTAVAIL)
        if dst.version == 4 and int(src) and ns.fib_has_custom_rules:
            # ip_route_connect(): a flow without saddr is looked up once for it, then
            # again with it (flowi4_update_output(), ip_route_output_flow()): a rule
            # `from` that source sees the second lookup, and its error is connect()'s
            # (recorded: a `from 192.168.1.0/24` rule to a table whose route is
            # unreachable makes `ping 10.50.0.1` say `connect: No route to host`,
            # case tutorials42b_oneuptime_unreachable_policy)
            try:
                if mark or sel:
                    ns.lookup(dst, src, oif=device, mark=mark, **sel)
                else:
                    ns.lookup(dst, src, oif=device)
            except KernelError as err:
                snmp.no_route(self, dst, err.errno)
                raise
        if flow is not None and xfrm.active(ns) and \
                self._xfrm_out(dst.version, src, dst, flow[0], flow[1], flow[2], out) == "block":
            raise KernelError(Errno.EPERM)      # xfrm_lookup_route(): -EPERM
        return src

    def _xfrm_out(self, family: int, src, dst, proto: int, sport: int, dport: int,
                  dev: NetDevice | None) -> str:
        """xfrm_lookup() of a flow of ours leaving by `dev` (a device with
        disable_xfrm set: rt_dst_alloc()'s DST_NOXFRM, as lo has)."""
        if dev is not None and (dev.kind == "loopback" or
                                self.ns.conf(family, dev, "disable_xfrm") == "1"):
            return "pass"
        return xfrm.decide(self.ns, xfrm.XFRM_POLICY_OUT, family, int(src), int(dst), proto,
                           sport, dport, dev.ifindex if dev is not None else 0)

    def xfrm_check(self, direction: int, family: int, pkt, dev: NetDevice) -> bool:
        """xfrm_policy_check() of a datagram that came in by `dev` (none on lo or a
        device with disable_policy set: DST_NOPOLICY): False drops it."""
        if dev.kind == "loopback" or self.ns.conf(family, dev, "disable_policy") == "1":
            return True
        sport, dport = _flow_ports(pkt.payload)
        return xfrm.decide(self.ns, direction, family, int(pkt.src), int(pkt.dst),
                           pkt.proto if family == 4 else pkt.next_header, sport, dport,
                           dev.ifindex) == "pass"


def flow_of(pkt: P.Ipv4) -> tuple[int, int, int, int]:
    """The output flow of a datagram of ours as fib4_rule_match() sees it: flowi4_tos
    (the socket's IP_TOS under IPTOS_RT_MASK), flowi4_proto, and the ports: a UDP or
    TCP datagram's, an ICMP message's type and code in the same union (struct
    flowi_uli: icmpt.type and .code over ports.dport, so an echo request's dport reads
    0x0800, its sport 0: raw_probe_proto_opt(), icmp_route_lookup())."""
    payload = pkt.payload
    if isinstance(payload, (P.Udp, P.Tcp)):
        return (pkt.tos & 0x1C, pkt.proto, payload.sport, payload.dport)
    kind = getattr(payload, "type", None)
    if pkt.proto == P.IPPROTO_ICMP and kind is not None:
        return (pkt.tos & 0x1C, pkt.proto, 0, (int(kind) << 8) | int(getattr(payload, "code", 0)))
    return (pkt.tos & 0x1C, pkt.proto, 0, 0)


def flow_of6(pkt: P.Ipv6) -> tuple[int, int, int]:
    """flow_of() of an IPv6 datagram of ours: flowi6_proto and the ports (an ICMPv6
    message's type and code over fl6_dport, as rawv6_probe_proto_opt() sets them)."""
    payload = pkt.payload
    if isinstance(payload, (P.Udp, P.Tcp)):
        return (pkt.next_header, payload.sport, payload.dport)
    kind = getattr(payload, "type", None)
    if pkt.next_header == P.IPPROTO_ICMPV6 and kind is not None:
        return (pkt.next_header, 0, (int(kind) << 8) | int(getattr(payload, "code", 0)))
    return (pkt.next_header, 0, 0)


def _echo_flow(tos: int) -> tuple[int, int, int, int]:
    """flow_of() an echo request of a raw ICMP socket with IP_TOS `tos`."""
    return (tos & 0x1C, P.IPPROTO_ICMP, 0, P.ICMP_ECHO << 8)


def _flow_ports(payload) -> tuple[int, int]:
    """xfrm_flowi_sport()/dport(): the ports, or an ICMP message's type and code."""
    if isinstance(payload, (P.Udp, P.Tcp)):
        return payload.sport, payload.dport
    kind = getattr(payload, "type", None)
    if kind is not None:
        return int(kind), int(getattr(payload, "code", 0))
    return 0, 0


def _counted_length(dev: NetDevice, frame: P.Frame, rx: bool = False) -> int:
    """What a device's byte counters add: loopback_xmit() counts after
    eth_type_trans() has pulled the Ethernet header, and so does a bridge passing a
    frame up (br_pass_frame_up()) or a VLAN device receiving (vlan_do_receive()); veth
    counts whole frames."""
    if dev.kind == "loopback" or (dev.kind in ("bridge", "vlan") and rx):
        return len(frame) - 14
    if dev.kind in ("gre", "ipip", "sit"):
        return len(frame) - 14      # iptunnel_xmit_stats(): the inner datagram's length
    if dev.vxlan is not None:
        # vxlan_rcv() counts after eth_type_trans(); vxlan_xmit_one() -> iptunnel_xmit()
        # counts skb->len less the inner Ethernet header (recorded: 9 frames, 628 bytes)
        return len(frame) - 14
    return len(frame)


# ipv6_skip_exthdr()'s extension headers (hop-by-hop, routing, fragment, AH, dest opts)
_IPV6_EXTHDRS = frozenset((0, 43, 44, 51, 60))


def _skip_exthdr6(quoted: bytes) -> tuple[int, int]:
    """ipv6_skip_exthdr() of a quoted IPv6 packet: its upper-layer protocol and that
    header's offset; a fragment other than the first stops the walk at its fragment
    header (protocol 44: no error handler reads it)."""
    if len(quoted) < 40:
        return -1, 40
    nexthdr, off = quoted[6], 40
    while nexthdr in _IPV6_EXTHDRS:
        if len(quoted) < off + 8:
            return -1, off
        if nexthdr == 44:
            if int.from_bytes(quoted[off + 2:off + 4], "big") & ~7:
                return 44, off
            hdrlen = 8
        elif nexthdr == 51:
            hdrlen = (quoted[off + 1] + 2) * 4
        else:
            hdrlen = (quoted[off + 1] + 1) * 8
        nexthdr, off = quoted[off], off + hdrlen
    return nexthdr, off
