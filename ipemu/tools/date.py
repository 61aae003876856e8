"""coreutils 9.1 `date` on the host's clock (VirtualClock.wall: virtual time in a
transcript, the wall clock in a live shell), in UTC as the recordings ran (TZ=UTC):
+FORMAT, -d @SECONDS / ISO dates / now, -u, -R, -I[TIMESPEC], and its errors."""
from __future__ import annotations

import calendar
import re
import time

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext

DEFAULT = "%a %b %e %H:%M:%S %Z %Y"
RFC_EMAIL = "%a, %d %b %Y %H:%M:%S %z"
ISO = {"date": "%Y-%m-%d", "hours": "%Y-%m-%dT%H%:z", "minutes": "%Y-%m-%dT%H:%M%:z",
       "seconds": "%Y-%m-%dT%H:%M:%S%:z", "ns": "%Y-%m-%dT%H:%M:%S,%N%:z"}


def _parse(text: str, now: float) -> float:
    """The few forms of parse_datetime() scripts use."""
    stripped = text.strip()
    if stripped.startswith("@"):
        try:
            # exact: `-d @1000000000.1234 +%N` is 123400000
            from fractions import Fraction
            value = Fraction(stripped[1:])
            return value if value.denominator != 1 else float(value)
        except (ValueError, ZeroDivisionError):
            pass
    elif stripped in ("", "now", "today"):
        return now
    else:
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?", stripped)
        if m:
            parts = [int(x) if x else 0 for x in m.groups()]
            return float(calendar.timegm((parts[0], parts[1], parts[2], parts[3], parts[4],
                                          parts[5], 0, 0, 0)))
    raise CommandError(f"date: invalid date ‘{text}’\n", 1)


def format_time(fmt: str, when: float) -> str:
    """strftime in UTC with GNU's %N, %:z, %s and %-d style padding flags."""
    seconds = int(when // 1)
    nanos = int(round((when - seconds) * 10 ** 9))
    tm = time.gmtime(seconds)
    out = []
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch != "%" or i + 1 >= len(fmt):
            out.append(ch)
            i += 1
            continue
        m = re.match(r"%([-_0^#]?)(\d*)(:*)([a-zA-Z%+])", fmt[i:])
        if not m:
            out.append(ch)
            i += 1
            continue
        flag, width, colons, conv = m.groups()
        i += len(m.group(0))
        if conv == "N":
            # a width is the digits kept (`%3N`: milliseconds), zeros after nine
            digits = int(width) if width else 9
            out.append(f"{nanos:09d}"[:digits].ljust(digits, "0"))
            continue
        elif conv == "s":
            text = str(seconds)
        elif conv == "z":
            text = "+00:00" if colons else "+0000"
        elif conv == "Z":
            text = "UTC"
        elif conv == "P":
            text = time.strftime("%p", tm).lower()
        elif conv == "+":
            text = time.strftime("%a %b %e %H:%M:%S UTC %Y", tm)
        else:
            text = time.strftime("%" + conv, tm)
        if flag == "-":
            text = text.lstrip("0 ") or "0"
        elif flag == "_":
            text = re.sub(r"^0+(?=\d)", lambda z: " " * len(z.group(0)), text)
        elif flag == "^":
            text = text.upper()
        if width and flag != "-" and len(text) < int(width):
            # fprintftime()'s field width: zeros for a number (blanks with `_`), blanks
            # for words
            pad = " " if flag == "_" or not text.lstrip("+-").isdigit() else "0"
            if flag == "0":
                pad = "0"
            text = text.rjust(int(width), pad) if pad == " " or not text.startswith("-") \
                else "-" + text[1:].rjust(int(width) - 1, "0")
        out.append(text)
    return "".join(out)


def main(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    now = ctx.host.clock.wall
    when = now
    fmt = DEFAULT
    while args:
        arg = args.pop(0)
        if arg.startswith("+"):
            fmt = arg[1:]
            continue
        if arg in ("-u", "--utc", "--universal"):
            continue
        if arg in ("-R", "--rfc-email"):
            fmt = RFC_EMAIL
            continue
        if arg.startswith("-I") or arg.startswith("--iso-8601"):
            spec = arg[2:] if arg.startswith("-I") else arg.partition("=")[2]
            fmt = ISO.get(spec or "date", ISO["date"])
            continue
        if arg.startswith("-d") or arg.startswith("--date"):
            value = arg[2:] if arg.startswith("-d") else arg.partition("=")[2]
            if not value and arg in ("-d", "--date"):
                if not args:
                    raise CommandError("date: option requires an argument -- 'd'\n"
                                       "Try 'date --help' for more information.\n", 1)
                value = args.pop(0)
            when = _parse(value, now)
            continue
        if arg.startswith("-") and len(arg) > 1:
            raise CommandError(f"date: invalid option -- '{arg[1]}'\n"
                               "Try 'date --help' for more information.\n", 1)
        raise CommandError(f"date: invalid date ‘{arg}’\n", 1)
    ctx.term.out(format_time(fmt, when) + "\n")
    return 0
