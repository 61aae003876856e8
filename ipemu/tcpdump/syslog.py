"""Syslog over UDP as tcpdump 4.99.3 prints it (print-syslog.c)."""
from __future__ import annotations

from ipemu.tcpdump.util import nd_printn, print_invalid

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

SYSLOG_MAX_DIGITS = 3
SEVERITY = {0: "emergency", 1: "alert", 2: "critical", 3: "error", 4: "warning",
            5: "notice", 6: "info", 7: "debug"}
FACILITY = {0: "kernel", 1: "user", 2: "mail", 3: "daemon", 4: "auth", 5: "syslog",
            6: "lpr", 7: "news", 8: "uucp", 9: "cron", 10: "authpriv", 11: "ftp", 12: "ntp",
            13: "security", 14: "console", 15: "cron", 16: "local0", 17: "local1",
            18: "local2", 19: "local3", 20: "local4", 21: "local5", 22: "local6",
            23: "local7"}


def syslog_print(d: Dissector, off: int, length: int) -> None:
    """syslog_print(): `<PRI>` gives facility and severity; -v adds the message."""
    d.protocol = "syslog"
    if d.u8(off) != ord("<"):
        print_invalid(d)
        return
    msg_off = 1
    pri = 0
    while msg_off <= SYSLOG_MAX_DIGITS and 0x30 <= d.u8(off + msg_off) <= 0x39:
        pri = pri * 10 + d.u8(off + msg_off) - 0x30
        msg_off += 1
    if d.u8(off + msg_off) != ord(">"):
        print_invalid(d)
        return
    msg_off += 1
    facility, severity = (pri & 0x3F8) >> 3, pri & 7
    fac = FACILITY.get(facility, f"unknown ({facility})")
    sev = SEVERITY.get(severity, f"unknown ({severity})")
    if d.opts.vflag < 1:
        d.p(f"SYSLOG {fac}.{sev}, length: {length}")
        return
    d.p(f"SYSLOG, length: {length}\n\tFacility {fac} ({facility}), "
        f"Severity {sev} ({severity})\n\tMsg: ")
    if length > msg_off:
        nd_printn(d, off + msg_off, length - msg_off)
    if d.opts.vflag > 1:
        d.print_unknown_data(off, "\n\t", length)
