"""tcpdump -d / -dd / -ddd: the BPF program libpcap 1.10.3 compiles, as bpf_dump() prints it.

libpcap's gencode.c builds a block graph and optimize.c rewrites it (common loads and
tests merged, jumps threaded, identical blocks shared) before icode_to_fcode() lays it
out. The optimized programs of single primitives on Ethernet and on the Linux cooked
headers are laid out here by hand (each shape below was read off tcpdump 4.99.3 /
libpcap 1.10.3 for several operands), optionally negated (`not P` keeps the layout and
swaps the two returns); combinations of them go through bpfgen.py and bpfopt.py, the
ports of gencode's generator and of the optimizer. `program()` returns None for
anything else; the caller says so.
"""
from __future__ import annotations

import ipaddress
import re

# BPF opcodes (bpf.h): class | size | mode, class | op | src
LD_W_ABS, LD_H_ABS, LD_B_ABS, LD_W_LEN = 0x20, 0x28, 0x30, 0x80
LD_W_IND, LD_H_IND, LD_B_IND, LDX_B_MSH = 0x40, 0x48, 0x50, 0xB1
ALU_AND_K, JEQ, JGT, JGE, JSET, RET_K = 0x54, 0x15, 0x25, 0x35, 0x45, 0x06

ETHERTYPES = {"ip": 0x800, "ip6": 0x86DD, "arp": 0x806, "rarp": 0x8035}
IPV4_ONLY = {"icmp": 1, "igmp": 2}
BOTH = {"tcp": 6, "udp": 17, "sctp": 132}
PROTO_OFFSET = {"icmptype": 0, "icmpcode": 1, "tcpflags": 13}
_ACCEPT, _REJECT = "A", "R"


def _asm(items: list) -> list[tuple[int, int, int, int]]:
    """Labels resolved: items are ("L", name) or (code, k, jt, jf) with jt/jf labels
    ("next" is the following instruction); returns (code, jt, jf, k) with relative
    offsets, as struct bpf_insn holds them."""
    where: dict[str, int] = {}
    insns = []
    for item in items:
        if item[0] == "L":
            where[item[1]] = len(insns)
        else:
            insns.append(item)
    out = []
    for n, (code, k, jt, jf) in enumerate(insns):
        rel = [0 if t is None else (n + 1 if t == "next" else where[t]) - n - 1
               for t in (jt, jf)]
        out.append((code, rel[0], rel[1], k))
    return out


def _ends(snaplen: int, negate: bool) -> list:
    accept, reject = (0, snaplen) if negate else (snaplen, 0)
    return [("L", _ACCEPT), (RET_K, accept, None, None), ("L", _REJECT),
            (RET_K, reject, None, None)]


def _ip4_proto(proto: int) -> list:
    return [(LD_H_ABS, 12, None, None), (JEQ, 0x800, "next", _REJECT),
            (LD_B_ABS, 23, None, None), (JEQ, proto, _ACCEPT, _REJECT)]


def _ip6_proto(proto: int, fail: str = _REJECT) -> list:
    # gen_ip6proto(): the next header, or one fragment header (44) and the one after it
    return [(LD_B_ABS, 20, None, None), (JEQ, proto, _ACCEPT, "next"),
            (JEQ, 0x2C, "next", fail), (LD_B_ABS, 54, None, None),
            (JEQ, proto, _ACCEPT, fail)]


def _proto_both(proto: int) -> list:
    return [(LD_H_ABS, 12, None, None), (JEQ, 0x800, "next", "v6"),
            (LD_B_ABS, 23, None, None), (JEQ, proto, _ACCEPT, _REJECT),
            ("L", "v6"), (JEQ, 0x86DD, "next", _REJECT), *_ip6_proto(proto)]


