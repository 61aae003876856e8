"""One packet as the lines tcpdump prints for it (print.c: pretty_print_packet and
util-print.c: ts_print): the timestamp, the protocol text, then the -x/-X dump."""
from __future__ import annotations

import time

from ipemu.tcpdump.dissect import (
    LINKTYPE_DLT_RAW, LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_LOOP,
    LINKTYPE_NULL, LINKTYPE_RAW, Dissector,
    PrintOptions, PrintState, Truncated)
from ipemu.tcpdump.hexdump import ascii_print, hex_and_ascii_print, hex_print
from ipemu.tcpdump.linktypes import IF_PRINTERS

MAXIMUM_SNAPLEN = 262144


Stamp = float | tuple[int, int]


def _split(ts: Stamp, unit: int = 1_000_000) -> tuple[int, int]:
    """Seconds and fraction (of a million, or of a billion under --nano) of a timestamp;
    a pair is taken as libpcap gave it (a classic file's signed 32-bit tv_sec and
    tv_usec, the fraction as libpcap scaled it: out of range or negative included)."""
    if isinstance(ts, tuple):
        return ts
    total = round(ts * unit)
    return total // unit, total % unit


def _hmsfrac(sec: int, frac: int, width: int, fmt: str, local: bool) -> str:
    """ts_date_hmsfrac_print(): a negative tv_sec cannot be converted; the fraction by
    ts_frac_print() as `%06u` (`%09u`) of the long cast to unsigned."""
    if sec & 0x80000000:
        return "[Error converting time]"
    stamp = time.localtime(sec) if local else time.gmtime(sec)
    return time.strftime(fmt, stamp) + f".{frac & 0xFFFFFFFF:0{width}d}"


def format_timestamp(ts: Stamp, opts: PrintOptions, prev_ts: Stamp | None = None,
                     first_ts: Stamp | None = None) -> str:
    """ts_print(): the text before the packet, its trailing blank included; the
    fraction by ts_frac_print(): six digits, nine under --nano."""
    unit = 1_000_000_000 if opts.nano else 1_000_000
    width = 9 if opts.nano else 6
    sec, frac = _split(ts, unit)
    t = opts.tflag
    if t == 0:
        return _hmsfrac(sec, frac, width, "%H:%M:%S", True) + " "
    if t == 1:
        return ""
    if t == 2:
        # ts_unix_print(): the seconds cast to a 32-bit unsigned
        if sec & 0x80000000:
            return "[Error converting time] "
        return f"{sec & 0xFFFFFFFF}.{frac & 0xFFFFFFFF:0{width}d} "
    if t in (3, 5):
        ref = prev_ts if t == 3 else first_ts
        # a zero tv_ref counts as unset: this packet becomes the reference
        ref = _split(ref, unit) if ref is not None else (0, 0)
        if ref == (0, 0):
            ref = (sec, frac)
        # netdissect_timevalcmp() then netdissect_timevalsub(): one borrow only
        negative = (sec, frac) < ref
        (asec, afrac), (bsec, bfrac) = (ref, (sec, frac)) if negative else ((sec, frac), ref)
        dsec, dfrac = asec - bsec, afrac - bfrac
        if dfrac < 0:
            dsec, dfrac = dsec - 1, dfrac + unit
        return ("-" if negative else " ") + _hmsfrac(dsec, dfrac, width, "%H:%M:%S", False) + " "
    return _hmsfrac(sec, frac, width, "%Y-%m-%d %H:%M:%S", True) + " "


