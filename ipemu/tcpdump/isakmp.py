"""ISAKMP/IKE as tcpdump 4.99.3 prints it (print-isakmp.c isakmp_print(), ikev1_print(),
ikev2_print(), isakmp_rfc3948_print()): the version, message id and cookies by -v
level, the phase, the initiator/responder guess from tcpdump's cookie cache (the first
packet's source is the initiator), the exchange type and flags, and under -v the
payloads (ikev1_sub_print(), ikev2_sub_print() and their npfunc[] printers), an
encrypted message's first payload only (tcpdump built without libcrypto)."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector

MAXINITIATORS = 20
NPSTR = ["none", "sa", "p", "t", "ke", "id", "cert", "cr", "hash", "sig", "nonce", "n", "d",
         "vid"] + [f"pay{i}" for i in range(14, 33)] + [
         "v2sa", "v2ke", "v2IDi", "v2IDr", "v2cert", "v2cr", "v2auth", "v2nonce", "v2n",
         "v2d", "v2vid", "v2TSi", "v2TSr", "v2e", "v2cp", "v2eap"]
ETYPESTR = {0: "none", 1: "base", 2: "ident", 3: "auth", 4: "agg", 5: "inf",
            32: "oakley-quick", 33: "oakley-newgroup", 34: "ikev2_init", 35: "ikev2_auth",
            36: "child_sa", 37: "inf2"}


def _npstr(np: int) -> str:
    return NPSTR[np] if np < len(NPSTR) else f"#{np}"


def _cookie_find(cache: list, cookie: bytes) -> int:
    """cookie_find(): the slot holding cookie; the static table's unused slots hold a
    zero cookie, so a zero cookie finds the first of them."""
    for i in range(MAXINITIATORS):
        if (cache[i][0] if i < len(cache) else bytes(8)) == cookie:
            return i
    return -1


def _ip_addrs(d: Dissector, iph: int) -> tuple[int, bytes, bytes] | None:
    version = d.u8(iph) >> 4
    if version == 4:
        return 4, d.bytes_(iph + 12, 4), d.bytes_(iph + 16, 4)
    if version == 6:
        return 6, d.bytes_(iph + 8, 16), d.bytes_(iph + 24, 16)
    return None


def _cookie_record(d: Dissector, cookie: bytes, iph: int) -> None:
    """cookie_record(): the initiator's cookie and addresses, in a ring of 20."""
    state = d.state
    i = _cookie_find(state.isakmp_cookies, cookie)
    if i >= 0:
        state.isakmp_next = (i + 1) % MAXINITIATORS
        return
    addrs = _ip_addrs(d, iph)
    if addrs is None:
        return
    entry = (cookie, *addrs)
    while len(state.isakmp_cookies) <= state.isakmp_next:   # unused slots up to it
        state.isakmp_cookies.append((bytes(8), 0, b"", b""))
    state.isakmp_cookies[state.isakmp_next] = entry
    state.isakmp_next = (state.isakmp_next + 1) % MAXINITIATORS


def _cookie_side(d: Dissector, i: int, iph: int, initiator: bool) -> bool:
    """cookie_sidecheck(): whether the packet's source is the cached initiator (or
    responder) of cookie i."""
    addrs = _ip_addrs(d, iph)
    if i >= len(d.state.isakmp_cookies):     # an unused slot: its version is 0
        return False
    entry = d.state.isakmp_cookies[i]
    if addrs is None or addrs[0] != entry[1]:
        return False
    return addrs[1] == (entry[2] if initiator else entry[3])


def isakmp_print(d: Dissector, bp: int, length: int, iph: int) -> bool:
    """isakmp_print(); False (nothing printed) for what ipemu has not ported."""
    d.protocol = "isakmp"
    if not d.ttest(bp, 28):
        d.nd_print_trunc()
        return True
    vers, flags = d.u8(bp + 17), d.u8(bp + 19)
    major = vers >> 4
    d.p("isakmp")
    if d.opts.vflag:
        d.p(f" {major}.{vers & 0x0F} msgid {d.bytes_(bp + 20, 4).hex()}")
    if d.opts.vflag > 1:
        d.p(f" cookie {d.bytes_(bp, 8).hex()}->{d.bytes_(bp + 8, 8).hex()}")
    d.p(":")
    phase = 1 if d.u32(bp + 20) == 0 else 2
    etype = d.u8(bp + 18)
    if major == 1:
        d.p(" phase 1" if phase == 1 else " phase 2/others")
        cookie = d.bytes_(bp, 8)
        i = _cookie_find(d.state.isakmp_cookies, cookie)
        if i < 0:
            if d.bytes_(bp + 8, 8) == bytes(8):
                d.p(" I")
                _cookie_record(d, cookie, iph)
            else:
                d.p(" ?")
        elif _cookie_side(d, i, iph, True):
            d.p(" I")
        elif _cookie_side(d, i, iph, False):
            d.p(" R")
        else:
            d.p(" ?")
        d.p(f" {ETYPESTR.get(etype, f'#{etype}')}")
        if flags:
            d.p(f"[{'E' if flags & 1 else ''}{'C' if flags & 2 else ''}]")
    elif major == 2:
        d.p(" parent_sa" if phase == 1 else " child_sa ")
        d.p(f" {ETYPESTR.get(etype, f'#{etype}')}")
        if flags:
            d.p(f"[{'I' if flags & 0x08 else ''}{'V' if flags & 0x10 else ''}"
                f"{'R' if flags & 0x20 else ''}]")
    else:
        return True
    if d.opts.vflag:
        np = d.u8(bp + 16)
        d.p(":")
        if flags & 1:
            d.p(f" [encrypted {_npstr(np)}]")
        elif d.snapend < bp + 28:                # CHECKLEN(p + 1, np)
            d.p(f" [|{_npstr(np)}]")
        else:
            from ipemu.tcpdump.isakmp_payloads import ikev1_sub_print, ikev2_sub_print
            sub = ikev1_sub_print if major == 1 else ikev2_sub_print
            sub(d, np, bp + 28, d.snapend, phase, 0, 0, 0)
        if d.u32(bp + 24) != length:
            d.p(f" (len mismatch: isakmp {d.u32(bp + 24)}/ip {length})")
    return True


def isakmp_rfc3948_print(d: Dissector, bp: int, length: int, iph: int) -> bool:
    """isakmp_rfc3948_print(): NAT-T keep-alives, IKE after a zero marker, ESP."""
    d.protocol = "isakmp_rfc3948"
    if length == 1 and d.u8(bp) == 0xFF:
        d.p("isakmp-nat-keep-alive")
        return True
    if length < 4:
        d.nd_print_trunc()
        return True
    if d.u32(bp) == 0:
        mark = len(d.out)
        d.p("NONESP-encap: ")
        if not isakmp_print(d, bp + 4, length - 4, iph):
            del d.out[mark:]
            return False
        return True
    from ipemu.tcpdump.ipsec import esp_print
    d.p("UDP-encap: ")
    esp_print(d, bp, length)
    return True
