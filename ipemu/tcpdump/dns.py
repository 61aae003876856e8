"""DNS (and mDNS) as tcpdump 4.99.3 prints it (print-domain.c): the header's id, opcode,
rcode and flags, the questions, the answers (all sections with -vv), EDNS options.

Offsets are indexes into the frame, as print-domain.c's pointers; a function that
returns None is one that returned NULL there (`goto trunc`: ` [|domain]`)."""
from __future__ import annotations

import struct

from ipemu.tcpdump.util import nd_printn, print_invalid, print_trunc, unsigned_relts

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

MAXCDNAME = 255
TYPE_MASK, TYPE_INDIR, TYPE_RESERVED, TYPE_EDNS0, TYPE_LABEL = 0xC0, 0xC0, 0x80, 0x40, 0x00
EDNS0_ELT_BITLABEL = 0x01
T_A, T_NS, T_CNAME, T_SOA, T_PTR, T_MX, T_TXT = 1, 2, 5, 6, 12, 15, 16
T_AAAA, T_SRV, T_A6, T_DNAME, T_OPT, T_UNSPECA, T_TSIG, T_URI = 28, 33, 38, 39, 41, 104, 250, 256
C_IN, C_QU, C_CACHE_FLUSH = 1, 0x8000, 0x8000
IQUERY = 1

NS_OPS = ["", " inv_q", " stat", " op3", " notify", " update", " op6", " op7", " op8",
          " updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit",
          " zoneRef"]
NS_RESP = ["", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused", " YXDomain",
           " YXRRSet", " NXRRSet", " NotAuth", " NotZone", " Resp11", " Resp12", " Resp13",
           " Resp14", " NoChange", " BadVers", "Resp17", " Resp18", " Resp19", " Resp20",
           "Resp21", " Resp22", " BadCookie"]
NS_TYPES = {
    1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR",
    10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT",
    17: "RP", 18: "AFSDB", 19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP", 23: "NSAP_PTR",
    24: "SIG", 25: "KEY", 26: "PX", 27: "GPOS", 28: "AAAA", 29: "LOC", 30: "NXT", 31: "EID",
    32: "NIMLOC", 33: "SRV", 34: "ATMA", 35: "NAPTR", 36: "KX", 37: "CERT", 38: "A6",
    39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL", 43: "DS", 44: "SSHFP", 45: "IPSECKEY",
    46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 99: "SPF", 100: "UINFO", 101: "UID", 102: "GID",
    103: "UNSPEC", 104: "UNSPECA", 249: "TKEY", 250: "TSIG", 251: "IXFR", 252: "AXFR",
    253: "MAILB", 254: "MAILA", 255: "ANY", 256: "URI"}
NS_CLASSES = {1: "IN", 3: "CHAOS", 4: "HS", 255: "ANY"}
EDNS_OPTS = {1: "LLQ", 2: "UL", 3: "NSID", 5: "DAU", 6: "DHU", 7: "N3U", 8: "ECS",
             9: "EXPIRE", 10: "COOKIE", 11: "KEEPALIVE", 12: "PADDING", 13: "CHAIN",
             14: "KEY-TAG", 16: "CLIENT-TAG", 17: "SERVER-TAG"}
DAU_ALGS = {0: "DELETE", 1: "RSAMD5", 2: "DH", 3: "DS", 5: "RSASHA1", 6: "DSA-NSEC3-SHA1",
            7: "RSASHA1-NSEC3-SHA1", 8: "RSASHA256", 10: "RSASHA512", 12: "ECC-GOST",
            13: "ECDSAP256SHA256", 14: "ECDSAP384SHA384", 15: "ED25519", 16: "ED448",
            252: "INDIRECT", 253: "PRIVATEDNS", 254: "PRIVATEOID"}
DHU_ALGS = {1: "SHA-1", 2: "SHA-256", 3: "GOST_R_34.11-94", 4: "SHA-384"}
N3U_ALGS = {1: "SHA-1"}


def _type(t: int) -> str:
    return NS_TYPES.get(t, f"Type{t}")