def format_packet(frame: bytes, ts: Stamp, opts: PrintOptions, linktype: int = LINKTYPE_ETHERNET,
                  prev_ts: Stamp | None = None, first_ts: Stamp | None = None,
                  wirelen: int | None = None, state: PrintState | None = None) -> str:
    """Exactly what tcpdump prints for one captured frame, ending in a newline.

    `prev_ts`/`first_ts` are the previous and first packets' timestamps (for -ttt and
    -ttttt); `wirelen` is the length on the wire when the frame was cut by a snapshot
    length; `state` carries TCP sequence numbers from packet to packet (tcpdump prints
    them relative to the first seen in a connection)."""
    caplen = len(frame)
    length = wirelen if wirelen is not None else caplen
    head = _invalid_header(caplen, length)
    if head:
        return head + "\n"
    d = Dissector(opts, frame, state)
    d.p(format_timestamp(ts, opts, prev_ts, first_ts))
    try:
        if linktype == LINKTYPE_ETHERNET:
            d.ether_if_print(length, caplen)
        elif linktype == LINKTYPE_LINUX_SLL:
            d.sll_if_print(length, caplen)
        elif linktype == LINKTYPE_LINUX_SLL2:
            d.sll2_if_print(length, caplen)
        elif linktype in (LINKTYPE_RAW, LINKTYPE_DLT_RAW, 228, 229):
            # DLT_IPV4 and DLT_IPV6 print as raw IP too (print.c's table)
            d.raw_if_print(length)
        elif linktype in (LINKTYPE_NULL, LINKTYPE_LOOP):
            d.null_if_print(length, caplen)
        elif linktype == 104:
            # LINKTYPE_C_HDLC: chdlc_if_print()
            from ipemu.tcpdump.l2 import chdlc_print
            d.protocol = "chdlc"
            d.ll_hdr_len += chdlc_print(d, 0, length)
        elif linktype == 9:
            from ipemu.tcpdump.l2 import ppp_if_print
            ppp_if_print(d, length, caplen)
        elif linktype in (107, 182):
            # LINKTYPE_FRELAY and LINKTYPE_MFR (print-fr.c)
            from ipemu.tcpdump.fr import fr_if_print, mfr_if_print
            (fr_if_print if linktype == 107 else mfr_if_print)(d, length, caplen)
        elif linktype in (8, 102):
            # LINKTYPE_SLIP and LINKTYPE_SLIP_BSDOS (print-sl.c)
            from ipemu.tcpdump.slip import sl_bsdos_if_print, sl_if_print
            (sl_if_print if linktype == 8 else sl_bsdos_if_print)(d, length, caplen)
        elif linktype == 50:
            # LINKTYPE_PPP_HDLC (DLT_PPP_SERIAL): ppp_hdlc_if_print()
            from ipemu.tcpdump.l2 import ppp_hdlc_if_print
            ppp_hdlc_if_print(d, length, caplen)
        elif linktype in IF_PRINTERS:
            IF_PRINTERS[linktype](d, length, caplen)
        else:
            # unsupported_if_print(): the protocol's name in capitals, then every
            # captured byte (-L marks such a type "printing not supported")
            d.p("UNSUPPORTED" + hex_and_ascii_print(frame[:caplen]))
    except Truncated:
        d.p(f" [|{d.protocol}]")
        d.ll_hdr_len = 0
    hdrlen = d.ll_hdr_len
    d.pop_all()
    if opts.Xflag:
        if opts.Xflag > 1:
            d.p(hex_and_ascii_print(frame))
        elif caplen > hdrlen:
            d.p(hex_and_ascii_print(frame[hdrlen:]))
    elif opts.xflag:
        if opts.xflag > 1:
            d.p(hex_print(frame))
        elif caplen > hdrlen:
            d.p(hex_print(frame[hdrlen:]))
    elif opts.Aflag:
        if opts.Aflag > 1:
            d.p(ascii_print(frame))
        elif caplen > hdrlen:
            d.p(ascii_print(frame[hdrlen:]))
    d.p("\n")
    return "".join(d.out)


def _invalid_header(caplen: int, length: int) -> str:
    problems = []
    if caplen == 0:
        problems.append(" caplen==0")
    if length == 0:
        problems.append(" len==0")
    elif length < caplen:
        problems.append(f" len({length}) < caplen({caplen})")
    if caplen > MAXIMUM_SNAPLEN:
        problems.append(f" caplen({caplen}) > {MAXIMUM_SNAPLEN}")
    if length > MAXIMUM_SNAPLEN:
        problems.append(f" len({length}) > {MAXIMUM_SNAPLEN}")
    if not problems:
        return ""
    return "[Invalid header:" + ",".join(problems) + "]"
