"""SNMP v1, v2c and v3 as tcpdump 4.99.3 prints it without libsmi (print-snmp.c): a
walk of the BER encoding (asn1_parse, asn1_print) through the message, the community
or the USM header, the PDU and its variable bindings. OIDs are names from mib.h
(snmp_mib.py) unless -n.

A printer's `return -1` after asn1_parse() ends the message's text where it is; reads
past the captured bytes through GET_* raise Truncated (` [|snmp]`, the packet ends).
"""
from __future__ import annotations

from ipemu.plainclass import dataclass
from ipemu.tcpdump.snmp_mib import MIB_NODES, MIBROOT
from ipemu.tcpdump.util import fn_print_char

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

UNIVERSAL = ["U-0", "Boolean", "Integer", "Bitstring", "String", "Null", "ObjID", "ObjectDes",
             "U-8", "U-9", "U-10", "U-11", "U-12", "U-13", "U-14", "U-15", "Sequence", "Set"]
APPLICATION = ["IpAddress", "Counter", "Gauge", "TimeTicks", "Opaque", "C-5", "Counter64"]
CONTEXT = ["GetRequest", "GetNextRequest", "GetResponse", "SetRequest", "Trap", "GetBulk",
           "Inform", "V2Trap", "Report"]
EXCEPTIONS = ["noSuchObject", "noSuchInstance", "endOfMibView"]
PRIVATE = ["P-0"]
# Class[]: defineCLASS(x) puts the literal "x" as every class's name ("not ANSI-C")
CLASSES = [UNIVERSAL, APPLICATION, CONTEXT, PRIVATE, EXCEPTIONS]
FORMS = ["Primitive", "Constructed"]
ERROR_STATUS = ["noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr",
                "noAccess", "wrongType", "wrongLength", "wrongEncoding", "wrongValue",
                "noCreation", "inconsistentValue", "resourceUnavailable", "commitFailed",
                "undoFailed", "authorizationError", "notWritable", "inconsistentName"]
GENERIC_TRAP = ["coldStart", "warmStart", "linkDown", "linkUp", "authenticationFailure",
                "egpNeighborLoss", "enterpriseSpecific"]
SNMP_VERSIONS = ["SNMPv1", "SNMPv2c", "SNMPv2u", "SNMPv3"]

GETREQ, GETNEXTREQ, GETRESP, SETREQ, TRAP, GETBULKREQ, INFORMREQ, V2TRAP, REPORT = range(9)
READ_CLASS = (GETREQ, GETNEXTREQ, GETBULKREQ)

# struct be's types
BE_ANY, BE_NULL, BE_OCTET, BE_OID, BE_INT, BE_UNS, BE_STR, BE_SEQ = 255, 1, 2, 3, 4, 5, 6, 7
BE_INETADDR, BE_PDU, BE_UNS64 = 8, 9, 10
BE_NOSUCHOBJECT, BE_NOSUCHINST, BE_ENDOFMIBVIEW = 128, 129, 130

# obj_abrev_list: (prefix, node whose children follow, BER of the OID prefix)
OBJ_ABBREVS = [("", "mib", bytes([43, 6, 1, 2, 1])),
               ("E:", "enterprises", bytes([43, 6, 1, 4, 1])),
               ("X:", "experimental", bytes([43, 6, 1, 3])),
               ("S:", "snmpModules", bytes([43, 6, 1, 6, 3]))]


@dataclass
class Be:
    """struct be: one parsed BER element; `data` is where its contents start."""
    asnlen: int = 0
    type: int = BE_ANY
    id: int = 0
    form: int = 0
    cls: int = 0
    data: int = 0
    value: int = 0


def _s32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


