"""tcpdump's protocol printers, from the link layer to UDP/TCP, as text.

One `Dissector` walks one frame the way tcpdump 4.99.3 does (print-ether.c,
print-sll.c, print-null.c, print-arp.c, print-ip.c, print-ip6.c, print-ip6opts.c,
print-rt6.c, print-frag6.c, print-udp.c, print-tcp.c; ICMP is in icmp.py, ICMPv6 in
icmp6.py, MPTCP options in mptcp.py, payloads in dns.py, bootp.py, ntp.py, syslog.py,
rip.py and snmp.py): each function appends exactly the text
its C counterpart prints, so the order of fields, separators and the quirks (which
lengths are printed, where `-v` adds a line) follow the C code. Reading past the
captured bytes raises `Truncated`, which the caller turns into ` [|proto]`.
"""
from __future__ import annotations

import struct
from collections.abc import Mapping

from ipemu.plainclass import dataclass, field
from ipemu.tcpdump import names

# Link-layer header types (LINKTYPE_* of pcap files).
LINKTYPE_NULL = 0            # BSD loopback: a 4-byte address family in host order
LINKTYPE_ETHERNET = 1
LINKTYPE_DLT_RAW = 12        # DLT_RAW as a file's link type (libpcap reads it as RAW)
LINKTYPE_LOOP = 108          # OpenBSD loopback: the family in network order
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276

ETHERTYPE_IP = 0x0800
ETHERTYPE_ARP = 0x0806
ETHERTYPE_REVARP = 0x8035
ETHERTYPE_IPV6 = 0x86DD
ETHERTYPE_8021Q = 0x8100
VLAN_ETHERTYPES = (0x8100, 0x9100, 0x9200, 0x88A8)
MAX_ETHERNET_LENGTH_VAL = 1500

IPPROTO_HOPOPTS = 0
IPPROTO_ICMP = 1
IPPROTO_TCP = 6
IPPROTO_UDP = 17
IPPROTO_ROUTING = 43
IPPROTO_FRAGMENT = 44
IPPROTO_ICMPV6 = 58
IPPROTO_NONE = 59
IPPROTO_DSTOPTS = 60
IPPROTO_MOBILITY_OLD = 62
IPPROTO_MOBILITY = 135


class Truncated(Exception):
    """A printer needed bytes beyond the captured data (tcpdump's nd_trunc_longjmp)."""


@dataclass
class PrintOptions:
    """The tcpdump flags that change how a packet is printed (counts, as `-vv` is 2)."""
    nflag: int = 0        # -n: no host, port or protocol names
    eflag: int = 0        # -e: link-level header
    vflag: int = 0        # -v, -vv, -vvv
    qflag: int = 0        # -q: quieter
    tflag: int = 0        # 0 time of day, 1 -t none, 2 -tt epoch, 3 -ttt delta, 4 -tttt date, 5 since first
    xflag: int = 0        # -x (1) / -xx (2): hex
    Xflag: int = 0        # -X (1) / -XX (2): hex and ASCII
    Aflag: int = 0        # -A (1) / -AA (2): ASCII
    Sflag: int = 0        # -S: absolute TCP sequence numbers
    Kflag: int = 0        # -K: no IP, TCP or UDP checksum verification
    nano: int = 0         # --nano / --time-stamp-precision=nano: stamps in nanoseconds
    packettype: str = ""  # -T TYPE (lower case): UDP/TCP payloads printed as TYPE
    bflag: int = 0        # -b: BGP's 4-byte AS numbers in asdot notation
    Hflag: int = 0        # -H: 802.11s mesh headers in QoS data frames
    # Names printed without -n: address text -> name, as the host's /etc/hosts would
    # answer (ipemu does no DNS; in an isolated namespace real lookups fail at once).
    hosts: Mapping[str, str] = field(default_factory=dict)
    # LINUX_SLL2 frames name their interface: ifindex -> name in the reader's namespace.
    ifnames: Mapping[int, str] = field(default_factory=dict)

    @property
    def suppress_default_print(self) -> bool:
        # -q, -x and -X count up ndo_suppress_default_print (tcpdump.c); -A does not
        return bool(self.xflag or self.Xflag or self.qflag)


@dataclass
class PrintState:
    """What tcpdump remembers from packet to packet: TCP initial sequence numbers
    (relative seq/ack) and the -ttt reference."""
    tcp_seq: dict = field(default_factory=dict)
    # print-isakmp.c's cookiecache[] and ninitiator: (cookie, IP version, initiator and
    # responder addresses) of the IKEv1 exchanges seen, in a ring of 20
    isakmp_cookies: list = field(default_factory=list)
    isakmp_next: int = 0
    # print-sl.c's lastlen[2][256] (by direction and connection) and lastconn
    slip_lastlen: dict = field(default_factory=dict)
    slip_lastconn: int = 255
    # print-nfs.c's xid_map[64] (xid, IP version, client, server, proc, version of the
    # requests seen), xid_map_next and xid_map_hint
    nfs_xid_map: list = field(default_factory=list)
    nfs_xid_next: int = 0
    nfs_xid_hint: int = 0


def in_cksum(data: bytes) -> int:
    """The Internet checksum of data as tcpdump's in_cksum(): 0 when the sum is right."""
    if len(data) & 1:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF


def in_cksum_shouldbe(sum_: int, computed: int) -> int:
    """The checksum field value that would have been right (in_cksum_shouldbe)."""
    shouldbe = sum_ + computed
    shouldbe = (shouldbe & 0xFFFF) + (shouldbe >> 16)
    shouldbe = (shouldbe & 0xFFFF) + (shouldbe >> 16)
    return shouldbe & 0xFFFF


def ip6addr_string_raw(b: bytes) -> str:
    """addrtostr6(): RFC 5952-like, but a run of one zero group is not shortened and
    ::a.b.c.d / ::ffff:a.b.c.d keep their dotted tail."""
    words = struct.unpack("!8H", b)
    best_base, best_len, cur_base, cur_len = -1, 0, -1, 0
    for i, w in enumerate(words):
        if w == 0:
            if cur_base == -1:
                cur_base, cur_len = i, 1
            else:
                cur_len += 1
        elif cur_base != -1:
            if best_base == -1 or cur_len > best_len:
                best_base, best_len = cur_base, cur_len
            cur_base = -1
    if cur_base != -1 and (best_base == -1 or cur_len > best_len):
        best_base, best_len = cur_base, cur_len
    if best_base != -1 and best_len < 2:
        best_base = -1
    out = []
    for i, w in enumerate(words):
        if best_base != -1 and best_base <= i < best_base + best_len:
            if i == best_base:
                out.append(":")
            continue
        if i != 0:
            out.append(":")
        if i == 6 and best_base == 0 and (best_len == 6 or (best_len == 5 and words[5] == 0xFFFF)):
            out.append(".".join(str(x) for x in b[12:]))
            break
        out.append(f"{w:x}")
    if best_base != -1 and best_base + best_len == 8:
        out.append(":")
    return "".join(out)


def tok2str(table: Mapping[int, str], fmt: str, value: int) -> str:
    name = table.get(value)
    if name is not None:
        return name
    return fmt % value if "%" in fmt else fmt


def bittok2str(table: list[tuple[int, str]], fmt: str, value: int, sep: str = ", ") -> str:
    found = [s for v, s in table if v and (value & v) == v]
    if not found:
        return fmt % value if "%" in fmt else fmt
    return sep.join(found)


