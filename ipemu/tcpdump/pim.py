"""PIM version 2 as tcpdump 4.99.3 prints it (print-pim.c pim_print(), pimv2_print()):
the type line without -v; with it the checksum check and each message's fields (hello
options, register flags and the packet inside, register-stop, join/prune, graft,
bootstrap, assert, candidate-RP, prune refresh, DF election); PIM version 1 inside
IGMP type 0x14 (pimv1_print(): query, register, register-stop, RP-reachable, assert,
join/prune and graft)."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, in_cksum, tok2str
from ipemu.tcpdump.util import print_invalid, unsigned_relts

TYPES = {0: "Hello", 1: "Register", 2: "Register Stop", 3: "Join / Prune", 4: "Bootstrap",
         5: "Assert", 6: "Graft", 7: "Graft Acknowledgement", 8: "Candidate RP Advertisement",
         9: "Prune Refresh", 10: "DF Election", 11: "ECMP Redirect"}
HELLO_OPTIONS = {1: "Hold Time", 2: "LAN Prune Delay", 18: "DR Priority (Old)",
                 19: "DR Priority", 20: "Generation ID", 21: "State Refresh Capability",
                 22: "Bi-Directional Capability", 24: "Address List",
                 65001: "Address List (Old)"}
REGISTER_FLAGS = {0x80000000: "Border", 0x40000000: "Null"}
DF_ELECTION = {1: "Offer", 2: "Winner", 3: "Backoff", 4: "Pass"}
UNICAST, GROUP, SOURCE = 0, 1, 2


class _Trunc(Exception):
    """pimv2_print()'s `goto trunc`."""


def pim_print(d: Dissector, bp: int, length: int, iph: int) -> None:
    """pim_print() for version 2 and others."""
    d.protocol = "pim"
    typever = d.u8(bp)
    version, kind = typever >> 4, typever & 0x0F
    if version != 2:
        d.p(f"PIMv{version}, length {length}")
    elif not d.opts.vflag:
        d.p(f"PIMv2, {TYPES.get(kind, 'Unknown Type')}, length {length}")
    else:
        d.p(f"PIMv2, length {length}\n\t{TYPES.get(kind, 'Unknown Type')}")
        try:
            _pimv2(d, bp, length, iph)
        except _Trunc:
            d.nd_print_trunc()


def _addr(d: Dissector, bp: int, length: int, at: int, addr_len: int) -> int:
    """pimv2_addr_print(): an encoded address's text; the bytes it took."""
    if addr_len == 0:
        if length < 2:
            raise _Trunc()
        family = d.u8(bp)
        if family not in (1, 2) or d.u8(bp + 1) != 0:
            raise _Trunc()
        addr_len, hdrlen = (4 if family == 1 else 16), 2
    elif addr_len in (4, 16):
        hdrlen = 0
    else:
        raise _Trunc()
    bp += hdrlen
    length -= hdrlen
    text = d.ipaddr_string if addr_len == 4 else d.ip6addr_string
    if at == UNICAST:
        if length < addr_len or not d.ttest(bp, addr_len):
            raise _Trunc()
        d.p(text(bp))
        return hdrlen + addr_len
    if length < addr_len + 2 or not d.ttest(bp, addr_len + 2):
        raise _Trunc()
    d.p(text(bp + 2))
    if d.u8(bp + 1) != addr_len * 8:
        d.p(f"/{d.u8(bp + 1)}")
    flags = d.u8(bp)
    if flags:
        if at == GROUP:
            d.p(f"(0x{flags:02x})")
        else:
            d.p("(" + ("S" if flags & 4 else "") + ("W" if flags & 2 else "")
                + ("R" if flags & 1 else ""))
            if flags & 0xF8:
                d.p(f"+0x{flags & 0xF8:02x}")
            d.p(")")
    return hdrlen + 2 + addr_len


def _cksum_status(d: Dissector, bp: int, iph: int, length: int) -> str:
    """pimv2_check_checksum()."""
    if not d.ttest(bp, length):
        return "unverified"
    version = d.u8(iph) >> 4
    if version == 4:
        bad = in_cksum(d.data[bp:bp + length])
    elif version == 6:
        bad = d.nextproto6_cksum(iph, bp, length, 103)
    else:
        return "unverified"
    return "incorrect" if bad else "correct"


