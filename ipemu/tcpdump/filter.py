"""pcap-filter expressions: grammar/tcpdump.lark parsed the way libpcap 1.10.3 parses
them, compiled into a Python predicate over captured frames.

The scanner cuts tokens as flex does (longest match, then the earlier rule), using the
terminal definitions of the grammar. The parser's reductions run the semantic actions
of grammar.y in the same order libpcap runs them, so the first error met is the one
libpcap reports (`FilterError.message` is what tcpdump prints after `tcpdump: `).
A qualifier left out after `and`/`or` is inherited from the term before, as yacc's
`$<blk>0` does: `host a or b` is `host a or host b`.

The code below mirrors gencode.c's generators (gen_host, gen_port, gen_proto,
gen_load, ...): each returns a block, a function of the packet. Reading past the end of
the frame rejects the packet as a BPF program does, whatever surrounds the read.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence

from ipemu.plainclass import dataclass
from ipemu.tcpdump import names
from ipemu.tcpdump.dissect import (
    LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW)

ETHERTYPE_IP = 0x0800
ETHERTYPE_ARP = 0x0806
ETHERTYPE_REVARP = 0x8035
ETHERTYPE_IPV6 = 0x86DD
PROTO_UNDEF = -1
IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP = 6, 17, 132

LINKTYPE_DESCRIPTIONS = {
    LINKTYPE_ETHERNET: "Ethernet", LINKTYPE_RAW: "Raw IP", 12: "Raw IP", 0: "BSD loopback",
    108: "OpenBSD loopback", 228: "Raw IPv4", 229: "Raw IPv6",
    LINKTYPE_LINUX_SLL: "Linux cooked v1", LINKTYPE_LINUX_SLL2: "Linux cooked v2",
}
# pcap_nametoeproto / pcap_nametollc: names for `ether proto \NAME`.
ETHER_PROTO_BY_NAME = {"aarp": 0x80F3, "arp": ETHERTYPE_ARP, "atalk": 0x809B, "decnet": 0x6003,
                       "ip": ETHERTYPE_IP, "ip6": ETHERTYPE_IPV6, "lat": 0x6004,
                       "loopback": 0x9000, "mopdl": 0x6001, "moprc": 0x6002,
                       "rarp": ETHERTYPE_REVARP, "sca": 0x6007,
                       "iso": 0xFE, "stp": 0x42, "ipx": 0xE0, "netbeui": 0xF0}
# grammar.y's ieee80211_types and their subtype names (ieee80211_type_subtypes)
IEEE80211_SUBTYPES = {
    "mgt": ("assocreq", "assocresp", "reassocreq", "reassocresp", "probereq", "proberesp",
            "beacon", "atim", "disassoc", "auth", "deauth"),
    "ctl": ("ps-poll", "rts", "cts", "ack", "cf-end", "cf-end-ack"),
    "data": ("data", "data-cf-ack", "data-cf-poll", "data-cf-ack-poll", "null", "cf-ack",
             "cf-poll", "cf-ack-poll", "qos-data", "qos-data-cf-ack", "qos-data-cf-poll",
             "qos-data-cf-ack-poll", "qos", "qos-cf-poll", "qos-cf-ack-poll")}
# grammar.y's llc_s_subtypes and llc_u_subtypes (llc.h's command values)
LLC_S_SUBTYPES = {"rr": 0x01, "rnr": 0x05, "rej": 0x09}
LLC_U_SUBTYPES = {"ui": 0x03, "ua": 0x63, "disc": 0x43, "dm": 0x0F, "sabme": 0x6F,
                  "test": 0xE3, "xid": 0xAF, "frmr": 0x87}
# pflog's names (pfreason_to_num()'s PFRES_NAMES, pfaction_to_num()'s words).
PF_REASONS = ("match", "bad-offset", "fragment", "short", "normalize", "memory",
              "bad-timestamp", "congestion", "ip-option", "proto-cksum", "state-mismatch",
              "state-insert", "state-limit", "src-limit", "synproxy")
PF_ACTIONS = ("pass", "accept", "drop", "block", "rdr", "nordr", "nat", "nonat", "binat",
              "nobinat", "scrub", "noscrub")
# Debian 12's /etc/networks (getnetbyname).
NETWORKS = {"default": 0, "loopback": 0x7F000000, "link-local": 0xA9FE0000}

# Named numbers of scanner.l.
NAMED_NUMBERS = {
    "icmptype": 0, "icmpcode": 1, "icmp-echoreply": 0, "icmp-unreach": 3,
    "icmp-sourcequench": 4, "icmp-redirect": 5, "icmp-echo": 8, "icmp-routeradvert": 9,
    "icmp-routersolicit": 10, "icmp-timxceed": 11, "icmp-paramprob": 12, "icmp-tstamp": 13,
    "icmp-tstampreply": 14, "icmp-ireq": 15, "icmp-ireqreply": 16, "icmp-maskreq": 17,
    "icmp-maskreply": 18, "icmp6type": 0, "icmp6code": 1, "icmp6-destinationunreach": 1,
    "icmp6-packettoobig": 2, "icmp6-timeexceeded": 3, "icmp6-parameterproblem": 4,
    "icmp6-echo": 128, "icmp6-echoreply": 129, "icmp6-multicastlistenerquery": 130,
    "icmp6-multicastlistenerreportv1": 131, "icmp6-multicastlistenerdone": 132,
    "icmp6-routersolicit": 133, "icmp6-routeradvert": 134, "icmp6-neighborsolicit": 135,
    "icmp6-neighboradvert": 136, "icmp6-redirect": 137, "icmp6-routerrenum": 138,
    "icmp6-nodeinformationquery": 139, "icmp6-nodeinformationresponse": 140,
    "icmp6-ineighbordiscoverysolicit": 141, "icmp6-ineighbordiscoveryadvert": 142,
    "icmp6-multicastlistenerreportv2": 143, "icmp6-homeagentdiscoveryrequest": 144,
    "icmp6-homeagentdiscoveryreply": 145, "icmp6-mobileprefixsolicit": 146,
    "icmp6-mobileprefixadvert": 147, "icmp6-certpathsolicit": 148, "icmp6-certpathadvert": 149,
    "icmp6-multicastrouteradvert": 151, "icmp6-multicastroutersolicit": 152,
    "icmp6-multicastrouterterm": 153, "tcpflags": 13, "tcp-fin": 0x01, "tcp-syn": 0x02,
    "tcp-rst": 0x04, "tcp-push": 0x08, "tcp-ack": 0x10, "tcp-urg": 0x20, "tcp-ece": 0x40,
    "tcp-cwr": 0x80,
}

# Token type -> qualifier name (the keyword libpcap's messages use).
PNAMES = {"LINK": "link", "IP": "ip", "ARP": "arp", "RARP": "rarp", "SCTP": "sctp", "TCP": "tcp",
          "UDP": "udp", "ICMP": "icmp", "IGMP": "igmp", "IGRP": "igrp", "PIM": "pim",
          "VRRP": "vrrp", "CARP": "carp", "ATALK": "atalk", "AARP": "aarp", "DECNET": "decnet",
          "LAT": "lat", "SCA": "sca", "MOPDL": "mopdl", "MOPRC": "moprc", "IPV6": "ip6",
          "ICMPV6": "icmp6", "AH": "ah", "ESP": "esp", "ISO": "iso", "ESIS": "esis",
          "ISIS": "isis", "L1": "l1", "L2": "l2", "IIH": "iih", "LSP": "lsp", "SNP": "snp",
          "PSNP": "psnp", "CSNP": "csnp", "CLNP": "clnp", "STP": "stp", "IPX": "ipx",
          "NETBEUI": "netbeui", "RADIO": "radio"}

DEFAULT, UNDEF = "default", "undef"


class FilterError(Exception):
    """A filter libpcap rejects; `message` is what follows `tcpdump: `."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _OutOfBounds(Exception):
    """A load past the captured bytes: the BPF program returns 0."""


@dataclass(frozen=True)
class Qual:
    proto: str
    dir: str
    addr: str


QERR = Qual(UNDEF, UNDEF, UNDEF)

# The link header's length (off_linkpl): BSD/OpenBSD loopback 4, raw IP none.
_LL_OFF = {LINKTYPE_ETHERNET: 14, LINKTYPE_LINUX_SLL: 16, LINKTYPE_LINUX_SLL2: 20,
           LINKTYPE_RAW: 0, 12: 0, 228: 0, 229: 0, 0: 4, 108: 4, 9: 4, 104: 4, 226: 24,
           107: 0, 8: 16, 102: 24, 50: 4}
# (init_linktype()'s DLT_FRELAY: off_linkpl 0 and off_nl 0 for code after the NLPID's
# check, so `icmp` reads the frame's byte 9, not the IP header's: recorded, tcpdump -d)

# Links without an ethertype and the network protocols gen_linktype() finds on them
_IP_ONLY = {LINKTYPE_RAW: (0x0800, 0x86DD), 12: (0x0800, 0x86DD), 0: (0x0800, 0x86DD),
            108: (0x0800, 0x86DD), 228: (0x0800,), 229: (0x86DD,), 226: (0x0800, 0x86DD),
            107: (0x0800, 0x86DD, 0xFE), 8: (0x0800, 0x86DD), 102: (0x0800, 0x86DD)}

# Link types ipemu prints whose header has no next-protocol field libpcap 1.10.3 knows
# (init_linktype()'s default: off_linktype OFFSET_NOT_SET): gen_linktype() refuses them
# with their description; NFLOG's message is its own (gencode.c). Recorded on
# tests/data/captures43's dsa, brcm-tag, nflog, ipoib and vsock captures.
_NO_LINKTYPE_FILTER = {182: "Multi-link Frame Relay", 239: "NFLOG", 242: "RFC 4391 IP-over-Infiniband",
                       271: "Linux vsock", 281: "Broadcom tag",
                       282: "Broadcom tag (prepended)", 284: "Marvell DSA",
                       285: "Marvell EDSA"}


# gen_proto_abbrev_internal()'s IS-IS PDU type keywords (Q_ISIS_L1 ...)
ISIS_PDU_KEYWORDS = {"l1": (26, 24, 18, 15, 17), "l2": (27, 25, 20, 16, 17),
                     "iih": (17, 15, 16), "lsp": (18, 20), "snp": (27, 26, 24, 25),
                     "csnp": (24, 25), "psnp": (26, 27)}

# gencode.c ethertype_to_ppptype(): the PPP protocol numbers of the types it knows
ETHERTYPE_TO_PPP = {0x0800: 0x0021, 0x86DD: 0x0057, 0x6003: 0x0027, 0x809B: 0x0029,
                    0x0600: 0x0025, 0xFE: 0x0023, 0x42: 0x0031, 0xE0: 0x002B}
PPP_TO_ETHERTYPE = {v: k for k, v in ETHERTYPE_TO_PPP.items()}


