"""The kernel's SNMP counters of one namespace (struct netns_mib: ip_statistics,
icmp_statistics, icmpmsg_statistics, udp_statistics, tcp_statistics, net_statistics and
their IPv6 twins), moved where the packet paths move them (IP_INC_STATS() and
friends: the one-line calls in stack.py), and the files that print them:
/proc/net/snmp (net/ipv4/proc.c snmp_seq_show()), /proc/net/netstat
(netstat_seq_show()) and /proc/net/snmp6 (net/ipv6/proc.c snmp6_seq_show()).

The field names and their order are the recording host's (Linux 6.x: OutTransmits,
OutRateLimitGlobal/Host); `nstat`, `netstat -s` and `ss -s` read these files.
"""
from __future__ import annotations

from ipemu.kernel.packet import l3_length
from ipemu.plainclass import dataclass, field

# snmp4_ipstats_list[] after Forwarding and DefaultTTL
IP_FIELDS = tuple("""
    InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards
    InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs
    ReasmFails FragOKs FragFails FragCreates OutTransmits
""".split())
# snmp4_net_list[]'s IpExt part (the same ipstats mib as Ip's)
IPEXT_FIELDS = tuple("""
    InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts
    InOctets OutOctets InMcastOctets OutMcastOctets InBcastOctets OutBcastOctets
    InCsumErrors InNoECTPkts InECT1Pkts InECT0Pkts InCEPkts ReasmOverlaps
""".split())
# icmpmibmap[]: the named ICMP columns, counted by message type (icmp_put())
ICMP_MAP = (("DestUnreachs", 3), ("TimeExcds", 11), ("ParmProbs", 12),
            ("SrcQuenchs", 4), ("Redirects", 5), ("Echos", 8), ("EchoReps", 0),
            ("Timestamps", 13), ("TimestampReps", 14), ("AddrMasks", 17),
            ("AddrMaskReps", 18))
ICMP_FIELDS = ("InMsgs", "InErrors", "InCsumErrors", "OutMsgs", "OutErrors",
               "OutRateLimitGlobal", "OutRateLimitHost")
TCP_FIELDS = tuple("""
    RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets
    CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors
""".split())
UDP_FIELDS = tuple("""
    InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors
    IgnoredMulti MemErrors
""".split())
# snmp6_ipstats_list[]
IP6_FIELDS = tuple("""
    InReceives InHdrErrors InTooBigErrors InNoRoutes InAddrErrors InUnknownProtos
    InTruncatedPkts InDiscards InDelivers OutForwDatagrams OutRequests OutDiscards
    OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates
    InMcastPkts OutMcastPkts InOctets OutOctets InMcastOctets OutMcastOctets
    InBcastOctets OutBcastOctets InNoECTPkts InECT1Pkts InECT0Pkts InCEPkts OutTransmits
""".split())
ICMP6_FIELDS = ("InMsgs", "InErrors", "OutMsgs", "OutErrors", "InCsumErrors",
                "OutRateLimitHost")
# icmp6type2name[]: the named ICMPv6 rows, by type
ICMP6_NAMES = {1: "DestUnreachs", 2: "PktTooBigs", 3: "TimeExcds", 4: "ParmProblems",
               128: "Echos", 129: "EchoReplies", 130: "GroupMembQueries",
               131: "GroupMembResponses", 132: "GroupMembReductions",
               133: "RouterSolicits", 134: "RouterAdvertisements", 135: "NeighborSolicits",
               136: "NeighborAdvertisements", 137: "Redirects", 143: "MLDv2Reports"}
