"""TCP: the active open (connect() sends a SYN with Linux's options and retransmits it
on the retransmission timer until it gives up), the reset that answers a segment for a
port nobody listens on, and the errors that end a connect() (a reset: ECONNREFUSED; an
ICMP error: its errno; the timer: ETIMEDOUT); the passive open of a listening socket
(SYN -> SYN-ACK -> ACK, the request sock, the accept queue), data both ways on a
lossless path (no retransmission of data) and the close (FIN, TIME_WAIT).

Followed: net/ipv4/tcp_ipv4.c (tcp_v4_connect, tcp_v4_rcv, tcp_v4_send_reset,
tcp_v4_err), tcp_output.c (tcp_connect_init, tcp_select_initial_window,
tcp_options_write), tcp_input.c (tcp_rcv_synsent_state_process, tcp_reset),
tcp_timer.c (tcp_retransmit_timer, tcp_write_timeout, retransmits_timed_out,
tcp_model_timeout) and kernel/time/timer.c's wheel (a timer fires at its level's
granularity), with the recording kernel's sysctls (tcp_syn_linear_timeouts among them).
"""
from __future__ import annotations

import ipaddress
from ipemu.kernel.enums import int_enum

from ipemu.kernel import packet as P
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.wire.tcp import (
    TCPHDR_ACK,
    TCPHDR_CWR,
    TCPHDR_ECE,
    TCPHDR_FIN,
    TCPHDR_PSH,
    TCPHDR_RST,
    TCPHDR_SYN,
    syn_options,
)
from ipemu.plainclass import dataclass, field

HZ = 1000                 # the recording kernel's CONFIG_HZ (SYN retransmits 1.024 s apart)
INET_ECN_MASK = 0x03       # the ECN field of the TOS byte (traffic class)
TCP_TIMEOUT_INIT = 1.0    # the first RTO of a connection, seconds
TCP_RTO_MAX = 120.0
IPV4_MAX_PMTU = 65535
WAKE_DELAY = 5e-6         # the connecting process runs after the segment that ended it
TCP_TIMEWAIT_LEN = 60.0   # include/net/tcp.h
TCP_DELACK_MIN = 0.040    # HZ/25: a delayed ACK's wait


@int_enum
class TcpState:
    """include/net/tcp_states.h."""

    ESTABLISHED = 1
    SYN_SENT = 2
    SYN_RECV = 3
    FIN_WAIT1 = 4
    FIN_WAIT2 = 5
    TIME_WAIT = 6
    CLOSE = 7
    CLOSE_WAIT = 8
    LAST_ACK = 9
    LISTEN = 10
    CLOSING = 11


# icmp_err_convert[]: the errno of each destination-unreachable code
ICMP_UNREACH_ERRNO = (Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.ENOPROTOOPT,
                      Errno.ECONNREFUSED, Errno.EMSGSIZE, Errno.EOPNOTSUPP,
                      Errno.ENETUNREACH, Errno.EHOSTDOWN, Errno.ENONET, Errno.ENETUNREACH,
                      Errno.EHOSTUNREACH, Errno.ENETUNREACH, Errno.EHOSTUNREACH,
                      Errno.EHOSTUNREACH, Errno.EHOSTUNREACH, Errno.EHOSTUNREACH)
# the Tcp lines of /proc/net/snmp (and TcpExt counters this model moves)
MIB_FIELDS = ("ActiveOpens", "PassiveOpens", "AttemptFails", "EstabResets", "CurrEstab",
              "InSegs", "OutSegs", "RetransSegs", "InErrs", "OutRsts")


def sysctl(ns, key: str) -> str:
    """A namespace's sysctl: what was written, else the recording kernel's default."""
    value = ns.sysctls.get(key)
    if value is None:
        from ipemu.kernel.sysctl import net_table
        value = net_table()["namespace"].get(key, "0")
    return value


def _ints(ns, key: str) -> list[int]:
    """A vector sysctl (tcp_rmem, ip_local_port_range); values missing from what was
    written are the default's."""
    from ipemu.kernel.sysctl import net_table
    default = net_table()["namespace"].get(key, "").split()
    values = sysctl(ns, key).split()
    return [int(v) for v in values + default[len(values):]]


def wheel_expiry(now: float, delay: float) -> float:
    """kernel/time/timer.c calc_wheel_index(): a timer `delay` seconds away fires at
    the next multiple of its wheel level's granularity (8**level jiffies) after it."""
    jiffies = int(round(now * HZ))
    expires = jiffies + max(int(round(delay * HZ)), 0)
    delta = expires - jiffies
    level, start = 0, 63                     # LVL_START(1): (LVL_SIZE - 1)
    while level < 8 and delta >= start:
        level += 1
        start = 63 << (3 * level)
    shift = 3 * level
    return (((expires >> shift) + 1) << shift) / HZ


