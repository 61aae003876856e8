"""The bpf classifier (net/sched/cls_bpf.c) with classic BPF programs (TCA_BPF_OPS, as
`tc filter ... bpf bytecode '...'` sends them): a tcf_proto of kind bpf holds its
programs newest first (list_add_rcu() at the head of head->plist), each with a handle
from cls_bpf_grab_new_handle(); bpf_check_classic() (net/core/filter.c) refuses a bad
program; cls_bpf_classify() runs them in order on the frame from its MAC header: 0 is
no match, -1 the program's class id, anything else that class id itself."""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.plainclass import dataclass, field

BPF_MAXINSNS = 4096
BPF_MEMWORDS = 16
TCA_BPF_FLAG_ACT_DIRECT = 1
TC_ACT_UNSPEC = -1

# classic BPF opcodes bpf_check_classic() knows (include/uapi/linux/filter.h)
BPF_LD, BPF_LDX, BPF_ST, BPF_STX, BPF_ALU, BPF_JMP, BPF_RET, BPF_MISC = range(8)
_VALID = frozenset({
    0x00, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x60, 0x80,          # ld imm/abs/ind/mem/len
    0x01, 0x61, 0x81, 0xb1,                                          # ldx imm/mem/len/msh
    0x02, 0x03,                                                      # st, stx
    0x04, 0x14, 0x24, 0x34, 0x44, 0x54, 0x64, 0x74, 0x84, 0x94, 0xa4,  # alu k
    0x0c, 0x1c, 0x2c, 0x3c, 0x4c, 0x5c, 0x6c, 0x7c, 0x9c, 0xac,     # alu x
    0x05, 0x15, 0x25, 0x35, 0x45, 0x1d, 0x2d, 0x3d, 0x4d,           # jmp
    0x06, 0x16,                                                      # ret k/a
    0x07, 0x87,                                                      # tax, txa
})
SKF_AD_BASE = 0xFFFFF000            # SKF_AD_OFF (-0x1000) as the u32 k it is
SKF_NET_BASE = 0xFFF00000           # SKF_NET_OFF (-0x100000)


@dataclass
class BpfProg:
    """struct cls_bpf_prog: handle, the classic program, class id, actions, flags."""

    handle: int
    ops: tuple = ()                 # (code, jt, jf, k) each
    classid: int = 0                # prog->res.classid (TCA_BPF_CLASSID)
    actions: list = field(default_factory=list)
    direct: bool = False            # exts_integrated (TCA_BPF_FLAG_ACT_DIRECT)
    gen_flags: int = 0              # skip_hw 1, skip_sw 2 (TCA_BPF_FLAGS_GEN)


def check_classic(ops: tuple) -> bool:
    """bpf_check_classic(): known opcodes, jumps inside the program, scratch memory
    indexes below BPF_MEMWORDS, no division by a constant 0, a return at the end."""
    flen = len(ops)
    if not 0 < flen <= BPF_MAXINSNS:
        return False
    for pc, (code, jt, jf, k) in enumerate(ops):
        if code not in _VALID:
            return False
        if code in (0x34, 0x94) and k == 0:                 # div/mod by K 0
            return False
        if code in (0x60, 0x61, 0x02, 0x03) and k >= BPF_MEMWORDS:
            return False
        if code == 0x05:                                    # ja
            if k >= flen - pc - 1:
                return False
        elif code & 7 == BPF_JMP:
            if pc + jt + 1 >= flen or pc + jf + 1 >= flen:
                return False
    return ops[-1][0] in (0x06, 0x16)


def _signed32(v: int) -> int:
    return v - (1 << 32) if v & 0x80000000 else v


def run_classic(ops: tuple, data: bytes, ancillary: dict) -> int:
    """___bpf_prog_run() of the program converted from classic BPF: the 32-bit value
    returned; a load outside the packet ends the program with 0."""
    a = x = 0
    mem = [0] * BPF_MEMWORDS
    pc = 0
    mask = 0xFFFFFFFF

    def load(off: int, size: int) -> int | None:
        if off >= SKF_AD_BASE:                  # convert_bpf_extensions()
            return ancillary.get(off - SKF_AD_BASE, 0)
        if off >= SKF_NET_BASE:                 # bpf_internal_load_pointer_neg_helper()
            off = off - SKF_NET_BASE + 14
        if off + size > len(data):
            return None
        return int.from_bytes(data[off:off + size], "big")

    while pc < len(ops):
        code, jt, jf, k = ops[pc]
        pc += 1
        cls = code & 7
        if cls == BPF_RET:
            return (k if code == 0x06 else a) & mask
        if cls in (BPF_LD, BPF_LDX):
            mode, size = code & 0xE0, {0x00: 4, 0x08: 2, 0x10: 1}[code & 0x18]
            if mode == 0x00:                                # imm
                value = k
            elif mode == 0x80:                              # len
                value = len(data)
            elif mode == 0x60:                              # mem
                value = mem[k]
            elif mode == 0xA0 and cls == BPF_LDX:           # msh: 4 * (P[k] & 0xf)
                byte = load(k, 1)
                if byte is None:
                    return 0
                value = (byte & 0xF) << 2
            else:                                           # abs, ind
                off = (k + (x if mode == 0x40 else 0)) & mask
                value = load(off, size)
                if value is None:
                    return 0
            if cls == BPF_LD:
                a = value & mask
            else:
                x = value & mask
        elif cls == BPF_ST:
            mem[k] = a
        elif cls == BPF_STX:
            mem[k] = x
        elif cls == BPF_ALU:
            op, src = code & 0xF0, (x if code & 0x08 else k)
            if op in (0x30, 0x90) and src == 0:
                return 0                                    # division by X 0
            a = {0x00: lambda: a + src, 0x10: lambda: a - src, 0x20: lambda: a * src,
                 0x30: lambda: a // src, 0x40: lambda: a | src, 0x50: lambda: a & src,
                 0x60: lambda: a << (src & 31) if src < 32 else 0,
                 0x70: lambda: a >> src if src < 32 else 0, 0x80: lambda: -a,
                 0x90: lambda: a % src, 0xA0: lambda: a ^ src}[op]() & mask
        elif cls == BPF_JMP:
            if code == 0x05:
                pc += k
                continue
            src = x if code & 0x08 else k
            op = code & 0xF0
            taken = {0x10: a == src, 0x20: a > src, 0x30: a >= src,
                     0x40: bool(a & src)}[op]
            pc += jt if taken else jf
        elif cls == BPF_MISC:
            if code == 0x07:
                x = a
            else:
                a = x
    return 0


