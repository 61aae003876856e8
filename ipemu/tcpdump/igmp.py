"""IGMP as tcpdump 4.99.3 prints it (print-igmp.c): queries v1/v2/v3, v1/v2/v3 reports,
leaves, mtrace; DVMRP and PIMv1 (carried in IGMP) print their name only."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, in_cksum
from ipemu.tcpdump.util import unsigned_relts

# igmpv3report2str[]
IGMPV3_REPORT_TYPES = {1: "is_in", 2: "is_ex", 3: "to_in", 4: "to_ex", 5: "allow", 6: "block"}


def _in_classd(addr: int) -> bool:
    return (addr & 0xF0000000) == 0xE0000000


def _print_mtrace(d: Dissector, typename: str, bp: int, length: int) -> None:
    """print_mtrace(): the tr_query after the 8-byte IGMP header."""
    if length < 8 + 16:
        d.p(f" [invalid len {length}]")
        return
    tr = bp + 8
    qid = int.from_bytes(d.bytes_(tr + 13, 3), "big")
    d.p(f"{typename} {qid}: {d.ipaddr_string(tr)} to {d.ipaddr_string(tr + 4)} "
        f"reply-to {d.ipaddr_string(tr + 8)}")
    if _in_classd(d.u32(tr + 8)):
        d.p(f" with-ttl {d.u8(tr + 12)}")


def _print_igmpv3_report(d: Dissector, bp: int, length: int) -> None:
    """print_igmpv3_report(): the number of group records; under -v each record, its
    sources counted (-v) or listed (-vv)."""
    if length < 16 or length & 3:
        d.p(f" [invalid len {length}]")
        return
    ngroups = d.u16(bp + 6)
    d.p(f", {ngroups} group record(s)")
    if not d.opts.vflag:
        return
    group = 8
    for _ in range(ngroups):
        if length < group + 8:
            d.p(" [invalid number of groups]")
            return
        d.p(f" [gaddr {d.ipaddr_string(bp + group + 4)}")
        rtype = d.u8(bp + group)
        d.p(" " + IGMPV3_REPORT_TYPES.get(rtype, f" [v3-report-#{rtype}]"))
        nsrcs = d.u16(bp + group + 2)
        if length < group + 8 + (nsrcs << 2):
            d.p(f" [invalid number of sources {nsrcs}]")
            return
        if d.opts.vflag == 1:
            d.p(f", {nsrcs} source(s)")
        else:
            d.p(" {")
            for j in range(nsrcs):
                d.p(" " + d.ipaddr_string(bp + group + 8 + (j << 2)))
            d.p(" }")
        group += 8 + (nsrcs << 2)
        d.p("]")


def _print_igmpv3_query(d: Dissector, bp: int, length: int) -> None:
    """print_igmpv3_query(): max resp time (unless the default 10 s), group, sources."""
    d.p(" v3")
    if length < 12 or length & 3:
        d.p(f" [invalid len {length}]")
        return
    mrc = d.u8(bp + 1)
    mrt = mrc if mrc < 128 else ((mrc & 0x0F) | 0x10) << (((mrc & 0x70) >> 4) + 3)
    if mrc != 100:
        d.p(" [max resp time ")
        d.p(f"{mrt * 0.1:.1f}s" if mrt < 600 else unsigned_relts(mrt // 10))
        d.p("]")
    if d.u32(bp + 4) == 0:
        return
    d.p(f" [gaddr {d.ipaddr_string(bp + 4)}")
    nsrcs = d.u16(bp + 10)
    if nsrcs > 0:
        if length < 12 + (nsrcs << 2):
            d.p(" [invalid number of sources]")
        elif d.opts.vflag > 1:
            d.p(" {")
            for i in range(nsrcs):
                d.p(" " + d.ipaddr_string(bp + 12 + (i << 2)))
            d.p(" }")
        else:
            d.p(f", {nsrcs} source(s)")
    d.p("]")


def igmp_print(d: Dissector, bp: int, length: int) -> None:
    """igmp_print(): the message by its type, then under -v a bad checksum's note."""
    d.protocol = "igmp"
    if d.opts.qflag:
        d.p("igmp")
        return
    kind = d.u8(bp)
    if kind == 0x11:
        d.p("igmp query")
        if length >= 12:
            _print_igmpv3_query(d, bp, length)
        else:
            mrt = d.u8(bp + 1)
            if mrt:
                d.p(" v2")
                if mrt != 100:
                    d.p(f" [max resp time {mrt}]")
            else:
                d.p(" v1")
            if d.u32(bp + 4):
                d.p(f" [gaddr {d.ipaddr_string(bp + 4)}]")
            if length != 8:
                d.p(f" [len {length}]")
    elif kind == 0x12:
        d.p(f"igmp v1 report {d.ipaddr_string(bp + 4)}")
        if length != 8:
            d.p(f" [len {length}]")
    elif kind == 0x16:
        d.p(f"igmp v2 report {d.ipaddr_string(bp + 4)}")
    elif kind == 0x22:
        d.p("igmp v3 report")
        _print_igmpv3_report(d, bp, length)
    elif kind == 0x17:
        d.p(f"igmp leave {d.ipaddr_string(bp + 4)}")
    elif kind == 0x13:
        d.p("igmp dvmrp")
        if length < 8:
            d.p(f" [len {length}]")
        else:
            from ipemu.tcpdump.dvmrp import dvmrp_print
            dvmrp_print(d, bp, length)
    elif kind == 0x14:
        d.p("igmp pimv1")
        from ipemu.tcpdump.pim import pimv1_print
        pimv1_print(d, bp, length)
    elif kind == 0x1E:
        _print_mtrace(d, "mresp", bp, length)
    elif kind == 0x1F:
        _print_mtrace(d, "mtrace", bp, length)
    else:
        d.p(f"igmp-{kind}")
    if d.opts.vflag and length >= 4 and d.ttest(bp, length):
        if in_cksum(d.data[bp:bp + length]):
            d.p(f" bad igmp cksum {d.u16(bp + 2):x}!")
