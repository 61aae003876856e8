"""DECnet Phase IV (ethertype 0x6003) as tcpdump 4.99.3's print-decnet.c prints it:
the routing layer's padding, short and long data headers (-v's RQR/RTS/IE flags and
hops), its control messages (init, verification, test, level 1 and 2 routing, router
and endnode hellos), and NSP's data, interrupt, link service, acknowledgement and
connect/disconnect messages; addresses as dnnum_string()'s AREA.NODE (Linux has no
netdnet/dnetdb.h, so no names)."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector

SHORTHDR, LONGHDR = 6, 21
RMF_PAD, RMF_FVER, RMF_CTLMSG = 0o200, 0o100, 0o1
SGQ_ACK, SGQ_NAK, SGQ_OACK, SGQ_ONAK, SGQ_MASK = 0o100000, 0o110000, 0o120000, 0o130000, 0o7777
REASONS = {0: "object rejected connect", 1: "insufficient resources",
           2: "unrecognized node name", 3: "node is shutting down", 4: "unrecognized object",
           5: "invalid object name format", 6: "object too busy",
           7: "protocol error discovered", 8: "third party abort", 9: "user abort",
           10: "invalid node name format", 11: "local node shutting down",
           32: "insufficient local resources", 33: "insufficient remote user resources",
           34: "invalid access control information", 36: "bad ACCOUNT information",
           38: "no response from object", 39: "node unreachable", 41: "no link terminate",
           42: "disconnect complete", 43: "bad image data in connect",
           54: "cryptographic service mismatch"}


def dnaddr_string(a: int) -> str:
    """dnnum_string(): AREA.NODE."""
    return f"{(a & 0o176000) >> 10}.{a & 0o1777}"


def _le16(d: Dissector, off: int) -> int:
    return d.u8(off) | d.u8(off + 1) << 8


def decnet_print(d: Dissector, ap: int, length: int, caplen: int) -> None:
    d.protocol = "decnet"
    if not _decnet(d, ap, length, caplen):
        d.p(" (invalid)")


def _decnet(d: Dissector, ap: int, length: int, caplen: int) -> bool:
    if length < SHORTHDR:
        d.p(f" (length {length} < {SHORTHDR})")
        return False
    pktlen = _le16(d, ap)
    if pktlen < SHORTHDR:
        d.p(f" (pktlen {pktlen} < {SHORTHDR})")
        return False
    if pktlen > length:
        d.p(f" (pktlen {pktlen} > {length})")
        return False
    length = pktlen
    rhp = ap + 2
    mflags = d.u8(rhp)
    if mflags & RMF_PAD:
        padlen = mflags & 0o177
        if d.opts.vflag:
            d.p(f"[pad:{padlen}] ")
        if length < padlen + 2:
            d.p(f" (length {length} < {padlen + 2})")
            return False
        d.need(ap + 2, padlen)
        ap += padlen
        length -= padlen
        caplen -= padlen
        rhp = ap + 2
        mflags = d.u8(rhp)
    if mflags & RMF_FVER:
        d.p("future-version-decnet")
        d.default_print(ap, min(length, caplen))
        return True
    if mflags & RMF_CTLMSG:
        return _ctlmsg(d, rhp, length, caplen)
    kind = mflags & 7
    if kind == 6:
        if length < LONGHDR:
            d.p(f" (length {length} < {LONGHDR})")
            return False
        d.need(rhp, LONGHDR)
        dst, src = _le16(d, rhp + 7), _le16(d, rhp + 15)
        hops = d.u8(rhp + 18)
        nspp, nsplen = ap + 2 + LONGHDR, length - LONGHDR
    elif kind == 2:
        dst, src = _le16(d, rhp + 1), _le16(d, rhp + 3)
        hops = (d.u8(rhp + 5) & 0o77) + 1
        nspp, nsplen = ap + 2 + SHORTHDR, length - SHORTHDR
    else:
        d.p("unknown message flags under mask")
        d.default_print(ap, min(length, caplen))
        return True
    d.p(f"{dnaddr_string(src)} > {dnaddr_string(dst)} {pktlen} ")
    if d.opts.vflag:
        d.p("".join(name for bit, name in ((0o10, "RQR "), (0o20, "RTS "), (0o40, "IE "))
                    if mflags & bit))
        d.p(f"{hops} hops ")
    return _nsp(d, nspp, nsplen)


def _t_info(info: int) -> str:
    """print_t_info()."""
    text = ("reserved-ntype? ", "l2rout ", "l1rout ", "endnode ")[info & 3]
    return text + ("verif " if info & 0o4 else "") + ("blo " if info & 0o10 else "")


def _i_info(info: int) -> str:
    """print_i_info()."""
    text = ("reserved-ntype? ", "l2rout ", "l1rout ", "endnode ")[info & 3]
    return (text + ("verif " if info & 0o4 else "") + ("nomcast " if info & 0o40 else "")
            + ("blo " if info & 0o100 else ""))


def _routes(d: Dissector, rp: int, n: int, what: str) -> None:
    """print_l1_routes() and print_l2_routes()."""
    while n > 6:
        d.need(rp, 6)
        count = _le16(d, rp)
        if count > 1024:
            return
        ident, info = _le16(d, rp + 2), _le16(d, rp + 4)
        rp += 6
        n -= 6
        d.p(f"{{{what} {ident}-{ident + count} cost {info & 0o777} hops {(info >> 10) & 0o37}}} ")


def _ctlmsg(d: Dissector, rhp: int, length: int, caplen: int) -> bool:
    """print_decnet_ctlmsg()."""
    mflags = d.u8(rhp)
    kind = mflags & 0o17
    if kind == 0o1:
        d.p("init ")
        if length < 12:
            return False
        d.need(rhp, 12)
        d.p(_t_info(d.u8(rhp + 3)))
        d.p(f"src {dnaddr_string(_le16(d, rhp + 1))}blksize {_le16(d, rhp + 4)} "
            f"vers {d.u8(rhp + 6)} eco {d.u8(rhp + 7)} ueco {d.u8(rhp + 8)} "
            f"hello {_le16(d, rhp + 9)}")
    elif kind in (0o3, 0o5):
        d.p("verification " if kind == 0o3 else "test ")
        if length < 4:
            return False
        src, other = _le16(d, rhp + 1), d.u8(rhp + 3)
        d.p(f"src {dnaddr_string(src)} {'fcnval' if kind == 0o3 else 'data'} {other:o}")
    elif kind in (0o7, 0o11):
        d.p("lev-1-routing " if kind == 0o7 else "lev-2-routing ")
        if length < 4:
            return False
        d.need(rhp, 4)
        d.p(f"src {dnaddr_string(_le16(d, rhp + 1))} ")
        _routes(d, rhp + 4, length - 4, "ids" if kind == 0o7 else "areas")
    elif kind == 0o13:
        d.p("router-hello ")
        if length < 18:
            return False
        d.need(rhp, 18)
        d.p(_i_info(d.u8(rhp + 10)))
        d.p(f"vers {d.u8(rhp + 1)} eco {d.u8(rhp + 2)} ueco {d.u8(rhp + 3)} "
            f"src {dnaddr_string(_le16(d, rhp + 8))} blksize {_le16(d, rhp + 11)} "
            f"pri {d.u8(rhp + 13)} hello {_le16(d, rhp + 15)}")
    elif kind == 0o15:
        d.p("endnode-hello ")
        if length < 32:
            return False
        vers, eco, ueco = d.u8(rhp + 1), d.u8(rhp + 2), d.u8(rhp + 3)
        src, info, blksize = _le16(d, rhp + 8), d.u8(rhp + 10), _le16(d, rhp + 11)
        dst, hello, other = _le16(d, rhp + 26), _le16(d, rhp + 28), d.u8(rhp + 31)
        d.p(_i_info(info))
        d.p(f"vers {vers} eco {eco} ueco {ueco} src {dnaddr_string(src)} blksize {blksize} "
            f"rtr {dnaddr_string(dst)} hello {hello} data {other:o}")
    else:
        d.p("unknown control message")
        d.default_print(rhp, min(length, caplen))
    return True


def _acks(d: Dissector, nspp: int, nsplen: int, other: tuple[str, str], data_off: int | None,
          seq: bool) -> bool:
    """The acknowledgement fields of a data, interrupt, link service or ack message:
    acknum, then the other channel's; `data_off` checks each against nsplen (None
    where the printer checked the whole message first); then the segment number."""
    ack = _le16(d, nspp + 5)
    if ack & SGQ_ACK:
        d.p(f"{'nak' if ack & SGQ_NAK == SGQ_NAK else 'ack'} {ack & SGQ_MASK} ")
        if data_off is not None:
            data_off += 2
            if nsplen < data_off:
                return False
        ack = _le16(d, nspp + 7)
        if ack & SGQ_OACK:
            d.p(f"{other[1] if ack & SGQ_ONAK == SGQ_ONAK else other[0]} {ack & SGQ_MASK} ")
            if data_off is not None:
                data_off += 2
                if nsplen < data_off:
                    return False
            if seq:
                ack = _le16(d, nspp + 9)
    if seq:
        d.p(f"seg {ack & SGQ_MASK} ")
    return True


def _services(services: int, info: int, segsize: int) -> str:
    return ({0o4: "seg ", 0o10: "msg "}.get(services & 0o14, "")
            + ("ver 3.2 ", "ver 3.1 ", "ver 4.0 ", "ver 4.1 ")[info & 3] + f"segsize {segsize} ")


def _nsp(d: Dissector, nspp: int, nsplen: int) -> bool:
    """print_nsp()."""
    if nsplen < 5:
        d.p(f" (nsplen {nsplen} < 5)")
        return False
    flags = d.u8(nspp)
    dst, src = _le16(d, nspp + 1), _le16(d, nspp + 3)
    kind, sub = flags & 0o14, flags & 0o160
    if kind == 0:
        if sub in (0o40, 0, 0o100, 0o140):
            d.p(f"data {src}>{dst} ")
            if nsplen < 7:
                return False
            return _acks(d, nspp, nsplen, ("oack", "onak"), 7, True)
        if sub == 0o60:
            d.p("intr ")
            if nsplen < 7:
                return False
            return _acks(d, nspp, nsplen, ("ackdat", "nakdat"), 7, True)
        if sub == 0o20:
            d.p(f"link-service {src}>{dst} ")
            if nsplen < 13:
                return False
            _acks(d, nspp, nsplen, ("ackdat", "nakdat"), None, True)
            lsflags, fcval = d.u8(nspp + 11), d.u8(nspp + 12)
            if lsflags & 0o14 == 0:
                d.p(f"dat seg count {fcval} ")
                mod = lsflags & 3
                d.p({0: "", 1: "donotsend-data ", 2: "send-data "}.get(
                    mod, f"reserved-fcmod? {lsflags:x}"))
            elif lsflags & 0o14 == 4:
                d.p(f"intr req count {fcval} ")
            else:
                d.p(f"reserved-fcval-int? {lsflags:x}")
            return True
        d.p(f"reserved-subtype? {flags:x} {src} > {dst}")
    elif kind == 0o4:
        if sub in (0, 0o20):
            d.p(f"{'data-ack' if sub == 0 else 'ils-ack'} {src}>{dst} ")
            if nsplen < 9:
                return False
            d.need(nspp, 9)
            _acks(d, nspp, nsplen, ("oack", "onak") if sub == 0 else ("ackdat", "nakdat"),
                  None, False)
        elif sub == 0o40:
            d.p(f"conn-ack {dst}")
        else:
            d.p(f"reserved-acktype? {flags:x} {src} > {dst}")
    elif kind == 0o10:
        if sub in (0o20, 0o140):
            d.p(("conn-initiate " if sub == 0o20 else "retrans-conn-initiate ") + f"{src}>{dst} ")
            if nsplen < 9:
                return False
            d.p(_services(d.u8(nspp + 5), d.u8(nspp + 6), _le16(d, nspp + 7)))
        elif sub == 0o40:
            d.p(f"conn-confirm {src}>{dst} ")
            if nsplen < 10:
                return False
            services, info, segsize = d.u8(nspp + 5), d.u8(nspp + 6), _le16(d, nspp + 7)
            optlen = d.u8(nspp + 9)
            d.p(_services(services, info, segsize))
            if optlen:
                d.p(f"optlen {optlen} ")
        elif sub == 0o60:
            d.p(f"disconn-initiate {src}>{dst} ")
            if nsplen < 8:
                return False
            reason, optlen = _le16(d, nspp + 5), d.u8(nspp + 7)
            d.p(REASONS.get(reason, f"reason-{reason}") + " ")
            if optlen:
                d.p(f"optlen {optlen} ")
        elif sub == 0o100:
            d.p(f"disconn-confirm {src}>{dst} ")
            reason = _le16(d, nspp + 5)
            d.p(REASONS.get(reason, f"reason-{reason}") + " ")
        else:
            d.p(f"reserved-ctltype? {flags:x} {src} > {dst}")
    else:
        d.p(f"reserved-type? {flags:x} {src} > {dst}")
    return True
