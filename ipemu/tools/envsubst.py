"""gettext-base 0.21's envsubst: `$VAR` and `${VAR}` in standard input replaced by
the exported variables' values (unset ones by nothing), as scripts fill a config
template (`envsubst < netplan.tmpl > netplan.yaml`, `envsubst '$IFACE' < tmpl`).

Followed: gettext-runtime/src/envsubst.c (main(), find_variables(), subst_from_stdin():
a name is [A-Za-z_][A-Za-z0-9_]*; `${NAME` without its brace and `$` before anything
else stay as written; a SHELL-FORMAT limits the substitution to the names it holds;
-v lists them)."""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext

NAME = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
LONGS = {"variables": "v", "help": "h", "version": "V"}
VERSION = ("envsubst (GNU gettext-runtime) 0.21\n"
           "Copyright (C) 2003-2020 Free Software Foundation, Inc.\n"
           "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>\n"
           "This is free software: you are free to change and redistribute it.\n"
           "There is NO WARRANTY, to the extent permitted by law.\n"
           "Written by Bruno Haible.\n")


def variables(text: str) -> list[str]:
    """find_variables(): the names of text's `$NAME` and `${NAME}`, in order."""
    return [m.group(1) or m.group(2) for m in NAME.finditer(text)]


def main(ctx: ToolContext, argv: list[str]) -> int:
    from ipemu.tools.runwrap import gnu_info
    from ipemu.tools.xargs import environment
    opts, operands = gnuopt.parse(argv[1:], "hvV", LONGS, "envsubst")
    flags = {flag for flag, _ in opts}
    if "h" in flags:
        return gnu_info(ctx, "envsubst", "--help")
    if "V" in flags:
        ctx.term.out(VERSION)
        return 0
    if len(operands) > 1:
        raise CommandError("envsubst: too many arguments\n", 1)
    if "v" in flags:
        if not operands:
            raise CommandError("envsubst: missing arguments\n", 1)
        ctx.term.out("".join(name + "\n" for name in variables(operands[0])))
        return 0
    wanted = set(variables(operands[0])) if operands else None
    environ = environment(ctx, "/usr/bin/envsubst")

    def value(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        if wanted is not None and name not in wanted:
            return match.group(0)
        return environ.get(name, "")
    from ipemu.tools.textutils import DirectoryInput
    if isinstance(ctx.stdin, DirectoryInput):
        raise CommandError(f'envsubst: error while reading "standard input": '
                           f'{ctx.stdin.strerror}\n', 1)
    ctx.term.out(NAME.sub(value, ctx.stdin or ""))
    return 0