@dataclass
class TcpMib:
    """The namespace's TCP counters (TCP_MIB_*), as /proc/net/snmp would list them."""

    counts: dict = field(default_factory=dict)

    def inc(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def get(self, name: str) -> int:
        return self.counts.get(name, 0)


class TcpSock:
    """One TCP socket of a namespace (the active side: SYN_SENT until it ends)."""

    sacked_retrans = False      # the SYN in flight is a retransmission (TCPCB_SACKED_RETRANS)
    fd = 0                      # the owner's descriptor for it when not the owner's own
    # what the handshake agreed (tcp_rcv_synsent_state_process(), tcp_openreq_init()):
    # timestamps and SACK when both ends offered them, window scaling likewise (else
    # no scale either way), ECN when the SYN asked it (ECE|CWR) and the SYN-ACK
    # answered ECE; None until the handshake says (our own sysctls decide the SYN)
    ts_ok = None
    sack_ok = None
    wscale_ok = None
    ecn_ok = False
    # SOCK_BINDPORT_LOCK in sk_userlocks: the port was bound explicitly (a listener's
    # bind(), a connect() from a given port); an accepted child has it cleared
    # (sk_clone_lock()), an autobound port never had it
    bindport_lock = False
    # the peer's options as its SYN (SYN-ACK) had them (tcp_parse_options())
    peer_ts = False
    peer_sack = False
    peer_wscale = False
    # IP_TOS (IPV6_TCLASS for IPv6) a setsockopt() before the connect gave it: the
    # DSCP bits of every segment it sends (__ip_sock_set_tos() keeps the ECN bits
    # TCP's own); ssh sets its IPQoS there (ssh_create_socket())
    tos = 0
    # the congestion control tcp_init_sock() -> tcp_assign_congestion_control() gave
    # it: the namespace's tcp_congestion_control then ("" when not recorded)
    congestion = ""

    def __init__(self, stack, src, dst, sport: int, dport: int, device=None, owner=None):
        self.stack = stack
        self.src, self.dst, self.sport, self.dport = src, dst, sport, dport
        self.device = device
        self.owner = owner            # told by owner.tcp_connect_done(sock) when it ends
        self.state = TcpState.CLOSE
        self.err = 0
        rng = stack.rng
        self.isn = rng.getrandbits(32)          # secure_tcp_seq()
        self.ts_off = rng.getrandbits(32)       # secure_tcp_ts_off()
        self.inet_id = rng.getrandbits(16)      # tcp_v4_connect(): get_random_u16()
        self.rto = TCP_TIMEOUT_INIT
        self.retransmits = 0
        self.total_rto = 0
        self.retrans_stamp = 0.0
        self.timer = None
        self.timer_when = 0.0
        self.advmss = 536
        self.rcv_wnd = 0
        self.rcv_ssthresh = 0
        self.rcv_wscale = 0
        self.sent_at = 0.0            # when the first SYN left (tcp_skb_timestamp)
        self.last_pkt = None          # the last segment handed to IP
        # what /proc/net/tcp shows of the struct sock: its inode, its hashed address
        self.inode = rng.randrange(1_000_000, 9_999_999)
        self.kptr = rng.getrandbits(32)
        # the family the socket was made in (an AF_INET6 socket speaks IPv4 to a
        # v4-mapped peer: its addresses are then IPv4 here and shown ::ffff:)
        self.family = dst.version
        self.snd_nxt = 0
        self.rcv_nxt = 0
        self.ts_recent = 0            # the peer's last TS value, echoed back
        self.peer_mss = 536
        self.rcvbuf = bytearray()     # received data the program has not read
        self.fin_rcvd = False
        self.backlog = 0              # listen(): the accept queue's limit
        self.accept_queue: list = []
        self.listener = None          # a child: the listening socket it came from
        self.v6only = False
        self.delack = None            # a delayed ACK's timer (pingpong mode after a FIN)
        self.connected = False        # the handshake completed (a later end is no
                                      # failed connect)
        self.eof_read = False         # a read returned the FIN's end of file
        # the end sequence numbers of the data and FIN segments sent and not yet
        # acknowledged (the retransmit queue's skbs), for LINUX_MIB_TCPDELIVERED
        self.unacked: list = []
        # tcp_ack()'s snd_una once the handshake is done (None before), and the
        # header prediction's window (tp->pred_flags: None when off)
        self.snd_una = None
        self.pred_window = None

    # -------------------------------------------------------------- sending
    def _tsval(self) -> int | None:
        if self.ts_ok is False or self.ts_ok is None and \
                sysctl(self.stack.ns, "net.ipv4.tcp_timestamps") == "0":
            return None
        return (int(self.stack.clock.now * 1000) + self.ts_off) & 0xFFFFFFFF  # tcp_clock_ms()

    def _syn(self, ack: int = 0, flags: int = TCPHDR_SYN) -> P.Tcp:
        """tcp_syn_options() (a SYN: what our sysctls turn on) or tcp_synack_options()
        (a SYN-ACK: only what the SYN offered too); tcp_ecn_send_syn(): a SYN asks
        ECN (ECE|CWR) when tcp_ecn is 1; tcp_ecn_make_synack(): ECE when agreed."""
        ns = self.stack.ns
        tsval = self._tsval()
        if self.wscale_ok is None:
            wscale = self.rcv_wscale if sysctl(ns, "net.ipv4.tcp_window_scaling") != "0" \
                else None
        else:
            wscale = self.rcv_wscale if self.wscale_ok else None
        sack = sysctl(ns, "net.ipv4.tcp_sack") != "0" if self.sack_ok is None \
            else self.sack_ok
        options = syn_options(self.advmss, sack, tsval, wscale)
        if tsval is not None and flags & TCPHDR_ACK:
            # tcp_synack_options(): the SYN's TS value echoed
            options = options[:12] + self.ts_recent.to_bytes(4, "big") + options[16:]
        if flags & TCPHDR_ACK:
            if self.ecn_ok:
                flags |= TCPHDR_ECE
        elif sysctl(ns, "net.ipv4.tcp_ecn") == "1":
            flags |= TCPHDR_ECE | TCPHDR_CWR
        return P.Tcp(self.sport, self.dport, self.isn, ack, flags,
                     min(self.rcv_wnd, 65535), options, partial=True)

    def segment(self, flags: int, data: bytes = b"") -> P.Tcp:
        """tcp_transmit_skb() once established: the timestamps option (NOP, NOP, TS)
        and the window scaled down by our scale."""
        tsval = self._tsval()
        options = b""
        if tsval is not None:
            options = bytes((1, 1, 8, 10)) + tsval.to_bytes(4, "big") + \
                self.ts_recent.to_bytes(4, "big")
        # __tcp_select_window(): the free space (tcp_space(), half the default
        # receive buffer), at most rcv_ssthresh (the initial window: not grown here),
        # rounded up to the scale's unit (ALIGN()) and scaled down (recorded: a
        # connect()'s window of 64240 at scale 10 is `win 63`, an accept()'s 65160
        # `win 64`)
        window = _ints(self.stack.ns, "net.ipv4.tcp_rmem")[1] // 2
        if self.rcv_wscale:
            unit = 1 << self.rcv_wscale
            window = -(-min(window, self.rcv_ssthresh or window) // unit) * unit
        else:
            # without a scale: the window offered stays while it is within one
            # segment of the free space (at most rcv_ssthresh), else that space in
            # whole segments of rcv_mss, which tcp_initialize_rcv_mss() starts at
            # TCP_MSS_DEFAULT (recorded: 64240, over IPv6 with timestamps 64800)
            free, mss, current = min(window, self.rcv_ssthresh or window), 536, self.rcv_wnd
            window = free // mss * mss if current <= free - mss or current > free \
                else current
        window = min(window >> self.rcv_wscale, 65535)
        if self.delack is not None:
            self.stack.clock.cancel(self.delack)     # the segment carries the ACK
            self.delack = None
        seg = P.Tcp(self.sport, self.dport, self.snd_nxt, self.rcv_nxt, flags, window,
                    options, data, partial=True)
        self.snd_nxt = (self.snd_nxt + len(data) + bool(flags & TCPHDR_FIN)) & 0xFFFFFFFF
        mib = tcp_of(self.stack).mib
        mib.inc("OutSegs")
        if (data or flags & TCPHDR_FIN) and not flags & TCPHDR_RST:
            # tcp_write_xmit() -> tcp_event_new_data_sent(): a new segment of the
            # write queue (data, or the FIN tcp_send_fin() queued) counts
            # LINUX_MIB_TCPORIGDATASENT, and waits in the retransmit queue for its ACK
            mib.inc("TCPOrigDataSent")
            self.__dict__.setdefault("unacked", []).append(self.snd_nxt)
        self.transmit(seg)
        return seg

    def send(self, data: bytes) -> None:
        """tcp_sendmsg(): the data in segments of the peer's MSS, PSH on the last."""
        mss = max(min(self.peer_mss, self.advmss) - (12 if self._tsval() is not None
                                                     else 0), 1)
        for i in range(0, len(data), mss):
            chunk = data[i:i + mss]
            last = i + mss >= len(data)
            self.segment(TCPHDR_ACK | (TCPHDR_PSH if last else 0), chunk)

    def abort(self) -> None:
        """tcp_close() with data unread (or SO_LINGER 0): a reset to the peer
        (tcp_send_active_reset()), the socket closed at once."""
        self.owner = None
        if self.state in (TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1,
                          TcpState.FIN_WAIT2, TcpState.SYN_RECV):
            if self.state in (TcpState.ESTABLISHED, TcpState.CLOSE_WAIT):
                # tcp_set_state(TCP_CLOSE) from these states
                tcp_of(self.stack).mib.inc("EstabResets")
            if self.state == TcpState.ESTABLISHED:
                tcp_of(self.stack).mib.inc("CurrEstab", -1)
            tcp_of(self.stack).mib.inc("OutRsts")
            self.segment(TCPHDR_RST | TCPHDR_ACK)
        self.state = TcpState.CLOSE
        self.stack.clock.cancel(self.timer)
        self.timer = None
        tcp_of(self.stack).unhash(self)

    def diag_destroy(self) -> None:
        """tcp_abort(sk, ECONNABORTED), as SOCK_DESTROY (ss -K) calls it through
        inet_diag_destroy(): a TIME-WAIT socket is only descheduled; a listener goes to
        CLOSE and drops its queue (inet_csk_listen_stop()); any other socket not dead
        gets the error, a reset when tcp_need_reset() says so (ESTABLISHED,
        CLOSE-WAIT, FIN-WAIT-1/2, SYN-RECV), and tcp_done()."""
        table = tcp_of(self.stack)
        if self.state == TcpState.TIME_WAIT:
            self.stack.clock.cancel(self.timer)
            self.timer = None
            table.unhash(self)
            return
        if self.state == TcpState.LISTEN:
            for child in self.accept_queue:
                child.abort()
            self.accept_queue = []
            self.state = TcpState.CLOSE
            self.stack.clock.cancel(self.timer)
            self.timer = None
            table.unhash(self)
            return
        if self.state in (TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1,
                          TcpState.FIN_WAIT2, TcpState.SYN_RECV):
            if self.state in (TcpState.ESTABLISHED, TcpState.CLOSE_WAIT):
                table.mib.inc("EstabResets")
            if self.state == TcpState.ESTABLISHED:
                table.mib.inc("CurrEstab", -1)
            table.mib.inc("OutRsts")
            self.segment(TCPHDR_RST | TCPHDR_ACK)      # tcp_send_active_reset()
            self.state = TcpState.CLOSE
        self.done(Errno.ECONNABORTED)

    def rx_queue(self) -> int:
        """rcv_nxt - copied_seq (tcp_diag's idiag_rqueue, /proc/net/tcp's rx_queue):
        unread data, and a FIN no read has reached yet (the +1 it took in sequence
        space: a CLOSE-WAIT socket shows it)."""
        return len(self.rcvbuf) + (self.state == TcpState.CLOSE_WAIT and not self.eof_read)

    def read(self) -> bytes:
        data = bytes(self.rcvbuf)
        self.rcvbuf.clear()
        return data

    def transmit(self, seg: P.Tcp) -> None:
        """ip_queue_xmit(): DF, the socket's own IP id counter. tcp_ecn_send(): once
        ECN is agreed, a segment with data leaves ECT(0), an ACK without it not; the
        socket's IP_TOS/IPV6_TCLASS above them."""
        stack = self.stack
        tos = (0x02 if self.ecn_ok and seg.data else 0) | (self.tos & ~INET_ECN_MASK)
        if self.dst.version == 4:
            pkt = P.Ipv4(self.src, self.dst, P.IPPROTO_TCP, seg, ttl=64, id=self.inet_id,
                         df=True, tos=tos)
            self.inet_id = (self.inet_id + 1) & 0xFFFF
            self.last_pkt = pkt
            stack.ip_output(pkt, self.device)
        else:
            pkt = P.Ipv6(self.src, self.dst, P.IPPROTO_TCP, seg,
                         flow_label=stack.flow_label(self.src, self.dst), traffic_class=tos)
            self.last_pkt = pkt
            stack.ip6_output(pkt, self.device)

    def _in_host_queue(self) -> bool:
        """Whether the last segment sent is still queued at an unresolved neighbour."""
        last = self.last_pkt
        for table in (self.stack.arp, self.stack.nd):
            for n in table.entries.values():
                if any(p is last for p in n.queue):
                    return True
        return False

    def _arm(self, delay: float) -> None:
        clock = self.stack.clock
        clock.cancel(self.timer)
        self.timer_when = wheel_expiry(clock.now, delay)
        self.timer = clock.call_at(self.timer_when, self, "retransmit_timer")

    # --------------------------------------------------------------- timers
    def retransmit_timer(self) -> None:
        """tcp_retransmit_timer() for a SYN_SENT socket."""
        self.timer = None
        if self.state != TcpState.SYN_SENT:
            return
        if self._write_timeout():
            tcp_of(self.stack).mib.inc("TCPAbortOnTimeout")
            self.done(self.err or Errno.ETIMEDOUT)     # tcp_write_err()
            return
        mib = tcp_of(self.stack).mib
        mib.inc("TCPTimeouts")
        mib.inc("TcpTimeoutRehash")         # tcp_write_timeout(): sk_rethink_txhash()
        if self.sacked_retrans:             # tcp_mark_skb_lost(): a retransmit lost again
            mib.inc("TCPLostRetransmit")
            self.sacked_retrans = False
        if self.retransmits == 0:
            self.retrans_stamp = self.sent_at
        self.retransmits += 1               # tcp_update_rto_stats()
        self.total_rto += 1
        if self._in_host_queue():
            # skb_still_in_host_queue(): the last SYN still waits for its neighbour
            # (held in the ARP/ND queue): nothing is sent this time (-EBUSY)
            mib.inc("TCPSpuriousRtxHostQueues")
        else:
            mib.inc("RetransSegs")
            mib.inc("TCPSynRetrans")
            self.sacked_retrans = True      # TCPCB_SACKED_RETRANS on the SYN
            self.transmit(self._syn())
        linear = int(sysctl(self.stack.ns, "net.ipv4.tcp_syn_linear_timeouts"))
        if self.total_rto > linear:         # exponential backoff after the linear ones
            self.rto = min(self.rto * 2, TCP_RTO_MAX)
        self._arm(self.rto)

    def _write_timeout(self) -> bool:
        """tcp_write_timeout(): SYN_SENT gives up after tcp_syn_retries plus the linear
        timeouts, or once the time tcp_model_timeout() allows has passed."""
        ns = self.stack.ns
        retry_until = int(sysctl(ns, "net.ipv4.tcp_syn_retries"))
        linear = int(sysctl(ns, "net.ipv4.tcp_syn_linear_timeouts"))
        if self.retransmits >= retry_until + linear:
            return True
        if not self.retransmits:
            return False
        thresh = (TCP_RTO_MAX / TCP_TIMEOUT_INIT).__floor__().bit_length() - 1   # ilog2()
        if retry_until <= thresh:
            timeout = ((2 << retry_until) - 1) * TCP_TIMEOUT_INIT
        else:
            timeout = ((2 << thresh) - 1) * TCP_TIMEOUT_INIT + \
                (retry_until - thresh) * TCP_RTO_MAX
        elapsed = int(round(self.stack.clock.now * 1000)) - int(round(self.retrans_stamp * 1000))
        return elapsed - int(timeout * 1000) >= 0

    # ----------------------------------------------------------------- ends
    def done(self, errno: int) -> None:
        """tcp_done(): the socket is closed; a failed open counts, the owner wakes."""
        if self.state in (TcpState.SYN_SENT, TcpState.SYN_RECV):
            tcp_of(self.stack).mib.inc("AttemptFails")
        self.state = TcpState.CLOSE
        self.err = errno
        self.stack.clock.cancel(self.delack)
        self.delack = None
        self.stack.clock.cancel(self.timer)
        self.timer = None
        tcp_of(self.stack).unhash(self)
        if self.owner is not None:
            self.stack.later(WAKE_DELAY, self.owner,
                             "tcp_data" if self.connected else "tcp_connect_done", self)

    def close(self) -> None:
        """tcp_close(): an established socket sends its FIN (FIN_WAIT1, or LAST_ACK
        after the peer's); a listener drops its queue; a SYN_SENT socket goes to CLOSE
        without a segment."""
        if self.rcvbuf and self.state in (TcpState.ESTABLISHED, TcpState.CLOSE_WAIT):
            self.abort()                    # tcp_close(): data_was_unread
            return
        self.owner = None
        if self.state in (TcpState.ESTABLISHED, TcpState.CLOSE_WAIT):
            if self.state == TcpState.ESTABLISHED:
                tcp_of(self.stack).mib.inc("CurrEstab", -1)
            self.state = TcpState.FIN_WAIT1 if self.state == TcpState.ESTABLISHED \
                else TcpState.LAST_ACK
            self.segment(TCPHDR_FIN | TCPHDR_ACK)        # tcp_send_fin()
            return
        if self.state == TcpState.LISTEN:
            for child in self.accept_queue:
                child.close()
            self.accept_queue = []
        if self.state != TcpState.CLOSE:
            self.state = TcpState.CLOSE
            self.stack.clock.cancel(self.timer)
            self.timer = None
            tcp_of(self.stack).unhash(self)

    def rcv_synsent(self, seg: P.Tcp) -> None:
        """tcp_rcv_synsent_state_process(): an ACK must cover our SYN (else a reset
        answers it); an acceptable RST refuses the connection."""
        if seg.flags & TCPHDR_ACK:
            if seg.ack != (self.isn + 1) & 0xFFFFFFFF:
                if not seg.flags & TCPHDR_RST:
                    tcp_of(self.stack).send_reset_for(self, seg)
                return
            if seg.flags & TCPHDR_RST:
                self.done(Errno.ECONNREFUSED)         # tcp_reset()
                return
            if seg.flags & TCPHDR_SYN:
                self._established(seg)
        # a bare RST or a crossing SYN: no state this model keeps changes

    def _peer_options(self, seg: P.Tcp) -> None:
        """tcp_parse_options(): the peer's MSS and its TS value."""
        opts, i = seg.options, 0
        while i < len(opts):
            kind = opts[i]
            if kind == 0:
                break
            if kind == 1:
                i += 1
                continue
            size = opts[i + 1] if i + 1 < len(opts) else 0
            if size < 2:
                break
            if kind == 2 and size == 4:
                self.peer_mss = int.from_bytes(opts[i + 2:i + 4], "big")
            elif kind == 8 and size == 10:
                self.ts_recent = int.from_bytes(opts[i + 2:i + 6], "big")
                self.peer_ts = True
            elif kind == 4 and size == 2:
                self.peer_sack = True
            elif kind == 3 and size == 3:
                self.peer_wscale = True
            i += size

    def _agree(self, seg: P.Tcp, passive: bool) -> None:
        """The options both ends offered, once the peer's SYN (SYN-ACK) is read: a SYN
        only offers what its sender's sysctls allow, and a SYN-ACK only what the SYN
        had, so one side's sysctls and the other's options decide. Window scaling
        off means no scale at all (rcv_wscale 0). ECN: tcp_ecn_create_request() (a
        SYN with ECE and CWR, tcp_ecn not 0) or tcp_ecn_rcv_synack() (we asked, the
        SYN-ACK has ECE without CWR)."""
        ns = self.stack.ns
        self.ts_ok = self.peer_ts and sysctl(ns, "net.ipv4.tcp_timestamps") != "0"
        self.sack_ok = self.peer_sack and sysctl(ns, "net.ipv4.tcp_sack") != "0"
        self.wscale_ok = self.peer_wscale and \
            sysctl(ns, "net.ipv4.tcp_window_scaling") != "0"
        if not self.wscale_ok:
            self.rcv_wscale = 0
        ece, cwr = bool(seg.flags & TCPHDR_ECE), bool(seg.flags & TCPHDR_CWR)
        if passive:
            self.ecn_ok = ece and cwr and sysctl(ns, "net.ipv4.tcp_ecn") != "0"
        else:
            self.ecn_ok = sysctl(ns, "net.ipv4.tcp_ecn") == "1" and ece and not cwr

    def _established(self, seg: P.Tcp) -> None:
        """tcp_rcv_synsent_state_process() for a SYN-ACK: ESTABLISHED, our ACK, the
        connecting program wakes."""
        self._peer_options(seg)
        self._agree(seg, passive=False)
        self.stack.clock.cancel(self.timer)
        self.timer = None
        self.rcv_nxt = (seg.seq + 1) & 0xFFFFFFFF
        self.snd_nxt = (self.isn + 1) & 0xFFFFFFFF
        self.state = TcpState.ESTABLISHED
        self.connected = True
        tcp_of(self.stack).mib.inc("CurrEstab")
        tcp_of(self.stack).mib.inc("TCPDelivered")      # tcp_ack() of our SYN
        self.snd_una = self.snd_nxt
        # tcp_finish_connect(): header prediction on at once only without a window
        # scale from the peer (else pred_flags 0 until tcp_fast_path_check())
        self.pred_window = None if self.wscale_ok else seg.window
        self.segment(TCPHDR_ACK)
        if self.owner is not None:
            self.stack.later(WAKE_DELAY, self.owner, "tcp_connect_done", self)

    def rcv_established(self, seg: P.Tcp) -> None:
        """tcp_rcv_state_process() past the handshake: a reset ends the socket; an ACK
        of our FIN moves the close on; in-order data and a FIN are queued and ACKed at
        once (quick-ack mode at the start of a connection); the owner wakes."""
        if seg.flags & TCPHDR_RST:
            if self.state in (TcpState.ESTABLISHED, TcpState.CLOSE_WAIT):
                tcp_of(self.stack).mib.inc("EstabResets")
            if self.state == TcpState.ESTABLISHED:
                tcp_of(self.stack).mib.inc("CurrEstab", -1)
            self.done(Errno.ECONNRESET)
            return
        self._peer_options(seg)
        if seg.flags & TCPHDR_SYN:
            return
        state = self.state
        self._ack_counts(seg, state)
        if state == TcpState.SYN_RECV and seg.flags & TCPHDR_ACK:
            if seg.ack != (self.isn + 1) & 0xFFFFFFFF:
                return
            self.snd_nxt = seg.ack
            self.state = TcpState.ESTABLISHED
            self.connected = True
            tcp_of(self.stack).mib.inc("CurrEstab")
            listener = self.listener
            if listener is not None and listener.state == TcpState.LISTEN:
                listener.accept_queue.append(self)    # inet_csk_reqsk_queue_add()
                if listener.owner is not None:
                    self.stack.later(WAKE_DELAY, listener.owner, "tcp_accept_ready",
                                     listener)
        if seg.flags & TCPHDR_ACK and self.__dict__.get("unacked"):
            self._delivered(seg.ack)
        fin_acked = seg.flags & TCPHDR_ACK and seg.ack == self.snd_nxt
        if fin_acked and state == TcpState.FIN_WAIT1:
            self.state = TcpState.FIN_WAIT2
        elif fin_acked and state == TcpState.CLOSING:
            self._time_wait()
        elif fin_acked and state == TcpState.LAST_ACK:
            tcp_update_metrics(self)          # tcp_rcv_state_process(): TCP_LAST_ACK
            self.done(0)
            return
        woke = False
        if seg.data and seg.seq == self.rcv_nxt and self.state in (
                TcpState.ESTABLISHED, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2):
            self.rcvbuf += seg.data
            self.rcv_nxt = (self.rcv_nxt + len(seg.data)) & 0xFFFFFFFF
            woke = True
        if seg.flags & TCPHDR_FIN and (seg.seq + len(seg.data)) & 0xFFFFFFFF == self.rcv_nxt:
            self.rcv_nxt = (self.rcv_nxt + 1) & 0xFFFFFFFF
            self.fin_rcvd = True                     # tcp_fin()
            woke = True
            if self.state == TcpState.ESTABLISHED:
                self.state = TcpState.CLOSE_WAIT
                tcp_of(self.stack).mib.inc("CurrEstab", -1)
            elif self.state == TcpState.FIN_WAIT1:
                self.state = TcpState.CLOSING
            elif self.state == TcpState.FIN_WAIT2:
                self.segment(TCPHDR_ACK)
                self._time_wait()
                return
        if woke:
            if self.state == TcpState.CLOSE_WAIT and not seg.data:
                # tcp_fin(): inet_csk_enter_pingpong_mode(): the FIN's ACK is
                # delayed, and rides on our own FIN when the program closes first
                clock = self.stack.clock
                if self.delack is None:
                    self.delack = clock.call_later(TCP_DELACK_MIN, self, "delack_timer")
            else:
                self.segment(TCPHDR_ACK)
            if self.owner is not None:
                self.stack.later(WAKE_DELAY, self.owner, "tcp_data", self)

    def _ack_counts(self, seg: P.Tcp, state) -> None:
        """tcp_ack()'s LINUX_MIB_TCPHPACKS and LINUX_MIB_TCPPUREACKS. An ESTABLISHED
        socket takes the fast path (tcp_rcv_established()) when the header matches
        its prediction (ACK alone but for PSH, the predicted window) and the segment
        is the next in sequence: an ACK that moves snd_una on is a predicted one
        (HPAcks), a pure one that does not a pure ACK. Anything else, and every other
        state (tcp_rcv_state_process()), goes the slow path, where each ACK without
        data, FIN or SYN is a pure ACK. An old ACK (before snd_una) or one beyond
        snd_nxt counts nothing. The slow path turns prediction on with the window
        the segment brought (tcp_ack_update_window() -> tcp_fast_path_check())."""
        una = self.__dict__.get("snd_una")
        if not seg.flags & TCPHDR_ACK or una is None and state != TcpState.SYN_RECV:
            return
        if una is None:
            una = (self.isn + 1) & 0xFFFFFFFF if \
                seg.ack == (self.isn + 1) & 0xFFFFFFFF else self.snd_nxt
        ack = seg.ack
        if 0 < (una - ack) & 0xFFFFFFFF < 0x80000000 or \
                0 < (ack - self.snd_nxt) & 0xFFFFFFFF < 0x80000000:
            return
        advanced = ack != una
        payload = bool(seg.data) or bool(seg.flags & (TCPHDR_FIN | TCPHDR_SYN))
        pred = self.__dict__.get("pred_window")
        fast = state == TcpState.ESTABLISHED and pred is not None and \
            seg.flags & ~TCPHDR_PSH == TCPHDR_ACK and seg.window == pred and \
            seg.seq == self.rcv_nxt
        mib = tcp_of(self.stack).mib
        if fast:
            if advanced:
                mib.inc("TCPHPAcks")
            elif not payload:
                mib.inc("TCPPureAcks")
        else:
            if not payload:
                mib.inc("TCPPureAcks")
            if state in (TcpState.ESTABLISHED, TcpState.SYN_RECV):
                self.pred_window = seg.window
        self.snd_una = ack

    def _delivered(self, ack: int) -> None:
        """tcp_ack() -> tcp_clean_rtx_queue(): the segments the ACK covers leave the
        retransmit queue, counted in LINUX_MIB_TCPDELIVERED (the SYN-ACK of a
        passive open is not in it: tcp_rcv_state_process() counts it in
        tp->delivered only)."""
        done = [end for end in self.unacked if (ack - end) & 0xFFFFFFFF < 0x80000000]
        if done:
            self.unacked = [end for end in self.unacked if end not in done]
            tcp_of(self.stack).mib.inc("TCPDelivered", len(done))
            # tcp_cong_control() -> tcp_slow_start(): each segment acked in the
            # initial slow start grows snd_cwnd by one
            self.acked_segs = self.__dict__.get("acked_segs", 0) + len(done)

    def delack_timer(self) -> None:
        """tcp_delack_timer(): the delayed ACK goes out."""
        self.delack = None
        if self.state in (TcpState.CLOSE_WAIT, TcpState.ESTABLISHED):
            self.segment(TCPHDR_ACK)

    def _time_wait(self) -> None:
        """tcp_time_wait(): TIME_WAIT for TCP_TIMEWAIT_LEN, then gone; scheduling
        its timer for more than 4 s counts LINUX_MIB_TIMEWAITED (`TW`,
        __inet_twsk_schedule())."""
        tcp_update_metrics(self)
        tcp_of(self.stack).mib.inc("TW")
        self.state = TcpState.TIME_WAIT
        self.owner = None
        clock = self.stack.clock
        clock.cancel(self.timer)
        self.timer_when = clock.now + TCP_TIMEWAIT_LEN
        self.timer = clock.call_at(self.timer_when, self, "time_wait_over")

    def timewait_syn(self, seg: P.Tcp) -> int:
        """tcp_timewait_state_process(): a SYN beyond the old connection (its
        sequence number after rcv_nxt, or its timestamp newer) ends the TIME_WAIT
        socket and opens a new one, whose ISN is the old snd_nxt + 65535 + 2
        (TCP_TW_SYN; recorded: the server's second SYN-ACK 65685 above the first
        after 147 bytes and a FIN); else 0 (the SYN stays the old socket's)."""
        newer = (seg.seq - self.rcv_nxt) & 0xFFFFFFFF
        tsval = _tsval_of(seg)
        if not (0 < newer < 0x80000000 or tsval is not None and self.ts_recent and
                0 < (tsval - self.ts_recent) & 0xFFFFFFFF < 0x80000000):
            return 0
        self.stack.clock.cancel(self.timer)
        self.time_wait_over()
        return ((self.snd_nxt + 65535 + 2) & 0xFFFFFFFF) or 1

    def time_wait_over(self) -> None:
        self.timer = None
        self.state = TcpState.CLOSE
        tcp_of(self.stack).unhash(self)


def _tsval_of(seg: P.Tcp) -> int | None:
    """The TS value of a segment's timestamps option (tcp_parse_options()), if any."""
    opts, i = seg.options, 0
    while i < len(opts) and opts[i] != 0:
        if opts[i] == 1:
            i += 1
            continue
        size = opts[i + 1] if i + 1 < len(opts) else 0
        if size < 2:
            break
        if opts[i] == 8 and size == 10:
            return int.from_bytes(opts[i + 2:i + 6], "big")
        i += size
    return None


def _siphash(key: int, *parts) -> int:
    """A keyed 32-bit hash of addresses and ports (the kernel's siphash stands
    here as blake2b: only its being keyed and fixed per tuple is seen)."""
    import hashlib
    data = b"".join(p.packed if hasattr(p, "packed") else int(p).to_bytes(2, "big")
                    for p in parts)
    return int.from_bytes(hashlib.blake2b(data, digest_size=4,
                                          key=key.to_bytes(8, "big")).digest(), "big")


@dataclass
class TcpTable:
    """A namespace's TCP sockets (the established hash, as far as connects go) and its
    counters."""

    socks: list = field(default_factory=list)
    mib: TcpMib = field(default_factory=TcpMib)
    stack: object = None
    # net_secret and ts_secret (secure_seq.c): keys of the hashes that make a
    # connection's initial sequence number and timestamp offset from its addresses;
    # taken from the first socket's random draws (0: none made yet)
    seq_secret: int = 0
    ts_secret: int = 0
    # the tcp_metrics cache (net/ipv4/tcp_metrics.c), newest entry first
    metrics: list = field(default_factory=list)

    def _keyed(self, sock: TcpSock) -> None:
        """secure_tcp_seq() and secure_tcp_ts_off(): the ISN is a keyed hash of the
        four-tuple plus the clock in 64 ns units, the TS offset one of the two
        addresses, so a new connection between the same ends starts beyond the last
        one (recorded: curl -L's second SYN from the same port, 1.5 ms later, has a
        sequence number 24543 higher and the same TS clock; a TIME_WAIT peer takes
        it, tcp_timewait_state_process())."""
        if not self.seq_secret:
            self.seq_secret, self.ts_secret = sock.isn or 1, sock.ts_off or 1
        now = int(self.stack.clock.now * 1e9) >> 6
        sock.isn = (_siphash(self.seq_secret, sock.src, sock.dst, sock.sport, sock.dport)
                    + now) & 0xFFFFFFFF
        sock.ts_off = _siphash(self.ts_secret, sock.src, sock.dst)

    def unhash(self, sock: TcpSock) -> None:
        if sock in self.socks:
            self.socks.remove(sock)

    def lookup(self, src, dst, sport: int, dport: int) -> TcpSock | None:
        """__inet_lookup_established(): the socket of a segment's four-tuple."""
        for sock in self.socks:
            if sock.sport == dport and sock.dport == sport and sock.dst == src and \
                    sock.src == dst and sock.state != TcpState.LISTEN:
                return sock
        return None

    def lookup_listener(self, dst, dport: int) -> TcpSock | None:
        """__inet_lookup_listener(): a listener on the port, bound to the address or
        to any; an AF_INET6 one on :: takes IPv4 too unless IPV6_V6ONLY."""
        best = None
        for sock in self.socks:
            if sock.state != TcpState.LISTEN or sock.sport != dport:
                continue
            if sock.family != dst.version and (dst.version == 6 or sock.v6only or
                                               not sock.src.is_unspecified):
                continue
            if sock.src == dst:
                return sock
            if sock.src.is_unspecified and best is None:
                best = sock
        return best

    def listen(self, addr, port: int, backlog: int, owner=None) -> TcpSock:
        """bind() + listen(): EADDRINUSE when a socket has the port on the same or
        the any address (inet_csk_get_port()); port 0 takes a free one."""
        if not addr.is_unspecified and not self._bindable(addr):
            raise KernelError(Errno.EADDRNOTAVAIL)
        for sock in self.socks:
            if sock.sport == port and sock.state == TcpState.LISTEN and (
                    sock.src == addr or sock.src.is_unspecified or addr.is_unspecified):
                raise KernelError(Errno.EADDRINUSE)
        bound = port != 0
        if port == 0:
            port = self._port(addr, addr, 0)
        any_ = ipaddress.ip_address("::" if addr.version == 6 else "0.0.0.0")
        sock = TcpSock(self.stack, addr, any_, port, 0, owner=owner)
        sock.bindport_lock = bound
        sock.congestion = sysctl(self.stack.ns, "net.ipv4.tcp_congestion_control")
        sock.state = TcpState.LISTEN
        sock.backlog = backlog
        # inet6_bind(): a specific (not v4-mapped) IPv6 address makes it IPv6-only
        sock.v6only = addr.version == 6 and not addr.is_unspecified and \
            addr.ipv4_mapped is None
        self.socks.append(sock)
        return sock

    def _bindable(self, addr) -> bool:
        """inet_bind(): a local, broadcast or multicast address (RTN_LOCAL...) unless
        ip_nonlocal_bind (a namespace whose local table is not made yet takes any: the
        lookup answers BROADCAST); inet6_bind(): one of the namespace's IPv6 addresses."""
        ns = self.stack.ns
        if addr.version == 4:
            if sysctl(ns, "net.ipv4.ip_nonlocal_bind") != "0":
                return True
            from ipemu.kernel.fib import RTN
            # __inet_dev_addr_type(): before the local table exists, anything goes
            return ns.inet_addr_type_dev_table(None, addr) in (RTN.LOCAL, RTN.BROADCAST,
                                                              RTN.MULTICAST)
        if sysctl(ns, "net.ipv6.ip_nonlocal_bind") != "0":
            return True
        return addr in ns.local_addresses()

    def syn_recv(self, listener: TcpSock, pkt, tw_isn: int = 0) -> None:
        """tcp_conn_request(): a request sock for the SYN and its SYN-ACK; `tw_isn`:
        the ISN a TIME_WAIT socket of the tuple chose (tcp_timewait_state_process())."""
        seg = pkt.payload
        if len(listener.accept_queue) > listener.backlog:
            return                                   # the accept queue is full: dropped
        child = TcpSock(self.stack, pkt.dst, pkt.src, seg.dport, seg.sport)
        self._keyed(child)
        if tw_isn:
            child.isn = tw_isn
        child.family = listener.family
        child.listener = listener
        child._peer_options(seg)
        child.rcv_nxt = (seg.seq + 1) & 0xFFFFFFFF
        child.snd_nxt = (child.isn + 1) & 0xFFFFFFFF
        child.state = TcpState.SYN_RECV
        # tcp_openreq_init_rwin(): the window in whole segments of the MSS less the
        # timestamp option when the SYN had one
        child._agree(seg, passive=True)
        self._init_window(child, 12 if child.ts_ok else 0)
        if not child.wscale_ok:
            child.rcv_wscale = 0        # tcp_select_initial_window() without wscale_ok
        self.socks.append(child)
        self.mib.inc("PassiveOpens")
        self.mib.inc("OutSegs")
        child.transmit(child._syn(child.rcv_nxt, TCPHDR_SYN | TCPHDR_ACK))

    def _port(self, src, dst, dport: int) -> int:
        """__inet_hash_connect(): a port of ip_local_port_range from a random offset,
        even ones first (odd ones are left to bind())."""
        low, high = _ints(self.stack.ns, "net.ipv4.ip_local_port_range")
        span = high - low + 1
        offset = self.stack.rng.randrange(span) & ~1
        for parity in (0, 1):
            for i in range(0, span, 2):
                port = low + (offset + i + parity) % span
                if not any(s.sport == port and s.dst == dst and s.dport == dport
                           for s in self.socks):
                    return port
        raise KernelError(Errno.EADDRNOTAVAIL)

    def connect(self, dst, dport: int, device=None, owner=None, sport: int = 0,
                tos: int = 0, source=None) -> TcpSock:
        """tcp_v4_connect() + tcp_connect(): the route (errors raised at once), then a
        SYN; the socket is SYN_SENT until a reset, an ICMP error or the timer ends it.
        `sport`: the port a bind() before the connect gave it (curl --local-port);
        `tos`: an IP_TOS/IPV6_TCLASS set before it (the SYN carries it); `source`: the
        address a bind() before the connect gave it (curl --interface ADDRESS), kept
        as the source once the route is found (ip_route_connect() with its saddr)."""
        stack = self.stack
        if dst.version == 4 and int(dst) == 0:
            dst = ipaddress.IPv4Address("127.0.0.1")       # INADDR_ANY is this host
        elif dst.version == 6 and dst.is_unspecified:
            dst = ipaddress.IPv6Address("::1")
        if dst.is_multicast or (dst.version == 4 and stack.is_broadcast(dst)):
            raise KernelError(Errno.ENETUNREACH)           # RTCF_MULTICAST|RTCF_BROADCAST
        if dst.version == 6 and dst.is_link_local and device is None:
            # tcp_v6_connect(): "Connect to link-local address requires an interface"
            # (no sin6_scope_id, no SO_BINDTODEVICE; recorded: curl's (7) and ssh's
            # `Invalid argument` for fe80::... without %DEV)
            raise KernelError(Errno.EINVAL)
        src = stack.connect_source(dst, device)
        if source is not None:
            if source.version == 4 and source.is_loopback and not dst.is_loopback and \
                    dst not in stack.ns.local_addresses():
                # __mkroute_output(): a loopback source on a route out of another
                # device is EINVAL (recorded: curl --interface localhost to a
                # neighbour, "Couldn't connect to server" at once)
                raise KernelError(Errno.EINVAL)
            src = source
        sock = TcpSock(stack, src, dst, sport or self._port(src, dst, dport), dport, device,
                       owner)
        sock.bindport_lock = bool(sport)
        sock.tos = tos
        self._keyed(sock)
        self._init_window(sock)
        self.socks.append(sock)
        sock.state = TcpState.SYN_SENT
        self.mib.inc("ActiveOpens")
        self.mib.inc("OutSegs")
        sock.sent_at = stack.clock.now
        sock.transmit(sock._syn())
        sock._arm(sock.rto)
        return sock

    def _init_window(self, sock: TcpSock, ts_len: int = 0) -> None:
        """tcp_connect_init(): advmss from the route's MTU (ipv4_default_advmss()), and
        tcp_select_initial_window()'s window and scale from the buffers."""
        ns = self.stack.ns
        mtu = self.stack.route_mtu(sock.dst, sock.device)
        if sock.dst.version == 4:
            sock.advmss = min(max(mtu - 40, 256), IPV4_MAX_PMTU - 40)
        else:
            # ip6_default_advmss(): past IPV6_MAXPLEN less the TCP header, "any" (65535)
            advmss = max(mtu - 60, 1220)
            sock.advmss = 65535 if advmss > 65535 - 20 else advmss
        # the route's own advmss metric first (recorded: `ip route change ... advmss
        # 1000` gives the SYN `mss 1000` and `win 65000`)
        sock.advmss = self.stack.route_advmss(sock.dst, sock.device) or sock.advmss
        rmem = _ints(ns, "net.ipv4.tcp_rmem")
        # tcp_full_space(): tcp_win_from_space() of the default receive buffer, at the
        # default scaling ratio of one half
        space = rmem[1] // 2
        clamp = 65535 << 14
        space = min(space, clamp)
        mss = sock.advmss - ts_len  # no ts_recent_stamp on a fresh connect
        if space > mss:
            space = space // mss * mss
        sock.rcv_wnd = min(space, 65535)
        sock.rcv_ssthresh = sock.rcv_wnd        # tcp_init_transfer(): rcv_ssthresh
        wide = max(space, rmem[2], int(sysctl(ns, "net.core.rmem_max")))
        wide = min(wide, clamp)
        sock.rcv_wscale = max(0, min(wide.bit_length() - 1 - 15, 14))

    # -------------------------------------------------------------- receive
    def rcv(self, pkt) -> None:
        """tcp_v4_rcv(): a segment for one of our addresses."""
        seg = pkt.payload
        self.mib.inc("InSegs")
        sock = self.lookup(pkt.src, pkt.dst, seg.sport, seg.dport)
        tw_isn = 0
        if sock is not None and sock.state == TcpState.TIME_WAIT and \
                seg.flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST) == TCPHDR_SYN:
            tw_isn = sock.timewait_syn(seg)
            if tw_isn:
                sock = None
        if sock is None:
            listener = self.lookup_listener(pkt.dst, seg.dport)
            if listener is not None and seg.flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST) \
                    == TCPHDR_SYN:
                self.syn_recv(listener, pkt, tw_isn)
                return
            self.send_reset(pkt)        # no socket, no listener
            return
        if sock.state == TcpState.SYN_SENT:
            sock.rcv_synsent(seg)
        elif sock.state not in (TcpState.CLOSE, TcpState.LISTEN, TcpState.TIME_WAIT):
            sock.rcv_established(seg)

    def send_reset(self, pkt) -> None:
        """tcp_v4_send_reset() without a socket: never for a RST; seq from the ACK,
        else an ACK of everything the segment occupied; window 0, IP id 0, DF."""
        seg = pkt.payload
        if seg.flags & TCPHDR_RST:
            return
        if seg.flags & TCPHDR_ACK:
            rst = P.Tcp(seg.dport, seg.sport, seg.ack, 0, TCPHDR_RST)
        else:
            length = len(seg.data) + bool(seg.flags & TCPHDR_SYN) + bool(seg.flags & TCPHDR_FIN)
            rst = P.Tcp(seg.dport, seg.sport, 0, (seg.seq + length) & 0xFFFFFFFF,
                        TCPHDR_RST | TCPHDR_ACK)
        self.mib.inc("OutSegs")
        self.mib.inc("OutRsts")
        # the segment's DSCP reflected (tcp_v4_send_reset()'s arg.tos = ip_hdr(skb)->tos,
        # ip_send_unicast_reply() without the ECN bits; tcp_v6_send_reset() passes
        # ipv6_get_dsfield() as the tclass): recorded, ssh's SYN of tos/class 0x10 or
        # 0xb8 is refused with a RST of the same
        if pkt.src.version == 4:
            self.stack.ip_output(P.Ipv4(pkt.dst, pkt.src, P.IPPROTO_TCP, rst, ttl=64, id=0,
                                        df=True, tos=pkt.tos & ~INET_ECN_MASK))
        else:
            # tcp_v6_send_response(): __tcp_v6_send_check() leaves the sum to offload
            rst.partial = True
            self.stack.ip6_output(P.Ipv6(pkt.dst, pkt.src, P.IPPROTO_TCP, rst,
                                         flow_label=self.stack.flow_label(pkt.dst, pkt.src),
                                         traffic_class=pkt.traffic_class & ~INET_ECN_MASK))

    def send_reset_for(self, sock: TcpSock, seg: P.Tcp) -> None:
        """A reset for an unacceptable ACK in SYN_SENT: seq is the ACK's number."""
        self.mib.inc("OutSegs")
        self.mib.inc("OutRsts")
        sock.transmit(P.Tcp(sock.sport, sock.dport, seg.ack, 0, TCPHDR_RST))

    def err(self, quoted: bytes, type_: int, code: int) -> None:
        """tcp_v4_err(): an ICMP error quoting a segment of a SYN_SENT socket ends its
        connect with the error's errno (a fragmentation-needed one only moves the MTU)."""
        sock = self._quoted_sock(quoted, 4)
        if sock is None:
            return
        if type_ == P.ICMP_DEST_UNREACH:
            if code == P.ICMP_FRAG_NEEDED or code >= len(ICMP_UNREACH_ERRNO):
                return
            errno = ICMP_UNREACH_ERRNO[code]
        elif type_ == P.ICMP_TIME_EXCEEDED:
            errno = Errno.EHOSTUNREACH
        else:
            return
        sock.done(errno)

    def err6(self, quoted: bytes, type_: int, code: int) -> None:
        """tcp_v6_err() -> icmpv6_err_convert(): no route, address and port unreachable,
        hop limit exceeded end a connect."""
        sock = self._quoted_sock(quoted, 6)
        if sock is None:
            return
        if type_ == P.ICMPV6_DEST_UNREACH:
            errno = {0: Errno.ENETUNREACH, 1: Errno.EACCES, 2: Errno.EHOSTUNREACH,
                     3: Errno.EHOSTUNREACH, 4: Errno.ECONNREFUSED}.get(code)
        elif type_ == P.ICMPV6_TIME_EXCEED:
            errno = Errno.EHOSTUNREACH
        else:
            errno = None
        if errno is not None:
            sock.done(errno)

    def _quoted_sock(self, quoted: bytes, family: int) -> TcpSock | None:
        """The SYN_SENT socket whose segment an ICMP error quotes."""
        if family == 4:
            ihl = (quoted[0] & 0x0F) * 4 if quoted else 0
            if len(quoted) < max(ihl, 20) + 8:
                return None
            src = ipaddress.IPv4Address(quoted[12:16])
            dst = ipaddress.IPv4Address(quoted[16:20])
        else:
            ihl = 40
            if len(quoted) < 48:
                return None
            src = ipaddress.IPv6Address(quoted[8:24])
            dst = ipaddress.IPv6Address(quoted[24:40])
        sport = int.from_bytes(quoted[ihl:ihl + 2], "big")
        dport = int.from_bytes(quoted[ihl + 2:ihl + 4], "big")
        sock = self.lookup(dst, src, dport, sport)
        if sock is None or sock.state != TcpState.SYN_SENT:
            return None
        return sock