def _class(c: int) -> str:
    return NS_CLASSES.get(c, f"(Class {c})")


def ns_rcode(rcode: int) -> str:
    return NS_RESP[rcode] if rcode < len(NS_RESP) else f" Resp{rcode & 0xFFF}"


def ns_nskip(d: Dissector, cp: int) -> int | None:
    """ns_nskip(): the offset after a name, without printing it."""
    if not d.ttest(cp, 1):
        return None
    i = d.u8(cp)
    cp += 1
    while i:
        kind = i & TYPE_MASK
        if kind == TYPE_INDIR:
            return cp + 1
        if kind == TYPE_EDNS0:
            if (i & ~TYPE_MASK) != EDNS0_ELT_BITLABEL or not d.ttest(cp, 1):
                return None
            bitlen = d.u8(cp) or 256
            cp += 1 + (bitlen + 7) // 8
        elif kind == TYPE_RESERVED:
            return None
        else:
            cp += i
        if not d.ttest(cp, 1):
            return None
        i = d.u8(cp)
        cp += 1
    return cp


def _blabel_print(d: Dissector, cp: int) -> int | None:
    """blabel_print(): an EDNS0 bit-string label as \\[xHEX/BITS]."""
    if not d.ttest(cp, 1):
        return None
    bitlen = d.u8(cp) or 256
    lim = cp + 1 + (bitlen + 3) // 4
    d.p("\\[x")
    bitp, b = cp + 1, bitlen
    while bitp < lim and b > 7:
        d.p(f"{d.u8(bitp):02x}")
        b -= 8
        bitp += 1
    if b > 4:
        d.p(f"{d.u8(bitp) & (0xFF << (8 - b)) & 0xFF:02x}")
    elif b > 0:
        d.p(f"{((d.u8(bitp) >> 4) & 0x0F) & (0x0F << (4 - b)) & 0xFF:1x}")
    d.p(f"/{bitlen}]")
    return lim


def _labellen(d: Dissector, cp: int) -> int:
    if not d.ttest(cp, 1):
        return -1
    i = d.u8(cp)
    kind = i & TYPE_MASK
    if kind == TYPE_EDNS0:
        elt = i & ~TYPE_MASK
        if elt != EDNS0_ELT_BITLABEL:
            d.p(f"<ELT {elt}>")
            return -1
        if not d.ttest(cp + 1, 1):
            return -1
        return ((d.u8(cp + 1) or 256) + 7) // 8 + 1
    if kind in (TYPE_INDIR, TYPE_LABEL):
        return i
    d.p("<BAD LABEL TYPE>")
    return -1


def fqdn_print(d: Dissector, cp: int, bp: int) -> int | None:
    """fqdn_print(): a domain name, following compression pointers backwards only."""
    l = _labellen(d, cp)
    if l == -1 or not d.ttest(cp, 1):
        return None
    max_offset = (cp - bp) & 0xFFFFFFFF
    i = d.u8(cp)
    cp += 1
    compress = False
    rp = None
    if (i & TYPE_MASK) != TYPE_INDIR:
        rp = cp + l
    if i == 0:
        d.p(".")
        return rp
    name_chars = 0
    while i and cp < d.snapend:
        kind = i & TYPE_MASK
        if kind == TYPE_INDIR:
            if not compress:
                rp = cp + 1
                compress = True
            if not d.ttest(cp, 1):
                return None
            offset = ((i << 8) | d.u8(cp)) & 0x3FFF
            if offset >= max_offset:
                d.p("<BAD PTR>")
                return None
            max_offset = offset
            cp = bp + offset
            if not d.ttest(cp, 1):
                return None
            i = d.u8(cp)
            l = _labellen(d, cp)
            if l == -1:
                return None
            cp += 1
            continue
        if kind == TYPE_EDNS0:
            elt = i & ~TYPE_MASK
            if elt != EDNS0_ELT_BITLABEL:
                d.p(f"<ELT {elt}>")
                return None
            if _blabel_print(d, cp) is None:
                return None
        elif kind == TYPE_RESERVED:
            d.p("<BAD LABEL TYPE>")
            return None
        else:
            if name_chars + l <= MAXCDNAME:
                if nd_printn(d, cp, l, stop_at_snapend=True):
                    return None
            elif name_chars < MAXCDNAME:
                if nd_printn(d, cp, MAXCDNAME - name_chars, stop_at_snapend=True):
                    return None
            name_chars += l
        cp += l
        if name_chars <= MAXCDNAME:
            d.p(".")
        name_chars += 1
        if not d.ttest(cp, 1):
            return None
        i = d.u8(cp)
        l = _labellen(d, cp)
        if l == -1:
            return None
        cp += 1
        if not compress:
            rp += l + 1
    if name_chars > MAXCDNAME:
        d.p("<DOMAIN NAME TOO LONG>")
    return rp


