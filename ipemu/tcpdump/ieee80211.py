"""IEEE 802.11 (link types IEEE802_11, IEEE802_11_RADIO, PRISM and IEEE802_11_RADIO_AVS)
as tcpdump 4.99.3's print-802_11.c prints it: radiotap's fields (TSFT, flags, rate,
channel, FHSS, signal and noise, attenuation, power, antenna, XChannel, MCS with its HT
rate, VHT, vendor namespaces skipped, `[bit N]` for the others), the AVS and Prism
headers skipped, -e's 802.11 header (-v's frame control flags and duration, the mesh
control of -H), management frames with their elements (SSID, rates, DS channel, TIM,
CF, challenge), control frames, data frames through LLC, WEP's IV."""
from __future__ import annotations

import struct

from ipemu.tcpdump.dissect import Dissector
from ipemu.tcpdump.ieee80211_tables import HT_RATES, REASON_TEXT, STATUS_TEXT
from ipemu.tcpdump.util import fn_print_char

T_MGMT, T_CTRL, T_DATA = 0, 1, 2
ST_NAMES = {0: "Assoc Request", 1: "Assoc Response", 2: "ReAssoc Request",
            3: "ReAssoc Response", 4: "Probe Request", 5: "Probe Response", 8: "Beacon",
            9: "ATIM", 10: "Disassociation", 11: "Authentication", 12: "DeAuthentication",
            13: "Action"}
CTRL_NAMES = {7: "Control Wrapper", 8: "BAR", 9: "BA", 10: "Power Save-Poll",
              11: "Request-To-Send", 12: "Clear-To-Send", 13: "Acknowledgment", 14: "CF-End",
              15: "CF-End+CF-Ack"}
# extract_header_length()'s control frame header lengths
CTRL_HDRLEN = {7: 16, 8: 20, 9: 10, 10: 16, 11: 16, 12: 10, 13: 10, 14: 16, 15: 16}
MGMT_HDRLEN = 24
AUTH_ALGS = ["Open System", "Shared Key", "EAP"]


def _le16(d: Dissector, off: int) -> int:
    return d.u8(off) | d.u8(off + 1) << 8


def _le32(d: Dissector, off: int) -> int:
    return int.from_bytes(d.bytes_(off, 4), "little")


def _fc_type(fc: int) -> int:
    return (fc >> 2) & 3


def _fc_subtype(fc: int) -> int:
    return (fc >> 4) & 0xF


def _f1(x: float) -> str:
    """printf's %.1f of a C float."""
    return f"{struct.unpack('f', struct.pack('f', x))[0]:.1f}"


class _Body:
    """struct mgmt_body_t: what parse_elements() found (the first of each kind)."""

    def __init__(self) -> None:
        self.ssid: bytes | None = None
        self.rates: bytes | None = None
        self.ds: int | None = None
        self.challenge = False
        self.cf = False
        self.tim = False
        self.capability_info = 0


def _parse_elements(d: Dissector, body: _Body, p: int, length: int) -> bool:
    """parse_elements(): False where an element is cut short or too long for its
    struct (the frame is then marked truncated)."""
    while length != 0:
        if not d.ttest(p, 2) or length < 2:
            return False
        elen = d.u8(p + 1)
        if not d.ttest(p + 2, elen) or length < elen + 2:
            return False
        eid = d.u8(p)
        if eid == 0:
            if elen > 32:
                return False
            if body.ssid is None:
                body.ssid = d.bytes_(p + 2, elen)
        elif eid == 16:
            if elen > 253:
                return False
            body.challenge = True
        elif eid == 1:
            if elen > 16:
                return False
            if body.rates is None and elen:
                body.rates = d.bytes_(p + 2, elen)
        elif eid == 3:
            if elen == 1 and body.ds is None:
                body.ds = d.u8(p + 2)
        elif eid == 5:
            if elen > 3 and elen - 3 > 251:
                return False
        p += 2 + elen
        length -= 2 + elen
    return True


def _ssid(d: Dissector, body: _Body) -> None:
    if body.ssid is not None:
        # fn_print_str() stops at the copy's first NUL
        text = body.ssid.split(b"\0", 1)[0]
        d.p(" (" + "".join(fn_print_char(c) for c in text) + ")")


