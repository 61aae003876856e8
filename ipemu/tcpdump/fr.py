"""Frame Relay as tcpdump 4.99.3's print-fr.c prints it: the Q.922 address, Cisco-style
ethertypes after it, the NLPID (IP, IPv6, OSI, SNAP, Q.933, FRF.15, PPP), multilink
Frame Relay (FRF.16) control and fragment frames, and Q.933's LMI messages."""
from __future__ import annotations

from ipemu.tcpdump import names
from ipemu.tcpdump.dissect import Dissector, bittok2str, tok2str
from ipemu.tcpdump.isis import NLPIDS

LINKTYPE_FRELAY = 107
LINKTYPE_MFR = 182

FR_HEADER_FLAGS = [(0x02000000, "C!"), (0x00020000, "DE"), (0x00040000, "BECN"),
                   (0x00080000, "FECN"), (0x00000002, "sdlcore")]
MFR_B_BIT, MFR_E_BIT, MFR_C_BIT = 0x80, 0x40, 0x20
MFR_BEC_MASK = 0xE0
MFR_CTRL_FRAME = 0xE0
MFR_FRAG_FRAME = 0xC0
FRF_FLAGS = [(MFR_B_BIT, "Begin"), (MFR_E_BIT, "End"), (MFR_C_BIT, "Control")]


class _Trunc(Exception):
    """A printer's `goto trunc` (ND_TCHECK without the longjmp)."""


def parse_q922_header(d: Dissector, p: int, length: int):
    """(1, dlci, addr_len, flags), (0, ...) for an invalid address, (-1, ...) cut short."""
    if not d.ttest(p, 1) or length < 1:
        return -1, 0, 0, 0
    b0 = d.data[p]
    if b0 & 1:
        return 0, 0, 0, 0
    if not d.ttest(p + 1, 1) or length < 2:
        return -1, 0, 0, 0
    b1 = d.data[p + 1]
    addr_len = 2
    dlci = ((b0 & 0xFC) << 2) | ((b1 & 0xF0) >> 4)
    flags = ((b0 & 0x02) << 24) | ((b1 & 0x0E) << 16)
    if b1 & 1:
        return 1, dlci, addr_len, flags
    p += 2
    length -= 2
    if not d.ttest(p, 1) or length < 1:
        return -1, dlci, addr_len, flags
    addr_len += 1
    if d.data[p] & 1 == 0:
        dlci = (dlci << 7) | (d.data[p] >> 1)
        addr_len += 1
        p += 1
        length -= 1
    if not d.ttest(p, 1) or length < 1:
        return -1, dlci, addr_len, flags
    if d.data[p] & 1 == 0:
        return 0, dlci, addr_len, flags
    flags |= d.data[p] & 0x02
    dlci = ((dlci << 6) | (d.data[p] >> 2)) & 0xFFFFFFFF
    return 1, dlci, addr_len, flags


def q922_string(d: Dissector, p: int, length: int) -> str:
    """q922_string(): a Q.922 address as ARP's Frame Relay hardware address."""
    ret, dlci, _, _ = parse_q922_header(d, p, length)
    if ret == 1:
        return f"DLCI {dlci}"
    return "<Invalid DLCI>" if ret == 0 else "<Truncated>"


def _fr_hdr_print(d: Dissector, length: int, addr_len: int, dlci: int, flags: int,
                  nlpid: int) -> None:
    if d.opts.qflag:
        d.p(f"Q.922, DLCI {dlci}, length {length}: ")
    elif nlpid <= 0xFF:
        d.p(f"Q.922, hdr-len {addr_len}, DLCI {dlci}, Flags "
            f"[{bittok2str(FR_HEADER_FLAGS, 'none', flags)}], NLPID "
            f"{NLPIDS.get(nlpid, 'unknown')} (0x{nlpid:02x}), length {length}: ")
    else:
        d.p(f"Q.922, hdr-len {addr_len}, DLCI {dlci}, Flags "
            f"[{bittok2str(FR_HEADER_FLAGS, 'none', flags)}], cisco-ethertype "
            f"{tok2str(names.ETHERTYPES, 'unknown', nlpid)} (0x{nlpid:04x}), "
            f"length {length}: ")


def fr_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "fr"
    if caplen < 4:
        d.nd_print_trunc()
        d.ll_hdr_len += caplen
        return
    d.ll_hdr_len += fr_print(d, 0, length)


def fr_print(d: Dissector, p: int, length: int) -> int:
    """fr_print(): the header's length (0 when invalid or cut short)."""
    d.protocol = "fr"
    try:
        return _fr_print(d, p, length)
    except _Trunc:
        d.nd_print_trunc()
        return 0