def _addr_v4(value: int, mask: int, offsets: dict[str, tuple[int, ...]], kinds: list[str],
             ) -> list:
    """gen_host()/gen_net(): per link-layer protocol, its offsets' words (masked)."""
    items = [(LD_H_ABS, 12, None, None)]
    ethertype = {"ip": 0x800, "arp": 0x806, "rarp": 0x8035}
    if kinds == ["ip", "arp", "rarp"]:
        # the optimizer shares ARP's and RARP's address tests
        items += [(JEQ, 0x800, "next", "arp")]
        items += _words(value, mask, offsets["ip"])
        items += [("L", "arp"), (JEQ, 0x806, "arpbody", "next"),
                  (JEQ, 0x8035, "arpbody", _REJECT), ("L", "arpbody")]
        items += _words(value, mask, offsets["arp"])
        return items
    kind = kinds[0]
    items += [(JEQ, ethertype[kind], "next", _REJECT)]
    items += _words(value, mask, offsets["ip" if kind == "ip" else "arp"])
    return items


def _words(value: int, mask: int, offsets: tuple[int, ...]) -> list:
    items = []
    for n, off in enumerate(offsets):
        last = n == len(offsets) - 1
        items.append((LD_W_ABS, off, None, None))
        if mask != 0xFFFFFFFF:
            items.append((ALU_AND_K, mask, None, None))
        items.append((JEQ, value & mask, _ACCEPT, _REJECT if last else "next"))
    return items


def _ports(check: str, lo: int, hi: int, dirs: str, v6: bool) -> list:
    """gen_port()/gen_portrange() after the protocol checks: the source and/or
    destination port (IPv6 at a fixed offset, IPv4 past the header, unfragmented)."""
    offs = {"src": (0,), "dst": (2,), "both": (0, 2)}[dirs]
    base = 54 if v6 else 14
    load = LD_H_ABS if v6 else LD_H_IND
    items: list = []
    for n, off in enumerate(offs):
        last = n == len(offs) - 1
        fail = _REJECT if last else f"{check}{n + 1}"
        if n:
            items.append(("L", f"{check}{n}"))
        items.append((load, base + off, None, None))
        if lo == hi:
            items.append((JEQ, lo, _ACCEPT, fail))
        else:
            items += [(JGE, lo, "next", fail), (JGT, hi, fail, _ACCEPT)]
    return items


def _port_program(proto: int | None, lo: int, hi: int, dirs: str) -> list | None:
    protos = [proto] if proto is not None else [132, 6, 17]

    def checks(fail_to: str, good: str) -> list:
        out = []
        for n, p in enumerate(protos):
            last = n == len(protos) - 1
            out.append((JEQ, p, good, fail_to if last else "next"))
        return out

    if lo != hi and (dirs != "both"):
        return None       # not read off the real tool
    items = [(LD_H_ABS, 12, None, None), (JEQ, 0x86DD, "next", "v4"),
             (LD_B_ABS, 20, None, None), *checks(_REJECT, "p6"), ("L", "p6")]
    if lo == hi:
        items += _ports("s", lo, hi, dirs, True)
    else:
        # the optimizer shares the IPv4 destination port's upper test (the block the
        # IPv6 one would duplicate)
        items += [(LD_H_ABS, 54, None, None), (JGE, lo, "next", "d6"),
                  (JGT, hi, "d6", _ACCEPT), ("L", "d6"), (LD_H_ABS, 56, None, None),
                  (JGE, lo, "hi4", _REJECT)]
    items += [("L", "v4"), (JEQ, 0x800, "next", _REJECT), (LD_B_ABS, 23, None, None),
              *checks(_REJECT, "p4"), ("L", "p4"), (LD_H_ABS, 20, None, None),
              (JSET, 0x1FFF, _REJECT, "next"), (LDX_B_MSH, 14, None, None)]
    if lo == hi:
        items += _ports("t", lo, hi, dirs, False)
    else:
        items += [(LD_H_IND, 14, None, None), (JGE, lo, "next", "d4"),
                  (JGT, hi, "d4", _ACCEPT), ("L", "d4"), (LD_H_IND, 16, None, None),
                  (JGE, lo, "hi4", _REJECT), ("L", "hi4"), (JGT, hi, _REJECT, _ACCEPT)]
    return items