UDP6_FIELDS = UDP_FIELDS
UDPLITE6_FIELDS = tuple(f for f in UDP_FIELDS if f != "IgnoredMulti")
TCPEXT_FIELDS = tuple("""
    SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled RcvPruned
    OfoPruned OutOfWindowIcmps LockDroppedIcmps ArpFilter TW TWRecycled TWKilled
    PAWSActive PAWSEstab BeyondWindow TSEcrRejected PAWSOldAck PAWSTimewait DelayedACKs
    DelayedACKLocked DelayedACKLost ListenOverflows ListenDrops TCPHPHits TCPPureAcks
    TCPHPAcks TCPRenoRecovery TCPSackRecovery TCPSACKReneging TCPSACKReorder
    TCPRenoReorder TCPTSReorder TCPFullUndo TCPPartialUndo TCPDSACKUndo TCPLossUndo
    TCPLostRetransmit TCPRenoFailures TCPSackFailures TCPLossFailures TCPFastRetrans
    TCPSlowStartRetrans TCPTimeouts TCPLossProbes TCPLossProbeRecovery
    TCPRenoRecoveryFail TCPSackRecoveryFail TCPRcvCollapsed TCPBacklogCoalesce
    TCPDSACKOldSent TCPDSACKOfoSent TCPDSACKRecv TCPDSACKOfoRecv TCPAbortOnData
    TCPAbortOnClose TCPAbortOnMemory TCPAbortOnTimeout TCPAbortOnLinger TCPAbortFailed
    TCPMemoryPressures TCPMemoryPressuresChrono TCPSACKDiscard TCPDSACKIgnoredOld
    TCPDSACKIgnoredNoUndo TCPSpuriousRTOs TCPMD5NotFound TCPMD5Unexpected TCPMD5Failure
    TCPSackShifted TCPSackMerged TCPSackShiftFallback TCPBacklogDrop PFMemallocDrop
    TCPMinTTLDrop TCPDeferAcceptDrop IPReversePathFilter TCPTimeWaitOverflow
    TCPReqQFullDoCookies TCPReqQFullDrop TCPRetransFail TCPRcvCoalesce TCPOFOQueue
    TCPOFODrop TCPOFOMerge TCPChallengeACK TCPSYNChallenge TCPFastOpenActive
    TCPFastOpenActiveFail TCPFastOpenPassive TCPFastOpenPassiveFail
    TCPFastOpenListenOverflow TCPFastOpenCookieReqd TCPFastOpenBlackhole
    TCPSpuriousRtxHostQueues BusyPollRxPackets TCPAutoCorking TCPFromZeroWindowAdv
    TCPToZeroWindowAdv TCPWantZeroWindowAdv TCPSynRetrans TCPOrigDataSent
    TCPHystartTrainDetect TCPHystartTrainCwnd TCPHystartDelayDetect TCPHystartDelayCwnd
    TCPACKSkippedSynRecv TCPACKSkippedPAWS TCPACKSkippedSeq TCPACKSkippedFinWait2
    TCPACKSkippedTimeWait TCPACKSkippedChallenge TCPWinProbe TCPKeepAlive TCPMTUPFail
    TCPMTUPSuccess TCPDelivered TCPDeliveredCE TCPAckCompressed TCPZeroWindowDrop
    TCPRcvQDrop TCPWqueueTooBig TCPFastOpenPassiveAltKey TcpTimeoutRehash
    TcpDuplicateDataRehash TCPDSACKRecvSegs TCPDSACKIgnoredDubious TCPMigrateReqSuccess
    TCPMigrateReqFailure TCPPLBRehash TCPAORequired TCPAOBad TCPAOKeyNotFound TCPAOGood
    TCPAODroppedIcmps
""".split())
MPTCPEXT_FIELDS = tuple("""
    MPCapableSYNRX MPCapableSYNTX MPCapableSYNACKRX MPCapableACKRX MPCapableFallbackACK
    MPCapableFallbackSYNACK MPCapableSYNTXDrop MPCapableSYNTXDisabled
    MPCapableEndpAttempt MPFallbackTokenInit MPTCPRetrans MPJoinNoTokenFound MPJoinSynRx
    MPJoinSynBackupRx MPJoinSynAckRx MPJoinSynAckBackupRx MPJoinSynAckHMacFailure
    MPJoinAckRx MPJoinAckHMacFailure MPJoinRejected MPJoinSynTx MPJoinSynTxCreatSkErr
    MPJoinSynTxBindErr MPJoinSynTxConnectErr DSSNotMatching DSSCorruptionFallback
    DSSCorruptionReset InfiniteMapTx InfiniteMapRx DSSNoMatchTCP DataCsumErr
    OFOQueueTail OFOQueue OFOMerge NoDSSInWindow DuplicateData AddAddr AddAddrTx
    AddAddrTxDrop EchoAdd EchoAddTx EchoAddTxDrop PortAdd AddAddrDrop MPJoinPortSynRx
    MPJoinPortSynAckRx MPJoinPortAckRx MismatchPortSynRx MismatchPortAckRx RmAddr
    RmAddrDrop RmAddrTx RmAddrTxDrop RmSubflow MPPrioTx MPPrioRx MPFailTx MPFailRx
    MPFastcloseTx MPFastcloseRx MPRstTx MPRstRx SubflowStale SubflowRecover
    SndWndShared RcvWndShared RcvWndConflictUpdate RcvWndConflict MPCurrEstab Blackhole
    MPCapableDataFallback MD5SigFallback DssFallback SimultConnectFallback
    FallbackFailed WinProbe
""".split())
# tcp_mib_init(): the constants of the Tcp row (RTO_ALGORITHM_VANJ, TCP_RTO_MIN and
# TCP_RTO_MAX in ms, MaxConn -1)
TCP_CONSTANTS = {"RtoAlgorithm": 1, "RtoMin": 200, "RtoMax": 120000, "MaxConn": -1}


