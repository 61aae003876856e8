"""Ethertypes between the link and IP as tcpdump 4.99.3 prints them: PPPoE discovery and
session frames (print-pppoe.c) with the PPP inside (print-ppp.c ppp_print(),
handle_ppp()), MPLS label stacks (print-mpls.c) and Ethernet loopback test frames
(print-loopback.c). PPP's control protocols print their code, id and length, under -v
LCP's, IPCP's, IP6CP's and CCP's options; PAP and CHAP their fields (handle_pap(),
handle_chap())."""
from __future__ import annotations

from ipemu.tcpdump.util import print_invalid

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

PPPOE_CODES = {0x09: "PADI", 0x07: "PADO", 0x19: "PADR", 0x65: "PADS", 0xA7: "PADT",
               0: ""}
PPPOE_TAGS = {0: "EOL", 0x0101: "Service-Name", 0x0102: "AC-Name", 0x0103: "Host-Uniq",
              0x0104: "AC-Cookie", 0x0105: "Vendor-Specific", 0x0110: "Relay-Session-ID",
              0x0120: "PPP-Max-Payload", 0x0201: "Service-Name-Error",
              0x0202: "AC-System-Error", 0x0203: "Generic-Error"}
PPPOE_HDRLEN = 6
MAXTAGPRINT = 80
PPP_TYPES = {      # ppptype2str (print-ppp.c)
    0x0021: "IP", 0x0023: "OSI", 0x0025: "NS", 0x0027: "DECNET", 0x0029: "APPLE",
    0x002B: "IPX", 0x002D: "VJC IP", 0x002F: "VJNC IP", 0x0031: "BRPDU", 0x0033: "STII",
    0x0035: "VINES", 0x0281: "MPLS", 0x0283: "MPLS", 0x00FD: "Compressed", 0x003D: "MLPPP",
    0x0057: "IP6", 0x0201: "HELLO", 0x0231: "LUXCOM", 0x0233: "SNS", 0x8021: "IPCP",
    0x8023: "OSICP", 0x8025: "NSCP", 0x8027: "DECNETCP", 0x8029: "APPLECP",
    0x802B: "IPXCP", 0x8033: "STIICP", 0x8035: "VINESCP", 0x8057: "IP6CP", 0x8281: "MPLSCP",
    0xC021: "LCP", 0xC023: "PAP", 0xC025: "LQM", 0xC223: "CHAP", 0xC227: "EAP",
    0xC027: "SPAP", 0xC123: "Old-SPAP", 0xC02B: "BACP", 0xC02D: "BAP", 0xC03D: "MLPPP-CP",
    0x80FD: "CCP"}
CP_CODES = ("Vendor-Extension", "Conf-Request", "Conf-Ack", "Conf-Nack", "Conf-Reject",
            "Term-Request", "Term-Ack", "Code-Reject", "Prot-Reject", "Echo-Request",
            "Echo-Reply", "Disc-Req", "Ident", "Time-Rem", "Reset-Req", "Reset-Ack")  # cpcodes
CTRL_PROTOS = (0xC021, 0x8021, 0x8023, 0x8281, 0x8057, 0x80FD, 0xC02B)
MPLS_LABELNAMES = ("IPv4 explicit NULL", "router alert", "IPv6 explicit NULL",
                   "implicit NULL") + ("rsvd",) * 12      # mpls_labelname[], labels 0-15


def pppoe_print(d: Dissector, bp: int, length: int) -> int:
    """pppoe_print(): the code, session id and tags of discovery frames; a session
    frame's PPP. Returns the header length it took."""
    d.protocol = "pppoe"
    if length < PPPOE_HDRLEN:
        d.p(f" (length {length} < {PPPOE_HDRLEN})")
        print_invalid(d)
        return 0
    length -= PPPOE_HDRLEN
    d.need(bp, PPPOE_HDRLEN)
    ver, typ, code = d.u8(bp) >> 4, d.u8(bp) & 0x0F, d.u8(bp + 1)
    session, plen = d.u16(bp + 2), d.u16(bp + 4)
    payload = bp + PPPOE_HDRLEN
    if ver != 1:
        d.p(f" [ver {ver}]")
    if typ != 1:
        d.p(f" [type {typ}]")
    d.p("PPPoE " + PPPOE_CODES.get(code, f"PAD-{code:x}"))
    if code == 0x09 and plen > 1484 - PPPOE_HDRLEN:
        d.p(f" [len {plen}!]")
    if plen > length:
        d.p(f" [len {plen} > {length}!]")
        plen = length
    if session:
        d.p(f" [ses 0x{session:x}]")
    if not code:
        d.p(" ")
        return PPPOE_HDRLEN + ppp_print(d, payload, plen)
    tag_type, p = 0xFFFF, payload
    while tag_type and p < payload + plen:
        tag_type, tag_len = d.u16(p), d.u16(p + 2)
        p += 4
        name = PPPOE_TAGS.get(tag_type, f"TAG-0x{tag_type:x}")
        if tag_len:
            value = d.bytes_(p, tag_len)
            shown = value[:MAXTAGPRINT - 1]
            text = "".join(chr(c) if 0x20 <= c <= 0x7E else "." for c in shown)
            printable = sum(0x20 <= c <= 0x7E for c in shown)
            if printable > len(shown) - printable:
                d.p(f' [{name} "{text}"]')
            else:
                d.p(f" [{name} 0x{value.hex().upper()}]")
        else:
            d.p(f" [{name}]")
        p += tag_len
    return PPPOE_HDRLEN


