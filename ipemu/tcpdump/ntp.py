"""NTP as tcpdump 4.99.3 prints it (print-ntp.c, ntp.c): the mode and length, and with
-v the time message's fields or the control message's header."""
from __future__ import annotations

import time

from ipemu.tcpdump.util import nd_printn, print_invalid, print_trunc

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

NTP_TIMEMSG_MINLEN = 48
NTP_CTRLMSG_MINLEN = 12
JAN_1970 = 2208988800
FMAXINT = 4294967296.0
MODES = {0: "unspecified", 1: "symmetric active", 2: "symmetric passive", 3: "Client",
         4: "Server", 5: "Broadcast", 6: "Control Message", 7: "Reserved"}
LEAPIND = {0x00: "", 0x40: "+1s", 0x80: "-1s", 0xC0: "clock unsynchronized"}
STRATUM = {0: "unspecified", 1: "primary reference"}


class _Trunc(Exception):
    """ND_TCHECK failed: `goto trunc`, which prints ` [|ntp]` and returns."""


def ntp_print(d: Dissector, off: int, length: int) -> None:
    """ntp_print()."""
    d.protocol = "ntp"
    status = d.u8(off)
    d.p(f"NTPv{(status & 0x38) >> 3}")
    mode = status & 7
    if not d.opts.vflag:
        d.p(f", {MODES.get(mode, 'Unknown mode')}, length {length}")
        return
    d.p(f", {MODES.get(mode, 'Unknown mode')}, length {length}\n")
    leapind = status & 0xC0
    d.p(f"\tLeap indicator: {LEAPIND.get(leapind, 'Unknown')} ({leapind})")
    try:
        if mode <= 5:
            _time_print(d, off, length)
        elif mode == 6:
            _control_print(d, off, length)
    except _Trunc:
        print_trunc(d)


def _tcheck(d: Dissector, off: int, n: int) -> None:
    if not d.ttest(off, n):
        raise _Trunc()


def _time_print(d: Dissector, bp: int, length: int) -> None:
    """ntp_time_print()."""
    if length < NTP_TIMEMSG_MINLEN:
        print_invalid(d)
        _tcheck(d, bp, length)
        return
    stratum = d.u8(bp + 1)
    kind = STRATUM.get(stratum, "secondary reference" if 2 <= stratum <= 15 else "reserved")
    d.p(f", Stratum {stratum} ({kind})")
    poll = _s8(d.u8(bp + 2))
    d.p(f", poll {poll}")
    if -32 < poll < 32:      # p_poll()
        d.p(f" ({1 << poll}s)" if poll >= 0 else f" (1/{1 << -poll}s)")
    d.p(f", precision {_s8(d.u8(bp + 3))}")
    _tcheck(d, bp + 4, 4)
    d.p(f"\n\tRoot Delay: {_sfix(d, bp + 4)}")
    _tcheck(d, bp + 8, 4)
    d.p(f", Root dispersion: {_sfix(d, bp + 8)}")
    _tcheck(d, bp + 12, 4)
    d.p(", Reference-ID: ")
    if stratum == 0:
        d.p("(unspec)")
    elif stratum == 1:
        if nd_printn(d, bp + 12, 4, stop_at_snapend=True):
            raise _Trunc()
    elif stratum == 62:
        d.p(f"{d.ipaddr_string(bp + 12)} INFO_QUERY")
        return
    elif stratum == 63:
        d.p(f"{d.ipaddr_string(bp + 12)} INFO_REPLY")
        return
    else:
        d.p(f"0x{d.u32(bp + 12):08x}")
    for label, at in (("\n\t  Reference Timestamp:  ", 16), ("\n\t  Originator Timestamp: ", 24),
                      ("\n\t  Receive Timestamp:    ", 32), ("\n\t  Transmit Timestamp:   ", 40)):
        _tcheck(d, bp + at, 8)
        d.p(label + p_ntp_time(d, bp + at))
    d.p("\n\t    Originator - Receive Timestamp:  " + _delta(d, bp + 24, bp + 32))
    d.p("\n\t    Originator - Transmit Timestamp: " + _delta(d, bp + 24, bp + 40))
    if length == NTP_TIMEMSG_MINLEN + 4:
        d.p(f"\n\tKey id: {d.u32(bp + 48)}")
    elif length in (NTP_TIMEMSG_MINLEN + 4 + 16, NTP_TIMEMSG_MINLEN + 4 + 20):
        d.p(f"\n\tKey id: {d.u32(bp + 48)}")
        n = length - NTP_TIMEMSG_MINLEN - 4
        _tcheck(d, bp + 52, n)
        d.p("\n\tAuthentication: " + "".join(f"{d.u32(bp + 52 + i):08x}"
                                             for i in range(0, n, 4)))
    elif length > NTP_TIMEMSG_MINLEN:
        d.p(f"\n\t({length - NTP_TIMEMSG_MINLEN} more bytes after the header)")