def _pimv2(d: Dissector, bp: int, length: int, iph: int) -> None:
    """pimv2_print()."""
    d.protocol = "pimv2"
    if length < 2:
        d.p(f"[length {length} < 2]")
        print_invalid(d)
        return
    kind = d.u8(bp) & 0x0F
    addr_len = d.u8(bp + 1) & 0x0F
    if addr_len:
        d.p(", RFC2117-encoding")
    if length < 4:
        d.p(f"[length {length} < 4]")
        print_invalid(d)
        return
    cksum = d.u16(bp + 2)
    d.p(f", cksum 0x{cksum:04x} ")
    if cksum == 0:
        d.p("(unverified)")
    else:
        if kind == 1:
            status = _cksum_status(d, bp, iph, 8)
            if status == "incorrect":
                status = _cksum_status(d, bp, iph, length)
        else:
            status = _cksum_status(d, bp, iph, length)
        d.p(f"({status})")
    rsv = d.u8(bp + 1)
    bp += 4
    length -= 4
    if kind == 0:
        _hello(d, bp, length, addr_len)
    elif kind == 1:
        if length < 4 or not d.ttest(bp, 4):
            raise _Trunc()
        d.p(f", Flags [ {REGISTER_FLAGS.get(d.u32(bp), 'none')} ]\n\t")
        bp += 4
        length -= 4
        if length == 0:
            raise _Trunc()
        version = d.u8(bp) >> 4
        if version == 0:
            d.p(f"IP-Null-header {d.ipaddr_string(bp + 12)} > {d.ipaddr_string(bp + 16)}")
        elif version == 4:
            d.ip_print(bp, length)
        elif version == 6:
            d.ip6_print(bp, length)
        else:
            d.p(f"IP ver {version}")
    elif kind == 2:
        d.p(" group=")
        used = _addr(d, bp, length, GROUP, addr_len)
        d.p(" source=")
        _addr(d, bp + used, length - used, UNICAST, addr_len)
    elif kind in (3, 6, 7):
        _join_prune(d, bp, length, kind, addr_len)
    elif kind == 4:
        _bootstrap(d, bp, length, addr_len)
    elif kind == 5:
        d.p(" group=")
        used = _addr(d, bp, length, GROUP, addr_len)
        bp, length = bp + used, length - used
        d.p(" src=")
        used = _addr(d, bp, length, UNICAST, addr_len)
        bp, length = bp + used, length - used
        if length < 8 or not d.ttest(bp, 8):
            raise _Trunc()
        if d.u8(bp) & 0x80:
            d.p(" RPT")
        d.p(f" pref={d.u32(bp) & 0x7FFFFFFF} metric={d.u32(bp + 4)}")
    elif kind == 8:
        _candidate_rp(d, bp, length, addr_len)
    elif kind == 9:
        for label, at in ((" src=", UNICAST), (" grp=", GROUP), (" forwarder=", UNICAST)):
            d.p(label)
            used = _addr(d, bp, length, at, addr_len)
            bp, length = bp + used, length - used
        if length < 2:
            raise _Trunc()
        d.p(f" TUNR {unsigned_relts(d.u16(bp))}")
    elif kind == 10:
        _df_election(d, bp, length, rsv >> 4, addr_len)
    else:
        d.p(f" [type {kind}]")


def _hello(d: Dissector, bp: int, length: int, addr_len: int) -> None:
    while length > 0:
        if length < 4:
            raise _Trunc()
        otype, olen = d.u16(bp), d.u16(bp + 2)
        d.p(f"\n\t  {HELLO_OPTIONS.get(otype, 'Unknown')} Option ({otype}), length {olen}, "
            "Value: ")
        bp += 4
        length -= 4
        if length < olen or not d.ttest(bp, olen):
            raise _Trunc()
        if otype == 1:
            if olen != 2:
                d.p(f"[option length {olen} != 2]")
                print_invalid(d)
                return
            d.p(unsigned_relts(d.u16(bp)))
        elif otype == 2:
            if olen != 4:
                d.p(f"[option length {olen} != 4]")
                print_invalid(d)
                return
            delay = d.u16(bp)
            d.p(f"\n\t    T-bit={1 if delay & 0x8000 else 0}, LAN delay {delay & 0x7FFF}ms, "
                f"Override interval {d.u16(bp + 2)}ms")
        elif otype in (18, 19):
            if olen == 0:
                d.p("Bi-Directional Capability (Old)")
            elif olen == 4:
                d.p(str(d.u32(bp)))
            else:
                d.p(f"[option length {olen} != 4]")
                print_invalid(d)
                return
        elif otype == 20:
            if olen != 4:
                d.p(f"[option length {olen} != 4]")
                print_invalid(d)
                return
            d.p(f"0x{d.u32(bp):08x}")
        elif otype == 21:
            if olen != 4:
                d.p(f"[option length {olen} != 4]")
                print_invalid(d)
                return
            d.p(f"v{d.u8(bp)}")
            if d.u8(bp + 1):
                d.p(f", interval {unsigned_relts(d.u8(bp + 1))}")
            if d.u16(bp + 2):
                d.p(f" ?0x{d.u16(bp + 2):04x}?")
        elif otype == 22:
            pass
        elif otype in (24, 65001):
            if d.opts.vflag > 1:
                ptr, plen = bp, length
                while ptr < bp + olen:
                    d.p("\n\t    ")
                    used = _addr(d, ptr, plen, UNICAST, addr_len)
                    ptr += used
                    plen -= used
        elif d.opts.vflag <= 1:
            d.print_unknown_data(bp, "\n\t    ", olen)
        if d.opts.vflag > 1:
            d.print_unknown_data(bp, "\n\t    ", olen)
        bp += olen
        length -= olen