class Packet:
    """One frame as the filter sees it: loads relative to the link header or to the
    link-layer payload (libpcap's OR_LINKHDR / OR_LINKPL)."""
    __slots__ = ("frame", "linktype", "wirelen", "outgoing", "ll_off", "lt_off", "ppp",
                 "ifindex")

    def __init__(self, frame: bytes, linktype: int, wirelen: int, outgoing: bool | None,
                 ifindex: int | None = None):
        self.frame = frame
        self.linktype = linktype
        self.wirelen = wirelen
        self.outgoing = outgoing
        self.ifindex = ifindex      # a live capture's SKF_AD_IFINDEX (None: not known)
        self.ll_off = _LL_OFF.get(linktype, 14)
        self.lt_off = 12            # off_linktype on Ethernet
        self.ppp = False            # inside `pppoes`: the type is a PPP protocol number
        if linktype in (9, 104, 50):
            # PPP (and PPP_SERIAL, as init_linktype() takes it) and Cisco HDLC:
            # address, control, then the protocol (PPP's numbers)
            self.lt_off, self.ppp = 2, linktype in (9, 50)

    def shifted(self, by: int) -> "Packet":
        """The packet as code compiled after `by / 4` vlan keywords sees it: the type and
        payload offsets moved past the tags (gen_vlan_no_bpf_extensions())."""
        view = Packet(self.frame, self.linktype, self.wirelen, self.outgoing,
                      self.ifindex)
        view.ll_off, view.lt_off = self.ll_off + by, self.lt_off + by
        return view

    def geneve_inner(self) -> "Packet":
        """The packet as code compiled after `geneve` sees it (gen_geneve_offsets()):
        the Geneve header behind the IP header (its length from the first byte:
        8 + 4 * option words), then an Ethernet frame when the protocol is
        Transparent Ethernet Bridging (0x6558), else the network header at once, its
        type the Geneve protocol field. Only a packet the geneve test took gets here."""
        ethertype = self.ethertype()
        if ethertype == ETHERTYPE_IP:
            udp = self.ll_off + ((self.load(self.ll_off, 1) & 0x0F) << 2)
        else:
            udp = self.ll_off + 40
        gen = udp + 8
        opts = (self.load(gen, 1) & 0x3F) << 2
        proto = self.load(gen + 2, 2)
        if proto == 0x6558:             # ETHERTYPE_TEB: an Ethernet frame inside
            return Packet(self.frame[gen + 8 + opts:], LINKTYPE_ETHERNET, self.wirelen,
                          self.outgoing, self.ifindex)
        view = Packet(self.frame[gen:], LINKTYPE_ETHERNET, self.wirelen, self.outgoing,
                      self.ifindex)
        view.ll_off, view.lt_off = 8 + opts, 2
        return view

    def pppoe_inner(self, shift: int) -> "Packet":
        """The packet as code compiled after `pppoes` sees it (gen_pppoes()'s
        PUSH_LINKHDR(DLT_PPP)): the PPP protocol field 6 bytes into the link-layer
        payload (past the PPPoE header, and past the vlan tags before it), the network
        header 2 bytes after that."""
        view = Packet(self.frame, self.linktype, self.wirelen, self.outgoing,
                      self.ifindex)
        view.lt_off = self.ll_off + shift + 6
        view.ll_off = view.lt_off + 2
        view.ppp = True
        return view

    def load(self, off: int, size: int) -> int:
        if off < 0 or off + size > len(self.frame):
            raise _OutOfBounds()
        return int.from_bytes(self.frame[off:off + size], "big")

    def pl(self, off: int, size: int) -> int:
        return self.load(self.ll_off + off, size)

    def ethertype(self) -> int:
        if self.ppp:
            # gen_linktype() on PPP compares ethertype_to_ppptype() of the type asked:
            # the type a PPP number stands for; a number that is itself an ethertype
            # some PPP number replaces never matches that type
            raw = self.load(self.lt_off, 2)
            if raw in PPP_TO_ETHERTYPE:
                return PPP_TO_ETHERTYPE[raw]
            return -1 if raw in ETHERTYPE_TO_PPP else raw
        if self.linktype == LINKTYPE_LINUX_SLL:
            return self.load(14, 2)
        if self.linktype == LINKTYPE_LINUX_SLL2:
            return self.load(0, 2)
        if self.linktype in (LINKTYPE_RAW, 12, 8, 102):
            # gen_linktype()'s version nibble at the link header's first byte: on
            # SLIP that is the pseudo-header's direction byte, so ip and ip6 never
            # match there (fields still load from the IP header at off_linkpl 16,
            # SLIP_BSDOS's 24; recorded)
            version = self.load(0, 1) >> 4
            return {4: ETHERTYPE_IP, 6: ETHERTYPE_IPV6}.get(version, -1)
        if self.linktype in (228, 229):
            # DLT_IPV4 and DLT_IPV6 hold one version only (gen_linktype())
            return ETHERTYPE_IP if self.linktype == 228 else ETHERTYPE_IPV6
        if self.linktype == 107:
            # gen_linktype() on DLT_FRELAY: UI and the NLPID after a 2-byte address
            # (IP 0xcc, IPv6 0x8e, OSI's CLNP, ES-IS and IS-IS for `iso`)
            word = self.load(2, 2)
            return {0x03CC: ETHERTYPE_IP, 0x038E: ETHERTYPE_IPV6, 0x0381: 0xFE,
                    0x0382: 0xFE, 0x0383: 0xFE}.get(word, -1)
        if self.linktype == 226:
            # gen_ipnet_linktype(): Solaris's AF_INET and AF_INET6 in the family byte
            return {2: ETHERTYPE_IP, 26: ETHERTYPE_IPV6}.get(self.load(1, 1), -1)
        if self.linktype in (0, 108):
            # the AF_ value in the capturing host's order (gen_loopback_linktype())
            family = self.load(0, 4)
            if family & 0xFFFF0000:
                family = int.from_bytes(self.frame[:4], "little")
            return {2: ETHERTYPE_IP, 24: ETHERTYPE_IPV6, 28: ETHERTYPE_IPV6,
                    30: ETHERTYPE_IPV6}.get(family, -1)
        return self.load(self.lt_off, 2)


Block = Callable[[Packet], bool]


# Each block may carry `req`: the alternatives (a disjunction of conjunctions) of field
# values that every packet it accepts must have: the ethertype, the IP protocol, an
# address. An empty list means no packet can satisfy it; libpcap's optimizer finds such
# contradictions and refuses the filter ("expression rejects all packets").
_MAX_ALTERNATIVES = 64


# the longest filter (in words) a capture has optimized to decide that: the port's cost
# grows with the square of the blocks (a 100-port filter takes seconds), -d's does not
# stop there
MAX_OPTIMIZED_WORDS = 40


def _rejects_all(text: str, linktype: int | None, block, live: bool, hosts=None) -> bool:
    """pcap_compile(): the optimizer left `ret #0`. libpcap's own code generator and
    optimizer decide where ipemu has them (bpfgen: the primitives tutorials combine;
    `live` for a device's VLAN code); elsewhere the blocks' requirements stand in for
    them."""
    from ipemu.tcpdump import bpfgen
    if len(text.split()) > MAX_OPTIMIZED_WORDS:
        return not _req(block)
    try:
        if bpfgen.compile(text, 262144, 1 if linktype is None else linktype,
                          live, hosts=hosts) is not None:
            return False
    except bpfgen.CompileError as err:
        if str(err) == "expression rejects all packets":
            return True
        raise FilterError(str(err)) from None       # gen_arth()'s, the optimizer's
    return not _req(block)
_UNKNOWN: list[dict] = [{}]


def _req(block: Block) -> list[dict]:
    return getattr(block, "req", _UNKNOWN)


def _with_req(block: Block, req: list[dict]) -> Block:
    block.req = req if len(req) <= _MAX_ALTERNATIVES else _UNKNOWN
    return block


def _meet(merged: dict, key: str, value) -> bool:
    """One requirement added to an alternative: False when they contradict. A
    frozenset is the values a field must not have (an exact test negated)."""
    old = merged.get(key)
    if old is None:
        merged[key] = value
        return True
    if isinstance(old, frozenset) and isinstance(value, frozenset):
        merged[key] = old | value
        return True
    if isinstance(old, frozenset):
        merged[key] = value
        return value not in old
    if isinstance(value, frozenset):
        return old not in value
    return old == value


def _and(a: Block, b: Block) -> Block:
    req = []
    for ra in _req(a):
        for rb in _req(b):
            merged = dict(ra)
            if all(_meet(merged, k, v) for k, v in rb.items()):
                req.append(merged)
    return _with_req(lambda p: a(p) and b(p), req)


def _or(a: Block, b: Block) -> Block:
    block = _with_req(lambda p: a(p) or b(p), _req(a) + _req(b))
    if getattr(a, "exact", False) and getattr(b, "exact", False):
        block.exact = True        # its alternatives are exactly what it accepts
    return block


def _not(a: Block) -> Block:
    negated = lambda p: not a(p)  # noqa: E731
    alts = _req(a)
    keys = {k for alt in alts for k in alt}
    if not getattr(a, "exact", False) or len(keys) != 1 or \
            any(len(alt) != 1 for alt in alts):
        return negated
    # a block that is exactly tests of one field (the link type's): its negation is
    # that field's other values, so `ip and not ip` is a contradiction the optimizer
    # refuses as libpcap's does
    key = keys.pop()
    values = [alt[key] for alt in alts]
    if all(isinstance(v, int) for v in values):
        block = _with_req(negated, [{key: frozenset(values)}])
    elif len(values) == 1:
        block = _with_req(negated, [{key: v} for v in sorted(values[0])])
    else:
        return negated
    block.exact = True
    return block


def _true(_p: Packet) -> bool:
    return True


# -- the generators (gencode.c) -------------------------------------------------------