def ppp_print(d: Dissector, p: int, length: int) -> int:
    """ppp_print(): address and control bytes, the protocol (compressed to a byte when
    odd), then handle_ppp(). Returns the PPP header's length."""
    d.protocol = "ppp"
    olen, hdr_len = length, 0
    if length < 2:
        d.nd_print_trunc()
        return 0
    header = d.u16(p)
    if header in (0x0003, 0x0103, 0xFF03):
        if d.opts.eflag and header != 0xFF03:
            d.p("In  " if header == 0x0003 else "Out ")
        p, length, hdr_len = p + 2, length - 2, 2
    if length < 2:
        d.nd_print_trunc()
        return 0
    if d.u8(p) % 2:
        proto, p, length, hdr_len = d.u8(p), p + 1, length - 1, hdr_len + 1
    else:
        proto, p, length, hdr_len = d.u16(p), p + 2, length - 2, hdr_len + 2
    if d.opts.eflag:
        name = PPP_TYPES.get(proto, "unknown")
        d.p(f"{name} (0x{proto:04x}), length {olen}")
        if name == "unknown":
            return hdr_len
        d.p(": ")
    handle_ppp(d, proto, p, length)
    return hdr_len


def handle_ppp(d: Dissector, proto: int, p: int, length: int) -> None:
    """handle_ppp(): the network protocols ipemu prints; the rest by name and in hex."""
    if proto & 0xFF00 == 0x7E00:
        # an escape code: the frame is HDLC-escaped from the protocol's second byte
        ppp_hdlc(d, p - 1, length)
        return
    if proto in (0x0800, 0x002F, 0x0021):
        d.ip_print(p, length)
    elif proto in (0x86DD, 0x0057):
        d.ip6_print(p, length)
    elif proto in CTRL_PROTOS:
        handle_ctrl_proto(d, proto, p, length)
    elif proto == 0x003D:
        # handle_mlppp(): 12-bit sequence numbers only
        if not d.opts.eflag:
            d.p("MLPPP, ")
        if length < 2 or not d.ttest(p, 2):
            d.p("[|mlppp]")
            return
        from ipemu.tcpdump.dissect import bittok2str
        flags = bittok2str([(0x80, "begin"), (0x40, "end")], "none", d.u8(p) & 0xC0)
        d.p(f"seq 0x{d.u16(p) & 0x0FFF:03x}, Flags [{flags}], length {length}")
    elif proto == 0x0023:
        from ipemu.tcpdump.isis import isoclns_print     # PPP_OSI
        isoclns_print(d, p, length)
    elif proto in (0x0281, 0x0283):
        mpls_print(d, p, length)
    elif proto == 0xC223:
        handle_chap(d, p, length)
    elif proto == 0xC023:
        handle_pap(d, p, length)
    elif proto == 0xC02D:
        pass                     # handle_bap(): "XXX: to be supported!!"
    elif proto == 0x00FD:
        d.p("compressed PPP data")
    else:
        d.p(PPP_TYPES.get(proto, f"unknown PPP protocol (0x{proto:04x})") + " ")
        d.print_unknown_data(p, "\n\t", length)


