"""LISP control messages on UDP 4342 as tcpdump 4.99.3 prints them (print-lisp.c
lisp_print()): the message type; for Map-Register and Map-Notify the records with their
EID prefixes and locators, under -v the flags, authentication, TTLs and weights, then
the xTR and site ids or what data is left."""
from __future__ import annotations

from ipemu.tcpdump.dissect import bittok2str, tok2str
from ipemu.tcpdump.hexdump import hex_print

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

LISP_TYPES = {0: "LISP-Reserved", 1: "LISP-Map-Request", 2: "LISP-Map-Reply",
              3: "LISP-Map-Register", 4: "LISP-Map-Notify",
              8: "LISP-Encapsulated-Contol-Message"}
MAP_REGISTER_FLAGS = [(0x08000000, "P-Proxy-Map-Reply"), (0x04000000, "S-LISP-SEC-Capable"),
                      (0x02000000, "I-xTR-ID-Present"), (0x01000000, "R-Build-For-RTR"),
                      (0x00000100, "M-Want-Map-Notify")]
MAP_NOTIFY_FLAGS = [(0x08000000, "I-xTR-ID-Present"), (0x04000000, "R-Build-For-RTR")]
AUTH_TYPES = {0: "None", 1: "SHA1", 2: "SHA256"}
EID_ACTIONS = {0: "No-Action", 1: "Natively-Forward", 2: "Send-Map-Request", 3: "Drop"}
LOC_FLAGS = [(0x0004, "Local-Locator"), (0x0002, "RLoc-Probed"), (0x0001, "Reachable")]
HDR_LEN, EID_LEN, LOC_LEN = 16, 12, 8     # sizeof the map_register_* structs
MAP_REGISTER, MAP_NOTIFY = 3, 4


def lisp_print(d: Dissector, bp: int, length: int) -> None:
    d.protocol = "lisp"
    if not d.ttest(bp, HDR_LEN):
        d.nd_print_trunc()
        return
    type_and_flag = d.u8(bp)
    kind = type_and_flag >> 4
    d.p(f"{tok2str(LISP_TYPES, 'unknown-type-%u', kind)},")     # lisp_hdr_flag()
    if d.opts.vflag and kind in (MAP_REGISTER, MAP_NOTIFY):
        table = MAP_REGISTER_FLAGS if kind == MAP_REGISTER else MAP_NOTIFY_FLAGS
        d.p(f" flags [{bittok2str(table, 'none', d.u32(bp))}],")
    if kind not in (MAP_REGISTER, MAP_NOTIFY):
        return
    # is_xtr_data_present()
    xtr_present = type_and_flag & (2 if kind == MAP_REGISTER else 8)
    auth_len = d.u16(bp + 14)
    records = d.u8(bp + 3)
    offset = HDR_LEN
    if d.opts.vflag:
        d.p(f"\n    {records} record(s), ")
        d.p(f"Authentication {tok2str(AUTH_TYPES, 'unknown-type', d.u16(bp + 12))},")
        # hex_print(): what was captured of it, then a truncation ends the packet
        have = min(auth_len, d.avail(bp + offset))
        d.p(hex_print(d.data[bp + offset:bp + offset + have], "\n    Authentication-Data: "))
        d.need(bp + offset, auth_len)
    else:
        d.p(f" {records} record(s),")
    offset += auth_len
    if records == 0:
        d.p(" (invalid)")
        return
    while length > offset and records:
        records -= 1
        if not d.ttest(bp + offset, EID_LEN):
            d.nd_print_trunc()
            return
        d.p("\n")
        eid = bp + offset
        offset += EID_LEN
        mask_len, afi, loc_count = d.u8(eid + 5), d.u16(eid + 10), d.u8(eid + 4)
        if d.opts.vflag:
            d.p(f"      Record TTL {d.u32(eid)},")
            act = d.u8(eid + 6)                                   # action_flag()
            d.p(" Authoritative," if (act >> 4) & 1 else " Non-Authoritative,")
            d.p(f" {tok2str(EID_ACTIONS, 'unknown', act >> 5)},")
            d.p(f" Map Version: {d.u16(eid + 8) & 0x0FFF},")
        if afi == 1:
            d.p(f" EID {d.ipaddr_string(bp + offset)}/{mask_len},")
            offset += 4
        elif afi == 2:
            d.p(f" EID {d.ip6addr_string(bp + offset)}/{mask_len},")
            offset += 16
        else:
            return                       # no support for LCAF
        d.p(f" {loc_count} locator(s)")
        while loc_count:
            loc_count -= 1
            if not d.ttest(bp + offset, LOC_LEN):
                d.nd_print_trunc()
                return
            loc = bp + offset
            offset += LOC_LEN
            loc_afi = d.u16(loc + 6)
            if d.opts.vflag:
                d.p("\n       ")
            if loc_afi in (1, 2):
                size = 4 if loc_afi == 1 else 16
                if not d.ttest(bp + offset, size):
                    d.nd_print_trunc()
                    return
                addr = d.ipaddr_string(loc + 8) if loc_afi == 1 else d.ip6addr_string(loc + 8)
                d.p(f" LOC {addr}")
                offset += size
            if d.opts.vflag:
                d.p(f"\n          Priority/Weight {d.u8(loc)}/{d.u8(loc + 1)}, Multicast "
                    f"Priority/Weight {d.u8(loc + 2)}/{d.u8(loc + 3)},")
                d.p(f" flags [{bittok2str(LOC_FLAGS, 'none', d.u16(loc + 4))}],")
    at = bp + offset
    if xtr_present:
        if not d.ttest(at, 24):
            d.p(" (invalid)")
            return
        d.p(hex_print(d.data[at:at + 16], "\n    xTR-ID: "))
        d.p(f"\n    SITE-ID: {int.from_bytes(d.data[at + 16:at + 24], 'big')}")
    elif at < d.snapend:
        d.p(hex_print(d.data[at:d.snapend], "\n    Data: "))
