"""tcpdump -d of combined filters: libpcap 1.10.3's code generator (gencode.c) for the
primitives tutorials combine, and its optimizer (optimize.c) and code layout
(icode_to_fcode()), ported as they are written.

gencode.c builds a graph of blocks (a list of statements and one branch each) joined by
gen_and()/gen_or()/gen_not() through backpatch() and merge(); finish_parse() hangs the
two returns on it. optimize.c then loops over the graph (find_levels(), find_dom(),
find_closure(), find_ud(), find_edom(), opt_blks(): value numbering, peephole rules,
dead stores, jump threading through dominating edges, or/and pull-ups), first on the
branches only, then with the statements, shares identical blocks (intern_blocks()) and
lays the graph out from the end (convert_code_r()). The port keeps the traversal orders
(they decide which of equal programs comes out). `compile()` returns None for what it
does not generate (bpfcode.py says so)."""
from __future__ import annotations

# bpf.h
LD, LDX, ST, STX, ALU, JMP, RET, MISC = range(8)
W, H, B = 0x00, 0x08, 0x10
IMM, ABS, IND, MEM, LEN, MSH = 0x00, 0x20, 0x40, 0x60, 0x80, 0xA0
ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, NEG, MOD, XOR = (
    0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xA0)
JA, JEQ, JGT, JGE, JSET = 0x00, 0x10, 0x20, 0x30, 0x40
K, X = 0x00, 0x08
TAX, TXA = 0x00, 0x80
NOP = -1
BPF_MEMWORDS = 16
A_ATOM, X_ATOM = BPF_MEMWORDS, BPF_MEMWORDS + 1
N_ATOMS = BPF_MEMWORDS + 2
AX_ATOM = N_ATOMS
VAL_UNKNOWN = 0
U32 = 0xFFFFFFFF


def bpf_class(code: int) -> int:
    return code & 0x07


def bpf_size(code: int) -> int:
    return code & 0x18


def bpf_mode(code: int) -> int:
    return code & 0xE0


def bpf_op(code: int) -> int:
    return code & 0xF0


def bpf_src(code: int) -> int:
    return code & 0x08


class CompileError(Exception):
    """bpf_error()/opt_error(): the text tcpdump prints after `tcpdump: `."""


class Stmt:
    __slots__ = ("code", "k")

    def __init__(self, code: int, k: int = 0):
        self.code = code
        self.k = k


class Edge:
    __slots__ = ("id", "code", "edom", "succ", "pred", "next")

    def __init__(self):
        self.id = 0
        self.code = 0
        self.edom = 0
        self.succ: Block | None = None
        self.pred: Block | None = None
        self.next: Edge | None = None


class Block:
    def __init__(self, code: int, k: int = 0):
        self.id = 0
        self.stmts: list[Stmt] = []
        self.s = Stmt(code, k)
        self.mark = 0
        self.longjt = self.longjf = 0
        self.level = 0
        self.offset = 0
        self.sense = False
        self.et = Edge()
        self.ef = Edge()
        self.head = self
        self.link: Block | None = None
        self.dom = 0
        self.closure = 0
        self.in_edges: Edge | None = None
        self.defs = self.kill = self.in_use = self.out_use = 0
        self.oval = 0
        self.val = [0] * N_ATOMS

    # JT(b), JF(b)
    @property
    def jt(self) -> Block | None:
        return self.et.succ

    @jt.setter
    def jt(self, b: Block | None) -> None:
        self.et.succ = b

    @property
    def jf(self) -> Block | None:
        return self.ef.succ

    @jf.setter
    def jf(self, b: Block | None) -> None:
        self.ef.succ = b


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
OR_PACKET, OR_LINKHDR, OR_LINKTYPE, OR_LINKPL, OR_TRAN_IPV4, OR_TRAN_IPV6 = range(6)
ETHERTYPE_IP, ETHERTYPE_IPV6, ETHERTYPE_ARP, ETHERTYPE_REVARP = 0x800, 0x86DD, 0x806, 0x8035
PROTO_UNDEF = -1