class Dissector:
    """The state of printing one frame: options, the bytes, the output so far, the
    current snapshot end (tcpdump's ndo_snapend, narrowed by nd_push_snaplen)."""

    def __init__(self, opts: PrintOptions, data: bytes, state: PrintState | None = None):
        self.opts = opts
        self.data = data
        self.snapend = len(data)
        self._snap_stack: list[int] = []
        self.out: list[str] = []
        self.protocol = ""
        self.ll_hdr_len = 0
        self.state = state if state is not None else PrintState()

    # -- output and bounds -------------------------------------------------
    def p(self, text: str) -> None:
        self.out.append(text)

    def ttest(self, off: int, n: int) -> bool:
        return 0 <= off and off + n <= self.snapend

    def need(self, off: int, n: int) -> None:
        if not self.ttest(off, n):
            raise Truncated()

    def u8(self, off: int) -> int:
        self.need(off, 1)
        return self.data[off]

    def u16(self, off: int) -> int:
        self.need(off, 2)
        return (self.data[off] << 8) | self.data[off + 1]

    def u32(self, off: int) -> int:
        self.need(off, 4)
        return int.from_bytes(self.data[off:off + 4], "big")

    def bytes_(self, off: int, n: int) -> bytes:
        self.need(off, n)
        return self.data[off:off + n]

    def avail(self, off: int) -> int:
        return max(0, self.snapend - off)

    def nd_print_trunc(self) -> None:
        """nd_print_trunc() without the longjmp: a printer's `goto trunc`."""
        self.p(f" [|{self.protocol}]")

    def push_snaplen(self, off: int, length: int) -> None:
        self._snap_stack.append(self.snapend)
        self.snapend = min(self.snapend, off + length)

    def pop_snaplen(self) -> None:
        if self._snap_stack:
            self.snapend = self._snap_stack.pop()

    def pop_all(self) -> None:
        if self._snap_stack:
            self.snapend = self._snap_stack[0]
            self._snap_stack.clear()

    # -- names -------------------------------------------------------------
    def ipaddr_string(self, off: int) -> str:
        text = ".".join(str(b) for b in self.bytes_(off, 4))
        if not self.opts.nflag:
            return self.opts.hosts.get(text, text)
        return text

    def ip6addr_string(self, off: int) -> str:
        text = ip6addr_string_raw(self.bytes_(off, 16))
        if not self.opts.nflag:
            return self.opts.hosts.get(text, text)
        return text

    def etheraddr_string(self, off: int) -> str:
        return etheraddr_text(self.bytes_(off, 6), self.opts.nflag)

    def udpport_string(self, port: int) -> str:
        if not self.opts.nflag:
            return names.UDP_SERVICES.get(port, str(port))
        return str(port)

    def tcpport_string(self, port: int) -> str:
        if not self.opts.nflag:
            return names.TCP_SERVICES.get(port, str(port))
        return str(port)

    def default_print(self, off: int, length: int) -> None:
        """ND_DEFAULTPRINT: hex and ASCII of what a printer does not decode;
        hex_and_ascii_print() marks a length past the captured bytes truncated."""
        from ipemu.tcpdump.hexdump import hex_and_ascii_print
        truncated = length > self.avail(off)
        length = min(length, self.avail(off))
        self.p(hex_and_ascii_print(self.data[off:off + length], "\n\t"))
        if truncated:
            self.nd_print_trunc()

    def print_unknown_data(self, off: int, ident: str, length: int) -> bool:
        """print_unknown_data(): the hex of what is left of `length` bytes."""
        from ipemu.tcpdump.hexdump import hex_print
        if not self.ttest(off, 0):
            self.p(f"{ident}Dissector error: print_unknown_data called with pointer past "
                   "end of packet")
            return False
        length = min(length, self.avail(off))
        self.p(hex_print(self.data[off:off + length], ident))
        return True

    # -- link layer ----------------------------------------------------------
    def ether_if_print(self, length: int, caplen: int) -> None:
        self.protocol = "ether"
        self.ll_hdr_len += self.ether_print(0, length, caplen)

    def ether_type_print(self, ethertype: int) -> None:
        if not self.opts.qflag:
            self.p(f"ethertype {tok2str(names.ETHERTYPES, 'Unknown', ethertype)} (0x{ethertype:04x})")
        else:
            self.p(tok2str(names.ETHERTYPES, f"Unknown Ethertype (0x{ethertype:04x})", ethertype))

    def ether_print(self, off: int, length: int, caplen: int) -> int:
        self.protocol = "ether"
        return self.ether_common_print(off, length, caplen)

    def ether_common_print(self, off: int, length: int, caplen: int,
                           switch_tag=None, switch_tag_len: int = 0,
                           encap_header=None) -> int:
        """print-ether.c ether_common_print(): ether_print() without a switch tag,
        ether_switch_tag_print() (DSA, EDSA, Broadcom tags) with one: the tag's
        printer runs after -e's addresses and its bytes sit before the type."""
        if length < caplen:
            self.p(f"[length {length} < caplen {caplen}] (invalid)")
            return length
        if caplen < 14 + switch_tag_len:
            self.nd_print_trunc()
            return caplen
        if encap_header is not None:
            encap_header(self)      # print_encap_header(): LANE's LEC ID (print-lane.c)
        orig_length = length
        src, dst = off + 6, off
        if self.opts.eflag:
            self.p(f"{self.etheraddr_string(src)} > {self.etheraddr_string(dst)}, ")
        length -= 12
        caplen -= 12
        p = off + 12
        hdrlen = 12
        if switch_tag is not None:
            switch_tag(self, p)
        length -= switch_tag_len
        caplen -= switch_tag_len
        p += switch_tag_len
        hdrlen += switch_tag_len
        while True:             # ether_print()'s `recurse:` (after an Arista header)
            length_type = self.u16(p)
            length -= 2
            caplen -= 2
            p += 2
            hdrlen += 2
            printed_length = False
            if length_type == 0x88E5:
                # 802.1AE MACsec: its SecTAG, then the frame's type unless encrypted
                if self.opts.eflag:
                    self.ether_type_print(length_type)
                    self.p(f", length {orig_length}: ")
                    printed_length = True
                from ipemu.tcpdump.macsec import macsec_print
                ret, p, length, caplen, hdrlen = macsec_print(self, p, length, caplen, hdrlen,
                                                              src, dst)
                if ret == 0:
                    if not self.opts.suppress_default_print:
                        self.default_print(p, caplen)
                    return hdrlen
                if ret > 0:
                    return ret
                length_type = self.u16(p)
                if caplen < 2:
                    return hdrlen           # ND_LCHECK_U(caplen, 2): `invalid`, no text
                length -= 2
                caplen -= 2
                p += 2
                hdrlen += 2
            while length_type in VLAN_ETHERTYPES:
                if caplen < 4 or length < 4:
                    self.protocol = "vlan"
                    self.p(" [|vlan]")
                    return hdrlen + min(caplen, length)
                if self.opts.eflag:
                    tag = self.u16(p)
                    self.ether_type_print(length_type)
                    if not printed_length:
                        self.p(f", length {orig_length}: ")
                        printed_length = True
                    else:
                        self.p(", ")
                    self.p(ieee8021q_tci_string(tag) + ", ")
                length_type = self.u16(p + 2)
                p += 4
                length -= 4
                caplen -= 4
                hdrlen += 4
            if length_type <= MAX_ETHERNET_LENGTH_VAL:
                # 802.3: the length field, then an LLC header (ether_common_print())
                if length_type < length:
                    length = length_type
                    caplen = min(caplen, length)
                self.push_snaplen(p, length)
                if self.opts.eflag:
                    self.p("802.3")
                    if not printed_length:
                        self.p(f", length {length}: ")
                from ipemu.tcpdump.llc import llc_print
                llc_hdrlen = llc_print(self, p, length, caplen, src, dst)
                if llc_hdrlen < 0:
                    if not self.opts.suppress_default_print:
                        self.default_print(p, caplen)
                    llc_hdrlen = -llc_hdrlen
                self.pop_snaplen()
                return hdrlen + llc_hdrlen
            if length_type == 0x8870:
                # ETHERTYPE_JUMBO: an LLC header follows the type
                from ipemu.tcpdump.llc import llc_print
                llc_hdrlen = llc_print(self, p, length, caplen, src, dst)
                if llc_hdrlen < 0:
                    if not self.opts.suppress_default_print:
                        self.default_print(p, caplen)
                    llc_hdrlen = -llc_hdrlen
                return hdrlen + llc_hdrlen
            if length_type == 0xD28B:
                # ETHERTYPE_ARISTA: its header, then ether_print()'s `goto recurse`
                # for the type after it
                if caplen < 2 or length < 2:
                    self.p("[|arista]")
                    return hdrlen + min(caplen, length)
                self.ether_type_print(length_type)
                self.p(f", length {orig_length}: ")
                from ipemu.tcpdump.l2 import arista_ethertype_print
                consumed = arista_ethertype_print(self, p)
                if consumed > 0:
                    p += consumed
                    length -= consumed
                    caplen -= consumed
                    hdrlen += consumed
                    continue
                if not self.opts.eflag:
                    self.p(f"{self.etheraddr_string(src)} > {self.etheraddr_string(dst)}, ")
                    self.ether_type_print(length_type)
                    self.p(f", length {orig_length}: ")
                if not self.opts.suppress_default_print:
                    self.default_print(p, caplen)
                return hdrlen
            if self.opts.eflag:
                self.ether_type_print(length_type)
                self.p(f", length {orig_length}: " if not printed_length else ", ")
            if not self.ethertype_print(length_type, p, length, caplen, src):
                if not self.opts.eflag:
                    self.p(f"{self.etheraddr_string(src)} > {self.etheraddr_string(dst)}, ")
                    self.ether_type_print(length_type)
                    self.p(f", length {orig_length}: ")
                if not self.opts.suppress_default_print:
                    self.default_print(p, caplen)
            return hdrlen

    def ethertype_print(self, ethertype: int, p: int, length: int, caplen: int,
                        src: int | None = None) -> bool:
        """`src`: the offset of the frame's Ethernet source address (print-ether.c's
        lladdr_info src), None where the link layer passes none."""
        if ethertype == ETHERTYPE_IP:
            self.ip_print(p, length)
        elif ethertype == ETHERTYPE_IPV6:
            self.ip6_print(p, length)
        elif ethertype in (ETHERTYPE_ARP, ETHERTYPE_REVARP):
            self.arp_print(p, length, caplen)
        elif ethertype == 0x6003:
            from ipemu.tcpdump.decnet import decnet_print
            decnet_print(self, p, length, caplen)
        elif ethertype == 0x809B:
            from ipemu.tcpdump.atalk import atalk_print
            if self.opts.vflag:
                self.p("et1 ")
            atalk_print(self, p, length)
        elif ethertype == 0x80F3:
            from ipemu.tcpdump.atalk import aarp_print
            aarp_print(self, p, length)
        elif ethertype == 0x8137:
            from ipemu.tcpdump.ipx import ipx_print
            self.p("(NOV-ETHII) ")
            ipx_print(self, p, length)
        elif ethertype in (0x8863, 0x8864, 0x3C12, 0x3C13):
            from ipemu.tcpdump.l2 import pppoe_print
            pppoe_print(self, p, length)
        elif ethertype in (0x8847, 0x8848):
            from ipemu.tcpdump.l2 import mpls_print
            mpls_print(self, p, length)
        elif ethertype == 0x9000:
            from ipemu.tcpdump.l2 import loopback_print
            loopback_print(self, p, length)
        elif ethertype == 0x88F7:
            from ipemu.tcpdump.ptp import ptp_print
            ptp_print(self, p, length)
        elif ethertype == 0x8808:
            from ipemu.tcpdump.mpcp import mpcp_print
            mpcp_print(self, p, length)
        elif ethertype == 0x8809:
            from ipemu.tcpdump.slow import slow_print
            return slow_print(self, p, length)
        elif ethertype in (0x8902, 0xABCD):
            from ipemu.tcpdump.routing import cfm_print
            cfm_print(self, p, length)
        elif ethertype == 0x888E:
            from ipemu.tcpdump.routing import eapol_print
            eapol_print(self, p)
        elif ethertype == 0x88CC:
            from ipemu.tcpdump.lldp import lldp_print
            lldp_print(self, p, length)
        elif ethertype == 0xFEFE:
            # ETHERTYPE_ISO: a byte, then isoclns_print()
            if length == 0 or caplen == 0:
                self.protocol = "isoclns"
                self.nd_print_trunc()
            else:
                from ipemu.tcpdump.isis import isoclns_print
                self.need(p, 1)
                isoclns_print(self, p + 1, length - 1)
        elif ethertype == 0x88A2:
            from ipemu.tcpdump.aoe import aoe_print
            aoe_print(self, p, length)
        elif ethertype == 0x886F:
            from ipemu.tcpdump.l2 import msnlb_print
            msnlb_print(self, p)
        elif ethertype == 0x880B:
            if length:
                from ipemu.tcpdump.l2 import ppp_print
                self.p(": ")
                ppp_print(self, p, length)
        elif ethertype == 0x894F:
            from ipemu.tcpdump.vxlan import nsh_print
            nsh_print(self, p, length)
        elif ethertype in (0x8947, 0x0707):
            from ipemu.tcpdump.geonet import geonet_print
            geonet_print(self, p, length, src)
        elif ethertype == 0x88CA:
            from ipemu.tcpdump.tipc import tipc_print
            tipc_print(self, p, length, caplen)
        elif ethertype == 0x1111:
            from ipemu.tcpdump.geonet import calm_fast_print
            calm_fast_print(self, p, length, src)
        else:
            return False
        return True

    def sll_if_print(self, length: int, caplen: int) -> None:
        """LINUX_SLL (cooked v1, `-i any -y LINUX_SLL`): 16-byte header."""
        self.protocol = "sll"
        self.need(0, 16)
        if self.opts.eflag:
            self._sll_header(length, pkttype=self.u16(0), halen=self.u16(4), addr=6,
                             ethertype=self.u16(14), width="%3s ")
        hatype = self.u16(2)
        self._cooked_payload(16, length - 16, caplen - 16, self.u16(14), hatype,
                             lambda: self._sll_header(length, self.u16(0), self.u16(4), 6,
                                                      self.u16(14), "%3s "))

    def sll2_if_print(self, length: int, caplen: int) -> None:
        """LINUX_SLL2 (cooked v2, tcpdump's default for `-i any`): the interface name
        and direction start every line."""
        self.protocol = "sll2"
        self.need(0, 20)
        ifindex = self.u32(4)
        self.p("%-5s " % self.opts.ifnames.get(ifindex, "?"))
        self.p("%-3s " % SLL_PKTTYPES.get(self.u8(10), "?"))
        if self.opts.eflag:
            self._sll2_header(length)
        self._cooked_payload(20, length - 20, caplen - 20, self.u16(0), self.u16(8),
                             lambda: self._sll2_header(length))

    def _sll_header(self, length: int, pkttype: int, halen: int, addr: int, ethertype: int,
                    width: str) -> None:
        self.p(width % SLL_PKTTYPES.get(pkttype, "?"))
        if halen == 6:
            self.p(f"{self.etheraddr_string(addr)} ")
        self._sll_type_length(ethertype, length)

    def _sll2_header(self, length: int) -> None:
        self.p(f"ifindex {self.u32(4)} ")
        if self.u8(11) == 6:
            self.p(f"{self.etheraddr_string(12)} ")
        self._sll_type_length(self.u16(0), length)

    def _sll_type_length(self, ethertype: int, length: int) -> None:
        if self.opts.qflag:
            return
        if ethertype <= MAX_ETHERNET_LENGTH_VAL:
            self.p({1: "802.3", 4: "802.2"}.get(ethertype, f"ethertype Unknown (0x{ethertype:04x})"))
        else:
            self.p(f"ethertype {tok2str(names.ETHERTYPES, 'Unknown', ethertype)} (0x{ethertype:04x})")
        self.p(f", length {length}: ")

    def _cooked_payload(self, p: int, length: int, caplen: int, ethertype: int, hatype: int,
                        header) -> None:
        hdrlen = p
        if ethertype <= MAX_ETHERNET_LENGTH_VAL:
            # sll_print()/sll2_if_print(): 802.2 (LINUX_SLL_P_802_2) through llc_print()
            # without link addresses; 802.3 IPX and the rest as raw data
            llc_hdrlen = -1
            if ethertype == 1:
                # LINUX_SLL_P_802_3: an Ethernet_802.3 IPX frame
                from ipemu.tcpdump.ipx import ipx_print
                ipx_print(self, p, length)
                self.ll_hdr_len += hdrlen
                return
            if ethertype == 4:
                from ipemu.tcpdump.llc import llc_print
                llc_hdrlen = llc_print(self, p, length, caplen, None, None)
            if llc_hdrlen < 0:
                if not self.opts.suppress_default_print:
                    self.default_print(p, caplen)
            else:
                hdrlen += llc_hdrlen
        elif ethertype == ETHERTYPE_8021Q:
            if caplen < 4:
                self.protocol = "vlan"
                self.p(" [|vlan]")
                self.ll_hdr_len += hdrlen + caplen
                return
            if self.opts.eflag:
                self.p(ieee8021q_tci_string(self.u16(p)) + ", ")
            inner = self.u16(p + 2)
            if not self.opts.qflag:
                self.p(f"ethertype {tok2str(names.ETHERTYPES, 'Unknown', inner)}, ")
            # the inner call counts the link header up to its own offset, tag included
            self._cooked_payload(p + 4, length - 4, caplen - 4, inner, hatype, header)
            return
        elif not self.ethertype_print(ethertype, p, length, caplen):
            if not self.opts.eflag:
                header()
            if not self.opts.suppress_default_print:
                self.default_print(p, caplen)
        self.ll_hdr_len += hdrlen

    def null_if_print(self, length: int, caplen: int) -> None:
        """null_if_print() (print-null.c), for DLT_NULL and DLT_LOOP alike: the family
        is read in host order (little-endian here) and swapped if its top half is set."""
        self.protocol = "null"
        self.need(0, 4)
        self.ll_hdr_len += 4
        family = int.from_bytes(self.data[:4], "little")
        if family & 0xFFFF0000:
            family = int.from_bytes(self.data[:4], "big")
        if self.opts.eflag:
            self._null_hdr_print(family, length)
        if family == 2:
            self.ip_print(4, length - 4)
        elif family in (24, 28, 30):
            self.ip6_print(4, length - 4)
        else:
            # ISO, AppleTalk and IPX printers are not in ipemu: they print as unknown
            if not self.opts.eflag:
                self._null_hdr_print(family, length)
            if not self.opts.suppress_default_print:
                self.default_print(4, caplen - 4)

    def _null_hdr_print(self, family: int, length: int) -> None:
        name = BSD_AF.get(family)
        if not self.opts.qflag:
            self.p(f"AF {name or 'Unknown'} ({family})")
        else:
            self.p(name or f"Unknown AF {family}")
        self.p(f", length {length}: ")

    def raw_if_print(self, length: int) -> None:
        """LINKTYPE_RAW: an IP packet with no link header."""
        self.protocol = "raw"
        if self.opts.eflag:
            self.p("ip: ")      # raw_if_print()
        self.ipn_print(0, length)

    def ipn_print(self, off: int, length: int) -> None:
        if length < 1:
            self.p(f"truncated-ip {length}")
            return
        version = self.u8(off) & 0xF0
        if version == 0x40:
            self.ip_print(off, length)
        elif version == 0x60:
            self.ip6_print(off, length)
        else:
            self.p(f"unknown ip {version >> 4}")

    # -- ARP -------------------------------------------------------------------
    def arp_print(self, off: int, length: int, caplen: int) -> None:
        self.protocol = "arp"
        self.need(off, 8)
        if self.u16(off) == 19:         # ARPHRD_ATM2225
            self.atmarp_print(off, length, caplen)
            return
        hrd, pro = self.u16(off), self.u16(off + 2)
        hln, pln, op = self.u8(off + 4), self.u8(off + 5), self.u16(off + 6)
        sha = off + 8
        spa = sha + hln
        tha = spa + pln
        tpa = tha + hln
        self.need(tpa, pln)
        if not self.opts.eflag:
            self.p("ARP, ")
        v = self.opts.vflag
        if (pro not in (ETHERTYPE_IP, 0x1000)) or pln != 4 or hln == 0 or v:
            self.p(f"{tok2str(ARPHRD, 'Unknown Hardware (%u)', hrd)} (len {hln}), "
                   f"{tok2str(names.ETHERTYPES, 'Unknown Protocol (0x%04x)', pro)} (len {pln})")
            if not v:
                self.p(f", length {length}")
                return
        self.p(f"{', ' if v else ''}{tok2str(ARPOP, 'Unknown (%u)', op)} ")

        def paddr(at: int) -> str:
            if pro not in (ETHERTYPE_IP, 0x1000):
                return "<wrong proto type>"
            if pln != 4:
                return "<wrong len>"
            return self.ipaddr_string(at)

        def hwaddr(at: int) -> str:
            if hrd == 15 and hln:
                # ARPHRD_FRELAY: linkaddr_string()'s LINKADDR_FRELAY, q922_string()
                from ipemu.tcpdump.fr import q922_string
                return q922_string(self, at, hln)
            return self.linkaddr_string(at, hln)

        if op == 1:
            self.p(f"who-has {paddr(tpa)}")
            if any(self.bytes_(tha, hln)):
                self.p(f" ({hwaddr(tha)})")
            self.p(f" tell {paddr(spa)}")
        elif op == 2:
            self.p(f"{paddr(spa)} is-at {hwaddr(sha)}")
        elif op in (3, 8):
            self.p(f"who-is {hwaddr(tha)} tell {hwaddr(sha)}")
        elif op == 4:
            self.p(f"{hwaddr(tha)} at {paddr(tpa)}")
        elif op == 9:
            self.p(f"{hwaddr(sha)} at {paddr(spa)}")
        else:
            self.default_print(off, caplen)
            return
        self.p(f", length {length}")

    def atmarp_print(self, off: int, length: int, caplen: int) -> None:
        """atmarp_print(): RFC 2225 ARP, ATM numbers and subaddresses for hardware."""
        self.need(off, 12)
        hrd, pro, op = self.u16(off), self.u16(off + 2), self.u16(off + 6)
        shl, ssl = self.u8(off + 4) & 0x3F, self.u8(off + 5) & 0x3F
        spl, thl = self.u8(off + 8), self.u8(off + 9) & 0x3F
        tsl, tpl = self.u8(off + 10) & 0x3F, self.u8(off + 11)
        sha = off + 12
        ssa = sha + shl
        spa = ssa + ssl
        tha = spa + spl
        tsa = tha + thl
        tpa = tsa + tsl
        self.need(tpa, tpl)
        if not self.opts.eflag:
            self.p("ARP, ")
        v = self.opts.vflag
        ip_like = pro in (ETHERTYPE_IP, 0x1000)
        if not ip_like or spl != 4 or tpl != 4 or v:
            self.p(f"{tok2str(ARPHRD, 'Unknown Hardware (%u)', hrd)}, "
                   f"{tok2str(names.ETHERTYPES, 'Unknown Protocol (0x%04x)', pro)} "
                   f"(len {spl}/{tpl})")
            if not v:
                self.p(f", length {length}")
                return
        self.p(f"{', ' if v else ''}{tok2str(ARPOP, 'Unknown (%u)', op)} ")

        def paddr(at: int, plen: int, what: str) -> str:
            if not ip_like:
                return "<wrong proto type>"
            if plen != 4:
                return f"<wrong {what}>"
            return self.ipaddr_string(at)

        def atmaddr(ha: int, ha_len: int, srca: int, srca_len: int) -> str:
            # atmarp_addr_print(): LINKADDR_ATM is plain hex, never an Ethernet name
            if ha_len == 0:
                return "<No address>"
            text = self.bytes_(ha, ha_len).hex(":")
            if srca_len:
                text += "," + (self.bytes_(srca, srca_len).hex(":"))
            return text

        if op == 1:
            self.p(f"who-has {paddr(tpa, tpl, 'tplen')}")
            if thl:
                self.p(f" ({atmaddr(tha, thl, tsa, tsl)})")
            self.p(f" tell {paddr(spa, spl, 'splen')}")
        elif op == 2:
            self.p(f"{paddr(spa, spl, 'splen')} is-at {atmaddr(sha, shl, ssa, ssl)}")
        elif op == 8:
            self.p(f"who-is {atmaddr(tha, thl, tsa, tsl)} tell {atmaddr(sha, shl, ssa, ssl)}")
        elif op == 9:
            self.p(f"{atmaddr(sha, shl, ssa, ssl)}at {paddr(spa, spl, 'splen')}")
        elif op == 10:
            self.p(f"for {paddr(spa, spl, 'splen')}")
        else:
            self.default_print(off, caplen)
            return
        self.p(f", length {length}")

    def linkaddr_string(self, off: int, length: int) -> str:
        if length == 6:
            return self.etheraddr_string(off)
        if length == 0:
            return "<empty>"
        return ":".join(f"{b:02x}" for b in self.bytes_(off, length))

    # -- IPv4 ------------------------------------------------------------------
    def ip_print(self, off: int, length: int) -> None:
        self.protocol = "ip"
        version = self.u8(off) >> 4
        if version != 4:
            self.p("IP6, wrong link-layer encapsulation" if version == 6 else f"IP{version}")
            self.p(" (invalid)")
            return
        if not self.opts.eflag:
            self.p("IP ")
        if not self.ttest(off, 20):         # ND_TCHECK_SIZE(ip): goto trunc
            self.nd_print_trunc()
            return
        if length < 20:
            self.p(f"truncated-ip {length}")
            return
        hlen = (self.u8(off) & 0x0F) * 4
        if hlen < 20:
            self.p(f"bad-hlen {hlen}")
            return
        total = self.u16(off + 2)
        if length < total:
            self.p(f"truncated-ip - {total - length} bytes missing! ")
        if total < hlen:
            self.p(f"bad-len {total}")
            return
        self.push_snaplen(off, total)
        payload_len = total - hlen
        frag = self.u16(off + 6)
        proto = self.u8(off + 9)
        if self.opts.vflag:
            tos = self.u8(off + 1)
            self.p(f"(tos 0x{tos:x}")
            self.p({0: "", 1: ",ECT(1)", 2: ",ECT(0)", 3: ",CE"}[tos & 3])
            ttl = self.u8(off + 8)
            if ttl >= 1:
                self.p(f", ttl {ttl}")
            flags = bittok2str([(0x2000, "+"), (0x4000, "DF"), (0x8000, "rsvd")], "none",
                               frag & 0xE000)
            self.p(f", id {self.u16(off + 4)}, offset {(frag & 0x1FFF) * 8}, flags [{flags}], "
                   f"proto {tok2str(names.IPPROTOS, 'unknown', proto)} ({proto})")
            self.p(f", length {total}")
            truncated = False
            if hlen > 20:
                self.p(", options (")
                if self.ip_optprint(off + 20, hlen - 20) < 0:
                    self.p(" [truncated-option]")
                    truncated = True
                self.p(")")
            if not self.opts.Kflag and self.ttest(off, hlen):
                s = in_cksum(self.data[off:off + hlen])
                if s != 0:
                    ip_sum = self.u16(off + 10)
                    self.p(f", bad cksum {ip_sum:x} (->{in_cksum_shouldbe(ip_sum, s):x})!")
            self.p(")\n    ")
            if truncated:
                self.p(f"{self.ipaddr_string(off + 12)} > {self.ipaddr_string(off + 16)}: ")
                self.nd_print_trunc()
                self.pop_snaplen()
                return
        if frag & 0x1FFF == 0:
            if proto not in (IPPROTO_TCP, IPPROTO_UDP, 132, 33):
                self.p(f"{self.ipaddr_string(off + 12)} > {self.ipaddr_string(off + 16)}: ")
            if not self.ttest(off, hlen):
                self.p(f" [remaining caplen({self.avail(off)}) < header length({hlen})]")
                raise Truncated()
            self.ip_demux_print(off + hlen, payload_len, 4, bool(frag & 0x2000),
                                self.u8(off + 8), proto, off)
        else:
            if self.opts.qflag > 1:
                self.pop_snaplen()
                return
            self.p(f"{self.ipaddr_string(off + 12)} > {self.ipaddr_string(off + 16)}:")
            pname = None if self.opts.nflag else names.NETDB_PROTONAMES.get(proto)
            self.p(f" {pname}" if pname else f" ip-proto-{proto}")
        self.pop_snaplen()

    def ip_optprint(self, off: int, length: int) -> int:
        """ip_optprint(): -1 when an option runs past the captured bytes."""
        sep = ""
        while length > 0:
            self.p(sep)
            sep = ","
            code = self.u8(off)
            self.p(tok2str(IPOPT_NAMES, "unknown %u", code))
            if code in (0, 1):
                optlen = 1
            else:
                optlen = self.u8(off + 1)
                if optlen < 2:
                    self.p(f" [bad length {optlen}]")
                    return 0
            if optlen > length:
                self.p(f" [bad length {optlen}]")
                return 0
            if not self.ttest(off, optlen):
                return -1
            if code == 0:
                return 0
            if code == 68:
                if self._ip_printts(off, optlen) < 0:
                    return -1
            elif code in (7, 131, 137):
                if self._ip_printroute(off, optlen) < 0:
                    return -1
            elif code == 148:
                if optlen < 4:
                    self.p(f" [bad length {optlen}]")
                else:
                    if not self.ttest(off + 3, 1):
                        return -1
                    if self.u16(off + 2):
                        self.p(f" value {self.u16(off + 2)}")
            off += optlen
            length -= optlen
        return 0

    def _ip_printroute(self, off: int, length: int) -> int:
        """ip_printroute()."""
        if length < 3:
            self.p(f" [bad length {length}]")
            return 0
        if (length + 1) & 3:
            self.p(f" [bad length {length}]")
        ptr = self.u8(off + 2) - 1
        if ptr < 3 or ((ptr + 1) & 3) or ptr > length + 1:
            self.p(f" [bad ptr {self.u8(off + 2)}]")
        for n in range(3, length, 4):
            if not self.ttest(off + n, 4):
                return -1
            self.p(f" {self.ipaddr_string(off + n)}")
            if ptr > n:
                self.p(",")
        return 0

    def _ip_printts(self, off: int, length: int) -> int:
        """ip_printts()."""
        if length < 4:
            self.p(f"[bad length {length}]")
            return 0
        self.p(" TS{")
        flags = self.u8(off + 3)
        hoplen = 8 if (flags & 0xF) != 0 else 4      # IPOPT_TS_TSONLY is 0
        if (length - 4) & (hoplen - 1):
            self.p(f"[bad length {length}]")
        ptr = self.u8(off + 2) - 1
        n = 0
        if ptr < 4 or ((ptr - 4) & (hoplen - 1)) or ptr > length + 1:
            self.p(f"[bad ptr {self.u8(off + 2)}]")
        kind = {0: "TSONLY", 1: "TS+ADDR", 3: "PRESPEC"}.get(flags & 0xF)
        if kind is None:
            self.p(f"[bad ts type {flags & 0xF}]")
        else:
            self.p(kind)
            sep = " "
            n = 4
            while n < length:
                if ptr == n:
                    sep = " ^ "
                if not self.ttest(off + n, hoplen):
                    return -1
                addr = self.ipaddr_string(off + n) if hoplen == 8 else ""
                self.p(f"{sep}{self.u32(off + n + hoplen - 4)}@{addr}")
                sep = " "
                n += hoplen
        self.p(" ^ " if ptr == n else "")
        if flags >> 4:
            self.p(f" [{flags >> 4} hops not recorded]}} ")
        else:
            self.p("}")
        return 0

    def ip_finddst(self, iph: int) -> bytes:
        """ip_finddst(): the last address of a source route, else the destination."""
        length = (self.u8(iph) & 0x0F) * 4 - 20
        cp = iph + 20
        while length > 0:
            tt = self.u8(cp)
            if tt == 0:
                break
            if tt == 1:
                optlen = 1
            else:
                optlen = self.u8(cp + 1)
                if optlen < 2:
                    break
            if length < optlen or not self.ttest(cp, optlen):
                break
            if tt in (131, 137) and optlen >= 7:
                return self.bytes_(cp + optlen - 4, 4)
            cp += optlen
            length -= optlen
        return self.bytes_(iph + 16, 4)

    def ip_demux_print(self, off: int, length: int, ver: int, fragmented: bool, ttl: int,
                       nh: int, iph: int) -> None:
        from ipemu.tcpdump import icmp, icmp6
        while nh == 51:
            # AH: its header, then what it protects (ip_demux_print()'s `goto again`)
            if not self.ttest(off, 1):
                self.protocol = "ah"
                self.nd_print_trunc()
                return
            from ipemu.tcpdump.ipsec import ah_print
            nh = self.u8(off)
            advance = ah_print(self, off)
            off, length = off + advance, length - advance
        if nh == IPPROTO_TCP:
            self.tcp_print(off, length, iph, fragmented)
        elif nh == IPPROTO_UDP:
            self.udp_print(off, length, iph, fragmented)
        elif nh == IPPROTO_ICMP:
            if ver == 4:
                icmp.icmp_print(self, off, length, iph, fragmented)
            else:
                self.p("[ICMP requires IPv4] (invalid)")
        elif nh == IPPROTO_ICMPV6:
            if ver == 6:
                icmp6.icmp6_print(self, off, length, iph, fragmented)
            else:
                self.p("[ICMPv6 requires IPv6] (invalid)")
        elif nh == 4:
            self.ip_print(off, length)
        elif nh == 2:
            from ipemu.tcpdump.igmp import igmp_print
            igmp_print(self, off, length)
        elif nh == 50:
            from ipemu.tcpdump.ipsec import esp_print
            esp_print(self, off, length)
        elif nh == 112:
            from ipemu.tcpdump.vrrp import vrrp_print
            vrrp_print(self, off, length, iph, ttl, ver)
        elif nh == 47:
            from ipemu.tcpdump.gre import gre_print
            gre_print(self, off, length)
        elif nh == 41:
            self.ip6_print(off, length)
        elif nh == 89 and ver == 4:
            from ipemu.tcpdump.ospf import ospf_print
            ospf_print(self, off, length)
        elif nh == 89:
            from ipemu.tcpdump.ospf6 import ospf6_print
            ospf6_print(self, off, length)
        elif nh == 103:
            from ipemu.tcpdump.pim import pim_print
            pim_print(self, off, length, iph)
        elif nh == 88:
            from ipemu.tcpdump.routing import eigrp_print
            eigrp_print(self, off, length)
        elif nh == 46:
            from ipemu.tcpdump.rsvp import rsvp_print
            rsvp_print(self, off, length)
        elif nh == 132:
            from ipemu.tcpdump.sctp import sctp_print
            sctp_print(self, off, iph, length)
        elif nh == 108:
            # ipcomp_print(): the CPI; the compressed payload is not decoded
            self.protocol = "ipcomp"
            self.p(f"IPComp(cpi=0x{self.u16(off + 2):04x})")
        elif nh == 9:
            from ipemu.tcpdump.routing import igrp_print
            igrp_print(self, off, length)
        elif nh == 113:
            from ipemu.tcpdump.pgm import pgm_print
            pgm_print(self, off, length, iph)
        elif nh == 33:
            from ipemu.tcpdump.dccp import dccp_print
            dccp_print(self, off, iph, length)
        elif nh == IPPROTO_NONE:
            self.p("no next header")
        elif nh == 143:
            # IPPROTO_ETHERNET (SRv6's End.DX2/L2 encapsulation): a whole frame follows
            if ver == 6:
                self.ether_print(off, length, self.avail(off))
            else:
                self.p("[Ethernet requires IPv6] (invalid)")
        else:
            pname = None if self.opts.nflag else names.NETDB_PROTONAMES.get(nh)
            self.p(f" {pname}" if pname else f" ip-proto-{nh}")
            self.p(f" {length}")

    # -- IPv6 ------------------------------------------------------------------
    def ip6_print(self, off: int, length: int) -> None:
        """ip6_print(): the header, then extension headers until a protocol's printer."""
        self.protocol = "ip6"
        if not self.ttest(off, 40):         # ND_TCHECK_SIZE(ip6): goto trunc
            self.nd_print_trunc()
            return
        if length < 40:
            self.p(f"truncated-ip6 {length}")
            return
        if not self.opts.eflag:
            self.p("IP6 ")
        if self.u8(off) >> 4 != 6:
            self.p(f"version error: {self.u8(off) >> 4} != 6")
            return
        payload_len = self.u16(off + 4)
        if payload_len != 0:
            total = payload_len + 40
            if length < total:
                self.p(f"truncated-ip6 - {total - length} bytes missing!")
        else:
            # a Jumbo Payload option may say how long it is: look for one first
            total = length + 40
        nh = self.u8(off + 6)
        if self.opts.vflag:
            flow = self.u32(off)
            self.p("(")
            if flow & 0x0FF00000:
                self.p(f"class 0x{(flow & 0x0FF00000) >> 20:02x}, ")
            if flow & 0x000FFFFF:
                self.p(f"flowlabel 0x{flow & 0x000FFFFF:05x}, ")
            self.p(f"hlim {self.u8(off + 7)}, next-header {tok2str(names.IPPROTOS, 'unknown', nh)} "
                   f"({nh}) payload length: {payload_len}) ")
        self.push_snaplen(off, total)
        cp = off
        advance = 40
        total_advance = 0
        length_left = total
        found_ext = found_hbh = False
        jumbo: list[int] = []       # the valid Jumbo Payload length, once found
        fragmented = False
        ph = 255
        while cp < self.snapend and advance > 0:
            if length_left < advance:
                self.nd_print_trunc()
                self.pop_snaplen()
                return
            cp += advance
            length_left -= advance
            total_advance += advance
            if cp == off + 40 and nh not in (IPPROTO_TCP, IPPROTO_UDP, 33, 132):
                self.p(f"{self.ip6addr_string(off + 8)} > {self.ip6addr_string(off + 24)}: ")
            if nh == IPPROTO_HOPOPTS:
                if found_hbh:
                    self.p("[The Hop-by-Hop Options header was already found] (invalid)")
                    return
                if ph != 255:
                    self.p("[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)")
                    return
                advance = self.hbhopt_process(cp, jumbo, payload_len)
                if payload_len == 0 and not jumbo:
                    self.p("[No valid Jumbo Payload Hop-by-Hop option found] (invalid)")
                    return
                if advance < 0:
                    self.pop_snaplen()
                    return
                found_ext = found_hbh = True
                nh = self.u8(cp)
            elif nh == IPPROTO_DSTOPTS:
                advance = self.dstopt_process(cp)
                if advance < 0:
                    self.pop_snaplen()
                    return
                found_ext = True
                nh = self.u8(cp)
            elif nh == IPPROTO_FRAGMENT:
                advance = self.frag6_print(cp, off)
                if advance < 0 or self.snapend <= cp + advance:
                    self.pop_snaplen()
                    return
                found_ext = True
                nh = self.u8(cp)
                fragmented = True
            elif nh == IPPROTO_ROUTING:
                if not self.ttest(cp, 1):
                    self.nd_print_trunc()
                    self.pop_snaplen()
                    return
                advance = self.rt6_print(cp)
                if advance < 0:
                    self.pop_snaplen()
                    return
                found_ext = True
                nh = self.u8(cp)
            elif nh in (IPPROTO_MOBILITY, IPPROTO_MOBILITY_OLD):
                # ip6_print(): the mobility header ends the packet's printing (a
                # piggybacked payload is not looked at)
                from ipemu.tcpdump.mobility import mobility_print
                mobility_print(self, cp)
                self.pop_snaplen()
                return
            else:
                if jumbo:
                    length_left = jumbo[0] + 40
                    if length_left < total_advance:
                        self.nd_print_trunc()
                        self.pop_snaplen()
                        return
                    if length < length_left:
                        self.p(f"truncated-ip6 - {length_left - length} bytes missing!")
                    self._change_snaplen(off, length_left)
                    length_left -= total_advance
                elif payload_len == 0:
                    if found_ext:
                        self.nd_print_trunc()
                        self.pop_snaplen()
                        return
                    self._change_snaplen(off, 40)
                    length_left = 40 - total_advance
                self.ip_demux_print(cp, length_left, 6, fragmented, self.u8(off + 7), nh, off)
                self.pop_snaplen()
                return
            ph = nh
            self.protocol = "ip6"
        self.pop_snaplen()

    def _change_snaplen(self, off: int, newlen: int) -> None:
        """nd_change_snaplen(): against the snapshot end saved one push further back
        (or the current one when there is only this packet's push)."""
        previous = self._snap_stack[-2] if len(self._snap_stack) >= 2 else self.snapend
        if newlen <= previous - off:
            self.snapend = off + newlen

    def _ip6_opt_process(self, off: int, length: int, jumbo: list[int] | None,
                         payload_len: int | None) -> int:
        """ip6_opt_process(): -1 on its `goto trunc`. `jumbo` gets a valid Jumbo
        Payload length (None: not a hop-by-hop header)."""
        v = self.opts.vflag
        if length == 0:
            return 0
        found_jumbo = False
        i = 0
        while i < length:
            t = self.u8(off + i)
            if t == 0:
                optlen = 1
            elif i + 1 < length:
                optlen = self.u8(off + i + 1) + 2
            else:
                return -1
            if i + optlen > length:
                return -1
            at = off + i
            if t == 0:
                if v:
                    self.p("(pad1)")
            elif t == 1:
                if length - i < 2:
                    self.p("(padn: trunc)")
                    return -1
                if v:
                    self.p("(padn)")
            elif t == 5:
                if length - i < 4:
                    self.p("(rtalert: trunc)")
                    return -1
                if self.u8(at + 1) != 2:
                    self.p(f"(rtalert: invalid len {self.u8(at + 1)})")
                    return -1
                if v:
                    self.p(f"(rtalert: 0x{self.u16(at + 2):04x}) ")
            elif t == 0xC2:
                if length - i < 6:
                    self.p("(jumbo: trunc)")
                    return -1
                if self.u8(at + 1) != 4:
                    self.p(f"(jumbo: invalid len {self.u8(at + 1)})")
                    return -1
                jumbolen = self.u32(at + 2)
                if found_jumbo:
                    if v:
                        self.p(f"(jumbo: {jumbolen} - already seen) ")
                else:
                    found_jumbo = True
                    if jumbo is None:
                        if v:
                            self.p(f"(jumbo: {jumbolen} - not a hop-by-hop option) ")
                    elif payload_len != 0:
                        if v:
                            self.p(f"(jumbo: {jumbolen} - payload len != 0) ")
                    elif jumbolen < 65536:
                        if v:
                            self.p(f"(jumbo: {jumbolen} - < 65536) ")
                    else:
                        jumbo.append(jumbolen)
                        if v:
                            self.p(f"(jumbo: {jumbolen}) ")
            elif t == 0xC9:
                if length - i < 18:
                    self.p("(homeaddr: trunc)")
                    return -1
                if self.u8(at + 1) < 16:
                    self.p(f"(homeaddr: invalid len {self.u8(at + 1)})")
                    return -1
                if v:
                    self.p(f"(homeaddr: {self.ip6addr_string(at + 2)}")
                    if self.u8(at + 1) > 16 and self._ip6_sopt_print(at + 18, optlen - 18) < 0:
                        return -1
                    self.p(")")
            else:
                if length - i < 2:
                    self.p(f"(type {t}: trunc)")
                    return -1
                if v:
                    self.p(f"(opt_type 0x{t:02x}: len={self.u8(at + 1)})")
            i += optlen
        if v:
            self.p(" ")
        return 0

    def _ip6_sopt_print(self, off: int, length: int) -> int:
        """ip6_sopt_print(): the sub-options of a home address option."""
        i = 0
        while i < length:
            t = self.u8(off + i)
            if t == 0:
                optlen = 1
            elif i + 1 < length:
                optlen = self.u8(off + i + 1) + 2
            else:
                return -1
            if i + optlen > length:
                return -1
            if t == 0:
                self.p(", pad1")
            elif t == 1:
                if length - i < 2:
                    self.p(", padn: trunc")
                    return -1
                self.p(", padn")
            else:
                if length - i < 2:
                    self.p(f", sopt_type {t}: trunc)")
                    return -1
                self.p(f", sopt_type 0x{t:02x}: len={self.u8(off + i + 1)}")
            i += optlen
        return 0

    def hbhopt_process(self, off: int, jumbo: list[int], payload_len: int) -> int:
        """hbhopt_process()."""
        self.protocol = "hbhopt"
        hlen = (self.u8(off + 1) + 1) << 3
        if not self.ttest(off, hlen):       # ND_TCHECK_LEN: goto trunc
            self.nd_print_trunc()
            return -1
        self.p("HBH ")
        if self._ip6_opt_process(off + 2, hlen - 2, jumbo, payload_len) < 0:
            self.nd_print_trunc()
            return -1
        return hlen

    def dstopt_process(self, off: int) -> int:
        """dstopt_process(): a Jumbo Payload here is reported as not hop-by-hop."""
        self.protocol = "dstopt"
        hlen = (self.u8(off + 1) + 1) << 3
        if not self.ttest(off, hlen):       # ND_TCHECK_LEN: goto trunc
            self.nd_print_trunc()
            return -1
        self.p("DSTOPT ")
        if self.opts.vflag and self._ip6_opt_process(off + 2, hlen - 2, None, None) < 0:
            self.nd_print_trunc()
            return -1
        return hlen

    def frag6_print(self, off: int, ip6: int) -> int:
        self.protocol = "frag6"
        offlg = self.u16(off + 2) & 0xFFF8
        size = (40 + self.u16(ip6 + 4) - (off - ip6) - 8) & 0xFFFFFFFFFFFFFFFF   # %zu
        if self.opts.vflag:
            self.p(f"frag (0x{self.u32(off + 4):08x}:{offlg}|{size})")
        else:
            self.p(f"frag ({offlg}|{size})")
        if offlg:
            return -1
        self.p(" ")
        return 8

    def rt6_print(self, off: int) -> int:
        """rt6_print(): type 0 and 2 (addresses), type 4 (segment routing); -1 when
        the header is invalid."""
        self.protocol = "rt6"
        self.p("RT6")       # nd_print_protocol_caps()
        length = self.u8(off + 1)
        rtype = self.u8(off + 2)
        self.p(f" (len={length}, type={rtype}")
        if rtype == 0:
            self.p(" [Deprecated]")
        self.p(f", segleft={self.u8(off + 3)}")
        if rtype in (0, 2):
            reserved = self.u32(off + 4)
            if reserved or self.opts.vflag:
                self.p(f", rsv=0x{reserved:x}")
        elif rtype == 4:
            self.p(f", last-entry={self.u8(off + 4)}")
            flags = self.u8(off + 5)
            if flags or self.opts.vflag:
                self.p(f", flags=0x{flags:x}")
            self.p(f", tag={self.u16(off + 6):x}")
        else:
            self.p(" (unknown type) (invalid)")
            return -1
        if length % 2 == 1:
            self.p(f" (invalid length {length}) (invalid)")
            return -1
        for i in range(length >> 1):
            self.p(f", [{i}]{self.ip6addr_string(off + 8 + 16 * i)}")
        self.p(") ")
        return (length + 1) << 3

    def ip6_finddst(self, ip6: int) -> bytes:
        """ip6_finddst(): the final destination, from a routing header if there is one
        (the last address of type 0/2, the first segment of type 4)."""
        dst = self.bytes_(ip6 + 24, 16)
        cp, advance, nh = ip6, 40, self.u8(ip6 + 6)
        while cp < self.snapend:
            cp += advance
            if nh in (IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, 135, 62):
                advance = (self.u8(cp + 1) + 1) << 3
                nh = self.u8(cp)
            elif nh == IPPROTO_FRAGMENT:
                advance = 8
                nh = self.u8(cp)
            elif nh == IPPROTO_ROUTING:
                if not self.ttest(cp, 4):       # ND_TCHECK_SIZE: goto trunc
                    break
                length, rtype = self.u8(cp + 1), self.u8(cp + 2)
                if rtype in (0, 2) and length % 2 == 0:
                    for i in range(length >> 1):
                        if not self.ttest(cp + 8 + 16 * i, 16):
                            break
                        dst = self.bytes_(cp + 8 + 16 * i, 16)
                elif rtype == 4 and length % 2 == 0 and self.ttest(cp + 8, 16):
                    dst = self.bytes_(cp + 8, 16)
                break
            else:
                break
        return dst

    # -- checksums over pseudo-headers ----------------------------------------
    def nextproto4_cksum(self, iph: int, off: int, length: int, proto: int,
                         covlen: int | None = None) -> int:
        """nextproto4_cksum(): the pseudo-header says `length`, the sum covers
        `covlen` bytes of the data (DCCP's checksum coverage), else all of them."""
        dst = self.data[iph + 16:iph + 20] if self.u8(iph) & 0x0F == 5 else self.ip_finddst(iph)
        ph = self.data[iph + 12:iph + 16] + dst + struct.pack("!BBH", 0, proto, length)
        return in_cksum(ph + self.data[off:off + (length if covlen is None else covlen)])

    def nextproto6_cksum(self, iph: int, off: int, length: int, proto: int,
                         covlen: int | None = None) -> int:
        if self.u8(iph + 6) in (IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, 135, 62, IPPROTO_FRAGMENT,
                                IPPROTO_ROUTING):
            dst = self.ip6_finddst(iph)
        else:
            dst = self.data[iph + 24:iph + 40]
        ph = self.data[iph + 8:iph + 24] + dst + struct.pack("!I3xB", length, proto)
        return in_cksum(ph + self.data[off:off + (length if covlen is None else covlen)])

    # -- UDP -------------------------------------------------------------------
    def _udpipaddr_print(self, iph: int, sport: int, dport: int) -> None:
        v6 = self.u8(iph) >> 4 == 6
        nxt = self.u8(iph + 6) if v6 else self.u8(iph + 9)
        addr = self.ip6addr_string if v6 else self.ipaddr_string
        src, dst = (iph + 8, iph + 24) if v6 else (iph + 12, iph + 16)
        if nxt == IPPROTO_UDP:
            if sport == -1:
                self.p(f"{addr(src)} > {addr(dst)}: ")
            else:
                self.p(f"{addr(src)}.{self.udpport_string(sport)} > "
                       f"{addr(dst)}.{self.udpport_string(dport)}: ")
        elif sport != -1:
            self.p(f"{self.udpport_string(sport)} > {self.udpport_string(dport)}: ")

    def udp_print(self, off: int, length: int, iph: int, fragmented: bool) -> None:
        self.protocol = "udp"
        v6 = self.u8(iph) >> 4 == 6
        if not self.ttest(off + 2, 2):
            self._udpipaddr_print(iph, -1, -1)
            self.nd_print_trunc()
            return
        sport, dport = self.u16(off), self.u16(off + 2)
        if length < 8:
            self._udpipaddr_print(iph, sport, dport)
            self.p(f"truncated-udp {length}")
            return
        if not self.ttest(off + 4, 2):
            self._udpipaddr_print(iph, sport, dport)
            self.nd_print_trunc()
            return
        ulen = self.u16(off + 4)
        if ulen == 0 and length > 65535:
            ulen = length
        if ulen < 8:
            self._udpipaddr_print(iph, sport, dport)
            self.p(f"truncated-udplength {ulen}")
            return
        ulen -= 8
        length -= 8
        if ulen < length:
            length = ulen
        cp = off + 8
        if cp > self.snapend:
            self._udpipaddr_print(iph, sport, dport)
            self.nd_print_trunc()
            return
        printer = UDP_PACKET_TYPES.get(self.opts.packettype)
        if printer is not None:
            # -T: the payload as that type whatever the ports, before any checksum
            self._udpipaddr_print(iph, sport, dport)
            if printer is _pgm:
                from ipemu.tcpdump.pgm import pgm_print
                pgm_print(self, cp, length, iph)
                return
            if printer is _aodv:
                from ipemu.tcpdump.aodv import aodv_print
                aodv_print(self, cp, length, v6)
                return
            printer(self, cp, length)
            return
        self._udpipaddr_print(iph, sport, dport)
        if not self.opts.qflag and self.ttest(cp + 4, 4):
            # Sun RPC to or from NFS_PORT, before the checksum (print-udp.c)
            direction = self.u32(cp + 4)
            if (dport == 2049 and direction == 0) or (sport == 2049 and direction == 1):
                from ipemu.tcpdump import nfs
                self.p(f"NFS {'request' if direction == 0 else 'reply'} xid {self.u32(cp)} ")
                (nfs.nfsreq_noaddr_print if direction == 0
                 else nfs.nfsreply_noaddr_print)(self, cp, length, iph)
                return
        if self.opts.vflag and not self.opts.Kflag and not fragmented:
            if not v6 and self.opts.vflag > 1:
                udp_sum = self.u16(off + 6)
                if udp_sum == 0:
                    self.p("[no cksum] ")
                elif self.ttest(cp, length):
                    s = self.nextproto4_cksum(iph, off, length + 8, IPPROTO_UDP)
                    if s != 0:
                        self.p(f"[bad udp cksum 0x{udp_sum:04x} -> 0x{in_cksum_shouldbe(udp_sum, s):04x}!] ")
                    else:
                        self.p("[udp sum ok] ")
            elif v6 and self.ttest(cp, length):
                s = self.nextproto6_cksum(iph, off, length + 8, IPPROTO_UDP)
                udp_sum = self.u16(off + 6)
                if s != 0:
                    self.p(f"[bad udp cksum 0x{udp_sum:04x} -> 0x{in_cksum_shouldbe(udp_sum, s):04x}!] ")
                else:
                    self.p("[udp sum ok] ")
        if not self.opts.qflag:
            printer = udp_payload_printer(sport, dport, self, cp)
            if printer is _aodv:
                # aodv_print() is told the IP version
                from ipemu.tcpdump.aodv import aodv_print
                aodv_print(self, cp, length, v6)
                return
            if printer is _olsr:
                # olsr_print() is told the IP version
                from ipemu.tcpdump.olsr import olsr_print
                olsr_print(self, cp, length, v6)
                return
            if printer in (_isakmp, _isakmp_natt):
                # isakmp_print() takes the IP header too (its cookie cache keeps addresses)
                if printer(self, cp, length, iph):
                    return
                printer = None
            if printer is not None:
                printer(self, cp, length)
                return
        if ulen > length and not fragmented:
            self.p(f"UDP, bad length {ulen} > {length}")
        else:
            self.p(f"UDP, length {ulen}")

    # -- TCP -------------------------------------------------------------------
    def tcp_print(self, off: int, length: int, iph: int, fragmented: bool) -> None:
        self.protocol = "tcp"
        v6 = self.u8(iph) >> 4 == 6
        addr = self.ip6addr_string if v6 else self.ipaddr_string
        src, dst = (iph + 8, iph + 24) if v6 else (iph + 12, iph + 16)
        nxt = self.u8(iph + 6) if v6 else self.u8(iph + 9)
        if not self.ttest(off + 2, 2):
            self.p(f"{addr(src)} > {addr(dst)}:")
            self.nd_print_trunc()
            return
        sport, dport = self.u16(off), self.u16(off + 2)
        if nxt == IPPROTO_TCP:
            self.p(f"{addr(src)}.{self.tcpport_string(sport)} > {addr(dst)}.{self.tcpport_string(dport)}: ")
        else:
            self.p(f"{self.tcpport_string(sport)} > {self.tcpport_string(dport)}: ")
        if not self.ttest(off, 20):      # ND_TCHECK_SIZE(tp): goto trunc
            self.nd_print_trunc()
            return
        hlen = (self.u8(off + 12) >> 4) * 4
        if hlen < 20:
            # length - hlen is a u_int subtraction in tcp_print()
            self.p(f" tcp {(length - hlen) & 0xFFFFFFFF} [bad hdr length {hlen} - too short, < 20]")
            return
        seq, ack = self.u32(off + 4), self.u32(off + 8)
        win, urp = self.u16(off + 14), self.u16(off + 18)
        if self.opts.qflag:
            self.p(f"tcp {(length - hlen) & 0xFFFFFFFF}")
            if hlen > length:
                self.p(f" [bad hdr length {hlen} - too long, > {length}]")
            return
        flags = self.u8(off + 13)
        self.p(f"Flags [{bittok2str(TCP_FLAGS, 'none', flags, '')}]")
        rev = False
        thseq = thack = 0
        if flags & 0x10 and not self.opts.Sflag:
            saddr = self.data[src:src + (16 if v6 else 4)]
            daddr = self.data[dst:dst + (16 if v6 else 4)]
            rev = sport > dport or (sport == dport and saddr > daddr)
            key = (v6, daddr, saddr, dport, sport) if rev else (v6, saddr, daddr, sport, dport)
            entry = self.state.tcp_seq.get(key)
            if entry is None or flags & 0x02:
                if rev:
                    entry = {"ack": seq, "seq": (ack - 1) & 0xFFFFFFFF}
                else:
                    entry = {"seq": seq, "ack": (ack - 1) & 0xFFFFFFFF}
                self.state.tcp_seq[key] = entry
            else:
                if rev:
                    seq, ack = (seq - entry["ack"]) & 0xFFFFFFFF, (ack - entry["seq"]) & 0xFFFFFFFF
                else:
                    seq, ack = (seq - entry["seq"]) & 0xFFFFFFFF, (ack - entry["ack"]) & 0xFFFFFFFF
            thseq, thack = entry["seq"], entry["ack"]
        if hlen > length:
            self.p(f" [bad hdr length {hlen} - too long, > {length}]")
            return
        if self.opts.vflag and not self.opts.Kflag and not fragmented and self.ttest(off, length):
            tcp_sum = self.u16(off + 16)
            s = (self.nextproto6_cksum if v6 else self.nextproto4_cksum)(iph, off, length, IPPROTO_TCP)
            self.p(f", cksum 0x{tcp_sum:04x}")
            self.p(f" (incorrect -> 0x{in_cksum_shouldbe(tcp_sum, s):04x})" if s else " (correct)")
        length -= hlen
        if self.opts.vflag > 1 or length > 0 or flags & 0x07:
            self.p(f", seq {seq}")
            if length > 0:
                self.p(f":{(seq + length) & 0xFFFFFFFF}")
        if flags & 0x10:
            self.p(f", ack {ack}")
        self.p(f", win {win}")
        if flags & 0x20:
            self.p(f", urg {urp}")
        if hlen > 20 and not self._tcp_options(off + 20, hlen - 20, rev, thseq, thack, flags,
                                                off + hlen + length):
            return      # tcp_print()'s `bad:` and `trunc:` end the packet's line
        self.p(f", length {length}")
        if length == 0:
            return
        if not self.ttest(off, hlen):
            self.p(f" [remaining caplen({self.avail(off)}) < header length({hlen})]")
            raise Truncated()
        self._tcp_payload(off + hlen, length, flags, sport, dport, iph)

    def _tcp_payload(self, bp: int, length: int, flags: int, sport: int, dport: int,
                     iph: int = 0) -> None:
        """tcp_print()'s payload: RST data under -v, the text protocols (HTTP, FTP, SMTP,
        RTSP, whois), SSH's version line, DNS on port 53 (the other printers of the ports
        tcp_print() checks are not in ipemu: nothing is printed for them)."""
        from ipemu.tcpdump.util import fn_print_char
        if flags & 0x04 and self.opts.vflag:
            # print_tcp_rst_data()
            self.p(" [RST" if self.ttest(bp, length) else " [!RST")
            if length > 30:
                length = 30
                self.p("+")
            self.p(" ")
            while length and bp < self.snapend:
                self.p(fn_print_char(self.u8(bp)))
                bp += 1
                length -= 1
            self.p("]")
            return
        if self.opts.packettype == "resp":
            # -T resp (PT_RESP): Redis's protocol whatever the ports
            from ipemu.tcpdump.resp import resp_print
            resp_print(self, bp, length)
            return
        if self.opts.packettype == "domain":
            # -T domain (PT_DOMAIN): DNS over TCP whatever the ports
            from ipemu.tcpdump.dns import domain_print
            domain_print(self, bp, length, over_tcp=True, is_mdns=False)
            return
        if self.opts.packettype == "zmtp1":
            # -T zmtp1 (PT_ZMTP1): ZeroMQ's ZMTP/1.0 stream
            from ipemu.tcpdump.pgm import zmtp1_print
            zmtp1_print(self, bp, length)
            return
        if self.opts.packettype:
            # tcp_print(): any other -T type prints nothing of the payload
            return
        ports = (sport, dport)
        for port, name in TCP_TEXT_PORTS:
            if port in ports:
                if name == "ssh":
                    from ipemu.tcpdump.text import ssh_print
                    ssh_print(self, bp, length)
                elif name == "telnet":
                    from ipemu.tcpdump.telnet import telnet_print
                    telnet_print(self, bp, length)
                elif name == "bgp":
                    from ipemu.tcpdump.bgp import bgp_print_or_plain
                    bgp_print_or_plain(self, bp, length)
                elif name == "openflow":
                    from ipemu.tcpdump.openflow import openflow_print
                    openflow_print(self, bp, length)
                elif name == "resp":
                    from ipemu.tcpdump.resp import resp_print
                    resp_print(self, bp, length)
                elif name == "pptp":
                    from ipemu.tcpdump.pptp import pptp_print
                    pptp_print(self, bp)
                elif name:
                    from ipemu.tcpdump.text import text_print
                    self.p(": ")
                    text_print(self, name, bp, length)
                return
        if 53 in ports:
            from ipemu.tcpdump.dns import domain_print
            domain_print(self, bp, length, over_tcp=True, is_mdns=False)
        elif 639 in ports:
            from ipemu.tcpdump.routing import msdp_print
            msdp_print(self, bp, length)
        elif 323 in ports:
            from ipemu.tcpdump.bgp import rpki_rtr_print
            rpki_rtr_print(self, bp, length)
        elif 646 in ports:
            from ipemu.tcpdump.ldp import ldp_print
            ldp_print(self, bp, length)
        elif 2049 in ports and length >= 4 and self.ttest(bp, 4):
            # NFS over TCP: the record mark's fragment length, then the RPC message
            fraglen = self.u32(bp) & 0x7FFFFFFF
            if fraglen > length - 4:
                fraglen = length - 4
            rp = bp + 4
            if self.ttest(rp + 4, 4):
                direction = self.u32(rp + 4)
                if (dport == 2049 and direction == 0) or (sport == 2049 and direction == 1):
                    from ipemu.tcpdump import nfs
                    self.p(f": NFS {'request' if direction == 0 else 'reply'} xid "
                           f"{self.u32(rp)} ")
                    (nfs.nfsreq_noaddr_print if direction == 0
                     else nfs.nfsreply_noaddr_print)(self, rp, fraglen, iph)

    def _tcp_options(self, cp: int, hlen: int, rev: bool, thseq: int, thack: int,
                     flags: int, payload_end: int) -> bool:
        """The options of tcp_print(); False when it ended at `bad:` or `trunc:`."""
        self.p(", options [")
        ch = ""
        while hlen > 0:
            self.p(ch)
            opt = self.u8(cp)
            cp += 1
            if opt in (0, 1):
                olen = 1
            else:
                olen = self.u8(cp)
                cp += 1
                if olen < 2 or olen > hlen:
                    self.p("[bad opt]" + ("]" if ch else ""))
                    return False
                hlen -= 1
            hlen -= 1
            datalen = 0
            self.p(tok2str(TCP_OPTIONS, "unknown-%u", opt))

            def lencheck(n: int) -> None:
                if n > hlen:
                    raise _BadOpt()
                if not self.ttest(cp, n):     # ND_TCHECK_LEN: goto trunc, no longjmp
                    raise _OptTrunc()
            try:
                if opt == 2:
                    datalen = 2
                    lencheck(2)
                    self.p(f" {self.u16(cp)}")
                elif opt == 3:
                    datalen = 1
                    lencheck(1)
                    self.p(f" {self.u8(cp)}")
                elif opt == 5:
                    datalen = olen - 2
                    if datalen % 8:
                        self.p(" invalid sack")
                    else:
                        self.p(f" {datalen // 8} ")
                        for i in range(0, datalen, 8):
                            lencheck(i + 8)
                            s, e = self.u32(cp + i), self.u32(cp + i + 4)
                            base = thseq if rev else thack
                            self.p(f"{{{(s - base) & 0xFFFFFFFF}:{(e - base) & 0xFFFFFFFF}}}")
                elif opt in (6, 7, 11, 12, 13):
                    datalen = 4
                    lencheck(4)
                    self.p(f" {self.u32(cp)}")
                elif opt == 8:
                    datalen = 8
                    lencheck(8)
                    self.p(f" val {self.u32(cp)} ecr {self.u32(cp + 4)}")
                elif opt in (0, 1, 4):
                    pass
                elif opt == 28:
                    datalen = 2
                    lencheck(2)
                    uto = self.u16(cp)
                    self.p(f" 0x{uto:x}")
                    self.p(f" {(uto >> 1) * 60 if uto & 1 else uto >> 1}")
                elif opt == 19:
                    datalen = 16     # TCP_SIGLEN
                    lencheck(16)
                    self.p(" ")
                    # tcp_verify_signature() (tcpdump is built with libcrypto; no -M)
                    if payload_end > self.snapend:
                        self.p("snaplen too short, ")
                    else:
                        self.p("shared secret not supplied with -M, ")
                    self.p("can't check - " + self.bytes_(cp, 16).hex())
                elif opt == 20:
                    datalen = 2
                    lencheck(2)
                    self.p(f" cap {self.u8(cp):02x} id {self.u8(cp + 1)}")
                elif opt == 29:
                    datalen = olen - 2
                    if datalen < 2:      # RFC 5925 2.2: the length is at least 4
                        self.p(" (invalid)")
                    else:
                        lencheck(1)
                        self.p(f" keyid {self.u8(cp)}")
                        lencheck(2)
                        self.p(f" rnextkeyid {self.u8(cp + 1)}")
                        if datalen > 2:
                            self.p(" mac 0x")
                            for i in range(2, datalen):
                                lencheck(i + 1)
                                self.p(f"{self.u8(cp + i):02x}")
                elif opt == 30:
                    from ipemu.tcpdump.mptcp import mptcp_print
                    datalen = olen - 2
                    lencheck(datalen)
                    # the option's end is the snapshot end while mptcp_print() runs
                    self.push_snaplen(cp - 2, olen)
                    try:
                        ok = mptcp_print(self, cp - 2, olen, flags)
                    finally:
                        self.pop_snaplen()
                    if not ok:
                        raise _BadOpt()
                elif opt == 34:
                    datalen = olen - 2
                    lencheck(datalen)
                    self.p(" ")
                    self._tcp_fastopen(cp, datalen, exp=False)
                elif opt == 254:
                    datalen = olen - 2
                    lencheck(datalen)
                    if datalen < 2:
                        raise _BadOpt()
                    magic = self.u16(cp)     # RFC 6994
                    self.p("-")
                    if magic == 0xF989:      # TCP Fast Open, RFC 7413
                        self._tcp_fastopen(cp + 2, datalen - 2, exp=True)
                    else:
                        self.p(f"{magic:04x}")
                else:
                    datalen = olen - 2
                    if datalen:
                        self.p(" 0x")
                    for i in range(datalen):
                        lencheck(i + 1)
                        self.p(f"{self.u8(cp + i):02x}")
            except _BadOpt:
                self.p("[bad opt]" + ("]" if ch else ""))
                return False
            except _OptTrunc:
                self.p(f" [|{self.protocol}]" + (">" if ch else ""))
                return False
            cp += datalen
            hlen -= datalen
            datalen += 1 if opt in (0, 1) else 2
            if datalen != olen:
                self.p(f"[len {olen}]")
            ch = ","
            if opt == 0:
                break
        self.p("]")
        return True

    def _tcp_fastopen(self, cp: int, datalen: int, exp: bool) -> None:
        """print_tcp_fastopen_option()."""
        if exp:
            self.p("tfo")
        if datalen == 0:
            self.p(" cookiereq")
        elif datalen % 2 or datalen < 4 or datalen > 16:
            self.p(" (invalid)")
        else:
            self.p(" cookie " + self.bytes_(cp, datalen).hex())