def _cprint(d: Dissector, cp: int) -> int | None:
    """ns_cprint(): a <character-string>."""
    if not d.ttest(cp, 1):
        return None
    i = d.u8(cp)
    cp += 1
    if nd_printn(d, cp, i, stop_at_snapend=True):
        return None
    return cp + i


def _eopt_ecs(d: Dissector, cp: int, data_len: int) -> None:
    """print_eopt_ecs(): family, source and scope prefix lengths, padded address."""
    from ipemu.tcpdump.dissect import ip6addr_string_raw
    if data_len < 4:
        print_invalid(d)
        return
    family, src_len, scope_len = d.u16(cp), d.u8(cp + 2), d.u8(cp + 3)
    cp += 4
    addr_bits = {1: 32, 2: 128}.get(family)
    if addr_bits is None or data_len - 4 > addr_bits // 8 or src_len > addr_bits \
            or scope_len > addr_bits or (src_len + 7) // 8 != data_len - 4:
        print_invalid(d)
        return
    padded = d.data[cp:cp + data_len - 4].ljust(16, b"\0")
    addr = ".".join(str(b) for b in padded[:4]) if family == 1 else ip6addr_string_raw(padded)
    d.p(f"{addr}/{src_len}/{scope_len}")


def _eopt_print(d: Dissector, cp: int) -> int | None:
    """eopt_print(): one EDNS option."""
    if not d.ttest(cp, 2):
        return None
    opt = d.u16(cp)
    cp += 2
    d.p(EDNS_OPTS.get(opt, f"Opt{opt}"))
    if not d.ttest(cp, 2):
        return None
    data_len = d.u16(cp)
    cp += 2
    if not d.ttest(cp, data_len):
        return None
    if data_len > 0:
        d.p(" ")
        if opt == 8:
            _eopt_ecs(d, cp, data_len)
        elif opt == 10:
            if data_len < 8 or 8 < data_len < 16 or data_len > 40:
                print_invalid(d)
            else:
                for i in range(data_len):
                    if i == 8:
                        d.p(" ")
                    d.p(f"{d.u8(cp + i):02x}")
        elif opt == 11:
            if data_len != 2:
                print_invalid(d)
            else:
                d.p(f"{d.u16(cp) / 10.0:.1f} sec")
        elif opt == 9:
            if data_len != 4:
                print_invalid(d)
            else:
                d.p(f"{d.u32(cp)} sec")
        elif opt == 12:
            d.p(f"({data_len})")
        elif opt == 14:
            if data_len % 2:
                print_invalid(d)
            else:
                d.p(" ".join(str(d.u16(cp + i)) for i in range(0, data_len, 2)))
        elif opt in (5, 6, 7):
            table = {5: DAU_ALGS, 6: DHU_ALGS, 7: N3U_ALGS}[opt]
            d.p(" ".join(table.get(d.u8(cp + i), f"Alg_{d.u8(cp + i)}")
                         for i in range(data_len)))
        elif opt == 13:
            fqdn_print(d, cp, cp + data_len)
        else:
            d.p("".join(f"{d.u8(cp + i):02x}" for i in range(data_len)))
    return cp + data_len


