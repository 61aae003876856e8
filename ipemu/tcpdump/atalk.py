"""AppleTalk as tcpdump 4.99.3's print-atalk.c prints it: AppleTalk ARP (aarp_print()),
EtherTalk's DDP (atalk_print()), LocalTalk's LLAP with short and long DDP (llap_print(),
also KIP over UDP), and DDP's NBP, ATP and EIGRP payloads."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector
from ipemu.tcpdump.util import fn_print_char

AARP_SIZE = 28                  # struct aarp


def ataddr_string(atnet: int, athost: int) -> str:
    """ataddr_string(): /etc/atalk.names is never read (its `if (!first)` is false
    the first time and every time), so each address is NET.HOST (NET for host 255)."""
    return f"{atnet}.{athost}" if athost != 255 else f"{atnet}"


def aarp_print(d: Dissector, bp: int, length: int) -> None:
    d.protocol = "aarp"
    d.p("aarp ")
    if not d.ttest(bp, AARP_SIZE):
        d.nd_print_trunc()
        return
    if length < AARP_SIZE:
        d.p(f" [|aarp {length}]")
        return

    def at(off: int) -> str:
        return ataddr_string((d.data[off + 1] << 8) | d.data[off + 2], d.data[off + 3])

    htype, ptype, halen, palen, op = (d.u16(bp), d.u16(bp + 2), d.u8(bp + 4),
                                      d.u8(bp + 5), d.u16(bp + 6))
    psaddr, pdaddr = bp + 14, bp + 24
    if htype == 1 and ptype == 0x809B and halen == 6 and palen == 4:
        if op == 1:
            d.p(f"who-has {at(pdaddr)} tell {at(psaddr)}")
            return
        if op == 2:
            d.p(f"reply {at(psaddr)} is-at {d.etheraddr_string(bp + 8)}")
            return
        if op == 3:
            d.p(f"probe {at(pdaddr)} tell {at(psaddr)}")
            return
    ptype_text = f"{ptype:#x}" if ptype else "0"            # C's %#x of 0 is "0"
    d.p(f"len {length} op {op} htype {htype} ptype {ptype_text} halen {halen} palen {palen}")


# -- DDP and its protocols (print-atalk.c, appletalk.h) ---------------------------
DDP_SIZE, DDP_SSIZE, LAP_SIZE = 13, 5, 3       # ddpSize, ddpSSize, sizeof(struct LAP)
DDP_TYPES = {1: "rtmp", 5: "rtmpReq", 4: "echo", 22: "IP", 23: "ARP", 0x4B: "KLAP"}
DDP_SOCKETS = {1: "rtmp", 2: "nis", 4: "echo", 6: "zip"}
ATP_SIZE = 8                                    # sizeof(struct atATP)
ATP_XO, ATP_EOM, ATP_STS = 0x20, 0x10, 0x08


def atalk_port(p: int) -> bool:
    """appletalk.h's atalk_port(): the UDP ports KIP carries DDP on."""
    return 16512 <= p < 16640 or 200 <= p < 328 or 768 <= p < 896


def ddpskt_string(d: Dissector, skt: int) -> str:
    return str(skt) if d.opts.nflag else DDP_SOCKETS.get(skt, str(skt))


def ltalk_if_print(d: Dissector, length: int, caplen: int) -> None:
    """ltalk_if_print(): LocalTalk's LLAP frames (link type LTALK)."""
    d.protocol = "ltalk"
    hdrlen = llap_print(d, 0, length)
    d.ll_hdr_len += caplen if hdrlen == 0 else hdrlen


