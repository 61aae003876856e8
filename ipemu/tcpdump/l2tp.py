"""L2TP on UDP 1701 as tcpdump 4.99.3 prints it (print-l2tp.c l2tp_print(),
l2tp_avp_print()): the flags, tunnel and session ids, sequence numbers, then a control
message's AVPs or a data message's PPP frame in braces."""
from __future__ import annotations

from ipemu.tcpdump.dissect import tok2str
from ipemu.tcpdump.util import fn_print_char

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

MSGTYPES = {1: "SCCRQ", 2: "SCCRP", 3: "SCCCN", 4: "StopCCN", 6: "HELLO", 7: "OCRQ",
            8: "OCRP", 9: "OCCN", 10: "ICRQ", 11: "ICRP", 12: "ICCN", 14: "CDN", 15: "WEN",
            16: "SLI"}                                                    # l2tp_msgtype2str
AVPS = {0: "MSGTYPE", 1: "RESULT_CODE", 2: "PROTO_VER", 3: "FRAMING_CAP", 4: "BEARER_CAP",
        5: "TIE_BREAKER", 6: "FIRM_VER", 7: "HOST_NAME", 8: "VENDOR_NAME", 9: "ASSND_TUN_ID",
        10: "RECV_WIN_SIZE", 11: "CHALLENGE", 12: "Q931_CC", 13: "CHALLENGE_RESP",
        14: "ASSND_SESS_ID", 15: "CALL_SER_NUM", 16: "MINIMUM_BPS", 17: "MAXIMUM_BPS",
        18: "BEARER_TYPE", 19: "FRAMING_TYPE", 20: "PACKET_PROC_DELAY", 21: "CALLED_NUMBER",
        22: "CALLING_NUMBER", 23: "SUB_ADDRESS", 24: "TX_CONN_SPEED", 25: "PHY_CHANNEL_ID",
        26: "INI_RECV_LCP", 27: "LAST_SENT_LCP", 28: "LAST_RECV_LCP", 29: "PROXY_AUTH_TYPE",
        30: "PROXY_AUTH_NAME", 31: "PROXY_AUTH_CHAL", 32: "PROXY_AUTH_ID",
        33: "PROXY_AUTH_RESP", 34: "CALL_ERRORS", 35: "ACCM", 36: "RANDOM_VECTOR",
        37: "PRIVATE_GRP_ID", 38: "RX_CONN_SPEED", 39: "SEQ_REQUIRED",
        46: "PPP_DISCON_CC"}                                              # l2tp_avp2str
AUTHEN_TYPES = {0: "Reserved", 1: "Textual", 2: "CHAP", 3: "PAP", 4: "No Auth",
                5: "MS-CHAPv1"}
CC_DIRECTIONS = {0: "global error", 1: "at peer", 2: "at local"}
SHORT = "AVP too short"


def _string(d: Dissector, p: int, n: int) -> None:
    d.p("".join(fn_print_char(d.u8(p + i)) for i in range(n)))


def _octets(d: Dissector, p: int, n: int) -> None:
    d.p("".join(f"{d.u8(p + i):02x}" for i in range(n)))


def _bits(d: Dissector, p: int, n: int, letters: tuple[tuple[int, str], ...]) -> None:
    if n < 4:
        d.p(SHORT)
        return
    d.p("".join(letter for mask, letter in letters if d.u32(p) & mask))


def _result_code(d: Dissector, p: int, n: int) -> None:
    if n < 2:
        d.p(SHORT)
        return
    d.p(str(d.u16(p)))
    p, n = p + 2, n - 2
    if n == 0:
        return
    if n < 2:
        d.p(" " + SHORT)
        return
    d.p(f"/{d.u16(p)}")
    p, n = p + 2, n - 2
    if n:
        d.p(" ")
        _string(d, p, n)


def _counters(d: Dissector, p: int, n: int, fields: tuple[str, ...], fmt: str) -> None:
    """l2tp_call_errors_print() and l2tp_accm_print(): a reserved word, then values."""
    if n < 2:
        d.p(SHORT)
        return
    p, n = p + 2, n - 2
    for name in fields:
        if n < 4:
            d.p(SHORT)
            return
        d.p(f"{name}={format(d.u32(p), fmt)} ")
        p, n = p + 4, n - 4


