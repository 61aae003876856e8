"""BOOTP and DHCP as tcpdump 4.99.3 prints them (print-bootp.c): op and client, and with
-v the header fields and the RFC 1048 options (or the CMU vendor area)."""
from __future__ import annotations

from ipemu.tcpdump.util import nd_printn

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

BOOTPREQUEST, BOOTPREPLY = 1, 2
VM_RFC1048 = bytes((99, 130, 83, 99))
VM_CMU = b"CMU\0"
TAG_PAD, TAG_END = 0, 255
TAG_NETBIOS_NODE, TAG_OPT_OVERLOAD, TAG_DHCP_MESSAGE, TAG_PARM_REQUEST = 46, 52, 53, 55
TAG_CLIENT_ID, TAG_USER_CLASS, TAG_CLIENT_FQDN, TAG_AGENT_CIRCUIT = 61, 77, 81, 82
TAG_CLASSLESS_STATIC_RT, TAG_CLASSLESS_STA_RT_MS = 121, 249

# tag2str: the first character says how the value is printed (a ASCII, i addresses,
# l/L unsigned/signed 32-bit, s 16-bit, b bytes, B booleans, p address pairs, $ special)
TAG2STR = {
    0: " PAD", 1: "iSubnet-Mask", 2: "LTime-Zone", 3: "iDefault-Gateway", 4: "iTime-Server",
    5: "iIEN-Name-Server", 6: "iDomain-Name-Server", 7: "iLOG", 8: "iCS", 9: "iLPR-Server",
    10: "iIM", 11: "iRL", 12: "aHostname", 13: "sBS", 255: " END", 14: "aDP",
    15: "aDomain-Name", 16: "iSS", 17: "aRP", 18: "aEP", 19: "BIPF", 20: "BSRT", 21: "pPF",
    22: "sRSZ", 23: "bTTL", 24: "lMTU-Timeout", 25: "sMTU-Table", 26: "sMTU", 27: "BLSN",
    28: "iBR", 29: "BMD", 30: "BMS", 31: "BRouter-Discovery", 32: "iRSA",
    33: "pStatic-Route", 34: "BUT", 35: "lAT", 36: "BIE", 37: "bTT", 38: "lKI", 39: "BKG",
    40: "aYD", 41: "iYS", 42: "iNTP", 43: "bVendor-Option", 44: "iNetbios-Name-Server",
    45: "iWDD", 46: "$Netbios-Node", 47: "aNetbios-Scope", 48: "iXFS", 49: "iXDM",
    64: "sN+D", 65: "iN+S", 68: "iMH", 69: "iSMTP", 70: "iPOP3", 71: "iNNTP", 72: "iWWW",
    73: "iFG", 74: "iIRC", 75: "iSTS", 76: "iSTDA", 50: "iRequested-IP", 51: "lLease-Time",
    52: "$OO", 66: "aTFTP", 67: "aBF", 53: " DHCP-Message", 54: "iServer-ID",
    55: "bParameter-Request", 56: "aMSG", 57: "sMSZ", 58: "lRN", 59: "lRB",
    60: "aVendor-Class", 61: "$Client-ID", 98: "aUAP", 116: "BNOAUTO", 78: "bSLP-DA",
    79: "bSLP-SCOPE", 117: "sNSSEARCH", 77: "$User-Class", 118: "iSUBNET",
    121: "$Classless-Static-Route", 249: "$Classless-Static-Route-Microsoft",
    150: "iTFTP-Server-Address", 80: "aSLP-NA", 81: "$FQDN", 82: "$Agent-Information",
    83: "bARMT", 88: "aTZSTR", 89: "bFQDNS", 90: "bAUTH", 91: "LLast-Transaction-Time",
    92: "iAssociated-IP", 93: "sARCH", 94: "bNDI", 97: "bGUID", 95: "aLDAP",
    100: "aPOSIX-TZ", 101: "aTZ-Name", 112: "iNI", 113: "aNITAG", 114: "aURL",
    161: "aMUD-URL",
}
OO2STR = {1: "file", 2: "sname", 3: "file+sname"}
NBO2STR = {1: "b-node", 2: "p-node", 4: "m-node", 8: "h-node"}
ARP2STR = {1: "ether", 6: "ieee802", 7: "arcnet", 15: "frelay", 23: "strip", 24: "ieee1394"}
DHCP_MSG = {1: "Discover", 2: "Offer", 3: "Request", 4: "Decline", 5: "ACK", 6: "NACK",
            7: "Release", 8: "Inform", 10: "LeaseQuery", 11: "LeaseUnassigned",
            12: "LeaseUnknown", 13: "LeaseActive"}