def _zeros(names) -> dict:
    return dict.fromkeys(names, 0)


@dataclass
class Mib:
    """One namespace's counters, by the names the files print (ip holds Ip's and
    IpExt's, as the kernel's one ipstats mib does); icmpmsg is indexed by type, the
    outgoing ones at type | 0x100 (ICMPMSG_MIB_MAX)."""

    ip: dict = field(default_factory=lambda: _zeros(IP_FIELDS + IPEXT_FIELDS))
    icmp: dict = field(default_factory=lambda: _zeros(ICMP_FIELDS))
    icmpmsg: list = field(default_factory=lambda: [0] * 512)
    tcp: dict = field(default_factory=lambda: _zeros(TCP_FIELDS[4:]))
    udp: dict = field(default_factory=lambda: _zeros(UDP_FIELDS))
    udplite: dict = field(default_factory=lambda: _zeros(UDP_FIELDS))
    ip6: dict = field(default_factory=lambda: _zeros(IP6_FIELDS))
    icmp6: dict = field(default_factory=lambda: _zeros(ICMP6_FIELDS))
    icmp6msg: list = field(default_factory=lambda: [0] * 512)
    udp6: dict = field(default_factory=lambda: _zeros(UDP6_FIELDS))
    udplite6: dict = field(default_factory=lambda: _zeros(UDPLITE6_FIELDS))
    tcpext: dict = field(default_factory=lambda: _zeros(TCPEXT_FIELDS))
    # each inet6_dev's own counters (idev->stats: ipv6, icmpv6dev, icmpv6msgdev), by
    # ifindex: /proc/net/dev_snmp6/DEV, and `ip -6 -s addr`'s (ip6_dev_in())
    dev6: dict = field(default_factory=dict)


@dataclass
class Dev6Mib:
    """One inet6_dev's statistics (struct ipv6_devstat): what IP6_INC_STATS(net, idev,
    ...) and ICMP6_INC_STATS(net, idev, ...) count beside the namespace's."""

    ip6: dict = field(default_factory=lambda: _zeros(IP6_FIELDS))
    icmp6: dict = field(default_factory=lambda: _zeros(ICMP6_FIELDS))
    icmp6msg: list = field(default_factory=lambda: [0] * 512)


def dev6_of(mib: Mib, ifindex: int) -> Dev6Mib:
    """The device's counters (made on first use)."""
    try:
        table = mib.dev6
    except AttributeError:              # a state saved before the field was
        table = mib.__dict__["dev6"] = {}
    own = table.get(ifindex)
    if own is None:
        own = table[ifindex] = Dev6Mib()
    return own


def mib_of(stack) -> Mib:
    """The namespace's counters (made on first use: a namespace that never moved a
    packet prints zeros)."""
    try:
        return stack.mib
    except AttributeError:
        mib = stack.__dict__["mib"] = Mib()
        return mib


# ------------------------------------------------------------ the counting calls
# (IPv4's; each is one call at the place the kernel counts, in kernel/stack.py)
_ECN = ECN_KEYS = ("InNoECTPkts", "InECT1Pkts", "InECT0Pkts", "InCEPkts")
# inet_protos[] of the recording host: what ip_protocol_deliver_rcu() hands a handler
_INET_PROTOS = frozenset((1, 2, 4, 6, 17, 41, 47, 136))


