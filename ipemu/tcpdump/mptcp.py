"""The MPTCP option of a TCP header as tcpdump 4.99.3 prints it (print-mptcp.c).

`mptcp_print` returns False where the C function returns 0: tcp_print() then ends the
options with `[bad opt]`. Reads past the captured end raise Truncated (GET_* macros).
"""
from __future__ import annotations


TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

TH_SYN = 0x02
TH_ACK = 0x10
MPTCP_SUB_FCLOSE = 7
# mptcp_addr_subecho_bits
ADD_ADDR_SUBECHO = {0x6: "v0-ip6", 0x4: "v0-ip4", 0x1: "v1-echo", 0x0: "v1"}


def _u64(d: Dissector, off: int) -> int:
    return int.from_bytes(d.bytes_(off, 8), "big")


def _capable(d: Dissector, opt: int, opt_len: int, flags: int) -> bool:
    """mp_capable_print()."""
    if not ((opt_len in (12, 4)) and flags & TH_SYN) and \
            not ((opt_len in (20, 22)) and (flags & (TH_SYN | TH_ACK)) == TH_ACK):
        return False
    version = d.u8(opt + 2) & 0xF
    if version > 1:
        d.p(f" Unknown Version ({version})")
        return True
    d.p(f" v{version}")
    if d.u8(opt + 3) & 0x80:
        d.p(" csum")
    if opt_len == 12 or opt_len >= 20:
        d.p(f" {{0x{_u64(d, opt + 4):x}")
        if opt_len >= 20:
            d.p(f",0x{_u64(d, opt + 12):x}")
        d.p("}")
    return True


def _join(d: Dissector, opt: int, opt_len: int, flags: int) -> bool:
    """mp_join_print()."""
    if not (opt_len == 12 and flags & TH_SYN) and \
            not (opt_len == 16 and (flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) and \
            not (opt_len == 24 and flags & TH_ACK):
        return False
    if opt_len != 24:
        if d.u8(opt + 2) & 0x01:
            d.p(" backup")
        d.p(f" id {d.u8(opt + 3)}")
    if opt_len == 12:
        d.p(f" token 0x{d.u32(opt + 4):x} nonce 0x{d.u32(opt + 8):x}")
    elif opt_len == 16:
        d.p(f" hmac 0x{_u64(d, opt + 4):x} nonce 0x{d.u32(opt + 12):x}")
    elif opt_len == 24:
        # the C code reads mac[] without a bounds check: the option is inside snapend
        d.p(" hmac 0x" + d.data[opt + 4:opt + 24].hex())
    return True


def _dss(d: Dissector, opt: int, opt_len: int, flags: int) -> bool:
    """mp_dss_print()."""
    if opt_len < 4 or flags & TH_SYN:
        return False
    mflags = d.u8(opt + 3)
    if mflags & 0x10:
        d.p(" fin")
    opt += 4
    opt_len -= 4
    if mflags & 0x01:
        d.p(" ack ")
        if mflags & 0x02:
            if opt_len < 8:
                return False
            d.p(f"{_u64(d, opt)}")
            opt, opt_len = opt + 8, opt_len - 8
        else:
            if opt_len < 4:
                return False
            d.p(f"{d.u32(opt)}")
            opt, opt_len = opt + 4, opt_len - 4
    if mflags & 0x04:
        d.p(" seq ")
        if mflags & 0x08:
            if opt_len < 8:
                return False
            d.p(f"{_u64(d, opt)}")
            opt, opt_len = opt + 8, opt_len - 8
        else:
            if opt_len < 4:
                return False
            d.p(f"{d.u32(opt)}")
            opt, opt_len = opt + 4, opt_len - 4
        if opt_len < 4:
            return False
        d.p(f" subseq {d.u32(opt)}")
        opt, opt_len = opt + 4, opt_len - 4
        if opt_len < 2:
            return False
        d.p(f" len {d.u16(opt)}")
        opt, opt_len = opt + 2, opt_len - 2
        if opt_len >= 2:
            d.p(f" csum 0x{d.u16(opt):x}")
            opt_len -= 2
    return opt_len == 0


def _add_addr(d: Dissector, opt: int, opt_len: int, flags: int) -> bool:
    """add_addr_print()."""
    if opt_len not in (8, 10, 16, 18, 20, 22, 28, 30):
        return False
    d.p(" " + ADD_ADDR_SUBECHO.get(d.u8(opt + 2) & 0xF, "[bad version/echo]"))
    d.p(f" id {d.u8(opt + 3)}")
    if opt_len in (8, 10, 16, 18):
        d.p(f" {d.ipaddr_string(opt + 4)}")
        if opt_len in (10, 18):
            d.p(f":{d.u16(opt + 8)}")
        if opt_len == 16:
            d.p(f" hmac 0x{_u64(d, opt + 8):x}")
        if opt_len == 18:
            d.p(f" hmac 0x{_u64(d, opt + 10):x}")
    else:
        d.p(f" {d.ip6addr_string(opt + 4)}")
        if opt_len in (22, 30):
            d.p(f":{d.u16(opt + 20)}")
        if opt_len == 28:
            d.p(f" hmac 0x{_u64(d, opt + 20):x}")
        if opt_len == 30:
            d.p(f" hmac 0x{_u64(d, opt + 22):x}")
    return True


def _remove_addr(d: Dissector, opt: int, opt_len: int, flags: int) -> bool:
    """remove_addr_print()."""
    if opt_len < 4:
        return False
    d.p(" id")
    for i in range(opt_len - 3):
        d.p(f" {d.u8(opt + 3 + i)}")
    return True


def _prio(d: Dissector, opt: int, opt_len: int, flags: int) -> bool:
    """mp_prio_print()."""
    if opt_len not in (3, 4):
        return False
    d.p(" backup" if d.u8(opt + 2) & 0x01 else " non-backup")
    if opt_len == 4:
        d.p(f" id {d.u8(opt + 3)}")
    return True


def _fail(d: Dissector, opt: int, opt_len: int, flags: int) -> bool:
    """mp_fail_print()."""
    if opt_len != 12:
        return False
    d.p(f" seq {_u64(d, opt + 4)}")
    return True


def _fast_close(d: Dissector, opt: int, opt_len: int, flags: int) -> bool:
    """mp_fast_close_print()."""
    if opt_len != 12:
        return False
    d.p(f" key 0x{_u64(d, opt + 4):x}")
    return True


def _unknown(d: Dissector, opt: int, opt_len: int, flags: int) -> bool:
    return True     # dummy_print()


MPTCP_OPTIONS = [("capable", _capable), ("join", _join), ("dss", _dss),
                 ("add-addr", _add_addr), ("rem-addr", _remove_addr), ("prio", _prio),
                 ("fail", _fail), ("fast-close", _fast_close), ("unknown", _unknown)]


def mptcp_print(d: Dissector, cp: int, length: int, flags: int) -> bool:
    """mptcp_print(): `cp` is the option's kind byte, `length` its length byte."""
    d.protocol = "mptcp"
    if length < 3:
        return False
    subtype = min((d.u8(cp + 2) >> 4) & 0xF, MPTCP_SUB_FCLOSE + 1)
    d.p(f" {length}")
    name, printer = MPTCP_OPTIONS[subtype]
    d.p(f" {name}")
    return printer(d, cp, length, flags)