def _check(d: Dissector, off: int, n: int = 1) -> None:
    if not d.ttest(off, n):
        raise _Trunc()


def _fr_print(d: Dissector, p: int, length: int) -> int:
    ret, dlci, addr_len, flags = parse_q922_header(d, p, length)
    if ret == -1:
        raise _Trunc()
    if ret == 0:
        d.p("Q.922, invalid address")
        return 0
    _check(d, p + addr_len)
    if length < addr_len + 1:
        raise _Trunc()
    if d.data[p + addr_len] != 0x03 and dlci != 0:
        # Cisco-style encapsulation: an ethertype after the address
        if not d.ttest(p + addr_len, 2) or length < addr_len + 2:
            d.p(f"UI {d.data[p + addr_len]:02x}! ")
        else:
            etype = d.u16(p + addr_len)
            if d.opts.eflag:
                _fr_hdr_print(d, length, addr_len, dlci, flags, etype)
            if d.ethertype_print(etype, p + addr_len + 2, length - addr_len - 2,
                                 d.avail(p) - addr_len - 2):
                return addr_len + 2
            d.p(f"UI {d.data[p + addr_len]:02x}! ")
    _check(d, p + addr_len + 1)
    if length < addr_len + 2:
        raise _Trunc()
    if d.data[p + addr_len + 1] == 0:
        if addr_len != 3:
            d.p("Pad! ")
        hdr_len = addr_len + 3
    else:
        if addr_len == 3:
            d.p("No pad! ")
        hdr_len = addr_len + 2
    _check(d, p + hdr_len - 1)
    if length < hdr_len:
        raise _Trunc()
    nlpid = d.data[p + hdr_len - 1]
    if d.opts.eflag:
        _fr_hdr_print(d, length, addr_len, dlci, flags, nlpid)
    p += hdr_len
    length -= hdr_len
    if nlpid == 0xCC:
        d.ip_print(p, length)
    elif nlpid == 0x8E:
        d.ip6_print(p, length)
    elif nlpid in (0x81, 0x82, 0x83):
        from ipemu.tcpdump.isis import isoclns_print
        isoclns_print(d, p - 1, length + 1)      # the OSI printers read the NLPID
    elif nlpid == 0x80:
        from ipemu.tcpdump.llc import snap_print
        if not snap_print(d, p, length, d.avail(p), None, None, 0):
            if not d.opts.eflag:
                _fr_hdr_print(d, length + hdr_len, hdr_len, dlci, flags, nlpid)
            if not d.opts.suppress_default_print:
                d.default_print(p - hdr_len, length + hdr_len)
    elif nlpid == 0x08:
        q933_print(d, p, length)
    elif nlpid == 0xB1:
        _frf15_print(d, p, length)
    elif nlpid == 0xCF:
        from ipemu.tcpdump.l2 import ppp_print
        ppp_print(d, p, length)
    else:
        if not d.opts.eflag:
            _fr_hdr_print(d, length + hdr_len, addr_len, dlci, flags, nlpid)
        if not d.opts.xflag:
            d.default_print(p, length)
    return hdr_len


def _frf15_print(d: Dissector, p: int, length: int) -> None:
    if length < 2:
        d.nd_print_trunc()
        return
    b0 = d.u8(p)
    seq = (b0 & 0x1E) << 7 | d.u8(p + 1)
    d.p(f"FRF.15, seq 0x{seq:03x}, Flags [{bittok2str(FRF_FLAGS, 'none', b0 & MFR_BEC_MASK)}],"
        f"{'Interface' if b0 & 1 else 'End-to-End'} Fragmentation, length {length}")


# -- FRF.16 --------------------------------------------------------------------------
MFR_CTRL_MSGS = {1: "Add Link", 2: "Add Link ACK", 3: "Add Link Reject", 4: "Hello",
                 5: "Hello ACK", 6: "Remove Link", 7: "Remove Link ACK"}
MFR_CTRL_IES = {1: "Bundle ID", 2: "Link ID", 3: "Magic Number", 5: "Timestamp",
                6: "Vendor Extension", 7: "Cause"}


def mfr_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "mfr"
    if caplen < 2:
        d.nd_print_trunc()
        d.ll_hdr_len += caplen
        return
    d.ll_hdr_len += mfr_print(d, 0, length)