def llap_print(d: Dissector, bp: int, length: int) -> int:
    """llap_print(): the LAP header, then short or long DDP; the header length, 0
    when the snapshot length cut it."""
    d.protocol = "llap"
    if length < LAP_SIZE:
        d.p(f" [|llap {length}]")
        return length
    if not d.ttest(bp, LAP_SIZE):
        d.nd_print_trunc()
        return 0
    dst, src, kind = d.u8(bp), d.u8(bp + 1), d.u8(bp + 2)
    bp += LAP_SIZE
    length -= LAP_SIZE
    hdrlen = LAP_SIZE
    if kind == 1:
        if length < DDP_SSIZE:
            d.p(f" [|sddp {length}]")
            return length
        if not d.ttest(bp, DDP_SSIZE):
            d.p(" [|sddp]")
            return 0
        dskt, sskt, t = d.u8(bp + 2), d.u8(bp + 3), d.u8(bp + 4)
        d.p(f"{ataddr_string(0, src)}.{ddpskt_string(d, sskt)}")
        d.p(f" > {ataddr_string(0, dst)}.{ddpskt_string(d, dskt)}:")
        ddp_print(d, bp + DDP_SSIZE, length - DDP_SSIZE, t, 0, src, sskt)
        return hdrlen + DDP_SSIZE
    if kind == 2:
        if length < DDP_SIZE:
            d.p(f" [|ddp {length}]")
            return length
        if not d.ttest(bp, DDP_SIZE):
            d.p(" [|ddp]")
            return 0
        snet = _ddp_addrs(d, bp, ":")
        ddp_print(d, bp + DDP_SIZE, length - DDP_SIZE, d.u8(bp + 12), snet, d.u8(bp + 9),
                  d.u8(bp + 11))
        return hdrlen + DDP_SIZE
    d.p(f"{src} > {dst} at-lap#{kind} {length}")
    return hdrlen


def _ddp_addrs(d: Dissector, bp: int, sep: str) -> int:
    snet = d.u16(bp + 6)
    # struct atDDP: length, checksum, dstNet, srcNet, dstNode, srcNode, dstSkt, srcSkt, type
    d.p(f"{ataddr_string(snet, d.u8(bp + 9))}.{ddpskt_string(d, d.u8(bp + 11))}")
    d.p(f" > {ataddr_string(d.u16(bp + 4), d.u8(bp + 8))}.{ddpskt_string(d, d.u8(bp + 10))}{sep}")
    return snet


def atalk_print(d: Dissector, bp: int, length: int) -> None:
    """atalk_print(): EtherTalk's long DDP header."""
    d.protocol = "atalk"
    if not d.opts.eflag:
        d.p("AT ")
    if length < DDP_SIZE:
        d.p(f" [|ddp {length}]")
        return
    if not d.ttest(bp, DDP_SIZE):
        d.p(" [|ddp]")
        return
    snet = _ddp_addrs(d, bp, ": ")
    ddp_print(d, bp + DDP_SIZE, length - DDP_SIZE, d.u8(bp + 12), snet, d.u8(bp + 9),
              d.u8(bp + 11))


def ddp_print(d: Dissector, bp: int, length: int, t: int, snet: int, snode: int,
              skt: int) -> None:
    if t == 2:
        _nbp_print(d, bp, length, snet, snode, skt)
    elif t == 3:
        _atp_print(d, bp, length)
    elif t == 88:
        from ipemu.tcpdump.routing import eigrp_print
        eigrp_print(d, bp, length)
    else:
        d.p(f" at-{DDP_TYPES.get(t, f'#{t}')} {length}")


def _atp_bitmap(bm: int) -> str:
    """atp_bitmap_print(): <0-N> for a contiguous bitmap, else each bit."""
    if (bm + 1) & bm:
        bits = [str(i) for i in range(8) if bm >> i & 1]
        return "<" + ",".join(bits) + ">"
    i = bm.bit_length()
    return f"<0-{i - 1}>" if i > 1 else "<0>"


def _flags(control: int, pairs: tuple[tuple[int, str], ...]) -> str:
    names = [name for bit, name in pairs if control & bit]
    return f" [{','.join(names)}]" if names else ""