def _join_prune(d: Dissector, bp: int, length: int, kind: int, addr_len: int) -> None:
    if kind != 7:
        d.p(", upstream-neighbor: ")
        used = _addr(d, bp, length, UNICAST, addr_len)
        bp, length = bp + used, length - used
    if length < 4 or not d.ttest(bp, 4):
        raise _Trunc()
    ngroup, holdtime = d.u8(bp + 1), d.u16(bp + 2)
    d.p(f"\n\t  {ngroup} group(s)")
    if kind != 7:
        d.p(", holdtime: " + ("infinite" if holdtime == 0xFFFF else unsigned_relts(holdtime)))
    bp, length = bp + 4, length - 4
    for i in range(ngroup):
        d.p(f"\n\t    group #{i + 1}: ")
        used = _addr(d, bp, length, GROUP, addr_len)
        bp, length = bp + used, length - used
        if length < 4 or not d.ttest(bp, 4):
            raise _Trunc()
        njoin, nprune = d.u16(bp), d.u16(bp + 2)
        d.p(f", joined sources: {njoin}, pruned sources: {nprune}")
        bp, length = bp + 4, length - 4
        for label, count in (("joined", njoin), ("pruned", nprune)):
            for j in range(count):
                d.p(f"\n\t      {label} source #{j + 1}: ")
                used = _addr(d, bp, length, SOURCE, addr_len)
                bp, length = bp + used, length - used


def _bootstrap(d: Dissector, bp: int, length: int, addr_len: int) -> None:
    if length < 2:
        raise _Trunc()
    d.p(f" tag={d.u16(bp):x}")
    bp, length = bp + 2, length - 2
    if length < 1:
        raise _Trunc()
    d.p(f" hashmlen={d.u8(bp)}")
    if length < 2 or not d.ttest(bp + 2, 1):
        raise _Trunc()
    d.p(f" BSRprio={d.u8(bp + 1)}")
    bp, length = bp + 2, length - 2
    d.p(" BSR=")
    used = _addr(d, bp, length, UNICAST, addr_len)
    bp, length = bp + used, length - used
    i = 0
    while length > 0:
        d.p(f" (group{i}: ")
        used = _addr(d, bp, length, GROUP, addr_len)
        bp, length = bp + used, length - used
        if length < 1:
            raise _Trunc()
        d.p(f" RPcnt={d.u8(bp)}")
        if length < 2:
            raise _Trunc()
        frpcnt = d.u8(bp + 1)
        d.p(f" FRPcnt={frpcnt}")
        if length < 4:
            raise _Trunc()
        bp, length = bp + 4, length - 4
        j = 0
        while j < frpcnt and length > 0:
            d.p(f" RP{j}=")
            used = _addr(d, bp, length, UNICAST, addr_len)
            bp, length = bp + used, length - used
            if length < 2:
                raise _Trunc()
            d.p(f",holdtime={unsigned_relts(d.u16(bp))}")
            if length < 3:
                raise _Trunc()
            d.p(f",prio={d.u8(bp + 2)}")
            if length < 4:
                raise _Trunc()
            bp, length = bp + 4, length - 4
            j += 1
        d.p(")")
        i += 1


