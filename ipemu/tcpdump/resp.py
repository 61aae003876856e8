"""Redis's RESP on TCP port 6379, as tcpdump 4.99.3's print-resp.c resp_print() prints
it: each simple string, error, integer, bulk string and array element in quotes, inline
commands, pipelined requests one after another, ` [|resp]` where parsing gives up."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, Truncated
from ipemu.tcpdump.util import nd_printn

INT_MAX = 0x7FFFFFFF


class _Trunc(Exception):
    """The parsers' -1 (`goto trunc`): resp_print() ends with [|resp]."""


def _segment(d: Dissector, bp: int, n: int) -> None:
    """RESP_PRINT_SEGMENT()."""
    d.p(' "')
    if nd_printn(d, bp, n, stop_at_snapend=True):
        raise _Trunc()
    d.p('"')


def _find_crlf(d: Dissector, p: int, n: int) -> tuple[int, int]:
    """FIND_CRLF(): the \\r\\n's position and what is left from it."""
    while True:
        if n < 2 or not d.ttest(p, 2):
            raise _Trunc()
        if d.u8(p) == 0x0D and d.u8(p + 1) == 0x0A:
            return p, n
        p += 1
        n -= 1


def _consume_cr_or_lf(d: Dissector, p: int, n: int) -> tuple[int, int]:
    found = False
    while True:
        if n == 0 or not d.ttest(p, 1):
            if found:
                return p, n
            raise _Trunc()
        if d.u8(p) not in (0x0D, 0x0A):
            return p, n
        found = True
        p += 1
        n -= 1


def _get_length(d: Dissector, bp: int, n: int) -> tuple[int, int]:
    """resp_get_length(): (the length or -2 truncated, -3 too large, -4 negative, -5
    invalid; where it stopped)."""
    if n == 0:
        return -2, bp
    too_large = neg = False
    if d.u8(bp) == 0x2D:
        neg = True
        bp += 1
        n -= 1
    result, saw = 0, False
    while True:
        if n == 0:
            return -2, bp
        c = d.u8(bp)
        if not 0x30 <= c <= 0x39:
            if not saw:
                return -5, bp + 1
            break
        c -= 0x30
        if result > INT_MAX // 10:
            too_large = True
        else:
            result *= 10
            if result == (INT_MAX // 10) * 10 and c > INT_MAX % 10:
                too_large = True
            else:
                result += c
        bp += 1
        n -= 1
        saw = True
    if d.u8(bp) != 0x0D:
        return -5, bp + 1
    bp += 1
    n -= 1
    if n == 0:
        return -2, bp
    if d.u8(bp) != 0x0A:
        return -5, bp + 1
    bp += 1
    if neg:
        if too_large or result != 1:
            return -4, bp
        result = -1
    return (-3 if too_large else result), bp


def _bad_length(d: Dissector, n: int) -> None:
    if n == -2:
        raise _Trunc()
    d.p({0: " empty", -1: " null", -3: " length too large",
         -4: " length negative and not -1"}.get(n, " invalid"))


def _parse(d: Dissector, bp: int, length: int) -> int:
    """resp_parse(): the bytes one item took."""
    if length < 1:
        raise _Trunc()
    op = d.u8(bp)
    if op in (0x2B, 0x3A, 0x2D):            # + : -
        start = bp + 1
        end, _ = _find_crlf(d, start, length - 1)
        _segment(d, start, end - start)
        return 1 + (end - start) + 2
    if op == 0x24:                          # $ bulk string
        cur, p = length - 1, bp + 1
        slen, endp = _get_length(d, p, cur)
        cur -= endp - p
        p = endp
        if slen >= 0:
            if slen == 0:
                d.p(" empty")
            else:
                if cur < slen or not d.ttest(p, slen):
                    raise _Trunc()
                _segment(d, p, slen)
                p += slen
                cur -= slen
            p, cur = _find_crlf(d, p, cur)
            cur -= 2
        else:
            _bad_length(d, slen)
        return length - cur
    if op == 0x2A:                          # * array
        cur, p = length - 1, bp + 1
        alen, endp = _get_length(d, p, cur)
        cur -= endp - p
        p = endp
        if alen > 0:
            for _ in range(alen):
                n = _parse(d, p, cur)
                p += n
                cur -= n
        else:
            _bad_length(d, alen)
        return length - cur
    # an inline command
    cur = length
    p, cur = _consume_cr_or_lf(d, bp, cur)
    q = p
    while True:
        if cur < 1:
            raise _Trunc()
        if d.u8(q) in (0x0D, 0x0A):
            break
        q += 1
        cur -= 1
    _segment(d, p, q - p)
    q, cur = _consume_cr_or_lf(d, q, cur)
    return length - cur


def resp_print(d: Dissector, bp: int, length: int) -> None:
    """resp_print(): the items until the length is used up (pipelined requests)."""
    d.protocol = "resp"
    d.p(": RESP")
    try:
        while length > 0:
            n = _parse(d, bp, length)
            bp += n
            length -= n
    except (_Trunc, Truncated):
        d.nd_print_trunc()