def ip_rcv(stack, pkt) -> None:
    """ip_rcv_core(): every datagram the device hands IP (before any check), its
    octets and its ECN codepoint (IPSTATS_MIB_NOECTPKTS + (tos & INET_ECN_MASK))."""
    try:
        ip = stack.mib.ip
    except AttributeError:
        ip = mib_of(stack).ip
    ip["InReceives"] += 1
    ip["InOctets"] += l3_length(pkt)
    ip[_ECN[pkt.tos & 3]] += 1


def ip_rcv_cast(stack, pkt) -> None:
    """ip_rcv_finish_core(): a datagram whose input route is multicast or broadcast
    (IPSTATS_MIB_INMCAST, IPSTATS_MIB_INBCAST, with their octets)."""
    dst = int(pkt.dst)
    if dst >> 28 == 0xE:
        kind = "Mcast"
    elif dst == 0xFFFFFFFF or stack._addr_types.get(dst, 0) == 3 or \
            dst not in stack._addr_types and stack._addr_type(pkt.dst) == 3:
        kind = "Bcast"      # RTN_BROADCAST (inet_addr_type(), its answer kept)
    else:
        return
    ip = mib_of(stack).ip
    ip[f"In{kind}Pkts"] += 1
    ip[f"In{kind}Octets"] += l3_length(pkt)


def ip_local_out(stack, pkt, forwarded: bool) -> None:
    """__ip_local_out(): a datagram of ours that has its route (IPSTATS_MIB_OUTREQUESTS);
    an ICMP message is counted by type as ip_make_skb()/icmp_push_reply() count it
    (icmp_out_count())."""
    if forwarded:
        return
    mib = mib_of(stack)
    mib.ip["OutRequests"] += 1
    if pkt.proto == 1 and not pkt.frag_offset:
        mib.icmp["OutMsgs"] += 1
        mib.icmpmsg[0x100 | getattr(pkt.payload, "type", 0) & 0xFF] += 1


def ip_out(stack, pkt, broadcast: bool) -> None:
    """ip_finish_output2(): each datagram (each fragment) handed to a neighbour or a
    device (IPSTATS_MIB_OUT: OutTransmits and OutOctets), a multicast or broadcast
    route's counted apart too."""
    length = l3_length(pkt)
    try:
        ip = stack.mib.ip
    except AttributeError:
        ip = mib_of(stack).ip
    ip["OutTransmits"] += 1
    ip["OutOctets"] += length
    multicast = int(pkt.dst) >> 28 == 0xE
    if broadcast or multicast:
        kind = "Mcast" if multicast else "Bcast"
        ip[f"Out{kind}Pkts"] += 1
        ip[f"Out{kind}Octets"] += length


def ip_fragmented(stack, pieces: int) -> None:
    """ip_do_fragment(): IPSTATS_MIB_FRAGCREATES per piece, IPSTATS_MIB_FRAGOKS once."""
    if pieces > 1:
        ip = mib_of(stack).ip
        ip["FragCreates"] += pieces
        ip["FragOKs"] += 1


def ip_fragment_aborted(stack, pieces: int, sent: int) -> None:
    """ip_do_fragment() whose output() failed after `sent` pieces went out: what
    ip_fragmented() counted for all `pieces` is taken back to those, and the datagram
    counts IPSTATS_MIB_FRAGFAILS instead of IPSTATS_MIB_FRAGOKS."""
    if pieces > 1:
        ip = mib_of(stack).ip
        ip["FragCreates"] -= pieces - sent
        ip["FragOKs"] -= 1
        ip["FragFails"] += 1


def ip_out_discard(stack) -> None:
    """ip_send_skb(): a local datagram the device refused (NET_XMIT_DROP) counts
    IPSTATS_MIB_OUTDISCARDS."""
    mib_of(stack).ip["OutDiscards"] += 1


