"""Telnet option negotiation as tcpdump 4.99.3 prints it after a TCP segment on port 23
(print-telnet.c telnet_print(), telnet_parse()): ` [telnet WILL ECHO, DO NAWS, SB ...]`
for the IAC commands at the start of the payload; the text after them is not shown."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

IAC, SB, SE, XEOF = 255, 250, 240, 236
TELCMDS = ("EOF", "SUSP", "ABORT", "EOR", "SE", "NOP", "DMARK", "BRK", "IP", "AO", "AYT",
           "EC", "EL", "GA", "SB", "WILL", "WONT", "DO", "DONT", "IAC")
TELOPTS = (
    "BINARY", "ECHO", "RCP", "SUPPRESS GO AHEAD", "NAME", "STATUS", "TIMING MARK", "RCTE",
    "NAOL", "NAOP", "NAOCRD", "NAOHTS", "NAOHTD", "NAOFFD", "NAOVTS", "NAOVTD", "NAOLFD",
    "EXTEND ASCII", "LOGOUT", "BYTE MACRO", "DATA ENTRY TERMINAL", "SUPDUP", "SUPDUP OUTPUT",
    "SEND LOCATION", "TERMINAL TYPE", "END OF RECORD", "TACACS UID", "OUTPUT MARKING",
    "TTYLOC", "3270 REGIME", "X.3 PAD", "NAWS", "TSPEED", "LFLOW", "LINEMODE", "XDISPLOC",
    "OLD-ENVIRON", "AUTHENTICATION", "ENCRYPT", "NEW-ENVIRON")
CMDS = ("IS", "SEND", "INFO")
AUTHCMD = ("IS", "SEND", "REPLY", "NAME")
AUTHTYPE = ("NULL", "KERBEROS_V4", "KERBEROS_V5", "SPX", "MINK", "SRP", "RSA", "SSL", None,
            None, "LOKI", "SSA", "KEA_SJ", "KEA_SJ_INTEG", "DSS", "NTLM")
ENCCMD = ("IS", "SUPPORT", "REPLY", "START", "END", "REQUEST-START", "REQUEST-END",
          "END_KEYID", "DEC_KEYID")
ENCTYPE = ("NULL", "DES_CFB64", "DES_OFB64", "DES3_CFB64", "DES3_OFB64", None,
           "CAST5_40_CFB64", "CAST5_40_OFB64", "CAST128_CFB64", "CAST128_OFB64")


class _End(Exception):
    """telnet_parse()'s `goto pktend`."""


def _hex(x: int) -> str:
    """printf's %#x: no 0x before a zero."""
    return f"{x:#x}" if x else "0"


def _str_or_id(x: int, table: tuple) -> str:
    return table[x] if x < len(table) and table[x] else _hex(x)


def telnet_parse(d: Dissector, sp: int, length: int, out: list[str]) -> int:
    """The length of the command at sp, its text appended to `out`; -1 past its end."""
    start = sp

    def fetch() -> int:
        nonlocal sp, length
        if length < 1:
            raise _End()
        c = d.u8(sp)
        sp, length = sp + 1, length - 1
        return c

    try:
        if fetch() != IAC:
            return -1
        c = fetch()
        if c == IAC:
            out.append("IAC IAC")
            return sp - start
        i = c - XEOF
        if i < 0:
            return -1
        if c not in (254, 253, 252, 251, SB):
            out.append(TELCMDS[i])
            return sp - start
        x = fetch()
        out.append(f"{TELCMDS[i]} {TELOPTS[x]}" if x < len(TELOPTS) else f"{TELCMDS[i]} {_hex(x)}")
        if c != SB:
            return sp - start
        p = sp
        while length > p + 1 - sp:
            if d.u8(p) == IAC and d.u8(p + 1) == SE:
                break
            p += 1
        if d.u8(p) != IAC:
            return -1
        tables = {37: (AUTHCMD, AUTHTYPE), 38: (ENCCMD, ENCTYPE)}.get(x, (CMDS,))
        for table in tables:
            if p <= sp:
                break
            out.append(" " + _str_or_id(fetch(), table))
        while p > sp:
            out.append(" " + _hex(fetch()))
        out.append(" SE")
        return sp + 2 - start
    except _End:
        return -1


def telnet_print(d: Dissector, sp: int, length: int) -> None:
    """telnet_print(): each IAC command at the start of the payload."""
    d.protocol = "telnet"
    first = True
    while length > 0 and d.u8(sp) == IAC:
        n = telnet_parse(d, sp, length, [])
        if n < 0:
            break
        text: list[str] = []
        telnet_parse(d, sp, length, text)
        d.p((" [telnet " if first else ", ") + "".join(text))
        first = False
        sp, length = sp + n, length - n
    if not first:
        d.p("]")