def _control_print(d: Dissector, cd: int, length: int) -> None:
    """ntp_control_print()."""
    if length < NTP_CTRLMSG_MINLEN:
        print_invalid(d)
        _tcheck(d, cd, length)
        return
    control = d.u8(cd + 1)
    d.p(f", {'Response' if control & 0x80 else 'Request'}, "
        f"{'Error' if control & 0x40 else 'OK'}, {'More' if control & 0x20 else 'Last'}, "
        f"OpCode={control & 0x1F}\n")
    d.p(f"\tSequence={d.u16(cd + 2)}")
    status = d.u16(cd + 4)
    d.p(f", Status={'0x%x' % status if status else '0'}")    # %#hx prints 0 as "0"
    d.p(f", Assoc.={d.u16(cd + 6)}")
    d.p(f", Offset={d.u16(cd + 8)}")
    count = d.u16(cd + 10)
    d.p(f", Count={count}")
    if NTP_CTRLMSG_MINLEN + count > length:
        print_invalid(d)
        _tcheck(d, cd, length)
        return
    if count:
        _tcheck(d, cd + 12, count)
        d.p("\n\tTO-BE-DONE: data not interpreted")


def _s8(v: int) -> int:
    return v - 256 if v & 0x80 else v


def _sfix(d: Dissector, off: int) -> str:
    """p_sfix(): 16.16 fixed point as %d.%06d."""
    return f"{d.u16(off)}.{int(d.u16(off + 2) / 65536.0 * 1000000.0):06d}"


def p_ntp_time(d: Dissector, off: int) -> str:
    """p_ntp_time() (ntp.c): seconds.nanoseconds since 1900, and the UTC date."""
    i, uf = d.u32(off), d.u32(off + 4)
    text = f"{i}.{int(uf / FMAXINT * 1000000000.0):09d}"
    if i:
        text += time.strftime(" (%Y-%m-%dT%H:%M:%SZ)", time.gmtime(i - JAN_1970))
    return text


def _delta(d: Dissector, olfp: int, lfp: int) -> str:
    """p_ntp_delta(): the signed difference of two timestamps."""
    u, ou = d.u32(lfp), d.u32(olfp)
    uf, ouf = d.u32(lfp + 4), d.u32(olfp + 4)
    if ou == 0 and ouf == 0:
        return p_ntp_time(d, lfp)
    if u > ou:
        sign, i, f = 0, u - ou, (uf - ouf) & 0xFFFFFFFF
        if ouf > uf:
            i -= 1
    elif u < ou:
        sign, i, f = 1, ou - u, (ouf - uf) & 0xFFFFFFFF
        if uf > ouf:
            i -= 1
    else:
        i = 0
        sign, f = (0, uf - ouf) if uf > ouf else (1, ouf - uf)
    return f"{'-' if sign else '+'}{i & 0xFFFFFFFF}.{int(f / FMAXINT * 1000000000.0):09d}"