def handle_ctrl_proto(d: Dissector, proto: int, p: int, length: int) -> None:
    """handle_ctrl_proto(): LCP, IPCP, IP6CP, CCP... code, id and length; under -v the
    encoded length (the options' decoders are not ported)."""
    name = PPP_TYPES.get(proto, f"unknown ctrl-proto (0x{proto:04x})")
    d.p(name + ", ")
    if length < 4 or not d.ttest(p, 2):
        d.p(f"[|{name}]")        # handle_ctrl_proto()'s trunc
        return
    code = d.u8(p)
    cname = CP_CODES[code] if code < len(CP_CODES) else "Unknown Opcode"
    d.p(f"{cname} (0x{code:02x}), id {d.u8(p + 1)}, length {length + 2}")
    if not d.opts.vflag:
        return
    encoded = d.u16(p + 2)
    if encoded < 4:
        d.p(f"\n\tencoded length {encoded} (< 4))")
    elif encoded > length:
        d.p(f"\n\tencoded length {encoded} (> packet length {length}))")
        return
    d.p(f"\n\tencoded length {encoded} (=Option(s) length {encoded - 4})")
    if encoded == 4:
        return
    if d.opts.vflag > 1:
        d.print_unknown_data(p - 2, "\n\t", 6)
    length, tptr = encoded, p + 4
    if 1 <= code <= 4:
        # the options, by the protocol's print_*_config_options() (BACP's not ported)
        tlen = encoded - 4
        pfunc = {0xC021: _lcp_option, 0x8021: _ipcp_option, 0x8057: _ip6cp_option,
                 0x80FD: _ccp_option}.get(proto)
        while tlen and pfunc is not None:
            advance = pfunc(d, tptr, encoded)
            if not advance:
                break
            if tlen < advance:
                d.p(f" [remaining options length {tlen} < {advance}]")
                print_invalid(d)
                break
            tlen, tptr = tlen - advance, tptr + advance
    elif code == 8 and length >= 6:
        rejected = d.u16(tptr)
        d.p(f"\n\t  Rejected {PPP_TYPES.get(rejected, 'unknown')} Protocol (0x{rejected:04x})")
        if encoded > 6:
            d.p("\n\t  Rejected Packet")
            d.print_unknown_data(tptr + 2, "\n\t    ", encoded - 2)
    elif code in (9, 10, 11) and length >= 8:
        d.p(f"\n\t  Magic-Num 0x{d.u32(tptr):08x}")
        if encoded > 8:
            d.p("\n\t  -----trailing data-----")
            d.need(tptr + 4, encoded - 8)
            d.print_unknown_data(tptr + 4, "\n\t  ", encoded - 8)
    elif code == 13 and length >= 12:
        d.p(f"\n\t  Magic-Num 0x{d.u32(tptr):08x}, Seconds-Remaining {d.u32(tptr + 4)}s")
    elif code > 13 and d.opts.vflag <= 1:     # the switch's default
        d.print_unknown_data(p - 2, "\n\t  ", length + 2)


LCP_OPTIONS = (
    "Vend-Ext", "MRU", "ACCM", "Auth-Prot", "Qual-Prot", "Magic-Num", "deprecated(6)", "PFC",
    "ACFC", "FCS-Alt", "SDP", "Num-Mode", "deprecated(12)", "Call-Back", "deprecated(14)",
    "deprecated(15)", "deprecated(16)", "MRRU", "12-Bit seq #", "End-Disc", "Proprietary",
    "DCE-Id", "MP+", "Link-Disc", "LCP-Auth-Opt", "COBS", "Prefix-elision",
    "Multilink-header-Form", "I18N", "SDL-over-SONET/SDH", "PPP-Muxing")   # lcpconfopts[]
CALLBACK_OPS = {0: "UserAuth", 1: "DialString", 2: "LocalID", 3: "E.164", 4: "X.500",
                6: "CBCP"}                                        # ppp_callback_values