class Compiler:
    """The compiler state of one filter: the link type, netmask and name tables."""

    def __init__(self, linktype: int, netmask: int, hosts: Mapping[str, Sequence[str]],
                 savefile: bool):
        self.linktype = linktype
        self.netmask = netmask
        self.hosts = hosts
        self.savefile = savefile
        # gen_vlan() moves off_linktype and off_linkpl on by 4 for all code generated
        # after it (whatever the and/or/not around it); gen_mpls() counts labels
        self.vlan_shift = 0
        self.label_stack_depth = 0
        # gen_geneve(): the code generated after it looks into the Geneve payload
        self.is_geneve = False
        # gen_pppoes(): the code generated after it looks into the PPP packet (the
        # vlan shift at that point kept)
        self.pppoes_shift: int | None = None
        # gen_protochain() loops over the extension headers with backward jumps
        # (`ja again`), which the kernel's bpf_check_classic() refuses
        self.backward_jumps = False

    def here(self, block: Block) -> Block:
        """A block generated now, seen through the offsets vlan keywords so far moved;
        its requirements keyed by that shift so the optimizer's contradiction check
        compares like with like."""
        if getattr(block, "positioned", False):
            return block
        if self.pppoes_shift is not None:
            inner = self.pppoes_shift
            req = [{f"{k}@pppoes{inner}": v for k, v in alt.items()} for alt in _req(block)]
            return _with_req(lambda p: block(p.pppoe_inner(inner)), req)
        if self.is_geneve:
            # gen_geneve_offsets(): every offset now starts in the Geneve payload
            req = [{f"{k}@geneve": v for k, v in alt.items()} for alt in _req(block)]
            return _with_req(lambda p: block(p.geneve_inner()), req)
        shift = self.vlan_shift
        if not shift:
            return block
        req = [{f"{k}@{shift}": v for k, v in alt.items()} for alt in _req(block)]
        return _with_req(lambda p: block(p.shifted(shift)), req)

    def error(self, message: str):
        raise FilterError(message)

    # link layer
    def gen_linktype(self, ll_proto: int) -> Block:
        if self.label_stack_depth > 0:
            # gen_mpls_linktype(): inside an MPLS stack the bottom label's S bit and the
            # IP version nibble stand for the type
            if ll_proto not in (ETHERTYPE_IP, ETHERTYPE_IPV6):
                self.error("unsupported protocol over mpls")
            version = 4 if ll_proto == ETHERTYPE_IP else 6

            def mpls_ip(p: Packet) -> bool:
                return bool(p.pl(-2, 1) & 0x01) and p.pl(0, 1) >> 4 == version
            return mpls_ip
        if self.linktype in _NO_LINKTYPE_FILTER:
            self.error(f"{_NO_LINKTYPE_FILTER[self.linktype]} link-layer type filtering "
                       "not implemented")
        # (libpcap 1.10 compares LINUX_SLL2's protocol field with the SAP itself)
        if ll_proto == 0xE0 and self.linktype == LINKTYPE_ETHERNET:
            # gen_ether_linktype()'s LLCSAP_IPX: an 802.3 frame whose payload starts
            # with the IPX SAP, 0xffff (raw 802.3) or a SNAP header of 0x8137, or an
            # Ethernet II frame of type 0x8137
            def ipx(p: Packet) -> bool:
                kind = p.ethertype()
                if kind == 0x8137:
                    return True
                if kind > 1500:
                    return False
                return (p.pl(0, 1) == 0xE0 or p.pl(0, 2) == 0xFFFF
                        or (p.pl(0, 4) == 0xAAAA0300 and p.pl(4, 4) == 0x00008137))
            return ipx
        if ll_proto <= 1500 and self.linktype in (LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL):
            # An 802.2 LLC SAP (iso, stp, ipx, netbeui): length field, then DSAP.
            # OSI and NetBEUI always use 802.2: their DSAP and SSAP both (a 16-bit
            # load), the others' DSAP alone
            if ll_proto in (0xFE, 0xF0):
                def llc(p: Packet) -> bool:
                    return p.ethertype() <= 1500 and p.pl(0, 2) == ll_proto * 0x101
            else:
                def llc(p: Packet) -> bool:
                    return p.ethertype() <= 1500 and p.pl(0, 1) == ll_proto
            return llc
        if self.linktype in _IP_ONLY and ll_proto not in _IP_ONLY[self.linktype]:
            # raw IP and loopback links carry IPv4 and IPv6 only: gen_linktype()'s
            # gen_false(), which the optimizer turns into "rejects all packets"
            return _with_req(lambda p: False, [])
        block = _with_req(lambda p: p.ethertype() == ll_proto, [{"ethertype": ll_proto}])
        block.exact = True
        return block

    def gen_proto_abbrev(self, proto: str) -> Block:
        simple = {"ip": ETHERTYPE_IP, "arp": ETHERTYPE_ARP, "rarp": ETHERTYPE_REVARP,
                  "ip6": ETHERTYPE_IPV6, "atalk": 0x809B, "aarp": 0x80F3, "decnet": 0x6003,
                  "sca": 0x6007, "lat": 0x6004, "mopdl": 0x6001, "moprc": 0x6002,
                  "iso": 0xFE, "stp": 0x42, "ipx": 0xE0, "netbeui": 0xF0}
        if proto in simple:
            return self.gen_linktype(simple[proto])
        numbered = {"sctp": (132, DEFAULT), "tcp": (6, DEFAULT), "udp": (17, DEFAULT),
                    "icmp": (1, "ip"), "igmp": (2, "ip"), "igrp": (9, "ip"),
                    "pim": (103, DEFAULT), "vrrp": (112, "ip"), "carp": (112, "ip"),
                    "icmp6": (58, "ip6"), "ah": (51, DEFAULT), "esp": (50, DEFAULT)}
        if proto in numbered:
            v, over = numbered[proto]
            return self.gen_proto(v, over, DEFAULT)
        if proto == "link":
            self.error("link layer applied in wrong context")
        if proto == "radio":
            self.error("'radio' is not a valid protocol type")
        # OSI protocols over LLC: gen_proto(v, Q_ISO) compares the NLPID at the
        # payload's no-SNAP offset (3 after Ethernet's LLC header, 0 on LINUX_SLL,
        # where it reads the DSAP), the IS-IS PDU types (Q_ISIS) the byte 4 after it
        iso = self.gen_linktype(0xFE)
        nlpid = {"esis": 0x82, "clnp": 0x81}.get(proto, 0x83)
        pdus = ISIS_PDU_KEYWORDS.get(proto)
        if self.linktype == 107 and (proto in ("esis", "clnp", "isis") or pdus):
            # gen_proto(Q_ISO) on Frame Relay: UI and that NLPID after the address;
            # Q_ISIS's PDU types then at the payload's byte 4 (off_linkpl 0)
            word = 0x0300 | nlpid

            def fr_osi(p: Packet) -> bool:
                return p.load(2, 2) == word and (pdus is None or p.pl(4, 1) in pdus)
            return _with_req(fr_osi, [{"ethertype": 0xFE}])
        if self.linktype not in (LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL) or (
                proto not in ("esis", "clnp", "isis") and pdus is None):
            return iso
        nosnap = 3 if self.linktype == LINKTYPE_ETHERNET else 0

        def osi(p: Packet) -> bool:
            if p.pl(nosnap, 1) != nlpid:
                return False
            return pdus is None or p.pl(nosnap + 4, 1) in pdus
        return _and(iso, osi)

    def gen_proto(self, v: int, proto: str, dir_: str) -> Block:
        if dir_ != DEFAULT:
            self.error("direction applied to 'proto'")
        if proto == DEFAULT:
            return _or(self.gen_proto(v, "ip", dir_), self.gen_proto(v, "ip6", dir_))
        if proto == "link":
            return self.gen_linktype(v)
        if proto == "ip":
            ip = self.gen_linktype(ETHERTYPE_IP)
            return _with_req(lambda p: ip(p) and p.pl(9, 1) == v,
                             [{"ethertype": ETHERTYPE_IP, "ipproto": v}])

        if proto == "ip6":
            ip6 = self.gen_linktype(ETHERTYPE_IPV6)

            def ip6_proto(p: Packet) -> bool:
                if not ip6(p):
                    return False
                nxt = p.pl(6, 1)
                return nxt == v or (nxt == 44 and p.pl(40, 1) == v)
            return _with_req(ip6_proto, [{"ethertype": ETHERTYPE_IPV6, "ip6nxt": v},
                                         {"ethertype": ETHERTYPE_IPV6, "ip6nxt": 44, "ip6frag": v}])
        if proto in ("arp", "rarp", "lat", "sca", "moprc", "mopdl"):
            label = proto if proto in ("arp", "rarp") else proto.upper()
            self.error(f"{label} does not encapsulate another protocol")
        if proto in ("atalk", "decnet"):
            self.error(f"{'AppleTalk' if proto == 'atalk' else 'DECNET'} encapsulation is not specifiable")
        if proto == "iso":
            # Q_ISO: the NLPID at the payload's no-SNAP offset after an ISONS LLC
            # header (Frame Relay: UI and the NLPID after the address)
            if self.linktype == 107:
                word = 0x0300 | (v & 0xFFFF)
                return _with_req(lambda p: p.load(2, 2) == word, [{"ethertype": 0xFE}])
            iso = self.gen_linktype(0xFE)
            nosnap = 3 if self.linktype == LINKTYPE_ETHERNET else 0
            return _and(iso, lambda p: p.pl(nosnap, 1) == v)
        if proto == "isis":
            # Q_ISIS: IS-IS's NLPID, then the PDU type 4 bytes further
            osi = self.gen_proto(0x83, "iso", DEFAULT)
            nosnap = 3 if self.linktype == LINKTYPE_ETHERNET else 0
            return _and(osi, lambda p: p.pl(nosnap + 4, 1) == v)
        if proto == "clnp":
            self.error("'clnp proto' is not supported")
        self.error(f"'{proto} proto' is bogus")

    # hosts and nets
    def gen_host(self, addr: int, mask: int, proto: str, dir_: str, type_: str) -> Block:
        typestr = "net" if type_ == "net" else "host"
        if proto == DEFAULT:
            b0 = self.gen_host(addr, mask, "ip", dir_, type_)
            if self.label_stack_depth > 0:
                return b0           # inside MPLS: IP only, no ARP/RARP
            b1 = self.gen_host(addr, mask, "arp", dir_, type_)
            b2 = self.gen_host(addr, mask, "rarp", dir_, type_)
            return _or(_or(b0, b1), b2)
        if proto == "link":
            self.error(f"link-layer modifier applied to {typestr}")
        if proto == "ip":
            return self.gen_hostop(addr, mask, dir_, ETHERTYPE_IP, 12, 16)
        if proto == "rarp":
            return self.gen_hostop(addr, mask, dir_, ETHERTYPE_REVARP, 14, 24)
        if proto == "arp":
            return self.gen_hostop(addr, mask, dir_, ETHERTYPE_ARP, 14, 24)
        not_impl = {"atalk": "AppleTalk", "lat": "LAT", "sca": "SCA", "moprc": "MOPRC",
                    "mopdl": "MOPDL", "aarp": "AARP", "iso": "ISO", "ipx": "IPX"}
        if proto in not_impl:
            self.error(f"{not_impl[proto]} host filtering not implemented")
        if proto == "ip6":
            self.error("'ip6' modifier applied to ip host")
        if proto == "decnet":
            return self.gen_dnhostop(addr, dir_)
        self.error(f"'{proto}' modifier applied to {typestr}")

    def gen_dnhostop(self, addr: int, dir_: str) -> Block:
        """gen_dnhostop(): a DECnet routing header after the 2-byte length, long
        (flags 0x06 under mask 7, or 0x81 padding then them) or short (0x02), the
        16-bit node address compared as ntohs() leaves it, little-endian."""
        if dir_ in ("and", DEFAULT, "or"):
            b0 = self.gen_dnhostop(addr, "src")
            b1 = self.gen_dnhostop(addr, "dst")
            return _and(b0, b1) if dir_ == "and" else _or(b0, b1)
        self._wlan_dir(dir_, "ip")
        offset_sh, offset_lh = (1, 7) if dir_ == "dst" else (3, 15)
        swapped = ((addr & 0xFF) << 8) | ((addr >> 8) & 0xFF)

        def field(off: int, size: int, mask: int, v: int) -> Block:
            full = 0xFF if size == 1 else 0xFFFF
            return _with_req(lambda p: (p.pl(off, size) & mask) == v,
                             [{("pl", off, size, mask & full): v}])
        b1 = _and(field(2, 2, 0xFF07, 0x8106), field(2 + 1 + offset_lh, 2, 0xFFFF, swapped))
        b2 = _and(field(2, 1, 0x7, 0x06), field(2 + offset_lh, 2, 0xFFFF, swapped))
        b1 = _or(b2, b1)
        b2 = _and(field(2, 2, 0xFF07, 0x8102), field(2 + 1 + offset_sh, 2, 0xFFFF, swapped))
        b1 = _or(b2, b1)
        b2 = _and(field(2, 1, 0x7, 0x02), field(2 + offset_sh, 2, 0xFFFF, swapped))
        b1 = _or(b2, b1)
        return _and(self.gen_linktype(0x6003), b1)

    def _wlan_dir(self, dir_: str, what: str) -> None:
        """gen_hostop() / gen_ehostop(): the 802.11 qualifiers off an 802.11 link;
        `what` is how the message ends ("not valid" for addresses, "only supported"
        for MAC addresses)."""
        if dir_ not in _WLAN_DIRS:
            return
        if dir_.startswith("addr"):
            n = dir_[-1]
            head = f"'addr{n}' and 'address{n}' are"
            which = "qualifiers"
        else:
            head, which = f"'{dir_}' is", "qualifier"
        if what == "mac":
            self.error(f"{head} only supported on 802.11 with 802.11 headers")
        self.error(f"{head} not {'a ' if which == 'qualifier' else ''}valid {which} "
                   "for addresses other than 802.11 MAC addresses")

    def gen_hostop(self, addr: int, mask: int, dir_: str, ll: int, soff: int, doff: int) -> Block:
        self._wlan_dir(dir_, "ip")
        link = self.gen_linktype(ll)

        def field(off: int) -> Block:
            return _with_req(lambda p: (p.pl(off, 4) & mask) == addr,
                             [{("pl", off, 4, mask): addr}])
        if dir_ == "src":
            match = field(soff)
        elif dir_ == "dst":
            match = field(doff)
        elif dir_ == "and":
            match = _and(field(soff), field(doff))
        else:
            match = _or(field(soff), field(doff))
        return _and(link, match)

    def gen_host6(self, addr: int, mask: int, proto: str, dir_: str, type_: str) -> Block:
        typestr = "net" if type_ == "net" else "host"
        if proto in (DEFAULT, "ip6"):
            self._wlan_dir(dir_, "ip")      # gen_hostop6()
            link = self.gen_linktype(ETHERTYPE_IPV6)

            def field(off: int) -> Block:
                return _with_req(lambda p: (p.pl(off, 16) & mask) == addr,
                                 [{("pl", off, 16, mask): addr}])
            if dir_ == "src":
                match = field(8)
            elif dir_ == "dst":
                match = field(24)
            elif dir_ == "and":
                match = _and(field(8), field(24))
            else:
                match = _or(field(8), field(24))
            return _and(link, match)
        if proto == "link":
            self.error(f"link-layer modifier applied to ip6 {typestr}")
        if proto == "atalk":
            self.error(f"AppleTalk modifier applied to ip6 {typestr}")
        self.error(f"'{proto}' modifier applied to ip6 {typestr}")

    def gen_ehostop(self, mac: bytes, dir_: str) -> Block:
        self._wlan_dir(dir_, "mac")
        def field(off: int) -> Block:
            return lambda p: p.frame[off:off + 6] == mac if len(p.frame) >= off + 6 else _oob()
        if dir_ == "src":
            return field(6)
        if dir_ == "dst":
            return field(0)
        if dir_ == "and":
            return _and(field(6), field(0))
        return _or(field(6), field(0))

    # ports
    def _ip_proto_check(self, ip_proto: int, v6: bool) -> Block:
        off = 6 if v6 else 9
        if ip_proto == PROTO_UNDEF:
            return lambda p: p.pl(off, 1) in (IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP)
        return lambda p: p.pl(off, 1) == ip_proto

    def _port_dir(self, test: Callable[[Packet, int], bool], dir_: str, v6: bool) -> Block:
        def sport(p: Packet) -> bool:
            return test(p, 0)

        def dport(p: Packet) -> bool:
            return test(p, 2)
        if dir_ == "src":
            return sport
        if dir_ == "dst":
            return dport
        if dir_ == "and":
            return _and(sport, dport)
        return _or(sport, dport)

    def gen_port(self, lo: int, hi: int, ip_proto: int, dir_: str) -> Block:
        """IPv4 and IPv6 port (range) tests: gen_port|gen_portrange or'ed with the 6 ones."""
        ip = self.gen_linktype(ETHERTYPE_IP)
        ip6 = self.gen_linktype(ETHERTYPE_IPV6)
        proto4 = self._ip_proto_check(ip_proto, False)
        proto6 = self._ip_proto_check(ip_proto, True)

        def in_range4(p: Packet, which: int) -> bool:
            hl = (p.pl(0, 1) & 0x0F) * 4
            return lo <= p.pl(hl + which, 2) <= hi

        def in_range6(p: Packet, which: int) -> bool:
            return lo <= p.pl(40 + which, 2) <= hi
        ports4 = self._port_dir(in_range4, dir_, False)
        ports6 = self._port_dir(in_range6, dir_, True)

        def v4(p: Packet) -> bool:
            return ip(p) and proto4(p) and (p.pl(6, 2) & 0x1FFF) == 0 and ports4(p)

        def v6(p: Packet) -> bool:
            return ip6(p) and proto6(p) and ports6(p)
        # the protocol byte each side tests, so that the optimizer's contradictions
        # ("port 80 and icmp", "port 53 and arp") reject the filter as libpcap's does
        protos = ((IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP) if ip_proto == PROTO_UNDEF
                  else (ip_proto,))
        v4 = _with_req(v4, [dict(r, ipproto=x) for r in _req(ip) for x in protos])
        v6 = _with_req(v6, [dict(r, ip6nxt=x) for r in _req(ip6) for x in protos])
        return _or(v4, v6)

    # arithmetic
    def gen_load(self, proto: str, index: "Arth", size: int) -> "Arth":
        if size not in (1, 2, 4):
            self.error("data size must be 1, 2, or 4")
        guard: Block | None
        if proto == "link":
            def value(p: Packet) -> int:
                return p.load(index.value(p), size)
            guard = None
        elif proto in ("ip", "arp", "rarp", "atalk", "decnet", "sca", "lat", "moprc", "mopdl", "ip6"):
            def value(p: Packet) -> int:
                return p.pl(index.value(p), size)
            guard = self.gen_proto_abbrev(proto)
        elif proto in ("sctp", "tcp", "udp", "icmp", "igmp", "igrp", "pim", "vrrp", "carp"):
            def value(p: Packet) -> int:
                hl = (p.pl(0, 1) & 0x0F) * 4
                return p.pl(hl + index.value(p), size)
            guard = _and(_and(self.gen_proto_abbrev("ip"), self.gen_proto_abbrev(proto)),
                         lambda p: (p.pl(6, 2) & 0x1FFF) == 0)
        elif proto == "icmp6":
            def value(p: Packet) -> int:
                return p.pl(40 + index.value(p), size)
            guard = _and(self.gen_proto_abbrev("ip6"), lambda p: p.pl(6, 1) == 58)
        elif proto == "radio":
            self.error("radio information not present in capture")
        else:
            self.error("unsupported index operation")
        if index.guard is not None:
            guard = index.guard if guard is None else _and(index.guard, guard)
        return Arth(value, guard)


