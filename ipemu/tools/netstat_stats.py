"""net-tools `netstat -s` (statistics.c of Debian 12's net-tools): the kernel's SNMP counters
(/proc/net/snmp and netstat, or with -6 snmp6 and snmp's Tcp rows) in words.

The tables are statistics.c's, in its order: printval() looks each counter up with
bsearch(3) and strcmp(), and where the order is not sorted the search misses, and
the counter is printed as `Name: value` ("try our best": `Forwarding: 2`), as the
recorded output shows. A kind: N a number, O a number printed only when not zero,
F Forwarding, I and U the ICMP input and output histograms, R the RTO algorithm;
`s` marks a static entry (never printed: print_static is 0), `t` a histogram's."""
from __future__ import annotations

from ipemu.tools.context import ToolContext

TABLES = {
    "IP": (
        ('DefaultTTL', 'Default TTL is {}', 'Ns'),
        ('Forwarding', 'Forwarding is {}', 'Fs'),
        ('ForwDatagrams', '{} forwarded', 'N'),
        ('FragCreates', '{} fragments created', 'O'),
        ('FragFails', '{} outgoing packets failed fragmentation', 'O'),
        ('FragOKs', '{} outgoing packets fragmented ok', 'O'),
        ('InAddrErrors', '{} with invalid addresses', 'O'),
        ('InDelivers', '{} incoming packets delivered', 'N'),
        ('InDiscards', '{} incoming packets discarded', 'N'),
        ('InHdrErrors', '{} with invalid headers', 'O'),
        ('InReceives', '{} total packets received', 'N'),
        ('InUnknownProtos', '{} with unknown protocol', 'O'),
        ('OutDiscards', '{} outgoing packets dropped', 'O'),
        ('OutNoRoutes', '{} dropped because of missing route', 'O'),
        ('OutRequests', '{} requests sent out', 'N'),
        ('ReasmFails', '{} packet reassemblies failed', 'O'),
        ('ReasmOKs', '{} packets reassembled ok', 'O'),
        ('ReasmReqds', '{} reassemblies required', 'O'),
        ('ReasmTimeout', '{} fragments dropped after timeout', 'O'),
    ),
    "IP6": (
        ('Ip6FragCreates', '{} fragments created', 'O'),
        ('Ip6FragFails', '{} outgoing packets failed fragmentation', 'O'),
        ('Ip6FragOKs', '{} outgoing packets fragmented ok', 'O'),
        ('Ip6InAddrErrors', '{} with invalid addresses', 'O'),
        ('Ip6InDelivers', '{} incoming packets delivered', 'N'),
        ('Ip6InDiscards', '{} incoming packets discarded', 'N'),
        ('Ip6InHdrErrors', '{} with invalid headers', 'O'),
        ('Ip6InMcastPkts', '{} incoming multicast packets', 'O'),
        ('Ip6InNoRoutes', '{} incoming packets with no route', 'O'),
        ('Ip6InReceives', '{} total packets received', 'N'),
        ('Ip6InTooBigErrors', '{} with packets too big', 'O'),
        ('Ip6InTruncatedPkts', '{} with truncated packets', 'O'),
        ('Ip6InUnknownProtos', '{} with unknown protocol', 'O'),
        ('Ip6OutDiscards', '{} outgoing packets dropped', 'O'),
        ('Ip6OutForwDatagrams', '{} forwarded', 'N'),
        ('Ip6OutMcastPkts', '{} outgoing multicast packets', 'O'),
        ('Ip6OutNoRoutes', '{} dropped because of missing route', 'O'),
        ('Ip6OutRequests', '{} requests sent out', 'N'),
        ('Ip6ReasmFails', '{} packet reassemblies failed', 'O'),
        ('Ip6ReasmOKs', '{} packets reassembled ok', 'O'),
        ('Ip6ReasmReqds', '{} reassemblies required', 'O'),
        ('Ip6ReasmTimeout', '{} fragments dropped after timeout', 'O'),
    ),
    "ICMP": (
        ('InAddrMaskReps', 'address mask replies: {}', 'It'),
        ('InAddrMasks', 'address mask request: {}', 'It'),
        ('InDestUnreachs', 'destination unreachable: {}', 'It'),
        ('InEchoReps', 'echo replies: {}', 'It'),
        ('InEchos', 'echo requests: {}', 'It'),
        ('InErrors', '{} input ICMP message failed', 'N'),
        ('InMsgs', '{} ICMP messages received', 'N'),
        ('InParmProbs', 'wrong parameters: {}', 'It'),
        ('InRedirects', 'redirects: {}', 'It'),
        ('InSrcQuenchs', 'source quenches: {}', 'It'),
        ('InTimeExcds', 'timeout in transit: {}', 'It'),
        ('InTimestampReps', 'timestamp reply: {}', 'It'),
        ('InTimestamps', 'timestamp request: {}', 'It'),
        ('OutAddrMaskReps', 'address mask replies: {}', 'Ut'),
        ('OutAddrMasks', 'address mask requests: {}', 'Ut'),
        ('OutDestUnreachs', 'destination unreachable: {}', 'Ut'),
        ('OutEchoReps', 'echo replies: {}', 'Ut'),
        ('OutEchos', 'echo requests: {}', 'Ut'),
        ('OutErrors', '{} ICMP messages failed', 'N'),
        ('OutMsgs', '{} ICMP messages sent', 'N'),
        ('OutParmProbs', 'wrong parameters: {}', 'Ut'),
        ('OutRedirects', 'redirect: {}', 'Ut'),
        ('OutSrcQuenchs', 'source quench: {}', 'Ut'),
        ('OutTimeExcds', 'time exceeded: {}', 'Ut'),
        ('OutTimestampReps', 'timestamp replies: {}', 'Ut'),
        ('OutTimestamps', 'timestamp requests: {}', 'Ut'),
    ),
    "ICMP6": (
        ('Icmp6InDestUnreachs', 'destination unreachable: {}', 'It'),
        ('Icmp6InEchoReplies', 'echo replies: {}', 'It'),
        ('Icmp6InEchos', 'echo requests: {}', 'It'),
        ('Icmp6InErrors', '{} input ICMP message failed', 'N'),
        ('Icmp6InGroupMembQueries', 'group member queries: {}', 'It'),
        ('Icmp6InGroupMembReductions', 'group member reductions: {}', 'It'),
        ('Icmp6InGroupMembResponses', 'group member responses: {}', 'It'),
        ('Icmp6InMsgs', '{} ICMP messages received', 'N'),
        ('Icmp6InNeighborAdvertisements', 'neighbour advertisement: {}', 'It'),
        ('Icmp6InNeighborSolicits', 'neighbour solicits: {}', 'It'),
        ('Icmp6InParmProblems', 'parameter problem: {}', 'It'),
        ('Icmp6InPktTooBigs', 'packets too big: {}', 'It'),
        ('Icmp6InRedirects', 'redirects: {}', 'It'),
        ('Icmp6InRouterAdvertisements', 'router advertisement: {}', 'It'),
        ('Icmp6InRouterSolicits', 'router solicits: {}', 'It'),
        ('Icmp6InTimeExcds', 'received ICMPv6 time exceeded: {}', 'It'),
        ('Icmp6OutDestUnreachs', 'destination unreachable: {}', 'Ut'),
        ('Icmp6OutEchoReplies', 'echo replies: {}', 'Ut'),
        ('Icmp6OutEchos', 'echo requests: {}', 'Ut'),
        ('Icmp6OutGroupMembQueries', 'group member queries: {}', 'Ut'),
        ('Icmp6OutGroupMembReductions', 'group member reductions: {}', 'Ut'),
        ('Icmp6OutGroupMembResponses', 'group member responses: {}', 'Ut'),
        ('Icmp6OutMsgs', '{} ICMP messages sent', 'N'),
        ('Icmp6OutNeighborAdvertisements', 'neighbor advertisements: {}', 'Ut'),
        ('Icmp6OutNeighborSolicits', 'neighbor solicits: {}', 'Ut'),
        ('Icmp6OutParmProblems', 'parameter problem: {}', 'Ut'),
        ('Icmp6OutPktTooBigs', 'packets too big: {}', 'Ut'),
        ('Icmp6OutRedirects', 'redirects: {}', 'Ut'),
        ('Icmp6OutRouterAdvertisements ', 'router advertisement: {}', 'Ut'),
        ('Icmp6OutRouterSolicits', 'router solicits: {}', 'Ut'),
        ('Icmp6OutTimeExcds', 'sent ICMPv6 time exceeded: {}', 'Ut'),
    ),
    "TCP": (
        ('ActiveOpens', '{} active connection openings', 'N'),
        ('AttemptFails', '{} failed connection attempts', 'N'),
        ('CurrEstab', '{} connections established', 'N'),
        ('EstabResets', '{} connection resets received', 'N'),
        ('InErrs', '{} bad segments received', 'N'),
        ('InSegs', '{} segments received', 'N'),
        ('MaxConn', '', 'N'),
        ('OutRsts', '{} resets sent', 'N'),
        ('OutSegs', '{} segments sent out', 'N'),
        ('PassiveOpens', '{} passive connection openings', 'N'),
        ('RetransSegs', '{} segments retransmitted', 'N'),
        ('RtoAlgorithm', 'RTO algorithm is {}', 'Rs'),
        ('RtoMax', '', 'N'),
        ('RtoMin', '', 'N'),
    ),
    "UDP": (
        ('InDatagrams', '{} packets received', 'N'),
        ('InErrors', '{} packet receive errors', 'N'),
        ('NoPorts', '{} packets to unknown port received', 'N'),
        ('OutDatagrams', '{} packets sent', 'N'),
        ('RcvbufErrors', '{} receive buffer errors', 'N'),
        ('SndbufErrors', '{} send buffer errors', 'N'),
    ),
    "UDP6": (
        ('Udp6InDatagrams', '{} packets received', 'N'),
        ('Udp6InErrors', '{} packet receive errors', 'N'),
        ('Udp6NoPorts', '{} packets to unknown port received', 'N'),
        ('Udp6OutDatagrams', '{} packets sent', 'N'),
    ),
    "TCPEXT": (
        ('DelayedACKLocked', '{} delayed acks further delayed because of locked socket', 'O'),
        ('DelayedACKLost', 'Quick ack mode was activated {} times', 'O'),
        ('DelayedACKs', '{} delayed acks sent', 'O'),
        ('EmbryonicRsts', '{} resets received for embryonic SYN_RECV sockets', 'O'),
        ('ListenDrops', '{} SYNs to LISTEN sockets dropped', 'O'),
        ('ListenOverflows', '{} times the listen queue of a socket overflowed', 'O'),
        ('LockDroppedIcmps', '{} ICMP packets dropped because socket was locked', 'O'),
        ('OfoPruned', '{} packets dropped from out-of-order queue because of socket buffer overrun', 'O'),
        ('OutOfWindowIcmps', '{} ICMP packets dropped because they were out-of-window', 'O'),
        ('PAWSActive', '{} active connections rejected because of time stamp', 'O'),
        ('PAWSEstab', '{} packets rejected in established connections because of timestamp', 'O'),
        ('PAWSPassive', '{} passive connections rejected because of time stamp', 'O'),
        ('PruneCalled', '{} packets pruned from receive queue because of socket buffer overrun', 'O'),
        ('RcvPruned', '{} packets pruned from receive queue', 'O'),
        ('SockMallocOOM', 'Ran {} times out of system memory during packet sending', 'O'),
        ('SyncookiesFailed', '{} invalid SYN cookies received', 'O'),
        ('SyncookiesRecv', '{} SYN cookies received', 'O'),
        ('SyncookiesSent', '{} SYN cookies sent', 'O'),
        ('TCPAbortFailed', '{} times unable to send RST due to no memory', 'O'),
        ('TCPAbortOnClose', '{} connections reset due to early user close', 'O'),
        ('TCPAbortOnData', '{} connections reset due to unexpected data', 'O'),
        ('TCPAbortOnLinger', '{} connections aborted after user close in linger timeout', 'O'),
        ('TCPAbortOnMemory', '{} connections aborted due to memory pressure', 'O'),
        ('TCPAbortOnSyn', '{} connections reset due to unexpected SYN', 'O'),
        ('TCPAbortOnTimeout', '{} connections aborted due to timeout', 'O'),
        ('TCPDirectCopyFromBacklog', '{} bytes directly in process context from backlog', 'O'),
        ('TCPDirectCopyFromPrequeue', '{} bytes directly received in process context from prequeue', 'O'),
        ('TCPDSACKOfoRecv', '{} DSACKs for out of order packets received', 'O'),
        ('TCPDSACKOfoSent', '{} DSACKs sent for out of order packets', 'O'),
        ('TCPDSACKOldSent', '{} DSACKs sent for old packets', 'O'),
        ('TCPDSACKRecv', '{} DSACKs received', 'O'),
        ('TCPDSackUndo', '{} congestion window recovered without slow start using DSACK', 'O'),
        ('TCPDSACKUndo', '{} congestion windows recovered without slow start by DSACK', 'O'),
        ('TCPFACKReorder', 'Detected reordering {} times using FACK', 'O'),
        ('TCPFastRetrans', '{} fast retransmits', 'O'),
        ('TCPForwardRetrans', '{} forward retransmits', 'O'),
        ('TCPFullUndo', '{} congestion windows fully recovered without slow start', 'O'),
        ('TCPHPAcks', '{} predicted acknowledgments', 'O'),
        ('TCPHPHits', '{} packet headers predicted', 'N'),
        ('TCPHPHitsToUser', '{} packet headers predicted and directly queued to user', 'O'),
        ('TCPLossFailures', '{} timeouts in loss state', 'O'),
        ('TCPLoss', '{} TCP data loss events', 'O'),
        ('TCPLossUndo', '{} congestion windows recovered without slow start after partial ack', 'O'),
        ('TCPLostRetransmits', '{} retransmits lost', 'O'),
        ('TCPMemoryPressures', 'TCP ran low on memory {} times', 'O'),
        ('TCPPartialUndo', '{} congestion windows partially recovered using Hoe heuristic', 'O'),
        ('TCPPrequeued', '{} packets directly queued to recvmsg prequeue', 'O'),
        ('TCPPrequeueDropped', '{} packets dropped from prequeue', 'O'),
        ('TCPPureAcks', '{} acknowledgments not containing data payload received', 'O'),
        ('TCPRcvCollapsed', '{} packets collapsed in receive queue due to low socket buffer', 'O'),
        ('TCPRenoFailures', '{} timeouts after reno fast retransmit', 'O'),
        ('TCPRenoRecoveryFailed', '{} reno fast retransmits failed', 'O'),
        ('TCPRenoRecoveryFail', '{} classic Reno fast retransmits failed', 'O'),
        ('TCPRenoRecovery', '{} times recovered from packet loss due to fast retransmit', 'O'),
        ('TCPRenoReorder', 'Detected reordering {} times using reno fast retransmit', 'O'),
        ('TCPSackFailures', '{} timeouts after SACK recovery', 'O'),
        ('TCPSackRecoveryFail', '{} SACK retransmits failed', 'O'),
        ('TCPSackRecovery', '{} times recovered from packet loss by selective acknowledgements', 'O'),
        ('TCPSACKReneging', '{} bad SACK blocks received', 'O'),
        ('TCPSACKReorder', 'Detected reordering {} times using SACK', 'O'),
        ('TCPSchedulerFailed', '{} times receiver scheduled too late for direct processing', 'O'),
        ('TCPSlowStartRetrans', '{} retransmits in slow start', 'O'),
        ('TCPTimeouts', '{} other TCP timeouts', 'O'),
        ('TCPTSReorder', 'Detected reordering {} times using time stamp', 'O'),
        ('TWKilled', '{} TCP sockets finished time wait in slow timer', 'O'),
        ('TW', '{} TCP sockets finished time wait in fast timer', 'O'),
        ('TWRecycled', '{} time wait sockets recycled by time stamp', 'O'),
    ),
    "SCTP": (
        ('SctpAborteds', '{} Number of Aborteds ', 'N'),
        ('SctpActiveEstabs', '{} Active Associations', 'N'),
        ('SctpChecksumErrors', '{} Number of Packets with invalid Checksum', 'N'),
        ('SctpCurrEstab', '{} Current Associations', 'N'),
        ('SctpFragUsrMsgs', '{} Number of messages fragmented', 'N'),
        ('SctpInCtrlChunks', '{} Number of control chunks received', 'N'),
        ('SctpInOrderChunks', '{} Number of ordered chunks received', 'N'),
        ('SctpInSCTPPacks', '{} Number of SCTP packets received', 'N'),
        ('SctpInUnorderChunks', '{} Number of Unordered chunks received', 'N'),
        ('SctpOutCtrlChunks', '{} Number of control chunks sent', 'N'),
        ('SctpOutOfBlues', '{} Number of Out of Blue packets', 'N'),
        ('SctpOutOrderChunks', '{} Number of ordered chunks sent', 'N'),
        ('SctpOutSCTPPacks', '{} Number of SCTP packets sent', 'N'),
        ('SctpOutUnorderChunks', '{} Number of Unordered chunks sent', 'N'),
        ('SctpPassiveEstabs', '{} Passive Associations', 'N'),
        ('SctpReasmUsrMsgs', '{} Number of messages reassembled ', 'N'),
        ('SctpShutdowns', '{} Number of Graceful Terminations', 'N'),
    ),}