def _rates(d: Dissector, body: _Body) -> None:
    if body.rates:
        sep = " ["
        for r in body.rates:
            d.p(f"{sep}{0.5 * (r & 0x7F):2.1f}{'*' if r & 0x80 else ''}")
            sep = " "
        d.p(" Mbit]")


def _ds_channel(d: Dissector, body: _Body) -> None:
    if body.ds is not None:
        d.p(f" CH: {body.ds}")
    d.p(", PRIVACY" if body.capability_info & 0x10 else "")


def _status(code: int) -> str:
    return STATUS_TEXT[code] if code < len(STATUS_TEXT) else "n/a"


def _reason(code: int) -> str:
    return REASON_TEXT[code] if code < len(REASON_TEXT) else "Reserved"


def _fixed(d: Dissector, p: int, length: int, n: int) -> bool:
    """ND_TCHECK_LEN() and the length check before a frame's fixed fields."""
    return d.ttest(p, n) and length >= n


def _beacon(d: Dissector, p: int, length: int, probe_response: bool) -> bool:
    body = _Body()
    if not _fixed(d, p, length, 12):
        return False
    body.capability_info = _le16(d, p + 10)
    ret = _parse_elements(d, body, p + 12, length - 12)
    _ssid(d, body)
    _rates(d, body)
    if not probe_response:
        d.p(" ESS" if body.capability_info & 1 else " IBSS")
    _ds_channel(d, body)
    return ret


def _assoc_response(d: Dissector, p: int, length: int) -> bool:
    body = _Body()
    if not _fixed(d, p, length, 6):
        return False
    cap, status, aid = _le16(d, p), _le16(d, p + 2), _le16(d, p + 4)
    ret = _parse_elements(d, body, p + 6, length - 6)
    d.p(f" AID({((aid << 2) & 0xFFFF) >> 2:x}) :{' PRIVACY ' if cap & 0x10 else ''}: "
        f"{_status(status)}")
    return ret


def _mgmt_body(d: Dissector, fc: int, src: int, p: int, length: int) -> bool:
    """mgmt_body_print()."""
    sub = _fc_subtype(fc)
    d.p(ST_NAMES.get(sub, f"Unhandled Management subtype({sub:x})"))
    if fc & 0x4000:
        return _wep(d, p)
    body = _Body()
    if sub == 0:
        if not _fixed(d, p, length, 4):
            return False
        ret = _parse_elements(d, body, p + 4, length - 4)
        _ssid(d, body)
        _rates(d, body)
        return ret
    if sub in (1, 3):
        return _assoc_response(d, p, length)
    if sub == 2:
        if not _fixed(d, p, length, 10):
            return False
        ret = _parse_elements(d, body, p + 10, length - 10)
        _ssid(d, body)
        d.p(f" AP : {d.etheraddr_string(p + 4)}")
        return ret
    if sub == 4:
        ret = _parse_elements(d, body, p, length)
        _ssid(d, body)
        _rates(d, body)
        return ret
    if sub in (5, 8):
        return _beacon(d, p, length, sub == 5)
    if sub == 10:
        if not _fixed(d, p, length, 2):
            return False
        d.p(f": {_reason(_le16(d, p))}")
        return True
    if sub == 11:
        if not _fixed(d, p, length, 6):
            return False
        alg, seq, status = _le16(d, p), _le16(d, p + 2), _le16(d, p + 4)
        ret = _parse_elements(d, body, p + 6, length - 6)
        name = AUTH_ALGS[alg] if alg < len(AUTH_ALGS) else "Reserved"
        text = _status(status) if seq % 2 else ""
        if alg == 1 and seq in (2, 3):
            d.p(f" ({name})-{seq:x} [Challenge Text] {text}")
        else:
            d.p(f" ({name})-{seq:x}: {text}")
        return ret
    if sub == 12:
        if not _fixed(d, p, length, 2):
            return False
        reason = _reason(_le16(d, p))
        d.p(f": {reason}" if d.opts.eflag else f" ({d.etheraddr_string(src)}): {reason}")
        return True
    if sub == 13:
        return _action(d, src, p, length)
    return True