def _lcp_option(d: Dissector, p: int, length: int) -> int:
    """print_lcp_config_options(): the bytes it took, 0 to stop."""
    from ipemu.tcpdump.names import OUIS
    if length < 2:
        return 0
    if not d.ttest(p, 2):
        d.p("[|lcp]")
        return 0
    opt, olen = d.u8(p), d.u8(p + 1)
    if length < olen:
        return 0
    if olen < 2:
        d.p(f"\n\t  {LCP_OPTIONS[opt]} Option (0x{opt:02x}), length {olen} (length bogus, "
            "should be >= 2)" if opt < len(LCP_OPTIONS) else f"\n\tunknown LCP option 0x{opt:02x}")
        return 0
    if opt >= len(LCP_OPTIONS):
        d.p(f"\n\tunknown LCP option 0x{opt:02x}")
        return olen
    d.p(f"\n\t  {LCP_OPTIONS[opt]} Option (0x{opt:02x}), length {olen}")

    def bogus(text: str, taken: int) -> int:
        d.p(f" (length bogus, should be {text})")
        return taken

    if opt == 0:                                        # LCPOPT_VEXT
        if olen < 6:
            return bogus(">= 6", olen)
        oui = int.from_bytes(d.bytes_(p + 2, 3), "big")
        d.p(f": Vendor: {OUIS.get(oui, 'Unknown')} ({oui})")
    elif opt in (1, 2):                                 # MRU, ACCM
        want = 4 if opt == 1 else 6
        if olen != want:
            return bogus(f"= {want}", olen)
        d.p(f": {d.u16(p + 2)}" if opt == 1 else f": 0x{d.u32(p + 2):08x}")
    elif opt == 3:                                      # LCPOPT_AP
        if olen < 4:
            return bogus(">= 4", olen)
        auth = d.u16(p + 2)
        d.p(": " + PPP_TYPES.get(auth, "Unknown Auth Proto (0x04x)"))
        if auth == 0xC223:
            alg = d.u8(p + 4)
            d.p(", " + {5: "MD5", 128: "MS-CHAPv1", 129: "MS-CHAPv2"}.get(
                alg, f"Unknown Auth Alg {alg}"))
        elif auth not in (0xC023, 0xC227, 0xC027, 0xC123):
            d.print_unknown_data(p, "\n\t", olen)
    elif opt == 4:                                      # LCPOPT_QP
        if olen < 4:
            return bogus(">= 4", 0)
        d.p(": LQR" if d.u16(p + 2) == 0xC025 else ": unknown")
    elif opt == 5:                                      # LCPOPT_MN
        if olen != 6:
            return bogus("= 6", 0)
        d.p(f": 0x{d.u32(p + 2):08x}")
    elif opt in (7, 8):                                 # PFC, ACFC
        pass
    elif opt == 23:                                     # LCPOPT_LD
        if olen != 4:
            return bogus("= 4", 0)
        d.p(f": 0x{d.u16(p + 2):04x}")
    elif opt == 13:                                     # LCPOPT_CBACK
        if olen < 3:
            return bogus(">= 3", 0)
        op = d.u8(p + 2)
        d.p(f": : Callback Operation {CALLBACK_OPS.get(op, 'Unknown')} ({op})")
    elif opt == 17:                                     # LCPOPT_MLMRRU
        if olen != 4:
            return bogus("= 4", 0)
        d.p(f": {d.u16(p + 2)}")
    elif opt == 19:                                     # LCPOPT_MLED
        if olen < 3:
            return bogus(">= 3", 0)
        cls = d.u8(p + 2)
        if cls == 2:
            if olen != 7:
                return bogus("= 7", 0)
            d.p(f": IPv4 {d.ipaddr_string(p + 3)}")
        elif cls == 3:
            if olen != 9:
                return bogus("= 9", 0)
            d.p(f": MAC {d.etheraddr_string(p + 3)}")
        else:
            d.p({0: ": Null", 1: ": Local", 4: ": Magic-Num-Block", 5: ": PSNDN"}.get(
                cls, f": Unknown class {cls}"))
    elif d.opts.vflag < 2:
        d.print_unknown_data(p + 2, "\n\t    ", olen - 2)
    if d.opts.vflag > 1:
        d.print_unknown_data(p + 2, "\n\t    ", olen - 2)
    return olen


def mpls_print(d: Dissector, bp: int, length: int) -> None:
    """mpls_print(): each label stack entry, then IPv4, IPv6 (by the bottom label or the
    first nibble) or the rest in hex."""
    d.protocol = "mpls"
    d.p("MPLS")
    p, depth, v = bp, 0, d.opts.vflag
    while True:
        if length < 4:
            print_invalid(d)
            d.need(p, length)
            return
        entry = d.u32(p)
        label = entry >> 12
        d.p(f"{chr(10) + chr(9) if depth and v else ' '}(label {label}")
        depth += 1
        if v and label < len(MPLS_LABELNAMES):
            d.p(f" ({MPLS_LABELNAMES[label]})")
        d.p(f", tc {(entry >> 9) & 7}")
        if entry & 0x100:
            d.p(", [S]")
        d.p(f", ttl {entry & 0xFF})")
        p, length = p + 4, length - 4
        if entry & 0x100:
            break
    if label in (0, 3):
        kind = 4
    elif label == 2:
        kind = 6
    else:
        if length < 1:
            return
        first = d.u8(p)
        kind = 4 if 0x45 <= first <= 0x4F else 6 if 0x60 <= first <= 0x6F else \
            7 if 0x81 <= first <= 0x83 else 0
    if kind in (0, 7):
        # OSI (isoclns_print()) is not ported: its bytes print as unknown data do
        if not d.opts.suppress_default_print:
            d.default_print(p, length)
        return
    d.p("\n\t" if v else " ")
    if kind == 4:
        d.ip_print(p, length)
    else:
        d.ip6_print(p, length)


def loopback_print(d: Dissector, cp: int, length: int) -> None:
    """loopback_print(), loopback_message_print(): Ethernet configuration test frames."""
    d.protocol = "loopback"
    d.p("Loopback")
    if length < 2:
        return _invalid(d, cp, length)
    skip = d.u8(cp) | d.u8(cp + 1) << 8
    cp, length = cp + 2, length - 2
    d.p(f", skipCount {skip}" + (" (bogus)" if skip % 8 else ""))
    if skip > length:
        return _invalid(d, cp, length)
    d.need(cp, skip)
    cp, length = cp + skip, length - skip
    if length < 2:
        return _invalid(d, cp, length)
    function = d.u8(cp) | d.u8(cp + 1) << 8
    cp, length = cp + 2, length - 2
    d.p(", " + {1: "Reply", 2: "Forward Data"}.get(function, f" invalid ({function})"))
    if function == 1:
        if length < 2:
            return _invalid(d, cp, length)
        d.p(f", receipt number {d.u8(cp) | d.u8(cp + 1) << 8}")
        cp, length = cp + 2, length - 2
    elif function == 2:
        if length < 6:
            return _invalid(d, cp, length)
        d.p(f", forwarding address {d.etheraddr_string(cp)}")
        cp, length = cp + 6, length - 6
    if function in (1, 2):
        d.p(f", data ({length} octets)")
    d.need(cp, length)