AGENT_SUBOPTIONS = {1: "Circuit-ID", 2: "Remote-ID", 6: "Subscriber-ID"}


class _Trunc(Exception):
    """`goto trunc` in rfc1048_print(): ` [|bootp]`."""


def bootp_print(d: Dissector, bp: int, length: int) -> None:
    """bootp_print()."""
    d.protocol = "bootp"
    op = d.u8(bp)
    d.p("BOOTP/DHCP, " + {1: "Request", 2: "Reply"}.get(op, f"unknown (0x{op:02x})"))
    htype, hlen = d.u8(bp + 1), d.u8(bp + 2)
    if htype == 1 and hlen == 6 and op == BOOTPREQUEST:
        d.p(f" from {d.etheraddr_string(bp + 28)}")
    d.p(f", length {length}")
    if not d.opts.vflag:
        return
    d.need(bp + 8, 2)
    if htype != 1:
        d.p(f", htype {htype}")
    if htype != 1 or hlen != 6:
        d.p(f", hlen {hlen}")
    if d.u8(bp + 3):
        d.p(f", hops {d.u8(bp + 3)}")
    if d.u32(bp + 4):
        d.p(f", xid 0x{d.u32(bp + 4):x}")
    if d.u16(bp + 8):
        d.p(f", secs {d.u16(bp + 8)}")
    flags = d.u16(bp + 10)
    d.p(f", Flags [{'Broadcast' if flags & 0x8000 else 'none'}]")
    if d.opts.vflag > 1:
        d.p(f" (0x{flags:04x})")
    for label, at in (("Client-IP", 12), ("Your-IP", 16), ("Server-IP", 20),
                      ("Gateway-IP", 24)):
        if d.u32(bp + at):
            d.p(f"\n\t  {label} {d.ipaddr_string(bp + at)}")
    if htype == 1 and hlen == 6:
        d.p(f"\n\t  Client-Ethernet-Address {d.etheraddr_string(bp + 28)}")
    for label, at, size in (("sname", 44, 64), ("file", 108, 128)):
        if d.u8(bp + at):
            d.p(f'\n\t  {label} "')
            if _printztn(d, bp + at, size) == 0:
                d.p(f'" [|{d.protocol}]')
                return
            d.p('"')
    vend = bp + 236
    d.need(vend, 4)
    magic = d.bytes_(vend, 4)
    try:
        if magic == VM_RFC1048:
            _rfc1048_print(d, vend)
        elif magic == VM_CMU:
            _cmu_print(d, vend)
        elif d.u32(vend):
            d.p(f"\n\t  Vendor-#0x{d.u32(vend):x}")
    except _Trunc:
        d.p(f" [|{d.protocol}]")


def _printztn(d: Dissector, off: int, n: int) -> int:
    from ipemu.tcpdump.util import nd_printztn
    return nd_printztn(d, off, n, stop_at_snapend=True)


def _printn(d: Dissector, off: int, n: int) -> None:
    """A quoted nd_printn() that ends the options when the capture ends."""
    d.p('"')
    if nd_printn(d, off, n, stop_at_snapend=True):
        d.p('"')
        raise _Trunc()
    d.p('"')