TCP_INIT_CWND = 10          # include/net/tcp.h
# ipemu does not estimate RTTs (a lossless path answers at once): what the cache keeps
# is a veth pair's order of magnitude (recorded: tens of microseconds), in the kernel's
# scaled units (srtt_us << 3, mdev_us << 2)
SIM_SRTT_US = 40
SIM_RTTVAR_US = 20


@dataclass
class TcpMetric:
    """struct tcp_metrics_block: the destination and source addresses, the time it was
    made or last refreshed (tcpm_stamp), and the values that are set (tcpm_vals:
    TCP_METRIC_RTT and _RTTVAR in microseconds, CWND)."""

    daddr: object = None
    saddr: object = None
    stamp: float = 0.0
    cwnd: int = 0
    rtt_us: int = 0
    rttvar_us: int = 0


def tcp_update_metrics(sock) -> None:
    """tcp_update_metrics() (net/ipv4/tcp_metrics.c), called when a connection ends
    (tcp_time_wait(), the last ACK of LAST_ACK): unless tcp_no_metrics_save is set,
    the (daddr, saddr) entry is made (tcpm_new(): at the head of its chain) or found;
    the RTT and its variance are saved, and in the initial slow start the final
    snd_cwnd when it beats the saved one."""
    if not sock.__dict__.get("connected") or \
            sysctl(sock.stack.ns, "net.ipv4.tcp_no_metrics_save") != "0":
        return
    table = tcp_of(sock.stack)
    now = sock.stack.clock.now
    tm = next((m for m in table.metrics if m.daddr == sock.dst and m.saddr == sock.src),
              None)
    if tm is None:
        tm = TcpMetric(daddr=sock.dst, saddr=sock.src, stamp=now)
        table.metrics.insert(0, tm)
    tm.rtt_us = SIM_SRTT_US if tm.rtt_us <= SIM_SRTT_US else \
        tm.rtt_us - ((tm.rtt_us - SIM_SRTT_US) >> 3)
    tm.rttvar_us = max(tm.rttvar_us, SIM_RTTVAR_US)
    cwnd = TCP_INIT_CWND + sock.__dict__.get("acked_segs", 0)
    if cwnd > tm.cwnd:
        tm.cwnd = cwnd
    tm.stamp = now