def _oob():
    raise _OutOfBounds()


@dataclass
class Arth:
    value: Callable[[Packet], int]
    guard: Block | None = None


@dataclass
class Blk:
    block: Block
    q: Qual | None     # None: the qualifier of what came before (a parenthesised term)


@dataclass
class Deferred:
    """An `id`: its code needs the qualifier in force before it (yacc's $<blk>0)."""
    make: Callable[[Qual], Block]


# -- semantic actions (grammar.y), called at each reduction ---------------------------

class Actions:
    """Callbacks for the parser's reductions; `compiler` is set for each filter."""

    def __init__(self):
        self.c: Compiler | None = None

    # numbers and names
    def pnum(self, ch):
        return ch[0].value_num

    def pnum_paren(self, ch):
        return ch[1]

    def pname(self, ch):
        return PNAMES[ch[0].type]

    def pqual(self, ch):
        return ch[0] if ch and ch[0] is not None else DEFAULT

    def dqual_src(self, ch):
        return "src"

    def dqual_dst(self, ch):
        return "dst"

    def dqual_or(self, ch):
        return "or"

    def dqual_and(self, ch):
        return "and"

    # the 802.11 qualifiers: Q_ADDR1..Q_ADDR4, Q_RA, Q_TA
    def dqual_addr1(self, ch):
        return "addr1"

    def dqual_addr2(self, ch):
        return "addr2"

    def dqual_addr3(self, ch):
        return "addr3"

    def dqual_addr4(self, ch):
        return "addr4"

    def dqual_ra(self, ch):
        return "ra"

    def dqual_ta(self, ch):
        return "ta"

    def aqual(self, ch):
        return ch[0].type.lower()

    def head(self, ch):
        return Qual(ch[0], ch[1], ch[2])

    def head_dir(self, ch):
        return Qual(ch[0], ch[1], DEFAULT)

    def head_addr(self, ch):
        return Qual(ch[0], DEFAULT, ch[1])

    def head_proto(self, ch):
        return Qual(ch[0], DEFAULT, "proto")

    def head_protochain(self, ch):
        return Qual(ch[0], DEFAULT, "protochain")

    def head_gateway(self, ch):
        return Qual(ch[0], DEFAULT, "gateway")

    def paren(self, ch):
        return None

    def not_(self, ch):
        return None

    def and_(self, ch):
        return None

    def or_(self, ch):
        return None

    # ids
    def nid_name(self, ch):
        name = ch[0].value_str
        return Deferred(lambda q: gen_scode(self.c, name, q))

    def nid_net_len(self, ch):
        s, n = ch[0].value_str, ch[2].value_num
        return Deferred(lambda q: gen_mcode(self.c, s, None, n, q))

    def nid_net_mask(self, ch):
        s1, s2 = ch[0].value_str, ch[2].value_str
        return Deferred(lambda q: gen_mcode(self.c, s1, s2, 0, q))

    def nid_hid(self, ch):
        s = ch[0].value_str

        def make(q: Qual) -> Block:
            for addr, word in (("port", "port"), ("portrange", "portrange"), ("proto", "proto"),
                               ("protochain", "protochain")):
                if q.addr == addr:
                    self.c.error(f"'{word}' modifier applied to ip host")
            return gen_ncode(self.c, s, 0, q)
        return Deferred(make)

    def nid_net6_len(self, ch):
        s, n = ch[0].value_str, ch[2].value_num
        return Deferred(lambda q: gen_mcode6(self.c, s, n, q))

    def nid_hid6(self, ch):
        s = ch[0].value_str
        return Deferred(lambda q: gen_mcode6(self.c, s, 128, q))

    def nid_eid(self, ch):
        s = ch[0].value_str
        if not _MAC.fullmatch(s):
            raise FilterError(f"bogus ethernet address {s}")
        return Deferred(lambda q: gen_ecode(self.c, s, q))

    def nid_aid(self, ch):
        def make(q: Qual) -> Block:
            if q.addr in ("host", DEFAULT) and q.proto == "link":
                self.c.error("aid supported only on ARCnet")
            self.c.error("ARCnet address used in non-arc expression")
        return Deferred(make)

    def nid_not(self, ch):
        inner: Deferred = ch[1]
        return Deferred(lambda q: _not(inner.make(q)))

    def id(self, ch):
        return ch[0]

    def id_num(self, ch):
        v = ch[0]
        return Deferred(lambda q: gen_ncode(self.c, None, v, q))

    def id_paren(self, ch):
        return ch[1]

    def pid(self, ch):
        return ch[0]

    def pid_and(self, ch):
        a, b = ch[0], ch[2]
        return Deferred(lambda q: _and(a.make(q), b.make(q)))

    def pid_or(self, ch):
        a, b = ch[0], ch[2]
        return Deferred(lambda q: _or(a.make(q), b.make(q)))

    def qid_num(self, ch):
        v = ch[0]
        return Deferred(lambda q: gen_ncode(self.c, None, v, q))

    def qid(self, ch):
        return ch[0]

    # terms and expressions
    def rterm_head_id(self, ch):
        q: Qual = ch[0]
        return Blk(self.c.here(ch[1].make(q)), q)

    def rterm_paren(self, ch):
        return Blk(ch[1].block, None)

    def rterm_pname(self, ch):
        return Blk(self.c.here(self.c.gen_proto_abbrev(ch[0])), QERR)

    def rterm_relop(self, ch):
        return Blk(self.c.here(gen_relation(ch[1], ch[0], ch[2], False)), QERR)

    def rterm_irelop(self, ch):
        return Blk(self.c.here(gen_relation(ch[1], ch[0], ch[2], True)), QERR)

    def rterm(self, ch):
        return Blk(self.c.here(ch[0]), QERR)         # rterm: other

    def term(self, ch):
        return ch[0]

    def term_not(self, ch):
        t: Blk = ch[1]
        return Blk(_not(t.block), t.q)

    def expr(self, ch):
        t: Blk = ch[0]
        return Blk(t.block, t.q if t.q is not None else QERR)

    def _join(self, ch, op, is_id):
        left: Blk = ch[0]
        if is_id:
            right = self.c.here(ch[2].make(left.q))
            return Blk(op(left.block, right), left.q)
        t: Blk = ch[2]
        return Blk(op(left.block, t.block), t.q if t.q is not None else left.q)

    def expr_and_term(self, ch):
        return self._join(ch, _and, False)

    def expr_and_id(self, ch):
        return self._join(ch, _and, True)

    def expr_or_term(self, ch):
        return self._join(ch, _or, False)

    def expr_or_id(self, ch):
        return self._join(ch, _or, True)

    def start(self, ch):
        return ch[0].block if ch and ch[0] is not None else _true

    # others
    def other_broadcast(self, ch):
        return gen_broadcast(self.c, ch[0])

    def other_multicast(self, ch):
        return gen_multicast(self.c, ch[0])

    def other_less(self, ch):
        n = ch[1].value_num
        return lambda p: p.wirelen <= n

    def other_greater(self, ch):
        n = ch[1].value_num
        return lambda p: p.wirelen >= n

    def other_byte(self, ch):
        idx, op, val = ch[1].value_num, ch[2], ch[3].value_num
        if op in "&|":
            # gen_byteop() applies the operation to the accumulator without loading the
            # byte first: A is 0, so `byte N & V` never matches and `byte N | V` always
            # does (for V != 0).
            result = op == "|" and val != 0
            return lambda p: result
        tests = {"=": lambda b: b == val, "<": lambda b: b < val, ">": lambda b: b > val}
        test = tests[op]
        return lambda p: test(p.load(idx, 1))

    def byteop(self, ch):
        return {"AMP": "&", "PIPE": "|", "LT": "<", "GT": ">", "EQ": "="}[ch[0].type]

    def other_inbound(self, ch):
        return gen_inbound(self.c, outbound=False)

    def other_outbound(self, ch):
        return gen_inbound(self.c, outbound=True)

    def other_ifindex(self, ch):
        return gen_ifindex(self.c, ch[1].value_num)

    def other_vlan(self, ch):
        return gen_vlan(self.c, None)

    def other_vlan_num(self, ch):
        return gen_vlan(self.c, ch[1])

    def other_mpls(self, ch):
        return gen_mpls(self.c, None)

    def other_mpls_num(self, ch):
        return gen_mpls(self.c, ch[1])

    def other_geneve(self, ch):
        return gen_geneve(self.c, None)

    def other_geneve_num(self, ch):
        return gen_geneve(self.c, ch[1])

    # 802.11 fields: the names and values checked as grammar.y's actions do, then
    # gen_p80211_type()/gen_p80211_fcdir() refuse any link type without 802.11 headers
    def wtype(self, ch):
        tok = ch[0]
        if tok.type == "NUM":
            if tok.value_num & ~0x0C:      # IEEE80211_FC0_TYPE_MASK
                self.c.error(f"invalid 802.11 type value 0x{tok.value_num:02x}")
            return tok.value_num
        name = str(tok).lower()
        if name not in IEEE80211_SUBTYPES:
            self.c.error(f'unknown 802.11 type name "{tok}"')
        return name

    def wsubtype(self, ch):
        tok = ch[0]
        if tok.type == "NUM":
            if tok.value_num & ~0xF0:      # IEEE80211_FC0_SUBTYPE_MASK
                self.c.error(f"invalid 802.11 subtype value 0x{tok.value_num:02x}")
        return tok

    def p80211_type(self, ch):
        if len(ch) > 2 and ch[3].type == "ID":
            # the subtype name, in the table of the type given (a type number's own)
            kind = ch[1] if isinstance(ch[1], str) else \
                {0x00: "mgt", 0x04: "ctl", 0x08: "data"}.get(ch[1])
            if str(ch[3]).lower() not in IEEE80211_SUBTYPES.get(kind, ()):
                self.c.error(f'unknown 802.11 subtype name "{ch[3]}"')
        return "type"

    def p80211_type_subtype(self, ch):
        name = str(ch[1]).lower()
        if not any(name in names for names in IEEE80211_SUBTYPES.values()):
            self.c.error("unknown 802.11 type name")
        return "type"

    def wdir(self, ch):
        tok = ch[0]
        if tok.type == "ID" and str(tok).lower() not in ("nods", "tods", "fromds", "dstods"):
            self.c.error("unknown 802.11 direction")
        return tok

    def p80211_dir(self, ch):
        return "dir"

    def other_p80211(self, ch):
        if ch[1] == "dir":
            self.c.error("frame direction supported only with 802.11 headers")
        self.c.error("802.11 link-layer types supported only on 802.11")

    # ATM and SS7 fields: gen_atm*()/gen_mtp*() on a link type that is neither
    def other_atm(self, ch):
        name = str(ch[0].children[0]).lower()
        name = {"oamf4sc": "oam4sc", "oamf4ec": "oam4ec"}.get(name, name)
        self.c.error(f"'{name}' supported only on raw ATM")

    def other_atmfield(self, ch):
        self.c.error(f"'{str(ch[0].children[0]).lower()}' supported only on raw ATM")

    def other_mtp2(self, ch):
        name = str(ch[0].children[0]).lower()
        self.c.error(f"'{name}' supported only on {'MTP2_HSL' if name[0] == 'h' else 'MTP2'}")

    def other_mtp3(self, ch):
        name = str(ch[0].children[0]).lower()
        self.c.error(f"'{name[1:] if name[0] == 'h' else name}' supported only on SS7")

    # llc [i|s|u|SUBTYPE] (gen_llc*()): 802.2 frames, by their control byte
    def other_llc(self, ch):
        return self._llc(None)

    def other_llc_id(self, ch):
        name = str(ch[1]).lower()
        if name in ("i", "s", "u"):
            return self._llc(name)
        if name in LLC_S_SUBTYPES:
            return self._llc("s", LLC_S_SUBTYPES[name], 0x0F)
        if name not in LLC_U_SUBTYPES:
            self.c.error(f'unknown LLC type name "{ch[1]}"')
        return self._llc("u", LLC_U_SUBTYPES[name], 0xEF)

    def other_llc_rnr(self, ch):
        # `rnr` is a pflog keyword, so grammar.y has a rule of its own for it
        return self._llc("s", LLC_S_SUBTYPES["rnr"], 0x0F)

    def _llc(self, kind: str | None, subtype: int | None = None, mask: int = 0) -> Block:
        c = self.c
        if c.linktype == LINKTYPE_ETHERNET:
            # gen_llc_internal(): a length, not a type, and not Novell's 0xFFFF SAPs
            def llc(p: Packet) -> bool:
                return p.ethertype() <= 1500 and p.pl(0, 2) != 0xFFFF
        else:
            # libpcap 1.10.3's gen_llc_internal() has no case for the Linux cooked
            # headers (v1 or v2): pcap_datalink_val_to_description_or_dlt() in the error
            name = LINKTYPE_DESCRIPTIONS.get(c.linktype, f"DLT {c.linktype}")
            c.error(f"'llc' not supported for {name}")
        if kind is None:
            return self._llc_positioned(llc)
        # gen_llc_i/s/u(): the control byte's low bits (I: xxxxxxx0, S: 01, U: 11),
        # a subtype's command bits under its mask
        low = {"i": (0x01, 0x00), "s": (0x03, 0x01), "u": (0x03, 0x03)}[kind]

        def typed(p: Packet) -> bool:
            if not llc(p):
                return False
            ctl = p.pl(2, 1)
            if ctl & low[0] != low[1]:
                return False
            return subtype is None or ctl & mask == subtype
        return self._llc_positioned(typed)

    def _llc_positioned(self, block: Block) -> Block:
        """gen_llc*() read OR_LINKTYPE and OR_LLC, which `mpls` does not move (it adds
        to off_nl only): after mpls keywords, the vlan shift without theirs."""
        c = self.c
        if not c.label_stack_depth or c.pppoes_shift is not None or c.is_geneve:
            return block
        shift = c.vlan_shift - 4 * c.label_stack_depth
        positioned = _with_req(lambda p: block(p.shifted(shift)) if shift else block(p),
                               _UNKNOWN)
        positioned.positioned = True
        return positioned

    def other_pppoed(self, ch):
        return self.c.gen_linktype(0x8863)        # ETHERTYPE_PPPOED

    def other_pppoes(self, ch):
        return gen_pppoes(self.c, None)

    def other_pppoes_num(self, ch):
        return gen_pppoes(self.c, ch[1])

    # pfvar: pflog's fields; on any other link type gen_pf_*() refuse them
    def other_pf_ifname(self, ch):
        self.c.error("ifname supported only on PF linktype")

    def other_pf_ruleset(self, ch):
        self.c.error("ruleset supported only on PF linktype")

    def other_pf_rnr(self, ch):
        self.c.error("rnr supported only on PF linktype")

    def other_pf_srnr(self, ch):
        self.c.error("srnr supported only on PF linktype")

    def other_pf_reason_num(self, ch):
        self.c.error("reason supported only on PF linktype")

    def other_pf_reason(self, ch):
        # pfreason_to_num(): PFRES_NAMES, case-insensitively
        if ch[1].lower() not in PF_REASONS:
            self.c.error(f'unknown PF reason "{ch[1]}"')
        self.c.error("reason supported only on PF linktype")

    def other_pf_action(self, ch):
        # pfaction_to_num()
        if ch[1].lower() not in PF_ACTIONS:
            self.c.error(f'unknown PF action "{ch[1]}"')
        self.c.error("action supported only on PF linktype")

    # arithmetic
    def relop(self, ch):
        return {"GT": "gt", "GEQ": "ge", "EQ": "eq"}[ch[0].type]

    def irelop(self, ch):
        return {"LEQ": "gt", "LT": "ge", "NEQ": "eq"}[ch[0].type]

    def arth(self, ch):
        return ch[0]

    def narth(self, ch):
        return ch[0]

    def arth_num(self, ch):
        v = ch[0]
        return Arth(lambda p: v)

    def arth_len(self, ch):
        return Arth(lambda p: p.wirelen)

    def arth_paren(self, ch):
        return ch[1]

    def arth_neg(self, ch):
        a: Arth = ch[1]
        return Arth(lambda p: (-a.value(p)) & 0xFFFFFFFF, a.guard)

    def arth_load(self, ch):
        return self.c.gen_load(ch[0], ch[2], 1)

    def arth_load_size(self, ch):
        return self.c.gen_load(ch[0], ch[2], ch[4].value_num)

    def arth_binop(self, ch):
        a, op, b = ch[0], ch[1].type, ch[2]
        if op in ("SLASH", "PERCENT") and b.guard is None and _is_const_zero(b):
            self.c.error("division by zero" if op == "SLASH" else "modulus by zero")
        fn = ARITH_OPS[op]
        guard = a.guard if b.guard is None else (b.guard if a.guard is None else _and(a.guard, b.guard))
        return Arth(lambda p: fn(a.value(p), b.value(p)), guard)