def _rfc1048_print(d: Dissector, bp: int) -> None:
    """rfc1048_print(): the magic cookie, then each option."""
    v = d.opts.vflag
    d.p("\n\t  Vendor-rfc1048 Extensions")
    d.p(f"\n\t    Magic Cookie 0x{d.u32(bp):08x}")
    bp += 4
    while d.ttest(bp, 1):
        tag = d.u8(bp)
        bp += 1
        if tag == TAG_PAD and v < 3:
            continue
        if tag == TAG_END and v < 3:
            return
        name = TAG2STR.get(tag, "?Unknown")
        c, name = name[0], name[1:]
        if tag in (TAG_PAD, TAG_END):
            length = 0
        else:
            length = d.u8(bp)
            bp += 1
        d.p(f"\n\t    {name} ({tag}), length {length}{': ' if length > 0 else ''}")
        if tag == TAG_PAD and v > 2:
            ntag = 1
            while d.ttest(bp, 1) and d.u8(bp) == TAG_PAD:
                bp += 1
                ntag += 1
            if ntag > 1:
                d.p(f", occurs {ntag}")
        if not d.ttest(bp, length):
            raise _Trunc()
        if tag == TAG_DHCP_MESSAGE and length == 1:
            d.p(DHCP_MSG.get(d.u8(bp), f"Unknown ({d.u8(bp)})"))
            bp += 1
            continue
        if tag == TAG_PARM_REQUEST:
            for idx in range(length):
                inner = d.u8(bp + idx)
                d.p("\n\t      " if idx % 4 == 0 else ", ")
                d.p(f"{TAG2STR.get(inner, '?Unknown')[1:]} ({inner})")
            bp += length
            continue
        if c == "?":
            c = "b" if length & 1 else "s" if length & 2 else "l"
        bp, length = _option_data(d, c, tag, bp, length)
        if length:
            d.p(f"\n\t  trailing data length {length}")
            bp += length


def _option_data(d: Dissector, c: str, tag: int, bp: int, length: int) -> tuple[int, int]:
    """The value of one option by its format letter; (next offset, bytes left over)."""
    if c == "a":
        _printn(d, bp, length)
        return bp + length, 0
    if c in "ilL":
        values = []
        while length >= 4:
            if c == "i":
                values.append(d.ipaddr_string(bp))
            elif c == "L":
                u = d.u32(bp)
                values.append(str(u - (1 << 32) if u & 0x80000000 else u))
            else:
                values.append(str(d.u32(bp)))
            bp += 4
            length -= 4
        d.p(",".join(values))
        return bp, length
    if c == "p":
        values = []
        while length >= 8:
            values.append(f"({d.ipaddr_string(bp)}:{d.ipaddr_string(bp + 4)})")
            bp += 8
            length -= 8
        d.p(",".join(values))
        return bp, length
    if c == "s":
        values = []
        while length >= 2:
            values.append(str(d.u16(bp)))
            bp += 2
            length -= 2
        d.p(",".join(values))
        return bp, length
    if c == "B":
        values = []
        while length > 0:
            b = d.u8(bp)
            values.append({0: "N", 1: "Y"}.get(b, f"{b}?"))
            bp += 1
            length -= 1
        d.p(",".join(values))
        return bp, length
    if c == "$":
        return _special(d, tag, bp, length)
    sep, fmt = (":", "{:02x}") if c == "x" else (".", "{}")
    d.p(sep.join(fmt.format(d.u8(bp + i)) for i in range(length)))
    return bp + length, 0