def tcp_of(stack) -> TcpTable:
    """The namespace's TCP table (made on first use)."""
    table = stack.__dict__.get("tcp")
    if table is None:
        table = stack.__dict__["tcp"] = TcpTable(stack=stack)
    return table


def dump_order(socks) -> list:
    """inet_diag_dump_icsk() and tcp_seq_start(): the listening hash first, then the
    established one (TIME-WAIT sockets among them)."""
    return sorted(socks, key=lambda sock: sock.state != TcpState.LISTEN)


def shown_addr(sock, addr):
    """The address as the socket's family has it: an AF_INET6 socket's IPv4 peer is
    v4-mapped (::ffff:a.b.c.d)."""
    if sock.family == 6 and addr.version == 4:
        return ipaddress.IPv6Address(b"\0" * 10 + b"\xff\xff" + addr.packed)
    return addr


def addr_text(addr) -> str:
    """inet_ntop(): a v4-mapped IPv6 address ends in dotted quad (::ffff:10.1.1.2)."""
    if addr.version == 6 and addr.ipv4_mapped is not None:
        return f"::ffff:{addr.ipv4_mapped}"
    return str(addr)


def _hex_addr(addr) -> str:
    """An address as /proc/net/tcp prints it: each 32-bit word in host (little-endian)
    order, `%08X`."""
    packed = addr.packed
    return "".join(f"{int.from_bytes(packed[i:i + 4], 'little'):08X}"
                   for i in range(0, len(packed), 4))