def _is_const_zero(a: Arth) -> bool:
    try:
        return a.value(None) == 0      # constants ignore the packet
    except Exception:
        return False


def _div(a: int, b: int) -> int:
    if b == 0:
        raise _OutOfBounds()       # BPF rejects the packet on a division by zero
    return a // b


def _mod(a: int, b: int) -> int:
    if b == 0:
        raise _OutOfBounds()
    return a % b


ARITH_OPS = {
    "PLUS": lambda a, b: (a + b) & 0xFFFFFFFF, "MINUS": lambda a, b: (a - b) & 0xFFFFFFFF,
    "STAR": lambda a, b: (a * b) & 0xFFFFFFFF, "SLASH": _div, "PERCENT": _mod,
    "AMP": lambda a, b: a & b, "PIPE": lambda a, b: a | b, "CARET": lambda a, b: a ^ b,
    "LSH": lambda a, b: (a << b) & 0xFFFFFFFF if b < 32 else 0,
    "RSH": lambda a, b: a >> b if b < 32 else 0,
}


def gen_relation(op: str, a0: Arth, a1: Arth, reversed_: bool) -> Block:
    compare = {"gt": lambda x, y: x > y, "ge": lambda x, y: x >= y, "eq": lambda x, y: x == y}[op]

    def cmp(p: Packet) -> bool:
        result = compare(a0.value(p), a1.value(p))
        return not result if reversed_ else result
    guards = [g for g in (a0.guard, a1.guard) if g is not None]
    if not guards:
        return cmp
    guard = guards[0] if len(guards) == 1 else _and(guards[0], guards[1])
    return _and(guard, cmp)


