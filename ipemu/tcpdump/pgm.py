"""PGM (IP protocol 113, RFC 3208; -T pgm and -T pgm_zmtp1 over UDP) as tcpdump 4.99.3's
print-pgm.c prints it, and ZeroMQ's ZMTP/1.0 (-T zmtp1 over TCP, and inside PGM data
under -T pgm_zmtp1) as print-zeromq.c prints it. tcpdump's own quirks are kept: a NAK's
group address is read from where its AFI sits, options whose length is skipped step
two bytes too far."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, Truncated, ip6addr_string_raw
from ipemu.tcpdump.hexdump import hex_and_ascii_print

AFNUM_INET, AFNUM_INET6 = 1, 2


class _Stop(Exception):
    """pgm_print()'s plain `return` after a bad option."""


def _nla(d: Dissector, bp: int, afi: int) -> tuple[str, int]:
    """addrtostr()/addrtostr6() of the address at bp; any other AFI is `goto trunc`."""
    if afi == AFNUM_INET:
        d.need(bp, 4)
        return ".".join(str(b) for b in d.data[bp:bp + 4]), bp + 4
    if afi == AFNUM_INET6:
        d.need(bp, 16)
        return ip6addr_string_raw(d.data[bp:bp + 16]), bp + 16
    raise Truncated()


def pgm_print(d: Dissector, bp: int, length: int, iph: int) -> None:
    d.protocol = "pgm"
    v6 = d.u8(iph) >> 4 == 6
    if not d.ttest(bp + 2, 2):
        if v6:
            d.p(f"{d.ip6addr_string(iph + 8)} > {d.ip6addr_string(iph + 24)}:")
        else:
            d.p(f"{d.ipaddr_string(iph + 12)} > {d.ipaddr_string(iph + 16)}:")
        d.nd_print_trunc()
        return
    sport = d.tcpport_string(d.u16(bp))
    dport = d.tcpport_string(d.u16(bp + 2))
    if v6:
        if d.u8(iph + 6) == 113:
            d.p(f"{d.ip6addr_string(iph + 8)}.{sport} > {d.ip6addr_string(iph + 24)}.{dport}: ")
        else:
            d.p(f"{sport} > {dport}: ")
    elif d.u8(iph + 9) == 113:
        d.p(f"{d.ipaddr_string(iph + 12)}.{sport} > {d.ipaddr_string(iph + 16)}.{dport}: ")
    else:
        d.p(f"{sport} > {dport}: ")
    try:
        _pgm_body(d, bp, length)
    except _Stop:
        pass
    except Truncated:
        d.nd_print_trunc()


def _pgm_body(d: Dissector, pgm: int, length: int) -> None:
    d.need(pgm, 16)
    d.p(f"PGM, length {d.u16(pgm + 14)}")
    if not d.opts.vflag:
        return
    ptype = d.u8(pgm + 4)
    d.p(" 0x" + d.data[pgm + 8:pgm + 14].hex() + " ")
    body = pgm + 16
    bp = pgm        # (SPMR and unknown types leave it at the header: options read there)
    if ptype == 0:
        d.need(body, 16)
        nla, bp = _nla(d, body + 16, d.u16(body + 12))
        d.p(f"SPM seq {d.u32(body)} trail {d.u32(body + 4)} lead {d.u32(body + 8)} nla {nla}")
    elif ptype == 1:
        d.need(body, 12)
        nla, bp = _nla(d, body + 12, d.u16(body + 8))
        ivl, rnd, mask = d.u32(bp), d.u32(bp + 4), d.u32(bp + 8)
        bp += 12
        d.p(f"POLL seq {d.u32(body)} round {d.u16(body + 4)} nla {nla} ivl {ivl} "
            f"rnd 0x{rnd:08x} mask 0x{mask:08x}")
    elif ptype == 2:
        d.need(body, 8)
        d.p(f"POLR seq {d.u32(body)} round {d.u16(body + 4)}")
        bp = body + 8
    elif ptype in (4, 5):
        d.need(body, 8)
        d.p(f"{'ODATA' if ptype == 4 else 'RDATA'} trail {d.u32(body + 4)} seq {d.u32(body)}")
        bp = body + 8
    elif ptype in (8, 9, 10):
        d.need(body, 8)
        source, bp = _nla(d, body + 8, d.u16(body + 4))
        bp += 4
        # (tcpdump reads the group's AFI where its address starts)
        group, bp = _nla(d, bp, d.u16(bp))
        d.p({8: "NAK ", 9: "NNAK ", 10: "NCF "}[ptype])
        d.p(f"({source} -> {group}), seq {d.u32(body)}")
    elif ptype == 11:
        d.need(body, 8)
        d.p(f"ACK seq {d.u32(body)}")
        bp = body + 8
    elif ptype == 12:
        d.p("SPMR")
    else:
        d.p(f"UNKNOWN type 0x{ptype:02x}")
    if d.u8(pgm + 5) & 0x01:
        bp = _options(d, bp)
    d.p(f" [{length}]")
    if d.opts.packettype == "pgm_zmtp1" and ptype in (4, 5):
        zmtp1_datagram_print(d, bp, d.u16(pgm + 14))


