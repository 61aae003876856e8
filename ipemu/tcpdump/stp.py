"""Spanning tree BPDUs as tcpdump 4.99.3 prints them (print-stp.c stp_print()): 802.1d
config and topology change, 802.1w rapid STP, 802.1s MSTP, 802.1aq SPB."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, bittok2str
from ipemu.tcpdump.util import nd_printjnp, print_invalid

STP_TIME_BASE = 256          # timers are in 1/256 s
STP_BPDU_MSTP_MIN_LEN = 102
STP_BPDU_LEN = 36            # sizeof(struct stp_bpdu_)
STP_PROTO_VALUES = {0: "802.1d", 2: "802.1w", 3: "802.1s", 4: "802.1aq"}
STP_BPDU_FLAG_VALUES = [(0x01, "Topology change"), (0x02, "Proposal"), (0x10, "Learn"),
                        (0x20, "Forward"), (0x40, "Agreement"), (0x80, "Topology change ACK")]
STP_BPDU_TYPE_VALUES = {0x00: "Config", 0x02: "Rapid STP", 0x80: "Topology Change"}
RSTP_PORT_ROLES = {0: "Unknown", 1: "Alternate", 2: "Root", 3: "Designated"}
# offsets in an MSTP BPDU
MST_VER3_LEN, MST_CONFIG_NAME, MST_CONFIG_DIGEST = 36, 39, 73
MST_CIST_INT_PATH_COST, MST_CIST_BRIDGE_ID, MST_CIST_REMAIN_HOPS, MST_MSTI = 89, 93, 101, 102
MST_MSTI_LENGTH, MST_CONFIG_INFO_LENGTH = 16, 64
SPB_BPDU_MIN_LEN = 87


def _bridge_id(d: Dissector, p: int) -> str:
    """stp_print_bridge_id(): pppp.aa:bb:cc:dd:ee:ff."""
    b = d.bytes_(p, 8)
    return f"{b[0]:02x}{b[1]:02x}." + ":".join(f"{x:02x}" for x in b[2:])


def _flags(value: int) -> str:
    return bittok2str(STP_BPDU_FLAG_VALUES, "none", value)


def _timers(d: Dissector, p: int) -> str:
    age, max_age, hello, fwd = (d.u16(p + off) / STP_TIME_BASE for off in (27, 29, 31, 33))
    return (f"\n\tmessage-age {age:.2f}s, max-age {max_age:.2f}s, hello-time {hello:.2f}s, "
            f"forwarding-delay {fwd:.2f}s")


def _print_config_bpdu(d: Dissector, p: int, length: int) -> None:
    """stp_print_config_bpdu()."""
    flags = d.u8(p + 4)
    d.p(f", Flags [{_flags(flags)}]")
    d.p(f", bridge-id {_bridge_id(d, p + 17)}.{d.u16(p + 25):04x}, length {length}")
    if not d.opts.vflag:
        return
    d.p(_timers(d, p))
    d.p(f"\n\troot-id {_bridge_id(d, p + 5)}, root-pathcost {d.u32(p + 13)}")
    if d.u8(p + 2) == 2:
        d.p(f", port-role {RSTP_PORT_ROLES[(flags & 0x0C) >> 2]}")


def _print_mstp_bpdu(d: Dissector, p: int, length: int) -> None:
    """stp_print_mstp_bpdu(): the CIST, then every MSTI."""
    flags = d.u8(p + 4)
    d.p(f", CIST Flags [{_flags(flags)}], length {length}")
    if not d.opts.vflag:
        return
    d.p(f"\n\tport-role {RSTP_PORT_ROLES[(flags & 0x0C) >> 2]}, ")
    d.p(f"CIST root-id {_bridge_id(d, p + 5)}, CIST ext-pathcost {d.u32(p + 13)}")
    d.p(f"\n\tCIST regional-root-id {_bridge_id(d, p + 17)}, ")
    d.p(f"CIST port-id {d.u16(p + 25):04x},")
    d.p(_timers(d, p))
    d.p(f"\n\tv3len {d.u16(p + MST_VER3_LEN)}, ")
    d.p("MCID Name ")
    nd_printjnp(d, p + MST_CONFIG_NAME, 32)
    digest = "".join(f"{d.u32(p + MST_CONFIG_DIGEST + i):08x}" for i in (0, 4, 8, 12))
    d.p(f", rev {d.u16(p + MST_CONFIG_NAME + 32)},\n\t\tdigest {digest}, ")
    d.p(f"CIST int-root-pathcost {d.u32(p + MST_CIST_INT_PATH_COST)},")
    d.p(f"\n\tCIST bridge-id {_bridge_id(d, p + MST_CIST_BRIDGE_ID)}, ")
    d.p(f"CIST remaining-hops {d.u8(p + MST_CIST_REMAIN_HOPS)}")
    v3len = d.u16(p + MST_VER3_LEN)
    if v3len > MST_CONFIG_INFO_LENGTH:
        left, off = v3len - MST_CONFIG_INFO_LENGTH, MST_MSTI
        while left >= MST_MSTI_LENGTH:
            msti = d.u16(p + off + 1) & 0x0FFF
            mflags = d.u8(p + off)
            d.p(f"\n\tMSTI {msti}, Flags [{_flags(mflags)}], port-role "
                f"{RSTP_PORT_ROLES[(mflags & 0x0C) >> 2]}")
            d.p(f"\n\t\tMSTI regional-root-id {_bridge_id(d, p + off + 1)}, "
                f"pathcost {d.u32(p + off + 9)}")
            d.p(f"\n\t\tMSTI bridge-prio {d.u8(p + off + 13) >> 4}, "
                f"port-prio {d.u8(p + off + 14) >> 4}, hops {d.u8(p + off + 15)}")
            left -= MST_MSTI_LENGTH
            off += MST_MSTI_LENGTH


def _print_spb_bpdu(d: Dissector, p: int, offset: int) -> None:
    """stp_print_spb_bpdu()."""
    if not d.opts.vflag:
        return
    q = p + offset
    d.p(f"\n\tv4len {d.u16(q)}, ")
    d.p("AUXMCID Name ")
    nd_printjnp(d, q + 3, 32)
    digest = "".join(f"{d.u32(q + 37 + i):08x}" for i in (0, 4, 8, 12))
    d.p(f", Rev {d.u16(q + 35)},\n\t\tdigest {digest}")
    agr, fmt, con = d.u8(q + 53), d.u8(q + 55), d.u8(q + 56)
    adigest = "".join(f"{d.u32(q + 67 + i):08x}" for i in (0, 4, 8, 12, 16))
    d.p(f"\n\tAgreement num {agr >> 6}, Discarded Agreement num {agr >> 4 & 3}, "
        f"Agreement valid-flag {agr >> 3 & 1},\n\tRestricted role-flag: {agr >> 2 & 1}, "
        f"Format id {fmt >> 4} cap {fmt}, Convention id {con >> 4} cap {con},\n\t"
        f"Edge count {d.u16(q + 57)}, Agreement digest {adigest}")


def stp_print(d: Dissector, p: int, length: int) -> None:
    """stp_print(): the protocol version, the BPDU type, then its fields."""
    d.protocol = "stp"
    if length < 4:
        print_invalid(d)
        return
    if d.u16(p):
        d.p(f"unknown STP version, length {length}")
        return
    version = d.u8(p + 2)
    d.p("STP " + STP_PROTO_VALUES.get(version, f"Unknown STP protocol (0x{version:02x})"))
    if version not in STP_PROTO_VALUES:
        return
    bpdu_type = d.u8(p + 3)
    d.p(", " + STP_BPDU_TYPE_VALUES.get(bpdu_type, f"Unknown BPDU Type (0x{bpdu_type:02x})"))
    if bpdu_type == 0x00:
        if length < STP_BPDU_LEN - 1:
            print_invalid(d)
            return
        _print_config_bpdu(d, p, length)
    elif bpdu_type == 0x02:
        if version == 2:
            if length < STP_BPDU_LEN:
                print_invalid(d)
                return
            _print_config_bpdu(d, p, length)
        elif version in (3, 4):
            if length < STP_BPDU_MSTP_MIN_LEN or d.u8(p + 35) != 0:
                print_invalid(d)
                return
            mstp_len = d.u16(p + MST_VER3_LEN) + 2
            if length < STP_BPDU_LEN + mstp_len:
                print_invalid(d)
                return
            _print_mstp_bpdu(d, p, length)
            if version == 4:
                spb_len = d.u16(p + MST_VER3_LEN + mstp_len) + 2
                if length < STP_BPDU_LEN + mstp_len + spb_len or spb_len < SPB_BPDU_MIN_LEN:
                    print_invalid(d)
                    return
                _print_spb_bpdu(d, p, STP_BPDU_LEN + mstp_len)