def _atoin(s: str) -> tuple[int, int]:
    """__pcap_atoin: a dotted number, each part decimal 0..255; (bits, value) or (-1, 0)."""
    value = 0
    bits = 0
    for part in s.split("."):
        n = 0
        for ch in part:
            if n > 25:
                return -1, 0
            n = n * 10 + ord(ch) - ord("0")
        if n > 255:
            return -1, 0
        value = (value << 8) | (n & 0xFF)
        bits += 8
    return bits, value


def _atodn(s: str) -> int | None:
    """__pcap_atodn(): sscanf("%d.%d") of area and node, area in the top 6 bits and
    node in the low 10 of a 16-bit DECnet address; None if two numbers do not lead."""
    import re
    m = re.match(r"\s*([-+]?\d+)\.\s*([-+]?\d+)", s)
    if m is None:
        return None
    area, node = int(m.group(1)) & 0xFFFFFFFF, int(m.group(2)) & 0xFFFFFFFF
    return ((area << 10) & 0o176000) | (node & 0o1777)


def gen_ncode(c: Compiler, s: str | None, v: int, q: Qual) -> Block:
    proto, dir_ = q.proto, q.dir
    if s is None:
        vlen = 32
    elif proto == "decnet":
        v = _atodn(s)
        if v is None:
            c.error(f"malformed decnet address '{s}'")
    else:
        vlen, v = _atoin(s)
        if vlen < 0:
            c.error(f"invalid IPv4 address '{s}'")
    if q.addr in (DEFAULT, "host", "net"):
        if proto == "decnet":
            return c.gen_host(v, 0, proto, dir_, q.addr)
        if proto == "link":
            c.error("illegal link layer address")
        mask = 0xFFFFFFFF
        if s is None and q.addr == "net":
            while v and (v & 0xFF000000) == 0:
                v = (v << 8) & 0xFFFFFFFF
                mask = (mask << 8) & 0xFFFFFFFF
        else:
            v = (v << (32 - vlen)) & 0xFFFFFFFF
            mask = (mask << (32 - vlen)) & 0xFFFFFFFF
        return c.gen_host(v, mask, proto, dir_, q.addr)
    if q.addr in ("port", "portrange"):
        ip_proto = {"udp": IPPROTO_UDP, "tcp": IPPROTO_TCP, "sctp": IPPROTO_SCTP,
                    DEFAULT: PROTO_UNDEF}.get(proto)
        if ip_proto is None:
            c.error(f"illegal qualifier of '{q.addr}'")
        if v > 65535:
            c.error(f"illegal port number {v} > 65535")
        return c.gen_port(v, v, ip_proto, dir_)
    if q.addr == "gateway":
        c.error("'gateway' requires a name")
    if q.addr == "proto":
        return c.gen_proto(v, proto, dir_)
    if q.addr == "protochain":
        return _protochain(c, v, proto)
    c.error("syntax error in filter expression")


def _protochain(c: Compiler, v: int, proto: str) -> Block:
    """protochain: follow the IPv6 extension-header chain (and IPv4's protocol).
    gen_protochain()'s program jumps back to its `again:` for the next header."""
    c.backward_jumps = True
    ip = c.gen_linktype(ETHERTYPE_IP)
    ip6 = c.gen_linktype(ETHERTYPE_IPV6)

    def v4(p: Packet) -> bool:
        return ip(p) and p.pl(9, 1) == v

    def v6(p: Packet) -> bool:
        if not ip6(p):
            return False
        nxt, off = p.pl(6, 1), 40
        for _ in range(8):
            if nxt == v:
                return True
            if nxt in (0, 60, 43):
                nxt, off = p.pl(off, 1), off + ((p.pl(off + 1, 1) + 1) << 3)
            elif nxt == 44:
                nxt, off = p.pl(off, 1), off + 8
            elif nxt == 51:
                nxt, off = p.pl(off, 1), off + ((p.pl(off + 1, 1) + 2) << 2)
            else:
                return False
        return False
    if proto == "ip":
        return v4
    if proto == "ip6":
        return v6
    if proto == DEFAULT:
        return _or(v4, v6)
    c.error("bad protocol applied for 'protochain'")


def gen_mcode(c: Compiler, s1: str, s2: str | None, masklen: int, q: Qual) -> Block:
    nlen, n = _atoin(s1)
    if nlen < 0:
        c.error(f"invalid IPv4 address '{s1}'")
    n = (n << (32 - nlen)) & 0xFFFFFFFF
    if s2 is not None:
        mlen, m = _atoin(s2)
        if mlen < 0:
            c.error(f"invalid IPv4 address '{s2}'")
        m = (m << (32 - mlen)) & 0xFFFFFFFF
        if n & ~m & 0xFFFFFFFF:
            c.error(f'non-network bits set in "{s1} mask {s2}"')
    else:
        if masklen > 32:
            c.error("mask length must be <= 32")
        m = 0 if masklen == 0 else (0xFFFFFFFF << (32 - masklen)) & 0xFFFFFFFF
        if n & ~m & 0xFFFFFFFF:
            c.error(f'non-network bits set in "{s1}/{masklen}"')
    if q.addr == "net":
        return c.gen_host(n, m, q.proto, q.dir, q.addr)
    c.error("Mask syntax for networks only")


def gen_mcode6(c: Compiler, s: str, masklen: int, q: Qual) -> Block:
    try:
        addr = int(ipaddress.IPv6Address(s))
    except ValueError:
        c.error(f"invalid ip6 address {s}")
    if masklen > 128:
        c.error("mask length must be <= 128")
    mask = ((1 << 128) - 1) ^ ((1 << (128 - masklen)) - 1)
    if addr & ~mask:
        c.error(f'non-network bits set in "{s}/{masklen}"')
    if q.addr in (DEFAULT, "host"):
        if masklen != 128:
            c.error("Mask syntax for networks only")
    elif q.addr != "net":
        c.error("invalid qualifier against IPv6 address")
    return c.gen_host6(addr, mask, q.proto, q.dir, q.addr)


def _ether_aton(s: str) -> bytes:
    digits = re.sub(r"[:.\-]", "", s) if re.fullmatch(r"[0-9A-Fa-f]{4}(\.[0-9A-Fa-f]{4}){2}|[0-9A-Fa-f]{12}", s) else None
    if digits is not None:
        return bytes.fromhex(digits)
    return bytes(int(part, 16) for part in re.split(r"[:.\-]", s))


def gen_ecode(c: Compiler, s: str, q: Qual) -> Block:
    if q.addr in ("host", DEFAULT) and q.proto == "link":
        # (after `geneve`, PUSH_LINKHDR() made the link type DLT_EN10MB)
        if c.linktype != LINKTYPE_ETHERNET and not c.is_geneve:
            c.error("ethernet addresses supported only on ethernet/FDDI/token ring/802.11/"
                    "ATM LANE/Fibre Channel")
        return c.gen_ehostop(_ether_aton(s), q.dir)
    c.error("ethernet address used in non-ether expression")


