"""AppleTalk ARP as tcpdump 4.99.3 prints it (print-atalk.c's aarp_print())."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector

AARP_SIZE = 28                  # struct aarp


def ataddr_string(atnet: int, athost: int) -> str:
    """ataddr_string(): /etc/atalk.names is never read (its `if (!first)` is false
    the first time and every time), so each address is NET.HOST (NET for host 255)."""
    return f"{atnet}.{athost}" if athost != 255 else f"{atnet}"


def aarp_print(d: Dissector, bp: int, length: int) -> None:
    d.protocol = "aarp"
    d.p("aarp ")
    if not d.ttest(bp, AARP_SIZE):
        d.nd_print_trunc()
        return
    if length < AARP_SIZE:
        d.p(f" [|aarp {length}]")
        return

    def at(off: int) -> str:
        return ataddr_string((d.data[off + 1] << 8) | d.data[off + 2], d.data[off + 3])

    htype, ptype, halen, palen, op = (d.u16(bp), d.u16(bp + 2), d.u8(bp + 4),
                                      d.u8(bp + 5), d.u16(bp + 6))
    psaddr, pdaddr = bp + 14, bp + 24
    if htype == 1 and ptype == 0x809B and halen == 6 and palen == 4:
        if op == 1:
            d.p(f"who-has {at(pdaddr)} tell {at(psaddr)}")
            return
        if op == 2:
            d.p(f"reply {at(psaddr)} is-at {d.etheraddr_string(bp + 8)}")
            return
        if op == 3:
            d.p(f"probe {at(pdaddr)} tell {at(psaddr)}")
            return
    ptype_text = f"{ptype:#x}" if ptype else "0"            # C's %#x of 0 is "0"
    d.p(f"len {length} op {op} htype {htype} ptype {ptype_text} halen {halen} palen {palen}")