class _BadOpt(Exception):
    pass


class _OptTrunc(Exception):
    pass


# tcp_print()'s port checks before DNS, in its order (Debian builds without SMB, so 139
# and 445 fall through): the printer's name, or None for one ipemu does not have.
TCP_TEXT_PORTS: tuple[tuple[int, str | None], ...] = (
    (23, "telnet"), (25, "smtp"), (43, "whois"), (179, "bgp"), (1723, "pptp"), (6379, "resp"),
    (22, "ssh"), (10288, None), (6633, "openflow"), (6653, "openflow"), (21, "ftp"), (80, "http"),
    (8080, "http"), (554, "rtsp"), (8554, "rtsp"))


# udp_print()'s dispatch on ports (print-udp.c), in its order: the first entry naming
# either port wins; None marks a printer ipemu does not have (the datagram is then
# printed as plain UDP).
# Each entry: which port to test ("either", "dport" or "sport"), the ports, the printer.
UDP_PORT_PRINTERS: list[tuple[str, tuple[int, ...], str | None]] = [
    ("either", (53,), "dns"), ("either", (5353,), "mdns"), ("either", (525,), "timed"),
    ("either", (69,), "tftp"), ("either", (67, 68), "bootp"), ("either", (520,), "rip"),
    ("either", (654,), "aodv"), ("either", (500,), "isakmp"), ("either", (4500,), "isakmp_natt"),
    ("either", (7500, 8500), "isakmp"),
    ("either", (161, 162), "snmp"), ("either", (123,), "ntp"), ("either", (88, 750), "krb"),
    ("either", (1701,), "l2tp"), ("either", (137,), "nbns"), ("either", (138,), None),
    ("dport", (3456,), "vat"), ("either", (2103, 2104), "zephyr"),
    ("either", tuple(range(7000, 7010)), None), ("either", (521,), "ripng"),
    ("either", (546, 547), "dhcp6"), ("either", (5359,), "ahcp"), ("either", (6696, 6697), "babel"),
    ("either", (8231,), "hncp"), ("dport", (4567,), "wb"), ("either", (496,), "autorp"),
    ("either", (1645, 1812, 1646, 1813, 1700, 3799), "radius"), ("dport", (1985,), "hsrp"),
    ("either", (921,), "lwres"), ("either", (646,), "ldp"), ("either", (698,), "olsr"),
    ("either", (3503,), "lspping"), ("sport", (49152,), "bcm_li"),
    ("dport", (3784, 4784, 6784, 3785), "bfd"), ("either", (701,), "lmp"),
    ("either", (1589,), "vqp"), ("either", (6343,), "sflow"), ("either", (12223,), None),
    ("sport", (12223,), None), ("either", (12222,), None), ("either", (5060,), "sip"),
    ("either", (514,), "syslog"), ("either", (8472,), "otv"), ("either", (4789,), "vxlan"),
    ("either", (6081,), "geneve"), ("either", (4342,), "lisp"), ("either", (4790,), "vxlan_gpe"),
    ("either", (17754,), None), ("either", (6635,), "mpls"),
    # KIP: AppleTalk's LLAP/DDP over UDP, when the LAP type is lapDDP (udp_print())
    ("kip", (), "kip"),
    ("either", (319, 320), "ptp"), ("either", (30490,), "someip"),
]


