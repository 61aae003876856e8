"""AODV (UDP port 654) as tcpdump 4.99.3's print-aodv.c prints it: route requests,
replies and errors over IPv4 and IPv6 (and IPv6 draft 01's types 16-19), route reply
acknowledgements and the hello extension. The request and reply flags are read from
the type byte, as print-aodv.c reads them."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, Truncated


def _rreq_flags(t: int) -> str:
    return (("[J]" if t & 0x80 else "") + ("[R]" if t & 0x40 else "")
            + ("[G]" if t & 0x20 else "") + ("[D]" if t & 0x10 else "")
            + ("[U] " if t & 0x08 else " "))


def _rrep_flags(t: int) -> str:
    return ("[R]" if t & 0x80 else "") + ("[A] " if t & 0x40 else " ")


def _extension(d: Dissector, ep: int, length: int) -> None:
    d.need(ep, 2)
    if d.u8(ep) == 1:
        d.need(ep, 6)
        if length < 6:
            raise Truncated()
        if d.u8(ep + 1) < 4:
            d.p(f"\n\text HELLO - bad length {d.u8(ep + 1)}")
            return
        d.p(f"\n\text HELLO {d.u32(ep + 2)} ms")
    else:
        d.p(f"\n\text {d.u8(ep)} {d.u8(ep + 1)}")


def _rreq(d: Dissector, dat: int, length: int, v6: bool, draft: bool, label: str) -> None:
    size = 48 if v6 else 24
    d.need(dat, size)
    if length < size:
        raise Truncated()
    addr = d.ip6addr_string if v6 else d.ipaddr_string
    if draft:
        da, ds, oa, os_ = dat + 16, dat + 8, dat + 32, dat + 12
    elif v6:
        da, ds, oa, os_ = dat + 8, dat + 24, dat + 28, dat + 44
    else:
        da, ds, oa, os_ = dat + 8, dat + 12, dat + 16, dat + 20
    d.p(f" {label} {length} {_rreq_flags(d.u8(dat))}hops {d.u8(dat + 3)} id 0x{d.u32(dat + 4):08x}\n"
        f"\tdst {addr(da)} seq {d.u32(ds)} src {addr(oa)} seq {d.u32(os_)}")
    if length - size >= 2:
        _extension(d, dat + size, length - size)


def _rrep(d: Dissector, dat: int, length: int, v6: bool, draft: bool) -> None:
    size = 44 if v6 else 20
    d.need(dat, size)
    if length < size:
        raise Truncated()
    addr = d.ip6addr_string if v6 else d.ipaddr_string
    if draft:
        da, ds, oa, life = dat + 8, dat + 4, dat + 24, dat + 40
    elif v6:
        da, ds, oa, life = dat + 4, dat + 20, dat + 24, dat + 40
    else:
        da, ds, oa, life = dat + 4, dat + 8, dat + 12, dat + 16
    d.p(f" rrep {length} {_rrep_flags(d.u8(dat))}prefix {d.u8(dat + 2) & 0x1F} "
        f"hops {d.u8(dat + 3)}\n"
        f"\tdst {addr(da)} dseq {d.u32(ds)} src {addr(oa)} {d.u32(life)} ms")
    if length - size >= 2:
        _extension(d, dat + size, length - size)


def _rerr(d: Dissector, dat: int, length: int, v6: bool) -> None:
    d.need(dat, 4)
    if length < 4:
        raise Truncated()
    dc = d.u8(dat + 3)
    d.p(f" rerr {'[D]' if d.u8(dat + 1) & 0x80 else ''} [items {dc}] [{length}]:")
    size = 20 if v6 else 8
    dp, i = dat + 4, length - 4
    for _ in range(dc):
        d.need(dp, size)
        if i < size:
            raise Truncated()
        if v6:
            d.p(f" {{{d.ip6addr_string(dp)}}}({d.u32(dp + 16)})")
        else:
            d.p(f" {{{d.ipaddr_string(dp)}}}({d.u32(dp + 4)})")
        dp += size
        i -= size


def aodv_print(d: Dissector, dat: int, length: int, is_ip6: bool) -> None:
    d.protocol = "aodv"
    msg_type = d.u8(dat)
    d.p(" aodv")
    try:
        if msg_type == 1:
            _rreq(d, dat, length, is_ip6, False, "v6 rreq" if is_ip6 else "rreq")
        elif msg_type == 2:
            _rrep(d, dat, length, is_ip6, False)
        elif msg_type == 3:
            _rerr(d, dat, length, is_ip6)
        elif msg_type in (4, 19):
            d.p(f" rrep-ack {length}")
        elif msg_type == 16:
            _rreq(d, dat, length, True, True, "rreq")
        elif msg_type == 17:
            _rrep(d, dat, length, True, True)
        elif msg_type == 18:
            _rerr(d, dat, length, True)
        else:
            d.p(f" type {msg_type} {length}")
    except Truncated:
        # the printers' own `goto trunc`: the packet's printing goes on after it
        d.nd_print_trunc()