def ns_qprint(d: Dissector, cp: int, bp: int, is_mdns: bool) -> int | None:
    """ns_qprint(): ` TYPE[ CLASS]? name`."""
    np = cp
    cp = ns_nskip(d, cp)
    if cp is None or not d.ttest(cp, 4):
        return None
    qtype, i = d.u16(cp), d.u16(cp + 2)
    d.p(f" {_type(qtype)}")
    klass = i & ~C_QU if is_mdns else i
    if klass != C_IN:
        d.p(f" {_class(klass)}")
    if is_mdns:
        d.p(" (QU)" if i & C_QU else " (QM)")
    d.p("? ")
    cp = fqdn_print(d, np, bp)
    return cp + 4 if cp is not None else None


def ns_rprint(d: Dissector, cp: int, bp: int, is_mdns: bool) -> int | None:
    """ns_rprint(): one resource record."""
    if d.opts.vflag:
        d.p(" ")
        cp = fqdn_print(d, cp, bp)
        if cp is None:
            return None
    else:
        cp = ns_nskip(d, cp)
    if cp is None or not d.ttest(cp, 10):
        return d.snapend
    typ, i = d.u16(cp), d.u16(cp + 2)
    cp += 4
    klass = i & ~C_CACHE_FLUSH if is_mdns else i
    if klass != C_IN and typ != T_OPT:
        d.p(f" {_class(klass)}")
    if is_mdns and i & C_CACHE_FLUSH:
        d.p(" (Cache flush)")
    opt_flags = 0
    if typ == T_OPT:
        opt_flags = d.u16(cp + 2)
        cp += 4
    elif d.opts.vflag > 2:
        d.p(f" [{unsigned_relts(d.u32(cp))}]")
        cp += 4
    else:
        cp += 4
    length = d.u16(cp)
    cp += 2
    rp = cp + length
    d.p(f" {_type(typ)}")
    if rp > d.snapend:
        return None
    if typ == T_A:
        if not d.ttest(cp, 4):
            return None
        d.p(" " + ".".join(str(b) for b in d.bytes_(cp, 4)))
    elif typ in (T_NS, T_CNAME, T_PTR, T_DNAME):
        d.p(" ")
        if fqdn_print(d, cp, bp) is None:
            return None
    elif typ == T_SOA:
        if not d.opts.vflag:
            return rp
        for _ in range(2):
            d.p(" ")
            cp = fqdn_print(d, cp, bp)
            if cp is None:
                return None
        if not d.ttest(cp, 20):
            return None
        d.p("".join(f" {d.u32(cp + 4 * k)}" for k in range(5)))
    elif typ == T_MX:
        d.p(" ")
        if not d.ttest(cp, 2) or fqdn_print(d, cp + 2, bp) is None:
            return None
        d.p(f" {d.u16(cp)}")
    elif typ == T_TXT:
        while cp < rp:
            d.p(' "')
            cp = _cprint(d, cp)
            if cp is None:
                return None
            d.p('"')
    elif typ == T_SRV:
        d.p(" ")
        if not d.ttest(cp, 6) or fqdn_print(d, cp + 6, bp) is None:
            return None
        d.p(f":{d.u16(cp + 4)} {d.u16(cp)} {d.u16(cp + 2)}")
    elif typ == T_AAAA:
        from ipemu.tcpdump.dissect import ip6addr_string_raw
        if not d.ttest(cp, 16):
            return None
        d.p(" " + ip6addr_string_raw(d.bytes_(cp, 16)))
    elif typ == T_A6:
        if not _a6(d, cp, bp):
            return None
    elif typ == T_URI:
        if not d.ttest(cp, length):
            return None
        d.p(f" {d.u16(cp)} {d.u16(cp + 2)} ")
        if nd_printn(d, cp + 4, (length - 4) & 0xFFFFFFFF, stop_at_snapend=True):
            return None
    elif typ == T_OPT:
        d.p(f" UDPsize={klass}")
        if opt_flags & 0x8000:
            d.p(" DO")
        if cp < rp:
            d.p(" [")
            while cp < rp:
                cp = _eopt_print(d, cp)
                if cp is None:
                    return None
                if cp < rp:
                    d.p(",")
            d.p("]")
    elif typ == T_UNSPECA:
        if not d.ttest(cp, length) or nd_printn(d, cp, length, stop_at_snapend=True):
            return None
    elif typ == T_TSIG:
        if not _tsig(d, cp, bp, length):
            return None
    return rp


