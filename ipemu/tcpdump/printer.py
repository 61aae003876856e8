"""One packet as the lines tcpdump prints for it (print.c: pretty_print_packet and
util-print.c: ts_print): the timestamp, the protocol text, then the -x/-X dump."""
from __future__ import annotations

import time

from ipemu.tcpdump.dissect import (
    LINKTYPE_DLT_RAW, LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_LOOP,
    LINKTYPE_NULL, LINKTYPE_RAW, Dissector,
    PrintOptions, PrintState, Truncated)
from ipemu.tcpdump.hexdump import ascii_print, hex_and_ascii_print, hex_print

MAXIMUM_SNAPLEN = 262144


Stamp = float | tuple[int, int]


def _split(ts: Stamp, unit: int = 1_000_000) -> tuple[int, int]:
    """Seconds and fraction (of a million, or of a billion under --nano) of a timestamp;
    a pair is taken as libpcap gave it, an out-of-range fraction included."""
    if isinstance(ts, tuple):
        return ts
    total = round(ts * unit)
    return total // unit, total % unit


def format_timestamp(ts: Stamp, opts: PrintOptions, prev_ts: Stamp | None = None,
                     first_ts: Stamp | None = None) -> str:
    """ts_print(): the text before the packet, its trailing blank included; the
    fraction by ts_frac_print(): six digits, nine under --nano."""
    unit = 1_000_000_000 if opts.nano else 1_000_000
    width = 9 if opts.nano else 6
    sec, frac = _split(ts, unit)
    t = opts.tflag
    if t in (0, 2, 4) and sec & 0x80000000:
        # pcap's tv_sec is a signed 32-bit field: ts_date_hmsfrac_print() and
        # ts_unix_print() refuse a negative one
        return "[Error converting time] "
    if t == 0:
        return time.strftime("%H:%M:%S", time.localtime(sec)) + f".{frac:0{width}d} "
    if t == 1:
        return ""
    if t == 2:
        return f"{sec}.{frac:0{width}d} "
    if t in (3, 5):
        ref = prev_ts if t == 3 else first_ts
        # a zero tv_ref counts as unset: this packet becomes the reference
        ref_sec, ref_frac = _split(ref, unit) if ref is not None else (0, 0)
        ref_units = ref_sec * unit + ref_frac
        ref_units = ref_units or sec * unit + frac
        diff = sec * unit + frac - ref_units
        sign = "-" if diff < 0 else " "
        dsec, dfrac = divmod(abs(diff), unit)
        return sign + time.strftime("%H:%M:%S", time.gmtime(dsec)) + f".{dfrac:0{width}d} "
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(sec)) + f".{frac:0{width}d} "


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