def asn1_parse(d: Dissector, p: int, length: int, elem: Be) -> int:
    """asn1_parse(): the element at p; its whole length, or -1 (the text is printed)."""
    elem.asnlen = 0
    elem.type = BE_ANY
    if length < 1:
        d.p("[nothing to parse]")
        return -1
    first = d.u8(p)
    ident = first & 0x1F
    form = (first & 0x20) >> 5
    cls = (first & 0xC0) >> 6
    elem.form, elem.cls, elem.id = form, cls, ident
    p += 1
    length -= 1
    hdr = 1
    if ident == 0x1F:           # extended tag field; asn1_parse()'s id is a u_char
        ident = 0
        while d.u8(p) & 0x80:
            if length < 1:
                d.p("[Xtagfield?]")
                return -1
            ident = ((ident << 7) | (d.u8(p) & 0x7F)) & 0xFF
            length -= 1
            hdr += 1
            p += 1
        if length < 1:
            d.p("[Xtagfield?]")
            return -1
        ident = ((ident << 7) | d.u8(p)) & 0xFF
        elem.id = ident
        length -= 1
        hdr += 1
        p += 1
    if length < 1:
        d.p("[no asnlen]")
        return -1
    elem.asnlen = d.u8(p)
    p += 1
    length -= 1
    hdr += 1
    if elem.asnlen & 0x80:
        noct = elem.asnlen % 0x80
        elem.asnlen = 0
        if length < noct:
            d.p(f"[asnlen? {length}<{noct}]")
            return -1
        if not d.ttest(p, noct):
            d.nd_print_trunc()
            return -1
        for _ in range(noct):
            elem.asnlen = ((elem.asnlen << 8) | d.u8(p)) & 0xFFFFFFFF
            p += 1
            length -= 1
            hdr += 1
    if length < elem.asnlen:
        d.p(f"[len{length}<asnlen{elem.asnlen}]")
        return -1
    names = CLASSES[cls]
    if ident >= len(names):
        d.p(f"[id?{FORMS[form][0]}/x/{ident}]")
        return -1
    if not d.ttest(p, elem.asnlen):
        d.nd_print_trunc()
        return -1
    elem.data = p
    if form == 0:
        if cls == 0:
            if ident == 4:
                elem.type = BE_STR
            elif ident == 2:
                elem.type = BE_INT
                if elem.asnlen == 0:
                    d.p("[asnlen=0]")
                    return -1
                data = -1 if d.u8(p) & 0x80 else 0
                for i in range(elem.asnlen):
                    data = (data << 8) | d.u8(p + i)
                elem.value = _s32(data)
            elif ident == 6:
                elem.type = BE_OID
            elif ident == 5:
                elem.type = BE_NULL
            else:
                elem.type = BE_OCTET
                d.p(f"[P/U/{names[ident]}]")
        elif cls == 1:
            if ident == 0:
                elem.type = BE_INETADDR
            elif ident in (1, 2, 3):
                elem.type = BE_UNS
                data = 0
                for i in range(elem.asnlen):
                    data = ((data << 8) + d.u8(p + i)) & 0xFFFFFFFF
                elem.value = data
            elif ident == 6:
                elem.type = BE_UNS64
                data = 0
                for i in range(elem.asnlen):
                    data = ((data << 8) + d.u8(p + i)) & 0xFFFFFFFFFFFFFFFF
                elem.value = data
            else:
                elem.type = BE_OCTET
                d.p(f"[P/A/{names[ident]}]")
        elif cls == 2:
            elem.type = {0: BE_NOSUCHOBJECT, 1: BE_NOSUCHINST, 2: BE_ENDOFMIBVIEW}.get(
                ident, BE_ANY)
        else:
            d.p(f"[P/x/{names[ident]}]")
            elem.type = BE_OCTET
    else:
        if cls == 0:
            if ident == 16:
                elem.type = BE_SEQ
            else:
                elem.type = BE_OCTET
                d.p(f"C/U/{names[ident]}")
        elif cls == 2:
            elem.type = BE_PDU
        else:
            elem.type = BE_OCTET
            d.p(f"C/x/{names[ident]}")
    return elem.asnlen + hdr