def grab_new_handle(tp) -> int:
    """cls_bpf_grab_new_handle(): the proto's generator moves on to a free handle."""
    for _ in range(0x7FFFFFFF):
        tp.hgen = tp.hgen + 1 if tp.hgen + 1 != 0x7FFFFFFF else 1
        if not any(p.handle == tp.hgen for p in tp.nodes):
            return tp.hgen
    return 0


def bpf_change(ns, tp, old: BpfProg | None, req) -> None:
    """cls_bpf_change(): a new program (or one replacing `old`), its parameters
    checked by cls_bpf_set_parms()."""
    if not req.options:
        raise KernelError(Errno.EINVAL)
    if old is not None and req.handle and old.handle != req.handle:
        raise KernelError(Errno.EINVAL)
    if not req.bpf_ops:
        raise KernelError(Errno.EINVAL)         # neither TCA_BPF_OPS nor TCA_BPF_FD
    if req.cls_flags & 3 == 3:
        raise KernelError(Errno.EINVAL)         # tc_flags_valid(): skip_hw and skip_sw
    if not check_classic(req.bpf_ops):
        raise KernelError(Errno.EINVAL)         # bpf_prog_create(): bpf_check_classic()
    if req.cls_flags & 2:
        # cls_bpf_offload(): skip_sw wants a device that runs it, which none here is
        raise KernelError(Errno.EOPNOTSUPP)
    actions = []
    if req.actions:
        from ipemu.kernel.act_mirred import tcf_action_init
        actions = tcf_action_init(ns, req.actions, ns.clock.now)
    handle = req.handle or (old.handle if old is not None else grab_new_handle(tp))
    prog = BpfProg(handle, tuple(req.bpf_ops), req.classid, actions, req.bpf_direct,
                   req.cls_flags)
    if old is not None:
        from ipemu.kernel.act_mirred import tcf_action_release
        tcf_action_release(ns, old.actions)
        tp.nodes[tp.nodes.index(old)] = prog
    else:
        tp.nodes.insert(0, prog)                # list_add_rcu(): at the head


def frame_data(frame) -> bytes:
    """The skb's data from its MAC header, a VLAN tag taken out (the tag rides in
    skb->vlan_tci, not in the data)."""
    data = frame.to_bytes()
    if frame.vlan_tci is not None:
        data = data[:12] + data[16:]
    return data


def bpf_classify(tp, frame, iif: int):
    """cls_bpf_classify(): the first program that matches gives (verdict, class id,
    actions); None when none does."""
    data = ancillary = None
    for prog in tp.nodes:
        if prog.gen_flags & 2:                  # tc_skip_sw()
            res = TC_ACT_UNSPEC if prog.direct else 0
        else:
            if data is None:
                data = frame_data(frame)
                # SKF_AD_PROTOCOL, SKF_AD_IFINDEX, SKF_AD_VLAN_TAG(_PRESENT)
                ancillary = {0: frame.ethertype, 8: iif,
                             44: (frame.vlan_tci or 0) & ~0x1000,
                             48: int(frame.vlan_tci is not None)}
            res = _signed32(run_classic(prog.ops, data, ancillary))
        if prog.direct:
            # cls_bpf_exec_opcode(): TC_ACT_OK, SHOT, STOLEN, TRAP, REDIRECT as
            # they are, anything else TC_ACT_UNSPEC (go on)
            verdict = res if res in (0, 2, 4, 7, 8) else TC_ACT_UNSPEC
            if verdict == TC_ACT_UNSPEC:
                continue
            return verdict, prog.classid & 0xFFFF0000, []
        if res == 0:
            continue
        classid = prog.classid if res == -1 else res & 0xFFFFFFFF
        return 0, classid, prog.actions
    return None