def mfr_print(d: Dissector, p: int, length: int) -> int:
    d.protocol = "mfr"
    if length < 4:
        d.p(f"[length {length} < 4] (invalid)")
        return length
    if not d.ttest(p, 4):
        d.nd_print_trunc()
        return length
    b0 = d.data[p]
    if b0 & MFR_BEC_MASK == MFR_CTRL_FRAME and d.data[p + 1] == 0:
        d.p(f"FRF.16 Control, Flags [{bittok2str(FRF_FLAGS, 'none', b0 & MFR_BEC_MASK)}], "
            f"{MFR_CTRL_MSGS.get(d.data[p + 2], f'Unknown Message (0x{d.data[p + 2]:02x})')}, "
            f"length {length}")
        tptr, tlen, hdr_len = p + 3, length - 3, 3
        if not d.opts.vflag:
            return hdr_len
        while tlen > 2:
            if not d.ttest(tptr, 2):
                d.nd_print_trunc()
                return length
            ie_type, ie_len = d.data[tptr], d.data[tptr + 1]
            d.p(f"\n\tIE {MFR_CTRL_IES.get(ie_type, 'Unknown')} ({ie_type}), length {ie_len}: ")
            if ie_type == 0 or ie_len <= 2:
                return hdr_len
            if not d.ttest(tptr, ie_len):
                d.nd_print_trunc()
                return length
            tptr += 2
            ie_len -= 2
            tlen -= 2
            if ie_type == 3:
                if ie_len != 4:
                    d.p(f"[IE data length {ie_len} != 4] (invalid)")
                else:
                    d.p(f"0x{d.u32(tptr):08x}")
            elif ie_type in (1, 2):
                from ipemu.tcpdump.util import fn_print_char
                for idx in range(min(ie_len, 50)):
                    c = d.u8(tptr + idx)
                    if c == 0:
                        break
                    d.p(fn_print_char(c))
            elif ie_type == 5 and ie_len == 16:
                from ipemu.tcpdump.printer import format_timestamp
                sec = int.from_bytes(d.bytes_(tptr, 8), "little", signed=True)
                usec = int.from_bytes(d.bytes_(tptr + 8, 8), "little", signed=True)
                d.p(format_timestamp((sec, usec), d.opts))
            elif d.opts.vflag <= 1:
                d.print_unknown_data(tptr, "\n\t  ", ie_len)
            if d.opts.vflag > 1:
                d.print_unknown_data(tptr, "\n\t  ", ie_len)
            tlen -= ie_len
            tptr += ie_len
        return hdr_len
    seq = (b0 & 0x1E) << 7 | d.data[p + 1]
    flags = bittok2str(FRF_FLAGS, "none", b0 & MFR_BEC_MASK)
    if b0 & MFR_BEC_MASK in (MFR_FRAG_FRAME, MFR_B_BIT):
        d.p(f"FRF.16 Frag, seq {seq}, Flags [{flags}], ")
        fr_print(d, p + 2, length - 2)
        return 2
    d.p(f"FRF.16 Frag, seq {seq}, Flags [{flags}]")
    d.print_unknown_data(p, "\n\t", length)
    return 0


# -- Q.933 -----------------------------------------------------------------------------
Q933_MSGS = {0x00: "ESC to National", 0x01: "Alert", 0x02: "Call proceeding",
             0x07: "Connect", 0x0F: "Connect ACK", 0x03: "Progress", 0x05: "Setup",
             0x45: "Disconnect", 0x4D: "Release", 0x5A: "Release Complete",
             0x46: "Restart", 0x4E: "Restart ACK", 0x7D: "Status Reply",
             0x75: "Status Enquiry"}
Q933_IES_0_5 = {0x01: "ANSI Report Type", 0x19: "ANSI Link Verify", 0x03: "ANSI Link Verify",
                0x07: "ANSI PVC Status", 0x51: "CCITT Report Type",
                0x53: "CCITT Link Verify", 0x57: "CCITT PVC Status"}
LMI_REPORT_TYPES = {0: "Full Status", 1: "Link verify", 2: "Async PVC Status"}


