"""Text protocols over TCP as tcpdump 4.99.3 prints them: txtproto_print() (util-print.c)
for HTTP, RTSP, FTP, SMTP and whois (print-http.c, print-rtsp.c, print-ftp.c,
print-smtp.c, print-whois.c), and the SSH version line (print-ssh.c)."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

MAX_TOKEN = 128
HTTP_CMDS = frozenset((
    "GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST", "BCOPY", "BMOVE", "MKCOL",
    "TRACE", "LABEL", "MERGE", "DELETE", "SEARCH", "UNLOCK", "REPORT", "UPDATE", "NOTIFY",
    "BDELETE", "CONNECT", "OPTIONS", "CHECKIN", "PROPFIND", "CHECKOUT", "CCM_POST",
    "SUBSCRIBE", "PROPPATCH", "BPROPFIND", "BPROPPATCH", "UNCHECKOUT", "MKACTIVITY",
    "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT", "VERSION-CONTROL", "BASELINE-CONTROL"))
RTSP_CMDS = frozenset((
    "DESCRIBE", "ANNOUNCE", "GET_PARAMETER", "OPTIONS", "PAUSE", "PLAY", "RECORD",
    "REDIRECT", "SETUP", "SET_PARAMETER", "TEARDOWN"))

SIP_CMDS = frozenset((      # sipcmds (print-sip.c)
    "ACK", "BYE", "CANCEL", "DO", "INFO", "INVITE", "MESSAGE", "NOTIFY", "OPTIONS", "PRACK",
    "QAUTH", "REFER", "REGISTER", "SPRACK", "SUBSCRIBE", "UPDATE", "PUBLISH"))


def _isprint(c: int) -> bool:
    return 0x20 <= c <= 0x7E


def _fetch_token(d: Dissector, p: int, idx: int, length: int) -> tuple[int, str]:
    """fetch_token(): (index after the token and the blanks after it, the token), or
    (0, "") when there is no printable token."""
    token = []
    while idx < length:
        if not d.ttest(p + idx, 1):
            return 0, ""
        c = d.data[p + idx]
        if c >= 0x80:
            return 0, ""
        if c in b" \t\r\n":
            break
        if not _isprint(c) or len(token) + 2 > MAX_TOKEN + 1:
            return 0, ""
        token.append(chr(c))
        idx += 1
    if not token:
        return 0, ""
    while idx < length and d.ttest(p + idx, 1):
        c = d.data[p + idx]
        if c in b"\r\n" or not _isprint(c) or c not in b" \t":
            break
        idx += 1
    return idx, "".join(token)


def _print_txt_line(d: Dissector, prefix: str, p: int, idx: int, length: int) -> int:
    """print_txt_line(): one line without its CRLF or LF; the index after it, or 0 at
    binary data or the end (an unterminated line prints with ` [|proto]`)."""
    start = idx
    while idx < length:
        c = d.u8(p + idx)
        if c == 0x0A:
            d.p(prefix + d.data[p + start:p + idx].decode("ascii"))
            return idx + 1
        if c == 0x0D:
            if idx + 1 >= length or d.u8(p + idx + 1) != 0x0A:
                return 0
            d.p(prefix + d.data[p + start:p + idx].decode("ascii"))
            return idx + 2
        if not _isprint(c) and c != 0x09:
            return 0
        idx += 1
    d.p(prefix + d.data[p + start:p + idx].decode("ascii"))
    d.nd_print_trunc()
    return 0


def txtproto_print(d: Dissector, p: int, length: int, cmds: frozenset | None,
                   resp_code_second: bool) -> None:
    """txtproto_print(): the protocol's name in capitals, then (for a request or response
    line) its first line, or under -v every text line."""
    print_this = cmds is None
    if cmds is not None:
        idx, token = _fetch_token(d, p, 0, length)
        if idx:
            if token.upper() in cmds:
                print_this = True
            if resp_code_second:
                idx, token = _fetch_token(d, p, idx, length)
            if idx and len(token) == 3 and token.isdigit():
                print_this = True
    d.p(d.protocol.upper())
    if not print_this:
        return
    if d.opts.vflag:
        d.p(f", length: {length}")
        idx = 0
        while idx < length:
            idx = _print_txt_line(d, "\n\t", p, idx, length)
            if not idx:
                break
    else:
        _print_txt_line(d, ": ", p, 0, length)


def text_print(d: Dissector, name: str, p: int, length: int) -> None:
    """http_print(), rtsp_print(), sip_print(), ftp_print(), smtp_print(), whois_print()."""
    d.protocol = name
    if name == "http":
        txtproto_print(d, p, length, HTTP_CMDS, True)
    elif name == "rtsp":
        txtproto_print(d, p, length, RTSP_CMDS, True)
    elif name == "sip":
        # sip_print() (print-sip.c)
        txtproto_print(d, p, length, SIP_CMDS, True)
    else:
        txtproto_print(d, p, length, None, False)


def ssh_print(d: Dissector, p: int, length: int) -> None:
    """ssh_print(): `: SSH: ` and the version line when the payload starts with one."""
    d.protocol = "ssh"
    for i, c in enumerate(b"SSH-"):
        if d.u8(p + i) != c:
            return
    idx = 4
    while idx < length:
        c = d.u8(p + idx)
        if c == 0x0A or (c == 0x0D and idx + 1 < length and d.u8(p + idx + 1) == 0x0A):
            d.p(": SSH: " + d.data[p:p + idx].decode("ascii"))
            return
        if c == 0x0D or not _isprint(c):
            return
        idx += 1