def asn1_print_octets(d: Dissector, elem: Be) -> int:
    if not d.ttest(elem.data, elem.asnlen):
        d.nd_print_trunc()
        return -1
    d.p("".join(f"_{d.u8(elem.data + i):02x}" for i in range(elem.asnlen)))
    return 0


def asn1_print_string(d: Dissector, elem: Be) -> int:
    p, n = elem.data, elem.asnlen
    if not d.ttest(p, n):
        d.nd_print_trunc()
        return -1
    raw = d.bytes_(p, n)
    if all(0x20 <= c <= 0x7E for c in raw):
        d.p('"' + "".join(fn_print_char(c) for c in raw) + '"')
    else:
        d.p("_".join(f"{c:02x}" for c in raw))
    return 0


def _print_oid(d: Dissector, elem: Be) -> None:
    """asn1_print()'s BE_OID: sub-identifiers named while OBJ_PRINT's walk of mib.h
    finds them (`objp` is the sibling chain it searches), numbers after that."""
    p, i = elem.data, elem.asnlen
    first = -1
    chain: dict[int, str] | None = None
    if not d.opts.nflag and i > 2:
        for prefix, node, oid in OBJ_ABBREVS:
            if i < len(oid) or not d.ttest(p, len(oid)):
                continue
            if d.bytes_(p, len(oid)) == oid:
                chain = MIB_NODES[node][1]
                i -= len(oid)
                p += len(oid)
                d.p(prefix)
                first = 1
                break

    def obj_print(o: int, suppressdot: int) -> dict[int, str] | None:
        child = chain.get(o) if chain is not None else None
        dot = "" if suppressdot else "."
        if child is None:
            d.p(f"{dot}{o}")
            return None
        d.p(dot + MIB_NODES[child][0])
        return MIB_NODES[child][1]

    o = 0
    while i:
        b = d.u8(p)
        o = ((o << 7) + (b & 0x7F)) & 0xFFFFFFFF
        p += 1
        i -= 1
        if b & 0x80:
            continue
        if first < 0:
            # the first octet holds two sub-identifiers (X.690 8.19.4)
            if not d.opts.nflag:
                chain = {1: MIBROOT}     # mibroot: iso(1), alone
            first = 0
            s = min(o // 40, 2)
            chain = obj_print(s, first)
            o -= s * 40
        chain = obj_print(o, first)
        first = max(first - 1, 0)
        o = 0


def asn1_print(d: Dissector, elem: Be) -> int:
    """asn1_print()."""
    t = elem.type
    if t == BE_OCTET:
        return asn1_print_octets(d, elem)
    if t == BE_NULL:
        pass
    elif t == BE_OID:
        _print_oid(d, elem)
    elif t == BE_INT:
        d.p(f"{elem.value}")
    elif t in (BE_UNS, BE_UNS64):
        d.p(f"{elem.value}")
    elif t == BE_STR:
        return asn1_print_string(d, elem)
    elif t == BE_SEQ:
        d.p(f"Seq({elem.asnlen})")
    elif t == BE_INETADDR:
        if elem.asnlen != 4:
            d.p("[inetaddr len!=4]")
        if not d.ttest(elem.data, elem.asnlen):
            d.nd_print_trunc()
            return -1
        d.p(".".join(str(d.u8(elem.data + i)) for i in range(elem.asnlen)))
    elif t in (BE_NOSUCHOBJECT, BE_NOSUCHINST, BE_ENDOFMIBVIEW):
        d.p(f"[{EXCEPTIONS[elem.id]}]")
    elif t == BE_PDU:
        d.p(f"{CONTEXT[elem.id]}({elem.asnlen})")
    elif t == BE_ANY:
        d.p("[BE_ANY!?]")
    else:
        d.p("[be!?]")
    return 0


def _expect(d: Dissector, np: int, length: int, elem: Be, want: int, what: str) -> int:
    """asn1_parse() then the printers' type check: -1 when either fails."""
    count = asn1_parse(d, np, length, elem)
    if count < 0:
        return -1
    if elem.type != want:
        d.p(f"[{what}]")
        asn1_print(d, elem)
        return -1
    return count


def _error_status(e: int) -> str:
    return ERROR_STATUS[e] if 0 <= e < len(ERROR_STATUS) else f"err={e & 0xFFFFFFFF}"


def varbind_print(d: Dissector, pduid: int, np: int, length: int) -> None:
    """varbind_print()."""
    elem = Be()
    count = _expect(d, np, length, elem, BE_SEQ, "!SEQ of varbind")
    if count < 0:
        return
    if count < length:
        d.p(f"[{length - count} extra after SEQ of varbind]")
    length, np = elem.asnlen, elem.data
    while length:
        d.p(" ")
        count = _expect(d, np, length, elem, BE_SEQ, "!varbind")
        if count < 0:
            return
        vbend, vblength = np + count, length - count
        length, np = elem.asnlen, elem.data
        count = _expect(d, np, length, elem, BE_OID, "objName!=OID")
        if count < 0:
            return
        status = asn1_print(d, elem)
        if status < 0:
            return
        length -= count
        np += count
        if pduid not in READ_CLASS:
            d.p("=")
        count = asn1_parse(d, np, length, elem)
        if count < 0:
            return
        if pduid in READ_CLASS:
            if elem.type != BE_NULL:
                d.p("[objVal!=NULL]")
                if asn1_print(d, elem) < 0:
                    return
        else:
            if elem.type != BE_NULL:
                status = asn1_print(d, elem)
            if status < 0:
                return
        length, np = vblength, vbend


def snmppdu_print(d: Dissector, pduid: int, np: int, length: int) -> None:
    """snmppdu_print(): request id, error status and index, the bindings."""
    elem = Be()
    checked = (GETREQ, GETNEXTREQ, SETREQ, INFORMREQ, V2TRAP, REPORT)
    count = _expect(d, np, length, elem, BE_INT, "reqId!=INT")
    if count < 0:
        return
    if d.opts.vflag:
        d.p(f"R={elem.value} ")
    length -= count
    np += count
    count = _expect(d, np, length, elem, BE_INT, "errorStatus!=INT")
    if count < 0:
        return
    error_status = 0
    if pduid in checked and elem.value != 0:
        d.p(f"[errorStatus({_error_status(elem.value)})!=0]")
    elif pduid == GETBULKREQ:
        d.p(f" N={elem.value}")
    elif elem.value != 0:
        d.p(f" {_error_status(elem.value)}")
        error_status = elem.value
    length -= count
    np += count
    count = _expect(d, np, length, elem, BE_INT, "errorIndex!=INT")
    if count < 0:
        return
    if pduid in checked and elem.value != 0:
        d.p(f"[errorIndex({elem.value})!=0]")
    elif pduid == GETBULKREQ:
        d.p(f" M={elem.value}")
    elif elem.value != 0:
        d.p(f"@{elem.value}" if error_status else f"[errorIndex({elem.value}) w/o errorStatus]")
    elif error_status:
        d.p("[errorIndex==0]")
    length -= count
    np += count
    varbind_print(d, pduid, np, length)


def trappdu_print(d: Dissector, np: int, length: int) -> None:
    """trappdu_print(): an SNMPv1 trap."""
    elem = Be()
    d.p(" ")
    count = _expect(d, np, length, elem, BE_OID, "enterprise!=OID")
    if count < 0 or asn1_print(d, elem) < 0:
        return
    length -= count
    np += count
    d.p(" ")
    count = _expect(d, np, length, elem, BE_INETADDR, "agent-addr!=INETADDR")
    if count < 0 or asn1_print(d, elem) < 0:
        return
    length -= count
    np += count
    count = _expect(d, np, length, elem, BE_INT, "generic-trap!=INT")
    if count < 0:
        return
    generic = elem.value
    d.p(" " + (GENERIC_TRAP[generic] if 0 <= generic < len(GENERIC_TRAP) else f"gt={generic}"))
    length -= count
    np += count
    count = _expect(d, np, length, elem, BE_INT, "specific-trap!=INT")
    if count < 0:
        return
    if generic != 6:
        if elem.value != 0:
            d.p(f"[specific-trap({elem.value})!=0]")
    else:
        d.p(f" s={elem.value}")
    length -= count
    np += count
    d.p(" ")
    count = _expect(d, np, length, elem, BE_UNS, "time-stamp!=TIMETICKS")
    if count < 0 or asn1_print(d, elem) < 0:
        return
    length -= count
    np += count
    varbind_print(d, TRAP, np, length)


def pdu_print(d: Dissector, np: int, length: int, version: int) -> None:
    """pdu_print()."""
    pdu = Be()
    count = asn1_parse(d, np, length, pdu)
    if count < 0:
        return
    if pdu.type != BE_PDU:
        d.p("[no PDU]")
        return
    if count < length:
        d.p(f"[{length - count} extra after PDU]")
    if d.opts.vflag:
        d.p("{ ")
    if asn1_print(d, pdu) < 0:
        return
    d.p(" ")
    length, np = pdu.asnlen, pdu.data
    if version == 0 and pdu.id in (GETBULKREQ, INFORMREQ, V2TRAP, REPORT):
        d.p("[v2 PDU in v1 message]")
        return
    if version == 1 and pdu.id == TRAP:
        d.p("[v1 PDU in v2 message]")
        return
    if pdu.id == TRAP:
        trappdu_print(d, np, length)
    elif pdu.id <= REPORT:
        snmppdu_print(d, pdu.id, np, length)
    if d.opts.vflag:
        d.p(" } ")


def scopedpdu_print(d: Dissector, np: int, length: int, version: int) -> None:
    """scopedpdu_print(): SNMPv3's context engine and name, then the PDU."""
    elem = Be()
    count = _expect(d, np, length, elem, BE_SEQ, "!scoped PDU")
    if count < 0:
        return
    length, np = elem.asnlen, elem.data
    count = _expect(d, np, length, elem, BE_STR, "contextEngineID!=STR")
    if count < 0:
        return
    length -= count
    np += count
    d.p("E=")
    if asn1_print_octets(d, elem) == -1:
        return
    d.p(" ")
    count = _expect(d, np, length, elem, BE_STR, "contextName!=STR")
    if count < 0:
        return
    length -= count
    np += count
    d.p("C=")
    if asn1_print_string(d, elem) == -1:
        return
    d.p(" ")
    pdu_print(d, np, length, version)


def community_print(d: Dissector, np: int, length: int, version: int) -> None:
    """community_print(): the community unless it is "public"."""
    elem = Be()
    count = _expect(d, np, length, elem, BE_STR, "comm!=STR")
    if count < 0:
        return
    if not (elem.asnlen == 6 and d.data[elem.data:elem.data + 6] == b"public"):
        d.p("C=")
        if asn1_print_string(d, elem) == -1:
            return
        d.p(" ")
    length -= count
    np += count
    pdu_print(d, np, length, version)


def usm_print(d: Dissector, np: int, length: int) -> None:
    """usm_print(): the user-based security model's parameters."""
    elem = Be()
    count = _expect(d, np, length, elem, BE_SEQ, "!usm")
    if count < 0:
        return
    length, np = elem.asnlen, elem.data
    count = _expect(d, np, length, elem, BE_STR, "msgAuthoritativeEngineID!=STR")
    if count < 0:
        return
    length -= count
    np += count
    count = _expect(d, np, length, elem, BE_INT, "msgAuthoritativeEngineBoots!=INT")
    if count < 0:
        return
    if d.opts.vflag:
        d.p(f"B={elem.value} ")
    length -= count
    np += count
    count = _expect(d, np, length, elem, BE_INT, "msgAuthoritativeEngineTime!=INT")
    if count < 0:
        return
    if d.opts.vflag:
        d.p(f"T={elem.value} ")
    length -= count
    np += count
    count = _expect(d, np, length, elem, BE_STR, "msgUserName!=STR")
    if count < 0:
        return
    length -= count
    np += count
    d.p("U=")
    if asn1_print_string(d, elem) == -1:
        return
    d.p(" ")
    for what in ("msgAuthenticationParameters!=STR", "msgPrivacyParameters!=STR"):
        count = _expect(d, np, length, elem, BE_STR, what)
        if count < 0:
            return
        length -= count
        np += count
    if count < length:
        d.p(f"[{length - count} extra after usm SEQ]")


def v3msg_print(d: Dissector, np: int, length: int) -> None:
    """v3msg_print(): SNMPv3's header, security parameters and scoped PDU."""
    elem = Be()
    xnp, xlength = np, length
    count = _expect(d, np, length, elem, BE_SEQ, "!message")
    if count < 0:
        return
    length, np = elem.asnlen, elem.data
    v = d.opts.vflag
    if v:
        d.p("{ ")
    for what in ("msgID!=INT", "msgMaxSize!=INT"):
        count = _expect(d, np, length, elem, BE_INT, what)
        if count < 0:
            return
        length -= count
        np += count
    count = _expect(d, np, length, elem, BE_STR, "msgFlags!=STR")
    if count < 0:
        return
    if elem.asnlen != 1:
        d.p(f"[msgFlags size {elem.asnlen}]")
        return
    flags = d.u8(elem.data)
    if flags not in (0x00, 0x01, 0x03, 0x04, 0x05, 0x07):
        d.p(f"[msgFlags=0x{flags:02X}]")
        return
    length -= count
    np += count
    d.p(f"F={'a' if flags & 1 else ''}{'p' if flags & 2 else ''}{'r' if flags & 4 else ''} ")
    count = _expect(d, np, length, elem, BE_INT, "msgSecurityModel!=INT")
    if count < 0:
        return
    model = elem.value
    length -= count
    np += count
    if count < length:
        d.p(f"[{length - count} extra after message SEQ]")
    if v:
        d.p("} ")
    if model != 3:
        d.p(f"[security model {model}]")
        return
    if v:
        d.p("{ USM ")
    length = xlength - (np - xnp)
    count = _expect(d, np, length, elem, BE_STR, "msgSecurityParameters!=STR")
    if count < 0:
        return
    length -= count
    np += count
    usm_print(d, elem.data, elem.asnlen)
    if v:
        d.p("} ")
        d.p("{ ScopedPDU ")
    scopedpdu_print(d, np, length, 3)
    if v:
        d.p("} ")


def snmp_print(d: Dissector, np: int, length: int) -> None:
    """snmp_print(): what udp_print() hands the datagrams of ports 161 and 162."""
    d.protocol = "snmp"
    d.p(" ")
    elem = Be()
    count = _expect(d, np, length, elem, BE_SEQ, "!init SEQ")
    if count < 0:
        return
    if count < length:
        d.p(f"[{length - count} extra after iSEQ]")
    length, np = elem.asnlen, elem.data
    count = _expect(d, np, length, elem, BE_INT, "version!=INT")
    if count < 0:
        return
    version = elem.value
    if version not in (0, 1, 3):
        d.p(f"SNMP [version = {version}]")
        return
    if d.opts.vflag:
        d.p(f"{{ {SNMP_VERSIONS[version]} ")
    length -= count
    np += count
    if version == 3:
        v3msg_print(d, np, length)
    else:
        community_print(d, np, length, version)
    if d.opts.vflag:
        d.p("} ")