# states[]: each state's indent and title
INDENT = {"N": 4, "O": 4, "F": 4, "I": 8, "U": 8, "R": 4}
TITLES = {"I": "ICMP input histogram:", "U": "ICMP output histogram:"}
# snmptabs[] and snmp6tabs[]: a table's name, its entries and the flag that shows it
SNMP_TABS = {"Ip": ("IP", "raw"), "Icmp": ("ICMP", "raw"), "Tcp": ("TCP", "tcp"),
             "Udp": ("UDP", "udp"), "Sctp": ("SCTP", "sctp"), "TcpExt": ("TCPEXT", "tcp")}
SNMP6_TABS = {"Ip6": ("IP6", "raw"), "Icmp6": ("ICMP6", "raw"), "Udp6": ("UDP6", "udp"),
              "Tcp6": ("TCP", "tcp")}


class _Printer:
    """printval() and newtable() with their static state."""

    def __init__(self, flags: dict[str, bool]):
        self.flags = {**flags, "unknown": True}
        self.state = "N"
        self.out: list[str] = []

    def newtable(self, tabs: dict, title: str) -> tuple[tuple, str]:
        if title in tabs:
            table, flag = tabs[title]
            if self.flags[flag]:
                self.out.append(f"{title}:\n")
            self.state = "N"
            return TABLES[table], flag
        self.out.append(f"{title}:\n")      # the dummy table: f_unknown
        return (), "unknown"

    def printval(self, table: tuple, title: str, value: int) -> None:
        entry = _bsearch(table, title)
        if entry is None:
            if value:
                self.out.append(f"{' ' * INDENT[self.state]}{title}: {value}\n")
            return
        _, fmt, code = entry
        kind = code[0]
        if "s" in code or not fmt:
            return                  # I_STATIC (print_static 0), or no text
        if "t" in code and self.state != kind:
            self.out.append(f"{' ' * INDENT[self.state]}{TITLES[kind]}\n")
        text = ""
        if kind == "N" or kind == "O" and value:
            text = fmt.format(value)
        elif kind in "IU" and value > 0:
            text = fmt.format(value)
        if text:
            self.out.append(f"{' ' * INDENT[kind]}{text}\n")
        self.state = kind