def _mac(text: str) -> int | None:
    parts = re.split(r"[:.-]", text)
    if len(parts) != 6 or not all(re.fullmatch(r"[0-9a-fA-F]{1,2}", p) for p in parts):
        return None
    return int.from_bytes(bytes(int(p, 16) for p in parts), "big")


def _ether(kind: str, mac: int) -> list:
    lo, hi = mac & 0xFFFFFFFF, mac >> 32
    src = [(LD_W_ABS, 8, None, None), (JEQ, lo, "next", "{f}"),
           (LD_H_ABS, 6, None, None), (JEQ, hi, _ACCEPT, "{f}")]
    dst = [(LD_W_ABS, 2, None, None), (JEQ, lo, "next", _REJECT),
           (LD_H_ABS, 0, None, None), (JEQ, hi, _ACCEPT, _REJECT)]

    def fill(items: list, fail: str) -> list:
        return [tuple(fail if x == "{f}" else x for x in i) for i in items]
    if kind == "src":
        return fill(src, _REJECT)
    if kind == "dst":
        return dst
    return fill(src, "dst") + [("L", "dst")] + dst


def _number(text: str) -> int | None:
    try:
        return int(text, 0)
    except ValueError:
        return None


def _primitive(text: str) -> list | None:
    """The optimized code of one primitive (None: not one ipemu knows)."""
    words = text.split()
    if text in ETHERTYPES:
        return [(LD_H_ABS, 12, None, None), (JEQ, ETHERTYPES[text], _ACCEPT, _REJECT)]
    if text in IPV4_ONLY:
        return _ip4_proto(IPV4_ONLY[text])
    if text == "icmp6":
        return [(LD_H_ABS, 12, None, None), (JEQ, 0x86DD, "next", _REJECT),
                *_ip6_proto(58)]
    if text in BOTH:
        return _proto_both(BOTH[text])
    if len(words) == 3 and words[1] == "proto" and words[0] in ("ip", "ip6", "ether"):
        value = _number(words[2])
        if value is None:
            return None
        if words[0] == "ip":
            return _ip4_proto(value) if value < 256 else None
        if words[0] == "ip6":
            return [(LD_H_ABS, 12, None, None), (JEQ, 0x86DD, "next", _REJECT),
                    *_ip6_proto(value)] if value < 256 else None
        return [(LD_H_ABS, 12, None, None), (JEQ, value, _ACCEPT, _REJECT)] \
            if 1500 < value < 65536 else None
    m = re.fullmatch(r"(?:(ip|arp|rarp) )?(?:(src|dst|src or dst) )?(?:host )?"
                     r"(\d+\.\d+\.\d+\.\d+)", text)
    if m and (m.group(2) or "host" in words or len(words) == 1 or m.group(1)):
        return _v4(m.group(1), m.group(2), m.group(3), "32")
    m = re.fullmatch(r"(?:(ip|arp|rarp) )?(?:(src|dst|src or dst) )?net "
                     r"(\d+\.\d+\.\d+\.\d+)(?:/(\d+)| mask (\d+\.\d+\.\d+\.\d+))", text)
    if m:
        return _v4(m.group(1), m.group(2), m.group(3), m.group(4) or m.group(5))
    m = re.fullmatch(r"(?:ip6 )?host ([0-9a-fA-F:]*:[0-9a-fA-F:.]*)", text)
    if m:
        try:
            addr = int(ipaddress.IPv6Address(m.group(1)))
        except ValueError:
            return None
        words6 = [(addr >> (96 - 32 * n)) & 0xFFFFFFFF for n in range(4)]
        items = [(LD_H_ABS, 12, None, None), (JEQ, 0x86DD, "next", _REJECT)]
        for side, base in (("s", 22), ("d", 38)):
            if side == "d":
                items.append(("L", "dst"))
            for n, w in enumerate(words6):
                fail = "dst" if side == "s" else _REJECT
                items += [(LD_W_ABS, base + 4 * n, None, None),
                          (JEQ, w, _ACCEPT if n == 3 else "next", fail)]
        return items
    m = re.fullmatch(r"(?:(tcp|udp|sctp) )?(?:(src|dst|src or dst) )?port (\S+)", text)
    if m:
        port, proto = _port_value(m.group(3), m.group(1))
        if port is None:
            return None
        dirs = {"src": "src", "dst": "dst"}.get(m.group(2) or "", "both")
        return _port_program(proto, port, port, dirs)
    m = re.fullmatch(r"(?:(tcp|udp|sctp) )?portrange (\d+)-(\d+)", text)
    if m:
        lo, hi = int(m.group(2)), int(m.group(3))
        if not 0 <= lo < hi <= 65535:
            return None
        return _port_program(BOTH.get(m.group(1) or ""), lo, hi, "both")
    m = re.fullmatch(r"ether (src|dst|host) (\S+)", text)
    if m:
        mac = _mac(m.group(2))
        return None if mac is None else _ether(m.group(1), mac)
    if text in ("broadcast", "ether broadcast"):
        return _ether("dst", 0xFFFFFFFFFFFF)
    if text in ("multicast", "ether multicast"):
        return [(LD_B_ABS, 0, None, None), (JSET, 1, _ACCEPT, _REJECT)]
    if text == "ip multicast":
        return [(LD_H_ABS, 12, None, None), (JEQ, 0x800, "next", _REJECT),
                (LD_B_ABS, 30, None, None), (JGE, 0xE0, _ACCEPT, _REJECT)]
    if text == "ip6 multicast":
        return [(LD_H_ABS, 12, None, None), (JEQ, 0x86DD, "next", _REJECT),
                (LD_B_ABS, 38, None, None), (JEQ, 0xFF, _ACCEPT, _REJECT)]
    m = re.fullmatch(r"(greater|less|len ?>=|len ?>) ?(\d+)", text)
    if m:
        op = m.group(1).replace(" ", "")
        n = int(m.group(2))
        if op == "less":
            # gen_less(): the negation of len > N (its returns swapped, as `not`'s)
            return [(LD_W_LEN, 0, None, None), (JGT, n, _ACCEPT, _REJECT), "negated"]
        return [(LD_W_LEN, 0, None, None),
                (JGE if op in ("greater", "len>=") else JGT, n, _ACCEPT, _REJECT)]
    m = re.fullmatch(r"(icmp|tcp|udp|ip)\[([\w-]+)(?::([124]))?\] ?(==|=) ?([\w-]+)"
                     r"|(icmp|tcp|udp|ip)\[([\w-]+)(?::([124]))?\] ?& ?([\w-]+) ?!= ?0",
                     text)
    if m:
        return _proto_byte(*m.groups())
    return None