def timer_state(sock, now: float) -> tuple[int, int]:
    """/proc/net/tcp's `tr:tm->when`: get_tcp4_sock()'s timer_active (1, the
    retransmit timer, when one is pending; 0 none) or get_timewait4_sock()'s 3 for a
    TIME_WAIT socket, and jiffies_delta_to_clock_t() of what is left, in USER_HZ
    (100) ticks."""
    if sock.timer is None:
        return 0, 0
    left = max(int((sock.timer_when - now) * 100), 0)
    return (3 if int(sock.state) == TcpState.TIME_WAIT else 1), left


def proc_tcp_lines(ns, family: int) -> list[str]:
    """get_tcp4_sock() / get_tcp6_sock(): a line per socket of the family."""
    table = ns.stack.__dict__.get("tcp")
    lines = []
    now = ns.clock.now
    for sock in dump_order(table.socks if table is not None else ()):
        if sock.family != family:
            continue
        active, left = timer_state(sock, now)
        state = int(sock.state)
        tx_queue = 1 if state == TcpState.SYN_SENT else 0
        if state == TcpState.TIME_WAIT:
            # get_timewait4_sock() / get_timewait6_sock(): a timewait sock has no
            # queues, uid, timeout or inode; tw_refcnt (3 while hashed and timed) and
            # the pointer end the line
            lines.append(
                f"{len(lines):4d}: {_hex_addr(shown_addr(sock, sock.src))}:{sock.sport:04X} "
                f"{_hex_addr(shown_addr(sock, sock.dst))}:{sock.dport:04X} {state:02X} "
                f"{0:08X}:{0:08X} {active:02X}:{left:08X} {0:08X} {0:5d} {0:8d} 0 3 "
                f"{sock.kptr:016x}")
            continue
        lines.append(
            f"{len(lines):4d}: {_hex_addr(shown_addr(sock, sock.src))}:{sock.sport:04X} "
            f"{_hex_addr(shown_addr(sock, sock.dst))}:{sock.dport:04X} {state:02X} "
            f"{tx_queue:08X}:{sock.rx_queue():08X} "
            f"{active:02X}:{left:08X} {sock.retransmits:08X} {0:5d} {0:8d} {sock.inode} "
            # sk_refcnt: a listener holds only its own (recorded: 1); the last field
            # is a listener's fastopenq.max_qlen (0 without TCP_FASTOPEN), otherwise
            # -1 while in the initial slow start (tcp_in_initial_slowstart())
            f"{1 if state == TcpState.LISTEN else 2} "
            f"{sock.kptr:016x} {int(sock.rto * 100)} 0 0 10 "
            f"{0 if state == TcpState.LISTEN else -1}")
    return lines
