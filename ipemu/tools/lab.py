"""`lab`: the learner's side of a lab (ipemu/labs/), in a shell opened with `ipemu lab
NAME`. `lab` shows the task, `lab check` checks the goals against the host's state and
the wire (status 1 while some goal is unmet), `lab hint` gives the next hint, `lab
reset` boots the lab's host afresh. Outside a lab there is no such command, as on a
real host.
"""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext

USAGE = "Usage: lab [check | hint | reset]\n"


def main(ctx: ToolContext, argv: list[str]) -> int:
    machine = ctx.session.machine
    run = machine.lab
    if run is None:
        raise CommandError(f"bash: {argv[0]}: command not found\n", 127)
    args = argv[1:]
    if len(args) > 1 or (args and args[0] not in ("check", "hint", "reset", "help")):
        raise CommandError(f"lab: unknown command '{' '.join(args)}'\n" + USAGE, 2)
    command = args[0] if args else "show"
    host = machine.host
    if command == "show":
        ctx.term.out(run.task(host))
    elif command == "check":
        text, status = run.check(host)
        ctx.term.out(text)
        return status
    elif command == "hint":
        ctx.term.out(run.hint(host))
    elif command == "reset":
        run.reset(machine)
        ctx.term.out(f"Lab {run.lab.name} starts over: the host is as it was at the start.\n")
    else:
        ctx.term.out(USAGE)
    return 0