def _candidate_rp(d: Dissector, bp: int, length: int, addr_len: int) -> None:
    if length < 1:
        raise _Trunc()
    pfxcnt = d.u8(bp)
    d.p(f" prefix-cnt={pfxcnt}")
    if length < 2:
        raise _Trunc()
    d.p(f" prio={d.u8(bp + 1)}")
    if length < 4:
        raise _Trunc()
    d.p(f" holdtime={unsigned_relts(d.u16(bp + 2))}")
    bp, length = bp + 4, length - 4
    d.p(" RP=")
    used = _addr(d, bp, length, UNICAST, addr_len)
    bp, length = bp + used, length - used
    i = 0
    while i < pfxcnt and length > 0:
        d.p(f" Group{i}=")
        used = _addr(d, bp, length, GROUP, addr_len)
        bp, length = bp + used, length - used
        i += 1


def _df_election(d: Dissector, bp: int, length: int, subtype: int, addr_len: int) -> None:
    d.p(f"\n\t  {tok2str(DF_ELECTION, 'Unknown', subtype)},")
    d.p(" rpa=")
    used = _addr(d, bp, length, UNICAST, addr_len)
    bp, length = bp + used, length - used
    d.p(f" sender pref={d.u32(bp)} sender metric={d.u32(bp + 4)}")
    bp, length = bp + 8, length - 8
    if subtype in (3, 4):
        name = "offer" if subtype == 3 else "new winner"
        d.p(f"\n\t  {name} addr=")
        used = _addr(d, bp, length, UNICAST, addr_len)
        bp, length = bp + used, length - used
        d.p(f" {name} pref={d.u32(bp)} {name} metric={d.u32(bp + 4)}")
        bp += 8
        if subtype == 3:
            d.p(f" interval {d.u16(bp)}ms")


PIMV1_TYPES = {0: "Query", 1: "Register", 2: "Register-Stop", 3: "Join/Prune",
               4: "RP-reachable", 5: "Assert", 6: "Graft", 7: "Graft-ACK"}


def pimv1_print(d: Dissector, bp: int, length: int) -> None:
    """pimv1_print() (PIM version 1 inside IGMP type 0x14): the message type, its
    mode, groups and sources; a version other than 1 in the fifth byte as ` [vN]`."""
    from ipemu.tcpdump.util import print_trunc, unsigned_relts
    d.protocol = "pimv1"
    kind = d.u8(bp + 1)
    d.p(f" {PIMV1_TYPES.get(kind, f'[type {kind}]')}")
    if kind == 0:
        if d.ttest(bp + 8, 1):
            mode = d.u8(bp + 8) >> 4
            d.p({0: " Dense-mode", 1: " Sparse-mode", 2: " Sparse-Dense-mode"}.get(
                mode, f" mode-{mode}"))
        if d.opts.vflag:
            d.p(f" (Hold-time {unsigned_relts(d.u16(bp + 10))})")
    elif kind == 1:
        d.need(bp + 8, 20)
        d.p(f" for {d.ipaddr_string(bp + 20)} > {d.ipaddr_string(bp + 24)}")
    elif kind == 2:
        d.p(f" for {d.ipaddr_string(bp + 8)} > {d.ipaddr_string(bp + 12)}")
    elif kind == 4:
        if d.opts.vflag:
            d.p(f" group {d.ipaddr_string(bp + 8)}")
            if d.u32(bp + 12) != 0xFFFFFFFF:
                d.p(f"/{d.ipaddr_string(bp + 12)}")
            d.p(f" RP {d.ipaddr_string(bp + 16)} hold {unsigned_relts(d.u16(bp + 22))}")
    elif kind == 5:
        d.p(f" for {d.ipaddr_string(bp + 16)} > {d.ipaddr_string(bp + 8)}")
        if d.u32(bp + 12) != 0xFFFFFFFF:
            d.p(f"/{d.ipaddr_string(bp + 12)}")
        d.p(f" {'RP-tree' if d.u8(bp + 20) & 0x80 else 'SPT'} pref "
            f"{d.u32(bp + 20) & 0x7FFFFFFF} metric {d.u32(bp + 24)}")
    elif kind in (3, 6, 7):
        if d.opts.vflag:
            if length < 8:
                print_trunc(d)
                return
            if not _pimv1_join_prune(d, bp + 8, length - 8):
                print_trunc(d)
    if d.u8(bp + 4) >> 4 != 1:
        d.p(f" [v{d.u8(bp + 4) >> 4}]")