def _atp_print(d: Dissector, ap: int, length: int) -> None:
    if ap + ATP_SIZE > d.snapend:
        d.nd_print_trunc()
        return
    if length < ATP_SIZE:
        d.p(f" [|atp {length}]")
        return
    length -= ATP_SIZE
    control = d.u8(ap)
    trans, bitmap = d.u16(ap + 2), d.u8(ap + 1)
    code = control & 0xC0
    if code == 0x40:
        d.p(f" atp-req{' ' if control & ATP_XO else '*'} {trans}" + _atp_bitmap(bitmap))
        if length:
            d.p(f" [len={length}]")
        d.p(_flags(control, ((ATP_EOM, "EOM"), (ATP_STS, "STS"))))
    elif code == 0x80:
        d.p(f" atp-resp{'*' if control & ATP_EOM else ' '}{trans}:{bitmap} ({length})")
        d.p(_flags(control, ((ATP_XO, "XO"), (ATP_STS, "STS"))))
    elif code == 0xC0:
        d.p(f" atp-rel  {trans}" + _atp_bitmap(bitmap))
        if length:
            d.p(f" [len={length}]")
        # "there shouldn't be any control flags": '[' with no blank before it
        d.p(_flags(control, ((ATP_XO, "XO"), (ATP_EOM, "EOM"), (ATP_STS, "STS"))).lstrip(" "))
    else:
        d.p(f" atp-0x{control:x}  {trans} ({length})")
    data = d.u32(ap + 4)
    if data:
        d.p(f" 0x{data:x}")


def _cstring(d: Dissector, cp: int) -> int | None:
    """print_cstring(): a Pascal string of at most 32 characters."""
    if cp >= d.snapend:
        d.nd_print_trunc()
        return None
    n = d.u8(cp)
    cp += 1
    if n > 32:
        d.p(f"[len={n}]")
        return None
    while n:
        if cp >= d.snapend:
            d.nd_print_trunc()
            return None
        d.p(fn_print_char(d.u8(cp)))
        cp += 1
        n -= 1
    return cp


def _nbp_name(d: Dissector, tp: int) -> int | None:
    """nbp_name_print(): " "OBJECT:TYPE@ZONE"."""
    d.p(' "')
    cp = _cstring(d, tp + 5)
    if cp is not None:
        d.p(":")
        cp = _cstring(d, cp)
        if cp is not None:
            d.p("@")
            cp = _cstring(d, cp)
            if cp is not None:
                d.p('"')
    return cp


def _nbp_print(d: Dissector, np: int, length: int, snet: int, snode: int, skt: int) -> None:
    tp = np + 2
    if length < 2:
        d.p(f" truncated-nbp {length}")
        return
    length -= 2
    if length < 8:
        d.p(f" truncated-nbp {length + 2}")
        return
    if tp > d.snapend:
        d.nd_print_trunc()
        return
    control = d.u8(np)
    i = control & 0xF0
    if i in (0x10, 0x20):
        d.p(f" nbp-{'lkup' if i == 0x20 else 'brRq'} {d.u8(np + 1)}:")
        if tp + 5 > d.snapend:
            d.nd_print_trunc()
            return
        _nbp_name(d, tp)
        if control & 0xF != 1:
            d.p(f" [ntup={control & 0xF}]")
        if d.u8(tp + 4):
            d.p(f" [enum={d.u8(tp + 4)}]")
        if d.u16(tp) != snet or d.u8(tp + 2) != snode or d.u8(tp + 3) != skt:
            d.p(f" [addr={ataddr_string(d.u16(tp), d.u8(tp + 2))}.{d.u8(tp + 3)}]")
    elif i == 0x30:
        d.p(f" nbp-reply {d.u8(np + 1)}:")
        n = control & 0xF
        cur: int | None = tp
        while n and cur:
            cur = _nbp_tuple(d, cur, snet, snode, skt)
            n -= 1
    else:
        d.p(f" nbp-0x{control:x}  {d.u8(np + 1)} ({length})")


def _nbp_tuple(d: Dissector, tp: int, snet: int, snode: int, skt: int) -> int | None:
    if tp + 5 > d.snapend:
        d.nd_print_trunc()
        return None
    tpn = _nbp_name(d, tp)
    if d.u8(tp + 4) != 1:
        d.p(f"({d.u8(tp + 4)})")
    if d.u8(tp + 3) != skt:
        d.p(f" {d.u8(tp + 3)}")
    if d.u16(tp) != snet or d.u8(tp + 2) != snode:
        d.p(f" [addr={ataddr_string(d.u16(tp), d.u8(tp + 2))}]")
    return tpn
