"""tcpdump -d of combined filters, the generating half: libpcap 1.10.3's gencode.c for
the primitives tutorials combine and grammar.y's expressions over them.

gencode.c builds a graph of blocks (a list of statements and one branch each) joined by
gen_and()/gen_or()/gen_not() through backpatch() and merge(); finish_parse() hangs the
two returns on it. The expressions are parsed into a tree first and generated in the
order the grammar's actions run (bottom-up, left to right), so scratch registers and
blocks come out as libpcap makes them. bpfopt.py optimizes and lays out the result.
`compile()` returns None for what is not generated here (bpfcode.py then says so)."""
from __future__ import annotations

from ipemu.tcpdump.bpfopt import (ABS, ADD, ALU, AND, B, BPF_MEMWORDS, DIV, H, IMM, IND, JA,
                                  JEQ, JGE, JGT, JMP, JSET, K, LD, LDX, LEN, LSH, MEM,
                                  MISC, MOD, MSH, MUL, NEG, OR, RET, RSH, ST, STX, SUB, TAX, TXA, U32,
                                  W,
                                  X, XOR,
                                  Block, CompileError, Stmt, layout, optimize_and_layout)

# ------------------------------------------------------------------ gencode.c


def backpatch(lst: Block | None, target: Block) -> None:
    while lst is not None:
        if not lst.sense:
            nxt, lst.jt = lst.jt, target
        else:
            nxt, lst.jf = lst.jf, target
        lst = nxt


def merge(b0: Block, b1: Block) -> None:
    p = b0
    while True:
        nxt = p.jt if not p.sense else p.jf
        if nxt is None:
            break
        p = nxt
    if not p.sense:
        p.jt = b1
    else:
        p.jf = b1


def gen_and(b0: Block, b1: Block) -> None:
    backpatch(b0, b1.head)
    b0.sense = not b0.sense
    b1.sense = not b1.sense
    merge(b1, b0)
    b1.sense = not b1.sense
    b1.head = b0.head


def gen_or(b0: Block, b1: Block) -> None:
    b0.sense = not b0.sense
    backpatch(b0, b1.head)
    b0.sense = not b0.sense
    merge(b1, b0)
    b1.head = b0.head


def gen_not(b: Block) -> None:
    b.sense = not b.sense


# e_offrel
(OR_PACKET, OR_LINKHDR, OR_LINKTYPE, OR_LINKPL, OR_TRAN_IPV4, OR_TRAN_IPV6, OR_LLC,
 OR_PREVMPLSHDR, OR_LINKPL_NOSNAP) = range(9)
ETHERTYPE_IP, ETHERTYPE_IPV6, ETHERTYPE_ARP, ETHERTYPE_REVARP = 0x800, 0x86DD, 0x806, 0x8035
PROTO_UNDEF = -1


DLT_PPP = 9
# gencode.c ethertype_to_ppptype(): the PPP protocol numbers of the types it knows
ETHERTYPE_TO_PPP = {0x0800: 0x0021, 0x86DD: 0x0057, 0x6003: 0x0027, 0x809B: 0x0029,
                    0x0600: 0x0025, 0xFE: 0x0023, 0x42: 0x0031, 0xE0: 0x002B}


class AbsOffset:
    """bpf_abs_offset: a constant part, and once a VLAN tag may be in the way, a
    variable part kept in a scratch register."""

    def __init__(self, constant: int):
        self.constant = constant
        self.is_variable = False
        self.reg = -1


# linux/filter.h: SKF_AD_OFF and the ancillary loads gen_vlan_bpf_extensions() uses
SKF_AD_OFF = 0xFFFFF000
SKF_AD_VLAN_TAG, SKF_AD_VLAN_TAG_PRESENT = 44, 48
SKF_AD_PKTTYPE = 4
SKF_AD_IFINDEX = 8
PACKET_OUTGOING = 4         # linux/if_packet.h, and LINUX_SLL_OUTGOING of the cooked header
ETHERTYPE_8021Q, ETHERTYPE_8021AD, ETHERTYPE_8021QINQ = 0x8100, 0x88A8, 0x9100
ETHERTYPE_MPLS, ETHERTYPE_IPX, ETHERTYPE_ATALK, ETHERTYPE_AARP = 0x8847, 0x8137, 0x809B, 0x80F3
LLCSAP_ISONS, LLCSAP_IPX = 0xFE, 0xE0