def _invalid(d: Dissector, cp: int, length: int) -> None:
    print_invalid(d)
    d.need(cp, length)


CHAP_CODES = {1: "Challenge", 2: "Response", 3: "Success", 4: "Fail"}   # chapcode_values
PAP_CODES = {1: "Auth-Req", 2: "Auth-ACK", 3: "Auth-NACK"}             # papcode_values


def _chars(d: Dissector, p: int, n: int) -> int:
    """fn_print_char() over n bytes; the offset after them."""
    from ipemu.tcpdump.util import fn_print_char
    for _ in range(n):
        d.p(fn_print_char(d.u8(p)))
        p += 1
    return p


def handle_chap(d: Dissector, p: int, length: int) -> None:
    """handle_chap(): the code and id, a challenge's or response's value and name, a
    success's or failure's message (print-ppp.c)."""
    p0 = p
    if length < 1:
        d.p("[|chap]")
        return
    if length < 4:
        d.p(f"[|chap 0x{d.u8(p):02x}]")
        return
    code = d.u8(p)
    d.p(f"CHAP, {CHAP_CODES.get(code, 'unknown')} (0x{code:02x}), id {d.u8(p + 1)}")
    clen, p = d.u16(p + 2), p + 4
    if code in (1, 2):
        if length - (p - p0) < 1:
            return
        val_size, p = d.u8(p), p + 1
        if length - (p - p0) < val_size:
            return
        d.p(", Value ")
        for _ in range(val_size):
            d.p(f"{d.u8(p):02x}")
            p += 1
        d.p(", Name ")
        _chars(d, p, (clen - (p - p0)) & 0xFFFFFFFF)
    elif code in (3, 4):
        d.p(", Msg ")
        _chars(d, p, (clen - (p - p0)) & 0xFFFFFFFF)


def handle_pap(d: Dissector, p: int, length: int) -> None:
    """handle_pap(): the code and id, an Authenticate-Request's peer and password, an
    ACK's or NAK's message (print-ppp.c)."""
    p0 = p
    if length < 1:
        d.p("[|pap]")
        return
    if length < 4:
        d.p(f"[|pap 0x{d.u8(p):02x}]")
        return
    code = d.u8(p)
    d.p(f"PAP, {PAP_CODES.get(code, 'unknown')} (0x{code:02x}), id {d.u8(p + 1)}")
    plen, p = d.u16(p + 2), p + 4
    if plen > length:
        d.p(f", length {plen} > packet size")
        return
    length = plen
    if length < p - p0:
        d.p(f", length {length} < PAP header length")
        return
    if code == 1:
        if plen < 6:
            d.p("[|pap]")
            return
        for label in (", Peer ", ", Name "):
            if length - (p - p0) < 1:
                return
            size, p = d.u8(p), p + 1
            if length - (p - p0) < size:
                return
            d.p(label)
            p = _chars(d, p, size)
    elif code in (2, 3):
        if plen < 5:
            d.p("[|pap]")
            return
        if length - (p - p0) < 1:
            return
        size, p = d.u8(p), p + 1
        if length - (p - p0) < size:
            return
        d.p(", Msg ")
        _chars(d, p, size)


IPCP_OPTIONS = {1: "IP-Addrs", 2: "IP-Comp", 3: "IP-Addr", 4: "Home-Addr", 129: "Pri-DNS",
                130: "Pri-NBNS", 131: "Sec-DNS", 132: "Sec-NBNS"}       # ipcpopt_values
IPCP_COMPPROTOS = {0x002D: "VJ-Comp", 0x61: "IP Header Compression"}
IPCP_COMP_SUBOPTS = {1: "RTP-Compression", 2: "Enhanced RTP-Compression"}
CCP_OPTIONS = {0: "OUI", 1: "Pred-1", 2: "Pred-2", 3: "Puddle", 16: "HP-PPC", 17: "Stac-LZS",
               18: "MPPC", 19: "Gand-FZA", 20: "V.42bis", 21: "BSD-Comp", 23: "LZS-DCP",
               24: "MVRCA", 25: "DEC", 26: "Deflate", 255: "Reserved"}  # ccpconfopts_values


