"""tcpdump -d / -dd / -ddd: the BPF program libpcap 1.10.3 compiles, as bpf_dump() prints it.

The program comes from bpfgen.py (gencode.c's generator and grammar.y's expressions,
for the primitives tutorials use and their combinations) and bpfopt.py (optimize.c and
icode_to_fcode()); this module prints it: bpf_image() for -d, C initializers for -dd,
decimal numbers for -ddd. `program()` returns None for a filter the generator does not
make; the caller says so.
"""
from __future__ import annotations

RET_K = 0x06


def program(expression: str, snaplen: int, linktype: int = 1, live: bool = True,
            optimize: bool = True, hosts=None,
            savefile: bool | None = None) -> list[tuple[int, int, int, int]] | None:
    """The program tcpdump -d shows for `expression` on `linktype` (`live`: a capture
    device's, whose VLAN tests read the kernel's metadata; else a savefile's), or None.
    Raises bpfopt.CompileError for what libpcap refuses (`expression rejects all
    packets`); `optimize` False (-O) lays out the generated code as it is; `hosts`
    answers host names (name -> addresses); `savefile` (default: not `live`) a file's
    program, where inbound/outbound and ifindex are refused."""
    if not expression.split():
        return [(RET_K, 0, 0, snaplen)]         # no filter: accept the snapshot
    from ipemu.tcpdump import bpfgen
    return bpfgen.compile(expression, snaplen, linktype, live, optimize, hosts, savefile)


def dump(insns: list[tuple[int, int, int, int]], level: int) -> str:
    """bpf_dump(): -d the images, -dd C initializers, -ddd decimal numbers."""
    if level >= 3:
        return f"{len(insns)}\n" + "".join(f"{c} {jt} {jf} {k}\n" for c, jt, jf, k in insns)
    if level == 2:
        return "".join(f"{{ 0x{c:x}, {jt}, {jf}, 0x{k:08x} }},\n" for c, jt, jf, k in insns)
    return "".join(image(insn, n) + "\n" for n, insn in enumerate(insns))


def _signed(k: int) -> int:
    return k - (1 << 32) if k & 0x80000000 else k


# bpf_image(): mnemonic and operand of every opcode libpcap generates ("%d" operands
# are the signed value, "%x" ones unsigned)
_OPS = {0x06: ("ret", "#{d}"), 0x16: ("ret", ""), 0x20: ("ld", "[{d}]"),
        0x28: ("ldh", "[{d}]"), 0x30: ("ldb", "[{d}]"), 0x80: ("ld", "#pktlen"),
        0x40: ("ld", "[x + {d}]"), 0x48: ("ldh", "[x + {d}]"), 0x50: ("ldb", "[x + {d}]"),
        0x00: ("ld", "#0x{x}"), 0x01: ("ldx", "#0x{x}"), 0xB1: ("ldxb", "4*([{d}]&0xf)"),
        0x60: ("ld", "M[{d}]"), 0x61: ("ldx", "M[{d}]"), 0x02: ("st", "M[{d}]"),
        0x03: ("stx", "M[{d}]"), 0x05: ("ja", "{ja}"),
        0x25: ("jgt", "#0x{x}"), 0x35: ("jge", "#0x{x}"), 0x15: ("jeq", "#0x{x}"),
        0x45: ("jset", "#0x{x}"), 0x2D: ("jgt", "x"), 0x3D: ("jge", "x"), 0x1D: ("jeq", "x"),
        0x4D: ("jset", "x"), 0x0C: ("add", "x"), 0x1C: ("sub", "x"), 0x2C: ("mul", "x"),
        0x3C: ("div", "x"), 0x9C: ("mod", "x"), 0x5C: ("and", "x"), 0x4C: ("or", "x"),
        0xAC: ("xor", "x"), 0x6C: ("lsh", "x"), 0x7C: ("rsh", "x"), 0x04: ("add", "#{d}"),
        0x14: ("sub", "#{d}"), 0x24: ("mul", "#{d}"), 0x34: ("div", "#{d}"),
        0x94: ("mod", "#{d}"), 0x54: ("and", "#0x{x}"), 0x44: ("or", "#0x{x}"),
        0xA4: ("xor", "#0x{x}"), 0x64: ("lsh", "#{d}"), 0x74: ("rsh", "#{d}"),
        0x84: ("neg", ""), 0x07: ("tax", ""), 0x87: ("txa", "")}


# bpf_print_abs_load_operand(): Linux's ancillary offsets (SKF_AD_OFF + n) by name
SKF_AD_OFF = 0xFFFFF000
SKF_NAMES = {0: "proto", 4: "type", 8: "ifidx", 12: "nla", 16: "nlan", 20: "mark",
             24: "queue", 28: "hatype", 32: "rxhash", 36: "cpu", 40: "xor_x",
             44: "vlan_tci", 48: "vlanp", 52: "poff", 56: "random", 60: "vlan_tpid"}


def image(insn: tuple[int, int, int, int], n: int) -> str:
    """bpf_image(): `(%03d) %-8s %-16s jt %d\tjf %d` for a conditional jump, else
    `(%03d) %-8s %s` (an empty operand leaves the padding and a blank)."""
    code, jt, jf, k = insn
    op, fmt = _OPS.get(code, ("unimp", f"0x{code:x}"))
    operand = fmt.format(d=_signed(k), x=f"{k:x}", ja=_signed((n + 1 + k) & 0xFFFFFFFF))
    if code in (0x20, 0x28, 0x30) and k - SKF_AD_OFF in SKF_NAMES:
        operand = f"[{SKF_NAMES[k - SKF_AD_OFF]}]"
    if code & 0x07 == 0x05 and code & 0xF0 != 0:
        return f"({n:03d}) {op:<8} {operand:<16} jt {n + 1 + jt}\tjf {n + 1 + jf}"
    return f"({n:03d}) {op:<8} {operand}"