def ip_send_refused(stack, length: int, mtu: int, icmp_type: int | None) -> None:
    """ip_send_skb() of a datagram of `length` bytes whose first frame the device
    refused (NET_XMIT_DROP): counted out (__ip_local_out(), __ip_make_skb()'s
    icmp_out_count()), its first piece handed to the neighbour (ip_finish_output2()),
    a fragmented one failed (ip_do_fragment(): FRAGFAILS, nothing created), and the
    error discarded it (OUTDISCARDS)."""
    mib = mib_of(stack)
    ip = mib.ip
    ip["OutRequests"] += 1
    if icmp_type is not None:
        mib.icmp["OutMsgs"] += 1
        mib.icmpmsg[0x100 | icmp_type & 0xFF] += 1
    first = length
    if length > mtu:
        first = 20 + (mtu - 20) // 8 * 8       # the first piece ip_fragment() cuts
        ip["FragFails"] += 1
    ip["OutTransmits"] += 1
    ip["OutOctets"] += first
    ip["OutDiscards"] += 1


def ip_error(stack, errno: int) -> None:
    """ip_error() of a forwarding host: no route at all (ENETUNREACH) counts
    IPSTATS_MIB_INNOROUTES; an unreachable or prohibit route counts nothing."""
    if errno == 101:
        mib_of(stack).ip["InNoRoutes"] += 1


def ip_defrag(stack, whole: bool) -> None:
    """ip_defrag(): IPSTATS_MIB_REASMREQDS per fragment, REASMOKS per datagram."""
    ip = mib_of(stack).ip
    ip["ReasmOKs" if whole else "ReasmReqds"] += 1


def ip_local_deliver(stack, pkt) -> None:
    """ip_protocol_deliver_rcu(): IPSTATS_MIB_INDELIVERS for a protocol with a
    handler, INUNKNOWNPROTOS for the others; an ICMP message then meets icmp_rcv()
    (ICMP_MIB_INMSGS and ICMPMSGIN_INC_STATS(type))."""
    mib = mib_of(stack)
    proto = pkt.proto
    if proto == 1:
        mib.ip["InDelivers"] += 1
        mib.icmp["InMsgs"] += 1
        mib.icmpmsg[getattr(pkt.payload, "type", 0) & 0xFF] += 1
    else:
        mib.ip["InDelivers" if proto in _INET_PROTOS else "InUnknownProtos"] += 1


def udp_no_socket(stack, pkt) -> None:
    """__udp4_lib_rcv() with no socket for the datagram: UDP_MIB_NOPORTS (and the
    port unreachable) for one to an address of ours, UDP_MIB_IGNOREDMULTI for a
    broadcast or multicast one (__udp4_lib_mcast_deliver())."""
    if pkt.is_fragment:
        return
    dst = int(pkt.dst)
    cast = dst >> 28 == 0xE or dst == 0xFFFFFFFF or stack._addr_type(pkt.dst) == 3
    mib_of(stack).udp["IgnoredMulti" if cast else "NoPorts"] += 1


def no_route(stack, dst, errno: int) -> None:
    """A connect() without a route (__ip4_datagram_connect(), tcp_v4_connect(),
    ip6_dst_lookup_tail()): ENETUNREACH counts IPSTATS_MIB_OUTNOROUTES."""
    if errno == 101:
        mib = mib_of(stack)
        (mib.ip if dst.version == 4 else mib.ip6)["OutNoRoutes"] += 1


def ip_inc(stack, name: str, count: int = 1) -> None:
    """IP_INC_STATS(net, IPSTATS_MIB_<name>)."""
    mib_of(stack).ip[name] += count


def icmp_in(stack, type_: int) -> None:
    """icmp_rcv(): ICMP_MIB_INMSGS and ICMPMSGIN_INC_STATS(type)."""
    mib = mib_of(stack)
    mib.icmp["InMsgs"] += 1
    mib.icmpmsg[type_ & 0xFF] += 1


def icmp_out(stack, type_: int) -> None:
    """icmp_out_count(): ICMP_MIB_OUTMSGS and ICMPMSGOUT_INC_STATS(type)."""
    mib = mib_of(stack)
    mib.icmp["OutMsgs"] += 1
    mib.icmpmsg[0x100 | type_ & 0xFF] += 1


def udp_inc(stack, name: str, version: int = 4) -> None:
    """__UDP_INC_STATS() / __UDP6_INC_STATS()."""
    mib = mib_of(stack)
    (mib.udp if version == 4 else mib.udp6)[name] += 1


def tcp_inc(stack, name: str, count: int = 1) -> None:
    """TCP_INC_STATS()."""
    mib_of(stack).tcp[name] += count


_IP6_PROTOS = frozenset((6, 17, 58, 136))       # inet6_protos[]: TCP, UDP, ICMPv6, UDPLite


