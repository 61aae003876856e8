"""TFTP as tcpdump 4.99.3 prints it on port 69 (print-tftp.c tftp_print()): the opcode,
a request's file name, mode and options, DATA/ACK block numbers, ERROR codes."""
from __future__ import annotations

from ipemu.tcpdump.util import nd_printztn

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

OPS = {1: "RRQ", 2: "WRQ", 3: "DATA", 4: "ACK", 5: "ERROR", 6: "OACK"}
ERRORS = {0: "EUNDEF", 1: "ENOTFOUND", 2: "EACCESS", 3: "ENOSPACE", 4: "EBADOP",
          5: "EBADID", 6: "EEXISTS", 7: "ENOUSER"}


def tftp_print(d: Dissector, bp: int, length: int) -> None:
    """tftp_print()."""
    d.protocol = "tftp"
    d.p(f"TFTP, length {length}")
    if length < 2:
        d.nd_print_trunc()
        return
    opcode = d.u16(bp)
    if opcode not in OPS:
        d.p(f", tftp-#{opcode}")
        return
    d.p(f", {OPS[opcode]}")
    bp, length = bp + 2, length - 2
    if opcode in (1, 2):
        if length == 0:
            return d.nd_print_trunc()
        d.p(' "')
        n = nd_printztn(d, bp, length, True)
        d.p('"')
        if n == 0:
            return d.nd_print_trunc()
        bp, length = bp + n, length - n
        if length == 0:
            return d.nd_print_trunc()
        d.p(" ")
        n = nd_printztn(d, bp, length, True)
        if n == 0:
            return d.nd_print_trunc()
        bp, length = bp + n, length - n
    if opcode in (1, 2, 6):
        while length:
            if d.u8(bp) != 0:
                d.p(" ")
            n = nd_printztn(d, bp, length, True)
            if n == 0:
                return d.nd_print_trunc()
            bp, length = bp + n, length - n
    elif opcode in (3, 4):
        if length < 2:
            return d.nd_print_trunc()
        d.p(f" block {d.u16(bp)}")
    elif opcode == 5:
        if length < 2:
            return d.nd_print_trunc()
        code = d.u16(bp)
        d.p(" " + ERRORS.get(code, f'tftp-err-#{code} "'))
        bp, length = bp + 2, length - 2
        if length == 0:
            return d.nd_print_trunc()
        d.p(' "')
        n = nd_printztn(d, bp, length, True)
        d.p('"')
        if n == 0:
            d.nd_print_trunc()