class Gen:
    """compiler_state_t for one link type: off_linktype and off_linkpl (constant
    parts: the link types here have no variable-length header), off_nl 0."""

    def __init__(self, off_linktype: int, off_linkpl: int, linkhdr: bool):
        self.off_linktype = off_linktype
        self.off_linkpl = off_linkpl
        self.linkhdr = linkhdr        # Ethernet: the MAC addresses are there

    def load_a(self, offrel: int, offset: int, size: int) -> list[Stmt]:
        """gen_load_a()."""
        if offrel == OR_LINKHDR:
            return [Stmt(LD | ABS | size, offset)]
        if offrel == OR_LINKTYPE:
            return [Stmt(LD | ABS | size, self.off_linktype + offset)]
        if offrel == OR_LINKPL:
            return [Stmt(LD | ABS | size, self.off_linkpl + offset)]
        if offrel == OR_TRAN_IPV4:
            # gen_loadx_iphdrlen(): the constant offset's 4*([k]&0xf) mode
            return [Stmt(LDX | MSH | B, self.off_linkpl),
                    Stmt(LD | IND | size, self.off_linkpl + offset)]
        if offrel == OR_TRAN_IPV6:
            return [Stmt(LD | ABS | size, self.off_linkpl + 40 + offset)]
        return [Stmt(LD | ABS | size, offset)]

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
        above ETHERMTU compared at the type field."""
        return self.cmp(OR_LINKTYPE, 0, H, ll_proto)

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
        """gen_proto_abbrev_internal()."""
        both = {"tcp": 6, "udp": 17, "sctp": 132}
        if name in both:
            return self.proto(both[name], "default")
        if name in ("icmp", "igmp"):
            return self.proto({"icmp": 1, "igmp": 2}[name], "ip")
        if name == "icmp6":
            return self.proto(58, "ip6")
        return self.linktype({"ip": ETHERTYPE_IP, "ip6": ETHERTYPE_IPV6,
                              "arp": ETHERTYPE_ARP, "rarp": ETHERTYPE_REVARP}[name])

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
            b1 = self.host(addr, mask, "arp", d)
            gen_or(b0, b1)
            b0 = self.host(addr, mask, "rarp", d)
            gen_or(b1, b0)
            return b0
        if proto == "ip":
            return self.hostop(addr, mask, d, ETHERTYPE_IP, 12, 16)
        return self.hostop(addr, mask, d, ETHERTYPE_ARP if proto == "arp"
                           else ETHERTYPE_REVARP, 14, 24)

    def ipfrag(self) -> Block:
        b = Block(JMP | JSET, 0x1FFF)
        b.stmts = self.load_a(OR_LINKPL, 6, H)
        gen_not(b)
        return b

    def portop(self, port: int, proto: int, d: str, v6: bool) -> Block:
        """gen_portop()/gen_portop6()."""
        if v6:
            b0 = self.cmp(OR_LINKPL, 6, B, proto)
        else:
            tmp = self.cmp(OR_LINKPL, 9, B, proto)
            b0 = self.ipfrag()
            gen_and(tmp, b0)
        rel = OR_TRAN_IPV6 if v6 else OR_TRAN_IPV4
        if d in ("src", "dst"):
            b1 = self.cmp(rel, 0 if d == "src" else 2, H, port)
        else:
            tmp = self.cmp(rel, 0, H, port)
            b1 = self.cmp(rel, 2, H, port)
            (gen_and if d == "and" else gen_or)(tmp, b1)
        gen_and(b0, b1)
        return b1

    def port(self, port: int, ip_proto: int, d: str, v6: bool) -> Block:
        """gen_port()/gen_port6()."""
        b0 = self.linktype(ETHERTYPE_IPV6 if v6 else ETHERTYPE_IP)
        if ip_proto != PROTO_UNDEF:
            b1 = self.portop(port, ip_proto, d, v6)
        else:
            tmp = self.portop(port, 6, d, v6)
            b1 = self.portop(port, 17, d, v6)
            gen_or(tmp, b1)
            tmp = self.portop(port, 132, d, v6)
            gen_or(tmp, b1)
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

    def length(self, jmp: int, n: int) -> Block:
        b = Block(JMP | jmp, n)
        b.stmts = [Stmt(LD | W | LEN)]
        return b


def finish_parse(p: Block, snaplen: int) -> Block:
    backpatch(p, Block(RET | K, snaplen))
    p.sense = not p.sense
    backpatch(p, Block(RET | K, 0))
    return p.head


# ----------------------------------------------------------------- optimize.c


def atomuse(s: Stmt) -> int:
    c = s.code
    if c == NOP:
        return -1
    cls = bpf_class(c)
    if cls == RET:
        rval = c & 0x18
        return A_ATOM if rval == 0x10 else X_ATOM if rval == X else -1
    if cls in (LD, LDX):
        return X_ATOM if bpf_mode(c) == IND else s.k if bpf_mode(c) == MEM else -1
    if cls == ST:
        return A_ATOM
    if cls == STX:
        return X_ATOM
    if cls in (JMP, ALU):
        return AX_ATOM if bpf_src(c) == X else A_ATOM
    if cls == MISC:
        return X_ATOM if (c & 0xF8) == TXA else A_ATOM
    raise AssertionError(c)


def atomdef(s: Stmt) -> int:
    c = s.code
    if c == NOP:
        return -1
    cls = bpf_class(c)
    if cls in (LD, ALU):
        return A_ATOM
    if cls == LDX:
        return X_ATOM
    if cls in (ST, STX):
        return s.k
    if cls == MISC:
        return X_ATOM if (c & 0xF8) == TAX else A_ATOM
    return -1


def _bit(n: int) -> int:
    return 1 << n


class Optimizer:
    def __init__(self, root: Block):
        self.root = root
        self.cur_mark = 0
        self.done = False
        self.nbm = False          # non_branch_movement_performed
        self.blocks: list[Block] = []
        self.edges: list[Edge] = []
        self.levels: list[Block | None] = []
        self.vmap: dict[int, int] = {}       # value number -> constant
        self.table: dict[tuple[int, int, int], int] = {}
        self.curval = 0

    # marks
    def unmark_all(self) -> None:
        self.cur_mark += 1

    def marked(self, b: Block) -> bool:
        return b.mark == self.cur_mark

    def mark(self, b: Block) -> None:
        b.mark = self.cur_mark

    # opt_init()
    def init(self) -> None:
        self.unmark_all()
        self.blocks = []
        self._number(self.root)
        n = len(self.blocks)
        self.edges = [None] * (2 * n)
        self.levels = [None] * n
        for i, b in enumerate(self.blocks):
            b.et.id, b.ef.id = i, n + i
            self.edges[i], self.edges[n + i] = b.et, b.ef
            b.et.pred = b.ef.pred = b
        self.nodeall = (1 << (32 * (n // 32 + 1))) - 1
        self.edgeall = (1 << (32 * ((2 * n) // 32 + 1))) - 1

    def _number(self, p: Block | None) -> None:
        if p is None or self.marked(p):
            return
        self.mark(p)
        p.id = len(self.blocks)
        self.blocks.append(p)
        self._number(p.jt)
        self._number(p.jf)

    def find_levels(self) -> None:
        self.levels = [None] * len(self.blocks)
        self.unmark_all()
        self._levels(self.root)

    def _levels(self, b: Block) -> None:
        if self.marked(b):
            return
        self.mark(b)
        b.link = None
        if b.jt is not None:
            self._levels(b.jt)
            self._levels(b.jf)
            level = max(b.jt.level, b.jf.level) + 1
        else:
            level = 0
        b.level = level
        b.link = self.levels[level]
        self.levels[level] = b

    def each(self, level: int):
        b = self.levels[level]
        while b is not None:
            yield b
            b = b.link

    def find_dom(self) -> None:
        for b in self.blocks:
            b.dom = self.nodeall
        self.root.dom = 0
        for level in range(self.root.level, -1, -1):
            for b in self.each(level):
                b.dom |= _bit(b.id)
                if b.jt is None:
                    continue
                b.jt.dom &= b.dom
                b.jf.dom &= b.dom

    def find_edom(self) -> None:
        for b in self.blocks:
            b.et.edom = b.ef.edom = self.edgeall
        self.root.et.edom = self.root.ef.edom = 0
        for level in range(self.root.level, -1, -1):
            for b in self.each(level):
                for ep in (b.et, b.ef):
                    ep.edom |= _bit(ep.id)
                    if ep.succ is not None:
                        ep.succ.et.edom &= ep.edom
                        ep.succ.ef.edom &= ep.edom

    def find_closure(self) -> None:
        for b in self.blocks:
            b.closure = 0
        for level in range(self.root.level, -1, -1):
            for b in self.each(level):
                b.closure |= _bit(b.id)
                if b.jt is None:
                    continue
                b.jt.closure |= b.closure
                b.jf.closure |= b.closure

    @staticmethod
    def _uses(atom: int, defs: int, use: int) -> int:
        if atom == AX_ATOM:
            if not defs & _bit(X_ATOM):
                use |= _bit(X_ATOM)
            if not defs & _bit(A_ATOM):
                use |= _bit(A_ATOM)
        elif atom >= 0:
            if not defs & _bit(atom):
                use |= _bit(atom)
        return use

    def compute_local_ud(self, b: Block) -> None:
        defs = use = killed = 0
        for s in b.stmts:
            if s.code == NOP:
                continue
            use = self._uses(atomuse(s), defs, use)
            atom = atomdef(s)
            if atom >= 0:
                if not use & _bit(atom):
                    killed |= _bit(atom)
                defs |= _bit(atom)
        if bpf_class(b.s.code) == JMP:
            use = self._uses(atomuse(b.s), defs, use)
        b.defs, b.kill, b.in_use = defs, killed, use

    def find_ud(self) -> None:
        maxlevel = self.root.level
        for i in range(maxlevel, -1, -1):
            for p in self.each(i):
                self.compute_local_ud(p)
                p.out_use = 0
        for i in range(1, maxlevel + 1):
            for p in self.each(i):
                p.out_use |= p.jt.in_use | p.jf.in_use
                p.in_use |= p.out_use & ~p.kill

    # value numbering
    def init_val(self) -> None:
        self.curval = 0
        self.vmap = {}
        self.table = {}

    def F(self, code: int, v0: int, v1: int) -> int:
        key = (code, v0, v1)
        val = self.table.get(key)
        if val is not None:
            return val
        self.curval += 1
        val = self.curval
        if bpf_mode(code) == IMM and bpf_class(code) in (LD, LDX):
            self.vmap[val] = v0
        self.table[key] = val
        return val

    def K(self, i: int) -> int:
        return self.F(LD | IMM | W, i, 0)

    def is_const(self, v: int) -> bool:
        return v in self.vmap

    def changed(self) -> None:
        self.nbm = True
        self.done = False

    def vstore(self, s: Stmt, val: list[int], idx: int, newval: int, alter: bool) -> None:
        if alter and newval != VAL_UNKNOWN and val[idx] == newval:
            s.code = NOP
        else:
            val[idx] = newval

    def fold_op(self, s: Stmt, v0: int, v1: int) -> None:
        a, b = self.vmap[v0], self.vmap[v1]
        op = bpf_op(s.code)
        if op == ADD:
            a = (a + b) & U32
        elif op == SUB:
            a = (a - b) & U32
        elif op == MUL:
            a = (a * b) & U32
        elif op == DIV:
            if b == 0:
                raise CompileError("division by zero")
            a //= b
        elif op == MOD:
            if b == 0:
                raise CompileError("modulus by zero")
            a %= b
        elif op == AND:
            a &= b
        elif op == OR:
            a |= b
        elif op == XOR:
            a ^= b
        elif op == LSH:
            a = (a << b) & U32 if b < 32 else 0
        elif op == RSH:
            a = a >> b if b < 32 else 0
        else:
            raise AssertionError(op)
        s.k = a
        s.code = LD | IMM
        self.changed()

    @staticmethod
    def this_op(stmts: list[Stmt], i: int) -> int:
        while i < len(stmts) and stmts[i].code == NOP:
            i += 1
        return i

    def opt_peep(self, b: Block) -> None:
        stmts = b.stmts
        if not stmts:
            return
        last = stmts[0]
        i = 0
        while True:
            i = self.this_op(stmts, i)
            if i >= len(stmts):
                break
            s = stmts[i]
            j = self.this_op(stmts, i + 1)
            if j >= len(stmts):
                break
            nxt = stmts[j]
            last = nxt
            if s.code == ST and nxt.code == (LDX | MEM) and s.k == nxt.k:
                self.changed()
                nxt.code = MISC | TAX
            if s.code == (LD | IMM) and nxt.code == (MISC | TAX):
                s.code = LDX | IMM
                nxt.code = MISC | TXA
                self.changed()
            if s.code == (LD | IMM):
                if b.out_use & _bit(X_ATOM):
                    i = j
                    continue
                if nxt.code != (LDX | MSH | B):
                    a_i = j
                else:
                    a_i = self.this_op(stmts, j + 1)
                if a_i >= len(stmts) or stmts[a_i].code != (ALU | ADD | X):
                    i = j
                    continue
                t_i = self.this_op(stmts, a_i + 1)
                if t_i >= len(stmts) or stmts[t_i].code != (MISC | TAX):
                    i = j
                    continue
                l_i = self.this_op(stmts, t_i + 1)
                if l_i >= len(stmts) or bpf_class(stmts[l_i].code) != LD or \
                        bpf_mode(stmts[l_i].code) != IND:
                    i = j
                    continue
                stmts[l_i].k = (stmts[l_i].k + s.k) & U32
                s.code = NOP
                stmts[a_i].code = NOP
                stmts[t_i].code = NOP
                self.changed()
            i = j
        if b.s.code == (JMP | JEQ | K) and not b.out_use & _bit(A_ATOM):
            if last.code == (ALU | SUB | X):
                val = b.val[X_ATOM]
                if self.is_const(val):
                    b.s.k = (b.s.k + self.vmap[val]) & U32
                    last.code = NOP
                    self.changed()
                elif b.s.k == 0:
                    last.code = NOP
                    b.s.code = JMP | JEQ | X
                    self.changed()
            elif last.code == (ALU | SUB | K):
                last.code = NOP
                b.s.k = (b.s.k + last.k) & U32
                self.changed()
            elif last.code == (ALU | AND | K) and b.s.k == 0:
                b.s.k = last.k
                b.s.code = JMP | K | JSET
                last.code = NOP
                self.changed()
                b.jt, b.jf = b.jf, b.jt          # opt_not()
        if b.s.code == (JMP | K | JSET):
            if b.s.k == 0:
                b.jt = b.jf
            if b.s.k == U32:
                b.jf = b.jt
        val = b.val[X_ATOM]
        if self.is_const(val) and bpf_src(b.s.code) == X:
            b.s.code &= ~X
            b.s.k = self.vmap[val]
        val = b.val[A_ATOM]
        if self.is_const(val) and bpf_src(b.s.code) == K:
            v = self.vmap[val]
            op = bpf_op(b.s.code)
            if op == JEQ:
                v = int(v == b.s.k)
            elif op == JGT:
                v = int(v > b.s.k)
            elif op == JGE:
                v = int(v >= b.s.k)
            elif op == JSET:
                v &= b.s.k
            else:
                raise AssertionError(op)
            if b.jf is not b.jt:
                self.changed()
            if v:
                b.jf = b.jt
            else:
                b.jt = b.jf

    def opt_stmt(self, s: Stmt, val: list[int], alter: bool) -> None:
        c = s.code
        if c in (LD | ABS | W, LD | ABS | H, LD | ABS | B):
            self.vstore(s, val, A_ATOM, self.F(c, s.k, 0), alter)
        elif c in (LD | IND | W, LD | IND | H, LD | IND | B):
            v = val[X_ATOM]
            if alter and self.is_const(v):
                s.code = LD | ABS | bpf_size(c)
                s.k = (s.k + self.vmap[v]) & U32
                v = self.F(s.code, s.k, 0)
                self.changed()
            else:
                v = self.F(c, s.k, v)
            self.vstore(s, val, A_ATOM, v, alter)
        elif c == LD | LEN:
            self.vstore(s, val, A_ATOM, self.F(c, 0, 0), alter)
        elif c == LD | IMM:
            self.vstore(s, val, A_ATOM, self.K(s.k), alter)
        elif c == LDX | IMM:
            self.vstore(s, val, X_ATOM, self.K(s.k), alter)
        elif c == LDX | MSH | B:
            self.vstore(s, val, X_ATOM, self.F(c, s.k, 0), alter)
        elif c == ALU | NEG:
            if alter and self.is_const(val[A_ATOM]):
                s.code = LD | IMM
                s.k = (-self.vmap[val[A_ATOM]]) & U32
                val[A_ATOM] = self.K(s.k)
            else:
                val[A_ATOM] = self.F(c, val[A_ATOM], 0)
        elif bpf_class(c) == ALU and bpf_src(c) == K:
            op = bpf_op(c)
            if alter:
                if s.k == 0:
                    if op in (ADD, LSH, RSH, OR, XOR):
                        s.code = NOP
                        return
                    if op in (MUL, AND):
                        s.code = LD | IMM
                        val[A_ATOM] = self.K(s.k)
                        return
                    if op == DIV:
                        raise CompileError("division by zero")
                    if op == MOD:
                        raise CompileError("modulus by zero")
                if self.is_const(val[A_ATOM]):
                    self.fold_op(s, val[A_ATOM], self.K(s.k))
                    val[A_ATOM] = self.K(s.k)
                    return
            val[A_ATOM] = self.F(s.code, val[A_ATOM], self.K(s.k))
        elif bpf_class(c) == ALU and bpf_src(c) == X:
            op = bpf_op(c)
            if alter and self.is_const(val[X_ATOM]):
                if self.is_const(val[A_ATOM]):
                    self.fold_op(s, val[A_ATOM], val[X_ATOM])
                    val[A_ATOM] = self.K(s.k)
                else:
                    s.code = ALU | K | op
                    s.k = self.vmap[val[X_ATOM]]
                    if op in (LSH, RSH) and s.k > 31:
                        raise CompileError("shift by more than 31 bits")
                    self.changed()
                    val[A_ATOM] = self.F(s.code, val[A_ATOM], self.K(s.k))
                return
            if alter and self.is_const(val[A_ATOM]) and self.vmap[val[A_ATOM]] == 0:
                if op in (ADD, OR, XOR):
                    s.code = MISC | TXA
                    self.vstore(s, val, A_ATOM, val[X_ATOM], alter)
                    return
                if op in (MUL, DIV, MOD, AND, LSH, RSH):
                    s.code = LD | IMM
                    s.k = 0
                    self.vstore(s, val, A_ATOM, self.K(s.k), alter)
                    return
                if op == NEG:
                    s.code = NOP
                    return
            val[A_ATOM] = self.F(s.code, val[A_ATOM], val[X_ATOM])
        elif c == MISC | TXA:
            self.vstore(s, val, A_ATOM, val[X_ATOM], alter)
        elif c == LD | MEM:
            v = val[s.k]
            if alter and self.is_const(v):
                s.code = LD | IMM
                s.k = self.vmap[v]
                self.changed()
            self.vstore(s, val, A_ATOM, v, alter)
        elif c == MISC | TAX:
            self.vstore(s, val, X_ATOM, val[A_ATOM], alter)
        elif c == LDX | MEM:
            v = val[s.k]
            if alter and self.is_const(v):
                s.code = LDX | IMM
                s.k = self.vmap[v]
                self.changed()
            self.vstore(s, val, X_ATOM, v, alter)
        elif c == ST:
            self.vstore(s, val, s.k, val[A_ATOM], alter)
        elif c == STX:
            self.vstore(s, val, s.k, val[X_ATOM], alter)

    def deadstmt(self, s: Stmt, last: list) -> None:
        atom = atomuse(s)
        if atom >= 0:
            if atom == AX_ATOM:
                last[X_ATOM] = last[A_ATOM] = None
            else:
                last[atom] = None
        atom = atomdef(s)
        if atom >= 0:
            if last[atom] is not None:
                self.changed()
                last[atom].code = NOP
            last[atom] = s

    def opt_deadstores(self, b: Block) -> None:
        last: list = [None] * N_ATOMS
        for s in b.stmts:
            self.deadstmt(s, last)
        self.deadstmt(b.s, last)
        for atom in range(N_ATOMS):
            if last[atom] is not None and not b.out_use & _bit(atom):
                last[atom].code = NOP
                self.changed()

    def opt_blk(self, b: Block, do_stmts: bool) -> None:
        p = b.in_edges
        if p is None:
            b.val = [0] * N_ATOMS
        else:
            b.val = list(p.pred.val)
            p = p.next
            while p is not None:
                for i in range(N_ATOMS):
                    if b.val[i] != p.pred.val[i]:
                        b.val[i] = 0
                p = p.next
        aval, xval = b.val[A_ATOM], b.val[X_ATOM]
        for s in b.stmts:
            self.opt_stmt(s, b.val, do_stmts)
        if do_stmts and ((b.out_use == 0 and aval != VAL_UNKNOWN and b.val[A_ATOM] == aval
                          and xval != VAL_UNKNOWN and b.val[X_ATOM] == xval)
                         or bpf_class(b.s.code) == RET):
            if b.stmts:
                b.stmts = []
                self.changed()
        else:
            self.opt_peep(b)
            self.opt_deadstores(b)
        b.oval = self.K(b.s.k) if bpf_src(b.s.code) == K else b.val[X_ATOM]
        b.et.code = b.s.code
        b.ef.code = -b.s.code

    @staticmethod
    def use_conflict(b: Block, succ: Block) -> bool:
        use = succ.out_use
        if use == 0:
            return False
        return any(use & _bit(atom) and b.val[atom] != succ.val[atom]
                   for atom in range(N_ATOMS))

    @staticmethod
    def fold_edge(child: Block, ep: Edge) -> Block | None:
        code = ep.code
        if code < 0:
            code, sense = -code, False
        else:
            sense = True
        if child.s.code != code:
            return None
        if child.val[A_ATOM] != ep.pred.val[A_ATOM]:
            return None
        if child.oval == ep.pred.oval:
            return child.jt if sense else child.jf
        if sense and code == (JMP | JEQ | K):
            return child.jf
        return None

    def opt_j(self, ep: Edge) -> None:
        if ep.succ.jt is None:
            return
        if ep.succ.jt is ep.succ.jf:
            if not self.use_conflict(ep.pred, ep.succ.jt):
                self.changed()
                ep.succ = ep.succ.jt
        while True:              # top:
            restart = False
            x = ep.edom
            k = 0
            while x:
                if x & 1:
                    target = self.fold_edge(ep.succ, self.edges[k])
                    if target is not None and not self.use_conflict(ep.pred, target):
                        self.done = False
                        ep.succ = target
                        if target.jt is not None:
                            restart = True
                            break
                        return
                x >>= 1
                k += 1
            if not restart:
                return

    def _pullup(self, b: Block, is_or: bool) -> None:
        """or_pullup() (is_or) and and_pullup(): slots are (block, "jt"/"jf")."""
        ep = b.in_edges
        if ep is None:
            return
        val = ep.pred.val[A_ATOM]
        e = ep.next
        while e is not None:
            if val != e.pred.val[A_ATOM]:
                return
            e = e.next
        same_side = "jt" if is_or else "jf"    # the branch shared with b
        walk = "jf" if is_or else "jt"         # the branch followed down the chain
        first = b.in_edges.pred
        diffp = (first, "jt") if first.jt is b else (first, "jf")
        at_top = True
        while True:
            d = getattr(*diffp)
            if d is None:
                return
            if getattr(d, same_side) is not getattr(b, same_side):
                return
            if not d.dom & _bit(b.id):
                return
            if d.val[A_ATOM] != val:
                break
            diffp = (d, walk)
            at_top = False
        samep = (getattr(*diffp), walk)
        while True:
            sm = getattr(*samep)
            if sm is None:
                return
            if getattr(sm, same_side) is not getattr(b, same_side):
                return
            if not sm.dom & _bit(b.id):
                return
            if sm.val[A_ATOM] == val:
                break
            samep = (sm, walk)
        pull = getattr(*samep)
        setattr(*samep, getattr(pull, walk))
        setattr(pull, walk, getattr(*diffp))
        if at_top:
            e = b.in_edges
            while e is not None:
                if e.pred.jt is b:
                    e.pred.jt = pull
                else:
                    e.pred.jf = pull
                e = e.next
        else:
            setattr(*diffp, pull)
        self.done = False

    def find_inedges(self) -> None:
        for b in self.blocks:
            b.in_edges = None
        for level in range(self.root.level, 0, -1):
            for b in self.each(level):
                for parent, child in ((b.et, b.jt), (b.ef, b.jf)):
                    parent.next = child.in_edges
                    child.in_edges = parent

    def opt_blks(self, do_stmts: bool) -> None:
        self.init_val()
        maxlevel = self.root.level
        self.find_inedges()
        for i in range(maxlevel, -1, -1):
            for p in self.each(i):
                self.opt_blk(p, do_stmts)
        if do_stmts:
            return
        for i in range(1, maxlevel + 1):
            for p in self.each(i):
                self.opt_j(p.et)
                self.opt_j(p.ef)
        self.find_inedges()
        for i in range(1, maxlevel + 1):
            for p in self.each(i):
                self._pullup(p, True)
                self._pullup(p, False)

    def opt_loop(self, do_stmts: bool) -> None:
        loop_count = 0
        while True:
            self.done = True
            self.nbm = False
            self.find_levels()
            self.find_dom()
            self.find_closure()
            self.find_ud()
            self.find_edom()
            self.opt_blks(do_stmts)
            if self.done:
                break
            if self.nbm:
                loop_count = 0
            else:
                loop_count += 1
                if loop_count >= 100:
                    self.done = True
                    break

    def intern_blocks(self) -> None:
        n = len(self.blocks)
        while True:
            done1 = True
            for b in self.blocks:
                b.link = None
            self.unmark_all()
            self._marks(self.root)
            for i in range(n - 2, -1, -1):
                bi = self.blocks[i]
                if not self.marked(bi):
                    continue
                for j in range(i + 1, n):
                    bj = self.blocks[j]
                    if not self.marked(bj):
                        continue
                    if _eq_blk(bi, bj):
                        bi.link = bj.link if bj.link is not None else bj
                        break
            for p in self.blocks:
                if p.jt is None:
                    continue
                if p.jt.link is not None:
                    done1 = False
                    p.jt = p.jt.link
                if p.jf.link is not None:
                    done1 = False
                    p.jf = p.jf.link
            if done1:
                return

    def _marks(self, p: Block) -> None:
        if not self.marked(p):
            self.mark(p)
            if bpf_class(p.s.code) != RET:
                self._marks(p.jt)
                self._marks(p.jf)

    def opt_root(self) -> None:
        b = self.root
        s = b.stmts
        b.stmts = []
        while bpf_class(b.s.code) == JMP and b.jt is b.jf:
            b = b.jt
        b.stmts = s + b.stmts
        if bpf_class(b.s.code) == RET:
            b.stmts = []
        self.root = b

    def optimize(self) -> Block:
        """bpf_optimize()."""
        self.init()
        self.opt_loop(False)
        self.opt_loop(True)
        self.intern_blocks()
        self.opt_root()
        return self.root


def _live(stmts: list[Stmt]) -> list[Stmt]:
    return [s for s in stmts if s.code != NOP]


def _eq_blk(b0: Block, b1: Block) -> bool:
    if b0.s.code == b1.s.code and b0.s.k == b1.s.k and b0.et.succ is b1.et.succ and \
            b0.ef.succ is b1.ef.succ:
        x, y = _live(b0.stmts), _live(b1.stmts)
        return len(x) == len(y) and all(a.code == c.code and a.k == c.k
                                        for a, c in zip(x, y))
    return False


class _Layout:
    """icode_to_fcode() / convert_code_r(): blocks laid out from the end, false
    branch first; a branch over 255 instructions gets a long jump after it."""

    def __init__(self, opt: Optimizer, root: Block):
        self.opt, self.root = opt, root

    def count(self, p: Block | None) -> int:
        if p is None or self.opt.marked(p):
            return 0
        self.opt.mark(p)
        n = self.count(p.jt) + self.count(p.jf)
        return len(_live(p.stmts)) + n + 1 + p.longjt + p.longjf

    def run(self) -> list[tuple[int, int, int, int]]:
        while True:
            self.opt.unmark_all()
            n = self.count(self.root)
            self.code = [[0, 0, 0, 0] for _ in range(n)]     # code, jt, jf, k
            self.tail = n
            self.opt.unmark_all()
            if self.convert(self.root):
                return [tuple(i) for i in self.code]

    def convert(self, p: Block | None) -> bool:
        if p is None or self.opt.marked(p):
            return True
        self.opt.mark(p)
        if not self.convert(p.jf):
            return False
        if not self.convert(p.jt):
            return False
        stmts = _live(p.stmts)
        slen = len(stmts)
        self.tail -= slen + 1 + p.longjt + p.longjf
        dst = p.offset = self.tail
        for s in stmts:
            if bpf_class(s.code) == JMP and s.code != (JMP | JA):
                raise CompileError("block-local jumps are not generated here")
            self.code[dst] = [s.code, 0, 0, s.k]
            dst += 1
        self.code[dst] = [p.s.code, 0, 0, p.s.k]
        if p.jt is not None:
            extra = 0
            off = p.jt.offset - (p.offset + slen) - 1
            if off >= 256:
                if p.longjt == 0:
                    p.longjt += 1
                    return False
                self.code[dst][1] = extra
                extra += 1
                self.code[dst + extra] = [JMP | JA, 0, 0, off - extra]
            else:
                self.code[dst][1] = off
            off = p.jf.offset - (p.offset + slen) - 1
            if off >= 256:
                if p.longjf == 0:
                    p.longjf += 1
                    return False
                self.code[dst][2] = extra
                extra += 1
                self.code[dst + extra] = [JMP | JA, 0, 0, off - extra]
            else:
                self.code[dst][2] = off
        return True


def optimize_and_layout(root: Block) -> list[tuple[int, int, int, int]]:
    """bpf_optimize() then icode_to_fcode(): (code, jt, jf, k) rows; CompileError
    `expression rejects all packets` when the optimizer leaves `ret #0`."""
    opt = Optimizer(root)
    root = opt.optimize()
    if root is None or (root.s.code == (RET | K) and root.s.k == 0):
        raise CompileError("expression rejects all packets")
    return _Layout(opt, root).run()


# ------------------------------------------------------------- the expressions

# init_linktype(): (off_linktype, off_linkpl, the link header holds MAC addresses)
LINKTYPES = {1: (12, 14, True), 113: (14, 16, False), 276: (0, 20, False)}
PROTO_WORDS = ("ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "icmp", "igmp", "icmp6")
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
            if text.startswith(p, i) and not (p == "-" and out and _joins(text, i)):
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
                or text[j] == "/" and "." in text[i:j] and text[j + 1:j + 2].isdigit()):
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
# grammar.y's %left lines, loosest first ('%' and '^' have no precedence there)
_ARITH_LEVELS = [("|",), ("&",), ("<<", ">>"), ("+", "-"), ("*", "/")]
_ARITH_CODES = {"|": OR, "&": AND, "<<": LSH, ">>": RSH, "+": ADD, "-": SUB, "*": MUL,
                "/": DIV}
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
        bare = len(words) == 1 or words[0] in ("less", "greater") or words[-1] in PROTO_WORDS
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
                                     "broadcast", "multicast", "vlan", "mpls"))


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
        self.curreg = 0
        self.regused = [False] * BPF_MEMWORDS

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

    def block(self, node) -> Block:
        kind = node[0]
        if kind in ("and", "or"):
            b0 = self.block(node[1])
            b1 = self.block(node[2])
            (gen_and if kind == "and" else gen_or)(b0, b1)
            return b1
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
            inst.s += [Stmt(LDX | MEM, inst.regno), Stmt(code, gen.off_linkpl)]
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
            inst.s += [Stmt(LDX | MEM, inst.regno), Stmt(code, gen.off_linkpl + 40)]
        else:
            inst.s += [Stmt(LDX | MSH | B, gen.off_linkpl), Stmt(LD | MEM, inst.regno),
                       Stmt(ALU | ADD | X), Stmt(MISC | TAX), Stmt(code, gen.off_linkpl)]
            b = gen.ipfrag()
            gen_and(gen.proto_abbrev(pname), b)
            if inst.b is not None:
                gen_and(inst.b, b)
            gen_and(gen.proto_abbrev("ip"), b)
            inst.b = b
        inst.regno = regno
        inst.s.append(Stmt(ST, regno))
        return inst

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


def _primitive(gen: Gen, words: list[str]) -> Block:
    if len(words) == 1 and words[0] in PROTO_WORDS:
        return gen.proto_abbrev(words[0])
    if len(words) == 2 and words[0] in ("less", "greater") and words[1].isdigit():
        if words[0] == "greater":
            return gen.length(JGE, int(words[1]))
        b = gen.length(JGT, int(words[1]))
        gen_not(b)
        return b
    if words[0] == "ether":
        if not gen.linkhdr or len(words) != 3 or words[1] not in ("src", "dst", "host"):
            raise _Unsupported
        mac = _mac(words[2])
        return gen.ehostop(mac, {"host": "default"}.get(words[1], words[1]))
    proto = "default"
    if words[0] in ("ip", "arp", "rarp", "tcp", "udp", "sctp"):
        proto, words = words[0], words[1:]
    d = "default"
    for n in (3, 1):
        if tuple(words[:n]) in _DIRS:
            d, words = _DIRS[tuple(words[:n])], words[n:]
            break
    kind = None
    if words and words[0] in ("host", "net", "port"):
        kind, words = words[0], words[1:]
    if len(words) != 1:
        raise _Unsupported
    value = words[0]
    if kind == "port":
        return _port(gen, proto, d, value)
    if proto in ("tcp", "udp", "sctp"):
        raise _Unsupported
    return _host(gen, proto, d, kind, value)


def _mac(text: str) -> bytes:
    parts = text.replace("-", ":").replace(".", ":").split(":")
    if len(parts) != 6 or not all(1 <= len(p) <= 2 for p in parts):
        raise _Unsupported
    try:
        return bytes(int(p, 16) for p in parts)
    except ValueError:
        raise _Unsupported from None


def _host(gen: Gen, proto: str, d: str, kind: str | None, value: str) -> Block:
    """gen_ncode()/gen_mcode() of a dotted IPv4 address, or a net with /len."""
    addr, _, bits = value.partition("/")
    parts = addr.split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
        raise _Unsupported
    v = int.from_bytes(bytes(int(p) for p in parts), "big")
    if bits:
        if kind != "net" or not bits.isdigit() or not 0 < int(bits) <= 32:
            raise _Unsupported
        mask = (U32 << (32 - int(bits))) & U32
        if v & ~mask:
            raise _Unsupported          # bpf_error(): non-network bits
    elif kind == "net":
        raise _Unsupported
    else:
        mask = U32
    return gen.host(v, mask, proto, d)


def _port(gen: Gen, proto: str, d: str, value: str) -> Block:
    from ipemu.tcpdump.bpfcode import _port_value
    if proto not in ("default", "tcp", "udp", "sctp"):
        raise _Unsupported
    port, number = _port_value(value, None if proto == "default" else proto)
    if port is None:
        raise _Unsupported
    ip_proto = PROTO_UNDEF if number is None else number
    b = gen.port(port, ip_proto, d, False)
    gen_or(gen.port(port, ip_proto, d, True), b)
    return b


def compile(expression: str, snaplen: int, linktype: int = 1,
            ) -> list[tuple[int, int, int, int]] | None:
    """pcap_compile() with the optimizer on: the program as (code, jt, jf, k), or None
    for an expression (or link type) this port does not generate. Raises
    CompileError for what libpcap refuses after generating it."""
    if linktype not in LINKTYPES:
        return None
    gen = Gen(*LINKTYPES[linktype])
    tokens = _tokens(expression)
    if not tokens:
        return None
    parser = _Parser(tokens)
    try:
        tree = parser.expr()
        if parser.peek() is not None:
            return None
        block = _Codegen(gen).block(tree)
    except (_Fail, _Unsupported):
        return None
    return optimize_and_layout(finish_parse(block, snaplen))