def _act(v: int, names: dict[int, str]) -> str:
    return names.get(v, f"Act#{v}")


def _action(d: Dissector, src: int, p: int, length: int) -> bool:
    """handle_action()."""
    if not _fixed(d, p, length, 2):
        return False
    d.p(": " if d.opts.eflag else f" ({d.etheraddr_string(src)}): ")
    cat, act = d.u8(p), d.u8(p + 1)
    if cat == 0:
        d.p(f"Spectrum Management Act#{act}")
    elif cat == 1:
        d.p(f"QoS Act#{act}")
    elif cat == 2:
        d.p(f"DLS Act#{act}")
    elif cat == 3:
        d.p("BA " + _act(act, {0: "ADDBA Request", 1: "ADDBA Response", 2: "DELBA"}))
    elif cat == 7:
        d.p("HT " + _act(act, {0: "TxChWidth", 1: "MIMOPwrSave"}))
    elif cat == 13:
        d.p("MeshAction " + _act(act, {
            0: "MeshLink", 1: "HWMP", 2: "Gate Announcement", 3: "Congestion Control",
            4: "MCCA Setup Request", 5: "MCCA Setup Reply", 6: "MCCA Advertisement Request",
            7: "MCCA Advertisement", 8: "MCCA Teardown", 9: "TBTT Adjustment Request",
            10: "TBTT Adjustment Response"}))
    elif cat == 14:
        d.p("MultiohopAction " + _act(act, {0: "Proxy Update", 1: "Proxy Update Confirmation"}))
    elif cat == 15:
        d.p("SelfprotectAction " + _act(act, {1: "Peering Open", 2: "Peering Confirm",
                                              3: "Peering Close", 4: "Group Key Inform",
                                              5: "Group Key Acknowledge"}))
    elif cat == 127:
        d.p(f"Vendor Act#{act}")
    else:
        d.p(f"Reserved({cat}) Act#{act}")
    return True


def _wep(d: Dissector, p: int) -> bool:
    if not d.ttest(p, 4):
        return False
    iv = _le32(d, p)
    d.p(f" IV:{iv & 0xFFFFFF:3x} Pad {(iv >> 24) & 0x3F:x} KeyID {(iv >> 30) & 3:x}")
    return True


def _ctrl_body(d: Dissector, fc: int, p: int) -> bool:
    """ctrl_body_print()."""
    sub = _fc_subtype(fc)
    d.p(CTRL_NAMES.get(sub, "Unknown Ctrl Subtype"))
    if sub == 7 or sub not in CTRL_HDRLEN:
        return True
    if not d.ttest(p, CTRL_HDRLEN[sub]):
        return False
    if sub == 10:
        d.p(f" AID({_le16(d, p + 2):x})")
    elif not d.opts.eflag:
        if sub == 8:
            d.p(f" RA:{d.etheraddr_string(p + 4)} TA:{d.etheraddr_string(p + 10)} "
                f"CTL({_le16(d, p + 16):x}) SEQ({_le16(d, p + 18)}) ")
        elif sub == 11:
            d.p(f" TA:{d.etheraddr_string(p + 10)} ")
        else:
            d.p(f" RA:{d.etheraddr_string(p + 4)} ")
    return True


def _data_header(d: Dissector, fc: int, p: int) -> None:
    """data_header_print()."""
    sub = _fc_subtype(fc)
    if sub & 0x0B:
        d.p("CF ")
        if sub & 1:
            d.p("Ack/Poll" if sub & 2 else "Ack")
        elif sub & 2:
            d.p("Poll")
        if sub & 8:
            d.p("+QoS")
        d.p(" ")
    a = [d.etheraddr_string(p + off) for off in (4, 10, 16)]
    to_ds, from_ds = fc & 0x100, fc & 0x200
    if not to_ds and not from_ds:
        d.p(f"DA:{a[0]} SA:{a[1]} BSSID:{a[2]} ")
    elif not to_ds:
        d.p(f"DA:{a[0]} BSSID:{a[1]} SA:{a[2]} ")
    elif not from_ds:
        d.p(f"BSSID:{a[0]} SA:{a[1]} DA:{a[2]} ")
    else:
        d.p(f"RA:{a[0]} TA:{a[1]} DA:{a[2]} SA:{d.etheraddr_string(p + 24)} ")