# fixed-length options: (name, length, what follows the type/length/reserved bytes)
def _options(d: Dissector, bp: int) -> int:
    d.need(bp, 4)
    opt_type = d.u8(bp)
    bp += 1
    if opt_type & 0x7F != 0:
        d.p(f"[First option bad, should be PGM_OPT_LENGTH, is {opt_type & 0x7F}]")
        raise _Stop()
    opt_len = d.u8(bp)
    bp += 1
    if opt_len != 4:
        d.p(f"[Bad OPT_LENGTH option, length {opt_len} != 4]")
        raise _Stop()
    opts_len = d.u16(bp)
    bp += 2
    if opts_len < 4:
        d.p(f"[Bad total option length {opts_len} < 4]")
        raise _Stop()
    d.p(f" OPTS LEN {opts_len}")
    opts_len -= 4

    def exact(name: str, want: int) -> None:
        if opt_len != want:
            d.p(f"[Bad {name} option, length {opt_len} != {want}]")
            raise _Stop()

    while opts_len:
        if opts_len < 4:
            d.p("[Total option length leaves no room for final option]")
            raise _Stop()
        opt_type = d.u8(bp)
        opt_len = d.u8(bp + 1)
        bp += 2
        if opt_len < 4:
            d.p(f"[Bad option, length {opt_len} < 4]")
            break
        if opts_len < opt_len:
            d.p("[Total option length leaves no room for final option]")
            raise _Stop()
        d.need(bp, opt_len - 2)
        kind = opt_type & 0x7F
        if kind == 0x00:
            exact("OPT_LENGTH", 4)
            d.p(f" OPTS LEN (extra?) {d.u16(bp)}")
            bp += 2
            opts_len -= 4
        elif kind == 0x01:
            exact("OPT_FRAGMENT", 16)
            bp += 2
            d.p(f" FRAG seq {d.u32(bp)} off {d.u32(bp + 4)} len {d.u32(bp + 8)}")
            bp += 12
            opts_len -= 16
        elif kind == 0x02:
            bp += 2
            opt_len -= 4
            d.p(" NAK LIST")
            while opt_len:
                if opt_len < 4:
                    d.p("[Option length not a multiple of 4]")
                    raise _Stop()
                d.p(f" {d.u32(bp)}")
                bp += 4
                opt_len -= 4
                opts_len -= 4
        elif kind == 0x03:
            exact("OPT_JOIN", 8)
            bp += 2
            d.p(f" JOIN {d.u32(bp)}")
            bp += 4
            opts_len -= 8
        elif kind in (0x04, 0x05):
            exact("OPT_NAK_BO_IVL" if kind == 4 else "OPT_NAK_BO_RNG", 12)
            bp += 2
            first, second = d.u32(bp), d.u32(bp + 4)
            bp += 8
            d.p(f" BACKOFF ivl {first} ivlseq {second}" if kind == 4
                else f" BACKOFF max {first} min {second}")
            opts_len -= 12
        elif kind == 0x07:
            if opt_len < 8:
                d.p(f"[Bad OPT_REDIRECT option, length {opt_len} < 8]")
                raise _Stop()
            bp += 2
            afi = d.u16(bp)
            bp += 4
            size = {AFNUM_INET: 4, AFNUM_INET6: 16}.get(afi)
            if size is not None and opt_len != 8 + size:
                d.p(f"[Bad OPT_REDIRECT option, length {opt_len} != 8 + address size]")
                raise _Stop()
            nla, bp = _nla(d, bp, afi)
            opts_len -= 8 + size
            d.p(f" REDIRECT {nla}")
        elif kind in (0x08, 0x09, 0x0A):
            name = {8: "OPT_PARITY_PRM", 9: "OPT_PARITY_GRP", 10: "OPT_CURR_TGSIZE"}[kind]
            exact(name, 8)
            bp += 2
            value = d.u32(bp)
            bp += 4
            d.p({8: " PARITY MAXTGS ", 9: " PARITY GROUP ", 10: " PARITY ATGS "}[kind]
                + str(value))
            opts_len -= 8
        elif kind in (0x0B, 0x0D, 0x0E, 0x0F, 0x11):
            name = {0x0B: "NBR_UNREACH", 0x0D: "SYN", 0x0E: "FIN", 0x0F: "RST",
                    0x11: "CRQST"}[kind]
            exact(f"OPT_{name}", 4)
            bp += 2
            d.p(f" {name}")
            opts_len -= 4
        elif kind == 0x0C:
            d.p(f" PATH_NLA [{opt_len}]")
            bp += opt_len
            opts_len -= opt_len
        elif kind == 0x10:
            d.p(" CR")
            bp += opt_len
            opts_len -= opt_len
        elif kind in (0x12, 0x13):
            name = "OPT_PGMCC_DATA" if kind == 0x12 else "OPT_PGMCC_FEEDBACK"
            if opt_len < 12:
                bad = "OPT_PGMCC_DATA" if kind == 0x12 else "PGM_OPT_PGMCC_FEEDBACK"
                d.p(f"[Bad {bad} option, length {opt_len} < 12]")
                raise _Stop()
            bp += 2
            offset = d.u32(bp)
            bp += 4
            afi = d.u16(bp)
            bp += 4
            size = {AFNUM_INET: 4, AFNUM_INET6: 16}.get(afi)
            if size is not None and opt_len != 12 + size:
                d.p(f"[Bad {name} option, length {opt_len} != 12 + address size]")
                raise _Stop()
            nla, bp = _nla(d, bp, afi)
            opts_len -= 12 + size
            d.p(f" PGMCC {'DATA' if kind == 0x12 else 'FEEDBACK'} {offset} {nla}")
        else:
            d.p(f" OPT_{opt_type:02X} [{opt_len}] ")
            bp += opt_len
            opts_len -= opt_len
        opts_len &= 0xFFFFFFFF
        if opt_type & 0x80:
            break
    return bp


