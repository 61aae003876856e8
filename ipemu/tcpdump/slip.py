"""SLIP captures as tcpdump 4.99.3's print-sl.c prints them: the 16-byte pseudo-header
(direction and the first byte of the VJ-compressed header), -e's direction and
compression type, Van Jacobson compressed TCP's changes, then the IP packet."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector

LINKTYPE_SLIP = 8
LINKTYPE_SLIP_BSDOS = 102
SLIP_HDRLEN = 16
# slcompress.h
TYPE_IP, TYPE_UNCOMPRESSED_TCP, TYPE_COMPRESSED_TCP = 0x40, 0x70, 0x80
NEW_C, NEW_I, NEW_S, NEW_A, NEW_W, NEW_U = 0x40, 0x20, 0x08, 0x04, 0x02, 0x01
SPECIAL_I, SPECIAL_D, SPECIALS_MASK = 0x0B, 0x0F, 0x0F


def sl_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "slip"
    d.need(0, SLIP_HDRLEN)
    d.ll_hdr_len += SLIP_HDRLEN
    length -= SLIP_HDRLEN
    ip = SLIP_HDRLEN
    if d.opts.eflag:
        _sliplink_print(d, 0, ip, length)
    version = d.u8(ip) >> 4
    if version == 4:
        d.ip_print(ip, length)
    elif version == 6:
        d.ip6_print(ip, length)
    else:
        d.p(f"ip v{version}")


def sl_bsdos_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "slip_bsdos"
    d.need(0, SLIP_HDRLEN)
    d.ll_hdr_len += SLIP_HDRLEN
    d.ip_print(SLIP_HDRLEN, length - SLIP_HDRLEN)


def _tcp_hlen(d: Dissector, ip: int) -> int:
    """IP_HL() plus TH_OFF(), in 32-bit words (ND_TCHECK_SIZE on each header)."""
    d.need(ip, 20)
    hlen = d.u8(ip) & 0x0F
    d.need(ip + 4 * hlen, 20)
    return hlen + (d.u8(ip + 4 * hlen + 12) >> 4)


def _sliplink_print(d: Dissector, p: int, ip: int, length: int) -> None:
    st = d.state
    direction = d.u8(p)
    if direction == 0:
        d.p("I ")
    elif direction == 1:
        d.p("O ")
    else:
        d.p(f"Invalid direction {direction} ")
        direction = -1
    chdr = d.u8(p + 1)
    kind = chdr & 0xF0
    if kind == TYPE_IP:
        d.p(f"ip {length + SLIP_HDRLEN}: ")
    elif kind == TYPE_UNCOMPRESSED_TCP:
        # the connection number sits in the IP protocol field of the header copy
        st.slip_lastconn = d.u8(p + 1 + 9)
        d.p(f"utcp {st.slip_lastconn}: ")
        if direction == -1:
            return
        hlen = _tcp_hlen(d, ip)
        st.slip_lastlen[(direction, st.slip_lastconn)] = (length - (hlen << 2)) & 0xFFFFFFFF
    else:
        if direction == -1:
            return
        if chdr & TYPE_COMPRESSED_TCP:
            _compressed_sl_print(d, p + 1, ip, length, direction)
            d.p(": ")
        else:
            d.p(f"slip-{chdr}!: ")


def _sl_change(d: Dissector, label: str, cp: int) -> int:
    """print_sl_change(): a one-byte change does not move cp (tcpdump's own quirk:
    the next change reads the same byte); a zero byte takes the two after it."""
    i = d.u8(cp)
    if i == 0:
        i = d.u16(cp + 1)
        cp += 3
    d.p(f" {label}{i}")
    return cp


def _sl_winchange(d: Dissector, cp: int) -> int:
    i = d.u8(cp)
    if i == 0:
        i = d.u16(cp + 1)
        i = i - 0x10000 if i & 0x8000 else i
        cp += 3
    d.p(f" W+{i}" if i >= 0 else f" W{i}")
    return cp


def _compressed_sl_print(d: Dissector, chdr: int, ip: int, length: int,
                         direction: int) -> None:
    st = d.state
    cp = chdr
    flags = d.u8(cp)
    cp += 1
    if flags & NEW_C:
        st.slip_lastconn = d.u8(cp)
        cp += 1
        d.p(f"ctcp {st.slip_lastconn}")
    else:
        d.p("ctcp *")
    cp += 2                 # the TCP checksum
    special = flags & SPECIALS_MASK
    if special == SPECIAL_I:
        d.p(f" *SA+{st.slip_lastlen.get((direction, st.slip_lastconn), 0)}")
    elif special == SPECIAL_D:
        d.p(f" *S+{st.slip_lastlen.get((direction, st.slip_lastconn), 0)}")
    else:
        if flags & NEW_U:
            cp = _sl_change(d, "U=", cp)
        if flags & NEW_W:
            cp = _sl_winchange(d, cp)
        if flags & NEW_A:
            cp = _sl_change(d, "A+", cp)
        if flags & NEW_S:
            cp = _sl_change(d, "S+", cp)
    if flags & NEW_I:
        cp = _sl_change(d, "I+", cp)
    hlen = _tcp_hlen(d, ip)
    last = (length - (hlen << 2)) & 0xFFFFFFFF
    st.slip_lastlen[(direction, st.slip_lastconn)] = last
    d.p(f" {last} ({cp - chdr})")