def _packettype_printers() -> dict:
    """udp_print()'s ndo_packettype cases (-T) that ipemu has printers for; the other
    types (rpc, cnfp, someip) are not ported and leave the
    port dispatch as it is."""
    from ipemu.tcpdump.rtp import rtcp_packets_print, rtp_print, vat_print
    return {"snmp": _snmp, "tftp": _tftp, "radius": _radius, "vxlan": _vxlan,
            "domain": _dns, "vat": vat_print, "rtp": rtp_print, "rtcp": rtcp_packets_print,
            "ptp": _ptp, "aodv": _aodv, "pgm": _pgm, "pgm_zmtp1": _pgm, "wb": _wb,
            "lmp": _lmp}


def udp_payload_printer(sport: int, dport: int, d: Dissector | None = None, cp: int = 0):
    """The payload printer udp_print() picks for these ports (and, for KIP, the
    payload's LAP type at `cp`), or None."""
    from ipemu.tcpdump.atalk import atalk_port
    for which, ports, name in UDP_PORT_PRINTERS:
        if which == "kip":
            if (d is not None and d.ttest(cp + 2, 1) and d.u8(cp + 2) == 2
                    and (atalk_port(sport) or atalk_port(dport))):
                return _kip
            continue
        if ((which != "dport" and sport in ports) or (which != "sport" and dport in ports)):
            return _UDP_PRINTERS.get(name) if name else None
    return None