def _v4(kind: str | None, dirs: str | None, addr: str, mask_text: str) -> list | None:
    try:
        value = int(ipaddress.IPv4Address(addr))
        if "." in mask_text:
            mask = int(ipaddress.IPv4Address(mask_text))
        else:
            bits = int(mask_text)
            if not 0 < bits <= 32:
                return None
            mask = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF
    except ValueError:
        return None
    if value & ~mask & 0xFFFFFFFF or mask == 0:
        return None
    which = {"src": ((26,), (28,)), "dst": ((30,), (38,))}.get(dirs or "",
                                                               ((26, 30), (28, 38)))
    offsets = {"ip": which[0], "arp": which[1]}
    kinds = [kind] if kind else ["ip", "arp", "rarp"]
    return _addr_v4(value, mask, offsets, kinds)


def _port_value(text: str, proto_word: str | None) -> tuple[int | None, int | None]:
    proto = BOTH.get(proto_word or "")
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


def _proto_byte(proto, field, size, op, value, proto2, field2, size2, mask) -> list | None:
    """gen_load() of proto[off(:size)] compared (==) or masked (& M != 0): IPv4's
    transport header past a variable IP header, unfragmented packets only."""
    from ipemu.tcpdump.filter import NAMED_NUMBERS
    jset = proto is None
    proto, field, size = (proto2, field2, size2) if jset else (proto, field, size)

    def num(text: str) -> int | None:
        return NAMED_NUMBERS.get(text, _number(text))
    off = PROTO_OFFSET.get(field, _number(field))
    k = num(mask if jset else value)
    width = int(size or 1)
    if off is None or k is None or off > 255 or not 0 <= k < 1 << (8 * width):
        return None
    test = (JSET if jset else JEQ, k, _ACCEPT, _REJECT)
    if proto == "ip":
        load = {1: LD_B_ABS, 2: LD_H_ABS, 4: LD_W_ABS}[width]
        return [(LD_H_ABS, 12, None, None), (JEQ, 0x800, "next", _REJECT),
                (load, 14 + off, None, None), test]
    load = {1: LD_B_IND, 2: LD_H_IND, 4: LD_W_IND}[width]
    number = {"icmp": 1, "tcp": 6, "udp": 17}[proto]
    return [*_ip4_proto(number)[:3], (JEQ, number, "next", _REJECT),
            (LD_H_ABS, 20, None, None), (JSET, 0x1FFF, _REJECT, "next"),
            (LDX_B_MSH, 14, None, None), (load, 14 + off, None, None), test]