def _ctrl_header(d: Dissector, fc: int, p: int) -> None:
    """ctrl_header_print()."""
    sub = _fc_subtype(fc)
    ra, ta = (lambda: d.etheraddr_string(p + 4)), (lambda: d.etheraddr_string(p + 10))
    if sub == 8:
        d.p(f" RA:{ra()} TA:{ta()} CTL({_le16(d, p + 16):x}) SEQ({_le16(d, p + 18)}) ")
    elif sub in (9, 12, 13):
        d.p(f"RA:{ra()} ")
    elif sub == 10:
        d.p(f"BSSID:{ra()} TA:{ta()} ")
    elif sub == 11:
        d.p(f"RA:{ra()} TA:{ta()} ")
    elif sub in (14, 15):
        d.p(f"RA:{ra()} BSSID:{ta()} ")


def _hdr_print(d: Dissector, fc: int, p: int, hdrlen: int, meshdrlen: int) -> None:
    """ieee_802_11_hdr_print()."""
    if d.opts.vflag:
        for bit, name in ((0x2000, "More Data "), (0x0400, "More Fragments "),
                          (0x1000, "Pwr Mgmt "), (0x0800, "Retry "),
                          (0x8000, "Strictly Ordered "), (0x4000, "Protected ")):
            if fc & bit:
                d.p(name)
        if _fc_type(fc) != T_CTRL or _fc_subtype(fc) != 10:
            d.p(f"{_le16(d, p + 2)}us ")
    if meshdrlen:
        mc = p + hdrlen - meshdrlen
        ae = d.u8(mc) & 3
        d.p(f"MeshData (AE {ae} TTL {d.u8(mc + 1)} seq {_le32(d, mc + 2)}")
        for i in range(ae):
            d.p(f" A{4 + i}:{d.etheraddr_string(mc + 6 + 6 * i)}")
        d.p(") ")
    t = _fc_type(fc)
    if t == T_MGMT:
        d.p(f"BSSID:{d.etheraddr_string(p + 16)} DA:{d.etheraddr_string(p + 4)} "
            f"SA:{d.etheraddr_string(p + 10)} ")
    elif t == T_CTRL:
        _ctrl_header(d, fc, p)
    elif t == T_DATA:
        _data_header(d, fc, p)


def ieee802_11_print(d: Dissector, p: int, length: int, orig_caplen: int, pad: bool,
                     fcslen: int) -> int:
    """ieee802_11_print(): the link-layer header length."""
    d.protocol = "802.11"
    caplen = orig_caplen
    if length < fcslen:
        d.nd_print_trunc()
        return caplen
    length -= fcslen
    if caplen > length:
        fcslen = caplen - length
        caplen -= fcslen
        d.snapend -= fcslen
    if caplen < 2:
        d.nd_print_trunc()
        return orig_caplen
    fc = _le16(d, p)
    t, sub = _fc_type(fc), _fc_subtype(fc)
    if t == T_MGMT:
        hdrlen = MGMT_HDRLEN
    elif t == T_CTRL:
        if sub not in CTRL_HDRLEN:
            d.p(f"unknown 802.11 ctrl frame subtype ({sub})")
            return 0
        hdrlen = CTRL_HDRLEN[sub]
    elif t == T_DATA:
        hdrlen = (30 if fc & 0x300 == 0x300 else 24) + (2 if sub & 8 else 0)
    else:
        d.p(f"unknown 802.11 frame type ({t})")
        return 0
    if pad:
        hdrlen = (hdrlen + 3) & ~3
    meshdrlen = 0
    if d.opts.Hflag and t == T_DATA and sub & 8:
        if not d.ttest(p + hdrlen, 1):
            d.nd_print_trunc()
            return hdrlen
        flags = d.u8(p + hdrlen)
        meshdrlen = 0 if flags & ~3 else 6 * (1 + (flags & 3))
        hdrlen += meshdrlen
    if caplen < hdrlen:
        d.nd_print_trunc()
        return hdrlen
    if d.opts.eflag:
        _hdr_print(d, fc, p, hdrlen, meshdrlen)
    hdr = p
    length -= hdrlen
    caplen -= hdrlen
    p += hdrlen
    if t == T_MGMT:
        if not _mgmt_body(d, fc, hdr + 10, p, length):
            d.nd_print_trunc()
            return hdrlen
    elif t == T_CTRL:
        if not _ctrl_body(d, fc, hdr):
            d.nd_print_trunc()
            return hdrlen
    elif t == T_DATA:
        if sub & 4:
            return hdrlen
        if fc & 0x4000:
            d.p("Data")
            if not _wep(d, p):
                d.nd_print_trunc()
                return hdrlen
        else:
            from ipemu.tcpdump.llc import llc_print
            to_ds, from_ds = fc & 0x100, fc & 0x200
            # get_data_src_dst_mac()
            src, dst = ((hdr + 10, hdr + 4) if not to_ds and not from_ds else
                        (hdr + 16, hdr + 4) if not to_ds else
                        (hdr + 10, hdr + 16) if not from_ds else (hdr + 24, hdr + 16))
            llc_hdrlen = llc_print(d, p, length, caplen, src, dst)
            if llc_hdrlen < 0:
                if not d.opts.suppress_default_print:
                    d.default_print(p, caplen)
                llc_hdrlen = -llc_hdrlen
            hdrlen += llc_hdrlen
    return hdrlen