def gen_scode(c: Compiler, name: str, q: Qual) -> Block:
    proto, dir_ = q.proto, q.dir
    if q.addr == "net":
        addr = NETWORKS.get(name, 0)
        if addr == 0:
            c.error(f"unknown network '{name}'")
        mask = 0xFFFFFFFF
        while addr and (addr & 0xFF000000) == 0:
            addr = (addr << 8) & 0xFFFFFFFF
            mask = (mask << 8) & 0xFFFFFFFF
        return c.gen_host(addr, mask, proto, dir_, q.addr)
    if q.addr in (DEFAULT, "host"):
        if proto == "link":
            if c.linktype != LINKTYPE_ETHERNET:
                c.error("only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel "
                        "supports link-level host name")
            c.error(f"unknown ether host '{name}'")
        if proto == "decnet":
            c.error(f"decnet name support not included, '{name}' cannot be translated\n")
        addrs = list(c.hosts.get(name, ()))
        if not addrs:
            c.error(f"unknown host '{name}'")
        block: Block | None = None
        tproto = tproto6 = proto
        for text in addrs:
            ip = ipaddress.ip_address(text)
            if ip.version == 4:
                if tproto == "ip6":
                    continue
                tmp = c.gen_host(int(ip), 0xFFFFFFFF, tproto, dir_, q.addr)
            else:
                if tproto6 == "ip":
                    continue
                tmp = c.gen_host6(int(ip), (1 << 128) - 1, tproto6, dir_, q.addr)
            block = tmp if block is None else _or(block, tmp)
        if block is None:
            c.error(f"unknown host '{name}'{'' if proto == DEFAULT else ' for specified address family'}")
        return block
    if q.addr in ("port", "portrange"):
        what = "port" if q.addr == "port" else "portrange"
        if proto not in (DEFAULT, "udp", "tcp", "sctp"):
            c.error(f"illegal qualifier of '{what}'")
        if q.addr == "port":
            found = _nametoport(name)
            if found is None:
                c.error(f"unknown port '{name}'")
            port, real = found
            lo = hi = port
            label = f"port '{name}'"
        else:
            rng = _nametoportrange(name)
            if rng is None:
                c.error(f"unknown port in range '{name}'")
            lo, hi, real = rng
            label = f"port in range '{name}'"
        want = {"udp": IPPROTO_UDP, "tcp": IPPROTO_TCP, "sctp": IPPROTO_SCTP}.get(proto)
        if want is not None:
            if real not in (PROTO_UNDEF, want):
                c.error(f"{label} is {({IPPROTO_TCP: 'tcp', IPPROTO_UDP: 'udp', IPPROTO_SCTP: 'sctp'})[real]}")
            real = want
        for p in (lo, hi):
            if p < 0:
                c.error(f"illegal port number {p} < 0")
            if p > 65535:
                c.error(f"illegal port number {p} > 65535")
        if lo > hi:
            lo, hi = hi, lo
        return c.gen_port(lo, hi, real, dir_)
    if q.addr == "gateway":
        c.error("'gateway' not supported in this configuration")
    if q.addr in ("proto", "protochain"):
        v = _lookup_proto(c, name, proto)
        if v < 0:
            c.error(f"unknown protocol: {name}")
        if q.addr == "proto":
            return c.gen_proto(v, proto, dir_)
        return _protochain(c, v, proto)
    c.error("syntax error in filter expression")


def _lookup_proto(c: Compiler, name: str, proto: str) -> int:
    if proto in (DEFAULT, "ip", "ip6"):
        v = names.PROTO_BY_NAME.get(name)
        if v is None:
            c.error(f"unknown ip proto '{name}'")
        return v
    if proto == "link":
        v = ETHER_PROTO_BY_NAME.get(name)
        if v is None:
            c.error(f"unknown ether proto '{name}'")
        return v
    if proto == "iso":
        v = {"esis": 0x82, "isis": 0x83, "clnp": 0x81}.get(name)
        if v is None:
            c.error(f"unknown osi proto '{name}'")
        return v
    return -1


def _nametoport(name: str) -> tuple[int, int] | None:
    """pcap_nametoport(): getaddrinfo() of the service for TCP, then UDP. A number is
    a service too (glibc's strtoul() of it, cut to 16 bits by htons(): `portrange
    22-ssh`, `70000-ssh` accepted, recorded), for both protocols."""
    if re.fullmatch(r"(?a)\s*[+-]?\d+", name):
        return int(name) % (1 << 64) & 0xFFFF, PROTO_UNDEF
    tcp = names.TCP_PORT_BY_NAME.get(name)
    udp = names.UDP_PORT_BY_NAME.get(name)
    if tcp is not None:
        return tcp, (PROTO_UNDEF if udp == tcp else IPPROTO_TCP)
    if udp is not None:
        return udp, IPPROTO_UDP
    return None


def _nametoportrange(name: str) -> tuple[int, int, int] | None:
    m = re.match(r"(?a)\s*([+-]?\d+)-([+-]?\d+)", name)
    if m:
        return int(m.group(1)), int(m.group(2)), PROTO_UNDEF
    if "-" not in name:
        return None
    first, _, second = name.partition("-")
    a, b = _nametoport(first), _nametoport(second)
    if a is None or b is None:
        return None
    return a[0], b[0], a[1] if a[1] == b[1] else PROTO_UNDEF


def gen_broadcast(c: Compiler, proto: str) -> Block:
    if proto in (DEFAULT, "link"):
        if c.linktype != LINKTYPE_ETHERNET and not c.is_geneve:    # (PUSH_LINKHDR())
            c.error("not a broadcast link")
        return lambda p: p.frame[0:6] == b"\xff" * 6 if len(p.frame) >= 6 else _oob()
    if proto == "ip":
        if c.netmask == 0xFFFFFFFF:
            c.error("netmask not known, so 'ip broadcast' not supported")
        hostmask = ~c.netmask & 0xFFFFFFFF
        ip = c.gen_linktype(ETHERTYPE_IP)

        def bcast(p: Packet) -> bool:
            dst = p.pl(16, 4) & hostmask
            return dst == 0 or dst == hostmask
        return _and(ip, bcast)
    c.error("only link-layer/IP broadcast filters supported")


def gen_multicast(c: Compiler, proto: str) -> Block:
    if proto in (DEFAULT, "link"):
        if c.linktype != LINKTYPE_ETHERNET and not c.is_geneve:
            c.error("link-layer multicast filters supported only on ethernet/FDDI/token ring/"
                    "ARCNET/802.11/ATM LANE/Fibre Channel")
        return lambda p: bool(p.load(0, 1) & 1)
    if proto == "ip":
        ip = c.gen_linktype(ETHERTYPE_IP)
        return lambda p: ip(p) and p.pl(16, 1) >= 224
    if proto == "ip6":
        ip6 = c.gen_linktype(ETHERTYPE_IPV6)
        return lambda p: ip6(p) and p.pl(24, 1) == 255
    c.error("link-layer multicast filters supported only on ethernet/FDDI/token ring/"
            "ARCNET/802.11/ATM LANE/Fibre Channel")


def gen_inbound(c: Compiler, outbound: bool) -> Block:
    if c.linktype == LINKTYPE_LINUX_SLL:
        out = lambda p: p.load(0, 2) == 4     # noqa: E731 - LINUX_SLL_OUTGOING
    elif c.linktype == LINKTYPE_LINUX_SLL2:
        out = lambda p: p.load(10, 1) == 4    # noqa: E731
    elif c.savefile:
        c.error(f"inbound/outbound not supported on {LINKTYPE_DESCRIPTIONS.get(c.linktype, 'this link type')} "
                "when reading savefiles")
    else:
        # A live capture asks the kernel (SKF_AD_PKTTYPE): the caller says which way;
        # libpcap's own interpreter (bpf_filter.c, `outgoing` None) cannot answer
        # that load and the program returns 0 then, whatever surrounds it
        out = lambda p: p.outgoing if p.outgoing is not None else _oob()  # noqa: E731
    return out if outbound else _not(out)


def gen_ifindex(c: Compiler, ifindex: int) -> Block:
    """gen_ifindex() (libpcap 1.10): the interface index of LINUX_SLL2's header (4 bytes
    at offset 4); on any other link type a live capture asks the kernel
    (SKF_AD_IFINDEX), a savefile cannot: "ifindex not supported on %s when reading
    savefiles". libpcap's own interpreter cannot answer the kernel's load either (the
    program returns 0 then, as for inbound/outbound)."""
    if c.linktype == LINKTYPE_LINUX_SLL2:
        return lambda p: p.load(4, 4) == ifindex
    if c.savefile:
        c.error(f"ifindex not supported on "
                f"{LINKTYPE_DESCRIPTIONS.get(c.linktype, 'this link type')} "
                "when reading savefiles")
    return lambda p: (p.ifindex if p.ifindex is not None else _oob()) == ifindex


def gen_vlan(c: Compiler, vlan_num: int | None) -> Block:
    """gen_vlan() for a savefile (gen_vlan_no_bpf_extensions()): the TPID at the type
    offset, the VID after it, then later code looks 4 bytes further."""
    if c.label_stack_depth > 0:
        c.error("no VLAN match after MPLS")
    if c.linktype != LINKTYPE_ETHERNET and not c.is_geneve:
        c.error(f"no VLAN support for {LINKTYPE_DESCRIPTIONS.get(c.linktype, 'this link type')}")
    if vlan_num is not None and vlan_num > 4095:
        c.error(f"VLAN tag {vlan_num} greater than maximum 4095")

    def vlan(p: Packet) -> bool:
        if p.ethertype() not in (0x8100, 0x88A8, 0x9100):
            return False
        return vlan_num is None or (p.pl(0, 2) & 0x0FFF) == vlan_num
    tpids = [{"ethertype": t} for t in (0x8100, 0x88A8, 0x9100)]
    block = c.here(_with_req(vlan, tpids))
    block.positioned = True
    c.vlan_shift += 4
    return block


GENEVE_PORT = 6081


def gen_geneve(c: Compiler, vni: int | None) -> Block:
    """gen_geneve(): UDP to port 6081 over IPv4 or IPv6 (gen_geneve4()/gen_geneve6():
    gen_port() with Q_DST, so not a fragment), a Geneve version 0 header, the VNI if
    given; then what follows looks into the payload (Packet.geneve_inner())."""
    if vni is not None and vni > 0xFFFFFF:
        c.error(f"Geneve VNI {vni} greater than maximum 16777215")
    port = c.here(c.gen_port(GENEVE_PORT, GENEVE_PORT, IPPROTO_UDP, "dst"))

    def header(p: Packet) -> bool:
        if p.ethertype() == ETHERTYPE_IP:
            gen = p.ll_off + ((p.load(p.ll_off, 1) & 0x0F) << 2) + 8
        else:
            gen = p.ll_off + 48
        if p.load(gen, 1) & 0xC0:
            return False
        return vni is None or p.load(gen + 4, 4) >> 8 == vni
    block = _and(port, header)
    block.positioned = True
    c.is_geneve = True
    return block


def gen_pppoes(c: Compiler, sess_num: int | None) -> Block:
    """gen_pppoes(): a PPPoE session frame (ETHERTYPE_PPPOES), of that session if a
    number is given (the low 16 bits of the payload's first word); what is compiled
    after it, whatever the and/or/not around, looks inside the PPP packet."""
    if sess_num is not None and sess_num > 0xFFFF:
        c.error(f"PPPoE session number {sess_num} greater than maximum 65535")
    session = c.here(c.gen_linktype(0x8864))

    def pppoes(p: Packet) -> bool:
        if not session(p):
            return False
        shift = c_shift
        return sess_num is None or p.load(p.ll_off + shift, 4) & 0xFFFF == sess_num
    c_shift = c.vlan_shift if c.pppoes_shift is None else 0
    block = _with_req(pppoes, _req(session))
    block.positioned = True
    c.pppoes_shift = c.vlan_shift
    return block