def _a6(d: Dissector, cp: int, bp: int) -> bool:
    from ipemu.tcpdump.dissect import ip6addr_string_raw
    if not d.ttest(cp, 1):
        return False
    pbit = d.u8(cp)
    pbyte = (pbit & ~7) // 8
    if pbit > 128:
        d.p(f" {pbit}(bad plen)")
        return True
    if pbit < 128:
        a = bytes(pbyte) + d.bytes_(cp + 1, 16 - pbyte)
        d.p(f" {pbit} {ip6addr_string_raw(a)}")
    if pbit > 0:
        d.p(" ")
        if fqdn_print(d, cp + 1 + 16 - pbyte, bp) is None:
            return False
    return True


def _tsig(d: Dissector, cp: int, bp: int, length: int) -> bool:
    if cp + length > d.snapend:
        return False
    if not d.opts.vflag:
        return True
    d.p(" ")
    cp = fqdn_print(d, cp, bp)
    if cp is None:
        return False
    cp += 6
    for label in ("fudge", "maclen", "origid", "error", "otherlen"):
        if not d.ttest(cp, 2):
            return False
        value = d.u16(cp)
        d.p(f" {label}={value}")
        cp += 2 + (value if label == "maclen" else 0)
    return True


def domain_print(d: Dissector, bp: int, length: int, over_tcp: bool, is_mdns: bool) -> None:
    """domain_print()."""
    d.protocol = "domain"
    if over_tcp:
        if length < 2:
            d.p(f" [DNS over TCP: length {length} < 2]")
            print_invalid(d)
            return
        length -= 2
        if d.u16(bp) != length:
            d.p(f" [prefix length({d.u16(bp)}) != length({length})]")
            print_invalid(d)
            return
        bp += 2
        d.p(" ")
    if length < 12:
        d.p(f"domain [length {length} < 12]")
        print_invalid(d)
        return
    if not d.ttest(bp, 12):
        print_trunc(d)        # ND_TCHECK_SIZE(np): domain_print()'s trunc:, no longjmp
        return
    flags, qdcount, ancount, nscount, arcount = struct.unpack_from("!HHHHH", d.data, bp + 2)
    rcode = _extended_rcode(d, bp, flags, qdcount, ancount + nscount, arcount)
    if flags & 0x8000:
        ok = _response(d, bp, flags, rcode, qdcount, ancount, nscount, arcount, is_mdns)
    else:
        ok = _request(d, bp, flags, qdcount, ancount, nscount, arcount, is_mdns)
    if ok:
        d.p(f" ({length})")
    else:
        print_trunc(d)


def _extended_rcode(d: Dissector, np: int, flags: int, qdcount: int, an_ns: int,
                    arcount: int) -> int:
    """The rcode, with the high bits an OPT record in the additional section adds."""
    rcode = flags & 0xF
    cp: int | None = np + 12
    for _ in range(qdcount):
        cp = ns_nskip(d, cp)
        if cp is None:
            return rcode
        cp += 4
        if cp >= d.snapend:
            return rcode
    for _ in range(an_ns):
        cp = ns_nskip(d, cp)
        if cp is None:
            return rcode
        cp += 8
        if cp + 2 > d.snapend:
            return rcode
        cp += 2 + d.u16(cp)
        if cp >= d.snapend:
            return rcode
    for _ in range(arcount):
        cp = ns_nskip(d, cp)
        if cp is None or cp + 2 > d.snapend:
            return rcode
        typ = d.u16(cp)
        cp += 4
        if cp + 1 > d.snapend:
            return rcode
        if typ == T_OPT:
            return rcode | (d.u8(cp) << 4)
        cp += 4
        if cp + 2 > d.snapend:
            return rcode
        cp += 2 + d.u16(cp)
        if cp >= d.snapend:
            return rcode
    return rcode