def _value(d: Dissector, kind: int, p: int, n: int) -> None:
    """The AVP-specific printers of l2tp_avp_print()'s switch."""
    if kind == 0:
        d.p(tok2str(MSGTYPES, "MSGTYPE-#%u", d.u16(p)) if n >= 2 else SHORT)
    elif kind == 1:
        _result_code(d, p, n)
    elif kind == 2:
        d.p(f"{d.u16(p) >> 8}.{d.u16(p) & 0xFF}" if n >= 2 else SHORT)
    elif kind in (3, 19):
        _bits(d, p, n, ((2, "A"), (1, "S")))
    elif kind in (4, 18):
        _bits(d, p, n, ((2, "A"), (1, "D")))
    elif kind == 5:
        _octets(d, p, 8) if n >= 8 else d.p(SHORT)
    elif kind in (6, 9, 10, 14):
        d.p(str(d.u16(p)) if n >= 2 else SHORT)
    elif kind in (7, 8, 21, 22, 23, 30, 37):
        _string(d, p, n)
    elif kind in (11, 26, 27, 28, 31, 33, 36):
        _octets(d, p, n)
    elif kind == 12:
        if n < 3:
            d.p(SHORT)
            return
        d.p(f"{d.u16(p)}, {d.u8(p + 2):02x}")
        if n > 3:
            d.p(" ")
            _string(d, p + 3, n - 3)
    elif kind == 13:
        _octets(d, p, 16) if n >= 16 else d.p(SHORT)
    elif kind in (15, 16, 17, 24, 25, 38):
        d.p(str(d.u32(p)) if n >= 4 else SHORT)
    elif kind == 20:
        d.p("obsolete")
    elif kind == 29:
        d.p(tok2str(AUTHEN_TYPES, "AuthType-#%u", d.u16(p)) if n >= 2 else SHORT)
    elif kind == 32:
        d.p(str(d.u16(p) & 0xFF) if n >= 2 else SHORT)
    elif kind == 34:
        _counters(d, p, n, ("CRCErr", "FrameErr", "HardOver", "BufOver", "Timeout",
                            "AlignErr"), "d")
    elif kind == 35:
        _counters(d, p, n, ("send", "recv"), "08x")
    elif kind == 46:
        if n < 5:
            d.p(SHORT)
            return
        d.p(f"{d.u16(p):04x}, {d.u16(p + 2):04x} "
            f"{tok2str(CC_DIRECTIONS, 'Direction-#%u', d.u8(p + 4))}")
        if n > 5:
            d.p(" ")
            _string(d, p + 5, n - 5)


def l2tp_avp_print(d: Dissector, p: int, length: int) -> int:
    """One AVP; its length, or 0 when it is cut or bogus."""
    d.p(" ")
    alen = d.u16(p) & 0x03FF
    if alen < 6 or alen > length or not d.ttest(p, alen):
        d.nd_print_trunc()
        return 0
    flags = d.u16(p)
    if flags & 0x8000:
        d.p("*")
    hidden = bool(flags & 0x4000)
    if hidden:
        d.p("?")
    if d.u16(p + 2):
        d.p(f"VENDOR{d.u16(p + 2):04x}:ATTR{d.u16(p + 4):04x}(")
        _octets(d, p + 6, alen - 6)
        d.p(")")
        return alen
    kind = d.u16(p + 4)
    d.p(f"{tok2str(AVPS, 'AVP-#%u', kind)}(")
    if hidden:
        d.p("???")
    else:
        _value(d, kind, p + 6, alen - 6)
    d.p(")")
    return alen


def l2tp_print(d: Dissector, dat: int, length: int) -> None:
    d.protocol = "l2tp"
    word = d.u16(dat)
    version = word & 0x000F
    if version == 1:
        d.p(" l2f:")
        return
    if version != 2:
        d.p(" Unknown Version, neither L2F(1) nor L2TP(2)")
        return
    d.p(" l2tp:[")
    for mask, letter in ((0x8000, "T"), (0x4000, "L"), (0x0800, "S"), (0x0200, "O"),
                         (0x0100, "P")):
        if word & mask:
            d.p(letter)
    d.p("]")
    ptr, cnt = dat + 2, 2
    l2tp_len = 0
    if word & 0x4000:
        l2tp_len, ptr, cnt = d.u16(ptr), ptr + 2, cnt + 2
    d.p(f"({d.u16(ptr)}/{d.u16(ptr + 2)})")
    ptr, cnt = ptr + 4, cnt + 4
    if word & 0x0800:
        d.p(f"Ns={d.u16(ptr)},Nr={d.u16(ptr + 2)}")
        ptr, cnt = ptr + 4, cnt + 4
    if word & 0x0200:
        pad = d.u16(ptr)
        if not d.ttest(ptr + 2, pad):
            d.nd_print_trunc()
            return
        ptr, cnt = ptr + 2 + pad, cnt + 2 + pad
    if word & 0x4000:
        if length < l2tp_len:
            d.p(f" Length {l2tp_len} larger than packet")
            return
        length = l2tp_len
    if length < cnt:
        d.p(f" Length {length} smaller than header length")
        return
    if word & 0x8000:
        if not word & 0x4000:
            d.p(" No length")
            return
        if length == cnt:
            d.p(" ZLB")
            return
        while length - cnt:
            advance = l2tp_avp_print(d, ptr, length - cnt)
            if not advance:
                break
            cnt, ptr = cnt + advance, ptr + advance
    else:
        from ipemu.tcpdump.l2 import ppp_print
        d.p(" {")
        ppp_print(d, ptr, length - cnt)
        d.p("}")