def _cp_option_head(d: Dissector, p: int, length: int, names: dict, unknown: str,
                    trunc: str) -> tuple[int, int] | None:
    """The option's type and length line shared by the print_*_config_options()."""
    if length < 2:
        return None
    if not d.ttest(p, 2):
        d.p(f"[|{trunc}]")
        return None
    opt, olen = d.u8(p), d.u8(p + 1)
    if length < olen:
        return None
    name = names.get(opt, unknown)
    if olen < 2:
        d.p(f"\n\t  {name} Option (0x{opt:02x}), length {olen} (length bogus, should be >= 2)")
        return None
    d.p(f"\n\t  {name} Option (0x{opt:02x}), length {olen}")
    return opt, olen


def _cp_option_tail(d: Dissector, p: int, olen: int, known: bool) -> int:
    """An unknown option's hex below -vv, every option's hex from -vv."""
    if not known and d.opts.vflag < 2:
        d.print_unknown_data(p + 2, "\n\t    ", olen - 2)
    if d.opts.vflag > 1:
        d.print_unknown_data(p + 2, "\n\t    ", olen - 2)
    return olen


def _ipcp_option(d: Dissector, p: int, length: int) -> int:
    """print_ipcp_config_options()."""
    head = _cp_option_head(d, p, length, IPCP_OPTIONS, "unknown", "ipcp")
    if head is None:
        return 0
    opt, olen = head
    if opt == 1:
        if olen != 10:
            d.p(" (length bogus, should be = 10)")
            return olen
        d.p(f": src {d.ipaddr_string(p + 2)}, dst {d.ipaddr_string(p + 6)}")
    elif opt == 2:
        if olen < 4:
            d.p(" (length bogus, should be >= 4)")
            return 0
        comp = d.u16(p + 2)
        d.p(f": {IPCP_COMPPROTOS.get(comp, 'Unknown')} (0x{comp:02x}):")
        if comp == 0x61:
            if olen < 14:
                d.p(" (length bogus, should be >= 14)")
                return 0
            if not d.ttest(p + 2, 14):
                d.p("[|ipcp]")
                return 0
            d.p(f"\n\t    TCP Space {d.u16(p + 4)}, non-TCP Space {d.u16(p + 6)}, maxPeriod "
                f"{d.u16(p + 8)}, maxTime {d.u16(p + 10)}, maxHdr {d.u16(p + 12)}")
            if olen > 14:
                total, q = olen - 14, p + 14
                d.p(f"\n\t      Suboptions, length {total}")
                while total >= 2:
                    if not d.ttest(q, 2):
                        d.p("[|ipcp]")
                        return 0
                    sub, slen = d.u8(q), d.u8(q + 1)
                    if sub == 0 or slen == 0:
                        break
                    d.p(f"\n\t\t{IPCP_COMP_SUBOPTS.get(sub, 'Unknown')} Suboption #{sub}, "
                        f"length {slen}")
                    if total < slen:
                        d.p(f" [remaining suboptions length {total} < {slen}]")
                        print_invalid(d)
                        break
                    total, q = total - slen, q + slen
    elif opt in (3, 4, 129, 130, 131, 132):
        if olen != 6:
            d.p(" (length bogus, should be = 6)")
            return 0
        d.p(f": {d.ipaddr_string(p + 2)}")
    return _cp_option_tail(d, p, olen, opt in IPCP_OPTIONS)


def _ip6cp_option(d: Dissector, p: int, length: int) -> int:
    """print_ip6cp_config_options()."""
    head = _cp_option_head(d, p, length, {1: "Interface-ID"}, "unknown", "ip6cp")
    if head is None:
        return 0
    opt, olen = head
    if opt == 1:
        if olen != 10:
            d.p(" (length bogus, should be = 10)")
            return olen
        if not d.ttest(p + 2, 8):
            d.p("[|ip6cp]")
            return 0
        d.p(": " + ":".join(f"{d.u16(p + i):04x}" for i in (2, 4, 6, 8)))
    return _cp_option_tail(d, p, olen, opt == 1)


def _ccp_option(d: Dissector, p: int, length: int) -> int:
    """print_ccp_config_options()."""
    head = _cp_option_head(d, p, length, CCP_OPTIONS, "Unknown", "ccp")
    if head is None:
        return 0
    opt, olen = head
    if opt == 21:
        if olen < 3:
            d.p(" (length bogus, should be >= 3)")
            return olen
        d.p(f": Version: {d.u8(p + 2) >> 5}, Dictionary Bits: {d.u8(p + 2) & 0x1F}")
    elif opt == 24:
        if olen < 4:
            d.p(" (length bogus, should be >= 4)")
            return olen
        b = d.u8(p + 2)
        d.p(f": Features: {(b & 0xC0) >> 6}, PxP: {'Enabled' if b & 0x20 else 'Disabled'}, "
            f"History: {b & 0x1F}, #CTX-ID: {d.u8(p + 3)}")
    elif opt == 26:
        if olen < 4:
            d.p(" (length bogus, should be >= 4)")
            return olen
        b, c = d.u8(p + 2), d.u8(p + 3)
        d.p(f": Window: {(b & 0xF0) >> 4}K, Method: {'zlib' if b & 0x0F == 8 else 'unknown'} "
            f"(0x{b & 0x0F:x}), MBZ: {(c & 0xFC) >> 2}, CHK: {c & 0x03}")
    return _cp_option_tail(d, p, olen, opt in (21, 24, 26))


