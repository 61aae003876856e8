"""Zephyr (UDP ports 2103 and 2104, either way) as tcpdump 4.99.3's print-zephyr.c
prints it: the NUL-terminated header fields parsed by parse_field(), the notice's kind
and sender, then the class's own summary (locate, subscriptions, admin and control
opcodes) or `to <class,inst,recipient> op OPCODE`."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector
from ipemu.tcpdump.util import fn_print_char

Z_TYPES = {0: "unsafe", 1: "unacked", 2: "acked", 3: "hm-ack", 4: "hm-ctl", 5: "serv-ack",
           6: "serv-nak", 7: "client-ack", 8: "stat"}
Z_PACKET_SERVACK = 5
_SPACE = b" \t\n\v\f\r"


def _strtol16(s: bytes) -> int:
    """strtol(s, 0, 16) stored in an int (glibc: blanks, a sign, an optional 0x,
    saturation at LONG_MIN/LONG_MAX, then the int's low 32 bits)."""
    i = 0
    while i < len(s) and s[i] in _SPACE:
        i += 1
    neg = False
    if i < len(s) and s[i] in b"+-":
        neg = s[i] == 0x2D
        i += 1
    digits = "0123456789abcdefABCDEF"
    if s[i:i + 2] in (b"0x", b"0X") and i + 2 < len(s) and chr(s[i + 2]) in digits:
        i += 2
    v = 0
    while i < len(s) and chr(s[i]) in digits:
        v = v * 16 + int(chr(s[i]), 16)
        i += 1
    v = -v if neg else v
    v = max(-(1 << 63), min((1 << 63) - 1, v))
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


def _str(s: bytes) -> str:
    """fn_print_str()."""
    return "".join(fn_print_char(c) for c in s)


def _lower(s: bytes) -> bytes:
    """str_to_lower(): into the 256-byte z_buf."""
    return s[:255].lower()


def _triple(c: bytes, i: bytes, r: bytes) -> bytes:
    """z_triple(): snprintf() into the 256-byte z_buf."""
    return (b"<" + c + b"," + i + b"," + (r or b"*") + b">")[:255]


class _Parser:
    """parse_field() over the packet: None once the data ran out (`lose`)."""

    def __init__(self, d: Dissector, off: int, length: int) -> None:
        self.d, self.off, self.len = d, off, length
        self.lose = False

    def string(self) -> bytes | None:
        start = self.off
        while True:
            if self.len == 0:
                self.lose = True
                return None
            if self.d.u8(self.off) == 0:
                break
            self.off += 1
            self.len -= 1
        s = self.d.data[start:self.off]
        self.off += 1
        self.len -= 1
        return s

    def integer(self) -> int:
        s = self.string()
        return 0 if s is None else _strtol16(s)


def zephyr_print(d: Dissector, cp: int, length: int) -> None:
    d.protocol = "zephyr"
    z = _Parser(d, cp, length)
    version = z.string()
    if z.lose:
        d.p(" (invalid)")
        return
    if version[:4] != b"ZEPH":
        return
    z.integer()                         # numfields
    kind = z.integer()
    z.string()                          # uid
    z.integer(), z.integer(), z.integer()   # port, auth, authlen
    z.string()                          # authdata
    cls, inst, opcode, sender, recipient = (z.string() for _ in range(5))
    z.string()                          # format
    z.integer(), z.integer()            # cksum, multi
    z.string()                          # multi_uid
    if z.lose:
        d.p(" (invalid)")
        return
    d.p(" zephyr")
    if not version[4:].startswith(b"0.2"):
        d.p(" v" + _str(version[4:]))
        return
    d.p(" " + Z_TYPES.get(kind, f"type {kind}"))
    if kind == Z_PACKET_SERVACK:
        ackdata = z.string()
        if not z.lose and ackdata != b"SENT":
            d.p("/" + _str(_lower(ackdata)))
    if sender:
        d.p(" " + _str(sender))
    if cls == b"USER_LOCATE":
        if opcode == b"USER_HIDE":
            d.p(" hide")
        elif opcode == b"USER_UNHIDE":
            d.p(" unhide")
        else:
            d.p(" locate " + _str(inst))
        return
    if cls == b"ZEPHYR_ADMIN":
        d.p(" zephyr-admin " + _str(_lower(opcode)))
        return
    if cls == b"ZEPHYR_CTL":
        if inst == b"CLIENT":
            if opcode in (b"SUBSCRIBE", b"SUBSCRIBE_NODEFS", b"UNSUBSCRIBE"):
                d.p(f" {'' if opcode == b'SUBSCRIBE' else 'un'}sub"
                    f"{'-nodefs' if opcode == b'SUBSCRIBE_NODEFS' else ''}")
                if kind != Z_PACKET_SERVACK:
                    c, i, r = z.string(), z.string(), z.string()
                    if not z.lose:
                        d.p(" " + _str(_triple(c, i, r)))
                return
            named = {b"GIMME": " ret", b"GIMMEDEFS": " gimme-defs", b"CLEARSUB": " clear-subs"}
            d.p(named.get(opcode) or " " + _str(_lower(opcode)))
            return
        if inst == b"HM":
            d.p(" " + _str(_lower(opcode)))
            return
        if inst == b"REALM":
            d.p({b"ADD_SUBSCRIBE": " realm add-subs", b"REQ_SUBSCRIBE": " realm req-subs",
                 b"RLM_SUBSCRIBE": " realm rlm-sub",
                 b"RLM_UNSUBSCRIBE": " realm rlm-unsub"}.get(opcode, ""))
            return
    if cls in (b"HM_CTL", b"WG_CTL"):
        d.p(f" {cls.decode().lower()} " + _str(_lower(inst)) + " " + _str(_lower(opcode)))
        return
    if cls == b"HM_STAT" and inst == b"HMST_CLIENT" and opcode == b"GIMMESTATS":
        d.p(" get-client-stats")
        return
    if cls == b"LOGIN":
        if opcode == b"USER_FLUSH":
            d.p(" flush_locs")
            return
        if opcode in (b"NONE", b"OPSTAFF", b"REALM-VISIBLE", b"REALM-ANNOUNCED",
                      b"NET-VISIBLE", b"NET-ANNOUNCED"):
            d.p(" set-exposure " + _str(_lower(opcode)))
            return
    d.p(" to " + _str(_triple(cls, inst, recipient or b"*")))
    if opcode:
        d.p(" op " + _str(opcode))