def ieee802_11_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "802.11"
    d.ll_hdr_len += ieee802_11_print(d, 0, length, caplen, False, 0)


# -- radiotap -----------------------------------------------------------------
class _Cpack:
    """cpack.c's state: fields aligned to their size from the header's start."""

    def __init__(self, d: Dissector, buf: int, buflen: int) -> None:
        self.d, self.buf, self.len, self.next = d, buf, buflen, buf

    def reserve(self, size: int) -> int | None:
        """nd_cpack_align_and_reserve()."""
        mis = (self.next - self.buf) % size
        nxt = self.next if mis == 0 else self.next + size - mis
        if nxt - self.buf + size > self.len:
            return None
        return nxt

    def advance(self, n: int) -> bool:
        if self.next - self.buf + n > self.len:
            return False
        self.next += n
        return True

    def uint(self, size: int, signed: bool = False) -> int | None:
        if size == 1:
            if self.next - self.buf >= self.len:
                return None
            at = self.next
        else:
            at = self.reserve(size)
            if at is None:
                return None
        self.next = at + size
        return int.from_bytes(self.d.bytes_(at, size), "little", signed=signed)


def _chaninfo(d: Dissector, freq: int, flags: int, present: int) -> None:
    """print_chaninfo()."""
    d.p(f"{freq} MHz")
    if present & (1 << 19):
        d.p(" 11n")
    else:
        if flags & 0x880 == 0x880:
            d.p(" FHSS")
        if flags & 0x140 == 0x140:
            d.p(" 11a/10Mhz" if flags & 0x4000 else " 11a/5Mhz" if flags & 0x8000 else " 11a")
        if flags & 0xC0 == 0xC0 or flags & 0x480 == 0x480:
            d.p(" 11g/10Mhz" if flags & 0x4000 else " 11g/5Mhz" if flags & 0x8000 else " 11g")
        elif flags & 0xA0 == 0xA0:
            d.p(" 11b")
        if flags & 0x10:
            d.p(" Turbo")
    if flags & 0x10000:
        d.p(" ht/20")
    elif flags & 0x40000:
        d.p(" ht/40-")
    elif flags & 0x20000:
        d.p(" ht/40+")
    d.p(" ")


HT_BANDWIDTH = ["20 MHz", "40 MHz", "20 MHz (L)", "20 MHz (U)"]
VHT_BANDWIDTH = ["20 MHz", "40 MHz", "20 MHz (L)", "20 MHz (U)", "80 MHz", "80 MHz (L)",
                 "80 MHz (U)", "80 MHz (LL)", "80 MHz (LU)", "80 MHz (UL)", "80 MHz (UU)",
                 "160 MHz", "160 MHz (L)", "160 MHz (U)", "160 MHz (LL)", "160 MHz (LU)",
                 "160 MHz (UL)", "160 MHz (UU)", "160 MHz (LLL)", "160 MHz (LLU)",
                 "160 MHz (LUL)", "160 MHz (UUU)", "160 MHz (ULL)", "160 MHz (ULU)",
                 "160 MHz (UUL)", "160 MHz (UUU)"] + [f"unknown ({i})" for i in range(26, 32)]
