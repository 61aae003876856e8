"""IEEE 802.1AE MACsec as tcpdump 4.99.3 prints it (print-macsec.c macsec_print(), called
by ether_common_print() for ethertype 0x88e5): the SecTAG under -e, an encrypted or
changed payload as `802.1AE MACsec, an N, pn N, flags ...` and its raw bytes, an
integrity-only one decoded as the frame inside (its 16-byte ICV cut off)."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, bittok2str

TCI_VERSION, TCI_SC, TCI_CONFID, AN_MASK, SL_MASK = 0x80, 0x20, 0x0C, 0x03, 0x3F
TCI_FLAGS = 0x40 | 0x20 | 0x10 | 0x08 | 0x04
FLAG_VALUES = [(0x08, "E"), (0x04, "C"), (0x40, "S"), (0x10, "B"), (0x20, "I")]
SECTAG_LEN_NOSCI, SECTAG_LEN_SCI, ICV_LEN = 6, 14, 16


def _header(d: Dissector, p: int, short_length: int) -> None:
    """macsec_print_header()."""
    tci_an = d.u8(p)
    d.p(f"an {tci_an & AN_MASK}, pn {d.u32(p + 2)}, flags "
        f"{bittok2str(FLAG_VALUES, 'none', tci_an & TCI_FLAGS, '')}")
    if short_length:
        d.p(f", sl {short_length}")
    if tci_an & TCI_SC:
        d.p(f", sci {d.u32(p + 6) << 32 | d.u32(p + 10):016x}")
    d.p(", ")


def macsec_print(d: Dissector, p: int, length: int, caplen: int, hdrlen: int, src: int,
                 dst: int) -> tuple[int, int, int, int, int]:
    """macsec_print(): (ret, p, length, caplen, hdrlen) with ret 0 for an encrypted
    payload, > 0 (what ether_print() returns) for a header it could not take, -1 to go
    on with the frame inside."""
    save = d.protocol
    d.protocol = "macsec"
    # its locals keep what it was called with: a failure returns them, not the
    # lengths already cut down through the pointers
    done = hdrlen + caplen

    def quit_(text: str) -> tuple[int, int, int, int, int]:
        d.p(text)
        d.protocol = save
        return done, p, length, caplen, hdrlen

    trunc = " [|macsec]"
    if caplen < SECTAG_LEN_NOSCI or length < SECTAG_LEN_NOSCI:
        return quit_(trunc)
    tci_an = d.u8(p)
    sectag_len = SECTAG_LEN_NOSCI
    if tci_an & TCI_SC:
        sectag_len = SECTAG_LEN_SCI
        if caplen < SECTAG_LEN_SCI or length < SECTAG_LEN_SCI:
            return quit_(trunc)
    if d.u8(p + 1) & ~SL_MASK & 0xFF or tci_an & TCI_VERSION:
        return quit_(" (invalid)")
    short_length = d.u8(p + 1) & SL_MASK
    if d.opts.eflag:
        _header(d, p, short_length)
    sectag = p
    p, hdrlen = p + sectag_len, hdrlen + sectag_len
    length, caplen = length - sectag_len, caplen - sectag_len
    if tci_an & TCI_CONFID:
        if not d.opts.eflag:
            d.p(f"{d.etheraddr_string(src)} > {d.etheraddr_string(dst)} 802.1AE MACsec, ")
            _header(d, sectag, short_length)
        d.protocol = save
        return 0, p, length, caplen, hdrlen
    if length < ICV_LEN or caplen < ICV_LEN:
        return quit_(trunc)
    length, caplen = length - ICV_LEN, caplen - ICV_LEN
    d.snapend -= ICV_LEN
    if short_length:
        if short_length > length or short_length > caplen:
            return quit_(trunc)
        length, caplen = min(length, short_length), min(caplen, short_length)
    d.protocol = save
    return -1, p, length, caplen, hdrlen