def _records(d: Dissector, cp: int, count: int, bp: int, is_mdns: bool, label: str,
             need_room: bool) -> int | None:
    """A run of ns_rprint() calls as domain_print() makes them; None: truncated."""
    if count and (not need_room or cp < d.snapend):
        d.p(label)
        cp = ns_rprint(d, cp, bp, is_mdns)
        if cp is None:
            return None
        count -= 1
        while cp < d.snapend and count:
            d.p(",")
            cp = ns_rprint(d, cp, bp, is_mdns)
            if cp is None:
                return None
            count -= 1
    return None if count else cp


def _response(d: Dissector, np: int, flags: int, rcode: int, qdcount: int, ancount: int,
              nscount: int, arcount: int, is_mdns: bool) -> bool:
    d.p(f"{d.u16(np)}{NS_OPS[(flags >> 11) & 0xF]}{ns_rcode(rcode)}"
        f"{'*' if flags & 0x0400 else ''}{'' if flags & 0x0080 else '-'}"
        f"{'|' if flags & 0x0200 else ''}{'$' if flags & 0x0020 else ''}")
    if qdcount != 1:
        d.p(f" [{qdcount}q]")
    cp: int | None = np + 12
    for i in range(qdcount):
        if i:
            d.p(",")
        if d.opts.vflag > 1:
            d.p(" q:")
            cp = ns_qprint(d, cp, np, is_mdns)
        else:
            cp = ns_nskip(d, cp)
            cp = cp + 4 if cp is not None else None
        if cp is None:
            return False
    d.p(f" {ancount}/{nscount}/{arcount}")
    cp = _records(d, cp, ancount, np, is_mdns, "", need_room=False)
    if cp is None:
        return False
    if d.opts.vflag > 1:
        cp = _records(d, cp, nscount, np, is_mdns, " ns:", need_room=True)
        if cp is None:
            return False
        cp = _records(d, cp, arcount, np, is_mdns, " ar:", need_room=True)
        if cp is None:
            return False
    return True


def _request(d: Dissector, np: int, flags: int, qdcount: int, ancount: int, nscount: int,
             arcount: int, is_mdns: bool) -> bool:
    opcode = (flags >> 11) & 0xF
    d.p(f"{d.u16(np)}{NS_OPS[opcode]}{'+' if flags & 0x0100 else ''}"
        f"{'%' if flags & 0x0010 else ''}")
    b2 = d.u16(np + 2)
    if b2 & 0x6CF:
        d.p(f" [b2&3=0x{b2:x}]")
    if opcode == IQUERY:
        if qdcount:
            d.p(f" [{qdcount}q]")
        if ancount != 1:
            d.p(f" [{ancount}a]")
    else:
        if ancount:
            d.p(f" [{ancount}a]")
        if qdcount != 1:
            d.p(f" [{qdcount}q]")
    if nscount:
        d.p(f" [{nscount}n]")
    if arcount:
        d.p(f" [{arcount}au]")
    cp: int | None = np + 12
    if qdcount:
        cp = ns_qprint(d, cp, np, is_mdns)
        if cp is None:
            return False
        qdcount -= 1
        while cp < d.snapend and qdcount:
            cp = ns_qprint(d, cp, np, is_mdns)
            if cp is None:
                return False
            qdcount -= 1
    if qdcount:
        return False
    if d.opts.vflag > 1:
        cp = _records(d, cp, ancount, np, is_mdns, "", need_room=False)
        if cp is None:
            return False
        cp = _records(d, cp, nscount, np, is_mdns, " ns:", need_room=True)
        if cp is None:
            return False
        cp = _records(d, cp, arcount, np, is_mdns, " ar:", need_room=True)
        if cp is None:
            return False
    return True