def _bsearch(table: tuple, title: str):
    """glibc's bsearch() with strcmp() over the table as written."""
    low, high = 0, len(table)
    while low < high:
        mid = (low + high) // 2
        name = table[mid][0]
        if title < name:
            high = mid
        elif title > name:
            low = mid + 1
        else:
            return table[mid]
    return None


def _process(p: _Printer, text: str, only: str | None = None) -> None:
    """process_fd(): pairs of `Title: names` / `Title: values` lines."""
    lines = text.splitlines()
    for heads, values in zip(lines[0::2], lines[1::2]):
        title, _, names = heads.partition(":")
        if only is not None and not title.startswith(only):
            continue
        table, flag = p.newtable(SNMP_TABS, title)
        if not p.flags[flag]:
            continue
        numbers = values.partition(":")[2].split()
        for i, name in enumerate(names.split()):
            number = int(numbers[i]) % (1 << 64) if i < len(numbers) else 0
            p.printval(table, name, number)


def _process6(p: _Printer, text: str) -> None:
    """process6_fd(): a new table whenever a name does not hold the current title
    (the name up to its first `6`)."""
    title = None
    table, flag = (), "unknown"
    for line in text.splitlines():
        words = line.split()
        if len(words) < 2:
            continue
        name, value = words[0], int(words[1])
        if title is None or title not in name:
            cut = name.find("6")
            title = name if cut < 0 else name[:cut + 1]
            table, flag = p.newtable(SNMP6_TABS, title)
        if p.flags[flag]:
            p.printval(table, name, value)


def statistics(ctx: ToolContext, families: list[str], flags: dict[str, bool]) -> int:
    """main()'s flag_sta branch: inet (the default) or inet6, else no support."""
    afname = ",".join(families) or "inet"
    p = _Printer(flags)
    read = ctx.session.open_text
    if afname == "inet":
        _process(p, read("/proc/net/snmp", ctx.netns))
        _process(p, read("/proc/net/netstat", ctx.netns))
    elif afname == "inet6":
        _process6(p, read("/proc/net/snmp6", ctx.netns))
        _process(p, read("/proc/net/snmp", ctx.netns), only="Tcp")
    else:
        ctx.term.out(f"netstat: No statistics support for specified address family: "
                     f"{afname}\n")
        return 1
    ctx.term.out("".join(p.out))
    return 0