class Gen:
    """compiler_state_t for one link type: off_linktype and off_linkpl (off_nl 0), the
    scratch registers, and the VLAN state (`live`: a Linux capture, whose kernel
    filter reads VLAN tags from the packet's metadata: BPF_SPECIAL_VLAN_HANDLING;
    `savefile`: read from a file, bpf_pcap->rfile set, where inbound/outbound and
    ifindex cannot ask the kernel; a dead pcap_t, `tcpdump -d` without -i or -r, is
    neither)."""

    def __init__(self, off_linktype: int, off_linkpl: int, linkhdr: bool,
                 live: bool = True, dlt: int = 1, hosts=None, savefile: bool | None = None):
        self.dlt = dlt
        self.savefile = not live if savefile is None else savefile
        self.hosts = hosts if hosts is not None else {}   # pcap_nametoaddrinfo()'s answers
        self.off_linktype = AbsOffset(off_linktype)
        self.off_linkpl = AbsOffset(off_linkpl)
        self.linkhdr = linkhdr        # Ethernet: the MAC addresses are there
        self.live = live
        self.curreg = 0
        self.regused = [False] * BPF_MEMWORDS
        self.is_vlan_vloffset = False
        self.vlan_stack_depth = 0
        # init_linktype(): off_nl 0, and off_nl_nosnap 3 past an 802.2 LLC header on
        # Ethernet; gen_mpls() moves both by 4 per label
        self.off_nl = 0
        self.off_nl_nosnap = 3 if dlt == 1 else 0
        self.label_stack_depth = 0
        self.no_optimize = False      # gen_protochain() and gen_geneve() set it
        self.is_geneve = False

    def alloc_reg(self) -> int:
        for _ in range(BPF_MEMWORDS):
            if self.regused[self.curreg]:
                self.curreg = (self.curreg + 1) % BPF_MEMWORDS
            else:
                self.regused[self.curreg] = True
                return self.curreg
        raise CompileError("too many registers needed to evaluate expression")

    def free_reg(self, n: int) -> None:
        self.regused[n] = False

    def varpart(self, off: AbsOffset) -> list[Stmt] | None:
        """gen_abs_offset_varpart(): X loaded with the variable part, if any."""
        if not off.is_variable:
            return None
        if off.reg == -1:
            off.reg = self.alloc_reg()
        return [Stmt(LDX | MEM, off.reg)]

    def load_rel(self, off: AbsOffset, offset: int, size: int) -> list[Stmt]:
        """gen_load_absoffsetrel()."""
        s = self.varpart(off)
        if s is not None:
            return s + [Stmt(LD | IND | size, off.constant + offset)]
        return [Stmt(LD | ABS | size, off.constant + offset)]

    def loadx_iphdrlen(self) -> list[Stmt]:
        """gen_loadx_iphdrlen()."""
        s = self.varpart(self.off_linkpl)
        if s is not None:
            return s + [Stmt(LD | IND | B, self.off_linkpl.constant + self.off_nl),
                        Stmt(ALU | AND | K, 0xF), Stmt(ALU | LSH | K, 2),
                        Stmt(ALU | ADD | X), Stmt(MISC | TAX)]
        return [Stmt(LDX | MSH | B, self.off_linkpl.constant + self.off_nl)]

    def load_a(self, offrel: int, offset: int, size: int) -> list[Stmt]:
        """gen_load_a()."""
        if offrel == OR_LINKHDR:
            if self.is_geneve:
                return self.load_rel(self.off_linkhdr, offset, size)
            return [Stmt(LD | ABS | size, offset)]
        if offrel == OR_LINKTYPE:
            return self.load_rel(self.off_linktype, offset, size)
        if offrel == OR_LINKPL:
            return self.load_rel(self.off_linkpl, self.off_nl + offset, size)
        if offrel == OR_LLC:
            return self.load_rel(self.off_linkpl, offset, size)
        if offrel == OR_PREVMPLSHDR:
            return self.load_rel(self.off_linkpl, self.off_nl - 4 + offset, size)
        if offrel == OR_LINKPL_NOSNAP:
            return self.load_rel(self.off_linkpl, self.off_nl_nosnap + offset, size)
        if offrel == OR_TRAN_IPV4:
            return self.loadx_iphdrlen() + [
                Stmt(LD | IND | size, self.off_linkpl.constant + self.off_nl + offset)]
        if offrel == OR_TRAN_IPV6:
            return self.load_rel(self.off_linkpl, self.off_nl + 40 + offset, size)
        return [Stmt(LD | ABS | size, offset)]

    # gen_vlan() and its helpers
    def vlan_tpid_test(self) -> Block:
        b0 = self.linktype(ETHERTYPE_8021Q)
        b1 = self.linktype(ETHERTYPE_8021AD)
        gen_or(b0, b1)
        b0 = b1
        b1 = self.linktype(ETHERTYPE_8021QINQ)
        gen_or(b0, b1)
        return b1

    def vlan_vid_test(self, vlan_num: int) -> Block:
        if vlan_num > 0x0FFF:
            raise CompileError(f"VLAN tag {vlan_num} greater than maximum {0x0FFF}")
        return self.mcmp(OR_LINKPL, 0, H, vlan_num, 0x0FFF)

    def vloffset_add(self, off: AbsOffset, v: int, s: list[Stmt]) -> None:
        off.is_variable = True
        if off.reg == -1:
            off.reg = self.alloc_reg()
        s += [Stmt(LD | MEM, off.reg), Stmt(ALU | ADD | K, v), Stmt(ST, off.reg)]

    def vlan(self, vlan_num: int, has_tag: bool) -> Block:
        if self.label_stack_depth > 0:
            raise CompileError("no VLAN match after MPLS")
        if not self.linkhdr:
            raise _Unsupported            # "no VLAN support for ..."
        # the kernel's VLAN metadata only for the outermost link header (not after
        # geneve, whose offsets are variable)
        if self.live and self.vlan_stack_depth == 0 and not self.is_geneve:
            b0 = Block(JMP | JEQ | K, 1)       # gen_vlan_bpf_extensions()
            b0.stmts = [Stmt(LD | B | ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT)]
            b_tpid = self.vlan_tpid_test()
            b_vid = self.vlan_vid_test(vlan_num) if has_tag else None
            # gen_vlan_patch_tpid_test(): the offsets move by 4 where a tag is inline
            s: list[Stmt] = []
            self.is_vlan_vloffset = True
            self.vloffset_add(self.off_linkpl, 4, s)
            self.vloffset_add(self.off_linktype, 4, s)
            b_tpid.head.stmts = s + b_tpid.head.stmts
            gen_or(b0, b_tpid)
            b0 = b_tpid
            if b_vid is not None:
                # gen_vlan_patch_vid_test(): the tag from the metadata when the
                # kernel took it off, else from the packet
                original = b_vid.stmts
                present = Stmt(LD | B | ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT)
                jeq = Stmt(JMP | JEQ | K, 1)
                tci = Stmt(LD | B | ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG)
                jeq.jt, jeq.jf = tci, original[0]
                b_vid.stmts = [present, jeq, tci, Stmt(JMP | JA, len(original) - 1),
                               *original]
                gen_and(b0, b_vid)
                b0 = b_vid
        else:
            b0 = self.vlan_tpid_test()         # gen_vlan_no_bpf_extensions()
            if has_tag:
                b1 = self.vlan_vid_test(vlan_num)
                gen_and(b0, b1)
                b0 = b1
            self.off_linkpl.constant += 4
            self.off_linktype.constant += 4
        self.vlan_stack_depth += 1
        return b0

    def insert_compute_vloffsets(self, b: Block) -> None:
        """At the head of the program: the variable parts start at 0."""
        if not self.is_vlan_vloffset:
            return
        if self.off_linkpl.reg == -1:
            self.off_linkpl.reg = self.alloc_reg()
        if self.off_linktype.reg == -1:
            self.off_linktype.reg = self.alloc_reg()
        b.stmts = [Stmt(LD | W | IMM, 0), Stmt(ST, self.off_linkpl.reg),
                   Stmt(ST, self.off_linktype.reg)] + b.stmts

    def ncmp(self, offrel: int, offset: int, size: int, mask: int, jtype: int,
             reverse: bool, v: int) -> Block:
        s = self.load_a(offrel, offset, size)
        if mask != U32:
            s.append(Stmt(ALU | AND | K, mask))
        b = Block(JMP | jtype, v)
        b.stmts = s
        if reverse and jtype in (JGT, JGE):
            gen_not(b)
        return b

    def cmp(self, offrel: int, offset: int, size: int, v: int) -> Block:
        return self.ncmp(offrel, offset, size, U32, JEQ, False, v)

    def mcmp(self, offrel: int, offset: int, size: int, v: int, mask: int) -> Block:
        return self.ncmp(offrel, offset, size, mask, JEQ, False, v)

    def bcmp(self, offrel: int, offset: int, data: bytes) -> Block:
        size = len(data)
        b = None
        while size >= 4:
            tmp = self.cmp(offrel, offset + size - 4, W,
                           int.from_bytes(data[size - 4:size], "big"))
            if b is not None:
                gen_and(b, tmp)
            b = tmp
            size -= 4
        while size >= 2:
            tmp = self.cmp(offrel, offset + size - 2, H,
                           int.from_bytes(data[size - 2:size], "big"))
            if b is not None:
                gen_and(b, tmp)
            b = tmp
            size -= 2
        if size > 0:
            tmp = self.cmp(offrel, offset, B, data[0])
            if b is not None:
                gen_and(b, tmp)
            b = tmp
        return b

    def linktype(self, ll_proto: int) -> Block:
        """gen_linktype() -> gen_ether_linktype()/gen_linux_sll_linktype(): a type
        above ETHERMTU compared at the type field; on DLT_RAW the IP version nibble of
        the first byte, and gen_false() for anything but IPv4 and IPv6. Inside MPLS
        (label_stack_depth > 0) gen_mpls_linktype(): the bottom-of-stack bit of the
        last label and the IP version nibble."""
        if self.label_stack_depth > 0:
            version = {ETHERTYPE_IP: 0x40, ETHERTYPE_IPV6: 0x60}.get(ll_proto)
            if version is None:
                raise CompileError("unsupported protocol over mpls")
            b0 = self.mcmp(OR_LINKPL, -2, B, 0x01, 0x01)
            b1 = self.mcmp(OR_LINKPL, 0, B, version, 0xF0)
            gen_and(b0, b1)
            return b1
        if self.dlt in RAW_DLTS:
            version = {ETHERTYPE_IP: 0x40, ETHERTYPE_IPV6: 0x60}.get(ll_proto)
            if version is None:
                return self.false()
            return self.mcmp(OR_LINKHDR, 0, B, version, 0xF0)
        if self.dlt == DLT_PPP:
            # gen_linktype() on PPP (inside `pppoes`): ethertype_to_ppptype()
            ll_proto = ETHERTYPE_TO_PPP.get(ll_proto, ll_proto)
        return self.cmp(OR_LINKTYPE, 0, H, ll_proto)

    def pppoes(self, sess_num: int | None) -> Block:
        """gen_pppoes(): the session type, the session id's low 16 bits of the first
        word if given; then PUSH_LINKHDR(DLT_PPP): what follows is compared inside the
        PPP packet, 6 bytes past the PPPoE header, its protocol field first."""
        b0 = self.linktype(0x8864)                  # ETHERTYPE_PPPOES
        if sess_num is not None:
            if sess_num > 0xFFFF:
                raise CompileError(f"PPPoE session number {sess_num} greater than "
                                   "maximum 65535")
            b1 = self.mcmp(OR_LINKPL, 0, W, sess_num, 0xFFFF)
            gen_and(b0, b1)
            b0 = b1
        linkhdr = AbsOffset(self.off_linkpl.constant + 6)
        linkhdr.is_variable, linkhdr.reg = self.off_linkpl.is_variable, self.off_linkpl.reg
        linkpl = AbsOffset(linkhdr.constant + 2)
        linkpl.is_variable, linkpl.reg = linkhdr.is_variable, linkhdr.reg
        self.off_linktype, self.off_linkpl = linkhdr, linkpl
        self.dlt = DLT_PPP
        self.linkhdr = False
        return b0

    def false(self) -> Block:
        """gen_false(): gen_uncond(0), `ld #1; jeq #0`, which the optimizer folds."""
        b = Block(JMP | JEQ | K, 0)
        b.stmts = [Stmt(LD | W | IMM, 1)]
        return b

    def proto(self, v: int, proto: str) -> Block:
        """gen_proto() with Q_DEFAULT, Q_IP or Q_IPV6 (no direction)."""
        if proto == "default":
            b0 = self.proto(v, "ip")
            b1 = self.proto(v, "ip6")
            gen_or(b0, b1)
            return b1
        if proto == "ip":
            b0 = self.linktype(ETHERTYPE_IP)
            b1 = self.cmp(OR_LINKPL, 9, B, v)
            gen_and(b0, b1)
            return b1
        b0 = self.linktype(ETHERTYPE_IPV6)
        b2 = self.cmp(OR_LINKPL, 6, B, 44)         # IPPROTO_FRAGMENT
        b1 = self.cmp(OR_LINKPL, 40, B, v)
        gen_and(b2, b1)
        b2 = self.cmp(OR_LINKPL, 6, B, v)
        gen_or(b2, b1)
        gen_and(b0, b1)
        return b1

    def proto_abbrev(self, name: str) -> Block:
        """gen_proto_abbrev_internal(), and gen_llc() for `llc`."""
        if name in _PROTO_ABBREV_IP:
            return self.proto(*_PROTO_ABBREV_IP[name])
        if name == "llc":
            return self.llc()
        if name in _PROTO_ABBREV_ISO:
            kind, values = _PROTO_ABBREV_ISO[name]
            b0 = self.iso_proto(values[0], kind)
            if len(values) == 1:
                return b0
            b1 = self.iso_proto(values[1], kind)
            gen_or(b0, b1)
            for v in values[2:]:
                b0 = self.iso_proto(v, kind)
                gen_or(b0, b1)
            return b1
        return self.any_linktype(_PROTO_ABBREV_LINK[name])

    def any_linktype(self, ll_proto: int) -> Block:
        """gen_linktype() of a type or an 802.2 SAP: gen_ether_linktype() compares a SAP
        (a value up to ETHERMTU) behind an 802.3 length field, the DSAP and SSAP both for
        OSI and NetBEUI, else the DSAP; only Ethernet's here."""
        if self.label_stack_depth > 0:
            return self.linktype(ll_proto)
        if self.dlt == 276:
            # DLT_LINUX_SLL2 takes gen_linktype()'s default: the protocol field
            # compared with the value, a SAP as it is
            return self.cmp(OR_LINKTYPE, 0, H, ll_proto)
        if self.dlt == 113:
            return self.sll_linktype(ll_proto)
        if self.dlt == 1 and ll_proto in (ETHERTYPE_ATALK, ETHERTYPE_AARP):
            # EtherTalk phase 2 in a SNAP header (Apple's OUI for AppleTalk, the
            # encapsulated-Ethernet one for AARP) behind a length field, or phase 1's type
            b0 = self.ncmp(OR_LINKTYPE, 0, H, U32, JGT, False, ETHERMTU)
            gen_not(b0)
            b1 = self.snap(0x080007 if ll_proto == ETHERTYPE_ATALK else 0, ll_proto)
            gen_and(b0, b1)
            b0 = self.cmp(OR_LINKTYPE, 0, H, ll_proto)
            gen_or(b0, b1)
            return b1
        if ll_proto > ETHERMTU:
            return self.linktype(ll_proto)
        if self.dlt != 1:
            raise _Unsupported
        if ll_proto == LLCSAP_IPX:
            # Ethernet_802.2 (the IPX SAP), Ethernet_802.3 (0xffff) and Ethernet_SNAP
            # behind a length field, or Ethernet_II's ETHERTYPE_IPX
            b0 = self.cmp(OR_LLC, 0, B, LLCSAP_IPX)
            b1 = self.cmp(OR_LLC, 0, H, 0xFFFF)
            gen_or(b0, b1)
            b0 = self.snap(0, ETHERTYPE_IPX)
            gen_or(b0, b1)
            b0 = self.ncmp(OR_LINKTYPE, 0, H, U32, JGT, False, ETHERMTU)
            gen_not(b0)
            gen_and(b0, b1)
            b0 = self.cmp(OR_LINKTYPE, 0, H, ETHERTYPE_IPX)
            gen_or(b0, b1)
            return b1
        b0 = self.ncmp(OR_LINKTYPE, 0, H, U32, JGT, False, ETHERMTU)
        gen_not(b0)
        if ll_proto in (0xFE, 0x06, 0xF0):          # LLCSAP_ISONS, LLCSAP_IP, NETBEUI
            b1 = self.cmp(OR_LLC, 0, H, (ll_proto << 8) | ll_proto)
        else:
            b1 = self.cmp(OR_LINKTYPE, 2, B, ll_proto)
        gen_and(b0, b1)
        return b1

    def sll_linktype(self, ll_proto: int) -> Block:
        """gen_linux_sll_linktype(): 802.2 frames carry LINUX_SLL_P_802_2 (4) in the
        protocol field, Novell's raw 802.3 LINUX_SLL_P_802_3 (1)."""
        if ll_proto in (LLCSAP_ISONS, 0x06, 0xF0):
            b0 = self.cmp(OR_LINKTYPE, 0, H, 0x0004)
            b1 = self.cmp(OR_LLC, 0, H, (ll_proto << 8) | ll_proto)
            gen_and(b0, b1)
            return b1
        if ll_proto == LLCSAP_IPX:
            b0 = self.cmp(OR_LLC, 0, B, LLCSAP_IPX)
            b1 = self.snap(0, ETHERTYPE_IPX)
            gen_or(b0, b1)
            b0 = self.cmp(OR_LINKTYPE, 0, H, 0x0004)
            gen_and(b0, b1)
            b0 = self.cmp(OR_LINKTYPE, 0, H, 0x0001)
            gen_or(b0, b1)
            b0 = self.cmp(OR_LINKTYPE, 0, H, ETHERTYPE_IPX)
            gen_or(b0, b1)
            return b1
        if ll_proto in (ETHERTYPE_ATALK, ETHERTYPE_AARP):
            b0 = self.cmp(OR_LINKTYPE, 0, H, 0x0004)
            b1 = self.snap(0x080007 if ll_proto == ETHERTYPE_ATALK else 0, ll_proto)
            gen_and(b0, b1)
            b0 = self.cmp(OR_LINKTYPE, 0, H, ll_proto)
            gen_or(b0, b1)
            return b1
        if ll_proto <= ETHERMTU:
            b0 = self.cmp(OR_LINKTYPE, 0, H, 0x0004)
            b1 = self.cmp(OR_LINKHDR, self.off_linkpl.constant, B, ll_proto)
            gen_and(b0, b1)
            return b1
        return self.cmp(OR_LINKTYPE, 0, H, ll_proto)

    def snap(self, orgcode: int, ptype: int) -> Block:
        """gen_snap(): DSAP and SSAP 0xAA, control UI, the OUI and the type."""
        return self.bcmp(OR_LLC, 0, bytes((0xAA, 0xAA, 0x03)) + orgcode.to_bytes(3, "big")
                         + ptype.to_bytes(2, "big"))

    def llc_sub(self, kind: str, v: int = 0) -> Block:
        """gen_llc_i(), gen_llc_s(), gen_llc_u(), gen_llc_s_subtype() and
        gen_llc_u_subtype(): the control field's low bits after gen_llc()."""
        b0 = self.llc()
        if kind == "i":
            b1 = Block(JMP | JSET, 0x01)
            b1.stmts = self.load_a(OR_LLC, 2, B)
            gen_not(b1)
        elif kind == "s":
            b1 = self.mcmp(OR_LLC, 2, B, 1, 0x03)        # LLC_S_FMT
        elif kind == "u":
            b1 = self.mcmp(OR_LLC, 2, B, 3, 0x03)        # LLC_U_FMT
        elif kind == "s_subtype":
            b1 = self.mcmp(OR_LLC, 2, B, v, 0x0F)        # LLC_S_CMD_MASK
        else:
            b1 = self.mcmp(OR_LLC, 2, B, v, 0xEF)        # LLC_U_CMD_MASK
        gen_and(b0, b1)
        return b1

    def iso_proto(self, v: int, proto: str) -> Block:
        """gen_proto() for Q_ISO (the NLPID after an ISONS LLC header) and Q_ISIS (the
        IS-IS PDU type, 4 bytes further)."""
        if proto == "isis":
            b0 = self.iso_proto(0x83, "iso")             # ISO10589_ISIS
            b1 = self.cmp(OR_LINKPL_NOSNAP, 4, B, v)
            gen_and(b0, b1)
            return b1
        if self.dlt not in (1, 113, 276):
            raise _Unsupported
        b0 = self.any_linktype(LLCSAP_ISONS)
        b1 = self.cmp(OR_LINKPL_NOSNAP, 0, B, v)
        gen_and(b0, b1)
        return b1

    def mpls(self, label: int | None) -> Block:
        """gen_mpls(): ETHERTYPE_MPLS, or the bottom-of-stack bit of the label before
        (clear) when nested; the 20-bit label; then the network layer 4 bytes on."""
        if self.label_stack_depth > 0:
            b0 = self.mcmp(OR_PREVMPLSHDR, 2, B, 0, 0x01)
        elif self.dlt == 1:
            b0 = self.linktype(ETHERTYPE_MPLS)
        elif self.dlt == DLT_PPP:
            b0 = self.linktype(0x0281)                   # PPP_MPLS_UCAST
        else:
            raise _Unsupported                           # "no MPLS support for ..."
        if label is not None:
            if label > 0xFFFFF:
                raise CompileError(f"MPLS label {label} greater than maximum {0xFFFFF}")
            b1 = self.mcmp(OR_LINKPL, 0, W, label << 12, 0xFFFFF000)
            gen_and(b0, b1)
            b0 = b1
        self.off_nl_nosnap += 4
        self.off_nl += 4
        self.label_stack_depth += 1
        return b0

    def llc(self) -> Block:
        """gen_llc() on Ethernet: an 802.3 length field, and not Novell's raw 802.3
        (DSAP and SSAP 0xFF)."""
        if self.dlt != 1:
            raise _Unsupported
        b0 = self.ncmp(OR_LINKTYPE, 0, H, U32, JGT, False, ETHERMTU)
        gen_not(b0)
        b1 = self.cmp(OR_LLC, 0, H, 0xFFFF)
        gen_not(b1)
        gen_and(b0, b1)
        return b1

    def hostop(self, addr: int, mask: int, d: str, ll_proto: int, src_off: int,
               dst_off: int) -> Block:
        if d in ("and", "or", "default"):
            b0 = self.hostop(addr, mask, "src", ll_proto, src_off, dst_off)
            b1 = self.hostop(addr, mask, "dst", ll_proto, src_off, dst_off)
            (gen_and if d == "and" else gen_or)(b0, b1)
            return b1
        offset = src_off if d == "src" else dst_off
        b0 = self.linktype(ll_proto)
        b1 = self.mcmp(OR_LINKPL, offset, W, addr, mask)
        gen_and(b0, b1)
        return b1

    def host(self, addr: int, mask: int, proto: str, d: str) -> Block:
        """gen_host() (IPv4)."""
        if proto == "default":
            b0 = self.host(addr, mask, "ip", d)
            if self.label_stack_depth > 0:
                return b0                   # no ARP/RARP inside MPLS
            b1 = self.host(addr, mask, "arp", d)
            gen_or(b0, b1)
            b0 = self.host(addr, mask, "rarp", d)
            gen_or(b1, b0)
            return b0
        if proto == "ip":
            return self.hostop(addr, mask, d, ETHERTYPE_IP, 12, 16)
        return self.hostop(addr, mask, d, ETHERTYPE_ARP if proto == "arp"
                           else ETHERTYPE_REVARP, 14, 24)

    def geneve(self, vni: int | None) -> Block:
        """gen_geneve(): UDP to port 6081 over IPv4 or IPv6, version 0, the VNI in the
        upper 3 bytes of the second word; then gen_geneve_offsets(): the inner
        Ethernet (or, with type 0x6558 absent, bare IP) header's type and payload in
        scratch registers, everything after it read through them; no optimizer."""
        if self.dlt not in (1, 113, 276) or self.label_stack_depth or self.is_geneve or \
                self.off_linkpl.is_variable:
            raise _Unsupported
        b0 = self.geneve_check(OR_TRAN_IPV4, vni, False)
        b1 = Block(JMP | JEQ | X, 0)                     # gen_geneve4()
        b1.stmts = self.loadx_iphdrlen() + [Stmt(MISC | TXA)]
        gen_and(b0, b1)
        b0 = b1
        b2 = self.geneve_check(OR_TRAN_IPV6, vni, True)
        b1 = Block(JMP | JEQ | X, 0)                     # gen_geneve6()
        b1.stmts = [Stmt(LD | IMM, 40), Stmt(MISC | TAX)]
        gen_and(b2, b1)
        gen_or(b0, b1)
        b0 = b1
        s = self.geneve_offsets()
        b1 = Block(JMP | JEQ | K, 0)                     # gen_true()
        b1.stmts = s + [Stmt(LD | IMM, 0)]
        gen_and(b0, b1)
        self.is_geneve = True
        return b1

    def geneve_ll_check(self) -> Block:
        """gen_geneve_ll_check(): the inner frame has a link-layer header when its
        payload does not start where its header does."""
        b0 = Block(JMP | JEQ | X, 0)
        b0.stmts = [Stmt(LD | MEM, self.off_linkhdr.reg), Stmt(LDX | MEM, self.off_linkpl.reg)]
        gen_not(b0)
        return b0

    def geneve_check(self, offrel: int, vni: int | None, v6: bool) -> Block:
        b0 = self.port(6081, 17, "dst", v6)              # GENEVE_PORT
        b1 = self.mcmp(offrel, 8, B, 0, 0xC0)
        gen_and(b0, b1)
        b0 = b1
        if vni is not None:
            if vni > 0xFFFFFF:
                raise CompileError(f"Geneve VNI {vni} greater than maximum {0xFFFFFF}")
            b1 = self.mcmp(offrel, 12, W, vni << 8, 0xFFFFFF00)
            gen_and(b0, b1)
            b0 = b1
        return b0

    def geneve_offsets(self) -> list[Stmt]:
        s = [Stmt(ALU | ADD | K, self.off_linkpl.constant + self.off_nl + 8),
             Stmt(MISC | TAX), Stmt(ALU | ADD | K, 2)]
        self.off_linktype = AbsOffset(0)
        self.off_linktype.reg = self.alloc_reg()
        self.off_linktype.is_variable = True
        s += [Stmt(ST, self.off_linktype.reg), Stmt(LD | IND | B, 0),
              Stmt(ALU | AND | K, 0x3F), Stmt(ALU | MUL | K, 4), Stmt(ALU | ADD | K, 8),
              Stmt(ALU | ADD | X, 0)]
        linkhdr_reg = self.alloc_reg()                   # PUSH_LINKHDR(DLT_EN10MB, ...)
        self.dlt, self.linkhdr = 1, True
        self.off_linkhdr = AbsOffset(0)
        self.off_linkhdr.is_variable, self.off_linkhdr.reg = True, linkhdr_reg
        s.append(Stmt(ST, linkhdr_reg))
        self.no_optimize = True
        s += [Stmt(LD | IND | H, 2), Stmt(LDX | MEM, linkhdr_reg)]
        s_proto = Stmt(JMP | JEQ | K, 0x6558)            # ETHERTYPE_TEB
        txa = Stmt(MISC | TXA)
        s_proto.jt = txa
        s += [s_proto, txa, Stmt(ALU | ADD | K, 12), Stmt(ST, self.off_linktype.reg),
              Stmt(ALU | ADD | K, 2), Stmt(MISC | TAX)]
        self.off_linkpl = AbsOffset(0)
        self.off_linkpl.reg = self.alloc_reg()
        self.off_linkpl.is_variable = True
        stx = Stmt(STX, self.off_linkpl.reg)
        s.append(stx)
        s_proto.jf = stx
        self.off_nl = 0
        return s

    def protochain(self, v: int, proto: str) -> Block:
        """gen_protochain(): the protocol field, then a loop over the IPv6 extension
        headers (hop-by-hop, destination options, routing, fragment) and AH, jumping
        back to `again` with X at the next header; the optimizer is turned off."""
        reg2 = self.alloc_reg()
        if proto == "default":
            b0 = self.protochain(v, "ip")        # (the outer register is never freed)
            b = self.protochain(v, "ip6")
            gen_or(b0, b)
            return b
        if proto not in ("ip", "ip6"):
            raise CompileError("bad protocol applied for 'protochain'")
        if self.off_linkpl.is_variable:
            raise CompileError("'protochain' not supported with variable length headers")
        self.no_optimize = True
        base = self.off_linkpl.constant + self.off_nl
        s: list[Stmt] = []

        def add(code: int, k: int = 0) -> Stmt:
            st = Stmt(code, k & U32)
            s.append(st)
            return st
        if proto == "ip":
            b0 = self.linktype(ETHERTYPE_IP)
            add(LD | ABS | B, base + 9)
            add(LDX | MSH | B, base)
        else:
            b0 = self.linktype(ETHERTYPE_IPV6)
            add(LD | ABS | B, base + 6)
            add(LDX | IMM, 40)
        again = len(s)
        fix5 = add(JMP | JEQ | K, v)
        fix2 = add(JMP | JEQ | K, 59)                    # IPPROTO_NONE
        fix5.jf = fix2
        fix3 = None
        if proto == "ip6":
            v6 = [add(JMP | JEQ | K, 0)]                 # IPPROTO_HOPOPTS
            fix2.jf = v6[0]
            for k in (60, 43, 44):                       # DSTOPTS, ROUTING, FRAGMENT
                st = add(JMP | JEQ | K, k)
                v6[-1].jf = st
                v6.append(st)
            fix3 = v6[-1]
            advance = add(LD | IND | B, base)
            add(ST, reg2)
            add(LD | IND | B, base + 1)
            add(ALU | ADD | K, 1)
            add(ALU | MUL | K, 8)
            add(ALU | ADD | X, 0)
            add(MISC | TAX)
            add(LD | MEM, reg2)
            ja = add(JMP | JA)
            ja.k = (again - (len(s) - 1) - 1) & U32
            for st in v6:
                st.jt = advance
        else:
            fix2.jf = add(ALU | ADD | K, 0)
        fix4 = ahcheck = add(JMP | JEQ | K, 51)          # IPPROTO_AH
        if fix3 is not None:
            fix3.jf = ahcheck
        ahcheck.jt = add(MISC | TXA)
        add(LD | IND | B, base)
        add(ST, reg2)
        add(MISC | TXA)
        add(ALU | ADD | K, 1)
        add(MISC | TAX)
        add(LD | IND | B, base)
        add(ALU | ADD | K, 2)
        add(ALU | MUL | K, 4)
        add(MISC | TAX)
        add(LD | MEM, reg2)
        ja = add(JMP | JA)
        ja.k = (again - (len(s) - 1) - 1) & U32
        end = add(ALU | ADD | K, 0)
        fix2.jt = end
        fix4.jf = end
        fix5.jt = end
        b = Block(JMP | JEQ, v)
        b.stmts = s
        self.free_reg(reg2)
        gen_and(b0, b)
        return b

    def dnhostop(self, addr: int, d: str) -> Block:
        """gen_dnhostop(): the DECnet routing header's node address, long or short
        header, padded or not; the address compared as ntohs() leaves it."""
        if d in ("and", "or", "default"):
            b0 = self.dnhostop(addr, "src")
            b1 = self.dnhostop(addr, "dst")
            (gen_and if d == "and" else gen_or)(b0, b1)
            return b1
        offset_sh, offset_lh = (1, 7) if d == "dst" else (3, 15)
        swapped = ((addr & 0xFF) << 8) | ((addr >> 8) & 0xFF)
        b0 = self.linktype(0x6003)                       # ETHERTYPE_DN
        tmp = self.mcmp(OR_LINKPL, 2, H, 0x8106, 0xFF07)
        b1 = self.cmp(OR_LINKPL, 2 + 1 + offset_lh, H, swapped)
        gen_and(tmp, b1)
        tmp = self.mcmp(OR_LINKPL, 2, B, 0x06, 0x7)
        b2 = self.cmp(OR_LINKPL, 2 + offset_lh, H, swapped)
        gen_and(tmp, b2)
        gen_or(b2, b1)
        tmp = self.mcmp(OR_LINKPL, 2, H, 0x8102, 0xFF07)
        b2 = self.cmp(OR_LINKPL, 2 + 1 + offset_sh, H, swapped)
        gen_and(tmp, b2)
        gen_or(b2, b1)
        tmp = self.mcmp(OR_LINKPL, 2, B, 0x02, 0x7)
        b2 = self.cmp(OR_LINKPL, 2 + offset_sh, H, swapped)
        gen_and(tmp, b2)
        gen_or(b2, b1)
        gen_and(b0, b1)
        return b1

    def ipfrag(self) -> Block:
        b = Block(JMP | JSET, 0x1FFF)
        b.stmts = self.load_a(OR_LINKPL, 6, H)
        gen_not(b)
        return b

    def portatom(self, rel: int, off: int, port: int, high: int | None) -> Block:
        """gen_portatom(), or gen_portrangeatom() (the bounds in order, >= and <=)."""
        if high is None:
            return self.cmp(rel, off, H, port)
        low, high = min(port, high), max(port, high)
        b1 = self.ncmp(rel, off, H, U32, JGE, False, low)
        b2 = self.ncmp(rel, off, H, U32, JGT, True, high)
        gen_and(b1, b2)
        return b2

    def portop(self, port: int, proto: int, d: str, v6: bool,
               high: int | None = None) -> Block:
        """gen_portop()/gen_portop6() (gen_portrangeop() and its IPv6 twin with a
        high port)."""
        if v6:
            b0 = self.cmp(OR_LINKPL, 6, B, proto)
        else:
            tmp = self.cmp(OR_LINKPL, 9, B, proto)
            b0 = self.ipfrag()
            gen_and(tmp, b0)
        rel = OR_TRAN_IPV6 if v6 else OR_TRAN_IPV4
        if d in ("src", "dst"):
            b1 = self.portatom(rel, 0 if d == "src" else 2, port, high)
        else:
            tmp = self.portatom(rel, 0, port, high)
            b1 = self.portatom(rel, 2, port, high)
            (gen_and if d == "and" else gen_or)(tmp, b1)
        gen_and(b0, b1)
        return b1

    def port(self, port: int, ip_proto: int, d: str, v6: bool,
             high: int | None = None) -> Block:
        """gen_port()/gen_port6(), gen_portrange()/gen_portrange6() with `high`."""
        b0 = self.linktype(ETHERTYPE_IPV6 if v6 else ETHERTYPE_IP)
        if ip_proto != PROTO_UNDEF:
            b1 = self.portop(port, ip_proto, d, v6, high)
        else:
            tmp = self.portop(port, 6, d, v6, high)
            b1 = self.portop(port, 17, d, v6, high)
            gen_or(tmp, b1)
            tmp = self.portop(port, 132, d, v6, high)
            gen_or(tmp, b1)
        gen_and(b0, b1)
        return b1

    def hostop6(self, addr: int, mask: int, d: str) -> Block:
        """gen_hostop6() for ETHERTYPE_IPV6 (source at 8, destination at 24): the
        four words from the last, then the type."""
        if d in ("and", "or", "default"):
            b0 = self.hostop6(addr, mask, "src")
            b1 = self.hostop6(addr, mask, "dst")
            (gen_and if d == "and" else gen_or)(b0, b1)
            return b1
        offset = 8 if d == "src" else 24

        def word(n: int, v: int) -> int:
            return (v >> (96 - 32 * n)) & U32
        b1 = self.mcmp(OR_LINKPL, offset + 12, W, word(3, addr), word(3, mask))
        for n in (2, 1, 0):
            b0 = self.mcmp(OR_LINKPL, offset + 4 * n, W, word(n, addr), word(n, mask))
            gen_and(b0, b1)
        b0 = self.linktype(ETHERTYPE_IPV6)
        gen_and(b0, b1)
        return b1

    def ehostop(self, mac: bytes, d: str) -> Block:
        if d == "src":
            return self.bcmp(OR_LINKHDR, 6, mac)
        if d == "dst":
            return self.bcmp(OR_LINKHDR, 0, mac)
        b0 = self.ehostop(mac, "src")
        b1 = self.ehostop(mac, "dst")
        (gen_and if d == "and" else gen_or)(b0, b1)
        return b1

    def inbound(self, outbound: bool) -> Block:
        """gen_inbound(): the cooked headers' packet type (LINUX_SLL at 0, LINUX_SLL2
        at 10), else a live capture's SKF_AD_PKTTYPE (a savefile's refusal comes from
        the filter's own compiler first)."""
        if self.dlt == 113:
            b0 = self.cmp(OR_LINKHDR, 0, H, PACKET_OUTGOING)
        elif self.dlt == 276:
            b0 = self.cmp(OR_LINKHDR, 10, B, PACKET_OUTGOING)
        elif not self.savefile:
            b0 = self.cmp(OR_LINKHDR, SKF_AD_OFF + SKF_AD_PKTTYPE, H, PACKET_OUTGOING)
        else:
            raise _Unsupported
        if not outbound:
            gen_not(b0)
        return b0

    def ifindex(self, ifindex: int) -> Block:
        """gen_ifindex(): LINUX_SLL2's interface index (a word at 4), else a live
        capture's SKF_AD_IFINDEX (`ld [ifidx]`); a savefile's refusal comes from the
        filter's own compiler first."""
        if self.dlt == 276:
            return self.cmp(OR_LINKHDR, 4, W, ifindex)
        if not self.savefile:
            return self.cmp(OR_LINKHDR, SKF_AD_OFF + SKF_AD_IFINDEX, W, ifindex)
        raise _Unsupported

    def length(self, jmp: int, n: int) -> Block:
        b = Block(JMP | jmp, n)
        b.stmts = [Stmt(LD | W | LEN)]
        return b