def gen_mpls(c: Compiler, label: int | None) -> Block:
    if c.linktype not in (LINKTYPE_ETHERNET, 9, 104):
        c.error(f"no MPLS support for {LINKTYPE_DESCRIPTIONS.get(c.linktype, 'this link type')}")
    if label is not None and label > 0xFFFFF:
        c.error(f"MPLS label {label} greater than maximum 1048575")
    # gen_mpls(): the unicast MPLS type only, PPP's protocol 0x0281 or the ethertype
    # 0x8847 (tcpdump -d: ldh [2] on PPP and Cisco HDLC, ldh [12] on Ethernet)
    wanted = {9: (0x0281,), 50: (0x0281,), 104: (0x8847,)}.get(c.linktype, (0x8847,))

    inner = c.label_stack_depth > 0

    def mpls(p: Packet) -> bool:
        if inner:
            # a further label: the one before it must not be the bottom of the stack
            if p.pl(-2, 1) & 0x01:
                return False
        elif c.linktype in (9, 104, 50):
            if p.load(p.lt_off, 2) not in wanted:
                return False
        elif p.ethertype() not in wanted:
            return False
        return label is None or (p.pl(0, 4) >> 12) == label
    block = c.here(mpls)
    block.positioned = True
    c.label_stack_depth += 1
    # the code after it looks 4 bytes further into the payload (off_nl += 4)
    c.vlan_shift += 4
    return block


# -- the scanner (scanner.l) --------------------------------------------------------

_NUMBER = re.compile(r"[0-9]+|0[xX][0-9A-Fa-f]+")
_MAC = re.compile(r"[0-9A-Fa-f][0-9A-Fa-f]?(:[0-9A-Fa-f][0-9A-Fa-f]?){5}|"
                  r"[0-9A-Fa-f][0-9A-Fa-f]?(-[0-9A-Fa-f][0-9A-Fa-f]?){5}|"
                  r"[0-9A-Fa-f][0-9A-Fa-f]?(\.[0-9A-Fa-f][0-9A-Fa-f]?){5}|"
                  r"[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}|[0-9A-Fa-f]{12}")


def _stou(text: str) -> int:
    """scanner.l's stou(): decimal, 0x hex, or leading-0 octal, at most 32 bits."""
    if text.startswith(("0x", "0X")):
        n = int(text[2:], 16)
    elif text.startswith("0") and len(text) > 1:
        if any(ch in "89" for ch in text):
            raise FilterError(f"number {text} contains non-octal digit")
        n = int(text, 8)
    else:
        n = int(text)
    if n > 0xFFFFFFFF:
        raise FilterError(f"number {text} overflows 32 bits")
    return n


class _Scanner:
    """Longest match over the grammar's terminals, ties to the higher priority
    (flex's earlier rule); whitespace separates tokens."""

    def __init__(self, terminals):
        self.rules = []
        for t in terminals:
            if t.name.startswith("__"):
                continue
            pattern = t.pattern.to_regexp() if hasattr(t.pattern, "to_regexp") else str(t.pattern)
            self.rules.append((t.name, re.compile(pattern), t.priority))

    def tokens(self, text: str):
        """Yields (type, text, lex_error) triples; type None for a character no rule
        takes (flex's LEX_ERROR)."""
        pos, n = 0, len(text)
        while pos < n:
            if text[pos] in " \r\n\t":
                pos += 1
                continue
            best = None
            for name, rx, prio in self.rules:
                m = rx.match(text, pos)
                if not m:
                    continue
                end = self._longest(rx, text, pos, m.end())
                key = (end - pos, prio)
                if best is None or key > best[0]:
                    best = (key, name, end)
            if best is None:
                yield None, text[pos], None
                pos += 1
                continue
            _, name, end = best
            yield name, text[pos:end], None
            pos = end

    @staticmethod
    def _longest(rx, text: str, pos: int, first_end: int) -> int:
        # Python's regex alternation is not leftmost-longest: try longer ends.
        stop = pos
        while stop < len(text) and text[stop] not in " \r\n\t":
            stop += 1
        for end in range(stop, first_end, -1):
            if rx.fullmatch(text, pos, end):
                return end
        return first_end



_WLAN_DIRS = frozenset(("addr1", "addr2", "addr3", "addr4", "ra", "ta"))

_PARSER = None
_ACTIONS = Actions()


def _parser():
    """The standalone LALR parser of grammar/tcpdump.lark, with Actions as its
    inline transformer (built once; Actions.c is swapped per filter)."""
    global _PARSER
    if _PARSER is None:
        from ipemu.lark_cache import parser
        base = parser("tcpdump")
        module = base.module

        class _Transformer(module.Transformer):
            pass
        for attr in dir(Actions):
            if attr.startswith("_"):
                continue
            method = getattr(_ACTIONS, attr)
            target = {"not_": "not", "and_": "and", "or_": "or"}.get(attr, attr)
            setattr(_Transformer, target, staticmethod(method))
        _PARSER = (module.Lark_StandAlone(transformer=_Transformer()), module, _Scanner(base.terminals))
    return _PARSER


def _make_token(module, name: str, text: str):
    tok = _token_class(module)(name, text)
    if name == "NUM":
        tok.value_num = NAMED_NUMBERS[text] if text in NAMED_NUMBERS else _stou(text)
    elif name == "ID":
        tok.value_str = text[1:] if text.startswith("\\") else text
    else:
        tok.value_str = text
    return tok


_TOKEN_CLASSES: dict = {}


def _token_class(module):
    """The parser's Token with room for the decoded value (Token has __slots__)."""
    cls = _TOKEN_CLASSES.get(id(module))
    if cls is None:
        cls = type("FilterToken", (module.Token,), {"__slots__": ("value_num", "value_str")})
        _TOKEN_CLASSES[id(module)] = cls
    return cls


Predicate = Callable[..., bool]


def compile_filter(text: str, linktype: int = LINKTYPE_ETHERNET, *, netmask: int = 0,
                   hosts: Mapping[str, Sequence[str]] | None = None,
                   savefile: bool = True, optimize: bool = True,
                   device: bool | None = None) -> Predicate:
    """Compile a pcap-filter expression for frames of `linktype`.

    `hosts` answers name lookups (name -> addresses, as /etc/hosts would; there is no
    DNS); `netmask` is the capture interface's (0 when reading a file, as tcpdump -r);
    `savefile` is False for a live capture, where inbound/outbound ask the caller;
    `optimize` False (tcpdump -O) skips the optimizer and its `rejects all packets`;
    `device` (default: not `savefile`) False for a dead pcap_t (tcpdump -d without
    -i), whose VLAN code reads the packet, not the kernel's metadata.
    Returns predicate(frame, linktype=None, wirelen=None, outgoing=None) -> bool.
    Raises FilterError with libpcap's message.
    """
    try:
        return _compile_once(text, linktype, netmask, hosts, savefile, optimize, device)
    except FilterError as err:
        at = getattr(err, "syntax_at", None)
        if at is None:
            raise
        # bison's default reductions: the parser that meets the bad token has already
        # reduced what came before it when that needed no lookahead, so a primitive
        # ending there was generated (gen_scode(), gen_ncode()...) and its error is
        # the one printed (recorded: `host foo bar` says unknown host 'foo', `port foo
        # bar` unknown port 'foo', `host 1.2.3.4 bar` a syntax error). Shown here by
        # compiling the longest prefix that parses, its open parentheses closed.
        starts = _token_starts(text)
        for j in range(min(at, len(starts)), 0, -1):
            prefix = text[:starts[j]] if j < len(starts) else text
            kinds = [name for name, _, _ in _parser()[2].tokens(prefix)]
            if kinds[-1] not in _OPERANDS:
                # a keyword last (`ether`, `ether proto`): what it begins was not
                # reduced yet, so nothing of it ran (recorded: `ether proto arp` is a
                # syntax error, not `link layer applied in wrong context`)
                continue
            depth = kinds.count("LPAREN") - kinds.count("RPAREN")
            try:
                _compile_once(prefix + ")" * max(depth, 0), linktype, netmask, hosts,
                              savefile, False)
            except FilterError as inner:
                if getattr(inner, "syntax_at", None) is not None:
                    continue
                raise FilterError(inner.message) from None
            break
        raise


# the tokens a primitive can end with: an id, a number, an address, a closed group
_OPERANDS = frozenset(("ID", "NUM", "HID", "HID6", "EID", "AID", "RPAREN"))


def _token_starts(text: str) -> list[int]:
    """Where each token of `text` starts, and its end as the last entry."""
    scanner = _parser()[2]
    out, pos = [], 0
    for _, word, _ in scanner.tokens(text):
        pos = text.index(word, pos)
        out.append(pos)
        pos += len(word)
    return out + [len(text)]


def _compile_once(text: str, linktype: int, netmask: int, hosts, savefile: bool,
                  optimize: bool, device: bool | None = None) -> Predicate:
    parser, module, scanner = _parser()
    compiler = Compiler(linktype, netmask, hosts or {}, savefile)
    _ACTIONS.c = compiler
    first_error: list[str] = []
    fed = 0
    try:
        interactive = parser.parse_interactive("")
        for name, word, _ in scanner.tokens(text):
            if name is None:
                raise _Syntax()
            if name == "EID" and not _MAC.fullmatch(word):
                first_error.append(f"bogus ethernet address {word}")
            if name == "HID6":
                try:
                    ipaddress.IPv6Address(word)
                except ValueError:
                    first_error.append(f"bogus IPv6 address {word}")
            try:
                tok = _make_token(module, name, word)
            except FilterError as e:
                first_error.append(e.message)
                raise _Syntax()
            interactive.feed_token(tok)
            fed += 1
        block = interactive.feed_eof()
    except FilterError as e:
        raise FilterError(first_error[0] if first_error else e.message) from None
    except _Syntax:
        if first_error:
            raise FilterError(first_error[0]) from None
        raise _syntax_error(fed) from None
    except Exception as e:      # the parser's UnexpectedToken/UnexpectedEOF, or a wrapped error
        inner = getattr(e, "orig_exc", None)
        if isinstance(inner, FilterError):
            raise FilterError(first_error[0] if first_error else inner.message) from None
        if type(e).__name__.startswith("Unexpected"):
            if first_error:
                raise FilterError(first_error[0]) from None
            raise _syntax_error(fed) from None
        raise
    finally:
        _ACTIONS.c = None
    if first_error:
        raise FilterError(first_error[0])
    live = not savefile if device is None else device
    if optimize and _rejects_all(text, linktype, block, live, hosts):
        raise FilterError("expression rejects all packets")
    compiled_for = linktype

    def predicate(frame: bytes, linktype: int | None = None, wirelen: int | None = None,
                  outgoing: bool | None = None, ifindex: int | None = None) -> bool:
        pkt = Packet(frame, compiled_for if linktype is None else linktype,
                     len(frame) if wirelen is None else wirelen, outgoing, ifindex)
        try:
            return bool(block(pkt))
        except _OutOfBounds:
            return False
    # a live capture's SO_ATTACH_FILTER fails with EINVAL for such a program and
    # libpcap filters in user space instead (pcap-linux.c set_kernel_filter())
    predicate.kernel_refuses = compiler.backward_jumps
    return predicate


class _Syntax(Exception):
    pass


def _syntax_error(fed: int) -> FilterError:
    """The parser's syntax error, knowing how many tokens it took before it."""
    err = FilterError("can't parse filter expression: syntax error")
    err.syntax_at = fed
    return err
