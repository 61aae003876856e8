"""Shell builtins and tiny commands a lesson needs: sleep, true, false, echo, hostname."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _sleep(ctx: ToolContext, argv: list[str]):
    if len(argv) < 2:
        raise CommandError("sleep: missing operand\nTry 'sleep --help' for more information.\n", 1)
    total = 0.0
    for arg in argv[1:]:
        unit = _UNITS.get(arg[-1:], None)
        number = arg[:-1] if unit else arg
        try:
            value = float(number)
        except ValueError:
            raise CommandError(f"sleep: invalid time interval '{arg}'\n"
                               "Try 'sleep --help' for more information.\n", 1)
        total += value * (unit or 1)
    from ipemu.process import Sleep
    return Sleep(ctx.host, ctx.term, total)


def main(ctx: ToolContext, argv: list[str]):
    name = argv[0]
    if name == "sleep":
        return _sleep(ctx, argv)
    if name == "true":
        return 0
    if name == "false":
        return 1
    if name == "echo":
        args = argv[1:]
        newline = True
        if args and args[0] == "-n":
            newline, args = False, args[1:]
        ctx.term.out(" ".join(args) + ("\n" if newline else ""))
        return 0
    if name == "hostname":
        ctx.term.out(ctx.host.hostname + "\n")
        return 0
    raise CommandError(f"bash: {name}: command not found\n", 127)