def finish_parse(p: Block, snaplen: int, gen: "Gen | None" = None) -> Block:
    if gen is not None:
        gen.insert_compute_vloffsets(p.head)
    backpatch(p, Block(RET | K, snaplen))
    p.sense = not p.sense
    backpatch(p, Block(RET | K, 0))
    return p.head


# ------------------------------------------------------------- the expressions

# init_linktype(): (off_linktype, off_linkpl, the link header holds MAC addresses)
LINKTYPES = {1: (12, 14, True), 113: (14, 16, False), 276: (0, 20, False),
             12: (-1, 0, False), 101: (-1, 0, False)}      # DLT_RAW: no link header
RAW_DLTS = (12, 101)
PROTO_WORDS = ("ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "icmp", "igmp", "icmp6",
               "igrp", "pim", "vrrp", "carp", "ah", "esp", "decnet", "lat", "sca", "mopdl",
               "moprc", "stp", "iso", "netbeui", "llc", "ipx", "atalk", "aarp", "isis",
               "esis", "clnp", "l1", "l2", "iih", "lsp", "snp", "csnp", "psnp")
# gen_proto_abbrev_internal(): the IP protocols a word names, and on which IP versions
_PROTO_ABBREV_IP = {"tcp": (6, "default"), "udp": (17, "default"), "sctp": (132, "default"),
                    "icmp": (1, "ip"), "igmp": (2, "ip"), "igrp": (9, "ip"),
                    "pim": (103, "default"), "vrrp": (112, "ip"), "carp": (112, "ip"),
                    "ah": (51, "default"), "esp": (50, "default"), "icmp6": (58, "ip6")}
