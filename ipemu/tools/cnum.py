"""C's number parsing, which reads less than Python's int() and float(): strtol()
and strtoul() skip leading blanks (isspace() in the C locale) and take one sign, then
ASCII digits only. Python's int() also takes full-width and other Unicode digits, `_`
between digits and blanks after the number, none of which a C tool accepts (recorded:
`traceroute -m ５`, `tracepath -m ５`, `arping -c １`, `seq １ 3`, `sleep １` are each
refused by the real tool)."""
from __future__ import annotations

C_SPACE = " \t\n\v\f\r"
_DIGITS = {8: "01234567", 10: "0123456789", 16: "0123456789abcdefABCDEF"}


def strtol_whole(text: str, base: int = 10) -> int | None:
    """strtol(text, &end, base) with `*end == '\\0'` required: the value (unbounded:
    the caller checks its range), None when the word is not all a number."""
    body = text.lstrip(C_SPACE)
    sign = -1 if body[:1] == "-" else 1
    if body[:1] in ("+", "-"):
        body = body[1:]
    if base == 0:
        if body[:2] in ("0x", "0X") and body[2:3] and body[2] in _DIGITS[16]:
            body, base = body[2:], 16
        elif body[:1] == "0" and len(body) > 1:
            body, base = body[1:], 8
        else:
            base = 10
    elif base == 16 and body[:2] in ("0x", "0X") and body[2:3] and body[2] in _DIGITS[16]:
        body = body[2:]
    if not body or not all(ch in _DIGITS[base] for ch in body):
        return None
    return sign * int(body, base)


def ascii_digits(text: str) -> bool:
    """str.isdigit() as C's isdigit() sees it: ASCII 0-9 only, at least one."""
    return bool(text) and all("0" <= ch <= "9" for ch in text)