def _special(d: Dissector, tag: int, bp: int, length: int) -> tuple[int, int]:
    """The `$` options of rfc1048_print()."""
    if tag in (TAG_NETBIOS_NODE, TAG_OPT_OVERLOAD):
        if length < 1:
            d.p("[ERROR: length < 1 bytes]")
            return bp, length
        value = d.u8(bp)
        d.p((NBO2STR if tag == TAG_NETBIOS_NODE else OO2STR).get(value, f"#{value}"))
        return bp + 1, length - 1
    if tag == TAG_CLIENT_FQDN:
        if length < 3:
            d.p("[ERROR: length < 3 bytes]")
            return bp + length, 0
        flags = d.u8(bp)
        if flags & 0xF0:
            d.p(f"[ERROR: MBZ nibble 0x{(flags & 0xF0) >> 4:x} != 0] ")
        if flags & 0x0F:
            d.p("[" + "".join(ch for bit, ch in ((1, "S"), (2, "O"), (4, "E"), (8, "N"))
                              if flags & bit) + "] ")
        bp += 1
        if d.u8(bp) or d.u8(bp + 1):
            d.p(f"{d.u8(bp)}/{d.u8(bp + 1)} ")
        bp += 2
        _printn(d, bp, length - 3)
        return bp + length - 3, 0
    if tag == TAG_CLIENT_ID:
        if length < 1:
            d.p("[ERROR: length < 1 bytes]")
            return bp, length
        kind = d.u8(bp)
        bp += 1
        length -= 1
        if kind == 0:
            _printn(d, bp, length)
            return bp + length, 0
        d.p(ARP2STR.get(kind, f"hardware-type {kind},") + " ")
        d.p(":".join(f"{d.u8(bp + i):02x}" for i in range(length)))
        return bp + length, 0
    if tag == TAG_AGENT_CIRCUIT:
        while length >= 2:
            subopt, sublen = d.u8(bp), d.u8(bp + 1)
            bp += 2
            length -= 2
            name = AGENT_SUBOPTIONS.get(subopt, "Unknown")
            if sublen > length:
                d.p(f"\n\t      {name} SubOption {subopt}, length {sublen}: "
                    "length goes past end of option")
                return bp + length, 0
            d.p(f"\n\t      {name} SubOption {subopt}, length {sublen}: ")
            if subopt in AGENT_SUBOPTIONS:
                if nd_printn(d, bp, sublen, stop_at_snapend=True):
                    raise _Trunc()
            else:
                d.print_unknown_data(bp, "\n\t\t", sublen)
            length -= sublen
            bp += sublen
        return bp, length
    if tag in (TAG_CLASSLESS_STATIC_RT, TAG_CLASSLESS_STA_RT_MS):
        return _classless_routes(d, bp, length)
    if tag == TAG_USER_CLASS:
        return _user_class(d, bp, length)
    d.p(f"[unknown special tag {tag}, size {length}]")
    return bp + length, 0


def _classless_routes(d: Dissector, bp: int, length: int) -> tuple[int, int]:
    if length < 5:
        d.p("[ERROR: length < 5 bytes]")
        return bp + length, 0
    first = True
    while length > 0:
        if not first:
            d.p(",")
        width = d.u8(bp)
        bp += 1
        length -= 1
        if width > 32:
            d.p(f"[ERROR: Mask width ({width}) > 32]")
            return bp + length, 0
        octets = (width + 7) // 8
        if length < octets + 4:
            d.p(f"[ERROR: Remaining length ({length}) < {octets + 4} bytes]")
            return bp + length, 0
        d.p("(")
        if width == 0:
            d.p("default")
        else:
            d.p(".".join(str(d.u8(bp + i)) for i in range(octets)) + ".0" * (4 - octets)
                + f"/{width}")
            bp += octets
        d.p(f":{d.ipaddr_string(bp)})")
        bp += 4
        length -= octets + 4
        first = False
    return bp, length


def _user_class(d: Dissector, bp: int, length: int) -> tuple[int, int]:
    if length < 2:
        d.p("[ERROR: length < 2 bytes]")
        return bp + length, 0
    number = 1
    while length > 0:
        sublen = d.u8(bp)
        bp += 1
        length -= 1
        d.p(f"\n\t      instance#{number}: ")
        if sublen == 0:
            d.p("[ERROR: suboption length must be non-zero]")
            return bp + length, 0
        if length < sublen:
            d.p("[ERROR: invalid option]")
            return bp + length, 0
        _printn(d, bp, sublen)
        d.p(f", length {sublen}")
        number += 1
        length -= sublen
        bp += sublen
    return bp, length


def _cmu_print(d: Dissector, bp: int) -> None:
    """cmu_print(): the CMU vendor area's addresses."""
    d.p(" vend-cmu")
    if not d.ttest(bp + 4, 4):
        raise _Trunc()
    flags = d.u8(bp + 4)
    if flags & ~1:
        d.p(f" F:0x{flags:x}")
    for label, at in (("DG", 12), ("SM" if flags & 1 else "SM*", 8), ("NS1", 16),
                      ("NS2", 20), ("IEN1", 24), ("IEN2", 28), ("TS1", 32), ("TS2", 36)):
        if not d.ttest(bp + at, 4):
            raise _Trunc()
        if d.u32(bp + at):
            d.p(f" {label}:{d.ipaddr_string(bp + at)}")