# ... and the link-layer types (ETHERTYPE_*, LLCSAP_* for the 802.2 ones)
_PROTO_ABBREV_LINK = {"ip": ETHERTYPE_IP, "ip6": ETHERTYPE_IPV6, "arp": ETHERTYPE_ARP,
                      "rarp": ETHERTYPE_REVARP, "decnet": 0x6003, "lat": 0x6004,
                      "sca": 0x6007, "mopdl": 0x6001, "moprc": 0x6002, "stp": 0x42,
                      "iso": 0xFE, "netbeui": 0xF0, "ipx": LLCSAP_IPX,
                      "atalk": ETHERTYPE_ATALK, "aarp": ETHERTYPE_AARP}
# ... and the OSI ones: gen_proto(v, Q_ISO) of an NLPID, gen_proto(v, Q_ISIS) of IS-IS
# PDU types (L1/L2 LAN IIH 15/16, PTP IIH 17, L1/L2 LSP 18/20, CSNP 24/25, PSNP 26/27),
# or'ed in gen_proto_abbrev_internal()'s order
_PROTO_ABBREV_ISO = {"clnp": ("iso", (0x81,)), "esis": ("iso", (0x82,)),
                     "isis": ("iso", (0x83,)),
                     "l1": ("isis", (15, 17, 18, 24, 26)), "l2": ("isis", (16, 17, 20, 25, 27)),
                     "iih": ("isis", (15, 16, 17)), "lsp": ("isis", (18, 20)),
                     "snp": ("isis", (24, 25, 26, 27)), "csnp": ("isis", (24, 25)),
                     "psnp": ("isis", (26, 27))}
