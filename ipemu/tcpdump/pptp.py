"""PPTP control messages on TCP port 1723, as tcpdump 4.99.3's print-pptp.c pptp_print()
prints them (RFC 2637): the common header, then each message's fields in order, as a
table of (kind, offset, ...) read from the start of the message body."""
from __future__ import annotations

from ipemu.tcpdump.util import nd_printjnp

MSG_TYPES = ["NOT_DEFINED", "SCCRQ", "SCCRP", "StopCCRQ", "StopCCRP", "ECHORQ", "ECHORP",
             "OCRQ", "OCRP", "ICRQ", "ICRP", "ICCN", "CCRQ", "CDN", "WEN", "SLI"]
ERRCODES = {0: "None", 1: "Not-Connected", 2: "Bad-Format", 3: "Bad-Value", 4: "No-Resource",
            5: "Bad-Call-ID", 6: "PAC-Error"}
BTYPES = {1: "A", 2: "D", 3: "Any"}
FTYPES = {1: "A", 2: "S", 3: "E"}
_ECHORP = {1: "OK", 2: "General Error"}
# pptp_result_code_print()'s dictionary by message type
RESULTS = {
    2: {1: "Successful channel establishment", 2: "General error",
        3: "Command channel already exists",
        4: "Requester is not authorized to establish a command channel",
        5: "The protocol version of the requester is not supported"},
    4: _ECHORP, 6: _ECHORP,
    8: {1: "Connected", 2: "General Error", 3: "No Carrier", 4: "Busy", 5: "No Dial Tone",
        6: "Time-out", 7: "Do Not Accept"},
    10: {1: "Connect", 2: "General Error", 3: "Do Not Accept"},
    13: {1: "Lost Carrier", 2: "General Error", 3: "Admin Shutdown", 4: "Request"},
}
STOP_REASONS = {1: "None", 2: "Stop-Protocol", 3: "Stop-Local-Shutdown"}

# Each message's fields (pptp_sccrq_print() ... pptp_sli_print()): u16/u32 NAME prints
# ` NAME(%u)`; res1/res2 a reserved field's complaint when it is not zero; str NAME
# LEN a NUL-ended string of at most LEN bytes; strn NAME LENOFF one of at most
# min(64, the length at LENOFF).
_SCC = [("u32", 4, "framing_cap"), ("u32", 8, "bearer_cap"), ("u16", 12, "MAX_CHAN"),
        ("u16", 14, "FIRM_REV"), ("str", 16, "HOSTNAME", 64), ("str", 80, "VENDOR", 64)]
FIELDS: dict[int, list[tuple]] = {
    1: [("ver", 0), ("res2", 2)] + _SCC,
    2: [("ver", 0), ("result", 2), ("err", 3)] + _SCC,
    3: [("reason", 0), ("res1", 1), ("res2", 2)],
    4: [("result", 0), ("err", 1), ("res2", 2)],
    5: [("u32", 0, "ID")],
    6: [("u32", 0, "ID"), ("result", 4), ("err", 5), ("res2", 6)],
    7: [("u16", 0, "CALL_ID"), ("u16", 2, "CALL_SER_NUM"), ("u32", 4, "MIN_BPS"),
        ("u32", 8, "MAX_BPS"), ("btype", 12), ("ftype", 16), ("u16", 20, "RECV_WIN"),
        ("u16", 22, "PROC_DELAY"), ("u16", 24, "PHONE_NO_LEN"), ("res2", 26),
        ("strn", 28, "PHONE_NO", 24), ("str", 92, "SUB_ADDR", 64)],
    8: [("u16", 0, "CALL_ID"), ("u16", 2, "PEER_CALL_ID"), ("result", 4), ("err", 5),
        ("u16", 6, "CAUSE_CODE"), ("u32", 8, "CONN_SPEED"), ("u16", 12, "RECV_WIN"),
        ("u16", 14, "PROC_DELAY"), ("u32", 16, "PHY_CHAN_ID")],
    9: [("u16", 0, "CALL_ID"), ("u16", 2, "CALL_SER_NUM"), ("btype", 4),
        ("u32", 8, "PHY_CHAN_ID"), ("u16", 12, "DIALED_NO_LEN"), ("u16", 14, "DIALING_NO_LEN"),
        ("strn", 16, "DIALED_NO", 12), ("strn", 80, "DIALING_NO", 14),
        ("str", 144, "SUB_ADDR", 64)],
    10: [("u16", 0, "CALL_ID"), ("u16", 2, "PEER_CALL_ID"), ("result", 4), ("err", 5),
         ("u16", 6, "RECV_WIN"), ("u16", 8, "PROC_DELAY"), ("res2", 10)],
    11: [("u16", 0, "PEER_CALL_ID"), ("res2", 2), ("u32", 4, "CONN_SPEED"),
         ("u16", 8, "RECV_WIN"), ("u16", 10, "PROC_DELAY"), ("ftype", 12)],
    12: [("u16", 0, "CALL_ID"), ("res2", 2)],
    13: [("u16", 0, "CALL_ID"), ("result", 2), ("err", 3), ("u16", 4, "CAUSE_CODE"),
         ("res2", 6), ("str", 8, "CALL_STATS", 128)],
    14: [("u16", 0, "PEER_CALL_ID"), ("res2", 2), ("u32", 4, "CRC_ERR"),
         ("u32", 8, "FRAMING_ERR"), ("u32", 12, "HARDWARE_OVERRUN"),
         ("u32", 16, "BUFFER_OVERRUN"), ("u32", 20, "TIMEOUT_ERR"), ("u32", 24, "ALIGN_ERR")],
    15: [("u16", 0, "PEER_CALL_ID"), ("res2", 2), ("x32", 4, "SEND_ACCM"),
         ("x32", 8, "RECV_ACCM")],
}