# each field's cpack reads: (size, signed)
FIELDS = {0: ((8, False),), 1: ((1, False),), 2: ((1, False),), 3: ((2, False), (2, False)),
          4: ((1, False), (1, False)), 5: ((1, True),), 6: ((1, True),), 7: ((2, False),),
          8: ((2, True),), 9: ((1, True),), 10: ((1, True),), 11: ((1, False),),
          12: ((1, False),), 13: ((1, False),), 14: ((2, False),),
          18: ((4, False), (2, False), (1, False), (1, False)),
          19: ((1, False),) * 3, 20: ((4, False), (2, False), (1, False), (1, False)),
          21: ((2, False), (1, False), (1, False)) + ((1, False),) * 4
          + ((1, False), (1, False), (2, False))}


def _radiotap_field(d: Dissector, s: _Cpack, bit: int, flags: list[int], present: int) -> int:
    """print_radiotap_field(): 0, or nonzero to stop (-1 for a field it does not know)."""
    if bit not in FIELDS:
        d.p(f"[bit {bit}] ")
        return -1
    v = []
    for size, signed in FIELDS[bit]:
        x = s.uint(size, signed)
        if x is None:
            d.nd_print_trunc()
            return -1
        v.append(x)
    if bit == 0:
        d.p(f"{v[0]}us tsft ")
    elif bit == 1:
        flags[0] = v[0]
        for mask, name in ((0x01, "cfp "), (0x02, "short preamble "), (0x04, "wep "),
                           (0x08, "fragmented "), (0x40, "bad-fcs ")):
            if v[0] & mask:
                d.p(name)
    elif bit == 2:
        d.p(f"MCS {v[0] & 0x7F} " if 0x80 <= v[0] <= 0x8F else f"{0.5 * v[0]:2.1f} Mb/s ")
    elif bit == 3:
        if not present & (1 << 18):
            _chaninfo(d, v[0], v[1], present)
    elif bit == 4:
        d.p(f"fhset {v[0]} fhpat {v[1]} ")
    elif bit == 5:
        d.p(f"{v[0]}dBm signal ")
    elif bit == 6:
        d.p(f"{v[0]}dBm noise ")
    elif bit == 7:
        d.p(f"{v[0]} sq ")
    elif bit == 8:
        d.p(f"{-v[0]} tx power ")
    elif bit == 9:
        d.p(f"{-v[0]}dB tx attenuation ")
    elif bit == 10:
        d.p(f"{v[0]}dBm tx power ")
    elif bit == 11:
        d.p(f"antenna {v[0]} ")
    elif bit == 12:
        d.p(f"{v[0]}dB signal ")
    elif bit == 13:
        d.p(f"{v[0]}dB noise ")
    elif bit == 18:
        _chaninfo(d, v[1], v[0], present)
    elif bit == 19:
        known, fl, mcs = v
        if known & 0x02:
            rate = 0.0
            if mcs <= 76 and known & 0x05:
                rate = HT_RATES[mcs][1 if fl & 3 == 1 else 0][1 if fl & 4 else 0]
            d.p(f"{_f1(rate)} Mb/s MCS {mcs} " if rate != 0.0 else f"MCS {mcs} ")
        if known & 0x01:
            d.p(HT_BANDWIDTH[fl & 3] + " ")
        if known & 0x04:
            d.p(("short" if fl & 4 else "long") + " GI ")
        if known & 0x08:
            d.p(("greenfield" if fl & 8 else "mixed") + " ")
        if known & 0x10:
            d.p(("LDPC" if fl & 0x10 else "BCC") + " FEC ")
        if known & 0x20:
            d.p(f"RX-STBC{(fl & 0x60) >> 5} ")
    elif bit == 21:
        known, fl, bw = v[0], v[1], v[2]
        mcs_nss, coding = v[3:7], v[7]
        for i, m in enumerate(mcs_nss):
            if m & 0x0F == 0:
                continue
            d.p(f"User {i} MCS {(m & 0xF0) >> 4} ")
            d.p(("LDPC" if coding & (1 << i) else "BCC") + " FEC ")
        if known & 0x40:
            d.p(VHT_BANDWIDTH[bw & 0x1F] + " ")
        if known & 0x04:
            d.p(("short" if fl & 4 else "long") + " GI ")
    return 0