ETHERMTU = 1500
_DIRS = {("src",): "src", ("dst",): "dst", ("src", "or", "dst"): "or",
         ("dst", "or", "src"): "or", ("src", "and", "dst"): "and",
         ("dst", "and", "src"): "and"}


class _Unsupported(Exception):
    pass


_PUNCT = ("!=", "==", ">=", "<=", "<<", ">>", "&&", "||", "(", ")", "[", "]", ":", "=",
          ">", "<", "!", "+", "-", "*", "/", "%", "&", "|", "^")


def _tokens(text: str) -> list[str]:
    """scanner.l's tokens as far as this port needs them: words (names, numbers,
    addresses; a hyphen between two letters or digits stays in the word, as in
    `icmp-echo`; a colon inside brackets is the size's), and the operators."""
    out: list[str] = []
    i, depth, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        for p in _PUNCT:
            if text.startswith(p, i) and not (p == "-" and out and _joins(text, i)) \
                    and not (p == ":" and depth == 0):
                break
        else:
            p = None
        if p is not None:
            depth += {"[": 1, "]": -1}.get(p, 0)
            out.append({"&&": "and", "||": "or", "!": "not", "==": "="}.get(p, p))
            i += len(p)
            continue
        j = i
        while j < n and not text[j].isspace() and (
                text[j] not in "()[]!=<>+*/%&|^" and (text[j] != ":" or depth == 0)
                and (text[j] != "-" or _joins(text, j))
                or text[j] == "/" and ("." in text[i:j] or ":" in text[i:j])
                and text[j + 1:j + 2].isdigit()):
            j += 1
        out.append(text[i:j])
        i = j
    return out