def _ip6_tables(mib: Mib, idev: int) -> tuple:
    """The ipstats tables an IP6_INC_STATS(net, idev, ...) moves: the namespace's, and
    the device's when there is one (idev 0: none, as for a NULL idev)."""
    if idev:
        return (mib.ip6, dev6_of(mib, idev).ip6)
    return (mib.ip6,)


def ip6_rcv(stack, pkt, ifindex: int = 0) -> None:
    """ip6_rcv_core(): IPSTATS_MIB_IN with its octets and the ECN codepoint, for every
    datagram the device hands IPv6 (a device with IPv6 disabled drops it after:
    INDISCARDS). The device's own inet6_dev counts them too."""
    mib = mib_of(stack)
    length = l3_length(pkt)
    ecn = _ECN[pkt.traffic_class & 3]
    for ip6 in _ip6_tables(mib, ifindex):
        ip6["InReceives"] += 1
        ip6["InOctets"] += length
        ip6[ecn] += 1


def ip6_mc_input(stack, pkt, ifindex: int = 0) -> None:
    """ip6_mc_input(): a multicast datagram that found its route counts
    IPSTATS_MIB_INMCAST with its octets (member of the group or not); one dropped
    before (no route yet: InNoRoutes, IPv6 disabled: InDiscards) does not (recorded:
    a router's port got 6 multicast packets, those before its ff00::/8 route count
    InNoRoutes only, the others InMcastPkts: tutorials41b_ipv6_mcast_in)."""
    length = l3_length(pkt)
    for ip6 in _ip6_tables(mib_of(stack), ifindex):
        ip6["InMcastPkts"] += 1
        ip6["InMcastOctets"] += length


def ip6_deliver(stack, dev, pkt, mine: bool, owner: int = 0) -> None:
    """ip6_input_finish() for a datagram of ours, or a multicast one of a group the
    device is in (ip6_mc_input(): ipv6_chk_mcast_addr()): IPSTATS_MIB_INDELIVERS,
    then the protocol's own counters (icmpv6_rcv(), __udp6_lib_rcv() with no
    socket). The device's own counts go to the route's inet6_dev (ip6_dst_idev():
    a local route's is the device `owner` that has the address, so a ping of our
    own address over lo counts there), ICMPv6's to icmp6_dev()'s (the arriving
    device, or that route's when it came over lo)."""
    if not mine and not (any(g.group == pkt.dst for g in dev.mc6) or
                         stack._mc_member(dev, pkt.dst)):
        return
    mib = mib_of(stack)
    proto = pkt.next_header
    idev = owner if mine and owner else dev.ifindex
    if proto not in _IP6_PROTOS:
        for ip6 in _ip6_tables(mib, idev):
            ip6["InUnknownProtos"] += 1
        return
    for ip6 in _ip6_tables(mib, idev):
        ip6["InDelivers"] += 1
    if proto == 58:
        icmp6_in(stack, pkt.payload.type, idev if dev.kind == "loopback" else dev.ifindex)
    elif proto == 17:
        mib.udp6["NoPorts" if mine else "IgnoredMulti"] += 1


def ip6_local_out(stack, pkt, idev: int = 0) -> None:
    """A datagram of ours that has its way out (ip6_xmit(), ip6_send_skb(),
    ndisc_send_skb(), mld_sendpack(): IPSTATS_MIB_OUTREQUESTS), an ICMPv6 message
    counted by type (ICMP6MSGOUT_INC_STATS()); `idev`: the route's device
    (ip6_dst_idev())."""
    for ip6 in _ip6_tables(mib_of(stack), idev):
        ip6["OutRequests"] += 1
    if pkt.next_header == 58:
        icmp6_out(stack, pkt.payload.type, idev)


def ip6_out(stack, pkt, idev: int = 0) -> None:
    """ip6_finish_output2(): IPSTATS_MIB_OUT (OutTransmits, OutOctets) and a
    multicast destination's IPSTATS_MIB_OUTMCAST."""
    length = l3_length(pkt)
    mcast = pkt.dst.is_multicast
    for ip6 in _ip6_tables(mib_of(stack), idev):
        ip6["OutTransmits"] += 1
        ip6["OutOctets"] += length
        if mcast:
            ip6["OutMcastPkts"] += 1
            ip6["OutMcastOctets"] += length