ARISTA_TIMESCALES = {0: "TAI", 1: "UTC"}
ARISTA_FORMATS = {1: "64-bit", 2: "48-bit"}
ARISTA_HW_INFO = {0: "R/R2", 1: "R3"}


def arista_ethertype_print(d: Dissector, bp: int) -> int:
    """arista_ethertype_print() (print-arista.c, ethertype 0xd28b): the subtype and a
    TapAgg timestamp; the bytes its header took, or -1 for a subtype or format it does
    not know (ether_print() then prints the frame raw)."""
    import time
    d.protocol = "arista"
    sub = d.u16(bp)
    d.p(f"SubType {'Timestamp' if sub == 1 else 'Unknown'} (0x{sub:04x}), ")
    if sub != 1:
        return -1
    scale = d.u8(bp + 2)
    d.p(f"Timescale {ARISTA_TIMESCALES.get(scale, 'Unknown')} ({scale}), ")
    fmt, hw = d.u8(bp + 3) >> 4, d.u8(bp + 3) & 0x0F
    d.p(f"Format {ARISTA_FORMATS.get(fmt, 'Unknown')} ({fmt}), HwInfo "
        f"{ARISTA_HW_INFO.get(hw, 'Unknown')} ({hw}), Timestamp ")
    if fmt == 1:
        seconds, nanos = d.u32(bp + 4), d.u32(bp + 8)
        # arista_print_date_hms_time(): gmtime() and strftime()
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds + nanos // 1000000000))
        d.p(f"{stamp}.{nanos % 1000000000:09d}")
        consumed = 12
    elif fmt == 2:
        seconds, nanos = d.u16(bp + 4), d.u32(bp + 6)
        d.p(f"{seconds + nanos // 1000000000}.{nanos % 1000000000:09d}")
        consumed = 10
    else:
        return -1
    d.p(": ")
    return consumed


def msnlb_print(d: Dissector, bp: int) -> None:
    """msnlb_print() (print-msnlb.c, ethertype 0x886f): a Microsoft Network Load
    Balancing heartbeat (its priority little-endian)."""
    d.protocol = "msnlb"
    d.p("MS NLB heartbeat")
    d.p(f", host priority: {int.from_bytes(d.bytes_(bp + 8, 4), 'little')}")
    d.p(f", cluster IP: {d.ipaddr_string(bp + 12)}")
    d.p(f", host IP: {d.ipaddr_string(bp + 16)}")


# Cisco HDLC (LINKTYPE_C_HDLC 104, print-chdlc.c) and PPP's link type (9, ppp_if_print())
CHDLC_HDRLEN = 4
CHDLC_CASTS = {0x0F: "unicast", 0x8F: "bcast"}


def chdlc_print(d: Dissector, p: int, length: int) -> int:
    """chdlc_print(): the address byte and protocol (-e), then the payload by its
    ethertype; the header's length, or what is left after `[|chdlc]`."""
    from ipemu.tcpdump.names import ETHERTYPES
    d.protocol = "chdlc"
    if length < CHDLC_HDRLEN:
        d.nd_print_trunc()
        return d.avail(p)
    proto = d.u16(p + 2)
    if d.opts.eflag:
        cast = d.u8(p)
        d.p(f"{CHDLC_CASTS.get(cast, f'0x{cast:02x}')}, ethertype "
            f"{ETHERTYPES.get(proto, 'Unknown')} (0x{proto:04x}), length {length}: ")
    length -= CHDLC_HDRLEN
    p += CHDLC_HDRLEN
    if proto == 0x0800:
        d.ip_print(p, length)
    elif proto == 0x86DD:
        d.ip6_print(p, length)
    elif proto == 0x8035:
        _slarp_print(d, p, length)
    elif proto in (0x8847, 0x8848):
        mpls_print(d, p, length)
    elif proto == 0xFEFE:
        from ipemu.tcpdump.isis import isoclns_print
        if length < 2:
            d.nd_print_trunc()
            return d.avail(p - CHDLC_HDRLEN)
        # the fudge byte: skipped when an OSI NLPID follows it
        if d.u8(p + 1) in (0x81, 0x82, 0x83):
            isoclns_print(d, p + 1, length - 1)
        else:
            isoclns_print(d, p, length)
    elif not d.opts.eflag:
        d.p(f"unknown CHDLC protocol (0x{proto:04x})")
    return CHDLC_HDRLEN