def q933_print(d: Dissector, p: int, length: int) -> None:
    """q933_print(): p at the call reference's length octet."""
    d.protocol = "q.933"
    e, v = d.opts.eflag, d.opts.vflag
    d.p("" if e else "Q.933")

    def trunc_len(olen: int) -> None:
        if not e:
            d.p(", ")
        d.p(f"length {olen}")
        d.nd_print_trunc()

    if length == 0 or not d.ttest(p, 1):
        trunc_len(length)
        return
    olen = length
    call_ref_length = d.data[p] & 0x0F
    p += 1
    length -= 1
    call_ref = []
    for _ in range(call_ref_length):
        if length == 0 or not d.ttest(p, 1):
            trunc_len(olen)
            return
        call_ref.append(d.data[p])
        p += 1
        length -= 1
    if length == 0 or not d.ttest(p, 1):
        trunc_len(olen)
        return
    msgtype = d.data[p]
    p += 1
    length -= 1
    codeset = 0
    is_ansi = False
    non_locking_shift = 0
    unshift_codeset = codeset
    if length != 0:
        if not d.ttest(p, 1):
            trunc_len(olen)
            return
        iecode = d.data[p]
        if iecode & 0xF0 == 0x90:
            p += 1
            length -= 1
            codeset = iecode & 7
            if not iecode & 8:
                if codeset == 5:
                    is_ansi = True
            else:
                non_locking_shift = 1
                unshift_codeset = 0
    if not e:
        d.p(", ")
    d.p(f"{'ANSI' if is_ansi else 'CCITT'}, codeset {codeset}")
    if call_ref_length != 0:
        if call_ref_length > 1 or d.u8(p) != 0:
            d.p(", Call Ref: 0x" + "".join(f"{b:02x}" for b in call_ref))
    if v:
        d.p(f", {Q933_MSGS.get(msgtype, 'unknown message')} (0x{msgtype:02x}), length {olen}")
    else:
        d.p(", " + Q933_MSGS.get(msgtype, f"unknown message 0x{msgtype:02x}"))
    while length != 0:
        if non_locking_shift == 1:
            non_locking_shift = 2
        elif non_locking_shift == 2:
            codeset = unshift_codeset
            non_locking_shift = 0
        if not d.ttest(p, 1):
            if not v:
                d.p(f", length {olen}")
            d.nd_print_trunc()
            return
        iecode = d.data[p]
        p += 1
        length -= 1
        if iecode & 0x80:
            if iecode & 0xF0 == 0x90:
                if not iecode & 8:
                    non_locking_shift = 0
                else:
                    non_locking_shift = 1
                    unshift_codeset = codeset
                codeset = iecode & 7
            continue
        if length == 0 or not d.ttest(p, 1):
            if not v:
                d.p(f", length {olen}")
            d.nd_print_trunc()
            return
        ielength = d.data[p]
        p += 1
        length -= 1
        known_table = codeset in (0, 5)
        if v:
            name = Q933_IES_0_5.get(iecode, "unknown") if known_table else "unknown"
            d.p(f"\n\t{name} IE (0x{iecode:02x}), length {ielength}: ")
        if iecode == 0 or ielength == 0:
            return
        if length < ielength or not d.ttest(p, ielength):
            if not v:
                d.p(f", length {olen}")
            d.nd_print_trunc()
            return
        known = known_table and _q933_ie_codeset_0_5(d, iecode, ielength, p)
        if known:
            if v > 1:
                d.print_unknown_data(p, "\n\t  ", ielength)
        elif v >= 1:
            d.print_unknown_data(p, "\n\t", ielength)
        length -= ielength
        p += ielength
    if not v:
        d.p(f", length {olen}")


def _q933_ie_codeset_0_5(d: Dissector, iecode: int, ielength: int, p: int) -> bool:
    v = d.opts.vflag
    if iecode in (0x01, 0x51):
        if ielength < 1:
            if not v:
                d.p(", ")
            d.p("Invalid REPORT TYPE IE")
            return True
        if v:
            d.p(f"{LMI_REPORT_TYPES.get(d.u8(p), 'unknown')} ({d.u8(p)})")
        return True
    if iecode in (0x03, 0x53, 0x19):
        if not v:
            d.p(", ")
        if ielength < 2:
            d.p("Invalid LINK VERIFY IE")
            return True
        d.p(f"TX Seq: {d.u8(p):3d}, RX Seq: {d.u8(p + 1):3d}")
        return True
    if iecode in (0x07, 0x57):
        if not v:
            d.p(", ")
        b = lambda i: d.u8(p + i)  # noqa: E731
        if (ielength < 3 or b(0) & 0x80
                or (ielength == 3 and not b(1) & 0x80)
                or (ielength == 4 and (b(1) & 0x80 or not b(2) & 0x80))
                or (ielength == 5 and (b(1) & 0x80 or b(2) & 0x80 or not b(3) & 0x80))
                or ielength > 5 or not b(ielength - 1) & 0x80):
            d.p("Invalid DLCI in PVC STATUS IE")
            return True
        dlci = ((b(0) & 0x3F) << 4) | ((b(1) & 0x78) >> 3)
        if ielength == 4:
            dlci = (dlci << 6) | ((b(2) & 0x7E) >> 1)
        elif ielength == 5:
            dlci = (dlci << 13) | (b(2) & 0x7F) | ((b(3) & 0x7E) >> 1)
        last = b(ielength - 1)
        d.p(f"DLCI {dlci}: status {'New, ' if last & 8 else ''}"
            f"{'Active' if last & 2 else 'Inactive'}")
        return True
    return False