def ip6_output(stack, pkt, forwarded: bool, idev: int = 0) -> None:
    """ip6_output() of a routed datagram: ours counted as sent, then the output."""
    if not forwarded:
        ip6_local_out(stack, pkt, idev)
    ip6_out(stack, pkt, idev)


def ip6_send(stack, pkt, idev: int = 0) -> None:
    """A message the stack builds and hands the device itself (neighbour discovery,
    MLD): both the local-out and the output counts."""
    ip6_local_out(stack, pkt, idev)
    ip6_out(stack, pkt, idev)


def ip6_inc(stack, name: str, count: int = 1, idev: int = 0) -> None:
    """IP6_INC_STATS(net, idev, IPSTATS_MIB_<name>)."""
    for ip6 in _ip6_tables(mib_of(stack), idev):
        ip6[name] += count


def icmp6_in(stack, type_: int, idev: int = 0) -> None:
    """icmpv6_rcv(): ICMP6_MIB_INMSGS and ICMP6MSGIN_INC_STATS(type), the device's
    too (icmp6_dev())."""
    mib = mib_of(stack)
    mib.icmp6["InMsgs"] += 1
    mib.icmp6msg[type_ & 0xFF] += 1
    if idev:
        own = dev6_of(mib, idev)
        own.icmp6["InMsgs"] += 1
        own.icmp6msg[type_ & 0xFF] += 1


def icmp6_out(stack, type_: int, idev: int = 0) -> None:
    """icmp6_send()/ndisc_send_skb()/mld_sendpack(): ICMP6_MIB_OUTMSGS and
    ICMP6MSGOUT_INC_STATS(type), the device's too."""
    mib = mib_of(stack)
    mib.icmp6["OutMsgs"] += 1
    mib.icmp6msg[0x100 | type_ & 0xFF] += 1
    if idev:
        own = dev6_of(mib, idev)
        own.icmp6["OutMsgs"] += 1
        own.icmp6msg[0x100 | type_ & 0xFF] += 1


# ------------------------------------------------------------------ the files
def _row(name: str, heads, values) -> str:
    return (f"{name}: " + " ".join(heads) + "\n" + f"{name}: "
            + " ".join(str(v) for v in values) + "\n")


def proc_snmp(netns) -> str:
    """snmp_seq_show(): Ip (Forwarding 1 or 2, the default TTL), Icmp (its named
    columns from the per-type counts), IcmpMsg (the non-zero types, 16 a line), Tcp,
    Udp, UdpLite."""
    mib = mib_of(netns.stack)
    forwarding = 1 if netns.conf(4, "all", "forwarding") == "1" else 2
    ttl = int(netns.sysctls.get("net.ipv4.ip_default_ttl", "64"))
    out = [_row("Ip", ("Forwarding", "DefaultTTL") + IP_FIELDS,
                [forwarding, ttl] + [mib.ip[f] for f in IP_FIELDS])]
    icmp, msg = mib.icmp, mib.icmpmsg
    heads = ["InMsgs", "InErrors", "InCsumErrors"] + [f"In{n}" for n, _ in ICMP_MAP] + \
        ["OutMsgs", "OutErrors", "OutRateLimitGlobal", "OutRateLimitHost"] + \
        [f"Out{n}" for n, _ in ICMP_MAP]
    values = [icmp["InMsgs"], icmp["InErrors"], icmp["InCsumErrors"]] + \
        [msg[t] for _, t in ICMP_MAP] + \
        [icmp["OutMsgs"], icmp["OutErrors"], icmp["OutRateLimitGlobal"],
         icmp["OutRateLimitHost"]] + [msg[0x100 | t] for _, t in ICMP_MAP]
    out.append(_row("Icmp", heads, values))
    types = [i for i in range(512) if msg[i]]
    for start in range(0, len(types), 16):      # icmpmsg_put(): PERLINE 16
        chunk = types[start:start + 16]
        out.append(_row("IcmpMsg", [f"{'Out' if t & 0x100 else 'In'}Type{t & 0xFF}"
                                    for t in chunk], [msg[t] for t in chunk]))
    tcp = {**TCP_CONSTANTS, **mib.tcp}
    socks = netns.stack.__dict__.get("tcp")        # kernel/tcp.py keeps TCP's own counts
    if socks is not None:
        tcp.update((name, tcp[name] + socks.mib.get(name)) for name in TCP_FIELDS[4:])
    out.append(_row("Tcp", TCP_FIELDS, [tcp[f] for f in TCP_FIELDS]))
    out.append(_row("Udp", UDP_FIELDS, [mib.udp[f] for f in UDP_FIELDS]))
    out.append(_row("UdpLite", UDP_FIELDS, [mib.udplite[f] for f in UDP_FIELDS]))
    return "".join(out)