def _in_namespace(d: Dissector, s: _Cpack, flags: list[int], present: int, bit0: int) -> int:
    """print_in_radiotap_namespace(): the present bits in order, up to bit 29."""
    while present:
        nxt = present & (present - 1)
        bitno = (present ^ nxt).bit_length() - 1
        if bitno >= 29:
            break
        rc = _radiotap_field(d, s, bit0 + bitno, flags, present)
        if rc != 0:
            return rc
        present = nxt
    return 0


def ieee802_11_radio_print(d: Dissector, p: int, length: int, caplen: int) -> int:
    d.protocol = "802.11_radio"
    if caplen < 8:
        d.nd_print_trunc()
        return caplen
    hlen = _le16(d, p + 2)
    if hlen < 8 or caplen < hlen:
        d.nd_print_trunc()
        return caplen
    s = _Cpack(d, p, hlen)
    s.advance(8)
    last = p + 4
    while last + 4 <= p + hlen and _le32(d, last) & 0x80000000:
        last += 4
        s.advance(4)
    if last + 4 > p + hlen:
        d.nd_print_trunc()
        return caplen
    bit0 = 0
    vendor_ns = False
    skip = 0
    flags = [0]
    at = p + 4
    while at <= last:
        present = _le32(d, at)
        if vendor_ns:
            if not s.advance(skip):
                break
            skip = 0
        elif _in_namespace(d, s, flags, present, bit0) != 0:
            break
        ns = present & 0x60000000
        if ns == 0:
            bit0 += 32
        elif ns == 0x20000000:
            bit0, vendor_ns, skip = 0, False, 0
        elif ns == 0x40000000:
            bit0 = 0
            vendor_ns = True
            if s.reserve(2) is None:
                d.nd_print_trunc()
            else:
                vals = [s.uint(1), s.uint(1), s.uint(1), s.uint(1)]
                if None in vals:
                    d.nd_print_trunc()
                else:
                    sk = s.uint(2)
                    if sk is None:
                        d.nd_print_trunc()
                    else:
                        skip = sk
        at += 4
    pad = bool(flags[0] & 0x20)
    fcslen = 4 if flags[0] & 0x10 else 0
    return hlen + ieee802_11_print(d, p + hlen, length - hlen, caplen - hlen, pad, fcslen)


def ieee802_11_radio_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "802.11_radio"
    d.ll_hdr_len += ieee802_11_radio_print(d, 0, length, caplen)


def _avs_print(d: Dissector, p: int, length: int, caplen: int) -> int:
    d.protocol = "802.11_radio_avs"
    if caplen < 8:
        d.nd_print_trunc()
        return caplen
    hlen = d.u32(p + 4)
    if hlen < 8 or caplen < hlen:
        d.nd_print_trunc()
        return caplen
    return hlen + ieee802_11_print(d, p + hlen, length - hlen, caplen - hlen, False, 0)


def ieee802_11_radio_avs_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "802.11_radio_avs"
    d.ll_hdr_len += _avs_print(d, 0, length, caplen)


def prism_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "prism"
    if caplen < 4:
        d.nd_print_trunc()
        d.ll_hdr_len += caplen
        return
    if d.u32(0) in (0x80211001, 0x80211002):
        d.ll_hdr_len += _avs_print(d, 0, length, caplen)
        return
    if caplen < 144:
        d.nd_print_trunc()
        d.ll_hdr_len += caplen
        return
    d.ll_hdr_len += 144
    d.ll_hdr_len += ieee802_11_print(d, 144, length - 144, caplen - 144, False, 0)


IF_PRINTERS = {105: ieee802_11_if_print, 127: ieee802_11_radio_if_print,
               119: prism_if_print, 163: ieee802_11_radio_avs_if_print}