# -- print-zeromq.c ---------------------------------------------------------------
VBYTES = 128


def _zmtp1_frame(d: Dissector, cp: int, ep: int) -> int:
    d.p("\n\t")
    if d.u8(cp) != 0xFF:
        header_len = 1
        declared = d.u8(cp)
        d.p(f" frame flags+body  (8-bit) length {declared}")
    else:
        header_len = 9
        d.p(" frame flags+body (64-bit) length")
        d.need(cp, header_len)
        declared = int.from_bytes(d.data[cp + 1:cp + 9], "big")
        d.p(f" {declared}")
    if declared == 0:
        return cp + header_len
    d.need(cp, header_len + 1)
    flags = d.u8(cp + header_len)
    captured = ep - cp - header_len
    if declared > captured:
        d.p(f" ({captured} captured)")
    d.p(f", flags 0x{flags:02x}")
    if d.opts.vflag:
        printed = min(captured, declared)
        bits = ["MBZ" if flags & (0x80 >> i) else "-" for i in range(7)]
        bits.append("MORE" if flags & 1 else "-")
        d.p(" (" + "|".join(bits) + ")")
        if d.opts.vflag == 1:
            printed = min(VBYTES + 1, printed)
        if printed > 1:
            d.p(f", first {printed - 1} byte(s) of body:")
            start = cp + header_len + 1
            d.p(hex_and_ascii_print(d.data[start:start + printed - 1], "\n\t "))
    cp += header_len
    d.need(cp, declared)
    return cp + declared


def zmtp1_print(d: Dissector, cp: int, length: int) -> None:
    """zmtp1_print(): -T zmtp1 over TCP, each frame of the stream."""
    d.protocol = "zmtp1"
    d.p(": ZMTP/1.0")
    ep = min(d.snapend, cp + length)
    while cp < ep:
        cp = _zmtp1_frame(d, cp, ep)


def zmtp1_datagram_print(d: Dissector, cp: int, length: int) -> None:
    """zmtp1_datagram_print(): a PGM datagram's frame offset, the intermediate part,
    then its frames (a truncation ends the packet, nd_trunc_longjmp())."""
    d.protocol = "zmtp1"
    ep = min(d.snapend, cp + length)
    frame_offset = d.u16(cp)
    d.p(f"\n\t frame offset 0x{frame_offset:04x}")
    cp += 2
    remaining = d.avail(cp)
    if frame_offset == 0xFFFF:
        frame_offset = length - 2
    elif 2 + frame_offset > length:
        d.p(" (exceeds datagram declared length)")
        raise Truncated()
    if frame_offset:
        d.p(f"\n\t frame intermediate part, {frame_offset} bytes")
        if frame_offset > remaining:
            d.p(f" ({remaining} captured)")
        if d.opts.vflag:
            printed = min(frame_offset, remaining)
            if d.opts.vflag == 1:
                printed = min(VBYTES, printed)
            if printed > 1:
                d.p(f", first {printed} byte(s):")
                d.p(hex_and_ascii_print(d.data[cp:cp + printed], "\n\t "))
    cp += frame_offset
    while cp < ep:
        cp = _zmtp1_frame(d, cp, ep)
