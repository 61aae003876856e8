"""tcpdump -d of combined filters, the optimizing half: libpcap 1.10.3's optimize.c and
its code layout (icode_to_fcode()), ported as they are written, over the block graph
bpfgen.py builds.

The optimizer loops over the graph (find_levels(), find_dom(), find_closure(),
find_ud(), find_edom(), opt_blks(): value numbering, peephole rules, dead stores, jump
threading through dominating edges, or/and pull-ups), first on the branches only, then
with the statements, shares identical blocks (intern_blocks()) and lays the graph out
from the end (convert_code_r()). The port keeps the traversal orders: they decide which
of several equal programs comes out."""
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
    """struct stmt; `jt`/`jf` are the statements a jump inside a block's list goes to
    (gen_vlan_patch_vid_test()'s)."""
    __slots__ = ("code", "k", "jt", "jf")

    def __init__(self, code: int, k: int = 0):
        self.code = code
        self.k = k
        self.jt: Stmt | None = None
        self.jf: Stmt | None = None


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

    def _number(self, root: Block) -> None:
        """number_blks_r(): depth first, the true branch first (a stack, not the C
        recursion: a long filter's graph is deeper than Python's recursion limit)."""
        stack: list[Block | None] = [root]
        while stack:
            p = stack.pop()
            if p is None or self.marked(p):
                continue
            self.mark(p)
            p.id = len(self.blocks)
            self.blocks.append(p)
            stack.append(p.jf)
            stack.append(p.jt)

    def find_levels(self) -> None:
        self.levels = [None] * len(self.blocks)
        self.unmark_all()
        self._levels(self.root)

    def _levels(self, root: Block) -> None:
        """find_levels_r(): a block's level once both branches have theirs, each
        block pushed on its level's list as it completes (in the C recursion's
        order)."""
        stack: list[tuple[Block, bool]] = [(root, False)]
        while stack:
            b, complete = stack.pop()
            if complete:
                level = max(b.jt.level, b.jf.level) + 1 if b.jt is not None else 0
                b.level = level
                b.link = self.levels[level]
                self.levels[level] = b
                continue
            if self.marked(b):
                continue
            self.mark(b)
            b.link = None
            stack.append((b, True))
            if b.jt is not None:
                stack.append((b.jf, False))
                stack.append((b.jt, False))

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
            while x:             # the dominating edges, lowest id first
                low = x & -x
                x ^= low
                target = self.fold_edge(ep.succ, self.edges[low.bit_length() - 1])
                if target is not None and not self.use_conflict(ep.pred, target):
                    self.done = False
                    ep.succ = target
                    if target.jt is not None:
                        restart = True
                        break
                    return
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
            # each marked block links to the first marked one after it that eq_blk()
            # finds equal (found by its key, looking from the last block down)
            first: dict[tuple, Block] = {}
            for i in range(n - 1, -1, -1):
                bi = self.blocks[i]
                if not self.marked(bi):
                    continue
                key = _blk_key(bi)
                bj = first.get(key)
                if bj is not None:
                    bi.link = bj.link if bj.link is not None else bj
                first[key] = bi
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

    def _marks(self, root: Block) -> None:
        """make_marks()."""
        stack = [root]
        while stack:
            p = stack.pop()
            if not self.marked(p):
                self.mark(p)
                if bpf_class(p.s.code) != RET:
                    stack += (p.jf, p.jt)

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


def _blk_key(b: Block) -> tuple:
    """What eq_blk() compares: the branch, both successors (the blocks themselves),
    and the statements other than NOPs (eq_slist())."""
    return (b.s.code, b.s.k, b.et.succ, b.ef.succ,
            tuple((s.code, s.k) for s in b.stmts if s.code != NOP))


class _Layout:
    """icode_to_fcode() / convert_code_r(): blocks laid out from the end, false
    branch first; a branch over 255 instructions gets a long jump after it."""

    def __init__(self, opt: Optimizer, root: Block):
        self.opt, self.root = opt, root

    def count(self, root: Block) -> int:
        """count_stmts(): every reachable block's statements, branch and long jumps."""
        n = 0
        stack: list[Block | None] = [root]
        while stack:
            p = stack.pop()
            if p is None or self.opt.marked(p):
                continue
            self.opt.mark(p)
            n += len(_live(p.stmts)) + 1 + p.longjt + p.longjf
            stack += (p.jf, p.jt)
        return n

    def run(self) -> list[tuple[int, int, int, int]]:
        while True:
            self.opt.unmark_all()
            n = self.count(self.root)
            self.code = [[0, 0, 0, 0] for _ in range(n)]     # code, jt, jf, k
            self.tail = n
            self.opt.unmark_all()
            if self.convert(self.root):
                return [tuple(i) for i in self.code]

    def convert(self, root: Block) -> bool:
        """convert_code_r(): the false branch laid out first, then the true one, then
        the block before them; False when a block needs a long jump it did not
        have (the caller starts again)."""
        stack: list[tuple[Block | None, bool]] = [(root, False)]
        while stack:
            p, ready = stack.pop()
            if not ready:
                if p is None or self.opt.marked(p):
                    continue
                self.opt.mark(p)
                stack += ((p, True), (p.jt, False), (p.jf, False))
            elif not self._emit(p):
                return False
        return True

    def _emit(self, p: Block) -> bool:
        stmts = _live(p.stmts)
        slen = len(stmts)
        self.tail -= slen + 1 + p.longjt + p.longjf
        dst = p.offset = self.tail
        # offset[]: the first slen statements of the list as it is (NOPs counted, as
        # convert_code_r() counts them)
        offset = p.stmts[:slen]
        for off, s in enumerate(stmts):
            self.code[dst] = [s.code, 0, 0, s.k]
            if bpf_class(s.code) == JMP and s.code != (JMP | JA) and off != slen - 2:
                # a jump inside the block: its targets as distances in the list
                found = {"jt": None, "jf": None}
                for i, t in enumerate(offset):
                    for side in ("jt", "jf"):
                        if t is getattr(s, side):
                            found[side] = i - off - 1
                if found["jt"] is None or found["jf"] is None:
                    raise CompileError(f"no destination found for block-local relative "
                                       f"jump: off={off}")
                self.code[dst][1], self.code[dst][2] = found["jt"], found["jf"]
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


def layout(root: Block) -> list[tuple[int, int, int, int]]:
    """icode_to_fcode() of the graph as generated (tcpdump -O: no bpf_optimize())."""
    return _Layout(Optimizer(root), root).run()


def optimize_and_layout(root: Block) -> list[tuple[int, int, int, int]]:
    """bpf_optimize() then icode_to_fcode(): (code, jt, jf, k) rows; CompileError
    `expression rejects all packets` when the optimizer leaves `ret #0`."""
    opt = Optimizer(root)
    root = opt.optimize()
    if root is None or (root.s.code == (RET | K) and root.s.k == 0):
        raise CompileError("expression rejects all packets")
    return _Layout(opt, root).run()