def _pimv1_join_prune(d: Dissector, bp: int, length: int) -> bool:
    """pimv1_join_prune_print(); False at its `goto trunc`."""
    from ipemu.tcpdump.util import unsigned_relts
    if d.ttest(bp, 30) and d.u8(bp + 11) == 1 and d.u16(bp + 20) + d.u16(bp + 22) == 1:
        njoin = d.u16(bp + 20)
        d.p(f" RPF {d.ipaddr_string(bp)} ")
        hold = d.u16(bp + 6)
        if hold != 180:
            d.p(f"Hold {unsigned_relts(hold)}")
        d.p(f"{'Join' if njoin else 'Prune'} ({d.ipaddr_string(bp + 26)}/"
            f"{d.u8(bp + 25) & 0x3F}, {d.ipaddr_string(bp + 12)}")
        if d.u32(bp + 16) != 0xFFFFFFFF:
            d.p(f"/{d.ipaddr_string(bp + 16)}")
        d.p(f") {'Sparse' if d.u8(bp + 24) & 1 else 'Dense'}"
            f"{' WC' if d.u8(bp + 25) & 0x80 else ''} "
            f"{'RP' if d.u8(bp + 25) & 0x40 else 'SPT'}")
        return True
    v2 = d.opts.vflag > 1
    if length < 4:
        return False
    d.p(("\n" if v2 else "") + f" Upstream Nbr: {d.ipaddr_string(bp)}")
    bp, length = bp + 4, length - 4
    if length < 4:
        return False
    d.p(("\n" if v2 else "") + f" Hold time: {unsigned_relts(d.u16(bp + 2))}")
    if not v2:
        return True
    bp, length = bp + 4, length - 4
    if length < 4:
        return False
    ngroups = d.u8(bp + 3)
    bp, length = bp + 4, length - 4
    while ngroups:
        if length < 4:
            return False
        d.p(f"\n\tGroup: {d.ipaddr_string(bp)}")
        bp, length = bp + 4, length - 4
        if length < 4:
            return False
        if d.u32(bp) != 0xFFFFFFFF:
            d.p(f"/{d.ipaddr_string(bp)}")
        bp, length = bp + 4, length - 4
        if length < 4:
            return False
        njoin, nprune = d.u16(bp), d.u16(bp + 2)
        d.p(f" joined: {njoin} pruned: {nprune}")
        bp, length = bp + 4, length - 4
        for njp in range(njoin + nprune):
            if length < 6:
                return False
            d.p(f"\n\t{'Join ' if njp < njoin else 'Prune'} "
                f"{'Sparse ' if d.u8(bp) & 1 else 'Dense '}"
                f"{'WC ' if d.u8(bp + 1) & 0x80 else ''}"
                f"{'RP ' if d.u8(bp + 1) & 0x40 else 'SPT '}"
                f"{d.ipaddr_string(bp + 2)}/{d.u8(bp + 1) & 0x3F}")
            bp, length = bp + 6, length - 6
        ngroups -= 1
    return True


def cisco_autorp_print(d: Dissector, bp: int, length: int) -> None:
    """cisco_autorp_print() (Cisco auto-RP on UDP 496): the message type and hold time,
    then each RP with its PIM versions and group ranges."""
    from ipemu.tcpdump.util import print_trunc
    d.protocol = "cisco_autorp"
    if length < 8:
        print_trunc(d)
        return
    kind = d.u8(bp)
    d.p(" auto-rp " + {0x11: "candidate-advert", 0x12: "mapping"}.get(kind, f"type-0x{kind:02x}"))
    numrps, hold = d.u8(bp + 1), d.u16(bp + 2)
    d.p(f" Hold {unsigned_relts(hold) if hold else 'FOREVER'}")
    bp, length = bp + 8, length - 8
    while numrps:
        if length < 4:
            print_trunc(d)
            return
        d.p(f" RP {d.ipaddr_string(bp)}")
        bp, length = bp + 4, length - 4
        if length < 1:
            print_trunc(d)
            return
        flags = d.u8(bp)
        d.p((" PIMv?", " PIMv1", " PIMv2", " PIMv1+2")[flags & 0x3])
        if flags & 0xFC:
            d.p(f" [rsvd=0x{flags & 0xFC:02x}]")
        bp, length = bp + 1, length - 1
        if length < 1:
            print_trunc(d)
            return
        nentries = d.u8(bp)
        bp, length = bp + 1, length - 1
        sep = " "
        while nentries:
            if length < 6:
                print_trunc(d)
                return
            first = d.u8(bp)
            d.p(f"{sep}{'!' if first & 1 else ''}{d.ipaddr_string(bp + 2)}/{d.u8(bp + 1)}")
            if first & 0x02:
                d.p(" bidir")
            if first & 0xFC:
                d.p(f"[rsvd=0x{first & 0xFC:02x}]")
            sep = ","
            bp, length = bp + 6, length - 6
            nentries -= 1
        numrps -= 1
