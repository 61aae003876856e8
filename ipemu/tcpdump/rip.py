"""RIP v1 and v2 as tcpdump 4.99.3 prints them (print-rip.c)."""
from __future__ import annotations

from ipemu.tcpdump.util import nd_printjnp, print_invalid, print_trunc

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

RIP_AUTHLEN = 16
RIP_ROUTELEN = 20
BSD_AFNUM_INET = 2
RIP_CMDS = {1: "Request", 2: "Response", 3: "Trace on", 4: "Trace off", 5: "Poll",
            6: "Poll Entry"}
BSD_AF = {2: "IPv4", 6: "NS", 7: "ISO", 16: "Appletalk", 23: "IPX", 24: "IPv6", 28: "IPv6",
          30: "IPv6"}


class _Trunc(Exception):
    """`goto trunc` in an entry printer: the entry reads as 0 bytes long."""


def mask2plen(mask: int) -> int:
    """mask2plen(): the prefix length of a contiguous mask, -1 for any other."""
    for plen in range(32, -1, -1):
        if ((0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF) == mask:
            return plen
    return -1


def _tcheck(d: Dissector, off: int, n: int) -> None:
    if not d.ttest(off, n):
        raise _Trunc()


def _entry_v1(d: Dissector, p: int, remaining: int) -> int:
    """rip_entry_print_v1()."""
    if remaining < RIP_ROUTELEN:
        return 0
    _tcheck(d, p, RIP_ROUTELEN)
    family = d.u16(p)
    if family not in (BSD_AFNUM_INET, 0):
        d.p(f"\n\t AFI {BSD_AF.get(family, f'Unknown ({family})')}, ")
        d.print_unknown_data(p + 4, "\n\t  ", RIP_ROUTELEN - 4)
        return RIP_ROUTELEN
    if d.u16(p + 2) or d.u32(p + 8) or d.u32(p + 12):
        d.print_unknown_data(p, "\n\t  ", RIP_ROUTELEN)
        return RIP_ROUTELEN
    prefix = "\n\t  AFI 0, " if family == 0 else "\n\t  "
    d.p(f"{prefix}{d.ipaddr_string(p + 4)}, metric: {d.u32(p + 16)}")
    return RIP_ROUTELEN


def _entry_v2(d: Dissector, p: int, remaining: int) -> int:
    """rip_entry_print_v2()."""
    if remaining < 4:
        return 0
    _tcheck(d, p, 4)
    family = d.u16(p)
    if family == 0xFFFF:
        auth_type = d.u16(p + 2)
        p += 4
        remaining -= 4
        if auth_type == 2:
            d.p("\n\t  Simple Text Authentication data: ")
            nd_printjnp(d, p, RIP_AUTHLEN)
        elif auth_type == 3:
            _tcheck(d, p, 16)
            if remaining < 16:
                return 0
            d.p(f"\n\t  Auth header: Packet Len {d.u16(p)}, Key-ID {d.u8(p + 2)}, "
                f"Auth Data Len {d.u8(p + 3)}, SeqNo {d.u32(p + 4)}, MBZ {d.u32(p + 8)}, "
                f"MBZ {d.u32(p + 12)}")
        elif auth_type == 1:
            d.p("\n\t  Auth trailer:")
            d.print_unknown_data(p, "\n\t  ", remaining)
            return 4 + remaining
        else:
            d.p(f"\n\t  Unknown ({auth_type}) Authentication data:")
            d.print_unknown_data(p, "\n\t  ", remaining)
            return 4 + remaining
    elif family not in (BSD_AFNUM_INET, 0):
        d.p(f"\n\t  AFI {BSD_AF.get(family, f'Unknown ({family})')}")
        d.print_unknown_data(p + 4, "\n\t  ", RIP_ROUTELEN - 4)
    else:
        _tcheck(d, p, RIP_ROUTELEN)
        if remaining < RIP_ROUTELEN:
            return 0
        d.p(f"\n\t  AFI {BSD_AF.get(family, str(family))}, {d.ipaddr_string(p + 4):>15}/"
            f"{mask2plen(d.u32(p + 8)):<2d}, tag 0x{d.u16(p + 2):04x}, "
            f"metric: {d.u32(p + 16)}, next-hop: ")
        d.p(d.ipaddr_string(p + 12) if d.u32(p + 12) else "self")
    return RIP_ROUTELEN


def rip_print(d: Dissector, dat: int, length: int) -> None:
    """rip_print()."""
    d.protocol = "rip"
    if d.snapend < dat:
        print_trunc(d)
        return
    avail = min(d.avail(dat), length)
    if avail < 4:
        print_trunc(d)
        return
    avail -= 4
    vflag = d.opts.vflag
    vers = d.u8(dat + 1)
    d.p(f"{chr(10) + chr(9) if vflag >= 1 else ''}RIPv{vers}")
    if vers == 0:
        d.print_unknown_data(dat, "\n\t", length)
        return
    cmd = d.u8(dat)
    d.p(f", {RIP_CMDS.get(cmd, f'unknown command ({cmd})')}, length: {length}")
    if vflag < 1:
        return
    if cmd in (1, 2):
        if vers in (1, 2):
            entry = _entry_v1 if vers == 1 else _entry_v2
            d.p(f", routes: {length // RIP_ROUTELEN}{' or less' if vers == 2 else ''}")
            p = dat + 4
            while avail:
                try:
                    size = entry(d, p, avail)
                except _Trunc:
                    size = 0
                if size == 0:
                    print_trunc(d)
                    break
                if avail < size:
                    d.p(f" [remaining entries length {avail} < {size}]")
                    print_invalid(d)
                    break
                p += size
                avail -= size
        else:
            d.p(", unknown version")
    elif cmd not in (4, 5, 6):
        if vflag <= 1 and not d.print_unknown_data(dat, "\n\t", length):
            return
    if vflag > 1:
        d.print_unknown_data(dat, "\n\t", length)


def _rip6_entry(d: Dissector, ni: int, print_metric: bool) -> None:
    """rip6_entry_print(): prefix/length, [tag], (metric)."""
    d.p(f"{d.ip6addr_string(ni)}/{d.u8(ni + 18)}")
    tag = d.u16(ni + 16)
    if tag:
        d.p(f" [{tag}]")
    metric = d.u8(ni + 19)
    if metric and print_metric:
        d.p(f" ({metric})")


def ripng_print(d: Dissector, dat: int, length: int) -> None:
    """ripng_print() (print-ripng.c): requests and responses with their entries."""
    d.protocol = "ripng"
    vers = d.u8(dat + 1)
    if vers != 1:
        d.p(f" [vers {vers}]")
        print_invalid(d)
        return
    cmd = d.u8(dat)
    if cmd not in (1, 2):
        d.p(f" ripng-{cmd} ?? {length}")
        print_invalid(d)
        return
    if length < 4:
        print_invalid(d)
        return
    left = length - 4
    count = left // 20
    if cmd == 1 and count == 1 and d.u8(dat + 4 + 19) == 16 \
            and d.bytes_(dat + 4, 16) == bytes(16):
        d.p(" ripng-req dump")
        return
    name = "req" if cmd == 1 else "resp"
    d.p(f" ripng-{name} {count}[{length}]:" if count * 20 != left else f" ripng-{name} {count}:")
    ni = dat + 4
    while left >= 20:
        d.p("\n\t" if d.opts.vflag > 1 else " ")
        _rip6_entry(d, ni, cmd == 2)
        left -= 20
        ni += 20
    if left:
        print_invalid(d)