# the link types whose programs are Ethernet's moved: (off_linktype, off_nl) of
# init_linktype(): Ethernet's type at 12 and IP at 14; cooked v1's at 14 and 16,
# cooked v2's at 0 and 20
LINK_OFFSETS = {1: (12, 14), 113: (14, 16), 276: (0, 20)}


def _moved(items: list, linktype: int) -> list | None:
    """Ethernet's code for another link type: the type field and the network layer at
    that link type's offsets (None for code that reads the MAC header itself)."""
    off_type, off_nl = LINK_OFFSETS[linktype]
    out = []
    for item in items:
        if item == "negated" or item[0] == "L":
            out.append(item)
            continue
        code, k, jt, jf = item
        if code in (LD_W_ABS, LD_H_ABS, LD_B_ABS):
            if code == LD_H_ABS and k == 12:
                k = off_type
            elif k >= 14:
                k += off_nl - 14
            else:
                return None
        elif code in (LDX_B_MSH, LD_W_IND, LD_H_IND, LD_B_IND):
            k += off_nl - 14
        out.append((code, k, jt, jf))
    return out


def program(expression: str, snaplen: int, linktype: int = 1,
            ) -> list[tuple[int, int, int, int]] | None:
    """The program tcpdump -d shows for `expression` on `linktype`, or None."""
    text = " ".join(expression.split())
    if not text:
        return [(RET_K, 0, 0, snaplen)]
    negate = False
    m = re.fullmatch(r"(?:not |! ?)(.*)", text)
    if m:
        negate, text = True, m.group(1)
    body = _primitive(text)
    if body is not None and linktype in LINK_OFFSETS and linktype != 1:
        body = _moved(body, linktype)
    if body is None or linktype not in LINK_OFFSETS:
        # combined primitives: libpcap's gencode and optimizer (CompileError when it
        # rejects every packet)
        from ipemu.tcpdump import bpfgen
        return bpfgen.compile(expression, snaplen, linktype)
    if body[-1] == "negated":
        body, negate = body[:-1], not negate
    return _asm(body + _ends(snaplen, negate))


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


def image(insn: tuple[int, int, int, int], n: int) -> str:
    """bpf_image(): `(%03d) %-8s %-16s jt %d\tjf %d` for a conditional jump, else
    `(%03d) %-8s %s` (an empty operand leaves the padding and a blank)."""
    code, jt, jf, k = insn
    op, fmt = _OPS.get(code, ("unimp", f"0x{code:x}"))
    operand = fmt.format(d=_signed(k), x=f"{k:x}", ja=n + 1 + k)
    if code & 0x07 == 0x05 and code & 0xF0 != 0:
        return f"({n:03d}) {op:<8} {operand:<16} jt {n + 1 + jt}\tjf {n + 1 + jf}"
    return f"({n:03d}) {op:<8} {operand}"