def proc_netstat(netns) -> str:
    """netstat_seq_show(): TcpExt, IpExt (the ipstats mib's extended part), MPTcpExt."""
    mib = mib_of(netns.stack)
    socks = netns.stack.__dict__.get("tcp")        # kernel/tcp.py's LINUX_MIB_TCP* counts
    ext = [mib.tcpext[f] + (socks.mib.get(f) if socks is not None else 0)
           for f in TCPEXT_FIELDS]
    return (_row("TcpExt", TCPEXT_FIELDS, ext)
            + _row("IpExt", IPEXT_FIELDS, [mib.ip[f] for f in IPEXT_FIELDS])
            + _row("MPTcpExt", MPTCPEXT_FIELDS, [0] * len(MPTCPEXT_FIELDS)))


def _line6(name: str, value: int) -> str:
    return f"{name:<32}\t{value}\n"        # snmp6_seq_show_item(): "%-32s\t%lu\n"


def _icmp6_lines(icmp6: dict, msg: list, fields=ICMP6_FIELDS) -> list[str]:
    """snmp6_seq_show_item(icmp6_list) and snmp6_seq_show_icmpv6(): the Icmp6 rows, the
    named types, then every non-zero type by number."""
    out = [_line6("Icmp6" + f, icmp6[f]) for f in fields]
    for i in range(512):
        name = ICMP6_NAMES.get(i & 0xFF)
        if name is not None:
            out.append(_line6(f"Icmp6{'Out' if i & 0x100 else 'In'}{name}", msg[i]))
    out += [_line6(f"Icmp6{'Out' if i & 0x100 else 'In'}Type{i & 0xFF}", msg[i])
            for i in range(512) if msg[i]]
    return out


def proc_snmp6(netns) -> str:
    """snmp6_seq_show(): Ip6, Icmp6 (the named types, then every non-zero type by
    number: snmp6_seq_show_icmpv6()), Udp6, UdpLite6."""
    mib = mib_of(netns.stack)
    out = [_line6("Ip6" + f, mib.ip6[f]) for f in IP6_FIELDS]
    out += _icmp6_lines(mib.icmp6, mib.icmp6msg)
    out += [_line6("Udp6" + f, mib.udp6[f]) for f in UDP6_FIELDS]
    out += [_line6("UdpLite6" + f, mib.udplite6[f]) for f in UDPLITE6_FIELDS]
    return "".join(out)


def proc_dev_snmp6(netns, dev) -> str:
    """snmp6_dev_seq_show(): /proc/net/dev_snmp6/DEV, the device's ifIndex, then its
    inet6_dev's Ip6 rows and Icmp6 rows (no Udp6: those are the namespace's only)."""
    own = dev6_of(mib_of(netns.stack), dev.ifindex)
    out = [_line6("ifIndex", dev.ifindex)]
    out += [_line6("Ip6" + f, own.ip6[f]) for f in IP6_FIELDS]
    # the device's icmpv6 mib stops before OutRateLimitHost (recorded: the device
    # file has no such row, /proc/net/snmp6 has it)
    out += _icmp6_lines(own.icmp6, own.icmp6msg, ICMP6_FIELDS[:-1])
    return "".join(out)


def forget_dev6(stack, ifindex: int) -> None:
    """in6_dev_finish_destroy(): a device's counters go with its inet6_dev (leaving
    the namespace, or deleted)."""
    getattr(mib_of(stack), "dev6", {}).pop(ifindex, None)


def ip6_dev_in(stack, ifindex: int) -> tuple[int, int]:
    """A device's inet6_dev InReceives and InOctets (0, 0 before any)."""
    found = getattr(mib_of(stack), "dev6", {}).get(ifindex)
    return (found.ip6["InReceives"], found.ip6["InOctets"]) if found else (0, 0)
