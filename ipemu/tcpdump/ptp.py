"""IEEE 1588 PTP as tcpdump 4.99.3 prints it (print-ptp.c ptp_print()), over UDP ports
319/320 and ethertype 0x88f7: PTPv2's common header on one line, then the message's
time stamps, port identities, announce fields or management header; PTPv1 is
`(not implemented)`."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, bittok2str
from ipemu.tcpdump.util import print_invalid

MSG_TYPES = {0x0: "sync msg", 0x1: "delay req msg", 0x2: "peer delay req msg",
             0x3: "peer delay resp msg", 0x8: "follow up msg", 0x9: "delay resp msg",
             0xA: "pdelay resp fup msg", 0xB: "announce msg", 0xC: "signalling msg",
             0xD: "management msg"}
CONTROL = {0: "Sync", 1: "Delay_Req", 2: "Follow_Up", 3: "Delay_Resp", 4: "Management",
           5: "Other"}
FLAGS = [(0x1, "l1 61"), (0x2, "l1 59"), (0x4, "utc reasonable"), (0x8, "timescale"),
         (0x10, "time tracable"), (0x20, "frequency tracable"), (0x100, "alternate master"),
         (0x200, "two step"), (0x400, "unicast"), (0x1000, "profile specific 1"),
         (0x2000, "profile specific 2"), (0x4000, "security mask"), (0x18C0, "unknown")]
PTP_HDR_LEN = 0x22


def _u48(d: Dissector, off: int) -> int:
    return d.u16(off) << 32 | d.u32(off + 2)


def _u64(d: Dissector, off: int) -> int:
    return d.u32(off) << 32 | d.u32(off + 4)


def ptp_print(d: Dissector, bp: int, length: int) -> None:
    """ptp_print(): the length checked first (ND_LCHECK_U), then the version."""
    d.protocol = "ptp"
    if length < PTP_HDR_LEN:
        print_invalid(d)
        return
    vers = d.u16(bp) & 0xFF
    d.p(f"PTPv{vers}")
    if vers == 1:
        d.p(" (not implemented)")
    elif vers == 2:
        _ptp_v2(d, bp)


def _ptp_v2(d: Dissector, bp: int) -> None:
    """ptp_print_2()."""
    foct = d.u8(bp)
    msg_type = foct & 0x0F
    d.p(f", v1 compat : {'yes' if foct & 0x10 else 'no'}, msg type : "
        f"{MSG_TYPES.get(msg_type, 'Reserved')}")
    d.p(f", length : {d.u16(bp + 2)}")
    d.p(f", domain : {(d.u16(bp + 4) & 0xFF00) >> 8}, reserved1 : {d.u16(bp + 4) & 0xFF}")
    d.p(f", Flags [{bittok2str(FLAGS, 'none', d.u16(bp + 6))}]")
    d.p(f", NS correction : {_u48(d, bp + 8)}, sub NS correction : {d.u16(bp + 14)}")
    d.p(f", reserved2 : {d.u32(bp + 16)}, clock identity : 0x{_u64(d, bp + 20):x}")
    d.p(f", port id : {d.u16(bp + 28)}, seq id : {d.u16(bp + 30)}")
    control = d.u8(bp + 32)
    d.p(f", control : {control} ({CONTROL.get(control, 'Reserved')})")
    d.p(f", log message interval : {d.u16(bp + 32) & 0xFF}")
    bp += 34
    if msg_type in (0x0, 0x1):
        _timestamp(d, bp, "originTimeStamp")
    elif msg_type == 0x8:
        _timestamp(d, bp, "preciseOriginTimeStamp")
    elif msg_type in (0x2, 0xA):
        _timestamp_identity(d, bp, "preciseOriginTimeStamp")
    elif msg_type in (0x3, 0x9):
        _timestamp_identity(d, bp, "receiveTimeStamp")
    elif msg_type == 0xB:
        _announce(d, bp)
    elif msg_type == 0xC:
        _port_id(d, bp)
    elif msg_type == 0xD:
        # ptp_print_mgmt_msg(): bp is not advanced past the port identity, so every
        # print_field() reads its first byte; each label starts with its own ", "
        _port_id(d, bp)
        for label, hexa in (("start boundary hops", False), ("boundary hops", False),
                            ("flags", True), ("reserved", True)):
            value = d.u8(bp)
            d.p(f", , {label}  {f'0x{value:x}' if hexa else value}")


def _timestamp(d: Dissector, bp: int, kind: str) -> None:
    """ptp_print_timestamp()."""
    d.p(f", {kind} : {_u48(d, bp)} seconds, {d.u32(bp + 6)} nanoseconds")


def _timestamp_identity(d: Dissector, bp: int, kind: str) -> None:
    """ptp_print_timestamp_identity()."""
    _timestamp(d, bp, kind)
    _port_id(d, bp + 10)


def _port_id(d: Dissector, bp: int) -> None:
    """ptp_print_port_id()."""
    d.p(f", port identity : 0x{_u64(d, bp):x}, port id : {d.u16(bp + 8)}")


def _announce(d: Dissector, bp: int) -> None:
    """ptp_print_announce_msg()."""
    d.p(f", originTimeStamp : {_u48(d, bp)} seconds {d.u32(bp + 6)} nanoseconds")
    d.p(f", origin cur utc :{d.u16(bp + 10)}, rsvd : {d.u8(bp + 12)}")
    d.p(f", gm priority_1 : {d.u8(bp + 13)}, gm clock class : {d.u8(bp + 14)}")
    d.p(f", gm clock accuracy : {d.u8(bp + 15)}, gm clock variance : {d.u16(bp + 16)}")
    d.p(f", gm priority_2 : {d.u8(bp + 18)}, gm clock id : 0x{_u64(d, bp + 19):x}")
    d.p(f", steps removed : {d.u16(bp + 27)}, time source : 0x{d.u8(bp + 29):x}")