def _field(d, bp: int, msg_type: int, field: tuple) -> None:
    kind, at = field[0], bp + field[1]
    v = d.opts.vflag
    if kind == "u16":
        d.p(f" {field[2]}({d.u16(at)})")
    elif kind == "u32":
        if field[2] == "framing_cap":
            cap = d.u32(at)
            d.p(f" FRAME_CAP({'A' if cap & 1 else ''}{'S' if cap & 2 else ''})")
        elif field[2] == "bearer_cap":
            cap = d.u32(at)
            d.p(f" BEARER_CAP({'D' if cap & 2 else ''}{'A' if cap & 1 else ''})")
        else:
            d.p(f" {field[2]}({d.u32(at)})")
    elif kind == "x32":
        d.p(f" {field[2]}(0x{d.u32(at):08x})")
    elif kind == "res1":
        if d.u8(at):
            d.p(f" [ERROR: reserved={d.u8(at)} must be zero]")
    elif kind == "res2":
        if d.u16(at):
            d.p(f" [ERROR: reserved={d.u16(at)} must be zero]")
    elif kind == "ver":
        d.p(f" PROTO_VER({d.u16(at) >> 8}.{d.u16(at) & 0xFF})")
    elif kind == "result":
        code = d.u8(at)
        d.p(f" RESULT_CODE({code}")
        if v and msg_type in RESULTS:
            d.p(f":{RESULTS[msg_type].get(code, '?')}")
        d.p(")")
    elif kind == "err":
        code = d.u8(at)
        d.p(f" ERR_CODE({code}" + (f":{ERRCODES.get(code, '?')}" if v else "") + ")")
    elif kind == "reason":
        code = d.u8(at)
        d.p(f" REASON({code}" + (f":{STOP_REASONS.get(code, '?')}" if v else "") + ")")
    elif kind == "btype":
        d.p(f" BEARER_TYPE({BTYPES.get(d.u32(at), '?')})")
    elif kind == "ftype":
        d.p(f" FRAME_TYPE({FTYPES.get(d.u32(at), '?')})")
    elif kind == "str":
        d.p(f" {field[2]}(")
        nd_printjnp(d, at, field[3])
        d.p(")")
    elif kind == "strn":
        d.p(f" {field[2]}(")
        nd_printjnp(d, at, min(64, d.u16(bp + field[3])))
        d.p(")")


def pptp_print(d, bp: int) -> None:
    """pptp_print(): a missing byte ends the line with [|pptp] (no trunc label)."""
    d.protocol = "pptp"
    d.p(": pptp")
    v = d.opts.vflag
    if v:
        d.p(f" Length={d.u16(bp)}")
        d.p({1: " CTRL-MSG", 2: " MGMT-MSG"}.get(d.u16(bp + 2), " UNKNOWN-MSG-TYPE"))
    mc = d.u32(bp + 4)
    if mc != 0x1A2B3C4D:
        d.p(f" UNEXPECTED Magic-Cookie!!({mc:08x})")
    if v or mc != 0x1A2B3C4D:
        d.p(f" Magic-Cookie={mc:08x}")
    msg_type = d.u16(bp + 8)
    if msg_type < len(MSG_TYPES):
        d.p(f" CTRL_MSGTYPE={MSG_TYPES[msg_type]}")
    else:
        d.p(f" UNKNOWN_CTRL_MSGTYPE({msg_type})")
    _field(d, bp, msg_type, ("res2", 10))
    for field in FIELDS.get(msg_type, ()):
        _field(d, bp + 12, msg_type, field)