def _joins(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


class _Fail(Exception):
    pass


_RELOPS = {">": (JGT, False), ">=": (JGE, False), "=": (JEQ, False),
           "<=": (JGT, True), "<": (JGE, True), "!=": (JEQ, True)}
# grammar.y's %left lines, loosest first ('%' and '^' have no precedence there: bison
# then shifts, so their left operand is the operand just before them and their right
# one all the arithmetic after them: _Parser.unary())
_ARITH_LEVELS = [("|",), ("&",), ("<<", ">>"), ("+", "-"), ("*", "/")]
_ARITH_CODES = {"|": OR, "&": AND, "<<": LSH, ">>": RSH, "+": ADD, "-": SUB, "*": MUL,
                "/": DIV, "%": MOD, "^": XOR}
PNAMES = ("ether", "link", "ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "icmp", "igmp",
          "icmp6")


class _Parser:
    """grammar.y's expr/term/rterm into a tree: `and` and `or` of equal precedence,
    left to right, `not` on a term, parentheses, primitives (word lists) and
    relations of arithmetic (`proto[off:size]`, numbers, len, + - * / & | << >>,
    unary minus). The tree is then made into code in the order the grammar's
    actions run (bottom-up, left to right)."""

    def __init__(self, tokens: list[str]):
        self.t, self.i = tokens, 0
        # the qualifiers of the last term (`$<blk>0.q`), which a bare id after `and`
        # or `or` takes (`port 80 or 443`); None for qerr (a protocol name, a
        # relation, less/greater, a parenthesis)
        self.q: list[str] | None = None

    def peek(self, n: int = 0) -> str | None:
        return self.t[self.i + n] if self.i + n < len(self.t) else None

    def take(self, want: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (want is not None and tok != want):
            raise _Fail
        self.i += 1
        return tok

    def expr(self):
        node = self.term()
        while self.peek() in ("and", "or"):
            op = self.take()
            node = (op, node, self.term(after=True))
        return node

    def term(self, after: bool = False):
        if self.peek() == "not":
            self.take()
            return ("not", self.term(after))
        start = self.i
        try:
            a0 = self.arith()
            code, reversed_ = _RELOPS[self.take()] if self.peek() in _RELOPS else (None, 0)
            if code is None:
                raise _Fail
            node = ("rel", code, reversed_, a0, self.arith())
            self.q = None
            return node
        except _Fail:
            self.i = start
        if self.peek() == "(":
            self.take()
            node = self.expr()
            self.take(")")
            self.q = None
            return node
        words = []
        while self.peek() not in (None, "and", "or", ")", "(", "not"):
            words.append(self.take())
            # a direction of two words: `src or dst`, `src and dst`
            if words[-1] in ("src", "dst") and self.peek() in ("and", "or") and \
                    self.peek(1) in ("src", "dst") and self.peek(1) != words[-1]:
                words += [self.take(), self.take()]
        if not words:
            raise _Fail
        if after and len(words) == 1 and _bare_id(words[0]):
            # grammar.y's `expr and id` / `expr or id`: the id with the qualifiers
            # of the term before it
            if self.q is None:
                raise _Fail
            words = self.q + words
        bare = len(words) == 1 or words[0] in ("less", "greater", "vlan", "mpls", "llc", "pppoes", "geneve",
                                                 "ifindex") or \
            words[-1] in PROTO_WORDS
        self.q = None if bare else words[:-1]
        return ("prim", words)

    def arith(self, level: int = 0):
        if level == len(_ARITH_LEVELS):
            return self.unary()
        node = self.arith(level + 1)
        while self.peek() in _ARITH_LEVELS[level]:
            op = self.take()
            node = ("bin", _ARITH_CODES[op], node, self.arith(level + 1))
        return node

    def unary(self):
        node = self._operand()
        if self.peek() in ("%", "^"):
            # `arth '%' arth` / `arth '^' arth` have no precedence in grammar.y: every
            # conflict with them is resolved as a shift, so `a + b % c + d` is
            # a + (b % (c + d)) and `-a % b` is -(a % b)
            op = self.take()
            node = ("bin", _ARITH_CODES[op], node, self.arith())
        return node

    def _operand(self):
        tok = self.peek()
        if tok == "-":
            self.take()
            return ("neg", self.unary())
        if tok == "(":
            self.take()
            node = self.arith()
            self.take(")")
            return node
        if tok == "len":
            self.take()
            return ("len",)
        if tok in PNAMES and self.peek(1) == "[":
            self.i += 2
            index = self.arith()
            size = 1
            if self.peek() == ":":
                self.take()
                size = _num(self.take())
            self.take("]")
            return ("load", tok, index, size)
        if tok is None:
            raise _Fail
        value = _num(tok)
        self.take()
        return ("num", value)


_KEYWORDS = frozenset(PROTO_WORDS + ("host", "net", "port", "src", "dst", "ether", "less",
                                     "greater", "len", "portrange", "proto", "gateway",
                                     "broadcast", "multicast", "vlan", "mpls", "geneve", "pppoes",
                                     "pppoed", "inbound", "outbound", "ifindex"))


def _bare_id(word: str) -> bool:
    """An `id` with no qualifier of its own: a number, an address, a name."""
    return word not in _KEYWORDS


def _num(word: str) -> int:
    """scanner.l's NUM (stou(): decimal, 0x hex, leading-0 octal) and the names it
    knows as numbers (icmptype, tcp-syn, ...)."""
    from ipemu.tcpdump.filter import NAMED_NUMBERS
    if word in NAMED_NUMBERS:
        return NAMED_NUMBERS[word]
    try:
        if word[:2] in ("0x", "0X"):
            value = int(word[2:], 16)
        elif len(word) > 1 and word[0] == "0":
            value = int(word, 8)
        else:
            value = int(word, 10) if word.isdigit() else None
    except ValueError:
        value = None
    if value is None or value > U32:
        raise _Fail
    return value


class _Arth:
    """struct arth: protocol checks, statements, the scratch register of the value."""

    def __init__(self, s: list[Stmt], regno: int, b: Block | None = None):
        self.s, self.regno, self.b = s, regno, b


class _Codegen:
    def __init__(self, gen: Gen):
        self.gen = gen
        self.alloc_reg = gen.alloc_reg      # cstate's registers, the VLAN offsets' too
        self.free_reg = gen.free_reg

    def block(self, node) -> Block:
        kind = node[0]
        if kind in ("and", "or"):
            # `a or b or c ...` nests to the left: its left spine walked with a list,
            # the terms generated left to right as the grammar reduces them
            spine = []
            while node[0] in ("and", "or"):
                spine.append((node[0], node[2]))
                node = node[1]
            b0 = self.block(node)
            for op, right in reversed(spine):
                b1 = self.block(right)
                (gen_and if op == "and" else gen_or)(b0, b1)
                b0 = b1
            return b0
        if kind == "not":
            b = self.block(node[1])
            gen_not(b)
            return b
        if kind == "rel":
            _, code, reversed_, n0, n1 = node
            a0 = self.arth(n0)
            a1 = self.arth(n1)
            return self.relation(code, a0, a1, reversed_)
        return _primitive(self.gen, node[1])

    def arth(self, node) -> _Arth:
        kind = node[0]
        if kind == "num":
            reg = self.alloc_reg()
            return _Arth([Stmt(LD | IMM, node[1]), Stmt(ST, reg)], reg)
        if kind == "len":
            reg = self.alloc_reg()
            return _Arth([Stmt(LD | LEN), Stmt(ST, reg)], reg)
        if kind == "neg":
            a = self.arth(node[1])
            a.s += [Stmt(LD | MEM, a.regno), Stmt(ALU | NEG), Stmt(ST, a.regno)]
            return a
        if kind == "bin":
            a0 = self.arth(node[2])
            a1 = self.arth(node[3])
            return self.binary(node[1], a0, a1)
        _, pname, index, size = node
        return self.load(pname, self.arth(index), size)

    def binary(self, code: int, a0: _Arth, a1: _Arth) -> _Arth:
        """gen_arth()."""
        first = a1.s[0]
        if first.code == (LD | IMM):
            if code == DIV and first.k == 0:
                raise CompileError("division by zero")
            if code == MOD and first.k == 0:
                raise CompileError("modulus by zero")
            if code in (LSH, RSH) and first.k > 31:
                raise CompileError("shift by more than 31 bits")
        s0 = [Stmt(LDX | MEM, a1.regno), Stmt(LD | MEM, a0.regno), Stmt(ALU | X | code)]
        a1.s += s0
        a0.s += a1.s
        self.free_reg(a0.regno)
        self.free_reg(a1.regno)
        a0.regno = self.alloc_reg()
        a0.s.append(Stmt(ST, a0.regno))
        return a0

    def load(self, pname: str, inst: _Arth, size: int) -> _Arth:
        """gen_load_internal() for the link, network and transport layers."""
        gen = self.gen
        regno = self.alloc_reg()
        self.free_reg(inst.regno)
        if size not in (1, 2, 4):
            raise CompileError("data size must be 1, 2, or 4")
        code = LD | IND | {1: B, 2: H, 4: W}[size]
        if pname in ("ether", "link"):
            inst.s += [Stmt(LDX | MEM, inst.regno), Stmt(code, 0)]
        elif pname in ("ip", "arp", "rarp", "ip6"):
            inst.s += self.index_x(inst) + [Stmt(code, gen.off_linkpl.constant)]
            b = gen.proto_abbrev(pname)
            if inst.b is not None:
                gen_and(inst.b, b)
            inst.b = b
        elif pname == "icmp6":
            b = gen.proto_abbrev("ip6")
            if inst.b is not None:
                gen_and(inst.b, b)
            inst.b = b
            b = gen.cmp(OR_LINKPL, 6, B, 58)
            gen_and(inst.b, b)
            inst.b = b
            inst.s += self.index_x(inst) + [Stmt(code, gen.off_linkpl.constant + 40)]
        else:
            inst.s += gen.loadx_iphdrlen() + [
                Stmt(LD | MEM, inst.regno), Stmt(ALU | ADD | X), Stmt(MISC | TAX),
                Stmt(code, gen.off_linkpl.constant)]
            b = gen.ipfrag()
            gen_and(gen.proto_abbrev(pname), b)
            if inst.b is not None:
                gen_and(inst.b, b)
            gen_and(gen.proto_abbrev("ip"), b)
            inst.b = b
        inst.regno = regno
        inst.s.append(Stmt(ST, regno))
        return inst

    def index_x(self, inst: _Arth) -> list[Stmt]:
        """X = the index, plus the payload offset's variable part when it has one."""
        s = self.gen.varpart(self.gen.off_linkpl)
        if s is not None:
            return s + [Stmt(LD | MEM, inst.regno), Stmt(ALU | ADD | X), Stmt(MISC | TAX)]
        return [Stmt(LDX | MEM, inst.regno)]

    def relation(self, code: int, a0: _Arth, a1: _Arth, reversed_: bool) -> Block:
        """gen_relation_internal()."""
        s0 = [Stmt(LDX | MEM, a1.regno)]
        s1 = [Stmt(LD | MEM, a0.regno)]
        if code == JEQ:
            b = Block(JMP | code | K)
            s1.append(Stmt(ALU | SUB | X))
        else:
            b = Block(JMP | code | X)
        if reversed_:
            gen_not(b)
        s0 += s1
        a1.s += s0
        a0.s += a1.s
        b.stmts = a0.s
        self.free_reg(a0.regno)
        self.free_reg(a1.regno)
        if a0.b is not None:
            if a1.b is not None:
                gen_and(a0.b, a1.b)
                tmp = a1.b
            else:
                tmp = a0.b
        else:
            tmp = a1.b
        if tmp is not None:
            gen_and(tmp, b)
        return b


# scanner.l: `link|ether|ppp|slip` and `fddi|tr|wlan` are all the token LINK (Q_LINK):
# llc.h: LLC_RR, LLC_RNR, LLC_REJ; LLC_UI, LLC_UA, LLC_DISC, LLC_DM, LLC_SABME, LLC_TEST,
# LLC_XID, LLC_FRMR
_LLC_S_SUBTYPES = {"rr": 0x01, "rnr": 0x05, "rej": 0x09}
_LLC_U_SUBTYPES = {"ui": 0x03, "ua": 0x63, "disc": 0x43, "dm": 0x0F, "sabme": 0x6F,
                   "test": 0xE3, "xid": 0xAF, "frmr": 0x87}

# one qualifier, whatever the link type
_LINK_WORDS = frozenset(("link", "ppp", "slip", "fddi", "tr", "wlan"))


def _primitive(gen: Gen, words: list[str]) -> Block:
    if len(words) > 1 and words[0] in _LINK_WORDS:
        words = ["ether", *words[1:]]
    if len(words) == 1 and words[0] in PROTO_WORDS:
        return gen.proto_abbrev(words[0])
    if words in (["inbound"], ["outbound"]):
        return gen.inbound(words[0] == "outbound")
    if len(words) == 2 and words[0] == "ifindex":
        try:
            return gen.ifindex(_num(words[1]))
        except _Fail:
            raise _Unsupported from None
    if len(words) == 2 and words[0] in ("less", "greater") and words[1].isdigit():
        if words[0] == "greater":
            return gen.length(JGE, int(words[1]))
        b = gen.length(JGT, int(words[1]))
        gen_not(b)
        return b
    if words == ["pppoed"]:
        return gen.linktype(0x8863)                 # gen_pppoed(): ETHERTYPE_PPPOED
    if words[0] == "pppoes" and len(words) <= 2:
        if len(words) == 1:
            return gen.pppoes(None)
        try:
            return gen.pppoes(_num(words[1]))
        except _Fail:
            raise _Unsupported from None
    if words[0] == "geneve" and len(words) <= 2:
        if len(words) == 1:
            return gen.geneve(None)
        try:
            return gen.geneve(_num(words[1]))
        except _Fail:
            raise _Unsupported from None
    if words[0] == "mpls" and len(words) <= 2:
        if len(words) == 1:
            return gen.mpls(None)
        try:
            return gen.mpls(_num(words[1]))
        except _Fail:
            raise _Unsupported from None
    if words[0] == "llc" and len(words) == 2:
        # grammar.y's pllc: i, s, u, then llc_s_subtypes and llc_u_subtypes
        sub = words[1].lower()
        if sub in ("i", "s", "u"):
            return gen.llc_sub(sub)
        if sub in _LLC_S_SUBTYPES:
            return gen.llc_sub("s_subtype", _LLC_S_SUBTYPES[sub])
        if sub in _LLC_U_SUBTYPES:
            return gen.llc_sub("u_subtype", _LLC_U_SUBTYPES[sub])
        raise CompileError(f'unknown LLC type name "{words[1]}"')
    if words[0] == "vlan" and len(words) <= 2:
        if len(words) == 1:
            return gen.vlan(0, False)
        try:
            return gen.vlan(_num(words[1]), True)
        except _Fail:
            raise _Unsupported from None
    special = _special(gen, words)
    if special is not None:
        return special
    if words[0] == "ether":
        if not gen.linkhdr or len(words) != 3 or words[1] not in ("src", "dst", "host"):
            raise _Unsupported
        mac = _mac(words[2])
        tmp = gen.geneve_ll_check() if gen.is_geneve else None   # gen_prevlinkhdr_check()
        b = gen.ehostop(mac, {"host": "default"}.get(words[1], words[1]))
        if tmp is not None:
            gen_and(tmp, b)
        return b
    proto = "default"
    if words[0] in ("ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "decnet"):
        proto, words = words[0], words[1:]
    d = "default"
    for n in (3, 1):
        if tuple(words[:n]) in _DIRS:
            d, words = _DIRS[tuple(words[:n])], words[n:]
            break
    kind = None
    if words and words[0] in ("host", "net", "port", "portrange"):
        kind, words = words[0], words[1:]
    if kind == "net" and len(words) == 3 and words[1] == "mask":
        # gen_mcode(): `net A mask M`
        return _host(gen, proto, d, kind, words[0], words[2])
    if len(words) != 1:
        raise _Unsupported
    value = words[0]
    if kind in ("port", "portrange"):
        return _port(gen, proto, d, value, kind == "portrange")
    if proto in ("tcp", "udp", "sctp"):
        raise _Unsupported
    if ":" in value:
        return _host6(gen, proto, d, kind, value)
    if kind in (None, "host") and not _numeric(value):
        return _host_name(gen, proto, d, value)
    if proto == "ip6":
        raise _Unsupported
    return _host(gen, proto, d, kind, value)


def _numeric(value: str) -> bool:
    """scanner.l's NUM or HID (a dotted number, `/len` after it): no name."""
    import re
    return re.fullmatch(r"(0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]+){0,3})(/[0-9]+)?", value) \
        is not None


def _host_name(gen: Gen, proto: str, d: str, name: str) -> Block:
    """gen_scode() of a host name: every address pcap_nametoaddrinfo() gives, IPv4's
    with gen_host() (ip, arp and rarp unless a protocol is named), IPv6's with
    gen_host6(), or'ed in their order."""
    import ipaddress
    if proto not in ("default", "ip", "ip6", "arp", "rarp"):
        raise _Unsupported
    b = None
    for text in gen.hosts.get(name, ()):
        addr = ipaddress.ip_address(text)
        if addr.version == 4:
            if proto == "ip6":
                continue
            tmp = gen.host(int(addr), U32, proto, d)
        else:
            if proto in ("ip", "arp", "rarp"):
                continue
            tmp = gen.hostop6(int(addr), (1 << 128) - 1, d)
        if b is not None:
            gen_or(b, tmp)
        b = tmp
    if b is None:
        raise _Unsupported          # bpf_error(): the filter's compiler said so first
    return b


def _special(gen: Gen, words: list[str]) -> Block | None:
    """gen_broadcast()/gen_multicast() (link layer on Ethernet, ip broadcast, ip and
    ip6 multicast) and `[ip|ip6|ether] proto N` (gen_proto()); None for anything
    else."""
    text = " ".join(words)
    if gen.is_geneve and text in ("broadcast", "ether broadcast", "multicast",
                                  "ether multicast", "ip broadcast"):
        raise _Unsupported      # (gen_broadcast()/gen_multicast() after geneve: not here)
    if text in ("broadcast", "ether broadcast"):
        if not gen.linkhdr:
            raise _Unsupported
        return gen.ehostop(b"\xff" * 6, "dst")
    if text in ("multicast", "ether multicast"):
        if not gen.linkhdr:
            raise _Unsupported
        b = Block(JMP | JSET, 1)            # gen_mac_multicast(): the group bit
        b.stmts = gen.load_a(OR_LINKHDR, 0, B)
        return b
    if text == "ip broadcast":
        # gen_broadcast(Q_IP) with the netmask tcpdump 4.99 hands pcap_compile(): 0
        # (recorded, with and without an address on the device, and on a savefile),
        # so the host part is the whole address: all zeros or all ones
        hostmask = U32
        b0 = gen.linktype(ETHERTYPE_IP)
        b1 = gen.mcmp(OR_LINKPL, 16, W, 0, hostmask)
        b2 = gen.mcmp(OR_LINKPL, 16, W, U32 & hostmask, hostmask)
        gen_or(b1, b2)
        gen_and(b0, b2)
        return b2
    if text == "ip multicast":
        b0 = gen.linktype(ETHERTYPE_IP)
        b1 = gen.ncmp(OR_LINKPL, 16, B, U32, JGE, False, 224)
        gen_and(b0, b1)
        return b1
    if text == "ip6 multicast":
        b0 = gen.linktype(ETHERTYPE_IPV6)
        b1 = gen.cmp(OR_LINKPL, 24, B, 255)
        gen_and(b0, b1)
        return b1
    if len(words) in (2, 3) and words[-2] == "protochain" and \
            (len(words) == 2 or words[0] in ("ip", "ip6")):
        from ipemu.tcpdump import names
        try:
            v = _num(words[-1])
        except _Fail:
            v = names.PROTO_BY_NAME.get(words[-1].lstrip("\\"))
            if v is None:
                raise _Unsupported from None
        return gen.protochain(v, words[0] if len(words) == 3 else "default")
    if len(words) == 3 and words[0] in ("iso", "isis") and words[1] == "proto":
        try:
            v = _num(words[2])
        except _Fail:
            # pcap_nametoproto()'s OSI names: only after `iso proto`
            v = {"esis": 0x82, "isis": 0x83, "clnp": 0x81}.get(words[2].lstrip("\\"))
            if v is None or words[0] != "iso":
                raise _Unsupported from None
        return gen.iso_proto(v, words[0])
    if len(words) in (2, 3) and words[-2] == "proto" and \
            (len(words) == 2 or words[0] in ("ip", "ip6", "ether")):
        from ipemu.tcpdump import names
        proto = words[0] if len(words) == 3 else "default"
        name = words[-1].lstrip("\\")
        try:
            v = _num(name)
        except _Fail:
            if proto == "ether":
                from ipemu.tcpdump.filter import ETHER_PROTO_BY_NAME
                v = ETHER_PROTO_BY_NAME.get(name)        # `ether proto \arp`
            else:
                v = names.PROTO_BY_NAME.get(name)
            if v is None:
                raise _Unsupported from None
        if proto == "ether":
            if v > 0xFFFF:
                raise _Unsupported
            return gen.any_linktype(v)
        # gen_proto() takes any number: a value past 255 is compared with the
        # protocol byte all the same (jeq #0x12c), a filter that never matches
        return gen.proto(v, proto)
    return None


def _mac(text: str) -> bytes:
    """pcap_ether_aton() of scanner.l's MAC forms: six bytes split by `:`, `-` or `.`,
    three dotted groups of four digits (Cisco's), or twelve digits."""
    from ipemu.tcpdump.filter import _MAC, _ether_aton
    if not _MAC.fullmatch(text):
        raise _Unsupported
    return _ether_aton(text)


def _dotted(text: str) -> int:
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
        raise _Unsupported
    return int.from_bytes(bytes(int(p) for p in parts), "big")


def _promoted(text: str) -> int:
    """__pcap_atoin() of one to four dotted parts, shifted to the top as gen_mcode()
    promotes a short address or mask (`10.38` is 10.38.0.0)."""
    from ipemu.tcpdump.filter import _atoin
    if not text or not all(p.isdigit() for p in text.split(".")):
        raise _Unsupported
    vlen, v = _atoin(text)
    if vlen < 0 or vlen > 32:
        raise _Unsupported
    return (v << (32 - vlen)) & U32


def _host(gen: Gen, proto: str, d: str, kind: str | None, value: str,
          mask_text: str | None = None) -> Block:
    """gen_ncode()/gen_mcode() of an IPv4 address or net: with /len or with `mask M`,
    else as gen_ncode() promotes it: a plain number given as a net moves up by bytes
    while its top byte is zero (`net 10` is 10.0.0.0/8), a dotted one of fewer than
    four parts is shifted up with its mask (`net 192.168` is 192.168.0.0/16)."""
    if proto == "decnet":
        # gen_ncode(): __pcap_atodn() of a dotted area.node, a plain number as it is;
        # then gen_host() -> gen_dnhostop()
        if mask_text is not None or kind not in (None, "host", "net"):
            raise _Unsupported
        from ipemu.tcpdump.filter import _atodn
        if "." in value:
            v = _atodn(value)
            if v is None:
                raise _Unsupported
        else:
            try:
                v = _num(value)
            except _Fail:
                raise _Unsupported from None
        return gen.dnhostop(v, d)
    addr, _, bits = value.partition("/")
    if mask_text is not None:
        # gen_mcode(): "Promote short ipaddr", the address and the mask alike
        v = _promoted(addr)
        mask = _promoted(mask_text)
        if v & ~mask & U32:
            raise _Unsupported          # bpf_error(): non-network bits
    elif bits:
        v = _promoted(addr)
        if kind != "net" or not bits.isdigit() or not 0 < int(bits) <= 32:
            raise _Unsupported
        mask = (U32 << (32 - int(bits))) & U32
        if v & ~mask:
            raise _Unsupported          # bpf_error(): non-network bits
    elif kind is None:
        v, mask = _dotted(addr), U32    # (a bare number may inherit a port: not here)
    elif "." not in addr:
        try:
            v = _num(addr)              # NUM: gen_ncode() with no string
        except _Fail:
            raise _Unsupported from None
        mask = U32
        if kind == "net":
            while v and v & 0xFF000000 == 0:
                v, mask = (v << 8) & U32, (mask << 8) & U32
    else:
        from ipemu.tcpdump.filter import _atoin
        vlen, v = _atoin(addr)          # HID: __pcap_atoin()'s bits
        if vlen < 0:
            raise _Unsupported
        v, mask = (v << (32 - vlen)) & U32, (U32 << (32 - vlen)) & U32
    return gen.host(v, mask, proto, d)


def _host6(gen: Gen, proto: str, d: str, kind: str | None, value: str) -> Block:
    """gen_mcode6() of an IPv6 address (a host) or prefix (a net): gen_host6()."""
    import ipaddress
    if proto not in ("default", "ip6"):
        raise _Unsupported
    addr, _, bits = value.partition("/")
    try:
        v = int(ipaddress.IPv6Address(addr))
    except ValueError:
        raise _Unsupported from None
    length = 128
    if bits:
        if kind != "net" or not bits.isdigit() or int(bits) > 128:
            raise _Unsupported
        length = int(bits)
    elif kind == "net":
        raise _Unsupported
    mask = ((1 << 128) - 1) ^ ((1 << (128 - length)) - 1)
    if v & ~mask:
        raise _Unsupported          # bpf_error(): non-network bits
    return gen.hostop6(v, mask, d)


def _port(gen: Gen, proto: str, d: str, value: str, is_range: bool = False) -> Block:
    """gen_ncode()/gen_scode() of a port or a numeric port range: IPv4's then IPv6's,
    or'ed."""
    if proto not in ("default", "tcp", "udp", "sctp"):
        raise _Unsupported
    high = None
    if is_range:
        from ipemu.tcpdump.filter import _nametoportrange
        found = _nametoportrange(value)     # pcap_nametoportrange(): numbers or names
        if found is None:
            raise _Unsupported
        port, high, named = found
        if port > 65535 or high > 65535:
            raise _Unsupported
        number = {"tcp": 6, "udp": 17, "sctp": 132}.get(proto)
        if number is None:
            number = None if named == -1 else named
        elif named not in (-1, number):
            raise _Unsupported          # bpf_error(): "port in range '...' is tcp"
    else:
        port, number = _port_value(value, None if proto == "default" else proto)
        if port is None:
            raise _Unsupported
    ip_proto = PROTO_UNDEF if number is None else number
    b = gen.port(port, ip_proto, d, False, high)
    gen_or(gen.port(port, ip_proto, d, True, high), b)
    return b


def _port_value(text: str, proto_word: str | None) -> tuple[int | None, int | None]:
    """A port number, or a service name with the protocol its entries give (the
    protocol word must agree)."""
    proto = {"tcp": 6, "udp": 17, "sctp": 132}.get(proto_word or "")
    if text.isdigit():
        value = int(text)
        return (value, proto) if value < 65536 else (None, None)
    from ipemu.tcpdump.filter import _nametoport
    found = _nametoport(text)
    if found is None:
        return None, None
    port, named = found
    if named == -1:
        return port, proto
    if proto is not None and proto != named:
        return None, None
    return port, named


def compile(expression: str, snaplen: int, linktype: int = 1, live: bool = True,
            optimize: bool = True, hosts=None,
            savefile: bool | None = None) -> list[tuple[int, int, int, int]] | None:
    """pcap_compile() with the optimizer on: the program as (code, jt, jf, k), or None
    for an expression (or link type) this port does not generate. Raises
    CompileError for what libpcap refuses after generating it."""
    if linktype not in LINKTYPES:
        return None
    gen = Gen(*LINKTYPES[linktype], live=live, dlt=linktype, hosts=hosts, savefile=savefile)
    tokens = _tokens(expression)
    if not tokens:
        return None
    parser = _Parser(tokens)
    try:
        tree = parser.expr()
        if parser.peek() is not None:
            return None
        block = _Codegen(gen).block(tree)
    except (_Fail, _Unsupported, RecursionError):     # (parentheses nested too deep)
        return None
    root = finish_parse(block, snaplen, gen)
    return optimize_and_layout(root) if optimize and not gen.no_optimize else layout(root)
