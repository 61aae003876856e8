"""iproute2's `routel` (the Python script of 6.1): `ip -f FAMILY -j route list table
TABLE [ARGS...]` (table 0, every table, by default) printed in columns, one route a
line. The script's getopt errors print Python's own text, then its usage (64)."""
from __future__ import annotations

import json

from ipemu.tools.context import Terminal, ToolContext

USAGE = "Usage: /usr/bin/routel [tablenr [raw ip args...]]\n"
# what Debian 12's python3.11 prints when `ip` printed nothing to parse (json.load()
# of an empty stdout): the uncaught JSONDecodeError's traceback, recorded
JSON_TRACEBACK = """Traceback (most recent call last):
  File "/usr/bin/routel", line 62, in <module>
    main()
  File "/usr/bin/routel", line 46, in main
    tbl = json.load(process.stdout)
          ^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/json/__init__.py", line 293, in load
    return loads(fp.read(),
           ^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads
    return _default_decoder.decode(s)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/json/decoder.py", line 337, in decode
    obj, end = self.raw_decode(s, idx=_w(s, 0).end())
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/json/decoder.py", line 355, in raw_decode
    raise JSONDecodeError("Expecting value", s, err.value) from None
json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
"""
KEYS = ("dst", "gateway", "prefsrc", "protocol", "scope", "dev", "table")


def main(ctx: ToolContext, argv: list[str]) -> int:
    import getopt
    family = "inet"
    try:
        opts, args = getopt.getopt(argv[1:], "h46f:", ["help", "family="])
    except getopt.GetoptError as err:
        ctx.term.out(f"{err}\n{USAGE}")
        return 64
    for opt, arg in opts:
        if opt in ("-h", "--help"):
            ctx.term.out(USAGE)
            return 64
        if opt in ("-6", "-4"):
            family = "inet6" if opt == "-6" else "inet"
        else:
            family = arg
    term = Terminal()
    cmd = ["ip", "-f", family, "-j", "route", "list", "table"] + (args or ["0"])
    ctx.session._dispatch(cmd, term, None, netns=ctx.netns)
    ctx.term.err(term.stream("stderr"))
    try:
        table = json.loads(term.stream("stdout"))
    except ValueError:
        ctx.term.err(JSON_TRACEBACK)
        return 1
    if family == "inet":
        fmt = "{:15} {:15} {:15} {:8} {:8}{:<16} {}"
    else:
        fmt = "{:32} {:32} {:32} {:8} {:8}{:<16} {}"
    out = [fmt.format(*(k.capitalize() for k in KEYS)) + "\n"]
    for record in table:
        out.append(fmt.format(*(str(record.get(k, "")) for k in KEYS)) + "\n")
    ctx.term.out("".join(out))
    return 0