def _mpls(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.l2 import mpls_print
    mpls_print(d, off, length)


def _autorp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.pim import cisco_autorp_print
    cisco_autorp_print(d, off, length)


def _bfd(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.bfd import bfd_print
    bfd_print(d, off, length, d.u16(off - 6))      # udp_print() passes the dport


def _ptp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.ptp import ptp_print
    ptp_print(d, off, length)


def _vat(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.rtp import vat_print
    vat_print(d, off, length)


def _radius(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.radius import radius_print
    radius_print(d, off, length)


def _isakmp(d: Dissector, off: int, length: int, iph: int) -> bool:
    from ipemu.tcpdump.isakmp import isakmp_print
    return isakmp_print(d, off, length, iph)


def _isakmp_natt(d: Dissector, off: int, length: int, iph: int) -> bool:
    from ipemu.tcpdump.isakmp import isakmp_rfc3948_print
    return isakmp_rfc3948_print(d, off, length, iph)


def _geneve(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.vxlan import geneve_print
    geneve_print(d, off, length)


def _ripng(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.rip import ripng_print
    ripng_print(d, off, length)


# print-krb.c type2str[] and kerr2str[] (Kerberos 4; the type's low bit is byte order)
KRB4_TYPES = {2: "KDC_REQUEST", 4: "KDC_REPLY", 6: "APPL_REQUEST", 8: "APPL_REQUEST_MUTUAL",
              10: "ERR_REPLY", 12: "PRIVATE", 14: "SAFE", 16: "APPL_ERR", 126: "DIE"}
KRB4_ERRORS = {0: "OK", 1: "NAME_EXP", 2: "SERVICE_EXP", 3: "AUTH_EXP", 4: "PKT_VER",
               5: "NAME_MAST_KEY_VER", 6: "SERV_MAST_KEY_VER", 7: "BYTE_ORDER",
               8: "PRINCIPAL_UNKNOWN", 9: "PRINCIPAL_NOT_UNIQUE", 10: "NULL_KEY"}


def _krb(d: Dissector, off: int, length: int) -> None:
    """krb_print() (print-krb.c): the protocol version; Kerberos 5's ASN.1 is not
    decoded there either, and other first bytes print nothing."""
    d.protocol = "krb"
    if off >= d.snapend:
        d.nd_print_trunc()
        return
    pvno = d.u8(off)
    if pvno in (1, 2, 3):
        d.p(f" v{pvno}")
    elif pvno == 4:
        d.p(f" v{pvno}")
        from ipemu.tcpdump.util import fn_print_char

        class _KrbTrunc(Exception):
            pass

        def c_print(cp: int) -> int:
            """c_print(): characters up to a NUL; past the captured bytes, trunc."""
            while cp < d.snapend:
                c = d.u8(cp)
                cp += 1
                if c == 0:
                    return cp
                d.p(fn_print_char(c))
            raise _KrbTrunc()

        def hdr(cp: int) -> int:
            cp = c_print(cp + 2)
            d.p(".")
            cp = c_print(cp)
            d.p("@")
            return c_print(cp)

        kind = d.u8(off + 1)
        little = kind & 1

        def ktohs(at: int) -> int:
            d.need(at, 2)
            b = d.data[at:at + 2]
            return b[0] | b[1] << 8 if little else b[0] << 8 | b[1]
        kind &= 0xFE
        d.p(f" {'le' if little else 'be'} {KRB4_TYPES.get(kind, f'#{kind}')}: ")
        cp = off
        try:
            if kind == 2:
                cp = hdr(cp) + 4
                d.p(f" {d.u8(cp) * 5}min ")
                cp = c_print(cp + 1)
                d.p(".")
                c_print(cp)
            elif kind == 6:
                cp += 2
                d.p(f"v{d.u8(cp)} ")
                cp = c_print(cp + 1)
                d.p(f" ({d.u8(cp)})")
                d.p(f" ({d.u8(cp + 1)})")
            elif kind == 4:
                cp = hdr(cp) + 10
                d.p(f" ({ktohs(cp)})")
            elif kind == 10:
                cp = hdr(cp) + 4
                code = ktohs(cp)
                d.p(f" {KRB4_ERRORS.get(code, f'#{code}')} ")
                c_print(cp + 4)
            else:
                d.p("(unknown)")
        except _KrbTrunc:
            d.nd_print_trunc()
    elif pvno in (106, 107):
        d.p(" v5")


def _bcm_li(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.bcm_li import bcm_li_print
    bcm_li_print(d, off, length)


def _hsrp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.routing import hsrp_print
    hsrp_print(d, off, length)


def _ldp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.ldp import ldp_print
    ldp_print(d, off, length)


def _l2tp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.l2tp import l2tp_print
    l2tp_print(d, off, length)


def _lisp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.lisp import lisp_print
    lisp_print(d, off, length)


def _sflow(d: Dissector, off: int, length: int) -> None:
    """sflow_print(): the version, agent and length; under -v the samples (sflow.py)."""
    d.protocol = "sflow"
    version, ip_version = d.u32(off), d.u32(off + 4)
    if (length < 28 and ip_version == 1) or (length < 40 and ip_version == 2):
        d.p(f"sFlowv{version} [length {length} < 28] (invalid)")
        return
    d.need(off, 28)
    if version != 5:
        d.p(f"sFlow version {version} packet not supported")
        return
    if d.opts.vflag:
        from ipemu.tcpdump.sflow import sflow_verbose_print
        sflow_verbose_print(d, off, length, ip_version)
        return
    if ip_version == 1:
        agent, agent_id = d.ipaddr_string(off + 8), d.u32(off + 12)
    else:
        agent, agent_id = d.ip6addr_string(off + 8), d.u32(off + 24)
    d.p(f"sFlowv{version}, {'IPv4' if ip_version == 1 else 'IPv6'} agent {agent}, "
        f"agent-id {agent_id}, length {length}")


def _lspping(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.lspping import lspping_print
    lspping_print(d, off, length)


def _tftp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.tftp import tftp_print
    tftp_print(d, off, length)


def _sip(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.text import text_print
    text_print(d, "sip", off, length)


def _syslog(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.syslog import syslog_print
    syslog_print(d, off, length)


def _ntp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.ntp import ntp_print
    ntp_print(d, off, length)


def _dns(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.dns import domain_print
    domain_print(d, off, length, over_tcp=False, is_mdns=False)


def _mdns(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.dns import domain_print
    domain_print(d, off, length, over_tcp=False, is_mdns=True)


def _bootp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.bootp import bootp_print
    bootp_print(d, off, length)


def _snmp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.snmp import snmp_print
    snmp_print(d, off, length)


def _rip(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.rip import rip_print
    rip_print(d, off, length)


def _dhcp6(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.dhcp6 import dhcp6_print
    dhcp6_print(d, off, length)


def _vxlan(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.vxlan import vxlan_print
    vxlan_print(d, off, length)


def _timed(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.routing import timed_print
    timed_print(d, off)


def _someip(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.routing import someip_print
    someip_print(d, off, length)


def _kip(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.atalk import llap_print
    if d.opts.vflag:
        d.p("kip ")
    llap_print(d, off, length)


def _zephyr(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.zephyr import zephyr_print
    zephyr_print(d, off, length)


def _lwres(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.lwres import lwres_print
    lwres_print(d, off, length)


def _wb(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.wb import wb_print
    wb_print(d, off, length)


def _hncp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.hncp import hncp_print
    hncp_print(d, off, length)


def _vqp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.routing import vqp_print
    vqp_print(d, off, length)


def _pgm(d: Dissector, off: int, length: int) -> None:
    """-T pgm and -T pgm_zmtp1 over UDP (udp_print() calls pgm_print() with the IP
    header: the caller passes it instead of this stand-in)."""
    raise AssertionError("pgm_print() takes the IP header")


def _lmp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.lmp import lmp_print
    lmp_print(d, off, length)


def _aodv(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.aodv import aodv_print
    aodv_print(d, off, length, False)


def _olsr(d: Dissector, off: int, length: int) -> None:
    """(udp_print() calls olsr_print() with the IP version itself)"""


def _ahcp(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.babel import ahcp_print
    ahcp_print(d, off, length)


def _babel(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.babel import babel_print
    babel_print(d, off, length)


def _vxlan_gpe(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.vxlan import vxlan_gpe_print
    vxlan_gpe_print(d, off, length)


def _otv(d: Dissector, off: int, length: int) -> None:
    from ipemu.tcpdump.vxlan import otv_print
    otv_print(d, off, length)


_UDP_PRINTERS = {"snmp": _snmp, "rip": _rip, "bootp": _bootp, "syslog": _syslog, "ntp": _ntp,
                 "dns": _dns, "mdns": _mdns, "sip": _sip, "mpls": _mpls, "tftp": _tftp,
                 "radius": _radius, "hsrp": _hsrp, "ldp": _ldp, "lspping": _lspping,
                 "bcm_li": _bcm_li, "isakmp": _isakmp, "isakmp_natt": _isakmp_natt,
                 "krb": _krb, "aodv": _aodv, "vqp": _vqp, "hncp": _hncp, "wb": _wb, "zephyr": _zephyr, "lwres": _lwres, "ripng": _ripng, "geneve": _geneve,
                 "vxlan": _vxlan, "vxlan_gpe": _vxlan_gpe, "babel": _babel, "ahcp": _ahcp, "olsr": _olsr, "someip": _someip, "timed": _timed, "otv": _otv, "dhcp6": _dhcp6, "sflow": _sflow,
                 "lisp": _lisp, "l2tp": _l2tp, "vat": _vat, "ptp": _ptp, "bfd": _bfd,
                 "autorp": _autorp, "lmp": _lmp}


def etheraddr_text(mac: bytes, nflag: int) -> str:
    """etheraddr_string(): `aa:bb:...`; without -n, `Broadcast` for ff:..:ff and an
    ` (oui NAME)` suffix from tcpdump's small OUI table (no /etc/ethers on the host)."""
    if not nflag and mac == b"\xff" * 6:
        return "Broadcast"
    text = ":".join(f"{b:02x}" for b in mac)
    if not nflag:
        oui = int.from_bytes(mac[:3], "big")
        text += f" (oui {names.OUIS.get(oui, 'Unknown')})"
    return text


def ieee8021q_tci_string(tci: int) -> str:
    text = f"vlan {tci & 0xFFF}, p {tci >> 13}"
    if tci & 0x1000:
        text += ", DEI"
    return text


BSD_AF = {2: "IPv4", 6: "NS", 7: "ISO", 16: "Appletalk", 23: "IPX", 24: "IPv6", 28: "IPv6",
          30: "IPv6"}      # bsd_af_values (af.c)
SLL_PKTTYPES = {0: "In", 1: "B", 2: "M", 3: "P", 4: "Out"}
ARPOP = {1: "Request", 2: "Reply", 3: "Reverse Request", 4: "Reverse Reply",
         8: "Inverse Request", 9: "Inverse Reply", 10: "NACK Reply"}
ARPHRD = {1: "Ethernet", 6: "TokenRing", 7: "ArcNet", 15: "FrameRelay", 23: "Strip",
          24: "IEEE 1394", 19: "ATM", 32: "InfiniBand"}
IPOPT_NAMES = {0: "EOL", 1: "NOP", 68: "timestamp", 130: "security", 7: "RR", 137: "SSRR",
               131: "LSRR", 148: "RA", 82: "traceroute"}
TCP_FLAGS = [(0x01, "F"), (0x02, "S"), (0x04, "R"), (0x08, "P"), (0x10, "."), (0x20, "U"),
             (0x40, "E"), (0x80, "W")]
TCP_OPTIONS = {0: "eol", 1: "nop", 2: "mss", 3: "wscale", 4: "sackOK", 5: "sack", 6: "echo",
               7: "echoreply", 8: "TS", 11: "cc", 12: "ccnew", 13: "", 19: "md5", 20: "scps",
               28: "uto", 29: "tcp-ao", 30: "mptcp", 34: "tfo", 254: "exp"}


UDP_PACKET_TYPES = _packettype_printers()