def _slarp_print(d: Dissector, cp: int, length: int) -> None:
    """chdlc_slarp_print(): Cisco's serial line address resolution and keepalives."""
    d.protocol = "chdlc_slarp"
    d.p(f"SLARP (length: {length}), ")
    if length < 14 or not d.ttest(cp, 14):
        d.nd_print_trunc()
        return
    code = d.u32(cp)
    if code == 0:
        d.p("request")
    elif code == 1:
        d.p(f"reply {d.ipaddr_string(cp + 4)}/{d.ipaddr_string(cp + 8)}")
    elif code == 2:
        d.p(f"keepalive: mineseen=0x{d.u32(cp + 4):08x}, yourseen=0x{d.u32(cp + 8):08x}, "
            f"reliability=0x{d.u16(cp + 12):04x}")
        if length >= 18:
            cp += 14            # (the -vv hex below then starts after the uptime)
            sec = d.u32(cp) // 1000
            mins, sec = divmod(sec, 60)
            hrs, mins = divmod(mins, 60)
            days, hrs = divmod(hrs, 24)
            d.p(f", link uptime={days}d{hrs}h{mins}m{sec}s")
    else:
        d.p(f"0x{code:02x} unknown")
        if d.opts.vflag <= 1:
            d.print_unknown_data(cp + 4, "\n\t", length - 4)
    if length > 18 and d.opts.vflag:
        d.p(f", (trailing junk: {length - 18} bytes)")
    if d.opts.vflag > 1:
        d.print_unknown_data(cp + 4, "\n\t", length - 4)


def ppp_if_print(d: Dissector, length: int, caplen: int) -> None:
    """ppp_if_print() (LINKTYPE_PPP): a 4-byte header, then ppp_print() from its start."""
    d.protocol = "ppp"
    if caplen < 4:
        d.nd_print_trunc()
        d.ll_hdr_len += caplen
        return
    d.ll_hdr_len += 4
    ppp_print(d, 0, length)


def ppp_hdlc_if_print(d: Dissector, length: int, caplen: int) -> None:
    """ppp_hdlc_if_print() (LINKTYPE_PPP_HDLC, NetBSD's serial PPP): PPP's address and
    control then the protocol, Cisco HDLC by its address, else the two bytes named."""
    d.protocol = "ppp_hdlc"
    if caplen < 2:
        d.nd_print_trunc()
        d.ll_hdr_len += caplen
        return
    first = d.u8(0)
    if first in (0x0F, 0x8F):
        d.protocol = "chdlc"
        d.ll_hdr_len += chdlc_print(d, 0, length)
        return
    if caplen < 4:
        d.nd_print_trunc()
        d.ll_hdr_len += caplen
        return
    if d.opts.eflag:
        d.p(f"{first:02x} {d.u8(1):02x} {length} ")
    if first == 0xFF:
        proto = d.u16(2)
        d.p(f"{PPP_TYPES.get(proto, f'unknown PPP protocol (0x{proto:04x})')}: ")
        d.ll_hdr_len += 4
        handle_ppp(d, proto, 4, length - 4)
        return
    d.p(f"unknown addr {d.u8(2):02x}; ctrl {d.u8(3):02x}")
    d.ll_hdr_len += 2


def ppp_hdlc(d: Dissector, p: int, length: int) -> None:
    """ppp_hdlc(): the captured bytes from p unescaped (0x7d, then the byte XOR 0x20)
    into a buffer of their own, then a guess at what starts it: an IP or IPv6
    one-byte protocol, PPP's address and control, or a two-byte protocol."""
    from ipemu.tcpdump.dissect import Truncated
    caplen = d.avail(p)
    if caplen == 0 or length == 0:
        return
    raw = d.data[p:p + caplen]
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        i += 1
        if c == 0x7D:
            if i >= len(raw):
                break
            c = raw[i] ^ 0x20
            i += 1
        out.append(c)
    saved = (d.data, d.snapend, d._snap_stack)
    d.data, d.snapend, d._snap_stack = bytes(out), len(out), []
    try:
        length = len(out)
        if length < 1:
            raise Truncated()
        proto = out[0]
        if proto == 0x21:
            d.ip_print(1, length - 1)
            return
        if proto == 0x57:
            d.ip6_print(1, length - 1)
            return
        if length < 2:
            raise Truncated()
        proto = d.u16(0)
        if proto == 0xFF03:
            if length < 4:
                raise Truncated()
            proto = d.u16(2)
            if proto & 0xFF00 == 0x7E00:
                d.p(f"(protocol 0x{proto:04x} invalid)")
            else:
                handle_ppp(d, proto, 4, length - 4)
        elif proto & 0xFF00 == 0x7E00:
            d.p(f"(protocol 0x{proto:04x} invalid)")
        else:
            handle_ppp(d, proto, 2, length - 2)
    except Truncated:
        d.data, d.snapend, d._snap_stack = saved
        d.nd_print_trunc()
        return
    finally:
        if d.data is not saved[0]:
            d.data, d.snapend, d._snap_stack = saved
